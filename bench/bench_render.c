/* Renderer benchmark, headless (EGL surfaceless; llvmpipe on a machine without a GPU): frame
 * times (p50, p99, with glFinish) for 1 M and 4 M points, 10,000 small lit meshes in one scene,
 * and a pick under the pointer on the 1 M point scene. Prints one JSON line per case. */
#include <GLES3/gl3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "platform/platform.h"
#include "render/render.h"

#define WIDTH 1280
#define HEIGHT 720

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *values, int n, double p)
{
    qsort(values, (size_t)n, sizeof(double), compare_doubles);
    int index = (int)ceil(p * n) - 1;
    return values[index < 0 ? 0 : (index >= n ? n - 1 : index)];
}

static uint32_t rng_state = 12345;
static float random_unit(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)(rng_state >> 8) / (float)(1u << 24) * 2.0f - 1.0f;
}

static reel_draw_camera camera_at(float distance)
{
    reel_draw_camera camera = {0};
    const float eye[3] = {distance * 0.6f, distance * 0.5f, distance}, target[3] = {0, 0, 0};
    const float up[3] = {0, 1, 0};
    reel_mat4_look_at(camera.view, eye, target, up);
    reel_mat4_perspective(camera.projection, 3.14159265f / 3.0f, (float)WIDTH / HEIGHT, 0.1f,
                          100.0f);
    camera.pixels_per_point = 1.0f;
    return camera;
}

/* Times n frames of a one-scene frame (after 2 warm-up frames) and prints a JSON line. */
static int time_frames(reel_renderer *renderer, const char *name, const reel_draw_scene *scene,
                       int n, const char *extra)
{
    reel_draw_cmd cmd = {.clip = {0, 0, WIDTH, HEIGHT}, .scene = 0, .texture = REEL_DRAW_ATLAS};
    reel_draw_list list = {.cmds = &cmd, .n_cmds = 1};
    reel_draw_frame frame = {.width = WIDTH,
                             .height = HEIGHT,
                             .clear = 0xff000000u,
                             .scenes = scene,
                             .n_scenes = 1,
                             .list = &list};
    double *ms = malloc(sizeof(double) * (size_t)n);
    if (!ms)
        return 1;
    reel_error err = {0};
    for (int i = -2; i < n; i++) {
        double start = ((double)reel_clock_monotonic_ns() * 1e-9);
        if (reel_render_frame(renderer, &frame, &err) != REEL_OK) {
            fprintf(stderr, "bench_render: %s: %s\n", name, err.message);
            free(ms);
            return 1;
        }
        glFinish();
        if (i >= 0)
            ms[i] = (((double)reel_clock_monotonic_ns() * 1e-9) - start) * 1e3;
    }
    double p50 = percentile(ms, n, 0.5), p99 = percentile(ms, n, 0.99);
    printf("{\"bench\":\"render\",\"case\":\"%s\",\"width\":%d,\"height\":%d,\"frames\":%d,"
           "\"p50_ms\":%.2f,\"p99_ms\":%.2f%s}\n",
           name, WIDTH, HEIGHT, n, p50, p99, extra ? extra : "");
    fflush(stdout);
    free(ms);
    return 0;
}

