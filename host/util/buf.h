/* Growable byte buffer and string list: the two containers every stage uses. */
#ifndef LEDE_UTIL_BUF_H
#define LEDE_UTIL_BUF_H

#include <stddef.h>

typedef struct lede_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} lede_buf;

void lede_buf_init(lede_buf *b);
void lede_buf_free(lede_buf *b);
void lede_buf_clear(lede_buf *b);
int lede_buf_reserve(lede_buf *b, size_t extra);
int lede_buf_append(lede_buf *b, const char *s, size_t n);
int lede_buf_puts(lede_buf *b, const char *s);
int lede_buf_putc(lede_buf *b, char c);
int lede_buf_printf(lede_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (never NULL: an empty buffer gives ""). */
char *lede_buf_detach(lede_buf *b, size_t *len);

typedef struct lede_strlist {
    char **items;
    size_t n;
    size_t cap;
} lede_strlist;

void lede_strlist_free(lede_strlist *l);
/* Copies s (n bytes). */
int lede_strlist_push(lede_strlist *l, const char *s, size_t n);
int lede_strlist_contains(const lede_strlist *l, const char *s);

/* Room for one more element in items, an array of *cap elements of size elem holding n:
 * returns items itself while there is room, else the array doubled (from `initial`) with *cap
 * updated, or NULL (items untouched and still owned by the caller) when out of memory. */
void *lede_grow(void *items, size_t n, size_t *cap, size_t elem, size_t initial);

char *lede_strndup(const char *s, size_t n);
char *lede_strdup(const char *s);

#endif
