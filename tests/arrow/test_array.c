/* Arrays as values: half-float conversion (exhaustively), null counting, slicing at odd
 * offsets compared with freshly built arrays for every type, element access, equality,
 * JSON output and the blob references that sharing and resetting take and drop. */
#include "arrow_testing.h"

/* ---------------------------------------------------------------- float16 */

static uint32_t float_bits(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, 4);
    return bits;
}

TEST(half_round_trip_is_exhaustive)
{
    int mismatches = 0;
    for (uint32_t h = 0; h <= 0xffff; h++) {
        float f = reel_arrow_half_to_float((uint16_t)h);
        uint16_t back = reel_arrow_float_to_half(f);
        bool is_nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
        if (is_nan && !isnan(f))
            mismatches++;
        if (back != h && mismatches++ < 5)
            fprintf(stderr, "    half 0x%04x -> %g -> 0x%04x\n", (unsigned)h, (double)f,
                    (unsigned)back);
#ifdef __FLT16_MAX__
        /* The compiler's own conversion agrees on every non-NaN value. */
        _Float16 native;
        uint16_t bits16 = (uint16_t)h;
        memcpy(&native, &bits16, 2);
        if (!is_nan && float_bits((float)native) != float_bits(f) && mismatches++ < 5)
            fprintf(stderr, "    half 0x%04x: %g, compiler says %g\n", (unsigned)h, (double)f,
                    (double)(float)native);
#endif
    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK_EQ_U64(float_bits(reel_arrow_half_to_float(0x3c00)), float_bits(1.0f));
    CHECK_NEAR(reel_arrow_half_to_float(0x7bff), 65504.0, 0);
    CHECK_NEAR(reel_arrow_half_to_float(0x0001), 0x1p-24, 0);
    CHECK_NEAR(reel_arrow_half_to_float(0x03ff), 0x3ffp-24, 0);
    CHECK_EQ_U64(float_bits(reel_arrow_half_to_float(0x8000)), 0x80000000u);
    CHECK(isinf(reel_arrow_half_to_float(0xfc00)) && reel_arrow_half_to_float(0xfc00) < 0);
    CHECK(isnan(reel_arrow_half_to_float(0x7e00)));
}

TEST(half_rounds_to_nearest_even)
{
    static const struct {
        float value;
        uint16_t half;
    } cases[] = {
        {0.0f, 0x0000},
        {-0.0f, 0x8000},
        {1.0f, 0x3c00},
        {65504.0f, 0x7bff},
        {65519.99f, 0x7bff},
        {65520.0f, 0x7c00}, /* halfway to the next binade: rounds to infinity */
        {1e10f, 0x7c00},
        {-1e10f, 0xfc00},
        {0x1p-24f, 0x0001},
        {0x1p-25f, 0x0000},        /* tie between 0 and the smallest subnormal: even */
        {0x1.000002p-25f, 0x0001}, /* just above the tie */
        {0x3p-25f, 0x0002},        /* 1.5 units: even is 2 */
        {0x5p-25f, 0x0002},        /* 2.5 units: even is 2 */
        {0x1p-26f, 0x0000},
        {0x1.ffcp-15f, 0x0400},      /* largest subnormal + half a unit rounds up into normal */
        {0x1p-14f, 0x0400},          /* smallest normal */
        {1.0f + 0x1p-11f, 0x3c00},   /* tie: even mantissa 0 */
        {1.0f + 0x3p-11f, 0x3c02},   /* tie: even mantissa 2 */
        {1.0f + 0x1.8p-11f, 0x3c01}, /* above the tie */
        {2049.0f, 0x6800},
        {2051.0f, 0x6802},
        {-2.5f, 0xc100},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!CHECK_EQ_U64(reel_arrow_float_to_half(cases[i].value), cases[i].half))
            fprintf(stderr, "    for %a\n", (double)cases[i].value);
    }
    CHECK_EQ_U64(reel_arrow_float_to_half(INFINITY), 0x7c00);
    uint16_t nan = reel_arrow_float_to_half(NAN);
    CHECK((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff) != 0);
    /* A NaN whose payload is only in the bits half drops must stay a NaN. */
    uint32_t low_payload = 0x7f800001u;
    float low_nan;
    memcpy(&low_nan, &low_payload, 4);
    CHECK_EQ_U64(reel_arrow_float_to_half(low_nan), 0x7e00);

#ifdef __FLT16_MAX__
    /* Sampled floats (every 997th bit pattern) against the compiler's conversion. */
    int mismatches = 0;
    for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 997) {
        uint32_t b32 = (uint32_t)bits;
        float f;
        memcpy(&f, &b32, 4);
        if (isnan(f))
            continue;
        _Float16 native = (_Float16)f;
        uint16_t want;
        memcpy(&want, &native, 2);
        if (reel_arrow_float_to_half(f) != want && mismatches++ < 5)
            fprintf(stderr, "    %a -> 0x%04x, compiler 0x%04x\n", (double)f,
                    (unsigned)reel_arrow_float_to_half(f), (unsigned)want);
    }
    CHECK_EQ_INT(mismatches, 0);
