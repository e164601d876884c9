/* The gRPC reader behind `reel rerun+http://host:port/proxy`: one long-lived ReadMessages call
 * over h2c (nghttp2), driven by its own I/O thread, the mirror of grpc_client.c. The request is
 * one empty ReadMessagesRequest; the answer is a stream of ReadMessagesResponse frames (the
 * proxy's history, then live messages), each decoded here and handed to the caller's
 * on_message. When the server goes away or ends the call, the thread reconnects with
 * exponential backoff; nothing the server sends is trusted (frame sizes are capped before
 * buffering, undecodable messages are counted and skipped). */
#include <errno.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"

struct reel_grpc_reader {
    reel_net_url url;
    char url_text[300];
    char authority[300];
    uint32_t retry_ms, max_retry_ms;
    uint64_t max_message;
    uint64_t keepalive_ns;
    void (*on_message)(void *ctx, const reel_rrd_message *msg);
    void *on_message_ctx;

    reel_mutex lock; /* guards stats */
    reel_grpc_reader_stats stats;
    atomic_bool stop;
    int wake[2];
    reel_thread thread;

    /* I/O thread only. */
    int fd;
    bool connecting;
    uint32_t backoff_ms;
    uint64_t next_attempt_ns;
    nghttp2_session *session;
    int32_t stream_id;
    bool stream_closed;
    bool got_data; /* this connection delivered a message: the backoff starts over */
    int response_status;
    char response_message[200];
    size_t request_sent;   /* bytes of the empty request frame handed to nghttp2 */
    uint64_t last_recv_ns; /* the last bytes from the server (or the connect) */
    uint64_t ping_sent_ns; /* a keepalive PING waiting for its ACK; 0 = none */
    reel_grpc_frame_decoder decoder;
    reel_buf out;
    size_t out_offset;
};

/* Copies text, cut to fit (snprintf's truncation warnings do not apply to a plain copy). */
static void copy_text(char *out, size_t cap, const char *text)
{
    size_t n = strlen(text);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static void set_error(reel_grpc_reader *r, const char *text)
{
    reel_mutex_lock(&r->lock);
    copy_text(r->stats.last_error, sizeof r->stats.last_error, text);
    reel_mutex_unlock(&r->lock);
}

/* ---------------------------------------------------------------- messages */

static void deliver(reel_grpc_reader *r, reel_span message)
{
    reel_rrd_decoder_options options = {.name = "ReadMessagesResponse",
                                        .max_message_size = r->max_message};
    reel_rrd_message msg = {0};
    reel_error err = {0};
    reel_status status = reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST,
                                                 message.data, message.len, &options, &msg, &err);
    if (status != REEL_OK || msg.kind == REEL_RRD_MESSAGE_END) {
        reel_mutex_lock(&r->lock);
        r->stats.bad_messages++;
        reel_mutex_unlock(&r->lock);
        reel_log(REEL_LOG_WARN, "net", "gRPC reader %s:%u: message skipped: %s", r->url.host,
                 (unsigned)r->url.port,
                 status != REEL_OK ? err.message : "ReadMessagesResponse without a LogMsg");
        reel_rrd_message_reset(&msg);
        return;
    }
    r->got_data = true;
    reel_mutex_lock(&r->lock);
    r->stats.messages++;
    r->stats.bytes += message.len;
    reel_mutex_unlock(&r->lock);
    if (r->on_message != NULL)
        r->on_message(r->on_message_ctx, &msg);
    reel_rrd_message_reset(&msg);
}

/* ---------------------------------------------------------------- nghttp2 callbacks */

/* The request body: one empty ReadMessagesRequest frame, then END_STREAM. */
static ssize_t request_read(nghttp2_session *session, int32_t stream_id, uint8_t *buf,
                            size_t length, uint32_t *data_flags, nghttp2_data_source *source,
                            void *user_data)
{
    (void)session, (void)stream_id, (void)source;
    reel_grpc_reader *r = user_data;
    static const uint8_t empty_frame[REEL_GRPC_FRAME_HEADER_SIZE] = {0};
    size_t n = sizeof empty_frame - r->request_sent;
    if (n > length)
        n = length;
    memcpy(buf, empty_frame + r->request_sent, n);
    r->request_sent += n;
    if (r->request_sent == sizeof empty_frame)
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t)n;
}

