/* a.dom's node paths (host/lua/dom_path.c) against libxml2's xmlGetNodePath, element by
 * element: HTML pages and XML with default, prefixed and mixed namespaces, odd sibling mixes,
 * and a 50,000-sibling page. */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "lua/dom_path.h"

static int compared;

static void walk(lede_dom_paths *p, lede_buf *b, xmlNodePtr n, const char *what) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        xmlChar *want = xmlGetNodePath(n);
        CHECK(lede_dom_path(p, n, b) == 0);
        compared++;
        if (!want || !b->data || strcmp((const char *)want, b->data) != 0) {
            check_failures++;
            fprintf(stderr, "%s: path differs\n  libxml2: %s\n  lede:    %s\n", what,
                    want ? (const char *)want : "(null)", b->data ? b->data : "(null)");
        }
        xmlFree(want);
        walk(p, b, n->children, what);
    }
}

static void same_as_libxml2(xmlDocPtr doc, const char *what) {
    CHECK(doc != NULL);
    if (!doc) return;
    lede_dom_paths p;
    lede_buf b;
    lede_dom_paths_init(&p);
    lede_buf_init(&b);
    walk(&p, &b, doc->children, what);
    /* again, from the memo, in reverse document order */
    lede_dom_paths_free(&p);
    lede_dom_paths_init(&p);
    walk(&p, &b, xmlDocGetRootElement(doc) ? xmlDocGetRootElement(doc)->last : NULL, what);
    lede_dom_paths_free(&p);
    lede_buf_free(&b);
    xmlFreeDoc(doc);
}

static const char *const XML[] = {
    /* default namespace: elements are "*", numbered among all elements */
    "<feed xmlns='urn:a'><title/><entry><id/><id/></entry><entry/><x:y xmlns:x='urn:x'/></feed>",
    /* prefixes: counted by prefix and name, whatever the namespace URI */
    "<r xmlns:a='urn:1' xmlns:b='urn:2'><a:x/><b:x/><a:x/><x/><x/><a:y><a:x xmlns:a='urn:3'/>"
    "<a:x/></a:y></r>",
    /* no namespace beside default-namespace elements of the same name */
    "<r><x/><x xmlns='urn:d'/><x/><y xmlns='urn:d'><z/><z xmlns=''/></y></r>",
    /* comments, PIs, text between siblings; a single child has no index */
    "<r><!--c--><a/>text<?pi x?><b/><a/><c><d/></c></r>",
    /* names that sort and compare oddly */
    "<r><ab/><a/><abc/><a/><ab/><A/><a/></r>",
};

static const char *const HTML[] = {
    "<html><body><div><p>a</p><p>b</p><span/><p>c</p></div><div><p>d</p></div></body></html>",
    "<p>bare<table><tr><td>1<td>2<tr><td>3</table><p>x",
};

int main(void) {
    for (size_t i = 0; i < sizeof XML / sizeof *XML; i++)
        same_as_libxml2(xmlReadMemory(XML[i], (int)strlen(XML[i]), "x.xml", NULL, XML_PARSE_NONET), XML[i]);
    for (size_t i = 0; i < sizeof HTML / sizeof *HTML; i++)
        same_as_libxml2(htmlReadMemory(HTML[i], (int)strlen(HTML[i]), "x.html", NULL,
                                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET),
                        HTML[i]);
    const char *data = getenv("LEDE_TEST_DATA");
    if (data) {
        static const char *const files[] = {"articles/rd-001.html", "articles/fox-2010-bushehr-fuel.html",
                                            "articles/o01-iran-tanker-designations.html"};
        static const char *const xml_files[] = {"articles/xhtml-note.xhtml", "feeds/notes.atom",
                                                "feeds/world.rss"};
        char path[4096];
        for (size_t i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/%s", data, files[i]);
            same_as_libxml2(htmlReadFile(path, NULL, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                                         HTML_PARSE_NONET), files[i]);
            snprintf(path, sizeof path, "%s/%s", data, xml_files[i]);
            same_as_libxml2(xmlReadFile(path, NULL, XML_PARSE_NONET), xml_files[i]);
        }
    }
    CHECK(compared > 1000);

    /* 50,000 siblings: libxml2 walks them all for each (seconds); here, one numbering */
    lede_buf page;
    lede_buf_init(&page);
    lede_buf_puts(&page, "<html><body><div>");
    for (int i = 0; i < 50000; i++) lede_buf_printf(&page, "<p>%d</p>", i);
    lede_buf_puts(&page, "</div></body></html>");
    xmlDocPtr doc = htmlReadMemory(page.data, (int)page.len, "big.html", NULL, HTML_PARSE_NOERROR);
    lede_dom_paths p;
    lede_buf b;
    lede_dom_paths_init(&p);
    lede_buf_init(&b);
    xmlNodePtr div = xmlDocGetRootElement(doc)->children->children;
    clock_t t0 = clock();
    int n = 0;
    for (xmlNodePtr c = div->children; c; c = c->next) n += lede_dom_path(&p, c, &b) == 0;
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(n == 50000);
    CHECK_STR(b.data, "/html/body/div/p[50000]");
    printf("50,000 sibling paths in %.3f s\n", s); /* for the eye: tests/cli/limits.sh guards it */
    lede_dom_paths_free(&p);
    lede_buf_free(&b);
    lede_buf_free(&page);
    xmlFreeDoc(doc);
    CHECK_DONE();
}
