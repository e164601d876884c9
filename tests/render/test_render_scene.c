/* Scenes drawn headlessly: points of both radius kinds, lines of both width kinds, a lit mesh
 * (brighter facing the eye), a textured quad sampled nearest, the background, two scenes in
 * two rectangles, the highlight outline, and a reference image of all of it. */
#include <math.h>

#include "render/render_testing.h"
#include "screenshot_compare.h"

#define W 160
#define H 120
#define BACKGROUND REEL_RGBA(32, 32, 40, 255)
#define RED REEL_RGBA(255, 0, 0, 255)
#define GREEN REEL_RGBA(0, 255, 0, 255)
#define BLUE REEL_RGBA(0, 0, 255, 255)

static gpu g;
static uint8_t pixels[W * H * 4];

static void render(const reel_draw_frame *frame)
{
    reel_error err = {0};
    if (!CHECK_OK(reel_render_frame(g.renderer, frame, &err)))
        fprintf(stderr, "  %s\n", err.message);
    if (!CHECK_OK(reel_render_read_pixels(g.renderer, frame->width, frame->height, pixels, &err)))
        fprintf(stderr, "  %s\n", err.message);
}

/* One scene filling the whole frame. */
static reel_draw_frame single_scene_frame(test_list *t, const reel_draw_scene *scene)
{
    test_list_init(t);
    test_scene_cmd(t, 0, 0, 0, W, H);
    return (reel_draw_frame){.width = W,
                             .height = H,
                             .clear = REEL_RGBA(0, 0, 0, 255),
                             .atlas = test_atlas(),
                             .scenes = scene,
                             .n_scenes = 1,
                             .list = &t->list};
}

static void project(const reel_draw_scene *scene, const float p[3], int32_t *x, int32_t *y)
{
    const float rect[4] = {0, 0, W, H};
    float fx = 0, fy = 0;
    reel_draw_project(&scene->camera, rect, p, &fx, &fy, NULL);
    *x = (int32_t)floorf(fx);
    *y = (int32_t)floorf(fy);
}

TEST(points_of_both_radius_kinds)
{
    static const float red_pos[3] = {0, 0, 0}, blue_pos[3] = {1.5f, 0, 0};
    static const uint32_t red = RED, blue = BLUE;
    static const float world_radius = 0.3f, ui_radius = -4.0f; /* 8 px at 2 px per point */
    reel_draw_points points[2] = {
        {.positions = red_pos,
         .count = 1,
         .colors = &red,
         .n_colors = 1,
         .radii = &world_radius,
         .n_radii = 1},
        {.positions = blue_pos,
         .count = 1,
         .colors = &blue,
         .n_colors = 1,
         .radii = &ui_radius,
         .n_radii = 1},
    };
    identity_transform(points[0].transform);
    identity_transform(points[1].transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 2.0f),
                             .background = BACKGROUND,
                             .points = points,
                             .n_points = 2};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    render(&frame);
    int32_t x, y;
    project(&scene, red_pos, &x, &y);
    CHECK_EQ_INT(x, W / 2);
    CHECK_PIXEL(pixels, W, x, y, RED, 2);
    /* world radius 0.3 at distance 5 with a 60 degree fov over 120 px: about 6.2 px */
    CHECK(pixel_at(pixels, W, x + 4, y)[0] > 100);
    CHECK_PIXEL(pixels, W, x + 9, y, BACKGROUND, 0);
    project(&scene, blue_pos, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, BLUE, 2);
    const uint8_t *inside = pixel_at(pixels, W, x, y + 6);
    CHECK(inside[2] > 100 && inside[0] < 60);
    CHECK_PIXEL(pixels, W, x, y + 10, BACKGROUND, 0);
    CHECK_PIXEL(pixels, W, 2, 2, BACKGROUND, 0);
}

