/* Recording streams: creation from options and the environment, the global and thread-local
 * defaults, enable/disable, ids, counters, the per-thread time state (the times one thread
 * set on one stream) and the bounded queue that hands rows to the batcher thread. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdk/sdk_internal.h"

static atomic_ullong next_uid = 1;
static _Atomic(reel_recording *) global_recording;
static _Thread_local reel_recording *thread_recording;

reel_status sdk_fail(const char *call, reel_error *err)
{
    if (err != NULL && err->status != REEL_OK)
        reel_log(REEL_LOG_WARN, SDK_LOG_MODULE, "%s: %s", call, err->message);
    return err != NULL ? err->status : REEL_INTERNAL;
}

reel_recording *sdk_resolve(reel_recording *rec)
{
    if (rec != NULL)
        return rec;
    if (thread_recording != NULL)
        return thread_recording;
    return atomic_load(&global_recording);
}

void reel_recording_set_global(reel_recording *rec)
{
    atomic_store(&global_recording, rec);
}
void reel_recording_set_thread_local(reel_recording *rec)
{
    thread_recording = rec;
}
reel_recording *reel_recording_global(void)
{
    return atomic_load(&global_recording);
}
reel_recording *reel_recording_thread_local(void)
{
    return thread_recording;
}
reel_recording *reel_recording_current(void)
{
    return sdk_resolve(NULL);
}

void reel_new_recording_id(char out[37])
{
    /* A v4 UUID from the TUID generator's entropy mixed through the hash (no global RNG). */
    static atomic_ullong counter;
    reel_tuid t = reel_tuid_new();
    uint64_t salt = atomic_fetch_add(&counter, 1) ^ (uint64_t)reel_clock_monotonic_ns();
    uint64_t a = reel_hash_u64(t.time_ns ^ reel_hash_u64(t.inc) ^ salt);
    uint64_t b = reel_hash_u64(t.inc ^ reel_hash_u64(a) ^ (uint64_t)(uintptr_t)out);
    uint8_t bytes[16];
    reel_store_u64le(bytes, a);
    reel_store_u64le(bytes + 8, b);
    bytes[6] = (uint8_t)((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (uint8_t)((bytes[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[bytes[i] >> 4];
        out[k++] = hex[bytes[i] & 15];
    }
    out[k] = '\0';
}

/* ---------------------------------------------------------------- environment */

/* Rerun's boolean env parsing: "1/true/on/yes" and "0/false/off/no"; -1 when unset/other. */
static int env_bool(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL)
        return -1;
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
        !strcasecmp(v, "yes"))
        return 1;
    if (!strcasecmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
        !strcasecmp(v, "no"))
        return 0;
    return -1;
}

static bool env_u64(const char *name, uint64_t *out)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return false;
    char *end = NULL;
    unsigned long long parsed = strtoull(v, &end, 10);
    if (end == v || *end != '\0') {
        reel_log(REEL_LOG_WARN, SDK_LOG_MODULE, "ignoring %s=%s (not an integer)", name, v);
        return false;
    }
    *out = parsed;
    return true;
}

static bool env_secs(const char *name, double *out)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return false;
    char *end = NULL;
    double parsed = strtod(v, &end);
    if (end == v || *end != '\0' || !(parsed >= 0) || parsed > 1e9) {
        reel_log(REEL_LOG_WARN, SDK_LOG_MODULE, "ignoring %s=%s (not seconds)", name, v);
        return false;
    }
    *out = parsed;
    return true;
}

/* ---------------------------------------------------------------- create / destroy */

static reel_status send_start_time(reel_recording *rec, reel_error *err);

