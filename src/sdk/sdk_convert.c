/* Turns the public reel_component_batch forms (packed C values, strings, bytes, lists,
 * tensors, Arrow C Data, internal arrays) into an Arrow array of a component's instance
 * type. This is the copy the logging thread makes of the caller's borrowed data. */
#include <string.h>

#include "sdk/sdk_internal.h"

/* ---------------------------------------------------------------- C layout of a type */

/* Size and alignment of one value of `field` as a C struct would hold it; false when the
 * type has no C value form (strings, lists, unions). */
static bool c_layout(const reel_arrow_field *field, size_t *size, size_t *align)
{
    switch (field->type) {
    case REEL_ARROW_BOOL:
        *size = sizeof(bool), *align = _Alignof(bool);
        return true;
    case REEL_ARROW_FIXED_SIZE_LIST: {
        size_t s, a;
        if (!c_layout(&field->children[0], &s, &a))
            return false;
        *size = s * (size_t)field->fixed_size, *align = a;
        return true;
    }
    case REEL_ARROW_STRUCT: {
        size_t offset = 0, max_align = 1;
        for (int32_t i = 0; i < field->n_children; i++) {
            size_t s, a;
            if (!c_layout(&field->children[i], &s, &a))
                return false;
            offset = reel_align_up(offset, a) + s;
            if (a > max_align)
                max_align = a;
        }
        *size = reel_align_up(offset, max_align), *align = max_align;
        return true;
    }
    default: {
        int32_t width = reel_arrow_fixed_width(field);
        if (width <= 0 || field->type == REEL_ARROW_FIXED_SIZE_BINARY)
            return false;
        *size = (size_t)width, *align = (size_t)width;
        return true;
    }
    }
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* Appends the C value at base + *offset (aligned first) and advances *offset. */
static reel_status append_c_value(reel_arrow_builder *builder, const reel_arrow_field *field,
                                  const uint8_t *base, size_t *offset, bool null_if_zero,
                                  reel_error *err)
{
    size_t size, align;
    if (!c_layout(field, &size, &align))
        return reel_error_set(err, REEL_UNSUPPORTED, "no C value form for this Arrow type");
    *offset = reel_align_up(*offset, align);
    const uint8_t *p = base + *offset;
    if (null_if_zero && field->nullable && all_zero(p, size)) {
        *offset += size;
        return reel_arrow_builder_append_null(builder, 1);
    }
    reel_status status = REEL_OK;
    switch (field->type) {
    case REEL_ARROW_BOOL: {
        bool value;
        memcpy(&value, p, sizeof value);
        status = reel_arrow_builder_append_bool(builder, value);
        *offset += size;
        break;
    }
    case REEL_ARROW_FIXED_SIZE_LIST: {
        reel_arrow_builder *child = reel_arrow_builder_child(builder, 0);
        size_t child_size, child_align;
        c_layout(&field->children[0], &child_size, &child_align);
        if (field->children[0].type != REEL_ARROW_BOOL &&
            field->children[0].type != REEL_ARROW_FIXED_SIZE_LIST &&
            field->children[0].type != REEL_ARROW_STRUCT) {
            status = reel_arrow_builder_append_values(child, p, field->fixed_size);
            *offset += size;
        } else {
            for (int32_t i = 0; i < field->fixed_size && status == REEL_OK; i++)
                status = append_c_value(child, &field->children[0], base, offset, false, err);
        }
        if (status == REEL_OK)
            status = reel_arrow_builder_finish_element(builder);
        break;
    }
    case REEL_ARROW_STRUCT: {
        size_t start = *offset;
        for (int32_t i = 0; i < field->n_children && status == REEL_OK; i++)
            status = append_c_value(reel_arrow_builder_child(builder, i), &field->children[i], base,
                                    offset, true, err);
        *offset = start + size;
        if (status == REEL_OK)
            status = reel_arrow_builder_finish_element(builder);
        break;
    }
    default:
        status = reel_arrow_builder_append_values(builder, p, 1);
        *offset += size;
        break;
    }
    if (status != REEL_OK && err != NULL && err->status == REEL_OK)
        reel_error_set(err, status, "appending a value failed");
    return status;
}

static bool is_utf8(const reel_arrow_field *field)
{
    return field->type == REEL_ARROW_UTF8 || field->type == REEL_ARROW_LARGE_UTF8;
}

static bool is_list(const reel_arrow_field *field)
{
    return field->type == REEL_ARROW_LIST || field->type == REEL_ARROW_LARGE_LIST;
}

/* ---------------------------------------------------------------- forms */

/* Whether `type` is a primitive fixed-width type whose values buffer is the C array (not
 * BOOL, not FIXED_SIZE_BINARY). */
static bool is_flat_primitive(const reel_arrow_field *type)
{
    size_t size, align;
    return type->type != REEL_ARROW_BOOL && type->type != REEL_ARROW_STRUCT &&
           type->type != REEL_ARROW_FIXED_SIZE_LIST && c_layout(type, &size, &align);
}

/* The fast path of REEL_BATCH_VALUES: a primitive or a fixed-size list of primitives, whose
 * Arrow layout is the C array: one copy into a blob, no builder. */
static reel_status flat_values(const reel_arrow_field *type, const void *data, size_t count,
                               sdk_blob_pool *pool, reel_arrow_array *out, reel_error *err)
{
    const reel_arrow_field *leaf = type;
    size_t per_instance = 1;
    if (type->type == REEL_ARROW_FIXED_SIZE_LIST) {
        leaf = &type->children[0];
        per_instance = (size_t)type->fixed_size;
    }
    size_t width = (size_t)reel_arrow_fixed_width(leaf), bytes;
    if (!reel_size_mul(count, per_instance * width, &bytes) || count > INT64_MAX / 64)
        return reel_error_set(err, REEL_LIMIT, "values batch of %zu instances too large", count);
    uint8_t *copy = NULL;
    reel_blob *blob = sdk_blob_pool_get(pool, bytes, &copy);
    if (blob == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory copying %zu bytes", bytes);
    if (bytes > 0)
        memcpy(copy, data, bytes);
    reel_arrow_array values = {0};
    values.length = (int64_t)(count * per_instance);
    values.n_buffers = 2;
    values.buffers[1] = (reel_arrow_buffer){reel_blob_data(blob), (int64_t)bytes, blob};
    if (type->type != REEL_ARROW_FIXED_SIZE_LIST) {
        *out = values;
        return REEL_OK;
    }
    memset(out, 0, sizeof *out);
    out->children = reel_alloc_zeroed(NULL, sizeof *out->children);
    if (out->children == NULL) {
        reel_arrow_array_reset(&values);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    out->length = (int64_t)count;
    out->n_buffers = 1;
    out->n_children = 1;
    out->children[0] = values;
    return REEL_OK;
}

bool sdk_batch_inline(const reel_arrow_field *type, const reel_component_batch *batch,
                      uint8_t **area, size_t *area_left, reel_arrow_array *out)
{
    if (batch->form != REEL_BATCH_VALUES || batch->count == 0 || batch->data == NULL)
        return false;
    const reel_arrow_field *leaf = type;
    size_t per_instance = 1;
    if (type->type == REEL_ARROW_FIXED_SIZE_LIST) {
        leaf = &type->children[0];
        per_instance = (size_t)type->fixed_size;
    }
    if (!is_flat_primitive(leaf) || batch->count > SDK_INLINE_MAX_BYTES)
        return false;
    size_t width = (size_t)reel_arrow_fixed_width(leaf);
    size_t bytes = batch->count * per_instance * width;
    size_t child_at = reel_align_up(bytes, _Alignof(reel_arrow_array));
    size_t need = type == leaf ? bytes : child_at + sizeof(reel_arrow_array);
    /* The area is 16-byte aligned and stays so: every value's alignment divides 16. */
    need = reel_align_up(need, 16);
    if (bytes > SDK_INLINE_MAX_BYTES || need > *area_left)
        return false;
    uint8_t *base = *area;
    memcpy(base, batch->data, bytes);
    reel_arrow_array values = {0};
    values.length = (int64_t)(batch->count * per_instance);
    values.n_buffers = 2;
    values.buffers[1] = (reel_arrow_buffer){base, (int64_t)bytes, NULL};
    memset(out, 0, sizeof *out);
    if (type == leaf) {
        *out = values;
    } else {
        reel_arrow_array *child = (reel_arrow_array *)(void *)(base + child_at);
        *child = values;
        out->length = (int64_t)batch->count;
        out->n_buffers = 1;
        out->n_children = 1;
        out->children = child;
    }
    *area += need, *area_left -= need;
    return true;
}

static reel_status from_values(reel_arrow_builder *builder, const reel_arrow_field *type,
                               const reel_component_batch *batch, reel_error *err)
{
    size_t size, align;
    if (!c_layout(type, &size, &align))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "REEL_BATCH_VALUES needs a fixed-width component; use strings, "
                              "bytes, lists, tensor or Arrow batches for this one");
    if (batch->data == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "values batch with data NULL");
    /* Flat primitives in one copy. */
    if (type->type != REEL_ARROW_BOOL && type->type != REEL_ARROW_STRUCT &&
        type->type != REEL_ARROW_FIXED_SIZE_LIST)
        return reel_arrow_builder_append_values(builder, batch->data, (int64_t)batch->count);
    const uint8_t *base = batch->data;
    for (size_t i = 0; i < batch->count; i++) {
        size_t offset = i * size;
        REEL_TRY(append_c_value(builder, type, base, &offset, false, err));
    }
    return REEL_OK;
}

static reel_status from_strings(reel_arrow_builder *builder, const reel_arrow_field *type,
                                const reel_component_batch *batch, reel_error *err)
{
    const char *const *strings = batch->data;
    if (strings == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "strings batch with data NULL");
    if (is_utf8(type)) {
        for (size_t i = 0; i < batch->count; i++) {
            if (strings[i] == NULL)
                return reel_error_set(err, REEL_INVALID_ARGUMENT, "string %zu is NULL", i);
            REEL_TRY(reel_arrow_builder_append_bytes(builder, strings[i], strlen(strings[i])));
        }
        return REEL_OK;
    }
    if (type->type == REEL_ARROW_STRUCT && type->n_children > 0) {
        for (int32_t c = 0; c < type->n_children; c++)
            if (!is_utf8(&type->children[c]))
                return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                      "strings batch for a struct with a non-string member");
        size_t k = 0;
        for (size_t i = 0; i < batch->count; i++) {
            for (int32_t c = 0; c < type->n_children; c++, k++) {
                if (strings[k] == NULL)
                    return reel_error_set(err, REEL_INVALID_ARGUMENT, "string %zu is NULL", k);
                REEL_TRY(reel_arrow_builder_append_bytes(reel_arrow_builder_child(builder, c),
                                                         strings[k], strlen(strings[k])));
            }
            REEL_TRY(reel_arrow_builder_finish_element(builder));
        }
        return REEL_OK;
    }
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "strings batch for a non-string component");
}

