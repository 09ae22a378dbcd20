/* Lua rule tables -> engine ruleset; engine matches -> `m` tables. */
#include "rules/l_ruleset.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

const char *const lede_field_names[LEDE_NFIELDS] = {"text", "title", "description", "captions", "related"};
static const char *const SCOPES[LEDE_NSCOPES] = {"article", "paragraph", "sentence"};

typedef struct compile_ctx {
    lua_State *L;
    lede_ruleset *rs;
    int atoms; /* stack index of the dedupe table: atom key -> atom index */
    const char *where, *id;
    char *err;
    size_t errlen, used;
    int failed;
} compile_ctx;

static void add_error(compile_ctx *c, const char *msg) {
    c->failed = 1;
    if (c->used + 1 >= c->errlen) return;
    int n = snprintf(c->err + c->used, c->errlen - c->used, "%s%s: rule '%s': %s", c->used ? "\n" : "", c->where,
                     c->id, msg);
    if (n > 0) c->used += (size_t)n < c->errlen - c->used ? (size_t)n : c->errlen - c->used - 1;
}

static const char *field_str(lua_State *L, int t, const char *k) {
    lua_getfield(L, t, k);
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive: it is referenced by the table */
    return s;
}

/* A phrases{...} list: entries {phrase, label}. */
static int compile_phrase_list(compile_ctx *c, int t) {
    char e[256];
    int a = lede_ruleset_begin_phrases(c->rs, e, sizeof e);
    if (a < 0) return add_error(c, e), -1;
    lua_getfield(c->L, t, "list");
    int list = lua_gettop(c->L);
    for (lua_Integer i = 1; lua_rawgeti(c->L, list, i) == LUA_TTABLE; i++) {
        lua_rawgeti(c->L, -1, 1);
        lua_rawgeti(c->L, -2, 2);
        const char *phrase = lua_tostring(c->L, -2), *label = lua_tostring(c->L, -1);
        if (phrase && lede_ruleset_add_phrase(c->rs, a, phrase, label, e, sizeof e) != 0) add_error(c, e);
        lua_pop(c->L, 3);
    }
    lua_pop(c->L, 2);
    return a;
}

/* The atom for an re/phrases node (compiled once per distinct pattern across the pack). */
static int compile_atom(compile_ctx *c, int t, const char *op) {
    lua_State *L = c->L;
    int is_re = !strcmp(op, "re");
    const char *path = is_re ? NULL : field_str(L, t, "path");
    /* the dedupe key: kind, flags and pattern, or the phrase file's path; inline phrase lists
     * are compiled per node (they are small) */
    if (is_re)
        lua_pushfstring(L, "re\1%s\1%s", field_str(L, t, "flags") ? field_str(L, t, "flags") : "",
                        field_str(L, t, "pattern"));
    else if (path)
        lua_pushfstring(L, "file\1%s", path);
    else
        lua_pushnil(L);
    if (!lua_isnil(L, -1) && lua_rawget(L, c->atoms) == LUA_TNUMBER) {
        int a = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return a;
    }
    lua_pop(L, 1);
    char e[512];
    int a;
    if (is_re) {
        size_t len;
        lua_getfield(L, t, "pattern");
        const char *pat = lua_tolstring(L, -1, &len);
        a = lede_ruleset_add_re(c->rs, pat, len, field_str(L, t, "flags"), e, sizeof e);
        lua_pop(L, 1);
    } else if (path) {
        a = lede_ruleset_add_phrase_file(c->rs, path, e, sizeof e);
    } else {
        return compile_phrase_list(c, t);
    }
    if (a < 0) return add_error(c, e), -1;
    if (is_re)
        lua_pushfstring(L, "re\1%s\1%s", field_str(L, t, "flags") ? field_str(L, t, "flags") : "",
                        field_str(L, t, "pattern"));
    else
        lua_pushfstring(L, "file\1%s", path);
    lua_pushinteger(L, a);
    lua_rawset(L, c->atoms);
    return a;
}

static int compile_node(compile_ctx *c, int t);

