/* Live ingestion through a loopback connection: the viewer's listener (the net module's
 * proxy server on a free port) receives a recording sent by Reel's gRPC client, the UI
 * thread's drain ingests it, and the recording follows the live end. A second viewer reads
 * the first one's proxy (reel_viewer_read_start, the ReadMessages reader) into the same
 * kind of live recording; a bad URL starts nothing. */
#include <time.h>

#include "net/net.h"
#include "viewer_testing.h"

static void send_message(reel_grpc_client *client, const reel_rrd_message *msg)
{
    reel_buf request = {0};
    CHECK_OK(reel_rrd_message_encode(msg, REEL_RRD_ENVELOPE_REQUEST, NULL, &request, NULL, NULL));
    CHECK_OK(reel_grpc_client_send(client, request.data, request.len, NULL));
    reel_buf_free(&request);
}

TEST(live_listener_ingests_from_a_grpc_client)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    CHECK_OK(reel_viewer_live_start(v, &(reel_viewer_live_desc){.port = 0}, NULL));
    uint16_t port = reel_viewer_live_port(v);
    CHECK(port != 0);
    char url[128];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    reel_grpc_client *client = NULL;
    CHECK_OK(reel_grpc_client_create(&(reel_grpc_client_options){.url = url}, &client, NULL));
    reel_store_id id = {REEL_STORE_KIND_RECORDING, "live_rec", "live_app"};
    reel_rrd_message info = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO};
    info.store_info.store_id = id;
    send_message(client, &info);
    for (int i = 0; i < 5; i++) {
        reel_rrd_message chunk_msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG};
        chunk_msg.store_id = id;
        chunk_msg.arrow.chunk = vt_make_chunk("/points", i, NULL, "Points3D", "positions", i, 0, 0);
        send_message(client, &chunk_msg);
        reel_chunk_release(chunk_msg.arrow.chunk);
    }
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));
    /* The frame loop: drain until the five chunks are in (at most 10 s). */
    uint64_t deadline = reel_clock_monotonic_ns() + 10ull * 1000000000ull;
    reel_viewer_recording *rec = NULL;
    int64_t min = 0, max = -1;
    while (reel_clock_monotonic_ns() < deadline) {
        reel_viewer_begin_frame(v, 0.016);
        reel_viewer_end_frame(v);
        rec = reel_viewer_recording_find(v, "live_rec");
        if (rec != NULL) {
            reel_store *store = reel_viewer_recording_store(rec);
            uint32_t frame = reel_store_timeline_find(store, "frame");
            if (frame != REEL_STORE_NO_ID &&
                reel_store_time_range(store, REEL_STORE_NO_ID, frame, &min, &max) && max == 4)
                break;
        }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    if (CHECK(rec != NULL)) {
        CHECK(reel_viewer_recording_is_live(rec));
        CHECK_EQ_INT(max, 4);
        reel_viewer_begin_frame(v, 0.016);
        reel_viewer_time t;
        reel_viewer_time_get(rec, &t);
        CHECK_EQ_INT(t.play_state, REEL_PLAY_FOLLOWING);
        CHECK_EQ_INT(t.cursor, 4);
        const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(v));
        CHECK_EQ_INT((long long)m->n_views, 1); /* the heuristic ran on live data */
        reel_viewer_end_frame(v);
    }
    CHECK_EQ_INT((long long)reel_viewer_live_pending(v), 0);
    CHECK_OK(reel_grpc_client_close(client, NULL));
    reel_viewer_live_stop(v);
    CHECK_EQ_INT(reel_viewer_live_port(v), 0);
    reel_viewer_destroy(v);
}

TEST(second_listener_on_the_same_viewer_is_refused)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    CHECK_OK(reel_viewer_live_start(v, NULL, NULL));
    reel_error err = {0};
    CHECK(reel_viewer_live_start(v, NULL, &err) != REEL_OK);
    CHECK(strstr(err.message, "already listening") != NULL);
    reel_viewer_destroy(v); /* stops the listener */
}

