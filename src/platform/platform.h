/* The platform layer: owns the GL context and the main loop, so the viewer is written once as
 * an app (init / frame / rendered / shutdown callbacks) and runs in a GLFW window natively, in
 * the browser through Emscripten's GLFW, or headless (EGL surfaceless, an offscreen target)
 * for screenshots and tests. Each frame it gathers input (pointer, keys, text, dropped files,
 * size and DPI scale) into a reel_input, asks the app for a reel_draw_frame and draws it with
 * the render module. Also PNG reading and writing (stb), for screenshots and their tests. */
#ifndef REEL_PLATFORM_H
#define REEL_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "draw/draw.h"
#include "render/render.h"
#include "ui/input.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the platform runs. Only `frame` is required; callbacks get `ctx` first. */
typedef struct reel_app {
    void *ctx;
    /* Once, with the context current and the renderer made (e.g. to bake the font atlas). */
    reel_status (*init)(void *ctx, reel_renderer *renderer, reel_error *err);
    /* Each frame: read the input, fill *out from the app's state (what it points to stays
     * the app's, alive until the next call). Returns false to stop. */
    bool (*frame)(void *ctx, const reel_input *input, reel_draw_frame *out);
    /* After the frame was drawn: e.g. picking under the pointer for the next frame's hover. */
    void (*rendered)(void *ctx, reel_renderer *renderer, const reel_draw_frame *frame);
    /* Once at the end, the context still current. */
    void (*shutdown)(void *ctx);
} reel_app;

typedef struct reel_window_desc {
    const char *title;     /* NULL: "Reel" */
    int32_t width, height; /* window size in screen units; 0: 1280 x 720 */
    uint32_t max_frames;   /* stop after this many frames (tests under Xvfb); 0: until closed */
} reel_window_desc;

/* Opens a window with a GLES 3 context (WebGL2 in the browser) and runs the app until it
 * returns false or the window is closed. In the browser it hands the loop to the page and
 * does not return. Errors: UNSUPPORTED when no window or context can be had (no display). */
reel_status reel_platform_run_window(const reel_app *app, const reel_window_desc *desc,
                                     reel_error *err);

/* ---------------------------------------------------------------- headless (native only) */

typedef struct reel_platform_headless reel_platform_headless;

/* A GLES 3 context with no window and no display (EGL surfaceless, Mesa's llvmpipe when
 * there is no GPU), made current on the calling thread. Render into an offscreen renderer
 * (reel_renderer_desc.offscreen). Errors say what EGL refused. */
reel_status reel_platform_headless_create(reel_platform_headless **out, reel_error *err);
/* NULL-safe. */
void reel_platform_headless_destroy(reel_platform_headless *headless);

typedef struct reel_screenshot_desc {
    int32_t width, height;    /* target pixels; 0: 960 x 540 */
    float pixels_per_point;   /* 0: 1 */
    uint32_t n_frames;        /* frames run before the capture (the last one is captured); 0: 1 */
    double seconds_per_frame; /* input time advances by this per frame; 0: 1/60 */
    /* Synthetic input for frames 0..n_inputs-1 (later frames get none). Size, scale and time
     * are filled in by the platform. */
    const reel_input *inputs;
    uint32_t n_inputs;
    const char *png_path; /* NULL: no file */
    uint8_t *rgba;        /* optional: width * height * 4 bytes, the captured pixels */
} reel_screenshot_desc;

/* Runs the app headless for n_frames frames and captures the last: deterministic (the same
 * app state and input give byte-identical PNGs). */
reel_status reel_platform_screenshot(const reel_app *app, const reel_screenshot_desc *desc,
                                     reel_error *err);

/* ---------------------------------------------------------------- PNG (native only) */

/* Writes RGBA8 pixels, top row first. */
reel_status reel_platform_write_png(const char *path, const uint8_t *rgba, int32_t width,
                                    int32_t height, reel_error *err);
/* Reads a PNG as RGBA8, top row first, into *rgba (release with reel_platform_free_png). */
reel_status reel_platform_read_png(const char *path, uint8_t **rgba, int32_t *width,
                                   int32_t *height, reel_error *err);
void reel_platform_free_png(uint8_t *rgba);

/* ---------------------------------------------------------------- file system (platform_fs.c) */

/* The little the viewer's file dialog needs from the file system, so src/app has no OS API.
 * POSIX natively; in the browser every call answers UNSUPPORTED ("not available in the
 * browser"). Paths are NUL-terminated UTF-8 bytes as the OS gives them. */

typedef struct reel_fs_entry {
    char *name; /* owned by the listing */
    bool is_dir;
    uint64_t size; /* bytes; 0 for directories */
} reel_fs_entry;

typedef struct reel_fs_listing {
    reel_fs_entry *entries; /* directories first, then files, each by name (bytewise) */
    size_t count;
} reel_fs_listing;

/* Lists `dir` without "." and "..", following symbolic links to tell directories apart.
 * *out is filled (caller must reset it, also after an error). Errors name the directory and
 * the OS's reason: NOT_FOUND, IO (permission denied, not a directory...). */
reel_status reel_platform_list_dir(const char *dir, reel_fs_listing *out, reel_error *err);
void reel_platform_listing_reset(reel_fs_listing *listing); /* NULL-safe */

/* What is at `path`: 0 nothing (or unreachable), 1 a file (or anything not a directory),
 * 2 a directory. */
int reel_platform_path_kind(const char *path);
/* $HOME (or the password database's home), and the current directory, written to `out`. */
reel_status reel_platform_home_dir(char *out, size_t capacity, reel_error *err);
reel_status reel_platform_current_dir(char *out, size_t capacity, reel_error *err);
/* The absolute path without ".", ".." or symbolic links (realpath). */
reel_status reel_platform_real_path(const char *path, char *out, size_t capacity, reel_error *err);

#ifdef __cplusplus
}
#endif
#endif
