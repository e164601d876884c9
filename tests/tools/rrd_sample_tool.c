/* rrd_sample_tool: the C half of tests/interop/test_rrd_interop.py's "Reel writes, Rerun
 * reads" checks. For every CORE archetype of the types registry it builds chunks whose
 * every field holds deterministic sample values made from the component's Arrow type alone
 * (a generic "sample value for an Arrow type" generator: enums take valid values from the
 * registry, colors are RGBA uint32), writes them as one .rrd recording with the rrd writer,
 * and dumps what it wrote as JSON so Python can compare it with what the real SDK reads.
 *
 *   rrd_sample_tool OUT.rrd VALUES.json [--no-compress] [--no-footer]
 *
 * Per archetype X (snake name x) there are two entities:
 *   /samples/x/temporal  3 rows on timelines frame (sequence), sim_time (duration) and
 *                        wall_time (timestamp): row 0 logs every field, row 1 only the
 *                        required ones (the others are null = not logged), row 2 every field
 *                        again but the first optional batch field as an empty list (a clear);
 *   /samples/x/static    1 static row logging every field.
 * Values differ per row and field (a seed mixes archetype, field and row).
 *
 * VALUES.json: {"application_id", "recording_id", "compression", "entities": [{"entity_path",
 * "archetype", "static", "rows": [{"row_id", "times": {name: int}, "components":
 * {component: <reel_arrow_value_to_json of the row's list>}}]}]}. Components not logged in a
 * row are left out of its "components".
 *
 * Exit status: 0 on success, 1 on bad usage, 2 when building or writing fails. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chunk/chunk.h"
#include "rrd/rrd.h"
#include "types/types.h"

#define EXIT_USAGE 1
#define EXIT_ERROR 2

#define TEMPORAL_ROWS 3
#define APPLICATION_ID "reel_sample_tool"
#define RECORDING_ID "reel_samples"

/* ---------------------------------------------------------------- sample values */

/* What the generator knows besides the Arrow type: the component whose values it makes and,
 * for integers, the enum whose values are the only valid ones. */
typedef struct sample_ctx {
    const reel_types_component *component;
    const reel_types_enum *enum_type; /* NULL: not an enum */
    bool rgba;                        /* uint32 RGBA color */
} sample_ctx;

static uint64_t mix(uint64_t seed, uint64_t salt)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + salt + 0x632BE59BD9B4E019ull;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return x;
}

/* "pixel_format" -> "rerun.encodings.PixelFormat": Rerun names the enum encodings used in
 * struct fields after the field (ImageFormat's pixel_format, color_model, channel_datatype). */
static const reel_types_enum *enum_for_struct_field(const char *field_name)
{
    char name[128] = "rerun.encodings.";
    size_t len = strlen(name);
    bool upper = true;
    for (const char *p = field_name; p && *p && len + 1 < sizeof name; p++) {
        if (*p == '_') {
            upper = true;
            continue;
        }
        name[len++] = upper ? (char)toupper((unsigned char)*p) : *p;
        upper = false;
    }
    name[len] = '\0';
    return reel_types_enum_find(name);
}

/* Valid ViewCoordinates: three distinct axes (ViewDir values), one per direction pair. */
static const uint8_t view_coordinates[][3] = {
    {REEL_ViewDir_Right, REEL_ViewDir_Down, REEL_ViewDir_Forward}, /* RDF */
    {REEL_ViewDir_Right, REEL_ViewDir_Up, REEL_ViewDir_Back},      /* RUB */
    {REEL_ViewDir_Forward, REEL_ViewDir_Left, REEL_ViewDir_Up},    /* FLU */
};

static reel_status append_sample(reel_arrow_builder *b, const sample_ctx *ctx, uint64_t seed,
                                 reel_error *err);

