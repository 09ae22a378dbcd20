/* The worker's stage: bytes -> articles -> script, with shards and duplicates decided per article. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article/parse.h"
#include "input/warcgz.h"
#include "run/inputs.h"
#include "run/job_int.h"
#include "util/hash.h"

job_item *job_item_new(int pooled) {
    job_item *it = calloc(1, sizeof *it);
    if (it) it->pooled = pooled;
    return it;
}

void job_item_free(job_item *it) {
    if (!it) return;
    lede_buf *bufs[] = {&it->path, &it->member, &it->data, &it->format, &it->url, &it->charset,
                        &it->date, &it->strs, &it->records, &it->error};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) lede_buf_free(bufs[i]);
    free(it->res);
    free(it->subs);
    free(it);
}

void job_item_reset(job_item *it) {
    lede_buf *bufs[] = {&it->path, &it->member, &it->data, &it->format, &it->url, &it->charset,
                        &it->date, &it->strs, &it->records, &it->error};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) lede_buf_clear(bufs[i]);
    /* one huge document must not pin its memory in the pool for the rest of the run */
    if (it->data.cap > (16u << 20)) lede_buf_free(&it->data);
    it->has_member = it->has_format = it->has_url = it->has_charset = it->has_date = it->has_error = 0;
    it->n_res = it->n_records = it->n_subs = 0;
    it->warc_gz = 0;
    it->offset = 0;
    memset(&it->src, 0, sizeof it->src);
    it->resumed = 0;
    it->kind = LEDE_UNIT_DOCUMENT;
    it->seq = NO_SEQ;
}

int job_item_set(lede_buf *b, int *has, const char *s, size_t n) {
    lede_buf_clear(b);
    *has = s != NULL;
    return s ? lede_buf_append(b, s, n) : 0;
}

static size_t put_str(job_item *it, const char *s) {
    if (!s) return NO_STR;
    size_t off = it->strs.len;
    if (lede_buf_append(&it->strs, s, strlen(s) + 1) != 0) return NO_STR;
    return off;
}

static job_result *add_result(job_item *it, size_t index) {
    job_result *grown = lede_grow(it->res, it->n_res, &it->cap_res, sizeof *grown, 4);
    if (!grown) return NULL;
    it->res = grown;
    job_result *r = &it->res[it->n_res++];
    memset(r, 0, sizeof *r);
    r->index = index;
    r->id = r->url = r->title = r->published = r->hash = r->dup = r->member = r->error = NO_STR;
    return r;
}

static int append_record(void *ud, const char *json, size_t len) {
    job_item *it = ud;
    if (lede_buf_append(&it->records, json, len) != 0 || lede_buf_putc(&it->records, '\n') != 0) return -1;
    it->n_records++;
    return 0;
}

/* Shards: the article id is a 64-bit hash in hex, so its value spreads evenly. */
static int in_shard(const lede_job_opts *o, const char *id) {
    if (!o->shard_n) return 1;
    uint64_t v = id ? strtoull(id, NULL, 16) : 0;
    return v % o->shard_n == o->shard_k - 1;
}

/* 1 and *first set to the id of an earlier article with the same body; 0 for a first copy. */
static int seen_before(job_shared *sh, uint64_t body, uint64_t id, uint64_t *first) {
    lede_u64map *m = sh->o->firsts ? sh->o->firsts : &sh->own_firsts;
    pthread_mutex_lock(&sh->firsts_mu);
    int seen = lede_u64map_get(m, body, first);
    if (!seen) lede_u64map_put(m, body, id);
    pthread_mutex_unlock(&sh->firsts_mu);
    return seen;
}

