/* What class and id names say about an element. Plain substring tests on a short lowercased
 * string: no regex engine in the per-element path. The word lists follow the conventions of
 * readability and trafilatura (navigation, sidebars, comments, share bars, newsletters). */
#include <string.h>

#include "article/extract_int.h"

static int any(const char *s, const char *const *words) {
    for (; *words; words++)
        if (strstr(s, *words)) return 1;
    return 0;
}

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

void ex_hints(const char *s, size_t n, uint16_t *flags, int8_t *weight) {
    if (any(s, unlikely) && !any(s, maybe)) *flags |= F_UNLIKELY;
    int w = *weight;
    if (any(s, negative) || has_word(s, n, "hid")) w -= 25;
    if (any(s, positive)) w += 25;
    *weight = (int8_t)(w < -100 ? -100 : (w > 100 ? 100 : w));
    if (any(s, share)) *flags |= F_SHARE;
    if (any(s, related)) *flags |= F_RELATED;
    if (any(s, note)) *flags |= F_NOTE;
    if (any(s, byline)) *flags |= F_BYLINE;
}

int ex_role_unlikely(const char *role) {
    static const char *const roles[] = {"menu", "menubar", "complementary", "navigation",
                                        "alert", "alertdialog", "dialog", NULL};
    for (const char *const *r = roles; *r; r++)
        if (strcmp(role, *r) == 0) return 1;
    return 0;
}