static reel_status append_integer(reel_arrow_builder *b, const reel_arrow_field *field,
                                  const sample_ctx *ctx, uint64_t seed)
{
    if (ctx->enum_type != NULL && ctx->enum_type->value_count > 0) {
        const reel_types_enum_value *v =
            &ctx->enum_type->values[seed % (uint64_t)ctx->enum_type->value_count];
        return reel_arrow_builder_append_uint(b, v->value);
    }
    if (ctx->rgba && field->type == REEL_ARROW_UINT32) {
        uint32_t rgb = (uint32_t)(mix(seed, 7) & 0xFFFFFFu);
        return reel_arrow_builder_append_uint(b, (rgb << 8) | 0xFFu);
    }
    /* Small positive numbers that fit every width (class ids, keypoints, shapes, …), with
     * a few bigger ones where the type allows them to catch truncation. */
    uint64_t value = 1 + seed % 97;
    switch (field->type) {
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
        return reel_arrow_builder_append_int(b, (int64_t)value - 40);
    case REEL_ARROW_INT64:
        return reel_arrow_builder_append_int(b, (int64_t)value * 1000003 - 40000000000ll);
    case REEL_ARROW_UINT64:
        return reel_arrow_builder_append_uint(b, value * 4294967311ull);
    case REEL_ARROW_UINT32:
        return reel_arrow_builder_append_uint(b, value * 65537u);
    default:
        return reel_arrow_builder_append_uint(b, value);
    }
}

static reel_status append_string(reel_arrow_builder *b, const sample_ctx *ctx, uint64_t seed)
{
    char text[160];
    const char *component = ctx->component ? ctx->component->short_name : "value";
    if (ctx->component && strcmp(component, "MediaType") == 0) {
        static const char *const media[] = {"text/markdown", "image/png", "model/gltf-binary"};
        snprintf(text, sizeof text, "%s", media[seed % 3]);
    } else if (ctx->component && strcmp(component, "TextLogLevel") == 0) {
        static const char *const levels[] = {"INFO", "WARN", "ERROR", "DEBUG"};
        snprintf(text, sizeof text, "%s", levels[seed % 4]);
    } else if (ctx->component && strcmp(component, "EntityPath") == 0) {
        snprintf(text, sizeof text, "/video/asset_%" PRIu64, seed % 5);
    } else {
        /* Non-ASCII on purpose: UTF-8 must survive both ways. */
        snprintf(text, sizeof text, "%s #%" PRIu64 " \xc3\xa9t\xc3\xa9", component, seed % 1000);
    }
    return reel_arrow_builder_append_bytes(b, text, strlen(text));
}

static reel_status append_union(reel_arrow_builder *b, const reel_arrow_field *field,
                                const sample_ctx *ctx, uint64_t seed, reel_error *err)
{
    /* Rerun's unions start with a "_null_markers" null child: pick a real variant. */
    int32_t first = field->n_children > 1 && field->children[0].type == REEL_ARROW_NULL_TYPE;
    int32_t index = first + (int32_t)(seed % (uint64_t)(field->n_children - first));
    reel_arrow_builder *child = reel_arrow_builder_child(b, index);
    sample_ctx child_ctx = {.component = ctx->component};
    REEL_TRY(append_sample(child, &child_ctx, mix(seed, (uint64_t)index), err));
    int8_t code = field->union_type_codes ? field->union_type_codes[index] : (int8_t)index;
    return reel_arrow_builder_append_union(b, code);
}

