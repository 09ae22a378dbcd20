#include "util/u64map.h"

#include <stdlib.h>

void lede_u64map_init(lede_u64map *m) {
    m->keys = m->vals = NULL;
    m->cap = m->n = 0;
    m->has_zero = 0;
    m->zero_val = 0;
}

void lede_u64map_free(lede_u64map *m) {
    free(m->keys);
    free(m->vals);
    lede_u64map_init(m);
}

/* Keys are hashes already, but mix anyway so sequential keys do not cluster. */
static size_t slot_of(uint64_t k, size_t cap) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (cap - 1);
}

int lede_u64map_get(const lede_u64map *m, uint64_t key, uint64_t *val) {
    if (key == 0) {
        if (m->has_zero && val) *val = m->zero_val;
        return m->has_zero;
    }
    if (!m->cap) return 0;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == 0) return 0;
        if (m->keys[i] == key) {
            if (val) *val = m->vals[i];
            return 1;
        }
    }
}

static void place(uint64_t *keys, uint64_t *vals, size_t cap, uint64_t k, uint64_t v) {
    size_t i = slot_of(k, cap);
    while (keys[i] != 0 && keys[i] != k) i = (i + 1) & (cap - 1);
    keys[i] = k;
    vals[i] = v;
}

static int grow(lede_u64map *m) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *k = calloc(cap, sizeof *k), *v = calloc(cap, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) place(k, v, cap, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    m->keys = k;
    m->vals = v;
    m->cap = cap;
    return 0;
}

int lede_u64map_put(lede_u64map *m, uint64_t key, uint64_t val) {
    if (key == 0) {
        m->has_zero = 1;
        m->zero_val = val;
        return 0;
    }
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0) return -1;
    if (!lede_u64map_get(m, key, NULL)) m->n++;
    place(m->keys, m->vals, m->cap, key, val);
    return 0;
}
