/* The sandbox a pack (or a script) runs in (DESIGN.md §4): a Lua state with a counting
 * allocator and an instruction budget, and calls into untrusted code that a limit hit ends
 * even when the code wraps itself in pcall.
 *
 * How a kill escapes pcall: every untrusted call runs in a fresh coroutine. When the budget or
 * the memory cap is exceeded the count hook yields that coroutine from inside the hook, which
 * unwinds past any pcall the code set up; where a yield is impossible (inside a C function
 * such as table.sort) the hook raises an error instead and keeps doing so on every later tick
 * until it lands where it can yield. The caller then sees the kill, whatever the code caught.
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
} lede_sb_limits;

/* The limits from limits.h (or unlimited when `unlimited` is set), with overrides != 0. */
lede_sb_limits lede_sb_limits_make(unsigned long long max_instructions,
                                   unsigned long long max_memory, int unlimited);

/* A new state with the standard libraries and `lede`, whose allocator and hook enforce lim.
 * The string metatable is locked (getmetatable("") gives no table). NULL when out of memory.
 * Free it with lede_sb_close (not lua_close: the control block lives beside the state). */
lua_State *lede_sb_new_state(const lede_sb_limits *lim);
void lede_sb_close(lua_State *L);

/* Calls the function below nargs arguments (like lua_pcall(L, nargs, nres, ...)) as one
 * untrusted call: the budget restarts at zero, the memory cap applies, and a kill cannot be
 * caught by the callee. Returns 0 with nres results pushed, or -1 with nothing pushed and err
 * holding "message\nstack traceback:..." or, on a kill, "instruction limit hit (N
 * instructions, --max-instructions)" / "memory limit hit (N MB, --max-memory)". */
int lede_sb_call(lua_State *L, int nargs, int nres, char *err, size_t errlen);

/* Bytes the state holds now. */
size_t lede_sb_memory(lua_State *L);

#endif
