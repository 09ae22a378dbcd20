/* Date normalisation. The parser scans left to right and takes the first position where one of
 * the known shapes (ISO, numeric day-first, "3 February 2022", "Feb. 3, 2022") reads as a valid
 * calendar date, then looks for a time of day and a zone right after it. The zone is kept as
 * written (only its spelling is normalised to Z or ±HH:MM); nothing is converted. */
#include "article/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cursor {
    const char *s;
    size_t n, i;
} cursor;

typedef struct when {
    int y, mo, d;
    int has_time, h, mi, sec;
    int has_zone, zone_utc, zone_min; /* zone_min: signed offset in minutes */
} when;

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }
static int peek(const cursor *c) { return c->i < c->n ? (unsigned char)c->s[c->i] : 0; }

/* Reads 1..max digits; returns the count read (0 = none) and the value in *v. */
static int digits(cursor *c, int max, int *v) {
    int k = 0, x = 0;
    while (k < max && is_digit(peek(c))) {
        x = x * 10 + (peek(c) - '0');
        c->i++, k++;
    }
    if (k && is_digit(peek(c))) return 0; /* longer number than expected: not this shape */
    *v = x;
    return k;
}

static void skip_spaces(cursor *c) {
    while (peek(c) == ' ' || peek(c) == '\t' || peek(c) == '\n' || peek(c) == '\r') c->i++;
}

/* English, French, German, Spanish, Italian, Dutch, Portuguese month names and their usual
 * abbreviations: news pages write dates in their own language. Prefixes of at least three letters
 * match ("Sept", "janv"). */
static const char *const month_names[12][7] = {
    {"january", "janvier", "januar", "enero", "gennaio", "januari", "janeiro"},
    {"february", "fevrier", "februar", "febrero", "febbraio", "februari", "fevereiro"},
    {"march", "mars", "marz", "marzo", "maart", "marco", NULL},
    {"april", "avril", "abril", "aprile", NULL, NULL, NULL},
    {"may", "mai", "mayo", "maggio", "mei", "maio", NULL},
    {"june", "juin", "juni", "junio", "giugno", "junho", NULL},
    {"july", "juillet", "juli", "julio", "luglio", "julho", NULL},
    {"august", "aout", "agosto", "augustus", NULL, NULL, NULL},
    {"september", "septembre", "septiembre", "settembre", "setembro", NULL, NULL},
    {"october", "octobre", "oktober", "octubre", "ottobre", "outubro", NULL},
    {"november", "novembre", "noviembre", "novembro", NULL, NULL, NULL},
    {"december", "decembre", "dezember", "diciembre", "dicembre", "dezembro", NULL},
};

/* Reads a month name at c; returns 1..12 or 0 (cursor unchanged). */
static int month_word(cursor *c) {
    char w[16];
    size_t k = 0, j = c->i;
    while (j < c->n && k < sizeof w - 1) {
        unsigned char ch = (unsigned char)c->s[j];
        if (is_alpha(ch)) {
            w[k++] = (char)lower(ch);
            j++;
        } else if (ch == 0xC3 && j + 1 < c->n) { /* é, è, û, ä as their base letter */
            unsigned char t = (unsigned char)c->s[j + 1];
            w[k++] = (t == 0xA9 || t == 0xA8) ? 'e' : (t == 0xBB ? 'u' : (t == 0xA4 ? 'a' : '?'));
            j += 2;
        } else {
            break;
        }
    }
    if (k < 3 || (j < c->n && is_alpha((unsigned char)c->s[j]))) return 0;
    w[k] = 0;
    for (int m = 0; m < 12; m++)
        for (int v = 0; v < 7 && month_names[m][v]; v++) {
            const char *name = month_names[m][v];
            if (strncmp(name, w, k) == 0 && (k >= 3 || name[k] == 0)) {
                c->i = j;
                if (peek(c) == '.') c->i++;
                return m + 1;
            }
        }
    return 0;
}

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

static int valid_date(const when *w) {
    return w->y >= 1000 && w->y <= 9999 && w->mo >= 1 && w->mo <= 12 && w->d >= 1 &&
           w->d <= days_in_month(w->y, w->mo);
}

static int year4(cursor *c, int *y) { return digits(c, 4, y) == 4; }

