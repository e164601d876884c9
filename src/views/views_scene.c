/* Collecting one spatial scene: batches of points, lines, meshes and quads in growable arrays,
 * the exact bounds of everything and per entity, Rerun's robust region of interest over
 * point-like data (mean ± 2σ after dropping points outside ±2σ), and the final copy into the
 * frame arena as a reel_draw_scene. Also the per-instance colour and label helpers both
 * spatial views use. */
#include "views/views_internal.h"

#include <stdlib.h>

typedef struct roi_batch {
    const float *positions; /* xyz */
    uint32_t count;
    float transform[16];
} roi_batch;

void view_bounds_union(view_bounds *b, const view_bounds *other)
{
    if (other->valid) {
        view_bounds_add(b, other->min);
        view_bounds_add(b, other->max);
    }
}

void view_scene_init(view_scene *s, view_ctx *ctx, uint32_t n_entities)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    reel_vec_init(&s->points, sizeof(reel_draw_points), NULL);
    reel_vec_init(&s->lines, sizeof(reel_draw_lines), NULL);
    reel_vec_init(&s->meshes, sizeof(reel_draw_mesh), NULL);
    reel_vec_init(&s->quads, sizeof(reel_draw_quad), NULL);
    reel_vec_init(&s->quad_order, sizeof(float), NULL);
    reel_vec_init(&s->roi_batches, sizeof(roi_batch), NULL);
    reel_vec_init(&s->labels, sizeof(view_label), NULL);
    s->n_entities = n_entities;
    s->entity_bounds = view_alloc(ctx, n_entities ? n_entities : 1, sizeof(view_bounds));
    if (s->entity_bounds)
        memset(s->entity_bounds, 0, (n_entities ? n_entities : 1) * sizeof(view_bounds));
    else
        s->failed = true;
}

void view_scene_free(view_scene *s)
{
    reel_vec_free(&s->points);
    reel_vec_free(&s->lines);
    reel_vec_free(&s->meshes);
    reel_vec_free(&s->quads);
    reel_vec_free(&s->quad_order);
    reel_vec_free(&s->roi_batches);
    reel_vec_free(&s->labels);
}

/* Bounds of a batch: the object-space box of its positions, transformed corner by corner
 * (exact for translations and axis scales, a slightly larger box under rotation), so a
 * million points cost one min/max pass and no matrix products. */
static void add_positions(view_scene *s, const float *xyz, uint32_t n, const float m[16],
                          uint32_t entity_index, bool robust)
{
    float lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (uint32_t i = 0; i < n; i++) {
        const float *p = xyz + 3 * i;
        if (!(isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2])))
            continue;
        for (int k = 0; k < 3; k++) {
            lo[k] = p[k] < lo[k] ? p[k] : lo[k];
            hi[k] = p[k] > hi[k] ? p[k] : hi[k];
        }
    }
    if (!(lo[0] <= hi[0]))
        return;
    view_bounds local = {0};
    for (int c = 0; c < 8; c++) {
        float corner[3] = {(c & 1) ? hi[0] : lo[0], (c & 2) ? hi[1] : lo[1],
                           (c & 4) ? hi[2] : lo[2]};
        float w[3];
        view_mat4_point(m, corner, w);
        view_bounds_add(&local, w);
    }
    view_bounds_union(&s->bounds, &local);
    if (!robust)
        view_bounds_union(&s->other, &local);
    if (entity_index < s->n_entities && s->entity_bounds)
        view_bounds_union(&s->entity_bounds[entity_index], &local);
}

void view_scene_add_points(view_scene *s, const reel_draw_points *p, uint32_t entity_index,
                           bool robust)
{
    if (p->count == 0)
        return;
    if (reel_vec_push(&s->points, p) != REEL_OK)
        s->failed = true;
    add_positions(s, p->positions, p->count, p->transform, entity_index, robust);
    if (robust) {
        roi_batch b = {p->positions, p->count, {0}};
        memcpy(b.transform, p->transform, sizeof b.transform);
        if (reel_vec_push(&s->roi_batches, &b) != REEL_OK)
            s->failed = true;
    }
}

void view_scene_add_lines(view_scene *s, const reel_draw_lines *l, uint32_t entity_index)
{
    if (l->n_strips == 0)
        return;
    if (reel_vec_push(&s->lines, l) != REEL_OK)
        s->failed = true;
    if (entity_index != UINT32_MAX)
        add_positions(s, l->positions, l->strip_offsets[l->n_strips], l->transform, entity_index,
                      false);
}

void view_scene_add_mesh(view_scene *s, const reel_draw_mesh *m, uint32_t entity_index)
{
    if (m->n_vertices == 0)
        return;
    if (reel_vec_push(&s->meshes, m) != REEL_OK)
        s->failed = true;
    if (entity_index != UINT32_MAX)
        add_positions(s, m->positions, m->n_vertices, m->transform, entity_index, false);
}

