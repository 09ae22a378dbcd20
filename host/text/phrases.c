/* Phrase lists. The scanner feeds the automaton folded bytes: ASCII through one table that
 * folds and classifies at once, other characters through the per-code-point fold cache. Hits
 * are reported by end position and folded length; the original start is recovered by walking
 * back over the text (rare, only on hits), which keeps the per-byte loop free of bookkeeping. */
#include "text/phrases.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "text/ac.h"
#include "text/normalize.h"
#include "util/buf.h"
#include "util/utf8.h"

struct lede_phrases {
    unsigned mode;
    lede_ac_builder *builder; /* until compiled */
    lede_ac *ac;
    char **phrase, **label;
    size_t n, cap;
    size_t *form_entry; /* automaton id -> entry */
    size_t nforms, cap_forms;
    uint8_t ascii[128]; /* ASCII byte -> automaton class, fold included */
    /* U+0080..U+07FF and U+2000..U+207F (Latin letters, quotes, dashes: nearly all the
     * non-ASCII of news text): the classes of the fold, packed as len | c0 << 8 | c1 << 16 |
     * c2 << 24; len 0xFF = longer than 3 bytes, take the slow path */
    uint32_t fast[0x800 + 0x80];
};

lede_phrases *lede_phrases_new(unsigned fold_mode) {
    lede_phrases *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->mode = fold_mode;
    p->builder = lede_ac_builder_new(NULL, ' ');
    if (!p->builder) {
        free(p);
        return NULL;
    }
    return p;
}

void lede_phrases_free(lede_phrases *p) {
    if (!p) return;
    lede_ac_builder_free(p->builder);
    lede_ac_free(p->ac);
    for (size_t i = 0; i < p->n; i++) {
        free(p->phrase[i]);
        free(p->label[i]);
    }
    free(p->phrase);
    free(p->label);
    free(p->form_entry);
    free(p);
}

size_t lede_phrases_count(const lede_phrases *p) { return p->n; }
const char *lede_phrases_phrase(const lede_phrases *p, size_t e) { return p->phrase[e]; }
const char *lede_phrases_label(const lede_phrases *p, size_t e) { return p->label[e]; }

/* ---- folding ------------------------------------------------------------------------------ */

/* Folds s code point by code point, exactly as the scanner folds text, with white-space runs
 * squeezed to one space and trimmed. */
static int fold_phrase(unsigned mode, const char *s, size_t n, lede_buf *out) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lede_utf8_decode(u + i, n - i, &cp);
        size_t fl;
        const char *f = lede_fold_cp(cp, mode, &fl);
        for (size_t j = 0; j < fl; j++) {
            int sp = f[j] == ' ';
            if (sp && (out->len == 0 || out->data[out->len - 1] == ' ')) continue;
            if (lede_buf_putc(out, f[j])) return -1;
        }
        i += k;
    }
    while (out->len && out->data[out->len - 1] == ' ') out->data[--out->len] = '\0';
    return 0;
}

static int add_form(lede_phrases *p, size_t entry, const char *s, size_t n, char *err,
                    size_t errlen) {
    lede_buf f;
    lede_buf_init(&f);
    if (fold_phrase(p->mode, s, n, &f)) goto nomem;
    if (f.len == 0) {
        snprintf(err, errlen, "empty phrase \"%.*s\"", (int)(n > 60 ? 60 : n), s);
        lede_buf_free(&f);
        return -1;
    }
    if (f.len > LEDE_PHRASE_MAX_BYTES) {
        snprintf(err, errlen, "phrase longer than %u bytes: \"%.40s...\"",
                 (unsigned)LEDE_PHRASE_MAX_BYTES, f.data);
        lede_buf_free(&f);
        return -1;
    }
    if (p->nforms == p->cap_forms) {
        size_t cap = p->cap_forms ? p->cap_forms * 2 : 256;
        size_t *fe = realloc(p->form_entry, cap * sizeof *fe);
        if (!fe) goto nomem;
        p->form_entry = fe;
        p->cap_forms = cap;
    }
    int rc = lede_ac_add(p->builder, f.data, f.len, (int32_t)p->nforms);
    lede_buf_free(&f);
    if (rc < 0) goto nomem;
    if (rc == 0) p->form_entry[p->nforms++] = entry; /* a duplicate keeps the first entry */
    return 0;
nomem:
    lede_buf_free(&f);
    snprintf(err, errlen, "out of memory building a phrase list");
    return -1;
}

