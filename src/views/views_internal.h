/* Private helpers shared by the view classes: the per-frame query context, typed reads of
 * component cells (latest-at through the optional cache), 4x4 and 3-vector math, colours,
 * annotation contexts, image decoding and the converted-texture cache. Not part of the
 * module's surface: only src/views includes it. */
#ifndef REEL_VIEWS_INTERNAL_H
#define REEL_VIEWS_INTERNAL_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "types/types.h"
#include "views/views.h"

/* ---------------------------------------------------------------- frame context */

/* Components looked up by id every frame (the gates of the visualizers and the transform
 * components every entity is asked for), resolved once per frame in view_ctx_init. */
#define VIEW_COMPONENT_TABLE(X)                                                                    \
    X(POINTS3D, "Points3D:positions")                                                              \
    X(STRIPS3D, "LineStrips3D:strips")                                                             \
    X(BOXES3D, "Boxes3D:half_sizes")                                                               \
    X(ELLIPSOIDS3D, "Ellipsoids3D:half_sizes")                                                     \
    X(ARROWS3D, "Arrows3D:vectors")                                                                \
    X(MESH3D, "Mesh3D:vertex_positions")                                                           \
    X(AXES3D, "TransformAxes3D:axis_length")                                                       \
    X(POINTS2D, "Points2D:positions")                                                              \
    X(STRIPS2D, "LineStrips2D:strips")                                                             \
    X(BOXES2D, "Boxes2D:half_sizes")                                                               \
    X(ARROWS2D, "Arrows2D:vectors")                                                                \
    X(TRANSLATION, "Transform3D:translation")                                                      \
    X(QUATERNION, "Transform3D:quaternion")                                                        \
    X(AXIS_ANGLE, "Transform3D:rotation_axis_angle")                                               \
    X(SCALE, "Transform3D:scale")                                                                  \
    X(MAT3X3, "Transform3D:mat3x3")                                                                \
    X(RELATION, "Transform3D:relation")                                                            \
    X(POSE_TRANSLATIONS, "InstancePoses3D:translations")                                           \
    X(POSE_QUATERNIONS, "InstancePoses3D:quaternions")                                             \
    X(POSE_AXIS_ANGLES, "InstancePoses3D:rotation_axis_angles")                                    \
    X(POSE_SCALES, "InstancePoses3D:scales")                                                       \
    X(POSE_MAT3X3, "InstancePoses3D:mat3x3")

typedef enum view_component {
#define VIEW__COMPONENT_ENUM(id, name) VIEW_C_##id,
    VIEW_COMPONENT_TABLE(VIEW__COMPONENT_ENUM)
#undef VIEW__COMPONENT_ENUM
        VIEW_C_COUNT
} view_component;

#define VIEW_NAME_MEMO 96

typedef struct view_name_memo {
    const char *a, *b; /* string literals (compared by address) */
    uint32_t id;
} view_name_memo;

typedef struct view_ctx {
    const reel_view_input *in;
    uint32_t ids[VIEW_C_COUNT]; /* REEL_STORE_NO_ID: never logged in this store */
    /* Component ids of "<a>:<b>" (or of the literal `a` when b is NULL) seen this frame, so
     * per-entity queries skip hashing names. */
    view_name_memo memo[VIEW_NAME_MEMO];
    uint32_t n_memo;
    const reel_store *store;
    uint32_t timeline; /* REEL_STORE_NO_ID: static only */
    int64_t time;
    reel_arena *arena;
    float scale; /* pixels per point */
} view_ctx;

void view_ctx_init(view_ctx *ctx, const reel_view_input *in);
/* Arena allocation that returns NULL on overflow or OOM. */
void *view_alloc(view_ctx *ctx, size_t count, size_t size);

/* One component cell: elements [start, end) of `array` (the list's child), from chunk row
 * `row` (for texture keys). */
typedef struct view_cell {
    const reel_arrow_field *field;
    const reel_arrow_array *array;
    int64_t start, end;
    const reel_chunk *chunk;
    int64_t row;
    uint32_t component;
} view_cell;

static inline uint32_t view_cell_len(const view_cell *c)
{
    return (uint32_t)(c->end - c->start);
}

/* Latest-at of `component` ("Points3D:positions") on the entity at the cursor: true with a
 * non-empty cell; false when not logged, cleared or empty. */
