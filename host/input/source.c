/* Dispatch: which reader a path needs. Plain documents are read whole; everything else goes
 * through libarchive, which undoes compression (gzip, zstd, bzip2, xz) and reads tar, zip, 7z
 * and cpio; a stream that is no archive ("raw") is sniffed for WARC and JSONL. */
#include <archive.h>
#include <archive_entry.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "article/parse.h"
#include "input/source_int.h"
#include "input/stream.h"
#include "input/walk.h"
#include "input/warcgz.h"
#include "limits.h"

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static const char *ext_of(const char *name, size_t len) {
    for (size_t i = len; i > 0; i--) {
        if (name[i - 1] == '/') break;
        if (name[i - 1] == '.') return name + i;
    }
    return "";
}

static int ext_is(const char *ext, size_t len, const char *const *list) {
    for (; *list; list++)
        if (strlen(*list) == len && !strncasecmp(ext, *list, len)) return 1;
    return 0;
}

static const char *const COMPRESSED[] = {"gz", "zst", "bz2", "xz", "lz4", "tgz", "tzst", NULL};
static const char *const DOCUMENTS[] = {"html", "htm", "xhtml", "txt", "text", "md", "markdown",
                                        "json", "rss", "atom", "xml", NULL};
static const char *const JSONL[] = {"jsonl", "ndjson", NULL};

/* Length of name without a compression suffix ("a.warc.gz" -> "a.warc"). */
static size_t inner_len(const char *name) {
    size_t n = strlen(name);
    const char *e = ext_of(name, n);
    if (*e && ext_is(e, n - (size_t)(e - name), COMPRESSED)) return (size_t)(e - name) - 1;
    return n;
}

static int has_ext(const char *name, size_t len, const char *const *list) {
    const char *e = ext_of(name, len);
    return *e && ext_is(e, len - (size_t)(e - name), list);
}

static int glob_match(const char *pat, const char *name) {
    if (strchr(pat, '/')) return fnmatch(pat, name, 0) == 0;
    return fnmatch(pat, base_name(name), 0) == 0;
}

int lede_source_glob_ok(const lede_source_opts *o, const char *name) {
    if (!o) return 1;
    int in = o->n_include == 0;
    for (size_t i = 0; i < o->n_include && !in; i++) in = glob_match(o->include[i], name);
    for (size_t i = 0; i < o->n_exclude && in; i++) in = !glob_match(o->exclude[i], name);
    return in;
}

void lede_source_fail(lede_source_ctx *c, const char *path, const char *member, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->st->failed++;
    if (c->prefix) {
        lede_buf_clear(&c->member);
        if (member) lede_buf_printf(&c->member, "%s#%s", c->prefix, member);
        else lede_buf_puts(&c->member, c->prefix);
        member = c->member.data;
    }
    if (c->on_error) c->on_error(c->ud, path, member, msg);
}

int lede_source_emit(lede_source_ctx *c, const lede_unit *u) {
    lede_unit v = *u;
    if (c->prefix) {
        lede_buf_clear(&c->member);
        if (u->member) lede_buf_printf(&c->member, "%s#%s", c->prefix, u->member);
        else lede_buf_puts(&c->member, c->prefix);
        v.member = c->member.data;
    }
    if (c->cur) c->st->bytes = c->bytes_done + (uint64_t)archive_filter_bytes(c->cur, -1);
    c->st->units++;
    return c->fn(c->ud, &v);
}

/* One JSON record per line; blank lines are skipped, "line N" names each. */
static int jsonl_each(lede_source_ctx *c, lede_stream *s, const char *path) {
    int cut, r, rc = 0;
    size_t lineno = 0;
    while (rc == 0 && (r = lede_stream_line(s, &c->data, c->max, &cut)) == 1) {
        char name[32];
        snprintf(name, sizeof name, "line %zu", ++lineno);
        if (cut) {
            lede_source_fail(c, path, name, "line is over the %zu-byte limit (--max-article-bytes)", c->max);
            continue;
        }
        size_t i = 0;
        while (i < c->data.len && (c->data.data[i] == ' ' || c->data.data[i] == '\t')) i++;
        if (i == c->data.len) continue;
        lede_unit u = {.path = path, .member = name, .data = c->data.data, .len = c->data.len, .format = "json"};
        rc = lede_source_emit(c, &u);
    }
    if (rc == 0 && r < 0) lede_source_fail(c, path, NULL, "%s", s->err);
    return rc;
}

