/* UTF-8 checks and repair. Everything lede hands to Lua or writes out is valid UTF-8. */
#ifndef LEDE_UTIL_UTF8_H
#define LEDE_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there are not valid UTF-8. */
size_t lede_utf8_seq_len(const unsigned char *s, size_t n);
/* Byte offset of the first invalid sequence, or n if all of s is valid. */
size_t lede_utf8_valid_prefix(const char *s, size_t n);
/* Appends s to b, replacing every invalid sequence and every NUL with U+FFFD. */
int lede_utf8_append_clean(lede_buf *b, const char *s, size_t n);
/* Decodes one code point (s must be valid UTF-8 there); returns its byte length. */
size_t lede_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
int lede_utf8_encode(lede_buf *b, uint32_t cp);
/* Appends s with runs of white space (ASCII and Unicode spaces, NBSP) folded to one space and
 * trimmed at both ends. Invalid bytes are repaired as in lede_utf8_append_clean. */
int lede_utf8_append_squeezed(lede_buf *b, const char *s, size_t n);

#endif
