/* Live sources: `reel` with no file hosts the net module's gRPC message proxy (the same
 * server as `reel serve`) on its own thread, and `reel rerun+http://…/proxy` runs the net
 * module's ReadMessages reader on its own thread. Both hand messages to one on_message hook
 * that copies what the viewer needs (store id, source, a retained chunk, activation flags)
 * into a locked queue; the UI thread drains the queue at the start of a frame
 * (reel_viewer_begin_frame), so the network never waits for a frame and only the UI thread
 * touches stores. The only file of the viewer with sockets and threads: the web build
 * compiles the stubs at the bottom instead. */
#include <stdio.h>
#include <string.h>

#include "viewer/viewer_internal.h"

#ifndef __EMSCRIPTEN__

#include "net/net.h"

typedef struct queued_msg {
    reel_rrd_message_kind kind;
    reel_store_id store_id; /* owned */
    reel_store_source_kind source_kind;
    reel_chunk *chunk; /* retained */
    bool make_active, make_default;
} queued_msg;

struct viewer_live {
    reel_proxy_server *server; /* the listener, or NULL */
    reel_grpc_reader *reader;  /* the remote proxy being read, or NULL */
    reel_mutex lock;
    reel_vec queue; /* queued_msg, guarded by lock */
    size_t head;    /* first undrained entry */
};

static void on_message(void *ctx, const reel_rrd_message *msg)
{
    viewer_live *live = ctx;
    if (msg->kind == REEL_RRD_MESSAGE_END)
        return;
    queued_msg q = {.kind = msg->kind,
                    .source_kind = msg->store_info.source_kind,
                    .chunk = reel_chunk_retain(msg->arrow.chunk),
                    .make_active = msg->activation.make_active,
                    .make_default = msg->activation.make_default};
    const reel_store_id *id =
        msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO ? &msg->store_info.store_id : &msg->store_id;
    if (reel_store_id_copy(&q.store_id, id, NULL) != REEL_OK) {
        reel_chunk_release(q.chunk);
        reel_log(REEL_LOG_ERROR, "viewer", "live: out of memory, message dropped");
        return;
    }
    reel_mutex_lock(&live->lock);
    reel_status status = reel_vec_push(&live->queue, &q);
    reel_mutex_unlock(&live->lock);
    if (status != REEL_OK) {
        reel_chunk_release(q.chunk);
        reel_store_id_reset(&q.store_id, NULL);
        reel_log(REEL_LOG_ERROR, "viewer", "live: out of memory, message dropped");
    }
}

