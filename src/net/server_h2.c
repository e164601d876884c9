/* The proxy's gRPC over h2c (cleartext HTTP/2 with prior knowledge), on nghttp2: request
 * headers pick the method by :path, DATA is cut into gRPC frames and handed to the proxy,
 * responses stream from a reader's queue through a deferred data provider, and every call ends
 * with grpc-status trailers (or a trailers-only response for an early error). PINGs keep idle
 * connections honest (Rerun: every 10 s, dropped after 20 s without an answer). */
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <string.h>

#include "net/proxy_server.h"

#define H2_STREAM_WINDOW (16 << 20)
#define H2_CONN_WINDOW (64 << 20)

typedef struct h2_state {
    nghttp2_session *session;
    reel_vec streams; /* proxy_stream *, open streams of this connection */
} h2_state;

static nghttp2_session *session_of(proxy_conn *conn)
{
    return conn->h2 ? ((h2_state *)conn->h2)->session : NULL;
}

#define NV(name, value)                                                                            \
    {                                                                                              \
        (uint8_t *)(name), (uint8_t *)(value), sizeof(name) - 1, strlen(value),                    \
            NGHTTP2_NV_FLAG_NONE                                                                   \
    }

static void stream_remove(proxy_conn *conn, proxy_stream *stream)
{
    h2_state *h2 = conn->h2;
    for (size_t i = 0; i < h2->streams.len; i++) {
        if (REEL_VEC_AT(&h2->streams, proxy_stream *, i) == stream) {
            REEL_VEC_AT(&h2->streams, proxy_stream *, i) =
                REEL_VEC_AT(&h2->streams, proxy_stream *, h2->streams.len - 1);
            h2->streams.len--;
            break;
        }
    }
    reel__proxy_stream_free(conn->server, stream);
    reel_free(NULL, stream, sizeof *stream);
}

static void submit_trailers(nghttp2_session *session, proxy_stream *stream)
{
    char code[16];
    snprintf(code, sizeof code, "%d", (int)stream->code);
    nghttp2_nv trailers[2] = {NV("grpc-status", code), NV("grpc-message", stream->message)};
    nghttp2_submit_trailer(session, stream->id, trailers, stream->message[0] ? 2 : 1);
}

static ssize_t stream_read(nghttp2_session *session, int32_t stream_id, uint8_t *buf, size_t length,
                           uint32_t *data_flags, nghttp2_data_source *source, void *user_data)
{
    (void)stream_id;
    (void)user_data;
    proxy_stream *stream = source->ptr;
    size_t n = 0;
    while (n < length && stream->body_offset < stream->body.len) {
        size_t take = stream->body.len - stream->body_offset;
        if (take > length - n)
            take = length - n;
        memcpy(buf + n, stream->body.data + stream->body_offset, take);
        stream->body_offset += take;
        n += take;
    }
    while (n < length) {
        reel_blob *front = reel__frame_queue_front(&stream->pending);
        if (front == NULL)
            break;
        size_t take = reel_blob_len(front) - stream->front_offset;
        if (take > length - n)
            take = length - n;
        memcpy(buf + n, reel_blob_data(front) + stream->front_offset, take);
        stream->front_offset += take;
        n += take;
        if (stream->front_offset == reel_blob_len(front)) {
            reel_blob_release(reel__frame_queue_pop(&stream->pending));
            stream->front_offset = 0;
        }
    }
    if (n > 0)
        return (ssize_t)n;
    if (stream->ending) {
        *data_flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
        submit_trailers(session, stream);
        stream->done = true;
        return 0;
    }
    stream->deferred = true;
    return NGHTTP2_ERR_DEFERRED;
}

static void start_response(proxy_stream *stream)
{
    nghttp2_session *session = session_of(stream->conn);
    nghttp2_nv headers[2] = {NV(":status", "200"), NV("content-type", "application/grpc")};
    nghttp2_data_provider provider = {.source.ptr = stream, .read_callback = stream_read};
    nghttp2_submit_response(session, stream->id, headers, 2, &provider);
    stream->response_started = true;
}

