/* Tests for reel_buf: growth keeps contents, little-endian appends, padding, printf into
 * spare capacity and past it, extend/clear/detach, out-of-memory paths, and that memory
 * goes back to the allocator with the capacity it was allocated with. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "counting_alloc.h"
#include "test.h"

TEST(buf_growth_keeps_contents)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_buf buf;
    reel_buf_init(&buf, &c.allocator);
    CHECK(buf.data == NULL && buf.len == 0 && buf.cap == 0);

    size_t reallocs = 0;
    uint8_t *last = NULL;
    for (int i = 0; i < 100000; i++) {
        uint8_t byte = (uint8_t)(i * 7);
        if (!CHECK_OK(reel_buf_append(&buf, &byte, 1)))
            return;
        if (buf.data != last) {
            reallocs++;
            last = buf.data;
        }
    }
    CHECK_EQ_INT(buf.len, 100000);
    CHECK(buf.cap >= buf.len);
    CHECK(reallocs < 20); /* geometric growth */
    size_t bad = 0;
    for (int i = 0; i < 100000; i++)
        bad += buf.data[i] != (uint8_t)(i * 7);
    CHECK_EQ_INT(bad, 0);

    /* reserve guarantees room: the next appends do not move the data. */
    CHECK_OK(reel_buf_reserve(&buf, 1 << 20));
    uint8_t *before = buf.data;
    CHECK_OK(reel_buf_append_zeros(&buf, 1 << 20));
    CHECK(buf.data == before);
    CHECK_EQ_INT(buf.data[buf.len - 1], 0);

    CHECK_OK(reel_buf_append(&buf, NULL, 0));
    reel_buf_free(&buf);
    CHECK(buf.data == NULL && buf.len == 0 && buf.cap == 0);
    reel_buf_free(&buf);
    reel_buf_free(NULL);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(buf_little_endian_and_padding)
{
    reel_buf buf = {0}; /* zero-initialised is valid */
    CHECK_OK(reel_buf_append_u8(&buf, 0xAA));
    CHECK_OK(reel_buf_pad_to(&buf, 8));
    CHECK_EQ_INT(buf.len, 8);
    CHECK_OK(reel_buf_append_u32le(&buf, 0x01020304u));
    CHECK_OK(reel_buf_append_u64le(&buf, UINT64_C(0x1122334455667788)));
    CHECK_EQ_INT(buf.len, 20);
    CHECK_OK(reel_buf_pad_to(&buf, 8));
    CHECK_EQ_INT(buf.len, 24);
    CHECK_OK(reel_buf_pad_to(&buf, 8)); /* already aligned: no-op */
    CHECK_EQ_INT(buf.len, 24);
    CHECK_OK(reel_buf_pad_to(&buf, 1));
    CHECK_EQ_INT(buf.len, 24);
    CHECK_EQ_INT(reel_buf_pad_to(&buf, 6), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_buf_pad_to(&buf, 0), REEL_INVALID_ARGUMENT);

    static const uint8_t expect[24] = {0xAA, 0,    0,    0,    0,    0,    0,    0,
                                       0x04, 0x03, 0x02, 0x01, 0x88, 0x77, 0x66, 0x55,
                                       0x44, 0x33, 0x22, 0x11, 0,    0,    0,    0};
    CHECK_EQ_MEM(buf.data, expect, 24);
    CHECK_EQ_U64(reel_load_u64le(buf.data + 12), UINT64_C(0x1122334455667788));
    CHECK_EQ_U64(reel_load_u32le(buf.data + 8), 0x01020304u);
    reel_buf_free(&buf);
}

