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

/* The JSON keys of the table at idx, sorted: pushes a string-keyed copy of it (which anchors
 * the key strings; the caller pops it) and returns its keys in a malloc'd array of *n, or NULL
 * when out of memory. */
static const char **sorted_keys(lua_State *L, int idx, size_t *n) {
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
    if (!keys) return NULL;
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, tmp)) {
        lua_pop(L, 1);
        keys[k++] = lua_tostring(L, -1); /* anchored by tmp */
    }
    qsort(keys, k, sizeof *keys, cmp_keys);
    *n = k;
    return keys;
}

static json_t *object_to_json(lua_State *L, int idx, conv *c, int depth) {
    size_t k = 0;
    const char **keys = sorted_keys(L, idx, &k);
    int tmp = lua_gettop(L);
    json_t *obj = keys ? json_object() : NULL;
    if (!keys || !obj) {
        free(keys);
        json_decref(obj);
        lua_pop(L, 1);
        return fail(c, "out of memory");
    }
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

/* ---- the direct encoder -------------------------------------------------------------------
 * Records used to be built as jansson values and then dumped: for each record an object per
 * table, a sort, a copy per string, and the dump; a field-size check dumped each field once more.
 * This writes the same text straight from the Lua value (tests/unit/test_json_encode.c checks it
 * against lede_lua_to_json + json_dumps), measuring the top-level fields as it goes. */
typedef struct enc {
    lede_buf *out;
    char *err;
    size_t errlen;
    lede_buf path;
    size_t max_field;  /* 0: no limit */
    int big;           /* a top-level field is over max_field: the first, its key and length */
    char big_key[104];
    size_t big_len;
} enc;

static int enc_fail(enc *e, const char *what) {
    snprintf(e->err, e->errlen, "%s: %s", e->path.len ? e->path.data : "value", what);
    return -1;
}

/* s as a JSON string, escaped as jansson does (", \, and control characters: a short form such
 * as \n where JSON has one, else \u00 and two upper-case hex digits); s must be valid UTF-8. */
static int put_escaped(lede_buf *b, const char *s, size_t n) {
    if (lede_buf_reserve(b, n + 2) != 0 || lede_buf_putc(b, '"') != 0) return -1;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        if (lede_buf_append(b, s + run, i - run) != 0) return -1;
        run = i + 1;
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                        : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
        if (esc ? lede_buf_puts(b, esc) : lede_buf_printf(b, "\\u%04X", c)) return -1;
    }
    if (lede_buf_append(b, s + run, n - run) != 0) return -1;
    return lede_buf_putc(b, '"');
}

/* Strings are stored as jansson's string_to_json did: valid UTF-8 without NUL as is, else
 * repaired. */
int lede_json_put_string(lede_buf *b, const char *s, size_t n) {
    if (lede_utf8_valid_prefix(s, n) == n && !memchr(s, 0, n)) return put_escaped(b, s, n);
    lede_buf clean;
    lede_buf_init(&clean);
    int rc = lede_utf8_append_clean(&clean, s, n) == 0 ? put_escaped(b, clean.data ? clean.data : "", clean.len) : -1;
    lede_buf_free(&clean);
    return rc;
}

/* A finite double exactly as jansson writes a real: formatted by jansson itself (rare in
 * records, and its rules for digits and exponents are its own). */
static int enc_real(enc *e, double d) {
    json_t *r = json_real(d);
    char tmp[64];
    size_t n = r ? json_dumpb(r, tmp, sizeof tmp, JSON_ENCODE_ANY) : 0;
    json_decref(r);
    if (!n || n > sizeof tmp) return enc_fail(e, "out of memory");
    return lede_buf_append(e->out, tmp, n);
}

static int enc_value(lua_State *L, int idx, enc *e, int depth);

static int enc_object(lua_State *L, int idx, enc *e, int depth) {
    size_t k = 0;
    const char **keys = sorted_keys(L, idx, &k); /* as object_to_json */
    int tmp = lua_gettop(L);
    if (!keys) {
        lua_pop(L, 1);
        return enc_fail(e, "out of memory");
    }
    int rc = lede_buf_putc(e->out, '{');
    size_t written = 0;
    for (size_t i = 0; i < k && !rc; i++) {
        /* keys equal as C strings (cut at a NUL) are one key, the last one's value, as jansson
         * overwrote them */
        if (i + 1 < k && strcmp(keys[i], keys[i + 1]) == 0) continue;
        if (written++) rc = lede_buf_putc(e->out, ',');
        if (!rc) rc = lede_json_put_string(e->out, keys[i], strlen(keys[i]));
        if (!rc) rc = lede_buf_putc(e->out, ':');
        if (rc) break;
        size_t saved = e->path.len, at = e->out->len;
        lede_buf_printf(&e->path, "%s%s", e->path.len ? "." : "", keys[i]);
        lua_getfield(L, tmp, keys[i]);
        rc = enc_value(L, lua_gettop(L), e, depth + 1);
        lua_pop(L, 1);
        e->path.len = saved;
        if (e->path.data) e->path.data[saved] = '\0';
        if (!rc && depth == 0 && e->max_field && !e->big && e->out->len - at > e->max_field) {
            e->big = 1;
            snprintf(e->big_key, sizeof e->big_key, "%.100s", keys[i]);
            e->big_len = e->out->len - at;
        }
    }
    if (!rc) rc = lede_buf_putc(e->out, '}');
    free(keys);
    lua_pop(L, 1);
    return rc ? (e->err[0] ? -1 : enc_fail(e, "out of memory")) : 0;
}

