/* The default allocator (malloc/realloc/free), the reel_alloc family that routes a NULL
 * allocator to it, string copies whose size the matching free can recompute, and size
 * arithmetic that reports overflow instead of wrapping. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Zero-byte requests get one byte so every success is a unique non-NULL pointer, and a
 * NULL return always means out of memory. */
static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size != 0 ? size : 1);
}

static void *default_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    (void)ctx;
    (void)old_size;
    return realloc(ptr, new_size != 0 ? new_size : 1);
}

static void default_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

static const reel_allocator default_allocator = {
    .alloc = default_alloc,
    .realloc = default_realloc,
    .free = default_free,
    .ctx = NULL,
};

const reel_allocator *reel_allocator_default(void)
{
    return &default_allocator;
}

void *reel_alloc(const reel_allocator *a, size_t size)
{
    if (a == NULL)
        a = &default_allocator;
    return a->alloc(a->ctx, size);
}

void *reel_alloc_zeroed(const reel_allocator *a, size_t size)
{
    /* calloc lets the default allocator take pages that are already zero. */
    if (a == NULL || a == &default_allocator)
        return calloc(size != 0 ? size : 1, 1);
    void *ptr = a->alloc(a->ctx, size);
    if (ptr != NULL && size != 0)
        memset(ptr, 0, size);
    return ptr;
}

void *reel_realloc(const reel_allocator *a, void *ptr, size_t old_size, size_t new_size)
{
    if (a == NULL)
        a = &default_allocator;
    /* Custom allocators need not handle realloc(NULL); route it to alloc here. */
    if (ptr == NULL)
        return a->alloc(a->ctx, new_size);
    return a->realloc(a->ctx, ptr, old_size, new_size);
}

void reel_free(const reel_allocator *a, void *ptr, size_t size)
{
    if (ptr == NULL)
        return;
    if (a == NULL)
        a = &default_allocator;
    a->free(a->ctx, ptr, size);
}

char *reel_strdup(const reel_allocator *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return reel_strndup(a, s, strlen(s));
}

char *reel_strndup(const reel_allocator *a, const char *s, size_t len)
{
    /* Stops at an embedded NUL (like POSIX strndup) so reel_strfree's strlen(s) + 1 is
     * always the allocated size, and never reads past the end of a shorter string. */
    const char *nul = s != NULL ? memchr(s, '\0', len) : NULL;
    if (nul != NULL)
        len = (size_t)(nul - s);
    if (s == NULL && len != 0)
        return NULL;
    if (len == SIZE_MAX)
        return NULL;
    char *copy = reel_alloc(a, len + 1);
    if (copy == NULL)
        return NULL;
    if (len != 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

void reel_strfree(const reel_allocator *a, char *s)
{
    if (s == NULL)
        return;
    reel_free(a, s, strlen(s) + 1);
}

bool reel_size_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b) {
        *out = SIZE_MAX; /* saturate so an ignored failure still fails to allocate */
        return false;
    }
    *out = a + b;
    return true;
}

bool reel_size_mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a) {
        *out = SIZE_MAX;
        return false;
    }
    *out = a * b;
    return true;
}
