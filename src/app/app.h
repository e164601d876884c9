/* The viewer app (issue 6 item 4): one immediate-mode frame of the whole Rerun-style window
 * from the viewer's state (src/viewer) and the ui toolkit (src/ui): top bar, recordings list
 * and blueprint tree on the left, the viewport's container tree of view tiles in the centre,
 * the selection panel on the right, the time panel at the bottom, the welcome screen when
 * nothing is loaded. Every change the user makes goes through the reel_bp_* edits and
 * reel_viewer_time_* setters (blueprint writes); the app keeps only per-frame scratch, the
 * ui's widget state and per-view runtime state (camera drags and the like).
 *
 * The platform layer (src/platform) owns the loop: reel_app_frame is its `frame` callback
 * (input in, a reel_draw_frame out) and reel_app_rendered its `rendered` callback (picking
 * under the pointer for the next frame's hover). Headless screenshots run the same frames.
 * Never calls GL or a window API; one app per thread. */
#ifndef REEL_APP_H
#define REEL_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "draw/draw.h"
#include "ui/input.h"
#include "viewer/viewer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_viewer_app reel_viewer_app;

/* The view/container id seed (reel_viewer_desc.id_seed) of screenshots and blueprint dumps, so
 * that the same recording always gets the same layout (tests reproduce it in-process). */
#define REEL_APP_DETERMINISTIC_SEED 0x7265656cu

/* Whether an entity belongs in views and the blueprint tree: not under the reserved
 * /__properties subtree (recording properties; Rerun's views never show it). */
bool reel_app_entity_viewable(const char *entity_path);

typedef struct reel_app_desc {
    reel_viewer *viewer; /* borrowed: must outlive the app */
    /* Screenshot mode: no tooltips or hover previews, no animation-driven repaint; the
     * output depends only on (recordings, blueprint, cursor, size). */
    bool deterministic;
    /* Text shown on the welcome screen while listening ("rerun+http://127.0.0.1:9876/proxy");
     * NULL: none. Copied. */
    const char *listen_url;
    /* Panels forced shown (true) regardless of the blueprint and window-size defaults; the
     * screenshot path leaves them at the defaults. */
    bool show_all_panels;
} reel_app_desc;

reel_status reel_app_create(const reel_app_desc *desc, reel_viewer_app **out, reel_error *err);
void reel_app_destroy(reel_viewer_app *app); /* NULL-safe; frees per-view state */

/* One frame: files dropped in `input` are opened, the viewer's frame runs
 * (reel_viewer_begin_frame ... reel_viewer_end_frame), the ui is built and *out is filled
 * (everything it points to belongs to the app until the next call). Returns false when the
 * app wants to stop (the window's close request, or Quit in the menu). */
bool reel_app_frame(reel_viewer_app *app, const reel_input *input, reel_draw_frame *out);

/* After the renderer drew the frame: the platform passes what was under the pointer (from
 * reel_render_pick; hit = false for nothing), used by the views next frame for hover and
 * clicks. */
void reel_app_set_pick(reel_viewer_app *app, const reel_draw_pick *pick);
/* Where the app wants a pick: the pointer when it is over a view's scene this frame. */
bool reel_app_pick_wanted(const reel_viewer_app *app, int32_t *x, int32_t *y);

/* Messages shown in the top bar for a few seconds (e.g. "Opened x.rrd", load errors). */
void reel_app_notify(reel_viewer_app *app, const char *text, bool error);

/* Opens the file dialog (as Ctrl+O and "Open…" in the menu do) from the next frame on. */
void reel_app_open_dialog(reel_viewer_app *app);
/* For tests: whether the file dialog is open, the directory it lists and its error line
 * ("" = none); both strings belong to the app until the next frame. */
bool reel_app_open_dialog_state(const reel_viewer_app *app, const char **dir, const char **error);

/* For tests: the rectangle (pixels) where the view was laid out in the last frame, false when
 * it was not drawn. */
bool reel_app_view_rect(const reel_viewer_app *app, reel_viewer_uuid view, float rect[4]);
/* For tests: the view's class state as the app last drew it (a reel_view_spatial3d_state,
 * _spatial2d_state, _timeseries_state or _textlog_state of src/views/views.h, by the class
 * identifier "3D", "2D", "TimeSeries", "TextLog"); NULL when the view has none. */
const void *reel_app_view_state(const reel_viewer_app *app, reel_viewer_uuid view);

#ifdef __cplusplus
}
#endif
#endif
