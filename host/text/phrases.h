/* Phrase lists (gazetteers): many phrases, each with a label and aliases, found in one pass
 * over text on word boundaries, case- and diacritic-insensitive by default.
 *
 * Text and phrases are folded code point by code point (lede_fold_cp), white-space runs count
 * as one space, and an Aho–Corasick automaton over the folded bytes finds every occurrence;
 * the scan cost does not depend on the number of phrases. A compiled list is read-only and
 * may be scanned from many threads at once. */
#ifndef LEDE_TEXT_PHRASES_H
#define LEDE_TEXT_PHRASES_H

#include <stddef.h>
#include <stdint.h>

typedef struct lede_phrases lede_phrases;

/* fold_mode: LEDE_FOLD_CASE | LEDE_FOLD_MARKS (the default for gazetteers) or fewer. */
lede_phrases *lede_phrases_new(unsigned fold_mode);
void lede_phrases_free(lede_phrases *p);

/* Adds an entry (label may be NULL); returns its index (>= 0) or -1 with err filled
 * (empty phrase after folding, phrase too long, out of memory). */
long lede_phrases_add(lede_phrases *p, const char *phrase, size_t n, const char *label,
                      size_t label_len, char *err, size_t errlen);
/* Adds another surface form for entry `entry`. 0 or -1 with err. */
int lede_phrases_add_alias(lede_phrases *p, long entry, const char *alias, size_t n, char *err,
                           size_t errlen);
/* Loads a file: one entry per line, "phrase[<TAB>label[<TAB>alias]...]"; blank lines and lines
 * starting with '#' are skipped. Errors name the file and line. */
int lede_phrases_load(lede_phrases *p, const char *path, char *err, size_t errlen);
/* Builds the automaton; entries can no longer be added. 0 or -1 with err. */
int lede_phrases_compile(lede_phrases *p, char *err, size_t errlen);

size_t lede_phrases_count(const lede_phrases *p);
const char *lede_phrases_phrase(const lede_phrases *p, size_t entry);
const char *lede_phrases_label(const lede_phrases *p, size_t entry); /* may be NULL */

typedef struct lede_phrase_hit {
    size_t start, len; /* bytes in the scanned text, 0-based */
    size_t entry;
} lede_phrase_hit;

/* Scans s[0..n). Leftmost-longest, non-overlapping hits by default; with all != 0 every
 * occurrence, overlapping ones included. Hits are ordered by start (longer first). On
 * success *hits (malloc'd, caller frees) and *nhits are set; -1 on allocation failure. */
int lede_phrases_scan(const lede_phrases *p, const char *s, size_t n, int all,
                      lede_phrase_hit **hits, size_t *nhits);

#endif
