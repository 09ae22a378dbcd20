/* Flattening the parsed page into ex_doc: one iterative pre-order walk (no recursion, so a
 * 10,000-deep page cannot overflow the stack) and one reverse scan for the subtree totals. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/extract_int.h"

/* pseudo tags for elements that never reach the node array */
enum { T_SKIP = 250, T_SCRIPT, T_HEADEL, T_METAEL };

static const struct {
    const char *name;
    uint8_t tag;
} tag_names[] = {
    {"a", T_A},           {"address", T_ADDRESS}, {"applet", T_SKIP},   {"article", T_ARTICLE},
    {"aside", T_ASIDE},   {"audio", T_AUDIO},     {"base", T_SKIP},     {"blockquote", T_BLOCKQUOTE},
    {"body", T_BODY},     {"br", T_BR},           {"button", T_BUTTON}, {"canvas", T_SKIP},
    {"caption", T_CAPTION}, {"center", T_CENTER}, {"code", T_CODE},     {"datalist", T_SKIP},
    {"dd", T_DD},         {"details", T_DETAILS}, {"dialog", T_DIALOG}, {"div", T_DIV},
    {"dl", T_DL},         {"dt", T_DT},           {"embed", T_SKIP},    {"fieldset", T_FIELDSET},
    {"figcaption", T_FIGCAPTION}, {"figure", T_FIGURE}, {"font", T_FONT}, {"footer", T_FOOTER},
    {"form", T_FORM},     {"frameset", T_SKIP},   {"h1", T_H1},         {"h2", T_H2},
    {"h3", T_H3},         {"h4", T_H4},           {"h5", T_H5},         {"h6", T_H6},
    {"head", T_HEADEL},   {"header", T_HEADER},   {"hr", T_HR},         {"html", T_HTML},
    {"iframe", T_SKIP},   {"img", T_IMG},         {"input", T_INPUT},   {"label", T_LABEL},
    {"li", T_LI},         {"link", T_METAEL},     {"main", T_MAIN},     {"map", T_SKIP},
    {"menu", T_MENU},     {"meta", T_METAEL},     {"nav", T_NAV},       {"noscript", T_SKIP},
    {"object", T_SKIP},   {"ol", T_OL},           {"option", T_SKIP},   {"p", T_P},
    {"picture", T_PICTURE}, {"pre", T_PRE},       {"script", T_SCRIPT}, {"section", T_SECTION},
    {"select", T_SELECT}, {"span", T_SPAN},       {"style", T_SKIP},    {"summary", T_SUMMARY},
    {"svg", T_SKIP},      {"table", T_TABLE},     {"tbody", T_TBODY},   {"td", T_TD},
    {"template", T_SKIP}, {"textarea", T_TEXTAREA}, {"tfoot", T_TBODY}, {"th", T_TH},
    {"thead", T_THEAD},   {"time", T_TIME},       {"title", T_SKIP},    {"tr", T_TR},
    {"ul", T_UL},         {"video", T_VIDEO},
};

static int lookup_tag(const char *name) {
    size_t lo = 0, hi = sizeof tag_names / sizeof *tag_names;
    while (lo < hi) { /* the table is sorted; HTML names arrive lowercased from libxml2 */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, tag_names[mid].name);
        if (c == 0) return tag_names[mid].tag;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return T_OTHER;
}

int ex_tag_of(const char *name) {
    int t = lookup_tag(name);
    return t >= T_SKIP ? T_OTHER : t;
}

static int is_block_tag(int t) {
    switch (t) {
    case T_TEXT: case T_OTHER: case T_SPAN: case T_A: case T_CODE: case T_IMG: case T_PICTURE:
    case T_BR: case T_INPUT: case T_BUTTON: case T_SELECT: case T_TEXTAREA: case T_LABEL:
    case T_IFRAME: case T_EMBED: case T_OBJECT: case T_VIDEO: case T_AUDIO: case T_TIME:
    case T_FONT:
        return 0;
    default:
        return 1;
    }
}

/* Attribute value without allocating: HTML attributes are one text child. */

const char *ex_attr(const xmlNode *n, const char *name) {
    for (const xmlAttr *p = n->properties; p; p = p->next)
        if (p->name && strcasecmp((const char *)p->name, name) == 0)
            return p->children && p->children->content ? (const char *)p->children->content : "";
    return NULL;
}

