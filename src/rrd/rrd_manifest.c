/* Builds one store's RrdManifest as Rerun's RrdManifestBuilder does (re_log_encoding
 * rrd/footer/builders.rs): the merged "sorbet" schema of all its chunks in dataframe column
 * naming, and a batch with one row per chunk — seven fixed columns, then per component
 * `:has_static_data`, per timeline `:start`/`:end`, per timeline and component
 * `:start`/`:end`/`:num_rows`. Rows are kept sparse until finish. */
#include <stdlib.h>
#include <string.h>

#include "rrd_manifest_state.h"

static char *dup(const reel_allocator *alloc, const char *s)
{
    return s == NULL ? NULL : reel_strdup(alloc, s);
}

reel_status reel__rrd_manifest_builder_create(const reel_store_id *store_id,
                                              const reel_allocator *alloc,
                                              reel__rrd_manifest_builder **out, reel_error *err)
{
    reel__rrd_manifest_builder *b = reel_alloc_zeroed(alloc, sizeof *b);
    if (b == NULL || reel_store_id_copy(&b->store_id, store_id, alloc) != REEL_OK) {
        reel_free(alloc, b, sizeof *b);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    b->alloc = alloc;
    reel_vec_init(&b->rows, sizeof(manifest_row), alloc);
    reel_vec_init(&b->sorbet, sizeof(sorbet_column), alloc);
    reel_vec_init(&b->components, sizeof(manifest_component), alloc);
    reel_vec_init(&b->timelines, sizeof(manifest_timeline), alloc);
    reel_vec_init(&b->indexes, sizeof(index_column), alloc);
    reel_map_init(&b->sorbet_by_name, alloc);
    reel_map_init(&b->component_by_key, alloc);
    reel_map_init(&b->timeline_by_name, alloc);
    reel_map_init(&b->index_by_key, alloc);
    *out = b;
    return REEL_OK;
}

void reel__rrd_manifest_builder_destroy(reel__rrd_manifest_builder *b)
{
    if (b == NULL)
        return;
    const reel_allocator *alloc = b->alloc;
    for (size_t i = 0; i < b->rows.len; i++)
        reel_strfree(alloc, REEL_VEC_AT(&b->rows, manifest_row, i).entity_path);
    for (size_t i = 0; i < b->sorbet.len; i++)
        reel_arrow_field_reset(&REEL_VEC_AT(&b->sorbet, sorbet_column, i).field);
    for (size_t i = 0; i < b->components.len; i++) {
        manifest_component *c = &REEL_VEC_AT(&b->components, manifest_component, i);
        reel_strfree(alloc, c->archetype);
        reel_strfree(alloc, c->component);
        reel_strfree(alloc, c->component_type);
        reel_vec_free(&c->static_rows);
    }
    for (size_t i = 0; i < b->timelines.len; i++)
        reel_strfree(alloc, REEL_VEC_AT(&b->timelines, manifest_timeline, i).name);
    for (size_t i = 0; i < b->indexes.len; i++)
        reel_vec_free(&REEL_VEC_AT(&b->indexes, index_column, i).entries);
    reel_vec_free(&b->rows);
    reel_vec_free(&b->sorbet);
    reel_vec_free(&b->components);
    reel_vec_free(&b->timelines);
    reel_vec_free(&b->indexes);
    reel_map_free(&b->sorbet_by_name);
    reel_map_free(&b->component_by_key);
    reel_map_free(&b->timeline_by_name);
    reel_map_free(&b->index_by_key);
    reel_store_id_reset(&b->store_id, alloc);
    reel_free(alloc, b, sizeof *b);
}

const reel_store_id *reel__rrd_manifest_builder_store(const reel__rrd_manifest_builder *b)
{
    return &b->store_id;
}

/* ---------------------------------------------------------------- one chunk's columns */

typedef struct chunk_column {
    int kind;
    const char *index_name;                             /* index columns */
    const char *archetype, *component, *component_type; /* component columns */
} chunk_column;

static reel_status classify(const reel_arrow_field *field, chunk_column *out, reel_error *err)
{
    const reel_arrow_metadata *md = &field->metadata;
    const char *kind = reel_arrow_metadata_get(md, "rerun:kind");
    const char *name = field->name ? field->name : "";
    memset(out, 0, sizeof *out);
    if (kind != NULL && (strcmp(kind, "control") == 0 || strcmp(kind, "row_id") == 0)) {
        out->kind = COLUMN_ROW_ID;
    } else if (kind != NULL && (strcmp(kind, "index") == 0 || strcmp(kind, "time") == 0)) {
        out->kind = COLUMN_INDEX;
        out->index_name = reel_arrow_metadata_get(md, "rerun:index_name");
        if (out->index_name == NULL || out->index_name[0] == '\0')
            out->index_name = name;
    } else if (kind == NULL || strcmp(kind, "data") == 0 || strcmp(kind, "component") == 0) {
        out->kind = COLUMN_COMPONENT;
        out->component = reel_arrow_metadata_get(md, "rerun:component");
        if (out->component == NULL || out->component[0] == '\0')
            out->component = name;
        out->archetype = reel_arrow_metadata_get(md, "rerun:archetype");
        out->component_type = reel_arrow_metadata_get(md, "rerun:component_type");
    } else {
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "column '%s': unknown rerun:kind '%s'",
                              name, kind);
    }
    return REEL_OK;
}

