/* Lua values <-> jansson values. */
#ifndef LEDE_LUA_L_JSON_H
#define LEDE_LUA_L_JSON_H

#include <jansson.h>
#include <lua.h>

#include "util/buf.h"

/* Pushes v as a Lua value: objects and arrays become tables, null becomes nil. */
void lede_lua_push_json(lua_State *L, const json_t *v);
/* Converts the Lua value at idx (records are written by lede_lua_encode_json below; this jansson
 * form is the reference its tests compare against). A table whose keys are exactly 1..n (n > 0) becomes an array;
 * any other table an object with its keys sorted, so the same data always serialises the same.
 * Returns NULL with a message naming the path ("data.x[2]: cannot encode a function") in err. */
json_t *lede_lua_to_json(lua_State *L, int idx, char *err, size_t errlen);

/* 0 if every top-level field of data (the whole value when it is not an object) encodes to at
 * most max bytes of JSON (max 0 = no limit); else -1 with "field 'x' is N bytes, over the
 * M-byte field limit (--max-field-bytes)" in err. */
int lede_json_check_field_sizes(const json_t *data, size_t max, char *err, size_t errlen);

/* Appends the compact JSON of the Lua value at idx to out: the same text as lede_lua_to_json
 * and json_dumps(JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER), written directly. With
 * max_field > 0, also lede_json_check_field_sizes' check and message. Returns 0, or -1 with the
 * message in err (out then holds part of the text: cut it back). May raise a Lua error
 * (stack overflow, memory) like any Lua API call. */
int lede_lua_encode_json(lua_State *L, int idx, lede_buf *out, size_t max_field, char *err, size_t errlen);
/* Pushes a userdata holding an empty buffer, which Lua frees if an error unwinds past it
 * (lede_buf_free it when done; the userdata itself goes with the stack). */
lede_buf *lede_lua_tmpbuf(lua_State *L);
/* Appends s (n bytes; invalid UTF-8 and NUL bytes repaired) as a JSON string. -1 when out of
 * memory. */
int lede_json_put_string(lede_buf *b, const char *s, size_t n);

#endif