reel_status reel_recording_create(const reel_recording_options *options, reel_recording **out,
                                  reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    if (out != NULL)
        *out = NULL;
    if (options == NULL || options->application_id == NULL || out == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "options, application_id and out are required");
        return sdk_fail("reel_recording_create", err);
    }
    if (options->kind != 0 && options->kind != REEL_RECORDING && options->kind != REEL_BLUEPRINT) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "kind %d is not RECORDING or BLUEPRINT",
                       (int)options->kind);
        return sdk_fail("reel_recording_create", err);
    }
    reel_recording *rec = reel_alloc_zeroed(NULL, sizeof *rec);
    if (rec == NULL) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail("reel_recording_create", err);
    }
    rec->uid = atomic_fetch_add(&next_uid, 1);
    char generated[37];
    if (options->recording_id == NULL)
        reel_new_recording_id(generated);
    rec->application_id = reel_strdup(NULL, options->application_id);
    rec->recording_id =
        reel_strdup(NULL, options->recording_id ? options->recording_id : generated);
    rec->kind = options->kind ? options->kind : REEL_RECORDING;
    rec->store_id.kind =
        rec->kind == REEL_BLUEPRINT ? REEL_STORE_KIND_BLUEPRINT : REEL_STORE_KIND_RECORDING;
    rec->store_id.recording_id = rec->recording_id;
    rec->store_id.application_id = rec->application_id;

    int enabled = env_bool("RERUN");
    atomic_init(&rec->enabled, enabled >= 0 ? enabled == 1 : !options->disabled);
    int log_time = env_bool("RERUN_LOG_TIME");
    atomic_init(&rec->log_time, log_time >= 0 ? log_time == 1 : !options->no_log_time);
    int log_tick = env_bool("RERUN_LOG_TICK");
    atomic_init(&rec->log_tick, log_tick >= 0 ? log_tick == 1 : options->log_tick);
    atomic_init(&rec->tick, 0);

    double tick_secs = 0;
    if (options->flush_tick_secs > 0) {
        rec->tick_ns_file = rec->tick_ns_network = (uint64_t)(options->flush_tick_secs * 1e9);
    } else if (env_secs("RERUN_FLUSH_TICK_SECS", &tick_secs)) {
        rec->tick_ns_file = rec->tick_ns_network = (uint64_t)(tick_secs * 1e9);
    } else {
        rec->tick_ns_file = 200000000u;
        rec->tick_ns_network = 8000000u;
    }
    rec->flush_num_bytes = options->flush_num_bytes;
    if (rec->flush_num_bytes == 0 && !env_u64("RERUN_FLUSH_NUM_BYTES", &rec->flush_num_bytes))
        rec->flush_num_bytes = 1u << 20;
    rec->flush_num_rows = options->flush_num_rows;
    if (rec->flush_num_rows == 0 && !env_u64("RERUN_FLUSH_NUM_ROWS", &rec->flush_num_rows))
        rec->flush_num_rows = UINT64_MAX;
    rec->queue_max_rows = options->queue_max_rows ? options->queue_max_rows : 65536;
    rec->queue_max_bytes = options->queue_max_bytes ? options->queue_max_bytes : 256u << 20;
    rec->queue_policy = options->queue_policy;
    rec->tick_ns = rec->tick_ns_file;
    reel_vec_init(&rec->backlog, sizeof(reel_chunk *), NULL);

    if (rec->application_id == NULL || rec->recording_id == NULL ||
        reel_mutex_init(&rec->mutex) != REEL_OK || reel_cond_init(&rec->not_empty) != REEL_OK ||
        reel_cond_init(&rec->not_full) != REEL_OK || reel_cond_init(&rec->flushed) != REEL_OK) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        reel_strfree(NULL, rec->application_id);
        reel_strfree(NULL, rec->recording_id);
        reel_free(NULL, rec, sizeof *rec);
        return sdk_fail("reel_recording_create", err);
    }
    rec->blob_pool = sdk_blob_pool_create(); /* NULL: large copies come from the heap */
    if (reel_thread_start(&rec->thread, sdk_batcher_main, rec, err) != REEL_OK) {
        reel_recording_destroy(rec, NULL);
        return sdk_fail("reel_recording_create", err);
    }
    rec->thread_started = true;
    if (!options->no_properties && rec->kind == REEL_RECORDING) {
        reel_status status = send_start_time(rec, err);
        if (status != REEL_OK) {
            reel_recording_destroy(rec, NULL);
            return sdk_fail("reel_recording_create", err);
        }
    }
    *out = rec;
    return REEL_OK;
}

