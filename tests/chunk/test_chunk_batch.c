/* Chunks and record batches: the exact schema reel_chunk_to_batch writes (names, types,
 * metadata keys in arrow-rs's order), a round trip through IPC bytes that must share the
 * message buffers instead of copying, the chunk's accessors and invariants, and the
 * reference count under concurrent retain/release. */
#include "chunk_testing.h"

static const char *type_of(const reel_arrow_field *field)
{
    static char text[256];
    reel_buf buf = {0};
    if (reel_arrow_type_format(field, &buf) != REEL_OK || reel_buf_append_u8(&buf, 0) != REEL_OK)
        snprintf(text, sizeof text, "<format failed>");
    else
        snprintf(text, sizeof text, "%s", (const char *)buf.data);
    reel_buf_free(&buf);
    return text;
}

/* Checks a metadata map against key/value pairs, in order. */
static void check_metadata(const reel_arrow_metadata *md, const char *const *kv)
{
    int32_t n = 0;
    for (; kv[n * 2] != NULL; n++) {
        if (n < md->count) {
            CHECK_EQ_STR(md->items[n].key, kv[n * 2]);
            CHECK_EQ_STR(md->items[n].value, kv[n * 2 + 1]);
        }
    }
    CHECK_EQ_INT(md->count, n);
}

