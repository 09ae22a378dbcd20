/* A batch run: one reader (sources -> units), N workers (parse + script, each with its own
 * lede_script and so its own lua_State), one writer (sink, progress). A fixed pool of work items
 * travels reader -> workers -> writer -> pool, so memory stays flat however large the input,
 * and the items' buffers are reused rather than freshly allocated for every document. */
#ifndef LEDE_RUN_JOB_H
#define LEDE_RUN_JOB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "input/source.h"
#include "lede.h"
#include "output/sink.h"
#include "util/u64map.h"

typedef struct lede_job_stats {
    uint64_t files, units, articles, records, errors;
    uint64_t duplicates;  /* articles not run because their body was seen before */
    uint64_t other_shard; /* articles left to other --shard runs */
    uint64_t resumed;     /* units skipped because an earlier run stored them (--resume) */
    uint64_t skipped;     /* WARC records holding no document */
    double seconds;
    int interrupted;      /* the stop flag was raised */
} lede_job_stats;

typedef struct lede_job_opts {
    char *const *inputs; /* files, directories, archives, "-" */
    size_t n_inputs;
    const char *script_path;
    const lede_script_options *script_opts;
    lede_source_opts sources;
    int workers;         /* >= 1 */
    int ordered;         /* write results in input order */
    int keep_duplicates; /* run the script on duplicates too (still marked) */
    unsigned shard_k, shard_n; /* keep articles with id % shard_n == shard_k - 1; shard_n 0 = all */
    lede_sink *sink;
    const lede_u64map *done; /* units to skip (resume), or NULL */
    lede_u64map *firsts;     /* body hash -> id of first copies, preloaded on resume; may be NULL */
    volatile sig_atomic_t *stop; /* raised by a signal handler: finish in-flight units and stop */
    uint64_t total_bytes;        /* for progress; 0 = unknown */
    void *ud;
    /* "path [member]" and what went wrong; from the writer thread, in output order. */
    void (*on_error)(void *ud, const char *label, const char *message);
    /* A progress line, at most about 5 times a second; NULL = no progress. */
    void (*on_progress)(void *ud, const char *line);
} lede_job_opts;

/* Loads the scripts (one per worker; a load error returns LEDE_ESCRIPT before any input is
 * read), runs everything, closes the sink. Returns 0, or LEDE_EIO when the sink failed (message
 * in err). Article and input failures are counted in stats, not returned. */
int lede_job_run(const lede_job_opts *o, lede_job_stats *stats, char *err, size_t errlen);

#endif
