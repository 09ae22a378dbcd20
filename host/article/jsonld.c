/* JSON-LD: every <script type="application/ld+json"> is decoded into a->jsonld (one array
 * entry per object, @graph and top-level arrays flattened), then the first object of an article
 * type gives the metadata fields. Broken blocks are skipped, never fatal. */
#include <jansson.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "article/extract_int.h"

static int push_object(json_t *all, json_t *o) {
    if (!json_is_object(o)) return 0;
    json_t *graph = json_object_get(o, "@graph");
    if (json_is_array(graph)) {
        size_t i;
        json_t *g;
        json_array_foreach(graph, i, g) if (json_is_object(g) && json_array_append(all, g) != 0) return -1;
        return 0;
    }
    return json_array_append(all, o);
}

static int eat_prefix(const char **s, size_t *n, const char *p) {
    size_t L = strlen(p);
    if (*n < L || strncmp(*s, p, L) != 0) return 0;
    *s += L, *n -= L;
    return 1;
}

static int eat_suffix(const char *s, size_t *n, const char *p) {
    size_t L = strlen(p);
    if (*n < L || strncmp(s + *n - L, p, L) != 0) return 0;
    *n -= L;
    return 1;
}

static void trim(const char **s, size_t *n) {
    while (*n && strchr(" \n\r\t", **s)) (*s)++, (*n)--;
    while (*n && strchr(" \n\r\t;", (*s)[*n - 1])) (*n)--;
}

static json_t *decode(const char *s, size_t n) {
    /* pages wrap the JSON in comments or CDATA markers, or end it with a semicolon */
    for (int round = 0; round < 3; round++) {
        trim(&s, &n);
        int cut = eat_prefix(&s, &n, "<!--") | eat_prefix(&s, &n, "//") |
                  eat_prefix(&s, &n, "<![CDATA[");
        trim(&s, &n);
        cut |= eat_suffix(s, &n, "-->") | eat_suffix(s, &n, "]]>");
        trim(&s, &n);
        cut |= eat_suffix(s, &n, "//");
        if (!cut) break;
    }
    json_error_t e;
    return json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
}

int ex_jsonld_collect(const ex_doc *d, lede_article *a) {
    if (d->n_scripts == 0) return 0;
    json_t *all = json_array();
    if (!all) return -1;
    lede_buf b;
    lede_buf_init(&b);
    int rc = 0;
    for (int k = 0; k < d->n_scripts && rc == 0; k++) {
        lede_buf_clear(&b);
        for (xmlNode *c = d->jsonld_scripts[k]->children; c; c = c->next)
            if (c->content) lede_buf_puts(&b, (const char *)c->content);
        if (!b.data) continue;
        json_t *j = decode(b.data, b.len);
        if (!j) continue;
        if (json_is_array(j)) {
            size_t i;
            json_t *o;
            json_array_foreach(j, i, o) if (rc == 0) rc = push_object(all, o);
        } else {
            rc = push_object(all, j);
        }
        json_decref(j);
    }
    lede_buf_free(&b);
    if (rc != 0 || json_array_size(all) == 0) {
        json_decref(all);
        return rc;
    }
    if (a->jsonld) json_decref(a->jsonld);
    a->jsonld = all;
    return 0;
}

static int article_type_name(const char *t) {
    static const char *const types[] = {
        "Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
        "BackgroundNewsArticle", "BlogPosting", "DiscussionForumPosting", "LiveBlogPosting",
        "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report",
        "SatiricalArticle", "ScholarlyArticle", "MedicalScholarlyArticle", "SocialMediaPosting",
        "TechArticle", "AdvertiserContentArticle", "Review", NULL};
    if (!t) return 0;
    const char *slash = strrchr(t, '/'); /* "http://schema.org/NewsArticle" */
    if (slash) t = slash + 1;
    for (const char *const *p = types; *p; p++)
        if (strcmp(t, *p) == 0) return 1;
    return 0;
}

static int is_article(json_t *o) {
    json_t *t = json_object_get(o, "@type");
    if (json_is_string(t)) return article_type_name(json_string_value(t));
    if (json_is_array(t)) {
        size_t i;
        json_t *x;
        json_array_foreach(t, i, x) if (json_is_string(x) && article_type_name(json_string_value(x))) return 1;
    }
    return 0;
}

static const char *str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_array(v)) v = json_array_get(v, 0);
    if (json_is_object(v)) v = json_object_get(v, "@value");
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static const char *name_of(json_t *v) {
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_object(v)) return str(v, "name");
    return NULL;
}

static void add_names(lede_strlist *l, json_t *v) {
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) add_names(l, json_is_array(x) ? NULL : x);
        return;
    }
    const char *s = name_of(v);
    if (s && *s && strncmp(s, "http", 4) != 0 && !lede_strlist_contains(l, s))
        lede_strlist_push(l, s, strlen(s));
}

static void add_keywords(lede_strlist *l, json_t *v) {
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (json_is_string(x)) add_keywords(l, x);
        return;
    }
    if (!json_is_string(v)) return;
    const char *s = json_string_value(v);
    while (*s) { /* "a, b, c" */
        while (*s == ' ' || *s == ',') s++;
        const char *e = s;
        while (*e && *e != ',') e++;
        size_t n = (size_t)(e - s);
        while (n && s[n - 1] == ' ') n--;
        if (n) lede_strlist_push(l, s, n);
        s = e;
    }
}

void ex_jsonld_article(const lede_article *a, ex_ld *out) {
    memset(out, 0, sizeof *out);
    if (!a->jsonld) return;
    json_t *art = NULL, *o;
    size_t i;
    json_array_foreach(a->jsonld, i, o) if (!art && is_article(o)) art = o;
    if (!art) return;
    out->headline = str(art, "headline");
    out->name = str(art, "name");
    out->date_published = str(art, "datePublished");
    if (!out->date_published) out->date_published = str(art, "dateCreated");
    out->date_modified = str(art, "dateModified");
    out->section = str(art, "articleSection");
    out->description = str(art, "description");
    out->url = str(art, "url");
    out->lang = str(art, "inLanguage");
    out->body = str(art, "articleBody");
    json_t *pub = json_object_get(art, "publisher");
    if (json_is_array(pub)) pub = json_array_get(pub, 0);
    out->site_name = json_is_object(pub) ? str(pub, "name") : NULL;
    add_names(&out->authors, json_object_get(art, "author"));
    if (out->authors.n == 0) add_names(&out->authors, json_object_get(art, "creator"));
    add_keywords(&out->keywords, json_object_get(art, "keywords"));
}

void ex_ld_free(ex_ld *ld) {
    lede_strlist_free(&ld->authors);
    lede_strlist_free(&ld->keywords);
}