/* Appends one non-null value of the builder's type. */
static reel_status append_sample(reel_arrow_builder *b, const sample_ctx *ctx, uint64_t seed,
                                 reel_error *err)
{
    const reel_arrow_field *field = reel_arrow_builder_field(b);
    switch (field->type) {
    case REEL_ARROW_NULL_TYPE:
        return reel_arrow_builder_append_null(b, 1);
    case REEL_ARROW_BOOL:
        return reel_arrow_builder_append_bool(b, (seed & 1) != 0);
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_INT64:
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64:
        return append_integer(b, field, ctx, seed);
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64:
        /* Exactly representable in half precision: what is written is what is read. */
        return reel_arrow_builder_append_double(b, 0.25 + (double)(seed % 64) * 0.5);
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
        return append_string(b, ctx, seed);
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_FIXED_SIZE_BINARY: {
        uint8_t bytes[64];
        size_t len =
            field->type == REEL_ARROW_FIXED_SIZE_BINARY ? (size_t)field->fixed_size : 3 + seed % 5;
        for (size_t i = 0; i < len && i < sizeof bytes; i++)
            bytes[i] = (uint8_t)mix(seed, i);
        return reel_arrow_builder_append_bytes(b, bytes, len < sizeof bytes ? len : sizeof bytes);
    }
    case REEL_ARROW_DATE32:
    case REEL_ARROW_DATE64:
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_TIMESTAMP:
    case REEL_ARROW_DURATION:
        return reel_arrow_builder_append_int(b, (int64_t)(seed % 100000));
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST: {
        reel_arrow_builder *child = reel_arrow_builder_child(b, 0);
        sample_ctx child_ctx = {
            .component = ctx->component, .rgba = ctx->rgba, .enum_type = ctx->enum_type};
        int64_t count =
            field->type == REEL_ARROW_FIXED_SIZE_LIST ? field->fixed_size : 2 + (int64_t)(seed % 3);
        const reel_arrow_field *item = reel_arrow_builder_field(child);
        if (ctx->component && ctx->component->index == REEL_TYPES_COMPONENT_ViewCoordinates &&
            count == 3 && item->type == REEL_ARROW_UINT8) {
            const uint8_t *axes = view_coordinates[seed % 3];
            for (int i = 0; i < 3; i++)
                REEL_TRY(reel_arrow_builder_append_uint(child, axes[i]));
        } else {
            for (int64_t i = 0; i < count; i++)
                REEL_TRY(append_sample(child, &child_ctx, mix(seed, (uint64_t)i + 1), err));
        }
        return reel_arrow_builder_finish_element(b);
    }
    case REEL_ARROW_STRUCT:
        for (int32_t i = 0; i < field->n_children; i++) {
            const char *name = field->children[i].name;
            sample_ctx child_ctx = {.component = ctx->component,
                                    .enum_type = enum_for_struct_field(name),
                                    .rgba = name && strcmp(name, "color") == 0};
            REEL_TRY(append_sample(reel_arrow_builder_child(b, i), &child_ctx,
                                   mix(seed, 100 + (uint64_t)i), err));
        }
        return reel_arrow_builder_finish_element(b);
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        return append_union(b, field, ctx, seed, err);
    case REEL_ARROW_DECIMAL32: /* no Rerun component has these types */
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256:
    case REEL_ARROW_MAP:
    case REEL_ARROW_DICTIONARY:
    case REEL_ARROW_TYPE_COUNT:
        break;
    }
    return reel_error_set(err, REEL_UNSUPPORTED, "no sample value for Arrow type %s",
                          reel_arrow_type_name(field->type));
}

/* `count` instances of `component` into *out (reset by the caller). */
static reel_status build_instances(const reel_types_component *component, int64_t count,
                                   uint64_t seed, reel_arrow_array *out, reel_error *err)
{
    const reel_arrow_field *field = NULL;
    REEL_TRY(reel_types_component_arrow_field(component, &field, err));
    reel_arrow_builder *builder = NULL;
    REEL_TRY(reel_arrow_builder_create(field, NULL, &builder, err));
    sample_ctx ctx = {
        .component = component,
        .enum_type = reel_types_enum_find(component->name),
        .rgba = component->encoding && strcmp(component->encoding, "rerun.encodings.Rgba32") == 0,
    };
    reel_status status = REEL_OK;
    for (int64_t i = 0; i < count && status == REEL_OK; i++)
        status = append_sample(builder, &ctx, mix(seed, (uint64_t)i), err);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(builder, out, err);
    reel_arrow_builder_destroy(builder);
    if (status != REEL_OK)
        return reel_error_prefix(err, "%s: ", component->name);
    return REEL_OK;
}

/* ---------------------------------------------------------------- chunks */

/* Which fields a row logs and how many instances each gets. */
typedef enum row_shape {
    ROW_ALL = 0,           /* every field */
    ROW_REQUIRED_ONLY = 1, /* optional fields not logged */
    ROW_WITH_CLEAR = 2,    /* every field, the first optional batch field empty */
} row_shape;

static int64_t instance_count(const reel_types_field *field, row_shape shape, bool *first_clear,
                              int row)
{
    if (shape == ROW_REQUIRED_ONLY && !field->required)
        return -1;
    if (shape == ROW_WITH_CLEAR && !field->required && field->batch && *first_clear) {
        *first_clear = false;
        return 0;
    }
    return field->batch ? 1 + (row + (int)strlen(field->name)) % 3 : 1;
}