bool view_query(const view_ctx *ctx, uint32_t entity, const char *component, view_cell *out);
/* The same for an already known component id. */
bool view_query_id(const view_ctx *ctx, uint32_t entity, uint32_t component, view_cell *out);
/* The component id of "<archetype>:<field>" (both string literals; field NULL: archetype is
 * the whole name), memoised for the frame by the literals' addresses. */
uint32_t view_component_id(view_ctx *ctx, const char *archetype, const char *field);
/* Latest-at by such literals. */
bool view_query_arch(view_ctx *ctx, uint32_t entity, const char *archetype, const char *field,
                     view_cell *out);
/* By one of the per-frame ids. */
static inline bool view_query_c(const view_ctx *ctx, uint32_t entity, view_component c,
                                view_cell *out);
/* A cell of a given column and row (range query results). */
bool view_cell_at(const reel_chunk *chunk, const reel_chunk_component *column, int64_t row,
                  view_cell *out);

/* Typed element pointers (NULL when the Arrow type differs): width 1 reads a primitive
 * column, width > 1 a fixed_size_list<T>[width]. *n is the instance count. */
const float *view_cell_f32(const view_cell *c, int width, uint32_t *n);
const double *view_cell_f64(const view_cell *c, int width, uint32_t *n);
const uint32_t *view_cell_u32(const view_cell *c, int width, uint32_t *n);
const uint16_t *view_cell_u16(const view_cell *c, int width, uint32_t *n);
/* The archetype's class_ids of the entity at the cursor (NULL and *n = 0 when none). */
const uint16_t *view_class_ids(view_ctx *ctx, uint32_t entity, const char *archetype,
                               uint32_t *n);
const uint8_t *view_cell_u8(const view_cell *c, int width, uint32_t *n);
/* Element i of a string column; false for another type or a null. */
bool view_cell_string(const view_cell *c, uint32_t i, reel_span *out);
/* Element 0 of a bool column. */
bool view_cell_bool(const view_cell *c, bool *out);
/* The bytes of a list<uint8> instance i (ImageBuffer, Blob). */
bool view_cell_bytes(const view_cell *c, uint32_t i, reel_span *out);

static inline bool view_query_c(const view_ctx *ctx, uint32_t entity, view_component c,
                                view_cell *out)
{
    return view_query_id(ctx, entity, ctx->ids[c], out);
}

/* Convenience: the first float / u8 of a mono component, or `fallback`. */
float view_query_f32(const view_ctx *ctx, uint32_t entity, const char *component, float fallback);
uint32_t view_query_u8(const view_ctx *ctx, uint32_t entity, const char *component,
                       uint32_t fallback);

/* ---------------------------------------------------------------- colours */

/* Rerun's Rgba32 (0xRRGGBBAA) to a draw colour (0xAABBGGRR). */
static inline uint32_t view_color_from_rerun(uint32_t rgba)
{
    return REEL_RGBA(rgba >> 24, (rgba >> 16) & 0xff, (rgba >> 8) & 0xff, rgba & 0xff);
}
static inline uint32_t view_color_with_alpha(uint32_t color, uint32_t alpha)
{
    return (color & 0x00ffffffu) | (alpha << 24);
}

/* ---------------------------------------------------------------- annotation contexts */

typedef struct view_class {
    uint16_t id;
    bool has_color;
    uint32_t color; /* draw colour */
    const char *label;
    size_t label_len;
} view_class;

typedef struct view_annotations {
    view_class *classes; /* sorted by id */
    uint32_t n;
} view_annotations;

/* The AnnotationContext of the entity's nearest ancestor (itself included); false: none. */
bool view_annotations_find(view_ctx *ctx, uint32_t entity, view_annotations *out);
const view_class *view_annotations_lookup(const view_annotations *a, uint16_t id);
/* Colour for an instance: logged colour, else class colour, else `fallback`. */
uint32_t view_instance_color(const uint32_t *colors, uint32_t n_colors, const uint16_t *class_ids,
                             uint32_t n_class_ids, const view_annotations *ann, uint32_t i,
                             uint32_t fallback);

/* ---------------------------------------------------------------- math (column-major) */

void view_mat4_translation(float m[16], float x, float y, float z);
/* Infinite far plane, GL clip conventions. */
void view_mat4_perspective(float out[16], float fov_y, float aspect, float near_z);
void view_mat4_point(const float m[16], const float p[3], float out[3]);
void view_mat4_dir(const float m[16], const float d[3], float out[3]);
/* Rotation from a unit quaternion (x, y, z, w) or an axis-angle. */
void view_mat4_from_quat(float m[16], const float q[4]);
void view_mat4_from_axis_angle(float m[16], const float axis[3], float angle);
/* Projects a scene point through camera into `clip` (x0,y0,x1,y1): false when behind. */
bool view_project(const reel_draw_camera *camera, const float clip[4], const float p[3], float *x,
                  float *y);

