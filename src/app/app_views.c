/* The one place the app meets the view classes (src/views): per-view runtime state (camera,
 * plot ranges, scroll offsets) kept by view id, the per-class draw dispatch, and what a
 * view's output means for the rest of the viewer (hover, selection, time cursor, picking).
 *
 * Classes Reel does not draw yet (Tensor, BarChart, Dataframe, Map… from a Rerun blueprint)
 * show what they would contain. Spatial views append their scene
 * and place it themselves (reel_draw_scene_here inside their rectangle, then their labels
 * over it); the app remembers the index to route the renderer's pick back to the view. */
#include "app/app_internal.h"

#include <math.h>

#include "views/views.h"

#define APP_MAX_VIEW_STATES 256
#define APP_VIEW_STATE_IDLE_FRAMES 600 /* a view not drawn for this long loses its state */

typedef enum app_class {
    APP_CLASS_OTHER = 0,
    APP_CLASS_3D,
    APP_CLASS_2D,
    APP_CLASS_TIME_SERIES,
    APP_CLASS_TEXT_LOG,
    APP_CLASS_TEXT_DOCUMENT,
} app_class;

typedef struct view_slot {
    bool used;
    reel_viewer_uuid id;
    app_class cls;
    int32_t last_scene; /* the scene it appended last frame (pick routing), -1 = none */
    uint32_t idle_frames;
    bool drawn;
    union {
        reel_view_spatial3d_state s3d;
        reel_view_spatial2d_state s2d;
        reel_view_timeseries_state ts;
        reel_view_textlog_state log;
        reel_view_textdoc_state doc;
    } state;
} view_slot;

struct app_views {
    view_slot slots[APP_MAX_VIEW_STATES];
};

static app_class class_of(const char *identifier)
{
    if (identifier == NULL)
        return APP_CLASS_OTHER;
    if (strcmp(identifier, "3D") == 0)
        return APP_CLASS_3D;
    if (strcmp(identifier, "2D") == 0)
        return APP_CLASS_2D;
    if (strcmp(identifier, "TimeSeries") == 0)
        return APP_CLASS_TIME_SERIES;
    if (strcmp(identifier, "TextLog") == 0)
        return APP_CLASS_TEXT_LOG;
    if (strcmp(identifier, "TextDocument") == 0)
        return APP_CLASS_TEXT_DOCUMENT;
    return APP_CLASS_OTHER;
}

static void slot_free(view_slot *slot)
{
    switch (slot->cls) {
    case APP_CLASS_3D:
        reel_view_spatial3d_state_free(&slot->state.s3d);
        break;
    case APP_CLASS_2D:
        reel_view_spatial2d_state_free(&slot->state.s2d);
        break;
    case APP_CLASS_TIME_SERIES:
        reel_view_timeseries_state_free(&slot->state.ts);
        break;
    default:
        break;
    }
    memset(slot, 0, sizeof *slot);
}

reel_status app_views_create(app_views **out, reel_error *err)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "app: view states");
    return REEL_OK;
}

void app_views_destroy(app_views *views)
{
    if (views == NULL)
        return;
    for (size_t i = 0; i < APP_MAX_VIEW_STATES; i++)
        if (views->slots[i].used)
            slot_free(&views->slots[i]);
    free(views);
}

void app_views_end_frame(app_views *views)
{
    for (size_t i = 0; i < APP_MAX_VIEW_STATES; i++) {
        view_slot *slot = &views->slots[i];
        if (!slot->used)
            continue;
        if (!slot->drawn) {
            slot->last_scene = -1;
            if (++slot->idle_frames > APP_VIEW_STATE_IDLE_FRAMES)
                slot_free(slot);
        } else {
            slot->idle_frames = 0;
        }
        slot->drawn = false;
    }
}

/* The view's slot; a new (zeroed = the class defaults) one when it has none or its class
 * changed. NULL when the table is full (the view is drawn without keeping state). */
static view_slot *slot_for(app_views *views, reel_viewer_uuid id, app_class cls)
{
    view_slot *free_slot = NULL;
    for (size_t i = 0; i < APP_MAX_VIEW_STATES; i++) {
        view_slot *slot = &views->slots[i];
        if (slot->used && reel_viewer_uuid_equal(slot->id, id)) {
            if (slot->cls != cls) {
                slot_free(slot);
                break;
            }
            return slot;
        }
        if (!slot->used && free_slot == NULL)
            free_slot = slot;
    }
    if (free_slot == NULL) {
        for (size_t i = 0; i < APP_MAX_VIEW_STATES && free_slot == NULL; i++)
            if (!views->slots[i].used)
                free_slot = &views->slots[i];
        if (free_slot == NULL)
            return NULL;
    }
    free_slot->used = true;
    free_slot->id = id;
    free_slot->cls = cls;
    free_slot->last_scene = -1;
    return free_slot;
}

/* What a view of a class Reel does not draw yet shows: its class, origin and contents. */
static void placeholder(reel_viewer_app *app, const app_view_call *call)
{
    reel_ui *ui = app->ui;
    reel_ui_rect r = call->rect;
    const reel_view_class *cls = reel_view_class_find(call->view->class_identifier);
    char text[256];
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float x = r.x0 + app_pt(app, REEL_THEME_VIEW_PADDING), y = r.y0 + app_pt(app, 12);
    snprintf(text, sizeof text, "%s view of %s: %u entit%s",
             cls != NULL ? cls->display_name : call->view->class_identifier,
             call->view->space_origin, call->n_entities, call->n_entities == 1 ? "y" : "ies");
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x, y, text, strlen(text), REEL_THEME_TEXT_DEFAULT,
                      r.x1 - x);
    y += line + app_pt(app, 4);
    for (uint32_t i = 0; i < call->n_entities && y + line < r.y1; i++) {
        reel_ui_draw_text(ui, REEL_UI_FONT_MONO, x, y, call->entities[i], strlen(call->entities[i]),
                          REEL_THEME_TEXT_SUBDUED, r.x1 - x);
        y += line;
    }
    const char *note = "(Reel does not draw this view class yet)";
    reel_ui_draw_text(ui, REEL_UI_FONT_SMALL, x, r.y1 - line - app_pt(app, 4), note, strlen(note),
                      REEL_THEME_TEXT_SUBDUED, r.x1 - x);
}

