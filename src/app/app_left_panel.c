/* The left panel (§9.1, §11.4): the recordings list on top (application ids with their
 * recordings; click activates, the context menu closes), then the blueprint tree: the
 * viewport's root container, containers and views (eye toggles, hover, click to select,
 * context menus: show/hide, remove, rename, add view/container), and under each view the
 * entities it shows. Every change is a reel_bp_* edit. */
#include "app/app_internal.h"

#include <math.h>

/* The most entity rows listed under one view (the rest are summarised in one row). */
#define APP_TREE_MAX_ENTITIES 200

static const reel_container_kind add_kinds[] = {REEL_CONTAINER_TABS, REEL_CONTAINER_HORIZONTAL,
                                                REEL_CONTAINER_VERTICAL, REEL_CONTAINER_GRID};

static void uuid_label(char *out, size_t cap, const char *text, reel_viewer_uuid id)
{
    char hex[37];
    reel_viewer_uuid_format(id, hex);
    snprintf(out, cap, "%s##%s", text, hex);
}

/* Hover from the tree, and a faint fill on rows hovered anywhere else (hover sync). */
static void row_hover(reel_viewer_app *app, const reel_ui_response *row,
                      const reel_viewer_item *item)
{
    if (row->hovered)
        reel_viewer_hover(app->viewer, item);
    const reel_viewer_item *hovered = reel_viewer_hovered(app->viewer);
    bool lit = hovered != NULL && reel_viewer_item_equal(hovered, item);
    if (!lit && item->entity_path != NULL &&
        reel_viewer_entity_is_hovered(app->viewer, item->entity_path))
        lit = true;
    if (lit && !row->hovered)
        reel_draw_rect_filled(reel_ui_draw_list(app->ui), row->rect.x0, row->rect.y0, row->rect.x1,
                              row->rect.y1, 0, REEL_WITH_ALPHA(REEL_THEME_LIST_HOVERED_BG, 200));
}

static void add_view(reel_viewer_app *app, reel_viewer_blueprint *bp, const char *cls,
                     const reel_viewer_uuid *parent)
{
    static const char *const query[] = {"+ $origin/**"};
    reel_error err = {0};
    reel_viewer_uuid id;
    app_check(app, reel_bp_add_view(app->viewer, bp, cls, "/", query, 1, parent, &id, &err), &err);
}

static void add_container(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_container_kind kind,
                          const reel_viewer_uuid *parent)
{
    reel_error err = {0};
    reel_viewer_uuid id;
    app_check(app, reel_bp_add_container(app->viewer, bp, kind, parent, &id, &err), &err);
}

/* The items a container's "Add …" menus offer. */
static void add_menu_items(reel_viewer_app *app, reel_viewer_blueprint *bp,
                           const reel_viewer_uuid *parent)
{
    char label[96];
    for (size_t i = 0; i < reel_view_class_count(); i++) {
        const reel_view_class *cls = reel_view_class_at(i);
        snprintf(label, sizeof label, "Add %s view", cls->display_name);
        if (reel_ui_menu_item(app->ui, label))
            add_view(app, bp, cls->identifier, parent);
    }
    for (size_t i = 0; i < sizeof add_kinds / sizeof add_kinds[0]; i++) {
        snprintf(label, sizeof label, "Add %s container", reel_container_kind_name(add_kinds[i]));
        if (reel_ui_menu_item(app->ui, label))
            add_container(app, bp, add_kinds[i], parent);
    }
}

static void item_menu(reel_viewer_app *app, reel_viewer_blueprint *bp, const reel_ui_response *row,
                      reel_viewer_uuid id, bool is_view, bool visible, bool removable,
                      const char *name)
{
    if (!reel_ui_context_menu_begin(app->ui, row))
        return;
    reel_error err = {0};
    if (reel_ui_menu_item(app->ui, visible ? "Hide" : "Show"))
        app_check(app, reel_bp_set_visible(app->viewer, bp, id, !visible, &err), &err);
    if (removable && reel_ui_menu_item(app->ui, "Remove"))
        app_check(app, reel_bp_remove(app->viewer, bp, id, &err), &err);
    if (reel_ui_menu_item(app->ui, "Rename…")) {
        app->rename_target = id;
        snprintf(app->rename_text, sizeof app->rename_text, "%s", name != NULL ? name : "");
        app->rename_open_requested = true;
    }
    if (!is_view) {
        reel_ui_separator(app->ui);
        add_menu_items(app, bp, &id);
    }
    reel_ui_context_menu_end(app->ui);
}

