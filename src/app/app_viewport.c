/* The viewport (§9.5, §1.8): the blueprint's container tree laid out in the central panel.
 * Horizontal and vertical containers split by their shares with draggable splitters (a drag
 * writes the new shares when released), grids use the stored column count or
 * reel_viewer_grid_auto_columns, tabs show one child under a tab bar of all of them; every
 * view gets a 24 pt tab bar (name or placeholder, maximise and hide buttons) above its
 * content, which its class draws (app_views.c). A maximised view fills the viewport. */
#include "app/app_internal.h"

#include <math.h>

#define APP_MAX_CHILDREN 64

typedef struct tile {
    const reel_bp_child *child;
    size_t index; /* in the container's children */
} tile;

static bool child_visible(const reel_bp_model *model, const reel_bp_child *child)
{
    if (child->is_view) {
        const reel_bp_view *v = reel_bp_model_view(model, child->id);
        return v != NULL && v->visible;
    }
    const reel_bp_container *c = reel_bp_model_container(model, child->id);
    return c != NULL && c->visible;
}

static size_t count_views(const reel_bp_model *model)
{
    size_t n = 0;
    for (size_t i = 0; i < model->n_views; i++)
        n += model->views[i].visible;
    return n;
}

static void layout_child(reel_viewer_app *app, reel_viewer_recording *rec,
                         reel_viewer_blueprint *bp, const reel_bp_model *model,
                         const reel_bp_child *child, reel_ui_rect rect, int depth);

/* ---------------------------------------------------------------- view tiles */

static void view_content(reel_viewer_app *app, reel_viewer_recording *rec, const reel_bp_view *view,
                         reel_ui_rect rect)
{
    const reel_viewer_time *time = &app->view_time;
    reel_error err = {0};
    uint32_t n = 0;
    const char **paths = NULL;
    if (reel_viewer_view_entities(rec, view, &app->entity_ids, &err) == REEL_OK) {
        reel_store *store = reel_viewer_recording_store(rec);
        size_t count = app->entity_ids.len;
        paths = reel_arena_alloc(&app->arena, (count ? count : 1) * sizeof *paths, 8);
        for (size_t i = 0; paths != NULL && i < count; i++) {
            const char *p =
                reel_store_entity_path(store, REEL_VEC_AT(&app->entity_ids, uint32_t, i));
            if (p != NULL && reel_app_entity_viewable(p))
                paths[n++] = p;
        }
    }
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y1, 0, REEL_THEME_VIEWPORT_BG);
    app_view_call call = {
        .rec = rec, .view = view, .time = time, .rect = rect, .entities = paths, .n_entities = n};
    int32_t scene = app_view_draw(app, &call);
    if (app->n_view_rects < APP_MAX_VIEW_RECTS) {
        app_view_rect *vr = &app->view_rects[app->n_view_rects++];
        vr->id = view->id;
        vr->rect[0] = rect.x0;
        vr->rect[1] = rect.y0;
        vr->rect[2] = rect.x1;
        vr->rect[3] = rect.y1;
        vr->scene = scene;
    }
}

