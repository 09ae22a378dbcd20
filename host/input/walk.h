/* Input paths -> files: directories are walked recursively, in name order so runs repeat. */
#ifndef LEDE_INPUT_WALK_H
#define LEDE_INPUT_WALK_H

#include <stddef.h>

/* Called for every file (or "-" for stdin); named is 1 for a path given by the caller, 0 for a
 * file found inside a directory (globs apply to those only). Return non-zero to stop the walk. */
typedef int (*lede_walk_fn)(void *ud, const char *path, int named);
/* Called for a path that cannot be read (missing, unreadable directory); the walk goes on. */
typedef void (*lede_walk_err_fn)(void *ud, const char *path, const char *message);

/* Walks path: a file, "-", or a directory (hidden entries are skipped). Returns the callback's
 * non-zero value if it stopped the walk, else 0. */
int lede_walk(const char *path, lede_walk_fn fn, lede_walk_err_fn on_error, void *ud);

#endif
