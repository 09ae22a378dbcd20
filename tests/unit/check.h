/* Minimal assertion helpers for the C unit tests: each failure names file and line. */
#ifndef LEDE_TEST_CHECK_H
#define LEDE_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        check_count++;                                                                        \
        if (!(cond)) {                                                                        \
            check_failures++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);          \
        }                                                                                     \
    } while (0)

#define CHECK_STR(a, b)                                                                       \
    do {                                                                                      \
        const char *check_a_ = (a), *check_b_ = (b);                                          \
        check_count++;                                                                        \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                     \
            check_failures++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:      %s\n  expected: %s\n",  \
                    __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)",                   \
                    check_b_ ? check_b_ : "(null)");                                          \
        }                                                                                     \
    } while (0)

#define CHECK_DONE()                                                                          \
    do {                                                                                      \
        printf("%d checks, %d failed\n", check_count, check_failures);                        \
        return check_failures ? 1 : 0;                                                        \
    } while (0)

#endif