TEST(buf_printf)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_buf buf;
    reel_buf_init(&buf, &c.allocator);
    CHECK_OK(reel_buf_printf(&buf, "x=%d", 42));
    CHECK_EQ_INT(buf.len, 4);
    CHECK_EQ_MEM(buf.data, "x=42", 4);
    CHECK_OK(reel_buf_printf(&buf, ", s=%s", "abc"));
    CHECK_EQ_INT(buf.len, 11);
    CHECK_EQ_MEM(buf.data, "x=42, s=abc", 11);
    CHECK_OK(reel_buf_printf(&buf, "%s", ""));
    CHECK_EQ_INT(buf.len, 11);

    /* Longer than the spare capacity: grows and formats again. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_OK(reel_buf_printf(&buf, "[%s]", big));
    CHECK_EQ_INT(buf.len, 11 + 5001);
    CHECK_EQ_INT(buf.data[11], '[');
    CHECK_EQ_INT(buf.data[12], 'q');
    CHECK_EQ_INT(buf.data[11 + 4999], 'q');
    CHECK_EQ_INT(buf.data[buf.len - 1], ']');

    /* Exactly filling the spare capacity needs room for vsnprintf's NUL too. */
    reel_buf_clear(&buf);
    CHECK_EQ_INT(buf.len, 0);
    size_t cap = buf.cap;
    char *exact = malloc(cap + 1);
    if (!CHECK(exact != NULL))
        return;
    memset(exact, 'r', cap);
    exact[cap] = '\0';
    CHECK_OK(reel_buf_printf(&buf, "%s", exact));
    CHECK_EQ_INT(buf.len, cap);
    CHECK_EQ_INT(buf.data[cap - 1], 'r');
    free(exact);

    /* Out of memory while growing leaves the buffer as it was. */
    reel_buf_clear(&buf);
    CHECK_OK(reel_buf_append(&buf, "keep", 4));
    memset(big, 's', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    c.fail_after = 1;
    CHECK_EQ_INT(reel_buf_printf(&buf, "%s%s%s", big, big, big), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(buf.len, 4);
    CHECK_EQ_MEM(buf.data, "keep", 4);

    reel_buf_free(&buf);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

TEST(buf_extend_clear_detach)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_buf buf;
    reel_buf_init(&buf, &c.allocator);

    uint8_t *empty = reel_buf_extend(&buf, 0);
    CHECK(empty != NULL); /* NULL only means out of memory */
    CHECK_EQ_INT(buf.len, 0);
    uint8_t *p = reel_buf_extend(&buf, 10);
    if (!CHECK(p != NULL))
        return;
    memcpy(p, "0123456789", 10);
    CHECK_EQ_INT(buf.len, 10);
    p = reel_buf_extend(&buf, 3);
    memcpy(p, "abc", 3);
    CHECK_EQ_MEM(buf.data, "0123456789abc", 13);

    size_t cap_before = buf.cap;
    reel_buf_clear(&buf);
    CHECK_EQ_INT(buf.len, 0);
    CHECK_EQ_INT(buf.cap, cap_before);

    CHECK_OK(reel_buf_append(&buf, "detached", 8));
    size_t len = 0, cap = 0;
    uint8_t *bytes = reel_buf_detach(&buf, &len, &cap);
    CHECK(bytes != NULL);
    CHECK_EQ_INT(len, 8);
    CHECK_EQ_INT(cap, cap_before);
    CHECK_EQ_MEM(bytes, "detached", 8);
    CHECK(buf.data == NULL && buf.len == 0 && buf.cap == 0);
    CHECK(buf.alloc == &c.allocator);
    reel_free(buf.alloc, bytes, cap);

    /* The detached-from buffer is usable again. */
    CHECK_OK(reel_buf_append(&buf, "again", 5));
    CHECK_EQ_MEM(buf.data, "again", 5);

    /* Out of memory. */
    reel_buf_free(&buf);
    c.fail_after = 1;
    CHECK(reel_buf_extend(&buf, 100) == NULL);
    CHECK_EQ_INT(reel_buf_append(&buf, "x", 1), REEL_OK); /* the next one succeeds */
    CHECK_EQ_INT(reel_buf_reserve(&buf, SIZE_MAX), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(buf.len, 1);

    reel_buf_free(&buf);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

int main(void)
{
    RUN(buf_growth_keeps_contents);
    RUN(buf_little_endian_and_padding);
    RUN(buf_printf);
    RUN(buf_extend_clear_detach);
    TEST_MAIN_END();
}