/* 2024-05-09, 2024/05/09, 2024.05.09, 20240509 is not accepted (too easy to mistake). */
static int shape_iso(cursor *c, when *w) {
    if (!year4(c, &w->y)) return 0;
    int sep = peek(c);
    if (sep != '-' && sep != '/' && sep != '.') return 0;
    c->i++;
    if (!digits(c, 2, &w->mo) || peek(c) != sep) return 0;
    c->i++;
    return digits(c, 2, &w->d) > 0;
}

/* 31/12/2024, 31.12.2024, 31-12-2024: day first, unless only month-first makes sense. */
static int shape_numeric(cursor *c, when *w) {
    int a, b;
    if (!digits(c, 2, &a)) return 0;
    int sep = peek(c);
    if (sep != '/' && sep != '.' && sep != '-') return 0;
    c->i++;
    if (!digits(c, 2, &b) || peek(c) != sep) return 0;
    c->i++;
    if (!year4(c, &w->y)) return 0;
    w->d = a, w->mo = b;
    if (b > 12 && a <= 12) w->d = b, w->mo = a;
    return 1;
}

static void skip_ordinal(cursor *c) {
    static const char *const sfx[] = {"st", "nd", "rd", "th", "er"};
    for (size_t k = 0; k < sizeof sfx / sizeof *sfx; k++)
        if (c->i + 2 <= c->n && lower(c->s[c->i]) == sfx[k][0] &&
            lower(c->s[c->i + 1]) == sfx[k][1] &&
            (c->i + 2 == c->n || !is_alpha((unsigned char)c->s[c->i + 2]))) {
            c->i += 2;
            return;
        }
}

/* 3 February 2022, 3. Feb 2022, 3rd of February, 2022, 10 Jun 2003 */
static int shape_day_month(cursor *c, when *w) {
    if (!digits(c, 2, &w->d)) return 0;
    skip_ordinal(c);
    if (peek(c) == '.') c->i++;
    skip_spaces(c);
    if (c->i + 3 <= c->n && strncmp(c->s + c->i, "of ", 3) == 0) c->i += 3;
    if (c->i + 3 <= c->n && strncmp(c->s + c->i, "de ", 3) == 0) c->i += 3;
    if (!(w->mo = month_word(c))) return 0;
    if (peek(c) == ',') c->i++;
    skip_spaces(c);
    if (c->i + 3 <= c->n && strncmp(c->s + c->i, "de ", 3) == 0) c->i += 3;
    return year4(c, &w->y);
}

/* Feb. 3, 2022; February 3rd 2022; Sept 30, 2019 */
static int shape_month_day(cursor *c, when *w) {
    if (!(w->mo = month_word(c))) return 0;
    skip_spaces(c);
    if (!digits(c, 2, &w->d)) return 0;
    skip_ordinal(c);
    if (peek(c) == ',') c->i++;
    skip_spaces(c);
    return year4(c, &w->y);
}

static int zone_word(cursor *c, when *w) {
    static const struct {
        const char *name;
        int min;
    } zones[] = {{"UTC", 0},     {"GMT", 0},     {"UT", 0},      {"EST", -300}, {"EDT", -240},
                 {"CST", -360},  {"CDT", -300},  {"MST", -420},  {"MDT", -360}, {"PST", -480},
                 {"PDT", -420},  {"CET", 60},    {"CEST", 120},  {"BST", 60},   {"IST", 330},
                 {"JST", 540},   {"AEST", 600},  {"AEDT", 660}};
    for (size_t k = 0; k < sizeof zones / sizeof *zones; k++) {
        size_t L = strlen(zones[k].name);
        if (c->i + L <= c->n && strncmp(c->s + c->i, zones[k].name, L) == 0 &&
            (c->i + L == c->n || !is_alpha((unsigned char)c->s[c->i + L]))) {
            c->i += L;
            w->has_zone = 1;
            w->zone_min = zones[k].min;
            return 1;
        }
    }
    return 0;
}

