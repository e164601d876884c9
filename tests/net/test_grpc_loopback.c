/* Loopback tests of the proxy server and the gRPC client on 127.0.0.1 (ephemeral ports):
 * client -> server -> readers (history replay in Rerun's order, then live), the --save file,
 * hostile clients (garbage bytes, broken HTTP/2, bad gRPC framing, huge lengths, undecodable
 * protobuf, over gRPC-Web and h2c) costing only their own stream or connection, CORS, and a
 * server killed mid-stream: the client survives, buffers, drops the oldest and says so, then
 * reconnects to the new server and sends the store info again first. */
#include <stdatomic.h>

#include "net/net_testing.h"
#include "test.h"

static atomic_int drop_logs;
static atomic_int reconnect_logs;

static void capture_log(void *ctx, reel_log_level level, const char *module, const char *message)
{
    (void)ctx;
    if (strstr(message, "dropped") != NULL || strstr(message, "lost") != NULL)
        atomic_fetch_add(&drop_logs, 1);
    if (strstr(message, "reconnected") != NULL)
        atomic_fetch_add(&reconnect_logs, 1);
    if (level >= REEL_LOG_WARN && getenv("NET_TEST_VERBOSE"))
        fprintf(stderr, "[%s %s] %s\n", reel_log_level_name(level), module, message);
}

static reel_proxy_server *start_server(uint16_t port, const char *save_path, uint64_t limit)
{
    reel_proxy_server_options options = {
        .port = port, .save_path = save_path, .memory_limit = limit};
    reel_proxy_server *server = NULL;
    reel_error err = {0};
    /* The port of a server just stopped may take a moment to free up. */
    for (int attempt = 0; attempt < 50; attempt++) {
        if (reel_proxy_server_create(&options, &server, &err) == REEL_OK)
            break;
        usleep(100000);
    }
    if (!CHECK(server != NULL)) {
        fprintf(stderr, "%s\n", err.message);
        return NULL;
    }
    CHECK_OK(reel_proxy_server_start(server, NULL));
    return server;
}

static reel_grpc_client *start_client(uint16_t port, uint64_t max_buffer)
{
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_client_options options = {
        .url = url, .retry_ms = 50, .max_buffer_bytes = max_buffer, .close_timeout_ms = 5000};
    reel_grpc_client *client = NULL;
    CHECK_OK(reel_grpc_client_create(&options, &client, NULL));
    return client;
}

static void send_info(reel_grpc_client *client)
{
    reel_buf req = {0};
    CHECK_OK(nt_store_info_request(false, &req));
    CHECK_OK(reel_grpc_client_send(client, req.data, req.len, NULL));
    reel_buf_free(&req);
}

static void send_chunk(reel_grpc_client *client, bool is_static, int64_t time, int64_t rows)
{
    reel_buf req = {0};
    CHECK_OK(nt_chunk_request(false, "/scalar", is_static, time, rows, (double)time, &req));
    CHECK_OK(reel_grpc_client_send(client, req.data, req.len, NULL));
    reel_buf_free(&req);
}

static bool wait_for(reel_proxy_server *server, uint64_t received, int timeout_ms)
{
    for (int i = 0; i < timeout_ms / 10; i++) {
        reel_proxy_server_stats stats;
        reel_proxy_server_stats_get(server, &stats);
        if (stats.messages_received >= received)
            return true;
        usleep(10000);
    }
    return false;
}

typedef struct save_count {
    int infos, chunks, ends, errors;
} save_count;

static reel_status count_saved(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    save_count *c = ctx;
    (void)msg_error;
    if (msg == NULL)
        c->errors++;
    else if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
        c->infos++;
    else if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG)
        c->chunks++;
    else if (msg->kind == REEL_RRD_MESSAGE_END)
        c->ends++;
    return REEL_OK;
}

