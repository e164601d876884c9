/* The time panel (§7): a row of controls (play/pause, step, loop, timeline, speed, fps, the
 * current time), then the streams: one row per entity with data (tree order, indented) on the
 * left and its data-density strip on the right, under a ruler, with the time cursor across
 * all of them. Press or drag in the time area to scrub; Ctrl+wheel zooms around the pointer,
 * Shift+wheel (or a horizontal wheel) and middle/right drag pan, double click shows
 * everything again; the wheel alone scrolls the rows. */
#include "app/app_internal.h"

#include <math.h>

#define ROW_PT 20.0f
#define RULER_PT 26.0f
#define MAX_BUCKETS APP_DENSITY_MAX_BUCKETS

typedef struct stream_row {
    uint32_t entity;
    int depth;
} stream_row;

/* Entities with data in their subtree, depth first in Rerun's child order. */
static stream_row *stream_rows(reel_viewer_app *app, const reel_store *store, size_t *n_out)
{
    uint32_t n_entities = reel_store_entity_count(store);
    stream_row *rows = reel_arena_alloc(&app->arena, (n_entities + 1) * sizeof *rows, 8);
    uint32_t *stack = reel_arena_alloc(&app->arena, (n_entities + 1) * sizeof *stack, 8);
    int *depths = reel_arena_alloc(&app->arena, (n_entities + 1) * sizeof *depths, 8);
    *n_out = 0;
    if (rows == NULL || stack == NULL || depths == NULL)
        return NULL;
    size_t top = 0, n = 0;
    stack[top] = REEL_STORE_ROOT;
    depths[top++] = -1;
    while (top > 0) {
        top--;
        uint32_t e = stack[top];
        int depth = depths[top];
        if (reel_store_entity_subtree_chunks(store, e) == 0)
            continue;
        if (e != REEL_STORE_ROOT || reel_store_entity_chunks(store, e) > 0)
            rows[n++] = (stream_row){e, depth < 0 ? 0 : depth};
        const uint32_t *children = NULL;
        uint32_t n_children = reel_store_entity_children(store, e, &children);
        for (uint32_t i = n_children; i-- > 0 && top <= n_entities;) {
            stack[top] = children[i];
            depths[top++] = depth + 1;
        }
    }
    *n_out = n;
    return rows;
}

/* A "nice" tick step (1, 2, 5 × 10^k) of at least `min_step`. */
static double nice_step(double min_step)
{
    if (min_step <= 1)
        return 1;
    double p = pow(10, floor(log10(min_step)));
    for (int i = 0; i < 3; i++) {
        static const double mult[] = {1, 2, 5};
        if (mult[i] * p >= min_step)
            return mult[i] * p;
    }
    return 10 * p;
}

static void tick_label(char *out, size_t cap, reel_time_type type, int64_t value)
{
    if (type == REEL_TIME_TIMESTAMP_NS) {
        char full[64];
        app_format_time(full, sizeof full, type, value);
        snprintf(out, cap, "%s", strlen(full) > 11 ? full + 11 : full); /* time of day */
        return;
    }
    app_format_time(out, cap, type, value);
}

