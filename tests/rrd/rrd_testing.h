/* Helpers shared by the rrd tests and tests/tools/rrd_tool.c: component arrays from C values,
 * chunks made with the chunk builder, and a sample recording (several entities, timelines of
 * all three types, static and sparse chunks, a clear, recording properties, optionally a
 * blueprint) written through an rrd writer. Everything returns a status (no CHECKs), so the
 * tool can use it too. */
#ifndef REEL_TESTS_RRD_TESTING_H
#define REEL_TESTS_RRD_TESTING_H

#include <stdlib.h>
#include <string.h>

#include "chunk/chunk.h"
#include "rrd/rrd.h"

/* Element values of one component cell. */
typedef enum rt_kind { RT_DOUBLE, RT_INT, RT_UINT, RT_BOOL, RT_STRING, RT_POSITION } rt_kind;

/* Builds an array of `n` values of Arrow `type` (pyarrow spelling) into *field and *out
 * (caller resets both). values: double[], int64_t[], uint64_t[], bool[], const char *[] or
 * float[3 * n] by kind. */
static inline reel_status rt_array(const char *type, rt_kind kind, const void *values, int64_t n,
                                   reel_arrow_field *field, reel_arrow_array *out)
{
    reel_arrow_builder *b = NULL;
    REEL_TRY(reel_arrow_type_parse(type, strlen(type), field, NULL, NULL));
    reel_status status = reel_arrow_builder_create(field, NULL, &b, NULL);
    for (int64_t i = 0; i < n && status == REEL_OK; i++) {
        if (kind == RT_DOUBLE)
            status = reel_arrow_builder_append_double(b, ((const double *)values)[i]);
        else if (kind == RT_INT)
            status = reel_arrow_builder_append_int(b, ((const int64_t *)values)[i]);
        else if (kind == RT_UINT)
            status = reel_arrow_builder_append_uint(b, ((const uint64_t *)values)[i]);
        else if (kind == RT_BOOL)
            status = reel_arrow_builder_append_bool(b, ((const bool *)values)[i]);
        else if (kind == RT_STRING)
            status = reel_arrow_builder_append_bytes(b, ((const char *const *)values)[i],
                                                     strlen(((const char *const *)values)[i]));
        else {
            for (int k = 0; k < 3 && status == REEL_OK; k++)
                status = reel_arrow_builder_append_double(reel_arrow_builder_child(b, 0),
                                                          ((const float *)values)[i * 3 + k]);
            if (status == REEL_OK)
                status = reel_arrow_builder_finish_element(b);
        }
    }
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, NULL);
    reel_arrow_builder_destroy(b);
    if (status != REEL_OK)
        reel_arrow_field_reset(field);
    return status;
}

/* One component of the rows a chunk is built from: the same values for every row. */
typedef struct rt_component {
    const char *archetype, *component, *component_type; /* archetype/type may be NULL */
    const char *type;                                   /* element type */
    rt_kind kind;
    const void *values;
    int64_t count;
    uint32_t null_rows; /* bit r set: nothing logged in row r */
} rt_component;

/* A chunk of `rows` rows for `entity`: timeline `timeline` (NULL = static) of `time_type`
 * with times first_time + row, plus log_time when with_log_time; row ids from first_row_id. */
