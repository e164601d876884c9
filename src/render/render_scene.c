/* Draws one scene into the viewport set for it: meshes (one batched draw), line strips
 * (capsules per segment), points (render_points.c), then textured quads blended in order, all
 * depth tested. The same code draws the picking pass, with the pick programs and
 * a matrix that maps the picked pixel onto a 1x1 target. Highlighted points and lines get an
 * outline (drawn first, enlarged, in the highlight colour); meshes and quads a tint. */
#include <math.h>
#include <string.h>

#include "render/render_internal.h"

typedef struct triangle_vertex {
    float pos[3];
    float normal[3];
    float uv[2];
    uint32_t color;
    uint32_t ids[2]; /* pick, instance */
    uint32_t flags;  /* bit 0 lit, bits 1-2 highlight */
} triangle_vertex;

typedef struct line_segment {
    float p0[3], p1[3];
    uint32_t color;
    float radius;
    uint32_t instance;
} line_segment;

#define DEFAULT_RADIUS REEL__DEFAULT_RADIUS
#define WHITE REEL__WHITE
#define HOVER_OUTLINE REEL__HOVER_OUTLINE
#define SELECT_OUTLINE REEL__SELECT_OUTLINE

static uint32_t clamped_u32(const uint32_t *values, uint32_t n, uint32_t i, uint32_t fallback)
{
    if (!values || n == 0)
        return fallback;
    return values[i < n ? i : n - 1];
}

static float clamped_f32(const float *values, uint32_t n, uint32_t i, float fallback)
{
    if (!values || n == 0)
        return fallback;
    return values[i < n ? i : n - 1];
}

static void transform_point(const float m[16], const float p[3], float out[3])
{
    float x = p[0], y = p[1], z = p[2];
    float w = m[3] * x + m[7] * y + m[11] * z + m[15];
    if (w == 0.0f)
        w = 1.0f;
    out[0] = (m[0] * x + m[4] * y + m[8] * z + m[12]) / w;
    out[1] = (m[1] * x + m[5] * y + m[9] * z + m[13]) / w;
    out[2] = (m[2] * x + m[6] * y + m[10] * z + m[14]) / w;
}

/* Inverse transpose of the upper 3x3 (column-major 3x3 out). */
static void normal_matrix(const float m[16], float out[9])
{
    float inverse[16];
    if (!reel_mat4_invert(inverse, m)) {
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 3; r++)
                out[c * 3 + r] = m[c * 4 + r];
        return;
    }
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 3; r++)
            out[c * 3 + r] = inverse[r * 4 + c];
}

static void transform_normal(const float n3[9], const float n[3], float out[3])
{
    out[0] = n3[0] * n[0] + n3[3] * n[1] + n3[6] * n[2];
    out[1] = n3[1] * n[0] + n3[4] * n[1] + n3[7] * n[2];
    out[2] = n3[2] * n[0] + n3[5] * n[1] + n3[8] * n[2];
    float len = sqrtf(out[0] * out[0] + out[1] * out[1] + out[2] * out[2]);
    if (len > 0.0f)
        out[0] /= len, out[1] /= len, out[2] /= len;
}

void reel__render_color_uniform(GLint location, uint32_t rgba)
{
    glUniform4f(location, (float)(rgba & 255) / 255.0f, (float)(rgba >> 8 & 255) / 255.0f,
                (float)(rgba >> 16 & 255) / 255.0f, (float)(rgba >> 24 & 255) / 255.0f);
}

const reel__program *reel__render_use_program(const reel__scene_state *s, reel__program programs[2])
{
    const reel__program *p = &programs[s->pass];
    const reel__scene_uniforms *u = &p->u;
    const reel_draw_camera *camera = &s->scene->camera;
    glUseProgram(p->id);
    glUniformMatrix4fv(u->view_proj, 1, GL_FALSE, s->view_proj);
    glUniformMatrix4fv(u->view, 1, GL_FALSE, camera->view);
    glUniformMatrix4fv(u->pick_matrix, 1, GL_FALSE, s->pick_matrix);
    glUniform2f(u->viewport, s->viewport[0], s->viewport[1]);
    glUniform1f(u->pixels_per_point,
                camera->pixels_per_point > 0 ? camera->pixels_per_point : 1.0f);
    glUniform1f(u->proj11, camera->projection[5]);
    glUniform1f(u->extra_px, 0.0f);
    glUniform1i(u->use_override, 0);
    glUniform1i(u->shaded, 1);
    glUniform1ui(u->scene_id, (GLuint)s->scene_index + 1u);
    glUniform1i(u->textured, 0);
    glUniform1i(u->texture, 0);
    return p;
}

