/* The gRPC client behind the SDK's gRPC sink: one long-lived WriteMessages call over h2c
 * (nghttp2), driven by its own I/O thread. Senders only append to a queue under a mutex and
 * wake the thread, so logging never waits on the network. The thread connects lazily,
 * retries every retry_ms, and after a reconnect sends every SetStoreInfo it sent before ahead
 * of anything else, so a restarted server gets a valid stream. Over max_buffer_bytes the
 * oldest messages are dropped (never a SetStoreInfo), counted and reported through the log. */
#include <errno.h>
#include <inttypes.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"

struct reel_grpc_client {
    reel_net_url url;
    char authority[300];
    uint32_t retry_ms;
    uint64_t max_buffer;
    uint64_t close_timeout_ms;

    /* Shared with senders, under lock. */
    reel_mutex lock;
    reel_cond cond;
    reel__frame_queue queue; /* frames waiting, oldest first */
    uint64_t queued_total;   /* messages ever queued */
    uint64_t finished_total; /* of those: sent or dropped */
    reel_grpc_client_stats stats;
    bool closing;    /* half-close once everything is out */
    bool call_done;  /* the server answered the half-closed call */
    int grpc_status; /* -1 = none */
    char grpc_message[256];
    uint64_t drops_logged; /* dropped_messages at the last log line */
    uint64_t last_drop_log_ns;
    atomic_bool stop;
    int wake[2];
    reel_thread thread;
    bool thread_started;

    /* I/O thread only. */
    int fd;
    bool connecting;
    bool ever_connected;
    uint64_t next_attempt_ns;
    nghttp2_session *session;
    int32_t stream_id;
    bool stream_closed;
    bool deferred;
    bool eof_sent;
    int response_status; /* grpc-status of the current call, -1 = none */
    char response_message[256];
    reel__frame_queue resend; /* store infos to send first on this connection */
    reel__frame_queue infos;  /* every distinct SetStoreInfo frame sent */
    reel_blob *current;       /* the frame being copied into nghttp2 */
    size_t current_offset;
    bool current_is_resend;
    uint64_t unflushed_messages, unflushed_bytes; /* handed to nghttp2, not yet to the socket */
    reel_buf out;
    size_t out_offset;
};

static bool frame_is_store_info(reel_blob *frame)
{
    return reel_blob_len(frame) > 5 &&
           reel__request_peek_kind(reel_blob_data(frame) + 5, reel_blob_len(frame) - 5) == 1;
}

static void wake(reel_grpc_client *c)
{
    reel__wake_pipe_signal(c->wake[1]);
}

/* ---------------------------------------------------------------- senders */

/* Under lock: drop the oldest non-store-info frames while over the limit. */
static void enforce_limit(reel_grpc_client *c)
{
    size_t i = 0;
    while (c->queue.bytes > c->max_buffer && i < c->queue.count) {
        reel_blob *frame = reel__frame_queue_at(&c->queue, i);
        if (frame_is_store_info(frame)) {
            i++;
            continue;
        }
        frame = reel__frame_queue_remove_at(&c->queue, i);
        c->stats.dropped_messages++;
        c->stats.dropped_bytes += reel_blob_len(frame) - 5;
        c->finished_total++;
        reel_blob_release(frame);
    }
    uint64_t now = reel_clock_monotonic_ns();
    if (c->stats.dropped_messages != c->drops_logged &&
        (c->drops_logged == 0 || now - c->last_drop_log_ns > 1000000000ull)) {
        reel_log(REEL_LOG_WARN, "net",
                 "gRPC %s:%u: buffer of %" PRIu64 " bytes full (%s): dropped %" PRIu64
                 " message(s), %" PRIu64 " bytes so far",
                 c->url.host, (unsigned)c->url.port, c->max_buffer,
                 c->stats.connected ? "network too slow" : "not connected",
                 c->stats.dropped_messages, c->stats.dropped_bytes);
        c->drops_logged = c->stats.dropped_messages;
        c->last_drop_log_ns = now;
    }
}