#endif
}

TEST(double_to_half_rounds_once)
{
    /* Going through float would round twice: this double is just above a half tie but
     * rounds to the tie as a float. */
    reel_arrow_field f = make_field("halffloat");
    reel_arrow_builder *b;
    reel_arrow_array a;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    double tricky = 1.0 + 0x1p-11 + 0x1p-40;
    CHECK_OK(reel_arrow_builder_append_double(b, tricky));
    CHECK_OK(reel_arrow_builder_finish(b, &a, NULL));
    CHECK_EQ_U64(reel_load_u16le(a.buffers[1].data), 0x3c01);
    CHECK_EQ_U64(reel_arrow_float_to_half((float)tricky), 0x3c00);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

/* ---------------------------------------------------------------- nulls */

TEST(count_nulls_matches_bit_by_bit)
{
    uint8_t bits[40];
    test_rng r = {7};
    for (size_t i = 0; i < sizeof bits; i++)
        bits[i] = (uint8_t)rng_next(&r);
    reel_arrow_buffer validity = {bits, sizeof bits, NULL};
    for (int64_t offset = 0; offset < 70; offset++) {
        for (int64_t length = 0; offset + length <= 8 * (int64_t)sizeof bits;
             length += 1 + length / 3) {
            int64_t want = 0;
            for (int64_t i = offset; i < offset + length; i++)
                want += !((bits[i / 8] >> (i % 8)) & 1);
            if (!CHECK_EQ_INT(reel_arrow_count_nulls(&validity, offset, length), want))
                return;
        }
    }
    reel_arrow_buffer absent = {NULL, 0, NULL};
    CHECK_EQ_INT(reel_arrow_count_nulls(&absent, 3, 100), 0);
    CHECK_EQ_INT(reel_arrow_count_nulls(NULL, 3, 100), 0);
}

/* ---------------------------------------------------------------- slicing */

static void check_slices_of(const char *type)
{
    reel_arrow_field field = make_field(type);
    reel_arrow_array full;
    reel_error err = {0};
    reel_buf json_a = {0}, json_b = {0};
    if (!CHECK_OK(gen_array(&field, 67, 1234, &full)))
        goto done;
    if (!CHECK_OK(reel_arrow_array_validate(&field, &full, REEL_ARROW_VALIDATE_FULL, &err)))
        fprintf(stderr, "    %s: %s\n", type, err.message);
    static const int64_t offsets[] = {0, 1, 3, 7, 8, 13, 31, 60, 67};
    static const int64_t lengths[] = {0, 1, 5, 9, 17, 64};
    for (size_t oi = 0; oi < sizeof offsets / sizeof offsets[0]; oi++) {
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            int64_t off = offsets[oi], len = lengths[li];
            if (off + len > full.length)
                continue;
            reel_arrow_array slice, fresh, twice;
            if (!CHECK_OK(reel_arrow_array_slice(&slice, &field, &full, off, len, &err)))
                continue;
            CHECK_OK(reel_arrow_array_validate(&field, &slice, REEL_ARROW_VALIDATE_FULL, &err));
            CHECK_OK(copy_range(&field, &full, off, len, &fresh));
            if (!CHECK(reel_arrow_array_equal(&field, &slice, &fresh)) ||
                !CHECK(reel_arrow_array_equal(&field, &fresh, &slice)))
                fprintf(stderr, "    %s: slice [%lld, +%lld)\n", type, (long long)off,
                        (long long)len);
            /* Null counts are recomputed for the slice. */
            CHECK_EQ_INT(slice.null_count, fresh.null_count);
            for (int64_t i = 0; i < len; i++) {
                if (!CHECK_EQ_STR(json_of(&field, &slice, i, &json_a),
                                  json_of(&field, &fresh, i, &json_b)))
                    break;
            }
            /* A slice of a slice is a slice of the original. */
            if (len >= 3) {
                reel_arrow_array inner, direct;
                CHECK_OK(reel_arrow_array_slice(&inner, &field, &slice, 1, len - 2, &err));
                CHECK_OK(reel_arrow_array_slice(&direct, &field, &full, off + 1, len - 2, &err));
                CHECK(reel_arrow_array_equal(&field, &inner, &direct));
                CHECK_EQ_INT(inner.offset, direct.offset);
                reel_arrow_array_reset(&inner);
                reel_arrow_array_reset(&direct);
            }
            CHECK_OK(reel_arrow_array_share(&twice, &slice));
            CHECK(reel_arrow_array_equal(&field, &twice, &fresh));
            reel_arrow_array_reset(&twice);
            reel_arrow_array_reset(&slice);
            reel_arrow_array_reset(&fresh);
        }
    }
    reel_arrow_array bad;
    CHECK_EQ_INT(reel_arrow_array_slice(&bad, &field, &full, 60, 8, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "slice [60, +8) is outside the array's") != NULL);
    CHECK_EQ_INT(reel_arrow_array_slice(&bad, &field, &full, -1, 1, NULL), REEL_INVALID_ARGUMENT);
    reel_arrow_array_reset(&full);
done:
    reel_buf_free(&json_a);
    reel_buf_free(&json_b);
    reel_arrow_field_reset(&field);
}