static int compile_group(compile_ctx *c, int t, int op) {
    lua_State *L = c->L;
    int kids[256], n = 0;
    for (lua_Integer i = 1; lua_rawgeti(L, t, i) == LUA_TTABLE; i++) {
        int k = n < 256 ? compile_node(c, lua_gettop(L)) : -1;
        lua_pop(L, 1);
        if (n >= 256) return add_error(c, "more than 256 matches in one all/any/none"), -1;
        if (k < 0) return lua_pop(L, 0), -1;
        kids[n++] = k;
    }
    lua_pop(L, 1);
    if (op == LEDE_NODE_NEAR) {
        if (n != 2) return add_error(c, "near() takes two matches"), -1;
        lua_getfield(L, t, "n");
        int d = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return lede_ruleset_near_node(c->rs, kids[0], kids[1], d);
    }
    return lede_ruleset_group_node(c->rs, op, kids, n);
}

static int compile_node(compile_ctx *c, int t) {
    const char *op = field_str(c->L, t, "op");
    if (!op) return add_error(c, "match node without op"), -1;
    if (!strcmp(op, "re") || !strcmp(op, "phrases")) {
        int a = compile_atom(c, t, op);
        return a < 0 ? -1 : lede_ruleset_atom_node(c->rs, a, field_str(c->L, t, "name"));
    }
    if (!strcmp(op, "all")) return compile_group(c, t, LEDE_NODE_ALL);
    if (!strcmp(op, "any")) return compile_group(c, t, LEDE_NODE_ANY);
    if (!strcmp(op, "none")) return compile_group(c, t, LEDE_NODE_NONE);
    if (!strcmp(op, "near")) return compile_group(c, t, LEDE_NODE_NEAR);
    return add_error(c, "unknown match op"), -1;
}

static int parse_scope(const char *s) {
    for (int i = 0; i < LEDE_NSCOPES; i++)
        if (s && !strcmp(s, SCOPES[i])) return i;
    return LEDE_SCOPE_SENTENCE;
}

static unsigned parse_fields(lua_State *L, int t) {
    unsigned mask = 0;
    int top = lua_gettop(L);
    if (lua_getfield(L, t, "fields") == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            for (int f = 0; f < LEDE_NFIELDS; f++)
                if (!strcmp(lua_tostring(L, -1), lede_field_names[f])) mask |= 1u << f;
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    return mask ? mask : 1u << LEDE_FIELD_TEXT;
}

static void compile_rule(compile_ctx *c, int t) {
    lua_State *L = c->L;
    c->id = field_str(L, t, "id");
    c->where = field_str(L, t, "where");
    if (!c->where) c->where = "?";
    if (!c->id) c->id = "?";
    lua_getfield(L, t, "match");
    int root = lua_istable(L, -1) ? compile_node(c, lua_gettop(L)) : -1;
    lua_pop(L, 1);
    if (root < 0) {
        if (!c->failed) add_error(c, "bad match");
        return;
    }
    if (lede_ruleset_add_rule(c->rs, c->id, parse_scope(field_str(L, t, "scope")), parse_fields(L, t), root) < 0)
        add_error(c, "out of memory");
}

int lede_lua_ruleset_compile(lua_State *L, int idx, lede_ruleset **out, char *err, size_t errlen) {
    idx = lua_absindex(L, idx);
    *out = NULL;
    err[0] = 0;
    int top = lua_gettop(L);
    compile_ctx c = {L, lede_ruleset_new(), 0, NULL, NULL, err, errlen, 0, 0};
    if (!c.rs) return snprintf(err, errlen, "out of memory"), -1;
    lua_newtable(L);
    c.atoms = lua_gettop(L);
    for (lua_Integer i = 1; lua_rawgeti(L, idx, i) == LUA_TTABLE; i++) {
        int rt = lua_gettop(L);
        compile_rule(&c, rt);
        lua_settop(L, rt - 1);
    }
    lua_settop(L, top);
    char e[512];
    if (!c.failed && lede_ruleset_finish(c.rs, e, sizeof e) != 0) {
        c.where = "pack";
        c.id = "*";
        add_error(&c, e);
    }
    if (c.failed) {
        lede_ruleset_free(c.rs);
        return -1;
    }
    *out = c.rs;
    return 0;
}

/* ---- m ------------------------------------------------------------------------------------- */
static const char M_METHODS[] = "lede.rules.m";

/* m:hit(name) -> the first hit with that name (or the first hit for nil), or nil */
static int m_hit(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *name = luaL_optstring(L, 2, NULL);
    lua_getfield(L, 1, "hits");
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
        lua_getfield(L, -1, "name");
        const char *n = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (!name || (n && !strcmp(n, name))) return 1;
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    return 1;
}

/* m:all(name) -> a list of the hits with that name */
static int m_all(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *name = luaL_checkstring(L, 2);
    lua_newtable(L);
    lua_getfield(L, 1, "hits");
    lua_Integer k = 0;
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
        lua_getfield(L, -1, "name");
        const char *n = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (n && !strcmp(n, name))
            lua_rawseti(L, -3, ++k);
        else
            lua_pop(L, 1);
    }
    lua_pop(L, 2);
    return 1;
}

