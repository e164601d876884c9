/* Helpers shared by the arrow module's tests: pyarrow's spelling of many types (printed by
 * pyarrow 26.0.1's str(type)), fields from type strings, a deterministic random array
 * generator that drives a builder through any field tree, and an element-by-element copy
 * that rebuilds part of an array through the accessors (an independent second path to
 * the same values, so slices and round trips can be compared with a fresh array). */
#ifndef REEL_ARROW_TESTING_H
#define REEL_ARROW_TESTING_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"
#include "test.h"

/* str(t) for a wide range of pyarrow types, including field names and timezones that hold
 * the grammar's separators. */
static const char *const pyarrow_type_strings[] = {
    "null",
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "halffloat",
    "float",
    "double",
    "string",
    "large_string",
    "binary",
    "large_binary",
    "fixed_size_binary[1]",
    "fixed_size_binary[16]",
    "date32[day]",
    "date64[ms]",
    "time32[s]",
    "time32[ms]",
    "time64[us]",
    "time64[ns]",
    "timestamp[s]",
    "timestamp[ms]",
    "timestamp[us]",
    "timestamp[ns]",
    "timestamp[ns, tz=UTC]",
    "timestamp[ms, tz=+01:00]",
    "timestamp[us, tz=Europe/Paris]",
    "duration[s]",
    "duration[ms]",
    "duration[us]",
    "duration[ns]",
    "list<item: float>",
    "list<item: float not null>",
    "list<foo: int32>",
    "large_list<item: string>",
    "fixed_size_list<item: float>[3]",
    "fixed_size_list<item: float not null>[3]",
    "fixed_size_list<item: uint8>[1]",
    "struct<x: float, y: float not null>",
    "struct<>",
    "dense_union<_null_markers: null=0, x: int32=1>",
    "sparse_union<a: int32=5, b: string not null=7>",
    "sparse_union<>",
    "dense_union<>",
    "dense_union<a: int32 not null=0, b: struct<c: list<item: int8>>=127>",
    "list<item: struct<a: list<item: fixed_size_list<item: double>[2]>, b: timestamp[ns, "
    "tz=UTC], c: fixed_size_binary[4] not null>>",
    "large_list<x: large_string not null>",
    "list<: int8>",
    "struct<u: dense_union<i: int64=3, s: string=1, l: list<item: bool>=2>>",
    "list<item: sparse_union<n: null=10, f: halffloat=20>>",
    "struct<a b: int32, : int8, x<y>: int8, c,d: int8, e: f: int8, \xc3\xa9: int8, q\": int8, "
    "bs\\: int8, t]: int8>",
    "list<a>: b, c: struct<d: e>: int8 not null>>",
    "timestamp[ns, tz=a]b]",
    "struct<p: fixed_size_list<item: timestamp[ms, tz=weird, tz=]x]>[2]>",
    "decimal32(9, 2)",
    "decimal64(18, -3)",
    "decimal128(10, 2)",
    "decimal128(38, 0)",
    "decimal256(76, 10)",
    "decimal256(40, -5)",
    "map<string, int64>",
    "map<string, int64, keys_sorted>",
    "map<int32, list<item: int64>>",
    "map<string ('k'), int64 ('v')>",
    "map<string ('a') b'), int8>",
    "map<struct<a: int8>, map<string, decimal128(5, 1)>, keys_sorted>",
    "dictionary<values=string, indices=int32, ordered=0>",
    "dictionary<values=list<item: string>, indices=uint8, ordered=1>",
    "list<item: dictionary<values=string, indices=int8, ordered=0>>",
    "struct<m: map<string, dictionary<values=large_string, indices=int16, ordered=0>>>",
    "dictionary<values=struct<d: dictionary<values=string, indices=int32, ordered=0>, i: int64>, "
    "indices=uint64, ordered=0>",
};
#define PYARROW_TYPE_COUNT ((int)(sizeof pyarrow_type_strings / sizeof pyarrow_type_strings[0]))

