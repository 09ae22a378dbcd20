/* string.find, match, gmatch and gsub for sandboxed states (sb_lib.h): Lua 5.4's behaviour,
 * with the pattern matching done by lpattern.c, which counts its steps; they are charged to the
 * current call's instruction budget after each search, and a search that runs out of them
 * kills the call like the count hook would.
 *
 * Everything a search holds lives on the C stack or in Lua values (the gmatch state is a
 * userdata, gsub builds its result in a luaL_Buffer), so the errors and kills raised here,
 * which longjmp, leave nothing behind. */
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#include "sandbox/lpattern.h"
#include "sandbox/sandbox.h"
#include "sandbox/sb_lib.h"

/* Steps between two checks of the time limit when the call has no instruction budget (a few
 * ms of matching). */
#define TIME_SLICE (1 << 22)

static int64_t time_refuel(void *L) {
    lede_sb_check_time(L); /* raises the call's kill when its time is up */
    return TIME_SLICE;
}

/* Gives m what its next search may spend, and returns it for settle: the call's instruction
 * budget; with none but a time limit, slices between which the limit is checked (INT64_MAX
 * returned: nothing to charge); outside calls, as good as unlimited. */
static int64_t fuel_up(lua_State *L, lede_lpat *m) {
    long long left = lede_sb_budget_left(L);
    m->refuel = NULL;
    if (left >= 0) return m->fuel = (int64_t)left;
    if (lede_sb_time_limited(L)) {
        m->refuel = time_refuel;
        m->refuel_ud = L;
        m->fuel = TIME_SLICE;
        return INT64_MAX;
    }
    return m->fuel = INT64_MAX;
}

/* Charges the steps of the search m just did with `given` fuel, then raises its error or its
 * kill, if any. */
static void settle(lua_State *L, const lede_lpat *m, int64_t given) {
    if (given != INT64_MAX) lede_sb_spend(L, (unsigned long long)lede_lpat_spent(m, given));
    if (m->status == LEDE_LPAT_ERROR) luaL_error(L, "%s", m->err);
    if (m->status == LEDE_LPAT_BUDGET) lede_sb_kill(L);
}

/* A 1-based (or negative, from the end) init argument as a 0-based offset; past the end when
 * it is beyond the subject. */
static size_t offset_of(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len) return 0;
    return len - (size_t)-pos;
}

/* Capture i of the match s..e: a string, or an integer for a position capture. Index 0
 * without captures is the whole match. */
