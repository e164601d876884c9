/* Private to the builders (builder.c appends, builder_append.c copies ranges of arrays,
 * builder_finish.c closes elements and hands the data over): the builder's state and the
 * small buffer and bitmap helpers they share. */
#ifndef REEL_ARROW_BUILDER_STATE_H
#define REEL_ARROW_BUILDER_STATE_H

#include <string.h>

#include "arrow/arrow_util.h"

typedef enum builder_kind {
    KIND_NULL,
    KIND_BOOL,
    KIND_INT, /* signed integers and temporal types */
    KIND_UINT,
    KIND_FLOAT16,
    KIND_FLOAT32,
    KIND_FLOAT64,
    KIND_BINARY, /* UTF8 and BINARY: int32 offsets + data */
    KIND_LARGE_BINARY,
    KIND_FIXED_BINARY,
    KIND_LIST,
    KIND_LARGE_LIST,
    KIND_FIXED_LIST,
    KIND_STRUCT,
    KIND_SPARSE_UNION,
    KIND_DENSE_UNION,
} builder_kind;

struct reel_arrow_builder {
    reel_arrow_field own_field;    /* the root's copy of the field tree */
    const reel_arrow_field *field; /* own_field, or a node inside the root's copy */
    const reel_allocator *alloc;
    builder_kind kind;
    int32_t width; /* bytes per value of fixed-width kinds */
    int64_t int_min, int_max;
    uint64_t uint_max;
    int64_t length, null_count;
    int64_t last_offset; /* var-size kinds: the offset after the last element */
    bool has_validity;
    reel_buf validity;
    reel_buf values; /* values, offsets or union type ids */
    reel_buf data;   /* var-binary bytes, or dense union offsets */
    int32_t n_children;
    reel_arrow_builder *children; /* owned array (a dictionary: one, the values) */
    int64_t *dense_used;          /* dense unions: child elements referenced so far */
    int8_t child_of_code[128];
    /* DICTIONARY (kind INT or UINT for its indices): the source values append_array copied
     * last (shared, so their blobs stay alive and their addresses unique) and where they
     * start in the values builder, so a run of arrays with one dictionary copies it once. */
    bool is_dictionary;
    bool has_last_values;
    reel_arrow_array last_values;
    int64_t last_values_start;
};

static inline reel_status push(reel_buf *buf, const void *bytes, size_t n)
{
    if (buf->data == NULL || buf->cap - buf->len < n)
        REEL_TRY(reel_buf_reserve(buf, n));
    memcpy(buf->data + buf->len, bytes, n);
    buf->len += n;
    return REEL_OK;
}

/* Grows a bitmap (zero bits) so it covers `bits` bits. */
static inline reel_status bitmap_cover(reel_buf *buf, int64_t bits)
{
    size_t need = (size_t)(bits / 8 + (bits % 8 != 0));
    return need > buf->len ? reel_buf_append_zeros(buf, need - buf->len) : REEL_OK;
}

static inline void bitmap_set_range(uint8_t *bits, int64_t start, int64_t count)
{
    int64_t i = start, end = start + count;
    for (; i < end && (i & 7) != 0; i++)
        reel__arrow_set_bit(bits, i);
    if (end - i >= 8) {
        memset(bits + i / 8, 0xff, (size_t)((end - i) / 8));
        i += (end - i) / 8 * 8;
    }
    for (; i < end; i++)
        reel__arrow_set_bit(bits, i);
}

/* Turns the bitmap on: bits [0, length) valid. */
static inline reel_status start_validity(reel_arrow_builder *b)
{
    REEL_TRY(bitmap_cover(&b->validity, b->length));
    bitmap_set_range(b->validity.data, 0, b->length);
    b->has_validity = true;
    return REEL_OK;
}

/* Makes room for one more valid element's bit (the caller sets it on success). */
static inline reel_status validity_reserve_one(reel_arrow_builder *b)
{
    if (b->has_validity && (b->length & 7) == 0)
        return reel_buf_append_u8(&b->validity, 0);
    return REEL_OK;
}

static inline void commit_valid(reel_arrow_builder *b)
{
    if (b->has_validity)
        reel__arrow_set_bit(b->validity.data, b->length);
    b->length++;
}

/* Var-size layouts start with offset 0, written on first use so an emptied builder does
 * not allocate. */
static inline reel_status push_offset(reel_arrow_builder *b, int64_t offset)
{
    bool large = b->kind == KIND_LARGE_BINARY || b->kind == KIND_LARGE_LIST;
    if (large) {
        int64_t values[2] = {0, offset};
        return b->values.len == 0 ? push(&b->values, values, 16) : push(&b->values, &offset, 8);
    }
    int32_t values[2] = {0, (int32_t)offset};
    return b->values.len == 0 ? push(&b->values, values, 8) : push(&b->values, &values[1], 4);
}

#endif
