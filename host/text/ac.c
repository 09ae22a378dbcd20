/* Aho–Corasick construction and the generic scan loop. The trie is built with first-child /
 * next-sibling lists (cheap to grow to millions of states), then failure links by BFS, then
 * the transition tables. */
#include "text/ac.h"

#include <stdlib.h>
#include <string.h>

typedef struct tnode {
    uint32_t child, sibling; /* 0 = none (the root is never anyone's child) */
    uint32_t fail;
    int32_t out;
    uint32_t depth;
    uint8_t cls; /* class of the edge into this node */
} tnode;

struct lede_ac_builder {
    uint8_t fold[256];
    int space_byte;
    tnode *nodes;
    size_t n, cap;
    /* patterns are kept as folded bytes until build, when classes are known */
    uint8_t used[256];
};

lede_ac_builder *lede_ac_builder_new(const uint8_t fold[256], int space_byte) {
    lede_ac_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    for (int i = 0; i < 256; i++) b->fold[i] = fold ? fold[i] : (uint8_t)i;
    b->space_byte = space_byte;
    b->cap = 1024;
    b->nodes = calloc(b->cap, sizeof *b->nodes);
    if (!b->nodes) {
        free(b);
        return NULL;
    }
    b->n = 1;
    b->nodes[0].out = -1;
    return b;
}

void lede_ac_builder_free(lede_ac_builder *b) {
    if (!b) return;
    free(b->nodes);
    free(b);
}

size_t lede_ac_builder_states(const lede_ac_builder *b) { return b->n; }

/* The trie is keyed by folded byte during insertion (classes are assigned at build). */
static uint32_t child_of(const lede_ac_builder *b, uint32_t s, uint8_t byte) {
    for (uint32_t c = b->nodes[s].child; c; c = b->nodes[c].sibling)
        if (b->nodes[c].cls == byte) return c;
    return 0;
}

static int grow(lede_ac_builder *b) {
    if (b->n < b->cap) return 0;
    if (b->cap > (size_t)INT32_MAX / 2) return -1;
    tnode *p = realloc(b->nodes, b->cap * 2 * sizeof *p);
    if (!p) return -1;
    b->nodes = p;
    b->cap *= 2;
    return 0;
}

int lede_ac_add(lede_ac_builder *b, const char *s, size_t n, int32_t id) {
    uint32_t st = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b->fold[(unsigned char)s[i]];
        uint32_t t = child_of(b, st, c);
        if (!t) {
            if (grow(b)) return -1;
            t = (uint32_t)b->n++;
            tnode *nd = &b->nodes[t];
            memset(nd, 0, sizeof *nd);
            nd->out = -1;
            nd->cls = c;
            nd->depth = b->nodes[st].depth + 1;
            nd->sibling = b->nodes[st].child;
            b->nodes[st].child = t;
            b->used[c] = 1;
        }
        st = t;
    }
    if (st == 0) return 0;
    if (b->nodes[st].out >= 0) return 1;
    b->nodes[st].out = id;
    return 0;
}

/* ---- build -------------------------------------------------------------------------------- */

typedef struct {
    lede_ac *ac;
    lede_ac_builder *b;
    uint32_t *order; /* states in BFS order */
    uint8_t byte_cls[256]; /* folded byte -> class */
} build_ctx;

static void assign_classes(build_ctx *x) {
    lede_ac *ac = x->ac;
    uint32_t n = 1;
    memset(x->byte_cls, 0, sizeof x->byte_cls);
    for (int c = 0; c < 256; c++)
        if (x->b->used[c]) x->byte_cls[c] = (uint8_t)n++;
    if (x->b->space_byte >= 0 && !x->byte_cls[x->b->space_byte]) x->byte_cls[x->b->space_byte] = (uint8_t)n++;
    ac->ncls = n;
    for (int c = 0; c < 256; c++) ac->cls[c] = x->byte_cls[x->b->fold[c]];
    for (uint32_t s = 1; s < x->b->n; s++) x->b->nodes[s].cls = x->byte_cls[x->b->nodes[s].cls];
}