TEST(slices_equal_fresh_arrays_for_every_type)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++)
        check_slices_of(pyarrow_type_strings[i]);
}

/* ---------------------------------------------------------------- access and equality */

TEST(element_access)
{
    reel_arrow_field f = make_field("struct<i: int16, u: uint32, d: double, s: string, "
                                    "l: large_list<item: int8>, fl: fixed_size_list<item: "
                                    "float>[2], b: bool, u2: sparse_union<x: int8=4, y: bool=6>>");
    reel_arrow_builder *b;
    reel_arrow_array a;
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    reel_arrow_builder *i16 = reel_arrow_builder_child(b, 0), *u32 = reel_arrow_builder_child(b, 1),
                       *d = reel_arrow_builder_child(b, 2), *s = reel_arrow_builder_child(b, 3),
                       *l = reel_arrow_builder_child(b, 4), *fl = reel_arrow_builder_child(b, 5),
                       *bo = reel_arrow_builder_child(b, 6), *un = reel_arrow_builder_child(b, 7);
    for (int row = 0; row < 10; row++) {
        if (row == 4) {
            CHECK_OK(reel_arrow_builder_append_null(b, 1));
            continue;
        }
        CHECK_OK(reel_arrow_builder_append_int(i16, -1000 * row));
        CHECK_OK(reel_arrow_builder_append_uint(u32, 4000000000u - (uint64_t)row));
        CHECK_OK(reel_arrow_builder_append_double(d, row / 4.0));
        char text[8];
        snprintf(text, sizeof text, "r%d", row);
        CHECK_OK(reel_arrow_builder_append_bytes(s, text, strlen(text)));
        for (int k = 0; k < row % 3; k++)
            CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(l, 0), row + k));
        CHECK_OK(reel_arrow_builder_finish_element(l));
        CHECK_OK(reel_arrow_builder_append_double(reel_arrow_builder_child(fl, 0), row));
        CHECK_OK(reel_arrow_builder_append_double(reel_arrow_builder_child(fl, 0), -row));
        CHECK_OK(reel_arrow_builder_finish_element(fl));
        CHECK_OK(reel_arrow_builder_append_bool(bo, row % 2));
        if (row % 2) {
            CHECK_OK(reel_arrow_builder_append_bool(reel_arrow_builder_child(un, 1), true));
            CHECK_OK(reel_arrow_builder_append_union(un, 6));
        } else {
            CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(un, 0), row));
            CHECK_OK(reel_arrow_builder_append_union(un, 4));
        }
        CHECK_OK(reel_arrow_builder_finish_element(b));
    }
    CHECK_OK(reel_arrow_builder_finish(b, &a, NULL));
    CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, NULL));

    /* Read through a slice so every accessor has to apply offsets. */
    reel_arrow_array sl;
    CHECK_OK(reel_arrow_array_slice(&sl, &f, &a, 3, 7, NULL));
    CHECK(reel_arrow_array_is_null(&f, &sl, 1));
    CHECK(!reel_arrow_array_is_null(&f, &sl, 0));
    CHECK_EQ_INT(sl.null_count, 1);
    /* Struct children are indexed with the parent's offset. */
    int64_t at = sl.offset + 2; /* row 5 */
    CHECK_EQ_INT(reel_arrow_array_get_int(&f.children[0], &sl.children[0], at), -5000);
    CHECK_EQ_U64(reel_arrow_array_get_uint(&f.children[1], &sl.children[1], at), 3999999995u);
    CHECK_NEAR(reel_arrow_array_get_double(&f.children[2], &sl.children[2], at), 1.25, 0);
    reel_span text = reel_arrow_array_get_bytes(&f.children[3], &sl.children[3], at);
    CHECK(text.len == 2 && memcmp(text.data, "r5", 2) == 0);
    int64_t start, end;
    reel_arrow_array_get_list_range(&f.children[4], &sl.children[4], at, &start, &end);
    CHECK_EQ_INT(end - start, 2);
    CHECK_EQ_INT(reel_arrow_array_get_int(&f.children[4].children[0], &sl.children[4].children[0],
                                          start + 1),
                 6);
    reel_arrow_array_get_list_range(&f.children[5], &sl.children[5], at, &start, &end);
    CHECK_EQ_INT(start, 10);
    CHECK_EQ_INT(end, 12);
    CHECK_NEAR(reel_arrow_array_get_double(&f.children[5].children[0], &sl.children[5].children[0],
                                           start + 1),
               -5.0, 0);
    CHECK(reel_arrow_array_get_bool(&sl.children[6], at));
    int32_t child;
    int64_t child_index;
    reel_arrow_array_get_union(&f.children[7], &sl.children[7], at, &child, &child_index);
    CHECK_EQ_INT(child, 1);
    CHECK_EQ_INT(child_index, 5);
    CHECK(reel_arrow_array_get_bool(&sl.children[7].children[1], child_index));
    CHECK(!reel_arrow_array_is_null(&f.children[7], &sl.children[7], at));
    /* The sparse union's other child holds a null at that index. */
    CHECK(reel_arrow_array_is_null(&f.children[7].children[0], &sl.children[7].children[0], at));

    reel_arrow_array_reset(&sl);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