/* ---------------------------------------------------------------- triangles */

static size_t mesh_vertex_count(const reel_draw_mesh *mesh)
{
    if (!mesh->positions)
        return 0;
    uint32_t n = mesh->indices ? mesh->n_indices : mesh->n_vertices;
    return (size_t)(n / 3) * 3;
}

static triangle_vertex *append_mesh(triangle_vertex *out, const reel_draw_mesh *mesh)
{
    float n3[9];
    normal_matrix(mesh->transform, n3);
    size_t n = mesh_vertex_count(mesh);
    uint32_t flags = (mesh->lit ? 1u : 0u) | (mesh->highlight & 3u) << 1;
    for (size_t t = 0; t < n; t += 3) {
        uint32_t corner_index[3];
        bool valid = true;
        for (int k = 0; k < 3; k++) {
            corner_index[k] = mesh->indices ? mesh->indices[t + k] : (uint32_t)(t + k);
            valid = valid && corner_index[k] < mesh->n_vertices;
        }
        if (!valid)
            continue;
        float world[3][3];
        for (int k = 0; k < 3; k++)
            transform_point(mesh->transform, &mesh->positions[corner_index[k] * 3], world[k]);
        float face_normal[3] = {0, 0, 1};
        if (!mesh->normals) {
            float e1[3], e2[3];
            for (int i = 0; i < 3; i++)
                e1[i] = world[1][i] - world[0][i], e2[i] = world[2][i] - world[0][i];
            face_normal[0] = e1[1] * e2[2] - e1[2] * e2[1];
            face_normal[1] = e1[2] * e2[0] - e1[0] * e2[2];
            face_normal[2] = e1[0] * e2[1] - e1[1] * e2[0];
            float len = sqrtf(face_normal[0] * face_normal[0] + face_normal[1] * face_normal[1] +
                              face_normal[2] * face_normal[2]);
            if (len > 0.0f)
                face_normal[0] /= len, face_normal[1] /= len, face_normal[2] /= len;
        }
        for (int k = 0; k < 3; k++) {
            triangle_vertex *v = out++;
            memcpy(v->pos, world[k], sizeof(v->pos));
            if (mesh->normals)
                transform_normal(n3, &mesh->normals[corner_index[k] * 3], v->normal);
            else
                memcpy(v->normal, face_normal, sizeof(v->normal));
            v->uv[0] = v->uv[1] = 0.0f;
            v->color = mesh->vertex_colors ? mesh->vertex_colors[corner_index[k]] : mesh->color;
            v->ids[0] = mesh->pick;
            v->ids[1] = 0;
            v->flags = flags;
        }
    }
    return out;
}

static triangle_vertex *append_quad(triangle_vertex *out, const reel_draw_quad *quad,
                                    uint32_t instance)
{
    static const int CORNERS[6] = {0, 1, 2, 0, 2, 3};
    static const float UVS[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (int k = 0; k < 6; k++) {
        triangle_vertex *v = out++;
        int c = CORNERS[k];
        transform_point(quad->transform, quad->corners[c], v->pos);
        v->normal[0] = v->normal[1] = 0.0f;
        v->normal[2] = 1.0f;
        v->uv[0] = UVS[c][0];
        v->uv[1] = UVS[c][1];
        v->color = quad->tint;
        v->ids[0] = quad->pick;
        v->ids[1] = instance;
        v->flags = (quad->highlight & 3u) << 1;
    }
    return out;
}

static void bind_triangle_attributes(void)
{
    GLsizei stride = sizeof(triangle_vertex);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(triangle_vertex, pos));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride,
                          (void *)offsetof(triangle_vertex, normal));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(triangle_vertex, uv));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                          (void *)offsetof(triangle_vertex, color));
    glEnableVertexAttribArray(4);
    glVertexAttribIPointer(4, 2, GL_UNSIGNED_INT, stride, (void *)offsetof(triangle_vertex, ids));
    glEnableVertexAttribArray(5);
    glVertexAttribIPointer(5, 1, GL_UNSIGNED_INT, stride, (void *)offsetof(triangle_vertex, flags));
}

