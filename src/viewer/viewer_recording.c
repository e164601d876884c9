/* A recording's entity db: its chunk store and what the viewer keeps beside it, updated from
 * the store's events as chunks arrive: per entity the components and archetypes ever logged
 * (the heuristics' input: pinholes, view coordinates, image sizes, scalars), and temporal
 * rows per timeline (the active timeline's tie-break). Density strips come from the store's
 * own indices. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viewer/viewer_internal.h"

static const char *const viewer_archetype_names[] = {
#define REEL_VIEWER_ARCHETYPE(name) #name,
#include "viewer/viewer_archetypes.def"
};

static int archetype_bit(const char *full_name)
{
    static const char prefix[] = "rerun.archetypes.";
    if (full_name == NULL || strncmp(full_name, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *short_name = full_name + sizeof prefix - 1;
    for (int i = 0; i < REEL_VIEWER_ARCH_COUNT; i++)
        if (strcmp(viewer_archetype_names[i], short_name) == 0)
            return i;
    return -1;
}

static viewer_entity_entry *entity_entry(reel_viewer_recording *rec, uint32_t entity)
{
    while (rec->entities.len <= entity) {
        viewer_entity_entry *e = reel_vec_push_n(&rec->entities, 1);
        if (e == NULL)
            return NULL;
        e->info.entity = (uint32_t)(rec->entities.len - 1);
        reel_vec_init(&e->archetype_names, sizeof(char *), rec->viewer->alloc);
        reel_map_init(&e->components, rec->viewer->alloc);
    }
    return &REEL_VEC_AT(&rec->entities, viewer_entity_entry, entity);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_archetype_name(reel_viewer_recording *rec, viewer_entity_entry *e, const char *name)
{
    for (size_t i = 0; i < e->archetype_names.len; i++)
        if (strcmp(REEL_VEC_AT(&e->archetype_names, char *, i), name) == 0)
            return;
    char *copy = reel_strdup(rec->viewer->alloc, name);
    if (copy == NULL || reel_vec_push(&e->archetype_names, &copy) != REEL_OK) {
        reel_strfree(rec->viewer->alloc, copy);
        return;
    }
    qsort(e->archetype_names.data, e->archetype_names.len, sizeof(char *), compare_strings);
}

/* The width/height of the last row's ImageFormat struct, if the chunk has one. */
static void read_image_format(const reel_chunk_component *column, viewer_entity_entry *e)
{
    const reel_arrow_field *list_field = &column->field;
    if (list_field->n_children != 1 || list_field->children[0].type != REEL_ARROW_STRUCT)
        return;
    const reel_arrow_field *st = &list_field->children[0];
    const reel_arrow_array *values = &column->lists.children[0];
    for (int64_t row = column->lists.length - 1; row >= 0; row--) {
        if (reel_arrow_array_is_null(list_field, &column->lists, row))
            continue;
        int64_t start = 0, end = 0;
        reel_arrow_array_get_list_range(list_field, &column->lists, row, &start, &end);
        if (end <= start)
            return;
        for (int32_t c = 0; c < st->n_children; c++) {
            const reel_arrow_field *f = &st->children[c];
            if (f->type != REEL_ARROW_UINT32 || f->name == NULL)
                continue;
            uint32_t v = (uint32_t)reel_arrow_array_get_uint(f, &values->children[c], start);
            if (strcmp(f->name, "width") == 0)
                e->info.image_width = v;
            else if (strcmp(f->name, "height") == 0)
                e->info.image_height = v;
        }
        return;
    }
}

/* Whether some row of the column holds at least one instance (an SDK that clears unset
 * fields logs empty lists, which are not "logged a frame id"). */
static bool column_has_values(const reel_chunk_component *col)
{
    for (int64_t row = 0; row < col->lists.length; row++) {
        if (reel_arrow_array_is_null(&col->field, &col->lists, row))
            continue;
        int64_t start = 0, end = 0;
        reel_arrow_array_get_list_range(&col->field, &col->lists, row, &start, &end);
        if (end > start)
            return true;
    }
    return false;
}

