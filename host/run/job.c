/* Threads and hand-offs of a batch run (see run/job.h). */
#include "run/job.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/warcgz.h"
#include "run/inputs.h"
#include "run/job_int.h"
#include "run/script.h"

struct job {
    const lede_job_opts *o;
    job_shared sh;
    lede_script **scripts;
    int n_scripts;
    /* the pool bounds how many units are in flight */
    job_item **pool;
    size_t pool_n, pool_free;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    lede_queue work, done;
    pthread_mutex_t live_mu;
    int live_workers; /* the last one to finish closes `done` */
    uint64_t next_seq;
    lede_source_stats src;
    uint64_t chunk_units, chunk_skipped, chunk_resumed; /* counted in WARC.gz chunks (writer) */
    lede_job_stats st;
    volatile int failed; /* the sink failed: stop reading */
    char err[1024];
    double t0;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stopping(const job *j) { return j->failed || (j->o->stop && *j->o->stop); }

/* ---- pool ------------------------------------------------------------------------------ */
static job_item *pool_get(job *j) {
    job_item *it = NULL;
    pthread_mutex_lock(&j->pool_mu);
    while (!j->pool_free && !stopping(j)) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 200000000L; /* wake now and then to notice a stop */
        if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&j->pool_cv, &j->pool_mu, &t);
    }
    if (j->pool_free) it = j->pool[--j->pool_free];
    pthread_mutex_unlock(&j->pool_mu);
    if (it) job_item_reset(it);
    return it;
}

static void pool_put(job *j, job_item *it) {
    if (!it->pooled) {
        job_item_free(it);
        return;
    }
    pthread_mutex_lock(&j->pool_mu);
    j->pool[j->pool_free++] = it;
    pthread_cond_signal(&j->pool_cv);
    pthread_mutex_unlock(&j->pool_mu);
}

/* ---- reader (the calling thread) --------------------------------------------------------- */
static int is_done(const job *j, const char *path, const char *member) {
    return job_is_done(j->o, path, member);
}

static int fill_unit(job_item *it, const lede_unit *u) {
    int dummy = 0;
    return job_item_set(&it->path, &dummy, u->path, strlen(u->path)) |
           job_item_set(&it->member, &it->has_member, u->member, u->member ? strlen(u->member) : 0) |
           job_item_set(&it->data, &dummy, u->data, u->len) |
           job_item_set(&it->format, &it->has_format, u->format, u->format ? strlen(u->format) : 0) |
           job_item_set(&it->url, &it->has_url, u->url, u->url ? strlen(u->url) : 0) |
           job_item_set(&it->charset, &it->has_charset, u->charset, u->charset ? strlen(u->charset) : 0) |
           job_item_set(&it->date, &it->has_date, u->date, u->date ? strlen(u->date) : 0);
}

static int on_unit(void *ud, const lede_unit *u) {
    job *j = ud;
    if (stopping(j)) return 1;
    if (!u->warc_gz && is_done(j, u->path, u->member)) { /* a chunk's records are checked one by one */
        j->st.resumed++;
        return 0;
    }
    job_item *it = pool_get(j);
    if (!it) return 1;
    if (fill_unit(it, u) != 0) {
        it->kind = LEDE_UNIT_FAILED;
        it->has_error = lede_buf_puts(&it->error, "out of memory") == 0;
    }
    it->warc_gz = u->warc_gz;
    it->offset = u->offset;
    it->seq = j->next_seq++;
    lede_queue_push(&j->work, &it->node);
    return 0;
}

/* Read failures travel the pipeline like units, so the writer reports and stores them in order. */
static void on_source_error(void *ud, const char *path, const char *member, const char *message) {
    job *j = ud;
    if (is_done(j, path, member)) return;
    job_item *it = pool_get(j);
    if (!it) return;
    int dummy;
    job_item_set(&it->path, &dummy, path, strlen(path));
    job_item_set(&it->member, &it->has_member, member, member ? strlen(member) : 0);
    it->kind = LEDE_UNIT_FAILED;
    it->has_error = lede_buf_puts(&it->error, message) == 0;
    it->seq = j->next_seq++;
    lede_queue_push(&j->work, &it->node);
}

