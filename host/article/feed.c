/* RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one article per item/entry. Other XML documents
 * (XHTML served as XML) go to the HTML path. */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/date.h"
#include "article/fragment.h"
#include "article/parse.h"
#include "limits.h"

/* NONET: never fetch DTDs; no NOENT: entities are not expanded (no XXE, no billion laughs). */
#define XML_OPTIONS (XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET | XML_PARSE_NOCDATA)

static int named(xmlNodePtr n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

static int ns_is(xmlNodePtr n, const char *prefix) {
    return n->ns && n->ns->prefix && !strcmp((const char *)n->ns->prefix, prefix);
}

/* First child element with this local name (and namespace prefix, when given). */
static xmlNodePtr child(xmlNodePtr parent, const char *name, const char *prefix) {
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (named(c, name) && (prefix ? ns_is(c, prefix) : !c->ns || !c->ns->prefix)) return c;
    return NULL;
}

static xmlChar *text_of(xmlNodePtr n) { return n ? xmlNodeGetContent(n) : NULL; }

static void set_from(char **field, xmlNodePtr n) {
    xmlChar *t = text_of(n);
    if (t) lede_article_set(field, (const char *)t, strlen((const char *)t));
    xmlFree(t);
}

static void set_date(char **field, xmlNodePtr n) {
    xmlChar *t = text_of(n);
    if (t && !*field) *field = lede_date_iso((const char *)t, strlen((const char *)t));
    xmlFree(t);
}

static void add_author(lede_article *a, xmlNodePtr n) {
    xmlNodePtr name = child(n, "name", NULL);
    xmlChar *t = text_of(name ? name : n);
    if (t) {
        char *clean = NULL;
        lede_article_set(&clean, (const char *)t, strlen((const char *)t));
        if (clean && !lede_strlist_contains(&a->authors, clean))
            lede_strlist_push(&a->authors, clean, strlen(clean));
        free(clean);
    }
    xmlFree(t);
}

/* Atom: <link rel="alternate" href> (or no rel); RSS: <link>text</link> or <guid isPermaLink>. */
static void set_link(lede_article *a, xmlNodePtr item) {
    for (xmlNodePtr c = item->children; c && !a->url; c = c->next) {
        if (!named(c, "link") || (c->ns && c->ns->prefix)) continue;
        xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
        xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
        if (href && (!rel || !strcmp((const char *)rel, "alternate")))
            lede_article_set(&a->url, (const char *)href, strlen((const char *)href));
        else if (!href)
            set_from(&a->url, c);
        xmlFree(href);
        xmlFree(rel);
    }
    xmlNodePtr guid = child(item, "guid", NULL);
    if (!a->url && guid) {
        xmlChar *perma = xmlGetProp(guid, (const xmlChar *)"isPermaLink");
        if (!perma || strcmp((const char *)perma, "false") != 0) set_from(&a->url, guid);
        xmlFree(perma);
    }
}

/* The richest body the item carries: content:encoded / atom content, else description/summary.
 * Feed bodies are HTML escaped into text (or XHTML inline), parsed as a fragment. */
static int set_body(lede_article *a, xmlNodePtr item) {
    xmlNodePtr body = child(item, "encoded", "content");
    if (!body) body = child(item, "content", NULL);
    xmlNodePtr summary = child(item, "description", NULL);
    if (!summary) summary = child(item, "summary", NULL);
    if (summary) set_from(&a->description, summary);
    if (!body) body = summary;
    if (!body) return 0;
    xmlChar *type = xmlGetProp(body, (const xmlChar *)"type");
    int rc;
    if (type && !strcmp((const char *)type, "xhtml"))
        rc = lede_fragment_paragraphs(body, a);
    else {
        xmlChar *t = text_of(body);
        rc = t ? lede_fragment_parse((const char *)t, strlen((const char *)t), a) : 0;
        xmlFree(t);
    }
    xmlFree(type);
    if (a->description && strchr(a->description, '<')) { /* descriptions are often HTML too */
        lede_article *tmp = lede_article_new();
        if (tmp && lede_fragment_parse(a->description, strlen(a->description), tmp) == 0) {
            free(a->description);
            a->description = tmp->text.len ? lede_strndup(tmp->text.data, tmp->text.len) : NULL;
        }
        lede_article_free(tmp);
    }
    return rc;
}

static lede_article *item_article(xmlNodePtr item, lede_doc *doc, const char *site, const char *lang) {
    lede_article *a = lede_article_new();
    if (!a) return NULL;
    a->doc = lede_doc_ref(doc);
    a->dom_root = item;
    set_from(&a->title, child(item, "title", NULL));
    set_link(a, item);
    set_date(&a->published, child(item, "pubDate", NULL));
    set_date(&a->published, child(item, "published", NULL));
    set_date(&a->published, child(item, "date", "dc"));
    set_date(&a->published, child(item, "issued", NULL));
    set_date(&a->modified, child(item, "updated", NULL));
    if (!a->published && a->modified) a->published = lede_strdup(a->modified);
    for (xmlNodePtr c = item->children; c; c = c->next) {
        if (named(c, "author") || (named(c, "creator") && ns_is(c, "dc"))) add_author(a, c);
        if (named(c, "category") || (named(c, "subject") && ns_is(c, "dc"))) {
            xmlChar *term = xmlGetProp(c, (const xmlChar *)"term");
            xmlChar *t = term ? term : text_of(c);
            char *clean = NULL;
            if (t) lede_article_set(&clean, (const char *)t, strlen((const char *)t));
            if (clean && !lede_strlist_contains(&a->tags, clean)) lede_strlist_push(&a->tags, clean, strlen(clean));
            free(clean);
            xmlFree(t);
        }
    }
    if (a->authors.n) a->byline = lede_strdup(a->authors.items[0]);
    /* cleaned like every other field: libxml2 passes invalid UTF-8 through in recovery mode */
    if (site) lede_article_set(&a->site_name, site, strlen(site));
    if (lang) lede_article_set(&a->lang, lang, strlen(lang));
    if (set_body(a, item) != 0) {
        lede_article_free(a);
        return NULL;
    }
    return a;
}

/* Items live under channel (RSS 2.0), beside it (RSS 1.0) or directly in feed (Atom). */
static void collect_items(xmlNodePtr n, xmlNodePtr *items, size_t *count, size_t max, int depth) {
    for (xmlNodePtr c = n->children; c && *count < max; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (named(c, "item") || named(c, "entry"))
            items[(*count)++] = c;
        else if (depth < 2 && (named(c, "channel")))
            collect_items(c, items, count, max, depth + 1);
    }
}

static int is_feed(xmlNodePtr root) {
    return root && (named(root, "rss") || named(root, "feed") || named(root, "RDF"));
}

int lede_parse_feed(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen) {
    if (len > 0x7fffffff) {
        snprintf(err, errlen, "feed too large for the XML parser");
        return -1;
    }
    xmlDocPtr xdoc = xmlReadMemory(data, (int)len, o->url, NULL, XML_OPTIONS);
    xmlNodePtr root = xdoc ? xmlDocGetRootElement(xdoc) : NULL;
    if (!is_feed(root)) {
        /* XHTML or another XML page: the HTML path handles it (and malformed XML) best */
        if (xdoc) xmlFreeDoc(xdoc);
        return lede_parse_html(data, len, o, out, err, errlen);
    }
    lede_doc *doc = lede_doc_wrap(xdoc);
    if (!doc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    xmlNodePtr channel = child(root, "channel", NULL);
    xmlNodePtr meta = channel ? channel : root;
    xmlChar *site = text_of(child(meta, "title", NULL));
    xmlChar *lang = text_of(child(meta, "language", NULL));
    if (!lang) lang = xmlNodeGetLang(root);

    size_t cap = 64, count = 0;
    xmlNodePtr *items = NULL;
    int rc = 0;
    for (;;) { /* count first: feeds can be long */
        xmlNodePtr *p = realloc(items, cap * sizeof *p);
        if (!p) {
            rc = -1;
            break;
        }
        items = p;
        count = 0;
        collect_items(root, items, &count, cap, 0);
        if (count < cap || cap >= LEDE_DEFAULT_MAX_ITEMS_PER_INPUT) break;
        cap = cap * 4 < LEDE_DEFAULT_MAX_ITEMS_PER_INPUT ? cap * 4 : LEDE_DEFAULT_MAX_ITEMS_PER_INPUT;
    }
    char member[512];
    for (size_t i = 0; rc == 0 && i < count; i++) {
        lede_article *a = item_article(items[i], doc, (const char *)site, (const char *)lang);
        lede_parse_opts io = *o;
        if (o->member)
            snprintf(member, sizeof member, "%.400s#item%zu", o->member, i + 1);
        else
            snprintf(member, sizeof member, "item%zu", i + 1);
        io.member = member;
        io.url = NULL; /* the feed's own URL is not the item's */
        if (!a || lede_parse_finish_article(a, &io, named(root, "feed") ? "atom" : "rss") != 0 ||
            lede_article_list_push(out, a) != 0) {
            lede_article_free(a);
            rc = -1;
        }
    }
    if (rc != 0) snprintf(err, errlen, "out of memory while reading the feed");
    free(items);
    xmlFree(site);
    xmlFree(lang);
    lede_doc_unref(doc);
    return rc;
}
