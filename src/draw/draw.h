/* Draw lists: what the UI and the views hand to the renderer, as plain data (no GL here).
 *
 * A frame is one 2D list of textured triangles drawn in order (panels, widgets, text, plots,
 * overlays), whose commands may also say "draw scene N into this rectangle now": a scene is
 * what a spatial view shows (points, lines, meshes, textured quads, seen through a camera).
 * The ui and views modules fill frames; the render module draws them (GLES3 / WebGL2) and
 * answers picking queries; neither knows the other. Everything a frame points to is
 * borrowed for the frame: the producer keeps it alive until the renderer returns.
 *
 * Coordinates: 2D in physical pixels of the target, origin top-left, y down. Scenes in
 * their own world units; the camera maps them into the command's clip rectangle. Colours
 * are 0xAABBGGRR (bytes R, G, B, A in memory), sRGB, straight (not premultiplied) alpha. */
#ifndef REEL_DRAW_H
#define REEL_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REEL_RGBA(r, g, b, a)                                                                      \
    ((uint32_t)(r) | (uint32_t)(g) << 8 | (uint32_t)(b) << 16 | (uint32_t)(a) << 24)

/* ---------------------------------------------------------------- textures */

typedef enum reel_draw_format {
    REEL_DRAW_R8 = 1,    /* one byte: shown as grey (or as coverage for the font atlas) */
    REEL_DRAW_RGB8 = 2,  /* tightly packed rows */
    REEL_DRAW_RGBA8 = 3, /* straight alpha */
} reel_draw_format;

/* A texture the frame uses. `key` names its content: the renderer keeps uploaded textures
 * by key across frames and uploads again only for a key it does not hold (so a key must
 * change whenever the pixels do; 0 is never a valid key). Depth and segmentation images
 * arrive here already colour-mapped by their view. */
typedef struct reel_draw_texture {
    uint64_t key;
    int32_t width, height;
    reel_draw_format format;
    const void *pixels; /* width * height * bytes-per-pixel, rows top to bottom */
    bool nearest;       /* magnify without smoothing (images are shown pixel-exact) */
} reel_draw_texture;

/* The font atlas: coverage bytes, with a fully covered texel at (white_u, white_v) so solid
 * fills need no texture switch. The renderer re-uploads it when `version` changes. */
typedef struct reel_draw_atlas {
    const uint8_t *pixels; /* width * height */
    int32_t width, height;
    uint64_t version;
    float white_u, white_v;
} reel_draw_atlas;

/* ---------------------------------------------------------------- 2D list */

typedef struct reel_draw_vertex {
    float x, y; /* pixels */
    float u, v; /* texture coordinates */
    uint32_t rgba;
} reel_draw_vertex;

/* Texture of a command: the atlas, or an index into the frame's textures. */
#define REEL_DRAW_ATLAS UINT32_MAX

typedef struct reel_draw_cmd {
    float clip[4]; /* x0, y0, x1, y1 pixels: nothing outside is touched */
    /* Either triangles: indices [first_index, first_index + index_count) with `texture`
     * (REEL_DRAW_ATLAS or a texture index), the atlas sampled as coverage, a texture as
     * colour, both multiplied by the vertex colour; */
    uint32_t texture;
    uint32_t first_index, index_count;
    /* or, when scene >= 0, the frame's scene `scene` drawn into the clip rectangle. */
    int32_t scene;
} reel_draw_cmd;

typedef struct reel_draw_list {
    reel_draw_vertex *vertices;
    uint32_t n_vertices, vertex_capacity;
    uint32_t *indices;
    uint32_t n_indices, index_capacity;
    reel_draw_cmd *cmds;
    uint32_t n_cmds, cmd_capacity;
    /* The clip stack of the builder (the current clip is the top). */
    float clip_stack[32][4];
    int32_t clip_depth;
    float white_u, white_v; /* the atlas's white texel, for solid fills */
    bool failed;            /* an allocation failed: the list is incomplete (never crashes) */
} reel_draw_list;

/* ---------------------------------------------------------------- scenes */

/* Picking: every primitive carries `pick` (the object, e.g. an entity's index in the view;
 * 0 = not pickable) and its elements are instances 0..n-1 (a point, a strip, a triangle
 * mesh as a whole, a quad). */

typedef struct reel_draw_points {
    const float *positions; /* xyz per point, scene units */
    uint32_t count;
    const uint32_t *colors; /* count, or 1 (splat) */
    uint32_t n_colors;
    /* Radii as Rerun has them: > 0 scene units, < 0 UI points (screen space), count or 1. */
    const float *radii;
    uint32_t n_radii;
    float transform[16]; /* column-major, scene from object */
    uint32_t pick;
    uint32_t highlight; /* 0: none, 1: hovered, 2: selected (outline) */
} reel_draw_points;

typedef struct reel_draw_lines {
    const float *positions; /* xyz per vertex */
    const uint32_t *strip_offsets; /* n_strips + 1 vertex offsets; a strip of 2 is a segment */
    uint32_t n_strips;
    const uint32_t *colors; /* per strip, or 1 */
    uint32_t n_colors;
    const float *radii; /* half widths per strip or 1: > 0 scene units, < 0 UI points */
    uint32_t n_radii;
    float transform[16];
    uint32_t pick;
    uint32_t highlight;
} reel_draw_lines;

