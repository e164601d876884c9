/* The selection panel (§8.3, §9.2, §9.3): what is selected, in the right panel. An entity or
 * data result shows its components at the time cursor grouped by archetype
 * (reel_viewer_entity_rows) and the views showing it; a view its name, space origin, class,
 * visibility and entity filter; a container its name, kind, grid columns, visibility and
 * contents; a recording its properties. Edits are reel_bp_* writes (text fields on Enter). */
#include "app/app_internal.h"
#include "views/views.h"

#include <math.h>

static void title_bar(reel_viewer_app *app, const char *title)
{
    reel_ui *ui = app->ui;
    reel_ui_rect r = reel_ui_allocate(ui, 0, REEL_THEME_TITLE_BAR_HEIGHT);
    reel_draw_rect_filled(reel_ui_draw_list(ui), r.x0 - app_pt(app, 8), r.y0, r.x1 + app_pt(app, 8),
                          r.y1, 0, REEL_THEME_SECTION_HEADER_BG);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, r.x0, (r.y0 + r.y1 - line) * 0.5f, title,
                      strlen(title), REEL_THEME_TEXT_STRONG, r.x1 - r.x0);
}

static void property_row(reel_viewer_app *app, const char *name, const char *value)
{
    reel_ui_horizontal_begin(app->ui);
    reel_ui_label_colored(app->ui, name, REEL_THEME_TEXT_SUBDUED);
    reel_ui_label_font(app->ui, value, REEL_UI_FONT_MONO, REEL_THEME_TEXT_DEFAULT);
    reel_ui_horizontal_end(app->ui);
}

static void entity_data(reel_viewer_app *app, reel_viewer_recording *rec, const char *path)
{
    reel_ui *ui = app->ui;
    reel_viewer_time time;
    reel_viewer_time_get(rec, &time);
    reel_viewer_rows rows = {0};
    reel_error err = {0};
    if (reel_viewer_entity_rows(rec, path, time.timeline, time.cursor, 0, &rows, &err) != REEL_OK) {
        reel_ui_label_colored(ui, err.message, REEL_THEME_ERROR_FG);
        reel_viewer_rows_reset(&rows);
        return;
    }
    if (rows.count == 0)
        reel_ui_label_colored(ui, "No data at this time", REEL_THEME_TEXT_SUBDUED);
    const char *group = NULL;
    bool open = false;
    for (size_t i = 0; i < rows.count; i++) {
        const reel_viewer_component_row *row = &rows.rows[i];
        if (group == NULL || strcmp(group, row->archetype) != 0) {
            group = row->archetype;
            open = reel_ui_collapsing_header(ui, group, true);
        }
        if (!open)
            continue;
        const char *value = row->value;
        if (row->state == REEL_STORE_EMPTY)
            value = "[] (cleared)";
        else if (row->state == REEL_STORE_CLEARED)
            value = "(cleared)";
        reel_ui_horizontal_begin(ui);
        reel_ui_label_colored(ui, app_component_short(row->component), REEL_THEME_TEXT_SUBDUED);
        reel_ui_label_font(ui, value, REEL_UI_FONT_MONO, REEL_THEME_TEXT_DEFAULT);
        reel_ui_horizontal_end(ui);
        reel_ui_response r = reel_ui_last_response(ui);
        if (!app->deterministic && row->component_type && row->component_type[0])
            reel_ui_tooltip(ui, &r, row->component_type);
    }
    reel_viewer_rows_reset(&rows);
}

static void shown_in(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp,
                     const char *path)
{
    reel_ui *ui = app->ui;
    const reel_bp_model *model = reel_viewer_blueprint_model(bp);
    uint32_t entity = reel_store_entity_find(reel_viewer_recording_store(rec), path);
    if (!reel_ui_collapsing_header(ui, "Shown in", true))
        return;
    bool any = false;
    for (size_t i = 0; i < model->n_views; i++) {
        const reel_bp_view *view = &model->views[i];
        reel_error err = {0};
        if (reel_viewer_view_entities(rec, view, &app->entity_ids, &err) != REEL_OK)
            continue;
        bool found = false;
        for (size_t k = 0; k < app->entity_ids.len && !found; k++)
            found = REEL_VEC_AT(&app->entity_ids, uint32_t, k) == entity;
        if (!found)
            continue;
        any = true;
        char label[320], hex[37];
        reel_viewer_uuid_format(view->id, hex);
        snprintf(label, sizeof label, "%s##shown_%s", app_view_name(app, view), hex);
        if (reel_ui_selectable(ui, label, false)) {
            reel_viewer_item item = app_item_view(view->id);
            reel_viewer_select(app->viewer, &item);
        }
    }
    if (!any)
        reel_ui_label_colored(ui, "No view shows this entity", REEL_THEME_TEXT_SUBDUED);
}

