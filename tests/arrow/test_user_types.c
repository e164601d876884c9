/* Maps, decimals and dictionaries outside IPC (test_ipc_dictionary.c has those): fields
 * (defaults, set_dictionary, copies, equality, validation), decimal text both ways at every
 * width, JSON values and logical nulls, equality and slices of dictionary arrays, validation
 * of dictionary indices and map keys, and the builders (append_array's dictionary memo and
 * index rebasing included). */
#include "arrow_testing.h"
#include "ipc_test_util.h"

static const char *format_of(const reel_arrow_field *field, reel_buf *out)
{
    reel_buf_clear(out);
    if (reel_arrow_type_format(field, out) != REEL_OK || reel_buf_append_u8(out, 0) != REEL_OK)
        return "<failed>";
    return (const char *)out->data;
}

static void expect_invalid_field(const reel_arrow_field *f, const char *want)
{
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_field_validate(f, &err), REEL_INVALID_ARGUMENT);
    if (!CHECK(strstr(err.message, want) != NULL))
        fprintf(stderr, "    got '%s'\n    want '%s'\n", err.message, want);
}

TEST(fields)
{
    reel_buf out = {0};
    reel_arrow_field f, *value, *child;
    CHECK_OK(reel_arrow_field_init(&f, "price", REEL_ARROW_DECIMAL128, true, NULL));
    CHECK_EQ_INT(f.precision, 38);
    CHECK_EQ_INT(f.scale, 0);
    CHECK_EQ_STR(format_of(&f, &out), "decimal128(38, 0)");
    CHECK_EQ_INT(reel_arrow_fixed_width(&f), 16);
    f.precision = 39;
    expect_invalid_field(&f, "column 'price': decimal128 precision must be 1..38, is 39");
    f.precision = 5;
    f.scale = 128;
    expect_invalid_field(&f, "decimal scale must be -128..127, is 128");
    f.scale = -128;
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    reel_arrow_field_reset(&f);
    static const int32_t widths[] = {4, 8, 16, 32};
    for (int t = REEL_ARROW_DECIMAL32; t <= REEL_ARROW_DECIMAL256; t++) {
        CHECK_OK(reel_arrow_field_init(&f, NULL, (reel_arrow_type)t, true, NULL));
        CHECK_EQ_INT(reel_arrow_fixed_width(&f), widths[t - REEL_ARROW_DECIMAL32]);
        CHECK_EQ_INT(reel_arrow_type_buffer_count((reel_arrow_type)t), 2);
        CHECK_OK(reel_arrow_field_validate(&f, NULL));
        reel_arrow_field_reset(&f);
    }

    /* A dictionary: INT32 indices by default, a value type to set; the column keeps its name,
     * nullability and metadata, the old type's children go. */
    CHECK_OK(reel_arrow_field_init(&f, "label", REEL_ARROW_DICTIONARY, false, NULL));
    CHECK_EQ_INT(f.index_type, REEL_ARROW_INT32);
    expect_invalid_field(&f, "column 'label': a dictionary without a value type");
    CHECK_EQ_INT(reel_arrow_field_add_child(&f, "x", REEL_ARROW_INT8, true, NULL),
                 REEL_INVALID_ARGUMENT);
    reel_arrow_field_reset(&f);
    CHECK_OK(reel_arrow_field_init(&f, "label", REEL_ARROW_LIST, false, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "item", REEL_ARROW_INT8, true, NULL));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, NULL, "k", "v"));
    CHECK_EQ_INT(reel_arrow_field_set_dictionary(&f, REEL_ARROW_FLOAT32, REEL_ARROW_UTF8, NULL),
                 REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_field_set_dictionary(&f, REEL_ARROW_UINT16, REEL_ARROW_LIST, &value));
    CHECK_OK(reel_arrow_field_add_child(value, "item", REEL_ARROW_UTF8, true, NULL));
    CHECK_EQ_INT(f.type, REEL_ARROW_DICTIONARY);
    CHECK_EQ_STR(f.name, "label");
    CHECK(!f.nullable);
    CHECK_EQ_STR(reel_arrow_metadata_get(&f.metadata, "k"), "v");
    CHECK_EQ_INT(f.n_children, 0);
    CHECK_EQ_INT(reel_arrow_fixed_width(&f), -1);
    CHECK_EQ_INT(reel_arrow_type_buffer_count(f.type), 2);
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    CHECK_EQ_STR(format_of(&f, &out),
                 "dictionary<values=list<item: string>, indices=uint16, ordered=0>");
    reel_arrow_field copy;
    CHECK_OK(reel_arrow_field_copy(&copy, &f, NULL));
    CHECK(copy.dictionary != NULL && copy.dictionary != f.dictionary);
    CHECK(reel_arrow_field_type_equal(&f, &copy, true));
    CHECK_OK(reel_arrow_field_set_name(copy.dictionary, "values have no name that counts"));
    copy.dictionary->nullable = false;
    CHECK(reel_arrow_field_type_equal(&f, &copy, true));
    copy.dictionary_ordered = true;
    CHECK(!reel_arrow_field_type_equal(&f, &copy, false));
    copy.dictionary_ordered = false;
    copy.index_type = REEL_ARROW_INT16;
    CHECK(!reel_arrow_field_type_equal(&f, &copy, false));
    copy.index_type = REEL_ARROW_UINT16;
    copy.dictionary->children[0].type = REEL_ARROW_LARGE_UTF8;
    CHECK(!reel_arrow_field_type_equal(&f, &copy, false));
    reel_arrow_field_reset(&copy);
    /* Errors inside the value type are named as the dictionary's. */
    f.dictionary->n_children = 0;
    expect_invalid_field(&f, "column 'label' dictionary: list must have 1 child field(s), has 0");
    f.dictionary->n_children = 1;
    f.index_type = REEL_ARROW_FLOAT64;
    expect_invalid_field(&f, "dictionary indices must be an integer type, not double");
    f.index_type = REEL_ARROW_UINT16;
    f.type = REEL_ARROW_INT16;
    expect_invalid_field(&f, "only dictionaries have a value type");
    f.type = REEL_ARROW_DICTIONARY;
    reel_arrow_field_reset(&f);

    /* Maps: one child, a struct of key and value. */
    CHECK_OK(reel_arrow_field_init(&f, "m", REEL_ARROW_MAP, true, NULL));
    expect_invalid_field(&f, "map must have 1 child field(s), has 0");
    CHECK_OK(reel_arrow_field_add_child(&f, "entries", REEL_ARROW_LIST, false, &child));
    expect_invalid_field(&f, "a map's child must be a struct of key and value, not a list");
    child->type = REEL_ARROW_STRUCT;
    CHECK_OK(reel_arrow_field_add_child(child, "key", REEL_ARROW_UTF8, false, NULL));
    expect_invalid_field(&f, "not a struct with 1 children");
    CHECK_OK(reel_arrow_field_add_child(child, "value", REEL_ARROW_INT64, true, NULL));
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    CHECK_EQ_STR(format_of(&f, &out), "map<string, int64>");
    reel_arrow_field other = make_field("map<string, int64>");
    CHECK(reel_arrow_field_type_equal(&f, &other, true));
    other.keys_sorted = true;
    CHECK(!reel_arrow_field_type_equal(&f, &other, true));
    CHECK_EQ_STR(format_of(&other, &out), "map<string, int64, keys_sorted>");
    /* Names other than pyarrow's are printed as pyarrow prints them. */
    CHECK_OK(reel_arrow_field_set_name(&other.children[0], "pairs"));
    CHECK_OK(reel_arrow_field_set_name(&other.children[0].children[1], "v"));
    CHECK_EQ_STR(format_of(&other, &out), "map<string, int64 ('v'), keys_sorted ('pairs')>");
    reel_arrow_field back = make_field((const char *)out.data);
    CHECK(reel_arrow_field_type_equal(&other, &back, true));
    reel_arrow_field_reset(&back);
    reel_arrow_field_reset(&other);
    reel_arrow_field_reset(&f);
    reel_buf_free(&out);
}

