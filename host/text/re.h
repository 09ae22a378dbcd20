/* PCRE2 regular expressions: compiled patterns shared process-wide through a bounded cache,
 * and per-thread matchers that carry the mutable state (match data, limits, JIT stack).
 *
 * A lede_re is immutable once compiled and may be used from any thread at the same time;
 * a lede_re_matcher belongs to one thread (one per lua_State). */
#ifndef LEDE_TEXT_RE_H
#define LEDE_TEXT_RE_H

#include <stddef.h>
#include <stdint.h>

/* Compile flags. UTF + Unicode properties (\w, \b, \d and caseless over all of Unicode) are on
 * unless LEDE_RE_BYTES or LEDE_RE_ASCII says otherwise. */
enum {
    LEDE_RE_CASELESS = 1u << 0,  /* "i" */
    LEDE_RE_MULTILINE = 1u << 1, /* "m": ^ and $ at line breaks */
    LEDE_RE_DOTALL = 1u << 2,    /* "s": . matches newlines */
    LEDE_RE_EXTENDED = 1u << 3,  /* "x": white space and # comments ignored */
    LEDE_RE_UNGREEDY = 1u << 4,  /* "U": quantifiers lazy by default */
    LEDE_RE_ASCII = 1u << 5,     /* "a": UTF, but \w \d \s \b are ASCII-only (faster) */
    LEDE_RE_BYTES = 1u << 6,     /* "b": raw bytes, no UTF at all */
    LEDE_RE_ANCHORED = 1u << 7,  /* "A": match only at the start offset */
    /* internal, no letter: skip the JIT (for copies that are rarely run, where the JIT's
     * compile time would dominate) */
    LEDE_RE_NOJIT = 1u << 8,
};

/* Return codes. Matching returns 1 (match) or 0 (no match) on success. */
enum {
    LEDE_RE_OK = 0,
    LEDE_RE_ENOMEM = -1,
    LEDE_RE_EPATTERN = -2,     /* bad pattern: message names PCRE2's reason and offset */
    LEDE_RE_EFLAGS = -3,       /* unknown flag letter */
    LEDE_RE_EMATCHLIMIT = -4,  /* limit hits: the message says which limit */
    LEDE_RE_EDEPTHLIMIT = -5,
    LEDE_RE_EHEAPLIMIT = -6,
    LEDE_RE_EJITSTACK = -7,
    LEDE_RE_EMATCH = -8,       /* any other PCRE2 match error */
};

typedef struct lede_re lede_re;
typedef struct lede_re_matcher lede_re_matcher;

typedef struct lede_re_limits {
    uint32_t match;       /* backtracking steps per start position */
    uint32_t depth;       /* backtracking depth (interpreter) */
    uint32_t heap_kib;    /* interpreter heap for backtracking, KiB */
    size_t jit_stack_max; /* bytes */
} lede_re_limits;

/* The defaults from limits.h. */
lede_re_limits lede_re_default_limits(void);

/* Parses a flag string ("imsxUabA", any order) into *flags. */
int lede_re_parse_flags(const char *s, unsigned *flags, char *err, size_t errlen);

/* Compiles (or fetches from the cache) pattern[0..len) with flags. On success *out holds a
 * reference the caller must lede_re_release(). On a bad pattern err reads e.g.
 * "missing closing parenthesis at offset 7". */
int lede_re_compile(const char *pattern, size_t len, unsigned flags, lede_re **out, char *err,
                    size_t errlen);
lede_re *lede_re_retain(lede_re *re);
void lede_re_release(lede_re *re);

unsigned lede_re_flags(const lede_re *re);
const char *lede_re_pattern(const lede_re *re, size_t *len);
uint32_t lede_re_capture_count(const lede_re *re);
int lede_re_is_jit(const lede_re *re);
/* Named groups: count, then the name and group number of the i-th (0-based). */
uint32_t lede_re_name_count(const lede_re *re);
const char *lede_re_name_at(const lede_re *re, uint32_t i, uint32_t *group);

/* Empties the cache (compiled patterns still referenced stay alive until released). */
void lede_re_cache_clear(void);
size_t lede_re_cache_size(void);

/* A matcher: NULL limits means the defaults. */
lede_re_matcher *lede_re_matcher_new(const lede_re_limits *limits);
void lede_re_matcher_free(lede_re_matcher *m);
const lede_re_limits *lede_re_matcher_limits(const lede_re_matcher *m);

/* Exec options. */
enum {
    LEDE_RE_EXEC_ANCHORED = 1u << 0,       /* match must start at off */
    LEDE_RE_EXEC_NOTEMPTY_ATSTART = 1u << 1 /* no empty match at off (after an empty match) */
};

/* Looks for a match of re in s[0..n) starting at byte off. Returns 1 and fills the matcher's
 * offsets, 0 for no match, or a negative LEDE_RE_E* code. Invalid UTF-8 in s never matches
 * and is never an error. */
int lede_re_exec(const lede_re *re, lede_re_matcher *m, const char *s, size_t n, size_t off,
                 unsigned opts);
/* Offsets of the last match: pairs (start, end) per group, 0 = whole match, end exclusive,
 * LEDE_RE_UNSET for a group that did not take part. Valid until the next exec. */
#define LEDE_RE_UNSET ((size_t)-1)
const size_t *lede_re_offsets(const lede_re_matcher *m);

/* A message for a negative code returned by exec or compile, naming the limit when one was
 * hit, e.g. "regex match limit hit (1000000 steps)". */
void lede_re_strerror(const lede_re_matcher *m, int rc, char *buf, size_t len);

/* Byte length of the character at s[off] (1 in bytes mode or on invalid UTF-8): how far to
 * step past an empty match. */
size_t lede_re_char_len(const lede_re *re, const char *s, size_t n, size_t off);

#endif
