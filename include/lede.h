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

/* What a script may do beyond the sandbox (grants). Packs never get grants. */
#define LEDE_GRANT_IO 1u /* io, all of os, loadfile/dofile, require from package.path */

typedef struct lede_script_options {
    const char *const *args; /* "key=value" strings, visible to the script as the global `args`;
                                for packs "pack.key=value" or "key=value" (see docs/packs.md) */
    size_t n_args;
    /* Fields below are zero in an initialiser that predates them, which means the defaults. */
    unsigned grants;           /* LEDE_GRANT_* for a plain script; ignored for packs */
    unsigned long long max_instructions; /* per call; 0 = LEDE_DEFAULT_MAX_INSTRUCTIONS */
    unsigned long long max_memory;       /* bytes per Lua state; 0 = LEDE_DEFAULT_MAX_MEMORY */
    size_t max_records;        /* per call; 0 = LEDE_DEFAULT_MAX_RECORDS_PER_CALL */
    int unlimited;             /* non-zero: no instruction/memory/time/record limits at all */
    const char *pack_path;     /* where installed packs live; NULL = $LEDE_PACK_PATH, else
                                  ~/.local/share/lede/packs */
    int with_units;            /* non-zero: pack records carry "unit":{field,start,stop}
                                  (where in the article the rule matched; `lede pack test`) */
    /* More limits (host/limits.h). 0 = the default; (unsigned)-1 / (size_t)-1 = none. */
    unsigned re_match_limit;   /* PCRE2 backtracking steps per match attempt */
    unsigned re_depth_limit;   /* PCRE2 backtracking depth */
    unsigned re_heap_kib;      /* PCRE2 backtracking heap, KiB */
    size_t max_tokens;         /* tokens one a.tokens / lede.text.tokens list may hold */
    size_t max_field_bytes;    /* largest top-level field of a record's data, as JSON bytes */
    unsigned long long max_seconds; /* CPU seconds per call (the worker thread's CPU clock);
                                       0 = LEDE_DEFAULT_MAX_SECONDS, ~0ull = none */
} lede_script_options;

/* Receives each record as one line of JSON without the newline; return non-zero to stop. */
typedef int (*lede_record_fn)(void *ud, const char *json, size_t len);

/* Loads a script and runs its top level. A syntax error gives LEDE_ESCRIPT with
 * "file:line: message" in err; so does a script without an on_article function.
 *
 * path may also name a rule pack: a folder with pack.lua, a bundle (.ledepack) or an installed
 * pack "name" / "name@version" (docs/packs.md). Packs and scripts both run sandboxed
 * (docs/packs.md, "Sandbox"); opt->grants widens a script's sandbox, never a pack's. For a
 * pack, lede_script_run runs every rule over the article; a rule that fails (error or limit)
 * is reported in err (one line per failed rule, whole lines only: when they do not all fit, a
 * last line says how many more rules failed) and drops only its own records.
 * A lede_script is one Lua state: use one per thread. */
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
/* The name records show: the script's file name, or the pack's "name@version". */
const char *lede_script_name(const lede_script *s);
/* A pack's rules (required packs' included): how many, and the id of rule i. 0 for a script. */
size_t lede_script_rules(const lede_script *s);
const char *lede_script_rule_id(const lede_script *s, size_t i);
/* Records emitted so far. */
size_t lede_script_records(const lede_script *s);
void lede_script_free(lede_script *s);

#ifdef __cplusplus
}
#endif

#endif
