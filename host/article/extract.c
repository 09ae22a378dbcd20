/* Main-content extraction: flatten the page once (dom.c), read the metadata (meta.c, jsonld.c),
 * pick the body (score.c, clean.c) and render it (render.c). When the strict first attempt keeps
 * too little text, it is repeated with fewer filters, as readability does, and the longest
 * attempt wins if none reaches the threshold. */
#include "article/extract.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "article/extract_int.h"

#define MIN_BODY_CHARS 500
#define MIN_NARROWED_CHARS 200

static int pick(ex_doc *d, ex_pick *best, int *best_flags) {
    static const int attempts[] = {
        EX_STRIP_UNLIKELY | EX_WEIGHT_CLASSES | EX_CLEAN_CONDITIONALLY,
        EX_WEIGHT_CLASSES | EX_CLEAN_CONDITIONALLY,
        EX_CLEAN_CONDITIONALLY,
        0,
    };
    memset(best, 0, sizeof *best);
    *best_flags = attempts[0];
    for (size_t k = 0; k < sizeof attempts / sizeof *attempts; k++) {
        ex_pick p;
        if (ex_pick_body(d, attempts[k], &p) != 0) {
            ex_pick_free(&p);
            return -1;
        }
        if (k == 0 || p.len > best->len) {
            ex_pick_free(best);
            *best = p;
            *best_flags = attempts[k];
        } else {
            ex_pick_free(&p);
        }
        if (best->len >= MIN_BODY_CHARS) break;
    }
    return 0;
}

/* 1 when the <h1> at i says the same as the title, -1 when it says something else, 0 when it
 * is empty (a logo image), which is no article's headline. */
static int h1_matches(const ex_doc *d, int i, const char *title, lede_buf *t) {
    lede_buf_clear(t);
    ex_node_text(d, i, t);
    if (d->v[i].text == 0 || !t->data) return 0;
    return ex_similar(t->data, title) ? 1 : -1;
}

/* Pages that hold several articles (infinite scroll, "you may like" with full texts) give each
 * its own headline, and the longest article, not necessarily the page's own, wins the scoring.
 * The page's own article is found by its <h1>: the first one that says the same as the title
 * (metadata: JSON-LD headline, og:title, cleaned <title>). When the chosen body starts after
 * the start of another article that follows that headline, the page's article is the text
 * between its headline and that next article: d->lo/d->hi are set to that window and 1 is
 * returned; otherwise 0, and the whole body stays the window. The next article starts at
 *   - the next <h1> that is neither empty nor the title again, when the chosen body lies
 *     entirely after it: an <h1> inside the chosen body (sites that use h1 for section heads,
 *     a "read also" box in the text) is not taken for another article's headline;
 *   - the next <article> element after the one holding the headline (when one holds it),
 *     when the chosen body reaches into it: a separate <article> is another article even when
 *     the winner's siblings or a common ancestor took both in.
 * A headline outside any <article> with the body in one changes nothing. One scan of the node
 * array up to the end of the body; only <h1> subtrees are read, and they do not nest. */
static int headline_window(ex_doc *d, const char *title, const ex_pick *p, lede_buf *t) {
    if (d->n_h1 < 1 || !title || !*title || p->n_roots == 0 || d->first_h1 < 0) return 0;
    int start = p->roots[0], limit = d->v[p->roots[p->n_roots - 1]].end;
    int match = -1, next = -1, own_end = -1;
    for (int i = d->first_h1; i < limit && next < 0; i++) {
        const ex_node *x = &d->v[i];
        if (x->tag == T_ARTICLE && own_end >= 0 && i >= own_end) {
            next = i;
        } else if (x->tag == T_H1) {
            /* inside the chosen body, once the headline is known, an <h1> is a section head */
            int m = match >= 0 && i >= start ? 0 : h1_matches(d, i, title, t);
            if (match < 0 && m > 0) {
                match = i;
                for (int a = x->parent; a >= 0; a = d->v[a].parent)
                    if (d->v[a].tag == T_ARTICLE) {
                        own_end = d->v[a].end;
                        break;
                    }
            } else if (match >= 0 && m < 0) {
                next = i;
            }
            i = x->end - 1;
        }
    }
    if (match < 0 || next < 0) return 0;
    /* text before the page's headline belongs to it unless another article comes first */
    d->lo = match == d->first_h1 ? d->body : match;
    d->hi = next;
    return 1;
}

int lede_extract_html(xmlDoc *doc, lede_article *a, char *err, size_t errlen) {
    ex_doc d;
    ex_pick p = {0};
    int flags = 0;
    if (ex_doc_build(&d, doc) != 0) goto oom;
    if (ex_jsonld_collect(&d, a) != 0 || ex_meta(&d, doc, a) != 0) goto oom;
    if (d.body >= 0) {
        if (pick(&d, &p, &flags) != 0) goto oom;
        lede_buf t;
        lede_buf_init(&t);
        int narrowed = headline_window(&d, a->title, &p, &t);
        lede_buf_free(&t);
        if (narrowed) {
            ex_pick q = {0};
            int qflags = 0;
            if (pick(&d, &q, &qflags) != 0) {
                ex_pick_free(&q);
                goto oom;
            }
            /* keep the narrowed choice only when a real candidate with some text was found
             * in the window: a sidebar <h1> between headline and body closes the window
             * before the body, and then the first choice stands */
            if (q.top != d.body && q.len >= MIN_NARROWED_CHARS) {
                ex_pick_free(&p);
                p = q;
                flags = qflags;
            } else {
                ex_pick_free(&q);
                d.lo = d.body;
                d.hi = d.v[d.body].end;
            }
        }
        if (ex_render(&d, &p, flags, a->title, a) != 0) goto oom;
    }
    ex_pick_free(&p);
    ex_doc_free(&d);
    return 0;
oom:
    ex_pick_free(&p);
    ex_doc_free(&d);
    if (err && errlen) snprintf(err, errlen, "out of memory while extracting the article");
    return -1;
}
