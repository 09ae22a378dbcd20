#include "article/article.h"

#include <jansson.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/utf8.h"

const char LEDE_KIND_PARAGRAPH[] = "paragraph";
const char LEDE_KIND_HEADING[] = "heading";
const char LEDE_KIND_LIST_ITEM[] = "list_item";
const char LEDE_KIND_QUOTE[] = "quote";
const char LEDE_KIND_CODE[] = "code";
const char LEDE_KIND_CAPTION[] = "caption";
const char LEDE_KIND_TABLE[] = "table";

lede_doc *lede_doc_wrap(xmlDocPtr doc) {
    if (!doc) return NULL;
    lede_doc *d = malloc(sizeof *d);
    if (!d) {
        xmlFreeDoc(doc);
        return NULL;
    }
    d->doc = doc;
    d->refs = 1;
    return d;
}

/* Atomic: an XPath query the sandbox gave up on holds a reference on its own thread. */
lede_doc *lede_doc_ref(lede_doc *d) {
    if (d) __atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
    return d;
}

void lede_doc_unref(lede_doc *d) {
    if (!d || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
    xmlFreeDoc(d->doc);
    free(d);
}

lede_article *lede_article_new(void) { return calloc(1, sizeof(lede_article)); }

void lede_article_free(lede_article *a) {
    if (!a) return;
    char **fields[] = {&a->id,        &a->url,       &a->title,     &a->byline,
                       &a->published, &a->modified,  &a->section,   &a->lang,
                       &a->site_name, &a->description, &a->source_path, &a->source_member};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) free(*fields[i]);
    lede_strlist_free(&a->authors);
    lede_strlist_free(&a->tags);
    lede_strlist_free(&a->captions);
    lede_strlist_free(&a->related);
    lede_strlist_free(&a->dropped);
    lede_buf_free(&a->text);
    for (size_t i = 0; i < a->n_paragraphs; i++) free(a->paragraphs[i].text);
    free(a->paragraphs);
    for (size_t i = 0; i < a->n_links; i++) {
        free(a->links[i].href);
        free(a->links[i].text);
    }
    free(a->links);
    for (size_t i = 0; i < a->n_meta; i++) {
        free(a->meta[i].key);
        free(a->meta[i].value);
    }
    free(a->meta);
    if (a->jsonld) json_decref(a->jsonld);
    lede_doc_unref(a->doc);
    free(a);
}

int lede_article_set(char **field, const char *s, size_t n) {
    lede_buf b;
    lede_buf_init(&b);
    if (s && lede_utf8_append_squeezed(&b, s, n) != 0) {
        lede_buf_free(&b);
        return -1;
    }
    free(*field);
    *field = NULL;
    if (b.len == 0) {
        lede_buf_free(&b);
        return 0;
    }
    *field = lede_buf_detach(&b, NULL);
    return 0;
}

int lede_article_add_paragraph(lede_article *a, const char *kind, const char *s, size_t n) {
    lede_buf b;
    lede_buf_init(&b);
    int rc;
    if (strcmp(kind, LEDE_KIND_CODE) == 0) {
        /* keep line structure of code, trim blank lines at the ends */
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
        while (n && (s[0] == '\n' || s[0] == '\r')) s++, n--;
        rc = lede_utf8_append_clean(&b, s, n);
    } else {
        rc = lede_utf8_append_squeezed(&b, s, n);
    }
    if (rc != 0) goto fail;
    if (b.len == 0) {
        lede_buf_free(&b);
        return 0;
    }
    lede_paragraph *paras = lede_grow(a->paragraphs, a->n_paragraphs, &a->cap_paragraphs, sizeof *paras, 16);
    if (!paras) goto fail;
    a->paragraphs = paras;
    if (a->text.len && lede_buf_append(&a->text, "\n\n", 2) != 0) goto fail;
    size_t start = a->text.len + 1;
    if (lede_buf_append(&a->text, b.data, b.len) != 0) goto fail;
    lede_paragraph *p = &a->paragraphs[a->n_paragraphs++];
    p->len = b.len;
    p->text = lede_buf_detach(&b, NULL);
    p->kind = kind;
    p->start = start;
    return 0;
fail:
    lede_buf_free(&b);
    return -1;
}

int lede_article_add_link(lede_article *a, const char *href, const char *text) {
    lede_link *links = lede_grow(a->links, a->n_links, &a->cap_links, sizeof *links, 16);
    if (!links) return -1;
    a->links = links;
    lede_link *l = &a->links[a->n_links];
    l->href = NULL;
    l->text = NULL;
    if (lede_article_set(&l->href, href, strlen(href)) != 0 ||
        lede_article_set(&l->text, text ? text : "", text ? strlen(text) : 0) != 0) {
        free(l->href);
        free(l->text);
        return -1;
    }
    if (!l->href) {
        free(l->text);
        return 0;
    }
    if (!l->text) l->text = lede_strdup("");
    a->n_links++;
    return 0;
}

int lede_article_add_meta(lede_article *a, const char *key, const char *value) {
    if (!key || !*key || !value) return 0;
    if (lede_article_meta(a, key)) return 0; /* first one wins, as browsers and scrapers do */
    lede_kv *meta = lede_grow(a->meta, a->n_meta, &a->cap_meta, sizeof *meta, 16);
    if (!meta) return -1;
    a->meta = meta;
    lede_kv *kv = &a->meta[a->n_meta];
    kv->key = NULL;
    kv->value = NULL;
    lede_buf b;
    lede_buf_init(&b);
    if (lede_utf8_append_clean(&b, key, strlen(key)) != 0) return -1;
    kv->key = lede_buf_detach(&b, NULL);
    for (char *c = kv->key; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    if (lede_article_set(&kv->value, value, strlen(value)) != 0) {
        free(kv->key);
        return -1;
    }
    if (!kv->value) kv->value = lede_strdup("");
    a->n_meta++;
    return 0;
}

const char *lede_article_meta(const lede_article *a, const char *key) {
    for (size_t i = 0; i < a->n_meta; i++)
        if (strcasecmp(a->meta[i].key, key) == 0) return a->meta[i].value;
    return NULL;
}

int lede_article_finish(lede_article *a) {
    char hex[17];
    uint64_t h;
    if (a->url)
        h = lede_hash64(a->url, strlen(a->url));
    else if (a->text.len)
        h = lede_hash64(a->text.data, a->text.len);
    else {
        lede_buf k;
        lede_buf_init(&k);
        lede_buf_printf(&k, "%s\n%s\n%s", a->title ? a->title : "",
                        a->source_path ? a->source_path : "",
                        a->source_member ? a->source_member : "");
        h = lede_hash64(k.data ? k.data : "", k.len);
        lede_buf_free(&k);
    }
    lede_hash64_hex(h, hex);
    free(a->id);
    a->id = lede_strdup(hex);
    return a->id ? 0 : -1;
}

int lede_article_list_push(lede_article_list *l, lede_article *a) {
    lede_article **items = lede_grow(l->items, l->n, &l->cap, sizeof *items, 4);
    if (!items) return -1;
    l->items = items;
    l->items[l->n++] = a;
    return 0;
}

void lede_article_list_free(lede_article_list *l) {
    for (size_t i = 0; i < l->n; i++) lede_article_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
