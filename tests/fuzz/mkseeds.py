#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

    tests/fuzz/mkseeds.py

Seeds are small (libFuzzer mutates small inputs far faster) and come from tests/data where a
file fits; the binary containers (WARC, tar, zip, gzip) are built here from small documents.
Targets whose input starts with a selector byte (see each fuzz_*.c) get seeds with that byte.
Re-running rewrites the corpora; commit the result.
"""
import gzip, io, os, shutil, tarfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
OUT = os.path.join(HERE, "corpus")


def data(*p):
    with open(os.path.join(DATA, *p), "rb") as f:
        return f.read()


def put(target, name, blob):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def cut(blob, n=4096):
    """The first n bytes, ending at a line break when there is one."""
    if len(blob) <= n:
        return blob
    i = blob.rfind(b"\n", 0, n)
    return blob[: i + 1 if i > 0 else n]


shutil.rmtree(OUT, ignore_errors=True)

# ---- html: small real pages and the malformed ones ------------------------------------------------
for f in ["o01-iran-tanker-designations.html", "o02-eu-russia-rollover.html", "xhtml-note.xhtml"]:
    put("fuzz_html", f, data("articles", f))
for f in ["malformed.html", "truncated.html", "invalid-utf8.html", "latin1-undeclared.html",
          "cp1252-meta.html", "utf16le.html", "deep200.html"]:
    put("fuzz_html", f, data("bad", f))
put("fuzz_html", "jsonld.html", b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Asset freeze | Site</title><meta property="og:title" content="Asset freeze">
<meta name="author" content="A. Writer"><link rel="canonical" href="https://news.example/a">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Asset freeze",
"datePublished":"2024-03-05T10:00:00Z","author":{"@type":"Person","name":"A. Writer"}}</script>
</head><body><nav><a href="/">Home</a></nav><article><h1>Asset freeze</h1>
<p class="byline">By A. Writer</p><time datetime="2024-03-05">March 5</time>
<p>The ministry froze the assets of three companies on Tuesday.</p>
<figure><img src="x.jpg"><figcaption>The ministry.</figcaption></figure>
<blockquote>We will act.</blockquote><ul><li>One</li><li>Two</li></ul>
<p>Read more: <a href="/b">related story</a></p></article><footer>Copyright</footer></body></html>
""")

# ---- feed ---------------------------------------------------------------------------------------
put("fuzz_feed", "world.rss", data("feeds", "world.rss"))
put("fuzz_feed", "notes.atom", data("feeds", "notes.atom"))
put("fuzz_feed", "rdf.xml", b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>T</title></channel>
<item rdf:about="https://f.example/1"><title>Embargo widened</title><link>https://f.example/1</link>
<description>&lt;p&gt;The embargo now covers &lt;b&gt;drones&lt;/b&gt;.&lt;/p&gt;</description>
<dc:creator>R. Author</dc:creator><dc:date>2024-01-02T03:04:05Z</dc:date></item></rdf:RDF>
""")
put("fuzz_feed", "encoded.rss", b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>C</title>
<item><title>Caf\xe9 owner fined</title><guid isPermaLink="false">id-1</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>First paragraph.</p><p>Second <i>one</i>.</p>]]></content:encoded>
<category>sanctions</category></item></channel></rss>
""")

# ---- text / markdown (selector: 0 text, 1 markdown, 2|3 detect) -------------------------------------
put("fuzz_text", "ecfr.txt", b"\x00" + cut(data("articles", "ecfr-2020-china-iran.txt")))
put("fuzz_text", "globalnews.md", b"\x01" + cut(data("articles", "globalnews-2025-trofimov.md")))
put("fuzz_text", "detect.md", b"\x03# Heading\n\nBy A. Writer\n\nSome *text* with a [link](https://x.example).\n\n"
    b"ADVERTISEMENT\n\n- item one\n- item two\n\n> quoted\n\n```\ncode\n```\n")
put("fuzz_text", "plain.txt", b"\x02Title line\n\nPublished: 2024-03-05\n\nFirst paragraph.\nSame paragraph.\n\n"
    b"Story continues below advertisement\n\nSecond paragraph.\n")

# ---- json (selector: 0 json, 1 jsonl, 2|3 detect) -----------------------------------------------------
put("fuzz_json", "record.json", b"\x00" + data("json", "record.json"))
put("fuzz_json", "records.jsonl", b"\x01" + data("json", "records.jsonl"))
put("fuzz_json", "detect.jsonl", b"\x03" + data("json", "records.jsonl"))
put("fuzz_json", "array.json", b"\x00" + b'[{"headline":"A","articleBody":"Body one.","datePublished":"2024-01-02",'
    b'"author":[{"name":"X"}],"keywords":"a, b"},{"title":"B","content_html":"<p>Two</p>","url":"https://j.example/b",'
    b'"published_at":1709632800,"tags":["t"]},{"title":"\\u00e9\\ud83d\\ude00","text":"x\\u0000y"}]')

