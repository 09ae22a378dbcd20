/* The public face of parsing (include/lede.h): batches of articles and field access. */
#include <stdlib.h>
#include <string.h>

#include "article/parse.h"
#include "lede.h"
#include "output/article_json.h"

struct lede_batch {
    lede_article_list list;
};

int lede_batch_parse(lede_batch **out, const char *data, size_t len, const char *path, char *err,
                     size_t errlen) {
    *out = calloc(1, sizeof **out);
    if (!*out) return LEDE_ENOMEM;
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = path;
    return lede_parse(data, len, &o, &(*out)->list, err, errlen) == 0 ? LEDE_OK : LEDE_EPARSE;
}

size_t lede_batch_count(const lede_batch *b) { return b ? b->list.n : 0; }

lede_article *lede_batch_article(const lede_batch *b, size_t i) {
    return b && i < b->list.n ? b->list.items[i] : NULL;
}

void lede_batch_free(lede_batch *b) {
    if (!b) return;
    lede_article_list_free(&b->list);
    free(b);
}

const char *lede_article_field(const lede_article *a, const char *name) {
    struct {
        const char *name;
        const char *value;
    } fields[] = {{"id", a->id},           {"url", a->url},         {"title", a->title},
                  {"byline", a->byline},   {"published", a->published},
                  {"modified", a->modified}, {"section", a->section}, {"lang", a->lang},
                  {"site_name", a->site_name}, {"description", a->description},
                  {"text", a->text.data ? a->text.data : ""}, {"path", a->source_path},
                  {"member", a->source_member}, {"format", a->source_format}};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!strcmp(fields[i].name, name)) return fields[i].value;
    return NULL;
}

char *lede_article_json(const lede_article *a) {
    json_t *j = lede_article_to_json(a);
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

