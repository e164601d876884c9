/* The views module: Rerun's view classes as plain functions from (store, the view's entities,
 * time cursor, view state, rectangle) to drawing. Spatial 3D and 2D views append a scene
 * (reel_draw_scene) and its textures to the app's frame arrays and draw overlays (labels)
 * into the ui draw list; the time series, text log and text document views draw
 * into the ui draw list only. Nothing here knows the blueprint: the app maps the blueprint's
 * view properties to the state structs below and writes them back when `state_changed`.
 *
 * Per frame, between reel_ui_begin and reel_ui_end, the app fills a reel_view_input for each
 * visible view and calls that view class's draw function. Everything a view allocates for
 * the frame (scene arrays, converted pixels, strings) comes from input->arena, which the app
 * resets after the renderer has drawn the frame. Output is a deterministic function of the
 * store's content, the inputs and the state (caches only make it faster). Depends on store,
 * types, ui and draw; never calls GL; not thread-safe (one thread draws all views). */
#ifndef REEL_VIEWS_H
#define REEL_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "draw/draw.h"
#include "store/store.h"
#include "ui/ui.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- common input and output */

/* An entity, or one instance of it, as the hover/selection model sees it. */
typedef struct reel_view_item {
    const char *entity_path; /* canonical; NULL = nothing */
    int64_t instance;        /* -1 = the whole entity */
} reel_view_item;

typedef struct reel_view_input {
    const reel_store *store;
    reel_store_cache *cache; /* optional latest-at cache (the app keeps one per store) */
    /* The entities the view contains (already filtered by the blueprint's entity filter),
     * canonical paths, borrowed for the call. Their order is the pick numbering: keep it
     * stable from frame to frame (the last frame's pick names entities by this index). */
    const char *const *entities;
    uint32_t n_entities;
    const char *origin; /* the space origin; NULL = "/" */
    /* The active timeline and the time cursor on it; NULL timeline = static data only. */
    const char *timeline;
    int64_t time;
    reel_ui *ui;
    reel_ui_rect rect;       /* physical pixels, as reel_ui_rect */
    uint64_t view_id;        /* any number unique per view: widget ids and cache keys */
    reel_view_item hovered;  /* hovered somewhere last frame: drawn highlighted */
    reel_view_item selected; /* selected: drawn with the selection outline */
    /* The renderer's pick under the pointer from the last frame, when its scene was this
     * view's scene (reel_view_output.scene of the last frame); else hit = false. */
    reel_draw_pick pick;
    reel_arena *arena; /* per-frame memory for everything in the output */
    /* Frame arrays shared by all views: scenes (reel_vec of reel_draw_scene) and textures
     * (reel_vec of reel_draw_texture). Views append; indices into them are the frame's. */
    reel_vec *scenes;
    reel_vec *textures;
} reel_view_input;

typedef struct reel_view_output {
    int32_t scene;             /* index of the scene this view appended, or -1 */
    reel_ui_response response; /* the view rectangle's interaction */
    bool hovered;              /* the pointer is over an item of this view */
    reel_view_item hover;      /* that item (entity_path borrowed from the store) */
    /* 2D: the hovered image pixel and its raw values (depth: metres in value[0]). */
    bool hover_pixel;
    const char *hover_image_entity;
    int32_t pixel_x, pixel_y;
    int32_t pixel_channels;
    double pixel_value[4];
    bool clicked;        /* the item was clicked (select it) */
    bool double_clicked; /* the item (or background) was double-clicked */
    /* Right click in a time series: move the time cursor there. */
    bool set_time;
    int64_t new_time;
    bool state_changed; /* the user changed the state: write it to the blueprint */
    bool wants_repaint; /* an animation or a held key: draw again soon */
} reel_view_output;

/* Rerun's auto colour for an entity path (§2.7: HSV from a 64-bit hash of the path, in
 * linear space, as sRGB bytes) and for a class id; both as draw colours (0xAABBGGRR). */
uint32_t reel_view_auto_color_path(const char *entity_path);
uint32_t reel_view_auto_color_index(uint64_t value);
/* A colormap (REEL_Colormap_* value; unknown ones use Turbo) at t in [0, 1], as a draw
 * colour. Grayscale, Inferno, Magma, Plasma, Turbo and Viridis are Rerun's polynomial fits. */
uint32_t reel_view_colormap(uint32_t colormap, float t);

/* ---------------------------------------------------------------- spatial 3D */

typedef enum reel_view_eye_kind {
    REEL_VIEW_EYE_ORBITAL = 0,
    REEL_VIEW_EYE_FIRST_PERSON = 1,
} reel_view_eye_kind;

/* A cache of converted image pixels (owned by a view state; see *_state_free). */
typedef struct reel_view_texture_cache reel_view_texture_cache;

/* Zero-initialised = Rerun's defaults (default eye from the scene bounds, grid shown). */
typedef struct reel_view_spatial3d_state {
    /* The eye. While `eye_set` is false the default eye is recomputed every frame from the
     * bounds (and written here for the app to read); the first camera interaction sets it. */
    bool eye_set;
    reel_view_eye_kind eye_kind;
    float eye_position[3], eye_target[3], eye_up[3];
    char tracked_entity[256]; /* "" = none: the eye follows this entity (cameras: its pose) */
    bool hide_grid;
    float grid_spacing; /* 0 = 1 scene unit */
    bool show_axes;     /* RGB axes at the view origin */
    bool show_bounding_box;
    /* Runtime only (not in the blueprint). */
    bool has_focus;                     /* keyboard focus for WASD */
    float velocity[3];                  /* last WASD velocity (not smoothed) */
    double last_time_secs;              /* input time of the previous frame (dt) */
    float bounds_min[3], bounds_max[3]; /* last frame's scene bounding box */
    reel_view_texture_cache *textures;  /* images on pinhole planes */
} reel_view_spatial3d_state;