static int on_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
                     size_t namelen, const uint8_t *value, size_t valuelen, uint8_t flags,
                     void *user_data)
{
    (void)session, (void)flags;
    reel_grpc_reader *r = user_data;
    if (frame->hd.stream_id != r->stream_id)
        return 0;
    if (namelen == 11 && memcmp(name, "grpc-status", 11) == 0) {
        int code = 0;
        for (size_t i = 0; i < valuelen && i < 4; i++)
            code = code * 10 + (value[i] >= '0' && value[i] <= '9' ? value[i] - '0' : 0);
        r->response_status = code;
    } else if (namelen == 12 && memcmp(name, "grpc-message", 12) == 0) {
        size_t n =
            valuelen < sizeof r->response_message - 1 ? valuelen : sizeof r->response_message - 1;
        memcpy(r->response_message, value, n);
        r->response_message[n] = '\0';
    }
    return 0;
}

static int on_data_chunk(nghttp2_session *session, uint8_t flags, int32_t stream_id,
                         const uint8_t *data, size_t len, void *user_data)
{
    (void)flags;
    reel_grpc_reader *r = user_data;
    if (stream_id != r->stream_id || r->stream_closed)
        return 0;
    while (len > 0 && !atomic_load(&r->stop)) {
        size_t used = 0;
        bool got = false;
        reel_grpc_frame frame;
        reel_error err = {0};
        if (reel_grpc_frame_decoder_push(&r->decoder, data, len, &used, &frame, &got, &err) !=
            REEL_OK) {
            char text[600];
            snprintf(text, sizeof text, "bad gRPC framing from the server: %.500s", err.message);
            set_error(r, text);
            reel_log(REEL_LOG_WARN, "net", "gRPC reader %s:%u: %s", r->url.host,
                     (unsigned)r->url.port, text);
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id,
                                      NGHTTP2_PROTOCOL_ERROR);
            r->stream_closed = true;
            return 0;
        }
        data += used;
        len -= used;
        if (got)
            deliver(r, frame.message);
    }
    return 0;
}

static int on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    (void)session;
    reel_grpc_reader *r = user_data;
    if (frame->hd.type == NGHTTP2_PING && (frame->hd.flags & NGHTTP2_FLAG_ACK))
        r->ping_sent_ns = 0;
    return 0;
}

