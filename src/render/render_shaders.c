/* The renderer's GLSL ES 3.00 programs (GLES 3.0 and WebGL2 alike): the 2D list program and,
 * for scenes, points (instanced screen-facing discs), line segments (instanced capsules) and
 * triangles (meshes and textured quads), each built twice: for colour, and for the picking
 * pass that writes (scene + 1, pick, instance, depth bits) into an integer target. */
#include <stdio.h>
#include <string.h>

#include "render/render_internal.h"

static const char *const UI_VERTEX = "layout(location = 0) in vec2 a_pos;\n"
                                     "layout(location = 1) in vec2 a_uv;\n"
                                     "layout(location = 2) in vec4 a_color;\n"
                                     "uniform vec2 u_size;\n"
                                     "out vec2 v_uv;\n"
                                     "out vec4 v_color;\n"
                                     "void main() {\n"
                                     "    v_uv = a_uv;\n"
                                     "    v_color = a_color;\n"
                                     "    gl_Position = vec4(a_pos.x / u_size.x * 2.0 - 1.0, 1.0 - "
                                     "a_pos.y / u_size.y * 2.0, 0.0, 1.0);\n"
                                     "}\n";

/* u_mode: 0 the atlas as coverage, 1 a colour texture, 2 a one-channel texture as grey. */
static const char *const UI_FRAGMENT =
    "uniform sampler2D u_texture;\n"
    "uniform int u_mode;\n"
    "in vec2 v_uv;\n"
    "in vec4 v_color;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec4 t = texture(u_texture, v_uv);\n"
    "    vec4 c = u_mode == 0 ? vec4(1.0, 1.0, 1.0, t.r) : (u_mode == 2 ? vec4(t.rrr, 1.0) : t);\n"
    "    o_color = v_color * c;\n"
    "}\n";

/* Uniforms every scene program shares. Radii: > 0 scene units, <= 0 UI points; a scene
 * radius becomes pixels through the projection's y scale at the point's clip w. */
static const char *const SCENE_COMMON =
    "uniform mat4 u_view_proj;\n"
    "uniform mat4 u_view;\n"
    "uniform mat4 u_model;\n"
    "uniform mat4 u_pick_matrix;\n"
    "uniform vec2 u_viewport;\n"
    "uniform float u_pixels_per_point;\n"
    "uniform float u_proj11;\n"
    "uniform float u_extra_px;\n"
    "uniform vec4 u_override_color;\n"
    "uniform int u_use_override;\n"
    "uniform int u_shaded;\n"
    "uniform uint u_scene_id;\n"
    "uniform uint u_pick;\n"
    "uniform int u_highlight;\n"
    "float radius_pixels(float radius, float clip_w) {\n"
    "    float px = radius > 0.0 ? radius * u_proj11 * 0.5 * u_viewport.y / clip_w\n"
    "                            : -radius * u_pixels_per_point;\n"
    "    return max(px, 0.5) + u_extra_px;\n"
    "}\n";

/* No vertex attributes: point i is vertices 6i..6i+5 (two triangles), its data fetched from
 * textures (Mesa's llvmpipe runs an instanced draw instance by instance, far slower than
 * one long draw). u_color_mode / u_radius_mode: 0 per point from the texture, 1 constant.
 * With SPRITES (colour pass only, points of one UI-point radius small enough for the GPU's
 * point sizes) point i is vertex i drawn as GL_POINTS, its data plain vertex attributes: a
 * sixth of the vertices, half the primitives and no texture fetches in the vertex shader (slow
 * on llvmpipe). Picking always uses quads (a point sprite is clipped by its centre). */
