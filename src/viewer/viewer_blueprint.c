/* A blueprint store and its typed model. The store is an ordinary chunk store (no compaction
 * or splitting, so each edit stays its own chunk and the redo branch can be dropped whole),
 * with rows on the sequence timeline `blueprint`; the model is read from it by latest-at at
 * the blueprint time cursor, with the entity paths and component names Rerun 0.41 writes
 * (viewport, container/<uuid>, view/<uuid>, view/<uuid>/ViewContents, *_panel). Undo and redo
 * move the cursor between edit points; .rbl save writes the store as Rerun's file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"
#include "viewer/viewer_internal.h"

#define BLUEPRINT_TIMELINE "blueprint"

/* ---------------------------------------------------------------- uuids */

void reel_viewer_uuid_format(reel_viewer_uuid id, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[id.bytes[i] >> 4];
        out[o++] = hex[id.bytes[i] & 15];
    }
    out[o] = '\0';
}

bool reel_viewer_uuid_parse(const char *text, size_t len, reel_viewer_uuid *out)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '-')
            continue;
        int hi = reel_hex_digit(text[i]);
        if (hi < 0 || i + 1 >= len || n >= 16)
            return false;
        int lo = reel_hex_digit(text[++i]);
        if (lo < 0)
            return false;
        out->bytes[n++] = (uint8_t)(hi << 4 | lo);
    }
    return n == 16;
}

bool reel_viewer_uuid_equal(reel_viewer_uuid a, reel_viewer_uuid b)
{
    return memcmp(a.bytes, b.bytes, 16) == 0;
}

reel_status reel__bp_item_path(bool is_view, reel_viewer_uuid id, reel_buf *out)
{
    char text[37];
    reel_viewer_uuid_format(id, text);
    reel_buf_clear(out);
    REEL_TRY(reel_buf_printf(out, "%s/%s", is_view ? "view" : "container", text));
    REEL_TRY(reel_buf_append_u8(out, 0));
    out->len--;
    return REEL_OK;
}

/* ---------------------------------------------------------------- lifecycle */

static reel_status new_store(reel_viewer *viewer, reel_store **out, reel_error *err)
{
    reel_store_desc desc = {
        .alloc = viewer->alloc, .no_compaction = true, .no_split = true, .ignore_env = true};
    return reel_store_create(&desc, out, err);
}