reel_status reel_recording_destroy(reel_recording *rec, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    if (rec == NULL)
        return REEL_OK;
    reel_status status = REEL_OK;
    if (rec->thread_started) {
        status = reel_flush_blocking(rec, -1, err);
        reel_mutex_lock(&rec->mutex);
        rec->shutdown = true;
        reel_cond_broadcast(&rec->not_empty);
        reel_mutex_unlock(&rec->mutex);
        reel_thread_join(&rec->thread);
        if (status == REEL_OK && rec->has_sink_error) {
            status = rec->last_sink_error.status;
            if (err != NULL)
                *err = rec->last_sink_error;
        }
    }
    while (rec->head != NULL) {
        sdk_item *item = rec->head;
        rec->head = item->next;
        sdk_item_free(item);
    }
    for (size_t i = 0; i < rec->backlog.len; i++)
        reel_chunk_release(REEL_VEC_AT(&rec->backlog, reel_chunk *, i));
    reel_vec_free(&rec->backlog);
    sdk_row_blocks_free(rec->row_pool);
    sdk_lanes_release_all(rec);
    sdk_blob_pool_release(rec->blob_pool);
    if (atomic_load(&global_recording) == rec)
        atomic_store(&global_recording, NULL);
    if (thread_recording == rec)
        thread_recording = NULL;
    reel_cond_destroy(&rec->flushed);
    reel_cond_destroy(&rec->not_full);
    reel_cond_destroy(&rec->not_empty);
    reel_mutex_destroy(&rec->mutex);
    reel_strfree(NULL, rec->application_id);
    reel_strfree(NULL, rec->recording_id);
    reel_free(NULL, rec, sizeof *rec);
    return status == REEL_OK ? REEL_OK : sdk_fail("reel_recording_destroy", err);
}

void reel_recording_set_enabled(reel_recording *rec, bool enabled)
{
    rec = sdk_resolve(rec);
    if (rec != NULL)
        atomic_store(&rec->enabled, enabled);
}

bool reel_recording_is_enabled(const reel_recording *rec)
{
    rec = sdk_resolve((reel_recording *)rec);
    return rec != NULL && atomic_load(&rec->enabled);
}

const char *reel_recording_id(const reel_recording *rec)
{
    rec = sdk_resolve((reel_recording *)rec);
    return rec ? rec->recording_id : NULL;
}

const char *reel_recording_application_id(const reel_recording *rec)
{
    rec = sdk_resolve((reel_recording *)rec);
    return rec ? rec->application_id : NULL;
}

void reel_recording_get_stats(const reel_recording *rec, reel_recording_stats *out)
{
    memset(out, 0, sizeof *out);
    rec = sdk_resolve((reel_recording *)rec);
    if (rec == NULL)
        return;
    out->rows_logged = atomic_load(&rec->rows_logged) + sdk_lanes_rows_logged((reel_recording *)rec);
    out->rows_dropped = atomic_load(&rec->rows_dropped);
    out->chunks_sent = atomic_load(&rec->chunks_sent);
    out->sink_errors = atomic_load(&rec->sink_errors);
}

void reel_set_log_time_enabled(reel_recording *rec, bool enabled)
{
    rec = sdk_resolve(rec);
    if (rec != NULL)
        atomic_store(&rec->log_time, enabled);
}

void reel_set_log_tick_enabled(reel_recording *rec, bool enabled)
{
    rec = sdk_resolve(rec);
    if (rec != NULL)
        atomic_store(&rec->log_tick, enabled);
}

/* ---------------------------------------------------------------- properties */

static reel_status send_start_time(reel_recording *rec, reel_error *err)
{
    return reel_send_recording_start_time_nanos(rec, reel_clock_wall_ns(), err);
}

reel_status reel_send_recording_start_time_nanos(reel_recording *rec, int64_t ns, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    reel_recording_info info = {.start_time = reel_batch_values(&ns, 1)};
    return reel_log_archetype(rec, "/__properties", REEL_ARCHETYPE_RecordingInfo, &info,
                              REEL_LOG_STATIC, err);
}

