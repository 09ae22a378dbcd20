/* Sandboxed Lua states: counting allocator, instruction budget, kills that escape pcall.
 * See sandbox.h for the mechanism; limits.h for the defaults. */
#include "sandbox/sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "limits.h"
#include "lua/modules.h"
#include "sandbox/sb_lib.h"

enum { KILL_INSTRUCTIONS = 1, KILL_MEMORY = 2, KILL_TIME = 4 };

#define GC_REFUSED "__gc metamethods are not allowed in packs (they would run outside the rule's instruction budget)"

int lede_sb_open_fs(lua_State *L);

/* The current call's CPU time (lim.max_seconds), in ns. */
typedef struct calltime {
    int64_t next_check; /* monotonic time before which the call cannot have used its CPU time */
    int64_t cpu0;       /* the thread's CPU clock where counting started; -1: not read yet */
    int64_t helpers;    /* CPU time helper threads spent on the call's behalf (sb_run_work) */
} calltime;

/* One per state, owned by the state (freed by lede_sb_close); reached through the state's
 * extra space, which Lua copies into every coroutine. Nothing here is process-global. */
typedef struct sbctl {
    lede_sb_limits lim;
    int64_t max_ns;           /* lim.max_seconds in ns; 0 = no time limit */
    size_t used;
    unsigned long long count; /* instructions in the current call, in hook ticks */
    lua_State *thread;        /* the coroutine running the current untrusted call */
    lua_State *running;       /* inside a call, the thread running now (this call's or one of
                                 the coroutines it resumed) */
    size_t arm_above;         /* inside a call, the memory past which the running thread's hook
                                 interval is too long: the allocator then makes it tick at once */
    calltime time;
    int in_call;              /* the cap and budget apply only inside untrusted calls, so host
                                 code around them never sees an allocation refused */
    int killed;
    struct helper *helper;    /* runs long C work for calls (sb_run_work); NULL until needed */
} sbctl;

static sbctl *ctl_of(lua_State *L) { return *(sbctl **)lua_getextraspace(L); }

static void count_hook(lua_State *L, lua_Debug *ar);

/* ---- the CPU-time limit ------------------------------------------------------------------------
 * The thread's CPU clock is a system call, too slow to read at every hook tick of every call; the
 * monotonic clock is read in user space (vDSO), and a thread's CPU time grows no faster than it.
 * So each tick reads the monotonic clock only, and the CPU clock once that has passed the earliest
 * moment the call could have used up its time. The first read starts the count, FIRST_READ_NS
 * into the call: short calls never make the system call, and the CPU time before it is not
 * counted (a bounded undercount, never an overcount: a loaded machine cannot trip the limit). */
#ifdef CLOCK_MONOTONIC_COARSE
#define WALL_CLOCK CLOCK_MONOTONIC_COARSE /* a few ms coarse, and cheaper still: enough here */
#else
#define WALL_CLOCK CLOCK_MONOTONIC
#endif
#define FIRST_READ_NS 10000000

static int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void time_start(sbctl *c) {
    c->time.cpu0 = -1;
    c->time.helpers = 0;
    c->time.next_check = c->max_ns ? clock_ns(WALL_CLOCK) + FIRST_READ_NS : INT64_MAX;
}

/* Whether the current call has used up its CPU time. */
static int time_up(sbctl *c) {
    int64_t now = clock_ns(WALL_CLOCK);
    if (now < c->time.next_check) return 0;
    int64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    if (cpu < 0) cpu = now; /* no CPU clock for threads: wall time is an upper bound of it */
    if (c->time.cpu0 < 0) c->time.cpu0 = cpu;
    int64_t spent = cpu - c->time.cpu0 + c->time.helpers;
    if (spent >= c->max_ns) return 1;
    c->time.next_check = now + (c->max_ns - spent);
    return 0;
}

