/* Inputs -> units: files, directories, archives (tar, zip, 7z, cpio; gzip/zstd/bzip2/xz
 * compressed), WARC and JSONL files, and stdin become a sequence of units, each the raw bytes of
 * one document with its provenance. Parsing is not done here: units go to workers. */
#ifndef LEDE_INPUT_SOURCE_H
#define LEDE_INPUT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/* One document's bytes and where they came from. Every pointer is valid during the callback only. */
typedef struct lede_unit {
    const char *path;    /* the input file, or "-" for stdin */
    const char *member;  /* archive member name, WARC record id, "line N" of a JSONL file; or NULL */
    const char *data;
    size_t len;
    const char *format;  /* "json" for a JSONL line, else the forced format or NULL (detect) */
    const char *url;     /* WARC-Target-URI, or NULL */
    const char *charset; /* from the HTTP Content-Type of a WARC response, or NULL */
    const char *date;    /* WARC-Date, or NULL */
    int warc_gz;         /* data is a chunk of a WARC.gz file (input/warcgz.h), not a document */
    uint64_t offset;     /* warc_gz: where data starts in the file */
} lede_unit;

typedef struct lede_source_opts {
    const char *format;                 /* force a format for every document, or NULL */
    size_t max_bytes;                   /* largest document; 0 = LEDE_DEFAULT_MAX_ARTICLE_BYTES */
    const char *const *include, *const *exclude; /* globs for walked files and archive members */
    size_t n_include, n_exclude;
    unsigned max_dom_depth;             /* deepest HTML nesting kept; 0 = LEDE_DEFAULT_MAX_DOM_DEPTH */
    int split_warc_gz;                  /* hand WARC.gz files over as chunks (warc_gz units) */
    size_t max_chunk;                   /* longest chunk handed over; 0 = 2 MB (input/warcgz.h) */
} lede_source_opts;

typedef struct lede_source_stats {
    size_t files;   /* input files opened */
    size_t units;   /* documents handed to the callback */
    size_t skipped; /* WARC records that hold no document (request, metadata, revisit, images...) */
    size_t failed;  /* files, members or records that could not be read */
    _Atomic uint64_t bytes; /* input bytes consumed (compressed size for compressed inputs) */
} lede_source_stats;

/* Return non-zero to stop reading (the value is returned by lede_sources_each). */
typedef int (*lede_unit_fn)(void *ud, const lede_unit *u);
/* A file, member or record that could not be read; member may be NULL. Reading goes on. */
typedef void (*lede_source_err_fn)(void *ud, const char *path, const char *member, const char *message);

int lede_sources_each(char *const *paths, size_t n, const lede_source_opts *opts, lede_unit_fn fn,
                      lede_source_err_fn on_error, void *ud, lede_source_stats *stats);

/* Sum of the sizes of the files the inputs name (directories walked with the same globs); stdin
 * counts 0. For progress: units are unknown before reading, bytes are not. */
uint64_t lede_sources_total_bytes(char *const *paths, size_t n, const lede_source_opts *opts);

/* Internal, shared by source.c, archive.c and warc.c. */
typedef struct lede_source_ctx lede_source_ctx;
struct archive;
struct lede_stream;
int lede_source_glob_ok(const lede_source_opts *o, const char *name);
/* Reads a WARC stream, one unit per response/resource record holding a document. */
int lede_warc_each(lede_source_ctx *c, struct lede_stream *s, const char *path);

#endif
