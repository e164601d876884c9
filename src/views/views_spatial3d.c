/* The Spatial 3D view (viewer-behavior §2): every entity's 3D archetypes placed by the
 * transform hierarchy relative to the space origin, pinhole cameras as frustums with their
 * 2D content (images, points, lines) on the image plane, a multi-level grid on the plane
 * perpendicular to the scene's up axis, and Rerun's eye: recomputed from the region of
 * interest until the user moves it, orbit / pan / zoom / roll with the mouse, WASD with
 * keyboard focus, double-click to focus an entity or reset, tracking of a camera. Camera
 * transitions snap instead of interpolating, and the ROI is not smoothed over time, so a
 * frame depends only on its inputs. */
#include "views/views_spatial.h"

#define FOV_Y (55.0f * (float)M_PI / 180.0f)
#define NEAR_Z 0.01f
#define ROTATE_PER_POINT 0.004f
#define PAN_PER_POINT 0.001f
#define POINTS_PER_WHEEL_LINE 50.0f

static const float GRID_RADIUS = -0.5f;
static const float FRUSTUM_RADIUS_DEFAULT = -0.5f; /* 1 pt wide */

typedef struct eye_basis {
    float up[3], right[3], fwd[3];
} eye_basis;

/* §2.4: look at the ROI centre from behind-left-above, 1.5 half-diagonals away. */
static void default_eye(const view_bounds *roi, const eye_basis *b, float pos[3], float target[3],
                        float up[3])
{
    float radius = 1.0f;
    v3_set(target, 0, 0, 0);
    if (roi->valid) {
        float diag[3];
        v3_sub(diag, roi->max, roi->min);
        for (int k = 0; k < 3; k++)
            target[k] = (roi->min[k] + roi->max[k]) * 0.5f;
        float half = v3_len(diag) * 0.5f;
        if (half > 0 && isfinite(half))
            radius = 1.5f * half;
    }
    if (radius < 0.02f)
        radius = 0.02f;
    float d[3];
    for (int k = 0; k < 3; k++)
        d[k] = 0.75f * b->fwd[k] + 0.25f * b->right[k] - 0.25f * b->up[k];
    v3_normalize(d);
    for (int k = 0; k < 3; k++)
        pos[k] = target[k] - radius * d[k];
    memcpy(up, b->up, 3 * sizeof(float));
}

static float bounds_diagonal(const view_bounds *b)
{
    if (!b->valid)
        return 0;
    float d[3];
    v3_sub(d, b->max, b->min);
    float l = v3_len(d);
    return isfinite(l) ? l : 0;
}

/* Rotates v around a unit axis by angle (Rodrigues). */
static void rotate_around(float v[3], const float axis[3], float angle)
{
    float c = cosf(angle), s = sinf(angle), cr[3];
    v3_cross(cr, axis, v);
    float d = v3_dot(axis, v);
    for (int k = 0; k < 3; k++)
        v[k] = v[k] * c + cr[k] * s + axis[k] * d * (1 - c);
}

static void eye_rotate(reel_view_spatial3d_state *st, float dx_pt, float dy_pt)
{
    float *up = st->eye_up;
    bool orbital = st->eye_kind == REEL_VIEW_EYE_ORBITAL;
    float d[3]; /* from the pivot to the moving point */
    if (orbital)
        v3_sub(d, st->eye_position, st->eye_target);
    else
        v3_sub(d, st->eye_target, st->eye_position);
    float r = v3_len(d);
    if (!(r > 0))
        return;
    float u[3] = {up[0], up[1], up[2]};
    v3_normalize(u);
    float dn[3];
    v3_scale(dn, d, 1 / r);
    float elev = asinf(fmaxf(-1, fminf(1, v3_dot(dn, u))));
    float h[3];
    for (int k = 0; k < 3; k++)
        h[k] = dn[k] - u[k] * sinf(elev);
    if (v3_len(h) < 1e-6f)
        return;
    v3_normalize(h);
    float yaw = -dx_pt * ROTATE_PER_POINT;
    rotate_around(h, u, orbital ? yaw : yaw);
    float limit = 0.99f * (float)M_PI * 0.5f;
    float new_elev = elev + (orbital ? dy_pt : -dy_pt) * ROTATE_PER_POINT;
    new_elev = fmaxf(-limit, fminf(limit, new_elev));
    for (int k = 0; k < 3; k++)
        d[k] = r * (h[k] * cosf(new_elev) + u[k] * sinf(new_elev));
    if (orbital)
        v3_add(st->eye_position, st->eye_target, d);
    else
        v3_add(st->eye_target, st->eye_position, d);
}

