/* Plain-text page dumps and Markdown dumps with YAML front matter.
 *
 * A dump is a page's visible text: navigation, the headline, a standfirst, the body, then
 * captions, teasers and newsletter boxes. Blocks are separated by blank lines; the body is the
 * longest run of prose blocks, broken by two or more blank lines, boilerplate lines or blocks of
 * short lines (teaser lists). What comes before it gives title, standfirst and section; other
 * prose goes to `related`, boilerplate to `dropped`. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/date.h"
#include "article/parse.h"
#include "util/utf8.h"

typedef struct {
    char *text;      /* cleaned, lines joined by spaces */
    size_t lines;    /* non-empty lines in the block */
    size_t words;
    size_t gap;      /* blank lines before this block */
    const char *kind; /* from Markdown syntax; NULL = plain */
    int prose, boiler, titleish, label, end;
    int in_body; /* 1 body paragraph, 2 subheading inside the body, 0 outside */
} block;

typedef struct {
    block *b;
    size_t n, cap;
} blocks;

static void blocks_free(blocks *bs) {
    for (size_t i = 0; i < bs->n; i++) free(bs->b[i].text);
    free(bs->b);
}

static size_t count_words(const char *s) {
    size_t n = 0;
    int in = 0;
    for (; *s; s++) {
        int w = !isspace((unsigned char)*s);
        if (w && !in) n++;
        in = w;
    }
    return n;
}

static int ends_sentence(const char *s) {
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return 0;
    char c = s[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || c == ')') return 1;
    /* closing curly quotes and the ellipsis */
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
        ((unsigned char)s[n - 1] == 0x9D || (unsigned char)s[n - 1] == 0x99 || (unsigned char)s[n - 1] == 0xA6))
        return 1;
    return 0;
}

/* Short lines that are site furniture, not content. */
static int is_boilerplate(const char *s, size_t words) {
    static const char *phrases[] = {
        "follow us", "newsletter", "subscribe", "sign up", "sign in", "log in", "share this",
        "share on", "keep reading", "show less", "show more", "read more", "read next", "latest",
        "advertisement", "cookie", "all rights reserved", "copyright", "\xc2\xa9", "related",
        "comments", "click here", "most popular", "trending", "recommended", "more from",
        "skip to", "menu", "privacy policy", "terms of use", "story continues below", "sponsored"};
    if (words > 12) return 0;
    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
        if (strcasestr(s, phrases[i])) return 1;
    /* a lone capitalised word or two ("LATEST", "QIOSK") is a widget heading */
    if (words <= 2) {
        int lower = 0;
        for (const char *p = s; *p; p++)
            if (islower((unsigned char)*p)) lower = 1;
        if (!lower) return 1;
    }
    return 0;
}

/* Lines that close an article in a dump: what follows them is teasers or site furniture. */
static int is_end_marker(const char *s, size_t words) {
    static const char *phrases[] = {"keep reading", "show less", "read more", "read next", "more from",
                                    "most popular", "related articles", "related stories", "latest",
                                    "you may also like", "recommended"};
    if (words > 6) return 0;
    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
        if (strcasestr(s, phrases[i])) return 1;
    return 0;
}

static void classify(block *b) {
    b->words = count_words(b->text);
    size_t per_line = b->words / (b->lines ? b->lines : 1);
    b->boiler = b->lines <= 2 && is_boilerplate(b->text, b->words);
    if (!b->boiler && b->words <= 40 && (strcasestr(b->text, "to your inbox") || strcasestr(b->text, "sign up for")))
        b->boiler = 1; /* newsletter boxes */
    b->end = b->boiler && is_end_marker(b->text, b->words);
    b->label = strstr(b->text, " | ") != NULL && b->words <= 8;
    int filename = strchr(b->text, '_') && !strchr(b->text, ' ');
    if (filename) b->boiler = 1;
    /* prose: long lines that read as sentences; teaser and menu blocks are many short lines */
    b->prose = !b->boiler && !b->label && per_line >= 8 &&
               ((b->words >= 12 && ends_sentence(b->text)) || b->words >= 30);
    if (b->kind && (!strcmp(b->kind, LEDE_KIND_LIST_ITEM) || !strcmp(b->kind, LEDE_KIND_QUOTE)))
        b->prose = !b->boiler && b->words >= 4;
    b->titleish = !b->boiler && !b->label && b->lines == 1 && b->words >= 3 && b->words <= 30 &&
                  !(b->text[strlen(b->text) - 1] == '.');
}

