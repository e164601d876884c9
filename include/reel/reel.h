/* Reel's C logging SDK: recording streams, timelines, typed archetypes, columnar sends and
 * sinks (.rrd files, standard output, memory, gRPC to a Reel or Rerun viewer). The data it
 * writes is what the Rerun SDK (pinned version in docs/ARCHITECTURE.md) writes, so Rerun
 * reads it and Reel reads Rerun's.
 *
 *     reel_recording *rec = NULL;
 *     reel_recording_create(&(reel_recording_options){.application_id = "my_app"}, &rec, NULL);
 *     reel_save(rec, "out.rrd", NULL);
 *     reel_set_time_sequence(rec, "frame", 42);
 *     float xyz[2][3] = {{0, 0, 0}, {1, 1, 1}};
 *     uint32_t red = 0xff0000ff;
 *     reel_log(rec, "world/points", &(reel_points3d){.positions = reel_batch_values(xyz, 2),
 *                                                    .colors = reel_batch_values(&red, 1)});
 *     reel_recording_destroy(rec); // flushes, writes the .rrd footer
 *
 * Every call is thread-safe, returns a reel_status and fills an optional reel_error; no call
 * aborts the process. Failures are also reported through the logging callback (module
 * "sdk"), since most of them happen later on the batcher thread. Strings and data passed in
 * are borrowed for the duration of the call only (they are copied). */
#ifndef REEL_REEL_H
#define REEL_REEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archetype_list.h"
#include "archetypes.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REEL_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- recording streams */

typedef struct reel_recording reel_recording;

typedef enum reel_recording_kind {
    REEL_RECORDING = 1, /* data (Rerun's StoreKind::Recording) */
    REEL_BLUEPRINT = 2, /* a blueprint store */
} reel_recording_kind;

/* What the batcher does when its queue is full. */
typedef enum reel_queue_policy {
    REEL_QUEUE_BLOCK = 0,       /* the logging call waits for room (default) */
    REEL_QUEUE_DROP_OLDEST = 1, /* the oldest queued row is dropped and counted */
} reel_queue_policy;

/* Zero means default for every field. */
typedef struct reel_recording_options {
    const char *application_id; /* required */
    const char *recording_id;   /* NULL: a fresh random UUID (as Rerun's SDKs make) */
    reel_recording_kind kind;   /* 0 = REEL_RECORDING */
    bool disabled;              /* start disabled (the env var RERUN=off also disables) */
    bool no_properties;         /* do not send /__properties RecordingInfo:start_time */
    /* Batcher thresholds; 0 = the environment (RERUN_FLUSH_TICK_SECS, _NUM_BYTES, _NUM_ROWS),
     * else Rerun's defaults: 200 ms for file/stdout/memory sinks and 8 ms for network sinks,
     * 1 MiB, unlimited rows. */
    double flush_tick_secs;
    uint64_t flush_num_bytes;
    uint64_t flush_num_rows;
    /* The queue between logging threads and the batcher: 0 = 65536 rows / 256 MiB. */
    uint64_t queue_max_rows;
    uint64_t queue_max_bytes;
    reel_queue_policy queue_policy;
    /* Automatic timelines: log_time (timestamp, on) and log_tick (sequence, off), as the
     * Rerun SDK 0.41 adds them; the env vars RERUN_LOG_TIME / RERUN_LOG_TICK override. */
    bool no_log_time;
    bool log_tick;
} reel_recording_options;

/* Creates a stream. Until a sink is set, chunks are kept in memory and handed to the first
 * sink (as Rerun's buffered sink does). */
reel_status reel_recording_create(const reel_recording_options *options, reel_recording **out,
                                  reel_error *err);
/* Flushes everything (waiting as long as the sinks need), closes the sinks (an .rrd footer
 * is written) and frees the stream. Unsets it as global / thread-local default of the
 * calling thread. NULL-safe. Other threads must have stopped using it. */
