/* Golden chunks written by the real rerun-sdk 0.41.0 (the .arrows files in tests/chunk/data,
 * extracted from a .rrd file by data/extract_chunks.py): each is decoded, read with
 * reel_chunk_from_batch and written again with reel_chunk_to_batch, which must reproduce the
 * schema exactly (column names, types, nullability, every metadata key and value in the same
 * order) and the same values, while sharing the file's bytes. */
#include <stdio.h>

#include "chunk_testing.h"

typedef struct golden {
    const char *name;
    const char *entity_path;
    int64_t rows;
    int32_t timelines;
    int32_t components;
} golden;

static const golden goldens[] = {
    {"points_temporal", "/points", 1, 2, 2},
    {"multi_row", "/multi/e", 2, 3, 2},
    {"static_blob", "/a\\ b/\xc3\xbc", 1, 0, 2},
    {"custom_columns", "/custom", 2, 2, 1},
    {"cleared", "/cleared", 1, 2, 3},
    {"clear_recursive", "/clear_all", 1, 2, 1},
};

static reel_blob *read_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/chunk/data/%s.arrows", REEL_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!CHECK(f != NULL)) {
        fprintf(stderr, "    cannot open %s\n", path);
        return NULL;
    }
    uint8_t bytes[32768];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    return reel_blob_copy(NULL, bytes, n);
}

static void check_same_field(const reel_arrow_field *want, const reel_arrow_field *got,
                             const char *where)
{
    bool ok = CHECK_EQ_STR(got->name, want->name) & CHECK_EQ_INT(got->nullable, want->nullable) &
              CHECK(reel_arrow_field_type_equal(want, got, true)) &
              CHECK(tc_metadata_equal(&want->metadata, &got->metadata));
    if (!ok) {
        fprintf(stderr, "    %s: column '%s'\n", where, want->name);
        for (int32_t i = 0; i < got->metadata.count; i++)
            fprintf(stderr, "      got  %s=%s\n", got->metadata.items[i].key,
                    got->metadata.items[i].value);
        for (int32_t i = 0; i < want->metadata.count; i++)
            fprintf(stderr, "      want %s=%s\n", want->metadata.items[i].key,
                    want->metadata.items[i].value);
    }
    for (int32_t i = 0; i < want->n_children && i < got->n_children; i++)
        check_same_field(&want->children[i], &got->children[i], where);
}

static bool inside(const void *p, const reel_blob *blob)
{
    const uint8_t *start = reel_blob_data(blob);
    return (const uint8_t *)p >= start && (const uint8_t *)p < start + reel_blob_len(blob);
}

/* Decodes the golden file and reads it as a chunk (NULL on failure). */
static reel_chunk *load(const golden *g, reel_blob **blob_out, reel_arrow_field *schema,
                        reel_vec *batches)
{
    reel_error err = {0};
    reel_chunk *chunk = NULL;
    *blob_out = read_file(g->name);
    memset(batches, 0, sizeof *batches);
    memset(schema, 0, sizeof *schema);
    if (*blob_out == NULL ||
        !CHECK_OK(reel_ipc_read_stream(*blob_out, NULL, schema, batches, &err)))
        return NULL;
    if (!CHECK_EQ_INT(batches->len, 1))
        return NULL;
    if (!CHECK_OK(reel_chunk_from_batch(schema, &REEL_VEC_AT(batches, reel_arrow_array, 0), &chunk,
                                        &err)))
        fprintf(stderr, "    %s: %s\n", g->name, err.message);
    if (chunk != NULL && !CHECK_OK(reel_chunk_validate(chunk, &err)))
        fprintf(stderr, "    %s: %s\n", g->name, err.message);
    return chunk;
}

static void unload(reel_blob *blob, reel_arrow_field *schema, reel_vec *batches)
{
    for (size_t i = 0; i < batches->len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(batches, reel_arrow_array, i));
    reel_vec_free(batches);
    reel_arrow_field_reset(schema);
    reel_blob_release(blob);
}

TEST(written_back_exactly_as_rerun_wrote_them)
{
    for (size_t k = 0; k < sizeof goldens / sizeof goldens[0]; k++) {
        const golden *g = &goldens[k];
        reel_blob *blob;
        reel_arrow_field schema, again;
        reel_vec batches;
        reel_arrow_array batch_again;
        reel_chunk *chunk = load(g, &blob, &schema, &batches);
        if (chunk == NULL) {
            unload(blob, &schema, &batches);
            continue;
        }
        const reel_arrow_array *batch = &REEL_VEC_AT(&batches, reel_arrow_array, 0);
        CHECK_EQ_STR(chunk->entity_path, g->entity_path);
        CHECK_EQ_INT(chunk->row_count, g->rows);
        CHECK_EQ_INT(chunk->n_timelines, g->timelines);
        CHECK_EQ_INT(chunk->n_components, g->components);
        CHECK_EQ_INT(chunk->is_static, g->timelines == 0);
        CHECK_EQ_INT(chunk->extra_metadata.count, 0);
        CHECK(inside(chunk->row_ids.buffers[1].data, blob));
        CHECK(inside(chunk->components[0].lists.buffers[1].data, blob));

        CHECK_OK(reel_chunk_to_batch(chunk, &again, &batch_again, NULL));
        if (CHECK_EQ_INT(again.n_children, schema.n_children)) {
            for (int32_t i = 0; i < schema.n_children; i++) {
                check_same_field(&schema.children[i], &again.children[i], g->name);
                CHECK(reel_arrow_array_equal(&schema.children[i], &batch->children[i],
                                             &batch_again.children[i]));
            }
        }
        if (!CHECK(tc_metadata_equal(&schema.metadata, &again.metadata)))
            fprintf(stderr, "    %s: schema metadata differs\n", g->name);
        reel_arrow_field_reset(&again);
        reel_arrow_array_reset(&batch_again);
        reel_chunk_release(chunk);
        unload(blob, &schema, &batches);
    }
}

