/* Unicode folding on top of utf8proc. Per-code-point folds are cached in blocks of 256 code
 * points, built the first time a block is touched: a gazetteer scan folds every non-ASCII
 * character of the text, and utf8proc's decomposition is far too slow to call per character. */
#include "text/normalize.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/utf8.h"

int lede_cp_class(uint32_t cp) {
    if (cp < 0x80) {
        if ((cp | 0x20) - 'a' < 26 || cp - '0' < 10 || cp == '_') return LEDE_CP_WORD;
        if (cp == ' ' || (cp >= 9 && cp <= 13)) return LEDE_CP_SPACE;
        return LEDE_CP_OTHER;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
        return LEDE_CP_WORD;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
        return LEDE_CP_SPACE;
    default: return LEDE_CP_OTHER;
    }
}

/* Typographic forms utf8proc's LUMP leaves alone but news text uses for plain quotes. */
static uint32_t lump_quotes(uint32_t cp) {
    switch (cp) {
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
        return '"';
    case 0x201A: case 0x201B: case 0x2032: case 0x00B4: case 0x0060:
        return '\'';
    default: return cp;
    }
}

static utf8proc_option_t fold_options(unsigned mode) {
    utf8proc_option_t o = UTF8PROC_COMPAT | UTF8PROC_IGNORE | UTF8PROC_LUMP;
    if (mode & LEDE_FOLD_CASE) o |= UTF8PROC_CASEFOLD;
    if (mode & LEDE_FOLD_MARKS) o |= UTF8PROC_STRIPMARK;
    return o;
}

/* ---- per-code-point fold tables ----------------------------------------------------------- */

typedef struct fold_block {
    uint32_t off[256]; /* offset << 8 | length into pool */
    char pool[];
} fold_block;

#define FOLD_MODES 4
#define NBLOCKS (0x110000 >> 8)
static _Atomic(fold_block *) blocks[FOLD_MODES][NBLOCKS];

/* Writes the fold of cp into out (room for 64 bytes); returns its length. */
static size_t fold_one(uint32_t cp, unsigned mode, char *out) {
    utf8proc_int32_t cps[16];
    int last = 0;
    cp = lump_quotes(cp);
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, cps, 16,
                                                 UTF8PROC_DECOMPOSE | fold_options(mode), &last);
    if (k < 0 || k > 16) { /* cannot happen for valid code points; keep the character */
        cps[0] = (utf8proc_int32_t)cp;
        k = 1;
    }
    size_t n = 0;
    for (utf8proc_ssize_t i = 0; i < k && n + 4 <= 64; i++) {
        uint32_t c = lump_quotes((uint32_t)cps[i]);
        if (c < 0x80 && c != ' ' && c <= 13 && c >= 9) c = ' '; /* controls that space text */
        n += (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)out + n);
    }
    return n;
}

static fold_block *build_block(uint32_t b, unsigned mode) {
    char tmp[256][64];
    size_t lens[256], total = 0;
    for (uint32_t i = 0; i < 256; i++) {
        lens[i] = fold_one((b << 8) | i, mode, tmp[i]);
        total += lens[i];
    }
    fold_block *fb = malloc(sizeof *fb + total + 1);
    if (!fb) return NULL;
    size_t at = 0;
    for (uint32_t i = 0; i < 256; i++) {
        memcpy(fb->pool + at, tmp[i], lens[i]);
        fb->off[i] = (uint32_t)(at << 8) | (uint32_t)lens[i];
        at += lens[i];
    }
    return fb;
}

const char *lede_fold_cp(uint32_t cp, unsigned mode, size_t *len) {
    static const char repl[] = "\xEF\xBF\xBD";
    if (cp > 0x10FFFF) cp = 0xFFFD;
    mode &= FOLD_MODES - 1;
    _Atomic(fold_block *) *slot = &blocks[mode][cp >> 8];
    fold_block *fb = atomic_load_explicit(slot, memory_order_acquire);
    if (!fb) {
        fold_block *mine = build_block(cp >> 8, mode), *expected = NULL;
        if (!mine) {
            *len = 3;
            return repl;
        }
        /* another thread may have built the same block meanwhile: keep the first */
        if (atomic_compare_exchange_strong(slot, &expected, mine)) fb = mine;
        else {
            free(mine);
            fb = expected;
        }
    }
    uint32_t e = fb->off[cp & 255];
    *len = e & 255;
    return fb->pool + (e >> 8);
}

/* ---- whole strings ------------------------------------------------------------------------ */

static utf8proc_int32_t custom_lump(utf8proc_int32_t cp, void *data) {
    (void)data;
    return (utf8proc_int32_t)lump_quotes((uint32_t)cp);
}

static int ascii_only(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return 0;
    return 1;
}

int lede_normalize(lede_buf *out, const char *s, size_t n, unsigned mode) {
    if (ascii_only(s, n)) { /* the common case: no utf8proc round trip */
        if (lede_buf_reserve(out, n)) return -1;
        char *w = out->data + out->len;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            w[i] = (char)((mode & LEDE_FOLD_CASE) && (unsigned)c - 'A' < 26u ? c + 32 : c);
            if (c == '`') w[i] = '\'';
        }
        out->len += n;
        out->data[out->len] = '\0';
        return 0;
    }
    lede_buf clean;
    lede_buf_init(&clean);
    const char *src = s;
    if (lede_utf8_valid_prefix(s, n) != n) {
        if (lede_utf8_append_clean(&clean, s, n)) return -1;
        src = clean.data;
        n = clean.len;
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t k = utf8proc_map_custom((const utf8proc_uint8_t *)src, (utf8proc_ssize_t)n,
                                             &dst, UTF8PROC_COMPOSE | fold_options(mode),
                                             custom_lump, NULL);
    lede_buf_free(&clean);
    if (k < 0) return -1;
    int rc = lede_buf_append(out, (const char *)dst, (size_t)k);
    free(dst);
    return rc;
}

/* Length of a zero-width or soft-hyphen character at p, which clean_text drops. */
static size_t invisible_len(const unsigned char *p, size_t n) {
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xAD) return 2; /* soft hyphen */
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x8B && p[2] <= 0x8D) return 3;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0xA0) return 3; /* word joiner */
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 3;
    return 0;
}

static int put_cleaned(lede_buf *out, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t z = invisible_len(p + i, n - i);
        if (z) {
            i += z;
            continue;
        }
        if (p[i] < 0x80) {
            if (lede_buf_putc(out, (char)p[i])) return -1;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = lede_utf8_decode(p + i, n - i, &cp);
        uint32_t q = lump_quotes(cp);
        if (cp == 0x2018 || cp == 0x2019) q = '\'';
        if (q < 0x80 ? lede_buf_putc(out, (char)q) : lede_utf8_encode(out, cp)) return -1;
        i += k;
    }
    return 0;
}

int lede_clean_text(lede_buf *out, const char *s, size_t n) {
    lede_buf sq;
    lede_buf_init(&sq);
    if (lede_utf8_append_squeezed(&sq, s, n)) {
        lede_buf_free(&sq);
        return -1;
    }
    int rc = put_cleaned(out, sq.data ? sq.data : "", sq.len);
    lede_buf_free(&sq);
    return rc;
}