void reel_view_spatial3d_state_free(reel_view_spatial3d_state *state); /* NULL-safe */

reel_status reel_view_spatial3d_draw(const reel_view_input *input, reel_view_spatial3d_state *state,
                                     reel_view_output *out, reel_error *err);

/* ---------------------------------------------------------------- spatial 2D */

typedef struct reel_view_spatial2d_state {
    /* Visual bounds in scene units (x right, y down); fitted with letterboxing. While
     * `bounds_set` is false they follow the content (or the origin pinhole's resolution). */
    bool bounds_set;
    float bounds_min[2], bounds_max[2];
    reel_view_texture_cache *textures;
} reel_view_spatial2d_state;

void reel_view_spatial2d_state_free(reel_view_spatial2d_state *state); /* NULL-safe */

reel_status reel_view_spatial2d_draw(const reel_view_input *input, reel_view_spatial2d_state *state,
                                     reel_view_output *out, reel_error *err);

/* ---------------------------------------------------------------- time series */

#define REEL_VIEW_MAX_HIDDEN_SERIES 64

typedef struct reel_view_series_cache reel_view_series_cache;

typedef struct reel_view_timeseries_state {
    /* X range in timeline units; while `x_set` is false: the whole data range (or cursor ±
     * 1000 ticks / ± 30 s when the data spans more, as Rerun). */
    bool x_set;
    double x_min, x_max;
    bool y_set; /* false: auto-fit the visible series (+5 % margin) */
    double y_min, y_max;
    bool hide_legend;
    /* Hidden series, by reel_view_timeseries_series.id. */
    uint64_t hidden[REEL_VIEW_MAX_HIDDEN_SERIES];
    uint32_t n_hidden;
    reel_view_series_cache *cache; /* samples per (entity, timeline), owned */
} reel_view_timeseries_state;

void reel_view_timeseries_state_free(reel_view_timeseries_state *state); /* NULL-safe */

/* One series as drawn (data coordinates, after aggregation), for tests and tooltips. */
typedef struct reel_view_timeseries_series {
    uint64_t id; /* hash of (entity, instance): the legend's key */
    const char *entity_path;
    uint32_t instance;
    const char *name;
    uint32_t color;
    float width_pt;  /* line width, points */
    bool points;     /* SeriesPoints: markers instead of a line */
    uint32_t marker; /* REEL_MarkerShape_* (Circle by default) */
    float marker_size;
    bool visible;
    uint32_t n_points;   /* drawn points (<= 2 per pixel column when aggregated) */
    const double *times; /* n_points, NaN values mark breaks */
    const double *values;
    uint64_t n_samples; /* samples visited in the visible range */
    bool aggregated;
} reel_view_timeseries_series;

typedef struct reel_view_timeseries_info {
    reel_view_timeseries_series *series; /* arena */
    uint32_t n_series;
    double x_min, x_max, y_min, y_max; /* the ranges drawn */
    reel_ui_rect plot;                 /* the plot area (pixels) */
} reel_view_timeseries_info;

/* `info` may be NULL. */
reel_status reel_view_timeseries_draw(const reel_view_input *input,
                                      reel_view_timeseries_state *state, reel_view_output *out,
                                      reel_view_timeseries_info *info, reel_error *err);

/* ---------------------------------------------------------------- text log */

#define REEL_VIEW_MAX_LEVELS 8

typedef struct reel_view_textlog_state {
    char filter[128]; /* substring filter on the body (case-insensitive); "" = all */
    /* Levels switched off (upper-case names, "" for rows without a level). */
    char hidden_levels[REEL_VIEW_MAX_LEVELS][16];
    uint32_t n_hidden_levels;
    bool hide_time, hide_entity, hide_level; /* columns */
    float column_width_pt[3];                /* time, entity, level; 0 = default */
    float scroll_px;                         /* runtime: scroll offset */
    int64_t followed_time; /* runtime: the cursor the table was last scrolled to */
    int64_t followed_rows;
    bool followed;
} reel_view_textlog_state;

typedef struct reel_view_textlog_row {
    int64_t time;
    reel_tuid row_id;
    const char *entity_path;
    const char *level; /* NULL: none */
    const char *body;
    size_t body_len;
    uint32_t color; /* 0: by level */
} reel_view_textlog_row;

typedef struct reel_view_textlog_info {
    reel_view_textlog_row *rows; /* the rows shown (after filters), sorted by (time, RowId) */
    uint32_t n_rows;
    uint32_t n_total;                         /* before filters */
    int64_t cursor_row;                       /* last shown row at or before the cursor, -1: none */
    const char *levels[REEL_VIEW_MAX_LEVELS]; /* every level seen, for the filter UI */
    uint32_t n_levels;
} reel_view_textlog_info;

/* Level colours as Rerun's (CRITICAL ... TRACE); 0 for other levels (normal text). */
uint32_t reel_view_textlog_level_color(const char *level);

/* `info` may be NULL. */
reel_status reel_view_textlog_draw(const reel_view_input *input, reel_view_textlog_state *state,
                                   reel_view_output *out, reel_view_textlog_info *info,
                                   reel_error *err);

/* ---------------------------------------------------------------- text document */

typedef struct reel_view_textdoc_state {
    float scroll_px;
    bool monospace;
    bool no_word_wrap;
} reel_view_textdoc_state;

/* Plain text, wrapped at word boundaries (markdown is shown as its source text, with
 * "#" headings in the heading font). */
reel_status reel_view_textdoc_draw(const reel_view_input *input, reel_view_textdoc_state *state,
                                   reel_view_output *out, reel_error *err);

#ifdef __cplusplus
}
#endif
#endif
