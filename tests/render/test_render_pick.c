/* Picking at known pixels: the object and instance of points, line strips, meshes and quads
 * under a pixel, exact at pixel level (one pixel inside hits, one outside misses), nearest
 * wins, unpickable things are skipped, and pixels outside every scene miss. */
#include <math.h>

#include "render/render_testing.h"

#define W 160
#define H 120

static gpu g;

static reel_draw_pick pick_at(const reel_draw_frame *frame, int32_t x, int32_t y)
{
    reel_draw_pick pick;
    reel_error err = {0};
    if (!CHECK_OK(reel_render_pick(g.renderer, frame, x, y, &pick, &err)))
        fprintf(stderr, "  %s\n", err.message);
    return pick;
}

static void pixel_of(const reel_draw_scene *scene, const float rect[4], float px, float py,
                     float pz, int32_t *x, int32_t *y)
{
    const float p[3] = {px, py, pz};
    float fx, fy;
    reel_draw_project(&scene->camera, rect, p, &fx, &fy, NULL);
    *x = (int32_t)floorf(fx);
    *y = (int32_t)floorf(fy);
}

TEST(picks_points_lines_meshes_and_quads)
{
    static const float point_positions[] = {-2.0f, 1.2f, 0, -1.5f, 1.2f, 0, -1.0f, 1.2f, 0};
    static const float point_radius = -5.0f;
    static const float line_positions[] = {-2, -1.2f, 0, -1, -1.2f, 0, /* strip 0 */
                                           0,  -1.2f, 0, 1,  -1.2f, 0, 1.5f, -0.8f, 0};
    static const uint32_t line_offsets[] = {0, 2, 5};
    static const float line_radius = -2.0f;
    static const float triangle[] = {0.2f, 0.2f, 0, 1.2f, 0.2f, 0, 0.7f, 1.2f, 0};
    reel_draw_points points = {
        .positions = point_positions, .count = 3, .radii = &point_radius, .n_radii = 1, .pick = 7};
    reel_draw_lines lines = {.positions = line_positions,
                             .strip_offsets = line_offsets,
                             .n_strips = 2,
                             .radii = &line_radius,
                             .n_radii = 1,
                             .pick = 8};
    reel_draw_mesh mesh = {.positions = triangle, .n_vertices = 3, .color = 0xff808080u, .pick = 9};
    reel_draw_quad quads[2] = {
        {.corners = {{1.6f, 1.2f, 0}, {2.2f, 1.2f, 0}, {2.2f, 0.6f, 0}, {1.6f, 0.6f, 0}},
         .tint = 0xffffffffu,
         .pick = 10},
        {.corners = {{1.6f, 0.4f, 0}, {2.2f, 0.4f, 0}, {2.2f, -0.2f, 0}, {1.6f, -0.2f, 0}},
         .tint = 0xffffffffu,
         .pick = 10},
    };
    reel_mat4_identity(points.transform);
    reel_mat4_identity(lines.transform);
    reel_mat4_identity(mesh.transform);
    reel_mat4_identity(quads[0].transform);
    reel_mat4_identity(quads[1].transform);
    static const uint8_t white[4] = {255, 255, 255, 255};
    reel_draw_texture texture = {
        .key = 5, .width = 1, .height = 1, .format = REEL_DRAW_RGBA8, .pixels = white};
    reel_draw_scene scene = {.camera = test_camera((float)W / H, 5, 1),
                             .background = 0xff000000u,
                             .meshes = &mesh,
                             .n_meshes = 1,
                             .lines = &lines,
                             .n_lines = 1,
                             .points = &points,
                             .n_points = 1,
                             .quads = quads,
                             .n_quads = 2};
    test_list t;
    test_list_init(&t);
    test_scene_cmd(&t, 0, 0, 0, W, H);
    reel_draw_frame frame = {.width = W,
                             .height = H,
                             .atlas = test_atlas(),
                             .textures = &texture,
                             .n_textures = 1,
                             .scenes = &scene,
                             .n_scenes = 1,
                             .list = &t.list};
    const float rect[4] = {0, 0, W, H};
    int32_t x, y;

    /* points: instance by position; 5 px radius: 4 px off still hits, 7 px misses */
    for (uint32_t i = 0; i < 3; i++) {
        pixel_of(&scene, rect, point_positions[i * 3], point_positions[i * 3 + 1], 0, &x, &y);
        reel_draw_pick pick = pick_at(&frame, x, y);
        CHECK(pick.hit);
        CHECK_EQ_INT(pick.scene, 0);
        CHECK_EQ_INT(pick.pick, 7);
        CHECK_EQ_INT(pick.instance, i);
        CHECK(fabsf(pick.depth - 5.0f) < 0.01f);
    }
    pixel_of(&scene, rect, -1.0f, 1.2f, 0, &x, &y);
    CHECK(pick_at(&frame, x, y + 4).hit);
    CHECK(!pick_at(&frame, x, y + 7).hit);

    /* lines: instance is the strip */
    pixel_of(&scene, rect, -1.5f, -1.2f, 0, &x, &y);
    reel_draw_pick pick = pick_at(&frame, x, y);
    CHECK(pick.hit && pick.pick == 8 && pick.instance == 0);
    pixel_of(&scene, rect, 0.5f, -1.2f, 0, &x, &y);
    pick = pick_at(&frame, x, y);
    CHECK(pick.hit && pick.pick == 8 && pick.instance == 1);
    CHECK(!pick_at(&frame, x, y - 5).hit);

    /* the mesh as a whole */
    pixel_of(&scene, rect, 0.7f, 0.5f, 0, &x, &y);
    pick = pick_at(&frame, x, y);
    CHECK(pick.hit && pick.pick == 9 && pick.instance == 0);

    /* quads: instance is the quad's index */
    pixel_of(&scene, rect, 1.9f, 0.9f, 0, &x, &y);
    pick = pick_at(&frame, x, y);
    CHECK(pick.hit && pick.pick == 10 && pick.instance == 0);
    pixel_of(&scene, rect, 1.9f, 0.1f, 0, &x, &y);
    pick = pick_at(&frame, x, y);
    CHECK(pick.hit && pick.pick == 10 && pick.instance == 1);

    /* background and outside the frame */
    CHECK(!pick_at(&frame, 2, 2).hit);
    CHECK(!pick_at(&frame, -1, 5).hit);
    CHECK(!pick_at(&frame, W, 5).hit);

    /* picking matches what was drawn: the colour frame still renders fine afterwards */
    CHECK_OK(reel_render_frame(g.renderer, &frame, NULL));
}

