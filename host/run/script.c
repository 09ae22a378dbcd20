/* Running an analyst's script or a rule pack: one sandboxed Lua state per lede_script
 * (docs/packs.md). A script defines on_start/on_article/on_finish and calls emit(); a pack's
 * rules run through the rule engine and their extract(m, a) results become records. */
#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede.h"
#include "lede_version.h"
#include "limits.h"
#include "lua/l_json.h"
#include "lua/modules.h"
#include "output/article_json.h"
#include "pack/pack.h"
#include "rules/l_ruleset.h"
#include "run/script.h"
#include "sandbox/sandbox.h"
#include "text/re.h"

struct lede_script {
    lua_State *L;
    char *path;
    char *name; /* the script's base name, or the pack's "name@version", as records show it */
    lede_article *current;
    lede_record_fn cb;
    void *ud;
    int cb_stopped;
    size_t records;
    size_t max_records, call_records;
    size_t max_tokens, max_field_bytes; /* 0 = none */
    lede_re_limits relim;
    int with_units;
    int env_ref; /* a script's environment */
    /* packs */
    int is_pack;
    lede_pack_src src;
    int rules_ref; /* the loader's list of rule tables (extract functions live there) */
    int reset_ref; /* the loader's reset(): puts every pack's globals back after an article */
    size_t npacks;
    size_t *rule_packno; /* per rule: which pack (0 .. npacks-1) declared it */
    lede_ruleset *rs;
    lede_rule_scan *scan;
    size_t nrules;
    char **rule_pack; /* per rule: "name@version" of the pack that declared it */
    /* '{"input":...,"article":...' of every record of the current article, made once for it */
    lede_buf head;
    unsigned long long article_no, head_no; /* lede_script_run calls so far; head's call */
};

const char *lede_version(void) { return LEDE_VERSION_STRING; }

static int fail(char *err, size_t errlen, int code, const char *msg) {
    snprintf(err, errlen, "%s", msg);
    return code;
}

/* Builds the record envelope (DESIGN.md §3) around data (its JSON text) and hands it to the
 * callback: {"input":…,"article":…,"pack":…,"rule":…[,"unit":…],"data":…} for a pack's rule,
 * "script" in place of pack and rule for a script; compact, in that order. */
