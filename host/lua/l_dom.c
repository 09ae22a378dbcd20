/* a.dom: XPath over the article's libxml2 document. The document belongs to the C article, so
 * the dom object checks the article's handle on every call and refuses once it is released
 * (Lua must never keep a pointer into a freed document). */
#include <lauxlib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <lua.h>
#include <stdio.h>
#include <string.h>

#include "lua/l_article.h"
#include "util/buf.h"
#include "util/utf8.h"

#define DOM_MT "lede.dom"

typedef struct {
    int unused;
} dom_ud; /* state lives in the uservalue: the article handle */

static lede_article *dom_article(lua_State *L) {
    luaL_checkudata(L, 1, DOM_MT);
    lua_getiuservalue(L, 1, 1);
    lede_article_handle *h = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!h || !h->a)
        luaL_error(L, "dom: the article is no longer current (a.dom is valid only during the "
                      "on_article call that produced it)");
    if (!h->a->doc || !h->a->doc->doc) luaL_error(L, "dom: this article has no document");
    return h->a;
}

static void push_xml_string(lua_State *L, const xmlChar *s) {
    if (!s) {
        lua_pushliteral(L, "");
        return;
    }
    size_t n = strlen((const char *)s);
    if (lede_utf8_valid_prefix((const char *)s, n) == n) {
        lua_pushlstring(L, (const char *)s, n);
        return;
    }
    lede_buf b;
    lede_buf_init(&b);
    lede_utf8_append_clean(&b, (const char *)s, n);
    lua_pushlstring(L, b.data ? b.data : "", b.len);
    lede_buf_free(&b);
}

static void push_node_text(lua_State *L, xmlNodePtr node) {
    xmlChar *c = xmlNodeGetContent(node);
    lede_buf b;
    lede_buf_init(&b);
    if (c) lede_utf8_append_squeezed(&b, (const char *)c, strlen((const char *)c));
    lua_pushlstring(L, b.data ? b.data : "", b.len);
    lede_buf_free(&b);
    xmlFree(c);
}

/* Element -> {tag=, text=, attrs={}, xpath=}; attribute/text -> its string. */
static void push_node(lua_State *L, xmlNodePtr node) {
    if (node->type == XML_ELEMENT_NODE) {
        lua_createtable(L, 0, 4);
        push_xml_string(L, node->name);
        lua_setfield(L, -2, "tag");
        push_node_text(L, node);
        lua_setfield(L, -2, "text");
        lua_newtable(L);
        for (xmlAttrPtr at = node->properties; at; at = at->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
            push_xml_string(L, v);
            xmlFree(v);
            lua_setfield(L, -2, (const char *)at->name);
        }
        lua_setfield(L, -2, "attrs");
        xmlChar *path = xmlGetNodePath(node);
        push_xml_string(L, path);
        xmlFree(path);
        lua_setfield(L, -2, "xpath");
        return;
    }
    xmlChar *c = xmlNodeGetContent(node);
    push_xml_string(L, c);
    xmlFree(c);
}

typedef struct {
    char msg[256];
} xpath_error;

static void on_xpath_error(void *ctx, xmlErrorPtr e) {
    xpath_error *xe = ctx;
    if (!xe->msg[0] && e && e->message) {
        snprintf(xe->msg, sizeof xe->msg, "%s", e->message);
        size_t n = strlen(xe->msg);
        while (n && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' ')) xe->msg[--n] = '\0';
    }
}

static xmlXPathObjectPtr eval(lua_State *L, lede_article *a, const char *expr) {
    xmlXPathContextPtr ctx = xmlXPathNewContext(a->doc->doc);
    if (!ctx) luaL_error(L, "dom: out of memory");
    xpath_error xe = {{0}};
    ctx->error = on_xpath_error;
    ctx->userData = &xe;
    ctx->node = a->dom_root ? a->dom_root : xmlDocGetRootElement(a->doc->doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    xmlXPathFreeContext(ctx);
    if (!r) luaL_error(L, "dom:select: bad XPath expression '%s': %s", expr, xe.msg[0] ? xe.msg : "invalid");
    return r;
}

/* Pushes the result: node-sets as a list, scalars as themselves. */
static int push_result(lua_State *L, xmlXPathObjectPtr r, int first_only) {
    switch (r->type) {
    case XPATH_NODESET: {
        int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
        if (first_only) {
            if (n == 0) lua_pushnil(L);
            else push_node(L, r->nodesetval->nodeTab[0]);
            break;
        }
        lua_createtable(L, n, 0);
        for (int i = 0; i < n; i++) {
            push_node(L, r->nodesetval->nodeTab[i]);
            lua_rawseti(L, -2, i + 1);
        }
        break;
    }
    case XPATH_BOOLEAN: lua_pushboolean(L, r->boolval); break;
    case XPATH_NUMBER: lua_pushnumber(L, r->floatval); break;
    case XPATH_STRING: push_xml_string(L, r->stringval); break;
    default: lua_pushnil(L); break;
    }
    return 1;
}

static int select_impl(lua_State *L, int first_only) {
    lede_article *a = dom_article(L);
    const char *expr = luaL_checkstring(L, 2);
    luaL_checkstack(L, 8, "dom:select");
    xmlXPathObjectPtr r = eval(L, a, expr);
    push_result(L, r, first_only); /* only a memory error can raise here */
    xmlXPathFreeObject(r);
    return 1;
}

/* dom:select(xpath) -> list of strings/node tables, or a scalar for scalar expressions */
static int l_select(lua_State *L) { return select_impl(L, 0); }
/* dom:first(xpath) -> the first result or nil */
static int l_first(lua_State *L) { return select_impl(L, 1); }

static int l_tostring(lua_State *L) {
    lua_pushliteral(L, "lede.dom");
    return 1;
}

void lede_lua_dom_register(lua_State *L) {
    if (luaL_newmetatable(L, DOM_MT)) {
        static const luaL_Reg methods[] = {{"select", l_select}, {"first", l_first}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
}

int lede_lua_view_dom(lua_State *L, lede_article *a) {
    if (!a->doc) {
        lua_pushnil(L); /* text dumps and JSON records with plain text have no DOM */
        return 1;
    }
    lua_newuserdatauv(L, sizeof(dom_ud), 1);
    luaL_setmetatable(L, DOM_MT);
    lua_pushvalue(L, 3);
    lua_setiuservalue(L, -2, 1);
    return 1;
}
