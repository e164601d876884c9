/* The one place the app meets the view classes (src/views): per-view runtime state (camera,
 * plot ranges, scroll offsets) kept by view id, the per-class draw dispatch, and what a
 * view's output means for the rest of the viewer (hover, selection, time cursor, picking).
 * The persisted part of that state is the blueprint's view properties: read into the state
 * whenever the blueprint changes (edits, undo/redo, resets, loaded .rbl files), written back
 * once per interaction (see "view properties" below).
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
    /* Blueprint sync: the blueprint (and its generation) the state was last read from, and an
     * interaction in progress whose result is written once it ends. */
    const reel_viewer_blueprint *synced_bp;
    uint64_t synced_generation;
    bool dirty;           /* the view changed its state; not written yet */
    bool dirty_with_drag; /* some change happened while a pointer button was held */
    double last_change_secs;
    uint32_t quiet_frames; /* frames since the last change */
    /* A TimeAxis range relative to the time cursor: re-read when the cursor moves. */
    bool cursor_relative;
    int64_t synced_cursor;
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

/* ---------------------------------------------------------------- view properties

   How each class's state maps to Rerun's view property archetypes (entity
   view/<uuid>/<Archetype>, components and Arrow types from reel_types):
     3D          EyeControls3D: kind, position, look_target, eye_up, tracking_entity
                 LineGrid3D: visible, spacing
     2D          VisualBounds2D: range (x_range, y_range)
     TimeSeries  TimeAxis: view_range (Absolute / CursorRelative boundaries)
                 ScalarAxis: range
                 PlotLegend: visible
     TextLog     TextLogColumns: timeline_columns (the active timeline's), text_log_columns
   Reading a property that is not stored leaves the class default (the eye follows the
   scene, bounds follow the content, ranges fit the data). */

/* An interaction ends when the pointer is released, or when it stopped changing the state
 * (wheel, keys) for this long: one blueprint write, one undo step, per interaction. */
#define APP_PROPERTY_SETTLE_SECS 0.3
#define APP_PROPERTY_SETTLE_FRAMES 20

static bool read_prop(const reel_viewer_blueprint *bp, reel_viewer_uuid id, const char *arch,
                      const char *field, reel_bp_prop *out)
{
    return reel_bp_view_property(bp, id, arch, field, out);
}

/* Whether the blueprint already holds `props` (an empty one: nothing stored): an interaction
 * that ends where it started (a click, a legend toggle Reel does not persist) writes nothing
 * and makes no undo step. */
static bool props_stored(const reel_viewer_blueprint *bp, reel_viewer_uuid id, const char *arch,
                         const reel_bp_prop *props, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        reel_bp_prop stored;
        bool has = read_prop(bp, id, arch, props[k].field, &stored);
        if (props[k].empty ? has : !has)
            return false;
        if (props[k].empty)
            continue;
        uint32_t instances = props[k].n_instances ? props[k].n_instances : 1;
        if (stored.n_instances != instances || memcmp(stored.i, props[k].i, sizeof stored.i) != 0 ||
            memcmp(stored.f, props[k].f, sizeof stored.f) != 0 || strcmp(stored.s, props[k].s) != 0)
            return false;
    }
    return true;
}

/* Writes the archetype's fields unless the blueprint holds them already. */
static reel_status write_props(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                               const char *arch, const reel_bp_prop *props, size_t n,
                               reel_error *err)
{
    if (props_stored(bp, id, arch, props, n))
        return REEL_OK;
    return reel_bp_set_view_properties(app->viewer, bp, id, arch, props, n, err);
}