reel_status reel_recording_destroy(reel_recording *rec, reel_error *err);

/* The defaults used when a call gets rec == NULL: the calling thread's, else the global
 * one. Setting NULL unsets. reel_recording_current() returns what NULL would use. */
void reel_recording_set_global(reel_recording *rec);
void reel_recording_set_thread_local(reel_recording *rec);
reel_recording *reel_recording_global(void);
reel_recording *reel_recording_thread_local(void);
reel_recording *reel_recording_current(void);

/* Enabled streams log; disabled ones return REEL_OK at once and log nothing. */
void reel_recording_set_enabled(reel_recording *rec, bool enabled);
bool reel_recording_is_enabled(const reel_recording *rec);
/* The ids (owned by the stream). */
const char *reel_recording_id(const reel_recording *rec);
const char *reel_recording_application_id(const reel_recording *rec);

/* Counters, for tests and health checks. */
typedef struct reel_recording_stats {
    uint64_t rows_logged;  /* rows accepted into the queue */
    uint64_t rows_dropped; /* dropped because the queue was full (DROP_OLDEST) */
    uint64_t chunks_sent;  /* chunks handed to the sinks */
    uint64_t sink_errors;  /* sink write/flush failures (each also logged) */
} reel_recording_stats;
void reel_recording_get_stats(const reel_recording *rec, reel_recording_stats *out);

/* ---------------------------------------------------------------- time (per thread, per stream) */

reel_status reel_set_time_sequence(reel_recording *rec, const char *timeline, int64_t value);
reel_status reel_set_time_duration_secs(reel_recording *rec, const char *timeline, double secs);
reel_status reel_set_time_duration_nanos(reel_recording *rec, const char *timeline, int64_t ns);
reel_status reel_set_time_timestamp_secs(reel_recording *rec, const char *timeline,
                                         double secs_since_epoch);
reel_status reel_set_time_timestamp_nanos(reel_recording *rec, const char *timeline,
                                          int64_t ns_since_epoch);
/* Stops attaching `timeline` to this thread's later rows. */
reel_status reel_disable_timeline(reel_recording *rec, const char *timeline);
/* Forgets all of this thread's times on the stream. */
reel_status reel_reset_time(reel_recording *rec);
void reel_set_log_time_enabled(reel_recording *rec, bool enabled);
void reel_set_log_tick_enabled(reel_recording *rec, bool enabled);

/* ---------------------------------------------------------------- logging */

/* Flags of reel_log_archetype / reel_log_components. */
enum {
    REEL_LOG_STATIC = 1, /* no time at all: static data, overrides temporal data */
};

/* Logs one row of archetype `archetype_id` (REEL_ARCHETYPE_*) read from `archetype`, a
 * pointer to its struct, at the thread's current time (or static). Fields left UNSET are
 * not logged (partial updates); empty batches clear. A one-instance batch next to an
 * n-instance one is kept as one instance (Rerun's splatting happens at query time). Use
 * the reel_log / reel_log_static macros, which find the id from the struct type. */
reel_status reel_log_archetype(reel_recording *rec, const char *entity_path, int archetype_id,
                               const void *archetype, unsigned flags, reel_error *err);

/* The archetype id of a pointer to an archetype struct, at compile time. */
#define REEL__ARCHETYPE_GENERIC_CASE(type, id)                                                     \
    type * : REEL_ARCHETYPE_##id, const type * : REEL_ARCHETYPE_##id,
#define REEL_ARCHETYPE_ID_OF(...)                                                                  \
    _Generic((__VA_ARGS__), REEL__ARCHETYPE_LIST(REEL__ARCHETYPE_GENERIC_CASE) default : -1)

#ifndef __cplusplus
#define REEL__ARCHETYPE_COUNT_ONE(type, id) +1
_Static_assert(0 REEL__ARCHETYPE_LIST(REEL__ARCHETYPE_COUNT_ONE) == REEL_ARCHETYPE_COUNT,
               "reel/archetype_list.h is out of date: run src/sdk/gen_archetype_list.py");
