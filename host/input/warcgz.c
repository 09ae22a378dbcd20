/* WARC.gz split for parallel runs (see warcgz.h).
 *
 * The reader never inflates a record: it scans the compressed bytes for gzip member headers,
 * probes each with a few hundred bytes of inflation, and cuts the file before every member whose
 * output starts a WARC record ("WARC/"). The probe is what makes the cut safe: the byte pattern
 * 1f 8b 08 turns up by chance about once per 16 MB of deflate data, but such a false header is
 * practically never followed by a deflate stream that decodes, and never by one that decodes to
 * "WARC/". Members that start no record (a record split over members) stay with the chunk before
 * them, so a worker always sees whole records. */
#include "input/warcgz.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "input/source_int.h"
#include "input/stream.h"
#include "limits.h"

#define WGZ_READ (1u << 20)        /* bytes per read() */
#define WGZ_PROBE_IN (64u << 10)   /* input a probe may look at */
#define WGZ_MAX_CHUNK (2u << 20)   /* a longer run of members is read here, not by a worker */
#define WGZ_OUT (64u << 10)        /* inflate block handed to the WARC reader */
#define WGZ_MIN_MEMBER 18          /* header + empty deflate block + trailer */

/* ---- reader side ---------------------------------------------------------------------------- */

typedef struct {
    int fd;
    unsigned char *buf; /* file bytes [base, base + len) */
    size_t len, cap;
    uint64_t base;
    int eof;
    z_stream z;
    int z_ready;
} wgz_file;

/* Makes bytes up to upto available (fewer at the end of the file); bytes before keep may go. */
static int wgz_fill(wgz_file *f, uint64_t keep, uint64_t upto) {
    if (f->eof || f->base + f->len >= upto) return 0;
    if (keep > f->base) { /* only now, so that the window moves in big steps */
        size_t drop = (size_t)(keep - f->base);
        if (drop > f->len) drop = f->len;
        memmove(f->buf, f->buf + drop, f->len - drop);
        f->len -= drop;
        f->base += drop;
    }
    while (!f->eof && f->base + f->len < upto) {
        size_t want = (size_t)(upto - f->base - f->len);
        if (want < WGZ_READ) want = WGZ_READ;
        if (f->len + want > f->cap) {
            size_t cap = f->cap ? f->cap : WGZ_READ;
            while (cap < f->len + want) cap *= 2;
            unsigned char *b = realloc(f->buf, cap);
            if (!b) return -1;
            f->buf = b;
            f->cap = cap;
        }
        ssize_t n = read(f->fd, f->buf + f->len, f->cap - f->len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) f->eof = 1;
        f->len += (size_t)n;
    }
    return 0;
}

enum { PROBE_NO, PROBE_MEMBER, PROBE_RECORD };

static int gzip_magic(const unsigned char *p, size_t n) {
    /* ID1 ID2, CM = deflate, reserved flag bits clear (RFC 1952 §2.3.1) */
    return n >= 4 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (p[3] & 0xe0) == 0;
}

/* Does a gzip member start at p, and does its output start a WARC record? */
static int probe(wgz_file *f, const unsigned char *p, size_t n) {
    if (!gzip_magic(p, n)) return PROBE_NO;
    if (!f->z_ready) {
        if (inflateInit2(&f->z, 16 + MAX_WBITS) != Z_OK) return PROBE_NO;
        f->z_ready = 1;
    } else if (inflateReset(&f->z) != Z_OK) {
        return PROBE_NO;
    }
    unsigned char out[512];
    f->z.next_in = (unsigned char *)p;
    f->z.avail_in = (uInt)(n < WGZ_PROBE_IN ? n : WGZ_PROBE_IN);
    f->z.next_out = out;
    f->z.avail_out = sizeof out;
    int r;
    do {
        r = inflate(&f->z, Z_SYNC_FLUSH);
    } while (r == Z_OK && f->z.avail_out > 0 && f->z.avail_in > 0);
    size_t got = sizeof out - f->z.avail_out;
    if (r != Z_OK && r != Z_STREAM_END && !(r == Z_BUF_ERROR && got > 0)) return PROBE_NO;
    if (got < 5) return r == Z_STREAM_END ? PROBE_MEMBER : PROBE_NO;
    return memcmp(out, "WARC/", 5) ? PROBE_MEMBER : PROBE_RECORD;
}

