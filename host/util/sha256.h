/* SHA-256 (FIPS 180-4), for bundle integrity: a bundle names the hash of every file and of
 * itself, so a corrupted or edited copy is refused. */
#ifndef LEDE_UTIL_SHA256_H
#define LEDE_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct lede_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} lede_sha256;

void lede_sha256_init(lede_sha256 *c);
void lede_sha256_update(lede_sha256 *c, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex[65]. */
void lede_sha256_hex(lede_sha256 *c, char hex[65]);

#endif
