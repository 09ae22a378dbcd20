/* lede_extract_html on small hand-written pages: boilerplate removal, paragraph kinds,
 * metadata precedence, and documents that must not crash. */
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

#include "article/extract.h"
#include "check.h"

static const char *const PROSE[] = {
    "The council voted on Tuesday to approve the new harbour plan, which had been debated for "
    "more than three years, after a long and sometimes heated session.",
    "Supporters said the plan would bring jobs, visitors and new housing to the waterfront, "
    "while opponents warned about traffic, noise and the cost to taxpayers.",
    "The mayor, who had promised the vote before the summer, said the decision showed that the "
    "city could still agree on large projects, even in difficult times.",
};

static lede_article *extract(const char *html) {
    htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    lede_article *a = lede_article_new();
    char err[128] = "";
    int rc = lede_extract_html(doc, a, err, sizeof err);
    CHECK(rc == 0);
    if (doc) xmlFreeDoc(doc);
    return a;
}

static int has(const lede_article *a, const char *s) {
    return a->text.data && strstr(a->text.data, s) != NULL;
}

static const char *kind_of(const lede_article *a, const char *start) {
    for (size_t i = 0; i < a->n_paragraphs; i++)
        if (strncmp(a->paragraphs[i].text, start, strlen(start)) == 0) return a->paragraphs[i].kind;
    return "(missing)";
}

static void prose(lede_buf *b) {
    for (size_t i = 0; i < sizeof PROSE / sizeof *PROSE; i++) {
        lede_buf_puts(b, "<p>");
        lede_buf_puts(b, PROSE[i]);
        lede_buf_puts(b, "</p>\n");
    }
}

static void test_boilerplate(void) {
    lede_buf b;
    lede_buf_init(&b);
    lede_buf_puts(&b,
                  "<html><head><title>Council approves the harbour plan | Daily Bugle</title></head><body>"
                  "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
                  "<li><a href='/sport'>Sport</a></li></ul></nav>"
                  "<div class='cookie-banner'>We use cookies to improve your experience.</div>"
                  "<div id='main'><article><h1>Council approves the harbour plan</h1>"
                  "<div class='byline'>By Jane Reporter</div>"
                  "<div class='share-bar'><a href='#'>Share on Facebook</a>"
                  "<a href='#'>Share on Twitter</a></div>");
    prose(&b);
    lede_buf_puts(&b,
                  "<aside class='newsletter'>Sign up for our newsletter, it is free and "
                  "arrives every morning.</aside>"
                  "</article>"
                  "<div class='related-stories'><h3>Related</h3><ul>"
                  "<li><a href='/a'>Mayor opens new bridge over the river</a></li>"
                  "<li><a href='/b'>Ferry timetable changes for the winter season</a></li>"
                  "</ul></div>"
                  "<div id='comments'><p>Great news, finally, after all these years of "
                  "waiting, well done.</p></div></div>"
                  "<footer><p>Copyright 2024 Daily Bugle, all rights reserved, "
                  "contact us, privacy policy.</p></footer></body></html>");
    lede_article *a = extract(b.data);
    for (size_t i = 0; i < sizeof PROSE / sizeof *PROSE; i++) CHECK(has(a, PROSE[i]));
    CHECK(!has(a, "Home"));
    CHECK(!has(a, "cookies"));
    CHECK(!has(a, "Share on"));
    CHECK(!has(a, "newsletter"));
    CHECK(!has(a, "Mayor opens"));
    CHECK(!has(a, "Great news"));
    CHECK(!has(a, "Copyright"));
    CHECK(!has(a, "By Jane"));
    CHECK_STR(a->title, "Council approves the harbour plan");
    /* the headline is the title, not the first body paragraph */
    CHECK(a->n_paragraphs > 0 && strcmp(a->paragraphs[0].text, PROSE[0]) == 0);
    CHECK_STR(a->byline, "By Jane Reporter");
    CHECK(a->dropped.n > 0);
    CHECK(lede_strlist_contains(&a->related, "Mayor opens new bridge over the river"));
    lede_article_free(a);
    lede_buf_free(&b);
}

