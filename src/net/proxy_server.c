/* The proxy server's body: a poll() loop over the listening socket, a wake pipe and the
 * connections (each sniffed as h2c or HTTP/1.1 from its first bytes); the message path
 * shared by both protocols (decode and validate, history, readers, the --save file); and the
 * server's lifetime (create, run or start on a thread, stop, destroy). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/proxy_server.h"

#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_PREFACE_LEN 24
#define OUT_HIGH_WATER (256 * 1024)

/* ---------------------------------------------------------------- stats */

void reel__proxy_stats_add(reel_proxy_server *server, size_t offset, int64_t delta)
{
    reel_mutex_lock(&server->stats_lock);
    uint64_t *field = (uint64_t *)((uint8_t *)&server->stats + offset);
    *field += (uint64_t)delta;
    reel_mutex_unlock(&server->stats_lock);
}

void reel_proxy_server_stats_get(const reel_proxy_server *server, reel_proxy_server_stats *out)
{
    reel_proxy_server *s = (reel_proxy_server *)server;
    reel_mutex_lock(&s->stats_lock);
    *out = s->stats;
    reel_mutex_unlock(&s->stats_lock);
}

/* ---------------------------------------------------------------- the save file */

static bool saved_store(const reel_proxy_server *s, const reel_store_id *id)
{
    for (size_t i = 0; i < s->saved_stores.len; i++) {
        if (reel_store_id_equal(&REEL_VEC_AT(&s->saved_stores, reel_store_id, i), id))
            return true;
    }
    return false;
}

static void save_failed(reel_proxy_server *s, reel_status status, const reel_error *err)
{
    if (s->save_status != REEL_OK)
        return;
    s->save_status = status;
    reel_mutex_lock(&s->stats_lock);
    s->stats.save_status = status;
    reel_mutex_unlock(&s->stats_lock);
    reel_log(REEL_LOG_ERROR, "net", "--save %s: %s (no more messages are saved)", s->save_path,
             err->message);
}

static void save_write(reel_proxy_server *s, const reel_rrd_message *msg)
{
    reel_error err = {0};
    reel_status status = REEL_OK;
    switch (msg->kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        status = reel_rrd_writer_write_store_info(s->writer, &msg->store_info, &err);
        break;
    case REEL_RRD_MESSAGE_ARROW_MSG:
        status = reel_rrd_writer_write_chunk(s->writer, &msg->store_id, msg->arrow.chunk, &err);
        break;
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        status = reel_rrd_writer_write_blueprint_activation(s->writer, &msg->store_id,
                                                            msg->activation.make_active,
                                                            msg->activation.make_default, &err);
        break;
    default:
        return;
    }
    if (status != REEL_OK)
        save_failed(s, status, &err);
    else
        PROXY_STAT(s, saved_messages, 1);
}

/* Store infos go first per store: a message for a store whose info has not come yet waits. */
static void save_message(reel_proxy_server *s, reel_rrd_message *msg)
{
    if (s->writer == NULL || s->save_status != REEL_OK)
        return;
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        const reel_store_id *id = &msg->store_info.store_id;
        if (saved_store(s, id)) {
            save_write(s, msg); /* kept as received (the SDKs send it twice) */
            return;
        }
        reel_store_id copy = {0};
        if (reel_store_id_copy(&copy, id, NULL) != REEL_OK ||
            reel_vec_push(&s->saved_stores, &copy) != REEL_OK) {
            reel_store_id_reset(&copy, NULL);
            reel_error err = {0};
            reel_error_set(&err, REEL_OUT_OF_MEMORY, "out of memory");
            save_failed(s, REEL_OUT_OF_MEMORY, &err);
            return;
        }
        save_write(s, msg);
        /* Release what waited for this store, in arrival order. */
        size_t kept = 0;
        for (size_t i = 0; i < s->save_pending.len; i++) {
            reel_rrd_message *p = &REEL_VEC_AT(&s->save_pending, reel_rrd_message, i);
            if (reel_store_id_equal(&p->store_id, id)) {
                save_write(s, p);
                reel_rrd_message_reset(p);
            } else {
                REEL_VEC_AT(&s->save_pending, reel_rrd_message, kept++) = *p;
            }
        }
        s->save_pending.len = kept;
        return;
    }
    if (saved_store(s, &msg->store_id)) {
        save_write(s, msg);
        return;
    }
    /* Keep the decoded message (moved, not copied) until its store info arrives. */
    if (reel_vec_push(&s->save_pending, msg) == REEL_OK)
        memset(msg, 0, sizeof *msg);
}

