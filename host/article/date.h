/* Date normalisation: whatever a page, feed or dump writes → ISO 8601. */
#ifndef LEDE_ARTICLE_DATE_H
#define LEDE_ARTICLE_DATE_H

#include <stddef.h>

/* Returns a malloc'd ISO 8601 string ("2024-05-09", "2024-05-09T02:10:00+00:00",
 * "2024-05-09T02:10:00") for s, or NULL when s holds no recognisable date. Understands ISO 8601
 * and its common variants, RFC 822/1123 (feeds), "Feb. 3, 2022", "3 February 2022",
 * "31/12/2024" (day first), epoch-free text around the date. The time zone is kept as written,
 * never converted. */
char *lede_date_iso(const char *s, size_t n);

#endif
