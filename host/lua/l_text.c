/* lede.text: tokens, sentences and the helpers analysts ask for (near, kwic, ngrams,
 * normalisation). Offsets are 1-based inclusive byte offsets, like string.find. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "lua/l_text.h"
#include "lua/modules.h"
#include "text/normalize.h"
#include "text/sentences.h"
#include "text/tokenize.h"
#include "util/buf.h"
#include "util/utf8.h"

static int opt_bool(lua_State *L, int idx, const char *key, int dflt) {
    if (lua_type(L, idx) != LUA_TTABLE) return dflt;
    int t = lua_getfield(L, idx, key);
    int v = t == LUA_TNIL ? dflt : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

static unsigned norm_mode(lua_State *L, int idx) {
    unsigned m = 0;
    if (opt_bool(L, idx, "ignore_case", 1)) m |= LEDE_FOLD_CASE;
    if (opt_bool(L, idx, "ignore_accents", 0)) m |= LEDE_FOLD_MARKS;
    return m;
}

static const char KIND_NAMES_KEY = 0; /* registry key (its address) of the kind names */
static const char MAX_TOKENS_KEY = 0; /* registry key of this state's --max-tokens, if set */

/* ---- tokens ------------------------------------------------------------------------------- */

void lede_lua_set_max_tokens(lua_State *L, size_t max) {
    lua_pushinteger(L, max > (size_t)LUA_MAXINTEGER ? LUA_MAXINTEGER : (lua_Integer)max);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MAX_TOKENS_KEY);
}

/* The state's cap (LEDE_DEFAULT_MAX_TOKENS unless set; 0 = none). */
static size_t max_tokens(lua_State *L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MAX_TOKENS_KEY);
    int isnum;
    lua_Integer v = lua_tointegerx(L, -1, &isnum);
    lua_pop(L, 1);
    return isnum && v >= 0 ? (size_t)v : LEDE_DEFAULT_MAX_TOKENS;
}

void lede_lua_push_tokens(lua_State *L, const char *s, size_t n, unsigned mode, int words_only) {
    lede_tokenizer t;
    lede_token tok;
    lede_buf nb;
    lede_buf_init(&nb);
    size_t max = max_tokens(L);
    lua_newtable(L);
    lua_Integer k = 0;
    lede_tok_init(&t, s, n);
    while (lede_tok_next(&t, &tok)) {
        if (words_only && !lede_tok_is_wordlike(tok.kind)) continue;
        if (max && (size_t)k >= max) {
            /* fail early and by name: the list would otherwise grow until the memory cap */
            lede_buf_free(&nb);
            luaL_error(L, "token limit hit (more than %I tokens in one list, --max-tokens); "
                          "lede.text.each_token walks a text this long without building a list",
                       (lua_Integer)max);
        }
        lua_createtable(L, 0, 5);
        lua_pushlstring(L, s + tok.start, tok.len);
        lua_setfield(L, -2, "text");
        lede_buf_clear(&nb);
        if (lede_normalize(&nb, s + tok.start, tok.len, mode)) {
            lede_buf_free(&nb);
            luaL_error(L, "out of memory");
        }
        lua_pushlstring(L, nb.data ? nb.data : "", nb.len);
        lua_setfield(L, -2, "norm");
        lua_pushstring(L, lede_tok_kind_name(tok.kind));
        lua_setfield(L, -2, "kind");
        lua_pushinteger(L, (lua_Integer)tok.start + 1);
        lua_setfield(L, -2, "start");
        lua_pushinteger(L, (lua_Integer)(tok.start + tok.len));
        lua_setfield(L, -2, "stop");
        lua_rawseti(L, -2, ++k);
    }
    lede_buf_free(&nb);
}

static int l_tokens(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lede_lua_push_tokens(L, s, n, norm_mode(L, 2), opt_bool(L, 2, "words", 0));
    return 1;
}

/* Iterator state: the tokenizer itself, kept in a userdata upvalue (the subject string is
 * another upvalue, which keeps the bytes the tokenizer points at alive). */
typedef struct each_state {
    lede_tokenizer t;
    int words, text;
} each_state;

/* Yields start, stop, kind [, text]: offsets need no string, so a loop that only counts or
 * slices allocates nothing. */
