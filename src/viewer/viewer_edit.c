/* Blueprint edits (viewer-behavior.md §9.4): each is a function that appends rows to the
 * active blueprint at the edit group's blueprint time, with the archetypes and entity paths
 * Rerun writes. Tree changes re-save the containers they touch; removals write a recursive
 * Clear. Also the spawn heuristic and auto layout (§1.2, §1.8), which are edits too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "viewer/viewer_internal.h"

#define MAX_VIEWS_SPAWNED 8

/* ---------------------------------------------------------------- container writes */

/* A container as the edit functions hold it while changing the tree. */
typedef struct edit_container {
    reel_viewer_uuid id;
    reel_container_kind kind;
    reel_bp_child children[256];
    size_t n_children;
    int32_t active_tab;
    bool visible;
    uint32_t grid_columns;
    const char *display_name;
} edit_container;

static reel_status write_container(reel_viewer_blueprint *bp, const edit_container *c,
                                   reel_error *err)
{
    reel_buf path = {0}, names = {0};
    const char *strs[256];
    reel_status status = reel__bp_item_path(false, c->id, &path);
    size_t offsets[256];
    for (size_t i = 0; status == REEL_OK && i < c->n_children; i++) {
        reel_buf one = {0};
        offsets[i] = names.len;
        status = reel__bp_item_path(c->children[i].is_view, c->children[i].id, &one);
        if (status == REEL_OK)
            status = reel_buf_append(&names, one.data, one.len + 1);
        reel_buf_free(&one);
    }
    for (size_t i = 0; status == REEL_OK && i < c->n_children; i++)
        strs[i] = (const char *)names.data + offsets[i];
    bp_cell cells[6];
    size_t n = 0;
    cells[n++] = (bp_cell){"ContainerBlueprint", "container_kind", BPV_UINT, .u = c->kind};
    cells[n++] =
        (bp_cell){"ContainerBlueprint", "contents", BPV_STRINGS, .strs = strs, .n = c->n_children};
    cells[n++] = (bp_cell){"ContainerBlueprint", "visible", BPV_BOOL, .b = c->visible};
    if (c->kind == REEL_CONTAINER_TABS && c->n_children > 0) {
        int32_t tab =
            c->active_tab >= 0 && (size_t)c->active_tab < c->n_children ? c->active_tab : 0;
        cells[n++] = (bp_cell){"ContainerBlueprint", "active_tab", BPV_STRING, .s = strs[tab]};
    }
    if (c->grid_columns != 0)
        cells[n++] =
            (bp_cell){"ContainerBlueprint", "grid_columns", BPV_UINT, .u = c->grid_columns};
    if (c->display_name != NULL)
        cells[n++] =
            (bp_cell){"ContainerBlueprint", "display_name", BPV_STRING, .s = c->display_name};
    if (status == REEL_OK)
        status = reel__bp_write(bp, (const char *)path.data, cells, n, err);
    reel_buf_free(&path);
    reel_buf_free(&names);
    return status;
}

static void container_from_model(const reel_bp_container *m, edit_container *out)
{
    memset(out, 0, sizeof *out);
    out->id = m->id;
    out->kind = m->kind;
    out->n_children = m->n_children < 256 ? m->n_children : 256;
    if (out->n_children > 0)
        memcpy(out->children, m->children, out->n_children * sizeof(reel_bp_child));
    out->active_tab = m->active_tab;
    out->visible = m->visible;
    out->grid_columns = m->grid_columns;
    out->display_name = m->display_name;
}

static reel_status write_root(reel_viewer_blueprint *bp, reel_viewer_uuid root, reel_error *err)
{
    bp_cell cell = {"ViewportBlueprint", "root_container", BPV_UUID, .uuid = root};
    return reel__bp_write(bp, "/viewport", &cell, 1, err);
}

/* Any edit by the user switches the heuristics off ("mark user interaction", §1.1). */
static reel_status mark_user_interaction(reel_viewer_blueprint *bp, bool views_too, reel_error *err)
{
    bp_cell cells[2] = {{"ViewportBlueprint", "auto_layout", BPV_BOOL, .b = false},
                        {"ViewportBlueprint", "auto_views", BPV_BOOL, .b = false}};
    return reel__bp_write(bp, "/viewport", cells, views_too ? 2 : 1, err);
}

/* The parent of a child in the model, or NULL. */
static const reel_bp_container *find_parent(const reel_bp_model *m, reel_viewer_uuid child,
                                            size_t *index)
{
    for (size_t i = 0; i < m->n_containers; i++)
        for (size_t j = 0; j < m->containers[i].n_children; j++)
            if (reel_viewer_uuid_equal(m->containers[i].children[j].id, child)) {
                *index = j;
                return &m->containers[i];
            }
    return NULL;
}

/* Adds `child` to `parent` (or the root; a new Grid root when there is none). */
static reel_status attach(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_bp_child child,
                          const reel_viewer_uuid *parent, reel_error *err)
{
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    const reel_bp_container *target = NULL;
    if (parent != NULL)
        target = reel_bp_model_container(m, *parent);
    if (target == NULL && m->has_root)
        target = reel_bp_model_container(m, m->root_container);
    edit_container c;
    if (target == NULL) {
        memset(&c, 0, sizeof c);
        c.id = reel__viewer_new_uuid(viewer);
        c.kind = REEL_CONTAINER_GRID;
        c.visible = true;
        c.active_tab = -1;
        c.children[c.n_children++] = child;
        REEL_TRY(write_container(bp, &c, err));
        return write_root(bp, c.id, err);
    }
    container_from_model(target, &c);
    if (c.n_children >= 256)
        return reel_error_set(err, REEL_LIMIT, "viewer: container is full (256 children)");
    c.children[c.n_children++] = child;
    return write_container(bp, &c, err);
}

