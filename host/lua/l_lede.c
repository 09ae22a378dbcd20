/* The `lede` module: one table of sub-modules, built once per Lua state and cached in the
 * registry, plus the search path that lets `require` find the shipped stdlib. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede_version.h"
#include "lua/modules.h"

typedef struct {
    const char *name;
    lua_CFunction open;
} submodule;

/* Each sub-module opener pushes its table; add new ones here. */
static const submodule SUBMODULES[] = {
    {"article", lede_lua_open_article},
    {"json", lede_lua_open_json},
    {"text", lede_lua_open_text},
    {"re", lede_lua_open_re},
    {"phrases", lede_lua_open_phrases},
};

static const char REGISTRY_KEY[] = "lede.module";

int lede_lua_open(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, REGISTRY_KEY) == LUA_TTABLE) return 1;
    lua_pop(L, 1);
    lua_newtable(L);
    for (size_t i = 0; i < sizeof SUBMODULES / sizeof *SUBMODULES; i++) {
        lua_pushcfunction(L, SUBMODULES[i].open);
        lua_call(L, 0, 1);
        lua_setfield(L, -2, SUBMODULES[i].name);
    }
    lua_pushliteral(L, LEDE_VERSION_STRING);
    lua_setfield(L, -2, "version");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, REGISTRY_KEY);
    return 1;
}

/* The stdlib directory: $LEDE_STDLIB, else the source tree's (a build run from its tree),
 * else the installed one. */
static const char *stdlib_dir(void) {
    const char *env = getenv("LEDE_STDLIB");
    if (env && *env) return env;
#ifdef LEDE_STDLIB_DIR
    {
        static const char *dirs[] = {LEDE_STDLIB_DIR, LEDE_INSTALLED_STDLIB_DIR};
        for (size_t i = 0; i < 2; i++) {
            char probe[4096];
            snprintf(probe, sizeof probe, "%s/lede", dirs[i]);
            FILE *f = fopen(probe, "r");
            if (f) {
                fclose(f);
                return dirs[i];
            }
        }
        return dirs[0];
    }
#else
    return ".";
#endif
}

static const char RUNNER_KEY = 0; /* registry key (its address) of the state's runner */

void lede_lua_set_runner(lua_State *L, const lede_lua_runner *r) {
    lua_pushlightuserdata(L, (void *)r);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
}

const lede_lua_runner *lede_lua_get_runner(lua_State *L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
    const lede_lua_runner *r = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;
}

void lede_lua_install(lua_State *L) {
    lua_getglobal(L, "package");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, lede_lua_open);
    lua_setfield(L, -2, "lede");
    lua_pop(L, 1);
    const char *dir = stdlib_dir();
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
}
