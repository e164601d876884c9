/* The proxy's gRPC-Web over HTTP/1.1 (what the web viewer speaks, and tonic-web's shape):
 * POST of application/grpc-web(+proto) or application/grpc-web-text (base64) bodies, plain or
 * chunked; responses are chunked, trailers go as a final frame with flag 0x80; CORS for
 * localhost, 127.0.0.1 and rerun.io origins, preflight included. One request at a time per
 * connection; a ReadMessages response streams until the server stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/proxy_server.h"

#define HTTP1_MAX_HEAD (64 * 1024)

typedef enum h1_phase { H1_HEAD, H1_BODY, H1_IGNORE } h1_phase;
typedef enum h1_chunk { CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, CHUNK_TRAILER } h1_chunk;

struct http1_state {
    h1_phase phase;
    reel_buf head;
    char method[16];
    char path[256];
    char origin[256];
    char content_type[80];
    char request_headers[512]; /* Access-Control-Request-Headers */
    bool chunked;
    uint64_t content_length, body_received;
    h1_chunk chunk_state;
    uint64_t chunk_left;
    reel_buf line;
    reel_buf text_carry; /* base64 characters not yet decoded */
    proxy_stream stream;
    bool stream_active;
    bool streaming; /* a chunked ReadMessages response is open */
};

/* ---------------------------------------------------------------- CORS */

/* *://localhost[:*], *://127.0.0.1[:*], *://rerun.io[:*] (Rerun's defaults). */
static bool origin_allowed(const char *origin)
{
    const char *host = strstr(origin, "://");
    if (host == NULL)
        return false;
    host += 3;
    static const char *const hosts[] = {"localhost", "127.0.0.1", "rerun.io"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t n = strlen(hosts[i]);
        if (strncasecmp(host, hosts[i], n) == 0 && (host[n] == '\0' || host[n] == ':'))
            return true;
    }
    return false;
}

static void append_cors(reel_buf *out, const http1_state *h)
{
    if (h->origin[0] == '\0' || !origin_allowed(h->origin))
        return;
    reel_buf_printf(out,
                    "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n"
                    "Access-Control-Expose-Headers: grpc-status, grpc-message\r\n",
                    h->origin);
}

/* ---------------------------------------------------------------- responses */

static const char *response_type(const http1_state *h)
{
    return h->stream.web_text ? "application/grpc-web-text+proto" : "application/grpc-web+proto";
}

/* Appends a gRPC-Web body piece (base64 for the text form). */
static void append_web(reel_buf *out, const http1_state *h, const uint8_t *data, size_t len)
{
    if (h->stream.web_text)
        reel_net_base64_encode(data, len, out, NULL);
    else
        reel_buf_append(out, data, len);
}

static void append_chunk(reel_buf *out, const http1_state *h, const uint8_t *data, size_t len)
{
    reel_buf body = {0};
    append_web(&body, h, data, len);
    reel_buf_printf(out, "%zx\r\n", body.len);
    reel_buf_append(out, body.data, body.len);
    reel_buf_printf(out, "\r\n");
    reel_buf_free(&body);
}

static void simple_response(proxy_conn *conn, const char *status_line, const char *text)
{
    http1_state *h = conn->http1;
    reel_buf_printf(&conn->out,
                    "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                    "Connection: close\r\n",
                    status_line, strlen(text));
    append_cors(&conn->out, h);
    reel_buf_printf(&conn->out, "\r\n%s", text);
    conn->close_when_flushed = true;
    h->phase = H1_IGNORE;
}