static reel_status write_view(reel_viewer_blueprint *bp, reel_viewer_uuid id, const char *cls,
                              const char *origin, const char *const *query, size_t n_query,
                              reel_error *err)
{
    reel_buf path = {0}, sub = {0};
    reel_status status = reel__bp_item_path(true, id, &path);
    if (status == REEL_OK) {
        bp_cell cells[3] = {{"ViewBlueprint", "class_identifier", BPV_STRING, .s = cls},
                            {"ViewBlueprint", "space_origin", BPV_STRING, .s = origin},
                            {"ViewBlueprint", "visible", BPV_BOOL, .b = true}};
        status = reel__bp_write(bp, (const char *)path.data, cells, 3, err);
    }
    if (status == REEL_OK)
        status = reel_buf_printf(&sub, "%s/ViewContents", (const char *)path.data);
    if (status == REEL_OK)
        status = reel_buf_append_u8(&sub, 0);
    if (status == REEL_OK) {
        static const char *const default_query[] = {"$origin/**"};
        bp_cell cell = {"ViewContents", "query", BPV_STRINGS,
                        .strs = query != NULL ? query : default_query,
                        .n = query != NULL ? n_query : 1};
        status = reel__bp_write(bp, (const char *)sub.data, &cell, 1, err);
    }
    reel_buf_free(&path);
    reel_buf_free(&sub);
    return status;
}

/* ---------------------------------------------------------------- public edits */

reel_status reel_bp_add_view(reel_viewer *viewer, reel_viewer_blueprint *bp,
                             const char *class_identifier, const char *origin,
                             const char *const *query, size_t n_query,
                             const reel_viewer_uuid *parent, reel_viewer_uuid *out_id,
                             reel_error *err)
{
    reel_viewer_uuid id = reel__viewer_new_uuid(viewer);
    REEL_TRY(
        write_view(bp, id, class_identifier, origin != NULL ? origin : "/", query, n_query, err));
    REEL_TRY(attach(viewer, bp, (reel_bp_child){true, id}, parent, err));
    REEL_TRY(mark_user_interaction(bp, true, err));
    if (out_id != NULL)
        *out_id = id;
    return REEL_OK;
}

reel_status reel_bp_add_container(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                  reel_container_kind kind, const reel_viewer_uuid *parent,
                                  reel_viewer_uuid *out_id, reel_error *err)
{
    edit_container c;
    memset(&c, 0, sizeof c);
    c.id = reel__viewer_new_uuid(viewer);
    c.kind = kind;
    c.visible = true;
    c.active_tab = -1;
    REEL_TRY(write_container(bp, &c, err));
    REEL_TRY(attach(viewer, bp, (reel_bp_child){false, c.id}, parent, err));
    REEL_TRY(mark_user_interaction(bp, true, err));
    if (out_id != NULL)
        *out_id = c.id;
    return REEL_OK;
}

static reel_status clear_subtree(reel_viewer_blueprint *bp, const reel_bp_model *m,
                                 reel_bp_child item, int depth, reel_error *err)
{
    if (depth > 64)
        return REEL_OK;
    if (!item.is_view) {
        const reel_bp_container *c = reel_bp_model_container(m, item.id);
        for (size_t i = 0; c != NULL && i < c->n_children; i++)
            REEL_TRY(clear_subtree(bp, m, c->children[i], depth + 1, err));
    }
    reel_buf path = {0};
    reel_status status = reel__bp_item_path(item.is_view, item.id, &path);
    if (status == REEL_OK)
        status = reel__bp_clear(bp, (const char *)path.data, err);
    reel_buf_free(&path);
    return status;
}

reel_status reel_bp_remove(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                           reel_error *err)
{
    (void)viewer;
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    bool is_view = reel_bp_model_view(m, id) != NULL;
    if (!is_view && reel_bp_model_container(m, id) == NULL)
        return reel_error_set(err, REEL_NOT_FOUND, "viewer: no view or container to remove");
    size_t index = 0;
    const reel_bp_container *parent = find_parent(m, id, &index);
    edit_container c;
    if (parent != NULL) {
        container_from_model(parent, &c);
        memmove(&c.children[index], &c.children[index + 1],
                (c.n_children - index - 1) * sizeof(reel_bp_child));
        c.n_children--;
        if (c.active_tab >= (int32_t)c.n_children)
            c.active_tab = (int32_t)c.n_children - 1;
    }
    /* Clear first (it reads the model), then re-save the parent. */
    REEL_TRY(clear_subtree(bp, m, (reel_bp_child){is_view, id}, 0, err));
    if (parent != NULL)
        REEL_TRY(write_container(bp, &c, err));
    return mark_user_interaction(bp, true, err);
}

reel_status reel_bp_set_visible(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                                bool visible, reel_error *err)
{
    (void)viewer;
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    bool is_view = reel_bp_model_view(m, id) != NULL;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(is_view, id, &path));
    bp_cell cell = {is_view ? "ViewBlueprint" : "ContainerBlueprint", "visible", BPV_BOOL,
                    .b = visible};
    reel_status status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    REEL_TRY(status);
    return mark_user_interaction(bp, false, err);
}

