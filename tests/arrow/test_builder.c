/* Builders: every type appended element by element and in bulk, nulls everywhere (the
 * validity bitmap appearing lazily), nested lists of structs, fixed-size lists, dense and
 * sparse unions with custom type codes, empty arrays, reuse after finish, and the errors
 * for values that do not fit or elements that are not complete. */
#include "arrow_testing.h"

static reel_arrow_builder *make_builder(reel_arrow_field *field, const char *type)
{
    reel_arrow_builder *b = NULL;
    reel_error err = {0};
    *field = make_field(type);
    if (!CHECK_OK(reel_arrow_builder_create(field, NULL, &b, &err)))
        fprintf(stderr, "    %s: %s\n", type, err.message);
    return b;
}

static void finish_valid(reel_arrow_builder *b, reel_arrow_array *out)
{
    reel_error err = {0};
    if (!CHECK_OK(reel_arrow_builder_finish(b, out, &err)))
        fprintf(stderr, "    finish: %s\n", err.message);
    if (!CHECK_OK(reel_arrow_array_validate(reel_arrow_builder_field(b), out,
                                            REEL_ARROW_VALIDATE_FULL, &err)))
        fprintf(stderr, "    validate: %s\n", err.message);
}

TEST(validity_bitmap_is_lazy)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_arrow_builder *b = make_builder(&f, "int32");
    for (int i = 0; i < 10; i++)
        CHECK_OK(reel_arrow_builder_append_int(b, i));
    CHECK_EQ_INT(reel_arrow_builder_length(b), 10);
    finish_valid(b, &a);
    CHECK(a.buffers[0].data == NULL);
    CHECK_EQ_INT(a.null_count, 0);
    CHECK_EQ_INT(a.buffers[1].size, 40);
    CHECK(a.buffers[1].owner != NULL);
    reel_arrow_array_reset(&a);

    /* Reused: 10 valid, a null, then valid again. */
    CHECK_EQ_INT(reel_arrow_builder_length(b), 0);
    for (int i = 0; i < 10; i++)
        CHECK_OK(reel_arrow_builder_append_int(b, i));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    int32_t bulk[7] = {100, 101, 102, 103, 104, 105, 106};
    CHECK_OK(reel_arrow_builder_append_values(b, bulk, 7));
    CHECK_OK(reel_arrow_builder_append_null(b, 3));
    CHECK_OK(reel_arrow_builder_append_int(b, -7));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 22);
    CHECK_EQ_INT(a.null_count, 4);
    if (CHECK(a.buffers[0].data != NULL)) {
        CHECK_EQ_INT(a.buffers[0].size, 3);
        CHECK_EQ_U64(a.buffers[0].data[0], 0xff);
        CHECK_EQ_U64(a.buffers[0].data[1], 0xfb); /* 8, 9 valid, 10 null, 11..15 valid */
        CHECK_EQ_U64(a.buffers[0].data[2], 0x23); /* 16, 17 valid, 18..20 null, 21 valid */
    }
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 9), 9);
    CHECK(reel_arrow_array_is_null(&f, &a, 10));
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 10), 0); /* zeroed under the null */
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 17), 106);
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 21), -7);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(integer_ranges_and_wrong_types)
{
    static const struct {
        const char *type;
        int64_t min, max;
    } ranges[] = {
        {"int8", INT8_MIN, INT8_MAX},
        {"int16", INT16_MIN, INT16_MAX},
        {"int32", INT32_MIN, INT32_MAX},
        {"date32[day]", INT32_MIN, INT32_MAX},
        {"time32[ms]", INT32_MIN, INT32_MAX},
        {"int64", INT64_MIN, INT64_MAX},
        {"timestamp[ns]", INT64_MIN, INT64_MAX},
        {"duration[s]", INT64_MIN, INT64_MAX},
        {"date64[ms]", INT64_MIN, INT64_MAX},
        {"time64[us]", INT64_MIN, INT64_MAX},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        reel_arrow_field f;
        reel_arrow_array a;
        reel_arrow_builder *b = make_builder(&f, ranges[i].type);
        CHECK_OK(reel_arrow_builder_append_int(b, ranges[i].min));
        CHECK_OK(reel_arrow_builder_append_int(b, ranges[i].max));
        CHECK_OK(reel_arrow_builder_append_uint(b, 5));
        if (ranges[i].max < INT64_MAX) {
            CHECK_EQ_INT(reel_arrow_builder_append_int(b, ranges[i].max + 1), REEL_LIMIT);
            CHECK_EQ_INT(reel_arrow_builder_append_int(b, ranges[i].min - 1), REEL_LIMIT);
        }
        CHECK_EQ_INT(reel_arrow_builder_append_uint(b, UINT64_MAX), REEL_LIMIT);
        CHECK_EQ_INT(reel_arrow_builder_append_double(b, 1.0), REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(reel_arrow_builder_append_bool(b, true), REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(reel_arrow_builder_append_bytes(b, "x", 1), REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(reel_arrow_builder_finish_element(b), REEL_INVALID_ARGUMENT);
        CHECK_EQ_INT(reel_arrow_builder_append_union(b, 0), REEL_INVALID_ARGUMENT);
        finish_valid(b, &a);
        if (CHECK_EQ_INT(a.length, 3)) {
            CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 0), ranges[i].min);
            CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 1), ranges[i].max);
            CHECK_EQ_INT(reel_arrow_array_get_int(&f, &a, 2), 5);
        }
        reel_arrow_array_reset(&a);
        reel_arrow_builder_destroy(b);
        reel_arrow_field_reset(&f);
    }
    static const struct {
        const char *type;
        uint64_t max;
    } uranges[] = {{"uint8", UINT8_MAX},
                   {"uint16", UINT16_MAX},
                   {"uint32", UINT32_MAX},
                   {"uint64", UINT64_MAX}};
    for (size_t i = 0; i < sizeof uranges / sizeof uranges[0]; i++) {
        reel_arrow_field f;
        reel_arrow_array a;
        reel_arrow_builder *b = make_builder(&f, uranges[i].type);
        CHECK_OK(reel_arrow_builder_append_uint(b, uranges[i].max));
        CHECK_OK(reel_arrow_builder_append_int(b, 0));
        CHECK_EQ_INT(reel_arrow_builder_append_int(b, -1), REEL_LIMIT);
        if (uranges[i].max < UINT64_MAX)
            CHECK_EQ_INT(reel_arrow_builder_append_uint(b, uranges[i].max + 1), REEL_LIMIT);
        finish_valid(b, &a);
        CHECK_EQ_U64(reel_arrow_array_get_uint(&f, &a, 0), uranges[i].max);
        CHECK_EQ_U64(reel_arrow_array_get_uint(&f, &a, 1), 0);
        reel_arrow_array_reset(&a);
        reel_arrow_builder_destroy(b);
        reel_arrow_field_reset(&f);
    }
}