static int deliver(lede_script *s, const char *pack, const char *rule, json_t *unit, const char *data, size_t dlen) {
    if (!s->head.len || s->head_no != s->article_no) {
        lede_buf_clear(&s->head);
        json_t *in = s->current ? lede_article_input_json(s->current) : json_null();
        json_t *art = s->current ? lede_article_ref_json(s->current) : json_null();
        char *a = in ? json_dumps(in, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
        char *b = art ? json_dumps(art, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
        json_decref(in);
        json_decref(art);
        int rc = !a || !b || lede_buf_printf(&s->head, "{\"input\":%s,\"article\":%s", a, b);
        free(a);
        free(b);
        if (rc) {
            lede_buf_clear(&s->head);
            return -1;
        }
        s->head_no = s->article_no;
    }
    lede_buf line;
    lede_buf_init(&line);
    int rc = lede_buf_reserve(&line, s->head.len + dlen + 256) || lede_buf_append(&line, s->head.data, s->head.len);
    if (pack) {
        rc = rc || lede_buf_puts(&line, ",\"pack\":") || lede_json_put_string(&line, pack, strlen(pack)) ||
             lede_buf_puts(&line, ",\"rule\":") || lede_json_put_string(&line, rule, strlen(rule));
        if (unit && !rc) {
            char *u = json_dumps(unit, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
            rc = !u || lede_buf_puts(&line, ",\"unit\":") || lede_buf_puts(&line, u);
            free(u);
        }
    } else {
        rc = rc || lede_buf_puts(&line, ",\"script\":") || lede_json_put_string(&line, s->name, strlen(s->name));
    }
    rc = rc || lede_buf_puts(&line, ",\"data\":") || lede_buf_append(&line, data, dlen) || lede_buf_putc(&line, '}');
    if (!rc) {
        s->records++;
        rc = s->cb ? s->cb(s->ud, line.data, line.len) : 0;
    }
    lede_buf_free(&line);
    return rc;
}

/* emit(t): one record whose data is t. */
static int l_emit(lua_State *L) {
    lede_script *s = lua_touserdata(L, lua_upvalueindex(1));
    luaL_checkany(L, 1);
    if (s->max_records && ++s->call_records > s->max_records)
        return luaL_error(L, "emit: record limit hit (%d records in one call, --max-records)", (int)s->max_records);
    char err[256];
    lede_buf *data = lede_lua_tmpbuf(L);
    if (lede_lua_encode_json(L, 1, data, s->max_field_bytes, err, sizeof err) != 0) return luaL_error(L, "emit: %s", err);
    int rc = deliver(s, NULL, NULL, NULL, data->data ? data->data : "", data->len);
    lede_buf_free(data);
    if (rc != 0) {
        s->cb_stopped = 1;
        return luaL_error(L, "emit: the output refused the record (disk full or closed?)");
    }
    return 0;
}

static char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return strdup(slash ? slash + 1 : path);
}

static char *dir_name(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    char *d = strndup(path, (size_t)(slash - path));
    return d;
}

/* Installs the state's regex and token limits (in a protected call: both allocate). */
static int set_state_limits(lua_State *L) {
    lede_script *s = lua_touserdata(L, 1);
    lede_lua_re_set_limits(L, &s->relim);
    lede_lua_set_max_tokens(L, s->max_tokens);
    return 0;
}

static lede_script *script_new(const char *path, const lede_script_options *opt) {
    lede_script *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->env_ref = s->rules_ref = s->reset_ref = LUA_NOREF;
    int unlimited = opt && opt->unlimited;
    lede_sb_limits lim = lede_sb_limits_make(opt ? opt->max_instructions : 0, opt ? opt->max_memory : 0,
                                             opt ? opt->max_seconds : 0, unlimited);
    s->max_records = unlimited ? 0 : opt && opt->max_records ? opt->max_records : LEDE_DEFAULT_MAX_RECORDS_PER_CALL;
    s->max_tokens = unlimited ? 0 : opt && opt->max_tokens ? opt->max_tokens : LEDE_DEFAULT_MAX_TOKENS;
    s->max_field_bytes = unlimited ? 0 : opt && opt->max_field_bytes ? opt->max_field_bytes
                                                                     : LEDE_DEFAULT_MAX_FIELD_BYTES;
    /* PCRE2 needs some bound whatever --no-limits says; "none" is UINT32_MAX from the flag */
    s->relim = lede_re_default_limits();
    if (opt && opt->re_match_limit) s->relim.match = opt->re_match_limit;
    if (opt && opt->re_depth_limit) s->relim.depth = opt->re_depth_limit;
    if (opt && opt->re_heap_kib) s->relim.heap_kib = opt->re_heap_kib;
    s->with_units = opt && opt->with_units;
    if (!(s->L = lede_sb_new_state(&lim)) || !(s->path = strdup(path))) {
        lede_script_free(s);
        return NULL;
    }
    lua_pushcfunction(s->L, set_state_limits);
    lua_pushlightuserdata(s->L, s);
    if (lua_pcall(s->L, 1, 0, 0) != LUA_OK) {
        lede_script_free(s);
        return NULL;
    }
    return s;
}

/* Pushes a table of --arg KEY=VALUE strings: as a map for scripts, as the list for packs. */
static void push_args(lua_State *L, const lede_script_options *opt, int as_list) {
    lua_newtable(L);
    for (size_t i = 0; opt && i < opt->n_args; i++) {
        const char *eq = strchr(opt->args[i], '=');
        if (!eq) continue;
        if (as_list) {
            lua_pushstring(L, opt->args[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            continue;
        }
        lua_pushlstring(L, opt->args[i], (size_t)(eq - opt->args[i]));
        lua_pushstring(L, eq + 1);
        lua_settable(L, -3);
    }
}

/* Calls lede._sandbox.new_env{...} for a script; leaves the environment on the stack. */
static int script_env(lede_script *s, const lede_script_options *opt, char *err, size_t errlen) {
    lua_State *L = s->L;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede._sandbox");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) return fail(err, errlen, LEDE_ESCRIPT, lua_tostring(L, -1));
    lua_getfield(L, -1, "new_env");
    lua_remove(L, -2);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, s->name);
    lua_setfield(L, -2, "name");
    char *dir = dir_name(s->path);
    lua_pushstring(L, dir ? dir : ".");
    free(dir);
    lua_setfield(L, -2, "dir");
    lua_pushboolean(L, opt && (opt->grants & LEDE_GRANT_IO));
    lua_setfield(L, -2, "grants_io");
    lua_pushliteral(L, "a script");
    lua_setfield(L, -2, "what");
    lua_createtable(L, 0, 2);
    lua_pushlightuserdata(L, s);
    lua_pushcclosure(L, l_emit, 1);
    lua_setfield(L, -2, "emit");
    push_args(L, opt, 0);
    lua_setfield(L, -2, "args");
    lua_setfield(L, -2, "globals");
    return lede_sb_call(L, 1, 1, err, errlen) == 0 ? 0 : LEDE_ESCRIPT;
}

static int load_script(lede_script *s, const lede_script_options *opt, char *err, size_t errlen) {
    lua_State *L = s->L;
    if (!(s->name = base_name(s->path))) return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    int rc = script_env(s, opt, err, errlen);
    if (rc) return rc;
    s->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (luaL_loadfilex(L, s->path, "t") != LUA_OK) /* "path:line: message" */
        return fail(err, errlen, LEDE_ESCRIPT, lua_tostring(L, -1));
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->env_ref);
    lua_setupvalue(L, -2, 1); /* the chunk's _ENV */
    if (lede_sb_call(L, 0, 0, err, errlen) != 0) return LEDE_ESCRIPT;
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->env_ref);
    int t = lua_getfield(L, -1, "on_article");
    lua_pop(L, 2);
    if (t != LUA_TFUNCTION) {
        snprintf(err, errlen, "%s: defines no on_article(a) function", s->path);
        return LEDE_ESCRIPT;
    }
    return 0;
}

/* Joins the loader's error list (at the top of the stack) into err. */
static void join_errors(lua_State *L, char *err, size_t errlen) {
    size_t used = 0;
    err[0] = 0;
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        int n = snprintf(err + used, errlen - used, "%s%s", used ? "\n" : "", lua_tostring(L, -1));
        lua_pop(L, 1);
        if (n < 0 || (size_t)n >= errlen - used) {
            lua_pushnil(L); /* stands for the value the loop condition would have left */
            break;
        }
        used += (size_t)n;
    }
    lua_pop(L, 2); /* the value that ended the loop, and the list */
}