TEST(client_server_readers_and_save)
{
    char save_path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(save_path, sizeof save_path, "%s/reel_net_test_%d.rrd", tmp && *tmp ? tmp : "/tmp",
             (int)getpid());
    reel_proxy_server *server = start_server(0, save_path, 0);
    if (server == NULL)
        return;
    uint16_t port = reel_proxy_server_port(server);
    CHECK(port != 0);
    reel_grpc_client *client = start_client(port, 0);

    send_info(client);
    for (int i = 0; i < 5; i++)
        send_chunk(client, false, i * 10, 3);
    send_chunk(client, true, 0, 1);
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));
    reel_grpc_client_stats cstats;
    reel_grpc_client_stats_get(client, &cstats);
    CHECK_EQ_U64(cstats.sent_messages, 7);
    CHECK_EQ_U64(cstats.dropped_messages, 0);
    CHECK(cstats.connected);
    CHECK(wait_for(server, 7, 5000));

    /* A late reader gets the history: store info, static chunk, then the temporal ones. */
    int fd = nt_web_reader(port);
    CHECK(fd >= 0);
    nt_web_response r = {.trailer_status = -1};
    nt_web_read(fd, &r, 7, 5000);
    CHECK_EQ_INT(r.http_status, 200);
    CHECK_EQ_INT(r.frames, 7);
    if (r.frames == 7) {
        CHECK_EQ_INT(nt_frame_kind(&r, 0), 1);
        CHECK_EQ_INT(nt_frame_kind(&r, 1), 20);
        for (int i = 2; i < 7; i++)
            CHECK_EQ_INT(nt_frame_kind(&r, i), 2);
    }
    /* Then live messages. */
    for (int i = 5; i < 8; i++)
        send_chunk(client, false, i * 10, 2);
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));
    nt_web_read(fd, &r, 10, 5000);
    CHECK_EQ_INT(r.frames, 10);
    CHECK_EQ_INT(r.trailer_status, -1);

    reel_error err = {0};
    CHECK_OK(reel_grpc_client_close(client, &err));
    reel_proxy_server_stats stats;
    reel_proxy_server_stats_get(server, &stats);
    CHECK_EQ_U64(stats.messages_received, 10);
    CHECK_EQ_U64(stats.messages_rejected, 0);
    CHECK_EQ_U64(stats.readers, 1);
    close(fd);
    nt_web_response_free(&r);
    reel_proxy_server_destroy(server);

    /* The save file holds everything, with a footer. */
    save_count c = {0};
    CHECK_OK(reel_rrd_read_path(save_path, NULL, count_saved, &c, NULL));
    CHECK_EQ_INT(c.infos, 1);
    CHECK_EQ_INT(c.chunks, 9);
    CHECK_EQ_INT(c.ends, 1);
    CHECK_EQ_INT(c.errors, 0);
    unlink(save_path);
}

/* Posts a gRPC-Web WriteMessages body and returns the trailers' grpc-status (-1: none). */
static int web_write(uint16_t port, const char *content_type, const void *body, size_t len)
{
    int fd = nt_web_post(port, REEL_GRPC_PATH_WRITE_MESSAGES, content_type, body, len);
    if (fd < 0)
        return -3;
    nt_web_response r = {.trailer_status = -1};
    nt_web_read(fd, &r, 1000, 5000);
    int status = r.http_status == 200 ? r.trailer_status : -4;
    nt_web_response_free(&r);
    close(fd);
    return status;
}

static bool closed_by_server(int fd)
{
    reel_buf junk = {0};
    bool eof = false;
    for (int i = 0; i < 100 && !eof; i++)
        eof = !nt_read_some(fd, &junk, 20);
    reel_buf_free(&junk);
    return eof;
}

