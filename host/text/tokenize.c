/* Tokenizer. One forward pass; ASCII bytes are classified by a table, other characters
 * through utf8proc's category table. Special forms (URLs, e-mail, amounts, abbreviations) are
 * recognised where a word or symbol starts, so plain words pay for nothing but a table load
 * per byte. */
#include "text/tokenize.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "util/utf8.h"

/* character class bits */
enum {
    C_SPACE = 1,
    C_WORD = 2, /* letter, mark, digit, '_' */
    C_DIGIT = 4,
    C_UPPER = 8,
    C_PUNCT = 16,
    C_SYMBOL = 32,
    C_BAD = 64, /* invalid UTF-8 byte */
    C_LETTER = 128,
};

/* ASCII bytes after a word that may continue it as an e-mail address or abbreviation */
static unsigned char after_word[128];
/* ASCII bytes that end a plain word outright (white space and most punctuation): a word of
 * ASCII letters followed by one of them needs none of the special-form checks */
static unsigned char ends_plain[256];

static const char *const KIND_NAMES[LEDE_TOK_NKINDS] = {
    "word", "number", "abbrev", "url", "email", "handle", "hashtag", "money", "punct", "symbol"};

const char *lede_tok_kind_name(lede_tok_kind k) {
    return (unsigned)k < LEDE_TOK_NKINDS ? KIND_NAMES[k] : "?";
}

static unsigned char ascii_cls[128];

static void init_cache(void);

static void init_ascii(void) {
    init_cache();
    for (int c = 0; c < 128; c++) {
        unsigned char k = C_PUNCT;
        if (c == ' ' || (c >= 9 && c <= 13) || c < 32 || c == 127) k = C_SPACE;
        else if (c >= '0' && c <= '9') k = C_WORD | C_DIGIT;
        else if (c >= 'a' && c <= 'z') k = C_WORD | C_LETTER;
        else if (c >= 'A' && c <= 'Z') k = C_WORD | C_LETTER | C_UPPER;
        else if (c == '_') k = C_WORD;
        else if (strchr("$+<=>^`|~", c)) k = C_SYMBOL;
        ascii_cls[c] = k;
        after_word[c] = c && strchr("@.+%-_", c) != NULL;
        ends_plain[c] = !(k & C_WORD) && !(c && strchr("@.+%-_'$", c));
    }
}

static unsigned unicode_cls(uint32_t cp) {
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return C_WORD | C_LETTER | C_UPPER;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_WORD | C_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
        return C_WORD;
    case UTF8PROC_CATEGORY_ND: return C_WORD | C_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
        return C_SPACE; /* format chars (soft hyphen, ZWSP) and unassigned: separators */
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return C_SYMBOL;
    default: return C_PUNCT;
    }
}

/* Classes of U+0080..U+07FF and U+2000..U+207F, looked up instead of asking utf8proc: Latin
 * letters, quotes and dashes are nearly all the non-ASCII of news text. */
static unsigned char cls_cache[0x800 + 0x80];

static void init_cache(void) {
    for (uint32_t i = 0x80; i < 0x800 + 0x80; i++)
        cls_cache[i] = (unsigned char)unicode_cls(i < 0x800 ? i : 0x2000 + (i - 0x800));
}

/* Class of the character at i; its length in *len and code point in *cp. */
static unsigned cls_at(const lede_tokenizer *t, size_t i, size_t *len, uint32_t *cp) {
    if (i >= t->n) {
        *len = 0;
        *cp = 0;
        return C_SPACE;
    }
    unsigned char c = t->s[i];
    if (c < 0x80) {
        *len = 1;
        *cp = c;
        return ascii_cls[c];
    }
    size_t k = lede_utf8_seq_len(t->s + i, t->n - i);
    if (!k) {
        *len = 1;
        *cp = 0xFFFD;
        return C_BAD;
    }
    *len = lede_utf8_decode(t->s + i, t->n - i, cp);
    if (*cp < 0x800) return cls_cache[*cp];
    if (*cp - 0x2000u < 0x80u) return cls_cache[0x800 + *cp - 0x2000];
    return unicode_cls(*cp);
}