reel_status reel_send_recording_name(reel_recording *rec, const char *name, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    if (name == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "name is NULL");
        return sdk_fail("reel_send_recording_name", err);
    }
    reel_recording_info info = {.name = reel_batch_string(&name)};
    return reel_log_archetype(rec, "/__properties", REEL_ARCHETYPE_RecordingInfo, &info,
                              REEL_LOG_STATIC, err);
}

reel_status reel_send_property(reel_recording *rec, const char *name,
                               const reel_component *components, size_t n_components,
                               reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    reel_buf path = {0};
    reel_span part = reel_span_make(name ? name : "", name ? strlen(name) : 0);
    reel_span parts[2] = {reel_span_make("__properties", 12), part};
    if (name == NULL || reel_entity_path_from_parts(parts, 2, &path) != REEL_OK) {
        reel_buf_free(&path);
        reel_error_set(err, REEL_INVALID_ARGUMENT, "property name %s is not a valid path part",
                       name ? name : "(null)");
        return sdk_fail("reel_send_property", err);
    }
    reel_status status = reel_log_components(rec, (const char *)path.data, components, n_components,
                                             REEL_LOG_STATIC, err);
    reel_buf_free(&path);
    return status;
}

/* ---------------------------------------------------------------- per-thread time */

/* Per thread: one sdk_thread_times per recording the thread set a time on. Freed at thread exit
 * by the key's destructor (entries of destroyed recordings linger until then: uids are never
 * reused, so they are never read again). */
typedef struct thread_state {
    reel_vec recordings;  /* sdk_thread_times */
    sdk_path_cache paths; /* canonical entity paths by the caller's spelling */
    sdk_item *spare_rows; /* row blocks to reuse (linked by next) */
    size_t n_spare_rows;
} thread_state;

static pthread_key_t state_key;
static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static _Thread_local thread_state *state;

static void free_state(void *arg)
{
    thread_state *s = arg;
    for (size_t i = 0; i < s->recordings.len; i++) {
        sdk_thread_times *t = &REEL_VEC_AT(&s->recordings, sdk_thread_times, i);
        for (size_t k = 0; k < t->entries.len; k++)
            reel_strfree(NULL, REEL_VEC_AT(&t->entries, sdk_time_entry, k).name);
        reel_vec_free(&t->entries);
        sdk_lane_release(t->lane); /* what it holds is still collected by the batcher */
    }
    reel_vec_free(&s->recordings);
    sdk_path_cache_free(&s->paths);
    sdk_row_blocks_free(s->spare_rows);
    free(s);
}

static void make_key(void)
{
    pthread_key_create(&state_key, free_state);
}

static bool ensure_state(void)
{
    if (state != NULL)
        return true;
    pthread_once(&state_once, make_key);
    state = calloc(1, sizeof *state);
    if (state == NULL)
        return false;
    reel_vec_init(&state->recordings, sizeof(sdk_thread_times), NULL);
    sdk_path_cache_init(&state->paths);
    pthread_setspecific(state_key, state);
    return true;
}

void *sdk_row_block_take(void)
{
    if (state != NULL && state->spare_rows != NULL) {
        sdk_item *block = state->spare_rows;
        state->spare_rows = block->next;
        state->n_spare_rows--;
        return block;
    }
    return reel_alloc(NULL, SDK_ROW_BLOCK_SIZE);
}

void sdk_row_blocks_free(sdk_item *blocks)
{
    while (blocks != NULL) {
        sdk_item *next = blocks->next;
        reel_free(NULL, blocks, SDK_ROW_BLOCK_SIZE);
        blocks = next;
    }
}

/* Moves blocks from the recording's pool to this thread's spares. Called with the lock. */
static void take_spare_rows(reel_recording *rec)
{
    if (state == NULL || state->n_spare_rows >= SDK_ROW_SPARES_MAX / 2)
        return;
    while (rec->row_pool != NULL && state->n_spare_rows < SDK_ROW_SPARES_MAX) {
        sdk_item *block = rec->row_pool;
        rec->row_pool = block->next;
        rec->row_pool_count--;
        block->next = state->spare_rows;
        state->spare_rows = block;
        state->n_spare_rows++;
    }
}

