/* Arrays as values: freeing, slicing and sharing reel_arrow_array trees, counting nulls,
 * reading single elements, half-precision conversion and logical equality. Element access
 * trusts its caller: the array must have been validated (or built by us) for its field. */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "arrow/arrow_util.h"

void reel_arrow_array_reset(reel_arrow_array *array)
{
    if (array == NULL)
        return;
    /* All three slots: unused ones are zero, and a wrong n_buffers must not leak. */
    for (int32_t i = 0; i < 3; i++)
        reel_blob_release(array->buffers[i].owner);
    if (array->children != NULL) {
        int32_t n = array->n_children > 0 ? array->n_children : 0;
        for (int32_t i = 0; i < n; i++)
            reel_arrow_array_reset(&array->children[i]);
        reel_free(array->alloc, array->children, (size_t)n * sizeof(reel_arrow_array));
    }
    if (array->dictionary != NULL) {
        reel_arrow_array_reset(array->dictionary);
        reel_free(array->alloc, array->dictionary, sizeof *array->dictionary);
    }
    memset(array, 0, sizeof *array);
}

reel_status reel_arrow_array_share(reel_arrow_array *dst, const reel_arrow_array *src)
{
    *dst = *src;
    dst->children = NULL;
    dst->n_children = 0;
    dst->dictionary = NULL;
    for (int32_t i = 0; i < 3; i++)
        reel_blob_retain(src->buffers[i].owner);
    if (src->dictionary != NULL) {
        dst->dictionary = reel_alloc_zeroed(src->alloc, sizeof *dst->dictionary);
        reel_status status = dst->dictionary != NULL
                                 ? reel_arrow_array_share(dst->dictionary, src->dictionary)
                                 : REEL_OUT_OF_MEMORY;
        if (status != REEL_OK) {
            reel_arrow_array_reset(dst);
            return status;
        }
    }
    if (src->n_children <= 0)
        return REEL_OK;
    size_t n = (size_t)src->n_children;
    dst->children = reel_alloc_zeroed(src->alloc, n * sizeof(reel_arrow_array));
    if (dst->children == NULL) {
        reel_arrow_array_reset(dst);
        return REEL_OUT_OF_MEMORY;
    }
    dst->n_children = src->n_children;
    for (size_t i = 0; i < n; i++) {
        reel_status status = reel_arrow_array_share(&dst->children[i], &src->children[i]);
        if (status != REEL_OK) {
            reel_arrow_array_reset(dst);
            return status;
        }
    }
    return REEL_OK;
}

static int popcount64(uint64_t x)
{
#if defined(__GNUC__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (int)((x * 0x0101010101010101u) >> 56);
#endif
}

int64_t reel_arrow_count_nulls(const reel_arrow_buffer *validity, int64_t offset, int64_t length)
{
    if (validity == NULL || validity->data == NULL || length <= 0)
        return 0;
    const uint8_t *bits = validity->data;
    int64_t i = offset, end = offset + length, set = 0;
    /* Leading bits up to a byte boundary, whole bytes eight at a time, then the tail. */
    while (i < end && (i & 7) != 0) {
        set += reel__arrow_get_bit(bits, i);
        i++;
    }
    const uint8_t *byte = bits + (i >> 3);
    int64_t whole_bytes = (end - i) >> 3;
    int64_t b = 0;
    for (; b + 8 <= whole_bytes; b += 8) {
        uint64_t word;
        memcpy(&word, byte + b, 8);
        set += popcount64(word);
    }
    for (; b < whole_bytes; b++)
        set += popcount64(byte[b]);
    for (i += whole_bytes * 8; i < end; i++)
        set += reel__arrow_get_bit(bits, i);
    return length - set;
}

static bool has_validity(reel_arrow_type type)
{
    return type != REEL_ARROW_NULL_TYPE && type != REEL_ARROW_SPARSE_UNION &&
           type != REEL_ARROW_DENSE_UNION;
}

reel_status reel_arrow_array_slice(reel_arrow_array *dst, const reel_arrow_field *field,
                                   const reel_arrow_array *src, int64_t offset, int64_t length,
                                   reel_error *err)
{
    if (offset < 0 || length < 0 || offset > src->length || length > src->length - offset) {
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "slice [%lld, +%lld) is outside the array's %lld elements",
                              (long long)offset, (long long)length, (long long)src->length);
    }
    REEL_TRY(reel_arrow_array_share(dst, src));
    dst->offset = src->offset + offset;
    dst->length = length;
    if (field->type == REEL_ARROW_NULL_TYPE)
        dst->null_count = length;
    else if (!has_validity(field->type))
        dst->null_count = 0;
    else if (length == src->length)
        dst->null_count = src->null_count;
    else
        dst->null_count = reel_arrow_count_nulls(&src->buffers[0], dst->offset, length);
    return REEL_OK;
}

