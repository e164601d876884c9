/* reel_arrow_builder_append_array and reel_arrow_concat: for every type in the pyarrow list,
 * random arrays (nulls and nested values included, sliced so offsets are non-zero) are copied
 * range by range behind a few element-wise appends (so the destination bitmaps are not byte
 * aligned), and the result must equal the same elements rebuilt through the accessors. Also
 * the errors: ranges outside the source, mismatched layouts, unfinished list elements. */
#include "arrow_testing.h"

/* Appends elements [start, start + length) of `a` one by one through the accessors. */
static reel_status copy_elements(reel_arrow_builder *b, const reel_arrow_field *f,
                                 const reel_arrow_array *a, int64_t start, int64_t length)
{
    for (int64_t i = start; i < start + length; i++)
        REEL_TRY(copy_element(b, f, a, i));
    return REEL_OK;
}

/* Builds [prefix by elements] + ranges by append_array, and the same by elements only. */
static void check_ranges(const char *type, const reel_arrow_field *f, const reel_arrow_array *a,
                         const int64_t (*ranges)[2], int n_ranges)
{
    reel_arrow_builder *fast = NULL, *slow = NULL;
    reel_error err = {0};
    if (!CHECK_OK(reel_arrow_builder_create(f, NULL, &fast, &err)) ||
        !CHECK_OK(reel_arrow_builder_create(f, NULL, &slow, &err))) {
        reel_arrow_builder_destroy(fast);
        return;
    }
    int64_t prefix = a->length < 3 ? a->length : 3;
    CHECK_OK(copy_elements(fast, f, a, 0, prefix));
    CHECK_OK(copy_elements(slow, f, a, 0, prefix));
    for (int r = 0; r < n_ranges; r++) {
        int64_t start = ranges[r][0], length = ranges[r][1];
        if (start + length > a->length)
            continue;
        if (!CHECK_OK(reel_arrow_builder_append_array(fast, a, start, length, &err)))
            fprintf(stderr, "    %s [%lld, +%lld): %s\n", type, (long long)start, (long long)length,
                    err.message);
        CHECK_OK(copy_elements(slow, f, a, start, length));
    }
    reel_arrow_array got = {0}, want = {0};
    CHECK_OK(reel_arrow_builder_finish(fast, &got, &err));
    CHECK_OK(reel_arrow_builder_finish(slow, &want, &err));
    if (!CHECK_OK(reel_arrow_array_validate(f, &got, REEL_ARROW_VALIDATE_FULL, &err)))
        fprintf(stderr, "    %s: %s\n", type, err.message);
    if (!CHECK(reel_arrow_array_equal(f, &got, &want)))
        fprintf(stderr, "    type %s differs\n", type);
    CHECK_EQ_INT(got.null_count, want.null_count);
    reel_arrow_array_reset(&got);
    reel_arrow_array_reset(&want);
    reel_arrow_builder_destroy(fast);
    reel_arrow_builder_destroy(slow);
}

TEST(every_type_copies_like_the_accessors)
{
    static const int64_t ranges[][2] = {{5, 17}, {0, 0}, {22, 9}, {1, 1}, {0, 31}};
    for (int t = 0; t < PYARROW_TYPE_COUNT; t++) {
        reel_arrow_field f = make_field(pyarrow_type_strings[t]);
        reel_arrow_array src;
        if (!CHECK_OK(gen_array(&f, 37, 1000 + (uint64_t)t, &src))) {
            reel_arrow_field_reset(&f);
            continue;
        }
        check_ranges(pyarrow_type_strings[t], &f, &src, ranges, 5);
        reel_arrow_array sliced = {0};
        if (src.length >= 34 && CHECK_OK(reel_arrow_array_slice(&sliced, &f, &src, 3, 31, NULL))) {
            check_ranges(pyarrow_type_strings[t], &f, &sliced, ranges, 5);
            reel_arrow_array_reset(&sliced);
        }
        reel_arrow_array_reset(&src);
        reel_arrow_field_reset(&f);
    }
}

TEST(long_bitmaps_shift_bytewise)
{
    /* Many elements at unaligned source and destination bit positions. */
    static const char *const types[] = {"bool", "int16", "string", "list<item: bool>",
                                        "struct<a: bool, b: fixed_size_binary[3]>"};
    static const int64_t ranges[][2] = {{13, 250}, {7, 0}, {300, 211}, {1, 9}};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        reel_arrow_field f = make_field(types[t]);
        reel_arrow_array src, sliced = {0};
        if (CHECK_OK(gen_array(&f, 600, 7 + t, &src)) &&
            CHECK_OK(reel_arrow_array_slice(&sliced, &f, &src, 5, 590, NULL))) {
            check_ranges(types[t], &f, &src, ranges, 4);
            check_ranges(types[t], &f, &sliced, ranges, 4);
        }
        reel_arrow_array_reset(&sliced);
        reel_arrow_array_reset(&src);
        reel_arrow_field_reset(&f);
    }
}

