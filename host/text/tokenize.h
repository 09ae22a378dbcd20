/* The tokenizer: splits UTF-8 text into tokens with byte offsets, one at a time, without
 * allocating. Words in any script, numbers with separators ("1,000.5"), abbreviations and
 * initialisms ("U.S.", "Mr."), in-word apostrophes and hyphens ("Iran's", "snap-back"), URLs,
 * e-mail addresses, @handles, #tags, currency amounts ("$5.3", "US$10", "€20"), punctuation
 * and symbols. Invalid UTF-8 bytes separate tokens and are never part of one, so every token
 * is valid UTF-8. */
#ifndef LEDE_TEXT_TOKENIZE_H
#define LEDE_TEXT_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

typedef enum lede_tok_kind {
    LEDE_TOK_WORD,
    LEDE_TOK_NUMBER,
    LEDE_TOK_ABBREV,
    LEDE_TOK_URL,
    LEDE_TOK_EMAIL,
    LEDE_TOK_HANDLE,
    LEDE_TOK_HASHTAG,
    LEDE_TOK_MONEY,
    LEDE_TOK_PUNCT,
    LEDE_TOK_SYMBOL,
    LEDE_TOK_NKINDS
} lede_tok_kind;

/* "word", "number", "abbrev", "url", "email", "handle", "hashtag", "money", "punct", "symbol" */
const char *lede_tok_kind_name(lede_tok_kind k);
/* Kinds that carry words (everything but punct and symbol). */
static inline int lede_tok_is_wordlike(lede_tok_kind k) { return k < LEDE_TOK_PUNCT; }

typedef struct lede_token {
    size_t start; /* 0-based byte offset */
    size_t len;   /* bytes */
    lede_tok_kind kind;
} lede_token;

typedef struct lede_tokenizer {
    const unsigned char *s;
    size_t n;
    size_t pos;
} lede_tokenizer;

void lede_tok_init(lede_tokenizer *t, const char *s, size_t n);
/* Fills *tok with the next token and returns 1, or returns 0 at the end. */
int lede_tok_next(lede_tokenizer *t, lede_token *tok);
/* Number of word-like tokens in s: the native word count. */
size_t lede_tok_count_words(const char *s, size_t n);

/* Abbreviation classes the sentence splitter needs (s[0..n) is the token without its '.'). */
enum { LEDE_ABBR_NONE = 0, LEDE_ABBR_TITLE, LEDE_ABBR_MONTH, LEDE_ABBR_NUMBER, LEDE_ABBR_OTHER };
int lede_abbrev_class(const char *s, size_t n);

#endif
