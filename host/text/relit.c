/* Prefix-literal extraction by recursive descent. Each sub-expression yields a set of
 * strings, each marked exact (the sub-expression matches exactly it) or open (its matches
 * start with it and go on); a concatenation extends the exact strings of the left side by
 * the right side's strings. A set that holds an open empty string says nothing: the
 * extraction fails at the top if the final set holds one, or the empty string at all. */
#include "text/relit.h"

#include <stdlib.h>
#include <string.h>

typedef struct lit {
    unsigned char len;
    unsigned char exact;
    char s[LEDE_RELIT_MAXLEN];
} lit;

typedef struct litset {
    size_t n;
    lit v[LEDE_RELIT_MAX];
    int overflow; /* too many alternatives: the set is replaced by "open empty" */
} litset;

typedef struct parser {
    const unsigned char *p, *end;
    int caseless;
    int fail; /* syntax we do not follow */
} parser;

static void set_any(litset *s) { /* no information: an open empty string */
    s->n = 1;
    s->v[0].len = 0;
    s->v[0].exact = 0;
    s->overflow = 0;
}

static void set_empty(litset *s) { /* matches exactly the empty string */
    s->n = 1;
    s->v[0].len = 0;
    s->v[0].exact = 1;
    s->overflow = 0;
}

static void set_add(litset *s, const lit *l) {
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == l->len && s->v[i].exact == l->exact && !memcmp(s->v[i].s, l->s, l->len))
            return;
    if (s->n == LEDE_RELIT_MAX) {
        s->overflow = 1;
        return;
    }
    s->v[s->n++] = *l;
}

static void set_union(litset *a, const litset *b) {
    for (size_t i = 0; i < b->n; i++) set_add(a, &b->v[i]);
    if (b->overflow) a->overflow = 1;
    if (a->overflow) set_any(a);
}

static void set_open(litset *s) {
    for (size_t i = 0; i < s->n; i++) s->v[i].exact = 0;
}

/* a := a . b */
static void set_concat(litset *a, const litset *b) {
    litset r = {0};
    for (size_t i = 0; i < a->n; i++) {
        const lit *x = &a->v[i];
        if (!x->exact) {
            set_add(&r, x);
            continue;
        }
        for (size_t j = 0; j < b->n; j++) {
            lit y = *x;
            const lit *z = &b->v[j];
            size_t room = LEDE_RELIT_MAXLEN - y.len, take = z->len < room ? z->len : room;
            memcpy(y.s + y.len, z->s, take);
            y.len = (unsigned char)(y.len + take);
            y.exact = z->exact && take == z->len;
            set_add(&r, &y);
        }
    }
    if (r.overflow) { /* keep the left side, open: still a valid prefix set */
        set_open(a);
        return;
    }
    *a = r;
}

static void set_char(parser *ps, litset *s, unsigned char c) {
    s->n = 1;
    s->overflow = 0;
    s->v[0].exact = 1;
    s->v[0].len = 1;
    if (ps->caseless && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    s->v[0].s[0] = (char)c;
    if (ps->caseless && c >= 0x80) set_any(s); /* Unicode folding is not byte-wise */
}

/* Digits at *p, before end (the pattern is not NUL-terminated, so no strtol): their value
 * (capped past 0x10FFFF, which is all callers need to tell), or -1 when there are none; *p
 * moves past them. */
static long digits(const unsigned char **p, const unsigned char *end, int base) {
    long v = -1;
    for (; *p < end; (*p)++) {
        unsigned c = **p, d = 99;
        if (c >= '0' && c <= '9') d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
        if (d >= (unsigned)base) break;
        v = v < 0 ? (long)d : v > 0x10FFFF ? v : v * base + (long)d;
    }
    return v;
}

/* ---- atoms -------------------------------------------------------------------------------- */

static int parse_alt(parser *ps, litset *out);
static void parse_atom(parser *ps, litset *s);

static void utf8_char(parser *ps, litset *s, unsigned long cp) {
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) { set_char(ps, s, (unsigned char)cp); return; }
    if (ps->caseless) { set_any(s); return; }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        { set_any(s); return; }
    }
    s->n = 1;
    s->overflow = 0;
    s->v[0].exact = 1;
    s->v[0].len = (unsigned char)n;
    memcpy(s->v[0].s, b, n);
}

