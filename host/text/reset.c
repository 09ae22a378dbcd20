/* Pattern sets: literal prefilter + anchored PCRE2 confirmation (see reset.h). */
#include "text/reset.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/ac.h"
#include "text/relit.h"

typedef struct rs_pattern {
    lede_re *full;     /* as given: for whole-text runs */
    lede_re *anchored; /* \G(?:...): confirmation at a candidate, JIT-able */
    int prefiltered;
    int lead_wb; /* starts with \b: a candidate glued to a word character on its left fails */
} rs_pattern;

/* A literal of the automaton and the patterns it starts (a literal may serve several). */
typedef struct rs_literal {
    size_t *patterns;
    size_t n;
} rs_literal;

struct lede_reset {
    rs_pattern *pat;
    size_t n, cap;
    lede_ac *ac;
    rs_literal *lits;
    size_t nlits;
};

/* Literal ids past nlits: characters outside ASCII that caseless matching folds to ASCII
 * letters (KELVIN SIGN ~ k, LONG S ~ s). Where they occur, caseless patterns cannot trust
 * their ASCII prefilter and run over the whole text instead. */
static const char *const FOLD_TRAPS[] = {"\xE2\x84\xAA", "\xC5\xBF"};

static int is_ascii_word(unsigned char c) {
    return (c | 0x20u) - 'a' < 26u || (unsigned)c - '0' < 10u || c == '_';
}

/* Whether every match of the pattern starts at a \b: it starts with \b and has no '|' outside
 * groups ("\bfoo|bar" does not, "\b(?:foo|bar)" does). Follows PCRE2's syntax for what can
 * hide a '|' or a parenthesis: escapes, \Q...\E, classes (a ']' first is literal, [:name:]),
 * (?#...) comments. Extended-mode patterns are never prefiltered, so '#' needs no care. */
static int every_branch_leads_wb(const char *p, size_t n) {
    if (n < 2 || p[0] != '\\' || p[1] != 'b') return 0;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\') {
            if (i + 1 < n && p[i + 1] == 'Q') {
                const char *e = memmem(p + i + 2, n - i - 2, "\\E", 2);
                if (!e) return 1; /* quoted to the end */
                i = (size_t)(e - p) + 1;
            } else {
                i++;
            }
        } else if (p[i] == '[') {
            i++;
            if (i < n && p[i] == '^') i++;
            if (i < n && p[i] == ']') i++;
            for (; i < n && p[i] != ']'; i++) {
                if (p[i] == '\\') i++;
                else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
                    const char *e = memmem(p + i + 2, n - i - 2, ":]", 2);
                    if (e) i = (size_t)(e - p) + 1;
                }
            }
        } else if (p[i] == '(' && i + 2 < n && p[i + 1] == '?' && p[i + 2] == '#') {
            const char *e = memchr(p + i, ')', n - i);
            if (!e) return 0;
            i = (size_t)(e - p);
        } else if (p[i] == '(') {
            depth++;
        } else if (p[i] == ')') {
            depth--;
        } else if (p[i] == '|' && depth <= 0) {
            return 0;
        }
    }
    return 1;
}

lede_reset *lede_reset_new(void) { return calloc(1, sizeof(lede_reset)); }

void lede_reset_free(lede_reset *rs) {
    if (!rs) return;
    for (size_t i = 0; i < rs->n; i++) {
        lede_re_release(rs->pat[i].full);
        lede_re_release(rs->pat[i].anchored);
    }
    for (size_t i = 0; i < rs->nlits; i++) free(rs->lits[i].patterns);
    free(rs->lits);
    free(rs->pat);
    lede_ac_free(rs->ac);
    free(rs);
}

size_t lede_reset_count(const lede_reset *rs) { return rs->n; }
int lede_reset_prefiltered(const lede_reset *rs, size_t i) { return rs->pat[i].prefiltered; }

static int compile_anchored(const char *p, size_t len, unsigned flags, lede_re **out, char *err,
                            size_t errlen) {
    size_t n = len + 8;
    char *w = malloc(n);
    if (!w) return LEDE_RE_ENOMEM;
    /* extended mode: a trailing '#' comment would swallow the ')' without the newline */
    int k = snprintf(w, n, "\\G(?:%.*s%s)", (int)len, p, (flags & LEDE_RE_EXTENDED) ? "\n" : "");
    int rc = lede_re_compile(w, (size_t)k, flags, out, err, errlen);
    free(w);
    return rc;
}