TEST(equality_compares_logical_values)
{
    reel_arrow_field f = make_field("float");
    /* Same logical values with different bytes under the null and different offsets. */
    float va[] = {1.0f, 99.0f, NAN, -0.0f};
    float vb[] = {7.0f, 1.0f, -5.0f, NAN, -0.0f};
    uint8_t bits_a = 0x0d, bits_b = 0x1a;
    reel_arrow_array a = {.length = 4,
                          .null_count = 1,
                          .n_buffers = 2,
                          .buffers = {{&bits_a, 1, NULL}, {(uint8_t *)va, sizeof va, NULL}}};
    reel_arrow_array b = {.length = 4,
                          .offset = 1,
                          .null_count = 1,
                          .n_buffers = 2,
                          .buffers = {{&bits_b, 1, NULL}, {(uint8_t *)vb, sizeof vb, NULL}}};
    CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, NULL));
    CHECK_OK(reel_arrow_array_validate(&f, &b, REEL_ARROW_VALIDATE_FULL, NULL));
    CHECK(reel_arrow_array_equal(&f, &a, &b));
    vb[4] = 0.0f; /* -0.0 and 0.0 differ by bit pattern */
    CHECK(!reel_arrow_array_equal(&f, &a, &b));
    vb[4] = -0.0f;
    bits_b = 0x1e; /* the null becomes valid */
    b.null_count = 0;
    CHECK(!reel_arrow_array_equal(&f, &a, &b));
    b.length = 3;
    CHECK(!reel_arrow_array_equal(&f, &a, &b));
    reel_arrow_field_reset(&f);

    /* Strings: offsets differ, values equal. */
    f = make_field("string");
    int32_t oa[] = {0, 2, 2, 5}, ob[] = {10, 12, 12, 15};
    const char *da = "hiabc", *db = "0123456789hiabc";
    reel_arrow_array sa = {.length = 3,
                           .n_buffers = 3,
                           .buffers = {{NULL, 0, NULL},
                                       {(uint8_t *)oa, sizeof oa, NULL},
                                       {(const uint8_t *)da, 5, NULL}}};
    reel_arrow_array sb = {.length = 3,
                           .n_buffers = 3,
                           .buffers = {{NULL, 0, NULL},
                                       {(uint8_t *)ob, sizeof ob, NULL},
                                       {(const uint8_t *)db, 15, NULL}}};
    CHECK_OK(reel_arrow_array_validate(&f, &sb, REEL_ARROW_VALIDATE_FULL, NULL));
    CHECK(reel_arrow_array_equal(&f, &sa, &sb));
    ob[3] = 14;
    CHECK(!reel_arrow_array_equal(&f, &sa, &sb));
    reel_arrow_field_reset(&f);

    /* Every generated type: equal to itself, and not to a different random array. */
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field field = make_field(pyarrow_type_strings[i]);
        reel_arrow_array x, y, z;
        CHECK_OK(gen_array(&field, 40, 1, &x));
        CHECK_OK(gen_array(&field, 40, 1, &y));
        CHECK_OK(gen_array(&field, 40, 2, &z));
        CHECK(reel_arrow_array_equal(&field, &x, &y));
        bool trivially_equal =
            field.type == REEL_ARROW_NULL_TYPE ||
            ((field.type == REEL_ARROW_SPARSE_UNION || field.type == REEL_ARROW_DENSE_UNION) &&
             field.n_children == 0);
        if (!CHECK_EQ_INT(reel_arrow_array_equal(&field, &x, &z), trivially_equal))
            fprintf(stderr, "    for %s\n", pyarrow_type_strings[i]);
        reel_arrow_array_reset(&x);
        reel_arrow_array_reset(&y);
        reel_arrow_array_reset(&z);
        reel_arrow_field_reset(&field);
    }
}

