/* The SDK's gRPC sink: every message the batcher hands over is encoded as a
 * WriteMessagesRequest (ArrowMsg payloads LZ4-compressed when asked, as the Rust SDK does) and
 * queued on the net module's gRPC client, whose I/O thread owns the connection. Writing never
 * waits for the network; flush and close wait, bounded. */
#include <stdio.h>

#include "net/net.h"
#include "sdk/sink.h"

typedef struct grpc_sink {
    reel_sink base;
    reel_grpc_client *client;
    reel_rrd_compression compression;
    reel_buf scratch; /* one encoded request, reused */
    char name[300];
} grpc_sink;

static reel_status grpc_sink_write(reel_sink *sink, const reel_rrd_message *msg, reel_error *err)
{
    grpc_sink *s = (grpc_sink *)sink;
    reel_buf_clear(&s->scratch);
    reel_rrd_encode_options options = {.compression = s->compression};
    REEL_TRY(
        reel_rrd_message_encode(msg, REEL_RRD_ENVELOPE_REQUEST, &options, &s->scratch, NULL, err));
    return reel_grpc_client_send(s->client, s->scratch.data, s->scratch.len, err);
}

static reel_status grpc_sink_flush(reel_sink *sink, uint64_t timeout_ms, reel_error *err)
{
    grpc_sink *s = (grpc_sink *)sink;
    return reel_grpc_client_flush(s->client, timeout_ms, err);
}

static reel_status grpc_sink_close(reel_sink *sink, reel_error *err)
{
    grpc_sink *s = (grpc_sink *)sink;
    reel_status status = reel_grpc_client_close(s->client, err);
    reel_buf_free(&s->scratch);
    reel_free(NULL, s, sizeof *s);
    return status;
}

static const reel_sink_vtable grpc_sink_vtable = {
    .write = grpc_sink_write,
    .flush = grpc_sink_flush,
    .close = grpc_sink_close,
};

reel_status reel__sink_grpc_create(const reel_sink_grpc_options *options, reel_sink **out,
                                   reel_error *err)
{
    *out = NULL;
    reel_sink_grpc_options o = options ? *options : (reel_sink_grpc_options){0};
    grpc_sink *s = reel_alloc_zeroed(NULL, sizeof *s);
    if (s == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    const char *url = o.url ? o.url : "rerun+http://127.0.0.1:9876/proxy";
    reel_grpc_client_options client_options = {.url = url,
                                               .retry_ms = o.retry_ms,
                                               .max_buffer_bytes = o.max_buffer_bytes,
                                               .close_timeout_ms = o.close_timeout_ms};
    reel_status status = reel_grpc_client_create(&client_options, &s->client, err);
    if (status != REEL_OK) {
        reel_free(NULL, s, sizeof *s);
        return status;
    }
    snprintf(s->name, sizeof s->name, "grpc %s", url);
    s->base.vtable = &grpc_sink_vtable;
    s->base.name = s->name;
    s->compression = o.compress ? REEL_RRD_COMPRESSION_LZ4 : REEL_RRD_COMPRESSION_NONE;
    *out = &s->base;
    return REEL_OK;
}
