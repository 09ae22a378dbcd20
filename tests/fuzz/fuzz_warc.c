/* The WARC reader (host/input/warc.c): record headers, Content-Length framing, HTTP response
 * heads, chunked transfer and gzip/deflate content encoding, then each document it yields parsed
 * with the transport's URL, charset and date, as a worker would. Input: a WARC file's bytes
 * (plain or gzip-compressed, as libarchive's raw reader sees them). */
#include <archive.h>
#include <archive_entry.h>

#include "fuzz_common.h"
#include "input/source_int.h"
#include "input/stream.h"

static void check_cstr(const char *what, const char *s) {
    if (s) FZ_CHECK(strlen(s) < 1u << 20, "%s is unterminated or huge", what);
}

static int on_unit(void *ud, const lede_unit *u) {
    (void)ud;
    FZ_CHECK(u->data != NULL || u->len == 0, "unit with NULL data and %zu bytes", u->len);
    check_cstr("member", u->member);
    check_cstr("url", u->url);
    check_cstr("charset", u->charset);
    check_cstr("date", u->date);
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = "fuzz.warc";
    o.member = u->member;
    o.format = u->format;
    o.url = u->url;
    o.charset = u->charset;
    o.date = u->date;
    fz_parse_check(u->data, u->len, &o);
    return 0;
}

static void on_error(void *ud, const char *path, const char *member, const char *message) {
    (void)ud, (void)path, (void)member;
    FZ_CHECK(message != NULL, "error without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* The same libarchive setup lede_sources_each uses for a file with no document extension,
     * but over memory: the WARC reader only ever sees a stream. */
    struct archive *a = archive_read_new();
    if (!a) return 0;
    archive_read_support_filter_gzip(a);
    archive_read_support_format_raw(a);
    struct archive_entry *e;
    if (archive_read_open_memory(a, data, size) != ARCHIVE_OK || archive_read_next_header(a, &e) != ARCHIVE_OK) {
        archive_read_free(a);
        return 0;
    }
    static const lede_source_opts opts = {0};
    lede_source_stats st = {0};
    lede_source_ctx c = {.opts = &opts, .fn = on_unit, .on_error = on_error, .st = &st,
                         /* small, so the over-the-limit paths are reachable with small inputs */
                         .max = 1u << 16};
    lede_buf_init(&c.data);
    lede_buf_init(&c.line);
    lede_buf_init(&c.aux);
    lede_buf_init(&c.member);
    lede_stream s;
    lede_stream_init(&s, a);
    lede_warc_each(&c, &s, "fuzz.warc");
    lede_buf_free(&c.data);
    lede_buf_free(&c.line);
    lede_buf_free(&c.aux);
    lede_buf_free(&c.member);
    archive_read_free(a);
    return 0;
}
