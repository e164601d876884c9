/* Builders: creating builder trees, reserving, and appending nulls and values element by
 * element or in bulk (closing nested elements and finishing are in builder_finish.c).
 * Buffers double as they grow; the validity bitmap only exists once a null was appended
 * (before that every element is valid), and fixed-width appends are a check and a store. */
#include "arrow/builder_state.h"

/* ---------------------------------------------------------------- create / destroy */

static void free_state(reel_arrow_builder *b)
{
    reel_buf_free(&b->validity);
    reel_buf_free(&b->values);
    reel_buf_free(&b->data);
    reel_arrow_array_reset(&b->last_values);
    for (int32_t i = 0; i < b->n_children && b->children != NULL; i++)
        free_state(&b->children[i]);
    reel_free(b->alloc, b->children, (size_t)b->n_children * sizeof(reel_arrow_builder));
    reel_free(b->alloc, b->dense_used, (size_t)b->n_children * sizeof(int64_t));
}

static builder_kind kind_of(reel_arrow_type type)
{
    switch (type) {
    case REEL_ARROW_NULL_TYPE:
        return KIND_NULL;
    case REEL_ARROW_BOOL:
        return KIND_BOOL;
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64:
        return KIND_UINT;
    case REEL_ARROW_FLOAT16:
        return KIND_FLOAT16;
    case REEL_ARROW_FLOAT32:
        return KIND_FLOAT32;
    case REEL_ARROW_FLOAT64:
        return KIND_FLOAT64;
    case REEL_ARROW_UTF8:
    case REEL_ARROW_BINARY:
        return KIND_BINARY;
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_LARGE_BINARY:
        return KIND_LARGE_BINARY;
    case REEL_ARROW_FIXED_SIZE_BINARY:
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256:
        return KIND_FIXED_BINARY;
    case REEL_ARROW_LIST:
    case REEL_ARROW_MAP: /* a list of entry structs */
        return KIND_LIST;
    case REEL_ARROW_LARGE_LIST:
        return KIND_LARGE_LIST;
    case REEL_ARROW_FIXED_SIZE_LIST:
        return KIND_FIXED_LIST;
    case REEL_ARROW_STRUCT:
        return KIND_STRUCT;
    case REEL_ARROW_SPARSE_UNION:
        return KIND_SPARSE_UNION;
    case REEL_ARROW_DENSE_UNION:
        return KIND_DENSE_UNION;
    default:
        return KIND_INT;
    }
}

static reel_status init_builder(reel_arrow_builder *b, const reel_arrow_field *field,
                                const reel_allocator *alloc)
{
    b->field = field;
    b->alloc = alloc;
    b->kind = kind_of(field->type);
    int32_t width = reel_arrow_fixed_width(field);
    int32_t n_children = field->n_children;
    if (field->type == REEL_ARROW_DICTIONARY) {
        /* An integer builder for the indices, with the values builder as its child. */
        b->is_dictionary = true;
        b->kind = kind_of(field->index_type);
        width = reel__arrow_value_width(field);
        n_children = 1;
    }
    b->width = width > 0 ? width : 0;
    reel_buf_init(&b->validity, alloc);
    reel_buf_init(&b->values, alloc);
    reel_buf_init(&b->data, alloc);
    if (b->kind == KIND_INT) {
        int bits = width * 8;
        b->int_max = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
        b->int_min = -b->int_max - 1;
    } else if (b->kind == KIND_UINT) {
        b->uint_max = width == 8 ? UINT64_MAX : (UINT64_C(1) << (width * 8)) - 1;
    }
    memset(b->child_of_code, -1, sizeof b->child_of_code);
    if (n_children == 0)
        return REEL_OK;
    size_t n = (size_t)n_children;
    b->children = reel_alloc_zeroed(alloc, n * sizeof(reel_arrow_builder));
    if (b->children == NULL)
        return REEL_OUT_OF_MEMORY;
    b->n_children = n_children;
    if (b->is_dictionary)
        return init_builder(&b->children[0], field->dictionary, alloc);
    if (b->kind == KIND_DENSE_UNION) {
        b->dense_used = reel_alloc_zeroed(alloc, n * sizeof(int64_t));
        if (b->dense_used == NULL)
            return REEL_OUT_OF_MEMORY;
    }
    for (int32_t i = 0; i < field->n_children; i++) {
        if (field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION)
            b->child_of_code[field->union_type_codes[i]] = (int8_t)i;
        REEL_TRY(init_builder(&b->children[i], &field->children[i], alloc));
    }
    return REEL_OK;
}