static void entity_rows(reel_viewer_app *app, reel_viewer_recording *rec, const reel_bp_view *view)
{
    reel_error err = {0};
    if (reel_viewer_view_entities(rec, view, &app->entity_ids, &err) != REEL_OK)
        return;
    reel_store *store = reel_viewer_recording_store(rec);
    size_t n = app->entity_ids.len;
    for (size_t i = 0; i < n && i < APP_TREE_MAX_ENTITIES; i++) {
        const char *path =
            reel_store_entity_path(store, REEL_VEC_AT(&app->entity_ids, uint32_t, i));
        if (path == NULL || !reel_app_entity_viewable(path))
            continue;
        reel_viewer_item item = app_item_data_result(view->id, path, -1);
        bool selected = reel_viewer_is_selected(app->viewer, &item);
        reel_ui_tree_result r =
            reel_ui_tree_node(app->ui, &(reel_ui_tree_item){.label = path,
                                                            .icon = REEL_UI_ICON_ENTITY,
                                                            .leaf = true,
                                                            .selected = selected,
                                                            .subdued = !view->visible});
        if (r.row.clicked)
            app_click_item(app, &item);
        row_hover(app, &r.row, &item);
    }
    if (n > APP_TREE_MAX_ENTITIES) {
        char text[64];
        snprintf(text, sizeof text, "… %zu more entities", n - APP_TREE_MAX_ENTITIES);
        reel_ui_label_colored(app->ui, text, REEL_THEME_TEXT_SUBDUED);
    }
}

static void view_node(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp,
                      const reel_bp_view *view, bool parent_visible)
{
    char label[320];
    const char *name = app_view_name(app, view);
    uuid_label(label, sizeof label, name, view->id);
    reel_viewer_item item = app_item_view(view->id);
    bool visible = view->visible;
    reel_ui_tree_result r = reel_ui_tree_node(
        app->ui, &(reel_ui_tree_item){.label = label,
                                      .icon = REEL_UI_ICON_VIEW,
                                      .default_open = true,
                                      .selected = reel_viewer_is_selected(app->viewer, &item),
                                      .subdued = !visible || !parent_visible,
                                      .visible = &visible});
    if (r.visibility_changed) {
        reel_error err = {0};
        app_check(app, reel_bp_set_visible(app->viewer, bp, view->id, visible, &err), &err);
    }
    if (r.row.clicked)
        app_click_item(app, &item);
    row_hover(app, &r.row, &item);
    item_menu(app, bp, &r.row, view->id, true, view->visible, true, view->display_name);
    if (r.open) {
        entity_rows(app, rec, view);
        reel_ui_tree_pop(app->ui);
    }
}

static void container_node(reel_viewer_app *app, reel_viewer_recording *rec,
                           reel_viewer_blueprint *bp, const reel_bp_model *model,
                           const reel_bp_container *c, bool is_root, bool parent_visible, int depth)
{
    char text[200], label[320];
    const char *kind = c->kind == REEL_CONTAINER_TABS ? "Tab" : reel_container_kind_name(c->kind);
    if (is_root)
        snprintf(text, sizeof text, "Viewport (%s container)", kind);
    else if (c->display_name != NULL && c->display_name[0])
        snprintf(text, sizeof text, "%s", c->display_name);
    else
        snprintf(text, sizeof text, "%s container", kind);
    uuid_label(label, sizeof label, text, c->id);
    reel_viewer_item item = app_item_container(c->id);
    bool visible = c->visible;
    reel_ui_tree_result r = reel_ui_tree_node(
        app->ui, &(reel_ui_tree_item){.label = label,
                                      .icon = REEL_UI_ICON_CONTAINER,
                                      .default_open = true,
                                      .selected = reel_viewer_is_selected(app->viewer, &item),
                                      .subdued = !visible || !parent_visible,
                                      .visible = is_root ? NULL : &visible});
    if (r.visibility_changed) {
        reel_error err = {0};
        app_check(app, reel_bp_set_visible(app->viewer, bp, c->id, visible, &err), &err);
    }
    if (r.row.clicked)
        app_click_item(app, &item);
    row_hover(app, &r.row, &item);
    item_menu(app, bp, &r.row, c->id, false, c->visible, !is_root, c->display_name);
    if (!r.open)
        return;
    for (size_t i = 0; i < c->n_children && depth < 32; i++) {
        const reel_bp_child *child = &c->children[i];
        if (child->is_view) {
            const reel_bp_view *view = reel_bp_model_view(model, child->id);
            if (view != NULL)
                view_node(app, rec, bp, view, parent_visible && c->visible);
        } else {
            const reel_bp_container *sub = reel_bp_model_container(model, child->id);
            if (sub != NULL)
                container_node(app, rec, bp, model, sub, false, parent_visible && c->visible,
                               depth + 1);
        }
    }
    reel_ui_tree_pop(app->ui);
}

