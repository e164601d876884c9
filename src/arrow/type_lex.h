/* Private to the type-string parser (type_string.c builds fields, type_search.c looks for
 * the reading of an ambiguous string): the lexing both share, the record of open decisions
 * and the search entry point. */
#ifndef REEL_ARROW_TYPE_LEX_H
#define REEL_ARROW_TYPE_LEX_H

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_util.h"

static const char *const unit_names[4] = {"s", "ms", "us", "ns"};

/* Failure details of one parse attempt: the first error wins. */
typedef struct parse_error {
    reel_status status;
    size_t offset;
    char message[160];
} parse_error;

static inline bool fail(parse_error *e, reel_status status, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static inline bool fail(parse_error *e, reel_status status, size_t offset, const char *fmt, ...)
{
    if (e != NULL && e->status == REEL_OK) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(e->message, sizeof e->message, fmt, args);
        va_end(args);
        e->status = status;
        e->offset = offset;
    }
    return false;
}

static inline bool has(const char *s, size_t len, size_t pos, const char *lit)
{
    size_t n = strlen(lit);
    return pos <= len && len - pos >= n && memcmp(s + pos, lit, n) == 0;
}

static inline bool expect(const char *s, size_t len, size_t *pos, const char *lit, parse_error *e)
{
    if (!has(s, len, *pos, lit))
        return fail(e, REEL_INVALID_ARGUMENT, *pos, "expected '%s'", lit);
    *pos += strlen(lit);
    return true;
}

static const char *const unsupported_words[] = {
    "list_view",         "large_list_view",         "string_view",
    "binary_view",       "run_end_encoded",         "month_interval",
    "day_time_interval", "month_day_nano_interval", "extension"};

/* Reads the type keyword at *pos into *type. */
static inline bool lex_type_word(const char *s, size_t len, size_t *pos, reel_arrow_type *type,
                                 parse_error *e)
{
    size_t start = *pos, end = start;
    while (end < len &&
           ((s[end] >= 'a' && s[end] <= 'z') || (s[end] >= '0' && s[end] <= '9') || s[end] == '_'))
        end++;
    size_t n = end - start;
    if (n == 0)
        return fail(e, REEL_INVALID_ARGUMENT, start, "expected a type name");
    for (int t = 0; t < REEL_ARROW_TYPE_COUNT; t++) {
        const char *name = reel_arrow_type_name((reel_arrow_type)t);
        if (strlen(name) == n && memcmp(name, s + start, n) == 0) {
            *type = (reel_arrow_type)t;
            *pos = end;
            return true;
        }
    }
    int shown = n > 40 ? 40 : (int)n;
    for (size_t i = 0; i < sizeof unsupported_words / sizeof unsupported_words[0]; i++) {
        if (strlen(unsupported_words[i]) == n && memcmp(unsupported_words[i], s + start, n) == 0)
            return fail(e, REEL_UNSUPPORTED, start, "type '%.*s' is not supported", shown,
                        s + start);
    }
    return fail(e, REEL_INVALID_ARGUMENT, start, "unknown type '%.*s'", shown, s + start);
}

/* A decimal integer without sign or leading zeros, <= max. */
static inline bool lex_uint(const char *s, size_t len, size_t *pos, int64_t max, int64_t *out,
                            parse_error *e)
{
    size_t start = *pos, i = start;
    int64_t value = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        value = value * 10 + (s[i] - '0');
        if (value > max)
            return fail(e, REEL_INVALID_ARGUMENT, start, "number too large (max %lld)",
                        (long long)max);
        i++;
    }
    if (i == start)
        return fail(e, REEL_INVALID_ARGUMENT, start, "expected a number");
    if (s[start] == '0' && i - start > 1)
        return fail(e, REEL_INVALID_ARGUMENT, start, "number with a leading zero");
    *pos = i;
    *out = value;
    return true;
}

/* Parameters of the leaf types, "[...]" after the keyword. For a timestamp with a
 * timezone, stops after "tz=" with *has_tz set: where the zone ends is the caller's choice. */
typedef struct leaf_params {
    int32_t fixed_size;
    reel_arrow_time_unit unit;
    int32_t precision, scale; /* decimals */
    bool has_tz;
} leaf_params;

static inline bool lex_unit(const char *s, size_t len, size_t *pos, reel_arrow_type type,
                            reel_arrow_time_unit *unit, parse_error *e)
{
    for (int u = 0; u < 4; u++) {
        if (has(s, len, *pos, unit_names[u]) && has(s, len, *pos + strlen(unit_names[u]), "]")) {
            bool ok = type == REEL_ARROW_TIME32   ? u <= REEL_ARROW_MILLI
                      : type == REEL_ARROW_TIME64 ? u >= REEL_ARROW_MICRO
                                                  : true;
            if (!ok)
                return fail(e, REEL_INVALID_ARGUMENT, *pos, "unit '%s' is not valid for %s",
                            unit_names[u], reel_arrow_type_name(type));
            *unit = (reel_arrow_time_unit)u;
            *pos += strlen(unit_names[u]);
            return true;
        }
        if (type == REEL_ARROW_TIMESTAMP && has(s, len, *pos, unit_names[u]) &&
            has(s, len, *pos + strlen(unit_names[u]), ", tz=")) {
            *unit = (reel_arrow_time_unit)u;
            *pos += strlen(unit_names[u]);
            return true;
        }
    }
    return fail(e, REEL_INVALID_ARGUMENT, *pos, "expected a time unit (s, ms, us or ns)");
}

