/* Building 2D draw lists (the "building lists" half of draw.h): growable vertex, index and
 * command arrays, a clip stack, and the shapes the UI and views draw (rounded rectangles,
 * anti-aliased polylines and convex fills with a one-pixel feather, circles, triangles,
 * images, scene slots). Consecutive shapes with the same texture and clip share a command.
 * An allocation failure sets `failed` and turns every later call into a no-op. */
#include "draw/draw.h"

#include <math.h>
#include <string.h>

#define FEATHER 1.0f /* pixels of the anti-aliasing ramp */
#define MAX_PATH_POINTS 512

void reel_draw_list_init(reel_draw_list *list)
{
    memset(list, 0, sizeof *list);
}

void reel_draw_list_free(reel_draw_list *list)
{
    reel_free(NULL, list->vertices, (size_t)list->vertex_capacity * sizeof *list->vertices);
    reel_free(NULL, list->indices, (size_t)list->index_capacity * sizeof *list->indices);
    reel_free(NULL, list->cmds, (size_t)list->cmd_capacity * sizeof *list->cmds);
    memset(list, 0, sizeof *list);
}

void reel_draw_list_reset(reel_draw_list *list, float width, float height, float white_u,
                          float white_v)
{
    list->n_vertices = 0;
    list->n_indices = 0;
    list->n_cmds = 0;
    list->failed = false;
    list->clip_depth = 1;
    list->clip_stack[0][0] = 0;
    list->clip_stack[0][1] = 0;
    list->clip_stack[0][2] = width;
    list->clip_stack[0][3] = height;
    list->white_u = white_u;
    list->white_v = white_v;
}

static const float *current_clip(const reel_draw_list *list)
{
    static const float unbounded[4] = {-1e30f, -1e30f, 1e30f, 1e30f};
    const int32_t capacity = (int32_t)(sizeof list->clip_stack / sizeof list->clip_stack[0]);
    int32_t top = list->clip_depth > capacity ? capacity : list->clip_depth;
    return top > 0 ? list->clip_stack[top - 1] : unbounded;
}

void reel_draw_push_clip(reel_draw_list *list, float x0, float y0, float x1, float y1)
{
    const float *top = current_clip(list);
    float clip[4] = {fmaxf(x0, top[0]), fmaxf(y0, top[1]), fminf(x1, top[2]), fminf(y1, top[3])};
    if (clip[2] < clip[0])
        clip[2] = clip[0];
    if (clip[3] < clip[1])
        clip[3] = clip[1];
    if (list->clip_depth >= (int32_t)(sizeof list->clip_stack / sizeof list->clip_stack[0])) {
        /* Too deep: keep the top (now narrowed) so pops stay balanced with pushes. */
        list->clip_depth++;
        return;
    }
    if (list->clip_depth < 0)
        list->clip_depth = 0;
    memcpy(list->clip_stack[list->clip_depth], clip, sizeof clip);
    list->clip_depth++;
}

void reel_draw_pop_clip(reel_draw_list *list)
{
    if (list->clip_depth > 1)
        list->clip_depth--;
}

static bool clip_is_empty(const reel_draw_list *list)
{
    const float *clip = current_clip(list);
    return clip[2] <= clip[0] || clip[3] <= clip[1];
}

/* True when the box cannot touch the clip rectangle (whole shapes are skipped). */
static bool outside_clip(const reel_draw_list *list, float x0, float y0, float x1, float y1)
{
    const float *clip = current_clip(list);
    return x1 < clip[0] || y1 < clip[1] || x0 > clip[2] || y0 > clip[3] || clip[2] <= clip[0] ||
           clip[3] <= clip[1];
}

static bool grow(void **items, uint32_t *capacity, uint32_t needed, size_t item_size)
{
    if (needed <= *capacity)
        return true;
    uint64_t new_capacity = *capacity ? *capacity : 256;
    while (new_capacity < needed)
        new_capacity *= 2;
    if (new_capacity > UINT32_MAX / 2)
        return false;
    void *grown =
        reel_realloc(NULL, *items, (size_t)*capacity * item_size, (size_t)new_capacity * item_size);
    if (!grown)
        return false;
    *items = grown;
    *capacity = (uint32_t)new_capacity;
    return true;
}

