#include "util/utf8.h"

#include <string.h>

size_t lede_utf8_seq_len(const unsigned char *s, size_t n) {
    if (n == 0) return 0;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogates */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;
        if (c == 0xF4 && s[1] >= 0x90) return 0;
        return 4;
    }
    return 0;
}

size_t lede_utf8_valid_prefix(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = lede_utf8_seq_len(p + i, n - i);
        if (!k) return i;
        i += k;
    }
    return n;
}

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

int lede_utf8_append_clean(lede_buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    if (lede_buf_reserve(b, n) != 0) return -1;
    while (i < n) {
        size_t k = p[i] && p[i] < 0x80 ? 1 : (p[i] ? lede_utf8_seq_len(p + i, n - i) : 0);
        if (k) {
            i += k;
            continue;
        }
        if (lede_buf_append(b, s + run, i - run) || lede_buf_append(b, REPLACEMENT, 3)) return -1;
        i++;
        run = i;
    }
    return lede_buf_append(b, s + run, n - run);
}

size_t lede_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    size_t k = lede_utf8_seq_len(s, n);
    switch (k) {
    case 1: *cp = s[0]; break;
    case 2: *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F); break;
    case 3: *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F); break;
    case 4:
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        break;
    default: *cp = 0xFFFD; k = 1;
    }
    return k;
}

int lede_utf8_encode(lede_buf *b, uint32_t cp) {
    char o[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return lede_buf_append(b, o, n);
}

/* Width of a white-space character at p, or 0. Covers what pages use for spacing:
 * ASCII space/controls, NBSP, the U+2000 block, ideographic space, zero-width ones. */
static size_t space_len(const unsigned char *p, size_t n) {
    if (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' || p[0] == '\f' || p[0] == '\v')
        return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0) return 2;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8B) || p[2] == 0xAF || p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) return 3;
    if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 3; /* BOM / ZWNBSP */
    return 0;
}

int lede_utf8_append_squeezed(lede_buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int pending = 0, any = 0;
    while (i < n) {
        size_t w = space_len(p + i, n - i);
        if (w) {
            pending = 1;
            i += w;
            continue;
        }
        size_t j = i;
        while (j < n && !space_len(p + j, n - j)) j++;
        if (pending && any && lede_buf_putc(b, ' ')) return -1;
        if (lede_utf8_append_clean(b, s + i, j - i)) return -1;
        any = 1;
        pending = 0;
        i = j;
    }
    return 0;
}
