/* Helpers for the net tests: real WriteMessagesRequests (store infos, chunks) made with the
 * rrd module, blocking TCP helpers, and a small gRPC-Web (HTTP/1.1) client that reads a
 * ReadMessages stream or posts any body, so tests can act as readers and hostile clients. */
#ifndef REEL_TESTS_NET_TESTING_H
#define REEL_TESTS_NET_TESTING_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "rrd/rrd_testing.h"

#define NT_APP "net_test"

static inline const uint8_t *nt_find(const void *hay, size_t hay_len, const char *needle,
                                     size_t needle_len)
{
    const uint8_t *h = hay;
    for (size_t i = 0; i + needle_len <= hay_len; i++) {
        if (memcmp(h + i, needle, needle_len) == 0)
            return h + i;
    }
    return NULL;
}

static inline reel_store_id nt_store(bool blueprint)
{
    reel_store_id id = {blueprint ? REEL_STORE_KIND_BLUEPRINT : REEL_STORE_KIND_RECORDING,
                        blueprint ? "bp_net" : "rec_net", NT_APP};
    return id;
}

/* Appends an encoded WriteMessagesRequest holding a SetStoreInfo. */
static inline reel_status nt_store_info_request(bool blueprint, reel_buf *out)
{
    reel_rrd_message msg = {0};
    msg.kind = REEL_RRD_MESSAGE_SET_STORE_INFO;
    msg.store_info.store_id = nt_store(blueprint);
    msg.store_info.source_kind = REEL_STORE_SOURCE_C_SDK;
    return reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_REQUEST, NULL, out, NULL, NULL);
}

/* Appends a request with a chunk of `rows` scalar rows at times first..first+rows-1 (static
 * when is_static), values `value`. */
static inline reel_status nt_chunk_request(bool blueprint, const char *entity, bool is_static,
                                           int64_t first, int64_t rows, double value, reel_buf *out)
{
    double values[1] = {value};
    rt_component comp = {"rerun.archetypes.Scalars",
                         "Scalars:scalars",
                         "rerun.components.Scalar",
                         "double",
                         RT_DOUBLE,
                         values,
                         1,
                         0};
    reel_chunk *chunk = NULL;
    REEL_TRY(rt_chunk(entity, is_static ? NULL : "frame", REEL_TIME_SEQUENCE, first, false, rows,
                      &comp, 1, &chunk, NULL));
    reel_rrd_message msg = {0};
    msg.kind = REEL_RRD_MESSAGE_ARROW_MSG;
    msg.store_id = nt_store(blueprint);
    msg.arrow.chunk = chunk;
    reel_status status =
        reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_REQUEST, NULL, out, NULL, NULL);
    reel_chunk_release(chunk);
    return status;
}

static inline int nt_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static inline bool nt_send_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads what arrives within timeout_ms (until EOF or silence) and appends it. Returns false
 * at EOF. */
static inline bool nt_read_some(int fd, reel_buf *out, int timeout_ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    if (poll(&pfd, 1, timeout_ms) <= 0)
        return true;
    uint8_t buffer[65536];
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0)
        return false;
    reel_buf_append(out, buffer, (size_t)n);
    return true;
}

/* A gRPC-Web response as read so far: the raw bytes, then its frames once decoded. */
typedef struct nt_web_response {
    reel_buf raw;
    size_t head_len; /* 0 until the head is complete */
    int http_status;
    bool chunked;
    reel_buf body;      /* de-chunked body bytes */
    size_t raw_offset;  /* raw bytes already moved into body */
    size_t body_offset; /* body bytes already cut into frames */
    int frames;         /* message frames */
    int trailer_status; /* grpc-status from a trailers frame, -1 = none yet */
    reel_buf messages;  /* the message frames, concatenated with their prefixes */
    bool eof;
    bool text;      /* application/grpc-web-text: the body is base64 */
    reel_buf carry; /* base64 characters not yet decoded */
} nt_web_response;

/* Appends body bytes, decoding base64 for the text form. */
static inline void nt_web_body(nt_web_response *r, const uint8_t *data, size_t len)
{
    if (!r->text) {
        reel_buf_append(&r->body, data, len);
        return;
    }
    reel_buf_append(&r->carry, data, len);
    size_t usable = r->carry.len / 4 * 4;
    reel_net_base64_decode((const char *)r->carry.data, usable, &r->body, NULL);
    memmove(r->carry.data, r->carry.data + usable, r->carry.len - usable);
    r->carry.len -= usable;
}

static inline void nt_web_response_free(nt_web_response *r)
{
    reel_buf_free(&r->raw);
    reel_buf_free(&r->body);
    reel_buf_free(&r->messages);
    reel_buf_free(&r->carry);
}

