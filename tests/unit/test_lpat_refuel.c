/* lpattern.c's refuel callback (what the sandbox uses to check the time limit when a call has no
 * instruction budget): a search handed its fuel a few steps at a time must find exactly what the
 * same search finds with unlimited fuel, captures and errors included, on 30,000 random
 * pattern/subject pairs; and a refuel that says stop ends it with LEDE_LPAT_BUDGET. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "sandbox/lpattern.h"

typedef struct drip {
    int64_t slice, given, cap; /* steps per refuel; handed out so far; stop after (0: never) */
} drip;

static int64_t refuel(void *ud) {
    drip *d = ud;
    if (d->cap && d->given >= d->cap) return 0;
    d->given += d->slice;
    return d->slice;
}

static const char *const ATOMS[] = {"a", "b", "ab", ".", "%a", "%d", "[ab]", "[^a]", "a*", "b+", "a-", "a?",
                                    "(a)", "(", ")", "%1", "%b()", "%f[%w]", "()", "$", "^", "[", "%"};

static void random_case(unsigned *seed, char *p, char *s) {
    size_t np = 0, ns = 0;
    int atoms = 1 + rand_r(seed) % 6;
    for (int i = 0; i < atoms; i++) {
        const char *a = ATOMS[rand_r(seed) % (sizeof ATOMS / sizeof *ATOMS)];
        size_t n = strlen(a);
        memcpy(p + np, a, n);
        np += n;
    }
    p[np] = 0;
    int len = rand_r(seed) % 40;
    static const char alpha[] = "aab()1 x";
    for (int i = 0; i < len; i++) s[ns++] = alpha[rand_r(seed) % (sizeof alpha - 1)];
    s[ns] = 0;
}

/* Runs a gmatch-like loop over s, writing what it finds into out. */
static void run(const char *p, const char *s, int64_t fuel, drip *d, char *out, size_t outlen) {
    lede_lpat m;
    size_t used = 0;
    lede_lpat_init(&m, s, strlen(s), p, strlen(p), fuel);
    if (d) {
        m.refuel = refuel;
        m.refuel_ud = d;
    }
    const char *from = s, *last = NULL;
    for (int k = 0; k < 50 && from <= s + strlen(s); k++) {
        const char *e, *st = lede_lpat_search(&m, from, 0, last, &e);
        if (!st) {
            used += (size_t)snprintf(out + used, outlen - used, "end status %d %s", m.status,
                                     m.status == LEDE_LPAT_ERROR ? m.err : "");
            return;
        }
        used += (size_t)snprintf(out + used, outlen - used, "[%d-%d", (int)(st - s), (int)(e - s));
        for (int c = 0; c < m.level && used < outlen; c++)
            used += (size_t)snprintf(out + used, outlen - used, " %d:%d", (int)(m.cap[c].init - s), (int)m.cap[c].len);
        used += (size_t)snprintf(out + used, outlen - used, "]");
        if (used >= outlen - 64) return;
        from = last = e;
        if (d) m.fuel = d->slice; /* each search starts with a slice, as the sandbox's do */
        else m.fuel = fuel;
    }
}

int main(void) {
    unsigned seed = 12345;
    char p[256], s[64], a[4096], b[4096];
    int differ = 0;
    for (int i = 0; i < 30000; i++) {
        random_case(&seed, p, s);
        run(p, s, INT64_MAX, NULL, a, sizeof a);
        drip d = {1 + i % 7, 0, 0};
        run(p, s, d.slice, &d, b, sizeof b);
        if (strcmp(a, b) != 0 && differ++ < 5)
            fprintf(stderr, "pattern '%s' on '%s':\n  unlimited: %s\n  refuelled: %s\n", p, s, a, b);
    }
    CHECK(differ == 0);
    /* a refuel that stops: the search ends with the budget status, having asked once more */
    lede_lpat m;
    const char *subject = "aaaaaaaaaaaaaaaaaaaaaaaa";
    const char *pattern = "a*a*a*a*a*a*a*a*a*a*b";
    drip d = {1000, 0, 5000};
    lede_lpat_init(&m, subject, strlen(subject), pattern, strlen(pattern), 1000);
    m.refuel = refuel;
    m.refuel_ud = &d;
    const char *e;
    CHECK(lede_lpat_search(&m, subject, 0, NULL, &e) == NULL);
    CHECK(m.status == LEDE_LPAT_BUDGET);
    CHECK(d.given == 5000);
    CHECK_DONE();
}