long lede_phrases_add(lede_phrases *p, const char *phrase, size_t n, const char *label,
                      size_t label_len, char *err, size_t errlen) {
    if (!p->builder) {
        snprintf(err, errlen, "phrase list already compiled");
        return -1;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        char **a = realloc(p->phrase, cap * sizeof *a);
        if (a) p->phrase = a;
        char **b = realloc(p->label, cap * sizeof *b);
        if (b) p->label = b;
        if (!a || !b) goto nomem;
        p->cap = cap;
    }
    char *ph = lede_strndup(phrase, n), *lb = label ? lede_strndup(label, label_len) : NULL;
    if (!ph || (label && !lb)) {
        free(ph);
        free(lb);
        goto nomem;
    }
    p->phrase[p->n] = ph;
    p->label[p->n] = lb;
    if (add_form(p, p->n, phrase, n, err, errlen)) {
        free(ph);
        free(lb);
        return -1;
    }
    return (long)p->n++;
nomem:
    snprintf(err, errlen, "out of memory building a phrase list");
    return -1;
}

int lede_phrases_add_alias(lede_phrases *p, long entry, const char *alias, size_t n, char *err,
                           size_t errlen) {
    if (!p->builder || entry < 0 || (size_t)entry >= p->n) {
        snprintf(err, errlen, "alias for an unknown entry");
        return -1;
    }
    return add_form(p, (size_t)entry, alias, n, err, errlen);
}

/* ---- loading ------------------------------------------------------------------------------ */

static int load_line(lede_phrases *p, char *line, size_t len, char *err, size_t errlen) {
    if (len && line[len - 1] == '\r') line[--len] = '\0';
    if (len == 0 || line[0] == '#') return 0;
    char *tab = memchr(line, '\t', len);
    size_t plen = tab ? (size_t)(tab - line) : len;
    char *label = NULL, *rest = NULL;
    size_t llen = 0;
    if (tab) {
        label = tab + 1;
        rest = strchr(label, '\t');
        llen = rest ? (size_t)(rest - label) : strlen(label);
    }
    long e = lede_phrases_add(p, line, plen, llen ? label : NULL, llen, err, errlen);
    if (e < 0) return -1;
    while (rest) {
        char *alias = rest + 1;
        rest = strchr(alias, '\t');
        size_t alen = rest ? (size_t)(rest - alias) : strlen(alias);
        if (alen && lede_phrases_add_alias(p, e, alias, alen, err, errlen)) return -1;
    }
    return 0;
}

