/* Sorbet migrations in reel_chunk_from_batch: the test chunk's batch dressed up as older
 * versions (0.0.2-style "rerun." keys and old descriptors, indicator columns,
 * RecordingProperties, Pose* and SeriesVisible component types, renamed fields) must read
 * back as the current chunk, and each rename must apply only below its version. */
#include "chunk_testing.h"

enum { ROW_ID, FRAME, LOG_TIME, CONFIDENCE, COLORS, POSITIONS };

static void batch_of_test_chunk(reel_chunk **chunk, reel_arrow_field *schema,
                                reel_arrow_array *batch)
{
    *chunk = tc_points_chunk();
    CHECK_OK(reel_chunk_to_batch(*chunk, schema, batch, NULL));
}

static reel_chunk *read_back(const reel_arrow_field *schema, const reel_arrow_array *batch)
{
    reel_chunk *chunk = NULL;
    reel_error err = {0};
    if (!CHECK_OK(reel_chunk_from_batch(schema, batch, &chunk, &err)))
        fprintf(stderr, "    %s\n", err.message);
    if (chunk != NULL && !CHECK_OK(reel_chunk_validate(chunk, &err)))
        fprintf(stderr, "    validate: %s\n", err.message);
    return chunk;
}

/* An indicator column of the kind Sorbet <= 0.1.0 wrote: list<item: null>, one per row. */
static void add_indicator(reel_arrow_field *s, reel_arrow_array *b, const char *name,
                          const char *const *md)
{
    reel_arrow_field f = tc_field("list<item: null>");
    CHECK_OK(reel_arrow_field_set_name(&f, name));
    tc_set_metadata(&f.metadata, md);
    reel_arrow_builder *builder = NULL;
    reel_arrow_array a = {0};
    CHECK_OK(reel_arrow_builder_create(&f, NULL, &builder, NULL));
    for (int i = 0; i < 3; i++) {
        CHECK_OK(reel_arrow_builder_append_null(reel_arrow_builder_child(builder, 0), 1));
        CHECK_OK(reel_arrow_builder_finish_element(builder));
    }
    CHECK_OK(reel_arrow_builder_finish(builder, &a, NULL));
    reel_arrow_builder_destroy(builder);
    tc_add_column(s, b, &f, &a);
    reel_arrow_field_reset(&f);
}

TEST(v0_0_2_keys_and_descriptors)
{
    reel_chunk *original;
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&original, &s, &b);
    char id[48];
    reel_tuid_format(original->id, "", id, sizeof id);
    const char *const schema_md[] = {
        "rerun.id", id, "rerun.entity_path", "/world/points", "rerun.version", "0.23.0", NULL};
    tc_set_metadata(&s.metadata, schema_md);
    const char *const row_md[] = {"rerun.kind", "control", "rerun.is_sorted", "true", NULL};
    tc_set_metadata(&s.children[ROW_ID].metadata, row_md);
    const char *const frame_md[] = {"rerun.kind", "index", "rerun.index_name", "frame", NULL};
    tc_set_metadata(&s.children[FRAME].metadata, frame_md);
    const char *const time_md[] = {"rerun.kind", "time", "rerun.index_name", "log_time", NULL};
    tc_set_metadata(&s.children[LOG_TIME].metadata, time_md);
    /* A stray component name only, an archetype field triple, and one with the archetype. */
    const char *const conf_md[] = {"rerun.kind", "data", "rerun.component", "confidence", NULL};
    tc_set_metadata(&s.children[CONFIDENCE].metadata, conf_md);
    const char *const colors_md[] = {"rerun.kind",
                                     "data",
                                     "rerun.archetype",
                                     "rerun.archetypes.Points3D",
                                     "rerun.archetype_field",
                                     "colors",
                                     "rerun.component",
                                     "rerun.components.Color",
                                     NULL};
    tc_set_metadata(&s.children[COLORS].metadata, colors_md);
    const char *const pos_md[] = {"rerun.kind",
                                  "data",
                                  "rerun.archetype",
                                  " rerun.archetypes.Points3D",
                                  "rerun.archetype_field",
                                  "positions",
                                  "rerun.component",
                                  "rerun.components.Position3D",
                                  NULL};
    tc_set_metadata(&s.children[POSITIONS].metadata, pos_md);
    const char *const indicator_md[] = {"rerun.kind",
                                        "data",
                                        "rerun.archetype",
                                        "rerun.archetypes.Points3D",
                                        "rerun.component",
                                        "rerun.components.Points3DIndicator",
                                        NULL};
    add_indicator(&s, &b, "rerun.components.Points3DIndicator", indicator_md);
    const char *const bare_md[] = {"rerun.kind", "data", NULL};
    add_indicator(&s, &b, "Points3DIndicator", bare_md); /* named only */

    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        /* The archetype keeps its leading space (Rerun trims it only for the component). */
        const reel_chunk_component *pos = reel_chunk_find_component(chunk, "Points3D:positions");
        if (CHECK(pos != NULL))
            CHECK_EQ_STR(pos->descriptor.archetype, " rerun.archetypes.Points3D");
        CHECK_OK(reel_arrow_metadata_set(&s.children[POSITIONS].metadata, NULL, "rerun.archetype",
                                         "rerun.archetypes.Points3D"));
        reel_chunk_release(chunk);
        chunk = read_back(&s, &b);
    }
    if (chunk != NULL) {
        CHECK(tc_chunks_equal(original, chunk));
        CHECK_EQ_INT(chunk->n_components, 3); /* both indicators dropped */
        CHECK_EQ_INT(chunk->extra_metadata.count, 0);
    }
    reel_chunk_release(chunk);
    reel_chunk_release(original);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

