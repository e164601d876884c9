/* reel_chunk_from_batch's reader rules, one violation at a time: each case takes the batch
 * reel_chunk_to_batch writes for the test chunk, breaks one rule (metadata, order, types,
 * nulls, lengths) and checks the status and the message that names the column and the rule.
 * Also the leniencies Rerun has: kind aliases, missing kinds and names, legacy keys. */
#include "chunk_testing.h"

/* Columns of the test chunk's batch: RowId, frame, log_time, confidence, Points3D:colors,
 * Points3D:positions. */
enum { ROW_ID, FRAME, LOG_TIME, CONFIDENCE, COLORS, POSITIONS };

typedef void (*mutate_fn)(reel_arrow_field *schema, reel_arrow_array *batch);

static void batch_of_test_chunk(reel_arrow_field *schema, reel_arrow_array *batch)
{
    reel_chunk *chunk = tc_points_chunk();
    CHECK_OK(reel_chunk_to_batch(chunk, schema, batch, NULL));
    reel_chunk_release(chunk);
}

static void expect_rejected(const char *label, mutate_fn mutate, reel_status status,
                            const char *message)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    batch_of_test_chunk(&schema, &batch);
    mutate(&schema, &batch);
    reel_chunk *chunk = (reel_chunk *)&schema; /* must be overwritten with NULL */
    reel_error err = {0};
    reel_status got = reel_chunk_from_batch(&schema, &batch, &chunk, &err);
    if (!CHECK_EQ_INT(got, status) || !CHECK(strstr(err.message, message) != NULL))
        fprintf(stderr, "    %s: got '%s'\n    wanted '%s'\n", label, err.message, message);
    CHECK(chunk == NULL);
    reel_chunk_release(got == REEL_OK ? chunk : NULL);
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
}

static void set_md(reel_arrow_field *field, const char *key, const char *value)
{
    CHECK_OK(reel_arrow_metadata_set(&field->metadata, NULL, key, value));
}

static void replace_column(reel_arrow_array *batch, int column, reel_arrow_array array)
{
    reel_arrow_array_reset(&batch->children[column]);
    batch->children[column] = array;
}