static void parse_escape(parser *ps, litset *s) {
    if (ps->p >= ps->end) {
        ps->fail = 1;
        return;
    }
    unsigned char c = *ps->p++;
    switch (c) {
    case 'b': case 'B': case 'A': case 'z': case 'Z': set_empty(s); return;
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H': case 'v':
    case 'V': case 'R': case 'X': case 'N': set_any(s); return;
    case 'p': case 'P': /* \p{..} or \pL */
        if (ps->p < ps->end && *ps->p == '{') {
            const unsigned char *e = memchr(ps->p, '}', (size_t)(ps->end - ps->p));
            if (!e) ps->fail = 1;
            else ps->p = e + 1;
        } else if (ps->p < ps->end) ps->p++;
        set_any(s);
        return;
    case 't': { set_char(ps, s, '\t'); return; }
    case 'n': { set_char(ps, s, '\n'); return; }
    case 'r': { set_char(ps, s, '\r'); return; }
    case 'f': { set_char(ps, s, '\f'); return; }
    case 'e': { set_char(ps, s, 0x1B); return; }
    case 'x': {
        unsigned long cp = 0;
        if (ps->p < ps->end && *ps->p == '{') {
            const unsigned char *e = ps->p + 1;
            long v = digits(&e, ps->end, 16);
            if (v < 0 || e >= ps->end || *e != '}') {
                ps->fail = 1;
                return;
            }
            cp = (unsigned long)v;
            ps->p = e + 1;
        } else {
            for (int k = 0; k < 2 && ps->p < ps->end && strchr("0123456789abcdefABCDEF", *ps->p) && *ps->p; k++)
                cp = cp * 16 + (unsigned long)(*ps->p <= '9' ? *ps->p - '0' : (*ps->p | 0x20) - 'a' + 10), ps->p++;
        }
        { utf8_char(ps, s, cp); return; }
    }
    default:
        if (c >= 0xC0) { /* an escaped non-ASCII character is itself: one whole UTF-8 atom */
            ps->p--;
            parse_atom(ps, s);
            return;
        }
        /* escaped punctuation is a literal; other letters/digits are features we skip */
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            ps->fail = 1;
            return;
        }
        set_char(ps, s, c);
    }
}

/* [...]: a small class of plain ASCII letters/digits becomes its members, else no info. */
static void parse_class(parser *ps, litset *s) {
    litset r = {0};
    int plain = 1;
    if (ps->p < ps->end && *ps->p == '^') plain = 0;
    if (ps->p < ps->end && *ps->p == ']') ps->p++, plain = 0; /* literal ']' first */
    while (ps->p < ps->end && *ps->p != ']') {
        unsigned char c = *ps->p++;
        if (c == '\\') {
            if (ps->p < ps->end) ps->p++;
            plain = 0;
        } else if (c == '[' && ps->p < ps->end && *ps->p == ':') {
            /* [:name:] only when its ':]' comes before any other ']' or '[:' (PCRE2's rule);
             * otherwise '[' is a member and the class goes on */
            const unsigned char *e = ps->p + 1;
            while (e + 1 < ps->end && !(e[0] == ':' && e[1] == ']') && e[0] != ']' && !(e[0] == '[' && e[1] == ':'))
                e += e[0] == '\\' && (e[1] == ']' || e[1] == '\\') ? 2 : 1;
            if (e + 1 < ps->end && e[0] == ':' && e[1] == ']') ps->p = e + 2;
            plain = 0;
        } else if (c == '-' || c >= 0x80) {
            plain = 0;
        } else if (plain) {
            litset one;
            set_char(ps, &one, c);
            set_add(&r, &one.v[0]);
        }
    }
    if (ps->p >= ps->end) {
        ps->fail = 1;
        return;
    }
    ps->p++; /* ']' */
    if (!plain || r.n == 0 || r.n > 8) set_any(s);
    else *s = r;
}

static void parse_group(parser *ps, litset *s) {
    if (ps->p < ps->end && *ps->p == '*') { /* (*VERB) */
        ps->fail = 1;
        return;
    }
    int assertion = 0;
    if (ps->p < ps->end && *ps->p == '?') {
        ps->p++;
        if (ps->p >= ps->end) {
            ps->fail = 1;
            return;
        }
        unsigned char c = *ps->p;
        if (c == ':' || c == '>' || c == '|') ps->p++;
        else if (c == '=' || c == '!') ps->p++, assertion = 1;
        else if (c == '<' && ps->p + 1 < ps->end && (ps->p[1] == '=' || ps->p[1] == '!'))
            ps->p += 2, assertion = 1;
        else if (c == '<' || c == '\'' || (c == 'P' && ps->p + 1 < ps->end && ps->p[1] == '<')) {
            unsigned char close = c == '\'' ? '\'' : '>';
            const unsigned char *e = memchr(ps->p, close == '>' ? '>' : '\'', (size_t)(ps->end - ps->p));
            if (c == '\'') e = memchr(ps->p + 1, '\'', (size_t)(ps->end - ps->p - 1));
            if (!e) {
                ps->fail = 1;
                return;
            }
            ps->p = e + 1;
        } else if (c == '#') {
            const unsigned char *e = memchr(ps->p, ')', (size_t)(ps->end - ps->p));
            if (!e) ps->fail = 1;
            else ps->p = e + 1;
            set_empty(s);
            return;
        } else {
            ps->fail = 1; /* inline options, conditionals, recursion */
            return;
        }
    }
    parse_alt(ps, s);
    if (ps->p >= ps->end || *ps->p != ')') {
        ps->fail = 1;
        return;
    }
    ps->p++;
    if (assertion) set_empty(s);
}

