/* The rule engine: a pack's rules compiled into one immutable ruleset (every distinct pattern
 * compiled once, shared by all rules that use it), and a per-thread scanner that runs all rules
 * over one text in one pass per field (the regexes its rules read form one pattern set, each
 * phrase list one automaton), the hits are bucketed into units
 * (the article, its paragraphs, its sentences) in one sweep, and each rule's match tree is
 * evaluated per unit over those buckets. Rules never rescan text.
 *
 * The ruleset is read-only once finished and may be shared by threads (reference counted);
 * a scanner holds all per-scan state (matcher, hit buffers, matches) and belongs to
 * one thread. Nothing here knows about Lua (host/rules/l_ruleset.c binds it). */
#ifndef LEDE_RULES_ENGINE_H
#define LEDE_RULES_ENGINE_H

#include <stddef.h>

#include "text/phrases.h"
#include "text/re.h"

/* Fields are bits of an unsigned mask. */
#define LEDE_RULE_FIELDS 32

enum { LEDE_SCOPE_ARTICLE, LEDE_SCOPE_PARAGRAPH, LEDE_SCOPE_SENTENCE, LEDE_NSCOPES };
enum { LEDE_NODE_ATOM, LEDE_NODE_ALL, LEDE_NODE_ANY, LEDE_NODE_NONE, LEDE_NODE_NEAR };
enum { LEDE_ATOM_RE, LEDE_ATOM_PHRASES };

typedef struct lede_ruleset lede_ruleset;

lede_ruleset *lede_ruleset_new(void);
/* Drops one reference (the creator holds the first); the last one frees. */
void lede_ruleset_free(lede_ruleset *rs);
/* Another owner of a finished ruleset (workers share one compiled pack): released with
 * lede_ruleset_free. Thread-safe. */
lede_ruleset *lede_ruleset_retain(lede_ruleset *rs);

/* Atoms (patterns). Each returns the atom's index (>= 0) or -1 with err set. */
int lede_ruleset_add_re(lede_ruleset *rs, const char *pattern, size_t len, const char *flags, char *err,
                        size_t errlen);
/* A phrase list from a file ("phrase<TAB>label<TAB>alias..." lines), or built entry by entry:
 * begin, add (label may be NULL), and the automaton is compiled by lede_ruleset_finish. */
int lede_ruleset_add_phrase_file(lede_ruleset *rs, const char *path, char *err, size_t errlen);
int lede_ruleset_begin_phrases(lede_ruleset *rs, char *err, size_t errlen);
int lede_ruleset_add_phrase(lede_ruleset *rs, int atom, const char *phrase, const char *label, char *err,
                            size_t errlen);

/* Match-tree nodes, built children first. name (may be NULL) labels an atom's hits. Return the
 * node's index or -1 (out of memory). */
int lede_ruleset_atom_node(lede_ruleset *rs, int atom, const char *name);
int lede_ruleset_group_node(lede_ruleset *rs, int op, const int *kids, int nkids);
int lede_ruleset_near_node(lede_ruleset *rs, int a, int b, int distance);

/* A rule: scope, fields (bit i = field i of the caller's list) and its root node. */
int lede_ruleset_add_rule(lede_ruleset *rs, const char *id, int scope, unsigned fields, int root);
/* Compiles phrase automata; afterwards the ruleset is read-only. 0 or -1 with err. */
int lede_ruleset_finish(lede_ruleset *rs, char *err, size_t errlen);

size_t lede_ruleset_rules(const lede_ruleset *rs);
const char *lede_ruleset_rule_id(const lede_ruleset *rs, size_t rule);
int lede_ruleset_rule_scope(const lede_ruleset *rs, size_t rule);
/* Fields (bit mask) any rule reads. */
unsigned lede_ruleset_fields(const lede_ruleset *rs);

/* ---- scanning ------------------------------------------------------------------------------ */
typedef struct lede_rule_scan lede_rule_scan;

/* A unit a rule matched: rule index, 0-based byte range in the scanned text, and its 0-based
 * paragraph and sentence index (-1 when the scope has none). */
typedef struct lede_rule_match {
    size_t rule;
    size_t start, len;
    long paragraph, sentence;
} lede_rule_match;

typedef struct lede_rule_hit {
    const char *name;   /* the node's name, or NULL */
    int kind;           /* LEDE_ATOM_* */
    size_t start, len;  /* 0-based bytes in the scanned text */
    const char *phrase; /* phrases: the entry's canonical phrase and label (may be NULL) */
    const char *label;
    size_t ngroups;     /* re: named groups with their offsets (LEDE_RE_UNSET when unset) */
    const char *const *group_names;
    const size_t *groups; /* 2 * ngroups offsets (start, end exclusive) */
} lede_rule_hit;

/* limits: NULL = defaults. NULL when out of memory. */
lede_rule_scan *lede_rule_scan_new(const lede_ruleset *rs, const lede_re_limits *limits);
void lede_rule_scan_free(lede_rule_scan *sc);

/* Paragraph spans (0-based start, length) of the text, for paragraph scope; NULL/0 means the
 * whole text is one paragraph. */
typedef struct lede_span {
    size_t start, len;
} lede_span;

/* Runs every rule reading field `field` over s[0..n). Matches replace those of the previous
 * scan. Returns 0, or -1 when out of memory. A pattern that fails (a regex limit) does not stop
 * the scan: the rules using it are marked failed (lede_rule_scan_error). */
int lede_rule_scan_run(lede_rule_scan *sc, unsigned field, const char *s, size_t n, const lede_span *paras,
                       size_t nparas);
size_t lede_rule_scan_count(const lede_rule_scan *sc);
const lede_rule_match *lede_rule_scan_match(const lede_rule_scan *sc, size_t i);
/* Why rule `rule` failed in the last scan, or NULL. */
const char *lede_rule_scan_error(const lede_rule_scan *sc, size_t rule);
/* Calls fn for each hit of match i's rule inside its unit (the atoms the rule requires or
 * allows, not those under none{}), in order of start. A non-zero return stops and is returned. */
typedef int (*lede_rule_hit_fn)(void *ud, const lede_rule_hit *h);
int lede_rule_scan_hits(const lede_rule_scan *sc, size_t i, lede_rule_hit_fn fn, void *ud);

#endif
