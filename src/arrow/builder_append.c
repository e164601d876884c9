/* Copying ranges of existing arrays into builders (reel_arrow_builder_append_array) and
 * concatenating arrays (reel_arrow_concat). Fixed-width values are copied with one memcpy,
 * offsets are rebased in one pass, bitmaps are shifted a byte at a time; nested types recurse
 * into their children, so every type the builders support can be copied, nulls included. */
#include "arrow/builder_state.h"

static inline void copy_bit(uint8_t *dst, int64_t d, const uint8_t *src, int64_t s)
{
    if (reel__arrow_get_bit(src, s))
        reel__arrow_set_bit(dst, d);
    else
        reel__arrow_clear_bit(dst, d);
}

/* Copies n bits from src (from bit s) over dst (from bit d). dst must cover d + n bits. */
static void copy_bits(uint8_t *dst, int64_t d, const uint8_t *src, int64_t s, int64_t n)
{
    for (; n > 0 && (d & 7) != 0; n--, d++, s++)
        copy_bit(dst, d, src, s);
    int64_t bytes = n >> 3;
    if (bytes > 0) {
        const uint8_t *from = src + (s >> 3);
        uint8_t *to = dst + (d >> 3);
        int shift = (int)(s & 7);
        if (shift == 0) {
            memcpy(to, from, (size_t)bytes);
        } else {
            /* from[k + 1] stays inside the source: its low bits are part of the range. */
            for (int64_t k = 0; k < bytes; k++)
                to[k] = (uint8_t)((from[k] >> shift) | (from[k + 1] << (8 - shift)));
        }
        d += bytes * 8, s += bytes * 8, n -= bytes * 8;
    }
    for (; n > 0; n--, d++, s++)
        copy_bit(dst, d, src, s);
}

typedef struct append_ctx {
    reel__arrow_path path;
    reel_error *err;
    bool reported; /* err was set with the details */
} append_ctx;

static reel_status fail(append_ctx *ctx, reel_status status, const char *what)
{
    ctx->reported = true;
    return reel_error_set(ctx->err, status, "append_array: %s: %s",
                          reel__arrow_path_str(&ctx->path), what);
}

/* Appends the validity bits of src's physical range [phys, phys + count) and returns the
 * number of nulls in it. Call after the values were appended, before length grows. */
static reel_status append_validity(reel_arrow_builder *b, const reel_arrow_array *src, int64_t phys,
                                   int64_t count, int64_t *nulls)
{
    const uint8_t *bits = src->buffers[0].data;
    *nulls = bits != NULL ? reel_arrow_count_nulls(&src->buffers[0], phys, count) : 0;
    if (*nulls > 0 && !b->has_validity)
        REEL_TRY(start_validity(b));
    if (!b->has_validity)
        return REEL_OK;
    REEL_TRY(bitmap_cover(&b->validity, b->length + count));
    if (*nulls > 0)
        copy_bits(b->validity.data, b->length, bits, phys, count);
    else
        bitmap_set_range(b->validity.data, b->length, count);
    return REEL_OK;
}

static reel_status append_range(reel_arrow_builder *b, const reel_arrow_array *src, int64_t first,
                                int64_t count, append_ctx *ctx);

static reel_status append_child(reel_arrow_builder *b, int32_t c, const reel_arrow_array *src,
                                int64_t first, int64_t count, append_ctx *ctx)
{
    size_t old_len = reel__arrow_path_push(&ctx->path, b->children[c].field, c);
    reel_status status = append_range(&b->children[c], &src->children[c], first, count, ctx);
    reel__arrow_path_pop(&ctx->path, old_len);
    return status;
}

/* Offsets-based layouts (var-size binary, lists): rebases src's offsets onto the builder's
 * and returns the source's value range [*value_first, *value_first + *value_count). */
