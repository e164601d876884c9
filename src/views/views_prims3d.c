/* The 3D archetypes as scene batches: Points3D and LineStrips3D (positions zero-copy from the
 * chunk), Boxes3D and Ellipsoids3D (wireframe edges, or solid meshes with FillMode Solid),
 * Arrows3D (shaft line and a cone head), Mesh3D (positions, normals and indices zero-copy,
 * vertex colours or albedo factor) and TransformAxes3D. Radii and colours as Rerun's
 * (positive scene units, negative UI points; logged colour, class colour, entity colour);
 * outlines of boxes and ellipsoids default to 0.5 pt. The transparent fill of the default
 * fill mode is not drawn (edges only). */
#include "views/views_spatial.h"

static const float POINT_RADIUS = -1.5f;
static const float OUTLINE_RADIUS = -0.5f;
static const float AXIS_RADIUS = -0.5f; /* 1 pt wide */

typedef struct p3 {
    view_scene *s;
    view_ctx *ctx;
    uint32_t entity, entity_index;
    const char *path;
    const float *transform;
    uint32_t highlight;
    uint32_t fallback;
    view_annotations ann;
} p3;

static const float *radii(p3 *p, const char *archetype, const char *field, const float *fallback,
                          uint32_t *n)
{
    view_cell cell;
    const float *r = view_query_arch(p->ctx, p->entity, archetype, field, &cell)
                         ? view_cell_f32(&cell, 1, n)
                         : NULL;
    if (r == NULL || *n == 0) {
        *n = 1;
        return fallback;
    }
    return r;
}


static void points3d(p3 *p)
{
    view_cell cell;
    uint32_t n = 0;
    const float *xyz = view_query_c(p->ctx, p->entity, VIEW_C_POINTS3D, &cell)
                           ? view_cell_f32(&cell, 3, &n)
                           : NULL;
    if (xyz == NULL || n == 0)
        return;
    reel_draw_points pts = {.positions = xyz,
                            .count = n,
                            .pick = view_pick_id(p->entity_index, 1),
                            .highlight = p->highlight};
    pts.colors = view_colors(p->ctx, p->entity, "Points3D", n, p->fallback, &p->ann, &pts.n_colors);
    pts.radii = radii(p, "Points3D", "radii", &POINT_RADIUS, &pts.n_radii);
    memcpy(pts.transform, p->transform, sizeof pts.transform);
    if (pts.colors == NULL)
        return;
    view_scene_add_points(p->s, &pts, p->entity_index, true);
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "Points3D", &n_ids);
    view_collect_labels(p->s, &p->s->labels, p->entity, "Points3D", xyz, 3, n, p->transform,
                        pts.colors, pts.n_colors, &p->ann, ids, n_ids);
}

static void strips3d(p3 *p)
{
    view_cell cell;
    if (!view_query_c(p->ctx, p->entity, VIEW_C_STRIPS3D, &cell))
        return;
    const reel_arrow_field *f = cell.field;
    if ((f->type != REEL_ARROW_LIST && f->type != REEL_ARROW_LARGE_LIST) || f->n_children != 1 ||
        cell.array->n_children != 1)
        return;
    uint32_t n_strips = view_cell_len(&cell);
    int64_t first = 0, last = 0, tmp = 0;
    reel_arrow_array_get_list_range(f, cell.array, cell.start, &first, &tmp);
    reel_arrow_array_get_list_range(f, cell.array, cell.end - 1, &tmp, &last);
    view_cell pts = {
        .field = &f->children[0], .array = &cell.array->children[0], .start = first, .end = last};
    uint32_t n_points = 0;
    const float *xyz = view_cell_f32(&pts, 3, &n_points);
    uint32_t *offsets = view_alloc(p->ctx, n_strips + 1, sizeof(uint32_t));
    if ((xyz == NULL && last > first) || offsets == NULL)
        return;
    for (uint32_t i = 0; i < n_strips; i++) {
        int64_t s = 0, e = 0;
        reel_arrow_array_get_list_range(f, cell.array, cell.start + i, &s, &e);
        offsets[i] = (uint32_t)(s - first);
        offsets[i + 1] = (uint32_t)(e - first);
    }
    static const float EMPTY[3] = {0, 0, 0};
    reel_draw_lines l = {.positions = xyz ? xyz : EMPTY,
                         .strip_offsets = offsets,
                         .n_strips = n_strips,
                         .pick = view_pick_id(p->entity_index, 1),
                         .highlight = p->highlight};
    l.colors =
        view_colors(p->ctx, p->entity, "LineStrips3D", n_strips, p->fallback, &p->ann, &l.n_colors);
    l.radii = radii(p, "LineStrips3D", "radii", &POINT_RADIUS, &l.n_radii);
    memcpy(l.transform, p->transform, sizeof l.transform);
    if (l.colors == NULL)
        return;
    view_scene_add_lines(p->s, &l, p->entity_index);
    float *anchors = view_alloc(p->ctx, n_strips ? n_strips : 1, 3 * sizeof(float));
    if (anchors == NULL || xyz == NULL)
        return;
    for (uint32_t i = 0; i < n_strips; i++)
        memcpy(anchors + 3 * i, xyz + 3 * offsets[i], 3 * sizeof(float));
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "LineStrips3D", &n_ids);
    view_collect_labels(p->s, &p->s->labels, p->entity, "LineStrips3D", anchors, 3, n_strips,
                        p->transform, l.colors, l.n_colors, &p->ann, ids, n_ids);
}