static void eye_axes(const reel_view_spatial3d_state *st, float fwd[3], float right[3], float up[3])
{
    v3_sub(fwd, st->eye_target, st->eye_position);
    v3_normalize(fwd);
    v3_cross(right, fwd, st->eye_up);
    v3_normalize(right);
    v3_cross(up, right, fwd);
}

static float eye_speed(const reel_view_spatial3d_state *st, float roi_diag)
{
    if (st->eye_kind == REEL_VIEW_EYE_ORBITAL) {
        float d[3];
        v3_sub(d, st->eye_position, st->eye_target);
        return v3_len(d);
    }
    float s = 0.1f * roi_diag;
    return s < 0.01f ? 0.01f : s;
}

typedef struct frame3d {
    view_ctx ctx;
    view_scene scene;
    view_frames frames;
    uint32_t *ids; /* store ids of the view's entities */
    eye_basis basis;
    view_bounds roi;
    float roi_diag;
    float plane_distance; /* image-plane fallback */
} frame3d;

/* Interaction on the view rectangle: changes the eye in `st`. */
static void handle_input(frame3d *f, reel_view_spatial3d_state *st, reel_view_output *out)
{
    const reel_view_input *in = f->ctx.in;
    if (in->ui == NULL)
        return;
    reel_ui_id id = reel_ui_make_id_int(in->ui, (int64_t)(in->view_id ^ 0x3d3d3dull));
    reel_ui_response r = reel_ui_interact(in->ui, in->rect, id,
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG |
                                              REEL_UI_SENSE_FOCUS | REEL_UI_SENSE_APP);
    out->response = r;
    const reel_input *input = reel_ui_input(in->ui);
    float scale = f->ctx.scale;
    double now = input ? input->time_secs : 0;
    double dt = st->last_time_secs > 0 ? now - st->last_time_secs : 0;
    if (dt < 0)
        dt = 0;
    if (dt > 0.1)
        dt = 0.1;
    st->last_time_secs = now;
    st->has_focus = r.focused;
    bool changed = false;
    unsigned mods = input ? input->modifiers : 0;
    float speed_mod = (mods & REEL_MOD_SHIFT)                   ? 10.0f
                      : (mods & (REEL_MOD_ALT | REEL_MOD_CTRL)) ? 0.1f
                                                                : 1.0f;
    float fwd[3], right[3], up[3];
    if (r.dragging && (r.drag_dx != 0 || r.drag_dy != 0)) {
        float dx = r.drag_dx / scale, dy = r.drag_dy / scale;
        if (r.button == REEL_MOUSE_LEFT && !(mods & REEL_MOD_ALT)) {
            eye_rotate(st, dx, dy);
        } else if (r.button == REEL_MOUSE_RIGHT) {
            eye_axes(st, fwd, right, up);
            float k = PAN_PER_POINT * eye_speed(st, f->roi_diag) * speed_mod;
            for (int i = 0; i < 3; i++) {
                float delta = (-dx * right[i] + dy * up[i]) * k;
                st->eye_position[i] += delta, st->eye_target[i] += delta;
            }
        } else { /* middle, or Alt + left: roll */
            eye_axes(st, fwd, right, up);
            rotate_around(st->eye_up, fwd, dx * ROTATE_PER_POINT);
        }
        changed = true;
    }
    if (r.hovered && input && (input->wheel_y != 0 || input->wheel_x != 0)) {
        float factor = expf((input->wheel_x + input->wheel_y) * POINTS_PER_WHEEL_LINE / 200.0f);
        if (st->eye_kind == REEL_VIEW_EYE_ORBITAL) {
            float d[3];
            v3_sub(d, st->eye_position, st->eye_target);
            float radius = v3_len(d);
            float max_r = fmaxf(5 * f->roi_diag, radius);
            float nr = fmaxf(0.02f, fminf(max_r, radius / factor));
            if (radius > 0) {
                v3_scale(d, d, nr / radius);
                v3_add(st->eye_position, st->eye_target, d);
            }
        } else {
            eye_axes(st, fwd, right, up);
            float step = (factor - 1) * eye_speed(st, f->roi_diag);
            for (int i = 0; i < 3; i++)
                st->eye_position[i] += fwd[i] * step, st->eye_target[i] += fwd[i] * step;
        }
        changed = true;
    }
    if (r.focused && input) {
        float move[3] = {0, 0, 0};
        eye_axes(st, fwd, right, up);
        const bool *k = input->key_down;
        float axes[3] = {(k[REEL_KEY_D] ? 1.0f : 0.0f) - (k[REEL_KEY_A] ? 1.0f : 0.0f),
                         (k[REEL_KEY_E] ? 1.0f : 0.0f) - (k[REEL_KEY_Q] ? 1.0f : 0.0f),
                         (k[REEL_KEY_W] ? 1.0f : 0.0f) - (k[REEL_KEY_S] ? 1.0f : 0.0f)};
        for (int i = 0; i < 3; i++)
            move[i] = right[i] * axes[0] + st->eye_up[i] * axes[1] + fwd[i] * axes[2];
        if (axes[0] != 0 || axes[1] != 0 || axes[2] != 0) {
            float step = eye_speed(st, f->roi_diag) * speed_mod * (float)dt;
            for (int i = 0; i < 3; i++) {
                st->eye_position[i] += move[i] * step;
                st->eye_target[i] += move[i] * step;
                st->velocity[i] = move[i] * step / (float)(dt > 0 ? dt : 1);
            }
            changed = true;
            out->wants_repaint = true;
        } else {
            v3_set(st->velocity, 0, 0, 0);
        }
    }
    if (r.hovered && input && input->key_pressed[REEL_KEY_ESCAPE] && st->tracked_entity[0]) {
        st->tracked_entity[0] = 0;
        out->state_changed = true;
    }
    if (changed) {
        st->eye_set = true;
        out->state_changed = true;
    }
}

