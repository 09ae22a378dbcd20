/* bench_extract: pages/s of three ways through the same pages, in one process each run.
 *   bench_extract MODE LISTFILE [ROUNDS]
 * MODE: parse   — bare libxml2 htmlReadMemory (UTF-8), free the tree   (the floor)
 *       walk    — parse + collect the visible text in one iterative walk
 *       lede    — lede_parse: charset sniffing, parse, main-content and metadata extraction
 * Files are read into memory first so the timing covers parsing only. Prints pages/s. */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article/parse.h"
#include "util/buf.h"

typedef struct {
    char *data;
    size_t len;
    char *path;
} page;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t load(const char *list, page **out) {
    FILE *f = fopen(list, "r");
    if (!f) {
        perror(list);
        exit(2);
    }
    size_t n = 0, cap = 256;
    page *p = malloc(cap * sizeof *p);
    char line[4096], err[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line) continue;
        lede_buf b;
        lede_buf_init(&b);
        if (lede_read_file(line, &b, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(2);
        }
        if (n == cap) p = realloc(p, (cap *= 2) * sizeof *p);
        p[n].data = lede_buf_detach(&b, &p[n].len);
        p[n].path = strdup(line);
        n++;
    }
    fclose(f);
    *out = p;
    return n;
}

static size_t walk_text(xmlNodePtr root) {
    size_t total = 0;
    for (xmlNodePtr n = root; n;) {
        int down = 0;
        if (n->type == XML_TEXT_NODE && n->content)
            total += strlen((const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE)
            down = n->children && strcmp((const char *)n->name, "script") && strcmp((const char *)n->name, "style");
        if (down) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next) n = n->parent;
        if (!n || n == root) break;
        n = n->next;
    }
    return total;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_extract parse|walk|lede LISTFILE [ROUNDS]\n");
        return 2;
    }
    const char *mode = argv[1];
    int rounds = argc > 3 ? atoi(argv[3]) : 1;
    page *pages;
    size_t n = load(argv[2], &pages);
    const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                     HTML_PARSE_COMPACT;
    size_t sink = 0, done = 0;
    double t0 = now();
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(mode, "lede")) {
                lede_article_list l = {0};
                lede_parse_opts o;
                lede_parse_opts_init(&o);
                o.path = pages[i].path;
                char err[256];
                lede_parse(pages[i].data, pages[i].len, &o, &l, err, sizeof err);
                for (size_t k = 0; k < l.n; k++) sink += l.items[k]->text.len;
                lede_article_list_free(&l);
            } else {
                htmlDocPtr d = htmlReadMemory(pages[i].data, (int)pages[i].len, NULL, "UTF-8", opts);
                if (d && !strcmp(mode, "walk")) sink += walk_text(xmlDocGetRootElement(d));
                xmlFreeDoc(d);
            }
            done++;
        }
    }
    double dt = now() - t0;
    printf("mode=%s pages=%zu seconds=%.3f pages_per_s=%.1f sink=%zu\n", mode, done, dt, (double)done / dt, sink);
    return 0;
}