/* One tab title; returns its response. */
static reel_ui_response tab_title(reel_viewer_app *app, const char *name, reel_viewer_uuid id,
                                  bool is_view, bool active, float x, reel_ui_rect bar,
                                  float *width_out)
{
    reel_ui *ui = app->ui;
    float pad = app_pt(app, 8), icon = app_pt(app, REEL_THEME_SMALL_ICON);
    float text_w = reel_ui_text_width(ui, REEL_UI_FONT_BODY, name, strlen(name));
    float max_w = fmaxf(app_pt(app, 40), bar.x1 - x - app_pt(app, 60));
    float w = fminf(pad * 2 + icon + app_pt(app, 4) + text_w, max_w);
    reel_ui_rect r = {x, bar.y0, x + w, bar.y1};
    reel_viewer_item item = is_view ? app_item_view(id) : app_item_container(id);
    reel_ui_response resp =
        reel_ui_interact(ui, r,
                         reel_ui_make_id_ptr(ui, name) ^
                             (reel_ui_id)(id.bytes[0] | id.bytes[1] << 8 | id.bytes[2] << 16),
                         REEL_UI_SENSE_CLICK);
    bool selected = reel_viewer_is_selected(app->viewer, &item);
    const reel_viewer_item *hovered = reel_viewer_hovered(app->viewer);
    bool lit = resp.hovered || (hovered != NULL && reel_viewer_item_equal(hovered, &item));
    reel_draw_list *list = reel_ui_draw_list(ui);
    if (active)
        reel_draw_rect_filled(list, r.x0, r.y0, r.x1, r.y1, 0,
                              selected ? REEL_THEME_SELECTION_BG : REEL_THEME_PANEL_BG);
    uint32_t color = selected || lit ? REEL_THEME_TEXT_STRONG
                     : active        ? REEL_THEME_TEXT_DEFAULT
                                     : REEL_THEME_TEXT_SUBDUED;
    float cy = (bar.y0 + bar.y1) * 0.5f;
    reel_ui_draw_icon(ui, is_view ? REEL_UI_ICON_VIEW : REEL_UI_ICON_CONTAINER,
                      (reel_ui_rect){x + pad, cy - icon * 0.5f, x + pad + icon, cy + icon * 0.5f},
                      color);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + pad + icon + app_pt(app, 4), cy - line * 0.5f,
                      name, strlen(name), color,
                      r.x1 - (x + pad + icon + app_pt(app, 4)) - pad * 0.5f);
    if (resp.hovered)
        reel_viewer_hover(app->viewer, &item);
    if (resp.clicked)
        app_click_item(app, &item);
    *width_out = w;
    return resp;
}

/* The buttons at the right of a view's tab bar: maximise/restore and hide (only with more
 * than one view, §9.5). */
static void tab_buttons(reel_viewer_app *app, reel_viewer_blueprint *bp, const reel_bp_model *model,
                        const reel_bp_view *view, reel_ui_rect bar)
{
    if (count_views(model) < 2 && !model->has_maximized)
        return;
    reel_ui *ui = app->ui;
    float s = app_pt(app, REEL_THEME_SMALL_ICON), gap = app_pt(app, 6);
    float cy = (bar.y0 + bar.y1) * 0.5f;
    reel_ui_rect max_r = {bar.x1 - gap - s, cy - s * 0.5f, bar.x1 - gap, cy + s * 0.5f};
    reel_ui_rect eye_r = {max_r.x0 - gap - s, max_r.y0, max_r.x0 - gap, max_r.y1};
    char hex[37];
    reel_viewer_uuid_format(view->id, hex);
    reel_ui_push_id(ui, hex);
    reel_ui_response max_b =
        reel_ui_interact(ui, max_r, reel_ui_make_id(ui, "maximize"), REEL_UI_SENSE_CLICK);
    reel_ui_response eye_b =
        reel_ui_interact(ui, eye_r, reel_ui_make_id(ui, "hide"), REEL_UI_SENSE_CLICK);
    reel_ui_pop_id(ui);
    bool maximized = model->has_maximized && reel_viewer_uuid_equal(model->maximized, view->id);
    reel_ui_draw_icon(ui, REEL_UI_ICON_CONTAINER, max_r,
                      max_b.hovered ? REEL_THEME_TEXT_STRONG : REEL_THEME_LIST_ICON);
    if (maximized) /* restore: a smaller square inside */
        reel_draw_rect_filled(reel_ui_draw_list(ui), max_r.x0 + s * 0.3f, max_r.y0 + s * 0.3f,
                              max_r.x1 - s * 0.3f, max_r.y1 - s * 0.3f, 0, REEL_THEME_LIST_ICON);
    if (!maximized)
        reel_ui_draw_icon(ui, REEL_UI_ICON_EYE, eye_r,
                          eye_b.hovered ? REEL_THEME_TEXT_STRONG : REEL_THEME_LIST_ICON);
    reel_ui_tooltip(ui, &max_b, maximized ? "Restore" : "Maximize view");
    reel_error err = {0};
    if (max_b.clicked)
        app_check(app, reel_bp_set_maximized(app->viewer, bp, maximized ? NULL : &view->id, &err),
                  &err);
    else if (eye_b.clicked && !maximized)
        app_check(app, reel_bp_set_visible(app->viewer, bp, view->id, false, &err), &err);
}

