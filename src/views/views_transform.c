/* The transform hierarchy of a spatial view (Rerun's implicit frame per entity path): each
 * entity's Transform3D places it (and its subtree) in its parent, and everything is expressed
 * relative to the view's space origin. Below a Pinhole the content is 2D, on the camera's
 * image plane; callers get the pinhole's frame and place it there themselves. Also reads
 * Pinhole, ViewCoordinates and InstancePoses3D. Entity frames are memoised per frame. */
#include "views/views_internal.h"
#include "views/views_spatial.h"

/* Rotation part of a ViewCoordinates: rows map (right, down, forward) semantics to axes. */
bool view_coordinates_matrix(const uint8_t dirs[3], float entity_from_rdf[16])
{
    reel_mat4_identity(entity_from_rdf);
    bool used[3] = {false, false, false};
    for (int axis = 0; axis < 3; axis++) {
        int semantic = -1; /* 0 right, 1 down, 2 forward */
        float sign = 1;
        switch (dirs[axis]) {
        case REEL_ViewDir_Right:
            semantic = 0;
            break;
        case REEL_ViewDir_Left:
            semantic = 0, sign = -1;
            break;
        case REEL_ViewDir_Down:
            semantic = 1;
            break;
        case REEL_ViewDir_Up:
            semantic = 1, sign = -1;
            break;
        case REEL_ViewDir_Forward:
            semantic = 2;
            break;
        case REEL_ViewDir_Back:
            semantic = 2, sign = -1;
            break;
        default:
            return false;
        }
        if (used[semantic])
            return false;
        used[semantic] = true;
        for (int c = 0; c < 3; c++)
            entity_from_rdf[c * 4 + axis] = c == semantic ? sign : 0;
    }
    return true;
}

bool view_local_transform(view_ctx *ctx, uint32_t entity, float out[16])
{
    reel_mat4_identity(out);
    bool any = false;
    view_cell cell;
    uint32_t n = 0;
    float m[16];
    /* Applied in reverse order of listing: mat3x3, scale, rotation, translation. */
    const float *t =
        view_query_c(ctx, entity, VIEW_C_TRANSLATION, &cell) ? view_cell_f32(&cell, 3, &n) : NULL;
    if (t && n) {
        view_mat4_translation(m, t[0], t[1], t[2]);
        reel_mat4_mul(out, out, m);
        any = true;
    }
    const float *q =
        view_query_c(ctx, entity, VIEW_C_QUATERNION, &cell) ? view_cell_f32(&cell, 4, &n) : NULL;
    if (q && n) {
        view_mat4_from_quat(m, q);
        reel_mat4_mul(out, out, m);
        any = true;
    }
    float axis[3], angle;
    if (view_query_c(ctx, entity, VIEW_C_AXIS_ANGLE, &cell) &&
        view_read_axis_angle(&cell, 0, axis, &angle)) {
        view_mat4_from_axis_angle(m, axis, angle);
        reel_mat4_mul(out, out, m);
        any = true;
    }
    const float *s =
        view_query_c(ctx, entity, VIEW_C_SCALE, &cell) ? view_cell_f32(&cell, 3, &n) : NULL;
    if (s && n) {
        reel_mat4_identity(m);
        m[0] = s[0], m[5] = s[1], m[10] = s[2];
        reel_mat4_mul(out, out, m);
        any = true;
    }
    const float *m3 =
        view_query_c(ctx, entity, VIEW_C_MAT3X3, &cell) ? view_cell_f32(&cell, 9, &n) : NULL;
    if (m3 && n) {
        reel_mat4_identity(m);
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 3; r++)
                m[c * 4 + r] = m3[c * 3 + r]; /* column-major, as Rerun stores it */
        reel_mat4_mul(out, out, m);
        any = true;
    }
    uint32_t n_rel = 0;
    const uint8_t *rel = any && view_query_c(ctx, entity, VIEW_C_RELATION, &cell)
                             ? view_cell_u8(&cell, 1, &n_rel)
                             : NULL;
    if (rel && n_rel && rel[0] == REEL_TransformRelation_ChildFromParent) {
        float inv[16];
        if (reel_mat4_invert(inv, out))
            memcpy(out, inv, sizeof inv);
    }
    return any;
}