/* The field's stored integer for `text`, formatted back. */
static const char *decimal_round_trip(const char *type, const char *text, reel_buf *out)
{
    reel_arrow_field f = make_field(type);
    uint8_t bytes[32];
    reel_error err = {0};
    reel_buf_clear(out);
    if (!CHECK_OK(reel_arrow_decimal_parse(&f, text, strlen(text), bytes, &err))) {
        fprintf(stderr, "    %s %s: %s\n", type, text, err.message);
        reel_arrow_field_reset(&f);
        return "<failed>";
    }
    CHECK_OK(reel_arrow_decimal_format(&f, bytes, out));
    reel_buf_append_u8(out, 0);
    reel_arrow_field_reset(&f);
    return (const char *)out->data;
}

static void expect_parse_error(const char *type, const char *text, reel_status want,
                               const char *want_in_message)
{
    reel_arrow_field f = make_field(type);
    uint8_t bytes[32];
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_decimal_parse(&f, text, strlen(text), bytes, &err), want);
    if (!CHECK(strstr(err.message, want_in_message) != NULL))
        fprintf(stderr, "    '%s' as %s gave '%s'\n", text, type, err.message);
    reel_arrow_field_reset(&f);
}

TEST(decimal_text)
{
    reel_buf out = {0};
    /* Formatting of stored integers. */
    reel_arrow_field f = make_field("decimal128(10, 2)");
    int64_t stored[] = {12345, -5, 0, 100, -100000};
    const char *want[] = {"123.45", "-0.05", "0.00", "1.00", "-1000.00"};
    for (int i = 0; i < 5; i++) {
        uint8_t bytes[16];
        memset(bytes, stored[i] < 0 ? 0xff : 0, sizeof bytes);
        memcpy(bytes, &stored[i], 8);
        reel_buf_clear(&out);
        CHECK_OK(reel_arrow_decimal_format(&f, bytes, &out));
        CHECK_OK(reel_buf_append_u8(&out, 0));
        CHECK_EQ_STR((const char *)out.data, want[i]);
    }
    reel_arrow_field_reset(&f);

    /* Extremes of every width, scales of every sign. */
    uint8_t min256[32] = {0}, max256[32];
    min256[31] = 0x80;
    memset(max256, 0xff, 32);
    max256[31] = 0x7f;
    f = make_field("decimal256(76, 0)");
    reel_buf_clear(&out);
    CHECK_OK(reel_arrow_decimal_format(&f, min256, &out));
    reel_buf_append_u8(&out, 0);
    CHECK_EQ_STR((const char *)out.data,
                 "-57896044618658097711785492504343953926634992332820282019728792003956564819968");
    reel_buf_clear(&out);
    f.scale = -3;
    CHECK_OK(reel_arrow_decimal_format(&f, max256, &out));
    reel_buf_append_u8(&out, 0);
    CHECK_EQ_STR(
        (const char *)out.data,
        "57896044618658097711785492504343953926634992332820282019728792003956564819967000");
    reel_arrow_field_reset(&f);
    f = make_field("decimal128(38, 38)");
    reel_buf_clear(&out);
    CHECK_OK(reel_arrow_decimal_format(&f, min256 + 16, &out));
    reel_buf_append_u8(&out, 0);
    CHECK_EQ_STR((const char *)out.data, "-1.70141183460469231731687303715884105728");
    reel_arrow_field_reset(&f);

    CHECK_EQ_STR(decimal_round_trip("decimal32(9, 9)", "0.000000001", &out), "0.000000001");
    CHECK_EQ_STR(decimal_round_trip("decimal32(9, 2)", "-9999999.99", &out), "-9999999.99");
    CHECK_EQ_STR(decimal_round_trip("decimal64(18, 3)", "+1.5", &out), "1.500");
    CHECK_EQ_STR(decimal_round_trip("decimal64(18, 3)", ".5", &out), "0.500");
    CHECK_EQ_STR(decimal_round_trip("decimal64(18, 3)", "7.", &out), "7.000");
    CHECK_EQ_STR(decimal_round_trip("decimal64(18, 3)", "-0", &out), "0.000");
    CHECK_EQ_STR(decimal_round_trip("decimal128(5, 2)", "1.2300", &out), "1.23");
    CHECK_EQ_STR(decimal_round_trip("decimal128(5, -3)", "12000", &out), "12000");
    CHECK_EQ_STR(decimal_round_trip("decimal128(5, -3)", "-12000.000", &out), "-12000");
    CHECK_EQ_STR(decimal_round_trip("decimal128(5, -3)", "0", &out), "0");
    CHECK_EQ_STR(decimal_round_trip("decimal128(5, -3)", "000", &out), "0");
    CHECK_EQ_STR(
        decimal_round_trip("decimal128(38, 0)", "99999999999999999999999999999999999999", &out),
        "99999999999999999999999999999999999999");
    CHECK_EQ_STR(decimal_round_trip("decimal256(76, 1)",
                                    "-999999999999999999999999999999999999999999999999999999999999"
                                    "999999999999999.9",
                                    &out),
                 "-999999999999999999999999999999999999999999999999999999999999999999999999999.9");

    expect_parse_error("decimal128(10, 2)", "1.234", REEL_INVALID_ARGUMENT,
                       "more digits after the point than the scale 2");
    expect_parse_error("decimal128(10, -2)", "1250", REEL_INVALID_ARGUMENT,
                       "is not a multiple of 1e2 (scale -2)");
    expect_parse_error("decimal128(10, -2)", "1.5", REEL_INVALID_ARGUMENT, "more digits after");
    expect_parse_error("decimal128(10, 2)", "123456789.01", REEL_LIMIT,
                       "has more than 10 digits (precision)");
    expect_parse_error("decimal32(3, 0)", "-1000", REEL_LIMIT, "more than 3 digits");
    static const char *const garbage[] = {"", "-", ".", "+.", "1.2.3", "1e5", " 1", "0x10", "--1"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
        expect_parse_error("decimal64(18, 2)", garbage[i], REEL_INVALID_ARGUMENT,
                           "is not a number");

    /* Random digit strings survive parse and format at every width and scale. */
    test_rng r = {7};
    static const char *const types[] = {"decimal32(9, 4)", "decimal64(18, -7)",
                                        "decimal128(38, 20)", "decimal256(76, 38)",
                                        "decimal256(76, 0)"};
    for (int iter = 0; iter < 2000; iter++) {
        const char *type = types[iter % 5];
        reel_arrow_field d = make_field(type);
        char text[100];
        size_t len = 0;
        if (rng_below(&r, 2))
            text[len++] = '-';
        int digits = 1 + rng_below(&r, d.precision);
        text[len++] = (char)('1' + rng_below(&r, 9));
        for (int k = 1; k < digits; k++)
            text[len++] = (char)('0' + rng_below(&r, 10));
        /* As a stored integer (scale 0), then shown with the field's scale. */
        reel_arrow_field unscaled = d;
        unscaled.scale = 0;
        uint8_t bytes[32];
        reel_buf shown = {0};
        CHECK_OK(reel_arrow_decimal_parse(&unscaled, text, len, bytes, NULL));
        CHECK_OK(reel_arrow_decimal_format(&d, bytes, &shown));
        uint8_t again[32];
        if (!CHECK_OK(
                reel_arrow_decimal_parse(&d, (const char *)shown.data, shown.len, again, NULL)) ||
            !CHECK_EQ_MEM(again, bytes, (size_t)reel_arrow_fixed_width(&d)))
            fprintf(stderr, "    %s: %.*s -> %.*s\n", type, (int)len, text, (int)shown.len,
                    (const char *)shown.data);
        reel_buf_free(&shown);
        reel_arrow_field_reset(&d);
    }
    reel_buf_free(&out);
}

/* Builds `type` from elements appended by `fill`. */
static void build(const char *type, void (*fill)(reel_arrow_builder *), reel_arrow_field *f,
                  reel_arrow_array *out)
{
    reel_arrow_builder *b = NULL;
    reel_error err = {0};
    *f = make_field(type);
    CHECK_OK(reel_arrow_builder_create(f, NULL, &b, NULL));
    fill(b);
    if (!CHECK_OK(reel_arrow_builder_finish(b, out, &err)))
        fprintf(stderr, "    finish: %s\n", err.message);
    if (!CHECK_OK(reel_arrow_array_validate(f, out, REEL_ARROW_VALIDATE_FULL, &err)))
        fprintf(stderr, "    validate: %s\n", err.message);
    reel_arrow_builder_destroy(b);
}

/* [{"a": 1, "b": null}], null, [] */
static void fill_map(reel_arrow_builder *b)
{
    reel_arrow_builder *entries = reel_arrow_builder_child(b, 0);
    reel_arrow_builder *keys = reel_arrow_builder_child(entries, 0);
    reel_arrow_builder *values = reel_arrow_builder_child(entries, 1);
    CHECK_OK(reel_arrow_builder_append_bytes(keys, "a", 1));
    CHECK_OK(reel_arrow_builder_append_int(values, 1));
    CHECK_OK(reel_arrow_builder_finish_element(entries));
    CHECK_OK(reel_arrow_builder_append_bytes(keys, "b", 1));
    CHECK_OK(reel_arrow_builder_append_null(values, 1));
    CHECK_OK(reel_arrow_builder_finish_element(entries));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_finish_element(b));
}

