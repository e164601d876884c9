/* Validation: hand-corrupted arrays (bad offsets, short buffers, bad UTF-8, bad union codes
 * and dense offsets, wrong null counts, wrong buffer and child counts, overflowing sizes)
 * must be caught at the right level with a message naming the column and the values, and
 * every valid array must pass. Hand-made arrays here borrow static memory: never reset. */
#include "arrow_testing.h"

#define BUF(ptr, size) ((reel_arrow_buffer){(const uint8_t *)(ptr), (int64_t)(size), NULL})
#define NONE ((reel_arrow_buffer){NULL, 0, NULL})

static void expect_ok(const reel_arrow_field *f, const reel_arrow_array *a,
                      reel_arrow_validate_level level)
{
    reel_error err = {0};
    if (!CHECK_OK(reel_arrow_array_validate(f, a, level, &err)))
        fprintf(stderr, "    unexpected error: %s\n", err.message);
}

static void expect_bad(const reel_arrow_field *f, const reel_arrow_array *a,
                       reel_arrow_validate_level level, const char *want)
{
    reel_error err = {0};
    reel_status status = reel_arrow_array_validate(f, a, level, &err);
    CHECK(status != REEL_OK);
    if (!CHECK(strstr(err.message, want) != NULL))
        fprintf(stderr, "    got '%s'\n    want '%s'\n", err.message, want);
}

/* A record batch with one column: the schema's root is unnamed, the column named. */
typedef struct batch1 {
    reel_arrow_field schema;
    reel_arrow_array root;
    reel_arrow_array column;
} batch1;

static void batch_init(batch1 *b, const char *column_type)
{
    char text[256];
    snprintf(text, sizeof text, "struct<positions: %s>", column_type);
    b->schema = make_field(text);
    memset(&b->column, 0, sizeof b->column);
    b->root = (reel_arrow_array){.n_buffers = 1, .n_children = 1, .children = &b->column};
}

static void batch_set_length(batch1 *b, int64_t length)
{
    b->root.length = length;
}

TEST(offsets)
{
    static const int32_t non_monotonic[] = {0, 3, 1, 5};
    static const int32_t beyond[] = {0, 2, 9};
    static const int32_t negative[] = {-1, 2, 3};
    batch1 b;
    batch_init(&b, "string");
    batch_set_length(&b, 3);
    b.column = (reel_arrow_array){
        .length = 3, .n_buffers = 3, .buffers = {NONE, BUF(non_monotonic, 16), BUF("abcde", 5)}};
    expect_ok(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT); /* only the ends are looked at */
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_FULL,
               "column 'positions': offset 2 (1) is less than offset 1 (3)");
    expect_ok(&b.schema, &b.root, REEL_ARROW_VALIDATE_NONE);

    b.column.buffers[1] = BUF(beyond, 12);
    b.column.length = 2;
    batch_set_length(&b, 2);
    expect_bad(
        &b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT,
        "column 'positions': data buffer too short: need 9 bytes for the last offset, have 5");
    b.column.buffers[1] = BUF(negative, 12);
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT,
               "column 'positions': offset 0 is negative (-1)");

    /* Offsets too short for offset + length + 1 entries, and absent. */
    b.column.buffers[1] = BUF(non_monotonic, 8);
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT,
               "offsets buffer too short: need 12 bytes for offset + length + 1 offsets, have 8");
    b.column.buffers[1] = NONE;
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT, "offsets buffer too short");
    /* ...which is fine for an empty array, with or without the other buffers. */
    b.column.length = 0;
    b.column.buffers[2] = NONE;
    batch_set_length(&b, 0);
    expect_ok(&b.schema, &b.root, REEL_ARROW_VALIDATE_FULL);
    reel_arrow_field_reset(&b.schema);

    /* Large offsets. */
    static const int64_t large[] = {0, 4, 2};
    batch_init(&b, "large_binary");
    batch_set_length(&b, 2);
    b.column = (reel_arrow_array){
        .length = 2, .n_buffers = 3, .buffers = {NONE, BUF(large, 24), BUF("abcd", 4)}};
    expect_ok(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT);
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_FULL,
               "offset 2 (2) is less than offset 1 (4)");
    reel_arrow_field_reset(&b.schema);
}

