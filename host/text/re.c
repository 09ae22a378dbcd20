/* PCRE2 wrapper: compile through a process-wide cache, match with per-thread matchers that
 * carry the limits. Why a cache: rule packs and scripts compile the same patterns again and
 * again (often inside on_article); compiling + JIT costs far more than a lookup. Why bounded:
 * a script that builds patterns from article text must not grow memory without end. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "text/re.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "util/hash.h"
#include "util/utf8.h"

struct lede_re {
    atomic_int refs;
    unsigned flags;
    int jit;
    pcre2_code *code;
    uint32_t ncap;
    uint32_t nnames, name_entry;
    const unsigned char *names;
    char *pattern;
    size_t len;
    uint64_t hash;
    /* cache links, guarded by the cache mutex */
    struct lede_re *bucket_next, *lru_prev, *lru_next;
    int cached;
};

struct lede_re_matcher {
    lede_re_limits limits;
    pcre2_match_data *md;
    uint32_t md_pairs;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    int last_pcre_error;
};

/* ---- flags -------------------------------------------------------------------------------- */

lede_re_limits lede_re_default_limits(void) {
    lede_re_limits l = {LEDE_DEFAULT_RE_MATCH_LIMIT, LEDE_DEFAULT_RE_DEPTH_LIMIT,
                        LEDE_DEFAULT_RE_HEAP_LIMIT_KIB, LEDE_DEFAULT_RE_JIT_STACK_MAX};
    return l;
}

int lede_re_parse_flags(const char *s, unsigned *flags, char *err, size_t errlen) {
    static const char letters[] = "imsxUabA";
    *flags = 0;
    for (; s && *s; s++) {
        const char *p = strchr(letters, *s);
        if (!p) {
            snprintf(err, errlen, "unknown regex flag '%c' (known: %s)", *s, letters);
            return LEDE_RE_EFLAGS;
        }
        *flags |= 1u << (p - letters);
    }
    return LEDE_RE_OK;
}

static uint32_t pcre_options(unsigned f) {
    uint32_t o = 0;
    if (f & LEDE_RE_CASELESS) o |= PCRE2_CASELESS;
    if (f & LEDE_RE_MULTILINE) o |= PCRE2_MULTILINE;
    if (f & LEDE_RE_DOTALL) o |= PCRE2_DOTALL;
    if (f & LEDE_RE_EXTENDED) o |= PCRE2_EXTENDED;
    if (f & LEDE_RE_UNGREEDY) o |= PCRE2_UNGREEDY;
    if (f & LEDE_RE_ANCHORED) o |= PCRE2_ANCHORED;
    /* MATCH_INVALID_UTF: article text is repaired, but strings built in Lua may hold any
     * bytes; invalid sequences then simply never match instead of failing every call, and
     * PCRE2 skips its O(n) validity check per call (which made gmatch quadratic). */
    if (!(f & LEDE_RE_BYTES)) o |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (!(f & (LEDE_RE_BYTES | LEDE_RE_ASCII))) o |= PCRE2_UCP;
    return o;
}

/* ---- the compiled object ------------------------------------------------------------------ */

static void re_destroy(lede_re *re) {
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

lede_re *lede_re_retain(lede_re *re) {
    atomic_fetch_add(&re->refs, 1);
    return re;
}

void lede_re_release(lede_re *re) {
    if (re && atomic_fetch_sub(&re->refs, 1) == 1) re_destroy(re);
}

static int re_build(const char *pat, size_t len, unsigned flags, uint64_t h, lede_re **out,
                    char *err, size_t errlen) {
    int ec;
    PCRE2_SIZE eoff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, len, pcre_options(flags), &ec, &eoff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(err, errlen, "%s at offset %zu", (char *)msg, (size_t)eoff);
        return LEDE_RE_EPATTERN;
    }
    lede_re *re = calloc(1, sizeof *re);
    char *copy = malloc(len + 1);
    if (!re || !copy) {
        free(re);
        free(copy);
        pcre2_code_free(code);
        snprintf(err, errlen, "out of memory compiling a regex");
        return LEDE_RE_ENOMEM;
    }
    memcpy(copy, pat, len);
    copy[len] = '\0';
    atomic_init(&re->refs, 1);
    re->flags = flags;
    re->code = code;
    re->pattern = copy;
    re->len = len;
    re->hash = h;
    re->jit = !(flags & LEDE_RE_NOJIT) && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &re->ncap);
    pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &re->nnames);
    pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &re->name_entry);
    pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &re->names);
    *out = re;
    return LEDE_RE_OK;
}

/* ---- the cache: chained hash + LRU list, one mutex ---------------------------------------- */

#define CACHE_BUCKETS 8192 /* power of two, about twice LEDE_RE_CACHE_MAX */

