/* Helpers for the IPC tests: arrays built by hand from C data (so the tests control offsets,
 * slices and null bitmaps exactly, independent of the builders), and stream round trips.
 * Each array helper takes ownership of the children it is given (they are moved). */
#ifndef REEL_TESTS_IPC_TEST_UTIL_H
#define REEL_TESTS_IPC_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"
#include "test.h"

/* A blob-owned copy of `len` bytes (size 0 gives an absent buffer). */
static inline reel_arrow_buffer tu_buffer(const void *data, size_t len)
{
    reel_arrow_buffer buffer = {0};
    if (len == 0)
        return buffer;
    reel_blob *blob = reel_blob_copy(NULL, data, len);
    if (blob == NULL)
        abort();
    buffer.data = reel_blob_data(blob);
    buffer.size = (int64_t)len;
    buffer.owner = blob;
    return buffer;
}

/* A bitmap from a string of '0'/'1' (character i is bit i; anything else reads as '1').
 * NULL gives an absent bitmap. *zeros (if not NULL) gets the number of '0's. */
static inline reel_arrow_buffer tu_bits(const char *bits, int64_t *zeros)
{
    int64_t count = 0;
    if (zeros != NULL)
        *zeros = 0;
    if (bits == NULL)
        return (reel_arrow_buffer){0};
    size_t n = strlen(bits);
    uint8_t *bytes = calloc(n / 8 + 1, 1);
    for (size_t i = 0; i < n; i++) {
        if (bits[i] != '0')
            bytes[i / 8] |= (uint8_t)(1u << (i % 8));
        else
            count++;
    }
    reel_arrow_buffer buffer = tu_buffer(bytes, n / 8 + 1);
    free(bytes);
    if (zeros != NULL)
        *zeros = count;
    return buffer;
}

static inline void tu_set_validity(reel_arrow_array *array, const char *bits)
{
    array->buffers[0] = tu_bits(bits, &array->null_count);
}

/* Fixed-width values (ints, floats, temporal, fixed-size binary): n_buffers 2. */
static inline void tu_fixed(reel_arrow_array *array, int64_t length, const char *validity,
                            const void *values, size_t width)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = 2;
    tu_set_validity(array, validity);
    array->buffers[1] = tu_buffer(values, (size_t)length * width);
}

static inline void tu_bool(reel_arrow_array *array, const char *validity, const char *values)
{
    memset(array, 0, sizeof *array);
    array->length = (int64_t)strlen(values);
    array->n_buffers = 2;
    tu_set_validity(array, validity);
    array->buffers[1] = tu_bits(values, NULL);
}

static inline void tu_null(reel_arrow_array *array, int64_t length)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->null_count = length;
}

/* Strings or binary; NULL entries are nulls. `first_offset` shifts all offsets (data starts
 * with that many filler bytes) to exercise writers that must rebase. */
static inline void tu_var(reel_arrow_array *array, const char *const *values, int64_t length,
                          bool large, int64_t first_offset)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = 3;
    size_t width = large ? 8 : 4;
    uint8_t *offsets = calloc((size_t)length + 1, width);
    size_t total = (size_t)first_offset;
    for (int64_t i = 0; i < length; i++)
        total += values[i] ? strlen(values[i]) : 0;
    uint8_t *data = calloc(total + 1, 1);
    memset(data, '#', (size_t)first_offset);
    char *bits = calloc((size_t)length + 1, 1);
    int64_t pos = first_offset;
    for (int64_t i = 0; i <= length; i++) {
        if (large)
            memcpy(offsets + 8 * i, &pos, 8);
        else {
            int32_t p32 = (int32_t)pos;
            memcpy(offsets + 4 * i, &p32, 4);
        }
        if (i == length)
            break;
        bits[i] = values[i] ? '1' : '0';
        if (values[i]) {
            memcpy(data + pos, values[i], strlen(values[i]));
            pos += (int64_t)strlen(values[i]);
        }
    }
    tu_set_validity(array, bits);
    if (array->null_count == 0) {
        reel_blob_release(array->buffers[0].owner);
        array->buffers[0] = (reel_arrow_buffer){0};
    }
    array->buffers[1] = tu_buffer(offsets, ((size_t)length + 1) * width);
    array->buffers[2] = tu_buffer(data, total);
    free(offsets);
    free(data);
    free(bits);
}

