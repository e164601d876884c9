/* Closing builder elements (list, fixed-size list and struct elements, union entries) and
 * finishing: checking that every child holds exactly what its parent references, then
 * moving the buffers into an array as blobs (no copy) and emptying the builder for reuse. */
#include "arrow/builder_state.h"

reel_status reel_arrow_builder_finish_element(reel_arrow_builder *b)
{
    int64_t next = b->length + 1;
    switch (b->kind) {
    case KIND_LIST:
    case KIND_LARGE_LIST: {
        int64_t end = b->children[0].length;
        if (end < b->last_offset)
            return REEL_INVALID_ARGUMENT;
        if (b->kind == KIND_LIST && end > INT32_MAX)
            return REEL_LIMIT;
        REEL_TRY(validity_reserve_one(b));
        REEL_TRY(push_offset(b, end));
        b->last_offset = end;
        break;
    }
    case KIND_FIXED_LIST:
        if (b->children[0].length != next * b->field->fixed_size)
            return REEL_INVALID_ARGUMENT;
        REEL_TRY(validity_reserve_one(b));
        break;
    case KIND_STRUCT:
        for (int32_t c = 0; c < b->n_children; c++) {
            if (b->children[c].length != next)
                return REEL_INVALID_ARGUMENT;
        }
        REEL_TRY(validity_reserve_one(b));
        break;
    default:
        return REEL_INVALID_ARGUMENT;
    }
    commit_valid(b);
    return REEL_OK;
}

reel_status reel_arrow_builder_append_union(reel_arrow_builder *b, int8_t type_code)
{
    if ((b->kind != KIND_SPARSE_UNION && b->kind != KIND_DENSE_UNION) || type_code < 0)
        return REEL_INVALID_ARGUMENT;
    int32_t child = b->child_of_code[type_code];
    if (child < 0)
        return REEL_INVALID_ARGUMENT;
    REEL_TRY(reel_buf_reserve(&b->values, 1));
    if (b->kind == KIND_DENSE_UNION) {
        int64_t at = b->dense_used[child];
        if (b->children[child].length != at + 1)
            return REEL_INVALID_ARGUMENT;
        if (at > INT32_MAX)
            return REEL_LIMIT;
        int32_t offset = (int32_t)at;
        REEL_TRY(push(&b->data, &offset, 4));
        b->dense_used[child] = at + 1;
    } else {
        for (int32_t c = 0; c < b->n_children; c++) {
            if (b->children[c].length != b->length + (c == child))
                return REEL_INVALID_ARGUMENT;
        }
        for (int32_t c = 0; c < b->n_children; c++) {
            if (c != child)
                REEL_TRY(reel_arrow_builder_append_null(&b->children[c], 1));
        }
    }
    b->values.data[b->values.len++] = (uint8_t)type_code;
    b->length++;
    return REEL_OK;
}

/* ---------------------------------------------------------------- finishing */

/* Every index of a non-null dictionary element must point into the values built. */
static reel_status check_indices(const reel_arrow_builder *b, reel__arrow_path *path,
                                 reel_error *err)
{
    int64_t size = b->children[0].length;
    const uint8_t *bits = b->has_validity ? b->validity.data : NULL;
    for (int64_t i = 0; i < b->length; i++) {
        if (bits != NULL && !reel__arrow_get_bit(bits, i))
            continue;
        const uint8_t *at = b->values.data + i * b->width;
        int64_t index;
        bool in_range;
        if (b->kind == KIND_UINT) {
            uint64_t u = b->width == 1   ? at[0]
                         : b->width == 2 ? reel_load_u16le(at)
                         : b->width == 4 ? reel_load_u32le(at)
                                         : reel_load_u64le(at);
            in_range = u < (uint64_t)size;
            index = (int64_t)(u & INT64_MAX);
        } else {
            index = b->width == 1   ? (int8_t)at[0]
                    : b->width == 2 ? (int16_t)reel_load_u16le(at)
                    : b->width == 4 ? (int32_t)reel_load_u32le(at)
                                    : (int64_t)reel_load_u64le(at);
            in_range = index >= 0 && index < size;
        }
        if (!in_range)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "builder: %s: element %lld has index %lld, the dictionary %lld "
                                  "values",
                                  reel__arrow_path_str(path), (long long)i, (long long)index,
                                  (long long)size);
    }
    return REEL_OK;
}

