# Every limit of host/limits.h has a flag, trips, and says which limit (its flag), which rule
# and which article; the article's other rules and the other articles still produce records.
. "$(dirname "$0")/lib.sh"
SB=$LEDE_SOURCE_DIR/tests/sandbox
ART=$SB/data/article.txt
printf '%s\n' 'Brussels imposed new sanctions on Russia on Monday.' 'Nothing else happened.' > "$TMP/small.txt"

# ---- input size: --max-article-bytes (run and inspect) ----
head -c 3000 /dev/zero | tr '\0' 'x' > "$TMP/big.txt"
printf 'function on_article(a) emit{ n = #a.text } end\n' > "$TMP/n.lua"
expect_status 1 "$LEDE" run -j 1 --max-article-bytes 2K "$TMP/n.lua" "$TMP/big.txt" "$TMP/small.txt"
expect_in "$TMP/err" "big.txt: input is 3000 bytes, over the 2048-byte limit (--max-article-bytes)"
expect_eq "$(grep -c small.txt "$TMP/out")" 1 "the small article still ran"
expect_status 1 "$LEDE" inspect --json --max-article-bytes 2K "$TMP/big.txt" "$TMP/small.txt"
expect_in "$TMP/err" "over the 2048-byte limit (--max-article-bytes)"
expect_in "$TMP/out" "Brussels imposed"
expect_status 2 "$LEDE" run --max-article-bytes lots "$TMP/n.lua" "$TMP/small.txt"

# ---- DOM depth: --max-dom-depth cuts deeper elements and says so in a.dropped ----
{ printf '<html><body><article><p>Shallow text of the article stays in place.</p>'
  for i in $(seq 30); do printf '<div>'; done; printf '<p>Deep text is cut away.</p>'
  for i in $(seq 30); do printf '</div>'; done; printf '</article></body></html>'; } > "$TMP/deep.html"
printf 'function on_article(a) emit{ text = a.text, dropped = a.dropped } end\n' > "$TMP/d.lua"
expect_status 0 "$LEDE" run -j 1 --max-dom-depth 10 "$TMP/d.lua" "$TMP/deep.html"
expect_in "$TMP/out" "elements nested more than 10 levels deep were cut (--max-dom-depth)"
expect_in "$TMP/out" "Shallow text"
expect_not_in "$TMP/out" "Deep text"
expect_status 0 "$LEDE" run -j 1 "$TMP/d.lua" "$TMP/deep.html"
expect_in "$TMP/out" "Deep text"
expect_status 0 "$LEDE" inspect --json --max-dom-depth 10 "$TMP/deep.html"
expect_in "$TMP/out" "(--max-dom-depth)"
expect_status 2 "$LEDE" inspect --max-dom-depth 257 "$TMP/deep.html"
expect_in "$TMP/err" "from 1 to 256"
# libxml2's own ceiling: the note names the flag too
python3 -c 'print("<html><body><p>Top paragraph with words.</p>" + "<div>" * 300 + "x" + "</div>" * 300 + "</body></html>")' > "$TMP/deeper.html"
expect_status 0 "$LEDE" run -j 1 "$TMP/d.lua" "$TMP/deeper.html"
expect_in "$TMP/out" "nested more than 256 levels deep (the rest of the page is lost; --max-dom-depth)"

# ---- tokens: --max-tokens (a.tokens in a script, lede.text.tokens, a pack rule) ----
printf 'function on_article(a) emit{ n = #a.tokens } end\n' > "$TMP/tok.lua"
expect_status 1 "$LEDE" run -j 1 --max-tokens 5 "$TMP/tok.lua" "$TMP/small.txt"
expect_in "$TMP/err" "small.txt: on_article: "
expect_in "$TMP/err" "token limit hit (more than 5 tokens in one list, --max-tokens)"
expect_status 0 "$LEDE" run -j 1 --max-tokens 0 "$TMP/tok.lua" "$TMP/small.txt"
expect_in "$TMP/out" '"n":'
printf 'function on_article(a) emit{ n = #lede.text.tokens(a.text .. a.text) } end\n' > "$TMP/tok2.lua"
expect_status 1 "$LEDE" run -j 1 --max-tokens 20 "$TMP/tok2.lua" "$TMP/small.txt"
expect_in "$TMP/err" "more than 20 tokens in one list, --max-tokens"
expect_status 0 "$LEDE" run -j 1 --max-tokens 20 --no-limits "$TMP/tok2.lua" "$TMP/small.txt"