int lede_reset_add(lede_reset *rs, const char *pattern, size_t len, unsigned flags, char *err,
                   size_t errlen) {
    if (rs->ac) {
        snprintf(err, errlen, "pattern set already compiled");
        return LEDE_RE_EPATTERN;
    }
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        rs_pattern *p = realloc(rs->pat, cap * sizeof *p);
        if (!p) return LEDE_RE_ENOMEM;
        rs->pat = p;
        rs->cap = cap;
    }
    rs_pattern *p = &rs->pat[rs->n];
    memset(p, 0, sizeof *p);
    /* validate without the JIT first: a prefiltered pattern's whole-text copy runs only
     * when a fold trap occurs, and JIT-compiling it would double the set's build time */
    int rc = lede_re_compile(pattern, len, flags | LEDE_RE_NOJIT, &p->full, err, errlen);
    if (rc) return rc;
    /* prefixes need a pattern we fully understand: no extended syntax, not anchored, not in
     * bytes mode (relit reads UTF-8: 'é*' is one quantified character to it but repeats only
     * the last byte in bytes mode, and '\xE9' is two bytes to it but one here) */
    lede_relit lits;
    if (!(flags & (LEDE_RE_EXTENDED | LEDE_RE_ANCHORED | LEDE_RE_BYTES)) &&
        lede_relit_prefixes(pattern, len, (flags & LEDE_RE_CASELESS) != 0, &lits) == 0 &&
        compile_anchored(pattern, len, flags, &p->anchored, err, errlen) == 0) {
        p->prefiltered = 1;
        p->lead_wb = every_branch_leads_wb(pattern, len);
    } else {
        lede_re *jit;
        if ((rc = lede_re_compile(pattern, len, flags, &jit, err, errlen)) != 0) {
            lede_re_release(p->full);
            return rc;
        }
        lede_re_release(p->full);
        p->full = jit;
    }
    return (int)rs->n++;
}

/* ---- compile: one automaton over every prefix literal ------------------------------------- */

static int literal_add_pattern(rs_literal *l, size_t pat) {
    if (l->n && l->patterns[l->n - 1] == pat) return 0;
    size_t *p = realloc(l->patterns, (l->n + 1) * sizeof *p);
    if (!p) return -1;
    p[l->n++] = pat;
    l->patterns = p;
    return 0;
}

static int add_literal(lede_reset *rs, lede_ac_builder *b, const char *s, size_t len,
                       size_t pat, size_t *cap) {
    if (rs->nlits == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        rs_literal *l = realloc(rs->lits, c * sizeof *l);
        if (!l) return -1;
        rs->lits = l;
        *cap = c;
    }
    int rc = lede_ac_add(b, s, len, (int32_t)rs->nlits);
    if (rc < 0) return -1;
    if (rc == 1) return 1; /* build_literals attaches pat to the first id */
    memset(&rs->lits[rs->nlits], 0, sizeof rs->lits[0]);
    return literal_add_pattern(&rs->lits[rs->nlits++], pat);
}

static uint8_t ascii_fold[256];