static int each_next(lua_State *L) {
    each_state *st = lua_touserdata(L, lua_upvalueindex(2));
    lede_token tok;
    do {
        if (!lede_tok_next(&st->t, &tok)) return 0;
    } while (st->words && !lede_tok_is_wordlike(tok.kind));
    lua_pushinteger(L, (lua_Integer)tok.start + 1);
    lua_pushinteger(L, (lua_Integer)(tok.start + tok.len));
    lua_rawgeti(L, lua_upvalueindex(3), (lua_Integer)tok.kind + 1);
    if (!st->text) return 3;
    lua_pushlstring(L, (const char *)st->t.s + tok.start, tok.len);
    return 4;
}

static int l_each_token(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    int words = opt_bool(L, 2, "words", 0), text = opt_bool(L, 2, "text", 0);
    lua_settop(L, 1);
    each_state *st = lua_newuserdatauv(L, sizeof *st, 0);
    lede_tok_init(&st->t, s, n);
    st->words = words;
    st->text = text;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KIND_NAMES_KEY);
    lua_pushcclosure(L, each_next, 3);
    return 1;
}

static int l_count_words(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lua_pushinteger(L, (lua_Integer)lede_tok_count_words(s, n));
    return 1;
}

/* ---- sentences ---------------------------------------------------------------------------- */

typedef struct sent_ctx {
    lua_State *L;
    const char *s;
    lua_Integer k;
    const size_t *para_starts; /* 0-based, ascending; NULL: no paragraph field */
    size_t npara;
} sent_ctx;

static lua_Integer para_of(const sent_ctx *c, size_t off) {
    size_t lo = 0, hi = c->npara; /* last paragraph starting at or before off */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->para_starts[mid] <= off) lo = mid + 1;
        else hi = mid;
    }
    return lo ? (lua_Integer)lo : 1;
}

static int on_sentence(void *ud, size_t start, size_t len) {
    sent_ctx *c = ud;
    lua_State *L = c->L;
    lua_createtable(L, 0, 4);
    lua_pushlstring(L, c->s + start, len);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, (lua_Integer)start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)(start + len));
    lua_setfield(L, -2, "stop");
    if (c->para_starts) {
        lua_pushinteger(L, para_of(c, start));
        lua_setfield(L, -2, "paragraph");
    }
    lua_rawseti(L, -2, ++c->k);
    return 0;
}

void lede_lua_push_sentences(lua_State *L, const char *s, size_t n, const size_t *para_starts,
                             size_t npara) {
    sent_ctx c = {L, s, 0, para_starts, npara};
    lua_newtable(L);
    lede_sentences(s, n, on_sentence, &c);
}

static int l_sentences(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lede_lua_push_sentences(L, s, n, NULL, 0);
    return 1;
}

/* ---- normalisation ------------------------------------------------------------------------ */

static int push_buf(lua_State *L, lede_buf *b, int rc) {
    if (rc) {
        lede_buf_free(b);
        return luaL_error(L, "out of memory");
    }
    lua_pushlstring(L, b->data ? b->data : "", b->len);
    lede_buf_free(b);
    return 1;
}

static int l_norm(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lede_buf b;
    lede_buf_init(&b);
    return push_buf(L, &b, lede_normalize(&b, s, n, norm_mode(L, 2)));
}

static int l_clean(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lede_buf b;
    lede_buf_init(&b);
    return push_buf(L, &b, lede_clean_text(&b, s, n));
}

/* ---- kwic --------------------------------------------------------------------------------- */

/* Moves back (dir -1) or forward (+1) from off by up to `chars` characters. */
static size_t step_chars(const char *s, size_t n, size_t off, long chars, int dir) {
    while (chars-- > 0) {
        if (dir < 0) {
            if (off == 0) break;
            off--;
            while (off > 0 && ((unsigned char)s[off] & 0xC0) == 0x80) off--;
        } else {
            if (off >= n) break;
            off++;
            while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80) off++;
        }
    }
    return off;
}

/* Pushes s with every run of ASCII white space turned into one space (not trimmed: the
 * space between context and match is part of the context). */
static void push_flat(lua_State *L, const char *s, size_t n) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
        if (!sp) luaL_addchar(&b, s[i]);
        else if (i == 0 || !(s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\t' || s[i - 1] == '\r'))
            luaL_addchar(&b, ' ');
    }
    luaL_pushresult(&b);
}

