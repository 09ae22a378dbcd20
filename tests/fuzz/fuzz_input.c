/* The input readers (host/input): libarchive containers (tar, zip, 7z, cpio, gzip/bzip2/xz/zstd
 * compression), member filtering, JSONL line splitting and its detection, WARC inside archives,
 * and the size limit, all through the public lede_sources_each. It reads paths only, so each
 * input is written to a file in a private temporary folder first.
 *
 * Input: one selector byte, then the file's bytes. Selector bits: 0 = name the file in.jsonl
 * (forces the JSONL reader) instead of "input" (content decides); 1 = force format html (no
 * JSONL detection); 2 = include/exclude globs on members; 3 = a 4 KiB document limit. The
 * corpus files carry that byte. */
#include "fuzz_common.h"
#include "input/source.h"

static char dir[4096];

static void cleanup(void) {
    char p[4200];
    snprintf(p, sizeof p, "%s/input", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/in.jsonl", dir);
    unlink(p);
    rmdir(dir);
}

static int on_unit(void *ud, const lede_unit *u) {
    /* Touch every byte, so ASan sees a unit pointing past its buffer. */
    unsigned sum = 0;
    for (size_t i = 0; i < u->len; i++) sum += (unsigned char)u->data[i];
    *(unsigned *)ud += sum;
    FZ_CHECK(u->path != NULL, "unit without a path");
    if (u->member) FZ_CHECK(strlen(u->member) < 1u << 20, "member name unterminated");
    return 0;
}

static void on_error(void *ud, const char *path, const char *member, const char *message) {
    (void)ud, (void)path, (void)member;
    FZ_CHECK(message != NULL, "error without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    if (!*dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/lede-fuzz-input.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    unsigned sel = data[0];
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, sel & 1 ? "in.jsonl" : "input");
    fz_write_file(path, data + 1, size - 1);

    static const char *const inc[] = {"*.html", "*.warc*", "*.jsonl"};
    static const char *const exc[] = {"*skip*"};
    lede_source_opts o = {0};
    if (sel & 2) o.format = "html";
    if (sel & 4) {
        o.include = inc, o.n_include = 3;
        o.exclude = exc, o.n_exclude = 1;
    }
    if (sel & 8) o.max_bytes = 4096;
    char *paths[] = {path};
    lede_source_stats st = {0};
    unsigned sum = 0;
    lede_sources_each(paths, 1, &o, on_unit, on_error, &sum, &st);
    unlink(path);
    return 0;
}
