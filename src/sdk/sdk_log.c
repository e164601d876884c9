/* The logging calls: an archetype struct or a list of components becomes one row (entity
 * path normalized, the thread's times plus log_time/log_tick, one Arrow array per logged
 * component, copied from the caller's borrowed data) on the recording's queue; clears;
 * send_columns builds its chunk on the calling thread and queues it whole. */
#include <string.h>

#include "sdk/sdk_internal.h"

_Static_assert((int)REEL_ARCHETYPE_COUNT == (int)REEL_TYPES_ARCHETYPE_COUNT,
               "reel/archetypes.h and types/types.h disagree on the archetypes");
_Static_assert((int)REEL_ARCHETYPE_Points3D == (int)REEL_TYPES_ARCHETYPE_Points3D,
               "archetype ids differ between the public and the types headers");

static char *dup_or_null(const char *s, bool *ok)
{
    if (s == NULL)
        return NULL;
    char *copy = reel_strdup(NULL, s);
    if (copy == NULL)
        *ok = false;
    return copy;
}

static size_t array_bytes(const reel_arrow_array *array)
{
    size_t total = 0;
    for (int32_t i = 0; i < array->n_buffers; i++)
        total += (size_t)array->buffers[i].size;
    for (int32_t i = 0; i < array->n_children; i++)
        total += array_bytes(&array->children[i]);
    return total;
}

/* Arrow types parsed from user components' type strings, kept for the process (a program
 * logs the same few user components over and over; parsing the string each call cost more
 * than the rest of the call). At most TYPE_CACHE_MAX strings; beyond, each call parses. */
#define TYPE_CACHE_MAX 256
static atomic_flag type_cache_lock = ATOMIC_FLAG_INIT;
static reel_map type_cache;                      /* type string -> index */
static reel_arrow_field *type_cache_fields[TYPE_CACHE_MAX];
static size_t type_cache_count;

static const reel_arrow_field *cached_type(const char *type, reel_error *err, bool *failed)
{
    *failed = false;
    size_t len = strlen(type);
    const reel_arrow_field *found = NULL;
    while (atomic_flag_test_and_set_explicit(&type_cache_lock, memory_order_acquire))
        ;
    uint64_t index;
    if (reel_map_get(&type_cache, type, len, &index))
        found = type_cache_fields[index];
    atomic_flag_clear_explicit(&type_cache_lock, memory_order_release);
    if (found != NULL)
        return found;
    reel_arrow_field *field = reel_alloc_zeroed(NULL, sizeof *field);
    if (field == NULL)
        return NULL;
    if (reel_arrow_type_parse(type, len, field, NULL, err) != REEL_OK) {
        reel_free(NULL, field, sizeof *field);
        *failed = true;
        return NULL;
    }
    while (atomic_flag_test_and_set_explicit(&type_cache_lock, memory_order_acquire))
        ;
    if (reel_map_get(&type_cache, type, len, &index)) {
        found = type_cache_fields[index]; /* another thread parsed it meanwhile */
    } else if (type_cache_count < TYPE_CACHE_MAX &&
               reel_map_put(&type_cache, type, len, type_cache_count) == REEL_OK) {
        type_cache_fields[type_cache_count++] = field;
        found = field;
        field = NULL;
    }
    atomic_flag_clear_explicit(&type_cache_lock, memory_order_release);
    if (field != NULL) {
        reel_arrow_field_reset(field);
        reel_free(NULL, field, sizeof *field);
    }
    return found; /* NULL: the cache is full (the caller parses its own copy) */
}

/* The instance type of a component: from the batch, the type string or the registry. */
static reel_status component_type_field(const reel_component *component, sdk_cell *cell,
                                        reel_error *err)
{
    const reel_component_batch *batch = &component->values;
    if (batch->form == REEL_BATCH_ARROW && batch->aux != NULL) {
        cell->field = batch->aux;
        return REEL_OK;
    }
    if (component->arrow_type != NULL) {
        bool failed;
        cell->field = cached_type(component->arrow_type, err, &failed);
        if (failed)
            return err->status;
        if (cell->field != NULL)
            return REEL_OK;
        REEL_TRY(reel_arrow_type_parse(component->arrow_type, strlen(component->arrow_type),
                                       &cell->owned_field, NULL, err));
        cell->has_owned_field = true;
        cell->field = &cell->owned_field;
        return REEL_OK;
    }
    const reel_types_component *known =
        component->component_type ? reel_types_component_find(component->component_type) : NULL;
    if (known == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "component %s: no Arrow type (give arrow_type, a known "
                              "component_type, or a C Data / Arrow batch)",
                              component->component);
    return reel_types_component_arrow_field(known, &cell->field, err);
}

