/* A blocking FIFO of pointers shared by threads, closed by its producer side. It is unbounded
 * by itself: the pipeline bounds memory with a fixed pool of work items, so a queue can never
 * hold more than the pool. */
#ifndef LEDE_RUN_QUEUE_H
#define LEDE_RUN_QUEUE_H

#include <pthread.h>
#include <stddef.h>

typedef struct lede_queue_node {
    struct lede_queue_node *next;
} lede_queue_node;

typedef struct lede_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    lede_queue_node *head, *tail;
    size_t n;
    int closed;
} lede_queue;

int lede_queue_init(lede_queue *q);
void lede_queue_destroy(lede_queue *q);
/* Items embed a lede_queue_node as their first member. */
void lede_queue_push(lede_queue *q, lede_queue_node *x);
/* Waits up to timeout_ms (< 0: forever) for an item. NULL on timeout, or when the queue is
 * closed and empty (then *closed is set, if closed is not NULL). */
lede_queue_node *lede_queue_pop(lede_queue *q, int timeout_ms, int *closed);
void lede_queue_close(lede_queue *q);

#endif
