/* JSON article records: an object, an array of objects, or JSON Lines — archives that were
 * already parsed elsewhere (news-please, trafilatura, scrapers' exports). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/date.h"
#include "article/fragment.h"
#include "article/parse.h"

/* The first string field among names (aliases used by common exporters). */
static const char *field(json_t *o, const char *const *names) {
    for (; *names; names++) {
        json_t *v = json_object_get(o, *names);
        if (json_is_string(v) && json_string_length(v)) return json_string_value(v);
    }
    return NULL;
}

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

static void set_field(char **dst, json_t *o, const char *const *names) {
    const char *v = field(o, names);
    if (v) lede_article_set(dst, v, strlen(v));
}

static void push_unique(lede_strlist *l, const char *s) {
    char *clean = NULL;
    lede_article_set(&clean, s, strlen(s));
    if (clean && !lede_strlist_contains(l, clean)) lede_strlist_push(l, clean, strlen(clean));
    free(clean);
}

/* authors/tags: an array of strings (or of {name=}), or one string */
static void set_list(lede_strlist *l, json_t *o, const char *const *names) {
    for (; *names; names++) {
        json_t *v = json_object_get(o, *names);
        if (json_is_string(v)) push_unique(l, json_string_value(v));
        if (!json_is_array(v)) continue;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (json_is_object(x)) x = json_object_get(x, "name");
            if (json_is_string(x)) push_unique(l, json_string_value(x));
        }
    }
}

static int is_whole_page(const char *html) {
    const char *p = html;
    size_t n = strlen(html) < 2048 ? strlen(html) : 2048;
    for (size_t i = 0; i + 5 <= n; i++)
        if (!strncasecmp(p + i, "<html", 5) || !strncasecmp(p + i, "<body", 5) || !strncasecmp(p + i, "<head", 5))
            return 1;
    return 0;
}

static void overlay_metadata(lede_article *a, json_t *o) {
    set_field(&a->url, o, NAMES("url", "link", "canonical_url", "source_url_full"));
    set_field(&a->title, o, NAMES("title", "headline"));
    const char *d = field(o, NAMES("published", "date_publish", "published_at", "datePublished",
                                   "published_date", "pubdate", "date"));
    if (d) {
        char *iso = lede_date_iso(d, strlen(d));
        if (iso) free(a->published), a->published = iso;
    }
    d = field(o, NAMES("modified", "date_modify", "dateModified", "updated", "modified_at"));
    if (d) {
        char *iso = lede_date_iso(d, strlen(d));
        if (iso) free(a->modified), a->modified = iso;
    }
    lede_strlist authors = {0};
    set_list(&authors, o, NAMES("authors", "author", "creator"));
    if (authors.n) {
        lede_strlist_free(&a->authors);
        a->authors = authors;
    }
    set_field(&a->byline, o, NAMES("byline"));
    if (!a->byline && a->authors.n) a->byline = lede_strdup(a->authors.items[0]);
    set_field(&a->description, o, NAMES("description", "summary", "excerpt"));
    set_field(&a->section, o, NAMES("section", "category"));
    set_field(&a->lang, o, NAMES("lang", "language"));
    set_field(&a->site_name, o, NAMES("site_name", "source_domain", "sitename", "source"));
    set_list(&a->tags, o, NAMES("tags", "keywords"));
}

static int record(json_t *o, const lede_parse_opts *opts, lede_article_list *out, char *err, size_t errlen) {
    if (!json_is_object(o)) {
        snprintf(err, errlen, "not a JSON object");
        return -1;
    }
    const char *html = field(o, NAMES("html", "raw_html", "content_html", "body_html"));
    const char *text = field(o, NAMES("text", "maintext", "body", "content", "article", "articleBody"));
    const char *url = field(o, NAMES("url", "link", "canonical_url"));
    lede_parse_opts ho = *opts;
    if (url) ho.url = url;
    lede_article *a = NULL;
    if (html && is_whole_page(html) && !text) {
        size_t before = out->n;
        if (lede_parse_html(html, strlen(html), &ho, out, err, errlen) != 0) return -1;
        if (out->n == before) return 0;
        a = out->items[out->n - 1];
        overlay_metadata(a, o);
        a->source_format = "json";
        return lede_article_finish(a);
    }
    a = lede_article_new();
    if (!a) goto oom;
    overlay_metadata(a, o);
    int rc = text ? lede_text_paragraphs(text, strlen(text), a)
                  : html ? lede_fragment_parse(html, strlen(html), a) : 0;
    if (rc != 0 || lede_parse_finish_article(a, &ho, "json") != 0 || lede_article_list_push(out, a) != 0)
        goto oom;
    return 0;
oom:
    lede_article_free(a);
    snprintf(err, errlen, "out of memory");
    return -1;
}

static int parse_jsonl(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                       char *err, size_t errlen) {
    size_t line = 0, bad = 0;
    char first[256] = "";
    char member[64];
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        line++;
        size_t j = i;
        while (j < end && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r')) j++;
        if (j < end) {
            json_error_t je;
            json_t *v = json_loadb(data + i, end - i, 0, &je);
            lede_parse_opts lo = *o;
            snprintf(member, sizeof member, "line %zu", line);
            if (!o->member) lo.member = member;
            char e[256] = "";
            if (!v) {
                snprintf(e, sizeof e, "%s", je.text);
            } else if (record(v, &lo, out, e, sizeof e) != 0) {
                /* message already in e */
            } else {
                e[0] = '\0';
            }
            json_decref(v);
            if (e[0] && bad++ == 0) snprintf(first, sizeof first, "line %zu: %s", line, e);
        }
        i = end + 1;
    }
    if (!bad) return 0;
    if (bad == 1)
        snprintf(err, errlen, "%s", first);
    else
        snprintf(err, errlen, "%s (and %zu more bad lines)", first, bad - 1);
    return -1;
}

int lede_parse_json(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen) {
    json_error_t je;
    json_t *v = json_loadb(data, len, JSON_DECODE_ANY, &je);
    if (!v) {
        /* a .json file holding JSON Lines is common enough to accept */
        if (je.line > 1 || (o->format && !strcmp(o->format, "jsonl")) ||
            !strcmp(lede_detect_format(data, len, NULL), "jsonl"))
            return parse_jsonl(data, len, o, out, err, errlen);
        snprintf(err, errlen, "invalid JSON at line %d column %d: %s", je.line, je.column, je.text);
        return -1;
    }
    int rc = 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        char member[64];
        json_array_foreach(v, i, x) {
            lede_parse_opts io = *o;
            snprintf(member, sizeof member, "[%zu]", i + 1);
            if (!o->member) io.member = member;
            if (record(x, &io, out, err, errlen) != 0) {
                char tmp[256];
                snprintf(tmp, sizeof tmp, "%s", err);
                snprintf(err, errlen, "record %zu: %s", i + 1, tmp);
                rc = -1;
            }
        }
    } else {
        rc = record(v, o, out, err, errlen);
    }
    json_decref(v);
    return rc;
}
