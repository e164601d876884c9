/* The 2D archetypes as scene batches: Points2D, LineStrips2D, Boxes2D (outlines) and
 * Arrows2D (shaft and a head), placed with a transform, so the 2D view draws them in image
 * coordinates and the 3D view on a pinhole's image plane. Radii follow Rerun (> 0 scene
 * units, < 0 UI points, default 1.5 pt), colours the logged ones, then class colours, then
 * the entity's auto colour. Arrow heads are sized from the arrow (15 % of its length) or,
 * with scene-unit radii, 6 radii long: Rerun sizes them from the radius in pixels. */
#include "views/views_internal.h"

static const float DEFAULT_RADIUS = -1.5f;

typedef struct prim_ctx {
    view_scene *s;
    view_ctx *ctx;
    uint32_t entity;
    uint32_t entity_index;
    const char *path;
    const float *transform;
    float z;
    uint32_t highlight;
    uint32_t fallback_color;
    view_annotations ann;
    bool has_ann;
} prim_ctx;

static const float *radii_of(prim_ctx *p, const char *archetype, uint32_t *n)
{
    view_cell cell;
    const float *r = view_query_arch(p->ctx, p->entity, archetype, "radii", &cell)
                         ? view_cell_f32(&cell, 1, n)
                         : NULL;
    if (r == NULL || *n == 0) {
        *n = 1;
        return &DEFAULT_RADIUS;
    }
    return r;
}


static void base_lines(prim_ctx *p, reel_draw_lines *l, uint32_t per_instance)
{
    memset(l, 0, sizeof *l);
    memcpy(l->transform, p->transform, sizeof l->transform);
    l->pick = view_pick_id(p->entity_index, per_instance);
    l->highlight = p->highlight;
}

static void points2d(prim_ctx *p, reel_vec *labels)
{
    view_cell cell;
    uint32_t n = 0;
    const float *xy = view_query_c(p->ctx, p->entity, VIEW_C_POINTS2D, &cell)
                          ? view_cell_f32(&cell, 2, &n)
                          : NULL;
    if (xy == NULL || n == 0)
        return;
    float z = p->z;
    reel_draw_points pts = {0};
    pts.positions = view_copy_xyz(p->ctx, xy, n, 2, z);
    pts.count = n;
    pts.colors =
        view_colors(p->ctx, p->entity, "Points2D", n, p->fallback_color, &p->ann, &pts.n_colors);
    pts.radii = radii_of(p, "Points2D", &pts.n_radii);
    memcpy(pts.transform, p->transform, sizeof pts.transform);
    pts.pick = view_pick_id(p->entity_index, 1);
    pts.highlight = p->highlight;
    if (pts.positions == NULL || pts.colors == NULL)
        return;
    view_scene_add_points(p->s, &pts, p->entity_index, true);
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "Points2D", &n_ids);
    view_collect_labels(p->s, labels, p->entity, "Points2D", pts.positions, 3, n, p->transform,
                        pts.colors, pts.n_colors, &p->ann, ids, n_ids);
}

static void strips2d(prim_ctx *p, reel_vec *labels)
{
    view_cell cell;
    if (!view_query_c(p->ctx, p->entity, VIEW_C_STRIPS2D, &cell))
        return;
    const reel_arrow_field *f = cell.field;
    if ((f->type != REEL_ARROW_LIST && f->type != REEL_ARROW_LARGE_LIST) || f->n_children != 1 ||
        cell.array->n_children != 1)
        return;
    uint32_t n_strips = view_cell_len(&cell);
    /* The strips' points: one fixed_size_list<float>[2] cell over every strip. */
    int64_t first = 0, last = 0, s0 = 0, e0 = 0;
    reel_arrow_array_get_list_range(f, cell.array, cell.start, &first, &e0);
    reel_arrow_array_get_list_range(f, cell.array, cell.end - 1, &s0, &last);
    view_cell pts_cell = {
        .field = &f->children[0], .array = &cell.array->children[0], .start = first, .end = last};
    uint32_t n_points = 0;
    const float *xy = view_cell_f32(&pts_cell, 2, &n_points);
    if (xy == NULL && last > first)
        return;
    reel_draw_lines l;
    base_lines(p, &l, 1);
    uint32_t *offsets = view_alloc(p->ctx, n_strips + 1, sizeof(uint32_t));
    float *xyz = view_copy_xyz(p->ctx, xy ? xy : (const float *)"", n_points, 2, p->z);
    if (offsets == NULL || xyz == NULL)
        return;
    for (uint32_t i = 0; i < n_strips; i++) {
        int64_t s = 0, e = 0;
        reel_arrow_array_get_list_range(f, cell.array, cell.start + i, &s, &e);
        offsets[i] = (uint32_t)(s - first);
        offsets[i + 1] = (uint32_t)(e - first);
    }
    l.positions = xyz;
    l.strip_offsets = offsets;
    l.n_strips = n_strips;
    l.colors = view_colors(p->ctx, p->entity, "LineStrips2D", n_strips, p->fallback_color, &p->ann,
                           &l.n_colors);
    l.radii = radii_of(p, "LineStrips2D", &l.n_radii);
    if (l.colors == NULL)
        return;
    view_scene_add_lines(p->s, &l, p->entity_index);
    /* Labels at each strip's first point. */
    float *anchors = view_alloc(p->ctx, n_strips ? n_strips : 1, 3 * sizeof(float));
    if (anchors == NULL)
        return;
    for (uint32_t i = 0; i < n_strips; i++)
        memcpy(anchors + 3 * i, xyz + 3 * offsets[i], 3 * sizeof(float));
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "LineStrips2D", &n_ids);
    view_collect_labels(p->s, labels, p->entity, "LineStrips2D", anchors, 3, n_strips, p->transform,
                        l.colors, l.n_colors, &p->ann, ids, n_ids);
}