static inline void v3_set(float o[3], float x, float y, float z)
{
    o[0] = x, o[1] = y, o[2] = z;
}
static inline void v3_sub(float o[3], const float a[3], const float b[3])
{
    o[0] = a[0] - b[0], o[1] = a[1] - b[1], o[2] = a[2] - b[2];
}
static inline void v3_add(float o[3], const float a[3], const float b[3])
{
    o[0] = a[0] + b[0], o[1] = a[1] + b[1], o[2] = a[2] + b[2];
}
static inline void v3_scale(float o[3], const float a[3], float s)
{
    o[0] = a[0] * s, o[1] = a[1] * s, o[2] = a[2] * s;
}
static inline float v3_dot(const float a[3], const float b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static inline void v3_cross(float o[3], const float a[3], const float b[3])
{
    float x = a[1] * b[2] - a[2] * b[1], y = a[2] * b[0] - a[0] * b[2],
          z = a[0] * b[1] - a[1] * b[0];
    o[0] = x, o[1] = y, o[2] = z;
}
static inline float v3_len(const float a[3])
{
    return sqrtf(v3_dot(a, a));
}
static inline void v3_normalize(float a[3])
{
    float l = v3_len(a);
    if (l > 0)
        v3_scale(a, a, 1.0f / l);
}

/* ---------------------------------------------------------------- images */

typedef enum view_image_kind {
    VIEW_IMAGE_COLOR = 0,
    VIEW_IMAGE_DEPTH = 1,
    VIEW_IMAGE_SEGMENTATION = 2,
    VIEW_IMAGE_ENCODED = 3,
} view_image_kind;

typedef struct view_image {
    view_image_kind kind;
    int32_t width, height;
    uint32_t color_model; /* REEL_ColorModel_*; depth/segmentation: L */
    uint32_t datatype;    /* REEL_ChannelDatatype_* */
    int32_t channels;
    const uint8_t *data; /* width * height * channels * bytes per channel */
    size_t len;
    uint64_t key; /* hash of chunk id, row and component */
    float draw_order;
    float opacity;
    /* Depth. */
    float meter;
    uint32_t colormap;
    bool has_range;
    double range[2];
    const char *media_type; /* encoded */
    size_t media_type_len;
} view_image;

/* Reads the image archetype (`kind`) of an entity at the cursor; false when it has none
 * or its buffer does not match its format. */
bool view_image_read(view_ctx *ctx, uint32_t entity, view_image_kind kind, view_image *out);
/* Raw value of channel ch at (x, y). */
double view_image_value(const view_image *img, int32_t x, int32_t y, int32_t ch);
/* The texture to show: pixels converted as Rerun shows them (colour models, normalised
 * u16/float, depth colormap, segmentation colours, decoded PNG/JPEG), kept in `cache` by the
 * image's key. False when the image cannot be shown (undecodable, unsupported format). */
bool view_image_texture(view_ctx *ctx, reel_view_texture_cache **cache, const view_image *img,
                        uint32_t entity, reel_draw_texture *out);
/* Appends the texture to the frame's textures; returns its index or UINT32_MAX. */
uint32_t view_push_texture(view_ctx *ctx, const reel_draw_texture *tex);

/* PNG/JPEG through stb_image (views_decode.c): the size, and the pixels as RGBA8 into `out`
 * (width * height * 4 bytes) when the size matches. */
bool view_decode_info(const uint8_t *data, size_t len, int *width, int *height);
bool view_decode_rgba(const uint8_t *data, size_t len, int width, int height, uint8_t *out);

void view_texture_cache_free(reel_view_texture_cache *cache);
/* Starts a frame of the cache (entries used in earlier frames may be evicted). */
void view_texture_cache_frame(reel_view_texture_cache *cache);

/* ---------------------------------------------------------------- text */

/* Draws `text` at (x, y) on a 50 % black background (spatial labels). */
void view_draw_label(reel_ui *ui, float x, float y, const char *text, size_t len, uint32_t color);

/* The last part of an entity path, unescaped enough for display. */
const char *view_short_name(const char *path);

/* ---------------------------------------------------------------- scene building */

/* Pick ids: (entity index + 1) << 8 | elements per instance (0: the batch is one item). */
static inline uint32_t view_pick_id(uint32_t entity_index, uint32_t per_instance)
{
    return (entity_index + 1) << 8 | (per_instance & 0xff);
}

typedef struct view_bounds {
    float min[3], max[3];
    bool valid;
} view_bounds;

static inline void view_bounds_add(view_bounds *b, const float p[3])
{
    if (!(isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2])))
        return;
    for (int i = 0; i < 3; i++) {
        if (!b->valid || p[i] < b->min[i])
            b->min[i] = p[i];
        if (!b->valid || p[i] > b->max[i])
            b->max[i] = p[i];
    }
    b->valid = true;
}
void view_bounds_union(view_bounds *b, const view_bounds *other);