static void save_finish(reel_proxy_server *s)
{
    if (s->writer == NULL)
        return;
    if (s->save_pending.len > 0)
        reel_log(REEL_LOG_WARN, "net",
                 "--save %s: %zu message(s) never got their store info; saved without it",
                 s->save_path, s->save_pending.len);
    for (size_t i = 0; i < s->save_pending.len; i++) {
        reel_rrd_message *p = &REEL_VEC_AT(&s->save_pending, reel_rrd_message, i);
        if (s->save_status == REEL_OK)
            save_write(s, p);
        reel_rrd_message_reset(p);
    }
    s->save_pending.len = 0;
    reel_error err = {0};
    reel_status status = reel_rrd_writer_finish(s->writer, &err);
    if (status != REEL_OK)
        save_failed(s, status, &err);
    reel_rrd_writer_destroy(s->writer);
    s->writer = NULL;
    if (s->save_fd >= 0) {
        if (fsync(s->save_fd) != 0 && errno != EINVAL && s->save_status == REEL_OK) {
            reel_error_set(&err, REEL_IO, "fsync: %s", strerror(errno));
            save_failed(s, REEL_IO, &err);
        }
        close(s->save_fd);
        s->save_fd = -1;
    }
}

/* ---------------------------------------------------------------- messages */

reel_status reel__proxy_accept(reel_proxy_server *s, reel_span request, reel_error *err)
{
    reel_rrd_decoder_options options = {.name = "WriteMessagesRequest",
                                        .max_message_size = s->options.max_message_bytes};
    reel_rrd_message msg = {0};
    reel_status status = reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST,
                                                 request.data, request.len, &options, &msg, err);
    if (status != REEL_OK) {
        PROXY_STAT(s, messages_rejected, 1);
        return status;
    }
    if (msg.kind == REEL_RRD_MESSAGE_END) {
        reel_rrd_message_reset(&msg);
        PROXY_STAT(s, messages_rejected, 1);
        return reel_error_set(err, REEL_CORRUPT, "WriteMessagesRequest without a LogMsg");
    }
    /* The stored frame is the request as it came: a ReadMessagesResponse has the same bytes. */
    uint8_t *frame_data = NULL;
    reel_blob *frame = reel_blob_create(NULL, request.len + 5, &frame_data);
    if (frame == NULL) {
        reel_rrd_message_reset(&msg);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    reel_grpc_frame_header_encode(0, (uint32_t)request.len, frame_data);
    memcpy(frame_data + 5, request.data, request.len);

    reel__proxy_class cls = reel__proxy_classify(&msg);
    uint64_t dropped_before = s->history.dropped_messages;
    uint64_t dropped_bytes_before = s->history.dropped_bytes;
    status = reel__proxy_history_add(&s->history, cls, frame);
    if (status == REEL_OK) {
        for (size_t i = 0; i < s->readers.len; i++) {
            proxy_stream *reader = REEL_VEC_AT(&s->readers, proxy_stream *, i);
            if (reader->done || reader->ending)
                continue;
            if (reader->pending.bytes > s->reader_cap) {
                reel_log(REEL_LOG_WARN, "net", "a reader fell %" PRIu64 " bytes behind: cut off",
                         reader->pending.bytes);
                reel__proxy_stream_finish(reader, REEL_GRPC_RESOURCE_EXHAUSTED,
                                          "reader too slow: fell behind the proxy's buffer");
                continue;
            }
            if (reel__frame_queue_push(&reader->pending, frame) != REEL_OK)
                continue;
            if (reader->conn->proto == PROXY_PROTO_H2)
                reel__h2_reader_wake(reader);
        }
    }
    reel_blob_release(frame);
    reel_mutex_lock(&s->stats_lock);
    s->stats.messages_received++;
    s->stats.bytes_received += request.len;
    s->stats.messages_dropped += s->history.dropped_messages - dropped_before;
    s->stats.bytes_dropped += s->history.dropped_bytes - dropped_bytes_before;
    s->stats.history_messages = reel__proxy_history_count(&s->history);
    s->stats.history_bytes = reel__proxy_history_bytes(&s->history);
    reel_mutex_unlock(&s->stats_lock);
    if (s->history.dropped_messages != dropped_before && dropped_before == 0)
        reel_log(REEL_LOG_WARN, "net",
                 "memory limit of %" PRIu64 " bytes reached: dropping the oldest data",
                 s->history.memory_limit);
    if (status == REEL_OK && s->options.on_message != NULL)
        s->options.on_message(s->options.on_message_ctx, &msg);
    save_message(s, &msg);
    reel_rrd_message_reset(&msg);
    if (status != REEL_OK)
        return reel_error_set(err, status, "out of memory");
    return REEL_OK;
}