TEST(recording_properties_become_recording_info)
{
    reel_chunk *original;
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&original, &s, &b);
    CHECK_OK(
        reel_arrow_metadata_set(&s.metadata, NULL, "rerun:entity_path", "/__properties/recording"));
    CHECK_OK(reel_arrow_metadata_set(&s.metadata, NULL, "sorbet:version", "0.0.2"));
    CHECK_OK(reel_arrow_field_set_name(&s.children[CONFIDENCE], "RecordingProperties:name"));
    const char *const md[] = {"rerun:kind",
                              "data",
                              "rerun:archetype",
                              "rerun.archetypes.RecordingProperties",
                              "rerun:component",
                              "RecordingProperties:name",
                              NULL};
    tc_set_metadata(&s.children[CONFIDENCE].metadata, md);
    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        CHECK_EQ_STR(chunk->entity_path, "/__properties");
        const reel_chunk_component *c = reel_chunk_find_component(chunk, "RecordingInfo:name");
        if (CHECK(c != NULL)) {
            CHECK_EQ_STR(c->descriptor.archetype, "rerun.archetypes.RecordingInfo");
            CHECK_EQ_STR(c->field.name, "RecordingInfo:name");
        }
    }
    reel_chunk_release(chunk);
    reel_chunk_release(original);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

TEST(v0_1_0_indicators_are_dropped)
{
    reel_chunk *original;
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&original, &s, &b);
    CHECK_OK(reel_arrow_metadata_set(&s.metadata, NULL, "sorbet:version", "0.1.0"));
    const char *const flagged[] = {
        "rerun:kind", "data", "rerun:component", "Points3D:indicator", "rerun:is_indicator",
        "true",       NULL};
    add_indicator(&s, &b, "flagged", flagged);
    const char *const not_flagged[] = {
        "rerun:kind", "data", "rerun:component", "kept", "rerun:is_indicator", "false", NULL};
    add_indicator(&s, &b, "kept", not_flagged);
    const char *const by_name[] = {"rerun:kind", "data", "rerun:component",
                                   "rerun.components.Points3DIndicator", NULL};
    add_indicator(&s, &b, "by_name", by_name);
    reel_chunk *chunk = read_back(&s, &b);
    if (chunk != NULL) {
        CHECK_EQ_INT(chunk->n_components, 4);
        CHECK(reel_chunk_find_component(chunk, "kept") != NULL);
        CHECK(reel_chunk_find_component(chunk, "Points3D:indicator") == NULL);
    }
    reel_chunk_release(chunk);

    /* From 0.1.1 on indicator columns are ordinary data. */
    CHECK_OK(reel_arrow_metadata_set(&s.metadata, NULL, "sorbet:version", "0.1.1"));
    chunk = read_back(&s, &b);
    if (chunk != NULL)
        CHECK_EQ_INT(chunk->n_components, 6);
    reel_chunk_release(chunk);
    reel_chunk_release(original);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
}