static void schema_noop_release(struct ArrowSchema *schema)
{
    schema->release = NULL;
}

static reel_status fill_cell(const reel_component *component, sdk_cell *cell, reel_error *err)
{
    if (component->component == NULL || *component->component == '\0')
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "a component without a name");
    bool ok = true;
    cell->descriptor.archetype = dup_or_null(component->archetype, &ok);
    cell->descriptor.component = dup_or_null(component->component, &ok);
    cell->descriptor.component_type = dup_or_null(component->component_type, &ok);
    if (!ok)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    if (component->values.form == REEL_BATCH_C_DATA) {
        const struct ArrowSchema *schema = component->values.aux;
        if (schema == NULL || schema->release == NULL)
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "C Data batch without a schema");
        struct ArrowSchema borrowed = *schema;
        borrowed.release = schema_noop_release;
        REEL_TRY(reel_arrow_import_field(&borrowed, &cell->owned_field, NULL, err));
        cell->has_owned_field = true;
        cell->field = &cell->owned_field;
    } else {
        REEL_TRY(component_type_field(component, cell, err));
    }
    if (component->component_type != NULL && cell->field != NULL) {
        /* Known Rerun component types must have their Arrow type. */
        reel_status status = reel_types_check_column(component->component_type, cell->field, err);
        if (status != REEL_OK && status != REEL_UNSUPPORTED)
            return status;
        reel_error_clear(err);
    }
    return sdk_batch_to_array(cell->field, &component->values, NULL, &cell->values, err);
}

/* One block per row: the item, its entity path, times with their names, and cells; when the
 * block is a pooled one, *inline_area and *inline_left (if asked for) say what is left of it
 * for inline values (sdk_batch_inline). */
static sdk_item *new_row(reel_recording *rec, const char *entity_path, unsigned flags,
                         int32_t max_cells, uint8_t **inline_area, size_t *inline_left,
                         reel_error *err)
{
    if (entity_path == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "entity path is NULL");
        return NULL;
    }
    /* The thread's cache of canonical paths: no normalization and no allocation per call. */
    sdk_path_cache *paths = sdk_thread_path_cache();
    if (paths == NULL) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    const char *canonical = NULL;
    size_t canonical_len = 0;
    if (sdk_path_cache_lookup(paths, entity_path, strlen(entity_path), &canonical, &canonical_len,
                              err) != REEL_OK)
        return NULL;
    bool is_static = (flags & REEL_LOG_STATIC) != 0;
    int32_t n_times = 0;
    size_t name_bytes = 0;
    if (!is_static)
        sdk_time_size(rec, &n_times, &name_bytes);
    int32_t capacity = max_cells > 0 ? max_cells : 1;
    size_t cells_at = reel_align_up(sizeof(sdk_item), 16);
    size_t times_at = reel_align_up(cells_at + (size_t)capacity * sizeof(sdk_cell), 16);
    size_t names_at = times_at + (size_t)n_times * sizeof(reel_chunk_time);
    size_t path_at = names_at + name_bytes;
    size_t total = path_at + canonical_len + 1;
    /* Small rows (most) take a recycled block; the rest of the block holds inline values. */
    size_t used = reel_align_up(total, 16);
    bool pooled = used < SDK_ROW_BLOCK_SIZE;
    uint8_t *block = pooled ? sdk_row_block_take() : reel_alloc(NULL, total);
    if (block == NULL) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    memset(block, 0, total);
    sdk_item *item = (sdk_item *)(void *)block;
    item->kind = SDK_ITEM_ROW;
    item->pooled = pooled;
    item->block_size = pooled ? SDK_ROW_BLOCK_SIZE : total;
    if (inline_area != NULL) {
        *inline_area = pooled ? block + used : NULL;
        *inline_left = pooled ? SDK_ROW_BLOCK_SIZE - used : 0;
    }
    item->is_static = is_static;
    item->cells = (sdk_cell *)(void *)(block + cells_at);
    item->cell_capacity = capacity;
    item->times = (reel_chunk_time *)(void *)(block + times_at);
    if (!is_static)
        item->n_times = sdk_time_fill(rec, item->times, n_times, (char *)block + names_at);
    item->entity_path = (char *)block + path_at;
    memcpy(item->entity_path, canonical, canonical_len);
    item->entity_path[canonical_len] = '\0';
    item->row_id = reel_tuid_new();
    return item;
}

