/* Bytes -> articles: format detection and dispatch to the parsers. */
#ifndef LEDE_ARTICLE_PARSE_H
#define LEDE_ARTICLE_PARSE_H

#include <stddef.h>

#include "article/article.h"
#include "util/buf.h"

typedef struct lede_parse_opts {
    const char *path;    /* provenance; its extension helps detection */
    const char *member;  /* archive member or record id */
    const char *format;  /* force a format: html, xml, feed, text, markdown, json, jsonl; NULL = detect */
    const char *url;     /* known URL (WARC, JSON record), or NULL */
    const char *charset; /* charset declared by a transport (HTTP header), or NULL */
    const char *date;    /* fallback publication date (WARC-Date), or NULL */
    size_t max_bytes;    /* inputs larger than this are refused; 0 = LEDE_DEFAULT_MAX_ARTICLE_BYTES */
    unsigned max_dom_depth; /* HTML elements nested deeper are cut; 0 = LEDE_DEFAULT_MAX_DOM_DEPTH */
} lede_parse_opts;

void lede_parse_opts_init(lede_parse_opts *o);

/* Detected format name for data ("html", "feed", "xml", "text", "markdown", "json", "jsonl"). */
const char *lede_detect_format(const char *data, size_t len, const char *path);

/* Parses data into zero or more articles appended to out. Returns 0 on success, also when the
 * input holds no article (empty file); -1 with a message in err when the input cannot be
 * parsed at all. Articles already appended stay in out on error. */
int lede_parse(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
               char *err, size_t errlen);

/* Reads a whole file ("-" = stdin) into b. */
int lede_read_file(const char *path, lede_buf *b, char *err, size_t errlen);

/* Individual parsers (detect.c dispatches to them); each appends to out. */
int lede_parse_html(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen);
int lede_parse_feed(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen);
int lede_parse_text(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen);
int lede_parse_json(const char *data, size_t len, const lede_parse_opts *o, lede_article_list *out,
                    char *err, size_t errlen);

/* Applies provenance from o to a (path, member, url/date fallbacks) and computes its id. */
int lede_parse_finish_article(lede_article *a, const lede_parse_opts *o, const char *format);

#endif
