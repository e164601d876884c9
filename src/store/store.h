/* The store module: Rerun's chunk store and its queries, with re_chunk_store's and re_query's
 * semantics. It holds chunks (retained, never copied on the common path), indexes them per
 * entity × timeline × component (temporal) and per entity × component (static), and answers
 * latest-at (with Rerun's clears) and range queries with the (chunk, row) that holds each
 * value. It also keeps the entity tree, compacts small chunks and splits large ones as
 * Rerun's store does, collects garbage under a memory limit, counts rows per time for the
 * time panel and tells subscribers what changed. Depends on chunk (and arrow, core).
 *
 * Ordering: data is ordered by (time, RowId); static data (time REEL_STORE_TIME_STATIC) is
 * above every time, and among static rows the larger RowId wins.
 *
 * Thread-safety: a store is not thread-safe; use it from one thread at a time (queries may
 * run concurrently with each other when nothing modifies the store). The chunks it hands
 * out are reference counted and immutable, so they may be retained and read anywhere. */
#ifndef REEL_STORE_H
#define REEL_STORE_H

#include "chunk/chunk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The "time" of static data: below every temporal time in a chunk (INT64_MIN is never a
 * temporal time), but static data wins over temporal data in queries. */
#define REEL_STORE_TIME_STATIC INT64_MIN
/* "No such entity / timeline / component"; as a timeline: a static-only query. */
#define REEL_STORE_NO_ID UINT32_MAX
/* The root entity "/" always exists and has id 0. */
#define REEL_STORE_ROOT 0u

/* Rerun's defaults (re_chunk_store ChunkStoreConfig::DEFAULT): 384 KiB = 96 bytes per row at
 * 4096 rows, enough for a RowId, a few timelines and a couple of scalar columns; larger
 * chunks were too costly to concatenate in real time (rerun#7222). Beyond 4096 rows the
 * space and compute gains diminish; chunks unsorted on a timeline are kept at 1024 rows
 * because scanning them is linear. */
#define REEL_STORE_DEFAULT_CHUNK_MAX_BYTES (384u * 1024u)
#define REEL_STORE_DEFAULT_CHUNK_MAX_ROWS 4096u
#define REEL_STORE_DEFAULT_CHUNK_MAX_ROWS_IF_UNSORTED 1024u

typedef struct reel_store reel_store;

/* Zero means default for every field. The three thresholds bound chunk sizes from both
 * sides, as in Rerun: a new small temporal chunk is merged into a neighbouring chunk of the
 * same entity while the merge stays within them (compaction), and a larger temporal chunk
 * is split into row ranges that do (splitting). A zero threshold takes the environment
 * variable RERUN_CHUNK_MAX_BYTES, RERUN_CHUNK_MAX_ROWS or RERUN_CHUNK_MAX_ROWS_IF_UNSORTED
 * when set (decimal; "0" there disables that threshold, as in Rerun), else the default.
 *
 * Compaction elects the neighbour exactly as Rerun's store does, but merges in batches:
 * chunks that elected the same neighbour wait (indexed and queryable as they are) until
 * `compaction_batch` of them are pending, then all are merged into one chunk at once. Rerun
 * merges on every insert (compaction_batch = 1), which re-copies the growing chunk each time;
 * the default of 8 makes a stream of one-row chunks about 4 times cheaper to ingest (bench/
 * bench_store.c) for at most 7 small chunks waiting per group; reel_store_compact merges them
 * on demand. A group full up to the thresholds is merged at once. Answers never depend on
 * this. */
typedef struct reel_store_desc {
    const reel_allocator *alloc; /* the store's own bookkeeping; NULL = default */
    uint64_t chunk_max_bytes;
    uint64_t chunk_max_rows;
    uint64_t chunk_max_rows_if_unsorted;
    bool no_compaction;        /* never merge chunks */
    bool no_split;             /* never split chunks (every insert is zero-copy) */
    bool ignore_env;           /* do not read the RERUN_CHUNK_* variables */
    uint32_t compaction_batch; /* 0 = 8; 1 = merge on every insert, as Rerun */
    /* When not 0, an insert that leaves reel_store_memory_used() above this runs a GC the way
     * Rerun's viewer does: drop max(0.25, overshoot + 0.2) of the memory (at most all),
     * oldest RowIds first, keeping the latest chunk of every entity/timeline/component. */
    uint64_t memory_limit;
} reel_store_desc;

