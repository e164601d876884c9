/* Field trees: names, children, metadata, deep copies, type equality, the per-type layout
 * facts and the structural checks of reel_arrow_field_validate. */
#include "arrow_testing.h"

TEST(type_names_follow_pyarrow)
{
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_NULL_TYPE), "null");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_FLOAT16), "halffloat");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_FLOAT32), "float");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_FLOAT64), "double");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_UTF8), "string");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_DENSE_UNION), "dense_union");
    CHECK_EQ_STR(reel_arrow_type_name(REEL_ARROW_TYPE_COUNT), "invalid");
    CHECK_EQ_STR(reel_arrow_type_name((reel_arrow_type)-1), "invalid");
}

TEST(build_children_and_metadata)
{
    reel_arrow_field f, *child;
    CHECK_OK(reel_arrow_field_init(&f, "schema", REEL_ARROW_STRUCT, false, NULL));
    CHECK_EQ_STR(f.name, "schema");
    CHECK(!f.nullable);
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        CHECK_OK(reel_arrow_field_add_child(&f, name, REEL_ARROW_INT32, i % 2 == 0, &child));
        CHECK(child == &f.children[i]);
        CHECK_EQ_STR(child->name, name);
    }
    CHECK_EQ_INT(f.n_children, 40);
    CHECK_EQ_STR(f.children[39].name, "c39");
    CHECK(f.union_type_codes == NULL);

    /* Empty names are stored as NULL. */
    CHECK_OK(reel_arrow_field_add_child(&f, "", REEL_ARROW_BOOL, true, &child));
    CHECK(child->name == NULL);
    CHECK_OK(reel_arrow_field_set_name(child, "renamed"));
    CHECK_EQ_STR(child->name, "renamed");
    CHECK_OK(reel_arrow_field_set_name(child, NULL));
    CHECK(child->name == NULL);

    CHECK(reel_arrow_metadata_get(&f.metadata, "k") == NULL);
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, f.alloc, "k", "v1"));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, f.alloc, "other", ""));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, f.alloc, "k", "v2"));
    CHECK_EQ_INT(f.metadata.count, 2);
    CHECK_EQ_STR(reel_arrow_metadata_get(&f.metadata, "k"), "v2");
    CHECK_EQ_STR(f.metadata.items[0].key, "k"); /* order kept, replaced in place */
    CHECK_EQ_STR(reel_arrow_metadata_get(&f.metadata, "other"), "");
    CHECK_EQ_INT(reel_arrow_metadata_set(&f.metadata, f.alloc, NULL, "x"), REEL_INVALID_ARGUMENT);
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    reel_arrow_field_reset(&f);
    CHECK(f.children == NULL && f.n_children == 0 && f.name == NULL && f.metadata.count == 0);
    reel_arrow_field_reset(&f); /* twice is fine */
    reel_arrow_field_reset(NULL);
}

TEST(union_codes_default_to_the_index)
{
    reel_arrow_field f;
    CHECK_OK(reel_arrow_field_init(&f, NULL, REEL_ARROW_SPARSE_UNION, true, NULL));
    for (int i = 0; i < 128; i++)
        CHECK_OK(reel_arrow_field_add_child(&f, "x", REEL_ARROW_INT8, true, NULL));
    CHECK_EQ_INT(reel_arrow_field_add_child(&f, "x", REEL_ARROW_INT8, true, NULL), REEL_LIMIT);
    CHECK_EQ_INT(f.union_type_codes[0], 0);
    CHECK_EQ_INT(f.union_type_codes[127], 127);
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    reel_arrow_field_reset(&f);
}

TEST(copy_is_deep_and_equal)
{
    reel_arrow_field src =
        make_field("struct<a: list<item: struct<x: float, y: timestamp[ns, tz=UTC] not null>>, "
                   "u: dense_union<n: null=3, s: string=9>, b: fixed_size_binary[16]>");
    CHECK_OK(reel_arrow_field_set_name(&src, "top"));
    CHECK_OK(reel_arrow_metadata_set(&src.metadata, NULL, "schema", "meta"));
    CHECK_OK(reel_arrow_metadata_set(&src.children[1].metadata, NULL, "rerun:component", "X"));
    reel_arrow_field dst;
    CHECK_OK(reel_arrow_field_copy(&dst, &src, NULL));
    CHECK(reel_arrow_field_type_equal(&src, &dst, true));
    CHECK_EQ_STR(dst.name, "top");
    CHECK(dst.children[0].name != src.children[0].name); /* owned copies */
    CHECK(dst.children[1].union_type_codes != src.children[1].union_type_codes);
    CHECK_EQ_INT(dst.children[1].union_type_codes[1], 9);
    CHECK_EQ_STR(dst.children[0].children[0].children[1].timezone, "UTC");
    CHECK_EQ_STR(reel_arrow_metadata_get(&dst.children[1].metadata, "rerun:component"), "X");

    /* Changing the copy leaves the source alone. */
    dst.children[1].union_type_codes[1] = 10;
    CHECK_EQ_INT(src.children[1].union_type_codes[1], 9);
    CHECK(!reel_arrow_field_type_equal(&src, &dst, false));
    reel_arrow_field_reset(&dst);
    reel_arrow_field_reset(&src);
}

