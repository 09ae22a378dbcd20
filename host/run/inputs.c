#include "run/inputs.h"

#include <string.h>

#include "article/parse.h"
#include "input/walk.h"

typedef struct {
    const lede_inputs_opts *opts;
    lede_article_fn on_article;
    lede_input_error_fn on_error;
    void *ud;
    lede_inputs_stats *stats;
    lede_buf buf; /* reused across files: fresh memory is the slow part of reading */
} walk_ctx;

static void report(void *ud, const char *path, const char *message) {
    walk_ctx *c = ud;
    c->stats->failed++;
    if (c->on_error) c->on_error(c->ud, path, message);
}

static int one_file(void *ud, const char *path) {
    walk_ctx *c = ud;
    char err[1024] = "";
    lede_buf_clear(&c->buf);
    c->stats->inputs++;
    if (lede_read_file(path, &c->buf, err, sizeof err) != 0) {
        report(c, path, err);
        return 0;
    }
    lede_parse_opts po;
    lede_parse_opts_init(&po);
    po.path = path;
    po.format = c->opts ? c->opts->format : NULL;
    po.max_bytes = c->opts ? c->opts->max_bytes : 0;
    lede_article_list list = {0};
    int prc = lede_parse(c->buf.data ? c->buf.data : "", c->buf.len, &po, &list, err, sizeof err);
    if (prc != 0) report(c, path, err); /* articles parsed before the error still run */
    int rc = 0;
    for (size_t i = 0; i < list.n && rc == 0; i++) {
        c->stats->articles++;
        rc = c->on_article(c->ud, list.items[i]);
    }
    lede_article_list_free(&list);
    /* don't keep a huge buffer around after one huge file */
    if (c->buf.cap > (64u << 20)) lede_buf_free(&c->buf);
    return rc;
}

int lede_inputs_each(char *const *paths, size_t n, const lede_inputs_opts *opts, lede_article_fn on_article,
                     lede_input_error_fn on_error, void *ud, lede_inputs_stats *stats) {
    walk_ctx c = {opts, on_article, on_error, ud, stats, {0}};
    lede_buf_init(&c.buf);
    memset(stats, 0, sizeof *stats);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) rc = lede_walk(paths[i], one_file, report, &c);
    lede_buf_free(&c.buf);
    return rc;
}