/* Sets up renamable descriptors on the three data columns and reads them at `version`. */
static reel_chunk *read_renamables(const char *version)
{
    reel_chunk *original;
    reel_arrow_field s;
    reel_arrow_array b;
    batch_of_test_chunk(&original, &s, &b);
    if (version != NULL) {
        CHECK_OK(reel_arrow_metadata_set(&s.metadata, NULL, "sorbet:version", version));
    } else {
        char id[48];
        reel_tuid_format(original->id, "chunk_", id, sizeof id);
        const char *const md[] = {"rerun:id", id, "rerun:entity_path", "/world/points", NULL};
        tc_set_metadata(&s.metadata, md);
    }
    const char *const pose[] = {"rerun:kind",
                                "data",
                                "rerun:component",
                                "Transform3D:translation",
                                "rerun:component_type",
                                "rerun.components.PoseTranslation3D",
                                NULL};
    tc_set_metadata(&s.children[CONFIDENCE].metadata, pose);
    const char *const axis[] = {"rerun:kind",
                                "data",
                                "rerun:archetype",
                                "rerun.archetypes.Transform3D",
                                "rerun:component",
                                "Transform3D:axis_length",
                                "rerun:component_type",
                                "rerun.components.AxisLength",
                                NULL};
    tc_set_metadata(&s.children[COLORS].metadata, axis);
    const char *const frame[] = {"rerun:kind",
                                 "data",
                                 "rerun:component",
                                 "CoordinateFrame:frame_id",
                                 "rerun:component_type",
                                 "rerun.components.SeriesVisible",
                                 NULL};
    tc_set_metadata(&s.children[POSITIONS].metadata, frame);
    reel_chunk *chunk = read_back(&s, &b);
    reel_chunk_release(original);
    reel_arrow_field_reset(&s);
    reel_arrow_array_reset(&b);
    return chunk;
}

static const char *type_of_component(const reel_chunk *chunk, const char *component)
{
    const reel_chunk_component *c = reel_chunk_find_component(chunk, component);
    return c != NULL ? c->descriptor.component_type : "<missing>";
}

TEST(renames_apply_below_their_version)
{
    reel_chunk *chunk = read_renamables("0.1.1");
    if (chunk != NULL) {
        CHECK_EQ_STR(type_of_component(chunk, "Transform3D:translation"),
                     "rerun.components.Translation3D");
        const reel_chunk_component *axis =
            reel_chunk_find_component(chunk, "TransformAxes3D:axis_length");
        if (CHECK(axis != NULL)) {
            CHECK_EQ_STR(axis->descriptor.archetype, "rerun.archetypes.TransformAxes3D");
            CHECK_EQ_STR(axis->field.name, "TransformAxes3D:axis_length");
        }
        CHECK_EQ_STR(type_of_component(chunk, "CoordinateFrame:frame"), "rerun.components.Visible");
    }
    reel_chunk_release(chunk);

    chunk = read_renamables("0.1.2"); /* only SeriesVisible -> Visible */
    if (chunk != NULL) {
        CHECK_EQ_STR(type_of_component(chunk, "Transform3D:translation"),
                     "rerun.components.PoseTranslation3D");
        CHECK(reel_chunk_find_component(chunk, "Transform3D:axis_length") != NULL);
        CHECK_EQ_STR(type_of_component(chunk, "CoordinateFrame:frame_id"),
                     "rerun.components.Visible");
    }
    reel_chunk_release(chunk);

    static const char *const untouched[] = {"0.1.3", "0.1.4", "0.2.0", "0.1.3-rc.1+x", "junk"};
    for (size_t i = 0; i < sizeof untouched / sizeof untouched[0]; i++) {
        chunk = read_renamables(untouched[i]);
        if (chunk != NULL)
            CHECK_EQ_STR(type_of_component(chunk, "CoordinateFrame:frame_id"),
                         "rerun.components.SeriesVisible");
        reel_chunk_release(chunk);
    }

    chunk = read_renamables(NULL); /* no version, no "rerun." keys: every migration runs */
    if (chunk != NULL)
        CHECK_EQ_STR(type_of_component(chunk, "CoordinateFrame:frame"), "rerun.components.Visible");
    reel_chunk_release(chunk);
}

int main(void)
{
    reel_log_set_level(REEL_LOG_ERROR); /* the unparsable version warns */
    RUN(v0_0_2_keys_and_descriptors);
    RUN(recording_properties_become_recording_info);
    RUN(v0_1_0_indicators_are_dropped);
    RUN(renames_apply_below_their_version);
    TEST_MAIN_END();
}
