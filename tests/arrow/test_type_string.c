/* Type strings: reel_arrow_type_format must print exactly what pyarrow's str(type) prints,
 * and reel_arrow_type_parse must read all of it back (also names holding ": ", ", ", ">"),
 * reject garbage with an offset in the message, and survive random input. */
#include "arrow_testing.h"

static void check_round_trip(const char *text)
{
    reel_arrow_field field;
    reel_error err = {0};
    reel_buf out = {0};
    if (!CHECK_OK(reel_arrow_type_parse(text, strlen(text), &field, NULL, &err))) {
        fprintf(stderr, "    '%s': %s\n", text, err.message);
        return;
    }
    CHECK(field.nullable);
    CHECK(field.name == NULL);
    CHECK_OK(reel_arrow_field_validate(&field, NULL));
    CHECK_OK(reel_arrow_type_format(&field, &out));
    CHECK_OK(reel_buf_append_u8(&out, 0));
    CHECK_EQ_STR((const char *)out.data, text);
    reel_buf_free(&out);
    reel_arrow_field_reset(&field);
}

TEST(pyarrow_strings_round_trip)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++)
        check_round_trip(pyarrow_type_strings[i]);
}

static const char *format_of(const reel_arrow_field *field, reel_buf *out)
{
    reel_buf_clear(out);
    if (reel_arrow_type_format(field, out) != REEL_OK || reel_buf_append_u8(out, 0) != REEL_OK)
        return "<failed>";
    return (const char *)out->data;
}

TEST(format_built_fields)
{
    reel_buf out = {0};
    reel_arrow_field f, *child, *grandchild;

    CHECK_OK(reel_arrow_field_init(&f, "ignored", REEL_ARROW_LIST, false, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "item", REEL_ARROW_FLOAT32, true, NULL));
    CHECK_EQ_STR(format_of(&f, &out), "list<item: float>");
    f.children[0].nullable = false;
    CHECK_EQ_STR(format_of(&f, &out), "list<item: float not null>");
    f.type = REEL_ARROW_FIXED_SIZE_LIST;
    f.fixed_size = 3;
    CHECK_EQ_STR(format_of(&f, &out), "fixed_size_list<item: float not null>[3]");
    reel_arrow_field_reset(&f);

    CHECK_OK(reel_arrow_field_init(&f, NULL, REEL_ARROW_DENSE_UNION, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "_null_markers", REEL_ARROW_NULL_TYPE, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "x", REEL_ARROW_INT32, true, NULL));
    CHECK_EQ_STR(format_of(&f, &out), "dense_union<_null_markers: null=0, x: int32=1>");
    f.type = REEL_ARROW_SPARSE_UNION;
    f.union_type_codes[0] = 5;
    f.union_type_codes[1] = 7;
    CHECK_EQ_STR(format_of(&f, &out), "sparse_union<_null_markers: null=5, x: int32=7>");
    reel_arrow_field_reset(&f);

    CHECK_OK(reel_arrow_field_init(&f, NULL, REEL_ARROW_STRUCT, true, NULL));
    CHECK_EQ_STR(format_of(&f, &out), "struct<>");
    CHECK_OK(reel_arrow_field_add_child(&f, "ts", REEL_ARROW_TIMESTAMP, true, &child));
    child->unit = REEL_ARROW_NANO;
    CHECK_EQ_STR(format_of(&f, &out), "struct<ts: timestamp[ns]>");
    CHECK_OK(reel_arrow_field_set_timezone(child, "UTC"));
    CHECK_EQ_STR(format_of(&f, &out), "struct<ts: timestamp[ns, tz=UTC]>");
    CHECK_OK(reel_arrow_field_set_timezone(child, ""));
    CHECK_EQ_STR(format_of(&f, &out), "struct<ts: timestamp[ns]>"); /* as pyarrow */
    CHECK_OK(reel_arrow_field_add_child(&f, "d", REEL_ARROW_DURATION, false, &child));
    child->unit = REEL_ARROW_MICRO;
    CHECK_OK(reel_arrow_field_add_child(&f, "t", REEL_ARROW_TIME32, true, &child));
    child->unit = REEL_ARROW_MILLI;
    CHECK_OK(reel_arrow_field_add_child(&f, "b", REEL_ARROW_FIXED_SIZE_BINARY, true, &child));
    child->fixed_size = 16;
    CHECK_OK(reel_arrow_field_add_child(&f, "l", REEL_ARROW_LARGE_LIST, true, &child));
    CHECK_OK(reel_arrow_field_add_child(child, "", REEL_ARROW_DATE64, true, &grandchild));
    CHECK_OK(reel_arrow_field_add_child(&f, "h", REEL_ARROW_FLOAT16, true, NULL));
    CHECK_EQ_STR(format_of(&f, &out),
                 "struct<ts: timestamp[ns], d: duration[us] not null, t: time32[ms], b: "
                 "fixed_size_binary[16], l: large_list<: date64[ms]>, h: halffloat>");
    reel_arrow_field_reset(&f);

    /* Invalid trees are refused, and leave the output as it was. */
    CHECK_OK(reel_arrow_field_init(&f, NULL, REEL_ARROW_LIST, true, NULL));
    reel_buf_clear(&out);
    CHECK_EQ_INT(reel_arrow_type_format(&f, &out), REEL_INVALID_ARGUMENT);
    CHECK_EQ_U64(out.len, 0);
    reel_arrow_field_reset(&f);
    reel_buf_free(&out);
}