# a pack: one rule over each limit, one good rule; each failure names pack, rule and article
P=$TMP/lim
mkdir -p "$P/rules"
cat > "$P/pack.lua" <<'LUA'
return { name = "lim", version = "1.0.0", description = "limit trips", rules = { "rules/r.lua" } }
LUA
cat > "$P/rules/r.lua" <<'LUA'
rule{ id = "tokens", scope = "article", match = re[[\w]], extract = function(m, a) return { n = #a.tokens } end }
rule{ id = "field", scope = "article", match = re[[\w]], extract = function(m, a)
  return { small = 1, big = string.rep(a.text, 50) }
end }
rule{ id = "records", scope = "article", match = re[[\w]], extract = function()
  local out = {}
  for i = 1, 5 do out[i] = { i = i } end
  return out
end }
rule{ id = "instructions", scope = "article", match = re[[\w]], extract = function()
  while true do end
end }
rule{ id = "memory", scope = "article", match = re[[\w]], extract = function()
  local t = {}
  for i = 1, 1e9 do t[i] = string.rep("m", 1 << 16) .. i end
end }
rule{ id = "regex", scope = "article", match = re[[(x+x+)+!]] }
rule{ id = "seconds", scope = "article", match = re[[\w]], extract = function()
  -- few instructions, each a 4 MB memcmp: the instruction budget would take minutes
  local a, b = ("s"):rep(4 << 20), ("s"):rep(4 << 20)
  while true do if a == b then end end
end }
rule{ id = "good", scope = "sentence", match = re[[\bsanctions\b]], extract = function(m) return { s = m.sentence } end }
LUA
printf 'Brussels imposed new sanctions on Russia.\n%s z!\n' "$(head -c 3000 /dev/zero | tr '\0' x)" > "$TMP/x.txt"
expect_status 1 "$LEDE" run -j 1 --max-tokens 5 --max-field-bytes 1K --max-records 3 --max-instructions 2000000 \
  --max-seconds 1 --max-memory 64M --max-regex-match 5000 "$P" "$TMP/x.txt"
cp "$TMP/err" "$TMP/pack.err"
want() { # want RULE TEXT
  if grep -F "lim@1.0.0: rule '$1' on $TMP/x.txt: " "$TMP/pack.err" | grep -qF -- "$2"; then ok
  else fail "rule $1: wanted '$2'"; grep -F "'$1'" "$TMP/pack.err" | head -2 >&2; fi
}
want tokens "token limit hit (more than 5 tokens in one list, --max-tokens)"
want field "field 'big' is "
want field "over the 1024-byte field limit (--max-field-bytes)"
want records "record limit hit (5 records from one call, --max-records)"
want instructions "instruction limit hit (2000000 instructions, --max-instructions)"
want memory "memory limit hit (64 MB, --max-memory)"
want regex "regex match limit hit (5000 backtracking steps, --max-regex-match)"
want seconds "time limit hit (1 s of CPU, --max-seconds)"
expect_eq "$(grep -c '"rule":"good"' "$TMP/out")" 1 "the good rule's record"
expect_eq "$(grep -c '"rule":"' "$TMP/out")" 1 "no record from a rule over a limit"
# the defaults let the same pack's harmless rules through (instructions/memory/regex/time still trip)
expect_status 1 "$LEDE" run -j 1 --max-instructions 2000000 --max-memory 64M --max-seconds 1 "$P" "$TMP/x.txt"
expect_eq "$(grep -c '"rule":"\(tokens\|field\|good\)"' "$TMP/out")" 3 "tokens, field and good under the defaults"
expect_eq "$(grep -c '"rule":"records"' "$TMP/out")" 5 "records under the default"

# ---- a script: --max-field-bytes and --max-records fail that call, the run goes on ----
cat > "$TMP/emit.lua" <<'LUA'
function on_article(a)
  emit{ n = 1 }
  if a.text:find("Brussels") then emit{ text = string.rep(a.text, 100) } end
end
LUA
expect_status 1 "$LEDE" run -j 1 --max-field-bytes 2K "$TMP/emit.lua" "$TMP/small.txt" "$ART"
expect_in "$TMP/err" "small.txt: on_article: "
expect_in "$TMP/err" "emit: field 'text' is "
expect_in "$TMP/err" "over the 2048-byte field limit (--max-field-bytes)"
expect_eq "$(grep -c '"data":{"n":1}' "$TMP/out")" 2 "records before the failing emit, and the other article's"
expect_status 0 "$LEDE" run -j 1 --max-field-bytes 0 "$TMP/emit.lua" "$TMP/small.txt"
printf 'function on_article(a) for i = 1, 4 do emit{ i = i } end end\n' > "$TMP/rec.lua"
expect_status 1 "$LEDE" run -j 1 --max-records 3 "$TMP/rec.lua" "$TMP/small.txt"
expect_in "$TMP/err" "record limit hit (3 records in one call, --max-records)"
printf 'function on_article(a) local t = {} while true do t[#t + 1] = a.text .. #t end end\n' > "$TMP/mem.lua"
expect_status 1 "$LEDE" run -j 1 --max-memory 16M "$TMP/mem.lua" "$TMP/small.txt"
expect_in "$TMP/err" "small.txt: on_article: memory limit hit (16 MB, --max-memory)"
printf 'function on_article(a) local s, t = ("s"):rep(4 << 20), ("s"):rep(4 << 20) while true do local _ = s == t end end\n' > "$TMP/slow.lua"
expect_status 1 "$LEDE" run -j 1 --max-seconds 1 "$TMP/slow.lua" "$TMP/small.txt"
expect_in "$TMP/err" "small.txt: on_article: time limit hit (1 s of CPU, --max-seconds)"
expect_status 0 "$LEDE" run -j 1 --max-seconds 0 "$TMP/n.lua" "$TMP/small.txt"
expect_status 0 "$LEDE" pack check --max-seconds 5 "$P"

# ---- XPath: a.dom:select runs in one C call, where no hook fires; its operations count against
# --max-instructions, its CPU time (on a helper thread) against --max-seconds, and a query that
# does not stop when asked is left to finish on its thread: at most two, then queries are refused.
# 50,000 sibling paragraphs: "//*//p[1]" merges node sets in quadratic time (about 20 s uncapped)
python3 -c 'print("<html><head><title>flat</title></head><body><article>" + "".join("<p>w%d</p>" % i for i in range(50000)) + "</article></body></html>")' > "$TMP/flat.html"
for i in 2 3; do sed "s#<title>flat</title>#<title>flat $i</title>#; s#<p>w0</p>#<p>copy $i</p>#" "$TMP/flat.html" > "$TMP/flat$i.html"; done
printf 'function on_article(a) local r = a.dom:select("//*//p[1]") emit{ n = #r, last = r[#r] and r[#r].xpath } end
' > "$TMP/xp-slow.lua"
printf 'function on_article(a) emit{ n = a.dom and a.dom:select("count(//p[count(//p) > 1])") } end
' > "$TMP/xp-ops.lua"
printf 'function on_article(a) if a.dom then local r = a.dom:select("//p") emit{ n = #r, last = r[#r].xpath } end end
' > "$TMP/xp-ok.lua"
T0=$(date +%s)
expect_status 1 "$LEDE" run -j 1 --max-seconds 1 "$TMP/xp-slow.lua" "$TMP/flat.html" "$TMP/flat2.html" "$TMP/flat3.html"
expect_in "$TMP/err" "flat.html: on_article: time limit hit (1 s of CPU, --max-seconds)"
expect_in "$TMP/err" "flat2.html: on_article: time limit hit (1 s of CPU, --max-seconds)"
expect_in "$TMP/err" "flat3.html: on_article: $TMP/xp-slow.lua:1: query refused: 2 earlier queries that hit the time limit have not stopped yet (--max-seconds)"
expect_in "$TMP/err" "3 articles, 0 records, 3 errors"
expect_eq "$(( $(date +%s) - T0 < 15 ))" 1 "the run ended without waiting for the queries it gave up on"
expect_status 1 "$LEDE" run -j 1 --max-instructions 1000000 "$TMP/xp-ops.lua" "$TMP/flat.html" "$TMP/small.txt"
expect_in "$TMP/err" "flat.html: on_article: instruction limit hit (1000000 instructions, --max-instructions)"
expect_in "$TMP/out" '"data":{}'
# the helper's CPU time adds up over the call: 40 queries of about 0.4 s each (8,000 paragraphs)
python3 -c 'print("<html><body><article>" + "".join("<p>w%d</p>" % i for i in range(8000)) + "</article></body></html>")' > "$TMP/mid.html"
printf 'function on_article(a) local n = 0 for i = 1, 40 do n = n + #a.dom:select("//*//p[1]") end emit{ n = n } end\n' > "$TMP/xp-loop.lua"
expect_status 1 "$LEDE" run -j 1 --max-seconds 1 "$TMP/xp-loop.lua" "$TMP/mid.html"
expect_in "$TMP/err" "mid.html: on_article: time limit hit (1 s of CPU, --max-seconds)"
# ordinary queries on the same page: paths in linear time (xmlGetNodePath's took 7 s)
expect_status 0 "$LEDE" run -j 1 --max-seconds 2 "$TMP/xp-ok.lua" "$TMP/flat.html"
expect_in "$TMP/out" '"data":{"last":"/html/body/article/p[50000]","n":50000}'

# ---- many failing rules on one article: whole lines while they fit, then how many more ----
mkdir -p "$TMP/many/rules"
printf 'return { name = "many", version = "1.0.0", description = "failing rules", rules = { "rules/r.lua" } }\n' > "$TMP/many/pack.lua"
cat > "$TMP/many/rules/r.lua" <<'LUA'
for i = 1, 600 do
  rule{ id = "fail-" .. i, scope = "article", match = re[[\w]],
        extract = function() error(("rule %d fails: "):format(i) .. ("x"):rep(60), 0) end }
end
rule{ id = "good", scope = "article", match = re[[\w]], extract = function() return { ok = true } end }
LUA
expect_status 1 "$LEDE" run -j 1 "$TMP/many" "$TMP/small.txt"
shown=$(grep -c "many@1.0.0: rule 'fail-[0-9]*' on $TMP/small.txt: rule [0-9]* fails: x\{60\}\$" "$TMP/err")
expect_eq "$(( shown > 100 ))" 1 "complete lines for the first failed rules ($shown)"
expect_in "$TMP/err" "$(( 600 - shown )) more rules failed on $TMP/small.txt, 'fail-$(( shown + 1 ))' first (their messages did not fit)"
expect_in "$TMP/out" '"rule":"good","data":{"ok":true}'
expect_in "$TMP/err" "1 articles, 1 records, 1 errors"

# ---- flags: usage errors, and help lists every limit ----
expect_status 2 "$LEDE" run --max-tokens many "$TMP/n.lua" "$TMP/small.txt"
expect_in "$TMP/err" "--max-tokens: 'many' is not a number"
expect_status 2 "$LEDE" run --max-field-bytes 1Q "$TMP/n.lua" "$TMP/small.txt"
expect_status 2 "$LEDE" run --max-seconds soon "$TMP/n.lua" "$TMP/small.txt"
expect_in "$TMP/err" "--max-seconds: 'soon' is not a number"
expect_status 0 "$LEDE" help run
for f in --max-article-bytes --max-dom-depth --max-instructions --max-seconds --max-memory --max-records \
         --max-tokens --max-field-bytes --max-regex-match --max-regex-depth --max-regex-heap --no-limits; do
  expect_in "$TMP/out" "$f"
done
expect_status 0 "$LEDE" help inspect
expect_in "$TMP/out" "--max-dom-depth"
finish
