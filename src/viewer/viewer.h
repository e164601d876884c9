/* The viewer module's data side (DESIGN.md §2–3): the app state that holds recordings (an
 * entity db per store id: chunk store, entity tree with per-entity components and
 * archetypes, timelines, density), blueprint stores per application id (default, active,
 * heuristic; a typed model read at the blueprint time cursor; edits as blueprint writes with
 * undo/redo; .rbl load and save), per-recording time control, hover/selection, and the
 * query helpers panels and views call each frame. Data comes from .rrd/.rbl files, from any
 * reel_rrd_message (reel_viewer_ingest) and from the live gRPC listener (viewer_live.c, the
 * only file with sockets and threads, left out of the web build).
 *
 * No drawing happens here. Output is a deterministic function of (recordings, blueprint,
 * time cursor); everything a user can change is a blueprint write (viewer-behavior.md §9.4).
 * Thread-safety: a reel_viewer belongs to the UI thread; only the live listener's queue is
 * shared, behind a lock.
 *
 * How the app calls it each frame (viewer-behavior.md §12's order):
 *   reel_viewer_begin_frame(v, dt);            live data in, hover swap, heuristics, clock
 *   rec = reel_viewer_active_recording(v);     may be NULL: welcome screen
 *   bp  = reel_viewer_active_blueprint(v);
 *   m   = reel_viewer_blueprint_model(bp);     the layout: containers + views to draw
 *   reel_viewer_time_get(rec, &t);             timeline + cursor for every query
 *   per view: reel_viewer_view_entities + reel_viewer_view_latest_at / _range
 *   panels: recordings list (reel_viewer_recording_at/_label), time panel
 *           (reel_viewer_density, time setters), selection panel (reel_viewer_entity_rows)
 *   input: reel_viewer_hover / reel_viewer_select*, reel_bp_* edits, reel_bp_undo/redo
 *   reel_viewer_end_frame(v);                  closes this frame's undo step */
#ifndef REEL_VIEWER_H
#define REEL_VIEWER_H

#include "query/query.h"
#include "rrd/rrd.h"
#include "store/store.h"
#include "viewer/view_class.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_viewer reel_viewer;
typedef struct reel_viewer_blueprint reel_viewer_blueprint;

/* ================================================================ app state */

typedef struct reel_viewer_desc {
    const reel_allocator *alloc; /* NULL = default */
    uint64_t memory_limit;       /* per recording store (GC as Rerun's viewer); 0 = none */
    /* Seed of the random ids (view/container UUIDs) the heuristic makes; 0 = from the clock.
     * Tests fix it so layouts are reproducible. */
    uint64_t id_seed;
} reel_viewer_desc;

reel_status reel_viewer_create(const reel_viewer_desc *desc, reel_viewer **out, reel_error *err);
/* Stops the live listener if any, frees every recording and blueprint. NULL-safe. */
void reel_viewer_destroy(reel_viewer *viewer);

/* ================================================================ ingestion */

/* Where messages come from; decides the initial play state (§7.5: Following for live
 * sources, Playing from the start for files). */
typedef enum reel_viewer_source {
    REEL_VIEWER_SOURCE_FILE = 0,
    REEL_VIEWER_SOURCE_LIVE = 1,
} reel_viewer_source;

/* Handles one message, as Rerun's viewer does: SetStoreInfo creates the recording or
 * blueprint store (data for an unknown store creates it too); ArrowMsg inserts the chunk
 * (retained) into its store; BlueprintActivationCommand makes the blueprint the app's
 * default and/or active one (active = a copy the viewer edits; the default stays as sent).
 * A recording's SetStoreInfo makes it the active recording (as Rerun's viewer switches to
 * each recording it is told about); data for an unknown recording without one makes it
 * active only when none is. Borrows msg. */
reel_status reel_viewer_ingest(reel_viewer *viewer, const reel_rrd_message *msg,
                               reel_viewer_source source, reel_error *err);

typedef struct reel_viewer_load_result {
    uint64_t messages;     /* ingested */
    uint64_t bad_messages; /* undecodable, skipped */
    reel_status status;    /* the first problem (or OK) */
    char error[512];       /* its message: "x.rrd: message 12 at offset 4096: …" */
} reel_viewer_load_result;