/* ---------------------------------------------------------------- JSON */

TEST(json_values)
{
    reel_arrow_field f = make_field(
        "struct<i: int64, u: uint64, d: double, h: halffloat, s: string, b: binary, "
        "fb: fixed_size_binary[2], l: list<item: int8>, t: timestamp[ns], bo: bool, n: null, "
        "du: dense_union<a: int8=5, s: string=9>, d32: date32[day]>");
    reel_arrow_builder *b;
    reel_arrow_array a;
    reel_buf json = {0};
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    reel_arrow_builder *c[13];
    for (int k = 0; k < 13; k++)
        c[k] = reel_arrow_builder_child(b, k);
    /* Row 0: ordinary values. */
    CHECK_OK(reel_arrow_builder_append_int(c[0], INT64_MIN));
    CHECK_OK(reel_arrow_builder_append_uint(c[1], UINT64_MAX));
    CHECK_OK(reel_arrow_builder_append_double(c[2], 0.1));
    CHECK_OK(reel_arrow_builder_append_double(c[3], 1.5));
    const char weird[] = "q\"b\\n\nt\tc\x01\x1f\x7f\xc3\xa9\r\b\f";
    CHECK_OK(reel_arrow_builder_append_bytes(c[4], weird, sizeof weird - 1));
    CHECK_OK(reel_arrow_builder_append_bytes(c[5], "\x00\xff\x10", 3));
    CHECK_OK(reel_arrow_builder_append_bytes(c[6], "\xab\xcd", 2));
    CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(c[7], 0), -1));
    CHECK_OK(reel_arrow_builder_append_null(reel_arrow_builder_child(c[7], 0), 1));
    CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(c[7], 0), 127));
    CHECK_OK(reel_arrow_builder_finish_element(c[7]));
    CHECK_OK(reel_arrow_builder_append_int(c[8], 1700000000123456789));
    CHECK_OK(reel_arrow_builder_append_bool(c[9], true));
    CHECK_OK(reel_arrow_builder_append_null(c[10], 1));
    CHECK_OK(reel_arrow_builder_append_bytes(reel_arrow_builder_child(c[11], 1), "x", 1));
    CHECK_OK(reel_arrow_builder_append_union(c[11], 9));
    CHECK_OK(reel_arrow_builder_append_int(c[12], -3));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    /* Row 1: specials and nulls. */
    CHECK_OK(reel_arrow_builder_append_null(c[0], 1));
    CHECK_OK(reel_arrow_builder_append_uint(c[1], 0));
    CHECK_OK(reel_arrow_builder_append_double(c[2], NAN));
    CHECK_OK(reel_arrow_builder_append_double(c[3], -INFINITY));
    CHECK_OK(reel_arrow_builder_append_bytes(c[4], "", 0));
    CHECK_OK(reel_arrow_builder_append_bytes(c[5], "", 0));
    CHECK_OK(reel_arrow_builder_append_null(c[6], 1));
    CHECK_OK(reel_arrow_builder_finish_element(c[7]));
    CHECK_OK(reel_arrow_builder_append_int(c[8], -1));
    CHECK_OK(reel_arrow_builder_append_bool(c[9], false));
    CHECK_OK(reel_arrow_builder_append_null(c[10], 1));
    CHECK_OK(reel_arrow_builder_append_null(reel_arrow_builder_child(c[11], 0), 1));
    CHECK_OK(reel_arrow_builder_append_union(c[11], 5));
    CHECK_OK(reel_arrow_builder_append_null(c[12], 1));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    CHECK_OK(reel_arrow_builder_append_null(b, 1));
    CHECK_OK(reel_arrow_builder_finish(b, &a, NULL));
    CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, NULL));

    CHECK_EQ_STR(json_of(&f, &a, 0, &json),
                 "{\"i\":-9223372036854775808,\"u\":18446744073709551615,"
                 "\"d\":0.1,\"h\":1.5,"
                 "\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f\x7f\xc3\xa9\\r\\b\\f\","
                 "\"b\":\"00ff10\",\"fb\":\"abcd\",\"l\":[-1,null,127],"
                 "\"t\":1700000000123456789,\"bo\":true,\"n\":null,\"du\":[9,\"x\"],\"d32\":-3}");
    CHECK_EQ_STR(json_of(&f, &a, 1, &json),
                 "{\"i\":null,\"u\":0,\"d\":\"NaN\",\"h\":\"-inf\",\"s\":\"\",\"b\":\"\","
                 "\"fb\":null,\"l\":[],\"t\":-1,\"bo\":false,\"n\":null,\"du\":[5,null],"
                 "\"d32\":null}");
    CHECK_EQ_STR(json_of(&f, &a, 2, &json), "null");
    CHECK_EQ_STR(json_of(&f.children[2], &a.children[2], 2, &json), "null");
    reel_arrow_builder *inf_builder;
    reel_arrow_array inf_array;
    CHECK_OK(reel_arrow_builder_create(&f.children[2], NULL, &inf_builder, NULL));
    CHECK_OK(reel_arrow_builder_append_double(inf_builder, INFINITY));
    CHECK_OK(reel_arrow_builder_append_double(inf_builder, -1e-300));
    CHECK_OK(reel_arrow_builder_finish(inf_builder, &inf_array, NULL));
    CHECK_EQ_STR(json_of(&f.children[2], &inf_array, 0, &json), "\"inf\"");
    CHECK_EQ_STR(json_of(&f.children[2], &inf_array, 1, &json), "-1e-300");
    reel_arrow_array_reset(&inf_array);
    reel_arrow_builder_destroy(inf_builder);

    /* Appends to what is already in the buffer. */
    reel_buf_clear(&json);
    CHECK_OK(reel_buf_printf(&json, "x="));
    CHECK_OK(reel_arrow_value_to_json(&f.children[1], &a.children[1], 1, &json));
    CHECK(json.len == 3 && memcmp(json.data, "x=0", 3) == 0);

    reel_buf_free(&json);
    reel_arrow_array_reset(&a);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
}

