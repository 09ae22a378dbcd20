/* Sandbox and limit options, shared by the commands that run scripts or packs. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lede.h"

/* "512M", "2G", "65536" -> bytes; 0 on a bad value (*ok cleared). */
static unsigned long long parse_size(const char *v, int *ok) {
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    *ok = end != v;
    switch (*end) {
    case 'k': case 'K': n <<= 10; end++; break;
    case 'm': case 'M': n <<= 20; end++; break;
    case 'g': case 'G': n <<= 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end) *ok = 0;
    return n;
}

/* 0 on the command line means "no limit"; 0 in the options struct means "the default". */
static unsigned long long limit_value(unsigned long long n) { return n ? n : ~0ull; }

int cli_sandbox_option(const char *cmd, const char *a, const char *v, struct lede_script_options *so) {
    int ok = 1;
    if (!strcmp(a, "--allow-io")) {
        so->grants |= LEDE_GRANT_IO;
        return 1;
    }
    if (!strcmp(a, "--no-limits")) {
        so->unlimited = 1;
        return 1;
    }
    int takes = !strcmp(a, "--max-instructions") || !strcmp(a, "--max-memory") || !strcmp(a, "--max-records") ||
                !strcmp(a, "--pack-path");
    if (!takes) return 0;
    if (!v) return cli_usage_error(cmd, "%s needs a value", a), -1;
    if (!strcmp(a, "--pack-path")) {
        so->pack_path = v;
        return 2;
    }
    unsigned long long n = parse_size(v, &ok);
    if (!ok || (strcmp(a, "--max-memory") && strspn(v, "0123456789") != strlen(v)))
        return cli_usage_error(cmd, "%s: '%s' is not a number", a, v), -1;
    if (!strcmp(a, "--max-instructions"))
        so->max_instructions = limit_value(n);
    else if (!strcmp(a, "--max-memory"))
        so->max_memory = limit_value(n);
    else
        so->max_records = n ? (size_t)n : (size_t)-1;
    return 2;
}
