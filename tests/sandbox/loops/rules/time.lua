-- Single instructions that do much work without allocating: `==` between two distinct equal
-- strings compares them byte by byte, so a loop of them stays far under --max-instructions for
-- days. The call's CPU-time limit (--max-seconds) ends it, pcall or not, and soon: the count
-- hook fires more often while the state holds this much memory.
local function attempt(id, fn)
  rule{ id = id, scope = "article", match = re[[\w]], extract = fn }
end

-- two distinct 32 MB strings with the same bytes (long strings are not interned)
local function twins() return ("x"):rep(32 << 20), ("x"):rep(32 << 20) end

attempt("time-equal-strings", function()
  local a, b = twins()
  local n = 0
  while true do
    pcall(function() for _ = 1, 100 do if a == b then n = n + 1 end end end)
  end
end)

-- coroutines made while the state held little memory, each resumed in turn for fewer
-- instructions than the hook interval it started with: no tick of their own would ever fire
attempt("time-equal-strings-coroutines", function()
  local a, b
  local cos = {}
  for i = 1, 100 do
    cos[i] = coroutine.wrap(function()
      while true do
        for _ = 1, 2000 do if a == b then end end
        coroutine.yield()
      end
    end)
  end
  a, b = twins()
  while true do
    for i = 1, #cos do cos[i]() end
  end
end)
