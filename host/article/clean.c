/* What goes out of the chosen body, decided per element from the precomputed totals:
 * page furniture by tag (forms, footers, asides, buttons), share bars and newsletter boxes by
 * class, author lines, headings with a negative class weight, and readability's "conditional"
 * cleaning of lists, tables and containers that look like link farms, image strips or
 * widgets rather than prose. */
#include <string.h>

#include <libxml/tree.h>

#include "article/extract_int.h"

static int is_data_table(const ex_doc *d, int i) {
    const ex_node *x = &d->v[i];
    const char *role = ex_attr(x->n, "role"), *dt = ex_attr(x->n, "datatable");
    if ((role && strcmp(role, "presentation") == 0) || (dt && strcmp(dt, "0") == 0)) return 0;
    if (ex_attr(x->n, "summary") || x->n_th > 0) return 1;
    if (x->n_table > 0) return 0; /* nested tables are layout */
    int cols = x->n_tr ? x->n_td / x->n_tr : 0;
    return x->n_tr >= 10 || cols > 4 || x->n_tr * cols > 10;
}

void ex_mark_data_tables(ex_doc *d) {
    for (int i = 0; i < d->n; i++) {
        ex_node *x = &d->v[i];
        if (x->parent >= 0 && (d->v[x->parent].flags & F_IN_DATATABLE))
            x->flags |= F_IN_DATATABLE;
        else if (x->tag == T_TABLE && is_data_table(d, i))
            x->flags |= F_IN_DATATABLE;
    }
}

static int furniture_tag(int tag) {
    switch (tag) {
    case T_FORM: case T_FIELDSET: case T_FOOTER: case T_ASIDE: case T_INPUT: case T_TEXTAREA:
    case T_SELECT: case T_BUTTON: case T_DIALOG: case T_MENU:
        return 1;
    default: return 0;
    }
}

static int cond_tag(const ex_node *x) {
    switch (x->tag) {
    case T_FORM: case T_FIELDSET: case T_TABLE: case T_UL: return 1;
    /* a div of inline text only is a paragraph to readability, not a container */
    case T_DIV: case T_SECTION: return (x->flags & F_HAS_BLOCK_KID) != 0;
    default: return 0;
    }
}

/* readability's _cleanConditionally, on totals instead of live DOM queries */
static int cond_drop(const ex_node *x, int flags) {
    if (x->flags & (F_IN_DATATABLE | F_IN_CODE)) return 0;
    int weight = (flags & EX_WEIGHT_CLASSES) ? x->weight : 0;
    if (weight < 0) return 1;
    if (x->commas >= 10) return 0;
    int is_list = x->tag == T_UL || x->tag == T_OL || (x->text > 0 && x->list_text * 10 > x->text * 9);
    int fig = (x->flags & F_IN_FIGURE) != 0;
    int p = x->n_p, img = x->n_img, li = x->n_li - 100, input = x->n_input;
    float ld = ex_link_density(x);
    float heading_density = x->text ? (float)x->n_heading_text / (float)x->text : 0;
    if (!fig && img > 1 && (float)p / (float)img < 0.5f) return 1;
    if (!is_list && li > p) return 1;
    if (input > p / 3) return 1;
    if (!is_list && !fig && heading_density < 0.9f && x->text < 25 && (img == 0 || img > 2) &&
        ld > 0)
        return 1;
    if (!is_list && weight < 25 && ld > 0.2f) return 1;
    if (weight >= 25 && ld > 0.5f) return 1;
    if ((x->n_embed == 1 && x->text < 75) || x->n_embed > 1) return 1;
    return 0;
}

int ex_drop(const ex_doc *d, int i, int flags) {
    const ex_node *x = &d->v[i];
    if (x->tag == T_TEXT || x->tag == T_BODY || x->tag == T_HTML) return EX_KEEP;
    if ((flags & EX_STRIP_UNLIKELY) && (x->flags & F_UNLIKELY)) return EX_DROP_UNLIKELY;
    if (furniture_tag(x->tag)) return EX_DROP_TAG;
    if ((x->flags & F_SHARE) && x->text < 500) return EX_DROP_SHARE;
    if ((x->flags & F_NOTE) && x->text < 500 && x->tag != T_P) return EX_DROP_NOTE;
    if ((x->flags & F_BYLINE) && x->text < 100 && x->tag != T_P) return EX_DROP_BYLINE;
    if ((x->flags & F_DATELINE) && x->text < 300) return EX_DROP_BYLINE;
    if ((x->tag == T_H1 || x->tag == T_H2) && (flags & EX_WEIGHT_CLASSES) && x->weight < 0)
        return EX_DROP_HEADER;
    if ((flags & EX_CLEAN_CONDITIONALLY) && cond_tag(x) && cond_drop(x, flags))
        return EX_DROP_COND;
    return EX_KEEP;
}