void view_scene_add_quad(view_scene *s, const reel_draw_quad *q, float draw_order,
                         uint32_t entity_index)
{
    if (reel_vec_push(&s->quads, q) != REEL_OK || reel_vec_push(&s->quad_order, &draw_order))
        s->failed = true;
    if (entity_index != UINT32_MAX)
        add_positions(s, &q->corners[0][0], 4, q->transform, entity_index, false);
}

/* The ROI looks at up to this many points per batch (evenly strided), which keeps it
 * cheap for huge clouds and changes it by far less than a pixel. */
#define ROI_SAMPLES 65536u

static uint32_t roi_stride(uint32_t count)
{
    return count > ROI_SAMPLES ? (count + ROI_SAMPLES - 1) / ROI_SAMPLES : 1;
}

bool view_scene_roi(const view_scene *s, view_bounds *out)
{
    memset(out, 0, sizeof *out);
    const roi_batch *batches = s->roi_batches.data;
    size_t nb = s->roi_batches.len;
    double sum[3] = {0}, sum2[3] = {0}, n = 0;
    for (size_t b = 0; b < nb; b++)
        for (uint32_t i = 0; i < batches[b].count; i += roi_stride(batches[b].count)) {
            float p[3];
            view_mat4_point(batches[b].transform, batches[b].positions + 3 * i, p);
            if (!(isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2])))
                continue;
            for (int k = 0; k < 3; k++)
                sum[k] += p[k], sum2[k] += (double)p[k] * p[k];
            n++;
        }
    view_bounds robust = {0};
    if (n > 0) {
        double mean[3], sigma[3];
        for (int k = 0; k < 3; k++) {
            mean[k] = sum[k] / n;
            double var = sum2[k] / n - mean[k] * mean[k];
            sigma[k] = var > 0 ? sqrt(var) : 0;
        }
        double s1[3] = {0}, s2[3] = {0}, m = 0;
        for (size_t b = 0; b < nb; b++)
            for (uint32_t i = 0; i < batches[b].count; i += roi_stride(batches[b].count)) {
                float p[3];
                view_mat4_point(batches[b].transform, batches[b].positions + 3 * i, p);
                bool inside = isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2]);
                for (int k = 0; k < 3 && inside; k++)
                    inside = fabs(p[k] - mean[k]) <= 2 * sigma[k] + 1e-9;
                if (!inside)
                    continue;
                for (int k = 0; k < 3; k++)
                    s1[k] += p[k], s2[k] += (double)p[k] * p[k];
                m++;
            }
        if (m > 0) {
            float lo[3], hi[3];
            for (int k = 0; k < 3; k++) {
                double mu = s1[k] / m, var = s2[k] / m - mu * mu;
                double sd = var > 0 ? sqrt(var) : 0;
                lo[k] = (float)(mu - 2 * sd), hi[k] = (float)(mu + 2 * sd);
            }
            view_bounds_add(&robust, lo);
            view_bounds_add(&robust, hi);
        }
    }
    /* Everything that is not point-like counts with its exact bounds. */
    *out = robust;
    view_bounds_union(out, &s->other);
    return out->valid;
}

static void *arena_copy(view_ctx *ctx, const reel_vec *v)
{
    if (v->len == 0)
        return NULL;
    void *p = view_alloc(ctx, v->len, v->elem_size);
    if (p)
        memcpy(p, v->data, v->len * v->elem_size);
    return p;
}

int32_t view_scene_finish(view_scene *s, const reel_draw_camera *camera, uint32_t background)
{
    view_ctx *ctx = s->ctx;
    reel_vec *scenes = ctx->in->scenes;
    if (scenes == NULL || scenes->elem_size != sizeof(reel_draw_scene))
        return -1;
    /* Stable sort of quads by draw order (insertion sort: a handful of images). */
    reel_draw_quad *quads = s->quads.data;
    float *order = s->quad_order.data;
    for (size_t i = 1; i < s->quads.len; i++)
        for (size_t j = i; j > 0 && order[j - 1] > order[j]; j--) {
            reel_draw_quad tq = quads[j];
            quads[j] = quads[j - 1], quads[j - 1] = tq;
            float to = order[j];
            order[j] = order[j - 1], order[j - 1] = to;
        }
    reel_draw_scene scene = {.camera = *camera, .background = background};
    scene.points = arena_copy(ctx, &s->points);
    scene.n_points = scene.points ? (uint32_t)s->points.len : 0;
    scene.lines = arena_copy(ctx, &s->lines);
    scene.n_lines = scene.lines ? (uint32_t)s->lines.len : 0;
    scene.meshes = arena_copy(ctx, &s->meshes);
    scene.n_meshes = scene.meshes ? (uint32_t)s->meshes.len : 0;
    scene.quads = arena_copy(ctx, &s->quads);
    scene.n_quads = scene.quads ? (uint32_t)s->quads.len : 0;
    if (reel_vec_push(scenes, &scene) != REEL_OK)
        return -1;
    return (int32_t)(scenes->len - 1);
}

uint32_t view_highlight(const reel_view_input *in, const char *entity_path)
{
    if (in->selected.entity_path && strcmp(in->selected.entity_path, entity_path) == 0)
        return 2;
    if (in->hovered.entity_path && strcmp(in->hovered.entity_path, entity_path) == 0)
        return 1;
    return 0;
}

