/* lede.re: PCRE2 regular expressions and pattern sets for Lua.
 *
 * Compiled patterns come from the process-wide cache (text/re.c), so re.compile inside
 * on_article costs a hash lookup. Each lua_State has one matcher (match data, limits, JIT
 * stack) kept in the registry: states are per worker thread, so matchers are never shared. */
#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/modules.h"
#include "text/re.h"
#include "text/reset.h"
#include "util/buf.h"

#define RE_MT "lede.re"
#define SET_MT "lede.re.set"

static const char MATCHER_KEY = 0; /* address used as the registry key */

typedef struct lre {
    lede_re *re;
} lre;

typedef struct lset {
    lede_reset *rs;
    int ids_ref; /* registry ref of the list of ids, index = pattern index + 1 */
} lset;

/* ---- the per-state matcher ---------------------------------------------------------------- */

static int matcher_gc(lua_State *L) {
    lede_re_matcher **m = lua_touserdata(L, 1);
    lede_re_matcher_free(*m);
    *m = NULL;
    return 0;
}

static lede_re_matcher *push_new_matcher(lua_State *L, const lede_re_limits *lim) {
    lede_re_matcher **m = lua_newuserdatauv(L, sizeof *m, 0);
    *m = NULL;
    if (luaL_newmetatable(L, "lede.re.matcher")) {
        lua_pushcfunction(L, matcher_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    *m = lede_re_matcher_new(lim);
    if (!*m) luaL_error(L, "out of memory creating a regex matcher");
    return *m;
}

static lede_re_matcher *matcher(lua_State *L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MATCHER_KEY);
    lede_re_matcher **m = lua_touserdata(L, -1);
    lua_pop(L, 1); /* the registry keeps it alive */
    if (m && *m) return *m;
    lede_re_matcher *nm = push_new_matcher(L, NULL);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MATCHER_KEY);
    return nm;
}

void lede_lua_re_set_limits(lua_State *L, const lede_re_limits *limits) {
    push_new_matcher(L, limits);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MATCHER_KEY);
}

