/* IPC for the types user data brings along: dictionary-encoded columns (DictionaryBatch
 * messages before the RecordBatch, nested dictionaries, replacement and delta dictionaries,
 * missing dictionaries and indices out of range), maps and decimals. Round trips use random
 * arrays of many such types, whole, sliced and over several batches. */
#include "arrow/flatbuf.h"
#include "arrow_testing.h"
#include "ipc_test_util.h"

static const char *const user_types[] = {
    "decimal32(9, 2)",
    "decimal64(18, -3)",
    "decimal128(10, 2)",
    "decimal256(76, 10)",
    "map<string, int64>",
    "map<string, list<item: int64>, keys_sorted>",
    "map<int32, map<string, decimal128(5, 1)>>",
    "list<item: map<string, int8>>",
    "dictionary<values=string, indices=int8, ordered=0>",
    "dictionary<values=string, indices=int32, ordered=1>",
    "dictionary<values=list<item: float>, indices=uint16, ordered=0>",
    "list<item: dictionary<values=string, indices=int8, ordered=0>>",
    "struct<a: dictionary<values=large_string, indices=int64, ordered=0>, b: map<string, "
    "dictionary<values=int32, indices=uint8, ordered=0>>>",
    "dictionary<values=struct<d: dictionary<values=string, indices=int32, ordered=0>, i: int64>, "
    "indices=uint64, ordered=0>",
    "dense_union<a: dictionary<values=string, indices=int16, ordered=0>=0, b: decimal64(10, 0)=1>",
};
#define USER_TYPE_COUNT ((int)(sizeof user_types / sizeof user_types[0]))