/* The timeline type of an index column, or NULL_TYPE if Rerun does not accept it. */
static reel_arrow_type index_type(const reel_arrow_field *field)
{
    if (field->type == REEL_ARROW_INT64)
        return REEL_ARROW_INT64;
    if ((field->type == REEL_ARROW_TIMESTAMP || field->type == REEL_ARROW_DURATION) &&
        field->unit == REEL_ARROW_NANO)
        return field->type;
    return REEL_ARROW_NULL_TYPE;
}

static reel_status set_field_type(reel_arrow_field *field, const char *name, reel_arrow_type type,
                                  bool nullable, const reel_allocator *alloc)
{
    REEL_TRY(reel_arrow_field_init(field, name, type, nullable, alloc));
    if (type == REEL_ARROW_TIMESTAMP || type == REEL_ARROW_DURATION)
        field->unit = REEL_ARROW_NANO;
    if (type == REEL_ARROW_FIXED_SIZE_BINARY)
        field->fixed_size = 16;
    return REEL_OK;
}

/* The dataframe field of a chunk column (re_sorbet's to_arrow_field(Dataframe)). */
static reel_status sorbet_field(const reel_arrow_field *src, const chunk_column *col,
                                const char *entity_path, const char *name,
                                const reel_allocator *alloc, reel_arrow_field *out)
{
    reel_arrow_metadata *md = &out->metadata;
    if (col->kind == COLUMN_ROW_ID) {
        REEL_TRY(set_field_type(out, name, REEL_ARROW_FIXED_SIZE_BINARY, false, alloc));
        REEL_TRY(reel_arrow_metadata_set(md, alloc, "ARROW:extension:metadata",
                                         "{\"namespace\":\"row\"}"));
        REEL_TRY(
            reel_arrow_metadata_set(md, alloc, "ARROW:extension:name", "rerun.datatypes.TUID"));
        return reel_arrow_metadata_set(md, alloc, "rerun:kind", "control");
    }
    if (col->kind == COLUMN_INDEX) {
        REEL_TRY(set_field_type(out, name, index_type(src), true, alloc));
        REEL_TRY(reel_arrow_metadata_set(md, alloc, "rerun:index_name", col->index_name));
        return reel_arrow_metadata_set(md, alloc, "rerun:kind", "index");
    }
    REEL_TRY(reel_arrow_field_copy(out, src, alloc));
    reel_arrow_metadata_reset(md, alloc);
    REEL_TRY(reel_arrow_field_set_name(out, name));
    out->nullable = true;
    if (col->archetype != NULL)
        REEL_TRY(reel_arrow_metadata_set(md, alloc, "rerun:archetype", col->archetype));
    REEL_TRY(reel_arrow_metadata_set(md, alloc, "rerun:component", col->component));
    if (col->component_type != NULL)
        REEL_TRY(reel_arrow_metadata_set(md, alloc, "rerun:component_type", col->component_type));
    REEL_TRY(reel_arrow_metadata_set(md, alloc, "rerun:entity_path", entity_path));
    return reel_arrow_metadata_set(md, alloc, "rerun:kind", "data");
}

