/* Latest-at queries with re_query's semantics: static data first (largest RowId), else the
 * chunks of the component's index that can hold the answer (start <= t, walking back at most
 * the longest indexed interval, as ChunkStore::latest_at), each searched by binary search on
 * its (time, RowId) row order for the last row that has the component; then query-time Clears
 * from the entity and its recursive ancestors (re_query latest_at.rs). Also the "every
 * component of an entity" convenience. Queries never allocate, except the vectors they fill. */
#include "store/store_internal.h"

int reel__store_hit_cmp(const store_hit *a, const store_hit *b)
{
    bool sa = a->time == REEL_STORE_TIME_STATIC, sb = b->time == REEL_STORE_TIME_STATIC;
    if (sa != sb)
        return sa ? 1 : -1; /* static is above every temporal index */
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return store_row_id_cmp(a->row_ids + a->row * 16, b->row_ids + b->row * 16);
}

/* The last row at or before `time` (in (time, RowId) order) that has the entry's component. */
static bool chunk_latest(const store_entry *entry, int64_t time, store_hit *out)
{
    int64_t pos = reel__store_entry_upper_bound(entry, time);
    const reel_arrow_array *lists = &entry->component->lists;
    const uint8_t *validity = lists->buffers[0].data;
    while (pos-- > 0) {
        int64_t row = entry->order != NULL ? entry->order[pos] : pos;
        int64_t bit = lists->offset + row;
        if (validity == NULL || ((validity[bit >> 3] >> (bit & 7)) & 1)) {
            *out = (store_hit){entry->chunk,      entry->column,  row,
                               entry->times[row], entry->row_ids, entry->component};
            return true;
        }
    }
    return false;
}

static bool index_latest(const store_index *index, int64_t time, store_hit *out)
{
    uint32_t upper = reel__store_index_upper(index, time);
    if (upper == 0)
        return false;
    /* Chunks starting before this bound end before the last start <= time, whose own row at
     * that start beats anything they hold. */
    int64_t last_start = index->entries[upper - 1].start;
    int64_t bound = store_back_off(last_start, index->max_interval);
    bool found = false;
    for (uint32_t i = upper; i-- > 0 && index->entries[i].start >= bound;) {
        store_hit hit;
        if (chunk_latest(&index->entries[i], time, &hit) &&
            (!found || reel__store_hit_cmp(&hit, out) > 0)) {
            *out = hit;
            found = true;
        }
    }
    return found;
}

static const store_static *find_static(const store_entity *e, uint32_t component)
{
    uint32_t lo = 0, hi = e->n_statics;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (e->statics[mid].component < component)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->n_statics && e->statics[lo].component == component ? &e->statics[lo] : NULL;
}

bool reel__store_lookup(const reel_store *store, const store_entity *entity, uint32_t timeline,
                        int64_t time, uint32_t component, store_hit *out)
{
    (void)store;
    const store_static *s = find_static(entity, component);
    if (s != NULL) {
        *out = store_make_hit(s->chunk, s->column, s->row, REEL_STORE_TIME_STATIC);
        return true;
    }
    if (timeline == REEL_STORE_NO_ID)
        return false;
    const store_index *index =
        reel__store_component_index(reel__store_entity_timeline(entity, timeline), component);
    return index != NULL && index_latest(index, time, out);
}

static int64_t list_length(const reel_chunk_component *c, int64_t row)
{
    int64_t start, end;
    if (c->field.type == REEL_ARROW_LIST) { /* the usual layout, without the generic call */
        const uint8_t *offsets = c->lists.buffers[1].data + (c->lists.offset + row) * 4;
        int32_t s32, e32;
        memcpy(&s32, offsets, 4);
        memcpy(&e32, offsets + 4, 4);
        return (int64_t)e32 - s32;
    }
    reel_arrow_array_get_list_range(&c->field, &c->lists, row, &start, &end);
    return end - start;
}

/* Is this Clear row exactly [true]? (re_query: component_mono::<ClearIsRecursive> == true) */
static bool is_recursive(const store_hit *hit)
{
    const reel_chunk_component *c = hit->component;
    if (c->field.n_children != 1 || c->field.children[0].type != REEL_ARROW_BOOL)
        return false;
    int64_t start, end;
    reel_arrow_array_get_list_range(&c->field, &c->lists, hit->row, &start, &end);
    if (end - start != 1)
        return false;
    const reel_arrow_array *values = &c->lists.children[0];
    return !reel_arrow_array_is_null(&c->field.children[0], values, start) &&
           reel_arrow_array_get_bool(values, start);
}

