/* Text and Markdown dumps -> article (title line, metadata lines, paragraphs, ad-slot labels).
 * Input: one selector byte (bit 0: 0 = text, 1 = markdown; bit 1: let lede_detect_format choose
 * instead, with a .txt path) and then the dump's bytes. The corpus files carry that byte. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = data[0] & 1 ? "fuzz.md" : "fuzz.txt";
    o.format = data[0] & 2 ? NULL : data[0] & 1 ? "markdown" : "text";
    fz_parse_check((const char *)data + 1, size - 1, &o);
    return 0;
}
