#include "input/stream.h"

#include <archive.h>
#include <stdio.h>
#include <string.h>

void lede_stream_init(lede_stream *s, struct archive *a) {
    memset(s, 0, sizeof *s);
    s->a = a;
}

void lede_stream_init_fn(lede_stream *s, lede_stream_read_fn read, void *ud) {
    memset(s, 0, sizeof *s);
    s->read = read;
    s->read_ud = ud;
}

/* Makes bytes available: 1 = some, 0 = end, -1 = error. */
static int fill(lede_stream *s) {
    if (s->pos < s->len) return 1;
    if (s->eof) return 0;
    if (s->failed) return -1;
    const void *block;
    size_t size;
    la_int64_t at;
    if (!s->a) {
        for (;;) {
            const char *b;
            int r = s->read(s->read_ud, &b, &size, s->err, sizeof s->err);
            if (r == 0) s->eof = 1;
            if (r < 0) s->failed = 1;
            if (r <= 0) return r;
            if (size == 0) continue;
            s->chunk = b;
            s->pos = 0;
            s->len = size;
            return 1;
        }
    }
    for (;;) {
        int r = archive_read_data_block(s->a, &block, &size, &at);
        if (r == ARCHIVE_EOF) {
            s->eof = 1;
            return 0;
        }
        if (r < ARCHIVE_WARN) {
            s->failed = 1;
            const char *m = archive_error_string(s->a);
            snprintf(s->err, sizeof s->err, "%s", m ? m : "read error (corrupt or truncated data)");
            return -1;
        }
        if (size == 0) continue;
        s->chunk = block;
        s->pos = 0;
        s->len = size;
        return 1;
    }
}

int lede_stream_line(lede_stream *s, lede_buf *line, size_t max, int *cut) {
    lede_buf_clear(line);
    *cut = 0;
    int any = 0;
    for (;;) {
        int r = fill(s);
        if (r < 0) return -1;
        if (r == 0) return any;
        any = 1;
        const char *p = s->chunk + s->pos;
        size_t avail = s->len - s->pos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        size_t room = line->len < max ? max - line->len : 0;
        if (take > room) *cut = 1;
        if (lede_buf_append(line, p, take < room ? take : room) != 0) {
            s->failed = 1;
            snprintf(s->err, sizeof s->err, "out of memory");
            return -1;
        }
        s->pos += take + (nl ? 1 : 0);
        s->offset += take + (nl ? 1 : 0);
        if (nl) break;
    }
    if (line->len && line->data[line->len - 1] == '\r') line->data[--line->len] = '\0';
    return 1;
}

static int take(lede_stream *s, uint64_t n, lede_buf *out) {
    while (n > 0) {
        int r = fill(s);
        if (r <= 0) return r;
        size_t avail = s->len - s->pos;
        size_t k = n < avail ? (size_t)n : avail;
        if (out && lede_buf_append(out, s->chunk + s->pos, k) != 0) {
            s->failed = 1;
            snprintf(s->err, sizeof s->err, "out of memory");
            return -1;
        }
        s->pos += k;
        s->offset += k;
        n -= k;
    }
    return 1;
}

int lede_stream_read(lede_stream *s, size_t n, lede_buf *out) { return take(s, n, out); }

int lede_stream_skip(lede_stream *s, uint64_t n) { return take(s, n, NULL); }

int lede_stream_rest(lede_stream *s, lede_buf *out, size_t max, int *over) {
    *over = 0;
    for (;;) {
        int r = fill(s);
        if (r <= 0) return r;
        size_t avail = s->len - s->pos;
        if (out->len + avail > max) {
            *over = 1;
            s->offset += avail;
            s->pos = s->len;
            continue; /* drain, so the next member still lines up */
        }
        if (take(s, avail, out) < 0) return -1;
    }
}

int lede_stream_peek(lede_stream *s, const char **p, size_t *n) {
    int r = fill(s);
    *p = r > 0 ? s->chunk + s->pos : "";
    *n = r > 0 ? s->len - s->pos : 0;
    return r;
}
