/* SQLite sink: runs, inputs (one done-mark per unit), articles, records (+ a column per
 * top-level data field), errors. A unit's rows and its done-mark are written in the same
 * transaction, so after a kill -9 the database holds whole units only, and --resume skips
 * exactly the units whose done-mark committed: every article ends up stored once. */
#include <ctype.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "output/sink.h"
#include "util/buf.h"

static const char SCHEMA[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, command TEXT, script TEXT, lede_version TEXT,"
    " started TEXT, finished TEXT, status TEXT, articles INTEGER, records INTEGER, errors INTEGER,"
    " duplicates INTEGER, skipped INTEGER);"
    "CREATE TABLE IF NOT EXISTS inputs(key INTEGER PRIMARY KEY, path TEXT NOT NULL, member TEXT,"
    " run_id INTEGER REFERENCES runs(id), articles INTEGER, error TEXT);"
    "CREATE TABLE IF NOT EXISTS articles(rowid INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id),"
    " id TEXT, url TEXT, title TEXT, published TEXT, input_path TEXT NOT NULL, input_member TEXT,"
    " item INTEGER, content_hash TEXT, duplicate_of TEXT, status TEXT);"
    "CREATE TABLE IF NOT EXISTS records(rowid INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id),"
    " article_rowid INTEGER REFERENCES articles(rowid), article_id TEXT, source TEXT, rule TEXT, data TEXT);"
    "CREATE TABLE IF NOT EXISTS errors(rowid INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id),"
    " input_path TEXT, input_member TEXT, article_id TEXT, message TEXT);"
    "CREATE INDEX IF NOT EXISTS articles_by_id ON articles(id);"
    "CREATE INDEX IF NOT EXISTS articles_by_published ON articles(published);"
    "CREATE INDEX IF NOT EXISTS articles_by_hash ON articles(content_hash);"
    "CREATE INDEX IF NOT EXISTS records_by_article ON records(article_id);"
    "CREATE INDEX IF NOT EXISTS records_by_rule ON records(rule);";

static const char *const FIXED[] = {"rowid", "run_id", "article_rowid", "article_id", "source", "rule", "data"};

typedef struct {
    lede_sink base;
    sqlite3 *db;
    sqlite3_int64 run;
    int in_tx;
    sqlite3_stmt *ins_input, *ins_article, *ins_error;
    json_t *columns; /* lower-case column names of records -> true */
    lede_buf sql;
} sqlite_sink;

static int fail(sqlite_sink *s, char *err, size_t errlen, const char *what) {
    /* what may be a whole schema script: its start says which statement, SQLite's message why */
    snprintf(err, errlen, "%.60s%s: %s", what, strlen(what) > 60 ? "..." : "", sqlite3_errmsg(s->db));
    return -1;
}

static int exec(sqlite_sink *s, const char *sql, char *err, size_t errlen) {
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(s, err, errlen, sql);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static int step(sqlite_sink *s, sqlite3_stmt *st, char *err, size_t errlen) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : fail(s, err, errlen, "insert");
}

/* ---- records with a column per data field ---------------------------------------------- */
/* A data field's column: identifier characters only, and never one of the fixed columns. */
static void column_name(const char *key, char *out, size_t n) {
    size_t j = 0;
    for (const char *p = key; *p && j + 1 < n; p++) out[j++] = isalnum((unsigned char)*p) ? *p : '_';
    out[j] = '\0';
    int clash = j == 0 || isdigit((unsigned char)out[0]);
    for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED; i++) clash |= !strcasecmp(out, FIXED[i]);
    if (clash) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "data_%s", out);
        snprintf(out, n, "%s", tmp);
    }
    for (char *p = out; *p; p++) *p = (char)tolower((unsigned char)*p);
}