static inline reel_status rt_chunk(const char *entity, const char *timeline,
                                   reel_time_type time_type, int64_t first_time, bool with_log_time,
                                   int64_t rows, const rt_component *comps, int32_t n_comps,
                                   reel_chunk **out, reel_error *err)
{
    reel_chunk_builder *builder = NULL;
    reel_arrow_field fields[8];
    reel_arrow_array arrays[8];
    int32_t built = 0;
    reel_status status =
        n_comps <= 8 ? reel_chunk_builder_create(entity, &builder, err) : REEL_INVALID_ARGUMENT;
    for (; built < n_comps && status == REEL_OK; built++)
        status = rt_array(comps[built].type, comps[built].kind, comps[built].values,
                          comps[built].count, &fields[built], &arrays[built]);
    if (status != REEL_OK)
        built--;
    for (int64_t row = 0; row < rows && status == REEL_OK; row++) {
        reel_chunk_time times[2] = {
            {timeline, time_type, first_time + row},
            {"log_time", REEL_TIME_TIMESTAMP_NS, INT64_C(1700000000000000000) + row}};
        reel_chunk_cell cells[8];
        for (int32_t c = 0; c < n_comps; c++) {
            bool skip = row < 32 && ((comps[c].null_rows >> row) & 1);
            cells[c] = (reel_chunk_cell){{(char *)comps[c].archetype, (char *)comps[c].component,
                                          (char *)comps[c].component_type},
                                         &fields[c],
                                         skip ? NULL : &arrays[c],
                                         0,
                                         skip ? 0 : comps[c].count};
        }
        int32_t n_times = timeline == NULL ? 0 : with_log_time ? 2 : 1;
        status = reel_chunk_builder_add_row(builder, reel_tuid_new(), times, n_times, cells,
                                            n_comps, err);
    }
    if (status == REEL_OK)
        status = reel_chunk_builder_finish(builder, out, err);
    for (int32_t i = 0; i < built; i++) {
        reel_arrow_field_reset(&fields[i]);
        reel_arrow_array_reset(&arrays[i]);
    }
    reel_chunk_builder_destroy(builder);
    return status;
}

static inline reel_status rt_write(reel_rrd_writer *w, const reel_store_id *store,
                                   reel_status status, reel_chunk *chunk, int *count,
                                   reel_error *err)
{
    if (status == REEL_OK)
        status = reel_rrd_writer_write_chunk(w, store, chunk, err);
    if (status == REEL_OK && count != NULL)
        ++*count;
    reel_chunk_release(chunk);
    return status;
}

#define RT_APP "reel_sample"