/* ---- the count hook's interval ------------------------------------------------------------------
 * LEDE_HOOK_INTERVAL while the state holds little memory, halved each time the memory doubles past
 * LEDE_HOOK_FULL_BYTES (limits.h): one instruction's work can grow with the memory (a compare of
 * two long strings), and the limits are checked only at ticks. Powers of two, so the interval
 * changes only when the memory crosses one, and the common case is one comparison. */
static int hook_interval(size_t used) {
    int n = LEDE_HOOK_INTERVAL;
    for (size_t full = LEDE_HOOK_FULL_BYTES; used > full && n > LEDE_HOOK_MIN_INTERVAL; full <<= 1) n >>= 1;
    return n < LEDE_HOOK_MIN_INTERVAL ? LEDE_HOOK_MIN_INTERVAL : n;
}

/* The most memory for which hook_interval is still at least n. */
static size_t interval_ceiling(int n) {
    if (n > LEDE_HOOK_INTERVAL) return 0;
    if (n <= LEDE_HOOK_MIN_INTERVAL) return SIZE_MAX;
    size_t full = LEDE_HOOK_FULL_BYTES;
    for (int m = LEDE_HOOK_INTERVAL >> 1; m >= n; m >>= 1) full <<= 1;
    return full;
}

/* The memory grew past what the running thread's interval allows, in the middle of an interval
 * (one string.rep can add 100 MB): it fires the hook at its next instruction, which sets the
 * interval the memory asks for. Setting a hook is safe at any point, even from a signal handler
 * (Lua manual, lua_sethook); the instructions the thread ran since its last tick are not
 * counted (at most one interval, once per crossing: see count_hook). */
static void arm_running(sbctl *c) {
    c->arm_above = SIZE_MAX; /* until the hook sets the new interval */
    if (c->running) lua_sethook(c->running, count_hook, LUA_MASKCOUNT, 1);
}

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
    if (p) {
        c->used = c->used - old + nsize;
        if (c->used > c->arm_above) arm_running(c); /* SIZE_MAX outside calls */
    }
    return p;
}

static void kill_message(const sbctl *c, char *buf, size_t n) {
    if (c->killed & KILL_MEMORY)
        snprintf(buf, n, "memory limit hit (%llu MB, --max-memory)", c->lim.max_memory >> 20);
    else if (c->killed & KILL_TIME)
        snprintf(buf, n, "time limit hit (%llu s of CPU, --max-seconds)", c->lim.max_seconds);
    else
        snprintf(buf, n, "instruction limit hit (%llu instructions, --max-instructions)",
                 c->lim.max_instructions);
}

/* Raises the current call's kill in L, and makes L and the call's own coroutine fire the hook at
 * their very next instruction, where it is raised again or, once it can be, yielded. (Arming the
 * call's coroutine too ends it as soon as it runs again when the kill happened in a coroutine
 * the code made, whose error the code may catch.) Never returns. */
static int raise_kill(lua_State *L, sbctl *c) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    if (c->thread && c->thread != L) lua_sethook(c->thread, count_hook, LUA_MASKCOUNT, 1);
    char msg[128];
    kill_message(c, msg, sizeof msg);
    return luaL_error(L, "%s", msg);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    sbctl *c = ctl_of(L);
    if (!c->in_call) return;
    if (!c->killed) {
        int every = lua_gethookcount(L); /* L's interval: what it ran since its last tick */
        c->count += (unsigned)every;
        if (c->lim.max_instructions && c->count > c->lim.max_instructions)
            c->killed |= KILL_INSTRUCTIONS;
        else if (c->max_ns && time_up(c))
            c->killed |= KILL_TIME;
        else {
            int want = hook_interval(c->used);
            if (want > every && every >= LEDE_HOOK_MIN_INTERVAL) {
                /* less memory: a longer interval only once under half the mark, so memory at a
                 * band's edge does not make the allocator arm the hook at every crossing */
                int lazy = hook_interval(2 * c->used);
                want = lazy > every ? lazy : every;
            }
            if (want != every) lua_sethook(L, count_hook, LUA_MASKCOUNT, want);
            c->running = L; /* the hook runs in the running thread */
            c->arm_above = interval_ceiling(want);
            return;
        }
    }
    if (L == c->thread && lua_isyieldable(L)) {
        lua_yield(L, 0); /* unwinds to lede_sb_call's lua_resume, past every pcall */
        return;
    }
    /* Not yieldable here (inside a C function such as table.sort): raise, and fire again at the
     * very next instruction, which after the unwinding is usually where a yield works. */
    raise_kill(L, c);
}