TEST(garbage_clients_lose_only_themselves)
{
    reel_proxy_server *server = start_server(0, NULL, 0);
    if (server == NULL)
        return;
    uint16_t port = reel_proxy_server_port(server);

    /* Neither HTTP/2 nor HTTP/1.1: the connection is closed. */
    int fd = nt_connect(port);
    CHECK(nt_send_all(fd, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
    CHECK(closed_by_server(fd));
    close(fd);
    /* The HTTP/2 preface followed by garbage frames. */
    fd = nt_connect(port);
    const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    CHECK(nt_send_all(fd, preface, 24));
    CHECK(nt_send_all(fd, "\x00\x00\x04\x99\xff\xff\xff\xff\xff garbage", 18));
    CHECK(closed_by_server(fd));
    close(fd);
    /* A malformed HTTP/1.1 request. */
    fd = nt_connect(port);
    CHECK(nt_send_all(fd, "GET\r\n\r\n", 7));
    CHECK(closed_by_server(fd));
    close(fd);

    /* gRPC-Web writes with bad framing, a huge length, undecodable protobuf, a cut frame. */
    const uint8_t bad_flags[] = {0x42, 0, 0, 0, 1, 0};
    const uint8_t huge[] = {0, 0xff, 0xff, 0xff, 0xf0, 1, 2, 3};
    const uint8_t garbage_pb[] = {0, 0, 0, 0, 4, 0x0a, 0xff, 0xff, 0xff};
    const uint8_t cut[] = {0, 0, 0, 0, 40, 0x0a, 0x02};
    CHECK(web_write(port, "application/grpc-web+proto", bad_flags, sizeof bad_flags) > 0);
    CHECK_EQ_INT(web_write(port, "application/grpc-web+proto", huge, sizeof huge),
                 REEL_GRPC_RESOURCE_EXHAUSTED);
    CHECK_EQ_INT(web_write(port, "application/grpc-web+proto", garbage_pb, sizeof garbage_pb),
                 REEL_GRPC_INVALID_ARGUMENT);
    CHECK_EQ_INT(web_write(port, "application/grpc-web+proto", cut, sizeof cut),
                 REEL_GRPC_INVALID_ARGUMENT);
    CHECK(web_write(port, "application/grpc-web-text", "!!!!", 4) > 0);

    /* A good gRPC-Web write, binary and text. */
    reel_buf req = {0}, frame = {0}, text = {0};
    CHECK_OK(nt_store_info_request(false, &req));
    CHECK_OK(reel_grpc_frame_append(&frame, 0, req.data, req.len, NULL));
    CHECK_EQ_INT(web_write(port, "application/grpc-web+proto", frame.data, frame.len), 0);
    CHECK_OK(reel_net_base64_encode(frame.data, frame.len, &text, NULL));
    CHECK_EQ_INT(web_write(port, "application/grpc-web-text", text.data, text.len), 0);
    reel_buf_free(&req);
    reel_buf_free(&frame);
    reel_buf_free(&text);

    /* An h2c client sending an undecodable message: its call ends with an error status, the
     * client reconnects on its own and what it sends later arrives. */
    reel_grpc_client *client = start_client(port, 0);
    CHECK_OK(reel_grpc_client_send(client, (const uint8_t *)"\x0a\x03\xff\xff\xff", 5, NULL));
    CHECK_OK(reel_grpc_client_flush(client, 5000, NULL));
    reel_proxy_server_stats stats;
    for (int i = 0; i < 500; i++) {
        reel_grpc_client_stats cstats;
        reel_grpc_client_stats_get(client, &cstats);
        if (cstats.reconnects >= 1 && cstats.connected)
            break;
        usleep(10000);
    }
    send_info(client);
    send_chunk(client, false, 1, 1);
    CHECK_OK(reel_grpc_client_flush(client, 5000, NULL));
    CHECK(wait_for(server, 4, 5000));
    CHECK_OK(reel_grpc_client_close(client, NULL));
    reel_proxy_server_stats_get(server, &stats);
    CHECK_EQ_U64(stats.messages_received, 4); /* 2 web infos, 1 h2 info, 1 chunk */
    CHECK(stats.messages_rejected >= 6);

    /* Still serving: a reader gets exactly the good messages. */
    fd = nt_web_reader(port);
    nt_web_response r = {.trailer_status = -1};
    nt_web_read(fd, &r, 4, 5000);
    CHECK_EQ_INT(r.frames, 4);
    nt_web_response_free(&r);
    close(fd);

    /* CORS: preflight for an allowed origin; nothing for another; 404 for other paths;
     * UNIMPLEMENTED for other gRPC methods. */
    fd = nt_connect(port);
    const char *preflight = "OPTIONS " REEL_GRPC_PATH_READ_MESSAGES " HTTP/1.1\r\n"
                            "Host: x\r\nOrigin: http://localhost:9090\r\n"
                            "Access-Control-Request-Method: POST\r\n"
                            "Access-Control-Request-Headers: content-type,x-grpc-web\r\n\r\n";
    CHECK(nt_send_all(fd, preflight, strlen(preflight)));
    reel_buf head = {0};
    for (int i = 0; i < 50 && !nt_find(head.data, head.len, "\r\n\r\n", 4); i++)
        nt_read_some(fd, &head, 20);
    CHECK(nt_find(head.data, head.len, "HTTP/1.1 204", 12) != NULL);
    const char *allow = "Access-Control-Allow-Origin: http://localhost:9090\r\n";
    if (!CHECK(nt_find(head.data, head.len, allow, strlen(allow))))
        fprintf(stderr, "%.*s\n", (int)head.len, (const char *)head.data);
    const char *allow_headers = "Access-Control-Allow-Headers: content-type,x-grpc-web\r\n";
    CHECK(nt_find(head.data, head.len, allow_headers, strlen(allow_headers)));
    reel_buf_clear(&head);
    /* Keep-alive: a second preflight on the same connection, from a foreign origin. */
    const char *foreign = "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n";
    CHECK(nt_send_all(fd, foreign, strlen(foreign)));
    for (int i = 0; i < 50 && !nt_find(head.data, head.len, "\r\n\r\n", 4); i++)
        nt_read_some(fd, &head, 20);
    CHECK(nt_find(head.data, head.len, "HTTP/1.1 204", 12) != NULL);
    CHECK(nt_find(head.data, head.len, "Access-Control-Allow-Origin", 27) == NULL);
    reel_buf_free(&head);
    close(fd);
    fd = nt_connect(port);
    CHECK(nt_send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27));
    reel_buf body = {0};
    for (int i = 0; i < 50 && nt_read_some(fd, &body, 20);)
        i++;
    CHECK(nt_find(body.data, body.len, "HTTP/1.1 404", 12) != NULL);
    reel_buf_free(&body);
    close(fd);
    const uint8_t empty[5] = {0};
    fd = nt_web_post(port, "/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteTable",
                     "application/grpc-web+proto", empty, 5);
    nt_web_response r2 = {.trailer_status = -1};
    nt_web_read(fd, &r2, 1, 5000);
    CHECK_EQ_INT(r2.trailer_status, REEL_GRPC_UNIMPLEMENTED);
    nt_web_response_free(&r2);
    close(fd);

    reel_proxy_server_destroy(server);
}

TEST(server_killed_mid_stream)
{
    atomic_store(&drop_logs, 0);
    reel_proxy_server *server = start_server(0, NULL, 0);
    if (server == NULL)
        return;
    uint16_t port = reel_proxy_server_port(server);
    reel_grpc_client *client = start_client(port, 16 * 1024);
    send_info(client);
    for (int i = 0; i < 5; i++)
        send_chunk(client, false, i, 1);
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));
    CHECK(wait_for(server, 6, 5000));
    reel_proxy_server_destroy(server);

    /* The server is gone: the client notices, keeps going, buffers, then drops the oldest. */
    for (int i = 0; i < 500; i++) {
        reel_grpc_client_stats cstats;
        reel_grpc_client_stats_get(client, &cstats);
        if (!cstats.connected)
            break;
        send_chunk(client, false, 100 + i, 1);
        usleep(10000);
    }
    for (int i = 0; i < 100; i++)
        send_chunk(client, false, 1000 + i, 4);
    reel_grpc_client_stats cstats;
    reel_grpc_client_stats_get(client, &cstats);
    CHECK(!cstats.connected);
    CHECK(cstats.dropped_messages > 0);
    CHECK(cstats.buffered_bytes <= 16 * 1024);
    CHECK(cstats.buffered_messages > 0);
    CHECK(atomic_load(&drop_logs) > 0);
    CHECK_EQ_INT(reel_grpc_client_flush(client, 200, NULL), REEL_TIMEOUT);

    /* A new server on the same port: the client reconnects, the store info goes first. */
    server = start_server(port, NULL, 0);
    if (server == NULL) {
        reel_grpc_client_close(client, NULL);
        return;
    }
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));
    reel_grpc_client_stats_get(client, &cstats);
    CHECK(cstats.connected);
    CHECK(cstats.reconnects >= 1);
    CHECK_EQ_U64(cstats.buffered_messages, 0);
    CHECK(wait_for(server, 2, 5000));
    /* Everything is on the socket; let the server finish reading it. */
    reel_proxy_server_stats stats;
    uint64_t last = UINT64_MAX;
    for (int i = 0; i < 100; i++) {
        reel_proxy_server_stats_get(server, &stats);
        if (stats.messages_received == last)
            break;
        last = stats.messages_received;
        usleep(200000);
    }
    CHECK(stats.messages_received >= 2);
    CHECK_EQ_U64(stats.messages_rejected, 0);
    int fd = nt_web_reader(port);
    nt_web_response r = {.trailer_status = -1};
    nt_web_read(fd, &r, (int)stats.messages_received, 5000);
    CHECK_EQ_INT(r.frames, (int)stats.messages_received);
    if (r.frames > 0)
        CHECK_EQ_INT(nt_frame_kind(&r, 0), 1); /* a valid stream: SetStoreInfo first */
    nt_web_response_free(&r);
    close(fd);
    CHECK_OK(reel_grpc_client_close(client, NULL));
    reel_proxy_server_destroy(server);
}

