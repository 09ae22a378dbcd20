/* Sentence splitter: a walk over the tokens with one token of look-ahead. The tokenizer
 * already keeps "U.S.", "Mr." and "3.5" whole, so a '.' that reaches us as its own token is a
 * real candidate; what is left to decide is whether the next token can start a sentence. */
#include "text/sentences.h"

#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "text/tokenize.h"
#include "util/utf8.h"

typedef struct splitter {
    lede_tokenizer tz;
    const unsigned char *s;
    size_t n;
    lede_token cur, next;
    int have_cur, have_next;
} splitter;

static void advance(splitter *sp) {
    sp->cur = sp->next;
    sp->have_cur = sp->have_next;
    sp->have_next = sp->have_cur && lede_tok_next(&sp->tz, &sp->next);
}

/* Words that commonly open a sentence: after an initialism ("the U.S. The ...") a capital
 * alone is no evidence, since names follow initialisms all the time. */
static const char *const STARTERS[] = {"the", "a", "an", "in", "on", "at", "it", "he", "she",
    "they", "we", "i", "but", "and", "this", "that", "these", "those", "his", "her", "their",
    "its", "there", "some", "many", "most", "officials", "meanwhile", "however", "if", "when",
    "as", "after", "for", "while", "what", "our", "you", "no", "one", "last", "yet", "so", NULL};

static int is_starter(const unsigned char *w, size_t n) {
    for (const char *const *p = STARTERS; *p; p++)
        if (strlen(*p) == n && strncasecmp(*p, (const char *)w, n) == 0) return 1;
    return 0;
}

static uint32_t first_cp(const splitter *sp, const lede_token *t) {
    uint32_t cp;
    lede_utf8_decode(sp->s + t->start, t->len, &cp);
    return cp;
}

static uint32_t last_cp(const splitter *sp, const lede_token *t) {
    size_t i = t->start + t->len - 1;
    while (i > t->start && (sp->s[i] & 0xC0) == 0x80) i--;
    uint32_t cp;
    lede_utf8_decode(sp->s + i, t->start + t->len - i, &cp);
    return cp;
}

static int is_terminal(uint32_t cp) {
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 ||
           cp == 0xFF1F || cp == 0x203C || cp == 0x2049;
}

static int is_closer(uint32_t cp) {
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x201D ||
           cp == 0x2019 || cp == 0xBB || cp == 0x203A || cp == 0x300D || cp == 0x300F;
}

static int is_lower_start(const splitter *sp, const lede_token *t) {
    uint32_t cp = first_cp(sp, t);
    if (cp < 0x80) return cp - 'a' < 26u;
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

/* A blank line between the end of a and the start of b? */
static int paragraph_gap(const splitter *sp, size_t from, size_t to) {
    int nl = 0;
    for (size_t i = from; i < to; i++)
        if (sp->s[i] == '\n' && ++nl >= 2) return 1;
    return 0;
}

/* After the terminal token cur (with adjacent closers already absorbed): may next start a
 * new sentence? */
static int can_start(const splitter *sp, size_t end) {
    if (!sp->have_next) return 1;
    if (sp->next.start == end) return 0; /* "Yahoo!Inc", "3.x" */
    return !is_lower_start(sp, &sp->next);
}

static int abbrev_ends(const splitter *sp, size_t end) {
    const lede_token *t = &sp->cur;
    if (!sp->have_next) return 1;
    if (sp->next.start == end || sp->next.kind != LEDE_TOK_WORD) return 0;
    size_t stem = t->len - 1; /* without its '.' */
    int cls = lede_abbrev_class((const char *)sp->s + t->start, stem);
    if (cls == LEDE_ABBR_TITLE || cls == LEDE_ABBR_MONTH || cls == LEDE_ABBR_NUMBER) return 0;
    if (t->len == 2) return 0; /* an initial: "J. K. Rowling" */
    /* "the U.S. and its allies": a sentence never starts lower-case, whatever the word */
    if (is_lower_start(sp, &sp->next)) return 0;
    return is_starter(sp->s + sp->next.start, sp->next.len);
}

/* Absorbs the closers and further terminals glued to cur; returns the sentence end. */
static size_t absorb(splitter *sp) {
    size_t end = sp->cur.start + sp->cur.len;
    while (sp->have_next && sp->next.start == end && sp->next.kind == LEDE_TOK_PUNCT &&
           (is_closer(first_cp(sp, &sp->next)) || is_terminal(first_cp(sp, &sp->next)))) {
        advance(sp);
        end = sp->cur.start + sp->cur.len;
    }
    return end;
}

int lede_sentences(const char *s, size_t n, lede_sentence_fn fn, void *ud) {
    splitter sp = {.s = (const unsigned char *)s, .n = n};
    lede_tok_init(&sp.tz, s, n);
    sp.have_next = lede_tok_next(&sp.tz, &sp.next);
    advance(&sp);
    size_t start = 0;
    int open = 0, rc;
    while (sp.have_cur) {
        if (!open) start = sp.cur.start;
        open = 1;
        size_t end = sp.cur.start + sp.cur.len;
        int stop = 0;
        if (sp.cur.kind == LEDE_TOK_PUNCT && is_terminal(first_cp(&sp, &sp.cur))) {
            end = absorb(&sp);
            stop = can_start(&sp, end);
        } else if (sp.cur.kind == LEDE_TOK_ABBREV && last_cp(&sp, &sp.cur) == '.') {
            stop = abbrev_ends(&sp, end);
        }
        if (!stop && (!sp.have_next || paragraph_gap(&sp, end, sp.next.start))) stop = 1;
        if (stop) {
            if ((rc = fn(ud, start, end - start)) != 0) return rc;
            open = 0;
        }
        advance(&sp);
    }
    return 0;
}
