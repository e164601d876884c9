/* Reading components for the views: latest-at at the time cursor (through the app's cache
 * when it has one) and typed access to the Arrow values of one cell, checked against the
 * column's type so a column of an unexpected type is skipped rather than misread. Also the
 * AnnotationContext lookup (nearest ancestor wins), which spatial views use for class colours
 * and labels. */
#include "views/views_internal.h"

#include <stdlib.h>

void view_ctx_init(view_ctx *ctx, const reel_view_input *in)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->in = in;
    ctx->store = in->store;
    ctx->timeline =
        in->timeline ? reel_store_timeline_find(in->store, in->timeline) : REEL_STORE_NO_ID;
    ctx->time = in->time;
    ctx->arena = in->arena;
    static const char *const NAMES[VIEW_C_COUNT] = {
#define VIEW__COMPONENT_NAME(id, name) name,
        VIEW_COMPONENT_TABLE(VIEW__COMPONENT_NAME)
#undef VIEW__COMPONENT_NAME
    };
    for (int i = 0; i < VIEW_C_COUNT; i++)
        ctx->ids[i] = reel_store_component_find(in->store, NAMES[i]);
    ctx->scale = in->ui ? reel_ui_scale(in->ui) : 1.0f;
    if (!(ctx->scale > 0))
        ctx->scale = 1.0f;
}

void *view_alloc(view_ctx *ctx, size_t count, size_t size)
{
    size_t bytes = 0;
    if (!reel_size_mul(count, size, &bytes))
        return NULL;
    return reel_arena_alloc(ctx->arena, bytes ? bytes : 1, 16);
}

bool view_cell_at(const reel_chunk *chunk, const reel_chunk_component *column, int64_t row,
                  view_cell *out)
{
    memset(out, 0, sizeof *out);
    if (column == NULL || column->field.n_children != 1 || column->lists.n_children != 1 ||
        row < 0 || row >= column->lists.length)
        return false;
    if (column->field.type != REEL_ARROW_LIST && column->field.type != REEL_ARROW_LARGE_LIST)
        return false;
    if (reel_arrow_array_is_null(&column->field, &column->lists, row))
        return false;
    reel_arrow_array_get_list_range(&column->field, &column->lists, row, &out->start, &out->end);
    out->field = &column->field.children[0];
    out->array = &column->lists.children[0];
    out->chunk = chunk;
    out->row = row;
    if (out->end < out->start || out->end > out->array->length)
        return false;
    return true;
}

bool view_query_id(const view_ctx *ctx, uint32_t entity, uint32_t component, view_cell *out)
{
    memset(out, 0, sizeof *out);
    if (component == REEL_STORE_NO_ID || entity == REEL_STORE_NO_ID)
        return false;
    reel_store_result res;
    reel_store_state state =
        ctx->in->cache ? reel_store_latest_at_cached(ctx->store, ctx->in->cache, entity,
                                                     ctx->timeline, ctx->time, component, &res)
                       : reel_store_latest_at_id(ctx->store, entity, ctx->timeline, ctx->time,
                                                 component, &res);
    if (state != REEL_STORE_VALUE)
        return false;
    if (!view_cell_at(res.value.chunk, res.column, res.value.row, out))
        return false;
    out->component = component;
    return out->end > out->start;
}

uint32_t view_component_id(view_ctx *ctx, const char *archetype, const char *field)
{
    for (uint32_t i = 0; i < ctx->n_memo; i++)
        if (ctx->memo[i].a == archetype && ctx->memo[i].b == field)
            return ctx->memo[i].id;
    uint32_t id;
    if (field) {
        char name[128];
        snprintf(name, sizeof name, "%s:%s", archetype, field);
        id = reel_store_component_find(ctx->store, name);
    } else {
        id = reel_store_component_find(ctx->store, archetype);
    }
    if (ctx->n_memo < VIEW_NAME_MEMO)
        ctx->memo[ctx->n_memo++] = (view_name_memo){archetype, field, id};
    return id;
}

bool view_query_arch(view_ctx *ctx, uint32_t entity, const char *archetype, const char *field,
                     view_cell *out)
{
    return view_query_id(ctx, entity, view_component_id(ctx, archetype, field), out);
}

bool view_query(const view_ctx *ctx, uint32_t entity, const char *component, view_cell *out)
{
    return view_query_id(ctx, entity, reel_store_component_find(ctx->store, component), out);
}