/* Hands [start, end) of the window to the callback as one chunk unit. */
static int emit_chunk(lede_source_ctx *c, wgz_file *f, const char *path, uint64_t start, uint64_t end) {
    if (end <= start) return 0;
    char name[64];
    snprintf(name, sizeof name, "gzip member at byte %llu", (unsigned long long)start);
    lede_unit u = {.path = path, .member = name, .data = (const char *)f->buf + (start - f->base),
                   .len = (size_t)(end - start), .format = c->opts->format, .warc_gz = 1, .offset = start};
    c->st->bytes = c->bytes_done + end;
    return c->fn(c->ud, &u);
}

/* A chunk too long to hand over (a big record, or a whole WARC compressed as one member) is
 * inflated and read here, member by member, until the next member that starts a record. */
typedef struct {
    lede_source_ctx *c;
    wgz_file *f;
    z_stream z;
    uint64_t pos;    /* next compressed byte */
    uint64_t member; /* start of the member being inflated */
    int between;     /* at a member boundary */
    int stopped;     /* ended before a member that starts a record */
    unsigned char out[WGZ_OUT];
} wgz_inline;

static int inline_block(void *ud, const char **block, size_t *size, char *err, size_t errlen) {
    wgz_inline *r = ud;
    wgz_file *f = r->f;
    for (;;) {
        if (wgz_fill(f, r->pos, r->pos + WGZ_PROBE_IN) != 0) {
            snprintf(err, errlen, "read error: %s", strerror(errno));
            return -1;
        }
        const unsigned char *p = f->buf + (r->pos - f->base);
        size_t avail = (size_t)(f->base + f->len - r->pos);
        if (r->between) {
            if (avail == 0) return 0;
            int kind = probe(f, p, avail);
            if (kind == PROBE_RECORD) {
                r->stopped = 1;
                return 0;
            }
            if (kind == PROBE_NO) {
                snprintf(err, errlen, "not gzip data at byte %llu", (unsigned long long)r->pos);
                return -1;
            }
            inflateReset(&r->z);
            r->member = r->pos;
            r->between = 0;
        }
        if (avail == 0) {
            snprintf(err, errlen, "truncated gzip member at byte %llu", (unsigned long long)r->member);
            return -1;
        }
        uInt in = (uInt)(avail < (1u << 30) ? avail : 1u << 30);
        r->z.next_in = (unsigned char *)p;
        r->z.avail_in = in;
        r->z.next_out = r->out;
        r->z.avail_out = sizeof r->out;
        int rc = inflate(&r->z, Z_NO_FLUSH);
        r->pos += in - r->z.avail_in;
        r->c->st->bytes = r->c->bytes_done + r->pos;
        size_t got = sizeof r->out - r->z.avail_out;
        if (rc == Z_STREAM_END) r->between = 1;
        else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            snprintf(err, errlen, "corrupt gzip member at byte %llu: %s", (unsigned long long)r->member,
                     r->z.msg ? r->z.msg : "invalid data");
            return -1;
        }
        if (got > 0) {
            *block = (const char *)r->out;
            *size = got;
            return 1;
        }
    }
}

/* Reads the chunk at start here. *next: where a record starts after it, or UINT64_MAX at the end
 * of the file; after a corrupt member, the byte after that member's start (splitting resumes at
 * the next record found from there). */