/* ---------------------------------------------------------------- element access */

static int32_t union_child(const reel_arrow_field *field, int8_t code)
{
    for (int32_t c = 0; c < field->n_children; c++) {
        if ((field->union_type_codes != NULL ? field->union_type_codes[c] : c) == code)
            return c;
    }
    return -1;
}

void reel_arrow_array_get_union(const reel_arrow_field *field, const reel_arrow_array *array,
                                int64_t i, int32_t *child, int64_t *child_index)
{
    int64_t at = array->offset + i;
    int8_t code = (int8_t)array->buffers[0].data[at];
    *child = union_child(field, code);
    if (field->type == REEL_ARROW_DENSE_UNION)
        *child_index = reel__arrow_load_i32(array->buffers[1].data + at * 4);
    else
        *child_index = at;
}

bool reel_arrow_array_is_null(const reel_arrow_field *field, const reel_arrow_array *array,
                              int64_t i)
{
    switch (field->type) {
    case REEL_ARROW_NULL_TYPE:
        return true;
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION: {
        int32_t child;
        int64_t child_index;
        reel_arrow_array_get_union(field, array, i, &child, &child_index);
        if (child < 0)
            return true;
        return reel_arrow_array_is_null(&field->children[child], &array->children[child],
                                        child_index);
    }
    case REEL_ARROW_DICTIONARY:
        if (!reel__arrow_valid(array, i))
            return true;
        return reel_arrow_array_is_null(field->dictionary, array->dictionary,
                                        reel_arrow_array_get_dictionary_index(field, array, i));
    default:
        return !reel__arrow_valid(array, i);
    }
}

int64_t reel_arrow_array_get_int(const reel_arrow_field *field, const reel_arrow_array *array,
                                 int64_t i)
{
    const uint8_t *values = array->buffers[1].data;
    int64_t at = array->offset + i;
    switch (field->type) {
    case REEL_ARROW_INT8:
        return (int8_t)values[at];
    case REEL_ARROW_INT16: {
        int16_t v;
        memcpy(&v, values + at * 2, 2);
        return v;
    }
    case REEL_ARROW_INT32:
    case REEL_ARROW_DATE32:
    case REEL_ARROW_TIME32:
        return reel__arrow_load_i32(values + at * 4);
    default:
        assert(reel_arrow_fixed_width(field) == 8);
        return reel__arrow_load_i64(values + at * 8);
    }
}

uint64_t reel_arrow_array_get_uint(const reel_arrow_field *field, const reel_arrow_array *array,
                                   int64_t i)
{
    const uint8_t *values = array->buffers[1].data;
    int64_t at = array->offset + i;
    switch (field->type) {
    case REEL_ARROW_UINT8:
        return values[at];
    case REEL_ARROW_UINT16:
        return reel_load_u16le(values + at * 2);
    case REEL_ARROW_UINT32:
        return reel_load_u32le(values + at * 4);
    default:
        assert(field->type == REEL_ARROW_UINT64);
        return reel_load_u64le(values + at * 8);
    }
}

double reel_arrow_array_get_double(const reel_arrow_field *field, const reel_arrow_array *array,
                                   int64_t i)
{
    const uint8_t *values = array->buffers[1].data;
    int64_t at = array->offset + i;
    switch (field->type) {
    case REEL_ARROW_FLOAT16:
        return reel_arrow_half_to_float(reel_load_u16le(values + at * 2));
    case REEL_ARROW_FLOAT32: {
        float v;
        memcpy(&v, values + at * 4, 4);
        return v;
    }
    default: {
        assert(field->type == REEL_ARROW_FLOAT64);
        double v;
        memcpy(&v, values + at * 8, 8);
        return v;
    }
    }
}

bool reel_arrow_array_get_bool(const reel_arrow_array *array, int64_t i)
{
    return reel__arrow_get_bit(array->buffers[1].data, array->offset + i);
}

