/* Sentence splitting over the tokenizer: ends at terminal punctuation (with the closing quotes
 * and brackets that follow it), not after titles and other abbreviations ("Mr.", "Gen.",
 * "Jan. 5", "No. 10", "e.g."), initials ("J. K."), or decimals; a blank line (paragraph
 * break) always ends a sentence. */
#ifndef LEDE_TEXT_SENTENCES_H
#define LEDE_TEXT_SENTENCES_H

#include <stddef.h>

/* Called once per sentence with its 0-based byte start and length (trimmed of surrounding
 * white space). A non-zero return stops the split and is returned by lede_sentences. */
typedef int (*lede_sentence_fn)(void *ud, size_t start, size_t len);

int lede_sentences(const char *s, size_t n, lede_sentence_fn fn, void *ud);

#endif