reel_status reel_arrow_builder_create(const reel_arrow_field *field, const reel_allocator *alloc,
                                      reel_arrow_builder **out, reel_error *err)
{
    *out = NULL;
    REEL_TRY(reel_arrow_field_validate(field, err));
    reel_arrow_builder *b = reel_alloc_zeroed(alloc, sizeof *b);
    if (b == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "builder: out of memory");
    b->alloc = alloc;
    reel_status status = reel_arrow_field_copy(&b->own_field, field, alloc);
    if (status == REEL_OK)
        status = init_builder(b, &b->own_field, alloc);
    if (status != REEL_OK) {
        reel_arrow_builder_destroy(b);
        return reel_error_set(err, status, "builder: out of memory");
    }
    *out = b;
    return REEL_OK;
}

void reel_arrow_builder_destroy(reel_arrow_builder *builder)
{
    if (builder == NULL)
        return;
    free_state(builder);
    reel_arrow_field_reset(&builder->own_field);
    reel_free(builder->alloc, builder, sizeof *builder);
}

const reel_arrow_field *reel_arrow_builder_field(const reel_arrow_builder *builder)
{
    return builder->field;
}

reel_arrow_builder *reel_arrow_builder_child(reel_arrow_builder *builder, int32_t index)
{
    if (index < 0 || index >= builder->n_children)
        return NULL;
    return &builder->children[index];
}

int64_t reel_arrow_builder_length(const reel_arrow_builder *builder)
{
    return builder->length;
}

reel_status reel_arrow_builder_reserve(reel_arrow_builder *b, int64_t additional)
{
    if (additional < 0)
        return REEL_INVALID_ARGUMENT;
    size_t n = (size_t)additional, bytes;
    if (b->has_validity)
        REEL_TRY(reel_buf_reserve(&b->validity, n / 8 + 1));
    switch (b->kind) {
    case KIND_BOOL:
        return reel_buf_reserve(&b->values, n / 8 + 1);
    case KIND_BINARY:
    case KIND_LIST:
    case KIND_LARGE_BINARY:
    case KIND_LARGE_LIST: {
        size_t width = b->kind == KIND_BINARY || b->kind == KIND_LIST ? 4 : 8;
        if (!reel_size_mul(n + 1, width, &bytes))
            return REEL_OUT_OF_MEMORY;
        return reel_buf_reserve(&b->values, bytes);
    }
    case KIND_DENSE_UNION:
        if (!reel_size_mul(n, 4, &bytes))
            return REEL_OUT_OF_MEMORY;
        REEL_TRY(reel_buf_reserve(&b->data, bytes));
        return reel_buf_reserve(&b->values, n);
    case KIND_SPARSE_UNION:
        return reel_buf_reserve(&b->values, n);
    default:
        if (!reel_size_mul(n, (size_t)b->width, &bytes))
            return REEL_OUT_OF_MEMORY;
        return reel_buf_reserve(&b->values, bytes);
    }
}

/* ---------------------------------------------------------------- appending */

static reel_status append_union_nulls(reel_arrow_builder *b, int64_t count)
{
    if (b->n_children == 0)
        return REEL_INVALID_ARGUMENT; /* a union without children has no null to point to */
    int8_t code = b->field->union_type_codes[0];
    reel_arrow_builder *first = &b->children[0];
    if (b->kind == KIND_DENSE_UNION) {
        if (first->length != b->dense_used[0])
            return REEL_INVALID_ARGUMENT; /* a value appended to child 0 is still unclaimed */
        if (first->length > INT32_MAX - count)
            return REEL_LIMIT;
        REEL_TRY(reel_buf_reserve(&b->data, (size_t)count * 4));
        REEL_TRY(reel_buf_reserve(&b->values, (size_t)count));
        REEL_TRY(reel_arrow_builder_append_null(first, count));
        for (int64_t k = 0; k < count; k++) {
            int32_t at = (int32_t)(b->dense_used[0] + k);
            memcpy(b->data.data + b->data.len, &at, 4);
            b->data.len += 4;
        }
        b->dense_used[0] += count;
    } else {
        for (int32_t c = 0; c < b->n_children; c++) {
            if (b->children[c].length != b->length)
                return REEL_INVALID_ARGUMENT;
        }
        REEL_TRY(reel_buf_reserve(&b->values, (size_t)count));
        for (int32_t c = 0; c < b->n_children; c++)
            REEL_TRY(reel_arrow_builder_append_null(&b->children[c], count));
    }
    memset(b->values.data + b->values.len, code, (size_t)count);
    b->values.len += (size_t)count;
    b->length += count;
    return REEL_OK;
}

