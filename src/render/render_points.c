/* Points of a scene: screen-facing discs, anti-aliased, with Rerun's fake-sphere shading, of
 * scene-unit or UI-point radii. Their data goes into textures read by vertex id (six vertices a
 * point, one long draw; batches of max_data_rows rows), or, for the colour pass of points of
 * one small UI radius, into plain vertex buffers drawn as GL_POINTS. Highlighted points get an
 * outline drawn first, enlarged, in the highlight colour. */
#include <stdlib.h>
#include <string.h>

#include "render/render_internal.h"

#define DEFAULT_RADIUS REEL__DEFAULT_RADIUS
#define WHITE REEL__WHITE
#define HOVER_OUTLINE REEL__HOVER_OUTLINE
#define SELECT_OUTLINE REEL__SELECT_OUTLINE

/* Uploads `count` values (`texel_bytes` each) into rows of r->data_width texels of `texture`
 * on texture unit `unit`, growing it when needed (whole rows, then the last partial row). */
static void upload_point_data(reel_renderer *r, reel__data_texture *texture, GLuint unit,
                              GLint internal, GLenum format, GLenum type, const void *values,
                              uint32_t count, size_t texel_bytes)
{
    int32_t width = r->data_width;
    int32_t rows = (int32_t)((count + (uint32_t)width - 1) / (uint32_t)width);
    size_t bytes = (size_t)count * texel_bytes;
    uint64_t content = reel_hash_bytes(values, bytes, (uint64_t)count * 131 + texel_bytes) | 1;
    if (texture->id && texture->content == content) {
        glActiveTexture(GL_TEXTURE0 + unit);
        glBindTexture(GL_TEXTURE_2D, texture->id);
        glActiveTexture(GL_TEXTURE0);
        return;
    }
    texture->content = content;
    glActiveTexture(GL_TEXTURE0 + unit);
    if (!texture->id) {
        glGenTextures(1, &texture->id);
        glBindTexture(GL_TEXTURE_2D, texture->id);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    }
    glBindTexture(GL_TEXTURE_2D, texture->id);
    if (texture->height < rows) {
        texture->width = width;
        texture->height = rows;
        glTexImage2D(GL_TEXTURE_2D, 0, internal, width, rows, 0, format, type, NULL);
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    int32_t full_rows = (int32_t)(count / (uint32_t)width);
    if (full_rows > 0)
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, full_rows, format, type, values);
    uint32_t rest = count - (uint32_t)full_rows * (uint32_t)width;
    if (rest > 0)
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, full_rows, (GLsizei)rest, 1, format, type,
                        (const uint8_t *)values + (size_t)full_rows * (size_t)width * texel_bytes);
    glActiveTexture(GL_TEXTURE0);
}

/* Per-point values, or a constant (mode 1) when there is one value or none; fewer values
 * than points repeat the last (a clamped copy). *data is NULL for a constant. */
static reel_status point_values(reel__scene_state *s, const void *values, uint32_t n_values,
                                uint32_t first, uint32_t count, const void **data, reel_error *err)
{
    *data = NULL;
    if (!values || n_values <= 1)
        return REEL_OK;
    if (n_values >= first + count) {
        *data = (const uint32_t *)values + first;
        return REEL_OK;
    }
    uint32_t *expanded = reel__render_scratch(s->r, REEL__SCRATCH_C, (size_t)count * 4);
    if (!expanded)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: %u point attributes", count);
    const uint32_t *source = values;
    for (uint32_t i = 0; i < count; i++)
        expanded[i] = source[first + i < n_values ? first + i : n_values - 1];
    *data = expanded;
    return REEL_OK;
}