TEST(to_batch_writes_what_rerun_writes)
{
    reel_chunk *chunk = tc_points_chunk();
    if (!CHECK(chunk != NULL))
        return;
    reel_arrow_field s;
    reel_arrow_array b;
    CHECK_OK(reel_chunk_to_batch(chunk, &s, &b, NULL));
    static const char *const names[] = {
        "rerun.controls.RowId", "frame",           "log_time",
        "confidence",           "Points3D:colors", "Points3D:positions"};
    static const char *const types[] = {
        "fixed_size_binary[16]", "int64",
        "timestamp[ns]",         "list<item: double>",
        "list<item: uint32>",    "list<item: fixed_size_list<item: float not null>[3]>"};
    if (CHECK_EQ_INT(s.n_children, 6) && CHECK_EQ_INT(b.n_children, 6)) {
        for (int i = 0; i < 6; i++) {
            CHECK_EQ_STR(s.children[i].name, names[i]);
            CHECK_EQ_STR(type_of(&s.children[i]), types[i]);
            CHECK_EQ_INT(s.children[i].nullable, i != 0);
            CHECK_EQ_INT(b.children[i].length, 3);
        }
        const char *const row_id[] = {"ARROW:extension:metadata",
                                      "{\"namespace\":\"row\"}",
                                      "ARROW:extension:name",
                                      "rerun.datatypes.TUID",
                                      "rerun:is_sorted",
                                      "true",
                                      "rerun:kind",
                                      "control",
                                      NULL};
        check_metadata(&s.children[0].metadata, row_id);
        const char *const frame[] = {
            "rerun:index_name", "frame", "rerun:is_sorted", "true", "rerun:kind", "index", NULL};
        check_metadata(&s.children[1].metadata, frame);
        const char *const log_time[] = {"rerun:index_name", "log_time", "rerun:kind", "index",
                                        NULL};
        check_metadata(&s.children[2].metadata, log_time);
        const char *const confidence[] = {"rerun:component", "confidence", "rerun:kind", "data",
                                          NULL};
        check_metadata(&s.children[3].metadata, confidence);
        const char *const colors[] = {"rerun:archetype",
                                      "rerun.archetypes.Points3D",
                                      "rerun:component",
                                      "Points3D:colors",
                                      "rerun:component_type",
                                      "rerun.components.Color",
                                      "rerun:kind",
                                      "data",
                                      NULL};
        check_metadata(&s.children[4].metadata, colors);
        CHECK_EQ_INT(s.children[5].children[0].metadata.count, 0);
        CHECK_EQ_STR(s.children[5].children[0].name, "item");
    }
    char id[48];
    reel_tuid_format(chunk->id, "chunk_", id, sizeof id);
    const char *const schema_md[] = {"rerun:entity_path", "/world/points", "rerun:id", id,
                                     "sorbet:version",    "0.1.4",         NULL};
    check_metadata(&s.metadata, schema_md);
    CHECK_EQ_INT(b.length, 3);
    /* Zero-copy: the batch's buffers are the chunk's. */
    CHECK(b.children[0].buffers[1].data == chunk->row_ids.buffers[1].data);
    CHECK(b.children[0].buffers[1].owner == chunk->row_ids.buffers[1].owner);
    CHECK(b.children[2].buffers[1].data == chunk->timelines[1].times.buffers[1].data);
    CHECK(b.children[5].children[0].children[0].buffers[1].data ==
          chunk->components[2].lists.children[0].children[0].buffers[1].data);
    reel_error err = {0};
    CHECK_OK(reel_arrow_array_validate(&s, &b, REEL_ARROW_VALIDATE_FULL, &err));
    reel_chunk_release(chunk);
    /* The batch keeps the buffers alive on its own. */
    CHECK_EQ_INT(reel_arrow_array_get_int(&s.children[1], &b.children[1], 2), 2);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

static bool inside(const void *p, const reel_blob *blob)
{
    const uint8_t *start = reel_blob_data(blob);
    return (const uint8_t *)p >= start && (const uint8_t *)p < start + reel_blob_len(blob);
}

TEST(round_trip_through_ipc_shares_the_message)
{
    reel_chunk *chunk = tc_points_chunk();
    if (!CHECK(chunk != NULL))
        return;
    reel_arrow_field s, s_read, s_again;
    reel_arrow_array b, b_again;
    reel_buf bytes = {0};
    reel_error err = {0};
    CHECK_OK(reel_chunk_to_batch(chunk, &s, &b, &err));
    reel_ipc_write_options options = {.alignment = 64};
    CHECK_OK(reel_ipc_write_stream(&bytes, &s, &b, 1, &options, &err));
    reel_blob *blob = reel_blob_from_buf(&bytes);
    reel_vec batches = {0};
    CHECK_OK(reel_ipc_read_stream(blob, NULL, &s_read, &batches, &err));
    reel_chunk *back = NULL;
    if (CHECK_EQ_INT(batches.len, 1) &&
        !CHECK_OK(reel_chunk_from_batch(&s_read, &REEL_VEC_AT(&batches, reel_arrow_array, 0), &back,
                                        &err)))
        fprintf(stderr, "    %s\n", err.message);
    if (back != NULL) {
        CHECK(tc_chunks_equal(chunk, back));
        CHECK_OK(reel_chunk_validate(back, &err));
        CHECK(inside(back->row_ids.buffers[1].data, blob));
        CHECK(inside(back->timelines[0].times.buffers[1].data, blob));
        CHECK(inside(back->components[2].lists.buffers[1].data, blob));
        CHECK(inside(back->components[2].lists.children[0].children[0].buffers[1].data, blob));
        /* Written again, the schema is the same to the last metadata key. */
        CHECK_OK(reel_chunk_to_batch(back, &s_again, &b_again, &err));
        CHECK(reel_arrow_field_type_equal(&s, &s_again, true));
        CHECK(tc_metadata_equal(&s.metadata, &s_again.metadata));
        for (int32_t i = 0; i < s.n_children && i < s_again.n_children; i++) {
            CHECK_EQ_STR(s.children[i].name, s_again.children[i].name);
            CHECK(tc_metadata_equal(&s.children[i].metadata, &s_again.children[i].metadata));
        }
        reel_arrow_field_reset(&s_again);
        reel_arrow_array_reset(&b_again);
    }
    /* Drop everything but the decoded chunk: it keeps the message bytes alive. */
    for (size_t i = 0; i < batches.len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(&batches, reel_arrow_array, i));
    reel_vec_free(&batches);
    reel_blob_release(blob);
    reel_arrow_field_reset(&s_read);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
    reel_chunk_release(chunk);
    if (back != NULL) {
        const reel_chunk_component *pos = reel_chunk_find_component(back, "Points3D:positions");
        if (CHECK(pos != NULL)) {
            const reel_arrow_field *point = &pos->field.children[0];
            const reel_arrow_array *points = &pos->lists.children[0];
            CHECK_NEAR(reel_arrow_array_get_double(&point->children[0], &points->children[0], 5),
                       6.0, 0);
        }
    }
    reel_chunk_release(back);
}

static int64_t list_length(const reel_chunk_component *c, int64_t row)
{
    if (reel_arrow_array_is_null(&c->field, &c->lists, row))
        return -1;
    int64_t start, end;
    reel_arrow_array_get_list_range(&c->field, &c->lists, row, &start, &end);
    return end - start;
}

TEST(accessors_and_contents)
{
    reel_chunk *chunk = tc_points_chunk();
    if (!CHECK(chunk != NULL))
        return;
    reel_error err = {0};
    CHECK_OK(reel_chunk_validate(chunk, &err));
    CHECK_EQ_STR(chunk->entity_path, "/world/points");
    CHECK_EQ_INT(chunk->row_count, 3);
    CHECK(chunk->row_ids_sorted);
    CHECK(!chunk->is_static);
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(reel_tuid_compare(reel_chunk_row_id(chunk, i), tc_row_id(i)), 0);
    /* Timelines sorted by name, whatever order the rows gave them in. */
    if (CHECK_EQ_INT(chunk->n_timelines, 2)) {
        CHECK_EQ_STR(chunk->timelines[0].name, "frame");
        CHECK(chunk->timelines[0].is_sorted);
        CHECK_EQ_STR(chunk->timelines[1].name, "log_time");
        CHECK(!chunk->timelines[1].is_sorted);
    }
    int64_t lo = 0, hi = 0;
    CHECK(reel_chunk_time_range(chunk, "log_time", &lo, &hi));
    CHECK_EQ_INT(lo, 90);
    CHECK_EQ_INT(hi, 110);
    CHECK(!reel_chunk_time_range(chunk, "nope", &lo, &hi));
    CHECK(reel_chunk_find_timeline(chunk, "nope") == NULL);
    /* Components: no archetype first, then by component name. */
    if (CHECK_EQ_INT(chunk->n_components, 3)) {
        CHECK_EQ_STR(chunk->components[0].descriptor.component, "confidence");
        CHECK(chunk->components[0].descriptor.archetype == NULL);
        CHECK_EQ_STR(chunk->components[1].descriptor.component, "Points3D:colors");
        CHECK_EQ_STR(chunk->components[2].descriptor.component_type, "rerun.components.Position3D");
    }
    const reel_chunk_component *pos = reel_chunk_find_component(chunk, "Points3D:positions");
    const reel_chunk_component *colors = reel_chunk_find_component(chunk, "Points3D:colors");
    const reel_chunk_component *conf = reel_chunk_find_component(chunk, "confidence");
    CHECK(reel_chunk_find_component(chunk, "Points3D:radii") == NULL);
    if (CHECK(pos && colors && conf)) {
        /* -1 = null (not logged), 0 = empty list (cleared). */
        CHECK_EQ_INT(list_length(pos, 0), 2);
        CHECK_EQ_INT(list_length(pos, 1), 1);
        CHECK_EQ_INT(list_length(pos, 2), 0);
        CHECK_EQ_INT(list_length(colors, 0), 1);
        CHECK_EQ_INT(list_length(colors, 1), -1);
        CHECK_EQ_INT(list_length(colors, 2), 0);
        CHECK_EQ_INT(list_length(conf, 0), -1);
        CHECK_EQ_INT(list_length(conf, 1), 1);
        CHECK_EQ_INT(list_length(conf, 2), -1);
        CHECK_EQ_U64(
            reel_arrow_array_get_uint(&colors->field.children[0], &colors->lists.children[0], 0),
            0xFF0000FF);
    }
    size_t size = reel_chunk_byte_size(chunk);
    CHECK(size > 3 * 16 + 3 * 8 * 2 + 9 * 4);
    CHECK(size < 64 * 1024);
    reel_chunk_release(chunk);
}

TEST(validate_finds_broken_invariants)
{
    reel_chunk *chunk = tc_points_chunk();
    if (!CHECK(chunk != NULL))
        return;
    reel_error err = {0};
    chunk->timelines[1].is_sorted = true;
    CHECK_EQ_INT(reel_chunk_validate(chunk, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "timeline 'log_time': is_sorted, min or max is wrong") != NULL);
    chunk->timelines[1].is_sorted = false;
    chunk->is_static = true;
    CHECK_EQ_INT(reel_chunk_validate(chunk, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "is_static") != NULL);
    chunk->is_static = false;
    reel_chunk_component swap = chunk->components[0];
    chunk->components[0] = chunk->components[2];
    chunk->components[2] = swap;
    CHECK_EQ_INT(reel_chunk_validate(chunk, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "out of order") != NULL);
    chunk->components[2] = chunk->components[0];
    chunk->components[0] = swap;
    chunk->components[1].lists.length = 2;
    CHECK_EQ_INT(reel_chunk_validate(chunk, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "component 'Points3D:colors': not one list per row") != NULL);
    chunk->components[1].lists.length = 3;
    CHECK_OK(reel_chunk_validate(chunk, &err));
    reel_chunk_release(chunk);
}

TEST(empty_chunk_round_trips)
{
    reel_chunk_builder *b = NULL;
    reel_chunk *chunk = NULL, *back = NULL;
    CHECK_OK(reel_chunk_builder_create("/", &b, NULL));
    CHECK_OK(reel_chunk_builder_finish(b, &chunk, NULL));
    reel_chunk_builder_destroy(b);
    if (!CHECK(chunk != NULL))
        return;
    reel_arrow_field s, s_read = {0};
    reel_arrow_array batch;
    reel_buf bytes = {0};
    reel_vec batches = {0};
    reel_error err = {0};
    CHECK_OK(reel_chunk_to_batch(chunk, &s, &batch, &err));
    CHECK_OK(reel_ipc_write_stream(&bytes, &s, &batch, 1, NULL, &err));
    reel_blob *blob = reel_blob_from_buf(&bytes);
    CHECK_OK(reel_ipc_read_stream(blob, NULL, &s_read, &batches, &err));
    if (CHECK_EQ_INT(batches.len, 1) &&
        CHECK_OK(reel_chunk_from_batch(&s_read, &REEL_VEC_AT(&batches, reel_arrow_array, 0), &back,
                                       &err))) {
        CHECK(tc_chunks_equal(chunk, back));
        CHECK_EQ_STR(back->entity_path, "/");
        CHECK_EQ_INT(back->row_count, 0);
    }
    for (size_t i = 0; i < batches.len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(&batches, reel_arrow_array, i));
    reel_vec_free(&batches);
    reel_blob_release(blob);
    reel_arrow_field_reset(&s_read);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&batch);
    reel_chunk_release(back);
    reel_chunk_release(chunk);
}

