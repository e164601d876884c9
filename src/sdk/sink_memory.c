/* The memory sink: the batcher hands it messages and the user takes them as an .rrd stream
 * with reel_memory_sink_take (any thread). As Rerun's MemorySinkStorage does, messages are
 * kept as they came (chunks retained, not encoded) until a take encodes them, so logging
 * into memory costs no encoding and no copy of the logged data; the take writes the stream
 * (footer included) straight into the buffer it hands over. The next message after a take
 * starts a new stream with the store info again. The public object is reference counted
 * between the user and the stream's sink. */
#include <stdlib.h>
#include <string.h>

#include "sdk/sdk_internal.h"

/* One message waiting for a take; owns its store id and retains its chunk. */
typedef struct pending_message {
    reel_rrd_message_kind kind;
    reel_store_info info;   /* SET_STORE_INFO: info.store_id owned, no source_extra */
    reel_store_id store_id; /* ARROW_MSG, BLUEPRINT_ACTIVATION */
    reel_chunk *chunk;      /* ARROW_MSG */
    bool make_active, make_default;
} pending_message;

struct reel_memory_sink {
    reel_mutex mutex;
    atomic_int refs;
    reel_vec pending; /* pending_message of the stream being collected; empty = none open */
    bool has_info;
    reel_store_info info;  /* the store info, repeated at the start of each stream */
    reel_store_id info_id; /* owned strings the info points at */
};

typedef struct memory_sink {
    reel_sink base;
    reel_memory_sink *memory;
} memory_sink;

static void pending_free(reel_vec *pending)
{
    for (size_t i = 0; i < pending->len; i++) {
        pending_message *m = &REEL_VEC_AT(pending, pending_message, i);
        reel_store_id_reset(&m->info.store_id, NULL);
        reel_store_id_reset(&m->store_id, NULL);
        reel_chunk_release(m->chunk);
    }
    reel_vec_free(pending);
}

reel_status reel_memory_sink_create(reel_memory_sink **out, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    reel_memory_sink *memory = reel_alloc_zeroed(NULL, sizeof *memory);
    if (memory == NULL || reel_mutex_init(&memory->mutex) != REEL_OK) {
        reel_free(NULL, memory, sizeof *memory);
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail("reel_memory_sink_create", err);
    }
    atomic_init(&memory->refs, 1);
    reel_vec_init(&memory->pending, sizeof(pending_message), NULL);
    *out = memory;
    return REEL_OK;
}

static void memory_release(reel_memory_sink *memory)
{
    if (memory == NULL || atomic_fetch_sub(&memory->refs, 1) != 1)
        return;
    pending_free(&memory->pending);
    reel_store_id_reset(&memory->info_id, NULL);
    reel_mutex_destroy(&memory->mutex);
    reel_free(NULL, memory, sizeof *memory);
}

void reel_memory_sink_destroy(reel_memory_sink *memory)
{
    memory_release(memory);
}

static reel_status write_pending(reel_rrd_writer *writer, const pending_message *m, reel_error *err)
{
    switch (m->kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        return reel_rrd_writer_write_store_info(writer, &m->info, err);
    case REEL_RRD_MESSAGE_ARROW_MSG:
        return reel_rrd_writer_write_chunk(writer, &m->store_id, m->chunk, err);
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        return reel_rrd_writer_write_blueprint_activation(writer, &m->store_id, m->make_active,
                                                          m->make_default, err);
    default:
        return REEL_OK;
    }
}

/* Encodes a stream's messages as one .rrd stream into `bytes`. */
static reel_status encode_stream(const reel_vec *pending, reel_buf *bytes, reel_error *err)
{
    /* Room for the chunks' data up front, so that the buffer never moves for an image. */
    size_t estimate = 4096;
    for (size_t i = 0; i < pending->len; i++) {
        const pending_message *m = &REEL_VEC_AT(pending, pending_message, i);
        estimate += 1024 + (m->chunk != NULL ? reel_chunk_byte_size(m->chunk) : 0);
    }
    if (reel_buf_reserve(bytes, estimate) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory for %zu bytes", estimate);
    reel_rrd_sink sink = reel_rrd_sink_buf(bytes);
    reel_rrd_writer_options options = {.name = "memory"};
    reel_rrd_writer *writer = NULL;
    REEL_TRY(reel_rrd_writer_create(&sink, &options, &writer, err));
    reel_status status = REEL_OK;
    for (size_t i = 0; status == REEL_OK && i < pending->len; i++)
        status = write_pending(writer, &REEL_VEC_AT(pending, pending_message, i), err);
    if (status == REEL_OK)
        status = reel_rrd_writer_finish(writer, err);
    reel_rrd_writer_destroy(writer);
    return status;
}

reel_status reel_memory_sink_take(reel_memory_sink *memory, uint8_t **data, size_t *len,
                                  reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    if (memory == NULL || data == NULL || len == NULL) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "memory sink, data and len are required");
        return sdk_fail("reel_memory_sink_take", err);
    }
    *data = NULL, *len = 0;
    /* Take the stream's messages and encode them outside the lock: the batcher keeps going
     * (what it writes meanwhile starts the next stream). */
    reel_mutex_lock(&memory->mutex);
    reel_vec pending = memory->pending;
    reel_vec_init(&memory->pending, sizeof(pending_message), NULL);
    reel_mutex_unlock(&memory->mutex);
    reel_status status = REEL_OK;
    if (pending.len > 0) {
        reel_buf bytes;
        reel_buf_init(&bytes, NULL); /* malloc: the caller frees the bytes with free() */
        status = encode_stream(&pending, &bytes, err);
        if (status == REEL_OK) {
            size_t cap = 0;
            uint8_t *owned = reel_buf_detach(&bytes, len, &cap);
            uint8_t *fitted = *len < cap ? realloc(owned, *len) : owned;
            *data = fitted != NULL ? fitted : owned;
        }
        reel_buf_free(&bytes);
    }
    pending_free(&pending);
    return status == REEL_OK ? REEL_OK : sdk_fail("reel_memory_sink_take", err);
}