static unsigned cls_of(const lede_tokenizer *t, size_t i) {
    size_t l;
    uint32_t cp;
    return cls_at(t, i, &l, &cp);
}

static inline int is_digit(unsigned c) { return c - '0' < 10u; }
static inline int is_upper_ascii(unsigned c) { return c - 'A' < 26u; }

static int is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }
static int is_hyphen(uint32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
static int is_currency(uint32_t cp) {
    return cp == '$' || cp == 0x20AC || cp == 0xA3 || cp == 0xA5 || cp == 0x20B9 ||
           cp == 0x20BD || cp == 0x20A9 || cp == 0x20BA || cp == 0x20AA || cp == 0x20A6;
}

/* ---- abbreviations ------------------------------------------------------------------------ */

static const char *const TITLES[] = {"mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov",
    "lt", "col", "capt", "sgt", "st", "rev", "hon", "pres", "adm", "brig", "maj", "cmdr", "supt",
    "mt", "ft", "messrs", "mme", "mlle", "gov", "atty", "cpl", "pvt", "insp", "det", "sr", "jr", NULL};
static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", NULL};
static const char *const NUMBERISH[] = {"no", "nos", "vol", "fig", "p", "pp", "art", "ch", "sec",
    "para", NULL};
static const char *const OTHERS[] = {"etc", "inc", "corp", "ltd", "co", "vs", "approx", "est",
    "dept", "univ", "assn", "bros", "ca", "cf", "al", "govt", NULL};

static int in_list(const char *const *list, const char *s, size_t n) {
    char c0 = (char)(s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0]);
    for (; *list; list++)
        if ((*list)[0] == c0 && strlen(*list) == n && strncasecmp(*list, s, n) == 0) return 1;
    return 0;
}

int lede_abbrev_class(const char *s, size_t n) {
    if (n == 0 || n > 6) return LEDE_ABBR_NONE;
    if (in_list(TITLES, s, n)) return LEDE_ABBR_TITLE;
    if (in_list(MONTHS, s, n)) return LEDE_ABBR_MONTH;
    if (in_list(NUMBERISH, s, n)) return LEDE_ABBR_NUMBER;
    if (in_list(OTHERS, s, n)) return LEDE_ABBR_OTHER;
    return LEDE_ABBR_NONE;
}

/* ---- special forms ------------------------------------------------------------------------ */

static int starts_ci(const lede_tokenizer *t, size_t i, const char *lit) {
    size_t l = strlen(lit);
    return t->n - i >= l && strncasecmp((const char *)t->s + i, lit, l) == 0;
}

/* A URL from i (which starts with a scheme or "www."); returns its end or i. */
static size_t scan_url(const lede_tokenizer *t, size_t i) {
    size_t j = i;
    /* cheap reject first: "he", "was", "with" start most of the words that get here */
    if (t->n - i < 5 || ((t->s[i + 1] | 0x20) != 't' && (t->s[i + 1] | 0x20) != 'w')) return i;
    if (starts_ci(t, i, "https://")) j += 8;
    else if (starts_ci(t, i, "http://")) j += 7;
    else if (starts_ci(t, i, "www.")) j += 4;
    else return i;
    size_t body = j;
    int parens = 0;
    while (j < t->n) {
        size_t l;
        uint32_t cp;
        unsigned c = cls_at(t, j, &l, &cp);
        if (c & (C_SPACE | C_BAD) || cp == '<' || cp == '>' || cp == '"' || cp == 0x201D) break;
        parens += cp == '(' ? 1 : cp == ')' ? -1 : 0;
        j += l;
    }
    /* trailing punctuation belongs to the sentence, not the URL */
    while (j > body && strchr(".,;:!?'\")]}", t->s[j - 1])) {
        if (t->s[j - 1] == ')' && parens >= 0) break;
        if (t->s[j - 1] == ')') parens++;
        j--;
    }
    return j > body ? j : i;
}

