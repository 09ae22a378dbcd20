/* lede.phrases (host/text/phrases.c): a fuzzed phrase list file, loaded, folded and compiled
 * into an automaton, then scanned over a fuzzed subject in both modes.
 *
 * Input: a mode byte (bits 0..1: LEDE_FOLD_CASE/LEDE_FOLD_MARKS), then the list file
 * ("phrase<TAB>label<TAB>alias..." lines) up to the first NUL byte, then the subject. The list
 * goes through lede_phrases_load, so it is written to a temporary file first. */
#include <unistd.h>

#include "fuzz_common.h"
#include "text/normalize.h"
#include "text/phrases.h"

static char path[4096];

static void cleanup(void) { unlink(path); }

static void check_hits(const lede_phrases *p, const lede_phrase_hit *h, size_t nh, size_t n, int all) {
    for (size_t i = 0; i < nh; i++) {
        FZ_CHECK(h[i].entry < lede_phrases_count(p) && h[i].len > 0 && h[i].start <= n && h[i].len <= n - h[i].start,
                 "hit %zu: entry %zu at %zu+%zu, subject %zu bytes", i, h[i].entry, h[i].start, h[i].len, n);
        if (i == 0) continue;
        FZ_CHECK(h[i - 1].start <= h[i].start, "hits out of order at %zu", i);
        if (!all)
            FZ_CHECK(h[i - 1].start + h[i - 1].len <= h[i].start, "hits %zu and %zu overlap (%zu+%zu, %zu)", i - 1, i,
                     h[i - 1].start, h[i - 1].len, h[i].start);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    if (!*path) {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/lede-fuzz-phrases.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0) {
            perror("mkstemp");
            abort();
        }
        close(fd);
        atexit(cleanup);
    }
    unsigned mode = data[0] & (LEDE_FOLD_CASE | LEDE_FOLD_MARKS);
    const char *list = (const char *)data + 1;
    size_t rest = size - 1;
    const char *nul = memchr(list, 0, rest);
    size_t llen = nul ? (size_t)(nul - list) : rest;
    const char *s = nul ? nul + 1 : "";
    size_t n = nul ? rest - llen - 1 : 0;

    FILE *f = fopen(path, "wb");
    FZ_CHECK(f && fwrite(list, 1, llen, f) == llen && fclose(f) == 0, "cannot write %s", path);

    lede_phrases *p = lede_phrases_new(mode);
    FZ_CHECK(p != NULL, "no phrase list");
    char err[512];
    /* A bad line stops the load; the entries before it stay, and must still work. */
    lede_phrases_load(p, path, err, sizeof err);
    /* Phrases and labels come back as given (bytes, not necessarily UTF-8: Lua strings). */
    for (size_t i = 0; i < lede_phrases_count(p); i++)
        FZ_CHECK(lede_phrases_phrase(p, i) != NULL, "entry %zu has no phrase", i);
    if (lede_phrases_compile(p, err, sizeof err) == 0) {
        for (int all = 0; all <= 1; all++) {
            lede_phrase_hit *h = NULL;
            size_t nh = 0;
            if (lede_phrases_scan(p, s, n, all, &h, &nh) == 0) check_hits(p, h, nh, n, all);
            free(h);
        }
    }
    lede_phrases_free(p);
    return 0;
}
