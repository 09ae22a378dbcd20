/* The pack manifest loader: a fuzzed pack.lua read by lede._pack.read_manifest in a sandboxed
 * state, as lede_pack_info_read (host/pack/pack.c) and `lede pack check` do. The folder also
 * holds a rule file and a data file, so manifests that name them get past the existence checks
 * into the later ones.
 *
 * Oracle besides the sanitizers: read_manifest must turn every problem with a manifest into
 * its list of errors. The manifest's own code runs under pcall inside it, so an error that
 * escapes read_manifest is a bug in the loader (only a sandbox kill may end the call).
 *
 * Input: the pack.lua bytes. */
#include <lauxlib.h>
#include <lua.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "sandbox/sandbox.h"

static char dir[4096];

static void path_in(char *out, size_t n, const char *rel) { snprintf(out, n, "%s/%s", dir, rel); }

static void put(const char *rel, const char *data, size_t len) {
    char p[4200];
    path_in(p, sizeof p, rel);
    FILE *f = fopen(p, "wb");
    FZ_CHECK(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "cannot write %s", p);
}

static void cleanup(void) {
    static const char *const files[] = {"pack.lua", "rules/a.lua", "data/words.txt", "rules", "data", ""};
    char p[4200];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        path_in(p, sizeof p, files[i]);
        remove(p);
    }
}

static void setup(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/lede-fuzz-pack.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp failed");
    char p[4200];
    path_in(p, sizeof p, "rules");
    mkdir(p, 0700);
    path_in(p, sizeof p, "data");
    mkdir(p, 0700);
    put("rules/a.lua", "return {}\n", 10);
    put("data/words.txt", "sanctions\n", 10);
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!*dir) setup();
    put("pack.lua", (const char *)data, size);

    /* lede_pack_info_read's steps, with a smaller budget than the default ~1 s of Lua: an
     * infinite loop in a manifest is a normal input here and must not slow the fuzzer down. */
    lede_sb_limits lim = lede_sb_limits_make(2000000, 64u << 20, 0, 0);
    lua_State *L = lede_sb_new_state(&lim);
    FZ_CHECK(L != NULL, "no sandbox state");
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede._pack");
    FZ_CHECK(lua_pcall(L, 1, 1, 0) == LUA_OK, "require lede._pack: %s", lua_tostring(L, -1));
    lua_getfield(L, -1, "read_manifest");
    lua_pushstring(L, dir);
    char err[2048];
    if (lede_sb_call(L, 1, 2, err, sizeof err) != 0) {
        FZ_CHECK(strstr(err, "limit hit") != NULL, "read_manifest raised instead of reporting: %s", err);
    } else {
        FZ_CHECK(lua_istable(L, -1), "read_manifest returned no error list");
        lua_Integer nerr = (lua_Integer)lua_rawlen(L, -1);
        if (nerr == 0) {
            /* a clean manifest: the fields lede_pack_info_read copies out are strings */
            FZ_CHECK(lua_istable(L, -2), "no errors but no manifest");
            static const char *const fields[] = {"name", "version", "description", "tests"};
            for (size_t i = 0; i < 4; i++) {
                lua_getfield(L, -2, fields[i]);
                FZ_CHECK(lua_type(L, -1) == LUA_TSTRING, "clean manifest with a non-string %s", fields[i]);
                lua_pop(L, 1);
            }
        }
        for (lua_Integer i = 1; i <= nerr; i++) {
            lua_rawgeti(L, -1, i);
            FZ_CHECK(lua_type(L, -1) == LUA_TSTRING, "error %lld is not a string", (long long)i);
            lua_pop(L, 1);
        }
    }
    lede_sb_close(L);
    return 0;
}