static reel_status replay_one(void *ctx, reel_blob *frame)
{
    proxy_stream *stream = ctx;
    return reel__frame_queue_push(&stream->pending, frame);
}

reel_status reel__proxy_reader_add(reel_proxy_server *s, proxy_stream *stream)
{
    REEL_TRY(reel_vec_push(&s->readers, &stream));
    stream->is_reader = true;
    PROXY_STAT(s, readers, 1);
    return reel__proxy_history_replay(&s->history, replay_one, stream);
}

void reel__proxy_reader_remove(reel_proxy_server *s, proxy_stream *stream)
{
    if (!stream->is_reader)
        return;
    for (size_t i = 0; i < s->readers.len; i++) {
        if (REEL_VEC_AT(&s->readers, proxy_stream *, i) == stream) {
            REEL_VEC_AT(&s->readers, proxy_stream *, i) =
                REEL_VEC_AT(&s->readers, proxy_stream *, s->readers.len - 1);
            s->readers.len--;
            break;
        }
    }
    stream->is_reader = false;
    PROXY_STAT(s, readers, -1);
}

void reel__proxy_stream_init(proxy_stream *stream, proxy_conn *conn, int32_t id)
{
    memset(stream, 0, sizeof *stream);
    stream->conn = conn;
    stream->id = id;
    reel_grpc_frame_decoder_init(&stream->decoder, conn->server->options.max_message_bytes);
}

void reel__proxy_stream_free(reel_proxy_server *s, proxy_stream *stream)
{
    if (stream->is_writer)
        PROXY_STAT(s, writers, -1);
    reel__proxy_reader_remove(s, stream);
    reel_grpc_frame_decoder_reset(&stream->decoder);
    reel_buf_free(&stream->body);
    reel__frame_queue_free(&stream->pending);
}

void reel__proxy_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message)
{
    if (stream->conn->proto == PROXY_PROTO_H2)
        reel__h2_stream_finish(stream, code, message);
    else
        reel__http1_stream_finish(stream, code, message);
}

/* ---------------------------------------------------------------- connections */

static void conn_free(reel_proxy_server *s, proxy_conn *conn)
{
    if (conn->proto == PROXY_PROTO_H2)
        reel__h2_conn_free(conn);
    else if (conn->proto == PROXY_PROTO_HTTP1)
        reel__http1_conn_free(conn);
    if (conn->fd >= 0)
        close(conn->fd);
    reel_buf_free(&conn->in);
    reel_buf_free(&conn->out);
    reel_free(NULL, conn, sizeof *conn);
    PROXY_STAT(s, connections, -1);
}

static void conn_accept(reel_proxy_server *s)
{
    for (;;) {
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                reel_log(REEL_LOG_WARN, "net", "accept: %s", strerror(errno));
            return;
        }
        reel__socket_setup(fd);
        proxy_conn *conn = reel_alloc_zeroed(NULL, sizeof *conn);
        if (conn == NULL || reel_vec_push(&s->conns, &conn) != REEL_OK) {
            reel_free(NULL, conn, sizeof *conn);
            close(fd);
            continue;
        }
        conn->server = s;
        conn->fd = fd;
        conn->proto = PROXY_PROTO_SNIFF;
        conn->last_ping_ns = reel_clock_monotonic_ns();
        PROXY_STAT(s, connections, 1);
    }
}

static bool looks_like_http1(const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len && i < 16 && data[i] >= 'A' && data[i] <= 'Z')
        i++;
    return i > 0 && (i == len || (i < len && data[i] == ' '));
}