#endif

/* reel_log(rec, "path", &(reel_points3d){.positions = ..., .colors = ...}): the archetype
 * is the macro's last argument(s), so the commas of a compound literal are fine. Errors go
 * to the logging callback; reel_log_ex also fills `err` and takes flags (REEL_LOG_STATIC). */
#define reel_log(rec, path, ...) reel_log_ex(rec, path, 0, (reel_error *)0, __VA_ARGS__)
#define reel_log_static(rec, path, ...)                                                            \
    reel_log_ex(rec, path, REEL_LOG_STATIC, (reel_error *)0, __VA_ARGS__)
#define reel_log_ex(rec, path, flags, err, ...)                                                    \
    reel_log_archetype((rec), (path), REEL_ARCHETYPE_ID_OF(__VA_ARGS__), (__VA_ARGS__), (flags),   \
                       (err))

/* Logs Clear(is_recursive) at `entity_path`: from now on its components (and with
 * `recursive` its descendants') are cleared. */
reel_status reel_log_clear(reel_recording *rec, const char *entity_path, bool recursive,
                           reel_error *err);
/* Logs every field of the archetype as an empty list (Rerun's Archetype.cleared()). */
reel_status reel_log_clear_fields(reel_recording *rec, const char *entity_path, int archetype_id,
                                  reel_error *err);

/* Any component, including user-defined ones. The descriptor is (archetype, component,
 * component_type); archetype and component_type may be NULL. The Arrow type comes from, in
 * order: the batch (C_DATA schema, ARROW field), `arrow_type` (pyarrow's spelling, e.g.
 * "double", "fixed_size_list<item: float not null>[3]"), or the registry for a known
 * rerun.components.* component_type. */
typedef struct reel_component {
    const char *archetype;      /* "rerun.archetypes.Points3D", "my.Archetype" or NULL */
    const char *component;      /* "Points3D:positions", "confidence"; required */
    const char *component_type; /* "rerun.components.Position3D" or NULL */
    const char *arrow_type;     /* per instance; NULL = from batch or registry */
    reel_component_batch values;
} reel_component;

reel_status reel_log_components(reel_recording *rec, const char *entity_path,
                                const reel_component *components, size_t n_components,
                                unsigned flags, reel_error *err);

/* Recording properties, as Rerun writes them (static, under /__properties). */
reel_status reel_send_recording_name(reel_recording *rec, const char *name, reel_error *err);
reel_status reel_send_recording_start_time_nanos(reel_recording *rec, int64_t ns, reel_error *err);
/* User properties at /__properties/<name>. */
reel_status reel_send_property(reel_recording *rec, const char *name,
                               const reel_component *components, size_t n_components,
                               reel_error *err);

/* ---------------------------------------------------------------- columns */

typedef enum reel_time_kind {
    REEL_TIME_KIND_SEQUENCE = 1,
    REEL_TIME_KIND_DURATION_NANOS = 2,
    REEL_TIME_KIND_TIMESTAMP_NANOS = 3,
} reel_time_kind;

typedef struct reel_time_column {
    const char *timeline;
    reel_time_kind kind;
    const int64_t *times; /* one per row */
} reel_time_column;

/* One component column: `component.values` holds the instances of all rows back to back;
 * row i gets `lengths[i]` of them (NULL lengths: one per row). A component named
 * "<Archetype>:<field>" of a Rerun archetype needs no other descriptor fields. */
typedef struct reel_component_column {
    reel_component component;
    const uint32_t *lengths;
} reel_component_column;

/* Sends `n_rows` rows at once as one chunk (Rerun's send_columns): the thread's time and
 * the automatic timelines are not added; no time columns = static. */
reel_status reel_send_columns(reel_recording *rec, const char *entity_path,
                              const reel_time_column *times, size_t n_times,
                              const reel_component_column *columns, size_t n_columns, size_t n_rows,
                              reel_error *err);