/* ---------------------------------------------------------------- references */

TEST(share_and_reset_manage_blob_references)
{
    static const int32_t values[] = {1, 2, 3, 4};
    int released = 0;
    reel_blob *blob = reel_blob_wrap((void *)values, sizeof values, count_release, &released);
    reel_arrow_field f = make_field("list<item: int32>");
    static const int32_t offsets[] = {0, 1, 4};
    reel_arrow_array a = {.length = 2,
                          .n_buffers = 2,
                          .buffers = {{NULL, 0, NULL}, {(const uint8_t *)offsets, 12, NULL}}};
    a.children = reel_alloc_zeroed(NULL, sizeof(reel_arrow_array));
    a.n_children = 1;
    a.children[0] =
        (reel_arrow_array){.length = 4,
                           .n_buffers = 2,
                           .buffers = {{NULL, 0, NULL}, {reel_blob_data(blob), 16, blob}}};
    CHECK_OK(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, NULL));
    reel_arrow_array copy, slice;
    CHECK_OK(reel_arrow_array_share(&copy, &a));
    CHECK_OK(reel_arrow_array_slice(&slice, &f, &a, 1, 1, NULL));
    CHECK(copy.children != a.children);
    reel_arrow_array_reset(&a);
    reel_arrow_array_reset(&copy);
    CHECK_EQ_INT(released, 0);
    int64_t start, end;
    reel_arrow_array_get_list_range(&f, &slice, 0, &start, &end);
    CHECK_EQ_INT(reel_arrow_array_get_int(&f.children[0], &slice.children[0], end - 1), 4);
    reel_arrow_array_reset(&slice);
    CHECK_EQ_INT(released, 1);
    reel_arrow_array_reset(&slice); /* reset is idempotent and NULL-safe */
    reel_arrow_array_reset(NULL);
    CHECK_EQ_INT(released, 1);
    reel_arrow_field_reset(&f);
}

int main(void)
{
    RUN(half_round_trip_is_exhaustive);
    RUN(half_rounds_to_nearest_even);
    RUN(double_to_half_rounds_once);
    RUN(count_nulls_matches_bit_by_bit);
    RUN(slices_equal_fresh_arrays_for_every_type);
    RUN(element_access);
    RUN(equality_compares_logical_values);
    RUN(json_values);
    RUN(share_and_reset_manage_blob_references);
    TEST_MAIN_END();
}
