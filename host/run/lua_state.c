#include "run/lua_state.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "lua/modules.h"

static int traceback(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int lede_lua_pcall_traceback(lua_State *L, int nargs, char *err, size_t errlen) {
    int base = lua_gettop(L) - nargs; /* the function's slot */
    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    int rc = lua_pcall(L, nargs, 0, base);
    if (rc != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        snprintf(err, errlen, "%s", m ? m : "(error without a message)");
        lua_pop(L, 1);
    }
    lua_remove(L, base);
    return rc == LUA_OK ? 0 : -1;
}

lua_State *lede_lua_new_state(const char *script_path) {
    lua_State *L = luaL_newstate();
    if (!L) return NULL;
    luaL_openlibs(L);
    lede_lua_install(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede");
    if (lua_pcall(L, 1, 1, 0) == LUA_OK)
        lua_setglobal(L, "lede");
    else
        lua_pop(L, 1);
    if (script_path) {
        const char *slash = strrchr(script_path, '/');
        /* the script's own folder first, so a script can require its helpers */
        lua_getglobal(L, "package");
        lua_getfield(L, -1, "path");
        if (slash)
            lua_pushlstring(L, script_path, (size_t)(slash - script_path));
        else
            lua_pushliteral(L, ".");
        lua_pushfstring(L, "%s/?.lua;%s", lua_tostring(L, -1), lua_tostring(L, -2));
        lua_setfield(L, -4, "path");
        lua_pop(L, 3);
    }
    return L;
}
