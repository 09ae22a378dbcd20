-- Loops inside one C call of the standard library, where the count hook never fires: Lua
-- patterns that backtrack exponentially or for n^2 steps, and table functions whose loop length
-- the caller chooses. The sandbox's own versions count this work against --max-instructions,
-- so each rule fails with the instruction limit, pcall or not, instead of stalling the worker.
local function attempt(id, fn)
  rule{ id = id, scope = "article", match = re[[\w]], extract = fn }
end

local calls = {
  find = function(s, p) return s:find(p) end,
  match = function(s, p) return s:match(p) end,
  gmatch = function(s, p) for _ in s:gmatch(p) do end end,
  gsub = function(s, p) return s:gsub(p, "") end,
}
-- 2^24 ways to split 24 a's among 24 a* before the missing b
local function exponential() return ("a"):rep(24), ("a*"):rep(24) .. "b" end
-- every start position scans the rest of 4 MB of a's for a b
local function quadratic() return ("a"):rep(4 << 20), "a*b" end

for _, name in ipairs{ "find", "match", "gmatch", "gsub" } do
  local call = calls[name]
  attempt("pattern-exponential-" .. name, function() return { got = call(exponential()) } end)
  attempt("pattern-exponential-" .. name .. "-in-pcall", function()
    pcall(call, exponential())
    return { got = "escaped" }
  end)
  attempt("pattern-quadratic-" .. name, function() return { got = call(quadratic()) } end)
  attempt("pattern-quadratic-" .. name .. "-in-pcall", function()
    while true do pcall(call, quadratic()) end
  end)
end

attempt("table-move-unbounded", function() return { got = table.move({}, 1, math.maxinteger - 1, 2) } end)
attempt("table-remove-len", function()
  pcall(table.remove, setmetatable({}, { __len = function() return math.maxinteger end }), 1)
  return { got = "escaped" }
end)
attempt("table-insert-len", function()
  return { got = table.insert(setmetatable({}, { __len = function() return 1 << 60 end }), 1, "x") }
end)
attempt("table-sort-proxy", function()
  -- C functions as __index and __newindex: no instruction runs while Lua's sort loops
  local t = setmetatable({}, { __len = function() return 2^31 - 2 end, __index = rawlen, __newindex = rawequal })
  pcall(table.sort, t)
  return { got = "escaped" }
end)

-- the same functions doing ordinary work, per sentence, after the kills above
rule{ id = "good", scope = "sentence", match = re([[\bsanctions\b]], "i"), extract = function(m)
  local words = {}
  for w in m.text:gmatch("%a+") do words[#words + 1] = w:lower() end
  local t = { "c", "b" }
  table.sort(t)
  table.insert(t, 1, "a")
  table.move(t, 1, 3, 2)
  return {
    first = m.text:match("^(%a+)"),
    words = #words,
    spaced = (m.text:gsub("%s+", "_")):find("sanctions", 1, true) ~= nil,
    moved = table.concat(t, ","),
    removed = table.remove(t, 1),
  }
end }
