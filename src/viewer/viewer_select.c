/* Hover and selection (viewer-behavior.md §8.1–8.2): items (recording, entity/instance,
 * component, data result, view, container), click = replace, Ctrl/Cmd-click = toggle, Esc =
 * clear; hover is global and what was hovered during a frame is what everyone sees the next
 * frame. Selection sets own copies of their strings. Not persisted (Rerun does not either). */
#include <string.h>

#include "viewer/viewer_internal.h"

static bool str_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

bool reel_viewer_item_equal(const reel_viewer_item *a, const reel_viewer_item *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case REEL_ITEM_NONE:
        return true;
    case REEL_ITEM_RECORDING:
        return str_equal(a->recording_id, b->recording_id);
    case REEL_ITEM_ENTITY:
        return str_equal(a->entity_path, b->entity_path) && a->instance == b->instance;
    case REEL_ITEM_COMPONENT:
        return str_equal(a->entity_path, b->entity_path) && str_equal(a->component, b->component);
    case REEL_ITEM_DATA_RESULT:
        return str_equal(a->entity_path, b->entity_path) && a->instance == b->instance &&
               reel_viewer_uuid_equal(a->id, b->id);
    case REEL_ITEM_VIEW:
    case REEL_ITEM_CONTAINER:
        return reel_viewer_uuid_equal(a->id, b->id);
    }
    return false;
}

static void item_free(const reel_allocator *alloc, reel_viewer_item *item)
{
    reel_strfree(alloc, (char *)item->recording_id);
    reel_strfree(alloc, (char *)item->entity_path);
    reel_strfree(alloc, (char *)item->component);
    memset(item, 0, sizeof *item);
}

static bool item_copy(const reel_allocator *alloc, const reel_viewer_item *src,
                      reel_viewer_item *dst)
{
    *dst = *src;
    dst->recording_id = src->recording_id ? reel_strdup(alloc, src->recording_id) : NULL;
    dst->entity_path = src->entity_path ? reel_strdup(alloc, src->entity_path) : NULL;
    dst->component = src->component ? reel_strdup(alloc, src->component) : NULL;
    if ((src->recording_id && !dst->recording_id) || (src->entity_path && !dst->entity_path) ||
        (src->component && !dst->component)) {
        item_free(alloc, dst);
        return false;
    }
    return true;
}

void reel_viewer_select_clear(reel_viewer *viewer)
{
    for (size_t i = 0; i < viewer->selection.len; i++)
        item_free(viewer->alloc, &REEL_VEC_AT(&viewer->selection, reel_viewer_item, i));
    reel_vec_clear(&viewer->selection);
}

void reel_viewer_select(reel_viewer *viewer, const reel_viewer_item *item)
{
    reel_viewer_select_clear(viewer);
    if (item == NULL || item->kind == REEL_ITEM_NONE)
        return;
    reel_viewer_item copy;
    if (item_copy(viewer->alloc, item, &copy) &&
        reel_vec_push(&viewer->selection, &copy) != REEL_OK)
        item_free(viewer->alloc, &copy);
}

void reel_viewer_select_toggle(reel_viewer *viewer, const reel_viewer_item *item)
{
    for (size_t i = 0; i < viewer->selection.len; i++) {
        reel_viewer_item *it = &REEL_VEC_AT(&viewer->selection, reel_viewer_item, i);
        if (reel_viewer_item_equal(it, item)) {
            item_free(viewer->alloc, it);
            memmove(it, it + 1, (viewer->selection.len - i - 1) * sizeof *it);
            viewer->selection.len--;
            return;
        }
    }
    reel_viewer_item copy;
    if (item_copy(viewer->alloc, item, &copy) &&
        reel_vec_push(&viewer->selection, &copy) != REEL_OK)
        item_free(viewer->alloc, &copy);
}

size_t reel_viewer_selection_count(const reel_viewer *viewer)
{
    return viewer->selection.len;
}

const reel_viewer_item *reel_viewer_selection_at(const reel_viewer *viewer, size_t index)
{
    return index < viewer->selection.len ? &REEL_VEC_AT(&viewer->selection, reel_viewer_item, index)
                                         : NULL;
}

bool reel_viewer_is_selected(const reel_viewer *viewer, const reel_viewer_item *item)
{
    for (size_t i = 0; i < viewer->selection.len; i++)
        if (reel_viewer_item_equal(&REEL_VEC_AT(&viewer->selection, reel_viewer_item, i), item))
            return true;
    return false;
}

void reel_viewer_hover(reel_viewer *viewer, const reel_viewer_item *item)
{
    if (viewer->has_hover_next)
        item_free(viewer->alloc, &viewer->hover_next);
    viewer->has_hover_next = item != NULL && item->kind != REEL_ITEM_NONE &&
                             item_copy(viewer->alloc, item, &viewer->hover_next);
}

void reel__viewer_hover_swap(reel_viewer *viewer);
void reel__viewer_hover_swap(reel_viewer *viewer)
{
    if (viewer->has_hover)
        item_free(viewer->alloc, &viewer->hover);
    viewer->hover = viewer->hover_next;
    viewer->has_hover = viewer->has_hover_next;
    memset(&viewer->hover_next, 0, sizeof viewer->hover_next);
    viewer->has_hover_next = false;
}

void reel__viewer_hover_free(reel_viewer *viewer);
void reel__viewer_hover_free(reel_viewer *viewer)
{
    if (viewer->has_hover)
        item_free(viewer->alloc, &viewer->hover);
    if (viewer->has_hover_next)
        item_free(viewer->alloc, &viewer->hover_next);
    viewer->has_hover = viewer->has_hover_next = false;
}

const reel_viewer_item *reel_viewer_hovered(const reel_viewer *viewer)
{
    return viewer->has_hover ? &viewer->hover : NULL;
}

static bool item_is_entity(const reel_viewer_item *item, const char *entity_path)
{
    return (item->kind == REEL_ITEM_ENTITY || item->kind == REEL_ITEM_COMPONENT ||
            item->kind == REEL_ITEM_DATA_RESULT) &&
           str_equal(item->entity_path, entity_path);
}

bool reel_viewer_entity_is_hovered(const reel_viewer *viewer, const char *entity_path)
{
    return viewer->has_hover && item_is_entity(&viewer->hover, entity_path);
}

bool reel_viewer_entity_is_selected(const reel_viewer *viewer, const char *entity_path)
{
    for (size_t i = 0; i < viewer->selection.len; i++)
        if (item_is_entity(&REEL_VEC_AT(&viewer->selection, reel_viewer_item, i), entity_path))
            return true;
    return false;
}
