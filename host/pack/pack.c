/* Packs on disk (pack.h): resolution, bundles, install. */
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "sandbox/sandbox.h"
#include "util/buf.h"
#include "util/sha256.h"

const char *lede_pack_path(const char *pack_path, char *buf, size_t n) {
    const char *env = getenv("LEDE_PACK_PATH"), *home = getenv("HOME");
    if (pack_path && *pack_path)
        snprintf(buf, n, "%s", pack_path);
    else if (env && *env)
        snprintf(buf, n, "%s", env);
    else
        snprintf(buf, n, "%s/.local/share/lede/packs", home && *home ? home : ".");
    return buf;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* mkdir -p */
static int mkdirs(const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int lede_rmtree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return unlink(dir) == 0 || errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rc |= lede_rmtree(p);
        else
            rc |= unlink(p);
    }
    closedir(d);
    return rc | rmdir(dir);
}

/* ---- semantic versions ----------------------------------------------------------------------- */
int lede_semver_cmp(const char *a, const char *b) {
    unsigned long x[3] = {0}, y[3] = {0};
    char *e;
    const char *pa = a, *pb = b;
    for (int i = 0; i < 3; i++) {
        x[i] = strtoul(pa, &e, 10);
        pa = *e == '.' ? e + 1 : e;
        y[i] = strtoul(pb, &e, 10);
        pb = *e == '.' ? e + 1 : e;
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    int prea = *pa == '-', preb = *pb == '-'; /* a pre-release sorts before its release */
    if (prea != preb) return prea ? -1 : 1;
    return strcmp(pa, pb);
}

/* ---- bundles --------------------------------------------------------------------------------- */
int lede_bundle_is(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[sizeof LEDE_BUNDLE_MAGIC] = {0};
    size_t n = fread(head, 1, sizeof LEDE_BUNDLE_MAGIC - 1, f);
    fclose(f);
    return n == sizeof LEDE_BUNDLE_MAGIC - 1 && !memcmp(head, LEDE_BUNDLE_MAGIC, n);
}

static int read_all(const char *path, size_t max, lede_buf *b, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) return snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno)), -1;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b->len + n > max) {
            snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
            rc = -1;
            break;
        }
        if (lede_buf_append(b, chunk, n) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
    }
    if (!rc && ferror(f)) rc = (snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno)), -1);
    fclose(f);
    return rc;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The relative paths of regular files under root/rel, sorted, hidden names and bundles left out. */
static int list_files(const char *root, const char *rel, char ***out, size_t *n, char *err, size_t errlen) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d) return snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno)), -1;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || (len > 9 && !strcmp(e->d_name + len - 9, ".ledepack"))) continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) break;
            names = p;
        }
        names[nn] = malloc(strlen(rel) + len + 2);
        if (!names[nn]) break;
        sprintf(names[nn++], "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < nn; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        if (!rc && is_dir(p)) {
            rc = list_files(root, names[i], out, n, err, errlen);
        } else if (!rc && is_file(p)) {
            if (*n >= LEDE_PACK_MAX_FILES) {
                rc = (snprintf(err, errlen, "%s: more than %u files", root, LEDE_PACK_MAX_FILES), -1);
            } else {
                char **q = realloc(*out, (*n + 1) * sizeof *q);
                if (!q) rc = (snprintf(err, errlen, "out of memory"), -1);
                else {
                    *out = q;
                    (*out)[(*n)++] = names[i];
                    names[i] = NULL;
                }
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int add_file(lede_buf *b, const char *root, const char *rel, char *err, size_t errlen) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    lede_buf body;
    lede_buf_init(&body);
    if (read_all(p, LEDE_PACK_MAX_FILE_BYTES, &body, err, errlen) != 0) return lede_buf_free(&body), -1;
    lede_sha256 h;
    char hex[65];
    lede_sha256_init(&h);
    lede_sha256_update(&h, body.data ? body.data : "", body.len);
    lede_sha256_hex(&h, hex);
    int rc = lede_buf_printf(b, "file %zu %s %s\n", body.len, hex, rel) || lede_buf_append(b, body.data ? body.data : "", body.len) ||
             lede_buf_putc(b, '\n');
    lede_buf_free(&body);
    return rc ? (snprintf(err, errlen, "out of memory"), -1) : 0;
}

int lede_bundle_write(const char *dir, const char *name, const char *version, const char *out_path, char *err,
                      size_t errlen) {
    char **files = NULL;
    size_t n = 0;
    int rc = list_files(dir, "", &files, &n, err, errlen);
    lede_buf b;
    lede_buf_init(&b);
    if (!rc && lede_buf_printf(&b, "%spack %s %s\n", LEDE_BUNDLE_MAGIC, name, version))
        rc = (snprintf(err, errlen, "out of memory"), -1);
    for (size_t i = 0; i < n; i++) {
        if (!rc) rc = add_file(&b, dir, files[i], err, errlen);
        free(files[i]);
    }
    free(files);
    if (!rc) {
        lede_sha256 h;
        char hex[65];
        lede_sha256_init(&h);
        lede_sha256_update(&h, b.data, b.len);
        lede_sha256_hex(&h, hex);
        lede_buf_printf(&b, "end %s\n", hex);
        FILE *f = fopen(out_path, "wb");
        if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", out_path, strerror(errno));
            rc = -1;
        }
    }
    lede_buf_free(&b);
    return rc;
}