/* Runs lede._pack.load(dir, opts) in the sandbox; leaves its result table on the stack. */
static int run_loader(lede_script *s, const lede_script_options *opt, char *err, size_t errlen) {
    lua_State *L = s->L;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede._pack");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) return fail(err, errlen, LEDE_ESCRIPT, lua_tostring(L, -1));
    lua_getfield(L, -1, "load");
    lua_remove(L, -2);
    lua_pushstring(L, s->src.dir);
    lua_createtable(L, 0, 2);
    push_args(L, opt, 1);
    lua_setfield(L, -2, "args");
    char pp[4096];
    lua_pushstring(L, lede_pack_path(opt ? opt->pack_path : NULL, pp, sizeof pp));
    lua_setfield(L, -2, "pack_path");
    if (lede_sb_call(L, 2, 2, err, errlen) != 0) return LEDE_ESCRIPT;
    if (lua_rawlen(L, -1) > 0) {
        join_errors(L, err, errlen);
        return LEDE_ESCRIPT;
    }
    lua_pop(L, 1);
    return 0;
}

/* After loader errors: compiles what did load, adding pattern errors, so one `lede pack check`
 * reports every mistake. */
static void append_compile_errors(lede_script *s, char *err, size_t errlen) {
    lua_State *L = s->L;
    if (!lua_istable(L, -1)) return;
    if (lua_getfield(L, -1, "rules") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    size_t used = strlen(err);
    lede_ruleset *rs = NULL;
    if (used + 2 < errlen && lede_lua_ruleset_compile(L, -1, &rs, err + used + 1, errlen - used - 1) != 0)
        err[used] = '\n';
    lede_ruleset_free(rs);
    lua_pop(L, 1);
}

/* Records pack ids per rule and the pack's display name (the top pack, loaded last). */
static int index_rules(lede_script *s) {
    lua_State *L = s->L;
    lua_getfield(L, -1, "packs");
    lua_rawgeti(L, -1, (lua_Integer)lua_rawlen(L, -1));
    lua_getfield(L, -1, "id");
    s->name = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 3);
    lua_getfield(L, -1, "rules");
    s->nrules = lua_rawlen(L, -1);
    s->rule_pack = calloc(s->nrules + 1, sizeof *s->rule_pack);
    s->rule_packno = calloc(s->nrules + 1, sizeof *s->rule_packno);
    if (!s->name || !s->rule_pack || !s->rule_packno) return -1;
    for (size_t i = 0; i < s->nrules; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        lua_getfield(L, -1, "pack");
        s->rule_pack[i] = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_pop(L, 2);
        if (!s->rule_pack[i]) return -1;
        /* a pack's rules are listed together (the loader appends them pack by pack) */
        s->npacks += i == 0 || strcmp(s->rule_pack[i], s->rule_pack[i - 1]) != 0;
        s->rule_packno[i] = s->npacks - 1;
    }
    lua_pop(L, 1);
    return 0;
}

