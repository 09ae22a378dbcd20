/* Shared between lede.text (l_text.c) and the article views (l_views.c). */
#ifndef LEDE_LUA_L_TEXT_H
#define LEDE_LUA_L_TEXT_H

#include <lua.h>
#include <stddef.h>

/* Pushes the list of tokens of s ({text, norm, kind, start, stop}); mode is LEDE_FOLD_*. */
void lede_lua_push_tokens(lua_State *L, const char *s, size_t n, unsigned mode, int words_only);
/* Pushes the list of sentences of s ({text, start, stop}); with para_starts (0-based offsets
 * of the paragraphs in s, ascending) each also gets `paragraph`, the 1-based index. */
void lede_lua_push_sentences(lua_State *L, const char *s, size_t n, const size_t *para_starts,
                             size_t npara);

#endif
