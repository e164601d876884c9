/* gRPC message framing (a flags byte and a big-endian u32 length before every message), the
 * incremental frame decoder both the server and the client read with, and the gRPC-Web
 * pieces: base64 for application/grpc-web-text and trailers sent as a final 0x80 frame. */
#include <inttypes.h>
#include <string.h>

#include "net/net.h"

void reel_grpc_frame_header_encode(uint8_t flags, uint32_t len, uint8_t out[5])
{
    out[0] = flags;
    out[1] = (uint8_t)(len >> 24);
    out[2] = (uint8_t)(len >> 16);
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
}

reel_status reel_grpc_frame_append(reel_buf *out, uint8_t flags, const uint8_t *message, size_t len,
                                   reel_error *err)
{
    if ((uint64_t)len > UINT32_MAX)
        return reel_error_set(err, REEL_LIMIT, "gRPC message of %zu bytes does not fit a frame",
                              len);
    uint8_t header[5];
    reel_grpc_frame_header_encode(flags, (uint32_t)len, header);
    if (reel_buf_reserve(out, len + 5) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory framing a gRPC message");
    reel_buf_append(out, header, 5);
    if (len > 0)
        reel_buf_append(out, message, len);
    return REEL_OK;
}

void reel_grpc_frame_decoder_init(reel_grpc_frame_decoder *d, uint64_t max_message)
{
    memset(d, 0, sizeof *d);
    d->max_message = max_message ? max_message : REEL_GRPC_DEFAULT_MAX_MESSAGE;
}

void reel_grpc_frame_decoder_reset(reel_grpc_frame_decoder *d)
{
    if (d == NULL)
        return;
    reel_buf_free(&d->message);
    uint64_t max = d->max_message;
    bool trailers = d->allow_trailers, compressed = d->allow_compressed;
    reel_grpc_frame_decoder_init(d, max);
    d->allow_trailers = trailers;
    d->allow_compressed = compressed;
}

bool reel_grpc_frame_decoder_idle(const reel_grpc_frame_decoder *d)
{
    return d->header_len == 0;
}

static uint32_t header_length(const uint8_t header[5])
{
    return (uint32_t)header[1] << 24 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 8 |
           header[4];
}

reel_status reel_grpc_frame_decoder_push(reel_grpc_frame_decoder *d, const uint8_t *data,
                                         size_t len, size_t *consumed, reel_grpc_frame *frame,
                                         bool *got, reel_error *err)
{
    *consumed = 0;
    *got = false;
    if (d->failed)
        return reel_error_set(err, REEL_CORRUPT, "gRPC stream already failed");
    size_t used = 0;
    if (d->header_len < 5) {
        size_t take = 5 - d->header_len;
        if (take > len)
            take = len;
        memcpy(d->header + d->header_len, data, take);
        d->header_len += take;
        used += take;
        if (d->header_len < 5) {
            *consumed = used;
            return REEL_OK;
        }
        uint8_t flags = d->header[0];
        uint32_t msg_len = header_length(d->header);
        uint8_t allowed = (uint8_t)((d->allow_trailers ? REEL_GRPC_FLAG_TRAILERS : 0) |
                                    (d->allow_compressed ? REEL_GRPC_FLAG_COMPRESSED : 0));
        if ((flags & ~allowed) != 0) {
            d->failed = true;
            *consumed = used;
            if (flags == REEL_GRPC_FLAG_COMPRESSED)
                return reel_error_set(err, REEL_UNSUPPORTED,
                                      "gRPC frame %" PRIu64 " is compressed, but no "
                                      "grpc-encoding was negotiated",
                                      d->frames);
            return reel_error_set(err, REEL_CORRUPT, "gRPC frame %" PRIu64 " has flags 0x%02x",
                                  d->frames, flags);
        }
        if (msg_len > d->max_message) {
            d->failed = true;
            *consumed = used;
            return reel_error_set(err, REEL_LIMIT,
                                  "gRPC frame %" PRIu64 " of %u bytes is over the limit of %" PRIu64
                                  " bytes",
                                  d->frames, msg_len, d->max_message);
        }
        reel_buf_clear(&d->message);
    }
    uint32_t msg_len = header_length(d->header);
    size_t missing = msg_len - d->message.len;
    size_t take = len - used < missing ? len - used : missing;
    if (take > 0 && reel_buf_append(&d->message, data + used, take) != REEL_OK) {
        d->failed = true;
        *consumed = used;
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory reading a gRPC frame");
    }
    used += take;
    *consumed = used;
    if (d->message.len == msg_len) {
        frame->flags = d->header[0];
        frame->message = reel_span_make(d->message.data, d->message.len);
        *got = true;
        d->header_len = 0;
        d->frames++;
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- base64 */

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

reel_status reel_net_base64_encode(const uint8_t *data, size_t len, reel_buf *out, reel_error *err)
{
    size_t out_len = (len + 2) / 3 * 4;
    uint8_t *p = reel_buf_extend(out, out_len);
    if (p == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory in base64");
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        *p++ = (uint8_t)base64_alphabet[v >> 18];
        *p++ = (uint8_t)base64_alphabet[(v >> 12) & 63];
        *p++ = (uint8_t)base64_alphabet[(v >> 6) & 63];
        *p++ = (uint8_t)base64_alphabet[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0);
        *p++ = (uint8_t)base64_alphabet[v >> 18];
        *p++ = (uint8_t)base64_alphabet[(v >> 12) & 63];
        *p++ = i + 1 < len ? (uint8_t)base64_alphabet[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    return REEL_OK;
}

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

reel_status reel_net_base64_decode(const char *text, size_t len, reel_buf *out, reel_error *err)
{
    int group[4];
    int count = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            if (count < 2)
                return reel_error_set(err, REEL_CORRUPT, "base64: '=' at offset %zu", i);
            group[count++] = 0;
            pad++;
        } else {
            int v = base64_value(c);
            if (v < 0 || pad > 0)
                return reel_error_set(err, REEL_CORRUPT,
                                      "base64: unexpected character 0x%02x at offset %zu",
                                      (unsigned char)c, i);
            group[count++] = v;
        }
        if (count == 4) {
            uint32_t v = (uint32_t)group[0] << 18 | (uint32_t)group[1] << 12 |
                         (uint32_t)group[2] << 6 | (uint32_t)group[3];
            uint8_t bytes[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
            if (reel_buf_append(out, bytes, (size_t)(3 - pad)) != REEL_OK)
                return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory in base64");
            count = 0;
            pad = 0;
        }
    }
    if (count != 0)
        return reel_error_set(err, REEL_TRUNCATED, "base64: %d characters left over", count);
    return REEL_OK;
}

/* ---------------------------------------------------------------- gRPC-Web trailers */

reel_status reel_grpc_web_trailers_append(reel_buf *out, reel_grpc_code code, const char *message,
                                          reel_error *err)
{
    reel_buf text = {0};
    reel_status status = reel_buf_printf(&text, "grpc-status:%d\r\n", (int)code);
    if (status == REEL_OK && message != NULL && message[0] != '\0') {
        status = reel_buf_printf(&text, "grpc-message:");
        for (const unsigned char *p = (const unsigned char *)message; *p && status == REEL_OK; p++)
            status = (*p >= 0x20 && *p < 0x7f && *p != '%') ? reel_buf_append_u8(&text, *p)
                                                            : reel_buf_printf(&text, "%%%02X", *p);
        if (status == REEL_OK)
            status = reel_buf_printf(&text, "\r\n");
    }
    if (status != REEL_OK) {
        reel_buf_free(&text);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory writing trailers");
    }
    status = reel_grpc_frame_append(out, REEL_GRPC_FLAG_TRAILERS, text.data, text.len, err);
    reel_buf_free(&text);
    return status;
}
