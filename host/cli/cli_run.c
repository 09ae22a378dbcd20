/* lede run SCRIPT INPUT...: on_article(a) for every article of every input, in parallel workers;
 * records go to JSONL (default), CSV or SQLite. The pipeline lives in run/job.c; this file turns
 * the command line into its options and its reports into messages. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lede.h"
#include "output/sink.h"
#include "run/job.h"

#define EXIT_INTERRUPTED 130 /* 128 + SIGINT, as shells report it; SIGTERM gives 143 */

typedef struct {
    const char *out_path;
    const char *out_format;   /* jsonl, csv, sqlite; NULL = from the -o extension */
    const char *input_format; /* force a parser for every input */
    const char **args, **include, **exclude;
    size_t n_args, n_include, n_exclude;
    char **inputs;
    size_t n_inputs;
    int jobs, ordered, keep_duplicates, resume, quiet, progress;
    unsigned shard_k, shard_n;
    size_t max_bytes;
    unsigned max_dom_depth;
    lede_script_options script; /* filled from the options above */
} run_opts;

static int is_input_format(const char *f) {
    static const char *const known[] = {"html", "xhtml", "feed", "xml", "rss", "atom", "text", "txt",
                                        "markdown", "md", "json"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(f, known[i])) return 1;
    return 0;
}

static int parse_shard(const char *s, run_opts *o) {
    char *end;
    unsigned long k = strtoul(s, &end, 10), n;
    if (end == s || *end != '/') return -1;
    n = strtoul(end + 1, &end, 10);
    if (*end || n == 0 || k == 0 || k > n || n > 1000000) return -1;
    o->shard_k = (unsigned)k;
    o->shard_n = (unsigned)n;
    return 0;
}

/* Every option of `lede run`, in one place. */
static int parse_args(int argc, char **argv, run_opts *o, const char **script) {
    *script = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int sb;
#define NEEDS_VALUE()                                                                     \
    do {                                                                                  \
        if (!v) return cli_usage_error("run", "%s needs a value", a);                    \
        i++;                                                                              \
    } while (0)
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            NEEDS_VALUE();
            o->out_path = v;
        } else if (!strcmp(a, "--format")) {
            NEEDS_VALUE();
            /* --format once named the input format; those values still mean that */
            if (is_input_format(v)) o->input_format = v;
            else if (!strcmp(v, "jsonl") || !strcmp(v, "csv") || !strcmp(v, "sqlite")) o->out_format = v;
            else return cli_usage_error("run", "--format: unknown format '%s' (jsonl, csv, sqlite)", v);
        } else if (!strcmp(a, "--input-format")) {
            NEEDS_VALUE();
            o->input_format = v;
        } else if (!strcmp(a, "--arg") || !strcmp(a, "-a")) {
            if (!v || !strchr(v, '=')) return cli_usage_error("run", "--arg needs KEY=VALUE");
            o->args[o->n_args++] = argv[++i];
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            NEEDS_VALUE();
            o->jobs = atoi(v);
            if (o->jobs < 1 || o->jobs > 256) return cli_usage_error("run", "-j needs a number from 1 to 256");
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            o->jobs = atoi(a + 2);
            if (o->jobs < 1 || o->jobs > 256) return cli_usage_error("run", "-j needs a number from 1 to 256");
        } else if (!strcmp(a, "--include")) {
            NEEDS_VALUE();
            o->include[o->n_include++] = v;
        } else if (!strcmp(a, "--exclude")) {
            NEEDS_VALUE();
            o->exclude[o->n_exclude++] = v;
        } else if (!strcmp(a, "--shard")) {
            NEEDS_VALUE();
            if (parse_shard(v, o) != 0) return cli_usage_error("run", "--shard needs K/N with 1 <= K <= N");
        } else if ((sb = cli_input_limit_option("run", a, v, &o->max_bytes, &o->max_dom_depth)) != 0) {
            if (sb < 0) return EXIT_USAGE; /* reported */
            i += sb - 1;
        } else if (!strcmp(a, "--ordered")) {
            o->ordered = 1;
        } else if (!strcmp(a, "--keep-duplicates")) {
            o->keep_duplicates = 1;
        } else if (!strcmp(a, "--resume")) {
            o->resume = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--progress")) {
            o->progress = 1;
        } else if ((sb = cli_sandbox_option("run", a, v, &o->script)) != 0) {
            if (sb < 0) return EXIT_USAGE; /* reported */
            i += sb - 1;
        } else if (a[0] == '-' && a[1] && strcmp(a, "--")) {
            return cli_usage_error("run", "unknown option '%s'", a);
        } else if (!*script && strcmp(a, "--")) {
            *script = a;
        } else if (strcmp(a, "--")) {
            o->inputs[o->n_inputs++] = argv[i];
        }