static void parse_atom(parser *ps, litset *s) {
    unsigned char c = *ps->p++;
    switch (c) {
    case '\\': parse_escape(ps, s); return;
    case '[': parse_class(ps, s); return;
    case '(': parse_group(ps, s); return;
    case '.': set_any(s); return;
    case '^': case '$': set_empty(s); return;
    default:
        if (c >= 0xC0) { /* a whole UTF-8 character is one atom (quantifiers apply to it) */
            const unsigned char *st = ps->p - 1;
            while (ps->p < ps->end && (*ps->p & 0xC0) == 0x80) ps->p++;
            if (ps->caseless || ps->p - st > LEDE_RELIT_MAXLEN) { set_any(s); return; }
            s->n = 1;
            s->overflow = 0;
            s->v[0].exact = 1;
            s->v[0].len = (unsigned char)(ps->p - st);
            memcpy(s->v[0].s, st, s->v[0].len);
            return;
        }
        set_char(ps, s, c);
        return;
    }
}

/* Quantifier after an atom: {m,n}, ?, *, + (with lazy/possessive suffix). */
static void parse_quant(parser *ps, litset *s) {
    if (ps->p >= ps->end) return;
    unsigned char c = *ps->p;
    long lo = -1, hi = -1; /* hi -1: unbounded */
    if (c == '?') lo = 0, hi = 1;
    else if (c == '*') lo = 0;
    else if (c == '+') lo = 1;
    else if (c == '{') { /* {m}, {m,}, {m,n}; anything else is a literal '{' to PCRE2 */
        const unsigned char *e = ps->p + 1;
        long m = digits(&e, ps->end, 10);
        if (m < 0 || e >= ps->end || (*e != ',' && *e != '}')) return;
        if (*e == ',') {
            e++;
            hi = digits(&e, ps->end, 10);
            if (e >= ps->end || *e != '}') return;
        } else {
            hi = m;
        }
        lo = m;
        ps->p = e; /* on '}' */
    } else return;
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+')) ps->p++;
    if (hi == 0) { set_empty(s); return; }
    if (hi != 1) set_open(s); /* more than one copy: the first one's prefix still holds */
    if (lo == 0) {
        litset e;
        set_empty(&e);
        set_union(s, &e);
    }
}

static void parse_concat(parser *ps, litset *out) {
    set_empty(out);
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')' && !ps->fail) {
        litset a;
        parse_atom(ps, &a);
        if (ps->fail) return; /* a failed atom leaves a unset */
        parse_quant(ps, &a);
        set_concat(out, &a);
    }
}

static int parse_alt(parser *ps, litset *out) {
    parse_concat(ps, out);
    while (ps->p < ps->end && *ps->p == '|' && !ps->fail) {
        ps->p++;
        litset b;
        parse_concat(ps, &b);
        set_union(out, &b);
    }
    return ps->fail ? -1 : 0;
}

/* Drops literals that have another literal of the set as a prefix (redundant for a prefix
 * filter, and they would report the same start twice). */
static void minimise(lede_relit *r) {
    size_t w = 0;
    for (size_t i = 0; i < r->n; i++) {
        int dup = 0;
        for (size_t j = 0; j < r->n && !dup; j++)
            if (j != i && r->len[j] <= r->len[i] && !memcmp(r->s[j], r->s[i], r->len[j]) &&
                (r->len[j] < r->len[i] || j < i))
                dup = 1;
        if (!dup) {
            if (w != i) {
                memcpy(r->s[w], r->s[i], sizeof r->s[i]);
                r->len[w] = r->len[i];
            }
            w++;
        }
    }
    r->n = w;
}

int lede_relit_prefixes(const char *pattern, size_t len, int caseless, lede_relit *out) {
    parser ps = {(const unsigned char *)pattern, (const unsigned char *)pattern + len, caseless, 0};
    litset s;
    out->n = 0;
    if (parse_alt(&ps, &s) || ps.p != ps.end || s.overflow) return -1;
    for (size_t i = 0; i < s.n; i++) {
        if (s.v[i].len == 0) return -1; /* empty match possible, or no literal at the start */
        memcpy(out->s[i], s.v[i].s, s.v[i].len);
        out->s[i][s.v[i].len] = '\0';
        out->len[i] = s.v[i].len;
    }
    out->n = s.n;
    minimise(out);
    return 0;
}