/* Z, +01:00, +0100, +01, -05:00, or a zone abbreviation after a space. */
static void read_zone(cursor *c, when *w) {
    size_t save = c->i;
    if (peek(c) == 'Z' || peek(c) == 'z') {
        c->i++;
        w->has_zone = w->zone_utc = 1;
        return;
    }
    skip_spaces(c);
    int sign = peek(c);
    if (sign == '+' || sign == '-') {
        c->i++;
        int hh, mm = 0;
        size_t after_sign = c->i;
        if (digits(c, 4, &hh) == 4) {
            mm = hh % 100, hh /= 100;
        } else {
            c->i = after_sign;
            if (digits(c, 2, &hh) == 0) goto none;
            if (peek(c) == ':') {
                c->i++;
                if (digits(c, 2, &mm) != 2) goto none;
            }
        }
        if (hh > 14 || mm > 59) goto none;
        w->has_zone = 1;
        w->zone_min = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
        return;
    }
    if (zone_word(c, w)) return;
none:
    c->i = save;
}

static int read_ampm(cursor *c, when *w) {
    skip_spaces(c);
    if (c->i + 2 > c->n) return 0;
    int a = lower(c->s[c->i]), b = lower(c->s[c->i + 1]);
    size_t len = 2;
    if (b == '.' && c->i + 4 <= c->n && lower(c->s[c->i + 2]) == 'm') {
        b = 'm';
        len = c->s[c->i + 3] == '.' ? 4 : 3;
    }
    if ((a != 'a' && a != 'p') || b != 'm') return 0;
    if (c->i + len < c->n && is_alpha((unsigned char)c->s[c->i + len])) return 0;
    c->i += len;
    if (w->h == 12) w->h = 0;
    if (a == 'p') w->h += 12;
    return 1;
}

/* HH:MM[:SS[.frac]] [am|pm] [zone], after T, a space, a comma or "at". */
static void read_time(cursor *c, when *w) {
    size_t save = c->i;
    if (peek(c) == 'T' || peek(c) == 't') {
        c->i++;
    } else {
        while (peek(c) == ',' || peek(c) == ' ' || peek(c) == '-' || peek(c) == '|') c->i++;
        if (c->i + 3 <= c->n && strncmp(c->s + c->i, "at ", 3) == 0) c->i += 3;
        skip_spaces(c);
    }
    int h, mi, sec = 0;
    if (!digits(c, 2, &h) || peek(c) != ':') goto none;
    c->i++;
    if (digits(c, 2, &mi) != 2) goto none;
    if (peek(c) == ':') {
        c->i++;
        if (digits(c, 2, &sec) != 2) goto none;
        if (peek(c) == '.' || peek(c) == ',') {
            c->i++;
            while (is_digit(peek(c))) c->i++;
        }
    }
    if (h > 23 || mi > 59 || sec > 60) goto none;
    w->has_time = 1, w->h = h, w->mi = mi, w->sec = sec;
    size_t before_ampm = c->i;
    if (!read_ampm(c, w)) c->i = before_ampm;
    if (w->h > 23) goto none;
    read_zone(c, w);
    return;
none:
    c->i = save;
}

static int try_at(const char *s, size_t n, size_t i, when *w) {
    int (*const shapes[])(cursor *, when *) = {shape_iso, shape_numeric, shape_day_month,
                                               shape_month_day};
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        cursor c = {s, n, i};
        memset(w, 0, sizeof *w);
        if (shapes[k](&c, w) && valid_date(w)) {
            read_time(&c, w);
            return 1;
        }
    }
    return 0;
}

static char *format(const when *w) {
    char out[40];
    int len = snprintf(out, sizeof out, "%04d-%02d-%02d", w->y, w->mo, w->d);
    if (w->has_time) {
        len += snprintf(out + len, sizeof out - (size_t)len, "T%02d:%02d:%02d", w->h, w->mi,
                        w->sec);
        if (w->has_zone && w->zone_utc) {
            snprintf(out + len, sizeof out - (size_t)len, "Z");
        } else if (w->has_zone) {
            int m = w->zone_min < 0 ? -w->zone_min : w->zone_min;
            snprintf(out + len, sizeof out - (size_t)len, "%c%02d:%02d",
                     w->zone_min < 0 ? '-' : '+', m / 60, m % 60);
        }
    }
    char *r = malloc(strlen(out) + 1);
    if (r) strcpy(r, out);
    return r;
}

char *lede_date_iso(const char *s, size_t n) {
    if (!s) return NULL;
    when w;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int starts_token = i == 0 || !(is_digit((unsigned char)s[i - 1]) ||
                                       is_alpha((unsigned char)s[i - 1]));
        if (!starts_token || !(is_digit(ch) || is_alpha(ch))) continue;
        if (try_at(s, n, i, &w)) return format(&w);
    }
    return NULL;
}
