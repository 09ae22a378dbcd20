/* The article's lazy text views: a.sentences and a.tokens, built on first access (see the
 * view list in l_article.c) over a.text. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>

#include "lua/l_text.h"
#include "lua/modules.h"
#include "text/normalize.h"

int lede_lua_view_sentences(lua_State *L, lede_article *a) {
    size_t np = a->n_paragraphs;
    /* paragraph starts, 0-based; a Lua-owned buffer so an error cannot leak it */
    size_t *starts = lua_newuserdatauv(L, (np ? np : 1) * sizeof *starts, 0);
    for (size_t i = 0; i < np; i++) starts[i] = a->paragraphs[i].start ? a->paragraphs[i].start - 1 : 0;
    lede_lua_push_sentences(L, a->text.data ? a->text.data : "", a->text.len, np ? starts : NULL, np);
    lua_remove(L, -2);
    return 1;
}

int lede_lua_view_tokens(lua_State *L, lede_article *a) {
    lede_lua_push_tokens(L, a->text.data ? a->text.data : "", a->text.len, LEDE_FOLD_CASE, 0);
    return 1;
}
