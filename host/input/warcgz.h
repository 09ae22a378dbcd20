/* WARC.gz files split into runs of whole gzip members, so that the workers of a parallel run
 * inflate them instead of the reader thread (which would otherwise cap a two-core run well below
 * 2x: inflating is about an eighth of the work). WARC.gz writers give every record its own gzip
 * member; a chunk is the members from one record's start to the next record's start.
 *
 * Reader side: lede_warcgz_file, called by lede_sources_each when opts->split_warc_gz is set,
 * hands the callback one unit per chunk, with warc_gz set, data the compressed bytes, offset
 * where they start in the file and member "gzip member at byte N". Only regular files that start
 * with a gzip member holding a WARC record are split; LEDE_WARCGZ_NOT_MINE sends anything else
 * to the general reader. Worker side: lede_warcgz_chunk_each turns a chunk into the units the
 * general reader would have produced for its records (same members, same errors). */
#ifndef LEDE_INPUT_WARCGZ_H
#define LEDE_INPUT_WARCGZ_H

#include "input/source.h"

#define LEDE_WARCGZ_NOT_MINE (-2)

typedef struct lede_source_ctx lede_source_ctx;
int lede_warcgz_file(lede_source_ctx *c, const char *path);

/* A worker's inflater and buffers, reused from chunk to chunk. */
typedef struct lede_warcgz_reader lede_warcgz_reader;
lede_warcgz_reader *lede_warcgz_reader_new(void);
void lede_warcgz_reader_free(lede_warcgz_reader *r);

/* Reads one chunk unit: fn for every document record, on_error for what cannot be read (a corrupt
 * or truncated member ends the chunk, not the file). Counts into stats. Returns what fn returned
 * to stop, else 0. */
int lede_warcgz_chunk_each(lede_warcgz_reader *r, const lede_unit *chunk, const lede_source_opts *opts,
                           lede_unit_fn fn, lede_source_err_fn on_error, void *ud, lede_source_stats *stats);

#endif