TEST(floats_bools_and_bytes)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_arrow_builder *b = make_builder(&f, "halffloat");
    CHECK_OK(reel_arrow_builder_append_double(b, 1.5));
    uint16_t raw[2] = {0x7bff, 0xfc00};
    CHECK_OK(reel_arrow_builder_append_values(b, raw, 2));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    finish_valid(b, &a);
    CHECK_NEAR(reel_arrow_array_get_double(&f, &a, 0), 1.5, 0);
    CHECK_NEAR(reel_arrow_array_get_double(&f, &a, 1), 65504, 0);
    CHECK(isinf(reel_arrow_array_get_double(&f, &a, 2)));
    CHECK(reel_arrow_array_is_null(&f, &a, 3));
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    b = make_builder(&f, "float");
    CHECK_OK(reel_arrow_builder_append_double(b, 0.1));
    CHECK_OK(reel_arrow_builder_append_double(b, 1e300)); /* beyond float: infinity */
    finish_valid(b, &a);
    CHECK_NEAR(reel_arrow_array_get_double(&f, &a, 0), (double)0.1f, 0);
    CHECK(isinf(reel_arrow_array_get_double(&f, &a, 1)));
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    b = make_builder(&f, "bool");
    for (int i = 0; i < 21; i++) {
        if (i % 5 == 4)
            CHECK_OK(reel_arrow_builder_append_null(b, 1));
        else
            CHECK_OK(reel_arrow_builder_append_bool(b, i % 3 == 0));
    }
    CHECK_EQ_INT(reel_arrow_builder_append_values(b, raw, 1), REEL_INVALID_ARGUMENT);
    finish_valid(b, &a);
    CHECK_EQ_INT(a.null_count, 4);
    CHECK_EQ_INT(a.buffers[1].size, 3);
    for (int i = 0; i < 21; i++) {
        CHECK_EQ_INT(reel_arrow_array_is_null(&f, &a, i), i % 5 == 4);
        if (i % 5 != 4)
            CHECK_EQ_INT(reel_arrow_array_get_bool(&a, i), i % 3 == 0);
    }
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    const char *types[] = {"string", "large_string", "binary", "large_binary"};
    for (int t = 0; t < 4; t++) {
        b = make_builder(&f, types[t]);
        CHECK_OK(reel_arrow_builder_append_bytes(b, "hello", 5));
        CHECK_OK(reel_arrow_builder_append_null(b, 2));
        CHECK_OK(reel_arrow_builder_append_bytes(b, "", 0));
        CHECK_OK(reel_arrow_builder_append_bytes(b, "\xc3\xa9t\xc3\xa9", 5));
        finish_valid(b, &a);
        CHECK_EQ_INT(a.length, 5);
        CHECK_EQ_INT(a.null_count, 2);
        int width = t % 2 ? 8 : 4;
        CHECK_EQ_INT(a.buffers[1].size, 6 * width);
        CHECK_EQ_INT(a.buffers[2].size, 10);
        reel_span s = reel_arrow_array_get_bytes(&f, &a, 4);
        CHECK(s.len == 5 && memcmp(s.data, "\xc3\xa9t\xc3\xa9", 5) == 0);
        CHECK_EQ_INT(reel_arrow_array_get_bytes(&f, &a, 3).len, 0);
        CHECK_EQ_INT(reel_arrow_array_get_bytes(&f, &a, 1).len, 0);
        reel_arrow_array_reset(&a);
        reel_arrow_builder_destroy(b);
        reel_arrow_field_reset(&f);
    }

    b = make_builder(&f, "fixed_size_binary[3]");
    CHECK_OK(reel_arrow_builder_append_bytes(b, "abc", 3));
    CHECK_EQ_INT(reel_arrow_builder_append_bytes(b, "ab", 2), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_append_values(b, "defghi", 2));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 4);
    CHECK_EQ_INT(a.buffers[1].size, 12);
    CHECK(memcmp(reel_arrow_array_get_bytes(&f, &a, 3).data, "ghi", 3) == 0);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(list_of_structs)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_buf json = {0};
    reel_arrow_builder *b = make_builder(&f, "list<item: struct<x: float, y: float not null>>");
    reel_arrow_builder *point = reel_arrow_builder_child(b, 0);
    reel_arrow_builder *x = reel_arrow_builder_child(point, 0);
    reel_arrow_builder *y = reel_arrow_builder_child(point, 1);
    CHECK(reel_arrow_builder_child(b, 1) == NULL);
    CHECK(reel_arrow_builder_child(point, 2) == NULL);
    CHECK(reel_arrow_builder_child(x, 0) == NULL);
    CHECK(reel_arrow_builder_field(point)->type == REEL_ARROW_STRUCT);

    /* A struct element needs exactly one new value in every child. */
    CHECK_EQ_INT(reel_arrow_builder_finish_element(point), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_append_double(x, 0));
    CHECK_EQ_INT(reel_arrow_builder_finish_element(point), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_append_double(y, 0));
    CHECK_OK(reel_arrow_builder_finish_element(point));
    /* The list element holding that point was never closed. */
    reel_arrow_array bad;
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_builder_finish(b, &bad, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_STR(err.message, "builder: column 'item' has 1 elements, its parent references 0");
    CHECK(bad.children == NULL && bad.length == 0);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    /* [{1,2}, null, {null,4}], null, [], [{5,6}] */
    b = make_builder(&f, "list<item: struct<x: float, y: float not null>>");
    point = reel_arrow_builder_child(b, 0);
    x = reel_arrow_builder_child(point, 0);
    y = reel_arrow_builder_child(point, 1);
    CHECK_OK(reel_arrow_builder_append_double(x, 1));
    CHECK_OK(reel_arrow_builder_append_double(y, 2));
    CHECK_OK(reel_arrow_builder_finish_element(point));
    CHECK_OK(reel_arrow_builder_append_null(point, 1));
    CHECK_OK(reel_arrow_builder_append_null(x, 1));
    CHECK_OK(reel_arrow_builder_append_double(y, 4));
    CHECK_OK(reel_arrow_builder_finish_element(point));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    CHECK_OK(reel_arrow_builder_append_double(x, 5));
    CHECK_OK(reel_arrow_builder_append_double(y, 6));
    CHECK_OK(reel_arrow_builder_finish_element(point));
    /* A null list cannot be appended while child values wait for their element. */
    CHECK_EQ_INT(reel_arrow_builder_append_null(b, 1), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_finish_element(b));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 4);
    CHECK_EQ_INT(a.null_count, 1);
    CHECK_EQ_INT(a.children[0].length, 4);
    CHECK_EQ_INT(a.children[0].null_count, 1);
    CHECK_EQ_STR(json_of(&f, &a, 0, &json), "[{\"x\":1,\"y\":2},null,{\"x\":null,\"y\":4}]");
    CHECK_EQ_STR(json_of(&f, &a, 1, &json), "null");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "[]");
    CHECK_EQ_STR(json_of(&f, &a, 3, &json), "[{\"x\":5,\"y\":6}]");
    reel_arrow_array_reset(&a);
    reel_buf_free(&json);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(fixed_size_lists)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_buf json = {0};
    reel_arrow_builder *b = make_builder(&f, "fixed_size_list<item: float not null>[3]");
    reel_arrow_builder *v = reel_arrow_builder_child(b, 0);
    float xyz[6] = {1, 2, 3, 4, 5, 6};
    CHECK_OK(reel_arrow_builder_append_values(v, xyz, 3));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    CHECK_OK(reel_arrow_builder_append_null(b, 2)); /* the child gets 6 nulls */
    CHECK_EQ_INT(reel_arrow_builder_length(v), 9);
    CHECK_OK(reel_arrow_builder_append_values(v, xyz + 3, 2));
    CHECK_EQ_INT(reel_arrow_builder_finish_element(b), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_append_values(v, xyz + 5, 1));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 4);
    CHECK_EQ_INT(a.null_count, 2);
    CHECK_EQ_INT(a.n_buffers, 1);
    CHECK_EQ_INT(a.children[0].length, 12);
    CHECK_EQ_STR(json_of(&f, &a, 0, &json), "[1,2,3]");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "null");
    CHECK_EQ_STR(json_of(&f, &a, 3, &json), "[4,5,6]");
    reel_arrow_array_reset(&a);
    reel_buf_free(&json);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(dense_union_with_custom_codes)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_buf json = {0};
    reel_arrow_builder *b =
        make_builder(&f, "dense_union<_null_markers: null=0, x: int32=5, s: string=7>");
    reel_arrow_builder *markers = reel_arrow_builder_child(b, 0);
    reel_arrow_builder *x = reel_arrow_builder_child(b, 1), *s = reel_arrow_builder_child(b, 2);
    CHECK_OK(reel_arrow_builder_append_int(x, 10));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_bytes(s, "a", 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 7));
    CHECK_OK(reel_arrow_builder_append_null(b, 2)); /* into child 0 */
    CHECK_OK(reel_arrow_builder_append_int(x, 11));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_null(markers, 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 0));
    /* Errors: unknown code, no value waiting, a value left unclaimed. */
    CHECK_EQ_INT(reel_arrow_builder_append_union(b, 6), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_arrow_builder_append_union(b, -1), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_arrow_builder_append_union(b, 5), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_builder_append_int(x, 12));
    CHECK_OK(reel_arrow_builder_append_int(x, 13));
    CHECK_EQ_INT(reel_arrow_builder_append_union(b, 5), REEL_INVALID_ARGUMENT);
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_builder_finish(b, &a, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_STR(err.message, "builder: column 'x' has 4 elements, its parent references 2");
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    b = make_builder(&f, "dense_union<_null_markers: null=0, x: int32=5, s: string=7>");
    markers = reel_arrow_builder_child(b, 0);
    x = reel_arrow_builder_child(b, 1), s = reel_arrow_builder_child(b, 2);
    CHECK_OK(reel_arrow_builder_append_int(x, 10));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_bytes(s, "a", 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 7));
    CHECK_OK(reel_arrow_builder_append_null(b, 2));
    CHECK_OK(reel_arrow_builder_append_int(x, 11));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_null(x, 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 6);
    CHECK_EQ_INT(a.null_count, 0);
    CHECK_EQ_INT(a.n_buffers, 2);
    CHECK_EQ_INT(a.children[0].length, 2);
    CHECK_EQ_INT(a.children[1].length, 3);
    const char *want[] = {"[5,10]", "[7,\"a\"]", "[0,null]", "[0,null]", "[5,11]", "[5,null]"};
    for (int i = 0; i < 6; i++)
        CHECK_EQ_STR(json_of(&f, &a, i, &json), want[i]);
    CHECK(reel_arrow_array_is_null(&f, &a, 5));
    CHECK(!reel_arrow_array_is_null(&f, &a, 4));
    int32_t child;
    int64_t index;
    reel_arrow_array_get_union(&f, &a, 4, &child, &index);
    CHECK_EQ_INT(child, 1);
    CHECK_EQ_INT(index, 1);
    reel_arrow_array_reset(&a);
    reel_buf_free(&json);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(sparse_union_with_custom_codes)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_buf json = {0};
    reel_arrow_builder *b = make_builder(&f, "sparse_union<a: int32=5, b: string not null=7>");
    reel_arrow_builder *ca = reel_arrow_builder_child(b, 0), *cb = reel_arrow_builder_child(b, 1);
    CHECK_OK(reel_arrow_builder_append_int(ca, 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_bytes(cb, "two", 3));
    CHECK_OK(reel_arrow_builder_append_union(b, 7));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    /* Both children grew: not a sparse element. */
    CHECK_OK(reel_arrow_builder_append_int(ca, 3));
    CHECK_OK(reel_arrow_builder_append_bytes(cb, "x", 1));
    CHECK_EQ_INT(reel_arrow_builder_append_union(b, 5), REEL_INVALID_ARGUMENT);
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_builder_finish(b, &a, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "column 'a' has 4 elements, its parent references 3") != NULL);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);

    b = make_builder(&f, "sparse_union<a: int32=5, b: string not null=7>");
    ca = reel_arrow_builder_child(b, 0), cb = reel_arrow_builder_child(b, 1);
    CHECK_OK(reel_arrow_builder_append_int(ca, 1));
    CHECK_OK(reel_arrow_builder_append_union(b, 5));
    CHECK_OK(reel_arrow_builder_append_bytes(cb, "two", 3));
    CHECK_OK(reel_arrow_builder_append_union(b, 7));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_reserve(b, 100));
    finish_valid(b, &a);
    CHECK_EQ_INT(a.length, 3);
    CHECK_EQ_INT(a.n_buffers, 1);
    CHECK_EQ_INT(a.children[0].length, 3);
    CHECK_EQ_INT(a.children[1].length, 3);
    CHECK_EQ_STR(json_of(&f, &a, 0, &json), "[5,1]");
    CHECK_EQ_STR(json_of(&f, &a, 1, &json), "[7,\"two\"]");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "[5,null]");
    CHECK(reel_arrow_array_is_null(&f, &a, 2));
    reel_arrow_array_reset(&a);
    reel_buf_free(&json);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(empty_arrays_for_every_type)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field f;
        reel_arrow_array a;
        reel_arrow_builder *b = make_builder(&f, pyarrow_type_strings[i]);
        if (b == NULL)
            continue;
        finish_valid(b, &a);
        CHECK_EQ_INT(a.length, 0);
        CHECK_EQ_INT(a.n_buffers, reel_arrow_type_buffer_count(f.type));
        CHECK_EQ_INT(a.n_children, f.n_children);
        if (f.type == REEL_ARROW_UTF8 || f.type == REEL_ARROW_LIST) {
            CHECK_EQ_INT(a.buffers[1].size, 4); /* one offset, 0 */
            int32_t first = -1;
            memcpy(&first, a.buffers[1].data, 4);
            CHECK_EQ_INT(first, 0);
        }
        reel_arrow_array_reset(&a);
        reel_arrow_builder_destroy(b);
        reel_arrow_field_reset(&f);
    }
}