static reel_status append_offsets(reel_arrow_builder *b, const reel_arrow_array *src, int64_t phys,
                                  int64_t count, int64_t *value_first, int64_t *value_count,
                                  append_ctx *ctx)
{
    bool large = b->kind == KIND_LARGE_BINARY || b->kind == KIND_LARGE_LIST;
    const uint8_t *offsets = src->buffers[1].data;
    int64_t first = reel__arrow_load_offset(offsets, large, phys);
    int64_t last = reel__arrow_load_offset(offsets, large, phys + count);
    int64_t limit = large ? INT64_MAX : INT32_MAX;
    if (first < 0 || last < first)
        return fail(ctx, REEL_INVALID_ARGUMENT, "source offsets are not increasing");
    if (last - first > limit - b->last_offset)
        return fail(ctx, REEL_LIMIT, "offsets would overflow");
    size_t width = large ? 8 : 4;
    size_t leading = b->values.len == 0 ? 1 : 0; /* var-size layouts start with offset 0 */
    REEL_TRY(reel_buf_reserve(&b->values, ((size_t)count + leading) * width));
    if (leading) {
        memset(b->values.data, 0, width);
        b->values.len = width;
    }
    uint8_t *out = b->values.data + b->values.len;
    for (int64_t i = 1; i <= count; i++) {
        int64_t value =
            b->last_offset + (reel__arrow_load_offset(offsets, large, phys + i) - first);
        if (large) {
            memcpy(out, &value, 8);
        } else {
            int32_t narrow = (int32_t)value;
            memcpy(out, &narrow, 4);
        }
        out += width;
    }
    b->values.len += (size_t)count * width;
    *value_first = first;
    *value_count = last - first;
    return REEL_OK;
}

static reel_status append_dense_union(reel_arrow_builder *b, const reel_arrow_array *src,
                                      int64_t phys, int64_t count, append_ctx *ctx)
{
    const int8_t *codes = (const int8_t *)src->buffers[0].data;
    const uint8_t *offsets = src->buffers[1].data;
    for (int32_t c = 0; c < b->n_children; c++) {
        if (b->children[c].length != b->dense_used[c])
            return fail(ctx, REEL_INVALID_ARGUMENT, "a child holds an unclaimed value");
    }
    REEL_TRY(reel_buf_reserve(&b->values, (size_t)count));
    REEL_TRY(reel_buf_reserve(&b->data, (size_t)count * 4));
    /* Runs of one child with consecutive offsets are copied in one go. */
    for (int64_t i = 0; i < count;) {
        int8_t code = codes[phys + i];
        int32_t c = code >= 0 ? b->child_of_code[code] : -1;
        if (c < 0)
            return fail(ctx, REEL_INVALID_ARGUMENT, "source has a type code the union lacks");
        int64_t start = reel__arrow_load_i32(offsets + (phys + i) * 4), run = 1;
        while (i + run < count && codes[phys + i + run] == code &&
               reel__arrow_load_i32(offsets + (phys + i + run) * 4) == start + run)
            run++;
        if (b->dense_used[c] > (int64_t)INT32_MAX - run)
            return fail(ctx, REEL_LIMIT, "dense union offsets would overflow");
        REEL_TRY(append_child(b, c, src, start, run, ctx));
        for (int64_t k = 0; k < run; k++) {
            int32_t at = (int32_t)(b->dense_used[c] + k);
            memcpy(b->data.data + b->data.len, &at, 4);
            b->data.len += 4;
            b->values.data[b->values.len++] = (uint8_t)code;
        }
        b->dense_used[c] += run;
        i += run;
    }
    b->length += count;
    return REEL_OK;
}

static reel_status append_sparse_union(reel_arrow_builder *b, const reel_arrow_array *src,
                                       int64_t phys, int64_t count, append_ctx *ctx)
{
    const int8_t *codes = (const int8_t *)src->buffers[0].data;
    for (int64_t i = 0; i < count; i++) {
        if (codes[phys + i] < 0 || b->child_of_code[codes[phys + i]] < 0)
            return fail(ctx, REEL_INVALID_ARGUMENT, "source has a type code the union lacks");
    }
    for (int32_t c = 0; c < b->n_children; c++) {
        if (b->children[c].length != b->length)
            return fail(ctx, REEL_INVALID_ARGUMENT, "a child holds an unclaimed value");
    }
    REEL_TRY(reel_buf_reserve(&b->values, (size_t)count));
    for (int32_t c = 0; c < b->n_children; c++)
        REEL_TRY(append_child(b, c, src, phys, count, ctx));
    memcpy(b->values.data + b->values.len, codes + phys, (size_t)count);
    b->values.len += (size_t)count;
    b->length += count;
    return REEL_OK;
}

/* True when a and b are the same arrays: the same bytes at the same places (blobs never
 * change, and `a` holds references to its blobs, so equal addresses mean equal data). */
