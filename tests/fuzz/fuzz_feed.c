/* RSS/Atom/RDF feed -> one article per item (libxml2's XML parser, item fields, embedded HTML
 * in descriptions). Input: the feed's bytes. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = "fuzz.rss";
    o.format = "feed";
    fz_parse_check((const char *)data, size, &o);
    return 0;
}
