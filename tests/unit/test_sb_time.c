/* The sandbox's CPU-time limit (--max-seconds) and its adaptive count-hook interval
 * (host/sandbox/sandbox.c, limits.h), and the refusal of __gc metatables in sandboxed states.
 *
 * One instruction can do a lot of work without allocating: `a == b` between two distinct equal
 * 32 MB strings is a memcmp of 32 MB, so with 200 million instructions allowed such a loop ran
 * for days. The time limit must end it about when the limit says (the hook ticks more often while
 * the state holds that much memory), also when the work is spread over coroutines made while the
 * state was small, and the instruction count must stay exact whatever the interval. Time spent
 * off the CPU (sleeping, or waiting for a loaded machine) must not count. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "limits.h"
#include "sandbox/sandbox.h"

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int l_hookcount(lua_State *L) {
    lua_pushinteger(L, lua_gethookcount(L));
    return 1;
}

static int l_sleep(lua_State *L) {
    double s = luaL_checknumber(L, 1);
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {}
    return 0;
}

static lua_State *state(unsigned long long max_instructions, unsigned long long max_seconds) {
    lede_sb_limits lim = {.max_instructions = max_instructions, .max_seconds = max_seconds};
    lua_State *L = lede_sb_new_state(&lim);
    if (!L) {
        fprintf(stderr, "no state\n");
        exit(1);
    }
    lua_register(L, "hookcount", l_hookcount);
    lua_register(L, "sleep", l_sleep);
    return L;
}

/* Runs chunk as one untrusted call with one result: 0 and the result in *out (if any), or -1
 * and the message in err. *cpu: the CPU seconds it took. */