/* Writes the sample recording (and blueprint) to w; *chunks counts the chunks written. */
static inline reel_status rt_write_sample(reel_rrd_writer *w, bool with_blueprint, int *chunks,
                                          reel_error *err)
{
    reel_store_id rec = {REEL_STORE_KIND_RECORDING, "rec_reel_sample", RT_APP};
    reel_store_id bp = {REEL_STORE_KIND_BLUEPRINT, "bp_reel_sample", RT_APP};
    reel_store_info info = {.store_id = rec, .source_kind = REEL_STORE_SOURCE_C_SDK};
    reel_chunk *c = NULL;
    reel_status status = REEL_OK;
    if (chunks != NULL)
        *chunks = 0;
    if (with_blueprint) {
        static const bool yes[1] = {true};
        rt_component auto_layout = {"rerun.blueprint.archetypes.ViewportBlueprint",
                                    "ViewportBlueprint:auto_layout",
                                    "rerun.blueprint.components.AutoLayout",
                                    "bool",
                                    RT_BOOL,
                                    yes,
                                    1,
                                    0};
        reel_store_info bp_info = {.store_id = bp, .source_kind = REEL_STORE_SOURCE_C_SDK};
        REEL_TRY(reel_rrd_writer_write_store_info(w, &bp_info, err));
        status = rt_chunk("/viewport", "blueprint", REEL_TIME_SEQUENCE, 0, false, 1, &auto_layout,
                          1, &c, err);
        REEL_TRY(rt_write(w, &bp, status, c, chunks, err));
        REEL_TRY(reel_rrd_writer_write_blueprint_activation(w, &bp, false, true, err));
    }
    REEL_TRY(reel_rrd_writer_write_store_info(w, &info, err));

    static const int64_t start_time[1] = {INT64_C(1700000000000000000)};
    static const char *const name[1] = {"Reel sample"};
    rt_component properties[2] = {{"rerun.archetypes.RecordingInfo", "RecordingInfo:name",
                                   "rerun.components.Name", "string", RT_STRING, name, 1, 0},
                                  {"rerun.archetypes.RecordingInfo", "RecordingInfo:start_time",
                                   "rerun.components.Timestamp", "int64", RT_INT, start_time, 1,
                                   0}};
    status = rt_chunk("/__properties", NULL, 0, 0, false, 1, properties, 2, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    static const float xyz[6] = {0, 0, 0, 1, 1, 1};
    static const uint64_t red[1] = {0xFF0000FF};
    rt_component points[2] = {{"rerun.archetypes.Points3D", "Points3D:colors",
                               "rerun.components.Color", "uint32", RT_UINT, red, 1, 0},
                              {"rerun.archetypes.Points3D", "Points3D:positions",
                               "rerun.components.Position3D",
                               "fixed_size_list<item: float not null>[3]", RT_POSITION, xyz, 2, 0}};
    status = rt_chunk("/points", "frame", REEL_TIME_SEQUENCE, 3, true, 1, points, 2, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    static const double radius[1] = {0.5};
    rt_component radii = {"rerun.archetypes.Points3D",
                          "Points3D:radii",
                          "rerun.components.Radius",
                          "float",
                          RT_DOUBLE,
                          radius,
                          1,
                          0};
    status = rt_chunk("/points", NULL, 0, 0, false, 1, &radii, 1, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    static const double half[1] = {0.5};
    rt_component scalars = {"rerun.archetypes.Scalars",
                            "Scalars:scalars",
                            "rerun.components.Scalar",
                            "double",
                            RT_DOUBLE,
                            half,
                            1,
                            0};
    status = rt_chunk("/plot/sin", "elapsed", REEL_TIME_DURATION_NS, 1500000000, true, 5, &scalars,
                      1, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    static const char *const text[1] = {"hello"}, *const level[1] = {"INFO"};
    rt_component log[2] = {{"rerun.archetypes.TextLog", "TextLog:level",
                            "rerun.components.TextLogLevel", "string", RT_STRING, level, 1, 0},
                           {"rerun.archetypes.TextLog", "TextLog:text", "rerun.components.Text",
                            "string", RT_STRING, text, 1, 0}};
    status = rt_chunk("/logs", "sensor_time", REEL_TIME_TIMESTAMP_NS, INT64_C(1700000000000000000),
                      true, 1, log, 2, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    /* Two rows; radii only logged in row 1 (a sparse column). */
    static const float p[3] = {1, 2, 3};
    static const double small[1] = {0.1};
    rt_component sparse[2] = {{"rerun.archetypes.Points3D", "Points3D:positions",
                               "rerun.components.Position3D",
                               "fixed_size_list<item: float not null>[3]", RT_POSITION, p, 1, 0},
                              {"rerun.archetypes.Points3D", "Points3D:radii",
                               "rerun.components.Radius", "float", RT_DOUBLE, small, 1, 1u}};
    status = rt_chunk("/e", "step", REEL_TIME_SEQUENCE, 0, true, 2, sparse, 2, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    static const bool recursive[1] = {true};
    rt_component clear = {"rerun.archetypes.Clear",
                          "Clear:is_recursive",
                          "rerun.components.ClearIsRecursive",
                          "bool",
                          RT_BOOL,
                          recursive,
                          1,
                          0};
    status = rt_chunk("/points", "frame", REEL_TIME_SEQUENCE, 5, true, 1, &clear, 1, &c, err);
    REEL_TRY(rt_write(w, &rec, status, c, chunks, err));

    /* Untyped user data (AnyValues): no archetype, no component type. */
    static const double confidence[2] = {0.9, 0.7};
    rt_component custom = {NULL, "confidence", NULL, "double", RT_DOUBLE, confidence, 2, 0};
    status = rt_chunk("/custom", "frame", REEL_TIME_SEQUENCE, 7, false, 1, &custom, 1, &c, err);
    return rt_write(w, &rec, status, c, chunks, err);
}

#endif
