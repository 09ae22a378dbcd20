-- Code that would run outside any call: a finalizer (__gc) runs during a later collection or when
-- the state closes, where no limit applies, so setmetatable refuses a metatable with __gc, on
-- every path; a to-be-closed variable's __close runs inside the call, and only there.
local function attempt(id, fn)
  rule{ id = id, scope = "article", match = re[[\w]], extract = fn }
end

attempt("gc-loop", function()
  setmetatable({}, { __gc = function() while true do end end })
  return { got = "escaped" }
end)

-- Lua marks the table for finalization whatever __gc holds, and calls what it holds at the end
attempt("gc-false-then-loop", function()
  local mt = { __gc = false }
  local ok, err = pcall(setmetatable, {}, mt)
  mt.__gc = function() while true do end end
  error(ok and "escaped" or err, 0)
end)

-- a stdlib module's metatable, reached through its own __index, given a __gc before the module
-- sets it on a new object: the state's setmetatable refuses it too
attempt("gc-via-stdlib", function()
  local actors = require "lede.actors"
  local mt = actors.new{ { text = "Xland\tXland" } }.__index
  mt.__gc = function() while true do end end
  local ok, err = pcall(actors.new, { { text = "Yland\tYland" } })
  mt.__gc = nil -- the module's metatable is shared by the pack's rules
  error(ok and "escaped" or err, 0)
end)

-- __gc added after setmetatable: the table was not marked, so it never runs (the run must not
-- hang in a collection or at the end); the rule fails on purpose to say it got here
attempt("gc-added-later", function()
  local mt = {}
  for _ = 1, 100 do setmetatable({}, mt) end
  mt.__gc = function() while true do end end
  for i = 1, 200 do local _ = ("g"):rep(1 << 16) .. i end -- garbage: collections run
  error("gc-added-later: done", 0)
end)

attempt("close-loop", function()
  do local _ <close> = setmetatable({}, { __close = function() while true do end end }) end
  return { got = "escaped" }
end)

-- a coroutine left suspended with a pending __close that loops, then the call is killed: Lua
-- does not close a collected coroutine's variables, so the loop never runs
attempt("close-left-pending", function()
  local co = coroutine.create(function()
    local _ <close> = setmetatable({}, { __close = function() while true do end end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  while true do end
end)