reel_status reel__blueprint_create(reel_viewer *viewer, const reel_store_id *id,
                                   reel_viewer_blueprint **out, reel_error *err)
{
    reel_viewer_blueprint *bp = reel_alloc_zeroed(viewer->alloc, sizeof *bp);
    if (bp == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory for a blueprint");
    bp->viewer = viewer;
    bp->max_time = -1;
    bp->cursor = -1;
    viewer->blueprint_generation_base += (uint64_t)1 << 32;
    bp->generation = viewer->blueprint_generation_base;
    reel_vec_init(&bp->points, sizeof(int64_t), viewer->alloc);
    reel_arena_init(&bp->model_arena, viewer->alloc, 16 * 1024);
    reel_status status = reel_store_id_copy(&bp->id, id, viewer->alloc);
    if (status == REEL_OK)
        status = new_store(viewer, &bp->store, err);
    if (status != REEL_OK) {
        reel__blueprint_destroy(bp);
        return reel_error_set(err, status, "viewer: cannot create blueprint store");
    }
    bp->viewer_default =
        id->application_id != NULL && strcmp(id->recording_id, id->application_id) == 0;
    *out = bp;
    return REEL_OK;
}

void reel__blueprint_destroy(reel_viewer_blueprint *bp)
{
    if (bp == NULL)
        return;
    const reel_allocator *alloc = bp->viewer->alloc;
    reel_store_destroy(bp->store);
    reel_store_id_reset(&bp->id, alloc);
    reel_vec_free(&bp->points);
    reel_arena_free(&bp->model_arena);
    reel_free(alloc, bp, sizeof *bp);
}

static void insert_chunk(void *ctx, const reel_chunk *chunk)
{
    reel_store *dst = ctx;
    (void)reel_store_insert(dst, (reel_chunk *)chunk, NULL);
}

reel_status reel__blueprint_clone(const reel_viewer_blueprint *src, reel_viewer_blueprint **out,
                                  reel_error *err)
{
    reel_viewer *viewer = src->viewer;
    reel_tuid fresh = reel_tuid_new();
    char rid[64];
    reel_tuid_format(fresh, "bp_", rid, sizeof rid);
    reel_store_id id = {.kind = REEL_STORE_KIND_BLUEPRINT,
                        .recording_id = rid,
                        .application_id = src->id.application_id};
    reel_viewer_blueprint *bp = NULL;
    REEL_TRY(reel__blueprint_create(viewer, &id, &bp, err));
    bp->viewer_default = src->viewer_default;
    reel_store_for_each_chunk(src->store, insert_chunk, bp->store);
    reel__blueprint_data_added(bp);
    *out = bp;
    return REEL_OK;
}

void reel__blueprint_data_added(reel_viewer_blueprint *bp)
{
    uint32_t tl = reel_store_timeline_find(bp->store, BLUEPRINT_TIMELINE);
    int64_t min = 0, max = -1;
    if (tl != REEL_STORE_NO_ID &&
        reel_store_time_range(bp->store, REEL_STORE_NO_ID, tl, &min, &max)) {
        if (max > bp->max_time) {
            bool at_end = bp->cursor == bp->max_time;
            bp->max_time = max;
            if (at_end)
                bp->cursor = max;
        }
    }
    if (bp->points.len == 0 || REEL_VEC_AT(&bp->points, int64_t, bp->points.len - 1) < bp->max_time)
        if (bp->max_time >= 0)
            (void)reel_vec_push(&bp->points, &bp->max_time);
    bp->generation++;
}

const reel_store_id *reel_viewer_blueprint_id(const reel_viewer_blueprint *bp)
{
    return &bp->id;
}

reel_store *reel_viewer_blueprint_store(const reel_viewer_blueprint *bp)
{
    return bp->store;
}

uint64_t reel_viewer_blueprint_generation(const reel_viewer_blueprint *bp)
{
    return bp->generation;
}

/* ---------------------------------------------------------------- reading */

reel_store_state reel_viewer_blueprint_latest(const reel_viewer_blueprint *bp,
                                              const char *entity_path, const char *component,
                                              reel_store_result *out)
{
    return reel_store_latest_at(bp->store, entity_path, BLUEPRINT_TIMELINE, bp->cursor, component,
                                out);
}

/* The value list of a latest-at answer: the item field and array and the [start, end) range. */
typedef struct bp_cell_view {
    const reel_arrow_field *item;
    const reel_arrow_array *values;
    int64_t start, end;
} bp_cell_view;

static bool read_cell(const reel_viewer_blueprint *bp, const char *entity, const char *component,
                      bp_cell_view *out)
{
    reel_store_result r;
    if (reel_viewer_blueprint_latest(bp, entity, component, &r) != REEL_STORE_VALUE)
        return false;
    if (r.column->field.n_children != 1)
        return false;
    out->item = &r.column->field.children[0];
    out->values = &r.column->lists.children[0];
    reel_arrow_array_get_list_range(&r.column->field, &r.column->lists, r.value.row, &out->start,
                                    &out->end);
    return out->end > out->start;
}

static bool is_string_type(const reel_arrow_field *f)
{
    return f->type == REEL_ARROW_UTF8 || f->type == REEL_ARROW_LARGE_UTF8;
}

static const char *cell_string_at(reel_arena *arena, const bp_cell_view *c, int64_t i)
{
    if (!is_string_type(c->item) || reel_arrow_array_is_null(c->item, c->values, i))
        return NULL;
    reel_span s = reel_arrow_array_get_bytes(c->item, c->values, i);
    return reel_arena_strndup(arena, (const char *)s.data, s.len);
}

static const char *read_string(reel_viewer_blueprint *bp, const char *entity, const char *component)
{
    bp_cell_view c;
    if (!read_cell(bp, entity, component, &c))
        return NULL;
    return cell_string_at(&bp->model_arena, &c, c.start);
}

static bool read_uint(reel_viewer_blueprint *bp, const char *entity, const char *component,
                      uint64_t *out)
{
    bp_cell_view c;
    if (!read_cell(bp, entity, component, &c))
        return false;
    switch (c.item->type) {
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64:
        *out = reel_arrow_array_get_uint(c.item, c.values, c.start);
        return true;
    default:
        return false;
    }
}

static bool read_bool(reel_viewer_blueprint *bp, const char *entity, const char *component,
                      bool *out)
{
    bp_cell_view c;
    if (!read_cell(bp, entity, component, &c) || c.item->type != REEL_ARROW_BOOL)
        return false;
    *out = reel_arrow_array_get_bool(c.values, c.start);
    return true;
}

static bool read_double(reel_viewer_blueprint *bp, const char *entity, const char *component,
                        double *out)
{
    bp_cell_view c;
    if (!read_cell(bp, entity, component, &c))
        return false;
    if (c.item->type != REEL_ARROW_FLOAT32 && c.item->type != REEL_ARROW_FLOAT64)
        return false;
    *out = reel_arrow_array_get_double(c.item, c.values, c.start);
    return true;
}

static bool read_uuid(reel_viewer_blueprint *bp, const char *entity, const char *component,
                      reel_viewer_uuid *out)
{
    bp_cell_view c;
    if (!read_cell(bp, entity, component, &c))
        return false;
    if (c.item->type != REEL_ARROW_FIXED_SIZE_LIST || c.item->fixed_size != 16 ||
        c.item->n_children != 1 || c.item->children[0].type != REEL_ARROW_UINT8)
        return false;
    int64_t s = 0, e = 0;
    reel_arrow_array_get_list_range(c.item, c.values, c.start, &s, &e);
    for (int i = 0; i < 16; i++)
        out->bytes[i] =
            (uint8_t)reel_arrow_array_get_uint(&c.item->children[0], &c.values->children[0], s + i);
    return true;
}

static float *read_floats(reel_viewer_blueprint *bp, const char *entity, const char *component,
                          size_t *n)
{
    bp_cell_view c;
    *n = 0;
    if (!read_cell(bp, entity, component, &c) || c.item->type != REEL_ARROW_FLOAT32)
        return NULL;
    float *out = reel_arena_alloc(&bp->model_arena, sizeof(float) * (size_t)(c.end - c.start), 4);
    if (out == NULL)
        return NULL;
    for (int64_t i = c.start; i < c.end; i++)
        out[(*n)++] = (float)reel_arrow_array_get_double(c.item, c.values, i);
    return out;
}

/* "view/<uuid>" or "container/<uuid>" (leading '/' optional). */
static bool parse_item_path(const char *text, reel_bp_child *out)
{
    if (text[0] == '/')
        text++;
    if (strncmp(text, "view/", 5) == 0) {
        out->is_view = true;
        return reel_viewer_uuid_parse(text + 5, strlen(text + 5), &out->id);
    }
    if (strncmp(text, "container/", 10) == 0) {
        out->is_view = false;
        return reel_viewer_uuid_parse(text + 10, strlen(text + 10), &out->id);
    }
    return false;
}

static void read_view(reel_viewer_blueprint *bp, reel_viewer_uuid id, reel_vec *views)
{
    reel_buf path = {0}, sub = {0};
    if (reel__bp_item_path(true, id, &path) != REEL_OK)
        goto done;
    const char *cls = read_string(bp, (const char *)path.data, "ViewBlueprint:class_identifier");
    if (cls == NULL)
        goto done;
    reel_bp_view v = {.id = id, .class_identifier = cls, .visible = true};
    v.display_name = read_string(bp, (const char *)path.data, "ViewBlueprint:display_name");
    const char *origin = read_string(bp, (const char *)path.data, "ViewBlueprint:space_origin");
    reel_buf canon = {0};
    if (origin != NULL &&
        reel_entity_path_normalize(origin, strlen(origin), &canon, NULL) == REEL_OK)
        v.space_origin = reel_arena_strndup(&bp->model_arena, (const char *)canon.data, canon.len);
    reel_buf_free(&canon);
    if (v.space_origin == NULL)
        v.space_origin = "/";
    bool visible = true;
    if (read_bool(bp, (const char *)path.data, "ViewBlueprint:visible", &visible))
        v.visible = visible;
    if (reel_buf_printf(&sub, "%s/ViewContents", (const char *)path.data) != REEL_OK ||
        reel_buf_append_u8(&sub, 0) != REEL_OK)
        goto done;
    bp_cell_view c;
    static const char *const default_query[] = {"$origin/**"};
    if (read_cell(bp, (const char *)sub.data, "ViewContents:query", &c) && is_string_type(c.item)) {
        const char **q =
            reel_arena_alloc(&bp->model_arena, sizeof(char *) * (size_t)(c.end - c.start), 8);
        for (int64_t i = c.start; q != NULL && i < c.end; i++) {
            const char *s = cell_string_at(&bp->model_arena, &c, i);
            if (s != NULL)
                q[v.n_query++] = s;
        }
        v.query = q;
    } else {
        reel_store_result r;
        bool stored_empty =
            reel_viewer_blueprint_latest(bp, (const char *)sub.data, "ViewContents:query", &r) ==
            REEL_STORE_EMPTY;
        if (!stored_empty) {
            v.query = default_query;
            v.n_query = 1;
        }
    }
    (void)reel_vec_push(views, &v);
done:
    reel_buf_free(&path);
    reel_buf_free(&sub);
}

static int compare_views(const void *a, const void *b)
{
    return memcmp(((const reel_bp_view *)a)->id.bytes, ((const reel_bp_view *)b)->id.bytes, 16);
}

static void read_container(reel_viewer_blueprint *bp, reel_viewer_uuid id, reel_vec *containers,
                           int depth)
{
    if (depth > 64)
        return;
    for (size_t i = 0; i < containers->len; i++)
        if (reel_viewer_uuid_equal(REEL_VEC_AT(containers, reel_bp_container, i).id, id))
            return; /* a cycle, or a container listed twice */
    reel_buf path = {0};
    if (reel__bp_item_path(false, id, &path) != REEL_OK) {
        reel_buf_free(&path);
        return;
    }
    const char *p = (const char *)path.data;
    uint64_t kind = 0;
    if (!read_uint(bp, p, "ContainerBlueprint:container_kind", &kind) || kind < 1 || kind > 4) {
        reel_buf_free(&path);
        return;
    }
    reel_bp_container c = {
        .id = id, .kind = (reel_container_kind)kind, .active_tab = -1, .visible = true};
    c.display_name = read_string(bp, p, "ContainerBlueprint:display_name");
    bp_cell_view cv;
    if (read_cell(bp, p, "ContainerBlueprint:contents", &cv) && is_string_type(cv.item)) {
        c.children = reel_arena_alloc(&bp->model_arena,
                                      sizeof(reel_bp_child) * (size_t)(cv.end - cv.start), 8);
        for (int64_t i = cv.start; c.children != NULL && i < cv.end; i++) {
            const char *s = cell_string_at(&bp->model_arena, &cv, i);
            reel_bp_child child;
            if (s != NULL && parse_item_path(s, &child))
                c.children[c.n_children++] = child;
        }
    }
    c.col_shares = read_floats(bp, p, "ContainerBlueprint:col_shares", &c.n_col_shares);
    c.row_shares = read_floats(bp, p, "ContainerBlueprint:row_shares", &c.n_row_shares);
    const char *active = read_string(bp, p, "ContainerBlueprint:active_tab");
    reel_bp_child tab;
    if (active != NULL && parse_item_path(active, &tab))
        for (size_t i = 0; i < c.n_children; i++)
            if (reel_viewer_uuid_equal(c.children[i].id, tab.id))
                c.active_tab = (int32_t)i;
    bool visible = true;
    if (read_bool(bp, p, "ContainerBlueprint:visible", &visible))
        c.visible = visible;
    uint64_t columns = 0;
    if (read_uint(bp, p, "ContainerBlueprint:grid_columns", &columns))
        c.grid_columns = (uint32_t)columns;
    reel_buf_free(&path);
    if (reel_vec_push(containers, &c) != REEL_OK)
        return;
    for (size_t i = 0; i < c.n_children; i++)
        if (!c.children[i].is_view)
            read_container(bp, c.children[i].id, containers, depth + 1);
}

/* Copies a vec's elements into the arena (the model's arrays live there). */
static void *arena_copy(reel_arena *arena, const reel_vec *vec)
{
    if (vec->len == 0)
        return NULL;
    void *out = reel_arena_alloc(arena, vec->len * vec->elem_size, 8);
    if (out != NULL)
        memcpy(out, vec->data, vec->len * vec->elem_size);
    return out;
}

static void read_model(reel_viewer_blueprint *bp)
{
    reel_arena_reset(&bp->model_arena);
    reel_bp_model *m = &bp->model;
    memset(m, 0, sizeof *m);
    m->has_root =
        read_uuid(bp, "/viewport", "ViewportBlueprint:root_container", &m->root_container);
    m->has_maximized = read_uuid(bp, "/viewport", "ViewportBlueprint:maximized", &m->maximized);
    m->auto_layout = m->auto_views = bp->viewer_default;
    bool flag = false;
    if (read_bool(bp, "/viewport", "ViewportBlueprint:auto_layout", &flag))
        m->auto_layout = flag;
    if (read_bool(bp, "/viewport", "ViewportBlueprint:auto_views", &flag))
        m->auto_views = flag;
    bp_cell_view c;
    if (read_cell(bp, "/viewport", "ViewportBlueprint:past_viewer_recommendations", &c) &&
        c.item->type == REEL_ARROW_UINT64) {
        uint64_t *hashes =
            reel_arena_alloc(&bp->model_arena, sizeof(uint64_t) * (size_t)(c.end - c.start), 8);
        for (int64_t i = c.start; hashes != NULL && i < c.end; i++)
            hashes[m->n_past_recommendations++] = reel_arrow_array_get_uint(c.item, c.values, i);
        m->past_recommendations = hashes;
    }
    /* Views: every child of /view that has a class (a removed view is cleared). */
    reel_vec views, containers;
    reel_vec_init(&views, sizeof(reel_bp_view), bp->viewer->alloc);
    reel_vec_init(&containers, sizeof(reel_bp_container), bp->viewer->alloc);
    uint32_t view_root = reel_store_entity_find(bp->store, "/view");
    if (view_root != REEL_STORE_NO_ID) {
        const uint32_t *children = NULL;
        uint32_t n = reel_store_entity_children(bp->store, view_root, &children);
        for (uint32_t i = 0; i < n; i++) {
            const char *path = reel_store_entity_path(bp->store, children[i]);
            reel_viewer_uuid id;
            if (path != NULL && strlen(path) > 6 &&
                reel_viewer_uuid_parse(path + 6, strlen(path + 6), &id))
                read_view(bp, id, &views);
        }
    }
    if (views.len > 1)
        qsort(views.data, views.len, sizeof(reel_bp_view), compare_views);
    if (m->has_root)
        read_container(bp, m->root_container, &containers, 0);
    m->views = arena_copy(&bp->model_arena, &views);
    m->n_views = views.len;
    m->containers = arena_copy(&bp->model_arena, &containers);
    m->n_containers = containers.len;
    reel_vec_free(&views);
    reel_vec_free(&containers);
    uint64_t v = 0;
    if (read_uint(bp, "/top_panel", "PanelBlueprint:state", &v))
        m->top_panel = (uint8_t)v;
    if (read_uint(bp, "/blueprint_panel", "PanelBlueprint:state", &v))
        m->blueprint_panel = (uint8_t)v;
    if (read_uint(bp, "/selection_panel", "PanelBlueprint:state", &v))
        m->selection_panel = (uint8_t)v;
    reel_bp_time_panel *tp = &m->time_panel;
    if (read_uint(bp, "/time_panel", "TimePanelBlueprint:state", &v))
        tp->state = (uint8_t)v;
    tp->timeline = read_string(bp, "/time_panel", "TimePanelBlueprint:timeline");
    tp->has_speed = read_double(bp, "/time_panel", "TimePanelBlueprint:playback_speed", &tp->speed);
    tp->has_fps = read_double(bp, "/time_panel", "TimePanelBlueprint:fps", &tp->fps);
    if (read_uint(bp, "/time_panel", "TimePanelBlueprint:play_state", &v))
        tp->play_state = (uint8_t)v;
    if (read_uint(bp, "/time_panel", "TimePanelBlueprint:loop_mode", &v))
        tp->loop_mode = (uint8_t)v;
    if (read_cell(bp, "/time_panel", "TimePanelBlueprint:time_selection", &c) &&
        c.item->type == REEL_ARROW_STRUCT && c.item->n_children == 2) {
        tp->has_selection = true;
        tp->selection_min =
            reel_arrow_array_get_int(&c.item->children[0], &c.values->children[0], c.start);
        tp->selection_max =
            reel_arrow_array_get_int(&c.item->children[1], &c.values->children[1], c.start);
    }
}

const reel_bp_model *reel_viewer_blueprint_model(reel_viewer_blueprint *bp)
{
    if (bp->model_generation != bp->generation) {
        read_model(bp);
        bp->model_generation = bp->generation;
    }
    return &bp->model;
}

const reel_bp_view *reel_bp_model_view(const reel_bp_model *model, reel_viewer_uuid id)
{
    for (size_t i = 0; i < model->n_views; i++)
        if (reel_viewer_uuid_equal(model->views[i].id, id))
            return &model->views[i];
    return NULL;
}

const reel_bp_container *reel_bp_model_container(const reel_bp_model *model, reel_viewer_uuid id)
{
    for (size_t i = 0; i < model->n_containers; i++)
        if (reel_viewer_uuid_equal(model->containers[i].id, id))
            return &model->containers[i];
    return NULL;
}

reel_status reel_viewer_view_placeholder_name(const char *origin, reel_buf *out)
{
    reel_buf_clear(out);
    size_t len = strlen(origin);
    if (len <= 1)
        return reel_buf_printf(out, "/");
    /* Parts from the end until the text exceeds 10 characters (§1.7). */
    size_t start = len;
    while (start > 0) {
        size_t slash = start - 1;
        while (slash > 0 && origin[slash] != '/')
            slash--;
        start = slash;
        if (len - start - 1 > 10)
            break;
    }
    if (start == 0)
        return reel_buf_printf(out, "%s", origin + 1);
    return reel_buf_printf(out, "…/%s", origin + start + 1);
}

/* ---------------------------------------------------------------- writing */

static bool keep_up_to_cursor(const reel_chunk *chunk, int64_t cursor)
{
    const reel_chunk_timeline *tl = reel_chunk_find_timeline(chunk, BLUEPRINT_TIMELINE);
    return chunk->is_static || tl == NULL || tl->min <= cursor;
}

typedef struct filter_ctx {
    reel_store *dst;
    int64_t cursor;
} filter_ctx;

static void insert_if_kept(void *vctx, const reel_chunk *chunk)
{
    filter_ctx *ctx = vctx;
    if (keep_up_to_cursor(chunk, ctx->cursor))
        (void)reel_store_insert(ctx->dst, (reel_chunk *)chunk, NULL);
}

/* Drops every edit after the cursor (the redo branch), as Rerun does on a new edit. */
static reel_status drop_redo_branch(reel_viewer_blueprint *bp, reel_error *err)
{
    reel_store *fresh = NULL;
    REEL_TRY(new_store(bp->viewer, &fresh, err));
    filter_ctx ctx = {fresh, bp->cursor};
    reel_store_for_each_chunk(bp->store, insert_if_kept, &ctx);
    reel_store_destroy(bp->store);
    bp->store = fresh;
    bp->max_time = bp->cursor;
    while (bp->points.len > 0 && REEL_VEC_AT(&bp->points, int64_t, bp->points.len - 1) > bp->cursor)
        bp->points.len--;
    return REEL_OK;
}

static reel_status open_edit(reel_viewer_blueprint *bp, reel_error *err)
{
    if (bp->edit_open)
        return REEL_OK;
    if (bp->cursor < bp->max_time)
        REEL_TRY(drop_redo_branch(bp, err));
    bp->max_time++;
    bp->cursor = bp->max_time;
    REEL_TRY(reel_vec_push(&bp->points, &bp->max_time));
    /* At most REEL_VIEWER_MAX_UNDO points, as Rerun: the oldest can no longer be undone to. */
    if (bp->points.len > REEL_VIEWER_MAX_UNDO) {
        size_t drop = bp->points.len - REEL_VIEWER_MAX_UNDO;
        memmove(bp->points.data, &REEL_VEC_AT(&bp->points, int64_t, drop),
                REEL_VIEWER_MAX_UNDO * sizeof(int64_t));
        bp->points.len = REEL_VIEWER_MAX_UNDO;
    }
    bp->edit_open = true;
    return REEL_OK;
}

static reel_status build_values(const bp_cell *cell, const reel_arrow_field *type,
                                reel_arrow_array *out, reel_error *err)
{
    reel_arrow_builder *b = NULL;
    REEL_TRY(reel_arrow_builder_create(type, NULL, &b, err));
    reel_status s = REEL_OK;
    switch (cell->kind) {
    case BPV_EMPTY:
        break;
    case BPV_STRING:
        s = reel_arrow_builder_append_bytes(b, cell->s, strlen(cell->s));
        break;
    case BPV_STRINGS:
        for (size_t i = 0; s == REEL_OK && i < cell->n; i++)
            s = reel_arrow_builder_append_bytes(b, cell->strs[i], strlen(cell->strs[i]));
        break;
    case BPV_UINT:
        s = reel_arrow_builder_append_uint(b, cell->u);
        break;
    case BPV_UINTS:
        for (size_t i = 0; s == REEL_OK && i < cell->n; i++)
            s = reel_arrow_builder_append_uint(b, cell->u64s[i]);
        break;
    case BPV_BOOL:
        s = reel_arrow_builder_append_bool(b, cell->b);
        break;
    case BPV_DOUBLE:
        s = reel_arrow_builder_append_double(b, cell->d);
        break;
    case BPV_FLOATS:
        for (size_t i = 0; s == REEL_OK && i < cell->n; i++)
            s = reel_arrow_builder_append_double(b, cell->f32s[i]);
        break;
    case BPV_UUID: {
        reel_arrow_builder *child = reel_arrow_builder_child(b, 0);
        for (int i = 0; s == REEL_OK && i < 16; i++)
            s = reel_arrow_builder_append_uint(child, cell->uuid.bytes[i]);
        if (s == REEL_OK)
            s = reel_arrow_builder_finish_element(b);
        break;
    }
    case BPV_RANGE:
        s = reel_arrow_builder_append_int(reel_arrow_builder_child(b, 0), cell->i0);
        if (s == REEL_OK)
            s = reel_arrow_builder_append_int(reel_arrow_builder_child(b, 1), cell->i1);
        if (s == REEL_OK)
            s = reel_arrow_builder_finish_element(b);
        break;
    case BPV_ARRAY:
        s = reel_arrow_builder_append_array(b, cell->array, 0, cell->array->length, err);
        break;
    case BPV_PROP:
        s = cell->prop->empty ? REEL_OK : reel__bp_append_prop(b, type, cell->prop);
        break;
    }
    if (s == REEL_OK)
        s = reel_arrow_builder_finish(b, out, err);
    else if (err != NULL && err->status == REEL_OK)
        reel_error_set(err, s, "viewer: cannot build the value of %s:%s", cell->archetype,
                       cell->field);
    reel_arrow_builder_destroy(b);
    return s;
}

static reel_status write_row(reel_viewer_blueprint *bp, const char *entity, const bp_cell *cells,
                             size_t n_cells, bool is_static, reel_error *err)
{
    reel_chunk_cell chunk_cells[16];
    reel_arrow_array arrays[16];
    char names[16][96];
    if (n_cells > 16)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: too many cells in one write");
    memset(arrays, 0, sizeof arrays);
    reel_status status = REEL_OK;
    size_t built = 0;
    for (; built < n_cells && status == REEL_OK; built++) {
        const bp_cell *cell = &cells[built];
        const reel_types_archetype *arch = reel_types_archetype_find(cell->archetype);
        const reel_types_field *field = arch ? reel_types_archetype_field(arch, cell->field) : NULL;
        const reel_arrow_field *type = NULL;
        if (field == NULL) {
            status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                    "viewer: blueprint write at %s: unknown field %s:%s", entity,
                                    cell->archetype, cell->field);
            break;
        }
        status = reel_types_component_arrow_field(field->type, &type, err);
        if (status == REEL_OK)
            status = build_values(cell, type, &arrays[built], err);
        if (status != REEL_OK)
            break;
        snprintf(names[built], sizeof names[built], "%s", field->component);
        chunk_cells[built] =
            (reel_chunk_cell){.descriptor = {.archetype = (char *)arch->name,
                                             .component = names[built],
                                             .component_type = (char *)field->type->name},
                              .field = type,
                              .values = &arrays[built],
                              .offset = 0,
                              .length = arrays[built].length};
    }
    reel_chunk_builder *builder = NULL;
    reel_chunk *chunk = NULL;
    if (status == REEL_OK)
        status = reel_chunk_builder_create(entity, &builder, err);
    if (status == REEL_OK) {
        reel_chunk_time time = {BLUEPRINT_TIMELINE, REEL_TIME_SEQUENCE, bp->cursor};
        status = reel_chunk_builder_add_row(builder, reel_tuid_new(), is_static ? NULL : &time,
                                            is_static ? 0 : 1, chunk_cells, (int32_t)n_cells, err);
    }
    if (status == REEL_OK)
        status = reel_chunk_builder_finish(builder, &chunk, err);
    if (status == REEL_OK)
        status = reel_store_insert(bp->store, chunk, err);
    reel_chunk_release(chunk);
    reel_chunk_builder_destroy(builder);
    for (size_t i = 0; i < 16; i++)
        reel_arrow_array_reset(&arrays[i]);
    bp->generation++;
    return status;
}