/* BFS order and failure links over the trie. */
static int bfs(build_ctx *x) {
    tnode *nd = x->b->nodes;
    uint32_t n = (uint32_t)x->b->n, head = 0, tail = 0;
    x->order = malloc((size_t)n * sizeof *x->order);
    if (!x->order) return -1;
    x->order[tail++] = 0;
    while (head < tail) {
        uint32_t s = x->order[head++];
        for (uint32_t c = nd[s].child; c; c = nd[c].sibling) {
            x->order[tail++] = c;
            if (s == 0) {
                nd[c].fail = 0;
                continue;
            }
            uint32_t f = nd[s].fail, t;
            for (;;) { /* longest proper suffix that can be extended by c's byte */
                for (t = nd[f].child; t && nd[t].cls != nd[c].cls; t = nd[t].sibling) {}
                if (t || f == 0) break;
                f = nd[f].fail;
            }
            nd[c].fail = t;
        }
    }
    return 0;
}

/* Renumbers the states in BFS order (shallow first). The scan spends nearly all its time in
 * the root and the states a few bytes deep; numbered this way their rows sit together in
 * a few hundred kilobytes of the table instead of being spread over all of it. */
static int renumber(build_ctx *x) {
    uint32_t n = (uint32_t)x->b->n;
    uint32_t *pos = malloc((size_t)n * sizeof *pos);
    tnode *nn = malloc((size_t)n * sizeof *nn);
    if (!pos || !nn) {
        free(pos);
        free(nn);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) pos[x->order[i]] = i;
    for (uint32_t i = 0; i < n; i++) {
        tnode t = x->b->nodes[x->order[i]];
        t.child = t.child ? pos[t.child] : 0; /* the root (0) is nobody's child or sibling */
        t.sibling = t.sibling ? pos[t.sibling] : 0;
        t.fail = pos[t.fail];
        nn[i] = t;
    }
    free(x->b->nodes);
    free(pos);
    x->b->nodes = nn;
    x->b->cap = n;
    for (uint32_t i = 0; i < n; i++) x->order[i] = i;
    return 0;
}

static int alloc_tables(lede_ac *ac, uint32_t n) {
    ac->nstates = n;
    ac->row = malloc((size_t)n * sizeof *ac->row);
    ac->fail = malloc((size_t)n * sizeof *ac->fail);
    ac->out = malloc((size_t)n * sizeof *ac->out);
    ac->dict = malloc((size_t)n * sizeof *ac->dict);
    ac->depth = malloc((size_t)n * sizeof *ac->depth);
    ac->reports = malloc(n);
    ac->edge_at = calloc((size_t)n + 1, sizeof *ac->edge_at);
    return ac->row && ac->fail && ac->out && ac->dict && ac->depth && ac->reports && ac->edge_at
               ? 0 : -1;
}

static void outputs(build_ctx *x) {
    lede_ac *ac = x->ac;
    tnode *nd = x->b->nodes;
    for (uint32_t i = 0; i < ac->nstates; i++) {
        uint32_t s = x->order[i];
        ac->fail[s] = nd[s].fail;
        ac->out[s] = nd[s].out;
        ac->depth[s] = nd[s].depth;
        uint32_t f = nd[s].fail;
        ac->dict[s] = s == 0 ? -1 : (ac->out[f] >= 0 ? (int32_t)f : ac->dict[f]);
        ac->reports[s] = ac->out[s] >= 0 || ac->dict[s] >= 0;
    }
}

/* How many states (in BFS order, i.e. by depth) get complete rows. */
static uint32_t dense_count(build_ctx *x, size_t max_cells) {
    uint32_t n = x->ac->nstates, ncls = x->ac->ncls;
    if ((size_t)n * ncls <= max_cells) return n;
    uint32_t k = (uint32_t)(max_cells / ncls);
    if (k < 1) k = 1;
    if (k >= n) return n;
    /* end on a whole depth, so that the failure target of every dense state is dense */
    while (k > 1 && x->b->nodes[x->order[k - 1]].depth == x->b->nodes[x->order[k]].depth) k--;
    return k;
}

static uint32_t enc(const lede_ac *ac, uint32_t t) {
    uint32_t v = ac->all_dense ? t * ac->ncls : t;
    return (v << 1) | ac->reports[t];
}

