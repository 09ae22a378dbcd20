-- lede.text: tokens, iterator, sentences, helpers; Unicode, abbreviations, invalid UTF-8.
local lede = require "lede"
local text = lede.text

local function kinds(s)
  local out = {}
  for _, t in ipairs(text.tokens(s)) do out[#out + 1] = t.text .. "/" .. t.kind end
  return table.concat(out, " ")
end

assert(kinds("Iran's snap-back U.S. sanctions") == "Iran's/word snap-back/word U.S./abbrev sanctions/word")
assert(kinds("1,000.5 $5.3 25-year") == "1,000.5/number $5.3/money 25-year/word")
assert(kinds("see https://x.org/a. @un #tag") == "see/word https://x.org/a/url ./punct @un/handle #tag/hashtag")

local toks = text.tokens("ÉTAT Straße café")
assert(toks[1].norm == "état" and toks[2].norm == "strasse" and toks[1].start == 1 and toks[1].stop == 5)
assert(text.tokens("café", { ignore_accents = true })[1].norm == "cafe")
assert(#text.tokens("") == 0 and #text.tokens("  \n ") == 0)
-- invalid UTF-8: no crash, every token text is valid UTF-8
for _, t in ipairs(text.tokens("ab\255cd \195(x")) do assert(utf8.len(t.text), t.text) end
assert(#text.tokens("a , b", { words = true }) == 2)

-- iterator: offsets and kind, text on request
local n, last = 0, nil
for i, j, kind in text.each_token("Hello, world!") do n = n + 1; last = { i, j, kind } end
assert(n == 4 and last[1] == 13 and last[3] == "punct")
for i, j, kind, w in text.each_token("Hi there", { text = true, words = true }) do
  assert(w == ("Hi there"):sub(i, j))
end
assert(text.count_words("Iran's oil, the U.S. said.") == 5)

-- sentences
local ss = text.sentences("Mr. Smith met Gen. Lee on Jan. 5. The U.S. Treasury agreed! “Why?” he asked.\n\nNew para")
local got = {}
for _, x in ipairs(ss) do got[#got + 1] = x.text end
assert(#ss == 4, table.concat(got, "|"))
assert(got[1] == "Mr. Smith met Gen. Lee on Jan. 5." and got[3] == "“Why?” he asked." and got[4] == "New para")
assert(ss[2].start == 35 and ("x"):rep(0) == "")
assert(#text.sentences("") == 0)

-- helpers
assert(text.norm("Iran’s ÉTAT") == "iran's état")
assert(text.norm("Ｆｕｌｌ café", { ignore_accents = true }) == "full cafe")
assert(text.clean("  “Quoted”\u{a0} text  ") == '"Quoted" text')
local l, m, r = text.kwic("The quick brown fox jumps", 11, 15, 6)
assert(l == "quick " and m == "brown" and r == " fox j", l .. "|" .. m .. "|" .. r)
assert(table.concat(text.ngrams("The Quick brown fox", 2), "|") == "the quick|quick brown|brown fox")
assert(#text.ngrams("one", 2) == 0)
assert(table.concat(text.ngrams({ "a", "b", "c" }, 3, { sep = "_" })) == "a_b_c")
local s = "Iran has new oil. Oil is cheap in Iran."
local a = { { start = 1, stop = 4 }, { start = 35, stop = 38 } }
local b = { { start = 14, stop = 16 } }
local near = text.near(a, b, 2, s)
assert(#near == 1 and near[1].a == a[1] and near[1].distance == 2)
assert(#text.near(a, b, 1, s) == 0)
-- the article's lazy views: offsets into a.text, the paragraph each sentence belongs to
if lede.article and lede.article.parse then
  local html = [[<html><body><article><h1>Sanctions news</h1>
<p>The U.S. Treasury imposed sanctions on Monday. Mr. Smith said “No.” Officials agreed.</p>
<p>Iran's oil exports fell 3.5 percent. The E.U. followed.</p></article></body></html>]]
  local art = lede.article.parse(html, { format = "html" })[1]
  local sents = art.sentences
  assert(#sents == 6, #sents)
  for _, st in ipairs(sents) do assert(art.text:sub(st.start, st.stop) == st.text) end
  assert(sents[1].paragraph == 1 and sents[2].paragraph == 2 and sents[6].paragraph == 3)
  assert(sents[3].text == "Mr. Smith said “No.”")
  assert(art.sentences == sents, "views are cached")
  local tk = art.tokens
  assert(tk[1].text == "Sanctions" and tk[1].norm == "sanctions" and tk[1].start == 1)
end
print("test_text: ok")
