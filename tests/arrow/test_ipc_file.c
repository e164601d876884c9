/* Tests of the Arrow IPC file format (src/arrow/ipc_file.c): round trips of every type the
 * stream tests use (nested lists, structs, unions, maps, dictionaries), sliced, over zero,
 * one and many batches; the file's layout against File.fbs; dictionaries written once and
 * refused when they change; the incremental writer against the one-shot one; and hostile
 * files: bad magic, footer lengths and blocks outside the file, overlapping or mislabelled
 * blocks, replaced dictionaries, truncation at every byte and byte flips, which must give
 * errors naming a byte offset, never a crash. The files in fuzz/corpus/ipc_file (pyarrow's
 * and ours) must read too. */
#include <dirent.h>
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

/* ---------------------------------------------------------------- helpers */

static void free_exact(void *ctx, void *data, size_t len)
{
    (void)ctx;
    (void)len;
    free(data);
}

/* A blob holding exactly `len` bytes in their own allocation, so that AddressSanitizer sees
 * any read past the end. */
static reel_blob *exact_blob(const uint8_t *data, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (copy == NULL)
        abort();
    if (len != 0)
        memcpy(copy, data, len);
    reel_blob *blob = reel_blob_wrap(copy, len, free_exact, NULL);
    if (blob == NULL)
        abort();
    return blob;
}

static reel_status read_bytes(const uint8_t *data, size_t len, reel_arrow_field *schema,
                              reel_vec *batches, reel_error *err)
{
    reel_blob *blob = exact_blob(data, len);
    reel_status status = reel_ipc_read_file(blob, NULL, schema, batches, err);
    reel_blob_release(blob);
    return status;
}

static reel_status write_file(reel_buf *out, const reel_arrow_field *schema,
                              const reel_arrow_array *batches, int64_t count, int32_t alignment)
{
    reel_ipc_write_options options = {.alignment = alignment};
    reel_error err = {0};
    reel_status status = reel_ipc_write_file(out, schema, batches, count, &options, &err);
    if (status != REEL_OK)
        fprintf(stderr, "    write: %s\n", err.message);
    return status;
}

/* Every buffer of a decoded array points into `blob` (or is absent, or the static offsets
 * of an empty array): zero-copy. */
static bool buffers_inside(const reel_arrow_array *array, const reel_blob *blob)
{
    const uint8_t *start = reel_blob_data(blob), *end = start + reel_blob_len(blob);
    for (int i = 0; i < 3; i++) {
        const reel_arrow_buffer *b = &array->buffers[i];
        if (b->size == 0 || (b->owner == NULL && b->size <= 8))
            continue;
        if (b->owner != blob || b->data < start || b->data + b->size > end)
            return false;
    }
    for (int32_t i = 0; i < array->n_children; i++)
        if (!buffers_inside(&array->children[i], blob))
            return false;
    return array->dictionary == NULL || buffers_inside(array->dictionary, blob);
}

/* Writes the batches as a file (8- and 64-byte alignment), reads it back and checks the
 * schema (metadata included), every value, zero-copy buffers, and that writing what was
 * read gives the same bytes again. */
static void check_roundtrip(const char *label, const reel_arrow_field *schema,
                            const reel_arrow_array *batches, int64_t count)
{
    for (int32_t alignment = 8; alignment <= 64; alignment *= 8) {
        reel_buf bytes, again;
        reel_buf_init(&bytes, NULL);
        reel_buf_init(&again, NULL);
        if (!CHECK_OK(write_file(&bytes, schema, batches, count, alignment))) {
            fprintf(stderr, "    %s\n", label);
            reel_buf_free(&bytes);
            continue;
        }
        reel_blob *blob = tu_blob(&bytes);
        reel_arrow_field got_schema;
        reel_vec got = {0};
        reel_error err = {0};
        if (!CHECK_OK(reel_ipc_read_file(blob, NULL, &got_schema, &got, &err))) {
            fprintf(stderr, "    %s (alignment %d): %s\n", label, (int)alignment, err.message);
        } else {
            if (!CHECK(reel_arrow_field_type_equal(schema, &got_schema, true)))
                fprintf(stderr, "    %s: the schema changed\n", label);
            if (CHECK_EQ_INT(got.len, count)) {
                for (int64_t i = 0; i < count; i++) {
                    const reel_arrow_array *b = &REEL_VEC_AT(&got, reel_arrow_array, i);
                    if (!CHECK(reel_arrow_array_equal(schema, &batches[i], b)))
                        fprintf(stderr, "    %s: batch %lld differs\n", label, (long long)i);
                    CHECK(tu_walk_json(&got_schema, b));
                    if (alignment == 64 && !CHECK(buffers_inside(b, blob)))
                        fprintf(stderr, "    %s: batch %lld was copied\n", label, (long long)i);
                }
                if (CHECK_OK(
                        write_file(&again, &got_schema, got.data, (int64_t)got.len, alignment)) &&
                    !CHECK(again.len == bytes.len &&
                           memcmp(again.data, bytes.data, bytes.len) == 0))
                    fprintf(stderr, "    %s: writing what was read changed the bytes\n", label);
            }
            reel_arrow_field_reset(&got_schema);
            tu_free_batches(&got);
        }
        reel_blob_release(blob);
        reel_buf_free(&bytes);
        reel_buf_free(&again);
    }
}

/* A schema of an int64 column "n" and a column "x" of type `type` (with metadata on both
 * levels), and a random batch of it. */
