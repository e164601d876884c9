/* The viewer's frame time, headless (EGL surfaceless, Mesa llvmpipe here): recordings made
 * with Reel's C SDK (1 M and 4 M 3D points, a 1 M-sample time series, 1,000 and 10,000
 * entities), opened by the viewer and drawn by the app (src/app) through the renderer at
 * 1280x720, N frames each after a warm-up. A frame is reel_app_frame (ui, heuristics, view
 * queries and drawing) + reel_render_frame + a synchronous read-back of the pixels (so the
 * GPU's work is inside the measurement). Prints one JSON object per workload with p50/p99
 * in milliseconds; `bench_viewer [N [WORKLOAD]]` sets the frame count (default 30) and runs
 * only the named workload. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "platform/platform.h"
#include "render/render.h"

/* After the internal headers: its reel_log macro (the SDK's) shadows core's logger. */
#include <reel/reel.h>

#define W 1280
#define H 720

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static reel_recording *start(const char *app_id, const char *path)
{
    reel_recording *rec = NULL;
    reel_error err = {0};
    if (reel_recording_create(&(reel_recording_options){.application_id = app_id}, &rec, &err) !=
            REEL_OK ||
        reel_save(rec, path, &err) != REEL_OK) {
        fprintf(stderr, "bench_viewer: %s\n", err.message);
        return NULL;
    }
    return rec;
}

static bool finish(reel_recording *rec)
{
    reel_error err = {0};
    if (reel_recording_destroy(rec, &err) != REEL_OK) {
        fprintf(stderr, "bench_viewer: %s\n", err.message);
        return false;
    }
    return true;
}

/* `count` points in a cube, colours from their position, one Points3D. */
static bool make_points(const char *path, size_t count)
{
    reel_recording *rec = start("bench_viewer_points", path);
    if (rec == NULL)
        return false;
    float *xyz = malloc(count * 3 * sizeof *xyz);
    uint32_t *colors = malloc(count * sizeof *colors);
    if (xyz == NULL || colors == NULL) {
        free(xyz);
        free(colors);
        finish(rec);
        return false;
    }
    uint32_t seed = 12345;
    for (size_t i = 0; i < count; i++) {
        for (int k = 0; k < 3; k++) {
            seed = seed * 1664525u + 1013904223u;
            xyz[i * 3 + (size_t)k] = (float)(seed >> 8) / (float)(1u << 24) * 10.0f - 5.0f;
        }
        colors[i] = (uint32_t)((xyz[i * 3] + 5) * 25.5f) << 24 |
                    (uint32_t)((xyz[i * 3 + 1] + 5) * 25.5f) << 16 |
                    (uint32_t)((xyz[i * 3 + 2] + 5) * 25.5f) << 8 | 0xff;
    }
    float radius = 0.01f;
    reel_set_time_sequence(rec, "frame", 0);
    reel_log(rec, "points",
             &(reel_points3d){.positions = reel_batch_values(xyz, count),
                              .colors = reel_batch_values(colors, count),
                              .radii = reel_batch_values(&radius, 1)});
    free(xyz);
    free(colors);
    return finish(rec);
}

/* One scalar series of `count` samples on a sequence timeline (send_columns). */
static bool make_series(const char *path, size_t count)
{
    reel_recording *rec = start("bench_viewer_series", path);
    if (rec == NULL)
        return false;
    int64_t *steps = malloc(count * sizeof *steps);
    double *values = malloc(count * sizeof *values);
    bool ok = steps != NULL && values != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        steps[i] = (int64_t)i;
        values[i] = sin((double)i * 0.001) + 0.1 * sin((double)i * 0.1);
    }
    reel_error err = {0};
    if (ok) {
        reel_time_column time = {"step", REEL_TIME_KIND_SEQUENCE, steps};
        reel_component_column column = {.component = {.component = "Scalars:scalars",
                                                      .values = reel_batch_values(values, count)}};
        ok = reel_send_columns(rec, "series/sine", &time, 1, &column, 1, count, &err) == REEL_OK;
        if (!ok)
            fprintf(stderr, "bench_viewer: %s\n", err.message);
    }
    free(steps);
    free(values);
    return finish(rec) && ok;
}

/* `count` entities of 10 points each, at 10 frames. */
static bool make_entities(const char *path, size_t count)
{
    reel_recording *rec = start("bench_viewer_entities", path);
    if (rec == NULL)
        return false;
    for (int frame = 0; frame < 10; frame++) {
        reel_set_time_sequence(rec, "frame", frame);
        for (size_t e = 0; e < count; e++) {
            float xyz[10][3];
            for (int i = 0; i < 10; i++) {
                xyz[i][0] = (float)(e % 100) + (float)i * 0.05f;
                xyz[i][1] = (float)(e / 100);
                xyz[i][2] = (float)frame * 0.1f;
            }
            char entity[64];
            snprintf(entity, sizeof entity, "world/group_%zu/entity_%zu", e / 100, e);
            reel_log(rec, entity, &(reel_points3d){.positions = reel_batch_values(xyz, 10)});
        }
    }
    return finish(rec);
}

