/* Shared internals of the render module: the renderer's state (GL objects, programs and
 * their uniform locations, the texture cache, scratch buffers) and the functions the
 * module's files call in each other. Nothing here is part of render.h. */
#ifndef REEL_RENDER_INTERNAL_H
#define REEL_RENDER_INTERNAL_H

#include <GLES3/gl3.h>

#include "render/render.h"

/* Uniform locations of a scene program (-1 when the program lacks one). */
typedef struct reel__scene_uniforms {
    GLint view_proj, view, model, pick_matrix, viewport, pixels_per_point, proj11;
    GLint extra_px, override_color, use_override, shaded, scene_id, pick, highlight;
    GLint texture, textured;
    GLint positions, colors, radii, data_width, first_point; /* points' data textures */
    GLint color_mode, color_constant, radius_mode, radius_constant;
} reel__scene_uniforms;

/* A texture holding per-point data (positions RGB32F, colours RGBA8, radii R32F), rows of
 * `width` points; reallocated only to grow. `content` is a hash of what it holds (0: nothing
 * known): a point cloud drawn again unchanged — every frame of a paused recording — is not
 * uploaded again (hashing runs at ~30 GB/s, uploading a million points costs milliseconds). */
typedef struct reel__data_texture {
    GLuint id;
    int32_t width, height;
    uint64_t content;
} reel__data_texture;

typedef struct reel__program {
    GLuint id;
    reel__scene_uniforms u;
} reel__program;

typedef enum reel__pass { REEL__PASS_COLOR = 0, REEL__PASS_PICK = 1 } reel__pass;

typedef struct reel__cached_texture {
    uint64_t key;
    GLuint id;
    uint64_t last_used_frame;
    int32_t mode; /* sampling mode of the 2D shader: 1 colour, 2 grey */
} reel__cached_texture;

/* Growable byte buffers for per-frame vertex data (kept across frames: no steady-state
 * allocation). */
enum { REEL__SCRATCH_A, REEL__SCRATCH_B, REEL__SCRATCH_C, REEL__SCRATCH_N };

struct reel_renderer {
    const reel_allocator *allocator;
    reel_renderer_desc desc;
    reel_render_stats stats;

    /* 2D list */
    GLuint ui_program;
    GLint ui_size, ui_texture, ui_mode;
    GLuint ui_vao, ui_vbo, ui_ibo;

    /* scenes: [pass] */
    reel__program points[2], lines[2], triangles[2];
    reel__program point_sprites; /* colour pass of points drawn as GL_POINTS */
    float max_point_size;
    GLuint points_vao;
    GLuint sprite_positions_vbo, sprite_colors_vbo;
    reel__data_texture point_positions, point_colors, point_radii;
    int32_t data_width, max_data_rows; /* points per data row; rows per draw */
    GLuint lines_vao, lines_vbo;
    GLuint triangles_vao, triangles_vbo;

    /* textures */
    GLuint atlas_texture;
    uint64_t atlas_version;
    bool atlas_uploaded;
    GLuint white_texture; /* 1x1 RGBA white: missing textures */
    reel__cached_texture *cache;
    uint32_t n_cache, cache_capacity;
    GLuint *frame_textures; /* per frame texture index: GL name */
    int32_t *frame_modes;
    uint32_t frame_textures_capacity;

    /* offscreen target */
    GLuint target_fbo, target_color, target_depth;
    int32_t target_width, target_height;

    /* picking target: 1x1 RGBA32UI + depth */
    GLuint pick_fbo, pick_color, pick_depth;

    void *scratch[REEL__SCRATCH_N];
    size_t scratch_capacity[REEL__SCRATCH_N];
};

/* render_shaders.c */
reel_status reel__render_programs_create(reel_renderer *r, reel_error *err);
void reel__render_programs_destroy(reel_renderer *r);

/* render_textures.c: resolves the frame's textures (uploading new keys, the atlas when its
 * version changed) into r->frame_textures / r->frame_modes; evicts after the frame. */
reel_status reel__render_textures_prepare(reel_renderer *r, const reel_draw_frame *frame,
                                          reel_error *err);
void reel__render_textures_evict(reel_renderer *r);
void reel__render_textures_destroy(reel_renderer *r);
/* GL texture for index `texture` of the frame (white when out of range). */
GLuint reel__render_texture_for(const reel_renderer *r, const reel_draw_frame *frame,
                                uint32_t texture, int32_t *mode);

/* render_scene.c: draws scene `scene_index` into the viewport / scissor already set for
 * pixel rectangle `rect` (x, y, w, h in GL's bottom-left convention). pick_matrix is the
 * identity for colour, or maps one pixel onto the 1x1 pick target. */
reel_status reel__render_scene(reel_renderer *r, const reel_draw_frame *frame, int32_t scene_index,
                               const int32_t rect[4], reel__pass pass, const float pick_matrix[16],
                               reel_error *err);

/* What drawing one scene needs (render_scene.c, render_points.c). */
typedef struct reel__scene_state {
    reel_renderer *r;
    const reel_draw_frame *frame;
    const reel_draw_scene *scene;
    int32_t scene_index;
    reel__pass pass;
    const float *pick_matrix;
    float view_proj[16];
    float viewport[2];
} reel__scene_state;

const reel__program *reel__render_use_program(const reel__scene_state *s,
                                              reel__program programs[2]);
void reel__render_color_uniform(GLint location, uint32_t rgba);
/* render_points.c */
reel_status reel__render_points(reel__scene_state *s, const reel_draw_points *points,
                                reel_error *err);
/* Small point batches without highlight, each of at most REEL__MERGE_MAX_POINTS points: in
 * the colour pass they are drawn together as one batch (moved into scene space on the CPU,
 * colours and radii per point): a scene of 10,000 one-point entities is one draw instead of
 * 10,000. Picking still draws them one by one (each has its own pick id). */
#define REEL__MERGE_MAX_POINTS 64
bool reel__render_points_mergeable(const reel_draw_points *points);
reel_status reel__render_points_merged(reel__scene_state *s, const reel_draw_points *scene_points,
                                       uint32_t n, reel_error *err);

#define REEL__DEFAULT_RADIUS (-1.5f) /* Rerun's default: 1.5 UI points */
#define REEL__WHITE 0xffffffffu
#define REEL__HOVER_OUTLINE REEL_RGBA(255, 255, 255, 255)
#define REEL__SELECT_OUTLINE REEL_RGBA(255, 140, 0, 255)

/* render.c */
void *reel__render_scratch(reel_renderer *r, int slot, size_t bytes);

#endif