static void boxes2d(prim_ctx *p, reel_vec *labels)
{
    view_cell cell, cc;
    uint32_t n = 0, n_centers = 0;
    const float *half =
        view_query_c(p->ctx, p->entity, VIEW_C_BOXES2D, &cell) ? view_cell_f32(&cell, 2, &n) : NULL;
    if (half == NULL || n == 0)
        return;
    const float *centers = view_query(p->ctx, p->entity, "Boxes2D:centers", &cc)
                               ? view_cell_f32(&cc, 2, &n_centers)
                               : NULL;
    reel_draw_lines l;
    base_lines(p, &l, 1);
    float *xyz = view_alloc(p->ctx, (size_t)n * 5, 3 * sizeof(float));
    uint32_t *offsets = view_alloc(p->ctx, n + 1, sizeof(uint32_t));
    float *anchors = view_alloc(p->ctx, n, 3 * sizeof(float));
    if (xyz == NULL || offsets == NULL || anchors == NULL)
        return;
    for (uint32_t i = 0; i < n; i++) {
        float cx = 0, cy = 0;
        if (centers && n_centers) {
            uint32_t k = i < n_centers ? i : n_centers - 1;
            cx = centers[2 * k], cy = centers[2 * k + 1];
        }
        float hx = half[2 * i], hy = half[2 * i + 1];
        const float corners[5][2] = {{cx - hx, cy - hy},
                                     {cx + hx, cy - hy},
                                     {cx + hx, cy + hy},
                                     {cx - hx, cy + hy},
                                     {cx - hx, cy - hy}};
        for (int c = 0; c < 5; c++) {
            float *v = xyz + (i * 5 + (uint32_t)c) * 3;
            v[0] = corners[c][0], v[1] = corners[c][1], v[2] = p->z;
        }
        offsets[i] = i * 5;
        offsets[i + 1] = (i + 1) * 5;
        anchors[3 * i] = cx - hx, anchors[3 * i + 1] = cy - hy, anchors[3 * i + 2] = p->z;
    }
    l.positions = xyz;
    l.strip_offsets = offsets;
    l.n_strips = n;
    l.colors =
        view_colors(p->ctx, p->entity, "Boxes2D", n, p->fallback_color, &p->ann, &l.n_colors);
    l.radii = radii_of(p, "Boxes2D", &l.n_radii);
    if (l.colors == NULL)
        return;
    view_scene_add_lines(p->s, &l, p->entity_index);
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "Boxes2D", &n_ids);
    view_collect_labels(p->s, labels, p->entity, "Boxes2D", anchors, 3, n, p->transform, l.colors,
                        l.n_colors, &p->ann, ids, n_ids);
}