sdk_path_cache *sdk_thread_path_cache(void)
{
    return ensure_state() ? &state->paths : NULL;
}

sdk_thread_times *sdk_thread_times_of(reel_recording *rec, bool create)
{
    if (state == NULL && (!create || !ensure_state()))
        return NULL;
    for (size_t i = 0; i < state->recordings.len; i++) {
        sdk_thread_times *t = &REEL_VEC_AT(&state->recordings, sdk_thread_times, i);
        if (t->uid == rec->uid)
            return t;
    }
    if (!create)
        return NULL;
    sdk_thread_times *t = reel_vec_push_n(&state->recordings, 1);
    if (t == NULL)
        return NULL;
    memset(t, 0, sizeof *t);
    t->uid = rec->uid;
    reel_vec_init(&t->entries, sizeof(sdk_time_entry), NULL);
    return t;
}

static reel_status set_time(reel_recording *rec, const char *timeline, reel_time_type type,
                            int64_t value, const char *call)
{
    reel_error err; /* only used through reel_error_set, which fills it */
    rec = sdk_resolve(rec);
    if (rec == NULL || timeline == NULL || *timeline == '\0') {
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "no recording or no timeline name");
        return sdk_fail(call, &err);
    }
    if (!atomic_load(&rec->enabled))
        return REEL_OK;
    if (value == INT64_MIN) {
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "time %s: INT64_MIN is reserved", timeline);
        return sdk_fail(call, &err);
    }
    sdk_thread_times *t = sdk_thread_times_of(rec, true);
    if (t == NULL) {
        reel_error_set(&err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail(call, &err);
    }
    size_t i = 0;
    for (; i < t->entries.len; i++) {
        sdk_time_entry *e = &REEL_VEC_AT(&t->entries, sdk_time_entry, i);
        int cmp = strcmp(e->name, timeline);
        if (cmp == 0) {
            if (e->type != type)
                t->set_epoch++;
            e->type = type, e->value = value;
            return REEL_OK;
        }
        if (cmp > 0)
            break;
    }
    char *name = reel_strdup(NULL, timeline);
    if (name == NULL || reel_vec_push(&t->entries, NULL) != REEL_OK) {
        reel_strfree(NULL, name);
        reel_error_set(&err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail(call, &err);
    }
    sdk_time_entry *entries = t->entries.data;
    memmove(&entries[i + 1], &entries[i], (t->entries.len - 1 - i) * sizeof *entries);
    entries[i] = (sdk_time_entry){name, type, value};
    t->set_epoch++;
    return REEL_OK;
}

reel_status reel_set_time_sequence(reel_recording *rec, const char *timeline, int64_t value)
{
    return set_time(rec, timeline, REEL_TIME_SEQUENCE, value, "reel_set_time_sequence");
}
reel_status reel_set_time_duration_nanos(reel_recording *rec, const char *timeline, int64_t ns)
{
    return set_time(rec, timeline, REEL_TIME_DURATION_NS, ns, "reel_set_time_duration_nanos");
}
/* Seconds to nanoseconds, exact to the nanosecond: whole seconds in integer arithmetic and
 * only the fraction through floating point (a plain secs * 1e9 in double is off by up to
 * 128 ns for today's timestamps). */
static bool secs_to_ns(double secs, int64_t *out)
{
    if (!(secs > -9.2e9 && secs < 9.2e9))
        return false;
    double whole = floor(secs);
    double frac_ns = round((secs - whole) * 1e9);
    *out = (int64_t)whole * 1000000000 + (int64_t)frac_ns;
    return true;
}

reel_status reel_set_time_duration_secs(reel_recording *rec, const char *timeline, double secs)
{
    int64_t ns;
    if (!secs_to_ns(secs, &ns)) {
        reel_error err = {0};
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "duration %g s out of range", secs);
        return sdk_fail("reel_set_time_duration_secs", &err);
    }
    return set_time(rec, timeline, REEL_TIME_DURATION_NS, ns, "reel_set_time_duration_secs");
}
reel_status reel_set_time_timestamp_nanos(reel_recording *rec, const char *timeline, int64_t ns)
{
    return set_time(rec, timeline, REEL_TIME_TIMESTAMP_NS, ns, "reel_set_time_timestamp_nanos");
}
reel_status reel_set_time_timestamp_secs(reel_recording *rec, const char *timeline, double secs)
{
    int64_t ns;
    if (!secs_to_ns(secs, &ns)) {
        reel_error err = {0};
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "timestamp %g s out of range", secs);
        return sdk_fail("reel_set_time_timestamp_secs", &err);
    }
    return set_time(rec, timeline, REEL_TIME_TIMESTAMP_NS, ns, "reel_set_time_timestamp_secs");
}