static int panic(lua_State *L) {
    /* An error outside any protected call is a host bug; there is nothing to return to. */
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "lede: unprotected Lua error: %s\n", m ? m : "?");
    abort();
}

lede_sb_limits lede_sb_limits_make(unsigned long long max_instructions,
                                   unsigned long long max_memory, unsigned long long max_seconds,
                                   int unlimited) {
    lede_sb_limits l = {0, 0, 0};
    if (unlimited) return l;
    l.max_instructions = max_instructions ? max_instructions : LEDE_DEFAULT_MAX_INSTRUCTIONS;
    l.max_memory = max_memory ? max_memory : LEDE_DEFAULT_MAX_MEMORY;
    l.max_seconds = max_seconds ? max_seconds : LEDE_DEFAULT_MAX_SECONDS;
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

/* ---- long C work on a helper thread (lede_lua_runner.run) -------------------------------------
 * libxml2's XPath can run for minutes inside one C call (merging node sets is quadratic, and
 * predicates nest), where no hook fires and nothing can be checked. So in a call with a time
 * limit the work runs on the state's helper thread while this one waits, reading the clocks: the
 * call's own CPU time so far plus the helper's count against --max-seconds. Past it the work is
 * asked to stop (XPath notices at its next operation count), given a grace period, and the call
 * is killed. A helper whose work does not stop even then is left to finish it, then frees it and
 * ends; the state gets a new helper. So that a pack cannot fill the machine with such threads,
 * at most LEDE_MAX_STRAY_WORK may be running in the process, and further work is refused
 * meanwhile. The helper lives as long as the state: handing work over costs two wake-ups
 * (about 10 us), a thread per query cost 70. */
typedef struct helper {
    pthread_t th;
    clockid_t cid;
    int have_clock;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* the helper waits here for work or quit */
    pthread_cond_t done_cv; /* the waiter waits here for the work to return */
    lede_lua_work *w;       /* the current work */
    int pending, done;      /* w waits to be picked up; w returned */
    int left, quit;         /* the waiter gave up on w (the helper frees itself); close */
    int64_t cpu;            /* the helper's CPU clock when w returned */
} helper;

static int stray_work; /* helpers still running work their call gave up on */
#define GRACE_NS 300000000 /* after a cancel, for the work to notice it */
#define POLL_NS 10000000
#define SPIN_NS 50000
#define SPIN_CHECKS 100000

int lede_sb_stray_work(void) { return __atomic_load_n(&stray_work, __ATOMIC_ACQUIRE); }

static void helper_destroy(helper *h) {
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->work_cv);
    pthread_cond_destroy(&h->done_cv);
    free(h);
}

static void *helper_main(void *arg) {
    helper *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->pending && !h->quit) pthread_cond_wait(&h->work_cv, &h->mu);
        if (h->quit) break;
        h->pending = 0;
        lede_lua_work *w = h->w;
        pthread_mutex_unlock(&h->mu);
        w->run(w);
        int64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        pthread_mutex_lock(&h->mu);
        h->cpu = cpu;
        __atomic_store_n(&h->done, 1, __ATOMIC_RELEASE);
        if (h->left) {
            pthread_mutex_unlock(&h->mu);
            w->release(w);
            helper_destroy(h);
            __atomic_sub_fetch(&stray_work, 1, __ATOMIC_ACQ_REL);
            return NULL;
        }
        pthread_cond_signal(&h->done_cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static helper *helper_new(void) {
    helper *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->work_cv, NULL);
    pthread_cond_init(&h->done_cv, NULL);
    if (pthread_create(&h->th, NULL, helper_main, h) != 0) {
        helper_destroy(h);
        return NULL;
    }
    h->have_clock = pthread_getcpuclockid(h->th, &h->cid) == 0;
    return h;
}