static reel_status push_pending(reel_memory_sink *memory, const pending_message *m, reel_error *err)
{
    if (reel_vec_push(&memory->pending, m) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    return REEL_OK;
}

/* A pending SET_STORE_INFO holding its own copy of `info` (without source_extra, which the
 * sink never kept). Called with the mutex held. */
static reel_status push_info(reel_memory_sink *memory, const reel_store_info *info, reel_error *err)
{
    pending_message m = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO, .info = *info};
    m.info.source_extra = NULL, m.info.source_extra_len = 0;
    memset(&m.info.store_id, 0, sizeof m.info.store_id);
    if (reel_store_id_copy(&m.info.store_id, &info->store_id, NULL) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_status status = push_pending(memory, &m, err);
    if (status != REEL_OK)
        reel_store_id_reset(&m.info.store_id, NULL);
    return status;
}

/* Refuses here what the writer would refuse at take time, so the batcher reports it for
 * the message that caused it. */
static reel_status check_store_id(const reel_store_id *id, reel_error *err)
{
    if (id->application_id == NULL || id->application_id[0] == '\0' ||
        (id->kind != REEL_STORE_KIND_RECORDING && id->kind != REEL_STORE_KIND_BLUEPRINT))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "memory: the store id needs a kind and an application id");
    return REEL_OK;
}

static reel_status memory_write(reel_sink *base, const reel_rrd_message *msg, reel_error *err)
{
    reel_memory_sink *memory = ((memory_sink *)base)->memory;
    reel_status status = REEL_OK;
    reel_mutex_lock(&memory->mutex);
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        status = check_store_id(&msg->store_info.store_id, err);
        if (status == REEL_OK) {
            reel_store_id_reset(&memory->info_id, NULL);
            status = reel_store_id_copy(&memory->info_id, &msg->store_info.store_id, NULL);
            memory->info = msg->store_info;
            memory->info.store_id = memory->info_id;
            memory->info.source_extra = NULL, memory->info.source_extra_len = 0;
            memory->has_info = status == REEL_OK;
            if (status != REEL_OK)
                reel_error_set(err, status, "out of memory");
        }
        if (status == REEL_OK)
            status = push_info(memory, &memory->info, err);
    } else if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG ||
               msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION) {
        pending_message m = {.kind = msg->kind,
                             .make_active = msg->activation.make_active,
                             .make_default = msg->activation.make_default};
        status = check_store_id(&msg->store_id, err);
        if (status == REEL_OK && msg->kind == REEL_RRD_MESSAGE_ARROW_MSG &&
            msg->arrow.chunk == NULL)
            status = reel_error_set(err, REEL_INVALID_ARGUMENT, "ArrowMsg without a chunk");
        /* A new stream starts with the store info. */
        if (status == REEL_OK && memory->pending.len == 0 && memory->has_info)
            status = push_info(memory, &memory->info, err);
        if (status == REEL_OK && reel_store_id_copy(&m.store_id, &msg->store_id, NULL) != REEL_OK)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        if (status == REEL_OK) {
            if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG)
                m.chunk = reel_chunk_retain(msg->arrow.chunk);
            status = push_pending(memory, &m, err);
            if (status != REEL_OK) {
                reel_chunk_release(m.chunk);
                reel_store_id_reset(&m.store_id, NULL);
            }
        }
    }
    reel_mutex_unlock(&memory->mutex);
    return status;
}

static reel_status memory_flush(reel_sink *base, uint64_t timeout_ms, reel_error *err)
{
    (void)base, (void)timeout_ms, (void)err;
    return REEL_OK;
}

static reel_status memory_close(reel_sink *base, reel_error *err)
{
    (void)err;
    memory_release(((memory_sink *)base)->memory);
    reel_free(NULL, base, sizeof(memory_sink));
    return REEL_OK;
}

static const reel_sink_vtable memory_vtable = {memory_write, memory_flush, memory_close};

reel_status sdk_sink_memory_create(reel_memory_sink *memory, reel_sink **out, reel_error *err)
{
    memory_sink *sink = reel_alloc_zeroed(NULL, sizeof *sink);
    if (sink == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    atomic_fetch_add(&memory->refs, 1);
    sink->base.vtable = &memory_vtable;
    sink->base.name = "memory";
    sink->memory = memory;
    *out = &sink->base;
    return REEL_OK;
}