reel_status reel_bp_rename(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                           const char *name, reel_error *err)
{
    (void)viewer;
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    bool is_view = reel_bp_model_view(m, id) != NULL;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(is_view, id, &path));
    bool clear = name == NULL || name[0] == '\0';
    bp_cell cell = {is_view ? "ViewBlueprint" : "ContainerBlueprint", "display_name",
                    clear ? BPV_EMPTY : BPV_STRING, .s = name};
    reel_status status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

reel_status reel_bp_set_view_origin(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                    reel_viewer_uuid view, const char *origin, reel_error *err)
{
    (void)viewer;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(true, view, &path));
    bp_cell cell = {"ViewBlueprint", "space_origin", BPV_STRING, .s = origin};
    reel_status status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

reel_status reel_bp_set_view_query(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                   reel_viewer_uuid view, const char *const *query, size_t n,
                                   reel_error *err)
{
    (void)viewer;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(true, view, &path));
    reel_status status = reel_buf_printf(&path, "/ViewContents");
    if (status == REEL_OK)
        status = reel_buf_append_u8(&path, 0);
    bp_cell cell = {"ViewContents", "query", BPV_STRINGS, .strs = query, .n = n};
    if (status == REEL_OK)
        status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

static reel_status edit_container_by_id(reel_viewer_blueprint *bp, reel_viewer_uuid id,
                                        edit_container *out, reel_error *err)
{
    const reel_bp_container *c = reel_bp_model_container(reel_viewer_blueprint_model(bp), id);
    if (c == NULL)
        return reel_error_set(err, REEL_NOT_FOUND, "viewer: no such container in the blueprint");
    container_from_model(c, out);
    return REEL_OK;
}

reel_status reel_bp_set_container_kind(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                       reel_viewer_uuid container, reel_container_kind kind,
                                       reel_error *err)
{
    (void)viewer;
    edit_container c;
    REEL_TRY(edit_container_by_id(bp, container, &c, err));
    c.kind = kind;
    REEL_TRY(write_container(bp, &c, err));
    return mark_user_interaction(bp, false, err);
}

reel_status reel_bp_move(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid child,
                         reel_viewer_uuid new_parent, size_t index, reel_error *err)
{
    (void)viewer;
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    bool is_view = reel_bp_model_view(m, child) != NULL;
    size_t old_index = 0;
    const reel_bp_container *old_parent = find_parent(m, child, &old_index);
    edit_container from, to;
    REEL_TRY(edit_container_by_id(bp, new_parent, &to, err));
    if (old_parent != NULL && reel_viewer_uuid_equal(old_parent->id, new_parent)) {
        memmove(&to.children[old_index], &to.children[old_index + 1],
                (to.n_children - old_index - 1) * sizeof(reel_bp_child));
        to.n_children--;
    } else if (old_parent != NULL) {
        container_from_model(old_parent, &from);
        memmove(&from.children[old_index], &from.children[old_index + 1],
                (from.n_children - old_index - 1) * sizeof(reel_bp_child));
        from.n_children--;
        REEL_TRY(write_container(bp, &from, err));
    }
    if (to.n_children >= 256)
        return reel_error_set(err, REEL_LIMIT, "viewer: container is full (256 children)");
    if (index > to.n_children)
        index = to.n_children;
    memmove(&to.children[index + 1], &to.children[index],
            (to.n_children - index) * sizeof(reel_bp_child));
    to.children[index] = (reel_bp_child){is_view, child};
    to.n_children++;
    REEL_TRY(write_container(bp, &to, err));
    return mark_user_interaction(bp, false, err);
}

reel_status reel_bp_set_shares(reel_viewer *viewer, reel_viewer_blueprint *bp,
                               reel_viewer_uuid container, const float *col_shares, size_t n_col,
                               const float *row_shares, size_t n_row, reel_error *err)
{
    (void)viewer;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(false, container, &path));
    bp_cell cells[2] = {
        {"ContainerBlueprint", "col_shares", BPV_FLOATS, .f32s = col_shares, .n = n_col},
        {"ContainerBlueprint", "row_shares", BPV_FLOATS, .f32s = row_shares, .n = n_row}};
    reel_status status = reel__bp_write(bp, (const char *)path.data, cells, 2, err);
    reel_buf_free(&path);
    REEL_TRY(status);
    return mark_user_interaction(bp, false, err);
}

reel_status reel_bp_set_active_tab(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                   reel_viewer_uuid container, size_t index, reel_error *err)
{
    (void)viewer;
    edit_container c;
    REEL_TRY(edit_container_by_id(bp, container, &c, err));
    if (index >= c.n_children)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: tab %zu of %zu", index,
                              c.n_children);
    c.active_tab = (int32_t)index;
    REEL_TRY(write_container(bp, &c, err));
    return mark_user_interaction(bp, false, err);
}

reel_status reel_bp_set_grid_columns(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                     reel_viewer_uuid container, uint32_t columns, reel_error *err)
{
    (void)viewer;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(false, container, &path));
    bp_cell cell = {"ContainerBlueprint", "grid_columns", columns ? BPV_UINT : BPV_EMPTY,
                    .u = columns};
    reel_status status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

reel_status reel_bp_set_maximized(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                  const reel_viewer_uuid *view, reel_error *err)
{
    (void)viewer;
    bp_cell cell = {"ViewportBlueprint", "maximized", view ? BPV_UUID : BPV_EMPTY, .s = NULL};
    if (view != NULL)
        cell.uuid = *view;
    return reel__bp_write(bp, "/viewport", &cell, 1, err);
}