TEST(lines_of_both_width_kinds)
{
    static const float positions[] = {-1.5f, -1, 0, 0,    -1, 0, 1.5f, -1, 0, /* UI width */
                                      -1.5f, 1,  0, 1.5f, 1,  0};             /* scene width */
    static const uint32_t offsets_ui[] = {0, 3}, offsets_scene[] = {0, 2};
    static const uint32_t green = GREEN, blue = BLUE;
    static const float ui_radius = -3.0f, scene_radius = 0.1f; /* 3 px; about 2.1 px */
    reel_draw_lines lines[2] = {
        {.positions = positions,
         .strip_offsets = offsets_ui,
         .n_strips = 1,
         .colors = &green,
         .n_colors = 1,
         .radii = &ui_radius,
         .n_radii = 1},
        {.positions = positions + 9,
         .strip_offsets = offsets_scene,
         .n_strips = 1,
         .colors = &blue,
         .n_colors = 1,
         .radii = &scene_radius,
         .n_radii = 1},
    };
    identity_transform(lines[0].transform);
    identity_transform(lines[1].transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1.0f),
                             .background = BACKGROUND,
                             .lines = lines,
                             .n_lines = 2};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    render(&frame);
    int32_t x, y;
    const float on_ui_line[3] = {0.5f, -1, 0};
    project(&scene, on_ui_line, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, GREEN, 2);
    CHECK_PIXEL(pixels, W, x, y - 2, GREEN, 2);
    CHECK_PIXEL(pixels, W, x, y + 6, BACKGROUND, 0);
    const float on_scene_line[3] = {-0.5f, 1, 0};
    project(&scene, on_scene_line, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, BLUE, 2);
    CHECK_PIXEL(pixels, W, x, y - 5, BACKGROUND, 0);
    /* the ends are round: just past the end of the UI line, still covered */
    const float end[3] = {1.5f, -1, 0};
    project(&scene, end, &x, &y);
    CHECK(pixel_at(pixels, W, x + 1, y)[1] > 100);
    CHECK_PIXEL(pixels, W, x + 6, y, BACKGROUND, 0);
}

TEST(line_through_the_eye_plane_keeps_its_visible_part)
{
    /* from behind the camera (at z = 5) to a point in front of it, below the centre */
    static const float positions[] = {0, -1, 8, 0, -1, 0};
    static const uint32_t offsets[] = {0, 2};
    static const uint32_t green = GREEN;
    static const float radius = -2.0f;
    reel_draw_lines line = {.positions = positions,
                            .strip_offsets = offsets,
                            .n_strips = 1,
                            .colors = &green,
                            .n_colors = 1,
                            .radii = &radius,
                            .n_radii = 1};
    identity_transform(line.transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1.0f),
                             .background = BACKGROUND,
                             .lines = &line,
                             .n_lines = 1};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    render(&frame);
    int32_t x, y;
    const float visible[3] = {0, -1, 0.5f};
    project(&scene, visible, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, GREEN, 2);
    /* nothing smeared over the rest of the view */
    CHECK_PIXEL(pixels, W, 2, 2, BACKGROUND, 0);
    CHECK_PIXEL(pixels, W, W - 3, 2, BACKGROUND, 0);
    CHECK_PIXEL(pixels, W, W / 2, 10, BACKGROUND, 0);
}

