/* reel_buf: a growable byte buffer used by encoders and builders. Capacity at least
 * doubles on growth so appends are amortised O(1), every size computation is checked for
 * overflow, and the memory can be detached or handed to a blob without copying. */
#include <stdio.h>
#include <string.h>

#include "core.h"

#define BUF_MIN_CAPACITY ((size_t)64)

void reel_buf_init(reel_buf *buf, const reel_allocator *alloc)
{
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->alloc = alloc;
}

reel_status reel_buf_reserve(reel_buf *buf, size_t extra)
{
    size_t need;
    if (!reel_size_add(buf->len, extra, &need))
        return REEL_OUT_OF_MEMORY;
    if (need <= buf->cap && buf->data != NULL)
        return REEL_OK;
    size_t new_cap = buf->cap > SIZE_MAX / 2 ? SIZE_MAX : buf->cap * 2;
    if (new_cap < need)
        new_cap = need;
    if (new_cap < BUF_MIN_CAPACITY)
        new_cap = BUF_MIN_CAPACITY;
    uint8_t *data = reel_realloc(buf->alloc, buf->data, buf->cap, new_cap);
    if (data == NULL)
        return REEL_OUT_OF_MEMORY;
    buf->data = data;
    buf->cap = new_cap;
    return REEL_OK;
}

uint8_t *reel_buf_extend(reel_buf *buf, size_t len)
{
    /* reserve also allocates when data is NULL, so a zero-length extend still returns a
     * usable non-NULL pointer and NULL always means out of memory. */
    if (reel_buf_reserve(buf, len) != REEL_OK)
        return NULL;
    uint8_t *dst = buf->data + buf->len;
    buf->len += len;
    return dst;
}

reel_status reel_buf_append(reel_buf *buf, const void *data, size_t len)
{
    if (len == 0)
        return REEL_OK;
    uint8_t *dst = reel_buf_extend(buf, len);
    if (dst == NULL)
        return REEL_OUT_OF_MEMORY;
    memcpy(dst, data, len);
    return REEL_OK;
}

reel_status reel_buf_append_zeros(reel_buf *buf, size_t len)
{
    if (len == 0)
        return REEL_OK;
    uint8_t *dst = reel_buf_extend(buf, len);
    if (dst == NULL)
        return REEL_OUT_OF_MEMORY;
    memset(dst, 0, len);
    return REEL_OK;
}

reel_status reel_buf_append_u8(reel_buf *buf, uint8_t v)
{
    return reel_buf_append(buf, &v, 1);
}

reel_status reel_buf_append_u32le(reel_buf *buf, uint32_t v)
{
    uint8_t bytes[4];
    reel_store_u32le(bytes, v);
    return reel_buf_append(buf, bytes, sizeof bytes);
}

reel_status reel_buf_append_u64le(reel_buf *buf, uint64_t v)
{
    uint8_t bytes[8];
    reel_store_u64le(bytes, v);
    return reel_buf_append(buf, bytes, sizeof bytes);
}

reel_status reel_buf_pad_to(reel_buf *buf, size_t align)
{
    if (align == 0 || (align & (align - 1)) != 0)
        return REEL_INVALID_ARGUMENT;
    size_t pad = (align - (buf->len & (align - 1))) & (align - 1);
    return reel_buf_append_zeros(buf, pad);
}

/* The arguments must not point into buf itself: growing may move its bytes. */
reel_status reel_buf_printf(reel_buf *buf, const char *fmt, ...)
{
    /* First try to format straight into the spare capacity; only if that is too small,
     * grow to the exact size and format again. vsnprintf needs room for its NUL, which
     * is written past len and not counted. */
    size_t spare = buf->data != NULL ? buf->cap - buf->len : 0;
    va_list args;
    va_start(args, fmt);
    int written = vsnprintf(spare != 0 ? (char *)buf->data + buf->len : NULL, spare, fmt, args);
    va_end(args);
    if (written < 0)
        return REEL_INVALID_ARGUMENT;
    size_t text_len = (size_t)written;
    if (text_len >= spare) {
        if (text_len == SIZE_MAX)
            return REEL_OUT_OF_MEMORY;
        REEL_TRY(reel_buf_reserve(buf, text_len + 1));
        va_start(args, fmt);
        written = vsnprintf((char *)buf->data + buf->len, text_len + 1, fmt, args);
        va_end(args);
        if (written < 0 || (size_t)written != text_len)
            return REEL_INTERNAL;
    }
    buf->len += text_len;
    return REEL_OK;
}

void reel_buf_clear(reel_buf *buf)
{
    buf->len = 0;
}

uint8_t *reel_buf_detach(reel_buf *buf, size_t *out_len, size_t *out_cap)
{
    uint8_t *data = buf->data;
    if (out_len != NULL)
        *out_len = buf->len;
    if (out_cap != NULL)
        *out_cap = buf->cap;
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    return data;
}

void reel_buf_free(reel_buf *buf)
{
    if (buf == NULL)
        return;
    reel_free(buf->alloc, buf->data, buf->cap);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}
