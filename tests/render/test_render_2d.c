/* The 2D list drawn headlessly: solid fills through the atlas's white texel, "text" quads
 * taking the atlas as coverage, colour and grey textures, clip rectangles as scissors (pixels
 * outside untouched), draw order, straight alpha blending, and bad input refused. */
#include "render/render_testing.h"

#define W 64
#define H 48
#define CLEAR REEL_RGBA(10, 20, 30, 255)

static gpu g;
static uint8_t pixels[W * H * 4];
static const float WHOLE[4] = {0, 0, W, H};

static reel_draw_frame frame_of(test_list *t)
{
    return (reel_draw_frame){
        .width = W, .height = H, .clear = CLEAR, .atlas = test_atlas(), .list = &t->list};
}

static void render(const reel_draw_frame *frame)
{
    reel_error err = {0};
    if (!CHECK_OK(reel_render_frame(g.renderer, frame, &err)))
        fprintf(stderr, "  %s\n", err.message);
    CHECK_OK(reel_render_read_pixels(g.renderer, W, H, pixels, &err));
}

TEST(clear_colour_everywhere_without_commands)
{
    test_list t;
    test_list_init(&t);
    reel_draw_frame frame = frame_of(&t);
    render(&frame);
    CHECK_PIXEL(pixels, W, 0, 0, CLEAR, 0);
    CHECK_PIXEL(pixels, W, W - 1, H - 1, CLEAR, 0);
}

TEST(solid_rect_with_top_left_origin)
{
    test_list t;
    test_list_init(&t);
    test_rect(&t, WHOLE, 0, 0, 10, 5, REEL_RGBA(255, 0, 0, 255));
    reel_draw_frame frame = frame_of(&t);
    render(&frame);
    CHECK_PIXEL(pixels, W, 0, 0, REEL_RGBA(255, 0, 0, 255), 0); /* the top row, first */
    CHECK_PIXEL(pixels, W, 9, 4, REEL_RGBA(255, 0, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 10, 4, CLEAR, 0);
    CHECK_PIXEL(pixels, W, 9, 5, CLEAR, 0);
}

TEST(clip_rect_leaves_outside_untouched)
{
    test_list t;
    test_list_init(&t);
    const float clip[4] = {20, 10, 40, 30};
    test_rect(&t, clip, 0, 0, W, H, REEL_RGBA(0, 255, 0, 255));
    reel_draw_frame frame = frame_of(&t);
    render(&frame);
    CHECK_PIXEL(pixels, W, 20, 10, REEL_RGBA(0, 255, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 39, 29, REEL_RGBA(0, 255, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 19, 20, CLEAR, 0);
    CHECK_PIXEL(pixels, W, 40, 20, CLEAR, 0);
    CHECK_PIXEL(pixels, W, 30, 9, CLEAR, 0);
    CHECK_PIXEL(pixels, W, 30, 30, CLEAR, 0);
    int changed_outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if ((x < 20 || x >= 40 || y < 10 || y >= 30) && pixel_rgba(pixels, W, x, y) != CLEAR)
                changed_outside++;
    CHECK_EQ_INT(changed_outside, 0);
}

TEST(atlas_is_coverage_times_vertex_colour)
{
    /* the test atlas: left half covered, right half empty; sampled at texel centres */
    test_list t;
    test_list_init(&t);
    test_rect_uv(&t, WHOLE, REEL_DRAW_ATLAS, 0, 0, 8, 8, 0, 0, 1, 1, REEL_RGBA(255, 255, 0, 255));
    reel_draw_frame frame = frame_of(&t);
    render(&frame);
    CHECK_PIXEL(pixels, W, 1, 4, REEL_RGBA(255, 255, 0, 255), 1);
    CHECK_PIXEL(pixels, W, 6, 4, CLEAR, 1);
}

TEST(colour_and_grey_textures)
{
    static const uint8_t rgba[4] = {0, 0, 255, 255};
    static const uint8_t grey[1] = {128};
    reel_draw_texture textures[2] = {
        {.key = 1, .width = 1, .height = 1, .format = REEL_DRAW_RGBA8, .pixels = rgba},
        {.key = 2, .width = 1, .height = 1, .format = REEL_DRAW_R8, .pixels = grey},
    };
    test_list t;
    test_list_init(&t);
    test_rect_uv(&t, WHOLE, 0, 0, 0, 10, 10, 0, 0, 1, 1, 0xffffffffu);
    test_rect_uv(&t, WHOLE, 1, 10, 0, 20, 10, 0, 0, 1, 1, REEL_RGBA(255, 255, 255, 255));
    test_rect_uv(&t, WHOLE, 0, 20, 0, 30, 10, 0, 0, 1, 1, REEL_RGBA(255, 0, 0, 255)); /* tinted */
    reel_draw_frame frame = frame_of(&t);
    frame.textures = textures;
    frame.n_textures = 2;
    render(&frame);
    CHECK_PIXEL(pixels, W, 5, 5, REEL_RGBA(0, 0, 255, 255), 0);
    CHECK_PIXEL(pixels, W, 15, 5, REEL_RGBA(128, 128, 128, 255), 1);
    CHECK_PIXEL(pixels, W, 25, 5, REEL_RGBA(0, 0, 0, 255), 0);
}

TEST(later_commands_on_top_and_alpha_blends)
{
    test_list t;
    test_list_init(&t);
    test_rect(&t, WHOLE, 0, 0, 20, 20, REEL_RGBA(255, 0, 0, 255));
    test_rect(&t, WHOLE, 10, 0, 30, 20, REEL_RGBA(0, 0, 255, 255));
    test_rect(&t, WHOLE, 0, 30, 20, 40, REEL_RGBA(255, 255, 255, 128));
    reel_draw_frame frame = frame_of(&t);
    render(&frame);
    CHECK_PIXEL(pixels, W, 5, 5, REEL_RGBA(255, 0, 0, 255), 0);
    CHECK_PIXEL(pixels, W, 15, 5, REEL_RGBA(0, 0, 255, 255), 0);
    /* half white over CLEAR, and the target stays opaque */
    CHECK_PIXEL(pixels, W, 5, 35, REEL_RGBA(133, 138, 143, 255), 2);
}

TEST(bad_frames_are_refused)
{
    test_list t;
    test_list_init(&t);
    test_rect(&t, WHOLE, 0, 0, 10, 10, 0xffffffffu);
    t.list.indices[0] = 1000; /* past the vertices */
    reel_draw_frame frame = frame_of(&t);
    reel_error err = {0};
    CHECK_EQ_INT(reel_render_frame(g.renderer, &frame, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "index") != NULL);
    t.list.indices[0] = 0;
    test_scene_cmd(&t, 3, 0, 0, 10, 10); /* no such scene */
    CHECK_EQ_INT(reel_render_frame(g.renderer, &frame, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "scene") != NULL);
    reel_draw_frame empty = {0};
    CHECK_EQ_INT(reel_render_frame(g.renderer, &empty, &err), REEL_INVALID_ARGUMENT);
}

int main(void)
{
    g = gpu_start(0);
    RUN(clear_colour_everywhere_without_commands);
    RUN(solid_rect_with_top_left_origin);
    RUN(clip_rect_leaves_outside_untouched);
    RUN(atlas_is_coverage_times_vertex_colour);
    RUN(colour_and_grey_textures);
    RUN(later_commands_on_top_and_alpha_blends);
    RUN(bad_frames_are_refused);
    gpu_stop(&g);
    TEST_MAIN_END();
}