static int dense_rows(build_ctx *x, uint32_t ndense) {
    lede_ac *ac = x->ac;
    tnode *nd = x->b->nodes;
    uint32_t ncls = ac->ncls;
    ac->delta = malloc((size_t)ndense * ncls * sizeof *ac->delta);
    if (!ac->delta) return -1;
    for (uint32_t s = 0; s < ac->nstates; s++) ac->row[s] = -1;
    /* row offsets: in the all-dense form row = state * ncls, which the encoding relies on */
    for (uint32_t i = 0; i < ndense; i++) {
        uint32_t s = x->order[i];
        ac->row[s] = (int32_t)((ac->all_dense ? s : i) * ncls);
    }
    uint32_t *next = malloc((size_t)ncls * sizeof *next);
    if (!next) return -1;
    for (uint32_t i = 0; i < ndense; i++) {
        uint32_t s = x->order[i];
        /* transitions of the failure state (already filled: it is shallower), then own edges */
        for (uint32_t c = 0; c < ncls; c++) {
            if (s == 0) next[c] = 0;
            else {
                uint32_t e = ac->delta[(uint32_t)ac->row[nd[s].fail] + c] >> 1;
                next[c] = ac->all_dense ? e / ncls : e;
            }
        }
        for (uint32_t k = nd[s].child; k; k = nd[k].sibling) next[nd[k].cls] = k;
        if (s != 0 && x->b->space_byte >= 0 && nd[s].cls == x->byte_cls[x->b->space_byte])
            next[nd[s].cls] = s; /* a run of spaces counts as one */
        for (uint32_t c = 0; c < ncls; c++) ac->delta[(uint32_t)ac->row[s] + c] = enc(ac, next[c]);
    }
    free(next);
    return 0;
}

static int cmp_edge(const void *a, const void *b) {
    const uint64_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

static int sparse_edges(build_ctx *x) {
    lede_ac *ac = x->ac;
    tnode *nd = x->b->nodes;
    size_t total = 0;
    uint8_t space_cls = x->b->space_byte >= 0 ? x->byte_cls[x->b->space_byte] : 0;
    for (uint32_t s = 0; s < ac->nstates; s++) {
        uint32_t k = 0;
        if (ac->row[s] < 0) {
            for (uint32_t c = nd[s].child; c; c = nd[c].sibling) k++;
            if (x->b->space_byte >= 0 && nd[s].cls == space_cls) k++;
        }
        ac->edge_at[s] = (uint32_t)total;
        total += k;
    }
    ac->edge_at[ac->nstates] = (uint32_t)total;
    ac->edge_cls = malloc(total ? total : 1);
    ac->edge_to = malloc((total ? total : 1) * sizeof *ac->edge_to);
    uint64_t *tmp = malloc(256 * sizeof *tmp);
    if (!ac->edge_cls || !ac->edge_to || !tmp) {
        free(tmp);
        return -1;
    }
    for (uint32_t s = 0; s < ac->nstates; s++) {
        if (ac->row[s] >= 0) continue;
        uint32_t k = 0;
        for (uint32_t c = nd[s].child; c; c = nd[c].sibling) tmp[k++] = (uint64_t)nd[c].cls << 32 | c;
        if (x->b->space_byte >= 0 && nd[s].cls == space_cls) tmp[k++] = (uint64_t)space_cls << 32 | s;
        qsort(tmp, k, sizeof *tmp, cmp_edge);
        for (uint32_t i = 0; i < k; i++) {
            ac->edge_cls[ac->edge_at[s] + i] = (uint8_t)(tmp[i] >> 32);
            ac->edge_to[ac->edge_at[s] + i] = (uint32_t)tmp[i];
        }
    }
    free(tmp);
    return 0;
}

lede_ac *lede_ac_build(lede_ac_builder *b, size_t dense_max_cells) {
    lede_ac *ac = calloc(1, sizeof *ac);
    build_ctx x = {.ac = ac, .b = b};
    if (!ac) return NULL;
    assign_classes(&x);
    uint32_t n = (uint32_t)b->n;
    if (bfs(&x) || renumber(&x) || alloc_tables(ac, n)) goto fail;
    outputs(&x);
    uint32_t nd = dense_count(&x, dense_max_cells);
    ac->all_dense = nd == n;
    if (ac->all_dense && (uint64_t)n * ac->ncls * 2 >= (1ull << 32)) {
        ac->all_dense = 0; /* offsets would not fit the entry encoding */
        nd = dense_count(&x, (1u << 30) / 2);
    }
    if (dense_rows(&x, nd) || sparse_edges(&x)) goto fail;
    free(x.order);
    return ac;
fail:
    free(x.order);
    lede_ac_free(ac);
    return NULL;
}

void lede_ac_free(lede_ac *ac) {
    if (!ac) return;
    free(ac->delta);
    free(ac->row);
    free(ac->edge_at);
    free(ac->edge_cls);
    free(ac->edge_to);
    free(ac->fail);
    free(ac->out);
    free(ac->dict);
    free(ac->depth);
    free(ac->reports);
    free(ac);
}

/* ---- scanning ----------------------------------------------------------------------------- */

int lede_ac_report(const lede_ac *ac, uint32_t st, size_t end, lede_ac_hit_fn hit, void *ud) {
    for (int32_t t = ac->out[st] >= 0 ? (int32_t)st : ac->dict[st]; t >= 0; t = ac->dict[t]) {
        int rc = hit(ud, end, ac->out[t], ac->depth[t]);
        if (rc) return rc;
    }
    return 0;
}

static int scan_dense(const lede_ac *ac, const unsigned char *p, size_t n, lede_ac_hit_fn hit,
                      void *ud) {
    const uint32_t *delta = ac->delta;
    const uint8_t *cls = ac->cls;
    uint32_t off = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t e = delta[off + cls[p[i]]];
        off = e >> 1;
        if (__builtin_expect(e & 1, 0)) {
            int rc = lede_ac_report(ac, off / ac->ncls, i + 1, hit, ud);
            if (rc) return rc;
        }
    }
    return 0;
}