static reel_status enqueue_row(reel_recording *rec, sdk_item *item, reel_error *err)
{
    if (item->n_cells == 0) {
        sdk_item_free(item);
        return REEL_OK;
    }
    item->byte_size = 64;
    for (int32_t i = 0; i < item->n_cells; i++)
        item->byte_size += array_bytes(&item->cells[i].values);
    return sdk_enqueue(rec, item, err);
}

reel_status reel_log_archetype(reel_recording *rec, const char *entity_path, int archetype_id,
                               const void *archetype, unsigned flags, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error; the
     * local one is not zeroed whole (this is the hot path). */
    reel_error local_err;
    if (err == NULL) {
        local_err.status = REEL_OK;
        local_err.message[0] = '\0';
        err = &local_err;
    }
    static const char call[] = "reel_log";
    rec = sdk_resolve(rec);
    if (rec == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "no recording (and no default one)");
        return sdk_fail(call, err);
    }
    if (!atomic_load_explicit(&rec->enabled, memory_order_relaxed))
        return REEL_OK;
    const reel_types_archetype *a =
        archetype_id >= 0 ? reel_types_archetype_at((size_t)archetype_id) : NULL;
    if (a == NULL || archetype == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT,
                       "%s: archetype id %d unknown or archetype NULL (not an archetype struct?)",
                       entity_path ? entity_path : "(null)", archetype_id);
        return sdk_fail(call, err);
    }
    /* Small fixed-width rows: appended to the thread's lane as columns. */
    if (sdk_lane_log(rec, entity_path, archetype_id, archetype, flags))
        return REEL_OK;
    reel_error *e = err;
    /* Room for the fields the caller set, not every field of the archetype: a small row. */
    int32_t n_set = 0;
    for (int32_t f = 0; f < a->field_count; f++)
        n_set += reel_types_field_batch(&a->fields[f], archetype)->form != REEL_BATCH_UNSET;
    uint8_t *inline_area = NULL;
    size_t inline_left = 0;
    sdk_item *item = new_row(rec, entity_path, flags, n_set, &inline_area, &inline_left, e);
    if (item == NULL)
        return sdk_fail(call, e);
    for (int32_t f = 0; f < a->field_count; f++) {
        const reel_types_field *field = &a->fields[f];
        const reel_component_batch *batch = reel_types_field_batch(field, archetype);
        if (batch->form == REEL_BATCH_UNSET)
            continue;
        sdk_cell *cell = &item->cells[item->n_cells++];
        /* The registry's strings live as long as the process: borrowed, not copied. */
        cell->static_descriptor = true;
        cell->descriptor.archetype = (char *)a->name;
        cell->descriptor.component = (char *)field->component;
        cell->descriptor.component_type = (char *)field->type->name;
        reel_status status = REEL_OK;
        if (batch->form == REEL_BATCH_ARROW && batch->aux != NULL) {
            cell->field = batch->aux;
        } else if (status == REEL_OK) {
            status = reel_types_component_arrow_field(field->type, &cell->field, e);
        }
        if (status == REEL_OK && batch->form == REEL_BATCH_C_DATA) {
            reel_component component = {a->name, field->component, field->type->name, NULL, *batch};
            memset(cell, 0, sizeof *cell);
            status = fill_cell(&component, cell, e);
        } else if (status == REEL_OK) {
            cell->inline_values =
                sdk_batch_inline(cell->field, batch, &inline_area, &inline_left, &cell->values);
            if (!cell->inline_values)
                status = sdk_batch_to_array(cell->field, batch, rec->blob_pool, &cell->values, e);
        }
        if (status != REEL_OK) {
            reel_error_prefix(e, "%s %s: ", entity_path, field->component);
            sdk_item_free(item);
            return sdk_fail(call, e);
        }
    }
    if (enqueue_row(rec, item, e) != REEL_OK)
        return sdk_fail(call, e);
    return REEL_OK;
}