/* Takes proto's compiled rules when this load declared the same rules, id for id. */
static int share_rules(lede_script *s, const lede_script *proto, char *err, size_t errlen) {
    int same = proto->is_pack && proto->rs && proto->nrules == s->nrules && !strcmp(proto->name, s->name);
    for (size_t i = 0; same && i < s->nrules; i++) {
        lua_rawgeti(s->L, -1, (lua_Integer)i + 1);
        lua_getfield(s->L, -1, "id");
        const char *id = lua_tostring(s->L, -1);
        same = id && !strcmp(id, lede_ruleset_rule_id(proto->rs, i));
        lua_pop(s->L, 2);
    }
    if (!same) {
        snprintf(err, errlen, "%s: the pack declared other rules on a second load (rules must not depend "
                 "on anything but the pack's files and args)", s->name);
        return LEDE_ESCRIPT;
    }
    s->rs = lede_ruleset_retain(proto->rs);
    return 0;
}

static int load_pack(lede_script *s, const lede_script_options *opt, const lede_script *proto, char *err,
                     size_t errlen) {
    lua_State *L = s->L;
    int rc = run_loader(s, opt, err, errlen);
    if (rc) {
        append_compile_errors(s, err, errlen);
        return rc;
    }
    if (index_rules(s) != 0) return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    lua_getfield(L, -1, "reset");
    s->reset_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, "rules");
    if (proto ? share_rules(s, proto, err, errlen) != 0 : lede_lua_ruleset_compile(L, -1, &s->rs, err, errlen) != 0)
        return LEDE_ESCRIPT;
    s->rules_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    if (!(s->scan = lede_rule_scan_new(s->rs, &s->relim))) return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    return 0;
}

int lede_script_load(lede_script **out, const char *path, const lede_script_options *opt, char *err,
                     size_t errlen) {
    return lede_script_load_like(out, path, opt, NULL, err, errlen);
}