reel_span reel_arrow_array_get_bytes(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i)
{
    int64_t at = array->offset + i;
    if (field->type == REEL_ARROW_FIXED_SIZE_BINARY || reel__arrow_is_decimal(field->type)) {
        int64_t width = reel_arrow_fixed_width(field);
        return reel_span_make(array->buffers[1].data + at * width, (size_t)width);
    }
    bool large = field->type == REEL_ARROW_LARGE_UTF8 || field->type == REEL_ARROW_LARGE_BINARY;
    int64_t start = reel__arrow_load_offset(array->buffers[1].data, large, at);
    int64_t end = reel__arrow_load_offset(array->buffers[1].data, large, at + 1);
    const uint8_t *data = array->buffers[2].data; /* NULL when every value is empty */
    return reel_span_make(data != NULL ? data + start : NULL, (size_t)(end - start));
}

void reel_arrow_array_get_list_range(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i, int64_t *start, int64_t *end)
{
    int64_t at = array->offset + i;
    if (field->type == REEL_ARROW_FIXED_SIZE_LIST) {
        *start = at * field->fixed_size;
        *end = *start + field->fixed_size;
        return;
    }
    bool large = field->type == REEL_ARROW_LARGE_LIST;
    *start = reel__arrow_load_offset(array->buffers[1].data, large, at);
    *end = reel__arrow_load_offset(array->buffers[1].data, large, at + 1);
}

int64_t reel_arrow_array_get_dictionary_index(const reel_arrow_field *field,
                                              const reel_arrow_array *array, int64_t i)
{
    assert(field->type == REEL_ARROW_DICTIONARY);
    reel_arrow_field index = {.type = field->index_type};
    if (reel__arrow_is_integer(field->index_type) && field->index_type >= REEL_ARROW_UINT8) {
        /* A valid index is below the dictionary's length, so it fits (and wraps harmlessly
         * to a negative, out-of-range index when it does not). */
        return (int64_t)reel_arrow_array_get_uint(&index, array, i);
    }
    return reel_arrow_array_get_int(&index, array, i);
}

/* ---------------------------------------------------------------- half floats */

float reel_arrow_half_to_float(uint16_t half)
{
    uint32_t sign = (uint32_t)(half >> 15) << 31;
    uint32_t exponent = (half >> 10) & 0x1f;
    uint32_t mantissa = half & 0x3ff;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13); /* inf, or NaN keeping its payload */
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else {
        /* Zero or subnormal: mantissa * 2^-24 is exact in float. */
        float magnitude = (float)mantissa * 0x1p-24f;
        memcpy(&bits, &magnitude, 4);
        bits |= sign;
    }
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

uint16_t reel__arrow_double_to_half(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, 8);
    uint16_t sign = (uint16_t)((bits >> 48) & 0x8000);
    int exponent = (int)((bits >> 52) & 0x7ff);
    uint64_t mantissa = bits & 0xfffffffffffffu;
    if (exponent == 0x7ff) {
        if (mantissa == 0)
            return sign | 0x7c00;
        /* Keep the top payload bits; a payload only in the dropped bits becomes quiet. */
        uint16_t payload = (uint16_t)(mantissa >> 42);
        return sign | 0x7c00 | (payload != 0 ? payload : 0x200);
    }
    /* value = m * 2^(e) with m the 53-bit significand; the half has 10 fraction bits and
     * its smallest step is 2^-24. Work out how many low bits of m to drop. */
    if (exponent == 0)
        return sign; /* double subnormals are far below half's range */
    uint64_t m = mantissa | ((uint64_t)1 << 52);
    int unbiased = exponent - 1023;
    if (unbiased > 15)
        return sign | 0x7c00;
    int shift; /* bits of m to drop */
    uint16_t half_exponent;
    if (unbiased >= -14) {
        shift = 42;
        half_exponent = (uint16_t)(unbiased + 15);
    } else {
        /* Subnormal half: units of 2^-24, so m * 2^(unbiased - 52) / 2^-24. */
        shift = 42 + (-14 - unbiased);
        half_exponent = 0;
        if (shift > 53)
            return sign; /* less than half of the smallest subnormal */
    }
    uint64_t kept = m >> shift;
    uint64_t rest = m & (((uint64_t)1 << shift) - 1);
    uint64_t halfway = (uint64_t)1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (kept & 1)))
        kept++;
    /* kept holds the implicit bit for normals; adding the exponent field lets a carry out
     * of the fraction bump the exponent (and reach infinity) naturally. */
    uint32_t result;
    if (half_exponent != 0)
        result = ((uint32_t)(half_exponent - 1) << 10) + (uint32_t)kept;
    else
        result = (uint32_t)kept; /* may carry into the smallest normal, which is right */
    if (result >= 0x7c00)
        return sign | 0x7c00;
    return sign | (uint16_t)result;
}