/* `desc` may be NULL (all defaults). */
reel_status reel_store_create(const reel_store_desc *desc, reel_store **out, reel_error *err);
/* Releases every chunk reference the store holds. NULL-safe. */
void reel_store_destroy(reel_store *store);

/* The thresholds in effect after defaults and the environment (0 = disabled). */
void reel_store_thresholds(const reel_store *store, uint64_t *max_bytes, uint64_t *max_rows,
                           uint64_t *max_rows_if_unsorted);

/* ---------------------------------------------------------------- events */

typedef enum reel_store_event_kind {
    REEL_STORE_ADDITION = 1,
    REEL_STORE_DELETION = 2,
    REEL_STORE_COMPACTION = 3,
} reel_store_event_kind;

typedef enum reel_store_deletion_reason {
    REEL_STORE_DELETED_GC = 1,        /* garbage collection */
    REEL_STORE_DELETED_OVERWRITE = 2, /* a static chunk whose every value a newer one replaced */
    REEL_STORE_DELETED_DROP = 3,      /* reel_store_drop_entity */
} reel_store_deletion_reason;

/* One change. All chunks are borrowed for the duration of the callback (retain to keep).
 *
 * ADDITION: `inserted` is the chunk given to reel_store_insert; `delta` holds exactly the rows
 * this event adds (`inserted`, or one piece of it when it was split) and is the chunk the
 * store now holds them in (`stored` == `delta`).
 * COMPACTION: `stored` is a new chunk holding exactly the rows of the `n_merged` chunks in
 * `merged`, which the store no longer holds. No rows come or go (Rerun reports this in the
 * addition's CompactedFrom lineage, as no DELETION either).
 * DELETION: `stored` is the chunk removed (its rows are gone), `reason` says why. */
typedef struct reel_store_event {
    reel_store_event_kind kind;
    uint64_t event_id; /* increasing within a store */
    bool is_static;
    const reel_chunk *inserted;
    const reel_chunk *delta;
    const reel_chunk *stored;
    const reel_chunk *const *merged;
    size_t n_merged;
    reel_store_deletion_reason reason;
} reel_store_event;

/* Called after each change (an insert, a compaction, a GC, a drop; an insert that trips the
 * memory limit makes two calls), once the store is consistent again, with that change's events
 * in order. It may query the store but must not modify it. */
typedef void (*reel_store_event_fn)(void *ctx, const reel_store *store,
                                    const reel_store_event *events, size_t count);

/* Registers a subscriber; *out_handle identifies it for reel_store_unsubscribe. */
reel_status reel_store_subscribe(reel_store *store, reel_store_event_fn fn, void *ctx,
                                 uint32_t *out_handle, reel_error *err);
void reel_store_unsubscribe(reel_store *store, uint32_t handle);

/* ---------------------------------------------------------------- inserting */

/* Adds a chunk (retained; the caller keeps its own reference). As in Rerun: a chunk without
 * rows or without component columns, and a chunk whose id (or all of whose rows, after
 * compaction or splitting) the store already holds, is a silent no-op. A static chunk takes
 * over each component for which its latest row (by RowId) is newer than the current one; a
 * static chunk left with no component is removed (DELETION, OVERWRITE), and one that takes
 * over nothing is not kept at all, except Transform3D and Pinhole data, which Rerun keeps in
 * full. A temporal chunk is split if larger than the thresholds, else possibly merged
 * with a neighbour (see reel_store_desc). Chunks unsorted on a timeline are kept as they are;
 * the store keeps a row order sorted by (time, RowId) for that timeline instead (Rerun keeps
 * them too, scanning them linearly in latest-at and sorting copies for range queries).
 * Errors: OUT_OF_MEMORY: the chunk was not inserted (for a chunk being split: maybe only some
 * of its pieces were). */
reel_status reel_store_insert(reel_store *store, reel_chunk *chunk, reel_error *err);