static reel_status draw_point_batch(reel__scene_state *s, const reel__program *p,
                                    const reel_draw_points *points, uint32_t first, uint32_t count,
                                    bool sprites, reel_error *err)
{
    reel_renderer *r = s->r;
    const void *colors = NULL, *radii = NULL;
    if (s->pass == REEL__PASS_COLOR)
        REEL_TRY(point_values(s, points->colors, points->n_colors, first, count, &colors, err));
    if (sprites) {
        /* plain vertex attributes (radius constant) */
        glBindBuffer(GL_ARRAY_BUFFER, r->sprite_positions_vbo);
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)count * 12, points->positions + (size_t)first * 3,
                     GL_STREAM_DRAW);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 12, NULL);
        if (colors) {
            glBindBuffer(GL_ARRAY_BUFFER, r->sprite_colors_vbo);
            glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)count * 4, colors, GL_STREAM_DRAW);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 4, NULL);
        } else {
            glDisableVertexAttribArray(1);
        }
    } else {
        glDisableVertexAttribArray(0);
        glDisableVertexAttribArray(1);
        upload_point_data(r, &r->point_positions, 1, GL_RGB32F, GL_RGB, GL_FLOAT,
                          points->positions + (size_t)first * 3, count, 12);
        if (colors)
            upload_point_data(r, &r->point_colors, 2, GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, colors,
                              count, 4);
        REEL_TRY(point_values(s, points->radii, points->n_radii, first, count, &radii, err));
        if (radii)
            upload_point_data(r, &r->point_radii, 3, GL_R32F, GL_RED, GL_FLOAT, radii, count, 4);
    }
    uint32_t color = points->colors && points->n_colors > 0 ? points->colors[0] : WHITE;
    float radius = points->radii && points->n_radii > 0 ? points->radii[0] : DEFAULT_RADIUS;
    glUniform1i(p->u.color_mode, colors ? 0 : 1);
    reel__render_color_uniform(p->u.color_constant, color);
    glUniform1i(p->u.radius_mode, radii ? 0 : 1);
    glUniform1f(p->u.radius_constant, radius);
    glUniform1i(p->u.first_point, (GLint)first);
    GLsizei n_vertices = (GLsizei)count * (sprites ? 1 : 6);
    GLenum mode = sprites ? GL_POINTS : GL_TRIANGLES;
    if (s->pass == REEL__PASS_COLOR && points->highlight != 0) {
        float ppp = s->scene->camera.pixels_per_point > 0 ? s->scene->camera.pixels_per_point : 1;
        glUniform1f(p->u.extra_px, 2.5f * ppp);
        glUniform1i(p->u.use_override, 1);
        glUniform1i(p->u.shaded, 0);
        reel__render_color_uniform(p->u.override_color,
                                   points->highlight == 2 ? SELECT_OUTLINE : HOVER_OUTLINE);
        glDrawArrays(mode, 0, n_vertices);
        glUniform1f(p->u.extra_px, 0.0f);
        glUniform1i(p->u.use_override, 0);
        glUniform1i(p->u.shaded, 1);
        r->stats.draw_calls++;
    }
    glDrawArrays(mode, 0, n_vertices);
    r->stats.draw_calls++;
    return REEL_OK;
}

