/* lede_date_iso: every shape the header promises, and what must stay NULL. */
#include <stdlib.h>
#include <string.h>

#include "article/date.h"
#include "check.h"

static char *iso(const char *s) { return lede_date_iso(s, strlen(s)); }

#define DATE_IS(in, want)                                                                     \
    do {                                                                                      \
        char *got_ = iso(in);                                                                 \
        CHECK_STR(got_, want);                                                                \
        free(got_);                                                                           \
    } while (0)

#define DATE_NONE(in)                                                                         \
    do {                                                                                      \
        char *got_ = iso(in);                                                                 \
        CHECK(got_ == NULL);                                                                  \
        free(got_);                                                                           \
    } while (0)

int main(void) {
    /* ISO 8601 and its variants: the zone is kept as written, never converted */
    DATE_IS("2024-05-09", "2024-05-09");
    DATE_IS("2024-05-09T02:10:00Z", "2024-05-09T02:10:00Z");
    DATE_IS("2024-05-09T02:10:00+00:00", "2024-05-09T02:10:00+00:00");
    DATE_IS("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00");
    DATE_IS("2015-07-10T09:53:00-04:00", "2015-07-10T09:53:00-04:00");
    DATE_IS("2019-01-03T07:00:02.000Z", "2019-01-03T07:00:02Z");
    DATE_IS("2017-11-03 03:01:00.000000", "2017-11-03T03:01:00");
    DATE_IS("2024-05-09T02:10", "2024-05-09T02:10:00");
    DATE_IS("2024/5/9", "2024-05-09");
    /* RFC 822 / 1123 as feeds write it */
    DATE_IS("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00");
    DATE_IS("Tue, 10 Jun 2003 04:00:00 -0500", "2003-06-10T04:00:00-05:00");
    DATE_IS("Sat, 07 Sep 2002 00:00:01 EDT", "2002-09-07T00:00:01-04:00");
    /* prose dates */
    DATE_IS("Feb. 3, 2022", "2022-02-03");
    DATE_IS("February 3rd, 2022", "2022-02-03");
    DATE_IS("3 February 2022", "2022-02-03");
    DATE_IS("Published: 3rd of February 2022", "2022-02-03");
    DATE_IS("April 28, 2019 at 6:01 am", "2019-04-28T06:01:00");
    DATE_IS("Updated April 28, 2019 at 6:01 pm EDT", "2019-04-28T18:01:00-04:00");
    DATE_IS("Sept 30, 2019", "2019-09-30");
    DATE_IS("1. März 2021", "2021-03-01");
    DATE_IS("12 décembre 2020", "2020-12-12");
    /* numeric, day first unless only month first is possible */
    DATE_IS("31/12/2024", "2024-12-31");
    DATE_IS("01.02.2024", "2024-02-01");
    DATE_IS("12/31/2024", "2024-12-31");
    DATE_IS("Posted on 5/6/2020 by admin", "2020-06-05");
    /* garbage and impossible dates */
    DATE_NONE("");
    DATE_NONE("yesterday");
    DATE_NONE("1234567890");
    DATE_NONE("2023-02-30");
    DATE_NONE("32/01/2024");
    DATE_NONE("May the force be with you");
    DATE_NONE("version 1.2.3");
    CHECK(lede_date_iso(NULL, 0) == NULL);
    /* the length is honoured: nothing past n is read */
    char *t = lede_date_iso("2024-05-09T10:00:00Z", 10);
    CHECK_STR(t, "2024-05-09");
    free(t);
    CHECK_DONE();
}
