#include "lua/l_json.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/modules.h"
#include "util/buf.h"
#include "util/utf8.h"

#define JSON_MAX_DEPTH 200

void lede_lua_push_json(lua_State *L, const json_t *v) {
    luaL_checkstack(L, 4, "JSON too deeply nested");
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        lua_createtable(L, 0, (int)json_object_size(v));
        json_object_foreach((json_t *)v, k, x) {
            lede_lua_push_json(L, x);
            lua_setfield(L, -2, k);
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;
        lua_createtable(L, (int)json_array_size(v), 0);
        json_array_foreach(v, i, x) {
            lede_lua_push_json(L, x);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING: lua_pushlstring(L, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
}

typedef struct {
    char *err;
    size_t errlen;
    lede_buf path;
} conv;

static json_t *to_json(lua_State *L, int idx, conv *c, int depth);

static json_t *fail(conv *c, const char *what) {
    snprintf(c->err, c->errlen, "%s: %s", c->path.len ? c->path.data : "value", what);
    return NULL;
}

static json_t *string_to_json(lua_State *L, int idx) {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    if (lede_utf8_valid_prefix(s, n) == n && !memchr(s, 0, n)) return json_stringn(s, n);
    lede_buf b;
    lede_buf_init(&b);
    json_t *j = lede_utf8_append_clean(&b, s, n) == 0 ? json_stringn(b.data, b.len) : NULL;
    lede_buf_free(&b);
    return j;
}

/* Length n if the table at idx is a sequence 1..n with no other keys, else 0. */
static lua_Integer array_length(lua_State *L, int idx) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (n == 0) return 0;
    lua_Integer count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k < 1 || k > n) {
            lua_pop(L, 1);
            return 0;
        }
        count++;
    }
    return count == n ? n : 0;
}


/* Pushes the JSON key for the Lua key on top of the stack, or nothing (returns 0) for keys
 * with no JSON form (booleans, tables), which are skipped rather than failing the record. */
static int push_key_string(lua_State *L) {
    if (lua_type(L, -1) == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        return 1;
    }
    if (lua_type(L, -1) != LUA_TNUMBER) return 0;
    if (lua_isinteger(L, -1))
        lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, -1));
    else
        lua_pushfstring(L, "%f", lua_tonumber(L, -1));
    return 1;
}

static int cmp_keys(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *object_to_json(lua_State *L, int idx, conv *c, int depth) {
    /* copy into a string-keyed table (anchoring the key strings), then emit keys sorted */
    lua_newtable(L);
    int tmp = lua_gettop(L);
    size_t nkeys = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        if (push_key_string(L)) {
            lua_remove(L, -2);
            lua_pushvalue(L, -2);
            lua_rawset(L, tmp);
            nkeys++;
        } else {
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    const char **keys = malloc((nkeys ? nkeys : 1) * sizeof *keys);
    json_t *obj = json_object();
    if (!keys || !obj) {
        free(keys);
        json_decref(obj);
        lua_pop(L, 1);
        return fail(c, "out of memory");
    }
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, tmp)) {
        lua_pop(L, 1);
        keys[k++] = lua_tostring(L, -1); /* anchored by tmp */
    }
    qsort(keys, k, sizeof *keys, cmp_keys);
    for (size_t i = 0; i < k; i++) {
        size_t saved = c->path.len;
        lede_buf_printf(&c->path, "%s%s", c->path.len ? "." : "", keys[i]);
        lua_getfield(L, tmp, keys[i]);
        json_t *v = to_json(L, lua_gettop(L), c, depth + 1);
        lua_pop(L, 1);
        c->path.len = saved;
        if (c->path.data) c->path.data[saved] = '\0';
        if (!v || json_object_set_new(obj, keys[i], v) != 0) {
            free(keys);
            json_decref(obj);
            lua_pop(L, 1);
            return NULL;
        }
    }
    free(keys);
    lua_pop(L, 1);
    return obj;
}

static json_t *table_to_json(lua_State *L, int idx, conv *c, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(c, "nested too deeply (a table that contains itself?)");
    luaL_checkstack(L, 6, "JSON conversion");
    lua_Integer n = array_length(L, idx);
    if (n == 0) return object_to_json(L, idx, c, depth);
    json_t *arr = json_array();
    if (!arr) return fail(c, "out of memory");
    for (lua_Integer i = 1; i <= n; i++) {
        size_t saved = c->path.len;
        lede_buf_printf(&c->path, "[%lld]", (long long)i);
        lua_rawgeti(L, idx, i);
        json_t *v = to_json(L, lua_gettop(L), c, depth + 1);
        lua_pop(L, 1);
        c->path.len = saved;
        if (c->path.data) c->path.data[saved] = '\0';
        if (!v || json_array_append_new(arr, v) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *to_json(lua_State *L, int idx, conv *c, int depth) {
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return json_null();
    case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return json_integer((json_int_t)lua_tointeger(L, idx));
        {
            double d = lua_tonumber(L, idx);
            return isfinite(d) ? json_real(d) : json_null();
        }
    case LUA_TSTRING: return string_to_json(L, idx);
    case LUA_TTABLE: return table_to_json(L, idx, c, depth);
    default: {
        char what[64];
        snprintf(what, sizeof what, "cannot encode a %s as JSON", luaL_typename(L, idx));
        return fail(c, what);
    }
    }
}

json_t *lede_lua_to_json(lua_State *L, int idx, char *err, size_t errlen) {
    conv c = {err, errlen, {0}};
    lede_buf_init(&c.path);
    idx = lua_absindex(L, idx);
    json_t *j = to_json(L, idx, &c, 0);
    lede_buf_free(&c.path);
    return j;
}

/* lede.json.encode(value) -> string */
static int l_encode(lua_State *L) {
    char err[256];
    luaL_checkany(L, 1);
    json_t *j = lede_lua_to_json(L, 1, err, sizeof err);
    if (!j) return luaL_error(L, "lede.json.encode: %s", err);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s) return luaL_error(L, "lede.json.encode: out of memory");
    lua_pushstring(L, s);
    free(s);
    return 1;
}

/* lede.json.decode(string) -> value; raises an error naming line and column. */
static int l_decode(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    json_error_t e;
    json_t *j = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!j) return luaL_error(L, "lede.json.decode: line %d column %d: %s", e.line, e.column, e.text);
    lede_lua_push_json(L, j);
    json_decref(j);
    return 1;
}

/* JSON_COMPACT | JSON_ENCODE_ANY, as records are written. */
static size_t json_size(const json_t *v) { return json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY); }

int lede_json_check_field_sizes(const json_t *data, size_t max, char *err, size_t errlen) {
    /* the whole value first: nearly every record is far below the cap, and then no field is over */
    if (!max || json_size(data) <= max) return 0;
    if (!json_is_object(data)) {
        snprintf(err, errlen, "a record of %zu bytes is over the %zu-byte field limit (--max-field-bytes)",
                 json_size(data), max);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)data, k, v) {
        size_t n = json_size(v);
        if (n > max) {
            snprintf(err, errlen, "field '%.100s' is %zu bytes, over the %zu-byte field limit (--max-field-bytes)",
                     k, n, max);
            return -1;
        }
    }
    return 0;
}

int lede_lua_open_json(lua_State *L) {
    static const luaL_Reg fns[] = {{"encode", l_encode}, {"decode", l_decode}, {NULL, NULL}};
    luaL_newlib(L, fns);
    return 1;
}
