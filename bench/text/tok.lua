-- Native tokenising: count word-like tokens (words, numbers, abbreviations, URLs, ...).
-- usage: lede tok.lua TEXT   -> count=<words>
local lede = require "lede"
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local n = 0
for piece in require("chunks")(arg[1]) do n = n + lede.text.count_words(piece) end
print("count=" .. n)