reel_status reel__bp_write(reel_viewer_blueprint *bp, const char *entity, const bp_cell *cells,
                           size_t n_cells, reel_error *err)
{
    REEL_TRY(open_edit(bp, err));
    return write_row(bp, entity, cells, n_cells, false, err);
}

reel_status reel__bp_clear(reel_viewer_blueprint *bp, const char *entity, reel_error *err)
{
    bp_cell cell = {"Clear", "is_recursive", BPV_BOOL, .b = true};
    return reel__bp_write(bp, entity, &cell, 1, err);
}

/* ---------------------------------------------------------------- undo / redo */

static size_t cursor_point(const reel_viewer_blueprint *bp)
{
    size_t i = 0;
    while (i + 1 < bp->points.len && REEL_VEC_AT(&bp->points, int64_t, i + 1) <= bp->cursor)
        i++;
    return i;
}

bool reel_bp_can_undo(const reel_viewer_blueprint *bp)
{
    return bp->points.len > 1 && cursor_point(bp) > 0;
}

bool reel_bp_can_redo(const reel_viewer_blueprint *bp)
{
    return bp->points.len > 0 && cursor_point(bp) + 1 < bp->points.len;
}

bool reel_bp_undo(reel_viewer_blueprint *bp)
{
    bp->edit_open = false;
    if (!reel_bp_can_undo(bp))
        return false;
    bp->cursor = REEL_VEC_AT(&bp->points, int64_t, cursor_point(bp) - 1);
    bp->generation++;
    return true;
}