TEST(client_without_server)
{
    /* Nothing listens: sends never block, close gives up after its timeout. */
    reel_proxy_server *probe = start_server(0, NULL, 0);
    if (probe == NULL)
        return;
    uint16_t port = reel_proxy_server_port(probe);
    reel_proxy_server_destroy(probe);
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_client_options options = {.url = url, .retry_ms = 20, .close_timeout_ms = 300};
    reel_grpc_client *client = NULL;
    CHECK_OK(reel_grpc_client_create(&options, &client, NULL));
    uint64_t start = reel_clock_monotonic_ns();
    send_info(client);
    for (int i = 0; i < 50; i++)
        send_chunk(client, false, i, 1);
    CHECK(reel_clock_monotonic_ns() - start < 2000000000ull);
    reel_error err = {0};
    CHECK_EQ_INT(reel_grpc_client_close(client, &err), REEL_TIMEOUT);
    CHECK(reel_clock_monotonic_ns() - start < 3000000000ull);

    /* Bad URLs are refused up front. */
    options.url = "rerun+https://127.0.0.1/proxy";
    CHECK_EQ_INT(reel_grpc_client_create(&options, &client, NULL), REEL_UNSUPPORTED);
    options.url = "rerun+http://127.0.0.1:9876/catalog";
    CHECK_EQ_INT(reel_grpc_client_create(&options, &client, NULL), REEL_UNSUPPORTED);
    options.url = "ftp://x";
    CHECK_EQ_INT(reel_grpc_client_create(&options, &client, NULL), REEL_INVALID_ARGUMENT);
}

int main(void)
{
    reel_log_set_callback(capture_log, NULL);
    reel_log_set_level(REEL_LOG_INFO);
    RUN(client_server_readers_and_save);
    RUN(garbage_clients_lose_only_themselves);
    RUN(server_killed_mid_stream);
    RUN(client_without_server);
    TEST_MAIN_END();
}