static void read_3d(const reel_viewer_blueprint *bp, reel_viewer_uuid id,
                    reel_view_spatial3d_state *st)
{
    reel_bp_prop pos, target, up, kind, track, grid_visible, spacing;
    bool has_pos = read_prop(bp, id, "EyeControls3D", "position", &pos);
    bool has_target = read_prop(bp, id, "EyeControls3D", "look_target", &target);
    bool has_up = read_prop(bp, id, "EyeControls3D", "eye_up", &up);
    if (read_prop(bp, id, "EyeControls3D", "kind", &kind))
        st->eye_kind = kind.i[0] == 1 ? REEL_VIEW_EYE_FIRST_PERSON : REEL_VIEW_EYE_ORBITAL;
    else
        st->eye_kind = REEL_VIEW_EYE_ORBITAL;
    st->eye_set = has_pos || has_target;
    if (st->eye_set) {
        /* A field not stored keeps what the view has (the default eye it computed). */
        for (int k = 0; k < 3; k++) {
            if (has_pos)
                st->eye_position[k] = (float)pos.f[k];
            if (has_target)
                st->eye_target[k] = (float)target.f[k];
            if (has_up)
                st->eye_up[k] = (float)up.f[k];
        }
        if (!has_up && st->eye_up[0] == 0 && st->eye_up[1] == 0 && st->eye_up[2] == 0)
            st->eye_up[2] = 1; /* Rerun's default scene is Z up */
    }
    if (read_prop(bp, id, "EyeControls3D", "tracking_entity", &track))
        snprintf(st->tracked_entity, sizeof st->tracked_entity, "%s", track.s);
    else
        st->tracked_entity[0] = 0;
    st->hide_grid =
        read_prop(bp, id, "LineGrid3D", "visible", &grid_visible) && grid_visible.i[0] == 0;
    st->grid_spacing = read_prop(bp, id, "LineGrid3D", "spacing", &spacing) && spacing.f[0] > 0
                           ? (float)spacing.f[0]
                           : 0;
}

static reel_status write_3d(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                            const reel_view_spatial3d_state *st, reel_error *err)
{
    reel_bp_prop props[5] = {{.field = "kind"},
                             {.field = "position"},
                             {.field = "look_target"},
                             {.field = "eye_up"},
                             {.field = "tracking_entity"}};
    props[0].i[0] = st->eye_kind == REEL_VIEW_EYE_FIRST_PERSON ? 1 : 2;
    for (int k = 0; k < 3; k++) {
        props[1].f[k] = st->eye_position[k];
        props[2].f[k] = st->eye_target[k];
        props[3].f[k] = st->eye_up[k];
    }
    /* A reset (double click on the background) goes back to the fallback: empty lists. */
    props[1].empty = props[2].empty = props[3].empty = !st->eye_set;
    snprintf(props[4].s, sizeof props[4].s, "%s", st->tracked_entity);
    props[4].empty = st->tracked_entity[0] == 0;
    return write_props(app, bp, id, "EyeControls3D", props, 5, err);
}

static void read_2d(const reel_viewer_blueprint *bp, reel_viewer_uuid id,
                    reel_view_spatial2d_state *st)
{
    reel_bp_prop range;
    st->bounds_set = read_prop(bp, id, "VisualBounds2D", "range", &range) &&
                     range.f[0] < range.f[1] && range.f[2] < range.f[3];
    if (st->bounds_set) {
        st->bounds_min[0] = (float)range.f[0], st->bounds_max[0] = (float)range.f[1];
        st->bounds_min[1] = (float)range.f[2], st->bounds_max[1] = (float)range.f[3];
    }
}

static reel_status write_2d(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                            const reel_view_spatial2d_state *st, reel_error *err)
{
    reel_bp_prop range = {.field = "range", .empty = !st->bounds_set};
    range.f[0] = st->bounds_min[0], range.f[1] = st->bounds_max[0];
    range.f[2] = st->bounds_min[1], range.f[3] = st->bounds_max[1];
    return write_props(app, bp, id, "VisualBounds2D", &range, 1, err);
}

/* A TimeRangeBoundary (code, value) as a time: Absolute as is, CursorRelative from the cursor;
 * false for Infinite (the data's end: left to the view's fit). */
static bool boundary_time(int64_t code, int64_t value, int64_t cursor, double *out)
{
    if (code == 2)
        *out = (double)value;
    else if (code == 1)
        *out = (double)cursor + (double)value;
    else
        return false;
    return true;
}

