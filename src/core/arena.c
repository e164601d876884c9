/* Bump allocator for per-frame and per-message scratch memory. Blocks come from the
 * arena's backing allocator and are freed all at once; reset keeps the newest block so
 * a steady-state loop allocates nothing from the backing allocator. */
#include <stdint.h>
#include <string.h>

#include "core.h"

#define ARENA_DEFAULT_BLOCK_SIZE ((size_t)64 * 1024)
#define ARENA_MAX_ALIGN ((size_t)4096)

struct reel_arena_block {
    reel_arena_block *next; /* older block */
    size_t size;            /* bytes allocated for this block, header included */
    size_t used;            /* bytes handed out from data[] */
    size_t capacity;        /* bytes in data[] */
    _Alignas(16) unsigned char data[];
};

void reel_arena_init(reel_arena *arena, const reel_allocator *alloc, size_t block_size)
{
    arena->alloc = alloc;
    arena->block_size = block_size;
    arena->head = NULL;
    arena->bytes_allocated = 0;
}

/* Offset into block->data where `size` bytes aligned to `align` fit, or SIZE_MAX. */
static size_t block_fit(const reel_arena_block *block, size_t size, size_t align)
{
    uintptr_t base = (uintptr_t)block->data;
    uintptr_t cursor = base + block->used;
    size_t offset = (size_t)(((cursor + (align - 1)) & ~(uintptr_t)(align - 1)) - base);
    if (offset > block->capacity || size > block->capacity - offset)
        return SIZE_MAX;
    return offset;
}

static reel_arena_block *new_block(reel_arena *arena, size_t size, size_t align)
{
    size_t block_size = arena->block_size != 0 ? arena->block_size : ARENA_DEFAULT_BLOCK_SIZE;
    /* Room for the request at any alignment of the block's data. */
    size_t need;
    if (!reel_size_add(size, align - 1, &need))
        return NULL;
    size_t capacity = need > block_size ? need : block_size;
    size_t total;
    if (!reel_size_add(sizeof(reel_arena_block), capacity, &total))
        return NULL;
    reel_arena_block *block = reel_alloc(arena->alloc, total);
    if (block == NULL)
        return NULL;
    block->next = NULL;
    block->size = total;
    block->used = 0;
    block->capacity = capacity;
    return block;
}

void *reel_arena_alloc(reel_arena *arena, size_t size, size_t align)
{
    if (align == 0)
        align = 1;
    if ((align & (align - 1)) != 0 || align > ARENA_MAX_ALIGN)
        return NULL;

    reel_arena_block *block = arena->head;
    size_t offset = block != NULL ? block_fit(block, size, align) : SIZE_MAX;
    if (offset == SIZE_MAX) {
        reel_arena_block *fresh = new_block(arena, size, align);
        if (fresh == NULL)
            return NULL;
        size_t block_size = arena->block_size != 0 ? arena->block_size : ARENA_DEFAULT_BLOCK_SIZE;
        if (block != NULL && fresh->capacity > block_size) {
            /* An oversized request gets its own block, slotted in behind the current one
             * so the space left in the current block stays usable. */
            fresh->next = block->next;
            block->next = fresh;
        } else {
            fresh->next = block;
            arena->head = fresh;
        }
        block = fresh;
        offset = block_fit(block, size, align);
    }
    block->used = offset + size;
    arena->bytes_allocated += size;
    return block->data + offset;
}

void *reel_arena_alloc_zeroed(reel_arena *arena, size_t size, size_t align)
{
    void *ptr = reel_arena_alloc(arena, size, align);
    if (ptr != NULL && size != 0)
        memset(ptr, 0, size);
    return ptr;
}

char *reel_arena_strndup(reel_arena *arena, const char *s, size_t len)
{
    /* Stops at an embedded NUL, like reel_strndup. */
    const char *nul = s != NULL ? memchr(s, '\0', len) : NULL;
    if (nul != NULL)
        len = (size_t)(nul - s);
    if ((s == NULL && len != 0) || len == SIZE_MAX)
        return NULL;
    char *copy = reel_arena_alloc(arena, len + 1, 1);
    if (copy == NULL)
        return NULL;
    if (len != 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

static void free_chain(const reel_allocator *alloc, reel_arena_block *block)
{
    while (block != NULL) {
        reel_arena_block *next = block->next;
        reel_free(alloc, block, block->size);
        block = next;
    }
}

void reel_arena_reset(reel_arena *arena)
{
    if (arena == NULL)
        return;
    if (arena->head != NULL) {
        free_chain(arena->alloc, arena->head->next);
        arena->head->next = NULL;
        arena->head->used = 0;
    }
    arena->bytes_allocated = 0;
}

void reel_arena_free(reel_arena *arena)
{
    if (arena == NULL)
        return;
    free_chain(arena->alloc, arena->head);
    arena->head = NULL;
    arena->bytes_allocated = 0;
}