/* Name and origin fields hold edited copies, reloaded from the blueprint while not focused. */
static void load_fields(reel_viewer_app *app, reel_viewer_uuid id, const char *name,
                        const char *origin)
{
    if (reel_viewer_uuid_equal(app->fields_for, id) && app->fields_focused)
        return;
    app->fields_for = id;
    snprintf(app->field_name, sizeof app->field_name, "%s", name ? name : "");
    snprintf(app->field_origin, sizeof app->field_origin, "%s", origin ? origin : "");
}

/* Whether `level` is among the text log's hidden levels (its index, else -1). */
static int hidden_level(const reel_view_textlog_state *st, const char *level)
{
    for (uint32_t i = 0; i < st->n_hidden_levels; i++)
        if (strcmp(st->hidden_levels[i], level) == 0)
            return (int)i;
    return -1;
}

/* A text log's body filter and level toggles (Rerun keeps them in the view, not the
 * blueprint): they act on the view's state from the next frame on. */
static void text_log_filters(reel_viewer_app *app, const reel_bp_view *view)
{
    reel_view_textlog_state *st = app_view_state_mut(app, view->id);
    if (st == NULL || !reel_ui_collapsing_header(app->ui, "Filter", true))
        return;
    bool submitted = false;
    reel_ui_text_field(app->ui, "Text", st->filter, sizeof st->filter, &submitted);
    app->fields_focused |= reel_ui_last_response(app->ui).focused;
    static const char *const levels[] = {"CRITICAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        bool shown = hidden_level(st, levels[i]) < 0;
        if (reel_ui_checkbox(app->ui, levels[i], &shown))
            app_textlog_show_level(st, levels[i], shown);
    }
}

void app_textlog_show_level(reel_view_textlog_state *st, const char *level, bool shown)
{
    int at = hidden_level(st, level);
    if (!shown && at < 0 && st->n_hidden_levels < REEL_VIEW_MAX_LEVELS) {
        snprintf(st->hidden_levels[st->n_hidden_levels++], sizeof st->hidden_levels[0], "%s",
                 level);
    } else if (shown && at >= 0) {
        memmove(st->hidden_levels[at], st->hidden_levels[at + 1],
                (st->n_hidden_levels - (uint32_t)at - 1) * sizeof st->hidden_levels[0]);
        st->n_hidden_levels--;
    }
}

static void view_properties(reel_viewer_app *app, reel_viewer_blueprint *bp,
                            const reel_bp_view *view)
{
    reel_ui *ui = app->ui;
    const reel_view_class *cls = reel_view_class_find(view->class_identifier);
    load_fields(app, view->id, view->display_name, view->space_origin);
    reel_error err = {0};
    bool submitted = false, focused = false;
    reel_ui_text_field(ui, "Name", app->field_name, sizeof app->field_name, &submitted);
    focused |= reel_ui_last_response(ui).focused;
    if (submitted)
        app_check(app, reel_bp_rename(app->viewer, bp, view->id, app->field_name, &err), &err);
    if (!app->field_name[0]) {
        reel_ui_textf(ui, "(shown as \"%s\")", app_view_name(app, view));
    }
    submitted = false;
    reel_ui_text_field(ui, "Space origin", app->field_origin, sizeof app->field_origin, &submitted);
    focused |= reel_ui_last_response(ui).focused;
    if (submitted)
        app_check(app,
                  reel_bp_set_view_origin(app->viewer, bp, view->id,
                                          app->field_origin[0] ? app->field_origin : "/", &err),
                  &err);
    app->fields_focused = focused;
    property_row(app, "View type", cls != NULL ? cls->display_name : view->class_identifier);
    bool visible = view->visible;
    if (reel_ui_checkbox(ui, "Visible", &visible))
        app_check(app, reel_bp_set_visible(app->viewer, bp, view->id, visible, &err), &err);
    if (reel_ui_collapsing_header(ui, "Entity path filter", true)) {
        for (size_t i = 0; i < view->n_query; i++)
            reel_ui_label_font(ui, view->query[i], REEL_UI_FONT_MONO, REEL_THEME_TEXT_DEFAULT);
        if (view->n_query == 0)
            reel_ui_label_font(ui, "+ $origin/**", REEL_UI_FONT_MONO, REEL_THEME_TEXT_SUBDUED);
    }
    if (strcmp(view->class_identifier, "TextLog") == 0)
        text_log_filters(app, view);
}