/* Parses a type string the test trusts; a failure is reported and gives a NULL field. */
static inline reel_arrow_field make_field(const char *text)
{
    reel_arrow_field field;
    reel_error err = {0};
    reel_status status = reel_arrow_type_parse(text, strlen(text), &field, NULL, &err);
    if (!CHECK_OK(status))
        fprintf(stderr, "    parsing '%s': %s\n", text, err.message);
    return field;
}

/* ---------------------------------------------------------------- random data */

typedef struct test_rng {
    uint64_t state;
} test_rng;

static inline uint64_t rng_next(test_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline int rng_below(test_rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

static inline reel_status gen_value(reel_arrow_builder *b, test_rng *r, int depth);

static inline reel_status gen_string(reel_arrow_builder *b, test_rng *r)
{
    static const char *const pieces[] = {
        "a",  "bc", "xyz",  "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\"",
        "\\", "\n", "\x01", " "};
    char text[64];
    size_t len = 0;
    int n = rng_below(r, 5);
    for (int k = 0; k < n; k++) {
        const char *piece = pieces[rng_below(r, (int)(sizeof pieces / sizeof pieces[0]))];
        memcpy(text + len, piece, strlen(piece));
        len += strlen(piece);
    }
    return reel_arrow_builder_append_bytes(b, text, len);
}

static inline reel_status gen_value(reel_arrow_builder *b, test_rng *r, int depth)
{
    const reel_arrow_field *f = reel_arrow_builder_field(b);
    if (f->type == REEL_ARROW_NULL_TYPE || (f->nullable && rng_below(r, 5) == 0))
        return reel_arrow_builder_append_null(b, 1);
    switch (f->type) {
    case REEL_ARROW_BOOL:
        return reel_arrow_builder_append_bool(b, rng_below(r, 2));
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_DATE32:
    case REEL_ARROW_TIME32:
    case REEL_ARROW_INT64:
    case REEL_ARROW_DATE64:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_TIMESTAMP:
    case REEL_ARROW_DURATION: {
        int bits = reel_arrow_fixed_width(f) * 8;
        int64_t v = (int64_t)rng_next(r);
        if (bits < 64)
            v >>= 64 - bits; /* arithmetic shift keeps it in range */
        return reel_arrow_builder_append_int(b, v);
    }
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64: {
        int bits = reel_arrow_fixed_width(f) * 8;
        uint64_t v = rng_next(r);
        return reel_arrow_builder_append_uint(b, bits < 64 ? v >> (64 - bits) : v);
    }
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64: {
        static const double specials[] = {0.0, -0.0, 1.0, -2.5, 1e-7, 65504.0, 3.4e38};
        int pick = rng_below(r, 10);
        double v = pick < 7    ? specials[pick]
                   : pick == 7 ? NAN
                   : pick == 8 ? -INFINITY
                               : (double)rng_below(r, 1000) / 7.0;
        return reel_arrow_builder_append_double(b, v);
    }
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
        return gen_string(b, r);
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_FIXED_SIZE_BINARY: {
        uint8_t bytes[32];
        size_t len = f->type == REEL_ARROW_FIXED_SIZE_BINARY ? (size_t)f->fixed_size
                                                             : (size_t)rng_below(r, 6);
        for (size_t k = 0; k < len && k < sizeof bytes; k++)
            bytes[k] = (uint8_t)rng_next(r);
        return reel_arrow_builder_append_bytes(b, bytes, len);
    }
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST: {
        int n = f->type == REEL_ARROW_FIXED_SIZE_LIST ? f->fixed_size : rng_below(r, 4);
        for (int k = 0; k < n; k++)
            REEL_TRY(gen_value(reel_arrow_builder_child(b, 0), r, depth + 1));
        return reel_arrow_builder_finish_element(b);
    }
    case REEL_ARROW_STRUCT:
        for (int32_t c = 0; c < f->n_children; c++)
            REEL_TRY(gen_value(reel_arrow_builder_child(b, c), r, depth + 1));
        return reel_arrow_builder_finish_element(b);
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION: {
        int32_t c = rng_below(r, f->n_children);
        REEL_TRY(gen_value(reel_arrow_builder_child(b, c), r, depth + 1));
        return reel_arrow_builder_append_union(b, f->union_type_codes[c]);
    }
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256: {
        if (f->precision > 18 && rng_below(r, 2) == 0) {
            /* Up to `precision` random digits, through the text parser (scale 0: the stored
             * integer itself). In range, so pyarrow's full validation accepts it. */
            char digits[80];
            int n = 1 + rng_below(r, f->precision);
            digits[0] = rng_below(r, 2) ? '-' : '+';
            for (int k = 1; k <= n; k++)
                digits[k] = (char)('0' + rng_below(r, 10));
            reel_arrow_field unscaled = {.type = f->type, .precision = f->precision};
            uint8_t bytes[32];
            REEL_TRY(reel_arrow_decimal_parse(&unscaled, digits, (size_t)n + 1, bytes, NULL));
            return reel_arrow_builder_append_bytes(b, bytes, (size_t)reel_arrow_fixed_width(f));
        }
        int64_t limit = 1;
        for (int k = 0; k < f->precision && k < 18; k++)
            limit *= 10;
        int64_t v = (int64_t)(rng_next(r) % (uint64_t)limit);
        return reel_arrow_builder_append_int(b, rng_below(r, 2) ? v : -v);
    }
    case REEL_ARROW_MAP: {
        int n = rng_below(r, 4);
        for (int k = 0; k < n; k++)
            REEL_TRY(gen_value(reel_arrow_builder_child(b, 0), r, depth + 1));
        return reel_arrow_builder_finish_element(b);
    }
    case REEL_ARROW_DICTIONARY: {
        /* A new value, or one of those already in the dictionary. */
        reel_arrow_builder *values = reel_arrow_builder_child(b, 0);
        int64_t size = reel_arrow_builder_length(values);
        if (size > 0 && (size >= 100 || rng_below(r, 2) == 0)) /* 100: int8 indices */
            return reel_arrow_builder_append_int(b, rng_below(r, (int)size));
        REEL_TRY(gen_value(values, r, depth + 1));
        return reel_arrow_builder_append_int(b, size);
    }
    default:
        return REEL_INTERNAL;
    }
}

/* Builds a random array of `length` elements of `field`. */
static inline reel_status gen_array(const reel_arrow_field *field, int64_t length, uint64_t seed,
                                    reel_arrow_array *out)
{
    reel_arrow_builder *b;
    reel_error err = {0};
    memset(out, 0, sizeof *out);
    REEL_TRY(reel_arrow_builder_create(field, NULL, &b, &err));
    test_rng r = {seed};
    reel_status status = REEL_OK;
    if ((field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION) &&
        field->n_children == 0)
        length = 0; /* a union without children has no value to hold */
    for (int64_t i = 0; i < length && status == REEL_OK; i++)
        status = gen_value(b, &r, 0);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, &err);
    if (status != REEL_OK)
        fprintf(stderr, "    gen_array: status %d %s\n", (int)status, err.message);
    reel_arrow_builder_destroy(b);
    return status;
}

/* ---------------------------------------------------------------- copying through accessors */

static inline reel_status copy_element(reel_arrow_builder *b, const reel_arrow_field *f,
                                       const reel_arrow_array *a, int64_t i)
{
    bool is_union = f->type == REEL_ARROW_SPARSE_UNION || f->type == REEL_ARROW_DENSE_UNION;
    /* A dictionary element is copied as it is, an index to a null value included, so that
     * null counts (those of the indices) agree. */
    bool is_null =
        f->type == REEL_ARROW_DICTIONARY
            ? a->buffers[0].data != NULL &&
                  !((a->buffers[0].data[(a->offset + i) >> 3] >> ((a->offset + i) & 7)) & 1)
            : !is_union && reel_arrow_array_is_null(f, a, i);
    if (is_null)
        return reel_arrow_builder_append_null(b, 1);
    int32_t width = reel_arrow_fixed_width(f);
    switch (f->type) {
    case REEL_ARROW_BOOL:
        return reel_arrow_builder_append_bool(b, reel_arrow_array_get_bool(a, i));
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64:
        return reel_arrow_builder_append_uint(b, reel_arrow_array_get_uint(f, a, i));
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64:
        /* Raw bits, so NaN payloads survive. */
        return reel_arrow_builder_append_values(b, a->buffers[1].data + (a->offset + i) * width, 1);
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_FIXED_SIZE_BINARY: {
        reel_span s = reel_arrow_array_get_bytes(f, a, i);
        return reel_arrow_builder_append_bytes(b, s.data, s.len);
    }
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256: {
        reel_span s = reel_arrow_array_get_bytes(f, a, i);
        return reel_arrow_builder_append_bytes(b, s.data, s.len);
    }
    case REEL_ARROW_DICTIONARY: {
        /* The builder copies from one source array: its whole dictionary goes in first (the
         * values keep their positions), then each element's index. */
        reel_arrow_builder *values = reel_arrow_builder_child(b, 0);
        for (int64_t k = reel_arrow_builder_length(values); k < a->dictionary->length; k++)
            REEL_TRY(copy_element(values, f->dictionary, a->dictionary, k));
        return reel_arrow_builder_append_int(b, reel_arrow_array_get_dictionary_index(f, a, i));
    }
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_MAP: {
        int64_t start, end;
        reel_arrow_array_get_list_range(f, a, i, &start, &end);
        for (int64_t k = start; k < end; k++)
            REEL_TRY(
                copy_element(reel_arrow_builder_child(b, 0), &f->children[0], &a->children[0], k));
        return reel_arrow_builder_finish_element(b);
    }
    case REEL_ARROW_STRUCT:
        for (int32_t c = 0; c < f->n_children; c++)
            REEL_TRY(copy_element(reel_arrow_builder_child(b, c), &f->children[c], &a->children[c],
                                  a->offset + i));
        return reel_arrow_builder_finish_element(b);
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION: {
        int32_t c;
        int64_t k;
        reel_arrow_array_get_union(f, a, i, &c, &k);
        REEL_TRY(copy_element(reel_arrow_builder_child(b, c), &f->children[c], &a->children[c], k));
        return reel_arrow_builder_append_union(b, f->union_type_codes[c]);
    }
    default:
        return reel_arrow_builder_append_int(b, reel_arrow_array_get_int(f, a, i));
    }
}

/* A fresh array holding elements [start, start + length) of `a`. */
static inline reel_status copy_range(const reel_arrow_field *field, const reel_arrow_array *a,
                                     int64_t start, int64_t length, reel_arrow_array *out)
{
    reel_arrow_builder *b;
    memset(out, 0, sizeof *out);
    REEL_TRY(reel_arrow_builder_create(field, NULL, &b, NULL));
    reel_status status = REEL_OK;
    for (int64_t i = start; i < start + length && status == REEL_OK; i++)
        status = copy_element(b, field, a, i);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, NULL);
    reel_arrow_builder_destroy(b);
    return status;
}

/* JSON of element i, into a static scratch string (tests compare it right away). */
static inline const char *json_of(const reel_arrow_field *f, const reel_arrow_array *a, int64_t i,
                                  reel_buf *scratch)
{
    reel_buf_clear(scratch);
    if (reel_arrow_value_to_json(f, a, i, scratch) != REEL_OK ||
        reel_buf_append_u8(scratch, 0) != REEL_OK)
        return "<json failed>";
    return (const char *)scratch->data;
}

/* A blob over static bytes that counts how often it was released. */
static inline void count_release(void *ctx, void *data, size_t len)
{
    (void)data;
    (void)len;
    ++*(int *)ctx;
}

#endif
