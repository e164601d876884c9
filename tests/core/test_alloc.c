/* Tests for the allocator wrappers, string copies, overflow-checked size arithmetic and
 * the arena: alignment, block reuse on reset, oversized requests, and that every block
 * goes back to the backing allocator with the size it was allocated with. */
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "counting_alloc.h"
#include "test.h"

TEST(default_allocator_round_trip)
{
    const reel_allocator *a = reel_allocator_default();
    CHECK(a != NULL && a->alloc != NULL && a->realloc != NULL && a->free != NULL);

    unsigned char *p = reel_alloc(NULL, 100);
    if (!CHECK(p != NULL))
        return;
    memset(p, 0xAB, 100);
    p = reel_realloc(NULL, p, 100, 10000);
    if (!CHECK(p != NULL))
        return;
    CHECK_EQ_INT(p[0], 0xAB);
    CHECK_EQ_INT(p[99], 0xAB);
    reel_free(a, p, 10000);

    /* Zero-byte requests: unique non-NULL pointers (or NULL), both free-able. */
    void *z1 = reel_alloc(NULL, 0), *z2 = reel_alloc(NULL, 0);
    CHECK(z1 == NULL || z1 != z2);
    reel_free(NULL, z1, 0);
    reel_free(NULL, z2, 0);
    reel_free(NULL, NULL, 123); /* NULL-safe */

    unsigned char *zeroed = reel_alloc_zeroed(NULL, 4096);
    if (!CHECK(zeroed != NULL))
        return;
    size_t nonzero = 0;
    for (size_t i = 0; i < 4096; i++)
        nonzero += zeroed[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    reel_free(NULL, zeroed, 4096);

    /* reel_realloc of NULL allocates. */
    void *fresh = reel_realloc(NULL, NULL, 0, 32);
    CHECK(fresh != NULL);
    reel_free(NULL, fresh, 32);
}

TEST(custom_allocator_gets_sizes)
{
    counting_alloc c;
    counting_alloc_init(&c);
    unsigned char *p = reel_alloc_zeroed(&c.allocator, 77);
    if (!CHECK(p != NULL))
        return;
    CHECK_EQ_INT(p[76], 0);
    CHECK_EQ_INT(c.live_bytes, 77);
    p = reel_realloc(&c.allocator, p, 77, 300);
    CHECK_EQ_INT(c.live_bytes, 300);
    reel_free(&c.allocator, p, 300);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);

    c.fail_after = 1;
    CHECK(reel_alloc(&c.allocator, 10) == NULL);
    c.fail_after = 1;
    CHECK(reel_alloc_zeroed(&c.allocator, 10) == NULL);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(strdup_and_strndup)
{
    counting_alloc c;
    counting_alloc_init(&c);
    char *s = reel_strdup(&c.allocator, "hello");
    CHECK_EQ_STR(s, "hello");
    CHECK_EQ_INT(c.live_bytes, 6);
    reel_strfree(&c.allocator, s);

    s = reel_strndup(&c.allocator, "hello world", 5);
    CHECK_EQ_STR(s, "hello");
    reel_strfree(&c.allocator, s);

    /* len past the end of a shorter string, and an embedded NUL: stop at the NUL. */
    s = reel_strndup(&c.allocator, "hi", 100);
    CHECK_EQ_STR(s, "hi");
    reel_strfree(&c.allocator, s);
    s = reel_strndup(&c.allocator, "ab\0cd", 5);
    CHECK_EQ_STR(s, "ab");
    reel_strfree(&c.allocator, s);

    s = reel_strndup(&c.allocator, "xyz", 0);
    CHECK_EQ_STR(s, "");
    reel_strfree(&c.allocator, s);

    CHECK(reel_strdup(&c.allocator, NULL) == NULL);
    reel_strfree(&c.allocator, NULL);

    c.fail_after = 1;
    CHECK(reel_strdup(&c.allocator, "oom") == NULL);

    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);

    char *d = reel_strdup(NULL, "default");
    CHECK_EQ_STR(d, "default");
    reel_strfree(NULL, d);
}

TEST(size_arithmetic_reports_overflow)
{
    size_t out = 0;
    CHECK(reel_size_add(1, 2, &out));
    CHECK_EQ_U64(out, 3);
    CHECK(reel_size_add(SIZE_MAX - 1, 1, &out));
    CHECK_EQ_U64(out, SIZE_MAX);
    CHECK(!reel_size_add(SIZE_MAX, 1, &out));
    CHECK(!reel_size_add(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &out));

    CHECK(reel_size_mul(0, SIZE_MAX, &out));
    CHECK_EQ_U64(out, 0);
    CHECK(reel_size_mul(SIZE_MAX, 1, &out));
    CHECK_EQ_U64(out, SIZE_MAX);
    CHECK(reel_size_mul(1u << 16, 1u << 15, &out));
    CHECK_EQ_U64(out, (uint64_t)1 << 31);
    CHECK(!reel_size_mul(SIZE_MAX / 2 + 1, 2, &out));
    CHECK(!reel_size_mul(SIZE_MAX, SIZE_MAX, &out));

    CHECK_EQ_U64(reel_align_up(0, 8), 0);
    CHECK_EQ_U64(reel_align_up(1, 8), 8);
    CHECK_EQ_U64(reel_align_up(8, 8), 8);
    CHECK_EQ_U64(reel_align_up(13, 64), 64);
}