TEST(nested_list_offsets)
{
    /* positions: list<item: list<item: float>> where the inner offsets go backwards. */
    static const int32_t outer[] = {0, 2, 3};
    static const int32_t inner_bad[] = {0, 3, 1, 4};
    static const int32_t inner_beyond[] = {0, 3, 5, 7};
    static const float values[6] = {0};
    batch1 b;
    batch_init(&b, "list<item: list<item: float>>");
    batch_set_length(&b, 2);
    reel_arrow_array inner[1], leaf[1];
    leaf[0] = (reel_arrow_array){.length = 6, .n_buffers = 2, .buffers = {NONE, BUF(values, 24)}};
    inner[0] = (reel_arrow_array){.length = 3,
                                  .n_buffers = 2,
                                  .n_children = 1,
                                  .children = leaf,
                                  .buffers = {NONE, BUF(inner_bad, 16)}};
    b.column = (reel_arrow_array){.length = 2,
                                  .n_buffers = 2,
                                  .n_children = 1,
                                  .children = inner,
                                  .buffers = {NONE, BUF(outer, 12)}};
    expect_ok(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT);
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_FULL,
               "column 'positions'.item: offset 2 (1) is less than offset 1 (3)");
    inner[0].buffers[1] = BUF(inner_beyond, 16);
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT,
               "column 'positions'.item: last offset 7 is beyond the child's 6 elements");
    /* The outer list pointing past its child. */
    inner[0].length = 2;
    expect_bad(&b.schema, &b.root, REEL_ARROW_VALIDATE_DEFAULT,
               "column 'positions': last offset 3 is beyond the child's 2 elements");
    reel_arrow_field_reset(&b.schema);
}

TEST(utf8)
{
    static const struct {
        const char *bytes;
        size_t len;
        bool valid;
    } cases[] = {
        {"plain ascii, long enough for the word loop", 42, true},
        {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, true},
        {"\xf4\x8f\xbf\xbf", 4, true}, /* U+10FFFF */
        {"\xef\xbf\xbf", 3, true},     /* U+FFFF */
        {"", 0, true},
        {"\xff", 1, false},
        {"ok\x80", 3, false},           /* lone continuation */
        {"\xc0\x80", 2, false},         /* overlong NUL */
        {"\xe0\x9f\xbf", 3, false},     /* overlong */
        {"\xed\xa0\x80", 3, false},     /* surrogate */
        {"\xe2\x82", 2, false},         /* truncated */
        {"\xf4\x90\x80\x80", 4, false}, /* above U+10FFFF */
        {"\xf5\x80\x80\x80", 4, false},
        {"abcdefgh\xc3", 9, false},
    };
    reel_arrow_field utf8 = make_field("string"), binary = make_field("binary");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t offsets[3] = {0, 1, 1 + (int32_t)cases[i].len};
        char data[64] = "x";
        memcpy(data + 1, cases[i].bytes, cases[i].len);
        reel_arrow_array a = {.length = 2,
                              .n_buffers = 3,
                              .buffers = {NONE, BUF(offsets, 12), BUF(data, 1 + cases[i].len)}};
        expect_ok(&binary, &a, REEL_ARROW_VALIDATE_FULL);
        expect_ok(&utf8, &a, REEL_ARROW_VALIDATE_DEFAULT);
        if (cases[i].valid)
            expect_ok(&utf8, &a, REEL_ARROW_VALIDATE_FULL);
        else
            expect_bad(&utf8, &a, REEL_ARROW_VALIDATE_FULL,
                       "element 1 is not valid UTF-8 (byte 0x");
        /* Bytes under a null are not looked at. */
        uint8_t validity = 0x01;
        a.buffers[0] = BUF(&validity, 1);
        a.null_count = 1;
        expect_ok(&utf8, &a, REEL_ARROW_VALIDATE_FULL);
    }
    /* A character split between two elements is invalid in both. */
    int32_t offsets[3] = {0, 1, 3};
    reel_arrow_array split = {
        .length = 2, .n_buffers = 3, .buffers = {NONE, BUF(offsets, 12), BUF("\xc3\xa9x", 3)}};
    expect_bad(&utf8, &split, REEL_ARROW_VALIDATE_FULL,
               "top level: element 0 is not valid UTF-8 (byte 0xc3 at position 0)");
    reel_arrow_field_reset(&utf8);
    reel_arrow_field_reset(&binary);
}