/* Loads an .rrd or .rbl file, keeping everything good: a bad message is skipped (counted) and
 * a truncated tail keeps what came before it; the first problem is reported in `result`
 * (may be NULL) and returned. Blueprint stores of the file that no activation command
 * activated become their app's default and active blueprint (as Rerun's file loader does).
 * With `rbl_for_active_app`, the file's blueprints are re-keyed to the application id of the
 * active recording (Rerun does this when an .rbl is opened). */
reel_status reel_viewer_load_path(reel_viewer *viewer, const char *path, bool rbl_for_active_app,
                                  reel_viewer_load_result *result, reel_error *err);

/* ---- live listener (viewer_live.c; native only) */

typedef struct reel_viewer_live_desc {
    const char *bind;      /* NULL = "127.0.0.1" */
    uint16_t port;         /* 0 = a free port (see reel_viewer_live_port); the CLI passes 9876 */
    uint64_t memory_limit; /* the proxy's history for other readers; 0 = its default */
} reel_viewer_live_desc;

/* Starts the net module's proxy server on its own thread; every message it accepts is
 * queued (the chunk retained, nothing decoded twice) and ingested by reel_viewer_live_drain
 * on the UI thread, so a slow frame never blocks the network and the store is only touched
 * by the UI thread. SDKs connect with rr.connect_grpc("rerun+http://127.0.0.1:PORT/proxy");
 * other viewers can still read from the same proxy. */
reel_status reel_viewer_live_start(reel_viewer *viewer, const reel_viewer_live_desc *desc,
                                   reel_error *err);
uint16_t reel_viewer_live_port(const reel_viewer *viewer); /* 0 when not listening */
/* Ingests at most `max_messages` queued messages (0 = all queued now); returns how many. */
size_t reel_viewer_live_drain(reel_viewer *viewer, size_t max_messages);
/* Messages queued and not drained yet. Thread-safe. */
size_t reel_viewer_live_pending(const reel_viewer *viewer);
/* Stops the listener and the reader (both). NULL-safe; no-op when neither runs. */
void reel_viewer_live_stop(reel_viewer *viewer);

/* ---- reading a remote proxy (viewer_live.c; native only) */

typedef struct reel_viewer_read_desc {
    const char *url;       /* "rerun+http://host:port/proxy" (copied) */
    uint32_t retry_ms;     /* first reconnect delay; 0 = the net module's default */
    uint32_t max_retry_ms; /* backoff cap; 0 = the default */
} reel_viewer_read_desc;

/* Reads the proxy's ReadMessages stream (its history, then live data) on the net module's
 * reader thread into the same queue as the listener (drained by reel_viewer_live_drain),
 * reconnecting with backoff whenever the server goes away. Errors: a malformed or unsupported
 * URL (nothing is started); UNSUPPORTED in the web build. */
reel_status reel_viewer_read_start(reel_viewer *viewer, const reel_viewer_read_desc *desc,
                                   reel_error *err);

typedef struct reel_viewer_read_info {
    bool connected;
    uint64_t connects; /* calls opened so far */
    uint64_t messages; /* received so far (queued, maybe not drained yet) */
    char last_error[256];
} reel_viewer_read_info;
/* The reader's state; false (and *out zeroed) when not reading. Thread-safe. */
bool reel_viewer_read_state(const reel_viewer *viewer, reel_viewer_read_info *out);

/* ================================================================ recordings */

typedef struct reel_viewer_recording reel_viewer_recording;

/* Recordings in the order of the recordings list (§11.4): grouped by application id (sorted),
 * within an app by start time (RecordingInfo.start_time, else arrival order), then recording
 * id. Index-stable until the next ingest/close. */
size_t reel_viewer_recording_count(const reel_viewer *viewer);
reel_viewer_recording *reel_viewer_recording_at(const reel_viewer *viewer, size_t index);
reel_viewer_recording *reel_viewer_recording_find(const reel_viewer *viewer,
                                                  const char *recording_id);
reel_viewer_recording *reel_viewer_active_recording(const reel_viewer *viewer);
void reel_viewer_set_active_recording(reel_viewer *viewer, reel_viewer_recording *rec);
/* Drops a recording (the next one in the list becomes active). */
void reel_viewer_close_recording(reel_viewer *viewer, reel_viewer_recording *rec);