int lede_ac_scan(const lede_ac *ac, const char *s, size_t n, lede_ac_hit_fn hit, void *ud) {
    const unsigned char *p = (const unsigned char *)s;
    if (ac->all_dense) return scan_dense(ac, p, n, hit, ud);
    uint32_t st = 0;
    for (size_t i = 0; i < n; i++) {
        st = lede_ac_next(ac, st, ac->cls[p[i]]);
        if (ac->reports[st]) {
            int rc = lede_ac_report(ac, st, i + 1, hit, ud);
            if (rc) return rc;
        }
    }
    return 0;
}

/* Reports the outputs of the state at row offset off, for a hit ending at end, if that end is
 * past `after` (the second stream's warm-up reports nothing). */
static int report_from(const lede_ac *ac, uint32_t off, size_t end, size_t after,
                       lede_ac_hit_fn hit, void *ud) {
    return end > after ? lede_ac_report(ac, off / ac->ncls, end, hit, ud) : 0;
}

/* One step of stream k: byte at pos[k], reporting hits that end past after[k]. */
#define AC_STEP(k)                                                                            \
    do {                                                                                      \
        uint32_t e_ = delta[off[k] + cls[p[pos[k]++]]];                                       \
        off[k] = e_ >> 1;                                                                     \
        if (__builtin_expect(e_ & 1, 0) && !rc)                                               \
            rc = report_from(ac, off[k], pos[k], after[k], hit, uds[k]);                      \
    } while (0)

int lede_ac_scan_streams(const lede_ac *ac, const char *s, size_t n, size_t max_len,
                         lede_ac_hit_fn hit, void *const uds[LEDE_AC_STREAMS]) {
    const size_t k = LEDE_AC_STREAMS;
    if (!ac->all_dense || n / k < 4 * max_len + 64) return lede_ac_scan(ac, s, n, hit, uds[0]);
    const unsigned char *p = (const unsigned char *)s;
    const uint32_t *delta = ac->delta;
    const uint8_t *cls = ac->cls;
    /* stream i covers [i*n/k, (i+1)*n/k); all but the first start max_len bytes early from
     * the root, so their state is exact where their part begins, and report only hits that
     * end inside their part (earlier ones belong to the stream before) */
    size_t pos[LEDE_AC_STREAMS], end[LEDE_AC_STREAMS], after[LEDE_AC_STREAMS];
    uint32_t off[LEDE_AC_STREAMS] = {0};
    for (size_t i = 0; i < k; i++) {
        size_t a = i * (n / k);
        after[i] = a;
        pos[i] = i ? a - max_len : 0;
        end[i] = i + 1 < k ? (i + 1) * (n / k) : n;
    }
    int rc = 0;
    size_t steps = end[0] - pos[0]; /* the shortest stream */
    for (size_t t = 0; t < steps && !rc; t++) {
        AC_STEP(0);
        AC_STEP(1);
        AC_STEP(2);
        AC_STEP(3);
    }
    for (size_t i = 0; i < k && !rc; i++)
        while (pos[i] < end[i] && !rc) AC_STEP(i);
    return rc;
}
