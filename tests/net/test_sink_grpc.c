/* The SDK's gRPC sink (src/sdk/sink_grpc.c) against Reel's proxy server: messages written to
 * the sink arrive as the same messages (store info, chunks with their ids and rows, the
 * blueprint activation), compressed or not; flush and close report what they should. */
#include "net/net_testing.h"
#include "sdk/sink.h"
#include "test.h"

static reel_status write_info(reel_sink *sink, bool blueprint)
{
    reel_rrd_message msg = {0};
    msg.kind = REEL_RRD_MESSAGE_SET_STORE_INFO;
    msg.store_info.store_id = nt_store(blueprint);
    return reel__sink_write(sink, &msg, NULL);
}

typedef struct received {
    int infos, chunks, activations;
    int64_t rows;
    reel_tuid last_chunk_id;
    reel_rrd_compression compression;
} received;

static void decode_all(const nt_web_response *r, received *out)
{
    size_t off = 0;
    while (off + 5 <= r->messages.len) {
        const uint8_t *f = r->messages.data + off;
        uint32_t len = (uint32_t)f[1] << 24 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 8 | f[4];
        reel_rrd_message msg = {0};
        if (CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST, f + 5,
                                             len, NULL, &msg, NULL))) {
            if (msg.kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
                out->infos++;
            if (msg.kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
                out->activations++;
            if (msg.kind == REEL_RRD_MESSAGE_ARROW_MSG) {
                out->chunks++;
                out->rows += msg.arrow.chunk->row_count;
                out->last_chunk_id = msg.arrow.chunk->id;
                out->compression = msg.arrow.compression;
            }
        }
        reel_rrd_message_reset(&msg);
        off += 5 + len;
    }
}

static void run(bool compress)
{
    reel_proxy_server *server = NULL;
    reel_proxy_server_options options = {.port = 0}; /* ephemeral: 9876 may be taken */
    if (!CHECK_OK(reel_proxy_server_create(&options, &server, NULL)))
        return;
    CHECK_OK(reel_proxy_server_start(server, NULL));
    uint16_t port = reel_proxy_server_port(server);
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_sink_grpc_options sink_options = {.url = url, .compress = compress};
    reel_sink *sink = NULL;
    if (!CHECK_OK(reel__sink_grpc_create(&sink_options, &sink, NULL))) {
        reel_proxy_server_destroy(server);
        return;
    }
    CHECK(strstr(sink->name, url) != NULL);
    CHECK_OK(write_info(sink, false));
    reel_tuid last_id = {0};
    for (int i = 0; i < 4; i++) {
        double value = i;
        rt_component comp = {"rerun.archetypes.Scalars",
                             "Scalars:scalars",
                             "rerun.components.Scalar",
                             "double",
                             RT_DOUBLE,
                             &value,
                             1,
                             0};
        reel_chunk *chunk = NULL;
        CHECK_OK(
            rt_chunk("/s", "frame", REEL_TIME_SEQUENCE, i * 10, true, 5, &comp, 1, &chunk, NULL));
        reel_rrd_message msg = {0};
        msg.kind = REEL_RRD_MESSAGE_ARROW_MSG;
        msg.store_id = nt_store(false);
        msg.arrow.chunk = chunk;
        CHECK_OK(reel__sink_write(sink, &msg, NULL));
        last_id = chunk->id;
        reel_chunk_release(chunk);
    }
    CHECK_OK(write_info(sink, true));
    reel_rrd_message activation = {0};
    activation.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION;
    activation.store_id = nt_store(true);
    activation.activation.make_active = true;
    CHECK_OK(reel__sink_write(sink, &activation, NULL));
    CHECK_OK(reel__sink_flush(sink, 10000, NULL));
    CHECK_OK(reel__sink_close(sink, NULL));

    int fd = nt_web_reader(port);
    nt_web_response r = {.trailer_status = -1};
    nt_web_read(fd, &r, 7, 5000);
    CHECK_EQ_INT(r.frames, 7);
    received got = {0};
    decode_all(&r, &got);
    CHECK_EQ_INT(got.infos, 2);
    CHECK_EQ_INT(got.chunks, 4);
    CHECK_EQ_INT(got.activations, 1);
    CHECK_EQ_INT(got.rows, 20);
    CHECK(reel_tuid_compare(got.last_chunk_id, last_id) == 0);
    CHECK_EQ_INT(got.compression, compress ? REEL_RRD_COMPRESSION_LZ4 : REEL_RRD_COMPRESSION_NONE);
    nt_web_response_free(&r);
    close(fd);
    reel_proxy_server_destroy(server);
}

TEST(sink_sends_lz4)
{
    run(true);
}

TEST(sink_sends_uncompressed)
{
    run(false);
}

TEST(sink_refuses_bad_urls)
{
    reel_sink_grpc_options options = {.url = "rerun://example.com/proxy"};
    reel_sink *sink = NULL;
    reel_error err = {0};
    CHECK_EQ_INT(reel__sink_grpc_create(&options, &sink, &err), REEL_UNSUPPORTED);
    CHECK(sink == NULL);
    CHECK_OK(reel__sink_close(NULL, NULL));
}

int main(void)
{
    RUN(sink_sends_lz4);
    RUN(sink_sends_uncompressed);
    RUN(sink_refuses_bad_urls);
    TEST_MAIN_END();
}
