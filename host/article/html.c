/* HTML pages: decode whatever charset they are in, parse however malformed, extract. */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "article/charset.h"
#include "article/extract.h"
#include "article/parse.h"
#include "util/utf8.h"

/* No NOBLANKS: white space between inline elements is part of the text. No NONET-less load:
 * a page never makes lede touch the network. */
#define HTML_OPTIONS \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

static const char TOO_DEEP_NOTE[] =
    "parser stopped: elements nested more than 256 levels deep (the rest of the page is lost)";

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
    if (too_deep)
        lede_strlist_push(&a->dropped, TOO_DEEP_NOTE, sizeof TOO_DEEP_NOTE - 1);
    if (!a->doc || lede_extract_html(doc, a, err, errlen) != 0 ||
        lede_parse_finish_article(a, o, "html") != 0 || lede_article_list_push(out, a) != 0) {
        if (!err[0]) snprintf(err, errlen, "out of memory");
        lede_article_free(a);
        return -1;
    }
    return 0;
}
