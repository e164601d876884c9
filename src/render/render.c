/* The renderer's entry points: creation (programs, vertex arrays, buffers), one frame (clear,
 * the 2D list's commands in order with clip rectangles as scissors, scenes into their
 * rectangles), the optional offscreen target, reading pixels back, and scratch memory. */
#include <string.h>

#include "render/render_internal.h"

void *reel__render_scratch(reel_renderer *r, int slot, size_t bytes)
{
    if (bytes <= r->scratch_capacity[slot])
        return r->scratch[slot];
    size_t capacity = r->scratch_capacity[slot] ? r->scratch_capacity[slot] : 4096;
    while (capacity < bytes)
        capacity *= 2;
    void *grown = reel_realloc(r->allocator, r->scratch[slot], r->scratch_capacity[slot], capacity);
    if (!grown)
        return NULL;
    r->scratch[slot] = grown;
    r->scratch_capacity[slot] = capacity;
    return grown;
}

static void create_ui_arrays(reel_renderer *r)
{
    glGenVertexArrays(1, &r->ui_vao);
    glGenBuffers(1, &r->ui_vbo);
    glGenBuffers(1, &r->ui_ibo);
    glBindVertexArray(r->ui_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->ui_vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, r->ui_ibo);
    GLsizei stride = sizeof(reel_draw_vertex);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(reel_draw_vertex, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(reel_draw_vertex, u));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                          (void *)offsetof(reel_draw_vertex, rgba));
    glBindVertexArray(0);
}

static void create_scene_arrays(reel_renderer *r)
{
    GLuint buffers[4];
    glGenBuffers(4, buffers);
    r->lines_vbo = buffers[0];
    r->triangles_vbo = buffers[1];
    r->sprite_positions_vbo = buffers[2];
    r->sprite_colors_vbo = buffers[3];
    GLuint arrays[3];
    glGenVertexArrays(3, arrays);
    r->points_vao = arrays[0]; /* no attributes: points read their data from textures */
    r->lines_vao = arrays[1];
    r->triangles_vao = arrays[2];
    GLint max_size = 2048;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
    r->data_width = max_size < 4096 ? max_size : 4096;
    r->max_data_rows = max_size < 4096 ? max_size : 4096;
    GLfloat point_sizes[2] = {1, 1};
    glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, point_sizes);
    r->max_point_size = point_sizes[1];
}

reel_status reel_renderer_create(const reel_renderer_desc *desc, reel_renderer **out,
                                 reel_error *err)
{
    *out = NULL;
    reel_renderer_desc defaults = {0};
    if (!desc)
        desc = &defaults;
    const reel_allocator *allocator = desc->allocator ? desc->allocator : reel_allocator_default();
    reel_renderer *r = reel_alloc_zeroed(allocator, sizeof(*r));
    if (!r)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: renderer");
    r->allocator = allocator;
    r->desc = *desc;
    const GLubyte *version = glGetString(GL_VERSION);
    if (!version) {
        reel_free(allocator, r, sizeof(*r));
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "render: no current GL context (glGetString(GL_VERSION) is NULL)");
    }
    reel_status status = reel__render_programs_create(r, err);
    if (status != REEL_OK) {
        reel_renderer_destroy(r);
        return status;
    }
    create_ui_arrays(r);
    create_scene_arrays(r);
    *out = r;
    return REEL_OK;
}

static void destroy_target(reel_renderer *r)
{
    if (r->target_fbo)
        glDeleteFramebuffers(1, &r->target_fbo);
    GLuint renderbuffers[2] = {r->target_color, r->target_depth};
    glDeleteRenderbuffers(2, renderbuffers);
    r->target_fbo = r->target_color = r->target_depth = 0;
    r->target_width = r->target_height = 0;
}

void reel_renderer_destroy(reel_renderer *r)
{
    if (!r)
        return;
    reel__render_programs_destroy(r);
    reel__render_textures_destroy(r);
    destroy_target(r);
    if (r->pick_fbo)
        glDeleteFramebuffers(1, &r->pick_fbo);
    GLuint pick_buffers[2] = {r->pick_color, r->pick_depth};
    glDeleteRenderbuffers(2, pick_buffers);
    GLuint buffers[6] = {
        r->ui_vbo,           r->ui_ibo, r->lines_vbo, r->triangles_vbo, r->sprite_positions_vbo,
        r->sprite_colors_vbo};
    glDeleteBuffers(6, buffers);
    GLuint data_textures[3] = {r->point_positions.id, r->point_colors.id, r->point_radii.id};
    glDeleteTextures(3, data_textures);
    GLuint arrays[4] = {r->ui_vao, r->points_vao, r->lines_vao, r->triangles_vao};
    glDeleteVertexArrays(4, arrays);
    for (int i = 0; i < REEL__SCRATCH_N; i++)
        reel_free(r->allocator, r->scratch[i], r->scratch_capacity[i]);
    reel_free(r->allocator, r, sizeof(*r));
}