static void make_batch(const char *type, int64_t rows, uint64_t seed, reel_arrow_field *schema,
                       reel_arrow_array *batch)
{
    reel_arrow_field x = make_field(type);
    if ((x.type == REEL_ARROW_SPARSE_UNION || x.type == REEL_ARROW_DENSE_UNION) &&
        x.n_children == 0)
        rows = 0; /* a union without children holds no values */
    reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_metadata_set(&schema->metadata, NULL, "origin", "test_ipc_file");
    tu_add(schema, "n", REEL_ARROW_INT64, true);
    reel_arrow_field *column = tu_add(schema, "x", REEL_ARROW_NULL_TYPE, true);
    reel_arrow_field_reset(column);
    reel_arrow_field_copy(column, &x, NULL);
    reel_arrow_field_set_name(column, "x");
    column->nullable = true;
    reel_arrow_metadata_set(&column->metadata, NULL, "unit", "\xc2\xb5m");
    reel_arrow_field_reset(&x);
    reel_arrow_array columns[2];
    CHECK_OK(gen_array(&schema->children[0], rows, seed, &columns[0]));
    CHECK_OK(gen_array(&schema->children[1], rows, seed + 1, &columns[1]));
    tu_batch(batch, rows, columns, 2);
}

/* A message of a stream: where it starts and how long its parts are. */
typedef struct message_span {
    size_t start, metadata_len, size;
} message_span;

/* The messages of a stream (EOS included), up to `max`. */
static size_t split_stream(const uint8_t *data, size_t len, message_span *out, size_t max)
{
    size_t n = 0;
    for (size_t pos = 0; pos < len && n < max;) {
        uint64_t size = 0, needed = 0;
        if (!CHECK_OK(reel_ipc_message_size(data + pos, len - pos, 0, &size, &needed, NULL)))
            break;
        out[n].start = pos;
        out[n].metadata_len = 8 + reel_load_u32le(data + pos + 4);
        out[n].size = (size_t)size;
        n++;
        pos += (size_t)size;
    }
    return n;
}

typedef struct block_spec {
    int64_t offset;
    int32_t metadata_len;
    int64_t body_len;
} block_spec;

/* The block of message `i` of a stream placed after the 8-byte magic and padding. */
static block_spec block_of(const message_span *messages, size_t i)
{
    block_spec block = {(int64_t)(8 + messages[i].start), (int32_t)messages[i].metadata_len,
                        (int64_t)(messages[i].size - messages[i].metadata_len)};
    return block;
}

static reel__fb_ref block_vector(reel__fb_builder *fb, const block_spec *blocks, size_t n)
{
    uint8_t *p = reel__fb_vector_begin(fb, n, 24, 8);
    for (size_t i = 0; p != NULL && i < n; i++) {
        reel_store_u64le(p + 24 * i, (uint64_t)blocks[i].offset);
        reel_store_u32le(p + 24 * i + 8, (uint32_t)blocks[i].metadata_len);
        reel_store_u64le(p + 24 * i + 16, (uint64_t)blocks[i].body_len);
    }
    return reel__fb_vector_end(fb, n);
}

/* A file made by hand around a stream (which must start with its Schema message): the
 * magic, the stream's bytes as they are, and a Footer of `version` with the given blocks
 * and, when `with_schema`, the Schema message's table. Lets tests make files Reel's writer
 * never would. */
static void make_file(reel_buf *file, const reel_buf *stream, const block_spec *dictionaries,
                      size_t n_dictionaries, const block_spec *batches, size_t n_batches,
                      int16_t version, bool with_schema)
{
    reel_buf_clear(file);
    reel_buf_append(file, "ARROW1\0\0", 8);
    reel_buf_append(file, stream->data, stream->len);
    size_t metadata_len = reel_load_u32le(stream->data + 4);
    const uint8_t *schema_fb = stream->data + 8;
    reel__fb_reader reader;
    reel__fb_table message, header;
    uint8_t header_type;
    bool present;
    CHECK_OK(reel__fb_reader_init(&reader, schema_fb, metadata_len, NULL));
    CHECK_OK(reel__fb_root(&reader, &message));
    CHECK_OK(reel__fb_get_union(&message, 1, &header_type, &header, &present));
    CHECK(present && header_type == 1);
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    reel__fb_ref embedded = reel__fb_create_bytes(&fb, schema_fb, metadata_len, 8);
    reel__fb_ref dictionary_vec = block_vector(&fb, dictionaries, n_dictionaries);
    reel__fb_ref batch_vec = block_vector(&fb, batches, n_batches);
    reel__fb_table_begin(&fb);
    reel__fb_add_i16(&fb, 0, version);
    if (with_schema)
        reel__fb_add_ref(&fb, 1, embedded - header.pos);
    reel__fb_add_ref(&fb, 2, dictionary_vec);
    reel__fb_add_ref(&fb, 3, batch_vec);
    reel__fb_ref footer = reel__fb_table_end(&fb);
    reel_span bytes;
    CHECK_OK(reel__fb_finish(&fb, footer, &bytes));
    reel_buf_append(file, bytes.data, bytes.len);
    reel_buf_append_u32le(file, (uint32_t)bytes.len);
    reel_buf_append(file, "ARROW1", 6);
    reel__fb_builder_free(&fb);
}

/* The footer of a file: where its flatbuffer starts, and the file offsets of its two block
 * vectors' first elements and their counts. */