static int ensure_column(sqlite_sink *s, const char *col, char *err, size_t errlen) {
    if (json_object_get(s->columns, col)) return 0;
    char sql[400];
    snprintf(sql, sizeof sql, "ALTER TABLE records ADD COLUMN \"%s\"", col);
    if (exec(s, sql, err, errlen) != 0) return -1;
    json_object_set_new(s->columns, col, json_true());
    return 0;
}

static void bind_json(sqlite3_stmt *st, int i, json_t *v) {
    if (json_is_string(v)) sqlite3_bind_text(st, i, json_string_value(v), -1, SQLITE_TRANSIENT);
    else if (json_is_integer(v)) sqlite3_bind_int64(st, i, json_integer_value(v));
    else if (json_is_real(v)) sqlite3_bind_double(st, i, json_real_value(v));
    else if (json_is_boolean(v)) sqlite3_bind_int(st, i, json_is_true(v));
    else if (json_is_null(v) || !v) sqlite3_bind_null(st, i);
    else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        sqlite3_bind_text(st, i, t ? t : "", -1, SQLITE_TRANSIENT);
        free(t);
    }
}

static int insert_record(sqlite_sink *s, json_t *rec, sqlite3_int64 art_row, char *err, size_t errlen) {
    json_t *data = json_object_get(rec, "data");
    const char *k;
    json_t *v;
    char col[256];
    lede_buf_clear(&s->sql);
    lede_buf_puts(&s->sql, "INSERT INTO records(run_id, article_rowid, article_id, source, rule, data");
    size_t n = 0;
    json_object_foreach(data, k, v) {
        column_name(k, col, sizeof col);
        if (ensure_column(s, col, err, errlen) != 0) return -1;
        lede_buf_printf(&s->sql, ", \"%s\"", col);
        n++;
    }
    lede_buf_puts(&s->sql, ") VALUES(?,?,?,?,?,?");
    for (size_t i = 0; i < n; i++) lede_buf_puts(&s->sql, ",?");
    lede_buf_puts(&s->sql, ")");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, s->sql.data, -1, &st, NULL) != SQLITE_OK) return fail(s, err, errlen, "records");
    sqlite3_bind_int64(st, 1, s->run);
    if (art_row) sqlite3_bind_int64(st, 2, art_row);
    json_t *art = json_object_get(rec, "article");
    bind_text(st, 3, json_string_value(json_object_get(art, "id")));
    json_t *src = json_object_get(rec, "pack") ? json_object_get(rec, "pack") : json_object_get(rec, "script");
    bind_text(st, 4, json_string_value(src));
    bind_text(st, 5, json_string_value(json_object_get(rec, "rule")));
    char *dj = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    bind_text(st, 6, dj);
    free(dj);
    int i = 7;
    json_object_foreach(data, k, v) bind_json(st, i++, v);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail(s, err, errlen, "records");
}

static int insert_records(sqlite_sink *s, const char *p, size_t n, sqlite3_int64 art_row, char *err,
                          size_t errlen) {
    for (const char *end = p + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *rec = json_loadb(p, len, 0, NULL);
        int rc = rec ? insert_record(s, rec, art_row, err, errlen) : 0;
        json_decref(rec);
        if (rc != 0) return -1;
        p += len + 1;
    }
    return 0;
}

/* ---- units ------------------------------------------------------------------------------ */
static const char *status_name(int st) {
    return st == LEDE_ART_FAILED ? "failed" : st == LEDE_ART_DUPLICATE ? "duplicate" : "done";
}

static int insert_error(sqlite_sink *s, const lede_out_unit *u, const char *member, const char *id,
                        const char *msg, char *err, size_t errlen) {
    sqlite3_bind_int64(s->ins_error, 1, s->run);
    bind_text(s->ins_error, 2, u->path);
    bind_text(s->ins_error, 3, member ? member : u->member);
    bind_text(s->ins_error, 4, id);
    bind_text(s->ins_error, 5, msg);
    return step(s, s->ins_error, err, errlen);
}

