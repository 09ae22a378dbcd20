/* Metadata fields and their order of preference (docs/extraction.md keeps the same list):
 *   title      JSON-LD name/headline > dc:title > og:title > meta title > twitter:title >
 *              parsely-title > <title> with its site part cut off
 *   byline     JSON-LD author names > dc:creator > meta author > parsely-author >
 *              article:author (unless a URL) > the page's author line (rel=author, itemprop,
 *              class byline/author)
 *   published  JSON-LD datePublished > article:published_time > parsely-pub-date >
 *              itemprop datePublished > other date metas > <time datetime> in the body
 *   modified   JSON-LD dateModified > article:modified_time > og:updated_time > itemprop
 *   section    JSON-LD articleSection > article:section > parsely-section
 *   tags       JSON-LD keywords > article:tag (all) > news_keywords > keywords
 *   lang       <html lang> > content-language > og:locale > JSON-LD inLanguage
 *   site_name  og:site_name > JSON-LD publisher.name > application-name
 *   description og:description > description > twitter:description > JSON-LD description */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/date.h"
#include "article/extract_int.h"
#include "util/utf8.h"

static int add_meta_element(lede_article *a, xmlNode *n) {
    const char *content = ex_attr(n, "content");
    if (!content) return 0;
    const char *keys[3] = {ex_attr(n, "property"), ex_attr(n, "name"), ex_attr(n, "itemprop")};
    for (int k = 0; k < 3; k++) {
        const char *s = keys[k];
        if (!s) continue;
        /* property="og:title twitter:title" names two keys */
        while (*s) {
            while (*s == ' ') s++;
            size_t len = strcspn(s, " ");
            if (len && len < 128) {
                char key[128];
                memcpy(key, s, len);
                key[len] = 0;
                if (strcasecmp(key, "article:tag") == 0 && *content)
                    lede_strlist_push(&a->tags, content, strlen(content));
                if (lede_article_add_meta(a, key, content) != 0) return -1;
            }
            s += len;
        }
    }
    return 0;
}

/* <head> is small: a plain iterative walk for meta, title and the canonical link. */
static int scan_head(xmlNode *head, lede_article *a, lede_buf *title, const char **canonical) {
    xmlNode *n = head ? head->children : NULL;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && n->name) {
            const char *name = (const char *)n->name;
            if (strcmp(name, "meta") == 0) {
                if (add_meta_element(a, n) != 0) return -1;
            } else if (strcmp(name, "title") == 0 && title->len == 0) {
                for (xmlNode *c = n->children; c; c = c->next)
                    if (c->content) lede_buf_puts(title, (const char *)c->content);
            } else if (strcmp(name, "link") == 0) {
                const char *rel = ex_attr(n, "rel"), *href = ex_attr(n, "href");
                if (rel && href && strcasecmp(rel, "canonical") == 0 && !*canonical)
                    *canonical = href;
            }
            if (n->children && strcmp(name, "script") != 0 && strcmp(name, "style") != 0) {
                n = n->children;
                continue;
            }
        }
        while (n && n != head && !n->next) n = n->parent;
        if (!n || n == head) break;
        n = n->next;
    }
    return 0;
}

static const char *first_meta(const lede_article *a, const char *const *keys) {
    for (; *keys; keys++) {
        const char *v = lede_article_meta(a, *keys);
        if (v && *v) return v;
    }
    return NULL;
}

