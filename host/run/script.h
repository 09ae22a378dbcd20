/* Host-internal additions to the lede_script API (include/lede.h). */
#ifndef LEDE_RUN_SCRIPT_H
#define LEDE_RUN_SCRIPT_H

#include "lede.h"

/* Like lede_script_load, for one more worker of a run that already loaded `proto` from the
 * same path with the same options: a pack reuses proto's compiled rules (pattern sets, phrase
 * automata, rule list: read-only, shared by reference) instead of compiling its own, and gets
 * only its own Lua state and scanner. The rules the pack's Lua declares must be the same, id
 * for id, as proto's, or the load fails. proto NULL, or a plain script: lede_script_load. */
int lede_script_load_like(lede_script **out, const char *path, const lede_script_options *opt,
                          const lede_script *proto, char *err, size_t errlen);

#endif
