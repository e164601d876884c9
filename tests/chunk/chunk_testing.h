/* Helpers shared by the chunk tests: small arrays built from C values, a 3-row sparse test
 * chunk made with the chunk builder, editing record batches (metadata, columns) to break one
 * reader rule at a time or to dress a batch up in an old Sorbet version, and a deep chunk
 * comparison. */
#ifndef REEL_TESTS_CHUNK_TESTING_H
#define REEL_TESTS_CHUNK_TESTING_H

#include <stdlib.h>
#include <string.h>

#include "chunk/chunk.h"
#include "test.h"

static inline reel_arrow_field tc_field(const char *type)
{
    reel_arrow_field field;
    reel_error err = {0};
    if (!CHECK_OK(reel_arrow_type_parse(type, strlen(type), &field, NULL, &err)))
        fprintf(stderr, "    parsing '%s': %s\n", type, err.message);
    return field;
}

/* Integers (any integer or temporal type); validity "1101" style or NULL for all valid. */
static inline reel_arrow_array tc_ints(const char *type, const int64_t *values, int64_t n,
                                       const char *validity)
{
    reel_arrow_field f = tc_field(type);
    reel_arrow_builder *b = NULL;
    reel_arrow_array out = {0};
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    for (int64_t i = 0; i < n; i++) {
        if (validity != NULL && validity[i] == '0')
            CHECK_OK(reel_arrow_builder_append_null(b, 1));
        else
            CHECK_OK(reel_arrow_builder_append_int(b, values[i]));
    }
    CHECK_OK(reel_arrow_builder_finish(b, &out, NULL));
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
    return out;
}

static inline reel_arrow_array tc_doubles(const char *type, const double *values, int64_t n)
{
    reel_arrow_field f = tc_field(type);
    reel_arrow_builder *b = NULL;
    reel_arrow_array out = {0};
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    for (int64_t i = 0; i < n; i++)
        CHECK_OK(reel_arrow_builder_append_double(b, values[i]));
    CHECK_OK(reel_arrow_builder_finish(b, &out, NULL));
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
    return out;
}

/* n points of fixed_size_list<item: float not null>[3]. */
static inline reel_arrow_array tc_positions(const float *xyz, int64_t n)
{
    reel_arrow_field f = tc_field("fixed_size_list<item: float not null>[3]");
    reel_arrow_builder *b = NULL;
    reel_arrow_array out = {0};
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &b, NULL));
    for (int64_t i = 0; i < n; i++) {
        for (int k = 0; k < 3; k++)
            CHECK_OK(
                reel_arrow_builder_append_double(reel_arrow_builder_child(b, 0), xyz[i * 3 + k]));
        CHECK_OK(reel_arrow_builder_finish_element(b));
    }
    CHECK_OK(reel_arrow_builder_finish(b, &out, NULL));
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&f);
    return out;
}

static inline reel_tuid tc_row_id(int i)
{
    reel_tuid id = {UINT64_C(0x18EA3D8121352C3B) + (uint64_t)i,
                    UINT64_C(0x4a90fa649ae07260) + (uint64_t)i};
    return id;
}

/* 3 rows of "/world/points":
 *   row 0: frame 1, log_time 100; positions [[1,2,3],[4,5,6]]; colors [0xFF0000FF]
 *   row 1: frame 2, log_time 90;  positions [[7,8,9]]; colors null; confidence [0.5]
 *   row 2: frame 2, log_time 110; positions [] (cleared); colors []; confidence null
 * positions and colors carry archetype Points3D and their component types; confidence has
 * neither (untyped user data). log_time is not sorted. */
