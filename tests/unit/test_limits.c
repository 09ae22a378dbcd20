/* The PCRE2 depth and heap limits (--max-regex-depth, --max-regex-heap) bind only the
 * interpreter, which lede uses where the JIT is off (the rule engine's whole-text checks, hosts
 * without JIT support); the end-to-end tests cannot reach them through a JIT-compiled pattern,
 * so this trips them directly and checks that the messages name the flags. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "limits.h"
#include "text/re.h"

static int run(const char *pat, const char *subject, const lede_re_limits *lim, char *msg, size_t n) {
    char err[256];
    lede_re *re;
    if (lede_re_compile(pat, strlen(pat), LEDE_RE_NOJIT, &re, err, sizeof err) != 0) return 99;
    lede_re_matcher *m = lede_re_matcher_new(lim);
    int rc = lede_re_exec(re, m, subject, strlen(subject), 0, 0);
    lede_re_strerror(m, rc, msg, n);
    lede_re_matcher_free(m);
    lede_re_release(re);
    return rc;
}

int main(void) {
    size_t n = 20000;
    char *s = malloc(n + 3);
    memset(s, 'a', n); /* "aaa…axc": the required 'c' is there, so PCRE2 must backtrack */
    memcpy(s + n, "xc", 3);
    char msg[256];

    lede_re_limits lim = lede_re_default_limits();
    CHECK(lim.match == LEDE_DEFAULT_RE_MATCH_LIMIT && lim.depth == LEDE_DEFAULT_RE_DEPTH_LIMIT);
    lim.depth = 50;
    CHECK(run("(?:(a)|b)*c", s, &lim, msg, sizeof msg) == LEDE_RE_EDEPTHLIMIT);
    CHECK(strstr(msg, "regex depth limit hit (50, --max-regex-depth)") != NULL);

    lim = lede_re_default_limits();
    lim.heap_kib = 1;
    CHECK(run("(?:(a)|b)*c", s, &lim, msg, sizeof msg) == LEDE_RE_EHEAPLIMIT);
    CHECK(strstr(msg, "regex heap limit hit (1 KiB, --max-regex-heap)") != NULL);

    lim = lede_re_default_limits();
    lim.match = 1000;
    CHECK(run("(a+)+$", s, &lim, msg, sizeof msg) == LEDE_RE_EMATCHLIMIT);
    CHECK(strstr(msg, "(1000 backtracking steps, --max-regex-match)") != NULL);

    /* with the defaults the same pattern finds its match: the limits are not tight */
    CHECK(run("(?:(a)|b)*c", "aaaaaaaaaaaaaaaaaaaaxc", NULL, msg, sizeof msg) == 1);
    free(s);
    CHECK_DONE();
}
