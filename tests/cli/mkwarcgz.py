#!/usr/bin/env python3
"""Writes WARC.gz files packed in the unusual ways lede's WARC.gz splitter must survive, from a
plain WARC (crawl.warc of mkarchives.py).

    mkwarcgz.py CRAWL.warc OUTDIR

split.warc.gz     every second record spread over two gzip members
stored.warc.gz    members stored uncompressed (deflate level 0), plus a record whose payload holds
                  gzip-looking bytes: a bare header with junk after it and a whole gzip member
one.warc.gz       the whole WARC in one gzip member
big.warc.gz       a first member of several records and 3 MB of random bytes (longer than a
                  chunk handed to a worker), then one member per record
corrupt.warc.gz   one member per record, the member of the record named in corrupt.txt garbled
trailing.warc.gz  one member per record, then junk
"""
import gzip, os, random, sys, zlib

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
data = open(src, "rb").read()


def records(b):
    """Splits a plain WARC into its records (each with its trailing CRLF CRLF)."""
    recs, i = [], 0
    while i < len(b):
        head_end = b.index(b"\r\n\r\n", i) + 4
        length = next(int(l.split(b":", 1)[1]) for l in b[i:head_end].split(b"\r\n")
                      if l.lower().startswith(b"content-length:"))
        end = head_end + length + 4
        recs.append(b[i:end])
        i = end
    return recs


def member(b, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, 16 + 15)
    return c.compress(b) + c.flush()


def resource(uri, block, ctype):
    return (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"
            b"WARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n"
            % (len(block), uri.encode(), ctype.encode(), len(block), block))


recs = records(data)
assert b"".join(recs) == data

with open(os.path.join(out, "split.warc.gz"), "wb") as f:
    for i, r in enumerate(recs):
        if i % 2:
            f.write(member(r[: len(r) // 2]) + member(r[len(r) // 2:]))
        else:
            f.write(member(r))

rng = random.Random(7)
tricky = (b"\x1f\x8b\x08\x00" + bytes(rng.getrandbits(8) for _ in range(600)) + gzip.compress(b"not a record, " * 40)
          + b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")
with open(os.path.join(out, "stored.warc.gz"), "wb") as f:
    for r in recs[:3] + [resource("https://example.org/blob.bin", tricky, "application/octet-stream")] + recs[3:]:
        f.write(member(r, 0))

with open(os.path.join(out, "one.warc.gz"), "wb") as f:
    f.write(member(data))

noise = bytes(rng.getrandbits(8) for _ in range(3 << 20))
with open(os.path.join(out, "big.warc.gz"), "wb") as f:
    f.write(member(b"".join(recs[:3]) + resource("https://example.org/noise.png", noise, "image/png")
                   + b"".join(recs[3:6])))
    for r in recs[6:]:
        f.write(member(r))

# the largest response record: its member is garbled in the middle of the deflate data
k = max(range(len(recs)), key=lambda i: len(recs[i]) if b"WARC-Type: response" in recs[i] else 0)
uri = next(l.split(b": ", 1)[1] for l in recs[k].split(b"\r\n") if l.startswith(b"WARC-Target-URI:"))
with open(os.path.join(out, "corrupt.warc.gz"), "wb") as f:
    for i, r in enumerate(recs):
        m = bytearray(member(r))
        if i == k:
            mid = len(m) // 2
            m[mid:mid + 16] = bytes(x ^ 0xFF for x in m[mid:mid + 16])
        f.write(bytes(m))
open(os.path.join(out, "corrupt.txt"), "wb").write(uri)

with open(os.path.join(out, "trailing.warc.gz"), "wb") as f:
    for r in recs:
        f.write(member(r))
    f.write(b"\x00\x01junk after the last member\n")
