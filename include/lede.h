/* lede — the public C embedding API.
 *
 * lede parses articles (HTML pages, feeds, text dumps, JSON records) and runs Lua analysis
 * scripts over them. Everything here follows one pattern: create/destroy pairs, int return codes
 * (0 = success, a negative LEDE_E* code on failure) and a caller-supplied message buffer that
 * receives a human-readable error naming the file, line or article involved. The library never
 * prints and never exits.
 *
 *     lede_batch *batch;
 *     char err[512];
 *     if (lede_batch_parse(&batch, bytes, len, "page.html", err, sizeof err) != 0) ...
 *     lede_script *s;
 *     if (lede_script_load(&s, "count.lua", NULL, err, sizeof err) != 0) ...
 *     lede_script_start(s, on_record, ctx, err, sizeof err);
 *     for (size_t i = 0; i < lede_batch_count(batch); i++)
 *         lede_script_run(s, lede_batch_article(batch, i), on_record, ctx, err, sizeof err);
 *     lede_script_finish(s, on_record, ctx, err, sizeof err);
 *     lede_script_free(s);
 *     lede_batch_free(batch);
 */
#ifndef LEDE_H
#define LEDE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LEDE_OK 0
#define LEDE_EPARSE (-1)  /* the input could not be parsed */
#define LEDE_ESCRIPT (-2) /* a script failed to load, or raised an error */
#define LEDE_EIO (-3)     /* a file could not be read or written */
#define LEDE_ENOMEM (-4)
#define LEDE_EARG (-5) /* a bad argument */

/* "0.1.0" */
const char *lede_version(void);

/* ---- articles -------------------------------------------------------------------------- */
typedef struct lede_article lede_article;
typedef struct lede_batch lede_batch; /* the articles parsed from one input */

/* Parses one input (any supported format, detected from the bytes and path's extension).
 * path is provenance only and may be NULL. An empty input gives an empty batch. */
int lede_batch_parse(lede_batch **out, const char *data, size_t len, const char *path, char *err,
                     size_t errlen);
size_t lede_batch_count(const lede_batch *b);
lede_article *lede_batch_article(const lede_batch *b, size_t i);
void lede_batch_free(lede_batch *b);

/* One string field of the article table ("id", "url", "title", "byline", "published",
 * "modified", "section", "lang", "site_name", "description", "text"), or its provenance
 * ("path", "member", "format"), or NULL. */
const char *lede_article_field(const lede_article *a, const char *name);
/* The whole article as one line of JSON (what `lede inspect --json` prints); free() it. */
char *lede_article_json(const lede_article *a);

/* ---- scripts --------------------------------------------------------------------------- */
typedef struct lede_script lede_script;

typedef struct lede_script_options {
    const char *const *args; /* "key=value" strings, visible to the script as the global `args` */
    size_t n_args;
} lede_script_options;

/* Receives each record as one line of JSON without the newline; return non-zero to stop. */
typedef int (*lede_record_fn)(void *ud, const char *json, size_t len);

/* Loads a script and runs its top level. A syntax error gives LEDE_ESCRIPT with
 * "file:line: message" in err; so does a script without an on_article function. */
int lede_script_load(lede_script **out, const char *path, const lede_script_options *opt, char *err,
                     size_t errlen);
/* Calls on_start() if defined; records it emits reach cb. */
int lede_script_start(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen);
/* Calls on_article(a); each emit{...} reaches cb. On a runtime error returns LEDE_ESCRIPT with
 * the message and a traceback in err; the script stays usable for the next article. */
int lede_script_run(lede_script *s, lede_article *a, lede_record_fn cb, void *ud, char *err,
                    size_t errlen);
/* Calls on_finish() if defined. */
int lede_script_finish(lede_script *s, lede_record_fn cb, void *ud, char *err, size_t errlen);
/* Records emitted so far. */
size_t lede_script_records(const lede_script *s);
void lede_script_free(lede_script *s);

#ifdef __cplusplus
}
#endif

#endif
