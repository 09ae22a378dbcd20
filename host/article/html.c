/* HTML pages: decode whatever charset they are in, parse however malformed, extract. */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "article/charset.h"
#include "article/extract.h"
#include "article/parse.h"
#include "limits.h"
#include "util/utf8.h"

/* No NOBLANKS: white space between inline elements is part of the text. No NONET-less load:
 * a page never makes lede touch the network. */
#define HTML_OPTIONS \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

/* Cuts the element children of every element max levels down (the root element is level 1);
 * their text stays. Iterative: the point is not to walk a deep tree with a deep stack.
 * Returns 1 if anything was cut. */
static int cut_deeper(xmlNodePtr root, unsigned max) {
    int cut = 0;
    unsigned depth = 1;
    xmlNodePtr n = root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && depth >= max) {
            for (xmlNodePtr c = n->children, next; c; c = next) {
                next = c->next;
                if (c->type == XML_ELEMENT_NODE) {
                    xmlUnlinkNode(c);
                    xmlFreeNode(c);
                    cut = 1;
                }
            }
        } else if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            depth++;
            continue;
        }
        while (n != root && !n->next) {
            n = n->parent;
            depth--;
        }
        if (n == root) break;
        n = n->next;
    }
    return cut;
}

int lede_parse_html(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen) {
    char charset[64];
    if (errlen) err[0] = '\0';
    lede_charset_sniff(data, len, o->charset, charset, sizeof charset);

    /* libxml2 switches to Latin-1 for the rest of the page at the first invalid UTF-8 byte;
     * browsers replace just that byte. Repair first so one bad byte doesn't garble the page. */
    lede_buf fixed;
    lede_buf_init(&fixed);
    if (!strcasecmp(charset, "UTF-8") && lede_utf8_valid_prefix(data, len) != len) {
        if (lede_utf8_append_clean(&fixed, data, len) != 0) {
            lede_buf_free(&fixed);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        data = fixed.data;
        len = fixed.len;
    }
    if (len > 0x7fffffff) {
        lede_buf_free(&fixed);
        snprintf(err, errlen, "page too large for the HTML parser");
        return -1;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, data, (int)len, o->url, charset, HTML_OPTIONS) : NULL;
    /* libxml2 stops at 256 levels of nesting (deeper trees would cost a stack walking them);
     * real pages never get there, so say so instead of losing the rest silently */
    int too_deep = ctxt && ctxt->lastError.message && strstr(ctxt->lastError.message, "Excessive depth");
    if (ctxt) htmlFreeParserCtxt(ctxt);
    lede_buf_free(&fixed);
    if (!doc) {
        snprintf(err, errlen, "HTML parser produced no document");
        return -1;
    }
    lede_article *a = lede_article_new();
    if (!a) {
        xmlFreeDoc(doc);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->doc = lede_doc_wrap(doc);
    unsigned max_depth = o->max_dom_depth && o->max_dom_depth < LEDE_MAX_DOM_DEPTH_CEILING
                             ? o->max_dom_depth : LEDE_MAX_DOM_DEPTH_CEILING;
    /* a page is not an error for being deep: the article keeps what was read and says so */
    char note[160];
    int cut = max_depth < LEDE_MAX_DOM_DEPTH_CEILING && xmlDocGetRootElement(doc) &&
              cut_deeper(xmlDocGetRootElement(doc), max_depth);
    if (too_deep || cut) {
        int k = snprintf(note, sizeof note, too_deep ? "parser stopped: elements nested more than %u levels deep "
                                                       "(the rest of the page is lost; --max-dom-depth)"
                                                     : "elements nested more than %u levels deep were cut "
                                                       "(--max-dom-depth)",
                         too_deep ? LEDE_MAX_DOM_DEPTH_CEILING : max_depth);
        if (k > 0) lede_strlist_push(&a->dropped, note, (size_t)k < sizeof note ? (size_t)k : sizeof note - 1);
    }
    if (!a->doc || lede_extract_html(doc, a, err, errlen) != 0 ||
        lede_parse_finish_article(a, o, "html") != 0 || lede_article_list_push(out, a) != 0) {
        if (!err[0]) snprintf(err, errlen, "out of memory");
        lede_article_free(a);
        return -1;
    }
    return 0;
}