static reel_status build_chunk(const reel_types_archetype *arch, const char *entity, bool is_static,
                               int rows, reel_chunk **out, reel_error *err)
{
    enum { MAX_FIELDS = 32 };
    if (arch->field_count > MAX_FIELDS)
        return reel_error_set(err, REEL_LIMIT, "%s has %d fields, more than %d", arch->name,
                              (int)arch->field_count, MAX_FIELDS);
    reel_chunk_builder *builder = NULL;
    REEL_TRY(reel_chunk_builder_create(entity, &builder, err));
    reel_chunk_cell cells[MAX_FIELDS];
    reel_arrow_array values[MAX_FIELDS];
    reel_status status = REEL_OK;
    for (int row = 0; row < rows && status == REEL_OK; row++) {
        row_shape shape = is_static ? ROW_ALL : (row_shape)(row % 3);
        bool first_clear = true;
        int32_t n_cells = 0;
        memset(values, 0, sizeof values);
        for (int32_t f = 0; f < arch->field_count && status == REEL_OK; f++) {
            const reel_types_field *field = &arch->fields[f];
            int64_t count = instance_count(field, shape, &first_clear, row);
            if (count < 0)
                continue;
            uint64_t seed = mix(reel_hash_bytes(arch->name, strlen(arch->name), (uint64_t)f),
                                (uint64_t)row * 2 + (is_static ? 1 : 0));
            status = build_instances(field->type, count, seed, &values[n_cells], err);
            const reel_arrow_field *item = NULL;
            if (status == REEL_OK)
                status = reel_types_component_arrow_field(field->type, &item, err);
            cells[n_cells] = (reel_chunk_cell){
                .descriptor = {.archetype = (char *)arch->name,
                               .component = (char *)field->component,
                               .component_type = (char *)field->type->name},
                .field = item,
                .values = &values[n_cells],
                .offset = 0,
                .length = count,
            };
            n_cells++;
        }
        reel_chunk_time times[3] = {
            {.name = "frame", .type = REEL_TIME_SEQUENCE, .value = 10 + row},
            {.name = "sim_time", .type = REEL_TIME_DURATION_NS, .value = row * 1500000000ll},
            {.name = "wall_time",
             .type = REEL_TIME_TIMESTAMP_NS,
             .value = 1700000000000000000ll + row * 250000000ll},
        };
        if (status == REEL_OK)
            status = reel_chunk_builder_add_row(builder, reel_tuid_new(), times, is_static ? 0 : 3,
                                                cells, n_cells, err);
        for (int32_t i = 0; i < n_cells; i++)
            reel_arrow_array_reset(&values[i]);
    }
    if (status == REEL_OK)
        status = reel_chunk_builder_finish(builder, out, err);
    reel_chunk_builder_destroy(builder);
    return status;
}

/* ---------------------------------------------------------------- JSON dump */

static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static reel_status dump_chunk(FILE *out, const reel_types_archetype *arch, const reel_chunk *chunk,
                              bool first, reel_error *err)
{
    reel_buf value = {0};
    fprintf(out, "%s\n{\"entity_path\":", first ? "" : ",");
    json_string(out, chunk->entity_path);
    fprintf(out, ",\"archetype\":\"%s\",\"static\":%s,\"rows\":[", arch->name,
            chunk->is_static ? "true" : "false");
    for (int64_t row = 0; row < chunk->row_count; row++) {
        char row_id[64];
        reel_tuid_format(reel_chunk_row_id(chunk, row), "row_", row_id, sizeof row_id);
        fprintf(out, "%s{\"row_id\":\"%s\",\"times\":{", row ? "," : "", row_id);
        for (int32_t t = 0; t < chunk->n_timelines; t++) {
            const reel_chunk_timeline *tl = &chunk->timelines[t];
            fprintf(out, "%s", t ? "," : "");
            json_string(out, tl->name);
            fprintf(out, ":%" PRId64, reel_arrow_array_get_int(&tl->field, &tl->times, row));
        }
        fprintf(out, "},\"components\":{");
        bool first_component = true;
        for (int32_t c = 0; c < chunk->n_components; c++) {
            const reel_chunk_component *comp = &chunk->components[c];
            if (reel_arrow_array_is_null(&comp->field, &comp->lists, row))
                continue;
            reel_buf_clear(&value);
            reel_status status = reel_arrow_value_to_json(&comp->field, &comp->lists, row, &value);
            if (status != REEL_OK) {
                reel_buf_free(&value);
                return reel_error_set(err, status, "%s: cannot print %s as JSON",
                                      chunk->entity_path, comp->descriptor.component);
            }
            fprintf(out, "%s", first_component ? "" : ",");
            first_component = false;
            json_string(out, comp->descriptor.component);
            fprintf(out, ":%.*s", (int)value.len, (const char *)value.data);
        }
        fprintf(out, "}}");
    }
    fprintf(out, "]}");
    reel_buf_free(&value);
    return REEL_OK;
}