/* The leaf values of a primitive (width 1) or fixed-size-list (width > 1) cell. */
static const void *leaf_values(const view_cell *c, int width, reel_arrow_type type,
                               size_t elem_size, uint32_t *n)
{
    *n = 0;
    if (c->field == NULL)
        return NULL;
    const reel_arrow_field *leaf_field = c->field;
    const reel_arrow_array *leaf = c->array;
    int64_t first = c->array->offset + c->start;
    if (width > 1) {
        if (c->field->type != REEL_ARROW_FIXED_SIZE_LIST || c->field->fixed_size != width ||
            c->field->n_children != 1 || c->array->n_children != 1)
            return NULL;
        leaf_field = &c->field->children[0];
        leaf = &c->array->children[0];
        first = leaf->offset + first * width;
    }
    if (leaf_field->type != type || leaf->n_buffers < 2 || leaf->buffers[1].data == NULL)
        return NULL;
    int64_t count = c->end - c->start;
    if ((first + count * width) * (int64_t)elem_size > leaf->buffers[1].size)
        return NULL;
    *n = (uint32_t)count;
    return leaf->buffers[1].data + first * (int64_t)elem_size;
}

const float *view_cell_f32(const view_cell *c, int width, uint32_t *n)
{
    return leaf_values(c, width, REEL_ARROW_FLOAT32, 4, n);
}
const double *view_cell_f64(const view_cell *c, int width, uint32_t *n)
{
    return leaf_values(c, width, REEL_ARROW_FLOAT64, 8, n);
}
const uint32_t *view_cell_u32(const view_cell *c, int width, uint32_t *n)
{
    return leaf_values(c, width, REEL_ARROW_UINT32, 4, n);
}
const uint16_t *view_cell_u16(const view_cell *c, int width, uint32_t *n)
{
    return leaf_values(c, width, REEL_ARROW_UINT16, 2, n);
}
const uint8_t *view_cell_u8(const view_cell *c, int width, uint32_t *n)
{
    return leaf_values(c, width, REEL_ARROW_UINT8, 1, n);
}

bool view_cell_string(const view_cell *c, uint32_t i, reel_span *out)
{
    if (c->field == NULL || i >= view_cell_len(c) ||
        (c->field->type != REEL_ARROW_UTF8 && c->field->type != REEL_ARROW_LARGE_UTF8))
        return false;
    if (reel_arrow_array_is_null(c->field, c->array, c->start + i))
        return false;
    *out = reel_arrow_array_get_bytes(c->field, c->array, c->start + i);
    return true;
}

bool view_cell_bool(const view_cell *c, bool *out)
{
    if (c->field == NULL || c->field->type != REEL_ARROW_BOOL || c->end <= c->start)
        return false;
    *out = reel_arrow_array_get_bool(c->array, c->start);
    return true;
}

bool view_cell_bytes(const view_cell *c, uint32_t i, reel_span *out)
{
    if (c->field == NULL || i >= view_cell_len(c) ||
        (c->field->type != REEL_ARROW_LIST && c->field->type != REEL_ARROW_LARGE_LIST) ||
        c->field->n_children != 1 || c->field->children[0].type != REEL_ARROW_UINT8 ||
        c->array->n_children != 1)
        return false;
    int64_t s = 0, e = 0;
    reel_arrow_array_get_list_range(c->field, c->array, c->start + i, &s, &e);
    const reel_arrow_array *bytes = &c->array->children[0];
    if (bytes->n_buffers < 2 || e < s || bytes->offset + e > bytes->buffers[1].size)
        return false;
    *out = reel_span_make(bytes->buffers[1].data + bytes->offset + s, (size_t)(e - s));
    return true;
}

float view_query_f32(const view_ctx *ctx, uint32_t entity, const char *component, float fallback)
{
    view_cell c;
    uint32_t n = 0;
    const float *v = view_query(ctx, entity, component, &c) ? view_cell_f32(&c, 1, &n) : NULL;
    return v && n > 0 && isfinite(v[0]) ? v[0] : fallback;
}

uint32_t view_query_u8(const view_ctx *ctx, uint32_t entity, const char *component,
                       uint32_t fallback)
{
    view_cell c;
    uint32_t n = 0;
    const uint8_t *v = view_query(ctx, entity, component, &c) ? view_cell_u8(&c, 1, &n) : NULL;
    return v && n > 0 ? v[0] : fallback;
}

/* ---------------------------------------------------------------- annotation contexts */

static int32_t child_index(const reel_arrow_field *field, const char *name)
{
    for (int32_t i = 0; i < field->n_children; i++)
        if (field->children[i].name && strcmp(field->children[i].name, name) == 0)
            return i;
    return -1;
}