int lede_script_load_like(lede_script **out, const char *path, const lede_script_options *opt,
                          const lede_script *proto, char *err, size_t errlen) {
    *out = NULL;
    lede_pack_src src = {0};
    int is_pack = lede_pack_resolve(path, opt ? opt->pack_path : NULL, &src, err, errlen);
    if (is_pack < 0) return LEDE_ESCRIPT;
    lede_script *s = script_new(path, opt);
    if (!s) {
        lede_pack_src_free(&src);
        return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    }
    s->is_pack = is_pack;
    s->src = src;
    int rc = is_pack ? load_pack(s, opt, proto, err, errlen) : load_script(s, opt, err, errlen);
    if (rc) {
        lede_script_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

const char *lede_script_name(const lede_script *s) { return s->name; }
size_t lede_script_rules(const lede_script *s) { return s->is_pack ? s->nrules : 0; }
const char *lede_script_rule_id(const lede_script *s, size_t i) {
    return s->is_pack && i < s->nrules ? lede_ruleset_rule_id(s->rs, i) : NULL;
}

/* Calls a script's global fn (if defined) with the values above it: 0, or LEDE_ESCRIPT. */
static int call_global(lede_script *s, const char *fn, int nargs, int optional, char *err, size_t errlen) {
    lua_State *L = s->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->env_ref);
    int t = lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    if (t != LUA_TFUNCTION) {
        lua_pop(L, 1 + nargs);
        return optional ? 0 : fail(err, errlen, LEDE_ESCRIPT, "the script lost its on_article function");
    }
    lua_insert(L, -1 - nargs);
    s->call_records = 0;
    return lede_sb_call(L, nargs, 0, err, errlen) == 0 ? 0 : LEDE_ESCRIPT;
}

int lede_script_start(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen) {
    s->cb = cb;
    s->ud = ud;
    return s->is_pack ? 0 : call_global(s, "on_start", 0, 1, err, errlen);
}

static int pack_run_article(lede_script *s, int art, char *err, size_t errlen);

int lede_script_run(lede_script *s, lede_article *a, lede_record_fn cb, void *ud, char *err, size_t errlen) {
    lua_State *L = s->L;
    s->cb = cb;
    s->ud = ud;
    s->current = a;
    s->article_no++;
    int top = lua_gettop(L);
    lede_lua_push_article(L, a);
    int art = lua_gettop(L);
    int rc;
    if (s->is_pack) {
        rc = pack_run_article(s, art, err, errlen);
    } else {
        lua_pushvalue(L, art);
        rc = call_global(s, "on_article", 1, 0, err, errlen);
    }
    lede_lua_article_release(L, art); /* views built later must not reach the freed article */
    lua_settop(L, top);
    s->current = NULL;
    s->article_no++;
    return rc;
}

int lede_script_finish(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen) {
    s->cb = cb;
    s->ud = ud;
    return s->is_pack ? 0 : call_global(s, "on_finish", 0, 1, err, errlen);
}

size_t lede_script_records(const lede_script *s) { return s->records; }

void lede_script_free(lede_script *s) {
    if (!s) return;
    lede_rule_scan_free(s->scan);
    lede_ruleset_free(s->rs);
    if (s->L) lede_sb_close(s->L);
    for (size_t i = 0; s->rule_pack && i < s->nrules; i++) free(s->rule_pack[i]);
    free(s->rule_pack);
    free(s->rule_packno);
    lede_pack_src_free(&s->src);
    free(s->path);
    free(s->name);
    lede_buf_free(&s->head);
    free(s);
}

/* ---- packs: one article through every rule ------------------------------------------------- */
typedef struct pending {
    size_t rule;
    char *data; /* the record's data as JSON text */
    size_t len;
    json_t *unit;
} pending;

typedef struct pack_run {
    lede_script *s;
    int art;       /* the article table lede_script_run pushed, for the first pack that asks */
    int *pack_art; /* per pack: the stack index of its own article table, or 0 */
    pending *v;
    size_t n, cap;
    char **failed; /* per rule: why it failed on this article (malloc'd), or NULL */
    unsigned char *called; /* per rule: an article-scope rule already ran on this article */
    int oom;
} pack_run;

static void rule_failed(pack_run *r, size_t rule, const char *msg) {
    /* one line per failed rule: the message names the rule file and line already, and a
     * traceback per rule and article would drown the run's error stream */
    const char *tb = strstr(msg, "\nstack traceback:");
    if (!r->failed[rule]) r->failed[rule] = tb ? strndup(msg, (size_t)(tb - msg)) : strdup(msg);
    if (!r->failed[rule]) r->oom = 1;
}

static int push_pending(pack_run *r, size_t rule, char *data, size_t len, json_t *unit) {
    pending *grown = lede_grow(r->v, r->n, &r->cap, sizeof *grown, 16);
    if (!grown) return -1;
    r->v = grown;
    r->v[r->n++] = (pending){rule, data, len, unit ? json_incref(unit) : NULL};
    return 0;
}

/* The records of one extract result (at the top of the stack): nil/false -> none, a table ->
 * one, a list of tables -> one each. */
static int collect(pack_run *r, size_t rule, json_t *unit) {
    lua_State *L = r->s->L;
    int t = lua_type(L, -1);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) return 0;
    if (t != LUA_TTABLE) {
        rule_failed(r, rule, "extract must return a table, a list of tables, or nil");
        return 0;
    }
    int list = lua_rawgeti(L, -1, 1) == LUA_TTABLE;
    lua_pop(L, 1);
    lua_pushnil(L);
    if (!lua_next(L, -2)) return 0; /* {}: an empty list, no records */
    lua_pop(L, 2);
    lua_Integer n = list ? (lua_Integer)lua_rawlen(L, -1) : 1;
    if (r->s->max_records && (size_t)n > r->s->max_records) {
        char m[128];
        snprintf(m, sizeof m, "record limit hit (%lld records from one call, --max-records)", (long long)n);
        rule_failed(r, rule, m);
        return 0;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        if (list) lua_rawgeti(L, -1, i);
        char e[256];
        lede_buf *b = lede_lua_tmpbuf(L);
        int bad = lede_lua_encode_json(L, -2, b, r->s->max_field_bytes, e, sizeof e);
        size_t len = b->len;
        char *data = bad ? NULL : lede_buf_detach(b, &len);
        lede_buf_free(b);
        lua_pop(L, list ? 2 : 1); /* the buffer, and the list item */
        if (bad) {
            rule_failed(r, rule, e);
            return 0;
        }
        if (push_pending(r, rule, data, len, unit)) {
            free(data);
            return -1;
        }
    }
    return 0;
}

