/* The C Data Interface: format strings and metadata bytes as the spec writes them, export
 * then import giving back equal fields and arrays for every type (also sliced), producer
 * memory released exactly once and only when the last array using it goes, children moved
 * out by a consumer, and unsupported or malformed input refused with the format named. */
#include "arrow_testing.h"

static int schema_releases, array_releases;

static void counted_schema_release(struct ArrowSchema *schema)
{
    schema_releases++;
    schema->release = NULL;
}

static void counted_array_release(struct ArrowArray *array)
{
    array_releases++;
    array->release = NULL;
}

TEST(format_strings)
{
    static const struct {
        const char *type, *format;
    } cases[] = {
        {"null", "n"},
        {"bool", "b"},
        {"int8", "c"},
        {"uint8", "C"},
        {"int16", "s"},
        {"uint16", "S"},
        {"int32", "i"},
        {"uint32", "I"},
        {"int64", "l"},
        {"uint64", "L"},
        {"halffloat", "e"},
        {"float", "f"},
        {"double", "g"},
        {"binary", "z"},
        {"large_binary", "Z"},
        {"string", "u"},
        {"large_string", "U"},
        {"fixed_size_binary[16]", "w:16"},
        {"date32[day]", "tdD"},
        {"date64[ms]", "tdm"},
        {"time32[s]", "tts"},
        {"time32[ms]", "ttm"},
        {"time64[us]", "ttu"},
        {"time64[ns]", "ttn"},
        {"timestamp[s]", "tss:"},
        {"timestamp[ns, tz=UTC]", "tsn:UTC"},
        {"timestamp[ms, tz=+01:00]", "tsm:+01:00"},
        {"duration[s]", "tDs"},
        {"duration[ms]", "tDm"},
        {"duration[us]", "tDu"},
        {"duration[ns]", "tDn"},
        {"list<item: float>", "+l"},
        {"large_list<item: float>", "+L"},
        {"fixed_size_list<item: float>[3]", "+w:3"},
        {"struct<>", "+s"},
        {"dense_union<a: null=0, b: int32=1>", "+ud:0,1"},
        {"sparse_union<a: int32=5, b: string not null=7>", "+us:5,7"},
        {"sparse_union<>", "+us:"},
        {"decimal32(9, 2)", "d:9,2,32"},
        {"decimal64(18, -3)", "d:18,-3,64"},
        {"decimal128(10, 2)", "d:10,2"},
        {"decimal256(40, 5)", "d:40,5,256"},
        {"map<string, int64>", "+m"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reel_arrow_field f = make_field(cases[i].type);
        struct ArrowSchema schema;
        CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
        if (!CHECK_EQ_STR(schema.format, cases[i].format))
            fprintf(stderr, "    for %s\n", cases[i].type);
        CHECK_EQ_INT(schema.flags, ARROW_FLAG_NULLABLE);
        CHECK(schema.metadata == NULL);
        CHECK(schema.dictionary == NULL);
        CHECK_EQ_INT(schema.n_children, f.n_children);
        if (f.n_children == 2)
            CHECK_EQ_INT(schema.children[1]->flags,
                         f.children[1].nullable ? ARROW_FLAG_NULLABLE : 0);
        schema.release(&schema);
        CHECK(schema.release == NULL);
        reel_arrow_field_reset(&f);
    }

    /* A map's entries: a struct of key (not nullable, as pyarrow makes it) and value; the
     * keys_sorted flag. */
    reel_arrow_field f = make_field("map<string, list<item: int64>, keys_sorted>");
    struct ArrowSchema schema;
    CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
    CHECK_EQ_INT(schema.flags, ARROW_FLAG_NULLABLE | ARROW_FLAG_MAP_KEYS_SORTED);
    if (CHECK_EQ_INT(schema.n_children, 1)) {
        const struct ArrowSchema *entries = schema.children[0];
        CHECK_EQ_STR(entries->format, "+s");
        CHECK_EQ_STR(entries->name, "entries");
        CHECK_EQ_INT(entries->flags, 0);
        if (CHECK_EQ_INT(entries->n_children, 2)) {
            CHECK_EQ_STR(entries->children[0]->name, "key");
            CHECK_EQ_STR(entries->children[0]->format, "u");
            CHECK_EQ_INT(entries->children[0]->flags, 0);
            CHECK_EQ_STR(entries->children[1]->name, "value");
            CHECK_EQ_STR(entries->children[1]->format, "+l");
            CHECK_EQ_INT(entries->children[1]->flags, ARROW_FLAG_NULLABLE);
        }
    }
    schema.release(&schema);
    reel_arrow_field_reset(&f);

    /* A dictionary: the indices' format, the values in `dictionary`, the ordered flag. */
    f = make_field("dictionary<values=list<item: string>, indices=uint16, ordered=1>");
    CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
    CHECK_EQ_STR(schema.format, "S");
    CHECK_EQ_INT(schema.flags, ARROW_FLAG_NULLABLE | ARROW_FLAG_DICTIONARY_ORDERED);
    CHECK_EQ_INT(schema.n_children, 0);
    if (CHECK(schema.dictionary != NULL)) {
        CHECK_EQ_STR(schema.dictionary->format, "+l");
        CHECK_EQ_INT(schema.dictionary->n_children, 1);
        CHECK(schema.dictionary->release != NULL);
    }
    schema.release(&schema);
    reel_arrow_field_reset(&f);
}

TEST(metadata_bytes)
{
    reel_arrow_field f = make_field("struct<a: int8>");
    CHECK_OK(reel_arrow_field_set_name(&f, "top"));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, NULL, "k", "v1"));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, NULL, "empty", ""));
    struct ArrowSchema schema;
    CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
    CHECK_EQ_STR(schema.name, "top");
    CHECK_EQ_STR(schema.children[0]->name, "a");
    int32_t words[1];
    const char *m = schema.metadata;
    if (CHECK(m != NULL)) {
        memcpy(words, m, 4);
        CHECK_EQ_INT(words[0], 2);
        memcpy(words, m + 4, 4);
        CHECK_EQ_INT(words[0], 1);
        CHECK(m[8] == 'k');
        memcpy(words, m + 9, 4);
        CHECK_EQ_INT(words[0], 2);
        CHECK(memcmp(m + 13, "v1", 2) == 0);
        memcpy(words, m + 15, 4);
        CHECK_EQ_INT(words[0], 5);
        CHECK(memcmp(m + 19, "empty", 5) == 0);
        memcpy(words, m + 24, 4);
        CHECK_EQ_INT(words[0], 0);
    }
    reel_arrow_field back;
    CHECK_OK(reel_arrow_import_field(&schema, &back, NULL, NULL));
    CHECK(schema.release == NULL);
    CHECK(reel_arrow_field_type_equal(&f, &back, true));
    CHECK_EQ_STR(back.name, "top");
    CHECK_EQ_STR(reel_arrow_metadata_get(&back.metadata, "empty"), "");
    reel_arrow_field_reset(&back);
    reel_arrow_field_reset(&f);
}

