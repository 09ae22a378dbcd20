/* Internals shared by the extraction files (dom.c, hints.c, score.c, render.c, meta.c,
 * jsonld.c, extract.c). Not part of any public API.
 *
 * Extraction never re-walks subtrees: dom.c flattens the document once into an array in
 * document order (pre-order), so the subtree of node i is the index range [i, end). Per-node
 * figures (text length, link text, commas, counts) are summed bottom-up by one reverse scan, and
 * everything after that (scoring, cleaning, rendering) reads those figures. */
#ifndef LEDE_ARTICLE_EXTRACT_INT_H
#define LEDE_ARTICLE_EXTRACT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "article/article.h"

struct _xmlNode;
struct _xmlDoc;

enum ex_tag {
    T_OTHER = 0, T_TEXT, T_HTML, T_BODY, T_P, T_DIV, T_SPAN, T_A, T_H1, T_H2, T_H3, T_H4, T_H5,
    T_H6, T_UL, T_OL, T_LI, T_DL, T_DT, T_DD, T_BLOCKQUOTE, T_PRE, T_CODE, T_TABLE, T_THEAD,
    T_TBODY, T_TR, T_TD, T_TH, T_CAPTION, T_FIGURE, T_FIGCAPTION, T_IMG, T_PICTURE, T_BR, T_HR,
    T_ARTICLE, T_MAIN, T_SECTION, T_NAV, T_ASIDE, T_HEADER, T_FOOTER, T_FORM, T_FIELDSET,
    T_INPUT, T_BUTTON, T_SELECT, T_TEXTAREA, T_LABEL, T_IFRAME, T_EMBED, T_OBJECT, T_VIDEO,
    T_AUDIO, T_ADDRESS, T_TIME, T_DETAILS, T_SUMMARY, T_CENTER, T_FONT, T_MENU, T_DIALOG,
    T_COUNT
};

/* node flags */
enum {
    F_BLOCK = 1u << 0,        /* ends a paragraph */
    F_UNLIKELY = 1u << 1,     /* class/id/role says navigation, sidebar, comments, … */
    F_IN_LINK = 1u << 2,      /* inside an <a> */
    F_HASH_LINK = 1u << 3,    /* inside an <a href="#…"> */
    F_HAS_BLOCK_KID = 1u << 4,/* has a block-level child element */
    F_IN_FIGURE = 1u << 5,
    F_IN_PRE = 1u << 6,
    F_SHARE = 1u << 7,        /* class/id mentions sharing */
    F_RELATED = 1u << 8,      /* class/id mentions related / recommended teasers */
    F_BYLINE = 1u << 9,       /* class/id/rel/itemprop hint of an author line */
    F_IN_UNLIKELY = 1u << 10, /* inside an F_UNLIKELY subtree */
    F_NOTE = 1u << 11,        /* newsletter / subscribe / cookie / promo box */
    F_IN_TABLE = 1u << 12,
    F_IN_CODE = 1u << 13,
    F_DATELINE = 1u << 14,    /* class/id hint of a date / meta line */
    F_IN_DATATABLE = 1u << 15,/* inside (or is) a table holding data rather than layout */
    F_CAPTION = 1u << 16,     /* class/id says caption / cutline (wp-caption-text, photo-caption) */
};

typedef struct ex_node {
    struct _xmlNode *n;
    int parent; /* -1 for the root */
    int end;    /* one past the last node of the subtree */
    int block;  /* nearest block ancestor (self for blocks); text is attributed to it */
    uint32_t flags;
    uint8_t tag;
    int8_t weight; /* class/id weight: -25, 0 or +25 */
    /* subtree totals, in characters (white space runs count as one) */
    int text, link, commas;
    /* text whose nearest block is this node */
    int own_text, own_link, own_commas;
    int n_p, n_img, n_li, n_input, n_embed, n_heading_text;
    int list_text;               /* text inside ul/ol */
    int n_tr, n_td, n_th, n_table; /* table shape, for telling data tables from layout */
    float score;
    uint8_t scored;
} ex_node;

typedef struct ex_doc {
    ex_node *v;
    int n, cap;
    int body;  /* index of <body> or of the root when there is none; -1 for an empty doc */
    struct _xmlNode **jsonld_scripts; /* <script type=application/ld+json> elements */
    int n_scripts, cap_scripts;
    struct _xmlNode **metas; /* <meta>/<link> elements met in the body (head ones are not) */
    int n_metas, cap_metas;
    struct _xmlNode *head; /* <head>, not in v */
    struct _xmlNode *html; /* root element */
    int n_h1;              /* number of <h1> elements in the body */
    int first_h1;          /* index of the first <h1>, -1 */
    /* The article's window [lo, hi): only paragraphs inside it score, and nothing at or after
     * hi is rendered. The whole body, unless the page holds several articles and the window
     * was narrowed to the one whose headline matches the title (extract.c). */
    int lo, hi;
} ex_doc;

/* dom.c */
int ex_doc_build(ex_doc *d, struct _xmlDoc *doc);
void ex_doc_free(ex_doc *d);
int ex_tag_of(const char *name);
float ex_link_density(const ex_node *x);

const char *ex_attr(const struct _xmlNode *n, const char *name);

/* hints.c: class/id/role keyword tests, each on a lowercased "class id" string */
void ex_hints(const char *class_id, size_t n, uint32_t *flags, int8_t *weight);
int ex_role_unlikely(const char *role);

/* score.c: which top-level subtrees form the body; marks kept nodes in keep[] (1 = render) */
typedef struct ex_pick {
    int *roots; /* indices of subtrees to render, in document order */
    int n_roots;
    int len; /* characters of text that will be rendered */
    int top; /* the winning candidate; the body element when no paragraph scored */
} ex_pick;

enum { EX_STRIP_UNLIKELY = 1, EX_WEIGHT_CLASSES = 2, EX_CLEAN_CONDITIONALLY = 4 };
int ex_pick_body(ex_doc *d, int flags, ex_pick *out);
void ex_pick_free(ex_pick *p);
/* clean.c: why an element is left out of the rendered body (EX_KEEP = it is not) */
enum { EX_KEEP = 0, EX_DROP_UNLIKELY, EX_DROP_TAG, EX_DROP_SHARE, EX_DROP_NOTE, EX_DROP_BYLINE,
       EX_DROP_HEADER, EX_DROP_COND };
int ex_drop(const ex_doc *d, int i, int flags);
void ex_mark_data_tables(ex_doc *d);

/* render.c */
int ex_render(const ex_doc *d, const ex_pick *p, int flags, const char *title, lede_article *a);

/* text helpers (dom.c) */
size_t ex_node_text(const ex_doc *d, int i, lede_buf *out); /* squeezed-ish raw text */
int ex_similar(const char *a, const char *b); /* 1 when two titles say the same */

/* meta.c / jsonld.c */
int ex_meta(const ex_doc *d, struct _xmlDoc *doc, lede_article *a);
int ex_jsonld_collect(const ex_doc *d, lede_article *a);
typedef struct ex_ld {
    const char *headline, *name, *date_published, *date_modified, *section, *site_name,
        *description, *url, *lang, *body;
    lede_strlist authors;
    lede_strlist keywords;
} ex_ld;
void ex_jsonld_article(const lede_article *a, ex_ld *out); /* borrows strings from a->jsonld */
void ex_ld_free(ex_ld *ld);

#endif