/* Moves new raw bytes into body/frames. */
static inline void nt_web_parse(nt_web_response *r)
{
    if (r->head_len == 0) {
        for (size_t i = 0; i + 4 <= r->raw.len; i++) {
            if (memcmp(r->raw.data + i, "\r\n\r\n", 4) == 0) {
                r->head_len = i + 4;
                r->raw_offset = r->head_len;
                sscanf((const char *)r->raw.data, "HTTP/1.1 %d", &r->http_status);
                r->chunked = nt_find(r->raw.data, i, "chunked", 7) != NULL;
                r->text = nt_find(r->raw.data, i, "grpc-web-text", 13) != NULL;
                break;
            }
        }
        if (r->head_len == 0)
            return;
    }
    if (!r->chunked) {
        nt_web_body(r, r->raw.data + r->raw_offset, r->raw.len - r->raw_offset);
        r->raw_offset = r->raw.len;
    } else {
        for (;;) {
            const uint8_t *p = r->raw.data + r->raw_offset;
            size_t left = r->raw.len - r->raw_offset;
            const uint8_t *eol = nt_find(p, left, "\r\n", 2);
            if (eol == NULL)
                break;
            size_t size = strtoul((const char *)p, NULL, 16);
            size_t line = (size_t)(eol - p) + 2;
            if (left < line + size + 2)
                break;
            nt_web_body(r, p + line, size);
            r->raw_offset += line + size + 2;
            if (size == 0)
                break;
        }
    }
    while (r->body.len - r->body_offset >= 5) {
        const uint8_t *f = r->body.data + r->body_offset;
        uint32_t len = (uint32_t)f[1] << 24 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 8 | f[4];
        if (r->body.len - r->body_offset < 5 + (size_t)len)
            break;
        if (f[0] & 0x80) {
            const char *status = (const char *)nt_find(f + 5, len, "grpc-status:", 12);
            r->trailer_status = status ? atoi(status + 12) : -2;
        } else {
            r->frames++;
            reel_buf_append(&r->messages, f, 5 + (size_t)len);
        }
        r->body_offset += 5 + (size_t)len;
    }
}

/* Sends a gRPC-Web POST of `body` to `path` with `content_type`; fd stays open. */
static inline int nt_web_post(uint16_t port, const char *path, const char *content_type,
                              const void *body, size_t len)
{
    int fd = nt_connect(port);
    if (fd < 0)
        return -1;
    char head[512];
    int n =
        snprintf(head, sizeof head,
                 "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n"
                 "Origin: http://localhost:9090\r\nX-Grpc-Web: 1\r\nContent-Length: %zu\r\n\r\n",
                 path, content_type, len);
    if (!nt_send_all(fd, head, (size_t)n) || (len > 0 && !nt_send_all(fd, body, len))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads until `frames` message frames, a trailers frame, EOF or timeout_ms. */
static inline void nt_web_read(int fd, nt_web_response *r, int frames, int timeout_ms)
{
    uint64_t deadline = reel_clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
    while (!r->eof && r->frames < frames && r->trailer_status == -1 &&
           reel_clock_monotonic_ns() < deadline) {
        if (!nt_read_some(fd, &r->raw, 50))
            r->eof = true;
        nt_web_parse(r);
    }
}

/* Opens a gRPC-Web ReadMessages stream. */
static inline int nt_web_reader(uint16_t port)
{
    static const uint8_t empty_request[5] = {0};
    return nt_web_post(port, REEL_GRPC_PATH_READ_MESSAGES, "application/grpc-web+proto",
                       empty_request, sizeof empty_request);
}

/* The LogMsg oneof of message frame `index` in r->messages (1 info, 2 arrow, 3 activation). */
static inline int nt_frame_kind(const nt_web_response *r, int index)
{
    size_t off = 0;
    for (int i = 0; i < index; i++) {
        const uint8_t *f = r->messages.data + off;
        off += 5 + ((uint32_t)f[1] << 24 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 8 | f[4]);
    }
    const uint8_t *f = r->messages.data + off;
    reel_rrd_message msg = {0};
    uint32_t len = (uint32_t)f[1] << 24 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 8 | f[4];
    reel_rrd_decoder_options options = {.skip_arrow = true};
    if (reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST, f + 5, len,
                                &options, &msg, NULL) != REEL_OK)
        return -1;
    int kind = (int)msg.kind;
    if (kind == REEL_RRD_MESSAGE_ARROW_MSG && msg.arrow.has_is_static && msg.arrow.is_static)
        kind = 20; /* static chunk */
    reel_rrd_message_reset(&msg);
    return kind;
}

#endif