/* ---------------------------------------------------------------- main */

static reel_status write_samples(const char *rrd_path, FILE *json,
                                 const reel_rrd_writer_options *options, reel_error *err)
{
    reel_rrd_writer *writer = NULL;
    REEL_TRY(reel_rrd_writer_create_path(rrd_path, options, &writer, err));
    reel_store_id store = {.kind = REEL_STORE_KIND_RECORDING,
                           .recording_id = RECORDING_ID,
                           .application_id = APPLICATION_ID};
    reel_store_info info = {.store_id = store, .source_kind = REEL_STORE_SOURCE_C_SDK};
    reel_status status = reel_rrd_writer_write_store_info(writer, &info, err);
    fprintf(json,
            "{\"application_id\":\"%s\",\"recording_id\":\"%s\",\"compression\":\"%s\","
            "\"entities\":[",
            APPLICATION_ID, RECORDING_ID,
            options->compression == REEL_RRD_COMPRESSION_NONE ? "none" : "lz4");
    bool first = true;
    for (size_t i = 0; i < reel_types_archetype_count() && status == REEL_OK; i++) {
        const reel_types_archetype *arch = reel_types_archetype_at(i);
        if (arch->tier != REEL_TYPES_CORE)
            continue;
        for (int is_static = 0; is_static <= 1 && status == REEL_OK; is_static++) {
            char entity[160];
            snprintf(entity, sizeof entity, "/samples/%s/%s", arch->snake_name,
                     is_static ? "static" : "temporal");
            reel_chunk *chunk = NULL;
            status =
                build_chunk(arch, entity, is_static, is_static ? 1 : TEMPORAL_ROWS, &chunk, err);
            if (status == REEL_OK)
                status = reel_rrd_writer_write_chunk(writer, &store, chunk, err);
            if (status == REEL_OK)
                status = dump_chunk(json, arch, chunk, first, err);
            first = false;
            reel_chunk_release(chunk);
            if (status != REEL_OK)
                reel_error_prefix(err, "%s: ", entity);
        }
    }
    fprintf(json, "\n]}\n");
    if (status == REEL_OK)
        status = reel_rrd_writer_finish(writer, err);
    reel_rrd_writer_destroy(writer);
    return status;
}

int main(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int n_paths = 0;
    reel_rrd_writer_options options = {.name = "rrd_sample_tool"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-compress") == 0)
            options.compression = REEL_RRD_COMPRESSION_NONE;
        else if (strcmp(argv[i], "--no-footer") == 0)
            options.no_footer = true;
        else if (argv[i][0] != '-' && n_paths < 2)
            paths[n_paths++] = argv[i];
        else
            n_paths = 3;
    }
    if (n_paths != 2) {
        fprintf(stderr, "usage: rrd_sample_tool OUT.rrd VALUES.json [--no-compress] "
                        "[--no-footer]\n");
        return EXIT_USAGE;
    }
    FILE *json = fopen(paths[1], "w");
    if (json == NULL) {
        fprintf(stderr, "rrd_sample_tool: cannot create %s\n", paths[1]);
        return EXIT_ERROR;
    }
    reel_error err = {0};
    reel_status status = write_samples(paths[0], json, &options, &err);
    if (fclose(json) != 0 && status == REEL_OK)
        status = reel_error_set(&err, REEL_IO, "cannot write %s", paths[1]);
    if (status != REEL_OK) {
        fprintf(stderr, "rrd_sample_tool: %s\n", err.message);
        return EXIT_ERROR;
    }
    return 0;
}