float *view_copy_xyz(view_ctx *ctx, const float *src, uint32_t n, int src_dims, float z)
{
    float *out = view_alloc(ctx, (size_t)n * 3, sizeof(float));
    if (out == NULL)
        return NULL;
    for (uint32_t i = 0; i < n; i++) {
        out[3 * i] = src[src_dims * i];
        out[3 * i + 1] = src[src_dims * i + 1];
        out[3 * i + 2] = src_dims > 2 ? src[src_dims * i + 2] : z;
    }
    return out;
}

uint32_t *view_colors(view_ctx *ctx, uint32_t entity, const char *archetype, uint32_t count,
                      uint32_t fallback, const view_annotations *ann, uint32_t *n_out)
{
    view_cell cc, ci;
    uint32_t n_colors = 0, n_ids = 0;
    const uint32_t *colors = view_query_arch(ctx, entity, archetype, "colors", &cc)
                                 ? view_cell_u32(&cc, 1, &n_colors)
                                 : NULL;
    const uint16_t *ids = view_query_arch(ctx, entity, archetype, "class_ids", &ci)
                              ? view_cell_u16(&ci, 1, &n_ids)
                              : NULL;
    uint32_t n = (colors && n_colors) || (ids && n_ids) ? (count ? count : 1) : 1;
    uint32_t *out = view_alloc(ctx, n, sizeof(uint32_t));
    if (out == NULL)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        out[i] = view_instance_color(colors, n_colors, ids, n_ids, ann, i, fallback);
    *n_out = n;
    return out;
}

void view_collect_labels(view_scene *s, reel_vec *labels, uint32_t entity, const char *archetype,
                         const float *positions, int dims, uint32_t count,
                         const float transform[16], const uint32_t *colors, uint32_t n_colors,
                         const view_annotations *ann, const uint16_t *class_ids,
                         uint32_t n_class_ids)
{
    view_ctx *ctx = s->ctx;
    view_cell cell;
    bool show = true;
    if (view_query_arch(ctx, entity, archetype, "show_labels", &cell) &&
        view_cell_bool(&cell, &show) && !show)
        return;
    bool has_labels = view_query_arch(ctx, entity, archetype, "labels", &cell);
    uint32_t n_labels = has_labels ? view_cell_len(&cell) : 0;
    /* Rerun: labels shown when exactly one is logged, or the entity has < 30 instances. */
    if (count == 0 || (n_labels != 1 && count >= 30))
        return;
    for (uint32_t i = 0; i < count; i++) {
        view_label label = {0};
        reel_span text = {0};
        if (n_labels == 1 && count > 1) {
            if (i > 0)
                break;
            /* One label for the whole batch: at the centre of its positions. */
            view_bounds b = {0};
            for (uint32_t k = 0; k < count; k++) {
                float p[3] = {positions[dims * k], positions[dims * k + 1],
                              dims > 2 ? positions[dims * k + 2] : 0};
                view_bounds_add(&b, p);
            }
            for (int k = 0; k < 3; k++)
                label.pos[k] = (b.min[k] + b.max[k]) * 0.5f;
        } else {
            label.pos[0] = positions[dims * i], label.pos[1] = positions[dims * i + 1];
            label.pos[2] = dims > 2 ? positions[dims * i + 2] : 0;
        }
        if (n_labels > 0) {
            if (!view_cell_string(&cell, i < n_labels ? i : n_labels - 1, &text))
                continue;
        } else if (class_ids && n_class_ids > 0) {
            const view_class *c =
                view_annotations_lookup(ann, class_ids[i < n_class_ids ? i : n_class_ids - 1]);
            if (c == NULL || c->label == NULL)
                continue;
            text = reel_span_make(c->label, c->label_len);
        } else {
            continue;
        }
        view_mat4_point(transform, label.pos, label.pos);
        label.text = (const char *)text.data;
        label.len = text.len;
        label.color = colors && n_colors ? colors[i < n_colors ? i : n_colors - 1]
                                         : REEL_RGBA(255, 255, 255, 255);
        label.color = view_color_with_alpha(label.color, 255);
        reel_vec_push(labels, &label);
    }
}

void view_draw_labels(view_ctx *ctx, const reel_vec *labels, const reel_draw_camera *camera,
                      const reel_ui_rect *rect)
{
    if (ctx->in->ui == NULL || labels->len == 0)
        return;
    const view_label *all = labels->data;
    float clip[4] = {rect->x0, rect->y0, rect->x1, rect->y1};
    reel_draw_list *list = reel_ui_draw_list(ctx->in->ui);
    reel_draw_push_clip(list, rect->x0, rect->y0, rect->x1, rect->y1);
    for (size_t i = 0; i < labels->len; i++) {
        float x, y;
        if (view_project(camera, clip, all[i].pos, &x, &y))
            view_draw_label(ctx->in->ui, x, y, all[i].text, all[i].len, all[i].color);
    }
    reel_draw_pop_clip(list);
}
