/* Shared by the libFuzzer targets in tests/fuzz: the invariants every parsed article must keep
 * and small helpers to cut one fuzz input into several arguments.
 *
 * The sanitizers catch memory errors on their own; the checks here catch the quieter failures a
 * parser can have on hostile bytes (a paragraph offset past the body, invalid UTF-8 handed to
 * Lua) and turn them into crashes libFuzzer can minimise. A broken invariant prints what broke
 * and aborts. */
#ifndef LEDE_FUZZ_COMMON_H
#define LEDE_FUZZ_COMMON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article/article.h"
#include "article/parse.h"
#include "output/article_json.h"
#include "text/sentences.h"
#include "text/tokenize.h"
#include "util/utf8.h"

#define FZ_CHECK(cond, ...)                                                           \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "fuzz invariant broken (%s:%d): %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* article.h promises every string is NUL-terminated valid UTF-8: Lua and the JSON writers rely
 * on it. */
static inline void fz_check_str(const char *what, const char *s) {
    if (!s) return;
    size_t n = strlen(s);
    FZ_CHECK(lede_utf8_valid_prefix(s, n) == n, "%s is not valid UTF-8 at byte %zu", what,
             lede_utf8_valid_prefix(s, n));
}

static inline void fz_check_list(const char *what, const lede_strlist *l) {
    for (size_t i = 0; i < l->n; i++) {
        FZ_CHECK(l->items[i] != NULL, "%s[%zu] is NULL", what, i);
        fz_check_str(what, l->items[i]);
    }
}

static int fz_sentence(void *ud, size_t start, size_t len) {
    size_t n = *(const size_t *)ud;
    FZ_CHECK(start <= n && len <= n - start, "sentence %zu+%zu outside a %zu-byte text", start, len, n);
    return 0;
}

/* Everything a script can reach on an article, walked once: strings, paragraph offsets (the
 * Lua views cut sentences out of a.text by them), tokens and sentences of the body, and the
 * JSON form `lede inspect --json` prints. */
static inline void fz_check_article(const lede_article *a) {
    FZ_CHECK(a->id != NULL, "article without an id");
    fz_check_str("id", a->id);
    fz_check_str("url", a->url);
    fz_check_str("title", a->title);
    fz_check_str("byline", a->byline);
    fz_check_str("published", a->published);
    fz_check_str("modified", a->modified);
    fz_check_str("section", a->section);
    fz_check_str("lang", a->lang);
    fz_check_str("site_name", a->site_name);
    fz_check_str("description", a->description);
    fz_check_list("authors", &a->authors);
    fz_check_list("tags", &a->tags);
    fz_check_list("captions", &a->captions);
    fz_check_list("related", &a->related);
    fz_check_list("dropped", &a->dropped);

    const char *text = a->text.data ? a->text.data : "";
    size_t tlen = a->text.len;
    FZ_CHECK(lede_utf8_valid_prefix(text, tlen) == tlen, "text is not valid UTF-8 at byte %zu",
             lede_utf8_valid_prefix(text, tlen));
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        const lede_paragraph *p = &a->paragraphs[i];
        FZ_CHECK(p->text != NULL && p->kind != NULL, "paragraph %zu lacks text or kind", i);
        FZ_CHECK(p->start >= 1 && p->start - 1 <= tlen && p->len <= tlen - (p->start - 1),
                 "paragraph %zu at %zu+%zu outside a %zu-byte text", i, p->start, p->len, tlen);
        FZ_CHECK(memcmp(text + p->start - 1, p->text, p->len) == 0,
                 "paragraph %zu differs from its slice of text", i);
        fz_check_str("paragraph", p->text);
    }
    for (size_t i = 0; i < a->n_links; i++) {
        fz_check_str("link.href", a->links[i].href);
        fz_check_str("link.text", a->links[i].text);
    }
    for (size_t i = 0; i < a->n_meta; i++) {
        fz_check_str("meta.key", a->meta[i].key);
        fz_check_str("meta.value", a->meta[i].value);
    }

    lede_tokenizer t;
    lede_token tok;
    lede_tok_init(&t, text, tlen);
    size_t last = 0;
    while (lede_tok_next(&t, &tok)) {
        FZ_CHECK(tok.start >= last && tok.start <= tlen && tok.len <= tlen - tok.start,
                 "token %zu+%zu outside a %zu-byte text (previous ended at %zu)", tok.start, tok.len, tlen, last);
        last = tok.start + tok.len;
    }
    lede_sentences(text, tlen, fz_sentence, &tlen);

    json_t *j = lede_article_to_json(a);
    FZ_CHECK(j != NULL, "article did not convert to JSON");
    char *s = json_dumps(j, JSON_COMPACT);
    FZ_CHECK(s != NULL, "article JSON did not serialise");
    free(s);
    json_decref(j);
}

/* Parses data as format (NULL = detect) the way a worker does, and checks every article. */
static inline void fz_parse_check(const char *data, size_t len, const lede_parse_opts *o) {
    lede_article_list l = {0};
    char err[512];
    lede_parse(data, len, o, &l, err, sizeof err);
    for (size_t i = 0; i < l.n; i++) fz_check_article(l.items[i]);
    lede_article_list_free(&l);
}

/* Writes data[0..size) to path (the readers under test take paths, not bytes); aborts on failure. */
#include <fcntl.h>
#include <unistd.h>
static inline void fz_write_file(const char *path, const uint8_t *data, size_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            perror(path);
            abort();
        }
        off += (size_t)w;
    }
    close(fd);
}

#endif
