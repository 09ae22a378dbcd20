/* Sentence splitting: abbreviations, titles, initials, decimals, quotes, paragraph breaks. */
#include <string.h>

#include "check.h"
#include "text/sentences.h"

typedef struct {
    const char *s;
    char out[4096];
    size_t w;
} joined;

static int collect(void *ud, size_t start, size_t len) {
    joined *j = ud;
    if (j->w) j->out[j->w++] = '|';
    memcpy(j->out + j->w, j->s + start, len);
    j->w += len;
    j->out[j->w] = 0;
    return 0;
}

static const char *split(const char *s) {
    static joined j;
    j.s = s;
    j.w = 0;
    j.out[0] = 0;
    lede_sentences(s, strlen(s), collect, &j);
    return j.out;
}

static int stop_after_one(void *ud, size_t start, size_t len) {
    (*(int *)ud)++;
    return 42;
}

int main(void) {
    CHECK_STR(split("It rained. Then it stopped! Did it? Yes."),
              "It rained.|Then it stopped!|Did it?|Yes.");
    CHECK_STR(split("Mr. Smith met Gen. Lee on Jan. 5 at No. 10 Downing St. in London."),
              "Mr. Smith met Gen. Lee on Jan. 5 at No. 10 Downing St. in London.");
    CHECK_STR(split("The U.S. Treasury acted. The U.S. The end."),
              "The U.S. Treasury acted.|The U.S.|The end.");
    /* a starter word in lower case after an initialism continues the sentence */
    CHECK_STR(split("Since then the U.S. and its allies acted. Acme Ltd. the supplier, paid."),
              "Since then the U.S. and its allies acted.|Acme Ltd. the supplier, paid.");
    CHECK_STR(split("Sanctions, e.g. asset freezes, work. J. K. Rowling agreed."),
              "Sanctions, e.g. asset freezes, work.|J. K. Rowling agreed.");
    CHECK_STR(split("Prices rose 3.5 percent. Oil fell."), "Prices rose 3.5 percent.|Oil fell.");
    CHECK_STR(split("“We will act.” He left. (It was late.) Then?"),
              "“We will act.”|He left.|(It was late.)|Then?");
    CHECK_STR(split("“Why?” he asked. Wait... what now?"), "“Why?” he asked.|Wait... what now?");
    CHECK_STR(split("A headline\n\nFirst para. Second\n\nThird"),
              "A headline|First para.|Second|Third");
    CHECK_STR(split("Line one\nline two."), "Line one\nline two.");
    CHECK_STR(split("Ёлки растут. Они зелёные."), "Ёлки растут.|Они зелёные.");
    CHECK_STR(split("  no terminal punctuation  "), "no terminal punctuation");
    CHECK_STR(split(""), "");
    CHECK_STR(split("bad \xff bytes. Ok"), "bad \xff bytes.|Ok");
    int calls = 0;
    CHECK(lede_sentences("A. B. C.", 8, stop_after_one, &calls) == 42 && calls == 1);
    CHECK_DONE();
}