bool reel_bp_redo(reel_viewer_blueprint *bp)
{
    bp->edit_open = false;
    if (!reel_bp_can_redo(bp))
        return false;
    bp->cursor = REEL_VEC_AT(&bp->points, int64_t, cursor_point(bp) + 1);
    bp->generation++;
    return true;
}

int64_t reel_bp_cursor(const reel_viewer_blueprint *bp)
{
    return bp->cursor;
}

int64_t reel_bp_max_time(const reel_viewer_blueprint *bp)
{
    return bp->max_time;
}

/* ---------------------------------------------------------------- .rbl */

typedef struct save_ctx {
    reel_rrd_writer *writer;
    const reel_store_id *id;
    int64_t cursor;
    reel_status status;
    reel_error *err;
} save_ctx;

static void save_chunk(void *vctx, const reel_chunk *chunk)
{
    save_ctx *ctx = vctx;
    if (ctx->status != REEL_OK || !keep_up_to_cursor(chunk, ctx->cursor))
        return;
    ctx->status = reel_rrd_writer_write_chunk(ctx->writer, ctx->id, chunk, ctx->err);
}

reel_status reel_bp_save_rbl(const reel_viewer_blueprint *bp, const char *path, reel_error *err)
{
    reel_rrd_writer_options options = {.name = path};
    reel_rrd_writer *writer = NULL;
    REEL_TRY(reel_rrd_writer_create_path(path, &options, &writer, err));
    reel_store_info info = {.store_id = bp->id, .source_kind = REEL_STORE_SOURCE_VIEWER};
    reel_status status = reel_rrd_writer_write_store_info(writer, &info, err);
    save_ctx ctx = {writer, &bp->id, bp->cursor, status, err};
    if (status == REEL_OK) {
        reel_store_for_each_chunk(bp->store, save_chunk, &ctx);
        status = ctx.status;
    }
    if (status == REEL_OK)
        status = reel_rrd_writer_write_blueprint_activation(writer, &bp->id, true, true, err);
    if (status == REEL_OK)
        status = reel_rrd_writer_finish(writer, err);
    reel_rrd_writer_destroy(writer);
    return status;
}

const char *reel_container_kind_name(reel_container_kind kind)
{
    switch (kind) {
    case REEL_CONTAINER_TABS:
        return "Tabs";
    case REEL_CONTAINER_HORIZONTAL:
        return "Horizontal";
    case REEL_CONTAINER_VERTICAL:
        return "Vertical";
    case REEL_CONTAINER_GRID:
        return "Grid";
    }
    return "Container";
}