static int call(lua_State *L, const char *chunk, long long *out, char *err, size_t errlen, double *cpu) {
    if (luaL_loadstring(L, chunk) != LUA_OK) {
        snprintf(err, errlen, "load: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -2;
    }
    double t0 = cpu_now();
    int rc = lede_sb_call(L, 0, 1, err, errlen);
    if (cpu) *cpu = cpu_now() - t0;
    if (rc == 0) {
        if (out) *out = (long long)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    return rc;
}

#define TWINS "local a, b = ('x'):rep(32 << 20), ('x'):rep(32 << 20) "
#define TIME_HIT "time limit hit (1 s of CPU, --max-seconds)"
/* what the limit may be overrun by: one hook interval's work (about a second at most, more
 * under the sanitizers' memcmp) and the first 10 ms */
#define SLACK 4.0

static void time_kills(void) {
    static const char *const loops[] = {
        /* the plain loop, and in pcall */
        TWINS "while true do if a == b then end end",
        TWINS "while true do pcall(function() while true do if a == b then end end end) end",
        /* inside a C function that cannot yield: the kill is raised until it can */
        TWINS "while true do pcall(table.sort, {3, 2, 1}, function() while true do if a == b then end end end) end",
        /* in a coroutine the code made, whose errors it catches */
        TWINS "local co = coroutine.wrap(function() while true do if a == b then end end end) "
              "while true do pcall(co) end",
        /* coroutines made while the state held little memory, so with the full hook interval,
         * each resumed in turn for fewer instructions than that: without the check at resume
         * no tick of theirs ever fired, and the caller's came a hundred resumes apart */
        "local a, b local cos = {} "
        "for i = 1, 200 do cos[i] = coroutine.wrap(function() "
        "  while true do for _ = 1, 2000 do if a == b then end end coroutine.yield() end end) end "
        "a, b = ('x'):rep(32 << 20), ('x'):rep(32 << 20) "
        "while true do for i = 1, #cos do cos[i]() end end",
        "local a, b local cos = {} "
        "for i = 1, 200 do cos[i] = coroutine.create(function() "
        "  while true do for _ = 1, 2000 do if a == b then end end coroutine.yield() end end) end "
        "a, b = ('x'):rep(32 << 20), ('x'):rep(32 << 20) "
        "while true do for i = 1, #cos do coroutine.resume(cos[i]) end end",
        /* C functions that scan a long string without allocating, a few ns a byte */
        "local s = ('x'):rep(2 << 20) while true do utf8.len(s) end",
        "local r = lede.re.compile('\\\\w+!') local s = ('x'):rep(1 << 20) while true do r:test(s) end",
        "local s = ('ab '):rep(1 << 20) while true do pcall(lede.text.count_words, s) end",
    };
    /* loops inside the sandbox's own C library functions, which count their steps as
     * instructions: with no instruction budget to charge, they check the time limit instead */
    static const char *const unbudgeted[] = {
        "return ('a'):rep(24):find(('a*'):rep(24) .. 'b')",
        "local s = ('a'):rep(1 << 22) for i = 1, 1000 do s:match('a*b') end",
        "for i = 1, 1000 do pcall(string.gsub, ('a'):rep(30), ('a?'):rep(30) .. 'b', 'x') end",
        "table.move({}, 1, math.maxinteger - 1, 2)",
        "local t = setmetatable({}, {__len = function() return math.maxinteger end}) "
        "while true do pcall(table.insert, t, 1, 'x') end",
    };
    {
        lua_State *L = state(0, 1);
        /* ordinary long searches still finish: one step can cost more than a time slice (a
         * literal skip over 20 MB), which once ended the search as if a budget ran out */
        long long found = 0;
        char err0[1024];
        CHECK(call(L, "local s = ('a'):rep(20 << 20) .. 'b' "
                      "return (s:find('b', 1, true) == #s and s:find('b') == #s and #s:match('^a+') == #s - 1) and 1 or 0",
                   &found, err0, sizeof err0, NULL) == 0);
        CHECK(found == 1);
        for (size_t i = 0; i < sizeof unbudgeted / sizeof *unbudgeted; i++) {
            char err[1024];
            double cpu;
            int rc = call(L, unbudgeted[i], NULL, err, sizeof err, &cpu);
            CHECK(rc == -1);
            CHECK_STR(err, TIME_HIT);
            CHECK(cpu >= 0.99 && cpu < 1 + SLACK);
            printf("library loop %zu (no instruction limit): killed after %.2f s of CPU\n", i, cpu);
        }
        lede_sb_close(L);
    }
    /* the default instruction budget, and none at all: the time limit ends them either way */
    for (int unlimited = 0; unlimited < 2; unlimited++) {
        lua_State *L = state(unlimited ? 0 : LEDE_DEFAULT_MAX_INSTRUCTIONS, 1);
        for (size_t i = 0; i < sizeof loops / sizeof *loops; i++) {
            char err[1024];
            double cpu;
            int rc = call(L, loops[i], NULL, err, sizeof err, &cpu);
            CHECK(rc == -1);
            CHECK_STR(err, TIME_HIT);
            CHECK(cpu >= 0.99 && cpu < 1 + SLACK);
            printf("loop %zu%s: killed after %.2f s of CPU\n", i, unlimited ? " (no instruction limit)" : "", cpu);
            /* the state goes on */
            long long v = 0;
            CHECK(call(L, "return 6 * 7", &v, err, sizeof err, NULL) == 0 && v == 42);
        }
        lede_sb_close(L);
    }
}

/* Sleeping is not using the CPU: a call that waits 1.5 s but computes for a moment is not over a
 * 1 s limit. */
static void wall_time_is_not_cpu_time(void) {
    lua_State *L = state(LEDE_DEFAULT_MAX_INSTRUCTIONS, 1);
    char err[1024];
    long long v = 0;
    int rc = call(L, "local x = 0 for i = 1, 1000000 do x = x + 1 end sleep(1.5) "
                     "for i = 1, 3000000 do x = x + 1 end return x", &v, err, sizeof err, NULL);
    CHECK(rc == 0 && v == 4000000);
    if (rc) fprintf(stderr, "  %s\n", err);
    lede_sb_close(L);
}

/* The interval: the full one while the state is small, shorter with the memory; the instruction
 * count right at every interval (a for loop is one instruction per round). */
static void interval_and_count(void) {
    lua_State *L = state(3000000, 0);
    char err[1024];
    long long v = 0;
    CHECK(call(L, "return hookcount()", &v, err, sizeof err, NULL) == 0);
    CHECK(v == LEDE_HOOK_INTERVAL);
    CHECK(call(L, "for i = 1, 2980000 do end return hookcount()", &v, err, sizeof err, NULL) == 0);
    CHECK(v == LEDE_HOOK_INTERVAL);
    CHECK(call(L, "for i = 1, 3020000 do end return 1", &v, err, sizeof err, NULL) == -1);
    CHECK_STR(err, "instruction limit hit (3000000 instructions, --max-instructions)");

    /* hold 64 MB outside any call, as a pack's data would be */
    CHECK(luaL_dostring(L, "BIG = ('y'):rep(64 << 20)") == LUA_OK);
    size_t used = lede_sb_memory(L);
    CHECK(call(L, "for i = 1, 100000 do end return hookcount()", &v, err, sizeof err, NULL) == 0);
    printf("interval %lld at %zu MB\n", v, used >> 20);
    CHECK(v >= LEDE_HOOK_MIN_INTERVAL && v < LEDE_HOOK_INTERVAL);
    CHECK((double)v * (double)used <= (double)LEDE_HOOK_INTERVAL * LEDE_HOOK_FULL_BYTES);
    /* and the count is still exact: the budget ends the same loops at the same place */
    CHECK(call(L, "for i = 1, 2980000 do end return 1", &v, err, sizeof err, NULL) == 0);
    CHECK(call(L, "for i = 1, 3020000 do end return 1", &v, err, sizeof err, NULL) == -1);
    CHECK_STR(err, "instruction limit hit (3000000 instructions, --max-instructions)");
    /* a coroutine made in the call gets the interval too, and counts the same */
    CHECK(call(L, "local co = coroutine.wrap(function() for i = 1, 2980000 do end return hookcount() end) "
                  "return co()", &v, err, sizeof err, NULL) == 0);
    CHECK(v >= LEDE_HOOK_MIN_INTERVAL && v < LEDE_HOOK_INTERVAL);
    CHECK(call(L, "local co = coroutine.wrap(function() for i = 1, 3020000 do end end) co() return 1",
               &v, err, sizeof err, NULL) == -1);
    CHECK_STR(err, "instruction limit hit (3000000 instructions, --max-instructions)");

    /* memory gone: the full interval again */
    CHECK(luaL_dostring(L, "BIG = nil collectgarbage()") == LUA_OK);
    CHECK(call(L, "for i = 1, 100000 do end return hookcount()", &v, err, sizeof err, NULL) == 0);
    CHECK(v == LEDE_HOOK_INTERVAL);
    lede_sb_close(L);
}

/* No code in a sandboxed state may give a table a metatable with __gc: its finalizer would run
 * in a collection or at lede_sb_close, outside any call. */
static void gc_refused(void) {
    lua_State *L = state(20000000, 5);
    static const char *const tries[] = {
        "setmetatable({}, {__gc = function() while true do end end})",
        "setmetatable({}, {__gc = false})",
        "setmetatable({}, {__gc = true})",
    };
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        char err[1024];
        CHECK(call(L, tries[i], NULL, err, sizeof err, NULL) == -1);
        CHECK(strstr(err, "__gc metamethods are not allowed in packs (they would run outside the "
                          "rule's instruction budget)") != NULL);
    }
    /* host code outside calls too: the state's own setmetatable is the guarded one */
    CHECK(luaL_dostring(L, "setmetatable({}, {__gc = print})") != LUA_OK);
    lua_pop(L, 1);
    /* __gc set after setmetatable: never runs (the table was not marked), so closing the state
     * returns; __close runs in the call, where the budget ends it */
    char err[1024];
    CHECK(call(L, "local mt = {} for i = 1, 100 do setmetatable({}, mt) end "
                  "mt.__gc = function() while true do end end return 1", NULL, err, sizeof err, NULL) == 0);
    /* nor does a __gc that only an __index of the metatable's own metatable provides: Lua looks
     * the field up raw, as the check does */
    CHECK(call(L, "local loop = function() while true do end end "
                  "for i = 1, 100 do setmetatable({}, setmetatable({}, {__index = function() return loop end})) end "
                  "return 1", NULL, err, sizeof err, NULL) == 0);
    CHECK(call(L, "do local x <close> = setmetatable({}, {__close = function() while true do end end}) end",
               NULL, err, sizeof err, NULL) == -1);
    CHECK_STR(err, "instruction limit hit (20000000 instructions, --max-instructions)");
    CHECK(luaL_dostring(L, "collectgarbage() collectgarbage()") == LUA_OK);
    lede_sb_close(L);
}

/* No code inside a call may make an ephemeron table (weak keys, strong values): the collector
 * settles chains of them in quadratic time within one atomic step, where no limit applies. A
 * __mode added to the metatable afterwards changes nothing: the table has its own copy. */
static void ephemerons_refused(void) {
    lua_State *L = state(20000000, 5);
    static const char *const tries[] = {
        "setmetatable({}, {__mode = 'k'})",
        "setmetatable({}, {__mode = 'ks'})",
        "local mt = setmetatable({}, {__index = {__mode = 'v'}}) mt.__mode = 'k' setmetatable({}, mt)",
    };
    char err[1024];
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        CHECK(call(L, tries[i], NULL, err, sizeof err, NULL) == -1);
        CHECK(strstr(err, "weak-keyed tables (__mode \"k\") are not allowed in packs") != NULL);
    }
    CHECK(call(L, "setmetatable({}, {__mode = 'kv'}) setmetatable({}, {__mode = 'v'}) "
                  "setmetatable({}, {__mode = 42}) return 1", NULL, err, sizeof err, NULL) == 0);
    /* added later: the table stays strong, and a 300,000-key chain collects at once (4.5 s when
     * Lua saw the mode) */
    long long n = 0;
    CHECK(call(L, "local mt = {} local t = setmetatable({}, mt) mt.__mode = 'k' "
                  "local keys = {} for i = 1, 300000 do keys[i] = {} end "
                  "for i = 1, 299999 do t[keys[i]] = keys[i + 1] end t[{}] = 'unreferenced' "
                  "local root = keys[1] keys = nil "
                  "for i = 1, 20 do local _ = ('x'):rep(1 << 20) .. i end "
                  "local c = 0 for _ in pairs(t) do c = c + 1 end return c + (root and 0 or 1)",
               &n, err, sizeof err, NULL) == 0);
    CHECK(n == 300000);
    /* host code outside calls (lede's own setup) may */
    CHECK(luaL_dostring(L, "setmetatable({}, {__mode = 'k'})") == LUA_OK);
    lede_sb_close(L);
}

