/* The types registry: lookups by name and index, every registered Arrow type parses and
 * prints back to the same pyarrow string, enum round trips, the archetype structs line up
 * with their field tables, check_column accepts what Rerun accepts and rejects what it
 * rejects, and the lazy Arrow cache is safe to fill from many threads at once. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "types/types.h"

static reel_arrow_field parse_type(const char *text)
{
    reel_arrow_field field = {0};
    reel_error err = {0};
    if (!CHECK_OK(reel_arrow_type_parse(text, strlen(text), &field, NULL, &err)))
        fprintf(stderr, "    '%s': %s\n", text, err.message);
    return field;
}

/* ---------------------------------------------------------------- tables */

TEST(tables_are_sorted_and_indexed)
{
    CHECK_EQ_STR(reel_types_rerun_sdk_version(), "0.41.0");
    CHECK_EQ_INT(reel_types_encoding_count(), REEL_TYPES_ENCODING_COUNT);
    CHECK_EQ_INT(reel_types_component_count(), REEL_TYPES_COMPONENT_COUNT);
    CHECK_EQ_INT(reel_types_enum_count(), REEL_TYPES_ENUM_COUNT);
    CHECK_EQ_INT(reel_types_archetype_count(), REEL_TYPES_ARCHETYPE_COUNT);
    for (size_t i = 0; i < reel_types_encoding_count(); i++) {
        const reel_types_encoding *e = reel_types_encoding_at(i);
        CHECK_EQ_INT(e->index, i);
        CHECK(reel_types_encoding_find(e->name) == e);
        if (i > 0)
            CHECK(strcmp(reel_types_encoding_at(i - 1)->name, e->name) < 0);
    }
    for (size_t i = 0; i < reel_types_component_count(); i++) {
        const reel_types_component *c = reel_types_component_at(i);
        CHECK_EQ_INT(c->index, i);
        CHECK(reel_types_component_find(c->name) == c);
        if (i > 0)
            CHECK(strcmp(reel_types_component_at(i - 1)->name, c->name) < 0);
        /* The name is <scope>.components.<short_name>. */
        size_t name_len = strlen(c->name), short_len = strlen(c->short_name);
        CHECK(name_len > short_len && strcmp(c->name + name_len - short_len, c->short_name) == 0);
        if (c->encoding != NULL)
            CHECK(reel_types_encoding_find(c->encoding) != NULL);
    }
    for (size_t i = 0; i < reel_types_enum_count(); i++) {
        const reel_types_enum *e = reel_types_enum_at(i);
        CHECK(reel_types_enum_find(e->name) == e);
        CHECK(reel_types_component_find(e->name) != NULL ||
              reel_types_encoding_find(e->name) != NULL);
        if (i > 0)
            CHECK(strcmp(reel_types_enum_at(i - 1)->name, e->name) < 0);
    }
    for (size_t i = 0; i < reel_types_archetype_count(); i++) {
        const reel_types_archetype *a = reel_types_archetype_at(i);
        CHECK(reel_types_archetype_find(a->name) == a);
        CHECK(reel_types_archetype_find(a->short_name) == a);
        CHECK_EQ_INT(a->tier == REEL_TYPES_BLUEPRINT, reel_types_is_blueprint_name(a->name));
        if (i > 0)
            CHECK(strcmp(reel_types_archetype_at(i - 1)->name, a->name) < 0);
    }
    CHECK(reel_types_encoding_at(REEL_TYPES_ENCODING_COUNT) == NULL);
    CHECK(reel_types_component_at(REEL_TYPES_COMPONENT_COUNT) == NULL);
    CHECK(reel_types_enum_at(REEL_TYPES_ENUM_COUNT) == NULL);
    CHECK(reel_types_archetype_at(REEL_TYPES_ARCHETYPE_COUNT) == NULL);
}