static reel_status bind_target(reel_renderer *r, int32_t width, int32_t height, reel_error *err)
{
    if (!r->desc.offscreen) {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        return REEL_OK;
    }
    if (r->target_fbo && r->target_width == width && r->target_height == height) {
        glBindFramebuffer(GL_FRAMEBUFFER, r->target_fbo);
        return REEL_OK;
    }
    destroy_target(r);
    glGenFramebuffers(1, &r->target_fbo);
    GLuint renderbuffers[2];
    glGenRenderbuffers(2, renderbuffers);
    r->target_color = renderbuffers[0];
    r->target_depth = renderbuffers[1];
    glBindRenderbuffer(GL_RENDERBUFFER, r->target_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindRenderbuffer(GL_RENDERBUFFER, r->target_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, r->target_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                              r->target_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER,
                              r->target_depth);
    GLenum complete = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    if (complete != GL_FRAMEBUFFER_COMPLETE) {
        destroy_target(r);
        return reel_error_set(err, REEL_INTERNAL,
                              "render: offscreen target %dx%d incomplete (0x%x)", width, height,
                              complete);
    }
    r->target_width = width;
    r->target_height = height;
    return REEL_OK;
}

/* A clip rectangle (top-left origin, float pixels) as integer GL rectangle (bottom-left
 * origin) x, y, w, h, clamped to the target; false when empty. */
static bool clip_to_gl(const float clip[4], int32_t width, int32_t height, int32_t out[4])
{
    float x0 = clip[0] < 0 ? 0 : clip[0], y0 = clip[1] < 0 ? 0 : clip[1];
    float x1 = clip[2] > width ? (float)width : clip[2];
    float y1 = clip[3] > height ? (float)height : clip[3];
    int32_t ix0 = (int32_t)(x0 + 0.5f), iy0 = (int32_t)(y0 + 0.5f);
    int32_t ix1 = (int32_t)(x1 + 0.5f), iy1 = (int32_t)(y1 + 0.5f);
    if (ix1 <= ix0 || iy1 <= iy0)
        return false;
    out[0] = ix0;
    out[1] = height - iy1;
    out[2] = ix1 - ix0;
    out[3] = iy1 - iy0;
    return true;
}

static void begin_ui_state(reel_renderer *r, const reel_draw_frame *frame)
{
    glUseProgram(r->ui_program);
    glUniform2f(r->ui_size, (float)frame->width, (float)frame->height);
    glUniform1i(r->ui_texture, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(r->ui_vao);
    glDisable(GL_DEPTH_TEST);
    glDepthMask(GL_FALSE);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glEnable(GL_SCISSOR_TEST);
    glViewport(0, 0, frame->width, frame->height);
}

static reel_status upload_list(reel_renderer *r, const reel_draw_list *list)
{
    glBindVertexArray(r->ui_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->ui_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)list->n_vertices * sizeof(reel_draw_vertex),
                 list->vertices, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)list->n_indices * sizeof(uint32_t),
                 list->indices, GL_STREAM_DRAW);
    return REEL_OK;
}

static void clear_color(uint32_t rgba)
{
    glClearColor((float)(rgba & 255) / 255.0f, (float)(rgba >> 8 & 255) / 255.0f,
                 (float)(rgba >> 16 & 255) / 255.0f, (float)(rgba >> 24 & 255) / 255.0f);
}

