/* What the readers in host/input share while lede_sources_each runs (not a public API). */
#ifndef LEDE_INPUT_SOURCE_INT_H
#define LEDE_INPUT_SOURCE_INT_H

#include "input/source.h"
#include "util/buf.h"

struct lede_source_ctx {
    const lede_source_opts *opts;
    lede_unit_fn fn;
    lede_source_err_fn on_error;
    void *ud;
    lede_source_stats *st;
    size_t max;              /* largest document */
    lede_buf data, line, aux; /* reused across units: fresh memory is slow to touch */
    struct archive *cur;     /* archive being read, for byte progress */
    uint64_t bytes_done;     /* bytes of the files finished before cur */
    const char *prefix;      /* member name of a WARC/JSONL file inside an archive, or NULL */
    lede_buf member;         /* prefix#member, built by lede_source_emit */
    int in_member;           /* reading a WARC.gz from member_base on: offsets are relative to it */
    uint64_t member_base;
};

/* Hands a unit to the callback (counting it and updating byte progress); returns its value. */
int lede_source_emit(lede_source_ctx *c, const lede_unit *u);
/* Reports a failure and counts it. */
void lede_source_fail(lede_source_ctx *c, const char *path, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
