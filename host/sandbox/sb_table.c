/* table.insert, remove, move and sort for sandboxed states (sb_lib.h). Lua's versions loop
 * inside one C call for as many elements as #t (which a __len metamethod chooses freely) or
 * move's arguments say, and assigning nil to an absent key allocates nothing, so neither the
 * count hook nor the memory cap could end table.move({}, 1, math.maxinteger - 1, 2), nor a sort
 * of a proxy whose __len says 2^31 and whose __index is a C function. insert, remove and move
 * behave as Lua 5.4's (manual §6.6: argument checks, messages, metamethods respected) and
 * charge two steps per element moved, a read and a write, to the call's instruction budget;
 * sort is Lua's own for real tables, charged n log n up front. */
#include <lauxlib.h>
#include <limits.h>

#include "sandbox/sandbox.h"
#include "sandbox/sb_lib.h"

enum { NEED_READ = 1, NEED_WRITE = 2, NEED_LEN = 4 };
enum { STEPS_PER_MOVE = 2, CHARGE_EVERY = 256 }; /* charged in batches: the loops are hot */

static int has_metafield(lua_State *L, int mt, const char *name) {
    lua_pushstring(L, name);
    int t = lua_rawget(L, mt);
    lua_pop(L, 1);
    return t != LUA_TNIL;
}

/* The table functions accept a non-table whose metatable provides what they use (raw fields,
 * as Lua checks them); anything else is "table expected". */
static void check_table(lua_State *L, int arg, int need) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int top = lua_gettop(L), ok = 0;
    if (lua_getmetatable(L, arg)) {
        int mt = top + 1;
        ok = (!(need & NEED_READ) || has_metafield(L, mt, "__index")) &&
             (!(need & NEED_WRITE) || has_metafield(L, mt, "__newindex")) &&
             (!(need & NEED_LEN) || has_metafield(L, mt, "__len"));
    }
    lua_settop(L, top);
    if (!ok) luaL_checktype(L, arg, LUA_TTABLE);
}

/* Adds n steps to *pending, charging them once they make a batch. */
static void count_steps(lua_State *L, unsigned *pending, unsigned n) {
    if ((*pending += n) >= CHARGE_EVERY) {
        lede_sb_spend(L, *pending);
        *pending = 0;
    }
}

/* to[j] = from[i] */
static void move_one(lua_State *L, int from, lua_Integer i, int to, lua_Integer j, unsigned *pending) {
    lua_geti(L, from, i);
    lua_seti(L, to, j);
    count_steps(L, pending, STEPS_PER_MOVE);
}

static void charge_rest(lua_State *L, unsigned pending) {
    if (pending) lede_sb_spend(L, pending);
}

/* table.insert(t, [pos,] value) */
static int sb_insert(lua_State *L) {
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LEN);
    /* the first free slot, with Lua's wrap-around integer arithmetic */
    lua_Integer free_slot = (lua_Integer)((lua_Unsigned)luaL_len(L, 1) + 1u), pos;
    unsigned pending = 0;
    switch (lua_gettop(L)) {
    case 2:
        pos = free_slot;
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)free_slot, 2, "position out of bounds");
        for (lua_Integer i = free_slot; i > pos; i--) move_one(L, 1, i - 1, 1, i, &pending);
        charge_rest(L, pending);
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

/* table.remove(t [, pos]) */
static int sb_remove(lua_State *L) {
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LEN);
    lua_Integer n = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, n);
    /* An explicit position must be 1..n+1 (or 0 when n is 0, by the unsigned wrap). Lua 5.4.4
     * blames argument #1 for it, and so do we: the message is what scripts see. */
    if (pos != n) luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)n, 1, "position out of bounds");
    lua_geti(L, 1, pos); /* the result */
    unsigned pending = 0;
    for (; pos < n; pos++) move_one(L, 1, pos + 1, 1, pos, &pending);
    charge_rest(L, pending);
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

