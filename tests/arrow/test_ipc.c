/* Tests of the Arrow IPC stream reader and writer: round trips of every supported type
 * (nested, unions, nulls, empty arrays, zero-row batches, slices with odd offsets, metadata),
 * golden bytes of a tiny stream, incremental message sizing, truncation at every byte, bit
 * flips, zero-copy decoding, unsupported features and the streams pyarrow wrote into the
 * fuzz corpus (tests/arrow/test_ipc_dictionary.c has the dictionary, map and decimal
 * cases). Run with `--write-corpus DIR` it instead writes streams made by our encoder for
 * fuzz/make_ipc_corpus.py. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"
#include "arrow/flatbuf.h"
#include "arrow_testing.h"
#include "ipc_test_util.h"
#include "test.h"

#ifndef REEL_SOURCE_DIR
#define REEL_SOURCE_DIR "."
#endif

/* ---------------------------------------------------------------- round-trip machinery */

static bool buffers_inside(const reel_arrow_array *array, const reel_blob *blob)
{
    const uint8_t *start = reel_blob_data(blob), *end = start + reel_blob_len(blob);
    for (int i = 0; i < 3; i++) {
        const reel_arrow_buffer *b = &array->buffers[i];
        if (b->size == 0 || (b->owner == NULL && b->size <= 8))
            continue; /* absent, or the static offsets of an empty array */
        if (b->owner != blob || b->data < start || b->data + b->size > end)
            return false;
    }
    for (int32_t i = 0; i < array->n_children; i++)
        if (!buffers_inside(&array->children[i], blob))
            return false;
    return array->dictionary == NULL || buffers_inside(array->dictionary, blob);
}

static reel_status encode(reel_buf *out, const reel_arrow_field *schema,
                          const reel_arrow_array *batches, int64_t count, int32_t alignment)
{
    reel_ipc_write_options options = {.alignment = alignment};
    reel_error err = {0};
    reel_status status = reel_ipc_write_stream(out, schema, batches, count, &options, &err);
    if (status != REEL_OK)
        fprintf(stderr, "    write: %s\n", err.message);
    return status;
}

/* Every message of the stream in `bytes` starts on `alignment`. */
static bool messages_aligned(const reel_buf *bytes, size_t alignment)
{
    size_t pos = 0;
    while (pos < bytes->len) {
        uint64_t size, needed;
        if (pos % alignment != 0 || reel_ipc_message_size(bytes->data + pos, bytes->len - pos, 0,
                                                          &size, &needed, NULL) != REEL_OK)
            return false;
        pos += (size_t)size;
    }
    return pos == bytes->len;
}

/* Writes schema + batches, reads them back with full validation and checks: the schema
 * (with metadata), every batch's values, zero-copy buffers, and that encoding the decoded
 * batches again gives the same bytes when `canonical` (input not sliced). */
static void check_roundtrip_aligned(const reel_arrow_field *schema, const reel_arrow_array *batches,
                                    int64_t count, int32_t alignment, bool canonical)
{
    reel_buf bytes, again;
    reel_buf_init(&bytes, NULL);
    reel_buf_init(&again, NULL);
    if (!CHECK_OK(encode(&bytes, schema, batches, count, alignment)))
        return;
    CHECK(messages_aligned(&bytes, (size_t)alignment));
    reel_blob *blob = tu_blob(&bytes);
    reel_arrow_field decoded_schema;
    reel_vec decoded = {0};
    reel_error err = {0};
    reel_status status = reel_ipc_read_stream(blob, NULL, &decoded_schema, &decoded, &err);
    if (!CHECK_OK(status)) {
        fprintf(stderr, "    read: %s\n", err.message);
    } else {
        CHECK(reel_arrow_field_type_equal(schema, &decoded_schema, true));
        if (CHECK_EQ_INT(decoded.len, count)) {
            for (int64_t i = 0; i < count; i++) {
                const reel_arrow_array *got = &REEL_VEC_AT(&decoded, reel_arrow_array, i);
                CHECK(reel_arrow_array_equal(schema, &batches[i], got));
                CHECK(buffers_inside(got, blob));
                CHECK(tu_walk_json(&decoded_schema, got));
            }
            if (CHECK_OK(encode(&again, &decoded_schema, decoded.data, (int64_t)decoded.len,
                                alignment)) &&
                canonical) {
                CHECK_EQ_INT(again.len, bytes.len);
                CHECK_EQ_MEM(again.data, bytes.data, bytes.len < again.len ? bytes.len : again.len);
            }
        }
    }
    reel_arrow_field_reset(&decoded_schema);
    tu_free_batches(&decoded);
    reel_blob_release(blob);
    reel_buf_free(&bytes);
    reel_buf_free(&again);
}

static void check_roundtrip(const reel_arrow_field *schema, const reel_arrow_array *batches,
                            int64_t count, bool canonical)
{
    check_roundtrip_aligned(schema, batches, count, 8, canonical);
    check_roundtrip_aligned(schema, batches, count, 64, canonical);
}

/* ---------------------------------------------------------------- round trips */

