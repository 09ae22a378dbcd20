/* Lua 5.4 patterns with a step budget; see lpattern.h for why and for the cost model.
 *
 * The matcher walks the pattern text itself rather than compiling it first: Lua reports a
 * malformed item only when a match attempt reaches it, and reaching the same items in the same
 * order is the simplest way to report exactly what Lua reports. Speed comes from elsewhere:
 * byte-class tables instead of <ctype.h> calls, a scan for where the first item can match
 * instead of an attempt at every start, run scans specialised per item kind, and backtracking
 * that only stops where the next (literal) item can match. */
#include "sandbox/lpattern.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* memchr/memmem scan far faster than the matcher steps through bytes, so a step buys this
 * many bytes of plain scanning. */
#define SCAN_BYTES_PER_STEP 16

enum { FIRST_UNKNOWN, FIRST_ANY, FIRST_CHAR, FIRST_SET };

/* ---- character classes ---------------------------------------------------------------------
 * Lua tests %a etc. with <ctype.h> on each byte; these tables hold the same answers, taken from
 * <ctype.h> once (in whatever LC_CTYPE the process has then: "C" for lede, as for Lua). */
static int is_zero(int c) { return c == 0; } /* %z: deprecated in Lua 5.2 but still there */
static const char class_letters[] = "acdglpsuwxz";
static int (*const class_tests[])(int) = {isalpha, iscntrl, isdigit, isgraph, islower, ispunct,
                                          isspace, isupper, isalnum, isxdigit, is_zero};
enum { NCLASSES = 11, CLASS_NEG = 0x80 };

static uint16_t byte_classes[256]; /* bit k: the byte is in class class_letters[k] */
static uint8_t class_of[256];      /* for the byte after '%': k + 1 (0: not a class), | CLASS_NEG */
static uint8_t class_bits[NCLASSES][32];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void) {
    for (int c = 0; c < 256; c++) {
        for (int k = 0; k < NCLASSES; k++) {
            if (class_tests[k](c)) {
                byte_classes[c] |= (uint16_t)(1u << k);
                class_bits[k][c >> 3] |= (uint8_t)(1u << (c & 7));
            }
        }
        const char *l = strchr(class_letters, tolower(c));
        if (c && l) class_of[c] = (uint8_t)((l - class_letters + 1) | (isupper(c) ? CLASS_NEG : 0));
    }
}

/* Whether byte c matches the class escape %cl (a non-class cl stands for itself). */
static inline int class_match(int c, int cl) {
    unsigned info = class_of[cl];
    if (!info) return cl == c;
    unsigned in = (byte_classes[c] >> ((info & 0x7f) - 1)) & 1u;
    return (int)(in ^ (info >> 7));
}

static inline int bit_test(const uint8_t *bm, int c) { return (bm[c >> 3] >> (c & 7)) & 1; }
static inline void bit_set(uint8_t *bm, int c) { bm[c >> 3] |= (uint8_t)(1u << (c & 7)); }

/* ---- budget and errors ---------------------------------------------------------------------- */
static const char *error_out(lede_lpat *m, const char *msg) {
    if (m->status == LEDE_LPAT_OK) {
        snprintf(m->err, sizeof m->err, "%s", msg);
        m->status = LEDE_LPAT_ERROR;
        m->error_fuel = m->fuel;
    }
    m->fuel = -1; /* every loop stops at a negative fuel: one test unwinds both cases */
    return NULL;
}

/* Takes n steps; 0 when the fuel is gone (the status then says why). */
static int out_of_fuel(lede_lpat *m) {
    /* one step may take more than a refuel gives (a skip over a long subject): ask again */
    while (m->status == LEDE_LPAT_OK && m->refuel) {
        int64_t more = m->refuel(m->refuel_ud);
        if (more <= 0) break;
        if ((m->fuel += more) >= 0) return 1;
    }
    if (m->status == LEDE_LPAT_OK) m->status = LEDE_LPAT_BUDGET;
    return 0;
}

static inline int spend(lede_lpat *m, int64_t n) {
    m->fuel -= n;
    if (m->fuel >= 0) return 1;
    return out_of_fuel(m);
}

/* ---- pattern items --------------------------------------------------------------------------
 * An item is one character, '.', %x, or a set [...]; p points at it, the returned end just
 * past it (where a quantifier would be). Errors as Lua's, when the item is malformed. */
