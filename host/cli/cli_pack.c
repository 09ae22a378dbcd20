/* lede pack init|check|test|bundle|install|list: authoring, testing and sharing rule packs
 * (docs/packs.md). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/pack_test.h"
#include "lede.h"
#include "pack/pack.h"

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wx"); /* never overwrite an author's file */
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        fprintf(stderr, "lede pack init: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static const char INIT_MANIFEST[] =
    "-- The manifest of pack %s (docs/packs.md).\n"
    "return {\n"
    "  name = \"%s\",\n"
    "  version = \"0.1.0\",\n"
    "  description = \"What this pack finds\",\n"
    "  authors = { \"Your Name\" },\n"
    "  license = \"MIT\",\n"
    "  lede = \">=0.1.0 <1.0.0\",\n"
    "  requires = {},\n"
    "  args = {\n"
    "    min_words = { default = 4, description = \"ignore sentences shorter than this\" },\n"
    "  },\n"
    "  data = { \"data/terms.txt\" },\n"
    "  rules = { \"rules/main.lua\" },\n"
    "}\n";

static const char INIT_RULES[] =
    "-- Rules are data: what to match, and a small function that turns a match into a record.\n"
    "rule{\n"
    "  id = \"term-mention\",\n"
    "  description = \"a sentence naming one of the terms in data/terms.txt\",\n"
    "  scope = \"sentence\",\n"
    "  match = all{ term = phrases \"data/terms.txt\" },\n"
    "  extract = function(m, a)\n"
    "    local n = select(2, m.text:gsub(\"%S+\", \"\"))\n"
    "    if n < args.min_words then return nil end\n"
    "    return { term = m:hit(\"term\").label, sentence = m.text }\n"
    "  end,\n"
    "}\n";

static const char INIT_TERMS[] = "# phrase<TAB>label<TAB>alias...\nexample term\tExample\texample terms\n";

static const char INIT_FIXTURE[] =
    "A test article\n\n"
    "<!-- ruleid: term-mention -->\n"
    "This sentence names an example term and is long enough.\n\n"
    "<!-- ok: term-mention -->\n"
    "This one names nothing at all.\n";

static int pack_init(int argc, char **argv) {
    if (argc < 2) return cli_usage_error("pack", "init needs NAME");
    const char *name = argv[1], *dir = argc > 2 ? argv[2] : argv[1];
    if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name) || !(name[0] >= 'a' && name[0] <= 'z'))
        return cli_usage_error("pack", "NAME must be lower-case letters, digits, '_' or '-'");
    char p[4096], text[2048];
    const char *subdirs[] = {"", "/rules", "/data", "/tests"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", dir, subdirs[i]);
        if (mkdir(p, 0755) != 0 && !(errno == EEXIST && i > 0)) {
            fprintf(stderr, "lede pack init: cannot create %s: %s\n", p, strerror(errno));
            return EXIT_ERRORS;
        }
    }
    snprintf(text, sizeof text, INIT_MANIFEST, name, name);
    int rc = 0;
    snprintf(p, sizeof p, "%s/pack.lua", dir);
    rc |= write_text(p, text);
    snprintf(p, sizeof p, "%s/rules/main.lua", dir);
    rc |= write_text(p, INIT_RULES);
    snprintf(p, sizeof p, "%s/data/terms.txt", dir);
    rc |= write_text(p, INIT_TERMS);
    snprintf(p, sizeof p, "%s/tests/example.txt", dir);
    rc |= write_text(p, INIT_FIXTURE);
    if (rc) return EXIT_ERRORS;
    printf("created pack %s in %s/\nnext: lede pack check %s && lede pack test %s\n", name, dir, dir, dir);
    return EXIT_OK;
}

/* Options common to the subcommands; argv[0] is the subcommand. Positional args go to pos. */
typedef struct pack_opts {
    lede_script_options so;
    const char **args;
    size_t n_args;
    const char *out;
    int force, verbose;
    char **pos;
    size_t npos;
} pack_opts;

static int parse(int argc, char **argv, pack_opts *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int sb = cli_sandbox_option("pack", a, v, &o->so);
        if (sb < 0) return EXIT_USAGE;
        if (sb > 0) {
            i += sb - 1;
        } else if (!strcmp(a, "-a") || !strcmp(a, "--arg")) {
            if (!v || !strchr(v, '=')) return cli_usage_error("pack", "--arg needs KEY=VALUE");
            o->args[o->n_args++] = argv[++i];
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v) return cli_usage_error("pack", "%s needs a file name", a);
            o->out = argv[++i];
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("pack", "unknown option '%s'", a);
        } else {
            o->pos[o->npos++] = argv[i];
        }
    }
    o->so.args = o->args;
    o->so.n_args = o->n_args;
    return 0;
}