static void init_fold(void) {
    for (int c = 0; c < 256; c++) ascii_fold[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* Literal texts by id, to attach a duplicate literal's pattern to the first id. */
typedef struct lit_text {
    char s[LEDE_RELIT_MAXLEN + 1];
    size_t len;
} lit_text;

static int build_literals(lede_reset *rs, lede_ac_builder *b) {
    size_t cap = 0, tcap = 0;
    lit_text *texts = NULL;
    for (size_t i = 0; i < rs->n; i++) {
        if (!rs->pat[i].prefiltered) continue;
        size_t plen;
        const char *pat = lede_re_pattern(rs->pat[i].full, &plen);
        lede_relit lits;
        lede_relit_prefixes(pat, plen, (lede_re_flags(rs->pat[i].full) & LEDE_RE_CASELESS) != 0,
                            &lits);
        for (size_t k = 0; k < lits.n; k++) {
            size_t before = rs->nlits;
            int rc = add_literal(rs, b, lits.s[k], lits.len[k], i, &cap);
            if (rc < 0) goto nomem;
            if (rc == 1) { /* duplicate: find the first literal with this folded text */
                for (size_t j = 0; j < rs->nlits; j++)
                    if (texts[j].len == lits.len[k] &&
                        !strncasecmp(texts[j].s, lits.s[k], lits.len[k])) {
                        if (literal_add_pattern(&rs->lits[j], i)) goto nomem;
                        break;
                    }
                continue;
            }
            if (rs->nlits > tcap) {
                tcap = tcap ? tcap * 2 : 64;
                lit_text *t = realloc(texts, tcap * sizeof *t);
                if (!t) goto nomem;
                texts = t;
            }
            memcpy(texts[before].s, lits.s[k], lits.len[k] + 1);
            texts[before].len = lits.len[k];
        }
    }
    free(texts);
    return 0;
nomem:
    free(texts);
    return -1;
}

int lede_reset_compile(lede_reset *rs, char *err, size_t errlen) {
    if (rs->ac) return 0;
    static pthread_once_t once = PTHREAD_ONCE_INIT; /* sets may be built in parallel */
    pthread_once(&once, init_fold);
    lede_ac_builder *b = lede_ac_builder_new(ascii_fold, -1);
    if (!b || build_literals(rs, b)) goto nomem;
    for (size_t i = 0; i < sizeof FOLD_TRAPS / sizeof *FOLD_TRAPS; i++)
        if (lede_ac_add(b, FOLD_TRAPS[i], strlen(FOLD_TRAPS[i]), (int32_t)(rs->nlits + i)) < 0)
            goto nomem;
    rs->ac = lede_ac_build(b, 1u << 22);
    lede_ac_builder_free(b);
    if (!rs->ac) goto nomem_nob;
    return 0;
nomem:
    lede_ac_builder_free(b);
nomem_nob:
    snprintf(err, errlen, "out of memory compiling a pattern set");
    return LEDE_RE_ENOMEM;
}

/* ---- scan --------------------------------------------------------------------------------- */

typedef struct cand_list {
    size_t *pos;
    size_t n, cap;
} cand_list;

typedef struct scan_ctx {
    const lede_reset *rs;
    const unsigned char *s;
    cand_list *cand; /* per pattern */
    int trap;        /* a fold trap occurred */
    int oom;
    lede_reset_match *out;
    size_t nout, cap;
} scan_ctx;

static int cand_push(cand_list *c, size_t pos) {
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        size_t *p = realloc(c->pos, cap * sizeof *p);
        if (!p) return -1;
        c->pos = p;
        c->cap = cap;
    }
    /* hits come by end position; keep starts sorted (shorter literals may start later) */
    size_t j = c->n++;
    while (j > 0 && c->pos[j - 1] > pos) {
        c->pos[j] = c->pos[j - 1];
        j--;
    }
    c->pos[j] = pos;
    return 0;
}

static int on_literal(void *ud, size_t end, int32_t id, uint32_t len) {
    scan_ctx *x = ud;
    if ((size_t)id >= x->rs->nlits) {
        x->trap = 1;
        return 0;
    }
    const rs_literal *l = &x->rs->lits[id];
    size_t st = end - len;
    /* ASCII letters, digits and '_' are word characters with or without UCP, so a literal
     * that starts with one, right after another, cannot follow a \b */
    int glued = st > 0 && is_ascii_word(x->s[st - 1]) && is_ascii_word(x->s[st]);
    for (size_t i = 0; i < l->n; i++) {
        if (glued && x->rs->pat[l->patterns[i]].lead_wb) continue;
        if (cand_push(&x->cand[l->patterns[i]], st)) {
            x->oom = 1;
            return 1;
        }
    }
    return 0;
}

static int emit(scan_ctx *x, size_t pat, size_t start, size_t end) {
    if (x->nout == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        lede_reset_match *p = realloc(x->out, cap * sizeof *p);
        if (!p) return LEDE_RE_ENOMEM;
        x->out = p;
        x->cap = cap;
    }
    x->out[x->nout++] = (lede_reset_match){pat, start, end};
    return 0;
}

/* All non-overlapping matches of one pattern over the whole text. */
static int run_full(scan_ctx *x, lede_re_matcher *m, size_t pat, const char *s, size_t n) {
    const lede_re *re = x->rs->pat[pat].full;
    size_t off = 0;
    while (off <= n) {
        int rc = lede_re_exec(re, m, s, n, off, 0);
        if (rc <= 0) return rc;
        const size_t *ov = lede_re_offsets(m);
        if ((rc = emit(x, pat, ov[0], ov[1])) != 0) return rc;
        off = ov[1] > ov[0] ? ov[1] : ov[1] + lede_re_char_len(re, s, n, ov[1]);
    }
    return 0;
}

/* Confirms the candidates of one prefiltered pattern, left to right, skipping those inside
 * the previous match: the same matches a whole-text run would find. */
static int run_candidates(scan_ctx *x, lede_re_matcher *m, size_t pat, const char *s, size_t n) {
    const lede_re *re = x->rs->pat[pat].anchored;
    const cand_list *c = &x->cand[pat];
    size_t next = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t pos = c->pos[i];
        if (pos < next || (i && pos == c->pos[i - 1])) continue;
        int rc = lede_re_exec(re, m, s, n, pos, 0);
        if (rc < 0) return rc;
        if (rc == 0) continue;
        const size_t *ov = lede_re_offsets(m);
        if ((rc = emit(x, pat, ov[0], ov[1])) != 0) return rc;
        next = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    return 0;
}

static int cmp_match(const void *a, const void *b) {
    const lede_reset_match *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

int lede_reset_scan(const lede_reset *rs, lede_re_matcher *m, const char *s, size_t n,
                    lede_reset_match **out, size_t *nout, size_t *failed) {
    scan_ctx x = {.rs = rs, .s = (const unsigned char *)s};
    int rc = 0;
    *out = NULL;
    *nout = 0;
    *failed = 0;
    if (!rs->ac) return LEDE_RE_EPATTERN;
    /* one candidate context per prefilter stream, merged in text order afterwards */
    scan_ctx part[LEDE_AC_STREAMS];
    void *uds[LEDE_AC_STREAMS];
    int oom = 0;
    for (size_t k = 0; k < LEDE_AC_STREAMS; k++) {
        part[k] = x;
        part[k].cand = calloc(rs->n ? rs->n : 1, sizeof *part[k].cand);
        oom |= !part[k].cand;
        uds[k] = &part[k];
    }
    if (!oom) lede_ac_scan_streams(rs->ac, s, n, LEDE_RELIT_MAXLEN, on_literal, uds);
    x.cand = part[0].cand;
    for (size_t k = 0; k < LEDE_AC_STREAMS; k++) {
        oom |= part[k].oom;
        x.trap |= part[k].trap;
        if (k == 0 || !part[k].cand) continue;
        for (size_t i = 0; i < rs->n && !oom; i++)
            for (size_t c = 0; c < part[k].cand[i].n; c++)
                if (cand_push(&x.cand[i], part[k].cand[i].pos[c])) oom = 1;
        for (size_t i = 0; i < rs->n; i++) free(part[k].cand[i].pos);
        free(part[k].cand);
    }
    if (oom) {
        if (x.cand)
            for (size_t i = 0; i < rs->n; i++) free(x.cand[i].pos);
        free(x.cand);
        return LEDE_RE_ENOMEM;
    }
    for (size_t i = 0; i < rs->n && !rc; i++) {
        int full = !rs->pat[i].prefiltered ||
                   (x.trap && (lede_re_flags(rs->pat[i].full) & LEDE_RE_CASELESS));
        rc = full ? run_full(&x, m, i, s, n) : run_candidates(&x, m, i, s, n);
        if (rc) *failed = i;
    }
    for (size_t i = 0; i < rs->n; i++) free(x.cand[i].pos);
    free(x.cand);
    if (rc) {
        free(x.out);
        return rc;
    }
    if (x.nout > 1) qsort(x.out, x.nout, sizeof *x.out, cmp_match);
    *out = x.out;
    *nout = x.nout;
    return 0;
}
