/* The standard-library functions a sandboxed state gets in place of Lua's own, because Lua's
 * can loop for long inside one C call, where the instruction budget's count hook never fires.
 * They behave as Lua 5.4's (arguments, results, error messages) and charge their work to the
 * budget through lede_sb_spend (sandbox.h). lede_sb_new_state installs them. */
#ifndef LEDE_SANDBOX_SB_LIB_H
#define LEDE_SANDBOX_SB_LIB_H

#include <lua.h>

/* string.find, match, gmatch and gsub (sb_string.c), set into the table on top of the stack:
 * patterns run by lpattern.c, which counts its steps. */
void lede_sb_open_string(lua_State *L);

/* table.insert, remove, move and sort (sb_table.c), set into the table on top of the stack:
 * Lua's loop over as many elements as a __len metamethod or move's arguments say
 * (table.move({}, 1, math.maxinteger - 1, 2) never ends), with no allocation to stop it. */
void lede_sb_open_table(lua_State *L);

#endif
