-- Claims toolkit (lede.claims, lede.actors, lede.hedging) and the sanctions pack's logic.
local here = debug.getinfo(1, "S").source:match("^@(.*)/tests/lua/[^/]*$")
  or os.getenv("LEDE_SOURCE_DIR") or "../.."
package.path = here .. "/stdlib/?.lua;" .. here .. "/scripts/packs/sanctions/lib/?.lua;" .. package.path
local claims = require "lede.claims"
local actors = require "lede.actors"
local hedging = require "lede.hedging"

local fails = 0
local function eq(got, want, what)
  if got ~= want then
    fails = fails + 1
    io.stderr:write(("FAIL %s: got %s, want %s\n"):format(what, tostring(got), tostring(want)))
  end
end

-- sentences: abbreviations and initialisms do not end a sentence; closing quotes stay
local ss = claims.split("He was sanctioned by the U.S. Treasury in May. Ms. Haley said “no.” The U.S. The end")
eq(#ss, 4, "sentence count")
eq(ss[1].text, "He was sanctioned by the U.S. Treasury in May.", "sentence 1")
eq(ss[2].text, "Ms. Haley said “no.”", "closing quote kept")
eq(ss[3].text, "The U.S.", "initialism before a sentence starter ends it")

-- words: possessives, punctuation, offsets
local norm = claims.normalise("Canada’s sanctions, the EU said.")
local w = claims.words(norm)
eq(w[1].key, "Canada", "possessive key")
eq(w[1].poss, true, "possessive flag")
eq(w[3].w, ",", "comma token")
eq(norm:sub(w[5].s, w[5].e), "EU", "offsets")

-- wordlist: the same words as shared entries with offsets in parallel arrays; glued words
-- ("E.U.'s", "U.S.-led") stay one word, a trailing glue mark stays punctuation
for _, text in ipairs{ "Canada’s sanctions, the EU said.", "The E.U.'s U.S.-led snap-back -- 'no' - it's over'",
  "Iran's  oil-", "$5.3 bn; (Rosneft) @ofac #sanctions don't" } do
  local n = claims.normalise(text)
  local rows, list = claims.words(n), claims.wordlist(n)
  eq(#list, #rows, "wordlist length: " .. text)
  for k, r in ipairs(rows) do
    local e = list[k]
    for _, f in ipairs{ "w", "key", "l", "poss", "p", "brk", "cap" } do
      eq(e[f], r[f], ("wordlist %s of word %d in %q"):format(f, k, text))
    end
    eq(list.s[k], r.s, "wordlist start " .. k)
    eq(list.e[k], r.e, "wordlist stop " .. k)
  end
end
local l1, l2 = claims.wordlist("Sanctions on Iran."), claims.wordlist("Iran, sanctions.")
eq(l1[3], l2[1], "wordlist entries are shared")
local long = claims.wordlist("The European Union imposed new sanctions on Russia on Monday.")
local again = claims.wordlist("Iran said no.", long)
eq(again, long, "wordlist refills the list it is given")
eq(#again, 4, "refilled list has the new length")
eq(again[4].w, ".", "refilled words")
eq(again.s[2] .. "-" .. again.e[2], "6-9", "refilled offsets")
eq(again.s[5], nil, "refilled list cleared past its end")
eq(claims.attribution("Sanctions work, the EU said.", claims.wordlist("Sanctions work, the EU said.")).source,
  "the EU", "attribution over a wordlist")
eq(#actors.default():scan("The EU and Iran.", claims.wordlist("The EU and Iran.")), 2, "g:scan over a wordlist")
eq(#actors.default():find(claims.wordlist("The EU and Iran.")), 2, "g:find over a wordlist")

-- actors: aliases, capitals as metonyms, demonyms, "the" aliases, case-sensitivity
local g = actors.default()
eq(actors.normalise("Washington"), "United States", "capital as metonym")
eq(actors.normalise("the Trump administration"), "United States", "administration")
eq(actors.normalise("the bloc"), "European Union", "the bloc")
eq(actors.normalise("OFAC"), "United States", "OFAC")
eq(actors.normalise("Tehran"), "Iran", "Tehran")
local ms = g:find(claims.words(claims.normalise("The bloc and Britain hit Russian banks, but us traders did not.")))
eq(#ms, 3, "mentions (\"us\" is not US)")
eq(ms[1].label, "European Union", "The bloc")
eq(ms[2].label, "United Kingdom", "Britain")
eq(ms[3].kind, "demonym", "Russian is a demonym")
local custom = actors.new{ { text = "Acme Union\tAcme|the Acme bloc\n", kind = "body" } }
eq(custom:label("the Acme bloc"), "Acme Union", "custom gazetteer")

-- attribution
local function src(s)
  local n = claims.normalise(s)
  local a = claims.attribution(n, claims.words(n))
  return a and a.source
end
eq(src("The cap may be unenforceable, according to the Kyiv School of Economics."), "the Kyiv School of Economics", "according to")
eq(src("Russia has banned sales, Deputy Prime Minister Alexander Novak reiterated."), "Alexander Novak", "post-posed, title stripped")
eq(src("“They matter,” said Hana Ostrowski, an energy analyst."), "Hana Ostrowski", "inverted")
eq(src("Kremlin spokesman Dmitry Peskov told reporters that it would not."), "Dmitry Peskov", "role noun")
eq(src("Court records obtained by Global News show that he was charged."), "Court records obtained by Global News", "evidence verb")
eq(src("The United States and Britain sanctioned 27 vessels."), nil, "'States' is no reporting verb")

-- hedging and negation govern the predicate only
local function status(s, anchor_word)
  local n = claims.normalise(s)
  local ws = claims.words(n)
  local k
  for i, x in ipairs(ws) do if x.l == anchor_word then k = i break end end
  return (hedging.status(ws, k, nil, n:lower()))
end
eq(status("The bloc could impose sanctions.", "impose"), "hedged", "modal")
eq(status("Officials have not decided whether to add them to the list.", "add"), "negated", "negation")
eq(status("Tehran has repeatedly denied that it uses tankers to evade sanctions.", "evade"), "negated", "denial governs its complement")
eq(status("The team will not be allowed to race because its sponsor is subject to sanctions.", "subject"), nil, "restriction, not negation")
eq(status("Some banks reportedly stepped back from Iran.", "stepped"), "hedged", "hedge adverb")
eq(status("The firm was sanctioned for allegedly supplying drones.", "sanctioned"), nil, "allegedly on a reason")
eq(status("It is unclear whether the bloc imposes sanctions.", "imposes"), "hedged", "hedge phrase")
eq(status("Odds are that the bloc imposes sanctions.", "imposes"), nil, "no hedge phrase")
hedging.hedge_phrases[#hedging.hedge_phrases + 1] = "odds are that"
eq(status("Odds are that the bloc imposes sanctions.", "imposes"), "hedged", "a hedge phrase added later counts")
hedging.hedge_phrases[#hedging.hedge_phrases] = nil
eq(status("Odds are that the bloc imposes sanctions.", "imposes"), nil, "a hedge phrase removed no longer counts")

-- the sanctions pack's logic on a small article
local sanctions = require "sanctions"
local lede = require "lede"
local a = lede.article.parse([[<html><head><title>Treasury blacklists copper traders</title></head>
<body><article><h1>Treasury blacklists copper traders</h1>
<p>The U.S. Treasury on Tuesday imposed sanctions on three copper trading firms.</p>
<p>The European Union is considering similar sanctions against the firms, two diplomats said.</p>
<p>The league sanctioned a revised calendar.</p>
<p>Copper prices were little changed in London on Tuesday, and traders said demand was steady.</p>
</article></body></html>]], { format = "html" })[1]
local recs = sanctions.article(a, g)
eq(#recs, 3, "claims (the approval sense is not one)")
eq(recs[1].action, "impose", "action 1")
eq(recs[1].imposer, "United States", "imposer 1")
eq(recs[1].target, "three copper trading firms", "target 1")
eq(recs[1].status, "asserted", "status 1")
eq(recs[2].action, "threaten", "action 2")
eq(recs[2].status, "attributed", "status 2")
eq(recs[2].source, "two diplomats", "source 2")
eq(recs[3].in_body, false, "title claim is not body")

-- candidates: one pass over the body; a sentence the native splitter cut before a lower-case
-- word ("the U.S. and its allies") is joined again; pronoun targets resolve to the sentence before
local b = lede.article.parse([[<html><head><title>Allies widen curbs</title></head><body><article>
<h1>Allies widen curbs</h1>
<p>Markets were calm on Monday as traders waited for the central bank decision.</p>
<p>Since March, the U.S. and its allies have imposed sanctions on 40 Belarusian firms.</p>
<p>Marek Holub runs a logistics firm in Gdansk. He was sanctioned by the British government in March.</p>
</article></body></html>]], { format = "html" })[1]
local us = claims.candidates(b, sanctions.stem_set)
eq(#us, 3, "candidate units (sentences with a stem, and the title)")
eq(us[1].text, "Since March, the U.S. and its allies have imposed sanctions on 40 Belarusian firms.", "glued sentence")
eq(us[1].in_body, true, "body unit")
local rb = sanctions.article(b, g)
eq(rb[2].target, "Marek Holub", "pronoun target from the previous sentence")
eq(rb[2].imposer, "United Kingdom", "demonym + government as agent")

if fails > 0 then error(fails .. " claims test(s) failed") end
print("test_claims: ok")
