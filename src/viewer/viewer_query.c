/* Queries for panels and views: a view's entities (its filter, origin substituted, evaluated
 * against the recording's entity tree), latest-at and range over them at the cursor (thin
 * wrappers on src/store), and the selection panel's text-ready component rows of an entity
 * at the cursor (§8.3), grouped by archetype. */
#include <stdlib.h>
#include <string.h>

#include "viewer/viewer_internal.h"

static reel_status walk(const reel_store *store, uint32_t entity, const reel_view_filter *filter,
                        reel_vec *out)
{
    const char *path = reel_store_entity_path(store, entity);
    if (path != NULL && reel_store_entity_chunks(store, entity) > 0 &&
        reel_view_filter_matches(filter, path))
        REEL_TRY(reel_vec_push(out, &entity));
    const uint32_t *children = NULL;
    uint32_t n = reel_store_entity_children(store, entity, &children);
    for (uint32_t i = 0; i < n; i++)
        REEL_TRY(walk(store, children[i], filter, out));
    return REEL_OK;
}

reel_status reel_viewer_view_entities(const reel_viewer_recording *rec, const reel_bp_view *view,
                                      reel_vec *out, reel_error *err)
{
    reel_vec_clear(out);
    reel_view_filter filter = {0};
    REEL_TRY(reel_view_filter_parse(view->query, view->n_query, view->space_origin, &filter, err));
    reel_status status = walk(rec->store, REEL_STORE_ROOT, &filter, out);
    reel_view_filter_reset(&filter);
    if (status != REEL_OK)
        return reel_error_set(err, status, "viewer: out of memory listing a view's entities");
    return REEL_OK;
}

reel_status reel_viewer_view_latest_at(const reel_viewer_recording *rec, const uint32_t *entities,
                                       size_t n_entities, uint32_t timeline, int64_t time,
                                       const char *component, reel_vec *out, reel_error *err)
{
    reel_vec_clear(out);
    uint32_t c = reel_store_component_find(rec->store, component);
    reel_store_result *results = reel_vec_push_n(out, n_entities);
    if (results == NULL && n_entities > 0)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    for (size_t i = 0; i < n_entities; i++) {
        if (c == REEL_STORE_NO_ID)
            continue; /* zeroed: NONE */
        reel_store_latest_at_cached(rec->store, rec->cache, entities[i], timeline, time, c,
                                    &results[i]);
    }
    return REEL_OK;
}

reel_status reel_viewer_view_range(const reel_viewer_recording *rec, uint32_t entity,
                                   uint32_t timeline, int64_t t0, int64_t t1, const char *component,
                                   reel_vec *out, reel_error *err)
{
    reel_vec_clear(out);
    uint32_t c = reel_store_component_find(rec->store, component);
    if (c == REEL_STORE_NO_ID)
        return REEL_OK;
    return reel_store_range_id(rec->store, entity, timeline, t0, t1, c, NULL, out, err);
}

/* ---------------------------------------------------------------- selection panel rows */

void reel_viewer_rows_reset(reel_viewer_rows *rows)
{
    if (rows == NULL)
        return;
    reel_arena_free(&rows->arena);
    memset(rows, 0, sizeof *rows);
}

static int compare_rows(const void *pa, const void *pb)
{
    const reel_viewer_component_row *a = pa, *b = pb;
    bool a_none = strcmp(a->archetype, "Without archetype") == 0;
    bool b_none = strcmp(b->archetype, "Without archetype") == 0;
    if (a_none != b_none)
        return a_none ? 1 : -1;
    int c = strcmp(a->archetype, b->archetype);
    return c != 0 ? c : strcmp(a->component, b->component);
}

reel_status reel_viewer_entity_rows(const reel_viewer_recording *rec, const char *entity_path,
                                    uint32_t timeline, int64_t time, size_t max_value,
                                    reel_viewer_rows *rows, reel_error *err)
{
    if (max_value == 0)
        max_value = 200;
    rows->rows = NULL;
    rows->count = 0;
    uint32_t entity = reel_store_entity_find(rec->store, entity_path);
    if (entity == REEL_STORE_NO_ID)
        return reel_error_set(err, REEL_NOT_FOUND, "viewer: no entity '%s' in recording %s",
                              entity_path, rec->id.recording_id);
    reel_vec results;
    reel_vec_init(&results, sizeof(reel_store_component_result), rec->viewer->alloc);
    reel_status status =
        reel_store_latest_at_all(rec->store, entity, timeline, time, &results, err);
    if (status != REEL_OK) {
        reel_vec_free(&results);
        return status;
    }
    reel_viewer_component_row *out =
        reel_arena_alloc_zeroed(&rows->arena, sizeof *out * (results.len ? results.len : 1), 8);
    reel_buf text = {0};
    for (size_t i = 0; out != NULL && i < results.len; i++) {
        const reel_store_component_result *r =
            &REEL_VEC_AT(&results, reel_store_component_result, i);
        const reel_chunk_component *col = r->result.column;
        reel_viewer_component_row *row = &out[rows->count];
        const char *arch = col->descriptor.archetype;
        if (arch != NULL) {
            const char *dot = strrchr(arch, '.');
            arch = dot != NULL ? dot + 1 : arch;
        }
        row->archetype = reel_arena_strndup(&rows->arena, arch ? arch : "Without archetype",
                                            strlen(arch ? arch : "Without archetype"));
        const char *comp = col->descriptor.component;
        row->component = reel_arena_strndup(&rows->arena, comp, strlen(comp));
        const char *type = col->descriptor.component_type ? col->descriptor.component_type : "";
        row->component_type = reel_arena_strndup(&rows->arena, type, strlen(type));
        row->state = r->result.state;
        row->is_static = r->result.value.time == REEL_STORE_TIME_STATIC;
        int64_t start = 0, end = 0;
        reel_arrow_array_get_list_range(&col->field, &col->lists, r->result.value.row, &start,
                                        &end);
        row->instances = end - start;
        reel_buf_clear(&text);
        if (r->result.state == REEL_STORE_CLEARED)
            status = reel_buf_printf(&text, "(cleared)");
        else
            status = reel_arrow_value_to_json(&col->field, &col->lists, r->result.value.row, &text);
        if (status != REEL_OK)
            break;
        if (text.len > max_value) {
            size_t cut = reel__utf8_trim_partial((const char *)text.data, max_value);
            text.len = cut;
            status = reel_buf_append(&text, "…", strlen("…"));
            if (status != REEL_OK)
                break;
        }
        row->value = reel_arena_strndup(&rows->arena, (const char *)text.data, text.len);
        if (row->archetype == NULL || row->component == NULL || row->value == NULL ||
            row->component_type == NULL) {
            status = REEL_OUT_OF_MEMORY;
            break;
        }
        rows->count++;
    }
    if (out == NULL)
        status = REEL_OUT_OF_MEMORY;
    reel_buf_free(&text);
    reel_vec_free(&results);
    if (status != REEL_OK)
        return reel_error_set(err, status, "viewer: component rows of %s", entity_path);
    qsort(out, rows->count, sizeof *out, compare_rows);
    rows->rows = out;
    return REEL_OK;
}
