/* WARC 1.0/1.1 (ISO 28500) over a decompressed stream: one unit per response or resource record
 * that holds a document. Records are length-prefixed (Content-Length), so the reader never has
 * to search for the next record; a stream that ends inside a record is reported as truncated. */
#include <archive.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/source_int.h"
#include "input/stream.h"

#define WARC_MAX_HEADER_LINE 65536
#define WARC_MAX_HEADER_LINES 512

typedef struct {
    char type[32];
    char *uri, *date, *id, *ctype;
    long long length;
} warc_head;

static void head_free(warc_head *h) {
    free(h->uri);
    free(h->date);
    free(h->id);
    free(h->ctype);
    memset(h, 0, sizeof *h);
    h->length = -1;
}

/* "Name: value" -> value (trimmed) when the name matches, else NULL. */
static const char *header_value(const char *line, const char *name) {
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) != 0 || line[n] != ':') return NULL;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t') v++;
    return v;
}

static char *dup_trim(const char *v) {
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    if (n >= 2 && v[0] == '<' && v[n - 1] == '>') return lede_strndup(v + 1, n - 2); /* <urn:...> */
    return lede_strndup(v, n);
}

static void head_field(warc_head *h, const char *line) {
    const char *v;
    if ((v = header_value(line, "WARC-Type"))) snprintf(h->type, sizeof h->type, "%s", v);
    else if ((v = header_value(line, "WARC-Target-URI")) && !h->uri) h->uri = dup_trim(v);
    else if ((v = header_value(line, "WARC-Date")) && !h->date) h->date = dup_trim(v);
    else if ((v = header_value(line, "WARC-Record-ID")) && !h->id) h->id = dup_trim(v);
    else if ((v = header_value(line, "Content-Type")) && !h->ctype) h->ctype = dup_trim(v);
    else if ((v = header_value(line, "Content-Length"))) {
        char *end;
        h->length = strtoll(v, &end, 10);
        if (end == v || h->length < 0) h->length = -1;
    }
}

/* Reads one record header. 1 = got one, 0 = clean end of stream, -1 = error (message in msg). */
static int read_head(lede_source_ctx *c, lede_stream *s, warc_head *h, char *msg, size_t msglen) {
    int cut, r;
    while ((r = lede_stream_line(s, &c->line, WARC_MAX_HEADER_LINE, &cut)) == 1 && c->line.len == 0) {
    }
    if (r <= 0) {
        if (r < 0) snprintf(msg, msglen, "%s", s->err);
        return r;
    }
    if (strncmp(c->line.data, "WARC/", 5) != 0) {
        snprintf(msg, msglen, "not a WARC record at byte %llu (line starts \"%.20s\")",
                 (unsigned long long)(s->offset - c->line.len), c->line.data);
        return -1;
    }
    for (int lines = 0;; lines++) {
        r = lede_stream_line(s, &c->line, WARC_MAX_HEADER_LINE, &cut);
        if (r <= 0 || lines > WARC_MAX_HEADER_LINES) {
            snprintf(msg, msglen, "%s", r < 0 ? s->err : "truncated WARC record header");
            return -1;
        }
        if (c->line.len == 0) break;
        head_field(h, c->line.data);
    }
    if (h->length < 0) {
        snprintf(msg, msglen, "WARC record without a valid Content-Length");
        return -1;
    }
    return 1;
}

/* Media types that may hold an article; everything else (images, scripts, styles) is skipped. */
static int document_type(const char *ctype) {
    if (!ctype || !*ctype) return 1;
    static const char *const ok[] = {"text/html", "application/xhtml+xml", "text/plain", "text/markdown",
                                     "application/rss+xml", "application/atom+xml", "application/xml",
                                     "text/xml", "application/json", "application/ld+json"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (!strncasecmp(ctype, ok[i], strlen(ok[i]))) return 1;
    return 0;
}

/* charset=... from a Content-Type value, copied into out. */
static void charset_of(const char *ctype, char *out, size_t n) {
    out[0] = '\0';
    const char *p = ctype ? strcasestr(ctype, "charset=") : NULL;
    if (!p) return;
    p += 8;
    if (*p == '"' || *p == '\'') p++;
    size_t k = strcspn(p, "\"'; \t");
    snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), p);
}

typedef struct {
    int status;
    char ctype[256];
    int chunked;
    char encoding[32];
    size_t body; /* offset of the body in the block */
} http_head;

/* Parses the HTTP response head at the start of a response record's block. */
static int parse_http(const char *b, size_t n, http_head *h) {
    memset(h, 0, sizeof *h);
    if (n < 12 || strncmp(b, "HTTP/", 5) != 0) return -1;
    const char *sp = memchr(b, ' ', n);
    h->status = sp ? atoi(sp + 1) : 0;
    const char *p = b, *end = b + n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return -1;
        size_t len = (size_t)(nl - p);
        if (len && p[len - 1] == '\r') len--;
        if (len == 0 && p != b) {
            h->body = (size_t)(nl + 1 - b);
            return 0;
        }
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        const char *v;
        if ((v = header_value(line, "Content-Type"))) snprintf(h->ctype, sizeof h->ctype, "%s", v);
        else if ((v = header_value(line, "Transfer-Encoding")) && strcasestr(v, "chunked")) h->chunked = 1;
        else if ((v = header_value(line, "Content-Encoding"))) snprintf(h->encoding, sizeof h->encoding, "%s", v);
        p = nl + 1;
    }
}