/* Fills the triangle buffer with every mesh then every quad; *mesh_vertices tells where the
 * quads start. */
static reel_status upload_triangles(reel__scene_state *s, size_t *mesh_vertices, reel_error *err)
{
    const reel_draw_scene *scene = s->scene;
    size_t total = (size_t)scene->n_quads * 6;
    for (uint32_t i = 0; i < scene->n_meshes; i++)
        total += mesh_vertex_count(&scene->meshes[i]);
    *mesh_vertices = 0;
    if (total == 0)
        return REEL_OK;
    triangle_vertex *vertices =
        reel__render_scratch(s->r, REEL__SCRATCH_B, total * sizeof(triangle_vertex));
    if (!vertices)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: %zu triangle vertices", total);
    triangle_vertex *end = vertices;
    for (uint32_t i = 0; i < scene->n_meshes; i++)
        end = append_mesh(end, &scene->meshes[i]);
    *mesh_vertices = (size_t)(end - vertices);
    for (uint32_t i = 0; i < scene->n_quads; i++)
        end = append_quad(end, &scene->quads[i], i);
    glBindVertexArray(s->r->triangles_vao);
    glBindBuffer(GL_ARRAY_BUFFER, s->r->triangles_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)(end - vertices) * sizeof(triangle_vertex)),
                 vertices, GL_STREAM_DRAW);
    bind_triangle_attributes();
    return REEL_OK;
}

static void draw_meshes(reel__scene_state *s, size_t mesh_vertices)
{
    if (mesh_vertices == 0)
        return;
    reel__render_use_program(s, s->r->triangles);
    glBindVertexArray(s->r->triangles_vao);
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)mesh_vertices);
    s->r->stats.draw_calls++;
}

static void draw_quads(reel__scene_state *s, size_t first_vertex)
{
    const reel_draw_scene *scene = s->scene;
    if (scene->n_quads == 0)
        return;
    const reel__program *p = reel__render_use_program(s, s->r->triangles);
    glBindVertexArray(s->r->triangles_vao);
    glActiveTexture(GL_TEXTURE0);
    for (uint32_t i = 0; i < scene->n_quads; i++) {
        if (s->pass == REEL__PASS_COLOR) {
            int32_t mode = 1;
            glBindTexture(GL_TEXTURE_2D,
                          reel__render_texture_for(s->r, s->frame, scene->quads[i].texture, &mode));
            glUniform1i(p->u.textured, mode == 2 ? 2 : 1);
        }
        glDrawArrays(GL_TRIANGLES, (GLint)(first_vertex + (size_t)i * 6), 6);
        s->r->stats.draw_calls++;
    }
}

/* ---------------------------------------------------------------- lines */

static void bind_line_attributes(void)
{
    GLsizei stride = sizeof(line_segment);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(line_segment, p0));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(line_segment, p1));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                          (void *)offsetof(line_segment, color));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 1, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(line_segment, radius));
    glEnableVertexAttribArray(4);
    glVertexAttribIPointer(4, 1, GL_UNSIGNED_INT, stride, (void *)offsetof(line_segment, instance));
}