/* A schema of an int64 column "n" and a column "x" of type `type`, and a random batch. */
static void make_batch(const char *type, int64_t rows, uint64_t seed, reel_arrow_field *schema,
                       reel_arrow_array *batch)
{
    reel_arrow_field x = make_field(type);
    reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    tu_add(schema, "n", REEL_ARROW_INT64, true);
    reel_arrow_field *column = tu_add(schema, "x", REEL_ARROW_NULL_TYPE, true);
    reel_arrow_field_reset(column);
    reel_arrow_field_copy(column, &x, NULL);
    reel_arrow_field_set_name(column, "x");
    column->nullable = true;
    reel_arrow_field_reset(&x);
    reel_arrow_array columns[2];
    CHECK_OK(gen_array(&schema->children[0], rows, seed, &columns[0]));
    CHECK_OK(gen_array(&schema->children[1], rows, seed + 1, &columns[1]));
    tu_batch(batch, rows, columns, 2);
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

static reel_status decode(const reel_buf *bytes, reel_arrow_field *schema, reel_vec *batches,
                          reel_error *err)
{
    reel_blob *blob = tu_blob(bytes);
    reel_status status = reel_ipc_read_stream(blob, NULL, schema, batches, err);
    reel_blob_release(blob);
    return status;
}

/* Writes and reads back the batches, checks types and values, and that re-encoding what was
 * read gives the same bytes when the input was `canonical`. */
static void check_roundtrip(const char *type, const reel_arrow_field *schema,
                            const reel_arrow_array *batches, int64_t count, bool canonical)
{
    for (int32_t alignment = 8; alignment <= 64; alignment *= 8) {
        reel_buf bytes, again;
        reel_buf_init(&bytes, NULL);
        reel_buf_init(&again, NULL);
        reel_arrow_field got_schema;
        reel_vec got = {0};
        reel_error err = {0};
        if (!CHECK_OK(encode(&bytes, schema, batches, count, alignment)) ||
            !CHECK_OK(decode(&bytes, &got_schema, &got, &err))) {
            fprintf(stderr, "    %s: %s\n", type, err.message);
            reel_buf_free(&bytes);
            continue;
        }
        if (!CHECK(reel_arrow_field_type_equal(schema, &got_schema, true)))
            fprintf(stderr, "    %s: the schema changed\n", type);
        if (CHECK_EQ_INT(got.len, count)) {
            for (int64_t i = 0; i < count; i++) {
                const reel_arrow_array *b = &REEL_VEC_AT(&got, reel_arrow_array, i);
                if (!CHECK(reel_arrow_array_equal(schema, &batches[i], b)))
                    fprintf(stderr, "    %s: batch %lld differs\n", type, (long long)i);
                CHECK(tu_walk_json(&got_schema, b));
            }
            if (CHECK_OK(encode(&again, &got_schema, got.data, (int64_t)got.len, alignment)) &&
                canonical &&
                !CHECK(again.len == bytes.len && memcmp(again.data, bytes.data, bytes.len) == 0))
                fprintf(stderr, "    %s: re-encoding changed the bytes\n", type);
        }
        reel_arrow_field_reset(&got_schema);
        tu_free_batches(&got);
        reel_buf_free(&bytes);
        reel_buf_free(&again);
    }
}

TEST(roundtrip_every_user_type)
{
    for (int t = 0; t < USER_TYPE_COUNT; t++) {
        reel_arrow_field schema;
        reel_arrow_array batch, slice, several[3];
        make_batch(user_types[t], 60, (uint64_t)t * 7, &schema, &batch);
        check_roundtrip(user_types[t], &schema, &batch, 1, true);
        /* Sliced at odd places: indices are sliced, dictionaries written whole. */
        CHECK_OK(reel_arrow_array_slice(&slice, &schema, &batch, 13, 29, NULL));
        check_roundtrip(user_types[t], &schema, &slice, 1, false);
        reel_arrow_array_reset(&slice);
        /* Several batches, each with its own dictionaries (each replaces the last). */
        for (int i = 0; i < 3; i++) {
            reel_arrow_field ignored;
            make_batch(user_types[t], 10 * i, (uint64_t)(t * 7 + 100 + i), &ignored, &several[i]);
            reel_arrow_field_reset(&ignored);
        }
        check_roundtrip(user_types[t], &schema, several, 3, true);
        for (int i = 0; i < 3; i++)
            reel_arrow_array_reset(&several[i]);
        reel_arrow_array_reset(&batch);
        reel_arrow_field_reset(&schema);
    }
}

/* The kinds of the messages of `bytes`, as the decoder reports them, into kinds[]. */
static size_t message_kinds(const reel_buf *bytes, reel_ipc_message_kind *kinds, size_t max,
                            size_t *starts)
{
    reel_blob *blob = tu_blob(bytes);
    reel_ipc_decoder *decoder;
    CHECK_OK(reel_ipc_decoder_create(NULL, &decoder, NULL));
    size_t n = 0, pos = 0;
    while (pos < bytes->len && n < max) {
        uint64_t size, needed;
        reel_ipc_message message;
        reel_error err = {0};
        if (!CHECK_OK(reel_ipc_message_size(bytes->data + pos, bytes->len - pos, 0, &size, &needed,
                                            NULL)) ||
            !CHECK_OK(reel_ipc_decoder_decode(decoder, blob, pos, (size_t)size, &message, &err))) {
            fprintf(stderr, "    %s\n", err.message);
            break;
        }
        if (starts != NULL)
            starts[n] = pos;
        kinds[n++] = message.kind;
        reel_arrow_array_reset(&message.batch);
        pos += (size_t)size;
    }
    reel_ipc_decoder_destroy(decoder);
    reel_blob_release(blob);
    return n;
}

TEST(dictionary_batches_come_first)
{
    /* Two dictionary columns, one with a dictionary inside its values: four dictionaries
     * per batch, all before the batch's RecordBatch. */
    reel_arrow_field schema = make_field(
        "struct<a: dictionary<values=string, indices=int8, ordered=0>, b: "
        "dictionary<values=struct<d: dictionary<values=string, indices=int32, ordered=0>, e: "
        "list<item: dictionary<values=int64, indices=int8, ordered=0>>>, indices=int16, "
        "ordered=0>>");
    schema.nullable = false; /* a record batch has no nulls of its own */
    reel_arrow_array batches[2];
    CHECK_OK(gen_array(&schema, 20, 1, &batches[0]));
    CHECK_OK(gen_array(&schema, 5, 2, &batches[1]));
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(encode(&bytes, &schema, batches, 2, 8));
    reel_ipc_message_kind kinds[16];
    size_t n = message_kinds(&bytes, kinds, 16, NULL);
    static const reel_ipc_message_kind want[] = {
        REEL_IPC_MESSAGE_SCHEMA,           REEL_IPC_MESSAGE_DICTIONARY_BATCH,
        REEL_IPC_MESSAGE_DICTIONARY_BATCH, REEL_IPC_MESSAGE_DICTIONARY_BATCH,
        REEL_IPC_MESSAGE_DICTIONARY_BATCH, REEL_IPC_MESSAGE_RECORD_BATCH,
        REEL_IPC_MESSAGE_DICTIONARY_BATCH, REEL_IPC_MESSAGE_DICTIONARY_BATCH,
        REEL_IPC_MESSAGE_DICTIONARY_BATCH, REEL_IPC_MESSAGE_DICTIONARY_BATCH,
        REEL_IPC_MESSAGE_RECORD_BATCH,     REEL_IPC_MESSAGE_EOS};
    if (CHECK_EQ_INT(n, sizeof want / sizeof want[0]))
        for (size_t i = 0; i < n; i++)
            CHECK_EQ_INT(kinds[i], want[i]);
    reel_arrow_field got_schema;
    reel_vec got = {0};
    CHECK_OK(decode(&bytes, &got_schema, &got, NULL));
    CHECK(reel_arrow_field_type_equal(&schema, &got_schema, true));
    if (CHECK_EQ_INT(got.len, 2)) {
        CHECK(reel_arrow_array_equal(&schema, &batches[0], got.data));
        CHECK(
            reel_arrow_array_equal(&schema, &batches[1], &REEL_VEC_AT(&got, reel_arrow_array, 1)));
    }
    reel_arrow_field_reset(&got_schema);
    tu_free_batches(&got);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batches[0]);
    reel_arrow_array_reset(&batches[1]);
    reel_arrow_field_reset(&schema);
}