reel_status reel_grpc_client_send(reel_grpc_client *c, const uint8_t *request, size_t len,
                                  reel_error *err)
{
    if (len > UINT32_MAX)
        return reel_error_set(err, REEL_LIMIT, "gRPC message of %zu bytes is too large", len);
    uint8_t *data = NULL;
    reel_blob *frame = reel_blob_create(NULL, len + 5, &data);
    if (frame == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_grpc_frame_header_encode(0, (uint32_t)len, data);
    memcpy(data + 5, request, len);
    reel_mutex_lock(&c->lock);
    reel_status status = REEL_OK;
    if (c->closing)
        status = reel_error_set(err, REEL_CLOSED, "gRPC client is closing");
    else if (reel__frame_queue_push(&c->queue, frame) != REEL_OK)
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    if (status == REEL_OK) {
        c->queued_total++;
        enforce_limit(c);
    }
    reel_mutex_unlock(&c->lock);
    reel_blob_release(frame);
    if (status == REEL_OK)
        wake(c);
    return status;
}

reel_status reel_grpc_client_flush(reel_grpc_client *c, uint64_t timeout_ms, reel_error *err)
{
    uint64_t deadline =
        timeout_ms == UINT64_MAX ? UINT64_MAX : reel_clock_monotonic_ns() + timeout_ms * 1000000ull;
    reel_mutex_lock(&c->lock);
    uint64_t target = c->queued_total;
    while (c->finished_total < target) {
        uint64_t now = reel_clock_monotonic_ns();
        if (now >= deadline)
            break;
        uint64_t wait = deadline - now;
        reel_cond_wait_ns(&c->cond, &c->lock, wait > 100000000ull ? 100000000ull : wait);
    }
    uint64_t left = target > c->finished_total ? target - c->finished_total : 0;
    reel_mutex_unlock(&c->lock);
    if (left > 0)
        return reel_error_set(err, REEL_TIMEOUT,
                              "gRPC %s:%u: %" PRIu64 " message(s) not sent after %" PRIu64 " ms",
                              c->url.host, (unsigned)c->url.port, left, timeout_ms);
    return REEL_OK;
}

void reel_grpc_client_stats_get(const reel_grpc_client *client, reel_grpc_client_stats *out)
{
    reel_grpc_client *c = (reel_grpc_client *)client;
    reel_mutex_lock(&c->lock);
    *out = c->stats;
    out->buffered_messages = c->queue.count;
    out->buffered_bytes =
        c->queue.bytes >= 5 * c->queue.count ? c->queue.bytes - 5 * c->queue.count : 0;
    reel_mutex_unlock(&c->lock);
}

/* ---------------------------------------------------------------- nghttp2 callbacks */

/* Copies queued frames into nghttp2's DATA frames: re-sent store infos first, then the queue;
 * END_STREAM once closing and empty. */
static ssize_t client_read(nghttp2_session *session, int32_t stream_id, uint8_t *buf, size_t length,
                           uint32_t *data_flags, nghttp2_data_source *source, void *user_data)
{
    (void)session;
    (void)stream_id;
    (void)source;
    reel_grpc_client *c = user_data;
    size_t n = 0;
    while (n < length) {
        if (c->current == NULL) {
            c->current = reel__frame_queue_pop(&c->resend);
            c->current_is_resend = c->current != NULL;
            c->current_offset = 0;
            if (c->current == NULL) {
                reel_mutex_lock(&c->lock);
                c->current = reel__frame_queue_pop(&c->queue);
                reel_mutex_unlock(&c->lock);
            }
            if (c->current == NULL)
                break;
        }
        size_t take = reel_blob_len(c->current) - c->current_offset;
        if (take > length - n)
            take = length - n;
        memcpy(buf + n, reel_blob_data(c->current) + c->current_offset, take);
        c->current_offset += take;
        n += take;
        if (c->current_offset == reel_blob_len(c->current)) {
            if (frame_is_store_info(c->current)) {
                bool known = false;
                for (size_t i = 0; i < c->infos.count && !known; i++) {
                    reel_blob *info = reel__frame_queue_at(&c->infos, i);
                    known = reel_blob_len(info) == reel_blob_len(c->current) &&
                            memcmp(reel_blob_data(info), reel_blob_data(c->current),
                                   reel_blob_len(info)) == 0;
                }
                if (!known)
                    reel__frame_queue_push(&c->infos, c->current);
            }
            if (!c->current_is_resend) {
                c->unflushed_messages++;
                c->unflushed_bytes += reel_blob_len(c->current) - 5;
            }
            reel_blob_release(c->current);
            c->current = NULL;
        }
    }
    if (n > 0)
        return (ssize_t)n;
    reel_mutex_lock(&c->lock);
    bool closing = c->closing && c->queue.count == 0;
    reel_mutex_unlock(&c->lock);
    if (closing) {
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
        c->eof_sent = true;
        return 0;
    }
    c->deferred = true;
    return NGHTTP2_ERR_DEFERRED;
}

static int client_on_header(nghttp2_session *session, const nghttp2_frame *frame,
                            const uint8_t *name, size_t namelen, const uint8_t *value,
                            size_t valuelen, uint8_t flags, void *user_data)
{
    (void)session;
    (void)frame;
    (void)flags;
    reel_grpc_client *c = user_data;
    if (namelen == 11 && memcmp(name, "grpc-status", 11) == 0) {
        int code = 0;
        for (size_t i = 0; i < valuelen && i < 4; i++)
            code = code * 10 + (value[i] >= '0' && value[i] <= '9' ? value[i] - '0' : 0);
        c->response_status = code;
    } else if (namelen == 12 && memcmp(name, "grpc-message", 12) == 0) {
        size_t n =
            valuelen < sizeof c->response_message - 1 ? valuelen : sizeof c->response_message - 1;
        memcpy(c->response_message, value, n);
        c->response_message[n] = '\0';
    }
    return 0;
}

static int client_on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame,
                                void *user_data)
{
    (void)session;
    reel_grpc_client *c = user_data;
    if (frame->hd.stream_id == c->stream_id && frame->hd.type == NGHTTP2_HEADERS &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
        c->stream_closed = true; /* the server answered: the call is over */
    return 0;
}

static int client_on_stream_close(nghttp2_session *session, int32_t stream_id, uint32_t error_code,
                                  void *user_data)
{
    (void)session;
    reel_grpc_client *c = user_data;
    if (stream_id == c->stream_id) {
        c->stream_closed = true;
        if (c->response_status < 0 && error_code != 0) {
            c->response_status = REEL_GRPC_UNAVAILABLE;
            snprintf(c->response_message, sizeof c->response_message,
                     "stream reset by the server (HTTP/2 error %u)", error_code);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- connection */

/* Drops the connection; what nghttp2 had but the socket did not is lost and counted. */
static void disconnect(reel_grpc_client *c, const char *why)
{
    if (c->fd < 0)
        return;
    if (c->session != NULL && c->ever_connected && !c->connecting)
        reel_log(REEL_LOG_WARN, "net", "gRPC %s:%u: connection lost (%s); retrying every %u ms",
                 c->url.host, (unsigned)c->url.port, why, (unsigned)c->retry_ms);
    nghttp2_session_del(c->session);
    c->session = NULL;
    close(c->fd);
    c->fd = -1;
    c->connecting = false;
    reel_mutex_lock(&c->lock);
    if (c->current != NULL) {
        if (!c->current_is_resend)
            reel__frame_queue_push_front(&c->queue, c->current); /* whole again, next time */
        reel_blob_release(c->current);
        c->current = NULL;
    }
    if (c->unflushed_messages > 0) {
        c->stats.dropped_messages += c->unflushed_messages;
        c->stats.dropped_bytes += c->unflushed_bytes;
        c->finished_total += c->unflushed_messages;
        reel_log(REEL_LOG_WARN, "net",
                 "gRPC %s:%u: %" PRIu64 " message(s) lost with the connection", c->url.host,
                 (unsigned)c->url.port, c->unflushed_messages);
        c->unflushed_messages = c->unflushed_bytes = 0;
    }
    c->stats.connected = false;
    reel_cond_broadcast(&c->cond);
    reel_mutex_unlock(&c->lock);
    reel__frame_queue_free(&c->resend);
    reel_buf_clear(&c->out);
    c->out_offset = 0;
    c->next_attempt_ns = reel_clock_monotonic_ns() + (uint64_t)c->retry_ms * 1000000ull;
}

#define NV(name, value)                                                                            \
    {                                                                                              \
        (uint8_t *)(name), (uint8_t *)(value), sizeof(name) - 1, strlen(value),                    \
            NGHTTP2_NV_FLAG_NONE                                                                   \
    }

static bool start_session(reel_grpc_client *c)
{
    nghttp2_session_callbacks *callbacks = NULL;
    if (nghttp2_session_callbacks_new(&callbacks) != 0)
        return false;
    nghttp2_session_callbacks_set_on_header_callback(callbacks, client_on_header);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, client_on_stream_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, client_on_frame_recv);
    int rc = nghttp2_session_client_new(&c->session, callbacks, c);
    nghttp2_session_callbacks_del(callbacks);
    if (rc != 0)
        return false;
    nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}};
    nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, 1);
    nghttp2_nv headers[] = {NV(":method", "POST"),
                            NV(":scheme", "http"),
                            NV(":path", REEL_GRPC_PATH_WRITE_MESSAGES),
                            NV(":authority", c->authority),
                            NV("content-type", "application/grpc"),
                            NV("te", "trailers"),
                            NV("user-agent", "reel-grpc-c/0.1")};
    nghttp2_data_provider provider = {.source.ptr = c, .read_callback = client_read};
    c->stream_id = nghttp2_submit_request(c->session, NULL, headers,
                                          sizeof headers / sizeof headers[0], &provider, NULL);
    if (c->stream_id < 0)
        return false;
    c->stream_closed = false;
    c->deferred = false;
    c->eof_sent = false;
    c->response_status = -1;
    c->response_message[0] = '\0';
    /* Store infos sent on earlier connections go first. */
    for (size_t i = 0; i < c->infos.count; i++)
        reel__frame_queue_push(&c->resend, reel__frame_queue_at(&c->infos, i));
    reel_mutex_lock(&c->lock);
    if (c->ever_connected)
        c->stats.reconnects++;
    c->stats.connected = true;
    reel_mutex_unlock(&c->lock);
    if (c->ever_connected)
        reel_log(REEL_LOG_INFO, "net", "gRPC %s:%u: reconnected", c->url.host,
                 (unsigned)c->url.port);
    c->ever_connected = true;
    return true;
}