static void container_properties(reel_viewer_app *app, reel_viewer_blueprint *bp,
                                 const reel_bp_model *model, const reel_bp_container *c)
{
    reel_ui *ui = app->ui;
    reel_error err = {0};
    load_fields(app, c->id, c->display_name, NULL);
    bool submitted = false;
    reel_ui_text_field(ui, "Name", app->field_name, sizeof app->field_name, &submitted);
    app->fields_focused = reel_ui_last_response(ui).focused;
    if (submitted)
        app_check(app, reel_bp_rename(app->viewer, bp, c->id, app->field_name, &err), &err);
    static const char *const kinds[] = {"Tabs", "Horizontal", "Vertical", "Grid"};
    int kind = (int)c->kind - 1;
    if (kind < 0 || kind > 3)
        kind = 3;
    if (reel_ui_combo(ui, "Container kind", &kind, kinds, 4))
        app_check(app,
                  reel_bp_set_container_kind(app->viewer, bp, c->id,
                                             (reel_container_kind)(kind + 1), &err),
                  &err);
    if (c->kind == REEL_CONTAINER_GRID) {
        int columns = (int)c->grid_columns;
        if (reel_ui_drag_int(ui, "Columns (0 = Auto)", &columns, 0.05f, 0, 16))
            app_check(app,
                      reel_bp_set_grid_columns(app->viewer, bp, c->id, (uint32_t)columns, &err),
                      &err);
    }
    bool is_root = model->has_root && reel_viewer_uuid_equal(model->root_container, c->id);
    bool visible = c->visible;
    if (!is_root && reel_ui_checkbox(ui, "Visible", &visible))
        app_check(app, reel_bp_set_visible(app->viewer, bp, c->id, visible, &err), &err);
    if (!reel_ui_collapsing_header(ui, "Contents", true))
        return;
    for (size_t i = 0; i < c->n_children; i++) {
        const reel_bp_child *child = &c->children[i];
        const char *name = "?";
        if (child->is_view) {
            const reel_bp_view *v = reel_bp_model_view(model, child->id);
            if (v != NULL)
                name = app_view_name(app, v);
        } else {
            const reel_bp_container *sub = reel_bp_model_container(model, child->id);
            if (sub != NULL)
                name = sub->display_name ? sub->display_name : reel_container_kind_name(sub->kind);
        }
        char hex[37];
        reel_viewer_uuid_format(child->id, hex);
        reel_ui_push_id(ui, hex);
        reel_ui_horizontal_begin(ui);
        reel_ui_response remove = reel_ui_icon_button(ui, "remove", REEL_UI_ICON_CLOSE);
        if (reel_ui_selectable(ui, name, false)) {
            reel_viewer_item item =
                child->is_view ? app_item_view(child->id) : app_item_container(child->id);
            reel_viewer_select(app->viewer, &item);
        }
        reel_ui_horizontal_end(ui);
        reel_ui_pop_id(ui);
        if (remove.clicked)
            app_check(app, reel_bp_remove(app->viewer, bp, child->id, &err), &err);
    }
}

