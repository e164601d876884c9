/* Public: one C struct per Rerun archetype and the component batch each field holds, made by
 * X-macros from rerun_types.def (the single table of Rerun types, generated from the pinned
 * SDK). Plain C11; needs nothing but this directory.
 *
 *     reel_points3d points = {
 *         .positions = reel_batch_values(xyz, count), // float[3] per point
 *         .colors = reel_batch_values(&rgba, 1),      // one uint32 0xRRGGBBAA, splatted
 *         .labels = reel_batch_strings(names, count),
 *     };
 *
 * Core and extended archetypes are reel_<snake_name> (reel_points3d, reel_line_strips2d);
 * blueprint archetypes are reel_blueprint_<snake_name>. A field left zero (REEL_BATCH_UNSET)
 * is not logged; an empty batch (count 0, or reel_batch_empty()) logs an empty list, which
 * clears that component from then on. Batches borrow the caller's memory for the duration of
 * the call that takes them only. */
#ifndef REEL_ARCHETYPES_H
#define REEL_ARCHETYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a reel_component_batch's data is to be read. */
typedef enum reel_component_batch_form {
    /* Zero-initialised: the field is not logged at all (left out of the chunk). */
    REEL_BATCH_UNSET = 0,
    /* `data` points at `count` instances packed as C lays them out: fixed-width components
     * as their Arrow values (float[3] for Position3D, uint32 for Color, double for Scalar),
     * bool components as one `bool` each, and structs of fixed-width members as the C struct
     * with those members in order (ImageFormat: reel_image_format; RotationAxisAngle:
     * {float axis[3]; float angle;}); a nullable struct member whose bytes are all zero is
     * written as null. count == 0 logs an empty batch (a clear). */
    REEL_BATCH_VALUES = 1,
    /* `data` points at a reel_arrow_array (libreel's internal arrow module) of the
     * component's Arrow type, `count` its length; `aux` may point at its reel_arrow_field
     * (needed for user components). */
    REEL_BATCH_ARROW = 2,
    /* An explicitly empty batch for any component: logs [] (clears it). */
    REEL_BATCH_EMPTY = 3,
    /* `data` points at `count` NUL-terminated UTF-8 strings (`const char *const *`). For
     * string components (Text, Name, MediaType, …); for structs whose members are all
     * strings (GraphEdge: first, second) `count` instances take that many strings each. */
    REEL_BATCH_STRINGS = 4,
    /* One instance of a byte-list component (Blob, ImageBuffer, VideoSample): `byte_len`
     * bytes at `data`; count is 1. */
    REEL_BATCH_BYTES = 5,
    /* `count` variable-length lists of fixed-width elements (LineStrip2D/3D: float[2]/[3]
     * points, GeoLineString: double[2]): `data` holds all elements packed, `aux` points at
     * `count` uint32_t element counts. */
    REEL_BATCH_LISTS = 6,
    /* A borrowed Arrow C Data Interface array: `data` is a `const struct ArrowArray *`,
     * `aux` its `const struct ArrowSchema *`. Neither is released (the caller keeps both). */
    REEL_BATCH_C_DATA = 7,
    /* One TensorData instance: `data` points at a reel_tensor_view. */
    REEL_BATCH_TENSOR = 8,
} reel_component_batch_form;

/* A borrowed view of one archetype field's instances. Use the reel_batch_* helpers. */
typedef struct reel_component_batch {
    reel_component_batch_form form;
    const void *data;
    size_t count;    /* instances */
    const void *aux; /* LISTS: lengths; C_DATA: schema; ARROW: field (optional) */
    size_t byte_len; /* BYTES: bytes of the one instance */
} reel_component_batch;

/* The ImageFormat component as REEL_BATCH_VALUES takes it (zero enum = not set). */
typedef struct reel_image_format {
    uint32_t width;
    uint32_t height;
    uint8_t pixel_format;     /* REEL_PixelFormat_* or 0 */
    uint8_t color_model;      /* REEL_ColorModel_* (L, RGB, RGBA, BGR, BGRA) or 0 */
    uint8_t channel_datatype; /* REEL_ChannelDatatype_* (U8 = 6, F32 = 34, …) or 0 */
} reel_image_format;