static reel_status from_bytes(reel_arrow_builder *builder, const reel_arrow_field *type,
                              const reel_component_batch *batch, reel_error *err)
{
    if (!is_list(type) || type->children[0].type != REEL_ARROW_UINT8)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "bytes batch for a component that is not list<uint8>");
    if (batch->data == NULL && batch->byte_len > 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "bytes batch with data NULL");
    REEL_TRY(reel_arrow_builder_append_values(reel_arrow_builder_child(builder, 0), batch->data,
                                              (int64_t)batch->byte_len));
    return reel_arrow_builder_finish_element(builder);
}

static reel_status from_lists(reel_arrow_builder *builder, const reel_arrow_field *type,
                              const reel_component_batch *batch, reel_error *err)
{
    size_t size, align;
    if (!is_list(type) || !c_layout(&type->children[0], &size, &align))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "lists batch for a component that is not a list of fixed-width "
                              "elements");
    const uint32_t *lengths = batch->aux;
    if (lengths == NULL || (batch->data == NULL && batch->count > 0))
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "lists batch without data or lengths");
    reel_arrow_builder *child = reel_arrow_builder_child(builder, 0);
    const uint8_t *base = batch->data;
    size_t element = 0;
    for (size_t i = 0; i < batch->count; i++) {
        for (uint32_t k = 0; k < lengths[i]; k++, element++) {
            size_t offset = element * size;
            REEL_TRY(append_c_value(child, &type->children[0], base, &offset, false, err));
        }
        REEL_TRY(reel_arrow_builder_finish_element(builder));
    }
    return REEL_OK;
}

