/* The net module: Rerun's gRPC message proxy (rrd-format.md §7) on both sides. gRPC message
 * framing and gRPC-Web pieces, `rerun+http://` URLs, a proxy server (h2c gRPC and gRPC-Web over
 * HTTP/1.1 on one port, history replay to late readers, a memory limit, optional .rrd saving)
 * and a gRPC client that keeps one WriteMessages call open from its own I/O thread. HTTP/2
 * is libnghttp2; no nghttp2 type appears here. Depends on core and rrd. Thread-safety is
 * stated per function. */
#ifndef REEL_NET_H
#define REEL_NET_H

#include "core/core.h"
#include "rrd/rrd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- gRPC framing */

#define REEL_GRPC_FRAME_HEADER_SIZE 5
/* Flag bits of the frame's first byte: compressed payload; gRPC-Web trailers frame. */
#define REEL_GRPC_FLAG_COMPRESSED 0x01u
#define REEL_GRPC_FLAG_TRAILERS 0x80u
/* Default cap of one message (the proxy's and the client's). */
#define REEL_GRPC_DEFAULT_MAX_MESSAGE ((uint64_t)1 << 30)

#define REEL_GRPC_PATH_WRITE_MESSAGES "/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages"
#define REEL_GRPC_PATH_READ_MESSAGES "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages"

/* gRPC status codes (grpc-status trailer). */
typedef enum reel_grpc_code {
    REEL_GRPC_OK = 0,
    REEL_GRPC_CANCELLED = 1,
    REEL_GRPC_UNKNOWN = 2,
    REEL_GRPC_INVALID_ARGUMENT = 3,
    REEL_GRPC_RESOURCE_EXHAUSTED = 8,
    REEL_GRPC_UNIMPLEMENTED = 12,
    REEL_GRPC_INTERNAL = 13,
    REEL_GRPC_UNAVAILABLE = 14,
} reel_grpc_code;

/* Writes the 5-byte prefix: flags, then the length big-endian. */
void reel_grpc_frame_header_encode(uint8_t flags, uint32_t len, uint8_t out[5]);
/* Appends one frame (prefix + message). LIMIT when len does not fit in 32 bits. */
reel_status reel_grpc_frame_append(reel_buf *out, uint8_t flags, const uint8_t *message, size_t len,
                                   reel_error *err);

/* Incremental frame decoder: bytes in (any pieces), whole frames out. The length is checked
 * against the cap before anything is buffered, so a hostile length costs nothing. After an
 * error the decoder stays failed. Caller-allocated: init, push, reset. */
typedef struct reel_grpc_frame_decoder {
    uint64_t max_message;  /* 0 = REEL_GRPC_DEFAULT_MAX_MESSAGE */
    bool allow_trailers;   /* accept flag 0x80 (gRPC-Web responses) */
    bool allow_compressed; /* accept flag 0x01 (nothing here negotiates compression) */
    uint8_t header[5];
    size_t header_len;
    reel_buf message; /* the current frame's payload so far */
    bool failed;
    uint64_t frames; /* frames decoded so far */
} reel_grpc_frame_decoder;

typedef struct reel_grpc_frame {
    uint8_t flags;
    reel_span message; /* borrowed from the decoder until its next push */
} reel_grpc_frame;

void reel_grpc_frame_decoder_init(reel_grpc_frame_decoder *d, uint64_t max_message);
/* Consumes bytes up to the end of at most one frame: *consumed says how many were taken and
 * *got whether `frame` now holds a whole frame. Call again with the rest. Errors: LIMIT (length
 * over the cap), UNSUPPORTED (compressed or unknown flags), with a message. */
reel_status reel_grpc_frame_decoder_push(reel_grpc_frame_decoder *d, const uint8_t *data,
                                         size_t len, size_t *consumed, reel_grpc_frame *frame,
                                         bool *got, reel_error *err);
/* True between frames (nothing partial buffered). */
bool reel_grpc_frame_decoder_idle(const reel_grpc_frame_decoder *d);
void reel_grpc_frame_decoder_reset(reel_grpc_frame_decoder *d); /* frees; NULL-safe */

/* Base64 (standard alphabet, padded) for application/grpc-web-text. Decoding accepts
 * concatenated padded groups (each gRPC-Web frame is encoded on its own) and ignores
 * whitespace; anything else is CORRUPT. */
reel_status reel_net_base64_encode(const uint8_t *data, size_t len, reel_buf *out, reel_error *err);
reel_status reel_net_base64_decode(const char *text, size_t len, reel_buf *out, reel_error *err);

/* Appends gRPC-Web trailers as a final frame (flag 0x80): "grpc-status:N\r\n" and, when
 * message is not NULL/empty, "grpc-message:…\r\n" (percent-encoded). */
