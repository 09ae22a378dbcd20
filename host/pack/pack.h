/* Packs on disk: finding one (a folder, a bundle, an installed name[@version]), the bundle
 * format (one file to send, with a hash that a tampered copy fails), install and list.
 * Manifests themselves are read by the trusted Lua loader (stdlib/lede/_pack.lua). */
#ifndef LEDE_PACK_PACK_H
#define LEDE_PACK_PACK_H

#include <stddef.h>

/* A pack ready to load: its folder, and the temporary folder a bundle was unpacked into
 * (removed by lede_pack_src_free), if any. */
typedef struct lede_pack_src {
    char *dir;
    char *tmpdir;
} lede_pack_src;

/* The installed-pack folder: pack_path if given, else $LEDE_PACK_PATH, else
 * $HOME/.local/share/lede/packs. Writes it into buf. */
const char *lede_pack_path(const char *pack_path, char *buf, size_t n);

/* What spec names: 1 = a pack (out filled), 0 = not a pack (a script file), -1 = it looks like
 * a pack but cannot be used (err says why: no such installed pack, a tampered bundle...).
 * A folder with pack.lua, a file starting with the bundle magic, or a name[@version] that is
 * installed, are packs. */
int lede_pack_resolve(const char *spec, const char *pack_path, lede_pack_src *out, char *err, size_t errlen);
void lede_pack_src_free(lede_pack_src *src);

/* Bundles. write: every regular file under dir (hidden ones and bundles skipped) into out_path.
 * extract: verifies every file hash and the whole-bundle hash, then unpacks into dest (which
 * must exist and be empty). name/version, when not NULL, receive the manifest's (malloc'd). */
#define LEDE_BUNDLE_MAGIC "LEDEPACK 1\n"
int lede_bundle_write(const char *dir, const char *name, const char *version, const char *out_path, char *err,
                      size_t errlen);
int lede_bundle_extract(const char *path, const char *dest, char *err, size_t errlen);
int lede_bundle_is(const char *path);

/* Copies the pack at src (folder or bundle) into PACK_PATH/name/version/. force: replace an
 * installed copy of that version. On success *installed (malloc'd) is the new folder. */
int lede_pack_install(const char *src, const char *name, const char *version, const char *pack_path, int force,
                      char **installed, char *err, size_t errlen);

/* Removes a folder tree (the bundle's temporary folder); 0 or -1. */
int lede_rmtree(const char *dir);



/* A manifest's main fields, read (and checked) in a sandbox. */
typedef struct lede_pack_info {
    char *name, *version, *description, *tests; /* tests: the fixture folder, relative */
} lede_pack_info;
int lede_pack_info_read(const char *dir, lede_pack_info *out, char *err, size_t errlen);
void lede_pack_info_free(lede_pack_info *info);
/* Compares two semantic versions like strcmp. */
int lede_semver_cmp(const char *a, const char *b);


#endif
