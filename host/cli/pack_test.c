/* lede pack test (docs/packs.md, "Testing a pack").
 *
 * A fixture is an article file in the pack's tests/ folder. It says what it expects in two
 * ways, either or both:
 *   - annotations, HTML comments right before the text they are about (in any format, HTML,
 *     text or Markdown): <!-- ruleid: a, b --> (these rules must match the unit that holds the
 *     following text), <!-- ok: a --> (must not), <!-- todoruleid: a --> (a known miss: reported,
 *     not a failure), <!-- todook: a --> (a known false positive). The comments are removed
 *     before parsing; the first words after one locate it in the extracted article;
 *   - NAME.expected.jsonl beside NAME.html: the records' data, one JSON object per line (or
 *     {"rule": ..., "data": ...}); compared as a multiset, key order ignored.
 * With no expected file, every record must be claimed by a ruleid/todook annotation. */
#include "cli/pack_test.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pack/pack.h"
#include "util/buf.h"

enum { A_RULEID, A_OK, A_TODO, A_TODOOK };
static const char *const KINDS[] = {"ruleid", "ok", "todoruleid", "todook"};

typedef struct ann {
    int kind, line;
    char rules[8][128];
    int nrules;
    char snippet[96];
    size_t pos; /* in the cleaned bytes */
} ann;

typedef struct rec {
    char rule[128];
    json_t *data;
    char field[16];
    long item, start, stop;
    size_t art;
    int claimed, matched;
} rec;

typedef struct stats {
    const char *id;
    int tp, fp, miss, todo;
} stats;

typedef struct tctx {
    lede_script *s;
    stats *st;
    size_t nst;
    rec *recs;
    size_t nrecs, cap;
    size_t art;
    int failures, verbose;
    const char *fixture;
} tctx;

static stats *stat_of(tctx *c, const char *rule) {
    for (size_t i = 0; i < c->nst; i++)
        if (!strcmp(c->st[i].id, rule)) return &c->st[i];
    return NULL;
}

static void failure(tctx *c, int line, const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "%s:%d: ", c->fixture, line);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    c->failures++;
}

/* ---- annotations ----------------------------------------------------------------------------- */
static int parse_ann(const char *p, const char *end, ann *a) {
    p += 4;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    for (int k = 0; k < 4; k++) {
        size_t kl = strlen(KINDS[k]);
        if ((size_t)(end - p) > kl && !strncmp(p, KINDS[k], kl) && p[kl] == ':') {
            a->kind = k;
            p += kl + 1;
            a->nrules = 0;
            while (p < end && a->nrules < 8) {
                while (p < end && strchr(" \t,\r\n", *p)) p++;
                size_t n = 0;
                while (p + n < end && !strchr(" \t,\r\n", p[n])) n++;
                if (!n) break;
                snprintf(a->rules[a->nrules++], sizeof a->rules[0], "%.*s", (int)n, p);
                p += n;
            }
            return a->nrules > 0;
        }
    }
    return 0;
}

