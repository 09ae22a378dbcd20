/* Where a run's results go: JSONL, CSV or SQLite. The pipeline's single writer thread hands the
 * sink one unit at a time (a document's articles, with their records and errors), so a sink
 * never sees half an article and can make each unit durable as a whole. */
#ifndef LEDE_OUTPUT_SINK_H
#define LEDE_OUTPUT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "util/u64map.h"

enum lede_art_status {
    LEDE_ART_DONE,        /* the script ran */
    LEDE_ART_FAILED,      /* the script raised an error (error set) */
    LEDE_ART_DUPLICATE,   /* same body as duplicate_of, not run (--keep-duplicates runs it: DONE) */
    LEDE_ART_OTHER_SHARD, /* belongs to another --shard: not stored anywhere */
};

typedef struct lede_out_article {
    size_t index; /* position in its unit (a feed's items) */
    int status;   /* enum lede_art_status */
    const char *id, *url, *title, *published, *hash, *duplicate_of; /* NULL when unknown */
    const char *member; /* the article's own input.member (a feed item's "item2"), or NULL */
    const char *records; /* this article's records: JSON lines, each ending in "\n" */
    size_t records_len, n_records;
    const char *error; /* the script's error, or NULL */
} lede_out_article;

enum lede_unit_kind {
    LEDE_UNIT_DOCUMENT, /* a document and its articles */
    LEDE_UNIT_FAILED,   /* a file, member or record that could not be read (error set) */
    LEDE_UNIT_SCRIPT,   /* records from on_start()/on_finish(), not tied to an article */
};

typedef struct lede_out_unit {
    int kind;
    const char *path, *member; /* provenance; member may be NULL */
    const char *error;         /* why it could not be read or parsed, or NULL */
    const lede_out_article *articles;
    size_t n_articles;
    const char *records; /* LEDE_UNIT_SCRIPT: its records */
    size_t records_len, n_records;
} lede_out_unit;

/* What the runs table keeps (SQLite) */
typedef struct lede_run_info {
    const char *command; /* the command line, for the record */
    const char *script;  /* what produced the records: "name.lua" or "pack@version" */
    const char *lede_version;
} lede_run_info;

typedef struct lede_run_counts {
    uint64_t articles, records, errors, duplicates, skipped;
    int interrupted;
} lede_run_counts;

typedef struct lede_sink lede_sink;
struct lede_sink {
    int (*unit)(lede_sink *s, const lede_out_unit *u, char *err, size_t errlen);
    /* Makes everything written so far durable (the writer calls it about once a second). */
    int (*flush)(lede_sink *s, char *err, size_t errlen);
    /* Writes totals (runs table, CSV header) and closes. */
    int (*close)(lede_sink *s, const lede_run_counts *c, char *err, size_t errlen);
    void (*free)(lede_sink *s);
};

/* JSONL to fd (not closed by the sink unless own_fd). Lines are written whole, one write() for
 * many lines, so a killed run leaves no half record in practice. */
lede_sink *lede_sink_jsonl(int fd, int own_fd);
/* CSV (RFC 4180) to fd: columns are the record envelope plus the union of the records' data
 * fields, known only at the end, so rows are spooled to a temporary file first. */
lede_sink *lede_sink_csv(int fd, int own_fd, char *err, size_t errlen);
/* SQLite database at path. resume: keep earlier runs' rows and fill done (keys of units already
 * stored, see lede_unit_key) and firsts (body hash -> article id of first copies); without it
 * an existing database with runs in it is refused, so results are never mixed by accident. */
lede_sink *lede_sink_sqlite(const char *path, const lede_run_info *info, int resume, lede_u64map *done,
                            lede_u64map *firsts, char *err, size_t errlen);

/* The key that identifies a unit across runs: hash of path and member. */
uint64_t lede_unit_key(const char *path, const char *member);

#endif