TEST(lit_mesh_is_brighter_facing_the_eye)
{
    /* two squares: one facing the eye (left), one turned 70 degrees about y (right) */
    float positions[2][4 * 3];
    const float angle = 70.0f * 3.14159265f / 180.0f;
    for (int q = 0; q < 2; q++) {
        float cx = q == 0 ? -1.2f : 1.2f, a = q == 0 ? 0.0f : angle;
        const float corners[4][2] = {{-0.8f, -0.8f}, {0.8f, -0.8f}, {0.8f, 0.8f}, {-0.8f, 0.8f}};
        for (int k = 0; k < 4; k++) {
            positions[q][k * 3 + 0] = cx + corners[k][0] * cosf(a);
            positions[q][k * 3 + 1] = corners[k][1];
            positions[q][k * 3 + 2] = corners[k][0] * sinf(a);
        }
    }
    static const uint32_t indices[6] = {0, 1, 2, 0, 2, 3};
    reel_draw_mesh meshes[3] = {
        {.positions = positions[0],
         .n_vertices = 4,
         .indices = indices,
         .n_indices = 6,
         .color = REEL_RGBA(200, 200, 200, 255),
         .lit = true},
        {.positions = positions[1],
         .n_vertices = 4,
         .indices = indices,
         .n_indices = 6,
         .color = REEL_RGBA(200, 200, 200, 255),
         .lit = true},
    };
    identity_transform(meshes[0].transform);
    identity_transform(meshes[1].transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1.0f),
                             .background = BACKGROUND,
                             .meshes = meshes,
                             .n_meshes = 2};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    render(&frame);
    int32_t fx, fy, tx, ty;
    const float facing_center[3] = {-1.2f, 0, 0}, turned_center[3] = {1.2f, 0, 0};
    project(&scene, facing_center, &fx, &fy);
    project(&scene, turned_center, &tx, &ty);
    const uint8_t *facing = pixel_at(pixels, W, fx, fy), *turned = pixel_at(pixels, W, tx, ty);
    CHECK(facing[0] >= 190); /* fully lit: the albedo itself */
    CHECK(turned[0] + 40 < facing[0]);
    CHECK(turned[0] > 60); /* ambient keeps it visible */
    CHECK(facing[3] == 255);

    /* unlit: the colour as given */
    meshes[0].lit = false;
    render(&frame);
    CHECK_PIXEL(pixels, W, fx, fy, REEL_RGBA(200, 200, 200, 255), 1);
}

TEST(textured_quad_samples_nearest)
{
    static const uint8_t texels[2 * 2 * 4] = {255, 0, 0,   255, 0,   255, 0,   255,
                                              0,   0, 255, 255, 255, 255, 255, 255};
    reel_draw_texture texture = {.key = 42,
                                 .width = 2,
                                 .height = 2,
                                 .format = REEL_DRAW_RGBA8,
                                 .pixels = texels,
                                 .nearest = true};
    reel_draw_quad quad = {.corners = {{-1, 1, 0}, {1, 1, 0}, {1, -1, 0}, {-1, -1, 0}},
                           .texture = 0,
                           .tint = 0xffffffffu};
    identity_transform(quad.transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1.0f),
                             .background = BACKGROUND,
                             .quads = &quad,
                             .n_quads = 1};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    frame.textures = &texture;
    frame.n_textures = 1;
    render(&frame);
    int32_t x, y;
    const float top_left[3] = {-0.5f, 0.5f, 0}, top_right[3] = {0.5f, 0.5f, 0};
    const float bottom_left[3] = {-0.5f, -0.5f, 0}, bottom_right[3] = {0.5f, -0.5f, 0};
    project(&scene, top_left, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, RED, 0);
    project(&scene, top_right, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, GREEN, 0);
    project(&scene, bottom_left, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, BLUE, 0);
    project(&scene, bottom_right, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, 0xffffffffu, 0);
    /* nearest: right next to the middle line the colour is still a texel's, not a blend */
    const float near_middle[3] = {-0.03f, 0.5f, 0};
    project(&scene, near_middle, &x, &y);
    CHECK_PIXEL(pixels, W, x, y, RED, 0);
}

