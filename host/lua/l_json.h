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

/* 0 if every top-level field of data (the whole value when it is not an object) encodes to at
 * most max bytes of JSON (max 0 = no limit); else -1 with "field 'x' is N bytes, over the
 * M-byte field limit (--max-field-bytes)" in err. */
int lede_json_check_field_sizes(const json_t *data, size_t max, char *err, size_t errlen);

#endif