/* Values ["x", null, "y"]; indices 2, 1, null, 0. */
static void fill_dictionary(reel_arrow_builder *b)
{
    reel_arrow_builder *values = reel_arrow_builder_child(b, 0);
    CHECK_OK(reel_arrow_builder_append_bytes(values, "x", 1));
    CHECK_OK(reel_arrow_builder_append_null(values, 1));
    CHECK_OK(reel_arrow_builder_append_bytes(values, "y", 1));
    int8_t first[2] = {2, 1};
    CHECK_OK(reel_arrow_builder_append_values(b, first, 2));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_append_int(b, 0));
}

/* The same decoded values with another dictionary: ["y", "x"], indices 0, (null), null, 1. */
static void fill_other_dictionary(reel_arrow_builder *b)
{
    reel_arrow_builder *values = reel_arrow_builder_child(b, 0);
    CHECK_OK(reel_arrow_builder_append_bytes(values, "y", 1));
    CHECK_OK(reel_arrow_builder_append_bytes(values, "x", 1));
    CHECK_OK(reel_arrow_builder_append_int(b, 0));
    CHECK_OK(reel_arrow_builder_append_null(b, 2));
    CHECK_OK(reel_arrow_builder_append_int(b, 1));
}

static void fill_decimal(reel_arrow_builder *b)
{
    CHECK_OK(reel_arrow_builder_append_int(b, -5));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_append_int(b, 99999));
    CHECK_EQ_INT(reel_arrow_builder_append_int(b, 100000), REEL_LIMIT); /* precision 5 */
    CHECK_EQ_INT(reel_arrow_builder_append_int(b, -100000), REEL_LIMIT);
    CHECK_EQ_INT(reel_arrow_builder_append_uint(b, 1), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_arrow_builder_append_bytes(b, "abc", 3), REEL_INVALID_ARGUMENT);
    uint8_t raw[32] = {0x39, 0x30}; /* 12345, little-endian */
    CHECK_OK(reel_arrow_builder_append_bytes(b, raw, 32));
    CHECK_OK(reel_arrow_builder_append_values(b, raw, 1));
}

