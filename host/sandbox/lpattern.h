/* Lua 5.4 patterns (reference manual §6.4.1) with a step budget, for the sandbox's
 * string.find/match/gmatch/gsub (sb_string.c).
 *
 * Why not lstrlib's matcher: it backtracks inside one C call, where the sandbox's count hook
 * never fires, so ("a"):rep(24):find(("a*"):rep(24) .. "b") or s:find("a*b") on 10 MB of "a"
 * stalled a worker for good. This matcher has the same semantics, error messages included, but
 * counts its work (one step per pattern item tried, per character a quantifier or %b scans,
 * per byte a back-reference compares, per byte skipped looking for a start) and stops with
 * LEDE_LPAT_BUDGET when the steps given to it run out.
 *
 * Like lstrlib, a malformed pattern is reported only when matching reaches the bad item, so
 * ("abc"):find("x[") is nil (no 'x' to get past) while ("x"):find("x[") is an error.
 *
 * Pure C over byte buffers: no Lua calls, no allocation, so a caller may longjmp out of the
 * surrounding code without leaking anything. */
#ifndef LEDE_SANDBOX_LPATTERN_H
#define LEDE_SANDBOX_LPATTERN_H

#include <stddef.h>
#include <stdint.h>

#define LEDE_LPAT_MAXCAPTURES 32 /* LUA_MAXCAPTURES */
#define LEDE_LPAT_MAXDEPTH 200   /* nested matcher calls before "pattern too complex" (MAXCCALLS) */
#define LEDE_LPAT_SET_CACHE 4    /* [sets] whose byte tables one lede_lpat keeps */

/* lede_lpat.status: why the last search stopped without a usable answer */
enum { LEDE_LPAT_OK = 0, LEDE_LPAT_ERROR = 1, LEDE_LPAT_BUDGET = 2 };

/* lede_lpat_cap.len for captures that hold no text (yet) */
enum { LEDE_LPAT_CAP_UNFINISHED = -1, LEDE_LPAT_CAP_POSITION = -2 };

typedef struct lede_lpat_cap {
    const char *init;
    ptrdiff_t len; /* bytes, or LEDE_LPAT_CAP_* */
} lede_lpat_cap;

typedef struct lede_lpat {
    const char *src, *src_end; /* the subject */
    const char *pat, *pat_end; /* the pattern, without a leading '^' the caller took as anchor */
    int64_t fuel;              /* steps left; negative once exhausted or on an error */
    int64_t error_fuel;        /* what was left when an error stopped the search */
    int status;                /* LEDE_LPAT_* */
    int level;                 /* captures of the last match (open or closed) */
    int depth;                 /* nested matcher calls left in this attempt */
    lede_lpat_cap cap[LEDE_LPAT_MAXCAPTURES];
    char err[64];              /* the Lua error message when status is LEDE_LPAT_ERROR */
    /* Called when the fuel runs out (NULL: the search stops with LEDE_LPAT_BUDGET): returns more
     * fuel to go on, or 0 to stop; it may also longjmp out (nothing here needs freeing). The
     * sandbox uses it to check the time limit when there is no instruction budget to spend. */
    int64_t (*refuel)(void *ud);
    void *refuel_ud;
    /* What the first pattern item needs, found once by lede_lpat_init, so a search skips
     * start positions where no match can begin (memchr or a byte set) instead of trying each. */
    int first_kind;
    unsigned char first_char;
    uint8_t first_set[32];
    /* Byte tables of the [sets] quantifiers expanded, by the set's place in the pattern. */
    int nsets;
    const char *set_key[LEDE_LPAT_SET_CACHE];
    uint8_t set_bits[LEDE_LPAT_SET_CACHE][32];
} lede_lpat;

/* Sets m up to search the subject s[0..ls) for the pattern p[0..lp) with `fuel` steps
 * (INT64_MAX: as good as unlimited) and no refuel. The pattern is not checked here: errors
 * surface when a search reaches them, as in Lua. */
void lede_lpat_init(lede_lpat *m, const char *s, size_t ls, const char *p, size_t lp, int64_t fuel);

/* Steps m took since its fuel was set to `given` (all of them when they ran out). */
static inline int64_t lede_lpat_spent(const lede_lpat *m, int64_t given) {
    int64_t left = m->status == LEDE_LPAT_ERROR ? m->error_fuel : m->fuel;
    return left < 0 ? given : given - left;
}

/* The first match starting at or after `from` (only at `from` when anchored), skipping a
 * match that ends at `lastmatch` (gmatch and gsub pass the end of their previous match, so an
 * empty match there does not count; others pass NULL). Returns the match's start with *end
 * set and m->level/m->cap describing its captures, or NULL: no match when m->status is
 * LEDE_LPAT_OK, else an error (message in m->err) or an exhausted budget. `from` may be one
 * past the subject's end (then there is no match). Set m->fuel before each search. */
const char *lede_lpat_search(lede_lpat *m, const char *from, int anchored, const char *lastmatch,
                             const char **end);

/* The first occurrence of lit[0..ll) in s[0..ls) (s itself when ll is 0), or NULL; charged to
 * m->fuel (which may run out: then NULL with status LEDE_LPAT_BUDGET). */
const char *lede_lpat_find_literal(lede_lpat *m, const char *s, size_t ls, const char *lit, size_t ll);

/* Whether p[0..lp) has any of the characters that make string.find treat a pattern as one
 * (^$*+?.([%-); without them find searches for the pattern as plain text. */
int lede_lpat_has_specials(const char *p, size_t lp);

#endif
