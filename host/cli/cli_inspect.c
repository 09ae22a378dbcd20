/* lede inspect FILE...: what lede made of an input, for a person or (--json) for a program. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article/article.h"
#include "cli/cli.h"
#include "lede.h"
#include "run/inputs.h"

typedef struct {
    int json;
    int full;
    size_t shown;
} inspect_ctx;

/* Prints s cut to about max bytes on a UTF-8 boundary, with an ellipsis when cut. */
static void print_cut(const char *s, size_t max) {
    size_t n = strlen(s);
    if (n <= max) {
        fputs(s, stdout);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    fwrite(s, 1, max, stdout);
    fputs("…", stdout);
}

static void field(const char *name, const char *value) {
    if (value) printf("%-12s%s\n", name, value);
}

static void list_line(const char *name, const lede_strlist *l) {
    if (!l->n) return;
    printf("%-12s", name);
    for (size_t i = 0; i < l->n; i++) printf("%s%s", i ? "; " : "", l->items[i]);
    putchar('\n');
}

static void list_block(const char *title, const lede_strlist *l, int full) {
    if (!l->n) return;
    printf("-- %s (%zu)\n", title, l->n);
    size_t limit = full ? l->n : (l->n < 12 ? l->n : 12);
    for (size_t i = 0; i < limit; i++) {
        printf("   - ");
        print_cut(l->items[i], full ? (size_t)-1 : 100);
        putchar('\n');
    }
    if (limit < l->n) printf("   … %zu more (--full shows all)\n", l->n - limit);
}

static void print_human(const lede_article *a, int full) {
    printf("== %s", a->source_path ? a->source_path : "(input)");
    if (a->source_member) printf(" [%s]", a->source_member);
    printf("  (%s)\n", a->source_format ? a->source_format : "?");
    field("title", a->title ? a->title : "(none)");
    field("url", a->url);
    field("published", a->published);
    field("modified", a->modified);
    field("byline", a->byline);
    list_line("authors", &a->authors);
    field("section", a->section);
    list_line("tags", &a->tags);
    field("lang", a->lang);
    field("site", a->site_name);
    if (a->description) {
        printf("%-12s", "description");
        print_cut(a->description, full ? (size_t)-1 : 200);
        putchar('\n');
    }
    field("id", a->id);
    printf("-- body: %zu paragraphs, %zu bytes\n", a->n_paragraphs, a->text.len);
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        const lede_paragraph *p = &a->paragraphs[i];
        printf("   [%s] ", p->kind);
        print_cut(p->text, full ? (size_t)-1 : 160);
        putchar('\n');
    }
    list_block("captions", &a->captions, full);
    list_block("related (outside the body)", &a->related, full);
    list_block("dropped as boilerplate", &a->dropped, full);
    if (a->n_links) printf("-- links in body: %zu\n", a->n_links);
    putchar('\n');
}

static int on_article(void *ud, lede_article *a) {
    inspect_ctx *c = ud;
    c->shown++;
    if (!c->json) {
        print_human(a, c->full);
        return 0;
    }
    char *line = lede_article_json(a);
    if (!line) return -1;
    puts(line);
    free(line);
    return 0;
}

static void on_error(void *ud, const char *path, const char *message) {
    (void)ud;
    fprintf(stderr, "lede inspect: %s: %s\n", path, message);
}

static int inspect(int argc, char **argv) {
    inspect_ctx c = {0};
    const char *format = NULL;
    size_t max_bytes = 0;
    unsigned max_dom_depth = 0;
    int lim;
    char **inputs = calloc((size_t)argc, sizeof *inputs);
    size_t n = 0;
    if (!inputs) return EXIT_FATAL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) c.json = 1;
        else if (!strcmp(argv[i], "--full")) c.full = 1;
        else if (!strcmp(argv[i], "--format")) {
            if (++i >= argc) {
                free(inputs);
                return cli_usage_error("inspect", "--format needs a value");
            }
            format = argv[i];
        } else if ((lim = cli_input_limit_option("inspect", argv[i], i + 1 < argc ? argv[i + 1] : NULL, &max_bytes,
                                                 &max_dom_depth)) != 0) {
            if (lim < 0) {
                free(inputs);
                return EXIT_USAGE; /* reported */
            }
            i += lim - 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(inputs);
            return cli_usage_error("inspect", "unknown option '%s'", argv[i]);
        } else
            inputs[n++] = argv[i];
    }
    if (!n) {
        free(inputs);
        return cli_usage_error("inspect", "missing FILE");
    }
    lede_inputs_opts io = {format, max_bytes, max_dom_depth};
    lede_inputs_stats st;
    int rc = lede_inputs_each(inputs, n, &io, on_article, on_error, &c, &st);
    free(inputs);
    if (fflush(stdout) != 0 || rc != 0) return EXIT_FATAL;
    if (!c.json && st.articles == 0 && st.failed == 0) fprintf(stderr, "lede inspect: no article found\n");
    return st.failed ? EXIT_ERRORS : EXIT_OK;
}

const cli_command cli_inspect_command = {
    "inspect",
    "show what lede extracts from a page, feed, dump or JSON record",
    "Usage: lede inspect [--json] [--full] [--format FMT] [limits] FILE...\n\n"
    "Parses each FILE (or directory, or - for stdin) and prints every article in it: title,\n"
    "date, authors, the body paragraphs with their kinds, captions, and what was dropped as\n"
    "boilerplate or kept aside as related teasers. Long texts are cut; --full prints them whole.\n\n"
    "  --json        one JSON object per article per line (the article table of the Lua API,\n"
    "                without the lazy views): title, byline, authors, published, text,\n"
    "                paragraphs, meta, jsonld, links, related, dropped, source, ...\n"
    "  --full        do not shorten anything\n"
    "  --format FMT  read inputs as FMT: html, feed, text, markdown, json, jsonl\n"
    CLI_INPUT_LIMITS_HELP,
    inspect,
};