/* Handles what came in; false when the connection must close. */
static bool conn_input(proxy_conn *conn, const uint8_t *data, size_t len)
{
    if (conn->proto == PROXY_PROTO_H2)
        return reel__h2_conn_recv(conn, data, len);
    if (conn->proto == PROXY_PROTO_HTTP1)
        return reel__http1_conn_recv(conn, data, len);
    if (reel_buf_append(&conn->in, data, len) != REEL_OK)
        return false;
    size_t n = conn->in.len < H2_PREFACE_LEN ? conn->in.len : H2_PREFACE_LEN;
    if (memcmp(conn->in.data, H2_PREFACE, n) == 0) {
        if (n < H2_PREFACE_LEN)
            return true; /* wait for the rest of the preface */
        reel_error err = {0};
        if (reel__h2_conn_start(conn, &err) != REEL_OK) {
            reel_log(REEL_LOG_WARN, "net", "HTTP/2 session: %s", err.message);
            return false;
        }
        conn->proto = PROXY_PROTO_H2;
        reel_buf pending = conn->in;
        memset(&conn->in, 0, sizeof conn->in);
        bool ok = reel__h2_conn_recv(conn, pending.data, pending.len);
        reel_buf_free(&pending);
        return ok;
    }
    if (!looks_like_http1(conn->in.data, conn->in.len)) {
        reel_log(REEL_LOG_DEBUG, "net", "connection speaks neither HTTP/2 nor HTTP/1.1: closed");
        return false;
    }
    conn->proto = PROXY_PROTO_HTTP1;
    reel_buf pending = conn->in;
    memset(&conn->in, 0, sizeof conn->in);
    bool ok = reel__http1_conn_recv(conn, pending.data, pending.len);
    reel_buf_free(&pending);
    return ok;
}

static void conn_pump(proxy_conn *conn)
{
    if (conn->out.len - conn->out_offset < OUT_HIGH_WATER) {
        if (conn->proto == PROXY_PROTO_H2)
            reel__h2_conn_pump(conn);
        else if (conn->proto == PROXY_PROTO_HTTP1)
            reel__http1_conn_pump(conn);
    }
}

static void conn_write(proxy_conn *conn)
{
    while (conn->out_offset < conn->out.len) {
        long n = reel__socket_send(conn->fd, conn->out.data + conn->out_offset,
                                   conn->out.len - conn->out_offset);
        if (n < 0) {
            conn->dead = true;
            return;
        }
        if (n == 0)
            break;
        conn->out_offset += (size_t)n;
        if (conn->out_offset == conn->out.len) {
            reel_buf_clear(&conn->out);
            conn->out_offset = 0;
            conn_pump(conn); /* more to send? */
        }
    }
    if (conn->out_offset == conn->out.len) {
        reel_buf_clear(&conn->out);
        conn->out_offset = 0;
        if (conn->close_when_flushed)
            conn->dead = true;
    } else if (conn->out_offset > (1u << 20)) {
        memmove(conn->out.data, conn->out.data + conn->out_offset,
                conn->out.len - conn->out_offset);
        conn->out.len -= conn->out_offset;
        conn->out_offset = 0;
    }
}

static bool conn_wants_write(proxy_conn *conn)
{
    if (conn->out_offset < conn->out.len)
        return true;
    return conn->proto == PROXY_PROTO_H2 && reel__h2_conn_wants_write(conn);
}

/* ---------------------------------------------------------------- the loop */

