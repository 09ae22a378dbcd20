/* Sandboxed Lua states: counting allocator, instruction budget, kills that escape pcall.
 * See sandbox.h for the mechanism; limits.h for the defaults. */
#include "sandbox/sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "lua/modules.h"
#include "sandbox/sb_lib.h"

enum { KILL_INSTRUCTIONS = 1, KILL_MEMORY = 2 };

#define GC_REFUSED "__gc metamethods are not allowed in packs (they would run outside the rule's instruction budget)"

int lede_sb_open_fs(lua_State *L);

/* One per state, owned by the state (freed by lede_sb_close); reached through the state's
 * extra space, which Lua copies into every coroutine. Nothing here is process-global. */
typedef struct sbctl {
    lede_sb_limits lim;
    size_t used;
    unsigned long long count; /* instructions in the current call, in hook ticks */
    lua_State *thread;        /* the coroutine running the current untrusted call */
    int in_call;              /* the cap and budget apply only inside untrusted calls, so host
                                 code around them never sees an allocation refused */
    int killed;
} sbctl;

static sbctl *ctl_of(lua_State *L) { return *(sbctl **)lua_getextraspace(L); }

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    sbctl *c = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->used -= old;
        return NULL;
    }
    if (nsize > old && c->in_call && c->lim.max_memory &&
        c->used - old + nsize > c->lim.max_memory) {
        c->killed |= KILL_MEMORY;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p) c->used = c->used - old + nsize;
    return p;
}

static void kill_message(const sbctl *c, char *buf, size_t n) {
    if (c->killed & KILL_MEMORY)
        snprintf(buf, n, "memory limit hit (%llu MB, --max-memory)", c->lim.max_memory >> 20);
    else
        snprintf(buf, n, "instruction limit hit (%llu instructions, --max-instructions)",
                 c->lim.max_instructions);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    sbctl *c = ctl_of(L);
    if (!c->in_call) return;
    if (!c->killed) {
        c->count += LEDE_HOOK_INTERVAL;
        if (c->lim.max_instructions && c->count > c->lim.max_instructions) c->killed |= KILL_INSTRUCTIONS;
    }
    if (!c->killed) return;
    if (L == c->thread && lua_isyieldable(L)) {
        lua_yield(L, 0); /* unwinds to lede_sb_call's lua_resume, past every pcall */
        return;
    }
    /* Not yieldable here (inside a C function such as table.sort): raise, and fire again at the
     * very next instruction, which after the unwinding is usually where a yield works. */
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    char msg[128];
    kill_message(c, msg, sizeof msg);
    luaL_error(L, "%s", msg);
}

static int panic(lua_State *L) {
    /* An error outside any protected call is a host bug; there is nothing to return to. */
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "lede: unprotected Lua error: %s\n", m ? m : "?");
    abort();
}

lede_sb_limits lede_sb_limits_make(unsigned long long max_instructions,
                                   unsigned long long max_memory, int unlimited) {
    lede_sb_limits l = {0, 0};
    if (unlimited) return l;
    l.max_instructions = max_instructions ? max_instructions : LEDE_DEFAULT_MAX_INSTRUCTIONS;
    l.max_memory = max_memory ? max_memory : LEDE_DEFAULT_MAX_MEMORY;
    return l;
}

/* string.rep of an empty string with an empty separator loops n times inside one C call, where
 * the instruction budget cannot stop it: ("").rep(1e15) stalled a worker for days (found by
 * fuzz_manifest). Its result is "" whatever n is; every other rep is bounded by the memory cap. */
static int sb_str_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (l + lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* setmetatable for all code in a sandboxed state, lede's own Lua modules included: a metatable
 * with a __gc field is refused. Lua marks a table for finalization when setmetatable gives it such
 * a metatable, and runs the finalizer (whatever __gc holds by then) during some later collection
 * or at lua_close, outside any untrusted call, where no budget applies: __gc = function() while
 * true do end end hung the run for good. The sandbox's setmetatable (lede._sandbox) refuses it
 * first, where the message points at the pack's line; this covers every other way to the real
 * one, such as a stdlib module's metatable that a pack reaches through __index and changes
 * before the module uses it. lede's userdata get their trusted C finalizers from C. */
static int sb_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, GC_REFUSED);
        lua_pop(L, 1);
    }
    return lua_tocfunction(L, lua_upvalueindex(1))(L); /* Lua's, in this frame */
}

/* Replaces t[name] (t on top of the stack) by f with the old value as upvalue 1. */
static void wrap_field(lua_State *L, const char *name, lua_CFunction f) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, name);
}