static int looks_jsonl(const char *p, size_t n) {
    while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++, n--;
    if (!n || *p != '{') return 0;
    const char *nl = memchr(p, '\n', n);
    if (!nl) return 0;
    for (nl++; nl < p + n && (*nl == ' ' || *nl == '\r' || *nl == '\n' || *nl == '\t');) nl++;
    return nl < p + n && *nl == '{';
}

/* The current libarchive entry: a WARC file, a JSONL file, or one document. name is the name
 * used to guess (the file's path, or the member's), path the provenance. */
static int entry_each(lede_source_ctx *c, lede_stream *s, const char *path, const char *name) {
    const char *p;
    size_t n;
    if (lede_stream_peek(s, &p, &n) < 0) {
        lede_source_fail(c, path, NULL, "%s", s->err);
        return 0;
    }
    size_t in = inner_len(name);
    if (n >= 5 && !memcmp(p, "WARC/", 5)) return lede_warc_each(c, s, path);
    if (!c->opts->format && (has_ext(name, in, JSONL) || (!has_ext(name, in, DOCUMENTS) && looks_jsonl(p, n))))
        return jsonl_each(c, s, path);
    lede_buf_clear(&c->data);
    int over;
    if (lede_stream_rest(s, &c->data, c->max, &over) < 0) {
        lede_source_fail(c, path, NULL, "%s", s->err);
        return 0;
    }
    if (over) {
        lede_source_fail(c, path, NULL, "over the %zu-byte limit (--max-article-bytes)", c->max);
        return 0;
    }
    if (c->data.len == 0) return 0;
    lede_unit u = {.path = path, .data = c->data.data, .len = c->data.len, .format = c->opts->format};
    return lede_source_emit(c, &u);
}

static int skip_member(lede_source_ctx *c, struct archive_entry *e, const char *name) {
    if (archive_entry_filetype(e) != AE_IFREG) return 1;
    const char *b = base_name(name);
    if (b[0] == '.' || !strncmp(name, "__MACOSX/", 9)) return 1;
    return !lede_source_glob_ok(c->opts, name);
}

static int members_each(lede_source_ctx *c, struct archive *a, struct archive_entry *e, const char *path) {
    int rc = 0, r = ARCHIVE_OK;
    for (; rc == 0 && r == ARCHIVE_OK; r = archive_read_next_header(a, &e)) {
        const char *name = archive_entry_pathname(e);
        if (!name || skip_member(c, e, name)) continue;
        lede_stream s;
        lede_stream_init(&s, a);
        c->prefix = name;
        rc = entry_each(c, &s, path, name);
        c->prefix = NULL;
        if (s.failed) return rc; /* a corrupt member: the rest of this archive cannot be trusted */
    }
    if (rc == 0 && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
        const char *m = archive_error_string(a);
        lede_source_fail(c, path, NULL, "%s", m ? m : "corrupt archive");
    }
    return rc;
}

static struct archive *open_archive(const char *path) {
    struct archive *a = archive_read_new();
    if (!a) return NULL;
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_empty(a);
    archive_read_support_format_raw(a);
    int r = strcmp(path, "-") ? archive_read_open_filename(a, path, 1 << 16) : archive_read_open_fd(a, 0, 1 << 16);
    (void)r;
    return a;
}

static int archive_file(lede_source_ctx *c, const char *path) {
    struct archive *a = open_archive(path);
    if (!a) {
        lede_source_fail(c, path, NULL, "out of memory");
        return 0;
    }
    struct archive_entry *e;
    int rc = 0, r = archive_read_next_header(a, &e);
    c->cur = a;
    if (r == ARCHIVE_EOF) {
        /* empty */
    } else if (r < ARCHIVE_WARN) {
        const char *m = archive_error_string(a);
        lede_source_fail(c, path, NULL, "%s", m ? m : "unreadable (corrupt or truncated?)");
    } else if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
        lede_stream s;
        lede_stream_init(&s, a);
        rc = entry_each(c, &s, path, strcmp(path, "-") ? path : "");
    } else {
        rc = members_each(c, a, e, path);
    }
    c->bytes_done += (uint64_t)archive_filter_bytes(a, -1);
    c->st->bytes = c->bytes_done;
    c->cur = NULL;
    archive_read_free(a);
    return rc;
}