TEST(unions)
{
    static const int8_t sparse_codes[] = {5, 6, 7};
    static const int32_t values[3] = {1, 2, 3};
    reel_arrow_field f = make_field("sparse_union<a: int32=5, b: int32=7>");
    reel_arrow_array kids[2] = {
        {.length = 3, .n_buffers = 2, .buffers = {NONE, BUF(values, 12)}},
        {.length = 3, .n_buffers = 2, .buffers = {NONE, BUF(values, 12)}},
    };
    reel_arrow_array a = {.length = 3,
                          .n_buffers = 1,
                          .buffers = {BUF(sparse_codes, 3)},
                          .n_children = 2,
                          .children = kids};
    expect_ok(&f, &a, REEL_ARROW_VALIDATE_DEFAULT);
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_FULL,
               "top level: element 1 has type code 6, which is not one of the union's");
    a.offset = 2;
    a.length = 1;
    expect_ok(&f, &a, REEL_ARROW_VALIDATE_FULL); /* the bad code is outside the slice */
    a.offset = 0;
    a.length = 3;
    kids[1].length = 2;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT,
               "child 1 ('b') has 2 elements, the sparse union needs 3");
    kids[1].length = 3;
    a.buffers[0] = BUF(sparse_codes, 2);
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT,
               "type ids buffer too short: need 3 bytes for offset + length type ids, have 2");
    a.buffers[0] = BUF(sparse_codes, 3);
    a.null_count = 1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "null_count of a union must be 0, is 1");
    reel_arrow_field_reset(&f);

    static const int8_t dense_codes[] = {0, 0, 1};
    int32_t dense_offsets[] = {0, 1, 0};
    f = make_field("dense_union<a: int32=0, b: int32=1>");
    kids[0].length = 2;
    kids[1].length = 1;
    reel_arrow_array d = {.length = 3,
                          .n_buffers = 2,
                          .buffers = {BUF(dense_codes, 3), BUF(dense_offsets, 12)},
                          .n_children = 2,
                          .children = kids};
    expect_ok(&f, &d, REEL_ARROW_VALIDATE_FULL);
    dense_offsets[1] = 2;
    expect_ok(&f, &d, REEL_ARROW_VALIDATE_DEFAULT);
    expect_bad(&f, &d, REEL_ARROW_VALIDATE_FULL,
               "element 1: offset 2 into child 0 ('a') is out of range (child length 2)");
    dense_offsets[1] = -1;
    expect_bad(&f, &d, REEL_ARROW_VALIDATE_FULL, "element 1: offset -1 into child 0");
    dense_offsets[1] = 1;
    d.buffers[1] = BUF(dense_offsets, 11);
    expect_bad(&f, &d, REEL_ARROW_VALIDATE_DEFAULT,
               "offsets buffer too short: need 12 bytes for offset + length offsets, have 11");
    reel_arrow_field_reset(&f);
}

TEST(null_counts)
{
    static const int32_t values[4] = {1, 2, 3, 4};
    uint8_t validity = 0x0b; /* element 2 null */
    reel_arrow_field f = make_field("int32");
    reel_arrow_array a = {.length = 4,
                          .null_count = 1,
                          .n_buffers = 2,
                          .buffers = {BUF(&validity, 1), BUF(values, 16)}};
    expect_ok(&f, &a, REEL_ARROW_VALIDATE_FULL);
    a.null_count = 2;
    expect_ok(&f, &a, REEL_ARROW_VALIDATE_DEFAULT);
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_FULL,
               "top level: null_count is 2 but the validity bitmap has 1 nulls");
    a.null_count = 5;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "null_count 5 is outside 0..length 4");
    a.null_count = -1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "null_count -1 is outside");
    a.null_count = 1;
    a.buffers[0] = NONE;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT,
               "null_count is 1 but there is no validity bitmap");
    reel_arrow_field_reset(&f);

    f = make_field("null");
    reel_arrow_array n = {.length = 3, .null_count = 3};
    expect_ok(&f, &n, REEL_ARROW_VALIDATE_FULL);
    n.null_count = 0; /* arrow-rs style */
    expect_ok(&f, &n, REEL_ARROW_VALIDATE_FULL);
    n.null_count = 1;
    expect_bad(&f, &n, REEL_ARROW_VALIDATE_DEFAULT,
               "null_count of a null array must be its length 3, is 1");
    reel_arrow_field_reset(&f);
}