typedef struct footer_view {
    size_t start, len;
    int16_t version;
    size_t dictionaries_at, batches_at;
    uint32_t n_dictionaries, n_batches;
    bool has_schema;
} footer_view;

static bool view_footer(const reel_buf *file, footer_view *out)
{
    memset(out, 0, sizeof *out);
    if (!CHECK(file->len >= 18))
        return false;
    out->len = reel_load_u32le(file->data + file->len - 10);
    out->start = file->len - 10 - out->len;
    reel__fb_reader reader;
    reel__fb_table footer, schema;
    reel__fb_vector dictionaries, batches;
    bool present;
    bool ok = CHECK_OK(reel__fb_reader_init(&reader, file->data + out->start, out->len, NULL)) &&
              CHECK_OK(reel__fb_root(&reader, &footer)) &&
              CHECK_OK(reel__fb_get_i16(&footer, 0, 0, &out->version)) &&
              CHECK_OK(reel__fb_get_table(&footer, 1, &schema, &out->has_schema)) &&
              CHECK_OK(reel__fb_get_vector(&footer, 2, 24, &dictionaries, &present)) &&
              CHECK(present) && CHECK_OK(reel__fb_get_vector(&footer, 3, 24, &batches, &present)) &&
              CHECK(present);
    if (ok) {
        out->dictionaries_at = out->start + dictionaries.pos;
        out->batches_at = out->start + batches.pos;
        out->n_dictionaries = dictionaries.count;
        out->n_batches = batches.count;
    }
    return ok;
}

static block_spec load_block(const reel_buf *file, size_t at)
{
    block_spec block = {(int64_t)reel_load_u64le(file->data + at),
                        (int32_t)reel_load_u32le(file->data + at + 8),
                        (int64_t)reel_load_u64le(file->data + at + 16)};
    return block;
}

/* Reading `file` fails with `status` and a message holding `what` and "byte offset". */
static void expect_error(const reel_buf *file, reel_status status, const char *what,
                         const char *label)
{
    reel_arrow_field schema;
    reel_vec batches = {0};
    reel_error err = {0};
    reel_status got = read_bytes(file->data, file->len, &schema, &batches, &err);
    if (!CHECK_EQ_INT(got, status))
        fprintf(stderr, "    %s: %s\n", label, err.message);
    if (got != REEL_OK) {
        if (!CHECK(strstr(err.message, what) != NULL) ||
            !CHECK(strstr(err.message, "byte offset") != NULL))
            fprintf(stderr, "    %s: want '%s' and a byte offset in: %s\n", label, what,
                    err.message);
        CHECK(batches.data == NULL && batches.len == 0);
    } else {
        reel_arrow_field_reset(&schema);
        tu_free_batches(&batches);
    }
}

/* ---------------------------------------------------------------- round trips */

TEST(roundtrip_every_type)
{
    for (int t = 0; t < PYARROW_TYPE_COUNT; t++) {
        const char *type = pyarrow_type_strings[t];
        reel_arrow_field schema;
        reel_arrow_array batch, parts[4];
        make_batch(type, 50, (uint64_t)t * 11, &schema, &batch);
        check_roundtrip(type, &schema, &batch, 1);
        /* Slices of one batch, a zero-row one among them: their dictionaries are the same
         * arrays, written once. */
        static const int64_t cuts[5] = {0, 7, 7, 31, 50};
        for (int i = 0; i < 4 && batch.length == 50; i++)
            CHECK_OK(reel_arrow_array_slice(&parts[i], &schema, &batch, cuts[i],
                                            cuts[i + 1] - cuts[i], NULL));
        if (batch.length == 50)
            check_roundtrip(type, &schema, parts, 4);
        for (int i = 0; i < 4 && batch.length == 50; i++)
            reel_arrow_array_reset(&parts[i]);
        reel_arrow_array_reset(&batch);
        reel_arrow_field_reset(&schema);
    }
}