/* Ends an idle helper (lede_sb_close). */
static void helper_close(helper *h) {
    if (!h) return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_signal(&h->work_cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->th, NULL);
    helper_destroy(h);
}

/* With h->mu held: waits on done_cv until the work returned, or until `until` says to stop
 * waiting (*used, the helper's CPU time since base, reaches cpu_left; or the wall clock passes
 * wall_end). 1 when the work returned. */
static int helper_wait(helper *h, int64_t base, int64_t wall0, int64_t cpu_left, int64_t wall_end,
                       int64_t *used) {
    for (;;) {
        if (h->done) {
            *used = h->have_clock && h->cpu >= 0 ? h->cpu - base : clock_ns(CLOCK_MONOTONIC) - wall0;
            return 1;
        }
        int64_t now = h->have_clock ? clock_ns(h->cid) : -1;
        *used = now >= 0 ? now - base : clock_ns(CLOCK_MONOTONIC) - wall0;
        if (*used >= cpu_left || clock_ns(CLOCK_MONOTONIC) >= wall_end) return 0;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ns = ts.tv_nsec + POLL_NS;
        ts.tv_sec += ns / 1000000000;
        ts.tv_nsec = ns % 1000000000;
        pthread_cond_timedwait(&h->done_cv, &h->mu, &ts);
    }
}

static void sb_run_work(lua_State *L, lede_lua_work *w) {
    sbctl *c = ctl_of(L);
    if (!c->in_call || !c->max_ns) {
        w->run(w);
        return;
    }
    if (__atomic_load_n(&stray_work, __ATOMIC_ACQUIRE) >= LEDE_MAX_STRAY_WORK) {
        w->release(w);
        luaL_error(L, "query refused: %d earlier queries that hit the time limit have not "
                      "stopped yet (--max-seconds)", LEDE_MAX_STRAY_WORK);
    }
    /* what the call may still use: its own CPU so far and what the helper spent for it count
     * (the count starts here if it has not yet: this may take long) */
    int64_t mine = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    if (mine < 0) mine = clock_ns(WALL_CLOCK); /* as time_up does */
    if (c->time.cpu0 < 0) c->time.cpu0 = mine;
    int64_t cpu_left = c->max_ns - (mine - c->time.cpu0) - c->time.helpers;
    if (cpu_left <= 0 || (!c->helper && !(c->helper = helper_new()))) {
        w->release(w);
        if (cpu_left > 0) luaL_error(L, "cannot start a thread for this query");
        c->killed |= KILL_TIME;
        raise_kill(L, c);
    }
    helper *h = c->helper;
    int64_t base = h->have_clock ? clock_ns(h->cid) : -1; /* idle: its clock stands still */
    int64_t wall0 = clock_ns(CLOCK_MONOTONIC), used = 0;
    pthread_mutex_lock(&h->mu);
    h->w = w;
    h->done = 0;
    h->pending = 1;
    pthread_cond_signal(&h->work_cv);
    /* most queries take microseconds: spin briefly before sleeping, so that the helper's
     * return does not have to wake this thread too */
    pthread_mutex_unlock(&h->mu);
    for (int i = 0; i < SPIN_CHECKS && !__atomic_load_n(&h->done, __ATOMIC_ACQUIRE); i++)
        if (clock_ns(CLOCK_MONOTONIC) - wall0 > SPIN_NS) break;
    pthread_mutex_lock(&h->mu);
    int finished = helper_wait(h, base, wall0, cpu_left, INT64_MAX, &used);
    c->time.helpers += used;
    c->time.next_check = 0; /* the next tick reads the CPU clock */
    if (finished) {
        pthread_mutex_unlock(&h->mu);
        return; /* w is the caller's again */
    }
    if (w->cancel) w->cancel(w);
    finished = helper_wait(h, base, wall0, INT64_MAX, clock_ns(CLOCK_MONOTONIC) + GRACE_NS, &used);
    if (!finished) {
        h->left = 1; /* the helper frees w and itself when w returns */
        __atomic_add_fetch(&stray_work, 1, __ATOMIC_ACQ_REL);
        pthread_detach(h->th);
        c->helper = NULL;
    }
    pthread_mutex_unlock(&h->mu);
    if (finished) w->release(w);
    c->killed |= KILL_TIME;
    raise_kill(L, c);
}