TEST(all_valid_source_into_builder_with_nulls)
{
    reel_arrow_field f = make_field("int32");
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    int32_t values[5] = {1, 2, 3, 4, 5};
    reel_arrow_array src = {0};
    CHECK_OK(reel_arrow_builder_append_values(b, values, 5));
    CHECK_OK(reel_arrow_builder_finish(b, &src, NULL));
    CHECK(src.buffers[0].data == NULL);

    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_append_array(b, &src, 1, 3, NULL));
    reel_arrow_array out = {0};
    CHECK_OK(reel_arrow_builder_finish(b, &out, NULL));
    CHECK_EQ_INT(out.length, 4);
    CHECK_EQ_INT(out.null_count, 1);
    CHECK(reel_arrow_array_is_null(&f, &out, 0));
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &out, 1), 2);
    CHECK_EQ_INT(reel_arrow_array_get_int(&f, &out, 3), 4);
    CHECK(!reel_arrow_array_is_null(&f, &out, 3));
    reel_arrow_array_reset(&out);
    reel_arrow_array_reset(&src);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(concat_joins_arrays)
{
    reel_arrow_field f = make_field("list<item: struct<a: int32, b: string>>");
    reel_arrow_array parts[3];
    for (int i = 0; i < 3; i++)
        CHECK_OK(gen_array(&f, 10 + i * 7, 50 + (uint64_t)i, &parts[i]));
    reel_arrow_array out, want;
    reel_error err = {0};
    CHECK_OK(reel_arrow_concat(&f, parts, 3, NULL, &out, &err));
    CHECK_EQ_INT(out.length, 10 + 17 + 24);
    CHECK_OK(reel_arrow_array_validate(&f, &out, REEL_ARROW_VALIDATE_FULL, &err));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    for (int i = 0; i < 3; i++)
        CHECK_OK(copy_elements(b, &f, &parts[i], 0, parts[i].length));
    CHECK_OK(reel_arrow_builder_finish(b, &want, NULL));
    CHECK(reel_arrow_array_equal(&f, &out, &want));
    reel_arrow_array_reset(&want);
    reel_arrow_array_reset(&out);

    /* No arrays: an empty array of the type. */
    CHECK_OK(reel_arrow_concat(&f, NULL, 0, NULL, &out, &err));
    CHECK_EQ_INT(out.length, 0);
    CHECK_OK(reel_arrow_array_validate(&f, &out, REEL_ARROW_VALIDATE_FULL, &err));
    reel_arrow_array_reset(&out);
    for (int i = 0; i < 3; i++)
        reel_arrow_array_reset(&parts[i]);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(errors_are_reported)
{
    reel_arrow_field f = make_field("list<item: int8>");
    reel_arrow_array src;
    CHECK_OK(gen_array(&f, 4, 3, &src));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_builder_append_array(b, &src, 3, 2, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "outside the array's 4 elements") != NULL);
    CHECK_EQ_INT(reel_arrow_builder_append_array(b, &src, -1, 1, &err), REEL_INVALID_ARGUMENT);

    /* A child value appended without closing its list element. */
    CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(b, 0), 1));
    CHECK_EQ_INT(reel_arrow_builder_append_array(b, &src, 0, 1, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "unfinished element") != NULL);
    CHECK_OK(reel_arrow_builder_finish_element(b));

    /* A source with another layout (no child). */
    reel_arrow_array flat = {0};
    flat.length = 2;
    flat.n_buffers = 2;
    CHECK_EQ_INT(reel_arrow_builder_append_array(b, &flat, 0, 2, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "layout") != NULL);
    reel_arrow_builder_destroy(b);
    reel_arrow_array_reset(&src);
    reel_arrow_field_reset(&f);
}

int main(void)
{
    RUN(every_type_copies_like_the_accessors);
    RUN(long_bitmaps_shift_bytewise);
    RUN(all_valid_source_into_builder_with_nulls);
    RUN(concat_joins_arrays);
    RUN(errors_are_reported);
    TEST_MAIN_END();
}