static void view_tile(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp,
                      const reel_bp_model *model, const reel_bp_view *view, reel_ui_rect rect)
{
    float bar_h = app_pt(app, REEL_THEME_TITLE_BAR_HEIGHT);
    reel_ui_rect bar = {rect.x0, rect.y0, rect.x1, fminf(rect.y0 + bar_h, rect.y1)};
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    reel_draw_push_clip(list, rect.x0, rect.y0, rect.x1, rect.y1);
    reel_draw_rect_filled(list, bar.x0, bar.y0, bar.x1, bar.y1, 0, REEL_THEME_TAB_BAR_BG);
    float w = 0;
    tab_title(app, app_view_name(app, view), view->id, true, true, bar.x0, bar, &w);
    tab_buttons(app, bp, model, view, bar);
    reel_draw_pop_clip(list);
    reel_ui_rect content = {rect.x0, bar.y1, rect.x1, rect.y1};
    if (content.y1 > content.y0 + 1 && content.x1 > content.x0 + 1)
        view_content(app, rec, view, content);
}

/* ---------------------------------------------------------------- containers */

static float share_of(const float *shares, size_t n, size_t index)
{
    return index < n && shares[index] > 0 ? shares[index] : 1.0f;
}

/* A splitter between two tiles of a linear container: dragging moves share between them;
 * the new shares are written when the drag ends (one blueprint write, one undo step). */
static void linear_splitter(reel_viewer_app *app, reel_viewer_blueprint *bp,
                            const reel_bp_container *c, bool horizontal, float *shares,
                            size_t n_shares, const tile *tiles, size_t k, float total, float extent,
                            reel_ui_rect zone, reel_ui_rect grab)
{
    reel_ui *ui = app->ui;
    char hex[37];
    reel_viewer_uuid_format(c->id, hex);
    reel_ui_push_id(ui, hex);
    reel_ui_response r =
        reel_ui_interact(ui, grab, reel_ui_make_id_int(ui, (int64_t)k), REEL_UI_SENSE_DRAG);
    reel_ui_pop_id(ui);
    bool mine = app->share_drag && reel_viewer_uuid_equal(app->share_drag_container, c->id) &&
                app->share_drag_index == k;
    if (r.held && extent > 0) {
        if (!mine) {
            app->share_drag = true;
            app->share_drag_container = c->id;
            app->share_drag_index = k;
            app->share_drag_n = n_shares;
            memcpy(app->share_drag_values, shares, n_shares * sizeof *shares);
        }
        float delta = (horizontal ? r.drag_dx : r.drag_dy) * total / extent;
        float *a = &app->share_drag_values[tiles[k].index];
        float *b = &app->share_drag_values[tiles[k + 1].index];
        float min_share = total * 0.02f;
        if (*a + delta < min_share)
            delta = min_share - *a;
        if (*b - delta < min_share)
            delta = *b - min_share;
        *a += delta;
        *b -= delta;
    } else if (mine) {
        app->share_drag = false;
        reel_error err = {0};
        const float *values = app->share_drag_values;
        reel_status status = horizontal ? reel_bp_set_shares(app->viewer, bp, c->id, values,
                                                             app->share_drag_n, NULL, 0, &err)
                                        : reel_bp_set_shares(app->viewer, bp, c->id, NULL, 0,
                                                             values, app->share_drag_n, &err);
        app_check(app, status, &err);
    }
    uint32_t color = r.hovered || r.held ? REEL_GRAY_400 : REEL_THEME_SEPARATOR;
    reel_draw_rect_filled(reel_ui_draw_list(ui), zone.x0, zone.y0, zone.x1, zone.y1, 0, color);
}