static void test_kinds(void) {
    lede_buf b;
    lede_buf_init(&b);
    lede_buf_puts(&b, "<html><body><div class='article-body'>");
    prose(&b);
    lede_buf_puts(&b,
                  "<h2>What happens next</h2>"
                  "<ul><li>Building starts in the spring of next year.</li>"
                  "<li>The first ferries should dock by 2027.</li></ul>"
                  "<blockquote>We have waited long enough, said one resident.</blockquote>"
                  "<pre>line one\n  line two</pre>"
                  "<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2025</td><td>12m</td></tr>"
                  "</table>"
                  "<figure><img src='x.jpg'><figcaption>The harbour at dawn.</figcaption></figure>");
    prose(&b);
    lede_buf_puts(&b, "</div></body></html>");
    lede_article *a = extract(b.data);
    CHECK_STR(kind_of(a, "What happens next"), LEDE_KIND_HEADING);
    CHECK_STR(kind_of(a, "Building starts"), LEDE_KIND_LIST_ITEM);
    CHECK_STR(kind_of(a, "We have waited"), LEDE_KIND_QUOTE);
    CHECK_STR(kind_of(a, "line one"), LEDE_KIND_CODE);
    CHECK_STR(kind_of(a, "Year Cost"), LEDE_KIND_TABLE);
    CHECK_STR(kind_of(a, "2025 12m"), LEDE_KIND_TABLE);
    CHECK_STR(kind_of(a, "The harbour at dawn."), LEDE_KIND_CAPTION);
    CHECK_STR(kind_of(a, PROSE[0]), LEDE_KIND_PARAGRAPH);
    CHECK(lede_strlist_contains(&a->captions, "The harbour at dawn."));
    CHECK(has(a, "line one\n  line two")); /* code keeps its lines */
    /* offsets are 1-based into text */
    for (size_t i = 0; i < a->n_paragraphs; i++)
        CHECK(strncmp(a->text.data + a->paragraphs[i].start - 1, a->paragraphs[i].text,
                      a->paragraphs[i].len) == 0);
    lede_article_free(a);
    lede_buf_free(&b);
}

static void test_jsonld_precedence(void) {
    lede_buf b;
    lede_buf_init(&b);
    lede_buf_puts(
        &b,
        "<html lang='en-GB'><head><title>Page title - Site</title>"
        "<meta property='og:title' content='OG title'>"
        "<meta property='og:site_name' content='The Bugle'>"
        "<meta property='article:published_time' content='2020-01-01T00:00:00Z'>"
        "<meta name='author' content='Meta Author'>"
        "<meta property='article:tag' content='harbour'><meta property='article:tag' content='city'>"
        "<script type='application/ld+json'>{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"The Bugle\"},"
        "{\"@type\":\"NewsArticle\",\"headline\":\"LD headline\","
        "\"datePublished\":\"2024-05-09T02:10:00+02:00\",\"dateModified\":\"2024-05-10\","
        "\"articleSection\":\"City\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ann Lee\"},"
        "{\"@type\":\"Person\",\"name\":\"Bo Chan\"}]}]}</script>"
        "</head><body><article>");
    prose(&b);
    lede_buf_puts(&b, "</article></body></html>");
    lede_article *a = extract(b.data);
    CHECK_STR(a->title, "LD headline");
    CHECK_STR(a->byline, "Ann Lee, Bo Chan");
    CHECK(a->authors.n == 2);
    CHECK(a->authors.n == 2 && strcmp(a->authors.items[1], "Bo Chan") == 0);
    CHECK_STR(a->published, "2024-05-09T02:10:00+02:00");
    CHECK_STR(a->modified, "2024-05-10");
    CHECK_STR(a->section, "City");
    CHECK_STR(a->lang, "en-GB");
    CHECK_STR(a->site_name, "The Bugle");
    CHECK(a->tags.n == 2);
    CHECK(json_array_size(a->jsonld) == 2); /* @graph flattened */
    CHECK_STR(lede_article_meta(a, "og:title"), "OG title");
    lede_article_free(a);
    lede_buf_free(&b);
}

static void test_title_from_document(void) {
    /* a cut that leaves four words or fewer keeps the whole <title> (readability's rule) */
    lede_article *a = extract("<html><head><title>Plan approved | Daily Bugle</title></head>"
                              "<body><h1>Plan approved</h1></body></html>");
    CHECK_STR(a->title, "Plan approved | Daily Bugle");
    lede_article_free(a);
    a = extract("<html><head><title>Daily Bugle: Council approves the harbour plan today</title>"
                "</head><body></body></html>");
    CHECK_STR(a->title, "Council approves the harbour plan today");
    lede_article_free(a);
}

