/* The row-wise chunk builder: static chunks, components that appear late (null lists before),
 * empty lists versus nulls, nested element types, reuse after finish, every rejected row
 * leaving the builder intact, a half-appended row making it refuse further work, and a large
 * cell adopted by reference while it is a chunk's only row, copied when a second row comes. */
#include "chunk_testing.h"

static const reel_component_descriptor blob_d = {"rerun.archetypes.EncodedImage",
                                                 "EncodedImage:blob", "rerun.components.Blob"};

/* n blobs of list<item: uint8 not null>, blob i holding i+1 bytes (i, i, ...). */
static reel_arrow_array make_blobs(const reel_arrow_field *f, int n)
{
    reel_arrow_builder *b = NULL;
    reel_arrow_array out = {0};
    CHECK_OK(reel_arrow_builder_create(f, NULL, &b, NULL));
    for (int i = 0; i < n; i++) {
        for (int k = 0; k <= i; k++)
            CHECK_OK(reel_arrow_builder_append_uint(reel_arrow_builder_child(b, 0), (uint64_t)i));
        CHECK_OK(reel_arrow_builder_finish_element(b));
    }
    CHECK_OK(reel_arrow_builder_finish(b, &out, NULL));
    reel_arrow_builder_destroy(b);
    return out;
}

static reel_chunk *finish(reel_chunk_builder *b)
{
    reel_chunk *chunk = NULL;
    reel_error err = {0};
    if (!CHECK_OK(reel_chunk_builder_finish(b, &chunk, &err)))
        fprintf(stderr, "    finish: %s\n", err.message);
    if (chunk != NULL && !CHECK_OK(reel_chunk_validate(chunk, &err)))
        fprintf(stderr, "    validate: %s\n", err.message);
    return chunk;
}

TEST(static_chunk_with_nested_values)
{
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/img", &b, NULL));
    reel_arrow_field blob_f = tc_field("list<item: uint8 not null>");
    CHECK_OK(reel_arrow_metadata_set(&blob_f.metadata, NULL, "dropped", "yes"));
    reel_arrow_array blobs = make_blobs(&blob_f, 4);
    /* A slice, so the values have an offset of their own. */
    reel_arrow_array sliced = {0};
    CHECK_OK(reel_arrow_array_slice(&sliced, &blob_f, &blobs, 1, 3, NULL));
    reel_chunk_cell cell = {blob_d, &blob_f, &sliced, 1, 2}; /* blobs 2 and 3 */
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(0), NULL, 0, &cell, 1, NULL));
    cell.offset = 0, cell.length = 1; /* blob 1 */
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(1), NULL, 0, &cell, 1, NULL));
    CHECK_EQ_INT(reel_chunk_builder_row_count(b), 2);
    reel_chunk *chunk = finish(b);
    if (chunk != NULL) {
        CHECK(chunk->is_static);
        CHECK_EQ_INT(chunk->n_timelines, 0);
        CHECK_EQ_STR(chunk->entity_path, "/img");
        const reel_chunk_component *c = reel_chunk_find_component(chunk, "EncodedImage:blob");
        if (CHECK(c != NULL)) {
            const reel_arrow_field *item = &c->field.children[0];
            CHECK_EQ_STR(item->name, "item");
            CHECK(item->nullable);
            CHECK_EQ_INT(item->metadata.count, 0);
            CHECK_EQ_STR(item->children[0].name, "item");
            CHECK(!item->children[0].nullable); /* the component's own type is kept */
            int64_t start, end;
            reel_arrow_array_get_list_range(&c->field, &c->lists, 0, &start, &end);
            CHECK_EQ_INT(end - start, 2);
            const reel_arrow_array *blob_lists = &c->lists.children[0];
            int64_t s2, e2;
            reel_arrow_array_get_list_range(item, blob_lists, start + 1, &s2, &e2);
            CHECK_EQ_INT(e2 - s2, 4); /* blob 3 */
            CHECK_EQ_U64(
                reel_arrow_array_get_uint(&item->children[0], &blob_lists->children[0], s2), 3);
            reel_arrow_array_get_list_range(&c->field, &c->lists, 1, &start, &end);
            reel_arrow_array_get_list_range(item, blob_lists, start, &s2, &e2);
            CHECK_EQ_INT(e2 - s2, 2); /* blob 1 */
        }
        reel_arrow_field s;
        reel_arrow_array batch;
        CHECK_OK(reel_chunk_to_batch(chunk, &s, &batch, NULL));
        CHECK_EQ_INT(s.n_children, 2); /* RowId and the blob: no index columns */
        reel_arrow_field_reset(&s);
        reel_arrow_array_reset(&batch);
    }
    reel_chunk_release(chunk);
    reel_arrow_array_reset(&sliced);
    reel_arrow_array_reset(&blobs);
    reel_arrow_field_reset(&blob_f);
    reel_chunk_builder_destroy(b);
}