static inline reel_chunk *tc_points_chunk(void)
{
    reel_chunk_builder *b = NULL;
    reel_error err = {0};
    CHECK_OK(reel_chunk_builder_create("world/points", &b, &err));
    reel_arrow_field pos_f = tc_field("fixed_size_list<item: float not null>[3]");
    reel_arrow_field col_f = tc_field("uint32");
    reel_arrow_field conf_f = tc_field("double");
    static const float xyz[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    reel_arrow_array pos = tc_positions(xyz, 3);
    int64_t color = 0xFF0000FF;
    reel_arrow_array colors = tc_ints("uint32", &color, 1, NULL);
    double half = 0.5;
    reel_arrow_array conf = tc_doubles("double", &half, 1);
    reel_component_descriptor d_pos = {"rerun.archetypes.Points3D", "Points3D:positions",
                                       "rerun.components.Position3D"};
    reel_component_descriptor d_col = {"rerun.archetypes.Points3D", "Points3D:colors",
                                       "rerun.components.Color"};
    reel_component_descriptor d_conf = {NULL, "confidence", NULL};
    static const int64_t frames[] = {1, 2, 2}, log_times[] = {100, 90, 110};
    for (int row = 0; row < 3; row++) {
        reel_chunk_time times[2] = {{"log_time", REEL_TIME_TIMESTAMP_NS, log_times[row]},
                                    {"frame", REEL_TIME_SEQUENCE, frames[row]}};
        reel_chunk_cell cells[3];
        int n = 0;
        if (row == 0) {
            cells[n++] = (reel_chunk_cell){d_pos, &pos_f, &pos, 0, 2};
            cells[n++] = (reel_chunk_cell){d_col, &col_f, &colors, 0, 1};
        } else if (row == 1) {
            cells[n++] = (reel_chunk_cell){d_conf, &conf_f, &conf, 0, 1};
            cells[n++] = (reel_chunk_cell){d_pos, &pos_f, &pos, 2, 1};
            cells[n++] = (reel_chunk_cell){d_col, &col_f, NULL, 0, 0};
        } else {
            cells[n++] = (reel_chunk_cell){d_pos, &pos_f, &pos, 3, 0};
            cells[n++] = (reel_chunk_cell){d_col, &col_f, &colors, 0, 0};
        }
        if (!CHECK_OK(reel_chunk_builder_add_row(b, tc_row_id(row), times, 2, cells, n, &err)))
            fprintf(stderr, "    add_row: %s\n", err.message);
    }
    reel_chunk *chunk = NULL;
    if (!CHECK_OK(reel_chunk_builder_finish(b, &chunk, &err)))
        fprintf(stderr, "    finish: %s\n", err.message);
    reel_chunk_builder_destroy(b);
    reel_arrow_array_reset(&pos);
    reel_arrow_array_reset(&colors);
    reel_arrow_array_reset(&conf);
    reel_arrow_field_reset(&pos_f);
    reel_arrow_field_reset(&col_f);
    reel_arrow_field_reset(&conf_f);
    return chunk;
}

/* ---------------------------------------------------------------- editing batches */

/* Replaces md with the pairs of `kv` (key, value, ..., NULL). */
static inline void tc_set_metadata(reel_arrow_metadata *md, const char *const *kv)
{
    reel_arrow_metadata_reset(md, NULL);
    for (; kv != NULL && kv[0] != NULL; kv += 2)
        CHECK_OK(reel_arrow_metadata_set(md, NULL, kv[0], kv[1]));
}

/* Appends a column (field copied, array moved) to a schema/batch pair. */
static inline void tc_add_column(reel_arrow_field *schema, reel_arrow_array *batch,
                                 const reel_arrow_field *field, reel_arrow_array *array)
{
    reel_arrow_field *child;
    CHECK_OK(reel_arrow_field_add_child(schema, "", REEL_ARROW_NULL_TYPE, true, &child));
    reel_arrow_field_reset(child);
    CHECK_OK(reel_arrow_field_copy(child, field, NULL));
    size_t n = (size_t)batch->n_children;
    batch->children = reel_realloc(batch->alloc, batch->children, n * sizeof *batch->children,
                                   (n + 1) * sizeof *batch->children);
    batch->children[n] = *array;
    memset(array, 0, sizeof *array);
    batch->n_children++;
}

/* Swaps columns i and j. */
static inline void tc_swap_columns(reel_arrow_field *schema, reel_arrow_array *batch, int i, int j)
{
    reel_arrow_field f = schema->children[i];
    schema->children[i] = schema->children[j];
    schema->children[j] = f;
    reel_arrow_array a = batch->children[i];
    batch->children[i] = batch->children[j];
    batch->children[j] = a;
}

static inline int tc_column(const reel_arrow_field *schema, const char *name)
{
    for (int32_t i = 0; i < schema->n_children; i++) {
        if (strcmp(schema->children[i].name, name) == 0)
            return i;
    }
    return -1;
}

/* ---------------------------------------------------------------- comparing chunks */

static inline bool tc_metadata_equal(const reel_arrow_metadata *a, const reel_arrow_metadata *b)
{
    if (a->count != b->count)
        return false;
    for (int32_t i = 0; i < a->count; i++) {
        if (strcmp(a->items[i].key, b->items[i].key) != 0 ||
            strcmp(a->items[i].value, b->items[i].value) != 0)
            return false;
    }
    return true;
}

static inline bool tc_same_string(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

/* Everything but the references: same id, path, rows, columns, values and metadata. */
static inline bool tc_chunks_equal(const reel_chunk *a, const reel_chunk *b)
{
    reel_arrow_field fsb = tc_field("fixed_size_binary[16]");
    bool ok = reel_tuid_compare(a->id, b->id) == 0 && strcmp(a->entity_path, b->entity_path) == 0 &&
              a->row_count == b->row_count && a->row_ids_sorted == b->row_ids_sorted &&
              a->is_static == b->is_static && a->n_timelines == b->n_timelines &&
              a->n_components == b->n_components &&
              reel_arrow_array_equal(&fsb, &a->row_ids, &b->row_ids) &&
              tc_metadata_equal(&a->extra_metadata, &b->extra_metadata);
    reel_arrow_field_reset(&fsb);
    for (int32_t i = 0; ok && i < a->n_timelines; i++) {
        const reel_chunk_timeline *x = &a->timelines[i], *y = &b->timelines[i];
        ok = strcmp(x->name, y->name) == 0 && x->type == y->type && x->is_sorted == y->is_sorted &&
             x->min == y->min && x->max == y->max &&
             reel_arrow_field_type_equal(&x->field, &y->field, true) &&
             tc_same_string(x->field.name, y->field.name) &&
             tc_metadata_equal(&x->field.metadata, &y->field.metadata) &&
             reel_arrow_array_equal(&x->field, &x->times, &y->times);
    }
    for (int32_t i = 0; ok && i < a->n_components; i++) {
        const reel_chunk_component *x = &a->components[i], *y = &b->components[i];
        ok = tc_same_string(x->descriptor.archetype, y->descriptor.archetype) &&
             tc_same_string(x->descriptor.component, y->descriptor.component) &&
             tc_same_string(x->descriptor.component_type, y->descriptor.component_type) &&
             reel_arrow_field_type_equal(&x->field, &y->field, true) &&
             tc_same_string(x->field.name, y->field.name) &&
             tc_metadata_equal(&x->field.metadata, &y->field.metadata) &&
             reel_arrow_array_equal(&x->field, &x->lists, &y->lists);
    }
    return ok;
}

#endif
