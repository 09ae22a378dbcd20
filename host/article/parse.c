/* Format detection and dispatch: bytes in, articles out. */
#include "article/parse.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "article/date.h"
#include "limits.h"
#include "util/utf8.h"

void lede_parse_opts_init(lede_parse_opts *o) { memset(o, 0, sizeof *o); }

static const char *extension(const char *path) {
    if (!path) return "";
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

static const char *skip_space_bom(const char *s, const char *end) {
    if (end - s >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3;
    while (s < end && isspace((unsigned char)*s)) s++;
    return s;
}

/* Case-insensitive search for needle in the first `window` bytes. */
static int head_has(const char *s, size_t n, const char *needle, size_t window) {
    size_t m = strlen(needle);
    if (n > window) n = window;
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(s + i, needle, m) == 0) return 1;
    return 0;
}

static int looks_like_jsonl(const char *s, const char *end) {
    /* a JSON object, a newline, then another object */
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) return 0;
    const char *next = skip_space_bom(nl + 1, end);
    return next < end && *next == '{';
}

const char *lede_detect_format(const char *data, size_t len, const char *path) {
    const char *ext = extension(path);
    if (!strcasecmp(ext, "jsonl") || !strcasecmp(ext, "ndjson")) return "jsonl";
    if (!strcasecmp(ext, "json")) return "json";
    if (!strcasecmp(ext, "md") || !strcasecmp(ext, "markdown")) return "markdown";
    if (!strcasecmp(ext, "rss") || !strcasecmp(ext, "atom")) return "feed";
    const char *end = data + len;
    const char *s = skip_space_bom(data, end);
    /* UTF-16 with BOM: only HTML/XML come that way in practice */
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return "html";
    if (s < end && (*s == '{' || *s == '['))
        return (*s == '{' && looks_like_jsonl(s, end) && strcasecmp(ext, "json")) ? "jsonl" : "json";
    if (end - s >= 3 && strncmp(s, "---", 3) == 0) return "markdown";
    if (s < end && *s == '<') {
        size_t rest = (size_t)(end - s);
        if (head_has(s, rest, "<rss", 2048) || head_has(s, rest, "<feed", 2048) ||
            head_has(s, rest, "<rdf:RDF", 2048))
            return head_has(s, rest, "<html", 2048) ? "html" : "feed";
        if (rest >= 5 && strncmp(s, "<?xml", 5) == 0 && !head_has(s, rest, "<html", 4096) &&
            !head_has(s, rest, "<!DOCTYPE html", 4096))
            return "xml";
        return "html";
    }
    if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml"))
        return "html";
    /* plain text that still carries markup (a page saved without its first bytes) */
    if (head_has(s, (size_t)(end - s), "<html", 1024) || head_has(s, (size_t)(end - s), "<body", 4096))
        return "html";
    return "text";
}

/* libxml2 reports through a global-per-thread handler; the library must never print. */
static void silent_error(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static void silence_libxml(void) {
    xmlSetGenericErrorFunc(NULL, silent_error);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

/* Binary junk rather than text: a NUL in the first 4 KiB, or more than 5% control bytes there
 * (random bytes have about 11%, text next to none).
 * Something that starts like HTML ("<" after blanks: random bytes do one time in 256) is judged
 * by the share alone, since real pages now and then carry a stray NUL. */
static int looks_binary(const char *data, size_t len, int html) {
    size_t n = len < 4096 ? len : 4096, ctrl = 0;
    if (n >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                   ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return 0; /* UTF-16 text has NULs by design */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0 && !html) return 1;
        if (c < 9 || (c > 13 && c < 32)) ctrl++;
    }
    return n && ctrl * 20 > n;
}

int lede_parse(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
               char *err, size_t errlen) {
    lede_parse_opts defaults;
    if (!o) {
        lede_parse_opts_init(&defaults);
        o = &defaults;
    }
    size_t max = o->max_bytes ? o->max_bytes : LEDE_DEFAULT_MAX_ARTICLE_BYTES;
    if (len > max) {
        snprintf(err, errlen, "input is %zu bytes, over the %zu-byte limit (--max-article-bytes)",
                 len, max);
        return -1;
    }
    const char *s = skip_space_bom(data, data + len);
    if (s == data + len) return 0; /* empty or blank: no article, not an error */
    const char *fmt = o->format ? o->format : lede_detect_format(data, len, o->path);
    if (!o->format && looks_binary(data, len, !strcmp(fmt, "html"))) {
        snprintf(err, errlen, "binary data, not an article (NUL or control bytes near the start)");
        return -1;
    }
    silence_libxml();
    if (!strcmp(fmt, "html") || !strcmp(fmt, "xhtml")) return lede_parse_html(data, len, o, out, err, errlen);
    if (!strcmp(fmt, "feed") || !strcmp(fmt, "xml") || !strcmp(fmt, "rss") || !strcmp(fmt, "atom"))
        return lede_parse_feed(data, len, o, out, err, errlen);
    if (!strcmp(fmt, "json") || !strcmp(fmt, "jsonl")) return lede_parse_json(data, len, o, out, err, errlen);
    if (!strcmp(fmt, "text") || !strcmp(fmt, "markdown") || !strcmp(fmt, "txt") || !strcmp(fmt, "md"))
        return lede_parse_text(data, len, o, out, err, errlen);
    snprintf(err, errlen, "unknown format '%s' (known: html, feed, xml, text, markdown, json, jsonl)", fmt);
    return -1;
}

int lede_parse_finish_article(lede_article *a, const lede_parse_opts *o, const char *format) {
    if (!a->source_path && o->path) a->source_path = lede_strdup(o->path);
    if (!a->source_member && o->member) a->source_member = lede_strdup(o->member);
    if (!a->source_format) a->source_format = format;
    if (!a->url && o->url) lede_article_set(&a->url, o->url, strlen(o->url));
    if (!a->published && o->date) a->published = lede_date_iso(o->date, strlen(o->date));
    return lede_article_finish(a);
}

int lede_read_file(const char *path, lede_buf *b, char *err, size_t errlen) {
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory", path);
        if (fd != STDIN_FILENO) close(fd);
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        lede_buf_reserve(b, (size_t)st.st_size) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        if (fd != STDIN_FILENO) close(fd);
        return -1;
    }
    for (;;) {
        if (lede_buf_reserve(b, 65536) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            break;
        }
        ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            break;
        }
        if (r == 0) {
            b->data[b->len] = '\0';
            if (fd != STDIN_FILENO) close(fd);
            return 0;
        }
        b->len += (size_t)r;
    }
    if (fd != STDIN_FILENO) close(fd);
    return -1;
}