/* The pick under the pointer as an item of this view. */
static bool picked(const reel_view_input *in, uint32_t *entity_index, int64_t *instance)
{
    if (!in->pick.hit || (in->pick.pick >> 8) == 0)
        return false;
    uint32_t index = (in->pick.pick >> 8) - 1;
    uint32_t per = in->pick.pick & 0xff;
    if (index >= in->n_entities)
        return false;
    *entity_index = index;
    *instance = per == 0 ? -1 : (int64_t)(in->pick.instance / per);
    return true;
}

/* Frustum and axes of a pinhole camera (§2.10). */
static void add_pinhole(frame3d *f, uint32_t entity, uint32_t entity_index,
                        const float origin_from_entity[16], const view_pinhole *ph)
{
    view_ctx *ctx = &f->ctx;
    float d = ph->image_plane_distance > 0 ? ph->image_plane_distance : f->plane_distance;
    float w = ph->width, h = ph->height;
    float m[16];
    reel_mat4_mul(m, origin_from_entity, ph->entity_from_rdf);
    /* Image corners unprojected at depth d, in the camera's RDF frame. */
    float fx = ph->k[0], fy = ph->k[4], cx = ph->k[6], cy = ph->k[7];
    float c[4][3];
    const float img[4][2] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    for (int i = 0; i < 4; i++)
        v3_set(c[i], (img[i][0] - cx) * d / fx, (img[i][1] - cy) * d / fy, d);
    float apex[3] = {0, 0, 0};
    float *pos = view_alloc(ctx, 9 + 2 + 3, 3 * sizeof(float));
    uint32_t *offsets = view_alloc(ctx, 4, sizeof(uint32_t));
    if (pos == NULL || offsets == NULL)
        return;
    const float *strip[9] = {c[0], c[1], apex, c[2], c[3], apex, c[0], c[3], apex};
    for (int i = 0; i < 9; i++)
        memcpy(pos + 3 * i, strip[i], 3 * sizeof(float));
    memcpy(pos + 27, c[1], 3 * sizeof(float));
    memcpy(pos + 30, c[2], 3 * sizeof(float));
    const float tri[3][2] = {{0.4f * w, 0}, {0.5f * w, -0.1f * w}, {0.6f * w, 0}};
    for (int i = 0; i < 3; i++)
        v3_set(pos + 33 + 3 * i, (tri[i][0] - cx) * d / fx, (tri[i][1] - cy) * d / fy, d);
    offsets[0] = 0, offsets[1] = 9, offsets[2] = 11, offsets[3] = 14;
    uint32_t *color = view_alloc(ctx, 1, sizeof(uint32_t));
    float *radius = view_alloc(ctx, 1, sizeof(float));
    if (color == NULL || radius == NULL)
        return;
    *color = ph->color;
    *radius = ph->line_width < 0 ? ph->line_width * 0.5f : ph->line_width;
    if (*radius == 0)
        *radius = FRUSTUM_RADIUS_DEFAULT;
    const char *path = reel_store_entity_path(ctx->store, entity);
    reel_draw_lines l = {.positions = pos,
                         .strip_offsets = offsets,
                         .n_strips = 3,
                         .colors = color,
                         .n_colors = 1,
                         .radii = radius,
                         .n_radii = 1,
                         .pick = view_pick_id(entity_index, 0),
                         .highlight = view_highlight(ctx->in, path)};
    memcpy(l.transform, m, sizeof l.transform);
    view_scene_add_lines(&f->scene, &l, UINT32_MAX);
    /* Cameras get axes: 0.5 × the image-plane distance. */
    float *axes = view_alloc(ctx, 6, 3 * sizeof(float));
    static const uint32_t AXIS_OFFSETS[4] = {0, 2, 4, 6};
    static const uint32_t AXIS_COLORS[3] = {REEL_RGBA(0xff, 0x69, 0x81, 255),
                                            REEL_RGBA(0x00, 0xb2, 0x66, 255),
                                            REEL_RGBA(0x7a, 0x95, 0xff, 255)};
    static const float AXIS_RADIUS = -0.5f;
    if (axes == NULL)
        return;
    memset(axes, 0, 18 * sizeof(float));
    axes[3] = axes[10] = axes[17] = 0.5f * d;
    reel_draw_lines a = {.positions = axes,
                         .strip_offsets = AXIS_OFFSETS,
                         .n_strips = 3,
                         .colors = AXIS_COLORS,
                         .n_colors = 3,
                         .radii = &AXIS_RADIUS,
                         .n_radii = 1,
                         .pick = view_pick_id(entity_index, 0)};
    memcpy(a.transform, origin_from_entity, sizeof a.transform);
    view_scene_add_lines(&f->scene, &a, UINT32_MAX);
    if (entity_index < f->scene.n_entities) {
        float p0[3];
        view_mat4_point(m, apex, p0);
        view_bounds_add(&f->scene.entity_bounds[entity_index], p0);
        for (int i = 0; i < 4; i++) {
            view_mat4_point(m, c[i], p0);
            view_bounds_add(&f->scene.entity_bounds[entity_index], p0);
        }
    }
}