const reel_store_id *reel_viewer_recording_id(const reel_viewer_recording *rec);
reel_store *reel_viewer_recording_store(const reel_viewer_recording *rec);
reel_store_cache *reel_viewer_recording_cache(const reel_viewer_recording *rec);
/* The list label: RecordingInfo.name, else the start time "HH:MM:SS" (UTC), else
 * "<unknown>", then " - " and the store's size ("1.2 MiB"). Written to `out` (cleared). */
reel_status reel_viewer_recording_label(const reel_viewer_recording *rec, reel_buf *out);
/* Increases whenever the recording's data changes (for caches). */
uint64_t reel_viewer_recording_generation(const reel_viewer_recording *rec);
bool reel_viewer_recording_is_live(const reel_viewer_recording *rec);

/* ---- entity db */

/* Archetypes the heuristics care about, as bits of reel_viewer_entity.archetypes. */
enum {
#define REEL_VIEWER_ARCHETYPE(name) REEL_VIEWER_ARCH_##name,
#include "viewer/viewer_archetypes.def"
    REEL_VIEWER_ARCH_COUNT
};
#define REEL_VIEWER_ARCH_BIT(name) ((uint64_t)1 << REEL_VIEWER_ARCH_##name)

/* What the entity db knows about one entity (by store entity id), kept up to date from the
 * store's events (time independent, as Rerun's: a component once seen stays). */
typedef struct reel_viewer_entity {
    uint32_t entity;                    /* store entity id */
    uint64_t archetypes;                /* REEL_VIEWER_ARCH_BIT of every archetype logged here */
    bool has_pinhole;                   /* "Pinhole:image_from_camera" */
    bool has_view_coordinates;          /* "ViewCoordinates:xyz" */
    bool has_temporal_scalars;          /* "Scalars:scalars" on some timeline */
    bool has_frame_id;                  /* an explicit TransformFrameId was logged */
    uint32_t image_width, image_height; /* of the last image format seen; 0 = unknown */
    uint32_t n_components;              /* distinct component identifiers seen */
} reel_viewer_entity;

/* NULL for an unknown entity id (or one the db has nothing for yet). */
const reel_viewer_entity *reel_viewer_entity_info(const reel_viewer_recording *rec,
                                                  uint32_t entity);
/* The archetypes (full names, e.g. "rerun.archetypes.Points3D") logged at the entity, in
 * name order; the array is borrowed until the next ingest. */
size_t reel_viewer_entity_archetypes(const reel_viewer_recording *rec, uint32_t entity,
                                     const char *const **names);

/* Temporal rows ingested per timeline (for the active-timeline choice). */
uint64_t reel_viewer_timeline_rows(const reel_viewer_recording *rec, uint32_t timeline);

/* The time panel's strip for one entity row: `n_buckets` counts over [t0, t0 + n*width) on
 * the timeline (the entity alone, or with `subtree` its whole subtree), from the store's
 * indices (reel_store_histogram). */
reel_status reel_viewer_density(const reel_viewer_recording *rec, uint32_t entity, bool subtree,
                                uint32_t timeline, int64_t t0, int64_t width, size_t n_buckets,
                                uint64_t *counts, reel_error *err);

/* ================================================================ time control (§7) */

typedef enum reel_viewer_play_state {
    REEL_PLAY_PAUSED = 1, /* values as rerun.blueprint.components.PlayState */
    REEL_PLAY_PLAYING = 2,
    REEL_PLAY_FOLLOWING = 3,
} reel_viewer_play_state;

typedef enum reel_viewer_loop_mode {
    REEL_LOOP_OFF = 1, /* values as rerun.blueprint.components.LoopMode */
    REEL_LOOP_SELECTION = 2,
    REEL_LOOP_ALL = 3,
} reel_viewer_loop_mode;