static const char *const POINTS_VERTEX =
    "#ifdef SPRITES\n"
    "layout(location = 0) in vec3 a_position;\n"
    "layout(location = 1) in vec4 a_color;\n"
    "#endif\n"
    "uniform highp sampler2D u_positions;\n"
    "uniform highp sampler2D u_colors;\n"
    "uniform highp sampler2D u_radii;\n"
    "uniform int u_data_width;\n"
    "uniform int u_first_point;\n"
    "uniform int u_color_mode;\n"
    "uniform vec4 u_color_constant;\n"
    "uniform int u_radius_mode;\n"
    "uniform float u_radius_constant;\n"
    "out vec2 v_local;\n"
    "out vec4 v_color;\n"
    "out float v_radius;\n"
    "out float v_extent;\n"
    "out float v_depth;\n"
    "flat out uint v_instance;\n"
    "const vec2 CORNERS[6] = vec2[6](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(1.0, 1.0),\n"
    "                                vec2(-1.0, -1.0), vec2(1.0, 1.0), vec2(-1.0, 1.0));\n"
    "void main() {\n"
    "#ifdef SPRITES\n"
    "    int index = gl_VertexID;\n"
    "#else\n"
    "    int index = gl_VertexID / 6;\n"
    "#endif\n"
    "    ivec2 texel = ivec2(index % u_data_width, index / u_data_width);\n"
    "#ifdef SPRITES\n"
    "    vec3 position = a_position;\n"
    "    float radius = u_radius_constant;\n"
    "    vec4 color = u_color_mode == 0 ? a_color : u_color_constant;\n"
    "#else\n"
    "    vec3 position = texelFetch(u_positions, texel, 0).xyz;\n"
    "    float radius = u_radius_mode == 0 ? texelFetch(u_radii, texel, 0).r : u_radius_constant;\n"
    "    vec4 color = u_color_mode == 0 ? texelFetch(u_colors, texel, 0) : u_color_constant;\n"
    "#endif\n"
    "    vec4 world = u_model * vec4(position, 1.0);\n"
    "    vec4 clip = u_view_proj * world;\n"
    "    float r = radius_pixels(radius, clip.w);\n"
    "    float extent = r + 1.0;\n"
    "#ifdef SPRITES\n"
    "    gl_PointSize = 2.0 * extent;\n"
    "    v_local = vec2(0.0);\n"
    "#else\n"
    "    vec2 corner = CORNERS[gl_VertexID - index * 6];\n"
    "    clip.xy += corner * extent * 2.0 / u_viewport * clip.w;\n"
    "    v_local = corner * extent;\n"
    "#endif\n"
    "    v_extent = extent;\n"
    "    v_radius = r;\n"
    "    v_color = u_use_override != 0 ? u_override_color : color;\n"
    "    v_depth = -(u_view * world).z;\n"
    "    v_instance = uint(u_first_point + index);\n"
    "    gl_Position = u_pick_matrix * clip;\n"
    "}\n";

/* Fake-sphere shading as Rerun's points: max(0.4, sqrt(1.2 - dist / radius)). */
static const char *const POINTS_FRAGMENT =
    "in vec2 v_local;\n"
    "in vec4 v_color;\n"
    "in float v_radius;\n"
    "in float v_extent;\n"
    "in float v_depth;\n"
    "flat in uint v_instance;\n"
    "#ifdef PICK\n"
    "out uvec4 o_id;\n"
    "void main() {\n"
    "    if (length(v_local) > v_radius) discard;\n"
    "    o_id = uvec4(u_scene_id, u_pick, v_instance, floatBitsToUint(v_depth));\n"
    "}\n"
    "#else\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "#ifdef SPRITES\n"
    "    float d = length((gl_PointCoord * 2.0 - 1.0) * v_extent);\n"
    "#else\n"
    "    float d = length(v_local);\n"
    "#endif\n"
    "    float coverage = clamp(v_radius + 0.5 - d, 0.0, 1.0);\n"
    "    if (coverage <= 0.0) discard;\n"
    "    float shade = u_shaded != 0 ? min(1.0, max(0.4, sqrt(max(1.2 - d / v_radius, 0.0)))) : "
    "1.0;\n"
    "    o_color = vec4(v_color.rgb * shade, v_color.a * coverage);\n"
    "}\n"
    "#endif\n";

/* Segments are cut at the near plane first (a strip passing beside or behind the eye, like a
 * grid line, keeps its visible part). Each segment is six vertices carrying its data (corner =
 * vertex id mod 6): a quad around it in screen space, ends rounded in the fragment shader
 * (capsules, so joins of a strip look round). Screen-space varyings are multiplied by clip w
 * and divided back, which undoes perspective-correct interpolation. */
