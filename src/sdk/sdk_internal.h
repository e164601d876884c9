/* Internal to the sdk module: the recording stream, the rows and commands its queue carries
 * from the logging threads to the batcher thread, and the helpers the sdk files share.
 * Logging threads convert a call's data into Arrow arrays (a copy; the caller's buffers are
 * borrowed only for the call) and enqueue one row; the batcher thread owns everything after
 * that: the per-(entity, timelines) chunk builders, the sinks and their errors. */
#ifndef REEL_SDK_INTERNAL_H
#define REEL_SDK_INTERNAL_H

#include <stdatomic.h>

#include "chunk/chunk.h"
#include "core/core.h"
#include "reel/reel.h"
#include "rrd/rrd.h"
#include "sdk/sink.h"
#include "types/types.h"

/* Inside libreel, reel_log is core's logger; the public header's reel_log macro (logging an
 * archetype) is not used here. */
#undef reel_log

#define SDK_LOG_MODULE "sdk"

/* One component of a queued row. Strings are owned (NULL allowed for archetype/type), or
 * the registry's process-lifetime strings when static_descriptor; the field is either a
 * process-lifetime registry field or `owned_field`. */
typedef struct sdk_cell {
    reel_component_descriptor descriptor;
    bool static_descriptor;
    const reel_arrow_field *field;
    reel_arrow_field owned_field;
    bool has_owned_field;
    reel_arrow_array values;
    bool inline_values; /* `values` points into the row's block (sdk_batch_inline) */
} sdk_cell;

typedef enum sdk_item_kind {
    SDK_ITEM_ROW = 1,        /* one logged row (the only kind DROP_OLDEST drops) */
    SDK_ITEM_CHUNK = 2,      /* a ready chunk (send_columns) */
    SDK_ITEM_SET_SINKS = 3,  /* replace the sinks */
    SDK_ITEM_FLUSH = 4,      /* flush everything before it, then report flush_seq */
    SDK_ITEM_ACTIVATION = 5, /* a BlueprintActivationCommand after everything before it */
    SDK_ITEM_COLUMNS = 6,    /* rows a logging thread's lane laid out as columns */
} sdk_item_kind;

typedef struct sdk_lane sdk_lane;
typedef struct sdk_columns sdk_columns;

typedef struct sdk_item {
    struct sdk_item *next;
    sdk_item_kind kind;
    size_t block_size; /* bytes of the item's allocation (ROW: item + path + times + cells) */
    bool pooled;       /* ROW: a block of SDK_ROW_BLOCK_SIZE bytes the batcher recycles */
    size_t byte_size;
    uint64_t n_rows; /* ROW: 1; COLUMNS: the rows in it; else 0 */
    /* ROW: entity_path, times (and their names) and cells are in the item's block. */
    char *entity_path; /* canonical */
    bool is_static;
    reel_tuid row_id;
    int32_t n_times;
    reel_chunk_time *times; /* sorted by name; names owned */
    int32_t n_cells;        /* used */
    int32_t cell_capacity;  /* allocated (unused slots are zero) */
    sdk_cell *cells;
    /* CHUNK */
    reel_chunk *chunk;
    /* COLUMNS */
    sdk_columns *columns;
    /* SET_SINKS */
    reel_sink **sinks;
    size_t n_sinks;
    bool network; /* one of them is a network sink (8 ms tick) */
    /* FLUSH */
    uint64_t flush_seq;
    /* ACTIVATION */
    bool make_active, make_default;
} sdk_item;

struct reel_recording {
    uint64_t uid; /* never reused; keys thread-local time state */
    char *application_id;
    char *recording_id;
    reel_recording_kind kind;
    reel_store_id store_id; /* borrows the two strings above */
    atomic_bool enabled;
    atomic_bool log_time;
    atomic_bool log_tick;
    atomic_llong tick;

    /* Batcher configuration. */
    uint64_t tick_ns_file, tick_ns_network; /* tick_ns_* equal when set explicitly */
    uint64_t flush_num_bytes, flush_num_rows;
    uint64_t queue_max_rows, queue_max_bytes;
    reel_queue_policy queue_policy;

    /* The queue (guarded by mutex). */
    reel_mutex mutex;
    reel_cond not_empty, not_full, flushed;
    struct sdk_blob_pool *blob_pool; /* NULL when it could not be made (then: the heap) */
    sdk_item *head, *tail;
    uint64_t queued_rows, queued_bytes;
    bool shutdown;
    uint64_t flush_requested, flush_done;
    reel_error last_sink_error; /* since the last flush_blocking; guarded */
    bool has_sink_error;
    /* Row blocks the batcher is done with, for the logging threads to reuse (guarded): rows
     * are allocated on one thread and freed on another, and the allocator's cross-thread
     * frees (locks, trimming, fresh pages) cost more than the rest of a small log call. */
    sdk_item *row_pool;
    size_t row_pool_count;
    /* The logging threads' lanes (sdk_lane.c), newest first; prepended under the lock, never
     * unlinked while the recording lives (each holds a reference for the recording). */
    sdk_lane *lanes;