/* luaL_error without the '%.Ns' precision that lua_pushfstring lacks. */
static int raisef(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int raisef(lua_State *L, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    luaL_where(L, 1);
    lua_pushstring(L, msg);
    lua_concat(L, 2);
    return lua_error(L);
}

/* Raises the error for a failed match, naming the limit and the pattern. */
static int match_error(lua_State *L, int rc, const char *what, const char *pattern) {
    char msg[256];
    lede_re_strerror(matcher(L), rc, msg, sizeof msg);
    return raisef(L, "%s: %s in pattern '%.80s'", what, msg, pattern);
}

/* ---- compile ------------------------------------------------------------------------------ */

static unsigned check_flags(lua_State *L, int idx) {
    unsigned f = 0;
    char err[128];
    const char *s = luaL_optstring(L, idx, "");
    if (lede_re_parse_flags(s, &f, err, sizeof err)) luaL_argerror(L, idx, err);
    return f;
}

static lre *check_re(lua_State *L, int idx) {
    lre *r = luaL_checkudata(L, idx, RE_MT);
    if (!r->re) luaL_argerror(L, idx, "regex already collected");
    return r;
}

static void push_re(lua_State *L, lede_re *re) {
    lre *r = lua_newuserdatauv(L, sizeof *r, 0);
    r->re = re;
    luaL_setmetatable(L, RE_MT);
}

static int l_compile(lua_State *L) {
    size_t len;
    const char *pat = luaL_checklstring(L, 1, &len);
    unsigned flags = check_flags(L, 2);
    char err[512];
    lede_re *re;
    if (lede_re_compile(pat, len, flags, &re, err, sizeof err))
        return raisef(L, "lede.re.compile: %s in pattern '%.80s'", err, pat);
    push_re(L, re);
    return 1;
}

static int re_gc(lua_State *L) {
    lre *r = luaL_checkudata(L, 1, RE_MT);
    lede_re_release(r->re);
    r->re = NULL;
    return 0;
}

static int re_tostring(lua_State *L) {
    lre *r = check_re(L, 1);
    lua_pushfstring(L, "lede.re(%s)", lede_re_pattern(r->re, NULL));
    return 1;
}

/* ---- matching helpers --------------------------------------------------------------------- */

/* string.find-style init: 1-based, negative counts from the end; returns a 0-based offset or
 * len + 1 when past the end. */
static size_t check_init(lua_State *L, int idx, size_t len) {
    lua_Integer i = luaL_optinteger(L, idx, 1);
    if (i < 0) i = (lua_Integer)len + i + 1 < 1 ? 1 : (lua_Integer)len + i + 1;
    if (i == 0) i = 1;
    if ((size_t)i > len + 1) return len + 1;
    return (size_t)i - 1;
}

/* Runs re at off; raises on errors. */
static int exec(lua_State *L, const lede_re *re, const char *s, size_t n, size_t off,
                unsigned opts) {
    int rc = lede_re_exec(re, matcher(L), s, n, off, opts);
    if (rc < 0) match_error(L, rc, "lede.re", lede_re_pattern(re, NULL));
    return rc;
}

static void push_group(lua_State *L, const char *s, const size_t *ov, uint32_t g) {
    if (ov[2 * g] == LEDE_RE_UNSET) lua_pushboolean(L, 0);
    else lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* Pushes the captures 1..n, or the whole match when there are none (like string.match). */
static int push_captures(lua_State *L, const lede_re *re, const char *s, const size_t *ov,
                         int whole_if_none) {
    uint32_t n = lede_re_capture_count(re);
    if (n == 0) {
        if (!whole_if_none) return 0;
        push_group(L, s, ov, 0);
        return 1;
    }
    luaL_checkstack(L, (int)n, "too many captures");
    for (uint32_t g = 1; g <= n; g++) push_group(L, s, ov, g);
    return (int)n;
}

/* Where to look next after a match [a, b): past it, or one character on if it was empty. */
static size_t next_offset(const lede_re *re, const char *s, size_t n, size_t a, size_t b) {
    return b > a ? b : b + lede_re_char_len(re, s, n, b);
}

/* ---- methods ------------------------------------------------------------------------------ */

static int re_find(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n;
    const char *s = luaL_checklstring(L, 2, &n);
    size_t off = check_init(L, 3, n);
    if (off > n || !exec(L, r->re, s, n, off, 0)) {
        lua_pushnil(L);
        return 1;
    }
    const size_t *ov = lede_re_offsets(matcher(L));
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    return 2 + push_captures(L, r->re, s, ov, 0);
}

static int re_test(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n;
    const char *s = luaL_checklstring(L, 2, &n);
    size_t off = check_init(L, 3, n);
    lua_pushboolean(L, off <= n && exec(L, r->re, s, n, off, 0));
    return 1;
}

/* The match table: [0] whole match, [1..n] groups (false when unset), start/stop, and every
 * named group under its name (names "start" and "stop" stay the offsets). */
static void push_match_table(lua_State *L, const lede_re *re, const char *s, const size_t *ov) {
    uint32_t n = lede_re_capture_count(re);
    lua_createtable(L, (int)n, 3);
    for (uint32_t g = 0; g <= n; g++) {
        push_group(L, s, ov, g);
        lua_rawseti(L, -2, g);
    }
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)ov[1]);
    lua_setfield(L, -2, "stop");
    for (uint32_t i = 0; i < lede_re_name_count(re); i++) {
        uint32_t g;
        const char *name = lede_re_name_at(re, i, &g);
        if (!strcmp(name, "start") || !strcmp(name, "stop")) continue;
        push_group(L, s, ov, g);
        lua_setfield(L, -2, name);
    }
}

static int re_match(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n;
    const char *s = luaL_checklstring(L, 2, &n);
    size_t off = check_init(L, 3, n);
    if (off > n || !exec(L, r->re, s, n, off, 0)) {
        lua_pushnil(L);
        return 1;
    }
    push_match_table(L, r->re, s, lede_re_offsets(matcher(L)));
    return 1;
}

/* gmatch iterator: upvalues re, subject, offset. Yields start, stop, captures... */
static int gmatch_next(lua_State *L) {
    lre *r = lua_touserdata(L, lua_upvalueindex(1));
    size_t n;
    const char *s = lua_tolstring(L, lua_upvalueindex(2), &n);
    size_t off = (size_t)lua_tointeger(L, lua_upvalueindex(3));
    if (off > n || !r->re || !exec(L, r->re, s, n, off, 0)) return 0;
    const size_t *ov = lede_re_offsets(matcher(L));
    lua_pushinteger(L, (lua_Integer)next_offset(r->re, s, n, ov[0], ov[1]));
    lua_replace(L, lua_upvalueindex(3));
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    return 2 + push_captures(L, r->re, s, ov, 0);
}

