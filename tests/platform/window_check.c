/* The windowed front end under a real X server (ctest runs it through xvfb-run when that is
 * installed: platform.window_under_xvfb): a GLFW window with a GLES 3 context opens, the app's
 * callbacks run in order for max_frames frames with the window's size and scale as input, and
 * the frame is drawn without error. Exit status 0 on success. */
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"

typedef struct counts {
    int inits, frames, rendered, shutdowns;
    int32_t width, height;
    float pixels_per_point;
} counts;

static reel_status on_init(void *ctx, reel_renderer *renderer, reel_error *err)
{
    (void)err;
    ((counts *)ctx)->inits += renderer != NULL;
    return REEL_OK;
}

static bool on_frame(void *ctx, const reel_input *input, reel_draw_frame *out)
{
    counts *c = ctx;
    c->frames++;
    c->width = input->width;
    c->height = input->height;
    c->pixels_per_point = input->pixels_per_point;
    *out = (reel_draw_frame){.clear = REEL_RGBA(20, 40, 60, 255)};
    return true;
}

static void on_rendered(void *ctx, reel_renderer *renderer, const reel_draw_frame *frame)
{
    counts *c = ctx;
    uint8_t pixel[4 * 4 * 4];
    reel_error err = {0};
    if (renderer && frame->width >= 4 && frame->height >= 4 &&
        reel_render_read_pixels(renderer, 4, 4, pixel, &err) == REEL_OK && pixel[0] == 20 &&
        pixel[1] == 40 && pixel[2] == 60)
        c->rendered++;
}

static void on_shutdown(void *ctx)
{
    ((counts *)ctx)->shutdowns++;
}

int main(void)
{
    counts c = {0};
    reel_app app = {.ctx = &c,
                    .init = on_init,
                    .frame = on_frame,
                    .rendered = on_rendered,
                    .shutdown = on_shutdown};
    reel_error err = {0};
    reel_window_desc desc = {
        .title = "reel window check", .width = 320, .height = 200, .max_frames = 5};
    if (reel_platform_run_window(&app, &desc, &err) != REEL_OK) {
        fprintf(stderr, "window_check: %s\n", err.message);
        return 1;
    }
    printf("window_check: %d frames of %dx%d at %.2f px/pt, %d read back, init %d shutdown %d\n",
           c.frames, c.width, c.height, c.pixels_per_point, c.rendered, c.inits, c.shutdowns);
    bool ok = c.inits == 1 && c.frames == 5 && c.rendered == 5 && c.shutdowns == 1 &&
              c.width == 320 && c.height == 200 && c.pixels_per_point > 0;
    return ok ? 0 : 1;
}
