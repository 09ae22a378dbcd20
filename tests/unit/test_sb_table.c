/* The sandbox's table.insert/remove/move (host/sandbox/sb_table.c) against Lua's own: each case
 * runs in a plain luaL_newstate() + luaL_openlibs() state and in a sandboxed one and must give
 * the same description (results, the table afterwards, the metamethods called and in what
 * order, or the error message). Then the loops Lua's versions could not stop are killed. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sandbox/sandbox.h"

static const char driver[] =
    "local function ser(v)\n"
    "  if type(v) == 'string' then return string.format('%q', v) end\n"
    "  if type(v) == 'number' then return math.type(v) .. ':' .. tostring(v) end\n"
    "  if type(v) == 'table' then return 'table' end\n"
    "  return tostring(v)\n"
    "end\n"
    "local function dump(t, n)\n"
    "  local out = {}\n"
    "  for i = 0, n do out[#out + 1] = ser(rawget(t, i)) end\n"
    "  return table.concat(out, ',')\n"
    "end\n"
    "-- a plain table and a proxy whose metamethods log every access\n"
    "function T(...) return { ... } end\n"
    "function P(len, ...)\n"
    "  local store, log = { ... }, {}\n"
    "  local p = setmetatable({}, {\n"
    "    __index = function(_, k) log[#log + 1] = 'get ' .. ser(k) return store[k] end,\n"
    "    __newindex = function(_, k, v) log[#log + 1] = 'set ' .. ser(k) .. '=' .. ser(v) store[k] = v end,\n"
    "    __len = function() log[#log + 1] = 'len' return len end })\n"
    "  return p, store, log\n"
    "end\n"
    "function RUN(f, t, ...)\n"
    "  local r = table.pack(pcall(f, t, ...))\n"
    "  local out = { r[1] and 'ok' or 'error' }\n"
    "  for i = 2, r.n do out[#out + 1] = ser(r[i]) end\n"
    "  return table.concat(out, ' ') .. ' | ' .. (type(t) == 'table' and dump(t, 8) or '')\n"
    "end\n"
    "function RUNP(f, len, init, ...)\n"
    "  local p, store, log = P(len, table.unpack(init))\n"
    "  local r = table.pack(pcall(f, p, ...))\n"
    "  local out = { r[1] and 'ok' or 'error' }\n"
    "  for i = 2, r.n do out[#out + 1] = ser(r[i]) end\n"
    "  return table.concat(out, ' ') .. ' | ' .. dump(store, 8) .. ' | ' .. table.concat(log, ';')\n"
    "end\n"
    "function CASE(code)\n"
    "  local f, err = load('return ' .. code, '=case')\n"
    "  if not f then return 'does not compile: ' .. err end\n"
    "  return f()\n"
    "end\n";

static const char *const cases[] = {
    "RUN(table.insert, T(1, 2, 3), 'x')", "RUN(table.insert, T(1, 2, 3), 1, 'x')",
    "RUN(table.insert, T(1, 2, 3), 2, 'x')", "RUN(table.insert, T(1, 2, 3), 4, 'x')",
    "RUN(table.insert, T(1, 2, 3), 5, 'x')", "RUN(table.insert, T(1, 2, 3), 0, 'x')",
    "RUN(table.insert, T(1, 2, 3), -1, 'x')", "RUN(table.insert, T(), 1, 'x')", "RUN(table.insert, T(), 'x')",
    "RUN(table.insert, T(), 2, 'x')", "RUN(table.insert, T(1), 1, nil)", "RUN(table.insert, T(1), nil)",
    "RUN(table.insert, T(1))", "RUN(table.insert, T(1), 1, 2, 3)", "RUN(table.insert, T(1), '1', 'x')",
    "RUN(table.insert, T(1), 1.0, 'x')", "RUN(table.insert, T(1), 1.5, 'x')", "RUN(table.insert, T(1), {}, 'x')",
    "RUN(table.insert, T(1), math.maxinteger, 'x')", "RUN(table.insert, T(1), math.mininteger, 'x')",
    "RUN(table.insert, nil, 'x')", "RUN(table.insert, 'abc', 'x')", "RUN(table.insert, 5, 'x')",
    "RUN(table.insert)", "RUN(table.remove, T(1, 2, 3))", "RUN(table.remove, T(1, 2, 3), 1)",
    "RUN(table.remove, T(1, 2, 3), 2)", "RUN(table.remove, T(1, 2, 3), 3)", "RUN(table.remove, T(1, 2, 3), 4)",
    "RUN(table.remove, T(1, 2, 3), 5)", "RUN(table.remove, T(1, 2, 3), 0)", "RUN(table.remove, T(1, 2, 3), -1)",
    "RUN(table.remove, T())", "RUN(table.remove, T(), 0)", "RUN(table.remove, T(), 1)", "RUN(table.remove, T(), 2)",
    "RUN(table.remove, T(), -1)", "RUN(table.remove, T(1, 2, 3), nil)", "RUN(table.remove, T(1, 2, 3), '2')",
    "RUN(table.remove, T(1, 2, 3), 2.5)", "RUN(table.remove, T(1, 2, 3), 2, 'extra')", "RUN(table.remove, nil)",
    "RUN(table.remove, 'abc')", "RUN(table.remove)", "RUN(table.move, T(1, 2, 3), 1, 3, 2)",
    "RUN(table.move, T(1, 2, 3), 2, 3, 1)", "RUN(table.move, T(1, 2, 3), 1, 3, 1)", "RUN(table.move, T(1, 2, 3), 1, 3, 4)",
    "RUN(table.move, T(1, 2, 3), 1, 3, 3)", "RUN(table.move, T(1, 2, 3), 3, 1, 2)", "RUN(table.move, T(1, 2, 3), 1, 0, 2)",
    "RUN(table.move, T(1, 2, 3), 0, 2, 5)", "RUN(table.move, T(1, 2, 3), -1, 1, 2)", "RUN(table.move, T(1, 2, 3), 1, 3)",
    "RUN(table.move, T(1, 2, 3), 1)", "RUN(table.move, T(1, 2, 3))", "RUN(table.move, T(1, 2, 3), 1, 3, 2, T())",
    "RUN(table.move, T(1, 2, 3), 1, 3, 1, T(9, 9, 9, 9))", "RUN(table.move, T(1, 2, 3), 1, 3, 2, nil)",
    "RUN(table.move, T(1, 2, 3), 1, 3, 2, 'abc')", "RUN(table.move, T(1, 2, 3), 1, 3, 2, 5)",
    "RUN(table.move, T(1, 2, 3), 'a', 3, 2)", "RUN(table.move, T(1, 2, 3), 1, 3.5, 2)",
    "RUN(table.move, T(1, 2, 3), 1, math.maxinteger, 2)", "RUN(table.move, T(1, 2, 3), math.mininteger, 0, 1)",
    "RUN(table.move, T(1, 2, 3), math.mininteger, -1, 1)", "RUN(table.move, T(1, 2, 3), 0, math.maxinteger, 1)",
    "RUN(table.move, T(1, 2, 3), 1, 2, math.maxinteger)", "RUN(table.move, T(1, 2, 3), 1, 1, math.maxinteger)",
    "RUN(table.move, T(1, 2, 3), 1, 2, math.maxinteger - 1)", "RUN(table.move, 'abc', 1, 3, 1, T())",
    "RUN(table.move, nil, 1, 3, 1, T())", "RUN(table.move, T(1), 1, 1, 1, T(), 'x')",
    "RUN(table.move, T(1, 2, 3), 1, 3, 2, setmetatable({}, {__newindex = rawset}))",
    /* metamethods: the same accesses in the same order */
    "RUNP(table.insert, 3, {1, 2, 3}, 'x')", "RUNP(table.insert, 3, {1, 2, 3}, 1, 'x')",
    "RUNP(table.insert, 3, {1, 2, 3}, 3, 'x')", "RUNP(table.insert, 3, {1, 2, 3}, 5, 'x')",
    "RUNP(table.insert, 0, {}, 'x')", "RUNP(table.insert, -1, {}, 'x')", "RUNP(table.insert, 1.0, {1}, 'x')",
    "RUNP(table.insert, 1.5, {1}, 'x')", "RUNP(table.insert, 'x', {1}, 'x')", "RUNP(table.insert, '2', {1, 2}, 1, 'x')",
    "RUNP(table.insert, math.maxinteger, {}, 'x')", "RUNP(table.remove, 3, {1, 2, 3})",
    "RUNP(table.remove, 3, {1, 2, 3}, 1)", "RUNP(table.remove, 3, {1, 2, 3}, 4)", "RUNP(table.remove, 0, {}, 0)",
    "RUNP(table.remove, 0, {})", "RUNP(table.remove, -2, {}, 0)", "RUNP(table.remove, 5, {1, 2, 3}, 3)",
    "RUNP(table.move, 3, {1, 2, 3}, 1, 3, 2)", "RUNP(table.move, 3, {1, 2, 3}, 2, 3, 1)",
    "RUNP(table.move, 3, {1, 2, 3}, 1, 3, 5)",
    "(function() local p, store, log = P(3, 1, 2, 3) local ok = pcall(table.move, T(7, 8, 9), 1, 3, 2, p)"
    " return tostring(ok) .. ' ' .. table.concat(log, ';') end)()",
    "(function() local p, store, log = P(3, 1, 2, 3) local ok = pcall(table.move, p, 1, 3, 2, p)"
    " return tostring(ok) .. ' ' .. table.concat(log, ';') end)()",
    "(function() local log = {} local mt = {__eq = function() log[#log + 1] = 'eq' return true end}"
    " local a, b = setmetatable({1, 2, 3}, mt), setmetatable({}, mt) local ok = pcall(table.move, a, 1, 3, 2, b)"
    " return tostring(ok) .. ' ' .. table.concat(log, ';') .. ' ' .. tostring(rawget(b, 2)) .. tostring(rawget(a, 3)) end)()",
    "(function() local t = setmetatable({}, {__index = function(_, k) return k end}) return RUN(table.move, t, 1, 3, 1, T()) end)()",
    "(function() local t = setmetatable({}, {__len = function() return 2 end}) return RUN(table.insert, t, 'x') end)()",
    "(function() local t = setmetatable({}, {__len = function() return 'x' end}) return RUN(table.insert, t, 'x') end)()",
    "(function() local t = setmetatable({}, {__len = function() error('no len') end}) return RUN(table.remove, t) end)()",
    "(function() local u = setmetatable({}, {__index = {}, __newindex = rawset}) return RUN(table.move, T(1), 1, 1, 1, u) end)()",
    /* a userdata-like non-table with the needed metamethods: a string has __index only */
    "RUN(table.move, 'abc', 1, 2, 1, T())", "RUN(table.insert, 'abc', 1)", "RUN(table.remove, 'abc')",
    /* sort: Lua's own on real tables (so equal elements end up alike), ours on __len proxies */
    "RUN(table.sort, T(3, 1, 2))", "RUN(table.sort, T(3, 1, 2), function(a, b) return a > b end)",
    "RUN(table.sort, T('b', 'a', 'c'))", "RUN(table.sort, T(3, 'a', 2))", "RUN(table.sort, T(1, nil, 3))",
    "RUN(table.sort, T(3, 1, 2), 5)", "RUN(table.sort, T(1), 5)", "RUN(table.sort, T(), 'x')", "RUN(table.sort)",
    "RUN(table.sort, 'abc')", "RUN(table.sort, T(3, 1, 2), function(a, b) error('cmp ' .. a .. b) end)",
    "RUN(table.sort, T(3, 1, 2, 2, 1, 3, 5, 4, 4), function(a, b) return a < b end)",
    "(function() local t = {} for i = 1, 300 do t[i] = (i * 7919) % 1009 end table.sort(t) return table.concat(t, ',', 1, 20) end)()",
    "(function() local t = {} for i = 1, 300 do t[i] = {k = i % 10, i = i} end"
    " table.sort(t, function(a, b) return a.k < b.k end) local o = {} for i = 1, 20 do o[i] = t[i].i end return table.concat(o, ',') end)()",
    "(function() local p, store = P(5, 5, 3, 4, 1, 2) local ok = pcall(table.sort, p) return tostring(ok) .. ' ' .. table.concat(store, ',') end)()",
    "(function() local p, store = P(5, 5, 3, 4, 1, 2) local ok = pcall(table.sort, p, function(a, b) return a > b end)"
    " return tostring(ok) .. ' ' .. table.concat(store, ',') end)()",
    "(function() local p, store = P(3, 5, 'x', 4) local ok, e = pcall(table.sort, p) return tostring(ok) .. ' ' .. e end)()",
    "(function() local p, store = P(1, 5) local ok = pcall(table.sort, p, 5) return tostring(ok) end)()",
    "(function() local p, store = P(2, 5, 1) local ok, e = pcall(table.sort, p, 5) return tostring(ok) .. ' ' .. e end)()",
    "(function() local p, store = P(2^31, 5, 1) local ok, e = pcall(table.sort, p) return tostring(ok) .. ' ' .. e end)()",
    "(function() local t = {} for i = 1, 1000 do t[i] = (i * 7919) % 1009 end local p, store = P(1000, table.unpack(t))"
    " table.sort(p) table.sort(t) for i = 1, 1000 do if store[i] ~= t[i] then return 'differs at ' .. i end end return 'same' end)()",
    /* sizes that do run, in both */
    "(function() local t = {} for i = 1, 3000 do table.insert(t, 1, i) end for i = 1, 1500 do table.remove(t, 1) end"
    " return #t .. ' ' .. t[1] .. ' ' .. t[#t] end)()",
    "(function() local t = {} for i = 1, 10000 do t[i] = i end table.move(t, 1, 10000, 5001) return #t .. ' ' .. t[5001] end)()",
};

