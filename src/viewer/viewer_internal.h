/* Internal to src/viewer: the structs behind the opaque handles of viewer.h and the helpers
 * the viewer's files share (ingestion of a message, blueprint writes, the edit group). */
#ifndef REEL_VIEWER_INTERNAL_H
#define REEL_VIEWER_INTERNAL_H

#include "viewer/viewer.h"

/* One entity's entry in the entity db (indexed by store entity id). */
typedef struct viewer_entity_entry {
    reel_viewer_entity info;
    reel_vec archetype_names; /* char * (owned), full names, sorted */
    reel_map components;      /* component identifier -> 1 */
} viewer_entity_entry;

struct reel_viewer_recording {
    reel_viewer *viewer;
    reel_store_id id;
    reel_store_source_kind source_kind;
    reel_store *store;
    reel_store_cache *cache;
    reel_vec entities;      /* viewer_entity_entry, by store entity id */
    reel_vec timeline_rows; /* uint64_t, by store timeline id */
    uint64_t generation;
    /* Bumped when an entity gets a component or archetype it did not have (what the
     * heuristics depend on), so they re-run only then or when the blueprint changes. */
    uint64_t structure_generation;
    uint64_t heuristic_structure, heuristic_bp_generation;
    const reel_viewer_blueprint *heuristic_bp;
    uint64_t arrival;
    bool live;
    bool any_frame_id;
    /* The data's time range on tc_timeline, kept for `range_generation` (asked for twice a
     * frame; computing it walks every entity's index). */
    uint64_t range_generation;
    uint32_t range_timeline;
    bool range_ok;
    int64_t range_min, range_max;
    /* time control (§7) */
    bool tc_initialized;
    uint32_t tc_timeline;
    bool tc_user_picked;
    char *tc_pending;
    /* The cursor: an exact time on the timeline plus a fraction in [0, 1) of one unit that
     * playback accumulates (a double cannot hold a nanosecond timestamp exactly). */
    int64_t tc_cursor;
    double tc_frac;
    reel_viewer_play_state tc_play;
    reel_viewer_loop_mode tc_loop;
    double tc_speed, tc_fps;
    bool tc_has_selection;
    int64_t tc_sel_min, tc_sel_max;
    bool tc_has_view;
    double tc_view_min, tc_view_max;
    uint64_t tc_bp_generation; /* blueprint model generation last applied */
    const reel_viewer_blueprint *tc_bp;
};

struct reel_viewer_blueprint {
    reel_viewer *viewer;
    reel_store_id id;
    reel_store *store;
    int64_t cursor;      /* blueprint time the model is read at */
    int64_t max_time;    /* newest blueprint time; -1 = none */
    reel_vec points;     /* int64_t undo points (blueprint times), ascending */
    bool viewer_default; /* recording id == application id: flags default on (§1.1) */
    bool edit_open;
    bool activated;
    uint64_t generation;
    uint64_t model_generation; /* generation the model was read at; 0 = never */
    reel_bp_model model;
    reel_arena model_arena;
};

/* One application id's blueprints. */
typedef struct viewer_app {
    char *app_id;
    reel_viewer_blueprint *active;   /* owned */
    reel_viewer_blueprint *fallback; /* borrowed from viewer->blueprints: the default */
} viewer_app;

typedef struct viewer_live viewer_live;

struct reel_viewer {
    const reel_allocator *alloc;
    reel_viewer_desc desc;
    reel_vec recordings; /* reel_viewer_recording *, in list order once sorted */
    bool order_dirty;
    reel_vec blueprints; /* reel_viewer_blueprint *: stores received (SDK, files) */
    reel_vec apps;       /* viewer_app */
    reel_viewer_recording *active;
    uint64_t arrival_counter;
    /* Each blueprint's generations start at a fresh multiple of 2^32, so a (pointer,
     * generation) pair never repeats across blueprints that reuse an address. */
    uint64_t blueprint_generation_base;
    uint64_t rng;
    reel_vec selection; /* reel_viewer_item with owned strings */
    reel_viewer_item hover, hover_next;
    bool has_hover, has_hover_next;
    viewer_live *live;
};

