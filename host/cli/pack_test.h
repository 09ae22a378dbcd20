/* lede pack test: fixture articles with semgrep-style annotations and/or expected records. */
#ifndef LEDE_CLI_PACK_TEST_H
#define LEDE_CLI_PACK_TEST_H

#include <stddef.h>

#include "lede.h"

/* Tests each pack in dirs; prints failures and a per-rule table. Returns an exit status. */
int cli_pack_test(char **dirs, size_t n, const lede_script_options *so, int verbose);

#endif