/* A whole gRPC-Web response with a known length: optional message frame, then trailers. */
static void complete_response(proxy_conn *conn, bool with_message, reel_grpc_code code,
                              const char *message)
{
    http1_state *h = conn->http1;
    reel_buf frames = {0};
    if (with_message)
        reel_grpc_frame_append(&frames, 0, NULL, 0, NULL);
    reel_grpc_web_trailers_append(&frames, code, message, NULL);
    reel_buf body = {0};
    append_web(&body, h, frames.data, frames.len);
    reel_buf_printf(&conn->out,
                    "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                    "grpc-accept-encoding: identity\r\n",
                    response_type(h), body.len);
    append_cors(&conn->out, h);
    reel_buf_printf(&conn->out, "\r\n");
    reel_buf_append(&conn->out, body.data, body.len);
    reel_buf_free(&body);
    reel_buf_free(&frames);
}

void reel__http1_stream_finish(proxy_stream *stream, reel_grpc_code code, const char *message)
{
    proxy_conn *conn = stream->conn;
    http1_state *h = conn->http1;
    if (stream->done)
        return;
    stream->done = true;
    reel__proxy_reader_remove(conn->server, stream);
    if (h->streaming) {
        reel__frame_queue_free(&stream->pending);
        reel_buf trailers = {0};
        reel_grpc_web_trailers_append(&trailers, code, message, NULL);
        append_chunk(&conn->out, h, trailers.data, trailers.len);
        reel_buf_free(&trailers);
        reel_buf_printf(&conn->out, "0\r\n\r\n");
    } else {
        complete_response(conn, false, code, message);
    }
    /* The rest of the request body is unknown territory: close after the answer. */
    conn->close_when_flushed = true;
    h->phase = H1_IGNORE;
}

void reel__http1_conn_pump(proxy_conn *conn)
{
    http1_state *h = conn->http1;
    if (h == NULL || !h->streaming || h->stream.done)
        return;
    while (conn->out.len - conn->out_offset < 256 * 1024) {
        reel_blob *frame = reel__frame_queue_pop(&h->stream.pending);
        if (frame == NULL)
            break;
        append_chunk(&conn->out, h, reel_blob_data(frame), reel_blob_len(frame));
        reel_blob_release(frame);
    }
}

/* ---------------------------------------------------------------- requests */

static void reset_request(http1_state *h, proxy_conn *conn)
{
    if (h->stream_active)
        reel__proxy_stream_free(conn->server, &h->stream);
    h->stream_active = false;
    h->streaming = false;
    h->phase = H1_HEAD;
    h->method[0] = h->path[0] = h->origin[0] = h->content_type[0] = h->request_headers[0] = '\0';
    h->chunked = false;
    h->content_length = h->body_received = 0;
    h->chunk_state = CHUNK_SIZE;
    h->chunk_left = 0;
    reel_buf_clear(&h->line);
    reel_buf_clear(&h->text_carry);
}

static void copy_value(char *dst, size_t cap, const char *value, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, value, len);
    dst[len] = '\0';
}