static void unknown_kind(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[CONFIDENCE], "rerun:kind", "weird");
}
static void row_id_not_first(reel_arrow_field *s, reel_arrow_array *b)
{
    tc_swap_columns(s, b, ROW_ID, FRAME);
}
static void index_after_data(reel_arrow_field *s, reel_arrow_array *b)
{
    tc_swap_columns(s, b, LOG_TIME, CONFIDENCE);
}
static void two_row_ids(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[FRAME], "rerun:kind", "control");
}
static void no_row_id(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[ROW_ID], "rerun:kind", "index");
}
static void row_id_wrong_type(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    s->children[ROW_ID].fixed_size = 8;
}
static void row_id_wrong_extension(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[ROW_ID], "ARROW:extension:name", "my.Uuid");
}
static void row_id_null(reel_arrow_field *s, reel_arrow_array *b)
{
    reel_arrow_builder *builder = NULL;
    reel_arrow_array ids = {0};
    CHECK_OK(reel_arrow_builder_create(&s->children[ROW_ID], NULL, &builder, NULL));
    for (int i = 0; i < 3; i++) {
        uint8_t bytes[16];
        reel_tuid_to_bytes(tc_row_id(i), bytes);
        CHECK_OK(i == 1 ? reel_arrow_builder_append_null(builder, 1)
                        : reel_arrow_builder_append_bytes(builder, bytes, 16));
    }
    CHECK_OK(reel_arrow_builder_finish(builder, &ids, NULL));
    reel_arrow_builder_destroy(builder);
    replace_column(b, ROW_ID, ids);
}
static void index_int32(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    s->children[FRAME].type = REEL_ARROW_INT32; /* the int64 buffer is long enough */
}
static void index_milliseconds(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    s->children[LOG_TIME].unit = REEL_ARROW_MILLI;
}
static void index_time64(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    s->children[LOG_TIME].type = REEL_ARROW_TIME64;
}
static void index_null(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)s;
    static const int64_t frames[] = {1, 0, 2};
    replace_column(b, FRAME, tc_ints("int64", frames, 3, "101"));
}
static void index_static_time(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)s;
    static const int64_t frames[] = {1, INT64_MIN, 2};
    replace_column(b, FRAME, tc_ints("int64", frames, 3, NULL));
}
static void timeline_twice(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[LOG_TIME], "rerun:index_name", "frame");
}
static void timeline_unnamed(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[FRAME], "rerun:index_name", "");
}
static void component_twice(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[COLORS], "rerun:component", "confidence");
}
static void component_unnamed(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(&s->children[CONFIDENCE], "rerun:component", "");
    CHECK_OK(reel_arrow_field_set_name(&s->children[CONFIDENCE], ""));
}
static void no_chunk_id(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    const char *path = reel_arrow_metadata_get(&s->metadata, "rerun:entity_path");
    char *copy = strdup(path);
    const char *const kv[] = {"sorbet:version", "0.1.4", "rerun:entity_path", copy, NULL};
    tc_set_metadata(&s->metadata, kv);
    free(copy);
}
static void bad_chunk_id(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(s, "rerun:id", "chunk_xyz");
}
static void no_entity_path(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    const char *const kv[] = {"sorbet:version", "0.1.4", "rerun:id",
                              "chunk_18EA3D8121352C3B4a90fa649ae07260", NULL};
    tc_set_metadata(&s->metadata, kv);
}
static void bad_entity_path(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    set_md(s, "rerun:entity_path", "/a\\q");
}
static void longer_column(reel_arrow_field *s, reel_arrow_array *b)
{
    /* A struct child may be longer than its parent; a chunk's columns may not. */
    static const int64_t frames[] = {1, 2, 3, 4};
    (void)s;
    replace_column(b, FRAME, tc_ints("int64", frames, 4, NULL));
}
static void not_a_struct(reel_arrow_field *s, reel_arrow_array *b)
{
    (void)b;
    s->type = REEL_ARROW_LIST;
}

TEST(each_rule_broken_once)
{
    expect_rejected("kind", unknown_kind, REEL_CORRUPT,
                    "chunk /world/points: column 'confidence': unknown rerun:kind 'weird' "
                    "(expected control, index or data)");
    expect_rejected("order", row_id_not_first, REEL_CORRUPT,
                    "column 'rerun.controls.RowId': the RowId column must come before the index "
                    "and data columns");
    expect_rejected("index order", index_after_data, REEL_CORRUPT,
                    "column 'log_time': index columns must come before data columns");
    expect_rejected("two row ids", two_row_ids, REEL_CORRUPT,
                    "column 'frame': a second RowId column (the first is 'rerun.controls.RowId')");
    expect_rejected("no row id", no_row_id, REEL_CORRUPT, "no RowId column (rerun:kind=control)");
    expect_rejected("row id type", row_id_wrong_type, REEL_CORRUPT,
                    "the RowId column must be fixed_size_binary[16], not fixed_size_binary[8]");
    expect_rejected("row id extension", row_id_wrong_extension, REEL_UNSUPPORTED,
                    "RowId extension type 'my.Uuid'");
    expect_rejected("row id null", row_id_null, REEL_CORRUPT, "the RowId column holds 1 nulls");
    expect_rejected("int32 index", index_int32, REEL_UNSUPPORTED,
                    "column 'frame': unsupported time type int32 (expected int64, duration[ns] or "
                    "timestamp[ns])");
    expect_rejected("ms index", index_milliseconds, REEL_UNSUPPORTED,
                    "unsupported time type timestamp[ms]");
    expect_rejected("time64 index", index_time64, REEL_UNSUPPORTED,
                    "unsupported time type time64[ns]");
    expect_rejected("index null", index_null, REEL_CORRUPT,
                    "column 'frame': index column holds 1 nulls");
    expect_rejected("static time", index_static_time, REEL_CORRUPT,
                    "column 'frame': row 1 holds INT64_MIN, which is reserved for static data");
    expect_rejected("timeline twice", timeline_twice, REEL_CORRUPT,
                    "column 'log_time': timeline 'frame' appears twice");
    expect_rejected("timeline unnamed", timeline_unnamed, REEL_CORRUPT,
                    "index column without a timeline name");
    expect_rejected("component twice", component_twice, REEL_CORRUPT,
                    "column 'Points3D:colors': component 'confidence' appears twice");
    expect_rejected("component unnamed", component_unnamed, REEL_CORRUPT,
                    "data column without rerun:component or a field name");
    expect_rejected("no id", no_chunk_id, REEL_CORRUPT,
                    "chunk: schema metadata lacks rerun:id (the chunk id)");
    expect_rejected("bad id", bad_chunk_id, REEL_CORRUPT, "rerun:id 'chunk_xyz' is not a chunk id");
    expect_rejected("no path", no_entity_path, REEL_CORRUPT,
                    "schema metadata lacks rerun:entity_path");
    expect_rejected("bad path", bad_entity_path, REEL_CORRUPT,
                    "rerun:entity_path: entity path '/a\\q': unknown escape sequence '\\q' at "
                    "byte offset 2");
    expect_rejected("lengths", longer_column, REEL_CORRUPT,
                    "column 'frame': has 4 rows, the batch has 3 (all columns must have the same "
                    "length)");
    expect_rejected("struct", not_a_struct, REEL_INVALID_ARGUMENT, "does not match its schema");
}