/* A batch of one column "d": dictionary<values=int32, indices=int8> with the given indices
 * (-1: null) over the given values. */
static void make_int_dictionary(const int8_t *indices, int64_t n, const int32_t *values,
                                int64_t n_values, reel_arrow_field *schema, reel_arrow_array *batch)
{
    *schema = make_field("struct<d: dictionary<values=int32, indices=int8, ordered=0>>");
    char bits[64] = {0};
    int8_t stored[64];
    for (int64_t i = 0; i < n; i++) {
        bits[i] = indices[i] < 0 ? '0' : '1';
        stored[i] = indices[i] < 0 ? 0 : indices[i];
    }
    reel_arrow_array column;
    tu_fixed(&column, n, bits, stored, 1);
    column.dictionary = reel_alloc_zeroed(NULL, sizeof *column.dictionary);
    tu_fixed(column.dictionary, n_values, NULL, values, 4);
    tu_batch(batch, n, &column, 1);
}

TEST(missing_and_bad_dictionaries_are_corrupt)
{
    static const int8_t indices[] = {0, 2, -1, 1};
    static const int32_t values[] = {10, 20, 30};
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_int_dictionary(indices, 4, values, 3, &schema, &batch);
    reel_buf bytes, cut;
    reel_buf_init(&bytes, NULL);
    reel_buf_init(&cut, NULL);
    CHECK_OK(encode(&bytes, &schema, &batch, 1, 8));
    reel_buf json;
    reel_buf_init(&json, NULL);
    reel_arrow_field got_schema;
    reel_vec got = {0};
    reel_error err = {0};
    if (CHECK_OK(decode(&bytes, &got_schema, &got, &err)) && CHECK_EQ_INT(got.len, 1)) {
        const reel_arrow_array *column = &((reel_arrow_array *)got.data)->children[0];
        const char *want[] = {"10", "30", "null", "20"};
        for (int i = 0; i < 4; i++)
            CHECK_EQ_STR(json_of(&got_schema.children[0], column, i, &json), want[i]);
    }
    reel_arrow_field_reset(&got_schema);
    tu_free_batches(&got);

    /* Without its DictionaryBatch (message 1), the RecordBatch cannot be read. */
    reel_ipc_message_kind kinds[8];
    size_t starts[8];
    CHECK_EQ_INT(message_kinds(&bytes, kinds, 8, starts), 4);
    CHECK_EQ_INT(kinds[1], REEL_IPC_MESSAGE_DICTIONARY_BATCH);
    reel_buf_append(&cut, bytes.data, starts[1]);
    reel_buf_append(&cut, bytes.data + starts[2], bytes.len - starts[2]);
    CHECK_EQ_INT(decode(&cut, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "IPC message 1 at byte offset") != NULL);
    CHECK(strstr(err.message, "field 'd' uses dictionary id 0, which no DictionaryBatch before "
                              "this message defined") != NULL);
    /* A DictionaryBatch before the Schema. */
    reel_buf_clear(&cut);
    reel_buf_append(&cut, bytes.data + starts[1], starts[2] - starts[1]);
    CHECK_EQ_INT(decode(&cut, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "DictionaryBatch before the Schema message") != NULL);
    reel_buf_free(&cut);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);

    /* An index past the dictionary: the writer does not look, full validation does. */
    static const int8_t bad_indices[] = {0, 3, -1};
    make_int_dictionary(bad_indices, 3, values, 3, &schema, &batch);
    reel_buf_init(&bytes, NULL);
    CHECK_OK(encode(&bytes, &schema, &batch, 1, 8));
    CHECK_EQ_INT(decode(&bytes, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "RecordBatch fails validation: column 'd': element 1: index 3 is "
                              "outside the dictionary's 3 values") != NULL);
    CHECK_EQ_INT(reel_arrow_array_validate(&schema, &batch, REEL_ARROW_VALIDATE_DEFAULT, NULL),
                 REEL_OK);
    reel_buf_free(&bytes);
    reel_buf_free(&json);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