#undef NEEDS_VALUE
    }
    if (!*script) return cli_usage_error("run", "missing SCRIPT");
    if (!o->n_inputs) return cli_usage_error("run", "missing INPUT (a file, a directory, or - for stdin)");
    o->script.args = o->args;
    o->script.n_args = o->n_args;
    return 0;
}

static const char *out_format(const run_opts *o) {
    if (o->out_format) return o->out_format;
    const char *dot = o->out_path ? strrchr(o->out_path, '.') : NULL;
    if (dot && (!strcasecmp(dot, ".sqlite") || !strcasecmp(dot, ".sqlite3") || !strcasecmp(dot, ".db")))
        return "sqlite";
    if (dot && !strcasecmp(dot, ".csv")) return "csv";
    return "jsonl";
}

/* ---- reports ------------------------------------------------------------------------------ */
typedef struct {
    int progress_shown;
} cli_state;

static void clear_progress(cli_state *c) {
    if (c->progress_shown) fputs("\r\033[K", stderr);
    c->progress_shown = 0;
}

static void on_error(void *ud, const char *label, const char *message) {
    clear_progress(ud);
    fprintf(stderr, "lede run: %s: %s\n", label, message);
}

static void on_progress(void *ud, const char *line) {
    cli_state *c = ud;
    fprintf(stderr, "\r%s\033[K", line);
    c->progress_shown = 1;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

/* The first SIGINT/SIGTERM lets in-flight articles finish; a second one kills (SA_RESETHAND). */
static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* past a file-size limit (ulimit -f) the write fails with EFBIG instead of the signal
     * killing lede silently: the output error is then reported like a full disk (exit 3) */
    signal(SIGXFSZ, SIG_IGN);
}

static void summary(const lede_job_stats *st) {
    uint64_t skipped = st->duplicates + st->other_shard + st->resumed + st->skipped;
    fprintf(stderr, "lede run: %llu inputs, %llu articles, %llu records, %llu errors, %llu skipped in %.2f s",
            (unsigned long long)st->files, (unsigned long long)st->articles, (unsigned long long)st->records,
            (unsigned long long)st->errors, (unsigned long long)skipped, st->seconds);
    if (skipped)
        fprintf(stderr, " (%llu duplicates, %llu in other shards, %llu inputs done before, %llu non-documents)",
                (unsigned long long)st->duplicates, (unsigned long long)st->other_shard,
                (unsigned long long)st->resumed, (unsigned long long)st->skipped);
    if (st->interrupted) fputs(" - interrupted", stderr);
    fputc('\n', stderr);
}

/* ---- sinks ---------------------------------------------------------------------------------- */
static char *command_line(int argc, char **argv) {
    size_t n = 16;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    strcpy(s, "lede");
    for (int i = 0; i < argc; i++) strcat(strcat(s, " "), argv[i]);
    return s;
}

static const char *base_name(const char *p) {
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') n--; /* a pack folder given as "sanctions/" */
    const char *s = p + n;
    while (s > p && s[-1] != '/') s--;
    return s;
}

