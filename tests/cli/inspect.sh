# lede inspect on every shape of input: pages, feeds, dumps, JSON records, bad bytes.
. "$(dirname "$0")/lib.sh"

check_json() { # check_json FILE PYTHON-ASSERTIONS (articles in list `A`)
  pyjson "
import json,sys
A=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8', errors='strict')]
$2
" "$1" && ok || fail "$3"
}

# an HTML page: metadata from JSON-LD, body without boilerplate
expect_status 0 "$LEDE" inspect --json "$DATA/articles/o02-eu-russia-rollover.html"
check_json "$TMP/out" '
assert len(A)==1
a=A[0]
for k in ("title","byline","authors","published","text","paragraphs","meta","jsonld","links","source","id"): assert k in a, k
assert a["title"]=="EU rolls over Russia economic sanctions after Budapest drops veto threat", a["title"]
assert a["published"].startswith("2025-01-27"), a["published"]
assert "Ines Valc\u00e1rcel" in a["authors"], a["authors"]
assert "extended the bloc" in a["text"]
assert "cookies" not in a["text"] and "Most read" not in a["text"] and "newsletter" not in a["text"].lower()
p=a["paragraphs"]
tb=a["text"].encode()
assert all(tb[x["start"]-1:x["stop"]].decode()==x["text"] for x in p), "paragraph offsets"
assert a["source"]["format"]=="html"
' "html page"

# XHTML served as XML goes through the HTML path
expect_status 0 "$LEDE" inspect --json "$DATA/articles/xhtml-note.xhtml"
check_json "$TMP/out" '
a=A[0]
assert a["title"]=="Swiss adopt new listings", a["title"]
assert a["published"].startswith("2024-06-12"), a["published"]
assert a["text"].startswith("Switzerland on Wednesday"), a["text"][:60]
assert "Home" not in a["text"]
' "xhtml page"

# the human view names kinds and what was dropped
expect_status 0 "$LEDE" inspect "$DATA/articles/o02-eu-russia-rollover.html"
expect_in "$TMP/out" "title       EU rolls over Russia"
expect_in "$TMP/out" "[paragraph] BRUSSELS"
expect_in "$TMP/out" "-- body:"

# RSS: one article per item, dates normalised, HTML content parsed with kinds
expect_status 0 "$LEDE" inspect --json "$DATA/feeds/world.rss"
check_json "$TMP/out" '
assert len(A)==2, len(A)
a,b=A
assert a["title"]=="Treasury designates 14 tankers in Iran oil network"
assert a["url"]=="https://gazette.example/world/tankers"
assert a["published"]=="2025-03-04T14:05:00+00:00", a["published"]
assert a["authors"]==["Mara Quist"] and a["tags"]==["Sanctions","Iran"]
kinds=[p["kind"] for p in a["paragraphs"]]
assert kinds==["paragraph","heading","paragraph","list_item","list_item"], kinds
assert "cargo\u2019s origin" in a["text"]
assert a["source"]["member"]=="item1" and a["source"]["format"]=="rss"
assert b["text"]=="The port authority said fees will rise by 4%.", b["text"]
assert b["published"].startswith("2025-03-03")
' "rss feed"

# Atom, with XHTML content and a quote
expect_status 0 "$LEDE" inspect --json "$DATA/feeds/notes.atom"
check_json "$TMP/out" '
assert len(A)==2
a=A[0]
assert a["url"]=="https://notes.example/eu-extends", a["url"]
assert a["authors"]==["Ines Valc\u00e1rcel"]
assert a["published"].startswith("2025-01-27")
assert [p["kind"] for p in a["paragraphs"]]==["paragraph","quote"], a["paragraphs"]
assert A[1]["text"]=="A short note with no content element."
assert A[1]["published"].startswith("2025-01-20")
' "atom feed"

# the plain-text seed dump: title, standfirst, body; teasers to related, furniture dropped
expect_status 0 "$LEDE" inspect --json "$DATA/articles/ecfr-2020-china-iran.txt"
check_json "$TMP/out" '
a=A[0]
assert a["title"]=="A pragmatic partnership: Why China and Iran try to collaborate", a["title"]
assert a["text"].startswith("China and Iran are in the spotlight"), a["text"][:80]
assert a["text"].rstrip().endswith("European Council on Foreign Relations."), a["text"][-80:]
assert "Follow us" not in a["text"] and "keep reading" not in a["text"] and "Newsletter" not in a["text"]
assert "Lithium" not in a["text"] and "lithium" not in a["text"], "teaser in body"
assert any("lithium" in r for r in a["related"]), a["related"]
assert a["section"]=="Middle East", a["section"]
assert a["description"].startswith("Iran\u2019s rumoured talks")
assert a["published"] is None
' "text dump"