/* Scrapers glue ad-slot labels to the end of the line before them ("…on Ukraine. Story
 * continues below advertisement"). Returns the line length without such a tail. */
static size_t strip_furniture_tail(const char *line, size_t n) {
    static const char *tails[] = {"story continues below advertisement", "article continues below advertisement",
                                  "continue reading below", "article continues below", "advertisement",
                                  "trending now"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t k = strlen(tails[i]);
        if (n < k || strncasecmp(line + n - k, tails[i], k) != 0) continue;
        size_t cut = n - k;
        while (cut && (line[cut - 1] == ' ' || line[cut - 1] == '\t')) cut--;
        /* only a whole tail: at the start of the line or after the end of a sentence */
        if (cut == 0 || strchr(".!?\"')", line[cut - 1]) || (unsigned char)line[cut - 1] >= 0x80) return cut;
    }
    return n;
}

/* ---- Markdown inline syntax -> plain text ------------------------------------------------ */

static void strip_inline(lede_buf *out, const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        if (s[i] == '!' && i + 1 < n && s[i + 1] == '[') { /* image: drop, keep nothing */
            const char *close = memchr(s + i, ']', n - i);
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
                const char *paren = memchr(close, ')', n - (size_t)(close - s));
                if (paren) {
                    i = (size_t)(paren - s) + 1;
                    continue;
                }
            }
        }
        if (s[i] == '[') { /* link: keep its text */
            const char *close = memchr(s + i, ']', n - i);
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
                const char *paren = memchr(close, ')', n - (size_t)(close - s));
                if (paren) {
                    lede_buf_append(out, s + i + 1, (size_t)(close - s) - i - 1);
                    i = (size_t)(paren - s) + 1;
                    continue;
                }
            }
        }
        if (s[i] == '*' || (s[i] == '_' && (i == 0 || !isalnum((unsigned char)s[i - 1]) ||
                                            i + 1 == n || !isalnum((unsigned char)s[i + 1])))) {
            i++;
            continue;
        }
        if (s[i] == '`') {
            i++;
            continue;
        }
        lede_buf_putc(out, s[i++]);
    }
}

/* Block-level Markdown: "# h", "- item", "1. item", "> quote". Returns the kind, and moves
 * *s past the marker. */
static const char *md_block_kind(const char **s, size_t *n) {
    const char *p = *s;
    size_t k = 0;
    while (k < *n && p[k] == '#') k++;
    if (k >= 1 && k <= 6 && k < *n && p[k] == ' ') {
        *s += k + 1, *n -= k + 1;
        return LEDE_KIND_HEADING;
    }
    if (*n >= 2 && (p[0] == '-' || p[0] == '*' || p[0] == '+') && p[1] == ' ') {
        *s += 2, *n -= 2;
        return LEDE_KIND_LIST_ITEM;
    }
    k = 0;
    while (k < *n && isdigit((unsigned char)p[k])) k++;
    if (k && k + 1 < *n && (p[k] == '.' || p[k] == ')') && p[k + 1] == ' ') {
        *s += k + 2, *n -= k + 2;
        return LEDE_KIND_LIST_ITEM;
    }
    if (*n >= 1 && p[0] == '>') {
        *s += 1, *n -= 1;
        return LEDE_KIND_QUOTE;
    }
    return NULL;
}

