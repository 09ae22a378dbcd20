/* CSV sink (RFC 4180): one row per record. The columns are the envelope (input, article, script
 * or pack, rule) and then every top-level data field any record had, so the header is known
 * only at the end: records are spooled to an unlinked temporary file and written out on close. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sink.h"
#include "util/buf.h"

static const char *const ENVELOPE[] = {"input_path", "input_member", "article_id", "url", "title",
                                       "published", "source", "rule"};
#define N_ENVELOPE (sizeof ENVELOPE / sizeof *ENVELOPE)

typedef struct {
    lede_sink base;
    int fd, own_fd;
    FILE *spool;
    json_t *columns; /* data field names, in the order first seen (array) */
    json_t *seen;    /* name -> true */
    lede_buf row;
} csv_sink;

static int spool(csv_sink *s, const char *p, size_t n, char *err, size_t errlen) {
    if (n && fwrite(p, 1, n, s->spool) != n) {
        snprintf(err, errlen, "cannot write the CSV spool file (disk full?)");
        return -1;
    }
    /* note each record's data fields now, so the header is ready at the end */
    for (const char *line = p, *end = p + n; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        json_t *rec = json_loadb(line, len, 0, NULL);
        json_t *data = json_object_get(rec, "data");
        const char *k;
        json_t *v;
        json_object_foreach(data, k, v) {
            if (!json_object_get(s->seen, k)) {
                json_object_set_new(s->seen, k, json_true());
                json_array_append_new(s->columns, json_string(k));
            }
        }
        json_decref(rec);
        line += len + 1;
    }
    return 0;
}

static int csv_unit(lede_sink *base, const lede_out_unit *u, char *err, size_t errlen) {
    csv_sink *s = (csv_sink *)base;
    if (spool(s, u->records, u->records_len, err, errlen) != 0) return -1;
    for (size_t i = 0; i < u->n_articles; i++)
        if (spool(s, u->articles[i].records, u->articles[i].records_len, err, errlen) != 0) return -1;
    return 0;
}

static int csv_flush(lede_sink *base, char *err, size_t errlen) {
    (void)base, (void)err, (void)errlen;
    return 0;
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
static void field(lede_buf *b, const char *v, int first) {
    if (!first) lede_buf_putc(b, ',');
    if (!v) return;
    if (!strpbrk(v, ",\"\r\n")) {
        lede_buf_puts(b, v);
        return;
    }
    lede_buf_putc(b, '"');
    for (; *v; v++) {
        if (*v == '"') lede_buf_putc(b, '"');
        lede_buf_putc(b, *v);
    }
    lede_buf_putc(b, '"');
}

/* A JSON value as a cell: strings as they are, numbers and booleans as JSON, nested as JSON. */
static void value_field(lede_buf *b, json_t *v) {
    if (!v || json_is_null(v)) {
        field(b, NULL, 0);
    } else if (json_is_string(v)) {
        field(b, json_string_value(v), 0);
    } else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        field(b, t, 0);
        free(t);
    }
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void row(csv_sink *s, json_t *rec) {
    json_t *in = json_object_get(rec, "input"), *art = json_object_get(rec, "article");
    json_t *data = json_object_get(rec, "data");
    const char *source = str(rec, "pack") ? str(rec, "pack") : str(rec, "script");
    const char *env[N_ENVELOPE] = {str(in, "path"), str(in, "member"), str(art, "id"), str(art, "url"),
                                   str(art, "title"), str(art, "published"), source, str(rec, "rule")};
    lede_buf_clear(&s->row);
    for (size_t i = 0; i < N_ENVELOPE; i++) field(&s->row, env[i], i == 0);
    size_t i;
    json_t *name;
    json_array_foreach(s->columns, i, name) {
        value_field(&s->row, json_is_object(data) ? json_object_get(data, json_string_value(name)) : NULL);
    }
    if (!json_is_object(data) && !json_is_null(data)) value_field(&s->row, data); /* emit("scalar") */
    lede_buf_puts(&s->row, "\r\n");
}

static int put(csv_sink *s, char *err, size_t errlen) {
    const char *p = s->row.data;
    size_t n = s->row.len;
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            snprintf(err, errlen, "write failed: %s", strerror(errno)); /* "No space left on device" */
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int header(csv_sink *s, char *err, size_t errlen) {
    lede_buf_clear(&s->row);
    for (size_t i = 0; i < N_ENVELOPE; i++) field(&s->row, ENVELOPE[i], i == 0);
    size_t i;
    json_t *name;
    json_array_foreach(s->columns, i, name) {
        const char *k = json_string_value(name);
        int clash = 0;
        for (size_t e = 0; e < N_ENVELOPE; e++) clash |= !strcmp(k, ENVELOPE[e]);
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s", clash ? "data." : "", k);
        field(&s->row, buf, 0);
    }
    lede_buf_puts(&s->row, "\r\n");
    return put(s, err, errlen);
}

static int csv_close(lede_sink *base, const lede_run_counts *c, char *err, size_t errlen) {
    csv_sink *s = (csv_sink *)base;
    (void)c;
    if (header(s, err, errlen) != 0) return -1;
    rewind(s->spool);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, s->spool)) > 0) {
        json_t *rec = json_loadb(line, (size_t)n, 0, NULL);
        if (!rec) continue;
        row(s, rec);
        json_decref(rec);
        rc = put(s, err, errlen);
    }
    free(line);
    if (s->own_fd) {
        if (close(s->fd) != 0 && rc == 0) {
            snprintf(err, errlen, "close failed");
            rc = -1;
        }
        s->own_fd = 0;
    }
    return rc;
}

static void csv_free(lede_sink *base) {
    csv_sink *s = (csv_sink *)base;
    if (s->own_fd) close(s->fd);
    if (s->spool) fclose(s->spool);
    json_decref(s->columns);
    json_decref(s->seen);
    lede_buf_free(&s->row);
    free(s);
}

lede_sink *lede_sink_csv(int fd, int own_fd, char *err, size_t errlen) {
    csv_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base = (lede_sink){csv_unit, csv_flush, csv_close, csv_free};
    s->fd = fd;
    s->own_fd = own_fd;
    s->spool = tmpfile();
    s->columns = json_array();
    s->seen = json_object();
    if (!s->spool || !s->columns || !s->seen) {
        snprintf(err, errlen, "cannot create a temporary file for the CSV rows");
        s->own_fd = 0; /* the caller still owns fd when creation fails */
        csv_free(&s->base);
        return NULL;
    }
    return &s->base;
}