static int style_hidden(const char *s) {
    /* "display:none" / "display: none" / "visibility:hidden", any case or spacing */
    char buf[256];
    size_t k = 0;
    for (; *s && k < sizeof buf - 1; s++)
        if (*s != ' ' && *s != '\t') buf[k++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
    buf[k] = 0;
    return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

/* The attributes extraction looks at, read in one pass over the element's attribute list
 * (libxml2's HTML parser lowercases attribute names). */
typedef struct attrs {
    const char *cls, *id, *role, *rel, *itemprop, *href, *style, *aria_hidden, *type;
    int hidden;
} attrs;

static void read_attrs(const xmlNode *n, attrs *at) {
    memset(at, 0, sizeof *at);
    for (const xmlAttr *p = n->properties; p; p = p->next) {
        const char *k = (const char *)p->name;
        const char *v = p->children && p->children->content ? (const char *)p->children->content : "";
        if (!k) continue;
        switch (k[0]) {
        case 'c': if (strcmp(k, "class") == 0) at->cls = v; break;
        case 'i':
            if (strcmp(k, "id") == 0) at->id = v;
            else if (strcmp(k, "itemprop") == 0) at->itemprop = v;
            break;
        case 'r':
            if (strcmp(k, "role") == 0) at->role = v;
            else if (strcmp(k, "rel") == 0) at->rel = v;
            break;
        case 'h':
            if (strcmp(k, "href") == 0) at->href = v;
            else if (strcmp(k, "hidden") == 0) at->hidden = 1;
            break;
        case 's': if (strcmp(k, "style") == 0) at->style = v; break;
        case 'a': if (strcmp(k, "aria-hidden") == 0) at->aria_hidden = v; break;
        case 't': if (strcmp(k, "type") == 0) at->type = v; break;
        default: break;
        }
    }
}

static int is_hidden(const attrs *at) {
    if (at->hidden) return 1;
    if (at->aria_hidden && strcmp(at->aria_hidden, "true") == 0) {
        /* wrappers of lazy images and math renderings carry aria-hidden but show content */
        return !(at->cls && (strstr(at->cls, "fallback-image") || strstr(at->cls, "math")));
    }
    return at->style && style_hidden(at->style);
}

/* Characters of s with white-space runs counted once, and the commas among them. */
static void count_text(const char *s, int *chars, int *commas) {
    int c = 0, k = 0, space = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            if (!space) c++;
            space = 1;
            continue;
        }
        space = 0;
        if ((*p & 0xC0) == 0x80) continue; /* continuation byte */
        c++;
        if (*p == ',') k++;
        /* full-width and ideographic commas (U+FF0C, U+3001) and Arabic comma (U+060C) */
        else if ((p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) ||
                 (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81) || (p[0] == 0xD8 && p[1] == 0x8C))
            k++;
    }
    *chars = c;
    *commas = k;
}

static int push(ex_doc *d, xmlNode *n, int parent, int tag) {
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 1024;
        ex_node *v = realloc(d->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        d->v = v;
        d->cap = cap;
    }
    ex_node *x = &d->v[d->n];
    memset(x, 0, sizeof *x);
    x->n = n;
    x->parent = parent;
    x->tag = (uint8_t)tag;
    return d->n++;
}

static int add_script(ex_doc *d, xmlNode *n) {
    if (d->n_scripts == d->cap_scripts) {
        int cap = d->cap_scripts ? d->cap_scripts * 2 : 8;
        xmlNode **p = realloc(d->jsonld_scripts, (size_t)cap * sizeof *p);
        if (!p) return -1;
        d->jsonld_scripts = p;
        d->cap_scripts = cap;
    }
    d->jsonld_scripts[d->n_scripts++] = n;
    return 0;
}

static int add_meta_node(ex_doc *d, xmlNode *n) {
    if (d->n_metas == d->cap_metas) {
        int cap = d->cap_metas ? d->cap_metas * 2 : 8;
        xmlNode **p = realloc(d->metas, (size_t)cap * sizeof *p);
        if (!p) return -1;
        d->metas = p;
        d->cap_metas = cap;
    }
    d->metas[d->n_metas++] = n;
    return 0;
}

