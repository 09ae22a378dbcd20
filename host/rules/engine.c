/* The rule engine (engine.h): compile once, scan each text once per distinct pattern, bucket
 * hits into units, evaluate every rule per unit. */
#include "rules/engine.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "text/normalize.h"
#include "text/reset.h"
#include "text/sentences.h"
#include "text/tokenize.h"

typedef struct atom {
    int kind;
    lede_re *re;
    lede_phrases *ph;
    uint32_t ngroups; /* named groups */
    char **gnames;
    uint32_t *gnums;
} atom;

typedef struct node {
    int op, atom, kid0, nkids, distance;
    char *name;
} node;

typedef struct rule {
    char *id;
    int scope;
    unsigned fields;
    int root;
    int empty_ok; /* the tree holds with no hits at all (only none{}): every unit is a candidate */
} rule;

/* One pattern set: every regex atom some rule reads in a field, scanned in one pass. Fields
 * whose rules read the same atoms share one set. */
typedef struct atom_set {
    lede_reset *set;
    size_t *atoms; /* set pattern index -> atom index */
    size_t n;
} atom_set;

struct lede_ruleset {
    atom *atoms;
    size_t natoms, cap_atoms;
    node *nodes;
    size_t nnodes, cap_nodes;
    int *kids;
    size_t nkids, cap_kids;
    rule *rules;
    size_t nrules, cap_rules;
    unsigned fields;
    int finished;
    atom_set sets[LEDE_RULE_FIELDS];
    size_t nsets;
    int field_set[LEDE_RULE_FIELDS]; /* field -> index into sets, -1: no regex atom */
    atomic_size_t refs;              /* owners: each lede_script sharing it holds one */
};

/* Grows *v (of *cap elements of size sz) to hold n + 1; 0 or -1. */
static int grow(void *v, size_t *cap, size_t n, size_t sz) {
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*(void **)v, nc * sz);
    if (!p) return -1;
    *(void **)v = p;
    *cap = nc;
    return 0;
}

lede_ruleset *lede_ruleset_new(void) {
    lede_ruleset *rs = calloc(1, sizeof(lede_ruleset));
    if (rs) atomic_init(&rs->refs, 1);
    return rs;
}

lede_ruleset *lede_ruleset_retain(lede_ruleset *rs) {
    /* the count is the only field that changes after finish; everything a scan reads stays put */
    atomic_fetch_add(&rs->refs, 1);
    return rs;
}

void lede_ruleset_free(lede_ruleset *rs) {
    if (!rs || atomic_fetch_sub(&rs->refs, 1) > 1) return;
    for (size_t i = 0; i < rs->natoms; i++) {
        atom *a = &rs->atoms[i];
        if (a->re) lede_re_release(a->re);
        lede_phrases_free(a->ph);
        for (uint32_t g = 0; g < a->ngroups; g++) free(a->gnames[g]);
        free(a->gnames);
        free(a->gnums);
    }
    for (size_t i = 0; i < rs->nnodes; i++) free(rs->nodes[i].name);
    for (size_t i = 0; i < rs->nrules; i++) free(rs->rules[i].id);
    for (size_t i = 0; i < rs->nsets; i++) {
        lede_reset_free(rs->sets[i].set);
        free(rs->sets[i].atoms);
    }
    free(rs->atoms);
    free(rs->nodes);
    free(rs->kids);
    free(rs->rules);
    free(rs);
}