static void test_meta_fallbacks(void) {
    lede_buf b;
    lede_buf_init(&b);
    /* no JSON-LD: OpenGraph title, meta author; no meta date: itemprop, then <time> */
    lede_buf_puts(&b,
                  "<html><head><title>Something else entirely | Site</title>"
                  "<meta property='og:title' content='OG wins'>"
                  "<meta name='author' content='Meta Author'>"
                  "<meta itemprop='datePublished' content='Feb. 3, 2022'></head><body>"
                  "<article><time datetime='2019-01-01'>1 Jan</time>");
    prose(&b);
    lede_buf_puts(&b, "</article></body></html>");
    lede_article *a = extract(b.data);
    CHECK_STR(a->title, "OG wins");
    CHECK_STR(a->byline, "Meta Author");
    CHECK_STR(a->published, "2022-02-03");
    lede_article_free(a);
    lede_buf_free(&b);

    /* nothing but the page: <title> minus site name, rel=author, <time datetime> */
    lede_buf_init(&b);
    lede_buf_puts(&b,
                  "<html><head><title>Council approves the new harbour plan | Daily Bugle"
                  "</title></head><body><article>"
                  "<p>By <a rel='author' href='/jane'>Jane Reporter</a></p>"
                  "<time datetime='2023-03-04T05:06:07-05:00'>March 4</time>");
    prose(&b);
    lede_buf_puts(&b, "</article></body></html>");
    a = extract(b.data);
    CHECK_STR(a->title, "Council approves the new harbour plan");
    CHECK_STR(a->byline, "Jane Reporter");
    CHECK_STR(a->published, "2023-03-04T05:06:07-05:00");
    lede_article_free(a);
    lede_buf_free(&b);
}

static void test_degenerate(void) {
    lede_article *a = lede_article_new();
    char err[64];
    CHECK(lede_extract_html(NULL, a, err, sizeof err) == 0); /* no document: empty article */
    CHECK(a->text.len == 0 && a->title == NULL);
    lede_article_free(a);

    a = extract("");
    CHECK(a->text.len == 0);
    lede_article_free(a);
    a = extract("<html><head><title>Only a head</title></head></html>");
    CHECK_STR(a->title, "Only a head");
    lede_article_free(a);
    a = extract("\x01\x02\xff\xfe garbage <<<>>> &&& </p></div>");
    CHECK(a->text.len == 0 || a->text.data != NULL);
    lede_article_free(a);
    a = extract("<p>\xff\xfe invalid bytes in a paragraph that is long enough to count</p>");
    CHECK(a->text.data && strstr(a->text.data, "invalid bytes") != NULL);
    lede_article_free(a);
    a = extract("<script type='application/ld+json'>{not json</script><p>Short text.</p>");
    CHECK(a->jsonld == NULL);
    lede_article_free(a);
}

static void test_deep_and_big(void) {
    lede_buf b;
    lede_buf_init(&b);
    for (int i = 0; i < 10000; i++) lede_buf_puts(&b, "<div>");
    lede_buf_puts(&b, "<p>Deep inside, a paragraph that is long enough, with commas, to score.</p>");
    for (int i = 0; i < 10000; i++) lede_buf_puts(&b, "</div>");
    lede_article *a = extract(b.data);
    lede_article_free(a);
    lede_buf_clear(&b);
    /* a big flat page: 20,000 paragraphs must come out in linear time */
    lede_buf_puts(&b, "<html><body><div class='content'>");
    for (int i = 0; i < 20000; i++) prose(&b);
    lede_buf_puts(&b, "</div></body></html>");
    a = extract(b.data);
    CHECK(a->n_paragraphs == 60000);
    lede_article_free(a);
    lede_buf_free(&b);
}

/* A second story, longer than the first, so that it wins the scoring when nothing tells the
 * page's own article apart. */
static const char *const OTHER[] = {
    "The ferry company said on Monday that it would double its fleet over the next decade, "
    "adding ten new ships, two new routes, and a repair yard on the northern shore.",
    "Its chief executive, speaking to reporters, investors, and staff, said that demand had "
    "grown every year since the pandemic, and that the old boats, some forty years old, were "
    "no longer fit for the winter storms.",
    "Unions welcomed the plan, but asked for guarantees on pay, hours, and training, while "
    "environmental groups, citing fuel use, noise, and wash, asked for electric ships.",
    "The first of the new ships, built in a yard abroad, is expected next spring, and the "
    "company said fares, for now, would stay as they are, despite rising costs.",
};

static void other(lede_buf *b) {
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < sizeof OTHER / sizeof *OTHER; i++) {
            lede_buf_puts(b, "<p>");
            lede_buf_puts(b, OTHER[i]);
            lede_buf_puts(b, "</p>\n");
        }
}

/* Several full articles on one page: the body is the one whose headline matches the title,
 * not the longest. */
