/* The batcher thread of a recording stream: takes rows off the queue, groups them into
 * chunks per (entity path, static or not, set of timelines, set of components) as Rerun's
 * batcher does, and
 * hands finished chunks to every sink, in order. A group becomes a chunk when it reaches
 * flush_num_rows or flush_num_bytes; every tick (200 ms for files, 8 ms for network sinks)
 * and on reel_flush_blocking all groups do. Sink errors are logged, counted and kept for the
 * next flush_blocking; they never stop the thread. SIGPIPE is blocked on this thread for its
 * whole life, so a closed pipe is an EPIPE error here and never kills the host. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sdk/sdk_internal.h"

typedef struct pending {
    char *key;
    size_t key_len;
    reel_chunk_builder *builder;
    uint64_t bytes;
    uint64_t rows;
} pending;

typedef struct batcher {
    reel_recording *rec;
    reel_vec groups; /* pending */
    reel_map index;  /* key -> position in groups */
    reel_buf key;
} batcher;

static void record_sink_error(reel_recording *rec, const char *what, const reel_error *error)
{
    atomic_fetch_add(&rec->sink_errors, 1);
    reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "%s: %s", what, error->message);
    reel_mutex_lock(&rec->mutex);
    if (!rec->has_sink_error) {
        rec->has_sink_error = true;
        rec->last_sink_error = *error;
    }
    reel_mutex_unlock(&rec->mutex);
}

static void write_to_sinks(reel_recording *rec, const reel_rrd_message *msg)
{
    for (size_t i = 0; i < rec->n_sinks; i++) {
        reel_error error = {0};
        if (reel__sink_write(rec->sinks[i], msg, &error) != REEL_OK) {
            reel_error_prefix(&error, "sink %s: ", rec->sinks[i]->name);
            record_sink_error(rec, "write", &error);
        }
    }
}

static void send_store_info(reel_recording *rec, reel_sink *sink)
{
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO};
    msg.store_id = rec->store_id;
    msg.store_info.store_id = rec->store_id;
    msg.store_info.source_kind = REEL_STORE_SOURCE_C_SDK;
    msg.store_info.has_source_extra = true;
    reel_error error = {0};
    if (reel__sink_write(sink, &msg, &error) != REEL_OK) {
        reel_error_prefix(&error, "sink %s: ", sink->name);
        record_sink_error(rec, "store info", &error);
    }
}

static void send_chunk(reel_recording *rec, reel_chunk *chunk)
{
    if (!rec->had_sinks) {
        reel_chunk *kept = reel_chunk_retain(chunk);
        if (reel_vec_push(&rec->backlog, &kept) != REEL_OK) {
            reel_chunk_release(kept);
            reel_error error = {0};
            reel_error_set(&error, REEL_OUT_OF_MEMORY, "buffering a chunk before any sink");
            record_sink_error(rec, "buffer", &error);
        }
        return;
    }
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG};
    msg.store_id = rec->store_id;
    msg.arrow.chunk = chunk;
    write_to_sinks(rec, &msg);
    atomic_fetch_add(&rec->chunks_sent, 1);
}

static void finish_group(batcher *b, pending *group)
{
    if (group->rows == 0 || group->builder == NULL)
        return;
    reel_chunk *chunk = NULL;
    reel_error error = {0};
    if (reel_chunk_builder_finish(group->builder, &chunk, &error) != REEL_OK) {
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "building a chunk of %s failed: %s", group->key,
                 error.message);
    } else {
        send_chunk(b->rec, chunk);
        reel_chunk_release(chunk);
    }
    group->rows = 0, group->bytes = 0;
}

static void finish_all(batcher *b)
{
    for (size_t i = 0; i < b->groups.len; i++)
        finish_group(b, &REEL_VEC_AT(&b->groups, pending, i));
}

static void flush_sinks(reel_recording *rec)
{
    for (size_t i = 0; i < rec->n_sinks; i++) {
        reel_error error = {0};
        if (reel__sink_flush(rec->sinks[i], UINT64_MAX, &error) != REEL_OK) {
            reel_error_prefix(&error, "sink %s: ", rec->sinks[i]->name);
            record_sink_error(rec, "flush", &error);
        }
    }
}

