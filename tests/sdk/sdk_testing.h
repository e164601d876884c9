/* Helpers for the sdk unit tests: a recording writing to a memory sink, and the decoded
 * content of what it wrote (store infos, chunks, footer), with cells as JSON text. */
#ifndef REEL_SDK_TESTING_H
#define REEL_SDK_TESTING_H

#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"
#include "test.h"

#include "reel/reel.h"

#define SDK_TEST_MAX_CHUNKS 4096

typedef struct decoded {
    int n_infos;
    int n_chunks;
    reel_chunk *chunks[SDK_TEST_MAX_CHUNKS];
    bool has_end;
    bool info_first;
    reel_status status;
} decoded;

static inline void decoded_reset(decoded *d)
{
    for (int i = 0; i < d->n_chunks; i++)
        reel_chunk_release(d->chunks[i]);
    memset(d, 0, sizeof *d);
}

static inline void decode_bytes(const uint8_t *data, size_t len, decoded *d)
{
    memset(d, 0, sizeof *d);
    reel_rrd_decoder *decoder = NULL;
    reel_error err = {0};
    if (!CHECK_OK(reel_rrd_decoder_create(NULL, &decoder, &err)))
        return;
    if (len > 0)
        CHECK_OK(reel_rrd_decoder_push(decoder, data, len, &err));
    int index = 0;
    for (;;) {
        reel_rrd_message msg = {0};
        bool got = false;
        reel_status status = reel_rrd_decoder_next(decoder, &msg, &got, &err);
        if (status != REEL_OK) {
            fprintf(stderr, "decode: %s\n", err.message);
            d->status = status;
            break;
        }
        if (!got)
            break;
        if (msg.kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
            if (index == 0)
                d->info_first = true;
            d->n_infos++;
        } else if (msg.kind == REEL_RRD_MESSAGE_ARROW_MSG && d->n_chunks < SDK_TEST_MAX_CHUNKS) {
            d->chunks[d->n_chunks++] = reel_chunk_retain(msg.arrow.chunk);
        } else if (msg.kind == REEL_RRD_MESSAGE_END) {
            d->has_end = true;
        }
        index++;
        reel_rrd_message_reset(&msg);
    }
    if (len > 0 && d->status == REEL_OK)
        d->status = reel_rrd_decoder_finish(decoder, &err);
    reel_rrd_decoder_destroy(decoder);
}

/* Flushes `rec`, takes the memory sink's bytes and decodes them. */
static inline void take_decoded(reel_recording *rec, reel_memory_sink *memory, decoded *d)
{
    reel_error err = {0};
    CHECK_OK(reel_flush_blocking(rec, 30, &err));
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK_OK(reel_memory_sink_take(memory, &data, &len, &err));
    decode_bytes(data, len, d);
    CHECK_EQ_INT(d->status, REEL_OK);
    free(data);
}

static inline reel_recording *memory_recording(reel_recording_options options,
                                               reel_memory_sink **memory)
{
    reel_recording *rec = NULL;
    reel_error err = {0};
    if (options.application_id == NULL)
        options.application_id = "sdk_test";
    options.no_properties = true;
    CHECK_OK(reel_recording_create(&options, &rec, &err));
    CHECK_OK(reel_memory_sink_create(memory, &err));
    CHECK_OK(reel_memory(rec, *memory, &err));
    return rec;
}

/* Rows of `entity` over all chunks. */
static inline int64_t rows_of(const decoded *d, const char *entity)
{
    int64_t rows = 0;
    for (int i = 0; i < d->n_chunks; i++)
        if (strcmp(d->chunks[i]->entity_path, entity) == 0)
            rows += d->chunks[i]->row_count;
    return rows;
}

/* The first chunk of `entity` (in order), or NULL. */
static inline const reel_chunk *chunk_of(const decoded *d, const char *entity, int nth)
{
    for (int i = 0; i < d->n_chunks; i++)
        if (strcmp(d->chunks[i]->entity_path, entity) == 0 && nth-- == 0)
            return d->chunks[i];
    return NULL;
}

/* Row `row` of component `component` as JSON ("null" when absent); `out` holds 512 B. */
static inline const char *cell_json(const reel_chunk *chunk, const char *component, int64_t row,
                                    char out[512])
{
    snprintf(out, 512, "absent");
    const reel_chunk_component *c = chunk ? reel_chunk_find_component(chunk, component) : NULL;
    if (c == NULL)
        return out;
    reel_buf buf = {0};
    reel_arrow_value_to_json(&c->field, &c->lists, row, &buf);
    snprintf(out, 512, "%.*s", (int)buf.len, (const char *)buf.data);
    reel_buf_free(&buf);
    return out;
}

static inline int64_t time_of(const reel_chunk *chunk, const char *timeline, int64_t row)
{
    const reel_chunk_timeline *t = chunk ? reel_chunk_find_timeline(chunk, timeline) : NULL;
    return t ? reel_arrow_array_get_int(&t->field, &t->times, row) : INT64_MIN;
}

#endif
