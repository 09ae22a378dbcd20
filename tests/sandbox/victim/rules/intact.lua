rule{ id = "victim-intact", scope = "article", match = re[[\w]], extract = function(m, a)
  local t = {}
  table.insert(t, "x")
  return {
    upper = ("abc"):upper() .. string.upper("def"),
    insert = #t,
    re = type(lede.re) ~= "nil" or type(lede.json) == "table",
    metatable = getmetatable(a) == nil,
  }
end }