static int push_block(blocks *bs, lede_buf *cur, size_t lines, size_t gap, const char *kind) {
    if (!cur->len) return 0;
    block *grown = lede_grow(bs->b, bs->n, &bs->cap, sizeof *grown, 32);
    if (!grown) return -1;
    bs->b = grown;
    block *b = &bs->b[bs->n];
    memset(b, 0, sizeof *b);
    lede_buf clean;
    lede_buf_init(&clean);
    if (lede_utf8_append_squeezed(&clean, cur->data, cur->len) != 0) return -1;
    lede_buf_clear(cur);
    if (!clean.len) {
        lede_buf_free(&clean);
        return 0;
    }
    b->text = lede_buf_detach(&clean, NULL);
    b->lines = lines;
    b->gap = gap;
    b->kind = kind;
    classify(b);
    bs->n++;
    return 0;
}

/* Splits the dump into blocks. In Markdown, every heading/list item/quote line is a block of
 * its own and fenced code stays verbatim. */
static int split_blocks(const char *s, size_t len, int markdown, blocks *bs) {
    lede_buf cur;
    lede_buf_init(&cur);
    size_t lines = 0, blank = 0, gap = 0;
    const char *kind = NULL;
    int rc = 0;
    for (size_t i = 0; i <= len && rc == 0;) {
        const char *nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
        size_t end = nl ? (size_t)(nl - s) : len;
        const char *line = s + i;
        size_t n = end - i;
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        size_t kept = strip_furniture_tail(line + lead, n - lead);
        if (kept == 0 && n > lead) { /* a line that is only an ad label: not even a blank */
            i = nl ? end + 1 : len;
            if (!nl) break;
            continue;
        }
        n = lead + kept;
        if (lead == n) { /* blank line ends a block */
            if (cur.len) rc = push_block(bs, &cur, lines, gap, kind), lines = 0, kind = NULL, blank = 0;
            blank++;
            gap = blank;
        } else {
            const char *body = line + lead;
            size_t bn = n - lead;
            const char *k = markdown ? md_block_kind(&body, &bn) : NULL;
            if (k && cur.len) rc = push_block(bs, &cur, lines, gap, kind), lines = 0, gap = 0;
            if (k) kind = k;
            if (cur.len) lede_buf_putc(&cur, ' ');
            if (markdown)
                strip_inline(&cur, body, bn);
            else
                lede_buf_append(&cur, body, bn);
            lines++;
            blank = 0;
            if (k && k != LEDE_KIND_QUOTE) rc = push_block(bs, &cur, lines, gap, kind), lines = 0, kind = NULL, gap = 0;
        }
        if (!nl) break;
        i = end + 1;
    }
    if (rc == 0 && cur.len) rc = push_block(bs, &cur, lines, gap, kind);
    lede_buf_free(&cur);
    return rc;
}

/* Marks the body: the run of blocks with the most prose text. A run ends at two blank lines,
 * at an end marker ("keep reading"), or after more than three non-prose blocks in a row; a
 * widget inserted mid-article (a "Trending" box) is skipped, and a lone short line between
 * prose blocks is a subheading. Returns the index of the run's first block, or bs->n. */
static size_t mark_body(blocks *bs) {
    size_t best = 0, best_first = bs->n, best_last = 0;
    for (size_t i = 0; i < bs->n;) {
        if (!bs->b[i].prose) {
            i++;
            continue;
        }
        size_t score = 0, last = i, pending = 0;
        for (size_t j = i; j < bs->n; j++) {
            const block *b = &bs->b[j];
            if (j > i && b->gap >= 2) break;
            if (b->prose) {
                score += strlen(b->text);
                last = j;
                pending = 0;
            } else if (b->end || b->label || ++pending > 3) {
                break;
            }
        }
        if (best_first == bs->n || score > best) {
            best = score;
            best_first = i;
            best_last = last;
        }
        i = last + 1;
    }
    for (size_t j = best_first; j < bs->n && j <= best_last; j++) {
        block *b = &bs->b[j];
        int lone = j > best_first && j < best_last && bs->b[j - 1].prose && bs->b[j + 1].prose;
        if (b->prose)
            b->in_body = 1;
        else if (lone && b->lines == 1 && b->words <= 20 && !b->boiler && !b->label)
            b->in_body = 2;
    }
    return best_first;
}