bool view_read_axis_angle(const view_cell *cell, uint32_t i, float axis[3], float *angle)
{
    const reel_arrow_field *f = cell->field;
    if (f == NULL || f->type != REEL_ARROW_STRUCT || i >= view_cell_len(cell) ||
        cell->array->n_children != f->n_children)
        return false;
    int32_t ia = -1, ian = -1;
    for (int32_t c = 0; c < f->n_children; c++) {
        if (f->children[c].name && strcmp(f->children[c].name, "axis") == 0)
            ia = c;
        if (f->children[c].name && strcmp(f->children[c].name, "angle") == 0)
            ian = c;
    }
    if (ia < 0 || ian < 0 || f->children[ian].type != REEL_ARROW_FLOAT32)
        return false;
    int64_t k = cell->array->offset + cell->start + i;
    /* Struct children are indexed by the struct's logical index plus its offset. */
    view_cell axis_cell = {
        .field = &f->children[ia], .array = &cell->array->children[ia], .start = k, .end = k + 1};
    uint32_t n = 0;
    const float *a = view_cell_f32(&axis_cell, 3, &n);
    if (a == NULL || n != 1)
        return false;
    memcpy(axis, a, 3 * sizeof(float));
    *angle = (float)reel_arrow_array_get_double(&f->children[ian], &cell->array->children[ian], k);
    return true;
}

bool view_pinhole_read(view_ctx *ctx, uint32_t entity, view_pinhole *out)
{
    memset(out, 0, sizeof *out);
    view_cell cell;
    uint32_t n = 0;
    const float *k = view_query(ctx, entity, "Pinhole:image_from_camera", &cell)
                         ? view_cell_f32(&cell, 9, &n)
                         : NULL;
    if (k == NULL || n == 0)
        return false;
    memcpy(out->k, k, sizeof out->k);
    if (!(out->k[0] != 0 && out->k[4] != 0))
        return false;
    const float *res =
        view_query(ctx, entity, "Pinhole:resolution", &cell) ? view_cell_f32(&cell, 2, &n) : NULL;
    if (res && n && res[0] > 0 && res[1] > 0) {
        out->width = res[0], out->height = res[1];
    } else {
        out->width = 2 * out->k[6], out->height = 2 * out->k[7];
    }
    const uint8_t *xyz =
        view_query(ctx, entity, "Pinhole:camera_xyz", &cell) ? view_cell_u8(&cell, 3, &n) : NULL;
    uint8_t rdf[3] = {REEL_ViewDir_Right, REEL_ViewDir_Down, REEL_ViewDir_Forward};
    if (!(xyz && n && view_coordinates_matrix(xyz, out->entity_from_rdf)))
        view_coordinates_matrix(rdf, out->entity_from_rdf);
    out->image_plane_distance = view_query_f32(ctx, entity, "Pinhole:image_plane_distance", 0);
    view_cell color;
    uint32_t nc = 0;
    const uint32_t *c =
        view_query(ctx, entity, "Pinhole:color", &color) ? view_cell_u32(&color, 1, &nc) : NULL;
    out->color = c && nc ? view_color_from_rerun(c[0]) : REEL_RGBA(0x9f, 0x9f, 0x9f, 255);
    out->line_width = view_query_f32(ctx, entity, "Pinhole:line_width", -1.0f);
    return true;
}

void view_pinhole_plane(const view_pinhole *ph, float distance, float entity_from_image[16])
{
    float plane[16];
    reel_mat4_identity(plane);
    float sx = distance / ph->k[0], sy = distance / ph->k[4];
    plane[0] = sx, plane[5] = sy;
    plane[12] = -ph->k[6] * sx, plane[13] = -ph->k[7] * sy, plane[14] = distance;
    reel_mat4_mul(entity_from_image, ph->entity_from_rdf, plane);
}

/* ---------------------------------------------------------------- frames */

enum { FRAME_UNKNOWN = 0, FRAME_DONE = 1 };