static int email_local(unsigned char c) {
    return (c < 0x80 && (ascii_cls[c] & C_WORD)) || (c && strchr(".%+-", c));
}

/* An e-mail address from i; returns its end or i. */
static size_t scan_email(const lede_tokenizer *t, size_t i) {
    size_t j = i;
    while (j < t->n && email_local(t->s[j])) j++;
    if (j == i || j >= t->n || t->s[j] != '@') return i;
    size_t at = ++j, dots = 0, last_dot = 0;
    while (j < t->n && ((t->s[j] < 0x80 && (ascii_cls[t->s[j]] & C_WORD)) || t->s[j] == '-' ||
                        t->s[j] == '.')) {
        if (t->s[j] == '.') {
            if (j == last_dot + 1 && dots) break;
            dots++;
            last_dot = j;
        }
        j++;
    }
    while (j > at && (t->s[j - 1] == '.' || t->s[j - 1] == '-')) j--;
    if (!dots || j <= at) return i;
    /* at least one dot inside the domain */
    return memchr(t->s + at, '.', j - at) ? j : i;
}

/* Digits with thousands separators and a decimal part, from i (a digit); returns the end. */
static size_t scan_number(const lede_tokenizer *t, size_t i) {
    size_t j = i;
    for (;;) {
        while (j < t->n && is_digit(t->s[j])) j++;
        if (j + 1 < t->n && (t->s[j] == ',' || t->s[j] == '.') && is_digit(t->s[j + 1])) {
            j++;
            continue;
        }
        return j;
    }
}

/* ---- words -------------------------------------------------------------------------------- */

/* A run of word characters from i; *all_digits / *nchars describe it. */
static size_t scan_run(const lede_tokenizer *t, size_t i, int *all_digits, size_t *nchars) {
    size_t j = i, k = 0;
    int digits = 1;
    /* plain ASCII letters first: the bulk of any Latin-script text */
    while (j < t->n && t->s[j] < 0x80 && (ascii_cls[t->s[j]] & C_LETTER)) j++;
    if (j > i) {
        digits = 0;
        k = j - i;
    }
    for (;;) {
        if (j < t->n && t->s[j] < 0x80) {
            unsigned c = ascii_cls[t->s[j]];
            if (!(c & C_WORD)) break;
            digits &= (c & C_DIGIT) != 0;
            j++;
            k++;
            continue;
        }
        size_t l;
        uint32_t cp;
        unsigned c = cls_at(t, j, &l, &cp);
        if (!(c & C_WORD)) break;
        digits &= (c & C_DIGIT) != 0;
        j += l;
        k++;
    }
    *all_digits = digits;
    *nchars = k;
    return j;
}

/* Joiners inside a word: apostrophe before a letter, hyphen before a letter or digit. */
static size_t joiner_len(const lede_tokenizer *t, size_t j) {
    if (j >= t->n) return 0;
    unsigned char b = t->s[j];
    if (b < 0x80 ? (b != '\'' && b != '-') : (b != 0xE2 && b != 0xCA)) return 0;
    size_t l, l2;
    uint32_t cp, cp2;
    unsigned c = cls_at(t, j, &l, &cp);
    if (!(c & C_PUNCT) || !(is_apostrophe(cp) || is_hyphen(cp))) return 0;
    unsigned next = cls_at(t, j + l, &l2, &cp2);
    if (is_apostrophe(cp) ? (next & C_LETTER) : (next & C_WORD)) return l;
    return 0;
}

/* Initialisms: letter-runs of 1-2 characters each followed by '.', at least two of them
 * ("U.S.", "e.g.", "Ph.D."); or one capital letter and '.' (an initial, "J."). Returns the
 * end, or i if there is none. */
