/* Node paths for a.dom results ("/html/body/div[2]/p[3]"), the same strings xmlGetNodePath
 * gives for elements, in time linear in what a query returns: xmlGetNodePath walks every sibling
 * of the node and of each of its ancestors, so a query returning 50,000 paragraphs of one
 * parent took 7 s. Here each parent's element children are numbered once per query. One
 * difference: libxml2 sizes its buffers for names under 100 bytes and cuts the path where an
 * element's name (with its prefix) is longer; here it is written whole. */
#ifndef LEDE_LUA_DOM_PATH_H
#define LEDE_LUA_DOM_PATH_H

#include <libxml/tree.h>

#include "util/buf.h"
#include "util/u64map.h"

typedef struct lede_dom_paths {
    lede_u64map memo; /* element -> its position among its like siblings << 32 | their number */
} lede_dom_paths;

void lede_dom_paths_init(lede_dom_paths *p);
void lede_dom_paths_free(lede_dom_paths *p);
/* Replaces out's contents with element's path; -1 when out of memory. */
int lede_dom_path(lede_dom_paths *p, xmlNodePtr element, lede_buf *out);

#endif
