/* The app's frame: opens dropped files, runs the viewer's frame, lays out the panels in
 * Rerun's order (top bar, time panel, left, right, then the viewport in what is left) and
 * hands the ui's draw list with the views' scenes and textures to the platform as one
 * reel_draw_frame. Also panel visibility (§11.1), notifications and item clicks. */
#include "app/app_internal.h"

#include <math.h>

reel_status reel_app_create(const reel_app_desc *desc, reel_viewer_app **out, reel_error *err)
{
    *out = NULL;
    if (desc == NULL || desc->viewer == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "reel_app_create: no viewer given");
    reel_viewer_app *app = calloc(1, sizeof *app);
    if (app == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "reel_app_create: out of memory");
    app->viewer = desc->viewer;
    app->deterministic = desc->deterministic;
    app->show_all_panels = desc->show_all_panels;
    app->last_time = -1;
    if (desc->listen_url != NULL)
        snprintf(app->listen_url, sizeof app->listen_url, "%s", desc->listen_url);
    reel_arena_init(&app->arena, NULL, 256 * 1024);
    reel_vec_init(&app->scenes, sizeof(reel_draw_scene), NULL);
    reel_vec_init(&app->textures, sizeof(reel_draw_texture), NULL);
    reel_vec_init(&app->entity_ids, sizeof(uint32_t), NULL);
    reel_buf_init(&app->text, NULL);
    app->ui = reel_ui_create(&(reel_ui_desc){
        .tooltip_delay_secs = desc->deterministic ? 1e9 : 0,
    });
    reel_status status = REEL_OK;
    if (app->ui == NULL)
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "reel_app_create: ui context");
    else
        status = app_views_create(&app->views, err);
    if (status != REEL_OK) {
        reel_app_destroy(app);
        return status;
    }
    *out = app;
    return REEL_OK;
}

void reel_app_destroy(reel_viewer_app *app)
{
    if (app == NULL)
        return;
    app_views_destroy(app->views);
    app_open_dialog_free(app);
    reel_ui_destroy(app->ui);
    reel_arena_free(&app->arena);
    reel_vec_free(&app->scenes);
    reel_vec_free(&app->textures);
    reel_vec_free(&app->entity_ids);
    reel_buf_free(&app->text);
    free(app->density_cache);
    free(app);
}

void reel_app_notify(reel_viewer_app *app, const char *text, bool error)
{
    snprintf(app->note, sizeof app->note, "%s", text);
    app->note_error = error;
    app->note_until = (app->last_time < 0 ? 0 : app->last_time) + APP_NOTE_SECS;
}

void app_check(reel_viewer_app *app, reel_status status, const reel_error *err)
{
    if (status != REEL_OK)
        reel_app_notify(app, err != NULL && err->message[0] ? err->message : "edit failed", true);
}

void reel_app_set_pick(reel_viewer_app *app, const reel_draw_pick *pick)
{
    app->pick = pick != NULL ? *pick : (reel_draw_pick){0};
}

bool reel_app_pick_wanted(const reel_viewer_app *app, int32_t *x, int32_t *y)
{
    if (app->pick_wanted) {
        *x = app->pick_x;
        *y = app->pick_y;
    }
    return app->pick_wanted;
}

bool reel_app_view_rect(const reel_viewer_app *app, reel_viewer_uuid view, float rect[4])
{
    for (size_t i = 0; i < app->n_view_rects; i++) {
        if (reel_viewer_uuid_equal(app->view_rects[i].id, view)) {
            memcpy(rect, app->view_rects[i].rect, sizeof app->view_rects[i].rect);
            return true;
        }
    }
    return false;
}

void app_click_item(reel_viewer_app *app, const reel_viewer_item *item)
{
    const reel_input *in = reel_ui_input(app->ui);
    if (in->modifiers & (REEL_MOD_CTRL | REEL_MOD_SUPER))
        reel_viewer_select_toggle(app->viewer, item);
    else
        reel_viewer_select(app->viewer, item);
}

