/* The Spatial 2D view (viewer-behavior §3): images (colour, depth through a colormap,
 * segmentation through annotation colours, PNG/JPEG) as pixel-exact textured quads, and
 * Points2D / LineStrips2D / Boxes2D / Arrows2D, in image coordinates (x right, y down) seen
 * through an orthographic camera fitted to the visual bounds with letterboxing. Draw order
 * becomes depth (higher on top). Pan with a drag or the wheel, zoom with Ctrl + wheel about
 * the pointer, double-click to reset. Hovering reports the entity and, over an image, the
 * pixel and its raw values. 3D content of a parent space is not projected into a camera's
 * 2D view (yet). */
#include "views/views_spatial.h"

#define POINTS_PER_WHEEL_LINE 50.0f
#define Z_LIMIT 10000.0f

typedef struct image_entry {
    view_image img;
    uint32_t entity, entity_index;
    float transform[16];
} image_entry;

static float z_of_order(void *user, float order)
{
    (void)user;
    return fmaxf(-Z_LIMIT, fminf(Z_LIMIT, order));
}

void reel_view_spatial2d_state_free(reel_view_spatial2d_state *state)
{
    if (state == NULL)
        return;
    view_texture_cache_free(state->textures);
    state->textures = NULL;
}

/* The rectangle of scene space shown: bounds grown on one axis to the rect's aspect. */
static void fitted(const reel_view_spatial2d_state *st, const reel_ui_rect *rect, float lo[2],
                   float hi[2])
{
    float bw = st->bounds_max[0] - st->bounds_min[0], bh = st->bounds_max[1] - st->bounds_min[1];
    float w = rect->x1 - rect->x0, h = rect->y1 - rect->y0;
    if (!(bw > 0))
        bw = 1;
    if (!(bh > 0))
        bh = 1;
    if (!(w > 0) || !(h > 0)) {
        lo[0] = st->bounds_min[0], lo[1] = st->bounds_min[1];
        hi[0] = lo[0] + bw, hi[1] = lo[1] + bh;
        return;
    }
    float scale = fminf(w / bw, h / bh); /* pixels per unit */
    float cw = w / scale, ch = h / scale;
    float cx = (st->bounds_min[0] + st->bounds_max[0]) * 0.5f;
    float cy = (st->bounds_min[1] + st->bounds_max[1]) * 0.5f;
    lo[0] = cx - cw * 0.5f, hi[0] = cx + cw * 0.5f;
    lo[1] = cy - ch * 0.5f, hi[1] = cy + ch * 0.5f;
}

static void handle_input(view_ctx *ctx, reel_view_spatial2d_state *st, const view_bounds *scene,
                         reel_view_output *out)
{
    const reel_view_input *in = ctx->in;
    if (in->ui == NULL)
        return;
    reel_ui_id id = reel_ui_make_id_int(in->ui, (int64_t)(in->view_id ^ 0x2d2d2dull));
    reel_ui_response r = reel_ui_interact(
        in->ui, in->rect, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_APP);
    out->response = r;
    const reel_input *input = reel_ui_input(in->ui);
    float lo[2], hi[2];
    fitted(st, &in->rect, lo, hi);
    float w = in->rect.x1 - in->rect.x0;
    float units_per_px = w > 0 ? (hi[0] - lo[0]) / w : 1;
    bool changed = false;
    float dx = 0, dy = 0;
    if (r.dragging && r.button == REEL_MOUSE_LEFT)
        dx = -r.drag_dx * units_per_px, dy = -r.drag_dy * units_per_px;
    if (r.hovered && input && (input->wheel_x != 0 || input->wheel_y != 0)) {
        if (input->modifiers & (REEL_MOD_CTRL | REEL_MOD_SUPER)) {
            float factor = expf(input->wheel_y * POINTS_PER_WHEEL_LINE / 200.0f);
            float px = lo[0] + (input->pointer_x - in->rect.x0) * units_per_px;
            float py = lo[1] + (input->pointer_y - in->rect.y0) * units_per_px;
            float nlo[2] = {px + (st->bounds_min[0] - px) / factor,
                            py + (st->bounds_min[1] - py) / factor};
            float nhi[2] = {px + (st->bounds_max[0] - px) / factor,
                            py + (st->bounds_max[1] - py) / factor};
            /* Zooming out stops at 5x the scene's size (unless already past). */
            bool ok = true;
            if (factor < 1 && scene->valid)
                for (int k = 0; k < 2; k++) {
                    float size = scene->max[k] - scene->min[k];
                    if (size > 0 && nhi[k] - nlo[k] > 5 * size &&
                        nhi[k] - nlo[k] > st->bounds_max[k] - st->bounds_min[k])
                        ok = false;
                }
            if (ok) {
                memcpy(st->bounds_min, nlo, sizeof nlo);
                memcpy(st->bounds_max, nhi, sizeof nhi);
                changed = true;
            }
        } else {
            float k = POINTS_PER_WHEEL_LINE * ctx->scale * units_per_px;
            dx -= input->wheel_x * k, dy -= input->wheel_y * k;
        }
    }
    if (dx != 0 || dy != 0) {
        st->bounds_min[0] += dx, st->bounds_max[0] += dx;
        st->bounds_min[1] += dy, st->bounds_max[1] += dy;
        changed = true;
    }
    if (changed) {
        st->bounds_set = true;
        out->state_changed = true;
    }
    if (r.double_clicked) {
        st->bounds_set = false;
        out->double_clicked = true;
        out->state_changed = true;
    }
}

