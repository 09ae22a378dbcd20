-- lede.phrases: lists and files, labels and aliases, folding, boundaries, leftmost-longest.
local lede = require "lede"

local p = lede.phrases.compile{
  { phrase = "United States", label = "country", aliases = { "USA", "U.S." } },
  { "New York", label = "city" },
  "New York Times", "York", "Côte d'Ivoire", "São Paulo",
}
assert(#p == 6)
local function show(hits)
  local out = {}
  for _, h in ipairs(hits) do out[#out + 1] = h.phrase .. "@" .. h.start .. "-" .. h.stop end
  return table.concat(out, " ")
end
assert(show(p:scan("The NEW  YORK times and the usa")) == "New York Times@5-19 United States@29-31")
assert(show(p:scan("in cote d’ivoire, SAO PAULO and the U.S.")) ==
  "Côte d'Ivoire@4-18 São Paulo@21-29 United States@39-42")
local h = p:scan("visit New York")[1]
assert(h.label == "city" and h.text == "New York" and h.start == 7 and h.stop == 14)
assert(show(p:scan("New York", { all = true })) == "New York@1-8 York@5-8")
assert(p:count("New York York Yorkshire") == 2)
assert(#p:scan("") == 0)
assert(show(p:scan("\255York\255")) == "York@2-5")

local exact = lede.phrases.compile({ "Müller" }, { ignore_case = false, ignore_accents = false })
assert(show(exact:scan("MÜLLER Muller Müller")) == "Müller@16-22")

-- from a file: phrase<TAB>label<TAB>alias...
local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write("# comment\nKremlin\tplace\tMoscow\n\nPutin\tperson\n")
f:close()
local fp = lede.phrases.compile(path)
os.remove(path)
local hits = fp:scan("Moscow denied it, Putin said")
assert(#hits == 2 and hits[1].phrase == "Kremlin" and hits[1].label == "place" and hits[2].label == "person")

local ok, err = pcall(lede.phrases.compile, "/nonexistent/list.txt")
assert(not ok and err:find("/nonexistent/list.txt"), err)
ok, err = pcall(lede.phrases.compile, { "ok", "   " })
assert(not ok and err:find("entry 2") and err:find("empty"), err)

-- a large list compiles fast and scans the same way
local big = {}
for i = 1, 100000 do big[i] = "Person" .. i .. " Family" .. (i * 7919 % 100000) end
local t0 = os.clock()
local bp = lede.phrases.compile(big)
print(("100k phrases compiled in %.3f s (a figure, not a check)"):format(os.clock() - t0))
assert(bp:count("met person42 family32598 today") == 1)
print("test_phrases: ok")