/* A snapshot of a recording's time control (read with reel_viewer_time_get). */
typedef struct reel_viewer_time {
    uint32_t timeline;            /* store timeline id; REEL_STORE_NO_ID when none exists */
    const char *timeline_name;    /* borrowed; "log_time" when there is no data */
    bool timeline_user_picked;    /* false: chosen automatically each frame (§7.4) */
    const char *pending_timeline; /* asked for (blueprint) but absent yet; NULL = none */
    int64_t cursor;               /* the cursor, exact: what queries use */
    double cursor_fraction;       /* in [0, 1): playback's progress past `cursor` */
    double time;                  /* cursor + cursor_fraction, for drawing only (inexact) */
    reel_viewer_play_state play_state;
    reel_viewer_loop_mode loop_mode;
    double speed; /* 1 = real time; negative plays backwards */
    double fps;   /* sequence timelines: frames per second of playback (30) */
    bool has_selection;
    int64_t selection_min, selection_max;
    bool has_data;              /* the timeline has temporal data */
    int64_t data_min, data_max; /* its range */
    bool has_view_range;        /* the time area's zoom window; false = show everything */
    double view_min, view_max;
} reel_viewer_time;

void reel_viewer_time_get(const reel_viewer_recording *rec, reel_viewer_time *out);
/* Advances the clock by dt seconds (capped at 0.1 s) as §7.5 says: Playing moves by
 * dt × speed (× fps for sequences), Following sits at the end, loops wrap; also re-runs the
 * automatic timeline choice and adopts a pending timeline. Call once per frame. */
void reel_viewer_time_update(reel_viewer *viewer, reel_viewer_recording *rec, double dt);
/* These write the blueprint's time_panel (persisted state, §7.8) where Rerun does. */
void reel_viewer_time_set_timeline(reel_viewer *viewer, reel_viewer_recording *rec,
                                   const char *timeline);
void reel_viewer_time_set_play_state(reel_viewer *viewer, reel_viewer_recording *rec,
                                     reel_viewer_play_state state);
void reel_viewer_time_set_loop_mode(reel_viewer *viewer, reel_viewer_recording *rec,
                                    reel_viewer_loop_mode mode);
void reel_viewer_time_set_speed(reel_viewer *viewer, reel_viewer_recording *rec, double speed);
void reel_viewer_time_set_fps(reel_viewer *viewer, reel_viewer_recording *rec, double fps);
void reel_viewer_time_set_selection(reel_viewer *viewer, reel_viewer_recording *rec, bool has,
                                    int64_t min, int64_t max);
/* Not persisted: the cursor (exact; clamped to the data; scrubbing leaves Following for
 * Playing, §7.5) and the view. */
void reel_viewer_time_set_cursor(reel_viewer_recording *rec, int64_t time);
void reel_viewer_time_set_view_range(reel_viewer_recording *rec, bool has, double min, double max);
/* Play/pause toggle (Space): starting at the end jumps to the start. */
void reel_viewer_time_toggle_play(reel_viewer *viewer, reel_viewer_recording *rec);
/* Cursor to the previous/next logged time (wrapping at the ends, inside the selection when
 * looping on it); `pause` as Ctrl+arrows. Leaves Following. */
void reel_viewer_time_step(reel_viewer *viewer, reel_viewer_recording *rec, int direction,
                           bool pause);
/* Home / End (End follows). */
void reel_viewer_time_to_start(reel_viewer_recording *rec);
void reel_viewer_time_to_end_and_follow(reel_viewer *viewer, reel_viewer_recording *rec);

/* ================================================================ blueprint model */

typedef struct reel_viewer_uuid {
    uint8_t bytes[16];
} reel_viewer_uuid;

/* "8-4-4-4-12" lower-case hex; `out` needs 37 bytes. */
void reel_viewer_uuid_format(reel_viewer_uuid id, char out[37]);
bool reel_viewer_uuid_parse(const char *text, size_t len, reel_viewer_uuid *out);
bool reel_viewer_uuid_equal(reel_viewer_uuid a, reel_viewer_uuid b);

typedef enum reel_container_kind {
    REEL_CONTAINER_TABS = 1,
    REEL_CONTAINER_HORIZONTAL = 2,
    REEL_CONTAINER_VERTICAL = 3,
    REEL_CONTAINER_GRID = 4,
} reel_container_kind;

