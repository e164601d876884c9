/* Tests of the hand-written flatbuffer builder and bounds-checked reader behind the IPC
 * code (src/arrow/flatbuf*.c): what the builder writes reads back with the right values and
 * alignment, and malformed offsets are REEL_CORRUPT, never an out-of-bounds read. */
#include <string.h>

#include "arrow/flatbuf.h"
#include "test.h"

TEST(flatbuf_builder_and_reader_agree)
{
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    reel__fb_ref name = reel__fb_create_string(&fb, "hello", 5);
    uint8_t *structs = reel__fb_vector_begin(&fb, 3, 16, 8);
    for (int i = 0; structs && i < 3; i++) {
        reel_store_u64le(structs + 16 * i, (uint64_t)(100 + i));
        reel_store_u64le(structs + 16 * i + 8, (uint64_t)(200 + i));
    }
    reel__fb_ref vec = reel__fb_vector_end(&fb, 3);
    reel__fb_table_begin(&fb);
    reel__fb_add_i16(&fb, 0, -7);
    reel__fb_add_ref(&fb, 1, vec);
    reel__fb_table_end(&fb); /* a sibling table, unreferenced: exercises a second vtable */
    reel__fb_table_begin(&fb);
    reel__fb_add_u8(&fb, 0, 9);
    reel__fb_ref child = reel__fb_table_end(&fb);
    reel__fb_ref children = reel__fb_create_ref_vector(&fb, (reel__fb_ref[]){child, child}, 2);
    reel__fb_table_begin(&fb);
    reel__fb_add_i64(&fb, 3, INT64_MIN);
    reel__fb_add_ref(&fb, 0, name);
    reel__fb_add_ref(&fb, 2, vec);
    reel__fb_add_ref(&fb, 4, children);
    reel__fb_add_bool(&fb, 5, true);
    reel__fb_add_u8(&fb, 6, 3); /* a union: tag 3, value the child table */
    reel__fb_add_ref(&fb, 7, child);
    reel__fb_ref root = reel__fb_table_end(&fb);
    reel_span bytes;
    if (!CHECK_OK(reel__fb_finish(&fb, root, &bytes)))
        return;
    CHECK_EQ_INT(bytes.len % 8, 0);
    /* Copy to an 8-aligned place, as an IPC message would have it. */
    uint64_t storage[80];
    if (!CHECK(bytes.len <= sizeof storage))
        return;
    memcpy(storage, bytes.data, bytes.len);
    reel__fb_reader reader;
    reel__fb_table table, sub;
    CHECK_OK(reel__fb_reader_init(&reader, (const uint8_t *)storage, bytes.len, NULL));
    CHECK_OK(reel__fb_root(&reader, &table));
    reel_span text;
    bool present;
    CHECK_OK(reel__fb_get_string(&table, 0, &text, &present));
    CHECK(present && text.len == 5 && memcmp(text.data, "hello", 5) == 0);
    CHECK_OK(reel__fb_get_string(&table, 1, &text, &present));
    CHECK(!present);
    int64_t i64;
    CHECK_OK(reel__fb_get_i64(&table, 3, 0, &i64));
    CHECK(i64 == INT64_MIN);
    CHECK_OK(reel__fb_get_i64(&table, 9, 42, &i64)); /* beyond the vtable: default */
    CHECK_EQ_INT(i64, 42);
    bool flag;
    CHECK_OK(reel__fb_get_bool(&table, 5, false, &flag));
    CHECK(flag);
    reel__fb_vector vector;
    CHECK_OK(reel__fb_get_vector(&table, 2, 16, &vector, &present));
    if (CHECK(present) && CHECK_EQ_INT(vector.count, 3)) {
        CHECK_EQ_INT(vector.pos % 8, 0); /* structs of longs are 8-aligned */
        CHECK_EQ_U64(reel_load_u64le(reel__fb_vector_elem(&vector, 2)), 102);
        CHECK_EQ_U64(reel_load_u64le(reel__fb_vector_elem(&vector, 1) + 8), 201);
    }
    CHECK_OK(reel__fb_get_vector(&table, 4, 4, &vector, &present));
    if (CHECK(present) && CHECK_EQ_INT(vector.count, 2)) {
        uint8_t u8;
        CHECK_OK(reel__fb_vector_table(&vector, 1, &sub));
        CHECK_OK(reel__fb_get_u8(&sub, 0, 0, &u8));
        CHECK_EQ_INT(u8, 9);
    }
    uint8_t tag;
    CHECK_OK(reel__fb_get_union(&table, 6, &tag, &sub, &present));
    CHECK(tag == 3 && present);
    uint8_t u8;
    CHECK_OK(reel__fb_get_u8(&sub, 0, 0, &u8));
    CHECK_EQ_INT(u8, 9);
    CHECK_OK(reel__fb_get_union(&table, 8, &tag, &sub, &present)); /* absent: NONE */
    CHECK(tag == 0 && !present);
    reel__fb_builder_free(&fb);
}