TEST(late_components_and_empty_lists)
{
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("e", &b, NULL));
    reel_arrow_field f = tc_field("float");
    double radius = 0.1;
    reel_arrow_array radii = tc_doubles("float", &radius, 1);
    reel_component_descriptor d = {"rerun.archetypes.Points3D", "Points3D:radii",
                                   "rerun.components.Radius"};
    for (int row = 0; row < 4; row++) {
        reel_chunk_time t = {"step", REEL_TIME_SEQUENCE, 10 - row}; /* descending */
        /* rows 0, 1: nothing; row 2: [0.1]; row 3: [] */
        reel_chunk_cell cell = {d, &f, &radii, 0, row == 2 ? 1 : 0};
        CHECK_OK(
            reel_chunk_builder_add_row(b, tc_row_id(row), &t, 1, &cell, row >= 2 ? 1 : 0, NULL));
    }
    reel_chunk *chunk = finish(b);
    if (chunk != NULL) {
        const reel_chunk_component *c = reel_chunk_find_component(chunk, "Points3D:radii");
        if (CHECK(c != NULL)) {
            CHECK(reel_arrow_array_is_null(&c->field, &c->lists, 0));
            CHECK(reel_arrow_array_is_null(&c->field, &c->lists, 1));
            CHECK(!reel_arrow_array_is_null(&c->field, &c->lists, 2));
            CHECK(!reel_arrow_array_is_null(&c->field, &c->lists, 3));
            int64_t start, end;
            reel_arrow_array_get_list_range(&c->field, &c->lists, 3, &start, &end);
            CHECK_EQ_INT(end - start, 0);
            CHECK_EQ_INT(c->lists.null_count, 2);
        }
        const reel_chunk_timeline *step = reel_chunk_find_timeline(chunk, "step");
        if (CHECK(step != NULL)) {
            CHECK(!step->is_sorted);
            CHECK_EQ_INT(step->min, 7);
            CHECK_EQ_INT(step->max, 10);
        }
    }
    reel_chunk_release(chunk);
    reel_arrow_array_reset(&radii);
    reel_arrow_field_reset(&f);
    reel_chunk_builder_destroy(b);
}

static void expect_rejected(reel_chunk_builder *b, const reel_chunk_time *times, int32_t n_times,
                            const reel_chunk_cell *cells, int32_t n_cells, const char *message)
{
    reel_error err = {0};
    int64_t rows = reel_chunk_builder_row_count(b);
    CHECK_EQ_INT(reel_chunk_builder_add_row(b, tc_row_id(99), times, n_times, cells, n_cells, &err),
                 REEL_INVALID_ARGUMENT);
    if (!CHECK(strstr(err.message, message) != NULL))
        fprintf(stderr, "    got '%s'\n    wanted '%s'\n", err.message, message);
    CHECK_EQ_INT(reel_chunk_builder_row_count(b), rows);
}