/* The sandbox's own coroutine functions, setmetatable and the time-checked library functions
 * give Lua's results and messages (positions included). */
static void same_as_lua(void) {
    static const char *const cases[] = {
        "local co = coroutine.wrap(function(a, b) local c = coroutine.yield(a + b) return c * 2 end) "
        "return co(1, 2), co(10), select(2, pcall(co))",
        "local co = coroutine.wrap(function() error('boom') end) return select(2, pcall(co))",
        "local co = coroutine.wrap(function() error({}) end) return type(select(2, pcall(co)))",
        "local co = coroutine.wrap(function() local x <close> = setmetatable({}, {__close = function() error('in close') end}) "
        "error('boom') end) return select(2, pcall(co))",
        "return select(2, pcall(coroutine.wrap, 1))",
        "local co = coroutine.create(function(...) return select('#', ...), coroutine.yield(...) end) "
        "return coroutine.resume(co, 1, nil, 3), coroutine.resume(co, 'x'), coroutine.resume(co)",
        "return select(2, pcall(coroutine.resume, 1))",
        "return coroutine.resume(coroutine.running())",
        "local co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() end}) "
        "coroutine.yield() end) coroutine.resume(co) return coroutine.close(co), coroutine.status(co)",
        "return select(2, pcall(coroutine.close, coroutine.running()))",
        "local co = coroutine.create(function() return select(2, pcall(coroutine.close, coroutine.running())) end) "
        "return coroutine.resume(co)",
        "return select(2, pcall(function() utf8.len({}) end))",
        "return utf8.len('\xff' .. ('a'):rep(5000)), utf8.offset(('é'):rep(3000), 2000)",
        "return select(2, pcall(function() setmetatable(1, {}) end))",
        "return select(2, pcall(function() setmetatable({}, 1) end))",
        "return getmetatable(setmetatable({}, {__index = {}, __mode = 'kv'})).__mode",
        /* the shadow metatable: every metamethod still works, getmetatable gives what was set */
        "local mt = {} local t = setmetatable({}, mt) return getmetatable(t) == mt, rawequal(getmetatable(t), mt)",
        "local mt = {__metatable = 'locked'} local t = setmetatable({}, mt) "
        "return getmetatable(t), select(2, pcall(setmetatable, t, {})), select(2, pcall(setmetatable, t, nil))",
        "local t = setmetatable({}, {}) setmetatable(t, nil) return getmetatable(t), setmetatable(t, {}) == t",
        "local C = {} C.__index = C local o = setmetatable({}, C) function C.m() return 'late method' end return o.m()",
        "local mt = {__index = function(_, k) return k .. '!' end, __newindex = function(t, k, v) rawset(t, k, v * 2) end, "
        "__len = function() return 42 end, __call = function(_, x) return x + 1 end, __concat = function() return 'cat' end, "
        "__unm = function() return 'neg' end, __tostring = function() return 'T' end} "
        "local t = setmetatable({}, mt) t.x = 4 return t.y, t.x, #t, t(1), t .. 'a', -t, tostring(t)",
        "local mt = {__name = 'Thing'} return (tostring(setmetatable({}, mt)):gsub('0x%x+', 'ADDR'))",
        "local mt = {} for _, e in ipairs{'add','sub','mul','div','mod','pow','idiv','band','bor','bxor','shl','shr'} do "
        "mt['__' .. e] = function() return e end end mt.__bnot = function() return 'bnot' end "
        "local t = setmetatable({}, mt) return t + 1, t - 1, t * 1, t / 1, t % 1, t ^ 1, t // 1, (t & 1) .. (t | 1) .. (t ~ 1) .. (t << 1) .. (t >> 1) .. ~t",
        "local mt = {__eq = function() return true end, __lt = function() return true end, __le = function() return false end} "
        "local a, b = setmetatable({}, mt), setmetatable({}, mt) return a == b, a < b, a <= b",
        "local mt = {__pairs = function(t) return function(_, k) if not k then return 1, 'one' end end, t, nil end} "
        "local r = {} for k, v in pairs(setmetatable({}, mt)) do r[#r + 1] = k .. v end return table.concat(r)",
        "local log = {} do local x <close> = setmetatable({}, {__close = function() log[1] = 'closed' end}) end return log[1]",
        "local t = setmetatable({}, {__mode = 'v'}) t[1] = {} collectgarbage() collectgarbage() return t[1]",
        "local mt = {} mt.__index = mt mt.v = 1 local o = setmetatable({}, mt) mt.v = 2 return o.v, getmetatable(o).v",
        /* a metatable too big to walk: its events are looked up one by one */
        "local mt = {1, 2, 3, [true] = 1, __tostring = function() return 'big' end, __len = function() return 7 end} "
        "for i = 1, 30 do mt['m' .. i] = i end mt.__index = mt local o = setmetatable({}, mt) "
        "return tostring(o), #o, o.m30, o[2], getmetatable(o) == mt",
    };
    lua_State *ref = luaL_newstate();
    luaL_openlibs(ref);
    lua_State *L = state(LEDE_DEFAULT_MAX_INSTRUCTIONS, 20);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char a[2048] = "", b[2048] = "", err[1024];
        lua_State *Ls[2] = {ref, L};
        char *out[2] = {a, b};
        for (int k = 0; k < 2; k++) {
            lua_State *S = Ls[k];
            int top = lua_gettop(S);
            if (luaL_loadbuffer(S, cases[i], strlen(cases[i]), "=case") != LUA_OK) {
                snprintf(out[k], 2048, "load: %s", lua_tostring(S, -1));
                lua_settop(S, top);
                continue;
            }
            int rc = k ? lede_sb_call(S, 0, 8, err, sizeof err)
                       : lua_pcall(S, 0, 8, 0);
            if (rc != 0) {
                snprintf(out[k], 2048, "error: %s", k ? err : lua_tostring(S, -1));
                lua_settop(S, top);
                continue;
            }
            size_t used = 0;
            for (int j = top + 1; j <= lua_gettop(S); j++)
                used += (size_t)snprintf(out[k] + used, 2048 - used, "%s|", luaL_tolstring(S, j, NULL)),
                    lua_pop(S, 1);
            lua_settop(S, top);
        }
        check_count++;
        if (getenv("VERBOSE")) printf("%s\n  -> %s\n", cases[i], b);
        if (strcmp(a, b) != 0) {
            check_failures++;
            fprintf(stderr, "DIFFERS: %s\n  lua:  %s\n  ours: %s\n", cases[i], a, b);
        }
    }
    lua_close(ref);
    lede_sb_close(L);
}

int main(void) {
    same_as_lua();
    interval_and_count();
    gc_refused();
    ephemerons_refused();
    wall_time_is_not_cpu_time();
    time_kills();
    CHECK_DONE();
}