TEST(values_nulls_and_equality)
{
    reel_buf json = {0};
    reel_arrow_field f, g;
    reel_arrow_array a, other, slice;

    build("map<string, int64>", fill_map, &f, &a);
    CHECK_EQ_STR(json_of(&f, &a, 0, &json),
                 "[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":null}]");
    CHECK_EQ_STR(json_of(&f, &a, 1, &json), "null");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "[]");
    int64_t start, end;
    reel_arrow_array_get_list_range(&f, &a, 0, &start, &end);
    CHECK(start == 0 && end == 2);
    CHECK_OK(reel_arrow_array_slice(&slice, &f, &a, 1, 2, NULL));
    CHECK_EQ_INT(slice.null_count, 1);
    CHECK_EQ_STR(json_of(&f, &slice, 1, &json), "[]");
    reel_arrow_array_reset(&slice);
    reel_arrow_array_reset(&a);
    reel_arrow_field_reset(&f);

    build("decimal256(5, 2)", fill_decimal, &f, &a);
    CHECK_EQ_STR(json_of(&f, &a, 0, &json), "\"-0.05\"");
    CHECK_EQ_STR(json_of(&f, &a, 1, &json), "null");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "\"999.99\"");
    CHECK_EQ_STR(json_of(&f, &a, 4, &json), "\"123.45\"");
    reel_span bytes = reel_arrow_array_get_bytes(&f, &a, 3);
    CHECK(bytes.len == 32 && bytes.data[0] == 0x39 && bytes.data[1] == 0x30);
    reel_arrow_array_reset(&a);
    reel_arrow_field_reset(&f);

    /* Dictionary elements are the values they index; an index to a null value is a
     * (logical) null, but only the indices' nulls count in null_count. */
    build("dictionary<values=string, indices=int8, ordered=0>", fill_dictionary, &f, &a);
    const char *want[] = {"\"y\"", "null", "null", "\"x\""};
    const bool want_null[] = {false, true, true, false};
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_STR(json_of(&f, &a, i, &json), want[i]);
        CHECK_EQ_INT(reel_arrow_array_is_null(&f, &a, i), want_null[i]);
    }
    CHECK_EQ_INT(a.null_count, 1);
    CHECK_EQ_INT(reel_arrow_array_get_dictionary_index(&f, &a, 0), 2);
    CHECK_EQ_INT(reel_arrow_array_get_dictionary_index(&f, &a, 3), 0);
    build("dictionary<values=string, indices=int8, ordered=0>", fill_other_dictionary, &g, &other);
    CHECK(reel_arrow_array_equal(&f, &a, &other));
    /* A slice shares the whole dictionary; slices compare by value too. */
    CHECK_OK(reel_arrow_array_slice(&slice, &f, &a, 3, 1, NULL));
    CHECK(slice.dictionary != NULL && slice.dictionary->length == 3);
    CHECK(slice.dictionary->buffers[2].data == a.dictionary->buffers[2].data);
    CHECK_EQ_INT(slice.null_count, 0);
    CHECK_EQ_STR(json_of(&f, &slice, 0, &json), "\"x\"");
    reel_arrow_array other_slice;
    CHECK_OK(reel_arrow_array_slice(&other_slice, &f, &other, 3, 1, NULL));
    CHECK(reel_arrow_array_equal(&f, &slice, &other_slice));
    reel_arrow_array_reset(&other_slice);
    CHECK_OK(reel_arrow_array_slice(&other_slice, &f, &other, 0, 1, NULL));
    CHECK(!reel_arrow_array_equal(&f, &slice, &other_slice)); /* "x" vs "y" */
    reel_arrow_array_reset(&other_slice);
    /* Shares keep the dictionary alive on their own. */
    reel_arrow_array shared;
    CHECK_OK(reel_arrow_array_share(&shared, &slice));
    reel_arrow_array_reset(&slice);
    reel_arrow_array_reset(&a);
    CHECK_EQ_STR(json_of(&f, &shared, 0, &json), "\"x\"");
    reel_arrow_array_reset(&shared);
    reel_arrow_array_reset(&other);
    reel_arrow_field_reset(&g);
    reel_arrow_field_reset(&f);
    reel_buf_free(&json);
}