    /* Counters. */
    atomic_ullong rows_logged, rows_dropped, chunks_sent, sink_errors;

    reel_thread thread;
    bool thread_started;

    /* Owned by the batcher thread. */
    uint64_t tick_ns;
    reel_sink **sinks;
    size_t n_sinks;
    bool had_sinks;   /* chunks go to the backlog until the first sinks */
    reel_vec backlog; /* reel_chunk * kept while no sink was ever set */
};

/* ---------------------------------------------------------------- shared helpers */

/* Reports a failure of `call` through the logging callback and returns err->status. */
reel_status sdk_fail(const char *call, reel_error *err);
/* The recording a call uses: rec, else the thread-local, else the global default. */
reel_recording *sdk_resolve(reel_recording *rec);

/* Large buffers reused across log calls (sdk_blob_pool.c): a recording's images and point
 * clouds land in pages that are already mapped. Thread-safe. */
#define SDK_BLOB_POOL_MIN_BYTES (256u << 10) /* smaller blobs come from the heap */
/* Free bytes kept: enough for the images a lagging batcher holds in the queue (a pool that
 * runs dry sends the logging thread back to page faults), bounded for the host's sake. */
#define SDK_BLOB_POOL_MAX_FREE_BYTES ((size_t)64 << 20)
typedef struct sdk_blob_pool sdk_blob_pool;
sdk_blob_pool *sdk_blob_pool_create(void); /* NULL on OOM */
/* Drops the creator's reference; the pool goes when its last blob is released. NULL-safe. */
void sdk_blob_pool_release(sdk_blob_pool *pool);
/* A blob of `len` uninitialised bytes (*data), on a pooled buffer when len is at least
 * SDK_BLOB_POOL_MIN_BYTES (its last release gives the buffer back), else from the heap
 * (also when pool is NULL). NULL on OOM. */
reel_blob *sdk_blob_pool_get(sdk_blob_pool *pool, size_t len, uint8_t **data);
/* Free buffers held (for tests). */
size_t sdk_blob_pool_free_count(sdk_blob_pool *pool);

/* Small fixed-width values (a scalar, a point) are copied into their row's own block rather
 * than into a blob of their own: no allocation per call (the batcher copies them into the
 * chunk before the row is freed or recycled). */
#define SDK_INLINE_MAX_BYTES 256
/* The fast path of sdk_batch_to_array for REEL_BATCH_VALUES of a primitive or a fixed-size
 * list of primitives: when the values fit in area[0, *area_left), copies them there and
 * builds `out` pointing into the area (no blob owners; a list's child lives in the area
 * too, so `out` must never be reset), advances the area and returns true. The area must be
 * 16-byte aligned. False (nothing done) otherwise. */
bool sdk_batch_inline(const reel_arrow_field *type, const reel_component_batch *batch,
                      uint8_t **area, size_t *area_left, reel_arrow_array *out);
/* Converts a batch to an array of `type` (the instance type). `out` must be empty. Large
 * flat copies take their buffer from `pool` (NULL: the heap). */
reel_status sdk_batch_to_array(const reel_arrow_field *type, const reel_component_batch *batch,
                               sdk_blob_pool *pool, reel_arrow_array *out, reel_error *err);

/* Canonical entity paths keyed by the caller's spelling (sdk_path_cache.c). Not
 * thread-safe: each logging thread has its own (sdk_thread_path_cache). */
#define SDK_PATH_CACHE_MAX_ENTRIES 4096 /* then it starts over */
typedef struct sdk_path_cache {
    reel_map index;   /* caller's bytes -> position in paths */
    reel_vec paths;   /* canonical strings, owned */
    reel_buf scratch; /* the last normalization */
} sdk_path_cache;

void sdk_path_cache_init(sdk_path_cache *cache);
void sdk_path_cache_clear(sdk_path_cache *cache);
void sdk_path_cache_free(sdk_path_cache *cache);
/* The canonical form of text[0, len) (see reel_entity_path_normalize), borrowed from the
 * cache until its next lookup or clear. Errors (invalid paths) are not cached. */
reel_status sdk_path_cache_lookup(sdk_path_cache *cache, const char *text, size_t len,
                                  const char **canonical, size_t *canonical_len, reel_error *err);
/* This thread's path cache (freed at thread exit); NULL on OOM. */
sdk_path_cache *sdk_thread_path_cache(void);

/* One timeline a thread set on a recording. */
typedef struct sdk_time_entry {
    char *name;
    reel_time_type type;
    int64_t value;
} sdk_time_entry;