/* Primitives of one scene being collected (growable, malloc'd; copied to the arena by
 * view_scene_finish). Every batch's positions are in object space with a transform. */
typedef struct view_scene {
    view_ctx *ctx;
    reel_vec points, lines, meshes, quads; /* reel_draw_* */
    reel_vec quad_order;                   /* float draw order per quad (2D) */
    view_bounds bounds;                    /* exact, scene space */
    view_bounds other;                     /* exact, of the batches not in the ROI */
    /* Robust region of interest over point-like data (two passes, §2.3). */
    reel_vec roi_batches;       /* roi_batch */
    reel_vec labels;            /* view_label, drawn once the camera is known */
    view_bounds *entity_bounds; /* per view entity (arena), for focusing */
    uint32_t n_entities;
    bool failed;
} view_scene;

void view_scene_init(view_scene *s, view_ctx *ctx, uint32_t n_entities);
void view_scene_free(view_scene *s);
/* Adds a batch (copied); its positions are counted in the bounds of entity `entity_index`
 * (UINT32_MAX: none) and, when `robust`, in the region of interest. */
void view_scene_add_points(view_scene *s, const reel_draw_points *p, uint32_t entity_index,
                           bool robust);
void view_scene_add_lines(view_scene *s, const reel_draw_lines *l, uint32_t entity_index);
void view_scene_add_mesh(view_scene *s, const reel_draw_mesh *m, uint32_t entity_index);
void view_scene_add_quad(view_scene *s, const reel_draw_quad *q, float draw_order,
                         uint32_t entity_index);
/* The region of interest: mean ± 2σ of the points within ±2σ, united with the exact bounds of
 * everything else; false when the scene is empty. */
bool view_scene_roi(const view_scene *s, view_bounds *out);
/* Copies the batches into the arena and appends the scene to the frame; returns its index
 * or -1. Quads are sorted by draw order (stable). */
int32_t view_scene_finish(view_scene *s, const reel_draw_camera *camera, uint32_t background);

/* Highlight of an entity (0 none, 1 hovered, 2 selected) from the input's items. */
uint32_t view_highlight(const reel_view_input *in, const char *entity_path);
/* An identity-transform batch helper. */
float *view_copy_xyz(view_ctx *ctx, const float *src, uint32_t n, int src_dims, float z);
/* Per-instance draw colours (logged colours, class colours or the fallback), NULL on OOM;
 * *n_out is 1 when everything is the fallback (splat). */
uint32_t *view_colors(view_ctx *ctx, uint32_t entity, const char *archetype, uint32_t count,
                      uint32_t fallback, const view_annotations *ann, uint32_t *n_out);

/* ---------------------------------------------------------------- 2D visualizers */

/* Adds the entity's 2D archetypes (Points2D, LineStrips2D, Boxes2D, Arrows2D) to `s` with
 * `transform` (scene from entity; z from `z_of_order(draw_order)` when non-NULL, else 0). */
typedef float (*view_z_fn)(void *user, float draw_order);
void view_add_2d_primitives(view_scene *s, uint32_t entity, uint32_t entity_index,
                            const float transform[16], view_z_fn z_of_order, void *z_user);
/* Label overlay requests collected while building (drawn after the camera is known). */
typedef struct view_label {
    float pos[3]; /* scene space */
    const char *text;
    size_t len;
    uint32_t color;
} view_label;
void view_collect_labels(view_scene *s, reel_vec *labels, uint32_t entity, const char *archetype,
                         const float *positions, int dims, uint32_t count,
                         const float transform[16], const uint32_t *colors, uint32_t n_colors,
                         const view_annotations *ann, const uint16_t *class_ids,
                         uint32_t n_class_ids);
void view_draw_labels(view_ctx *ctx, const reel_vec *labels, const reel_draw_camera *camera,
                      const reel_ui_rect *rect);

#endif
