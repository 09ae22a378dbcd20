/* HTML fragments (feed item content, JSON records' html bodies that are not whole pages) →
 * body paragraphs. Unlike a page, a fragment is all content: nothing is scored away. */
#ifndef LEDE_ARTICLE_FRAGMENT_H
#define LEDE_ARTICLE_FRAGMENT_H

#include <stddef.h>

#include "article/article.h"

struct _xmlNode;

/* Appends the paragraphs found under node (block elements end paragraphs; <br> breaks lines;
 * headings, list items, quotes, code, tables and captions keep their kind) to a, and its
 * links to a->links. */
int lede_fragment_paragraphs(struct _xmlNode *node, lede_article *a);
/* Parses html as a fragment (any charset-free UTF-8 string) and appends its paragraphs. */
int lede_fragment_parse(const char *html, size_t len, lede_article *a);
/* Appends plain text split at blank lines into paragraphs. */
int lede_text_paragraphs(const char *s, size_t len, lede_article *a);

#endif
