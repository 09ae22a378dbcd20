/* The sandbox's Lua patterns (host/sandbox/lpattern.c through sb_string.c): a fuzzed
 * string.find/match/gmatch/gsub call run in a sandboxed state and in a plain Lua state
 * (lstrlib), which must agree on the results or on the error message.
 *
 * Our matcher is the guard: the call runs first in the sandbox with a small instruction
 * budget, and only when it finished within it does lstrlib get the same call, so a
 * catastrophic pattern costs the fuzzer a budget's worth of steps instead of hanging it in
 * lstrlib (our steps bound lstrlib's work to a small multiple).
 *
 * Input: a selector byte (bits 0-1: find, match, gmatch, gsub; bit 2: find's plain flag;
 * bits 3-5: the init argument, from a table; bits 6-7: gsub's replacement: the string, a
 * table, a function, or the string with a max-n of 1), a pattern length byte, a replacement
 * length byte, then the pattern, the replacement and the subject (the rest). */
#include <lauxlib.h>
#include <lualib.h>

#include "fuzz_common.h"
#include "sandbox/sandbox.h"

/* R(fn, s, p, init, b, c) -> a one-line description of what the call returned or raised */
static const char driver[] =
    "local find, match, gmatch, gsub = string.find, string.match, string.gmatch, string.gsub\n"
    "local fmt, concat, mtype, select, tostring, type, pcall = string.format, table.concat, math.type, select, tostring, type, pcall\n"
    "local function ser(v)\n"
    "  local t = type(v)\n"
    "  if t == 'string' then return fmt('%q', v) end\n"
    "  if t == 'number' then return mtype(v) .. ':' .. fmt('%.17g', v) end\n"
    "  if t == 'nil' or t == 'boolean' then return tostring(v) end\n"
    "  return t\n"
    "end\n"
    "local function list(...)\n"
    "  local out = {}\n"
    "  for i = 1, select('#', ...) do out[i] = ser((select(i, ...))) end\n"
    "  return concat(out, ',')\n"
    "end\n"
    "local function result(ok, ...)\n"
    "  if ok then return 'ok ' .. list(...) end\n"
    "  return 'error ' .. tostring((...))\n"
    "end\n"
    "local function all(s, p, init)\n"
    "  local it, out = gmatch(s, p, init), {}\n"
    "  for i = 1, 200 do\n"
    "    local r = table.pack(it())\n"
    "    if r[1] == nil then break end\n"
    "    out[i] = list(table.unpack(r, 1, r.n))\n"
    "  end\n"
    "  return concat(out, ' | ')\n"
    "end\n"
    "local T = { a = 'A', b = false, ab = 'AB', ['1'] = 'one', [1] = 'first', [3] = 3.5, x = {} }\n"
    "local function F(...)\n"
    "  local a = ...\n"
    "  if a == 'a' then return false end\n"
    "  if a == 'b' then return nil end\n"
    "  if a == 'x' then return {} end\n"
    "  if type(a) == 'number' then return a * 2 end\n"
    "  local parts = {}\n"
    "  for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end\n"
    "  return '<' .. concat(parts, ',') .. '>'\n"
    "end\n"
    "function R(fn, s, p, init, plain, repl, kind)\n"
    "  if fn == 0 then return result(pcall(find, s, p, init, plain)) end\n"
    "  if fn == 1 then return result(pcall(match, s, p, init)) end\n"
    "  if fn == 2 then return result(pcall(all, s, p, init)) end\n"
    "  if kind == 1 then repl = T elseif kind == 2 then repl = F end\n"
    "  return result(pcall(gsub, s, p, repl, kind == 3 and 1 or nil))\n"
    "end\n";

static lua_State *load_driver(lua_State *L) {
    FZ_CHECK(L != NULL, "no state");
    FZ_CHECK(luaL_dostring(L, driver) == LUA_OK, "driver: %s", lua_tostring(L, -1));
    return L;
}

/* Pushes R and its arguments (the call described by the input) onto L. */
static void push_call(lua_State *L, unsigned sel, const char *p, size_t pl, const char *r, size_t rl,
                      const char *s, size_t sl) {
    static const lua_Integer inits[8] = {1, 1, 2, -1, -3, 0, 4, 1000};
    lua_getglobal(L, "R");
    lua_pushinteger(L, sel & 3);
    lua_pushlstring(L, s, sl);
    lua_pushlstring(L, p, pl);
    if ((sel >> 3 & 7) == 0)
        lua_pushnil(L);
    else
        lua_pushinteger(L, inits[sel >> 3 & 7]);
    lua_pushboolean(L, sel & 4);
    lua_pushlstring(L, r, rl);
    lua_pushinteger(L, sel >> 6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* Both states live for the whole run: building a sandboxed state loads lede's stdlib. */
    static lua_State *ref, *sb;
    if (!ref) {
        ref = luaL_newstate();
        luaL_openlibs(ref);
        load_driver(ref);
        lede_sb_limits lim = {.max_instructions = 100000, .max_memory = 64u << 20};
        sb = load_driver(lede_sb_new_state(&lim));
    }
    if (size < 3) return 0;
    unsigned sel = data[0];
    const char *rest = (const char *)data + 3;
    size_t n = size - 3;
    size_t pl = data[1] < n ? data[1] : n;
    size_t rl = data[2] < n - pl ? data[2] : n - pl;
    const char *p = rest, *r = rest + pl, *s = rest + pl + rl;
    size_t sl = n - pl - rl;

    char err[4096];
    push_call(sb, sel, p, pl, r, rl, s, sl);
    if (lede_sb_call(sb, 7, 1, err, sizeof err) != 0) {
        FZ_CHECK(strstr(err, "instruction limit hit") || strstr(err, "memory limit hit"),
                 "the driver raised: %s", err);
        return 0; /* over budget: lstrlib might take forever */
    }
    size_t ol, rfl;
    const char *ours = lua_tolstring(sb, -1, &ol);
    FZ_CHECK(ours != NULL, "no description from the sandbox");

    push_call(ref, sel, p, pl, r, rl, s, sl);
    FZ_CHECK(lua_pcall(ref, 7, 1, 0) == LUA_OK, "the driver raised in lstrlib's state: %s", lua_tostring(ref, -1));
    const char *theirs = lua_tolstring(ref, -1, &rfl);
    FZ_CHECK(theirs != NULL, "no description from lstrlib's state");
    FZ_CHECK(ol == rfl && memcmp(ours, theirs, ol) == 0, "lpattern and lstrlib disagree\n  lstrlib: %.2000s\n  ours:    %.2000s",
             theirs, ours);
    lua_pop(sb, 1);
    lua_pop(ref, 1);
    return 0;
}
