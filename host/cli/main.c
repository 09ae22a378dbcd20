#include <lua.h>
#include <libxml/xmlversion.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lede.h"
#include "sandbox/sandbox.h"

static const cli_command *const COMMANDS[] = {&cli_run_command, &cli_inspect_command, &cli_lua_command, &cli_pack_command};
#define N_COMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

int cli_is_help(const char *arg) { return !strcmp(arg, "-h") || !strcmp(arg, "--help"); }

int cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lede %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'lede help %s'.\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

static void print_version(void) {
    char pcre[32] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    printf("lede %s (%s, libxml2 %s, PCRE2 %s)\n", lede_version(), LUA_RELEASE, LIBXML_DOTTED_VERSION, pcre);
}

static void print_overview(void) {
    printf("lede %s — parse news articles and run Lua analysis scripts over them\n\n", lede_version());
    printf("Usage: lede COMMAND [OPTIONS] [ARGS]\n       lede SCRIPT.lua [ARGS]   (same as lede lua)\n\nCommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++) printf("  %-10s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
    printf("  %-10s %s\n", "help", "show help for a command");
    printf("\nOptions: --version, --help\n\n"
           "Exit status: 0 success; 1 the run finished but some inputs, articles or script calls\n"
           "failed (each reported on stderr); 2 bad usage or a script that cannot load; 3 fatal\n"
           "(output unwritable, out of memory).\n\n"
           "Run 'lede help COMMAND' for a command's options.\n");
}

int cli_help(const char *command) {
    if (!command) {
        print_overview();
        return EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (!strcmp(COMMANDS[i]->name, command)) {
            fputs(COMMANDS[i]->usage, stdout);
            return EXIT_OK;
        }
    }
    fprintf(stderr, "lede help: no command '%s'\n", command);
    return EXIT_USAGE;
}

static int is_lua_file(const char *arg) {
    size_t n = strlen(arg);
    struct stat st;
    return n > 4 && !strcmp(arg + n - 4, ".lua") && stat(arg, &st) == 0 && S_ISREG(st.st_mode);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_overview();
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
        print_version();
        return EXIT_OK;
    }
    if (cli_is_help(cmd)) return cli_help(NULL);
    if (!strcmp(cmd, "help")) return cli_help(argc > 2 ? argv[2] : NULL);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(COMMANDS[i]->name, cmd) != 0) continue;
        /* options after a script name belong to the script */
        int last = COMMANDS[i] == &cli_lua_command ? (argc > 2 ? 2 : 1) : argc - 1;
        for (int j = 2; j <= last; j++) {
            if (!strcmp(argv[j], "--")) break;
            if (cli_is_help(argv[j])) return cli_help(cmd);
        }
        int rc = COMMANDS[i]->run(argc - 1, argv + 1);
        if (lede_sb_stray_work() > 0) {
            /* an XPath query the time limit gave up on still runs on its thread: leave now,
             * before exit's handlers tear down libxml2 under it */
            fflush(NULL);
            _exit(rc);
        }
        return rc;
    }
    if (is_lua_file(cmd)) return cli_lua_command.run(argc, argv); /* argv[1] is the script */
    fprintf(stderr, "lede: unknown command '%s'\nRun 'lede help' for the list of commands.\n", cmd);
    return EXIT_USAGE;
}