TEST(rejected_rows_leave_the_builder_intact)
{
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/r", &b, NULL));
    reel_arrow_field f = tc_field("double"), g = tc_field("int32");
    double values[] = {1, 2, 3};
    reel_arrow_array a = tc_doubles("double", values, 3);
    reel_component_descriptor d = {NULL, "x", NULL};
    reel_chunk_time t2[2] = {{"frame", REEL_TIME_SEQUENCE, 1}, {"t", REEL_TIME_DURATION_NS, 5}};
    reel_chunk_cell cell = {d, &f, &a, 0, 1};
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(0), t2, 2, &cell, 1, NULL));

    expect_rejected(b, t2, 1, &cell, 1, "fewer timelines than earlier rows");
    reel_chunk_time t3[3] = {t2[0], t2[1], {"other", REEL_TIME_SEQUENCE, 1}};
    expect_rejected(b, t3, 3, &cell, 1, "a timeline earlier rows do not have: 'other'");
    reel_chunk_time typed[2] = {t2[0], {"t", REEL_TIME_TIMESTAMP_NS, 5}};
    expect_rejected(b, typed, 2, &cell, 1, "another time type than earlier rows for timeline 't'");
    reel_chunk_time minimum[2] = {t2[0], {"t", REEL_TIME_DURATION_NS, INT64_MIN}};
    expect_rejected(b, minimum, 2, &cell, 1, "INT64_MIN (reserved for static data)");
    reel_chunk_time twice[2] = {t2[0], t2[0]};
    expect_rejected(b, twice, 2, &cell, 1, "two times for timeline 'frame'");
    reel_chunk_cell cells[2] = {cell, cell};
    expect_rejected(b, t2, 2, cells, 2, "two cells for component 'x'");
    reel_chunk_cell other = cell;
    other.descriptor.archetype = "rerun.archetypes.Points3D";
    expect_rejected(b, t2, 2, &other, 1, "another archetype or component type than before for 'x'");
    other = cell;
    other.field = &g;
    expect_rejected(b, t2, 2, &other, 1, "another element type than before for component 'x'");
    other = cell;
    other.offset = 2, other.length = 2;
    expect_rejected(b, t2, 2, &other, 1, "offset/length outside the values of component 'x'");
    other = cell;
    other.descriptor.component = "";
    expect_rejected(b, t2, 2, &other, 1, "cell without a component name");
    reel_arrow_field bad = tc_field("fixed_size_list<item: int8>[2]");
    bad.fixed_size = 0;
    other = cell;
    other.descriptor.component = "new";
    other.field = &bad;
    expect_rejected(b, t2, 2, &other, 1, "'new'");

    /* Still usable: a second row (times in another order) and the chunk holds both. */
    reel_chunk_time swapped[2] = {{"t", REEL_TIME_DURATION_NS, 6},
                                  {"frame", REEL_TIME_SEQUENCE, 2}};
    cell.offset = 1;
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(1), swapped, 2, &cell, 1, NULL));
    reel_chunk *chunk = finish(b);
    if (chunk != NULL) {
        CHECK_EQ_INT(chunk->row_count, 2);
        const reel_chunk_timeline *t = reel_chunk_find_timeline(chunk, "t");
        if (CHECK(t != NULL)) {
            CHECK_EQ_INT(t->type, REEL_TIME_DURATION_NS);
            CHECK_EQ_INT(t->min, 5);
            CHECK_EQ_INT(t->max, 6);
        }
    }
    reel_chunk_release(chunk);

    /* Reuse: another chunk (another id), free to choose other timelines (none here). */
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(2), NULL, 0, &cell, 1, NULL));
    reel_chunk *again = finish(b);
    if (again != NULL) {
        CHECK(again->is_static);
        CHECK_EQ_INT(again->row_count, 1);
    }
    reel_chunk_release(again);

    /* No rows at all: an empty, static chunk. */
    reel_chunk *empty = finish(b);
    if (empty != NULL) {
        CHECK_EQ_INT(empty->row_count, 0);
        CHECK(empty->is_static);
        CHECK_EQ_INT(empty->n_components, 0);
    }
    reel_chunk_release(empty);
    reel_arrow_field_reset(&bad);
    reel_arrow_array_reset(&a);
    reel_arrow_field_reset(&f);
    reel_arrow_field_reset(&g);
    reel_chunk_builder_destroy(b);
}

TEST(half_appended_row_breaks_the_builder)
{
    reel_chunk_builder *b = NULL;
    reel_error err = {0};
    CHECK_OK(reel_chunk_builder_create("/broken", &b, NULL));
    /* The field says list<item: int32>, the values are a flat int32 array. */
    reel_arrow_field f = tc_field("list<item: int32>");
    int64_t v[] = {1, 2};
    reel_arrow_array flat = tc_ints("int32", v, 2, NULL);
    reel_component_descriptor d = {NULL, "x", NULL};
    reel_chunk_cell cell = {d, &f, &flat, 0, 2};
    CHECK_EQ_INT(reel_chunk_builder_add_row(b, tc_row_id(0), NULL, 0, &cell, 1, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "layout") != NULL);
    cell.values = NULL;
    CHECK_EQ_INT(reel_chunk_builder_add_row(b, tc_row_id(1), NULL, 0, &cell, 1, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "failed half-way") != NULL);
    reel_chunk *chunk = NULL;
    CHECK(reel_chunk_builder_finish(b, &chunk, &err) != REEL_OK);
    CHECK(chunk == NULL);
    reel_arrow_array_reset(&flat);
    reel_arrow_field_reset(&f);
    reel_chunk_builder_destroy(b);

    CHECK_EQ_INT(reel_chunk_builder_create("/a\\q", &b, &err), REEL_INVALID_ARGUMENT);
    CHECK(b == NULL);
    reel_chunk_builder_destroy(NULL);
}

/* `len` bytes (byte i = i * seed) in one blob, as a uint8 array. */
static reel_arrow_array big_bytes(size_t len, int seed)
{
    uint8_t *data = NULL;
    reel_blob *blob = reel_blob_create(NULL, len, &data);
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * (size_t)seed);
    reel_arrow_array out = {.length = (int64_t)len, .n_buffers = 2};
    out.buffers[1] = (reel_arrow_buffer){data, (int64_t)len, blob};
    return out;
}

static const reel_component_descriptor image_d = {"rerun.archetypes.Image", "Image:buffer",
                                                  "rerun.components.ImageBuffer"};

