/* Sandbox and limit options, shared by the commands that run scripts or packs. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lede.h"
#include "limits.h"

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

int cli_input_limit_option(const char *cmd, const char *a, const char *v, size_t *max_bytes,
                           unsigned *max_dom_depth) {
    if (strcmp(a, "--max-article-bytes") && strcmp(a, "--max-dom-depth")) return 0;
    if (!v) return cli_usage_error(cmd, "%s needs a value", a), -1;
    int ok;
    unsigned long long n = parse_size(v, &ok);
    if (!strcmp(a, "--max-article-bytes")) {
        if (!ok || !n) return cli_usage_error(cmd, "%s: '%s' is not a size (65536, 64K, 16M)", a, v), -1;
        *max_bytes = (size_t)n;
        return 2;
    }
    if (!ok || strspn(v, "0123456789") != strlen(v) || n < 1 || n > LEDE_MAX_DOM_DEPTH_CEILING)
        return cli_usage_error(cmd, "%s: '%s' is not a depth from 1 to %d (libxml2 stops at %d)", a, v,
                               LEDE_MAX_DOM_DEPTH_CEILING, LEDE_MAX_DOM_DEPTH_CEILING), -1;
    *max_dom_depth = (unsigned)n;
    return 2;
}

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
    static const char *const counts[] = {"--max-instructions", "--max-seconds", "--max-records",
                                         "--max-tokens", "--max-regex-match", "--max-regex-depth"};
    static const char *const sizes[] = {"--max-memory", "--max-field-bytes", "--max-regex-heap"};
    int is_count = 0, is_size = 0;
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) is_count |= !strcmp(a, counts[i]);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) is_size |= !strcmp(a, sizes[i]);
    if (!is_count && !is_size && strcmp(a, "--pack-path")) return 0;
    if (!v) return cli_usage_error(cmd, "%s needs a value", a), -1;
    if (!strcmp(a, "--pack-path")) {
        so->pack_path = v;
        return 2;
    }
    unsigned long long n = parse_size(v, &ok);
    if (!ok || (is_count && strspn(v, "0123456789") != strlen(v)))
        return cli_usage_error(cmd, "%s: '%s' is not a %s", a, v, is_count ? "number" : "size (65536, 64K, 16M)"), -1;
    /* PCRE2's limits are 32-bit; 0 (none) becomes the largest it takes */
    unsigned re = n && n < 0xffffffffull ? (unsigned)n : 0xffffffffu;
    if (!strcmp(a, "--max-instructions"))
        so->max_instructions = limit_value(n);
    else if (!strcmp(a, "--max-seconds"))
        so->max_seconds = limit_value(n);
    else if (!strcmp(a, "--max-memory"))
        so->max_memory = limit_value(n);
    else if (!strcmp(a, "--max-records"))
        so->max_records = n ? (size_t)n : (size_t)-1;
    else if (!strcmp(a, "--max-tokens"))
        so->max_tokens = n ? (size_t)n : (size_t)-1;
    else if (!strcmp(a, "--max-field-bytes"))
        so->max_field_bytes = n ? (size_t)n : (size_t)-1;
    else if (!strcmp(a, "--max-regex-match"))
        so->re_match_limit = re;
    else if (!strcmp(a, "--max-regex-depth"))
        so->re_depth_limit = re;
    else /* --max-regex-heap SIZE: PCRE2 counts KiB */
        so->re_heap_kib = n ? (n >> 10 ? (n >> 10 < 0xffffffffull ? (unsigned)(n >> 10) : 0xffffffffu) : 1u) : 0xffffffffu;
    return 2;
}
