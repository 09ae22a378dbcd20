/* lede run SCRIPT INPUT...: on_article(a) for every article, emit() records as JSONL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "lede.h"
#include "run/inputs.h"

typedef struct {
    lede_script *script;
    FILE *out;
    const char *out_path;
    int write_failed;
    size_t errors;
} run_ctx;

static int write_record(void *ud, const char *json, size_t len) {
    run_ctx *c = ud;
    if (fwrite(json, 1, len, c->out) != len || fputc('\n', c->out) == EOF) {
        c->write_failed = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static void article_label(const lede_article *a, char *out, size_t n) {
    const char *p = lede_article_field(a, "path"), *m = lede_article_field(a, "member");
    if (p && m)
        snprintf(out, n, "%s [%s]", p, m);
    else
        snprintf(out, n, "%s", p ? p : lede_article_field(a, "id"));
}

static int on_article(void *ud, lede_article *a) {
    run_ctx *c = ud;
    char err[8192];
    if (lede_script_run(c->script, a, write_record, c, err, sizeof err) != 0) {
        if (c->write_failed) return -1;
        char label[1024];
        article_label(a, label, sizeof label);
        fprintf(stderr, "lede run: %s: on_article: %s\n", label, err);
        c->errors++;
    }
    return c->write_failed ? -1 : 0;
}

static void on_input_error(void *ud, const char *path, const char *message) {
    run_ctx *c = ud;
    (void)c;
    fprintf(stderr, "lede run: %s: %s\n", path, message);
}

typedef struct {
    const char *out_path;
    const char *format;
    const char **args;
    size_t n_args;
    char **inputs;
    size_t n_inputs;
} run_opts;

static int parse_args(int argc, char **argv, run_opts *o, const char **script) {
    *script = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc) return cli_usage_error("run", "%s needs a file name", a);
            o->out_path = argv[i];
        } else if (!strcmp(a, "--format")) {
            if (++i >= argc) return cli_usage_error("run", "--format needs a value");
            o->format = argv[i];
        } else if (!strcmp(a, "--arg") || !strcmp(a, "-a")) {
            if (++i >= argc || !strchr(argv[i], '=')) return cli_usage_error("run", "--arg needs KEY=VALUE");
            o->args[o->n_args++] = argv[i];
        } else if (a[0] == '-' && a[1] && strcmp(a, "--")) {
            return cli_usage_error("run", "unknown option '%s'", a);
        } else if (!*script && strcmp(a, "--")) {
            *script = a;
        } else if (strcmp(a, "--")) {
            o->inputs[o->n_inputs++] = argv[i];
        }
    }
    if (!*script) return cli_usage_error("run", "missing SCRIPT");
    if (!o->n_inputs) return cli_usage_error("run", "missing INPUT (a file, a directory, or - for stdin)");
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(int argc, char **argv) {
    run_opts o = {0};
    o.args = calloc((size_t)argc, sizeof *o.args);
    o.inputs = calloc((size_t)argc, sizeof *o.inputs);
    const char *script_path;
    int rc = (o.args && o.inputs) ? parse_args(argc, argv, &o, &script_path) : EXIT_FATAL;
    if (rc != 0) goto done;

    char err[8192];
    lede_script_options so = {o.args, o.n_args};
    run_ctx c = {0};
    if (lede_script_load(&c.script, script_path, &so, err, sizeof err) != 0) {
        fprintf(stderr, "lede run: %s\n", err);
        rc = EXIT_USAGE;
        goto done;
    }
    c.out = stdout;
    if (o.out_path && strcmp(o.out_path, "-")) {
        c.out = fopen(o.out_path, "w");
        if (!c.out) {
            fprintf(stderr, "lede run: cannot write %s: %s\n", o.out_path, strerror(errno));
            lede_script_free(c.script);
            rc = EXIT_FATAL;
            goto done;
        }
    }
    double t0 = now();
    if (lede_script_start(c.script, write_record, &c, err, sizeof err) != 0) {
        fprintf(stderr, "lede run: %s: on_start: %s\n", script_path, err);
        c.errors++;
    }
    lede_inputs_opts io = {o.format, 0};
    lede_inputs_stats st;
    lede_inputs_each(o.inputs, o.n_inputs, &io, on_article, on_input_error, &c, &st);
    if (!c.write_failed && lede_script_finish(c.script, write_record, &c, err, sizeof err) != 0) {
        fprintf(stderr, "lede run: %s: on_finish: %s\n", script_path, err);
        c.errors++;
    }
    if (fflush(c.out) != 0 && !c.write_failed) c.write_failed = errno ? errno : EIO;
    if (c.out != stdout && fclose(c.out) != 0 && !c.write_failed) c.write_failed = errno ? errno : EIO;
    if (c.write_failed)
        fprintf(stderr, "lede run: writing %s failed: %s\n", o.out_path ? o.out_path : "stdout",
                strerror(c.write_failed));
    size_t errors = c.errors + st.failed;
    fprintf(stderr, "lede run: %zu inputs, %zu articles, %zu records, %zu errors in %.2f s\n", st.inputs,
            st.articles, lede_script_records(c.script), errors, now() - t0);
    lede_script_free(c.script);
    rc = c.write_failed ? EXIT_FATAL : errors ? EXIT_ERRORS : EXIT_OK;
done:
    free(o.args);
    free(o.inputs);
    return rc;
}

const cli_command cli_run_command = {
    "run",
    "run a script over articles, writing its records as JSON Lines",
    "Usage: lede run [OPTIONS] SCRIPT INPUT...\n\n"
    "Parses every INPUT (a file, a directory walked recursively, or - for stdin) into articles\n"
    "and calls the script's on_article(a) for each. Every emit{...} becomes one JSON line:\n"
    "  {\"input\":{\"path\":...,\"member\":...},\"article\":{\"id\":...,\"url\":...,\"title\":...,\n"
    "   \"published\":...},\"script\":\"name.lua\",\"data\":{...what the script emitted...}}\n"
    "A script may also define on_start() and on_finish().\n\n"
    "Options:\n"
    "  -o, --output FILE   write records to FILE instead of stdout\n"
    "  --format FMT        read every input as FMT: html, feed, text, markdown, json, jsonl\n"
    "                      (default: detected from content and extension)\n"
    "  -a, --arg KEY=VALUE set args.KEY for the script (repeatable)\n"
    "\n"
    "Errors: a script that fails to load (syntax error: file:line: message) stops the run\n"
    "before any input is read (exit 2). An input that cannot be read or parsed, and an\n"
    "on_article call that raises an error, are reported on stderr with the input's path and a\n"
    "traceback; the run goes on. The summary on stderr counts inputs, articles, records and\n"
    "errors. Exit status: 0 no errors, 1 some errors, 2 usage or script load, 3 output failed.\n",
    run,
};