/* The first visible words after pos (tags skipped, white space collapsed, a few entities). */
static void snippet_at(const char *s, size_t n, size_t pos, char *out, size_t outn) {
    size_t o = 0;
    int space = 0;
    for (size_t i = pos; i < n && o + 2 < outn; i++) {
        if (s[i] == '<') {
            if (o >= 24) break;
            while (i < n && s[i] != '>') i++;
            space = o > 0;
            continue;
        }
        char ch = s[i];
        if (ch == '&') {
            static const char *ents[][2] = {{"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}};
            int hit = 0;
            for (size_t e = 0; e < 5 && !hit; e++)
                if (!strncmp(s + i, ents[e][0], strlen(ents[e][0]))) {
                    ch = ents[e][1][0];
                    i += strlen(ents[e][0]) - 1;
                    hit = 1;
                }
            if (!hit) break;
        }
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = o > 0;
            continue;
        }
        if (o == 0 && strchr("#>*-_", ch)) continue; /* Markdown markers the parser drops */
        if (space) out[o++] = ' ';
        space = 0;
        out[o++] = ch;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = 0;
    char *last = strrchr(out, ' ');
    if (o >= outn - 3 && last && last - out > 12) *last = 0; /* drop a word cut in half */
}

/* Removes annotation comments from buf (in place), filling anns. */
static size_t strip_annotations(lede_buf *b, ann *anns, size_t max) {
    size_t na = 0, w = 0;
    int line = 1;
    for (size_t r = 0; r < b->len;) {
        char *p = b->data + r;
        if (b->len - r > 4 && !strncmp(p, "<!--", 4) && na < max) {
            char *close = strstr(p, "-->");
            ann a = {0};
            if (close && parse_ann(p, close, &a)) {
                for (char *q = p; q < close; q++) line += *q == '\n';
                a.line = line;
                a.pos = w;
                anns[na++] = a;
                r = (size_t)(close + 3 - b->data);
                continue;
            }
        }
        line += *p == '\n';
        b->data[w++] = b->data[r++];
    }
    b->len = w;
    for (size_t i = 0; i < na; i++) snippet_at(b->data, b->len, anns[i].pos, anns[i].snippet, sizeof anns[i].snippet);
    return na;
}

/* Finds snippet in text with white space matched loosely; 1-based offset or 0. */
static long find_loose(const char *text, const char *snip) {
    if (!text || !*snip) return 0;
    for (const char *t = text; *t; t++) {
        const char *a = t, *b = snip;
        while (*a && *b) {
            if (*b == ' ') {
                if (*a != ' ' && *a != '\n' && *a != '\t') break;
                while (*a == ' ' || *a == '\n' || *a == '\t') a++;
                b++;
            } else if (*a == *b) {
                a++;
                b++;
            } else {
                break;
            }
        }
        if (!*b) return (long)(t - text) + 1;
    }
    return 0;
}

/* ---- records ---------------------------------------------------------------------------------- */
static int on_record(void *ud, const char *json, size_t len) {
    tctx *c = ud;
    json_t *r = json_loadb(json, len, 0, NULL);
    if (!r) return 0;
    if (c->nrecs == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->recs = realloc(c->recs, c->cap * sizeof *c->recs);
    }
    rec *x = &c->recs[c->nrecs++];
    memset(x, 0, sizeof *x);
    snprintf(x->rule, sizeof x->rule, "%s", json_string_value(json_object_get(r, "rule")));
    x->data = json_incref(json_object_get(r, "data"));
    json_t *u = json_object_get(r, "unit");
    snprintf(x->field, sizeof x->field, "%s", json_string_value(json_object_get(u, "field")) ?: "text");
    x->item = (long)json_integer_value(json_object_get(u, "item"));
    x->start = (long)json_integer_value(json_object_get(u, "start"));
    x->stop = (long)json_integer_value(json_object_get(u, "stop"));
    x->art = c->art;
    json_decref(r);
    return 0;
}

/* Where the annotation's text lies: article, field, item, offset. */
typedef struct where {
    size_t art;
    const char *field;
    long item, off;
} where;

static int locate(const lede_batch *batch, const ann *a, where *w) {
    static const char *const FIELDS[] = {"text", "title", "description"};
    for (size_t i = 0; i < lede_batch_count(batch); i++) {
        const lede_article *art = lede_batch_article(batch, i);
        for (size_t f = 0; f < 3; f++) {
            long off = find_loose(lede_article_field(art, FIELDS[f]), a->snippet);
            if (off) {
                *w = (where){i, FIELDS[f], 0, off};
                return 1;
            }
        }
    }
    return 0;
}

static void check_ann(tctx *c, const lede_batch *batch, const ann *a) {
    where w;
    if (!locate(batch, a, &w)) {
        failure(c, a->line, "cannot find the text after this annotation (\"%s\") in the extracted article%s",
                a->snippet, "");
        return;
    }
    for (int k = 0; k < a->nrules; k++) {
        const char *rule = a->rules[k];
        stats *st = stat_of(c, rule);
        if (!st) {
            failure(c, a->line, "%s: no rule '%s' in this pack", KINDS[a->kind], rule);
            continue;
        }
        int hit = 0;
        for (size_t i = 0; i < c->nrecs; i++) {
            rec *r = &c->recs[i];
            if (strcmp(r->rule, rule) || r->art != w.art || strcmp(r->field, w.field) || r->item != w.item ||
                w.off < r->start || w.off > r->stop)
                continue;
            hit = 1;
            if (a->kind != A_OK) r->claimed = 1;
        }
        if (a->kind == A_RULEID) {
            if (hit) st->tp++;
            else st->miss++, failure(c, a->line, "ruleid: %s did not match \"%s\"", rule, a->snippet);
        } else if (a->kind == A_OK) {
            if (hit) st->fp++, failure(c, a->line, "ok: %s matched \"%s\"", rule, a->snippet);
        } else if (a->kind == A_TODO) {
            st->todo++;
            if (hit) fprintf(stderr, "%s:%d: todoruleid: %s now matches; make it ruleid\n", c->fixture, a->line, rule);
        } else if (hit) {
            st->todo++;
        }
    }
}

static char *canon(json_t *v) { return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY); }

static void check_expected_line(tctx *c, json_t *e, int line) {
    json_t *rule = json_object_get(e, "rule"), *data = json_object_get(e, "data");
    json_t *want = rule && data ? data : e;
    char *w = canon(want);
    for (size_t i = 0; i < c->nrecs; i++) {
        rec *r = &c->recs[i];
        if (r->matched || (rule && strcmp(r->rule, json_string_value(rule) ?: ""))) continue;
        char *g = canon(r->data);
        int same = g && w && !strcmp(g, w);
        free(g);
        if (same) {
            r->matched = 1;
            if (stat_of(c, r->rule)) stat_of(c, r->rule)->tp++;
            free(w);
            return;
        }
    }
    stats *st = rule ? stat_of(c, json_string_value(rule)) : NULL;
    if (st) st->miss++;
    else if (c->nst) c->st[0].miss += 0;
    fprintf(stderr, "%s.expected.jsonl:%d: missing record %s\n", c->fixture, line, w ? w : "?");
    c->failures++;
    free(w);
}

/* Compares the records with NAME.expected.jsonl, if there is one; 1 if there was. */
static int check_expected(tctx *c, const char *path) {
    char ep[4200];
    snprintf(ep, sizeof ep, "%.*s.expected.jsonl", (int)(strrchr(path, '.') - path), path);
    FILE *f = fopen(ep, "r");
    if (!f) return 0;
    char *line = NULL;
    size_t cap = 0;
    int n = 0;
    while (getline(&line, &cap, f) > 0) {
        n++;
        if (strspn(line, " \t\r\n") == strlen(line)) continue;
        json_t *e = json_loads(line, 0, NULL);
        if (!e) {
            fprintf(stderr, "%s:%d: not JSON\n", ep, n);
            c->failures++;
            continue;
        }
        check_expected_line(c, e, n);
        json_decref(e);
    }
    free(line);
    fclose(f);
    for (size_t i = 0; i < c->nrecs; i++) {
        rec *r = &c->recs[i];
        if (r->matched) continue;
        char *g = canon(r->data);
        fprintf(stderr, "%s: unexpected record from %s: %s\n", c->fixture, r->rule, g ? g : "?");
        free(g);
        if (stat_of(c, r->rule)) stat_of(c, r->rule)->fp++;
        c->failures++;
    }
    return 1;
}

static void run_fixture(tctx *c, const char *path) {
    lede_buf b;
    lede_buf_init(&b);
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0) lede_buf_append(&b, chunk, n);
    if (f) fclose(f);
    ann anns[512];
    size_t na = strip_annotations(&b, anns, 512);
    lede_batch *batch = NULL;
    char err[8192];
    c->fixture = path;
    c->nrecs = 0;
    if (lede_batch_parse(&batch, b.data ? b.data : "", b.len, path, err, sizeof err) != 0) {
        failure(c, 1, "cannot parse: %s%s", err, "");
        lede_buf_free(&b);
        return;
    }
    for (size_t i = 0; i < lede_batch_count(batch); i++) {
        c->art = i;
        if (lede_script_run(c->s, lede_batch_article(batch, i), on_record, c, err, sizeof err) != 0)
            failure(c, 1, "%s%s", err, "");
    }
    for (size_t i = 0; i < na; i++) check_ann(c, batch, &anns[i]);
    int had_expected = check_expected(c, path);
    if (!had_expected) {
        if (!na) failure(c, 1, "no annotations and no %s%s", "expected records (NAME.expected.jsonl)", "");
        for (size_t i = 0; i < c->nrecs; i++) {
            rec *r = &c->recs[i];
            if (r->claimed) continue;
            stats *st = stat_of(c, r->rule);
            if (st) st->fp++;
            char m[64];
            snprintf(m, sizeof m, "%ld-%ld", r->start, r->stop);
            failure(c, 1, "unexpected %s record (no ruleid annotation covers bytes %s of the unit)", r->rule, m);
        }
    }
    if (c->verbose) fprintf(stderr, "%s: %zu records, %zu annotations\n", path, c->nrecs, na);
    for (size_t i = 0; i < c->nrecs; i++) json_decref(c->recs[i].data);
    lede_batch_free(batch);
    lede_buf_free(&b);
}