TEST(two_scenes_in_two_rectangles)
{
    static const float origin[3] = {0, 0, 0};
    static const uint32_t white = 0xffffffffu;
    static const float radius = -5.0f;
    reel_draw_points point = {.positions = origin,
                              .count = 1,
                              .colors = &white,
                              .n_colors = 1,
                              .radii = &radius,
                              .n_radii = 1};
    identity_transform(point.transform);
    reel_draw_scene scenes[2] = {
        {.camera = test_camera(80.0f / H, 5, 1),
         .background = REEL_RGBA(120, 0, 0, 255),
         .points = &point,
         .n_points = 1},
        {.camera = test_camera(80.0f / H, 5, 1),
         .background = REEL_RGBA(0, 0, 120, 255),
         .points = &point,
         .n_points = 1},
    };
    test_list t;
    test_list_init(&t);
    test_scene_cmd(&t, 0, 0, 0, 80, H);
    test_scene_cmd(&t, 1, 80, 0, W, H);
    reel_draw_frame frame = {.width = W,
                             .height = H,
                             .clear = 0xff000000u,
                             .atlas = test_atlas(),
                             .scenes = scenes,
                             .n_scenes = 2,
                             .list = &t.list};
    render(&frame);
    CHECK_PIXEL(pixels, W, 5, 5, REEL_RGBA(120, 0, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 155, 5, REEL_RGBA(0, 0, 120, 255), 0);
    CHECK_PIXEL(pixels, W, 40, H / 2, white, 2);
    CHECK_PIXEL(pixels, W, 120, H / 2, white, 2);
    CHECK_PIXEL(pixels, W, 79, H / 2, REEL_RGBA(120, 0, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 80, H / 2, REEL_RGBA(0, 0, 120, 255), 0);
    reel_draw_pick pick;
    CHECK_OK(reel_render_pick(g.renderer, &frame, 120, H / 2, &pick, NULL));
    CHECK(!pick.hit); /* pick 0: not pickable */
    point.pick = 3;
    CHECK_OK(reel_render_pick(g.renderer, &frame, 120, H / 2, &pick, NULL));
    CHECK(pick.hit);
    CHECK_EQ_INT(pick.scene, 1);
    CHECK_OK(reel_render_pick(g.renderer, &frame, 40, H / 2, &pick, NULL));
    CHECK_EQ_INT(pick.scene, 0);
}

TEST(selected_point_has_an_outline)
{
    static const float origin[3] = {0, 0, 0};
    static const uint32_t red = RED;
    static const float radius = -6.0f;
    reel_draw_points point = {.positions = origin,
                              .count = 1,
                              .colors = &red,
                              .n_colors = 1,
                              .radii = &radius,
                              .n_radii = 1,
                              .highlight = 2};
    identity_transform(point.transform);
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1.0f),
                             .background = BACKGROUND,
                             .points = &point,
                             .n_points = 1};
    test_list t;
    reel_draw_frame frame = single_scene_frame(&t, &scene);
    render(&frame);
    CHECK_PIXEL(pixels, W, W / 2, H / 2, RED, 2);
    const uint8_t *ring = pixel_at(pixels, W, W / 2 + 7, H / 2); /* radius 6 + outline 2.5 */
    CHECK(ring[0] > 200 && ring[1] > 100 && ring[1] < 180 && ring[2] < 40);
    CHECK_PIXEL(pixels, W, W / 2 + 11, H / 2, BACKGROUND, 0);
}