reel_status reel_disable_timeline(reel_recording *rec, const char *timeline)
{
    rec = sdk_resolve(rec);
    if (rec == NULL || timeline == NULL) {
        reel_error err = {0};
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "no recording or no timeline name");
        return sdk_fail("reel_disable_timeline", &err);
    }
    sdk_thread_times *t = sdk_thread_times_of(rec, false);
    if (t == NULL)
        return REEL_OK;
    sdk_time_entry *entries = t->entries.data;
    for (size_t i = 0; i < t->entries.len; i++) {
        if (strcmp(entries[i].name, timeline) == 0) {
            reel_strfree(NULL, entries[i].name);
            memmove(&entries[i], &entries[i + 1], (t->entries.len - 1 - i) * sizeof *entries);
            t->entries.len--;
            t->set_epoch++;
            break;
        }
    }
    return REEL_OK;
}

reel_status reel_reset_time(reel_recording *rec)
{
    rec = sdk_resolve(rec);
    if (rec == NULL) {
        reel_error err = {0};
        reel_error_set(&err, REEL_INVALID_ARGUMENT, "no recording");
        return sdk_fail("reel_reset_time", &err);
    }
    sdk_thread_times *t = sdk_thread_times_of(rec, false);
    if (t == NULL)
        return REEL_OK;
    for (size_t i = 0; i < t->entries.len; i++)
        reel_strfree(NULL, REEL_VEC_AT(&t->entries, sdk_time_entry, i).name);
    if (t->entries.len > 0)
        t->set_epoch++;
    t->entries.len = 0;
    return REEL_OK;
}

/* Whether the automatic timelines replace a user timeline of the same name (as in Rerun,
 * where they are added last and win). */
static bool shadowed(const char *name, bool log_time, bool log_tick)
{
    return (log_time && strcmp(name, "log_time") == 0) ||
           (log_tick && strcmp(name, "log_tick") == 0);
}

void sdk_time_size(reel_recording *rec, int32_t *n, size_t *name_bytes)
{
    sdk_thread_times *t = sdk_thread_times_of(rec, false);
    bool log_time = atomic_load(&rec->log_time), log_tick = atomic_load(&rec->log_tick);
    *n = 0, *name_bytes = 0;
    for (size_t i = 0; t != NULL && i < t->entries.len; i++) {
        const sdk_time_entry *e = &REEL_VEC_AT(&t->entries, sdk_time_entry, i);
        if (shadowed(e->name, log_time, log_tick))
            continue;
        (*n)++;
        *name_bytes += strlen(e->name) + 1;
    }
    /* Room for both automatic timelines: the flags may change between the two calls. */
    *n += 2;
    *name_bytes += sizeof "log_time" + sizeof "log_tick";
}

