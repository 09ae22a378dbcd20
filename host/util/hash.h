#ifndef LEDE_UTIL_HASH_H
#define LEDE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a: stable across runs and machines, which ids, shards and resume need. */
uint64_t lede_hash64(const void *data, size_t n);
/* Writes 16 lowercase hex digits and a NUL into out[17]. */
void lede_hash64_hex(uint64_t h, char out[17]);

#endif