static size_t scan_initialism(const lede_tokenizer *t, size_t i, size_t first_end,
                              size_t first_chars) {
    if (first_chars > 2 || first_end >= t->n || t->s[first_end] != '.') return i;
    size_t j = first_end + 1, parts = 1;
    for (;;) {
        int dig;
        size_t k;
        if (!(cls_of(t, j) & C_LETTER)) break;
        size_t e = scan_run(t, j, &dig, &k);
        if (dig || k > 2 || e >= t->n || t->s[e] != '.') break;
        j = e + 1;
        parts++;
    }
    if (parts >= 2) return j;
    if (first_chars == 1 && (cls_of(t, i) & C_UPPER) && (cls_of(t, first_end + 1) & C_SPACE))
        return first_end + 1;
    return i;
}

static int next_is_digit(const lede_tokenizer *t, size_t j) {
    while (j < t->n && (t->s[j] == ' ' || t->s[j] == '\t')) j++;
    return j < t->n && is_digit(t->s[j]);
}

/* A word-like token from i (a word character). */
static void scan_word(const lede_tokenizer *t, size_t i, lede_token *tok) {
    int dig;
    size_t k, j;
    tok->kind = LEDE_TOK_WORD;
    if (is_digit(t->s[i])) {
        j = scan_number(t, i);
        int more;
        size_t e = scan_run(t, j, &more, &k); /* "1st", "10x" */
        if (e == j && !joiner_len(t, j)) {
            tok->kind = LEDE_TOK_NUMBER;
            tok->len = j - i;
            return;
        }
        j = e;
    } else {
        j = scan_run(t, i, &dig, &k);
        size_t a = scan_initialism(t, i, j, k);
        if (a > i) {
            tok->kind = LEDE_TOK_ABBREV;
            tok->len = a - i;
            return;
        }
        int ac = j < t->n && t->s[j] == '.' ? lede_abbrev_class((const char *)t->s + i, j - i) : 0;
        if (ac && (ac != LEDE_ABBR_NUMBER || next_is_digit(t, j + 1))) {
            tok->kind = LEDE_TOK_ABBREV;
            tok->len = j + 1 - i;
            return;
        }
    }
    for (size_t jl; (jl = joiner_len(t, j)) != 0;) j = scan_run(t, j + jl, &dig, &k);
    tok->len = j - i;
}

/* Punctuation or symbol at i: runs of one repeated ASCII mark ("...", "--") stay together. */
static void scan_mark(const lede_tokenizer *t, size_t i, size_t l, unsigned c, lede_token *tok) {
    size_t j = i + l;
    if (l == 1)
        while (j < t->n && t->s[j] == t->s[i]) j++;
    tok->kind = (c & C_SYMBOL) ? LEDE_TOK_SYMBOL : LEDE_TOK_PUNCT;
    tok->len = j - i;
}

/* @handle, #tag, $amount at i, or 0. */
static size_t scan_prefixed(const lede_tokenizer *t, size_t i, uint32_t cp, size_t l,
                            lede_tok_kind *kind) {
    int dig;
    size_t k, j = i + l;
    if (cp == '@' || cp == '#') {
        if (!(cls_of(t, j) & C_WORD)) return 0;
        size_t e = scan_run(t, j, &dig, &k);
        if (dig) return 0; /* "#1" is a number, not a tag */
        *kind = cp == '@' ? LEDE_TOK_HANDLE : LEDE_TOK_HASHTAG;
        return e - i;
    }
    if (is_currency(cp)) {
        if (j < t->n && t->s[j] == ' ' && j + 1 < t->n && is_digit(t->s[j + 1])) j++;
        if (j >= t->n || !is_digit(t->s[j])) return 0;
        *kind = LEDE_TOK_MONEY;
        return scan_number(t, j) - i;
    }
    return 0;
}

