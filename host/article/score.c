/* Choosing the body: paragraph scoring in the manner of readability, computed from the totals
 * dom.c summed, so every step is one linear scan of the node array.
 *
 * 1. Every block whose own text (text not inside a nested block) has 25+ characters is a
 *    paragraph worth 1 + commas + one point per 100 characters (at most 3). Its score flows up
 *    to five ancestors, divided by 1, 2, 6, 9, 12.
 * 2. A candidate starts from a tag prior and the class/id weight; its final score is scaled by
 *    (1 - link density). The best candidate wins, moves up to a common ancestor when several
 *    near-best candidates share one, and climbs through single-child wrappers.
 * 3. Siblings of the winner join when they score close to it or read like prose paragraphs. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "article/extract_int.h"

#define N_TOP 5

static float tag_prior(int tag) {
    switch (tag) {
    case T_DIV: case T_ARTICLE: case T_MAIN: return 5;
    case T_PRE: case T_TD: case T_BLOCKQUOTE: return 3;
    case T_ADDRESS: case T_OL: case T_UL: case T_DL: case T_DD: case T_DT: case T_LI:
    case T_FORM: return -3;
    case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6: case T_TH: return -5;
    default: return 0;
    }
}

static int scoring_tag(int tag) {
    switch (tag) {
    case T_P: case T_PRE: case T_TD: case T_SECTION: case T_H2: case T_H3: case T_H4:
    case T_H5: case T_H6: case T_DIV: case T_ARTICLE: case T_MAIN: case T_BLOCKQUOTE:
    case T_CENTER: case T_DD:
        return 1;
    default: return 0;
    }
}

static int container_tag(int tag) {
    return tag == T_DIV || tag == T_SECTION || tag == T_ARTICLE || tag == T_MAIN ||
           tag == T_BLOCKQUOTE || tag == T_CENTER || tag == T_TD || tag == T_DD;
}

static int removed(const ex_node *x, int flags) {
    return (flags & EX_STRIP_UNLIKELY) && (x->flags & (F_UNLIKELY | F_IN_UNLIKELY));
}

static void init_candidate(ex_node *x, int flags) {
    if (x->scored) return;
    x->scored = 1;
    x->score = tag_prior(x->tag) + ((flags & EX_WEIGHT_CLASSES) ? x->weight : 0);
}

static void score_paragraphs(ex_doc *d, int flags) {
    ex_node *v = d->v;
    for (int i = d->body; i < v[d->body].end; i++) {
        v[i].scored = 0;
        v[i].score = 0;
    }
    for (int i = d->body; i < v[d->body].end; i++) {
        ex_node *x = &v[i];
        if (x->tag == T_TEXT || !scoring_tag(x->tag) || x->own_text < 25 || removed(x, flags))
            continue;
        /* another article's paragraphs (outside the window) must not pull the choice there */
        if (i < d->lo || i >= d->hi) continue;
        float s = 1.0f + (float)x->own_commas + (float)(x->own_text / 100 > 3 ? 3 : x->own_text / 100);
        /* text beside block children is wrapped in a paragraph of its own by readability, so
         * the container itself is the first to receive it */
        int a = (container_tag(x->tag) && (x->flags & F_HAS_BLOCK_KID)) ? i : x->parent;
        for (int level = 0; a >= d->body && a >= 0 && level < 5; level++, a = v[a].parent) {
            init_candidate(&v[a], flags);
            float div = level == 0 ? 1.0f : (level == 1 ? 2.0f : (float)level * 3.0f);
            v[a].score += s / div;
            if (a == d->body) break;
        }
    }
}

static int is_ancestor(const ex_doc *d, int a, int b) { return a < b && b < d->v[a].end; }

/* When several near-best candidates sit under one ancestor, the article is that ancestor. */
static int common_ancestor(const ex_doc *d, int top, const int *tops, int n_tops) {
    int alt[N_TOP], n_alt = 0;
    for (int k = 1; k < n_tops; k++)
        if (d->v[tops[k]].score >= 0.75f * d->v[top].score) alt[n_alt++] = tops[k];
    if (n_alt < 3) return top;
    for (int p = d->v[top].parent; p > d->body; p = d->v[p].parent) {
        int hits = 0;
        for (int k = 0; k < n_alt; k++) hits += is_ancestor(d, p, alt[k]);
        if (hits >= 3) return p;
    }
    return top;
}