static int inline_chunk(lede_source_ctx *c, wgz_file *f, const char *path, uint64_t start, uint64_t *next) {
    wgz_inline *r = calloc(1, sizeof *r);
    *next = UINT64_MAX;
    if (!r || inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
        free(r);
        lede_source_fail(c, path, NULL, "out of memory");
        return 0;
    }
    r->c = c;
    r->f = f;
    r->pos = r->member = start;
    lede_stream s;
    lede_stream_init_fn(&s, inline_block, r);
    c->member_base = start;
    c->in_member = 1;
    int rc = lede_warc_each(c, &s, path);
    c->in_member = 0;
    if (r->stopped) *next = r->pos;
    else if (s.failed) *next = r->member + 1 > f->base ? r->member + 1 : f->base; /* what is left of it */
    inflateEnd(&r->z);
    free(r);
    return rc;
}

static int read_failed(lede_source_ctx *c, const char *path) {
    lede_source_fail(c, path, NULL, "read error: %s", strerror(errno));
    return 0;
}

static int split(lede_source_ctx *c, wgz_file *f, const char *path) {
    uint64_t start = 0, scan = WGZ_MIN_MEMBER;
    int have_start = 1; /* start is where a record starts (not so after a corrupt member) */
    uint64_t max_chunk = c->opts->max_chunk ? c->opts->max_chunk : WGZ_MAX_CHUNK;
    for (;;) {
        if (wgz_fill(f, start, scan + 4) != 0) return read_failed(c, path);
        uint64_t end = f->base + f->len;
        if (scan + 4 > end) return have_start ? emit_chunk(c, f, path, start, end) : 0;
        if (have_start && scan - start > max_chunk) {
            uint64_t next;
            int rc = inline_chunk(c, f, path, start, &next);
            if (rc || next == UINT64_MAX) return rc;
            have_start = f->base <= next && next < f->base + f->len && gzip_magic(f->buf + (next - f->base), 4) &&
                         probe(f, f->buf + (next - f->base), (size_t)(f->base + f->len - next)) == PROBE_RECORD;
            start = next;
            scan = next + (have_start ? WGZ_MIN_MEMBER : 0);
            continue;
        }
        const unsigned char *p = f->buf + (scan - f->base);
        const unsigned char *hit = memchr(p, 0x1f, (size_t)(end - 3 - scan));
        if (!hit) {
            scan = end - 3;
            if (wgz_fill(f, start, end + WGZ_READ) != 0) return read_failed(c, path);
            continue;
        }
        uint64_t at = f->base + (uint64_t)(hit - f->buf);
        scan = at + 1;
        if (!gzip_magic(hit, (size_t)(end - at))) continue;
        if (wgz_fill(f, start, at + WGZ_PROBE_IN) != 0) return read_failed(c, path);
        end = f->base + f->len;
        if (probe(f, f->buf + (at - f->base), (size_t)(end - at)) != PROBE_RECORD) continue;
        if (have_start) {
            int rc = emit_chunk(c, f, path, start, at);
            if (rc) return rc;
        }
        start = at;
        have_start = 1;
        scan = at + WGZ_MIN_MEMBER;
    }
}

int lede_warcgz_file(lede_source_ctx *c, const char *path) {
    wgz_file f = {.fd = open(path, O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) return LEDE_WARCGZ_NOT_MINE; /* the general reader reports it */
    struct stat st;
    int rc = LEDE_WARCGZ_NOT_MINE;
    if (fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode) && wgz_fill(&f, 0, WGZ_PROBE_IN) == 0 &&
        probe(&f, f.buf, f.len) == PROBE_RECORD) {
        rc = split(c, &f, path);
        c->bytes_done += (uint64_t)st.st_size;
        c->st->bytes = c->bytes_done;
    }
    if (f.z_ready) inflateEnd(&f.z);
    free(f.buf);
    close(f.fd);
    return rc;
}

/* ---- worker side ---------------------------------------------------------------------------- */

struct lede_warcgz_reader {
    z_stream z;
    int z_ready;
    const unsigned char *in;
    size_t in_len;
    uint64_t offset;   /* the chunk's first byte in its file */
    size_t member;     /* where the member being inflated starts, in the chunk */
    int between;       /* at a member boundary */
    unsigned char out[WGZ_OUT];
    lede_source_ctx ctx;
};