/* ---- workers ----------------------------------------------------------------------------- */
typedef struct {
    job *j;
    lede_script *s;
    lede_warcgz_reader *gz; /* made on the first WARC.gz chunk */
} worker_arg;

static void script_call(job *j, lede_script *s, int finish) {
    job_item *it = job_item_new(0); /* not from the pool: the reader may hold all of it */
    if (!it) return;
    job_item_reset(it);
    job_script_call(s, finish, it);
    if (finish) it->seq = NO_SEQ - 1; /* the writer keeps these for the end */
    lede_queue_push(&j->done, &it->node);
}

static void *worker_main(void *p) {
    worker_arg *w = p;
    job *j = w->j;
    script_call(j, w->s, 0);
    job_item *it;
    while ((it = (job_item *)lede_queue_pop(&j->work, -1, NULL)) != NULL) {
        if (it->warc_gz && !w->gz) w->gz = lede_warcgz_reader_new();
        job_work(&j->sh, w->s, w->gz, it);
        lede_queue_push(&j->done, &it->node);
    }
    script_call(j, w->s, 1);
    lede_warcgz_reader_free(w->gz);
    w->gz = NULL;
    pthread_mutex_lock(&j->live_mu);
    if (--j->live_workers == 0) lede_queue_close(&j->done);
    pthread_mutex_unlock(&j->live_mu);
    return NULL;
}

/* ---- writer ------------------------------------------------------------------------------ */
typedef struct {
    job *j;
    job_item **pending; /* --ordered: items waiting for an earlier one, by seq % pool_n */
    uint64_t next;
    job_item *finish_head; /* on_finish records, written last */
    lede_out_article *arts;
    size_t cap_arts;
    double last_flush, last_progress;
} writer;

static void count(job *j, const lede_out_unit *u) {
    lede_job_stats *st = &j->st;
    st->records += u->n_records;
    if (u->error) st->errors++;
    for (size_t i = 0; i < u->n_articles; i++) {
        const lede_out_article *a = &u->articles[i];
        if (a->status == LEDE_ART_OTHER_SHARD) {
            st->other_shard++;
            continue;
        }
        if (a->status == LEDE_ART_DUPLICATE) { /* not run: counted as skipped */
            st->duplicates++;
            continue;
        }
        st->articles++;
        st->records += a->n_records;
        if (a->status == LEDE_ART_FAILED) st->errors++;
    }
}

static void report(job *j, const lede_out_unit *u) {
    if (!j->o->on_error) return;
    char label[2048];
    lede_unit_label(u->path ? u->path : (j->o->script_path ? j->o->script_path : "script"), u->member, label,
                    sizeof label);
    if (u->error) j->o->on_error(j->o->ud, label, u->error);
    for (size_t i = 0; i < u->n_articles; i++) {
        const lede_out_article *a = &u->articles[i];
        if (!a->error) continue;
        char alabel[2100];
        lede_unit_label(u->path, a->member ? a->member : u->member, alabel, sizeof alabel);
        j->o->on_error(j->o->ud, alabel, a->error);
    }
}

static void write_item(writer *w, job_item *it) {
    job *j = w->j;
    if (it->n_res > w->cap_arts) {
        lede_out_article *a = realloc(w->arts, it->n_res * sizeof *a);
        if (!a) {
            j->failed = 1;
            snprintf(j->err, sizeof j->err, "out of memory");
        } else {
            w->arts = a;
            w->cap_arts = it->n_res;
        }
    }
    if (!j->failed) {
        lede_out_unit u;
        job_item_view(it, &u, w->arts);
        if (!it->warc_gz || it->has_error) { /* (a chunk's own error: it could not be queued) */
            u.n_articles = it->warc_gz ? 0 : u.n_articles;
            count(j, &u);
            report(j, &u);
            if (j->o->sink->unit(j->o->sink, &u, j->err, sizeof j->err) != 0) j->failed = 1;
        }
        if (it->warc_gz) {
            j->chunk_units += it->src.units;
            j->chunk_skipped += it->src.skipped;
            j->chunk_resumed += it->resumed;
        }
        /* a WARC.gz chunk: each of its records is a unit of its own, as if read one by one */
        for (size_t i = 0; it->warc_gz && i < it->n_subs && !j->failed; i++) {
            const job_sub *sub = &it->subs[i];
            lede_out_unit v = u;
            v.kind = sub->error != NO_STR && sub->n == 0 ? LEDE_UNIT_FAILED : LEDE_UNIT_DOCUMENT;
            v.member = sub->member == NO_STR ? NULL : it->strs.data + sub->member;
            v.error = sub->error == NO_STR ? NULL : it->strs.data + sub->error;
            v.articles = u.articles + sub->first;
            v.n_articles = sub->n;
            count(j, &v);
            report(j, &v);
            if (j->o->sink->unit(j->o->sink, &v, j->err, sizeof j->err) != 0) j->failed = 1;
        }
    }
    pool_put(j, it);
}