static bool equal_after(const char *a, const char *b)
{
    reel_arrow_field fa = make_field(a), fb = make_field(b);
    bool equal = reel_arrow_field_type_equal(&fa, &fb, false);
    reel_arrow_field_reset(&fa);
    reel_arrow_field_reset(&fb);
    return equal;
}

TEST(type_equality)
{
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        for (int j = 0; j < PYARROW_TYPE_COUNT; j++) {
            bool equal = equal_after(pyarrow_type_strings[i], pyarrow_type_strings[j]);
            if (!CHECK_EQ_INT(equal, i == j))
                fprintf(stderr, "    %s vs %s\n", pyarrow_type_strings[i], pyarrow_type_strings[j]);
        }
    }
    CHECK(!equal_after("list<item: float>", "list<element: float>"));
    CHECK(!equal_after("list<item: float>", "list<item: float not null>"));
    CHECK(!equal_after("fixed_size_list<item: float>[3]", "fixed_size_list<item: float>[4]"));
    CHECK(!equal_after("timestamp[ns, tz=UTC]", "timestamp[ns]"));
    CHECK(!equal_after("sparse_union<a: int8=1>", "sparse_union<a: int8=2>"));
    CHECK(!equal_after("struct<a: int8>", "struct<a: int8, b: int8>"));

    /* Top-level names and nullability are not part of the type; metadata only on request
     * (at every level); a NULL timezone equals an empty one. */
    reel_arrow_field a = make_field("struct<x: timestamp[s]>"),
                     b = make_field("struct<x: timestamp[s]>");
    CHECK_OK(reel_arrow_field_set_name(&a, "one"));
    b.nullable = false;
    CHECK(reel_arrow_field_type_equal(&a, &b, true));
    CHECK_OK(reel_arrow_field_set_timezone(&a.children[0], ""));
    CHECK(reel_arrow_field_type_equal(&a, &b, true));
    CHECK_OK(reel_arrow_metadata_set(&b.children[0].metadata, NULL, "k", "v"));
    CHECK(reel_arrow_field_type_equal(&a, &b, false));
    CHECK(!reel_arrow_field_type_equal(&a, &b, true));
    CHECK_OK(reel_arrow_metadata_set(&a.children[0].metadata, NULL, "k", "v"));
    CHECK(reel_arrow_field_type_equal(&a, &b, true));
    reel_arrow_field_reset(&a);
    reel_arrow_field_reset(&b);
}

TEST(layout_facts)
{
    static const struct {
        const char *type;
        int32_t buffers, width;
    } facts[] = {
        {"null", 0, -1},
        {"bool", 2, 0},
        {"int8", 2, 1},
        {"uint16", 2, 2},
        {"halffloat", 2, 2},
        {"int32", 2, 4},
        {"float", 2, 4},
        {"date32[day]", 2, 4},
        {"time32[ms]", 2, 4},
        {"int64", 2, 8},
        {"uint64", 2, 8},
        {"double", 2, 8},
        {"date64[ms]", 2, 8},
        {"time64[ns]", 2, 8},
        {"timestamp[us, tz=UTC]", 2, 8},
        {"duration[s]", 2, 8},
        {"fixed_size_binary[5]", 2, 5},
        {"string", 3, -1},
        {"large_binary", 3, -1},
        {"list<item: int8>", 2, -1},
        {"large_list<item: int8>", 2, -1},
        {"fixed_size_list<item: int8>[2]", 1, -1},
        {"struct<a: int8>", 1, -1},
        {"sparse_union<a: int8=0>", 1, -1},
        {"dense_union<a: int8=0>", 2, -1},
    };
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        reel_arrow_field f = make_field(facts[i].type);
        if (!CHECK_EQ_INT(reel_arrow_type_buffer_count(f.type), facts[i].buffers) ||
            !CHECK_EQ_INT(reel_arrow_fixed_width(&f), facts[i].width))
            fprintf(stderr, "    for %s\n", facts[i].type);
        reel_arrow_field_reset(&f);
    }
    CHECK_EQ_INT(reel_arrow_type_buffer_count(REEL_ARROW_TYPE_COUNT), -1);
}

static void check_invalid(reel_arrow_field *f, const char *want_in_message)
{
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_field_validate(f, &err), REEL_INVALID_ARGUMENT);
    if (!CHECK(strstr(err.message, want_in_message) != NULL))
        fprintf(stderr, "    got '%s', expected '%s'\n", err.message, want_in_message);
}