static void loop_once(reel_proxy_server *s, int timeout_ms)
{
    size_t n_conns = s->conns.len;
    struct pollfd *fds = reel_alloc(NULL, (n_conns + 2) * sizeof *fds);
    if (fds == NULL) {
        poll(NULL, 0, 10);
        return;
    }
    fds[0] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
    for (size_t i = 0; i < n_conns; i++) {
        proxy_conn *conn = REEL_VEC_AT(&s->conns, proxy_conn *, i);
        conn_pump(conn);
        short events = POLLIN;
        if (conn_wants_write(conn))
            events |= POLLOUT;
        fds[i + 2] = (struct pollfd){.fd = conn->fd, .events = events};
    }
    int rc = poll(fds, (nfds_t)(n_conns + 2), timeout_ms);
    if (rc > 0) {
        if (fds[1].revents)
            reel__wake_pipe_drain(s->wake[0]);
        uint8_t buffer[64 * 1024];
        for (size_t i = 0; i < n_conns; i++) {
            proxy_conn *conn = REEL_VEC_AT(&s->conns, proxy_conn *, i);
            short revents = fds[i + 2].revents;
            if (revents & (POLLIN | POLLHUP | POLLERR)) {
                /* Read a bounded amount per round so one client cannot starve the others. */
                for (int round = 0; round < 16 && !conn->dead; round++) {
                    long n = reel__socket_recv(conn->fd, buffer, sizeof buffer);
                    if (n == -2)
                        break;
                    if (n <= 0) {
                        conn->dead = true;
                        break;
                    }
                    if (!conn_input(conn, buffer, (size_t)n))
                        conn->close_when_flushed = true;
                    if (conn->close_when_flushed)
                        break;
                }
            }
            if (!conn->dead) {
                conn_pump(conn);
                conn_write(conn);
            }
        }
        if (fds[0].revents & POLLIN)
            conn_accept(s);
    }
    reel_free(NULL, fds, (n_conns + 2) * sizeof *fds);

    uint64_t now = reel_clock_monotonic_ns();
    size_t kept = 0;
    for (size_t i = 0; i < s->conns.len; i++) {
        proxy_conn *conn = REEL_VEC_AT(&s->conns, proxy_conn *, i);
        if (!conn->dead && conn->proto == PROXY_PROTO_H2)
            reel__h2_conn_tick(conn, now);
        if (!conn->dead) {
            conn_pump(conn);
            conn_write(conn);
        }
        if (conn->dead)
            conn_free(s, conn);
        else
            REEL_VEC_AT(&s->conns, proxy_conn *, kept++) = conn;
    }
    s->conns.len = kept;
}

reel_status reel_proxy_server_run(reel_proxy_server *s, reel_error *err)
{
    while (!atomic_load(&s->stop))
        loop_once(s, 500);
    /* Say goodbye: flush what is queued for a moment, then close everything. */
    for (size_t i = 0; i < s->conns.len; i++)
        conn_free(s, REEL_VEC_AT(&s->conns, proxy_conn *, i));
    s->conns.len = 0;
    if (!s->finished) {
        s->finished = true;
        save_finish(s);
    }
    if (s->save_status != REEL_OK)
        return reel_error_set(err, s->save_status, "--save %s failed (see the log)", s->save_path);
    return REEL_OK;
}

static void server_thread(void *arg)
{
    reel_proxy_server *s = arg;
    reel_error err = {0};
    if (reel_proxy_server_run(s, &err) != REEL_OK)
        reel_log(REEL_LOG_ERROR, "net", "proxy server: %s", err.message);
}

reel_status reel_proxy_server_start(reel_proxy_server *s, reel_error *err)
{
    if (s->thread_started)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "proxy server already started");
    REEL_TRY(reel_thread_start(&s->thread, server_thread, s, err));
    s->thread_started = true;
    return REEL_OK;
}

void reel_proxy_server_stop(reel_proxy_server *s)
{
    if (s == NULL)
        return;
    atomic_store(&s->stop, true);
    if (s->wake[1] >= 0)
        reel__wake_pipe_signal(s->wake[1]);
}

uint16_t reel_proxy_server_port(const reel_proxy_server *s)
{
    return s->port;
}

void reel_proxy_server_destroy(reel_proxy_server *s)
{
    if (s == NULL)
        return;
    reel_proxy_server_stop(s);
    if (s->thread_started)
        reel_thread_join(&s->thread);
    for (size_t i = 0; i < s->conns.len; i++)
        conn_free(s, REEL_VEC_AT(&s->conns, proxy_conn *, i));
    reel_vec_free(&s->conns);
    if (!s->finished) {
        s->finished = true;
        save_finish(s);
    }
    reel_rrd_writer_destroy(s->writer); /* only left when create failed */
    if (s->save_fd >= 0)
        close(s->save_fd);
    for (size_t i = 0; i < s->saved_stores.len; i++)
        reel_store_id_reset(&REEL_VEC_AT(&s->saved_stores, reel_store_id, i), NULL);
    reel_vec_free(&s->saved_stores);
    reel_vec_free(&s->save_pending);
    reel_vec_free(&s->readers);
    reel__proxy_history_free(&s->history);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
    reel_mutex_destroy(&s->stats_lock);
    reel_strfree(NULL, s->bind);
    reel_strfree(NULL, s->save_path);
    reel_free(NULL, s, sizeof *s);
}