static bool same_arrays(const reel_arrow_array *a, const reel_arrow_array *b, int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH || a->length != b->length || a->offset != b->offset ||
        a->null_count != b->null_count || a->n_buffers != b->n_buffers ||
        a->n_children != b->n_children || (a->dictionary == NULL) != (b->dictionary == NULL))
        return false;
    for (int32_t i = 0; i < a->n_buffers && i < 3; i++) {
        if (a->buffers[i].data != b->buffers[i].data || a->buffers[i].size != b->buffers[i].size)
            return false;
    }
    for (int32_t i = 0; i < a->n_children; i++) {
        if (!same_arrays(&a->children[i], &b->children[i], depth + 1))
            return false;
    }
    return a->dictionary == NULL || same_arrays(a->dictionary, b->dictionary, depth + 1);
}

/* Dictionary arrays: the source's values go to the values builder (whole, unless they are
 * the ones appended last), then its indices, shifted by where those values start. */
static reel_status append_dictionary(reel_arrow_builder *b, const reel_arrow_array *src,
                                     int64_t phys, int64_t count, append_ctx *ctx)
{
    if (src->dictionary == NULL)
        return fail(ctx, REEL_INVALID_ARGUMENT, "source dictionary array has no dictionary");
    reel_arrow_builder *values = &b->children[0];
    if (!b->has_last_values || !same_arrays(&b->last_values, src->dictionary, 0)) {
        int64_t start = values->length;
        reel_arrow_array_reset(&b->last_values);
        b->has_last_values = false;
        size_t old_len = reel__arrow_path_push_dictionary(&ctx->path);
        reel_status status = append_range(values, src->dictionary, 0, src->dictionary->length, ctx);
        reel__arrow_path_pop(&ctx->path, old_len);
        REEL_TRY(status);
        b->last_values_start = start;
        /* Without the memo (out of memory) the next call just copies the values again. */
        b->has_last_values = reel_arrow_array_share(&b->last_values, src->dictionary) == REEL_OK;
    }
    int64_t base = b->last_values_start;
    size_t width = (size_t)b->width;
    REEL_TRY(reel_buf_reserve(&b->values, (size_t)count * width));
    const reel_arrow_field index_field = {.type = b->field->index_type};
    const bool is_unsigned = b->kind == KIND_UINT;
    uint8_t *out = b->values.data + b->values.len;
    for (int64_t i = phys - src->offset; i < phys - src->offset + count; i++, out += width) {
        uint64_t bits = 0; /* under a null */
        if (reel__arrow_valid(src, i)) {
            bool fits;
            if (is_unsigned) {
                uint64_t index = reel_arrow_array_get_uint(&index_field, src, i);
                fits = index <= b->uint_max - (uint64_t)base;
                bits = index + (uint64_t)base;
            } else {
                int64_t index = reel_arrow_array_get_int(&index_field, src, i);
                fits = index <= b->int_max - base;
                bits = (uint64_t)(index + base);
            }
            if (!fits)
                return fail(ctx, REEL_LIMIT, "dictionary indices would overflow the index type");
        }
        memcpy(out, &bits, width); /* little-endian: the low bytes */
    }
    b->values.len += (size_t)count * width;
    return REEL_OK;
}

/* The buffers and children this kind reads, present for a non-empty range. */
static reel_status check_layout(const reel_arrow_builder *b, const reel_arrow_array *src,
                                append_ctx *ctx)
{
    int32_t want_buffers = reel_arrow_type_buffer_count(b->field->type);
    int32_t want_children = b->is_dictionary ? 0 : b->n_children;
    if (src->n_buffers < want_buffers || src->n_children != want_children)
        return fail(ctx, REEL_INVALID_ARGUMENT, "source array does not have the builder's layout");
    int first_data = 1;
    switch (b->kind) {
    case KIND_NULL:
    case KIND_STRUCT:
    case KIND_FIXED_LIST:
        return REEL_OK;
    case KIND_SPARSE_UNION:
    case KIND_DENSE_UNION:
        first_data = 0;
        break;
    default:
        break;
    }
    for (int32_t i = first_data; i < want_buffers && i < first_data + 2; i++) {
        bool optional = i == 2 && (b->kind == KIND_BINARY || b->kind == KIND_LARGE_BINARY);
        if (src->buffers[i].data == NULL && !optional)
            return fail(ctx, REEL_INVALID_ARGUMENT, "source array lacks a buffer");
    }
    return REEL_OK;
}

