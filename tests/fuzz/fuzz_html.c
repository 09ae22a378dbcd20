/* HTML page -> article: libxml2's HTML parser, charset decoding, extraction and rendering, as
 * `lede run` does for every .html file. Input: the page's bytes. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = "fuzz.html";
    o.format = "html";
    fz_parse_check((const char *)data, size, &o);
    return 0;
}