/* Undoes Transfer-Encoding: chunked in place; returns the new length. */
static size_t dechunk(char *b, size_t n) {
    size_t in = 0, out = 0;
    while (in < n) {
        char *end;
        unsigned long long k = strtoull(b + in, &end, 16);
        char *nl = memchr(b + in, '\n', n - in);
        if (!nl || end == b + in || k == 0) break;
        in = (size_t)(nl + 1 - b);
        if (k > n - in) k = n - in;
        memmove(b + out, b + in, (size_t)k);
        out += (size_t)k;
        in += (size_t)k;
        while (in < n && (b[in] == '\r' || b[in] == '\n')) in++;
    }
    return out;
}

/* Content-Encoding gzip/deflate: decompressed through libarchive's filters into out. */
static int decode_body(const char *b, size_t n, lede_buf *out, size_t max) {
    struct archive *a = archive_read_new();
    if (!a) return -1;
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    struct archive_entry *e;
    int rc = -1;
    if (archive_read_open_memory(a, b, n) == ARCHIVE_OK && archive_read_next_header(a, &e) == ARCHIVE_OK) {
        lede_stream s;
        int over;
        lede_stream_init(&s, a);
        lede_buf_clear(out);
        rc = lede_stream_rest(&s, out, max, &over) == 0 && !over ? 0 : -1;
    }
    archive_read_free(a);
    return rc;
}

/* A response or resource record's block (in c->data) -> a unit, or skipped. */
static int record_unit(lede_source_ctx *c, const char *path, const char *member, const warc_head *h) {
    const char *body = c->data.data ? c->data.data : "";
    size_t len = c->data.len;
    char charset[64] = "";
    const char *ctype = h->ctype;
    http_head hh;
    if (!strcasecmp(h->type, "response") && h->ctype && strcasestr(h->ctype, "application/http")) {
        if (parse_http(body, len, &hh) != 0) {
            lede_source_fail(c, path, member, "WARC response without a readable HTTP header");
            return 0;
        }
        if (hh.status < 200 || hh.status >= 300) goto skip; /* redirects and error pages */
        ctype = hh.ctype;
        body += hh.body;
        len -= hh.body;
        if (hh.chunked) len = dechunk((char *)body, len);
        if (hh.encoding[0] && strcasecmp(hh.encoding, "identity")) {
            if (decode_body(body, len, &c->aux, c->max) != 0) {
                lede_source_fail(c, path, member, "cannot decode Content-Encoding %s", hh.encoding);
                return 0;
            }
            body = c->aux.data;
            len = c->aux.len;
        }
    }
    if (!document_type(ctype) || len == 0) goto skip;
    charset_of(ctype, charset, sizeof charset);
    lede_unit u = {.path = path, .member = member, .data = body, .len = len, .format = c->opts->format,
                   .url = h->uri, .charset = charset[0] ? charset : NULL, .date = h->date};
    return lede_source_emit(c, &u);
skip:
    c->st->skipped++;
    return 0;
}

static int is_document_record(const char *type) {
    return !strcasecmp(type, "response") || !strcasecmp(type, "resource");
}

int lede_warc_each(lede_source_ctx *c, lede_stream *s, const char *path) {
    warc_head h = {.length = -1};
    char msg[512];
    int rc = 0;
    for (;;) {
        head_free(&h);
        uint64_t start = s->offset;
        int r = read_head(c, s, &h, msg, sizeof msg);
        if (r <= 0) {
            if (r < 0) lede_source_fail(c, path, NULL, "%s", msg);
            break;
        }
        char offset_name[80];
        if (c->in_member && c->member_base)
            snprintf(offset_name, sizeof offset_name, "offset %llu after byte %llu", (unsigned long long)start,
                     (unsigned long long)c->member_base);
        else
            snprintf(offset_name, sizeof offset_name, "offset %llu", (unsigned long long)start);
        const char *member = h.id ? h.id : offset_name;
        if (!is_document_record(h.type) || (uint64_t)h.length > c->max + 65536) {
            if (is_document_record(h.type))
                lede_source_fail(c, path, member, "record of %lld bytes is over the %zu-byte limit", h.length, c->max);
            else
                c->st->skipped++;
            if (lede_stream_skip(s, (uint64_t)h.length) != 1) {
                lede_source_fail(c, path, member, "%s", s->failed ? s->err : "truncated WARC record");
                break;
            }
            continue;
        }
        lede_buf_clear(&c->data);
        if ((r = lede_stream_read(s, (size_t)h.length, &c->data)) != 1) {
            lede_source_fail(c, path, member, "%s", r < 0 ? s->err : "truncated WARC record");
            break;
        }
        if ((rc = record_unit(c, path, member, &h)) != 0) break;
    }
    head_free(&h);
    return rc;
}