/* A child of a container: a view or a container, by id. */
typedef struct reel_bp_child {
    bool is_view;
    reel_viewer_uuid id;
} reel_bp_child;

typedef struct reel_bp_container {
    reel_viewer_uuid id;
    reel_container_kind kind;
    const char *display_name; /* NULL = unnamed */
    reel_bp_child *children;
    size_t n_children;
    float *col_shares, *row_shares; /* as stored (may be fewer than children) */
    size_t n_col_shares, n_row_shares;
    int32_t active_tab; /* index into children; -1 = none stored */
    bool visible;
    uint32_t grid_columns; /* 0 = Auto */
} reel_bp_container;

typedef struct reel_bp_view {
    reel_viewer_uuid id;
    const char *class_identifier;
    const char *display_name; /* NULL = unnamed (show reel_viewer_view_placeholder_name) */
    const char *space_origin; /* canonical; "/" when not stored */
    bool visible;
    const char *const *query; /* ViewContents query expressions; default "$origin/\*\*" */
    size_t n_query;
} reel_bp_view;

typedef struct reel_bp_time_panel {
    uint8_t state;        /* PanelState, 0 = not stored */
    const char *timeline; /* NULL = not stored */
    bool has_speed, has_fps, has_selection;
    double speed, fps;
    uint8_t play_state, loop_mode; /* 0 = not stored */
    int64_t selection_min, selection_max;
} reel_bp_time_panel;

/* The typed blueprint at the blueprint time cursor. Everything is owned by the blueprint and
 * valid until its next change (an edit, undo/redo, a new chunk). */
typedef struct reel_bp_model {
    bool has_root;
    reel_viewer_uuid root_container;
    bool has_maximized;
    reel_viewer_uuid maximized;
    bool auto_layout, auto_views; /* with §1.1's defaults applied */
    const uint64_t *past_recommendations;
    size_t n_past_recommendations;
    reel_bp_container *containers; /* every container the tree reaches, root first */
    size_t n_containers;
    reel_bp_view *views; /* every existing view, sorted by id */
    size_t n_views;
    uint8_t top_panel, blueprint_panel, selection_panel; /* PanelState, 0 = not stored */
    reel_bp_time_panel time_panel;
} reel_bp_model;

/* ---- blueprints of an application */

/* The active blueprint of the active recording's app, made (an empty viewer default, both
 * heuristics on) when there is none. NULL only without recordings. */
reel_viewer_blueprint *reel_viewer_active_blueprint(reel_viewer *viewer);
/* The same for any application id. */
reel_viewer_blueprint *reel_viewer_blueprint_for_app(reel_viewer *viewer, const char *app_id);
/* The app's default blueprint (from the SDK or an .rbl); NULL when none was set. */
reel_viewer_blueprint *reel_viewer_default_blueprint(reel_viewer *viewer, const char *app_id);

const reel_store_id *reel_viewer_blueprint_id(const reel_viewer_blueprint *bp);
reel_store *reel_viewer_blueprint_store(const reel_viewer_blueprint *bp);
/* Reads (or returns the cached) typed model at the blueprint cursor. Never NULL. */
const reel_bp_model *reel_viewer_blueprint_model(reel_viewer_blueprint *bp);
const reel_bp_view *reel_bp_model_view(const reel_bp_model *model, reel_viewer_uuid id);
const reel_bp_container *reel_bp_model_container(const reel_bp_model *model, reel_viewer_uuid id);
/* The placeholder name of an unnamed view (§1.7: "…/camera/image", "/"). */
reel_status reel_viewer_view_placeholder_name(const char *origin, reel_buf *out);
/* "Tabs", "Horizontal", "Vertical", "Grid" (Rerun's ContainerKind names). */
const char *reel_container_kind_name(reel_container_kind kind);
/* Increases with every change of the model (for caches, e.g. the time panel state). */
uint64_t reel_viewer_blueprint_generation(const reel_viewer_blueprint *bp);
/* Latest-at of any component of the blueprint at the cursor, e.g. a view property:
 * entity "view/<uuid>/Background", component "Background:kind". */
reel_store_state reel_viewer_blueprint_latest(const reel_viewer_blueprint *bp,
                                              const char *entity_path, const char *component,
                                              reel_store_result *out);