typedef struct gl_target {
    reel_platform_headless *headless;
    reel_renderer *renderer;
    uint8_t *pixels;
} gl_target;

static void run(const char *name, const char *path, gl_target *gl, int frames)
{
    reel_error err = {0};
    reel_viewer *viewer = NULL;
    reel_viewer_app *app = NULL;
    double load0 = now_secs();
    if (reel_viewer_create(&(reel_viewer_desc){.id_seed = REEL_APP_DETERMINISTIC_SEED}, &viewer,
                           &err) != REEL_OK ||
        reel_viewer_load_path(viewer, path, false, NULL, &err) != REEL_OK ||
        reel_app_create(&(reel_app_desc){.viewer = viewer, .deterministic = true}, &app, &err) !=
            REEL_OK) {
        fprintf(stderr, "bench_viewer: %s: %s\n", name, err.message);
        reel_viewer_destroy(viewer);
        return;
    }
    double load = now_secs() - load0;
    int warmup = 3;
    double *times = calloc((size_t)frames, sizeof *times);
    double *app_times = calloc((size_t)frames, sizeof *app_times);
    reel_input in = {.width = W, .height = H, .pixels_per_point = 1};
    double first = 0;
    for (int i = 0; i < warmup + frames && times != NULL; i++) {
        in.time_secs = (double)i / 60.0;
        double t0 = now_secs();
        reel_draw_frame frame;
        reel_app_frame(app, &in, &frame);
        double t_app = now_secs() - t0;
        if (reel_render_frame(gl->renderer, &frame, &err) != REEL_OK ||
            reel_render_read_pixels(gl->renderer, W, H, gl->pixels, &err) != REEL_OK) {
            fprintf(stderr, "bench_viewer: %s: %s\n", name, err.message);
            break;
        }
        double dt = now_secs() - t0;
        if (i == 0)
            first = dt;
        if (i >= warmup && app_times != NULL)
            times[i - warmup] = dt, app_times[i - warmup] = t_app;
    }
    if (times != NULL && app_times != NULL) {
        qsort(times, (size_t)frames, sizeof *times, compare_double);
        qsort(app_times, (size_t)frames, sizeof *app_times, compare_double);
        double p50 = times[frames / 2], p99 = times[(size_t)((frames - 1) * 0.99)];
        /* app_p50: the app's own frame (ui, queries, views) before the renderer runs. */
        printf("{\"workload\":\"%s\",\"frames\":%d,\"load_ms\":%.1f,\"first_frame_ms\":%.2f,"
               "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"app_p50_ms\":%.2f,\"size\":\"%dx%d\"}\n",
               name, frames, load * 1e3, first * 1e3, p50 * 1e3, p99 * 1e3,
               app_times[frames / 2] * 1e3, W, H);
        fflush(stdout);
    }
    free(times);
    free(app_times);
    reel_app_destroy(app);
    reel_viewer_destroy(viewer);
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 30;
    if (frames < 1)
        frames = 30;
    char dir[] = "/tmp/reel_bench_viewer_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("bench_viewer: mkdtemp");
        return 1;
    }
    gl_target gl = {0};
    reel_error err = {0};
    if (reel_platform_headless_create(&gl.headless, &err) != REEL_OK ||
        reel_renderer_create(&(reel_renderer_desc){.offscreen = true}, &gl.renderer, &err) !=
            REEL_OK) {
        fprintf(stderr, "bench_viewer: no headless GL: %s\n", err.message);
        reel_platform_headless_destroy(gl.headless);
        return 1;
    }
    gl.pixels = malloc((size_t)W * H * 4);
    struct {
        const char *name;
        bool (*make)(const char *, size_t);
        size_t n;
    } workloads[] = {
        {"points_1m", make_points, 1000000},    {"points_4m", make_points, 4000000},
        {"series_1m", make_series, 1000000},    {"entities_1k", make_entities, 1000},
        {"entities_10k", make_entities, 10000},
    };
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++) {
        if (argc > 2 && strcmp(argv[2], workloads[i].name) != 0)
            continue;
        char path[256];
        snprintf(path, sizeof path, "%s/%s.rrd", dir, workloads[i].name);
        if (!workloads[i].make(path, workloads[i].n)) {
            fprintf(stderr, "bench_viewer: could not write %s\n", path);
            continue;
        }
        run(workloads[i].name, path, &gl, frames);
        remove(path);
    }
    rmdir(dir);
    free(gl.pixels);
    reel_renderer_destroy(gl.renderer);
    reel_platform_headless_destroy(gl.headless);
    return 0;
}