TEST(counts_by_kind)
{
    int core = 0, extended = 0, blueprint = 0, bp_components = 0, bp_encodings = 0;
    for (size_t i = 0; i < reel_types_archetype_count(); i++) {
        reel_types_tier tier = reel_types_archetype_at(i)->tier;
        core += tier == REEL_TYPES_CORE;
        extended += tier == REEL_TYPES_EXTENDED;
        blueprint += tier == REEL_TYPES_BLUEPRINT;
    }
    for (size_t i = 0; i < reel_types_component_count(); i++)
        bp_components += reel_types_is_blueprint_name(reel_types_component_at(i)->name);
    for (size_t i = 0; i < reel_types_encoding_count(); i++)
        bp_encodings += reel_types_is_blueprint_name(reel_types_encoding_at(i)->name);
    CHECK_EQ_INT(core, 36); /* api-surface.md section 1.1 */
    CHECK_EQ_INT(extended, 18);
    CHECK_EQ_INT(blueprint, 44);
    CHECK_EQ_INT(REEL_TYPES_COMPONENT_COUNT - bp_components, 94);
    CHECK_EQ_INT(bp_components, 64);
    CHECK_EQ_INT(REEL_TYPES_ENCODING_COUNT - bp_encodings, 52);
    CHECK_EQ_INT(bp_encodings, 13);
    CHECK_EQ_INT(REEL_TYPES_ENUM_COUNT, 33);
}

TEST(component_lookups)
{
    const reel_types_component *color = reel_types_component_find("rerun.components.Color");
    if (!CHECK(color != NULL))
        return;
    CHECK(color == reel_types_component_at(REEL_TYPES_COMPONENT_Color));
    CHECK_EQ_STR(color->short_name, "Color");
    CHECK_EQ_STR(color->arrow_type, "uint32");
    CHECK_EQ_STR(color->encoding, "rerun.encodings.Rgba32");
    CHECK_EQ_INT(reel_types_component_value_size(color), 4);
    CHECK(!reel_types_is_blueprint_name(color->name));

    const reel_types_component *pos = reel_types_component_at(REEL_TYPES_COMPONENT_Position3D);
    CHECK_EQ_STR(pos->name, "rerun.components.Position3D");
    CHECK_EQ_STR(pos->arrow_type, "fixed_size_list<item: float not null>[3]");
    CHECK_EQ_INT(reel_types_component_value_size(pos), 12);

    const reel_types_component *text = reel_types_component_at(REEL_TYPES_COMPONENT_Text);
    CHECK_EQ_STR(text->arrow_type, "string");
    CHECK_EQ_INT(reel_types_component_value_size(text), 0);
    CHECK_EQ_INT(
        reel_types_component_value_size(reel_types_component_at(REEL_TYPES_COMPONENT_ShowLabels)),
        0); /* bool is bit-packed: not a VALUES component */
    CHECK_EQ_INT(reel_types_component_value_size(
                     reel_types_component_at(REEL_TYPES_COMPONENT_PinholeProjection)),
                 36);

    /* Enum components have no encoding; blueprint components have their own scope. */
    CHECK(reel_types_component_at(REEL_TYPES_COMPONENT_Colormap)->encoding == NULL);
    const reel_types_component *kind =
        reel_types_component_find("rerun.blueprint.components.ContainerKind");
    CHECK(kind != NULL && reel_types_is_blueprint_name(kind->name));

    CHECK(reel_types_component_find("Color") == NULL); /* full names only */
    CHECK(reel_types_component_find("rerun.components.NoSuchThing") == NULL);
    CHECK(reel_types_component_find("") == NULL);
    CHECK(reel_types_component_find(NULL) == NULL);
    CHECK(reel_types_encoding_find("rerun.encodings.Vec3D") != NULL);
    CHECK(reel_types_encoding_find("rerun.components.Color") == NULL);
}

TEST(every_arrow_type_parses_and_prints_back)
{
    reel_buf out = {0};
    for (size_t i = 0; i < reel_types_component_count() + reel_types_encoding_count(); i++) {
        bool is_component = i < reel_types_component_count();
        const reel_arrow_field *field = NULL, *again = NULL;
        reel_error err = {0};
        const char *text;
        if (is_component) {
            const reel_types_component *c = reel_types_component_at(i);
            text = c->arrow_type;
            if (!CHECK_OK(reel_types_component_arrow_field(c, &field, &err))) {
                fprintf(stderr, "    %s: %s\n", c->name, err.message);
                continue;
            }
            CHECK_OK(reel_types_component_arrow_field(c, &again, NULL));
        } else {
            const reel_types_encoding *e = reel_types_encoding_at(i - reel_types_component_count());
            text = e->arrow_type;
            if (!CHECK_OK(reel_types_encoding_arrow_field(e, &field, &err))) {
                fprintf(stderr, "    %s: %s\n", e->name, err.message);
                continue;
            }
            CHECK_OK(reel_types_encoding_arrow_field(e, &again, NULL));
        }
        CHECK(field == again); /* parsed once */
        CHECK_OK(reel_arrow_field_validate(field, NULL));
        reel_buf_clear(&out);
        CHECK_OK(reel_arrow_type_format(field, &out));
        CHECK_OK(reel_buf_append_u8(&out, 0));
        CHECK_EQ_STR((const char *)out.data, text);
        /* A registered type always satisfies its own check. */
        if (is_component)
            CHECK_OK(reel_types_check_column(reel_types_component_at(i)->name, field, NULL));
    }
    reel_buf_free(&out);
    CHECK_EQ_INT(reel_types_component_arrow_field(NULL, NULL, NULL), REEL_INVALID_ARGUMENT);
}