/* The live state shared by the listener and the reader, created on first use. */
static reel_status live_get(reel_viewer *viewer, viewer_live **out, reel_error *err)
{
    if (viewer->live != NULL) {
        *out = viewer->live;
        return REEL_OK;
    }
    viewer_live *live = reel_alloc_zeroed(viewer->alloc, sizeof *live);
    if (live == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    reel_vec_init(&live->queue, sizeof(queued_msg), NULL);
    if (reel_mutex_init(&live->lock) != REEL_OK) {
        reel_free(viewer->alloc, live, sizeof *live);
        return reel_error_set(err, REEL_INTERNAL, "viewer: cannot create the live queue's lock");
    }
    viewer->live = live;
    *out = live;
    return REEL_OK;
}

reel_status reel_viewer_live_start(reel_viewer *viewer, const reel_viewer_live_desc *desc,
                                   reel_error *err)
{
    if (viewer->live != NULL && viewer->live->server != NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: already listening on port %u",
                              (unsigned)reel_viewer_live_port(viewer));
    viewer_live *live = NULL;
    REEL_TRY(live_get(viewer, &live, err));
    reel_proxy_server_options options = {.bind = desc != NULL && desc->bind != NULL ? desc->bind
                                                                                    : "127.0.0.1",
                                         .port = desc != NULL ? desc->port : 0,
                                         .memory_limit = desc != NULL ? desc->memory_limit : 0,
                                         .on_message = on_message,
                                         .on_message_ctx = live};
    reel_proxy_server *server = NULL;
    reel_status status = reel_proxy_server_create(&options, &server, err);
    if (status == REEL_OK)
        status = reel_proxy_server_start(server, err);
    if (status != REEL_OK) {
        reel_proxy_server_destroy(server);
        return reel_error_prefix(err, "viewer: live listener: ");
    }
    live->server = server;
    return REEL_OK;
}

reel_status reel_viewer_read_start(reel_viewer *viewer, const reel_viewer_read_desc *desc,
                                   reel_error *err)
{
    const char *url = desc != NULL ? desc->url : NULL;
    if (url == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: no URL to read from");
    if (viewer->live != NULL && viewer->live->reader != NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "viewer: already reading a proxy");
    viewer_live *live = NULL;
    REEL_TRY(live_get(viewer, &live, err));
    reel_grpc_reader *reader = NULL;
    reel_status status =
        reel_grpc_reader_create(&(reel_grpc_reader_options){.url = url,
                                                            .retry_ms = desc->retry_ms,
                                                            .max_retry_ms = desc->max_retry_ms,
                                                            .on_message = on_message,
                                                            .on_message_ctx = live},
                                &reader, err);
    if (status != REEL_OK)
        return reel_error_prefix(err, "viewer: reading %s: ", url);
    live->reader = reader;
    return REEL_OK;
}

bool reel_viewer_read_state(const reel_viewer *viewer, reel_viewer_read_info *out)
{
    memset(out, 0, sizeof *out);
    if (viewer->live == NULL || viewer->live->reader == NULL)
        return false;
    reel_grpc_reader_stats stats;
    reel_grpc_reader_stats_get(viewer->live->reader, &stats);
    out->connected = stats.connected;
    out->connects = stats.connects;
    out->messages = stats.messages;
    snprintf(out->last_error, sizeof out->last_error, "%s", stats.last_error);
    return true;
}

uint16_t reel_viewer_live_port(const reel_viewer *viewer)
{
    return viewer->live != NULL && viewer->live->server != NULL
               ? reel_proxy_server_port(viewer->live->server)
               : 0;
}

size_t reel_viewer_live_pending(const reel_viewer *viewer)
{
    viewer_live *live = viewer->live;
    if (live == NULL)
        return 0;
    reel_mutex_lock(&live->lock);
    size_t n = live->queue.len - live->head;
    reel_mutex_unlock(&live->lock);
    return n;
}

size_t reel_viewer_live_drain(reel_viewer *viewer, size_t max_messages)
{
    viewer_live *live = viewer->live;
    if (live == NULL)
        return 0;
    size_t done = 0;
    for (;;) {
        if (max_messages != 0 && done >= max_messages)
            break;
        queued_msg q;
        reel_mutex_lock(&live->lock);
        bool got = live->head < live->queue.len;
        if (got) {
            q = REEL_VEC_AT(&live->queue, queued_msg, live->head++);
            if (live->head == live->queue.len) {
                live->head = 0;
                reel_vec_clear(&live->queue);
            }
        }
        reel_mutex_unlock(&live->lock);
        if (!got)
            break;
        viewer_msg m = {.kind = q.kind,
                        .store_id = &q.store_id,
                        .source_kind = q.source_kind,
                        .chunk = q.chunk,
                        .make_active = q.make_active,
                        .make_default = q.make_default};
        reel_error err = {0};
        if (reel__viewer_ingest(viewer, &m, REEL_VIEWER_SOURCE_LIVE, &err) != REEL_OK)
            reel_log(REEL_LOG_WARN, "viewer", "live message refused: %s", err.message);
        reel_chunk_release(q.chunk);
        reel_store_id_reset(&q.store_id, NULL);
        done++;
    }
    return done;
}

static void live_free(reel_viewer *viewer)
{
    viewer_live *live = viewer->live;
    if (live == NULL)
        return;
    reel_proxy_server_destroy(live->server); /* joins the thread: no more callbacks */
    reel_grpc_reader_destroy(live->reader);  /* the same */
    for (size_t i = live->head; i < live->queue.len; i++) {
        queued_msg *q = &REEL_VEC_AT(&live->queue, queued_msg, i);
        reel_chunk_release(q->chunk);
        reel_store_id_reset(&q->store_id, NULL);
    }
    reel_vec_free(&live->queue);
    reel_mutex_destroy(&live->lock);
    reel_free(viewer->alloc, live, sizeof *live);
    viewer->live = NULL;
}

void reel_viewer_live_stop(reel_viewer *viewer)
{
    if (viewer != NULL)
        live_free(viewer);
}

void reel__viewer_live_free(reel_viewer *viewer)
{
    live_free(viewer);
}

#else /* __EMSCRIPTEN__: the browser gets data another way (no listening sockets). */

reel_status reel_viewer_live_start(reel_viewer *viewer, const reel_viewer_live_desc *desc,
                                   reel_error *err)
{
    (void)viewer, (void)desc;
    return reel_error_set(err, REEL_UNSUPPORTED, "viewer: no live listener in the web build");
}
uint16_t reel_viewer_live_port(const reel_viewer *viewer)
{
    (void)viewer;
    return 0;
}
size_t reel_viewer_live_pending(const reel_viewer *viewer)
{
    (void)viewer;
    return 0;
}
size_t reel_viewer_live_drain(reel_viewer *viewer, size_t max_messages)
{
    (void)viewer, (void)max_messages;
    return 0;
}
reel_status reel_viewer_read_start(reel_viewer *viewer, const reel_viewer_read_desc *desc,
                                   reel_error *err)
{
    (void)viewer, (void)desc;
    return reel_error_set(err, REEL_UNSUPPORTED,
                          "viewer: reading a gRPC proxy is not available in the web build");
}
bool reel_viewer_read_state(const reel_viewer *viewer, reel_viewer_read_info *out)
{
    (void)viewer;
    memset(out, 0, sizeof *out);
    return false;
}
void reel_viewer_live_stop(reel_viewer *viewer)
{
    (void)viewer;
}
void reel__viewer_live_free(reel_viewer *viewer)
{
    (void)viewer;
}

#endif