static void controls(reel_viewer_app *app, reel_viewer_recording *rec, const reel_viewer_time *t)
{
    reel_ui *ui = app->ui;
    reel_viewer *viewer = app->viewer;
    reel_ui_horizontal_begin(ui);
    bool playing = t->play_state != REEL_PLAY_PAUSED;
    reel_ui_response play =
        reel_ui_icon_button(ui, "play_pause", playing ? REEL_UI_ICON_PAUSE : REEL_UI_ICON_PLAY);
    if (!app->deterministic)
        reel_ui_tooltip(ui, &play, playing ? "Pause (Space)" : "Play (Space)");
    if (play.clicked)
        reel_viewer_time_toggle_play(viewer, rec);
    if (reel_ui_icon_button(ui, "step_back", REEL_UI_ICON_STEP_BACK).clicked)
        reel_viewer_time_step(viewer, rec, -1, true);
    if (reel_ui_icon_button(ui, "step_forward", REEL_UI_ICON_STEP_FORWARD).clicked)
        reel_viewer_time_step(viewer, rec, +1, true);
    reel_ui_response loop = reel_ui_icon_button(ui, "loop", REEL_UI_ICON_LOOP);
    if (t->loop_mode != REEL_LOOP_OFF) {
        uint32_t fill = t->loop_mode == REEL_LOOP_ALL ? REEL_HEX(0x02502d)
                                                      : REEL_WITH_ALPHA(REEL_BLUE_500, 140);
        reel_draw_rect_filled(reel_ui_draw_list(ui), loop.rect.x0, loop.rect.y0, loop.rect.x1,
                              loop.rect.y1, app_pt(app, 4), REEL_WITH_ALPHA(fill, 160));
        float inset = (loop.rect.x1 - loop.rect.x0 - app_pt(app, REEL_THEME_SMALL_ICON)) * 0.5f;
        reel_ui_draw_icon(ui, REEL_UI_ICON_LOOP,
                          (reel_ui_rect){loop.rect.x0 + inset, loop.rect.y0 + inset,
                                         loop.rect.x1 - inset, loop.rect.y1 - inset},
                          REEL_THEME_TEXT_STRONG);
    }
    if (loop.clicked) { /* Off -> All -> Selection (when there is one) -> Off */
        reel_viewer_loop_mode next = t->loop_mode == REEL_LOOP_OFF ? REEL_LOOP_ALL
                                     : t->loop_mode == REEL_LOOP_ALL && t->has_selection
                                         ? REEL_LOOP_SELECTION
                                         : REEL_LOOP_OFF;
        reel_viewer_time_set_loop_mode(viewer, rec, next);
    }
    /* Timeline picker. */
    const reel_store *store = reel_viewer_recording_store(rec);
    uint32_t n_timelines = reel_store_timeline_count(store);
    const char **names = reel_arena_alloc(&app->arena, (n_timelines + 1) * sizeof *names, 8);
    int current = -1, n_names = 0;
    for (uint32_t i = 0; names != NULL && i < n_timelines; i++) {
        const char *name = reel_store_timeline_name(store, i);
        if (name == NULL)
            continue;
        if (i == t->timeline)
            current = n_names;
        names[n_names++] = name;
    }
    if (names != NULL && n_names > 0) {
        if (current < 0) {
            names[n_names] = t->timeline_name ? t->timeline_name : "log_time";
            current = n_names++;
        }
        if (reel_ui_combo(ui, "##timeline", &current, names, n_names))
            reel_viewer_time_set_timeline(viewer, rec, names[current]);
    } else {
        reel_ui_label_colored(ui, t->timeline_name ? t->timeline_name : "log_time",
                              REEL_THEME_TEXT_SUBDUED);
    }
    float speed = (float)t->speed;
    if (reel_ui_drag_float(ui, "x##speed", &speed, fmaxf(0.02f * fabsf(speed), 0.01f), -100, 100))
        reel_viewer_time_set_speed(viewer, rec, speed);
    reel_time_type type = app_timeline_type(rec, t->timeline);
    if (type == REEL_TIME_SEQUENCE) {
        float fps = (float)t->fps;
        if (reel_ui_drag_float(ui, "FPS##fps", &fps, 0.5f, 1, 1000))
            reel_viewer_time_set_fps(viewer, rec, fps);
    }
    char now[64];
    app_format_time(now, sizeof now, type, t->cursor);
    reel_ui_label_font(ui, now, REEL_UI_FONT_MONO, REEL_THEME_TEXT_STRONG);
    if (t->pending_timeline != NULL) {
        char text[160];
        snprintf(text, sizeof text, "Waiting for timeline %s", t->pending_timeline);
        reel_ui_label_colored(ui, text, REEL_THEME_WARN_FG);
    }
    reel_ui_horizontal_end(ui);
}

