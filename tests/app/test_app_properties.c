/* View state as blueprint view properties (viewer-behavior.md §9.2, §9.4), through the app's
 * frames with synthetic input: orbiting the 3D camera is one EyeControls3D write at the end of
 * the drag (not one per frame), undone and redone like any edit; wheel zooms settle into one
 * write; a double click resets the eye to its fallback; a blueprint saved with an eye, 2D
 * bounds, plot ranges and a hidden legend is honoured after loading it into a fresh viewer
 * (the state the views used is compared).
 *
 * With REEL_TEST_PROPERTIES_RBL=PATH set, the orbit test also saves its blueprint there
 * (tests/interop/test_viewer_properties_interop.py checks it with the real rerun). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "app/app.h"
#include "viewer/viewer_testing.h"
#include "views/views.h"

#define W 1280
#define H 720

typedef struct harness {
    reel_viewer *viewer;
    reel_viewer_app *app;
    reel_input in;
    reel_draw_frame frame;
} harness;

static void start(harness *h)
{
    memset(h, 0, sizeof *h);
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 11}, &h->viewer, NULL));
    CHECK_OK(reel_app_create(&(reel_app_desc){.viewer = h->viewer, .deterministic = true}, &h->app,
                             NULL));
    h->in.width = W;
    h->in.height = H;
    h->in.pixels_per_point = 1;
    h->in.has_pointer = true;
    h->in.time_secs = 1;
}

static void stop(harness *h)
{
    reel_app_destroy(h->app);
    reel_viewer_destroy(h->viewer);
}

static void frame(harness *h)
{
    (void)reel_app_frame(h->app, &h->in, &h->frame);
    for (int b = 0; b < REEL_MOUSE_BUTTONS; b++)
        h->in.button_pressed[b] = h->in.button_released[b] = false;
    memset(h->in.key_pressed, 0, sizeof h->in.key_pressed);
    h->in.wheel_x = h->in.wheel_y = 0;
    h->in.modifiers = 0;
    h->in.time_secs += 1.0 / 60;
}

static void frames(harness *h, int n)
{
    for (int i = 0; i < n; i++)
        frame(h);
}

static void key(harness *h, reel_key k, unsigned modifiers)
{
    h->in.key_pressed[k] = true;
    h->in.key_down[k] = true;
    h->in.modifiers = modifiers;
    frame(h);
    h->in.key_down[k] = false;
}

/* A left-button drag from (x, y) by (dx, dy) over `steps` frames. */
static void drag(harness *h, float x, float y, float dx, float dy, int steps)
{
    h->in.pointer_x = x;
    h->in.pointer_y = y;
    frame(h);
    h->in.button_down[0] = h->in.button_pressed[0] = true;
    frame(h);
    for (int i = 1; i <= steps; i++) {
        h->in.pointer_x = x + dx * (float)i / (float)steps;
        h->in.pointer_y = y + dy * (float)i / (float)steps;
        frame(h);
    }
    h->in.button_down[0] = false;
    h->in.button_released[0] = true;
    frame(h);
}

/* Points in 3D, an image, a plot and a log over frames 0..9: one view of each class. */
static void log_scene(reel_viewer *v)
{
    for (int f = 0; f < 10; f++) {
        vt_log_value(v, "app", "rec", "/world/points", f, NULL, "Points3D", "positions", f, 0, 0);
        vt_log_value(v, "app", "rec", "/plots/a", f, NULL, "Scalars", "scalars", f * 0.5, 0, 0);
        vt_log(v, "/logs", f, "TextLog", "text");
    }
    vt_log_image(v, "/camera/image", "Image", 64, 48);
}

static bool find_view(reel_viewer *v, const char *cls, reel_viewer_uuid *out)
{
    const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(v));
    for (size_t i = 0; i < m->n_views; i++)
        if (strcmp(m->views[i].class_identifier, cls) == 0) {
            *out = m->views[i].id;
            return true;
        }
    return false;
}

/* Shows only `view` (maximised), so it gets the whole viewport, and pauses playback (the
 * default eye follows the scene's bounds, which change with the time cursor). */
static void maximize(harness *h, reel_viewer_uuid view)
{
    CHECK_OK(
        reel_bp_set_maximized(h->viewer, reel_viewer_active_blueprint(h->viewer), &view, NULL));
    reel_viewer_time_set_play_state(h->viewer, reel_viewer_active_recording(h->viewer),
                                    REEL_PLAY_PAUSED);
    reel_viewer_end_frame(h->viewer);
    frames(h, 2);
}

