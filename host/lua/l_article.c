/* Articles as Lua tables. Plain fields are copied in eagerly (they are cheap and a plain table
 * is what analysts expect to print and iterate); costly views are built on first access by the
 * metatable's __index and cached in the table. */
#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <string.h>

#include "article/parse.h"
#include "lua/l_article.h"
#include "lua/l_json.h"
#include "lua/modules.h"

#define HANDLE_MT "lede.article.handle"

/* Lazy views: name -> builder. Add new views here. */
static const struct {
    const char *name;
    lede_lua_view_fn build;
} VIEWS[] = {
    {"dom", lede_lua_view_dom},
    {"sentences", lede_lua_view_sentences},
    {"tokens", lede_lua_view_tokens},
};

static lede_article_handle *check_handle(lua_State *L, int idx) {
    return luaL_checkudata(L, idx, HANDLE_MT);
}

static int handle_gc(lua_State *L) {
    lede_article_handle *h = check_handle(L, 1);
    if (h->owned) lede_article_free(h->a);
    h->a = NULL;
    return 0;
}

static void set_str(lua_State *L, const char *key, const char *v) {
    if (!v) return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, key);
}

static void set_list(lua_State *L, const char *key, const lede_strlist *l) {
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        lua_pushstring(L, l->items[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, key);
}

static void set_paragraphs(lua_State *L, const lede_article *a) {
    lua_createtable(L, (int)a->n_paragraphs, 0);
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        const lede_paragraph *p = &a->paragraphs[i];
        lua_createtable(L, 0, 4);
        lua_pushlstring(L, p->text, p->len);
        lua_setfield(L, -2, "text");
        lua_pushstring(L, p->kind);
        lua_setfield(L, -2, "kind");
        lua_pushinteger(L, (lua_Integer)p->start);
        lua_setfield(L, -2, "start");
        lua_pushinteger(L, (lua_Integer)(p->start + p->len - 1));
        lua_setfield(L, -2, "stop");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "paragraphs");
}

static void set_links(lua_State *L, const lede_article *a) {
    lua_createtable(L, (int)a->n_links, 0);
    for (size_t i = 0; i < a->n_links; i++) {
        lua_createtable(L, 0, 2);
        set_str(L, "href", a->links[i].href);
        set_str(L, "text", a->links[i].text);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "links");
}

static void set_meta(lua_State *L, const lede_article *a) {
    lua_createtable(L, 0, (int)a->n_meta);
    for (size_t i = 0; i < a->n_meta; i++) set_str(L, a->meta[i].key, a->meta[i].value);
    lua_setfield(L, -2, "meta");
}

static void set_source(lua_State *L, const lede_article *a) {
    lua_createtable(L, 0, 3);
    set_str(L, "path", a->source_path);
    set_str(L, "member", a->source_member);
    set_str(L, "format", a->source_format);
    lua_setfield(L, -2, "source");
}

/* __index(t, k) with the handle as upvalue: build a view once, cache it with rawset. */
static int article_index(lua_State *L) {
    const char *k = lua_tostring(L, 2);
    if (!k) return 0;
    for (size_t i = 0; i < sizeof VIEWS / sizeof *VIEWS; i++) {
        if (strcmp(VIEWS[i].name, k) != 0) continue;
        lede_article_handle *h = lua_touserdata(L, lua_upvalueindex(1));
        if (!h || !h->a)
            return luaL_error(L, "article.%s: the article is no longer current (views exist only "
                                 "while its on_article call runs)", k);
        lua_settop(L, 2);
        lua_pushvalue(L, lua_upvalueindex(1)); /* index 3: the handle, for views that outlive the call */
        VIEWS[i].build(L, h->a);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 1);
        return 1;
    }
    return 0;
}

