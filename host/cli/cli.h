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

int cli_help(const char *command);
/* "lede CMD: message" on stderr, returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True if argv[i] is -h/--help. */
int cli_is_help(const char *arg);

#endif