static const size_t tensor_type_size[12] = {0, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8};

static reel_status from_tensor(reel_arrow_builder *builder, const reel_arrow_field *type,
                               const reel_component_batch *batch, reel_error *err)
{
    const reel_tensor_view *tensor = batch->data;
    if (type->type != REEL_ARROW_STRUCT || type->n_children != 3 ||
        type->children[2].type != REEL_ARROW_DENSE_UNION || tensor == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "tensor batch for a component that is not TensorData");
    if (tensor->type < REEL_TENSOR_U8 || tensor->type > REEL_TENSOR_F64)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "tensor type %d unknown",
                              (int)tensor->type);
    uint64_t count = 1;
    reel_arrow_builder *shape = reel_arrow_builder_child(builder, 0);
    for (size_t d = 0; d < tensor->ndim; d++) {
        count *= tensor->shape[d];
        REEL_TRY(reel_arrow_builder_append_values(reel_arrow_builder_child(shape, 0),
                                                  &tensor->shape[d], 1));
    }
    REEL_TRY(reel_arrow_builder_finish_element(shape));
    reel_arrow_builder *names = reel_arrow_builder_child(builder, 1);
    if (tensor->names == NULL) {
        REEL_TRY(reel_arrow_builder_append_null(names, 1));
    } else {
        for (size_t d = 0; d < tensor->ndim; d++) {
            const char *name = tensor->names[d] ? tensor->names[d] : "";
            REEL_TRY(reel_arrow_builder_append_bytes(reel_arrow_builder_child(names, 0), name,
                                                     strlen(name)));
        }
        REEL_TRY(reel_arrow_builder_finish_element(names));
    }
    if (count > 0 && tensor->data == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "tensor data NULL");
    (void)tensor_type_size;
    reel_arrow_builder *buffer = reel_arrow_builder_child(builder, 2);
    reel_arrow_builder *variant = reel_arrow_builder_child(buffer, (int32_t)tensor->type);
    REEL_TRY(reel_arrow_builder_append_values(reel_arrow_builder_child(variant, 0), tensor->data,
                                              (int64_t)count));
    REEL_TRY(reel_arrow_builder_finish_element(variant));
    REEL_TRY(reel_arrow_builder_append_union(buffer, (int8_t)tensor->type));
    return reel_arrow_builder_finish_element(builder);
}