TEST(fields_round_trip)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field f = make_field(pyarrow_type_strings[i]);
        CHECK_OK(reel_arrow_field_set_name(&f, "column"));
        f.nullable = i % 2 == 0;
        if (f.n_children > 0)
            CHECK_OK(reel_arrow_metadata_set(&f.children[0].metadata, NULL, "rerun:kind", "x"));
        struct ArrowSchema schema;
        reel_arrow_field back;
        reel_error err = {0};
        CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
        if (!CHECK_OK(reel_arrow_import_field(&schema, &back, NULL, &err)))
            fprintf(stderr, "    %s: %s\n", pyarrow_type_strings[i], err.message);
        CHECK(schema.release == NULL);
        if (!CHECK(reel_arrow_field_type_equal(&f, &back, true)))
            fprintf(stderr, "    %s\n", pyarrow_type_strings[i]);
        CHECK_EQ_STR(back.name, "column");
        CHECK_EQ_INT(back.nullable, f.nullable);
        reel_arrow_field_reset(&back);
        reel_arrow_field_reset(&f);
    }
}

static void round_trip_array(const reel_arrow_field *f, const reel_arrow_array *a, const char *what)
{
    struct ArrowSchema schema;
    struct ArrowArray exported;
    reel_arrow_field field_back;
    reel_arrow_array back;
    reel_error err = {0};
    CHECK_OK(reel_arrow_export_field(f, &schema, &err));
    if (!CHECK_OK(reel_arrow_export_array(f, a, &exported, &err))) {
        fprintf(stderr, "    %s: %s\n", what, err.message);
        schema.release(&schema);
        return;
    }
    CHECK_EQ_INT(exported.length, a->length);
    CHECK_OK(reel_arrow_import_field(&schema, &field_back, NULL, &err));
    if (!CHECK_OK(
            reel_arrow_import_array(&exported, &field_back, REEL_ARROW_VALIDATE_FULL, &back, &err)))
        fprintf(stderr, "    %s: %s\n", what, err.message);
    CHECK(exported.release == NULL);
    if (!CHECK(reel_arrow_array_equal(f, a, &back)))
        fprintf(stderr, "    %s differs after the round trip\n", what);
    CHECK_EQ_INT(back.null_count, a->null_count);
    reel_arrow_array_reset(&back);
    reel_arrow_field_reset(&field_back);
}

