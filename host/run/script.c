/* Running an analyst's script: its own Lua state, on_start/on_article/on_finish, emit(). */
#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede.h"
#include "lede_version.h"
#include "lua/l_json.h"
#include "lua/modules.h"
#include "output/article_json.h"
#include "run/lua_state.h"

struct lede_script {
    lua_State *L;
    char *path;
    char *name; /* base name, as records show it */
    lede_article *current;
    lede_record_fn cb;
    void *ud;
    int cb_stopped;
    size_t records;
};

const char *lede_version(void) { return LEDE_VERSION_STRING; }

/* Builds the record envelope (DESIGN.md §3) around data and hands it to the callback. */
static int deliver(lede_script *s, json_t *data) {
    json_t *rec = json_object();
    if (s->current) {
        json_object_set_new(rec, "input", lede_article_input_json(s->current));
        json_object_set_new(rec, "article", lede_article_ref_json(s->current));
    } else {
        json_object_set_new(rec, "input", json_null());
        json_object_set_new(rec, "article", json_null());
    }
    json_object_set_new(rec, "script", json_string(s->name));
    json_object_set_new(rec, "data", data);
    char *line = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(rec);
    if (!line) return -1;
    s->records++;
    int rc = s->cb ? s->cb(s->ud, line, strlen(line)) : 0;
    free(line);
    return rc;
}

/* emit(t): one record whose data is t. */
static int l_emit(lua_State *L) {
    lede_script *s = lua_touserdata(L, lua_upvalueindex(1));
    luaL_checkany(L, 1);
    char err[256];
    json_t *data = lede_lua_to_json(L, 1, err, sizeof err);
    if (!data) return luaL_error(L, "emit: %s", err);
    if (deliver(s, data) != 0) {
        s->cb_stopped = 1;
        return luaL_error(L, "emit: the output refused the record (disk full or closed?)");
    }
    return 0;
}

static char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return strdup(slash ? slash + 1 : path);
}

static int call_optional(lede_script *s, const char *fn, char *err, size_t errlen) {
    if (lua_getglobal(s->L, fn) != LUA_TFUNCTION) {
        lua_pop(s->L, 1);
        return 0;
    }
    if (lede_lua_pcall_traceback(s->L, 0, err, errlen) != 0) return LEDE_ESCRIPT;
    return 0;
}

int lede_script_load(lede_script **out, const char *path, const lede_script_options *opt, char *err,
                     size_t errlen) {
    *out = NULL;
    lede_script *s = calloc(1, sizeof *s);
    if (!s || !(s->L = lede_lua_new_state(path)) || !(s->path = strdup(path)) || !(s->name = base_name(path))) {
        lede_script_free(s);
        snprintf(err, errlen, "out of memory");
        return LEDE_ENOMEM;
    }
    lua_State *L = s->L;
    lua_pushlightuserdata(L, s);
    lua_pushcclosure(L, l_emit, 1);
    lua_setglobal(L, "emit");
    lua_newtable(L);
    for (size_t i = 0; opt && i < opt->n_args; i++) {
        const char *eq = strchr(opt->args[i], '=');
        if (!eq) continue;
        lua_pushlstring(L, opt->args[i], (size_t)(eq - opt->args[i]));
        lua_pushstring(L, eq + 1);
        lua_settable(L, -3);
    }
    lua_setglobal(L, "args");

    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        /* "path:line: message", as Lua formats it for chunk "@path" */
        snprintf(err, errlen, "%s", lua_tostring(L, -1));
        lede_script_free(s);
        return LEDE_ESCRIPT;
    }
    if (lede_lua_pcall_traceback(L, 0, err, errlen) != 0) {
        lede_script_free(s);
        return LEDE_ESCRIPT;
    }
    if (lua_getglobal(L, "on_article") != LUA_TFUNCTION) {
        snprintf(err, errlen, "%s: defines no on_article(a) function", path);
        lede_script_free(s);
        return LEDE_ESCRIPT;
    }
    lua_pop(L, 1);
    *out = s;
    return 0;
}

int lede_script_start(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen) {
    s->cb = cb;
    s->ud = ud;
    return call_optional(s, "on_start", err, errlen);
}

int lede_script_run(lede_script *s, lede_article *a, lede_record_fn cb, void *ud, char *err,
                    size_t errlen) {
    lua_State *L = s->L;
    s->cb = cb;
    s->ud = ud;
    s->current = a;
    lede_lua_push_article(L, a);
    int art = lua_gettop(L);
    lua_getglobal(L, "on_article");
    lua_pushvalue(L, art);
    int rc = lede_lua_pcall_traceback(L, 1, err, errlen);
    lede_lua_article_release(L, art); /* views built later must not reach the freed article */
    lua_settop(L, art - 1);
    s->current = NULL;
    return rc == 0 ? 0 : LEDE_ESCRIPT;
}

int lede_script_finish(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen) {
    s->cb = cb;
    s->ud = ud;
    return call_optional(s, "on_finish", err, errlen);
}

size_t lede_script_records(const lede_script *s) { return s->records; }

void lede_script_free(lede_script *s) {
    if (!s) return;
    if (s->L) lua_close(s->L);
    free(s->path);
    free(s->name);
    free(s);
}