/* Everything together, compared with tests/render/golden/scene.png. */
TEST(reference_image)
{
    static const float point_positions[] = {-1.6f, 1.0f, 0, -1.2f, 1.0f, 0.5f, -0.8f, 1.0f, 1.0f};
    static const uint32_t point_colors[] = {RED, GREEN, BLUE};
    static const float point_radii[] = {0.15f, -4.0f};
    static const float line_positions[] = {-2, -1.2f, 0, -1, -0.6f, 0, 0, -1.2f, 0, 1, -0.6f, 0};
    static const uint32_t line_offsets[] = {0, 4};
    static const uint32_t line_color = REEL_RGBA(255, 200, 0, 255);
    static const float line_radius = -2.0f;
    static const float cube_positions[] = {-0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f,  0.5f,  0.5f,
                                           0.5f,  -0.5f, 0.5f, 0.5f, -0.5f, -0.5f, -0.5f, 0.5f,
                                           -0.5f, -0.5f, 0.5f, 0.5f, -0.5f, -0.5f, 0.5f,  -0.5f};
    static const uint32_t cube_indices[] = {0, 1, 2, 0, 2, 3, 1, 5, 6, 1, 6, 2, 5, 4, 7, 5, 7, 6,
                                            4, 0, 3, 4, 3, 7, 3, 2, 6, 3, 6, 7, 4, 5, 1, 4, 1, 0};
    static const uint8_t checker[4 * 4 * 3] = {
        255, 255, 255, 40, 40, 40,  255, 255, 255, 40,  40,  40, 40, 40,  40,  255,
        255, 255, 40,  40, 40, 255, 255, 255, 255, 255, 255, 40, 40, 40,  255, 255,
        255, 40,  40,  40, 40, 40,  40,  255, 255, 255, 40,  40, 40, 255, 255, 255};
    reel_draw_texture texture = {.key = 7,
                                 .width = 4,
                                 .height = 4,
                                 .format = REEL_DRAW_RGB8,
                                 .pixels = checker,
                                 .nearest = true};
    reel_draw_points points = {.positions = point_positions,
                               .count = 3,
                               .colors = point_colors,
                               .n_colors = 3,
                               .radii = point_radii,
                               .n_radii = 2};
    reel_draw_lines lines = {.positions = line_positions,
                             .strip_offsets = line_offsets,
                             .n_strips = 1,
                             .colors = &line_color,
                             .n_colors = 1,
                             .radii = &line_radius,
                             .n_radii = 1,
                             .highlight = 1};
    reel_draw_mesh cube = {.positions = cube_positions,
                           .n_vertices = 8,
                           .indices = cube_indices,
                           .n_indices = 36,
                           .color = REEL_RGBA(90, 160, 230, 255),
                           .lit = true};
    float rotate_y[16], rotate_x[16];
    reel_mat4_identity(rotate_y);
    reel_mat4_identity(rotate_x);
    rotate_y[0] = rotate_y[10] = cosf(0.6f), rotate_y[8] = sinf(0.6f), rotate_y[2] = -sinf(0.6f);
    rotate_x[5] = rotate_x[10] = cosf(0.4f), rotate_x[6] = sinf(0.4f), rotate_x[9] = -sinf(0.4f);
    reel_mat4_mul(cube.transform, rotate_x, rotate_y);
    cube.transform[12] = 0.9f;
    cube.transform[13] = 0.3f;
    reel_draw_quad quad = {
        .corners = {{1.2f, -0.4f, 0}, {2.2f, -0.4f, 0}, {2.2f, -1.4f, 0}, {1.2f, -1.4f, 0}},
        .texture = 0,
        .tint = REEL_RGBA(255, 255, 255, 220)};
    identity_transform(points.transform);
    identity_transform(lines.transform);
    identity_transform(quad.transform);
    reel_draw_scene scene = {.camera = test_camera(200.0f / 130.0f, 5, 1.0f),
                             .background = BACKGROUND,
                             .meshes = &cube,
                             .n_meshes = 1,
                             .lines = &lines,
                             .n_lines = 1,
                             .points = &points,
                             .n_points = 1,
                             .quads = &quad,
                             .n_quads = 1};
    test_list t;
    test_list_init(&t);
    const float whole[4] = {0, 0, W, H};
    test_rect(&t, whole, 0, 0, W, 20, REEL_RGBA(60, 60, 70, 255)); /* a top bar */
    test_rect_uv(&t, whole, REEL_DRAW_ATLAS, 4, 4, 36, 16, 0, 0, 1, 1,
                 REEL_RGBA(230, 230, 230, 255));
    test_scene_cmd(&t, 0, 0, 20, W, H);
    const float clip[4] = {W - 40, 0, W, 20};
    test_rect(&t, clip, W - 60, 4, W - 4, 16, REEL_RGBA(255, 120, 0, 255)); /* clipped */
    reel_draw_frame frame = {.width = W,
                             .height = H,
                             .clear = REEL_RGBA(10, 10, 10, 255),
                             .atlas = test_atlas(),
                             .textures = &texture,
                             .n_textures = 1,
                             .scenes = &scene,
                             .n_scenes = 1,
                             .list = &t.list};
    render(&frame);
    CHECK(screenshot_matches(pixels, W, H, REEL_SOURCE_DIR "/tests/render/golden/scene.png", 8,
                             0.002));
    uint8_t again[W * H * 4];
    memcpy(again, pixels, sizeof(again));
    render(&frame);
    CHECK(memcmp(again, pixels, sizeof(again)) == 0); /* deterministic */
}

int main(void)
{
    g = gpu_start(0);
    RUN(points_of_both_radius_kinds);
    RUN(lines_of_both_width_kinds);
    RUN(line_through_the_eye_plane_keeps_its_visible_part);
    RUN(lit_mesh_is_brighter_facing_the_eye);
    RUN(textured_quad_samples_nearest);
    RUN(two_scenes_in_two_rectangles);
    RUN(selected_point_has_an_outline);
    RUN(reference_image);
    gpu_stop(&g);
    TEST_MAIN_END();
}