static int insert_article(sqlite_sink *s, const lede_out_unit *u, const lede_out_article *a, char *err,
                          size_t errlen) {
    sqlite3_stmt *st = s->ins_article;
    sqlite3_bind_int64(st, 1, s->run);
    bind_text(st, 2, a->id);
    bind_text(st, 3, a->url);
    bind_text(st, 4, a->title);
    bind_text(st, 5, a->published);
    bind_text(st, 6, u->path);
    bind_text(st, 7, a->member ? a->member : u->member);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)a->index);
    bind_text(st, 9, a->hash);
    bind_text(st, 10, a->duplicate_of);
    bind_text(st, 11, status_name(a->status));
    if (step(s, st, err, errlen) != 0) return -1;
    sqlite3_int64 row = sqlite3_last_insert_rowid(s->db);
    if (insert_records(s, a->records, a->records_len, row, err, errlen) != 0) return -1;
    return a->error ? insert_error(s, u, a->member, a->id, a->error, err, errlen) : 0;
}

static int sqlite_unit(lede_sink *base, const lede_out_unit *u, char *err, size_t errlen) {
    sqlite_sink *s = (sqlite_sink *)base;
    if (!s->in_tx) {
        if (exec(s, "BEGIN", err, errlen) != 0) return -1;
        s->in_tx = 1;
    }
    if (u->kind == LEDE_UNIT_SCRIPT) {
        if (insert_records(s, u->records, u->records_len, 0, err, errlen) != 0) return -1;
        return u->error ? insert_error(s, u, NULL, NULL, u->error, err, errlen) : 0;
    }
    size_t stored = 0;
    for (size_t i = 0; i < u->n_articles; i++) {
        if (u->articles[i].status == LEDE_ART_OTHER_SHARD) continue;
        if (insert_article(s, u, &u->articles[i], err, errlen) != 0) return -1;
        stored++;
    }
    if (u->error && insert_error(s, u, NULL, NULL, u->error, err, errlen) != 0) return -1;
    /* the done-mark, in the same transaction as the rows above */
    sqlite3_stmt *st = s->ins_input;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)lede_unit_key(u->path, u->member));
    bind_text(st, 2, u->path);
    bind_text(st, 3, u->member);
    sqlite3_bind_int64(st, 4, s->run);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)stored);
    bind_text(st, 6, u->error);
    return step(s, st, err, errlen);
}

static int sqlite_flush(lede_sink *base, char *err, size_t errlen) {
    sqlite_sink *s = (sqlite_sink *)base;
    if (!s->in_tx) return 0;
    s->in_tx = 0;
    return exec(s, "COMMIT", err, errlen);
}

static void iso_now(char *out, size_t n) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int sqlite_close(lede_sink *base, const lede_run_counts *c, char *err, size_t errlen) {
    sqlite_sink *s = (sqlite_sink *)base;
    if (sqlite_flush(base, err, errlen) != 0) return -1;
    sqlite3_stmt *st;
    char now[32];
    iso_now(now, sizeof now);
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE runs SET finished=?, status=?, articles=?, records=?, errors=?, duplicates=?,"
                           " skipped=? WHERE id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, err, errlen, "runs");
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, c->interrupted ? "interrupted" : "complete", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->articles);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)c->records);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)c->errors);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)c->duplicates);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)c->skipped);
    sqlite3_bind_int64(st, 8, s->run);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fail(s, err, errlen, "runs");
    sqlite3_finalize(st);
    /* fold the WAL back in, so the result is one self-contained file */
    if (rc == 0) sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return rc;
}

static void sqlite_free(lede_sink *base) {
    sqlite_sink *s = (sqlite_sink *)base;
    if (s->in_tx) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(s->ins_input);
    sqlite3_finalize(s->ins_article);
    sqlite3_finalize(s->ins_error);
    if (s->db) sqlite3_close(s->db);
    json_decref(s->columns);
    lede_buf_free(&s->sql);
    free(s);
}

