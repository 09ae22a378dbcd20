#include "lua/dom_path.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lede_dom_paths_init(lede_dom_paths *p) { lede_u64map_init(&p->memo); }
void lede_dom_paths_free(lede_dom_paths *p) { lede_u64map_free(&p->memo); }

/* Which siblings an element is numbered among, as libxml2 counts them: an element in a default
 * namespace is written "*" and counted among all elements; any other among the elements of
 * its name and namespace prefix (none for no namespace). */
static int generic(xmlNodePtr e) { return e->ns && !e->ns->prefix; }

static int same_kind(xmlNodePtr a, xmlNodePtr b) {
    if (!xmlStrEqual(a->name, b->name)) return 0;
    if (a->ns == b->ns) return 1;
    return a->ns && b->ns && xmlStrEqual(a->ns->prefix, b->ns->prefix);
}

typedef struct child {
    xmlNodePtr node;
    size_t pos; /* among the parent's element children */
} child;

static int by_kind(const void *x, const void *y) {
    const child *a = x, *b = y;
    int g = generic(b->node) - generic(a->node); /* generic ones first: they are skipped */
    if (g) return g;
    if (!generic(a->node)) {
        int c = strcmp((const char *)a->node->name, (const char *)b->node->name);
        if (c) return c;
        const xmlChar *pa = a->node->ns ? a->node->ns->prefix : NULL;
        const xmlChar *pb = b->node->ns ? b->node->ns->prefix : NULL;
        if (!pa != !pb) return pa ? 1 : -1;
        if (pa && (c = strcmp((const char *)pa, (const char *)pb))) return c;
    }
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Numbers every element child of parent: sorted by kind then position, each run of one kind
 * gives its members 1..n. Generic elements count among all elements, so they are numbered by
 * position in a second pass over the unsorted list. */
static int number_children(lede_dom_paths *p, xmlNodePtr parent) {
    size_t n = 0, cap = 0, generics = 0;
    child *kids = NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        child *k = lede_grow(kids, n, &cap, sizeof *kids, 16);
        if (!k) return free(kids), -1;
        kids = k;
        kids[n] = (child){c, n};
        n++;
        generics += generic(c) != 0;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc && generics; i++)
        if (generic(kids[i].node))
            rc = lede_u64map_put(&p->memo, (uint64_t)(uintptr_t)kids[i].node,
                                 (uint64_t)(kids[i].pos + 1) << 32 | n);
    qsort(kids, n, sizeof *kids, by_kind);
    for (size_t i = generics; i < n && !rc;) {
        size_t j = i + 1;
        while (j < n && same_kind(kids[i].node, kids[j].node)) j++;
        for (size_t k = i; k < j && !rc; k++)
            rc = lede_u64map_put(&p->memo, (uint64_t)(uintptr_t)kids[k].node,
                                 (uint64_t)(k - i + 1) << 32 | (j - i));
        i = j;
    }
    free(kids);
    return rc;
}

int lede_dom_path(lede_dom_paths *p, xmlNodePtr element, lede_buf *out) {
    lede_buf_clear(out);
    /* the ancestors, leaf first; the walk must end at the document (a.dom nodes always do) */
    size_t n = 0, cap = 0;
    xmlNodePtr *up = NULL, e = element;
    for (; e && e->type == XML_ELEMENT_NODE; e = e->parent) {
        xmlNodePtr *u = lede_grow(up, n, &cap, sizeof *up, 32);
        if (!u) return free(up), -1;
        up = u;
        up[n++] = e;
    }
    int rc = 0;
    if (!e || (e->type != XML_DOCUMENT_NODE && e->type != XML_HTML_DOCUMENT_NODE)) {
        xmlChar *s = xmlGetNodePath(element); /* not in a document: libxml2's own walk */
        rc = s ? lede_buf_puts(out, (const char *)s) : -1;
        xmlFree(s);
        return free(up), rc;
    }
    for (size_t i = n; i-- > 0 && !rc;) {
        xmlNodePtr x = up[i];
        uint64_t v;
        if (!lede_u64map_get(&p->memo, (uint64_t)(uintptr_t)x, &v)) {
            if (number_children(p, x->parent) != 0 ||
                !lede_u64map_get(&p->memo, (uint64_t)(uintptr_t)x, &v)) {
                rc = -1;
                break;
            }
        }
        unsigned long pos = (unsigned long)(v >> 32), of = (unsigned long)(v & 0xffffffffu);
        if (generic(x))
            rc = lede_buf_puts(out, "/*");
        else if (x->ns)
            rc = lede_buf_printf(out, "/%s:%s", (const char *)x->ns->prefix, (const char *)x->name);
        else
            rc = lede_buf_printf(out, "/%s", (const char *)x->name);
        if (!rc && of > 1) rc = lede_buf_printf(out, "[%lu]", pos);
    }
    free(up);
    return rc;
}
