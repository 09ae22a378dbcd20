# lede run over archives: tar.gz, zip, tar.zst, WARC.gz, WARC, JSONL.gz, directories with globs,
# stdin; -j 2; counts and provenance of every record.
. "$(dirname "$0")/lib.sh"
A=$TMP/arch
python3 "$(dirname "$0")/mkarchives.py" "$DATA" "$A" || { echo "cannot build archives"; exit 1; }
export MANIFEST=$A/manifest.json
S=$TMP/title.lua
printf 'function on_article(a) emit{ title = a.title, url = a.url, published = a.published } end\n' > "$S"

# check FILE N PYTHON-ASSERTS: N records, each with input.path and an article id
check() {
  pyjson '
import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
want=int(sys.argv[2])
assert len(recs)==want, (len(recs), want)
for r in recs:
    assert r["input"]["path"] and len(r["article"]["id"])==16, r
members=sorted(r["input"].get("member") or "" for r in recs)
exec(sys.argv[3])
' "$1" "$2" "$3" && ok || fail "records of $1"
}

expect_status 0 "$LEDE" run -j 2 "$S" "$A/pages.tar.gz"
check "$TMP/out" 8 '
assert "site/o01-iran-tanker-designations.html" in members, members
assert "site/feeds/world.rss#item2" in members, members
assert all(r["input"]["path"].endswith("pages.tar.gz") for r in recs)'
expect_in "$TMP/err" "1 inputs, 8 articles, 8 records, 0 errors"

expect_status 0 "$LEDE" run -j 2 "$S" "$A/pages.zip"
check "$TMP/out" 6 'assert members[0]=="z/ecfr-2020-china-iran.txt", members
assert not any(".hidden" in m for m in members)'

if command -v zstd >/dev/null; then
  zstd -q -f "$A/pages.tar" -o "$A/pages.tar.zst"
  expect_status 0 "$LEDE" run -j 2 "$S" "$A/pages.tar.zst"
  check "$TMP/out" 6 'assert "rd-001.html" in members, members'
else
  echo "SKIP tar.zst case: no zstd command"
fi

# WARC: responses and resources only; WARC-Target-URI, WARC-Date, record ids as members
for w in crawl.warc.gz crawl.warc; do
  expect_status 0 "$LEDE" run -j 2 "$S" "$A/$w"
  check "$TMP/out" 5 '
import os
m=json.load(open(os.environ["MANIFEST"]))
urls=sorted(r["article"]["url"] for r in recs)
assert m["resource"] in urls, urls
assert "https://example.org/news/o02-eu-russia-rollover.html" in urls, urls
assert all(x.startswith("urn:uuid:") for x in members), members
txt=[r for r in recs if r["article"]["url"]==m["resource"]][0]
assert txt["data"]["published"].startswith("2024-03-05"), txt'
  expect_in "$TMP/err" "5 articles"
  expect_in "$TMP/err" "non-documents"
done

expect_status 0 "$LEDE" run -j 2 "$S" "$A/records.jsonl.gz"
check "$TMP/out" 3 'assert members==["line 1","line 2","line 3"], members'

# a mix on one command line, and --ordered keeps input order (the zip and the WARC hold the same
# pages: --keep-duplicates runs them all)
expect_status 0 "$LEDE" run -j 2 --ordered --keep-duplicates "$S" "$A/pages.zip" "$A/crawl.warc.gz" "$A/records.jsonl.gz"
check "$TMP/out" 14 '
paths=[r["input"]["path"].rsplit("/",1)[1] for r in recs]
assert paths==sorted(paths, key=["pages.zip","crawl.warc.gz","records.jsonl.gz"].index), paths
zm=[r["input"]["member"] for r in recs if r["input"]["path"].endswith("zip")]
assert zm==sorted(zm), zm'

# directories with --include / --exclude (globs match walked files and archive members)
mkdir -p "$TMP/tree/a/b"
cp "$DATA"/articles/*.html "$TMP/tree/a/"
cp "$DATA/articles/ecfr-2020-china-iran.txt" "$TMP/tree/a/b/"
cp "$A/pages.zip" "$TMP/tree/"
expect_status 0 "$LEDE" run -j 2 "$S" --include '*.html' "$TMP/tree"
check "$TMP/out" 4 'assert all(r["input"]["path"].endswith(".html") for r in recs)'
expect_status 0 "$LEDE" run -j 2 "$S" --exclude 'rd-*' --exclude '*.zip' "$TMP/tree"
check "$TMP/out" 4 'assert not any("rd-001" in r["input"]["path"] for r in recs)'
expect_status 0 "$LEDE" run -j 2 "$S" --include '*.zip' --include 'z/o0*' "$TMP/tree"
check "$TMP/out" 2 'assert members==["z/o01-iran-tanker-designations.html","z/o02-eu-russia-rollover.html"], members'

# stdin: JSONL and WARC.gz (the Hadoop Streaming / Spark pipe() shape)
expect_status 0 sh -c "zcat '$A/records.jsonl.gz' | '$LEDE' run -j 2 '$S' -"
check "$TMP/out" 3 'assert all(r["input"]["path"]=="-" for r in recs)'
expect_status 0 sh -c "'$LEDE' run -j 2 '$S' - < '$A/crawl.warc.gz'"
check "$TMP/out" 5 'assert all(x.startswith("urn:uuid:") for x in members)'

# many inputs at -j 2 give the same records as -j 1
"$LEDE" run -j 1 "$S" "$A/many.warc.gz" "$A/many.jsonl.gz" 2>/dev/null | sort > "$TMP/j1"
"$LEDE" run -j 2 "$S" "$A/many.warc.gz" "$A/many.jsonl.gz" 2>/dev/null | sort > "$TMP/j2"
expect_eq "$(wc -l < "$TMP/j1")" 800 "records at -j 1"
cmp -s "$TMP/j1" "$TMP/j2" && ok || fail "-j 2 differs from -j 1"
finish