static atom *new_atom(lede_ruleset *rs, int kind) {
    if (rs->finished || grow(&rs->atoms, &rs->cap_atoms, rs->natoms, sizeof(atom))) return NULL;
    atom *a = &rs->atoms[rs->natoms++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    return a;
}

static int set_groups(atom *a) {
    uint32_t n = lede_re_name_count(a->re);
    if (!n) return 0;
    a->gnames = calloc(n, sizeof *a->gnames);
    a->gnums = calloc(n, sizeof *a->gnums);
    if (!a->gnames || !a->gnums) return -1;
    for (uint32_t i = 0; i < n; i++) {
        a->gnames[i] = strdup(lede_re_name_at(a->re, i, &a->gnums[i]));
        if (!a->gnames[i]) return -1;
        a->ngroups = i + 1;
    }
    return 0;
}

int lede_ruleset_add_re(lede_ruleset *rs, const char *pattern, size_t len, const char *flags, char *err,
                        size_t errlen) {
    unsigned fl = 0;
    if (lede_re_parse_flags(flags ? flags : "", &fl, err, errlen) != 0) return -1;
    lede_re *re;
    if (lede_re_compile(pattern, len, fl, &re, err, errlen) != 0) return -1;
    atom *a = new_atom(rs, LEDE_ATOM_RE);
    if (!a) {
        lede_re_release(re);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->re = re;
    if (set_groups(a) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return (int)rs->natoms - 1;
}

static int new_phrase_atom(lede_ruleset *rs, char *err, size_t errlen) {
    atom *a = new_atom(rs, LEDE_ATOM_PHRASES);
    if (!a || !(a->ph = lede_phrases_new(LEDE_FOLD_CASE | LEDE_FOLD_MARKS))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return (int)rs->natoms - 1;
}

int lede_ruleset_add_phrase_file(lede_ruleset *rs, const char *path, char *err, size_t errlen) {
    int i = new_phrase_atom(rs, err, errlen);
    if (i < 0) return -1;
    return lede_phrases_load(rs->atoms[i].ph, path, err, errlen) == 0 ? i : -1;
}

int lede_ruleset_begin_phrases(lede_ruleset *rs, char *err, size_t errlen) {
    return new_phrase_atom(rs, err, errlen);
}

int lede_ruleset_add_phrase(lede_ruleset *rs, int atom_i, const char *phrase, const char *label, char *err,
                            size_t errlen) {
    lede_phrases *p = rs->atoms[atom_i].ph;
    long e = lede_phrases_add(p, phrase, strlen(phrase), label, label ? strlen(label) : 0, err, errlen);
    return e < 0 ? -1 : 0;
}

static int new_node(lede_ruleset *rs, int op, const char *name) {
    if (grow(&rs->nodes, &rs->cap_nodes, rs->nnodes, sizeof(node))) return -1;
    node *n = &rs->nodes[rs->nnodes];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->atom = -1;
    if (name && !(n->name = strdup(name))) return -1;
    return (int)rs->nnodes++;
}

int lede_ruleset_atom_node(lede_ruleset *rs, int atom_i, const char *name) {
    int i = new_node(rs, LEDE_NODE_ATOM, name);
    if (i >= 0) rs->nodes[i].atom = atom_i;
    return i;
}

int lede_ruleset_group_node(lede_ruleset *rs, int op, const int *kids, int nkids) {
    int i = new_node(rs, op, NULL);
    if (i < 0) return -1;
    rs->nodes[i].kid0 = (int)rs->nkids;
    rs->nodes[i].nkids = nkids;
    for (int k = 0; k < nkids; k++) {
        if (grow(&rs->kids, &rs->cap_kids, rs->nkids, sizeof(int))) return -1;
        rs->kids[rs->nkids++] = kids[k];
    }
    return i;
}

int lede_ruleset_near_node(lede_ruleset *rs, int a, int b, int distance) {
    int kids[2] = {a, b};
    int i = lede_ruleset_group_node(rs, LEDE_NODE_NEAR, kids, 2);
    if (i >= 0) rs->nodes[i].distance = distance;
    return i;
}

int lede_ruleset_add_rule(lede_ruleset *rs, const char *id, int scope, unsigned fields, int root) {
    if (grow(&rs->rules, &rs->cap_rules, rs->nrules, sizeof(rule))) return -1;
    rule *r = &rs->rules[rs->nrules];
    memset(r, 0, sizeof *r);
    if (!(r->id = strdup(id))) return -1;
    r->scope = scope;
    r->fields = fields;
    r->root = root;
    rs->fields |= fields;
    return (int)rs->nrules++;
}

/* Whether the tree holds over a unit without any hit. */
static int holds_empty(const lede_ruleset *rs, int ni) {
    const node *n = &rs->nodes[ni];
    switch (n->op) {
    case LEDE_NODE_ATOM:
    case LEDE_NODE_NEAR:
        return 0;
    case LEDE_NODE_NONE:
        return 1;
    case LEDE_NODE_ALL:
        for (int k = 0; k < n->nkids; k++)
            if (!holds_empty(rs, rs->kids[n->kid0 + k])) return 0;
        return 1;
    default:
        for (int k = 0; k < n->nkids; k++)
            if (holds_empty(rs, rs->kids[n->kid0 + k])) return 1;
        return 0;
    }
}

static void mark_tree(const lede_ruleset *rs, int ni, unsigned char *used) {
    const node *n = &rs->nodes[ni];
    if (n->op == LEDE_NODE_ATOM) {
        used[n->atom] = 1;
        return;
    }
    for (int k = 0; k < n->nkids; k++) mark_tree(rs, rs->kids[n->kid0 + k], used);
}

/* The regex atoms rules reading `field` use, in atom order, into list; returns how many. */
static size_t field_atoms(const lede_ruleset *rs, unsigned field, unsigned char *used, size_t *list) {
    memset(used, 0, rs->natoms);
    for (size_t r = 0; r < rs->nrules; r++)
        if (rs->rules[r].fields & (1u << field)) mark_tree(rs, rs->rules[r].root, used);
    size_t n = 0;
    for (size_t a = 0; a < rs->natoms; a++)
        if (used[a] && rs->atoms[a].kind == LEDE_ATOM_RE) list[n++] = a;
    return n;
}

static int build_set(lede_ruleset *rs, const size_t *list, size_t n, char *err, size_t errlen) {
    atom_set *as = &rs->sets[rs->nsets];
    memset(as, 0, sizeof *as);
    if (!(as->set = lede_reset_new()) || !(as->atoms = malloc(n * sizeof *as->atoms))) {
        lede_reset_free(as->set);
        as->set = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rs->nsets++; /* owned from here on, freed with the ruleset */
    for (size_t i = 0; i < n; i++) {
        size_t plen;
        const char *pat = lede_re_pattern(rs->atoms[list[i]].re, &plen);
        char e[256];
        if (lede_reset_add(as->set, pat, plen, lede_re_flags(rs->atoms[list[i]].re), e, sizeof e) < 0) {
            snprintf(err, errlen, "pattern set: %s", e); /* the atom compiled alone: memory */
            return -1;
        }
        as->atoms[as->n++] = list[i];
    }
    return lede_reset_compile(as->set, err, errlen) == 0 ? 0 : -1;
}

/* One pattern set per distinct group of regex atoms that a field's rules read: scanning a
 * field's text is one pass whatever the number of patterns and scopes. */
static int build_sets(lede_ruleset *rs, char *err, size_t errlen) {
    unsigned char *used = calloc(rs->natoms + 1, 1);
    size_t *list = calloc(rs->natoms + 1, sizeof *list);
    int rc = 0;
    if (!used || !list) rc = -1, snprintf(err, errlen, "out of memory");
    for (unsigned f = 0; f < LEDE_RULE_FIELDS; f++) rs->field_set[f] = -1;
    for (unsigned f = 0; f < LEDE_RULE_FIELDS && !rc; f++) {
        if (!(rs->fields & (1u << f))) continue;
        size_t n = field_atoms(rs, f, used, list);
        if (!n) continue;
        for (size_t i = 0; i < rs->nsets && rs->field_set[f] < 0; i++)
            if (rs->sets[i].n == n && !memcmp(rs->sets[i].atoms, list, n * sizeof *list)) rs->field_set[f] = (int)i;
        if (rs->field_set[f] >= 0) continue;
        rc = build_set(rs, list, n, err, errlen);
        rs->field_set[f] = (int)rs->nsets - 1;
    }
    free(used);
    free(list);
    return rc;
}

int lede_ruleset_finish(lede_ruleset *rs, char *err, size_t errlen) {
    for (size_t i = 0; i < rs->natoms; i++) {
        atom *a = &rs->atoms[i];
        if (a->kind == LEDE_ATOM_PHRASES && lede_phrases_compile(a->ph, err, errlen) != 0) return -1;
    }
    for (size_t i = 0; i < rs->nrules; i++) rs->rules[i].empty_ok = holds_empty(rs, rs->rules[i].root);
    if (build_sets(rs, err, errlen) != 0) return -1;
    rs->finished = 1;
    return 0;
}

size_t lede_ruleset_rules(const lede_ruleset *rs) { return rs->nrules; }
const char *lede_ruleset_rule_id(const lede_ruleset *rs, size_t r) { return rs->rules[r].id; }
int lede_ruleset_rule_scope(const lede_ruleset *rs, size_t r) { return rs->rules[r].scope; }
unsigned lede_ruleset_fields(const lede_ruleset *rs) { return rs->fields; }

/* ---- scanning ------------------------------------------------------------------------------ */
typedef struct hit {
    size_t start, len, entry, gpos;
} hit;

typedef struct hitlist {
    hit *v;
    size_t n, cap;
    int failed;
    char err[256];
} hitlist;

struct lede_rule_scan {
    const lede_ruleset *rs;
    lede_re_matcher *m;
    hitlist *hits; /* per atom */
    size_t *gpool;
    size_t ngpool, cap_gpool;
    unsigned char *used; /* per atom: read by a rule of the current field */
    lede_rule_match *matches;
    size_t nmatches, cap_matches;
    char **rule_err; /* per rule; points into hits[].err */
    lede_span *sents;
    size_t nsents, cap_sents;
    const char *s;
    size_t n;
    const lede_span *paras;
    size_t nparas;
    int oom;
};

lede_rule_scan *lede_rule_scan_new(const lede_ruleset *rs, const lede_re_limits *limits) {
    lede_rule_scan *sc = calloc(1, sizeof *sc);
    if (!sc) return NULL;
    sc->rs = rs;
    sc->m = lede_re_matcher_new(limits);
    sc->hits = calloc(rs->natoms + 1, sizeof *sc->hits);
    sc->used = calloc(rs->natoms + 1, 1);
    sc->rule_err = calloc(rs->nrules + 1, sizeof *sc->rule_err);
    if (!sc->m || !sc->hits || !sc->used || !sc->rule_err) {
        lede_rule_scan_free(sc);
        return NULL;
    }
    return sc;
}

void lede_rule_scan_free(lede_rule_scan *sc) {
    if (!sc) return;
    lede_re_matcher_free(sc->m);
    if (sc->hits)
        for (size_t i = 0; i < sc->rs->natoms; i++) free(sc->hits[i].v);
    free(sc->hits);
    free(sc->used);
    free(sc->rule_err);
    free(sc->gpool);
    free(sc->matches);
    free(sc->sents);
    free(sc);
}

static int push_hit(lede_rule_scan *sc, hitlist *hl, size_t start, size_t len, size_t entry, size_t gpos) {
    if (grow(&hl->v, &hl->cap, hl->n, sizeof(hit))) return -1;
    hl->v[hl->n++] = (hit){start, len, entry, gpos};
    return 0;
}

static int push_groups(lede_rule_scan *sc, const atom *a, size_t *gpos) {
    *gpos = sc->ngpool;
    if (!a->ngroups) return 0;
    const size_t *o = lede_re_offsets(sc->m);
    for (uint32_t g = 0; g < a->ngroups; g++) {
        for (int k = 0; k < 2; k++) {
            if (grow(&sc->gpool, &sc->cap_gpool, sc->ngpool, sizeof(size_t))) return -1;
            sc->gpool[sc->ngpool++] = o[2 * a->gnums[g] + (uint32_t)k];
        }
    }
    return 0;
}

static int scan_re(lede_rule_scan *sc, const atom *a, hitlist *hl) {
    size_t off = 0;
    while (off <= sc->n) {
        int rc = lede_re_exec(a->re, sc->m, sc->s, sc->n, off, 0);
        if (rc == 0) break;
        if (rc < 0) {
            size_t plen;
            const char *pat = lede_re_pattern(a->re, &plen);
            char why[160];
            lede_re_strerror(sc->m, rc, why, sizeof why);
            snprintf(hl->err, sizeof hl->err, "%s in pattern /%.*s/", why, plen > 60 ? 60 : (int)plen, pat);
            hl->failed = 1;
            return 0;
        }
        const size_t *o = lede_re_offsets(sc->m);
        size_t s0 = o[0], e0 = o[1], gpos;
        if (e0 > s0 && (push_groups(sc, a, &gpos) || push_hit(sc, hl, s0, e0 - s0, 0, gpos))) return -1;
        off = e0 > s0 ? e0 : e0 + lede_re_char_len(a->re, sc->s, sc->n, e0);
    }
    return 0;
}

static int scan_phrases(lede_rule_scan *sc, const atom *a, hitlist *hl) {
    lede_phrase_hit *ph = NULL;
    size_t nh = 0;
    if (lede_phrases_scan(a->ph, sc->s, sc->n, 0, &ph, &nh) != 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < nh && !rc; i++) rc = push_hit(sc, hl, ph[i].start, ph[i].len, ph[i].entry, 0);
    free(ph);
    return rc;
}

/* Named groups of a set match: the set reports only where the match is, so the atom's own
 * regex runs again anchored there (the same attempt at the same start, hence the same match). */
static int confirm_groups(lede_rule_scan *sc, const atom *a, size_t start, size_t end, size_t *gpos) {
    int rc = lede_re_exec(a->re, sc->m, sc->s, sc->n, start, LEDE_RE_EXEC_ANCHORED);
    if (rc <= 0 || lede_re_offsets(sc->m)[1] != end) return 1;
    return push_groups(sc, a, gpos);
}

/* Every regex atom of the field in one pass of its pattern set. 0 when done; 1 when the set
 * cannot stand for the atoms on this text (a limit hit): the caller scans them one by one,
 * which fails only the atoms that hit it, as before; -1 when out of memory. */
static int scan_set(lede_rule_scan *sc, const atom_set *as) {
    lede_reset_match *ms = NULL;
    size_t nm = 0, failed = 0;
    int rc = lede_reset_scan(as->set, sc->m, sc->s, sc->n, &ms, &nm, &failed);
    if (rc == LEDE_RE_ENOMEM) return -1;
    if (rc) return 1;
    for (size_t i = 0; i < nm && !rc; i++) {
        size_t ai = as->atoms[ms[i].pattern], gpos = sc->ngpool;
        const atom *a = &sc->rs->atoms[ai];
        if (ms[i].end <= ms[i].start) continue; /* empty matches never count, as in scan_re */
        if (a->ngroups && (rc = confirm_groups(sc, a, ms[i].start, ms[i].end, &gpos)) != 0) break;
        rc = push_hit(sc, &sc->hits[ai], ms[i].start, ms[i].end - ms[i].start, 0, gpos);
    }
    free(ms);
    if (rc) { /* start over atom by atom */
        sc->ngpool = 0;
        for (size_t k = 0; k < as->n; k++) sc->hits[as->atoms[k]].n = 0;
        return rc < 0 ? -1 : 1;
    }
    return 0;
}

static int sentence_cb(void *ud, size_t start, size_t len) {
    lede_rule_scan *sc = ud;
    if (grow(&sc->sents, &sc->cap_sents, sc->nsents, sizeof(lede_span))) return -1;
    sc->sents[sc->nsents++] = (lede_span){start, len};
    return 0;
}

/* First hit of hl starting at or after pos. */
static size_t lower_bound(const hitlist *hl, size_t pos) {
    size_t lo = 0, hi = hl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hl->v[mid].start < pos) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Hits of atom a wholly inside [us, ue): [*lo, *hi) (a hit straddling ue is skipped later). */
static void atom_range(const lede_rule_scan *sc, int a, size_t us, size_t ue, size_t *lo, size_t *hi) {
    const hitlist *hl = &sc->hits[a];
    *lo = lower_bound(hl, us);
    *hi = lower_bound(hl, ue);
}

static int inside(const hit *h, size_t ue) { return h->start + h->len <= ue; }

static int present(const lede_rule_scan *sc, int a, size_t us, size_t ue) {
    size_t lo, hi;
    atom_range(sc, a, us, ue, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (inside(&sc->hits[a].v[i], ue)) return 1;
    return 0;
}

/* Words between two hits (0 when they touch or overlap). */
static size_t gap_words(const lede_rule_scan *sc, const hit *x, const hit *y) {
    const hit *first = x->start <= y->start ? x : y, *second = first == x ? y : x;
    size_t end = first->start + first->len;
    if (second->start <= end) return 0;
    return lede_tok_count_words(sc->s + end, second->start - end);
}

static int near_ok(const lede_rule_scan *sc, const node *n, size_t us, size_t ue) {
    const node *na = &sc->rs->nodes[sc->rs->kids[n->kid0]], *nb = &sc->rs->nodes[sc->rs->kids[n->kid0 + 1]];
    size_t alo, ahi, blo, bhi;
    atom_range(sc, na->atom, us, ue, &alo, &ahi);
    atom_range(sc, nb->atom, us, ue, &blo, &bhi);
    const hit *av = sc->hits[na->atom].v, *bv = sc->hits[nb->atom].v;
    for (size_t i = alo; i < ahi; i++) {
        if (!inside(&av[i], ue)) continue;
        for (size_t j = blo; j < bhi; j++)
            if (inside(&bv[j], ue) && gap_words(sc, &av[i], &bv[j]) <= (size_t)n->distance) return 1;
    }
    return 0;
}

static int eval(const lede_rule_scan *sc, int ni, size_t us, size_t ue) {
    const lede_ruleset *rs = sc->rs;
    const node *n = &rs->nodes[ni];
    switch (n->op) {
    case LEDE_NODE_ATOM:
        return present(sc, n->atom, us, ue);
    case LEDE_NODE_NEAR:
        return near_ok(sc, n, us, ue);
    case LEDE_NODE_ALL:
        for (int k = 0; k < n->nkids; k++)
            if (!eval(sc, rs->kids[n->kid0 + k], us, ue)) return 0;
        return 1;
    case LEDE_NODE_ANY:
        for (int k = 0; k < n->nkids; k++)
            if (eval(sc, rs->kids[n->kid0 + k], us, ue)) return 1;
        return 0;
    default: /* none */
        for (int k = 0; k < n->nkids; k++)
            if (eval(sc, rs->kids[n->kid0 + k], us, ue)) return 0;
        return 1;
    }
}

/* Marks the atoms under node ni as used (and fails the rule if one failed to scan). */
static void mark_atoms(lede_rule_scan *sc, int ni, size_t r) {
    const node *n = &sc->rs->nodes[ni];
    if (n->op == LEDE_NODE_ATOM) {
        sc->used[n->atom] = 1;
        return;
    }
    for (int k = 0; k < n->nkids; k++) mark_atoms(sc, sc->rs->kids[n->kid0 + k], r);
}

static void fail_rules(lede_rule_scan *sc, int ni, size_t r) {
    const node *n = &sc->rs->nodes[ni];
    if (n->op == LEDE_NODE_ATOM) {
        if (sc->hits[n->atom].failed && !sc->rule_err[r]) sc->rule_err[r] = sc->hits[n->atom].err;
        return;
    }
    for (int k = 0; k < n->nkids; k++) fail_rules(sc, sc->rs->kids[n->kid0 + k], r);
}

static long para_of(const lede_rule_scan *sc, size_t pos) {
    if (!sc->nparas) return 0;
    size_t lo = 0, hi = sc->nparas;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->paras[mid].start <= pos) lo = mid;
        else hi = mid;
    }
    return (long)lo;
}

static int any_hit(const lede_rule_scan *sc, size_t us, size_t ue) {
    for (size_t a = 0; a < sc->rs->natoms; a++)
        if (sc->used[a] && sc->hits[a].n && present(sc, (int)a, us, ue)) return 1;
    return 0;
}

static int add_match(lede_rule_scan *sc, size_t r, size_t us, size_t ue, long para, long sent) {
    if (grow(&sc->matches, &sc->cap_matches, sc->nmatches, sizeof(lede_rule_match))) return -1;
    sc->matches[sc->nmatches++] = (lede_rule_match){r, us, ue - us, para, sent};
    return 0;
}

/* Evaluates the rules of one scope over one unit. */
static int eval_unit(lede_rule_scan *sc, unsigned field, int scope, size_t us, size_t ue, long para, long sent) {
    int hits = -1; /* computed on first need */
    for (size_t r = 0; r < sc->rs->nrules; r++) {
        const rule *ru = &sc->rs->rules[r];
        if (ru->scope != scope || !(ru->fields & (1u << field)) || sc->rule_err[r]) continue;
        if (!ru->empty_ok) {
            if (hits < 0) hits = any_hit(sc, us, ue);
            if (!hits) continue;
        }
        if (eval(sc, ru->root, us, ue) && add_match(sc, r, us, ue, para, sent)) return -1;
    }
    return 0;
}

static int run_scopes(lede_rule_scan *sc, unsigned field, const int *want) {
    if (want[LEDE_SCOPE_ARTICLE] && eval_unit(sc, field, LEDE_SCOPE_ARTICLE, 0, sc->n, -1, -1)) return -1;
    if (want[LEDE_SCOPE_PARAGRAPH]) {
        lede_span whole = {0, sc->n};
        const lede_span *ps = sc->nparas ? sc->paras : &whole;
        size_t np = sc->nparas ? sc->nparas : 1;
        for (size_t p = 0; p < np; p++)
            if (eval_unit(sc, field, LEDE_SCOPE_PARAGRAPH, ps[p].start, ps[p].start + ps[p].len, (long)p, -1))
                return -1;
    }
    if (want[LEDE_SCOPE_SENTENCE]) {
        sc->nsents = 0;
        if (lede_sentences(sc->s, sc->n, sentence_cb, sc) != 0) return -1;
        for (size_t i = 0; i < sc->nsents; i++) {
            size_t us = sc->sents[i].start, ue = us + sc->sents[i].len;
            if (eval_unit(sc, field, LEDE_SCOPE_SENTENCE, us, ue, para_of(sc, us), (long)i)) return -1;
        }
    }
    return 0;
}

int lede_rule_scan_run(lede_rule_scan *sc, unsigned field, const char *s, size_t n, const lede_span *paras,
                       size_t nparas) {
    const lede_ruleset *rs = sc->rs;
    if (n > LEDE_MAX_RULE_TEXT_BYTES) n = LEDE_MAX_RULE_TEXT_BYTES;
    sc->s = s ? s : "";
    sc->n = s ? n : 0;
    sc->paras = paras;
    sc->nparas = nparas;
    sc->nmatches = sc->ngpool = 0;
    memset(sc->used, 0, rs->natoms + 1);
    memset(sc->rule_err, 0, (rs->nrules + 1) * sizeof *sc->rule_err);
    int want[LEDE_NSCOPES] = {0};
    for (size_t r = 0; r < rs->nrules; r++) {
        if (!(rs->rules[r].fields & (1u << field))) continue;
        want[rs->rules[r].scope] = 1;
        mark_atoms(sc, rs->rules[r].root, r);
    }
    for (size_t a = 0; a < rs->natoms; a++) {
        sc->hits[a].n = 0;
        sc->hits[a].failed = 0;
    }
    int set_rc = field < LEDE_RULE_FIELDS && rs->field_set[field] >= 0
                     ? scan_set(sc, &rs->sets[rs->field_set[field]])
                     : 1;
    if (set_rc < 0) return -1;
    for (size_t a = 0; a < rs->natoms; a++) {
        hitlist *hl = &sc->hits[a];
        if (!sc->used[a]) continue;
        int rc = 0;
        if (rs->atoms[a].kind == LEDE_ATOM_PHRASES) rc = scan_phrases(sc, &rs->atoms[a], hl);
        else if (set_rc) rc = scan_re(sc, &rs->atoms[a], hl); /* no set, or a limit hit in it */
        if (rc) return -1;
    }
    for (size_t r = 0; r < rs->nrules; r++)
        if (rs->rules[r].fields & (1u << field)) fail_rules(sc, rs->rules[r].root, r);
    return run_scopes(sc, field, want);
}

size_t lede_rule_scan_count(const lede_rule_scan *sc) { return sc->nmatches; }
const lede_rule_match *lede_rule_scan_match(const lede_rule_scan *sc, size_t i) { return &sc->matches[i]; }
const char *lede_rule_scan_error(const lede_rule_scan *sc, size_t r) { return sc->rule_err[r]; }

typedef struct hits_walk {
    const lede_rule_scan *sc;
    size_t us, ue;
    lede_rule_hit_fn fn;
    void *ud;
    /* the rule's positive atom nodes, collected first so hits come out ordered by start */
    int nodes[64];
    int nn;
} hits_walk;

static void collect_positive(hits_walk *w, int ni) {
    const node *n = &w->sc->rs->nodes[ni];
    if (n->op == LEDE_NODE_NONE) return;
    if (n->op == LEDE_NODE_ATOM) {
        for (int k = 0; k < w->nn; k++) {
            const node *o = &w->sc->rs->nodes[w->nodes[k]];
            if (o->atom == n->atom && ((!o->name && !n->name) || (o->name && n->name && !strcmp(o->name, n->name))))
                return;
        }
        if (w->nn < 64) w->nodes[w->nn++] = ni;
        return;
    }
    for (int k = 0; k < n->nkids; k++) collect_positive(w, w->sc->rs->kids[n->kid0 + k]);
}

static void fill_hit(const lede_rule_scan *sc, const node *n, const hit *h, lede_rule_hit *out) {
    const atom *a = &sc->rs->atoms[n->atom];
    memset(out, 0, sizeof *out);
    out->name = n->name;
    out->kind = a->kind;
    out->start = h->start;
    out->len = h->len;
    if (a->kind == LEDE_ATOM_PHRASES) {
        out->phrase = lede_phrases_phrase(a->ph, h->entry);
        out->label = lede_phrases_label(a->ph, h->entry);
    } else if (a->ngroups) {
        out->ngroups = a->ngroups;
        out->group_names = (const char *const *)a->gnames;
        out->groups = &sc->gpool[h->gpos];
    }
}

int lede_rule_scan_hits(const lede_rule_scan *sc, size_t i, lede_rule_hit_fn fn, void *ud) {
    const lede_rule_match *m = &sc->matches[i];
    hits_walk w = {sc, m->start, m->start + m->len, fn, ud, {0}, 0};
    collect_positive(&w, sc->rs->rules[m->rule].root);
    size_t lo[64], hi[64];
    for (int k = 0; k < w.nn; k++) atom_range(sc, sc->rs->nodes[w.nodes[k]].atom, w.us, w.ue, &lo[k], &hi[k]);
    for (;;) { /* merge the nodes' hit lists by start */
        int best = -1;
        size_t best_start = 0;
        for (int k = 0; k < w.nn; k++) {
            const hitlist *hl = &sc->hits[sc->rs->nodes[w.nodes[k]].atom];
            while (lo[k] < hi[k] && !inside(&hl->v[lo[k]], w.ue)) lo[k]++;
            if (lo[k] < hi[k] && (best < 0 || hl->v[lo[k]].start < best_start)) {
                best = k;
                best_start = hl->v[lo[k]].start;
            }
        }
        if (best < 0) return 0;
        const node *n = &sc->rs->nodes[w.nodes[best]];
        lede_rule_hit h;
        fill_hit(sc, n, &sc->hits[n->atom].v[lo[best]++], &h);
        int rc = fn(ud, &h);
        if (rc) return rc;
    }
}