static void close_sinks(reel_recording *rec)
{
    for (size_t i = 0; i < rec->n_sinks; i++) {
        reel_error error = {0};
        const char *name = rec->sinks[i]->name;
        char name_copy[256];
        snprintf(name_copy, sizeof name_copy, "%s", name ? name : "?");
        if (reel__sink_close(rec->sinks[i], &error) != REEL_OK) {
            reel_error_prefix(&error, "sink %s: ", name_copy);
            record_sink_error(rec, "close", &error);
        }
    }
    reel_free(NULL, rec->sinks, rec->n_sinks * sizeof *rec->sinks);
    rec->sinks = NULL, rec->n_sinks = 0;
}

static void set_sinks(batcher *b, sdk_item *item)
{
    reel_recording *rec = b->rec;
    finish_all(b);
    flush_sinks(rec);
    close_sinks(rec);
    rec->sinks = item->sinks, rec->n_sinks = item->n_sinks;
    item->sinks = NULL, item->n_sinks = 0;
    rec->tick_ns = item->network ? rec->tick_ns_network : rec->tick_ns_file;
    for (size_t i = 0; i < rec->n_sinks; i++)
        send_store_info(rec, rec->sinks[i]);
    if (!rec->had_sinks) {
        rec->had_sinks = true;
        for (size_t i = 0; i < rec->backlog.len; i++) {
            reel_chunk *chunk = REEL_VEC_AT(&rec->backlog, reel_chunk *, i);
            send_chunk(rec, chunk);
            reel_chunk_release(chunk);
        }
        reel_vec_clear(&rec->backlog);
    }
}

/* Appends `len` bytes; the caller reserved room (make_key sizes the key first). */
static uint8_t *put(uint8_t *at, const void *data, size_t len)
{
    memcpy(at, data, len);
    return at + len;
}

static reel_status make_key(batcher *b, const sdk_item *row)
{
    /* As Rust's batcher: rows of one chunk also share their set of components (descriptors;
     * the builder checks the types). Cells come in the archetype's or the caller's order.
     * The key is sized first and written in one go: this runs once per logged row. */
    enum { MAX_PARTS = 64 };
    size_t lens[MAX_PARTS], n_parts = 0;
    size_t path_len = strlen(row->entity_path) + 1;
    size_t total = path_len + 2;
    bool measured = (size_t)row->n_times + 3 * (size_t)row->n_cells <= MAX_PARTS;
    for (int32_t i = 0; measured && i < row->n_times; i++) {
        lens[n_parts] = strlen(row->times[i].name) + 1;
        total += lens[n_parts++] + 1;
    }
    for (int32_t i = 0; measured && i < row->n_cells; i++) {
        const reel_component_descriptor *d = &row->cells[i].descriptor;
        const char *parts[3] = {d->archetype, d->component, d->component_type};
        for (int k = 0; k < 3; k++) {
            lens[n_parts] = parts[k] ? strlen(parts[k]) + 1 : 1;
            total += lens[n_parts++];
        }
    }
    reel_buf_clear(&b->key);
    if (!measured) {
        /* Rows with very many cells: part by part. */
        REEL_TRY(reel_buf_append(&b->key, row->entity_path, path_len));
        REEL_TRY(reel_buf_append_u8(&b->key, row->is_static));
        for (int32_t i = 0; i < row->n_times; i++) {
            REEL_TRY(reel_buf_append(&b->key, row->times[i].name, strlen(row->times[i].name) + 1));
            REEL_TRY(reel_buf_append_u8(&b->key, (uint8_t)row->times[i].type));
        }
        REEL_TRY(reel_buf_append_u8(&b->key, 0xff));
        for (int32_t i = 0; i < row->n_cells; i++) {
            const reel_component_descriptor *d = &row->cells[i].descriptor;
            const char *parts[3] = {d->archetype, d->component, d->component_type};
            for (int k = 0; k < 3; k++)
                REEL_TRY(reel_buf_append(&b->key, parts[k] ? parts[k] : "",
                                         parts[k] ? strlen(parts[k]) + 1 : 1));
        }
        return REEL_OK;
    }
    REEL_TRY(reel_buf_reserve(&b->key, total));
    uint8_t *at = b->key.data;
    at = put(at, row->entity_path, path_len);
    *at++ = (uint8_t)row->is_static;
    size_t part = 0;
    for (int32_t i = 0; i < row->n_times; i++) {
        at = put(at, row->times[i].name, lens[part++]);
        *at++ = (uint8_t)row->times[i].type;
    }
    *at++ = 0xff;
    for (int32_t i = 0; i < row->n_cells; i++) {
        const reel_component_descriptor *d = &row->cells[i].descriptor;
        const char *parts[3] = {d->archetype, d->component, d->component_type};
        for (int k = 0; k < 3; k++)
            at = put(at, parts[k] ? parts[k] : "", lens[part++]);
    }
    b->key.len = (size_t)(at - b->key.data);
    return REEL_OK;
}