/* Appends a message of `header_type` around `header` with the given body. */
static void append_message(reel_buf *out, reel__fb_builder *fb, uint8_t header_type,
                           reel__fb_ref header, const void *body, size_t body_len)
{
    size_t padded_body = reel_align_up(body_len, 8);
    reel__fb_table_begin(fb);
    reel__fb_add_i16(fb, 0, 4 /* V5 */);
    reel__fb_add_u8(fb, 1, header_type);
    reel__fb_add_ref(fb, 2, header);
    reel__fb_add_i64(fb, 3, (int64_t)padded_body);
    reel__fb_ref message = reel__fb_table_end(fb);
    reel_span bytes;
    if (reel__fb_finish(fb, message, &bytes) != REEL_OK)
        abort();
    size_t padded = reel_align_up(bytes.len, 8);
    reel_buf_append_u32le(out, 0xffffffffu);
    reel_buf_append_u32le(out, (uint32_t)padded);
    reel_buf_append(out, bytes.data, bytes.len);
    reel_buf_append_zeros(out, padded - bytes.len);
    reel_buf_append(out, body, body_len);
    reel_buf_append_zeros(out, padded_body - body_len);
    reel__fb_builder_clear(fb);
}

/* A RecordBatch table of one column of `length` rows without nulls: an empty validity
 * buffer, then a `value_bytes` buffer at body offset 0. */
static reel__fb_ref one_column_batch(reel__fb_builder *fb, int64_t length, int64_t value_bytes)
{
    uint8_t *p = reel__fb_vector_begin(fb, 2, 16, 8);
    memset(p, 0, 32);
    reel_store_u64le(p + 24, (uint64_t)value_bytes);
    reel__fb_ref buffers = reel__fb_vector_end(fb, 2);
    p = reel__fb_vector_begin(fb, 1, 16, 8);
    reel_store_u64le(p, (uint64_t)length);
    reel_store_u64le(p + 8, 0);
    reel__fb_ref nodes = reel__fb_vector_end(fb, 1);
    reel__fb_table_begin(fb);
    reel__fb_add_i64(fb, 0, length);
    reel__fb_add_ref(fb, 1, nodes);
    reel__fb_add_ref(fb, 2, buffers);
    return reel__fb_table_end(fb);
}

static reel__fb_ref dictionary_batch(reel__fb_builder *fb, int64_t id, reel__fb_ref data,
                                     bool delta)
{
    reel__fb_table_begin(fb);
    reel__fb_add_i64(fb, 0, id);
    reel__fb_add_ref(fb, 1, data);
    reel__fb_add_bool(fb, 2, delta);
    return reel__fb_table_end(fb);
}