TEST(arena_alignment)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_arena arena;
    reel_arena_init(&arena, &c.allocator, 1024);

    size_t total = 0;
    for (size_t align = 1; align <= 4096; align *= 2) {
        for (size_t size = 0; size < 40; size += 13) {
            unsigned char *p = reel_arena_alloc(&arena, size, align);
            if (!CHECK(p != NULL))
                return;
            CHECK_EQ_U64((uintptr_t)p % align, 0);
            memset(p, 0x5A, size);
            total += size;
        }
    }
    CHECK_EQ_U64(arena.bytes_allocated, total);

    /* Odd sizes followed by stricter alignment. */
    for (int i = 0; i < 200; i++) {
        CHECK(reel_arena_alloc(&arena, 3, 1) != NULL);
        double *d = reel_arena_alloc(&arena, sizeof(double) * 3, _Alignof(double));
        CHECK_EQ_U64((uintptr_t)d % _Alignof(double), 0);
    }

    /* align 0 means 1; non-powers of two and > 4096 are refused. */
    CHECK(reel_arena_alloc(&arena, 8, 0) != NULL);
    CHECK(reel_arena_alloc(&arena, 8, 3) == NULL);
    CHECK(reel_arena_alloc(&arena, 8, 8192) == NULL);

    reel_arena_free(&arena);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(arena_allocations_do_not_overlap)
{
    reel_arena arena = {0}; /* zero-initialised is valid: default allocator, 64 KiB */
    enum { COUNT = 5000 };
    unsigned char *ptrs[COUNT];
    size_t sizes[COUNT];
    for (int i = 0; i < COUNT; i++) {
        sizes[i] = (size_t)(i * 37) % 300;
        ptrs[i] = reel_arena_alloc(&arena, sizes[i], (size_t)1 << (i % 5));
        if (!CHECK(ptrs[i] != NULL))
            return;
        memset(ptrs[i], i & 0xFF, sizes[i]);
    }
    size_t bad = 0;
    for (int i = 0; i < COUNT; i++) {
        for (size_t j = 0; j < sizes[i]; j++)
            bad += ptrs[i][j] != (unsigned char)(i & 0xFF);
    }
    CHECK_EQ_INT(bad, 0);
    reel_arena_free(&arena);
    CHECK(arena.head == NULL);
    reel_arena_free(&arena); /* twice is fine */
    reel_arena_free(NULL);
}

TEST(arena_reset_keeps_one_block)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_arena arena;
    reel_arena_init(&arena, &c.allocator, 4096);
    for (int i = 0; i < 100; i++)
        CHECK(reel_arena_alloc(&arena, 1000, 8) != NULL);
    CHECK(c.live_blocks > 10);

    reel_arena_reset(&arena);
    CHECK_EQ_INT(c.live_blocks, 1);
    CHECK_EQ_U64(arena.bytes_allocated, 0);

    /* The kept block is reused: a steady-state frame allocates nothing new. */
    size_t allocs_before = c.total_allocs;
    for (int frame = 0; frame < 10; frame++) {
        for (int i = 0; i < 4; i++)
            CHECK(reel_arena_alloc(&arena, 1000, 8) != NULL);
        reel_arena_reset(&arena);
    }
    CHECK_EQ_INT(c.total_allocs, allocs_before);
    CHECK_EQ_INT(c.live_blocks, 1);

    reel_arena_free(&arena);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(arena_oversized_and_zeroed)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_arena arena;
    reel_arena_init(&arena, &c.allocator, 256);

    unsigned char *small = reel_arena_alloc(&arena, 16, 16);
    CHECK(small != NULL);
    /* Much larger than the block size: gets its own block, and the current block keeps
     * serving small requests (no new block for the next small one). */
    unsigned char *big = reel_arena_alloc_zeroed(&arena, 100000, 64);
    if (!CHECK(big != NULL))
        return;
    CHECK_EQ_U64((uintptr_t)big % 64, 0);
    size_t nonzero = 0;
    for (size_t i = 0; i < 100000; i++)
        nonzero += big[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    size_t blocks = c.live_blocks;
    unsigned char *small2 = reel_arena_alloc(&arena, 16, 16);
    CHECK(small2 != NULL);
    CHECK_EQ_INT(c.live_blocks, blocks);
    CHECK(small2 >= small + 16 && small2 < small + 256);

    /* Reset frees the oversized block and keeps the small one. */
    reel_arena_reset(&arena);
    CHECK_EQ_INT(c.live_blocks, 1);
    CHECK(c.live_bytes < 1024);

    char *s = reel_arena_strndup(&arena, "hello world", 5);
    CHECK_EQ_STR(s, "hello");
    s = reel_arena_strndup(&arena, "ab\0cd", 5);
    CHECK_EQ_STR(s, "ab");
    s = reel_arena_strndup(&arena, "", 0);
    CHECK_EQ_STR(s, "");

    /* Overflowing sizes fail cleanly. */
    CHECK(reel_arena_alloc(&arena, SIZE_MAX, 16) == NULL);
    CHECK(reel_arena_alloc(&arena, SIZE_MAX - 8, 1) == NULL);

    /* Out of memory from the backing allocator. */
    c.fail_after = 1;
    CHECK(reel_arena_alloc(&arena, 1000, 8) == NULL);

    reel_arena_free(&arena);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

int main(void)
{
    RUN(default_allocator_round_trip);
    RUN(custom_allocator_gets_sizes);
    RUN(strdup_and_strndup);
    RUN(size_arithmetic_reports_overflow);
    RUN(arena_alignment);
    RUN(arena_allocations_do_not_overlap);
    RUN(arena_reset_keeps_one_block);
    RUN(arena_oversized_and_zeroed);
    TEST_MAIN_END();
}