void reel__h2_reader_wake(proxy_stream *stream)
{
    if (stream->deferred) {
        stream->deferred = false;
        nghttp2_session_resume_data(session_of(stream->conn), stream->id);
    }
}

void reel__h2_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message)
{
    if (stream->done || stream->ending)
        return;
    nghttp2_session *session = session_of(stream->conn);
    stream->code = code;
    snprintf(stream->message, sizeof stream->message, "%s", message ? message : "");
    /* Header values must not hold CR/LF; gRPC wants the message percent-encoded, so keep it
     * printable ASCII and replace the rest. */
    for (char *p = stream->message; *p; p++) {
        if (*p < 0x20 || *p >= 0x7f || *p == '%')
            *p = '?';
    }
    reel__proxy_reader_remove(stream->conn->server, stream);
    reel__frame_queue_free(&stream->pending);
    if (!stream->response_started) {
        char code_text[16];
        snprintf(code_text, sizeof code_text, "%d", (int)code);
        nghttp2_nv headers[4] = {NV(":status", "200"), NV("content-type", "application/grpc"),
                                 NV("grpc-status", code_text), NV("grpc-message", stream->message)};
        nghttp2_submit_response(session, stream->id, headers, stream->message[0] ? 4 : 3, NULL);
        stream->response_started = true;
        stream->done = true;
        /* The client may still be sending: once these headers are out (on_frame_send), a
         * RST_STREAM(NO_ERROR) tells it to stop. Sent now, it could overtake them. */
        return;
    }
    stream->ending = true;
    reel__h2_reader_wake(stream);
}

static reel_grpc_code code_for(reel_status status)
{
    switch (status) {
    case REEL_LIMIT:
        return REEL_GRPC_RESOURCE_EXHAUSTED;
    case REEL_OUT_OF_MEMORY:
        return REEL_GRPC_RESOURCE_EXHAUSTED;
    case REEL_UNSUPPORTED:
        return REEL_GRPC_UNIMPLEMENTED;
    default:
        return REEL_GRPC_INVALID_ARGUMENT;
    }
}

/* The client half-closed. */
static void request_ended(proxy_stream *stream)
{
    stream->request_ended = true;
    if (stream->done || stream->ending)
        return;
    if (stream->method == PROXY_METHOD_WRITE) {
        if (!reel_grpc_frame_decoder_idle(&stream->decoder)) {
            PROXY_STAT(stream->conn->server, messages_rejected, 1);
            reel__h2_stream_finish(stream, REEL_GRPC_INVALID_ARGUMENT,
                                   "request ended inside a gRPC frame");
            return;
        }
        /* An empty WriteMessagesResponse, then grpc-status 0. */
        reel_grpc_frame_append(&stream->body, 0, NULL, 0, NULL);
        stream->code = REEL_GRPC_OK;
        stream->ending = true;
        start_response(stream);
    }
}

static int on_begin_headers(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    proxy_conn *conn = user_data;
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
        return 0;
    proxy_stream *stream = reel_alloc(NULL, sizeof *stream);
    if (stream == NULL)
        return NGHTTP2_ERR_CALLBACK_FAILURE;
    reel__proxy_stream_init(stream, conn, frame->hd.stream_id);
    h2_state *h2 = conn->h2;
    if (reel_vec_push(&h2->streams, &stream) != REEL_OK) {
        reel__proxy_stream_free(conn->server, stream);
        reel_free(NULL, stream, sizeof *stream);
        return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, stream);
    return 0;
}

