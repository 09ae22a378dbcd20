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

int lede_extract_html(xmlDoc *doc, lede_article *a, char *err, size_t errlen) {
    ex_doc d;
    ex_pick p = {0};
    int flags = 0;
    if (ex_doc_build(&d, doc) != 0) goto oom;
    if (ex_jsonld_collect(&d, a) != 0 || ex_meta(&d, doc, a) != 0) goto oom;
    if (d.body >= 0) {
        if (pick(&d, &p, &flags) != 0) goto oom;
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