/* A rule without extract: its data is {text = the unit, hits = {...}}. */
static void push_default_data(lua_State *L) {
    lua_createtable(L, 0, 2);
    lua_getfield(L, -2, "text");
    lua_setfield(L, -2, "text");
    lua_getfield(L, -2, "hits");
    lua_setfield(L, -2, "hits");
    lua_remove(L, -2);
}

static json_t *unit_json(const lede_match_ctx *ctx, const lede_rule_match *m) {
    json_t *u = json_object();
    json_object_set_new(u, "field", json_string(lede_field_names[ctx->field]));
    if (ctx->item) json_object_set_new(u, "item", json_integer(ctx->item));
    json_object_set_new(u, "start", json_integer((json_int_t)m->start + 1));
    json_object_set_new(u, "stop", json_integer((json_int_t)(m->start + m->len)));
    return u;
}

/* The stack index of the article table rule's pack sees. Every pack gets its own table, so
 * what one pack writes into `a` (or into the views it built, a.tokens...) no other pack reads;
 * it is pushed on first use and stays on the stack until the article is done. 0 = no memory. */
static int pack_article(pack_run *r, size_t rule) {
    size_t k = r->s->rule_packno[rule];
    if (r->pack_art[k]) return r->pack_art[k];
    if (r->art) {
        r->pack_art[k] = r->art;
        r->art = 0;
    } else {
        if (!lua_checkstack(r->s->L, 8)) return 0;
        lede_lua_push_article(r->s->L, r->s->current);
        r->pack_art[k] = lua_gettop(r->s->L);
    }
    return r->pack_art[k];
}

