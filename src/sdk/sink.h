/* Internal to the sdk module: where a recording stream's messages go. The batcher thread hands
 * every sink the same ordered sequence of messages (the store info first, then chunks, and
 * for blueprints the activation last), each as a reel_rrd_message as the rrd module encodes
 * it; a sink turns them into bytes for its destination (an .rrd file, standard output, a
 * memory buffer, a gRPC connection). One file per sink kind: sink_file.c, sink_memory.c,
 * sink_grpc.c. A sink is used from one thread at a time (the batcher's), except where a
 * function says otherwise. */
#ifndef REEL_SDK_SINK_H
#define REEL_SDK_SINK_H

#include "rrd/rrd.h"

typedef struct reel_sink reel_sink;

typedef struct reel_sink_vtable {
    /* Takes one message (borrowed for the call). Errors are the sink's own (a full disk, a
     * buffer over its limit): the caller reports them and carries on with the next message;
     * a sink never aborts the process. */
    reel_status (*write)(reel_sink *sink, const reel_rrd_message *msg, reel_error *err);
    /* Pushes everything written so far to its destination, waiting at most timeout_ms
     * (0 = do not wait; UINT64_MAX = as long as it takes). TIMEOUT when it could not. */
    reel_status (*flush)(reel_sink *sink, uint64_t timeout_ms, reel_error *err);
    /* Flushes what it can (bounded: a gRPC sink waits at most its close timeout), finishes the
     * destination (an .rrd footer) and frees the sink. NULL-safe through reel__sink_close. */
    reel_status (*close)(reel_sink *sink, reel_error *err);
} reel_sink_vtable;

/* Every sink starts with this header. */
struct reel_sink {
    const reel_sink_vtable *vtable;
    const char *name; /* for messages: "file out.rrd", "grpc rerun+http://…/proxy" */
};

static inline reel_status reel__sink_write(reel_sink *sink, const reel_rrd_message *msg,
                                           reel_error *err)
{
    return sink->vtable->write(sink, msg, err);
}

static inline reel_status reel__sink_flush(reel_sink *sink, uint64_t timeout_ms, reel_error *err)
{
    return sink->vtable->flush(sink, timeout_ms, err);
}

static inline reel_status reel__sink_close(reel_sink *sink, reel_error *err)
{
    return sink == NULL ? REEL_OK : sink->vtable->close(sink, err);
}

/* The gRPC sink (sink_grpc.c, over the net module's gRPC client): connects lazily to `url`
 * ("rerun+http://127.0.0.1:9876/proxy"), sends every message as a WriteMessagesRequest on one
 * long-lived WriteMessages call, reconnects every `retry_ms` after a failure, buffers up to
 * `max_buffer_bytes` while disconnected (then drops the oldest and counts what it dropped),
 * and on close flushes for at most `close_timeout_ms`. Zero options = Rerun's defaults. */
typedef struct reel_sink_grpc_options {
    const char *url;
    uint32_t retry_ms;         /* 0 = 100 */
    uint64_t max_buffer_bytes; /* 0 = 256 MiB */
    uint64_t close_timeout_ms; /* 0 = 5000 */
    bool compress;             /* LZ4 the ArrowMsg payloads (the Rust SDK's default) */
} reel_sink_grpc_options;

reel_status reel__sink_grpc_create(const reel_sink_grpc_options *options, reel_sink **out,
                                   reel_error *err);

#endif