static reel_status check_frame(const reel_draw_frame *frame, reel_error *err)
{
    if (!frame || frame->width <= 0 || frame->height <= 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "render: frame of %dx%d pixels",
                              frame ? frame->width : 0, frame ? frame->height : 0);
    const reel_draw_list *list = frame->list;
    if (!list)
        return REEL_OK;
    for (uint32_t i = 0; i < list->n_indices; i++)
        if (list->indices[i] >= list->n_vertices)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "render: index %u is %u, past the %u vertices", i,
                                  list->indices[i], list->n_vertices);
    for (uint32_t i = 0; i < list->n_cmds; i++) {
        const reel_draw_cmd *cmd = &list->cmds[i];
        if (cmd->scene >= 0 && (uint32_t)cmd->scene >= frame->n_scenes)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "render: command %u draws scene %d of %u", i, cmd->scene,
                                  frame->n_scenes);
        if (cmd->scene < 0 && ((uint64_t)cmd->first_index + cmd->index_count > list->n_indices))
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "render: command %u uses indices past the %u given", i,
                                  list->n_indices);
    }
    return REEL_OK;
}

reel_status reel_render_frame(reel_renderer *r, const reel_draw_frame *frame, reel_error *err)
{
    REEL_TRY(check_frame(frame, err));
    REEL_TRY(bind_target(r, frame->width, frame->height, err));
    REEL_TRY(reel__render_textures_prepare(r, frame, err));
    r->stats.draw_calls = 0;
    glViewport(0, 0, frame->width, frame->height);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    clear_color(frame->clear);
    glClearDepthf(1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    const reel_draw_list *list = frame->list;
    if (list && list->n_cmds > 0) {
        REEL_TRY(upload_list(r, list));
        begin_ui_state(r, frame);
        for (uint32_t i = 0; i < list->n_cmds; i++) {
            const reel_draw_cmd *cmd = &list->cmds[i];
            int32_t rect[4];
            if (!clip_to_gl(cmd->clip, frame->width, frame->height, rect))
                continue;
            if (cmd->scene >= 0) {
                static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
                glViewport(rect[0], rect[1], rect[2], rect[3]);
                glScissor(rect[0], rect[1], rect[2], rect[3]);
                REEL_TRY(reel__render_scene(r, frame, cmd->scene, rect, REEL__PASS_COLOR, identity,
                                            err));
                begin_ui_state(r, frame);
                continue;
            }
            if (cmd->index_count == 0)
                continue;
            glScissor(rect[0], rect[1], rect[2], rect[3]);
            int32_t mode = 0;
            glBindTexture(GL_TEXTURE_2D, reel__render_texture_for(r, frame, cmd->texture, &mode));
            glUniform1i(r->ui_mode, mode);
            glDrawElements(GL_TRIANGLES, (GLsizei)cmd->index_count, GL_UNSIGNED_INT,
                           (void *)((uintptr_t)cmd->first_index * sizeof(uint32_t)));
            r->stats.draw_calls++;
        }
    }
    glDisable(GL_SCISSOR_TEST);
    glBindVertexArray(0);
    reel__render_textures_evict(r);
    r->stats.frames++;
    GLenum gl_error = glGetError();
    if (gl_error != GL_NO_ERROR)
        return reel_error_set(err, REEL_INTERNAL, "render: GL error 0x%x in the frame", gl_error);
    return REEL_OK;
}

reel_status reel_render_read_pixels(reel_renderer *r, int32_t width, int32_t height, uint8_t *rgba,
                                    reel_error *err)
{
    if (width <= 0 || height <= 0 || !rgba)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "render: read of %dx%d pixels", width,
                              height);
    if (r->desc.offscreen && (width != r->target_width || height != r->target_height))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "render: read of %dx%d pixels from a %dx%d target", width, height,
                              r->target_width, r->target_height);
    glBindFramebuffer(GL_FRAMEBUFFER, r->desc.offscreen ? r->target_fbo : 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    GLenum gl_error = glGetError();
    if (gl_error != GL_NO_ERROR)
        return reel_error_set(err, REEL_INTERNAL, "render: glReadPixels: GL error 0x%x", gl_error);
    /* GL's rows are bottom first: swap them in place */
    size_t row_bytes = (size_t)width * 4;
    uint8_t *row = reel__render_scratch(r, REEL__SCRATCH_A, row_bytes);
    if (!row)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: read-back row");
    for (int32_t y = 0; y < height / 2; y++) {
        uint8_t *top = rgba + (size_t)y * row_bytes;
        uint8_t *bottom = rgba + (size_t)(height - 1 - y) * row_bytes;
        memcpy(row, top, row_bytes);
        memcpy(top, bottom, row_bytes);
        memcpy(bottom, row, row_bytes);
    }
    return REEL_OK;
}

void reel_render_get_stats(const reel_renderer *r, reel_render_stats *stats)
{
    *stats = r->stats;
    stats->textures_cached = r->n_cache;
}