/* A depth image under a pinhole as a point cloud (§2.10): each valid pixel back-projected
 * through the intrinsics at value / meter, coloured by the depth colormap, with a radius of
 * point_fill_ratio pixel footprints at its depth. */
static void add_depth_cloud(frame3d *f, uint32_t entity, uint32_t entity_index,
                            const float origin_from_pinhole[16])
{
    view_ctx *ctx = &f->ctx;
    view_image img;
    view_pinhole ph;
    uint32_t plane = f->frames.plane_of[entity];
    if (!view_image_read(ctx, entity, VIEW_IMAGE_DEPTH, &img) ||
        !view_pinhole_read(ctx, plane, &ph) || !(img.meter > 0))
        return;
    float fill = view_query_f32(ctx, entity, "DepthImage:point_fill_ratio", 1.0f);
    double lo = 0, hi = 0;
    if (img.has_range) {
        lo = img.range[0], hi = img.range[1];
    } else {
        for (int32_t y = 0; y < img.height; y++)
            for (int32_t x = 0; x < img.width; x++) {
                double v = view_image_value(&img, x, y, 0);
                hi = isfinite(v) && v > hi ? v : hi;
            }
    }
    if (!(hi > lo))
        hi = lo + 1;
    size_t n = (size_t)img.width * (size_t)img.height;
    float *pos = view_alloc(ctx, n, 3 * sizeof(float));
    uint32_t *colors = view_alloc(ctx, n, sizeof(uint32_t));
    float *radii = view_alloc(ctx, n, sizeof(float));
    if (pos == NULL || colors == NULL || radii == NULL)
        return;
    float fx = ph.k[0], fy = ph.k[4], cx = ph.k[6], cy = ph.k[7];
    uint32_t count = 0;
    for (int32_t y = 0; y < img.height; y++)
        for (int32_t x = 0; x < img.width; x++) {
            double v = view_image_value(&img, x, y, 0);
            if (!(v > 0) || !isfinite(v))
                continue;
            float z = (float)(v / img.meter);
            float *p = pos + 3 * count;
            p[0] = ((float)x + 0.5f - cx) * z / fx;
            p[1] = ((float)y + 0.5f - cy) * z / fy;
            p[2] = z;
            colors[count] = reel_view_colormap(img.colormap, (float)((v - lo) / (hi - lo)));
            radii[count] = fill * z / fabsf(fy);
            count++;
        }
    reel_draw_points pts = {
        .positions = pos,
        .count = count,
        .colors = colors,
        .n_colors = count,
        .radii = radii,
        .n_radii = count,
        .pick = view_pick_id(entity_index, 1),
        .highlight = view_highlight(ctx->in, reel_store_entity_path(ctx->store, entity))};
    reel_mat4_mul(pts.transform, origin_from_pinhole, ph.entity_from_rdf);
    view_scene_add_points(&f->scene, &pts, entity_index, true);
}