bool view_frames_init(view_frames *f, view_ctx *ctx, uint32_t origin)
{
    memset(f, 0, sizeof *f);
    f->ctx = ctx;
    f->n = reel_store_entity_count(ctx->store);
    f->pinhole_component = reel_store_component_find(ctx->store, "Pinhole:image_from_camera");
    f->root_from = view_alloc(ctx, f->n ? f->n : 1, 16 * sizeof(float));
    f->state = view_alloc(ctx, f->n ? f->n : 1, 1);
    f->plane_of = view_alloc(ctx, f->n ? f->n : 1, sizeof(uint32_t));
    f->is_pinhole = view_alloc(ctx, f->n ? f->n : 1, 1);
    if (!f->root_from || !f->state || !f->plane_of || !f->is_pinhole)
        return false;
    memset(f->state, FRAME_UNKNOWN, f->n ? f->n : 1);
    reel_mat4_identity(f->origin_inv);
    f->origin = origin;
    if (origin != REEL_STORE_NO_ID && origin < f->n) {
        float root_from_origin[16];
        uint32_t plane = REEL_STORE_NO_ID;
        view_frames_root(f, origin, root_from_origin, &plane);
        if (!reel_mat4_invert(f->origin_inv, root_from_origin))
            reel_mat4_identity(f->origin_inv);
    }
    return true;
}

bool view_frames_is_pinhole(view_frames *f, uint32_t entity)
{
    float m[16];
    uint32_t plane;
    view_frames_root(f, entity, m, &plane);
    return entity < f->n && f->is_pinhole[entity];
}

void view_frames_root(view_frames *f, uint32_t entity, float out[16], uint32_t *plane_of)
{
    reel_mat4_identity(out);
    *plane_of = REEL_STORE_NO_ID;
    if (entity >= f->n)
        return;
    /* Walk up to the first known ancestor, then compute down again (no recursion). */
    uint32_t chain[256];
    uint32_t depth = 0;
    uint32_t e = entity;
    while (e != REEL_STORE_NO_ID && e < f->n && f->state[e] != FRAME_DONE && depth < 256) {
        chain[depth++] = e;
        e = reel_store_entity_parent(f->ctx->store, e);
    }
    while (depth > 0) {
        uint32_t cur = chain[--depth];
        uint32_t parent = reel_store_entity_parent(f->ctx->store, cur);
        float base[16];
        uint32_t parent_plane = REEL_STORE_NO_ID;
        bool parent_pinhole = false;
        if (parent != REEL_STORE_NO_ID && parent < f->n && f->state[parent] == FRAME_DONE) {
            memcpy(base, f->root_from[parent], sizeof base);
            parent_plane = f->plane_of[parent];
            parent_pinhole = f->is_pinhole[parent];
        } else {
            reel_mat4_identity(base);
        }
        view_cell cell;
        f->is_pinhole[cur] = !parent_pinhole && parent_plane == REEL_STORE_NO_ID &&
                             view_query_id(f->ctx, cur, f->pinhole_component, &cell);
        if (parent_pinhole || parent_plane != REEL_STORE_NO_ID) {
            /* 2D content: the frame of the pinhole whose image plane holds it. */
            f->plane_of[cur] = parent_pinhole ? parent : parent_plane;
            memcpy(f->root_from[cur], parent_pinhole ? base : f->root_from[f->plane_of[cur]],
                   sizeof base);
        } else {
            float local[16];
            f->plane_of[cur] = REEL_STORE_NO_ID;
            if (view_local_transform(f->ctx, cur, local))
                reel_mat4_mul(f->root_from[cur], base, local);
            else
                memcpy(f->root_from[cur], base, sizeof base);
        }
        f->state[cur] = FRAME_DONE;
    }
    if (f->state[entity] == FRAME_DONE) {
        memcpy(out, f->root_from[entity], 16 * sizeof(float));
        *plane_of = f->plane_of[entity];
    }
}

void view_frames_get(view_frames *f, uint32_t entity, float origin_from_entity[16],
                     uint32_t *plane_of)
{
    float root[16];
    view_frames_root(f, entity, root, plane_of);
    reel_mat4_mul(origin_from_entity, f->origin_inv, root);
}

