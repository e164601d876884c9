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
} sdk_cell;

typedef enum sdk_item_kind {
    SDK_ITEM_ROW = 1,        /* one logged row (the only kind DROP_OLDEST drops) */
    SDK_ITEM_CHUNK = 2,      /* a ready chunk (send_columns) */
    SDK_ITEM_SET_SINKS = 3,  /* replace the sinks */
    SDK_ITEM_FLUSH = 4,      /* flush everything before it, then report flush_seq */
    SDK_ITEM_ACTIVATION = 5, /* a BlueprintActivationCommand after everything before it */
} sdk_item_kind;

typedef struct sdk_item {
    struct sdk_item *next;
    sdk_item_kind kind;
    size_t block_size; /* bytes of the item's allocation (ROW: item + path + times + cells) */
    size_t byte_size;
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
    sdk_item *head, *tail;
    uint64_t queued_rows, queued_bytes;
    bool shutdown;
    uint64_t flush_requested, flush_done;
    reel_error last_sink_error; /* since the last flush_blocking; guarded */
    bool has_sink_error;

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

/* Converts a batch to an array of `type` (the instance type). `out` must be empty. */
reel_status sdk_batch_to_array(const reel_arrow_field *type, const reel_component_batch *batch,
                               reel_arrow_array *out, reel_error *err);

/* This thread's times on `rec` plus log_time/log_tick, in two steps so a row is one
 * allocation: at most how many entries and name bytes (sdk_time_size), then the entries,
 * sorted by name, with their names copied to `names` (sdk_time_fill returns how many). */
/* This thread's scratch buffer for entity paths (freed at thread exit); NULL on OOM. */
reel_buf *sdk_thread_path_buf(void);
void sdk_time_size(reel_recording *rec, int32_t *n, size_t *name_bytes);
int32_t sdk_time_fill(reel_recording *rec, reel_chunk_time *times, int32_t capacity, char *names);

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