reel_status reel_arrow_builder_append_null(reel_arrow_builder *b, int64_t count)
{
    if (count < 0 || count > INT64_MAX / 64 - b->length)
        return count < 0 ? REEL_INVALID_ARGUMENT : REEL_LIMIT;
    if (count == 0)
        return REEL_OK;
    switch (b->kind) {
    case KIND_NULL:
        b->length += count;
        b->null_count += count;
        return REEL_OK;
    case KIND_SPARSE_UNION:
    case KIND_DENSE_UNION:
        return append_union_nulls(b, count);
    case KIND_LIST:
    case KIND_LARGE_LIST:
        if (b->children[0].length != b->last_offset)
            return REEL_INVALID_ARGUMENT; /* child values of an unfinished element */
        break;
    default:
        break;
    }
    if (!b->has_validity)
        REEL_TRY(start_validity(b));
    REEL_TRY(bitmap_cover(&b->validity, b->length + count));
    size_t n = (size_t)count;
    switch (b->kind) {
    case KIND_BOOL:
        REEL_TRY(bitmap_cover(&b->values, b->length + count));
        break;
    case KIND_BINARY:
    case KIND_LARGE_BINARY:
    case KIND_LIST:
    case KIND_LARGE_LIST:
        for (size_t k = 0; k < n; k++)
            REEL_TRY(push_offset(b, b->last_offset));
        break;
    case KIND_FIXED_LIST: {
        int64_t size = b->field->fixed_size;
        if (count > INT64_MAX / 64 / size)
            return REEL_LIMIT;
        REEL_TRY(reel_arrow_builder_append_null(&b->children[0], count * size));
        break;
    }
    case KIND_STRUCT:
        for (int32_t c = 0; c < b->n_children; c++)
            REEL_TRY(reel_arrow_builder_append_null(&b->children[c], count));
        break;
    default: {
        size_t bytes;
        if (!reel_size_mul(n, (size_t)b->width, &bytes))
            return REEL_OUT_OF_MEMORY;
        REEL_TRY(reel_buf_append_zeros(&b->values, bytes));
    }
    }
    b->length += count;
    b->null_count += count;
    return REEL_OK;
}