/* ---- opening, and what a resumed run needs to know -------------------------------------- */
static int load_columns(sqlite_sink *s) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA table_info(records)", -1, &st, NULL) != SQLITE_OK) return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char col[256];
        snprintf(col, sizeof col, "%s", (const char *)sqlite3_column_text(st, 1));
        for (char *p = col; *p; p++) *p = (char)tolower((unsigned char)*p);
        json_object_set_new(s->columns, col, json_true());
    }
    sqlite3_finalize(st);
    return 0;
}

static int load_map(sqlite_sink *s, const char *sql, lede_u64map *m, int hex) {
    sqlite3_stmt *st;
    if (!m || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return m ? -1 : 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t k, v = 0;
        if (hex) {
            k = strtoull((const char *)sqlite3_column_text(st, 0), NULL, 16);
            v = strtoull((const char *)sqlite3_column_text(st, 1), NULL, 16);
        } else {
            k = (uint64_t)sqlite3_column_int64(st, 0);
        }
        if (lede_u64map_put(m, k, v) != 0) break;
    }
    sqlite3_finalize(st);
    return 0;
}

/* Refuses to mix results: without --resume the database must hold no run; with it, the runs
 * before must have come from the same script. */
static int check_previous(sqlite_sink *s, const lede_run_info *info, int resume, char *err, size_t errlen) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT script FROM runs ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return fail(s, err, errlen, "runs");
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *prev = (const char *)sqlite3_column_text(st, 0);
        if (!resume) {
            snprintf(err, errlen, "it already holds a run (of %s); add --resume to continue it, or remove the file",
                     prev ? prev : "?");
            rc = -1;
        } else if (prev && info->script && strcmp(prev, info->script)) {
            snprintf(err, errlen, "it holds a run of %s, not %s: --resume continues the same script", prev, info->script);
            rc = -1;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int start_run(sqlite_sink *s, const lede_run_info *info, char *err, size_t errlen) {
    sqlite3_stmt *st;
    char now[32];
    iso_now(now, sizeof now);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs(command, script, lede_version, started, status) VALUES(?,?,?,?,'running')",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, err, errlen, "runs");
    bind_text(st, 1, info->command);
    bind_text(st, 2, info->script);
    bind_text(st, 3, info->lede_version);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fail(s, err, errlen, "runs");
    sqlite3_finalize(st);
    s->run = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int prepare_all(sqlite_sink *s, char *err, size_t errlen) {
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO inputs(key, path, member, run_id, articles, error)"
                           " VALUES(?,?,?,?,?,?)", -1, &s->ins_input, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO articles(run_id, id, url, title, published, input_path,"
                           " input_member, item, content_hash, duplicate_of, status) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &s->ins_article, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO errors(run_id, input_path, input_member, article_id, message)"
                           " VALUES(?,?,?,?,?)", -1, &s->ins_error, NULL) != SQLITE_OK)
        return fail(s, err, errlen, "prepare");
    return 0;
}

lede_sink *lede_sink_sqlite(const char *path, const lede_run_info *info, int resume, lede_u64map *done,
                            lede_u64map *firsts, char *err, size_t errlen) {
    sqlite_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base = (lede_sink){sqlite_unit, sqlite_flush, sqlite_close, sqlite_free};
    s->columns = json_object();
    lede_buf_init(&s->sql);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "%s", s->db ? sqlite3_errmsg(s->db) : "cannot open");
        sqlite_free(&s->base);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, SCHEMA, err, errlen) != 0 || check_previous(s, info, resume, err, errlen) != 0 ||
        load_columns(s) != 0 || prepare_all(s, err, errlen) != 0 ||
        load_map(s, "SELECT key FROM inputs", done, 0) != 0 ||
        load_map(s, "SELECT content_hash, id FROM articles WHERE duplicate_of IS NULL AND content_hash IS NOT NULL",
                 firsts, 1) != 0 ||
        start_run(s, info, err, errlen) != 0) {
        if (!err[0]) snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
        sqlite_free(&s->base);
        return NULL;
    }
    return &s->base;
}
