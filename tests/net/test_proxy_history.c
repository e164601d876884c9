/* Unit tests of the proxy's history with fake frames: replay order (persistent, static,
 * temporal; oldest first), the memory limit (oldest temporal first, then static, never
 * persistent), the frame queue's ring operations, and classification of real messages. */
#include "net/proxy_server.h"
#include "net/net_testing.h"
#include "test.h"

/* A fake frame: `size` bytes whose first byte names it. */
static reel_blob *fake(uint8_t name, size_t size)
{
    uint8_t *data = NULL;
    reel_blob *blob = reel_blob_create(NULL, size, &data);
    memset(data, name, size);
    return blob;
}

typedef struct collected {
    uint8_t names[64];
    int count;
} collected;

static reel_status collect(void *ctx, reel_blob *frame)
{
    collected *c = ctx;
    if (c->count < 64)
        c->names[c->count++] = reel_blob_data(frame)[0];
    return REEL_OK;
}

static void add(reel__proxy_history *h, reel__proxy_class cls, uint8_t name, size_t size)
{
    reel_blob *blob = fake(name, size);
    CHECK_OK(reel__proxy_history_add(h, cls, blob));
    reel_blob_release(blob);
}

TEST(replay_order)
{
    reel__proxy_history h;
    reel__proxy_history_init(&h, 1 << 20);
    add(&h, REEL__PROXY_PERSISTENT, 'I', 10); /* store info */
    add(&h, REEL__PROXY_TEMPORAL, 'a', 10);
    add(&h, REEL__PROXY_STATIC, 'S', 10);
    add(&h, REEL__PROXY_TEMPORAL, 'b', 10);
    add(&h, REEL__PROXY_PERSISTENT, 'B', 10); /* blueprint chunk */
    add(&h, REEL__PROXY_STATIC, 'T', 10);
    add(&h, REEL__PROXY_TEMPORAL, 'c', 10);
    collected c = {0};
    CHECK_OK(reel__proxy_history_replay(&h, collect, &c));
    CHECK_EQ_INT(c.count, 7);
    CHECK_EQ_MEM(c.names, "IBSTabc", 7);
    CHECK_EQ_U64(reel__proxy_history_bytes(&h), 70);
    CHECK_EQ_U64(reel__proxy_history_count(&h), 7);
    reel__proxy_history_free(&h);
}

TEST(limit_drops_temporal_then_static_never_persistent)
{
    reel__proxy_history h;
    reel__proxy_history_init(&h, 100);
    add(&h, REEL__PROXY_PERSISTENT, 'I', 30);
    add(&h, REEL__PROXY_STATIC, 'S', 20);
    add(&h, REEL__PROXY_TEMPORAL, 'a', 20);
    add(&h, REEL__PROXY_TEMPORAL, 'b', 20);
    CHECK_EQ_U64(h.dropped_messages, 0);
    add(&h, REEL__PROXY_TEMPORAL, 'c', 20); /* 110 > 100: the oldest temporal goes */
    collected c = {0};
    CHECK_OK(reel__proxy_history_replay(&h, collect, &c));
    CHECK_EQ_INT(c.count, 4);
    CHECK_EQ_MEM(c.names, "ISbc", 4);
    CHECK_EQ_U64(h.dropped_messages, 1);
    CHECK_EQ_U64(h.dropped_bytes, 20);
    /* A big persistent message: every temporal goes, then static; the persistent ones stay
     * even above the limit. */
    add(&h, REEL__PROXY_PERSISTENT, 'B', 60);
    c.count = 0;
    CHECK_OK(reel__proxy_history_replay(&h, collect, &c));
    CHECK_EQ_INT(c.count, 2);
    CHECK_EQ_MEM(c.names, "IB", 2);
    add(&h, REEL__PROXY_PERSISTENT, 'C', 60);
    c.count = 0;
    CHECK_OK(reel__proxy_history_replay(&h, collect, &c));
    CHECK_EQ_MEM(c.names, "IBC", 3);
    CHECK_EQ_U64(reel__proxy_history_bytes(&h), 150);
    CHECK_EQ_U64(h.dropped_messages, 4);
    /* New temporal data above the limit is dropped right away (nothing else can go). */
    add(&h, REEL__PROXY_TEMPORAL, 'd', 5);
    CHECK_EQ_U64(reel__proxy_history_count(&h), 3);
    reel__proxy_history_free(&h);
}

