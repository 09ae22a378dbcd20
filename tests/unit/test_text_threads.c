/* Compiled regex sets and phrase lists are shared read-only between worker threads, each with
 * its own matcher: scanning from several threads at once gives the same results. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text/normalize.h"
#include "text/phrases.h"
#include "text/reset.h"
#include "text/tokenize.h"

static const char TEXT[] = "The U.S. and the EU imposed sanctions on Iran's oil; Tehran said "
                           "São Paulo and New York traders evaded sanctions. ";
static lede_reset *set;
static lede_phrases *list;

typedef struct {
    size_t set_hits, phrase_hits, words;
} result;

static void *work(void *arg) {
    result *r = arg;
    lede_re_matcher *m = lede_re_matcher_new(NULL);
    for (int i = 0; i < 200; i++) {
        lede_reset_match *out;
        lede_phrase_hit *hits;
        size_t n, failed;
        if (lede_reset_scan(set, m, TEXT, sizeof TEXT - 1, &out, &n, &failed) == 0) {
            r->set_hits += n;
            free(out);
        }
        if (lede_phrases_scan(list, TEXT, sizeof TEXT - 1, 0, &hits, &n) == 0) {
            r->phrase_hits += n;
            free(hits);
        }
        r->words += lede_tok_count_words(TEXT, sizeof TEXT - 1);
    }
    lede_re_matcher_free(m);
    return NULL;
}

int main(void) {
    char err[256];
    const char *pats[] = {"\\bsanctions?\\b", "\\b(?:Iran|Tehran)\\b", "\\b(?:EU|U\\.S\\.)", NULL};
    set = lede_reset_new();
    for (int i = 0; pats[i]; i++) lede_reset_add(set, pats[i], strlen(pats[i]), LEDE_RE_CASELESS, err, sizeof err);
    CHECK(lede_reset_compile(set, err, sizeof err) == 0);
    list = lede_phrases_new(LEDE_FOLD_CASE | LEDE_FOLD_MARKS);
    const char *ph[] = {"Sao Paulo", "New York", "Iran", NULL};
    for (int i = 0; ph[i]; i++) lede_phrases_add(list, ph[i], strlen(ph[i]), NULL, 0, err, sizeof err);
    CHECK(lede_phrases_compile(list, err, sizeof err) == 0);

    result one = {0}, r[4] = {{0}};
    work(&one);
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, work, &r[i]);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        CHECK(r[i].set_hits == one.set_hits && r[i].phrase_hits == one.phrase_hits &&
              r[i].words == one.words);
    CHECK(one.set_hits == 200 * 6 && one.phrase_hits == 200 * 3); /* 2 sanctions, Iran, Tehran, U.S., EU */
    lede_reset_free(set);
    lede_phrases_free(list);
    lede_re_cache_clear();
    CHECK_DONE();
}