static const reel_chunk_component *component(const reel_chunk *chunk, const char *name)
{
    const reel_chunk_component *c = reel_chunk_find_component(chunk, name);
    if (!CHECK(c != NULL))
        fprintf(stderr, "    no component %s\n", name);
    return c;
}

/* Values the SDK logged (see data/extract_chunks.py). */
TEST(values_are_what_the_sdk_logged)
{
    reel_blob *blob;
    reel_arrow_field schema;
    reel_vec batches;
    reel_chunk *chunk = load(&goldens[0], &blob, &schema, &batches);
    if (chunk != NULL) {
        const reel_chunk_timeline *frame = reel_chunk_find_timeline(chunk, "frame");
        if (CHECK(frame != NULL))
            CHECK_EQ_INT(frame->min, 3);
        const reel_chunk_component *colors = component(chunk, "Points3D:colors");
        if (colors != NULL) {
            CHECK_EQ_STR(colors->descriptor.archetype, "rerun.archetypes.Points3D");
            CHECK_EQ_STR(colors->descriptor.component_type, "rerun.components.Color");
            CHECK_EQ_U64(reel_arrow_array_get_uint(&colors->field.children[0],
                                                   &colors->lists.children[0], 0),
                         0xFF0000FF);
        }
    }
    reel_chunk_release(chunk);
    unload(blob, &schema, &batches);

    chunk = load(&goldens[2], &blob, &schema, &batches); /* static blob */
    if (chunk != NULL) {
        const reel_chunk_component *c = component(chunk, "EncodedImage:blob");
        if (c != NULL) {
            const reel_arrow_field *bytes_f = &c->field.children[0].children[0];
            const reel_arrow_array *bytes = &c->lists.children[0].children[0];
            CHECK_EQ_INT(bytes->length, 4);
            CHECK_EQ_U64(reel_arrow_array_get_uint(bytes_f, bytes, 0), 0xff);
            CHECK_EQ_U64(reel_arrow_array_get_uint(bytes_f, bytes, 3), 0xe0);
        }
    }
    reel_chunk_release(chunk);
    unload(blob, &schema, &batches);

    chunk = load(&goldens[3], &blob, &schema, &batches); /* send_columns, untyped */
    if (chunk != NULL) {
        const reel_chunk_timeline *elapsed = reel_chunk_find_timeline(chunk, "elapsed");
        const reel_chunk_timeline *wall = reel_chunk_find_timeline(chunk, "wall");
        if (CHECK(elapsed != NULL && wall != NULL)) {
            CHECK_EQ_INT(elapsed->type, REEL_TIME_DURATION_NS);
            CHECK(elapsed->is_sorted);
            CHECK_EQ_INT(elapsed->min, 1500000000);
            CHECK_EQ_INT(wall->type, REEL_TIME_TIMESTAMP_NS);
            CHECK(!wall->is_sorted); /* the SDK wrote no rerun:is_sorted for it */
            CHECK_EQ_INT(wall->max, INT64_C(1700000001000000000));
        }
        const reel_chunk_component *c = component(chunk, "confidence");
        if (c != NULL) {
            CHECK(c->descriptor.archetype == NULL);
            CHECK(c->descriptor.component_type == NULL);
        }
    }
    reel_chunk_release(chunk);
    unload(blob, &schema, &batches);

    chunk = load(&goldens[4], &blob, &schema, &batches); /* TextLog.cleared() */
    if (chunk != NULL) {
        for (int32_t i = 0; i < chunk->n_components; i++) {
            const reel_chunk_component *c = &chunk->components[i];
            int64_t start, end;
            CHECK(!reel_arrow_array_is_null(&c->field, &c->lists, 0));
            reel_arrow_array_get_list_range(&c->field, &c->lists, 0, &start, &end);
            CHECK_EQ_INT(end - start, 0);
        }
    }
    reel_chunk_release(chunk);
    unload(blob, &schema, &batches);

    chunk = load(&goldens[5], &blob, &schema, &batches); /* Clear(recursive=True) */
    if (chunk != NULL) {
        const reel_chunk_component *c = component(chunk, "Clear:is_recursive");
        if (c != NULL) {
            CHECK_EQ_STR(c->descriptor.component_type, "rerun.components.ClearIsRecursive");
            CHECK(reel_arrow_array_get_bool(&c->lists.children[0], 0));
        }
    }
    reel_chunk_release(chunk);
    unload(blob, &schema, &batches);
}

int main(void)
{
    RUN(written_back_exactly_as_rerun_wrote_them);
    RUN(values_are_what_the_sdk_logged);
    TEST_MAIN_END();
}