static void try_connect(reel_grpc_client *c)
{
    reel_error err = {0};
    bool in_progress = false;
    if (reel__socket_connect(c->url.host, c->url.port, &c->fd, &in_progress, &err) != REEL_OK) {
        reel_log(REEL_LOG_DEBUG, "net", "gRPC: %s", err.message);
        c->fd = -1;
        c->next_attempt_ns = reel_clock_monotonic_ns() + (uint64_t)c->retry_ms * 1000000ull;
        return;
    }
    c->connecting = in_progress;
    if (!in_progress && !start_session(c))
        disconnect(c, "HTTP/2 session setup failed");
}

/* Moves nghttp2's output to the socket; commits "sent" once all of it is there. */
static bool pump_out(reel_grpc_client *c)
{
    for (;;) {
        while (c->out.len - c->out_offset < 256 * 1024) {
            const uint8_t *data = NULL;
            ssize_t n = nghttp2_session_mem_send(c->session, &data);
            if (n < 0)
                return false;
            if (n == 0)
                break;
            if (reel_buf_append(&c->out, data, (size_t)n) != REEL_OK)
                return false;
        }
        if (c->out_offset == c->out.len)
            break;
        long n = reel__socket_send(c->fd, c->out.data + c->out_offset, c->out.len - c->out_offset);
        if (n < 0)
            return false;
        if (n == 0)
            break;
        c->out_offset += (size_t)n;
        if (c->out_offset == c->out.len) {
            reel_buf_clear(&c->out);
            c->out_offset = 0;
        }
    }
    if (c->out_offset == c->out.len && c->unflushed_messages > 0 &&
        !nghttp2_session_want_write(c->session)) {
        reel_mutex_lock(&c->lock);
        c->stats.sent_messages += c->unflushed_messages;
        c->stats.sent_bytes += c->unflushed_bytes;
        c->finished_total += c->unflushed_messages;
        c->unflushed_messages = c->unflushed_bytes = 0;
        reel_cond_broadcast(&c->cond);
        reel_mutex_unlock(&c->lock);
    }
    return true;
}