/* The parts of a server that need no socket: options, history, lists, stats. */
static reel_proxy_server *server_alloc(const reel_proxy_server_options *options)
{
    reel_proxy_server_options o = options ? *options : (reel_proxy_server_options){0};
    reel_proxy_server *s = reel_alloc_zeroed(NULL, sizeof *s);
    if (s == NULL)
        return NULL;
    s->listen_fd = -1;
    s->save_fd = -1;
    s->wake[0] = s->wake[1] = -1;
    reel_vec_init(&s->conns, sizeof(proxy_conn *), NULL);
    reel_vec_init(&s->readers, sizeof(proxy_stream *), NULL);
    reel_vec_init(&s->saved_stores, sizeof(reel_store_id), NULL);
    reel_vec_init(&s->save_pending, sizeof(reel_rrd_message), NULL);
    reel_mutex_init(&s->stats_lock);
    atomic_init(&s->stop, false);
    s->bind = reel_strdup(NULL, o.bind ? o.bind : "127.0.0.1");
    s->save_path = o.save_path ? reel_strdup(NULL, o.save_path) : NULL;
    o.bind = s->bind;
    o.save_path = s->save_path;
    if (o.memory_limit == 0)
        o.memory_limit = (uint64_t)1 << 30;
    if (o.max_message_bytes == 0)
        o.max_message_bytes = REEL_GRPC_DEFAULT_MAX_MESSAGE;
    if (o.keepalive_ms == 0)
        o.keepalive_ms = 10000;
    s->options = o;
    s->reader_cap = 2 * o.memory_limit + ((uint64_t)64 << 20);
    reel__proxy_history_init(&s->history, o.memory_limit);
    if (s->bind == NULL || (o.save_path != NULL && s->save_path == NULL)) {
        s->finished = true;
        reel_proxy_server_destroy(s);
        return NULL;
    }
    return s;
}

reel_status reel_proxy_server_create(const reel_proxy_server_options *options,
                                     reel_proxy_server **out, reel_error *err)
{
    *out = NULL;
    reel_proxy_server *s = server_alloc(options);
    if (s == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_status status = reel__wake_pipe_open(s->wake, err);
    if (status == REEL_OK)
        status = reel__socket_listen(s->bind, s->options.port, &s->listen_fd, &s->port, err);
    if (status == REEL_OK && s->save_path != NULL) {
        s->save_fd = open(s->save_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (s->save_fd < 0) {
            status =
                reel_error_set(err, REEL_IO, "cannot create %s: %s", s->save_path, strerror(errno));
        } else {
            /* Unbuffered: every message reaches the file as it comes, so a kill loses
             * only the footer. */
            reel_rrd_sink sink = reel_rrd_sink_fd(s->save_fd);
            reel_rrd_writer_options wo = {.name = s->save_path};
            status = reel_rrd_writer_create(&sink, &wo, &s->writer, err);
        }
    }
    if (status != REEL_OK) {
        s->finished = true;
        reel_proxy_server_destroy(s);
        return status;
    }
    *out = s;
    return REEL_OK;
}

/* ---------------------------------------------------------------- without sockets */

reel_proxy_server *reel__proxy_server_create_detached(const reel_proxy_server_options *options)
{
    reel_proxy_server_options o = options ? *options : (reel_proxy_server_options){0};
    o.save_path = NULL;
    return server_alloc(&o);
}

void reel__proxy_server_feed(reel_proxy_server *s, const uint8_t *data, size_t len, size_t piece)
{
    proxy_conn *conn = reel_alloc_zeroed(NULL, sizeof *conn);
    if (conn == NULL)
        return;
    conn->server = s;
    conn->fd = -1;
    conn->proto = PROXY_PROTO_SNIFF;
    PROXY_STAT(s, connections, 1);
    if (piece == 0)
        piece = len ? len : 1;
    for (size_t offset = 0; offset < len && !conn->dead && !conn->close_when_flushed;) {
        size_t n = len - offset < piece ? len - offset : piece;
        if (!conn_input(conn, data + offset, n))
            conn->close_when_flushed = true;
        offset += n;
        /* Whatever the server answers is produced, then thrown away. */
        for (int round = 0; round < 64 && !conn->dead; round++) {
            conn_pump(conn);
            if (conn->out.len == 0)
                break;
            reel_buf_clear(&conn->out);
            conn->out_offset = 0;
        }
    }
    if (!conn->dead && conn->proto == PROXY_PROTO_H2)
        reel__h2_conn_tick(conn, reel_clock_monotonic_ns());
    conn_free(s, conn);
}
