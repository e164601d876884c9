/* The view-class table and the recommendation functions of the five classes this viewer has
 * (viewer-behavior.md §1.3–1.6): spatial topology (subspaces split at pinholes), 3D origins
 * from ViewCoordinates, 2D origins with image splitting, the 2D/3D exclusion rules, one time
 * series per Scalars entity, one text log at /, one text document per TextDocument entity. */
#include <stdlib.h>
#include <string.h>

#include "viewer/viewer_internal.h"

#define BIT(name) REEL_VIEWER_ARCH_BIT(name)

static const uint64_t MASK_3D = BIT(Points3D) | BIT(LineStrips3D) | BIT(Arrows3D) | BIT(Boxes3D) |
                                BIT(Ellipsoids3D) | BIT(Capsules3D) | BIT(Cylinders3D) |
                                BIT(Mesh3D) | BIT(Asset3D) | BIT(TransformAxes3D) |
                                BIT(GaussianSplats3D) | BIT(VoxelGridMap);
static const uint64_t MASK_2D = BIT(Points2D) | BIT(LineStrips2D) | BIT(Arrows2D) | BIT(Boxes2D) |
                                BIT(Ellipses2D) | BIT(Image) | BIT(EncodedImage) | BIT(DepthImage) |
                                BIT(EncodedDepthImage) | BIT(SegmentationImage) | BIT(AssetVideo) |
                                BIT(VideoFrameReference) | BIT(VideoStream);
static const uint64_t MASK_COLOR_IMAGE =
    BIT(Image) | BIT(EncodedImage) | BIT(AssetVideo) | BIT(VideoFrameReference) | BIT(VideoStream);
static const uint64_t MASK_DEPTH_IMAGE = BIT(DepthImage) | BIT(EncodedDepthImage);
static const uint64_t MASK_ANY_IMAGE =
    BIT(Image) | BIT(EncodedImage) | BIT(AssetVideo) | BIT(VideoFrameReference) | BIT(VideoStream) |
    BIT(DepthImage) | BIT(EncodedDepthImage) | BIT(SegmentationImage);

/* ---------------------------------------------------------------- helpers */

static const reel_viewer_entity *info(const reel_viewer_recording *rec, uint32_t e)
{
    return reel_viewer_entity_info(rec, e);
}

static uint64_t mask_of(const reel_viewer_recording *rec, uint32_t e)
{
    const reel_viewer_entity *i = info(rec, e);
    return i != NULL ? i->archetypes : 0;
}

static bool has_pinhole(const reel_viewer_recording *rec, uint32_t e)
{
    const reel_viewer_entity *i = info(rec, e);
    return i != NULL && i->has_pinhole;
}

static bool has_view_coordinates(const reel_viewer_recording *rec, uint32_t e)
{
    const reel_viewer_entity *i = info(rec, e);
    return i != NULL && i->has_view_coordinates;
}

/* Entities under the reserved __properties subtree are never offered. */
static bool included(const reel_store *store, uint32_t e)
{
    const char *path = reel_store_entity_path(store, e);
    return path != NULL && !reel_entity_path_is_prefix("/__properties", path);
}

/* Every entity of the tree in depth-first order (children in Rerun's order). */
static reel_status tree_order(const reel_store *store, uint32_t root, reel_vec *out)
{
    REEL_TRY(reel_vec_push(out, &root));
    const uint32_t *children = NULL;
    uint32_t n = reel_store_entity_children(store, root, &children);
    for (uint32_t i = 0; i < n; i++)
        REEL_TRY(tree_order(store, children[i], out));
    return REEL_OK;
}

static bool is_ancestor_or_self(const reel_store *store, uint32_t ancestor, uint32_t e)
{
    for (uint32_t x = e; x != REEL_STORE_NO_ID; x = reel_store_entity_parent(store, x))
        if (x == ancestor)
            return true;
    return false;
}

/* The origin of the subspace an entity belongs to: the nearest pinhole at or above it. */
static uint32_t subspace_of(const reel_viewer_recording *rec, const reel_store *store, uint32_t e)
{
    for (uint32_t x = e; x != REEL_STORE_NO_ID; x = reel_store_entity_parent(store, x))
        if (has_pinhole(rec, x))
            return x;
    return REEL_STORE_ROOT;
}