static int climb(ex_doc *d, int top, int flags) {
    ex_node *v = d->v;
    float last = v[top].score, threshold = last / 3.0f;
    for (int p = v[top].parent; p > d->body; p = v[p].parent) {
        if (!v[p].scored) continue;
        if (v[p].score < threshold) break;
        if (v[p].score > last) {
            top = p;
            break;
        }
        last = v[p].score;
    }
    /* a lone child says nothing its wrapper does not: take the wrapper */
    for (int p = v[top].parent; p > d->body; p = v[p].parent) {
        int kids = 0;
        for (int j = p + 1; j < v[p].end; j = v[j].end)
            if (v[j].tag != T_TEXT) kids++;
        if (kids != 1) break;
        top = p;
    }
    init_candidate(&v[top], flags);
    return top;
}

static int prose_like(const ex_doc *d, int j) {
    const ex_node *x = &d->v[j];
    float ld = ex_link_density(x);
    if (x->text > 80) return ld < 0.25f;
    if (x->text == 0 || x->link > 0) return 0;
    /* short paragraph that ends a sentence: ". " or a final "." */
    for (int k = j + 1; k < x->end; k++) {
        if (d->v[k].tag != T_TEXT) continue;
        const char *s = (const char *)d->v[k].n->content, *dot = strchr(s, '.');
        while (dot && !(dot[1] == 0 || dot[1] == ' ')) dot = strchr(dot + 1, '.');
        if (dot) return 1;
    }
    return 0;
}

static int same_class(const ex_doc *d, int a, int b) {
    const char *ca = ex_attr(d->v[a].n, "class"), *cb = ex_attr(d->v[b].n, "class");
    return ca && cb && *ca && strcmp(ca, cb) == 0;
}

static int push_root(ex_pick *p, int i) {
    int *r = realloc(p->roots, (size_t)(p->n_roots + 1) * sizeof *r);
    if (!r) return -1;
    p->roots = r;
    p->roots[p->n_roots++] = i;
    return 0;
}

static int merge_siblings(ex_doc *d, int top, int flags, ex_pick *out) {
    ex_node *v = d->v;
    int parent = v[top].parent;
    if (parent < 0 || top == d->body) return push_root(out, top);
    float threshold = v[top].score * 0.2f;
    if (threshold < 10) threshold = 10;
    for (int j = parent + 1; j < v[parent].end; j = v[j].end) {
        if (v[j].tag == T_TEXT || removed(&v[j], flags)) continue;
        if (j >= d->hi) break;          /* the next article on the page */
        if (v[j].end <= d->lo) continue; /* the one before */
        int keep = j == top;
        if (!keep) {
            int same = same_class(d, j, top);
            float bonus = same ? v[top].score * 0.2f : 0;
            if (v[j].scored && v[j].score + bonus >= threshold)
                keep = 1;
            /* a parallel section of the same class whose paragraphs sit too deep to score */
            else if (same && v[j].text > 200 && ex_link_density(&v[j]) < 0.25f)
                keep = 1;
            else if (v[j].tag == T_P || (v[j].tag == T_DIV && !(v[j].flags & F_HAS_BLOCK_KID)))
                keep = prose_like(d, j);
        }
        if (keep && push_root(out, j) != 0) return -1;
    }
    return 0;
}

/* Characters that rendering would keep under root i. */
static int kept_length(const ex_doc *d, int i, int flags) {
    int len = 0, end = d->v[i].end < d->hi ? d->v[i].end : d->hi;
    for (int j = i; j < end;) {
        const ex_node *x = &d->v[j];
        if (x->tag != T_TEXT && ex_drop(d, j, flags)) {
            j = x->end;
            continue;
        }
        if (x->tag == T_TEXT) len += x->text;
        j++;
    }
    return len;
}

int ex_pick_body(ex_doc *d, int flags, ex_pick *out) {
    memset(out, 0, sizeof *out);
    if (d->body < 0) return 0;
    ex_node *v = d->v;
    score_paragraphs(d, flags);
    int tops[N_TOP], n_tops = 0;
    for (int i = d->body; i < v[d->body].end; i++) {
        if (!v[i].scored) continue;
        v[i].score *= 1.0f - ex_link_density(&v[i]);
        int k;
        if (n_tops < N_TOP)
            k = n_tops++;
        else if (v[i].score > v[tops[N_TOP - 1]].score)
            k = N_TOP - 1;
        else
            continue;
        tops[k] = i;
        while (k > 0 && v[tops[k - 1]].score < v[tops[k]].score) {
            int t = tops[k - 1];
            tops[k - 1] = tops[k];
            tops[k] = t;
            k--;
        }
    }
    int top = n_tops ? tops[0] : d->body;
    if (top != d->body) {
        top = common_ancestor(d, top, tops, n_tops);
        top = climb(d, top, flags);
    }
    out->top = top;
    if (merge_siblings(d, top, flags, out) != 0) return -1;
    for (int k = 0; k < out->n_roots; k++) out->len += kept_length(d, out->roots[k], flags);
    return 0;
}

void ex_pick_free(ex_pick *p) {
    free(p->roots);
    memset(p, 0, sizeof *p);
}
