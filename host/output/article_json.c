#include "output/article_json.h"

static void put_str(json_t *o, const char *k, const char *v) {
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *list_json(const lede_strlist *l) {
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) json_array_append_new(arr, json_string(l->items[i]));
    return arr;
}

json_t *lede_article_ref_json(const lede_article *a) {
    json_t *o = json_object();
    put_str(o, "id", a->id);
    put_str(o, "url", a->url);
    put_str(o, "title", a->title);
    put_str(o, "published", a->published);
    return o;
}

json_t *lede_article_input_json(const lede_article *a) {
    json_t *o = json_object();
    put_str(o, "path", a->source_path);
    put_str(o, "member", a->source_member);
    return o;
}

json_t *lede_article_to_json(const lede_article *a) {
    json_t *o = json_object();
    if (!o) return NULL;
    put_str(o, "id", a->id);
    put_str(o, "url", a->url);
    put_str(o, "title", a->title);
    put_str(o, "byline", a->byline);
    json_object_set_new(o, "authors", list_json(&a->authors));
    put_str(o, "published", a->published);
    put_str(o, "modified", a->modified);
    put_str(o, "section", a->section);
    json_object_set_new(o, "tags", list_json(&a->tags));
    put_str(o, "lang", a->lang);
    put_str(o, "site_name", a->site_name);
    put_str(o, "description", a->description);
    json_object_set_new(o, "text", json_stringn(a->text.data ? a->text.data : "", a->text.len));
    json_t *paras = json_array();
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        const lede_paragraph *p = &a->paragraphs[i];
        json_t *jp = json_object();
        json_object_set_new(jp, "text", json_stringn(p->text, p->len));
        json_object_set_new(jp, "kind", json_string(p->kind));
        json_object_set_new(jp, "start", json_integer((json_int_t)p->start));
        json_object_set_new(jp, "stop", json_integer((json_int_t)(p->start + p->len - 1)));
        json_array_append_new(paras, jp);
    }
    json_object_set_new(o, "paragraphs", paras);
    json_object_set_new(o, "captions", list_json(&a->captions));
    json_t *links = json_array();
    for (size_t i = 0; i < a->n_links; i++) {
        json_t *jl = json_object();
        put_str(jl, "href", a->links[i].href);
        put_str(jl, "text", a->links[i].text);
        json_array_append_new(links, jl);
    }
    json_object_set_new(o, "links", links);
    json_t *meta = json_object();
    for (size_t i = 0; i < a->n_meta; i++) json_object_set_new(meta, a->meta[i].key, json_string(a->meta[i].value));
    json_object_set_new(o, "meta", meta);
    json_object_set_new(o, "jsonld", a->jsonld ? json_incref(a->jsonld) : json_array());
    json_object_set_new(o, "related", list_json(&a->related));
    json_object_set_new(o, "dropped", list_json(&a->dropped));
    json_t *src = lede_article_input_json(a);
    put_str(src, "format", a->source_format);
    json_object_set_new(o, "source", src);
    return o;
}