static int is_fixture(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot || name[0] == '.' || strstr(name, ".expected.")) return 0;
    const char *exts[] = {".html", ".htm", ".txt", ".md", ".xml", ".json", ".rss", ".atom"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (!strcmp(dot, exts[i])) return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void report(const tctx *c, const char *name) {
    printf("%-32s %5s %5s %5s %5s\n", name, "tp", "fp", "miss", "todo");
    for (size_t i = 0; i < c->nst; i++)
        printf("  %-30s %5d %5d %5d %5d\n", c->st[i].id, c->st[i].tp, c->st[i].fp, c->st[i].miss, c->st[i].todo);
}

static int test_one(const char *spec, const lede_script_options *so0, int verbose) {
    lede_script_options so = *so0;
    so.with_units = 1;
    char err[16384];
    tctx c = {0};
    c.verbose = verbose;
    lede_pack_src src;
    lede_pack_info info = {0};
    int r = lede_pack_resolve(spec, so.pack_path, &src, err, sizeof err);
    if (r <= 0 || lede_pack_info_read(src.dir, &info, err, sizeof err) != 0 ||
        lede_script_load(&c.s, src.dir, &so, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", r == 0 ? "not a pack" : err);
        if (r > 0) lede_pack_src_free(&src);
        lede_pack_info_free(&info);
        return 1;
    }
    c.nst = lede_script_rules(c.s);
    c.st = calloc(c.nst + 1, sizeof *c.st);
    for (size_t i = 0; i < c.nst; i++) c.st[i].id = lede_script_rule_id(c.s, i);
    char tdir[4400];
    snprintf(tdir, sizeof tdir, "%s/%s", src.dir, info.tests ? info.tests : "tests");
    DIR *d = opendir(tdir);
    char *names[4096];
    size_t nn = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && nn < 4096)
        if (is_fixture(e->d_name)) names[nn++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    if (!nn) fprintf(stderr, "%s: no fixtures in %s\n", spec, tdir), c.failures++;
    for (size_t i = 0; i < nn; i++) {
        char p[8800];
        snprintf(p, sizeof p, "%s/%s", tdir, names[i]);
        run_fixture(&c, p);
        free(names[i]);
    }
    report(&c, lede_script_name(c.s));
    printf("%s: %zu fixtures, %d failures\n", lede_script_name(c.s), nn, c.failures);
    free(c.recs);
    free(c.st);
    lede_script_free(c.s);
    lede_pack_info_free(&info);
    lede_pack_src_free(&src);
    return c.failures ? 1 : 0;
}

int cli_pack_test(char **dirs, size_t n, const lede_script_options *so, int verbose) {
    if (!n) {
        fprintf(stderr, "lede pack: test needs a pack folder\n");
        return 2;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) rc |= test_one(dirs[i], so, verbose);
    return rc;
}