reel_status reel__render_points(reel__scene_state *s, const reel_draw_points *points,
                                reel_error *err)
{
    if (points->count == 0 || !points->positions)
        return REEL_OK;
    if (s->pass == REEL__PASS_PICK && points->pick == 0)
        return REEL_OK;
    /* GL_POINTS when every point has one small UI-point radius (a sprite vanishes as a whole
     * when its centre leaves the viewport: unnoticeable at up to 16 px across) */
    float ppp = s->scene->camera.pixels_per_point > 0 ? s->scene->camera.pixels_per_point : 1;
    float radius = points->radii && points->n_radii > 0 ? points->radii[0] : DEFAULT_RADIUS;
    float outline_px = points->highlight ? 2.5f * ppp : 0.0f;
    float sprite_px = 2.0f * ((-radius * ppp > 0.5f ? -radius * ppp : 0.5f) + outline_px + 1.0f);
    bool sprites = s->pass == REEL__PASS_COLOR && (!points->radii || points->n_radii <= 1) &&
                   radius <= 0.0f && sprite_px <= 16.0f && sprite_px <= s->r->max_point_size;
    reel__program sprite_programs[2] = {s->r->point_sprites, s->r->point_sprites};
    const reel__program *p = reel__render_use_program(s, sprites ? sprite_programs : s->r->points);
    glUniformMatrix4fv(p->u.model, 1, GL_FALSE, points->transform);
    glUniform1ui(p->u.pick, points->pick);
    glUniform1i(p->u.positions, 1);
    glUniform1i(p->u.colors, 2);
    glUniform1i(p->u.radii, 3);
    glUniform1i(p->u.data_width, s->r->data_width);
    glBindVertexArray(s->r->points_vao);
    /* a draw holds at most max_data_rows rows of points (the texture's height limit) */
    uint32_t batch = (uint32_t)s->r->data_width * (uint32_t)s->r->max_data_rows;
    for (uint32_t first = 0; first < points->count; first += batch) {
        uint32_t count = points->count - first < batch ? points->count - first : batch;
        REEL_TRY(draw_point_batch(s, p, points, first, count, sprites, err));
    }
    return REEL_OK;
}

bool reel__render_points_mergeable(const reel_draw_points *points)
{
    return points->count > 0 && points->count <= REEL__MERGE_MAX_POINTS &&
           points->positions != NULL && points->highlight == 0;
}

/* Element i of a count-or-one attribute: its own, else the last given, else `fallback`. */
static uint32_t u32_at(const uint32_t *values, uint32_t n, uint32_t i, uint32_t fallback)
{
    return values == NULL || n == 0 ? fallback : values[i < n ? i : n - 1];
}

static float f32_at(const float *values, uint32_t n, uint32_t i, float fallback)
{
    return values == NULL || n == 0 ? fallback : values[i < n ? i : n - 1];
}

reel_status reel__render_points_merged(reel__scene_state *s, const reel_draw_points *scene_points,
                                       uint32_t n, reel_error *err)
{
    size_t total = 0;
    for (uint32_t b = 0; b < n; b++)
        if (reel__render_points_mergeable(&scene_points[b]))
            total += scene_points[b].count;
    if (total == 0)
        return REEL_OK;
    float *positions = malloc(total * 12);
    uint32_t *colors = malloc(total * 4);
    float *radii = malloc(total * 4);
    if (positions == NULL || colors == NULL || radii == NULL) {
        free(positions), free(colors), free(radii);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: %zu merged points", total);
    }
    size_t k = 0;
    for (uint32_t b = 0; b < n; b++) {
        const reel_draw_points *p = &scene_points[b];
        if (!reel__render_points_mergeable(p))
            continue;
        const float *m = p->transform;
        for (uint32_t i = 0; i < p->count; i++, k++) {
            const float *v = &p->positions[(size_t)i * 3];
            float w = m[3] * v[0] + m[7] * v[1] + m[11] * v[2] + m[15];
            w = w != 0.0f ? w : 1.0f;
            for (int c = 0; c < 3; c++)
                positions[k * 3 + (size_t)c] =
                    (m[c] * v[0] + m[4 + c] * v[1] + m[8 + c] * v[2] + m[12 + c]) / w;
            colors[k] = u32_at(p->colors, p->n_colors, i, WHITE);
            radii[k] = f32_at(p->radii, p->n_radii, i, DEFAULT_RADIUS);
        }
    }
    reel_draw_points merged = {.positions = positions,
                               .count = (uint32_t)total,
                               .colors = colors,
                               .n_colors = (uint32_t)total,
                               .radii = radii,
                               .n_radii = (uint32_t)total};
    reel_mat4_identity(merged.transform);
    reel_status status = reel__render_points(s, &merged, err);
    free(positions), free(colors), free(radii);
    return status;
}