/* "Reset to default blueprint" (NOT_FOUND when the app has none) and "Reset to heuristic
 * blueprint" (§1.1): replace the app's active blueprint. */
reel_status reel_viewer_reset_to_default(reel_viewer *viewer, const char *app_id, reel_error *err);
reel_status reel_viewer_reset_to_heuristic(reel_viewer *viewer, const char *app_id,
                                           reel_error *err);

/* ---- the heuristic (§1.2, §1.8) */

/* Runs the spawn heuristic for `rec` on its app's active blueprint when auto_views is on,
 * and rebuilds the layout when views were added and auto_layout is on. Returns the number of
 * views added. Call at the start of every frame (reel_viewer_begin_frame does). */
size_t reel_viewer_run_heuristics(reel_viewer *viewer, reel_viewer_recording *rec);

/* ---- edits: each appends blueprint rows at the next blueprint time (§9.4). Edits made
 * between two reel_viewer_end_frame calls share one blueprint time: one undo step. */

reel_status reel_bp_add_view(reel_viewer *viewer, reel_viewer_blueprint *bp,
                             const char *class_identifier, const char *origin,
                             const char *const *query, size_t n_query,
                             const reel_viewer_uuid *parent, reel_viewer_uuid *out_id,
                             reel_error *err);
reel_status reel_bp_add_container(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                  reel_container_kind kind, const reel_viewer_uuid *parent,
                                  reel_viewer_uuid *out_id, reel_error *err);
/* Removes a view or container (and a container's subtree) from the tree and clears it. */
reel_status reel_bp_remove(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                           reel_error *err);
reel_status reel_bp_set_visible(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                                bool visible, reel_error *err);
/* NULL or "" clears the name (the placeholder shows again). */
reel_status reel_bp_rename(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid id,
                           const char *name, reel_error *err);
reel_status reel_bp_set_view_origin(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                    reel_viewer_uuid view, const char *origin, reel_error *err);
reel_status reel_bp_set_view_query(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                   reel_viewer_uuid view, const char *const *query, size_t n,
                                   reel_error *err);
reel_status reel_bp_set_container_kind(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                       reel_viewer_uuid container, reel_container_kind kind,
                                       reel_error *err);
/* Moves a child (view or container) into `new_parent` at `index` (clamped). */
reel_status reel_bp_move(reel_viewer *viewer, reel_viewer_blueprint *bp, reel_viewer_uuid child,
                         reel_viewer_uuid new_parent, size_t index, reel_error *err);
reel_status reel_bp_set_shares(reel_viewer *viewer, reel_viewer_blueprint *bp,
                               reel_viewer_uuid container, const float *col_shares, size_t n_col,
                               const float *row_shares, size_t n_row, reel_error *err);
reel_status reel_bp_set_active_tab(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                   reel_viewer_uuid container, size_t index, reel_error *err);
/* 0 = Auto. */
reel_status reel_bp_set_grid_columns(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                     reel_viewer_uuid container, uint32_t columns, reel_error *err);
reel_status reel_bp_set_maximized(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                  const reel_viewer_uuid *view, reel_error *err);
/* entity "top_panel" | "blueprint_panel" | "selection_panel" | "time_panel". */
reel_status reel_bp_set_panel_state(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                    const char *panel, uint8_t state, reel_error *err);
/* A view property, stored generically: `values` (an array of the component's Arrow type, as
 * reel_types says) become the component `archetype_short:field` of entity
 * view/<uuid>/<archetype_short>. values == NULL writes an empty list (reset to fallback). */
reel_status reel_bp_set_view_property(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                      reel_viewer_uuid view, const char *archetype_short,
                                      const char *field, const reel_arrow_array *values,
                                      reel_error *err);

/* A view property value made of numbers, without Arrow: the component type's leaves in
 * order (a fixed-size list element by element, a struct child by child); integer and bool
 * leaves take the next `i`, float leaves the next `f`; a dense-union leaf (TimeRangeBoundary)
 * takes two `i`: the type code (1 CursorRelative, 2 Absolute, 3 Infinite) and its value
 * (0 for Infinite); a string leaf (at most one per property) is `s`. `n_instances`
 * instances (0 = 1) take their leaves one after the other. `empty` writes an empty list
 * (reset to the fallback). */
