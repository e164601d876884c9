/* The proxy's memory: a FIFO of shared frames, and the history of Rerun's message proxy
 * (persistent / static / temporal queues, replayed in that order to a late reader; the memory
 * limit drops the oldest temporal recording chunks first, then static ones, never the
 * persistent queue). Pure logic: no sockets, so unit tests drive it with fake frames. */
#include <string.h>

#include "net/net_internal.h"

static reel_status queue_grow(reel__frame_queue *q);

reel_status reel__frame_queue_push(reel__frame_queue *q, reel_blob *blob)
{
    if (q->count == q->cap)
        REEL_TRY(queue_grow(q));
    q->items[(q->head + q->count) % q->cap] = reel_blob_retain(blob);
    q->count++;
    q->bytes += reel_blob_len(blob);
    return REEL_OK;
}

static reel_status queue_grow(reel__frame_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 16;
    reel_blob **items = reel_alloc(NULL, cap * sizeof *items);
    if (items == NULL)
        return REEL_OUT_OF_MEMORY;
    for (size_t i = 0; i < q->count; i++)
        items[i] = q->items[(q->head + i) % q->cap];
    reel_free(NULL, q->items, q->cap * sizeof *items);
    q->items = items;
    q->cap = cap;
    q->head = 0;
    return REEL_OK;
}

reel_status reel__frame_queue_push_front(reel__frame_queue *q, reel_blob *blob)
{
    if (q->count == q->cap)
        REEL_TRY(queue_grow(q));
    q->head = (q->head + q->cap - 1) % q->cap;
    q->items[q->head] = reel_blob_retain(blob);
    q->count++;
    q->bytes += reel_blob_len(blob);
    return REEL_OK;
}

reel_blob *reel__frame_queue_remove_at(reel__frame_queue *q, size_t i)
{
    if (i >= q->count)
        return NULL;
    reel_blob *blob = q->items[(q->head + i) % q->cap];
    /* Shift the older items one place towards the back. */
    for (size_t j = i; j > 0; j--)
        q->items[(q->head + j) % q->cap] = q->items[(q->head + j - 1) % q->cap];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    q->bytes -= reel_blob_len(blob);
    return blob;
}

reel_blob *reel__frame_queue_pop(reel__frame_queue *q)
{
    if (q->count == 0)
        return NULL;
    reel_blob *blob = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    q->bytes -= reel_blob_len(blob);
    return blob;
}

reel_blob *reel__frame_queue_front(const reel__frame_queue *q)
{
    return q->count ? q->items[q->head] : NULL;
}

reel_blob *reel__frame_queue_at(const reel__frame_queue *q, size_t i)
{
    return i < q->count ? q->items[(q->head + i) % q->cap] : NULL;
}

void reel__frame_queue_free(reel__frame_queue *q)
{
    if (q == NULL)
        return;
    reel_blob *blob;
    while ((blob = reel__frame_queue_pop(q)) != NULL)
        reel_blob_release(blob);
    reel_free(NULL, q->items, q->cap * sizeof *q->items);
    memset(q, 0, sizeof *q);
}

reel__proxy_class reel__proxy_classify(const reel_rrd_message *msg)
{
    if (msg->kind != REEL_RRD_MESSAGE_ARROW_MSG)
        return REEL__PROXY_PERSISTENT;
    if (msg->store_id.kind == REEL_STORE_KIND_BLUEPRINT)
        return REEL__PROXY_PERSISTENT;
    bool is_static = msg->arrow.chunk != NULL ? msg->arrow.chunk->is_static
                                              : (msg->arrow.has_is_static && msg->arrow.is_static);
    return is_static ? REEL__PROXY_STATIC : REEL__PROXY_TEMPORAL;
}

void reel__proxy_history_init(reel__proxy_history *h, uint64_t memory_limit)
{
    memset(h, 0, sizeof *h);
    h->memory_limit = memory_limit;
}

uint64_t reel__proxy_history_bytes(const reel__proxy_history *h)
{
    return h->queues[0].bytes + h->queues[1].bytes + h->queues[2].bytes;
}

uint64_t reel__proxy_history_count(const reel__proxy_history *h)
{
    return h->queues[0].count + h->queues[1].count + h->queues[2].count;
}

reel_status reel__proxy_history_add(reel__proxy_history *h, reel__proxy_class cls, reel_blob *frame)
{
    REEL_TRY(reel__frame_queue_push(&h->queues[cls], frame));
    while (reel__proxy_history_bytes(h) > h->memory_limit) {
        reel__frame_queue *victim = h->queues[REEL__PROXY_TEMPORAL].count
                                        ? &h->queues[REEL__PROXY_TEMPORAL]
                                        : &h->queues[REEL__PROXY_STATIC];
        reel_blob *old = reel__frame_queue_pop(victim);
        if (old == NULL)
            break; /* only persistent messages left: they stay */
        h->dropped_messages++;
        h->dropped_bytes += reel_blob_len(old);
        reel_blob_release(old);
    }
    return REEL_OK;
}

reel_status reel__proxy_history_replay(const reel__proxy_history *h,
                                       reel_status (*fn)(void *ctx, reel_blob *frame), void *ctx)
{
    for (int q = 0; q < 3; q++) {
        for (size_t i = 0; i < h->queues[q].count; i++)
            REEL_TRY(fn(ctx, reel__frame_queue_at(&h->queues[q], i)));
    }
    return REEL_OK;
}

void reel__proxy_history_free(reel__proxy_history *h)
{
    for (int q = 0; q < 3; q++)
        reel__frame_queue_free(&h->queues[q]);
}

int reel__request_peek_kind(const uint8_t *request, size_t len)
{
    /* WriteMessagesRequest: field 1 (LogMsg, tag 0x0a) + varint length; LogMsg: the oneof
     * field's tag (0x0a, 0x12, 0x1a). Protobuf allows other fields first; then we say 0. */
    if (len < 3 || request[0] != 0x0a)
        return 0;
    size_t i = 1;
    for (int shift = 0; i < len && shift < 64; shift += 7) {
        if ((request[i++] & 0x80) == 0)
            break;
    }
    if (i >= len)
        return 0;
    switch (request[i]) {
    case 0x0a:
        return 1;
    case 0x12:
        return 2;
    case 0x1a:
        return 3;
    default:
        return 0;
    }
}
