/* What class and id names say about an element: substring tests on a short lowercased string,
 * every word list matched in one pass, no regex engine in the per-element path. The word lists
 * follow the conventions of readability and trafilatura (navigation, sidebars, comments, share
 * bars, newsletters). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "article/extract_int.h"

/* "hid" only as a whole class name: "hidden" is its own word and "hide" is not a hint */
static int has_word(const char *s, size_t n, const char *w) {
    size_t wl = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++) {
        int start = p == s || p[-1] == ' ';
        int stop = (size_t)(p - s) + wl == n || p[wl] == ' ';
        if (start && stop) return 1;
    }
    return 0;
}

static const char *const unlikely[] = {
    "-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap",
    "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark",
    "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental",
    "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "newsletter", "cookie",
    "consent", "outbrain", "taboola", "most-popular", "mostpopular", "trending", NULL};
static const char *const maybe[] = {"and", "article", "body", "column", "content", "main",
                                    "mathjax", "shadow", NULL};
static const char *const positive[] = {"article", "body", "content", "entry", "hentry",
                                       "h-entry", "main", "page", "pagination", "post", "text",
                                       "blog", "story", NULL};
static const char *const negative[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox",
    "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget", NULL};
static const char *const share[] = {"share", "social", "sharedaddy", NULL};
static const char *const related[] = {"related", "recommend", "more-stories", "read-more",
                                      "readmore", "also-like", "teaser", "outbrain", "taboola",
                                      "trending", "most-popular", "mostpopular", NULL};
static const char *const note[] = {"newsletter", "subscribe", "signup", "sign-up", "cookie",
                                   "consent", "gdpr", "promo", "advert", "sponsor", NULL};
static const char *const byline[] = {"byline", "author", "dateline", "writtenby", "p-author",
                                     NULL};
/* the text under a photo: WordPress' wp-caption-text, photo-caption, image-caption, newspaper
 * "cutline"; render.c gives such a block the kind caption when it is short */
static const char *const caption[] = {"caption", "cutline", NULL};
/* lines about the article rather than of it: dates, tag lists, photo credits, author bios */
static const char *const metaline[] = {
    "timestamp", "publish", "posted-on", "post-date", "entry-date", "article-date", "dateline",
    "date-time", "tags", "tag-list", "taglist", "credit", "copyright", "author-bio", "authorbio",
    "about-author", "author-info", "author-box", "authorbox", NULL};

enum { H_UNLIKELY = 1, H_MAYBE = 2, H_POSITIVE = 4, H_NEGATIVE = 8, H_SHARE = 16,
       H_RELATED = 32, H_NOTE = 64, H_BYLINE = 128, H_METALINE = 256, H_CAPTION = 512 };

typedef struct hint_word {
    const char *w;
    uint8_t len;
    uint16_t mask;
} hint_word;

/* All words of all lists, bucketed by first byte, so one pass over the class string finds every
 * category it mentions. Built once; read-only afterwards. */
static hint_word words[160];
static int n_words;
static uint8_t bucket_start[257];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_list(const char *const *list, uint16_t mask) {
    for (; *list; list++) {
        int k;
        for (k = 0; k < n_words; k++)
            if (strcmp(words[k].w, *list) == 0) break;
        if (k == n_words) {
            words[n_words].w = *list;
            words[n_words].len = (uint8_t)strlen(*list);
            n_words++;
        }
        words[k].mask |= mask;
    }
}

static int by_first(const void *a, const void *b) {
    const hint_word *x = a, *y = b;
    return (unsigned char)x->w[0] - (unsigned char)y->w[0];
}

static void build(void) {
    add_list(unlikely, H_UNLIKELY);
    add_list(maybe, H_MAYBE);
    add_list(positive, H_POSITIVE);
    add_list(negative, H_NEGATIVE);
    add_list(share, H_SHARE);
    add_list(related, H_RELATED);
    add_list(note, H_NOTE);
    add_list(byline, H_BYLINE);
    add_list(metaline, H_METALINE);
    add_list(caption, H_CAPTION);
    qsort(words, (size_t)n_words, sizeof *words, by_first);
    int k = 0;
    for (int c = 0; c < 256; c++) {
        bucket_start[c] = (uint8_t)k;
        while (k < n_words && (unsigned char)words[k].w[0] == c) k++;
    }
    bucket_start[256] = (uint8_t)k;
}

static unsigned scan(const char *s, size_t n) {
    unsigned mask = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        for (int k = bucket_start[c]; k < bucket_start[c + 1]; k++)
            if (words[k].len <= n - i && s[i + 1] == words[k].w[1] &&
                memcmp(s + i, words[k].w, words[k].len) == 0)
                mask |= words[k].mask;
    }
    return mask;
}

void ex_hints(const char *s, size_t n, uint32_t *flags, int8_t *weight) {
    pthread_once(&once, build);
    unsigned m = scan(s, n);
    if ((m & H_UNLIKELY) && !(m & H_MAYBE)) *flags |= F_UNLIKELY;
    int w = *weight;
    if ((m & H_NEGATIVE) || has_word(s, n, "hid")) w -= 25;
    if (m & H_POSITIVE) w += 25;
    *weight = (int8_t)(w < -100 ? -100 : (w > 100 ? 100 : w));
    if (m & H_SHARE) *flags |= F_SHARE;
    if (m & H_RELATED) *flags |= F_RELATED;
    if (m & H_NOTE) *flags |= F_NOTE;
    if (m & H_BYLINE) *flags |= F_BYLINE;
    if (m & H_METALINE) *flags |= F_DATELINE;
    if (m & H_CAPTION) *flags |= F_CAPTION;
}

int ex_role_unlikely(const char *role) {
    static const char *const roles[] = {"menu", "menubar", "complementary", "navigation",
                                        "alert", "alertdialog", "dialog", NULL};
    for (const char *const *r = roles; *r; r++)
        if (strcmp(role, *r) == 0) return 1;
    return 0;
}