static pending *group_for(batcher *b, const sdk_item *row, reel_error *err)
{
    if (make_key(b, row) != REEL_OK) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    uint64_t position;
    if (reel_map_get(&b->index, b->key.data, b->key.len, &position))
        return &REEL_VEC_AT(&b->groups, pending, position);
    pending group = {0};
    group.key = reel_alloc(NULL, b->key.len);
    group.key_len = b->key.len;
    if (group.key != NULL)
        memcpy(group.key, b->key.data, b->key.len);
    if (group.key == NULL ||
        reel_chunk_builder_create(row->entity_path, &group.builder, err) != REEL_OK ||
        reel_vec_push(&b->groups, &group) != REEL_OK ||
        reel_map_put(&b->index, b->key.data, b->key.len, b->groups.len - 1) != REEL_OK) {
        reel_free(NULL, group.key, group.key_len);
        reel_chunk_builder_destroy(group.builder);
        if (err->status == REEL_OK)
            reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    return &REEL_VEC_AT(&b->groups, pending, b->groups.len - 1);
}

static reel_status add_row_cells(pending *group, const sdk_item *row, reel_error *err)
{
    reel_chunk_cell cells[16] = {0};
    reel_chunk_cell *all =
        row->n_cells <= 16 ? cells : reel_alloc(NULL, (size_t)row->n_cells * sizeof *all);
    if (all == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    for (int32_t i = 0; i < row->n_cells; i++) {
        const sdk_cell *c = &row->cells[i];
        all[i] = (reel_chunk_cell){c->descriptor, c->field, &c->values, 0, c->values.length};
    }
    reel_status status = reel_chunk_builder_add_row(group->builder, row->row_id, row->times,
                                                    row->n_times, all, row->n_cells, err);
    if (all != cells)
        reel_free(NULL, all, (size_t)row->n_cells * sizeof *all);
    return status;
}

static void add_row(batcher *b, const sdk_item *row)
{
    reel_recording *rec = b->rec;
    reel_error error = {0};
    pending *group = group_for(b, row, &error);
    if (group == NULL) {
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "dropping a row of %s: %s", row->entity_path,
                 error.message);
        return;
    }
    if (group->builder == NULL &&
        reel_chunk_builder_create(row->entity_path, &group->builder, &error) != REEL_OK) {
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "dropping a row of %s: %s", row->entity_path,
                 error.message);
        return;
    }
    reel_status status = add_row_cells(group, row, &error);
    if (status == REEL_INVALID_ARGUMENT && group->rows > 0) {
        /* A component changed type or appears twice: start a new chunk for this row. */
        finish_group(b, group);
        reel_error_clear(&error);
        status = add_row_cells(group, row, &error);
    }
    if (status != REEL_OK) {
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "dropping a row of %s: %s", row->entity_path,
                 error.message);
        if (status != REEL_INVALID_ARGUMENT) {
            /* The builder refuses more rows after such a failure: replace it. */
            reel_chunk_builder_destroy(group->builder);
            group->builder = NULL;
            reel_error_clear(&error);
            if (reel_chunk_builder_create(row->entity_path, &group->builder, &error) != REEL_OK)
                reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "%s", error.message);
            group->rows = 0, group->bytes = 0;
        }
        return;
    }
    group->rows++;
    group->bytes += row->byte_size;
    if (group->rows >= rec->flush_num_rows || group->bytes >= rec->flush_num_bytes)
        finish_group(b, group);
}

static void process(batcher *b, sdk_item *item);

/* Everything the logging threads' lanes hold becomes chunks now. */
static void process_lanes(batcher *b)
{
    sdk_item *items = NULL;
    sdk_lanes_collect(b->rec, &items);
    while (items != NULL) {
        sdk_item *next = items->next;
        process(b, items);
        sdk_item_free(items);
        items = next;
    }
}

