/* The memory sink: the batcher writes an .rrd stream into a buffer that the user takes
 * with reel_memory_sink_take (any thread). Each take finishes the stream (footer included)
 * and hands it over; the next write starts a new stream with the store info again. The
 * public object is reference counted between the user and the stream's sink. */
#include <stdlib.h>
#include <string.h>

#include "sdk/sdk_internal.h"

struct reel_memory_sink {
    reel_mutex mutex;
    atomic_int refs;
    reel_buf bytes;
    reel_rrd_writer *writer; /* NULL until the first message of a stream */
    bool has_info;
    reel_store_info info;  /* the store info, repeated at the start of each stream */
    reel_store_id info_id; /* owned strings the info points at */
};

typedef struct memory_sink {
    reel_sink base;
    reel_memory_sink *memory;
} memory_sink;

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
    *out = memory;
    return REEL_OK;
}

static void memory_release(reel_memory_sink *memory)
{
    if (memory == NULL || atomic_fetch_sub(&memory->refs, 1) != 1)
        return;
    reel_rrd_writer_destroy(memory->writer);
    reel_buf_free(&memory->bytes);
    reel_store_id_reset(&memory->info_id, NULL);
    reel_mutex_destroy(&memory->mutex);
    reel_free(NULL, memory, sizeof *memory);
}

void reel_memory_sink_destroy(reel_memory_sink *memory)
{
    memory_release(memory);
}

/* Called with the mutex held. */
static reel_status ensure_writer(reel_memory_sink *memory, reel_error *err)
{
    if (memory->writer != NULL)
        return REEL_OK;
    reel_rrd_sink bytes = reel_rrd_sink_buf(&memory->bytes);
    reel_rrd_writer_options options = {.name = "memory"};
    REEL_TRY(reel_rrd_writer_create(&bytes, &options, &memory->writer, err));
    if (memory->has_info)
        return reel_rrd_writer_write_store_info(memory->writer, &memory->info, err);
    return REEL_OK;
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
    reel_status status = REEL_OK;
    reel_mutex_lock(&memory->mutex);
    if (memory->writer != NULL) {
        status = reel_rrd_writer_finish(memory->writer, err);
        reel_rrd_writer_destroy(memory->writer);
        memory->writer = NULL;
    }
    if (status == REEL_OK && memory->bytes.len > 0) {
        uint8_t *copy = malloc(memory->bytes.len);
        if (copy == NULL) {
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        } else {
            memcpy(copy, memory->bytes.data, memory->bytes.len);
            *data = copy, *len = memory->bytes.len;
        }
    }
    reel_buf_free(&memory->bytes);
    reel_mutex_unlock(&memory->mutex);
    return status == REEL_OK ? REEL_OK : sdk_fail("reel_memory_sink_take", err);
}

static reel_status memory_write(reel_sink *base, const reel_rrd_message *msg, reel_error *err)
{
    reel_memory_sink *memory = ((memory_sink *)base)->memory;
    reel_status status = REEL_OK;
    reel_mutex_lock(&memory->mutex);
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        reel_store_id_reset(&memory->info_id, NULL);
        status = reel_store_id_copy(&memory->info_id, &msg->store_info.store_id, NULL);
        memory->info = msg->store_info;
        memory->info.store_id = memory->info_id;
        memory->info.source_extra = NULL, memory->info.source_extra_len = 0;
        memory->has_info = status == REEL_OK;
        /* A new store info starts a new stream only if one is open: write it there. */
        if (status == REEL_OK && memory->writer != NULL)
            status = reel_rrd_writer_write_store_info(memory->writer, &memory->info, err);
        else if (status == REEL_OK)
            status = ensure_writer(memory, err);
    } else {
        status = ensure_writer(memory, err);
        if (status == REEL_OK && msg->kind == REEL_RRD_MESSAGE_ARROW_MSG)
            status =
                reel_rrd_writer_write_chunk(memory->writer, &msg->store_id, msg->arrow.chunk, err);
        else if (status == REEL_OK && msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
            status = reel_rrd_writer_write_blueprint_activation(memory->writer, &msg->store_id,
                                                                msg->activation.make_active,
                                                                msg->activation.make_default, err);
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
