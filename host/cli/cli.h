/* The lede command line: one file per command, dispatched from main.c. */
#ifndef LEDE_CLI_H
#define LEDE_CLI_H

#include <stdio.h>

/* Exit codes (documented in README.md and `lede help`). */
#define EXIT_OK 0
#define EXIT_ERRORS 1   /* the run finished, but some inputs or articles failed */
#define EXIT_USAGE 2    /* bad command line, or the script could not be loaded */
#define EXIT_FATAL 3    /* the run could not go on (output unwritable, out of memory) */

typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *usage; /* full help text */
    int (*run)(int argc, char **argv);
} cli_command;

extern const cli_command cli_run_command;
extern const cli_command cli_inspect_command;
extern const cli_command cli_lua_command;

extern const cli_command cli_pack_command;

/* Sandbox and limit options shared by `lede run` and `lede pack test` (cli_sandbox.c):
 * --allow-io, --max-instructions N, --max-seconds N, --max-memory SIZE, --max-records N,
 * --max-tokens N, --max-field-bytes SIZE, --max-regex-match N, --max-regex-depth N,
 * --max-regex-heap SIZE, --no-limits, --pack-path DIR. Returns 0 if arg is none of them, 1 + the number of values it consumed, or
 * -1 after reporting a usage error. */
struct lede_script_options;
int cli_sandbox_option(const char *cmd, const char *arg, const char *value, struct lede_script_options *so);
#define CLI_SANDBOX_HELP                                                                          \
    "Sandbox and limits (docs/packs.md):\n"                                                     \
    "  --allow-io           give a script io, all of os, dofile/loadfile and package.path\n"    \
    "                       (never a pack)\n"                                                   \
    "  --max-instructions N Lua instructions per call (default 200000000; 0 = unlimited)\n"     \
    "  --max-seconds N      CPU seconds per call (default 20; 0 = unlimited)\n"               \
    "  --max-memory SIZE    memory per Lua state, e.g. 256M, 2G (default 512M; 0 = unlimited)\n"\
    "  --max-records N      records per call (default 10000; 0 = unlimited)\n"                 \
    "  --max-tokens N       tokens in one a.tokens / lede.text.tokens list (default 1000000)\n"\
    "  --max-field-bytes SIZE  largest top-level field of a record, as JSON (default 16M);\n"  \
    "                       a record over it fails its rule (or its emit)\n"                   \
    "  --no-limits          none of the six limits above (0 also means none for each)\n"      \
    "  --max-regex-match N  PCRE2 backtracking steps per match attempt (default 1000000)\n"    \
    "  --max-regex-depth N  PCRE2 backtracking depth (default 100000)\n"                       \
    "  --max-regex-heap SIZE  PCRE2 backtracking heap per match (default 16M)\n"              \
    "  --pack-path DIR      installed packs (default $LEDE_PACK_PATH or\n"                     \
    "                       ~/.local/share/lede/packs)\n"

/* Input limits shared by `lede run` and `lede inspect`: --max-article-bytes SIZE and
 * --max-dom-depth N. Same return convention as cli_sandbox_option. */
int cli_input_limit_option(const char *cmd, const char *arg, const char *value, size_t *max_bytes,
                           unsigned *max_dom_depth);
#define CLI_INPUT_LIMITS_HELP                                                                     \
    "  --max-article-bytes SIZE  largest document, e.g. 64M (default 64M); larger ones are\n"  \
    "                       reported and skipped\n"                                              \
    "  --max-dom-depth N    deepest HTML nesting kept, 1 to 256 (default and libxml2's own\n"  \
    "                       ceiling: 256); deeper elements are cut, noted in a.dropped\n"

int cli_help(const char *command);
/* "lede CMD: message" on stderr, returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True if argv[i] is -h/--help. */
int cli_is_help(const char *arg);

#endif
