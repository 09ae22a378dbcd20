#!/usr/bin/env python3
"""Builds the small archives the batch tests read, from tests/data, into OUTDIR.

    mkarchives.py DATA OUTDIR

Writes pages.tar.gz, pages.zip, pages.tar (for tar.zst, compressed by the zstd CLI in the test),
crawl.warc.gz (one gzip member per record, as crawlers write them), crawl.warc (plain),
records.jsonl.gz and manifest.json: what each archive should yield.
"""
import gzip, io, json, os, sys, tarfile, uuid, zipfile

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
art = os.path.join(data, "articles")
pages = sorted(f for f in os.listdir(art) if f.endswith((".html", ".txt", ".md")))


def read(name):
    with open(os.path.join(art, name), "rb") as f:
        return f.read()


with tarfile.open(os.path.join(out, "pages.tar.gz"), "w:gz") as t:
    for name in pages:
        t.add(os.path.join(art, name), arcname="site/" + name)
    t.add(os.path.join(data, "feeds", "world.rss"), arcname="site/feeds/world.rss")
with tarfile.open(os.path.join(out, "pages.tar"), "w") as t:
    for name in pages:
        t.add(os.path.join(art, name), arcname=name)
with zipfile.ZipFile(os.path.join(out, "pages.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for name in pages:
        z.write(os.path.join(art, name), arcname="z/" + name)
    z.writestr("z/.hidden.html", "<html><body><p>hidden files are skipped</p></body></html>")


def record(kind, uri, block, ctype, rid=None):
    rid = rid or "urn:uuid:%s" % uuid.uuid5(uuid.NAMESPACE_URL, kind + uri)
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <%s>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
            "WARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (kind, rid, uri, ctype, len(block)))
    return head.encode() + block + b"\r\n\r\n"


def http(status, ctype, body, chunked=False):
    if chunked:
        mid = len(body) // 2
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:mid], body[mid:])) + b"0\r\n\r\n"
    enc = b"Transfer-Encoding: chunked\r\n" if chunked else b"Content-Length: %d\r\n" % len(body)
    return b"HTTP/1.1 %s\r\nContent-Type: %s\r\n%s\r\n%s" % (status.encode(), ctype.encode(), enc, body)


records = [record("warcinfo", "", b"software: mkarchives.py\r\n", "application/warc-fields")]
responses = []
for i, name in enumerate(n for n in pages if n.endswith(".html")):
    uri = "https://example.org/news/%s" % name
    records.append(record("request", uri, b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request"))
    records.append(record("response", uri, http("200 OK", "text/html; charset=utf-8", read(name), chunked=(i == 0)),
                          "application/http; msgtype=response"))
    responses.append(uri)
    records.append(record("metadata", uri, b"fetchTimeMs: 12\r\n", "application/warc-fields"))
records.append(record("revisit", responses[0], b"", "application/http; msgtype=response"))
records.append(record("response", "https://example.org/logo.png", http("200 OK", "image/png", b"\x89PNG...."),
                      "application/http; msgtype=response"))
records.append(record("response", "https://example.org/gone", http("404 Not Found", "text/html", b"<p>gone</p>"),
                      "application/http; msgtype=response"))
txt = [n for n in pages if n.endswith(".txt")][0]
records.append(record("resource", "file:///dumps/" + txt, read(txt), "text/plain; charset=utf-8"))
with open(os.path.join(out, "crawl.warc.gz"), "wb") as f:
    for r in records:
        f.write(gzip.compress(r))
with open(os.path.join(out, "crawl.warc"), "wb") as f:
    f.write(b"".join(records))

with open(os.path.join(data, "json", "records.jsonl"), "rb") as f:
    good = [l for l in f.read().splitlines() if l.strip()]
lines = []
for l in good:
    try:
        json.loads(l)
        lines.append(l)
    except ValueError:
        pass
with gzip.open(os.path.join(out, "records.jsonl.gz"), "wb") as f:
    f.write(b"\n".join(lines) + b"\n")

json.dump({"pages": pages, "html": [n for n in pages if n.endswith(".html")], "responses": responses,
           "resource": "file:///dumps/" + txt, "jsonl": len(lines)}, open(os.path.join(out, "manifest.json"), "w"),
          indent=1)

# many distinct articles, for kill/resume, shards and interrupts: as JSONL and as a WARC.gz
N = int(os.environ.get("MANY", "400"))
words = ("sanctions tanker embargo minister council harbour export ban price cap reserves frozen "
         "treasury designation network shipping oil grain talks summit envoy").split()
with gzip.open(os.path.join(out, "many.jsonl.gz"), "wt") as f:
    for i in range(N):
        body = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(60)) + " number %d." % i
        f.write(json.dumps({"url": "https://many.example/a/%d" % i, "title": "Article %d" % i,
                            "published": "2024-01-%02d" % (i % 28 + 1),
                            "text": "Paragraph one of article %d. %s\n\nSecond paragraph %d." % (i, body, i)}) + "\n")
with open(os.path.join(out, "many.warc.gz"), "wb") as f:
    for i in range(N):
        page = ("<html><head><title>Page %d</title></head><body><article><h1>Page %d</h1><p>%s</p>"
                "<p>Closing paragraph of page %d with enough words to be kept as body text.</p></article>"
                "</body></html>" % (i, i, " ".join(words[(i + k) % len(words)] for k in range(80)) + " %d" % i, i))
        f.write(gzip.compress(record("response", "https://many.example/p/%d" % i,
                                     http("200 OK", "text/html; charset=utf-8", page.encode()),
                                     "application/http; msgtype=response")))