TEST(parse_gives_the_right_tree)
{
    reel_arrow_field f = make_field("sparse_union<a: int32=5, b: string not null=7>");
    CHECK_EQ_INT(f.type, REEL_ARROW_SPARSE_UNION);
    if (CHECK_EQ_INT(f.n_children, 2)) {
        CHECK_EQ_STR(f.children[0].name, "a");
        CHECK(f.children[0].nullable);
        CHECK_EQ_INT(f.children[1].type, REEL_ARROW_UTF8);
        CHECK(!f.children[1].nullable);
        CHECK_EQ_INT(f.union_type_codes[0], 5);
        CHECK_EQ_INT(f.union_type_codes[1], 7);
    }
    reel_arrow_field_reset(&f);

    f = make_field("timestamp[us, tz=Europe/Paris]");
    CHECK_EQ_INT(f.type, REEL_ARROW_TIMESTAMP);
    CHECK_EQ_INT(f.unit, REEL_ARROW_MICRO);
    CHECK_EQ_STR(f.timezone, "Europe/Paris");
    reel_arrow_field_reset(&f);

    /* Names with separators come back whole. */
    f = make_field("struct<a b: int32, : int8, x<y>: int8, c,d: int8, e: f: int8, q\": int8>");
    if (CHECK_EQ_INT(f.n_children, 6)) {
        CHECK_EQ_STR(f.children[0].name, "a b");
        CHECK(f.children[1].name == NULL);
        CHECK_EQ_STR(f.children[2].name, "x<y>");
        CHECK_EQ_STR(f.children[3].name, "c,d");
        CHECK_EQ_STR(f.children[4].name, "e: f");
        CHECK_EQ_INT(f.children[4].type, REEL_ARROW_INT8);
        CHECK_EQ_STR(f.children[5].name, "q\"");
    }
    reel_arrow_field_reset(&f);

    f = make_field("list<a>: b, c: struct<d: e>: int8 not null>>");
    if (CHECK_EQ_INT(f.type, REEL_ARROW_LIST) && CHECK_EQ_INT(f.n_children, 1)) {
        CHECK_EQ_STR(f.children[0].name, "a>: b, c");
        if (CHECK_EQ_INT(f.children[0].n_children, 1)) {
            CHECK_EQ_STR(f.children[0].children[0].name, "d: e>");
            CHECK(!f.children[0].children[0].nullable);
        }
    }
    reel_arrow_field_reset(&f);

    f = make_field("timestamp[ns, tz=a]b]");
    CHECK_EQ_STR(f.timezone, "a]b");
    reel_arrow_field_reset(&f);

    /* Duplicate union codes cannot be the obvious reading, so the first name swallows the
     * second field, as a name may (this is what pyarrow prints for that single field). */
    f = make_field("dense_union<a: int8=1, b: int8=1>");
    if (CHECK_EQ_INT(f.n_children, 1)) {
        CHECK_EQ_STR(f.children[0].name, "a: int8=1, b");
        CHECK_EQ_INT(f.union_type_codes[0], 1);
    }
    reel_arrow_field_reset(&f);
    f = make_field("struct<a: int8,b: int8>");
    if (CHECK_EQ_INT(f.n_children, 1))
        CHECK_EQ_STR(f.children[0].name, "a: int8,b");
    reel_arrow_field_reset(&f);

    /* A struct whose only field is named ">x" starts like an empty struct. */
    f = make_field("struct<>x: int8>");
    if (CHECK_EQ_INT(f.n_children, 1))
        CHECK_EQ_STR(f.children[0].name, ">x");
    reel_arrow_field_reset(&f);
}