/* ---------------------------------------------------------------- archetypes */

TEST(points3d_fields)
{
    const reel_types_archetype *a = reel_types_archetype_find("rerun.archetypes.Points3D");
    if (!CHECK(a != NULL))
        return;
    CHECK(a == reel_types_archetype_find("Points3D"));
    CHECK(a == reel_types_archetype_at(REEL_TYPES_ARCHETYPE_Points3D));
    CHECK_EQ_STR(a->short_name, "Points3D");
    CHECK_EQ_STR(a->snake_name, "points3d");
    CHECK_EQ_STR(a->struct_name, "reel_points3d");
    CHECK_EQ_INT(a->tier, REEL_TYPES_CORE);
    CHECK_EQ_INT(a->struct_size, sizeof(reel_points3d));
    static const char *const names[] = {"positions", "radii",       "colors",
                                        "labels",    "show_labels", "point_shading",
                                        "class_ids", "keypoint_ids"};
    if (!CHECK_EQ_INT(a->field_count, 8))
        return;
    for (int i = 0; i < 8; i++)
        CHECK_EQ_STR(a->fields[i].name, names[i]);

    const reel_types_field *positions = reel_types_archetype_field(a, "positions");
    if (!CHECK(positions != NULL))
        return;
    CHECK(positions == reel_types_archetype_field(a, "Points3D:positions"));
    CHECK_EQ_STR(positions->component, "Points3D:positions");
    CHECK_EQ_STR(positions->type->name, "rerun.components.Position3D");
    CHECK(positions->required);
    CHECK(positions->batch);
    CHECK_EQ_INT(positions->struct_offset, offsetof(reel_points3d, positions));

    const reel_types_field *show = reel_types_archetype_field(a, "show_labels");
    CHECK(show != NULL && !show->required && !show->batch);
    CHECK_EQ_STR(show->type->name, "rerun.components.ShowLabels");
    CHECK(reel_types_archetype_field(a, "Points2D:positions") == NULL);
    CHECK(reel_types_archetype_field(a, "nope") == NULL);
    CHECK(reel_types_archetype_find("Nope") == NULL);
    CHECK(reel_types_archetype_find("rerun.archetypes.Nope") == NULL);
    CHECK(reel_types_archetype_find(NULL) == NULL);
}

TEST(blueprint_archetype_uses_plain_components)
{
    const reel_types_archetype *a = reel_types_archetype_find("ViewBlueprint");
    if (!CHECK(a != NULL))
        return;
    CHECK_EQ_STR(a->name, "rerun.blueprint.archetypes.ViewBlueprint");
    CHECK_EQ_STR(a->struct_name, "reel_blueprint_view_blueprint");
    CHECK_EQ_INT(a->tier, REEL_TYPES_BLUEPRINT);
    CHECK_EQ_INT(a->struct_size, sizeof(reel_blueprint_view_blueprint));
    const reel_types_field *class_id = reel_types_archetype_field(a, "class_identifier");
    CHECK(class_id != NULL && class_id->required && !class_id->batch);
    CHECK_EQ_STR(class_id->type->name, "rerun.blueprint.components.ViewClass");
    const reel_types_field *name = reel_types_archetype_field(a, "ViewBlueprint:display_name");
    CHECK(name != NULL && !name->required);
    CHECK_EQ_STR(name->type->name, "rerun.components.Name");
}

