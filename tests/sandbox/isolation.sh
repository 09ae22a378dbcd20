# Isolation between packs and between articles (docs/packs.md, "State"): one pack cannot read
# or change another pack's globals, modules, article table or stdlib objects; a global a pack
# assigns while handling one article is gone for the next, while what its rule files built at
# load time (its on_start state) stays. A plain script's globals do persist (its own state).
. "$(dirname "$0")/../cli/lib.sh"
SB=$(cd "$(dirname "$0")" && pwd)
ART=$SB/data/article.txt
printf 'Tehran said on Tuesday that the new sanctions on Iran were illegal.\n' > "$TMP/second.txt"

expect_status 0 "$LEDE" run -j 1 --ordered "$SB/isolation" "$ART" "$TMP/second.txt"
cp "$TMP/out" "$TMP/run.out"
expect_eq "$(grep -c '"rule":"writer"' "$TMP/run.out")" 2 "the writer ran on both articles"
pyjson '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
readers = [r["data"] for r in recs if r["rule"] == "reader"]
seconds = [r["data"] for r in recs if r["rule"] == "reader-second"]
assert len(readers) == 2 and len(seconds) == 2, (readers, seconds)
for i, d in enumerate(readers):
    # nothing the other pack wrote into its article table reached this one
    assert d["title"] == "nil" and d["injected"] == "nil" and d["raw"] == "nil", d
    assert d["token1"] != "poison" and d["sentence1"] != "poison" and d["paragraphs"] >= 1, d
    # nor its globals (load-time or per-article), nor its stdlib objects
    assert d["secret"] == "nil" and d["secret2"] == "nil" and d["secret3"] == "nil", d
    assert d["shared_table"] == "nil", d
    assert d["iran"] == "Iran", d
    # per article: the previous article'"'"'s global is gone, the load-time one is back
    assert d["previous"] == "nil" and d["mode"] == "load", d
    # the load-time table is the pack'"'"'s state on purpose: it counts articles (-j 1)
    assert d["counter"] == i + 1, d
for d in seconds:
    assert d["mine"] == "reader", d  # a pack'"'"'s own rules share its table within an article
' "$TMP/run.out" && ok || fail "isolation records"

# the same holds with several workers: every worker has its own state, none leaks
expect_status 0 "$LEDE" run -j 2 --keep-duplicates "$SB/isolation" "$ART" "$TMP/second.txt" "$ART"
expect_eq "$(grep -c '"title":"nil","token1"' "$TMP/out")" 3 "-j 2: no article saw the other pack's writes"
expect_not_in "$TMP/out" "poison"
expect_not_in "$TMP/out" "other-secret"

# a plain script keeps its globals across articles: that is its on_start state, by design
cat > "$TMP/count.lua" <<'LUA'
function on_start() n = 0 end
function on_article(a) n = n + 1; last = a.text:sub(1, 5); emit{ n = n } end
LUA
expect_status 0 "$LEDE" run -j 1 --ordered "$TMP/count.lua" "$ART" "$TMP/second.txt"
expect_eq "$(grep -o '"n":[0-9]*' "$TMP/out" | tr '\n' ' ')" '"n":1 "n":2 ' "a script's globals persist"
finish