static const lede_lua_runner SB_RUNNER = {
    .budget_left = lede_sb_budget_left,
    .spend = lede_sb_spend,
    .kill = lede_sb_kill,
    .run = sb_run_work,
};

/* ---- setmetatable -------------------------------------------------------------------------------
 * The state's setmetatable, for all code in it, lede's own Lua modules included (the sandbox's
 * version, lede._sandbox, adds its ownership rules and calls this one). Two things Lua would do
 * outside any call, where no budget applies, are kept from happening:
 *   - finalizers: Lua marks a table for finalization when setmetatable gives it a metatable with
 *     a __gc field, and runs whatever __gc holds by then during some later collection or at
 *     lua_close; __gc = function() while true do end end hung the run for good. Refused.
 *   - ephemerons: a table whose metatable's __mode has 'k' but not 'v' keeps a value only while
 *     its key is reachable from elsewhere, and the collector settles chains of such entries (the
 *     value of one the key of the next) by re-walking every ephemeron table until nothing
 *     changes, inside one atomic step: quadratic in the chain (300,000 keys: 4.5 s; a million
 *     fit in the memory cap), and run inside an allocation or a full collection between calls.
 *     Refused inside untrusted calls (and everything they call); lede's own setup code, which
 *     runs before any, may use them.
 * Lua reads a table's metatable anew at every collection and every metamethod, so a check here
 * alone would not hold: the pack could add __gc or __mode to its metatable afterwards. So the
 * table gets a private copy of the metatable's metamethods, a shadow no code can reach, and
 * getmetatable still returns the table passed in (the shadow's __metatable field holds it, or
 * the original's __metatable value when it had one). A metamethod added to a metatable after
 * setmetatable is therefore not seen; one added to a table that __index points at is, as that
 * is the same table. A light-userdata key marks shadows, and whether the original was protected. */
#define MODE_REFUSED "weak-keyed tables (__mode \"k\") are not allowed in packs (the collector " \
                     "settles their chains in quadratic time, outside the rule's limits)"

static const char *const SHADOW_EVENTS[] = {
    /* every event Lua 5.4 looks up (ltm.c), then those its libraries read (luaL_tolstring,
     * pairs); __gc is refused, __metatable is set apart */
    "__index", "__newindex", "__mode", "__len", "__eq", "__add", "__sub", "__mul", "__mod",
    "__pow", "__div", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot",
    "__lt", "__le", "__concat", "__call", "__close", "__tostring", "__name", "__pairs",
};

enum { SHADOW_WALK = 8 }; /* fields walked before looking up each event instead */

static const char SHADOW_TAG = 0; /* its address is the key */

static int ephemeron_mode(lua_State *L, int mt) {
    lua_pushliteral(L, "__mode");
    int weak = 0;
    if (lua_rawget(L, mt) == LUA_TSTRING) {
        const char *m = lua_tostring(L, -1);
        weak = strchr(m, 'k') && !strchr(m, 'v');
    }
    lua_pop(L, 1);
    return weak;
}

