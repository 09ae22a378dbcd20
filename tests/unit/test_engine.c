/* The rule engine (host/rules/engine.h): one pattern set per field, phrase automata, scopes,
 * all/any/none/near, named groups, a limit hit failing only its rules, and one compiled
 * ruleset shared by scanners (the -j N case). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rules/engine.h"

static char err[512];

static int re(lede_ruleset *rs, const char *p, const char *flags) {
    int a = lede_ruleset_add_re(rs, p, strlen(p), flags, err, sizeof err);
    if (a < 0) fprintf(stderr, "add_re %s: %s\n", p, err);
    return a;
}

static int node(lede_ruleset *rs, int atom, const char *name) { return lede_ruleset_atom_node(rs, atom, name); }

/* Field 0 (body) rules and a field 1 (title) rule; returns the finished ruleset. */
static lede_ruleset *build(void) {
    lede_ruleset *rs = lede_ruleset_new();
    int sanc = re(rs, "\\bsanction(?:s|ed)?\\b", "i");
    int year = re(rs, "(?<year>(?:19|20)\\d\\d)", NULL); /* no literal prefix: a whole-text run */
    int never = re(rs, "zzz+", NULL);
    int bomb = re(rs, "(a+)+$", NULL);
    int emb = re(rs, "embargo", "i");
    int ph = lede_ruleset_begin_phrases(rs, err, sizeof err);
    CHECK(sanc >= 0 && year >= 0 && never >= 0 && bomb >= 0 && emb >= 0 && ph >= 0);
    CHECK(lede_ruleset_add_phrase(rs, ph, "European Union", "EU", err, sizeof err) == 0);
    CHECK(lede_ruleset_add_phrase(rs, ph, "Russia", "RU", err, sizeof err) == 0);
    /* r0: sentence, sanction word and a place */
    int k0[2] = {node(rs, sanc, "verb"), node(rs, ph, "place")};
    lede_ruleset_add_rule(rs, "both", LEDE_SCOPE_SENTENCE, 1u, lede_ruleset_group_node(rs, LEDE_NODE_ALL, k0, 2));
    /* r1: paragraph with a year */
    lede_ruleset_add_rule(rs, "year", LEDE_SCOPE_PARAGRAPH, 1u, node(rs, year, "y"));
    /* r2: article without zzz (holds with no hit at all) */
    int k2[1] = {node(rs, never, NULL)};
    lede_ruleset_add_rule(rs, "no-zzz", LEDE_SCOPE_ARTICLE, 1u, lede_ruleset_group_node(rs, LEDE_NODE_NONE, k2, 1));
    /* r3: sentence, the word within 2 words of a place */
    lede_ruleset_add_rule(rs, "near", LEDE_SCOPE_SENTENCE, 1u,
                          lede_ruleset_near_node(rs, node(rs, sanc, NULL), node(rs, ph, NULL), 2));
    /* r4: body, a catastrophic regex (fails on a long run of a's) */
    lede_ruleset_add_rule(rs, "bomb", LEDE_SCOPE_ARTICLE, 1u, node(rs, bomb, NULL));
    /* r5: title only */
    lede_ruleset_add_rule(rs, "title-embargo", LEDE_SCOPE_ARTICLE, 2u, node(rs, emb, NULL));
    CHECK(lede_ruleset_finish(rs, err, sizeof err) == 0);
    return rs;
}

static int count_rule(const lede_rule_scan *sc, const lede_ruleset *rs, const char *id) {
    int n = 0;
    for (size_t i = 0; i < lede_rule_scan_count(sc); i++)
        n += !strcmp(lede_ruleset_rule_id(rs, lede_rule_scan_match(sc, i)->rule), id);
    return n;
}

static const char *rule_error(const lede_rule_scan *sc, const lede_ruleset *rs, const char *id) {
    for (size_t r = 0; r < lede_ruleset_rules(rs); r++)
        if (!strcmp(lede_ruleset_rule_id(rs, r), id)) return lede_rule_scan_error(sc, r);
    return "no such rule";
}

typedef struct collected {
    char text[8][64];
    char names[8][16];
    size_t year_group[2];
    int n;
} collected;

static int on_hit(void *ud, const lede_rule_hit *h) {
    collected *c = ud;
    if (c->n >= 8) return 1;
    snprintf(c->names[c->n], sizeof c->names[0], "%s", h->name ? h->name : "-");
    snprintf(c->text[c->n], sizeof c->text[0], "%zu+%zu%s%s", h->start, h->len, h->label ? ":" : "",
             h->label ? h->label : "");
    if (h->ngroups == 1 && !strcmp(h->group_names[0], "year")) {
        c->year_group[0] = h->groups[0];
        c->year_group[1] = h->groups[1];
    }
    c->n++;
    return 0;
}