TEST(random_arrays_for_every_type)
{
    /* Nulls everywhere, nested at every level; FULL validation accepts all of it and a
     * copy through the accessors is equal. */
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field f = make_field(pyarrow_type_strings[i]);
        reel_arrow_array a, copy;
        reel_error err = {0};
        if (CHECK_OK(gen_array(&f, 300, (uint64_t)i, &a))) {
            if (!CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, &err)))
                fprintf(stderr, "    %s: %s\n", pyarrow_type_strings[i], err.message);
            CHECK_OK(copy_range(&f, &a, 0, a.length, &copy));
            CHECK(reel_arrow_array_equal(&f, &a, &copy));
            reel_arrow_array_reset(&copy);
        }
        reel_arrow_array_reset(&a);
        reel_arrow_field_reset(&f);
    }
}

TEST(create_rejects_bad_fields)
{
    reel_arrow_field f;
    reel_arrow_builder *b = (reel_arrow_builder *)&f;
    reel_error err = {0};
    CHECK_OK(reel_arrow_field_init(&f, "pos", REEL_ARROW_FIXED_SIZE_LIST, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "item", REEL_ARROW_FLOAT32, true, NULL));
    CHECK_EQ_INT(reel_arrow_builder_create(&f, NULL, &b, &err), REEL_INVALID_ARGUMENT);
    CHECK(b == NULL);
    CHECK(strstr(err.message, "column 'pos': fixed_size_list size must be > 0") != NULL);
    reel_arrow_builder_destroy(NULL);
    reel_arrow_field_reset(&f);
}

