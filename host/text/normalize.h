/* Unicode normalisation for matching: case folding, compatibility forms (NFKC), diacritics,
 * typographic quotes and dashes, white space. Built on utf8proc. */
#ifndef LEDE_TEXT_NORMALIZE_H
#define LEDE_TEXT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* What a fold removes. */
enum {
    LEDE_FOLD_CASE = 1u << 0,  /* case-insensitive: Unicode case folding */
    LEDE_FOLD_MARKS = 1u << 1, /* diacritic-insensitive: combining marks dropped (é -> e) */
};

/* Character classes used for token boundaries. */
enum { LEDE_CP_OTHER = 0, LEDE_CP_WORD = 1, LEDE_CP_SPACE = 2 };

/* Class of a code point: letters, marks, digits and connector punctuation are WORD;
 * separators and controls are SPACE; everything else OTHER. */
int lede_cp_class(uint32_t cp);

/* The folded form of one code point, as UTF-8: compatibility decomposition, optional case
 * folding and mark stripping, default-ignorables (soft hyphen, zero-width joiners) dropped,
 * quotes/apostrophes/dashes/spaces lumped to ASCII ' " - and space. *len may be 0.
 * The returned pointer stays valid for the life of the process (tables built lazily, shared
 * by all threads). Folding a string code point by code point gives the same result wherever
 * the string is cut, which is what lets the phrase scanner fold text on the fly. */
const char *lede_fold_cp(uint32_t cp, unsigned mode, size_t *len);

/* Appends the normal form of s[0..n) to out: NFKC, then (per mode) case-folded and stripped
 * of diacritics, with typographic quotes and dashes lumped to ASCII. Invalid UTF-8 is
 * replaced by U+FFFD first. Returns 0, or -1 on allocation failure. */
int lede_normalize(lede_buf *out, const char *s, size_t n, unsigned mode);

/* Appends s with white space squeezed (runs of any Unicode space -> one ASCII space, trimmed),
 * curly quotes straightened (‘’‚‛ -> ', “”„‟ -> "), zero-width characters and soft hyphens
 * dropped, invalid UTF-8 repaired. Letters are left as they are. */
int lede_clean_text(lede_buf *out, const char *s, size_t n);

#endif