static void accept_item(writer *w, job_item *it) {
    job *j = w->j;
    if (it->seq == NO_SEQ - 1) { /* on_finish: keep for the end */
        it->node.next = (lede_queue_node *)w->finish_head;
        w->finish_head = it;
        return;
    }
    if (!j->o->ordered || it->seq == NO_SEQ) {
        write_item(w, it);
        return;
    }
    w->pending[it->seq % j->pool_n] = it;
    job_item *next;
    while ((next = w->pending[w->next % j->pool_n]) != NULL && next->seq == w->next) {
        w->pending[w->next % j->pool_n] = NULL;
        w->next++;
        write_item(w, next);
    }
}

static void tick(writer *w, int final) {
    job *j = w->j;
    double t = now();
    if (!j->failed && (final || t - w->last_flush >= 1.0)) {
        if (j->o->sink->flush(j->o->sink, j->err, sizeof j->err) != 0) j->failed = 1;
        w->last_flush = t;
    }
    if (j->o->on_progress && (final || t - w->last_progress >= 0.2)) {
        char line[256];
        j->st.files = j->src.files;
        job_progress_line(line, sizeof line, &j->st, t - j->t0, j->src.bytes, j->o->total_bytes);
        j->o->on_progress(j->o->ud, line);
        w->last_progress = t;
    }
}

static void *writer_main(void *p) {
    writer *w = p;
    job *j = w->j;
    int closed = 0;
    while (!closed) {
        job_item *it = (job_item *)lede_queue_pop(&j->done, 200, &closed);
        if (it) accept_item(w, it);
        tick(w, 0);
    }
    /* finish records: reverse the stack so they come out in arrival order */
    job_item *rev = NULL;
    while (w->finish_head) {
        job_item *n = (job_item *)w->finish_head->node.next;
        w->finish_head->node.next = (lede_queue_node *)rev;
        rev = w->finish_head;
        w->finish_head = n;
    }
    while (rev) {
        job_item *n = (job_item *)rev->node.next;
        write_item(w, rev);
        rev = n;
    }
    tick(w, 1);
    return NULL;
}

/* ---- the run ----------------------------------------------------------------------------- */
static int load_scripts(job *j, char *err, size_t errlen) {
    j->scripts = calloc((size_t)j->o->workers, sizeof *j->scripts);
    if (!j->scripts) return LEDE_ENOMEM;
    for (; j->n_scripts < j->o->workers; j->n_scripts++) {
        /* one compiled pack for every worker: the others share the first one's rules */
        int rc = lede_script_load_like(&j->scripts[j->n_scripts], j->o->script_path, j->o->script_opts,
                                       j->n_scripts ? j->scripts[0] : NULL, err, errlen);
        if (rc != 0) return rc;
    }
    return 0;
}

static int make_pool(job *j) {
    j->pool_n = 4 * (size_t)j->o->workers + 4;
    j->pool = calloc(j->pool_n, sizeof *j->pool);
    if (!j->pool) return -1;
    for (; j->pool_free < j->pool_n; j->pool_free++)
        if (!(j->pool[j->pool_free] = job_item_new(1))) return -1;
    return 0;
}

static void job_free(job *j) {
    for (int i = 0; i < j->n_scripts; i++) lede_script_free(j->scripts[i]);
    free(j->scripts);
    for (size_t i = 0; j->pool && i < j->pool_free; i++) job_item_free(j->pool[i]);
    free(j->pool);
    lede_u64map_free(&j->sh.own_firsts);
}