typedef struct reel_draw_mesh {
    const float *positions; /* xyz per vertex */
    const float *normals;   /* xyz per vertex, or NULL: flat shading from the triangles */
    const uint32_t *vertex_colors; /* per vertex, or NULL: `color` */
    uint32_t n_vertices;
    const uint32_t *indices; /* 3 per triangle; NULL: vertices taken in threes */
    uint32_t n_indices;
    uint32_t color;
    bool lit; /* simple lighting (headlight + ambient) */
    float transform[16];
    uint32_t pick;
    uint32_t highlight;
} reel_draw_mesh;

/* A textured quad: corners in scene units, (0,0) (1,0) (1,1) (0,1) of the texture. */
typedef struct reel_draw_quad {
    float corners[4][3];
    uint32_t texture; /* index into the frame's textures */
    uint32_t tint;    /* multiplies the texture (opacity in its alpha) */
    float transform[16];
    uint32_t pick;
    uint32_t highlight;
} reel_draw_quad;

typedef struct reel_draw_camera {
    float view[16];       /* column-major: eye from scene */
    float projection[16]; /* column-major: clip from eye (GL conventions, depth -1..1) */
    float points_per_pixel_at_unit_depth; /* unused when `orthographic` */
    bool orthographic;
    float pixels_per_point; /* UI scale: converts negative (UI point) radii to pixels */
} reel_draw_camera;

typedef struct reel_draw_scene {
    reel_draw_camera camera;
    uint32_t background; /* alpha 0: keep what is under the rectangle */
    /* Drawn opaque first in this order, then quads (blended) in order: a 2D view puts its
     * images first by draw order. Depth testing is on for all. */
    const reel_draw_mesh *meshes;
    uint32_t n_meshes;
    const reel_draw_lines *lines;
    uint32_t n_lines;
    const reel_draw_points *points;
    uint32_t n_points;
    const reel_draw_quad *quads;
    uint32_t n_quads;
} reel_draw_scene;

/* ---------------------------------------------------------------- frames */

typedef struct reel_draw_frame {
    int32_t width, height; /* target pixels */
    uint32_t clear;        /* the whole target first */
    const reel_draw_atlas *atlas;
    const reel_draw_texture *textures;
    uint32_t n_textures;
    const reel_draw_scene *scenes;
    uint32_t n_scenes;
    const reel_draw_list *list;
} reel_draw_frame;

/* What is under a pixel: the scene, the primitive's pick object and the instance. */
typedef struct reel_draw_pick {
    bool hit;
    int32_t scene;
    uint32_t pick;
    uint32_t instance;
    float depth; /* scene units from the eye */
} reel_draw_pick;

/* ---------------------------------------------------------------- building lists
 * (draw_list.c). Every function is safe after an allocation failure (it then does nothing
 * and `failed` stays set). Shapes are anti-aliased by a one-pixel feather where noted. */

void reel_draw_list_init(reel_draw_list *list);
void reel_draw_list_free(reel_draw_list *list);
/* Empties the list for a new frame; the clip is the whole target. */
void reel_draw_list_reset(reel_draw_list *list, float width, float height, float white_u,
                          float white_v);
void reel_draw_push_clip(reel_draw_list *list, float x0, float y0, float x1, float y1);
void reel_draw_pop_clip(reel_draw_list *list);
/* Reserves n vertices and m indices in the current command (texture `texture`) and returns
 * the first vertex; the caller writes the m indices as absolute vertex numbers (*base + k
 * for the k-th reserved vertex). NULL on failure. */
reel_draw_vertex *reel_draw_reserve(reel_draw_list *list, uint32_t texture, uint32_t n_vertices,
                                    uint32_t n_indices, uint32_t **indices, uint32_t *base);
void reel_draw_rect_filled(reel_draw_list *list, float x0, float y0, float x1, float y1,
                           float corner_radius, uint32_t rgba);
void reel_draw_rect_outline(reel_draw_list *list, float x0, float y0, float x1, float y1,
                            float corner_radius, float thickness, uint32_t rgba);
/* Anti-aliased polyline of n points (xy pairs); closed joins the last to the first. */
void reel_draw_polyline(reel_draw_list *list, const float *xy, uint32_t n, float thickness,
                        uint32_t rgba, bool closed);
void reel_draw_line(reel_draw_list *list, float x0, float y0, float x1, float y1, float thickness,
                    uint32_t rgba);
void reel_draw_circle_filled(reel_draw_list *list, float cx, float cy, float radius,
                             uint32_t rgba);
void reel_draw_triangle_filled(reel_draw_list *list, const float xy[6], uint32_t rgba);
/* A texture (index into the frame's textures) into a rectangle, uv corners given. */
void reel_draw_image(reel_draw_list *list, uint32_t texture, float x0, float y0, float x1,
                     float y1, float u0, float v0, float u1, float v1, uint32_t tint);
/* "Draw scene `scene` into the current clip rectangle now". */
void reel_draw_scene_here(reel_draw_list *list, int32_t scene);

/* Column-major 4x4 helpers for scenes (draw_math.c). */
void reel_mat4_identity(float m[16]);
void reel_mat4_mul(float out[16], const float a[16], const float b[16]);
void reel_mat4_perspective(float out[16], float fov_y_radians, float aspect, float near_z,
                           float far_z);
void reel_mat4_orthographic(float out[16], float left, float right, float bottom, float top,
                            float near_z, float far_z);
void reel_mat4_look_at(float out[16], const float eye[3], const float target[3],
                       const float up[3]);
bool reel_mat4_invert(float out[16], const float m[16]);
/* Scene point -> target pixel (x, y) and depth; false when behind the eye. */
bool reel_draw_project(const reel_draw_camera *camera, const float clip_rect[4],
                       const float point[3], float *x, float *y, float *depth);

#ifdef __cplusplus
}
#endif
#endif