uint16_t reel_arrow_float_to_half(float value)
{
    /* NaNs are converted from the bits: widening to double in hardware would quiet a
     * signalling NaN, and half -> float -> half should give back every NaN unchanged. */
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0) {
        uint16_t payload = (uint16_t)((bits & 0x7fffffu) >> 13);
        return (uint16_t)((bits >> 16) & 0x8000) | 0x7c00 | (payload != 0 ? payload : 0x200);
    }
    return reel__arrow_double_to_half((double)value); /* float to double is exact */
}

/* ---------------------------------------------------------------- equality */

static bool elements_equal(const reel_arrow_field *field, const reel_arrow_array *a, int64_t i,
                           const reel_arrow_array *b, int64_t j, int depth);

/* Compares n elements starting at logical i of a and j of b. */
static bool ranges_equal(const reel_arrow_field *field, const reel_arrow_array *a, int64_t i,
                         const reel_arrow_array *b, int64_t j, int64_t n, int depth)
{
    int32_t width = reel_arrow_fixed_width(field);
    bool no_nulls = a->null_count == 0 && b->null_count == 0;
    if (width > 0 && no_nulls && n > 0) {
        /* Fixed-width values without nulls: one memcmp. */
        return memcmp(a->buffers[1].data + (a->offset + i) * width,
                      b->buffers[1].data + (b->offset + j) * width, (size_t)(n * width)) == 0;
    }
    for (int64_t k = 0; k < n; k++) {
        if (!elements_equal(field, a, i + k, b, j + k, depth))
            return false;
    }
    return true;
}

static bool elements_equal(const reel_arrow_field *field, const reel_arrow_array *a, int64_t i,
                           const reel_arrow_array *b, int64_t j, int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH)
        return false;
    reel_arrow_type type = field->type;
    if (type == REEL_ARROW_NULL_TYPE)
        return true;
    if (type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION) {
        int32_t ca, cb;
        int64_t ia, ib;
        reel_arrow_array_get_union(field, a, i, &ca, &ia);
        reel_arrow_array_get_union(field, b, j, &cb, &ib);
        if (ca != cb || ca < 0)
            return ca == cb;
        return elements_equal(&field->children[ca], &a->children[ca], ia, &b->children[cb], ib,
                              depth + 1);
    }
    if (type == REEL_ARROW_DICTIONARY) {
        /* Decoded values: indices and dictionaries may differ. */
        bool null_a = reel_arrow_array_is_null(field, a, i);
        bool null_b = reel_arrow_array_is_null(field, b, j);
        if (null_a || null_b)
            return null_a == null_b;
        return elements_equal(field->dictionary, a->dictionary,
                              reel_arrow_array_get_dictionary_index(field, a, i), b->dictionary,
                              reel_arrow_array_get_dictionary_index(field, b, j), depth + 1);
    }
    bool null_a = !reel__arrow_valid(a, i), null_b = !reel__arrow_valid(b, j);
    if (null_a || null_b)
        return null_a == null_b;
    int32_t width = reel_arrow_fixed_width(field);
    if (width > 0) {
        return memcmp(a->buffers[1].data + (a->offset + i) * width,
                      b->buffers[1].data + (b->offset + j) * width, (size_t)width) == 0;
    }
    switch (type) {
    case REEL_ARROW_BOOL:
        return reel_arrow_array_get_bool(a, i) == reel_arrow_array_get_bool(b, j);
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY: {
        reel_span sa = reel_arrow_array_get_bytes(field, a, i);
        reel_span sb = reel_arrow_array_get_bytes(field, b, j);
        return sa.len == sb.len && (sa.len == 0 || memcmp(sa.data, sb.data, sa.len) == 0);
    }
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_MAP: {
        int64_t sa, ea, sb, eb;
        reel_arrow_array_get_list_range(field, a, i, &sa, &ea);
        reel_arrow_array_get_list_range(field, b, j, &sb, &eb);
        if (ea - sa != eb - sb)
            return false;
        return ranges_equal(&field->children[0], &a->children[0], sa, &b->children[0], sb, ea - sa,
                            depth + 1);
    }
    case REEL_ARROW_STRUCT:
        for (int32_t c = 0; c < field->n_children; c++) {
            if (!elements_equal(&field->children[c], &a->children[c], a->offset + i,
                                &b->children[c], b->offset + j, depth + 1))
                return false;
        }
        return true;
    default:
        return false;
    }
}

bool reel_arrow_array_equal(const reel_arrow_field *field, const reel_arrow_array *a,
                            const reel_arrow_array *b)
{
    if (a->length != b->length)
        return false;
    return ranges_equal(field, a, 0, b, 0, a->length, 0);
}
