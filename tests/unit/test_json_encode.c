/* The direct JSON encoder (lede_lua_encode_json) against the jansson path it replaced
 * (lede_lua_to_json + json_dumps, lede_json_check_field_sizes): the same text, the same errors
 * and the same field-size verdicts, on hand-picked values and 20,000 random ones. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "check.h"
#include "lua/l_json.h"

static int compared;

/* Encodes the value on top of the stack both ways, with field limit max, and compares. */
static void same(lua_State *L, size_t max, const char *what) {
    char e1[256] = "", e2[256] = "";
    const char *a = NULL;
    char *dumped = NULL;
    json_t *j = lede_lua_to_json(L, -1, e1, sizeof e1);
    int ok1 = j != NULL;
    if (j && lede_json_check_field_sizes(j, max, e1, sizeof e1) != 0) ok1 = 0;
    if (ok1) a = dumped = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    json_decref(j);
    lede_buf b;
    lede_buf_init(&b);
    int top = lua_gettop(L);
    int ok2 = lede_lua_encode_json(L, -1, &b, max, e2, sizeof e2) == 0;
    CHECK(lua_gettop(L) == top);
    compared++;
    /* jansson refuses a key that is not valid UTF-8 and said nothing (the error stayed empty):
     * the direct encoder repairs the key as it does strings; nothing to compare there */
    if (!ok1 && !e1[0]) {
        CHECK(ok2 || e2[0]);
        free(dumped);
        lede_buf_free(&b);
        return;
    }
    int differ = ok1 != ok2 || (ok1 && (!a || !b.data || strcmp(a, b.data) != 0)) || (!ok1 && strcmp(e1, e2) != 0);
    if (differ) {
        check_failures++;
        fprintf(stderr, "%s (max %zu) differs:\n  jansson: %s %s\n  direct:  %s %s\n", what, max,
                ok1 ? "ok" : "error", ok1 ? (a ? a : "(null)") : e1, ok2 ? "ok" : "error", ok2 ? (b.data ? b.data : "") : e2);
    }
    free(dumped);
    lede_buf_free(&b);
}

static const char *const CASES[] = {
    "return nil", "return true", "return false", "return 0", "return -7", "return math.maxinteger",
    "return math.mininteger", "return 0.5", "return 0.1", "return -0.0", "return 1e20", "return 1e-5",
    "return 123456789.125", "return 1/3", "return 2^53", "return 0/0", "return 1/0", "return -1/0",
    "return ''", "return 'plain'", "return 'quote \" back \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f'",
    "return '\\0\\1\\31\\127 end'", "return 'caf\\195\\169 \\226\\128\\168 \\240\\159\\152\\128'",
    "return 'bad \\255\\254 utf8 \\192'", "return {}", "return {1, 2, 3}", "return {1, nil, 3}",
    "return {[1] = 'a', [3] = 'c'}", "return {a = 1, b = {c = {d = {}}}}", "return {1, 2, x = 3}",
    "return {[1.5] = 'f', [2] = 'i', [true] = 'skipped', [{}] = 'skipped'}",
    "return {[1] = 'one', ['1'] = 'string one'}", "return {['z'] = 1, ['a'] = 2, ['M'] = 3, ['\\t'] = 4}",
    "return {{}, {{}}, {1, {2, {3}}}}", "return {f = print}", "return {a = {b = {coroutine.create(print)}}}",
    "return {list = {1, 2, print}}", "local t = {} t.self = t return t",
    "return {['k\\255ey'] = 1}", "return {sentence = ('x'):rep(300), action = 'impose', in_body = true}",
    "return {a = ('y'):rep(50), b = ('z'):rep(10)}", "return ('long'):rep(40)", "return {('w'):rep(60)}",
};

static const char *const RANDOM =
    "local seed = ... math.randomseed(seed) "
    "local pieces = {'a', 'Z', ' ', '\"', '\\\\', '/', '\\n', '\\t', '\\0', '\\1', '\\127', 'caf\\195\\169', "
    "  '\\226\\128\\168', '\\255', '\\192\\128', 'key', '1', 'x.y'} "
    "local function str() local t = {} for i = 1, math.random(0, 6) do t[i] = pieces[math.random(#pieces)] end "
    "  return table.concat(t) end "
    "local function val(d) local r = math.random(1, d > 3 and 7 or 10) "
    "  if r == 1 then return nil elseif r == 2 then return math.random() < 0.5 "
    "  elseif r == 3 then return math.random(-1000, 1000) elseif r == 4 then return (math.random() - 0.5) * 10 ^ math.random(-8, 25) "
    "  elseif r <= 7 then return str() "
    "  elseif r == 8 then local t = {} for i = 1, math.random(0, 5) do t[i] = val(d + 1) end return t "
    "  elseif r == 9 then local t = {} for i = 1, math.random(0, 5) do local k = str() if k ~= '' then t[k] = val(d + 1) end end return t "
    "  else local t = {} for i = 1, math.random(0, 4) do t[math.random(1, 6)] = val(d + 1) end "
    "    if math.random() < 0.3 then t[str() .. 'k'] = val(d + 1) end return t end end "
    "return val(0)";

int main(void) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    static const size_t maxes[] = {0, 8, 64, 100000};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        CHECK(luaL_dostring(L, CASES[i]) == LUA_OK);
        for (size_t m = 0; m < 4; m++) same(L, maxes[m], CASES[i]);
        lua_settop(L, 0);
    }
    CHECK(luaL_loadstring(L, RANDOM) == LUA_OK);
    int gen = lua_gettop(L);
    for (int seed = 1; seed <= 20000; seed++) {
        lua_pushvalue(L, gen);
        lua_pushinteger(L, seed);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            CHECK(0);
            fprintf(stderr, "generator: %s\n", lua_tostring(L, -1));
            break;
        }
        char what[32];
        snprintf(what, sizeof what, "random value %d", seed);
        same(L, (size_t)(seed % 4 ? 0 : seed % 3 ? 40 : 200), what);
        lua_pop(L, 1);
    }
    printf("%d values compared\n", compared);
    lua_close(L);
    CHECK_DONE();
}