# a Markdown dump with YAML front matter
expect_status 0 "$LEDE" inspect --json "$DATA/articles/globalnews-2025-trofimov.md"
check_json "$TMP/out" '
a=A[0]
assert a["title"]=="Owner of Toronto company arrested for allegedly violating sanctions on Russia"
assert a["published"].startswith("2025-05-27"), a["published"]
assert a["authors"]==["Stewart Bell"], a["authors"]
assert a["url"].startswith("https://globalnews.ca/")
assert "Anton Trofimov has been charged" in a["text"]
assert not a["text"].startswith("#") and "*By" not in a["text"]
assert a["source"]["format"]=="markdown"
' "markdown dump"

# JSON records: one object, JSON Lines (with a bad line reported and skipped)
expect_status 0 "$LEDE" inspect --json "$DATA/json/record.json"
check_json "$TMP/out" '
a=A[0]
assert a["authors"]==["Stewart Bell","Ana Ruiz"], a["authors"]
assert a["published"]=="2025-05-27T10:00:00-04:00", a["published"]
assert len(a["paragraphs"])==2 and a["tags"]==["sanctions","Canada"]
' "json record"
expect_status 1 "$LEDE" inspect --json "$DATA/json/records.jsonl"
check_json "$TMP/out" '
assert [a["title"] for a in A]==["First","Second","Fourth"], [a["title"] for a in A]
assert A[0]["published"]=="2024-02-03"
assert A[1]["text"]=="HTML bold body.\n\nSecond para." or A[1]["text"]=="HTML fragment body.\n\nSecond para.", A[1]["text"]
assert "A whole page stored" in A[2]["text"]
assert A[0]["source"]["member"]=="line 1"
' "jsonl records"
expect_in "$TMP/err" "records.jsonl: line 3:"

# charsets: declared windows-1252, undeclared Latin-1, UTF-16 with BOM, broken UTF-8
expect_status 0 "$LEDE" inspect --json "$DATA/bad/cp1252-meta.html"
check_json "$TMP/out" '
a=A[0]
assert a["title"]=="Caf\u00e9 sanctions", a["title"]
assert "\u201csanctions will stay\u201d in place \u2013 for now" in a["text"], a["text"]
assert "M\u00fcnchen" in a["text"]
' "windows-1252"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/latin1-undeclared.html"
check_json "$TMP/out" 'assert "Stra\u00dfe und Gr\u00fc\u00dfe" in A[0]["text"], A[0]["text"]' "latin-1 sniffed"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/utf16le.html"
check_json "$TMP/out" 'assert "Sanctions in UTF-16 \u2014 still readable" in A[0]["text"], A[0]' "utf-16"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/invalid-utf8.html"
check_json "$TMP/out" '
t=A[0]["text"]
assert "Caf\u00e9 stays" in t and "\ufffd" in t, t
' "invalid utf-8 repaired"

# nothing crashes: every bad input parses or is reported, output is valid UTF-8 JSON
for f in "$DATA"/bad/*; do
  "$LEDE" inspect --json "$f" >"$TMP/out" 2>"$TMP/err"
  st=$?
  if [ $st -ge 2 ]; then fail "inspect $f exited $st"; cat "$TMP/err" >&2; else ok; fi
  check_json "$TMP/out" 'assert all(isinstance(a["text"], str) for a in A)' "valid JSON for $f"
done
expect_status 1 "$LEDE" inspect "$DATA/bad/binary.bin"
expect_in "$TMP/err" "binary data"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/empty.html"
expect_eq "$(wc -c < "$TMP/out")" 0 "empty input yields no article"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/deep.html"
expect_in "$TMP/out" "nested more than 256 levels deep"
expect_status 0 "$LEDE" inspect --json "$DATA/bad/deep200.html"
expect_in "$TMP/out" "deep text at two hundred levels"
finish