static void describe(lua_State *L, char *out, size_t n) {
    const char *s = lua_tostring(L, -1);
    snprintf(out, n, "%s", s ? s : "(no result)");
    lua_pop(L, 1);
}

static lua_State *with_driver(lua_State *L) {
    if (!L || luaL_dostring(L, driver) != LUA_OK) {
        fprintf(stderr, "driver: %s\n", L ? lua_tostring(L, -1) : "no state");
        exit(1);
    }
    return L;
}

static void differential(void) {
    lua_State *ref = luaL_newstate();
    luaL_openlibs(ref);
    with_driver(ref);
    lede_sb_limits lim = {.max_instructions = 50000000};
    lua_State *sb = with_driver(lede_sb_new_state(&lim));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char r[4096], o[4096], err[2048];
        lua_getglobal(ref, "CASE");
        lua_pushstring(ref, cases[i]);
        if (lua_pcall(ref, 1, 1, 0) == LUA_OK) describe(ref, r, sizeof r);
        else snprintf(r, sizeof r, "raised: %s", lua_tostring(ref, -1)), lua_pop(ref, 1);
        lua_getglobal(sb, "CASE");
        lua_pushstring(sb, cases[i]);
        if (lede_sb_call(sb, 1, 1, err, sizeof err) == 0) describe(sb, o, sizeof o);
        else snprintf(o, sizeof o, "raised: %s", err);
        check_count++;
        if (strcmp(r, o) != 0) {
            check_failures++;
            fprintf(stderr, "DIFFERS: %s\n  lua:  %s\n  ours: %s\n", cases[i], r, o);
        }
    }
    printf("%zu differential cases\n", sizeof cases / sizeof *cases);
    lua_close(ref);
    lede_sb_close(sb);
}