TEST(roundtrip_primitives)
{
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    static const reel_arrow_type types[] = {
        REEL_ARROW_INT8,    REEL_ARROW_INT16,   REEL_ARROW_INT32,   REEL_ARROW_INT64,
        REEL_ARROW_UINT8,   REEL_ARROW_UINT16,  REEL_ARROW_UINT32,  REEL_ARROW_UINT64,
        REEL_ARROW_FLOAT16, REEL_ARROW_FLOAT32, REEL_ARROW_FLOAT64,
    };
    enum { N = sizeof types / sizeof types[0], ROWS = 11 };
    reel_arrow_array columns[N + 2];
    for (int c = 0; c < N; c++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", c);
        reel_arrow_field *field = tu_add(&schema, name, types[c], c % 2 == 0);
        int32_t width = reel_arrow_fixed_width(field);
        uint8_t values[ROWS * 8];
        for (int i = 0; i < ROWS * 8; i++)
            values[i] = (uint8_t)(i * 37 + c);
        if (types[c] == REEL_ARROW_FLOAT64) {
            double d[ROWS] = {0.5, -1e300, NAN, INFINITY, -INFINITY, 0.0, -0.0, 1.0 / 3, 5, 6, 7};
            memcpy(values, d, sizeof d);
        }
        tu_fixed(&columns[c], ROWS, c % 2 == 0 ? "11011101011" : NULL, values, (size_t)width);
    }
    tu_add(&schema, "flags", REEL_ARROW_BOOL, true);
    tu_bool(&columns[N], "10111111110", "11001010111");
    tu_add(&schema, "nothing", REEL_ARROW_NULL_TYPE, true);
    tu_null(&columns[N + 1], ROWS);
    reel_arrow_array batch;
    tu_batch(&batch, ROWS, columns, N + 2);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(roundtrip_temporal)
{
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_array columns[12];
    int n = 0;
    int64_t v64[4] = {0, -86400000, 1700000000123456789LL, 42};
    int32_t v32[4] = {0, -1, 19000, 86399};
    tu_add(&schema, "d32", REEL_ARROW_DATE32, true);
    tu_fixed(&columns[n++], 4, "1101", v32, 4);
    tu_add(&schema, "d64", REEL_ARROW_DATE64, true);
    tu_fixed(&columns[n++], 4, NULL, v64, 8);
    for (int unit = 0; unit < 4; unit++) {
        reel_arrow_field *f = tu_add(&schema, unit < 2 ? "t32" : "t64",
                                     unit < 2 ? REEL_ARROW_TIME32 : REEL_ARROW_TIME64, true);
        f->unit = (reel_arrow_time_unit)unit;
        if (unit < 2)
            tu_fixed(&columns[n++], 4, "0111", v32, 4);
        else
            tu_fixed(&columns[n++], 4, "0111", v64, 8);
    }
    for (int unit = 0; unit < 4; unit++) {
        reel_arrow_field *f = tu_add(&schema, "ts", REEL_ARROW_TIMESTAMP, unit != 3);
        f->unit = (reel_arrow_time_unit)unit;
        if (unit == 1)
            reel_arrow_field_set_timezone(f, "UTC");
        if (unit == 2)
            reel_arrow_field_set_timezone(f, "+07:30");
        tu_fixed(&columns[n++], 4, unit == 3 ? NULL : "1110", v64, 8);
    }
    reel_arrow_field *d = tu_add(&schema, "dur", REEL_ARROW_DURATION, true);
    d->unit = REEL_ARROW_NANO;
    tu_fixed(&columns[n++], 4, "1011", v64, 8);
    reel_arrow_array batch;
    tu_batch(&batch, 4, columns, n);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

static const char *const words[] = {
    "alpha", NULL, "", "gamma δ", "epsilon", NULL, "ζ", "", "eta theta iota kappa", "λ"};

TEST(roundtrip_strings_and_binary)
{
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_array columns[5];
    tu_add(&schema, "s", REEL_ARROW_UTF8, true);
    tu_var(&columns[0], words, 10, false, 0);
    tu_add(&schema, "ls", REEL_ARROW_LARGE_UTF8, true);
    tu_var(&columns[1], words, 10, true, 0);
    tu_add(&schema, "b", REEL_ARROW_BINARY, true);
    tu_var(&columns[2], words, 10, false, 0);
    tu_add(&schema, "lb", REEL_ARROW_LARGE_BINARY, false);
    const char *no_nulls[10] = {"a", "bb", "", "\x01\x02", "e", "f", "", "h", "i", "j"};
    tu_var(&columns[3], no_nulls, 10, true, 0);
    reel_arrow_field *fsb = tu_add(&schema, "tuid", REEL_ARROW_FIXED_SIZE_BINARY, true);
    fsb->fixed_size = 16;
    uint8_t tuids[160];
    for (int i = 0; i < 160; i++)
        tuids[i] = (uint8_t)(255 - i);
    tu_fixed(&columns[4], 10, "1111111110", tuids, 16);
    reel_arrow_array batch;
    tu_batch(&batch, 10, columns, 5);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);

    /* Offsets that do not start at 0 are rebased (so the bytes are not canonical). */
    tu_var(&columns[0], words, 10, false, 5);
    tu_var(&columns[1], words, 10, true, 3);
    tu_var(&columns[2], words, 10, false, 1);
    tu_var(&columns[3], no_nulls, 10, true, 7);
    tu_fixed(&columns[4], 10, NULL, tuids, 16);
    tu_batch(&batch, 10, columns, 5);
    check_roundtrip(&schema, &batch, 1, false);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* list<struct<x: float, name: string>> with nulls at both levels, plus a large_list of
 * fixed_size_list<int16>[3] and a list<list<int8>>. */
static void make_nested(reel_arrow_field *schema, reel_arrow_array *batch, int64_t first_offset)
{
    reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_field *points = tu_add(schema, "points", REEL_ARROW_LIST, true);
    reel_arrow_field *item = tu_add(points, "item", REEL_ARROW_STRUCT, true);
    tu_add(item, "x", REEL_ARROW_FLOAT32, false);
    tu_add(item, "name", REEL_ARROW_UTF8, true);
    reel_arrow_field *big = tu_add(schema, "big", REEL_ARROW_LARGE_LIST, true);
    reel_arrow_field *triple = tu_add(big, "item", REEL_ARROW_FIXED_SIZE_LIST, true);
    triple->fixed_size = 3;
    tu_add(triple, "item", REEL_ARROW_INT16, true);
    reel_arrow_field *outer = tu_add(schema, "ll", REEL_ARROW_LIST, false);
    reel_arrow_field *inner = tu_add(outer, "item", REEL_ARROW_LIST, true);
    tu_add(inner, "item", REEL_ARROW_INT8, false);

    enum { ROWS = 6, ITEMS = 10 };
    float xs[ITEMS + 8];
    for (int i = 0; i < ITEMS + 8; i++)
        xs[i] = (float)i * 1.5f;
    reel_arrow_array struct_children[2], item_array, columns[3];
    tu_fixed(&struct_children[0], ITEMS + first_offset, NULL, xs, 4);
    const char *names[ITEMS + 8] = {"p0", "p1", NULL, "p3", "p4", "",   "p6", "p7",
                                    "p8", "p9", "pa", "pb", "pc", "pd", "pe", "pf"};
    tu_var(&struct_children[1], names, ITEMS + first_offset, false, 0);
    char item_valid[ITEMS + 9];
    for (int i = 0; i < ITEMS + first_offset; i++)
        item_valid[i] = i % 4 == 3 ? '0' : '1';
    item_valid[ITEMS + first_offset] = 0;
    tu_struct(&item_array, ITEMS + first_offset, item_valid, struct_children, 2);
    int64_t offsets[ROWS + 1] = {0, 3, 3, 3, 7, 8, 10};
    for (int i = 0; i <= ROWS; i++)
        offsets[i] += first_offset;
    tu_list(&columns[0], ROWS, "110111", offsets, false, &item_array);

    int16_t shorts[24];
    for (int i = 0; i < 24; i++)
        shorts[i] = (int16_t)(i * 1000 - 7000);
    reel_arrow_array shorts_array, triples;
    tu_fixed(&shorts_array, 24, "111111111011111111111101", shorts, 2);
    tu_fixed_list(&triples, 8, "11101111", &shorts_array);
    int64_t big_offsets[ROWS + 1] = {0, 2, 2, 5, 5, 8, 8};
    tu_list(&columns[1], ROWS, "101011", big_offsets, true, &triples);

    int8_t bytes[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    reel_arrow_array leaves, inner_lists;
    tu_fixed(&leaves, 12, NULL, bytes, 1);
    int64_t inner_offsets[9] = {0, 0, 2, 5, 5, 6, 9, 12, 12};
    tu_list(&inner_lists, 8, "11110111", inner_offsets, false, &leaves);
    int64_t outer_offsets[ROWS + 1] = {0, 1, 3, 3, 6, 8, 8};
    tu_list(&columns[2], ROWS, NULL, outer_offsets, false, &inner_lists);
    tu_batch(batch, ROWS, columns, 3);
}

TEST(roundtrip_nested)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_nested(&schema, &batch, 0);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    /* The list's offsets start at 4: the writer rebases them and slices the child. */
    make_nested(&schema, &batch, 4);
    check_roundtrip(&schema, &batch, 1, false);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* A dense union shaped like Rerun's (child 0 a Null named _null_markers) with custom type
 * codes, and a sparse union of int32 / utf8 / bool. */
static void make_unions(reel_arrow_field *schema, reel_arrow_array *batch)
{
    reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_field *dense = tu_add(schema, "dense", REEL_ARROW_DENSE_UNION, true);
    tu_add(dense, "_null_markers", REEL_ARROW_NULL_TYPE, true);
    tu_add(dense, "x", REEL_ARROW_INT32, true);
    tu_add(dense, "s", REEL_ARROW_UTF8, true);
    dense->union_type_codes[1] = 5;
    dense->union_type_codes[2] = 9;
    reel_arrow_field *sparse = tu_add(schema, "sparse", REEL_ARROW_SPARSE_UNION, true);
    tu_add(sparse, "i", REEL_ARROW_INT32, true);
    tu_add(sparse, "t", REEL_ARROW_UTF8, true);
    tu_add(sparse, "b", REEL_ARROW_BOOL, true);

    enum { ROWS = 9 };
    reel_arrow_array dense_children[3], sparse_children[3], columns[2];
    tu_null(&dense_children[0], 2);
    int32_t xs[4] = {10, 20, 30, 40};
    tu_fixed(&dense_children[1], 4, "1011", xs, 4);
    tu_var(&dense_children[2], words, 3, false, 0);
    int8_t dense_codes[ROWS] = {5, 0, 9, 5, 9, 5, 0, 9, 5};
    int32_t dense_offsets[ROWS] = {0, 0, 0, 1, 1, 2, 1, 2, 3};
    tu_union(&columns[0], ROWS, dense_codes, dense_offsets, dense_children, 3);

    int32_t is[ROWS] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    tu_fixed(&sparse_children[0], ROWS, "111101111", is, 4);
    tu_var(&sparse_children[1], words, ROWS, false, 0);
    tu_bool(&sparse_children[2], "111111110", "101010101");
    int8_t sparse_codes[ROWS] = {0, 1, 2, 0, 1, 2, 2, 1, 0};
    tu_union(&columns[1], ROWS, sparse_codes, NULL, sparse_children, 3);
    tu_batch(batch, ROWS, columns, 2);
}

TEST(roundtrip_unions)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_unions(&schema, &batch);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(roundtrip_empty_and_zero_rows)
{
    /* No columns at all, with zero and with five rows. */
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_array batches[2] = {{.length = 0, .n_buffers = 1}, {.length = 5, .n_buffers = 1}};
    check_roundtrip(&schema, batches, 2, true);
    /* A schema and no batches. */
    reel_arrow_array batch;
    make_nested(&schema, &batch, 0);
    check_roundtrip(&schema, NULL, 0, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);

    /* Zero-row batches (empty slices) of every kind of column, next to a non-empty one. */
    reel_arrow_field schemas[3];
    reel_arrow_array full[3];
    make_nested(&schemas[0], &full[0], 0);
    make_unions(&schemas[1], &full[1]);
    reel_arrow_field_init(&schemas[2], "", REEL_ARROW_STRUCT, false, NULL);
    tu_add(&schemas[2], "s", REEL_ARROW_UTF8, true);
    tu_add(&schemas[2], "b", REEL_ARROW_BOOL, true);
    reel_arrow_array columns[2];
    tu_var(&columns[0], words, 10, false, 0);
    tu_bool(&columns[1], "1111111111", "0110100110");
    tu_batch(&full[2], 10, columns, 2);
    for (int s = 0; s < 3; s++) {
        reel_arrow_array pair[2];
        CHECK_OK(reel_arrow_array_slice(&pair[0], &schemas[s], &full[s], 3, 0, NULL));
        CHECK_OK(reel_arrow_array_share(&pair[1], &full[s]));
        check_roundtrip(&schemas[s], pair, 2, false);
        reel_arrow_array_reset(&pair[0]);
        reel_arrow_array_reset(&pair[1]);
        reel_arrow_array_reset(&full[s]);
        reel_arrow_field_reset(&schemas[s]);
    }

    /* Arrays that are empty from the start (zero-initialised: no buffers at all). */
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    tu_add(&schema, "i", REEL_ARROW_INT64, true);
    tu_add(&schema, "s", REEL_ARROW_UTF8, true);
    reel_arrow_field *l = tu_add(&schema, "l", REEL_ARROW_LIST, true);
    tu_add(l, "item", REEL_ARROW_FLOAT32, true);
    reel_arrow_array empty_columns[3] = {{.n_buffers = 2}, {.n_buffers = 3}, {.n_buffers = 2}};
    empty_columns[2].children = reel_alloc_zeroed(NULL, sizeof(reel_arrow_array));
    empty_columns[2].n_children = 1;
    empty_columns[2].children[0].n_buffers = 2;
    tu_batch(&batch, 0, empty_columns, 3);
    check_roundtrip(&schema, &batch, 1, true);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* Slices at many odd offsets of a batch with every layout: the writer shifts bitmaps,
 * rebases offsets and slices children; what is read back equals the slice. */
TEST(roundtrip_slices)
{
    enum { ROWS = 21 };
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_array columns[9];
    int64_t values[ROWS];
    for (int i = 0; i < ROWS; i++)
        values[i] = i * 1000003LL;
    tu_add(&schema, "i64", REEL_ARROW_INT64, true);
    tu_fixed(&columns[0], ROWS, "110111011110110101101", values, 8);
    tu_add(&schema, "flag", REEL_ARROW_BOOL, true);
    tu_bool(&columns[1], "111011111101111111011", "100110101110001011010");
    const char *strings[ROWS] = {"a", "bc", NULL, "def", "",  "g",   "hij", NULL, "k",  "lm", "n",
                                 "o", "pq", "r",  NULL,  "s", "tuv", "w",   "x",  "yz", ""};
    tu_add(&schema, "s", REEL_ARROW_UTF8, true);
    tu_var(&columns[2], strings, ROWS, false, 0);
    reel_arrow_field *list = tu_add(&schema, "list", REEL_ARROW_LIST, true);
    tu_add(list, "item", REEL_ARROW_INT32, true);
    int32_t ints[40];
    for (int i = 0; i < 40; i++)
        ints[i] = i;
    reel_arrow_array child;
    tu_fixed(&child, 40, "1111011111011111111101111111111111111110", ints, 4);
    int64_t offsets[ROWS + 1];
    for (int i = 0; i <= ROWS; i++)
        offsets[i] = (i * 19) / 10;
    tu_list(&columns[3], ROWS, "101111111011111110111", offsets, false, &child);
    reel_arrow_field *fsl = tu_add(&schema, "vec3", REEL_ARROW_FIXED_SIZE_LIST, true);
    fsl->fixed_size = 3;
    tu_add(fsl, "item", REEL_ARROW_FLOAT32, false);
    float floats[3 * ROWS];
    for (int i = 0; i < 3 * ROWS; i++)
        floats[i] = (float)i / 4;
    tu_fixed(&child, 3 * ROWS, NULL, floats, 4);
    tu_fixed_list(&columns[4], ROWS, "111110111111111011111", &child);
    reel_arrow_field *st = tu_add(&schema, "st", REEL_ARROW_STRUCT, true);
    tu_add(st, "a", REEL_ARROW_BOOL, true);
    tu_add(st, "b", REEL_ARROW_UINT16, true);
    reel_arrow_array st_children[2];
    tu_bool(&st_children[0], "110111111111111110111", "011011011011011011011");
    uint16_t u16s[ROWS];
    for (int i = 0; i < ROWS; i++)
        u16s[i] = (uint16_t)(i * 3000);
    tu_fixed(&st_children[1], ROWS, "111111101111111111111", u16s, 2);
    tu_struct(&columns[5], ROWS, "011111111110111111111", st_children, 2);
    reel_arrow_field *sparse = tu_add(&schema, "sparse", REEL_ARROW_SPARSE_UNION, true);
    tu_add(sparse, "i", REEL_ARROW_INT64, true);
    tu_add(sparse, "s", REEL_ARROW_UTF8, true);
    reel_arrow_array union_children[3];
    tu_fixed(&union_children[0], ROWS, "111011111111111111111", values, 8);
    tu_var(&union_children[1], strings, ROWS, false, 0);
    int8_t codes[ROWS];
    for (int i = 0; i < ROWS; i++)
        codes[i] = (int8_t)(i % 3 == 0);
    tu_union(&columns[6], ROWS, codes, NULL, union_children, 2);
    reel_arrow_field *dense = tu_add(&schema, "dense", REEL_ARROW_DENSE_UNION, true);
    tu_add(dense, "_null_markers", REEL_ARROW_NULL_TYPE, true);
    tu_add(dense, "f", REEL_ARROW_FLOAT64, true);
    double doubles[ROWS];
    int32_t dense_offsets[ROWS];
    int nulls = 0, reals = 0;
    for (int i = 0; i < ROWS; i++) {
        doubles[i] = i + 0.25;
        codes[i] = (int8_t)(i % 4 != 1);
        dense_offsets[i] = codes[i] ? reals++ : nulls++;
    }
    tu_null(&union_children[0], nulls);
    tu_fixed(&union_children[1], reals, NULL, doubles, 8);
    tu_union(&columns[7], ROWS, codes, dense_offsets, union_children, 2);
    tu_add(&schema, "nul", REEL_ARROW_NULL_TYPE, true);
    tu_null(&columns[8], ROWS);
    reel_arrow_array batch;
    tu_batch(&batch, ROWS, columns, 9);
    check_roundtrip(&schema, &batch, 1, true);

    static const int64_t slices[][2] = {{1, 13}, {3, 5},  {8, 8},  {7, 0},  {0, 21},
                                        {20, 1}, {5, 16}, {9, 11}, {2, 17}, {15, 3}};
    for (size_t k = 0; k < sizeof slices / sizeof slices[0]; k++) {
        reel_arrow_array slice;
        CHECK_OK(reel_arrow_array_slice(&slice, &schema, &batch, slices[k][0], slices[k][1], NULL));
        check_roundtrip(&schema, &slice, 1, false);
        /* The same rows sliced at the column level (batch offset 0, column offsets odd). */
        reel_arrow_array column_slices[9];
        for (int c = 0; c < 9; c++)
            CHECK_OK(reel_arrow_array_slice(&column_slices[c], &schema.children[c],
                                            &batch.children[c], slices[k][0], slices[k][1], NULL));
        reel_arrow_array rebuilt;
        tu_batch(&rebuilt, slices[k][1], column_slices, 9);
        check_roundtrip(&schema, &rebuilt, 1, false);
        reel_arrow_array_reset(&rebuilt);
        reel_arrow_array_reset(&slice);
    }
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(slices_are_written_compactly)
{
    enum { ROWS = 100000 };
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    tu_add(&schema, "v", REEL_ARROW_INT64, true);
    reel_arrow_field *l = tu_add(&schema, "l", REEL_ARROW_LIST, true);
    tu_add(l, "item", REEL_ARROW_INT64, true);
    int64_t *values = calloc(ROWS, 8);
    int64_t *offsets = calloc(ROWS + 1, 8);
    for (int i = 0; i <= ROWS; i++)
        offsets[i] = i;
    reel_arrow_array columns[2], child;
    tu_fixed(&columns[0], ROWS, NULL, values, 8);
    tu_fixed(&child, ROWS, NULL, values, 8);
    tu_list(&columns[1], ROWS, NULL, offsets, false, &child);
    reel_arrow_array batch, slice;
    tu_batch(&batch, ROWS, columns, 2);
    CHECK_OK(reel_arrow_array_slice(&slice, &schema, &batch, 50001, 3, NULL));
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(reel_ipc_write_batch(&bytes, &schema, &slice, NULL, NULL));
    CHECK(bytes.len < 600);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&slice);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    free(values);
    free(offsets);
}

TEST(roundtrip_metadata)
{
    reel_arrow_field schema;
    reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_metadata_set(&schema.metadata, NULL, "rerun:entity_path", "/points");
    reel_arrow_metadata_set(&schema.metadata, NULL, "rerun:id", "chunk_0123");
    reel_arrow_metadata_set(&schema.metadata, NULL, "empty", "");
    reel_arrow_field *pos = tu_add(&schema, "Points3D:positions", REEL_ARROW_LIST, true);
    reel_arrow_metadata_set(&pos->metadata, NULL, "rerun:kind", "data");
    reel_arrow_metadata_set(&pos->metadata, NULL, "rerun:component", "Points3D:positions");
    reel_arrow_field *item = tu_add(pos, "item", REEL_ARROW_FIXED_SIZE_LIST, false);
    item->fixed_size = 3;
    reel_arrow_metadata_set(&item->metadata, NULL, "unicode ключ", "значение ✓");
    tu_add(item, "item", REEL_ARROW_FLOAT32, false);
    tu_add(&schema, "", REEL_ARROW_INT8, false); /* an unnamed, non-nullable column */
    reel_arrow_array columns[2], floats, triples;
    float xyz[6] = {1, 2, 3, 4, 5, 6};
    tu_fixed(&floats, 6, NULL, xyz, 4);
    tu_fixed_list(&triples, 2, NULL, &floats);
    int64_t offsets[3] = {0, 2, 2};
    tu_list(&columns[0], 2, "10", offsets, false, &triples);
    int8_t bytes[2] = {-1, 1};
    tu_fixed(&columns[1], 2, NULL, bytes, 1);
    reel_arrow_array batch;
    tu_batch(&batch, 2, columns, 2);
    check_roundtrip(&schema, &batch, 1, true);

    /* The decoded schema keeps every key, value, name and nullability in order. */
    reel_buf stream;
    reel_buf_init(&stream, NULL);
    CHECK_OK(encode(&stream, &schema, &batch, 1, 8));
    reel_blob *blob = tu_blob(&stream);
    reel_arrow_field got;
    reel_vec batches = {0};
    if (CHECK_OK(reel_ipc_read_stream(blob, NULL, &got, &batches, NULL))) {
        CHECK_EQ_INT(got.metadata.count, 3);
        CHECK_EQ_STR(reel_arrow_metadata_get(&got.metadata, "rerun:entity_path"), "/points");
        CHECK_EQ_STR(reel_arrow_metadata_get(&got.metadata, "empty"), "");
        CHECK_EQ_STR(got.metadata.items[1].key, "rerun:id");
        CHECK_EQ_STR(got.children[0].name, "Points3D:positions");
        CHECK(got.children[0].nullable && !got.children[1].nullable);
        CHECK(got.children[1].name == NULL || got.children[1].name[0] == 0);
        CHECK_EQ_STR(reel_arrow_metadata_get(&got.children[0].children[0].metadata, "unicode ключ"),
                     "значение ✓");
    }
    reel_arrow_field_reset(&got);
    tu_free_batches(&batches);
    reel_blob_release(blob);
    reel_buf_free(&stream);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(several_batches_share_one_schema)
{
    reel_arrow_field schema;
    reel_arrow_array batches[4];
    make_nested(&schema, &batches[0], 0);
    CHECK_OK(reel_arrow_array_slice(&batches[1], &schema, &batches[0], 1, 4, NULL));
    CHECK_OK(reel_arrow_array_slice(&batches[2], &schema, &batches[0], 5, 1, NULL));
    CHECK_OK(reel_arrow_array_slice(&batches[3], &schema, &batches[0], 0, 0, NULL));
    check_roundtrip(&schema, batches, 4, false);
    for (int i = 0; i < 4; i++)
        reel_arrow_array_reset(&batches[i]);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- golden bytes */

/* Schema {n: int8 not null}, one batch [1, 2, 3], EOS; alignment 8. Checked by hand
 * against Schema.fbs and Message.fbs, and read back by pyarrow 26. Offsets in the comments
 * are within each flatbuffer (fb) or the stream. */
/* clang-format off */
static const uint8_t golden_stream[304] = {
    /* stream 0: Schema message, continuation + metadata length 136 */
    0xff, 0xff, 0xff, 0xff, 0x88, 0x00, 0x00, 0x00,
    /* fb 0: root -> Message at 20; padding */
    0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* fb 8: Message vtable: 12 bytes, table 20; version @6, header_type @5, header @8,
     * bodyLength @12. fb 20: Message table, soffset 12 */
    0x0c, 0x00, 0x14, 0x00, 0x06, 0x00, 0x05, 0x00, 0x08, 0x00, 0x0c, 0x00, 0x0c, 0x00, 0x00, 0x00,
    /* fb 24: pad, header_type 1 (Schema), version 4 (V5), header -> 48, bodyLength 0 */
    0x00, 0x01, 0x04, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* fb 40: Schema vtable: 8 bytes, table 12; endianness @6, fields @8 */
    0x08, 0x00, 0x0c, 0x00, 0x06, 0x00, 0x08, 0x00,
    /* fb 48: Schema table: soffset 8, pad, endianness 0 (Little), fields -> 60 */
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
    /* fb 60: fields: 1 element -> Field at 84 */
    0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
    /* fb 68: Field vtable: 16 bytes, table 20; name @16, nullable @7, type_type @6, type @12,
     * no dictionary, children @8 */
    0x10, 0x00, 0x14, 0x00, 0x10, 0x00, 0x07, 0x00, 0x06, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x08, 0x00,
    /* fb 84: Field table: soffset 16, pad, type_type 2 (Int), nullable 0, children -> 132,
     * type -> 120, name -> 104 */
    0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x28, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
    0x04, 0x00, 0x00, 0x00,
    /* fb 104: string "n" + NUL + pad */
    0x01, 0x00, 0x00, 0x00, 0x6e, 0x00, 0x00, 0x00,
    /* fb 112: Int vtable: 8 bytes, table 12; bitWidth @8, is_signed @7 */
    0x08, 0x00, 0x0c, 0x00, 0x08, 0x00, 0x07, 0x00,
    /* fb 120: Int table: soffset 8, pad, is_signed 1, bitWidth 8 */
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    /* fb 132: children: 0 elements */
    0x00, 0x00, 0x00, 0x00,
    /* stream 144: RecordBatch message, metadata length 136 */
    0xff, 0xff, 0xff, 0xff, 0x88, 0x00, 0x00, 0x00,
    /* fb 0: root -> 20; pad; fb 8: Message vtable: 12 bytes, table 22 (incl. 2 pad bytes);
     * fb 20: table, soffset 12 */
    0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x0c, 0x00, 0x16, 0x00, 0x06, 0x00, 0x05, 0x00, 0x08, 0x00, 0x0c, 0x00, 0x0c, 0x00, 0x00, 0x00,
    /* fb 24: pad, header_type 3 (RecordBatch), version 4, header -> 52, bodyLength 8 */
    0x00, 0x03, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* fb 40: pad; fb 42: RecordBatch vtable: 10 bytes, table 24; length @12, nodes @8,
     * buffers @4; fb 52: table, soffset 10 */
    0x00, 0x00, 0x0a, 0x00, 0x18, 0x00, 0x0c, 0x00, 0x08, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00,
    /* fb 56: buffers -> 100, nodes -> 76, length 3, pad */
    0x2c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    /* fb 76: nodes: 1 FieldNode {length 3, null_count 0} (8-aligned) */
    0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    /* fb 96: pad; fb 100: buffers: 2 Buffers {0, 0} (validity left out), {0, 3} */
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* stream 288: body: 1, 2, 3 padded to 8 */
    0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* stream 296: EOS */
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

static void make_golden(reel_arrow_field *schema, reel_arrow_array *batch)
{
    reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    tu_add(schema, "n", REEL_ARROW_INT8, false);
    int8_t values[3] = {1, 2, 3};
    reel_arrow_array column;
    tu_fixed(&column, 3, NULL, values, 1);
    tu_batch(batch, 3, &column, 1);
}

TEST(golden_bytes)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_golden(&schema, &batch);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(encode(&bytes, &schema, &batch, 1, 8));
    if (CHECK_EQ_INT(bytes.len, sizeof golden_stream))
        CHECK_EQ_MEM(bytes.data, golden_stream, sizeof golden_stream);
    reel_blob *blob = reel_blob_wrap((void *)golden_stream, sizeof golden_stream, NULL, NULL);
    reel_arrow_field got;
    reel_vec batches = {0};
    if (CHECK_OK(reel_ipc_read_stream(blob, NULL, &got, &batches, NULL)) &&
        CHECK_EQ_INT(batches.len, 1)) {
        CHECK(reel_arrow_field_type_equal(&schema, &got, true));
        CHECK(reel_arrow_array_equal(&schema, &batch, batches.data));
    }
    reel_arrow_field_reset(&got);
    tu_free_batches(&batches);
    reel_blob_release(blob);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- sizing and decoder */

TEST(message_size_fed_byte_by_byte)
{
    const uint8_t *p = golden_stream;
    size_t len = sizeof golden_stream;
    static const uint64_t sizes[3] = {144, 152, 8};
    size_t pos = 0;
    for (int m = 0; m < 3; m++) {
        uint64_t size = 0, needed = 0;
        size_t have = 0;
        reel_status status;
        /* Feed one byte more each time: TRUNCATED names a larger total until it can tell. */
        while ((status = reel_ipc_message_size(p + pos, have, 0, &size, &needed, NULL)) ==
               REEL_TRUNCATED) {
            if (!CHECK(needed > have && needed <= len - pos))
                break;
            have++;
        }
        CHECK_OK(status);
        CHECK_EQ_U64(size, sizes[m]);
        CHECK(have <= size);
        pos += (size_t)size;
    }
    CHECK_EQ_INT(pos, len);
    /* needed is exact: 4, then 8, then the metadata end. */
    uint64_t size, needed;
    CHECK_EQ_INT(reel_ipc_message_size(p, 0, 0, &size, &needed, NULL), REEL_TRUNCATED);
    CHECK_EQ_U64(needed, 4);
    CHECK_EQ_INT(reel_ipc_message_size(p, 5, 0, &size, &needed, NULL), REEL_TRUNCATED);
    CHECK_EQ_U64(needed, 8);
    CHECK_EQ_INT(reel_ipc_message_size(p, 100, 0, &size, &needed, NULL), REEL_TRUNCATED);
    CHECK_EQ_U64(needed, 144);
    /* The limit applies to metadata and body. */
    reel_error err = {0};
    CHECK_EQ_INT(reel_ipc_message_size(p, len, 100, &size, &needed, &err), REEL_LIMIT);
    CHECK_EQ_INT(reel_ipc_message_size(p + 144, len - 144, 150, &size, &needed, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "limit") != NULL);
    CHECK_OK(reel_ipc_message_size(p + 144, len - 144, 152, &size, &needed, &err));
    /* Negative metadata length; legacy EOS (4 zero bytes). */
    uint8_t negative[8] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80};
    CHECK_EQ_INT(reel_ipc_message_size(negative, 8, 0, &size, &needed, &err), REEL_CORRUPT);
    uint8_t legacy_eos[4] = {0};
    CHECK_OK(reel_ipc_message_size(legacy_eos, 4, 0, &size, &needed, NULL));
    CHECK_EQ_U64(size, 4);
}

/* A stream without continuation markers: the pre-0.15 framing. */
static size_t make_legacy(const uint8_t *stream, size_t len, uint8_t *out)
{
    size_t in = 0, n = 0;
    while (in < len) {
        uint64_t size, needed;
        if (reel_ipc_message_size(stream + in, len - in, 0, &size, &needed, NULL) != REEL_OK)
            abort();
        memcpy(out + n, stream + in + 4, (size_t)size - 4);
        n += (size_t)size - 4;
        in += (size_t)size;
    }
    return n;
}

TEST(legacy_framing_and_misaligned_buffers)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_nested(&schema, &batch, 0);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(encode(&bytes, &schema, &batch, 1, 8));
    uint8_t *legacy = malloc(bytes.len);
    size_t legacy_len = make_legacy(bytes.data, bytes.len, legacy);
    reel_blob *blob = reel_blob_copy(NULL, legacy, legacy_len);
    reel_arrow_field got;
    reel_vec batches = {0};
    reel_error err = {0};
    if (CHECK_OK(reel_ipc_read_stream(blob, NULL, &got, &batches, &err)) &&
        CHECK_EQ_INT(batches.len, 1)) {
        CHECK(reel_arrow_array_equal(&schema, &batch, batches.data));
    } else {
        fprintf(stderr, "    %s\n", err.message);
    }
    reel_arrow_field_reset(&got);
    tu_free_batches(&batches);
    reel_blob_release(blob);
    free(legacy);

    /* The same through the decoder at an odd offset inside a larger blob. */
    uint8_t *shifted = malloc(bytes.len + 1);
    shifted[0] = 0xee;
    memcpy(shifted + 1, bytes.data, bytes.len);
    blob = reel_blob_copy(NULL, shifted, bytes.len + 1);
    reel_ipc_decoder *decoder;
    CHECK_OK(reel_ipc_decoder_create(NULL, &decoder, NULL));
    CHECK(reel_ipc_decoder_schema(decoder) == NULL);
    size_t pos = 1;
    int kinds[3] = {0};
    for (int m = 0; m < 3; m++) {
        uint64_t size, needed;
        reel_ipc_message message;
        if (!CHECK_OK(reel_ipc_message_size(shifted + pos, bytes.len + 1 - pos, 0, &size, &needed,
                                            NULL)) ||
            !CHECK_OK(reel_ipc_decoder_decode(decoder, blob, pos, (size_t)size, &message, &err)))
            break;
        kinds[m] = message.kind;
        CHECK_EQ_U64(message.size, size);
        if (message.kind == REEL_IPC_MESSAGE_RECORD_BATCH) {
            CHECK(reel_arrow_array_equal(&schema, &batch, &message.batch));
            /* points.item.x (float32) could not stay at an odd address: it was copied to an
             * aligned blob of its own. The int8 leaves of ll stay in place. */
            const reel_arrow_array *decoded = &message.batch;
            const reel_arrow_buffer *x = &decoded->children[0].children[0].children[0].buffers[1];
            CHECK(x->owner != blob && ((uintptr_t)x->data % 4) == 0);
            const reel_arrow_buffer *leaves =
                &decoded->children[2].children[0].children[0].buffers[1];
            CHECK(leaves->owner == blob);
            reel_arrow_array_reset(&message.batch);
        }
        pos += (size_t)size;
        CHECK_EQ_U64(reel_ipc_decoder_offset(decoder), pos - 1);
    }
    CHECK(kinds[0] == REEL_IPC_MESSAGE_SCHEMA && kinds[1] == REEL_IPC_MESSAGE_RECORD_BATCH &&
          kinds[2] == REEL_IPC_MESSAGE_EOS);
    CHECK(reel_ipc_decoder_schema(decoder) != NULL &&
          reel_arrow_field_type_equal(reel_ipc_decoder_schema(decoder), &schema, true));
    reel_ipc_decoder_destroy(decoder);
    reel_blob_release(blob);
    free(shifted);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(zero_copy_decoding)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_unions(&schema, &batch);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(encode(&bytes, &schema, &batch, 1, 64));
    reel_blob *blob = tu_blob(&bytes);
    for (int trust = 0; trust < 2; trust++) {
        reel_ipc_decoder_options options = {.trust_input = trust == 1};
        reel_arrow_field got;
        reel_vec batches = {0};
        if (CHECK_OK(reel_ipc_read_stream(blob, &options, &got, &batches, NULL)) &&
            CHECK_EQ_INT(batches.len, 1)) {
            CHECK(buffers_inside(batches.data, blob));
            const reel_arrow_array *dense = &REEL_VEC_AT(&batches, reel_arrow_array, 0).children[0];
            CHECK(dense->buffers[1].owner == blob);
            CHECK((uintptr_t)(dense->buffers[1].data - reel_blob_data(blob)) % 64 == 0);
        }
        reel_arrow_field_reset(&got);
        tu_free_batches(&batches);
    }
    reel_blob_release(blob);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- hostile input */

/* Reads `len` bytes as a stream; if that works, touches every value. Returns the status. */
static reel_status read_and_walk(const uint8_t *data, size_t len, reel_error *err)
{
    reel_blob *blob = reel_blob_copy(NULL, data, len);
    reel_arrow_field schema;
    reel_vec batches = {0};
    reel_status status = reel_ipc_read_stream(blob, NULL, &schema, &batches, err);
    if (status == REEL_OK) {
        for (size_t i = 0; i < batches.len; i++)
            if (!tu_walk_json(&schema, &REEL_VEC_AT(&batches, reel_arrow_array, i)))
                status = REEL_INTERNAL;
    }
    reel_arrow_field_reset(&schema);
    tu_free_batches(&batches);
    reel_blob_release(blob);
    return status;
}

static void make_mixed_stream(reel_buf *bytes)
{
    reel_arrow_field schemas[2];
    reel_arrow_array batches[2];
    make_nested(&schemas[0], &batches[0], 0);
    make_unions(&schemas[1], &batches[1]);
    /* One schema holding both batches' columns. */
    reel_arrow_field *extra = &schemas[1].children[0];
    for (int i = 0; i < 2; i++) {
        reel_arrow_field *added = NULL;
        reel_arrow_field_add_child(&schemas[0], extra[i].name, REEL_ARROW_NULL_TYPE, true, &added);
        reel_arrow_field_reset(added);
        reel_arrow_field_copy(added, &extra[i], NULL);
    }
    reel_arrow_array all[5];
    for (int i = 0; i < 3; i++)
        reel_arrow_array_share(&all[i], &batches[0].children[i]);
    reel_arrow_array_slice(&all[3], &schemas[1].children[0], &batches[1].children[0], 0, 6, NULL);
    reel_arrow_array_slice(&all[4], &schemas[1].children[1], &batches[1].children[1], 2, 6, NULL);
    reel_arrow_array batch;
    tu_batch(&batch, 6, all, 5);
    reel_arrow_metadata_set(&schemas[0].metadata, NULL, "k", "v");
    if (encode(bytes, &schemas[0], &batch, 1, 8) != REEL_OK)
        abort();
    reel_arrow_array_reset(&batch);
    for (int i = 0; i < 2; i++) {
        reel_arrow_array_reset(&batches[i]);
        reel_arrow_field_reset(&schemas[i]);
    }
}

TEST(every_truncation_is_clean)
{
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    make_mixed_stream(&bytes);
    CHECK_OK(read_and_walk(bytes.data, bytes.len, NULL));
    /* Message boundaries: cutting there leaves a valid (shorter) stream. */
    size_t boundaries[8], n_boundaries = 0, pos = 0;
    while (pos < bytes.len && n_boundaries < 8) {
        uint64_t size, needed;
        CHECK_OK(reel_ipc_message_size(bytes.data + pos, bytes.len - pos, 0, &size, &needed, NULL));
        pos += (size_t)size;
        boundaries[n_boundaries++] = pos;
    }
    for (size_t cut = 0; cut < bytes.len; cut++) {
        reel_error err = {0};
        reel_status status = read_and_walk(bytes.data, cut, &err);
        bool at_boundary = false;
        for (size_t b = 0; b < n_boundaries; b++)
            at_boundary |= boundaries[b] == cut;
        if (at_boundary) {
            CHECK_OK(status);
        } else if (CHECK_EQ_INT(status, REEL_TRUNCATED)) {
            CHECK(strstr(err.message, "byte offset") != NULL);
            CHECK(strstr(err.message, "missing") != NULL ||
                  strstr(err.message, "before its Schema") != NULL);
        }
    }
    /* One message as the decoder sees it: too few bytes given. */
    reel_error err = {0};
    reel_blob *blob = tu_blob(&bytes);
    reel_ipc_decoder *decoder;
    reel_ipc_message message;
    CHECK_OK(reel_ipc_decoder_create(NULL, &decoder, NULL));
    CHECK_EQ_INT(reel_ipc_decoder_decode(decoder, blob, 0, boundaries[0] - 3, &message, &err),
                 REEL_TRUNCATED);
    CHECK(strstr(err.message, "IPC message 0 at byte offset 0: truncated") == err.message);
    CHECK(strstr(err.message, "(3 missing)") != NULL);
    reel_ipc_decoder_destroy(decoder);
    reel_blob_release(blob);
    reel_buf_free(&bytes);
}

TEST(bit_flips_never_crash)
{
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    make_mixed_stream(&bytes);
    uint8_t *copy = malloc(bytes.len);
    int ok = 0, failed = 0;
    for (size_t i = 0; i < bytes.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, bytes.data, bytes.len);
            copy[i] ^= (uint8_t)(1u << bit);
            reel_error err = {0};
            reel_status status = read_and_walk(copy, bytes.len, &err);
            CHECK(status != REEL_INTERNAL);
            if (status == REEL_OK)
                ok++;
            else
                failed++;
            CHECK(status == REEL_OK || err.message[0] != 0);
        }
    }
    /* Most flips land in data bytes or padding and decode fine; many do not. */
    CHECK(ok > 0 && failed > 0);
    free(copy);
    reel_buf_free(&bytes);
}

/* ---------------------------------------------------------------- hand-made messages */

/* Appends one message whose flatbuffer the caller built, with a body of `body_len` zeros. */
static void append_crafted(reel_buf *out, reel__fb_builder *fb, reel__fb_ref header,
                           uint8_t header_type, int16_t version, int64_t body_len)
{
    reel__fb_table_begin(fb);
    reel__fb_add_i16(fb, 0, version);
    reel__fb_add_u8(fb, 1, header_type);
    reel__fb_add_ref(fb, 2, header);
    reel__fb_add_i64(fb, 3, body_len);
    reel__fb_ref message = reel__fb_table_end(fb);
    reel_span bytes;
    if (reel__fb_finish(fb, message, &bytes) != REEL_OK)
        abort();
    size_t padded = reel_align_up(bytes.len, 8);
    reel_buf_append_u32le(out, 0xffffffffu);
    reel_buf_append_u32le(out, (uint32_t)padded);
    reel_buf_append(out, bytes.data, bytes.len);
    reel_buf_append_zeros(out, padded - bytes.len + (size_t)body_len);
    reel__fb_builder_clear(fb);
}

/* A Field table: name, type_type + type table, children, dictionary (if `dictionary`). */
static reel__fb_ref crafted_field(reel__fb_builder *fb, const char *name, uint8_t type_type,
                                  reel__fb_ref type, const reel__fb_ref *children, size_t n,
                                  bool dictionary)
{
    reel__fb_ref name_ref = reel__fb_create_string(fb, name, strlen(name));
    reel__fb_ref children_ref = reel__fb_create_ref_vector(fb, children, n);
    reel__fb_ref dict = 0;
    if (dictionary) {
        reel__fb_table_begin(fb);
        reel__fb_add_i64(fb, 0, 7);
        dict = reel__fb_table_end(fb);
    }
    reel__fb_table_begin(fb);
    reel__fb_add_ref(fb, 0, name_ref);
    reel__fb_add_bool(fb, 1, true);
    reel__fb_add_u8(fb, 2, type_type);
    reel__fb_add_ref(fb, 3, type);
    reel__fb_add_ref(fb, 4, dict);
    reel__fb_add_ref(fb, 5, children_ref);
    return reel__fb_table_end(fb);
}

static reel__fb_ref empty_table(reel__fb_builder *fb)
{
    reel__fb_table_begin(fb);
    return reel__fb_table_end(fb);
}

static reel__fb_ref crafted_schema(reel__fb_builder *fb, const reel__fb_ref *fields, size_t n,
                                   int16_t endianness)
{
    reel__fb_ref vec = reel__fb_create_ref_vector(fb, fields, n);
    reel__fb_table_begin(fb);
    reel__fb_add_i16(fb, 0, endianness);
    reel__fb_add_ref(fb, 1, vec);
    return reel__fb_table_end(fb);
}

/* A stream of one schema message with a single field of the given type. */
static reel_status read_one_field_schema(uint8_t type_type, bool dictionary, int16_t endianness,
                                         reel_error *err)
{
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    reel__fb_ref type = empty_table(&fb);
    reel__fb_ref field = crafted_field(&fb, "col", type_type, type, NULL, 0, dictionary);
    reel__fb_ref schema = crafted_schema(&fb, &field, 1, endianness);
    reel_buf out;
    reel_buf_init(&out, NULL);
    append_crafted(&out, &fb, schema, 1, 4, 0);
    reel_ipc_write_eos(&out);
    reel_status status = read_and_walk(out.data, out.len, err);
    reel_buf_free(&out);
    reel__fb_builder_free(&fb);
    return status;
}

TEST(unsupported_features_are_named)
{
    static const struct {
        uint8_t type_type;
        const char *name;
    } types[] = {{11, "Interval"}, {22, "RunEndEncoded"}, {23, "BinaryView"}, {24, "Utf8View"},
                 {25, "ListView"}, {26, "LargeListView"}, {99, "unknown"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        reel_error err = {0};
        CHECK_EQ_INT(read_one_field_schema(types[i].type_type, false, 0, &err), REEL_UNSUPPORTED);
        CHECK(strstr(err.message, types[i].name) != NULL);
        CHECK(strstr(err.message, "'col'") != NULL);
    }
    reel_error err = {0};
    /* Supported types whose (empty) type tables leave them malformed. */
    CHECK_EQ_INT(read_one_field_schema(7, false, 0, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "decimal128 precision must be 1..38, is 0") != NULL);
    CHECK_EQ_INT(read_one_field_schema(17, false, 0, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "map must have 1 child field(s), has 0") != NULL);
    /* A dictionary-encoded string column, and nothing else in the stream. */
    CHECK_OK(read_one_field_schema(5, true, 0, &err));
    CHECK_EQ_INT(read_one_field_schema(5, false, 1, &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "big-endian") != NULL);
    CHECK_EQ_INT(read_one_field_schema(0, false, 0, &err), REEL_CORRUPT);
    CHECK_OK(read_one_field_schema(5, false, 0, &err));

    /* A DictionaryBatch message, a compressed RecordBatch, an old metadata version. */
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    reel_buf out;
    reel_buf_init(&out, NULL);
    reel__fb_ref type = empty_table(&fb);
    reel__fb_ref field = crafted_field(&fb, "n", 1 /* Null */, type, NULL, 0, false);
    reel__fb_ref schema = crafted_schema(&fb, &field, 1, 0);
    append_crafted(&out, &fb, schema, 1, 4, 0);
    size_t schema_len = out.len;
    append_crafted(&out, &fb, empty_table(&fb), 2, 4, 0);
    CHECK_EQ_INT(read_and_walk(out.data, out.len, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "IPC message 1 at byte offset") != NULL);
    CHECK(strstr(err.message, "DictionaryBatch for id 0, which no field of the schema uses") !=
          NULL);

    out.len = schema_len;
    reel__fb_ref compression = empty_table(&fb);
    uint8_t *nodes = reel__fb_vector_begin(&fb, 1, 16, 8);
    reel_store_u64le(nodes, 1);
    reel_store_u64le(nodes + 8, 1);
    reel__fb_ref node_vec = reel__fb_vector_end(&fb, 1);
    reel__fb_table_begin(&fb);
    reel__fb_add_i64(&fb, 0, 1);
    reel__fb_add_ref(&fb, 1, node_vec);
    reel__fb_add_ref(&fb, 3, compression);
    append_crafted(&out, &fb, reel__fb_table_end(&fb), 3, 4, 0);
    CHECK_EQ_INT(read_and_walk(out.data, out.len, &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "compression") != NULL);

    out.len = 0;
    type = empty_table(&fb);
    field = crafted_field(&fb, "n", 1, type, NULL, 0, false);
    schema = crafted_schema(&fb, &field, 1, 0);
    append_crafted(&out, &fb, schema, 1, 2 /* V3 */, 0);
    CHECK_EQ_INT(read_and_walk(out.data, out.len, &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "version V3") != NULL);
    reel_buf_free(&out);
    reel__fb_builder_free(&fb);
}

TEST(corrupt_batches_say_where)
{
    /* The golden stream with buffer 1's length raised past the body. */
    uint8_t bad[sizeof golden_stream];
    memcpy(bad, golden_stream, sizeof bad);
    bad[152 + 128] = 0x20; /* Buffer 1 length: 3 -> 32, the body has 8 */
    reel_error err = {0};
    CHECK_EQ_INT(read_and_walk(bad, sizeof bad, &err), REEL_CORRUPT);
    CHECK_EQ_STR(err.message, "IPC message 1 at byte offset 144: RecordBatch buffer 1 (offset 0, "
                              "length 32) extends past the body (length 8)");
    /* A node count that does not match the schema. */
    memcpy(bad, golden_stream, sizeof bad);
    bad[152 + 76] = 2;
    CHECK_EQ_INT(read_and_walk(bad, sizeof bad, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "field nodes") != NULL);
    /* A null_count larger than the length, then nulls without a validity buffer. */
    memcpy(bad, golden_stream, sizeof bad);
    bad[152 + 88] = 4;
    CHECK_EQ_INT(read_and_walk(bad, sizeof bad, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "null_count 4") != NULL);
    bad[152 + 88] = 1;
    CHECK_EQ_INT(read_and_walk(bad, sizeof bad, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "validity") != NULL);
    /* A batch length that disagrees with the column. */
    memcpy(bad, golden_stream, sizeof bad);
    bad[152 + 64] = 2;
    CHECK_EQ_INT(read_and_walk(bad, sizeof bad, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "has 3 rows, the batch 2") != NULL);
    /* A second schema; a batch before any schema. */
    uint8_t twice[144 * 2];
    memcpy(twice, golden_stream, 144);
    memcpy(twice + 144, golden_stream, 144);
    CHECK_EQ_INT(read_and_walk(twice, sizeof twice, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "second Schema") != NULL);
    CHECK_EQ_INT(read_and_walk(golden_stream + 144, 160, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "before the Schema") != NULL);
    /* EOS first; nothing at all. */
    CHECK_EQ_INT(read_and_walk(golden_stream + 296, 8, &err), REEL_CORRUPT);
    CHECK_EQ_INT(read_and_walk(golden_stream, 0, &err), REEL_TRUNCATED);
    /* Without the EOS the stream still reads; bytes after the EOS are not looked at. */
    CHECK_OK(read_and_walk(golden_stream, 296, NULL));
    uint8_t trailing[sizeof golden_stream + 3];
    memcpy(trailing, golden_stream, sizeof golden_stream);
    memset(trailing + sizeof golden_stream, 0xab, 3);
    CHECK_OK(read_and_walk(trailing, sizeof trailing, NULL));
}

TEST(limits_on_hostile_schemas)
{
    /* Fan-out: 64 columns all pointing to one struct whose 64 children all point to one
     * leaf. Tiny in bytes, thousands of fields when expanded: the work budget stops it. */
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    reel__fb_ref null_type = empty_table(&fb);
    reel__fb_ref leaf = crafted_field(&fb, "x", 1, null_type, NULL, 0, false);
    reel__fb_ref refs[64];
    for (int i = 0; i < 64; i++)
        refs[i] = leaf;
    reel__fb_ref struct_type = empty_table(&fb);
    reel__fb_ref mid = crafted_field(&fb, "s", 13, struct_type, refs, 64, false);
    for (int i = 0; i < 64; i++)
        refs[i] = mid;
    reel__fb_ref schema = crafted_schema(&fb, refs, 64, 0);
    reel_buf out;
    reel_buf_init(&out, NULL);
    append_crafted(&out, &fb, schema, 1, 4, 0);
    reel_error err = {0};
    CHECK_EQ_INT(read_and_walk(out.data, out.len, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "too many objects") != NULL);

    /* Depth: 70 nested lists. */
    out.len = 0;
    reel__fb_ref list_type = empty_table(&fb);
    reel__fb_ref child =
        crafted_field(&fb, "leaf", 1, null_type = empty_table(&fb), NULL, 0, false);
    for (int depth = 0; depth < 70; depth++)
        child = crafted_field(&fb, "item", 12, list_type, &child, 1, false);
    schema = crafted_schema(&fb, &child, 1, 0);
    append_crafted(&out, &fb, schema, 1, 4, 0);
    CHECK_EQ_INT(read_and_walk(out.data, out.len, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "deeper") != NULL);
    reel_buf_free(&out);
    reel__fb_builder_free(&fb);
}

TEST(writer_rejects_bad_arguments)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_golden(&schema, &batch);
    reel_buf out;
    reel_buf_init(&out, NULL);
    reel_error err = {0};
    reel_ipc_write_options odd = {.alignment = 16};
    CHECK_EQ_INT(reel_ipc_write_schema(&out, &schema, &odd, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_ipc_write_batch(&out, &schema.children[0], &batch, NULL, &err),
                 REEL_INVALID_ARGUMENT);
    /* A column shorter than its buffers say: the values buffer is too small. */
    batch.children[0].buffers[1].size = 2;
    CHECK_EQ_INT(reel_ipc_write_stream(&out, &schema, &batch, 1, NULL, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "column 'n'") != NULL);
    CHECK_EQ_INT(out.len, 0); /* nothing half-written */
    batch.children[0].buffers[1].size = 3;
    batch.length = 4; /* more rows than the column has */
    CHECK_EQ_INT(reel_ipc_write_batch(&out, &schema, &batch, NULL, &err), REEL_INVALID_ARGUMENT);
    batch.length = 3;
    batch.children[0].null_count = 1; /* nulls but no bitmap */
    CHECK_EQ_INT(reel_ipc_write_batch(&out, &schema, &batch, NULL, &err), REEL_INVALID_ARGUMENT);
    batch.children[0].null_count = 0;
    CHECK_OK(reel_ipc_write_batch(&out, &schema, &batch, NULL, &err));
    reel_buf_free(&out);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- the corpus */

/* Every stream in fuzz/corpus/ipc: files named pa_ok_* (written by pyarrow) and reel_*
 * (ours) must decode, re-encode and decode to equal batches; pa_unsupported_* must be
 * REEL_UNSUPPORTED. Other files (mutations kept by the fuzzer) only must not crash. */
TEST(corpus_streams)
{
    const char *dir_path = REEL_SOURCE_DIR "/fuzz/corpus/ipc";
    DIR *dir = opendir(dir_path);
    if (!CHECK(dir != NULL))
        return;
    int seen_ok = 0, seen_unsupported = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        bool want_ok = strncmp(name, "pa_ok_", 6) == 0 || strncmp(name, "reel_", 5) == 0;
        bool want_unsupported = strncmp(name, "pa_unsupported_", 15) == 0;
        if (name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir_path, name);
        FILE *file = fopen(path, "rb");
        if (!CHECK(file != NULL))
            continue;
        reel_buf bytes;
        reel_buf_init(&bytes, NULL);
        uint8_t chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, file)) > 0)
            reel_buf_append(&bytes, chunk, n);
        fclose(file);
        reel_blob *blob = tu_blob(&bytes);
        reel_arrow_field schema;
        reel_vec batches = {0};
        reel_error err = {0};
        reel_status status = reel_ipc_read_stream(blob, NULL, &schema, &batches, &err);
        if (want_ok) {
            seen_ok++;
            if (!CHECK_OK(status))
                fprintf(stderr, "    %s: %s\n", name, err.message);
            else
                check_roundtrip(&schema, batches.data, (int64_t)batches.len, false);
        } else if (want_unsupported) {
            seen_unsupported++;
            if (!CHECK_EQ_INT(status, REEL_UNSUPPORTED))
                fprintf(stderr, "    %s: %s\n", name, err.message);
        }
        reel_arrow_field_reset(&schema);
        tu_free_batches(&batches);
        reel_blob_release(blob);
        reel_buf_free(&bytes);
    }
    closedir(dir);
    CHECK(seen_ok >= 10);
    CHECK(seen_unsupported >= 2);
}

/* ---------------------------------------------------------------- corpus writer */

static int write_file(const char *dir, const char *name, const reel_buf *bytes)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "wb");
    if (file == NULL || fwrite(bytes->data, 1, bytes->len, file) != bytes->len) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    fclose(file);
    return 0;
}

