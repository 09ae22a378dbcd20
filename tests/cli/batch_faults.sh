# lede run faults: corrupt and truncated archives stop only that file; kill -9 then --resume
# equals an uninterrupted run; SIGINT finishes what is in flight and exits 130.
. "$(dirname "$0")/lib.sh"
A=$TMP/arch
python3 "$(dirname "$0")/mkarchives.py" "$DATA" "$A" || { echo "cannot build archives"; exit 1; }
printf 'function on_article(a) emit{ title = a.title } end\n' > "$TMP/t.lua"

# ---- corrupt and truncated inputs ----
size=$(wc -c < "$A/crawl.warc.gz")
head -c $((size * 2 / 3)) "$A/crawl.warc.gz" > "$TMP/cut.warc.gz"
size=$(wc -c < "$A/pages.tar.gz")
head -c $((size / 2)) "$A/pages.tar.gz" > "$TMP/cut.tar.gz"
python3 - "$A/pages.zip" "$TMP/bad.zip" <<'PY'
import sys
b=bytearray(open(sys.argv[1],"rb").read())
i=b.find(b"o01-iran")          # garble the deflated data right after a member's name
for k in range(i+80, i+400): b[k]^=0x5a
open(sys.argv[2],"wb").write(b)
PY
printf 'WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>short' > "$TMP/short.warc"
printf 'not gzip at all' > "$TMP/fake.jsonl.gz"
expect_status 1 "$LEDE" run -j 2 "$TMP/t.lua" "$TMP/cut.warc.gz" "$TMP/cut.tar.gz" "$TMP/bad.zip" \
  "$TMP/short.warc" "$A/records.jsonl.gz"
expect_in "$TMP/err" "cut.warc.gz"
expect_in "$TMP/err" "cut.tar.gz"
expect_in "$TMP/err" "bad.zip [z/o01-iran-tanker-designations.html]"
expect_in "$TMP/err" "short.warc"
expect_in "$TMP/err" "truncated WARC record"
# what could be read still ran: the first WARC records, the tar's first members, the JSONL
n=$(grep -c '"input"' "$TMP/out")
[ "$n" -ge 6 ] && ok || fail "only $n records from the readable parts"
expect_eq "$(grep -c records.jsonl.gz "$TMP/out")" 3 "later inputs still read"
pyjson 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/out" && ok || fail "valid JSONL"

# wait_rows FILE: until FILE (JSONL or SQLite) holds some results, at most 20 s
wait_rows() {
  for _ in $(seq 200); do
    if [ "${1##*.}" = sqlite ]; then
      python3 -c 'import sqlite3,sys; sys.exit(sqlite3.connect(sys.argv[1]).execute("select count(*) from inputs").fetchone()[0]==0)' "$1" 2>/dev/null && return
    else
      [ -s "$1" ] && return
    fi
    sleep 0.1
  done
}

# ---- kill -9 at some moment, then --resume: equals an uninterrupted run ----
cat > "$TMP/slow.lua" <<'LUA'
function on_article(a)
  local x = 0
  for i = 1, 1500000 do x = x + i % 7 end
  emit{ title = a.title, n = #a.text }
end
LUA
IN="$A/many.warc.gz $A/many.jsonl.gz"
expect_status 0 "$LEDE" run -j 2 "$TMP/slow.lua" $IN -o "$TMP/ref.sqlite"
dump() { # the run's content, without run ids and row ids
  pyjson '
import sqlite3,sys
db=sqlite3.connect(sys.argv[1])
for t,q in (("a","select input_path,input_member,item,id,url,title,content_hash,duplicate_of,status from articles"),
            ("r","select a.input_path,a.input_member,a.item,r.article_id,r.data,r.title,r.n from records r join articles a on a.rowid=r.article_rowid"),
            ("i","select key,path,member,articles,error from inputs"),
            ("e","select input_path,input_member,message from errors")):
    for row in sorted(map(repr, db.execute(q))): print(t, row)
' "$1"
}
dump "$TMP/ref.sqlite" > "$TMP/ref.txt"
expect_eq "$(grep -c '^a ' "$TMP/ref.txt")" 800 "articles in the uninterrupted run"
killed=0
for delay in 0.5 0 1.0 0.2; do
  rm -f "$TMP/k.sqlite" "$TMP/k.sqlite-wal" "$TMP/k.sqlite-shm"
  "$LEDE" run -j 2 "$TMP/slow.lua" $IN -o "$TMP/k.sqlite" 2>/dev/null &
  pid=$!
  wait_rows "$TMP/k.sqlite"
  sleep $delay
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  got=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from inputs").fetchone()[0])' "$TMP/k.sqlite" 2>/dev/null || echo 0)
  if [ "$got" -gt 0 ] && [ "$got" -lt 800 ]; then killed=1; break; fi
done
[ $killed = 1 ] && ok || fail "could not kill the run part-way (got $got inputs)"
expect_status 0 "$LEDE" run -j 2 --resume "$TMP/slow.lua" $IN -o "$TMP/k.sqlite"
expect_in "$TMP/err" "inputs done before"
dump "$TMP/k.sqlite" > "$TMP/k.txt"
if cmp -s "$TMP/ref.txt" "$TMP/k.txt"; then ok; else fail "resumed run differs"; diff "$TMP/ref.txt" "$TMP/k.txt" | head -5 >&2; fi
pyjson '
import sqlite3,sys
db=sqlite3.connect(sys.argv[1])
runs=db.execute("select status from runs order by id").fetchall()
assert len(runs)==2 and runs[0][0]=="running" and runs[1][0]=="complete", runs
assert db.execute("select count(*) from (select input_path,input_member,item from articles group by 1,2,3 having count(*)>1)").fetchone()[0]==0
' "$TMP/k.sqlite" && ok || fail "runs table after resume"
# a resumed run with another script is refused
expect_status 3 "$LEDE" run --resume "$TMP/t.lua" $IN -o "$TMP/k.sqlite"
expect_in "$TMP/err" "--resume continues the same script"

# ---- SIGINT: in-flight articles finish, output flushed, summary, exit 130; then resume ----
"$LEDE" run -j 2 "$TMP/slow.lua" $IN -o "$TMP/i.jsonl" 2>"$TMP/i.err" &
pid=$!
wait_rows "$TMP/i.jsonl"
kill -INT $pid
wait $pid
expect_eq "$?" 130 "exit status after SIGINT"
expect_in "$TMP/i.err" "interrupted"
expect_in "$TMP/i.err" "articles,"
n=$(wc -l < "$TMP/i.jsonl")
[ "$n" -gt 0 ] && [ "$n" -lt 800 ] && ok || fail "interrupted run wrote $n records"
pyjson 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/i.jsonl" && ok || fail "interrupted JSONL has a broken line"
"$LEDE" run -j 2 "$TMP/slow.lua" $IN -o "$TMP/i.sqlite" 2>/dev/null &
pid=$!
wait_rows "$TMP/i.sqlite"
kill -TERM $pid
wait $pid
expect_eq "$?" 143 "exit status after SIGTERM"
expect_eq "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select status from runs").fetchone()[0])' "$TMP/i.sqlite")" interrupted "runs.status"
expect_status 0 "$LEDE" run -j 2 --resume "$TMP/slow.lua" $IN -o "$TMP/i.sqlite"
dump "$TMP/i.sqlite" > "$TMP/i.txt"
cmp -s "$TMP/ref.txt" "$TMP/i.txt" && ok || fail "interrupted + resumed run differs"
finish
