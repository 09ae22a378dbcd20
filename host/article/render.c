/* Turning the chosen subtrees into paragraphs with kinds, body links and captions, and noting
 * what was dropped. Every block element ends a paragraph; table cells are joined by spaces and
 * rows end paragraphs; the innermost heading / list item / quote / pre / caption / table
 * ancestor gives the kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "article/extract_int.h"
#include "util/utf8.h"

#define MAX_DROPPED 200
#define MAX_RELATED 100

typedef struct render {
    const ex_doc *d;
    lede_article *a;
    const char *title;
    int title_seen;
    lede_buf para;
    int *stack; /* open block elements */
    int depth, cap;
} render;

/* Captions that are not <figcaption>: a short block whose class says caption
 * (wp-caption-text, photo-caption, cutline; also the wp-caption box around image and text),
 * or a short paragraph that holds all the text of a small box beside an image
 * (<div class=photo><img><p>…</p></div>). The length limits are there so that body text in
 * a container that happens to carry such a class, or a lead paragraph set beside a picture,
 * stays a paragraph. */
#define MAX_CAPTION_CHARS 400
static int caption_block(const ex_doc *d, int i) {
    const ex_node *x = &d->v[i];
    if (x->text == 0 || x->text > MAX_CAPTION_CHARS) return 0;
    if ((x->flags & F_CAPTION) && x->n_p <= 2) return 1;
    if (x->n_img || !(x->tag == T_P || (x->tag == T_DIV && !(x->flags & F_HAS_BLOCK_KID))))
        return 0;
    if (x->parent <= d->body) return 0;
    const ex_node *box = &d->v[x->parent];
    /* a list item or data cell with an icon keeps its own kind; layout cells do not */
    int boxy = box->tag == T_DIV || box->tag == T_FIGURE || box->tag == T_SECTION ||
               box->tag == T_CENTER || (box->tag == T_TD && !(box->flags & F_IN_DATATABLE));
    return boxy && box->n_img > 0 && box->text == x->text && box->n_p == 1 && x->text <= 300;
}

static const char *kind_of(const render *r) {
    for (int k = r->depth - 1; k >= 0; k--) {
        if (caption_block(r->d, r->stack[k])) return LEDE_KIND_CAPTION;
        switch (r->d->v[r->stack[k]].tag) {
        case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6:
            return LEDE_KIND_HEADING;
        case T_LI: case T_DT: case T_DD: return LEDE_KIND_LIST_ITEM;
        case T_PRE: return LEDE_KIND_CODE;
        case T_BLOCKQUOTE: return LEDE_KIND_QUOTE;
        case T_FIGCAPTION: case T_CAPTION: return LEDE_KIND_CAPTION;
        case T_TABLE: case T_TR: case T_TD: case T_TH: case T_THEAD: case T_TBODY:
            return LEDE_KIND_TABLE;
        default: break;
        }
    }
    return LEDE_KIND_PARAGRAPH;
}

