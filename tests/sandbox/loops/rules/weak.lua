-- Weak-keyed (ephemeron) tables: the collector settles chains of them, each value the key of the
-- next, by walking every such table again until nothing changes, in one atomic step that no limit
-- can interrupt (300,000 keys took 4.5 s, and the memory cap fits millions). setmetatable refuses
-- a __mode with "k" and without "v"; a __mode added to a metatable afterwards changes nothing,
-- since each table keeps its own copy of its metatable's metamethods.
local function attempt(id, fn)
  rule{ id = id, scope = "article", match = re[[\w]], extract = fn }
end

local function chain(t, n)
  local keys = {}
  for i = 1, n do keys[i] = {} end
  for i = 1, n - 1 do t[keys[i]] = keys[i + 1] end
  return keys[1]
end

local function churn() for i = 1, 40 do local _ = ("w"):rep(1 << 20) .. i end end

attempt("weak-keys", function()
  local t = setmetatable({}, { __mode = "k" })
  chain(t, 300000)
  return { got = "escaped" }
end)

-- set after setmetatable: the table is not weak (the chain's unreferenced entry stays)
attempt("weak-keys-added-later", function()
  local mt = {}
  local t = setmetatable({}, mt)
  mt.__mode = "k"
  local root = chain(t, 300000)
  t[{}] = "kept"
  churn()
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  error(("weak-keys-added-later: %d entries, root %s"):format(n, root and "kept" or "lost"), 0)
end)

-- a stdlib module's metatable, reached through its own __index, made weak-keyed before and
-- after the module sets it: refused, then without effect
attempt("weak-keys-via-stdlib", function()
  local actors = require "lede.actors"
  local g = actors.new{ { text = "Xland\tXland" } }
  local mt = g.__index
  mt.__mode = "k"
  local ok, err = pcall(actors.new, { { text = "Yland\tYland" } })
  local root = chain(g, 300000)
  churn()
  error(("weak-keys-via-stdlib: %s; chain root %s"):format(ok and "made" or err, root and "kept" or "lost"), 0)
end)