/* A standfirst ending in "..." repeated in full by the next paragraph is a teaser copy. */
static int truncated_copy(const char *a, const char *b) {
    size_t n = strlen(a);
    if (n >= 3 && !strcmp(a + n - 3, "...")) n -= 3;
    else if (n >= 3 && !strcmp(a + n - 3, "\xe2\x80\xa6")) n -= 3;
    else return 0;
    while (n && a[n - 1] == ' ') n--;
    return n >= 20 && strncmp(a, b, n) == 0;
}

/* ---- YAML front matter (the flat key: value subset scrapers write) ----------------------- */

typedef struct {
    char *title, *url, *date, *author, *description, *lang, *site;
} front;

static void front_free(front *f) {
    free(f->title), free(f->url), free(f->date), free(f->author), free(f->description), free(f->lang),
        free(f->site);
}

static void front_set(front *f, const char *key, size_t kn, const char *v, size_t vn) {
    char **dst = NULL;
#define KEY(k) (kn == strlen(k) && !strncasecmp(key, k, kn))
    if (KEY("title")) dst = &f->title;
    else if (KEY("url") || KEY("link")) dst = &f->url;
    else if (KEY("published_date") || KEY("published") || KEY("date") || KEY("pubdate")) dst = &f->date;
    else if (KEY("author") || KEY("authors") || KEY("byline")) dst = &f->author;
    else if (KEY("description") || KEY("summary")) dst = &f->description;
    else if (KEY("language") || KEY("lang")) dst = &f->lang;
    else if (KEY("source") || KEY("site_name") || KEY("site")) dst = &f->site;
#undef KEY
    if (!dst || *dst) return;
    while (vn && (v[0] == ' ' || v[0] == '\t')) v++, vn--;
    while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) vn--;
    while (vn && (v[0] == '"' || v[0] == '\'')) v++, vn--;
    while (vn && (v[vn - 1] == '"' || v[vn - 1] == '\'')) vn--;
    lede_article_set(dst, v, vn);
}

/* Parses "---\n...\n---" at the start; returns the offset of the body after it (0 if none). */
static size_t parse_front(const char *s, size_t len, front *f) {
    if (len < 4 || strncmp(s, "---", 3) != 0 || (s[3] != '\n' && s[3] != '\r')) return 0;
    size_t i = s[3] == '\r' ? 5 : 4;
    const char *key = NULL;
    size_t kn = 0;
    lede_buf val;
    lede_buf_init(&val);
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        const char *line = s + i;
        size_t n = end - i;
        if (n >= 3 && !strncmp(line, "---", 3)) {
            if (key) front_set(f, key, kn, val.data ? val.data : "", val.len);
            lede_buf_free(&val);
            return nl ? end + 1 : len;
        }
        const char *colon = memchr(line, ':', n);
        int indented = n && (line[0] == ' ' || line[0] == '\t');
        if (colon && !indented && colon > line) {
            if (key) front_set(f, key, kn, val.data ? val.data : "", val.len);
            lede_buf_clear(&val);
            key = line;
            kn = (size_t)(colon - line);
            const char *v = colon + 1;
            lede_buf_append(&val, v, n - (size_t)(v - line));
        } else if (key) { /* continuation of a multi-line value */
            lede_buf_putc(&val, ' ');
            lede_buf_append(&val, line, n);
        }
        i = end + 1;
    }
    lede_buf_free(&val);
    return 0; /* unterminated: not front matter */
}

static void set_section(lede_article *a, const char *label) {
    const char *bar = strrchr(label, '|');
    const char *s = bar ? bar + 1 : label;
    lede_article_set(&a->section, s, strlen(s));
}