TEST(arrays_round_trip_for_every_type)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field f = make_field(pyarrow_type_strings[i]);
        reel_arrow_array a, slice;
        if (CHECK_OK(gen_array(&f, 50, 5 + (uint64_t)i, &a))) {
            round_trip_array(&f, &a, pyarrow_type_strings[i]);
            if (a.length == 50 && CHECK_OK(reel_arrow_array_slice(&slice, &f, &a, 7, 21, NULL))) {
                round_trip_array(&f, &slice, pyarrow_type_strings[i]);
                reel_arrow_array_reset(&slice);
            }
        }
        reel_arrow_array_reset(&a);
        /* Empty arrays (NULL buffers inside) export stand-ins consumers can read. */
        if (CHECK_OK(gen_array(&f, 0, 1, &a)))
            round_trip_array(&f, &a, pyarrow_type_strings[i]);
        reel_arrow_array_reset(&a);
        reel_arrow_field_reset(&f);
    }
}

TEST(record_batch_round_trip)
{
    reel_arrow_field schema =
        make_field("struct<positions: list<item: fixed_size_list<item: float not null>[3]>, "
                   "colors: list<item: uint32>, labels: list<item: string>, "
                   "clear: dense_union<_null_markers: null=0, v: int64=1>>");
    reel_arrow_array batch;
    schema.nullable = false; /* so the generator never makes a null row */
    CHECK_OK(gen_array(&schema, 120, 77, &batch));
    CHECK(batch.buffers[0].data == NULL); /* a record batch has no validity of its own */
    round_trip_array(&schema, &batch, "record batch");
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
}

TEST(exported_buffers_live_until_released_once)
{
    static const int32_t values[5] = {10, 20, 30, 40, 50};
    int released = 0;
    reel_blob *blob = reel_blob_wrap((void *)values, sizeof values, count_release, &released);
    reel_arrow_field f = make_field("int32");
    reel_arrow_array a = {.length = 5,
                          .n_buffers = 2,
                          .buffers = {{NULL, 0, NULL}, {reel_blob_data(blob), 20, blob}}};
    struct ArrowArray exported;
    CHECK_OK(reel_arrow_export_array(&f, &a, &exported, NULL));
    reel_arrow_array_reset(&a); /* the producer's own array goes first */
    CHECK_EQ_INT(released, 0);

    reel_arrow_array imported, slice, copy;
    CHECK_OK(reel_arrow_import_array(&exported, &f, REEL_ARROW_VALIDATE_FULL, &imported, NULL));
    CHECK_OK(reel_arrow_array_slice(&slice, &f, &imported, 3, 2, NULL));
    CHECK_OK(reel_arrow_array_share(&copy, &imported));
    reel_arrow_array_reset(&imported);
    reel_arrow_array_reset(&copy);
    CHECK_EQ_INT(released, 0);
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &slice, 1), 50);
    reel_arrow_array_reset(&slice);
    CHECK_EQ_INT(released, 1);
    reel_arrow_field_reset(&f);
}

