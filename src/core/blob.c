/* Immutable reference-counted bytes shared between decoders, builders and threads.
 * A blob either owns its bytes in the same allocation as its header (create/copy), owns a
 * reel_buf's memory (from_buf), or wraps foreign memory with a release callback (wrap). */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "core.h"

#define BLOB_DATA_ALIGN ((size_t)64)

typedef enum blob_kind {
    BLOB_INLINE,   /* bytes follow the header in one allocation */
    BLOB_FROM_BUF, /* bytes are a detached reel_buf allocation */
    BLOB_WRAPPED,  /* bytes belong to someone else; call release */
} blob_kind;

struct reel_blob {
    atomic_size_t refs;
    blob_kind kind;
    uint8_t *data;
    size_t len;
    const reel_allocator *alloc; /* frees the header (and inline or buf bytes) */
    size_t alloc_size;           /* header allocation size (whole block for BLOB_INLINE) */
    size_t data_cap;             /* BLOB_FROM_BUF: capacity the bytes were allocated with */
    reel_blob_release_fn release;
    void *release_ctx;
};

static reel_blob *blob_header(const reel_allocator *alloc, size_t alloc_size, blob_kind kind)
{
    reel_blob *blob = reel_alloc(alloc, alloc_size);
    if (blob == NULL)
        return NULL;
    atomic_init(&blob->refs, 1);
    blob->kind = kind;
    blob->data = NULL;
    blob->len = 0;
    blob->alloc = alloc;
    blob->alloc_size = alloc_size;
    blob->data_cap = 0;
    blob->release = NULL;
    blob->release_ctx = NULL;
    return blob;
}

reel_blob *reel_blob_create(const reel_allocator *alloc, size_t len, uint8_t **out_data)
{
    /* The allocator only promises malloc alignment, so reserve enough slack to place the
     * bytes on the next 64-byte boundary after the header. */
    size_t total;
    if (!reel_size_add(sizeof(reel_blob) + BLOB_DATA_ALIGN - 1, len, &total))
        return NULL;
    reel_blob *blob = blob_header(alloc, total, BLOB_INLINE);
    if (blob == NULL)
        return NULL;
    uintptr_t after_header = (uintptr_t)(blob + 1);
    uintptr_t aligned = (after_header + BLOB_DATA_ALIGN - 1) & ~(uintptr_t)(BLOB_DATA_ALIGN - 1);
    blob->data = (uint8_t *)blob + (aligned - (uintptr_t)blob);
    blob->len = len;
    if (out_data != NULL)
        *out_data = blob->data;
    return blob;
}

reel_blob *reel_blob_copy(const reel_allocator *alloc, const void *data, size_t len)
{
    uint8_t *dst;
    reel_blob *blob = reel_blob_create(alloc, len, &dst);
    if (blob != NULL && len != 0)
        memcpy(dst, data, len);
    return blob;
}

reel_blob *reel_blob_wrap(void *data, size_t len, reel_blob_release_fn release, void *ctx)
{
    /* On failure (NULL) the caller keeps ownership: release is not called. */
    reel_blob *blob = blob_header(NULL, sizeof(reel_blob), BLOB_WRAPPED);
    if (blob == NULL)
        return NULL;
    blob->data = data;
    blob->len = len;
    blob->release = release;
    blob->release_ctx = ctx;
    return blob;
}

reel_blob *reel_blob_from_buf(reel_buf *buf)
{
    /* On failure (NULL) the buffer is left untouched. */
    reel_blob *blob = blob_header(buf->alloc, sizeof(reel_blob), BLOB_FROM_BUF);
    if (blob == NULL)
        return NULL;
    size_t len, cap;
    blob->data = reel_buf_detach(buf, &len, &cap);
    blob->len = len;
    blob->data_cap = cap;
    return blob;
}

reel_blob *reel_blob_retain(reel_blob *blob)
{
    if (blob != NULL)
        atomic_fetch_add_explicit(&blob->refs, 1, memory_order_relaxed);
    return blob;
}

void reel_blob_release(reel_blob *blob)
{
    if (blob == NULL)
        return;
    /* Release ordering on the decrement plus an acquire fence before destruction makes
     * every other owner's reads of the bytes happen before they are freed. */
    if (atomic_fetch_sub_explicit(&blob->refs, 1, memory_order_release) != 1)
        return;
    atomic_thread_fence(memory_order_acquire);
    switch (blob->kind) {
    case BLOB_INLINE:
        break;
    case BLOB_FROM_BUF:
        reel_free(blob->alloc, blob->data, blob->data_cap);
        break;
    case BLOB_WRAPPED:
        if (blob->release != NULL)
            blob->release(blob->release_ctx, blob->data, blob->len);
        break;
    }
    reel_free(blob->alloc, blob, blob->alloc_size);
}

const uint8_t *reel_blob_data(const reel_blob *blob)
{
    return blob != NULL ? blob->data : NULL;
}

size_t reel_blob_len(const reel_blob *blob)
{
    return blob != NULL ? blob->len : 0;
}
