/* Screenshot tests of the viewer on recordings written by Reel's C SDK examples
 * (build/example_<name>): each example writes an .rrd, `build/reel --screenshot` renders it
 * headless (EGL surfaceless) at 960x540, and the PNG is checked three ways:
 *   - the viewer's chrome is where Rerun has it, in its colours (top bar, time panel, a 24 pt
 *     tab bar above every view), at the view rectangles the app reports for the same
 *     recording in-process (same id seed, so the same layout);
 *   - what each view draws: class-specific pixels (coloured points in the 3D view, the image's
 *     gradient in the 2D view, the series colours in the plots, rows of text in the text log);
 *   - the viewport (views and their tab bars) against tests/golden/screenshots/<name>.png with
 *     a per-channel tolerance (REEL_UPDATE_GOLDEN=1 rewrites them). The top bar and time panel
 *     are left out of that comparison: they show wall-clock times the examples log. */
#include <stdlib.h>
#include <unistd.h>

#include "app/app.h"
#include "screenshot_compare.h"
#include "test.h"

#define W 960
#define H 540

static char build_dir[1024];

typedef struct shot {
    uint8_t *rgba;
    int32_t width, height;
    /* The layout: view rectangles by class, from the app in-process. */
    size_t n_views;
    char classes[32][32];
    char origins[32][128];
    float rects[32][4];
} shot;

static bool near_color(const uint8_t *p, uint32_t rgb, int tolerance)
{
    int r = (int)(rgb >> 16 & 0xff), g = (int)(rgb >> 8 & 0xff), b = (int)(rgb & 0xff);
    return abs(p[0] - r) <= tolerance && abs(p[1] - g) <= tolerance && abs(p[2] - b) <= tolerance;
}

static const uint8_t *pixel(const shot *s, int x, int y)
{
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x >= s->width)
        x = s->width - 1;
    if (y >= s->height)
        y = s->height - 1;
    return s->rgba + ((size_t)y * (size_t)s->width + (size_t)x) * 4;
}

/* Pixels of the rectangle matching `pred`. */
static size_t count_in(const shot *s, const float r[4], bool (*pred)(const uint8_t *))
{
    size_t n = 0;
    for (int y = (int)r[1]; y < (int)r[3]; y++)
        for (int x = (int)r[0]; x < (int)r[2]; x++)
            n += pred(pixel(s, x, y));
    return n;
}

static bool is_text_like(const uint8_t *p)
{
    return p[0] > 90 && p[1] > 90 && p[2] > 90;
}

static bool is_saturated(const uint8_t *p)
{
    int max = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
    int min = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
    return max > 120 && max - min > 90;
}

static bool is_red(const uint8_t *p)
{
    return p[0] > 160 && p[1] < 90 && p[2] < 90;
}

static bool is_blue(const uint8_t *p)
{
    return p[2] > 160 && p[0] < 90 && p[1] < 140;
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    return rc;
}

/* The example's recording, rendered by the CLI, and the layout the app gives it. */
static bool take(const char *example, shot *s, char *rrd, size_t rrd_cap)
{
    memset(s, 0, sizeof *s);
    char png[512], cmd[2048];
    snprintf(rrd, rrd_cap, "/tmp/reel_shot_%s_%d.rrd", example, (int)getpid());
    snprintf(png, sizeof png, "/tmp/reel_shot_%s_%d.png", example, (int)getpid());
    snprintf(cmd, sizeof cmd, "%s/example_%s %s >/dev/null", build_dir, example, rrd);
    if (!CHECK(run(cmd) == 0))
        return false;
    snprintf(cmd, sizeof cmd, "%s/reel --screenshot %s --size %dx%d %s", build_dir, png, W, H, rrd);
    if (!CHECK(run(cmd) == 0))
        return false;
    reel_error err = {0};
    if (!CHECK_OK(reel_platform_read_png(png, &s->rgba, &s->width, &s->height, &err)))
        return false;
    remove(png);
    CHECK_EQ_INT(s->width, W);
    CHECK_EQ_INT(s->height, H);

    reel_viewer *viewer = NULL;
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = REEL_APP_DETERMINISTIC_SEED},
                                &viewer, NULL));
    CHECK_OK(reel_viewer_load_path(viewer, rrd, false, NULL, NULL));
    reel_viewer_app *app = NULL;
    CHECK_OK(
        reel_app_create(&(reel_app_desc){.viewer = viewer, .deterministic = true}, &app, NULL));
    reel_input in = {.width = W, .height = H, .pixels_per_point = 1, .time_secs = 0};
    reel_draw_frame frame;
    for (int i = 0; i < 4; i++, in.time_secs += 1.0 / 60)
        reel_app_frame(app, &in, &frame);
    const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(viewer));
    for (size_t i = 0; i < m->n_views && s->n_views < 32; i++) {
        if (!reel_app_view_rect(app, m->views[i].id, s->rects[s->n_views]))
            continue;
        snprintf(s->classes[s->n_views], sizeof s->classes[0], "%s", m->views[i].class_identifier);
        snprintf(s->origins[s->n_views], sizeof s->origins[0], "%s", m->views[i].space_origin);
        s->n_views++;
    }
    reel_app_destroy(app);
    reel_viewer_destroy(viewer);
    return true;
}

