/* Aho–Corasick over bytes, for phrase lists and regex-set prefilters.
 *
 * Bytes are first mapped through a fold table (e.g. ASCII case) and then to classes (one per
 * byte value used by some pattern, 0 for the rest), so the transition table has few columns.
 * Small automata are a complete DFA (one table load per byte); large ones keep complete rows
 * only for the shallow states, where a scan spends nearly all its time, and sorted edge lists
 * plus failure links below them, so 100,000 phrases fit in tens of megabytes.
 * Built once, read-only afterwards: any number of threads may scan with one automaton. */
#ifndef LEDE_TEXT_AC_H
#define LEDE_TEXT_AC_H

#include <stddef.h>
#include <stdint.h>

typedef struct lede_ac_builder lede_ac_builder;

typedef struct lede_ac {
    uint8_t cls[256]; /* byte -> class, fold applied */
    uint32_t ncls;
    uint32_t nstates;
    int all_dense;    /* every state has a full row: use the DFA fast path */
    /* dense rows. All dense: entry = (next * ncls) << 1 | reports(next), i.e. the next row's
     * offset, so the scan loop does one load per byte. Mixed: entry = next << 1 | reports. */
    uint32_t *delta;
    int32_t *row; /* state -> row offset into delta, or -1 for a sparse state */
    /* sparse states: edges [edge_at[s], edge_at[s+1]) of (class, target), sorted by class */
    uint32_t *edge_at;
    uint8_t *edge_cls;
    uint32_t *edge_to;
    uint32_t *fail;
    /* outputs */
    int32_t *out;     /* id of the pattern ending at the state, or -1 */
    int32_t *dict;    /* next state on the failure chain with an output, or -1 */
    uint32_t *depth;  /* length of the state's string in (folded) bytes */
    uint8_t *reports; /* out >= 0 || dict >= 0 */
} lede_ac;

/* fold: byte -> byte applied to patterns and text alike (NULL = identity). space_byte >= 0
 * makes runs of that (folded) byte inside the text count as one, as long as the automaton is
 * in a state entered by it: "New   York" then matches the pattern "new york". */
lede_ac_builder *lede_ac_builder_new(const uint8_t fold[256], int space_byte);
void lede_ac_builder_free(lede_ac_builder *b);
/* Adds pattern s[0..n) (n > 0) with an id; a pattern added twice keeps its first id, and the
 * call returns 1 for such a duplicate. -1 on allocation failure. */
int lede_ac_add(lede_ac_builder *b, const char *s, size_t n, int32_t id);
size_t lede_ac_builder_states(const lede_ac_builder *b);
/* Builds the automaton; dense_max_cells bounds the complete-DFA table. The builder may be
 * freed afterwards. NULL on allocation failure. */
lede_ac *lede_ac_build(lede_ac_builder *b, size_t dense_max_cells);
void lede_ac_free(lede_ac *ac);

/* Start state. */
#define LEDE_AC_ROOT 0u

/* One transition by byte class c from state s. */
static inline uint32_t lede_ac_next(const lede_ac *ac, uint32_t s, unsigned c) {
    for (;;) {
        int32_t r = ac->row[s];
        if (r >= 0) {
            uint32_t e = ac->delta[(uint32_t)r + c] >> 1;
            return ac->all_dense ? e / ac->ncls : e;
        }
        for (uint32_t e = ac->edge_at[s]; e < ac->edge_at[s + 1]; e++) {
            if (ac->edge_cls[e] == c) return ac->edge_to[e];
            if (ac->edge_cls[e] > c) break;
        }
        s = ac->fail[s];
    }
}

/* Calls hit(ud, end, id, len) for every pattern occurrence in s[0..n) (overlapping ones
 * too), end being the exclusive byte offset. A non-zero return stops the scan and is
 * returned. */
typedef int (*lede_ac_hit_fn)(void *ud, size_t end, int32_t id, uint32_t len);
int lede_ac_scan(const lede_ac *ac, const char *s, size_t n, lede_ac_hit_fn hit, void *ud);
/* As lede_ac_scan, for a dense automaton over a long text: LEDE_AC_STREAMS parts of the text
 * are walked at once, interleaved, which hides much of the table-lookup latency that bounds a
 * single walk. Hits of part i go to hit(uds[i], ...); each part's hits come in end order, and
 * every occurrence is reported exactly once. max_len is the length of the longest pattern. */
#define LEDE_AC_STREAMS 4
int lede_ac_scan_streams(const lede_ac *ac, const char *s, size_t n, size_t max_len,
                         lede_ac_hit_fn hit, void *const uds[LEDE_AC_STREAMS]);
/* Reports the outputs of state st (reached after byte end-1). */
int lede_ac_report(const lede_ac *ac, uint32_t st, size_t end, lede_ac_hit_fn hit, void *ud);

#endif
