/* Parsers below the CLI: format detection, charset sniffing, UTF-8 repair, feeds, dumps, JSON. */
#include <stdlib.h>
#include <string.h>

#include "article/charset.h"
#include "article/parse.h"
#include "check.h"
#include "util/utf8.h"

static lede_article_list parse(const char *s, const char *path, const char *format, int *rc) {
    lede_article_list l = {0};
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = path;
    o.format = format;
    char err[256] = "";
    *rc = lede_parse(s, strlen(s), &o, &l, err, sizeof err);
    return l;
}

static void test_detect(void) {
    CHECK_STR(lede_detect_format("<html><p>x", 10, NULL), "html");
    CHECK_STR(lede_detect_format("\xEF\xBB\xBF  <!doctype html>", 20, NULL), "html");
    const char *rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>";
    CHECK_STR(lede_detect_format(rss, strlen(rss), NULL), "feed");
    const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\">";
    CHECK_STR(lede_detect_format(atom, strlen(atom), NULL), "feed");
    const char *xhtml = "<?xml version=\"1.0\"?><!DOCTYPE html><html xmlns=\"http://www.w3.org/1999/xhtml\">";
    CHECK_STR(lede_detect_format(xhtml, strlen(xhtml), NULL), "html");
    CHECK_STR(lede_detect_format("{\"title\":1}", 11, NULL), "json");
    CHECK_STR(lede_detect_format("{\"a\":1}\n{\"a\":2}\n", 16, NULL), "jsonl");
    CHECK_STR(lede_detect_format("---\ntitle: x\n---\n", 17, NULL), "markdown");
    CHECK_STR(lede_detect_format("Plain words.", 12, "a.txt"), "text");
    CHECK_STR(lede_detect_format("Plain words.", 12, "a.md"), "markdown");
    CHECK_STR(lede_detect_format("x", 1, "a.jsonl"), "jsonl");
}

static void test_charset(void) {
    char cs[64];
    lede_charset_sniff("\xEF\xBB\xBF<p>", 6, NULL, cs, sizeof cs);
    CHECK_STR(cs, "UTF-8");
    lede_charset_sniff("\xFF\xFE<\0p\0", 6, "iso-8859-1", cs, sizeof cs);
    CHECK_STR(cs, "UTF-16LE"); /* a BOM beats the transport */
    const char *meta = "<html><head><meta charset=\"ISO-8859-1\"></head>";
    lede_charset_sniff(meta, strlen(meta), NULL, cs, sizeof cs);
    CHECK_STR(cs, "windows-1252"); /* as browsers decode latin1 */
    const char *he = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">";
    lede_charset_sniff(he, strlen(he), NULL, cs, sizeof cs);
    CHECK_STR(cs, "koi8-r");
    lede_charset_sniff(meta, strlen(meta), "utf-8", cs, sizeof cs);
    CHECK_STR(cs, "UTF-8"); /* the transport beats <meta> */
    lede_charset_sniff("<p>caf\xe9</p>", 11, NULL, cs, sizeof cs);
    CHECK_STR(cs, "windows-1252"); /* undeclared and not UTF-8 */
    lede_charset_sniff("<p>caf\xc3\xa9</p>", 12, NULL, cs, sizeof cs);
    CHECK_STR(cs, "UTF-8");
    const char *bogus = "<meta charset=\"no-such-charset\"><p>x";
    lede_charset_sniff(bogus, strlen(bogus), NULL, cs, sizeof cs);
    CHECK_STR(cs, "UTF-8");
}

static void test_utf8(void) {
    lede_buf b;
    lede_buf_init(&b);
    lede_utf8_append_clean(&b, "a\xff" "b\xc3\x28" "c\0d", 8);
    CHECK(b.len == 3 * 3 + 5 && lede_utf8_valid_prefix(b.data, b.len) == b.len);
    CHECK(memcmp(b.data, "a\xEF\xBF\xBD" "b", 5) == 0);
    lede_buf_clear(&b);
    lede_utf8_append_squeezed(&b, " \t a \xc2\xa0\n b\xe2\x80\x83 ", 14);
    CHECK_STR(b.data, "a b");
    CHECK(lede_utf8_valid_prefix("\xed\xa0\x80", 3) == 0);     /* surrogate */
    CHECK(lede_utf8_valid_prefix("\xc0\xaf", 2) == 0);         /* overlong */
    CHECK(lede_utf8_valid_prefix("\xf4\x90\x80\x80", 4) == 0); /* above U+10FFFF */
    CHECK(lede_utf8_valid_prefix("\xf0\x9f\x98\x80", 4) == 4);
    lede_buf_free(&b);
}

