-- Limits that must hold even when the code catches errors.
rule{ id = "loop-in-pcall", scope = "article", match = re[[\w]], extract = function()
  while true do pcall(function() while true do end end) end
end }

rule{ id = "loop-in-coroutine", scope = "article", match = re[[\w]], extract = function()
  local co = coroutine.wrap(function() while true do coroutine.yield() end end)
  while true do pcall(co) end
end }

rule{ id = "loop-in-sort", scope = "article", match = re[[\w]], extract = function()
  local t = {}
  for i = 1, 100 do t[i] = i end
  while true do
    pcall(table.sort, t, function(x, y) while true do end end)
  end
end }

rule{ id = "memory-bomb", scope = "article", match = re[[\w]], extract = function()
  local t = {}
  for i = 1, 1e9 do t[i] = string.rep("x", 1 << 20) .. i end
end }

rule{ id = "memory-bomb-in-pcall", scope = "article", match = re[[\w]], extract = function()
  local keep = {}
  while true do
    pcall(function() for i = 1, 1e9 do keep[#keep + 1] = string.rep("y", 1 << 20) .. i end end)
  end
end }

rule{ id = "memory-one-block", scope = "article", match = re[[\w]], extract = function()
  return { got = #string.rep("z", 1 << 30) }
end }

rule{ id = "catastrophic-regex", scope = "article", match = re[[(a+)+$]] }

rule{ id = "records-flood", scope = "article", match = re[[\w]], extract = function()
  local out = {}
  for i = 1, 20000 do out[i] = { i = i } end
  return out
end }

rule{ id = "good", scope = "sentence", match = re([[\bsanctions\b]], "i"), extract = function(m)
  return { upper = ("abc"):upper(), sentence = m.sentence, inserted = (function()
    local t = {}
    table.insert(t, 1)
    return #t
  end)() }
end }