static void noop_release_array(struct ArrowArray *array)
{
    array->release = NULL;
}

/* Copies a borrowed C Data array of type `type` (already known) into `out`. */
static reel_status from_c_data(const reel_arrow_field *type, const reel_component_batch *batch,
                               reel_arrow_array *out, reel_error *err)
{
    const struct ArrowArray *src = batch->data;
    if (src == NULL || src->release == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "C Data batch without an array");
    struct ArrowArray borrowed = *src;
    borrowed.release = noop_release_array;
    reel_arrow_array imported = {0};
    REEL_TRY(reel_arrow_import_array(&borrowed, type, REEL_ARROW_VALIDATE_FULL, &imported, err));
    reel_status status = reel_arrow_concat(type, &imported, 1, NULL, out, err);
    reel_arrow_array_reset(&imported);
    return status;
}

/* The fast path of REEL_BATCH_BYTES (an image's or a blob's bytes): one list of uint8 whose
 * values are one copy of the caller's bytes, no builder. */
static reel_status flat_bytes(const reel_arrow_field *type, const reel_component_batch *batch,
                              sdk_blob_pool *pool, reel_arrow_array *out, reel_error *err)
{
    size_t len = batch->byte_len;
    uint8_t *values_data = NULL, *offsets_data = NULL;
    size_t offsets_size = type->type == REEL_ARROW_LIST ? 8 : 16;
    reel_blob *values = sdk_blob_pool_get(pool, len, &values_data);
    reel_blob *offsets = reel_blob_create(NULL, offsets_size, &offsets_data);
    reel_arrow_array *child = reel_alloc_zeroed(NULL, sizeof *child);
    if (values == NULL || offsets == NULL || child == NULL) {
        reel_blob_release(values);
        reel_blob_release(offsets);
        reel_free(NULL, child, sizeof *child);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory copying %zu bytes", len);
    }
    if (len > 0)
        memcpy(values_data, batch->data, len);
    if (type->type == REEL_ARROW_LIST) {
        int32_t bounds[2] = {0, (int32_t)len};
        memcpy(offsets_data, bounds, sizeof bounds);
    } else {
        int64_t bounds[2] = {0, (int64_t)len};
        memcpy(offsets_data, bounds, sizeof bounds);
    }
    child->length = (int64_t)len;
    child->n_buffers = 2;
    child->buffers[1] = (reel_arrow_buffer){values_data, (int64_t)len, values};
    memset(out, 0, sizeof *out);
    out->length = 1;
    out->n_buffers = 2;
    out->buffers[1] = (reel_arrow_buffer){offsets_data, (int64_t)offsets_size, offsets};
    out->n_children = 1;
    out->children = child;
    return REEL_OK;
}

