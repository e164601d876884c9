/* Headless screenshots through the platform layer: an app driven by synthetic input for N
 * frames (a square follows the pointer, a click turns it red), its callbacks called in order,
 * the last frame captured, the PNG byte-identical across runs and equal to the pixels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "test.h"

#define W 96
#define H 64

typedef struct square_app {
    int inits, frames, rendered, shutdowns;
    bool clicked;
    double last_time;
    float last_ppp;
    reel_draw_list list;
    reel_draw_vertex vertices[4];
    uint32_t indices[6];
    reel_draw_cmd cmd;
    uint8_t atlas_pixel;
    reel_draw_atlas atlas;
} square_app;

static reel_status app_init(void *ctx, reel_renderer *renderer, reel_error *err)
{
    (void)err;
    square_app *app = ctx;
    app->inits += renderer != NULL;
    return REEL_OK;
}

static bool app_frame(void *ctx, const reel_input *input, reel_draw_frame *out)
{
    square_app *app = ctx;
    app->frames++;
    app->last_time = input->time_secs;
    app->last_ppp = input->pixels_per_point;
    if (input->button_pressed[REEL_MOUSE_LEFT])
        app->clicked = true;
    float x = input->pointer_x, y = input->pointer_y, half = 5 * input->pixels_per_point;
    uint32_t color = app->clicked ? REEL_RGBA(255, 0, 0, 255) : REEL_RGBA(0, 255, 0, 255);
    reel_draw_vertex corners[4] = {{x - half, y - half, 0.5f, 0.5f, color},
                                   {x + half, y - half, 0.5f, 0.5f, color},
                                   {x + half, y + half, 0.5f, 0.5f, color},
                                   {x - half, y + half, 0.5f, 0.5f, color}};
    memcpy(app->vertices, corners, sizeof(corners));
    const uint32_t quad[6] = {0, 1, 2, 0, 2, 3};
    memcpy(app->indices, quad, sizeof(quad));
    app->cmd = (reel_draw_cmd){.clip = {0, 0, (float)input->width, (float)input->height},
                               .texture = REEL_DRAW_ATLAS,
                               .index_count = 6,
                               .scene = -1};
    app->list = (reel_draw_list){.vertices = app->vertices,
                                 .n_vertices = 4,
                                 .indices = app->indices,
                                 .n_indices = 6,
                                 .cmds = &app->cmd,
                                 .n_cmds = 1};
    app->atlas_pixel = 255;
    app->atlas = (reel_draw_atlas){.pixels = &app->atlas_pixel,
                                   .width = 1,
                                   .height = 1,
                                   .version = 1,
                                   .white_u = 0.5f,
                                   .white_v = 0.5f};
    *out = (reel_draw_frame){
        .clear = REEL_RGBA(0, 0, 0, 255), .atlas = &app->atlas, .list = &app->list};
    return true;
}

static void app_rendered(void *ctx, reel_renderer *renderer, const reel_draw_frame *frame)
{
    square_app *app = ctx;
    app->rendered += renderer != NULL && frame->width == W;
}

static void app_shutdown(void *ctx)
{
    ((square_app *)ctx)->shutdowns++;
}

static long read_file(const char *path, uint8_t *buffer, long capacity)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = (long)fread(buffer, 1, (size_t)capacity, f);
    fclose(f);
    return n;
}

TEST(square_follows_synthetic_pointer_and_click)
{
    square_app state = {0};
    reel_app app = {.ctx = &state,
                    .init = app_init,
                    .frame = app_frame,
                    .rendered = app_rendered,
                    .shutdown = app_shutdown};
    reel_input inputs[3] = {0};
    inputs[0].pointer_x = 10, inputs[0].pointer_y = 10;
    inputs[1].pointer_x = 30, inputs[1].pointer_y = 20;
    inputs[2].pointer_x = 60, inputs[2].pointer_y = 40;
    inputs[2].button_pressed[REEL_MOUSE_LEFT] = true;
    static uint8_t rgba[W * H * 4];
    reel_screenshot_desc desc = {.width = W,
                                 .height = H,
                                 .pixels_per_point = 2,
                                 .n_frames = 4,
                                 .inputs = inputs,
                                 .n_inputs = 3,
                                 .png_path = "square_1.png",
                                 .rgba = rgba};
    reel_error err = {0};
    if (!CHECK_OK(reel_platform_screenshot(&app, &desc, &err))) {
        fprintf(stderr, "FATAL: headless screenshot failed: %s\n", err.message);
        return;
    }
    CHECK_EQ_INT(state.inits, 1);
    CHECK_EQ_INT(state.frames, 4);
    CHECK_EQ_INT(state.rendered, 4);
    CHECK_EQ_INT(state.shutdowns, 1);
    CHECK_NEAR(state.last_time, 3.0 / 60.0, 1e-9);
    CHECK_NEAR(state.last_ppp, 2.0, 1e-9);
    /* frame 4 has no input: the pointer is at (0, 0), red after frame 3's click; 10 px square */
    const uint8_t *corner = &rgba[(2 * W + 2) * 4];
    CHECK(corner[0] == 255 && corner[1] == 0);
    const uint8_t *outside = &rgba[(20 * W + 20) * 4];
    CHECK(outside[0] == 0 && outside[1] == 0 && outside[3] == 255);

    /* deterministic: the same run writes the same bytes */
    square_app again = {0};
    app.ctx = &again;
    desc.png_path = "square_2.png";
    CHECK_OK(reel_platform_screenshot(&app, &desc, &err));
    static uint8_t first[1 << 16], second[1 << 16];
    long n1 = read_file("square_1.png", first, sizeof(first));
    long n2 = read_file("square_2.png", second, sizeof(second));
    CHECK(n1 > 0 && n1 == n2);
    CHECK(n1 > 0 && memcmp(first, second, (size_t)n1) == 0);

    /* the PNG holds the pixels */
    uint8_t *decoded = NULL;
    int32_t width = 0, height = 0;
    CHECK_OK(reel_platform_read_png("square_1.png", &decoded, &width, &height, &err));
    CHECK_EQ_INT(width, W);
    CHECK_EQ_INT(height, H);
    if (decoded)
        CHECK(memcmp(decoded, rgba, sizeof(rgba)) == 0);
    reel_platform_free_png(decoded);
    remove("square_1.png");
    remove("square_2.png");
}

TEST(errors_are_reported)
{
    reel_error err = {0};
    reel_screenshot_desc desc = {0};
    CHECK_EQ_INT(reel_platform_screenshot(NULL, &desc, &err), REEL_INVALID_ARGUMENT);
    uint8_t *pixels = NULL;
    int32_t w, h;
    CHECK_EQ_INT(reel_platform_read_png("/nonexistent/x.png", &pixels, &w, &h, &err), REEL_IO);
    CHECK(strstr(err.message, "/nonexistent/x.png") != NULL);
    const uint8_t px[4] = {0};
    CHECK_EQ_INT(reel_platform_write_png("/nonexistent/dir/x.png", px, 1, 1, &err), REEL_IO);
}

int main(void)
{
    RUN(square_follows_synthetic_pointer_and_click);
    RUN(errors_are_reported);
    TEST_MAIN_END();
}
