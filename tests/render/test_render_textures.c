/* The texture cache: a key is uploaded once and reused by later frames, a new key uploads,
 * keys unused for `evict_after_frames` frames are freed, and the atlas is uploaded again only
 * when its version changes. */
#include "render/render_testing.h"

static gpu g;

static void frame_with(const reel_draw_texture *textures, uint32_t n, const reel_draw_atlas *atlas)
{
    test_list t;
    test_list_init(&t);
    const float whole[4] = {0, 0, 16, 16};
    for (uint32_t i = 0; i < n; i++)
        test_rect_uv(&t, whole, i, (float)i, 0, (float)i + 1, 1, 0, 0, 1, 1, 0xffffffffu);
    reel_draw_frame frame = {.width = 16,
                             .height = 16,
                             .atlas = atlas,
                             .textures = textures,
                             .n_textures = n,
                             .list = &t.list};
    reel_error err = {0};
    if (!CHECK_OK(reel_render_frame(g.renderer, &frame, &err)))
        fprintf(stderr, "  %s\n", err.message);
}

TEST(uploads_once_per_key_and_evicts_unused)
{
    static const uint8_t px[4] = {1, 2, 3, 4};
    reel_draw_texture a = {
        .key = 100, .width = 1, .height = 1, .format = REEL_DRAW_RGBA8, .pixels = px};
    reel_draw_texture b = a, c = a;
    b.key = 200;
    c.key = 300;
    reel_draw_texture ab[2] = {a, b};
    reel_render_stats stats;

    frame_with(ab, 2, test_atlas());
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_uploads, 2);
    CHECK_EQ_INT(stats.textures_cached, 2);

    frame_with(ab, 2, test_atlas()); /* same keys: nothing uploaded */
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_uploads, 2);

    reel_draw_texture bc[2] = {b, c}; /* order changes nothing; c is new */
    frame_with(bc, 2, test_atlas());
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_uploads, 3);
    CHECK_EQ_INT(stats.textures_cached, 3);

    /* evict_after_frames = 3: a was last used in frame 1, b in frame 2 */
    frame_with(&c, 1, test_atlas()); /* frame 3 */
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_evictions, 0);
    frame_with(&c, 1, test_atlas()); /* frame 4: a unused in frames 2, 3, 4 */
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_evictions, 1);
    CHECK_EQ_INT(stats.textures_cached, 2);
    frame_with(&c, 1, test_atlas()); /* frame 5: then b */
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_evictions, 2);
    CHECK_EQ_INT(stats.textures_cached, 1);

    frame_with(&a, 1, test_atlas()); /* an evicted key comes back: uploaded again */
    reel_render_get_stats(g.renderer, &stats);
    CHECK_EQ_U64(stats.texture_uploads, 4);
}

TEST(atlas_uploads_when_its_version_changes)
{
    reel_render_stats before, after;
    reel_render_get_stats(g.renderer, &before);
    reel_draw_atlas atlas = *test_atlas();
    frame_with(NULL, 0, &atlas);
    reel_render_get_stats(g.renderer, &after);
    CHECK_EQ_U64(after.atlas_uploads, before.atlas_uploads); /* same version */
    atlas.version = 2;
    frame_with(NULL, 0, &atlas);
    frame_with(NULL, 0, &atlas);
    reel_render_get_stats(g.renderer, &after);
    CHECK_EQ_U64(after.atlas_uploads, before.atlas_uploads + 1);
}

TEST(key_zero_and_bad_textures_are_refused)
{
    static const uint8_t px[4] = {0};
    reel_draw_texture zero = {
        .key = 0, .width = 1, .height = 1, .format = REEL_DRAW_RGBA8, .pixels = px};
    reel_draw_texture empty = {
        .key = 9, .width = 0, .height = 1, .format = REEL_DRAW_RGBA8, .pixels = px};
    reel_draw_frame frame = {.width = 4, .height = 4, .textures = &zero, .n_textures = 1};
    reel_error err = {0};
    CHECK_EQ_INT(reel_render_frame(g.renderer, &frame, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "key 0") != NULL);
    frame.textures = &empty;
    CHECK_EQ_INT(reel_render_frame(g.renderer, &frame, &err), REEL_INVALID_ARGUMENT);
}

int main(void)
{
    g = gpu_start(3);
    RUN(uploads_once_per_key_and_evicts_unused);
    RUN(atlas_uploads_when_its_version_changes);
    RUN(key_zero_and_bad_textures_are_refused);
    gpu_stop(&g);
    TEST_MAIN_END();
}