static int sb_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    lua_settop(L, 2);
    if (lua_getmetatable(L, 1)) { /* the current one: a shadow, or set from C */
        int prot;
        if (lua_rawgetp(L, 3, &SHADOW_TAG) != LUA_TNIL) {
            prot = lua_toboolean(L, -1);
        } else {
            lua_pushliteral(L, "__metatable");
            prot = lua_rawget(L, 3) != LUA_TNIL;
            lua_pop(L, 1);
        }
        if (prot) return luaL_error(L, "cannot change a protected metatable");
        lua_settop(L, 2);
    }
    if (t == LUA_TNIL) {
        lua_setmetatable(L, 1);
        return 1;
    }
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, GC_REFUSED);
    lua_pop(L, 1);
    if (ctl_of(L)->in_call && ephemeron_mode(L, 2)) return luaL_error(L, MODE_REFUSED);
    lua_createtable(L, 0, 4);
    /* A metatable usually holds a few fields: walking them is cheaper than looking up every
     * event. A class table whose __index is itself can hold many, and walking those would make
     * each setmetatable cost its size (and none of it is charged), so past a few it is the
     * fixed list. Copying a field that is no event does no harm: nothing reads the shadow. */
    int walked = 0, fields = 0;
    lua_pushnil(L);
    while ((walked = lua_next(L, 2)) != 0 && ++fields <= SHADOW_WALK) {
        size_t n;
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &n) : NULL;
        if (k && n > 2 && k[0] == '_' && k[1] == '_' && strcmp(k, "__metatable") != 0) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 3);
        } else {
            lua_pop(L, 1);
        }
    }
    if (walked) {
        lua_settop(L, 3);
        for (size_t i = 0; i < sizeof SHADOW_EVENTS / sizeof *SHADOW_EVENTS; i++) {
            lua_pushstring(L, SHADOW_EVENTS[i]);
            lua_pushvalue(L, -1);
            if (lua_rawget(L, 2) == LUA_TNIL)
                lua_pop(L, 2);
            else
                lua_rawset(L, 3);
        }
    }
    lua_pushliteral(L, "__metatable");
    int prot = lua_rawget(L, 2) != LUA_TNIL;
    if (!prot) {
        lua_pop(L, 1);
        lua_pushvalue(L, 2);
    }
    lua_setfield(L, 3, "__metatable");
    lua_pushboolean(L, prot);
    lua_rawsetp(L, 3, &SHADOW_TAG);
    lua_setmetatable(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* ---- coroutines ---------------------------------------------------------------------------------
 * coroutine.resume, the functions coroutine.wrap makes, and coroutine.close (which runs pending
 * __close handlers) run code on another thread. Each thread has its own hook interval, which a
 * coroutine gets from the thread that created it: one created while the state held little memory
 * keeps the full interval, and many of them, each resumed in turn for just under one interval,
 * would keep every tick from firing while each instruction compares long strings. So the
 * sandbox's versions, around running a thread: check the time limit (a cheap clock read) and end
 * a killed call; bring the thread's interval down to what the memory asks for (which drops what
 * it ran since its last tick from the count: at most one interval, once per crossing of a power
 * of two of the memory); and keep `running` exact for the allocator, also on the way back. Lua's
 * own resume and close then run in this frame, so their messages and positions are unchanged;
 * wrap's function is written out (as Lua 5.4's auxwrap) to switch back before it raises. */

/* Shortens th's interval to what the memory asks for, if it is longer: 0, or its interval. */
static int fit_interval(sbctl *c, lua_State *th) {
    if (!(lua_gethookmask(th) & LUA_MASKCOUNT)) return 0;
    int want = hook_interval(c->used), n = lua_gethookcount(th);
    if (n <= want) return n;
    lua_sethook(th, count_hook, LUA_MASKCOUNT, want);
    return want;
}

/* L is about to run code on co. */
static void switch_to(lua_State *L, lua_State *co) {
    sbctl *c = ctl_of(L);
    if (!c->in_call) return;
    if (!c->killed && c->max_ns && time_up(c)) c->killed |= KILL_TIME;
    if (c->killed) raise_kill(L, c);
    c->arm_above = interval_ceiling(fit_interval(c, co));
    c->running = co;
}

/* The code on another thread is done for now (it returned, yielded or failed): L runs again. */
static void switch_back(lua_State *L) {
    sbctl *c = ctl_of(L);
    if (!c->in_call) return;
    c->arm_above = interval_ceiling(fit_interval(c, L));
    c->running = L;
}