int32_t sdk_time_fill(reel_recording *rec, reel_chunk_time *times, int32_t capacity, char *names)
{
    sdk_thread_times *t = sdk_thread_times_of(rec, false);
    bool log_time = atomic_load(&rec->log_time), log_tick = atomic_load(&rec->log_tick);
    int32_t k = 0;
    for (size_t i = 0; t != NULL && i < t->entries.len && k < capacity; i++) {
        const sdk_time_entry *e = &REEL_VEC_AT(&t->entries, sdk_time_entry, i);
        if (shadowed(e->name, log_time, log_tick))
            continue;
        size_t len = strlen(e->name) + 1;
        memcpy(names, e->name, len);
        times[k++] = (reel_chunk_time){names, e->type, e->value};
        names += len;
    }
    if (log_time && k < capacity) {
        memcpy(names, "log_time", sizeof "log_time");
        times[k++] = (reel_chunk_time){names, REEL_TIME_TIMESTAMP_NS, reel_clock_wall_ns()};
        names += sizeof "log_time";
    }
    if (log_tick && k < capacity) {
        memcpy(names, "log_tick", sizeof "log_tick");
        times[k++] =
            (reel_chunk_time){names, REEL_TIME_SEQUENCE, (int64_t)atomic_fetch_add(&rec->tick, 1)};
    }
    /* Sorted by name (the batcher's key); the user's are sorted already. */
    for (int32_t i = 1; i < k; i++)
        for (int32_t j = i; j > 0 && strcmp(times[j - 1].name, times[j].name) > 0; j--) {
            reel_chunk_time tmp = times[j];
            times[j] = times[j - 1];
            times[j - 1] = tmp;
        }
    return k;
}

/* ---------------------------------------------------------------- queue */

void sdk_cells_free(sdk_cell *cells, int32_t n)
{
    if (cells == NULL)
        return;
    for (int32_t i = 0; i < n; i++) {
        if (!cells[i].static_descriptor) {
            reel_strfree(NULL, cells[i].descriptor.archetype);
            reel_strfree(NULL, cells[i].descriptor.component);
            reel_strfree(NULL, cells[i].descriptor.component_type);
        }
        if (cells[i].has_owned_field)
            reel_arrow_field_reset(&cells[i].owned_field);
        reel_arrow_array_reset(&cells[i].values);
    }
    reel_free(NULL, cells, (size_t)n * sizeof *cells);
}

void sdk_row_release_cells(sdk_item *item)
{
    for (int32_t i = 0; i < item->cell_capacity; i++) {
        sdk_cell *cell = &item->cells[i];
        if (!cell->static_descriptor) {
            reel_strfree(NULL, cell->descriptor.archetype);
            reel_strfree(NULL, cell->descriptor.component);
            reel_strfree(NULL, cell->descriptor.component_type);
        }
        if (cell->has_owned_field)
            reel_arrow_field_reset(&cell->owned_field);
        if (!cell->inline_values)
            reel_arrow_array_reset(&cell->values);
    }
}

void sdk_item_free(sdk_item *item)
{
    if (item == NULL)
        return;
    if (item->kind == SDK_ITEM_ROW) {
        /* Path, times and cells live in the item's own block. */
        sdk_row_release_cells(item);
        reel_free(NULL, item, item->block_size);
        return;
    }
    reel_chunk_release(item->chunk);
    sdk_columns_free(item->columns);
    for (size_t i = 0; i < item->n_sinks; i++)
        reel__sink_close(item->sinks[i], NULL);
    reel_free(NULL, item->sinks, item->n_sinks * sizeof *item->sinks);
    reel_free(NULL, item, item->block_size ? item->block_size : sizeof *item);
}