static inline bool lex_leaf_params(const char *s, size_t len, size_t *pos, reel_arrow_type type,
                                   leaf_params *lp, parse_error *e)
{
    int64_t value = 0;
    lp->has_tz = false;
    switch (type) {
    case REEL_ARROW_FIXED_SIZE_BINARY:
        if (!expect(s, len, pos, "[", e))
            return false;
        if (*pos < len && s[*pos] == '0')
            return fail(e, REEL_INVALID_ARGUMENT, *pos, "fixed size must be > 0");
        if (!lex_uint(s, len, pos, INT32_MAX, &value, e))
            return false;
        lp->fixed_size = (int32_t)value;
        return expect(s, len, pos, "]", e);
    case REEL_ARROW_DATE32:
        return expect(s, len, pos, "[day]", e);
    case REEL_ARROW_DATE64:
        lp->unit = REEL_ARROW_MILLI;
        return expect(s, len, pos, "[ms]", e);
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_DURATION:
    case REEL_ARROW_TIMESTAMP:
        if (!expect(s, len, pos, "[", e) || !lex_unit(s, len, pos, type, &lp->unit, e))
            return false;
        if (type == REEL_ARROW_TIMESTAMP && has(s, len, *pos, ", tz=")) {
            *pos += 5;
            lp->has_tz = true;
            return true;
        }
        return expect(s, len, pos, "]", e);
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256: {
        /* "(precision, scale)"; pyarrow allows any int32 scale, Reel arrow-rs's -128..127. */
        int32_t max = reel__arrow_decimal_max_precision(type);
        int64_t scale = 0;
        size_t at = *pos + 1;
        if (!expect(s, len, pos, "(", e) || !lex_uint(s, len, pos, max, &value, e))
            return false;
        if (value < 1)
            return fail(e, REEL_INVALID_ARGUMENT, at, "decimal precision must be >= 1");
        lp->precision = (int32_t)value;
        if (!expect(s, len, pos, ", ", e))
            return false;
        at = *pos;
        bool negative = has(s, len, *pos, "-");
        *pos += negative;
        if (!lex_uint(s, len, pos, negative ? (int64_t)INT32_MAX + 1 : INT32_MAX, &scale, e))
            return false;
        if (negative && scale == 0)
            return fail(e, REEL_INVALID_ARGUMENT, at, "negative zero scale");
        scale = negative ? -scale : scale;
        if (scale < REEL__ARROW_DECIMAL_MIN_SCALE || scale > REEL__ARROW_DECIMAL_MAX_SCALE)
            return fail(e, REEL_UNSUPPORTED, at, "decimal scale %lld is outside %d..%d",
                        (long long)scale, REEL__ARROW_DECIMAL_MIN_SCALE,
                        REEL__ARROW_DECIMAL_MAX_SCALE);
        lp->scale = (int32_t)scale;
        return expect(s, len, pos, ")", e);
    }
    default:
        return true;
    }
}

/* The names a map's entries, key and value have unless its type string says otherwise. */
static const char *const map_std_names[3] = {"entries", "key", "value"};

/* Reads "indices=<integer type>, ordered=<0|1>>" of a dictionary type. */
static inline bool lex_dictionary_tail(const char *s, size_t len, size_t *pos,
                                       reel_arrow_type *index_type, bool *ordered, parse_error *e)
{
    size_t at = *pos + 10;
    if (!expect(s, len, pos, ", indices=", e) || !lex_type_word(s, len, pos, index_type, e))
        return false;
    if (!reel__arrow_is_integer(*index_type))
        return fail(e, REEL_INVALID_ARGUMENT, at, "dictionary indices must be an integer type");
    if (!expect(s, len, pos, ", ordered=", e))
        return false;
    if (*pos >= len || (s[*pos] != '0' && s[*pos] != '1'))
        return fail(e, REEL_INVALID_ARGUMENT, *pos, "expected 0 or 1");
    *ordered = s[(*pos)++] == '1';
    return expect(s, len, pos, ">", e);
}

static inline bool is_nested(reel_arrow_type type)
{
    return type >= REEL_ARROW_LIST;
}

static inline bool is_list(reel_arrow_type type)
{
    return type == REEL_ARROW_LIST || type == REEL_ARROW_LARGE_LIST ||
           type == REEL_ARROW_FIXED_SIZE_LIST;
}

/* Decisions the grammar leaves open, recorded by the recognizer and replayed by the
 * builder in the same (left to right) order: for each struct/union "<" whether its field
 * list is empty, and where each field name, each timezone and each map name annotation
 * (" ('name')") ends. */
#define DECIDE_EMPTY SIZE_MAX
#define DECIDE_NONEMPTY (SIZE_MAX - 1)

/* Finds a reading of the whole text, recording its open decisions (in order) in
 * *decisions (allocated with alloc; the caller frees *cap entries). Bounded: gives up on
 * strings that need too much search. */
bool reel__type_search(const char *s, size_t len, const reel_allocator *alloc, size_t **decisions,
                       size_t *count, size_t *cap);

#endif
