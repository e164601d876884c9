/* Helpers for the viewer's tests: feed a viewer chunks that look like what an SDK logs (the
 * right archetype/component descriptors, placeholder values from the types registry, an
 * image format's width/height, scalars), and print a blueprint model compactly so a test can
 * compare a whole layout with one string. Header-only; one test program per file. */
#ifndef REEL_VIEWER_TESTING_H
#define REEL_VIEWER_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "types/types.h"
#include "viewer/viewer.h"

/* Appends one placeholder value of `field`'s type; width/height for ImageFormat structs. */
static inline void vt_append_default(reel_arrow_builder *b, const reel_arrow_field *f, double value,
                                     uint32_t w, uint32_t h)
{
    switch (f->type) {
    case REEL_ARROW_BOOL:
        reel_arrow_builder_append_bool(b, false);
        break;
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_INT64:
        reel_arrow_builder_append_int(b, 0);
        break;
    case REEL_ARROW_TIMESTAMP:
        reel_arrow_builder_append_int(b, (int64_t)value);
        break;
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT64:
        reel_arrow_builder_append_uint(b, 0);
        break;
    case REEL_ARROW_UINT32: {
        uint32_t v = 0;
        if (f->name != NULL && strcmp(f->name, "width") == 0)
            v = w;
        if (f->name != NULL && strcmp(f->name, "height") == 0)
            v = h;
        reel_arrow_builder_append_uint(b, v);
        break;
    }
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64:
        reel_arrow_builder_append_double(b, value);
        break;
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
        reel_arrow_builder_append_bytes(b, "x", 1);
        break;
    case REEL_ARROW_FIXED_SIZE_LIST:
        for (int32_t i = 0; i < f->fixed_size; i++)
            vt_append_default(reel_arrow_builder_child(b, 0), &f->children[0], value, w, h);
        reel_arrow_builder_finish_element(b);
        break;
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
        reel_arrow_builder_finish_element(b);
        break;
    case REEL_ARROW_STRUCT:
        for (int32_t i = 0; i < f->n_children; i++)
            vt_append_default(reel_arrow_builder_child(b, i), &f->children[i], value, w, h);
        reel_arrow_builder_finish_element(b);
        break;
    default:
        reel_arrow_builder_append_null(b, 1);
        break;
    }
}

/* Logs archetype field(s) at `entity` for `rec_id` of app `app`: one row at `frame` on the
 * timeline "frame" (frame < 0: static). `fields` is "Points3D:positions" style, comma-free:
 * pass one per call. */
/* A one-row chunk of `archetype`'s `field` at `entity`: at `frame` on `timeline` (NULL =
 * "frame"), or static when frame < 0. NULL on failure (checks fail). */
static inline reel_chunk *vt_make_chunk(const char *entity, int64_t frame, const char *timeline,
                                        const char *archetype, const char *field, double value,
                                        uint32_t w, uint32_t h)
{
    const reel_types_archetype *arch = reel_types_archetype_find(archetype);
    const reel_types_field *fd = arch ? reel_types_archetype_field(arch, field) : NULL;
    if (!CHECK(fd != NULL))
        return NULL;
    const reel_arrow_field *type = NULL;
    CHECK_OK(reel_types_component_arrow_field(fd->type, &type, NULL));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(type, NULL, &b, NULL));
    vt_append_default(b, type, value, w, h);
    reel_arrow_array values = {0};
    CHECK_OK(reel_arrow_builder_finish(b, &values, NULL));
    reel_arrow_builder_destroy(b);
    reel_chunk_cell cell = {
        .descriptor = {(char *)arch->name, (char *)fd->component, (char *)fd->type->name},
        .field = type,
        .values = &values,
        .offset = 0,
        .length = 1};
    reel_chunk_builder *cb = NULL;
    CHECK_OK(reel_chunk_builder_create(entity, &cb, NULL));
    reel_chunk_time t = {timeline ? timeline : "frame", REEL_TIME_SEQUENCE, frame};
    CHECK_OK(reel_chunk_builder_add_row(cb, reel_tuid_new(), frame >= 0 ? &t : NULL,
                                        frame >= 0 ? 1 : 0, &cell, 1, NULL));
    reel_chunk *chunk = NULL;
    CHECK_OK(reel_chunk_builder_finish(cb, &chunk, NULL));
    reel_chunk_builder_destroy(cb);
    reel_arrow_array_reset(&values);
    return chunk;
}

