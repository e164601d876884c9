/* Making a chunk from columns that are already laid out (the SDK's per-thread columnar
 * accumulation): the RowIds, one int64 buffer per timeline, and per component the list
 * offsets and the instances' values. The buffers become the chunk's Arrow buffers as they are
 * (blobs taken over, no copy); the chunk is then sealed like any other (canonical fields,
 * Rerun's column order, sortedness and time ranges computed). */
#include <string.h>

#include "chunk/chunk_internal.h"

/* A buffer of the chunk made from `buf` (emptied). */
static reel_status take(reel_buf *buf, reel_arrow_buffer *out)
{
    memset(out, 0, sizeof *out);
    if (buf->len == 0)
        return REEL_OK;
    size_t len = buf->len;
    reel_blob *blob = reel_blob_from_buf(buf);
    if (blob == NULL)
        return REEL_OUT_OF_MEMORY;
    *out = (reel_arrow_buffer){reel_blob_data(blob), (int64_t)len, blob};
    return REEL_OK;
}

static reel_status list_field(const reel_chunk_column_component *from, reel_arrow_field *out)
{
    reel_arrow_field *item;
    REEL_TRY(reel_arrow_field_init(out, from->descriptor.component, REEL_ARROW_LIST, true, NULL));
    REEL_TRY(reel_arrow_field_add_child(out, "item", REEL_ARROW_NULL_TYPE, true, &item));
    reel_arrow_field_reset(item);
    REEL_TRY(reel_arrow_field_copy(item, from->instance_field, NULL));
    REEL_TRY(reel_arrow_field_set_name(item, "item"));
    item->nullable = true;
    reel_arrow_metadata_reset(&item->metadata, item->alloc);
    return REEL_OK;
}

/* The instances: a primitive array of `instances` values, or a fixed-size list of them whose
 * child holds instances * fixed_size leaf values. */
static reel_status values_array(const reel_arrow_field *type, reel_buf *values, int64_t instances,
                                reel_arrow_array *out)
{
    memset(out, 0, sizeof *out);
    if (type->type != REEL_ARROW_FIXED_SIZE_LIST) {
        out->length = instances;
        out->n_buffers = 2;
        return take(values, &out->buffers[1]);
    }
    reel_arrow_array *leaf = reel_alloc_zeroed(NULL, sizeof *leaf);
    if (leaf == NULL)
        return REEL_OUT_OF_MEMORY;
    out->length = instances;
    out->n_buffers = 1;
    out->n_children = 1;
    out->children = leaf;
    leaf->length = instances * type->fixed_size;
    leaf->n_buffers = 2;
    return take(values, &leaf->buffers[1]);
}

static reel_status fill(reel_chunk *chunk, const char *entity_path, int64_t rows, reel_buf *row_ids,
                        reel_chunk_column_time *times, int32_t n_times,
                        reel_chunk_column_component *components, int32_t n_components)
{
    chunk->id = reel_tuid_new();
    chunk->row_count = rows;
    chunk->entity_path = reel_strdup(NULL, entity_path);
    if (chunk->entity_path == NULL)
        return REEL_OUT_OF_MEMORY;
    chunk->row_ids = (reel_arrow_array){.length = rows, .n_buffers = 2};
    REEL_TRY(take(row_ids, &chunk->row_ids.buffers[1]));
    chunk->timelines = reel_alloc_zeroed(NULL, (size_t)(n_times ? n_times : 1) *
                                                   sizeof *chunk->timelines);
    chunk->components = reel_alloc_zeroed(NULL, (size_t)(n_components ? n_components : 1) *
                                                    sizeof *chunk->components);
    if (chunk->timelines == NULL || chunk->components == NULL)
        return REEL_OUT_OF_MEMORY;
    for (int32_t i = 0; i < n_times; i++) {
        reel_chunk_timeline *t = &chunk->timelines[chunk->n_timelines++];
        t->name = reel_strdup(NULL, times[i].name);
        if (t->name == NULL)
            return REEL_OUT_OF_MEMORY;
        t->type = times[i].type;
        t->times = (reel_arrow_array){.length = rows, .n_buffers = 2};
        REEL_TRY(take(&times[i].values, &t->times.buffers[1]));
    }
    for (int32_t i = 0; i < n_components; i++) {
        reel_chunk_column_component *from = &components[i];
        reel_chunk_component *c = &chunk->components[chunk->n_components++];
        const reel_component_descriptor *d = &from->descriptor;
        c->descriptor.component = reel_strdup(NULL, d->component);
        c->descriptor.archetype = d->archetype ? reel_strdup(NULL, d->archetype) : NULL;
        c->descriptor.component_type =
            d->component_type ? reel_strdup(NULL, d->component_type) : NULL;
        if (c->descriptor.component == NULL || (d->archetype && !c->descriptor.archetype) ||
            (d->component_type && !c->descriptor.component_type))
            return REEL_OUT_OF_MEMORY;
        REEL_TRY(list_field(from, &c->field));
        reel_arrow_array *child = reel_alloc_zeroed(NULL, sizeof *child);
        if (child == NULL)
            return REEL_OUT_OF_MEMORY;
        c->lists = (reel_arrow_array){.length = rows, .n_buffers = 2, .n_children = 1};
        c->lists.children = child;
        REEL_TRY(take(&from->offsets, &c->lists.buffers[1]));
        REEL_TRY(values_array(from->instance_field, &from->values, from->instances, child));
    }
    return REEL_OK;
}

reel_status reel_chunk_from_columns(const char *entity_path, int64_t rows, reel_buf *row_ids,
                                    reel_chunk_column_time *times, int32_t n_times,
                                    reel_chunk_column_component *components, int32_t n_components,
                                    reel_chunk **out, reel_error *err)
{
    *out = NULL;
    /* The sizes are checked here; reel_chunk_validate-level checks are the caller's (the SDK
     * lays the columns out itself). */
    if (rows <= 0 || row_ids->len != (size_t)rows * 16)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "chunk of %s: %lld rows, %zu RowId bytes",
                              entity_path, (long long)rows, row_ids->len);
    for (int32_t i = 0; i < n_times; i++)
        if (times[i].values.len != (size_t)rows * 8)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "chunk of %s: timeline %s has %zu bytes for %lld rows",
                                  entity_path, times[i].name, times[i].values.len,
                                  (long long)rows);
    for (int32_t i = 0; i < n_components; i++)
        if (components[i].offsets.len != (size_t)(rows + 1) * 4)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "chunk of %s: component %s has %zu offset bytes for %lld rows",
                                  entity_path, components[i].descriptor.component,
                                  components[i].offsets.len, (long long)rows);
    reel_chunk *chunk = reel__chunk_alloc();
    if (chunk == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_error inner = {0};
    reel_status status =
        fill(chunk, entity_path, rows, row_ids, times, n_times, components, n_components);
    if (status == REEL_OK)
        status = reel__chunk_seal(chunk, &inner);
    if (status != REEL_OK) {
        reel_chunk_release(chunk);
        return reel_error_set(err, status, "chunk of %s: %s", entity_path,
                              inner.status != REEL_OK ? inner.message : "out of memory");
    }
    *out = chunk;
    return REEL_OK;
}