uint32_t view_instance_poses(view_ctx *ctx, uint32_t entity, float (**poses)[16])
{
    static const view_component POSES[] = {VIEW_C_POSE_TRANSLATIONS, VIEW_C_POSE_QUATERNIONS,
                                           VIEW_C_POSE_AXIS_ANGLES, VIEW_C_POSE_SCALES,
                                           VIEW_C_POSE_MAT3X3};
    view_cell cells[5];
    bool has[5];
    uint32_t count = 0;
    for (int i = 0; i < 5; i++) {
        has[i] = view_query_c(ctx, entity, POSES[i], &cells[i]);
        if (has[i] && view_cell_len(&cells[i]) > count)
            count = view_cell_len(&cells[i]);
    }
    *poses = NULL;
    if (count == 0)
        return 0;
    float(*out)[16] = view_alloc(ctx, count, 16 * sizeof(float));
    if (out == NULL)
        return 0;
    for (uint32_t k = 0; k < count; k++) {
        float m[16], part[16];
        reel_mat4_identity(m);
        uint32_t n = 0;
        const float *t = has[0] ? view_cell_f32(&cells[0], 3, &n) : NULL;
        if (t && n) {
            uint32_t j = k < n ? k : n - 1;
            view_mat4_translation(part, t[3 * j], t[3 * j + 1], t[3 * j + 2]);
            reel_mat4_mul(m, m, part);
        }
        const float *q = has[1] ? view_cell_f32(&cells[1], 4, &n) : NULL;
        if (q && n) {
            view_mat4_from_quat(part, q + 4 * (k < n ? k : n - 1));
            reel_mat4_mul(m, m, part);
        }
        float axis[3], angle;
        if (has[2] &&
            view_read_axis_angle(&cells[2],
                                 k < view_cell_len(&cells[2]) ? k : view_cell_len(&cells[2]) - 1,
                                 axis, &angle)) {
            view_mat4_from_axis_angle(part, axis, angle);
            reel_mat4_mul(m, m, part);
        }
        const float *s = has[3] ? view_cell_f32(&cells[3], 3, &n) : NULL;
        if (s && n) {
            uint32_t j = k < n ? k : n - 1;
            reel_mat4_identity(part);
            part[0] = s[3 * j], part[5] = s[3 * j + 1], part[10] = s[3 * j + 2];
            reel_mat4_mul(m, m, part);
        }
        const float *m3 = has[4] ? view_cell_f32(&cells[4], 9, &n) : NULL;
        if (m3 && n) {
            uint32_t j = k < n ? k : n - 1;
            reel_mat4_identity(part);
            for (int c = 0; c < 3; c++)
                for (int r = 0; r < 3; r++)
                    part[c * 4 + r] = m3[9 * j + c * 3 + r];
            reel_mat4_mul(m, m, part);
        }
        memcpy(out[k], m, sizeof m);
    }
    *poses = out;
    return count;
}

bool view_coordinates_up(view_ctx *ctx, uint32_t entity, float up[3], float right[3], float fwd[3])
{
    v3_set(up, 0, 0, 1);
    v3_set(right, 1, 0, 0);
    v3_set(fwd, 0, 1, 0);
    uint32_t component = reel_store_component_find(ctx->store, "ViewCoordinates:xyz");
    for (uint32_t e = entity; e != REEL_STORE_NO_ID; e = reel_store_entity_parent(ctx->store, e)) {
        view_cell cell;
        uint32_t n = 0;
        const uint8_t *xyz =
            view_query_id(ctx, e, component, &cell) ? view_cell_u8(&cell, 3, &n) : NULL;
        if (xyz == NULL || n == 0)
            continue;
        float m[16];
        if (!view_coordinates_matrix(xyz, m))
            return false; /* degenerate: Rerun reports it and uses the default */
        /* Columns of entity_from_rdf: right, down, forward in entity coordinates. */
        v3_set(right, m[0], m[1], m[2]);
        v3_set(up, -m[4], -m[5], -m[6]);
        v3_cross(fwd, up, right);
        return true;
    }
    return false;
}
