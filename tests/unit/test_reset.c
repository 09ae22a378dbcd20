/* Pattern sets: prefix extraction, equivalence with one-by-one matching, limits. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text/relit.h"
#include "text/reset.h"

static const char *lits(const char *p, int caseless) {
    static char out[1024];
    lede_relit r;
    if (lede_relit_prefixes(p, strlen(p), caseless, &r)) return "NONE";
    size_t w = 0;
    out[0] = 0;
    for (size_t i = 0; i < r.n; i++) w += (size_t)snprintf(out + w, sizeof out - w, "%s%s", i ? "," : "", r.s[i]);
    return out;
}

static void test_relit(void) {
    CHECK_STR(lits("\\bsanction(?:s|ed)?\\b", 1), "sanction");
    CHECK_STR(lits("\\b(?:Iran|Tehran)\\b", 1), "iran,tehran");
    CHECK_STR(lits("(?<name>Kim|Xi)\\s+\\w+", 0), "Kim,Xi");
    CHECK_STR(lits("[Bb]lack[-\\s]?list", 0), "Black,black");
    CHECK_STR(lits("\\$\\s?\\d+", 1), "$");
    CHECK_STR(lits("a?b", 0), "ab,b");
    CHECK_STR(lits("é?x", 0), "éx,x");
    CHECK_STR(lits("Éa", 1), "NONE"); /* non-ASCII under caseless: no byte-wise literal */
    CHECK_STR(lits("x*", 0), "NONE");
    CHECK_STR(lits("\\w+ing", 0), "NONE");
    CHECK_STR(lits("(?i)abc", 0), "NONE");
    CHECK_STR(lits("(?=ab)abc|x{2,3}", 0), "abc,x");
    CHECK_STR(lits("a{,3}", 0), "a{,3}"); /* not a quantifier in PCRE2 10.42 */
}

/* Matches of the set == matches of each pattern alone, on awkward text. */
static char long_text[8192];

/* Long enough for the two-stream prefilter; the pieces shift by one byte per repeat so that
 * matches fall across the midpoint in every alignment. */
static const char *make_long_text(void) {
    const char *pieces[] = {"EU sanctions", "U.S.", "1,000,000", "kilo", "abc", "sanctioned", "é"};
    size_t w = 0;
    for (int i = 0; w + 96 < sizeof long_text; i++) {
        for (int k = 0; k < i % 5; k++) long_text[w++] = ' ';
        w += (size_t)snprintf(long_text + w, sizeof long_text - w, "%s ", pieces[i % 7]);
    }
    /* KELVIN SIGN folds to 'k' in caseless matching: only the second stream sees this one */
    w += (size_t)snprintf(long_text + w, sizeof long_text - w, "\xE2\x84\xAAILO end");
    long_text[w] = 0;
    return long_text;
}

static void test_equivalence(void) {
    const char *pats[] = {"\\bsanction(?:s|ed)?\\b", "\\b(?:EU|U\\.?S\\.?)\\b", "\\d+(?:,\\d+)*",
                          "\\bk\\w+", "(?:ab|b)c", "x*", "\\w+ing\\b", "é+", NULL};
    const char *texts[] = {"EU sanctions; U.S. sanctioned; the US said 1,000,000 times",
                           "abc bc abbc", "\xE2\x84\xAA" "ilo KILO kilo", "sanctioning selling é éé",
                           "", "\xff\xfe sanctions \xc3", make_long_text(), NULL};
    lede_re_matcher *m = lede_re_matcher_new(NULL);
    char err[256];
    lede_reset *rs = lede_reset_new();
    size_t np = 0;
    for (; pats[np]; np++) CHECK(lede_reset_add(rs, pats[np], strlen(pats[np]), LEDE_RE_CASELESS, err, sizeof err) == (int)np);
    CHECK(lede_reset_compile(rs, err, sizeof err) == 0);
    CHECK(lede_reset_prefiltered(rs, 0) && !lede_reset_prefiltered(rs, 5) && !lede_reset_prefiltered(rs, 6));
    for (size_t t = 0; texts[t]; t++) {
        const char *s = texts[t];
        size_t n = strlen(s), nout, failed;
        lede_reset_match *out;
        CHECK(lede_reset_scan(rs, m, s, n, &out, &nout, &failed) == 0);
        /* expected: each pattern alone, all non-overlapping matches */
        size_t k = 0;
        int ok = 1;
        for (size_t i = 0; i < nout; i++) ok &= i == 0 || out[i].start >= out[i - 1].start;
        for (size_t p = 0; p < np; p++) {
            lede_re *re;
            lede_re_compile(pats[p], strlen(pats[p]), LEDE_RE_CASELESS, &re, err, sizeof err);
            size_t off = 0;
            while (off <= n && lede_re_exec(re, m, s, n, off, 0) == 1) {
                const size_t *ov = lede_re_offsets(m);
                int found = 0;
                for (size_t i = 0; i < nout; i++)
                    found |= out[i].pattern == p && out[i].start == ov[0] && out[i].end == ov[1];
                if (!found) fprintf(stderr, "  missing: pattern %zu at %zu in text %zu\n", p, ov[0], t);
                ok &= found;
                k++;
                off = ov[1] > ov[0] ? ov[1] : ov[1] + lede_re_char_len(re, s, n, ov[1]);
            }
            lede_re_release(re);
        }
        CHECK(ok && k == nout);
        free(out);
    }
    lede_reset_free(rs);
    lede_re_matcher_free(m);
}

static void test_errors(void) {
    char err[256];
    lede_reset *rs = lede_reset_new();
    CHECK(lede_reset_add(rs, "ok", 2, 0, err, sizeof err) == 0);
    CHECK(lede_reset_add(rs, "(bad", 4, 0, err, sizeof err) == LEDE_RE_EPATTERN);
    CHECK(strstr(err, "offset 4") != NULL);
    CHECK(lede_reset_add(rs, "x(a+)+$", 7, 0, err, sizeof err) == 1);
    lede_reset_compile(rs, err, sizeof err);
    size_t n = 100000, nout, failed;
    char *s = malloc(n);
    memset(s, 'a', n);
    s[0] = 'x';
    s[n - 1] = '!';
    lede_re_matcher *m = lede_re_matcher_new(NULL);
    lede_reset_match *out;
    int rc = lede_reset_scan(rs, m, s, n, &out, &nout, &failed);
    CHECK(rc == LEDE_RE_EMATCHLIMIT && failed == 1);
    lede_reset_free(rs);
    lede_re_matcher_free(m);
    free(s);
}

int main(void) {
    test_relit();
    test_equivalence();
    test_errors();
    CHECK_DONE();
}
