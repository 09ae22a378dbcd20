/* lede.re (host/text/re.c): a fuzzed pattern compiled with fuzzed flags (through the
 * process-wide cache), then every match over a fuzzed subject, the way re:gmatch walks them.
 *
 * Input: flags byte (LEDE_RE_* bits 0..7), option byte (bit 0: LEDE_RE_NOJIT, bit 1: anchored
 * exec), the pattern up to the first NUL byte, then the subject. Patterns never contain a raw
 * NUL this way; "\x00" and "\0" in pattern syntax still reach PCRE2. */
#include "fuzz_common.h"
#include "text/re.h"

static lede_re_matcher *matcher(void) {
    /* Limits far below lede's defaults: a catastrophic pattern must fail fast here, or the
     * fuzzer spends its time inside one backtracking match instead of exploring (the limit
     * paths themselves are what gets exercised either way). */
    static lede_re_matcher *m;
    if (!m) {
        lede_re_limits l = {.match = 20000, .depth = 2000, .heap_kib = 1024, .jit_stack_max = 256u * 1024};
        m = lede_re_matcher_new(&l);
        FZ_CHECK(m != NULL, "no matcher");
    }
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    unsigned flags = data[0] | (data[1] & 1 ? LEDE_RE_NOJIT : 0);
    unsigned opts = data[1] & 2 ? LEDE_RE_EXEC_ANCHORED : 0;
    const char *p = (const char *)data + 2;
    size_t rest = size - 2;
    const char *nul = memchr(p, 0, rest);
    size_t plen = nul ? (size_t)(nul - p) : rest;
    const char *s = nul ? nul + 1 : "";
    size_t n = nul ? rest - plen - 1 : 0;

    lede_re *re;
    char err[256];
    if (lede_re_compile(p, plen, flags, &re, err, sizeof err) != LEDE_RE_OK) return 0;
    size_t plen2;
    const char *p2 = lede_re_pattern(re, &plen2);
    FZ_CHECK(plen2 == plen && !memcmp(p2, p, plen), "compiled pattern differs from its source");
    uint32_t groups = lede_re_capture_count(re);
    for (uint32_t i = 0; i < lede_re_name_count(re); i++) {
        uint32_t g = 0;
        const char *name = lede_re_name_at(re, i, &g);
        FZ_CHECK(name && g >= 1 && g <= groups, "name %u names group %u of %u", i, g, groups);
    }

    lede_re_matcher *m = matcher();
    size_t off = 0;
    while (off <= n) {
        int rc = lede_re_exec(re, m, s, n, off, opts);
        if (rc < 0) {
            char msg[256];
            lede_re_strerror(m, rc, msg, sizeof msg);
            FZ_CHECK(*msg, "empty message for error %d", rc);
        }
        if (rc <= 0) break;
        const size_t *ov = lede_re_offsets(m);
        FZ_CHECK(ov[0] <= ov[1] && ov[1] <= n, "match %zu..%zu outside a %zu-byte subject", ov[0], ov[1], n);
        FZ_CHECK(ov[0] >= off, "match at %zu starts before the search offset %zu", ov[0], off);
        for (uint32_t g = 1; g <= groups; g++) {
            size_t a = ov[2 * g], b = ov[2 * g + 1];
            FZ_CHECK((a == LEDE_RE_UNSET && b == LEDE_RE_UNSET) || (a <= n && b <= n),
                     "group %u at %zu..%zu outside a %zu-byte subject", g, a, b, n);
        }
        /* step past an empty match by one character, as gmatch does */
        size_t step = ov[1] > ov[0] ? 0 : lede_re_char_len(re, s, n, ov[1]);
        FZ_CHECK(ov[1] > ov[0] || ov[1] == n || step >= 1, "zero-length step at %zu", ov[1]);
        off = ov[1] + step;
        if (opts & LEDE_RE_EXEC_ANCHORED) break;
    }
    lede_re_release(re);
    return 0;
}