/* Flags inherited from the parent, then this element's own. */
static void classify(ex_doc *d, int i, const attrs *at) {
    ex_node *x = &d->v[i];
    const ex_node *p = x->parent >= 0 ? &d->v[x->parent] : NULL;
    uint32_t inherit = F_IN_LINK | F_HASH_LINK | F_IN_FIGURE | F_IN_PRE | F_IN_UNLIKELY |
                       F_IN_TABLE | F_IN_CODE;
    if (p) x->flags |= p->flags & inherit;
    if (p && (p->flags & F_UNLIKELY)) x->flags |= F_IN_UNLIKELY;
    x->block = (x->tag != T_TEXT && is_block_tag(x->tag)) ? i : (p ? p->block : i);
    if (x->tag == T_TEXT) return;
    if (is_block_tag(x->tag)) {
        x->flags |= F_BLOCK;
        if (p) d->v[x->parent].flags |= F_HAS_BLOCK_KID;
    }
    switch (x->tag) {
    case T_A: {
        x->flags |= F_IN_LINK;
        if (at->href && at->href[0] == '#') x->flags |= F_HASH_LINK;
        break;
    }
    case T_FIGURE: x->flags |= F_IN_FIGURE; break;
    case T_PRE: x->flags |= F_IN_PRE; break;
    case T_TABLE: x->flags |= F_IN_TABLE; break;
    case T_CODE: x->flags |= F_IN_CODE; break;
    case T_H1:
        if (d->first_h1 < 0) d->first_h1 = i;
        d->n_h1++;
        break;
    default: break;
    }
    /* class and id are weighed separately (each can add or take 25), as readability does */
    const char *parts[2] = {at->cls, at->id};
    for (int j = 0; j < 2; j++) {
        char buf[256];
        size_t k = 0;
        if (!parts[j]) continue;
        for (const char *s = parts[j]; *s && k < sizeof buf - 1; s++)
            buf[k++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
        buf[k] = 0;
        if (k) ex_hints(buf, k, &x->flags, &x->weight);
    }
    if (at->role && ex_role_unlikely(at->role)) x->flags |= F_UNLIKELY;
    if ((at->rel && strcmp(at->rel, "author") == 0) || (at->itemprop && strstr(at->itemprop, "author")))
        x->flags |= F_BYLINE;
    /* never throw away the page itself or a link because of a class name */
    if (x->tag == T_BODY || x->tag == T_HTML || x->tag == T_A || x->tag == T_ARTICLE ||
        x->tag == T_MAIN || (x->flags & (F_IN_TABLE | F_IN_CODE)))
        x->flags &= ~(uint32_t)F_UNLIKELY;
}

static void add_text(ex_doc *d, int i) {
    ex_node *x = &d->v[i];
    int chars, commas;
    count_text((const char *)x->n->content, &chars, &commas);
    x->text = chars;
    x->commas = commas;
    if (x->flags & F_IN_LINK) x->link = (x->flags & F_HASH_LINK) ? chars * 3 / 10 : chars;
    ex_node *b = &d->v[x->block];
    b->own_text += chars;
    b->own_link += x->link;
    b->own_commas += commas;
}

/* JSON-LD blocks in <head>; its meta elements are read by meta.c. */
static int head_scripts(ex_doc *d, xmlNode *head) {
    xmlNode *n = head->children;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && n->name) {
            if (strcmp((const char *)n->name, "script") == 0) {
                attrs at;
                read_attrs(n, &at);
                if (at.type && strstr(at.type, "ld+json") && add_script(d, n) != 0) return -1;
            } else if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && n != head && !n->next) n = n->parent;
        if (!n || n == head) break;
        n = n->next;
    }
    return 0;
}

/* Pre-order walk of the element tree under root. `open` holds the index of every element whose
 * subtree is still being walked, so closing one sets its end. */
static int walk(ex_doc *d, xmlNode *root) {
    xmlNode *n = root;
    int *open = NULL, depth = 0, cap = 0, cur = -1, rc = 0;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE && n->name) {
            int tag = lookup_tag((const char *)n->name);
            attrs at;
            if (tag == T_SCRIPT) {
                read_attrs(n, &at);
                if (at.type && strstr(at.type, "ld+json") && add_script(d, n) != 0) goto oom;
            } else if (tag == T_HEADEL) {
                d->head = n;
                if (head_scripts(d, n) != 0) goto oom;
            } else if (tag == T_METAEL) {
                if (add_meta_node(d, n) != 0) goto oom;
            } else if (tag != T_SKIP && (read_attrs(n, &at), !is_hidden(&at))) {
                int i = push(d, n, cur, tag);
                if (i < 0) goto oom;
                classify(d, i, &at);
                if (n->children) {
                    if (depth == cap) {
                        cap = cap ? cap * 2 : 256;
                        int *o = realloc(open, (size_t)cap * sizeof *o);
                        if (!o) goto oom;
                        open = o;
                    }
                    open[depth++] = i;
                    cur = i;
                    descend = 1;
                } else {
                    d->v[i].end = i + 1;
                }
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content && cur >= 0) {
            int i = push(d, n, cur, T_TEXT);
            if (i < 0) goto oom;
            classify(d, i, NULL);
            d->v[i].end = i + 1;
            add_text(d, i);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next) {
            n = n->parent;
            if (depth > 0 && d->v[open[depth - 1]].n == n) {
                d->v[open[--depth]].end = d->n;
                cur = depth ? open[depth - 1] : -1;
            }
        }
        if (!n || n == root) break;
        n = n->next;
    }
    while (depth > 0) d->v[open[--depth]].end = d->n;
    free(open);
    return rc;