static reel_status append_range(reel_arrow_builder *b, const reel_arrow_array *src, int64_t first,
                                int64_t count, append_ctx *ctx)
{
    if (count == 0)
        return REEL_OK;
    if (count > INT64_MAX / 64 - b->length)
        return fail(ctx, REEL_LIMIT, "too many elements");
    REEL_TRY(check_layout(b, src, ctx));
    int64_t phys = src->offset + first, nulls = 0;
    if (b->is_dictionary) {
        REEL_TRY(append_dictionary(b, src, phys, count, ctx));
        REEL_TRY(append_validity(b, src, phys, count, &nulls));
        b->length += count;
        b->null_count += nulls;
        return REEL_OK;
    }
    switch (b->kind) {
    case KIND_NULL:
        b->length += count;
        b->null_count += count;
        return REEL_OK;
    case KIND_SPARSE_UNION:
        return append_sparse_union(b, src, phys, count, ctx);
    case KIND_DENSE_UNION:
        return append_dense_union(b, src, phys, count, ctx);
    case KIND_BOOL:
        REEL_TRY(bitmap_cover(&b->values, b->length + count));
        copy_bits(b->values.data, b->length, src->buffers[1].data, phys, count);
        break;
    case KIND_BINARY:
    case KIND_LARGE_BINARY: {
        int64_t value_first, value_count;
        size_t saved = b->values.len;
        REEL_TRY(append_offsets(b, src, phys, count, &value_first, &value_count, ctx));
        if (value_count > 0 && reel_buf_append(&b->data, src->buffers[2].data + value_first,
                                               (size_t)value_count) != REEL_OK) {
            b->values.len = saved;
            return fail(ctx, REEL_OUT_OF_MEMORY, "out of memory");
        }
        b->last_offset += value_count;
        break;
    }
    case KIND_LIST:
    case KIND_LARGE_LIST: {
        if (b->children[0].length != b->last_offset)
            return fail(ctx, REEL_INVALID_ARGUMENT, "the builder has an unfinished element");
        int64_t value_first, value_count;
        size_t saved = b->values.len;
        REEL_TRY(append_offsets(b, src, phys, count, &value_first, &value_count, ctx));
        reel_status status = append_child(b, 0, src, value_first, value_count, ctx);
        if (status != REEL_OK) {
            b->values.len = saved;
            return status;
        }
        b->last_offset += value_count;
        break;
    }
    case KIND_FIXED_LIST: {
        int64_t size = b->field->fixed_size;
        if (count > INT64_MAX / 64 / size)
            return fail(ctx, REEL_LIMIT, "too many elements");
        REEL_TRY(append_child(b, 0, src, phys * size, count * size, ctx));
        break;
    }
    case KIND_STRUCT:
        for (int32_t c = 0; c < b->n_children; c++)
            REEL_TRY(append_child(b, c, src, phys, count, ctx));
        break;
    default: { /* fixed width */
        size_t bytes = (size_t)count * (size_t)b->width;
        REEL_TRY(reel_buf_append(&b->values, src->buffers[1].data + phys * b->width, bytes));
        break;
    }
    }
    REEL_TRY(append_validity(b, src, phys, count, &nulls));
    b->length += count;
    b->null_count += nulls;
    return REEL_OK;
}

reel_status reel_arrow_builder_append_array(reel_arrow_builder *builder,
                                            const reel_arrow_array *src, int64_t offset,
                                            int64_t length, reel_error *err)
{
    append_ctx ctx = {.err = err};
    reel__arrow_path_root(&ctx.path, builder->field);
    if (offset < 0 || length < 0 || offset > src->length || length > src->length - offset)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "append_array: range [%lld, +%lld) is outside the array's %lld "
                              "elements",
                              (long long)offset, (long long)length, (long long)src->length);
    reel_status status = append_range(builder, src, offset, length, &ctx);
    if (status != REEL_OK && !ctx.reported)
        return fail(&ctx, status, reel_status_text(status));
    return status;
}

reel_status reel_arrow_concat(const reel_arrow_field *field, const reel_arrow_array *arrays,
                              int64_t count, const reel_allocator *alloc, reel_arrow_array *out,
                              reel_error *err)
{
    memset(out, 0, sizeof *out);
    reel_arrow_builder *b = NULL;
    REEL_TRY(reel_arrow_builder_create(field, alloc, &b, err));
    int64_t total = 0;
    for (int64_t i = 0; i < count; i++)
        total += arrays[i].length;
    reel_status status = reel_arrow_builder_reserve(b, total);
    if (status != REEL_OK)
        status = reel_error_set(err, status, "concat: out of memory");
    for (int64_t i = 0; i < count && status == REEL_OK; i++) {
        status = reel_arrow_builder_append_array(b, &arrays[i], 0, arrays[i].length, err);
        if (status != REEL_OK)
            reel_error_prefix(err, "concat: array %lld: ", (long long)i);
    }
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, err);
    reel_arrow_builder_destroy(b);
    return status;
}