static void recordings_list(reel_viewer_app *app)
{
    reel_ui *ui = app->ui;
    reel_ui_label_font(ui, "Sources", REEL_UI_FONT_SMALL, REEL_THEME_TEXT_SUBDUED);
    size_t n = reel_viewer_recording_count(app->viewer);
    if (n == 0) {
        reel_ui_label_colored(ui, "No recordings loaded", REEL_THEME_TEXT_SUBDUED);
        return;
    }
    float rows = 2.0f + (float)n;
    reel_ui_scroll_begin(ui, "recordings", fminf(160.0f, rows * REEL_THEME_LIST_ITEM_HEIGHT));
    reel_viewer_recording *active = reel_viewer_active_recording(app->viewer);
    const char *open_app = NULL;
    bool app_open = false;
    for (size_t i = 0; i < n; i++) {
        reel_viewer_recording *rec = reel_viewer_recording_at(app->viewer, i);
        const reel_store_id *id = reel_viewer_recording_id(rec);
        const char *app_id = id->application_id ? id->application_id : "<unknown app>";
        if (open_app == NULL || strcmp(open_app, app_id) != 0) {
            if (app_open)
                reel_ui_tree_pop(ui);
            open_app = app_id;
            reel_ui_tree_result r = reel_ui_tree_node(
                ui, &(reel_ui_tree_item){
                        .label = app_id, .icon = REEL_UI_ICON_CONTAINER, .default_open = true});
            app_open = r.open;
        }
        if (!app_open)
            continue;
        reel_buf_clear(&app->text);
        reel_viewer_recording_label(rec, &app->text);
        char label[400];
        snprintf(label, sizeof label, "%.*s##%s", (int)app->text.len, (const char *)app->text.data,
                 id->recording_id);
        reel_ui_tree_result r =
            reel_ui_tree_node(ui, &(reel_ui_tree_item){.label = label,
                                                       .icon = REEL_UI_ICON_VIEW,
                                                       .leaf = true,
                                                       .selected = rec == active});
        reel_viewer_item item = {
            .kind = REEL_ITEM_RECORDING, .recording_id = id->recording_id, .instance = -1};
        if (r.row.clicked) {
            reel_viewer_set_active_recording(app->viewer, rec);
            reel_viewer_select(app->viewer, &item);
        }
        if (r.row.hovered)
            reel_viewer_hover(app->viewer, &item);
        if (reel_ui_context_menu_begin(ui, &r.row)) {
            if (reel_ui_menu_item(ui, "Close recording")) {
                reel_viewer_select_clear(app->viewer);
                reel_viewer_close_recording(app->viewer, rec);
                reel_ui_context_menu_end(ui);
                if (app_open)
                    reel_ui_tree_pop(ui);
                reel_ui_scroll_end(ui);
                return; /* the list changed under us */
            }
            reel_ui_context_menu_end(ui);
        }
    }
    if (app_open)
        reel_ui_tree_pop(ui);
    reel_ui_scroll_end(ui);
}

static void rename_modal(reel_viewer_app *app, reel_viewer_blueprint *bp)
{
    if (app->rename_open_requested) {
        app->rename_open_requested = false;
        reel_ui_popup_open(app->ui, "rename");
    }
    if (!reel_ui_modal_begin(app->ui, "rename", "Rename"))
        return;
    bool submitted = false;
    reel_ui_text_field(app->ui, "Name", app->rename_text, sizeof app->rename_text, &submitted);
    reel_ui_horizontal_begin(app->ui);
    bool ok = reel_ui_button_primary(app->ui, "Rename") || submitted;
    bool cancel = reel_ui_button(app->ui, "Cancel");
    reel_ui_horizontal_end(app->ui);
    if (ok && bp != NULL) {
        reel_error err = {0};
        app_check(app, reel_bp_rename(app->viewer, bp, app->rename_target, app->rename_text, &err),
                  &err);
        reel_ui_popup_close(app->ui);
    } else if (cancel) {
        reel_ui_popup_close(app->ui);
    }
    reel_ui_modal_end(app->ui);
}