/* The command new triangles with `texture` go into: the last one when it matches. */
static reel_draw_cmd *command_for(reel_draw_list *list, uint32_t texture)
{
    const float *clip = current_clip(list);
    if (list->n_cmds > 0) {
        reel_draw_cmd *last = &list->cmds[list->n_cmds - 1];
        if (last->scene < 0 && last->texture == texture &&
            memcmp(last->clip, clip, sizeof last->clip) == 0)
            return last;
        if (last->scene < 0 && last->index_count == 0) { /* unused: retarget it */
            last->texture = texture;
            memcpy(last->clip, clip, sizeof last->clip);
            return last;
        }
    }
    if (!grow((void **)&list->cmds, &list->cmd_capacity, list->n_cmds + 1, sizeof *list->cmds)) {
        list->failed = true;
        return NULL;
    }
    reel_draw_cmd *cmd = &list->cmds[list->n_cmds++];
    memcpy(cmd->clip, clip, sizeof cmd->clip);
    cmd->texture = texture;
    cmd->first_index = list->n_indices;
    cmd->index_count = 0;
    cmd->scene = -1;
    return cmd;
}

reel_draw_vertex *reel_draw_reserve(reel_draw_list *list, uint32_t texture, uint32_t n_vertices,
                                    uint32_t n_indices, uint32_t **indices, uint32_t *base)
{
    if (list->failed)
        return NULL;
    if (n_vertices > UINT32_MAX / 4 - list->n_vertices ||
        n_indices > UINT32_MAX / 4 - list->n_indices ||
        !grow((void **)&list->vertices, &list->vertex_capacity, list->n_vertices + n_vertices,
              sizeof *list->vertices) ||
        !grow((void **)&list->indices, &list->index_capacity, list->n_indices + n_indices,
              sizeof *list->indices)) {
        list->failed = true;
        return NULL;
    }
    reel_draw_cmd *cmd = command_for(list, texture);
    if (!cmd)
        return NULL;
    cmd->index_count += n_indices;
    reel_draw_vertex *first = &list->vertices[list->n_vertices];
    *indices = &list->indices[list->n_indices];
    *base = list->n_vertices;
    list->n_vertices += n_vertices;
    list->n_indices += n_indices;
    return first;
}

static uint32_t transparent(uint32_t rgba)
{
    return rgba & 0x00ffffffu;
}

static void set_vertex(reel_draw_vertex *v, float x, float y, float u, float w, uint32_t rgba)
{
    v->x = x;
    v->y = y;
    v->u = u;
    v->v = w;
    v->rgba = rgba;
}

/* Signed area times two; positive when the points go clockwise on screen (y down). */
static float signed_area2(const float *xy, uint32_t n)
{
    float area = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = (i + 1) % n;
        area += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return area;
}

/* Per point, the outward miter normal of a closed (or open) path, scaled so offsetting by it
 * keeps edges parallel; `outward_sign` flips the edge normals for the path's winding. */
static void path_normals(const float *xy, uint32_t n, bool closed, float outward_sign,
                         float *normals)
{
    float edge[MAX_PATH_POINTS][2];
    uint32_t n_edges = closed ? n : n - 1;
    for (uint32_t i = 0; i < n_edges; i++) {
        uint32_t j = (i + 1) % n;
        float dx = xy[2 * j] - xy[2 * i], dy = xy[2 * j + 1] - xy[2 * i + 1];
        float length = sqrtf(dx * dx + dy * dy);
        if (length > 0) {
            dx /= length;
            dy /= length;
        }
        edge[i][0] = dy * outward_sign;
        edge[i][1] = -dx * outward_sign;
    }
    for (uint32_t i = 0; i < n; i++) {
        float ax, ay, bx, by;
        if (closed) {
            uint32_t previous = (i + n - 1) % n;
            ax = edge[previous][0], ay = edge[previous][1];
            bx = edge[i][0], by = edge[i][1];
        } else {
            uint32_t a = i == 0 ? 0 : i - 1, b = i == n - 1 ? n - 2 : i;
            ax = edge[a][0], ay = edge[a][1];
            bx = edge[b][0], by = edge[b][1];
        }
        float mx = (ax + bx) * 0.5f, my = (ay + by) * 0.5f;
        float length2 = mx * mx + my * my;
        if (length2 > 1e-6f) {
            float scale = 1.0f / length2;
            if (scale > 100.0f) /* spikes at very sharp corners */
                scale = 100.0f;
            mx *= scale;
            my *= scale;
        }
        normals[2 * i] = mx;
        normals[2 * i + 1] = my;
    }
}

