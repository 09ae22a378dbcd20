/* Pattern sets: many PCRE2 patterns matched in one pass.
 *
 * Each pattern's literal prefixes (relit.h) go into one Aho–Corasick automaton. A scan runs
 * the automaton once over the text; every literal hit is a candidate start for its patterns,
 * which PCRE2 then confirms anchored at that position (\G-prefixed copy, JIT). Patterns
 * without usable prefixes are run over the whole text. The result equals running each
 * pattern on its own, all non-overlapping matches left to right, because a match can only
 * start where one of its prefixes occurs.
 *
 * A compiled set is read-only: scan it from any number of threads, each with its own
 * lede_re_matcher. */
#ifndef LEDE_TEXT_RESET_H
#define LEDE_TEXT_RESET_H

#include <stddef.h>

#include "text/re.h"

typedef struct lede_reset lede_reset;

lede_reset *lede_reset_new(void);
void lede_reset_free(lede_reset *rs);
/* Adds a pattern; returns its index (0, 1, ...) or a negative LEDE_RE_E* with err filled. */
int lede_reset_add(lede_reset *rs, const char *pattern, size_t len, unsigned flags, char *err,
                   size_t errlen);
/* Builds the prefilter. 0 or LEDE_RE_ENOMEM. */
int lede_reset_compile(lede_reset *rs, char *err, size_t errlen);
size_t lede_reset_count(const lede_reset *rs);
/* Whether pattern i runs behind the literal prefilter (for `lede inspect` and tests). */
int lede_reset_prefiltered(const lede_reset *rs, size_t i);

typedef struct lede_reset_match {
    size_t pattern;    /* index */
    size_t start, end; /* bytes, 0-based, end exclusive */
} lede_reset_match;

/* Every match of every pattern in s[0..n), ordered by start then pattern index. On success
 * *out (malloc'd, caller frees) and *nout are set and 0 returned. A limit hit returns its
 * LEDE_RE_E* code with *failed set to the pattern's index; lede_re_strerror(m, rc) says
 * which limit. */
int lede_reset_scan(const lede_reset *rs, lede_re_matcher *m, const char *s, size_t n,
                    lede_reset_match **out, size_t *nout, size_t *failed);

#endif