/* PanelState: Hidden 1, Collapsed 2, Expanded 3 (rerun.blueprint.components.PanelState). */
app_panels app_panels_shown(const reel_viewer_app *app, const reel_bp_model *model)
{
    const reel_input *in = reel_ui_input(app->ui);
    float scale = in->pixels_per_point > 0 ? in->pixels_per_point : 1;
    float width_pt = (float)in->width / scale, height_pt = (float)in->height / scale;
    app_panels p = {
        .blueprint = width_pt > 750,
        .selection = width_pt > 1000,
        .time = true, /* collapsed below 600 pt rather than hidden: the controls stay */
    };
    (void)height_pt;
    if (app->show_all_panels)
        p = (app_panels){true, true, true};
    if (model != NULL) {
        if (model->blueprint_panel)
            p.blueprint = model->blueprint_panel != 1;
        if (model->selection_panel)
            p.selection = model->selection_panel != 1;
        if (model->time_panel.state)
            p.time = model->time_panel.state != 1;
    }
    return p;
}

static void open_dropped(reel_viewer_app *app, const reel_input *input)
{
    for (int32_t i = 0; i < input->n_drops && i < REEL_INPUT_MAX_DROPS; i++) {
        const char *path = input->drops[i];
        if (path == NULL)
            continue;
        size_t len = strlen(path);
        bool rbl = len > 4 && strcmp(path + len - 4, ".rbl") == 0;
        reel_viewer_load_result result = {0};
        reel_error err = {0};
        reel_status status = reel_viewer_load_path(app->viewer, path, rbl, &result, &err);
        char text[600];
        if (status != REEL_OK)
            snprintf(text, sizeof text, "%s", result.error[0] ? result.error : err.message);
        else
            snprintf(text, sizeof text, "Opened %s", path);
        reel_app_notify(app, text, status != REEL_OK);
    }
}

bool reel_app_frame(reel_viewer_app *app, const reel_input *input, reel_draw_frame *out)
{
    /* The previous frame was drawn: its scratch can go. */
    reel_arena_reset(&app->arena);
    reel_vec_clear(&app->scenes);
    reel_vec_clear(&app->textures);
    app->n_view_rects = 0;
    app->pick_wanted = false;
    app->frame_number++;

    double dt = app->last_time < 0 ? 0 : input->time_secs - app->last_time;
    app->last_time = input->time_secs;
    open_dropped(app, input);
    reel_viewer_begin_frame(app->viewer, dt);

    reel_ui_begin(app->ui, input);
    reel_viewer_recording *rec = reel_viewer_active_recording(app->viewer);
    reel_viewer_blueprint *bp = rec != NULL ? reel_viewer_active_blueprint(app->viewer) : NULL;
    app_shortcuts(app, rec, bp);
    const reel_bp_model *model = bp != NULL ? reel_viewer_blueprint_model(bp) : NULL;
    app_panels panels = app_panels_shown(app, model);

    app_top_bar(app, rec, bp);
    if (rec != NULL && panels.time)
        app_time_panel(app, rec);
    if (rec == NULL || panels.blueprint)
        app_left_panel(app, rec, bp);
    if (rec != NULL && panels.selection)
        app_selection_panel(app, rec, bp);
    if (rec != NULL)
        app_viewport(app, rec, bp);
    else
        app_welcome(app);

    reel_ui_output ui_out = reel_ui_end(app->ui);
    app->keyboard_taken = ui_out.wants_keyboard;
    reel_viewer_end_frame(app->viewer);
    app_views_end_frame(app->views);

    *out = (reel_draw_frame){
        .width = input->width,
        .height = input->height,
        .clear = REEL_THEME_PANEL_BG,
        .atlas = ui_out.atlas,
        .textures = app->textures.data,
        .n_textures = (uint32_t)app->textures.len,
        .scenes = app->scenes.data,
        .n_scenes = (uint32_t)app->scenes.len,
        .list = ui_out.list,
    };
    app->frame = *out;
    return !(input->close_requested || app->quit);
}