/* A convex polygon (any winding) with a feathered edge. */
static void fill_convex(reel_draw_list *list, const float *xy, uint32_t n, uint32_t rgba)
{
    if (n < 3 || n > MAX_PATH_POINTS || list->failed || clip_is_empty(list))
        return;
    float normals[2 * MAX_PATH_POINTS];
    float area = signed_area2(xy, n);
    if (area == 0)
        return;
    path_normals(xy, n, true, area > 0 ? 1.0f : -1.0f, normals);
    uint32_t *indices, base;
    uint32_t n_indices = 3 * (n - 2) + 6 * n;
    reel_draw_vertex *v =
        reel_draw_reserve(list, REEL_DRAW_ATLAS, 2 * n, n_indices, &indices, &base);
    if (!v)
        return;
    float u = list->white_u, w = list->white_v, half = FEATHER * 0.5f;
    uint32_t edge_color = transparent(rgba);
    for (uint32_t i = 0; i < n; i++) {
        float x = xy[2 * i], y = xy[2 * i + 1], nx = normals[2 * i], ny = normals[2 * i + 1];
        set_vertex(&v[2 * i], x - nx * half, y - ny * half, u, w, rgba);
        set_vertex(&v[2 * i + 1], x + nx * half, y + ny * half, u, w, edge_color);
    }
    for (uint32_t i = 2; i < n; i++) {
        *indices++ = base;
        *indices++ = base + 2 * (i - 1);
        *indices++ = base + 2 * i;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = (i + 1) % n;
        uint32_t inner_i = base + 2 * i, outer_i = inner_i + 1;
        uint32_t inner_j = base + 2 * j, outer_j = inner_j + 1;
        *indices++ = inner_i;
        *indices++ = outer_i;
        *indices++ = outer_j;
        *indices++ = inner_i;
        *indices++ = outer_j;
        *indices++ = inner_j;
    }
}

void reel_draw_polyline(reel_draw_list *list, const float *xy, uint32_t n, float thickness,
                        uint32_t rgba, bool closed)
{
    if (n < 2 || list->failed || clip_is_empty(list) || (rgba >> 24) == 0)
        return;
    if (n > MAX_PATH_POINTS) { /* long paths go in pieces that share their end points */
        uint32_t start = 0;
        while (start + 1 < n) {
            uint32_t count = n - start < MAX_PATH_POINTS ? n - start : MAX_PATH_POINTS;
            reel_draw_polyline(list, xy + 2 * start, count, thickness, rgba, false);
            start += count - 1;
        }
        if (closed) {
            float closing[4] = {xy[2 * (n - 1)], xy[2 * (n - 1) + 1], xy[0], xy[1]};
            reel_draw_polyline(list, closing, 2, thickness, rgba, false);
        }
        return;
    }
    if (thickness < FEATHER) { /* thinner than the ramp: fade instead */
        uint32_t alpha = (uint32_t)((float)(rgba >> 24) * fmaxf(thickness, 0.0f) / FEATHER);
        rgba = (rgba & 0x00ffffffu) | alpha << 24;
        thickness = FEATHER;
    }
    float normals[2 * MAX_PATH_POINTS];
    path_normals(xy, n, closed, 1.0f, normals);
    float inner = (thickness - FEATHER) * 0.5f, outer = inner + FEATHER;
    uint32_t n_segments = closed ? n : n - 1;
    uint32_t *indices, base;
    reel_draw_vertex *v =
        reel_draw_reserve(list, REEL_DRAW_ATLAS, 4 * n, 18 * n_segments, &indices, &base);
    if (!v)
        return;
    float u = list->white_u, w = list->white_v;
    uint32_t edge_color = transparent(rgba);
    for (uint32_t i = 0; i < n; i++) {
        float x = xy[2 * i], y = xy[2 * i + 1], nx = normals[2 * i], ny = normals[2 * i + 1];
        set_vertex(&v[4 * i + 0], x + nx * outer, y + ny * outer, u, w, edge_color);
        set_vertex(&v[4 * i + 1], x + nx * inner, y + ny * inner, u, w, rgba);
        set_vertex(&v[4 * i + 2], x - nx * inner, y - ny * inner, u, w, rgba);
        set_vertex(&v[4 * i + 3], x - nx * outer, y - ny * outer, u, w, edge_color);
    }
    for (uint32_t i = 0; i < n_segments; i++) {
        uint32_t a = base + 4 * i, b = base + 4 * ((i + 1) % n);
        for (uint32_t band = 0; band < 3; band++) {
            *indices++ = a + band;
            *indices++ = b + band;
            *indices++ = b + band + 1;
            *indices++ = a + band;
            *indices++ = b + band + 1;
            *indices++ = a + band + 1;
        }
    }
}