TEST(roundtrip_nested_columns)
{
    reel_arrow_field schema = make_field(
        "struct<l: list<item: struct<a: list<item: fixed_size_list<item: double>[2]>, b: "
        "string>>, s: struct<inner: struct<p: int64, q: bool>, m: map<string, list<item: "
        "int8>>>, d: dictionary<values=string, indices=int16, ordered=0>, ld: "
        "large_list<item: dictionary<values=list<item: string>, indices=int8, ordered=1>>, u: "
        "dense_union<a: int32=0, b: list<item: string>=7>>");
    schema.nullable = false; /* a record batch has no nulls of its own */
    reel_arrow_metadata_set(&schema.metadata, NULL, "rerun:entity_path", "/world/points");
    reel_arrow_array batch;
    CHECK_OK(gen_array(&schema, 40, 5, &batch));
    check_roundtrip("nested", &schema, &batch, 1);
    reel_arrow_array sliced;
    CHECK_OK(reel_arrow_array_slice(&sliced, &schema, &batch, 3, 30, NULL));
    check_roundtrip("nested, sliced", &schema, &sliced, 1);
    reel_arrow_array_reset(&sliced);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(zero_batches)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_batch("dictionary<values=string, indices=int32, ordered=0>", 3, 1, &schema, &batch);
    check_roundtrip("no batches", &schema, NULL, 0);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(write_file(&bytes, &schema, NULL, 0, 8));
    footer_view footer;
    if (view_footer(&bytes, &footer)) {
        CHECK_EQ_INT(footer.n_batches, 0);
        CHECK_EQ_INT(footer.n_dictionaries, 0);
    }
    reel_buf_free(&bytes);

    reel_arrow_field empty;
    reel_arrow_field_init(&empty, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_array rows = {.length = 3, .n_buffers = 1};
    check_roundtrip("no columns", &empty, &rows, 1);
    check_roundtrip("no columns, no batches", &empty, NULL, 0);
    reel_arrow_field_reset(&empty);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(many_batches)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_batch("list<item: struct<a: string, b: dictionary<values=string, indices=int8, "
               "ordered=0>>>",
               1500, 9, &schema, &batch);
    enum { N = 1000 };
    reel_arrow_array *parts = calloc(N, sizeof *parts);
    int64_t at = 0;
    for (int i = 0; i < N; i++) {
        int64_t rows = i % 3; /* 0, 1 or 2 rows */
        CHECK_OK(reel_arrow_array_slice(&parts[i], &schema, &batch, at, rows, NULL));
        at += rows;
    }
    check_roundtrip("1000 batches", &schema, parts, N);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(write_file(&bytes, &schema, parts, N, 8));
    footer_view footer;
    if (view_footer(&bytes, &footer)) {
        CHECK_EQ_INT(footer.n_batches, N);
        CHECK_EQ_INT(footer.n_dictionaries, 1); /* one dictionary, written once */
    }
    reel_buf_free(&bytes);
    for (int i = 0; i < N; i++)
        reel_arrow_array_reset(&parts[i]);
    free(parts);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- layout */

TEST(layout_follows_file_fbs)
{
    /* Two dictionary columns, one with a dictionary in its values: 3 dictionaries. */
    reel_arrow_field schema = make_field(
        "struct<a: dictionary<values=string, indices=int8, ordered=0>, b: "
        "dictionary<values=struct<d: dictionary<values=string, indices=int32, ordered=0>>, "
        "indices=int16, ordered=0>, c: int32>");
    schema.nullable = false;
    reel_arrow_array batch, parts[2];
    CHECK_OK(gen_array(&schema, 12, 3, &batch));
    CHECK_OK(reel_arrow_array_slice(&parts[0], &schema, &batch, 0, 5, NULL));
    CHECK_OK(reel_arrow_array_slice(&parts[1], &schema, &batch, 5, 7, NULL));
    for (int32_t alignment = 8; alignment <= 64; alignment *= 8) {
        reel_buf file, stream;
        reel_buf_init(&file, NULL);
        reel_buf_init(&stream, NULL);
        CHECK_OK(write_file(&file, &schema, parts, 2, alignment));
        reel_ipc_write_options options = {.alignment = alignment};
        CHECK_OK(reel_ipc_write_schema(&stream, &schema, &options, NULL));
        /* Magic, padding to the alignment (2 bytes by default), and the Schema message as a
         * stream has it. */
        size_t head = (size_t)alignment;
        CHECK_EQ_MEM(file.data, "ARROW1\0\0", 8);
        for (size_t i = 6; i < head; i++)
            CHECK_EQ_INT(file.data[i], 0);
        CHECK_EQ_MEM(file.data + head, stream.data, stream.len);
        CHECK_EQ_MEM(file.data + file.len - 6, "ARROW1", 6);
        footer_view footer;
        if (!view_footer(&file, &footer))
            continue;
        CHECK_EQ_INT(footer.version, 4); /* MetadataVersion V5 */
        CHECK(footer.has_schema);
        CHECK_EQ_INT(footer.n_dictionaries, 3);
        CHECK_EQ_INT(footer.n_batches, 2);
        CHECK_EQ_INT(footer.start % 8, 0);
        /* EOS right before the footer. */
        CHECK_EQ_MEM(file.data + footer.start - 8, "\xff\xff\xff\xff\0\0\0\0", 8);
        /* Every block: aligned, its message's prefix, metadata and body lengths as said, in
         * file order, dictionaries before the first batch, nothing between messages. */
        size_t expect_at = head + stream.len;
        for (uint32_t i = 0; i < footer.n_dictionaries + footer.n_batches; i++) {
            bool is_dictionary = i < footer.n_dictionaries;
            block_spec block = load_block(
                &file, is_dictionary ? footer.dictionaries_at + 24 * i
                                     : footer.batches_at + 24 * (i - footer.n_dictionaries));
            CHECK_EQ_INT(block.offset, expect_at);
            CHECK_EQ_INT(block.offset % alignment, 0);
            CHECK_EQ_INT(block.metadata_len % alignment, 0);
            CHECK_EQ_INT(block.body_len % alignment, 0);
            CHECK_EQ_U64(reel_load_u32le(file.data + block.offset), 0xFFFFFFFFu);
            CHECK_EQ_INT(8 + reel_load_u32le(file.data + block.offset + 4), block.metadata_len);
            uint64_t size = 0;
            CHECK_OK(reel_ipc_message_size(file.data + block.offset, file.len - block.offset, 0,
                                           &size, NULL, NULL));
            CHECK_EQ_INT(size, block.metadata_len + block.body_len);
            expect_at = (size_t)(block.offset + block.metadata_len + block.body_len);
        }
        CHECK_EQ_INT(expect_at + 8, footer.start);
        reel_buf_free(&file);
        reel_buf_free(&stream);
    }
    reel_arrow_array_reset(&parts[0]);
    reel_arrow_array_reset(&parts[1]);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- dictionaries */

TEST(dictionaries_are_written_once)
{
    const char *type = "dictionary<values=string, indices=int8, ordered=0>";
    reel_arrow_field schema;
    reel_arrow_array first, other, empty_other, copy, batches[3];
    make_batch(type, 30, 1, &schema, &first);
    reel_arrow_field ignored;
    make_batch(type, 30, 2, &ignored, &other); /* its own dictionary */
    reel_arrow_field_reset(&ignored);
    make_batch(type, 0, 3, &ignored, &empty_other);
    reel_arrow_field_reset(&ignored);
    /* A copy with equal values but its own buffers is fine. */
    CHECK_OK(reel_arrow_concat(&schema, &first, 1, NULL, &copy, NULL));
    batches[0] = first;
    batches[1] = copy;
    check_roundtrip("equal dictionaries", &schema, batches, 2);

    /* A different dictionary: refused, naming the column, and nothing written. */
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    reel_buf_append(&bytes, "prefix", 6);
    batches[1] = other;
    reel_error err = {0};
    CHECK_EQ_INT(reel_ipc_write_file(&bytes, &schema, batches, 2, NULL, &err), REEL_UNSUPPORTED);
    if (!CHECK(strstr(err.message, "batch 1") != NULL) ||
        !CHECK(strstr(err.message, "column 'x'") != NULL) ||
        !CHECK(strstr(err.message, "dictionary") != NULL))
        fprintf(stderr, "    %s\n", err.message);
    CHECK_EQ_INT(bytes.len, 6);

    /* Zero-row batches never conflict: first, in between, or all of them. */
    batches[0] = empty_other;
    batches[1] = first;
    batches[2] = empty_other;
    check_roundtrip("zero rows, then rows", &schema, batches, 3);
    reel_buf_clear(&bytes);
    CHECK_OK(write_file(&bytes, &schema, batches, 3, 8));
    footer_view footer;
    if (view_footer(&bytes, &footer))
        CHECK_EQ_INT(footer.n_dictionaries, 1);
    batches[1] = empty_other;
    check_roundtrip("only zero rows", &schema, batches, 3);
    reel_buf_clear(&bytes);
    CHECK_OK(write_file(&bytes, &schema, batches, 3, 8));
    if (view_footer(&bytes, &footer)) {
        CHECK_EQ_INT(footer.n_dictionaries, 1); /* written by finish */
        CHECK_EQ_INT(footer.n_batches, 3);
    }
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&first);
    reel_arrow_array_reset(&other);
    reel_arrow_array_reset(&empty_other);
    reel_arrow_array_reset(&copy);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- the incremental writer */

TEST(incremental_writer)
{
    reel_arrow_field schema;
    reel_arrow_array batch, parts[3], wrong = {.length = 1, .n_buffers = 1};
    make_batch("list<item: dictionary<values=string, indices=int8, ordered=0>>", 20, 4, &schema,
               &batch);
    for (int i = 0; i < 3; i++)
        CHECK_OK(reel_arrow_array_slice(&parts[i], &schema, &batch, 5 * i, 5 + i, NULL));
    reel_buf one_shot, whole, out;
    reel_buf_init(&one_shot, NULL);
    reel_buf_init(&whole, NULL);
    reel_buf_init(&out, NULL);
    CHECK_OK(write_file(&one_shot, &schema, parts, 3, 8));

    /* The caller drains `out` after every call; a bad batch in between changes nothing. */
    reel_ipc_file_writer *writer = NULL;
    reel_error err = {0};
    CHECK_OK(reel_ipc_file_writer_create(&schema, NULL, &out, &writer, &err));
    for (int i = 0; writer != NULL && i < 3; i++) {
        reel_buf_append(&whole, out.data, out.len);
        reel_buf_clear(&out);
        if (i == 1) {
            CHECK_EQ_INT(reel_ipc_file_writer_write_batch(writer, &wrong, &out, &err),
                         REEL_INVALID_ARGUMENT);
            CHECK_EQ_INT(out.len, 0);
        }
        CHECK_OK(reel_ipc_file_writer_write_batch(writer, &parts[i], &out, &err));
    }
    if (writer != NULL) {
        reel_buf_append(&whole, out.data, out.len);
        reel_buf_clear(&out);
        CHECK_OK(reel_ipc_file_writer_finish(writer, &out, &err));
        reel_buf_append(&whole, out.data, out.len);
        reel_buf_clear(&out);
        CHECK_EQ_INT(reel_ipc_file_writer_write_batch(writer, &parts[0], &out, &err),
                     REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(reel_ipc_file_writer_finish(writer, &out, &err), REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(out.len, 0);
    }
    reel_ipc_file_writer_destroy(writer);
    reel_ipc_file_writer_destroy(NULL);
    if (CHECK_EQ_INT(whole.len, one_shot.len))
        CHECK_EQ_MEM(whole.data, one_shot.data, whole.len);

    /* Bad arguments leave `out` as it was. */
    reel_buf_clear(&out);
    reel_buf_append(&out, "x", 1);
    reel_ipc_write_options bad_alignment = {.alignment = 16};
    CHECK_EQ_INT(reel_ipc_file_writer_create(&schema, &bad_alignment, &out, &writer, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(writer == NULL);
    CHECK_EQ_INT(reel_ipc_write_file(&out, &schema, NULL, 2, NULL, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_ipc_write_file(&out, &schema, &wrong, 1, NULL, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(out.len, 1);

    for (int i = 0; i < 3; i++)
        reel_arrow_array_reset(&parts[i]);
    reel_buf_free(&one_shot);
    reel_buf_free(&whole);
    reel_buf_free(&out);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- hostile files */

TEST(streams_and_files_are_told_apart)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_batch("string", 4, 1, &schema, &batch);
    reel_buf stream, file;
    reel_buf_init(&stream, NULL);
    reel_buf_init(&file, NULL);
    CHECK_OK(reel_ipc_write_stream(&stream, &schema, &batch, 1, NULL, NULL));
    CHECK_OK(write_file(&file, &schema, &batch, 1, 8));
    reel_arrow_field got;
    reel_vec batches = {0};
    reel_error err = {0};
    CHECK_EQ_INT(read_bytes(stream.data, stream.len, &got, &batches, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "stream format") != NULL);
    reel_blob *blob = tu_blob(&file);
    CHECK_EQ_INT(reel_ipc_read_stream(blob, NULL, &got, &batches, &err), REEL_UNSUPPORTED);
    reel_blob_release(blob);
    reel_buf_free(&stream);
    reel_buf_free(&file);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* A stream of two batches, each with its own dictionary (so two DictionaryBatch messages for
 * dictionary id 0), and its messages. */
typedef struct two_batch_stream {
    reel_buf bytes;
    message_span messages[8];
    size_t count; /* Schema, Dict, Batch, Dict, Batch, EOS */
} two_batch_stream;

static void make_two_batch_stream(two_batch_stream *s)
{
    reel_arrow_field schema;
    reel_arrow_array batches[2];
    make_batch("dictionary<values=string, indices=int8, ordered=0>", 6, 1, &schema, &batches[0]);
    reel_arrow_field ignored;
    make_batch("dictionary<values=string, indices=int8, ordered=0>", 4, 2, &ignored, &batches[1]);
    reel_buf_init(&s->bytes, NULL);
    CHECK_OK(reel_ipc_write_stream(&s->bytes, &schema, batches, 2, NULL, NULL));
    s->count = split_stream(s->bytes.data, s->bytes.len, s->messages, 8);
    CHECK_EQ_INT(s->count, 6);
    reel_arrow_array_reset(&batches[0]);
    reel_arrow_array_reset(&batches[1]);
    reel_arrow_field_reset(&ignored);
    reel_arrow_field_reset(&schema);
}

TEST(corrupt_footers_and_blocks)
{
    two_batch_stream s;
    make_two_batch_stream(&s);
    if (s.count != 6)
        return;
    const message_span *m = s.messages;
    block_spec dict0 = block_of(m, 1), batch0 = block_of(m, 2), dict1 = block_of(m, 3),
               batch1 = block_of(m, 4), schema_msg = block_of(m, 0), eos = block_of(m, 5);
    reel_buf file;
    reel_buf_init(&file, NULL);

    /* The hand-made file itself reads (batch 1 with batch 0's dictionary: indices in range
     * or not, it must not crash; use one batch to be sure). */
    make_file(&file, &s.bytes, &dict0, 1, &batch0, 1, 4, true);
    reel_arrow_field schema;
    reel_vec batches = {0};
    reel_error err = {0};
    if (CHECK_OK(read_bytes(file.data, file.len, &schema, &batches, &err))) {
        CHECK_EQ_INT(batches.len, 1);
        reel_arrow_field_reset(&schema);
        tu_free_batches(&batches);
    } else {
        fprintf(stderr, "    %s\n", err.message);
    }

    /* A second dictionary for id 0 that is not a delta. */
    block_spec two_dicts[2] = {dict0, dict1};
    make_file(&file, &s.bytes, two_dicts, 2, &batch0, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "replace", "replaced dictionary");
    /* Blocks holding the wrong messages. */
    make_file(&file, &s.bytes, &dict0, 1, &dict1, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "DictionaryBatch", "dictionary as a record batch");
    make_file(&file, &s.bytes, &batch0, 1, &batch1, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "RecordBatch", "record batch as a dictionary");
    make_file(&file, &s.bytes, &dict0, 1, &schema_msg, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "Schema", "schema as a record batch");
    make_file(&file, &s.bytes, &dict0, 1, &eos, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "end-of-stream", "EOS as a record batch");
    /* A record batch before any dictionary. */
    make_file(&file, &s.bytes, NULL, 0, &batch0, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "dictionary", "no dictionary");
    /* The same block twice, and blocks that overlap. */
    block_spec twice[2] = {batch0, batch0};
    make_file(&file, &s.bytes, &dict0, 1, twice, 2, 4, true);
    expect_error(&file, REEL_CORRUPT, "overlaps", "one block twice");
    block_spec shifted = batch0;
    shifted.offset -= 8;
    shifted.body_len += 8;
    block_spec overlapping[2] = {batch0, shifted};
    make_file(&file, &s.bytes, &dict0, 1, overlapping, 2, 4, true);
    expect_error(&file, REEL_CORRUPT, "overlaps", "overlapping blocks");
    /* Lengths that disagree with the message. */
    block_spec bad = batch0;
    bad.metadata_len += 8;
    bad.body_len -= 8;
    make_file(&file, &s.bytes, &dict0, 1, &bad, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "block says", "metaDataLength off by 8");
    bad = batch0;
    bad.body_len += 8;
    make_file(&file, &s.bytes, &dict0, 1, &bad, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "block says", "bodyLength 8 too long");
    bad = batch0;
    bad.body_len -= 8;
    make_file(&file, &s.bytes, &dict0, 1, &bad, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "block says", "bodyLength 8 too short");
    bad = batch0;
    bad.metadata_len = 8;
    bad.body_len = 0;
    make_file(&file, &s.bytes, &dict0, 1, &bad, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "block has", "metaDataLength 8, not the metadata's");
    /* Blocks outside the messages. */
    static const block_spec outside[] = {
        {0, 16, 0},                  /* over the magic */
        {4, 16, 0},                  /* over the magic */
        {-8, 16, 0},                 /* negative */
        {8, -16, 0},                 /* negative metadata */
        {8, 0, 0},                   /* empty */
        {8, 16, -8},                 /* negative body */
        {INT64_MAX - 4, 16, 16},     /* overflowing */
        {8, INT32_MAX, INT64_MAX},   /* overflowing */
        {1 << 20, 16, 0},            /* past the end */
        {8, 16, (int64_t)1 << 40},   /* body past the end */
        {INT64_MIN, 16, INT64_MAX}}; /* overflowing the other way */
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        make_file(&file, &s.bytes, &dict0, 1, &outside[i], 1, 4, true);
        expect_error(&file, REEL_CORRUPT, "not inside", "a block outside the messages");
        make_file(&file, &s.bytes, &outside[i], 1, &batch0, 1, 4, true);
        expect_error(&file, REEL_CORRUPT, "not inside", "a dictionary outside the messages");
    }
    /* A block reaching into the footer (the last message's body, 8 bytes longer). */
    bad = eos;
    bad.body_len = 16;
    make_file(&file, &s.bytes, &dict0, 1, &bad, 1, 4, true);
    expect_error(&file, REEL_CORRUPT, "not inside", "a block into the footer");
    /* No schema; unsupported versions. */
    make_file(&file, &s.bytes, &dict0, 1, &batch0, 1, 4, false);
    expect_error(&file, REEL_CORRUPT, "no schema", "no schema");
    make_file(&file, &s.bytes, &dict0, 1, &batch0, 1, 2, true);
    expect_error(&file, REEL_UNSUPPORTED, "version", "V3");
    make_file(&file, &s.bytes, &dict0, 1, &batch0, 1, 5, true);
    expect_error(&file, REEL_UNSUPPORTED, "version", "V6");

    /* The footer length and the magic. */
    reel_buf good;
    reel_buf_init(&good, NULL);
    make_file(&good, &s.bytes, &dict0, 1, &batch0, 1, 4, true);
    size_t tail = good.len - 10;
    static const int32_t lengths[] = {0, -1, INT32_MIN, INT32_MAX, 1 << 24};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        reel_buf_clear(&file);
        reel_buf_append(&file, good.data, good.len);
        reel_store_u32le(file.data + tail, (uint32_t)lengths[i]);
        expect_error(&file, REEL_CORRUPT, "footer length", "footer length");
    }
    /* A footer length one too long runs into the leading magic... */
    reel_buf_clear(&file);
    reel_buf_append(&file, good.data, good.len);
    reel_store_u32le(file.data + tail, (uint32_t)(tail - 7));
    expect_error(&file, REEL_CORRUPT, "footer length", "footer into the magic");
    /* ... and shorter or longer footers are garbage flatbuffers. */
    uint32_t footer_len = reel_load_u32le(good.data + tail);
    static const int deltas[] = {-64, -8, -4, -1, 1, 4, 8, 64};
    for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
        reel_buf_clear(&file);
        reel_buf_append(&file, good.data, good.len);
        reel_store_u32le(file.data + tail, (uint32_t)((int64_t)footer_len + deltas[i]));
        reel_status status = read_bytes(file.data, file.len, &schema, &batches, &err);
        if (status == REEL_OK) {
            reel_arrow_field_reset(&schema);
            tu_free_batches(&batches);
        } else {
            CHECK(strstr(err.message, "byte offset") != NULL);
        }
    }
    reel_buf_clear(&file);
    reel_buf_append(&file, good.data, good.len);
    file.data[0] = 'a';
    expect_error(&file, REEL_CORRUPT, "magic", "leading magic");
    file.data[0] = 'A';
    file.data[file.len - 1] = '2';
    expect_error(&file, REEL_CORRUPT, "magic", "closing magic");
    reel_buf_free(&good);

    reel_buf_free(&file);
    reel_buf_free(&s.bytes);
}

/* A small file with nested data and a nested dictionary, truncated at every byte (each must
 * be an error) and with every byte changed to a few values (each an error or a file that
 * reads; under the sanitizers neither may touch memory it should not). */
TEST(truncation_and_byte_changes)
{
    reel_arrow_field schema = make_field(
        "struct<l: list<item: struct<a: int16, b: string>>, d: dictionary<values=struct<e: "
        "dictionary<values=string, indices=int8, ordered=0>>, indices=int32, ordered=0>>");
    schema.nullable = false;
    reel_arrow_array batch, parts[2];
    CHECK_OK(gen_array(&schema, 6, 8, &batch));
    CHECK_OK(reel_arrow_array_slice(&parts[0], &schema, &batch, 0, 2, NULL));
    CHECK_OK(reel_arrow_array_slice(&parts[1], &schema, &batch, 2, 4, NULL));
    reel_buf file;
    reel_buf_init(&file, NULL);
    CHECK_OK(write_file(&file, &schema, parts, 2, 8));
    reel_arrow_field got;
    reel_vec batches = {0};
    reel_error err = {0};
    int errors_without_offset = 0;
    for (size_t len = 0; len < file.len; len++) {
        reel_status status = read_bytes(file.data, len, &got, &batches, &err);
        if (!CHECK(status != REEL_OK)) {
            fprintf(stderr, "    cut at %zu of %zu reads\n", len, file.len);
            reel_arrow_field_reset(&got);
            tu_free_batches(&batches);
        } else if (strstr(err.message, "byte offset") == NULL && len >= 18) {
            errors_without_offset++;
            fprintf(stderr, "    cut at %zu: no offset in: %s\n", len, err.message);
        }
    }
    CHECK_EQ_INT(errors_without_offset, 0);
    /* The messages cut short at every byte, the footer kept: its blocks then reach past the
     * messages, unless the cut only took bytes after the last block (the EOS). */
    footer_view footer;
    if (view_footer(&file, &footer)) {
        block_spec last = load_block(&file, footer.batches_at + 24 * (footer.n_batches - 1));
        size_t blocks_end = (size_t)(last.offset + last.metadata_len + last.body_len);
        reel_buf cut;
        reel_buf_init(&cut, NULL);
        for (size_t at = 0; at < footer.start; at++) {
            reel_buf_clear(&cut);
            reel_buf_append(&cut, file.data, at);
            reel_buf_append(&cut, file.data + footer.start, file.len - footer.start);
            reel_status status = read_bytes(cut.data, cut.len, &got, &batches, &err);
            if (status == REEL_OK) {
                CHECK(at >= blocks_end);
                reel_arrow_field_reset(&got);
                tu_free_batches(&batches);
            } else if (!CHECK(at < blocks_end) ||
                       !CHECK(strstr(err.message, "byte offset") != NULL)) {
                fprintf(stderr, "    messages cut at %zu: %s\n", at, err.message);
            }
        }
        reel_buf_free(&cut);
    }
    int read_ok = 0, read_error = 0;
    static const uint8_t values[] = {0x00, 0xFF, 0x7F, 0x80, 0x01};
    for (size_t at = 0; at < file.len; at++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0] + 1; v++) {
            uint8_t saved = file.data[at];
            file.data[at] = v < sizeof values ? values[v] : (uint8_t)(saved ^ 0x10);
            if (file.data[at] != saved) {
                reel_status status = read_bytes(file.data, file.len, &got, &batches, &err);
                if (status == REEL_OK) {
                    read_ok++;
                    for (size_t i = 0; i < batches.len; i++)
                        CHECK(tu_walk_json(&got, &REEL_VEC_AT(&batches, reel_arrow_array, i)));
                    reel_arrow_field_reset(&got);
                    tu_free_batches(&batches);
                } else {
                    read_error++;
                    CHECK(err.message[0] != 0);
                }
            }
            file.data[at] = saved;
        }
    }
    CHECK(read_error > 0);
    CHECK(read_ok > 0); /* data bytes and padding may change freely */
    reel_buf_free(&file);
    reel_arrow_array_reset(&parts[0]);
    reel_arrow_array_reset(&parts[1]);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* ---------------------------------------------------------------- the corpus */

/* Every file in fuzz/corpus/ipc_file named pa_ok_* (written by pyarrow), pl_ok_* (by polars)
 * or reel_* (ours) must read, and write back as a file that reads equal; pa_bad_* must fail
 * with an error naming a byte offset. Other files (kept by the fuzzer) only must not crash. */
TEST(corpus_files)
{
    const char *dir_path = REEL_SOURCE_DIR "/fuzz/corpus/ipc_file";
    DIR *dir = opendir(dir_path);
    if (!CHECK(dir != NULL))
        return;
    int seen_ok = 0, seen_bad = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.')
            continue;
        bool want_ok = strncmp(name, "pa_ok_", 6) == 0 || strncmp(name, "pl_ok_", 6) == 0 ||
                       strncmp(name, "reel_", 5) == 0;
        bool want_bad = strncmp(name, "pa_bad_", 7) == 0;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir_path, name);
        FILE *f = fopen(path, "rb");
        if (!CHECK(f != NULL))
            continue;
        reel_buf bytes;
        reel_buf_init(&bytes, NULL);
        uint8_t chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            reel_buf_append(&bytes, chunk, n);
        fclose(f);
        reel_arrow_field schema;
        reel_vec batches = {0};
        reel_error err = {0};
        reel_status status = read_bytes(bytes.data, bytes.len, &schema, &batches, &err);
        if (want_ok) {
            seen_ok++;
            if (!CHECK_OK(status))
                fprintf(stderr, "    %s: %s\n", name, err.message);
            else
                check_roundtrip(name, &schema, batches.data, (int64_t)batches.len);
        } else if (want_bad) {
            seen_bad++;
            if (!CHECK(status != REEL_OK) || !CHECK(strstr(err.message, "byte offset") != NULL))
                fprintf(stderr, "    %s: %s\n", name, err.message);
        }
        if (status == REEL_OK) {
            reel_arrow_field_reset(&schema);
            tu_free_batches(&batches);
        }
        reel_buf_free(&bytes);
    }
    closedir(dir);
    CHECK(seen_ok >= 5);
    CHECK(seen_bad >= 1);
}

int main(void)
{
    RUN(roundtrip_every_type);
    RUN(roundtrip_nested_columns);
    RUN(zero_batches);
    RUN(many_batches);
    RUN(layout_follows_file_fbs);
    RUN(dictionaries_are_written_once);
    RUN(incremental_writer);
    RUN(streams_and_files_are_told_apart);
    RUN(corrupt_footers_and_blocks);
    RUN(truncation_and_byte_changes);
    RUN(corpus_files);
    TEST_MAIN_END();
}