static inline reel_status store_int(reel_arrow_builder *b, uint64_t bits)
{
    REEL_TRY(validity_reserve_one(b));
    reel_status status;
    switch (b->width) {
    case 1: {
        uint8_t v = (uint8_t)bits;
        status = push(&b->values, &v, 1);
        break;
    }
    case 2: {
        uint16_t v = (uint16_t)bits;
        status = push(&b->values, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = (uint32_t)bits;
        status = push(&b->values, &v, 4);
        break;
    }
    default:
        status = push(&b->values, &bits, 8);
    }
    if (status == REEL_OK)
        commit_valid(b);
    return status;
}

/* The stored integer of a decimal, sign-extended to the width. */
static reel_status append_decimal_int(reel_arrow_builder *b, int64_t value)
{
    if (!reel__arrow_decimal_fits_int(b->field, value))
        return REEL_LIMIT;
    uint8_t bytes[32];
    memset(bytes, value < 0 ? 0xff : 0x00, sizeof bytes);
    reel_store_u64le(bytes, (uint64_t)value); /* little-endian: a DECIMAL32 takes 4 of them */
    return reel_arrow_builder_append_bytes(b, bytes, (size_t)b->width);
}

reel_status reel_arrow_builder_append_int(reel_arrow_builder *b, int64_t value)
{
    if (b->kind == KIND_FIXED_BINARY && reel__arrow_is_decimal(b->field->type))
        return append_decimal_int(b, value);
    if (b->kind == KIND_INT) {
        if (value < b->int_min || value > b->int_max)
            return REEL_LIMIT;
        return store_int(b, (uint64_t)value);
    }
    if (b->kind == KIND_UINT) {
        if (value < 0 || (uint64_t)value > b->uint_max)
            return REEL_LIMIT;
        return store_int(b, (uint64_t)value);
    }
    return REEL_INVALID_ARGUMENT;
}

reel_status reel_arrow_builder_append_uint(reel_arrow_builder *b, uint64_t value)
{
    if (b->kind == KIND_UINT) {
        if (value > b->uint_max)
            return REEL_LIMIT;
        return store_int(b, value);
    }
    if (b->kind == KIND_INT) {
        if (value > (uint64_t)b->int_max)
            return REEL_LIMIT;
        return store_int(b, value);
    }
    return REEL_INVALID_ARGUMENT;
}

reel_status reel_arrow_builder_append_double(reel_arrow_builder *b, double value)
{
    reel_status status;
    REEL_TRY(validity_reserve_one(b));
    switch (b->kind) {
    case KIND_FLOAT64:
        status = push(&b->values, &value, 8);
        break;
    case KIND_FLOAT32: {
        float f = (float)value;
        status = push(&b->values, &f, 4);
        break;
    }
    case KIND_FLOAT16: {
        uint16_t h = reel__arrow_double_to_half(value);
        status = push(&b->values, &h, 2);
        break;
    }
    default:
        return REEL_INVALID_ARGUMENT;
    }
    if (status == REEL_OK)
        commit_valid(b);
    return status;
}

reel_status reel_arrow_builder_append_bool(reel_arrow_builder *b, bool value)
{
    if (b->kind != KIND_BOOL)
        return REEL_INVALID_ARGUMENT;
    REEL_TRY(validity_reserve_one(b));
    if ((b->length & 7) == 0)
        REEL_TRY(reel_buf_append_u8(&b->values, 0));
    if (value)
        reel__arrow_set_bit(b->values.data, b->length);
    commit_valid(b);
    return REEL_OK;
}

reel_status reel_arrow_builder_append_bytes(reel_arrow_builder *b, const void *data, size_t len)
{
    REEL_TRY(validity_reserve_one(b));
    if (b->kind == KIND_FIXED_BINARY) {
        if (len != (size_t)b->width)
            return REEL_INVALID_ARGUMENT;
        REEL_TRY(push(&b->values, data, len));
        commit_valid(b);
        return REEL_OK;
    }
    if (b->kind != KIND_BINARY && b->kind != KIND_LARGE_BINARY)
        return REEL_INVALID_ARGUMENT;
    int64_t limit = b->kind == KIND_BINARY ? INT32_MAX : INT64_MAX;
    if (len > (uint64_t)(limit - b->last_offset))
        return REEL_LIMIT;
    int64_t end = b->last_offset + (int64_t)len;
    REEL_TRY(reel_buf_reserve(&b->values, 16));
    if (len != 0)
        REEL_TRY(push(&b->data, data, len));
    REEL_TRY(push_offset(b, end)); /* cannot fail: reserved above */
    b->last_offset = end;
    commit_valid(b);
    return REEL_OK;
}

reel_status reel_arrow_builder_append_values(reel_arrow_builder *b, const void *values,
                                             int64_t count)
{
    switch (b->kind) {
    case KIND_INT:
    case KIND_UINT:
    case KIND_FLOAT16:
    case KIND_FLOAT32:
    case KIND_FLOAT64:
    case KIND_FIXED_BINARY:
        break;
    default:
        return REEL_INVALID_ARGUMENT;
    }
    if (count < 0)
        return REEL_INVALID_ARGUMENT;
    if (count == 0)
        return REEL_OK;
    size_t bytes;
    if (count > INT64_MAX / 64 - b->length ||
        !reel_size_mul((size_t)count, (size_t)b->width, &bytes))
        return REEL_LIMIT;
    if (b->has_validity)
        REEL_TRY(bitmap_cover(&b->validity, b->length + count));
    REEL_TRY(push(&b->values, values, bytes));
    if (b->has_validity)
        bitmap_set_range(b->validity.data, b->length, count);
    b->length += count;
    return REEL_OK;
}