#define REEL_BP_PROP_MAX 8
typedef struct reel_bp_prop {
    const char *field; /* the archetype's field: "position", "range"… */
    bool empty;
    uint32_t n_instances;
    int64_t i[REEL_BP_PROP_MAX];
    double f[REEL_BP_PROP_MAX];
    char s[256];
    uint32_t n_i, n_f, n_s; /* leaves filled by reel_bp_view_property (ignored on writes) */
} reel_bp_prop;

/* Writes several fields of one property archetype as one row (one undo step with the rest
 * of the frame's edits) at view/<uuid>/<archetype_short>, with Rerun's component names and
 * Arrow types (reel_types' registry). */
reel_status reel_bp_set_view_properties(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                        reel_viewer_uuid view, const char *archetype_short,
                                        const reel_bp_prop *props, size_t n_props, reel_error *err);
/* A view property at the blueprint cursor, flattened as above into `out` (field set to
 * `field`, n_instances to the instances read: as many as fit). false when it is not stored,
 * is an empty list or null, or its type is not made of numbers (and one string). */
bool reel_bp_view_property(const reel_viewer_blueprint *bp, reel_viewer_uuid view,
                           const char *archetype_short, const char *field, reel_bp_prop *out);

/* Closes the current edit group (one undo point per frame in which edits happened). */
void reel_viewer_end_frame(reel_viewer *viewer);

/* ---- undo / redo (§9.4): move the blueprint time cursor; a new edit after an undo drops
 * the redo branch. */
#define REEL_VIEWER_MAX_UNDO 100
bool reel_bp_can_undo(const reel_viewer_blueprint *bp);
bool reel_bp_can_redo(const reel_viewer_blueprint *bp);
bool reel_bp_undo(reel_viewer_blueprint *bp);
bool reel_bp_redo(reel_viewer_blueprint *bp);
/* The blueprint time cursor and the newest blueprint time. */
int64_t reel_bp_cursor(const reel_viewer_blueprint *bp);
int64_t reel_bp_max_time(const reel_viewer_blueprint *bp);

/* ---- .rbl */

/* Writes the blueprint as Rerun's .rbl (SetStoreInfo kind Blueprint with the app id, its
 * chunks up to the cursor, BlueprintActivationCommand make_active + make_default, footer). */
reel_status reel_bp_save_rbl(const reel_viewer_blueprint *bp, const char *path, reel_error *err);

/* The column count of a Grid container with "Auto" columns (egui_tiles, §1.8): for
 * `n_visible` children in a `width` × `height` area with `gap` between cells, the count in
 * 1..n (skipping n-1 when n >= 4) with the smallest |4/3 - cell aspect| × n + 2 × empty cells,
 * the first on a tie. 0 for no children. Pure: the layout code calls it every frame. */
uint32_t reel_viewer_grid_auto_columns(size_t n_visible, float width, float height, float gap);

/* ================================================================ selection (§8.1) */

typedef enum reel_viewer_item_kind {
    REEL_ITEM_NONE = 0,
    REEL_ITEM_RECORDING = 1,
    REEL_ITEM_ENTITY = 2,      /* entity, or instance when instance >= 0 */
    REEL_ITEM_COMPONENT = 3,   /* entity + component */
    REEL_ITEM_DATA_RESULT = 4, /* entity (instance) within view `view` */
    REEL_ITEM_VIEW = 5,
    REEL_ITEM_CONTAINER = 6,
} reel_viewer_item_kind;

/* An item. Strings are borrowed when passed in, owned (copied) inside selection sets. */
typedef struct reel_viewer_item {
    reel_viewer_item_kind kind;
    const char *recording_id; /* RECORDING */
    const char *entity_path;  /* ENTITY, COMPONENT, DATA_RESULT (canonical) */
    int64_t instance;         /* -1 = the whole entity */
    const char *component;    /* COMPONENT: "Points3D:positions" */
    reel_viewer_uuid id;      /* VIEW, CONTAINER, DATA_RESULT (the view) */
} reel_viewer_item;

bool reel_viewer_item_equal(const reel_viewer_item *a, const reel_viewer_item *b);

