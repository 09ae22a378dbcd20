/* Internals shared by the article binding and its views. */
#ifndef LEDE_LUA_L_ARTICLE_H
#define LEDE_LUA_L_ARTICLE_H

#include <lua.h>

#include "article/article.h"

typedef struct lede_article_handle {
    lede_article *a; /* NULL once released: views then raise an error */
    int owned;       /* freed with the handle (articles from lede.article.parse) */
} lede_article_handle;

void lede_lua_push_article_handle(lua_State *L, lede_article *a, int owned);
/* The handle of the article table at idx, or NULL if it is not an article table. */
lede_article_handle *lede_lua_article_handle(lua_State *L, int idx);

/* a.dom (l_dom.c) */
int lede_lua_view_dom(lua_State *L, lede_article *a);
void lede_lua_dom_register(lua_State *L);

#endif