/* Per-instance pose of boxes and ellipsoids: centre, rotation, half sizes. */
static uint32_t fill_mode_of(p3 *p, const char *arch)
{
    view_cell cell;
    uint32_t n = 0;
    const uint8_t *v = view_query_arch(p->ctx, p->entity, arch, "fill_mode", &cell)
                           ? view_cell_u8(&cell, 1, &n)
                           : NULL;
    return v && n ? v[0] : REEL_FillMode_TransparentFillMajorWireframe;
}

static void instance_matrix(p3 *p, const char *archetype, uint32_t i, const float *half,
                            float out[16])
{
    view_cell cell;
    uint32_t n = 0;
    reel_mat4_identity(out);
    const float *c = view_query_arch(p->ctx, p->entity, archetype, "centers", &cell)
                         ? view_cell_f32(&cell, 3, &n)
                         : NULL;
    if (c && n) {
        uint32_t k = i < n ? i : n - 1;
        view_mat4_translation(out, c[3 * k], c[3 * k + 1], c[3 * k + 2]);
    }
    float rot[16];
    const float *q = view_query_arch(p->ctx, p->entity, archetype, "quaternions", &cell)
                         ? view_cell_f32(&cell, 4, &n)
                         : NULL;
    if (q && n) {
        view_mat4_from_quat(rot, q + 4 * (i < n ? i : n - 1));
        reel_mat4_mul(out, out, rot);
    }
    float axis[3], angle;
    if (view_query_arch(p->ctx, p->entity, archetype, "rotation_axis_angles", &cell) &&
        view_read_axis_angle(&cell, i < view_cell_len(&cell) ? i : view_cell_len(&cell) - 1, axis,
                             &angle)) {
        view_mat4_from_axis_angle(rot, axis, angle);
        reel_mat4_mul(out, out, rot);
    }
    float scale[16];
    reel_mat4_identity(scale);
    scale[0] = half[0], scale[5] = half[1], scale[10] = half[2];
    reel_mat4_mul(out, out, scale);
}

/* Unit shapes, transformed per instance into entity space. */
static const float CUBE[8][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1},
                                 {-1, -1, 1},  {1, -1, 1},  {1, 1, 1},  {-1, 1, 1}};
/* Edges as 6 strips: the two squares and the four verticals. */
static const uint8_t CUBE_STRIPS[18] = {0, 1, 2, 3, 0, 4, 5, 6, 7, 4, 0, 4, 1, 5, 2, 6, 3, 7};
static const uint32_t CUBE_STRIP_OFFSETS[7] = {0, 5, 10, 12, 14, 16, 18};
static const uint8_t CUBE_TRIANGLES[36] = {0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4,
                                           2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 3, 0, 4, 3, 4, 7};

#define RING_SEGMENTS 32
#define SPHERE_STACKS 12
#define SPHERE_SLICES 24