static void run_article(job_shared *sh, lede_script *s, job_item *it, lede_article *a, size_t index) {
    job_result *r = add_result(it, index);
    if (!r) return;
    r->id = put_str(it, a->id);
    r->url = put_str(it, a->url);
    r->title = put_str(it, a->title);
    r->published = put_str(it, a->published);
    r->member = put_str(it, a->source_member);
    if (!in_shard(sh->o, a->id)) {
        r->status = LEDE_ART_OTHER_SHARD;
        return;
    }
    char hex[17];
    if (a->text.len) {
        uint64_t body = lede_hash64(a->text.data, a->text.len);
        lede_hash64_hex(body, hex);
        r->hash = put_str(it, hex);
        uint64_t first;
        if (seen_before(sh, body, a->id ? strtoull(a->id, NULL, 16) : 0, &first)) {
            lede_hash64_hex(first, hex);
            r->dup = put_str(it, hex);
            r->status = LEDE_ART_DUPLICATE;
            if (!sh->o->keep_duplicates) return;
        }
    }
    r->rec_off = it->records.len;
    size_t before = it->n_records;
    char err[32768]; /* one line per failed rule: a few hundred fit */
    if (lede_script_run(s, a, append_record, it, err, sizeof err) != 0) {
        r->status = LEDE_ART_FAILED;
        char msg[sizeof err + 32];
        snprintf(msg, sizeof msg, "on_article: %s", err);
        r->error = put_str(it, msg);
    } else if (r->status == LEDE_ART_DUPLICATE) {
        r->status = LEDE_ART_DONE; /* --keep-duplicates: ran, and still marked by dup */
    }
    r->rec_len = it->records.len - r->rec_off;
    r->n_rec = it->n_records - before;
}

int job_is_done(const lede_job_opts *o, const char *path, const char *member) {
    return o->done && lede_u64map_get(o->done, lede_unit_key(path, member), NULL);
}

/* Parses one document and runs the script over its articles; a parse error goes to *error. */
static void parse_and_run(job_shared *sh, lede_script *s, job_item *it, const lede_unit *u, size_t *error) {
    lede_parse_opts po;
    lede_unit_parse_opts(u, &sh->o->sources, &po);
    lede_article_list list = {0};
    char err[1024];
    if (lede_parse(u->data, u->len, &po, &list, err, sizeof err) != 0)
        *error = put_str(it, err); /* articles parsed before it still run */
    for (size_t i = 0; i < list.n; i++) run_article(sh, s, it, list.items[i], i);
    lede_article_list_free(&list);
}

typedef struct {
    job_shared *sh;
    lede_script *s;
    job_item *it;
} chunk_ctx;

static job_sub *add_sub(job_item *it, const char *member) {
    job_sub *grown = lede_grow(it->subs, it->n_subs, &it->cap_subs, sizeof *grown, 8);
    if (!grown) return NULL;
    it->subs = grown;
    job_sub *sub = &it->subs[it->n_subs++];
    sub->member = put_str(it, member);
    sub->error = NO_STR;
    sub->first = it->n_res;
    sub->n = 0;
    return sub;
}

static int chunk_record(void *ud, const lede_unit *u) {
    chunk_ctx *k = ud;
    job_item *it = k->it;
    if (job_is_done(k->sh->o, u->path, u->member)) {
        it->resumed++;
        return 0;
    }
    job_sub *sub = add_sub(it, u->member);
    if (!sub) return 0;
    size_t index = it->n_subs - 1, error = NO_STR;
    parse_and_run(k->sh, k->s, it, u, &error);
    sub = &it->subs[index]; /* (add_sub of a nested call cannot happen, but stay safe) */
    sub->error = error;
    sub->n = it->n_res - sub->first;
    return 0;
}

static void chunk_error(void *ud, const char *path, const char *member, const char *message) {
    chunk_ctx *k = ud;
    const char *m = member ? member : k->it->member.data;
    if (job_is_done(k->sh->o, path, m)) return;
    job_sub *sub = add_sub(k->it, m);
    if (sub) sub->error = put_str(k->it, message);
}

void job_work(job_shared *sh, lede_script *s, lede_warcgz_reader *gz, job_item *it) {
    if (it->kind != LEDE_UNIT_DOCUMENT) return;
    lede_unit u = {.path = it->path.data, .member = it->has_member ? it->member.data : NULL,
                   .data = it->data.data ? it->data.data : "", .len = it->data.len,
                   .format = it->has_format ? it->format.data : NULL, .url = it->has_url ? it->url.data : NULL,
                   .charset = it->has_charset ? it->charset.data : NULL, .date = it->has_date ? it->date.data : NULL};
    if (it->warc_gz) {
        u.warc_gz = 1;
        u.offset = it->offset;
        chunk_ctx k = {sh, s, it};
        if (!gz) {
            chunk_error(&k, u.path, u.member, "out of memory");
            return;
        }
        lede_warcgz_chunk_each(gz, &u, &sh->o->sources, chunk_record, chunk_error, &k, &it->src);
        return;
    }
    size_t error = NO_STR;
    parse_and_run(sh, s, it, &u, &error);
    if (error != NO_STR) it->has_error = lede_buf_puts(&it->error, it->strs.data + error) == 0;
}