static uint64_t uuid_hash(reel_viewer_uuid id)
{
    return reel_hash_bytes(id.bytes, sizeof id.bytes, 0x7265656c);
}

static void apply_output(reel_viewer_app *app, const app_view_call *call,
                         const reel_view_output *out)
{
    if (out->hovered && out->hover.entity_path != NULL) {
        reel_viewer_item item =
            app_item_data_result(call->view->id, out->hover.entity_path, out->hover.instance);
        reel_viewer_hover(app->viewer, &item);
        if (out->clicked)
            app_click_item(app, &item);
    } else if (out->clicked || (out->response.clicked && !out->hovered)) {
        reel_viewer_item item = app_item_view(call->view->id);
        app_click_item(app, &item);
    }
    if (out->set_time)
        reel_viewer_time_set_cursor(call->rec, (double)out->new_time);
    /* TODO(blueprint properties): out->state_changed should write the class's view properties
     * (EyeControls3D, VisualBounds2D, TimeAxis/ScalarAxis, TextLogColumns...) with
     * reel_bp_set_view_property; the state is kept per view in this table meanwhile. */
}

int32_t app_view_draw(reel_viewer_app *app, const app_view_call *call)
{
    app_class cls = class_of(call->view->class_identifier);
    view_slot *slot = slot_for(app->views, call->view->id, cls);
    if (slot != NULL)
        slot->drawn = true;
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    reel_ui_rect r = call->rect;
    reel_draw_push_clip(list, r.x0, r.y0, r.x1, r.y1);
    int32_t scene = -1;
    const reel_input *in = reel_ui_input(app->ui);
    bool spatial = cls == APP_CLASS_3D || cls == APP_CLASS_2D;
    bool pointer_in = in->has_pointer && in->pointer_x >= r.x0 && in->pointer_x < r.x1 &&
                      in->pointer_y >= r.y0 && in->pointer_y < r.y1;
    if (spatial && pointer_in && !app->deterministic) {
        app->pick_wanted = true;
        app->pick_x = (int32_t)in->pointer_x;
        app->pick_y = (int32_t)in->pointer_y;
    }
    const reel_viewer_item *hovered = reel_viewer_hovered(app->viewer);
    const reel_viewer_item *selected = reel_viewer_selection_count(app->viewer) > 0
                                           ? reel_viewer_selection_at(app->viewer, 0)
                                           : NULL;
    reel_view_input input = {
        .store = reel_viewer_recording_store(call->rec),
        .cache = reel_viewer_recording_cache(call->rec),
        .entities = call->entities,
        .n_entities = call->n_entities,
        .origin = call->view->space_origin,
        .timeline = call->time->timeline != REEL_STORE_NO_ID ? call->time->timeline_name : NULL,
        .time = call->time->cursor,
        .ui = app->ui,
        .rect = r,
        .view_id = uuid_hash(call->view->id),
        .hovered = {hovered ? hovered->entity_path : NULL, hovered ? hovered->instance : -1},
        .selected = {selected ? selected->entity_path : NULL, selected ? selected->instance : -1},
        .arena = &app->arena,
        .scenes = &app->scenes,
        .textures = &app->textures,
    };
    if (slot != NULL && app->pick.hit && app->pick.scene == slot->last_scene)
        input.pick = app->pick;
    reel_view_output out = {.scene = -1};
    reel_error err = {0};
    reel_status status = REEL_OK;
    if (slot == NULL) {
        placeholder(app, call);
    } else {
        switch (cls) {
        case APP_CLASS_3D:
            status = reel_view_spatial3d_draw(&input, &slot->state.s3d, &out, &err);
            break;
        case APP_CLASS_2D:
            status = reel_view_spatial2d_draw(&input, &slot->state.s2d, &out, &err);
            break;
        case APP_CLASS_TIME_SERIES:
            status = reel_view_timeseries_draw(&input, &slot->state.ts, &out, NULL, &err);
            break;
        case APP_CLASS_TEXT_LOG:
            status = reel_view_textlog_draw(&input, &slot->state.log, &out, NULL, &err);
            break;
        case APP_CLASS_TEXT_DOCUMENT:
            status = reel_view_textdoc_draw(&input, &slot->state.doc, &out, &err);
            break;
        default:
            placeholder(app, call);
            break;
        }
    }
    scene = out.scene;
    if (status != REEL_OK) {
        float line = reel_ui_line_height(app->ui, REEL_UI_FONT_BODY);
        reel_ui_draw_text(app->ui, REEL_UI_FONT_BODY, r.x0 + app_pt(app, 8), r.y1 - line * 1.5f,
                          err.message, strlen(err.message), REEL_THEME_ERROR_FG, r.x1 - r.x0);
    }
    apply_output(app, call, &out);
    if (slot != NULL)
        slot->last_scene = scene;
    reel_draw_pop_clip(list);
    return scene;
}