void reel_draw_line(reel_draw_list *list, float x0, float y0, float x1, float y1, float thickness,
                    uint32_t rgba)
{
    float pad = thickness + FEATHER;
    if (outside_clip(list, fminf(x0, x1) - pad, fminf(y0, y1) - pad, fmaxf(x0, x1) + pad,
                     fmaxf(y0, y1) + pad))
        return;
    float xy[4] = {x0, y0, x1, y1};
    reel_draw_polyline(list, xy, 2, thickness, rgba, false);
}

/* Segments for a quarter circle of `radius` pixels: smooth without wasting vertices. */
static uint32_t quarter_segments(float radius)
{
    int32_t segments = (int32_t)ceilf(radius * 0.35f) + 1;
    return (uint32_t)(segments < 2 ? 2 : segments > 16 ? 16 : segments);
}

/* The outline of a rounded rectangle, clockwise on screen. Returns the point count. */
static uint32_t rounded_rect_path(float *xy, float x0, float y0, float x1, float y1, float radius)
{
    float max_radius = fminf(x1 - x0, y1 - y0) * 0.5f;
    if (radius > max_radius)
        radius = max_radius;
    if (radius < 0.5f) {
        float corners[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
        memcpy(xy, corners, sizeof corners);
        return 4;
    }
    uint32_t segments = quarter_segments(radius), n = 0;
    const float centres[4][2] = {
        {x1 - radius, y0 + radius}, /* top right: from -90 to 0 degrees */
        {x1 - radius, y1 - radius}, /* bottom right: 0 to 90 */
        {x0 + radius, y1 - radius}, /* bottom left: 90 to 180 */
        {x0 + radius, y0 + radius}, /* top left: 180 to 270 */
    };
    const float pi = 3.14159265f;
    for (uint32_t corner = 0; corner < 4; corner++) {
        float start = -0.5f * pi + 0.5f * pi * (float)corner;
        for (uint32_t s = 0; s <= segments; s++) {
            float angle = start + 0.5f * pi * (float)s / (float)segments;
            xy[2 * n] = centres[corner][0] + cosf(angle) * radius;
            xy[2 * n + 1] = centres[corner][1] + sinf(angle) * radius;
            n++;
        }
    }
    return n;
}

void reel_draw_rect_filled(reel_draw_list *list, float x0, float y0, float x1, float y1,
                           float corner_radius, uint32_t rgba)
{
    if (x1 <= x0 || y1 <= y0 || (rgba >> 24) == 0 || list->failed ||
        outside_clip(list, x0, y0, x1, y1))
        return;
    if (corner_radius < 0.5f) {
        /* Axis-aligned and usually pixel-aligned: two triangles, no feather (crisp edges). */
        uint32_t *indices, base;
        reel_draw_vertex *v = reel_draw_reserve(list, REEL_DRAW_ATLAS, 4, 6, &indices, &base);
        if (!v)
            return;
        float u = list->white_u, w = list->white_v;
        set_vertex(&v[0], x0, y0, u, w, rgba);
        set_vertex(&v[1], x1, y0, u, w, rgba);
        set_vertex(&v[2], x1, y1, u, w, rgba);
        set_vertex(&v[3], x0, y1, u, w, rgba);
        const uint32_t quad[6] = {0, 1, 2, 0, 2, 3};
        for (int i = 0; i < 6; i++)
            indices[i] = base + quad[i];
        return;
    }
    float xy[2 * 4 * 17];
    uint32_t n = rounded_rect_path(xy, x0, y0, x1, y1, corner_radius);
    fill_convex(list, xy, n, rgba);
}

void reel_draw_rect_outline(reel_draw_list *list, float x0, float y0, float x1, float y1,
                            float corner_radius, float thickness, uint32_t rgba)
{
    if (x1 <= x0 || y1 <= y0 || list->failed ||
        outside_clip(list, x0 - thickness, y0 - thickness, x1 + thickness, y1 + thickness))
        return;
    /* The stroke lies inside the rectangle, as a border does. */
    float inset = thickness * 0.5f;
    float ix0 = x0 + inset, iy0 = y0 + inset, ix1 = x1 - inset, iy1 = y1 - inset;
    if (ix1 <= ix0 || iy1 <= iy0) {
        reel_draw_rect_filled(list, x0, y0, x1, y1, corner_radius, rgba);
        return;
    }
    float xy[2 * 4 * 17];
    uint32_t n = rounded_rect_path(xy, ix0, iy0, ix1, iy1, fmaxf(corner_radius - inset, 0.0f));
    reel_draw_polyline(list, xy, n, thickness, rgba, true);
}

void reel_draw_circle_filled(reel_draw_list *list, float cx, float cy, float radius, uint32_t rgba)
{
    if (radius <= 0 || (rgba >> 24) == 0 ||
        outside_clip(list, cx - radius - 1, cy - radius - 1, cx + radius + 1, cy + radius + 1))
        return;
    uint32_t n = 4 * quarter_segments(radius);
    float xy[2 * 64];
    const float pi = 3.14159265f;
    for (uint32_t i = 0; i < n; i++) {
        float angle = 2.0f * pi * (float)i / (float)n;
        xy[2 * i] = cx + cosf(angle) * radius;
        xy[2 * i + 1] = cy + sinf(angle) * radius;
    }
    fill_convex(list, xy, n, rgba);
}

void reel_draw_triangle_filled(reel_draw_list *list, const float xy[6], uint32_t rgba)
{
    if ((rgba >> 24) == 0 ||
        outside_clip(list, fminf(xy[0], fminf(xy[2], xy[4])), fminf(xy[1], fminf(xy[3], xy[5])),
                     fmaxf(xy[0], fmaxf(xy[2], xy[4])), fmaxf(xy[1], fmaxf(xy[3], xy[5]))))
        return;
    fill_convex(list, xy, 3, rgba);
}

void reel_draw_image(reel_draw_list *list, uint32_t texture, float x0, float y0, float x1, float y1,
                     float u0, float v0, float u1, float v1, uint32_t tint)
{
    if (x1 <= x0 || y1 <= y0 || list->failed || outside_clip(list, x0, y0, x1, y1))
        return;
    uint32_t *indices, base;
    reel_draw_vertex *v = reel_draw_reserve(list, texture, 4, 6, &indices, &base);
    if (!v)
        return;
    set_vertex(&v[0], x0, y0, u0, v0, tint);
    set_vertex(&v[1], x1, y0, u1, v0, tint);
    set_vertex(&v[2], x1, y1, u1, v1, tint);
    set_vertex(&v[3], x0, y1, u0, v1, tint);
    const uint32_t quad[6] = {0, 1, 2, 0, 2, 3};
    for (int i = 0; i < 6; i++)
        indices[i] = base + quad[i];
}

void reel_draw_scene_here(reel_draw_list *list, int32_t scene)
{
    if (list->failed || scene < 0)
        return;
    reel_draw_cmd *cmd = NULL;
    if (list->n_cmds > 0 && list->cmds[list->n_cmds - 1].scene < 0 &&
        list->cmds[list->n_cmds - 1].index_count == 0)
        cmd = &list->cmds[list->n_cmds - 1]; /* an unused triangle command: reuse it */
    else if (!grow((void **)&list->cmds, &list->cmd_capacity, list->n_cmds + 1,
                   sizeof *list->cmds)) {
        list->failed = true;
        return;
    } else
        cmd = &list->cmds[list->n_cmds++];
    memcpy(cmd->clip, current_clip(list), sizeof cmd->clip);
    cmd->texture = REEL_DRAW_ATLAS;
    cmd->first_index = list->n_indices;
    cmd->index_count = 0;
    cmd->scene = scene;
}
