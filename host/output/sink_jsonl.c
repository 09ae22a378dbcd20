/* JSONL sink: the records, one per line, as the script emitted them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sink.h"
#include "util/buf.h"
#include "util/hash.h"

#define JSONL_CHUNK (256u * 1024u)

typedef struct {
    lede_sink base;
    int fd, own_fd;
    lede_buf buf; /* whole lines only, so any write() boundary is a line boundary */
} jsonl_sink;

/* Writes all of p; one write() normally, more only if the kernel takes less. */
static int write_all(int fd, const char *p, size_t n, char *err, size_t errlen) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            snprintf(err, errlen, "write failed: %s", strerror(errno));
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int jsonl_flush(lede_sink *base, char *err, size_t errlen) {
    jsonl_sink *s = (jsonl_sink *)base;
    if (!s->buf.len) return 0;
    /* A full disk or a file-size limit takes part of a batch and then fails: cut a regular
     * file back to where the batch began, so it ends with a whole line (lseek fails, and
     * nothing is cut, on a pipe or a terminal). */
    off_t start = lseek(s->fd, 0, SEEK_CUR);
    int rc = write_all(s->fd, s->buf.data, s->buf.len, err, errlen);
    if (rc != 0 && start >= 0 && ftruncate(s->fd, start) != 0) { /* the write error is the news */
    }
    lede_buf_clear(&s->buf);
    return rc;
}

static int add(jsonl_sink *s, const char *p, size_t n, char *err, size_t errlen) {
    if (!n) return 0;
    if (lede_buf_append(&s->buf, p, n) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return s->buf.len >= JSONL_CHUNK ? jsonl_flush(&s->base, err, errlen) : 0;
}

static int jsonl_unit(lede_sink *base, const lede_out_unit *u, char *err, size_t errlen) {
    jsonl_sink *s = (jsonl_sink *)base;
    if (add(s, u->records, u->records_len, err, errlen) != 0) return -1;
    for (size_t i = 0; i < u->n_articles; i++)
        if (add(s, u->articles[i].records, u->articles[i].records_len, err, errlen) != 0) return -1;
    return 0;
}

static int jsonl_close(lede_sink *base, const lede_run_counts *c, char *err, size_t errlen) {
    jsonl_sink *s = (jsonl_sink *)base;
    (void)c;
    int rc = jsonl_flush(base, err, errlen);
    if (s->own_fd) {
        if (rc == 0 && fsync(s->fd) != 0 && errno != EINVAL) {
            snprintf(err, errlen, "fsync failed: %s", strerror(errno));
            rc = -1;
        }
        if (close(s->fd) != 0 && rc == 0) {
            snprintf(err, errlen, "close failed: %s", strerror(errno));
            rc = -1;
        }
        s->own_fd = 0;
    }
    return rc;
}

static void jsonl_free(lede_sink *base) {
    jsonl_sink *s = (jsonl_sink *)base;
    if (s->own_fd) close(s->fd);
    lede_buf_free(&s->buf);
    free(s);
}

lede_sink *lede_sink_jsonl(int fd, int own_fd) {
    jsonl_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base = (lede_sink){jsonl_unit, jsonl_flush, jsonl_close, jsonl_free};
    s->fd = fd;
    s->own_fd = own_fd;
    lede_buf_init(&s->buf);
    return &s->base;
}

uint64_t lede_unit_key(const char *path, const char *member) {
    /* path NUL member: "a" + "bc" and "ab" + "c" must differ */
    size_t pl = strlen(path), ml = member ? strlen(member) : 0;
    char small[1024];
    char *b = pl + ml + 2 <= sizeof small ? small : malloc(pl + ml + 2);
    if (!b) return lede_hash64(path, pl);
    memcpy(b, path, pl + 1);
    b[pl + 1] = member ? '\1' : '\0';
    if (member) memcpy(b + pl + 2, member, ml);
    uint64_t h = lede_hash64(b, pl + 2 + ml);
    if (b != small) free(b);
    return h;
}
