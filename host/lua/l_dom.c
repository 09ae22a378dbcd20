/* a.dom: XPath over the article's libxml2 document. The document belongs to the C article, so
 * the dom object checks the article's handle on every call and refuses once it is released
 * (Lua must never keep a pointer into a freed document). */
#include <lauxlib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <lua.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/dom_path.h"
#include "lua/l_article.h"
#include "lua/modules.h"
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

/* What one query holds while its results become Lua values, in a userdata whose __gc frees it:
 * pushing can raise (the memory limit), and the result must not leak then. */
typedef struct query_box {
    xmlXPathObjectPtr result;
    lede_dom_paths paths;
    lede_buf path;
} query_box;

#define QUERY_MT "lede.dom.query"

static void query_free(query_box *q) {
    xmlXPathFreeObject(q->result);
    q->result = NULL;
    lede_dom_paths_free(&q->paths);
    lede_buf_free(&q->path);
}

static int query_gc(lua_State *L) {
    query_free(luaL_checkudata(L, 1, QUERY_MT));
    return 0;
}

/* Element -> {tag=, text=, attrs={}, xpath=}; attribute/text -> its string. */
static void push_node(lua_State *L, query_box *q, xmlNodePtr node) {
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
        if (lede_dom_path(&q->paths, node, &q->path) != 0) luaL_error(L, "dom: out of memory");
        lua_pushlstring(L, q->path.data ? q->path.data : "", q->path.len);
        lua_setfield(L, -2, "xpath");
        return;
    }
    xmlChar *c = xmlNodeGetContent(node);
    push_xml_string(L, c);
    xmlFree(c);
}

typedef struct xpath_error {
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

/* One evaluation, as work the sandbox can run on a helper thread and give up on (modules.h,
 * lede_lua_runner): it holds its own reference to the document, so it may outlive the article,
 * and everything it writes is its own. */
typedef struct xpath_job {
    lede_lua_work w;
    lede_doc *doc;
    xmlXPathContextPtr ctx;
    xmlChar *expr;
    xmlXPathObjectPtr result;
    xpath_error err;
} xpath_job;

static void job_run(lede_lua_work *w) {
    xpath_job *j = (xpath_job *)w;
    j->result = xmlXPathEvalExpression(j->expr, j->ctx);
}

/* libxml2 checks the operation limit at every step of an evaluation: lowering it under the
 * count ends the query there with "Operation limit exceeded" */
static void job_cancel(lede_lua_work *w) {
    xpath_job *j = (xpath_job *)w;
    __atomic_store_n(&j->ctx->opLimit, 1ul, __ATOMIC_RELAXED);
}

static void job_release(lede_lua_work *w) {
    xpath_job *j = (xpath_job *)w;
    xmlXPathFreeObject(j->result);
    if (j->ctx) xmlXPathFreeContext(j->ctx);
    xmlFree(j->expr);
    lede_doc_unref(j->doc);
    free(j);
}

/* Evaluates expr and leaves a query box holding the result on the stack. In a sandboxed call
 * the query's operations count against --max-instructions (one operation, one instruction) and
 * its CPU time against --max-seconds. */
static query_box *eval(lua_State *L, lede_article *a, const char *expr) {
    query_box *q = lua_newuserdatauv(L, sizeof *q, 0);
    memset(q, 0, sizeof *q);
    lede_dom_paths_init(&q->paths);
    lede_buf_init(&q->path);
    luaL_setmetatable(L, QUERY_MT);
    const lede_lua_runner *rn = lede_lua_get_runner(L);
    long long left = rn ? rn->budget_left(L) : -1;
    if (left == 0) rn->kill(L);
    xpath_job *j = calloc(1, sizeof *j);
    if (!j) luaL_error(L, "dom: out of memory");
    j->w = (lede_lua_work){job_run, job_cancel, job_release};
    j->doc = lede_doc_ref(a->doc);
    j->ctx = xmlXPathNewContext(a->doc->doc);
    j->expr = xmlStrdup((const xmlChar *)expr);
    if (!j->ctx || !j->expr) {
        job_release(&j->w);
        luaL_error(L, "dom: out of memory");
    }
    j->ctx->error = on_xpath_error;
    j->ctx->userData = &j->err;
    j->ctx->node = a->dom_root ? a->dom_root : xmlDocGetRootElement(a->doc->doc);
    if (left > 0) j->ctx->opLimit = left > (long long)(ULONG_MAX >> 1) ? ULONG_MAX >> 1 : (unsigned long)left;
    if (rn)
        rn->run(L, &j->w); /* or a kill, which does not return: the job is then the runner's */
    else
        job_run(&j->w);
    unsigned long ops = j->ctx->opCount;
    int spent = left > 0 && ops >= j->ctx->opLimit;
    q->result = j->result;
    j->result = NULL;
    xpath_error err = j->err;
    job_release(&j->w);
    if (left > 0) {
        if (spent) rn->kill(L);
        rn->spend(L, ops);
    }
    if (!q->result)
        luaL_error(L, "dom:select: bad XPath expression '%s': %s", expr, err.msg[0] ? err.msg : "invalid");
    return q;
}

/* Pushes the result: node-sets as a list, scalars as themselves. */
static void push_result(lua_State *L, query_box *q, int first_only) {
    xmlXPathObjectPtr r = q->result;
    switch (r->type) {
    case XPATH_NODESET: {
        int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
        if (first_only) {
            if (n == 0) lua_pushnil(L);
            else push_node(L, q, r->nodesetval->nodeTab[0]);
            break;
        }
        lua_createtable(L, n, 0);
        for (int i = 0; i < n; i++) {
            push_node(L, q, r->nodesetval->nodeTab[i]);
            lua_rawseti(L, -2, i + 1);
        }
        break;
    }
    case XPATH_BOOLEAN: lua_pushboolean(L, r->boolval); break;
    case XPATH_NUMBER: lua_pushnumber(L, r->floatval); break;
    case XPATH_STRING: push_xml_string(L, r->stringval); break;
    default: lua_pushnil(L); break;
    }
}

static int select_impl(lua_State *L, int first_only) {
    lede_article *a = dom_article(L);
    const char *expr = luaL_checkstring(L, 2);
    luaL_checkstack(L, 8, "dom:select");
    query_box *q = eval(L, a, expr);
    push_result(L, q, first_only);
    query_free(q); /* now rather than at the next collection */
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
    if (luaL_newmetatable(L, QUERY_MT)) {
        lua_pushcfunction(L, query_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
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