TEST(reader_ingests_what_another_proxy_serves)
{
    /* Viewer A hosts the proxy and gets a recording from a client. */
    reel_viewer *a = NULL, *b = NULL;
    CHECK_OK(reel_viewer_create(NULL, &a, NULL));
    CHECK_OK(reel_viewer_create(NULL, &b, NULL));
    CHECK_OK(reel_viewer_live_start(a, &(reel_viewer_live_desc){.port = 0}, NULL));
    char url[128];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy",
             (unsigned)reel_viewer_live_port(a));
    reel_grpc_client *client = NULL;
    CHECK_OK(reel_grpc_client_create(&(reel_grpc_client_options){.url = url}, &client, NULL));
    reel_store_id id = {REEL_STORE_KIND_RECORDING, "read_rec", "read_app"};
    reel_rrd_message info = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO};
    info.store_info.store_id = id;
    send_message(client, &info);
    for (int i = 0; i < 3; i++) {
        reel_rrd_message chunk_msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG};
        chunk_msg.store_id = id;
        chunk_msg.arrow.chunk = vt_make_chunk("/points", i, NULL, "Points3D", "positions", i, 0, 0);
        send_message(client, &chunk_msg);
        reel_chunk_release(chunk_msg.arrow.chunk);
    }
    CHECK_OK(reel_grpc_client_flush(client, 10000, NULL));

    /* Viewer B reads A's proxy: the history, drained by B's frames. */
    reel_viewer_read_info state;
    CHECK(!reel_viewer_read_state(b, &state));
    CHECK_OK(reel_viewer_read_start(b, &(reel_viewer_read_desc){.url = url}, NULL));
    reel_error err = {0};
    CHECK(reel_viewer_read_start(b, &(reel_viewer_read_desc){.url = url}, &err) != REEL_OK);
    CHECK(strstr(err.message, "already reading") != NULL);
    uint64_t deadline = reel_clock_monotonic_ns() + 10ull * 1000000000ull;
    reel_viewer_recording *rec = NULL;
    int64_t min = 0, max = -1;
    while (reel_clock_monotonic_ns() < deadline && max != 2) {
        reel_viewer_begin_frame(b, 0.016);
        reel_viewer_end_frame(b);
        rec = reel_viewer_recording_find(b, "read_rec");
        if (rec != NULL) {
            reel_store *store = reel_viewer_recording_store(rec);
            uint32_t frame = reel_store_timeline_find(store, "frame");
            if (frame != REEL_STORE_NO_ID)
                reel_store_time_range(store, REEL_STORE_NO_ID, frame, &min, &max);
        }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    if (CHECK(rec != NULL)) {
        CHECK(reel_viewer_recording_is_live(rec));
        CHECK_EQ_INT(max, 2);
    }
    CHECK(reel_viewer_read_state(b, &state));
    CHECK(state.connected);
    CHECK_EQ_U64(state.connects, 1);
    CHECK_EQ_U64(state.messages, 4);
    CHECK_EQ_INT(reel_viewer_live_port(b), 0); /* reading is not listening */
    CHECK_OK(reel_grpc_client_close(client, NULL));
    reel_viewer_destroy(a);
    reel_viewer_destroy(b); /* stops the reader */
}

TEST(reader_with_a_bad_url_starts_nothing)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    reel_error err = {0};
    CHECK(reel_viewer_read_start(v, &(reel_viewer_read_desc){.url = "http://x/proxy"}, &err) !=
          REEL_OK);
    CHECK(strstr(err.message, "http://x/proxy") != NULL);
    CHECK(reel_viewer_read_start(v, NULL, &err) != REEL_OK);
    reel_viewer_read_info state;
    CHECK(!reel_viewer_read_state(v, &state));
    reel_viewer_destroy(v);
}

int main(void)
{
    RUN(live_listener_ingests_from_a_grpc_client);
    RUN(second_listener_on_the_same_viewer_is_refused);
    RUN(reader_ingests_what_another_proxy_serves);
    RUN(reader_with_a_bad_url_starts_nothing);
    TEST_MAIN_END();
}
