/* The Lua side of lede: the `lede` module and the article binding. */
#ifndef LEDE_LUA_MODULES_H
#define LEDE_LUA_MODULES_H

#include <lua.h>

#include "article/article.h"

/* Registers `lede` in package.preload (so `require "lede"` works) and the stdlib search path. */
void lede_lua_install(lua_State *L);
/* Pushes the `lede` module table (built once per state). */
int lede_lua_open(lua_State *L);

/* Sub-module openers: each pushes one table. Listed in l_lede.c. */
int lede_lua_open_article(lua_State *L); /* lede.article: parse helpers */
int lede_lua_open_json(lua_State *L);    /* lede.json: encode/decode */
int lede_lua_open_text(lua_State *L);    /* lede.text: tokens, sentences, helpers (l_text.c) */
int lede_lua_open_re(lua_State *L);      /* lede.re: PCRE2 regexes and pattern sets (l_re.c) */
int lede_lua_open_phrases(lua_State *L); /* lede.phrases: gazetteers (l_phrases.c) */

/* Pushes article a as a Lua table (DESIGN.md §3). The table keeps a light reference to a for
 * its lazy views (sentences, tokens, dom): call lede_lua_article_release() before freeing a. */
void lede_lua_push_article(lua_State *L, lede_article *a);
/* Cuts the link between the table at idx and its C article; lazy views not yet built then
 * raise an error saying the article is no longer current. */
void lede_lua_article_release(lua_State *L, int idx);

/* A lazy view: called with the article table at index 1, the key at 2 and the article's handle
 * userdata at 3 (for values that must notice when the article is gone, like a.dom); pushes
 * the value, which __index caches in the table. Listed in l_article.c. */
typedef int (*lede_lua_view_fn)(lua_State *L, lede_article *a);

/* a.sentences and a.tokens (l_views.c). */
int lede_lua_view_sentences(lua_State *L, lede_article *a);
int lede_lua_view_tokens(lua_State *L, lede_article *a);

/* Caps every token list this state builds (a.tokens, lede.text.tokens) at max tokens
 * (0 = no cap); without a call, LEDE_DEFAULT_MAX_TOKENS. Past the cap the call raises an error
 * naming --max-tokens. */
void lede_lua_set_max_tokens(lua_State *L, size_t max);

struct lede_re_limits;
/* Replaces this state's regex limits (match/depth/heap/JIT stack), e.g. from CLI flags. */
void lede_lua_re_set_limits(lua_State *L, const struct lede_re_limits *limits);

#endif