/* ---------------------------------------------------------------- what is accepted */

static reel_chunk *read_back(reel_arrow_field *schema, reel_arrow_array *batch)
{
    reel_chunk *chunk = NULL;
    reel_error err = {0};
    if (!CHECK_OK(reel_chunk_from_batch(schema, batch, &chunk, &err)))
        fprintf(stderr, "    %s\n", err.message);
    if (chunk != NULL && !CHECK_OK(reel_chunk_validate(chunk, &err)))
        fprintf(stderr, "    validate: %s\n", err.message);
    return chunk;
}

TEST(aliases_defaults_and_legacy_keys)
{
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&s, &b);
    set_md(&s.children[ROW_ID], "rerun:kind", "row_id");
    set_md(&s.children[ROW_ID], "ARROW:extension:name", "rerun.encodings.TUID");
    set_md(&s.children[FRAME], "rerun:kind", "time");
    const char *const frame_md[] = {"rerun:kind", "index", NULL}; /* no rerun:index_name */
    tc_set_metadata(&s.children[FRAME].metadata, frame_md);
    CHECK_OK(reel_arrow_field_set_name(&s.children[FRAME], "frame_nr"));
    CHECK_OK(reel_arrow_field_set_timezone(&s.children[LOG_TIME], "Europe/Paris"));
    set_md(&s.children[COLORS], "rerun:kind", "component");
    set_md(&s.children[COLORS], "rerun:archetype", "");
    const char *const conf_md[] = {"custom", "kept", NULL}; /* no kind, no component */
    tc_set_metadata(&s.children[CONFIDENCE].metadata, conf_md);
    const char *const schema_md[] = {"rerun.id",
                                     "18EA3D8121352C3B4a90fa649ae07260",
                                     "rerun:entity_path",
                                     "world//points/",
                                     "sorbet:version",
                                     "0.1.4",
                                     "zz:custom",
                                     "1",
                                     "a:custom",
                                     "2",
                                     NULL};
    tc_set_metadata(&s.metadata, schema_md);
    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        CHECK_EQ_STR(chunk->entity_path, "/world/points");
        CHECK_EQ_U64(chunk->id.time_ns, UINT64_C(0x18EA3D8121352C3B));
        CHECK_EQ_U64(chunk->id.inc, UINT64_C(0x4a90fa649ae07260));
        CHECK(reel_chunk_find_timeline(chunk, "frame_nr") != NULL);
        const reel_chunk_timeline *log_time = reel_chunk_find_timeline(chunk, "log_time");
        if (CHECK(log_time != NULL)) {
            CHECK_EQ_INT(log_time->type, REEL_TIME_TIMESTAMP_NS);
            CHECK(log_time->field.timezone == NULL); /* Rerun writes timestamps without tz */
        }
        const reel_chunk_component *colors = reel_chunk_find_component(chunk, "Points3D:colors");
        if (CHECK(colors != NULL))
            CHECK(colors->descriptor.archetype == NULL);
        const reel_chunk_component *conf = reel_chunk_find_component(chunk, "confidence");
        if (CHECK(conf != NULL))
            CHECK_EQ_STR(reel_arrow_metadata_get(&conf->field.metadata, "custom"), "kept");
        if (CHECK_EQ_INT(chunk->extra_metadata.count, 2)) {
            CHECK_EQ_STR(chunk->extra_metadata.items[0].key, "zz:custom");
            CHECK_EQ_STR(chunk->extra_metadata.items[1].key, "a:custom");
        }
        /* Written back: custom keys kept, everything sorted by key. */
        reel_arrow_field s2;
        reel_arrow_array b2;
        CHECK_OK(reel_chunk_to_batch(chunk, &s2, &b2, NULL));
        static const char *const keys[] = {"a:custom", "rerun:entity_path", "rerun:id",
                                           "sorbet:version", "zz:custom"};
        if (CHECK_EQ_INT(s2.metadata.count, 5)) {
            for (int i = 0; i < 5; i++)
                CHECK_EQ_STR(s2.metadata.items[i].key, keys[i]);
        }
        int conf_col = tc_column(&s2, "confidence");
        if (CHECK(conf_col > 0)) {
            const reel_arrow_metadata *md = &s2.children[conf_col].metadata;
            if (CHECK_EQ_INT(md->count, 3)) {
                CHECK_EQ_STR(md->items[0].key, "custom");
                CHECK_EQ_STR(md->items[1].key, "rerun:component");
                CHECK_EQ_STR(md->items[2].key, "rerun:kind");
            }
        }
        reel_arrow_field_reset(&s2);
        reel_arrow_array_reset(&b2);
    }
    reel_chunk_release(chunk);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