void job_script_call(lede_script *s, int finish, job_item *it) {
    it->kind = LEDE_UNIT_SCRIPT;
    char err[8192];
    int rc = finish ? lede_script_finish(s, append_record, it, err, sizeof err)
                    : lede_script_start(s, append_record, it, err, sizeof err);
    if (rc != 0) {
        lede_buf_printf(&it->error, "%s: %s", finish ? "on_finish" : "on_start", err);
        it->has_error = 1;
    }
}

static const char *str_at(const job_item *it, size_t off) { return off == NO_STR ? NULL : it->strs.data + off; }

void job_item_view(const job_item *it, lede_out_unit *u, lede_out_article *arts) {
    memset(u, 0, sizeof *u);
    u->kind = it->kind;
    u->path = it->path.len ? it->path.data : NULL;
    u->member = it->has_member ? it->member.data : NULL;
    u->error = it->has_error ? it->error.data : NULL;
    u->articles = arts;
    u->n_articles = it->n_res;
    if (it->kind == LEDE_UNIT_SCRIPT) {
        u->records = it->records.data ? it->records.data : "";
        u->records_len = it->records.len;
        u->n_records = it->n_records;
    }
    for (size_t i = 0; i < it->n_res; i++) {
        const job_result *r = &it->res[i];
        lede_out_article *a = &arts[i];
        a->index = r->index;
        a->status = r->status;
        a->id = str_at(it, r->id);
        a->url = str_at(it, r->url);
        a->title = str_at(it, r->title);
        a->published = str_at(it, r->published);
        a->hash = str_at(it, r->hash);
        a->duplicate_of = str_at(it, r->dup);
        a->member = str_at(it, r->member);
        a->records = it->records.data ? it->records.data + r->rec_off : "";
        a->records_len = r->rec_len;
        a->n_records = r->n_rec;
        a->error = str_at(it, r->error);
    }
}

static void fmt_count(char *out, size_t n, uint64_t v) {
    if (v >= 1000000) snprintf(out, n, "%llu,%03llu,%03llu", (unsigned long long)(v / 1000000),
                               (unsigned long long)(v / 1000 % 1000), (unsigned long long)(v % 1000));
    else if (v >= 1000) snprintf(out, n, "%llu,%03llu", (unsigned long long)(v / 1000), (unsigned long long)(v % 1000));
    else snprintf(out, n, "%llu", (unsigned long long)v);
}

void job_progress_line(char *out, size_t n, const lede_job_stats *st, double elapsed, uint64_t bytes,
                       uint64_t total) {
    char arts[32], recs[32], where[96] = "", eta[32] = "";
    fmt_count(arts, sizeof arts, st->articles);
    fmt_count(recs, sizeof recs, st->records);
    double rate = elapsed > 0 ? (double)st->articles / elapsed : 0;
    if (total) {
        double frac = bytes >= total ? 1.0 : (double)bytes / (double)total;
        snprintf(where, sizeof where, "  %.1f/%.1f MB %d%%", (double)bytes / 1e6, (double)total / 1e6, (int)(frac * 100));
        if (frac > 0.01 && elapsed > 1) {
            long left = (long)(elapsed / frac - elapsed);
            snprintf(eta, sizeof eta, "  ETA %ld:%02ld", left / 60, left % 60);
        }
    } else {
        snprintf(where, sizeof where, "  %.1f MB", (double)bytes / 1e6);
    }
    snprintf(out, n, "%s articles  %.1f/s%s%s  %s records  %llu errors", arts, rate, where, eta, recs,
             (unsigned long long)st->errors);
}
