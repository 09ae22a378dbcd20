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

/* ---- long C work under the limits of the untrusted call that asked for it ------------------
 * Some library work runs for long inside C where neither the count hook nor a clock check can
 * stop it (libxml2's XPath: one query can take minutes). A sandboxed state (host/sandbox)
 * installs a runner for it; a plain state has none, and the work runs at once, unlimited. */
typedef struct lede_lua_work lede_lua_work;
struct lede_lua_work {
    void (*run)(lede_lua_work *w);     /* does the work; on a helper thread, touching no Lua */
    void (*cancel)(lede_lua_work *w);  /* from another thread: ask run to return soon (or NULL) */
    void (*release)(lede_lua_work *w); /* frees w and what it holds: called once, by whichever
                                          thread is last (the helper's when it was left running) */
};

typedef struct lede_lua_runner {
    /* Instruction steps the current untrusted call may still take; -1: no limit applies. */
    long long (*budget_left)(lua_State *L);
    /* Charges n steps to the current call; past its budget, kills it (does not return). */
    void (*spend)(lua_State *L, unsigned long long n);
    /* Kills the current call for its instruction budget (does not return). */
    int (*kill)(lua_State *L);
    /* Runs w->run under the call's CPU-time limit (its own CPU time counts toward it) and
     * returns once it is done: the caller then reads the results and releases w. When the limit
     * runs out first, cancels w and kills the call (does not return); w is then released by
     * the runner, or by the helper thread if run has not returned within a grace period. */
    void (*run)(lua_State *L, lede_lua_work *w);
} lede_lua_runner;

void lede_lua_set_runner(lua_State *L, const lede_lua_runner *r);
/* The state's runner, or NULL. */
const lede_lua_runner *lede_lua_get_runner(lua_State *L);

struct lede_re_limits;
/* Replaces this state's regex limits (match/depth/heap/JIT stack), e.g. from CLI flags. */
void lede_lua_re_set_limits(lua_State *L, const struct lede_re_limits *limits);

#endif