TEST(validate_catches_malformed_fields)
{
    reel_arrow_field f =
        make_field("struct<positions: list<item: fixed_size_list<item: float>[3]>>");
    CHECK_OK(reel_arrow_field_validate(&f, NULL));

    f.children[0].children[0].fixed_size = 0;
    check_invalid(&f, "column 'positions'.item: fixed_size_list size must be > 0, is 0");
    f.children[0].children[0].fixed_size = 3;

    f.children[0].children[0].children[0].type = REEL_ARROW_TIME32;
    f.children[0].children[0].children[0].unit = REEL_ARROW_NANO;
    check_invalid(&f, "column 'positions'.item.item: time unit 3 is not valid for time32");
    f.children[0].children[0].children[0].type = REEL_ARROW_FLOAT32;

    f.children[0].type = REEL_ARROW_STRUCT; /* fine: a struct may have one child */
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    f.children[0].type = REEL_ARROW_INT32;
    check_invalid(&f, "column 'positions': int32 must have 0 child field(s), has 1");
    f.children[0].type = (reel_arrow_type)99;
    check_invalid(&f, "invalid type number 99");
    f.children[0].type = REEL_ARROW_LIST;

    CHECK_OK(reel_arrow_field_set_timezone(&f.children[0], "UTC"));
    check_invalid(&f, "only timestamps have a timezone");
    reel_arrow_field_reset(&f);

    f = make_field("dense_union<a: int8=1, b: int8=2>");
    f.union_type_codes[1] = 1;
    check_invalid(&f, "top level: union type code 1 of child 1 is a duplicate");
    f.union_type_codes[1] = -4;
    check_invalid(&f, "union type code -4 of child 1 is negative");
    reel_arrow_field_reset(&f);

    f = make_field("list<item: int8>");
    reel_arrow_field_reset(&f.children[0]);
    reel_free(NULL, f.children, sizeof(reel_arrow_field));
    f.children = NULL;
    check_invalid(&f, "children missing");
    f.n_children = 0;
    check_invalid(&f, "list must have 1 child field(s), has 0");
    reel_arrow_field_reset(&f);

    /* Unnamed children are shown by index. */
    f = make_field("struct<: struct<: fixed_size_binary[2]>>");
    f.children[0].children[0].fixed_size = -1;
    check_invalid(&f, "column [0][0]: fixed_size_binary size must be > 0, is -1");
    reel_arrow_field_reset(&f);
}

TEST(validate_requires_utf8_text)
{
    reel_arrow_field f = make_field("struct<ok: list<item: timestamp[ns, tz=UTC]>>");
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    CHECK_OK(reel_arrow_field_set_name(&f.children[0].children[0], "it\xff"
                                                                   "em"));
    check_invalid(&f, "column 'ok'[0]: field name is not valid UTF-8 (byte 0xff at position 2)");
    CHECK_OK(reel_arrow_field_set_name(&f.children[0].children[0], "\xc3\xa9t\xc3\xa9"));
    CHECK_OK(reel_arrow_field_validate(&f, NULL));
    CHECK_OK(reel_arrow_field_set_timezone(&f.children[0].children[0], "UT\xc3"));
    check_invalid(&f, "column 'ok'.\xc3\xa9t\xc3\xa9: timezone is not valid UTF-8 (byte 0xc3");
    CHECK_OK(reel_arrow_field_set_timezone(&f.children[0].children[0], "UTC"));
    CHECK_OK(reel_arrow_metadata_set(&f.metadata, NULL, "k\xed\xa0\x80", "v"));
    check_invalid(&f, "top level: metadata key is not valid UTF-8 (byte 0xed at position 1)");
    reel_arrow_metadata_reset(&f.metadata, NULL);
    CHECK_OK(reel_arrow_metadata_set(&f.children[0].metadata, NULL, "k", "\x80"));
    check_invalid(&f, "column 'ok': metadata value is not valid UTF-8 (byte 0x80 at position 0)");
    reel_arrow_field_reset(&f);
}

TEST(validate_limits_depth)
{
    reel_arrow_field root, *node;
    CHECK_OK(reel_arrow_field_init(&root, "deep", REEL_ARROW_LIST, true, NULL));
    node = &root;
    for (int i = 0; i < 70; i++)
        CHECK_OK(reel_arrow_field_add_child(
            node, "item", i == 69 ? REEL_ARROW_INT8 : REEL_ARROW_LIST, true, &node));
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_field_validate(&root, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "column 'deep'.item.item") == err.message);
    CHECK(strstr(err.message, "nested deeper than 64") != NULL);
    reel_arrow_field copy;
    CHECK_EQ_INT(reel_arrow_field_copy(&copy, &root, NULL), REEL_LIMIT);
    CHECK(copy.children == NULL);
    reel_arrow_field_reset(&root);
}

int main(void)
{
    RUN(type_names_follow_pyarrow);
    RUN(build_children_and_metadata);
    RUN(union_codes_default_to_the_index);
    RUN(copy_is_deep_and_equal);
    RUN(type_equality);
    RUN(layout_facts);
    RUN(validate_catches_malformed_fields);
    RUN(validate_requires_utf8_text);
    RUN(validate_limits_depth);
    TEST_MAIN_END();
}
