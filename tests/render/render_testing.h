/* Helpers for the render tests: a headless EGL context with an offscreen renderer (failing
 * loudly when EGL cannot start: CI has Mesa), 2D lists built by hand (no draw_list.c
 * needed), a tiny atlas, cameras, and pixel access. */
#ifndef REEL_TESTS_RENDER_TESTING_H
#define REEL_TESTS_RENDER_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "render/render.h"
#include "test.h"

typedef struct gpu {
    reel_platform_headless *headless;
    reel_renderer *renderer;
} gpu;

static inline gpu gpu_start(uint32_t evict_after_frames)
{
    gpu g = {0};
    reel_error err = {0};
    if (reel_platform_headless_create(&g.headless, &err) != REEL_OK) {
        fprintf(stderr,
                "FATAL: headless EGL is needed for the render tests and could not start:\n  %s\n",
                err.message);
        exit(2);
    }
    reel_renderer_desc desc = {.offscreen = true, .evict_after_frames = evict_after_frames};
    if (reel_renderer_create(&desc, &g.renderer, &err) != REEL_OK) {
        fprintf(stderr, "FATAL: reel_renderer_create: %s\n", err.message);
        exit(2);
    }
    return g;
}

static inline void gpu_stop(gpu *g)
{
    reel_renderer_destroy(g->renderer);
    reel_platform_headless_destroy(g->headless);
}

/* A hand-built 2D list (fixed capacity). */
typedef struct test_list {
    reel_draw_list list;
    reel_draw_vertex vertices[256];
    uint32_t indices[512];
    reel_draw_cmd cmds[32];
} test_list;

/* 8x8 atlas: columns 0-3 fully covered, 4-7 empty; white texel at (1.5/8, 1.5/8). */
static inline const reel_draw_atlas *test_atlas(void)
{
    static uint8_t pixels[64];
    static reel_draw_atlas atlas;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            pixels[y * 8 + x] = x < 4 ? 255 : 0;
    atlas = (reel_draw_atlas){.pixels = pixels,
                              .width = 8,
                              .height = 8,
                              .version = 1,
                              .white_u = 1.5f / 8,
                              .white_v = 1.5f / 8};
    return &atlas;
}

static inline void test_list_init(test_list *t)
{
    memset(t, 0, sizeof(*t));
    t->list.vertices = t->vertices;
    t->list.vertex_capacity = 256;
    t->list.indices = t->indices;
    t->list.index_capacity = 512;
    t->list.cmds = t->cmds;
    t->list.cmd_capacity = 32;
}

/* A textured rectangle (uv corners given) as its own command with its own clip. */
static inline void test_rect_uv(test_list *t, const float clip[4], uint32_t texture, float x0,
                                float y0, float x1, float y1, float u0, float v0, float u1,
                                float v1, uint32_t rgba)
{
    reel_draw_list *l = &t->list;
    uint32_t base = l->n_vertices;
    reel_draw_vertex corners[4] = {{x0, y0, u0, v0, rgba},
                                   {x1, y0, u1, v0, rgba},
                                   {x1, y1, u1, v1, rgba},
                                   {x0, y1, u0, v1, rgba}};
    memcpy(&l->vertices[base], corners, sizeof(corners));
    l->n_vertices += 4;
    uint32_t first = l->n_indices;
    uint32_t quad[6] = {base, base + 1, base + 2, base, base + 2, base + 3};
    memcpy(&l->indices[first], quad, sizeof(quad));
    l->n_indices += 6;
    reel_draw_cmd *cmd = &l->cmds[l->n_cmds++];
    memcpy(cmd->clip, clip, sizeof(cmd->clip));
    cmd->texture = texture;
    cmd->first_index = first;
    cmd->index_count = 6;
    cmd->scene = -1;
}

static inline void test_rect(test_list *t, const float clip[4], float x0, float y0, float x1,
                             float y1, uint32_t rgba)
{
    const reel_draw_atlas *atlas = test_atlas();
    test_rect_uv(t, clip, REEL_DRAW_ATLAS, x0, y0, x1, y1, atlas->white_u, atlas->white_v,
                 atlas->white_u, atlas->white_v, rgba);
}

static inline void test_scene_cmd(test_list *t, int32_t scene, float x0, float y0, float x1,
                                  float y1)
{
    reel_draw_cmd *cmd = &t->list.cmds[t->list.n_cmds++];
    memset(cmd, 0, sizeof(*cmd));
    cmd->clip[0] = x0, cmd->clip[1] = y0, cmd->clip[2] = x1, cmd->clip[3] = y1;
    cmd->scene = scene;
    cmd->texture = REEL_DRAW_ATLAS;
}

/* Perspective camera at (0, 0, distance) looking at the origin, y up. */
static inline reel_draw_camera test_camera(float aspect, float distance, float pixels_per_point)
{
    reel_draw_camera camera = {0};
    const float eye[3] = {0, 0, distance}, target[3] = {0, 0, 0}, up[3] = {0, 1, 0};
    reel_mat4_look_at(camera.view, eye, target, up);
    reel_mat4_perspective(camera.projection, 3.14159265f / 3.0f, aspect, 0.1f, 100.0f);
    camera.pixels_per_point = pixels_per_point;
    return camera;
}

static inline const uint8_t *pixel_at(const uint8_t *rgba, int32_t width, int32_t x, int32_t y)
{
    return &rgba[((size_t)y * (size_t)width + (size_t)x) * 4];
}

static inline uint32_t pixel_rgba(const uint8_t *rgba, int32_t width, int32_t x, int32_t y)
{
    const uint8_t *p = pixel_at(rgba, width, x, y);
    return REEL_RGBA(p[0], p[1], p[2], p[3]);
}

static inline int pixel_near(const uint8_t *rgba, int32_t width, int32_t x, int32_t y,
                             uint32_t expected, int tolerance)
{
    const uint8_t *p = pixel_at(rgba, width, x, y);
    for (int c = 0; c < 4; c++) {
        int want = (int)(expected >> (8 * c) & 255);
        if (abs((int)p[c] - want) > tolerance) {
            fprintf(stderr, "pixel (%d, %d) is %02x%02x%02x%02x, expected %08x (0xAABBGGRR)\n", x,
                    y, p[0], p[1], p[2], p[3], expected);
            return 0;
        }
    }
    return 1;
}

#define CHECK_PIXEL(rgba, width, x, y, expected, tolerance)                                        \
    CHECK(pixel_near((rgba), (width), (x), (y), (expected), (tolerance)))

static inline void identity_transform(float m[16])
{
    reel_mat4_identity(m);
}

#endif