/* The bytes of row `row` of Image:buffer. */
static reel_span image_row(const reel_chunk *chunk, int64_t row)
{
    const reel_chunk_component *c = reel_chunk_find_component(chunk, "Image:buffer");
    if (!CHECK(c != NULL))
        return (reel_span){0};
    int32_t bounds[2];
    memcpy(bounds, c->lists.buffers[1].data + 4 * (c->lists.offset + row), sizeof bounds);
    const reel_arrow_array *values = &c->lists.children[0];
    return reel_span_make(values->buffers[1].data + values->offset + bounds[0],
                          (size_t)(bounds[1] - bounds[0]));
}

TEST(large_cell_of_a_one_row_chunk_is_adopted)
{
    enum { BIG = 256 << 10 };
    reel_arrow_field item = tc_field("uint8");
    reel_arrow_array pixels = big_bytes(BIG, 3);
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/camera", &b, NULL));
    reel_chunk_time t = {"frame", REEL_TIME_SEQUENCE, 1};
    reel_chunk_cell cell = {image_d, &item, &pixels, 0, BIG};
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(0), &t, 1, &cell, 1, NULL));
    reel_chunk *chunk = finish(b);
    /* The chunk's values are the caller's buffer, retained (not copied). */
    reel_span row = chunk != NULL ? image_row(chunk, 0) : (reel_span){0};
    CHECK(row.data == pixels.buffers[1].data);
    CHECK_EQ_U64(row.len, BIG);
    const uint8_t *kept = pixels.buffers[1].data;
    reel_arrow_array_reset(&pixels); /* the chunk keeps the blob alive */
    if (chunk != NULL)
        CHECK_EQ_INT(image_row(chunk, 0).data[BIG - 1], (uint8_t)((BIG - 1) * 3));
    CHECK(chunk == NULL || image_row(chunk, 0).data == kept);

    /* The builder is empty again: the next chunk starts a fresh hold. */
    reel_arrow_array other = big_bytes(BIG, 5);
    cell.values = &other;
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(1), &t, 1, &cell, 1, NULL));
    reel_chunk *next = finish(b);
    CHECK(next != NULL && image_row(next, 0).data == other.buffers[1].data);
    reel_chunk_release(next);
    reel_arrow_array_reset(&other);
    reel_chunk_release(chunk);
    reel_chunk_builder_destroy(b);
    reel_arrow_field_reset(&item);
}

TEST(a_second_row_copies_the_held_cell)
{
    enum { BIG = 128 << 10 };
    reel_arrow_field item = tc_field("uint8");
    reel_arrow_array first = big_bytes(BIG, 3), second = big_bytes(BIG + 10, 7);
    reel_arrow_array small = big_bytes(100, 11);
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/camera", &b, NULL));
    reel_chunk_time t = {"frame", REEL_TIME_SEQUENCE, 1};
    reel_chunk_cell cell = {image_d, &item, &first, 0, BIG};
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(0), &t, 1, &cell, 1, NULL));
    /* A row without the component, a sliced large cell, a small one. */
    t.value = 2;
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(1), &t, 1, NULL, 0, NULL));
    cell.values = &second, cell.offset = 10, cell.length = BIG;
    t.value = 3;
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(2), &t, 1, &cell, 1, NULL));
    cell.values = &small, cell.offset = 0, cell.length = 100;
    t.value = 4;
    CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(3), &t, 1, &cell, 1, NULL));
    reel_chunk *chunk = finish(b);
    if (chunk != NULL && CHECK_EQ_INT(chunk->row_count, 4)) {
        const reel_chunk_component *c = reel_chunk_find_component(chunk, "Image:buffer");
        CHECK(c != NULL && c->lists.null_count == 1);
        reel_span row0 = image_row(chunk, 0), row2 = image_row(chunk, 2);
        reel_span row3 = image_row(chunk, 3);
        CHECK(row0.data != first.buffers[1].data); /* copied once a second row came */
        if (CHECK_EQ_U64(row0.len, BIG))
            CHECK_EQ_MEM(row0.data, first.buffers[1].data, BIG);
        if (CHECK_EQ_U64(row2.len, BIG))
            CHECK_EQ_MEM(row2.data, second.buffers[1].data + 10, BIG);
        if (CHECK_EQ_U64(row3.len, 100))
            CHECK_EQ_MEM(row3.data, small.buffers[1].data, 100);
    }
    reel_chunk_release(chunk);
    reel_chunk_builder_destroy(b);
    reel_arrow_array_reset(&first);
    reel_arrow_array_reset(&second);
    reel_arrow_array_reset(&small);
    reel_arrow_field_reset(&item);
}

int main(void)
{
    RUN(static_chunk_with_nested_values);
    RUN(late_components_and_empty_lists);
    RUN(rejected_rows_leave_the_builder_intact);
    RUN(half_appended_row_breaks_the_builder);
    RUN(large_cell_of_a_one_row_chunk_is_adopted);
    RUN(a_second_row_copies_the_held_cell);
    TEST_MAIN_END();
}