static void add_modal(reel_viewer_app *app, reel_viewer_blueprint *bp, const reel_bp_model *model)
{
    if (!reel_ui_modal_begin(app->ui, "add_view_or_container", "Add view or container"))
        return;
    const reel_viewer_uuid *root = model->has_root ? &model->root_container : NULL;
    char label[96];
    for (size_t i = 0; i < reel_view_class_count(); i++) {
        const reel_view_class *cls = reel_view_class_at(i);
        snprintf(label, sizeof label, "%s view", cls->display_name);
        if (reel_ui_button(app->ui, label)) {
            add_view(app, bp, cls->identifier, root);
            reel_ui_popup_close(app->ui);
        }
    }
    for (size_t i = 0; i < sizeof add_kinds / sizeof add_kinds[0]; i++) {
        snprintf(label, sizeof label, "%s container", reel_container_kind_name(add_kinds[i]));
        if (reel_ui_button(app->ui, label)) {
            add_container(app, bp, add_kinds[i], root);
            reel_ui_popup_close(app->ui);
        }
    }
    if (reel_ui_button(app->ui, "Cancel"))
        reel_ui_popup_close(app->ui);
    reel_ui_modal_end(app->ui);
}

static void blueprint_tree(reel_viewer_app *app, reel_viewer_recording *rec,
                           reel_viewer_blueprint *bp)
{
    reel_ui *ui = app->ui;
    const reel_bp_model *model = reel_viewer_blueprint_model(bp);
    reel_ui_horizontal_begin(ui);
    reel_ui_label_font(ui, "Blueprint", REEL_UI_FONT_BODY, REEL_THEME_TEXT_STRONG);
    reel_ui_response more = reel_ui_icon_button(ui, "blueprint_menu", REEL_UI_ICON_MORE);
    reel_ui_horizontal_end(ui);
    if (more.clicked)
        reel_ui_popup_open(ui, "blueprint_menu_popup");
    bool open_add = false;
    if (reel_ui_popup_begin(ui, "blueprint_menu_popup")) {
        if (reel_ui_menu_item(ui, "Add view or container…"))
            open_add = true;
        const char *app_id = reel_viewer_recording_id(rec)->application_id;
        reel_error err = {0};
        if (reel_ui_menu_item(ui, "Reset to default blueprint")) {
            reel_status status = reel_viewer_reset_to_default(app->viewer, app_id, &err);
            if (status == REEL_NOT_FOUND)
                reel_app_notify(app, "This application has no default blueprint", true);
            else
                app_check(app, status, &err);
        }
        if (reel_ui_menu_item(ui, "Reset to heuristic blueprint"))
            app_check(app, reel_viewer_reset_to_heuristic(app->viewer, app_id, &err), &err);
        reel_ui_popup_end(ui);
    }
    if (open_add)
        reel_ui_popup_open(ui, "add_view_or_container");
    reel_ui_scroll_begin(ui, "blueprint_tree", 0);
    const reel_bp_container *root =
        model->has_root ? reel_bp_model_container(model, model->root_container) : NULL;
    if (root != NULL)
        container_node(app, rec, bp, model, root, true, true, 0);
    else
        reel_ui_label_colored(ui, "Viewport (empty)", REEL_THEME_TEXT_SUBDUED);
    /* Clicking empty space below the tree clears the selection (§8.1). */
    reel_ui_rect rest = reel_ui_available(ui);
    if (rest.y1 > rest.y0) {
        reel_ui_response empty =
            reel_ui_interact(ui, rest, reel_ui_make_id(ui, "tree_empty"), REEL_UI_SENSE_CLICK);
        if (empty.clicked)
            reel_viewer_select_clear(app->viewer);
    }
    reel_ui_scroll_end(ui);
    add_modal(app, bp, model);
    rename_modal(app, bp);
}

void app_left_panel(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    const reel_input *in = reel_ui_input(app->ui);
    float width_pt = (float)in->width / reel_ui_scale(app->ui);
    reel_ui_panel_begin(app->ui, "left_panel",
                        &(reel_ui_panel_desc){.side = REEL_UI_LEFT,
                                              .default_size_pt = fminf(0.35f * width_pt, 200),
                                              .min_size_pt = 120,
                                              .resizable = true});
    recordings_list(app);
    if (rec != NULL && bp != NULL) {
        reel_ui_separator(app->ui);
        blueprint_tree(app, rec, bp);
    }
    reel_ui_panel_end(app->ui);
}