reel_status reel_log_components(reel_recording *rec, const char *entity_path,
                                const reel_component *components, size_t n_components,
                                unsigned flags, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    static const char call[] = "reel_log_components";
    rec = sdk_resolve(rec);
    if (rec == NULL || (components == NULL && n_components > 0) || n_components > 100000) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "no recording, or bad components");
        return sdk_fail(call, err);
    }
    if (!atomic_load_explicit(&rec->enabled, memory_order_relaxed))
        return REEL_OK;
    reel_error local = {0};
    reel_error *e = err ? err : &local;
    int32_t capacity = (int32_t)n_components;
    sdk_item *item = new_row(rec, entity_path, flags, capacity, NULL, NULL, e);
    if (item == NULL)
        return sdk_fail(call, e);
    for (size_t i = 0; i < n_components; i++) {
        if (components[i].values.form == REEL_BATCH_UNSET)
            continue;
        sdk_cell *cell = &item->cells[item->n_cells++];
        if (fill_cell(&components[i], cell, e) != REEL_OK) {
            reel_error_prefix(e, "%s %s: ", entity_path,
                              components[i].component ? components[i].component : "(null)");
            sdk_item_free(item);
            return sdk_fail(call, e);
        }
    }
    if (enqueue_row(rec, item, e) != REEL_OK)
        return sdk_fail(call, e);
    return REEL_OK;
}

reel_status reel_log_clear(reel_recording *rec, const char *entity_path, bool recursive,
                           reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    reel_clear clear = {.is_recursive = reel_batch_values(&recursive, 1)};
    return reel_log_archetype(rec, entity_path, REEL_ARCHETYPE_Clear, &clear, 0, err);
}

reel_status reel_log_clear_fields(reel_recording *rec, const char *entity_path, int archetype_id,
                                  reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    const reel_types_archetype *a =
        archetype_id >= 0 ? reel_types_archetype_at((size_t)archetype_id) : NULL;
    if (a == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "archetype id %d unknown", archetype_id);
        return sdk_fail("reel_log_clear_fields", err);
    }
    reel_component_batch fields[64];
    if (a->struct_size > sizeof fields) {
        reel_error_set(err, REEL_INTERNAL, "archetype %s too large", a->name);
        return sdk_fail("reel_log_clear_fields", err);
    }
    memset(fields, 0, sizeof fields);
    for (int32_t f = 0; f < a->field_count; f++)
        fields[f] = reel_batch_empty();
    return reel_log_archetype(rec, entity_path, archetype_id, fields, 0, err);
}

/* ---------------------------------------------------------------- send_columns */

/* "Points3D:positions" -> the registry's archetype and field. */
static const reel_types_field *archetype_field_of(const char *component,
                                                  const reel_types_archetype **archetype)
{
    const char *colon = component ? strchr(component, ':') : NULL;
    if (colon == NULL || colon - component >= 64)
        return NULL;
    char name[64];
    memcpy(name, component, (size_t)(colon - component));
    name[colon - component] = '\0';
    *archetype = reel_types_archetype_find(name);
    return *archetype ? reel_types_archetype_field(*archetype, component) : NULL;
}