int lede_phrases_load(lede_phrases *p, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;
    char msg[256];
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len && line[len - 1] == '\n') line[--len] = '\0';
        if (load_line(p, line, (size_t)len, msg, sizeof msg)) {
            snprintf(err, errlen, "%s:%zu: %s", path, lineno, msg);
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

int lede_phrases_compile(lede_phrases *p, char *err, size_t errlen) {
    if (!p->builder) return 0;
    p->ac = lede_ac_build(p->builder, LEDE_PHRASE_DENSE_MAX_CELLS);
    if (!p->ac) {
        snprintf(err, errlen, "out of memory compiling a phrase list");
        return -1;
    }
    lede_ac_builder_free(p->builder);
    p->builder = NULL;
    for (uint32_t c = 0; c < 128; c++) {
        size_t l;
        const char *f = lede_fold_cp(c, p->mode, &l);
        /* ASCII folds to one byte (or none: the few controls it drops map to class 0) */
        p->ascii[c] = l == 1 ? p->ac->cls[(unsigned char)f[0]] : 0;
    }
    for (uint32_t i = 0x80; i < 0x800 + 0x80; i++) {
        size_t l;
        const char *f = lede_fold_cp(i < 0x800 ? i : 0x2000 + (i - 0x800), p->mode, &l);
        /* 0xFF alone marks a fold too long for the three class bytes (the slow path) */
        uint32_t e = l > 3 ? 0xFF : (uint32_t)l;
        for (size_t j = 0; j < l && l <= 3; j++) e |= (uint32_t)p->ac->cls[(unsigned char)f[j]] << (8 * (j + 1));
        p->fast[i] = e;
    }
    return 0;
}

/* ---- scanning ----------------------------------------------------------------------------- */

typedef struct scan_ctx {
    const lede_phrases *p;
    const unsigned char *s;
    size_t n;
    lede_phrase_hit *hits;
    size_t nhits, cap;
    int oom;
} scan_ctx;

static size_t char_start(const unsigned char *s, size_t i) {
    size_t k = 0;
    while (i > 0 && k < 3 && (s[i - 1] & 0xC0) == 0x80) {
        i--;
        k++;
    }
    return i > 0 ? i - 1 : 0;
}

/* Decodes the character at i (invalid bytes as U+FFFD, length 1). */
static size_t decode_at(const unsigned char *s, size_t n, size_t i, uint32_t *cp) {
    if (s[i] < 0x80) {
        *cp = s[i];
        return 1;
    }
    return lede_utf8_decode(s + i, n - i, cp); /* invalid: U+FFFD, length 1 */
}

/* Walks back from end over characters whose folds add up to flen bytes (a run of spaces
 * counting once); returns the start, or (size_t)-1 if the hit starts inside a character. */
static size_t find_start(const scan_ctx *x, size_t end, uint32_t flen) {
    if (end >= flen) { /* printable ASCII without doubled spaces folds byte for byte */
        size_t j = end - flen;
        while (j < end && x->s[j] - 0x20u < 0x5Fu && !(x->s[j] == ' ' && j + 1 < end && x->s[j + 1] == ' ')) j++;
        if (j == end) return end - flen;
    }
    size_t i = end, got = 0;
    int right_space = 0;
    while (i > 0 && got < flen) {
        size_t st = char_start(x->s, i);
        uint32_t cp;
        size_t k = decode_at(x->s, x->n, st, &cp);
        if (st + k != i) st = i - 1; /* an invalid byte: one byte back */
        size_t fl;
        const char *f = lede_fold_cp(st + k == i ? cp : 0xFFFD, x->p->mode, &fl);
        int space = fl == 1 && f[0] == ' ';
        if (!(space && right_space)) got += fl;
        if (fl) right_space = space;
        i = st;
    }
    return got == flen ? i : (size_t)-1;
}

static int word_at(const scan_ctx *x, size_t i) {
    unsigned char b = x->s[i];
    if (b < 0x80) return (b | 0x20u) - 'a' < 26u || (unsigned)b - '0' < 10u || b == '_';
    uint32_t cp;
    decode_at(x->s, x->n, i, &cp);
    return lede_cp_class(cp) == LEDE_CP_WORD;
}

/* \b semantics: a phrase that starts (ends) with a word character must not have one right
 * before (after) it. Characters that fold to nothing (combining marks, soft hyphens) after
 * the end are taken into the hit. */
static int on_boundary(const scan_ctx *x, size_t start, size_t *end) {
    size_t e = *end;
    while (e < x->n && x->s[e] >= 0x80) {
        uint32_t cp;
        size_t k = decode_at(x->s, x->n, e, &cp), fl;
        lede_fold_cp(cp, x->p->mode, &fl);
        if (fl || cp == 0xFFFD) break;
        e += k;
    }
    if (start > 0 && word_at(x, start) && word_at(x, char_start(x->s, start))) return 0;
    size_t last = char_start(x->s, *end);
    if (e < x->n && word_at(x, last) && word_at(x, e)) return 0;
    *end = e;
    return 1;
}

static int cmp_hit(const void *a, const void *b) {
    const lede_phrase_hit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int on_hit(void *ud, size_t end, int32_t id, uint32_t flen) {
    scan_ctx *x = ud;
    size_t start = find_start(x, end, flen);
    if (start == (size_t)-1 || !on_boundary(x, start, &end)) return 0;
    if (x->nhits == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        lede_phrase_hit *h = realloc(x->hits, cap * sizeof *h);
        if (!h) {
            x->oom = 1;
            return 1;
        }
        x->hits = h;
        x->cap = cap;
    }
    /* hits arrive by end; keep them sorted by (start, longest first) with an insertion step,
     * which moves an entry only past the few hits it overlaps */
    lede_phrase_hit h = {start, end - start, x->p->form_entry[id]};
    size_t j = x->nhits++;
    while (j > 0 && cmp_hit(&x->hits[j - 1], &h) > 0) {
        x->hits[j] = x->hits[j - 1];
        j--;
    }
    x->hits[j] = h;
    return 0;
}

/* Feeds the fold of the non-ASCII character at i; reports only after its last byte, since a
 * hit ending inside one character's fold is not on a character boundary. */
static size_t feed_char(scan_ctx *x, size_t i, uint32_t *st) {
    const lede_ac *ac = x->p->ac;
    uint32_t cp;
    size_t k = decode_at(x->s, x->n, i, &cp), fl;
    const char *f = lede_fold_cp(cp, x->p->mode, &fl);
    for (size_t j = 0; j < fl; j++) *st = lede_ac_next(ac, *st, ac->cls[(unsigned char)f[j]]);
    if (fl && ac->reports[*st]) lede_ac_report(ac, *st, i + k, on_hit, x);
    return k;
}

/* The fold of the non-ASCII character at i through the dense table (offsets, no division). */
static size_t feed_char_dense(scan_ctx *x, size_t i, uint32_t *off) {
    const lede_ac *ac = x->p->ac;
    const unsigned char *s = x->s;
    uint32_t cp, e = 0, f3 = 0xFF;
    size_t k = 0;
    if (s[i] >= 0xC2 && s[i] < 0xE0 && i + 1 < x->n && (s[i + 1] & 0xC0) == 0x80) {
        f3 = x->p->fast[((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu)];
        k = 2;
    } else if (s[i] == 0xE2 && i + 2 < x->n && (s[i + 1] == 0x80 || s[i + 1] == 0x81) &&
               (s[i + 2] & 0xC0) == 0x80) {
        f3 = x->p->fast[0x800 + ((s[i + 1] & 1u) << 6) + (s[i + 2] & 0x3Fu)];
        k = 3;
    }
    if (f3 != 0xFF) {
        for (uint32_t j = 0, l = f3 & 0xFF; j < l; j++) {
            e = ac->delta[*off + ((f3 >> (8 * (j + 1))) & 0xFF)];
            *off = e >> 1;
        }
        if (e & 1) lede_ac_report(ac, *off / ac->ncls, i + k, on_hit, x);
        return k;
    }
    k = decode_at(x->s, x->n, i, &cp);
    size_t fl;
    const char *f = lede_fold_cp(cp, x->p->mode, &fl);
    for (size_t j = 0; j < fl; j++) {
        e = ac->delta[*off + ac->cls[(unsigned char)f[j]]];
        *off = e >> 1;
    }
    if (e & 1) lede_ac_report(ac, *off / ac->ncls, i + k, on_hit, x);
    return k;
}

static void scan_dense(scan_ctx *x) {
    const lede_ac *ac = x->p->ac;
    const uint32_t *delta = ac->delta;
    const uint8_t *asc = x->p->ascii;
    const unsigned char *s = x->s;
    const size_t n = x->n;
    uint32_t off = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (__builtin_expect(b < 0x80, 1)) {
            uint32_t e = delta[off + asc[b]];
            off = e >> 1;
            i++;
            if (__builtin_expect(e & 1, 0)) {
                lede_ac_report(ac, off / ac->ncls, i, on_hit, x);
                if (x->oom) return;
            }
            continue;
        }
        i += feed_char_dense(x, i, &off);
        if (x->oom) return;
    }
}

/* One character from i for a stream of scan_dense2; returns the new row offset. */
static inline uint32_t step_char(scan_ctx *x, size_t *i, uint32_t off) {
    unsigned char b = x->s[*i];
    if (__builtin_expect(b < 0x80, 1)) {
        const lede_ac *ac = x->p->ac;
        uint32_t e = ac->delta[off + x->p->ascii[b]];
        off = e >> 1;
        (*i)++;
        if (__builtin_expect(e & 1, 0)) lede_ac_report(ac, off / ac->ncls, *i, on_hit, x);
        return off;
    }
    *i += feed_char_dense(x, *i, &off);
    return off;
}

/* Two walks at once over [0, cut) and [cut, n), interleaved so that their table lookups
 * overlap. cut follows an ASCII byte that occurs in no phrase: the automaton is back at its
 * root there and no hit can span it, so the second walk starts exactly and the first's hits
 * all come before the second's. */
static void scan_dense2(scan_ctx *a, scan_ctx *b, size_t cut) {
    size_t i = 0, j = cut;
    uint32_t oa = 0, ob = 0;
    while (i < cut && j < a->n && !a->oom && !b->oom) {
        oa = step_char(a, &i, oa);
        ob = step_char(b, &j, ob);
    }
    while (i < cut && !a->oom) oa = step_char(a, &i, oa);
    while (j < b->n && !b->oom) ob = step_char(b, &j, ob);
}

/* Where to split s for scan_dense2: just after an ASCII byte of class 0 near the middle, or 0
 * when there is none close by (or s is short). */
static size_t split_point(const lede_phrases *p, const unsigned char *s, size_t n) {
    if (n < 4096) return 0;
    for (size_t i = n / 2, end = n / 2 + 65536; i < n - 1 && i < end; i++)
        if (s[i] < 0x80 && p->ascii[s[i]] == 0) return i + 1;
    return 0;
}

static void scan_sparse(scan_ctx *x) {
    const lede_ac *ac = x->p->ac;
    uint32_t st = 0;
    for (size_t i = 0; i < x->n && !x->oom;) {
        if (x->s[i] < 0x80) {
            st = lede_ac_next(ac, st, x->p->ascii[x->s[i]]);
            i++;
            if (ac->reports[st]) lede_ac_report(ac, st, i, on_hit, x);
            continue;
        }
        i += feed_char(x, i, &st);
    }
}

/* Leftmost-longest: after sorting by (start, longest first), keep hits that start at or
 * after the end of the last kept one. */
static size_t select_leftmost_longest(lede_phrase_hit *h, size_t n) {
    size_t w = 0, end = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && h[i].start < end) continue;
        h[w++] = h[i];
        end = h[i].start + h[i].len;
    }
    return w;
}

