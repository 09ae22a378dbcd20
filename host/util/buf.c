#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lede_buf_init(lede_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void lede_buf_free(lede_buf *b) {
    free(b->data);
    lede_buf_init(b);
}

void lede_buf_clear(lede_buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

int lede_buf_reserve(lede_buf *b, size_t extra) {
    if (extra > (size_t)-1 - b->len - 1) return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int lede_buf_append(lede_buf *b, const char *s, size_t n) {
    if (lede_buf_reserve(b, n) != 0) return -1;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int lede_buf_puts(lede_buf *b, const char *s) { return lede_buf_append(b, s, strlen(s)); }

int lede_buf_putc(lede_buf *b, char c) { return lede_buf_append(b, &c, 1); }

int lede_buf_printf(lede_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || lede_buf_reserve(b, (size_t)n) != 0) {
        va_end(ap2);
        return -1;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

char *lede_buf_detach(lede_buf *b, size_t *len) {
    char *p = b->data;
    if (len) *len = b->len;
    if (!p) p = calloc(1, 1);
    lede_buf_init(b);
    return p;
}

void lede_strlist_free(lede_strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

void *lede_grow(void *items, size_t n, size_t *cap, size_t elem, size_t initial) {
    if (n < *cap && items) return items;
    size_t want = *cap ? *cap * 2 : initial;
    if (want < *cap || want > ((size_t)-1) / elem) return NULL;
    void *p = realloc(items, want * elem);
    if (p) *cap = want;
    return p;
}

int lede_strlist_push(lede_strlist *l, const char *s, size_t n) {
    char **items = lede_grow(l->items, l->n, &l->cap, sizeof *items, 8);
    if (!items) return -1;
    l->items = items;
    char *c = lede_strndup(s, n);
    if (!c) return -1;
    l->items[l->n++] = c;
    return 0;
}

int lede_strlist_contains(const lede_strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0) return 1;
    return 0;
}

char *lede_strndup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *lede_strdup(const char *s) { return s ? lede_strndup(s, strlen(s)) : NULL; }
