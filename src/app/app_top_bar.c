/* The top bar (§11.3, 28 pt, #0d0d0d): the "Reel" menu (open a file, undo, redo, save blueprint
 * .rbl, reset to default / heuristic blueprint, quit), undo/redo buttons, the active recording's
 * application id and label, a notification, and on the right the blueprint / selection /
 * time panel toggles, which write the panels' PanelState to the blueprint. */
#include "app/app_internal.h"

static void undo(reel_viewer_app *app, reel_viewer_blueprint *bp)
{
    if (bp == NULL || !reel_bp_undo(bp))
        reel_app_notify(app, "Nothing to undo", false);
}

static void redo(reel_viewer_app *app, reel_viewer_blueprint *bp)
{
    if (bp == NULL || !reel_bp_redo(bp))
        reel_app_notify(app, "Nothing to redo", false);
}

static void save_modal(reel_viewer_app *app, reel_viewer_blueprint *bp)
{
    if (!reel_ui_modal_begin(app->ui, "save_blueprint", "Save blueprint"))
        return;
    reel_ui_label(app->ui, "Write the active blueprint as an .rbl file:");
    bool submitted = false;
    reel_ui_text_field(app->ui, "Path", app->save_path, sizeof app->save_path, &submitted);
    reel_ui_horizontal_begin(app->ui);
    bool save = reel_ui_button_primary(app->ui, "Save") || submitted;
    bool cancel = reel_ui_button(app->ui, "Cancel");
    reel_ui_horizontal_end(app->ui);
    if (save && bp != NULL) {
        reel_error err = {0};
        reel_status status = reel_bp_save_rbl(bp, app->save_path, &err);
        char text[600];
        snprintf(text, sizeof text, "Saved blueprint to %s", app->save_path);
        reel_app_notify(app, status == REEL_OK ? text : err.message, status != REEL_OK);
        reel_ui_popup_close(app->ui);
    } else if (cancel) {
        reel_ui_popup_close(app->ui);
    }
    reel_ui_modal_end(app->ui);
}

static void reset_blueprint(reel_viewer_app *app, reel_viewer_recording *rec, bool heuristic)
{
    if (rec == NULL)
        return;
    const char *app_id = reel_viewer_recording_id(rec)->application_id;
    reel_error err = {0};
    reel_status status = heuristic ? reel_viewer_reset_to_heuristic(app->viewer, app_id, &err)
                                   : reel_viewer_reset_to_default(app->viewer, app_id, &err);
    if (status == REEL_NOT_FOUND)
        reel_app_notify(app, "This application has no default blueprint", true);
    else
        app_check(app, status, &err);
}

static void main_menu(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    if (!reel_ui_popup_begin(app->ui, "reel_menu"))
        return;
    if (reel_ui_menu_item(app->ui, "Open…   Ctrl+O"))
        app_open_dialog_request(app);
    reel_ui_separator(app->ui);
    if (reel_ui_menu_item(app->ui, "Undo   Ctrl+Z"))
        undo(app, bp);
    if (reel_ui_menu_item(app->ui, "Redo   Ctrl+Shift+Z"))
        redo(app, bp);
    reel_ui_separator(app->ui);
    if (reel_ui_menu_item(app->ui, "Save blueprint…") && bp != NULL) {
        const char *app_id = rec != NULL ? reel_viewer_recording_id(rec)->application_id : NULL;
        snprintf(app->save_path, sizeof app->save_path, "%s.rbl",
                 app_id != NULL && app_id[0] ? app_id : "blueprint");
        app->save_open_requested = true;
    }
    if (reel_ui_menu_item(app->ui, "Reset to default blueprint"))
        reset_blueprint(app, rec, false);
    if (reel_ui_menu_item(app->ui, "Reset to heuristic blueprint"))
        reset_blueprint(app, rec, true);
    reel_ui_separator(app->ui);
    if (reel_ui_menu_item(app->ui, "Quit"))
        app->quit = true;
    reel_ui_popup_end(app->ui);
}

static void panel_toggle(reel_viewer_app *app, reel_viewer_blueprint *bp, const char *label,
                         const char *panel, bool shown)
{
    bool clicked = reel_ui_button(app->ui, label);
    reel_ui_response r = reel_ui_last_response(app->ui);
    if (shown) /* an underline marks a shown panel */
        reel_draw_rect_filled(reel_ui_draw_list(app->ui), r.rect.x0 + app_pt(app, 4),
                              r.rect.y1 - app_pt(app, 2), r.rect.x1 - app_pt(app, 4), r.rect.y1, 0,
                              REEL_THEME_SELECTION_BG);
    if (clicked && bp != NULL) {
        reel_error err = {0};
        uint8_t state = shown ? 1 : 3; /* Hidden / Expanded */
        app_check(app, reel_bp_set_panel_state(app->viewer, bp, panel, state, &err), &err);
    }
}

void app_top_bar(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    reel_ui *ui = app->ui;
    reel_ui_rect bar =
        reel_ui_panel_begin(ui, "top_bar",
                            &(reel_ui_panel_desc){.side = REEL_UI_TOP,
                                                  .default_size_pt = REEL_THEME_TOP_BAR_HEIGHT,
                                                  .fill = REEL_THEME_TOP_BAR_BG,
                                                  .padding_pt = 4});
    reel_ui_horizontal_begin(ui);
    if (reel_ui_button(ui, "Reel ▾"))
        reel_ui_popup_open(ui, "reel_menu");
    if (bp != NULL) {
        if (reel_ui_button(ui, "Undo"))
            undo(app, bp);
        if (reel_ui_button(ui, "Redo"))
            redo(app, bp);
    }
    if (rec != NULL) {
        const reel_store_id *id = reel_viewer_recording_id(rec);
        reel_buf_clear(&app->text);
        reel_viewer_recording_label(rec, &app->text);
        reel_ui_textf(ui, "%s  ·  %.*s", id->application_id ? id->application_id : "<unknown app>",
                      (int)app->text.len, (const char *)app->text.data);
    }
    if (app->note[0] && (app->deterministic || app->last_time <= app->note_until))
        reel_ui_label_colored(ui, app->note,
                              app->note_error ? REEL_THEME_WARN_FG : REEL_THEME_TEXT_SUBDUED);
    reel_ui_horizontal_end(ui);

    if (rec != NULL) {
        const reel_bp_model *model = bp != NULL ? reel_viewer_blueprint_model(bp) : NULL;
        app_panels shown = app_panels_shown(app, model);
        float width = app_pt(app, 230);
        reel_ui_rect right = {bar.x1 - width, bar.y0, bar.x1, bar.y1};
        reel_ui_layout_begin(ui, right, 4);
        reel_ui_horizontal_begin(ui);
        panel_toggle(app, bp, "Blueprint", "blueprint_panel", shown.blueprint);
        panel_toggle(app, bp, "Selection", "selection_panel", shown.selection);
        panel_toggle(app, bp, "Time", "time_panel", shown.time);
        reel_ui_horizontal_end(ui);
        reel_ui_layout_end(ui);
    }
    main_menu(app, rec, bp);
    if (app->save_open_requested) {
        app->save_open_requested = false;
        reel_ui_popup_open(ui, "save_blueprint");
    }
    save_modal(app, bp);
    app_open_dialog(app);
    reel_ui_panel_end(ui);
}