static int build(lede_article *a, blocks *bs, int markdown) {
    size_t first = mark_body(bs);
    if (first == bs->n) /* nothing reads as prose: keep every block as the body */
        for (size_t i = 0; i < bs->n; i++) bs->b[i].in_body = 1, first = 0;
    size_t title_at = (size_t)-1;
    for (size_t i = 0; i < bs->n; i++) {
        const block *b = &bs->b[i];
        if (b->in_body) {
            if (i + 1 < bs->n && truncated_copy(b->text, bs->b[i + 1].text)) continue;
            if (a->title && b->kind == LEDE_KIND_HEADING && !strcmp(b->text, a->title)) continue;
            const char *kind = b->kind ? b->kind : b->in_body == 2 ? LEDE_KIND_HEADING : LEDE_KIND_PARAGRAPH;
            if (lede_article_add_paragraph(a, kind, b->text, strlen(b->text)) != 0) return -1;
            continue;
        }
        if (i < first) { /* header zone: title, standfirst, section label, byline */
            if (b->boiler) {
                lede_strlist_push(&a->dropped, b->text, strlen(b->text));
            } else if (!a->title && (b->titleish || (markdown && b->kind == LEDE_KIND_HEADING))) {
                lede_article_set(&a->title, b->text, strlen(b->text));
                title_at = i;
            } else if (a->title && b->kind == LEDE_KIND_HEADING && !strcmp(b->text, a->title)) {
                /* the Markdown headline repeating the front matter title */
            } else if (b->label) {
                if (!a->section) set_section(a, b->text);
            } else if (!strncasecmp(b->text, "by ", 3) && b->words <= 8) {
                if (!a->byline) lede_article_set(&a->byline, b->text + 3, strlen(b->text + 3));
            } else if (!a->description && i == title_at + 1 && b->words >= 8) {
                lede_article_set(&a->description, b->text, strlen(b->text));
            } else if (i + 1 < bs->n && truncated_copy(b->text, bs->b[i + 1].text)) {
                /* a teaser copy of the first paragraph */
            } else {
                lede_strlist_push(&a->dropped, b->text, strlen(b->text));
            }
            continue;
        }
        /* outside the body: teasers and captions are kept aside, furniture is dropped */
        int teaser = !b->boiler && !b->label && b->words > 3;
        lede_strlist_push(teaser ? &a->related : &a->dropped, b->text, strlen(b->text));
    }
    return 0;
}

int lede_parse_text(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen) {
    lede_buf fixed; /* dumps in a legacy charset: read as windows-1252, as browsers would */
    lede_buf_init(&fixed);
    if (lede_utf8_valid_prefix(data, len) != len) {
        for (size_t i = 0; i < len;) {
            size_t k = lede_utf8_seq_len((const unsigned char *)data + i, len - i);
            if (k) {
                lede_buf_append(&fixed, data + i, k);
                i += k;
            } else {
                lede_utf8_encode(&fixed, (unsigned char)data[i++]); /* Latin-1 byte as code point */
            }
        }
        data = fixed.data;
        len = fixed.len;
    }
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) data += 3, len -= 3;

    front f = {0};
    size_t body = parse_front(data, len, &f);
    int markdown = body > 0 || (o->path && (strstr(o->path, ".md") || strstr(o->path, ".markdown"))) ||
                   (o->format && !strcmp(o->format, "markdown"));
    blocks bs = {0};
    lede_article *a = lede_article_new();
    int rc = a ? split_blocks(data + body, len - body, markdown, &bs) : -1;
    if (rc == 0) {
        a->title = f.title, f.title = NULL;
        a->url = f.url, f.url = NULL;
        a->description = f.description, f.description = NULL;
        a->lang = f.lang, f.lang = NULL;
        a->site_name = f.site, f.site = NULL;
        if (f.date) a->published = lede_date_iso(f.date, strlen(f.date));
        if (f.author) {
            a->byline = lede_strdup(f.author);
            lede_strlist_push(&a->authors, f.author, strlen(f.author));
        }
        rc = build(a, &bs, markdown);
        if (!a->authors.n && a->byline) lede_strlist_push(&a->authors, a->byline, strlen(a->byline));
    }
    if (rc == 0) rc = lede_parse_finish_article(a, o, markdown ? "markdown" : "text");
    if (rc == 0) rc = lede_article_list_push(out, a);
    if (rc != 0) {
        lede_article_free(a);
        snprintf(err, errlen, "out of memory");
    }
    blocks_free(&bs);
    front_free(&f);
    lede_buf_free(&fixed);
    return rc;
}
