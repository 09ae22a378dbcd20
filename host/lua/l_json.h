/* Lua values <-> jansson values. */
#ifndef LEDE_LUA_L_JSON_H
#define LEDE_LUA_L_JSON_H

#include <jansson.h>
#include <lua.h>

/* Pushes v as a Lua value: objects and arrays become tables, null becomes nil. */
void lede_lua_push_json(lua_State *L, const json_t *v);
/* Converts the Lua value at idx. A table whose keys are exactly 1..n (n > 0) becomes an array;
 * any other table an object with its keys sorted, so the same data always serialises the same.
 * Returns NULL with a message naming the path ("data.x[2]: cannot encode a function") in err. */
json_t *lede_lua_to_json(lua_State *L, int idx, char *err, size_t errlen);

#endif