static const reel_view_spatial3d_state *s3d(harness *h, reel_viewer_uuid id)
{
    return reel_app_view_state(h->app, id);
}

static bool eye_equal(const float a[3], const float b[3])
{
    return fabsf(a[0] - b[0]) < 1e-5f && fabsf(a[1] - b[1]) < 1e-5f && fabsf(a[2] - b[2]) < 1e-5f;
}

TEST(orbit_is_one_write_and_undo_restores_the_default_eye)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frames(&h, 2);
    reel_viewer_uuid id;
    CHECK(find_view(h.viewer, "3D", &id));
    maximize(&h, id);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(h.viewer);
    float r[4];
    CHECK(reel_app_view_rect(h.app, id, r));
    const reel_view_spatial3d_state *st = s3d(&h, id);
    if (!CHECK(st != NULL))
        goto done;
    CHECK(!st->eye_set);
    float default_pos[3], default_target[3];
    memcpy(default_pos, st->eye_position, sizeof default_pos);
    memcpy(default_target, st->eye_target, sizeof default_target);
    reel_bp_prop p;
    CHECK(!reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));

    /* A click that moves nothing writes nothing. */
    int64_t cursor_before = reel_bp_cursor(bp);
    drag(&h, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2, 0, 0, 3);
    frames(&h, 40);
    CHECK_EQ_INT(reel_bp_cursor(bp), cursor_before);
    drag(&h, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2, 120, 40, 30);
    frames(&h, 2);
    st = s3d(&h, id);
    CHECK(st->eye_set);
    CHECK(!eye_equal(st->eye_position, default_pos));
    /* One write for the whole 30-frame drag: one blueprint time, one undo step. */
    CHECK_EQ_INT(reel_bp_cursor(bp), cursor_before + 1);
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));
    CHECK_EQ_INT(p.n_f, 3);
    float orbited[3];
    memcpy(orbited, st->eye_position, sizeof orbited);
    float stored[3] = {(float)p.f[0], (float)p.f[1], (float)p.f[2]};
    CHECK(eye_equal(stored, orbited));
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "look_target", &p));
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "eye_up", &p));
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "kind", &p) && p.i[0] == 2);

    const char *out_path = getenv("REEL_TEST_PROPERTIES_RBL");
    if (out_path != NULL && out_path[0])
        CHECK_OK(reel_bp_save_rbl(bp, out_path, NULL));

    /* Undo: the property is gone and the view is back on its default eye. */
    key(&h, REEL_KEY_Z, REEL_MOD_CTRL);
    frame(&h);
    st = s3d(&h, id);
    CHECK(!reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));
    CHECK(!st->eye_set);
    CHECK(eye_equal(st->eye_position, default_pos));
    CHECK(eye_equal(st->eye_target, default_target));
    /* Redo brings the orbited eye back. */
    key(&h, REEL_KEY_Z, REEL_MOD_CTRL | REEL_MOD_SHIFT);
    frame(&h);
    st = s3d(&h, id);
    CHECK(st->eye_set);
    CHECK(eye_equal(st->eye_position, orbited));
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));

    /* Wheel zoom over several frames settles into one write. */
    int64_t before_zoom = reel_bp_cursor(bp);
    h.in.pointer_x = (r[0] + r[2]) / 2;
    h.in.pointer_y = (r[1] + r[3]) / 2;
    for (int i = 0; i < 8; i++) {
        h.in.wheel_y = 1;
        frame(&h);
    }
    CHECK_EQ_INT(reel_bp_cursor(bp), before_zoom); /* still zooming: nothing written */
    frames(&h, 40);
    CHECK_EQ_INT(reel_bp_cursor(bp), before_zoom + 1);
    st = s3d(&h, id);
    CHECK(reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));
    float zoomed[3] = {(float)p.f[0], (float)p.f[1], (float)p.f[2]};
    CHECK(eye_equal(zoomed, st->eye_position));
    CHECK(!eye_equal(zoomed, orbited));

    /* A double click on the background resets the eye: the property is written empty. */
    h.in.pointer_x = r[0] + 5;
    h.in.pointer_y = r[3] - 5;
    for (int c = 0; c < 2; c++) {
        h.in.button_down[0] = h.in.button_pressed[0] = true;
        frame(&h);
        h.in.button_down[0] = false;
        h.in.button_released[0] = true;
        frame(&h);
    }
    frames(&h, 40);
    st = s3d(&h, id);
    CHECK(!st->eye_set);
    CHECK(!reel_bp_view_property(bp, id, "EyeControls3D", "position", &p));
    CHECK(eye_equal(st->eye_position, default_pos));
