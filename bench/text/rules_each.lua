-- The same patterns run one by one with lede.re.compile (what re.set must beat by 5x).
-- usage: lede rules_each.lua PATTERNS TEXT   -> count=<all non-overlapping matches>
local lede = require "lede"
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local res = {}
for l in io.lines(arg[1]) do if l ~= "" then res[#res + 1] = lede.re.compile(l, "i") end end
local n = 0
for piece in require("chunks")(arg[2]) do
  for i = 1, #res do n = n + res[i]:count(piece) end
end
print("count=" .. n .. "\npatterns=" .. #res)