TEST(nearest_wins_and_unpickable_is_skipped)
{
    static const float near_far[] = {0, 0, 1.0f, 0, 0, -1.0f};
    static const float radius = -6.0f;
    reel_draw_points far_point = {
        .positions = near_far + 3, .count = 1, .radii = &radius, .n_radii = 1, .pick = 2};
    reel_draw_points near_point = {
        .positions = near_far, .count = 1, .radii = &radius, .n_radii = 1, .pick = 1};
    reel_draw_points both[2] = {near_point, far_point}; /* near drawn first: depth decides */
    reel_mat4_identity(both[0].transform);
    reel_mat4_identity(both[1].transform);
    reel_draw_scene scene = {
        .camera = test_camera((float)W / H, 5, 1), .points = both, .n_points = 2};
    test_list t;
    test_list_init(&t);
    test_scene_cmd(&t, 0, 0, 0, W, H);
    reel_draw_frame frame = {
        .width = W, .height = H, .scenes = &scene, .n_scenes = 1, .list = &t.list};
    reel_draw_pick pick = pick_at(&frame, W / 2, H / 2);
    CHECK(pick.hit && pick.pick == 1);
    CHECK(fabsf(pick.depth - 4.0f) < 0.01f);
    both[0].pick = 0; /* the near one is not pickable: the far one is found */
    pick = pick_at(&frame, W / 2, H / 2);
    CHECK(pick.hit && pick.pick == 2);
    CHECK(fabsf(pick.depth - 6.0f) < 0.01f);
}

TEST(scene_in_a_sub_rectangle)
{
    static const float origin[3] = {0, 0, 0};
    static const float radius = -3.0f;
    reel_draw_points point = {
        .positions = origin, .count = 1, .radii = &radius, .n_radii = 1, .pick = 4};
    reel_mat4_identity(point.transform);
    reel_draw_scene scene = {.camera = test_camera(1.0f, 5, 1), .points = &point, .n_points = 1};
    test_list t;
    test_list_init(&t);
    test_scene_cmd(&t, 0, 100, 40, 140, 80); /* centre (120, 60) */
    reel_draw_frame frame = {
        .width = W, .height = H, .scenes = &scene, .n_scenes = 1, .list = &t.list};
    CHECK(pick_at(&frame, 120, 60).hit);
    CHECK(pick_at(&frame, 119, 59).hit);
    CHECK(!pick_at(&frame, 124, 60).hit);
    CHECK(!pick_at(&frame, W / 2, H / 2).hit); /* outside the scene's rectangle */
}

int main(void)
{
    g = gpu_start(0);
    RUN(picks_points_lines_meshes_and_quads);
    RUN(nearest_wins_and_unpickable_is_skipped);
    RUN(scene_in_a_sub_rectangle);
    gpu_stop(&g);
    TEST_MAIN_END();
}
