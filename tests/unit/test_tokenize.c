/* Tokenizer: the forms news text needs kept whole, Unicode, invalid UTF-8, empty input. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text/normalize.h"
#include "text/tokenize.h"
#include "util/utf8.h"

/* Joins the tokens of s as "text/kind|text/kind|..." */
static const char *toks(const char *s) {
    static char out[4096];
    lede_tokenizer t;
    lede_token tok;
    size_t w = 0;
    out[0] = 0;
    lede_tok_init(&t, s, strlen(s));
    while (lede_tok_next(&t, &tok) && w + tok.len + 16 < sizeof out) {
        if (w) out[w++] = '|';
        memcpy(out + w, s + tok.start, tok.len);
        w += tok.len;
        w += (size_t)snprintf(out + w, sizeof out - w, "/%s", lede_tok_kind_name(tok.kind));
    }
    out[w] = 0;
    return out;
}

static void test_words(void) {
    CHECK_STR(toks("Iran's snap-back sanctions"), "Iran's/word|snap-back/word|sanctions/word");
    CHECK_STR(toks("Iran’s"), "Iran’s/word");
    CHECK_STR(toks("the students' union"), "the/word|students/word|'/punct|union/word");
    CHECK_STR(toks("über Straße, naïve"), "über/word|Straße/word|,/punct|naïve/word");
    CHECK_STR(toks("Москва и Киев"), "Москва/word|и/word|Киев/word");
    CHECK_STR(toks("東京 2024"), "東京/word|2024/number");
    CHECK_STR(toks("a\xCC\x81" "b"), "a\xCC\x81" "b/word"); /* combining mark stays inside */
}

static void test_numbers_money(void) {
    CHECK_STR(toks("1,000.5 tons"), "1,000.5/number|tons/word");
    CHECK_STR(toks("a 25-year ban"), "a/word|25-year/word|ban/word");
    CHECK_STR(toks("in 2024. Then"), "in/word|2024/number|./punct|Then/word");
    CHECK_STR(toks("$5.3 billion"), "$5.3/money|billion/word");
    CHECK_STR(toks("US$10 and €20 or £ 7"), "US$10/money|and/word|€20/money|or/word|£ 7/money");
    CHECK_STR(toks("3.5% up"), "3.5/number|%/punct|up/word");
    CHECK_STR(toks("the 1st"), "the/word|1st/word");
}

static void test_abbrev(void) {
    CHECK_STR(toks("the U.S. and E.U."), "the/word|U.S./abbrev|and/word|E.U./abbrev");
    CHECK_STR(toks("Mr. Smith, Gen. Lee"), "Mr./abbrev|Smith/word|,/punct|Gen./abbrev|Lee/word");
    CHECK_STR(toks("e.g. this"), "e.g./abbrev|this/word");
    CHECK_STR(toks("No. 10 but no."), "No./abbrev|10/number|but/word|no/word|./punct");
    CHECK_STR(toks("John F. Kennedy"), "John/word|F./abbrev|Kennedy/word");
}

static void test_web(void) {
    CHECK_STR(toks("see https://example.com/a_(b)?x=1."),
              "see/word|https://example.com/a_(b)?x=1/url|./punct");
    CHECK_STR(toks("(www.bbc.co.uk)"), "(/punct|www.bbc.co.uk/url|)/punct");
    CHECK_STR(toks("mail john.doe+x@example.co.uk now"),
              "mail/word|john.doe+x@example.co.uk/email|now/word");
    CHECK_STR(toks("@UN_News #Gaza2024 #1"), "@UN_News/handle|#Gaza2024/hashtag|#/punct|1/number");
    CHECK_STR(toks("wait... what?!"), "wait/word|.../punct|what/word|?/punct|!/punct");
    CHECK_STR(toks("a + b 😀"), "a/word|+/symbol|b/word|😀/symbol");
}

static void test_edges(void) {
    CHECK_STR(toks(""), "");
    CHECK_STR(toks("   \n\t "), "");
    /* invalid bytes separate tokens and never end up inside one */
    CHECK_STR(toks("ab\xff" "cd \xc3(x\xe2\x82"), "ab/word|cd/word|(/punct|x/word");
    const char *bad = "\xf0\x9f\x98 caf\xc3\xa9\xc3";
    lede_tokenizer t;
    lede_token tok;
    lede_tok_init(&t, bad, strlen(bad));
    while (lede_tok_next(&t, &tok))
        CHECK(lede_utf8_valid_prefix(bad + tok.start, tok.len) == tok.len);
    CHECK(lede_tok_count_words("Iran's oil, the U.S. said.", 26) == 5);
    /* random bytes never crash and every token is valid UTF-8 */
    srand(7);
    char buf[512];
    for (int r = 0; r < 2000; r++) {
        for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(rand() % 256);
        lede_tok_init(&t, buf, sizeof buf);
        size_t last = 0;
        while (lede_tok_next(&t, &tok)) {
            CHECK(tok.start >= last && tok.len > 0 && tok.start + tok.len <= sizeof buf);
            if (lede_utf8_valid_prefix(buf + tok.start, tok.len) != tok.len) CHECK(0);
            last = tok.start + tok.len;
        }
    }
}

static const char *norm(const char *s, unsigned mode) {
    static lede_buf b;
    lede_buf_clear(&b);
    lede_normalize(&b, s, strlen(s), mode);
    return b.data ? b.data : "";
}

static void test_normalize(void) {
    CHECK_STR(norm("Iran’s", LEDE_FOLD_CASE), "iran's");
    CHECK_STR(norm("ÉTAT", LEDE_FOLD_CASE), "état");
    CHECK_STR(norm("ÉTAT", LEDE_FOLD_CASE | LEDE_FOLD_MARKS), "etat");
    CHECK_STR(norm("Straße", LEDE_FOLD_CASE), "strasse");
    CHECK_STR(norm("ﬁle Ｆｕｌｌ", LEDE_FOLD_CASE), "file full");
    CHECK_STR(norm("e\xCC\x81", 0), "é"); /* NFKC composes */
    CHECK_STR(norm("bad\xff", LEDE_FOLD_CASE), "bad\xEF\xBF\xBD");
    size_t l;
    const char *f = lede_fold_cp(0xC9, LEDE_FOLD_CASE | LEDE_FOLD_MARKS, &l);
    CHECK(l == 1 && f[0] == 'e');
    f = lede_fold_cp(0x2019, LEDE_FOLD_CASE, &l);
    CHECK(l == 1 && f[0] == '\'');
    f = lede_fold_cp(0x00AD, LEDE_FOLD_CASE, &l); /* soft hyphen vanishes */
    CHECK(l == 0);
    f = lede_fold_cp(0xA0, LEDE_FOLD_CASE, &l);
    CHECK(l == 1 && f[0] == ' ');
    lede_buf b;
    lede_buf_init(&b);
    const char *msg = "  “Quoted”\u00a0 text\u200b here ";
    lede_clean_text(&b, msg, strlen(msg));
    CHECK_STR(b.data, "\"Quoted\" text here");
    lede_buf_free(&b);
}

int main(void) {
    test_words();
    test_numbers_money();
    test_abbrev();
    test_web();
    test_edges();
    test_normalize();
    CHECK_DONE();
}