void lede_lua_push_article_handle(lua_State *L, lede_article *a, int owned) {
    lua_createtable(L, 0, 24);
    int t = lua_gettop(L);
    set_str(L, "id", a->id);
    set_str(L, "url", a->url);
    set_str(L, "title", a->title);
    set_str(L, "byline", a->byline);
    set_str(L, "published", a->published);
    set_str(L, "modified", a->modified);
    set_str(L, "section", a->section);
    set_str(L, "lang", a->lang);
    set_str(L, "site_name", a->site_name);
    set_str(L, "description", a->description);
    set_list(L, "authors", &a->authors);
    set_list(L, "tags", &a->tags);
    set_list(L, "captions", &a->captions);
    set_list(L, "related", &a->related);
    set_list(L, "dropped", &a->dropped);
    lua_pushlstring(L, a->text.data ? a->text.data : "", a->text.len);
    lua_setfield(L, t, "text");
    set_paragraphs(L, a);
    set_links(L, a);
    set_meta(L, a);
    if (a->jsonld)
        lede_lua_push_json(L, a->jsonld);
    else
        lua_newtable(L);
    lua_setfield(L, t, "jsonld");
    set_source(L, a);

    /* per-article metatable: __index closes over this article's handle */
    lua_createtable(L, 0, 2);
    lede_article_handle *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->a = a;
    h->owned = owned;
    luaL_setmetatable(L, HANDLE_MT);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__lede_handle");
    lua_pushcclosure(L, article_index, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, t);
}

void lede_lua_push_article(lua_State *L, lede_article *a) { lede_lua_push_article_handle(L, a, 0); }

lede_article_handle *lede_lua_article_handle(lua_State *L, int idx) {
    lede_article_handle *h = NULL;
    if (lua_getmetatable(L, idx)) {
        if (lua_getfield(L, -1, "__lede_handle") == LUA_TUSERDATA)
            h = luaL_testudata(L, -1, HANDLE_MT);
        lua_pop(L, 2);
    }
    return h;
}

void lede_lua_article_release(lua_State *L, int idx) {
    lede_article_handle *h = lede_lua_article_handle(L, idx);
    if (h && !h->owned) h->a = NULL;
}

/* lede.article.parse(bytes [, {path=, format=, url=}]) -> list of article tables.
 * The articles belong to Lua here, so their views stay valid as long as the tables live. */
static int l_parse(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "path");
        o.path = lua_tostring(L, -1);
        lua_getfield(L, 2, "format");
        o.format = lua_tostring(L, -1);
        lua_getfield(L, 2, "url");
        o.url = lua_tostring(L, -1);
    }
    lede_article_list list = {0};
    char err[512];
    if (lede_parse(s, n, &o, &list, err, sizeof err) != 0) {
        lede_article_list_free(&list);
        return luaL_error(L, "lede.article.parse: %s", err);
    }
    lua_createtable(L, (int)list.n, 0);
    for (size_t i = 0; i < list.n; i++) {
        lede_lua_push_article_handle(L, list.items[i], 1);
        list.items[i] = NULL;
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    list.n = 0;
    lede_article_list_free(&list);
    return 1;
}

/* lede.article.read(path) -> list of article tables for the file at path. */
static int l_read(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    lede_buf b;
    lede_buf_init(&b);
    char err[512];
    if (lede_read_file(path, &b, err, sizeof err) != 0) {
        lede_buf_free(&b);
        return luaL_error(L, "lede.article.read: %s", err);
    }
    lua_settop(L, 1);
    lua_pushlstring(L, b.data ? b.data : "", b.len);
    lede_buf_free(&b);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "path");
    lua_replace(L, 1);
    lua_insert(L, 1);
    return l_parse(L);
}

int lede_lua_open_article(lua_State *L) {
    if (luaL_newmetatable(L, HANDLE_MT)) {
        lua_pushcfunction(L, handle_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "lede.article");
        lua_setfield(L, -2, "__name");
    }
    lua_pop(L, 1);
    lede_lua_dom_register(L);
    static const luaL_Reg fns[] = {{"parse", l_parse}, {"read", l_read}, {NULL, NULL}};
    luaL_newlib(L, fns);
    return 1;
}