/* An image on a pinhole's image plane: a textured quad inside the frustum (depth images are
 * point clouds instead). */
static void add_plane_image(frame3d *f, reel_view_spatial3d_state *st, uint32_t entity,
                            uint32_t entity_index, const float plane_tf[16])
{
    static const view_image_kind KINDS[] = {VIEW_IMAGE_COLOR, VIEW_IMAGE_ENCODED,
                                            VIEW_IMAGE_SEGMENTATION};
    for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        view_image img;
        if (!view_image_read(&f->ctx, entity, KINDS[k], &img))
            continue;
        reel_draw_texture tex;
        if (!view_image_texture(&f->ctx, &st->textures, &img, entity, &tex))
            continue;
        uint32_t index = view_push_texture(&f->ctx, &tex);
        if (index == UINT32_MAX)
            continue;
        reel_draw_quad q = {.texture = index, .pick = view_pick_id(entity_index, 0)};
        float w = (float)img.width, h = (float)img.height;
        v3_set(q.corners[0], 0, 0, 0);
        v3_set(q.corners[1], w, 0, 0);
        v3_set(q.corners[2], w, h, 0);
        v3_set(q.corners[3], 0, h, 0);
        float opacity = img.opacity >= 0 ? img.opacity : 1.0f;
        q.tint = REEL_RGBA(255, 255, 255, (uint32_t)lroundf(fmaxf(0, fminf(1, opacity)) * 255));
        q.highlight = view_highlight(f->ctx.in, reel_store_entity_path(f->ctx.store, entity));
        memcpy(q.transform, plane_tf, sizeof q.transform);
        view_scene_add_quad(&f->scene, &q, img.draw_order, UINT32_MAX);
    }
}

/* §2.8: lines every 10^floor(level) spacing around the target, every 10th stronger. */
static void add_grid(frame3d *f, const reel_view_spatial3d_state *st)
{
    view_ctx *ctx = &f->ctx;
    float spacing = st->grid_spacing > 0 ? st->grid_spacing : 1.0f;
    const float *up = f->basis.up;
    float dist = fabsf(v3_dot(st->eye_position, up));
    if (!(dist > 0))
        dist = spacing;
    float level = fmaxf(log10f(dist / spacing) - 0.9f, 0.0f);
    float step = powf(10.0f, floorf(level)) * spacing;
    float fade = level - floorf(level);
    float u[3], v[3]; /* two axes spanning the plane */
    memcpy(u, f->basis.right, sizeof u);
    v3_cross(v, up, u);
    v3_normalize(u), v3_normalize(v);
    /* Centre: the target projected onto the plane, snapped to the coarse lines. */
    float coarse = step * 10;
    float cu = roundf(v3_dot(st->eye_target, u) / coarse) * coarse;
    float cv = roundf(v3_dot(st->eye_target, v) / coarse) * coarse;
    enum { HALF = 100 };
    uint32_t n_lines = 2 * (2 * HALF + 1);
    float *pos = view_alloc(ctx, (size_t)n_lines * 2, 3 * sizeof(float));
    uint32_t *offsets = view_alloc(ctx, n_lines + 1, sizeof(uint32_t));
    uint32_t *colors = view_alloc(ctx, n_lines, sizeof(uint32_t));
    if (pos == NULL || offsets == NULL || colors == NULL)
        return;
    uint32_t minor = REEL_RGBA(128, 128, 128, (uint32_t)lroundf(60 * (1 - fade)));
    uint32_t major = REEL_RGBA(128, 128, 128, 60);
    float extent = HALF * step;
    uint32_t line = 0;
    for (int dir = 0; dir < 2; dir++)
        for (int i = -HALF; i <= HALF; i++, line++) {
            float a = (dir == 0 ? cu : cv) + (float)i * step;
            float b0 = (dir == 0 ? cv : cu) - extent, b1 = (dir == 0 ? cv : cu) + extent;
            const float *ax = dir == 0 ? u : v, *bx = dir == 0 ? v : u;
            float *p0 = pos + line * 6, *p1 = p0 + 3;
            for (int k = 0; k < 3; k++) {
                p0[k] = ax[k] * a + bx[k] * b0;
                p1[k] = ax[k] * a + bx[k] * b1;
            }
            offsets[line] = line * 2;
            long index = lroundf(a / step);
            colors[line] = index % 10 == 0 ? major : minor;
        }
    offsets[n_lines] = n_lines * 2;
    reel_draw_lines l = {.positions = pos,
                         .strip_offsets = offsets,
                         .n_strips = n_lines,
                         .colors = colors,
                         .n_colors = n_lines,
                         .radii = &GRID_RADIUS,
                         .n_radii = 1};
    reel_mat4_identity(l.transform);
    view_scene_add_lines(&f->scene, &l, UINT32_MAX);
}