static const char *const LINES_VERTEX =
    "layout(location = 0) in vec3 a_p0;\n"
    "layout(location = 1) in vec3 a_p1;\n"
    "layout(location = 2) in vec4 a_color;\n"
    "layout(location = 3) in float a_radius;\n"
    "layout(location = 4) in uint a_instance;\n"
    "out vec4 v_local_w;\n"
    "out vec4 v_color;\n"
    "out float v_depth;\n"
    "flat out uint v_instance;\n"
    "flat out float v_length;\n"
    "flat out float v_radius;\n"
    "void main() {\n"
    "    int corner = gl_VertexID % 6;\n"
    "    bool at_end = corner == 1 || corner == 2 || corner == 4;\n"
    "    float side = (corner == 2 || corner == 4 || corner == 5) ? 1.0 : -1.0;\n"
    "    vec4 w0 = u_model * vec4(a_p0, 1.0);\n"
    "    vec4 w1 = u_model * vec4(a_p1, 1.0);\n"
    "    vec4 c0 = u_view_proj * w0;\n"
    "    vec4 c1 = u_view_proj * w1;\n"
    "    float near0 = c0.z + c0.w, near1 = c1.z + c1.w;\n"
    "    if (near0 < 0.0 && near1 < 0.0) {\n"
    "        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);\n"
    "        return;\n"
    "    }\n"
    "    if (near0 < 0.0) {\n"
    "        float t = near0 / (near0 - near1);\n"
    "        c0 = mix(c0, c1, t);\n"
    "        w0 = mix(w0, w1, t);\n"
    "    } else if (near1 < 0.0) {\n"
    "        float t = near1 / (near1 - near0);\n"
    "        c1 = mix(c1, c0, t);\n"
    "        w1 = mix(w1, w0, t);\n"
    "    }\n"
    "    vec2 s0 = c0.xy / c0.w * 0.5 * u_viewport;\n"
    "    vec2 s1 = c1.xy / c1.w * 0.5 * u_viewport;\n"
    "    vec2 dir = s1 - s0;\n"
    "    float len = length(dir);\n"
    "    dir = len > 1e-4 ? dir / len : vec2(1.0, 0.0);\n"
    "    vec2 normal = vec2(-dir.y, dir.x);\n"
    "    float r = max(radius_pixels(a_radius, c0.w), radius_pixels(a_radius, c1.w));\n"
    "    float margin = r + 1.0;\n"
    "    vec4 clip = at_end ? c1 : c0;\n"
    "    vec2 offset = dir * (at_end ? margin : -margin) + normal * side * margin;\n"
    "    clip.xy += offset * 2.0 / u_viewport * clip.w;\n"
    "    vec2 local = vec2(at_end ? len + margin : -margin, side * margin);\n"
    "    v_local_w = vec4(local * clip.w, clip.w, 0.0);\n"
    "    v_length = len;\n"
    "    v_radius = r;\n"
    "    v_color = u_use_override != 0 ? u_override_color : a_color;\n"
    "    v_depth = -(u_view * (at_end ? w1 : w0)).z;\n"
    "    v_instance = a_instance;\n"
    "    gl_Position = u_pick_matrix * clip;\n"
    "}\n";

static const char *const LINES_FRAGMENT =
    "in vec4 v_local_w;\n"
    "in vec4 v_color;\n"
    "in float v_depth;\n"
    "flat in uint v_instance;\n"
    "flat in float v_length;\n"
    "flat in float v_radius;\n"
    "float distance_to_segment() {\n"
    "    vec2 local = v_local_w.xy / v_local_w.z;\n"
    "    if (local.x < 0.0) return length(local);\n"
    "    if (local.x > v_length) return length(vec2(local.x - v_length, local.y));\n"
    "    return abs(local.y);\n"
    "}\n"
    "#ifdef PICK\n"
    "out uvec4 o_id;\n"
    "void main() {\n"
    "    if (distance_to_segment() > v_radius) discard;\n"
    "    o_id = uvec4(u_scene_id, u_pick, v_instance, floatBitsToUint(v_depth));\n"
    "}\n"
    "#else\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    float coverage = clamp(v_radius + 0.5 - distance_to_segment(), 0.0, 1.0);\n"
    "    if (coverage <= 0.0) discard;\n"
    "    o_color = vec4(v_color.rgb, v_color.a * coverage);\n"
    "}\n"
    "#endif\n";

