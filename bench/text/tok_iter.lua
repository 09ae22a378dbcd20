-- Iterating every word token from Lua with its offsets and kind (lede.text.each_token);
-- with "text" as second argument the token's text is yielded too.
-- usage: lede tok_iter.lua TEXT [text]   -> count=<word tokens>
local lede = require "lede"
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local each = lede.text.each_token
local opts = { words = true, text = arg[2] == "text" }
local n = 0
for piece in require("chunks")(arg[1]) do
  for i, j, kind in each(piece, opts) do n = n + 1 end
end
print("count=" .. n)