static void expect_corrupt(const reel_arrow_field *f, const reel_arrow_array *a, const char *want)
{
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_array_validate(f, a, REEL_ARROW_VALIDATE_FULL, &err), REEL_CORRUPT);
    if (!CHECK(strstr(err.message, want) != NULL))
        fprintf(stderr, "    got '%s'\n    want '%s'\n", err.message, want);
}

TEST(validation)
{
    /* Dictionary indices: checked at FULL for non-null elements only. */
    reel_arrow_field f =
        make_field("struct<d: dictionary<values=string, indices=int16, ordered=0>>");
    static const char *const words[] = {"a", "b", "c"};
    reel_arrow_array column, batch;
    int16_t indices[4] = {0, 3, 2, -1};
    tu_fixed(&column, 4, "1110", indices, 2); /* the -1 is under a null */
    column.dictionary = reel_alloc_zeroed(NULL, sizeof *column.dictionary);
    tu_var(column.dictionary, words, 3, false, 0);
    tu_batch(&batch, 4, &column, 1);
    CHECK_OK(reel_arrow_array_validate(&f, &batch, REEL_ARROW_VALIDATE_DEFAULT, NULL));
    expect_corrupt(&f, &batch,
                   "column 'd': element 1: index 3 is outside the dictionary's 3 values");
    memcpy((uint8_t *)batch.children[0].buffers[1].data + 2, &(int16_t){-2}, 2);
    expect_corrupt(&f, &batch, "element 1: index -2 is outside");
    memcpy((uint8_t *)batch.children[0].buffers[1].data + 2, &(int16_t){1}, 2);
    CHECK_OK(reel_arrow_array_validate(&f, &batch, REEL_ARROW_VALIDATE_FULL, NULL));
    /* The values are validated like any array, named as the dictionary's. */
    ((uint8_t *)batch.children[0].dictionary->buffers[2].data)[1] = 0xff;
    expect_corrupt(&f, &batch, "column 'd' dictionary: element 1 is not valid UTF-8");
    ((uint8_t *)batch.children[0].dictionary->buffers[2].data)[1] = 'b';
    reel_arrow_array *values = batch.children[0].dictionary;
    batch.children[0].dictionary = NULL;
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_array_validate(&f, &batch, REEL_ARROW_VALIDATE_DEFAULT, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "dictionary array without its dictionary") != NULL);
    batch.children[0].dictionary = values;
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&f);

    /* A huge unsigned index is reported as what it is. */
    f = make_field("struct<d: dictionary<values=string, indices=uint64, ordered=0>>");
    uint64_t huge[1] = {UINT64_MAX};
    tu_fixed(&column, 1, NULL, huge, 8);
    column.dictionary = reel_alloc_zeroed(NULL, sizeof *column.dictionary);
    tu_var(column.dictionary, words, 3, false, 0);
    tu_batch(&batch, 1, &column, 1);
    expect_corrupt(&f, &batch, "index 18446744073709551615 is outside the dictionary's 3 values");
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&f);

    /* A dictionary on an array of another type. */
    f = make_field("struct<i: int8>");
    int8_t small[1] = {1};
    tu_fixed(&column, 1, NULL, small, 1);
    column.dictionary = reel_alloc_zeroed(NULL, sizeof *column.dictionary);
    tu_batch(&batch, 1, &column, 1);
    CHECK_EQ_INT(reel_arrow_array_validate(&f, &batch, REEL_ARROW_VALIDATE_DEFAULT, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "int8 array has a dictionary") != NULL);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&f);

    /* Maps: no null entry or key among the entries the maps use (FULL). */
    f = make_field("struct<m: map<string, int8>>");
    static const char *const keys[] = {"a", NULL, "c", NULL};
    int8_t vals[4] = {1, 2, 3, 4};
    reel_arrow_array entry_children[2], entries;
    tu_var(&entry_children[0], keys, 4, false, 0);
    tu_fixed(&entry_children[1], 4, NULL, vals, 1);
    tu_struct(&entries, 4, "1101", entry_children, 2);
    int64_t offsets[3] = {0, 1, 3};
    tu_list(&column, 2, NULL, offsets, false, &entries);
    tu_batch(&batch, 2, &column, 1);
    CHECK_OK(reel_arrow_array_validate(&f, &batch, REEL_ARROW_VALIDATE_DEFAULT, NULL));
    expect_corrupt(&f, &batch, "column 'm': the key of map entry 1 is null");
    reel_arrow_array map_slice;
    CHECK_OK(reel_arrow_array_slice(&map_slice, &f.children[0], &batch.children[0], 0, 1, NULL));
    CHECK_OK(reel_arrow_array_validate(&f.children[0], &map_slice, REEL_ARROW_VALIDATE_FULL, NULL));
    reel_arrow_array_reset(&map_slice);
    /* Offsets 2..4 reach the null entry 3 (whose key is null too: the entry is named). */
    int32_t later[3] = {0, 2, 4};
    memcpy((uint8_t *)batch.children[0].buffers[1].data, later, sizeof later);
    reel_arrow_array *keys_array = &batch.children[0].children[0].children[0];
    ((uint8_t *)keys_array->buffers[0].data)[0] |= 2; /* key 1 becomes "" */
    keys_array->null_count = 1;
    expect_corrupt(&f, &batch, "column 'm': map entry 2 is null");
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&f);
}