/* Meshes and quads, already in scene space. a_flags: bit 0 lit, bits 1-2 highlight. */
static const char *const TRIANGLES_VERTEX =
    "layout(location = 0) in vec3 a_pos;\n"
    "layout(location = 1) in vec3 a_normal;\n"
    "layout(location = 2) in vec2 a_uv;\n"
    "layout(location = 3) in vec4 a_color;\n"
    "layout(location = 4) in uvec2 a_ids;\n"
    "layout(location = 5) in uint a_flags;\n"
    "out vec3 v_normal;\n"
    "out vec2 v_uv;\n"
    "out vec4 v_color;\n"
    "out float v_depth;\n"
    "flat out uvec2 v_ids;\n"
    "flat out uint v_flags;\n"
    "void main() {\n"
    "    vec4 eye = u_view * vec4(a_pos, 1.0);\n"
    "    v_normal = mat3(u_view) * a_normal;\n"
    "    v_uv = a_uv;\n"
    "    v_color = a_color;\n"
    "    v_depth = -eye.z;\n"
    "    v_ids = a_ids;\n"
    "    v_flags = a_flags;\n"
    "    gl_Position = u_pick_matrix * (u_view_proj * vec4(a_pos, 1.0));\n"
    "}\n";

/* Lighting: ambient 0.25 plus a headlight (the light sits at the eye), two-sided, computed on
 * linear colour. Hover lightens, selection tints towards orange. */
static const char *const TRIANGLES_FRAGMENT =
    "uniform sampler2D u_texture;\n"
    "uniform int u_textured;\n"
    "in vec3 v_normal;\n"
    "in vec2 v_uv;\n"
    "in vec4 v_color;\n"
    "in float v_depth;\n"
    "flat in uvec2 v_ids;\n"
    "flat in uint v_flags;\n"
    "#ifdef PICK\n"
    "out uvec4 o_id;\n"
    "void main() {\n"
    "    if (v_ids.x == 0u) discard;\n"
    "    o_id = uvec4(u_scene_id, v_ids.x, v_ids.y, floatBitsToUint(v_depth));\n"
    "}\n"
    "#else\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec4 c = v_color;\n"
    "    if (u_textured == 1) c *= texture(u_texture, v_uv);\n"
    "    if (u_textured == 2) c *= vec4(texture(u_texture, v_uv).rrr, 1.0);\n"
    "    if ((v_flags & 1u) != 0u) {\n"
    "        vec3 n = normalize(v_normal);\n"
    "        float shade = clamp(0.25 + 0.75 * abs(n.z), 0.0, 1.0);\n"
    "        c.rgb = pow(pow(c.rgb, vec3(2.2)) * shade, vec3(1.0 / 2.2));\n"
    "    }\n"
    "    uint highlight = (v_flags >> 1) & 3u;\n"
    "    if (highlight == 1u) c.rgb = mix(c.rgb, vec3(1.0), 0.35);\n"
    "    if (highlight == 2u) c.rgb = mix(c.rgb, vec3(1.0, 0.55, 0.0), 0.5);\n"
    "    o_color = c;\n"
    "}\n"
    "#endif\n";

static reel_status compile_shader(GLenum kind, const char *const *parts, int n_parts, GLuint *out,
                                  reel_error *err)
{
    GLuint shader = glCreateShader(kind);
    glShaderSource(shader, n_parts, parts, NULL);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = {0};
        glGetShaderInfoLog(shader, sizeof(log) - 1, NULL, log);
        glDeleteShader(shader);
        return reel_error_set(err, REEL_INTERNAL, "render: %s shader does not compile: %s",
                              kind == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
    }
    *out = shader;
    return REEL_OK;
}

/* defines: lines of "#define X 1" after the version line ("" for none). */
static reel_status link_program(const char *name, const char *vertex, const char *fragment,
                                bool scene, const char *defines, GLuint *out, reel_error *err)
{
    const char *precision = "precision highp float;\nprecision highp int;\n";
    const char *common = scene ? SCENE_COMMON : "";
    const char *version = "#version 300 es\n";
    const char *vertex_parts[] = {version, defines, precision, common, vertex};
    const char *fragment_parts[] = {version, defines, precision, common, fragment};
    GLuint vs = 0, fs = 0;
    reel_status status = compile_shader(GL_VERTEX_SHADER, vertex_parts, 5, &vs, err);
    if (status == REEL_OK)
        status = compile_shader(GL_FRAGMENT_SHADER, fragment_parts, 5, &fs, err);
    if (status != REEL_OK) {
        if (vs)
            glDeleteShader(vs);
        return reel_error_prefix(err, "%s: ", name);
    }
    GLuint program = glCreateProgram();
    glAttachShader(program, vs);
    glAttachShader(program, fs);
    glLinkProgram(program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = {0};
        glGetProgramInfoLog(program, sizeof(log) - 1, NULL, log);
        glDeleteProgram(program);
        return reel_error_set(err, REEL_INTERNAL, "render: program %s does not link: %s", name,
                              log);
    }
    *out = program;
    return REEL_OK;
}