reel_status sdk_batch_to_array(const reel_arrow_field *type, const reel_component_batch *batch,
                               sdk_blob_pool *pool, reel_arrow_array *out, reel_error *err)
{
    if (batch->form == REEL_BATCH_BYTES && is_list(type) &&
        type->children[0].type == REEL_ARROW_UINT8 && batch->data != NULL &&
        batch->byte_len <= (size_t)INT32_MAX)
        return flat_bytes(type, batch, pool, out, err);
    if (batch->form == REEL_BATCH_C_DATA)
        return from_c_data(type, batch, out, err);
    if (batch->form == REEL_BATCH_ARROW) {
        const reel_arrow_array *array = batch->data;
        if (array == NULL)
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "Arrow batch without an array");
        REEL_TRY(reel_arrow_array_validate(type, array, REEL_ARROW_VALIDATE_DEFAULT, err));
        return reel_arrow_concat(type, array, 1, NULL, out, err);
    }
    if (batch->form == REEL_BATCH_VALUES && batch->count > 0 && batch->data != NULL &&
        (is_flat_primitive(type) ||
         (type->type == REEL_ARROW_FIXED_SIZE_LIST && is_flat_primitive(&type->children[0]))))
        return flat_values(type, batch->data, batch->count, pool, out, err);
    reel_arrow_builder *builder = NULL;
    REEL_TRY(reel_arrow_builder_create(type, NULL, &builder, err));
    reel_status status = REEL_OK;
    bool empty =
        batch->form == REEL_BATCH_EMPTY || (batch->count == 0 && batch->form != REEL_BATCH_BYTES);
    if (!empty) {
        switch (batch->form) {
        case REEL_BATCH_VALUES:
            status = from_values(builder, type, batch, err);
            break;
        case REEL_BATCH_STRINGS:
            status = from_strings(builder, type, batch, err);
            break;
        case REEL_BATCH_BYTES:
            status = from_bytes(builder, type, batch, err);
            break;
        case REEL_BATCH_LISTS:
            status = from_lists(builder, type, batch, err);
            break;
        case REEL_BATCH_TENSOR:
            status = from_tensor(builder, type, batch, err);
            break;
        default:
            status = reel_error_set(err, REEL_INVALID_ARGUMENT, "unknown batch form %d",
                                    (int)batch->form);
            break;
        }
    }
    if (status != REEL_OK && err != NULL && err->status == REEL_OK)
        reel_error_set(err, status, "converting the batch failed");
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(builder, out, err);
    reel_arrow_builder_destroy(builder);
    return status;
}