TEST(short_buffers_and_counts)
{
    static const int32_t values[4] = {1, 2, 3, 4};
    static const uint8_t bits[3] = {0xff, 0xff, 0xff};
    reel_arrow_field f = make_field("int32");
    reel_arrow_array a = {.length = 4, .n_buffers = 2, .buffers = {NONE, BUF(values, 12)}};
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT,
               "values buffer too short: need 16 bytes for offset + length values, have 12");
    a.buffers[1] = BUF(values, 16);
    a.offset = 1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "need 20 bytes");
    a.offset = 0;
    a.length = 20;
    a.buffers[0] = BUF(bits, 2);
    a.buffers[1] = BUF(values, 80); /* size only: never read past 16 here */
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT,
               "validity buffer too short: need 3 bytes for offset + length bits, have 2");
    a.length = 4;
    a.buffers[0] = NONE;
    a.buffers[1] = (reel_arrow_buffer){NULL, 16, NULL};
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "values buffer has size 16 and no data");
    a.buffers[1] = BUF(values, 16);
    a.n_buffers = 3;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "int32 array has 3 buffers, expected 2");
    a.n_buffers = 2;
    a.buffers[1].size = -1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "values buffer has size -1");
    a.buffers[1].size = 16;
    a.length = -1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "invalid offset 0 / length -1");
    a.length = 5;
    a.offset = INT64_MAX - 2;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "invalid offset");
    a.offset = INT64_MAX / 2;
    a.length = 1;
    expect_bad(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, "times width 4 is too large");
    reel_arrow_field_reset(&f);

    f = make_field("bool");
    reel_arrow_array bo = {.length = 17, .n_buffers = 2, .buffers = {NONE, BUF(bits, 2)}};
    expect_bad(&f, &bo, REEL_ARROW_VALIDATE_DEFAULT, "values buffer too short: need 3 bytes");
    bo.length = 16;
    expect_ok(&f, &bo, REEL_ARROW_VALIDATE_FULL);
    reel_arrow_field_reset(&f);

    f = make_field("fixed_size_binary[3]");
    reel_arrow_array fb = {
        .length = 2, .offset = 4, .n_buffers = 2, .buffers = {NONE, BUF(values, 16)}};
    expect_bad(&f, &fb, REEL_ARROW_VALIDATE_DEFAULT, "need 18 bytes");
    fb.offset = 3;
    expect_ok(&f, &fb, REEL_ARROW_VALIDATE_FULL);
    reel_arrow_field_reset(&f);

    /* Children: missing, too short, wrong in number. */
    f = make_field("struct<a: int32, b: fixed_size_list<item: int32>[3]>");
    reel_arrow_array leaf[1] = {{.length = 4, .n_buffers = 2, .buffers = {NONE, BUF(values, 16)}}};
    reel_arrow_array kids[2] = {
        {.length = 2, .n_buffers = 2, .buffers = {NONE, BUF(values, 8)}},
        {.length = 2, .n_buffers = 1, .n_children = 1, .children = leaf},
    };
    reel_arrow_array s = {.length = 2, .n_buffers = 1, .n_children = 2, .children = kids};
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT,
               "column 'b': child has 4 elements, needs 6 (2 lists of 3)");
    s.length = 1;
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT, "column 'b': child has 4 elements, needs 6");
    kids[1].length = 1; /* the child array is checked on its own too */
    expect_ok(&f, &s, REEL_ARROW_VALIDATE_FULL);
    kids[0].length = 0;
    kids[0].buffers[1] = NONE;
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT,
               "top level: child 0 ('a') has 0 elements, the struct needs 1");
    kids[0].length = 1;
    kids[0].buffers[1] = BUF(values, 4);
    s.n_children = 1;
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT, "array has 1 children, the field 2");
    s.n_children = 2;
    s.children = NULL;
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT, "children missing");
    s.children = kids;
    leaf[0].n_buffers = 1;
    expect_bad(&f, &s, REEL_ARROW_VALIDATE_DEFAULT,
               "column 'b'.item: int32 array has 1 buffers, expected 2");
    reel_arrow_field_reset(&f);
}

TEST(bad_fields_and_depth)
{
    reel_arrow_field f = make_field("fixed_size_list<item: int8>[2]");
    reel_arrow_array child = {.length = 0, .n_buffers = 2};
    reel_arrow_array a = {.n_buffers = 1, .n_children = 1, .children = &child};
    f.fixed_size = 0;
    reel_error err = {0};
    CHECK_EQ_INT(reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_DEFAULT, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "size must be > 0") != NULL);
    f.fixed_size = 2;
    expect_ok(&f, &a, REEL_ARROW_VALIDATE_FULL);
    reel_arrow_field_reset(&f);

    /* 70 nested lists: rejected before any array is read. */
    reel_buf text = {0};
    for (int i = 0; i < 64; i++)
        CHECK_OK(reel_buf_printf(&text, "list<item: "));
    CHECK_OK(reel_buf_printf(&text, "int8"));
    for (int i = 0; i < 64; i++)
        CHECK_OK(reel_buf_printf(&text, ">"));
    CHECK_OK(reel_buf_append_u8(&text, 0));
    f = make_field((const char *)text.data);
    reel_arrow_field *leaf = &f;
    while (leaf->n_children > 0)
        leaf = &leaf->children[0];
    for (int i = 0; i < 6; i++) {
        leaf->type = REEL_ARROW_LIST;
        CHECK_OK(reel_arrow_field_add_child(leaf, "item", REEL_ARROW_INT8, true, &leaf));
    }
    reel_arrow_array empty = {0};
    CHECK_EQ_INT(reel_arrow_array_validate(&f, &empty, REEL_ARROW_VALIDATE_FULL, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "nested deeper than 64") != NULL);
    reel_arrow_field_reset(&f);
    reel_buf_free(&text);
}

