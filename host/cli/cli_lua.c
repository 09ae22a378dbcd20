/* lede lua SCRIPT [ARGS]: run a Lua file with lede loaded, like the lua interpreter. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "run/lua_state.h"

static int run_lua(int argc, char **argv) {
    if (argc < 2) return cli_usage_error("lua", "missing SCRIPT");
    const char *path = argv[1];
    lua_State *L = lede_lua_new_state(path);
    if (!L) {
        fprintf(stderr, "lede lua: out of memory\n");
        return EXIT_FATAL;
    }
    /* arg[0] = script, arg[1..] = its arguments, as lua.c does */
    lua_createtable(L, argc - 2, 1);
    for (int i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");
    int status = EXIT_OK;
    char err[8192];
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        fprintf(stderr, "lede lua: %s\n", lua_tostring(L, -1));
        status = EXIT_USAGE;
    } else {
        for (int i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
        if (lede_lua_pcall_traceback(L, argc - 2, err, sizeof err) != 0) {
            fprintf(stderr, "lede lua: %s\n", err);
            status = EXIT_ERRORS;
        }
    }
    fflush(stdout);
    lua_close(L);
    return status;
}

const cli_command cli_lua_command = {
    "lua",
    "run a Lua file with the lede module loaded (tests, benchmarks, one-off tools)",
    "Usage: lede lua SCRIPT.lua [ARG...]\n"
    "       lede SCRIPT.lua [ARG...]\n\n"
    "Runs SCRIPT with Lua's standard libraries and the lede module (require \"lede\", also the\n"
    "global `lede`). ARGs are in the global table `arg` (arg[0] is the script) and in `...`.\n"
    "A script error prints the message with a traceback and exits 1.\n",
    run_lua,
};