static int run_match(pack_run *r, size_t i, lede_match_ctx *ctx) {
    lede_script *s = r->s;
    lua_State *L = s->L;
    const lede_rule_match *m = lede_rule_scan_match(s->scan, i);
    if (r->failed[m->rule]) return 0;
    if (lede_ruleset_rule_scope(s->rs, m->rule) == LEDE_SCOPE_ARTICLE) {
        /* the article is one unit whichever of its fields matched first: one call per article */
        if (r->called[m->rule]) return 0;
        r->called[m->rule] = 1;
    }
    int art = pack_article(r, m->rule); /* before anything else is pushed: it must stay below */
    if (!art) return -1;
    ctx->rule_id = lede_ruleset_rule_id(s->rs, m->rule);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->rules_ref);
    lua_rawgeti(L, -1, (lua_Integer)m->rule + 1);
    lua_getfield(L, -1, "scope");
    const char *scope = lua_tostring(L, -1);
    ctx->scope = scope && !strcmp(scope, "article") ? LEDE_SCOPE_ARTICLE
                 : scope && !strcmp(scope, "paragraph") ? LEDE_SCOPE_PARAGRAPH : LEDE_SCOPE_SENTENCE;
    lua_pop(L, 1);
    int has_extract = lua_getfield(L, -1, "extract") == LUA_TFUNCTION;
    lua_remove(L, -2);
    lua_remove(L, -2);
    lede_lua_push_match(L, s->scan, i, ctx);
    int ok = 1;
    if (has_extract) {
        lua_pushvalue(L, art);
        char e[4096];
        if (lede_sb_call(L, 2, 1, e, sizeof e) != 0) {
            rule_failed(r, m->rule, e);
            ok = 0;
        }
    } else {
        lua_remove(L, -2);
        push_default_data(L);
    }
    if (!ok) return 0;
    json_t *unit = s->with_units ? unit_json(ctx, m) : NULL;
    int rc = collect(r, m->rule, unit);
    json_decref(unit);
    lua_pop(L, 1);
    return rc;
}

/* Scans one text of the article (one field, or one item of a list field). */
static int run_text(pack_run *r, unsigned field, long item, const char *text, size_t n, const lede_span *paras,
                    size_t np) {
    lede_script *s = r->s;
    if (!text) return 0;
    if (lede_rule_scan_run(s->scan, field, text, n, paras, np) != 0) return -1;
    for (size_t k = 0; k < s->nrules; k++) {
        const char *why = lede_rule_scan_error(s->scan, k);
        if (why) rule_failed(r, k, why);
    }
    lede_match_ctx ctx = {field, item, text, NULL, 0};
    if (n > LEDE_MAX_RULE_TEXT_BYTES) n = LEDE_MAX_RULE_TEXT_BYTES;
    for (size_t i = 0; i < lede_rule_scan_count(s->scan); i++)
        if (run_match(r, i, &ctx)) return -1;
    return 0;
}

static int run_list(pack_run *r, unsigned field, const lede_strlist *l) {
    for (size_t i = 0; i < l->n; i++)
        if (run_text(r, field, (long)i + 1, l->items[i], strlen(l->items[i]), NULL, 0)) return -1;
    return 0;
}

static int run_fields(pack_run *r) {
    const lede_article *a = r->s->current;
    unsigned want = lede_ruleset_fields(r->s->rs);
    if (want & (1u << LEDE_FIELD_TEXT)) {
        lede_span *paras = calloc(a->n_paragraphs + 1, sizeof *paras);
        if (!paras) return -1;
        for (size_t i = 0; i < a->n_paragraphs; i++)
            paras[i] = (lede_span){a->paragraphs[i].start - 1, a->paragraphs[i].len};
        int rc = run_text(r, LEDE_FIELD_TEXT, 0, a->text.data ? a->text.data : "", a->text.len, paras, a->n_paragraphs);
        free(paras);
        if (rc) return -1;
    }
    if ((want & (1u << LEDE_FIELD_TITLE)) && a->title &&
        run_text(r, LEDE_FIELD_TITLE, 0, a->title, strlen(a->title), NULL, 0))
        return -1;
    if ((want & (1u << LEDE_FIELD_DESCRIPTION)) && a->description &&
        run_text(r, LEDE_FIELD_DESCRIPTION, 0, a->description, strlen(a->description), NULL, 0))
        return -1;
    if ((want & (1u << LEDE_FIELD_CAPTIONS)) && run_list(r, LEDE_FIELD_CAPTIONS, &a->captions)) return -1;
    if ((want & (1u << LEDE_FIELD_RELATED)) && run_list(r, LEDE_FIELD_RELATED, &a->related)) return -1;
    return 0;
}