TEST(odd_names_format_like_pyarrow)
{
    /* pyarrow prints names raw: str(pa.struct([('n\nl', pa.int8()), ('é', pa.int8())])). */
    reel_arrow_field f;
    reel_buf out = {0};
    CHECK_OK(reel_arrow_field_init(&f, NULL, REEL_ARROW_STRUCT, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "n\nl", REEL_ARROW_INT8, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "\xc3\xa9", REEL_ARROW_INT8, true, NULL));
    CHECK_OK(reel_arrow_field_add_child(&f, "bs\\", REEL_ARROW_INT8, true, NULL));
    CHECK_EQ_STR(format_of(&f, &out), "struct<n\nl: int8, \xc3\xa9: int8, bs\\: int8>");
    check_round_trip((const char *)out.data);
    reel_arrow_field g = make_field((const char *)out.data);
    CHECK(reel_arrow_field_type_equal(&f, &g, true));
    reel_arrow_field_reset(&g);
    reel_arrow_field_reset(&f);
    reel_buf_free(&out);
}

static void check_error(const char *text, reel_status want, const char *want_in_message)
{
    reel_arrow_field field;
    reel_error err = {0};
    reel_status status = reel_arrow_type_parse(text, strlen(text), &field, NULL, &err);
    if (!CHECK_EQ_INT(status, want))
        fprintf(stderr, "    for '%s' (message: %s)\n", text, err.message);
    CHECK_EQ_INT(err.status, want);
    if (!CHECK(strstr(err.message, want_in_message) != NULL))
        fprintf(stderr, "    '%s' gave '%s', expected to contain '%s'\n", text, err.message,
                want_in_message);
    /* The output is a valid empty field either way. */
    CHECK_EQ_INT(field.type, REEL_ARROW_NULL_TYPE);
    CHECK_EQ_INT(field.n_children, 0);
    reel_arrow_field_reset(&field);
}