/* Whether closing co runs code on it: a suspended or dead coroutine's pending variables are
 * closed; a running or normal one is refused by Lua's close before anything runs. */
static int closes_on(lua_State *L, lua_State *co) {
    lua_Debug ar;
    if (co == L) return 0;
    return lua_status(co) != LUA_OK || !lua_getstack(co, 0, &ar);
}

static int sb_co_resume(lua_State *L) { /* upvalue 1: Lua's coroutine.resume */
    lua_State *co = lua_tothread(L, 1);
    lua_CFunction resume = lua_tocfunction(L, lua_upvalueindex(1));
    if (!co) return resume(L); /* its argument error */
    switch_to(L, co);
    int n = resume(L); /* raises nothing past its argument check: errors come back as values */
    switch_back(L);
    return n;
}

static int sb_co_close(lua_State *L) { /* upvalue 1: Lua's coroutine.close */
    lua_State *co = lua_tothread(L, 1);
    lua_CFunction close = lua_tocfunction(L, lua_upvalueindex(1));
    if (!co || !closes_on(L, co)) return close(L); /* its error, raised before anything runs */
    switch_to(L, co);
    int n = close(L); /* the closing is protected: errors come back as values */
    switch_back(L);
    return n;
}

/* What coroutine.wrap returns (upvalue 1: its thread): resumes the thread with the arguments and
 * returns what it yields or returns; an error in it closes its pending variables and is raised
 * here, a string message prefixed with the caller's position. */
static int sb_co_wrapped(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int narg = lua_gettop(L), nres = 0;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
    } else {
        lua_xmove(L, co, narg);
        switch_to(L, co);
        int st = lua_resume(co, L, narg, &nres);
        switch_back(L);
        if (st != LUA_OK && st != LUA_YIELD) {
            lua_xmove(co, L, 1); /* the error */
        } else if (lua_checkstack(L, nres + 1)) {
            lua_xmove(co, L, nres);
            return nres;
        } else {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
        }
    }
    int st = lua_status(co);
    if (st != LUA_OK && st != LUA_YIELD) { /* it failed: close its variables, on it */
        switch_to(L, co);
        st = lua_resetthread(co);
        switch_back(L);
        lua_xmove(co, L, 1); /* the error, or a later one from a __close */
    }
    if (st != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static int sb_co_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L); /* with L's hook and interval */
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, sb_co_wrapped, 1);
    return 1;
}

/* ---- C functions that scan a long string ------------------------------------------------------
 * One call to utf8.len, or to a lede.re, lede.phrases or lede.text search, goes over its whole
 * subject at a few ns a byte without allocating: 10,000 such calls over a 1 MB string, one hook
 * interval, are half a minute. The adaptive interval bounds work in proportion to the memory at
 * the speed of a memcmp, not this (and what allocates as it goes makes the hook tick through the
 * allocator). So in a sandboxed state these functions first check the time limit when one of
 * their first three arguments is a string of LONG_ARG bytes or more: a call over a shorter one
 * costs too little for 10,000 of them to matter, a longer one is worth a clock read. The overrun
 * is then one call. Lua's function runs in this frame, so its messages are unchanged. */
#define LONG_ARG 4096

static int sb_timed(lua_State *L) { /* upvalue 1: the function (a light C function) */
    sbctl *c = ctl_of(L);
    if (c->in_call && c->max_ns && !c->killed) {
        int n = lua_gettop(L);
        for (int i = 1; i <= n && i <= 3; i++) {
            if (lua_type(L, i) != LUA_TSTRING || lua_rawlen(L, i) < LONG_ARG) continue;
            lede_sb_check_time(L);
            break;
        }
    }
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Wraps the light C functions of the table on top of the stack in sb_timed. */
static void time_functions(lua_State *L) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (!lua_iscfunction(L, -1)) {
            lua_pop(L, 1);
        } else if (lua_getupvalue(L, -1, 1)) { /* a C closure: its upvalues need its own frame */
            lua_pop(L, 2);
        } else {
            lua_pushcclosure(L, sb_timed, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -4); /* an existing key: allowed during the traversal */
        }
    }
}