static void test_text_dump(void) {
    const char *dump =
        "Subscribe\n\nSanctions bite harder than expected in the north\n\n"
        "A short standfirst that explains the story in one sentence for readers.\n\n"
        "News | Europe\n\n"
        "The first paragraph of the body is long enough to be prose, and it ends with a full stop.\n\n"
        "The second paragraph also reads as prose, with a dozen words or more in it.\n\n\n"
        "Another story\nEurope\nTeaser line one\n\nkeep reading\n";
    int rc;
    lede_article_list l = parse(dump, "x.txt", NULL, &rc);
    CHECK(rc == 0 && l.n == 1);
    lede_article *a = l.items[0];
    CHECK_STR(a->title, "Sanctions bite harder than expected in the north");
    CHECK_STR(a->section, "Europe");
    CHECK(a->description && strncmp(a->description, "A short standfirst", 18) == 0);
    CHECK(a->n_paragraphs == 2);
    CHECK(a->n_paragraphs == 2 && strncmp(a->paragraphs[1].text, "The second", 10) == 0);
    CHECK(lede_strlist_contains(&a->dropped, "Subscribe"));
    CHECK(a->related.n == 1);
    lede_article_list_free(&l);

    l = parse("---\ntitle: \"Quoted: title\"\npublished_date: 2024-05-09T02:10:00+00:00\n---\n\n"
              "# Quoted: title\n\n- first item of a list\n- second item of a list\n\n"
              "A paragraph with a [link](http://x) and **bold** words that goes on long enough.\n",
              "x.md", NULL, &rc);
    CHECK(rc == 0 && l.n == 1);
    a = l.items[0];
    CHECK_STR(a->title, "Quoted: title");
    CHECK_STR(a->published, "2024-05-09T02:10:00+00:00");
    CHECK(a->n_paragraphs == 3);
    CHECK(a->n_paragraphs == 3 && a->paragraphs[0].kind == LEDE_KIND_LIST_ITEM);
    CHECK(a->n_paragraphs == 3 && strstr(a->paragraphs[2].text, "with a link and bold words") != NULL);
    lede_article_list_free(&l);
}

static void test_dump_furniture(void) {
    int rc;
    lede_article_list l = parse("A first paragraph that is long enough to read as prose in the dump. Story continues below advertisement\n"
                                " The same paragraph goes on here after the ad slot, with more words.\n"
                                "Advertisement\n"
                                " And ends here, still one paragraph of the body text.\n",
                                "x.txt", NULL, &rc);
    CHECK(rc == 0 && l.n == 1);
    CHECK(l.n == 1 && l.items[0]->n_paragraphs == 1);
    CHECK(l.n == 1 && !strstr(l.items[0]->text.data, "dvertisement"));
    CHECK(l.n == 1 && strstr(l.items[0]->text.data, "in the dump. The same paragraph"));
    lede_article_list_free(&l);
}

static void test_json_and_errors(void) {
    int rc;
    lede_article_list l = parse("[{\"title\":\"A\",\"text\":\"x\"},{\"title\":\"B\",\"text\":\"y\"}]", "r.json", NULL, &rc);
    CHECK(rc == 0 && l.n == 2);
    CHECK(l.n == 2 && strcmp(l.items[1]->source_member, "[2]") == 0);
    lede_article_list_free(&l);
    l = parse("{\"title\": ", "r.json", NULL, &rc);
    CHECK(rc != 0 && l.n == 0);
    lede_article_list_free(&l);
    l = parse("   \n\t ", "blank.html", NULL, &rc);
    CHECK(rc == 0 && l.n == 0);
    lede_article_list_free(&l);
    l = parse("<rss><channel><item><title>T</title></item></channel></rss>", NULL, NULL, &rc);
    CHECK(rc == 0 && l.n == 1 && l.items[0]->title && strcmp(l.items[0]->title, "T") == 0);
    lede_article_list_free(&l);
    l = parse("<rss><channel><item><title>T</title><description>x", NULL, NULL, &rc); /* truncated */
    CHECK(rc == 0 && l.n == 1);
    lede_article_list_free(&l);
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.max_bytes = 4;
    char err[128];
    CHECK(lede_parse("<p>too long</p>", 15, &o, &l, err, sizeof err) != 0 && strstr(err, "limit"));
    lede_article_list_free(&l);
}

int main(void) {
    test_detect();
    test_charset();
    test_utf8();
    test_text_dump();
    test_dump_furniture();
    test_json_and_errors();
    CHECK_DONE();
}