static void add_origin_axes(frame3d *f, bool axes, bool bbox)
{
    view_ctx *ctx = &f->ctx;
    static const float R = -0.5f;
    if (axes) {
        float *pos = view_alloc(ctx, 6, 3 * sizeof(float));
        static const uint32_t OFFSETS[4] = {0, 2, 4, 6};
        static const uint32_t COLORS[3] = {REEL_RGBA(0xff, 0x69, 0x81, 255),
                                           REEL_RGBA(0x00, 0xb2, 0x66, 255),
                                           REEL_RGBA(0x7a, 0x95, 0xff, 255)};
        if (pos) {
            memset(pos, 0, 18 * sizeof(float));
            pos[3] = pos[10] = pos[17] = 1.0f;
            reel_draw_lines l = {.positions = pos,
                                 .strip_offsets = OFFSETS,
                                 .n_strips = 3,
                                 .colors = COLORS,
                                 .n_colors = 3,
                                 .radii = &R,
                                 .n_radii = 1};
            reel_mat4_identity(l.transform);
            view_scene_add_lines(&f->scene, &l, UINT32_MAX);
        }
    }
    if (bbox && f->scene.bounds.valid) {
        float *pos = view_alloc(ctx, 18, 3 * sizeof(float));
        static const uint32_t OFFSETS[7] = {0, 5, 10, 12, 14, 16, 18};
        static const uint8_t IDX[18] = {0, 1, 2, 3, 0, 4, 5, 6, 7, 4, 0, 4, 1, 5, 2, 6, 3, 7};
        static const uint32_t COLOR = REEL_RGBA(255, 255, 255, 255);
        if (pos) {
            const view_bounds *b = &f->scene.bounds;
            for (int k = 0; k < 18; k++) {
                int c = IDX[k];
                float *p = pos + 3 * k;
                p[0] = (c & 1) ^ ((c >> 1) & 1) ? b->max[0] : b->min[0];
                p[1] = (c & 2) ? b->max[1] : b->min[1];
                p[2] = (c & 4) ? b->max[2] : b->min[2];
            }
            reel_draw_lines l = {.positions = pos,
                                 .strip_offsets = OFFSETS,
                                 .n_strips = 6,
                                 .colors = &COLOR,
                                 .n_colors = 1,
                                 .radii = &R,
                                 .n_radii = 1};
            reel_mat4_identity(l.transform);
            view_scene_add_lines(&f->scene, &l, UINT32_MAX);
        }
    }
}

/* Tracking: a pinhole gives the eye its pose and field of view; another entity its centre. */
static bool apply_tracking(frame3d *f, reel_view_spatial3d_state *st, float *fov)
{
    if (st->tracked_entity[0] == 0)
        return false;
    uint32_t e = reel_store_entity_find(f->ctx.store, st->tracked_entity);
    if (e == REEL_STORE_NO_ID)
        return false;
    float m[16];
    uint32_t plane = REEL_STORE_NO_ID;
    view_frames_get(&f->frames, e, m, &plane);
    view_pinhole ph;
    if (plane == REEL_STORE_NO_ID && view_pinhole_read(&f->ctx, e, &ph)) {
        float cam[16];
        reel_mat4_mul(cam, m, ph.entity_from_rdf);
        float zero[3] = {0, 0, 0}, fwd[3] = {0, 0, 1}, down[3] = {0, 1, 0};
        view_mat4_point(cam, zero, st->eye_position);
        view_mat4_dir(cam, fwd, fwd);
        view_mat4_dir(cam, down, down);
        v3_normalize(fwd);
        v3_add(st->eye_target, st->eye_position, fwd);
        v3_scale(st->eye_up, down, -1);
        v3_normalize(st->eye_up);
        if (ph.height > 0)
            *fov = 2 * atanf(ph.height * 0.5f / fabsf(ph.k[4]));
        return true;
    }
    for (uint32_t i = 0; i < f->ctx.in->n_entities; i++)
        if (f->ids[i] == e && f->scene.entity_bounds[i].valid) {
            const view_bounds *b = &f->scene.entity_bounds[i];
            float c[3], d[3];
            for (int k = 0; k < 3; k++)
                c[k] = (b->min[k] + b->max[k]) * 0.5f;
            v3_sub(d, c, st->eye_target);
            v3_add(st->eye_target, st->eye_target, d);
            v3_add(st->eye_position, st->eye_position, d);
            return true;
        }
    return false;
}