TEST(non_list_columns_are_wrapped)
{
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&s, &b);
    /* A plain int64 column with a null, and a list whose item field is named differently. */
    static const int64_t raw[] = {7, 0, 9};
    reel_arrow_array speeds = tc_ints("int64", raw, 3, "101");
    reel_arrow_field speed_type = tc_field("int64");
    CHECK_OK(reel_arrow_field_set_name(&speed_type, "speed"));
    tc_add_column(&s, &b, &speed_type, &speeds);
    reel_arrow_field odd = tc_field("list<element: int32 not null>");
    CHECK_OK(reel_arrow_field_set_name(&odd, "odd"));
    reel_arrow_field odd_values = tc_field("list<element: int32 not null>");
    reel_arrow_builder *builder = NULL;
    reel_arrow_array odd_array = {0};
    CHECK_OK(reel_arrow_builder_create(&odd_values, NULL, &builder, NULL));
    for (int i = 0; i < 3; i++) {
        CHECK_OK(reel_arrow_builder_append_int(reel_arrow_builder_child(builder, 0), i));
        CHECK_OK(reel_arrow_builder_finish_element(builder));
    }
    CHECK_OK(reel_arrow_builder_finish(builder, &odd_array, NULL));
    reel_arrow_builder_destroy(builder);
    tc_add_column(&s, &b, &odd, &odd_array);

    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        const reel_chunk_component *speed = reel_chunk_find_component(chunk, "speed");
        if (CHECK(speed != NULL)) {
            reel_buf type = {0};
            CHECK_OK(reel_arrow_type_format(&speed->field, &type));
            CHECK_OK(reel_buf_append_u8(&type, 0));
            CHECK_EQ_STR((const char *)type.data, "list<item: int64>");
            reel_buf_free(&type);
            CHECK_EQ_INT(speed->lists.length, 3);
            CHECK_EQ_INT(speed->lists.null_count, 1);
            CHECK(reel_arrow_array_is_null(&speed->field, &speed->lists, 1));
            int64_t start, end;
            reel_arrow_array_get_list_range(&speed->field, &speed->lists, 2, &start, &end);
            CHECK_EQ_INT(end - start, 1);
            CHECK_EQ_INT(reel_arrow_array_get_int(&speed->field.children[0],
                                                  &speed->lists.children[0], start),
                         9);
            /* The values are shared with the batch, not copied. */
            CHECK(speed->lists.children[0].buffers[1].data ==
                  b.children[b.n_children - 2].buffers[1].data);
        }
        const reel_chunk_component *odd_c = reel_chunk_find_component(chunk, "odd");
        if (CHECK(odd_c != NULL)) {
            CHECK_EQ_STR(odd_c->field.children[0].name, "item");
            CHECK(odd_c->field.children[0].nullable);
        }
    }
    reel_chunk_release(chunk);
    reel_arrow_field_reset(&speed_type);
    reel_arrow_field_reset(&odd);
    reel_arrow_field_reset(&odd_values);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