/* kwic(s, start, stop [, width]) -> left, match, right: the match with `width` characters of
 * context on each side, white space squeezed (so a line of output stays one line). */
static int l_kwic(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lua_Integer a = luaL_checkinteger(L, 2), b = luaL_checkinteger(L, 3);
    lua_Integer w = luaL_optinteger(L, 4, 40);
    luaL_argcheck(L, a >= 1 && (size_t)a <= n + 1, 2, "start out of range");
    luaL_argcheck(L, b >= a - 1 && (size_t)b <= n, 3, "stop out of range");
    size_t st = (size_t)a - 1, en = (size_t)b;
    size_t l = step_chars(s, n, st, (long)w, -1), r = step_chars(s, n, en, (long)w, 1);
    push_flat(L, s + l, st - l);
    push_flat(L, s + st, en - st);
    push_flat(L, s + en, r - en);
    return 3;
}

/* ---- n-grams ------------------------------------------------------------------------------ */

/* Pushes the list of word norms of the string or list at idx. */
static void word_list(lua_State *L, int idx, unsigned mode) {
    if (lua_type(L, idx) == LUA_TTABLE) {
        lua_pushvalue(L, idx);
        return;
    }
    size_t n;
    const char *s = luaL_checklstring(L, idx, &n);
    lede_tokenizer t;
    lede_token tok;
    lede_buf b;
    lede_buf_init(&b);
    lua_newtable(L);
    lua_Integer k = 0;
    lede_tok_init(&t, s, n);
    while (lede_tok_next(&t, &tok)) {
        if (!lede_tok_is_wordlike(tok.kind)) continue;
        lede_buf_clear(&b);
        if (lede_normalize(&b, s + tok.start, tok.len, mode)) break;
        lua_pushlstring(L, b.data ? b.data : "", b.len);
        lua_rawseti(L, -2, ++k);
    }
    lede_buf_free(&b);
}

/* ngrams(s | list, n [, opts]) -> list of n-word strings joined by spaces (opts.sep). */
static int l_ngrams(lua_State *L) {
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 64, 2, "n must be 1..64");
    word_list(L, 1, norm_mode(L, 3));
    int words = lua_gettop(L);
    const char *sep = " ";
    if (lua_type(L, 3) == LUA_TTABLE && lua_getfield(L, 3, "sep") == LUA_TSTRING) sep = lua_tostring(L, -1);
    lua_Integer m = luaL_len(L, words), k = 0;
    lua_newtable(L);
    for (lua_Integer i = 1; i + n - 1 <= m; i++) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (lua_Integer j = 0; j < n; j++) {
            if (j) luaL_addstring(&b, sep);
            lua_geti(L, words, i + j);
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

/* ---- near --------------------------------------------------------------------------------- */

typedef struct span_index {
    size_t *tok_start, *tok_end; /* word-like tokens, 0-based, end exclusive */
    size_t ntok;
    size_t *sent_start; /* sentence starts */
    size_t nsent;
} span_index;

static int on_sent_start(void *ud, size_t start, size_t len) {
    span_index *x = ud;
    size_t *p = realloc(x->sent_start, (x->nsent + 1) * sizeof *p);
    if (!p) return -1;
    x->sent_start = p;
    p[x->nsent++] = start;
    return 0;
}

static int build_index(span_index *x, const char *s, size_t n) {
    lede_tokenizer t;
    lede_token tok;
    size_t cap = 0;
    lede_tok_init(&t, s, n);
    while (lede_tok_next(&t, &tok)) {
        if (!lede_tok_is_wordlike(tok.kind)) continue;
        if (x->ntok == cap) {
            cap = cap ? cap * 2 : 256;
            size_t *a = realloc(x->tok_start, cap * sizeof *a);
            if (a) x->tok_start = a;
            size_t *b = realloc(x->tok_end, cap * sizeof *b);
            if (b) x->tok_end = b;
            if (!a || !b) return -1;
        }
        x->tok_start[x->ntok] = tok.start;
        x->tok_end[x->ntok++] = tok.start + tok.len;
    }
    return lede_sentences(s, n, on_sent_start, x);
}

static void free_index(span_index *x) {
    free(x->tok_start);
    free(x->tok_end);
    free(x->sent_start);
}

/* Number of entries of a[0..n) that are <= v. */
static size_t upper(const size_t *a, size_t n, size_t v) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a[mid] <= v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

typedef struct span_pos {
    size_t first, last; /* token indexes (first token ending after start, last starting
                           before stop) */
    size_t sent;
} span_pos;

static span_pos locate(const span_index *x, size_t start0, size_t stop0) {
    span_pos p;
    p.first = upper(x->tok_end, x->ntok, start0); /* tokens ending at or before start */
    p.last = upper(x->tok_start, x->ntok, stop0 ? stop0 - 1 : 0);
    p.last = p.last ? p.last - 1 : 0;
    if (p.last < p.first) p.last = p.first;
    p.sent = upper(x->sent_start, x->nsent, start0);
    return p;
}

/* Reads the start/stop of every span of the list at idx into a Lua-owned array (so an error
 * on a bad span leaks nothing): 0-based start, exclusive end. */
static size_t *span_offsets(lua_State *L, int list, lua_Integer n) {
    size_t *o = lua_newuserdatauv(L, (size_t)(n ? n : 1) * 2 * sizeof *o, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, list, i) != LUA_TTABLE)
            luaL_error(L, "lede.text.near: span %d is not a table", (int)i);
        lua_getfield(L, -1, "start");
        lua_getfield(L, -2, "stop");
        lua_Integer s = luaL_checkinteger(L, -2), e = luaL_checkinteger(L, -1);
        lua_pop(L, 3);
        o[2 * (i - 1)] = s > 0 ? (size_t)s - 1 : 0;
        o[2 * (i - 1) + 1] = e > 0 ? (size_t)e : 0;
    }
    return o;
}