static void locate_scene_uniforms(reel__program *p)
{
    GLuint id = p->id;
    p->u.view_proj = glGetUniformLocation(id, "u_view_proj");
    p->u.view = glGetUniformLocation(id, "u_view");
    p->u.model = glGetUniformLocation(id, "u_model");
    p->u.pick_matrix = glGetUniformLocation(id, "u_pick_matrix");
    p->u.viewport = glGetUniformLocation(id, "u_viewport");
    p->u.pixels_per_point = glGetUniformLocation(id, "u_pixels_per_point");
    p->u.proj11 = glGetUniformLocation(id, "u_proj11");
    p->u.extra_px = glGetUniformLocation(id, "u_extra_px");
    p->u.override_color = glGetUniformLocation(id, "u_override_color");
    p->u.use_override = glGetUniformLocation(id, "u_use_override");
    p->u.shaded = glGetUniformLocation(id, "u_shaded");
    p->u.scene_id = glGetUniformLocation(id, "u_scene_id");
    p->u.pick = glGetUniformLocation(id, "u_pick");
    p->u.highlight = glGetUniformLocation(id, "u_highlight");
    p->u.texture = glGetUniformLocation(id, "u_texture");
    p->u.textured = glGetUniformLocation(id, "u_textured");
    p->u.positions = glGetUniformLocation(id, "u_positions");
    p->u.colors = glGetUniformLocation(id, "u_colors");
    p->u.radii = glGetUniformLocation(id, "u_radii");
    p->u.data_width = glGetUniformLocation(id, "u_data_width");
    p->u.first_point = glGetUniformLocation(id, "u_first_point");
    p->u.color_mode = glGetUniformLocation(id, "u_color_mode");
    p->u.color_constant = glGetUniformLocation(id, "u_color_constant");
    p->u.radius_mode = glGetUniformLocation(id, "u_radius_mode");
    p->u.radius_constant = glGetUniformLocation(id, "u_radius_constant");
}

reel_status reel__render_programs_create(reel_renderer *r, reel_error *err)
{
    REEL_TRY(link_program("ui", UI_VERTEX, UI_FRAGMENT, false, "", &r->ui_program, err));
    r->ui_size = glGetUniformLocation(r->ui_program, "u_size");
    r->ui_texture = glGetUniformLocation(r->ui_program, "u_texture");
    r->ui_mode = glGetUniformLocation(r->ui_program, "u_mode");
    struct {
        const char *name, *vertex, *fragment;
        reel__program *programs;
    } scene_programs[] = {
        {"points", POINTS_VERTEX, POINTS_FRAGMENT, r->points},
        {"lines", LINES_VERTEX, LINES_FRAGMENT, r->lines},
        {"triangles", TRIANGLES_VERTEX, TRIANGLES_FRAGMENT, r->triangles},
    };
    for (size_t i = 0; i < sizeof(scene_programs) / sizeof(scene_programs[0]); i++) {
        for (int pass = 0; pass < 2; pass++) {
            reel__program *p = &scene_programs[i].programs[pass];
            REEL_TRY(link_program(scene_programs[i].name, scene_programs[i].vertex,
                                  scene_programs[i].fragment, true,
                                  pass == REEL__PASS_PICK ? "#define PICK 1\n" : "", &p->id, err));
            locate_scene_uniforms(p);
        }
    }
    REEL_TRY(link_program("point sprites", POINTS_VERTEX, POINTS_FRAGMENT, true,
                          "#define SPRITES 1\n", &r->point_sprites.id, err));
    locate_scene_uniforms(&r->point_sprites);
    return REEL_OK;
}

void reel__render_programs_destroy(reel_renderer *r)
{
    reel__program *all[] = {r->points, r->lines, r->triangles};
    for (int i = 0; i < 3; i++) {
        for (int pass = 0; pass < 2; pass++) {
            if (all[i][pass].id)
                glDeleteProgram(all[i][pass].id);
            all[i][pass].id = 0;
        }
    }
    if (r->ui_program)
        glDeleteProgram(r->ui_program);
    if (r->point_sprites.id)
        glDeleteProgram(r->point_sprites.id);
    r->ui_program = r->point_sprites.id = 0;
}