static void process(batcher *b, sdk_item *item)
{
    reel_recording *rec = b->rec;
    switch (item->kind) {
    case SDK_ITEM_ROW:
        add_row(b, item);
        break;
    case SDK_ITEM_CHUNK:
        send_chunk(rec, item->chunk);
        break;
    case SDK_ITEM_COLUMNS: {
        reel_chunk *chunk = sdk_columns_chunk(item->columns);
        if (chunk != NULL)
            send_chunk(rec, chunk);
        reel_chunk_release(chunk);
        break;
    }
    case SDK_ITEM_SET_SINKS:
        set_sinks(b, item);
        break;
    case SDK_ITEM_ACTIVATION: {
        finish_all(b);
        reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION};
        msg.store_id = rec->store_id;
        msg.activation.make_active = item->make_active;
        msg.activation.make_default = item->make_default;
        if (rec->had_sinks)
            write_to_sinks(rec, &msg);
        else
            reel_log(REEL_LOG_WARN, SDK_LOG_MODULE,
                     "blueprint activation before any sink: not sent");
        break;
    }
    case SDK_ITEM_FLUSH:
        process_lanes(b);
        finish_all(b);
        flush_sinks(rec);
        reel_mutex_lock(&rec->mutex);
        if (item->flush_seq > rec->flush_done)
            rec->flush_done = item->flush_seq;
        reel_cond_broadcast(&rec->flushed);
        reel_mutex_unlock(&rec->mutex);
        break;
    }
}

void sdk_batcher_main(void *arg)
{
    reel_recording *rec = arg;
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, NULL);

    batcher b = {.rec = rec};
    reel_vec_init(&b.groups, sizeof(pending), NULL);
    uint64_t last_tick = reel_clock_monotonic_ns();
    sdk_item *recycled = NULL; /* row blocks to give back to rec->row_pool */
    reel_mutex_lock(&rec->mutex);
    for (;;) {
        while (rec->head == NULL && !rec->shutdown) {
            uint64_t now = reel_clock_monotonic_ns();
            uint64_t due = last_tick + rec->tick_ns;
            if (now >= due)
                break;
            reel_cond_wait_ns(&rec->not_empty, &rec->mutex, due - now);
        }
        sdk_item *items = rec->head;
        rec->head = rec->tail = NULL;
        uint64_t rows = 0, bytes = 0;
        for (sdk_item *it = items; it != NULL; it = it->next)
            if (it->n_rows > 0)
                rows += it->n_rows, bytes += it->byte_size;
        rec->queued_rows -= rows;
        rec->queued_bytes -= bytes;
        bool stop = rec->shutdown && items == NULL;
        reel_cond_broadcast(&rec->not_full);
        reel_mutex_unlock(&rec->mutex);

        while (items != NULL) {
            sdk_item *next = items->next;
            process(&b, items);
            if (items->kind == SDK_ITEM_ROW && items->pooled) {
                sdk_row_release_cells(items);
                items->next = recycled;
                recycled = items;
            } else {
                sdk_item_free(items);
            }
            items = next;
        }
        uint64_t now = reel_clock_monotonic_ns();
        if (now >= last_tick + rec->tick_ns || stop) {
            process_lanes(&b);
            finish_all(&b);
            last_tick = now;
        }
        if (stop)
            break;
        reel_mutex_lock(&rec->mutex);
        /* Row blocks go back to the logging threads; beyond the pool's cap, to the heap. */
        while (recycled != NULL && rec->row_pool_count < SDK_ROW_POOL_MAX) {
            sdk_item *spare = recycled;
            recycled = spare->next;
            spare->next = rec->row_pool;
            rec->row_pool = spare;
            rec->row_pool_count++;
        }
        if (recycled != NULL) {
            reel_mutex_unlock(&rec->mutex);
            sdk_row_blocks_free(recycled);
            recycled = NULL;
            reel_mutex_lock(&rec->mutex);
        }
    }
    sdk_row_blocks_free(recycled);
    process_lanes(&b);
    finish_all(&b);
    if (!rec->had_sinks && rec->backlog.len > 0)
        reel_log(REEL_LOG_WARN, SDK_LOG_MODULE,
                 "recording %s closed without a sink: %zu chunk(s) were never sent",
                 rec->recording_id, rec->backlog.len);
    flush_sinks(rec);
    close_sinks(rec);
    for (size_t i = 0; i < b.groups.len; i++) {
        pending *group = &REEL_VEC_AT(&b.groups, pending, i);
        reel_free(NULL, group->key, group->key_len);
        reel_chunk_builder_destroy(group->builder);
    }
    reel_vec_free(&b.groups);
    reel_map_free(&b.index);
    reel_buf_free(&b.key);
}