reel_status sdk_enqueue(reel_recording *rec, sdk_item *item, reel_error *err)
{
    /* Rows (one) and lane columns (many) count against the queue's limits; commands do not.
     * A command of this thread comes after the rows its lane holds. */
    bool has_rows = item->kind == SDK_ITEM_ROW || item->kind == SDK_ITEM_COLUMNS;
    if (item->kind == SDK_ITEM_SET_SINKS || item->kind == SDK_ITEM_ACTIVATION)
        sdk_lane_handoff(rec);
    if (item->kind == SDK_ITEM_ROW)
        item->n_rows = 1;
    sdk_item *dropped = NULL;
    reel_mutex_lock(&rec->mutex);
    if (rec->shutdown) {
        reel_mutex_unlock(&rec->mutex);
        sdk_item_free(item);
        return reel_error_set(err, REEL_CLOSED, "the recording is shutting down");
    }
    if (has_rows) {
        /* An empty queue takes anything (a lane's columns may be more rows than the limit). */
        while (rec->queued_rows > 0 &&
               (rec->queued_rows + item->n_rows > rec->queue_max_rows ||
                rec->queued_bytes + item->byte_size > rec->queue_max_bytes)) {
            if (rec->queue_policy == REEL_QUEUE_DROP_OLDEST) {
                /* Unlink the oldest rows (commands are never dropped). */
                sdk_item **link = &rec->head, *prev = NULL;
                while (*link != NULL && (*link)->n_rows == 0)
                    prev = *link, link = &(*link)->next;
                sdk_item *oldest = *link;
                if (oldest == NULL)
                    break;
                *link = oldest->next;
                if (rec->tail == oldest)
                    rec->tail = prev;
                rec->queued_rows -= oldest->n_rows;
                rec->queued_bytes -= oldest->byte_size;
                oldest->next = dropped;
                dropped = oldest;
                atomic_fetch_add(&rec->rows_dropped, oldest->n_rows);
            } else {
                reel_cond_signal(&rec->not_empty); /* the batcher may be asleep till its tick */
                reel_cond_wait(&rec->not_full, &rec->mutex);
                if (rec->shutdown)
                    break;
            }
        }
        rec->queued_rows += item->n_rows;
        rec->queued_bytes += item->byte_size;
        if (item->kind == SDK_ITEM_ROW) {
            atomic_fetch_add(&rec->rows_logged, 1); /* lanes count their own */
            take_spare_rows(rec);
        }
    }
    item->next = NULL;
    if (rec->tail != NULL)
        rec->tail->next = item;
    else
        rec->head = item;
    rec->tail = item;
    /* Rows do not wake the batcher (it wakes at its tick): a wake-up per row would cost a
     * context switch per log call. Commands, lane columns, and a queue filling up, do. */
    if (item->kind != SDK_ITEM_ROW || rec->queued_rows * 2 >= rec->queue_max_rows ||
        rec->queued_bytes * 2 >= rec->queue_max_bytes ||
        rec->queued_bytes >= rec->flush_num_bytes || rec->queued_rows >= rec->flush_num_rows)
        reel_cond_signal(&rec->not_empty);
    reel_mutex_unlock(&rec->mutex);
    while (dropped != NULL) {
        sdk_item *next = dropped->next;
        sdk_item_free(dropped);
        dropped = next;
    }
    return REEL_OK;
}

reel_status reel_flush_blocking(reel_recording *rec, double timeout_secs, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    rec = sdk_resolve(rec);
    if (rec == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "no recording");
        return sdk_fail("reel_flush_blocking", err);
    }
    sdk_item *item = reel_alloc_zeroed(NULL, sizeof *item);
    if (item == NULL) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail("reel_flush_blocking", err);
    }
    item->kind = SDK_ITEM_FLUSH;
    reel_mutex_lock(&rec->mutex);
    uint64_t seq = ++rec->flush_requested;
    reel_mutex_unlock(&rec->mutex);
    item->flush_seq = seq;
    if (sdk_enqueue(rec, item, err) != REEL_OK)
        return sdk_fail("reel_flush_blocking", err);
    uint64_t deadline =
        timeout_secs < 0 ? UINT64_MAX : reel_clock_monotonic_ns() + (uint64_t)(timeout_secs * 1e9);
    reel_status status = REEL_OK;
    reel_mutex_lock(&rec->mutex);
    while (rec->flush_done < seq) {
        if (deadline == UINT64_MAX) {
            reel_cond_wait(&rec->flushed, &rec->mutex);
            continue;
        }
        uint64_t now = reel_clock_monotonic_ns();
        if (now >= deadline) {
            status = reel_error_set(err, REEL_TIMEOUT, "flush did not finish within %.3f s",
                                    timeout_secs);
            break;
        }
        reel_cond_wait_ns(&rec->flushed, &rec->mutex, deadline - now);
    }
    if (status == REEL_OK && rec->has_sink_error) {
        status = rec->last_sink_error.status;
        if (err != NULL)
            *err = rec->last_sink_error;
        rec->has_sink_error = false;
    }
    reel_mutex_unlock(&rec->mutex);
    return status == REEL_OK ? REEL_OK : sdk_fail("reel_flush_blocking", err);
}
