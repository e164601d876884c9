/* Internals shared by the net module's files (not its surface; unit tests use them too): a
 * FIFO of ref-counted frames (history queues, reader queues), the proxy's history with its
 * memory limit, socket helpers, and the peek that tells a SetStoreInfo request apart. */
#ifndef REEL_NET_INTERNAL_H
#define REEL_NET_INTERNAL_H

#include "net/net.h"

/* ---------------------------------------------------------------- frame queue (net_queue.c) */

/* A FIFO ring of blob references. Each blob is one gRPC frame (5-byte prefix + message). */
typedef struct reel__frame_queue {
    reel_blob **items;
    size_t head, count, cap;
    uint64_t bytes; /* sum of blob lengths */
} reel__frame_queue;

/* Retains blob. */
reel_status reel__frame_queue_push(reel__frame_queue *q, reel_blob *blob);
/* Removes the oldest and returns it (the caller owns that reference), NULL if empty. */
reel_blob *reel__frame_queue_pop(reel__frame_queue *q);
reel_blob *reel__frame_queue_front(const reel__frame_queue *q);
reel_blob *reel__frame_queue_at(const reel__frame_queue *q, size_t i);
/* Retains blob and puts it first. */
reel_status reel__frame_queue_push_front(reel__frame_queue *q, reel_blob *blob);
/* Removes item i (0 = oldest) and returns it (the caller owns that reference). */
reel_blob *reel__frame_queue_remove_at(reel__frame_queue *q, size_t i);
void reel__frame_queue_free(reel__frame_queue *q); /* releases all; NULL-safe */

/* ---------------------------------------------------------------- proxy history (net_proxy.c) */

/* Where a message lives in the history (Rerun's MessageBuffer): never dropped, static chunks,
 * the rest (temporal recording chunks, dropped first). */
typedef enum reel__proxy_class {
    REEL__PROXY_PERSISTENT = 0,
    REEL__PROXY_STATIC = 1,
    REEL__PROXY_TEMPORAL = 2,
} reel__proxy_class;

/* Store infos, activations and blueprint chunks are persistent; recording chunks static or
 * temporal by the chunk (or ArrowMsg.is_static when the chunk was not decoded). */
reel__proxy_class reel__proxy_classify(const reel_rrd_message *msg);

typedef struct reel__proxy_history {
    reel__frame_queue queues[3]; /* by reel__proxy_class */
    uint64_t memory_limit;
    uint64_t dropped_messages, dropped_bytes;
} reel__proxy_history;

void reel__proxy_history_init(reel__proxy_history *h, uint64_t memory_limit);
/* Retains the frame, then drops the oldest temporal, then static frames while over the limit. */
reel_status reel__proxy_history_add(reel__proxy_history *h, reel__proxy_class cls,
                                    reel_blob *frame);
uint64_t reel__proxy_history_bytes(const reel__proxy_history *h);
uint64_t reel__proxy_history_count(const reel__proxy_history *h);
/* Calls fn for every frame in replay order: persistent, static, temporal, each oldest first. */
reel_status reel__proxy_history_replay(const reel__proxy_history *h,
                                       reel_status (*fn)(void *ctx, reel_blob *frame), void *ctx);
void reel__proxy_history_free(reel__proxy_history *h);

/* ---------------------------------------------------------------- requests */

/* What a WriteMessagesRequest holds, read from its first bytes without decoding it: the LogMsg
 * oneof number (1 SetStoreInfo, 2 ArrowMsg, 3 activation) or 0 when it cannot tell. */
int reel__request_peek_kind(const uint8_t *request, size_t len);

/* ---------------------------------------------------------------- sockets (net_socket.c) */

/* A listening TCP socket (non-blocking, SO_REUSEADDR) on bind:port; *bound_port gets the port. */
reel_status reel__socket_listen(const char *bind, uint16_t port, int *fd, uint16_t *bound_port,
                                reel_error *err);
/* Starts a non-blocking connect; *in_progress when poll for POLLOUT must finish it. */
reel_status reel__socket_connect(const char *host, uint16_t port, int *fd, bool *in_progress,
                                 reel_error *err);
/* Non-blocking + TCP_NODELAY (+ close-on-exec). */
void reel__socket_setup(int fd);
/* send() with MSG_NOSIGNAL; returns bytes written, 0 when it would block, -1 on error. */
long reel__socket_send(int fd, const uint8_t *data, size_t len);
/* recv(); bytes read, 0 at EOF, -1 on error, -2 when it would block. */
long reel__socket_recv(int fd, uint8_t *data, size_t len);
/* A self-pipe for waking a poll loop: both ends non-blocking. */
reel_status reel__wake_pipe_open(int fds[2], reel_error *err);
void reel__wake_pipe_signal(int write_fd); /* async-signal-safe */
void reel__wake_pipe_drain(int read_fd);

#endif