static int note_dropped(lede_article *a, const char *what, const char *text, size_t n) {
    if (a->dropped.n >= MAX_DROPPED) return 0;
    lede_buf b;
    lede_buf_init(&b);
    /* what names the element by its class, cut at a byte count: clean it like the text */
    lede_utf8_append_clean(&b, what, strlen(what));
    if (n) {
        lede_buf_puts(&b, ": ");
        size_t cut = n > 60 ? 60 : n;
        while (cut < n && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
        lede_utf8_append_squeezed(&b, text, cut);
        if (cut < n) lede_buf_puts(&b, "\xE2\x80\xA6");
    }
    int rc = b.data ? lede_strlist_push(&a->dropped, b.data, b.len) : -1;
    lede_buf_free(&b);
    return rc;
}

static int flush(render *r) {
    if (r->para.len == 0) return 0;
    const char *kind = kind_of(r);
    lede_article *a = r->a;
    size_t before = a->n_paragraphs;
    int rc;
    /* the page's own headline repeated at the top of the body is not body text */
    if (kind == LEDE_KIND_HEADING && !r->title_seen && a->n_paragraphs < 3 &&
        ex_similar(r->para.data, r->title)) {
        r->title_seen = 1;
        rc = note_dropped(a, "title heading", r->para.data, r->para.len);
    } else {
        rc = lede_article_add_paragraph(a, kind, r->para.data, r->para.len);
        if (rc == 0 && kind == LEDE_KIND_CAPTION && a->n_paragraphs > before) {
            lede_paragraph *p = &a->paragraphs[a->n_paragraphs - 1];
            rc = lede_strlist_push(&a->captions, p->text, p->len);
        }
    }
    lede_buf_clear(&r->para);
    return rc;
}

static int open_block(render *r, int i) {
    if (r->depth == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        int *s = realloc(r->stack, (size_t)cap * sizeof *s);
        if (!s) return -1;
        r->stack = s;
        r->cap = cap;
    }
    r->stack[r->depth++] = i;
    return 0;
}

static const char *drop_reason(int why) {
    switch (why) {
    case EX_DROP_UNLIKELY: return "unlikely";
    case EX_DROP_SHARE: return "share";
    case EX_DROP_NOTE: return "newsletter/promo";
    case EX_DROP_BYLINE: return "byline";
    case EX_DROP_HEADER: return "heading";
    case EX_DROP_COND: return "link/image block";
    default: return "furniture";
    }
}

static int describe_drop(render *r, int i, int why) {
    const ex_node *x = &r->d->v[i];
    if (x->text == 0) return 0;
    char what[96];
    const char *cls = ex_attr(x->n, "class");
    char first[32] = "";
    if (cls) {
        size_t k = 0;
        while (*cls == ' ') cls++;
        while (cls[k] && cls[k] != ' ' && k < sizeof first - 1) first[k] = cls[k], k++;
        first[k] = 0;
    }
    snprintf(what, sizeof what, "%s%s%s (%s)", (const char *)x->n->name, *first ? "." : "",
             first, drop_reason(why));
    lede_buf t;
    lede_buf_init(&t);
    ex_node_text(r->d, i, &t);
    int rc = note_dropped(r->a, what, t.data ? t.data : "", t.len);
    lede_buf_free(&t);
    return rc;
}

static int add_link(render *r, int i) {
    const char *href = ex_attr(r->d->v[i].n, "href");
    if (!href || !*href || strncmp(href, "javascript:", 11) == 0) return 0;
    lede_buf t;
    lede_buf_init(&t);
    ex_node_text(r->d, i, &t);
    int rc = lede_article_add_link(r->a, href, t.data ? t.data : "");
    lede_buf_free(&t);
    return rc;
}

static int render_root(render *r, int root, int flags) {
    const ex_doc *d = r->d;
    int rc = 0;
    /* a body that reaches past the article's window stops where the next article starts */
    int end = d->v[root].end < d->hi ? d->v[root].end : d->hi;
    for (int j = root; j < end && rc == 0;) {
        while (r->depth > 0 && d->v[r->stack[r->depth - 1]].end <= j) {
            rc = flush(r);
            r->depth--;
        }
        const ex_node *x = &d->v[j];
        if (x->tag == T_TEXT) {
            rc = lede_buf_puts(&r->para, (const char *)x->n->content);
            j++;
            continue;
        }
        int why = ex_drop(d, j, flags);
        if (why != EX_KEEP) {
            rc = describe_drop(r, j, why);
            j = x->end;
            continue;
        }
        if (x->tag == T_BR) {
            rc = lede_buf_putc(&r->para, '\n');
        } else if (x->tag == T_TD || x->tag == T_TH) {
            rc = lede_buf_putc(&r->para, ' ');
        } else if (x->flags & F_BLOCK) {
            if ((rc = flush(r)) == 0) rc = open_block(r, j);
        } else if (x->tag == T_A) {
            rc = add_link(r, j);
        }
        j++;
    }
    while (rc == 0 && r->depth > 0) {
        rc = flush(r);
        r->depth--;
    }
    if (rc == 0) rc = flush(r);
    return rc;
}

/* Teaser links in related / recommended boxes anywhere on the page. */
static int collect_related(const ex_doc *d, lede_article *a) {
    if (d->body < 0) return 0;
    int rc = 0;
    lede_buf t;
    lede_buf_init(&t);
    for (int i = d->body; i < d->v[d->body].end && rc == 0; i++) {
        if (!(d->v[i].flags & F_RELATED) || d->v[i].tag == T_TEXT) continue;
        int end = d->v[i].end;
        for (int j = i; j < end && rc == 0 && a->related.n < MAX_RELATED; j++) {
            if (d->v[j].tag != T_A || d->v[j].text < 20) continue;
            lede_buf_clear(&t);
            ex_node_text(d, j, &t);
            lede_buf s;
            lede_buf_init(&s);
            rc = lede_utf8_append_squeezed(&s, t.data, t.len);
            if (rc == 0 && s.len && !lede_strlist_contains(&a->related, s.data))
                rc = lede_strlist_push(&a->related, s.data, s.len);
            lede_buf_free(&s);
            j = d->v[j].end - 1;
        }
        i = end - 1;
    }
    lede_buf_free(&t);
    return rc;
}

int ex_render(const ex_doc *d, const ex_pick *p, int flags, const char *title, lede_article *a) {
    render r = {.d = d, .a = a, .title = title};
    lede_buf_init(&r.para);
    int rc = 0;
    for (int k = 0; k < p->n_roots && rc == 0; k++) rc = render_root(&r, p->roots[k], flags);
    if (rc == 0) rc = collect_related(d, a);
    lede_buf_free(&r.para);
    free(r.stack);
    return rc;
}
