/* An open-addressing map from 64-bit keys to 64-bit values: done-units on resume (key = hash of
 * path and member) and first copies of bodies for duplicates (key = body hash, value = article
 * id). Not thread-safe; callers lock. */
#ifndef LEDE_UTIL_U64MAP_H
#define LEDE_UTIL_U64MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct lede_u64map {
    uint64_t *keys, *vals;
    size_t cap, n;
    int has_zero; /* key 0 marks an empty slot, so it is kept aside */
    uint64_t zero_val;
} lede_u64map;

void lede_u64map_init(lede_u64map *m);
void lede_u64map_free(lede_u64map *m);
/* 1 and *val set when key is present, else 0. val may be NULL. */
int lede_u64map_get(const lede_u64map *m, uint64_t key, uint64_t *val);
/* Inserts or overwrites; -1 on allocation failure. */
int lede_u64map_put(lede_u64map *m, uint64_t key, uint64_t val);

#endif