/* Streams from our encoder for the fuzz corpus (fuzz/make_ipc_corpus.py runs this). */
static int write_corpus(const char *dir)
{
    typedef void (*maker)(reel_arrow_field *, reel_arrow_array *);
    static const struct {
        const char *name;
        maker make;
        int32_t alignment;
        int64_t slice_offset, slice_length; /* slice_length < 0: whole batch */
    } streams[] = {
        {"reel_golden.arrows", make_golden, 8, 0, -1},
        {"reel_unions.arrows", make_unions, 8, 0, -1},
        {"reel_unions_sliced_a64.arrows", make_unions, 64, 3, 5},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
        reel_arrow_field schema;
        reel_arrow_array batch, slice;
        streams[i].make(&schema, &batch);
        if (streams[i].slice_length >= 0) {
            reel_arrow_array_slice(&slice, &schema, &batch, streams[i].slice_offset,
                                   streams[i].slice_length, NULL);
            reel_arrow_array_reset(&batch);
            batch = slice;
        }
        reel_buf bytes;
        reel_buf_init(&bytes, NULL);
        if (encode(&bytes, &schema, &batch, 1, streams[i].alignment) != REEL_OK)
            failures++;
        else
            failures += write_file(dir, streams[i].name, &bytes);
        reel_buf_free(&bytes);
        reel_arrow_array_reset(&batch);
        reel_arrow_field_reset(&schema);
    }
    /* Nested (with rebased offsets) and the mixed stream, whole and sliced. */
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_nested(&schema, &batch, 3);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    failures += encode(&bytes, &schema, &batch, 1, 8) != REEL_OK;
    failures += write_file(dir, "reel_nested.arrows", &bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    reel_buf_clear(&bytes);
    make_mixed_stream(&bytes);
    failures += write_file(dir, "reel_mixed.arrows", &bytes);
    /* User data types: maps, decimals and dictionaries (nested ones too), two batches. */
    schema = make_field(
        "struct<m: map<string, list<item: int64>>, d: decimal128(10, 2), w: decimal256(40, -5), "
        "s: dictionary<values=string, indices=int8, ordered=0>, l: list<item: "
        "dictionary<values=string, indices=int32, ordered=1>>, n: dictionary<values=struct<k: "
        "dictionary<values=large_string, indices=uint8, ordered=0>, v: decimal32(5, 1)>, "
        "indices=int16, ordered=0>>");
    schema.nullable = false;
    reel_arrow_array user_batches[2];
    failures += gen_array(&schema, 12, 5, &user_batches[0]) != REEL_OK;
    failures += gen_array(&schema, 5, 6, &user_batches[1]) != REEL_OK;
    reel_buf_clear(&bytes);
    failures += encode(&bytes, &schema, user_batches, 2, 8) != REEL_OK;
    failures += write_file(dir, "reel_user_types.arrows", &bytes);
    reel_arrow_array_reset(&user_batches[0]);
    reel_arrow_array_reset(&user_batches[1]);
    reel_arrow_field_reset(&schema);
    reel_buf_free(&bytes);
    return failures != 0;
}

/* Reads the stream in file IN and writes it back with our encoder to OUT (for the corpus
 * script's interop check against pyarrow). */
static int reencode(const char *in_path, const char *out_path, int32_t alignment)
{
    FILE *in = fopen(in_path, "rb");
    if (in == NULL)
        return 1;
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        reel_buf_append(&bytes, chunk, n);
    fclose(in);
    reel_blob *blob = tu_blob(&bytes);
    reel_arrow_field schema;
    reel_vec batches = {0};
    reel_error err = {0};
    int result = 1;
    if (reel_ipc_read_stream(blob, NULL, &schema, &batches, &err) != REEL_OK) {
        fprintf(stderr, "%s: %s\n", in_path, err.message);
    } else {
        reel_buf_clear(&bytes);
        if (encode(&bytes, &schema, batches.data, (int64_t)batches.len, alignment) == REEL_OK) {
            FILE *out = fopen(out_path, "wb");
            if (out != NULL && fwrite(bytes.data, 1, bytes.len, out) == bytes.len)
                result = 0;
            if (out != NULL)
                fclose(out);
        }
    }
    reel_arrow_field_reset(&schema);
    tu_free_batches(&batches);
    reel_blob_release(blob);
    reel_buf_free(&bytes);
    return result;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
        return write_corpus(argv[2]);
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "--reencode") == 0)
        return reencode(argv[2], argv[3], argc == 5 ? atoi(argv[4]) : 8);
    RUN(roundtrip_primitives);
    RUN(roundtrip_temporal);
    RUN(roundtrip_strings_and_binary);
    RUN(roundtrip_nested);
    RUN(roundtrip_unions);
    RUN(roundtrip_empty_and_zero_rows);
    RUN(roundtrip_slices);
    RUN(slices_are_written_compactly);
    RUN(roundtrip_metadata);
    RUN(several_batches_share_one_schema);
    RUN(golden_bytes);
    RUN(message_size_fed_byte_by_byte);
    RUN(legacy_framing_and_misaligned_buffers);
    RUN(zero_copy_decoding);
    RUN(every_truncation_is_clean);
    RUN(bit_flips_never_crash);
    RUN(unsupported_features_are_named);
    RUN(corrupt_batches_say_where);
    RUN(limits_on_hostile_schemas);
    RUN(writer_rejects_bad_arguments);
    RUN(corpus_streams);
    TEST_MAIN_END();
}
