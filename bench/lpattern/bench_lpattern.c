/* bench/lpattern: the sandbox's string.find/match/gmatch/gsub (host/sandbox/lpattern.c,
 * sb_string.c: budgeted) against Lua's own (lstrlib) on typical patterns.
 *
 * Both run in sandboxed states, as untrusted calls with an instruction limit (so the budget
 * is being counted); the second state gets lstrlib's four functions put back, so the only
 * difference is the matcher. Each workload is timed in CPU time, best of ROUNDS, and the
 * ratio ours/lstrlib printed (target: <= 1.15).
 *
 *   bench/lpattern/run.sh [BUILD_DIR] [ROUNDS] [NAME]   (builds this against BUILD_DIR's liblede
 *                                                       and runs the workloads whose name has NAME) */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

static const char workloads[] =
    "local W = {}\n"
    "local words = { 'the', 'council', 'imposed', 'sanctions', 'on', 'shipping', 'firms', 'Monday', 'and',\n"
    "  'observers', 'expect', 'more', 'soon', 'said', 'minister', 'Russia', 'EU', 'assets', 'frozen', 'of',\n"
    "  'a', 'to', 'in', 'it', 'was', '2024', 'U.S.', 'Treasury', 'designated', 'vessels', 'tanker' }\n"
    "local seed = 12345\n"
    "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end\n"
    "local parts, size = {}, 0\n"
    "while size < 1000000 do\n"
    "  local w = words[rnd(#words)]\n"
    "  local sep = rnd(12) == 1 and '. ' or (rnd(20) == 1 and ',  ' or (rnd(40) == 1 and '\\n\\n' or ' '))\n"
    "  parts[#parts + 1] = w .. sep\n"
    "  size = size + #w + #sep\n"
    "end\n"
    "local text = table.concat(parts)\n"
    "local tokens = {}\n"
    "for i = 1, 20000 do tokens[i] = parts[i]:sub(1, -2) end\n"
    "local sentence = text:sub(1, 1000)\n"
    "W['gmatch %w+ over 1 MB'] = function() local n = 0 for w in text:gmatch('%w+') do n = n + 1 end return n end\n"
    "W['find a literal (absent) x50'] = function() local n = 0 for i = 1, 50 do if text:find('zebra quartz') then n = n + 1 end end return n end\n"
    "W['find a literal (present) x2000'] = function() local n = 0 for i = 1, 2000 do n = n + text:find('Treasury designated', i * 400) end return n end\n"
    "W['gsub %s+ over 1 MB'] = function() local s, n = text:gsub('%s+', ' ') return n end\n"
    "W['gmatch (%a+)%s+(%a+)'] = function() local n = 0 for a, b in text:gmatch('(%a+)%s+(%a+)') do n = n + 1 end return n end\n"
    "W['short calls on 20000 tokens'] = function()\n"
    "  local n = 0\n"
    "  for i = 1, #tokens do\n"
    "    local w = tokens[i]\n"
    "    if w:match('^%u') then n = n + 1 end\n"
    "    if w:find('ed$') then n = n + 1 end\n"
    "    if w:match('^[%a_][%w_]*$') then n = n + 1 end\n"
    "    if w:find('  ', 1, true) then n = n + 1 end\n"
    "    local s = w:gsub('\\226\\128\\153', \"'\")\n"
    "    if w:match('^(.-)s$') then n = n + 1 end\n"
    "  end\n"
    "  return n\n"
    "end\n"
    "W['trim a 1000-byte sentence x2000'] = function() local n = 0 for i = 1, 2000 do n = n + #sentence:match('^%s*(.-)%s*$') end return n end\n"
    "W['gmatch [^%.]+ sentences'] = function() local n = 0 for s in text:gmatch('[^%.]+') do n = n + 1 end return n end\n"
    "NAMES = {}\n"
    "for k in pairs(W) do NAMES[#NAMES + 1] = k end\n"
    "table.sort(NAMES)\n"
    "WORK = W\n";

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static lua_State *state(int with_lstrlib) {
    lede_sb_limits lim = {1000000000000000ull, 0}; /* counted, never reached */
    lua_State *L = lede_sb_new_state(&lim);
    if (with_lstrlib) { /* lstrlib's C functions, taken from a plain state */
        lua_State *ref = luaL_newstate();
        luaL_openlibs(ref);
        static const char *const names[] = {"find", "match", "gmatch", "gsub"};
        lua_getglobal(ref, "string");
        lua_getglobal(L, "string");
        for (int i = 0; i < 4; i++) {
            lua_getfield(ref, -1, names[i]);
            lua_pushcfunction(L, lua_tocfunction(ref, -1));
            lua_setfield(L, -2, names[i]);
            lua_pop(ref, 1);
        }
        lua_pop(L, 1);
        lua_close(ref);
    }
    if (luaL_dostring(L, workloads) != LUA_OK) {
        fprintf(stderr, "workloads: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    return L;
}

/* Runs WORK[name] once as an untrusted call; CPU seconds, and its result in *res. */
static double run_once(lua_State *L, const char *name, long long *res) {
    char err[512];
    lua_getglobal(L, "WORK");
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    double t0 = cpu_now();
    if (lede_sb_call(L, 0, 1, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", name, err);
        exit(1);
    }
    double t = cpu_now() - t0;
    *res = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return t;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    const char *only = argc > 2 ? argv[2] : "";
    lua_State *ours = state(0), *theirs = state(1);
    lua_getglobal(ours, "NAMES");
    int n = (int)lua_rawlen(ours, -1);
    double sum_ours = 0, sum_theirs = 0;
    printf("%-36s %12s %12s %8s\n", "workload", "lstrlib ms", "ours ms", "ratio");
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(ours, -1, i);
        const char *name = lua_tostring(ours, -1);
        if (!strstr(name, only)) {
            lua_pop(ours, 1);
            continue;
        }
        double best_o = 1e9, best_t = 1e9;
        long long ro = 0, rt = 0;
        for (int r = 0; r < rounds; r++) { /* interleaved, so drift hits both alike */
            double t = run_once(theirs, name, &rt);
            if (t < best_t) best_t = t;
            t = run_once(ours, name, &ro);
            if (t < best_o) best_o = t;
        }
        if (ro != rt) fprintf(stderr, "%s: results differ (%lld vs %lld)\n", name, ro, rt);
        printf("%-36s %12.2f %12.2f %8.2f\n", name, best_t * 1e3, best_o * 1e3, best_o / best_t);
        sum_ours += best_o;
        sum_theirs += best_t;
        lua_pop(ours, 1);
    }
    printf("%-36s %12.2f %12.2f %8.2f\n", "total", sum_theirs * 1e3, sum_ours * 1e3, sum_ours / sum_theirs);
    lede_sb_close(ours);
    lede_sb_close(theirs);
    return 0;
}