/* Merges every group of chunks waiting for compaction now (see reel_store_desc), e.g. when a
 * file has been loaded or the viewer is idle. COMPACTION events. */
reel_status reel_store_compact(reel_store *store, reel_error *err);

/* ---------------------------------------------------------------- names and the entity tree */

/* Entities, timelines and components get small ids, stable for the store's life, so that
 * repeated queries skip string lookups. Entities are never forgotten (an entity whose data
 * was collected keeps its id, with no chunks). Lookups return REEL_STORE_NO_ID when unknown;
 * entity paths may be given in any form reel_entity_path_normalize accepts. */
uint32_t reel_store_entity_find(const reel_store *store, const char *entity_path);
uint32_t reel_store_timeline_find(const reel_store *store, const char *timeline);
uint32_t reel_store_component_find(const reel_store *store, const char *component);

uint32_t reel_store_entity_count(const reel_store *store);
uint32_t reel_store_timeline_count(const reel_store *store);
uint32_t reel_store_component_count(const reel_store *store);
/* Borrowed; NULL for an unknown id. */
const char *reel_store_entity_path(const reel_store *store, uint32_t entity);
const char *reel_store_timeline_name(const reel_store *store, uint32_t timeline);
const char *reel_store_component_name(const reel_store *store, uint32_t component);
/* The type the timeline was first seen with. */
reel_time_type reel_store_timeline_type(const reel_store *store, uint32_t timeline);

/* The entity tree: every prefix of a logged path is an entity ("/a/b" makes "/" and "/a").
 * REEL_STORE_NO_ID for the root's parent or an unknown id. */
uint32_t reel_store_entity_parent(const reel_store *store, uint32_t entity);
/* The children, in Rerun's order (natural order of the unescaped last part, "__" parts last);
 * the array is borrowed until the next insert. Children without data in their subtree stay
 * listed (see reel_store_entity_subtree_chunks). */
uint32_t reel_store_entity_children(const reel_store *store, uint32_t entity,
                                    const uint32_t **children);
/* Chunks held for the entity itself / for it and all its descendants. */
uint64_t reel_store_entity_chunks(const reel_store *store, uint32_t entity);
uint64_t reel_store_entity_subtree_chunks(const reel_store *store, uint32_t entity);

/* The components the entity has data for: static ones, plus temporal ones on `timeline`
 * (REEL_STORE_NO_ID: static only), as sorted component ids appended to `out` (a reel_vec of
 * uint32_t, cleared first; zero-initialised is fine). */
reel_status reel_store_entity_components(const reel_store *store, uint32_t entity,
                                         uint32_t timeline, reel_vec *out, reel_error *err);

/* ---------------------------------------------------------------- queries */

typedef enum reel_store_state {
    REEL_STORE_NONE = 0,    /* nothing logged at or before the time */
    REEL_STORE_VALUE = 1,   /* the latest value has at least one instance */
    REEL_STORE_EMPTY = 2,   /* the latest value is an empty list: logged as cleared */
    REEL_STORE_CLEARED = 3, /* shadowed by a Clear (see reel_store_latest_at) */
} reel_store_state;

/* One row of one chunk. `chunk` is borrowed: valid until the store is next modified (insert,
 * gc, drop), or longer if the caller retains it. */
typedef struct reel_store_row {
    const reel_chunk *chunk;
    int64_t row;  /* row index in chunk */
    int64_t time; /* on the queried timeline; REEL_STORE_TIME_STATIC for static data */
    reel_tuid row_id;
} reel_store_row;

typedef struct reel_store_result {
    reel_store_state state;
    /* VALUE and EMPTY: the row holding the value; CLEARED: the row of the shadowed value. */
    reel_store_row value;
    /* The component's column in value.chunk (read the list cell at value.row). */
    const reel_chunk_component *column;
    /* CLEARED: the row of the Clear that shadows the value (its time, RowId). */
    reel_store_row clear;
} reel_store_result;