/* ---------------------------------------------------------------- sinks */

/* Bytes of a memory sink, filled as the batcher writes. Thread-safe. */
typedef struct reel_memory_sink reel_memory_sink;
reel_status reel_memory_sink_create(reel_memory_sink **out, reel_error *err);
/* Frees it; a stream still writing to it keeps it alive until the stream drops the sink. */
void reel_memory_sink_destroy(reel_memory_sink *sink); /* NULL-safe */
/* Hands over everything written so far as one complete .rrd stream (header, store info,
 * chunks, footer), in a malloc'd buffer the caller frees with free(). Later writes start a
 * new stream (beginning with the store info again), so concatenated takes are a valid
 * multi-stream .rrd. Flush the recording first to include its latest rows. */
reel_status reel_memory_sink_take(reel_memory_sink *sink, uint8_t **data, size_t *len,
                                  reel_error *err);

typedef enum reel_sink_kind {
    REEL_SINK_FILE = 1,   /* path */
    REEL_SINK_STDOUT = 2, /* standard output (`prog | reel rrd print -`) */
    REEL_SINK_MEMORY = 3, /* memory */
    REEL_SINK_GRPC = 4,   /* url, "rerun+http://127.0.0.1:9876/proxy" when NULL */
} reel_sink_kind;

typedef struct reel_sink_spec {
    reel_sink_kind kind;
    const char *path;
    const char *url;
    reel_memory_sink *memory;
} reel_sink_spec;

/* Replaces the stream's sinks with these (several = a tee). Data logged before the first
 * sink was set is sent to the new sinks; each sink starts with the store info. Rows logged
 * before this call go to the old sinks (which are then flushed and closed). */
reel_status reel_set_sinks(reel_recording *rec, const reel_sink_spec *sinks, size_t n_sinks,
                           reel_error *err);
/* One-sink shorthands of reel_set_sinks. */
reel_status reel_save(reel_recording *rec, const char *path, reel_error *err);
reel_status reel_stdout(reel_recording *rec, reel_error *err);
reel_status reel_memory(reel_recording *rec, reel_memory_sink *sink, reel_error *err);
/* gRPC to a Reel or Rerun viewer/server (`reel serve`, `rerun --serve-grpc`, a viewer):
 * connects lazily, retries, buffers while disconnected; see src/sdk/sink.h. */
reel_status reel_connect_grpc(reel_recording *rec, const char *url, reel_error *err);

typedef struct reel_spawn_options {
    uint16_t port;          /* 0 = 9876 */
    const char *executable; /* NULL: $REEL_BIN, else "reel" from PATH */
    double wait_secs;       /* how long to wait for the port to answer; 0 = 5 */
} reel_spawn_options;
/* If nothing answers on 127.0.0.1:port, starts `<executable> serve --port P` detached
 * (its own session, stdio on /dev/null), waits for the port, then reel_connect_grpc. */
reel_status reel_spawn(reel_recording *rec, const reel_spawn_options *options, reel_error *err);

/* For a REEL_BLUEPRINT stream: after everything logged so far, tells the viewer to use this
 * blueprint (make_active) and/or make it the application's default (make_default), as
 * Rerun's send_blueprint does. INVALID_ARGUMENT on a recording stream. */
reel_status reel_send_blueprint_activation(reel_recording *rec, bool make_active, bool make_default,
                                           reel_error *err);

/* Sends every row logged so far (by any thread) through the batcher and the sinks and
 * waits up to `timeout_secs` (< 0: forever). TIMEOUT when it could not. */
reel_status reel_flush_blocking(reel_recording *rec, double timeout_secs, reel_error *err);

/* A fresh random id in the UUID v4 text form (36 chars + NUL), as Rerun uses. */
void reel_new_recording_id(char out[37]);

#ifdef __cplusplus
}
#endif
#endif