static reel_store_row to_row(const store_hit *hit)
{
    const uint8_t *id = hit->row_ids + hit->row * 16;
    return (reel_store_row){
        hit->chunk->chunk, hit->row, hit->time, {store_load_be64(id), store_load_be64(id + 8)}};
}

reel_store_state reel_store_latest_at_id(const reel_store *store, uint32_t entity,
                                         uint32_t timeline, int64_t time, uint32_t component,
                                         reel_store_result *out)
{
    memset(out, 0, sizeof *out);
    if (entity >= store->n_entities || component >= store->n_components)
        return REEL_STORE_NONE;
    if (time == INT64_MIN)
        time = INT64_MIN + 1; /* Rerun's TimeInt::saturated_temporal: never the static time */
    const store_entity *e = store->entities[entity];
    store_hit data;
    if (!reel__store_lookup(store, e, timeline, time, component, &data))
        return REEL_STORE_NONE;
    out->value = to_row(&data);
    out->column = data.component;
    out->state = list_length(data.component, data.row) == 0 ? REEL_STORE_EMPTY : REEL_STORE_VALUE;
    if (store->clear_entities == 0 || component == store->clear_component)
        return out->state; /* no Clears anywhere; a Clear never shadows itself */
    store_hit clear;
    bool found = false;
    for (uint32_t id = entity; id != REEL_STORE_NO_ID; id = store->entities[id]->parent) {
        const store_entity *ancestor = store->entities[id];
        store_hit hit;
        if (ancestor->clear_chunks == 0 ||
            !reel__store_lookup(store, ancestor, timeline, time, store->clear_component, &hit))
            continue;
        /* On the entity itself any Clear counts; on ancestors only recursive ones. */
        if ((id == entity || is_recursive(&hit)) &&
            (!found || reel__store_hit_cmp(&hit, &clear) > 0)) {
            clear = hit;
            found = true;
        }
    }
    if (found && reel__store_hit_cmp(&data, &clear) <= 0) {
        out->state = REEL_STORE_CLEARED;
        out->clear = to_row(&clear);
    }
    return out->state;
}

reel_store_state reel_store_latest_at(const reel_store *store, const char *entity_path,
                                      const char *timeline, int64_t time, const char *component,
                                      reel_store_result *out)
{
    uint32_t timeline_id = reel_store_timeline_find(store, timeline);
    return reel_store_latest_at_id(store, reel_store_entity_find(store, entity_path), timeline_id,
                                   time, reel_store_component_find(store, component), out);
}

/* ---------------------------------------------------------------- every component */

static reel_status prepare(reel_vec *out, size_t elem_size, reel_error *err)
{
    if (out->elem_size == 0)
        reel_vec_init(out, elem_size, out->alloc);
    if (out->elem_size != elem_size)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "store: output vector of %zu-byte "
                              "elements, expected %zu",
                              out->elem_size, elem_size);
    reel_vec_clear(out);
    return REEL_OK;
}

reel_status reel_store_entity_components(const reel_store *store, uint32_t entity,
                                         uint32_t timeline, reel_vec *out, reel_error *err)
{
    REEL_TRY(prepare(out, sizeof(uint32_t), err));
    if (entity >= store->n_entities)
        return REEL_OK;
    const store_entity *e = store->entities[entity];
    const store_entity_timeline *et =
        timeline == REEL_STORE_NO_ID ? NULL : reel__store_entity_timeline(e, timeline);
    uint32_t i = 0, j = 0, n_temporal = et != NULL ? et->n_components : 0;
    while (i < e->n_statics || j < n_temporal) {
        uint32_t next;
        if (j < n_temporal && et->components[j].index.len == 0) {
            j++;
            continue;
        }
        if (j == n_temporal ||
            (i < e->n_statics && e->statics[i].component <= et->components[j].component)) {
            next = e->statics[i].component;
            if (j < n_temporal && et->components[j].component == next)
                j++;
            i++;
        } else {
            next = et->components[j++].component;
        }
        if (reel_vec_push(out, &next) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    return REEL_OK;
}

reel_status reel_store_latest_at_all(const reel_store *store, uint32_t entity, uint32_t timeline,
                                     int64_t time, reel_vec *out, reel_error *err)
{
    REEL_TRY(prepare(out, sizeof(reel_store_component_result), err));
    reel_vec components = {0};
    reel_status status = reel_store_entity_components(store, entity, timeline, &components, err);
    for (size_t i = 0; i < components.len && status == REEL_OK; i++) {
        reel_store_component_result r = {REEL_VEC_AT(&components, uint32_t, i), {0}};
        if (reel_store_latest_at_id(store, entity, timeline, time, r.component, &r.result) ==
            REEL_STORE_NONE)
            continue;
        if (reel_vec_push(out, &r) != REEL_OK)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    reel_vec_free(&components);
    return status;
}