static void boxes_or_ellipsoids(p3 *p, bool ellipsoids)
{
    const char *arch = ellipsoids ? "Ellipsoids3D" : "Boxes3D";
    view_cell cell;
    uint32_t n = 0;
    const float *half = view_query_arch(p->ctx, p->entity, arch, "half_sizes", &cell)
                            ? view_cell_f32(&cell, 3, &n)
                            : NULL;
    if (half == NULL || n == 0)
        return;
    uint32_t fill = fill_mode_of(p, arch);
    uint32_t n_colors = 0;
    uint32_t *colors = view_colors(p->ctx, p->entity, arch, n, p->fallback, &p->ann, &n_colors);
    if (colors == NULL)
        return;
    float *anchors = view_alloc(p->ctx, n, 3 * sizeof(float));
    if (anchors == NULL)
        return;
    if (fill == REEL_FillMode_Solid) {
        uint32_t verts_per = ellipsoids ? (SPHERE_STACKS + 1) * (SPHERE_SLICES + 1) : 8;
        uint32_t idx_per = ellipsoids ? SPHERE_STACKS * SPHERE_SLICES * 6 : 36;
        float *pos = view_alloc(p->ctx, (size_t)n * verts_per, 3 * sizeof(float));
        float *nrm =
            ellipsoids ? view_alloc(p->ctx, (size_t)n * verts_per, 3 * sizeof(float)) : NULL;
        uint32_t *vc = view_alloc(p->ctx, (size_t)n * verts_per, sizeof(uint32_t));
        uint32_t *idx = view_alloc(p->ctx, (size_t)n * idx_per, sizeof(uint32_t));
        if (!pos || !vc || !idx || (ellipsoids && !nrm))
            return;
        for (uint32_t i = 0; i < n; i++) {
            float m[16], inv_t[16];
            instance_matrix(p, arch, i, half + 3 * i, m);
            uint32_t color = colors[i < n_colors ? i : n_colors - 1];
            float *pv = pos + (size_t)i * verts_per * 3;
            if (!ellipsoids) {
                for (int v = 0; v < 8; v++)
                    view_mat4_point(m, CUBE[v], pv + 3 * v);
                for (int k = 0; k < 36; k++)
                    idx[i * idx_per + (uint32_t)k] = i * verts_per + CUBE_TRIANGLES[k];
            } else {
                /* Normals of a scaled sphere: the inverse transpose. */
                float inv[16];
                if (!reel_mat4_invert(inv, m))
                    reel_mat4_identity(inv);
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < 4; c++)
                        inv_t[c * 4 + r] = inv[r * 4 + c];
                uint32_t v = 0;
                for (int st = 0; st <= SPHERE_STACKS; st++) {
                    float phi = (float)M_PI * (float)st / SPHERE_STACKS;
                    for (int sl = 0; sl <= SPHERE_SLICES; sl++, v++) {
                        float th = 2 * (float)M_PI * (float)sl / SPHERE_SLICES;
                        float u[3] = {sinf(phi) * cosf(th), sinf(phi) * sinf(th), cosf(phi)};
                        view_mat4_point(m, u, pv + 3 * v);
                        float *nv = nrm + ((size_t)i * verts_per + v) * 3;
                        view_mat4_dir(inv_t, u, nv);
                        v3_normalize(nv);
                    }
                }
                uint32_t k = 0;
                for (uint32_t st = 0; st < SPHERE_STACKS; st++)
                    for (uint32_t sl = 0; sl < SPHERE_SLICES; sl++) {
                        uint32_t a = i * verts_per + st * (SPHERE_SLICES + 1) + sl;
                        uint32_t b = a + SPHERE_SLICES + 1;
                        uint32_t *t = idx + i * idx_per + k;
                        t[0] = a, t[1] = b, t[2] = a + 1, t[3] = a + 1, t[4] = b, t[5] = b + 1;
                        k += 6;
                    }
            }
            for (uint32_t v = 0; v < verts_per; v++)
                vc[i * verts_per + v] = color;
            float center[3] = {0, 0, 0};
            view_mat4_point(m, center, anchors + 3 * i);
        }
        reel_draw_mesh mesh = {.positions = pos,
                               .normals = nrm,
                               .vertex_colors = vc,
                               .n_vertices = n * verts_per,
                               .indices = idx,
                               .n_indices = n * idx_per,
                               .color = 0xffffffffu,
                               .lit = true,
                               .pick = view_pick_id(p->entity_index, 0),
                               .highlight = p->highlight};
        memcpy(mesh.transform, p->transform, sizeof mesh.transform);
        view_scene_add_mesh(p->s, &mesh, p->entity_index);
    } else {
        uint32_t strips_per = ellipsoids ? (fill == REEL_FillMode_DenseWireframe ? 9 : 3) : 6;
        uint32_t verts_per = ellipsoids ? strips_per * (RING_SEGMENTS + 1) : 18;
        float *pos = view_alloc(p->ctx, (size_t)n * verts_per, 3 * sizeof(float));
        uint32_t *offsets = view_alloc(p->ctx, (size_t)n * strips_per + 1, sizeof(uint32_t));
        uint32_t *sc = view_alloc(p->ctx, (size_t)n * strips_per, sizeof(uint32_t));
        if (!pos || !offsets || !sc)
            return;
        offsets[0] = 0;
        for (uint32_t i = 0; i < n; i++) {
            float m[16];
            instance_matrix(p, arch, i, half + 3 * i, m);
            float *pv = pos + (size_t)i * verts_per * 3;
            if (!ellipsoids) {
                for (int k = 0; k < 18; k++)
                    view_mat4_point(m, CUBE[CUBE_STRIPS[k]], pv + 3 * k);
                for (int k = 0; k < 6; k++)
                    offsets[i * 6 + (uint32_t)k + 1] = i * 18 + CUBE_STRIP_OFFSETS[k + 1];
            } else {
                /* Rings around each axis (dense: also at ±45° latitudes of each). */
                uint32_t v = 0;
                for (uint32_t ring = 0; ring < strips_per; ring++) {
                    int axis = (int)(ring % 3);
                    float lat = ring < 3 ? 0 : (ring < 6 ? 0.7071f : -0.7071f);
                    float rad = sqrtf(1 - lat * lat);
                    for (int seg = 0; seg <= RING_SEGMENTS; seg++, v++) {
                        float a = 2 * (float)M_PI * (float)seg / RING_SEGMENTS;
                        float u[3];
                        u[axis] = lat;
                        u[(axis + 1) % 3] = rad * cosf(a);
                        u[(axis + 2) % 3] = rad * sinf(a);
                        view_mat4_point(m, u, pv + 3 * v);
                    }
                    offsets[i * strips_per + ring + 1] = i * verts_per + v;
                }
            }
            for (uint32_t k = 0; k < strips_per; k++)
                sc[i * strips_per + k] = colors[i < n_colors ? i : n_colors - 1];
            float center[3] = {0, 0, 0};
            view_mat4_point(m, center, anchors + 3 * i);
        }
        reel_draw_lines l = {.positions = pos,
                             .strip_offsets = offsets,
                             .n_strips = n * strips_per,
                             .colors = sc,
                             .n_colors = n * strips_per,
                             .pick = view_pick_id(p->entity_index, strips_per),
                             .highlight = p->highlight};
        uint32_t n_radii = 0;
        const float *r =
            radii(p, arch, ellipsoids ? "line_radii" : "radii", &OUTLINE_RADIUS, &n_radii);
        if (n_radii > 1) { /* per instance: repeat for its strips */
            float *rs = view_alloc(p->ctx, (size_t)n * strips_per, sizeof(float));
            if (rs == NULL)
                return;
            for (uint32_t i = 0; i < n * strips_per; i++) {
                uint32_t inst = i / strips_per;
                rs[i] = r[inst < n_radii ? inst : n_radii - 1];
            }
            l.radii = rs, l.n_radii = n * strips_per;
        } else {
            l.radii = r, l.n_radii = 1;
        }
        memcpy(l.transform, p->transform, sizeof l.transform);
        view_scene_add_lines(p->s, &l, p->entity_index);
    }
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, arch, &n_ids);
    view_collect_labels(p->s, &p->s->labels, p->entity, arch, anchors, 3, n, p->transform, colors,
                        n_colors, &p->ann, ids, n_ids);
}