static int compare_class(const void *a, const void *b)
{
    const view_class *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Parses one AnnotationContext instance: list<struct<class_id, class_description:
 * struct<info: struct<id, label, color>, ...>>>. */
static bool parse_annotations(view_ctx *ctx, const view_cell *cell, view_annotations *out)
{
    const reel_arrow_field *list_field = cell->field;
    const reel_arrow_array *list = cell->array;
    if ((list_field->type != REEL_ARROW_LIST && list_field->type != REEL_ARROW_LARGE_LIST) ||
        list_field->n_children != 1 || list->n_children != 1)
        return false;
    int64_t s = 0, e = 0;
    reel_arrow_array_get_list_range(list_field, list, cell->start, &s, &e);
    const reel_arrow_field *elem_f = &list_field->children[0];
    const reel_arrow_array *elem = &list->children[0];
    if (elem_f->type != REEL_ARROW_STRUCT || elem->n_children != elem_f->n_children)
        return false;
    int32_t i_class = child_index(elem_f, "class_id");
    int32_t i_desc = child_index(elem_f, "class_description");
    if (i_class < 0 || i_desc < 0)
        return false;
    const reel_arrow_field *desc_f = &elem_f->children[i_desc];
    const reel_arrow_array *desc = &elem->children[i_desc];
    int32_t i_info = desc_f->type == REEL_ARROW_STRUCT ? child_index(desc_f, "info") : -1;
    if (i_info < 0 || desc->n_children != desc_f->n_children)
        return false;
    const reel_arrow_field *info_f = &desc_f->children[i_info];
    const reel_arrow_array *info = &desc->children[i_info];
    if (info_f->type != REEL_ARROW_STRUCT || info->n_children != info_f->n_children)
        return false;
    int32_t i_label = child_index(info_f, "label"), i_color = child_index(info_f, "color");
    const reel_arrow_field *class_f = &elem_f->children[i_class];
    if (class_f->type != REEL_ARROW_UINT16)
        return false;
    out->n = 0;
    out->classes = view_alloc(ctx, (size_t)(e > s ? e - s : 1), sizeof(view_class));
    if (out->classes == NULL)
        return false;
    for (int64_t k = s; k < e; k++) {
        view_class *vc = &out->classes[out->n];
        memset(vc, 0, sizeof *vc);
        int64_t ek = elem->offset + k; /* struct children are indexed with the offset */
        vc->id = (uint16_t)reel_arrow_array_get_uint(class_f, &elem->children[i_class], ek);
        int64_t dk = desc->offset + ek;
        int64_t ik = info->offset + dk;
        if (i_label >= 0 && (info_f->children[i_label].type == REEL_ARROW_UTF8) &&
            !reel_arrow_array_is_null(&info_f->children[i_label], &info->children[i_label], ik)) {
            reel_span label = reel_arrow_array_get_bytes(&info_f->children[i_label],
                                                         &info->children[i_label], ik);
            vc->label = (const char *)label.data;
            vc->label_len = label.len;
        }
        if (i_color >= 0 && info_f->children[i_color].type == REEL_ARROW_UINT32 &&
            !reel_arrow_array_is_null(&info_f->children[i_color], &info->children[i_color], ik)) {
            vc->has_color = true;
            vc->color = view_color_from_rerun((uint32_t)reel_arrow_array_get_uint(
                &info_f->children[i_color], &info->children[i_color], ik));
        }
        out->n++;
    }
    qsort(out->classes, out->n, sizeof(view_class), compare_class);
    return true;
}

bool view_annotations_find(view_ctx *ctx, uint32_t entity, view_annotations *out)
{
    memset(out, 0, sizeof *out);
    uint32_t component = reel_store_component_find(ctx->store, "AnnotationContext:context");
    if (component == REEL_STORE_NO_ID)
        return false;
    for (uint32_t e = entity; e != REEL_STORE_NO_ID; e = reel_store_entity_parent(ctx->store, e)) {
        view_cell cell;
        if (view_query_id(ctx, e, component, &cell))
            return parse_annotations(ctx, &cell, out);
    }
    return false;
}

const view_class *view_annotations_lookup(const view_annotations *a, uint16_t id)
{
    if (a == NULL)
        return NULL;
    uint32_t lo = 0, hi = a->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (a->classes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->n && a->classes[lo].id == id ? &a->classes[lo] : NULL;
}

uint32_t view_instance_color(const uint32_t *colors, uint32_t n_colors, const uint16_t *class_ids,
                             uint32_t n_class_ids, const view_annotations *ann, uint32_t i,
                             uint32_t fallback)
{
    if (colors && n_colors > 0)
        return view_color_from_rerun(colors[i < n_colors ? i : n_colors - 1]);
    if (class_ids && n_class_ids > 0) {
        uint16_t id = class_ids[i < n_class_ids ? i : n_class_ids - 1];
        const view_class *c = view_annotations_lookup(ann, id);
        if (c && c->has_color)
            return c->color;
        return reel_view_auto_color_index(id);
    }
    return fallback;
}

const char *view_short_name(const char *path)
{
    if (path == NULL)
        return "";
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return path;
    return slash[1] ? slash + 1 : path;
}

const uint16_t *view_class_ids(view_ctx *ctx, uint32_t entity, const char *archetype,
                               uint32_t *n)
{
    view_cell cell;
    *n = 0;
    return view_query_arch(ctx, entity, archetype, "class_ids", &cell) ? view_cell_u16(&cell, 1, n)
                                                                        : NULL;
}