static int init_sync(job *j) {
    if (lede_queue_init(&j->work) != 0) return -1;
    if (lede_queue_init(&j->done) != 0) {
        lede_queue_destroy(&j->work);
        return -1;
    }
    pthread_mutex_init(&j->pool_mu, NULL);
    pthread_cond_init(&j->pool_cv, NULL);
    pthread_mutex_init(&j->live_mu, NULL);
    pthread_mutex_init(&j->sh.firsts_mu, NULL);
    return 0;
}

static void destroy_sync(job *j) {
    lede_queue_destroy(&j->work);
    lede_queue_destroy(&j->done);
    pthread_mutex_destroy(&j->pool_mu);
    pthread_cond_destroy(&j->pool_cv);
    pthread_mutex_destroy(&j->live_mu);
    pthread_mutex_destroy(&j->sh.firsts_mu);
}

/* Starts the workers and the writer, reads every input in this thread, waits for the rest. */
static int run_threads(job *j) {
    /* libxml2 2.9 sets up its globals lazily and not thread-safely: do it once here, before any
     * worker parses (otherwise racing workers leak a mutex and race on the global state). */
    xmlInitParser();
    pthread_t *tids = calloc((size_t)j->o->workers, sizeof *tids);
    worker_arg *args = calloc((size_t)j->o->workers, sizeof *args);
    writer w = {.j = j, .pending = calloc(j->pool_n, sizeof(job_item *))};
    pthread_t wt;
    int started = 0, rc = -1;
    if (!tids || !args || !w.pending || pthread_create(&wt, NULL, writer_main, &w) != 0) goto out;
    j->live_workers = j->o->workers;
    for (; started < j->o->workers; started++) {
        args[started] = (worker_arg){.j = j, .s = j->scripts[started]};
        if (pthread_create(&tids[started], NULL, worker_main, &args[started]) != 0) break;
    }
    if (started < j->o->workers) { /* fewer threads than asked: the missing ones count as done */
        pthread_mutex_lock(&j->live_mu);
        j->live_workers -= j->o->workers - started;
        if (j->live_workers == 0) lede_queue_close(&j->done);
        pthread_mutex_unlock(&j->live_mu);
    }
    lede_source_opts so = j->o->sources;
    so.split_warc_gz = 1; /* the workers inflate WARC.gz records, not this thread */
    if (started > 0) lede_sources_each(j->o->inputs, j->o->n_inputs, &so, on_unit, on_source_error, j, &j->src);
    lede_queue_close(&j->work);
    for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
    pthread_join(wt, NULL);
    rc = started > 0 ? 0 : -1;
out:
    free(tids);
    free(args);
    free(w.pending);
    free(w.arts);
    return rc;
}

int lede_job_run(const lede_job_opts *o, lede_job_stats *stats, char *err, size_t errlen) {
    job j;
    memset(&j, 0, sizeof j);
    j.o = o;
    j.sh.o = o;
    lede_u64map_init(&j.sh.own_firsts);
    memset(stats, 0, sizeof *stats);
    int rc = load_scripts(&j, err, errlen);
    if (rc != 0) {
        job_free(&j);
        return rc;
    }
    if (make_pool(&j) != 0 || init_sync(&j) != 0) {
        job_free(&j);
        snprintf(err, errlen, "out of memory");
        return LEDE_ENOMEM;
    }
    j.t0 = now();
    if (run_threads(&j) != 0 && !j.failed) {
        j.failed = 1;
        snprintf(j.err, sizeof j.err, "cannot start worker threads");
    }
    j.st.files = j.src.files;
    j.st.units = j.src.units + j.chunk_units;
    j.st.skipped = j.src.skipped + j.chunk_skipped;
    j.st.resumed += j.chunk_resumed;
    j.st.interrupted = o->stop && *o->stop;
    j.st.seconds = now() - j.t0;
    lede_run_counts c = {j.st.articles, j.st.records, j.st.errors, j.st.duplicates,
                         j.st.skipped + j.st.other_shard, j.st.interrupted};
    char cerr[1024];
    if (o->sink->close(o->sink, &c, cerr, sizeof cerr) != 0 && !j.failed) {
        j.failed = 1;
        snprintf(j.err, sizeof j.err, "%s", cerr);
    }
    *stats = j.st;
    destroy_sync(&j);
    job_free(&j);
    if (j.failed) {
        snprintf(err, errlen, "%s", j.err);
        return LEDE_EIO;
    }
    return 0;
}
