/* PCRE2 wrapper: flags, cache, bad patterns, limits, invalid UTF-8. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "text/re.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static lede_re *compile(const char *p, const char *flags) {
    unsigned f;
    char err[256];
    lede_re *re = NULL;
    if (lede_re_parse_flags(flags, &f, err, sizeof err)) return NULL;
    if (lede_re_compile(p, strlen(p), f, &re, err, sizeof err)) return NULL;
    return re;
}

static void test_basic(lede_re_matcher *m) {
    lede_re *re = compile("(\\w+)'s", "");
    const char *s = "Iran's oil";
    CHECK(lede_re_exec(re, m, s, strlen(s), 0, 0) == 1);
    const size_t *ov = lede_re_offsets(m);
    CHECK(ov[0] == 0 && ov[1] == 6 && ov[2] == 0 && ov[3] == 4);
    CHECK(lede_re_exec(re, m, s, strlen(s), 1, LEDE_RE_EXEC_ANCHORED) == 1);
    CHECK(lede_re_offsets(m)[0] == 1);
    CHECK(lede_re_exec(re, m, s, strlen(s), 6, 0) == 0);
    lede_re_release(re);

    /* UCP on by default: \w and \b see Unicode letters; caseless folds them */
    re = compile("\\bÉTAT\\b", "i");
    s = "l'état français";
    CHECK(lede_re_exec(re, m, s, strlen(s), 0, 0) == 1);
    CHECK(lede_re_offsets(m)[0] == 2);
    lede_re_release(re);
    re = compile("^\\w+$", "a"); /* ASCII classes */
    s = "été";
    CHECK(lede_re_exec(re, m, s, strlen(s), 0, 0) == 0);
    lede_re_release(re);
}

static void test_flags_and_names(void) {
    unsigned f;
    char err[256];
    CHECK(lede_re_parse_flags("imsx", &f, err, sizeof err) == 0);
    CHECK(f == (LEDE_RE_CASELESS | LEDE_RE_MULTILINE | LEDE_RE_DOTALL | LEDE_RE_EXTENDED));
    CHECK(lede_re_parse_flags("iq", &f, err, sizeof err) == LEDE_RE_EFLAGS);
    CHECK(strstr(err, "'q'") != NULL);
    lede_re *re = compile("(?<year>\\d{4})-(?<month>\\d\\d)", "");
    CHECK(lede_re_name_count(re) == 2);
    uint32_t g;
    const char *n0 = lede_re_name_at(re, 0, &g); /* table is sorted by name */
    CHECK_STR(n0, "month");
    CHECK(g == 2);
    lede_re_release(re);
}

static void test_bad_pattern(void) {
    lede_re *re = NULL;
    char err[256];
    int rc = lede_re_compile("(abc", 4, 0, &re, err, sizeof err);
    CHECK(rc == LEDE_RE_EPATTERN);
    CHECK(re == NULL);
    CHECK(strstr(err, "missing closing parenthesis") != NULL);
    CHECK(strstr(err, "offset 4") != NULL);
    rc = lede_re_compile("a{2,1}", 6, 0, &re, err, sizeof err);
    CHECK(rc == LEDE_RE_EPATTERN && strstr(err, "offset") != NULL);
}

static void test_cache(void) {
    lede_re_cache_clear();
    lede_re *a = compile("cache me", "i"), *b = compile("cache me", "i"), *c = compile("cache me", "");
    CHECK(a == b);
    CHECK(a != c);
    CHECK(lede_re_cache_size() == 2);
    lede_re_cache_clear(); /* still referenced: stays valid */
    CHECK(lede_re_cache_size() == 0);
    lede_re_matcher *m = lede_re_matcher_new(NULL);
    CHECK(lede_re_exec(a, m, "CACHE ME", 8, 0, 0) == 1);
    lede_re_release(a);
    lede_re_release(b);
    lede_re_release(c);
    /* the cache stays bounded */
    char p[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(p, sizeof p, "x%d", i);
        lede_re *r = compile(p, "");
        lede_re_release(r);
    }
    CHECK(lede_re_cache_size() <= 4096);
    lede_re_matcher_free(m);
}

/* Catastrophic backtracking over 1 MB must stop fast with a limit error, never a no-match. */
static void test_limits(lede_re_matcher *m) {
    size_t n = 1 << 20;
    char *s = malloc(n + 1);
    memset(s, 'a', n);
    s[n - 1] = '!';
    s[n] = 0;
    const char *pats[] = {"(a+)+$", "(a|aa)+$", "(\\w+\\s?)*$", "(?:a*)*b"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        lede_re *re = compile(pats[i], "");
        double t0 = now();
        int rc = lede_re_exec(re, m, s, n, 0, 0);
        double dt = now() - t0;
        CHECK(rc < 0);
        char msg[256];
        lede_re_strerror(m, rc, msg, sizeof msg);
        CHECK(strstr(msg, "limit") != NULL);
        /* how fast the limit stops it is a benchmark figure (bench/text), not a test: printed only */
        printf("  pattern %s over 1 MB: rc=%d after %.3f s\n", pats[i], rc, dt);
        lede_re_release(re);
    }
    /* a tight custom limit is honoured */
    lede_re_limits lim = lede_re_default_limits();
    lim.match = 1000;
    lede_re_matcher *tight = lede_re_matcher_new(&lim);
    lede_re *re = compile("(a+)+$", "");
    char small[41];
    memset(small, 'a', 40);
    small[39] = '!';
    int rc = lede_re_exec(re, tight, small, 40, 0, 0);
    CHECK(rc == LEDE_RE_EMATCHLIMIT);
    char msg[256];
    lede_re_strerror(tight, rc, msg, sizeof msg);
    CHECK(strstr(msg, "match limit") != NULL && strstr(msg, "1000") != NULL);
    lede_re_release(re);
    lede_re_matcher_free(tight);
    free(s);
}

static void test_invalid_utf8(lede_re_matcher *m) {
    lede_re *re = compile("b.c", "");
    const char s[] = "a\xff" "b\xc3" "c bxc";
    CHECK(lede_re_exec(re, m, s, sizeof s - 1, 0, 0) == 1);
    CHECK(lede_re_offsets(m)[0] == 6); /* "b\xc3c" is not b.c */
    lede_re_release(re);
    re = compile("x*", "");
    CHECK(lede_re_exec(re, m, "", 0, 0, 0) == 1); /* empty input, empty match */
    CHECK(lede_re_char_len(re, "é", 2, 0) == 2);
    lede_re_release(re);
}

int main(void) {
    lede_re_matcher *m = lede_re_matcher_new(NULL);
    test_basic(m);
    test_flags_and_names();
    test_bad_pattern();
    test_cache();
    test_limits(m);
    test_invalid_utf8(m);
    lede_re_matcher_free(m);
    lede_re_cache_clear();
    CHECK_DONE();
}