/* Click: replaces the selection. Ctrl/Cmd-click: toggles the item in it. An instance
 * selection collapses to the entity when the entity has one instance (the caller knows). */
void reel_viewer_select(reel_viewer *viewer, const reel_viewer_item *item);
void reel_viewer_select_toggle(reel_viewer *viewer, const reel_viewer_item *item);
void reel_viewer_select_clear(reel_viewer *viewer);
size_t reel_viewer_selection_count(const reel_viewer *viewer);
const reel_viewer_item *reel_viewer_selection_at(const reel_viewer *viewer, size_t index);
bool reel_viewer_is_selected(const reel_viewer *viewer, const reel_viewer_item *item);
/* Hover is global and set each frame by whoever the pointer is over (NULL clears); what is
 * hovered this frame is what everyone sees next frame (reel_viewer_begin_frame swaps). */
void reel_viewer_hover(reel_viewer *viewer, const reel_viewer_item *item);
const reel_viewer_item *reel_viewer_hovered(const reel_viewer *viewer); /* NULL = none */
/* Whether an entity is hovered/selected anywhere (entity, instance, component or data
 * result of it), for outlines and sibling selection. */
bool reel_viewer_entity_is_hovered(const reel_viewer *viewer, const char *entity_path);
bool reel_viewer_entity_is_selected(const reel_viewer *viewer, const char *entity_path);

/* ---- selection panel data (§8.3) */

typedef struct reel_viewer_component_row {
    const char *archetype;      /* short name ("Points3D"), or "Without archetype" */
    const char *component;      /* "Points3D:positions" */
    const char *component_type; /* "rerun.components.Position3D" or "" */
    const char *value;          /* text: the JSON of the value list, shortened to max_value */
    int64_t instances;          /* elements in the value list */
    bool is_static;
    reel_store_state state; /* VALUE, EMPTY or CLEARED */
} reel_viewer_component_row;

typedef struct reel_viewer_rows {
    reel_viewer_component_row *rows; /* grouped by archetype (sorted, "Without archetype"
                                        last), then component */
    size_t count;
    reel_arena arena; /* owns everything; reset with reel_viewer_rows_reset */
} reel_viewer_rows;

/* The entity's components at the cursor on the timeline (latest-at), text-ready.
 * `max_value` caps each value's text (0 = 200 bytes; "…" marks a cut). `rows` must be
 * zeroed or reset before. */
reel_status reel_viewer_entity_rows(const reel_viewer_recording *rec, const char *entity_path,
                                    uint32_t timeline, int64_t time, size_t max_value,
                                    reel_viewer_rows *rows, reel_error *err);
void reel_viewer_rows_reset(reel_viewer_rows *rows); /* NULL-safe */

/* ================================================================ view queries */

/* The entities a view contains: its filter (origin substituted) evaluated against the
 * recording's entity tree, as store entity ids in tree order, appended to `out` (a reel_vec of
 * uint32_t, cleared first). Only entities with data of their own are listed. */
reel_status reel_viewer_view_entities(const reel_viewer_recording *rec, const reel_bp_view *view,
                                      reel_vec *out, reel_error *err);
/* Latest-at of one component for each entity in `entities` at the cursor (through the
 * recording's cache), appended to `out` (reel_vec of reel_store_result, cleared first; one
 * per entity, state NONE where nothing). */
reel_status reel_viewer_view_latest_at(const reel_viewer_recording *rec, const uint32_t *entities,
                                       size_t n_entities, uint32_t timeline, int64_t time,
                                       const char *component, reel_vec *out, reel_error *err);
/* Range [t0, t1] of one component of one entity (reel_vec of reel_store_row). */
reel_status reel_viewer_view_range(const reel_viewer_recording *rec, uint32_t entity,
                                   uint32_t timeline, int64_t t0, int64_t t1, const char *component,
                                   reel_vec *out, reel_error *err);

/* ================================================================ per frame */

/* Start of a frame: drains the live queue, swaps hover, runs the heuristics for the active
 * recording and advances its time control by dt. End of frame: reel_viewer_end_frame. */
void reel_viewer_begin_frame(reel_viewer *viewer, double dt);

#ifdef __cplusplus
}
#endif
#endif
