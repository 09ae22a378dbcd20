/* Between the Lua rule declarations (stdlib/lede/rules.lua, checked by lede._pack) and the C
 * engine: compiling a list of rule tables into a ruleset, and building the `m` table a rule's
 * extract(m, a) receives. */
#ifndef LEDE_RULES_L_RULESET_H
#define LEDE_RULES_L_RULESET_H

#include <lua.h>

#include "rules/engine.h"

/* Article fields rules may read (rule{fields = {...}}): bit i of a rule's field mask. */
enum { LEDE_FIELD_TEXT, LEDE_FIELD_TITLE, LEDE_FIELD_DESCRIPTION, LEDE_FIELD_CAPTIONS, LEDE_FIELD_RELATED,
       LEDE_NFIELDS };
extern const char *const lede_field_names[LEDE_NFIELDS];

/* Compiles the list of checked rule tables at idx (each {id, scope, fields, match, where, ...}).
 * Every distinct pattern is compiled once. On failure returns -1 with one line per bad pattern
 * in err ("rules/x.lua:12: rule 'id': missing ) at offset 3"). */
int lede_lua_ruleset_compile(lua_State *L, int idx, lede_ruleset **out, char *err, size_t errlen);

/* Where a match sits: the field's text and, for list fields, the item (1-based; 0 otherwise). */
typedef struct lede_match_ctx {
    unsigned field;
    long item;
    const char *text;
    const char *rule_id;
    int scope;
} lede_match_ctx;

/* Pushes m for match i of the scan: {rule, scope, field, item, in_body, text, start, stop,
 * paragraph, sentence, hits = {{name, kind, text, start, stop, phrase, label, groups}...}}
 * with methods m:hit(name) and m:all(name). Offsets are 1-based into the field's text. */
void lede_lua_push_match(lua_State *L, const lede_rule_scan *sc, size_t i, const lede_match_ctx *ctx);

#endif