static reel_status draw_lines(reel__scene_state *s, const reel_draw_lines *lines, reel_error *err)
{
    if (lines->n_strips == 0 || !lines->positions || !lines->strip_offsets)
        return REEL_OK;
    if (s->pass == REEL__PASS_PICK && lines->pick == 0)
        return REEL_OK;
    size_t n_segments = 0;
    for (uint32_t i = 0; i < lines->n_strips; i++) {
        uint32_t begin = lines->strip_offsets[i], end = lines->strip_offsets[i + 1];
        if (end > begin + 1)
            n_segments += end - begin - 1;
    }
    if (n_segments == 0)
        return REEL_OK;
    /* six copies of each segment, one per corner of its quad */
    line_segment *segments =
        reel__render_scratch(s->r, REEL__SCRATCH_C, n_segments * 6 * sizeof(line_segment));
    if (!segments)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: %zu line segments", n_segments);
    line_segment *out = segments;
    for (uint32_t i = 0; i < lines->n_strips; i++) {
        uint32_t begin = lines->strip_offsets[i], end = lines->strip_offsets[i + 1];
        uint32_t color = clamped_u32(lines->colors, lines->n_colors, i, WHITE);
        float radius = clamped_f32(lines->radii, lines->n_radii, i, DEFAULT_RADIUS);
        for (uint32_t v = begin; v + 1 < end; v++) {
            memcpy(out->p0, &lines->positions[(size_t)v * 3], sizeof(out->p0));
            memcpy(out->p1, &lines->positions[(size_t)(v + 1) * 3], sizeof(out->p1));
            out->color = color;
            out->radius = radius;
            out->instance = i;
            for (int corner = 1; corner < 6; corner++)
                out[corner] = out[0];
            out += 6;
        }
    }
    const reel__program *p = reel__render_use_program(s, s->r->lines);
    glUniformMatrix4fv(p->u.model, 1, GL_FALSE, lines->transform);
    glUniform1ui(p->u.pick, lines->pick);
    glBindVertexArray(s->r->lines_vao);
    glBindBuffer(GL_ARRAY_BUFFER, s->r->lines_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(n_segments * 6 * sizeof(line_segment)), segments,
                 GL_STREAM_DRAW);
    bind_line_attributes();
    if (s->pass == REEL__PASS_COLOR && lines->highlight != 0) {
        float ppp = s->scene->camera.pixels_per_point > 0 ? s->scene->camera.pixels_per_point : 1;
        glUniform1f(p->u.extra_px, 1.0f * ppp);
        glUniform1i(p->u.use_override, 1);
        reel__render_color_uniform(p->u.override_color,
                                   lines->highlight == 2 ? SELECT_OUTLINE : HOVER_OUTLINE);
        glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(n_segments * 6));
        glUniform1f(p->u.extra_px, 0.0f);
        glUniform1i(p->u.use_override, 0);
        s->r->stats.draw_calls++;
    }
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(n_segments * 6));
    s->r->stats.draw_calls++;
    return REEL_OK;
}

/* ---------------------------------------------------------------- the scene */

reel_status reel__render_scene(reel_renderer *r, const reel_draw_frame *frame, int32_t scene_index,
                               const int32_t rect[4], reel__pass pass, const float pick_matrix[16],
                               reel_error *err)
{
    const reel_draw_scene *scene = &frame->scenes[scene_index];
    reel__scene_state s = {.r = r,
                           .frame = frame,
                           .scene = scene,
                           .scene_index = scene_index,
                           .pass = pass,
                           .pick_matrix = pick_matrix,
                           .viewport = {(float)rect[2], (float)rect[3]}};
    reel_mat4_mul(s.view_proj, scene->camera.projection, scene->camera.view);

    glEnable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    glClearDepthf(1.0f);
    if (pass == REEL__PASS_COLOR && (scene->background >> 24) != 0) {
        uint32_t bg = scene->background;
        glClearColor((float)(bg & 255) / 255.0f, (float)(bg >> 8 & 255) / 255.0f,
                     (float)(bg >> 16 & 255) / 255.0f, (float)(bg >> 24 & 255) / 255.0f);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    } else {
        glClear(GL_DEPTH_BUFFER_BIT);
    }
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDisable(GL_CULL_FACE);
    if (pass == REEL__PASS_COLOR) {
        glEnable(GL_BLEND);
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    } else {
        glDisable(GL_BLEND);
    }

    size_t mesh_vertices = 0;
    REEL_TRY(upload_triangles(&s, &mesh_vertices, err));
    draw_meshes(&s, mesh_vertices);
    for (uint32_t i = 0; i < scene->n_lines; i++)
        REEL_TRY(draw_lines(&s, &scene->lines[i], err));
    bool merge = pass == REEL__PASS_COLOR;
    if (merge)
        REEL_TRY(reel__render_points_merged(&s, scene->points, scene->n_points, err));
    for (uint32_t i = 0; i < scene->n_points; i++)
        if (!merge || !reel__render_points_mergeable(&scene->points[i]))
            REEL_TRY(reel__render_points(&s, &scene->points[i], err));
    if (scene->n_quads > 0) {
        /* the triangle attributes live in their own vertex array: still bound to the data */
        draw_quads(&s, mesh_vertices);
    }
    glDisable(GL_DEPTH_TEST);
    glBindVertexArray(0);
    return REEL_OK;
}