/* The component's value on the entity at `time` on `timeline` (REEL_STORE_NO_ID or NULL: static
 * data only), exactly as re_query's latest-at answers it:
 * - static data for the component wins over temporal data; among static rows the largest
 *   RowId wins;
 * - else the temporal row with the largest (time, RowId) at or before `time` that has the
 *   component (a null list is "not logged"; an empty list is a value: EMPTY);
 * - Clears: the latest "Clear:is_recursive" row of the entity itself (any value) and of each
 *   ancestor whose latest such row is exactly [true], found with these same rules, shadow the
 *   value when their (time, RowId) is at least the value's; static Clears come after all
 *   temporal data, so a temporal Clear never shadows static data, and a static Clear shadows
 *   temporal data and static data with a smaller RowId. The Clear component itself is never
 *   shadowed.
 * Returns out->state. Does not allocate. */
reel_store_state reel_store_latest_at_id(const reel_store *store, uint32_t entity,
                                         uint32_t timeline, int64_t time, uint32_t component,
                                         reel_store_result *out);
/* The same by names. */
reel_store_state reel_store_latest_at(const reel_store *store, const char *entity_path,
                                      const char *timeline, int64_t time, const char *component,
                                      reel_store_result *out);

/* A latest-at cache in the role of re_query's QueryCache: it remembers the last answer per
 * (entity, timeline, component) and gives it back for the same query time while nothing that
 * could change it has changed (a chunk of that entity coming or going, or any chunk with a
 * Clear column). Answers are always exactly reel_store_latest_at_id's. A cache belongs to its
 * caller: use one per thread (a viewer keeps one per store); it may be used with several
 * stores, but then forgets on every switch. Its memory is the caller's, not the store's. */
typedef struct reel_store_cache reel_store_cache;

/* `alloc` may be NULL (default). */
reel_status reel_store_cache_create(const reel_allocator *alloc, reel_store_cache **out,
                                    reel_error *err);
void reel_store_cache_destroy(reel_store_cache *cache); /* NULL-safe */
/* reel_store_latest_at_id through the cache. Falls back to an uncached query if the cache
 * cannot grow (out of memory). */
reel_store_state reel_store_latest_at_cached(const reel_store *store, reel_store_cache *cache,
                                             uint32_t entity, uint32_t timeline, int64_t time,
                                             uint32_t component, reel_store_result *out);

/* One entry of reel_store_latest_at_all. */
typedef struct reel_store_component_result {
    uint32_t component;
    reel_store_result result;
} reel_store_component_result;

/* Latest-at for every component the entity has (see reel_store_entity_components), appended
 * to `out` (a reel_vec of reel_store_component_result, cleared first) in component id order;
 * components whose state is NONE are left out, CLEARED ones are kept. */
reel_status reel_store_latest_at_all(const reel_store *store, uint32_t entity, uint32_t timeline,
                                     int64_t time, reel_vec *out, reel_error *err);

typedef struct reel_store_range_options {
    /* Rerun's RangeQueryOptions::include_extended_bounds: also the row just before t0 and the
     * row just after t1 (by (time, RowId), among rows that have the component). */
    bool include_extended_bounds;
    /* Only the lower of the two: the value current when the range starts (the latest row
     * before t0), as Rerun's range queries did before 0.12 ("LatestAt(T-1)"). */
    bool include_latest_before;
} reel_store_range_options;

/* Every row of the entity with the component at a time in [t0, t1] on `timeline`, in (time,
 * RowId) order, appended to `out` (a reel_vec of reel_store_row, cleared first). Empty lists
 * are rows too; Clears are not applied (as re_query's range). When the entity has static data
 * for the component, the answer is that one static row, whatever the range (as Rerun).
 * `options` may be NULL. Rerun applies include_extended_bounds per chunk; Reel applies it to
 * the merged rows, so the answer does not depend on how rows are split into chunks. */
reel_status reel_store_range_id(const reel_store *store, uint32_t entity, uint32_t timeline,
                                int64_t t0, int64_t t1, uint32_t component,
                                const reel_store_range_options *options, reel_vec *out,
                                reel_error *err);
reel_status reel_store_range(const reel_store *store, const char *entity_path, const char *timeline,
                             int64_t t0, int64_t t1, const char *component,
                             const reel_store_range_options *options, reel_vec *out,
                             reel_error *err);

/* ---------------------------------------------------------------- time histograms */