/* A thread's state for one recording: its times and its lane. */
typedef struct sdk_thread_times {
    uint64_t uid;        /* the recording */
    reel_vec entries;    /* sdk_time_entry, sorted by name */
    uint64_t set_epoch;  /* changes whenever the set of names or their types changes */
    sdk_lane *lane;      /* NULL until the thread's first lane-logged row (a reference) */
} sdk_thread_times;

/* This thread's state for `rec`, created when `create` (NULL on OOM or when absent). */
sdk_thread_times *sdk_thread_times_of(reel_recording *rec, bool create);

/* ---------------------------------------------------------------- lanes (sdk_lane.c) */

/* Small rows go through the logging thread's lane: rows of one entity, archetype, set of
 * fields and set of timelines are appended straight into column buffers (RowIds, one int64
 * column per timeline, list offsets and values per component) that become a chunk's Arrow
 * buffers without another copy. A lane is handed to the queue as SDK_ITEM_COLUMNS when a
 * group reaches flush_num_rows/flush_num_bytes, before the thread's own set_sinks or
 * activation commands, and collected by the batcher at every tick, flush and shutdown. */
#define SDK_LANE_MAX_CELL_BYTES 256 /* a larger cell takes the row path */
#define SDK_LANE_MAX_GROUPS 4096    /* then new groups take the row path */

/* Logs through the thread's lane when the row qualifies (not static; every set field a
 * REEL_BATCH_VALUES of a fixed-width type, at most SDK_LANE_MAX_CELL_BYTES; a valid path).
 * Returns false when it does not (nothing was done: take the row path). */
bool sdk_lane_log(reel_recording *rec, const char *entity_path, int32_t archetype_id,
                  const void *archetype, unsigned flags);
/* Queues what this thread's lane for `rec` holds (before a command of this thread). */
void sdk_lane_handoff(reel_recording *rec);
/* The batcher: takes what every lane holds, as COLUMNS items appended to *list (linked by
 * next, in lane order). */
void sdk_lanes_collect(reel_recording *rec, sdk_item **list);
/* The batcher: the chunk of a COLUMNS item (NULL after logging why, when it cannot be made). */
reel_chunk *sdk_columns_chunk(sdk_columns *columns);
/* Frees a COLUMNS item's columns (and drops its lane reference). NULL-safe. */
void sdk_columns_free(sdk_columns *columns);
/* Rows logged through lanes so far. */
uint64_t sdk_lanes_rows_logged(reel_recording *rec);
/* Drops a reference to a lane (the thread's at its exit). */
void sdk_lane_release(sdk_lane *lane);
/* Drops the recording's references to its lanes (reel_recording_destroy, batcher joined). */
void sdk_lanes_release_all(reel_recording *rec);

/* This thread's times on `rec` plus log_time/log_tick, in two steps so a row is one
 * allocation: at most how many entries and name bytes (sdk_time_size), then the entries,
 * sorted by name, with their names copied to `names` (sdk_time_fill returns how many). */
void sdk_time_size(reel_recording *rec, int32_t *n, size_t *name_bytes);
int32_t sdk_time_fill(reel_recording *rec, reel_chunk_time *times, int32_t capacity, char *names);

/* Row blocks: rows whose item, cells, times, path and inline values fit SDK_ROW_BLOCK_SIZE
 * bytes take a block from the thread's spares (refilled from rec->row_pool by
 * sdk_enqueue, under the lock it holds anyway), and the batcher gives them back. */
#define SDK_ROW_BLOCK_SIZE 1024
#define SDK_ROW_POOL_MAX 8192  /* blocks kept per recording (8 MiB) */
#define SDK_ROW_SPARES_MAX 256 /* blocks kept per logging thread */
/* A block of SDK_ROW_BLOCK_SIZE bytes (uninitialised), or NULL on OOM. */
void *sdk_row_block_take(void);
/* Releases what a row's cells own, keeping the block (for recycling). */
void sdk_row_release_cells(sdk_item *item);
/* Frees a list (linked by `next`) of row blocks. */
void sdk_row_blocks_free(sdk_item *blocks);

/* Queue. Takes ownership of `item` (also on error). */
reel_status sdk_enqueue(reel_recording *rec, sdk_item *item, reel_error *err);
void sdk_item_free(sdk_item *item);
void sdk_cells_free(sdk_cell *cells, int32_t n);
void sdk_batcher_main(void *arg);

/* Sinks (each in its own file). */
reel_status sdk_sink_file_create(const char *path, reel_sink **out, reel_error *err);
reel_status sdk_sink_stdout_create(reel_sink **out, reel_error *err);
reel_status sdk_sink_memory_create(reel_memory_sink *memory, reel_sink **out, reel_error *err);

/* Writes bytes to fd without ever raising SIGPIPE in the process: SIGPIPE is blocked on the
 * calling thread (the batcher blocks it for its whole life), and a SIGPIPE the write
 * generated is consumed before returning. */
reel_status sdk_write_fd(int fd, const uint8_t *data, size_t len, reel_error *err);

#endif
