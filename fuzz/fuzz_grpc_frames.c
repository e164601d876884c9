/* libFuzzer target for what the network hands the proxy: the gRPC frame decoder (any piece
 * sizes, with and without gRPC-Web trailers), base64 for gRPC-Web text, and whole server
 * connections without a socket (protocol sniffing, HTTP/1.1 gRPC-Web requests with plain or
 * chunked bodies, h2c sessions through nghttp2, every message through the proxy's decoder and
 * history). Input: a selector byte (bits 0-1 mode: 0 frames, 1 base64, 2 connection, 3
 * connection after an HTTP/2 preface; bit 2 allow trailers), a piece-size byte (0 = all at
 * once), then the bytes. Whatever they are: no crash, no leak, and the decoders' promises hold
 * (abort() otherwise). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/proxy_server.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_grpc_frames: %s\n", what);
    abort();
}

static void fuzz_frames(const uint8_t *data, size_t len, size_t piece, bool trailers)
{
    reel_grpc_frame_decoder d;
    reel_grpc_frame_decoder_init(&d, 1 << 16);
    d.allow_trailers = trailers;
    size_t offset = 0, total = 0;
    while (offset < len) {
        size_t n = piece == 0 || len - offset < piece ? len - offset : piece;
        size_t used = 0;
        bool got = false;
        reel_grpc_frame frame;
        if (reel_grpc_frame_decoder_push(&d, data + offset, n, &used, &frame, &got, NULL) !=
            REEL_OK)
            break;
        if (used > n || (used == 0 && n > 0))
            fail("the decoder made no progress or took too much");
        if (got) {
            if (frame.message.len > (1 << 16))
                fail("a frame over the cap");
            total += 5 + frame.message.len;
        }
        offset += used;
    }
    if (offset == len && reel_grpc_frame_decoder_idle(&d) && total != len)
        fail("frames do not add up to the input");
    reel_grpc_frame_decoder_reset(&d);
}

static void fuzz_base64(const uint8_t *data, size_t len)
{
    reel_buf decoded = {0}, encoded = {0}, again = {0};
    if (reel_net_base64_decode((const char *)data, len, &decoded, NULL) == REEL_OK) {
        if (reel_net_base64_encode(decoded.data, decoded.len, &encoded, NULL) != REEL_OK ||
            reel_net_base64_decode((const char *)encoded.data, encoded.len, &again, NULL) !=
                REEL_OK ||
            again.len != decoded.len ||
            (again.len > 0 && memcmp(again.data, decoded.data, again.len) != 0))
            fail("base64 does not round-trip");
    }
    reel_buf_free(&decoded);
    reel_buf_free(&encoded);
    reel_buf_free(&again);
}

static void fuzz_connection(const uint8_t *data, size_t len, size_t piece, bool preface)
{
    reel_proxy_server_options options = {.memory_limit = 1 << 16, .max_message_bytes = 1 << 16};
    reel_proxy_server *server = reel__proxy_server_create_detached(&options);
    if (server == NULL)
        return;
    reel_buf input = {0};
    if (preface)
        reel_buf_append(&input, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
    reel_buf_append(&input, data, len);
    reel__proxy_server_feed(server, input.data, input.len, piece);
    reel_buf_free(&input);
    /* The limit holds unless only never-dropped messages are left. */
    const reel__proxy_history *h = &server->history;
    uint64_t droppable =
        h->queues[REEL__PROXY_STATIC].bytes + h->queues[REEL__PROXY_TEMPORAL].bytes;
    if (droppable > 0 && reel__proxy_history_bytes(h) > h->memory_limit)
        fail("history above its limit");
    reel_proxy_server_destroy(server);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reel_log_set_level(REEL_LOG_OFF); /* refused messages are expected here */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t selector = data[0];
    size_t piece = data[1];
    data += 2;
    size -= 2;
    switch (selector & 3) {
    case 0:
        fuzz_frames(data, size, piece, (selector & 4) != 0);
        break;
    case 1:
        fuzz_base64(data, size);
        break;
    case 2:
        fuzz_connection(data, size, piece, false);
        break;
    default:
        fuzz_connection(data, size, piece, true);
        break;
    }
    return 0;
}
