/* lede.phrases: phrase lists (gazetteers) for Lua. A compiled list is an immutable C object
 * behind a userdata; scanning allocates only the result. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>

#include "lua/modules.h"
#include "text/normalize.h"
#include "text/phrases.h"

#define PHRASES_MT "lede.phrases"

typedef struct lphr {
    lede_phrases *p;
} lphr;

static lphr *check_phr(lua_State *L, int idx) {
    lphr *x = luaL_checkudata(L, idx, PHRASES_MT);
    if (!x->p) luaL_argerror(L, idx, "phrase list already collected");
    return x;
}

static int phr_gc(lua_State *L) {
    lphr *x = luaL_checkudata(L, 1, PHRASES_MT);
    lede_phrases_free(x->p);
    x->p = NULL;
    return 0;
}

static int opt_bool(lua_State *L, int idx, const char *key, int dflt) {
    if (lua_type(L, idx) != LUA_TTABLE) return dflt;
    int t = lua_getfield(L, idx, key);
    int v = t == LUA_TNIL ? dflt : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Adds the aliases list at the top of the stack to entry e. */
static void add_aliases(lua_State *L, lede_phrases *p, long e, lua_Integer i) {
    char err[256];
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer k = 1; k <= n; k++) {
        size_t al;
        lua_geti(L, -1, k);
        const char *a = lua_tolstring(L, -1, &al);
        if (!a) luaL_error(L, "lede.phrases.compile: entry %d: aliases must be strings", (int)i);
        if (lede_phrases_add_alias(p, e, a, al, err, sizeof err))
            luaL_error(L, "lede.phrases.compile: entry %d: %s", (int)i, err);
        lua_pop(L, 1);
    }
}

/* Entry i of the list at index 1: "phrase" or {phrase=|[1]=, label=, aliases={...}}. */
static void add_entry(lua_State *L, lede_phrases *p, lua_Integer i) {
    char err[256];
    size_t pl, ll = 0;
    const char *label = NULL;
    int top = lua_gettop(L);
    int t = lua_geti(L, 1, i);
    if (t == LUA_TTABLE) {
        if (lua_getfield(L, -1, "phrase") == LUA_TNIL) {
            lua_pop(L, 1);
            lua_geti(L, -1, 1);
        }
        if (lua_getfield(L, -2, "label") != LUA_TNIL) label = luaL_tolstring(L, -1, &ll);
    } else if (t != LUA_TSTRING) {
        luaL_error(L, "lede.phrases.compile: entry %d must be a string or a table", (int)i);
    }
    const char *ph = lua_tolstring(L, top + (t == LUA_TTABLE ? 2 : 1), &pl);
    if (!ph) luaL_error(L, "lede.phrases.compile: entry %d has no phrase", (int)i);
    long e = lede_phrases_add(p, ph, pl, label, ll, err, sizeof err);
    if (e < 0) luaL_error(L, "lede.phrases.compile: entry %d: %s", (int)i, err);
    if (t == LUA_TTABLE && lua_getfield(L, top + 1, "aliases") == LUA_TTABLE)
        add_aliases(L, p, e, i);
    lua_settop(L, top);
}

static int l_compile(lua_State *L) {
    int t = lua_type(L, 1);
    luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "list or file path");
    unsigned mode = 0;
    if (opt_bool(L, 2, "ignore_case", 1)) mode |= LEDE_FOLD_CASE;
    if (opt_bool(L, 2, "ignore_accents", 1)) mode |= LEDE_FOLD_MARKS;
    lphr *x = lua_newuserdatauv(L, sizeof *x, 0);
    x->p = NULL;
    luaL_setmetatable(L, PHRASES_MT);
    x->p = lede_phrases_new(mode);
    if (!x->p) return luaL_error(L, "out of memory");
    char err[512];
    if (t == LUA_TSTRING) {
        if (lede_phrases_load(x->p, lua_tostring(L, 1), err, sizeof err))
            return luaL_error(L, "lede.phrases.compile: %s", err);
    } else {
        lua_Integer n = luaL_len(L, 1);
        for (lua_Integer i = 1; i <= n; i++) add_entry(L, x->p, i);
    }
    if (lede_phrases_compile(x->p, err, sizeof err))
        return luaL_error(L, "lede.phrases.compile: %s", err);
    return 1;
}

static void push_hit(lua_State *L, const lede_phrases *p, const char *s, const lede_phrase_hit *h) {
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)h->start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)(h->start + h->len));
    lua_setfield(L, -2, "stop");
    lua_pushstring(L, lede_phrases_phrase(p, h->entry));
    lua_setfield(L, -2, "phrase");
    const char *label = lede_phrases_label(p, h->entry);
    if (label) {
        lua_pushstring(L, label);
        lua_setfield(L, -2, "label");
    }
    lua_pushlstring(L, s + h->start, h->len);
    lua_setfield(L, -2, "text");
}

static lede_phrase_hit *run(lua_State *L, const lede_phrases *p, const char *s, size_t n,
                            size_t *nhits) {
    lede_phrase_hit *hits;
    if (lede_phrases_scan(p, s, n, opt_bool(L, 3, "all", 0), &hits, nhits))
        luaL_error(L, "lede.phrases: out of memory scanning");
    return hits;
}

static int phr_scan(lua_State *L) {
    lphr *x = check_phr(L, 1);
    size_t n, nh;
    const char *s = luaL_checklstring(L, 2, &n);
    lede_phrase_hit *h = run(L, x->p, s, n, &nh);
    lua_createtable(L, nh > INT32_MAX ? 0 : (int)nh, 0);
    for (size_t i = 0; i < nh; i++) {
        push_hit(L, x->p, s, &h[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(h);
    return 1;
}

static int phr_count(lua_State *L) {
    lphr *x = check_phr(L, 1);
    size_t n, nh;
    const char *s = luaL_checklstring(L, 2, &n);
    free(run(L, x->p, s, n, &nh));
    lua_pushinteger(L, (lua_Integer)nh);
    return 1;
}

static int phr_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lede_phrases_count(check_phr(L, 1)->p));
    return 1;
}

int lede_lua_open_phrases(lua_State *L) {
    if (luaL_newmetatable(L, PHRASES_MT)) {
        static const luaL_Reg METHODS[] = {{"scan", phr_scan}, {"count", phr_count}, {NULL, NULL}};
        luaL_newlib(L, METHODS);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, phr_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, phr_len);
        lua_setfield(L, -2, "__len");
        lua_pushliteral(L, "lede");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    static const luaL_Reg FUNCS[] = {{"compile", l_compile}, {NULL, NULL}};
    luaL_newlib(L, FUNCS);
    return 1;
}