TEST(imported_producer_released_exactly_once)
{
    static const int32_t offsets[] = {0, 1, 3};
    static const char data[] = "abc";
    static const uint8_t validity = 0x01;
    const void *buffers[3] = {&validity, offsets, data};
    reel_arrow_field f = make_field("string");

    /* Valid input: released when the last array using it is reset. */
    array_releases = 0;
    struct ArrowArray in = {.length = 2,
                            .null_count = -1,
                            .n_buffers = 3,
                            .buffers = buffers,
                            .release = counted_array_release};
    reel_arrow_array out, kept;
    CHECK_OK(reel_arrow_import_array(&in, &f, REEL_ARROW_VALIDATE_FULL, &out, NULL));
    CHECK(in.release == NULL);
    CHECK_EQ_INT(out.null_count, 1); /* computed from the bitmap */
    CHECK_EQ_INT(out.buffers[2].size, 3);
    CHECK_OK(reel_arrow_array_share(&kept, &out));
    reel_arrow_array_reset(&out);
    CHECK_EQ_INT(array_releases, 0);
    reel_arrow_array_reset(&kept);
    CHECK_EQ_INT(array_releases, 1);

    /* Invalid input: refused, and still released once. */
    static const int32_t bad_offsets[] = {0, 3, 1};
    buffers[1] = bad_offsets;
    in = (struct ArrowArray){.length = 2,
                             .null_count = -1,
                             .n_buffers = 3,
                             .buffers = buffers,
                             .release = counted_array_release};
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_import_array(&in, &f, REEL_ARROW_VALIDATE_FULL, &out, &err),
                 REEL_CORRUPT);
    if (!CHECK(strstr(err.message, "offset 2 (1) is less than offset 1 (3)") != NULL))
        fprintf(stderr, "    got %s\n", err.message);
    CHECK_EQ_INT(array_releases, 2);
    CHECK(out.n_buffers == 0 && out.buffers[1].owner == NULL);

    /* Structurally wrong input: refused before looking at buffers, released once. */
    in = (struct ArrowArray){
        .length = 2, .n_buffers = 2, .buffers = buffers, .release = counted_array_release};
    CHECK_EQ_INT(reel_arrow_import_array(&in, &f, REEL_ARROW_VALIDATE_FULL, &out, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "wrong number of buffers (2)") != NULL);
    CHECK_EQ_INT(array_releases, 3);

    /* Already released input is refused and not released again. */
    CHECK_EQ_INT(reel_arrow_import_array(&in, &f, REEL_ARROW_VALIDATE_FULL, &out, NULL),
                 REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(array_releases, 3);
    reel_arrow_field_reset(&f);

    /* An array without buffers holds nothing: the producer goes at once. */
    f = make_field("null");
    in = (struct ArrowArray){.length = 4, .null_count = -1, .release = counted_array_release};
    CHECK_OK(reel_arrow_import_array(&in, &f, REEL_ARROW_VALIDATE_FULL, &out, NULL));
    CHECK_EQ_INT(array_releases, 4);
    CHECK_EQ_INT(out.null_count, 4);
    reel_arrow_array_reset(&out);
    reel_arrow_field_reset(&f);
}

TEST(consumers_may_move_children)
{
    reel_arrow_field f = make_field("struct<a: list<item: int32>, b: string>");
    reel_arrow_array a;
    CHECK_OK(gen_array(&f, 10, 3, &a));

    struct ArrowSchema schema, moved_schema;
    CHECK_OK(reel_arrow_export_field(&f, &schema, NULL));
    moved_schema = *schema.children[0];
    schema.children[0]->release = NULL;
    schema.release(&schema);
    CHECK_EQ_STR(moved_schema.format, "+l");
    CHECK_EQ_STR(moved_schema.children[0]->format, "i");
    moved_schema.release(&moved_schema);

    struct ArrowArray array, moved;
    CHECK_OK(reel_arrow_export_array(&f, &a, &array, NULL));
    reel_arrow_array_reset(&a);
    moved = *array.children[1];
    array.children[1]->release = NULL;
    array.release(&array);
    reel_arrow_array strings;
    CHECK_OK(
        reel_arrow_import_array(&moved, &f.children[1], REEL_ARROW_VALIDATE_FULL, &strings, NULL));
    CHECK_EQ_INT(strings.length, 10);
    reel_arrow_array_reset(&strings);
    reel_arrow_field_reset(&f);
}

static void check_schema_refused(const char *format, int64_t n_children, reel_status want,
                                 const char *want_in_message)
{
    struct ArrowSchema child = {.format = "i", .release = counted_schema_release};
    struct ArrowSchema *children[1] = {&child};
    struct ArrowSchema in = {.format = format,
                             .name = "col",
                             .n_children = n_children,
                             .children = n_children ? children : NULL,
                             .release = counted_schema_release};
    reel_arrow_field out;
    reel_error err = {0};
    schema_releases = 0;
    CHECK_EQ_INT(reel_arrow_import_field(&in, &out, NULL, &err), want);
    CHECK_EQ_INT(schema_releases, 1);
    CHECK(in.release == NULL);
    CHECK_EQ_INT(out.type, REEL_ARROW_NULL_TYPE);
    if (!CHECK(strstr(err.message, want_in_message) != NULL))
        fprintf(stderr, "    '%s' gave '%s'\n", format, err.message);
    reel_arrow_field_reset(&out);
}