static reel_status push_recommendation(reel_view_recommendations *out, const char *origin,
                                       bool subtree, reel_error *err)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 8;
        void *items = realloc(out->items, cap * sizeof *out->items);
        if (items == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
        out->items = items;
        out->cap = cap;
    }
    reel_view_recommendation *r = &out->items[out->count];
    memset(r, 0, sizeof *r);
    r->origin = strdup(origin);
    const char *expr = subtree ? "+ $origin/**" : "+ $origin";
    if (r->origin == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    reel_status status = reel_view_filter_parse(&expr, 1, origin, &r->filter, err);
    if (status != REEL_OK) {
        free(r->origin);
        return status;
    }
    out->count++;
    return REEL_OK;
}

static reel_status add_exclusion(reel_view_recommendation *r, const char *path, reel_error *err)
{
    for (size_t i = 0; i < r->filter.count; i++)
        if (!r->filter.rules[i].include && strcmp(r->filter.rules[i].path, path) == 0)
            return REEL_OK;
    reel_view_rule *rules = realloc(r->filter.rules, (r->filter.count + 1) * sizeof *rules);
    if (rules == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    r->filter.rules = rules;
    rules[r->filter.count] =
        (reel_view_rule){.include = false, .subtree = true, .path = strdup(path)};
    if (rules[r->filter.count].path == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    r->filter.count++;
    return REEL_OK;
}

/* §1.6: exclude content only the other dimension can show. `own` are the kinds the view
 * shows (3D mask + pinholes/view coordinates, or the 2D mask), `other` the other kinds. */
static reel_status add_exclusions(const reel_viewer_recording *rec, const reel_store *store,
                                  reel_view_recommendation *r, const reel_vec *order, bool is_3d,
                                  reel_error *err)
{
    if (rec->any_frame_id)
        return REEL_OK;
    uint32_t origin = reel_store_entity_find(store, r->origin);
    if (origin == REEL_STORE_NO_ID)
        return REEL_OK;
    for (size_t i = 0; i < order->len; i++) {
        uint32_t e = REEL_VEC_AT(order, uint32_t, i);
        uint64_t m = mask_of(rec, e);
        bool own = is_3d ? (m & MASK_3D) || has_pinhole(rec, e) || has_view_coordinates(rec, e)
                         : (m & MASK_2D) != 0;
        bool other = is_3d ? (m & MASK_2D) != 0 : (m & MASK_3D) != 0;
        if (own || !other || !is_ancestor_or_self(store, origin, e) || e == origin)
            continue;
        /* Never exclude what sits below an included entity (2D under a camera stays). */
        bool under_own = false;
        for (uint32_t x = reel_store_entity_parent(store, e); x != REEL_STORE_NO_ID && !under_own;
             x = reel_store_entity_parent(store, x)) {
            uint64_t mx = mask_of(rec, x);
            under_own = is_3d
                            ? (mx & MASK_3D) || has_pinhole(rec, x) || has_view_coordinates(rec, x)
                            : (mx & MASK_2D) != 0;
            if (x == origin)
                break;
        }
        if (under_own)
            continue;
        /* The highest ancestor below the origin that holds no included entity. */
        uint32_t top = e;
        for (;;) {
            uint32_t parent = reel_store_entity_parent(store, top);
            if (parent == REEL_STORE_NO_ID || parent == origin)
                break;
            bool holds_own = false;
            for (size_t j = 0; j < order->len && !holds_own; j++) {
                uint32_t o = REEL_VEC_AT(order, uint32_t, j);
                uint64_t mo = mask_of(rec, o);
                bool o_own =
                    is_3d ? (mo & MASK_3D) || has_pinhole(rec, o) || has_view_coordinates(rec, o)
                          : (mo & MASK_2D) != 0;
                holds_own = o_own && is_ancestor_or_self(store, parent, o);
            }
            if (holds_own)
                break;
            top = parent;
        }
        REEL_TRY(add_exclusion(r, reel_store_entity_path(store, top), err));
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- 3D */

static reel_status recommend_3d(const reel_viewer_recording *rec, reel_view_recommendations *out,
                                reel_error *err)
{
    const reel_store *store = reel_viewer_recording_store(rec);
    reel_vec order;
    reel_vec_init(&order, sizeof(uint32_t), NULL);
    reel_status status = tree_order(store, REEL_STORE_ROOT, &order);
    size_t first = out->count;
    /* Only the root subspace supports 3D (every other one hangs off a pinhole). */
    bool any_entity = false, uncovered = false;
    for (size_t i = 0; status == REEL_OK && i < order.len; i++) {
        uint32_t e = REEL_VEC_AT(&order, uint32_t, i);
        if (!included(store, e))
            continue;
        bool pinhole_child =
            has_pinhole(rec, e) &&
            subspace_of(rec, store, reel_store_entity_parent(store, e)) == REEL_STORE_ROOT;
        if (subspace_of(rec, store, e) != REEL_STORE_ROOT && !pinhole_child)
            continue;
        if (reel_store_entity_chunks(store, e) > 0 || pinhole_child)
            any_entity = true;
        if (has_view_coordinates(rec, e) && !has_pinhole(rec, e))
            status = push_recommendation(out, reel_store_entity_path(store, e), true, err);
    }
    /* The subspace origin too when some 3D content or camera is outside those origins. */
    for (size_t i = 0; status == REEL_OK && i < order.len && !uncovered; i++) {
        uint32_t e = REEL_VEC_AT(&order, uint32_t, i);
        if (!included(store, e))
            continue;
        bool pinhole_child =
            has_pinhole(rec, e) &&
            subspace_of(rec, store, reel_store_entity_parent(store, e)) == REEL_STORE_ROOT;
        if (subspace_of(rec, store, e) != REEL_STORE_ROOT && !pinhole_child)
            continue;
        /* Any Pinhole component or ViewCoordinates also indicates 3D (view_3d.rs). */
        bool indicated = (mask_of(rec, e) & (MASK_3D | BIT(Pinhole))) || has_pinhole(rec, e) ||
                         has_view_coordinates(rec, e);
        if (!indicated)
            continue;
        bool covered = false;
        for (size_t r = first; r < out->count && !covered; r++) {
            uint32_t o = reel_store_entity_find(store, out->items[r].origin);
            covered = o != REEL_STORE_NO_ID && is_ancestor_or_self(store, o, e);
        }
        uncovered = !covered;
    }
    /* After the ViewCoordinates origins, as view_3d.rs pushes it. */
    if (status == REEL_OK && any_entity && uncovered)
        status = push_recommendation(out, "/", true, err);
    for (size_t r = first; status == REEL_OK && r < out->count; r++)
        status = add_exclusions(rec, store, &out->items[r], &order, true, err);
    reel_vec_free(&order);
    return status;
}

/* ---------------------------------------------------------------- 2D */

/* Images of a subtree, counted as Rerun's view_2d.rs does: only entities whose image size is
 * known take part (an EncodedImage whose size was never seen counts as no image). */
typedef struct image_stats {
    uint32_t w, h;
    bool have_dims, same_size;
    int color, depth, images;
} image_stats;

static void collect_images(const reel_viewer_recording *rec, const reel_store *store, uint32_t e,
                           image_stats *s)
{
    const reel_viewer_entity *i = info(rec, e);
    if (i != NULL && (i->archetypes & MASK_ANY_IMAGE) && i->image_width != 0) {
        if (!s->have_dims) {
            s->have_dims = true;
            s->w = i->image_width;
            s->h = i->image_height;
        } else if (s->w != i->image_width || s->h != i->image_height) {
            s->same_size = false;
        }
        s->images++;
        s->color += (i->archetypes & MASK_COLOR_IMAGE) != 0;
        s->depth += (i->archetypes & MASK_DEPTH_IMAGE) != 0;
    }
    const uint32_t *children = NULL;
    uint32_t n = reel_store_entity_children(store, e, &children);
    for (uint32_t c = 0; c < n; c++)
        collect_images(rec, store, children[c], s);
}

static bool is_relevant_2d(const reel_viewer_recording *rec, const reel_store *store, uint32_t e,
                           uint32_t subspace)
{
    return included(store, e) && (mask_of(rec, e) & MASK_2D) &&
           subspace_of(rec, store, e) == subspace;
}

/* view_2d.rs recommended_views_with_image_splits: one subtree view where the images stack (one
 * size, at most one color and one depth image), else split recursively; a subtree view that
 * would only wrap a single more specific view is not made. */
static reel_status split_images(const reel_viewer_recording *rec, const reel_store *store,
                                uint32_t root, uint32_t subspace, reel_view_recommendations *out,
                                reel_error *err)
{
    image_stats s = {.same_size = true};
    collect_images(rec, store, root, &s);
    if (s.images == 0)
        return REEL_OK;
    bool stackable = s.same_size && s.color <= 1 && s.depth <= 1;
    bool root_relevant = is_relevant_2d(rec, store, root, subspace);
    const char *path = reel_store_entity_path(store, root);
    if (stackable && root_relevant)
        return push_recommendation(out, path, true, err);
    size_t before = out->count;
    if (root_relevant)
        REEL_TRY(push_recommendation(out, path, false, err));
    const uint32_t *children = NULL;
    uint32_t n = reel_store_entity_children(store, root, &children);
    for (uint32_t c = 0; c < n; c++)
        REEL_TRY(split_images(rec, store, children[c], subspace, out, err));
    if (stackable && out->count - before > 1) {
        while (out->count > before) {
            out->count--;
            free(out->items[out->count].origin);
            reel_view_filter_reset(&out->items[out->count].filter);
        }
        REEL_TRY(push_recommendation(out, path, true, err));
    }
    return REEL_OK;
}

static reel_status recommend_2d(const reel_viewer_recording *rec, reel_view_recommendations *out,
                                reel_error *err)
{
    const reel_store *store = reel_viewer_recording_store(rec);
    reel_vec order, subspaces;
    reel_vec_init(&order, sizeof(uint32_t), NULL);
    reel_vec_init(&subspaces, sizeof(uint32_t), NULL);
    reel_status status = tree_order(store, REEL_STORE_ROOT, &order);
    uint32_t root = REEL_STORE_ROOT;
    if (status == REEL_OK)
        status = reel_vec_push(&subspaces, &root);
    for (size_t i = 0; status == REEL_OK && i < order.len; i++) {
        uint32_t e = REEL_VEC_AT(&order, uint32_t, i);
        if (has_pinhole(rec, e) && included(store, e))
            status = reel_vec_push(&subspaces, &e);
    }
    size_t first = out->count;
    for (size_t s = 0; status == REEL_OK && s < subspaces.len; s++) {
        uint32_t sub = REEL_VEC_AT(&subspaces, uint32_t, s);
        /* The 2D entities of the subspace and their common ancestor. */
        uint32_t common = REEL_STORE_NO_ID;
        for (size_t i = 0; i < order.len; i++) {
            uint32_t e = REEL_VEC_AT(&order, uint32_t, i);
            if (!included(store, e) || !(mask_of(rec, e) & MASK_2D) ||
                subspace_of(rec, store, e) != sub)
                continue;
            if (common == REEL_STORE_NO_ID) {
                common = e;
            } else {
                while (!is_ancestor_or_self(store, common, e))
                    common = reel_store_entity_parent(store, common);
            }
        }
        if (common == REEL_STORE_NO_ID)
            continue;
        uint32_t start = sub != REEL_STORE_ROOT ? sub : common;
        size_t before = out->count;
        status = split_images(rec, store, start, sub, out, err);
        /* No images: one view at the root of the 2D content. */
        if (status == REEL_OK && out->count == before)
            status = push_recommendation(out, reel_store_entity_path(store, start), true, err);
    }
    for (size_t r = first; status == REEL_OK && r < out->count; r++)
        status = add_exclusions(rec, store, &out->items[r], &order, false, err);
    reel_vec_free(&order);
    reel_vec_free(&subspaces);
    return status;
}

/* ---------------------------------------------------------------- plots and text */

typedef bool (*entity_pred)(const reel_viewer_recording *rec, uint32_t e);

static reel_status one_per_entity(const reel_viewer_recording *rec, entity_pred pred,
                                  reel_view_recommendations *out, reel_error *err)
{
    const reel_store *store = reel_viewer_recording_store(rec);
    reel_vec order;
    reel_vec_init(&order, sizeof(uint32_t), NULL);
    reel_status status = tree_order(store, REEL_STORE_ROOT, &order);
    for (size_t i = 0; status == REEL_OK && i < order.len; i++) {
        uint32_t e = REEL_VEC_AT(&order, uint32_t, i);
        if (included(store, e) && pred(rec, e))
            status = push_recommendation(out, reel_store_entity_path(store, e), false, err);
    }
    reel_vec_free(&order);
    return status;
}

static bool is_scalar_series(const reel_viewer_recording *rec, uint32_t e)
{
    const reel_viewer_entity *i = info(rec, e);
    return i != NULL && i->has_temporal_scalars;
}

static bool is_text_document(const reel_viewer_recording *rec, uint32_t e)
{
    return (mask_of(rec, e) & BIT(TextDocument)) != 0;
}

static reel_status recommend_time_series(const reel_viewer_recording *rec,
                                         reel_view_recommendations *out, reel_error *err)
{
    return one_per_entity(rec, is_scalar_series, out, err);
}

static reel_status recommend_text_document(const reel_viewer_recording *rec,
                                           reel_view_recommendations *out, reel_error *err)
{
    return one_per_entity(rec, is_text_document, out, err);
}

static reel_status recommend_text_log(const reel_viewer_recording *rec,
                                      reel_view_recommendations *out, reel_error *err)
{
    const reel_store *store = reel_viewer_recording_store(rec);
    uint32_t n = reel_store_entity_count(store);
    for (uint32_t e = 0; e < n; e++)
        if (included(store, e) && (mask_of(rec, e) & BIT(TextLog)))
            return push_recommendation(out, "/", true, err);
    return REEL_OK;
}

/* ---------------------------------------------------------------- the table */

static const char *const archetypes_3d[] = {"AnnotationContext",
                                            "Arrows3D",
                                            "Asset3D",
                                            "Boxes3D",
                                            "Capsules3D",
                                            "Clear",
                                            "CoordinateFrame",
                                            "Cylinders3D",
                                            "Ellipsoids3D",
                                            "GaussianSplats3D",
                                            "InstancePoses3D",
                                            "LineStrips3D",
                                            "Mesh3D",
                                            "Pinhole",
                                            "Points3D",
                                            "Transform3D",
                                            "TransformAxes3D",
                                            "ViewCoordinates",
                                            "VoxelGridMap",
                                            NULL};
static const char *const archetypes_2d[] = {"AnnotationContext",
                                            "Arrows2D",
                                            "AssetVideo",
                                            "Boxes2D",
                                            "Clear",
                                            "CoordinateFrame",
                                            "DepthImage",
                                            "Ellipses2D",
                                            "EncodedDepthImage",
                                            "EncodedImage",
                                            "Image",
                                            "LineStrips2D",
                                            "Pinhole",
                                            "Points2D",
                                            "SegmentationImage",
                                            "VideoFrameReference",
                                            "VideoStream",
                                            NULL};
static const char *const archetypes_time_series[] = {"Clear", "Scalars", "SeriesLines",
                                                     "SeriesPoints", NULL};
static const char *const archetypes_text_log[] = {"TextLog", NULL};
static const char *const archetypes_text_document[] = {"TextDocument", NULL};

/* Sorted by display name (the heuristic's iteration order). */
static const reel_view_class view_classes[] = {
    {"2D", "2D", REEL_VIEW_PRIORITY_HIGH, archetypes_2d, recommend_2d},
    {"3D", "3D", REEL_VIEW_PRIORITY_HIGH, archetypes_3d, recommend_3d},
    {"TextDocument", "Text document", REEL_VIEW_PRIORITY_LOW, archetypes_text_document,
     recommend_text_document},
    {"TextLog", "Text log", REEL_VIEW_PRIORITY_LOW, archetypes_text_log, recommend_text_log},
    {"TimeSeries", "Time series", REEL_VIEW_PRIORITY_LOW, archetypes_time_series,
     recommend_time_series},
};

size_t reel_view_class_count(void)
{
    return sizeof view_classes / sizeof view_classes[0];
}

const reel_view_class *reel_view_class_at(size_t index)
{
    return index < reel_view_class_count() ? &view_classes[index] : NULL;
}

const reel_view_class *reel_view_class_find(const char *identifier)
{
    for (size_t i = 0; i < reel_view_class_count(); i++)
        if (strcmp(view_classes[i].identifier, identifier) == 0)
            return &view_classes[i];
    return NULL;
}
