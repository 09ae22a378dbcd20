/* lede.re.set (host/text/reset.c): fuzzed pattern sets over a fuzzed subject, checked against
 * the contract in reset.h: a set scan equals running each pattern on its own, all
 * non-overlapping matches left to right. So besides memory errors this target catches a
 * literal prefilter that drops a match (or invents one).
 *
 * Input: flags byte (LEDE_RE_* bits 0..7, for every pattern), then up to 16 patterns separated
 * by '\n' up to the first NUL byte, then the subject. A pattern that does not compile is left
 * out of the set. */
#include "fuzz_common.h"
#include "text/reset.h"

#define MAX_PATTERNS 16

static lede_re_matcher *matcher(void) {
    /* Low limits so catastrophic patterns fail fast (see fuzz_re.c). */
    static lede_re_matcher *m;
    if (!m) {
        lede_re_limits l = {.match = 20000, .depth = 2000, .heap_kib = 1024, .jit_stack_max = 256u * 1024};
        m = lede_re_matcher_new(&l);
        FZ_CHECK(m != NULL, "no matcher");
    }
    return m;
}

/* The reference: one pattern alone over the whole subject, as reset.h defines the result. */
static int reference(const lede_re *re, lede_re_matcher *m, const char *s, size_t n, size_t pat,
                     lede_reset_match **out, size_t *nout, size_t *cap) {
    size_t off = 0;
    while (off <= n) {
        int rc = lede_re_exec(re, m, s, n, off, 0);
        if (rc <= 0) return rc;
        const size_t *ov = lede_re_offsets(m);
        if (*nout == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *out = realloc(*out, *cap * sizeof **out);
            FZ_CHECK(*out != NULL, "out of memory");
        }
        (*out)[(*nout)++] = (lede_reset_match){pat, ov[0], ov[1]};
        off = ov[1] > ov[0] ? ov[1] : ov[1] + lede_re_char_len(re, s, n, ov[1]);
    }
    return 0;
}

static int cmp_match(const void *a, const void *b) {
    const lede_reset_match *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->pattern != y->pattern) return x->pattern < y->pattern ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned flags = data[0];
    const char *p = (const char *)data + 1;
    size_t rest = size - 1;
    const char *nul = memchr(p, 0, rest);
    size_t plen = nul ? (size_t)(nul - p) : rest;
    const char *s = nul ? nul + 1 : "";
    size_t n = nul ? rest - plen - 1 : 0;

    lede_reset *rs = lede_reset_new();
    FZ_CHECK(rs != NULL, "no set");
    lede_re *alone[MAX_PATTERNS];
    size_t npat = 0;
    char err[256];
    for (const char *q = p, *end = p + plen; q <= end && npat < MAX_PATTERNS;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t len = nl ? (size_t)(nl - q) : (size_t)(end - q);
        lede_re *re;
        if (lede_re_compile(q, len, flags, &re, err, sizeof err) == LEDE_RE_OK) {
            int idx = lede_reset_add(rs, q, len, flags, err, sizeof err);
            FZ_CHECK(idx == (int)npat, "pattern compiles alone but the set refused it (%d): %s", idx, err);
            alone[npat++] = re;
        }
        if (!nl) break;
        q = nl + 1;
    }
    if (lede_reset_compile(rs, err, sizeof err) != 0) goto done;
    FZ_CHECK(lede_reset_count(rs) == npat, "set holds %zu patterns, %zu added", lede_reset_count(rs), npat);

    lede_re_matcher *m = matcher();
    lede_reset_match *got = NULL;
    size_t ngot = 0, failed = 0;
    int rc = lede_reset_scan(rs, m, s, n, &got, &ngot, &failed);
    if (rc != 0) {
        FZ_CHECK(rc < 0 && failed < npat, "scan failed with %d on pattern %zu of %zu", rc, failed, npat);
        free(got);
        goto done;
    }
    for (size_t i = 0; i < ngot; i++) {
        FZ_CHECK(got[i].pattern < npat && got[i].start <= got[i].end && got[i].end <= n,
                 "match %zu: pattern %zu at %zu..%zu, subject %zu bytes", i, got[i].pattern, got[i].start, got[i].end, n);
        FZ_CHECK(i == 0 || got[i - 1].start < got[i].start ||
                     (got[i - 1].start == got[i].start && got[i - 1].pattern <= got[i].pattern),
                 "matches out of order at %zu", i);
    }

    lede_reset_match *want = NULL;
    size_t nwant = 0, cap = 0;
    int limit = 0;
    for (size_t i = 0; i < npat && !limit; i++)
        if (reference(alone[i], m, s, n, i, &want, &nwant, &cap) < 0) limit = 1;
    /* A limit hit alone but not in the set (or the other way) is not a disagreement: the
     * anchored copies backtrack differently from a whole-text search. */
    if (!limit) {
        if (ngot > 1) qsort(got, ngot, sizeof *got, cmp_match);
        if (nwant > 1) qsort(want, nwant, sizeof *want, cmp_match);
        size_t i = 0;
        while (i < ngot && i < nwant && !cmp_match(&got[i], &want[i])) i++;
        if (i < ngot || i < nwant) {
            fprintf(stderr, "set scan and single-pattern scans disagree (flags 0x%02x):\n", flags);
            for (size_t k = 0; k < npat; k++) {
                size_t l;
                const char *src = lede_re_pattern(alone[k], &l);
                fprintf(stderr, "  pattern %zu%s: %.*s\n", k, lede_reset_prefiltered(rs, k) ? " (prefiltered)" : "",
                        (int)l, src);
            }
            if (i < ngot) fprintf(stderr, "  set: pattern %zu at %zu..%zu\n", got[i].pattern, got[i].start, got[i].end);
            if (i < nwant) fprintf(stderr, "  alone: pattern %zu at %zu..%zu\n", want[i].pattern, want[i].start, want[i].end);
            abort();
        }
    }
    free(want);
    free(got);
done:
    for (size_t i = 0; i < npat; i++) lede_re_release(alone[i]);
    lede_reset_free(rs);
    return 0;
}