static int enc_table(lua_State *L, int idx, enc *e, int depth) {
    if (depth > JSON_MAX_DEPTH) return enc_fail(e, "nested too deeply (a table that contains itself?)");
    luaL_checkstack(L, 6, "JSON conversion");
    lua_Integer n = array_length(L, idx);
    if (n == 0) return enc_object(L, idx, e, depth);
    int rc = lede_buf_putc(e->out, '[');
    for (lua_Integer i = 1; i <= n && !rc; i++) {
        if (i > 1) rc = lede_buf_putc(e->out, ',');
        if (rc) break;
        size_t saved = e->path.len;
        lede_buf_printf(&e->path, "[%lld]", (long long)i);
        lua_rawgeti(L, idx, i);
        rc = enc_value(L, lua_gettop(L), e, depth + 1);
        lua_pop(L, 1);
        e->path.len = saved;
        if (e->path.data) e->path.data[saved] = '\0';
    }
    if (!rc) rc = lede_buf_putc(e->out, ']');
    return rc ? (e->err[0] ? -1 : enc_fail(e, "out of memory")) : 0;
}

static int enc_value(lua_State *L, int idx, enc *e, int depth) {
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return lede_buf_puts(e->out, "null");
    case LUA_TBOOLEAN: return lede_buf_puts(e->out, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return lede_buf_printf(e->out, "%lld", (long long)lua_tointeger(L, idx));
        {
            double d = lua_tonumber(L, idx);
            return isfinite(d) ? enc_real(e, d) : lede_buf_puts(e->out, "null");
        }
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        return lede_json_put_string(e->out, s, n);
    }
    case LUA_TTABLE: return enc_table(L, idx, e, depth);
    default: {
        char what[64];
        snprintf(what, sizeof what, "cannot encode a %s as JSON", luaL_typename(L, idx));
        return enc_fail(e, what);
    }
    }
}

int lede_lua_encode_json(lua_State *L, int idx, lede_buf *out, size_t max_field, char *err, size_t errlen) {
    int top = lua_gettop(L);
    idx = lua_absindex(L, idx);
    if (errlen) err[0] = '\0';
    enc e = {out, err, errlen, {0}, max_field, 0, "", 0};
    lede_buf_init(&e.path);
    size_t start = out->len;
    int rc = enc_value(L, idx, &e, 0);
    if (rc && !err[0]) enc_fail(&e, "out of memory");
    lede_buf_free(&e.path);
    size_t total = out->len - start;
    if (!rc && max_field && total > max_field) {
        /* as lede_json_check_field_sizes: the whole value, then each top-level field */
        if (lua_type(L, idx) != LUA_TTABLE || array_length(L, idx) != 0) {
            snprintf(err, errlen, "a record of %zu bytes is over the %zu-byte field limit (--max-field-bytes)",
                     total, max_field);
            rc = -1;
        } else if (e.big) {
            snprintf(err, errlen, "field '%.100s' is %zu bytes, over the %zu-byte field limit (--max-field-bytes)",
                     e.big_key, e.big_len, max_field);
            rc = -1;
        }
    }
    lua_settop(L, top);
    return rc ? -1 : 0;
}

/* A buffer that Lua frees if an error unwinds past its user (memory limit, stack overflow). */
#define TMPBUF_MT "lede.json.tmpbuf"

static int tmpbuf_gc(lua_State *L) {
    lede_buf_free(luaL_checkudata(L, 1, TMPBUF_MT));
    return 0;
}

lede_buf *lede_lua_tmpbuf(lua_State *L) {
    lede_buf *b = lua_newuserdatauv(L, sizeof *b, 0);
    lede_buf_init(b);
    if (luaL_newmetatable(L, TMPBUF_MT)) {
        lua_pushcfunction(L, tmpbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

/* lede.json.encode(value) -> string */
static int l_encode(lua_State *L) {
    char err[256];
    luaL_checkany(L, 1);
    lede_buf *b = lede_lua_tmpbuf(L);
    if (lede_lua_encode_json(L, 1, b, 0, err, sizeof err) != 0) return luaL_error(L, "lede.json.encode: %s", err);
    lua_pushlstring(L, b->data ? b->data : "", b->len);
    lede_buf_free(b);
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
