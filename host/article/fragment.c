#include "article/fragment.h"

#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

static const char *block_kind(const char *tag) {
    if (tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2]) return LEDE_KIND_HEADING;
    if (!strcmp(tag, "li") || !strcmp(tag, "dt") || !strcmp(tag, "dd")) return LEDE_KIND_LIST_ITEM;
    if (!strcmp(tag, "blockquote")) return LEDE_KIND_QUOTE;
    if (!strcmp(tag, "pre")) return LEDE_KIND_CODE;
    if (!strcmp(tag, "figcaption") || !strcmp(tag, "caption")) return LEDE_KIND_CAPTION;
    if (!strcmp(tag, "tr")) return LEDE_KIND_TABLE;
    static const char *blocks[] = {"p", "div", "section", "article", "header", "footer", "ul", "ol",
                                   "dl", "table", "tbody", "thead", "figure", "main", "aside",
                                   "hr", "address", "center", "body", "html"};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (!strcmp(tag, blocks[i])) return LEDE_KIND_PARAGRAPH;
    return NULL;
}

static int skipped(const char *tag) {
    static const char *skip[] = {"script", "style", "noscript", "template", "iframe", "object",
                                 "embed", "svg", "head", "form", "button", "select", "textarea"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (!strcmp(tag, skip[i])) return 1;
    return 0;
}

typedef struct {
    lede_article *a;
    lede_buf cur;
    const char *kind; /* kind of the innermost open block */
    int err;
} walker;

static void flush(walker *w) {
    if (w->cur.len && lede_article_add_paragraph(w->a, w->kind, w->cur.data, w->cur.len) != 0)
        w->err = -1;
    lede_buf_clear(&w->cur);
}

static void walk(walker *w, xmlNodePtr n, int depth);

static void walk_children(walker *w, xmlNodePtr n, int depth) {
    for (xmlNodePtr c = n->children; c && !w->err; c = c->next) walk(w, c, depth + 1);
}

static void walk_element(walker *w, xmlNodePtr n, int depth) {
    const char *tag = (const char *)n->name;
    if (skipped(tag)) return;
    if (!strcmp(tag, "br")) {
        lede_buf_putc(&w->cur, '\n');
        return;
    }
    if (!strcmp(tag, "a")) {
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        if (href) {
            xmlChar *t = xmlNodeGetContent(n);
            if (lede_article_add_link(w->a, (const char *)href, t ? (const char *)t : "") != 0) w->err = -1;
            xmlFree(t);
            xmlFree(href);
        }
    }
    const char *kind = block_kind(tag);
    if (!kind) {
        walk_children(w, n, depth);
        if (!strcmp(tag, "td") || !strcmp(tag, "th")) lede_buf_putc(&w->cur, ' ');
        return;
    }
    flush(w);
    const char *outer = w->kind;
    /* a block inside a list item or quote keeps the container's kind */
    w->kind = (kind == LEDE_KIND_PARAGRAPH && outer != LEDE_KIND_PARAGRAPH) ? outer : kind;
    walk_children(w, n, depth);
    if (kind == LEDE_KIND_CAPTION && w->cur.len) lede_strlist_push(&w->a->captions, w->cur.data, w->cur.len);
    flush(w);
    w->kind = outer;
}

static void walk(walker *w, xmlNodePtr n, int depth) {
    if (depth > 512) return; /* pathological nesting: the text below is not worth a stack */
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        if (n->content) lede_buf_puts(&w->cur, (const char *)n->content);
        break;
    case XML_ELEMENT_NODE: walk_element(w, n, depth); break;
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE: walk_children(w, n, depth); break;
    default: break;
    }
}

int lede_fragment_paragraphs(xmlNodePtr node, lede_article *a) {
    walker w = {a, {0}, LEDE_KIND_PARAGRAPH, 0};
    lede_buf_init(&w.cur);
    if (node) walk(&w, node, 0);
    flush(&w);
    lede_buf_free(&w.cur);
    return w.err;
}

int lede_fragment_parse(const char *html, size_t len, lede_article *a) {
    if (len > 0x7fffffff) return -1;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
    if (!doc) return lede_text_paragraphs(html, len, a);
    int rc = lede_fragment_paragraphs((xmlNodePtr)doc, a);
    xmlFreeDoc(doc);
    return rc;
}

int lede_text_paragraphs(const char *s, size_t len, lede_article *a) {
    size_t i = 0;
    while (i < len) {
        /* a paragraph ends at a blank line (only white space between two newlines) */
        size_t j = i, end = len, next = len;
        while (j < len) {
            if (s[j] == '\n') {
                size_t k = j + 1;
                while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) k++;
                if (k < len && s[k] == '\n') {
                    end = j;
                    next = k + 1;
                    break;
                }
            }
            j++;
        }
        if (lede_article_add_paragraph(a, LEDE_KIND_PARAGRAPH, s + i, end - i) != 0) return -1;
        i = next;
    }
    return 0;
}