void reel_view_spatial3d_state_free(reel_view_spatial3d_state *state)
{
    if (state == NULL)
        return;
    view_texture_cache_free(state->textures);
    state->textures = NULL;
}

reel_status reel_view_spatial3d_draw(const reel_view_input *in, reel_view_spatial3d_state *st,
                                     reel_view_output *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    out->scene = -1;
    if (in == NULL || in->store == NULL || in->arena == NULL || st == NULL || in->scenes == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "spatial3d: missing input");
    frame3d f;
    memset(&f, 0, sizeof f);
    view_ctx_init(&f.ctx, in);
    view_texture_cache_frame(st->textures);
    uint32_t origin = reel_store_entity_find(in->store, in->origin ? in->origin : "/");
    f.ids = view_alloc(&f.ctx, in->n_entities ? in->n_entities : 1, sizeof(uint32_t));
    if (f.ids == NULL || !view_frames_init(&f.frames, &f.ctx, origin))
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "spatial3d: frame arena exhausted");
    for (uint32_t i = 0; i < in->n_entities; i++)
        f.ids[i] =
            in->entities[i] ? reel_store_entity_find(in->store, in->entities[i]) : REEL_STORE_NO_ID;
    view_scene_init(&f.scene, &f.ctx, in->n_entities);
    view_coordinates_up(&f.ctx, origin, f.basis.up, f.basis.right, f.basis.fwd);

    /* 1. 3D content (poses: one batch per instance pose). */
    for (uint32_t i = 0; i < in->n_entities; i++) {
        uint32_t e = f.ids[i];
        if (e == REEL_STORE_NO_ID)
            continue;
        float m[16];
        uint32_t plane = REEL_STORE_NO_ID;
        view_frames_get(&f.frames, e, m, &plane);
        if (plane != REEL_STORE_NO_ID) {
            add_depth_cloud(&f, e, i, m); /* the rest of 2D content: after the bounds */
            continue;
        }
        float(*poses)[16] = NULL;
        uint32_t n_poses = view_instance_poses(&f.ctx, e, &poses);
        if (n_poses == 0) {
            float *tf = view_alloc(&f.ctx, 16, sizeof(float));
            if (tf == NULL)
                continue;
            memcpy(tf, m, sizeof m);
            view_add_3d_primitives(&f.scene, e, i, tf);
        }
        for (uint32_t k = 0; k < n_poses; k++) {
            reel_mat4_mul(poses[k], m, poses[k]);
            view_add_3d_primitives(&f.scene, e, i, poses[k]);
        }
    }
    view_scene_roi(&f.scene, &f.roi);
    f.roi_diag = bounds_diagonal(&f.roi);
    float scene_diag = bounds_diagonal(&f.scene.bounds);
    f.plane_distance = scene_diag > 0 ? 0.02f * scene_diag : 0.3f;

    /* 2. Cameras and what lies on their image planes. */
    for (uint32_t i = 0; i < in->n_entities; i++) {
        uint32_t e = f.ids[i];
        if (e == REEL_STORE_NO_ID)
            continue;
        float m[16];
        uint32_t plane = REEL_STORE_NO_ID;
        view_frames_get(&f.frames, e, m, &plane);
        view_pinhole ph;
        if (plane == REEL_STORE_NO_ID) {
            if (e != origin && view_frames_is_pinhole(&f.frames, e) &&
                view_pinhole_read(&f.ctx, e, &ph))
                add_pinhole(&f, e, i, m, &ph);
            continue;
        }
        if (!view_pinhole_read(&f.ctx, plane, &ph))
            continue;
        float d = ph.image_plane_distance > 0 ? ph.image_plane_distance : f.plane_distance;
        float plane_from_image[16], tf[16];
        view_pinhole_plane(&ph, d, plane_from_image);
        reel_mat4_mul(tf, m, plane_from_image);
        float *tf_arena = view_alloc(&f.ctx, 16, sizeof(float));
        if (tf_arena == NULL)
            continue;
        memcpy(tf_arena, tf, sizeof tf);
        add_plane_image(&f, st, e, i, tf_arena);
        view_add_2d_primitives(&f.scene, e, i, tf_arena, NULL, NULL);
    }

    /* 3. The eye: default until the user moves it; input; tracking. */
    if (!st->eye_set) {
        default_eye(&f.roi, &f.basis, st->eye_position, st->eye_target, st->eye_up);
        st->eye_kind = st->eye_kind == REEL_VIEW_EYE_FIRST_PERSON ? REEL_VIEW_EYE_FIRST_PERSON
                                                                  : REEL_VIEW_EYE_ORBITAL;
    }
    for (int k = 0; k < 3; k++) {
        st->bounds_min[k] = f.scene.bounds.valid ? f.scene.bounds.min[k] : 0;
        st->bounds_max[k] = f.scene.bounds.valid ? f.scene.bounds.max[k] : 0;
    }
    handle_input(&f, st, out);
    float fov = FOV_Y;
    apply_tracking(&f, st, &fov);

    /* Hover and double-click from last frame's pick. */
    uint32_t hit_index = 0;
    int64_t hit_instance = -1;
    bool hit = out->response.hovered && picked(in, &hit_index, &hit_instance) &&
               f.ids[hit_index] != REEL_STORE_NO_ID;
    if (hit) {
        out->hovered = true;
        out->hover.entity_path = reel_store_entity_path(in->store, f.ids[hit_index]);
        out->hover.instance = hit_instance;
        out->clicked = out->response.clicked;
    }
    if (out->response.double_clicked) {
        out->double_clicked = true;
        const reel_input *input = in->ui ? reel_ui_input(in->ui) : NULL;
        if (hit && f.scene.entity_bounds[hit_index].valid) {
            view_pinhole ph;
            bool camera = view_pinhole_read(&f.ctx, f.ids[hit_index], &ph);
            if (camera || (input && (input->modifiers & REEL_MOD_ALT))) {
                snprintf(st->tracked_entity, sizeof st->tracked_entity, "%s",
                         out->hover.entity_path);
            } else {
                const view_bounds *b = &f.scene.entity_bounds[hit_index];
                float c[3], d[3], ext[3];
                for (int k = 0; k < 3; k++)
                    c[k] = (b->min[k] + b->max[k]) * 0.5f;
                v3_sub(ext, b->max, b->min);
                float radius = 1.5f * 0.5f * v3_len(ext);
                if (!(radius > 0.02f))
                    radius = f.roi_diag > 0 ? 0.75f * f.roi_diag : 0.02f;
                v3_sub(d, st->eye_position, st->eye_target);
                v3_normalize(d);
                memcpy(st->eye_target, c, sizeof c);
                for (int k = 0; k < 3; k++)
                    st->eye_position[k] = c[k] + d[k] * radius;
            }
            st->eye_set = true;
        } else {
            st->eye_set = false;
            st->tracked_entity[0] = 0;
            default_eye(&f.roi, &f.basis, st->eye_position, st->eye_target, st->eye_up);
        }
        out->state_changed = true;
    }

    /* 4. Camera, grid, axes. */
    float width = in->rect.x1 - in->rect.x0, height = in->rect.y1 - in->rect.y0;
    reel_draw_camera camera = {.pixels_per_point = f.ctx.scale};
    reel_mat4_look_at(camera.view, st->eye_position, st->eye_target, st->eye_up);
    view_mat4_perspective(camera.projection, fov, height > 0 ? width / height : 1, NEAR_Z);
    camera.points_per_pixel_at_unit_depth = height > 0 ? 2 * tanf(fov * 0.5f) / height : 0;
    if (!st->hide_grid)
        add_grid(&f, st);
    add_origin_axes(&f, st->show_axes, st->show_bounding_box);

    /* 5. The scene into the frame, labels over it. */
    out->scene = view_scene_finish(&f.scene, &camera, 0);
    if (in->ui && out->scene >= 0) {
        reel_draw_list *list = reel_ui_draw_list(in->ui);
        reel_draw_push_clip(list, in->rect.x0, in->rect.y0, in->rect.x1, in->rect.y1);
        reel_draw_scene_here(list, out->scene);
        reel_draw_pop_clip(list);
        view_draw_labels(&f.ctx, &f.scene.labels, &camera, &in->rect);
    }
    bool failed = f.scene.failed;
    view_scene_free(&f.scene);
    if (out->scene < 0 || failed)
        return reel_error_set(err, REEL_OUT_OF_MEMORY,
                              "spatial3d: out of memory building the scene");
    return REEL_OK;
}