static int on_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
                     size_t namelen, const uint8_t *value, size_t valuelen, uint8_t flags,
                     void *user_data)
{
    (void)flags;
    (void)user_data;
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
        return 0;
    proxy_stream *stream = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);
    if (stream == NULL)
        return 0;
    if (namelen == 5 && memcmp(name, ":path", 5) == 0) {
        if (valuelen == strlen(REEL_GRPC_PATH_WRITE_MESSAGES) &&
            memcmp(value, REEL_GRPC_PATH_WRITE_MESSAGES, valuelen) == 0)
            stream->method = PROXY_METHOD_WRITE;
        else if (valuelen == strlen(REEL_GRPC_PATH_READ_MESSAGES) &&
                 memcmp(value, REEL_GRPC_PATH_READ_MESSAGES, valuelen) == 0)
            stream->method = PROXY_METHOD_READ;
    } else if (namelen == 12 && memcmp(name, "content-type", 12) == 0) {
        stream->grpc_content_type = valuelen >= 16 && memcmp(value, "application/grpc", 16) == 0;
    }
    return 0;
}

static void headers_done(proxy_stream *stream)
{
    proxy_conn *conn = stream->conn;
    if (!stream->grpc_content_type) {
        reel__h2_stream_finish(stream, REEL_GRPC_INVALID_ARGUMENT,
                               "content-type must be application/grpc");
        return;
    }
    if (stream->method == PROXY_METHOD_OTHER) {
        reel__h2_stream_finish(stream, REEL_GRPC_UNIMPLEMENTED,
                               "only WriteMessages and ReadMessages are served here");
        return;
    }
    if (stream->method == PROXY_METHOD_WRITE) {
        stream->is_writer = true;
        PROXY_STAT(conn->server, writers, 1);
        return;
    }
    if (reel__proxy_reader_add(conn->server, stream) != REEL_OK) {
        reel__h2_stream_finish(stream, REEL_GRPC_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    start_response(stream);
}

static int on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    proxy_conn *conn = user_data;
    if (frame->hd.type == NGHTTP2_PING && (frame->hd.flags & NGHTTP2_FLAG_ACK)) {
        conn->ping_sent_ns = 0;
        return 0;
    }
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
        return 0;
    proxy_stream *stream = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);
    if (stream == NULL)
        return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
        headers_done(stream);
    if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)
        request_ended(stream);
    return 0;
}

static int on_frame_send(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    (void)user_data;
    if (frame->hd.type != NGHTTP2_HEADERS || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
        return 0;
    proxy_stream *stream = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);
    if (stream != NULL && !stream->request_ended)
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_NO_ERROR);
    return 0;
}

static int on_data_chunk(nghttp2_session *session, uint8_t flags, int32_t stream_id,
                         const uint8_t *data, size_t len, void *user_data)
{
    (void)flags;
    (void)user_data;
    proxy_stream *stream = nghttp2_session_get_stream_user_data(session, stream_id);
    if (stream == NULL || stream->done || stream->ending)
        return 0;
    while (len > 0) {
        size_t used = 0;
        bool got = false;
        reel_grpc_frame frame;
        reel_error err = {0};
        reel_status status =
            reel_grpc_frame_decoder_push(&stream->decoder, data, len, &used, &frame, &got, &err);
        if (status != REEL_OK) {
            PROXY_STAT(stream->conn->server, messages_rejected, 1);
            reel_log(REEL_LOG_WARN, "net", "stream %d: %s", (int)stream_id, err.message);
            reel__h2_stream_finish(stream, code_for(status), err.message);
            return 0;
        }
        data += used;
        len -= used;
        if (got && stream->method == PROXY_METHOD_WRITE) {
            status = reel__proxy_accept(stream->conn->server, frame.message, &err);
            if (status != REEL_OK) {
                reel_log(REEL_LOG_WARN, "net", "stream %d: message refused: %s", (int)stream_id,
                         err.message);
                reel__h2_stream_finish(stream, code_for(status), err.message);
                return 0;
            }
        }
    }
    return 0;
}

static int on_stream_close(nghttp2_session *session, int32_t stream_id, uint32_t error_code,
                           void *user_data)
{
    (void)error_code;
    proxy_conn *conn = user_data;
    proxy_stream *stream = nghttp2_session_get_stream_user_data(session, stream_id);
    if (stream != NULL) {
        nghttp2_session_set_stream_user_data(session, stream_id, NULL);
        stream_remove(conn, stream);
    }
    return 0;
}

