# Fault suite, inputs: truncated and corrupt gzip/zstd/tar/zip/WARC, wrong extensions, binary
# and empty files, 10,000-deep nesting, invalid and overlong UTF-8, NUL bytes, mixed encodings.
# lede must not crash or hang: each bad input is reported by name (or read as far as it goes),
# the exit status is 1 (some inputs failed), the JSONL stays valid UTF-8, and the records of the
# good inputs equal those of a clean run over the good inputs alone.
# (Truncated .warc.gz / .tar.gz, a garbled zip member and a short WARC record are in
# tests/cli/batch_faults.sh; not repeated here.)
. "$(dirname "$0")/../cli/lib.sh"
G=$TMP/good B=$TMP/bad
mkdir -p "$G" "$B"
for f in o01-iran-tanker-designations.html o02-eu-russia-rollover.html fox-2010-bushehr-fuel.html \
         ecfr-2020-china-iran.txt globalnews-2025-trofimov.md; do cp "$DATA/articles/$f" "$G/"; done
cat > "$TMP/t.lua" <<'LUA'
function on_article(a)
  emit{ title = a.title, chars = #a.text, words = lede.text.count_words(a.text),
        head = a.text:sub(1, 60), paragraphs = #a.paragraphs, dropped = a.dropped }
end
LUA
# --keep-duplicates: bad inputs hold copies of the good articles, and which copy counts as the
# first would depend on the workers' timing
expect_status 0 "$LEDE" run -j 2 --keep-duplicates "$TMP/t.lua" "$G" -o "$TMP/ref.jsonl"
HTML=$G/o01-iran-tanker-designations.html

# ---- compressed and archived inputs, cut short or garbled ----
cut_half() { head -c $(( $(wc -c < "$1") / 2 )) "$1" > "$2"; }
flip() { # flip FILE OUT FROM: garble 200 bytes from offset FROM
  python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); o=int(sys.argv[3])
for k in range(o, min(o+200, len(b))): b[k] ^= 0x5a
open(sys.argv[2],"wb").write(b)' "$1" "$2" "$3"; }
gzip -c "$HTML" > "$TMP/page.html.gz"
cut_half "$TMP/page.html.gz" "$B/cut.html.gz"
flip "$TMP/page.html.gz" "$B/garbled.html.gz" 100
have_zstd=0
if command -v zstd >/dev/null; then
  have_zstd=1
  tar -C "$G" -cf - . | zstd -q -c > "$TMP/pages.tar.zst"
  cut_half "$TMP/pages.tar.zst" "$B/cut.tar.zst"
  zstd -q -c "$HTML" > "$TMP/page.html.zst"
  flip "$TMP/page.html.zst" "$B/garbled.html.zst" 40
fi
tar -C "$G" -cf "$TMP/pages.tar" .
cut_half "$TMP/pages.tar" "$B/cut.tar"
flip "$TMP/pages.tar" "$B/badheader.tar" 0            # the first member's header
(cd "$G" && zip -q "$TMP/pages.zip" ./*)
cut_half "$TMP/pages.zip" "$B/cut.zip"                 # the central directory is gone
head -c 100 "$TMP/pages.zip" > "$B/stub.zip"
printf 'WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x.test/a\r\nContent-Length: lots\r\n\r\n<p>x</p>\r\n\r\n' > "$B/badlength.warc"
{ printf 'WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x.test/b\r\nContent-Type: text/html\r\nContent-Length: 61\r\n\r\n'
  printf '<html><body><p>A record before the garbage.</p></body></html>\r\n\r\n'
  python3 -c 'import random,sys; r=random.Random(3); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(3000)))'; } > "$B/garbage-after.warc"
printf 'WARC/1.0\r\nWARC-Type: resource\r\n' | gzip -c > "$B/headers-only.warc.gz"

# ---- wrong extensions, binary and empty files ----
cp "$TMP/pages.zip" "$B/zip-named.html"
cp "$HTML" "$B/html-named.json"
cp "$TMP/page.html.gz" "$B/gzip-named.txt"
cp "$TMP/pages.tar" "$B/tar-named.jsonl"
printf '{"title": "Half a JSON' > "$B/broken.json"
# fixed-seed bytes: the same input on every run, so a failure can be reproduced
python3 -c 'import random,sys; r=random.Random(sys.argv[2]); open(sys.argv[1],"wb").write(bytes(r.getrandbits(8) for _ in range(65536)))' "$B/random.bin" 1
python3 -c 'import random,sys; r=random.Random(sys.argv[2]); open(sys.argv[1],"wb").write(bytes(r.getrandbits(8) for _ in range(65536)))' "$B/random.html" 2
# random bytes that happen to start with "<" (one file in 256 does) are sniffed as HTML: still junk
python3 -c 'import random,sys; r=random.Random(sys.argv[2]); open(sys.argv[1],"wb").write(b"<" + bytes(r.getrandbits(8) for _ in range(65535)))' "$B/random-lt.bin" 4
cp /bin/true "$B/program.txt"
: > "$B/empty.html"; : > "$B/empty.json"; : > "$B/empty.warc"; : > "$B/empty.jsonl"; : > "$B/empty.tar.gz"

# ---- 10,000-deep nesting ----
python3 - "$B" <<'PY'
import sys, os
d = sys.argv[1]
n = 10000
open(os.path.join(d, "deep.html"), "w").write("<html><body><p>Text before the nesting.</p>" + "<div>" * n + "deep" + "</div>" * n + "</body></html>")
open(os.path.join(d, "deep-unclosed.html"), "w").write("<p>Opened and never closed." + "<span><b>" * n)
open(os.path.join(d, "deep.json"), "w").write('{"title": "Deep", "text": "Body.", "x": ' + "[" * n + "]" * n + "}")
open(os.path.join(d, "deep.jsonl"), "w").write('{"text": "fine line"}\n' + '{"text": ' + "[" * n + "]" * n + "}\n")
open(os.path.join(d, "deep.rss"), "w").write('<?xml version="1.0"?><rss><channel><title>t</title><item><title>Deep item</title><description>' + "<x>" * n + "</x>" * n + "</description></item></channel></rss>")
open(os.path.join(d, "deep.md"), "w").write("> " * n + "quoted\n\nA paragraph after the quotes.\n")
PY

# ---- invalid and overlong UTF-8, NUL bytes, mixed encodings ----
python3 - "$B" <<'PY'
import sys, os
d = sys.argv[1]
bad = b"\xff\xfe \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80 \xf4\x90\x80\x80 \x80\xbf"
page = lambda body, head=b"": b"<html><head>" + head + b"<title>T " + body + b"</title></head><body><p>Sanctions were imposed, " + body + b" it said.</p><p>Second paragraph " + body + b".</p></body></html>"
open(os.path.join(d, "invalid-utf8.html"), "wb").write(page(bad, b'<meta charset="utf-8">'))
open(os.path.join(d, "invalid-utf8.txt"), "wb").write(b"A title\n\nSanctions were imposed " + bad + b" today.\n")
open(os.path.join(d, "invalid-utf8.jsonl"), "wb").write(b'{"title": "J", "text": "Body ' + bad + b' end."}\n')
open(os.path.join(d, "nul.html"), "wb").write(page(b"with\x00NUL\x00bytes"))
open(os.path.join(d, "nul.txt"), "wb").write(b"Title\n\nA body\x00with a NUL byte.\n")
open(os.path.join(d, "nul.jsonl"), "wb").write(b'{"text": "escaped \\u0000 NUL"}\n{"text": "raw \x00 NUL"}\n')
latin = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00bd".encode("latin-1")
utf8 = "Caf\u00e9 \u201csmart\u201d \u20ac".encode("utf-8")
open(os.path.join(d, "mixed-declared-utf8.html"), "wb").write(page(utf8 + b" " + latin, b'<meta charset="utf-8">'))
open(os.path.join(d, "mixed-declared-1252.html"), "wb").write(page(latin + b" " + utf8, b'<meta charset="windows-1252">'))
open(os.path.join(d, "mixed.txt"), "wb").write(b"Title " + utf8 + b"\n\n" + latin + b" and " + utf8 + b"\n")
open(os.path.join(d, "utf16.html"), "wb").write("\ufeff<html><body><p>UTF-16 page with \u00e9.</p></body></html>".encode("utf-16-le"))
PY

# ---- the run: good and bad together ----
expect_status 1 "$LEDE" run -j 2 --keep-duplicates "$TMP/t.lua" "$G" "$B" -o "$TMP/all.jsonl"
cp "$TMP/err" "$TMP/all.err"
# every record is valid JSON in valid UTF-8; the good inputs' records equal the clean run's
pyjson '
import json, sys
good, ref, all_ = sys.argv[1], sys.argv[2], sys.argv[3]
def load(p):
    out = []
    for line in open(p, "rb"):
        line.decode("utf-8")                      # strict: no invalid UTF-8 reaches the output
        out.append(json.loads(line))
    return out
key = lambda r: json.dumps(r, sort_keys=True)
r = sorted(map(key, load(ref)))
a = sorted(key(x) for x in load(all_) if x["input"]["path"].startswith(good + "/"))
assert r == a, ("good records differ", len(r), len(a))
assert len(r) == 5, len(r)
' "$G" "$TMP/ref.jsonl" "$TMP/all.jsonl" && ok || fail "good records with bad inputs beside them"
reported() { for f in "$@"; do expect_in "$TMP/all.err" "$B/$f"; done; }
reported cut.html.gz garbled.html.gz cut.tar badheader.tar cut.zip stub.zip badlength.warc \
  headers-only.warc.gz garbage-after.warc random.bin random-lt.bin broken.json program.txt
# a document extension on an archive or compressed file: the bytes decide (zip-named.html and
# gzip-named.txt give their articles below); for JSON/JSONL the extension decides, and the
# message says what was wrong
reported html-named.json tar-named.jsonl
expect_in "$TMP/all.err" "html-named.json: invalid JSON at line 1 column 1"
# jansson's own depth limit (2048) refuses 10,000-deep JSON with a message; NUL bytes make a
# text "binary"; JSON with invalid UTF-8 or NUL characters is refused by the JSON parser
reported deep.json "deep.jsonl: line 2" invalid-utf8.jsonl nul.jsonl nul.txt
expect_in "$TMP/all.err" "maximum parsing depth reached"
expect_in "$TMP/all.err" "garbage-after.warc: not a WARC record at byte 178"
[ $have_zstd = 1 ] && reported cut.tar.zst garbled.html.zst
expect_in "$TMP/all.err" "binary data, not an article"
# read as far as they go, or despite the extension: these still give their articles
has_record() { for f in "$@"; do
  if grep -qF "\"path\":\"$B/$f\"" "$TMP/all.jsonl"; then ok; else fail "no record from $f"; fi; done; }
has_record zip-named.html gzip-named.txt garbage-after.warc deep.html deep-unclosed.html deep.jsonl deep.md deep.rss \
  invalid-utf8.html invalid-utf8.txt nul.html mixed-declared-utf8.html mixed-declared-1252.html mixed.txt \
  utf16.html cut.tar
expect_eq "$(grep -c '"path":"'"$B"'/empty' "$TMP/all.jsonl")" 0 "empty files give no article"
expect_not_in "$TMP/all.err" "empty"
# the text survives repair: replacement characters, not lost paragraphs
pyjson '
import json, sys
recs = {}
for l in open(sys.argv[1]):
    r = json.loads(l); recs.setdefault(r["input"]["path"].rsplit("/", 1)[1], []).append(r["data"])
assert "Sanctions were imposed" in recs["invalid-utf8.html"][0]["head"], recs["invalid-utf8.html"]
assert recs["invalid-utf8.html"][0]["paragraphs"] == 2
assert "\u00e9" in json.dumps(recs["mixed-declared-1252.html"], ensure_ascii=False)
assert recs["deep.html"][0]["head"].startswith("Text before the nesting"), recs["deep.html"]
assert any("nested more than 256" in d for d in recs["deep.html"][0]["dropped"]), recs["deep.html"]
assert len(recs["deep.jsonl"]) == 1 and len(recs["zip-named.html"]) == 5
' "$TMP/all.jsonl" && ok || fail "repaired texts"

# ---- 200 MB on one line: refused by the size limit, quickly, the rest still runs ----
head -c 200000000 /dev/zero | tr '\0' 'a' > "$TMP/line.txt"
{ printf '{"text": "'; head -c 200000000 /dev/zero | tr '\0' 'b'; printf '"}\n{"title": "after", "text": "The line after the long one."}\n'; } > "$TMP/line.jsonl"
gzip -1 -c "$TMP/line.txt" > "$TMP/line.html.gz"
start=$(date +%s)
expect_status 1 "$LEDE" run -j 2 "$TMP/t.lua" "$TMP/line.txt" "$TMP/line.jsonl" "$TMP/line.html.gz" "$G" -o "$TMP/big.jsonl"
rm -f "$TMP/line.txt" "$TMP/line.jsonl" "$TMP/line.html.gz"
[ $(( $(date +%s) - start )) -lt 60 ] && ok || fail "200 MB inputs took over a minute"
expect_in "$TMP/err" "line.txt: input is 200000000 bytes, over the 67108864-byte limit (--max-article-bytes)"
expect_in "$TMP/err" "line.jsonl: line 1: line is over the 67108864-byte limit (--max-article-bytes)"
expect_in "$TMP/err" "line.html.gz"
expect_in "$TMP/big.jsonl" '"title":"after"'
expect_eq "$(grep -c "\"path\":\"$G/" "$TMP/big.jsonl")" 5 "good records beside 200 MB lines"
# a long single line under the limit is an article like any other
head -c 8000000 /dev/zero | tr '\0' 'w' | sed 's/wwwwwww/word. /g' > "$TMP/long.txt"
expect_status 0 "$LEDE" run -j 1 "$TMP/t.lua" "$TMP/long.txt"
expect_in "$TMP/out" '"words":'
finish