TEST(valid_arrays_pass)
{
    /* Every type, random data with nulls, sliced at odd offsets: both levels accept. */
    for (int i = 0; i < PYARROW_TYPE_COUNT; i++) {
        reel_arrow_field f = make_field(pyarrow_type_strings[i]);
        reel_arrow_array a, s;
        if (CHECK_OK(gen_array(&f, 100, 99 + (uint64_t)i, &a))) {
            expect_ok(&f, &a, REEL_ARROW_VALIDATE_DEFAULT);
            expect_ok(&f, &a, REEL_ARROW_VALIDATE_FULL);
            if (a.length >= 40 && CHECK_OK(reel_arrow_array_slice(&s, &f, &a, 13, 27, NULL))) {
                expect_ok(&f, &s, REEL_ARROW_VALIDATE_FULL);
                reel_arrow_array_reset(&s);
            }
        }
        reel_arrow_array_reset(&a);
        reel_arrow_field_reset(&f);
    }
}

TEST(random_corruption_never_crashes)
{
    /* Flip bytes and lengths of valid arrays' own (writable) copies: validation may accept
     * or reject, but never reads out of bounds (ASan watches); what FULL accepts must be
     * readable everywhere, which printing every element as JSON exercises. */
    test_rng r = {2024};
    reel_buf json = {0};
    int accepted = 0, rejected = 0;
    for (int round = 0; round < 3000; round++) {
        const char *type = pyarrow_type_strings[rng_below(&r, PYARROW_TYPE_COUNT)];
        reel_arrow_field f = make_field(type);
        reel_arrow_array a;
        if (!CHECK_OK(gen_array(&f, 1 + rng_below(&r, 20), rng_next(&r), &a))) {
            reel_arrow_field_reset(&f);
            continue;
        }
        /* Walk to a random node and corrupt one of its buffers or numbers. */
        reel_arrow_array *node = &a;
        while (node->n_children > 0 && rng_below(&r, 2))
            node = &node->children[rng_below(&r, node->n_children)];
        int what = rng_below(&r, 5);
        int index = node->n_buffers > 0 ? rng_below(&r, node->n_buffers) : 0;
        reel_arrow_buffer *buffer = &node->buffers[index];
        if (what == 0 && buffer->size > 0) {
            uint8_t *bytes = (uint8_t *)buffer->data; /* builder blobs are ours to scribble */
            bytes[rng_below(&r, (int)buffer->size)] ^= (uint8_t)(1 + rng_below(&r, 255));
        } else if (what == 1) {
            buffer->size = buffer->size > 0 ? rng_below(&r, (int)buffer->size) : 0;
        } else if (what == 2) {
            node->length += rng_below(&r, 5) - 2;
        } else if (what == 3) {
            node->offset += rng_below(&r, 3);
        } else {
            node->null_count += rng_below(&r, 3) - 1;
        }
        if (reel_arrow_array_validate(&f, &a, REEL_ARROW_VALIDATE_FULL, NULL) != REEL_OK) {
            rejected++;
        } else {
            accepted++;
            for (int64_t i = 0; i < a.length; i++)
                json_of(&f, &a, i, &json);
        }
        reel_arrow_array_reset(&a);
        reel_arrow_field_reset(&f);
    }
    printf("     %d corrupted arrays accepted, %d rejected\n", accepted, rejected);
    CHECK(accepted > 100 && rejected > 100);
    reel_buf_free(&json);
}

int main(void)
{
    RUN(offsets);
    RUN(nested_list_offsets);
    RUN(utf8);
    RUN(unions);
    RUN(null_counts);
    RUN(short_buffers_and_counts);
    RUN(bad_fields_and_depth);
    RUN(valid_arrays_pass);
    RUN(random_corruption_never_crashes);
    TEST_MAIN_END();
}