static lede_sink *open_sink(const run_opts *o, const lede_run_info *info, lede_u64map *done, lede_u64map *firsts,
                            char *err, size_t errlen) {
    const char *fmt = out_format(o);
    int to_stdout = !o->out_path || !strcmp(o->out_path, "-");
    if (!strcmp(fmt, "sqlite")) {
        if (to_stdout) {
            snprintf(err, errlen, "SQLite output needs a file: -o results.sqlite");
            return NULL;
        }
        lede_sink *s = lede_sink_sqlite(o->out_path, info, o->resume, done, firsts, err, errlen);
        if (!s) {
            char tmp[1024];
            snprintf(tmp, sizeof tmp, "%s", err);
            snprintf(err, errlen, "cannot write %s: %s", o->out_path, tmp);
        }
        return s;
    }
    int fd = to_stdout ? STDOUT_FILENO : open(o->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", o->out_path, strerror(errno));
        return NULL;
    }
    lede_sink *s = !strcmp(fmt, "csv") ? lede_sink_csv(fd, !to_stdout, err, errlen) : lede_sink_jsonl(fd, !to_stdout);
    if (!s && !to_stdout) close(fd);
    if (!s && !err[0]) snprintf(err, errlen, "out of memory");
    return s;
}

static int default_jobs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int run_job(run_opts *o, const char *script_path, int argc, char **argv) {
    char err[8192] = "";
    if (o->resume && strcmp(out_format(o), "sqlite")) {
        return cli_usage_error("run", "--resume needs SQLite output (-o results.sqlite): only there is every "
                                      "article's completion recorded with its results");
    }
    char *cmd = command_line(argc, argv);
    lede_run_info info = {cmd, base_name(script_path), lede_version()};
    lede_u64map done, firsts;
    lede_u64map_init(&done);
    lede_u64map_init(&firsts);
    cli_state cs = {0};
    lede_job_opts jo = {.inputs = o->inputs, .n_inputs = o->n_inputs, .script_path = script_path,
                        .script_opts = &o->script, .workers = o->jobs ? o->jobs : default_jobs(),
                        .ordered = o->ordered, .keep_duplicates = o->keep_duplicates, .shard_k = o->shard_k,
                        .shard_n = o->shard_n, .done = &done, .firsts = &firsts, .stop = &stop_signal,
                        .ud = &cs, .on_error = on_error};
    jo.sources = (lede_source_opts){.format = o->input_format, .max_bytes = o->max_bytes, .include = o->include,
                                    .exclude = o->exclude, .n_include = o->n_include, .n_exclude = o->n_exclude,
                                    .max_dom_depth = o->max_dom_depth};
    if (!o->quiet && (o->progress || isatty(STDERR_FILENO))) {
        jo.on_progress = on_progress;
        jo.total_bytes = lede_sources_total_bytes(o->inputs, o->n_inputs, &jo.sources);
    }
    int rc;
    catch_signals(); /* from the start: a signal during set-up still ends with a summary */
    /* the script is loaded (and its errors reported) before the output is touched */
    lede_script *probe;
    if (lede_script_load(&probe, script_path, &o->script, err, sizeof err) != 0) {
        fprintf(stderr, "lede run: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    lede_script_free(probe);
    if (!(jo.sink = open_sink(o, &info, &done, &firsts, err, sizeof err))) {
        fprintf(stderr, "lede run: %s\n", err);
        rc = EXIT_FATAL;
        goto out;
    }
    lede_job_stats st;
    int jrc = lede_job_run(&jo, &st, err, sizeof err);
    clear_progress(&cs);
    jo.sink->free(jo.sink);
    if (jrc == LEDE_ESCRIPT) {
        fprintf(stderr, "lede run: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    if (jrc != 0)
        fprintf(stderr, "lede run: writing %s failed: %s\n", o->out_path ? o->out_path : "stdout", err);
    summary(&st);
    rc = jrc != 0 ? EXIT_FATAL : st.interrupted ? 128 + (int)stop_signal : st.errors ? EXIT_ERRORS : EXIT_OK;
out:
    free(cmd);
    lede_u64map_free(&done);
    lede_u64map_free(&firsts);
    return rc;
}

static int run(int argc, char **argv) {
    run_opts o = {0};
    o.args = calloc((size_t)argc, sizeof *o.args);
    o.include = calloc((size_t)argc, sizeof *o.include);
    o.exclude = calloc((size_t)argc, sizeof *o.exclude);
    o.inputs = calloc((size_t)argc, sizeof *o.inputs);
    const char *script_path;
    int rc = (o.args && o.include && o.exclude && o.inputs) ? parse_args(argc, argv, &o, &script_path) : EXIT_FATAL;
    if (rc == 0) rc = run_job(&o, script_path, argc, argv);
    free(o.args);
    free(o.include);
    free(o.exclude);
    free(o.inputs);
    return rc;
}

const cli_command cli_run_command = {
    "run",
    "run a script over articles (files, directories, archives, WARC, JSONL) in parallel",
    "Usage: lede run [OPTIONS] SCRIPT|PACK INPUT...\n\n"
    "SCRIPT is a .lua file; PACK is a rule pack: a folder with pack.lua, a .ledepack bundle or\n"
    "an installed NAME[@VERSION] (lede pack list). Each pack record names \"pack\" and \"rule\".\n"
    "Both run sandboxed (docs/packs.md): no files, processes or debug library, and per-call\n"
    "limits; a limit hit fails that call (that rule on that article) and the run goes on.\n\n"
    "Parses every INPUT into articles and calls the script's on_article(a) for each. INPUT is a\n"
    "file, a directory (walked recursively), an archive (tar, tar.gz, tar.zst, zip, 7z), a WARC\n"
    "or WARC.gz crawl, a JSONL file of article records (plain or compressed), or - for stdin.\n"
    "Every emit{...} becomes one record:\n"
    "  {\"input\":{\"path\":...,\"member\":...},\"article\":{\"id\":...,\"url\":...,\"title\":...,\n"
    "   \"published\":...},\"script\":\"name.lua\",\"data\":{...what the script emitted...}}\n"
    "A script may also define on_start() and on_finish(); with several workers each worker has\n"
    "its own Lua state, so they run once per worker (use -j 1 to aggregate in on_finish).\n\n"
    "Output:\n"
    "  -o, --output FILE    write to FILE instead of stdout; .sqlite/.db means SQLite, .csv CSV\n"
    "  --format FMT         jsonl (default), csv (RFC 4180), sqlite (tables runs, inputs, articles,\n"
    "                       records, errors; see docs/batch.md)\n"
    "  --resume             continue an interrupted run into the same SQLite file: inputs stored\n"
    "                       before are skipped, so every article ends up there exactly once\n"
    "  --ordered            write results in input order (default: as workers finish)\n"
    "Work:\n"
    "  -j, --jobs N         worker threads (default: one per core)\n"
    "  --shard K/N          only articles whose id falls in shard K of N (for N machines)\n"
    "  --keep-duplicates    run the script on copies of an already seen body too\n"
    "                       (duplicates are always marked duplicate_of in SQLite)\n"
    "  --include GLOB       only files (found in directories) and archive members matching GLOB\n"
    "  --exclude GLOB       skip those matching GLOB (both repeatable; no '/' = base name)\n"
    "  --input-format FMT   parse every input as FMT: html, feed, text, markdown, json\n"
    "  -a, --arg KEY=VALUE  set args.KEY for the script (repeatable); for a pack\n"
    "                       PACK.KEY=VALUE (docs/packs.md)\n"
    "Input limits (README, \"Limits and exit codes\"):\n"
    CLI_INPUT_LIMITS_HELP
    CLI_SANDBOX_HELP
    "  -q, --quiet          no progress line (it is shown only on a terminal anyway)\n"
    "  --progress           show the progress line even when stderr is not a terminal\n"
    "\n"
    "Errors: a script that fails to load (syntax error: file:line: message) stops the run\n"
    "before any input is read (exit 2). An input, archive member or WARC record that cannot be\n"
    "read or parsed, and an on_article call that raises an error, are reported on stderr with\n"
    "the input's path and member and a traceback (and stored in SQLite's errors table); the run\n"
    "goes on. SIGINT/SIGTERM finish the articles in flight, flush, and print the summary.\n"
    "The summary on stderr counts inputs, articles, records, errors and skipped articles.\n"
    "A limit hit fails that rule (or that on_article call) on that article, with a message\n"
    "naming the limit's flag, the rule and the article (path [member]); the run goes on.\n"
    "Exit status: 0 no errors, 1 some errors, 2 usage or script load, 3 output failed,\n"
    "130/143 interrupted by SIGINT/SIGTERM.\n",
    run,
};