reel_status reel_view_spatial2d_draw(const reel_view_input *in, reel_view_spatial2d_state *st,
                                     reel_view_output *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    out->scene = -1;
    if (in == NULL || in->store == NULL || in->arena == NULL || st == NULL || in->scenes == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "spatial2d: missing input");
    view_ctx ctx;
    view_ctx_init(&ctx, in);
    view_texture_cache_frame(st->textures);
    uint32_t origin = reel_store_entity_find(in->store, in->origin ? in->origin : "/");
    view_frames frames;
    uint32_t *ids = view_alloc(&ctx, in->n_entities ? in->n_entities : 1, sizeof(uint32_t));
    if (ids == NULL || !view_frames_init(&frames, &ctx, origin))
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "spatial2d: frame arena exhausted");
    view_scene scene;
    view_scene_init(&scene, &ctx, in->n_entities);
    reel_vec images;
    reel_vec_init(&images, sizeof(image_entry), NULL);
    uint32_t n_color = 0, n_depth = 0;
    static const view_image_kind KINDS[] = {VIEW_IMAGE_COLOR, VIEW_IMAGE_ENCODED, VIEW_IMAGE_DEPTH,
                                            VIEW_IMAGE_SEGMENTATION};
    for (uint32_t i = 0; i < in->n_entities; i++) {
        ids[i] =
            in->entities[i] ? reel_store_entity_find(in->store, in->entities[i]) : REEL_STORE_NO_ID;
        if (ids[i] == REEL_STORE_NO_ID)
            continue;
        float m[16];
        uint32_t plane = REEL_STORE_NO_ID;
        view_frames_get(&frames, ids[i], m, &plane);
        float *tf = view_alloc(&ctx, 16, sizeof(float));
        if (tf == NULL)
            continue;
        /* Under the origin's pinhole: image coordinates as they are. */
        if (plane != REEL_STORE_NO_ID && plane == origin)
            reel_mat4_identity(tf);
        else
            memcpy(tf, m, sizeof m);
        view_add_2d_primitives(&scene, ids[i], i, tf, z_of_order, NULL);
        for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
            image_entry entry = {.entity = ids[i], .entity_index = i};
            if (!view_image_read(&ctx, ids[i], KINDS[k], &entry.img))
                continue;
            memcpy(entry.transform, tf, sizeof entry.transform);
            n_color += KINDS[k] == VIEW_IMAGE_COLOR || KINDS[k] == VIEW_IMAGE_ENCODED;
            n_depth += KINDS[k] == VIEW_IMAGE_DEPTH;
            reel_vec_push(&images, &entry);
        }
    }
    /* Images as quads, with the view's opacity defaults (§3.4). */
    image_entry *all = images.data;
    for (size_t k = 0; k < images.len; k++) {
        image_entry *e = &all[k];
        reel_draw_texture tex;
        if (!view_image_texture(&ctx, &st->textures, &e->img, e->entity, &tex))
            continue;
        uint32_t index = view_push_texture(&ctx, &tex);
        if (index == UINT32_MAX)
            continue;
        float opacity = e->img.opacity;
        if (!(opacity >= 0)) {
            if (e->img.kind == VIEW_IMAGE_DEPTH)
                opacity = 1;
            else if (e->img.kind == VIEW_IMAGE_SEGMENTATION)
                opacity = n_color + n_depth > 0 ? 0.5f : 1.0f;
            else
                opacity = n_depth > 0 ? 0.5f : 1.0f;
        }
        float z = z_of_order(NULL, e->img.draw_order);
        float w = (float)e->img.width, h = (float)e->img.height;
        reel_draw_quad q = {.texture = index, .pick = view_pick_id(e->entity_index, 0)};
        v3_set(q.corners[0], 0, 0, z);
        v3_set(q.corners[1], w, 0, z);
        v3_set(q.corners[2], w, h, z);
        v3_set(q.corners[3], 0, h, z);
        q.tint = REEL_RGBA(255, 255, 255, (uint32_t)lroundf(fmaxf(0, fminf(1, opacity)) * 255));
        q.highlight = view_highlight(in, reel_store_entity_path(in->store, e->entity));
        memcpy(q.transform, e->transform, sizeof q.transform);
        view_scene_add_quad(&scene, &q, e->img.draw_order, e->entity_index);
    }

    /* Visual bounds: the user's, else the origin camera's resolution, else the content. */
    float fallback_min[2] = {0, 0}, fallback_max[2] = {100, 100};
    {
        view_pinhole ph;
        view_bounds roi;
        if (origin != REEL_STORE_NO_ID && view_pinhole_read(&ctx, origin, &ph)) {
            fallback_max[0] = ph.width, fallback_max[1] = ph.height;
        } else if (view_scene_roi(&scene, &roi) && roi.max[0] > roi.min[0] &&
                   roi.max[1] > roi.min[1]) {
            fallback_min[0] = roi.min[0], fallback_min[1] = roi.min[1];
            fallback_max[0] = roi.max[0], fallback_max[1] = roi.max[1];
        }
    }
    if (!st->bounds_set) {
        memcpy(st->bounds_min, fallback_min, sizeof fallback_min);
        memcpy(st->bounds_max, fallback_max, sizeof fallback_max);
    }
    handle_input(&ctx, st, &scene.bounds, out);
    if (!st->bounds_set) { /* a reset this frame */
        memcpy(st->bounds_min, fallback_min, sizeof fallback_min);
        memcpy(st->bounds_max, fallback_max, sizeof fallback_max);
    }

    float lo[2], hi[2];
    fitted(st, &in->rect, lo, hi);
    reel_draw_camera camera = {.orthographic = true, .pixels_per_point = ctx.scale};
    reel_mat4_identity(camera.view);
    reel_mat4_orthographic(camera.projection, lo[0], hi[0], hi[1], lo[1], -2 * Z_LIMIT,
                           2 * Z_LIMIT);

    /* Hover: a picked non-image primitive wins; else the topmost image under the pointer. */
    const reel_input *input = in->ui ? reel_ui_input(in->ui) : NULL;
    if (out->response.hovered && input) {
        uint32_t per = in->pick.pick & 0xff, index = (in->pick.pick >> 8);
        if (in->pick.hit && index > 0 && per != 0 && index - 1 < in->n_entities &&
            ids[index - 1] != REEL_STORE_NO_ID) {
            out->hovered = true;
            out->hover.entity_path = reel_store_entity_path(in->store, ids[index - 1]);
            out->hover.instance = (int64_t)(in->pick.instance / per);
        } else {
            float w = in->rect.x1 - in->rect.x0;
            float upp = w > 0 ? (hi[0] - lo[0]) / w : 1;
            float sx = lo[0] + (input->pointer_x - in->rect.x0) * upp;
            float sy = lo[1] + (input->pointer_y - in->rect.y0) * upp;
            const image_entry *best = NULL;
            for (size_t k = 0; k < images.len; k++) {
                float inv[16], p[3] = {sx, sy, 0};
                if (!reel_mat4_invert(inv, all[k].transform))
                    continue;
                view_mat4_point(inv, p, p);
                if (p[0] < 0 || p[1] < 0 || p[0] >= (float)all[k].img.width ||
                    p[1] >= (float)all[k].img.height)
                    continue;
                if (best == NULL || all[k].img.draw_order >= best->img.draw_order) {
                    best = &all[k];
                    out->pixel_x = (int32_t)floorf(p[0]);
                    out->pixel_y = (int32_t)floorf(p[1]);
                }
            }
            if (best) {
                out->hovered = true;
                out->hover.entity_path = reel_store_entity_path(in->store, best->entity);
                out->hover.instance = -1;
                out->hover_pixel = best->img.kind != VIEW_IMAGE_ENCODED;
                out->hover_image_entity = out->hover.entity_path;
                out->pixel_channels = best->img.channels;
                for (int32_t c = 0; c < best->img.channels && c < 4; c++) {
                    double v = view_image_value(&best->img, out->pixel_x, out->pixel_y, c);
                    if (best->img.kind == VIEW_IMAGE_DEPTH && best->img.meter > 0)
                        v /= best->img.meter;
                    out->pixel_value[c] = v;
                }
            }
        }
        out->clicked = out->hovered && out->response.clicked;
    }

    out->scene = view_scene_finish(&scene, &camera, REEL_RGBA(0, 0, 0, 255));
    if (in->ui && out->scene >= 0) {
        reel_draw_list *list = reel_ui_draw_list(in->ui);
        reel_draw_push_clip(list, in->rect.x0, in->rect.y0, in->rect.x1, in->rect.y1);
        reel_draw_scene_here(list, out->scene);
        reel_draw_pop_clip(list);
        view_draw_labels(&ctx, &scene.labels, &camera, &in->rect);
    }
    bool failed = scene.failed;
    view_scene_free(&scene);
    reel_vec_free(&images);
    if (out->scene < 0 || failed)
        return reel_error_set(err, REEL_OUT_OF_MEMORY,
                              "spatial2d: out of memory building the scene");
    return REEL_OK;
}
