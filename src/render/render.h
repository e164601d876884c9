/* The render module: draws a frame's draw lists (src/draw/draw.h) with GLES 3.0 / WebGL2
 * (the 2D list in order, scenes into their rectangles), keeps textures uploaded across
 * frames by key, answers picking queries (which scene, object and instance is under a
 * pixel) and reads pixels back. It needs a current GL context and knows nothing of windows:
 * the platform module makes the context (GLFW, headless EGL, the browser). A renderer is used
 * from the thread whose context is current, one call at a time. */
#ifndef REEL_RENDER_H
#define REEL_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "draw/draw.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_renderer reel_renderer;

typedef struct reel_renderer_desc {
    /* Draw into a framebuffer the renderer owns (sized to each frame) instead of the one
     * bound when reel_render_frame is called: for headless screenshots and tests. */
    bool offscreen;
    /* Textures not used by this many frames are freed (0: 60). */
    uint32_t evict_after_frames;
    const reel_allocator *allocator; /* NULL: the default */
} reel_renderer_desc;

/* Counters for tests and the debug overlay. */
typedef struct reel_render_stats {
    uint64_t frames;
    uint64_t texture_uploads; /* frame textures uploaded since creation (atlas not counted) */
    uint64_t texture_evictions;
    uint32_t textures_cached; /* held now */
    uint64_t atlas_uploads;
    uint32_t draw_calls; /* in the last frame (and the picks since) */
} reel_render_stats;

/* Needs a current GLES 3 / WebGL2 context, which must stay current for every call. */
reel_status reel_renderer_create(const reel_renderer_desc *desc, reel_renderer **out,
                                 reel_error *err);
/* NULL-safe; the context must still be current. */
void reel_renderer_destroy(reel_renderer *renderer);

/* Draws the frame (borrowed for the call): clear, then the 2D list's commands in order,
 * scenes drawn into their commands' clip rectangles. */
reel_status reel_render_frame(reel_renderer *renderer, const reel_draw_frame *frame,
                              reel_error *err);

/* What is under pixel (x, y) of the frame (top-left origin), looking only at its scenes:
 * the last scene command whose rectangle holds the pixel decides. Exact on points, lines,
 * meshes and quads (an id pass restricted to that pixel). pick->hit false when nothing
 * pickable is there. The frame may be the last one drawn or any other. */
reel_status reel_render_pick(reel_renderer *renderer, const reel_draw_frame *frame, int32_t x,
                             int32_t y, reel_draw_pick *pick, reel_error *err);

/* Reads the last frame's pixels: width * height RGBA8, top row first, into rgba (caller's
 * buffer of width * height * 4 bytes). */
reel_status reel_render_read_pixels(reel_renderer *renderer, int32_t width, int32_t height,
                                    uint8_t *rgba, reel_error *err);

void reel_render_get_stats(const reel_renderer *renderer, reel_render_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
