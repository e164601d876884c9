/* Large buffers (images, point clouds) recycled between log calls: a fresh multi-megabyte
 * allocation comes from the kernel as new pages, and faulting them in costs more than
 * copying the caller's data into them. The pool keeps a few buffers that blobs handed back
 * (their last release puts the buffer back); the pool lives until its creator and every
 * blob from it have let go. Thread-safe. */
#include <string.h>

#include "sdk/sdk_internal.h"

/* Each buffer starts with this header; the blob's data follows it. */
typedef struct pooled_buffer {
    struct pooled_buffer *next;
    size_t capacity; /* bytes after the header */
    uint8_t pad[16];
} pooled_buffer;

struct sdk_blob_pool {
    atomic_size_t refs; /* the creator's plus one per live blob */
    reel_mutex mutex;
    pooled_buffer *free_list;
    size_t n_free;
    size_t free_bytes;
};

sdk_blob_pool *sdk_blob_pool_create(void)
{
    sdk_blob_pool *pool = reel_alloc_zeroed(NULL, sizeof *pool);
    if (pool == NULL)
        return NULL;
    if (reel_mutex_init(&pool->mutex) != REEL_OK) {
        reel_free(NULL, pool, sizeof *pool);
        return NULL;
    }
    atomic_init(&pool->refs, 1);
    return pool;
}

static void buffer_free(pooled_buffer *buffer)
{
    reel_free(NULL, buffer, sizeof *buffer + buffer->capacity);
}

static void pool_unref(sdk_blob_pool *pool)
{
    if (atomic_fetch_sub(&pool->refs, 1) != 1)
        return;
    while (pool->free_list != NULL) {
        pooled_buffer *next = pool->free_list->next;
        buffer_free(pool->free_list);
        pool->free_list = next;
    }
    reel_mutex_destroy(&pool->mutex);
    reel_free(NULL, pool, sizeof *pool);
}

void sdk_blob_pool_release(sdk_blob_pool *pool)
{
    if (pool != NULL)
        pool_unref(pool);
}

size_t sdk_blob_pool_free_count(sdk_blob_pool *pool)
{
    reel_mutex_lock(&pool->mutex);
    size_t n = pool->n_free;
    reel_mutex_unlock(&pool->mutex);
    return n;
}

static void give_back(void *ctx, void *data, size_t len)
{
    (void)len;
    sdk_blob_pool *pool = ctx;
    pooled_buffer *buffer = (pooled_buffer *)(void *)((uint8_t *)data - sizeof(pooled_buffer));
    reel_mutex_lock(&pool->mutex);
    bool keep = pool->free_bytes + buffer->capacity <= SDK_BLOB_POOL_MAX_FREE_BYTES;
    if (keep) {
        buffer->next = pool->free_list;
        pool->free_list = buffer;
        pool->n_free++;
        pool->free_bytes += buffer->capacity;
    }
    reel_mutex_unlock(&pool->mutex);
    if (!keep)
        buffer_free(buffer);
    pool_unref(pool);
}

reel_blob *sdk_blob_pool_get(sdk_blob_pool *pool, size_t len, uint8_t **data)
{
    if (pool == NULL || len < SDK_BLOB_POOL_MIN_BYTES)
        return reel_blob_create(NULL, len, data);
    /* A free buffer that fits without wasting more than half of it. */
    pooled_buffer *buffer = NULL;
    reel_mutex_lock(&pool->mutex);
    for (pooled_buffer **link = &pool->free_list; *link != NULL; link = &(*link)->next) {
        if ((*link)->capacity >= len && (*link)->capacity / 2 <= len) {
            buffer = *link;
            *link = buffer->next;
            pool->n_free--;
            pool->free_bytes -= buffer->capacity;
            break;
        }
    }
    reel_mutex_unlock(&pool->mutex);
    if (buffer == NULL) {
        if (len > SIZE_MAX - sizeof *buffer)
            return NULL;
        buffer = reel_alloc(NULL, sizeof *buffer + len);
        if (buffer == NULL)
            return NULL;
        buffer->capacity = len;
    }
    uint8_t *bytes = (uint8_t *)(buffer + 1);
    atomic_fetch_add(&pool->refs, 1);
    reel_blob *blob = reel_blob_wrap(bytes, len, give_back, pool);
    if (blob == NULL) {
        buffer_free(buffer);
        pool_unref(pool);
        return NULL;
    }
    *data = bytes;
    return blob;
}