/* The visible time range: the zoom window, else all data with a small margin. */
static void visible_range(const reel_viewer_time *t, reel_time_type type, double *lo, double *hi)
{
    double a = t->has_data ? (double)t->data_min : 0, b = t->has_data ? (double)t->data_max : 1;
    /* Timestamps are ~1.8e18 ns: a pad below a few ULPs would vanish (hi == lo). */
    double min_span = fmax(1.0, fmax(fabs(a), fabs(b)) * 1e-12);
    if (t->has_view_range && t->view_max - t->view_min >= min_span) {
        *lo = t->view_min;
        *hi = t->view_max;
        return;
    }
    double pad = (b - a) * 0.03;
    if (pad <= 0) /* one event: a frame or a second either side */
        pad = type == REEL_TIME_SEQUENCE ? 1 : 1e9;
    *lo = a - fmax(pad, min_span);
    *hi = b + fmax(pad, min_span);
}

static void time_area_input(reel_viewer_app *app, reel_viewer_recording *rec,
                            const reel_viewer_time *t, reel_ui_rect area, double lo, double hi,
                            size_t n_rows, float rows_height)
{
    reel_ui *ui = app->ui;
    const reel_input *in = reel_ui_input(ui);
    reel_ui_response r = reel_ui_interact(ui, area, reel_ui_make_id(ui, "time_area"),
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG);
    float width = area.x1 - area.x0;
    double per_px = (hi - lo) / (width > 1 ? width : 1);
    if (r.double_clicked) {
        reel_viewer_time_set_view_range(rec, false, 0, 0);
        return;
    }
    if (r.held && r.button == REEL_MOUSE_LEFT) {
        double time = lo + (in->pointer_x - area.x0) * per_px;
        reel_viewer_time_set_cursor(rec, (int64_t)llround(time));
    } else if (r.held && r.dragging &&
               (r.button == REEL_MOUSE_MIDDLE || r.button == REEL_MOUSE_RIGHT)) {
        double shift = -r.drag_dx * per_px;
        reel_viewer_time_set_view_range(rec, true, lo + shift, hi + shift);
    }
    if (!r.hovered)
        return;
    bool ctrl = in->modifiers & (REEL_MOD_CTRL | REEL_MOD_SUPER);
    bool shift = in->modifiers & REEL_MOD_SHIFT;
    if (ctrl && in->wheel_y != 0) {
        double factor = pow(0.85, in->wheel_y);
        double at = lo + (in->pointer_x - area.x0) * per_px;
        double new_lo = at - (at - lo) * factor, new_hi = at + (hi - at) * factor;
        if (new_hi - new_lo >= 1e-3)
            reel_viewer_time_set_view_range(rec, true, new_lo, new_hi);
    } else if (shift || in->wheel_x != 0) {
        double lines = in->wheel_x != 0 ? in->wheel_x : in->wheel_y;
        double shift_t = -lines * 40 * per_px;
        if (lines != 0)
            reel_viewer_time_set_view_range(rec, true, lo + shift_t, hi + shift_t);
    } else if (in->wheel_y != 0) {
        float max_scroll = fmaxf(0, (float)n_rows * app_pt(app, ROW_PT) - rows_height);
        app->time_rows_scroll -= in->wheel_y * app_pt(app, ROW_PT) * 2;
        app->time_rows_scroll = fminf(fmaxf(app->time_rows_scroll, 0), max_scroll);
    }
    (void)t;
}