typedef struct hammer_arg {
    reel_chunk *chunk;
    int rounds;
} hammer_arg;

static void hammer(void *p)
{
    hammer_arg *arg = p;
    for (int i = 0; i < arg->rounds; i++) {
        reel_chunk *mine = reel_chunk_retain(arg->chunk);
        if (mine->row_count != 3)
            abort();
        reel_chunk_release(mine);
    }
}

TEST(refcount_across_threads)
{
    reel_chunk *chunk = tc_points_chunk();
    if (!CHECK(chunk != NULL))
        return;
    reel_thread threads[4];
    hammer_arg arg = {chunk, 20000};
    for (int i = 0; i < 4; i++)
        CHECK_OK(reel_thread_start(&threads[i], hammer, &arg, NULL));
    for (int i = 0; i < 4; i++)
        reel_thread_join(&threads[i]);
    /* Still exactly one reference: a second owner keeps it alive past the first release. */
    reel_chunk *second = reel_chunk_retain(chunk);
    reel_chunk_release(chunk);
    CHECK_EQ_INT(second->row_count, 3);
    reel_chunk_release(second);
    reel_chunk_retain(NULL);
    reel_chunk_release(NULL);
}

int main(void)
{
    RUN(to_batch_writes_what_rerun_writes);
    RUN(round_trip_through_ipc_shares_the_message);
    RUN(accessors_and_contents);
    RUN(validate_finds_broken_invariants);
    RUN(empty_chunk_round_trips);
    RUN(refcount_across_threads);
    TEST_MAIN_END();
}