TEST(flatbuf_reader_rejects_bad_offsets)
{
    reel__fb_reader reader;
    reel__fb_table table;
    reel_error err = {0};
    /* Root offset past the end. */
    uint8_t past[8] = {0x40, 0, 0, 0, 0, 0, 0, 0};
    CHECK_OK(reel__fb_reader_init(&reader, past, sizeof past, &err));
    CHECK_EQ_INT(reel__fb_root(&reader, &table), REEL_CORRUPT);
    CHECK(strstr(err.message, "does not fit") != NULL);
    /* Vtable before the start: soffset points backwards past byte 0 ... */
    uint8_t before[8] = {4, 0, 0, 0, 0x10, 0, 0, 0};
    CHECK_OK(reel__fb_reader_init(&reader, before, sizeof before, &err));
    CHECK_EQ_INT(reel__fb_root(&reader, &table), REEL_CORRUPT);
    /* ... or a table inline size that runs past the end. */
    uint8_t inline_past[12] = {8, 0, 0, 0, 4, 0, 0x20, 0, 4, 0, 0, 0};
    CHECK_OK(reel__fb_reader_init(&reader, inline_past, sizeof inline_past, &err));
    CHECK_EQ_INT(reel__fb_root(&reader, &table), REEL_CORRUPT);
    /* A field whose bytes lie outside the table's inline part. */
    uint8_t outside[20] = {12, 0, 0, 0, 0, 0, 6, 0, 8, 0, 6, 0, 6, 0, 0, 0, 0, 0, 0, 0};
    int64_t value;
    CHECK_OK(reel__fb_reader_init(&reader, outside, sizeof outside, &err));
    if (CHECK_OK(reel__fb_root(&reader, &table)))
        CHECK_EQ_INT(reel__fb_get_i64(&table, 0, 0, &value), REEL_CORRUPT);
    /* A string without its NUL and a vector longer than the buffer. */
    uint8_t string[20] = {8, 0, 0, 0, 6, 0, 8, 0, 4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0};
    reel_span text;
    bool present;
    CHECK_OK(reel__fb_reader_init(&reader, string, sizeof string, &err));
    if (CHECK_OK(reel__fb_root(&reader, &table)))
        CHECK_EQ_INT(reel__fb_get_string(&table, 0, &text, &present), REEL_CORRUPT);
    string[16] = 0xff;
    reel__fb_vector vector;
    CHECK_OK(reel__fb_reader_init(&reader, string, sizeof string, &err));
    if (CHECK_OK(reel__fb_root(&reader, &table)))
        CHECK_EQ_INT(reel__fb_get_vector(&table, 0, 4, &vector, &present), REEL_CORRUPT);
    /* Too short for anything. */
    CHECK_OK(reel__fb_reader_init(&reader, string, 3, &err));
    CHECK_EQ_INT(reel__fb_root(&reader, &table), REEL_CORRUPT);
}

int main(void)
{
    RUN(flatbuf_builder_and_reader_agree);
    RUN(flatbuf_reader_rejects_bad_offsets);
    TEST_MAIN_END();
}