reel_status reel_grpc_web_trailers_append(reel_buf *out, reel_grpc_code code, const char *message,
                                          reel_error *err);

/* ---------------------------------------------------------------- URLs */

#define REEL_NET_DEFAULT_PROXY_PORT 9876
#define REEL_NET_DEFAULT_CATALOG_PORT 51234

/* A parsed Rerun URL (rrd-format.md §7.4): `rerun+http://` is http, `rerun+https://` and
 * `rerun://` are https; scheme-less input is allowed for localhost / 127.0.0.1 (rerun+http)
 * and rerun.io (rerun://). A missing port is 9876 for a /proxy URL on localhost, 51234 for
 * another path on localhost, otherwise 80 / 443. */
typedef struct reel_net_url {
    bool tls;
    char host[256]; /* without brackets for IPv6 literals */
    uint16_t port;
    char path[256]; /* "/proxy", or "" */
    bool is_proxy;  /* path == "/proxy" */
} reel_net_url;

reel_status reel_net_url_parse(const char *text, reel_net_url *out, reel_error *err);

/* ---------------------------------------------------------------- proxy server */

/* Rerun's message proxy: WriteMessages from any number of clients, ReadMessages to any
 * number of readers (the history first: store infos, blueprints and activations, then
 * static chunks, then the rest, each oldest first; then live messages). Above memory_limit
 * the oldest temporal recording chunks go first, then static ones; store infos, blueprint
 * chunks and activation commands are never dropped. Every incoming message is decoded and
 * validated; a client sending garbage loses its own stream (gRPC error status) or, for
 * broken HTTP/2, its connection. h2c gRPC and gRPC-Web over HTTP/1.1 share the port. */
typedef struct reel_proxy_server reel_proxy_server;

typedef struct reel_proxy_server_options {
    const char *bind;           /* NULL = "127.0.0.1"; "0.0.0.0", "::" also work */
    uint16_t port;              /* 0 = ephemeral (see reel_proxy_server_port) */
    uint64_t memory_limit;      /* bytes of history kept; 0 = 1 GiB */
    const char *save_path;      /* also write everything received to this .rrd */
    uint64_t max_message_bytes; /* 0 = REEL_GRPC_DEFAULT_MAX_MESSAGE */
    uint32_t keepalive_ms;      /* HTTP/2 PING interval; 0 = 10000 (dropped after 2x) */
    /* When set, called on the server's thread with every message it accepts (decoded and
     * validated, after it joined the history), e.g. for a viewer hosting the proxy. The
     * message is borrowed for the call: retain its chunk or copy what is kept. It must not
     * block for long: it holds up the server's loop. */
    void (*on_message)(void *ctx, const reel_rrd_message *msg);
    void *on_message_ctx;
} reel_proxy_server_options;

typedef struct reel_proxy_server_stats {
    uint64_t messages_received, bytes_received;
    uint64_t messages_rejected;               /* undecodable or badly framed */
    uint64_t messages_dropped, bytes_dropped; /* history dropped by the memory limit */
    uint64_t history_messages, history_bytes;
    uint64_t connections, writers, readers; /* open now */
    uint64_t saved_messages;
    reel_status save_status; /* first error of the --save file, or OK */
} reel_proxy_server_stats;

/* Binds and listens (the port is known when this returns) and opens the save file. */
reel_status reel_proxy_server_create(const reel_proxy_server_options *options,
                                     reel_proxy_server **out, reel_error *err);
uint16_t reel_proxy_server_port(const reel_proxy_server *server);
/* Serves on a background thread until stop. */
reel_status reel_proxy_server_start(reel_proxy_server *server, reel_error *err);
/* Serves on the calling thread until stop; then closes every connection and finishes the
 * save file (its footer). Returns the save file's status. */
reel_status reel_proxy_server_run(reel_proxy_server *server, reel_error *err);
/* Asks run (or the background thread) to return. Thread-safe and async-signal-safe. */
void reel_proxy_server_stop(reel_proxy_server *server);
/* Thread-safe snapshot. */
void reel_proxy_server_stats_get(const reel_proxy_server *server, reel_proxy_server_stats *out);
/* Stops, joins the background thread, finishes the save file and frees. NULL-safe. */
void reel_proxy_server_destroy(reel_proxy_server *server);

/* ---------------------------------------------------------------- gRPC client */

/* One long-lived WriteMessages call to a proxy, driven by its own I/O thread. Connects
 * lazily and retries every retry_ms; while disconnected (or while the network is slower than
 * the sender) it buffers up to max_buffer_bytes and then drops the oldest messages, never a
 * SetStoreInfo, and reports drops through the core logger. Every SetStoreInfo sent is
 * remembered and sent again first after a reconnect, so a restarted server gets a valid
 * stream. All functions are thread-safe except close. */