/* Every child must hold exactly what its parent's elements reference. */
static reel_status check_complete(const reel_arrow_builder *b, reel__arrow_path *path,
                                  reel_error *err)
{
    if (b->is_dictionary) {
        size_t old_len = reel__arrow_path_push_dictionary(path);
        reel_status status = check_complete(&b->children[0], path, err);
        reel__arrow_path_pop(path, old_len);
        REEL_TRY(status);
        return check_indices(b, path, err);
    }
    for (int32_t c = 0; c < b->n_children; c++) {
        const reel_arrow_builder *child = &b->children[c];
        int64_t want;
        switch (b->kind) {
        case KIND_LIST:
        case KIND_LARGE_LIST:
            want = b->last_offset;
            break;
        case KIND_FIXED_LIST:
            want = b->length * b->field->fixed_size;
            break;
        case KIND_DENSE_UNION:
            want = b->dense_used[c];
            break;
        default:
            want = b->length;
        }
        size_t old_len = reel__arrow_path_push(path, child->field, c);
        reel_status status = REEL_OK;
        if (child->length != want)
            status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                    "builder: %s has %lld elements, its parent references %lld",
                                    reel__arrow_path_str(path), (long long)child->length,
                                    (long long)want);
        if (status == REEL_OK)
            status = check_complete(child, path, err);
        reel__arrow_path_pop(path, old_len);
        REEL_TRY(status);
    }
    return REEL_OK;
}

static reel_status take_buffer(reel_buf *buf, reel_arrow_buffer *out)
{
    if (buf->len == 0) {
        reel_buf_free(buf);
        return REEL_OK;
    }
    reel_blob *blob = reel_blob_from_buf(buf);
    if (blob == NULL)
        return REEL_OUT_OF_MEMORY;
    out->data = reel_blob_data(blob);
    out->size = (int64_t)reel_blob_len(blob);
    out->owner = blob;
    return REEL_OK;
}

/* Moves the data into `out` and leaves the builder empty, also on failure. */
static reel_status take(reel_arrow_builder *b, reel_arrow_array *out)
{
    reel_status status = REEL_OK;
    out->length = b->length;
    out->null_count = b->null_count;
    out->alloc = b->alloc;
    out->n_buffers = reel_arrow_type_buffer_count(b->field->type);
    bool var = b->kind == KIND_BINARY || b->kind == KIND_LARGE_BINARY || b->kind == KIND_LIST ||
               b->kind == KIND_LARGE_LIST;
    if (var && b->values.len == 0) /* no element yet: just the leading offset 0 */
        status = reel_buf_append_zeros(&b->values,
                                       b->kind == KIND_BINARY || b->kind == KIND_LIST ? 4 : 8);
    int first_data = 1;
    if (b->kind == KIND_SPARSE_UNION || b->kind == KIND_DENSE_UNION)
        first_data = 0;
    else if (b->has_validity && status == REEL_OK)
        status = take_buffer(&b->validity, &out->buffers[0]);
    if (status == REEL_OK && out->n_buffers > first_data)
        status = take_buffer(&b->values, &out->buffers[first_data]);
    if (status == REEL_OK && out->n_buffers > first_data + 1)
        status = take_buffer(&b->data, &out->buffers[first_data + 1]);
    if (status == REEL_OK && b->is_dictionary) {
        /* The values builder's array becomes the dictionary, not a child. */
        out->dictionary = reel_alloc_zeroed(b->alloc, sizeof *out->dictionary);
        if (out->dictionary == NULL)
            status = REEL_OUT_OF_MEMORY;
    } else if (status == REEL_OK && b->n_children > 0) {
        out->children = reel_alloc_zeroed(b->alloc, (size_t)b->n_children * sizeof *out->children);
        if (out->children == NULL)
            status = REEL_OUT_OF_MEMORY;
        else
            out->n_children = b->n_children;
    }
    reel_arrow_array_reset(&b->last_values); /* the values it described are taken below */
    b->has_last_values = false;
    for (int32_t c = 0; c < b->n_children; c++) {
        reel_arrow_array scratch = {0};
        reel_arrow_array *child_out = b->is_dictionary        ? out->dictionary
                                      : out->children != NULL ? &out->children[c]
                                                              : NULL;
        reel_status child_status = take(&b->children[c], child_out != NULL ? child_out : &scratch);
        reel_arrow_array_reset(&scratch);
        if (status == REEL_OK)
            status = child_status;
        if (b->dense_used != NULL)
            b->dense_used[c] = 0;
    }
    /* Empty the builder for reuse (buffers not taken are dropped). */
    reel_buf_free(&b->validity);
    reel_buf_free(&b->values);
    reel_buf_free(&b->data);
    b->length = b->null_count = b->last_offset = 0;
    b->has_validity = false;
    return status;
}

reel_status reel_arrow_builder_finish(reel_arrow_builder *builder, reel_arrow_array *out,
                                      reel_error *err)
{
    memset(out, 0, sizeof *out);
    reel__arrow_path path;
    reel__arrow_path_root(&path, builder->field);
    REEL_TRY(check_complete(builder, &path, err));
    reel_status status = take(builder, out);
    if (status != REEL_OK) {
        reel_arrow_array_reset(out);
        return reel_error_set(err, status, "builder: out of memory while finishing");
    }
    return REEL_OK;
}