/* A message in the viewer's own terms (what reel_viewer_ingest and the live queue carry).
 * Everything borrowed. */
typedef struct viewer_msg {
    reel_rrd_message_kind kind;
    const reel_store_id *store_id;
    reel_store_source_kind source_kind;
    reel_chunk *chunk;
    bool make_active, make_default;
} viewer_msg;

reel_status reel__viewer_ingest(reel_viewer *viewer, const viewer_msg *msg,
                                reel_viewer_source source, reel_error *err);

/* ---- recordings (viewer_recording.c) */
reel_status reel__recording_create(reel_viewer *viewer, const reel_store_id *id,
                                   reel_viewer_recording **out, reel_error *err);
void reel__recording_destroy(reel_viewer_recording *rec);

/* ---- blueprints (viewer_blueprint.c) */
reel_status reel__blueprint_create(reel_viewer *viewer, const reel_store_id *id,
                                   reel_viewer_blueprint **out, reel_error *err);
void reel__blueprint_destroy(reel_viewer_blueprint *bp);
/* A new blueprint with every chunk of `src` (shared), under a fresh recording id. */
reel_status reel__blueprint_clone(const reel_viewer_blueprint *src, reel_viewer_blueprint **out,
                                  reel_error *err);
/* Call after chunks were inserted from outside (SDK, file): updates max_time/cursor. */
void reel__blueprint_data_added(reel_viewer_blueprint *bp);
viewer_app *reel__viewer_app(reel_viewer *viewer, const char *app_id, bool create);

/* A cell to write: field `field` of archetype `archetype` (short names). */
typedef enum bp_value_kind {
    BPV_EMPTY = 0, /* an empty list */
    BPV_STRING,    /* s */
    BPV_STRINGS,   /* strs[n] */
    BPV_UINT,      /* u (uint8/16/32/64 by the component's type) */
    BPV_UINTS,     /* u64s[n] */
    BPV_BOOL,      /* b */
    BPV_DOUBLE,    /* d (float or double) */
    BPV_FLOATS,    /* f32s[n] */
    BPV_UUID,      /* uuid */
    BPV_ARRAY,     /* array (of the component's type) */
    BPV_RANGE,     /* AbsoluteTimeRange struct {min, max}: i0, i1 */
    BPV_PROP,      /* numbers flattened as reel_bp_prop says: prop */
} bp_value_kind;

typedef struct bp_cell {
    const char *archetype;
    const char *field;
    bp_value_kind kind;
    const char *s;
    const char *const *strs;
    size_t n;
    uint64_t u;
    const uint64_t *u64s;
    bool b;
    double d;
    const float *f32s;
    reel_viewer_uuid uuid;
    const reel_arrow_array *array;
    int64_t i0, i1;
    const reel_bp_prop *prop;
} bp_cell;

/* Opens the edit group if needed (dropping the redo branch) and writes one row of `cells` at
 * `entity` at the group's blueprint time. */
reel_status reel__bp_write(reel_viewer_blueprint *bp, const char *entity, const bp_cell *cells,
                           size_t n_cells, reel_error *err);
/* Appends the instances of `prop` (reel_bp_prop's flattening) to a builder of `type`. */
reel_status reel__bp_append_prop(reel_arrow_builder *b, const reel_arrow_field *type,
                                 const reel_bp_prop *prop);
/* Writes a recursive Clear at `entity`. */
reel_status reel__bp_clear(reel_viewer_blueprint *bp, const char *entity, reel_error *err);
reel_viewer_uuid reel__viewer_new_uuid(reel_viewer *viewer);
/* "view/<uuid>" / "container/<uuid>" into out (cleared, NUL-terminated). */
reel_status reel__bp_item_path(bool is_view, reel_viewer_uuid id, reel_buf *out);

/* ---- time (viewer_time.c) */
void reel__time_apply_blueprint(reel_viewer_recording *rec, reel_viewer_blueprint *bp);

/* ---- live (viewer_live.c); without it (web build) these are no-ops */
void reel__viewer_live_free(reel_viewer *viewer);

#endif
