# lede run: records, errors that skip one article, syntax errors, summary and exit codes.
. "$(dirname "$0")/lib.sh"
S=$DATA/scripts

# -j 1: one worker, so one Lua state and one on_start/on_finish (each worker has its own)
expect_status 0 "$LEDE" run -j 1 "$S/count.lua" "$DATA/articles/o02-eu-russia-rollover.html"
expect_eq "$(wc -l < "$TMP/out")" 3 "records for start + 1 article + finish"
pyjson '
import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
r=recs[1]
assert set(r)=={"input","article","script","data"}, r.keys()
assert r["input"]["path"].endswith("o02-eu-russia-rollover.html"), r["input"]
assert r["article"]["title"].startswith("EU rolls over Russia"), r["article"]
assert r["article"]["published"].startswith("2025-01-27"), r["article"]
assert len(r["article"]["id"])==16
assert r["script"]=="count.lua"
assert r["data"]["paragraphs"]>=5, r["data"]
assert recs[0]["data"]=={"event":"start"} and recs[0]["article"] is None
assert recs[2]["data"]=={"event":"finish","articles":1}
' "$TMP/out" && ok || fail "record shape"
expect_in "$TMP/err" "1 articles, 3 records, 0 errors"

# -o FILE, directories, several inputs
expect_status 0 "$LEDE" run "$S/count.lua" -o "$TMP/recs.jsonl" "$DATA/articles" "$DATA/feeds/world.rss"
expect_eq "$(wc -c < "$TMP/out")" 0 "stdout when -o is given"
n=$(grep -c '"title"' "$TMP/recs.jsonl")
[ "$n" -ge 8 ] && ok || fail "expected >= 8 article records, got $n"

# a runtime error fails that article only; exit 1; traceback names the script line
expect_status 1 "$LEDE" run "$S/fails_on_feed.lua" "$DATA/feeds/world.rss" "$DATA/articles/o01-iran-tanker-designations.html"
expect_in "$TMP/err" "world.rss [item1]: on_article:"
expect_in "$TMP/err" "fails_on_feed.lua:5:"
expect_in "$TMP/err" "stack traceback"
expect_in "$TMP/err" "3 articles, 1 records, 2 errors"
expect_eq "$(wc -l < "$TMP/out")" 1 "records from the good article"

# syntax error: file:line, exit 2, before any input is read (the input does not exist)
expect_status 2 "$LEDE" run "$S/syntax_error.lua" /nonexistent/input
expect_in "$TMP/err" "syntax_error.lua:3:"
expect_not_in "$TMP/err" "nonexistent"
expect_status 2 "$LEDE" run "$S/no_on_article.lua" "$DATA/articles"
expect_in "$TMP/err" "defines no on_article"
expect_status 2 "$LEDE" run /nonexistent/script.lua "$DATA/articles"
expect_in "$TMP/err" "cannot open /nonexistent/script.lua"

# unreadable inputs are reported, the rest still runs
expect_status 1 "$LEDE" run "$S/count.lua" /nonexistent/input "$DATA/articles/o02-eu-russia-rollover.html"
expect_in "$TMP/err" "/nonexistent/input: No such file or directory"
expect_eq "$(grep -c '"title"' "$TMP/out")" 1 "good input still processed"

# stdin
expect_status 0 sh -c "\"$LEDE\" run \"$S/count.lua\" - < \"$DATA/feeds/notes.atom\""
expect_eq "$(grep -c '"title"' "$TMP/out")" 2 "atom entries from stdin"

# script args
printf 'function on_article(a) emit{ v = args.level } end\n' > "$TMP/args.lua"
expect_status 0 "$LEDE" run --arg level=3 "$TMP/args.lua" "$DATA/json/record.json"
expect_in "$TMP/out" '"data":{"v":"3"}'

# unwritable output: fatal, exit 3
expect_status 3 "$LEDE" run "$S/count.lua" -o /nonexistent/dir/x.jsonl "$DATA/articles"
expect_in "$TMP/err" "cannot write /nonexistent/dir/x.jsonl"

# a.dom: XPath strings, node tables, scalars; refused after the article's call
expect_status 0 "$LEDE" run -j 1 "$S/dom.lua" "$DATA/articles/o02-eu-russia-rollover.html"
pyjson '
import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
d=recs[0]["data"]
assert d["h1_tag"]=="h1" and d["h1"].startswith("EU rolls over"), d
assert d["sidebar"][0]=="Lithuania to fence off Belarus border crossings", d["sidebar"]
assert d["hrefs"]==["/a/1","/a/2","/a/3"], d["hrefs"]
assert d["n"]>=10, d
f=recs[1]["data"]
assert f["late_ok"] is False and "no longer current" in f["late_err"], f
' "$TMP/out" && ok || fail "dom records"
finish