#define CONE_SEGMENTS 12

static void arrows3d(p3 *p)
{
    view_cell cell, co;
    uint32_t n = 0, n_origins = 0;
    const float *vec = view_query_c(p->ctx, p->entity, VIEW_C_ARROWS3D, &cell)
                           ? view_cell_f32(&cell, 3, &n)
                           : NULL;
    if (vec == NULL || n == 0)
        return;
    const float *origins = view_query(p->ctx, p->entity, "Arrows3D:origins", &co)
                               ? view_cell_f32(&co, 3, &n_origins)
                               : NULL;
    uint32_t n_radii = 0, n_colors = 0;
    const float *r = radii(p, "Arrows3D", "radii", &POINT_RADIUS, &n_radii);
    uint32_t *colors =
        view_colors(p->ctx, p->entity, "Arrows3D", n, p->fallback, &p->ann, &n_colors);
    float *shaft = view_alloc(p->ctx, (size_t)n * 2, 3 * sizeof(float));
    uint32_t *offsets = view_alloc(p->ctx, (size_t)n + 1, sizeof(uint32_t));
    uint32_t verts_per = CONE_SEGMENTS + 2;
    float *cone = view_alloc(p->ctx, (size_t)n * verts_per, 3 * sizeof(float));
    uint32_t *cone_colors = view_alloc(p->ctx, (size_t)n * verts_per, sizeof(uint32_t));
    uint32_t *cone_idx = view_alloc(p->ctx, (size_t)n * CONE_SEGMENTS * 6, sizeof(uint32_t));
    float *anchors = view_alloc(p->ctx, n, 3 * sizeof(float));
    if (!colors || !shaft || !offsets || !cone || !cone_colors || !cone_idx || !anchors)
        return;
    offsets[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        float o[3] = {0, 0, 0};
        if (origins && n_origins)
            memcpy(o, origins + 3 * (i < n_origins ? i : n_origins - 1), sizeof o);
        const float *v = vec + 3 * i;
        float len = v3_len(v);
        float radius = r[i < n_radii ? i : n_radii - 1];
        float head = radius > 0 ? 6 * radius : 0.15f * len;
        if (head > 0.5f * len)
            head = 0.5f * len;
        float width = radius > 0 ? 3 * radius : 0.4f * head;
        float u[3] = {0, 0, 1};
        if (len > 0)
            v3_scale(u, v, 1.0f / len);
        float tip[3], base[3];
        v3_add(tip, o, v);
        float back[3];
        v3_scale(back, u, -head);
        v3_add(base, tip, back);
        memcpy(shaft + 6 * i, o, sizeof o);
        memcpy(shaft + 6 * i + 3, base, sizeof base);
        offsets[i + 1] = (i + 1) * 2;
        /* Cone: base ring, tip, base centre. */
        float side[3], other[3],
            ref[3] = {fabsf(u[0]) < 0.9f ? 1.0f : 0.0f, fabsf(u[0]) < 0.9f ? 0.0f : 1.0f, 0};
        v3_cross(side, u, ref);
        v3_normalize(side);
        v3_cross(other, u, side);
        float *cv = cone + (size_t)i * verts_per * 3;
        for (int s = 0; s < CONE_SEGMENTS; s++) {
            float a = 2 * (float)M_PI * (float)s / CONE_SEGMENTS;
            for (int k = 0; k < 3; k++)
                cv[3 * s + k] = base[k] + width * (cosf(a) * side[k] + sinf(a) * other[k]);
        }
        memcpy(cv + 3 * CONE_SEGMENTS, tip, sizeof tip);
        memcpy(cv + 3 * (CONE_SEGMENTS + 1), base, sizeof base);
        uint32_t first = i * verts_per;
        for (uint32_t s = 0; s < CONE_SEGMENTS; s++) {
            uint32_t *t = cone_idx + ((size_t)i * CONE_SEGMENTS + s) * 6;
            uint32_t a = first + s, b = first + (s + 1) % CONE_SEGMENTS;
            t[0] = a, t[1] = b, t[2] = first + CONE_SEGMENTS;
            t[3] = b, t[4] = a, t[5] = first + CONE_SEGMENTS + 1;
        }
        uint32_t color = colors[i < n_colors ? i : n_colors - 1];
        for (uint32_t k = 0; k < verts_per; k++)
            cone_colors[first + k] = color;
        float mid[3];
        v3_scale(mid, v, 0.5f);
        v3_add(anchors + 3 * i, o, mid);
    }
    reel_draw_lines l = {.positions = shaft,
                         .strip_offsets = offsets,
                         .n_strips = n,
                         .colors = colors,
                         .n_colors = n_colors,
                         .radii = r,
                         .n_radii = n_radii,
                         .pick = view_pick_id(p->entity_index, 1),
                         .highlight = p->highlight};
    memcpy(l.transform, p->transform, sizeof l.transform);
    view_scene_add_lines(p->s, &l, p->entity_index);
    reel_draw_mesh mesh = {.positions = cone,
                           .vertex_colors = cone_colors,
                           .n_vertices = n * verts_per,
                           .indices = cone_idx,
                           .n_indices = n * CONE_SEGMENTS * 6,
                           .color = 0xffffffffu,
                           .pick = view_pick_id(p->entity_index, 0),
                           .highlight = p->highlight};
    memcpy(mesh.transform, p->transform, sizeof mesh.transform);
    view_scene_add_mesh(p->s, &mesh, p->entity_index);
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "Arrows3D", &n_ids);
    view_collect_labels(p->s, &p->s->labels, p->entity, "Arrows3D", anchors, 3, n, p->transform,
                        colors, n_colors, &p->ann, ids, n_ids);
}