typedef struct reel_grpc_client reel_grpc_client;

typedef struct reel_grpc_client_options {
    const char *url;           /* "rerun+http://127.0.0.1:9876/proxy"; NULL = that */
    uint32_t retry_ms;         /* 0 = 100 */
    uint64_t max_buffer_bytes; /* 0 = 256 MiB */
    uint64_t close_timeout_ms; /* 0 = 5000 */
} reel_grpc_client_options;

typedef struct reel_grpc_client_stats {
    uint64_t sent_messages, sent_bytes;         /* handed to the socket */
    uint64_t buffered_messages, buffered_bytes; /* waiting */
    uint64_t dropped_messages, dropped_bytes;   /* dropped by the buffer limit */
    uint64_t reconnects;                        /* connections made after the first */
    bool connected;
} reel_grpc_client_stats;

/* Starts the I/O thread; does not connect yet. UNSUPPORTED for TLS URLs and non-proxy paths. */
reel_status reel_grpc_client_create(const reel_grpc_client_options *options, reel_grpc_client **out,
                                    reel_error *err);
/* Queues one encoded WriteMessagesRequest (copied). Never blocks on the network. */
reel_status reel_grpc_client_send(reel_grpc_client *client, const uint8_t *request, size_t len,
                                  reel_error *err);
/* Waits until everything queued so far has been handed to the socket, at most timeout_ms
 * (UINT64_MAX = no limit). TIMEOUT otherwise. */
reel_status reel_grpc_client_flush(reel_grpc_client *client, uint64_t timeout_ms, reel_error *err);
void reel_grpc_client_stats_get(const reel_grpc_client *client, reel_grpc_client_stats *out);
/* Flushes (at most close_timeout_ms), half-closes the call, waits for the server's
 * grpc-status (same bound), stops the thread and frees. OK when everything was delivered and
 * the server answered 0. NULL-safe (OK). */
reel_status reel_grpc_client_close(reel_grpc_client *client, reel_error *err);

/* ---------------------------------------------------------------- gRPC reader */

/* One long-lived ReadMessages call to a proxy (Reel's own or Rerun's `--serve-grpc`), driven
 * by its own I/O thread: the mirror of reel_grpc_client. The server first replays its history,
 * then streams live messages; each ReadMessagesResponse (the same bytes as a
 * WriteMessagesRequest) is decoded and handed to on_message on the reader's thread. When the
 * server goes away or ends the call the reader reconnects with exponential backoff (retry_ms
 * doubling up to max_retry_ms; reset once a connection delivers data). A reconnect starts a
 * new call, so a server that kept its history replays it again. Thread-safe: stats_get;
 * create and destroy belong to one thread. */
typedef struct reel_grpc_reader reel_grpc_reader;

typedef struct reel_grpc_reader_options {
    const char *url;            /* "rerun+http://127.0.0.1:9876/proxy"; NULL = that */
    uint32_t retry_ms;          /* first retry delay; 0 = 100 */
    uint32_t max_retry_ms;      /* backoff cap; 0 = 2000 */
    uint64_t max_message_bytes; /* 0 = REEL_GRPC_DEFAULT_MAX_MESSAGE */
    /* After this long without a byte from the server an HTTP/2 PING goes out; no answer
     * within the same time drops the connection (a server gone without closing it).
     * 0 = 10000. */
    uint32_t keepalive_ms;
    /* Called on the reader's thread with every decoded message (borrowed for the call: retain
     * its chunk or copy what is kept). Must not block for long. */
    void (*on_message)(void *ctx, const reel_rrd_message *msg);
    void *on_message_ctx;
} reel_grpc_reader_options;

typedef struct reel_grpc_reader_stats {
    uint64_t messages, bytes; /* decoded and handed to on_message */
    uint64_t bad_messages;    /* undecodable, skipped */
    uint64_t connects;        /* calls started (1 after the first connection) */
    bool connected;           /* a call is open now */
    char last_error[256];     /* why the last connection failed or ended; "" = none */
} reel_grpc_reader_stats;

/* Parses the URL and starts the I/O thread (it connects at once, then retries). Errors:
 * a malformed URL (the parser's message), UNSUPPORTED for TLS URLs and non-proxy paths. */
reel_status reel_grpc_reader_create(const reel_grpc_reader_options *options, reel_grpc_reader **out,
                                    reel_error *err);
void reel_grpc_reader_stats_get(const reel_grpc_reader *reader, reel_grpc_reader_stats *out);
/* Stops the thread (no more on_message calls after it returns) and frees. NULL-safe. */
void reel_grpc_reader_destroy(reel_grpc_reader *reader);

#ifdef __cplusplus
}
#endif
#endif
