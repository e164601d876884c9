/* A reel_allocator for the core tests that counts live blocks and bytes, checks that
 * free/realloc receive the size each block was allocated with, and can be told to fail
 * after a number of allocations to exercise out-of-memory paths. Its blocks are only
 * 16-byte aligned, so code that promises more alignment has to do the work itself. */
#ifndef REEL_TESTS_CORE_COUNTING_ALLOC_H
#define REEL_TESTS_CORE_COUNTING_ALLOC_H

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

typedef struct counting_alloc {
    reel_allocator allocator;
    size_t live_blocks;
    size_t live_bytes;
    size_t total_allocs; /* alloc calls, plus reallocs of NULL */
    size_t size_mismatches;
    size_t fail_after; /* 0 = never fail; otherwise the Nth alloc/realloc from now fails */
} counting_alloc;

#define COUNTING_HEADER 16

static inline bool counting_should_fail(counting_alloc *c)
{
    if (c->fail_after == 0)
        return false;
    if (--c->fail_after == 0)
        return true;
    return false;
}

static inline void *counting_alloc_fn(void *ctx, size_t size)
{
    counting_alloc *c = ctx;
    if (counting_should_fail(c))
        return NULL;
    unsigned char *raw = malloc(COUNTING_HEADER + size);
    if (raw == NULL)
        return NULL;
    memcpy(raw, &size, sizeof size);
    c->live_blocks++;
    c->live_bytes += size;
    c->total_allocs++;
    return raw + COUNTING_HEADER;
}

static inline void counting_free_fn(void *ctx, void *ptr, size_t size)
{
    counting_alloc *c = ctx;
    if (ptr == NULL)
        return;
    unsigned char *raw = (unsigned char *)ptr - COUNTING_HEADER;
    size_t stored;
    memcpy(&stored, raw, sizeof stored);
    if (stored != size)
        c->size_mismatches++;
    c->live_blocks--;
    c->live_bytes -= stored;
    free(raw);
}

static inline void *counting_realloc_fn(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    counting_alloc *c = ctx;
    if (ptr == NULL)
        return counting_alloc_fn(ctx, new_size);
    if (counting_should_fail(c))
        return NULL;
    unsigned char *raw = (unsigned char *)ptr - COUNTING_HEADER;
    size_t stored;
    memcpy(&stored, raw, sizeof stored);
    if (stored != old_size)
        c->size_mismatches++;
    unsigned char *grown = realloc(raw, COUNTING_HEADER + new_size);
    if (grown == NULL)
        return NULL;
    memcpy(grown, &new_size, sizeof new_size);
    c->live_bytes = c->live_bytes - stored + new_size;
    return grown + COUNTING_HEADER;
}

static inline void counting_alloc_init(counting_alloc *c)
{
    memset(c, 0, sizeof *c);
    c->allocator.alloc = counting_alloc_fn;
    c->allocator.realloc = counting_realloc_fn;
    c->allocator.free = counting_free_fn;
    c->allocator.ctx = c;
}

#endif