static void push_capture(lua_State *L, const lede_lpat *m, int i, const char *s, const char *e) {
    if (i >= m->level) {
        if (i != 0) luaL_error(L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(L, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t len = m->cap[i].len;
    if (len == LEDE_LPAT_CAP_UNFINISHED) luaL_error(L, "unfinished capture");
    if (len == LEDE_LPAT_CAP_POSITION)
        lua_pushinteger(L, (lua_Integer)(m->cap[i].init - m->src) + 1);
    else
        lua_pushlstring(L, m->cap[i].init, (size_t)len);
}

/* All captures; the whole match when there are none and s is given (find passes NULL). */
static int push_captures(lua_State *L, const lede_lpat *m, const char *s, const char *e) {
    int n = m->level == 0 && s ? 1 : m->level;
    luaL_checkstack(L, n, "too many captures");
    for (int i = 0; i < n; i++) push_capture(L, m, i, s, e);
    return n;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = offset_of(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    lede_lpat m;
    if (find && (lua_toboolean(L, 4) || !lede_lpat_has_specials(p, lp))) {
        lede_lpat_init(&m, s, ls, p, lp, 0);
        int64_t fuel = fuel_up(L, &m);
        const char *r = lede_lpat_find_literal(&m, s + init, ls - init, p, lp);
        settle(L, &m, fuel);
        if (!r) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (lua_Integer)(r - s) + 1);
        lua_pushinteger(L, (lua_Integer)(r - s + lp));
        return 2;
    }
    int anchored = lp > 0 && *p == '^';
    lede_lpat_init(&m, s, ls, p + anchored, lp - anchored, 0);
    int64_t fuel = fuel_up(L, &m);
    const char *e, *st = lede_lpat_search(&m, s + init, anchored, NULL, &e);
    settle(L, &m, fuel);
    if (!st) {
        luaL_pushfail(L);
        return 1;
    }
    if (!find) return push_captures(L, &m, st, e);
    lua_pushinteger(L, (lua_Integer)(st - s) + 1);
    lua_pushinteger(L, (lua_Integer)(e - s));
    return push_captures(L, &m, NULL, NULL) + 2;
}

static int sb_find(lua_State *L) { return find_or_match(L, 1); }
static int sb_match(lua_State *L) { return find_or_match(L, 0); }

/* ---- gmatch: the iterator keeps the subject and pattern alive as upvalues 1 and 2 ---------- */
typedef struct gmatch_state {
    const char *next;      /* where the next search starts (one past the end: done) */
    const char *lastmatch; /* end of the previous match: an empty match there is skipped */
    lede_lpat m;
} gmatch_state;

static int gmatch_step(lua_State *L) {
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    int64_t fuel = fuel_up(L, &g->m);
    const char *e, *st = lede_lpat_search(&g->m, g->next, 0, g->lastmatch, &e);
    settle(L, &g->m, fuel);
    if (!st) {
        g->next = g->m.src_end + 1;
        return 0;
    }
    g->next = g->lastmatch = e;
    return push_captures(L, &g->m, st, e);
}

static int sb_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = offset_of(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) init = ls + 1; /* nothing to iterate */
    lua_settop(L, 2);
    gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
    lede_lpat_init(&g->m, s, ls, p, lp, 0); /* gmatch has no anchor: '^' is a plain character */
    g->next = s + init;
    g->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_step, 3);
    return 1;
}

/* ---- gsub ------------------------------------------------------------------------------------ */

/* The replacement string (argument 3) for the match s..e, with %0-%9 and %% expanded. */
static void add_expanded(lua_State *L, luaL_Buffer *b, const lede_lpat *m, const char *s, const char *e) {
    size_t l;
    const char *r = lua_tolstring(L, 3, &l), *end = r + l, *pct;
    while ((pct = memchr(r, '%', (size_t)(end - r))) != NULL) {
        luaL_addlstring(b, r, (size_t)(pct - r));
        int c = ++pct < end ? (unsigned char)*pct : 0;
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (c >= '1' && c <= '9') {
            push_capture(L, m, c - '1', s, e);
            luaL_tolstring(L, -1, NULL);
            lua_remove(L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", '%');
        }
        r = pct + 1;
    }
    luaL_addlstring(b, r, (size_t)(end - r));
}

/* Adds the replacement for the match s..e; 0 when it kept the match as it was. */
static int add_replacement(lua_State *L, luaL_Buffer *b, const lede_lpat *m, const char *s, const char *e,
                           int type) {
    if (type == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(L, m, s, e);
        lua_call(L, n, 1);
    } else if (type == LUA_TTABLE) {
        push_capture(L, m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_expanded(L, b, m, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) { /* nil or false: keep the match */
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int sb_gsub(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int type = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && *p == '^';
    lede_lpat m;
    lede_lpat_init(&m, src, ls, p + anchored, lp - anchored, 0);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *s = src, *lastmatch = NULL;
    lua_Integer n = 0;
    int changed = 0;
    while (n < max) {
        int64_t fuel = fuel_up(L, &m); /* a replacement function spends from the same budget */
        const char *e, *st = lede_lpat_search(&m, s, anchored, lastmatch, &e);
        settle(L, &m, fuel);
        if (!st) break;
        luaL_addlstring(&b, s, (size_t)(st - s));
        n++;
        changed |= add_replacement(L, &b, &m, st, e, type);
        s = lastmatch = e;
        if (anchored) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, s, (size_t)(src + ls - s));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void lede_sb_open_string(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"find", sb_find}, {"match", sb_match}, {"gmatch", sb_gmatch}, {"gsub", sb_gsub}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