reel_status reel_bp_set_panel_state(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                    const char *panel, uint8_t state, reel_error *err)
{
    (void)viewer;
    bool time = strcmp(panel, "time_panel") == 0;
    bp_cell cell = {time ? "TimePanelBlueprint" : "PanelBlueprint", "state", BPV_UINT, .u = state};
    reel_buf path = {0};
    REEL_TRY(reel_buf_printf(&path, "/%s", panel));
    REEL_TRY(reel_buf_append_u8(&path, 0));
    reel_status status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

reel_status reel_bp_set_view_property(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                      reel_viewer_uuid view, const char *archetype_short,
                                      const char *field, const reel_arrow_array *values,
                                      reel_error *err)
{
    (void)viewer;
    reel_buf path = {0};
    REEL_TRY(reel__bp_item_path(true, view, &path));
    reel_status status = reel_buf_printf(&path, "/%s", archetype_short);
    if (status == REEL_OK)
        status = reel_buf_append_u8(&path, 0);
    bp_cell cell = {archetype_short, field, values ? BPV_ARRAY : BPV_EMPTY, .array = values};
    if (status == REEL_OK)
        status = reel__bp_write(bp, (const char *)path.data, &cell, 1, err);
    reel_buf_free(&path);
    return status;
}

/* ---------------------------------------------------------------- auto layout (§1.8) */

uint32_t reel_viewer_grid_auto_columns(size_t n_visible, float width, float height, float gap)
{
    if (n_visible == 0)
        return 0;
    uint32_t best = 1;
    double best_loss = 0;
    bool have = false;
    for (size_t cols = 1; cols <= n_visible; cols++) {
        if (n_visible >= 4 && cols == n_visible - 1)
            continue; /* no lone orphan row */
        size_t rows = (n_visible + cols - 1) / cols;
        double cell_w = ((double)width - (double)gap * (double)(cols - 1)) / (double)cols;
        double cell_h = ((double)height - (double)gap * (double)(rows - 1)) / (double)rows;
        double aspect = cell_h > 0 ? cell_w / cell_h : 1e9;
        double loss =
            fabs(4.0 / 3.0 - aspect) * (double)n_visible + 2.0 * (double)(rows * cols - n_visible);
        if (!have || loss < best_loss) {
            best = (uint32_t)cols;
            best_loss = loss;
            have = true;
        }
    }
    return best;
}

typedef struct layout_view {
    const reel_bp_view *view;
    const reel_view_class *cls;
} layout_view;

static int compare_layout(const void *pa, const void *pb)
{
    const reel_bp_view *a = ((const layout_view *)pa)->view;
    const reel_bp_view *b = ((const layout_view *)pb)->view;
    int c = strcmp(a->space_origin, b->space_origin);
    if (c != 0)
        return c;
    c = strcmp(a->display_name ? a->display_name : "", b->display_name ? b->display_name : "");
    if (c != 0)
        return c;
    return memcmp(a->id.bytes, b->id.bytes, 16);
}

static int priority_of(const layout_view *v)
{
    return v->cls != NULL ? (int)v->cls->priority : (int)REEL_VIEW_PRIORITY_LOW;
}

/* Wraps a view in its own Tabs container (all_panes_must_have_tabs) and writes it. */
static reel_status tabs_for(reel_viewer *viewer, reel_viewer_blueprint *bp, const layout_view *v,
                            reel_bp_child *out, reel_error *err)
{
    edit_container t;
    memset(&t, 0, sizeof t);
    t.id = reel__viewer_new_uuid(viewer);
    t.kind = REEL_CONTAINER_TABS;
    t.visible = true;
    t.children[t.n_children++] = (reel_bp_child){true, v->view->id};
    REEL_TRY(write_container(bp, &t, err));
    *out = (reel_bp_child){false, t.id};
    return REEL_OK;
}

static reel_status write_new(reel_viewer *viewer, reel_viewer_blueprint *bp, edit_container *c,
                             reel_container_kind kind, reel_bp_child *out, reel_error *err)
{
    c->id = reel__viewer_new_uuid(viewer);
    c->kind = kind;
    c->visible = true;
    c->active_tab = kind == REEL_CONTAINER_TABS ? 0 : -1;
    REEL_TRY(write_container(bp, c, err));
    *out = (reel_bp_child){false, c->id};
    return REEL_OK;
}

static reel_status auto_layout(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_error *err)
{
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    size_t n = m->n_views;
    if (n == 0)
        return REEL_OK;
    /* Old containers are cleared (their ids are not reused). */
    reel_viewer_uuid old[512];
    size_t n_old = 0;
    for (size_t i = 0; i < m->n_containers && n_old < 512; i++)
        old[n_old++] = m->containers[i].id;
    layout_view *views = calloc(n, sizeof *views);
    if (views == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    for (size_t i = 0; i < n; i++)
        views[i] = (layout_view){&m->views[i], reel_view_class_find(m->views[i].class_identifier)};
    qsort(views, n, sizeof *views, compare_layout);
    /* The model's arrays stay valid until the next write; copy what the writes need. */
    reel_bp_child root = {0};
    reel_status status = REEL_OK;
    edit_container c;
    memset(&c, 0, sizeof c);
    if (n == 1) {
        status = tabs_for(viewer, bp, &views[0], &root, err);
    } else if (n == 3) {
        layout_view sorted[3] = {views[0], views[1], views[2]};
        for (int i = 1; i < 3; i++)
            for (int j = i; j > 0 && priority_of(&sorted[j]) > priority_of(&sorted[j - 1]); j--) {
                layout_view t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        edit_container inner;
        memset(&inner, 0, sizeof inner);
        reel_bp_child a = {0}, b = {0}, d = {0}, inner_child = {0};
        status = tabs_for(viewer, bp, &sorted[0], &a, err);
        if (status == REEL_OK)
            status = tabs_for(viewer, bp, &sorted[1], &b, err);
        if (status == REEL_OK)
            status = tabs_for(viewer, bp, &sorted[2], &d, err);
        inner.children[0] = b;
        inner.children[1] = d;
        inner.n_children = 2;
        if (status == REEL_OK)
            status = write_new(viewer, bp, &inner, REEL_CONTAINER_GRID, &inner_child, err);
        c.children[0] = a;
        c.children[1] = inner_child;
        c.n_children = 2;
        if (status == REEL_OK)
            status = write_new(viewer, bp, &c, REEL_CONTAINER_GRID, &root, err);
    } else if (n <= 12) {
        for (size_t i = 0; status == REEL_OK && i < n; i++)
            status = tabs_for(viewer, bp, &views[i], &c.children[c.n_children++], err);
        if (status == REEL_OK)
            status = write_new(viewer, bp, &c, REEL_CONTAINER_GRID, &root, err);
    } else {
        /* One Tabs container per class, High priority first (stable). */
        const reel_view_class *classes[32];
        const char *class_ids[32];
        int priorities[32];
        size_t n_classes = 0;
        for (size_t i = 0; i < n && n_classes < 32; i++) {
            bool seen = false;
            for (size_t k = 0; k < n_classes; k++)
                seen |= strcmp(class_ids[k], views[i].view->class_identifier) == 0;
            if (!seen) {
                classes[n_classes] = views[i].cls;
                class_ids[n_classes] = views[i].view->class_identifier;
                priorities[n_classes] = priority_of(&views[i]);
                n_classes++;
            }
        }
        (void)classes;
        /* Groups in class identifier order (Rerun's BTreeMap), then stably by priority. */
        for (size_t i = 1; i < n_classes; i++)
            for (size_t j = i; j > 0 && strcmp(class_ids[j], class_ids[j - 1]) < 0; j--) {
                const char *t = class_ids[j];
                class_ids[j] = class_ids[j - 1];
                class_ids[j - 1] = t;
                int tp = priorities[j];
                priorities[j] = priorities[j - 1];
                priorities[j - 1] = tp;
            }
        for (int p = REEL_VIEW_PRIORITY_HIGH; status == REEL_OK && p >= 0; p--) {
            for (size_t k = 0; status == REEL_OK && k < n_classes; k++) {
                if (priorities[k] != p)
                    continue;
                edit_container tabs;
                memset(&tabs, 0, sizeof tabs);
                for (size_t i = 0; i < n && tabs.n_children < 256; i++)
                    if (strcmp(views[i].view->class_identifier, class_ids[k]) == 0)
                        tabs.children[tabs.n_children++] = (reel_bp_child){true, views[i].view->id};
                status = write_new(viewer, bp, &tabs, REEL_CONTAINER_TABS,
                                   &c.children[c.n_children++], err);
            }
        }
        if (status == REEL_OK && c.n_children == 1)
            root = c.children[0];
        else if (status == REEL_OK)
            status = write_new(viewer, bp, &c, REEL_CONTAINER_GRID, &root, err);
    }
    free(views);
    if (status == REEL_OK)
        status = write_root(bp, root.id, err);
    reel_buf path = {0};
    for (size_t i = 0; status == REEL_OK && i < n_old; i++) {
        status = reel__bp_item_path(false, old[i], &path);
        if (status == REEL_OK)
            status = reel__bp_clear(bp, (const char *)path.data, err);
    }
    reel_buf_free(&path);
    return status;
}

/* ---------------------------------------------------------------- spawn heuristic (§1.2) */

static uint64_t recommendation_hash(const char *cls, const reel_view_recommendation *r)
{
    uint64_t h = reel_hash_bytes(cls, strlen(cls), 0x5eed);
    h = reel_hash_bytes(r->origin, strlen(r->origin), h);
    for (size_t i = 0; i < r->filter.count; i++) {
        const reel_view_rule *rule = &r->filter.rules[i];
        uint8_t flags = (uint8_t)(rule->include | rule->subtree << 1);
        h = reel_hash_bytes(&flags, 1, h);
        h = reel_hash_bytes(rule->path, strlen(rule->path), h);
    }
    return h;
}

static bool hash_known(const reel_bp_model *m, const reel_vec *fresh, uint64_t h)
{
    for (size_t i = 0; i < m->n_past_recommendations; i++)
        if (m->past_recommendations[i] == h)
            return true;
    for (size_t i = 0; i < fresh->len; i++)
        if (REEL_VEC_AT(fresh, uint64_t, i) == h)
            return true;
    return false;
}

/* A view to add, decided before any write (writes invalidate the model). */
typedef struct spawn {
    const char *cls;
    char *origin;
    reel_buf query; /* NUL-separated expressions */
    size_t n_query;
} spawn;

static reel_status plan_class(const reel_viewer_recording *rec, const reel_bp_model *m,
                              const reel_view_class *cls, reel_vec *hashes, reel_vec *spawns,
                              reel_error *err)
{
    reel_view_recommendations recs = {0};
    REEL_TRY(cls->recommend(rec, &recs, err));
    size_t existing = 0;
    for (size_t i = 0; i < m->n_views; i++)
        existing += strcmp(m->views[i].class_identifier, cls->identifier) == 0;
    size_t keep = existing >= MAX_VIEWS_SPAWNED ? 0 : MAX_VIEWS_SPAWNED - existing;
    if (recs.count > keep)
        for (size_t i = keep; i < recs.count; i++) {
            free(recs.items[i].origin);
            reel_view_filter_reset(&recs.items[i].filter);
        }
    if (recs.count > keep)
        recs.count = keep;
    bool *dropped = calloc(recs.count + 1, sizeof(bool));
    reel_status status = dropped ? REEL_OK : REEL_OUT_OF_MEMORY;
    /* 3: at most once per recommendation. */
    for (size_t i = 0; status == REEL_OK && i < recs.count; i++) {
        uint64_t h = recommendation_hash(cls->identifier, &recs.items[i]);
        if (hash_known(m, hashes, h))
            dropped[i] = true;
        else
            status = reel_vec_push(hashes, &h);
    }
    /* 4: an existing view of the class already covers it. */
    for (size_t v = 0; status == REEL_OK && v < m->n_views; v++) {
        const reel_bp_view *view = &m->views[v];
        if (strcmp(view->class_identifier, cls->identifier) != 0)
            continue;
        reel_view_filter f = {0};
        if (reel_view_filter_parse(view->query, view->n_query, view->space_origin, &f, NULL) !=
            REEL_OK)
            continue;
        for (size_t i = 0; i < recs.count; i++)
            if (!dropped[i] && reel_view_filter_is_superset(&f, &recs.items[i].filter))
                dropped[i] = true;
        reel_view_filter_reset(&f);
    }
    /* 5: another remaining recommendation covers it (judged against every survivor of 4, so
     * two identical recommendations drop each other, as in viewport_blueprint.rs). */
    bool *redundant = status == REEL_OK ? calloc(recs.count + 1, sizeof(bool)) : NULL;
    if (status == REEL_OK && redundant == NULL)
        status = REEL_OUT_OF_MEMORY;
    for (size_t i = 0; status == REEL_OK && i < recs.count; i++)
        for (size_t j = 0; !dropped[i] && j < recs.count; j++)
            if (i != j && !dropped[j] &&
                reel_view_filter_is_superset(&recs.items[j].filter, &recs.items[i].filter))
                redundant[i] = true;
    for (size_t i = 0; status == REEL_OK && i < recs.count; i++)
        dropped[i] |= redundant[i];
    free(redundant);
    for (size_t i = 0; status == REEL_OK && i < recs.count; i++) {
        if (dropped[i])
            continue;
        spawn s = {.cls = cls->identifier, .origin = strdup(recs.items[i].origin)};
        status = s.origin ? reel_view_filter_format(&recs.items[i].filter, s.origin, &s.query,
                                                    &s.n_query)
                          : REEL_OUT_OF_MEMORY;
        if (status == REEL_OK)
            status = reel_vec_push(spawns, &s);
        if (status != REEL_OK) {
            free(s.origin);
            reel_buf_free(&s.query);
        }
    }
    free(dropped);
    reel_view_recommendations_reset(&recs);
    if (status != REEL_OK && err != NULL && err->status == REEL_OK)
        reel_error_set(err, status, "viewer: heuristic for %s", cls->identifier);
    return status;
}

static void free_spawns(reel_vec *spawns)
{
    for (size_t i = 0; i < spawns->len; i++) {
        spawn *s = &REEL_VEC_AT(spawns, spawn, i);
        free(s->origin);
        reel_buf_free(&s->query);
    }
    reel_vec_free(spawns);
}

size_t reel_viewer_run_heuristics(reel_viewer *viewer, reel_viewer_recording *rec)
{
    reel_viewer_blueprint *bp = reel_viewer_blueprint_for_app(viewer, rec->id.application_id);
    if (bp == NULL)
        return 0;
    /* Rerun re-runs the spawn heuristic every frame; its answer only changes when the
     * recording's structure or the blueprint does, so skip the frames where neither did. */
    if (rec->heuristic_bp == bp && rec->heuristic_bp_generation == bp->generation &&
        rec->heuristic_structure == rec->structure_generation)
        return 0;
    rec->heuristic_bp = bp;
    rec->heuristic_structure = rec->structure_generation;
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    if (!m->auto_views) {
        rec->heuristic_bp_generation = bp->generation;
        return 0;
    }
    bool layout = m->auto_layout;
    reel_vec hashes, spawns;
    reel_vec_init(&hashes, sizeof(uint64_t), viewer->alloc);
    reel_vec_init(&spawns, sizeof(spawn), viewer->alloc);
    reel_status status = REEL_OK;
    for (size_t c = 0; status == REEL_OK && c < reel_view_class_count(); c++)
        status = plan_class(rec, m, reel_view_class_at(c), &hashes, &spawns, NULL);
    size_t added = 0;
    if (status == REEL_OK && hashes.len > 0) {
        /* All past hashes plus the new ones (the model is about to be invalidated). */
        size_t total = m->n_past_recommendations + hashes.len;
        uint64_t *all = malloc(total * sizeof(uint64_t));
        if (all != NULL) {
            if (m->n_past_recommendations > 0)
                memcpy(all, m->past_recommendations, m->n_past_recommendations * sizeof(uint64_t));
            memcpy(all + m->n_past_recommendations, hashes.data, hashes.len * sizeof(uint64_t));
            bp_cell cell = {"ViewportBlueprint", "past_viewer_recommendations", BPV_UINTS,
                            .u64s = all, .n = total};
            status = reel__bp_write(bp, "/viewport", &cell, 1, NULL);
            free(all);
        }
    }
    for (size_t i = 0; status == REEL_OK && i < spawns.len; i++) {
        spawn *s = &REEL_VEC_AT(&spawns, spawn, i);
        const char *query[64];
        size_t n_query = 0;
        for (size_t off = 0; off < s->query.len && n_query < 64;) {
            query[n_query++] = (const char *)s->query.data + off;
            off += strlen((const char *)s->query.data + off) + 1;
        }
        reel_viewer_uuid id = reel__viewer_new_uuid(viewer);
        status = write_view(bp, id, s->cls, s->origin, query, n_query, NULL);
        if (status == REEL_OK && !layout)
            status = attach(viewer, bp, (reel_bp_child){true, id}, NULL, NULL);
        added += status == REEL_OK;
    }
    if (status == REEL_OK && added > 0 && layout)
        status = auto_layout(viewer, bp, NULL);
    if (status != REEL_OK)
        reel_log(REEL_LOG_WARN, "viewer", "spawn heuristic failed: %s", reel_status_name(status));
    /* Not re-run for our own writes: a second pass would find every hash known. */
    rec->heuristic_bp_generation = bp->generation;
    free_spawns(&spawns);
    reel_vec_free(&hashes);
    return added;
}

/* ---------------------------------------------------------------- view properties as numbers */

typedef struct prop_cursor {
    size_t n_i, n_f, n_s;
} prop_cursor;

static bool is_int_type(reel_arrow_type t)
{
    return t >= REEL_ARROW_INT8 && t <= REEL_ARROW_INT64;
}

static bool is_uint_type(reel_arrow_type t)
{
    return t >= REEL_ARROW_UINT8 && t <= REEL_ARROW_UINT64;
}

static bool is_float_type(reel_arrow_type t)
{
    return t >= REEL_ARROW_FLOAT16 && t <= REEL_ARROW_FLOAT64;
}

static int32_t union_child_of_code(const reel_arrow_field *type, int64_t code)
{
    for (int32_t c = 0; c < type->n_children; c++)
        if (type->union_type_codes != NULL && type->union_type_codes[c] == code)
            return c;
    return -1;
}

static reel_status append_flat(reel_arrow_builder *b, const reel_arrow_field *type,
                               const reel_bp_prop *prop, prop_cursor *at)
{
    reel_status s = REEL_OK;
    if (type->type == REEL_ARROW_FIXED_SIZE_LIST && type->n_children == 1) {
        for (int32_t k = 0; s == REEL_OK && k < type->fixed_size; k++)
            s = append_flat(reel_arrow_builder_child(b, 0), &type->children[0], prop, at);
        return s == REEL_OK ? reel_arrow_builder_finish_element(b) : s;
    }
    if (type->type == REEL_ARROW_STRUCT) {
        for (int32_t c = 0; s == REEL_OK && c < type->n_children; c++)
            s = append_flat(reel_arrow_builder_child(b, c), &type->children[c], prop, at);
        return s == REEL_OK ? reel_arrow_builder_finish_element(b) : s;
    }
    if (type->type == REEL_ARROW_DENSE_UNION) {
        if (at->n_i + 2 > REEL_BP_PROP_MAX)
            return REEL_INVALID_ARGUMENT;
        int64_t code = prop->i[at->n_i++], value = prop->i[at->n_i++];
        int32_t c = union_child_of_code(type, code);
        if (c < 0)
            return REEL_INVALID_ARGUMENT;
        reel_arrow_builder *child = reel_arrow_builder_child(b, c);
        const reel_arrow_field *ct = &type->children[c];
        if (ct->type == REEL_ARROW_NULL_TYPE)
            s = reel_arrow_builder_append_null(child, 1);
        else if (is_int_type(ct->type))
            s = reel_arrow_builder_append_int(child, value);
        else
            return REEL_INVALID_ARGUMENT;
        return s == REEL_OK ? reel_arrow_builder_append_union(b, (int8_t)code) : s;
    }
    if (is_float_type(type->type)) {
        if (at->n_f >= REEL_BP_PROP_MAX)
            return REEL_INVALID_ARGUMENT;
        return reel_arrow_builder_append_double(b, prop->f[at->n_f++]);
    }
    if (type->type == REEL_ARROW_UTF8 || type->type == REEL_ARROW_LARGE_UTF8) {
        if (at->n_s++ > 0)
            return REEL_INVALID_ARGUMENT;
        return reel_arrow_builder_append_bytes(b, prop->s, strnlen(prop->s, sizeof prop->s));
    }
    if (at->n_i >= REEL_BP_PROP_MAX)
        return REEL_INVALID_ARGUMENT;
    int64_t v = prop->i[at->n_i++];
    if (type->type == REEL_ARROW_BOOL)
        return reel_arrow_builder_append_bool(b, v != 0);
    if (is_int_type(type->type))
        return reel_arrow_builder_append_int(b, v);
    if (is_uint_type(type->type))
        return reel_arrow_builder_append_uint(b, (uint64_t)v);
    return REEL_INVALID_ARGUMENT;
}

reel_status reel__bp_append_prop(reel_arrow_builder *b, const reel_arrow_field *type,
                                 const reel_bp_prop *prop)
{
    prop_cursor at = {0, 0, 0};
    reel_status s = REEL_OK;
    for (uint32_t k = 0; s == REEL_OK && k < (prop->n_instances ? prop->n_instances : 1); k++)
        s = append_flat(b, type, prop, &at);
    return s;
}

/* Reads element `i` of (type, array) into prop, leaf by leaf; false on a null or a type that is
 * not made of numbers. */
static bool read_flat(const reel_arrow_field *type, const reel_arrow_array *array, int64_t i,
                      reel_bp_prop *prop, prop_cursor *at)
{
    if (reel_arrow_array_is_null(type, array, i) && type->type != REEL_ARROW_DENSE_UNION)
        return false;
    if (type->type == REEL_ARROW_FIXED_SIZE_LIST && type->n_children == 1) {
        int64_t start = 0, end = 0;
        reel_arrow_array_get_list_range(type, array, i, &start, &end);
        for (int64_t k = start; k < end; k++)
            if (!read_flat(&type->children[0], &array->children[0], k, prop, at))
                return false;
        return true;
    }
    if (type->type == REEL_ARROW_STRUCT) {
        for (int32_t c = 0; c < type->n_children; c++)
            if (!read_flat(&type->children[c], &array->children[c], i, prop, at))
                return false;
        return true;
    }
    if (type->type == REEL_ARROW_DENSE_UNION) {
        if (at->n_i + 2 > REEL_BP_PROP_MAX)
            return false;
        int32_t c = 0;
        int64_t ci = 0;
        reel_arrow_array_get_union(type, array, i, &c, &ci);
        if (c < 0 || c >= type->n_children || type->union_type_codes == NULL)
            return false;
        const reel_arrow_field *ct = &type->children[c];
        int64_t value = 0;
        if (is_int_type(ct->type) && !reel_arrow_array_is_null(ct, &array->children[c], ci))
            value = reel_arrow_array_get_int(ct, &array->children[c], ci);
        else if (ct->type != REEL_ARROW_NULL_TYPE)
            return false;
        prop->i[at->n_i++] = type->union_type_codes[c];
        prop->i[at->n_i++] = value;
        return true;
    }
    if (is_float_type(type->type)) {
        if (at->n_f >= REEL_BP_PROP_MAX)
            return false;
        prop->f[at->n_f++] = reel_arrow_array_get_double(type, array, i);
        return true;
    }
    if (type->type == REEL_ARROW_UTF8 || type->type == REEL_ARROW_LARGE_UTF8) {
        if (at->n_s++ > 0)
            return false;
        reel_span text = reel_arrow_array_get_bytes(type, array, i);
        size_t len = text.len < sizeof prop->s - 1 ? text.len : sizeof prop->s - 1;
        memcpy(prop->s, text.data, len);
        prop->s[len] = 0;
        return true;
    }
    if (at->n_i >= REEL_BP_PROP_MAX)
        return false;
    if (type->type == REEL_ARROW_BOOL)
        prop->i[at->n_i++] = reel_arrow_array_get_bool(array, i);
    else if (is_int_type(type->type))
        prop->i[at->n_i++] = reel_arrow_array_get_int(type, array, i);
    else if (is_uint_type(type->type))
        prop->i[at->n_i++] = (int64_t)reel_arrow_array_get_uint(type, array, i);
    else
        return false;
    return true;
}

static reel_status property_path(reel_viewer_uuid view, const char *archetype_short, reel_buf *path)
{
    REEL_TRY(reel__bp_item_path(true, view, path));
    reel_status status = reel_buf_printf(path, "/%s", archetype_short);
    return status == REEL_OK ? reel_buf_append_u8(path, 0) : status;
}

reel_status reel_bp_set_view_properties(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                        reel_viewer_uuid view, const char *archetype_short,
                                        const reel_bp_prop *props, size_t n_props, reel_error *err)
{
    (void)viewer;
    bp_cell cells[16];
    if (n_props == 0 || n_props > 16)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: %zu fields for view property %s",
                              n_props, archetype_short);
    for (size_t k = 0; k < n_props; k++)
        cells[k] = (bp_cell){archetype_short, props[k].field, BPV_PROP, .prop = &props[k]};
    reel_buf path = {0};
    reel_status status = property_path(view, archetype_short, &path);
    if (status == REEL_OK)
        status = reel__bp_write(bp, (const char *)path.data, cells, n_props, err);
    else
        reel_error_set(err, status, "viewer: view property path");
    reel_buf_free(&path);
    return status;
}

bool reel_bp_view_property(const reel_viewer_blueprint *bp, reel_viewer_uuid view,
                           const char *archetype_short, const char *field, reel_bp_prop *out)
{
    memset(out, 0, sizeof *out);
    out->field = field;
    char component[128];
    snprintf(component, sizeof component, "%s:%s", archetype_short, field);
    reel_buf path = {0};
    if (property_path(view, archetype_short, &path) != REEL_OK) {
        reel_buf_free(&path);
        return false;
    }
    reel_store_result r;
    reel_store_state state =
        reel_viewer_blueprint_latest(bp, (const char *)path.data, component, &r);
    reel_buf_free(&path);
    if (state != REEL_STORE_VALUE || r.column->field.n_children != 1)
        return false;
    int64_t start = 0, end = 0;
    reel_arrow_array_get_list_range(&r.column->field, &r.column->lists, r.value.row, &start, &end);
    if (end <= start)
        return false;
    prop_cursor at = {0, 0, 0};
    for (int64_t k = start; k < end; k++) {
        prop_cursor before = at;
        if (!read_flat(&r.column->field.children[0], &r.column->lists.children[0], k, out, &at)) {
            at = before; /* this instance does not fit (or is null): keep the ones before */
            break;
        }
        out->n_instances++;
    }
    out->n_i = (uint32_t)at.n_i, out->n_f = (uint32_t)at.n_f, out->n_s = (uint32_t)at.n_s;
    return out->n_instances > 0;
}