/* Top bar, time panel and a tab bar above every view, in Rerun's dark theme. */
static void check_chrome(const shot *s)
{
    CHECK(near_color(pixel(s, W / 2, 1), 0x0d0d0d, 3)); /* top bar */
    CHECK(near_color(pixel(s, 2, H - 2), 0x171717, 3)); /* time panel */
    CHECK(s->n_views >= 1);
    for (size_t v = 0; v < s->n_views; v++) {
        const float *r = s->rects[v];
        CHECK(r[1] >= 28 + 24 && r[3] <= H && r[0] >= 0 && r[2] <= W);
        size_t tab = 0, width = (size_t)(r[2] - r[0]);
        for (int x = (int)r[0]; x < (int)r[2]; x++)
            tab += near_color(pixel(s, x, (int)r[1] - 3), 0x212121, 3) ||
                   near_color(pixel(s, x, (int)r[1] - 3), 0x0d0d0d, 3);
        CHECK(tab * 10 >= width * 4); /* mostly tab-bar fill, around the title and buttons */
    }
}

/* Each view draws something of its class's content. */
static void check_views_drawn(const shot *s)
{
    for (size_t v = 0; v < s->n_views; v++) {
        size_t text = count_in(s, s->rects[v], is_text_like);
        size_t colored = count_in(s, s->rects[v], is_saturated);
        if (!CHECK(text + colored > 30))
            fprintf(stderr, "view %s %s drew nothing\n", s->classes[v], s->origins[v]);
    }
}

static const float *view_of(const shot *s, const char *cls, const char *origin)
{
    for (size_t v = 0; v < s->n_views; v++)
        if (strcmp(s->classes[v], cls) == 0 &&
            (origin == NULL || strcmp(s->origins[v], origin) == 0))
            return s->rects[v];
    return NULL;
}

/* The viewport (union of the views with their tab bars) against the golden PNG. */
static void check_golden(const shot *s, const char *name)
{
    float x0 = W, y0 = H, x1 = 0, y1 = 0;
    for (size_t v = 0; v < s->n_views; v++) {
        x0 = s->rects[v][0] < x0 ? s->rects[v][0] : x0;
        y0 = s->rects[v][1] - 24 < y0 ? s->rects[v][1] - 24 : y0;
        x1 = s->rects[v][2] > x1 ? s->rects[v][2] : x1;
        y1 = s->rects[v][3] > y1 ? s->rects[v][3] : y1;
    }
    int cw = (int)(x1 - x0), ch = (int)(y1 - y0);
    if (!CHECK(cw > 0 && ch > 0))
        return;
    uint8_t *crop = malloc((size_t)cw * (size_t)ch * 4);
    for (int y = 0; y < ch; y++)
        memcpy(crop + (size_t)y * (size_t)cw * 4, pixel(s, (int)x0, (int)y0 + y), (size_t)cw * 4);
    char golden[400];
    snprintf(golden, sizeof golden, "%s/tests/golden/screenshots/example_%s%s.png", REEL_SOURCE_DIR,
             name, "");
    CHECK(screenshot_matches(crop, cw, ch, golden, 12, 0.01));
    free(crop);
}