static size_t gap(span_pos a, span_pos b) {
    if (a.last < b.first) return b.first - a.last - 1;
    if (b.last < a.first) return a.first - b.last - 1;
    return 0;
}

/* near(a_spans, b_spans, n, s) -> list of {a=, b=, distance=}: pairs in the same sentence of
 * s with at most n words between them. Spans are tables with start/stop (scan results). */
static int l_near(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer maxd = luaL_checkinteger(L, 3);
    size_t n;
    const char *s = luaL_checklstring(L, 4, &n);
    lua_Integer na = luaL_len(L, 1), nb = luaL_len(L, 2), k = 0;
    const size_t *ao = span_offsets(L, 1, na), *bo = span_offsets(L, 2, nb);
    span_index x = {0};
    if (build_index(&x, s, n)) {
        free_index(&x);
        return luaL_error(L, "out of memory");
    }
    lua_newtable(L);
    for (lua_Integer i = 1; i <= na; i++) {
        span_pos pa = locate(&x, ao[2 * (i - 1)], ao[2 * (i - 1) + 1]);
        for (lua_Integer j = 1; j <= nb; j++) {
            span_pos pb = locate(&x, bo[2 * (j - 1)], bo[2 * (j - 1) + 1]);
            size_t d = gap(pa, pb);
            if (pa.sent != pb.sent || (lua_Integer)d > maxd) continue;
            lua_createtable(L, 0, 3);
            lua_geti(L, 1, i);
            lua_setfield(L, -2, "a");
            lua_geti(L, 2, j);
            lua_setfield(L, -2, "b");
            lua_pushinteger(L, (lua_Integer)d);
            lua_setfield(L, -2, "distance");
            lua_rawseti(L, -2, ++k);
        }
    }
    free_index(&x);
    return 1;
}

int lede_lua_open_text(lua_State *L) {
    lua_createtable(L, LEDE_TOK_NKINDS, 0); /* kind names, shared by every iterator */
    for (int k = 0; k < LEDE_TOK_NKINDS; k++) {
        lua_pushstring(L, lede_tok_kind_name((lede_tok_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KIND_NAMES_KEY);
    static const luaL_Reg FUNCS[] = {
        {"tokens", l_tokens}, {"each_token", l_each_token}, {"count_words", l_count_words},
        {"sentences", l_sentences}, {"norm", l_norm}, {"clean", l_clean}, {"kwic", l_kwic},
        {"ngrams", l_ngrams}, {"near", l_near}, {NULL, NULL}};
    luaL_newlib(L, FUNCS);
    return 1;
}
