#include "run/inputs.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    lede_article_fn on_article;
    lede_input_error_fn on_error;
    void *ud;
    const lede_source_opts *so;
    lede_inputs_stats *stats;
} each_ctx;

void lede_unit_parse_opts(const lede_unit *u, const lede_source_opts *so, lede_parse_opts *po) {
    lede_parse_opts_init(po);
    po->path = u->path;
    po->member = u->member;
    po->format = u->format;
    po->url = u->url;
    po->charset = u->charset;
    po->date = u->date;
    po->max_bytes = so->max_bytes;
    po->max_dom_depth = so->max_dom_depth;
}

void lede_unit_label(const char *path, const char *member, char *out, size_t n) {
    if (!member)
        snprintf(out, n, "%s", path);
    else if (!strncmp(member, "line ", 5)) /* a JSONL line reads like a compiler's file:line */
        snprintf(out, n, "%s: %s", path, member);
    else
        snprintf(out, n, "%s [%s]", path, member);
}

static void report(each_ctx *c, const char *path, const char *member, const char *message) {
    c->stats->failed++;
    if (!c->on_error) return;
    char label[2048];
    lede_unit_label(path, member, label, sizeof label);
    c->on_error(c->ud, label, message);
}

static void source_error(void *ud, const char *path, const char *member, const char *message) {
    report(ud, path, member, message);
}

static int one_unit(void *ud, const lede_unit *u) {
    each_ctx *c = ud;
    char err[1024] = "";
    lede_parse_opts po;
    lede_unit_parse_opts(u, c->so, &po);
    lede_article_list list = {0};
    if (lede_parse(u->data, u->len, &po, &list, err, sizeof err) != 0)
        report(c, u->path, u->member, err); /* articles parsed before the error still run */
    int rc = 0;
    for (size_t i = 0; i < list.n && rc == 0; i++) {
        c->stats->articles++;
        rc = c->on_article(c->ud, list.items[i]);
    }
    lede_article_list_free(&list);
    return rc;
}

int lede_inputs_each(char *const *paths, size_t n, const lede_inputs_opts *opts, lede_article_fn on_article,
                     lede_input_error_fn on_error, void *ud, lede_inputs_stats *stats) {
    memset(stats, 0, sizeof *stats);
    lede_source_opts so = {0};
    so.format = opts ? opts->format : NULL;
    so.max_bytes = opts ? opts->max_bytes : 0;
    so.max_dom_depth = opts ? opts->max_dom_depth : 0;
    each_ctx c = {on_article, on_error, ud, &so, stats};
    lede_source_stats st = {0};
    int rc = lede_sources_each(paths, n, &so, one_unit, source_error, &c, &st);
    stats->inputs = st.files;
    stats->failed += st.failed;
    return rc;
}