static const char BODY[] = "The European Union imposed sanctions on Russia in 2022. Nothing else.\n\n"
                           "Later, Russia was sanctioned again. No year here.";

static void check_body(const lede_ruleset *rs, lede_rule_scan *sc) {
    lede_span paras[2] = {{0, 69}, {71, sizeof BODY - 1 - 71}};
    CHECK(lede_rule_scan_run(sc, 0, BODY, sizeof BODY - 1, paras, 2) == 0);
    CHECK(count_rule(sc, rs, "both") == 2); /* sentences 1 and 3 */
    CHECK(count_rule(sc, rs, "year") == 1); /* paragraph 1 only */
    CHECK(count_rule(sc, rs, "no-zzz") == 1);
    CHECK(count_rule(sc, rs, "near") == 2); /* "sanctions on Russia", "Russia was sanctioned" */
    CHECK(count_rule(sc, rs, "bomb") == 0);
    CHECK(count_rule(sc, rs, "title-embargo") == 0);
    CHECK(rule_error(sc, rs, "bomb") == NULL);
    for (size_t i = 0; i < lede_rule_scan_count(sc); i++) {
        const lede_rule_match *m = lede_rule_scan_match(sc, i);
        collected c = {0};
        CHECK(lede_rule_scan_hits(sc, i, on_hit, &c) == 0);
        const char *id = lede_ruleset_rule_id(rs, m->rule);
        if (!strcmp(id, "year")) {
            CHECK(m->paragraph == 0 && c.n == 1);
            CHECK_STR(c.text[0], "50+4");
            CHECK(c.year_group[0] == 50 && c.year_group[1] == 54);
        } else if (!strcmp(id, "both") && m->sentence == 0) {
            /* hits in text order, with their names and phrase labels */
            CHECK(c.n == 3);
            CHECK_STR(c.text[0], "4+14:EU");
            CHECK_STR(c.names[0], "place");
            CHECK_STR(c.text[1], "27+9");
            CHECK_STR(c.names[1], "verb");
            CHECK_STR(c.text[2], "40+6:RU");
        }
    }
}

int main(void) {
    lede_ruleset *rs = build();
    lede_rule_scan *a = lede_rule_scan_new(rs, NULL), *b = lede_rule_scan_new(rs, NULL);
    CHECK(a && b);
    check_body(rs, a);
    /* a second scanner over the same compiled rules, interleaved: no state on the ruleset */
    CHECK(lede_rule_scan_run(b, 1, "Oil EMBARGO extended", 20, NULL, 0) == 0);
    CHECK(count_rule(b, rs, "title-embargo") == 1 && count_rule(b, rs, "both") == 0);
    check_body(rs, a);
    check_body(rs, b);

    /* a limit hit fails the rules of that pattern only; the other patterns of the set still
     * find their hits (the set falls back to one scan per pattern) */
    lede_re_limits lim = lede_re_default_limits();
    lim.match = 1000;
    lede_rule_scan *c = lede_rule_scan_new(rs, &lim);
    char bomb[4096];
    int k = snprintf(bomb, sizeof bomb, "Russia sanctioned it in 1999. ");
    memset(bomb + k, 'a', sizeof bomb - (size_t)k - 2);
    bomb[sizeof bomb - 2] = '!';
    bomb[sizeof bomb - 1] = 0;
    CHECK(lede_rule_scan_run(c, 0, bomb, strlen(bomb), NULL, 0) == 0);
    const char *why = rule_error(c, rs, "bomb");
    CHECK(why && strstr(why, "(a+)+$"));
    CHECK(count_rule(c, rs, "bomb") == 0);
    CHECK(count_rule(c, rs, "both") == 1);
    CHECK(count_rule(c, rs, "year") == 1);
    CHECK(rule_error(c, rs, "both") == NULL);

    /* a retained ruleset outlives its creator's reference */
    lede_ruleset *shared = lede_ruleset_retain(rs);
    lede_ruleset_free(rs);
    check_body(shared, b);
    lede_rule_scan_free(a);
    lede_rule_scan_free(b);
    lede_rule_scan_free(c);
    lede_ruleset_free(shared);
    CHECK_DONE();
}