/* Wraps the functions of lede's scanning modules and of their objects' methods. */
static void time_lede(lua_State *L) {
    static const char *const modules[] = {"re", "text", "phrases", "json", "article"};
    static const char *const methods[] = {"lede.re", "lede.re.set", "lede.phrases", "lede.dom"};
    int top = lua_gettop(L);
    if (lua_getglobal(L, "lede") == LUA_TTABLE) {
        for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
            if (lua_getfield(L, -1, modules[i]) == LUA_TTABLE) time_functions(L);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
        if (luaL_getmetatable(L, methods[i]) == LUA_TTABLE && lua_getfield(L, -1, "__index") == LUA_TTABLE)
            time_functions(L);
        lua_settop(L, top);
    }
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
    c->arm_above = SIZE_MAX;
    /* seconds as ns; a limit too large to count in ns (the CLI's "none") is none */
    c->max_ns = lim->max_seconds && lim->max_seconds <= (unsigned long long)(INT64_MAX / 2000000000)
                    ? (int64_t)lim->max_seconds * 1000000000
                    : 0;
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
    lua_getglobal(L, "utf8");
    time_functions(L);
    lua_pop(L, 1);
    lua_getglobal(L, "coroutine");
    wrap_field(L, "resume", sb_co_resume);
    wrap_field(L, "close", sb_co_close);
    lua_pushcfunction(L, sb_co_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);
    lua_pushcfunction(L, sb_setmetatable);
    lua_setglobal(L, "setmetatable");
    lede_lua_install(L);
    lede_lua_set_runner(L, &SB_RUNNER);
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
    time_lede(L);
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
    helper_close(c->helper);
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

int lede_sb_time_limited(lua_State *L) {
    const sbctl *c = ctl_of(L);
    return c->in_call && c->max_ns;
}

void lede_sb_check_time(lua_State *L) {
    sbctl *c = ctl_of(L);
    if (!c->in_call || !c->max_ns) return;
    if (!c->killed && !time_up(c)) return;
    if (!c->killed) c->killed |= KILL_TIME;
    raise_kill(L, c);
}

void lede_sb_spend(lua_State *L, unsigned long long n) {
    sbctl *c = ctl_of(L);
    if (!c->in_call) return;
    if (!c->lim.max_instructions) {
        lede_sb_check_time(L);
        return;
    }
    c->count += n;
    if (c->count > c->lim.max_instructions) lede_sb_kill(L);
}

int lede_sb_kill(lua_State *L) {
    sbctl *c = ctl_of(L);
    c->killed |= KILL_INSTRUCTIONS;
    /* the same path as count_hook's where it cannot yield: a C function cannot */
    return raise_kill(L, c);
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
    int every = hook_interval(c->used);
    lua_sethook(co, count_hook, LUA_MASKCOUNT, every); /* not the creator's 1 */
    lua_rotate(L, fn, 1); /* the thread below the function, where it stays until the end */
    lua_xmove(L, co, nargs + 1);
    lua_State *saved_thread = c->thread;
    int saved_in = c->in_call;
    unsigned long long saved_count = c->count;
    calltime saved_time = c->time;
    lua_State *saved_running = c->running;
    size_t saved_arm = c->arm_above;
    c->thread = c->running = co;
    c->arm_above = interval_ceiling(every);
    c->in_call = 1;
    c->count = 0;
    c->killed = 0;
    time_start(c);
    int nr = 0;
    int st = lua_resume(co, L, nargs, &nr);
    int killed = c->killed;
    c->thread = saved_thread;
    c->in_call = saved_in;
    c->count = saved_count;
    c->time = saved_time;
    c->running = saved_running;
    c->arm_above = saved_arm;
    c->killed = 0;
    if (c->used > c->arm_above) arm_running(c); /* the outer call's thread, after this one grew */
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
