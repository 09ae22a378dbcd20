-- The sanctions rule pack as one lede.re.set: every match of every pattern, one pass.
-- usage: lede rules.lua PATTERNS TEXT   -> count=<all non-overlapping matches of every pattern>
local lede = require "lede"
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local pats = {}
for l in io.lines(arg[1]) do if l ~= "" then pats[#pats + 1] = l end end
local set = lede.re.set(pats, "i")
local n = 0
for piece in require("chunks")(arg[2]) do n = n + #set:scan(piece) end
print("count=" .. n .. "\npatterns=" .. #pats)
