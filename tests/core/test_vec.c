/* Tests for reel_vec: push/pop of scalars and structs, zeroed pushes, push_n, reserve
 * keeping pointers stable, clear/free, out-of-memory and size-overflow paths. */
#include <string.h>

#include "core/core.h"
#include "counting_alloc.h"
#include "test.h"

typedef struct point {
    double x, y;
    int tag;
} point;

TEST(vec_push_pop_scalars)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_vec vec;
    reel_vec_init(&vec, sizeof(uint32_t), &c.allocator);
    for (uint32_t i = 0; i < 10000; i++) {
        if (!CHECK_OK(reel_vec_push(&vec, &i)))
            return;
    }
    CHECK_EQ_INT(vec.len, 10000);
    size_t bad = 0;
    for (uint32_t i = 0; i < 10000; i++)
        bad += REEL_VEC_AT(&vec, uint32_t, i) != i;
    CHECK_EQ_INT(bad, 0);

    uint32_t out = 0;
    CHECK(reel_vec_pop(&vec, &out));
    CHECK_EQ_INT(out, 9999);
    CHECK(reel_vec_pop(&vec, NULL));
    CHECK(reel_vec_pop(&vec, &out));
    CHECK_EQ_INT(out, 9997);
    CHECK_EQ_INT(vec.len, 9997);

    reel_vec_clear(&vec);
    CHECK_EQ_INT(vec.len, 0);
    CHECK(!reel_vec_pop(&vec, &out));
    CHECK_EQ_INT(out, 9997); /* untouched on failure */

    reel_vec_free(&vec);
    CHECK(vec.data == NULL && vec.len == 0 && vec.cap == 0);
    reel_vec_free(&vec);
    reel_vec_free(NULL);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(vec_structs_and_push_n)
{
    reel_vec vec;
    reel_vec_init(&vec, sizeof(point), NULL);
    point p = {1.5, -2.5, 7};
    CHECK_OK(reel_vec_push(&vec, &p));
    CHECK_OK(reel_vec_push(&vec, NULL)); /* zeroed */
    CHECK_EQ_INT(REEL_VEC_AT(&vec, point, 1).tag, 0);
    CHECK_NEAR(REEL_VEC_AT(&vec, point, 1).x, 0.0, 0.0);

    point *many = reel_vec_push_n(&vec, 100);
    if (!CHECK(many != NULL))
        return;
    CHECK_EQ_INT(vec.len, 102);
    CHECK(many == &REEL_VEC_AT(&vec, point, 2));
    int nonzero = 0;
    for (int i = 0; i < 100; i++)
        nonzero += many[i].tag != 0 || many[i].x != 0.0;
    CHECK_EQ_INT(nonzero, 0);
    many[99].tag = 99;

    CHECK(reel_vec_push_n(&vec, 0) != NULL);
    CHECK_EQ_INT(vec.len, 102);

    point last;
    CHECK(reel_vec_pop(&vec, &last));
    CHECK_EQ_INT(last.tag, 99);
    CHECK_NEAR(REEL_VEC_AT(&vec, point, 0).y, -2.5, 0.0);

    /* reserve: pointers stay put for that many pushes. */
    CHECK_OK(reel_vec_reserve(&vec, 1000));
    void *before = vec.data;
    for (int i = 0; i < 1000; i++)
        CHECK_OK(reel_vec_push(&vec, &p));
    CHECK(vec.data == before);
    reel_vec_free(&vec);

    /* Zero-initialised with elem_size set is valid. */
    reel_vec zero = {.elem_size = sizeof(int)};
    int v = 5;
    CHECK_OK(reel_vec_push(&zero, &v));
    CHECK_EQ_INT(REEL_VEC_AT(&zero, int, 0), 5);
    reel_vec_free(&zero);
}

TEST(vec_failures)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_vec vec;
    reel_vec_init(&vec, 16, &c.allocator);
    CHECK_EQ_INT(reel_vec_reserve(&vec, SIZE_MAX / 8), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(reel_vec_reserve(&vec, SIZE_MAX), REEL_OUT_OF_MEMORY);
    c.fail_after = 1;
    CHECK_EQ_INT(reel_vec_push(&vec, NULL), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(vec.len, 0);
    c.fail_after = 1;
    CHECK(reel_vec_push_n(&vec, 3) == NULL);
    CHECK_OK(reel_vec_push(&vec, NULL));
    CHECK_EQ_INT(vec.len, 1);
    reel_vec_free(&vec);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);

    reel_vec bad;
    reel_vec_init(&bad, 0, NULL);
    CHECK_EQ_INT(reel_vec_push(&bad, NULL), REEL_INVALID_ARGUMENT);
    reel_vec_free(&bad);
}

int main(void)
{
    RUN(vec_push_pop_scalars);
    RUN(vec_structs_and_push_n);
    RUN(vec_failures);
    TEST_MAIN_END();
}