oom:
    free(open);
    return -1;
}

/* Subtree totals, summed child → parent in one reverse scan. */
static void totals(ex_doc *d) {
    for (int i = d->n - 1; i > 0; i--) {
        ex_node *x = &d->v[i];
        if (x->tag == T_P || (x->tag == T_DIV && x->own_text > 0 && !(x->flags & F_HAS_BLOCK_KID)))
            x->n_p++;
        if (x->tag == T_IMG) x->n_img++;
        if (x->tag == T_LI) x->n_li++;
        if (x->tag == T_INPUT || x->tag == T_SELECT || x->tag == T_TEXTAREA) x->n_input++;
        if (x->tag == T_VIDEO || x->tag == T_AUDIO || x->tag == T_EMBED) x->n_embed++;
        if (x->tag >= T_H1 && x->tag <= T_H6) x->n_heading_text = x->text;
        if (x->tag == T_UL || x->tag == T_OL) x->list_text = x->text;
        if (x->tag == T_TR) x->n_tr++;
        if (x->tag == T_TD) x->n_td++;
        if (x->tag == T_TH || x->tag == T_THEAD || x->tag == T_CAPTION) x->n_th++;
        if (x->parent < 0) continue;
        ex_node *p = &d->v[x->parent];
        p->text += x->text;
        p->link += x->link;
        p->commas += x->commas;
        p->n_p += x->n_p;
        p->n_img += x->n_img;
        p->n_li += x->n_li;
        p->n_input += x->n_input;
        p->n_embed += x->n_embed;
        p->n_heading_text += x->n_heading_text;
        p->list_text += x->list_text;
        p->n_tr += x->n_tr;
        p->n_td += x->n_td;
        p->n_th += x->n_th;
        p->n_table += x->n_table + (x->tag == T_TABLE);
    }
}

int ex_doc_build(ex_doc *d, xmlDoc *doc) {
    memset(d, 0, sizeof *d);
    d->body = -1;
    d->first_h1 = -1;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    d->html = root;
    if (!root) return 0;
    if (walk(d, root) != 0) return -1;
    if (d->n == 0) return 0;
    totals(d);
    ex_mark_data_tables(d);
    d->body = 0;
    for (int i = 0; i < d->n && i < 64; i++)
        if (d->v[i].tag == T_BODY) {
            d->body = i;
            break;
        }
    d->lo = d->body;
    d->hi = d->v[d->body].end;
    return 0;
}

void ex_doc_free(ex_doc *d) {
    free(d->v);
    free(d->jsonld_scripts);
    free(d->metas);
    memset(d, 0, sizeof *d);
}

float ex_link_density(const ex_node *x) {
    return x->text > 0 ? (float)x->link / (float)x->text : 0.0f;
}

size_t ex_node_text(const ex_doc *d, int i, lede_buf *out) {
    size_t before = out->len;
    for (int j = i; j < d->v[i].end; j++) {
        const ex_node *x = &d->v[j];
        if (x->tag == T_TEXT)
            lede_buf_puts(out, (const char *)x->n->content);
        else if ((x->flags & F_BLOCK) || x->tag == T_BR)
            lede_buf_putc(out, ' ');
    }
    return out->len - before;
}

/* Lowercased letters and digits (any non-ASCII byte counts as a letter), one space between
 * words, so "Title — Site" and "title site" compare equal. */
static void normalise(const char *s, lede_buf *out) {
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (space && out->len) lede_buf_putc(out, ' ');
            space = 0;
            lede_buf_putc(out, (char)c);
        } else if (c >= 'A' && c <= 'Z') {
            if (space && out->len) lede_buf_putc(out, ' ');
            space = 0;
            lede_buf_putc(out, (char)(c + 32));
        } else {
            space = 1;
        }
    }
}

int ex_similar(const char *a, const char *b) {
    if (!a || !b) return 0;
    lede_buf x, y;
    lede_buf_init(&x);
    lede_buf_init(&y);
    normalise(a, &x);
    normalise(b, &y);
    int r = 0;
    if (x.len && y.len) {
        const char *lo = x.len < y.len ? x.data : y.data, *hi = x.len < y.len ? y.data : x.data;
        size_t ll = x.len < y.len ? x.len : y.len, hl = x.len < y.len ? y.len : x.len;
        r = strcmp(x.data, y.data) == 0 || (ll * 4 >= hl * 3 && strstr(hi, lo) != NULL);
    }
    lede_buf_free(&x);
    lede_buf_free(&y);
    return r;
}