/* A bundle path may only name a file inside the pack. */
static int safe_path(const char *p) {
    if (!*p || *p == '/' || strlen(p) > 1024) return 0;
    for (const char *s = p; *s; s++)
        if (!(*s == '/' || *s == '.' || *s == '_' || *s == '-' || (*s >= '0' && *s <= '9') ||
              (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
            return 0;
    return !strstr(p, "..") && !strstr(p, "//") && p[0] != '.';
}

typedef struct bfile {
    const char *path, *data; /* path NUL-terminated in place */
    size_t len;
} bfile;

/* Parses and verifies the whole bundle; fills files (which point into b). */
static int bundle_parse(lede_buf *b, const char *path, bfile **files, size_t *n, char *err, size_t errlen) {
    char *s = b->data, *end = b->data + b->len;
    size_t ml = sizeof LEDE_BUNDLE_MAGIC - 1;
    if (b->len < ml || memcmp(s, LEDE_BUNDLE_MAGIC, ml)) return snprintf(err, errlen, "%s: not a lede pack bundle", path), -1;
    char *p = memchr(s + ml, '\n', (size_t)(end - s - (long)ml));
    if (!p || strncmp(s + ml, "pack ", 5)) return snprintf(err, errlen, "%s: bundle header damaged", path), -1;
    p++;
    for (;;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return snprintf(err, errlen, "%s: bundle truncated (no end line)", path), -1;
        if (!strncmp(p, "end ", 4)) {
            lede_sha256 h;
            char hex[65];
            lede_sha256_init(&h);
            lede_sha256_update(&h, s, (size_t)(p - s));
            lede_sha256_hex(&h, hex);
            if ((size_t)(nl - p - 4) != 64 || memcmp(p + 4, hex, 64))
                return snprintf(err, errlen, "%s: bundle hash mismatch: the bundle was changed after it was made", path), -1;
            return 0;
        }
        size_t len;
        char hexf[65] = {0};
        int off = 0;
        *nl = 0;
        if (sscanf(p, "file %zu %64[0-9a-f] %n", &len, hexf, &off) != 2 || !off || !safe_path(p + off) ||
            len > (size_t)(end - nl - 1) || nl[1 + len] != '\n' || *n >= LEDE_PACK_MAX_FILES)
            return snprintf(err, errlen, "%s: bundle entry damaged near byte %ld", path, (long)(p - s)), -1;
        lede_sha256 h;
        char hex[65];
        lede_sha256_init(&h);
        lede_sha256_update(&h, nl + 1, len);
        lede_sha256_hex(&h, hex);
        if (strcmp(hex, hexf)) return snprintf(err, errlen, "%s: %s: file hash mismatch (tampered bundle)", path, p + off), -1;
        bfile *q = realloc(*files, (*n + 1) * sizeof *q);
        if (!q) return snprintf(err, errlen, "out of memory"), -1;
        *files = q;
        (*files)[(*n)++] = (bfile){p + off, nl + 1, len};
        *nl = '\n'; /* restore: the end hash covers these bytes */
        p = nl + 1 + len + 1;
    }
}

static int write_file(const char *dest, const bfile *f, char *err, size_t errlen) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%.*s", dest, (int)strcspn(f->path, "\n"), f->path);
    char *slash = strrchr(p, '/');
    *slash = 0;
    if (mkdirs(p) != 0) return snprintf(err, errlen, "cannot create %s: %s", p, strerror(errno)), -1;
    *slash = '/';
    FILE *o = fopen(p, "wb");
    if (!o || fwrite(f->data, 1, f->len, o) != f->len || fclose(o) != 0)
        return snprintf(err, errlen, "cannot write %s: %s", p, strerror(errno)), -1;
    return 0;
}

int lede_bundle_extract(const char *path, const char *dest, char *err, size_t errlen) {
    lede_buf b;
    lede_buf_init(&b);
    bfile *files = NULL;
    size_t n = 0;
    int rc = read_all(path, LEDE_PACK_MAX_BUNDLE_BYTES, &b, err, errlen);
    if (!rc) rc = bundle_parse(&b, path, &files, &n, err, errlen);
    for (size_t i = 0; !rc && i < n; i++) rc = write_file(dest, &files[i], err, errlen);
    free(files);
    lede_buf_free(&b);
    return rc;
}

/* ---- resolution ------------------------------------------------------------------------------- */
static int valid_name(const char *s, size_t n) {
    if (!n || !(s[0] >= 'a' && s[0] <= 'z')) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-')) return 0;
    return 1;
}

/* PACK_PATH/name/<highest version, or exactly version>; 0 when none (or the path is too long) */
static int find_installed(const char *root, const char *name, const char *version, char *out, size_t n) {
    char dir[4096], m[4200];
    if (snprintf(dir, sizeof dir, "%s/%s", root, name) >= (int)sizeof dir) return 0;
    if (version) {
        if (snprintf(out, n, "%s/%s", dir, version) >= (int)n) return 0;
        if (snprintf(m, sizeof m, "%s/pack.lua", out) >= (int)sizeof m) return 0;
        return is_file(m);
    }
    DIR *d = opendir(dir);
    if (!d) return 0;
    char best[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof best) continue;
        if (!*best || lede_semver_cmp(e->d_name, best) > 0) memcpy(best, e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    if (!*best) return 0;
    return snprintf(out, n, "%s/%s", dir, best) < (int)n;
}

static int unpack_bundle(const char *spec, lede_pack_src *out, char *err, size_t errlen) {
    const char *tmp = getenv("TMPDIR");
    char t[4096];
    snprintf(t, sizeof t, "%s/lede-pack.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t)) return snprintf(err, errlen, "cannot create a temporary folder: %s", strerror(errno)), -1;
    out->tmpdir = strdup(t);
    out->dir = strdup(t);
    if (!out->dir || !out->tmpdir) return snprintf(err, errlen, "out of memory"), -1;
    return lede_bundle_extract(spec, t, err, errlen);
}

int lede_pack_resolve(const char *spec, const char *pack_path, lede_pack_src *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    char p[4200];
    if (is_dir(spec)) {
        snprintf(p, sizeof p, "%s/pack.lua", spec);
        if (!is_file(p)) return snprintf(err, errlen, "%s: a folder without pack.lua is not a pack", spec), -1;
        char *real = realpath(spec, NULL);
        out->dir = real ? real : strdup(spec);
        return out->dir ? 1 : (snprintf(err, errlen, "out of memory"), -1);
    }
    if (is_file(spec)) {
        if (!lede_bundle_is(spec)) return 0;
        if (unpack_bundle(spec, out, err, errlen) != 0) return lede_pack_src_free(out), -1;
        return 1;
    }
    const char *at = strchr(spec, '@');
    size_t nl = at ? (size_t)(at - spec) : strlen(spec);
    if (!valid_name(spec, nl)) return 0;
    char name[256], root[4096], dir[4096];
    snprintf(name, sizeof name, "%.*s", (int)nl, spec);
    lede_pack_path(pack_path, root, sizeof root);
    if (!find_installed(root, name, at ? at + 1 : NULL, dir, sizeof dir))
        return snprintf(err, errlen, "no pack '%s' installed in %s (and no such file)", spec, root), -1;
    out->dir = strdup(dir);
    return out->dir ? 1 : (snprintf(err, errlen, "out of memory"), -1);
}

void lede_pack_src_free(lede_pack_src *src) {
    if (src->tmpdir) lede_rmtree(src->tmpdir);
    free(src->tmpdir);
    free(src->dir);
    src->tmpdir = src->dir = NULL;
}

/* ---- install ---------------------------------------------------------------------------------- */
int lede_pack_install(const char *src, const char *name, const char *version, const char *pack_path, int force,
                      char **installed, char *err, size_t errlen) {
    char root[4096], dest[4400], tmpb[4500];
    lede_pack_path(pack_path, root, sizeof root);
    snprintf(dest, sizeof dest, "%s/%s/%s", root, name, version);
    *installed = NULL;
    if (is_dir(dest)) {
        if (!force) return snprintf(err, errlen, "%s %s is already installed in %s (use --force to replace it)", name, version, dest), -1;
        if (lede_rmtree(dest) != 0) return snprintf(err, errlen, "cannot remove %s: %s", dest, strerror(errno)), -1;
    }
    if (mkdirs(dest) != 0) return snprintf(err, errlen, "cannot create %s: %s", dest, strerror(errno)), -1;
    int rc;
    if (lede_bundle_is(src)) {
        rc = lede_bundle_extract(src, dest, err, errlen);
    } else { /* a folder: through a bundle, so both paths copy exactly the same files */
        snprintf(tmpb, sizeof tmpb, "%s/.install-%ld.ledepack", root, (long)getpid());
        rc = lede_bundle_write(src, name, version, tmpb, err, errlen);
        if (!rc) rc = lede_bundle_extract(tmpb, dest, err, errlen);
        unlink(tmpb);
    }
    if (rc) {
        lede_rmtree(dest);
        return -1;
    }
    *installed = strdup(dest);
    return 0;
}

/* ---- manifest info ---------------------------------------------------------------------------- */
static char *dup_field(lua_State *L, const char *k) {
    lua_getfield(L, -1, k);
    const char *s = lua_tostring(L, -1);
    char *d = s ? strdup(s) : NULL;
    lua_pop(L, 1);
    return d;
}

int lede_pack_info_read(const char *dir, lede_pack_info *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    lede_sb_limits lim = lede_sb_limits_make(0, 0, 0, 0);
    lua_State *L = lede_sb_new_state(&lim);
    if (!L) return snprintf(err, errlen, "out of memory"), -1;
    int rc = -1;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lede._pack");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        snprintf(err, errlen, "%s", lua_tostring(L, -1));
        goto done;
    }
    lua_getfield(L, -1, "read_manifest");
    lua_pushstring(L, dir);
    if (lede_sb_call(L, 1, 2, err, errlen) != 0) goto done;
    if (lua_rawlen(L, -1) > 0 || !lua_istable(L, -2)) {
        lua_rawgeti(L, -1, 1);
        snprintf(err, errlen, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "bad manifest");
        goto done;
    }
    lua_pop(L, 1);
    out->name = dup_field(L, "name");
    out->version = dup_field(L, "version");
    out->description = dup_field(L, "description");
    out->tests = dup_field(L, "tests");
    rc = out->name && out->version ? 0 : (snprintf(err, errlen, "out of memory"), -1);
done:
    lede_sb_close(L);
    return rc;
}

void lede_pack_info_free(lede_pack_info *info) {
    free(info->name);
    free(info->version);
    free(info->description);
    free(info->tests);
    memset(info, 0, sizeof *info);
}