static void ruler(reel_viewer_app *app, reel_viewer_recording *rec, const reel_viewer_time *t,
                  reel_ui_rect r, double lo, double hi)
{
    reel_ui *ui = app->ui;
    reel_draw_list *list = reel_ui_draw_list(ui);
    float width = r.x1 - r.x0;
    double min_step = (hi - lo) / fmax(1.0, width / app_pt(app, 90));
    double step = nice_step(min_step);
    reel_time_type type = app_timeline_type(rec, t->timeline);
    double first = ceil(lo / step) * step;
    float line_h = reel_ui_line_height(ui, REEL_UI_FONT_SMALL);
    for (int i = 0; i < 200; i++) { /* bounded: a step below the doubles' ULP never moves */
        double v = first + step * i;
        if (v > hi)
            break;
        float x = r.x0 + (float)((v - lo) / (hi - lo)) * width;
        reel_draw_line(list, x, r.y1 - app_pt(app, 6), x, r.y1, 1, REEL_GRAY_400);
        char label[64];
        tick_label(label, sizeof label, type, (int64_t)v);
        reel_ui_draw_text(ui, REEL_UI_FONT_SMALL, x + app_pt(app, 3),
                          r.y0 + (r.y1 - r.y0 - line_h) * 0.5f - app_pt(app, 2), label,
                          strlen(label), REEL_THEME_TEXT_SUBDUED, 0);
    }
    reel_draw_line(list, r.x0, r.y1, r.x1, r.y1, 1, REEL_THEME_SEPARATOR);
    if (t->has_selection) {
        float x0 = r.x0 + (float)(((double)t->selection_min - lo) / (hi - lo)) * width;
        float x1 = r.x0 + (float)(((double)t->selection_max - lo) / (hi - lo)) * width;
        reel_draw_rect_filled(
            list, x0, r.y0, x1, r.y1, 0,
            REEL_WITH_ALPHA(REEL_BLUE_500, t->loop_mode == REEL_LOOP_SELECTION ? 140 : 51));
    }
}

/* Counts per bucket from the cache, computed when missing (NULL on failure). */
static const uint64_t *density_counts(reel_viewer_app *app, reel_viewer_recording *rec,
                                      uint32_t entity, uint32_t timeline, int64_t t0,
                                      int64_t bucket, size_t n_buckets)
{
    if (app->density_cache == NULL) {
        app->density_cache = calloc(APP_DENSITY_CACHE, sizeof *app->density_cache);
        if (app->density_cache == NULL)
            return NULL;
    }
    uint64_t generation = reel_viewer_recording_generation(rec);
    app_density *victim = &app->density_cache[0];
    for (size_t i = 0; i < APP_DENSITY_CACHE; i++) {
        app_density *d = &app->density_cache[i];
        if (d->used && d->rec == rec && d->generation == generation && d->entity == entity &&
            d->timeline == timeline && d->t0 == t0 && d->bucket == bucket &&
            d->n_buckets == n_buckets) {
            d->last_used = app->frame_number;
            return d->counts;
        }
        if (victim->used && (!d->used || d->last_used < victim->last_used))
            victim = d; /* a free slot, else the least recently used */
    }
    reel_error err = {0};
    victim->used = false;
    if (reel_viewer_density(rec, entity, true, timeline, t0, bucket, n_buckets, victim->counts,
                            &err) != REEL_OK)
        return NULL;
    victim->used = true;
    victim->rec = rec;
    victim->generation = generation;
    victim->entity = entity;
    victim->timeline = timeline;
    victim->t0 = t0;
    victim->bucket = bucket;
    victim->n_buckets = n_buckets;
    victim->last_used = app->frame_number;
    return victim->counts;
}