/* Archive and compression signatures (zip, gzip, zstd, bzip2, xz, 7z, tar): a "page.html" that
 * is really a zip is read as the zip it is, not parsed into an article of binary junk. */
static int looks_packed(const unsigned char *p, size_t n) {
    static const struct { const char *magic; size_t len; } sig[] = {
        {"PK\3\4", 4}, {"\x1f\x8b", 2}, {"\x28\xb5\x2f\xfd", 4}, {"BZh", 3},
        {"\xfd" "7zXZ\0", 6}, {"7z\xbc\xaf\x27\x1c", 6}};
    for (size_t i = 0; i < sizeof sig / sizeof *sig; i++)
        if (n >= sig[i].len && !memcmp(p, sig[i].magic, sig[i].len)) return 1;
    return n > 262 && !memcmp(p + 257, "ustar", 5);
}

static int archive_file(lede_source_ctx *c, const char *path);

/* A plain document: read whole into the reused buffer, no libarchive in the way. */
static int plain_file(lede_source_ctx *c, const char *path) {
    char err[1024];
    lede_buf_clear(&c->data);
    if (lede_read_file(path, &c->data, err, sizeof err) != 0) {
        lede_source_fail(c, path, NULL, "%s", strncmp(err, path, strlen(path)) ? err : err + strlen(path) + 2);
        return 0;
    }
    if (c->data.data && looks_packed((const unsigned char *)c->data.data, c->data.len))
        return archive_file(c, path); /* the bytes decide, not the name */
    c->bytes_done += c->data.len;
    if (c->data.len > c->max) {
        lede_source_fail(c, path, NULL, "input is %zu bytes, over the %zu-byte limit (--max-article-bytes)",
                         c->data.len, c->max);
        return 0;
    }
    lede_unit u = {.path = path, .data = c->data.data ? c->data.data : "", .len = c->data.len, .format = c->opts->format};
    return lede_source_emit(c, &u);
}

static int one_path(void *ud, const char *path, int named) {
    lede_source_ctx *c = ud;
    if (!named && !lede_source_glob_ok(c->opts, path)) return 0;
    c->st->files++;
    int rc;
    if (strcmp(path, "-") && has_ext(path, strlen(path), DOCUMENTS))
        rc = plain_file(c, path);
    else if (c->opts->split_warc_gz && strcmp(path, "-") && (rc = lede_warcgz_file(c, path)) != LEDE_WARCGZ_NOT_MINE)
        ; /* split into chunks for the workers */
    else
        rc = archive_file(c, path);
    /* don't keep a huge buffer around after one huge document */
    if (c->data.cap > (64u << 20)) lede_buf_free(&c->data);
    return rc;
}

static void walk_error(void *ud, const char *path, const char *message) {
    lede_source_fail(ud, path, NULL, "%s", message);
}

int lede_sources_each(char *const *paths, size_t n, const lede_source_opts *opts, lede_unit_fn fn,
                      lede_source_err_fn on_error, void *ud, lede_source_stats *stats) {
    static const lede_source_opts none = {0};
    lede_source_ctx c = {.opts = opts ? opts : &none, .fn = fn, .on_error = on_error, .ud = ud, .st = stats};
    c.max = c.opts->max_bytes ? c.opts->max_bytes : LEDE_DEFAULT_MAX_ARTICLE_BYTES;
    lede_buf_init(&c.data);
    lede_buf_init(&c.line);
    lede_buf_init(&c.aux);
    lede_buf_init(&c.member);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) rc = lede_walk(paths[i], one_path, walk_error, &c);
    lede_buf_free(&c.data);
    lede_buf_free(&c.line);
    lede_buf_free(&c.aux);
    lede_buf_free(&c.member);
    return rc;
}

typedef struct {
    const lede_source_opts *opts;
    uint64_t total;
} size_ctx;

static int add_size(void *ud, const char *path, int named) {
    size_ctx *s = ud;
    struct stat st;
    if ((named || lede_source_glob_ok(s->opts, path)) && strcmp(path, "-") && stat(path, &st) == 0)
        s->total += (uint64_t)st.st_size;
    return 0;
}

uint64_t lede_sources_total_bytes(char *const *paths, size_t n, const lede_source_opts *opts) {
    size_ctx s = {opts, 0};
    for (size_t i = 0; i < n; i++) lede_walk(paths[i], add_size, NULL, &s);
    return s.total;
}
