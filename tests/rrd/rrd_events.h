/* Test helper: runs the incremental rrd decoder over bytes fed in pieces of a given size (or
 * as one zero-copy blob) and records what came out — each message's kind, position and a
 * few details, each error's status and text, and finish()'s verdict — so tests can compare
 * runs and assert on positions and messages. */
#ifndef REEL_TESTS_RRD_EVENTS_H
#define REEL_TESTS_RRD_EVENTS_H

#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"
#include "test.h"

#define RE_MAX_EVENTS 256

typedef struct re_event {
    reel_status status; /* REEL_OK: a message; else an error from next() */
    char text[REEL_ERROR_MESSAGE_MAX];
    reel_rrd_message_kind kind;
    uint64_t index, offset, stream_offset;
    uint32_t stream_index;
    reel_tuid chunk_id;
    int64_t rows;
    bool has_chunk;
    int32_t manifests;
} re_event;

typedef struct re_events {
    re_event items[RE_MAX_EVENTS];
    int count;
    int messages, errors;
    reel_status finish;
    reel_error finish_error;
} re_events;

static inline void re_drain(reel_rrd_decoder *d, re_events *out)
{
    for (;;) {
        reel_rrd_message msg = {0};
        reel_error err = {0};
        bool got = false;
        reel_status status = reel_rrd_decoder_next(d, &msg, &got, &err);
        if (status == REEL_OK && !got)
            return;
        if (out->count == RE_MAX_EVENTS) {
            reel_rrd_message_reset(&msg);
            CHECK(!"too many events");
            return;
        }
        re_event *e = &out->items[out->count++];
        memset(e, 0, sizeof *e);
        e->status = status;
        if (status != REEL_OK) {
            out->errors++;
            snprintf(e->text, sizeof e->text, "%s", err.message);
            continue;
        }
        out->messages++;
        e->kind = msg.kind;
        e->index = msg.index;
        e->offset = msg.offset;
        e->stream_offset = msg.stream_offset;
        e->stream_index = msg.stream_index;
        e->chunk_id = msg.arrow.chunk_id;
        e->has_chunk = msg.arrow.chunk != NULL;
        e->rows = msg.arrow.chunk ? msg.arrow.chunk->row_count : -1;
        e->manifests = msg.footer.manifest_count;
        reel_rrd_message_reset(&msg);
    }
}

/* piece == 0: push everything as one blob (zero-copy). */
static inline void re_decode(const uint8_t *data, size_t len, size_t piece,
                             const reel_rrd_decoder_options *options, re_events *out)
{
    memset(out, 0, sizeof *out);
    reel_rrd_decoder *d = NULL;
    if (!CHECK_OK(reel_rrd_decoder_create(options, &d, NULL)))
        return;
    if (piece == 0) {
        reel_blob *blob = reel_blob_copy(NULL, data, len);
        CHECK_OK(reel_rrd_decoder_push_blob(d, blob, NULL));
        reel_blob_release(blob);
        re_drain(d, out);
    } else {
        for (size_t at = 0; at < len; at += piece) {
            CHECK_OK(
                reel_rrd_decoder_push(d, data + at, len - at < piece ? len - at : piece, NULL));
            re_drain(d, out);
        }
    }
    out->finish = reel_rrd_decoder_finish(d, &out->finish_error);
    reel_rrd_decoder_destroy(d);
}

static inline bool re_same(const re_events *a, const re_events *b)
{
    if (!CHECK_EQ_INT(a->count, b->count) || !CHECK_EQ_INT(a->finish, b->finish))
        return false;
    for (int i = 0; i < a->count; i++) {
        const re_event *x = &a->items[i], *y = &b->items[i];
        if (!CHECK_EQ_INT(x->status, y->status) || !CHECK_EQ_STR(x->text, y->text) ||
            !CHECK_EQ_INT(x->kind, y->kind) || !CHECK_EQ_U64(x->offset, y->offset) ||
            !CHECK_EQ_U64(x->chunk_id.inc, y->chunk_id.inc) || !CHECK_EQ_INT(x->rows, y->rows))
            return false;
    }
    return true;
}

#endif