static void io_thread(void *arg)
{
    reel_grpc_client *c = arg;
    uint8_t buffer[16 * 1024];
    while (!atomic_load(&c->stop)) {
        uint64_t now = reel_clock_monotonic_ns();
        if (c->fd < 0 && now >= c->next_attempt_ns)
            try_connect(c);
        struct pollfd fds[2] = {{.fd = c->wake[0], .events = POLLIN}, {.fd = -1}};
        int timeout_ms = 1000;
        if (c->fd < 0) {
            uint64_t wait = c->next_attempt_ns > now ? (c->next_attempt_ns - now) / 1000000u : 0;
            timeout_ms = wait < 1000 ? (int)wait + 1 : 1000;
        } else if (c->connecting) {
            fds[1] = (struct pollfd){.fd = c->fd, .events = POLLOUT};
        } else {
            short events = POLLIN;
            if (c->out_offset < c->out.len || nghttp2_session_want_write(c->session))
                events |= POLLOUT;
            fds[1] = (struct pollfd){.fd = c->fd, .events = events};
        }
        int rc = poll(fds, 2, timeout_ms);
        if (rc < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
            reel__wake_pipe_drain(c->wake[0]);
        if (c->fd < 0)
            continue;
        if (c->connecting) {
            if (fds[1].revents == 0)
                continue;
            int so_error = 0;
            socklen_t len = sizeof so_error;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
            if (so_error != 0) {
                reel_log(REEL_LOG_DEBUG, "net", "gRPC: connect to %s:%u: %s", c->url.host,
                         (unsigned)c->url.port, strerror(so_error));
                disconnect(c, strerror(so_error));
                continue;
            }
            c->connecting = false;
            if (!start_session(c)) {
                disconnect(c, "HTTP/2 session setup failed");
                continue;
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            bool lost = false;
            for (int round = 0; round < 16; round++) {
                long n = reel__socket_recv(c->fd, buffer, sizeof buffer);
                if (n == -2)
                    break;
                if (n <= 0 || nghttp2_session_mem_recv(c->session, buffer, (size_t)n) < 0) {
                    lost = true;
                    break;
                }
            }
            if (lost) {
                disconnect(c, "closed by the server");
                continue;
            }
        }
        if (c->deferred && !c->stream_closed) {
            reel_mutex_lock(&c->lock);
            bool ready = c->queue.count > 0 || c->closing;
            reel_mutex_unlock(&c->lock);
            if (ready || c->resend.count > 0) {
                c->deferred = false;
                nghttp2_session_resume_data(c->session, c->stream_id);
            }
        }
        if (!pump_out(c)) {
            disconnect(c, "write failed");
            continue;
        }
        if (c->stream_closed) {
            reel_mutex_lock(&c->lock);
            bool closing = c->closing && c->eof_sent;
            if (closing) {
                c->call_done = true;
                c->grpc_status = c->response_status;
                snprintf(c->grpc_message, sizeof c->grpc_message, "%s", c->response_message);
                reel_cond_broadcast(&c->cond);
            }
            reel_mutex_unlock(&c->lock);
            if (closing)
                break;
            reel_log(REEL_LOG_WARN, "net", "gRPC %s:%u: the server ended the call (status %d%s%s)",
                     c->url.host, (unsigned)c->url.port, c->response_status,
                     c->response_message[0] ? ": " : "", c->response_message);
            disconnect(c, "call ended");
        }
    }
    if (c->fd >= 0) {
        nghttp2_session_del(c->session);
        c->session = NULL;
        close(c->fd);
        c->fd = -1;
    }
}

/* ---------------------------------------------------------------- lifetime */

static void client_free(reel_grpc_client *c)
{
    reel__frame_queue_free(&c->queue);
    reel__frame_queue_free(&c->resend);
    reel__frame_queue_free(&c->infos);
    reel_blob_release(c->current);
    reel_buf_free(&c->out);
    if (c->wake[0] >= 0)
        close(c->wake[0]);
    if (c->wake[1] >= 0)
        close(c->wake[1]);
    reel_cond_destroy(&c->cond);
    reel_mutex_destroy(&c->lock);
    reel_free(NULL, c, sizeof *c);
}

reel_status reel_grpc_client_create(const reel_grpc_client_options *options, reel_grpc_client **out,
                                    reel_error *err)
{
    *out = NULL;
    reel_grpc_client_options o = options ? *options : (reel_grpc_client_options){0};
    reel_grpc_client *c = reel_alloc_zeroed(NULL, sizeof *c);
    if (c == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    c->fd = -1;
    c->wake[0] = c->wake[1] = -1;
    c->grpc_status = -1;
    c->response_status = -1;
    reel_mutex_init(&c->lock);
    reel_cond_init(&c->cond);
    atomic_init(&c->stop, false);
    const char *url = o.url ? o.url : "rerun+http://127.0.0.1:9876/proxy";
    reel_status status = reel_net_url_parse(url, &c->url, err);
    if (status == REEL_OK && c->url.tls)
        status = reel_error_set(err, REEL_UNSUPPORTED,
                                "'%s': TLS (rerun:// and rerun+https://) is not supported; use "
                                "rerun+http://",
                                url);
    if (status == REEL_OK && !c->url.is_proxy)
        status = reel_error_set(err, REEL_UNSUPPORTED,
                                "'%s': the path must be /proxy (Rerun's message proxy)", url);
    if (status != REEL_OK) {
        client_free(c);
        return status;
    }
    bool ipv6 = strchr(c->url.host, ':') != NULL;
    snprintf(c->authority, sizeof c->authority, "%s%s%s:%u", ipv6 ? "[" : "", c->url.host,
             ipv6 ? "]" : "", (unsigned)c->url.port);
    c->retry_ms = o.retry_ms ? o.retry_ms : 100;
    c->max_buffer = o.max_buffer_bytes ? o.max_buffer_bytes : (uint64_t)256 << 20;
    c->close_timeout_ms = o.close_timeout_ms ? o.close_timeout_ms : 5000;
    status = reel__wake_pipe_open(c->wake, err);
    if (status == REEL_OK)
        status = reel_thread_start(&c->thread, io_thread, c, err);
    if (status != REEL_OK) {
        client_free(c);
        return status;
    }
    c->thread_started = true;
    *out = c;
    return REEL_OK;
}

reel_status reel_grpc_client_close(reel_grpc_client *c, reel_error *err)
{
    if (c == NULL)
        return REEL_OK;
    uint64_t start = reel_clock_monotonic_ns();
    uint64_t deadline = start + c->close_timeout_ms * 1000000ull;
    reel_error flush_err = {0};
    reel_status status = reel_grpc_client_flush(c, c->close_timeout_ms, &flush_err);
    reel_mutex_lock(&c->lock);
    c->closing = true;
    reel_mutex_unlock(&c->lock);
    wake(c);
    /* Wait for the server's answer to the half-close (only if we ever got through). */
    reel_mutex_lock(&c->lock);
    while (status == REEL_OK && !c->call_done) {
        uint64_t now = reel_clock_monotonic_ns();
        if (now >= deadline)
            break;
        uint64_t wait = deadline - now;
        reel_cond_wait_ns(&c->cond, &c->lock, wait > 50000000ull ? 50000000ull : wait);
    }
    bool call_done = c->call_done;
    int grpc_status = c->grpc_status;
    char grpc_message[256];
    snprintf(grpc_message, sizeof grpc_message, "%s", c->grpc_message);
    uint64_t lost = c->queue.count;
    uint64_t dropped = c->stats.dropped_messages;
    reel_mutex_unlock(&c->lock);
    atomic_store(&c->stop, true);
    wake(c);
    reel_thread_join(&c->thread);
    if (lost > 0 || dropped > 0)
        reel_log(REEL_LOG_WARN, "net",
                 "gRPC %s:%u: closed with %" PRIu64 " message(s) unsent and %" PRIu64 " dropped",
                 c->url.host, (unsigned)c->url.port, lost, dropped);
    if (status != REEL_OK) {
        status = reel_error_set(err, status, "%s", flush_err.message);
    } else if (!call_done) {
        status = reel_error_set(
            err, REEL_TIMEOUT, "gRPC %s:%u: no answer to the end of the call within %" PRIu64 " ms",
            c->url.host, (unsigned)c->url.port, c->close_timeout_ms);
    } else if (grpc_status != 0) {
        status = reel_error_set(err, REEL_IO, "gRPC %s:%u: the server answered status %d%s%s",
                                c->url.host, (unsigned)c->url.port, grpc_status,
                                grpc_message[0] ? ": " : "", grpc_message);
    }
    client_free(c);
    return status;
}
