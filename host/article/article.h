/* The C-side article: what every parser produces and the Lua binding exposes (DESIGN.md §3).
 * Every string is owned by the article, NUL-terminated and valid UTF-8. */
#ifndef LEDE_ARTICLE_ARTICLE_H
#define LEDE_ARTICLE_ARTICLE_H

#include <stddef.h>

#include "util/buf.h"

struct json_t;
struct _xmlDoc;
struct _xmlNode;

/* Paragraph kinds, as the strings Lua sees in paragraphs[i].kind. They are objects, not
 * literals, so code may compare kinds by pointer. */
extern const char LEDE_KIND_PARAGRAPH[];
extern const char LEDE_KIND_HEADING[];
extern const char LEDE_KIND_LIST_ITEM[];
extern const char LEDE_KIND_QUOTE[];
extern const char LEDE_KIND_CODE[];
extern const char LEDE_KIND_CAPTION[];
extern const char LEDE_KIND_TABLE[];

typedef struct lede_paragraph {
    char *text;
    const char *kind; /* one of the LEDE_KIND_* literals */
    size_t start;     /* 1-based byte offset of this paragraph in article.text */
    size_t len;
} lede_paragraph;

typedef struct lede_link {
    char *href;
    char *text;
} lede_link;

typedef struct lede_kv {
    char *key;
    char *value;
} lede_kv;

/* A parsed libxml2 document shared by the articles cut from it (a feed's items share one).
 * `a.dom` reads it; it lives until the last article holding it is freed. */
typedef struct lede_doc {
    struct _xmlDoc *doc;
    int refs;
} lede_doc;

lede_doc *lede_doc_wrap(struct _xmlDoc *doc);
lede_doc *lede_doc_ref(lede_doc *d);
void lede_doc_unref(lede_doc *d);

typedef struct lede_article {
    char *id; /* stable hex hash (url if known, else body text) */
    char *url;
    char *title;
    char *byline;
    char *published; /* ISO 8601 or NULL */
    char *modified;
    char *section;
    char *lang;
    char *site_name;
    char *description;
    lede_strlist authors;
    lede_strlist tags;
    lede_strlist captions;
    lede_strlist related; /* teasers and boilerplate lines outside the body */
    lede_strlist dropped; /* what extraction removed, short descriptions for `lede inspect` */

    lede_buf text; /* body: paragraphs joined by "\n\n" */
    lede_paragraph *paragraphs;
    size_t n_paragraphs, cap_paragraphs;

    lede_link *links;
    size_t n_links, cap_links;
    lede_kv *meta;
    size_t n_meta, cap_meta;
    struct json_t *jsonld; /* JSON array of decoded JSON-LD objects, or NULL */

    char *source_path;
    char *source_member;
    const char *source_format; /* "html", "xml", "rss", "atom", "text", "markdown", "json" */

    lede_doc *doc;                /* may be NULL */
    struct _xmlNode *dom_root;    /* node a.dom:select() is relative to; NULL = whole doc */
} lede_article;

lede_article *lede_article_new(void);
void lede_article_free(lede_article *a);

/* Sets *field to a cleaned copy of s (white space squeezed, UTF-8 repaired); an empty result
 * leaves NULL. Returns -1 on allocation failure. */
int lede_article_set(char **field, const char *s, size_t n);
/* Appends a body paragraph (white space squeezed unless kind is code); empty text is ignored. */
int lede_article_add_paragraph(lede_article *a, const char *kind, const char *s, size_t n);
int lede_article_add_link(lede_article *a, const char *href, const char *text);
int lede_article_add_meta(lede_article *a, const char *key, const char *value);
const char *lede_article_meta(const lede_article *a, const char *key);
/* Fills a->id from url or text; call once the article is complete. */
int lede_article_finish(lede_article *a);

/* A list of articles: one page gives one, a feed one per item. */
typedef struct lede_article_list {
    lede_article **items;
    size_t n, cap;
} lede_article_list;

int lede_article_list_push(lede_article_list *l, lede_article *a);
void lede_article_list_free(lede_article_list *l);

#endif
