/* Main-content and metadata extraction from a parsed HTML document. */
#ifndef LEDE_ARTICLE_EXTRACT_H
#define LEDE_ARTICLE_EXTRACT_H

#include <stddef.h>

#include "article/article.h"

struct _xmlDoc;

/* Fills a's metadata (title, byline, authors, dates, section, tags, lang, site_name,
 * description, meta, jsonld, url if a has none) and body (paragraphs/text, captions, links,
 * related, dropped) from doc. doc stays owned by the caller and is not modified.
 * Returns 0, or -1 with a message in err. */
int lede_extract_html(struct _xmlDoc *doc, lede_article *a, char *err, size_t errlen);

#endif