static void layout_linear(reel_viewer_app *app, reel_viewer_recording *rec,
                          reel_viewer_blueprint *bp, const reel_bp_model *model,
                          const reel_bp_container *c, const tile *tiles, size_t n,
                          reel_ui_rect rect, int depth)
{
    bool horizontal = c->kind == REEL_CONTAINER_HORIZONTAL;
    float shares[APP_MAX_CHILDREN];
    size_t n_shares = c->n_children < APP_MAX_CHILDREN ? c->n_children : APP_MAX_CHILDREN;
    bool dragging = app->share_drag && reel_viewer_uuid_equal(app->share_drag_container, c->id) &&
                    app->share_drag_n == n_shares;
    for (size_t i = 0; i < n_shares; i++)
        shares[i] = dragging ? app->share_drag_values[i]
                             : share_of(horizontal ? c->col_shares : c->row_shares,
                                        horizontal ? c->n_col_shares : c->n_row_shares, i);
    float gap = fmaxf(1.0f, floorf(app_pt(app, 1))); /* egui_tiles: 1 pt */
    float extent = (horizontal ? rect.x1 - rect.x0 : rect.y1 - rect.y0) - gap * (float)(n - 1);
    float total = 0;
    for (size_t k = 0; k < n; k++)
        total += shares[tiles[k].index];
    float at = horizontal ? rect.x0 : rect.y0;
    float edges[APP_MAX_CHILDREN]; /* where each splitter starts */
    for (size_t k = 0; k < n; k++) {
        float size = extent * shares[tiles[k].index] / total;
        reel_ui_rect r = rect;
        if (horizontal) {
            r.x0 = floorf(at);
            r.x1 = k + 1 == n ? rect.x1 : floorf(at + size);
        } else {
            r.y0 = floorf(at);
            r.y1 = k + 1 == n ? rect.y1 : floorf(at + size);
        }
        layout_child(app, rec, bp, model, tiles[k].child, r, depth + 1);
        at += size;
        edges[k] = floorf(at);
        at += gap;
    }
    /* Splitters after the tiles, so that they win the pointer over the views beside them. */
    for (size_t k = 0; k + 1 < n; k++) {
        float e = edges[k];
        reel_ui_rect zone = horizontal ? (reel_ui_rect){e, rect.y0, e + gap, rect.y1}
                                       : (reel_ui_rect){rect.x0, e, rect.x1, e + gap};
        reel_ui_rect grab = zone; /* a wider grab zone than the visible line */
        float extra = app_pt(app, 2);
        if (horizontal) {
            grab.x0 -= extra;
            grab.x1 += extra;
        } else {
            grab.y0 -= extra;
            grab.y1 += extra;
        }
        linear_splitter(app, bp, c, horizontal, shares, n_shares, tiles, k, total, extent, zone,
                        grab);
    }
}

static void layout_grid(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp,
                        const reel_bp_model *model, const reel_bp_container *c, const tile *tiles,
                        size_t n, reel_ui_rect rect, int depth)
{
    float gap = fmaxf(1.0f, floorf(app_pt(app, 1))); /* egui_tiles: 1 pt */
    uint32_t cols = c->grid_columns;
    if (cols == 0)
        cols = reel_viewer_grid_auto_columns(n, rect.x1 - rect.x0, rect.y1 - rect.y0, gap);
    if (cols == 0)
        return;
    if (cols > n)
        cols = (uint32_t)n;
    size_t rows = (n + cols - 1) / cols;
    float col_total = 0, row_total = 0;
    for (uint32_t i = 0; i < cols; i++)
        col_total += share_of(c->col_shares, c->n_col_shares, i);
    for (size_t i = 0; i < rows; i++)
        row_total += share_of(c->row_shares, c->n_row_shares, i);
    float width = rect.x1 - rect.x0 - gap * (float)(cols - 1);
    float height = rect.y1 - rect.y0 - gap * (float)(rows - 1);
    float y = rect.y0;
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    for (size_t row = 0; row < rows; row++) {
        float h = height * share_of(c->row_shares, c->n_row_shares, row) / row_total;
        float x = rect.x0;
        for (uint32_t col = 0; col < cols; col++) {
            float w = width * share_of(c->col_shares, c->n_col_shares, col) / col_total;
            size_t k = row * cols + col;
            reel_ui_rect r = {floorf(x), floorf(y), col + 1 == cols ? rect.x1 : floorf(x + w),
                              row + 1 == rows ? rect.y1 : floorf(y + h)};
            if (k < n)
                layout_child(app, rec, bp, model, tiles[k].child, r, depth + 1);
            else
                reel_draw_rect_filled(list, r.x0, r.y0, r.x1, r.y1, 0, REEL_THEME_PANEL_BG);
            if (col + 1 < cols)
                reel_draw_rect_filled(list, r.x1, r.y0, r.x1 + gap, r.y1, 0, REEL_THEME_SEPARATOR);
            x += w + gap;
        }
        if (row + 1 < rows)
            reel_draw_rect_filled(list, rect.x0, floorf(y + h), rect.x1, floorf(y + h) + gap, 0,
                                  REEL_THEME_SEPARATOR);
        y += h + gap;
    }
}

