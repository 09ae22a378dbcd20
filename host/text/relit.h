/* Literal prefixes of a regex: a finite set of strings such that every match of the pattern
 * starts with one of them. Pattern sets use it as a prefilter: only where one of these
 * literals occurs can a match start, so PCRE2 runs anchored there and nowhere else.
 *
 * The parser understands the common PCRE2 syntax (literals, escapes, classes, groups,
 * alternation, quantifiers, assertions); anything it does not understand makes it give up,
 * which is always safe: the pattern is then run over the whole text. */
#ifndef LEDE_TEXT_RELIT_H
#define LEDE_TEXT_RELIT_H

#include <stddef.h>

#define LEDE_RELIT_MAX 64     /* most literals per pattern */
#define LEDE_RELIT_MAXLEN 24  /* longest literal kept (longer ones are cut: still a prefix) */

typedef struct lede_relit {
    size_t n;
    char s[LEDE_RELIT_MAX][LEDE_RELIT_MAXLEN + 1];
    unsigned char len[LEDE_RELIT_MAX];
} lede_relit;

/* Fills *out with the prefix literals of pattern (ASCII letters lower-cased when caseless,
 * cut before the first non-ASCII byte then, since Unicode case folding is not byte-wise).
 * Returns 0, or -1 when no useful set exists (the pattern can match the empty string, starts
 * with a broad class, or uses syntax the parser does not follow). */
int lede_relit_prefixes(const char *pattern, size_t len, int caseless, lede_relit *out);

#endif