TEST(struct_offsets_walk_every_field)
{
    /* Every field's offset is distinct, aligned, inside the struct, and the fields tile it. */
    for (size_t i = 0; i < reel_types_archetype_count(); i++) {
        const reel_types_archetype *a = reel_types_archetype_at(i);
        CHECK(a->field_count > 0);
        CHECK_EQ_INT(a->struct_size, (size_t)a->field_count * sizeof(reel_component_batch));
        for (int32_t f = 0; f < a->field_count; f++)
            CHECK_EQ_INT(a->fields[f].struct_offset, (size_t)f * sizeof(reel_component_batch));
        CHECK(reel_types_component_find(a->fields[0].type->name) == a->fields[0].type);
    }

    /* Reading a struct through the table sees what was written through the members. */
    float xyz[6] = {1, 2, 3, 4, 5, 6};
    uint32_t rgba = 0xff0000ffu;
    reel_points3d points = {0};
    points.positions = reel_batch_values(xyz, 2);
    points.colors = reel_batch_values(&rgba, 1);
    const reel_types_archetype *a = reel_types_archetype_at(REEL_TYPES_ARCHETYPE_Points3D);
    int set = 0;
    for (int32_t f = 0; f < a->field_count; f++) {
        const reel_component_batch *batch = reel_types_field_batch(&a->fields[f], &points);
        if (batch->form == REEL_BATCH_UNSET)
            continue;
        set++;
        if (strcmp(a->fields[f].name, "positions") == 0)
            CHECK(batch->data == xyz && batch->count == 2);
        else
            CHECK(strcmp(a->fields[f].name, "colors") == 0 && batch->data == &rgba);
    }
    CHECK_EQ_INT(set, 2);

    reel_arrow_array array = {.length = 7};
    reel_component_batch from_array = reel_batch_arrow(&array);
    CHECK_EQ_INT(from_array.form, REEL_BATCH_ARROW);
    CHECK_EQ_INT(from_array.count, 7);
}

TEST(tiers_follow_api_surface)
{
    static const char *const core[] = {
        "AnnotationContext",  "Clear", "Image", "Tensor", "Transform3D", "ViewCoordinates",
        "VideoFrameReference"};
    static const char *const extended[] = {"CoordinateFrame", "GridMap",     "McapChannel",
                                           "RecordingInfo",   "VideoStream", "VoxelGridMap"};
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
        CHECK_EQ_INT(reel_types_archetype_find(core[i])->tier, REEL_TYPES_CORE);
    for (size_t i = 0; i < sizeof(extended) / sizeof(extended[0]); i++)
        CHECK_EQ_INT(reel_types_archetype_find(extended[i])->tier, REEL_TYPES_EXTENDED);
    /* Two required fields, both batches. */
    const reel_types_archetype *caps = reel_types_archetype_find("Capsules3D");
    CHECK(reel_types_archetype_field(caps, "lengths")->required);
    CHECK(reel_types_archetype_field(caps, "radii")->required);
    CHECK(!reel_types_archetype_field(caps, "colors")->required);
}

/* ---------------------------------------------------------------- enums */

TEST(enum_round_trips)
{
    CHECK_EQ_INT(REEL_Colormap_Grayscale, 1);
    CHECK_EQ_INT(REEL_Colormap_Viridis, 6);
    CHECK_EQ_U64(REEL_VideoCodec_H264, 0x61766331u);
    CHECK_EQ_INT(REEL_ChannelDatatype_F32, 34);
    CHECK_EQ_INT(REEL_ViewDir_Back, 6);
    CHECK_EQ_INT(REEL_ContainerKind_Grid, 4);

    for (size_t i = 0; i < reel_types_enum_count(); i++) {
        const reel_types_enum *e = reel_types_enum_at(i);
        CHECK(e->value_count > 0);
        for (int32_t v = 0; v < e->value_count; v++) {
            uint32_t value = 0;
            CHECK_EQ_STR(reel_types_enum_value_name(e, e->values[v].value), e->values[v].name);
            CHECK(reel_types_enum_value_of(e, e->values[v].name, &value));
            CHECK_EQ_U64(value, e->values[v].value);
            if (v > 0)
                CHECK(e->values[v - 1].value < e->values[v].value);
        }
    }

    const reel_types_enum *colormap = reel_types_enum_find("rerun.components.Colormap");
    if (!CHECK(colormap != NULL))
        return;
    CHECK_EQ_INT(colormap->value_count, 12);
    CHECK_EQ_STR(reel_types_enum_value_name(colormap, 5), "Turbo");
    CHECK(reel_types_enum_value_name(colormap, 0) == NULL);
    CHECK(reel_types_enum_value_name(colormap, 13) == NULL);
    uint32_t value = 0;
    CHECK(reel_types_enum_value_of(colormap, "viridis", &value) && value == 6);
    CHECK(reel_types_enum_value_of(colormap, "CYANTOYELLOW", &value) && value == 7);
    CHECK(!reel_types_enum_value_of(colormap, "Viridi", &value));
    CHECK(!reel_types_enum_value_of(colormap, "", &value));
    CHECK(!reel_types_enum_value_of(NULL, "Viridis", &value));

    const reel_types_enum *codec = reel_types_enum_find("rerun.components.VideoCodec");
    CHECK(codec != NULL && reel_types_enum_value_name(codec, 0x68657631u) != NULL);
    CHECK_EQ_STR(reel_types_enum_value_name(codec, 0x68657631u), "H265");
    const reel_types_enum *pixel = reel_types_enum_find("rerun.encodings.PixelFormat");
    CHECK(pixel != NULL && reel_types_enum_value_of(pixel, "NV12", &value) && value == 26);
    CHECK(reel_types_enum_find("rerun.components.Color") == NULL);
}