done:
    stop(&h);
}

TEST(reset_to_heuristic_drops_the_camera)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frames(&h, 2);
    reel_viewer_uuid id;
    CHECK(find_view(h.viewer, "3D", &id));
    maximize(&h, id);
    float r[4];
    CHECK(reel_app_view_rect(h.app, id, r));
    drag(&h, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2, -80, 10, 10);
    frames(&h, 2);
    CHECK(s3d(&h, id) != NULL && s3d(&h, id)->eye_set);
    CHECK_OK(reel_viewer_reset_to_heuristic(h.viewer, "app", NULL));
    frames(&h, 3);
    /* The heuristic makes new views (new ids); none of them has an eye stored or set. */
    reel_viewer_uuid id2;
    CHECK(find_view(h.viewer, "3D", &id2));
    const reel_view_spatial3d_state *st = s3d(&h, id2);
    CHECK(st != NULL && !st->eye_set);
    stop(&h);
}

static void write_properties(reel_viewer *v, reel_viewer_blueprint *bp, reel_viewer_uuid v3,
                             reel_viewer_uuid v2, reel_viewer_uuid ts)
{
    reel_bp_prop eye[3] = {{.field = "position"}, {.field = "look_target"}, {.field = "eye_up"}};
    double pos[3] = {4, -3, 2}, target[3] = {1, 0.5, 0}, up[3] = {0, 0, 1};
    memcpy(eye[0].f, pos, sizeof pos);
    memcpy(eye[1].f, target, sizeof target);
    memcpy(eye[2].f, up, sizeof up);
    CHECK_OK(reel_bp_set_view_properties(v, bp, v3, "EyeControls3D", eye, 3, NULL));
    reel_bp_prop bounds = {.field = "range", .f = {-10, 30, 5, 25}};
    CHECK_OK(reel_bp_set_view_properties(v, bp, v2, "VisualBounds2D", &bounds, 1, NULL));
    reel_bp_prop x = {.field = "view_range", .i = {2, 2, 2, 7}};
    CHECK_OK(reel_bp_set_view_properties(v, bp, ts, "TimeAxis", &x, 1, NULL));
    reel_bp_prop y = {.field = "range", .f = {-1.5, 6.25}};
    CHECK_OK(reel_bp_set_view_properties(v, bp, ts, "ScalarAxis", &y, 1, NULL));
    reel_bp_prop legend = {.field = "visible", .i = {0}};
    CHECK_OK(reel_bp_set_view_properties(v, bp, ts, "PlotLegend", &legend, 1, NULL));
    reel_viewer_end_frame(v);
}

TEST(saved_properties_are_honoured_after_load)
{
    char path[] = "/tmp/reel_props_XXXXXX.rbl";
    int fd = mkstemps(path, 4);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    reel_viewer_uuid v3, v2, ts;
    {
        harness h;
        start(&h);
        log_scene(h.viewer);
        frames(&h, 2);
        CHECK(find_view(h.viewer, "3D", &v3));
        CHECK(find_view(h.viewer, "2D", &v2));
        CHECK(find_view(h.viewer, "TimeSeries", &ts));
        reel_viewer_blueprint *bp = reel_viewer_active_blueprint(h.viewer);
        write_properties(h.viewer, bp, v3, v2, ts);
        frames(&h, 2);
        /* The running app picks them up too. */
        const reel_view_timeseries_state *t = reel_app_view_state(h.app, ts);
        CHECK(t != NULL && t->x_set && t->y_set && t->hide_legend);
        CHECK_OK(reel_bp_save_rbl(bp, path, NULL));
        stop(&h);
    }
    harness h;
    start(&h);
    log_scene(h.viewer);
    reel_viewer_load_result result;
    CHECK_OK(reel_viewer_load_path(h.viewer, path, true, &result, NULL));
    frames(&h, 3);
    const reel_view_spatial3d_state *e = reel_app_view_state(h.app, v3);
    const reel_view_spatial2d_state *b = reel_app_view_state(h.app, v2);
    const reel_view_timeseries_state *t = reel_app_view_state(h.app, ts);
    if (CHECK(e != NULL && b != NULL && t != NULL)) {
        CHECK(e->eye_set);
        CHECK(eye_equal(e->eye_position, (float[3]){4, -3, 2}));
        CHECK(eye_equal(e->eye_target, (float[3]){1, 0.5f, 0}));
        CHECK(eye_equal(e->eye_up, (float[3]){0, 0, 1}));
        CHECK(b->bounds_set);
        CHECK_NEAR(b->bounds_min[0], -10, 1e-6);
        CHECK_NEAR(b->bounds_max[0], 30, 1e-6);
        CHECK_NEAR(b->bounds_min[1], 5, 1e-6);
        CHECK_NEAR(b->bounds_max[1], 25, 1e-6);
        CHECK(t->x_set && t->y_set && t->hide_legend);
        CHECK_NEAR(t->x_min, 2, 1e-9);
        CHECK_NEAR(t->x_max, 7, 1e-9);
        CHECK_NEAR(t->y_min, -1.5, 1e-9);
        CHECK_NEAR(t->y_max, 6.25, 1e-9);
    }
    stop(&h);
    unlink(path);
}