TEST(delta_dictionaries_extend_the_values)
{
    /* Our schema and first dictionary + batch, then by hand: a delta adding two values and
     * a batch using old and new ones, then a replacement and a batch using it. */
    static const int8_t indices[] = {0, 2};
    static const int32_t values[] = {10, 20, 30};
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_int_dictionary(indices, 2, values, 3, &schema, &batch);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    reel_error err = {0};
    CHECK_OK(reel_ipc_write_schema(&bytes, &schema, NULL, &err));
    CHECK_OK(reel_ipc_write_batch(&bytes, &schema, &batch, NULL, &err));
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    int32_t more[2] = {40, 50};
    append_message(&bytes, &fb, 2, dictionary_batch(&fb, 0, one_column_batch(&fb, 2, 8), true),
                   more, 8);
    int8_t mixed[3] = {4, 1, 3};
    append_message(&bytes, &fb, 3, one_column_batch(&fb, 3, 3), mixed, 3);
    int32_t fresh[1] = {99};
    append_message(&bytes, &fb, 2, dictionary_batch(&fb, 0, one_column_batch(&fb, 1, 4), false),
                   fresh, 4);
    int8_t zero[1] = {0};
    append_message(&bytes, &fb, 3, one_column_batch(&fb, 1, 1), zero, 1);
    reel_ipc_write_eos(&bytes);

    reel_arrow_field got_schema;
    reel_vec got = {0};
    reel_buf json;
    reel_buf_init(&json, NULL);
    if (CHECK_OK(decode(&bytes, &got_schema, &got, &err)) && CHECK_EQ_INT(got.len, 3)) {
        const reel_arrow_field *d = &got_schema.children[0];
        const reel_arrow_array *b1 = &REEL_VEC_AT(&got, reel_arrow_array, 1);
        const reel_arrow_array *b2 = &REEL_VEC_AT(&got, reel_arrow_array, 2);
        CHECK_EQ_STR(json_of(d, &b1->children[0], 0, &json), "50");
        CHECK_EQ_STR(json_of(d, &b1->children[0], 1, &json), "20");
        CHECK_EQ_STR(json_of(d, &b1->children[0], 2, &json), "40");
        CHECK_EQ_INT(b1->children[0].dictionary->length, 5);
        CHECK_EQ_STR(json_of(d, &b2->children[0], 0, &json), "99");
        /* The first batch keeps the dictionary it was decoded with. */
        const reel_arrow_array *b0 = got.data;
        CHECK_EQ_STR(json_of(d, &b0->children[0], 1, &json), "30");
    } else {
        fprintf(stderr, "    %s\n", err.message);
    }
    reel_arrow_field_reset(&got_schema);
    tu_free_batches(&got);

    /* A delta for an id without values yet, and a dictionary for an unknown id. */
    reel_buf_clear(&bytes);
    CHECK_OK(reel_ipc_write_schema(&bytes, &schema, NULL, &err));
    size_t schema_len = bytes.len;
    append_message(&bytes, &fb, 2, dictionary_batch(&fb, 0, one_column_batch(&fb, 2, 8), true),
                   more, 8);
    CHECK_EQ_INT(decode(&bytes, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "delta DictionaryBatch for id 0 before any dictionary for it") !=
          NULL);
    bytes.len = schema_len;
    append_message(&bytes, &fb, 2, dictionary_batch(&fb, 3, one_column_batch(&fb, 2, 8), false),
                   more, 8);
    CHECK_EQ_INT(decode(&bytes, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "DictionaryBatch for id 3, which no field of the schema uses") !=
          NULL);
    /* Values that do not fit their buffers are corrupt like any batch's. */
    bytes.len = schema_len;
    append_message(&bytes, &fb, 2, dictionary_batch(&fb, 0, one_column_batch(&fb, 5, 8), false),
                   more, 8);
    CHECK_EQ_INT(decode(&bytes, &got_schema, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "DictionaryBatch fails validation") != NULL);

    reel__fb_builder_free(&fb);
    reel_buf_free(&json);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(many_deltas_are_limited)
{
    /* Each delta copies the values before it: 400 deltas of 4000 bytes would copy 320 MB
     * for a 1.7 MB stream. The decoder stops once the copying outgrows the stream. */
    static const int8_t indices[] = {0};
    static const int32_t values[] = {1};
    reel_arrow_field schema;
    reel_arrow_array batch;
    make_int_dictionary(indices, 1, values, 1, &schema, &batch);
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    CHECK_OK(reel_ipc_write_schema(&bytes, &schema, NULL, NULL));
    CHECK_OK(reel_ipc_write_batch(&bytes, &schema, &batch, NULL, NULL));
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, NULL);
    int32_t *more = calloc(1000, 4);
    for (int i = 0; i < 400; i++)
        append_message(&bytes, &fb, 2,
                       dictionary_batch(&fb, 0, one_column_batch(&fb, 1000, 4000), true), more,
                       4000);
    free(more);
    reel_arrow_field got_schema;
    reel_vec got = {0};
    reel_error err = {0};
    CHECK_EQ_INT(decode(&bytes, &got_schema, &got, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "joining the deltas would copy") != NULL);
    /* A few deltas are fine. */
    bytes.len = 0;
    CHECK_OK(reel_ipc_write_schema(&bytes, &schema, NULL, NULL));
    CHECK_OK(reel_ipc_write_batch(&bytes, &schema, &batch, NULL, NULL));
    int32_t two[2] = {2, 3};
    for (int i = 0; i < 50; i++)
        append_message(&bytes, &fb, 2, dictionary_batch(&fb, 0, one_column_batch(&fb, 2, 8), true),
                       two, 8);
    int8_t last[1] = {100};
    append_message(&bytes, &fb, 3, one_column_batch(&fb, 1, 1), last, 1);
    if (CHECK_OK(decode(&bytes, &got_schema, &got, &err)) && CHECK_EQ_INT(got.len, 2)) {
        const reel_arrow_array *b1 = &REEL_VEC_AT(&got, reel_arrow_array, 1);
        CHECK_EQ_INT(b1->children[0].dictionary->length, 101);
        reel_buf json = {0};
        CHECK_EQ_STR(json_of(&got_schema.children[0], &b1->children[0], 0, &json), "3");
        reel_buf_free(&json);
    }
    reel_arrow_field_reset(&got_schema);
    tu_free_batches(&got);
    reel__fb_builder_free(&fb);
    reel_buf_free(&bytes);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(what_ipc_cannot_hold_is_refused)
{
    /* A dictionary whose values are dictionary-encoded: the C Data Interface can say it,
     * IPC cannot (pyarrow fails on it too). */
    reel_arrow_field schema = make_field(
        "struct<x: dictionary<values=dictionary<values=string, indices=int8, ordered=0>, "
        "indices=int8, ordered=0>>");
    schema.nullable = false;
    reel_buf bytes;
    reel_buf_init(&bytes, NULL);
    reel_error err = {0};
    CHECK_EQ_INT(reel_ipc_write_schema(&bytes, &schema, NULL, &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "field 'x': IPC cannot hold a dictionary whose values are "
                              "dictionary-encoded") != NULL);
    CHECK_EQ_U64(bytes.len, 0);
    reel_arrow_array batch;
    CHECK_OK(gen_array(&schema, 5, 3, &batch));
    CHECK_EQ_INT(reel_ipc_write_batch(&bytes, &schema, &batch, NULL, &err), REEL_UNSUPPORTED);
    CHECK_EQ_U64(bytes.len, 0);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);

    /* A dictionary array without its dictionary: nothing is written. */
    schema = make_field("struct<d: dictionary<values=string, indices=int8, ordered=0>>");
    schema.nullable = false;
    CHECK_OK(gen_array(&schema, 5, 3, &batch));
    reel_arrow_array *values = batch.children[0].dictionary;
    batch.children[0].dictionary = NULL;
    CHECK_EQ_INT(reel_ipc_write_batch(&bytes, &schema, &batch, NULL, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "a dictionary array without its dictionary") != NULL);
    CHECK_EQ_U64(bytes.len, 0);
    batch.children[0].dictionary = values;
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    reel_buf_free(&bytes);
}

int main(void)
{
    RUN(roundtrip_every_user_type);
    RUN(dictionary_batches_come_first);
    RUN(missing_and_bad_dictionaries_are_corrupt);
    RUN(delta_dictionaries_extend_the_values);
    RUN(many_deltas_are_limited);
    RUN(what_ipc_cannot_hold_is_refused);
    TEST_MAIN_END();
}