static bool list_values_empty(const reel_arrow_field *field, const reel_arrow_array *array)
{
    if (field->type != REEL_ARROW_LIST && field->type != REEL_ARROW_LARGE_LIST)
        return false;
    if (array->length == 0)
        return true;
    int64_t first_start, first_end, last_start, last_end;
    reel_arrow_array_get_list_range(field, array, 0, &first_start, &first_end);
    reel_arrow_array_get_list_range(field, array, array->length - 1, &last_start, &last_end);
    return last_end == first_start;
}

static reel_status merge_sorbet(reel__rrd_manifest_builder *b, const reel_arrow_field *src,
                                const reel_arrow_array *array, const chunk_column *col,
                                const char *entity_path, bool chunk_static)
{
    reel_buf name;
    reel_buf_init(&name, b->alloc);
    reel_status status = REEL_OK;
    if (col->kind == COLUMN_ROW_ID)
        status = reel_buf_printf(&name, "rerun.controls.RowId");
    else if (col->kind == COLUMN_INDEX)
        status = reel_buf_printf(&name, "%s", col->index_name);
    else if (strcmp(entity_path, "/__properties") == 0)
        status = reel_buf_printf(&name, "property:%s", col->component);
    else if (strncmp(entity_path, "/__properties/", 14) == 0)
        status = reel_buf_printf(&name, "property:%s:%s", entity_path + 14, col->component);
    else
        status = reel_buf_printf(&name, "%s:%s", entity_path, col->component);
    if (status == REEL_OK)
        status = reel_buf_append_u8(&name, 0);
    bool empty = col->kind == COLUMN_COMPONENT && list_values_empty(src, array);
    uint64_t at;
    if (status == REEL_OK && reel_map_get(&b->sorbet_by_name, name.data, name.len, &at)) {
        sorbet_column *existing = &REEL_VEC_AT(&b->sorbet, sorbet_column, at);
        existing->is_static |= chunk_static;
        existing->empty &= empty;
    } else if (status == REEL_OK) {
        sorbet_column column = {.kind = col->kind, .is_static = chunk_static, .empty = empty};
        column.tombstone = col->kind == COLUMN_COMPONENT && col->archetype && col->component_type &&
                           strcmp(col->archetype, "rerun.archetypes.Clear") == 0 &&
                           strcmp(col->component, "Clear:is_recursive") == 0 &&
                           strcmp(col->component_type, "rerun.components.ClearIsRecursive") == 0;
        status =
            sorbet_field(src, col, entity_path, (const char *)name.data, b->alloc, &column.field);
        if (status == REEL_OK)
            status = reel_vec_push(&b->sorbet, &column);
        if (status == REEL_OK)
            status = reel_map_put(&b->sorbet_by_name, name.data, name.len, b->sorbet.len - 1);
        else
            reel_arrow_field_reset(&column.field);
    }
    reel_buf_free(&name);
    return status;
}

/* Index of the component descriptor, added if new. */
static reel_status component_index(reel__rrd_manifest_builder *b, const chunk_column *col,
                                   int32_t *out)
{
    const char *parts[3] = {col->archetype, col->component, col->component_type};
    reel_buf key;
    reel_buf_init(&key, b->alloc);
    reel_status status = REEL_OK;
    for (int i = 0; i < 3 && status == REEL_OK; i++) {
        status = reel_buf_append_u8(&key, parts[i] != NULL);
        if (status == REEL_OK && parts[i] != NULL)
            status = reel_buf_append(&key, parts[i], strlen(parts[i]) + 1);
    }
    uint64_t at;
    if (status == REEL_OK && reel_map_get(&b->component_by_key, key.data, key.len, &at)) {
        *out = (int32_t)at;
    } else if (status == REEL_OK) {
        manifest_component c = {dup(b->alloc, col->archetype),
                                dup(b->alloc, col->component),
                                dup(b->alloc, col->component_type),
                                {0}};
        reel_vec_init(&c.static_rows, sizeof(int64_t), b->alloc);
        bool ok = c.component && (!col->archetype || c.archetype) &&
                  (!col->component_type || c.component_type);
        status = ok ? reel_vec_push(&b->components, &c) : REEL_OUT_OF_MEMORY;
        if (status == REEL_OK)
            status = reel_map_put(&b->component_by_key, key.data, key.len, b->components.len - 1);
        if (status != REEL_OK && !ok) {
            reel_strfree(b->alloc, c.archetype);
            reel_strfree(b->alloc, c.component);
            reel_strfree(b->alloc, c.component_type);
        }
        *out = (int32_t)b->components.len - 1;
    }
    reel_buf_free(&key);
    return status;
}