TEST(builders)
{
    reel_arrow_field f;
    reel_arrow_builder *b = NULL;
    reel_error err = {0};
    reel_arrow_array a;

    /* Dictionary indices stay in their type's range and must point into the values. */
    f = make_field("dictionary<values=int32, indices=int8, ordered=0>");
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    CHECK_EQ_INT(reel_arrow_builder_append_int(b, 128), REEL_LIMIT);
    CHECK_EQ_INT(reel_arrow_builder_append_double(b, 1.0), REEL_INVALID_ARGUMENT);
    reel_arrow_builder *values = reel_arrow_builder_child(b, 0);
    CHECK(values != NULL && reel_arrow_builder_field(values)->type == REEL_ARROW_INT32);
    CHECK(reel_arrow_builder_child(b, 1) == NULL);
    CHECK_OK(reel_arrow_builder_append_int(values, 7));
    CHECK_OK(reel_arrow_builder_append_int(b, 0));
    CHECK_OK(reel_arrow_builder_append_int(b, 1));
    CHECK_EQ_INT(reel_arrow_builder_finish(b, &a, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "element 1 has index 1, the dictionary 1 values") != NULL);
    /* The builder was not emptied by the failure; a value for index 1 fixes it. */
    CHECK_OK(reel_arrow_builder_append_int(values, 8));
    CHECK_OK(reel_arrow_builder_append_null(b, 3));
    CHECK_OK(reel_arrow_builder_finish(b, &a, &err));
    CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, NULL));
    CHECK_EQ_INT(a.length, 5);
    CHECK_EQ_INT(a.null_count, 3);
    CHECK(a.dictionary != NULL && a.dictionary->length == 2 && a.n_children == 0);
    reel_arrow_array_reset(&a);
    /* Reused: empty, values included. */
    CHECK_EQ_INT(reel_arrow_builder_length(values), 0);
    CHECK_OK(reel_arrow_builder_finish(b, &a, NULL));
    CHECK(a.length == 0 && a.dictionary != NULL && a.dictionary->length == 0);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(append_array_merges_dictionaries)
{
    reel_arrow_field f;
    reel_arrow_array a, other, joined;
    reel_buf json = {0};
    build("dictionary<values=string, indices=int8, ordered=0>", fill_dictionary, &f, &a);
    reel_arrow_field g;
    build("dictionary<values=string, indices=int8, ordered=0>", fill_other_dictionary, &g, &other);
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    /* The same dictionary twice is copied once; another one is appended after it. */
    CHECK_OK(reel_arrow_builder_append_array(b, &a, 0, 2, NULL));
    CHECK_OK(reel_arrow_builder_append_array(b, &a, 2, 2, NULL));
    CHECK_EQ_INT(reel_arrow_builder_length(reel_arrow_builder_child(b, 0)), 3);
    CHECK_OK(reel_arrow_builder_append_array(b, &other, 0, 4, NULL));
    CHECK_EQ_INT(reel_arrow_builder_length(reel_arrow_builder_child(b, 0)), 5);
    CHECK_OK(reel_arrow_builder_finish(b, &joined, NULL));
    CHECK_OK(reel_arrow_array_validate(&f, &joined, REEL_ARROW_VALIDATE_FULL, NULL));
    const char *want[] = {"\"y\"", "null", "null", "\"x\"", "\"y\"", "null", "null", "\"x\""};
    for (int i = 0; i < 8; i++)
        CHECK_EQ_STR(json_of(&f, &joined, i, &json), want[i]);
    CHECK_EQ_INT(reel_arrow_array_get_dictionary_index(&f, &joined, 4), 3);
    CHECK_EQ_INT(reel_arrow_array_get_dictionary_index(&f, &joined, 7), 4);
    CHECK_EQ_INT(joined.null_count, 3);
    reel_arrow_array_reset(&joined);

    /* int8 indices run out after 128 values. */
    for (int i = 0; i < 42; i++)
        CHECK_OK(reel_arrow_builder_append_array(b, i % 2 ? &a : &other, 0, 1, NULL));
    reel_error err = {0};
    reel_status status = REEL_OK;
    for (int i = 0; i < 50 && status == REEL_OK; i++)
        status = reel_arrow_builder_append_array(b, i % 2 ? &a : &other, 0, 1, &err);
    CHECK_EQ_INT(status, REEL_LIMIT);
    CHECK(strstr(err.message, "dictionary indices would overflow the index type") != NULL);
    reel_arrow_builder_destroy(b);

    /* concat: the same dictionaries, whatever the slices. */
    reel_arrow_array parts[3];
    CHECK_OK(reel_arrow_array_slice(&parts[0], &f, &a, 1, 3, NULL));
    CHECK_OK(reel_arrow_array_share(&parts[1], &other));
    CHECK_OK(reel_arrow_array_slice(&parts[2], &f, &a, 0, 0, NULL));
    CHECK_OK(reel_arrow_concat(&f, parts, 3, NULL, &joined, NULL));
    CHECK_EQ_INT(joined.length, 7);
    CHECK_EQ_STR(json_of(&f, &joined, 2, &json), "\"x\"");
    CHECK_EQ_STR(json_of(&f, &joined, 3, &json), "\"y\"");
    reel_arrow_array_reset(&joined);
    for (int i = 0; i < 3; i++)
        reel_arrow_array_reset(&parts[i]);
    reel_arrow_array_reset(&a);
    reel_arrow_array_reset(&other);
    reel_arrow_field_reset(&f);
    reel_arrow_field_reset(&g);
    reel_buf_free(&json);
}

int main(void)
{
    RUN(fields);
    RUN(decimal_text);
    RUN(values_nulls_and_equality);
    RUN(validation);
    RUN(builders);
    RUN(append_array_merges_dictionaries);
    TEST_MAIN_END();
}
