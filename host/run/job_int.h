/* The work item that travels through a job, and the per-stage functions (not a public API). */
#ifndef LEDE_RUN_JOB_INT_H
#define LEDE_RUN_JOB_INT_H

#include <pthread.h>

#include "run/job.h"
#include "run/queue.h"
#include "util/buf.h"

#define NO_SEQ UINT64_MAX
#define NO_STR SIZE_MAX

typedef struct job_result {
    size_t index;
    int status;
    size_t id, url, title, published, hash, dup, member; /* offsets into item.strs, or NO_STR */
    size_t rec_off, rec_len, n_rec;
    size_t error; /* offset into item.strs, or NO_STR */
} job_result;

/* A WARC.gz chunk holds several records; the writer shows each to the sink as its own unit. */
typedef struct job_sub {
    size_t member;   /* offset into item.strs */
    size_t error;    /* offset into item.strs, or NO_STR */
    size_t first, n; /* its articles: item.res[first .. first + n) */
} job_sub;

typedef struct job_item {
    lede_queue_node node; /* first: queues hold items */
    uint64_t seq;
    int kind;   /* enum lede_unit_kind */
    int pooled; /* from the job's pool (returned there), else malloc'd (freed) */
    /* the unit, copied from the reader's buffers */
    lede_buf path, member, data, format, url, charset, date;
    int has_member, has_format, has_url, has_charset, has_date;
    int warc_gz;     /* data is a WARC.gz chunk: the worker reads its records */
    uint64_t offset; /* warc_gz: where the chunk starts in its file */
    /* results, filled by a worker */
    lede_buf strs, records, error;
    int has_error;
    job_result *res;
    size_t n_res, cap_res;
    size_t n_records; /* LEDE_UNIT_SCRIPT */
    job_sub *subs;    /* warc_gz: one per record read (or failed) */
    size_t n_subs, cap_subs;
    lede_source_stats src; /* warc_gz: what reading the chunk counted */
    uint64_t resumed;      /* warc_gz: records an earlier run stored (--resume) */
} job_item;

typedef struct job job;

job_item *job_item_new(int pooled);
void job_item_free(job_item *it);
/* Clears the results and unit, keeping the buffers' memory. */
void job_item_reset(job_item *it);
int job_item_set(lede_buf *b, int *has, const char *s, size_t n);

/* Shared, read-mostly state the workers need. */
typedef struct job_shared {
    const lede_job_opts *o;
    pthread_mutex_t firsts_mu; /* guards o->firsts */
    lede_u64map own_firsts;    /* used when o->firsts is NULL */
} job_shared;

struct lede_warcgz_reader;
/* Parses it->data and runs the script over each article (worker thread); gz is the worker's
 * reader for WARC.gz chunks. */
void job_work(job_shared *sh, lede_script *s, struct lede_warcgz_reader *gz, job_item *it);
/* Fills it (kind SCRIPT) with the records of on_start or on_finish. */
void job_script_call(lede_script *s, int finish, job_item *it);
/* Whether an earlier run stored this unit (--resume). */
int job_is_done(const lede_job_opts *o, const char *path, const char *member);
/* Views an item's results as the sink sees them (articles must hold it->n_res). */
void job_item_view(const job_item *it, lede_out_unit *u, lede_out_article *articles);

/* The progress line: "1,234 articles  56.7/s  12.3/45.6 MB 27%  ETA 0:42  890 records  2 errors". */
void job_progress_line(char *out, size_t n, const lede_job_stats *st, double elapsed, uint64_t bytes,
                       uint64_t total_bytes);

#endif