/* "US$10", "A$5": two or three capitals glued to '$' and a number. */
static size_t scan_prefixed_money(const lede_tokenizer *t, size_t i) {
    size_t j = i;
    while (j < t->n && j - i < 3 && is_upper_ascii(t->s[j])) j++;
    if (j - i < 1 || j + 1 >= t->n || t->s[j] != '$' || !is_digit(t->s[j + 1])) return 0;
    return scan_number(t, j + 1) - i;
}

/* ---- driver ------------------------------------------------------------------------------- */

void lede_tok_init(lede_tokenizer *t, const char *s, size_t n) {
    static pthread_once_t once = PTHREAD_ONCE_INIT; /* workers tokenize in parallel */
    pthread_once(&once, init_ascii);
    t->s = (const unsigned char *)s;
    t->n = n;
    t->pos = 0;
}

static void token_at(const lede_tokenizer *t, size_t i, size_t l, uint32_t cp, unsigned c,
                     lede_token *tok) {
    size_t e;
    tok->start = i;
    if (c & C_WORD) {
        if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') && (e = scan_url(t, i)) > i) {
            tok->kind = LEDE_TOK_URL;
            tok->len = e - i;
            return;
        }
        if ((c & C_UPPER) && cp < 0x80 && (e = scan_prefixed_money(t, i)) > 0) {
            tok->kind = LEDE_TOK_MONEY;
            tok->len = e;
            return;
        }
        scan_word(t, i, tok);
        size_t after = i + tok->len;
        if (after < t->n && t->s[after] < 0x80 && after_word[t->s[after]] &&
            (e = scan_email(t, i)) > i) {
            tok->kind = LEDE_TOK_EMAIL;
            tok->len = e - i;
        }
        return;
    }
    lede_tok_kind k;
    if ((e = scan_prefixed(t, i, cp, l, &k)) > 0) {
        tok->kind = k;
        tok->len = e;
        return;
    }
    scan_mark(t, i, l, c, tok);
}

/* The common case: a run of ASCII letters ended by a space or plain punctuation, and not
 * the start of a URL. Returns its end, or 0 to take the general path. */
static size_t plain_word(const lede_tokenizer *t, size_t i) {
    const unsigned char *s = t->s;
    if ((s[i] | 0x20) == 'h' || (s[i] | 0x20) == 'w') return 0;
    size_t j = i + 1;
    while (j < t->n && s[j] < 0x80 && (ascii_cls[s[j]] & C_LETTER)) j++;
    if (j < t->n && !ends_plain[s[j]]) return 0;
    return j;
}

int lede_tok_next(lede_tokenizer *t, lede_token *tok) {
    size_t i = t->pos;
    for (;;) {
        while (i < t->n && t->s[i] < 0x80 && (ascii_cls[t->s[i]] & C_SPACE)) i++;
        if (i >= t->n) {
            t->pos = i;
            return 0;
        }
        size_t e;
        if (t->s[i] < 0x80 && (ascii_cls[t->s[i]] & C_LETTER) && (e = plain_word(t, i)) != 0) {
            tok->start = i;
            tok->len = e - i;
            tok->kind = LEDE_TOK_WORD;
            t->pos = e;
            return 1;
        }
        size_t l;
        uint32_t cp;
        unsigned c = cls_at(t, i, &l, &cp);
        if (c & (C_SPACE | C_BAD)) {
            i += l;
            continue;
        }
        token_at(t, i, l, cp, c, tok);
        t->pos = tok->start + tok->len;
        return 1;
    }
}

size_t lede_tok_count_words(const char *s, size_t n) {
    lede_tokenizer t;
    lede_token tok;
    size_t count = 0;
    lede_tok_init(&t, s, n);
    while (lede_tok_next(&t, &tok)) count += lede_tok_is_wordlike(tok.kind);
    return count;
}