static void on_chunk_added(reel_viewer_recording *rec, const reel_store *store,
                           const reel_chunk *chunk)
{
    uint32_t entity = reel_store_entity_find(store, chunk->entity_path);
    if (entity == REEL_STORE_NO_ID)
        return;
    viewer_entity_entry *e = entity_entry(rec, entity);
    if (e == NULL)
        return;
    reel_viewer_entity before = e->info;
    for (int32_t i = 0; i < chunk->n_components; i++) {
        const reel_chunk_component *col = &chunk->components[i];
        const char *component = col->descriptor.component;
        if (!reel_map_get(&e->components, component, strlen(component), NULL)) {
            if (reel_map_put(&e->components, component, strlen(component), 1) == REEL_OK)
                e->info.n_components++;
        }
        const char *archetype = col->descriptor.archetype;
        if (archetype != NULL) {
            add_archetype_name(rec, e, archetype);
            int bit = archetype_bit(archetype);
            if (bit >= 0)
                e->info.archetypes |= (uint64_t)1 << bit;
        }
        if (strcmp(component, "Pinhole:image_from_camera") == 0)
            e->info.has_pinhole = true;
        else if (strcmp(component, "ViewCoordinates:xyz") == 0)
            e->info.has_view_coordinates = true;
        else if (strcmp(component, "Scalars:scalars") == 0 && !chunk->is_static)
            e->info.has_temporal_scalars = true;
        else if (col->descriptor.component_type != NULL &&
                 strcmp(col->descriptor.component_type, "rerun.components.TransformFrameId") == 0 &&
                 column_has_values(col))
            e->info.has_frame_id = rec->any_frame_id = true;
        else if (strcmp(component, "Image:format") == 0 ||
                 strcmp(component, "DepthImage:format") == 0 ||
                 strcmp(component, "SegmentationImage:format") == 0)
            read_image_format(col, e);
    }
    const reel_viewer_entity *after = &e->info;
    if (before.archetypes != after->archetypes || before.n_components != after->n_components ||
        before.image_width != after->image_width || before.image_height != after->image_height ||
        before.has_temporal_scalars != after->has_temporal_scalars)
        rec->structure_generation++;
    for (int32_t t = 0; t < chunk->n_timelines; t++) {
        uint32_t tl = reel_store_timeline_find(store, chunk->timelines[t].name);
        if (tl == REEL_STORE_NO_ID)
            continue;
        while (rec->timeline_rows.len <= tl)
            if (reel_vec_push(&rec->timeline_rows, NULL) != REEL_OK)
                return;
        REEL_VEC_AT(&rec->timeline_rows, uint64_t, tl) += (uint64_t)chunk->row_count;
    }
    if (strcmp(chunk->entity_path, "/__properties") == 0)
        rec->viewer->order_dirty = true;
}

static void on_store_events(void *ctx, const reel_store *store, const reel_store_event *events,
                            size_t count)
{
    reel_viewer_recording *rec = ctx;
    for (size_t i = 0; i < count; i++)
        if (events[i].kind == REEL_STORE_ADDITION)
            on_chunk_added(rec, store, events[i].delta);
    rec->generation++;
}