static void mesh3d(p3 *p)
{
    view_cell cell;
    uint32_t n = 0;
    const float *pos =
        view_query_c(p->ctx, p->entity, VIEW_C_MESH3D, &cell) ? view_cell_f32(&cell, 3, &n) : NULL;
    if (pos == NULL || n == 0)
        return;
    reel_draw_mesh mesh = {.positions = pos,
                           .n_vertices = n,
                           .color = 0xffffffffu,
                           .pick = view_pick_id(p->entity_index, 0),
                           .highlight = p->highlight};
    uint32_t k = 0;
    view_cell c;
    const float *normals = view_query(p->ctx, p->entity, "Mesh3D:vertex_normals", &c)
                               ? view_cell_f32(&c, 3, &k)
                               : NULL;
    if (normals && k == n) {
        mesh.normals = normals;
        mesh.lit = true;
    }
    const uint32_t *idx = view_query(p->ctx, p->entity, "Mesh3D:triangle_indices", &c)
                              ? view_cell_u32(&c, 3, &k)
                              : NULL;
    if (idx && k) {
        for (uint32_t i = 0; i < k * 3; i++)
            if (idx[i] >= n)
                return; /* out-of-range index: bad data, draw nothing rather than read past */
        mesh.indices = idx;
        mesh.n_indices = k * 3;
    } else {
        mesh.n_vertices = n - n % 3;
    }
    const uint32_t *vc =
        view_query(p->ctx, p->entity, "Mesh3D:vertex_colors", &c) ? view_cell_u32(&c, 1, &k) : NULL;
    if (vc && k) {
        uint32_t *colors = view_alloc(p->ctx, n, sizeof(uint32_t));
        if (colors == NULL)
            return;
        for (uint32_t i = 0; i < n; i++)
            colors[i] = view_color_from_rerun(vc[i < k ? i : k - 1]);
        mesh.vertex_colors = colors;
    } else {
        const uint32_t *albedo = view_query(p->ctx, p->entity, "Mesh3D:albedo_factor", &c)
                                     ? view_cell_u32(&c, 1, &k)
                                     : NULL;
        if (albedo && k)
            mesh.color = view_color_from_rerun(albedo[0]);
    }
    memcpy(mesh.transform, p->transform, sizeof mesh.transform);
    view_scene_add_mesh(p->s, &mesh, p->entity_index);
}