reel_status reel__h2_conn_start(proxy_conn *conn, reel_error *err)
{
    h2_state *h2 = reel_alloc_zeroed(NULL, sizeof *h2);
    if (h2 == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_vec_init(&h2->streams, sizeof(proxy_stream *), NULL);
    nghttp2_session_callbacks *callbacks = NULL;
    if (nghttp2_session_callbacks_new(&callbacks) != 0) {
        reel_free(NULL, h2, sizeof *h2);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, on_frame_send);
    int rc = nghttp2_session_server_new(&h2->session, callbacks, conn);
    nghttp2_session_callbacks_del(callbacks);
    if (rc != 0) {
        reel_free(NULL, h2, sizeof *h2);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "nghttp2: %s", nghttp2_strerror(rc));
    }
    conn->h2 = h2;
    nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 256},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, H2_STREAM_WINDOW},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, 64 * 1024},
    };
    nghttp2_submit_settings(h2->session, NGHTTP2_FLAG_NONE, settings,
                            sizeof settings / sizeof settings[0]);
    nghttp2_session_set_local_window_size(h2->session, NGHTTP2_FLAG_NONE, 0, H2_CONN_WINDOW);
    return REEL_OK;
}

bool reel__h2_conn_recv(proxy_conn *conn, const uint8_t *data, size_t len)
{
    ssize_t rc = nghttp2_session_mem_recv(session_of(conn), data, len);
    if (rc < 0) {
        reel_log(REEL_LOG_DEBUG, "net", "HTTP/2: %s: closing the connection",
                 nghttp2_strerror((int)rc));
        nghttp2_session_terminate_session(session_of(conn), NGHTTP2_PROTOCOL_ERROR);
        return false;
    }
    return true;
}

void reel__h2_conn_pump(proxy_conn *conn)
{
    nghttp2_session *session = session_of(conn);
    while (conn->out.len - conn->out_offset < 256 * 1024) {
        const uint8_t *data = NULL;
        ssize_t n = nghttp2_session_mem_send(session, &data);
        if (n < 0) {
            conn->dead = true;
            return;
        }
        if (n == 0)
            break;
        if (reel_buf_append(&conn->out, data, (size_t)n) != REEL_OK) {
            conn->dead = true;
            return;
        }
    }
    if (!nghttp2_session_want_read(session) && !nghttp2_session_want_write(session))
        conn->close_when_flushed = true;
}

bool reel__h2_conn_wants_write(proxy_conn *conn)
{
    return nghttp2_session_want_write(session_of(conn)) != 0;
}

void reel__h2_conn_tick(proxy_conn *conn, uint64_t now_ns)
{
    uint64_t interval = (uint64_t)conn->server->options.keepalive_ms * 1000000u;
    if (conn->ping_sent_ns != 0) {
        if (now_ns - conn->ping_sent_ns > 2 * interval) {
            reel_log(REEL_LOG_INFO, "net", "HTTP/2 peer did not answer a PING: closed");
            conn->dead = true;
        }
        return;
    }
    if (now_ns - conn->last_ping_ns >= interval) {
        nghttp2_submit_ping(session_of(conn), NGHTTP2_FLAG_NONE, NULL);
        conn->ping_sent_ns = now_ns;
        conn->last_ping_ns = now_ns;
    }
}

void reel__h2_conn_free(proxy_conn *conn)
{
    h2_state *h2 = conn->h2;
    if (h2 == NULL)
        return;
    /* nghttp2_session_del does not call on_stream_close: free our streams here. */
    while (h2->streams.len > 0) {
        proxy_stream *stream = REEL_VEC_AT(&h2->streams, proxy_stream *, h2->streams.len - 1);
        stream_remove(conn, stream);
    }
    nghttp2_session_del(h2->session);
    reel_vec_free(&h2->streams);
    reel_free(NULL, h2, sizeof *h2);
    conn->h2 = NULL;
}