/* Loads the pack (everything `check` verifies); prints the errors. */
static int check_one(const char *spec, pack_opts *o) {
    lede_script *s;
    char err[16384];
    if (lede_script_load(&s, spec, &o->so, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_ERRORS;
    }
    printf("%s: ok, %s with %zu rules\n", spec, lede_script_name(s), lede_script_rules(s));
    lede_script_free(s);
    return EXIT_OK;
}

static int pack_check(pack_opts *o) {
    if (!o->npos) return cli_usage_error("pack", "check needs a pack folder");
    int rc = EXIT_OK;
    for (size_t i = 0; i < o->npos; i++)
        if (check_one(o->pos[i], o) != EXIT_OK) rc = EXIT_ERRORS;
    return rc;
}

/* The folder and manifest of a pack given as a folder or a bundle. */
static int open_src(const char *spec, lede_pack_src *src, lede_pack_info *info) {
    char err[4096];
    struct stat st;
    if (stat(spec, &st) != 0) {
        fprintf(stderr, "lede pack: %s: %s\n", spec, strerror(errno));
        return -1;
    }
    int r = lede_pack_resolve(spec, NULL, src, err, sizeof err);
    if (r <= 0) {
        fprintf(stderr, "lede pack: %s\n", r < 0 ? err : "not a pack folder or bundle");
        return -1;
    }
    if (lede_pack_info_read(src->dir, info, err, sizeof err) != 0) {
        fprintf(stderr, "lede pack: %s\n", err);
        lede_pack_src_free(src);
        return -1;
    }
    return 0;
}

static int pack_bundle(pack_opts *o) {
    if (o->npos != 1) return cli_usage_error("pack", "bundle needs one pack folder");
    if (check_one(o->pos[0], o) != EXIT_OK) return EXIT_ERRORS; /* never ship a broken pack */
    lede_pack_src src;
    lede_pack_info info;
    if (open_src(o->pos[0], &src, &info) != 0) return EXIT_ERRORS;
    char out[4096], err[4096];
    if (o->out)
        snprintf(out, sizeof out, "%s", o->out);
    else
        snprintf(out, sizeof out, "%s-%s.ledepack", info.name, info.version);
    int rc = lede_bundle_write(src.dir, info.name, info.version, out, err, sizeof err);
    if (rc)
        fprintf(stderr, "lede pack bundle: %s\n", err);
    else
        printf("wrote %s (%s@%s)\n", out, info.name, info.version);
    lede_pack_info_free(&info);
    lede_pack_src_free(&src);
    return rc ? EXIT_ERRORS : EXIT_OK;
}

static int pack_install(pack_opts *o) {
    if (o->npos != 1) return cli_usage_error("pack", "install needs one pack folder or bundle");
    lede_pack_src src;
    lede_pack_info info;
    if (open_src(o->pos[0], &src, &info) != 0) return EXIT_ERRORS;
    int rc = check_one(src.dir, o);
    char err[4096], *installed = NULL;
    if (rc == EXIT_OK &&
        lede_pack_install(o->pos[0], info.name, info.version, o->so.pack_path, o->force, &installed, err, sizeof err)) {
        fprintf(stderr, "lede pack install: %s\n", err);
        rc = EXIT_ERRORS;
    }
    if (installed) printf("installed %s@%s in %s\n", info.name, info.version, installed);
    free(installed);
    lede_pack_info_free(&info);
    lede_pack_src_free(&src);
    return rc;
}

static int list_versions(const char *root, const char *name) {
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/%s", root, name) >= (int)sizeof dir) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char p[4400], err[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        lede_pack_info info;
        if (lede_pack_info_read(p, &info, err, sizeof err) != 0) {
            printf("%-20s %-10s (broken: %s)\n", name, e->d_name, err);
            continue;
        }
        printf("%-20s %-10s %s\n", info.name, info.version, info.description ? info.description : "");
        lede_pack_info_free(&info);
        n++;
    }
    closedir(d);
    return n;
}

static int pack_list(pack_opts *o) {
    char root[4096];
    lede_pack_path(o->so.pack_path, root, sizeof root);
    DIR *d = opendir(root);
    int n = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') n += list_versions(root, e->d_name);
        closedir(d);
    }
    fprintf(stderr, "%d packs installed in %s\n", n, root);
    return EXIT_OK;
}

static int run_pack(int argc, char **argv) {
    if (argc < 2) return cli_usage_error("pack", "missing SUBCOMMAND (init, check, test, bundle, install, list)");
    const char *sub = argv[1];
    if (!strcmp(sub, "init")) return pack_init(argc - 1, argv + 1);
    pack_opts o = {0};
    o.args = calloc((size_t)argc, sizeof *o.args);
    o.pos = calloc((size_t)argc, sizeof *o.pos);
    int rc = o.args && o.pos ? parse(argc - 1, argv + 1, &o) : EXIT_FATAL;
    if (rc == 0) {
        if (!strcmp(sub, "check")) rc = pack_check(&o);
        else if (!strcmp(sub, "test")) rc = cli_pack_test(o.pos, o.npos, &o.so, o.verbose);
        else if (!strcmp(sub, "bundle")) rc = pack_bundle(&o);
        else if (!strcmp(sub, "install")) rc = pack_install(&o);
        else if (!strcmp(sub, "list")) rc = pack_list(&o);
        else rc = cli_usage_error("pack", "unknown subcommand '%s'", sub);
    }
    free(o.args);
    free(o.pos);
    return rc;
}

const cli_command cli_pack_command = {
    "pack",
    "create, check, test, bundle, install and list rule packs",
    "Usage: lede pack init NAME [DIR]      a new pack with a manifest, a rule, data and a test\n"
    "       lede pack check DIR...          load every rule; report unknown manifest fields,\n"
    "                                       duplicate rule ids, bad patterns, unknown requirements\n"
    "                                       (each with file:line); exit 1 on any\n"
    "       lede pack test DIR... [-v]      run the fixtures in DIR/tests (docs/packs.md): per rule\n"
    "                                       true and false positives and misses; exit 1 on any\n"
    "                                       unexpected result\n"
    "       lede pack bundle DIR [-o FILE]  one file to send (NAME-VERSION.ledepack), hashed\n"
    "       lede pack install FILE|DIR [--force]  into the pack path, as NAME/VERSION\n"
    "       lede pack list                  installed packs\n\n"
    "Options: -a, --arg PACK.KEY=VALUE (check, test), --pack-path DIR, and the limits below.\n"
    "An installed pack runs with `lede run NAME[@VERSION] INPUT...`.\n\n" CLI_SANDBOX_HELP,
    run_pack,
};