TEST(garbage_is_rejected_with_offsets)
{
    check_error("", REEL_INVALID_ARGUMENT, "expected a type name at offset 0");
    check_error("int", REEL_INVALID_ARGUMENT, "unknown type 'int' at offset 0");
    check_error("int32 ", REEL_INVALID_ARGUMENT, "unexpected text after the type at offset 5");
    check_error("list<item float>", REEL_INVALID_ARGUMENT, "expected 'name: type' at offset 5");
    check_error("list<item: float", REEL_INVALID_ARGUMENT, "expected '>' at offset 16");
    check_error("list<item: float>x", REEL_INVALID_ARGUMENT, "at offset 17");
    check_error("struct<a: int8,b: int8", REEL_INVALID_ARGUMENT, "expected '>' at offset 14");
    check_error("fixed_size_binary[0]", REEL_INVALID_ARGUMENT,
                "fixed size must be > 0 at offset 18");
    check_error("fixed_size_binary[-1]", REEL_INVALID_ARGUMENT, "expected a number at offset 18");
    check_error("fixed_size_binary[99999999999]", REEL_INVALID_ARGUMENT, "number too large");
    check_error("fixed_size_binary[007]", REEL_INVALID_ARGUMENT, "offset 18");
    check_error("fixed_size_list<item: float>[0]", REEL_INVALID_ARGUMENT, "fixed size must be > 0");
    check_error("time32[us]", REEL_INVALID_ARGUMENT,
                "unit 'us' is not valid for time32 at offset 7");
    check_error("time64[s]", REEL_INVALID_ARGUMENT, "not valid for time64");
    check_error("timestamp[xs]", REEL_INVALID_ARGUMENT, "expected a time unit");
    check_error("timestamp[ns, tz=]", REEL_INVALID_ARGUMENT, "empty timezone at offset 17");
    check_error("date32[ms]", REEL_INVALID_ARGUMENT, "expected '[day]' at offset 6");
    check_error("dense_union<a: int8=1, b: int9=1>", REEL_INVALID_ARGUMENT,
                "unknown type 'int9' at offset 26");
    check_error("dense_union<a: int8=1, b: int8=1", REEL_INVALID_ARGUMENT,
                "duplicate union type code 1 at offset 31");
    check_error("dense_union<a: int8=128>", REEL_INVALID_ARGUMENT, "number too large (max 127)");
    check_error("dense_union<a: int8>", REEL_INVALID_ARGUMENT, "expected '='");
    check_error("list<item: string_view>", REEL_UNSUPPORTED,
                "type 'string_view' is not supported at offset 11");
    check_error("decimal128(39, 2)", REEL_INVALID_ARGUMENT, "number too large (max 38)");
    check_error("decimal32(10, 2)", REEL_INVALID_ARGUMENT, "number too large (max 9)");
    check_error("decimal128(0, 2)", REEL_INVALID_ARGUMENT, "precision must be >= 1 at offset 11");
    check_error("decimal128(10,2)", REEL_INVALID_ARGUMENT, "expected ', ' at offset 13");
    check_error("decimal128(10, -0)", REEL_INVALID_ARGUMENT, "negative zero scale at offset 15");
    check_error("decimal128(10, 128)", REEL_UNSUPPORTED, "scale 128 is outside -128..127");
    check_error("decimal128(10, -129)", REEL_UNSUPPORTED, "scale -129 is outside");
    check_error("decimal128(10, 2", REEL_INVALID_ARGUMENT, "expected ')' at offset 16");
    check_error("map<string>", REEL_INVALID_ARGUMENT, "expected ', ' at offset 10");
    check_error("map<string, int8, sorted>", REEL_INVALID_ARGUMENT, "expected '>'");
    check_error("map<string ('key'), int8>", REEL_INVALID_ARGUMENT, "'key' is the default name");
    check_error("map<string ('k, int8>", REEL_INVALID_ARGUMENT, "name without closing");
    check_error("dictionary<values=string, indices=float, ordered=0>", REEL_INVALID_ARGUMENT,
                "indices must be an integer type at offset 34");
    check_error("dictionary<values=string, indices=int8, ordered=2>", REEL_INVALID_ARGUMENT,
                "expected 0 or 1 at offset 48");
    check_error("dictionary<string>", REEL_INVALID_ARGUMENT, "expected 'values=' at offset 11");
    check_error("struct<a\0b: int8>", REEL_INVALID_ARGUMENT, "offset");
    check_error("struct<a\xff: int8>", REEL_INVALID_ARGUMENT,
                "field name is not valid UTF-8 at offset 8");
    check_error("timestamp[s, tz=\xc3]", REEL_INVALID_ARGUMENT,
                "timezone is not valid UTF-8 at offset 16");

    /* A NUL inside the given length is never part of a name. */
    const char with_nul[] = "struct<a\0b: int8>";
    reel_arrow_field field;
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_type_parse(with_nul, sizeof with_nul - 1, &field, NULL, &err),
                 REEL_INVALID_ARGUMENT);
    reel_arrow_field_reset(&field);

    /* NULL text with a length, and a NULL text with length 0. */
    CHECK_EQ_INT(reel_arrow_type_parse(NULL, 3, &field, NULL, &err), REEL_INVALID_ARGUMENT);
    reel_arrow_field_reset(&field);
    CHECK_EQ_INT(reel_arrow_type_parse(NULL, 0, &field, NULL, &err), REEL_INVALID_ARGUMENT);
    reel_arrow_field_reset(&field);
}

TEST(nesting_is_limited)
{
    reel_buf text = {0};
    for (int depth = 60; depth <= 70; depth += 10) {
        reel_buf_clear(&text);
        for (int i = 0; i < depth; i++)
            CHECK_OK(reel_buf_printf(&text, "list<item: "));
        CHECK_OK(reel_buf_printf(&text, "int8"));
        for (int i = 0; i < depth; i++)
            CHECK_OK(reel_buf_printf(&text, ">"));
        CHECK_OK(reel_buf_append_u8(&text, 0));
        reel_arrow_field field;
        reel_error err = {0};
        reel_status status =
            reel_arrow_type_parse((const char *)text.data, text.len - 1, &field, NULL, &err);
        if (depth <= 64) {
            CHECK_OK(status);
        } else {
            CHECK_EQ_INT(status, REEL_LIMIT);
            CHECK(strstr(err.message, "nested deeper than 64") != NULL);
        }
        reel_arrow_field_reset(&field);
    }
    /* 100000 levels must not overflow the stack either. */
    reel_buf_clear(&text);
    for (int i = 0; i < 100000; i++)
        CHECK_OK(reel_buf_printf(&text, "struct<a: "));
    reel_arrow_field field;
    CHECK_EQ_INT(reel_arrow_type_parse((const char *)text.data, text.len, &field, NULL, NULL),
                 REEL_LIMIT);
    reel_arrow_field_reset(&field);
    reel_buf_free(&text);
}