static int on_stream_close(nghttp2_session *session, int32_t stream_id, uint32_t error_code,
                           void *user_data)
{
    (void)session;
    reel_grpc_reader *r = user_data;
    if (stream_id == r->stream_id) {
        r->stream_closed = true;
        if (r->response_status < 0 && error_code != 0) {
            r->response_status = REEL_GRPC_UNAVAILABLE;
            snprintf(r->response_message, sizeof r->response_message,
                     "stream reset by the server (HTTP/2 error %u)", error_code);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- connection */

static void schedule_retry(reel_grpc_reader *r)
{
    if (r->got_data)
        r->backoff_ms = r->retry_ms; /* it worked for a while: start over */
    r->got_data = false;
    r->next_attempt_ns = reel_clock_monotonic_ns() + (uint64_t)r->backoff_ms * 1000000ull;
    uint64_t next = (uint64_t)r->backoff_ms * 2;
    r->backoff_ms = next > r->max_retry_ms ? r->max_retry_ms : (uint32_t)next;
}

static void disconnect(reel_grpc_reader *r, const char *why)
{
    if (r->fd < 0)
        return;
    bool was_connected = r->session != NULL && !r->connecting;
    nghttp2_session_del(r->session);
    r->session = NULL;
    close(r->fd);
    r->fd = -1;
    r->connecting = false;
    reel_buf_clear(&r->out);
    r->out_offset = 0;
    reel_grpc_frame_decoder_reset(&r->decoder);
    reel_grpc_frame_decoder_init(&r->decoder, r->max_message);
    char text[600];
    snprintf(text, sizeof text, "%s:%u: %.300s", r->url.host, (unsigned)r->url.port, why);
    reel_mutex_lock(&r->lock);
    r->stats.connected = false;
    copy_text(r->stats.last_error, sizeof r->stats.last_error, text);
    reel_mutex_unlock(&r->lock);
    schedule_retry(r);
    if (was_connected)
        reel_log(REEL_LOG_WARN, "net", "gRPC reader %s; reconnecting in %u ms", text,
                 (unsigned)((r->next_attempt_ns - reel_clock_monotonic_ns()) / 1000000ull));
}

#define NV(name, value)                                                                            \
    {                                                                                              \
        (uint8_t *)(name), (uint8_t *)(value), sizeof(name) - 1, strlen(value),                    \
            NGHTTP2_NV_FLAG_NONE                                                                   \
    }

static bool start_session(reel_grpc_reader *r)
{
    nghttp2_session_callbacks *callbacks = NULL;
    if (nghttp2_session_callbacks_new(&callbacks) != 0)
        return false;
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    int rc = nghttp2_session_client_new(&r->session, callbacks, r);
    nghttp2_session_callbacks_del(callbacks);
    if (rc != 0)
        return false;
    /* A large window: the history replay arrives as fast as the server can send it. */
    nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                         {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 16 << 20}};
    nghttp2_submit_settings(r->session, NGHTTP2_FLAG_NONE, settings, 2);
    nghttp2_session_set_local_window_size(r->session, NGHTTP2_FLAG_NONE, 0, 64 << 20);
    nghttp2_nv headers[] = {NV(":method", "POST"),
                            NV(":scheme", "http"),
                            NV(":path", REEL_GRPC_PATH_READ_MESSAGES),
                            NV(":authority", r->authority),
                            NV("content-type", "application/grpc"),
                            NV("te", "trailers"),
                            NV("user-agent", "reel-grpc-c/0.1")};
    r->request_sent = 0;
    nghttp2_data_provider provider = {.source.ptr = r, .read_callback = request_read};
    r->stream_id = nghttp2_submit_request(r->session, NULL, headers,
                                          sizeof headers / sizeof headers[0], &provider, NULL);
    if (r->stream_id < 0)
        return false;
    r->stream_closed = false;
    r->last_recv_ns = reel_clock_monotonic_ns();
    r->ping_sent_ns = 0;
    r->response_status = -1;
    r->response_message[0] = '\0';
    reel_mutex_lock(&r->lock);
    r->stats.connects++;
    r->stats.connected = true;
    r->stats.last_error[0] = '\0';
    bool again = r->stats.connects > 1;
    reel_mutex_unlock(&r->lock);
    if (again)
        reel_log(REEL_LOG_INFO, "net", "gRPC reader %s:%u: reconnected", r->url.host,
                 (unsigned)r->url.port);
    return true;
}

static void try_connect(reel_grpc_reader *r)
{
    reel_error err = {0};
    bool in_progress = false;
    r->last_recv_ns = reel_clock_monotonic_ns(); /* the connect's own deadline starts now */
    if (reel__socket_connect(r->url.host, r->url.port, &r->fd, &in_progress, &err) != REEL_OK) {
        r->fd = -1;
        set_error(r, err.message);
        schedule_retry(r);
        return;
    }
    r->connecting = in_progress;
    if (!in_progress && !start_session(r))
        disconnect(r, "HTTP/2 session setup failed");
}

static bool pump_out(reel_grpc_reader *r)
{
    for (;;) {
        while (r->out.len - r->out_offset < 64 * 1024) {
            const uint8_t *data = NULL;
            ssize_t n = nghttp2_session_mem_send(r->session, &data);
            if (n < 0)
                return false;
            if (n == 0)
                break;
            if (reel_buf_append(&r->out, data, (size_t)n) != REEL_OK)
                return false;
        }
        if (r->out_offset == r->out.len)
            return true;
        long n = reel__socket_send(r->fd, r->out.data + r->out_offset, r->out.len - r->out_offset);
        if (n < 0)
            return false;
        if (n == 0)
            return true;
        r->out_offset += (size_t)n;
        if (r->out_offset == r->out.len) {
            reel_buf_clear(&r->out);
            r->out_offset = 0;
        }
    }
}

static void io_thread(void *arg)
{
    reel_grpc_reader *r = arg;
    uint8_t buffer[64 * 1024];
    while (!atomic_load(&r->stop)) {
        uint64_t now = reel_clock_monotonic_ns();
        if (r->fd < 0 && now >= r->next_attempt_ns)
            try_connect(r);
        struct pollfd fds[2] = {{.fd = r->wake[0], .events = POLLIN}, {.fd = -1}};
        int timeout_ms =
            r->keepalive_ns / 2000000u < 1000 ? (int)(r->keepalive_ns / 2000000u) + 1 : 1000;
        if (r->fd < 0) {
            now = reel_clock_monotonic_ns();
            uint64_t wait = r->next_attempt_ns > now ? (r->next_attempt_ns - now) / 1000000u : 0;
            timeout_ms = wait < 1000 ? (int)wait + 1 : 1000;
        } else if (r->connecting) {
            fds[1] = (struct pollfd){.fd = r->fd, .events = POLLOUT};
        } else {
            short events = POLLIN;
            if (r->out_offset < r->out.len || nghttp2_session_want_write(r->session))
                events |= POLLOUT;
            fds[1] = (struct pollfd){.fd = r->fd, .events = events};
        }
        int rc = poll(fds, 2, timeout_ms);
        if (rc < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
            reel__wake_pipe_drain(r->wake[0]);
        if (r->fd < 0 || atomic_load(&r->stop))
            continue;
        if (r->connecting) {
            if (fds[1].revents == 0) {
                if (reel_clock_monotonic_ns() - r->last_recv_ns > r->keepalive_ns)
                    disconnect(r, "connect: timed out");
                continue;
            }
            int so_error = 0;
            socklen_t len = sizeof so_error;
            getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
            if (so_error != 0) {
                char text[200];
                snprintf(text, sizeof text, "connect: %s", strerror(so_error));
                disconnect(r, text);
                continue;
            }
            r->connecting = false;
            if (!start_session(r)) {
                disconnect(r, "HTTP/2 session setup failed");
                continue;
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            bool lost = false;
            for (int round = 0; round < 16 && !atomic_load(&r->stop); round++) {
                long n = reel__socket_recv(r->fd, buffer, sizeof buffer);
                if (n == -2)
                    break;
                if (n > 0)
                    r->last_recv_ns = reel_clock_monotonic_ns();
                if (n <= 0 || nghttp2_session_mem_recv(r->session, buffer, (size_t)n) < 0) {
                    lost = true;
                    break;
                }
            }
            if (lost) {
                disconnect(r, "connection closed by the server");
                continue;
            }
        }
        /* Keepalive: a silent server gets a PING; no answer in time and it is gone. */
        now = reel_clock_monotonic_ns();
        if (r->ping_sent_ns != 0 && now - r->ping_sent_ns > r->keepalive_ns) {
            disconnect(r, "no answer to a keepalive PING: the server is gone");
            continue;
        }
        if (r->ping_sent_ns == 0 && now - r->last_recv_ns > r->keepalive_ns) {
            nghttp2_submit_ping(r->session, NGHTTP2_FLAG_NONE, NULL);
            r->ping_sent_ns = now;
        }
        if (!pump_out(r)) {
            disconnect(r, "write failed");
            continue;
        }
        if (r->stream_closed) {
            char text[300];
            snprintf(text, sizeof text, "the server ended the call (grpc-status %d%s%s)",
                     r->response_status, r->response_message[0] ? ": " : "", r->response_message);
            disconnect(r, text);
        }
    }
    if (r->fd >= 0) {
        nghttp2_session_del(r->session);
        r->session = NULL;
        close(r->fd);
        r->fd = -1;
    }
}

/* ---------------------------------------------------------------- lifetime */

static void reader_free(reel_grpc_reader *r)
{
    reel_grpc_frame_decoder_reset(&r->decoder);
    reel_buf_free(&r->out);
    if (r->wake[0] >= 0)
        close(r->wake[0]);
    if (r->wake[1] >= 0)
        close(r->wake[1]);
    reel_mutex_destroy(&r->lock);
    reel_free(NULL, r, sizeof *r);
}

reel_status reel_grpc_reader_create(const reel_grpc_reader_options *options, reel_grpc_reader **out,
                                    reel_error *err)
{
    *out = NULL;
    reel_grpc_reader_options o = options ? *options : (reel_grpc_reader_options){0};
    reel_grpc_reader *r = reel_alloc_zeroed(NULL, sizeof *r);
    if (r == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "gRPC reader: out of memory");
    r->fd = -1;
    r->wake[0] = r->wake[1] = -1;
    r->response_status = -1;
    reel_mutex_init(&r->lock);
    atomic_init(&r->stop, false);
    const char *url = o.url ? o.url : "rerun+http://127.0.0.1:9876/proxy";
    snprintf(r->url_text, sizeof r->url_text, "%s", url);
    reel_status status = reel_net_url_parse(url, &r->url, err);
    if (status == REEL_OK && r->url.tls)
        status = reel_error_set(err, REEL_UNSUPPORTED,
                                "'%s': TLS (rerun:// and rerun+https://) is not supported; use "
                                "rerun+http://",
                                url);
    if (status == REEL_OK && !r->url.is_proxy)
        status = reel_error_set(err, REEL_UNSUPPORTED,
                                "'%s': the path must be /proxy (Rerun's message proxy)", url);
    if (status != REEL_OK) {
        reader_free(r);
        return status;
    }
    bool ipv6 = strchr(r->url.host, ':') != NULL;
    snprintf(r->authority, sizeof r->authority, "%s%s%s:%u", ipv6 ? "[" : "", r->url.host,
             ipv6 ? "]" : "", (unsigned)r->url.port);
    r->retry_ms = o.retry_ms ? o.retry_ms : 100;
    r->max_retry_ms = o.max_retry_ms ? o.max_retry_ms : 2000;
    if (r->max_retry_ms < r->retry_ms)
        r->max_retry_ms = r->retry_ms;
    r->backoff_ms = r->retry_ms;
    r->max_message = o.max_message_bytes ? o.max_message_bytes : REEL_GRPC_DEFAULT_MAX_MESSAGE;
    r->keepalive_ns = (uint64_t)(o.keepalive_ms ? o.keepalive_ms : 10000) * 1000000ull;
    r->on_message = o.on_message;
    r->on_message_ctx = o.on_message_ctx;
    reel_grpc_frame_decoder_init(&r->decoder, r->max_message);
    reel_buf_init(&r->out, NULL);
    status = reel__wake_pipe_open(r->wake, err);
    if (status == REEL_OK)
        status = reel_thread_start(&r->thread, io_thread, r, err);
    if (status != REEL_OK) {
        reader_free(r);
        return status;
    }
    *out = r;
    return REEL_OK;
}

void reel_grpc_reader_stats_get(const reel_grpc_reader *reader, reel_grpc_reader_stats *out)
{
    reel_grpc_reader *r = (reel_grpc_reader *)reader;
    reel_mutex_lock(&r->lock);
    *out = r->stats;
    reel_mutex_unlock(&r->lock);
}

void reel_grpc_reader_destroy(reel_grpc_reader *r)
{
    if (r == NULL)
        return;
    atomic_store(&r->stop, true);
    reel__wake_pipe_signal(r->wake[1]);
    reel_thread_join(&r->thread);
    reader_free(r);
}
