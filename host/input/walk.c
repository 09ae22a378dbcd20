#include "input/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const char *path, lede_walk_fn fn, lede_walk_err_fn on_error, void *ud, int depth) {
    if (depth > 64) {
        if (on_error) on_error(ud, path, "directories nested too deeply (a symlink loop?)");
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        if (on_error) on_error(ud, path, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) break;
            names = p;
        }
        names[n] = strdup(e->d_name);
        if (names[n]) n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            size_t len = strlen(path) + strlen(names[i]) + 2;
            char *child = malloc(len);
            if (child) {
                snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
                struct stat st;
                if (stat(child, &st) != 0) {
                    if (on_error) on_error(ud, child, strerror(errno));
                } else if (S_ISDIR(st.st_mode)) {
                    rc = walk_dir(child, fn, on_error, ud, depth + 1);
                } else if (S_ISREG(st.st_mode)) {
                    rc = fn(ud, child, 0);
                }
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int lede_walk(const char *path, lede_walk_fn fn, lede_walk_err_fn on_error, void *ud) {
    if (strcmp(path, "-") == 0) return fn(ud, path, 1);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (on_error) on_error(ud, path, strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) return walk_dir(path, fn, on_error, ud, 0);
    return fn(ud, path, 1);
}