/* Hands over the records of rules that did not fail; one error line per rule that did. */
static int finish_run(pack_run *r, char *err, size_t errlen) {
    lede_script *s = r->s;
    int rc = 0;
    for (size_t i = 0; i < r->n; i++) {
        pending *p = &r->v[i];
        if (!rc && !r->failed[p->rule]) {
            if (deliver(s, s->rule_pack[p->rule], lede_ruleset_rule_id(s->rs, p->rule), p->unit, p->data, p->len) != 0) {
                s->cb_stopped = 1;
                rc = LEDE_EIO;
                snprintf(err, errlen, "the output refused a record (disk full or closed?)");
            }
        }
        free(p->data);
        json_decref(p->unit);
    }
    /* whole lines only: when they do not all fit in err, the last line says how many rules
     * failed besides, and which was the first of them */
    size_t used = 0, cut = 0, nfailed = 0, shown = 0;
    const char *first_cut = NULL;
    for (size_t k = 0; k < s->nrules; k++) nfailed += r->failed[k] != NULL;
    const char *path = s->current->source_path, *member = s->current->source_member;
    char where[4352];
    snprintf(where, sizeof where, "%s%s%s%s", path ? path : "article ",
             path ? "" : (s->current->id ? s->current->id : "?"), member ? " :: " : "", member ? member : "");
    for (size_t k = 0; k < s->nrules; k++) {
        if (!r->failed[k]) continue;
        if (!rc) rc = LEDE_ESCRIPT;
        if (rc == LEDE_ESCRIPT) {
            const char *fmt = "%s%s: rule '%s' on %s: %s";
            const char *id = lede_ruleset_rule_id(s->rs, k);
            int w = snprintf(NULL, 0, fmt, used ? "\n" : "", s->rule_pack[k], id, where, r->failed[k]);
            /* room for this line, and for the closing one unless this is the last failure */
            size_t need = w > 0 ? (size_t)w : 0, tail = shown + 1 < nfailed ? 120 + strlen(where) : 0;
            if (!cut && w > 0 && used + need + tail < errlen) {
                snprintf(err + used, errlen - used, fmt, used ? "\n" : "", s->rule_pack[k], id, where, r->failed[k]);
                used += need;
                shown++;
            } else if (!cut++) {
                first_cut = id;
            }
        }
        free(r->failed[k]);
    }
    if (cut && used < errlen)
        snprintf(err + used, errlen - used, "%s%zu more rule%s failed on %s, '%.60s' first (their messages did "
                 "not fit)", used ? "\n" : "", cut, cut == 1 ? "" : "s", where, first_cut);
    return rc;
}

/* Puts every pack's globals back as they were after loading (stdlib/lede/_pack.lua), so what
 * a rule assigns to a global while handling one article is gone for the next: a pack keeps
 * state across articles only in what its rule files built at load time (docs/packs.md). */
static int reset_globals(lede_script *s) {
    lua_State *L = s->L;
    if (s->reset_ref == LUA_NOREF) return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->reset_ref);
    if (lua_pcall(L, 0, 0, 0) == LUA_OK) return 0;
    lua_pop(L, 1);
    return -1;
}

static int pack_run_article(lede_script *s, int art, char *err, size_t errlen) {
    pack_run r = {s, art, calloc(s->npacks + 1, sizeof(int)), NULL, 0, 0, calloc(s->nrules + 1, sizeof(char *)),
                  calloc(s->nrules + 1, 1), 0};
    if (!r.failed || !r.called || !r.pack_art) {
        free(r.failed);
        free(r.called);
        free(r.pack_art);
        return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    }
    int rc = run_fields(&r);
    int frc = finish_run(&r, err, errlen);
    for (size_t k = 0; k < s->npacks; k++) /* the caller releases its own `art` */
        if (r.pack_art[k] && r.pack_art[k] != art) lede_lua_article_release(s->L, r.pack_art[k]);
    if (reset_globals(s) != 0) rc = -1;
    free(r.v);
    free(r.failed);
    free(r.called);
    free(r.pack_art);
    if (rc || r.oom) return fail(err, errlen, LEDE_ENOMEM, "out of memory");
    return frc;
}
