/* Inputs -> articles, one at a time, in the calling thread: read every unit (host/input/source.h),
 * parse it, hand each article to a callback, free it. A unit that fails is reported and the walk
 * goes on. `lede inspect` uses it; `lede run` uses the parallel pipeline in run/batch.h. */
#ifndef LEDE_RUN_INPUTS_H
#define LEDE_RUN_INPUTS_H

#include <stddef.h>

#include "article/article.h"
#include "article/parse.h"
#include "input/source.h"

typedef struct lede_inputs_opts {
    const char *format; /* force a format for every input, or NULL to detect */
    size_t max_bytes;   /* per input; 0 = default limit */
    unsigned max_dom_depth; /* 0 = default limit */
} lede_inputs_opts;

typedef struct lede_inputs_stats {
    size_t inputs;   /* files read */
    size_t articles; /* articles handed to the callback */
    size_t failed;   /* inputs (or parts of them) that could not be read or parsed */
} lede_inputs_stats;

/* Return non-zero to stop everything (the value is returned by lede_inputs_each). */
typedef int (*lede_article_fn)(void *ud, lede_article *a);
typedef void (*lede_input_error_fn)(void *ud, const char *path, const char *message);

int lede_inputs_each(char *const *paths, size_t n, const lede_inputs_opts *opts, lede_article_fn on_article,
                     lede_input_error_fn on_error, void *ud, lede_inputs_stats *stats);

/* Parse options for one unit (pointers into u), with the limits of so. */
void lede_unit_parse_opts(const lede_unit *u, const lede_source_opts *so, lede_parse_opts *po);

/* "path", "path [member]", or "path: line N" for a JSONL line: how messages name an input. */
void lede_unit_label(const char *path, const char *member, char *out, size_t n);

#endif
