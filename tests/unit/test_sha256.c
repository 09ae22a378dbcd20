/* SHA-256 against the FIPS 180-4 / NIST test vectors, fed whole and in awkward pieces (the
 * block buffer's edges are where a hash goes wrong). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/sha256.h"

static void hash_pieces(const char *s, size_t n, size_t piece, char hex[65]) {
    lede_sha256 c;
    lede_sha256_init(&c);
    for (size_t i = 0; i < n; i += piece) lede_sha256_update(&c, s + i, n - i < piece ? n - i : piece);
    lede_sha256_hex(&c, hex);
}

static void check_vector(const char *s, size_t n, const char *want) {
    static const size_t pieces[] = {1, 3, 55, 56, 63, 64, 65, 1000000};
    for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
        char hex[65];
        hash_pieces(s, n, pieces[k], hex);
        CHECK_STR(hex, want);
    }
}

int main(void) {
    check_vector("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_vector("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
    check_vector(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                       "klmnopqrlmnopqrsmnopqrstnopqrstu"; /* 112 bytes: two blocks of padding */
    check_vector(four, strlen(four), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    size_t n = 1000000;
    char *a = malloc(n);
    CHECK(a != NULL);
    if (a) {
        memset(a, 'a', n);
        check_vector(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        free(a);
    }
    /* every length around the 55/56/64-byte padding boundaries: whole == byte by byte */
    char buf[130];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)('A' + i % 26);
    for (size_t len = 50; len <= sizeof buf; len++) {
        char whole[65], bytes[65];
        hash_pieces(buf, len, len ? len : 1, whole);
        hash_pieces(buf, len, 1, bytes);
        CHECK_STR(bytes, whole);
    }
    CHECK_DONE();
}
