/* Keyboard shortcuts (§7.6, §9.4, §8.1): Space play/pause, ←/→ previous/next logged time
 * (Ctrl: and pause), Home/End (End follows), Ctrl+Z undo, Ctrl+Shift+Z / Ctrl+Y redo, Escape
 * clears the selection, Ctrl+O opens the file dialog. Ignored while a text field has the
 * keyboard or the file dialog is open (it has its own keys). */
#include "app/app_internal.h"

void app_shortcuts(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    const reel_input *in = reel_ui_input(app->ui);
    if (app->keyboard_taken)
        return; /* a text field had focus last frame */
    bool ctrl = in->modifiers & (REEL_MOD_CTRL | REEL_MOD_SUPER);
    bool shift = in->modifiers & REEL_MOD_SHIFT;
    if (app->open_dialog.open)
        return;
    if (ctrl && in->key_pressed[REEL_KEY_O]) {
        app_open_dialog_request(app);
        return;
    }
    if (bp != NULL && ctrl && in->key_pressed[REEL_KEY_Z]) {
        bool done = shift ? reel_bp_redo(bp) : reel_bp_undo(bp);
        if (!done)
            reel_app_notify(app, shift ? "Nothing to redo" : "Nothing to undo", false);
    }
    if (bp != NULL && ctrl && in->key_pressed[REEL_KEY_Y] && !reel_bp_redo(bp))
        reel_app_notify(app, "Nothing to redo", false);
    if (in->key_pressed[REEL_KEY_ESCAPE])
        reel_viewer_select_clear(app->viewer);
    if (rec == NULL)
        return;
    if (in->key_pressed[REEL_KEY_SPACE])
        reel_viewer_time_toggle_play(app->viewer, rec);
    int steps = shift ? 10 : 1; /* Shift: fast (10 steps) */
    for (int i = 0; i < steps; i++) {
        if (in->key_pressed[REEL_KEY_LEFT])
            reel_viewer_time_step(app->viewer, rec, -1, ctrl);
        if (in->key_pressed[REEL_KEY_RIGHT])
            reel_viewer_time_step(app->viewer, rec, +1, ctrl);
    }
    if (in->key_pressed[REEL_KEY_HOME])
        reel_viewer_time_to_start(rec);
    if (in->key_pressed[REEL_KEY_END])
        reel_viewer_time_to_end_and_follow(app->viewer, rec);
}