/* The [min, max] time of the temporal rows of `entity` (REEL_STORE_NO_ID: the whole recording)
 * on the timeline; false when there are none. */
bool reel_store_time_range(const reel_store *store, uint32_t entity, uint32_t timeline,
                           int64_t *min, int64_t *max);

/* Counts temporal rows per time bucket, for the time panel's density strip: counts[i] gets the
 * rows of `entity` (REEL_STORE_NO_ID: every entity; with `subtree`, the entity and all its
 * descendants) whose time on the timeline is in [t0 + i*width, t0 + (i+1)*width), for i in
 * [0, n_buckets). Computed from the store's indices (no separate histogram is kept): chunks
 * inside one bucket count in O(1), others by binary search, so the cost is about (chunks in
 * range + bucket edges × log rows). INVALID_ARGUMENT for width <= 0. */
reel_status reel_store_histogram(const reel_store *store, uint32_t entity, bool subtree,
                                 uint32_t timeline, int64_t t0, int64_t width, size_t n_buckets,
                                 uint64_t *counts, reel_error *err);

/* ---------------------------------------------------------------- garbage collection */

/* What to drop; the bytes to drop are the largest of the three targets. */
typedef struct reel_store_gc_options {
    uint64_t drop_at_least_bytes;
    double drop_at_least_fraction; /* of reel_store_memory_used(), 0..1 */
    bool everything;               /* everything that is not protected */
    /* Keep the N chunks with the latest data of each entity/timeline/component (Rerun's
     * protect_latest; its viewer uses 1 so latest-at at the end stays the same). Ignored by
     * the furthest-from pass. */
    int32_t protect_latest;
    /* When not NULL, first drop chunks furthest from this time on this timeline, then fall
     * back to the oldest RowIds (as Rerun's furthest_from). */
    const char *furthest_from_timeline;
    int64_t furthest_from_time;
    /* Stop the oldest-RowId pass once this many nanoseconds have passed; 0 = unbounded. */
    uint64_t time_budget_ns;
} reel_store_gc_options;

typedef struct reel_store_gc_result {
    uint64_t chunks_dropped;
    uint64_t rows_dropped;
    uint64_t bytes_dropped; /* change in reel_store_memory_used() */
} reel_store_gc_result;

/* Drops whole temporal chunks, oldest smallest-RowId first (or furthest from a time first),
 * never static ones, until the target is met; sends DELETION (GC) events. `out` may be NULL. */
reel_status reel_store_gc(reel_store *store, const reel_store_gc_options *options,
                          reel_store_gc_result *out, reel_error *err);

/* Drops every chunk of one entity (not its descendants), static ones too, as Rerun's
 * drop_entity_path; DELETION (DROP) events. Unknown entities are a no-op. */
reel_status reel_store_drop_entity(reel_store *store, uint32_t entity, reel_error *err);

/* ---------------------------------------------------------------- statistics and memory */

typedef struct reel_store_stats {
    uint64_t static_chunks, static_rows, static_bytes;
    uint64_t temporal_chunks, temporal_rows, temporal_bytes;
    /* Everything else the store allocates: indices, per-timeline row orders, the entity tree,
     * name tables, bookkeeping. */
    uint64_t index_bytes;
    uint64_t total_bytes; /* static + temporal + index: reel_store_memory_used() */
    uint64_t inserts;     /* chunks inserted (no-ops not counted) */
    uint64_t compactions; /* merges performed (each of a group of chunks) */
    uint64_t pending;     /* chunks waiting in compaction groups */
    uint64_t splits;      /* chunks split on insert */
} reel_store_stats;

void reel_store_get_stats(const reel_store *store, reel_store_stats *out);
/* Bytes the store holds: reel_chunk_byte_size of every chunk it references plus its own
 * allocations. */
uint64_t reel_store_memory_used(const reel_store *store);

/* Calls fn for every chunk the store holds, static chunks first, then temporal ones in the
 * order of their smallest RowId. The chunk is borrowed. The store must not be modified. */
void reel_store_for_each_chunk(const reel_store *store,
                               void (*fn)(void *ctx, const reel_chunk *chunk), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