/* ---------------------------------------------------------------- check_column */

static reel_status check(const char *component_type, const char *element_type, reel_error *err)
{
    reel_arrow_field field = parse_type(element_type);
    reel_status status = reel_types_check_column(component_type, &field, err);
    reel_arrow_field_reset(&field);
    return status;
}

TEST(check_column_accepts_what_rerun_accepts)
{
    static const struct {
        const char *component, *type;
    } ok[] = {
        {"rerun.components.Position3D", "fixed_size_list<item: float not null>[3]"},
        {"rerun.components.Position3D", "fixed_size_list<item: float>[3]"},
        {"rerun.components.Position3D", "fixed_size_list<element: float>[3]"},
        {"rerun.components.Color", "uint32"},
        {"rerun.components.GraphEdge", "struct<first: string not null, second: string not null>"},
        {"rerun.components.GraphEdge", "struct<first: string, second: string>"},
        {"rerun.components.GraphEdge", "struct<second: string, first: string>"},
        {"rerun.components.GraphEdge", "struct<first: string, second: string, third: int8>"},
        {"rerun.components.Blob", "list<item: uint8>"},
        {"rerun.components.Blob", "list<bytes: uint8 not null>"},
        {"rerun.blueprint.components.ColumnOrder", "list<item: string>"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        reel_error err = {0};
        if (!CHECK_OK(check(ok[i].component, ok[i].type, &err)))
            fprintf(stderr, "    %s as %s: %s\n", ok[i].component, ok[i].type, err.message);
    }
}

TEST(check_column_rejects_what_rerun_rejects)
{
    static const struct {
        const char *component, *type, *message_part;
    } bad[] = {
        {"rerun.components.Position3D", "fixed_size_list<item: double>[3]", "got double"},
        {"rerun.components.Position3D", "fixed_size_list<item: float>[4]", "list size"},
        {"rerun.components.Position3D", "list<item: float>", "different type"},
        {"rerun.components.Color", "int32", "expected uint32, got int32"},
        {"rerun.components.GraphEdge", "struct<first: string>", "'second' is missing"},
        {"rerun.components.GraphEdge", "struct<x: string, y: string>", "'first' is missing"},
        {"rerun.components.GraphEdge", "struct<first: large_string, second: string>", "at .first"},
        {"rerun.components.Blob", "large_list<item: uint8>", "different type"},
        {"rerun.components.Blob", "binary", "different type"},
        {"rerun.components.TensorData",
         "struct<shape: list<item: uint64>, names: list<item: string>, buffer: "
         "sparse_union<_null_markers: null=0, U8: list<item: uint8>=1>>",
         "at .buffer"},
        {"rerun.components.TensorData",
         "struct<shape: list<item: uint64>, names: list<item: string>, buffer: "
         "dense_union<_null_markers: null=0, U8: list<item: uint8>=1>>",
         "type code 2 is missing"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        reel_error err = {0};
        CHECK_EQ_INT(check(bad[i].component, bad[i].type, &err), REEL_CORRUPT);
        if (!CHECK(strstr(err.message, bad[i].message_part) != NULL))
            fprintf(stderr, "    %s as %s: message '%s'\n", bad[i].component, bad[i].type,
                    err.message);
        CHECK(strstr(err.message, bad[i].component) != NULL);
    }
}

TEST(check_column_unknown_types)
{
    reel_error err = {0};
    CHECK_EQ_INT(check("rerun.components.NoSuchThing", "uint32", &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "unknown component type 'rerun.components.NoSuchThing'") != NULL);
    CHECK_EQ_INT(check("my.Thing", "uint32", NULL), REEL_UNSUPPORTED);
    reel_arrow_field field = parse_type("uint32");
    CHECK_EQ_INT(reel_types_check_column(NULL, &field, NULL), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_types_check_column("rerun.components.Color", NULL, NULL),
                 REEL_INVALID_ARGUMENT);
    reel_arrow_field_reset(&field);
}

TEST(check_descriptor_like_rerun_verify)
{
    reel_error err = {0};
    CHECK_OK(reel_types_check_descriptor("rerun.archetypes.Points3D", "Points3D:positions",
                                         "rerun.components.Position3D", NULL));
    CHECK_OK(reel_types_check_descriptor("rerun.archetypes.Points3D", "positions",
                                         "rerun.components.Position3D", NULL));
    CHECK_OK(reel_types_check_descriptor(NULL, "my_field", "rerun.components.Color", NULL));
    CHECK_OK(reel_types_check_descriptor("my.Archetype", "x", "rerun.components.Color", NULL));
    CHECK_OK(
        reel_types_check_descriptor("rerun.archetypes.Points3D", "Points3D:colors", NULL, NULL));
    CHECK_EQ_INT(reel_types_check_descriptor("rerun.archetypes.Points3D", "Points3D:positions",
                                             "rerun.components.Color", &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "has type rerun.components.Position3D") != NULL);
    CHECK_EQ_INT(reel_types_check_descriptor("rerun.archetypes.Points3D", "Points3D:foo",
                                             "rerun.components.Color", &err),
                 REEL_UNSUPPORTED);
    CHECK_EQ_INT(reel_types_check_descriptor("rerun.archetypes.Nope", "Nope:foo",
                                             "rerun.components.Color", &err),
                 REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "unknown archetype") != NULL);
    CHECK_OK(reel_types_check_descriptor("rerun.blueprint.archetypes.Background",
                                         "Background:color", "rerun.components.Color", NULL));
}

/* ---------------------------------------------------------------- threads */

static void parse_all(void *arg)
{
    const reel_arrow_field **seen = arg;
    for (size_t i = 0; i < reel_types_component_count(); i++) {
        if (reel_types_component_arrow_field(reel_types_component_at(i), &seen[i], NULL) != REEL_OK)
            seen[i] = NULL;
    }
}

TEST(lazy_cache_is_thread_safe)
{
    /* The first test to touch the cache may be this one or an earlier one; either way all
     * threads must see one and the same field per component. */
    enum { THREADS = 8 };
    const reel_arrow_field **seen[THREADS];
    reel_thread threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        seen[t] = calloc(REEL_TYPES_COMPONENT_COUNT, sizeof(*seen[t]));
        CHECK_OK(reel_thread_start(&threads[t], parse_all, seen[t], NULL));
    }
    for (int t = 0; t < THREADS; t++)
        reel_thread_join(&threads[t]);
    for (size_t i = 0; i < REEL_TYPES_COMPONENT_COUNT; i++) {
        CHECK(seen[0][i] != NULL);
        for (int t = 1; t < THREADS; t++)
            CHECK(seen[t][i] == seen[0][i]);
    }
    for (int t = 0; t < THREADS; t++)
        free(seen[t]);
}

int main(void)
{
    RUN(lazy_cache_is_thread_safe); /* first, so the threads race to fill an empty cache */
    RUN(tables_are_sorted_and_indexed);
    RUN(counts_by_kind);
    RUN(component_lookups);
    RUN(every_arrow_type_parses_and_prints_back);
    RUN(points3d_fields);
    RUN(blueprint_archetype_uses_plain_components);
    RUN(struct_offsets_walk_every_field);
    RUN(tiers_follow_api_surface);
    RUN(enum_round_trips);
    RUN(check_column_accepts_what_rerun_accepts);
    RUN(check_column_rejects_what_rerun_rejects);
    RUN(check_column_unknown_types);
    RUN(check_descriptor_like_rerun_verify);
    TEST_MAIN_END();
}