static int re_gmatch(lua_State *L) {
    check_re(L, 1);
    size_t n;
    luaL_checklstring(L, 2, &n);
    lua_Integer off = (lua_Integer)check_init(L, 3, n);
    lua_settop(L, 2);
    lua_pushinteger(L, off);
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

static int re_count(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n, off = 0;
    const char *s = luaL_checklstring(L, 2, &n);
    lua_Integer count = 0;
    while (off <= n && exec(L, r->re, s, n, off, 0)) {
        const size_t *ov = lede_re_offsets(matcher(L));
        count++;
        off = next_offset(r->re, s, n, ov[0], ov[1]);
    }
    lua_pushinteger(L, count);
    return 1;
}

static int re_split(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n, off = 0, piece = 0;
    const char *s = luaL_checklstring(L, 2, &n);
    lua_Integer max = luaL_optinteger(L, 3, 0), k = 0;
    lua_newtable(L);
    while (off <= n && (max <= 0 || k + 1 < max) && exec(L, r->re, s, n, off, 0)) {
        const size_t *ov = lede_re_offsets(matcher(L));
        size_t a = ov[0], b = ov[1];
        off = next_offset(r->re, s, n, a, b);
        if (a == b) continue; /* empty separators do not split */
        lua_pushlstring(L, s + piece, a - piece);
        lua_rawseti(L, -2, ++k);
        piece = b;
    }
    lua_pushlstring(L, s + piece, n - piece);
    lua_rawseti(L, -2, ++k);
    return 1;
}

/* ---- gsub --------------------------------------------------------------------------------- */

/* Appends a replacement template: %0-%9 groups, %{name} named groups, %% a percent. */
static void add_template(lua_State *L, luaL_Buffer *b, const lede_re *re, const char *s,
                         const size_t *ov, const char *t, size_t tl) {
    for (size_t i = 0; i < tl; i++) {
        if (t[i] != '%') {
            luaL_addchar(b, t[i]);
            continue;
        }
        if (++i >= tl) luaL_error(L, "lede.re gsub: replacement ends with '%%'");
        uint32_t g = (uint32_t)-1;
        if (t[i] >= '0' && t[i] <= '9') g = (uint32_t)(t[i] - '0');
        else if (t[i] == '%') {
            luaL_addchar(b, '%');
            continue;
        } else if (t[i] == '{') {
            const char *e = memchr(t + i, '}', tl - i);
            if (!e) luaL_error(L, "lede.re gsub: unclosed %%{ in replacement");
            char name[64];
            size_t nl = (size_t)(e - t) - i - 1;
            snprintf(name, sizeof name, "%.*s", (int)nl, t + i + 1);
            for (uint32_t k = 0; k < lede_re_name_count(re); k++) {
                uint32_t grp;
                if (!strcmp(lede_re_name_at(re, k, &grp), name)) g = grp;
            }
            if (g == (uint32_t)-1) luaL_error(L, "lede.re gsub: no group named '%s'", name);
            i = (size_t)(e - t);
        } else luaL_error(L, "lede.re gsub: invalid use of '%%' in replacement");
        if (g > lede_re_capture_count(re)) luaL_error(L, "lede.re gsub: no group %d", (int)g);
        if (ov[2 * g] != LEDE_RE_UNSET) luaL_addlstring(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
}

/* Adds the replacement for one match (repl at index 3). */
static void add_replacement(lua_State *L, luaL_Buffer *b, const lede_re *re, const char *s,
                            const size_t *ov) {
    int t = lua_type(L, 3);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        size_t tl;
        const char *tp = lua_tolstring(L, 3, &tl);
        add_template(L, b, re, s, ov, tp, tl);
        return;
    }
    if (t == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int nargs = push_captures(L, re, s, ov, 1);
        lua_call(L, nargs, 1);
    } else { /* a table: keyed by the first capture, or the whole match */
        push_group(L, s, ov, lede_re_capture_count(re) ? 1 : 0);
        lua_gettable(L, 3);
    }
    if (!lua_toboolean(L, -1)) { /* nil/false keeps the original text */
        lua_pop(L, 1);
        luaL_addlstring(b, s + ov[0], ov[1] - ov[0]);
    } else if (lua_isstring(L, -1)) {
        luaL_addvalue(b);
    } else {
        luaL_error(L, "lede.re gsub: invalid replacement value (a %s)", luaL_typename(L, -1));
    }
}

static int re_gsub(lua_State *L) {
    lre *r = check_re(L, 1);
    size_t n, off = 0, copied = 0;
    const char *s = luaL_checklstring(L, 2, &n);
    int t = lua_type(L, 3);
    luaL_argexpected(L, t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TTABLE || t == LUA_TFUNCTION,
                     3, "string/function/table");
    lua_Integer max = luaL_optinteger(L, 4, -1), count = 0;
    lua_settop(L, 3);
    /* the offsets are copied per match: a replacement function may run other regexes */
    uint32_t ng = lede_re_capture_count(r->re);
    size_t local[2 * 16];
    size_t *cp = ng < 16 ? local : lua_newuserdatauv(L, (ng + 1) * 2 * sizeof *cp, 0);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    while (off <= n && (max < 0 || count < max) && exec(L, r->re, s, n, off, 0)) {
        memcpy(cp, lede_re_offsets(matcher(L)), (ng + 1) * 2 * sizeof *cp);
        luaL_addlstring(&b, s + copied, cp[0] - copied);
        add_replacement(L, &b, r->re, s, cp);
        copied = cp[1];
        count++;
        off = next_offset(r->re, s, n, cp[0], cp[1]);
        if (cp[1] == cp[0] && off <= n) { /* an empty match: keep the character we step over */
            luaL_addlstring(&b, s + copied, off - copied);
            copied = off;
        }
    }
    if (copied < n) luaL_addlstring(&b, s + copied, n - copied);
    luaL_pushresult(&b);
    lua_pushinteger(L, count);
    return 2;
}

/* ---- lede.re.escape ----------------------------------------------------------------------- */

static int l_escape(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\^$.|?*+()[]{}-#/ ", s[i]) && s[i]) luaL_addchar(&b, '\\');
        if (s[i] == '\0') luaL_addstring(&b, "\\x00");
        else luaL_addchar(&b, s[i]);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- pattern sets ------------------------------------------------------------------------- */

static lset *check_set(lua_State *L, int idx) {
    lset *st = luaL_checkudata(L, idx, SET_MT);
    if (!st->rs) luaL_argerror(L, idx, "pattern set already collected");
    return st;
}

static int set_gc(lua_State *L) {
    lset *st = luaL_checkudata(L, 1, SET_MT);
    lede_reset_free(st->rs);
    st->rs = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, st->ids_ref);
    st->ids_ref = LUA_NOREF;
    return 0;
}

/* Entry i of the list at idx: a pattern string, or {id=, pattern=, flags=}. Pushes its id
 * (default: the position i) and adds it to rs. */
static void set_add_entry(lua_State *L, lset *st, int idx, lua_Integer i, unsigned dflags) {
    const char *pat;
    size_t len;
    unsigned flags = dflags;
    int t = lua_geti(L, idx, i);
    if (t == LUA_TSTRING) {
        pat = lua_tolstring(L, -1, &len);
        lua_pushinteger(L, i);
    } else if (t == LUA_TTABLE) {
        if (lua_getfield(L, -1, "pattern") != LUA_TSTRING)
            luaL_error(L, "lede.re.set: entry %d has no pattern string", (int)i);
        pat = lua_tolstring(L, -1, &len);
        if (lua_getfield(L, -2, "flags") == LUA_TSTRING) {
            char err[128];
            if (lede_re_parse_flags(lua_tostring(L, -1), &flags, err, sizeof err))
                luaL_error(L, "lede.re.set: entry %d: %s", (int)i, err);
        }
        lua_pop(L, 1);
        if (lua_getfield(L, -2, "id") == LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushinteger(L, i);
        }
    } else {
        luaL_error(L, "lede.re.set: entry %d must be a string or a table", (int)i);
        return;
    }
    char err[512];
    if (lede_reset_add(st->rs, pat, len, flags, err, sizeof err) < 0)
        raisef(L, "lede.re.set: entry %d (id %s): %s in pattern '%.80s'", (int)i,
               luaL_tolstring(L, -1, NULL), err, pat);
}

static int l_set(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    unsigned dflags = check_flags(L, 2);
    lset *st = lua_newuserdatauv(L, sizeof *st, 0);
    st->rs = NULL;
    st->ids_ref = LUA_NOREF;
    luaL_setmetatable(L, SET_MT);
    st->rs = lede_reset_new();
    if (!st->rs) return luaL_error(L, "out of memory");
    lua_Integer n = luaL_len(L, 1);
    lua_createtable(L, (int)n, 0); /* ids */
    int ids = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        int top = lua_gettop(L);
        set_add_entry(L, st, 1, i, dflags);
        lua_pushvalue(L, -1);
        lua_rawseti(L, ids, i);
        lua_settop(L, top);
    }
    char err[256];
    if (lede_reset_compile(st->rs, err, sizeof err)) return luaL_error(L, "lede.re.set: %s", err);
    st->ids_ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops ids */
    return 1;
}

/* Runs the set; raises on a limit hit naming the pattern's id. */
static void set_run(lua_State *L, lset *st, const char *s, size_t n, lede_reset_match **out,
                    size_t *nout) {
    size_t failed;
    int rc = lede_reset_scan(st->rs, matcher(L), s, n, out, nout, &failed);
    if (rc == 0) return;
    char msg[256];
    lede_re_strerror(matcher(L), rc, msg, sizeof msg);
    lua_rawgeti(L, LUA_REGISTRYINDEX, st->ids_ref);
    lua_rawgeti(L, -1, (lua_Integer)failed + 1);
    luaL_error(L, "lede.re.set: %s in pattern id %s", msg, luaL_tolstring(L, -1, NULL));
}

static int set_scan(lua_State *L) {
    lset *st = check_set(L, 1);
    size_t n, nout;
    const char *s = luaL_checklstring(L, 2, &n);
    lede_reset_match *out;
    set_run(L, st, s, n, &out, &nout);
    lua_rawgeti(L, LUA_REGISTRYINDEX, st->ids_ref);
    int ids = lua_gettop(L);
    lua_createtable(L, nout > INT32_MAX ? 0 : (int)nout, 0);
    for (size_t i = 0; i < nout; i++) {
        lua_createtable(L, 0, 3);
        lua_rawgeti(L, ids, (lua_Integer)out[i].pattern + 1);
        lua_setfield(L, -2, "id");
        lua_pushinteger(L, (lua_Integer)out[i].start + 1);
        lua_setfield(L, -2, "start");
        lua_pushinteger(L, (lua_Integer)out[i].end);
        lua_setfield(L, -2, "stop");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(out);
    return 1;
}

static int set_count(lua_State *L) {
    lset *st = check_set(L, 1);
    size_t n, nout;
    const char *s = luaL_checklstring(L, 2, &n);
    lede_reset_match *out;
    set_run(L, st, s, n, &out, &nout);
    free(out);
    lua_pushinteger(L, (lua_Integer)nout);
    return 1;
}

static int set_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lede_reset_count(check_set(L, 1)->rs));
    return 1;
}