static void test_several_articles(void) {
    static const char *const head =
        "<html><head><title>Council approves the harbour plan - Daily Bugle</title>"
        "<meta property='og:title' content='Council approves the harbour plan'></head><body>";
    lede_buf b;
    lede_buf_init(&b);
    /* infinite scroll with an <h1> per story and no <article> elements (md-2023 layout) */
    lede_buf_puts(&b, head);
    lede_buf_puts(&b, "<div id='post-main'><header><h1 class='post-title'>Council approves the "
                      "harbour plan</h1></header><div class='post-content'><div class='wrap'>"
                      "<div class='content-main'>");
    prose(&b);
    lede_buf_puts(&b, "</div></div><div class='add-box'><div class='add-story'>"
                      "<div class='add-head'><h1 class='post-title'>Ferry company doubles its "
                      "fleet</h1></div><div class='content-main'>");
    other(&b);
    lede_buf_puts(&b, "</div></div></div></div></div></body></html>");
    lede_article *a = extract(b.data);
    CHECK_STR(a->title, "Council approves the harbour plan");
    for (size_t i = 0; i < sizeof PROSE / sizeof *PROSE; i++) CHECK(has(a, PROSE[i]));
    CHECK(!has(a, "ferry company"));
    CHECK(!has(a, "Ferry company"));
    lede_article_free(a);
    lede_buf_clear(&b);

    /* one <article> per story, the next one headed by an <h2> */
    lede_buf_puts(&b, head);
    lede_buf_puts(&b, "<main><article><h1>Council approves the harbour plan</h1>");
    prose(&b);
    lede_buf_puts(&b, "</article><article><h2>Ferry company doubles its fleet</h2>");
    other(&b);
    lede_buf_puts(&b, "</article></main></body></html>");
    a = extract(b.data);
    for (size_t i = 0; i < sizeof PROSE / sizeof *PROSE; i++) CHECK(has(a, PROSE[i]));
    CHECK(!has(a, "Ferry company"));
    lede_article_free(a);
    lede_buf_clear(&b);

    /* two <article>s close enough in score that the winner's sibling joins it */
    lede_buf_puts(&b, head);
    lede_buf_puts(&b, "<div class='posts'><article><h1>Council approves the harbour plan</h1>");
    prose(&b);
    prose(&b);
    lede_buf_puts(&b, "</article><article><h1>Ferry company doubles its fleet</h1>");
    for (size_t i = 0; i < sizeof OTHER / sizeof *OTHER; i++) {
        lede_buf_puts(&b, "<p>");
        lede_buf_puts(&b, OTHER[i]);
        lede_buf_puts(&b, "</p>\n");
    }
    lede_buf_puts(&b, "</article></div></body></html>");
    a = extract(b.data);
    CHECK(has(a, PROSE[0]));
    CHECK(!has(a, "Ferry company"));
    lede_article_free(a);
    lede_buf_clear(&b);

    /* h1 section heads inside one article are not other articles' headlines */
    lede_buf_puts(&b, head);
    lede_buf_puts(&b, "<h1>Council approves the harbour plan</h1><div class='entry'>");
    prose(&b);
    lede_buf_puts(&b, "<h1>The ferries</h1>");
    other(&b);
    lede_buf_puts(&b, "</div></body></html>");
    a = extract(b.data);
    CHECK(has(a, PROSE[0]));
    CHECK(has(a, OTHER[0]));
    CHECK_STR(kind_of(a, "The ferries"), LEDE_KIND_HEADING);
    lede_article_free(a);
    lede_buf_free(&b);
}

/* Captions written as a classed <p> or as the only text beside an image stay in the text but
 * get the kind caption (and go to captions); prose beside an image does not. */
static void test_captions_in_body(void) {
    lede_buf b;
    lede_buf_init(&b);
    lede_buf_puts(&b, "<html><body><div class='article-body'>");
    prose(&b);
    lede_buf_puts(&b,
                  "<div class='photo'><img src='a.jpg' alt=''><p class='caption'>Foreign "
                  "ministers arrive at the council building on Monday.</p></div>"
                  "<div class='wp-caption'><img src='b.jpg'><p class='wp-caption-text'>"
                  "Travellers at the airport on Monday.</p></div>"
                  "<div><img src='c.jpg'><p>The harbour seen from the old lighthouse.</p></div>");
    prose(&b);
    lede_buf_puts(&b, "<div class='intro'><img src='d.jpg'>");
    other(&b);
    lede_buf_puts(&b, "</div></div></body></html>");
    lede_article *a = extract(b.data);
    CHECK_STR(kind_of(a, "Foreign ministers arrive"), LEDE_KIND_CAPTION);
    CHECK_STR(kind_of(a, "Travellers at the airport"), LEDE_KIND_CAPTION);
    CHECK_STR(kind_of(a, "The harbour seen from"), LEDE_KIND_CAPTION);
    CHECK(lede_strlist_contains(&a->captions, "Travellers at the airport on Monday."));
    CHECK(has(a, "Foreign ministers arrive")); /* captions stay in the text */
    CHECK_STR(kind_of(a, PROSE[0]), LEDE_KIND_PARAGRAPH);
    CHECK_STR(kind_of(a, OTHER[0]), LEDE_KIND_PARAGRAPH);
    lede_article_free(a);
    lede_buf_free(&b);
}

int main(void) {
    test_boilerplate();
    test_kinds();
    test_jsonld_precedence();
    test_title_from_document();
    test_meta_fallbacks();
    test_degenerate();
    test_deep_and_big();
    test_several_articles();
    test_captions_in_body();
    CHECK_DONE();
}