static void layout_tabs(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp,
                        const reel_bp_model *model, const reel_bp_container *c, const tile *tiles,
                        size_t n, reel_ui_rect rect, int depth)
{
    size_t active = 0;
    for (size_t k = 0; k < n; k++)
        if (c->active_tab >= 0 && tiles[k].index == (size_t)c->active_tab)
            active = k;
    float bar_h = app_pt(app, REEL_THEME_TITLE_BAR_HEIGHT);
    reel_ui_rect bar = {rect.x0, rect.y0, rect.x1, fminf(rect.y0 + bar_h, rect.y1)};
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    reel_draw_push_clip(list, rect.x0, rect.y0, rect.x1, rect.y1);
    reel_draw_rect_filled(list, bar.x0, bar.y0, bar.x1, bar.y1, 0, REEL_THEME_TAB_BAR_BG);
    float x = bar.x0;
    for (size_t k = 0; k < n && x < bar.x1; k++) {
        const reel_bp_child *child = tiles[k].child;
        const char *name = NULL;
        if (child->is_view) {
            const reel_bp_view *v = reel_bp_model_view(model, child->id);
            name = v != NULL ? app_view_name(app, v) : "?";
        } else {
            const reel_bp_container *sub = reel_bp_model_container(model, child->id);
            name = sub != NULL && sub->display_name ? sub->display_name
                   : sub != NULL                    ? reel_container_kind_name(sub->kind)
                                                    : "?";
        }
        float w = 0;
        reel_ui_response r =
            tab_title(app, name, child->id, child->is_view, k == active, x, bar, &w);
        if (r.clicked && k != active) {
            reel_error err = {0};
            app_check(app, reel_bp_set_active_tab(app->viewer, bp, c->id, tiles[k].index, &err),
                      &err);
        }
        x += w + 1;
    }
    const reel_bp_child *shown = tiles[active].child;
    if (shown->is_view) {
        const reel_bp_view *v = reel_bp_model_view(model, shown->id);
        if (v != NULL)
            tab_buttons(app, bp, model, v, bar);
    }
    reel_draw_pop_clip(list);
    reel_ui_rect content = {rect.x0, bar.y1, rect.x1, rect.y1};
    if (shown->is_view) {
        const reel_bp_view *v = reel_bp_model_view(model, shown->id);
        if (v != NULL && content.y1 > content.y0 + 1)
            view_content(app, rec, v, content);
    } else {
        layout_child(app, rec, bp, model, shown, content, depth + 1);
    }
}