TEST(minimal_points_in_3d)
{
    shot s;
    char rrd[512];
    if (!take("minimal", &s, rrd, sizeof rrd))
        return;
    check_chrome(&s);
    check_views_drawn(&s);
    const float *view = view_of(&s, "3D", "/");
    CHECK(view != NULL);
    if (view != NULL) /* 1,000 points in a colour cube */
        CHECK(count_in(&s, view, is_saturated) > 500);
    check_golden(&s, "minimal");
    reel_platform_free_png(s.rgba);
    remove(rrd);
}

TEST(image_in_2d)
{
    shot s;
    char rrd[512];
    if (!take("image", &s, rrd, sizeof rrd))
        return;
    check_chrome(&s);
    check_views_drawn(&s);
    const float *view = view_of(&s, "2D", NULL);
    CHECK(view != NULL);
    if (view != NULL) {
        /* The gradient's green rises from the image's top to its bottom (rows scaled up). */
        int cx = (int)((view[0] + view[2]) / 2);
        int top = (int)(view[1] + (view[3] - view[1]) * 0.3f);
        int bottom = (int)(view[1] + (view[3] - view[1]) * 0.7f);
        CHECK(pixel(&s, cx, bottom)[1] > pixel(&s, cx, top)[1] + 40);
    }
    check_golden(&s, "image");
    reel_platform_free_png(s.rgba);
    remove(rrd);
}

TEST(live_plot_series_in_their_colours)
{
    shot s;
    char rrd[512];
    if (!take("live_plot", &s, rrd, sizeof rrd))
        return;
    check_chrome(&s);
    check_views_drawn(&s);
    const float *sin_view = view_of(&s, "TimeSeries", "/plot/sin");
    const float *cos_view = view_of(&s, "TimeSeries", "/plot/cos");
    CHECK(sin_view != NULL && cos_view != NULL);
    if (sin_view != NULL && cos_view != NULL) {
        CHECK(count_in(&s, sin_view, is_red) > 40);
        CHECK(count_in(&s, cos_view, is_blue) > 40);
    }
    check_golden(&s, "live_plot");
    reel_platform_free_png(s.rgba);
    remove(rrd);
}

TEST(archetype_tour_gets_every_class)
{
    shot s;
    char rrd[512];
    if (!take("archetype_tour", &s, rrd, sizeof rrd))
        return;
    check_chrome(&s);
    check_views_drawn(&s);
    static const char *const classes[] = {"3D", "2D", "TimeSeries", "TextLog", "TextDocument"};
    for (size_t i = 0; i < 5; i++)
        CHECK(view_of(&s, classes[i], NULL) != NULL);
    const float *log = view_of(&s, "TextLog", NULL);
    if (log != NULL) { /* rows of text: several separate bands of text pixels */
        int bands = 0;
        bool in_band = false;
        for (int y = (int)log[1]; y < (int)log[3]; y++) {
            int n = 0;
            for (int x = (int)log[0]; x < (int)log[2]; x++)
                n += is_text_like(pixel(&s, x, y));
            bool band = n > 3;
            bands += band && !in_band;
            in_band = band;
        }
        CHECK(bands >= 3);
    }
    check_golden(&s, "archetype_tour");
    reel_platform_free_png(s.rgba);
    remove(rrd);
}

int main(int argc, char **argv)
{
    /* The test binary is <build>/tests/app/test_app_screenshots. */
    (void)argc;
    snprintf(build_dir, sizeof build_dir, "%s", argv[0]);
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(build_dir, '/');
        if (slash == NULL) {
            snprintf(build_dir, sizeof build_dir, "..");
            break;
        }
        *slash = 0;
    }
    RUN(minimal_points_in_3d);
    RUN(image_in_2d);
    RUN(live_plot_series_in_their_colours);
    RUN(archetype_tour_gets_every_class);
    TEST_MAIN_END();
}