static void read_ts(const reel_viewer_blueprint *bp, reel_viewer_uuid id, int64_t cursor,
                    reel_view_timeseries_state *st, bool *cursor_relative)
{
    reel_bp_prop x, y, legend;
    *cursor_relative =
        read_prop(bp, id, "TimeAxis", "view_range", &x) && (x.i[0] == 1 || x.i[2] == 1);
    st->x_set = read_prop(bp, id, "TimeAxis", "view_range", &x) &&
                boundary_time(x.i[0], x.i[1], cursor, &st->x_min) &&
                boundary_time(x.i[2], x.i[3], cursor, &st->x_max) && st->x_min < st->x_max;
    st->y_set = read_prop(bp, id, "ScalarAxis", "range", &y) && y.f[0] < y.f[1];
    if (st->y_set)
        st->y_min = y.f[0], st->y_max = y.f[1];
    st->hide_legend = read_prop(bp, id, "PlotLegend", "visible", &legend) && legend.i[0] == 0;
}

static reel_status write_ts(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                            const reel_view_timeseries_state *st, reel_error *err)
{
    reel_bp_prop x = {.field = "view_range", .empty = !st->x_set};
    x.i[0] = 2, x.i[1] = llround(st->x_min), x.i[2] = 2, x.i[3] = llround(st->x_max);
    reel_status status = write_props(app, bp, id, "TimeAxis", &x, 1, err);
    reel_bp_prop y = {.field = "range", .empty = !st->y_set};
    y.f[0] = st->y_min, y.f[1] = st->y_max;
    if (status == REEL_OK)
        status = write_props(app, bp, id, "ScalarAxis", &y, 1, err);
    reel_bp_prop legend = {.field = "visible", .empty = !st->hide_legend}; /* shown: fallback */
    if (status == REEL_OK)
        status = write_props(app, bp, id, "PlotLegend", &legend, 1, err);
    return status;
}

static void read_log(const reel_viewer_blueprint *bp, reel_viewer_uuid id,
                     reel_view_textlog_state *st)
{
    reel_bp_prop timelines, columns;
    st->hide_time =
        read_prop(bp, id, "TextLogColumns", "timeline_columns", &timelines) && timelines.i[0] == 0;
    st->hide_entity = st->hide_level = false;
    if (read_prop(bp, id, "TextLogColumns", "text_log_columns", &columns)) {
        /* Listed columns show when visible; a kind left out of the list is hidden. */
        st->hide_entity = st->hide_level = true;
        for (uint32_t k = 0; k < columns.n_instances; k++) {
            bool visible = columns.i[2 * k] != 0;
            if (columns.i[2 * k + 1] == 1)
                st->hide_entity = !visible;
            else if (columns.i[2 * k + 1] == 2)
                st->hide_level = !visible;
        }
    }
}

static reel_status write_log(reel_viewer_app *app, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                             const char *timeline, const reel_view_textlog_state *st,
                             reel_error *err)
{
    reel_bp_prop props[2] = {{.field = "timeline_columns"},
                             {.field = "text_log_columns", .n_instances = 3}};
    props[0].i[0] = !st->hide_time;
    snprintf(props[0].s, sizeof props[0].s, "%s", timeline ? timeline : "log_time");
    int64_t cols[6] = {!st->hide_entity, 1, !st->hide_level, 2, 1, 3};
    memcpy(props[1].i, cols, sizeof cols);
    return write_props(app, bp, id, "TextLogColumns", props, 2, err);
}

/* Reads the view's properties into its state when the blueprint changed (an edit, undo/redo,
 * a reset, a new blueprint), unless an interaction of this view is still being written. */