static reel_status timeline_index(reel__rrd_manifest_builder *b, const char *name,
                                  reel_arrow_type type, int32_t *out)
{
    uint64_t at;
    if (reel_map_get(&b->timeline_by_name, name, strlen(name), &at)) {
        *out = (int32_t)at;
        return REEL_OK;
    }
    manifest_timeline t = {reel_strdup(b->alloc, name), type};
    if (t.name == NULL || reel_vec_push(&b->timelines, &t) != REEL_OK) {
        reel_strfree(b->alloc, t.name);
        return REEL_OUT_OF_MEMORY;
    }
    *out = (int32_t)b->timelines.len - 1;
    return reel_map_put(&b->timeline_by_name, name, strlen(name), (uint64_t)*out);
}

static reel_status push_entry(reel__rrd_manifest_builder *b, int32_t timeline, int32_t component,
                              const index_entry *entry)
{
    int32_t key[2] = {timeline, component};
    uint64_t at;
    if (!reel_map_get(&b->index_by_key, key, sizeof key, &at)) {
        index_column column = {timeline, component, {0}};
        reel_vec_init(&column.entries, sizeof(index_entry), b->alloc);
        REEL_TRY(reel_vec_push(&b->indexes, &column));
        at = b->indexes.len - 1;
        REEL_TRY(reel_map_put(&b->index_by_key, key, sizeof key, at));
    }
    return reel_vec_push(&REEL_VEC_AT(&b->indexes, index_column, at).entries, entry);
}

/* Time range of `times` over the rows where `present` is valid (all rows if NULL). */
static void time_range(const reel_arrow_field *time_field, const reel_arrow_array *times,
                       const reel_arrow_field *present_field, const reel_arrow_array *present,
                       index_entry *entry)
{
    /* The common case (every time valid, the component in every row: what the SDK writes)
     * as a plain loop over the int64 values. */
    bool all_times = times->buffers[0].data == NULL || times->null_count == 0;
    bool all_present = present == NULL || present->buffers[0].data == NULL ||
                       present->null_count == 0;
    if (all_times && all_present && times->buffers[1].data != NULL &&
        (time_field->type == REEL_ARROW_INT64 || time_field->type == REEL_ARROW_TIMESTAMP ||
         time_field->type == REEL_ARROW_DURATION)) {
        const uint8_t *base = times->buffers[1].data + times->offset * 8;
        for (int64_t row = 0; row < times->length; row++) {
            int64_t t;
            memcpy(&t, base + row * 8, 8);
            if (!entry->has_range || t < entry->start)
                entry->start = t;
            if (!entry->has_range || t > entry->end)
                entry->end = t;
            entry->has_range = true;
        }
        return;
    }
    for (int64_t row = 0; row < times->length; row++) {
        if (reel_arrow_array_is_null(time_field, times, row))
            continue;
        if (present != NULL && reel_arrow_array_is_null(present_field, present, row))
            continue;
        int64_t t = reel_arrow_array_get_int(time_field, times, row);
        if (!entry->has_range || t < entry->start)
            entry->start = t;
        if (!entry->has_range || t > entry->end)
            entry->end = t;
        entry->has_range = true;
    }
}