static void arrows2d(prim_ctx *p, reel_vec *labels)
{
    view_cell cell, co;
    uint32_t n = 0, n_origins = 0;
    const float *vec = view_query_c(p->ctx, p->entity, VIEW_C_ARROWS2D, &cell)
                           ? view_cell_f32(&cell, 2, &n)
                           : NULL;
    if (vec == NULL || n == 0)
        return;
    const float *origins = view_query(p->ctx, p->entity, "Arrows2D:origins", &co)
                               ? view_cell_f32(&co, 2, &n_origins)
                               : NULL;
    uint32_t n_radii = 0;
    const float *radii = radii_of(p, "Arrows2D", &n_radii);
    reel_draw_lines l;
    base_lines(p, &l, 2);
    /* Per arrow: the shaft (2 vertices) and the head as a closed outline (4 vertices). */
    float *xyz = view_alloc(p->ctx, (size_t)n * 6, 3 * sizeof(float));
    uint32_t *offsets = view_alloc(p->ctx, (size_t)n * 2 + 1, sizeof(uint32_t));
    float *anchors = view_alloc(p->ctx, n, 3 * sizeof(float));
    if (xyz == NULL || offsets == NULL || anchors == NULL)
        return;
    uint32_t n_colors = 0;
    uint32_t *colors =
        view_colors(p->ctx, p->entity, "Arrows2D", n, p->fallback_color, &p->ann, &n_colors);
    uint32_t *strip_colors = view_alloc(p->ctx, (size_t)n * 2, sizeof(uint32_t));
    float *strip_radii = view_alloc(p->ctx, (size_t)n * 2, sizeof(float));
    if (colors == NULL || strip_colors == NULL || strip_radii == NULL)
        return;
    for (uint32_t i = 0; i < n; i++) {
        float ox = 0, oy = 0;
        if (origins && n_origins) {
            uint32_t k = i < n_origins ? i : n_origins - 1;
            ox = origins[2 * k], oy = origins[2 * k + 1];
        }
        float vx = vec[2 * i], vy = vec[2 * i + 1];
        float len = sqrtf(vx * vx + vy * vy);
        float r = radii[i < n_radii ? i : n_radii - 1];
        float head = r > 0 ? 6 * r : 0.15f * len;
        if (head > 0.5f * len)
            head = 0.5f * len;
        float ux = len > 0 ? vx / len : 0, uy = len > 0 ? vy / len : 0;
        float bx = ox + vx - ux * head, by = oy + vy - uy * head; /* head base centre */
        float w = head * 0.5f;
        float *v = xyz + (size_t)i * 18;
        const float pts[6][2] = {{ox, oy},
                                 {bx, by},
                                 {bx - uy * w, by + ux * w},
                                 {ox + vx, oy + vy},
                                 {bx + uy * w, by - ux * w},
                                 {bx - uy * w, by + ux * w}};
        for (int k = 0; k < 6; k++)
            v[3 * k] = pts[k][0], v[3 * k + 1] = pts[k][1], v[3 * k + 2] = p->z;
        offsets[2 * i] = i * 6;
        offsets[2 * i + 1] = i * 6 + 2;
        offsets[2 * i + 2] = i * 6 + 6;
        strip_colors[2 * i] = strip_colors[2 * i + 1] = colors[i < n_colors ? i : n_colors - 1];
        strip_radii[2 * i] = strip_radii[2 * i + 1] = r;
        anchors[3 * i] = ox + vx * 0.5f, anchors[3 * i + 1] = oy + vy * 0.5f;
        anchors[3 * i + 2] = p->z;
    }
    l.positions = xyz;
    l.strip_offsets = offsets;
    l.n_strips = n * 2;
    l.colors = strip_colors;
    l.n_colors = n * 2;
    l.radii = strip_radii;
    l.n_radii = n * 2;
    view_scene_add_lines(p->s, &l, p->entity_index);
    uint32_t n_ids = 0;
    const uint16_t *ids = view_class_ids(p->ctx, p->entity, "Arrows2D", &n_ids);
    view_collect_labels(p->s, labels, p->entity, "Arrows2D", anchors, 3, n, p->transform, colors,
                        n_colors, &p->ann, ids, n_ids);
}

static float view_draw_order(view_ctx *ctx, uint32_t entity, const char *archetype, float fallback)
{
    view_cell cell;
    uint32_t n = 0;
    const float *v = view_query_arch(ctx, entity, archetype, "draw_order", &cell)
                         ? view_cell_f32(&cell, 1, &n)
                         : NULL;
    return v && n && isfinite(v[0]) ? v[0] : fallback;
}

void view_add_2d_primitives(view_scene *s, uint32_t entity, uint32_t entity_index,
                            const float transform[16], view_z_fn z_of_order, void *z_user)
{
    prim_ctx p = {.s = s,
                  .ctx = s->ctx,
                  .entity = entity,
                  .entity_index = entity_index,
                  .transform = transform};
    p.path = reel_store_entity_path(s->ctx->store, entity);
    p.highlight = view_highlight(s->ctx->in, p.path);
    p.fallback_color = reel_view_auto_color_path(p.path);
    p.has_ann = view_annotations_find(s->ctx, entity, &p.ann);
    reel_vec *labels = &s->labels;
    /* Each archetype has its own draw order default (§3.3). */
    p.z = z_of_order ? z_of_order(z_user, view_draw_order(s->ctx, entity, "Boxes2D", 10)) : 0;
    boxes2d(&p, labels);
    p.z = z_of_order ? z_of_order(z_user, view_draw_order(s->ctx, entity, "LineStrips2D", 20)) : 0;
    strips2d(&p, labels);
    p.z = z_of_order ? z_of_order(z_user, view_draw_order(s->ctx, entity, "Arrows2D", 20)) : 0;
    arrows2d(&p, labels);
    p.z = z_of_order ? z_of_order(z_user, view_draw_order(s->ctx, entity, "Points2D", 20)) : 0;
    points2d(&p, labels);
}