static void recording_properties(reel_viewer_app *app, reel_viewer_recording *rec)
{
    const reel_store_id *id = reel_viewer_recording_id(rec);
    property_row(app, "Application id", id->application_id ? id->application_id : "<unknown>");
    property_row(app, "Recording id", id->recording_id);
    reel_buf_clear(&app->text);
    reel_viewer_recording_label(rec, &app->text);
    reel_buf_append_u8(&app->text, 0);
    property_row(app, "Name and size", (const char *)app->text.data);
    property_row(app, "Source", reel_viewer_recording_is_live(rec) ? "live (gRPC)" : "file");
}

void app_selection_panel(reel_viewer_app *app, reel_viewer_recording *rec,
                         reel_viewer_blueprint *bp)
{
    reel_ui *ui = app->ui;
    const reel_input *in = reel_ui_input(ui);
    float width_pt = (float)in->width / reel_ui_scale(ui);
    reel_ui_panel_begin(ui, "selection_panel",
                        &(reel_ui_panel_desc){.side = REEL_UI_RIGHT,
                                              .default_size_pt = fminf(0.45f * width_pt, 300),
                                              .min_size_pt = 120,
                                              .resizable = true});
    title_bar(app, "Selection");
    reel_ui_scroll_begin(ui, "selection_scroll", 0);
    size_t n = reel_viewer_selection_count(app->viewer);
    const reel_bp_model *model = reel_viewer_blueprint_model(bp);
    if (n == 0) {
        reel_ui_label_colored(ui, "Nothing selected", REEL_THEME_TEXT_SUBDUED);
    } else if (n > 1) {
        reel_ui_textf(ui, "%zu selected items", n);
    }
    const reel_viewer_item *item = n >= 1 ? reel_viewer_selection_at(app->viewer, 0) : NULL;
    if (item != NULL && n == 1) {
        switch (item->kind) {
        case REEL_ITEM_RECORDING: {
            reel_ui_heading(ui, "Recording");
            reel_viewer_recording *r = reel_viewer_recording_find(app->viewer, item->recording_id);
            if (r != NULL)
                recording_properties(app, r);
            break;
        }
        case REEL_ITEM_ENTITY:
        case REEL_ITEM_COMPONENT:
        case REEL_ITEM_DATA_RESULT:
            reel_ui_label_font(ui, item->entity_path, REEL_UI_FONT_HEADING, REEL_THEME_TEXT_STRONG);
            if (item->instance >= 0)
                reel_ui_textf(ui, "Instance %lld", (long long)item->instance);
            if (item->kind == REEL_ITEM_DATA_RESULT) {
                const reel_bp_view *v = reel_bp_model_view(model, item->id);
                if (v != NULL)
                    reel_ui_textf(ui, "in view %s", app_view_name(app, v));
            }
            if (reel_ui_collapsing_header(ui, "Data", true))
                entity_data(app, rec, item->entity_path);
            shown_in(app, rec, bp, item->entity_path);
            break;
        case REEL_ITEM_VIEW: {
            const reel_bp_view *v = reel_bp_model_view(model, item->id);
            reel_ui_heading(ui, "View");
            if (v != NULL)
                view_properties(app, bp, v);
            else
                reel_ui_label_colored(ui, "This view no longer exists", REEL_THEME_TEXT_SUBDUED);
            break;
        }
        case REEL_ITEM_CONTAINER: {
            const reel_bp_container *c = reel_bp_model_container(model, item->id);
            reel_ui_heading(ui, "Container");
            if (c != NULL)
                container_properties(app, bp, model, c);
            else
                reel_ui_label_colored(ui, "This container no longer exists",
                                      REEL_THEME_TEXT_SUBDUED);
            break;
        }
        default:
            break;
        }
    } else if (n > 1) {
        for (size_t i = 0; i < n; i++) {
            const reel_viewer_item *it = reel_viewer_selection_at(app->viewer, i);
            if (it->entity_path != NULL)
                reel_ui_label(ui, it->entity_path);
            else if (it->kind == REEL_ITEM_VIEW) {
                const reel_bp_view *v = reel_bp_model_view(model, it->id);
                reel_ui_label(ui, v != NULL ? app_view_name(app, v) : "view");
            } else
                reel_ui_label(ui, it->kind == REEL_ITEM_CONTAINER ? "container" : "recording");
        }
    }
    reel_ui_scroll_end(ui);
    reel_ui_panel_end(ui);
}