# ---- WARC (plain and gzip-compressed) -------------------------------------------------------------------
PAGE = b"<html><head><title>Freeze</title></head><body><p>Assets were frozen on Monday.</p></body></html>"


def record(kind, uri, block, ctype, rid):
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
            "WARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (kind, rid, uri, ctype, len(block))).encode()
    return head + block + b"\r\n\r\n"


def http(body, extra=b""):
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + extra + b"\r\n" + body


def chunked(body):
    return b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, body[:10], len(body) - 10, body[10:])


recs = [
    record("warcinfo", "", b"software: mkseeds.py\r\n", "application/warc-fields", "0"),
    record("request", "https://w.example/a", b"GET /a HTTP/1.1\r\n\r\n", "application/http; msgtype=request", "1"),
    record("response", "https://w.example/a", http(PAGE), "application/http; msgtype=response", "2"),
    record("response", "https://w.example/b", http(chunked(PAGE), b"Transfer-Encoding: chunked\r\n"),
           "application/http; msgtype=response", "3"),
    record("response", "https://w.example/c", http(gzip.compress(PAGE, mtime=0), b"Content-Encoding: gzip\r\n"),
           "application/http; msgtype=response", "4"),
    record("response", "https://w.example/d", b"HTTP/1.1 301 Moved\r\nLocation: /a\r\n\r\n",
           "application/http; msgtype=response", "5"),
    record("resource", "https://w.example/e.txt", b"Plain text resource.\n", "text/plain; charset=iso-8859-1", "6"),
    record("metadata", "https://w.example/a", b"fetchTimeMs: 12\r\n", "application/warc-fields", "7"),
]
warc = b"".join(recs)
put("fuzz_warc", "crawl.warc", warc)
put("fuzz_warc", "crawl.warc.gz", b"".join(gzip.compress(r, mtime=0) for r in recs))
put("fuzz_warc", "truncated.warc", warc[: len(warc) // 2])

# ---- WARC.gz splitter (selector: bit 0 4 KiB limit): members packed in the ways it must survive ----------
members = [gzip.compress(r, mtime=0) for r in recs]
put("fuzz_warcgz", "members.warc.gz", b"\x00" + b"".join(members))
put("fuzz_warcgz", "split.warc.gz", b"\x00" + b"".join(
    gzip.compress(r[: len(r) // 2], mtime=0) + gzip.compress(r[len(r) // 2:], mtime=0) for r in recs[:4]))
put("fuzz_warcgz", "one.warc.gz", b"\x01" + gzip.compress(warc, mtime=0))
put("fuzz_warcgz", "stored.warc.gz", b"\x00" + b"".join(gzip.compress(r, compresslevel=0, mtime=0) for r in recs[:3]))
put("fuzz_warcgz", "junk.warc.gz", b"\x00" + b"".join(members[:3]) + b"\x1f\x8b\x08\x00junk")
put("fuzz_warcgz", "inplace.warc.gz", b"\x02" + b"".join(members))  # chunks over 300 bytes read in place
put("fuzz_warcgz", "inplace-one.warc.gz", b"\x02" + gzip.compress(warc, mtime=0))

# ---- input readers (selector: bit 0 in.jsonl, 1 force html, 2 globs, 3 4 KiB limit) --------------------
def tar(mode, files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode) as t:
        for name, blob in files:
            i = tarfile.TarInfo(name)
            i.size = len(blob)
            i.mtime = 0
            t.addfile(i, io.BytesIO(blob))
    return b.getvalue()


docs = [("site/a.html", PAGE), ("site/b.txt", b"Title\n\nBody text.\n"), ("site/.hidden.html", PAGE),
        ("site/skip-me.html", PAGE), ("site/c.jsonl", data("json", "records.jsonl")[:300] + b"\n"),
        ("site/d.warc", recs[2])]
put("fuzz_input", "pages.tar", b"\x00" + tar("w", docs))
put("fuzz_input", "pages.tar.gz", b"\x04" + tar("w:gz", docs))
z = io.BytesIO()
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
    for name, blob in docs:
        zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), blob, zipfile.ZIP_DEFLATED)
put("fuzz_input", "pages.zip", b"\x00" + z.getvalue())
put("fuzz_input", "records.jsonl", b"\x01" + data("json", "records.jsonl"))
put("fuzz_input", "records.jsonl.gz", b"\x00" + gzip.compress(data("json", "records.jsonl"), mtime=0))
put("fuzz_input", "crawl.warc.gz", b"\x08" + b"".join(gzip.compress(r, mtime=0) for r in recs))
put("fuzz_input", "page.html", b"\x02" + PAGE)

# ---- pack manifests ---------------------------------------------------------------------------------------
put("fuzz_manifest", "demo.lua", data("packs", "demo", "pack.lua"))
put("fuzz_manifest", "broken.lua", data("packs", "broken", "pack.lua"))
put("fuzz_manifest", "globals.lua", b'name = "words"\nversion = "0.1.0-beta+1"\ndescription = "d"\n'
    b'authors = "me"\nlede = "^0.1"\nrequires = { other = "~1.2" }\ndata = { "data/words.txt" }\n'
    b'rules = { "rules/a.lua" }\nargs = { n = { default = 1, description = "n" } }\ntags = { "x" }\n')

# ---- regexes: flags, options, pattern NUL subject -----------------------------------------------------------
SUBJ = cut(data("articles", "ecfr-2020-china-iran.txt"), 600)
for i, (flags, opts, pat) in enumerate([
        (0x01, 0, rb"\bsanction(s|ed|ing)?\b"),
        (0x00, 0, rb"(?<country>Iran|China)\W+(?<verb>\w+)"),
        (0x05, 1, rb"^.*?partnership.*$"),
        (0x20, 0, rb"\d{4}|\p{Lu}\w+"),
        (0x40, 2, rb"[\x80-\xff]+"),
        (0x08, 0, rb"(?# comment) a b  c | \w+ (?=\s)"),
        (0x00, 0, rb"(a+)+$"),
        (0x02, 0, rb"(?i)^\s*(?:analysis|iran)\b|\K\w+$"),
]):
    put("fuzz_re", "p%d" % i, bytes([flags, opts]) + pat + b"\x00" + SUBJ)

for i, (flags, pats) in enumerate([
        (0x01, [rb"\bsanction\w*", rb"Iran|China", rb"\d+", rb"(?:US|EU) embargo", rb"partner(ship)?"]),
        (0x00, [rb"\bIran\b", rb"[A-Z]\w+ (?:said|says)", rb"\w+(?=\s+and)", rb"Chin[ae]", rb""]),
        (0x21, [rb"stra\xc3\x9fe", rb"\xe2\x84\xaaelvin", rb"caf\xc3\xa9", rb"\bpo\xc5\xbe"]),
        (0x00, [rb"a|b|c", rb"(?i)talks", rb"x*", rb"^Follow", rb"\Qa.b\E"]),
]):
    put("fuzz_reset", "s%d" % i, bytes([flags]) + b"\n".join(pats) + b"\x00" + SUBJ + "Straße KELVIN Café".encode())

# ---- phrase lists: mode, list NUL subject ------------------------------------------------------------------
put("fuzz_phrases", "countries", b"\x03" + data("packs", "demo", "data", "countries.txt") + b"\x00" + SUBJ)
put("fuzz_phrases", "labels", b"\x01" + "# gazetteer\nUnited States\tUS\tU.S.\tUSA\nCôte d'Ivoire\tCI\n"
    "Iran\tIR\tIslamic Republic of Iran\n\nsanctions\n".encode() + b"\x00" + SUBJ
    + " the u.s. and COTE D’IVOIRE, U.S.A.".encode())
put("fuzz_phrases", "raw", b"\x00" + b"China\nchina\nIran's\n" + b"\x00" + SUBJ)

# ---- Lua patterns: selector, pattern length, replacement length, pattern, replacement, subject -------------
# selector bits 0-1 find/match/gmatch/gsub, bit 2 plain, bits 3-5 init choice, bits 6-7 replacement kind
for i, (sel, pat, repl, subj) in enumerate([
        (0x00, b"o w", b"", b"hello world"),
        (0x04, b"a.b", b"", b"xa.bya+b"),
        (0x01, b"^%s*(.-)%s*$", b"", b"  trim me  "),
        (0x01, b"(%w+)%s*=%s*(%w+)", b"", b"key = value, k2=v2"),
        (0x02, b"%a+", b"", b"The council imposed sanctions on Monday."),
        (0x0a, b"()", b"", b"abc"),
        (0x03, b"(%w+) (%w+)", b"%2 %1 %0 %%", b"hello world from Lua"),
        (0x43, b"%w+", b"", b"a b ab x c"),
        (0x83, b"(%w)(%w?)", b"", b"a b ab c"),
        (0xc3, b"%s+", b" ", b"  a  b  "),
        (0x01, b"%b()", b"", b"f(a(b)c) d)"),
        (0x02, b"%f[%a]%a+", b"", b"THE (quick) fox"),
        (0x01, b"([\"'])(.-)%1", b"", b"say \"hi\" 'x'"),
        (0x01, b"[%w_][^%s]*[]a-]", b"", b"x_1-a] b"),
        (0x00, b"a*a*a*a*a*a*a*a*a*a*b", b"", b"a" * 30),
        (0x01, b"[a", b"", b"a"),
        (0x00, b"(a%1)", b"", b"aa"),
        (0x03, b"", b"-", b"abc"),
        (0x02, b"%z+", b"", b"a\x00\x00b\x00"),
        (0x19, b"a-$", b"", b"aaa"),
]):
    put("fuzz_lpattern", "p%d" % i, bytes([sel, len(pat), len(repl)]) + pat + repl + subj)
