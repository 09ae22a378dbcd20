/* The WARC.gz splitter (host/input/warcgz.c): the reader's scan for gzip members that start a
 * record, the probes, the chunks over 2 MB read in place, and each worker's inflation of a chunk
 * into WARC records — all through lede_sources_each with split_warc_gz set, as `lede run` does.
 * It reads paths only, so the input is written to a private temporary file first.
 *
 * Input: one selector byte (bit 0: a 4 KiB document limit; bit 1: chunks over 300 bytes are read
 * in place, as a 2 MB one would be), then the file's bytes. Every chunk
 * must lie inside the file, start with a gzip header, and yield units whose members are
 * terminated strings; a record unit's bytes are all touched so ASan sees any overrun. */
#include "fuzz_common.h"
#include "input/source.h"
#include "input/warcgz.h"

static char dir[4096], path[4200];
static lede_warcgz_reader *reader;

static void cleanup(void) {
    unlink(path);
    rmdir(dir);
    lede_warcgz_reader_free(reader);
}

typedef struct {
    size_t file_len;
    const lede_source_opts *opts;
    unsigned sum;
} ctx;

static int on_record(void *ud, const lede_unit *u) {
    ctx *c = ud;
    FZ_CHECK(!u->warc_gz, "a chunk inside a chunk");
    for (size_t i = 0; i < u->len; i++) c->sum += (unsigned char)u->data[i];
    if (u->member) FZ_CHECK(strlen(u->member) < 1u << 20, "member name unterminated");
    return 0;
}

static void on_error(void *ud, const char *p, const char *member, const char *message) {
    (void)ud, (void)p, (void)member;
    FZ_CHECK(message != NULL && *message, "error without a message");
}

static int on_unit(void *ud, const lede_unit *u) {
    ctx *c = ud;
    if (!u->warc_gz) return on_record(ud, u); /* read by the reader itself */
    FZ_CHECK(u->offset + u->len <= c->file_len, "chunk [%llu, +%zu) past the end of a %zu-byte file",
             (unsigned long long)u->offset, u->len, c->file_len);
    FZ_CHECK(u->len >= 4 && (unsigned char)u->data[0] == 0x1f && (unsigned char)u->data[1] == 0x8b,
             "chunk at byte %llu does not start with a gzip header", (unsigned long long)u->offset);
    lede_source_stats st = {0};
    lede_warcgz_chunk_each(reader, u, c->opts, on_record, on_error, c, &st);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    if (!*dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/lede-fuzz-warcgz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            abort();
        }
        snprintf(path, sizeof path, "%s/in.warc.gz", dir);
        reader = lede_warcgz_reader_new();
        FZ_CHECK(reader != NULL, "out of memory");
        atexit(cleanup);
    }
    fz_write_file(path, data + 1, size - 1);
    lede_source_opts o = {.split_warc_gz = 1};
    if (data[0] & 1) o.max_bytes = 4096;
    if (data[0] & 2) o.max_chunk = 300;
    ctx c = {.file_len = size - 1, .opts = &o};
    char *paths[] = {path};
    lede_source_stats st = {0};
    lede_sources_each(paths, 1, &o, on_unit, on_error, &c, &st);
    unlink(path);
    return 0;
}