static void density_strip(reel_viewer_app *app, reel_viewer_recording *rec,
                          const reel_viewer_time *t, uint32_t entity, reel_ui_rect r, double lo,
                          double hi, bool selected, float *frame_max)
{
    float width = r.x1 - r.x0;
    size_t n_buckets = (size_t)fminf(fmaxf(width / 2, 1), MAX_BUCKETS);
    double span = hi - lo;
    int64_t bucket = (int64_t)ceil(span / (double)n_buckets);
    if (bucket < 1)
        bucket = 1;
    int64_t t0 = (int64_t)floor(lo);
    const uint64_t *counts = density_counts(app, rec, entity, t->timeline, t0, bucket, n_buckets);
    if (counts == NULL)
        return;
    reel_draw_list *list = reel_ui_draw_list(app->ui);
    float cy = (r.y0 + r.y1) * 0.5f, max_radius = (r.y1 - r.y0) * 0.35f;
    float norm = fmaxf(app->density_max, 2);
    uint32_t base = selected ? REEL_BLUE_800 : REEL_GRAY_700;
    for (size_t i = 0; i < n_buckets; i++) {
        if (counts[i] == 0)
            continue;
        if ((float)counts[i] > *frame_max)
            *frame_max = (float)counts[i];
        float density = fminf(1, (float)counts[i] / norm);
        float x0 = r.x0 + (float)(((double)(t0 + (int64_t)i * bucket) - lo) / span) * width;
        float x1 = r.x0 + (float)(((double)(t0 + (int64_t)(i + 1) * bucket) - lo) / span) * width;
        if (x1 - x0 > app_pt(app, 4)) { /* zoomed in: an event is a narrow mark at its time */
            float at = bucket == 1 ? x0 : (x0 + x1) * 0.5f; /* bucket 1: exactly its time */
            x0 = at - app_pt(app, 1.5f);
            x1 = at + app_pt(app, 1.5f);
        }
        if (x1 - x0 < 1)
            x1 = x0 + 1;
        float half = fmaxf(app_pt(app, 1.5f), max_radius * density);
        uint32_t alpha = (uint32_t)(255 * (0.5f + 0.5f * density));
        reel_draw_rect_filled(list, x0, cy - half, x1, cy + half, 0, REEL_WITH_ALPHA(base, alpha));
    }
}

