/* a.dom's node paths (host/lua/dom_path.c), differentially: every element of a fuzzed page must
 * get exactly the path libxml2's xmlGetNodePath gives it, whatever the mix of names, namespaces
 * and prefixes. Input: one byte choosing the parser (even: HTML, odd: XML with namespaces),
 * then the document. Pages are walked up to 3,000 elements (xmlGetNodePath is quadratic).
 * One known difference is left out: libxml2 sizes its buffers for names of under 100 bytes and
 * cuts the path (or a "prefix:name") where an element's name is longer, mid-character at times;
 * lede writes it whole. */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fuzz_common.h"
#include "lua/dom_path.h"

static void quiet(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static int cut_by_libxml2(xmlNodePtr n) {
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        size_t len = strlen((const char *)n->name);
        if (n->ns && n->ns->prefix) len += strlen((const char *)n->ns->prefix) + 1;
        if (len >= 98) return 1;
    }
    return 0;
}

static void walk(lede_dom_paths *p, lede_buf *b, xmlNodePtr n, int *left) {
    for (; n && *left > 0; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        --*left;
        xmlChar *want = xmlGetNodePath(n);
        FZ_CHECK(lede_dom_path(p, n, b) == 0, "lede_dom_path failed");
        FZ_CHECK(cut_by_libxml2(n) || (want && b->data && strcmp((const char *)want, b->data) == 0),
                 "path differs: libxml2 %s, lede %s", want ? (const char *)want : "(null)",
                 b->data ? b->data : "(null)");
        xmlFree(want);
        walk(p, b, n->children, left);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > (1u << 20)) return 0;
    xmlSetGenericErrorFunc(NULL, quiet);
    const char *doc_bytes = (const char *)data + 1;
    int len = (int)(size - 1);
    xmlDocPtr doc = data[0] & 1
                        ? xmlReadMemory(doc_bytes, len, "f.xml", NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                            XML_PARSE_RECOVER)
                        : htmlReadMemory(doc_bytes, len, "f.html", NULL,
                                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (!doc) return 0;
    lede_dom_paths p;
    lede_buf b;
    lede_dom_paths_init(&p);
    lede_buf_init(&b);
    int left = 3000;
    walk(&p, &b, doc->children, &left);
    lede_dom_paths_free(&p);
    lede_buf_free(&b);
    xmlFreeDoc(doc);
    return 0;
}