TEST(queue_ring_operations)
{
    reel__frame_queue q = {0};
    for (int i = 0; i < 40; i++) { /* grows past the first capacity, wraps */
        reel_blob *b = fake((uint8_t)('A' + i % 26), 2);
        CHECK_OK(reel__frame_queue_push(&q, b));
        reel_blob_release(b);
        if (i % 3 == 0)
            reel_blob_release(reel__frame_queue_pop(&q));
    }
    CHECK_EQ_U64(q.count, 26);
    CHECK_EQ_U64(q.bytes, 52);
    reel_blob *b = reel__frame_queue_remove_at(&q, 5);
    CHECK(b != NULL);
    reel_blob_release(b);
    reel_blob *front = fake('z', 3);
    CHECK_OK(reel__frame_queue_push_front(&q, front));
    reel_blob_release(front);
    CHECK_EQ_INT(reel_blob_data(reel__frame_queue_front(&q))[0], 'z');
    CHECK_EQ_U64(q.count, 26);
    CHECK_EQ_U64(q.bytes, 53);
    CHECK(reel__frame_queue_remove_at(&q, 26) == NULL);
    reel__frame_queue_free(&q);
    CHECK_EQ_U64(q.count, 0);
}

TEST(classify_real_messages)
{
    struct {
        bool blueprint, is_static, info;
        reel__proxy_class want;
    } cases[] = {
        {false, false, true, REEL__PROXY_PERSISTENT}, {true, false, true, REEL__PROXY_PERSISTENT},
        {false, false, false, REEL__PROXY_TEMPORAL},  {false, true, false, REEL__PROXY_STATIC},
        {true, false, false, REEL__PROXY_PERSISTENT}, {true, true, false, REEL__PROXY_PERSISTENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reel_buf req = {0};
        if (cases[i].info)
            CHECK_OK(nt_store_info_request(cases[i].blueprint, &req));
        else
            CHECK_OK(
                nt_chunk_request(cases[i].blueprint, "/e", cases[i].is_static, 0, 3, 1.0, &req));
        CHECK_EQ_INT(reel__request_peek_kind(req.data, req.len), cases[i].info ? 1 : 2);
        reel_rrd_message msg = {0};
        CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST, req.data,
                                         req.len, NULL, &msg, NULL));
        CHECK_EQ_INT(reel__proxy_classify(&msg), cases[i].want);
        reel_rrd_message_reset(&msg);
        reel_buf_free(&req);
    }
}

/* A socketless server fed an HTTP/1.1 gRPC-Web request byte by byte (chunked body). */
TEST(detached_server_takes_chunked_web_writes)
{
    reel_proxy_server *server = reel__proxy_server_create_detached(NULL);
    if (!CHECK(server != NULL))
        return;
    reel_buf body = {0}, req = {0}, input = {0};
    CHECK_OK(nt_store_info_request(false, &req));
    CHECK_OK(reel_grpc_frame_append(&body, 0, req.data, req.len, NULL));
    for (int i = 0; i < 2; i++) {
        reel_buf_clear(&req);
        CHECK_OK(nt_chunk_request(false, "/e", i == 1, i, 2, 1.0, &req));
        CHECK_OK(reel_grpc_frame_append(&body, 0, req.data, req.len, NULL));
    }
    reel_buf_printf(&input,
                    "POST %s HTTP/1.1\r\nContent-Type: application/grpc-web+proto\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n",
                    REEL_GRPC_PATH_WRITE_MESSAGES);
    for (size_t off = 0; off < body.len; off += 100) {
        size_t n = body.len - off < 100 ? body.len - off : 100;
        reel_buf_printf(&input, "%zx\r\n", n);
        reel_buf_append(&input, body.data + off, n);
        reel_buf_printf(&input, "\r\n");
    }
    reel_buf_printf(&input, "0\r\n\r\n");
    reel__proxy_server_feed(server, input.data, input.len, 1);
    reel_proxy_server_stats stats;
    reel_proxy_server_stats_get(server, &stats);
    CHECK_EQ_U64(stats.messages_received, 3);
    CHECK_EQ_U64(stats.messages_rejected, 0);
    CHECK_EQ_U64(stats.connections, 0);
    CHECK_EQ_U64(stats.writers, 0);
    collected c = {0};
    CHECK_OK(reel__proxy_history_replay(&server->history, collect, &c));
    CHECK_EQ_INT(c.count, 3);
    reel_buf_free(&body);
    reel_buf_free(&req);
    reel_buf_free(&input);
    reel_proxy_server_destroy(server);
}

int main(void)
{
    RUN(replay_order);
    RUN(limit_drops_temporal_then_static_never_persistent);
    RUN(queue_ring_operations);
    RUN(classify_real_messages);
    RUN(detached_server_takes_chunked_web_writes);
    TEST_MAIN_END();
}
