/* Internal to the proxy server's files: the server, its connections and streams, and what the
 * protocol halves (server_h2.c: gRPC over h2c; server_http1.c: gRPC-Web over HTTP/1.1) call
 * back into the proxy (proxy_server.c: the poll loop, the history, readers, the save file).
 * Everything here runs on the server's loop thread. */
#ifndef REEL_NET_PROXY_SERVER_H
#define REEL_NET_PROXY_SERVER_H

#include <stdatomic.h>
#include <stddef.h>

#include "net/net_internal.h"

typedef struct proxy_conn proxy_conn;

typedef enum proxy_method {
    PROXY_METHOD_OTHER = 0,
    PROXY_METHOD_WRITE = 1, /* WriteMessages */
    PROXY_METHOD_READ = 2,  /* ReadMessages */
} proxy_method;

/* One gRPC call: an HTTP/2 stream, or the current HTTP/1.1 gRPC-Web request. */
typedef struct proxy_stream {
    proxy_conn *conn;
    int32_t id; /* HTTP/2 stream id (0 for HTTP/1.1) */
    proxy_method method;
    bool grpc_content_type;
    reel_grpc_frame_decoder decoder;
    reel_buf body; /* response bytes to send before the queue (h2) */
    size_t body_offset;
    reel__frame_queue pending; /* reader: frames still to send */
    size_t front_offset;       /* bytes of the front frame already sent */
    bool is_reader;
    bool is_writer;        /* counted in stats.writers */
    bool web_text;         /* gRPC-Web text (base64) */
    bool response_started; /* headers submitted */
    bool request_ended;    /* the client half-closed */
    bool ending;           /* send the trailers once the body is out */
    bool done;             /* trailers or an error went out */
    bool deferred;         /* h2 data provider waits for frames */
    reel_grpc_code code;
    char message[256];
} proxy_stream;

typedef enum proxy_proto { PROXY_PROTO_SNIFF, PROXY_PROTO_H2, PROXY_PROTO_HTTP1 } proxy_proto;

typedef struct http1_state http1_state;

struct proxy_conn {
    reel_proxy_server *server;
    int fd;
    proxy_proto proto;
    reel_buf in; /* bytes not yet handed to the protocol (sniffing, HTTP/1.1) */
    reel_buf out;
    size_t out_offset;
    bool dead; /* close now */
    bool close_when_flushed;
    void *h2;              /* nghttp2_session */
    uint64_t ping_sent_ns; /* 0 = none outstanding */
    uint64_t last_ping_ns;
    http1_state *http1;
};

struct reel_proxy_server {
    reel_proxy_server_options options;
    char *bind;
    char *save_path;
    uint16_t port;
    int listen_fd;
    int wake[2];
    atomic_bool stop;
    bool thread_started;
    reel_thread thread;
    reel_vec conns;   /* proxy_conn * */
    reel_vec readers; /* proxy_stream * */
    reel__proxy_history history;
    uint64_t reader_cap; /* a reader further behind than this is cut off */
    /* --save */
    int save_fd;
    reel_rrd_writer *writer;
    reel_vec saved_stores; /* reel_store_id owned copies, infos written */
    reel_vec save_pending; /* reel_rrd_message (decoded, owned) waiting for their info */
    bool finished;
    reel_status save_status;
    reel_mutex stats_lock;
    reel_proxy_server_stats stats;
};

/* ---- proxy_server.c, for the protocol halves */

/* Decodes and validates one WriteMessagesRequest, adds it to the history, queues it to every
 * reader and saves it. Errors: the message is refused (the caller ends the stream). */
reel_status reel__proxy_accept(reel_proxy_server *server, reel_span request, reel_error *err);
/* Turns the stream into a reader: queues the history, then live messages. */
reel_status reel__proxy_reader_add(reel_proxy_server *server, proxy_stream *stream);
void reel__proxy_reader_remove(reel_proxy_server *server, proxy_stream *stream);
void reel__proxy_stream_init(proxy_stream *stream, proxy_conn *conn, int32_t id);
void reel__proxy_stream_free(reel_proxy_server *server, proxy_stream *stream);
void reel__proxy_stats_add(reel_proxy_server *server, size_t offset, int64_t delta);
#define PROXY_STAT(server, field, delta)                                                           \
    reel__proxy_stats_add((server), offsetof(reel_proxy_server_stats, field), (delta))

/* For fuzzing: a server with no socket, thread or save file; feed hands it bytes as one new
 * connection's input in pieces of `piece` bytes (0 = all at once), throwing its answers away. */
reel_proxy_server *reel__proxy_server_create_detached(const reel_proxy_server_options *options);
void reel__proxy_server_feed(reel_proxy_server *server, const uint8_t *data, size_t len,
                             size_t piece);

/* ---- server_h2.c */
reel_status reel__h2_conn_start(proxy_conn *conn, reel_error *err);
/* Feeds received bytes; false when the connection must close. */
bool reel__h2_conn_recv(proxy_conn *conn, const uint8_t *data, size_t len);
/* Moves pending HTTP/2 output into conn->out (bounded). */
void reel__h2_conn_pump(proxy_conn *conn);
bool reel__h2_conn_wants_write(proxy_conn *conn);
void reel__h2_conn_free(proxy_conn *conn);
/* New frames were queued to this reader stream. */
void reel__h2_reader_wake(proxy_stream *stream);
/* Ends a stream with a status (trailers, or trailers-only when nothing was sent yet). */
void reel__h2_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message);
void reel__h2_conn_tick(proxy_conn *conn, uint64_t now_ns);

/* ---- server_http1.c */
/* Feeds received bytes; false when the connection must close. */
bool reel__http1_conn_recv(proxy_conn *conn, const uint8_t *data, size_t len);
void reel__http1_conn_pump(proxy_conn *conn);
void reel__http1_conn_free(proxy_conn *conn);
void reel__http1_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message);

/* Either protocol. */
void reel__proxy_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message);

#endif
