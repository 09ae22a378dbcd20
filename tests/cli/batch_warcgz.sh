# WARC.gz files are cut into runs of gzip members that the workers inflate (host/input/warcgz.c).
# However the members are packed — a record over two members, stored (uncompressed) members with
# gzip-looking bytes inside, one member for the whole file, a member longer than a chunk, a
# garbled member, junk at the end — every record comes out exactly once, as from the plain WARC.
. "$(dirname "$0")/lib.sh"
A=$TMP/arch
python3 "$(dirname "$0")/mkarchives.py" "$DATA" "$A" >/dev/null || { echo "cannot build archives"; exit 1; }
python3 "$(dirname "$0")/mkwarcgz.py" "$A/crawl.warc" "$A" || { echo "cannot build WARC.gz files"; exit 1; }
S=$TMP/member.lua
printf 'function on_article(a) emit{ url = a.url } end\n' > "$S"

# members FILE: the sorted input.member of every record
members() { pyjson 'import json,sys; print("\n".join(sorted(json.loads(l)["input"]["member"] for l in open(sys.argv[1]))))' "$1"; }

expect_status 0 "$LEDE" run -j 2 "$S" "$A/crawl.warc"
members "$TMP/out" > "$TMP/want"
n=$(wc -l < "$TMP/want")
[ "$n" -ge 5 ] && ok || fail "plain WARC gave $n records"

for f in split stored one big; do
  for j in 1 2; do
    expect_status 0 "$LEDE" run -j $j "$S" "$A/$f.warc.gz"
    members "$TMP/out" > "$TMP/got"
    cmp -s "$TMP/want" "$TMP/got" && ok || { fail "$f.warc.gz -j $j: records differ from the plain WARC"; diff "$TMP/want" "$TMP/got" | head; }
    expect_in "$TMP/err" " 0 errors"
  done
  # the same bytes through stdin take the streaming reader: same records
  expect_status 0 sh -c "'$LEDE' run -j 2 '$S' - < '$A/$f.warc.gz'"
  members "$TMP/out" > "$TMP/got"
  cmp -s "$TMP/want" "$TMP/got" && ok || fail "$f.warc.gz on stdin: records differ"
done

# a garbled member loses its own record only, and says where it is
expect_status 1 "$LEDE" run -j 2 "$S" "$A/corrupt.warc.gz"
members "$TMP/out" > "$TMP/got"
lost=$(comm -23 "$TMP/want" "$TMP/got" | wc -l)
extra=$(comm -13 "$TMP/want" "$TMP/got" | wc -l)
expect_eq "$lost/$extra" "1/0" "records lost/added by one garbled member"
bad=$(cat "$A/corrupt.txt")
grep -q "$bad" "$TMP/out" && fail "the garbled record came out" || ok
expect_in "$TMP/err" "corrupt.warc.gz [gzip member at byte"
expect_in "$TMP/err" "corrupt gzip member at byte"
expect_in "$TMP/err" " 1 errors"

# junk after the last member: every record, and an error naming the byte
expect_status 1 "$LEDE" run -j 2 "$S" "$A/trailing.warc.gz"
members "$TMP/out" > "$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && ok || fail "trailing.warc.gz: records differ"
expect_in "$TMP/err" "not gzip data at byte"

# records of a split file go to SQLite one unit each: a resumed run finds all of them done
expect_status 0 "$LEDE" run -j 2 "$S" "$A/split.warc.gz" -o "$TMP/r.sqlite"
expect_status 0 "$LEDE" run -j 2 --resume "$S" "$A/split.warc.gz" -o "$TMP/r.sqlite"
expect_in "$TMP/err" " 0 articles"
got=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from records").fetchone()[0])' "$TMP/r.sqlite")
expect_eq "$got" "$n" "records in SQLite after a resumed run"
finish