static void sync_from_blueprint(reel_viewer_app *app, view_slot *slot, const app_view_call *call)
{
    const reel_viewer_blueprint *bp = reel_viewer_active_blueprint(app->viewer);
    if (bp == NULL || slot->dirty)
        return;
    uint64_t generation = reel_viewer_blueprint_generation(bp);
    if (bp == slot->synced_bp && generation == slot->synced_generation &&
        !(slot->cursor_relative && call->time->cursor != slot->synced_cursor))
        return;
    slot->synced_bp = bp;
    slot->synced_generation = generation;
    slot->synced_cursor = call->time->cursor;
    slot->cursor_relative = false;
    switch (slot->cls) {
    case APP_CLASS_3D:
        read_3d(bp, slot->id, &slot->state.s3d);
        break;
    case APP_CLASS_2D:
        read_2d(bp, slot->id, &slot->state.s2d);
        break;
    case APP_CLASS_TIME_SERIES:
        read_ts(bp, slot->id, call->time->cursor, &slot->state.ts, &slot->cursor_relative);
        break;
    case APP_CLASS_TEXT_LOG:
        read_log(bp, slot->id, &slot->state.log);
        break;
    default:
        break;
    }
}

/* Notes a state change and writes the state once the interaction is over. */
static void sync_to_blueprint(reel_viewer_app *app, view_slot *slot, const app_view_call *call,
                              bool changed)
{
    const reel_input *in = reel_ui_input(app->ui);
    bool button_held = false;
    for (int b = 0; b < REEL_MOUSE_BUTTONS; b++)
        button_held = button_held || in->button_down[b];
    if (changed) {
        slot->dirty = true;
        slot->dirty_with_drag = slot->dirty_with_drag || button_held;
        slot->last_change_secs = in->time_secs;
        slot->quiet_frames = 0;
        return;
    }
    if (!slot->dirty)
        return;
    slot->quiet_frames++;
    bool settled = in->time_secs - slot->last_change_secs >= APP_PROPERTY_SETTLE_SECS ||
                   slot->quiet_frames >= APP_PROPERTY_SETTLE_FRAMES;
    if (button_held || !(slot->dirty_with_drag || settled))
        return;
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(app->viewer);
    slot->dirty = slot->dirty_with_drag = false;
    if (bp == NULL)
        return;
    reel_error err = {0};
    reel_status status = REEL_OK;
    switch (slot->cls) {
    case APP_CLASS_3D:
        status = write_3d(app, bp, slot->id, &slot->state.s3d, &err);
        break;
    case APP_CLASS_2D:
        status = write_2d(app, bp, slot->id, &slot->state.s2d, &err);
        break;
    case APP_CLASS_TIME_SERIES:
        status = write_ts(app, bp, slot->id, &slot->state.ts, &err);
        break;
    case APP_CLASS_TEXT_LOG:
        status = write_log(app, bp, slot->id, call->time->timeline_name, &slot->state.log, &err);
        break;
    default:
        break;
    }
    app_check(app, status, &err);
    /* What was written is what the state holds: no need to read it back. */
    slot->synced_bp = bp;
    slot->synced_generation = reel_viewer_blueprint_generation(bp);
    reel_bp_prop x;
    slot->cursor_relative = slot->cls == APP_CLASS_TIME_SERIES &&
                            read_prop(bp, slot->id, "TimeAxis", "view_range", &x) &&
                            (x.i[0] == 1 || x.i[2] == 1);
}

void *app_view_state_mut(reel_viewer_app *app, reel_viewer_uuid view)
{
    return (void *)reel_app_view_state(app, view);
}

const void *reel_app_view_state(const reel_viewer_app *app, reel_viewer_uuid view)
{
    for (size_t i = 0; i < APP_MAX_VIEW_STATES; i++) {
        const view_slot *slot = &app->views->slots[i];
        if (slot->used && reel_viewer_uuid_equal(slot->id, view))
            return &slot->state;
    }
    return NULL;
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
        reel_viewer_time_set_cursor(call->rec, out->new_time);
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
    if (slot != NULL)
        sync_from_blueprint(app, slot, call);
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
    if (slot != NULL) {
        slot->last_scene = scene;
        sync_to_blueprint(app, slot, call, out.state_changed);
    }
    reel_draw_pop_clip(list);
    return scene;
}
