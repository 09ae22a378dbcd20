/* The sandbox a pack (or a script) runs in (DESIGN.md §4): a Lua state with a counting
 * allocator and an instruction budget, and calls into untrusted code that a limit hit ends
 * even when the code wraps itself in pcall.
 *
 * How a kill escapes pcall: every untrusted call runs in a fresh coroutine. When the budget or
 * the memory cap is exceeded the count hook yields that coroutine from inside the hook, which
 * unwinds past any pcall the code set up; where a yield is impossible (inside a C function
 * such as table.sort) the hook raises an error instead and keeps doing so on every later tick
 * until it lands where it can yield. The caller then sees the kill, whatever the code caught.
 * The hook cannot fire inside one C call either, so the library functions that can loop there
 * for long (Lua patterns, table.insert/remove/move/sort) are the sandbox's own (sb_lib.h), which
 * charge their work to the same budget and kill the same way.
 *
 * One instruction can still do much work without allocating (== between two long equal strings
 * is a memcmp), so the hook also checks a CPU-time limit per call, on the thread's own CPU clock;
 * its interval shrinks as the state's memory grows (the allocator makes it fire at once when
 * the memory crosses a mark), which bounds the work between two checks. The sandbox's
 * coroutine.resume/wrap/close check it too, since they may switch to a coroutine whose interval
 * dates from when memory was small, and so do the library functions that scan a long string
 * argument without allocating (utf8, lede.re, lede.phrases, lede.text). Finalizers would run
 * outside any call, during a collection or at lede_sb_close, so no code in the state may set a
 * metatable with __gc (the state's setmetatable refuses it); lede's userdata get their C
 * finalizers from C.
 *
 * The Lua-side environment (what globals a pack sees, read-only stdlib, restricted require)
 * is built by the trusted stdlib module lede._sandbox; this file only owns the state. */
#ifndef LEDE_SANDBOX_SANDBOX_H
#define LEDE_SANDBOX_SANDBOX_H

#include <lua.h>
#include <stddef.h>

typedef struct lede_sb_limits {
    unsigned long long max_instructions; /* per call; 0 = unlimited */
    unsigned long long max_memory;       /* bytes per state; 0 = unlimited */
    unsigned long long max_seconds;      /* CPU seconds per call; 0 (or more than 4e9) = unlimited */
} lede_sb_limits;

/* The limits from limits.h (or unlimited when `unlimited` is set), with overrides != 0. */
lede_sb_limits lede_sb_limits_make(unsigned long long max_instructions,
                                   unsigned long long max_memory, unsigned long long max_seconds,
                                   int unlimited);

/* A new state with the standard libraries and `lede`, whose allocator and hook enforce lim.
 * The string metatable is locked (getmetatable("") gives no table). NULL when out of memory.
 * Free it with lede_sb_close (not lua_close: the control block lives beside the state). */
lua_State *lede_sb_new_state(const lede_sb_limits *lim);
void lede_sb_close(lua_State *L);

/* Calls the function below nargs arguments (like lua_pcall(L, nargs, nres, ...)) as one
 * untrusted call: the budget restarts at zero, the memory cap applies, and a kill cannot be
 * caught by the callee. Returns 0 with nres results pushed, or -1 with nothing pushed and err
 * holding "message\nstack traceback:..." or, on a kill, "instruction limit hit (N
 * instructions, --max-instructions)" / "memory limit hit (N MB, --max-memory)" / "time limit
 * hit (N s of CPU, --max-seconds)". */
int lede_sb_call(lua_State *L, int nargs, int nres, char *err, size_t errlen);

/* Helper threads still running work that a call's time limit gave up on (modules.h,
 * lede_lua_runner.run), in the whole process. */
int lede_sb_stray_work(void);

/* Bytes the state holds now. */
size_t lede_sb_memory(lua_State *L);

/* ---- for the sandbox's own C library functions (sb_string.c, sb_table.c) --------------------
 * A C function that can loop for long inside one call, where the count hook never fires,
 * charges its work here instead: one step counts as one VM instruction of the current
 * untrusted call's --max-instructions budget. Outside untrusted calls nothing is counted. */

/* Steps the current untrusted call may still take (0 when spent), or -1 when no untrusted call
 * is running or it has no instruction limit: then there is nothing to count. */
long long lede_sb_budget_left(lua_State *L);

/* Charges n steps to the current untrusted call (nothing outside one); past its budget, kills
 * it as lede_sb_kill does. With no instruction budget, checks the time limit instead. */
void lede_sb_spend(lua_State *L, unsigned long long n);

/* Whether the current untrusted call has a CPU-time limit. */
int lede_sb_time_limited(lua_State *L);

/* Kills the current untrusted call (does not return) if it has used up its CPU time; a cheap
 * clock read otherwise. For C loops with no instruction budget to charge. */
void lede_sb_check_time(lua_State *L);

/* Kills the current untrusted call for its instruction budget, as the count hook does where it
 * cannot yield: raises "instruction limit hit (...)" here and again at every instruction until
 * the kill has unwound past any pcall to lede_sb_call, which reports it. Never returns. */
int lede_sb_kill(lua_State *L);

#endif