static const char *item_end(lede_lpat *m, const char *p) {
    const char *e = m->pat_end;
    char c = *p++;
    if (c == '%') {
        if (p == e) return error_out(m, "malformed pattern (ends with '%')");
        return p + 1;
    }
    if (c != '[') return p;
    if (p < e && *p == '^') p++;
    do { /* the first character is a member even when it is ']' */
        if (p == e) return error_out(m, "malformed pattern (missing ']')");
        if (*p++ == '%' && p < e) p++;
    } while (p == e || *p != ']');
    return p + 1;
}

/* Whether c is in the set whose '[' is at p and whose closing ']' is at ec. */
static int set_match(int c, const char *p, const char *ec) {
    int in = 1;
    if (*++p == '^') {
        in = 0;
        p++;
    }
    for (; p < ec; p++) {
        if (*p == '%') {
            p++;
            if (class_match(c, (unsigned char)*p)) return in;
        } else if (p + 2 < ec && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return in;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return in;
        }
    }
    return !in;
}

/* The same set as a 256-bit table, for loops that test many bytes against it. */
static void set_table(const char *p, const char *ec, uint8_t bm[32]) {
    int in = 1;
    memset(bm, 0, 32);
    if (*++p == '^') {
        in = 0;
        p++;
    }
    for (; p < ec; p++) {
        if (*p == '%') {
            int cl = (unsigned char)*++p;
            unsigned info = class_of[cl];
            if (!info) {
                bit_set(bm, cl);
                continue;
            }
            const uint8_t *cb = class_bits[(info & 0x7f) - 1];
            for (int i = 0; i < 32; i++) bm[i] |= (uint8_t)(info & CLASS_NEG ? ~cb[i] : cb[i]);
        } else if (p + 2 < ec && p[1] == '-') {
            for (int x = (unsigned char)p[0]; x <= (unsigned char)p[2]; x++) bit_set(bm, x);
            p += 2;
        } else {
            bit_set(bm, (unsigned char)*p);
        }
    }
    if (!in)
        for (int i = 0; i < 32; i++) bm[i] = (uint8_t)~bm[i];
}

/* A set's table, built once per lede_lpat_init (gsub and gmatch expand the same sets over and
 * over); the last slot is reused when a pattern has more sets than slots. */
static const uint8_t *set_cached(lede_lpat *m, const char *p, const char *ec) {
    for (int i = 0; i < m->nsets; i++)
        if (m->set_key[i] == p) return m->set_bits[i];
    int i = m->nsets < LEDE_LPAT_SET_CACHE ? m->nsets++ : LEDE_LPAT_SET_CACHE - 1;
    m->set_key[i] = p;
    set_table(p, ec, m->set_bits[i]);
    return m->set_bits[i];
}