/* Parses the request head in h->head (ending in CRLF CRLF). False on malformed input. */
static bool parse_head(http1_state *h)
{
    char *text = (char *)h->head.data;
    char *end = text + h->head.len;
    char *line_end = strstr(text, "\r\n");
    if (line_end == NULL)
        return false;
    /* METHOD SP PATH SP HTTP/1.x */
    char *sp1 = memchr(text, ' ', (size_t)(line_end - text));
    if (sp1 == NULL)
        return false;
    char *sp2 = memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1));
    if (sp2 == NULL || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return false;
    copy_value(h->method, sizeof h->method, text, (size_t)(sp1 - text));
    copy_value(h->path, sizeof h->path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    char *p = line_end + 2;
    while (p < end) {
        char *eol = strstr(p, "\r\n");
        if (eol == NULL || eol == p)
            break;
        char *colon = memchr(p, ':', (size_t)(eol - p));
        if (colon == NULL)
            return false;
        size_t name_len = (size_t)(colon - p);
        char *value = colon + 1;
        while (value < eol && (*value == ' ' || *value == '\t'))
            value++;
        size_t value_len = (size_t)(eol - value);
        while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
            value_len--;
#define IS(name) (name_len == sizeof(name) - 1 && strncasecmp(p, name, name_len) == 0)
        if (IS("content-length")) {
            char digits[24];
            copy_value(digits, sizeof digits, value, value_len);
            char *digits_end = NULL;
            unsigned long long n = strtoull(digits, &digits_end, 10);
            if (digits[0] < '0' || digits[0] > '9' || *digits_end != '\0')
                return false;
            h->content_length = n;
        } else if (IS("transfer-encoding")) {
            h->chunked = value_len >= 7 && strncasecmp(value + value_len - 7, "chunked", 7) == 0;
        } else if (IS("origin")) {
            copy_value(h->origin, sizeof h->origin, value, value_len);
        } else if (IS("content-type")) {
            copy_value(h->content_type, sizeof h->content_type, value, value_len);
        } else if (IS("access-control-request-headers")) {
            copy_value(h->request_headers, sizeof h->request_headers, value, value_len);
        }
#undef IS
        p = eol + 2;
    }
    return true;
}

static void preflight(proxy_conn *conn)
{
    http1_state *h = conn->http1;
    reel_buf_printf(&conn->out, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n");
    if (h->origin[0] != '\0' && origin_allowed(h->origin)) {
        append_cors(&conn->out, h);
        reel_buf_printf(&conn->out,
                        "Access-Control-Allow-Methods: POST, OPTIONS\r\n"
                        "Access-Control-Allow-Headers: %s\r\n"
                        "Access-Control-Max-Age: 86400\r\n",
                        h->request_headers[0] ? h->request_headers
                                              : "content-type, x-grpc-web, x-user-agent, "
                                                "grpc-timeout");
    }
    reel_buf_printf(&conn->out, "\r\n");
}

/* The head is complete: decide what to do with the request. */
static void begin_request(proxy_conn *conn)
{
    http1_state *h = conn->http1;
    if (!parse_head(h)) {
        simple_response(conn, "400 Bad Request", "malformed HTTP/1.1 request\n");
        return;
    }
    h->phase = H1_BODY;
    if (strcmp(h->method, "OPTIONS") == 0) {
        preflight(conn);
        return;
    }
    bool web = strncasecmp(h->content_type, "application/grpc-web", 20) == 0;
    if (strcmp(h->method, "POST") != 0 || !web) {
        simple_response(conn, "404 Not Found",
                        "Reel's gRPC proxy: POST gRPC-Web requests (application/grpc-web) "
                        "to the MessageProxyService\n");
        return;
    }
    reel__proxy_stream_init(&h->stream, conn, 0);
    h->stream_active = true;
    h->stream.web_text = strncasecmp(h->content_type, "application/grpc-web-text", 25) == 0;
    if (strcmp(h->path, REEL_GRPC_PATH_WRITE_MESSAGES) == 0) {
        h->stream.method = PROXY_METHOD_WRITE;
        h->stream.is_writer = true;
        PROXY_STAT(conn->server, writers, 1);
    } else if (strcmp(h->path, REEL_GRPC_PATH_READ_MESSAGES) == 0) {
        h->stream.method = PROXY_METHOD_READ;
        if (reel__proxy_reader_add(conn->server, &h->stream) != REEL_OK) {
            reel__http1_stream_finish(&h->stream, REEL_GRPC_RESOURCE_EXHAUSTED, "out of memory");
            return;
        }
        reel_buf_printf(&conn->out,
                        "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n"
                        "grpc-accept-encoding: identity\r\n",
                        response_type(h));
        append_cors(&conn->out, h);
        reel_buf_printf(&conn->out, "\r\n");
        h->streaming = true;
    } else {
        reel__http1_stream_finish(&h->stream, REEL_GRPC_UNIMPLEMENTED,
                                  "only WriteMessages and ReadMessages are served here");
    }
}

static reel_grpc_code code_for(reel_status status)
{
    return status == REEL_LIMIT || status == REEL_OUT_OF_MEMORY ? REEL_GRPC_RESOURCE_EXHAUSTED
           : status == REEL_UNSUPPORTED                         ? REEL_GRPC_UNIMPLEMENTED
                                                                : REEL_GRPC_INVALID_ARGUMENT;
}

/* gRPC frames of the request body (after base64 for the text form). */
static void body_frames(proxy_conn *conn, const uint8_t *data, size_t len)
{
    http1_state *h = conn->http1;
    proxy_stream *stream = &h->stream;
    while (len > 0 && !stream->done) {
        size_t used = 0;
        bool got = false;
        reel_grpc_frame frame;
        reel_error err = {0};
        reel_status status =
            reel_grpc_frame_decoder_push(&stream->decoder, data, len, &used, &frame, &got, &err);
        if (status != REEL_OK) {
            PROXY_STAT(conn->server, messages_rejected, 1);
            reel__http1_stream_finish(stream, code_for(status), err.message);
            return;
        }
        data += used;
        len -= used;
        if (got && stream->method == PROXY_METHOD_WRITE) {
            status = reel__proxy_accept(conn->server, frame.message, &err);
            if (status != REEL_OK) {
                reel_log(REEL_LOG_WARN, "net", "gRPC-Web: message refused: %s", err.message);
                reel__http1_stream_finish(stream, code_for(status), err.message);
                return;
            }
        }
    }
}

static void body_bytes(proxy_conn *conn, const uint8_t *data, size_t len)
{
    http1_state *h = conn->http1;
    if (len == 0 || !h->stream_active || h->stream.done)
        return;
    if (!h->stream.web_text) {
        body_frames(conn, data, len);
        return;
    }
    if (reel_buf_append(&h->text_carry, data, len) != REEL_OK)
        return;
    size_t usable = h->text_carry.len / 4 * 4;
    reel_buf binary = {0};
    reel_error err = {0};
    if (reel_net_base64_decode((const char *)h->text_carry.data, usable, &binary, &err) !=
        REEL_OK) {
        reel_buf_free(&binary);
        PROXY_STAT(conn->server, messages_rejected, 1);
        reel__http1_stream_finish(&h->stream, REEL_GRPC_INVALID_ARGUMENT, err.message);
        return;
    }
    memmove(h->text_carry.data, h->text_carry.data + usable, h->text_carry.len - usable);
    h->text_carry.len -= usable;
    body_frames(conn, binary.data, binary.len);
    reel_buf_free(&binary);
}

static void end_request(proxy_conn *conn)
{
    http1_state *h = conn->http1;
    if (h->stream_active && !h->stream.done && h->stream.method == PROXY_METHOD_WRITE) {
        if (!reel_grpc_frame_decoder_idle(&h->stream.decoder) || h->text_carry.len != 0) {
            PROXY_STAT(conn->server, messages_rejected, 1);
            reel__http1_stream_finish(&h->stream, REEL_GRPC_INVALID_ARGUMENT,
                                      "request ended inside a gRPC frame");
            return;
        }
        h->stream.done = true;
        complete_response(conn, true, REEL_GRPC_OK, NULL);
    }
    if (h->streaming)
        return; /* the ReadMessages response goes on */
    if (!conn->close_when_flushed)
        reset_request(h, conn); /* keep-alive: the next request may follow */
}

/* Consumes body bytes; returns how many were used. */
static size_t consume_body(proxy_conn *conn, const uint8_t *data, size_t len, bool *bad)
{
    http1_state *h = conn->http1;
    size_t used = 0;
    if (!h->chunked) {
        uint64_t left = h->content_length - h->body_received;
        size_t take = len < left ? len : (size_t)left;
        body_bytes(conn, data, take);
        h->body_received += take;
        used = take;
        if (h->body_received == h->content_length)
            end_request(conn);
        return used;
    }
    while (used < len && h->phase == H1_BODY) {
        uint8_t c = data[used];
        switch (h->chunk_state) {
        case CHUNK_SIZE:
        case CHUNK_TRAILER:
        case CHUNK_DATA_END:
            used++;
            if (c != '\n') {
                if (h->line.len > 1024) {
                    *bad = true;
                    return used;
                }
                reel_buf_append_u8(&h->line, c);
                break;
            }
            if (h->line.len > 0 && h->line.data[h->line.len - 1] == '\r')
                h->line.len--;
            if (h->chunk_state == CHUNK_DATA_END) {
                if (h->line.len != 0) {
                    *bad = true;
                    return used;
                }
                h->chunk_state = CHUNK_SIZE;
            } else if (h->chunk_state == CHUNK_SIZE) {
                reel_buf_append_u8(&h->line, 0);
                char *end = NULL;
                unsigned long long size = strtoull((const char *)h->line.data, &end, 16);
                if (end == (char *)h->line.data || (*end != '\0' && *end != ';') ||
                    size > ((uint64_t)1 << 40)) {
                    *bad = true;
                    return used;
                }
                h->chunk_left = size;
                h->chunk_state = size == 0 ? CHUNK_TRAILER : CHUNK_DATA;
            } else if (h->line.len == 0) { /* end of the trailer section */
                reel_buf_clear(&h->line);
                end_request(conn);
                return used;
            }
            reel_buf_clear(&h->line);
            break;
        case CHUNK_DATA: {
            size_t take = len - used;
            if (take > h->chunk_left)
                take = (size_t)h->chunk_left;
            body_bytes(conn, data + used, take);
            used += take;
            h->chunk_left -= take;
            if (h->chunk_left == 0)
                h->chunk_state = CHUNK_DATA_END;
            break;
        }
        }
    }
    return used;
}

bool reel__http1_conn_recv(proxy_conn *conn, const uint8_t *data, size_t len)
{
    if (conn->http1 == NULL) {
        conn->http1 = reel_alloc_zeroed(NULL, sizeof *conn->http1);
        if (conn->http1 == NULL)
            return false;
    }
    http1_state *h = conn->http1;
    while (len > 0) {
        if (h->phase == H1_IGNORE || conn->close_when_flushed)
            return true;
        if (h->phase == H1_HEAD) {
            /* Accumulate until CRLF CRLF, byte by byte past what we have seen. */
            size_t i = 0;
            bool complete = false;
            while (i < len) {
                reel_buf_append_u8(&h->head, data[i++]);
                size_t n = h->head.len;
                if (n >= 4 && memcmp(h->head.data + n - 4, "\r\n\r\n", 4) == 0) {
                    complete = true;
                    break;
                }
                if (n > HTTP1_MAX_HEAD) {
                    simple_response(conn, "431 Request Header Fields Too Large",
                                    "request head too large\n");
                    return true;
                }
            }
            data += i;
            len -= i;
            if (!complete)
                return true;
            reel_buf_append_u8(&h->head, 0);
            h->head.len--;
            begin_request(conn);
            reel_buf_clear(&h->head);
            if (h->phase == H1_BODY && !h->chunked && h->content_length == 0)
                end_request(conn);
            continue;
        }
        bool bad = false;
        size_t used = consume_body(conn, data, len, &bad);
        if (bad) {
            simple_response(conn, "400 Bad Request", "malformed chunked body\n");
            return true;
        }
        data += used;
        len -= used;
        if (used == 0)
            break;
    }
    return true;
}

void reel__http1_conn_free(proxy_conn *conn)
{
    http1_state *h = conn->http1;
    if (h == NULL)
        return;
    if (h->stream_active)
        reel__proxy_stream_free(conn->server, &h->stream);
    reel_buf_free(&h->head);
    reel_buf_free(&h->line);
    reel_buf_free(&h->text_carry);
    reel_free(NULL, h, sizeof *h);
    conn->http1 = NULL;
}
