-- The gazetteer as a lede.phrases list: case- and accent-insensitive, word boundaries.
-- Counts every hit, overlapping ones too, like the reference Aho-Corasick.
-- usage: lede gazetteer.lua PHRASES TEXT   -> count=<whole-word hits, overlapping>
local lede = require "lede"
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local list = lede.phrases.compile(arg[1])
local n = 0
for piece in require("chunks")(arg[2]) do n = n + list:count(piece, { all = true }) end
print("count=" .. n .. "\nphrases=" .. #list)
