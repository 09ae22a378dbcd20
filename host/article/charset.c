#include "article/charset.h"

#include <ctype.h>
#include <libxml/encoding.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

/* Browsers decode these labels as windows-1252 (WHATWG Encoding), and pages rely on it:
 * a "latin1" page routinely contains curly quotes from the 0x80-0x9F range. */
static const char *canonical(const char *label) {
    static const char *w1252[] = {"iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
                                  "ansi_x3.4-1968", "cp1252", "x-cp1252", "iso_8859-1", "cp819"};
    for (size_t i = 0; i < sizeof w1252 / sizeof *w1252; i++)
        if (!strcasecmp(label, w1252[i])) return "windows-1252";
    if (!strcasecmp(label, "utf-8") || !strcasecmp(label, "utf8") || !strcasecmp(label, "unicode-1-1-utf-8"))
        return "UTF-8";
    if (!strcasecmp(label, "gb2312") || !strcasecmp(label, "gbk") || !strcasecmp(label, "x-gbk"))
        return "GB18030";
    if (!strcasecmp(label, "shift_jis") || !strcasecmp(label, "sjis") || !strcasecmp(label, "x-sjis"))
        return "SHIFT_JIS";
    if (!strcasecmp(label, "ks_c_5601-1987") || !strcasecmp(label, "euc-kr")) return "CP949";
    if (!strcasecmp(label, "iso-8859-9") || !strcasecmp(label, "latin5")) return "windows-1254";
    return label;
}

/* Copies a charset label starting at p (quotes and spaces trimmed) into out. */
static int copy_label(const char *p, const char *end, char *out, size_t outlen) {
    while (p < end && (*p == ' ' || *p == '"' || *p == '\'' || *p == '=')) p++;
    size_t n = 0;
    while (p + n < end && n + 1 < outlen &&
           (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_' || p[n] == ':' || p[n] == '.'))
        n++;
    if (!n) return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

static const char *find_ci(const char *s, const char *end, const char *needle) {
    size_t m = strlen(needle);
    for (; s + m <= end; s++)
        if (strncasecmp(s, needle, m) == 0) return s;
    return NULL;
}

/* The first charset named in a <meta> tag or the XML declaration within the first 4 KiB. */
static int prescan(const char *data, size_t len, char *out, size_t outlen) {
    const char *end = data + (len < 4096 ? len : 4096);
    if (len > 5 && strncmp(data, "<?xml", 5) == 0) {
        const char *decl_end = memchr(data, '>', (size_t)(end - data));
        const char *enc = decl_end ? find_ci(data, decl_end, "encoding") : NULL;
        if (enc && copy_label(enc + 8, decl_end, out, outlen)) return 1;
    }
    for (const char *p = data; (p = find_ci(p, end, "<meta")) != NULL; p += 5) {
        const char *tag_end = memchr(p, '>', (size_t)(end - p));
        if (!tag_end) break;
        const char *cs = find_ci(p, tag_end, "charset");
        if (cs && copy_label(cs + 7, tag_end, out, outlen)) return 1;
    }
    return 0;
}

static int supported(const char *name) {
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
    if (!h) return 0;
    xmlCharEncCloseFunc(h);
    return 1;
}

void lede_charset_sniff(const char *data, size_t len, const char *declared, char *out, size_t outlen) {
    const unsigned char *u = (const unsigned char *)data;
    char label[64] = "";
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        snprintf(label, sizeof label, "UTF-8");
    else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        snprintf(label, sizeof label, "UTF-16LE");
    else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        snprintf(label, sizeof label, "UTF-16BE");
    else if (declared && *declared)
        snprintf(label, sizeof label, "%s", declared);
    else
        prescan(data, len, label, sizeof label);

    const char *name = label[0] ? canonical(label) : NULL;
    /* a page declared as UTF-16 but sent as bytes we can read is really ASCII-compatible */
    if (name && !strncasecmp(name, "UTF-16", 6) && !(len >= 2 && (u[0] == 0xFF || u[0] == 0xFE)))
        name = NULL;
    if (name && !supported(name)) name = NULL;
    if (!name) name = lede_utf8_valid_prefix(data, len) == len ? "UTF-8" : "windows-1252";
    snprintf(out, outlen, "%s", name);
}
