/* Times as text for the query command line and the table output: integers for every
 * timeline, RFC 3339 dates for timestamps, numbers with units for durations, and back. Dates
 * use the proleptic Gregorian calendar in UTC (days from civil, H. Hinnant's algorithm). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"

#define NS_PER_SEC 1000000000LL

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly `n` digits. */
static bool digits(const char **p, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* Reads "[.fraction]" as nanoseconds (digits beyond the ninth are dropped). */
static void fraction_ns(const char **p, int64_t *out)
{
    *out = 0;
    if (**p != '.')
        return;
    (*p)++;
    int64_t scale = NS_PER_SEC / 10;
    while (**p >= '0' && **p <= '9') {
        *out += (**p - '0') * scale;
        scale /= 10;
        (*p)++;
    }
}

static bool parse_integer(const char *text, int64_t *out, bool *overflow)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end != '\0')
        return false;
    *overflow = errno == ERANGE;
    *out = v;
    return true;
}

static reel_status parse_timestamp(const char *text, int64_t *out, reel_error *err)
{
    const char *p = text;
    int64_t year, month, day, hour = 0, minute = 0, second = 0, frac = 0, offset = 0;
    if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &month) || *p++ != '-' ||
        !digits(&p, 2, &day))
        goto bad;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &hour) || *p++ != ':' || !digits(&p, 2, &minute))
            goto bad;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &second))
                goto bad;
            fraction_ns(&p, &frac);
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            int64_t oh, om;
            if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 || om > 59)
                goto bad;
            offset = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p != '\0' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
        second > 60)
        goto bad;
    int64_t days = days_from_civil(year, (unsigned)month, (unsigned)day);
    int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset;
    int64_t ns;
    if (__builtin_mul_overflow(seconds, NS_PER_SEC, &ns) || __builtin_add_overflow(ns, frac, &ns))
        return reel_error_set(
            err, REEL_LIMIT, "time '%s' is outside what int64 nanoseconds hold (1677..2262)", text);
    *out = ns;
    return REEL_OK;
bad:
    return reel_error_set(err, REEL_INVALID_ARGUMENT,
                          "time '%s': expected nanoseconds or an RFC 3339 date such as "
                          "2026-11-22T04:27:45.5Z",
                          text);
}

static reel_status parse_duration(const char *text, int64_t *out, reel_error *err)
{
    static const struct {
        const char *name;
        int64_t ns;
    } units[] = {{"ns", 1},
                 {"us", 1000},
                 {"\xc2\xb5s", 1000},
                 {"ms", 1000000},
                 {"s", NS_PER_SEC},
                 {"min", 60 * NS_PER_SEC},
                 {"h", 3600 * NS_PER_SEC}};
    const char *p = text;
    int sign = 1;
    if (*p == '-' || *p == '+')
        sign = *p++ == '-' ? -1 : 1;
    int64_t whole = 0;
    const char *start = p;
    while (*p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, *p - '0', &whole))
            goto limit;
        p++;
    }
    /* The fraction, kept as digits so that "1.5ms" is exact. */
    const char *frac = NULL;
    size_t frac_len = 0;
    if (*p == '.') {
        frac = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        frac_len = (size_t)(p - frac);
    }
    if (p == start || (p == start + 1 && frac != NULL && frac_len == 0))
        goto bad;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        if (strcmp(p, units[u].name) != 0)
            continue;
        int64_t ns;
        if (__builtin_mul_overflow(whole, units[u].ns, &ns))
            goto limit;
        /* The fraction times the unit, exactly (18 digits are far below a nanosecond). */
        int64_t numerator = 0, denominator = 1;
        for (size_t i = 0; i < frac_len && i < 18; i++) {
            numerator = numerator * 10 + (frac[i] - '0');
            denominator *= 10;
        }
        int64_t part = (int64_t)(((__int128)numerator * units[u].ns) / denominator);
        if (__builtin_add_overflow(ns, part, &ns))
            goto limit;
        *out = sign * ns;
        return REEL_OK;
    }
    goto bad;
limit:
    return reel_error_set(err, REEL_LIMIT, "duration '%s' does not fit in int64 nanoseconds", text);
bad:
    return reel_error_set(err, REEL_INVALID_ARGUMENT,
                          "duration '%s': expected nanoseconds or a number with a unit "
                          "(ns, us, ms, s, min, h), such as 1.5s",
                          text);
}

reel_status reel_query_parse_time(reel_time_type type, const char *text, int64_t *out,
                                  reel_error *err)
{
    int64_t value;
    bool overflow = false;
    if (parse_integer(text, &value, &overflow)) {
        if (overflow)
            return reel_error_set(err, REEL_LIMIT, "time '%s' does not fit in int64", text);
        *out = value;
        return REEL_OK;
    }
    switch (type) {
    case REEL_TIME_TIMESTAMP_NS:
        return parse_timestamp(text, out, err);
    case REEL_TIME_DURATION_NS:
        return parse_duration(text, out, err);
    case REEL_TIME_SEQUENCE:
    default:
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "time '%s': a sequence timeline takes an integer", text);
    }
}

/* ".fraction" of nanoseconds with trailing zeros dropped; nothing for 0. */
static reel_status append_fraction(reel_buf *out, int64_t ns)
{
    if (ns == 0)
        return REEL_OK;
    char text[16];
    int n = snprintf(text, sizeof text, ".%09lld", (long long)ns);
    while (n > 1 && text[n - 1] == '0')
        n--;
    return reel_buf_append(out, text, (size_t)n);
}

reel_status reel_query_format_time(reel_time_type type, int64_t value, reel_buf *out)
{
    if (type == REEL_TIME_TIMESTAMP_NS) {
        int64_t secs = value / NS_PER_SEC, ns = value % NS_PER_SEC;
        if (ns < 0) {
            ns += NS_PER_SEC;
            secs--;
        }
        int64_t days = secs / 86400, sod = secs % 86400;
        if (sod < 0) {
            sod += 86400;
            days--;
        }
        int64_t y;
        unsigned m, d;
        civil_from_days(days, &y, &m, &d);
        REEL_TRY(reel_buf_printf(out, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
                                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60)));
        REEL_TRY(append_fraction(out, ns));
        return reel_buf_append(out, "Z", 1);
    }
    if (type == REEL_TIME_DURATION_NS) {
        /* |INT64_MIN| does not fit in int64: work in uint64. */
        uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
        REEL_TRY(reel_buf_printf(out, "%s%llu", value < 0 ? "-" : "",
                                 (unsigned long long)(mag / NS_PER_SEC)));
        REEL_TRY(append_fraction(out, (int64_t)(mag % NS_PER_SEC)));
        return reel_buf_append(out, "s", 1);
    }
    return reel_buf_printf(out, "%lld", (long long)value);
}
