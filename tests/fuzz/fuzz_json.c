/* JSON records -> articles: one object, an array of objects, or JSON Lines (one per line), with
 * the field names lede maps (title, body/text/content, url, published, authors...). Input: one
 * selector byte (bit 0: 0 = json, 1 = jsonl; bit 1: detect instead) and then the JSON bytes.
 * The corpus files carry that byte. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    lede_parse_opts o;
    lede_parse_opts_init(&o);
    o.path = data[0] & 1 ? "fuzz.jsonl" : "fuzz.json";
    o.format = data[0] & 2 ? NULL : data[0] & 1 ? "jsonl" : "json";
    fz_parse_check((const char *)data + 1, size - 1, &o);
    return 0;
}