reel_status reel__recording_create(reel_viewer *viewer, const reel_store_id *id,
                                   reel_viewer_recording **out, reel_error *err)
{
    reel_viewer_recording *rec = reel_alloc_zeroed(viewer->alloc, sizeof *rec);
    if (rec == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory for a recording");
    rec->viewer = viewer;
    reel_vec_init(&rec->entities, sizeof(viewer_entity_entry), viewer->alloc);
    reel_vec_init(&rec->timeline_rows, sizeof(uint64_t), viewer->alloc);
    rec->tc_timeline = REEL_STORE_NO_ID;
    rec->structure_generation = 1;
    rec->tc_play = REEL_PLAY_PLAYING;
    rec->tc_loop = REEL_LOOP_OFF;
    rec->tc_speed = 1.0;
    rec->tc_fps = 30.0;
    reel_status status = reel_store_id_copy(&rec->id, id, viewer->alloc);
    uint32_t handle = 0;
    reel_store_desc desc = {.alloc = viewer->alloc, .memory_limit = viewer->desc.memory_limit};
    if (status == REEL_OK)
        status = reel_store_create(&desc, &rec->store, err);
    if (status == REEL_OK)
        status = reel_store_cache_create(viewer->alloc, &rec->cache, err);
    if (status == REEL_OK)
        status = reel_store_subscribe(rec->store, on_store_events, rec, &handle, err);
    if (status != REEL_OK) {
        reel__recording_destroy(rec);
        return reel_error_prefix(err, "viewer: recording %s", id->recording_id);
    }
    rec->arrival = viewer->arrival_counter++;
    *out = rec;
    return REEL_OK;
}

void reel__recording_destroy(reel_viewer_recording *rec)
{
    if (rec == NULL)
        return;
    const reel_allocator *alloc = rec->viewer->alloc;
    for (size_t i = 0; i < rec->entities.len; i++) {
        viewer_entity_entry *e = &REEL_VEC_AT(&rec->entities, viewer_entity_entry, i);
        for (size_t j = 0; j < e->archetype_names.len; j++)
            reel_strfree(alloc, REEL_VEC_AT(&e->archetype_names, char *, j));
        reel_vec_free(&e->archetype_names);
        reel_map_free(&e->components);
    }
    reel_vec_free(&rec->entities);
    reel_vec_free(&rec->timeline_rows);
    reel_store_cache_destroy(rec->cache);
    reel_store_destroy(rec->store);
    reel_store_id_reset(&rec->id, alloc);
    reel_strfree(alloc, rec->tc_pending);
    reel_free(alloc, rec, sizeof *rec);
}

/* ---------------------------------------------------------------- accessors */

const reel_store_id *reel_viewer_recording_id(const reel_viewer_recording *rec)
{
    return &rec->id;
}

reel_store *reel_viewer_recording_store(const reel_viewer_recording *rec)
{
    return rec->store;
}

reel_store_cache *reel_viewer_recording_cache(const reel_viewer_recording *rec)
{
    return rec->cache;
}

uint64_t reel_viewer_recording_generation(const reel_viewer_recording *rec)
{
    return rec->generation;
}

bool reel_viewer_recording_is_live(const reel_viewer_recording *rec)
{
    return rec->live;
}

const reel_viewer_entity *reel_viewer_entity_info(const reel_viewer_recording *rec, uint32_t entity)
{
    if (entity >= rec->entities.len)
        return NULL;
    return &REEL_VEC_AT(&rec->entities, viewer_entity_entry, entity).info;
}

size_t reel_viewer_entity_archetypes(const reel_viewer_recording *rec, uint32_t entity,
                                     const char *const **names)
{
    if (entity >= rec->entities.len) {
        *names = NULL;
        return 0;
    }
    const viewer_entity_entry *e = &REEL_VEC_AT(&rec->entities, viewer_entity_entry, entity);
    *names = (const char *const *)e->archetype_names.data;
    return e->archetype_names.len;
}

uint64_t reel_viewer_timeline_rows(const reel_viewer_recording *rec, uint32_t timeline)
{
    return timeline < rec->timeline_rows.len ? REEL_VEC_AT(&rec->timeline_rows, uint64_t, timeline)
                                             : 0;
}

reel_status reel_viewer_density(const reel_viewer_recording *rec, uint32_t entity, bool subtree,
                                uint32_t timeline, int64_t t0, int64_t width, size_t n_buckets,
                                uint64_t *counts, reel_error *err)
{
    return reel_store_histogram(rec->store, entity, subtree, timeline, t0, width, n_buckets, counts,
                                err);
}

/* The static RecordingInfo property `component` (a utf8 or int64 column) of the recording. */
static bool recording_property(const reel_viewer_recording *rec, const char *component,
                               reel_store_result *out)
{
    return reel_store_latest_at(rec->store, "/__properties", NULL, 0, component, out) ==
           REEL_STORE_VALUE;
}

bool reel__recording_start_time(const reel_viewer_recording *rec, int64_t *out);
bool reel__recording_start_time(const reel_viewer_recording *rec, int64_t *out)
{
    reel_store_result r;
    if (!recording_property(rec, "RecordingInfo:start_time", &r))
        return false;
    const reel_arrow_field *item = &r.column->field.children[0];
    int64_t start = 0, end = 0;
    reel_arrow_array_get_list_range(&r.column->field, &r.column->lists, r.value.row, &start, &end);
    /* rerun.components.Timestamp: int64 nanoseconds (as the Python SDK 0.41 writes it), or a
     * timestamp[ns] column. */
    if (end <= start || (item->type != REEL_ARROW_TIMESTAMP && item->type != REEL_ARROW_INT64))
        return false;
    *out = reel_arrow_array_get_int(item, &r.column->lists.children[0], start);
    return true;
}

reel_status reel_viewer_recording_label(const reel_viewer_recording *rec, reel_buf *out)
{
    reel_buf_clear(out);
    reel_store_result r;
    bool named = false;
    if (recording_property(rec, "RecordingInfo:name", &r)) {
        const reel_arrow_field *item = &r.column->field.children[0];
        int64_t start = 0, end = 0;
        reel_arrow_array_get_list_range(&r.column->field, &r.column->lists, r.value.row, &start,
                                        &end);
        if (end > start && item->type == REEL_ARROW_UTF8) {
            reel_span name = reel_arrow_array_get_bytes(item, &r.column->lists.children[0], start);
            REEL_TRY(reel_buf_append(out, name.data, name.len));
            named = true;
        }
    }
    int64_t start_ns = 0;
    if (!named && reel__recording_start_time(rec, &start_ns)) {
        time_t seconds = (time_t)(start_ns / 1000000000);
        struct tm tm;
        gmtime_r(&seconds, &tm);
        REEL_TRY(reel_buf_printf(out, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec));
        named = true;
    }
    if (!named)
        REEL_TRY(reel_buf_printf(out, "<unknown>"));
    double size = (double)reel_store_memory_used(rec->store);
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (size >= 1024.0 && unit < 4) {
        size /= 1024.0;
        unit++;
    }
    if (unit == 0)
        REEL_TRY(reel_buf_printf(out, " - %.0f B", size));
    else
        REEL_TRY(reel_buf_printf(out, " - %.1f %s", size, units[unit]));
    return reel_buf_append_u8(out, 0) == REEL_OK ? (out->len--, REEL_OK) : REEL_OUT_OF_MEMORY;
}
