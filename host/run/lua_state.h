/* Lua states for scripts and `lede lua`: standard libraries, the lede module, a traceback. */
#ifndef LEDE_RUN_LUA_STATE_H
#define LEDE_RUN_LUA_STATE_H

#include <lua.h>
#include <stddef.h>

/* A state with the standard libraries and `lede` (also as a global), whose package.path also
 * searches the directory of script_path (may be NULL). Returns NULL when out of memory. */
lua_State *lede_lua_new_state(const char *script_path);
/* Calls the function below nargs arguments like lua_pcall(L, nargs, 0, h) with a traceback
 * handler. On error copies "message\nstack traceback:..." into err, pops it, returns -1. */
int lede_lua_pcall_traceback(lua_State *L, int nargs, char *err, size_t errlen);

#endif
