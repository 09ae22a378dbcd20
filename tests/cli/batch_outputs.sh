# lede run outputs: SQLite schema and content, CSV (RFC 4180), shards, duplicates.
. "$(dirname "$0")/lib.sh"
A=$TMP/arch
python3 "$(dirname "$0")/mkarchives.py" "$DATA" "$A" || { echo "cannot build archives"; exit 1; }
S=$TMP/rec.lua
cat > "$S" <<'LUA'
function on_article(a)
  if a.title == "Harbour fees to rise in April" then error("refusing this one") end
  emit{ title = a.title, words = select(2, a.text:gsub("%S+", "")), quoted = 'say "hi", then\nleave',
        tags = { "x", "y" }, rule = "clash" }
end
LUA

# ---- SQLite ----
expect_status 1 "$LEDE" run -j 2 "$S" "$A/pages.tar.gz" "$A/crawl.warc.gz" -o "$TMP/r.sqlite"
expect_in "$TMP/err" "pages.tar.gz [site/feeds/world.rss#item2]: on_article:"
pyjson '
import sqlite3,sys,json
db=sqlite3.connect(sys.argv[1])
tables={r[0] for r in db.execute("select name from sqlite_master where type=\"table\"")}
assert {"runs","inputs","articles","records","errors"} <= tables, tables
idx={r[0] for r in db.execute("select sql from sqlite_master where type=\"index\"") if r[0]}
assert any("articles(id)" in i for i in idx) and any("records(rule)" in i for i in idx) and any("(published)" in i for i in idx), idx
run=db.execute("select command, script, lede_version, started, finished, status, articles, records, errors, duplicates from runs").fetchall()
assert len(run)==1 and run[0][1]=="rec.lua" and run[0][5]=="complete" and "lede run" in run[0][0], run
cols=[r[1] for r in db.execute("pragma table_info(records)")]
assert {"title","words","quoted","tags","data_rule"} <= set(cols), cols
# 8 articles in the tar (one fails), 5 in the WARC of which 5 are copies of tar pages
arts=db.execute("select status, count(*) from articles group by status").fetchall()
assert dict(arts)=={"done":7,"failed":1,"duplicate":5}, arts
dups=db.execute("select a.duplicate_of, b.id from articles a join articles b on a.content_hash=b.content_hash and b.duplicate_of is null where a.status=\"duplicate\"").fetchall()
assert len(dups)==5 and all(x==y for x,y in dups), dups
n=db.execute("select count(*) from records").fetchone()[0]
assert n==7==run[0][7], (n, run)
r=db.execute("select r.title, r.words, r.tags, r.data_rule, a.input_path, a.input_member, a.url from records r join articles a on a.rowid=r.article_rowid where a.input_member like \"%o02%\"").fetchone()
assert r[0].startswith("EU rolls over") and r[1]>50 and json.loads(r[2])==["x","y"] and r[3]=="clash", r
assert r[4].endswith("pages.tar.gz") and r[5]=="site/o02-eu-russia-rollover.html", r
err=db.execute("select input_path, input_member, article_id, message from errors").fetchall()
assert len(err)==1 and err[0][1]=="site/feeds/world.rss#item2" and "refusing this one" in err[0][3], err
inputs=db.execute("select count(*) from inputs").fetchone()[0]
assert inputs==12, inputs
' "$TMP/r.sqlite" && ok || fail "sqlite content"
# without --resume an existing database is refused, not mixed
expect_status 3 "$LEDE" run -j 2 "$S" "$A/pages.zip" -o "$TMP/r.sqlite"
expect_in "$TMP/err" "already holds a run"
expect_status 2 "$LEDE" run --resume "$S" "$A/pages.zip" -o "$TMP/x.jsonl"
expect_in "$TMP/err" "--resume needs SQLite"

# ---- CSV ----
expect_status 1 "$LEDE" run -j 2 --format csv "$S" "$A/pages.tar.gz"
pyjson '
import csv,sys
raw=open(sys.argv[1],newline="").read()
assert "\r\n" in raw
rows=list(csv.reader(open(sys.argv[1],newline="")))
head=rows[0]
assert head[:8]==["input_path","input_member","article_id","url","title","published","source","rule"], head
assert "data.title" in head and "quoted" in head and "tags" in head, head
assert len(rows)==1+7, len(rows)
q=head.index("quoted")
assert all(r[q]=="say \"hi\", then\nleave" for r in rows[1:]), rows[1]
assert all(len(r)==len(head) for r in rows)
' "$TMP/out" && ok || fail "csv"
expect_status 1 "$LEDE" run -j 2 "$S" "$A/pages.tar.gz" -o "$TMP/r.csv"
expect_eq "$(head -c 10 "$TMP/r.csv")" "input_path" "-o x.csv writes CSV"

# ---- shards: the union of K/N is the whole, and they are disjoint ----
printf 'function on_article(a) emit{ id = a.id } end\n' > "$TMP/id.lua"
"$LEDE" run -j 2 "$TMP/id.lua" "$A/many.jsonl.gz" "$A/many.warc.gz" 2>/dev/null | sort > "$TMP/all"
: > "$TMP/union"
for k in 1 2 3; do
  expect_status 0 "$LEDE" run -j 2 --shard $k/3 "$TMP/id.lua" "$A/many.jsonl.gz" "$A/many.warc.gz"
  expect_in "$TMP/err" "in other shards"
  n=$(wc -l < "$TMP/out")
  [ "$n" -gt 150 ] && [ "$n" -lt 400 ] && ok || fail "shard $k/3 has $n of 800"
  cat "$TMP/out" >> "$TMP/union"
done
sort "$TMP/union" > "$TMP/union.s"
expect_eq "$(wc -l < "$TMP/all")" 800 "whole run"
cmp -s "$TMP/all" "$TMP/union.s" && ok || fail "union of shards differs from the whole run"
expect_eq "$(sort -u "$TMP/union.s" | wc -l)" 800 "shards are disjoint"
expect_status 2 "$LEDE" run --shard 4/3 "$TMP/id.lua" "$A/many.jsonl.gz"

# ---- duplicates: the same pages in a zip, a tar and a WARC are run once ----
expect_status 0 "$LEDE" run -j 2 "$TMP/id.lua" "$A/pages.zip" "$A/pages.tar" "$A/crawl.warc.gz"
expect_eq "$(wc -l < "$TMP/out")" 6 "one record per distinct body"
expect_in "$TMP/err" "11 duplicates"
expect_status 0 "$LEDE" run -j 2 --keep-duplicates "$TMP/id.lua" "$A/pages.zip" "$A/pages.tar" "$A/crawl.warc.gz"
expect_eq "$(wc -l < "$TMP/out")" 17 "--keep-duplicates runs all"
finish