/* table.move(a1, f, e, t [, a2]) */
static int sb_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int dst = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table(L, 1, NEED_READ);
    check_table(L, dst, NEED_WRITE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        unsigned pending = 0;
        /* copy backwards only when the ranges overlap with the destination ahead, in one table */
        if (t > e || t <= f || (dst != 1 && !lua_compare(L, 1, dst, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) move_one(L, 1, f + i, dst, t + i, &pending);
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) move_one(L, 1, f + i, dst, t + i, &pending);
        }
        charge_rest(L, pending);
    }
    lua_pushvalue(L, dst);
    return 1;
}

/* ---- sort ------------------------------------------------------------------------------------ */

/* Whether a[i] < a[j] (argument 1 the list, 2 the comparator or nil), one step charged. */
static int sort_less(lua_State *L, lua_Integer i, lua_Integer j, unsigned *steps) {
    count_steps(L, steps, 1);
    int less;
    if (lua_isnil(L, 2)) {
        lua_geti(L, 1, i);
        lua_geti(L, 1, j);
        less = lua_compare(L, -2, -1, LUA_OPLT);
        lua_pop(L, 2);
    } else {
        lua_pushvalue(L, 2);
        lua_geti(L, 1, i);
        lua_geti(L, 1, j);
        lua_call(L, 2, 1);
        less = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    return less;
}

static void sort_swap(lua_State *L, lua_Integer i, lua_Integer j, unsigned *steps) {
    lua_geti(L, 1, i);
    lua_geti(L, 1, j);
    lua_seti(L, 1, i);
    lua_seti(L, 1, j);
    count_steps(L, steps, STEPS_PER_MOVE);
}

static void sift_down(lua_State *L, lua_Integer root, lua_Integer n, unsigned *steps) {
    for (lua_Integer child; (child = 2 * root) <= n; root = child) {
        if (child < n && sort_less(L, child, child + 1, steps)) child++;
        if (!sort_less(L, root, child, steps)) return;
        sort_swap(L, root, child, steps);
    }
}

/* A heapsort through the metamethods, for lists whose length a __len metamethod gives: no
 * recursion, n log n comparisons whatever the data, every one charged. */
static void heap_sort(lua_State *L, lua_Integer n) {
    unsigned steps = 0;
    for (lua_Integer i = n / 2; i >= 1; i--) sift_down(L, i, n, &steps);
    for (lua_Integer last = n; last > 1; last--) {
        sort_swap(L, 1, last, &steps);
        sift_down(L, 1, last - 1, &steps);
    }
    charge_rest(L, steps);
}

/* table.sort(list [, comp]). A real table's length is its raw length, held in memory, so Lua's
 * own sort (upvalue 1) runs, after n log n steps are charged for it. Anything else (a __len
 * metamethod, or a non-table with the metamethods) is sorted here, with every comparison
 * charged: its elements may come from C functions no hook sees. The order of equal elements,
 * which Lua leaves unspecified, may then differ from Lua's. */
static int sb_sort(lua_State *L) {
    int proxy = lua_type(L, 1) != LUA_TTABLE;
    if (!proxy && lua_getmetatable(L, 1)) {
        proxy = has_metafield(L, lua_gettop(L), "__len");
        lua_pop(L, 1);
    }
    if (!proxy) {
        lua_Unsigned n = lua_rawlen(L, 1), cost = n;
        for (lua_Unsigned k = n; k > 1; k >>= 1) cost += n;
        /* checked here too: called from C, Lua's sort could not name itself in the message */
        if (n > 1 && !lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
        lede_sb_spend(L, cost);
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_insert(L, 1);
        lua_call(L, lua_gettop(L) - 1, 0);
        return 0;
    }
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LEN);
    lua_Integer n = luaL_len(L, 1);
    if (n > 1) {
        luaL_argcheck(L, n < INT_MAX, 1, "array too big");
        if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
        lua_settop(L, 2);
        heap_sort(L, n);
    }
    return 0;
}

void lede_sb_open_table(lua_State *L) {
    static const luaL_Reg fns[] = {{"insert", sb_insert}, {"remove", sb_remove}, {"move", sb_move}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
    lua_getfield(L, -1, "sort");
    lua_pushcclosure(L, sb_sort, 1);
    lua_setfield(L, -2, "sort");
}
