/* The web app for now: a page that draws a test frame (a 2D panel and a 3D scene with points,
 * a line strip, a lit cube and a textured quad, the cube turning) through the platform's
 * GLFW front end and the renderer, exactly as natively; the full viewer replaces it later.
 * Prints REEL_READY after the first frame (the shell sets window.reelReady). Builds natively
 * too (handy under Xvfb), though only `make web` builds it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"

typedef struct demo {
    reel_draw_list list;
    reel_draw_vertex vertices[8];
    uint32_t indices[12];
    reel_draw_cmd cmds[2];
    uint8_t atlas_pixel;
    reel_draw_atlas atlas;
    reel_draw_texture texture;
    uint8_t checker[4 * 4 * 3];
    reel_draw_points points;
    reel_draw_lines lines;
    reel_draw_mesh cube;
    reel_draw_quad quad;
    reel_draw_scene scene;
    bool announced;
} demo;

static const float POINT_POSITIONS[] = {-1.6f, 1.0f, 0, -1.2f, 1.0f, 0.5f, -0.8f, 1.0f, 1.0f};
static const uint32_t POINT_COLORS[] = {REEL_RGBA(255, 60, 60, 255), REEL_RGBA(60, 255, 60, 255),
                                        REEL_RGBA(60, 60, 255, 255)};
static const float POINT_RADII[] = {0.15f, -4.0f};
static const float LINE_POSITIONS[] = {-2, -1.2f, 0, -1, -0.6f, 0, 0, -1.2f, 0, 1, -0.6f, 0};
static const uint32_t LINE_OFFSETS[] = {0, 4};
static const uint32_t LINE_COLOR = REEL_RGBA(255, 200, 0, 255);
static const float LINE_RADIUS = -2.0f;
static const float CUBE_POSITIONS[] = {-0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f,  0.5f,  0.5f,
                                       0.5f,  -0.5f, 0.5f, 0.5f, -0.5f, -0.5f, -0.5f, 0.5f,
                                       -0.5f, -0.5f, 0.5f, 0.5f, -0.5f, -0.5f, 0.5f,  -0.5f};
static const uint32_t CUBE_INDICES[] = {0, 1, 2, 0, 2, 3, 1, 5, 6, 1, 6, 2, 5, 4, 7, 5, 7, 6,
                                        4, 0, 3, 4, 3, 7, 3, 2, 6, 3, 6, 7, 4, 5, 1, 4, 1, 0};

static void add_rect(demo *d, int cmd_index, float x0, float y0, float x1, float y1, uint32_t rgba)
{
    uint32_t base = d->list.n_vertices;
    reel_draw_vertex corners[4] = {{x0, y0, 0.5f, 0.5f, rgba},
                                   {x1, y0, 0.5f, 0.5f, rgba},
                                   {x1, y1, 0.5f, 0.5f, rgba},
                                   {x0, y1, 0.5f, 0.5f, rgba}};
    memcpy(&d->vertices[base], corners, sizeof(corners));
    d->list.n_vertices += 4;
    uint32_t quad[6] = {base, base + 1, base + 2, base, base + 2, base + 3};
    memcpy(&d->indices[d->list.n_indices], quad, sizeof(quad));
    reel_draw_cmd *cmd = &d->cmds[cmd_index];
    cmd->first_index = d->list.n_indices;
    cmd->index_count = 6;
    cmd->texture = REEL_DRAW_ATLAS;
    cmd->scene = -1;
    d->list.n_indices += 6;
}

static bool demo_frame(void *ctx, const reel_input *input, reel_draw_frame *out)
{
    demo *d = ctx;
    float width = (float)input->width, height = (float)input->height;
    float bar = 32.0f * input->pixels_per_point;
    memset(&d->list, 0, sizeof(d->list));
    d->list.vertices = d->vertices;
    d->list.indices = d->indices;
    d->list.cmds = d->cmds;
    /* the top bar, then the scene below it */
    d->cmds[0] = (reel_draw_cmd){.clip = {0, 0, width, height}};
    add_rect(d, 0, 0, 0, width, bar, REEL_RGBA(40, 44, 52, 255));
    d->cmds[1] =
        (reel_draw_cmd){.clip = {0, bar, width, height}, .scene = 0, .texture = REEL_DRAW_ATLAS};
    d->list.n_cmds = 2;

    d->atlas_pixel = 255;
    d->atlas = (reel_draw_atlas){.pixels = &d->atlas_pixel,
                                 .width = 1,
                                 .height = 1,
                                 .version = 1,
                                 .white_u = 0.5f,
                                 .white_v = 0.5f};
    for (int i = 0; i < 16; i++)
        memset(&d->checker[i * 3], ((i + i / 4) & 1) ? 40 : 255, 3);
    d->texture = (reel_draw_texture){.key = 1,
                                     .width = 4,
                                     .height = 4,
                                     .format = REEL_DRAW_RGB8,
                                     .pixels = d->checker,
                                     .nearest = true};

    d->points = (reel_draw_points){.positions = POINT_POSITIONS,
                                   .count = 3,
                                   .colors = POINT_COLORS,
                                   .n_colors = 3,
                                   .radii = POINT_RADII,
                                   .n_radii = 2,
                                   .pick = 1};
    d->lines = (reel_draw_lines){.positions = LINE_POSITIONS,
                                 .strip_offsets = LINE_OFFSETS,
                                 .n_strips = 1,
                                 .colors = &LINE_COLOR,
                                 .n_colors = 1,
                                 .radii = &LINE_RADIUS,
                                 .n_radii = 1,
                                 .pick = 2};
    d->cube = (reel_draw_mesh){.positions = CUBE_POSITIONS,
                               .n_vertices = 8,
                               .indices = CUBE_INDICES,
                               .n_indices = 36,
                               .color = REEL_RGBA(90, 160, 230, 255),
                               .lit = true,
                               .pick = 3};
    d->quad = (reel_draw_quad){
        .corners = {{1.2f, -0.4f, 0}, {2.2f, -0.4f, 0}, {2.2f, -1.4f, 0}, {1.2f, -1.4f, 0}},
        .texture = 0,
        .tint = REEL_RGBA(255, 255, 255, 230),
        .pick = 4};
    reel_mat4_identity(d->points.transform);
    reel_mat4_identity(d->lines.transform);
    reel_mat4_identity(d->quad.transform);
    float angle = (float)input->time_secs * 0.8f;
    reel_mat4_identity(d->cube.transform);
    d->cube.transform[0] = d->cube.transform[10] = cosf(angle);
    d->cube.transform[8] = sinf(angle);
    d->cube.transform[2] = -sinf(angle);
    d->cube.transform[12] = 0.9f;
    d->cube.transform[13] = 0.3f;

    reel_draw_camera camera = {.pixels_per_point = input->pixels_per_point};
    const float eye[3] = {0, 0, 5}, target[3] = {0, 0, 0}, up[3] = {0, 1, 0};
    reel_mat4_look_at(camera.view, eye, target, up);
    float aspect = (height - bar) > 0 ? width / (height - bar) : 1.0f;
    reel_mat4_perspective(camera.projection, 3.14159265f / 3.0f, aspect, 0.1f, 100.0f);
    d->scene = (reel_draw_scene){.camera = camera,
                                 .background = REEL_RGBA(32, 32, 40, 255),
                                 .meshes = &d->cube,
                                 .n_meshes = 1,
                                 .lines = &d->lines,
                                 .n_lines = 1,
                                 .points = &d->points,
                                 .n_points = 1,
                                 .quads = &d->quad,
                                 .n_quads = 1};
    *out = (reel_draw_frame){.clear = REEL_RGBA(13, 16, 17, 255),
                             .atlas = &d->atlas,
                             .textures = &d->texture,
                             .n_textures = 1,
                             .scenes = &d->scene,
                             .n_scenes = 1,
                             .list = &d->list};
    return !input->close_requested;
}

static void demo_rendered(void *ctx, reel_renderer *renderer, const reel_draw_frame *frame)
{
    (void)renderer;
    demo *d = ctx;
    if (!d->announced) {
        printf("REEL_READY %dx%d\n", frame->width, frame->height);
        fflush(stdout);
        d->announced = true;
    }
}

int main(void)
{
    static demo state;
    static const reel_app app = {.ctx = &state, .frame = demo_frame, .rendered = demo_rendered};
    reel_error err = {0};
    if (reel_platform_run_window(&app, &(reel_window_desc){.title = "Reel"}, &err) != REEL_OK) {
        fprintf(stderr, "reel_web: %s\n", err.message);
        return 1;
    }
    return 0;
}