TEST(unsupported_and_malformed_schemas)
{
    check_schema_refused("d:10", 0, REEL_INVALID_ARGUMENT, "malformed format 'd:10'");
    check_schema_refused("d:10,2,16", 0, REEL_INVALID_ARGUMENT, "malformed format 'd:10,2,16'");
    check_schema_refused("d:10,2,", 0, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("d:10,2x", 0, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("d:39,2", 0, REEL_INVALID_ARGUMENT, "decimal128 precision must be 1..38");
    check_schema_refused("d:10,2,32", 0, REEL_INVALID_ARGUMENT, "decimal32 precision must be 1..9");
    check_schema_refused("d:10,200", 0, REEL_INVALID_ARGUMENT, "scale must be -128..127");
    check_schema_refused("+m", 1, REEL_INVALID_ARGUMENT, "a map's child must be a struct");
    check_schema_refused("+m", 0, REEL_INVALID_ARGUMENT, "map must have 1 child field(s)");
    check_schema_refused("vu", 0, REEL_UNSUPPORTED, "'vu'");
    check_schema_refused("vz", 0, REEL_UNSUPPORTED, "'vz'");
    check_schema_refused("+vl", 1, REEL_UNSUPPORTED, "'+vl'");
    check_schema_refused("+r", 0, REEL_UNSUPPORTED, "'+r'");
    check_schema_refused("tiM", 0, REEL_UNSUPPORTED, "'tiM'");
    check_schema_refused("", 0, REEL_UNSUPPORTED, "''");
    check_schema_refused("w:", 0, REEL_INVALID_ARGUMENT, "malformed format 'w:'");
    check_schema_refused("w:0", 0, REEL_INVALID_ARGUMENT, "malformed format 'w:0'");
    check_schema_refused("w:12x", 0, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("+w:99999999999", 1, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("+ud:1,2", 1, REEL_INVALID_ARGUMENT, "malformed format '+ud:1,2'");
    check_schema_refused("+ud:1,", 1, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("+ud:200", 1, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("+ud:-1", 1, REEL_INVALID_ARGUMENT, "malformed");
    check_schema_refused("tsx:", 0, REEL_UNSUPPORTED, "unsupported");
    check_schema_refused("tt", 0, REEL_UNSUPPORTED, "unsupported");
    /* Layout rules checked after parsing: a list needs one child. */
    check_schema_refused("+l", 0, REEL_INVALID_ARGUMENT, "list must have 1 child field(s)");
    /* Child errors name the child. */
    struct ArrowSchema bad_child = {
        .format = "vu", .name = "label", .release = counted_schema_release};
    struct ArrowSchema *children[1] = {&bad_child};
    struct ArrowSchema in = {
        .format = "+s", .n_children = 1, .children = children, .release = counted_schema_release};
    reel_arrow_field out;
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_import_field(&in, &out, NULL, &err), REEL_UNSUPPORTED);
    CHECK_EQ_STR(err.message, "column 'label': unsupported format 'vu'");
    reel_arrow_field_reset(&out);

    /* Dictionaries: the format is the indices' (an integer type), the values come from
     * `dictionary`, whose errors are named as the dictionary's. */
    struct ArrowSchema dictionary = {.format = "u", .release = counted_schema_release};
    in = (struct ArrowSchema){.format = "i",
                              .name = "d",
                              .flags = ARROW_FLAG_DICTIONARY_ORDERED,
                              .dictionary = &dictionary,
                              .release = counted_schema_release};
    CHECK_OK(reel_arrow_import_field(&in, &out, NULL, &err));
    CHECK_EQ_INT(out.type, REEL_ARROW_DICTIONARY);
    CHECK_EQ_INT(out.index_type, REEL_ARROW_INT32);
    CHECK(out.dictionary_ordered);
    CHECK(!out.nullable);
    CHECK_EQ_STR(out.name, "d");
    if (CHECK(out.dictionary != NULL))
        CHECK_EQ_INT(out.dictionary->type, REEL_ARROW_UTF8);
    reel_arrow_field_reset(&out);

    in = (struct ArrowSchema){
        .format = "u", .name = "d", .dictionary = &dictionary, .release = counted_schema_release};
    CHECK_EQ_INT(reel_arrow_import_field(&in, &out, NULL, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "indices must be of an integer type without children, not 'u'") !=
          NULL);
    reel_arrow_field_reset(&out);
    dictionary.format = "vu";
    in = (struct ArrowSchema){
        .format = "c", .name = "d", .dictionary = &dictionary, .release = counted_schema_release};
    CHECK_EQ_INT(reel_arrow_import_field(&in, &out, NULL, &err), REEL_UNSUPPORTED);
    CHECK_EQ_STR(err.message, "dictionary: unsupported format 'vu'");
    reel_arrow_field_reset(&out);
}

int main(void)
{
    RUN(format_strings);
    RUN(metadata_bytes);
    RUN(fields_round_trip);
    RUN(arrays_round_trip_for_every_type);
    RUN(record_batch_round_trip);
    RUN(exported_buffers_live_until_released_once);
    RUN(imported_producer_released_exactly_once);
    RUN(consumers_may_move_children);
    RUN(unsupported_and_malformed_schemas);
    TEST_MAIN_END();
}
