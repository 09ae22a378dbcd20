/* A buffered byte stream over one libarchive entry (a whole decompressed file in "raw" format, or
 * one archive member): lines and exact-length blocks, with the offset read so far. The WARC and
 * JSONL readers sit on it so that a multi-gigabyte file never has to be in memory at once. */
#ifndef LEDE_INPUT_STREAM_H
#define LEDE_INPUT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct archive;

/* Another source of blocks than libarchive: 1 = a block, 0 = end, -1 = error (message in err). */
typedef int (*lede_stream_read_fn)(void *ud, const char **block, size_t *size, char *err, size_t errlen);

typedef struct lede_stream {
    struct archive *a;
    lede_stream_read_fn read; /* used when a is NULL */
    void *read_ud;
    const char *chunk; /* libarchive's block, valid until the next read */
    size_t pos, len;
    uint64_t offset; /* bytes handed out (or skipped) so far */
    int eof;
    int failed; /* a read error (corrupt or truncated data): message in err */
    char err[256];
} lede_stream;

void lede_stream_init(lede_stream *s, struct archive *a);
/* A stream whose blocks come from read(ud, ...) instead of an archive. */
void lede_stream_init_fn(lede_stream *s, lede_stream_read_fn read, void *ud);
/* Appends the next line (without "\n", and without "\r\n"'s "\r") to line, which is cleared
 * first. Lines longer than max are cut: the rest is skipped and *cut set. Returns 1 for a line,
 * 0 at the end of the stream, -1 on a read error. */
int lede_stream_line(lede_stream *s, lede_buf *line, size_t max, int *cut);
/* Appends exactly n bytes to out (not cleared). Returns 1, 0 if the stream ended first (the bytes
 * read are kept), -1 on a read error. */
int lede_stream_read(lede_stream *s, size_t n, lede_buf *out);
/* Skips n bytes; same returns as lede_stream_read. */
int lede_stream_skip(lede_stream *s, uint64_t n);
/* Reads everything left into out, up to max bytes; *over is set when more was left (and skipped). */
int lede_stream_rest(lede_stream *s, lede_buf *out, size_t max, int *over);
/* Peeks at the first bytes without consuming them (fills at most one block). */
int lede_stream_peek(lede_stream *s, const char **p, size_t *n);

#endif