TEST(many_scalars_are_fast)
{
    reel_arrow_field f;
    reel_arrow_array a;
    reel_arrow_builder *b = make_builder(&f, "double");
    uint64_t start = reel_clock_monotonic_ns();
    for (int i = 0; i < 2000000; i++) {
        if (reel_arrow_builder_append_double(b, i * 0.5) != REEL_OK)
            break;
    }
    finish_valid(b, &a);
    double seconds = (double)(reel_clock_monotonic_ns() - start) / 1e9;
    CHECK_EQ_INT(a.length, 2000000);
    CHECK_NEAR(reel_arrow_array_get_double(&f, &a, 1999999), 999999.5, 0);
    CHECK(seconds < 5.0); /* generous: sanitizer builds are slow */
    printf("     2M doubles appended and validated in %.3f s\n", seconds);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

int main(void)
{
    RUN(validity_bitmap_is_lazy);
    RUN(integer_ranges_and_wrong_types);
    RUN(floats_bools_and_bytes);
    RUN(list_of_structs);
    RUN(fixed_size_lists);
    RUN(dense_union_with_custom_codes);
    RUN(sparse_union_with_custom_codes);
    RUN(empty_arrays_for_every_type);
    RUN(random_arrays_for_every_type);
    RUN(create_rejects_bad_fields);
    RUN(many_scalars_are_fast);
    TEST_MAIN_END();
}