static void axes3d(p3 *p)
{
    view_cell cell;
    uint32_t n = 0;
    const float *len =
        view_query_c(p->ctx, p->entity, VIEW_C_AXES3D, &cell) ? view_cell_f32(&cell, 1, &n) : NULL;
    float length = len && n ? len[0] : NAN;
    if (!(length > 0))
        return;
    float *pos = view_alloc(p->ctx, 6, 3 * sizeof(float));
    static const uint32_t OFFSETS[4] = {0, 2, 4, 6};
    static const uint32_t COLORS[3] = {REEL_RGBA(0xff, 0x69, 0x81, 255),
                                       REEL_RGBA(0x00, 0xb2, 0x66, 255),
                                       REEL_RGBA(0x7a, 0x95, 0xff, 255)};
    if (pos == NULL)
        return;
    memset(pos, 0, 18 * sizeof(float));
    pos[3] = length, pos[10] = length, pos[17] = length;
    reel_draw_lines l = {.positions = pos,
                         .strip_offsets = OFFSETS,
                         .n_strips = 3,
                         .colors = COLORS,
                         .n_colors = 3,
                         .radii = &AXIS_RADIUS,
                         .n_radii = 1,
                         .pick = view_pick_id(p->entity_index, 0),
                         .highlight = p->highlight};
    memcpy(l.transform, p->transform, sizeof l.transform);
    view_scene_add_lines(p->s, &l, p->entity_index);
}

void view_add_3d_primitives(view_scene *s, uint32_t entity, uint32_t entity_index,
                            const float transform[16])
{
    p3 p = {.s = s,
            .ctx = s->ctx,
            .entity = entity,
            .entity_index = entity_index,
            .transform = transform};
    p.path = reel_store_entity_path(s->ctx->store, entity);
    p.highlight = view_highlight(s->ctx->in, p.path);
    p.fallback = reel_view_auto_color_path(p.path);
    view_annotations_find(s->ctx, entity, &p.ann);
    points3d(&p);
    strips3d(&p);
    boxes_or_ellipsoids(&p, false);
    boxes_or_ellipsoids(&p, true);
    arrows3d(&p);
    mesh3d(&p);
    axes3d(&p);
}