static void push_m_metatable(lua_State *L) {
    if (luaL_newmetatable(L, M_METHODS)) {
        lua_newtable(L);
        lua_pushcfunction(L, m_hit);
        lua_setfield(L, -2, "hit");
        lua_pushcfunction(L, m_all);
        lua_setfield(L, -2, "all");
        lua_setfield(L, -2, "__index");
        lua_pushliteral(L, "lede.rules.m");
        lua_setfield(L, -2, "__metatable");
    }
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

static void set_str(lua_State *L, const char *k, const char *v) {
    if (!v) return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

typedef struct push_hits {
    lua_State *L;
    const char *text;
    lua_Integer n;
} push_hits;

static int push_hit(void *ud, const lede_rule_hit *h) {
    push_hits *p = ud;
    lua_State *L = p->L;
    lua_createtable(L, 0, 8);
    set_str(L, "name", h->name);
    set_str(L, "kind", h->kind == LEDE_ATOM_RE ? "re" : "phrases");
    lua_pushlstring(L, p->text + h->start, h->len);
    lua_setfield(L, -2, "text");
    set_int(L, "start", (lua_Integer)h->start + 1);
    set_int(L, "stop", (lua_Integer)(h->start + h->len));
    set_str(L, "phrase", h->phrase);
    set_str(L, "label", h->label);
    if (h->ngroups) {
        lua_createtable(L, 0, (int)h->ngroups);
        for (size_t g = 0; g < h->ngroups; g++) {
            size_t s = h->groups[2 * g], e = h->groups[2 * g + 1];
            if (s == (size_t)-1) continue;
            lua_pushlstring(L, p->text + s, e - s);
            lua_setfield(L, -2, h->group_names[g]);
        }
        lua_setfield(L, -2, "groups");
    }
    lua_rawseti(L, -2, ++p->n);
    return 0;
}

void lede_lua_push_match(lua_State *L, const lede_rule_scan *sc, size_t i, const lede_match_ctx *ctx) {
    const lede_rule_match *m = lede_rule_scan_match(sc, i);
    lua_createtable(L, 0, 12);
    set_str(L, "rule", ctx->rule_id);
    set_str(L, "scope", SCOPES[ctx->scope]);
    set_str(L, "field", lede_field_names[ctx->field]);
    if (ctx->item) set_int(L, "item", ctx->item);
    lua_pushboolean(L, ctx->field == LEDE_FIELD_TEXT);
    lua_setfield(L, -2, "in_body");
    lua_pushlstring(L, ctx->text + m->start, m->len);
    lua_setfield(L, -2, "text");
    set_int(L, "start", (lua_Integer)m->start + 1);
    set_int(L, "stop", (lua_Integer)(m->start + m->len));
    if (m->paragraph >= 0 && ctx->field == LEDE_FIELD_TEXT) set_int(L, "paragraph", m->paragraph + 1);
    if (m->sentence >= 0) set_int(L, "sentence", m->sentence + 1);
    lua_newtable(L);
    push_hits p = {L, ctx->text, 0};
    lede_rule_scan_hits(sc, i, push_hit, &p);
    lua_setfield(L, -2, "hits");
    push_m_metatable(L);
    lua_setmetatable(L, -2);
}