static struct {
    pthread_mutex_t lock;
    lede_re *buckets[CACHE_BUCKETS];
    lede_re *head, *tail; /* head = most recently used */
    size_t n;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint64_t key_hash(const char *pat, size_t len, unsigned flags) {
    return lede_hash64(pat, len) ^ ((uint64_t)flags * 0x9E3779B97F4A7C15ULL);
}

static void lru_unlink(lede_re *re) {
    if (re->lru_prev) re->lru_prev->lru_next = re->lru_next;
    else cache.head = re->lru_next;
    if (re->lru_next) re->lru_next->lru_prev = re->lru_prev;
    else cache.tail = re->lru_prev;
    re->lru_prev = re->lru_next = NULL;
}

static void lru_push_front(lede_re *re) {
    re->lru_prev = NULL;
    re->lru_next = cache.head;
    if (cache.head) cache.head->lru_prev = re;
    cache.head = re;
    if (!cache.tail) cache.tail = re;
}

static void bucket_remove(lede_re *re) {
    lede_re **pp = &cache.buckets[re->hash & (CACHE_BUCKETS - 1)];
    while (*pp && *pp != re) pp = &(*pp)->bucket_next;
    if (*pp) *pp = re->bucket_next;
    re->bucket_next = NULL;
}

/* Drops the cache's reference to re; returns it if that was the last one (free outside the
 * lock), else NULL. */
static lede_re *cache_evict(lede_re *re) {
    bucket_remove(re);
    lru_unlink(re);
    re->cached = 0;
    cache.n--;
    return atomic_fetch_sub(&re->refs, 1) == 1 ? re : NULL;
}

static lede_re *cache_find(const char *pat, size_t len, unsigned flags, uint64_t h) {
    for (lede_re *re = cache.buckets[h & (CACHE_BUCKETS - 1)]; re; re = re->bucket_next)
        if (re->hash == h && re->flags == flags && re->len == len && !memcmp(re->pattern, pat, len))
            return re;
    return NULL;
}

/* Inserts re (taking one extra reference for the cache) unless an equal one got there first,
 * in which case that one is returned instead and re is handed back for freeing. */
static lede_re *cache_insert(lede_re *re, lede_re **loser, lede_re **evicted) {
    lede_re *have = cache_find(re->pattern, re->len, re->flags, re->hash);
    if (have) {
        *loser = re;
        lru_unlink(have);
        lru_push_front(have);
        return lede_re_retain(have);
    }
    if (cache.n >= LEDE_RE_CACHE_MAX && cache.tail) *evicted = cache_evict(cache.tail);
    lede_re **b = &cache.buckets[re->hash & (CACHE_BUCKETS - 1)];
    re->bucket_next = *b;
    *b = re;
    lru_push_front(re);
    re->cached = 1;
    cache.n++;
    return lede_re_retain(re);
}

int lede_re_compile(const char *pat, size_t len, unsigned flags, lede_re **out, char *err,
                    size_t errlen) {
    *out = NULL;
    if (len > LEDE_RE_MAX_PATTERN_BYTES) {
        snprintf(err, errlen, "regex too long (%zu bytes; limit %u)", len,
                 (unsigned)LEDE_RE_MAX_PATTERN_BYTES);
        return LEDE_RE_EPATTERN;
    }
    uint64_t h = key_hash(pat, len, flags);
    pthread_mutex_lock(&cache.lock);
    lede_re *hit = cache_find(pat, len, flags, h);
    if (hit) {
        lru_unlink(hit);
        lru_push_front(hit);
        *out = lede_re_retain(hit);
    }
    pthread_mutex_unlock(&cache.lock);
    if (hit) return LEDE_RE_OK;
    /* compile outside the lock: JIT compiling a big pattern takes milliseconds */
    lede_re *re;
    int rc = re_build(pat, len, flags, h, &re, err, errlen);
    if (rc) return rc;
    lede_re *loser = NULL, *evicted = NULL;
    pthread_mutex_lock(&cache.lock);
    *out = cache_insert(re, &loser, &evicted);
    pthread_mutex_unlock(&cache.lock);
    if (loser) lede_re_release(loser);
    if (evicted) re_destroy(evicted);
    return LEDE_RE_OK;
}

void lede_re_cache_clear(void) {
    for (;;) {
        pthread_mutex_lock(&cache.lock);
        lede_re *dead = cache.tail ? cache_evict(cache.tail) : NULL;
        int more = cache.n > 0;
        pthread_mutex_unlock(&cache.lock);
        if (dead) re_destroy(dead);
        if (!more) break;
    }
}

size_t lede_re_cache_size(void) {
    pthread_mutex_lock(&cache.lock);
    size_t n = cache.n;
    pthread_mutex_unlock(&cache.lock);
    return n;
}

/* ---- accessors ---------------------------------------------------------------------------- */

unsigned lede_re_flags(const lede_re *re) { return re->flags; }

const char *lede_re_pattern(const lede_re *re, size_t *len) {
    if (len) *len = re->len;
    return re->pattern;
}

uint32_t lede_re_capture_count(const lede_re *re) { return re->ncap; }
int lede_re_is_jit(const lede_re *re) { return re->jit; }
uint32_t lede_re_name_count(const lede_re *re) { return re->nnames; }

const char *lede_re_name_at(const lede_re *re, uint32_t i, uint32_t *group) {
    const unsigned char *e = re->names + (size_t)i * re->name_entry;
    *group = ((uint32_t)e[0] << 8) | e[1];
    return (const char *)e + 2;
}

/* ---- matchers ----------------------------------------------------------------------------- */

lede_re_matcher *lede_re_matcher_new(const lede_re_limits *limits) {
    lede_re_matcher *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->limits = limits ? *limits : lede_re_default_limits();
    m->mc = pcre2_match_context_create(NULL);
    m->md_pairs = 16;
    m->md = pcre2_match_data_create(m->md_pairs, NULL);
    size_t jmax = m->limits.jit_stack_max < 32768 ? 32768 : m->limits.jit_stack_max;
    m->js = pcre2_jit_stack_create(32768, jmax, NULL);
    if (!m->mc || !m->md || !m->js) {
        lede_re_matcher_free(m);
        return NULL;
    }
    pcre2_set_match_limit(m->mc, m->limits.match);
    pcre2_set_depth_limit(m->mc, m->limits.depth);
    pcre2_set_heap_limit(m->mc, m->limits.heap_kib);
    pcre2_jit_stack_assign(m->mc, NULL, m->js);
    return m;
}

void lede_re_matcher_free(lede_re_matcher *m) {
    if (!m) return;
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    pcre2_jit_stack_free(m->js);
    free(m);
}

const lede_re_limits *lede_re_matcher_limits(const lede_re_matcher *m) { return &m->limits; }

static int ensure_pairs(lede_re_matcher *m, uint32_t pairs) {
    if (pairs <= m->md_pairs) return 0;
    pcre2_match_data *md = pcre2_match_data_create(pairs, NULL);
    if (!md) return -1;
    pcre2_match_data_free(m->md);
    m->md = md;
    m->md_pairs = pairs;
    return 0;
}

static int map_error(lede_re_matcher *m, int rc) {
    m->last_pcre_error = rc;
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT: return LEDE_RE_EMATCHLIMIT;
    case PCRE2_ERROR_DEPTHLIMIT: return LEDE_RE_EDEPTHLIMIT;
    case PCRE2_ERROR_HEAPLIMIT: return LEDE_RE_EHEAPLIMIT;
    case PCRE2_ERROR_JIT_STACKLIMIT: return LEDE_RE_EJITSTACK;
    case PCRE2_ERROR_NOMEMORY: return LEDE_RE_ENOMEM;
    default: return LEDE_RE_EMATCH;
    }
}