static reel_status add_columns(reel__rrd_manifest_builder *b, const reel_arrow_field *schema,
                               const reel_arrow_array *batch, const chunk_column *cols,
                               const char *entity_path, bool is_static, int64_t row,
                               reel_error *err)
{
    const reel_arrow_field *fields = schema->children;
    for (int32_t i = 0; i < schema->n_children; i++)
        if (merge_sorbet(b, &fields[i], &batch->children[i], &cols[i], entity_path, is_static) !=
            REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    for (int32_t i = 0; i < schema->n_children; i++) {
        int32_t component;
        if (cols[i].kind != COLUMN_COMPONENT)
            continue;
        if (component_index(b, &cols[i], &component) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        manifest_component *c = &REEL_VEC_AT(&b->components, manifest_component, component);
        if (is_static && reel_vec_push(&c->static_rows, &row) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    for (int32_t t = 0; t < schema->n_children && !is_static; t++) {
        if (cols[t].kind != COLUMN_INDEX)
            continue;
        reel_arrow_type type = index_type(&fields[t]); /* checked by the caller */
        int32_t timeline;
        index_entry chunk_level = {.row = row};
        time_range(&fields[t], &batch->children[t], NULL, NULL, &chunk_level);
        if (timeline_index(b, cols[t].index_name, type, &timeline) != REEL_OK ||
            push_entry(b, timeline, -1, &chunk_level) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        for (int32_t i = 0; i < schema->n_children; i++) {
            int32_t component;
            if (cols[i].kind != COLUMN_COMPONENT)
                continue;
            const reel_arrow_array *data = &batch->children[i];
            index_entry entry = {.row = row,
                                 .num_rows = (uint64_t)(data->length - data->null_count)};
            time_range(&fields[t], &batch->children[t], &fields[i], data, &entry);
            if (component_index(b, &cols[i], &component) != REEL_OK ||
                push_entry(b, timeline, component, &entry) != REEL_OK)
                return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        }
    }
    return REEL_OK;
}

reel_status reel__rrd_manifest_builder_add(reel__rrd_manifest_builder *b,
                                           const reel_arrow_field *schema,
                                           const reel_arrow_array *batch, uint64_t byte_offset,
                                           uint64_t byte_size, uint64_t byte_size_uncompressed,
                                           reel_error *err)
{
    const reel_arrow_metadata *md = &schema->metadata;
    const char *path = reel_arrow_metadata_get(md, "rerun:entity_path");
    const char *id = reel_arrow_metadata_get(md, "rerun:id");
    if (id == NULL)
        id = reel_arrow_metadata_get(md, "rerun.id");
    if (path == NULL || id == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "chunk without rerun:%s",
                              path == NULL ? "entity_path" : "id");
    manifest_row row = {.offset = byte_offset,
                        .size = byte_size,
                        .size_uncompressed = byte_size_uncompressed,
                        .num_rows = (uint64_t)batch->length};
    REEL_TRY(reel_tuid_parse(id, strlen(id), &row.chunk_id, err));
    int32_t n = schema->n_children;
    chunk_column *cols = reel_alloc(b->alloc, (size_t)(n > 0 ? n : 1) * sizeof *cols);
    if (cols == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_status status = REEL_OK;
    row.is_static = true;
    for (int32_t i = 0; i < n && status == REEL_OK; i++) {
        status = classify(&schema->children[i], &cols[i], err);
        if (status != REEL_OK || cols[i].kind != COLUMN_INDEX)
            continue;
        row.is_static = false;
        if (index_type(&schema->children[i]) == REEL_ARROW_NULL_TYPE)
            status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                    "index column '%s' is not int64, timestamp[ns] or duration[ns]",
                                    cols[i].index_name);
    }
    /* Checked before anything is added, so a refused chunk leaves the builder unchanged;
     * after that only running out of memory can fail (and the writer then stops). */
    reel_buf entity;
    reel_buf_init(&entity, b->alloc);
    if (status == REEL_OK) /* parse_forgiving: the leading slash is optional on read */
        status = reel_buf_printf(&entity, "%s%s", path[0] == '/' ? "" : "/", path);
    if (status == REEL_OK)
        status = reel_buf_append_u8(&entity, 0);
    if (status == REEL_OK)
        status = add_columns(b, schema, batch, cols, (const char *)entity.data, row.is_static,
                             (int64_t)b->rows.len, err);
    if (status == REEL_OK) {
        size_t len, cap;
        row.entity_path = (char *)reel_buf_detach(&entity, &len, &cap);
        /* reel_strfree frees strlen + 1 bytes; the detached buffer may be larger. */
        char *exact = reel_strdup(b->alloc, row.entity_path);
        reel_free(b->alloc, row.entity_path, cap);
        row.entity_path = exact;
        status = exact != NULL ? reel_vec_push(&b->rows, &row) : REEL_OUT_OF_MEMORY;
        if (status != REEL_OK) {
            reel_strfree(b->alloc, exact);
            reel_error_set(err, status, "out of memory");
        }
    }
    reel_buf_free(&entity);
    reel_free(b->alloc, cols, (size_t)(n > 0 ? n : 1) * sizeof *cols);
    return status;
}