reel_status reel_send_columns(reel_recording *rec, const char *entity_path,
                              const reel_time_column *times, size_t n_times,
                              const reel_component_column *columns, size_t n_columns, size_t n_rows,
                              reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    static const char call[] = "reel_send_columns";
    rec = sdk_resolve(rec);
    if (rec == NULL || entity_path == NULL || (times == NULL && n_times > 0) ||
        (columns == NULL && n_columns > 0) || n_times > 256 || n_columns > 4096) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "no recording, or bad arguments");
        return sdk_fail(call, err);
    }
    if (!atomic_load_explicit(&rec->enabled, memory_order_relaxed))
        return REEL_OK;
    reel_error local = {0};
    reel_error *e = err ? err : &local;
    reel_status status = REEL_OK;
    sdk_cell *cells = reel_alloc_zeroed(NULL, (n_columns ? n_columns : 1) * sizeof *cells);
    size_t **offsets = reel_alloc_zeroed(NULL, (n_columns ? n_columns : 1) * sizeof *offsets);
    reel_chunk_time *row_times =
        reel_alloc_zeroed(NULL, (n_times ? n_times : 1) * sizeof *row_times);
    reel_chunk_cell *row_cells =
        reel_alloc_zeroed(NULL, (n_columns ? n_columns : 1) * sizeof *row_cells);
    reel_chunk_builder *builder = NULL;
    reel_chunk *chunk = NULL;
    if (cells == NULL || offsets == NULL || row_times == NULL || row_cells == NULL) {
        status = reel_error_set(e, REEL_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (size_t t = 0; t < n_times; t++) {
        if (times[t].timeline == NULL || (times[t].times == NULL && n_rows > 0) ||
            times[t].kind < REEL_TIME_KIND_SEQUENCE ||
            times[t].kind > REEL_TIME_KIND_TIMESTAMP_NANOS) {
            status = reel_error_set(e, REEL_INVALID_ARGUMENT, "time column %zu is invalid", t);
            goto done;
        }
    }
    for (size_t c = 0; c < n_columns; c++) {
        reel_component component = columns[c].component;
        const reel_types_archetype *archetype = NULL;
        const reel_types_field *field = archetype_field_of(component.component, &archetype);
        if (field != NULL && component.archetype == NULL && component.component_type == NULL) {
            component.archetype = archetype->name;
            component.component_type = field->type->name;
        }
        status = fill_cell(&component, &cells[c], e);
        if (status != REEL_OK) {
            reel_error_prefix(e, "column %s: ", component.component ? component.component : "?");
            goto done;
        }
        /* Row partition: offsets[c][r] .. offsets[c][r + 1]. */
        offsets[c] = reel_alloc(NULL, (n_rows + 1) * sizeof(size_t));
        if (offsets[c] == NULL) {
            status = reel_error_set(e, REEL_OUT_OF_MEMORY, "out of memory");
            goto done;
        }
        size_t total = 0;
        offsets[c][0] = 0;
        for (size_t r = 0; r < n_rows; r++) {
            total += columns[c].lengths ? columns[c].lengths[r] : 1;
            offsets[c][r + 1] = total;
        }
        if (total != (size_t)cells[c].values.length) {
            status = reel_error_set(e, REEL_INVALID_ARGUMENT,
                                    "column %s: the lengths add up to %zu instances, the values "
                                    "have %lld",
                                    component.component, total, (long long)cells[c].values.length);
            goto done;
        }
    }
    reel_buf path = {0};
    status = reel_entity_path_normalize(entity_path, strlen(entity_path), &path, e);
    if (status == REEL_OK)
        status = reel_chunk_builder_create((const char *)path.data, &builder, e);
    reel_buf_free(&path);
    for (size_t r = 0; r < n_rows && status == REEL_OK; r++) {
        for (size_t t = 0; t < n_times; t++)
            row_times[t] = (reel_chunk_time){times[t].timeline, (reel_time_type)times[t].kind,
                                             times[t].times[r]};
        for (size_t c = 0; c < n_columns; c++)
            row_cells[c] = (reel_chunk_cell){cells[c].descriptor, cells[c].field, &cells[c].values,
                                             (int64_t)offsets[c][r],
                                             (int64_t)(offsets[c][r + 1] - offsets[c][r])};
        status = reel_chunk_builder_add_row(builder, reel_tuid_new(), row_times, (int32_t)n_times,
                                            row_cells, (int32_t)n_columns, e);
    }
    if (status == REEL_OK && n_rows > 0)
        status = reel_chunk_builder_finish(builder, &chunk, e);
    if (status == REEL_OK && chunk != NULL) {
        sdk_item *item = reel_alloc_zeroed(NULL, sizeof *item);
        if (item == NULL) {
            status = reel_error_set(e, REEL_OUT_OF_MEMORY, "out of memory");
        } else {
            item->kind = SDK_ITEM_CHUNK;
            item->chunk = chunk;
            chunk = NULL;
            status = sdk_enqueue(rec, item, e);
        }
    }
done:
    reel_chunk_release(chunk);
    reel_chunk_builder_destroy(builder);
    if (cells != NULL)
        sdk_cells_free(cells, (int32_t)(n_columns ? n_columns : 1));
    if (offsets != NULL) {
        for (size_t c = 0; c < n_columns; c++)
            reel_free(NULL, offsets[c], (n_rows + 1) * sizeof(size_t));
        reel_free(NULL, offsets, (n_columns ? n_columns : 1) * sizeof *offsets);
    }
    reel_free(NULL, row_times, (n_times ? n_times : 1) * sizeof *row_times);
    reel_free(NULL, row_cells, (n_columns ? n_columns : 1) * sizeof *row_cells);
    return status == REEL_OK ? REEL_OK : sdk_fail(call, e);
}