int lede_re_exec(const lede_re *re, lede_re_matcher *m, const char *s, size_t n, size_t off,
                 unsigned opts) {
    if (off > n) return 0;
    if (ensure_pairs(m, re->ncap + 1)) return LEDE_RE_ENOMEM;
    uint32_t o = 0;
    if (opts & LEDE_RE_EXEC_ANCHORED) o |= PCRE2_ANCHORED;
    if (opts & LEDE_RE_EXEC_NOTEMPTY_ATSTART) o |= PCRE2_NOTEMPTY_ATSTART;
    int rc;
    /* the JIT entry point skips option checks; PCRE2_ANCHORED at match time needs the
     * interpreter unless the pattern was compiled anchored */
    if (re->jit && !(o & PCRE2_ANCHORED))
        rc = pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, off, o, m->md, m->mc);
    else rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, off, o, m->md, m->mc);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return 0;
    return map_error(m, rc);
}

const size_t *lede_re_offsets(const lede_re_matcher *m) {
    return (const size_t *)pcre2_get_ovector_pointer(m->md);
}

void lede_re_strerror(const lede_re_matcher *m, int rc, char *buf, size_t len) {
    const lede_re_limits *l = m ? &m->limits : NULL;
    switch (rc) {
    case LEDE_RE_EMATCHLIMIT:
        snprintf(buf, len, "regex match limit hit (%u backtracking steps, --max-regex-match): the pattern "
                 "backtracks too much on this input", l ? l->match : 0);
        break;
    case LEDE_RE_EDEPTHLIMIT:
        snprintf(buf, len, "regex depth limit hit (%u, --max-regex-depth)", l ? l->depth : 0);
        break;
    case LEDE_RE_EHEAPLIMIT:
        snprintf(buf, len, "regex heap limit hit (%u KiB, --max-regex-heap)", l ? l->heap_kib : 0);
        break;
    case LEDE_RE_EJITSTACK:
        snprintf(buf, len, "regex JIT stack limit hit (%zu bytes; no flag: the pattern needs a rewrite)",
                 l ? l->jit_stack_max : 0);
        break;
    case LEDE_RE_ENOMEM: snprintf(buf, len, "out of memory in regex match"); break;
    default: {
        PCRE2_UCHAR msg[256] = "unknown error";
        if (m) pcre2_get_error_message(m->last_pcre_error, msg, sizeof msg);
        snprintf(buf, len, "regex match error: %s", (char *)msg);
    }
    }
}

size_t lede_re_char_len(const lede_re *re, const char *s, size_t n, size_t off) {
    if (off >= n || (re->flags & LEDE_RE_BYTES)) return 1;
    size_t k = lede_utf8_seq_len((const unsigned char *)s + off, n - off);
    return k ? k : 1;
}