static inline reel_arrow_array *tu_children(reel_arrow_array *array, int32_t n)
{
    array->children = reel_alloc_zeroed(NULL, (size_t)n * sizeof(reel_arrow_array));
    array->n_children = n;
    return array->children;
}

static inline void tu_move(reel_arrow_array *dst, reel_arrow_array *src)
{
    *dst = *src;
    memset(src, 0, sizeof *src);
}

/* LIST / LARGE_LIST: offsets given as int64 and stored in the right width. */
static inline void tu_list(reel_arrow_array *array, int64_t length, const char *validity,
                           const int64_t *offsets, bool large, reel_arrow_array *child)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = 2;
    tu_set_validity(array, validity);
    if (large) {
        array->buffers[1] = tu_buffer(offsets, ((size_t)length + 1) * 8);
    } else {
        int32_t *narrow = calloc((size_t)length + 1, 4);
        for (int64_t i = 0; i <= length; i++)
            narrow[i] = (int32_t)offsets[i];
        array->buffers[1] = tu_buffer(narrow, ((size_t)length + 1) * 4);
        free(narrow);
    }
    tu_move(&tu_children(array, 1)[0], child);
}

static inline void tu_fixed_list(reel_arrow_array *array, int64_t length, const char *validity,
                                 reel_arrow_array *child)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = 1;
    tu_set_validity(array, validity);
    tu_move(&tu_children(array, 1)[0], child);
}

static inline void tu_struct(reel_arrow_array *array, int64_t length, const char *validity,
                             reel_arrow_array *children, int32_t n)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = 1;
    tu_set_validity(array, validity);
    reel_arrow_array *slots = tu_children(array, n);
    for (int32_t i = 0; i < n; i++)
        tu_move(&slots[i], &children[i]);
}

/* Unions: `offsets` NULL means sparse. */
static inline void tu_union(reel_arrow_array *array, int64_t length, const int8_t *codes,
                            const int32_t *offsets, reel_arrow_array *children, int32_t n)
{
    memset(array, 0, sizeof *array);
    array->length = length;
    array->n_buffers = offsets ? 2 : 1;
    array->buffers[0] = tu_buffer(codes, (size_t)length);
    if (offsets)
        array->buffers[1] = tu_buffer(offsets, (size_t)length * 4);
    reel_arrow_array *slots = tu_children(array, n);
    for (int32_t i = 0; i < n; i++)
        tu_move(&slots[i], &children[i]);
}

/* A batch (STRUCT, no validity) over `n` columns, moved in. */
static inline void tu_batch(reel_arrow_array *batch, int64_t length, reel_arrow_array *columns,
                            int32_t n)
{
    tu_struct(batch, length, NULL, columns, n);
}

/* Adds a column or child and returns it. */
static inline reel_arrow_field *tu_add(reel_arrow_field *parent, const char *name,
                                       reel_arrow_type type, bool nullable)
{
    reel_arrow_field *child = NULL;
    if (reel_arrow_field_add_child(parent, name, type, nullable, &child) != REEL_OK)
        abort();
    return child;
}

/* Writes every value of every column as JSON (checks the accessors accept the arrays). */
static inline bool tu_walk_json(const reel_arrow_field *schema, const reel_arrow_array *batch)
{
    reel_buf json;
    reel_buf_init(&json, NULL);
    bool ok = true;
    for (int32_t c = 0; c < schema->n_children && ok; c++) {
        for (int64_t i = 0; i < batch->length && ok; i++) {
            reel_buf_clear(&json);
            ok = reel_arrow_value_to_json(&schema->children[c], &batch->children[c],
                                          batch->offset + i, &json) == REEL_OK;
        }
    }
    reel_buf_free(&json);
    return ok;
}

static inline reel_blob *tu_blob(const reel_buf *buf)
{
    reel_blob *blob = reel_blob_copy(NULL, buf->data, buf->len);
    if (blob == NULL)
        abort();
    return blob;
}

static inline void tu_free_batches(reel_vec *batches)
{
    for (size_t i = 0; i < batches->len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(batches, reel_arrow_array, i));
    reel_vec_free(batches);
}

#endif
