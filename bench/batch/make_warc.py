#!/usr/bin/env python3
"""Writes a WARC.gz of COPIES x the real pages in PAGES_DIR (one gzip member per record, a
distinct WARC-Target-URI per copy, the way crawlers write them).

    make_warc.py PAGES_DIR OUT.warc.gz COPIES
"""
import gzip, os, sys, uuid

pages_dir, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = []
for name in sorted(os.listdir(pages_dir)):
    if name.endswith(".html"):
        with open(os.path.join(pages_dir, name), "rb") as f:
            pages.append((name, f.read()))


def record(uri, body):
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
            "WARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
            % (uuid.uuid5(uuid.NAMESPACE_URL, uri), uri, len(block)))
    return gzip.compress(head.encode() + block + b"\r\n\r\n", compresslevel=1)


with open(out, "wb") as f:
    for c in range(copies):
        for name, body in pages:
            f.write(record("https://bench.example/%d/%s" % (c, name), body))
print("%d records" % (copies * len(pages)))