/* ---- module ------------------------------------------------------------------------------- */

static const luaL_Reg RE_METHODS[] = {
    {"find", re_find}, {"match", re_match}, {"gmatch", re_gmatch}, {"test", re_test},
    {"gsub", re_gsub}, {"split", re_split}, {"count", re_count}, {NULL, NULL}};

static const luaL_Reg SET_METHODS[] = {{"scan", set_scan}, {"count", set_count}, {NULL, NULL}};

static void make_metatable(lua_State *L, const char *name, const luaL_Reg *methods,
                           lua_CFunction gc) {
    if (!luaL_newmetatable(L, name)) {
        lua_pop(L, 1);
        return;
    }
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "lede");
    lua_setfield(L, -2, "__metatable"); /* scripts cannot swap methods under other scripts */
    lua_pop(L, 1);
}

int lede_lua_open_re(lua_State *L) {
    make_metatable(L, RE_MT, RE_METHODS, re_gc);
    luaL_getmetatable(L, RE_MT);
    lua_pushcfunction(L, re_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    make_metatable(L, SET_MT, SET_METHODS, set_gc);
    luaL_getmetatable(L, SET_MT);
    lua_pushcfunction(L, set_len);
    lua_setfield(L, -2, "__len");
    lua_pop(L, 1);
    static const luaL_Reg FUNCS[] = {
        {"compile", l_compile}, {"set", l_set}, {"escape", l_escape}, {NULL, NULL}};
    luaL_newlib(L, FUNCS);
    return 1;
}