static int bench_points(reel_renderer *renderer, uint32_t count, int frames)
{
    float *positions = malloc((size_t)count * 3 * sizeof(float));
    uint32_t *colors = malloc((size_t)count * sizeof(uint32_t));
    if (!positions || !colors) {
        free(positions);
        free(colors);
        return 1;
    }
    for (uint32_t i = 0; i < count; i++) {
        positions[i * 3] = random_unit();
        positions[i * 3 + 1] = random_unit();
        positions[i * 3 + 2] = random_unit();
        colors[i] = REEL_RGBA(128 + (i & 127), 255 - (i & 127), 200, 255);
    }
    const float radius = -1.5f; /* Rerun's default: 1.5 UI points */
    reel_draw_points points = {.positions = positions,
                               .count = count,
                               .colors = colors,
                               .n_colors = count,
                               .radii = &radius,
                               .n_radii = 1,
                               .pick = 1};
    reel_mat4_identity(points.transform);
    reel_draw_scene scene = {
        .camera = camera_at(3.5f), .background = 0xff202020u, .points = &points, .n_points = 1};
    char name[64];
    snprintf(name, sizeof(name), "points_%uM", count / 1000000);
    int failed = time_frames(renderer, name, &scene, frames, NULL);
    if (!failed && count <= 1000000) {
        /* a pick at the centre, as the viewer does for hover each frame */
        reel_draw_cmd cmd = {.clip = {0, 0, WIDTH, HEIGHT}, .scene = 0};
        reel_draw_list list = {.cmds = &cmd, .n_cmds = 1};
        reel_draw_frame frame = {
            .width = WIDTH, .height = HEIGHT, .scenes = &scene, .n_scenes = 1, .list = &list};
        double ms[10];
        reel_draw_pick pick = {0};
        for (int i = 0; i < 10; i++) {
            double start = ((double)reel_clock_monotonic_ns() * 1e-9);
            reel_render_pick(renderer, &frame, WIDTH / 2, HEIGHT / 2, &pick, NULL);
            ms[i] = (((double)reel_clock_monotonic_ns() * 1e-9) - start) * 1e3;
        }
        printf("{\"bench\":\"render\",\"case\":\"pick_points_%uM\",\"width\":%d,\"height\":%d,"
               "\"picks\":10,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"hit\":%s}\n",
               count / 1000000, WIDTH, HEIGHT, percentile(ms, 10, 0.5), percentile(ms, 10, 0.99),
               pick.hit ? "true" : "false");
    }
    free(positions);
    free(colors);
    return failed;
}

static int bench_meshes(reel_renderer *renderer, uint32_t count, int frames)
{
    static const float cube[] = {-1, -1, 1,  1, -1, 1,  1, 1, 1,  -1, 1, 1,
                                 -1, -1, -1, 1, -1, -1, 1, 1, -1, -1, 1, -1};
    static const uint32_t indices[] = {0, 1, 2, 0, 2, 3, 1, 5, 6, 1, 6, 2, 5, 4, 7, 5, 7, 6,
                                       4, 0, 3, 4, 3, 7, 3, 2, 6, 3, 6, 7, 4, 5, 1, 4, 1, 0};
    reel_draw_mesh *meshes = calloc(count, sizeof(*meshes));
    if (!meshes)
        return 1;
    uint32_t side = (uint32_t)ceil(cbrt((double)count));
    for (uint32_t i = 0; i < count; i++) {
        reel_draw_mesh *m = &meshes[i];
        m->positions = cube;
        m->n_vertices = 8;
        m->indices = indices;
        m->n_indices = 36;
        m->color = REEL_RGBA(60 + i % 190, 120, 200 - i % 150, 255);
        m->lit = true;
        m->pick = i + 1;
        reel_mat4_identity(m->transform);
        float scale = 0.3f / (float)side;
        m->transform[0] = m->transform[5] = m->transform[10] = scale;
        m->transform[12] = ((float)(i % side) + 0.5f) / (float)side * 2.0f - 1.0f;
        m->transform[13] = ((float)(i / side % side) + 0.5f) / (float)side * 2.0f - 1.0f;
        m->transform[14] = ((float)(i / side / side) + 0.5f) / (float)side * 2.0f - 1.0f;
    }
    reel_draw_scene scene = {
        .camera = camera_at(3.5f), .background = 0xff202020u, .meshes = meshes, .n_meshes = count};
    char name[64];
    snprintf(name, sizeof(name), "meshes_%u", count);
    int failed = time_frames(renderer, name, &scene, frames, ",\"triangles_per_mesh\":12");
    free(meshes);
    return failed;
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    reel_platform_headless *headless = NULL;
    reel_renderer *renderer = NULL;
    reel_error err = {0};
    if (reel_platform_headless_create(&headless, &err) != REEL_OK ||
        reel_renderer_create(&(reel_renderer_desc){.offscreen = true}, &renderer, &err) !=
            REEL_OK) {
        fprintf(stderr, "bench_render: %s\n", err.message);
        reel_platform_headless_destroy(headless);
        return 1;
    }
    printf("# %s, %s\n", (const char *)glGetString(GL_RENDERER),
           (const char *)glGetString(GL_VERSION));
    int failed = bench_points(renderer, 1000000, quick ? 3 : 30);
    failed |= bench_points(renderer, 4000000, quick ? 3 : 15);
    failed |= bench_meshes(renderer, 10000, quick ? 3 : 30);
    reel_renderer_destroy(renderer);
    reel_platform_headless_destroy(headless);
    return failed;
}