/* TensorData element types: the variant numbers of Rerun's TensorBuffer union. */
typedef enum reel_tensor_type {
    REEL_TENSOR_U8 = 1,
    REEL_TENSOR_U16 = 2,
    REEL_TENSOR_U32 = 3,
    REEL_TENSOR_U64 = 4,
    REEL_TENSOR_I8 = 5,
    REEL_TENSOR_I16 = 6,
    REEL_TENSOR_I32 = 7,
    REEL_TENSOR_I64 = 8,
    REEL_TENSOR_F16 = 9, /* IEEE half bits as uint16_t */
    REEL_TENSOR_F32 = 10,
    REEL_TENSOR_F64 = 11,
} reel_tensor_type;

/* A dense row-major tensor (Tensor, BarChart values), borrowed. */
typedef struct reel_tensor_view {
    const uint64_t *shape;
    size_t ndim;
    const char *const *names; /* ndim dimension names, or NULL */
    reel_tensor_type type;
    const void *data; /* product(shape) elements of `type` */
} reel_tensor_view;

static inline reel_component_batch reel_batch_values(const void *values, size_t count)
{
    reel_component_batch batch = {REEL_BATCH_VALUES, values, count, NULL, 0};
    return batch;
}
static inline reel_component_batch reel_batch_empty(void)
{
    reel_component_batch batch = {REEL_BATCH_EMPTY, NULL, 0, NULL, 0};
    return batch;
}
static inline reel_component_batch reel_batch_strings(const char *const *strings, size_t count)
{
    reel_component_batch batch = {REEL_BATCH_STRINGS, strings, count, NULL, 0};
    return batch;
}
/* One string: `*string_ptr` must stay valid for the call (pass the address of a
 * `const char *` variable): reel_batch_string(&text). */
static inline reel_component_batch reel_batch_string(const char *const *string_ptr)
{
    return reel_batch_strings(string_ptr, 1);
}
static inline reel_component_batch reel_batch_bytes(const void *bytes, size_t len)
{
    reel_component_batch batch = {REEL_BATCH_BYTES, bytes, 1, NULL, len};
    return batch;
}
static inline reel_component_batch reel_batch_lists(const void *elements, const uint32_t *lengths,
                                                    size_t count)
{
    reel_component_batch batch = {REEL_BATCH_LISTS, elements, count, lengths, 0};
    return batch;
}
static inline reel_component_batch reel_batch_tensor(const reel_tensor_view *tensor)
{
    reel_component_batch batch = {REEL_BATCH_TENSOR, tensor, 1, NULL, 0};
    return batch;
}
struct ArrowArray;
struct ArrowSchema;
static inline reel_component_batch
reel_batch_c_data(const struct ArrowArray *array, const struct ArrowSchema *schema, size_t length)
{
    reel_component_batch batch = {REEL_BATCH_C_DATA, array, length, schema, 0};
    return batch;
}

/* Archetype ids: REEL_ARCHETYPE_Points3D is the position of Points3D in rerun_types.def
 * (equal to the types module's REEL_TYPES_ARCHETYPE_Points3D). */
enum {
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier) REEL_ARCHETYPE_##id,
#include "rerun_types.def"
    REEL_ARCHETYPE_COUNT
};

/* Enum values by name: REEL_Colormap_Viridis == 6, REEL_ColorModel_RGB == 2. */
/* clang-format off */
#define REEL_ENUM_BEGIN(id, name) enum {
#define REEL_ENUM_VALUE(id, value_name, value) REEL_##id##_##value_name = value,
#define REEL_ENUM_END(id) };
#include "rerun_types.def"
/* clang-format on */

/* The struct's type name for a tier and snake name: REEL_ARCHETYPE_STRUCT(CORE, points3d)
 * is reel_points3d. */
#define REEL_ARCHETYPE_STRUCT(tier, snake_name) REEL__ARCHETYPE_STRUCT_##tier(snake_name)
#define REEL__ARCHETYPE_STRUCT_CORE(snake_name) reel_##snake_name
#define REEL__ARCHETYPE_STRUCT_EXTENDED(snake_name) reel_##snake_name
#define REEL__ARCHETYPE_STRUCT_BLUEPRINT(snake_name) reel_blueprint_##snake_name

/* Each struct also gets the internal alias reel__archetype_<Id> (reel__archetype_Points3D). */
/* clang-format off */
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    typedef struct REEL_ARCHETYPE_STRUCT(tier, snake_name) REEL_ARCHETYPE_STRUCT(tier, snake_name),\
        reel__archetype_##id;                                                                      \
    struct REEL_ARCHETYPE_STRUCT(tier, snake_name) {
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch) reel_component_batch field;
#define REEL_ARCHETYPE_END(id) };
#include "rerun_types.def"
/* clang-format on */

#ifdef __cplusplus
}
#endif
#endif