static inline void vt_log_kind(reel_viewer *viewer, reel_store_kind kind, const char *app,
                               const char *rec_id, const char *entity, int64_t frame,
                               const char *timeline, const char *archetype, const char *field,
                               double value, uint32_t w, uint32_t h)
{
    reel_chunk *chunk = vt_make_chunk(entity, frame, timeline, archetype, field, value, w, h);
    if (chunk == NULL)
        return;
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG};
    msg.store_id = (reel_store_id){kind, (char *)rec_id, (char *)app};
    msg.arrow.chunk = chunk;
    CHECK_OK(reel_viewer_ingest(viewer, &msg, REEL_VIEWER_SOURCE_FILE, NULL));
    reel_chunk_release(chunk);
}

static inline void vt_log_value(reel_viewer *viewer, const char *app, const char *rec_id,
                                const char *entity, int64_t frame, const char *timeline,
                                const char *archetype, const char *field, double value, uint32_t w,
                                uint32_t h)
{
    vt_log_kind(viewer, REEL_STORE_KIND_RECORDING, app, rec_id, entity, frame, timeline, archetype,
                field, value, w, h);
}

static inline void vt_log(reel_viewer *viewer, const char *entity, int64_t frame,
                          const char *archetype, const char *field)
{
    vt_log_value(viewer, "app", "rec", entity, frame, NULL, archetype, field, 1.0, 0, 0);
}

static inline void vt_log_image(reel_viewer *viewer, const char *entity, const char *archetype,
                                uint32_t w, uint32_t h)
{
    vt_log_value(viewer, "app", "rec", entity, 0, NULL, archetype, "format", 0, w, h);
}

/* The model as text: views sorted by (class, origin): "3D:/world[+ /world/\*\*]" joined with
 * " "; then "| root=<kind>(<children kinds>)". Containers print Tabs/Grid/H/V and views as
 * their class. */
static inline void vt_print_container(const reel_bp_model *m, reel_viewer_uuid id, reel_buf *out,
                                      int depth)
{
    static const char *const kinds[] = {"?", "Tabs", "H", "V", "Grid"};
    const reel_bp_container *c = reel_bp_model_container(m, id);
    if (c == NULL || depth > 16) {
        reel_buf_printf(out, "?");
        return;
    }
    reel_buf_printf(out, "%s(", kinds[c->kind]);
    for (size_t i = 0; i < c->n_children; i++) {
        if (i > 0)
            reel_buf_printf(out, ",");
        if (c->children[i].is_view) {
            const reel_bp_view *v = reel_bp_model_view(m, c->children[i].id);
            reel_buf_printf(out, "%s", v ? v->class_identifier : "?");
        } else {
            vt_print_container(m, c->children[i].id, out, depth + 1);
        }
    }
    reel_buf_printf(out, ")");
}

static inline int vt_compare_view_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline char *vt_model_text(const reel_bp_model *m)
{
    char **items = calloc(m->n_views + 1, sizeof(char *));
    for (size_t i = 0; i < m->n_views; i++) {
        reel_buf one = {0};
        const reel_bp_view *v = &m->views[i];
        reel_buf_printf(&one, "%s:%s[", v->class_identifier, v->space_origin);
        for (size_t q = 0; q < v->n_query; q++)
            reel_buf_printf(&one, "%s%s", q ? ";" : "", v->query[q]);
        reel_buf_printf(&one, "]");
        reel_buf_append_u8(&one, 0);
        items[i] = (char *)one.data;
    }
    qsort(items, m->n_views, sizeof(char *), vt_compare_view_text);
    reel_buf out = {0};
    for (size_t i = 0; i < m->n_views; i++) {
        reel_buf_printf(&out, "%s%s", i ? " " : "", items[i]);
        free(items[i]);
    }
    free(items);
    if (m->has_root) {
        reel_buf_printf(&out, " | ");
        vt_print_container(m, m->root_container, &out, 0);
    }
    reel_buf_append_u8(&out, 0);
    return (char *)out.data;
}

/* Runs the heuristics of the active recording and returns the model text (caller frees). */
static inline char *vt_heuristic_text(reel_viewer *viewer)
{
    reel_viewer_begin_frame(viewer, 0.0);
    reel_viewer_end_frame(viewer);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(viewer);
    return vt_model_text(reel_viewer_blueprint_model(bp));
}

#endif