lua_State *lede_sb_new_state(const lede_sb_limits *lim) {
    sbctl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->lim = *lim;
    lua_State *L = lua_newstate(sb_alloc, c);
    if (!L) {
        free(c);
        return NULL;
    }
    *(sbctl **)lua_getextraspace(L) = c;
    lua_atpanic(L, panic);
    luaL_openlibs(L);
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, sb_str_rep, 1);
    lua_setfield(L, -2, "rep");
    lede_sb_open_string(L);
    lua_pop(L, 1);
    lua_getglobal(L, "table");
    lede_sb_open_table(L);
    lua_pop(L, 1);
    lua_pushglobaltable(L);
    wrap_field(L, "setmetatable", sb_setmetatable);
    lua_pop(L, 1);
    lede_lua_install(L);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, lede_sb_open_fs);
    lua_setfield(L, -2, "lede._fs");
    lua_pop(L, 2);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede");
    if (lua_pcall(L, 1, 1, 0) == LUA_OK)
        lua_setglobal(L, "lede");
    else
        lua_pop(L, 1);
    /* getmetatable("") yields false, so no code can reach (and change) the string library
     * through it; sandboxed code gets a read-only copy of `string` instead. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, LEDE_HOOK_INTERVAL);
    return L;
}

void lede_sb_close(lua_State *L) {
    if (!L) return;
    sbctl *c = ctl_of(L);
    lua_close(L);
    free(c);
}

size_t lede_sb_memory(lua_State *L) { return ctl_of(L)->used; }

long long lede_sb_budget_left(lua_State *L) {
    const sbctl *c = ctl_of(L);
    if (!c->in_call || !c->lim.max_instructions) return -1;
    if (c->count >= c->lim.max_instructions) return 0;
    unsigned long long left = c->lim.max_instructions - c->count;
    return left > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)left;
}

void lede_sb_spend(lua_State *L, unsigned long long n) {
    sbctl *c = ctl_of(L);
    if (!c->in_call || !c->lim.max_instructions) return;
    c->count += n;
    if (c->count > c->lim.max_instructions) lede_sb_kill(L);
}

int lede_sb_kill(lua_State *L) {
    sbctl *c = ctl_of(L);
    c->killed |= KILL_INSTRUCTIONS;
    /* the same path as count_hook's where it cannot yield: a C function cannot */
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    char msg[128];
    kill_message(c, msg, sizeof msg);
    return luaL_error(L, "%s", msg);
}

/* Copies the error on co's stack, with co's traceback, into err. */
static void error_message(lua_State *L, lua_State *co, char *err, size_t errlen) {
    const char *m = lua_tostring(co, -1);
    if (!m) m = lua_pushfstring(co, "(error object is a %s value)", luaL_typename(co, -1));
    luaL_traceback(L, co, m, 0);
    snprintf(err, errlen, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
}

int lede_sb_call(lua_State *L, int nargs, int nres, char *err, size_t errlen) {
    sbctl *c = ctl_of(L);
    int fn = lua_gettop(L) - nargs;
    lua_State *co = lua_newthread(L);
    lua_sethook(co, count_hook, LUA_MASKCOUNT, LEDE_HOOK_INTERVAL); /* not the creator's 1 */
    lua_rotate(L, fn, 1); /* the thread below the function, where it stays until the end */
    lua_xmove(L, co, nargs + 1);
    lua_State *saved_thread = c->thread;
    int saved_in = c->in_call;
    unsigned long long saved_count = c->count;
    c->thread = co;
    c->in_call = 1;
    c->count = 0;
    c->killed = 0;
    int nr = 0;
    int st = lua_resume(co, L, nargs, &nr);
    int killed = c->killed;
    c->thread = saved_thread;
    c->in_call = saved_in;
    c->count = saved_count;
    c->killed = 0;
    int rc = -1;
    if (killed) {
        kill_message(&(sbctl){.lim = c->lim, .killed = killed}, err, errlen);
    } else if (st == LUA_OK) {
        if (nr > nres) lua_pop(co, nr - nres);
        for (; nr < nres; nr++) lua_pushnil(co);
        lua_xmove(co, L, nres);
        rc = 0;
    } else if (st == LUA_YIELD) {
        snprintf(err, errlen, "attempt to yield from outside a coroutine");
    } else {
        error_message(L, co, err, errlen);
    }
    lua_remove(L, fn); /* the thread; a killed one is left suspended for the collector */
    if (killed & KILL_MEMORY) lua_gc(L, LUA_GCCOLLECT, 0);
    return rc;
}

/* ---- lede._fs: the few file-system queries the trusted pack loader needs --------------------
 * Registered only in sandboxed states' package.preload; the sandboxed require refuses every
 * "lede._" name, so untrusted code never reaches it. */
#include <dirent.h>
#include <sys/stat.h>

static int fs_isdir(lua_State *L) {
    struct stat st;
    lua_pushboolean(L, stat(luaL_checkstring(L, 1), &st) == 0 && S_ISDIR(st.st_mode));
    return 1;
}

static int fs_isfile(lua_State *L) {
    struct stat st;
    lua_pushboolean(L, stat(luaL_checkstring(L, 1), &st) == 0 && S_ISREG(st.st_mode));
    return 1;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* list(dir) -> sorted names (no "." or hidden entries); {} when dir cannot be read */
static int fs_list(lua_State *L) {
    DIR *d = opendir(luaL_checkstring(L, 1));
    lua_newtable(L);
    if (!d) return 1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 100000) {
        if (e->d_name[0] == '.') continue;
        lua_pushstring(L, e->d_name);
        lua_rawseti(L, -2, ++n);
    }
    closedir(d);
    /* sort through a C array of the pushed strings (they stay referenced by the table) */
    const char **names = malloc((size_t)n * sizeof *names + 1);
    if (!names) return 1;
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, -1, i + 1);
        names[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, i + 1);
    }
    free(names);
    return 1;
}

int lede_sb_open_fs(lua_State *L) {
    static const luaL_Reg fns[] = {{"isdir", fs_isdir}, {"isfile", fs_isfile}, {"list", fs_list}, {NULL, NULL}};
    luaL_newlib(L, fns);
    return 1;
}