TEST(flags_are_computed_not_trusted)
{
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&s, &b);
    /* log_time (100, 90, 110) claims to be sorted; the RowId column claims nothing. */
    set_md(&s.children[LOG_TIME], "rerun:is_sorted", "true");
    const char *const row_md[] = {"rerun:kind", "control", NULL};
    tc_set_metadata(&s.children[ROW_ID].metadata, row_md);
    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        const reel_chunk_timeline *t = reel_chunk_find_timeline(chunk, "log_time");
        if (CHECK(t != NULL)) {
            CHECK(!t->is_sorted);
            CHECK(reel_arrow_metadata_get(&t->field.metadata, "rerun:is_sorted") == NULL);
            CHECK_EQ_INT(t->min, 90);
            CHECK_EQ_INT(t->max, 110);
        }
        CHECK(chunk->row_ids_sorted);
    }
    reel_chunk_release(chunk);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

TEST(chunks_without_data_or_rows)
{
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&s, &b);
    /* Keep RowId and the two index columns only. */
    for (int c = CONFIDENCE; c <= POSITIONS; c++) {
        reel_arrow_field_reset(&s.children[c]);
        reel_arrow_array_reset(&b.children[c]);
    }
    s.n_children = b.n_children = 3;
    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        CHECK_EQ_INT(chunk->n_components, 0);
        CHECK_EQ_INT(chunk->n_timelines, 2);
        CHECK(!chunk->is_static);
    }
    reel_chunk_release(chunk);

    /* Zero rows: the columns must have zero rows too. */
    b.length = 0;
    reel_error err = {0};
    CHECK_EQ_INT(reel_chunk_from_batch(&s, &b, &chunk, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "has 3 rows, the batch has 0") != NULL);
    for (int c = 0; c < 3; c++)
        b.children[c].length = 0;
    chunk = read_back(&s, &b);
    if (chunk != NULL) {
        int64_t lo, hi;
        CHECK_EQ_INT(chunk->row_count, 0);
        CHECK(!reel_chunk_time_range(chunk, "frame", &lo, &hi));
    }
    reel_chunk_release(chunk);
    s.n_children = b.n_children = 6; /* the reset children are empty and free nothing */
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

int main(void)
{
    RUN(each_rule_broken_once);
    RUN(aliases_defaults_and_legacy_keys);
    RUN(non_list_columns_are_wrapped);
    RUN(flags_are_computed_not_trusted);
    RUN(chunks_without_data_or_rows);
    TEST_MAIN_END();
}