/* Whether byte c matches the single item p..ep. */
static inline int single(int c, const char *p, const char *ep) {
    switch (*p) {
    case '.': return 1;
    case '%': return class_match(c, (unsigned char)p[1]);
    case '[': return set_match(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* The end of the longest run of bytes from s that match the item p..ep, charged a step each. */
static const char *run_end(lede_lpat *m, const char *s, const char *p, const char *ep) {
    const char *t = s, *e = m->src_end;
    switch (*p) {
    case '.':
        t = e;
        break;
    case '%': {
        unsigned info = class_of[(unsigned char)p[1]];
        if (!info) {
            while (t < e && *t == p[1]) t++;
            break;
        }
        unsigned bit = 1u << ((info & 0x7f) - 1), flip = info & CLASS_NEG ? bit : 0;
        while (t < e && ((byte_classes[(unsigned char)*t] & bit) ^ flip)) t++;
        break;
    }
    case '[': {
        /* short runs (a token) are cheaper to test directly than to build the set's table for */
        const char *direct_end = e - t > 16 ? t + 16 : e;
        while (t < direct_end && set_match((unsigned char)*t, p, ep - 1)) t++;
        if (t < direct_end) break;
        const uint8_t *bm = set_cached(m, p, ep - 1);
        while (t < e && bit_test(bm, (unsigned char)*t)) t++;
        break;
    }
    default:
        while (t < e && *t == *p) t++;
    }
    spend(m, t - s);
    return t;
}

/* The byte the item at p must match exactly once, or -1: lets backtracking skip the positions
 * where the rest of the pattern would fail at its first item anyway. */
static int literal_at(const lede_lpat *m, const char *p) {
    const char *e = m->pat_end;
    if (p >= e) return -1;
    int c = (unsigned char)*p;
    const char *q = p + 1;
    switch (c) {
    case '(': case ')': case '.': case '[':
        return -1;
    case '$':
        if (q == e) return -1;
        break;
    case '%':
        if (q == e) return -1;
        c = (unsigned char)*q++;
        if (class_of[c] || c == 'b' || c == 'f' || (c >= '0' && c <= '9')) return -1;
        break;
    }
    if (q < e && (*q == '*' || *q == '?' || *q == '-')) return -1;
    return c;
}

/* ---- the matcher ------------------------------------------------------------------------------
 * do_match returns the end of a match of p..pat_end at s, or NULL. It nests (and counts depth)
 * exactly where Lua's matcher does, so "pattern too complex" comes at the same point. */
static const char *do_match(lede_lpat *m, const char *s, const char *p);

static const char *max_expand(lede_lpat *m, const char *s, const char *p, const char *ep) {
    const char *t = run_end(m, s, p, ep), *next = ep + 1;
    if (m->fuel < 0) return NULL;
    /* At depth 0 every attempt raises "pattern too complex", so none may be skipped. */
    int lit = m->depth > 0 ? literal_at(m, next) : -1;
    if (lit < 0) {
        for (;; t--) {
            const char *r = do_match(m, t, next);
            if (r || m->fuel < 0) return r;
            if (t == s) return NULL;
        }
    }
    if (t == m->src_end) {
        if (t == s) return NULL;
        t--;
    }
    for (;;) { /* t: the rightmost position still to try */
        const char *q = memrchr(s, lit, (size_t)(t - s) + 1);
        if (!spend(m, (q ? t - q : t - s) / SCAN_BYTES_PER_STEP + 1) || !q) return NULL;
        const char *r = do_match(m, q, next);
        if (r || m->fuel < 0 || q == s) return r;
        t = q - 1;
    }
}

static const char *min_expand(lede_lpat *m, const char *s, const char *p, const char *ep) {
    const char *next = ep + 1;
    int lit = m->depth > 0 ? literal_at(m, next) : -1;
    for (;;) {
        if (lit < 0 || (s < m->src_end && (unsigned char)*s == lit)) {
            const char *r = do_match(m, s, next);
            if (r || m->fuel < 0) return r;
        } else if (!spend(m, 1)) {
            return NULL;
        }
        if (s == m->src_end || !single((unsigned char)*s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(lede_lpat *m, const char *s, const char *p, ptrdiff_t what) {
    if (m->level >= LEDE_LPAT_MAXCAPTURES) return error_out(m, "too many captures");
    m->cap[m->level].init = s;
    m->cap[m->level].len = what;
    m->level++;
    const char *r = do_match(m, s, p);
    if (!r) m->level--;
    return r;
}

static const char *close_capture(lede_lpat *m, const char *s, const char *p) {
    int l = m->level - 1;
    while (l >= 0 && m->cap[l].len != LEDE_LPAT_CAP_UNFINISHED) l--;
    if (l < 0) return error_out(m, "invalid pattern capture");
    m->cap[l].len = s - m->cap[l].init;
    const char *r = do_match(m, s, p);
    if (!r) m->cap[l].len = LEDE_LPAT_CAP_UNFINISHED;
    return r;
}

/* %bxy at s (p just past "%b"): the end of the balanced run, or NULL. */
static const char *balance(lede_lpat *m, const char *s, const char *p) {
    if (m->pat_end - p < 2) return error_out(m, "malformed pattern (missing arguments to '%b')");
    if (s >= m->src_end || *s != p[0]) return NULL;
    const char *t = s + 1, *e = m->src_end;
    long open = 1;
    for (; t < e; t++) {
        if (*t == p[1]) {
            if (--open == 0) break;
        } else if (*t == p[0]) {
            open++;
        }
    }
    if (!spend(m, t - s) || t == e) return NULL;
    return t + 1;
}

/* %f[set] at s (p just past "%f"): the pattern position after the set, or NULL. */
static const char *frontier(lede_lpat *m, const char *s, const char *p) {
    if (p >= m->pat_end || *p != '[') return error_out(m, "missing '[' after '%f' in pattern");
    const char *ep = item_end(m, p);
    if (!ep) return NULL;
    int prev = s == m->src ? 0 : (unsigned char)s[-1];
    int cur = s < m->src_end ? (unsigned char)*s : 0; /* the end reads as "\0", as in Lua */
    if (set_match(prev, p, ep - 1) || !set_match(cur, p, ep - 1)) return NULL;
    return ep;
}

/* %1..%9 at s: the end of a copy of that capture, or NULL. */
static const char *back_reference(lede_lpat *m, const char *s, int digit) {
    int l = digit - '1';
    if (l < 0 || l >= m->level || m->cap[l].len == LEDE_LPAT_CAP_UNFINISHED) {
        char msg[48];
        snprintf(msg, sizeof msg, "invalid capture index %%%d", l + 1);
        return error_out(m, msg);
    }
    ptrdiff_t len = m->cap[l].len;
    if (len < 0 || m->src_end - s < len) return NULL; /* a position capture holds no text */
    if (!spend(m, len) || memcmp(m->cap[l].init, s, (size_t)len) != 0) return NULL;
    return s + len;
}

static const char *match_items(lede_lpat *m, const char *s, const char *p) {
    for (;;) {
        if (p == m->pat_end) return s;
        if (!spend(m, 1)) return NULL;
        switch (*p) {
        case '(':
            if (p + 1 < m->pat_end && p[1] == ')') return open_capture(m, s, p + 2, LEDE_LPAT_CAP_POSITION);
            return open_capture(m, s, p + 1, LEDE_LPAT_CAP_UNFINISHED);
        case ')':
            return close_capture(m, s, p + 1);
        case '$':
            if (p + 1 == m->pat_end) return s == m->src_end ? s : NULL;
            break; /* elsewhere a plain '$' */
        case '%':
            if (p + 1 == m->pat_end) break; /* item_end reports it */
            switch (p[1]) {
            case 'b':
                if (!(s = balance(m, s, p + 2))) return NULL;
                p += 4;
                continue;
            case 'f':
                if (!(p = frontier(m, s, p + 2))) return NULL;
                continue;
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                if (!(s = back_reference(m, s, (unsigned char)p[1]))) return NULL;
                p += 2;
                continue;
            }
            break;
        }
        const char *ep = item_end(m, p);
        if (!ep) return NULL;
        int q = ep < m->pat_end ? *ep : 0;
        if (s < m->src_end && single((unsigned char)*s, p, ep)) {
            switch (q) {
            case '?': {
                const char *r = do_match(m, s + 1, ep + 1);
                if (r || m->fuel < 0) return r;
                p = ep + 1;
                continue;
            }
            case '+': return max_expand(m, s + 1, p, ep);
            case '*': return max_expand(m, s, p, ep);
            case '-': return min_expand(m, s, p, ep);
            default:
                s++;
                p = ep;
                continue;
            }
        }
        if (q == '*' || q == '?' || q == '-') { /* zero repetitions will do */
            p = ep + 1;
            continue;
        }
        return NULL;
    }
}

static const char *do_match(lede_lpat *m, const char *s, const char *p) {
    if (m->depth == 0) return error_out(m, "pattern too complex");
    m->depth--;
    const char *r = match_items(m, s, p);
    m->depth++;
    return r;
}

/* ---- searching ---------------------------------------------------------------------------- */

/* What the first item needs, when it is one mandatory character test (possibly inside a few
 * opening captures, which cannot fail by themselves). Never reports errors: a malformed first
 * item leaves FIRST_ANY, and the first attempt reports it as Lua would. */
static void analyse_first(lede_lpat *m) {
    const char *p = m->pat, *e = m->pat_end, *ep;
    m->first_kind = FIRST_ANY;
    for (int n = 0; p < e && *p == '(' && n < 4; n++) p += (p + 1 < e && p[1] == ')') ? 2 : 1;
    if (p >= e) return;
    switch (*p) {
    case '(': case ')': case '.':
        return;
    case '%':
        if (p + 1 == e) return;
        if (p[1] == 'b') { /* no quantifier applies to %b; its first byte is fixed */
            if (e - p < 4) return;
            m->first_kind = FIRST_CHAR;
            m->first_char = (unsigned char)p[2];
            return;
        }
        if (p[1] == 'f' || (p[1] >= '0' && p[1] <= '9')) return;
        ep = p + 2;
        if (!class_of[(unsigned char)p[1]]) {
            m->first_kind = FIRST_CHAR;
            m->first_char = (unsigned char)p[1];
        } else {
            m->first_kind = FIRST_SET;
            char set[4] = {'[', '%', p[1], ']'};
            set_table(set, set + 3, m->first_set);
        }
        break;
    case '[': {
        const char *q = p + 1;
        if (q < e && *q == '^') q++;
        do {
            if (q == e) return;
            if (*q++ == '%' && q < e) q++;
        } while (q == e || *q != ']');
        ep = q + 1;
        m->first_kind = FIRST_SET;
        set_table(p, q, m->first_set);
        break;
    }
    case '$': /* at the end an anchor, elsewhere a plain '$' */
        if (p + 1 == e) return;
        /* fall through */
    default:
        ep = p + 1;
        m->first_kind = FIRST_CHAR;
        m->first_char = (unsigned char)*p;
    }
    if (ep < e && (*ep == '*' || *ep == '?' || *ep == '-')) m->first_kind = FIRST_ANY;
}

void lede_lpat_init(lede_lpat *m, const char *s, size_t ls, const char *p, size_t lp, int64_t fuel) {
    pthread_once(&tables_once, init_tables);
    m->src = s;
    m->src_end = s + ls;
    m->pat = p;
    m->pat_end = p + lp;
    m->fuel = fuel;
    m->refuel = NULL;
    m->refuel_ud = NULL;
    m->status = LEDE_LPAT_OK;
    m->level = 0;
    m->depth = LEDE_LPAT_MAXDEPTH;
    m->err[0] = '\0';
    m->nsets = 0;
    m->first_kind = FIRST_UNKNOWN; /* found by the first unanchored search: anchored ones skip it */
}

/* The first position from s where the first item can match, or NULL (none, or out of fuel). */
static const char *next_candidate(lede_lpat *m, const char *s) {
    const char *e = m->src_end;
    if (m->first_kind == FIRST_CHAR) {
        const char *q = memchr(s, m->first_char, (size_t)(e - s));
        if (!spend(m, ((q ? q : e) - s) / SCAN_BYTES_PER_STEP + 1)) return NULL;
        return q;
    }
    const char *t = s;
    while (t < e && !bit_test(m->first_set, (unsigned char)*t)) t++;
    if (!spend(m, t - s)) return NULL;
    return t < e ? t : NULL;
}

const char *lede_lpat_search(lede_lpat *m, const char *from, int anchored, const char *lastmatch,
                             const char **end) {
    const char *s = from;
    m->status = LEDE_LPAT_OK;
    if (m->fuel < 0) {
        m->status = LEDE_LPAT_BUDGET;
        return NULL;
    }
    if (s > m->src_end) return NULL;
    if (!anchored && m->first_kind == FIRST_UNKNOWN) analyse_first(m);
    int skip = !anchored && m->first_kind != FIRST_ANY;
    for (;;) {
        if (skip && !(s = next_candidate(m, s))) return NULL;
        m->level = 0;
        m->depth = LEDE_LPAT_MAXDEPTH;
        const char *r = do_match(m, s, m->pat);
        if (r && r != lastmatch) {
            *end = r;
            return s;
        }
        if (m->fuel < 0 || anchored || s == m->src_end) return NULL;
        s++;
    }
}

const char *lede_lpat_find_literal(lede_lpat *m, const char *s, size_t ls, const char *lit, size_t ll) {
    m->status = LEDE_LPAT_OK;
    if (ll == 0) return s;
    if (ll > ls) return NULL;
    /* memchr for the first byte, then compare the rest: on short subjects and needles with a
     * rare first byte (most searches) this beats memmem's set-up. Each candidate is charged
     * for a whole comparison, so a needle like "aaa...b" in "aaa...a" pays its real cost. */
    const char *p = s, *last = s + (ls - ll); /* the last place the needle can start */
    int64_t per_candidate = (int64_t)(ll / SCAN_BYTES_PER_STEP) + 1;
    for (;;) {
        const char *q = memchr(p, (unsigned char)lit[0], (size_t)(last - p) + 1);
        if (!q) {
            spend(m, (last - p) / SCAN_BYTES_PER_STEP + 1);
            return NULL;
        }
        if (!spend(m, (q - p) / SCAN_BYTES_PER_STEP + per_candidate)) return NULL;
        if (memcmp(q + 1, lit + 1, ll - 1) == 0) return q;
        if (q == last) return NULL;
        p = q + 1;
    }
}

int lede_lpat_has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?':
        case '.': case '(': case '[': case '%': case '-':
            return 1;
        }
    }
    return 0;
}