TEST(plot_pan_writes_time_and_scalar_axes)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frames(&h, 2);
    reel_viewer_uuid id;
    CHECK(find_view(h.viewer, "TimeSeries", &id));
    maximize(&h, id);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(h.viewer);
    float r[4];
    CHECK(reel_app_view_rect(h.app, id, r));
    int64_t before = reel_bp_cursor(bp);
    drag(&h, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2, 100, 30, 12);
    frames(&h, 2);
    const reel_view_timeseries_state *t = reel_app_view_state(h.app, id);
    CHECK(t != NULL && t->x_set && t->y_set);
    CHECK_EQ_INT(reel_bp_cursor(bp), before + 1);
    reel_bp_prop x, y;
    CHECK(reel_bp_view_property(bp, id, "TimeAxis", "view_range", &x));
    CHECK(x.i[0] == 2 && x.i[2] == 2 && x.i[1] < x.i[3]);
    CHECK(reel_bp_view_property(bp, id, "ScalarAxis", "range", &y));
    if (t != NULL) {
        CHECK_NEAR(y.f[0], t->y_min, 1e-9);
        CHECK_NEAR(y.f[1], t->y_max, 1e-9);
    }
    key(&h, REEL_KEY_Z, REEL_MOD_CTRL);
    frame(&h);
    t = reel_app_view_state(h.app, id);
    CHECK(t != NULL && !t->x_set && !t->y_set);
    stop(&h);
}

TEST(cursor_relative_time_axis_follows_the_cursor)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frames(&h, 2);
    reel_viewer_uuid id;
    CHECK(find_view(h.viewer, "TimeSeries", &id));
    maximize(&h, id);
    reel_viewer_recording *rec = reel_viewer_active_recording(h.viewer);
    reel_bp_prop x = {.field = "view_range", .i = {1, -2, 1, 1}}; /* cursor - 2 .. cursor + 1 */
    CHECK_OK(reel_bp_set_view_properties(h.viewer, reel_viewer_active_blueprint(h.viewer), id,
                                         "TimeAxis", &x, 1, NULL));
    reel_viewer_end_frame(h.viewer);
    reel_viewer_time_set_cursor(rec, 5);
    frames(&h, 2);
    const reel_view_timeseries_state *t = reel_app_view_state(h.app, id);
    if (CHECK(t != NULL && t->x_set)) {
        CHECK_NEAR(t->x_min, 3, 1e-9);
        CHECK_NEAR(t->x_max, 6, 1e-9);
    }
    reel_viewer_time_set_cursor(rec, 7);
    frames(&h, 2);
    t = reel_app_view_state(h.app, id);
    if (CHECK(t != NULL && t->x_set)) {
        CHECK_NEAR(t->x_min, 5, 1e-9);
        CHECK_NEAR(t->x_max, 8, 1e-9);
    }
    stop(&h);
}

int main(void)
{
    RUN(orbit_is_one_write_and_undo_restores_the_default_eye);
    RUN(reset_to_heuristic_drops_the_camera);
    RUN(saved_properties_are_honoured_after_load);
    RUN(plot_pan_writes_time_and_scalar_axes);
    RUN(cursor_relative_time_axis_follows_the_cursor);
    TEST_MAIN_END();
}