static void layout_container(reel_viewer_app *app, reel_viewer_recording *rec,
                             reel_viewer_blueprint *bp, const reel_bp_model *model,
                             const reel_bp_container *c, reel_ui_rect rect, int depth)
{
    tile tiles[APP_MAX_CHILDREN];
    size_t n = 0;
    for (size_t i = 0; i < c->n_children && n < APP_MAX_CHILDREN; i++)
        if (child_visible(model, &c->children[i]))
            tiles[n++] = (tile){&c->children[i], i};
    if (n == 0) {
        reel_draw_rect_filled(reel_ui_draw_list(app->ui), rect.x0, rect.y0, rect.x1, rect.y1, 0,
                              REEL_THEME_PANEL_BG);
        return;
    }
    switch (c->kind) {
    case REEL_CONTAINER_HORIZONTAL:
    case REEL_CONTAINER_VERTICAL:
        layout_linear(app, rec, bp, model, c, tiles, n, rect, depth);
        break;
    case REEL_CONTAINER_TABS:
        layout_tabs(app, rec, bp, model, c, tiles, n, rect, depth);
        break;
    case REEL_CONTAINER_GRID:
    default:
        layout_grid(app, rec, bp, model, c, tiles, n, rect, depth);
        break;
    }
    /* A hovered / selected container gets a stroke around its tile (§8.2). */
    reel_viewer_item item = app_item_container(c->id);
    const reel_viewer_item *hovered = reel_viewer_hovered(app->viewer);
    bool selected = reel_viewer_is_selected(app->viewer, &item);
    bool is_hovered = hovered != NULL && reel_viewer_item_equal(hovered, &item);
    if (selected || is_hovered)
        reel_draw_rect_outline(reel_ui_draw_list(app->ui), rect.x0 + 1, rect.y0 + 1, rect.x1 - 1,
                               rect.y1 - 1, 0, app_pt(app, REEL_THEME_SELECTION_STROKE_WIDTH),
                               selected ? REEL_THEME_SELECTION_STROKE : REEL_THEME_HOVER_STROKE);
}

static void layout_child(reel_viewer_app *app, reel_viewer_recording *rec,
                         reel_viewer_blueprint *bp, const reel_bp_model *model,
                         const reel_bp_child *child, reel_ui_rect rect, int depth)
{
    if (depth > 32 || rect.x1 <= rect.x0 || rect.y1 <= rect.y0)
        return;
    if (child->is_view) {
        const reel_bp_view *v = reel_bp_model_view(model, child->id);
        if (v != NULL)
            view_tile(app, rec, bp, model, v, rect);
    } else {
        const reel_bp_container *c = reel_bp_model_container(model, child->id);
        if (c != NULL)
            layout_container(app, rec, bp, model, c, rect, depth);
    }
}

void app_viewport(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    reel_ui_rect rect = reel_ui_panel_begin(app->ui, "viewport",
                                            &(reel_ui_panel_desc){.side = REEL_UI_CENTRAL,
                                                                  .padding_pt = -1,
                                                                  .fill = REEL_THEME_PANEL_BG});
    const reel_bp_model *model = reel_viewer_blueprint_model(bp);
    reel_viewer_time_get(rec, &app->view_time);
    const reel_bp_view *maximized =
        model->has_maximized ? reel_bp_model_view(model, model->maximized) : NULL;
    if (maximized != NULL) {
        reel_bp_child child = {.is_view = true, .id = maximized->id};
        layout_child(app, rec, bp, model, &child, rect, 0);
    } else if (model->has_root) {
        reel_bp_child root = {.is_view = false, .id = model->root_container};
        layout_child(app, rec, bp, model, &root, rect, 0);
    }
    if (model->n_views == 0) {
        const char *text = "No views yet: the recording has no data a view can show, or the "
                           "blueprint is empty (⋯ in the blueprint panel adds one)";
        float w = reel_ui_text_width(app->ui, REEL_UI_FONT_BODY, text, strlen(text));
        reel_ui_draw_text(app->ui, REEL_UI_FONT_BODY,
                          fmaxf(rect.x0, (rect.x0 + rect.x1 - w) * 0.5f),
                          (rect.y0 + rect.y1) * 0.5f, text, strlen(text), REEL_THEME_TEXT_SUBDUED,
                          rect.x1 - rect.x0);
    }
    reel_ui_panel_end(app->ui);
}
