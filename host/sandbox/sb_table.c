/* table.insert, remove and move for sandboxed states (sb_lib.h). Lua's versions shift
 * elements one by one in a loop inside one C call for as many elements as #t (which a __len
 * metamethod chooses freely) or move's arguments say, and assigning nil to an absent key
 * allocates nothing, so neither the count hook nor the memory cap could end
 * table.move({}, 1, math.maxinteger - 1, 2). These behave as Lua 5.4's (manual §6.6: argument
 * checks, messages, metamethods respected) and charge two steps per element moved, a read
 * and a write, to the call's instruction budget. */
#include <lauxlib.h>

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

/* to[j] = from[i]: one element moved, counted towards the next charge. */
static void move_one(lua_State *L, int from, lua_Integer i, int to, lua_Integer j, unsigned *moved) {
    lua_geti(L, from, i);
    lua_seti(L, to, j);
    if (++*moved == CHARGE_EVERY) {
        lede_sb_spend(L, (unsigned long long)CHARGE_EVERY * STEPS_PER_MOVE);
        *moved = 0;
    }
}

static void charge_rest(lua_State *L, unsigned moved) {
    if (moved) lede_sb_spend(L, (unsigned long long)moved * STEPS_PER_MOVE);
}

/* table.insert(t, [pos,] value) */
static int sb_insert(lua_State *L) {
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LEN);
    /* the first free slot, with Lua's wrap-around integer arithmetic */
    lua_Integer free_slot = (lua_Integer)((lua_Unsigned)luaL_len(L, 1) + 1u), pos;
    unsigned moved = 0;
    switch (lua_gettop(L)) {
    case 2:
        pos = free_slot;
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)free_slot, 2, "position out of bounds");
        for (lua_Integer i = free_slot; i > pos; i--) move_one(L, 1, i - 1, 1, i, &moved);
        charge_rest(L, moved);
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
    unsigned moved = 0;
    for (; pos < n; pos++) move_one(L, 1, pos + 1, 1, pos, &moved);
    charge_rest(L, moved);
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
        unsigned moved = 0;
        /* copy backwards only when the ranges overlap with the destination ahead, in one table */
        if (t > e || t <= f || (dst != 1 && !lua_compare(L, 1, dst, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) move_one(L, 1, f + i, dst, t + i, &moved);
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) move_one(L, 1, f + i, dst, t + i, &moved);
        }
        charge_rest(L, moved);
    }
    lua_pushvalue(L, dst);
    return 1;
}

void lede_sb_open_table(lua_State *L) {
    static const luaL_Reg fns[] = {{"insert", sb_insert}, {"remove", sb_remove}, {"move", sb_move}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