TEST(ambiguous_input_is_bounded)
{
    /* Many ": " and ", " make the backtracking search explode without its budget. */
    reel_buf text = {0};
    CHECK_OK(reel_buf_printf(&text, "struct<"));
    for (int i = 0; i < 3000; i++)
        CHECK_OK(reel_buf_printf(&text, "a: struct<b: int8>, "));
    CHECK_OK(reel_buf_printf(&text, "z: int9>"));
    reel_arrow_field field;
    reel_error err = {0};
    uint64_t start = reel_clock_monotonic_ns();
    CHECK_EQ_INT(reel_arrow_type_parse((const char *)text.data, text.len, &field, NULL, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "unknown type 'int9'") != NULL);
    CHECK((reel_clock_monotonic_ns() - start) < 5000000000u);
    reel_arrow_field_reset(&field);

    /* A long but plain struct takes the fast path, however many fields it has. */
    reel_buf_clear(&text);
    CHECK_OK(reel_buf_printf(&text, "struct<"));
    for (int i = 0; i < 20000; i++)
        CHECK_OK(reel_buf_printf(&text, "%sf%d: list<item: float not null>", i ? ", " : "", i));
    CHECK_OK(reel_buf_printf(&text, ">"));
    CHECK_OK(reel_arrow_type_parse((const char *)text.data, text.len, &field, NULL, &err));
    CHECK_EQ_INT(field.n_children, 20000);
    reel_arrow_field_reset(&field);
    reel_buf_free(&text);
}

TEST(random_input_never_crashes)
{
    /* Mutations of valid strings and random bytes: either an error, or a tree that prints
     * back exactly as the input. */
    static const char alphabet[] = "<>[]:, =intlsgf0123456789_ustructlistnull";
    test_rng r = {42};
    reel_buf out = {0};
    char text[160];
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        const char *base = pyarrow_type_strings[rng_below(&r, PYARROW_TYPE_COUNT)];
        size_t len = strlen(base);
        if (len >= sizeof text - 8)
            continue;
        memcpy(text, base, len);
        int edits = 1 + rng_below(&r, 3);
        for (int e = 0; e < edits; e++) {
            int op = rng_below(&r, 4);
            size_t at = len ? (size_t)rng_below(&r, (int)len) : 0;
            if (op == 0 && len > 0) { /* delete */
                memmove(text + at, text + at + 1, len - at - 1);
                len--;
            } else if (op == 1 && len + 1 < sizeof text) { /* insert */
                memmove(text + at + 1, text + at, len - at);
                text[at] = alphabet[rng_below(&r, (int)sizeof alphabet - 1)];
                len++;
            } else if (op == 2 && len > 0) { /* replace */
                text[at] = (char)rng_next(&r);
            } else { /* truncate */
                len = at;
            }
        }
        reel_arrow_field field;
        reel_error err = {0};
        reel_status status = reel_arrow_type_parse(text, len, &field, NULL, &err);
        if (status == REEL_OK) {
            accepted++;
            reel_buf_clear(&out);
            CHECK_OK(reel_arrow_type_format(&field, &out));
            if (!CHECK(out.len == len && memcmp(out.data, text, len) == 0))
                fprintf(stderr, "    '%.*s' printed as '%.*s'\n", (int)len, text, (int)out.len,
                        (const char *)out.data);
            CHECK_OK(reel_arrow_field_validate(&field, NULL));
        } else {
            CHECK(strstr(err.message, "offset") != NULL);
        }
        reel_arrow_field_reset(&field);
    }
    CHECK(accepted > 100);
    reel_buf_free(&out);
}

int main(void)
{
    RUN(pyarrow_strings_round_trip);
    RUN(format_built_fields);
    RUN(parse_gives_the_right_tree);
    RUN(odd_names_format_like_pyarrow);
    RUN(garbage_is_rejected_with_offsets);
    RUN(nesting_is_limited);
    RUN(ambiguous_input_is_bounded);
    RUN(random_input_never_crashes);
    TEST_MAIN_END();
}