static void kills(void) {
    lede_sb_limits lim = {.max_instructions = 5000000};
    lua_State *L = lede_sb_new_state(&lim);
    /* outside an untrusted call nothing is counted: the host may build what it likes */
    CHECK(luaL_dostring(L, "BIG = {} for i = 1, 1000000 do BIG[i] = -i end") == LUA_OK);
    static const char *const bombs[] = {
        "table.move({}, 1, math.maxinteger - 1, 2)",
        "pcall(table.move, {}, 1, math.maxinteger - 1, 2) return 'escaped'",
        "table.move({}, math.mininteger + 2, -1, 1, {})",
        "table.remove(setmetatable({}, {__len = function() return math.maxinteger end}), 1)",
        "pcall(table.remove, setmetatable({}, {__len = function() return 1 << 60 end}), 1) return 'escaped'",
        "table.insert(setmetatable({}, {__len = function() return 1 << 60 end}), 1, 'x')",
        "pcall(table.insert, setmetatable({}, {__len = function() return 1 << 60 end}), 1, 'x') return 'escaped'",
        /* C functions as metamethods: nothing the hook sees while the sort runs */
        "table.sort(setmetatable({}, {__len = function() return 2^31 - 2 end, __index = rawlen, __newindex = rawequal}))",
        "pcall(table.sort, setmetatable({}, {__len = function() return 2^31 - 2 end, __index = rawlen, __newindex = rawequal}),"
        " math.max) return 'escaped'",
        /* a real table built outside the call: sorting it is charged n log n */
        "table.sort(BIG)",
    };
    for (size_t i = 0; i < sizeof bombs / sizeof *bombs; i++) {
        char err[1024];
        if (luaL_loadstring(L, bombs[i]) != LUA_OK) {
            fprintf(stderr, "load: %s\n", lua_tostring(L, -1));
            lua_pop(L, 1);
            CHECK(0);
            continue;
        }
        int rc = lede_sb_call(L, 0, 0, err, sizeof err);
        CHECK(rc == -1);
        CHECK_STR(err, "instruction limit hit (5000000 instructions, --max-instructions)");
        /* still usable */
        CHECK(luaL_loadstring(L, "local t = {1, 2, 3} table.insert(t, 1, 0) table.remove(t) return #t") == LUA_OK);
        CHECK(lede_sb_call(L, 0, 1, err, sizeof err) == 0 && lua_tointeger(L, -1) == 3);
        lua_pop(L, 1);
    }
    lede_sb_close(L);
}

int main(void) {
    differential();
    kills();
    CHECK_DONE();
}
