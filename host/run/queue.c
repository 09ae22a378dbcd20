#include "run/queue.h"

#include <errno.h>
#include <time.h>

int lede_queue_init(lede_queue *q) {
    q->head = q->tail = NULL;
    q->n = 0;
    q->closed = 0;
    if (pthread_mutex_init(&q->mu, NULL) != 0) return -1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* timeouts immune to clock changes */
    int rc = pthread_cond_init(&q->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0) pthread_mutex_destroy(&q->mu);
    return rc ? -1 : 0;
}

void lede_queue_destroy(lede_queue *q) {
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

void lede_queue_push(lede_queue *q, lede_queue_node *x) {
    x->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail) q->tail->next = x;
    else q->head = x;
    q->tail = x;
    q->n++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

lede_queue_node *lede_queue_pop(lede_queue *q, int timeout_ms, int *closed) {
    struct timespec until;
    if (timeout_ms >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->mu);
    while (!q->head && !q->closed) {
        if (timeout_ms < 0) pthread_cond_wait(&q->cv, &q->mu);
        else if (pthread_cond_timedwait(&q->cv, &q->mu, &until) == ETIMEDOUT) break;
    }
    lede_queue_node *x = q->head;
    if (x) {
        q->head = x->next;
        if (!q->head) q->tail = NULL;
        q->n--;
    }
    if (closed) *closed = !x && q->closed;
    pthread_mutex_unlock(&q->mu);
    return x;
}

void lede_queue_close(lede_queue *q) {
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}