void app_time_panel(reel_viewer_app *app, reel_viewer_recording *rec)
{
    reel_ui *ui = app->ui;
    const reel_input *in = reel_ui_input(ui);
    float height_pt = (float)in->height / reel_ui_scale(ui);
    float def = fminf(fmaxf(0.25f * height_pt, 150), 250);
    reel_ui_rect panel =
        reel_ui_panel_begin(ui, "time_panel",
                            &(reel_ui_panel_desc){.side = REEL_UI_BOTTOM,
                                                  .default_size_pt = def,
                                                  .min_size_pt = 80,
                                                  .resizable = true,
                                                  .fill = REEL_THEME_BOTTOM_BAR_BG});
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    controls(app, rec, &t);
    reel_viewer_time_get(rec, &t); /* the controls may have changed it */
    reel_ui_separator(ui);
    reel_ui_rect body = reel_ui_available(ui);
    body.x0 = panel.x0;
    body.x1 = panel.x1;
    if (body.y1 - body.y0 < app_pt(app, RULER_PT + 4)) {
        reel_ui_panel_end(ui);
        return;
    }
    float split_x =
        panel.x0 + fminf(fmaxf(0.22f * (panel.x1 - panel.x0), app_pt(app, 150)), app_pt(app, 400));
    reel_ui_rect tree = {body.x0, body.y0, split_x, body.y1};
    reel_ui_rect area = {split_x + 1, body.y0, body.x1 - app_pt(app, 8), body.y1};
    reel_ui_rect ruler_r = {area.x0, area.y0, area.x1, area.y0 + app_pt(app, RULER_PT)};
    reel_ui_rect rows_r = {body.x0, ruler_r.y1, body.x1, body.y1};
    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_rect_filled(list, split_x, body.y0, split_x + 1, body.y1, 0, REEL_THEME_SEPARATOR);
    reel_ui_draw_text(ui, REEL_UI_FONT_SMALL, tree.x0 + app_pt(app, 8), tree.y0 + app_pt(app, 6),
                      "Streams", 7, REEL_THEME_TEXT_SUBDUED, 0);

    double lo = 0, hi = 1;
    visible_range(&t, app_timeline_type(rec, t.timeline), &lo, &hi);
    const reel_store *store = reel_viewer_recording_store(rec);
    size_t n_rows = 0;
    stream_row *rows = stream_rows(app, store, &n_rows);
    time_area_input(app, rec, &t, (reel_ui_rect){area.x0, area.y0, area.x1, area.y1}, lo, hi,
                    n_rows, rows_r.y1 - rows_r.y0);
    reel_viewer_time_get(rec, &t);
    ruler(app, rec, &t, ruler_r, lo, hi);

    float row_h = app_pt(app, ROW_PT);
    float max_scroll = fmaxf(0, (float)n_rows * row_h - (rows_r.y1 - rows_r.y0));
    app->time_rows_scroll = fminf(fmaxf(app->time_rows_scroll, 0), max_scroll);
    reel_draw_push_clip(list, rows_r.x0, rows_r.y0, rows_r.x1, rows_r.y1);
    size_t first = (size_t)(app->time_rows_scroll / row_h);
    float frame_max = 0;
    float line_h = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    for (size_t i = first; rows != NULL && i < n_rows; i++) {
        float y0 = rows_r.y0 + (float)i * row_h - app->time_rows_scroll;
        if (y0 > rows_r.y1)
            break;
        const char *path = reel_store_entity_path(store, rows[i].entity);
        if (path == NULL)
            continue;
        reel_viewer_item item = app_item_entity(path);
        bool selected = reel_viewer_entity_is_selected(app->viewer, path);
        bool hovered = reel_viewer_entity_is_hovered(app->viewer, path);
        reel_ui_rect name_r = {tree.x0, y0, tree.x1, y0 + row_h};
        reel_ui_response nr =
            reel_ui_interact(ui, name_r, reel_ui_make_id(ui, path), REEL_UI_SENSE_CLICK);
        if (selected)
            reel_draw_rect_filled(list, name_r.x0, name_r.y0, name_r.x1, name_r.y1, 0,
                                  REEL_THEME_SELECTION_BG);
        else if (nr.hovered || hovered)
            reel_draw_rect_filled(list, name_r.x0, name_r.y0, name_r.x1, name_r.y1, 0,
                                  REEL_THEME_LIST_HOVERED_BG);
        if (nr.hovered)
            reel_viewer_hover(app->viewer, &item);
        if (nr.clicked)
            app_click_item(app, &item);
        const char *last = strrchr(path, '/');
        last = last != NULL && last[1] ? last + 1 : path;
        float x =
            name_r.x0 + app_pt(app, 8 + 14 * (float)(rows[i].depth < 12 ? rows[i].depth : 12));
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x, y0 + (row_h - line_h) * 0.5f, last,
                          strlen(last),
                          selected || nr.hovered ? REEL_THEME_TEXT_STRONG : REEL_THEME_LIST_TEXT,
                          name_r.x1 - x - app_pt(app, 4));
        reel_ui_rect strip = {area.x0, y0, area.x1, y0 + row_h};
        if (t.timeline != REEL_STORE_NO_ID)
            density_strip(app, rec, &t, rows[i].entity, strip, lo, hi, selected, &frame_max);
    }
    reel_draw_pop_clip(list);
    /* Normalise by the previous frame's maximum, smoothed (§7.2). */
    app->density_max =
        app->density_max <= 0 ? frame_max : app->density_max * 0.8f + frame_max * 0.2f;
    if (app->deterministic)
        app->density_max = frame_max;

    /* The cursor: a downward triangle on the ruler and a line through the rows. */
    if (t.has_data && t.time >= lo && t.time <= hi) {
        float x = area.x0 + (float)((t.time - lo) / (hi - lo)) * (area.x1 - area.x0);
        float half = app_pt(app, 5);
        float tri[6] = {x - half, ruler_r.y0 + app_pt(app, 2),
                        x + half, ruler_r.y0 + app_pt(app, 2),
                        x,        ruler_r.y0 + app_pt(app, 2) + half * 1.4f};
        reel_draw_triangle_filled(list, tri, REEL_GRAY_750);
        reel_draw_line(list, x, ruler_r.y0 + app_pt(app, 2), x, body.y1, app_pt(app, 1.5f),
                       REEL_GRAY_750);
    }
    if (n_rows == 0)
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, tree.x0 + app_pt(app, 8),
                          rows_r.y0 + app_pt(app, 4), "No data yet", 11, REEL_THEME_TEXT_SUBDUED,
                          0);
    reel_ui_panel_end(ui);
}