int lede_phrases_scan(const lede_phrases *p, const char *s, size_t n, int all,
                      lede_phrase_hit **hits, size_t *nhits) {
    scan_ctx x = {.p = p, .s = (const unsigned char *)s, .n = n};
    *hits = NULL;
    *nhits = 0;
    if (!p->ac) return -1;
    size_t cut = p->ac->all_dense ? split_point(p, x.s, n) : 0;
    if (cut) {
        scan_ctx y = x;
        scan_dense2(&x, &y, cut);
        /* every hit of the second half starts after every hit of the first */
        if (!x.oom && !y.oom && y.nhits) {
            lede_phrase_hit *h = realloc(x.hits, (x.nhits + y.nhits) * sizeof *h);
            if (!h) x.oom = 1;
            else {
                memcpy(h + x.nhits, y.hits, y.nhits * sizeof *h);
                x.hits = h;
                x.nhits += y.nhits;
            }
        }
        free(y.hits);
        x.oom |= y.oom;
    } else if (p->ac->all_dense) {
        scan_dense(&x);
    } else {
        scan_sparse(&x);
    }
    if (x.oom) {
        free(x.hits);
        return -1;
    }
    if (!all) x.nhits = select_leftmost_longest(x.hits, x.nhits);
    *hits = x.hits;
    *nhits = x.nhits;
    return 0;
}
