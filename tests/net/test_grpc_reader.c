/* The ReadMessages reader against Reel's own proxy server in-process (127.0.0.1, ephemeral
 * ports): a late reader gets the history (store info first), then live messages; the server
 * is killed and the reader survives, says why it is disconnected, and reconnects with backoff
 * to a new server on the same port, reading what that one serves; malformed and unsupported
 * URLs fail at create with the reason. */
#include <stdatomic.h>

#include "net/net_internal.h"
#include "net/net_testing.h"
#include "test.h"

typedef struct seen {
    atomic_int infos, chunks, total;
    atomic_int first_kind; /* of the first message, 0 = none yet */
    atomic_llong last_time;
} seen;

static void on_message(void *ctx, const reel_rrd_message *msg)
{
    seen *s = ctx;
    int expected = 0;
    atomic_compare_exchange_strong(&s->first_kind, &expected, (int)msg->kind);
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
        atomic_fetch_add(&s->infos, 1);
    if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->arrow.chunk != NULL)
        atomic_fetch_add(&s->chunks, 1);
    atomic_fetch_add(&s->total, 1);
}

static reel_proxy_server *start_server(uint16_t port)
{
    reel_proxy_server *server = NULL;
    reel_error err = {0};
    for (int attempt = 0; attempt < 50; attempt++) { /* a port just freed may take a moment */
        if (reel_proxy_server_create(&(reel_proxy_server_options){.port = port}, &server, &err) ==
            REEL_OK)
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

static reel_grpc_client *start_writer(uint16_t port)
{
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_client *client = NULL;
    CHECK_OK(reel_grpc_client_create(&(reel_grpc_client_options){.url = url, .retry_ms = 50},
                                     &client, NULL));
    return client;
}

static void send_info(reel_grpc_client *client)
{
    reel_buf req = {0};
    CHECK_OK(nt_store_info_request(false, &req));
    CHECK_OK(reel_grpc_client_send(client, req.data, req.len, NULL));
    reel_buf_free(&req);
}

static void send_chunk(reel_grpc_client *client, int64_t time)
{
    reel_buf req = {0};
    CHECK_OK(nt_chunk_request(false, "/scalar", false, time, 1, (double)time, &req));
    CHECK_OK(reel_grpc_client_send(client, req.data, req.len, NULL));
    reel_buf_free(&req);
}

static bool wait_total(seen *s, int total, int timeout_ms)
{
    for (int i = 0; i < timeout_ms / 10; i++) {
        if (atomic_load(&s->total) >= total)
            return true;
        usleep(10000);
    }
    return false;
}

static bool wait_connected(reel_grpc_reader *reader, bool connected, uint64_t min_connects,
                           int timeout_ms)
{
    for (int i = 0; i < timeout_ms / 10; i++) {
        reel_grpc_reader_stats stats;
        reel_grpc_reader_stats_get(reader, &stats);
        if (stats.connected == connected && stats.connects >= min_connects)
            return true;
        usleep(10000);
    }
    return false;
}

TEST(history_then_live_then_reconnect)
{
    reel_proxy_server *server = start_server(0);
    if (server == NULL)
        return;
    uint16_t port = reel_proxy_server_port(server);

    /* History: a store info and three chunks, before any reader. */
    reel_grpc_client *writer = start_writer(port);
    send_info(writer);
    for (int i = 0; i < 3; i++)
        send_chunk(writer, i);
    CHECK_OK(reel_grpc_client_flush(writer, 10000, NULL));
    for (int i = 0; i < 500; i++) {
        reel_proxy_server_stats stats;
        reel_proxy_server_stats_get(server, &stats);
        if (stats.messages_received >= 4)
            break;
        usleep(10000);
    }

    seen s = {0};
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_reader *reader = NULL;
    CHECK_OK(reel_grpc_reader_create(&(reel_grpc_reader_options){.url = url,
                                                                 .retry_ms = 20,
                                                                 .max_retry_ms = 200,
                                                                 .on_message = on_message,
                                                                 .on_message_ctx = &s},
                                     &reader, NULL));
    CHECK(wait_total(&s, 4, 10000));
    CHECK_EQ_INT(atomic_load(&s.first_kind), REEL_RRD_MESSAGE_SET_STORE_INFO);
    CHECK_EQ_INT(atomic_load(&s.infos), 1);
    CHECK_EQ_INT(atomic_load(&s.chunks), 3);

    /* Live: two more while the reader is connected. */
    send_chunk(writer, 10);
    send_chunk(writer, 11);
    CHECK_OK(reel_grpc_client_flush(writer, 10000, NULL));
    CHECK(wait_total(&s, 6, 10000));
    CHECK_EQ_INT(atomic_load(&s.chunks), 5);
    reel_grpc_reader_stats stats;
    reel_grpc_reader_stats_get(reader, &stats);
    CHECK(stats.connected);
    CHECK_EQ_U64(stats.connects, 1);
    CHECK_EQ_U64(stats.messages, 6);
    CHECK_EQ_U64(stats.bad_messages, 0);

    /* The server goes away: the reader survives and says why. */
    reel_proxy_server_destroy(server);
    CHECK(wait_connected(reader, false, 1, 10000));
    usleep(300000); /* a few failed attempts, backing off */
    reel_grpc_reader_stats_get(reader, &stats);
    CHECK(!stats.connected);
    CHECK(stats.last_error[0] != '\0');
    CHECK_EQ_U64(stats.connects, 1);

    /* A new server on the same port: the reader reconnects and reads what it serves. */
    server = start_server(port);
    if (server != NULL) {
        CHECK(wait_connected(reader, true, 2, 10000));
        send_chunk(writer, 20); /* the writer sends its store info again first */
        CHECK_OK(reel_grpc_client_flush(writer, 10000, NULL));
        bool got = false;
        for (int i = 0; i < 1000 && !got; i++) {
            got = atomic_load(&s.chunks) >= 6 && atomic_load(&s.infos) >= 2;
            if (!got)
                usleep(10000);
        }
        CHECK(got);
        CHECK_EQ_INT(atomic_load(&s.chunks), 6);
        reel_grpc_reader_stats_get(reader, &stats);
        CHECK(stats.connected);
        CHECK_EQ_STR(stats.last_error, "");
    }
    reel_grpc_reader_destroy(reader);
    reel_grpc_client_close(writer, NULL);
    reel_proxy_server_destroy(server);
}

TEST(reader_without_server_keeps_retrying)
{
    /* A port nobody listens on (a server bound and closed). */
    reel_proxy_server *server = start_server(0);
    if (server == NULL)
        return;
    uint16_t port = reel_proxy_server_port(server);
    reel_proxy_server_destroy(server);
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    seen s = {0};
    reel_grpc_reader *reader = NULL;
    CHECK_OK(reel_grpc_reader_create(
        &(reel_grpc_reader_options){.url = url, .on_message = on_message, .on_message_ctx = &s},
        &reader, NULL));
    usleep(200000);
    reel_grpc_reader_stats stats;
    reel_grpc_reader_stats_get(reader, &stats);
    CHECK(!stats.connected);
    CHECK_EQ_U64(stats.connects, 0);
    CHECK(strstr(stats.last_error, "refused") != NULL);
    reel_grpc_reader_destroy(reader); /* returns promptly though it is backing off */
    CHECK_EQ_INT(atomic_load(&s.total), 0);
}

TEST(silent_server_is_dropped_by_the_keepalive)
{
    /* A socket that listens but never accepts: the kernel completes the TCP handshake, and
     * nothing ever answers HTTP/2. The reader's PING goes unanswered: it drops the connection
     * and says why, then keeps trying. */
    int fd = -1;
    uint16_t port = 0;
    CHECK_OK(reel__socket_listen("127.0.0.1", 0, &fd, &port, NULL));
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_reader *reader = NULL;
    CHECK_OK(reel_grpc_reader_create(
        &(reel_grpc_reader_options){.url = url, .keepalive_ms = 100, .retry_ms = 50}, &reader,
        NULL));
    bool dropped = false;
    reel_grpc_reader_stats stats = {0};
    for (int i = 0; i < 500 && !dropped; i++) {
        reel_grpc_reader_stats_get(reader, &stats);
        dropped = strstr(stats.last_error, "keepalive") != NULL;
        if (!dropped)
            usleep(10000);
    }
    CHECK(dropped);
    CHECK(stats.connects >= 1);
    CHECK_EQ_U64(stats.messages, 0);
    reel_grpc_reader_destroy(reader);
    close(fd);
}

TEST(bad_urls_fail_at_create)
{
    const char *bad[] = {"http://127.0.0.1:9876/proxy", "rerun+http://",
                         "rerun+http://h:99999/proxy"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reel_grpc_reader *reader = (reel_grpc_reader *)1;
        reel_error err = {0};
        CHECK(reel_grpc_reader_create(&(reel_grpc_reader_options){.url = bad[i]}, &reader, &err) !=
              REEL_OK);
        CHECK(reader == NULL);
        CHECK(err.message[0] != '\0');
    }
    reel_grpc_reader *reader = NULL;
    reel_error err = {0};
    CHECK_EQ_INT(
        reel_grpc_reader_create(
            &(reel_grpc_reader_options){.url = "rerun+https://example.com/proxy"}, &reader, &err),
        REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "TLS") != NULL);
    CHECK_EQ_INT(reel_grpc_reader_create(
                     &(reel_grpc_reader_options){.url = "rerun+http://127.0.0.1:9876/catalog"},
                     &reader, &err),
                 REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "/proxy") != NULL);
    reel_grpc_reader_destroy(NULL);
}

int main(void)
{
    RUN(history_then_live_then_reconnect);
    RUN(reader_without_server_keeps_retrying);
    RUN(silent_server_is_dropped_by_the_keepalive);
    RUN(bad_urls_fail_at_create);
    TEST_MAIN_END();
}
