/* Which charset a page's bytes are in: BOM, transport header, <meta>, XML declaration, sniffing. */
#ifndef LEDE_ARTICLE_CHARSET_H
#define LEDE_ARTICLE_CHARSET_H

#include <stddef.h>

/* Writes the charset name libxml2 should decode data with into out (e.g. "UTF-8",
 * "windows-1252", "UTF-16LE"). `declared` is a transport charset (HTTP header) or NULL.
 * Follows the HTML standard's order: BOM, transport, <meta> prescan, then a guess (valid UTF-8
 * → UTF-8, else windows-1252). Labels are mapped as browsers map them (latin1 → windows-1252). */
void lede_charset_sniff(const char *data, size_t len, const char *declared, char *out, size_t outlen);

#endif