static int word_count(const char *s) {
    int n = 0, in = 0;
    for (; *s; s++) {
        int sp = *s == ' ' || *s == '\t' || *s == '\n';
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* Offset of the last (or first) " | " style separator in s, or -1. */
static const char *const separators[] = {"|", "-", "\\", "/", ">", "\xC2\xBB", "\xE2\x80\x93",
                                         "\xE2\x80\x94", NULL};
static long find_separator(const char *s, int last, int hierarchical_only) {
    long found = -1;
    for (const char *p = s; *p; p++) {
        if (*p != ' ') continue;
        for (const char *const *sep = separators; *sep; sep++) {
            size_t L = strlen(*sep);
            if (hierarchical_only && (**sep == '|' || **sep == '-' || L == 3)) continue;
            if (strncmp(p + 1, *sep, L) == 0 && p[1 + L] == ' ') {
                found = p - s;
                if (!last) return found;
            }
        }
    }
    return found;
}

static int is_separator_at(const char *p, size_t *len) {
    for (const char *const *sep = separators; *sep; sep++) {
        size_t L = strlen(*sep);
        if (strncmp(p, *sep, L) == 0) {
            *len = L;
            return 1;
        }
    }
    return 0;
}

/* Words of s once every separator character is removed (readability's word count check). */
static int words_without_separators(const char *s) {
    lede_buf b;
    lede_buf_init(&b);
    for (const char *p = s; *p;) {
        size_t L;
        if (is_separator_at(p, &L)) {
            p += L;
            continue;
        }
        lede_buf_putc(&b, *p++);
    }
    int n = b.data ? word_count(b.data) : 0;
    lede_buf_free(&b);
    return n;
}

static int heading_equals(const ex_doc *d, const char *s) {
    int r = 0;
    lede_buf t, q;
    lede_buf_init(&t);
    lede_buf_init(&q);
    for (int i = d->body; i >= 0 && i < d->n && !r; i++) {
        if (d->v[i].tag != T_H1 && d->v[i].tag != T_H2) continue;
        lede_buf_clear(&t);
        lede_buf_clear(&q);
        ex_node_text(d, i, &t);
        lede_utf8_append_squeezed(&q, t.data ? t.data : "", t.len);
        r = q.data && strcmp(q.data, s) == 0;
    }
    lede_buf_free(&t);
    lede_buf_free(&q);
    return r;
}

/* readability's reading of <title>: cut the site name off "Headline | Site" or "Site: Headline"
 * unless that leaves too few words; fall back to the only <h1> for odd lengths. */
static char *title_from_document(const ex_doc *d, const char *orig) {
    lede_buf cur;
    lede_buf_init(&cur);
    lede_buf_puts(&cur, orig);
    int hierarchical = 0;
    long sep = find_separator(orig, 1, 0);
    if (sep >= 0) {
        hierarchical = find_separator(orig, 1, 1) >= 0;
        lede_buf_clear(&cur);
        lede_buf_append(&cur, orig, (size_t)sep);
        if (word_count(cur.data ? cur.data : "") < 3) {
            const char *p = orig;
            size_t L = 0;
            while (*p && !is_separator_at(p, &L)) p++;
            lede_buf_clear(&cur);
            lede_buf_puts(&cur, *p ? p + L : orig);
        }
    } else if (strstr(orig, ": ")) {
        if (!heading_equals(d, orig)) {
            const char *last = strrchr(orig, ':'), *first = strchr(orig, ':');
            lede_buf_clear(&cur);
            lede_buf_puts(&cur, last + 1);
            if (word_count(cur.data) < 3) {
                lede_buf_clear(&cur);
                lede_buf_puts(&cur, first + 1);
            } else {
                lede_buf pre;
                lede_buf_init(&pre);
                lede_buf_append(&pre, orig, (size_t)(first - orig));
                if (word_count(pre.data ? pre.data : "") > 5) {
                    lede_buf_clear(&cur);
                    lede_buf_puts(&cur, orig);
                }
                lede_buf_free(&pre);
            }
        }
    } else {
        size_t len = strlen(orig);
        if ((len > 150 || len < 15) && d->n_h1 == 1) {
            lede_buf_clear(&cur);
            ex_node_text(d, d->first_h1, &cur);
        }
    }
    lede_buf sq;
    lede_buf_init(&sq);
    lede_utf8_append_squeezed(&sq, cur.data ? cur.data : "", cur.len);
    lede_buf_free(&cur);
    int wc = sq.data ? word_count(sq.data) : 0;
    if (wc <= 4 && (!hierarchical || wc != words_without_separators(orig) - 1)) {
        lede_buf_clear(&sq);
        lede_buf_puts(&sq, orig);
    }
    return lede_buf_detach(&sq, NULL);
}

static int set_str(char **field, const char *s) {
    if (*field || !s) return 0;
    return lede_article_set(field, s, strlen(s));
}

static int set_date(char **field, const char *s) {
    if (*field || !s) return 0;
    *field = lede_date_iso(s, strlen(s));
    return 0;
}

static int pick_title(const ex_doc *d, lede_article *a, const ex_ld *ld, const char *doc_title) {
    static const char *const keys[] = {"dc:title", "dcterm:title", "og:title",
                                       "weibo:article:title", "weibo:webpage:title", "title",
                                       "twitter:title", "parsely-title", NULL};
    const char *t = NULL;
    char *from_doc = NULL;
    if (ld->name && ld->headline && strcmp(ld->name, ld->headline) != 0) {
        from_doc = title_from_document(d, doc_title);
        t = (ex_similar(ld->headline, from_doc) && !ex_similar(ld->name, from_doc)) ? ld->headline
                                                                                  : ld->name;
    } else {
        t = ld->name ? ld->name : ld->headline;
    }
    if (!t) t = first_meta(a, keys);
    int rc;
    if (t) {
        rc = lede_article_set(&a->title, t, strlen(t));
    } else {
        if (!from_doc) from_doc = title_from_document(d, doc_title);
        rc = from_doc ? lede_article_set(&a->title, from_doc, strlen(from_doc)) : -1;
    }
    free(from_doc);
    return rc;
}

/* The first author line in the page: rel=author, itemprop=author or a byline class. */
static int byline_from_page(const ex_doc *d, lede_article *a) {
    if (d->body < 0) return 0;
    lede_buf t, q;
    lede_buf_init(&t);
    lede_buf_init(&q);
    for (int i = d->body; i < d->v[d->body].end && !a->byline; i++) {
        const ex_node *x = &d->v[i];
        if (!(x->flags & F_BYLINE) || x->text == 0 || x->text >= 100) continue;
        lede_buf_clear(&t);
        lede_buf_clear(&q);
        ex_node_text(d, i, &t);
        lede_utf8_append_squeezed(&q, t.data ? t.data : "", t.len);
        if (q.len) lede_article_set(&a->byline, q.data, q.len);
    }
    lede_buf_free(&t);
    lede_buf_free(&q);
    return 0;
}

static int is_url(const char *s) { return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0; }

static int pick_byline(const ex_doc *d, lede_article *a, const ex_ld *ld) {
    static const char *const keys[] = {"dc:creator", "dcterm:creator", "author",
                                       "parsely-author", NULL};
    if (ld->authors.n) {
        lede_buf b;
        lede_buf_init(&b);
        for (size_t k = 0; k < ld->authors.n; k++) {
            if (k) lede_buf_puts(&b, ", ");
            lede_buf_puts(&b, ld->authors.items[k]);
            lede_strlist_push(&a->authors, ld->authors.items[k], strlen(ld->authors.items[k]));
        }
        int rc = b.data ? lede_article_set(&a->byline, b.data, b.len) : 0;
        lede_buf_free(&b);
        return rc;
    }
    const char *m = first_meta(a, keys);
    if (!m) {
        const char *aa = lede_article_meta(a, "article:author");
        if (aa && *aa && !is_url(aa)) m = aa;
    }
    if (m) {
        if (lede_article_set(&a->byline, m, strlen(m)) != 0) return -1;
    } else {
        byline_from_page(d, a);
    }
    if (a->byline && a->authors.n == 0) {
        const char *s = a->byline;
        if (strncasecmp(s, "by ", 3) == 0) s += 3;
        lede_strlist_push(&a->authors, s, strlen(s));
    }
    return 0;
}

/* <time datetime> in the body: one marked as the publication date first, else the first. */
static const char *time_from_page(const ex_doc *d) {
    const char *first = NULL;
    for (int i = d->body; i >= 0 && i < d->v[d->body].end; i++) {
        if (d->v[i].tag != T_TIME) continue;
        const char *dt = ex_attr(d->v[i].n, "datetime");
        if (!dt || !*dt) continue;
        const char *ip = ex_attr(d->v[i].n, "itemprop");
        if ((ip && strstr(ip, "datePublished")) || ex_attr(d->v[i].n, "pubdate")) return dt;
        if (!first) first = dt;
    }
    return first;
}

static int pick_dates(const ex_doc *d, lede_article *a, const ex_ld *ld) {
    static const char *const pub[] = {"article:published_time", "parsely-pub-date",
                                      "datepublished", "og:published_time", "published_time",
                                      "article:published", "pubdate", "publishdate",
                                      "publish-date", "dc.date.issued", "dc.date", "dcterms.date",
                                      "dcterms.created", "sailthru.date", "date", NULL};
    static const char *const mod[] = {"article:modified_time", "og:updated_time", "datemodified",
                                      "modified_time", "dcterms.modified", "last-modified", NULL};
    set_date(&a->published, ld->date_published);
    set_date(&a->published, first_meta(a, pub));
    set_date(&a->published, time_from_page(d));
    set_date(&a->modified, ld->date_modified);
    set_date(&a->modified, first_meta(a, mod));
    return 0;
}

static int pick_rest(const ex_doc *d, lede_article *a, const ex_ld *ld, const char *canonical) {
    static const char *const section[] = {"article:section", "parsely-section", "section", NULL};
    static const char *const lang[] = {"content-language", "og:locale", "language", NULL};
    static const char *const site[] = {"og:site_name", NULL};
    static const char *const desc[] = {"og:description", "description", "twitter:description",
                                       "dc:description", NULL};
    static const char *const kw[] = {"news_keywords", "keywords", NULL};
    set_str(&a->section, ld->section);
    set_str(&a->section, first_meta(a, section));
    const char *hl = d->html ? ex_attr(d->html, "lang") : NULL;
    set_str(&a->lang, hl && *hl ? hl : NULL);
    set_str(&a->lang, first_meta(a, lang));
    set_str(&a->lang, ld->lang);
    set_str(&a->site_name, first_meta(a, site));
    set_str(&a->site_name, ld->site_name);
    set_str(&a->site_name, lede_article_meta(a, "application-name"));
    set_str(&a->description, first_meta(a, desc));
    set_str(&a->description, ld->description);
    if (a->tags.n == 0)
        for (size_t k = 0; k < ld->keywords.n; k++)
            lede_strlist_push(&a->tags, ld->keywords.items[k], strlen(ld->keywords.items[k]));
    const char *k = a->tags.n ? NULL : first_meta(a, kw);
    while (k && *k) {
        while (*k == ' ' || *k == ',') k++;
        size_t n = strcspn(k, ",");
        size_t m = n;
        while (m && k[m - 1] == ' ') m--;
        if (m) lede_strlist_push(&a->tags, k, m);
        k += n;
    }
    if (!a->url) {
        set_str(&a->url, canonical && is_url(canonical) ? canonical : NULL);
        set_str(&a->url, lede_article_meta(a, "og:url"));
        set_str(&a->url, ld->url && is_url(ld->url) ? ld->url : NULL);
    }
    return 0;
}

int ex_meta(const ex_doc *d, xmlDoc *doc, lede_article *a) {
    (void)doc;
    lede_buf title;
    lede_buf_init(&title);
    const char *canonical = NULL;
    int rc = scan_head(d->head, a, &title, &canonical);
    for (int k = 0; k < d->n_metas && rc == 0; k++) {
        xmlNode *n = d->metas[k];
        if (strcmp((const char *)n->name, "meta") == 0) rc = add_meta_element(a, n);
    }
    lede_buf tsq;
    lede_buf_init(&tsq);
    if (rc == 0) rc = lede_utf8_append_squeezed(&tsq, title.data ? title.data : "", title.len);
    ex_ld ld;
    ex_jsonld_article(a, &ld);
    if (rc == 0) rc = pick_title(d, a, &ld, tsq.data ? tsq.data : "");
    if (rc == 0) rc = pick_byline(d, a, &ld);
    if (rc == 0) rc = pick_dates(d, a, &ld);
    if (rc == 0) rc = pick_rest(d, a, &ld, canonical);
    ex_ld_free(&ld);
    lede_buf_free(&title);
    lede_buf_free(&tsq);
    return rc;
}
