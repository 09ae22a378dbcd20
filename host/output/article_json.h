/* Articles as JSON: `lede inspect --json` lines and the article part of records. */
#ifndef LEDE_OUTPUT_ARTICLE_JSON_H
#define LEDE_OUTPUT_ARTICLE_JSON_H

#include <jansson.h>

#include "article/article.h"

/* The whole article table (DESIGN.md §3, without lazy views). */
json_t *lede_article_to_json(const lede_article *a);
/* The short form records carry: id, url, title, published. */
json_t *lede_article_ref_json(const lede_article *a);
/* The provenance records carry: path, member. */
json_t *lede_article_input_json(const lede_article *a);

#endif