lede_warcgz_reader *lede_warcgz_reader_new(void) {
    lede_warcgz_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
        free(r);
        return NULL;
    }
    r->z_ready = 1;
    lede_buf_init(&r->ctx.data);
    lede_buf_init(&r->ctx.line);
    lede_buf_init(&r->ctx.aux);
    lede_buf_init(&r->ctx.member);
    return r;
}

void lede_warcgz_reader_free(lede_warcgz_reader *r) {
    if (!r) return;
    if (r->z_ready) inflateEnd(&r->z);
    lede_buf_free(&r->ctx.data);
    lede_buf_free(&r->ctx.line);
    lede_buf_free(&r->ctx.aux);
    lede_buf_free(&r->ctx.member);
    free(r);
}

/* lede_stream's block source: the chunk's members inflated one after the other. */
static int gz_block(void *ud, const char **block, size_t *size, char *err, size_t errlen) {
    lede_warcgz_reader *r = ud;
    for (;;) {
        if (r->between) {
            size_t at = r->in_len - r->z.avail_in;
            if (at >= r->in_len) return 0;
            if (!gzip_magic(r->in + at, r->in_len - at)) {
                snprintf(err, errlen, "not gzip data at byte %llu (after the member at byte %llu)",
                         (unsigned long long)(r->offset + at), (unsigned long long)(r->offset + r->member));
                return -1;
            }
            inflateReset(&r->z);
            r->member = at;
            r->between = 0;
        }
        r->z.next_out = r->out;
        r->z.avail_out = sizeof r->out;
        int rc = inflate(&r->z, Z_NO_FLUSH);
        size_t got = sizeof r->out - r->z.avail_out;
        if (rc == Z_STREAM_END) r->between = 1;
        else if (rc != Z_OK && !(rc == Z_BUF_ERROR && got > 0)) {
            if (rc == Z_BUF_ERROR)
                snprintf(err, errlen, "truncated gzip member at byte %llu", (unsigned long long)(r->offset + r->member));
            else
                snprintf(err, errlen, "corrupt gzip member at byte %llu: %s", (unsigned long long)(r->offset + r->member),
                         r->z.msg ? r->z.msg : "invalid data");
            return -1;
        }
        if (got > 0) {
            *block = (const char *)r->out;
            *size = got;
            return 1;
        }
    }
}

int lede_warcgz_chunk_each(lede_warcgz_reader *r, const lede_unit *chunk, const lede_source_opts *opts,
                           lede_unit_fn fn, lede_source_err_fn on_error, void *ud, lede_source_stats *stats) {
    static const lede_source_opts none = {0};
    lede_source_ctx *c = &r->ctx;
    c->opts = opts ? opts : &none;
    c->fn = fn;
    c->on_error = on_error;
    c->ud = ud;
    c->st = stats;
    c->max = c->opts->max_bytes ? c->opts->max_bytes : LEDE_DEFAULT_MAX_ARTICLE_BYTES;
    c->cur = NULL;
    c->prefix = NULL;
    c->member_base = chunk->offset;
    c->in_member = 1;
    inflateReset(&r->z);
    r->in = (const unsigned char *)chunk->data;
    r->in_len = chunk->len;
    r->z.next_in = (unsigned char *)chunk->data;
    r->z.avail_in = (uInt)chunk->len; /* chunks are at most WGZ_MAX_CHUNK bytes */
    r->offset = chunk->offset;
    r->member = 0;
    r->between = 0;
    lede_stream s;
    lede_stream_init_fn(&s, gz_block, r);
    int rc = lede_warc_each(c, &s, chunk->path);
    /* one huge record must not pin its memory for the rest of the run */
    if (c->data.cap > (64u << 20)) lede_buf_free(&c->data);
    if (c->aux.cap > (64u << 20)) lede_buf_free(&c->aux);
    return rc;
}
