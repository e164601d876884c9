/* Inserting chunks, as re_chunk_store's writes.rs does: no-ops for empty and duplicate chunks,
 * static chunks taking over components by RowId (and dropping chunks fully overwritten),
 * temporal chunks split when too large or merged with an elected neighbour when small, then
 * indexed per entity × timeline (× component); and the inverse, removing chunks from every
 * index for compaction, GC and drops. */
#include "store/store_internal.h"

/* ---------------------------------------------------------------- store chunks */

reel_status reel__store_chunk_new(reel_store *store, reel_chunk *chunk, store_chunk **out)
{
    store_chunk *sc = reel_alloc_zeroed(&store->alloc, sizeof *sc);
    if (sc == NULL)
        return REEL_OUT_OF_MEMORY;
    sc->chunk = reel_chunk_retain(chunk);
    sc->seq = store->seq++;
    sc->is_static = chunk->is_static;
    sc->bytes = reel_chunk_byte_size(chunk);
    sc->row_ids = chunk->row_ids.buffers[1].data + chunk->row_ids.offset * 16;
    reel_tuid_to_bytes(chunk->id, sc->id);
    memcpy(sc->min_row_id, sc->row_ids, 16);
    for (int64_t i = 1; i < chunk->row_count; i++) {
        if (store_row_id_cmp(sc->row_ids + i * 16, sc->min_row_id) < 0)
            memcpy(sc->min_row_id, sc->row_ids + i * 16, 16);
    }
    reel_status status = reel__store_entity(store, chunk->entity_path, &sc->entity);
    if (status == REEL_OK && chunk->n_components > 0) {
        sc->components = reel_alloc(&store->alloc, (size_t)chunk->n_components * sizeof(uint32_t));
        status = sc->components == NULL ? REEL_OUT_OF_MEMORY : REEL_OK;
        for (int32_t j = 0; j < chunk->n_components && status == REEL_OK; j++)
            status = reel__store_intern_component(store, chunk->components[j].descriptor.component,
                                                  &sc->components[j]);
    }
    if (status == REEL_OK && chunk->n_timelines > 0) {
        sc->timelines =
            reel_alloc_zeroed(&store->alloc, (size_t)chunk->n_timelines * sizeof *sc->timelines);
        status = sc->timelines == NULL ? REEL_OUT_OF_MEMORY : REEL_OK;
        for (int32_t k = 0; k < chunk->n_timelines && status == REEL_OK; k++) {
            const reel_chunk_timeline *ct = &chunk->timelines[k];
            sc->n_timelines = k + 1;
            sc->timelines[k].times =
                (const int64_t *)(const void *)ct->times.buffers[1].data + ct->times.offset;
            status =
                reel__store_intern_timeline(store, ct->name, ct->type, &sc->timelines[k].timeline);
            if (status == REEL_OK)
                status = reel__store_sort_timeline(store, sc, k);
        }
    }
    if (status != REEL_OK) {
        reel__store_chunk_free(store, sc);
        return status;
    }
    *out = sc;
    return REEL_OK;
}

void reel__store_chunk_free(reel_store *store, store_chunk *sc)
{
    if (sc == NULL)
        return;
    size_t rows = sc->chunk != NULL ? (size_t)sc->chunk->row_count : 0;
    for (int32_t k = 0; k < sc->n_timelines; k++)
        reel_free(&store->alloc, sc->timelines[k].order,
                  sc->timelines[k].order != NULL ? rows * sizeof(int32_t) : 0);
    if (sc->chunk != NULL) {
        reel_free(&store->alloc, sc->timelines,
                  (size_t)sc->chunk->n_timelines * sizeof *sc->timelines);
        reel_free(&store->alloc, sc->components,
                  (size_t)sc->chunk->n_components * sizeof(uint32_t));
    }
    reel_free(&store->alloc, sc->pending, sc->cap_pending * sizeof *sc->pending);
    reel_chunk_release(sc->chunk);
    reel_free(&store->alloc, sc, sizeof *sc);
}

/* Hands the chunk reference to the deferred list (events may still point at it), frees the
 * record. */
static void retire(reel_store *store, store_chunk *sc)
{
    reel__store_defer_release(store, reel_chunk_retain(sc->chunk));
    reel__store_chunk_free(store, sc);
}

static int gc_order_cmp(const store_chunk *a, const store_chunk *b)
{
    int c = store_row_id_cmp(a->min_row_id, b->min_row_id);
    return c != 0 ? c : memcmp(a->id, b->id, 16);
}

static uint32_t gc_order_position(const reel_store *store, const store_chunk *sc)
{
    uint32_t lo = 0, hi = store->n_temporal;
    if (hi > 0 && gc_order_cmp(store->temporal[hi - 1], sc) < 0)
        return hi;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (gc_order_cmp(store->temporal[mid], sc) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void track_clears(reel_store *store, const store_chunk *sc, int delta)
{
    if (store->clear_component == REEL_STORE_NO_ID)
        return;
    for (int32_t j = 0; j < sc->chunk->n_components; j++) {
        if (sc->components[j] != store->clear_component)
            continue;
        store_entity *e = store->entities[sc->entity];
        store->clear_version++;
        if (delta > 0 && e->clear_chunks++ == 0)
            store->clear_entities++;
        else if (delta < 0 && --e->clear_chunks == 0)
            store->clear_entities--;
        return;
    }
}

static void count(reel_store *store, const store_chunk *sc, int delta)
{
    uint64_t *chunks = sc->is_static ? &store->stats.static_chunks : &store->stats.temporal_chunks;
    uint64_t *rows = sc->is_static ? &store->stats.static_rows : &store->stats.temporal_rows;
    uint64_t *bytes = sc->is_static ? &store->stats.static_bytes : &store->stats.temporal_bytes;
    *chunks += (uint64_t)(int64_t)delta;
    *rows += (uint64_t)(delta * sc->chunk->row_count);
    *bytes += delta > 0 ? sc->bytes : (uint64_t)0 - sc->bytes;
    reel__store_count_chunks(store, sc->entity, delta);
    track_clears(store, sc, delta);
}

/* ---------------------------------------------------------------- indexing */

/* [min, max] time over the rows of column j that are not null; false when all are. */
bool reel__store_column_range(const store_chunk *sc, int32_t k, int32_t j, int64_t *min,
                              int64_t *max)
{
    const reel_chunk *chunk = sc->chunk;
    const reel_arrow_array *lists = &chunk->components[j].lists;
    if (lists->buffers[0].data == NULL || lists->null_count == 0) {
        *min = chunk->timelines[k].min;
        *max = chunk->timelines[k].max;
        return chunk->row_count > 0;
    }
    *min = INT64_MAX, *max = INT64_MIN;
    const int64_t *times = sc->timelines[k].times;
    for (int64_t i = 0; i < chunk->row_count; i++) {
        if (!reel__store_list_valid(chunk, j, i))
            continue;
        *min = times[i] < *min ? times[i] : *min;
        *max = times[i] > *max ? times[i] : *max;
    }
    return *min <= *max;
}

static reel_status index_entries(reel_store *store, store_chunk *sc)
{
    store_entity *entity = store->entities[sc->entity];
    for (int32_t k = 0; k < sc->n_timelines; k++) {
        store_entity_timeline *et;
        const reel_chunk_timeline *ct = &sc->chunk->timelines[k];
        REEL_TRY(reel__store_entity_timeline_get(store, entity, sc->timelines[k].timeline, &et));
        store_entry entry = {ct->min,
                             ct->max,
                             sc,
                             -1,
                             k,
                             sc->timelines[k].times,
                             sc->timelines[k].order,
                             sc->chunk->row_count,
                             sc->row_ids,
                             NULL};
        REEL_TRY(reel__store_index_add(store, &et->all, &entry));
        for (int32_t j = 0; j < sc->chunk->n_components; j++) {
            if (!reel__store_column_range(sc, k, j, &entry.start, &entry.end))
                continue;
            store_index *index;
            entry.column = j;
            entry.component = &sc->chunk->components[j];
            REEL_TRY(reel__store_component_index_get(store, et, sc->components[j], &index));
            REEL_TRY(reel__store_index_add(store, index, &entry));
        }
    }
    return REEL_OK;
}

reel_status reel__store_index_temporal(reel_store *store, store_chunk *sc)
{
    reel_status status = reel__store_grow(store, (void **)&store->temporal, &store->cap_temporal,
                                          store->n_temporal + 1, sizeof *store->temporal);
    if (status == REEL_OK)
        status = reel_map_put(&store->chunk_by_id, sc->id, 16, (uint64_t)(uintptr_t)sc);
    if (status == REEL_OK)
        status = index_entries(store, sc);
    if (status != REEL_OK) {
        /* Undo the partial indexing; the caller still owns sc. */
        sc->doomed = true;
        store_entity *entity = store->entities[sc->entity];
        for (int32_t k = 0; k < sc->n_timelines; k++) {
            store_entity_timeline *et =
                reel__store_entity_timeline(entity, sc->timelines[k].timeline);
            if (et == NULL)
                continue;
            reel__store_index_sweep(&et->all);
            for (uint32_t c = 0; c < et->n_components; c++)
                reel__store_index_sweep(&et->components[c].index);
        }
        reel_map_remove(&store->chunk_by_id, sc->id, 16);
        sc->doomed = false;
        return status;
    }
    uint32_t pos = gc_order_position(store, sc);
    memmove(&store->temporal[pos + 1], &store->temporal[pos],
            (store->n_temporal - pos) * sizeof *store->temporal);
    store->temporal[pos] = sc;
    store->n_temporal++;
    count(store, sc, +1);
    return REEL_OK;
}

static void remove_static_chunk(reel_store *store, store_chunk *sc)
{
    store_entity *e = store->entities[sc->entity];
    for (uint32_t i = 0; i < e->n_static_chunks; i++) {
        if (e->static_chunks[i] == sc) {
            memmove(&e->static_chunks[i], &e->static_chunks[i + 1],
                    (e->n_static_chunks - i - 1) * sizeof *e->static_chunks);
            e->n_static_chunks--;
            break;
        }
    }
    uint32_t kept = 0;
    for (uint32_t i = 0; i < e->n_statics; i++) {
        if (e->statics[i].chunk != sc)
            e->statics[kept++] = e->statics[i];
    }
    e->n_statics = kept;
}

void reel__store_unindex(reel_store *store, store_chunk **chunks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        chunks[i]->doomed = true;
        reel__store_leave_group(store, chunks[i]);
    }
    /* Sweep each (entity, timeline) once, however many doomed chunks it holds. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            store_chunk *sc = chunks[i];
            for (int32_t k = 0; k < sc->n_timelines; k++) {
                store_entity_timeline *et = reel__store_entity_timeline(store->entities[sc->entity],
                                                                        sc->timelines[k].timeline);
                if (pass == 0) {
                    et->dirty = true;
                } else if (et->dirty) {
                    reel__store_index_sweep(&et->all);
                    for (uint32_t c = 0; c < et->n_components; c++)
                        reel__store_index_sweep(&et->components[c].index);
                    et->dirty = false;
                }
            }
        }
    }
    if (n == 1 && !chunks[0]->is_static) {
        uint32_t pos = gc_order_position(store, chunks[0]);
        if (pos < store->n_temporal && store->temporal[pos] == chunks[0]) {
            memmove(&store->temporal[pos], &store->temporal[pos + 1],
                    (store->n_temporal - pos - 1) * sizeof *store->temporal);
            store->n_temporal--;
        }
    } else {
        uint32_t kept = 0;
        for (uint32_t i = 0; i < store->n_temporal; i++) {
            if (!store->temporal[i]->doomed)
                store->temporal[kept++] = store->temporal[i];
        }
        store->n_temporal = kept;
    }
    for (size_t i = 0; i < n; i++) {
        store_chunk *sc = chunks[i];
        if (sc->is_static)
            remove_static_chunk(store, sc);
        reel_map_remove(&store->chunk_by_id, sc->id, 16);
        count(store, sc, -1);
        retire(store, sc);
    }
}

/* ---------------------------------------------------------------- static chunks */

/* Rerun keeps every static chunk of these archetypes: their data is read in full, not latest-at
 * (re_chunk_store writes.rs preserves_static_transforms, RR-4887). */
static bool preserves_static(const char *archetype)
{
    return archetype != NULL && (strcmp(archetype, "rerun.archetypes.Transform3D") == 0 ||
                                 strcmp(archetype, "rerun.archetypes.Pinhole") == 0);
}

/* The row holding column j's latest value by RowId, or -1 when every row is null. */
static int64_t static_winner(const store_chunk *sc, int32_t j)
{
    const reel_chunk *chunk = sc->chunk;
    int64_t best = -1;
    for (int64_t i = chunk->row_count - 1; i >= 0; i--) {
        if (!reel__store_list_valid(chunk, j, i))
            continue;
        if (chunk->row_ids_sorted)
            return i;
        if (best < 0 || store_row_id_cmp(sc->row_ids + i * 16, sc->row_ids + best * 16) > 0)
            best = i;
    }
    return best;
}

static store_static *static_slot(store_entity *e, uint32_t component, uint32_t *pos)
{
    uint32_t lo = 0, hi = e->n_statics;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (e->statics[mid].component < component)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return lo < e->n_statics && e->statics[lo].component == component ? &e->statics[lo] : NULL;
}

static reel_status insert_static(reel_store *store, reel_chunk *chunk)
{
    store_chunk *sc;
    REEL_TRY(reel__store_chunk_new(store, chunk, &sc));
    store_entity *e = store->entities[sc->entity];
    /* Reserve everything first so that nothing below can fail half-way. */
    reel_status status =
        reel__store_grow(store, (void **)&e->statics, &e->cap_statics,
                         e->n_statics + (uint32_t)chunk->n_components, sizeof *e->statics);
    if (status == REEL_OK)
        status = reel__store_grow(store, (void **)&e->static_chunks, &e->cap_static_chunks,
                                  e->n_static_chunks + 1, sizeof *e->static_chunks);
    if (status == REEL_OK)
        status = reel_map_put(&store->chunk_by_id, sc->id, 16, (uint64_t)(uintptr_t)sc);
    if (status == REEL_OK) /* the addition and one deletion per replaced chunk */
        status = reel__store_reserve(store, 1 + (size_t)chunk->n_components,
                                     (size_t)chunk->n_components, 0);
    store_chunk **overwritten = NULL;
    if (status == REEL_OK && chunk->n_components > 0) {
        overwritten = reel_alloc(store->base, (size_t)chunk->n_components * sizeof *overwritten);
        status = overwritten == NULL ? REEL_OUT_OF_MEMORY : REEL_OK;
    }
    if (status != REEL_OK) {
        reel_map_remove(&store->chunk_by_id, sc->id, 16);
        reel__store_chunk_free(store, sc);
        return status;
    }
    size_t n_overwritten = 0;
    bool won = false, keep_anyway = false;
    for (int32_t j = 0; j < chunk->n_components; j++) {
        int64_t row = static_winner(sc, j);
        if (row < 0)
            continue;
        bool transform = preserves_static(chunk->components[j].descriptor.archetype);
        keep_anyway = keep_anyway || transform;
        uint32_t pos;
        store_static *slot = static_slot(e, sc->components[j], &pos);
        if (slot == NULL) {
            memmove(&e->statics[pos + 1], &e->statics[pos],
                    (e->n_statics - pos) * sizeof *e->statics);
            e->statics[pos] = (store_static){sc->components[j], j, sc, row};
            e->n_statics++;
            won = true;
        } else if (store_row_id_cmp(sc->row_ids + row * 16, slot->chunk->row_ids + slot->row * 16) >
                   0) {
            if (!transform)
                overwritten[n_overwritten++] = slot->chunk;
            *slot = (store_static){sc->components[j], j, sc, row};
            won = true;
        }
    }
    if (!won && !keep_anyway) {
        /* Every value is older than what the store has: nothing would ever show it. */
        reel_map_remove(&store->chunk_by_id, sc->id, 16);
        reel__store_chunk_free(store, sc);
        reel_free(store->base, overwritten, (size_t)chunk->n_components * sizeof *overwritten);
        return REEL_OK;
    }
    e->static_chunks[e->n_static_chunks++] = sc;
    count(store, sc, +1);
    store->stats.inserts++;
    reel_store_event added = {.kind = REEL_STORE_ADDITION,
                              .is_static = true,
                              .inserted = chunk,
                              .delta = chunk,
                              .stored = chunk};
    reel__store_push_event(store, &added);
    for (size_t i = 0; i < n_overwritten; i++) {
        store_chunk *old = overwritten[i];
        bool referenced = false;
        for (uint32_t s = 0; s < e->n_statics && !referenced; s++)
            referenced = e->statics[s].chunk == old;
        for (size_t d = 0; d < i && !referenced; d++)
            referenced = overwritten[d] == old; /* already removed */
        if (referenced)
            continue;
        reel_store_event removed = {.kind = REEL_STORE_DELETION,
                                    .is_static = true,
                                    .stored = old->chunk,
                                    .reason = REEL_STORE_DELETED_OVERWRITE};
        reel__store_push_event(store, &removed);
        reel__store_unindex(store, &old, 1);
    }
    reel_free(store->base, overwritten, (size_t)chunk->n_components * sizeof *overwritten);
    return REEL_OK;
}

/* ---------------------------------------------------------------- temporal chunks */

/* Does a chunk made by the store (compacted or split) hold the row (time, row_id)? */
static bool made_row_exists(const store_entity_timeline *et, int64_t time, const uint8_t *row_id)
{
    uint32_t upper = reel__store_index_upper(&et->all, time);
    if (upper == 0)
        return false;
    int64_t last = et->all.entries[upper - 1].start;
    int64_t bound = store_back_off(last, et->all.max_interval);
    for (uint32_t i = upper; i-- > 0 && et->all.entries[i].start >= bound;) {
        const store_entry *entry = &et->all.entries[i];
        if (!entry->chunk->made_by_store || entry->end < time)
            continue;
        const store_chunk *sc = entry->chunk;
        const store_chunk_timeline *t = &sc->timelines[entry->timeline];
        int64_t lo = reel__store_lower_bound(sc, entry->timeline, time);
        int64_t hi = reel__store_upper_bound(sc, entry->timeline, time);
        while (lo < hi) { /* rows at `time` are sorted by RowId */
            int64_t mid = lo + (hi - lo) / 2;
            int c = store_row_id_cmp(sc->row_ids + store_row_at(t, mid) * 16, row_id);
            if (c == 0)
                return true;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return false;
}

/* Are all this chunk's rows already in chunks the store made (by compaction or splitting)?
 * Then it was merged or split before, and inserting it again must be a no-op, as Rerun's
 * lineage tracking makes it. Usually the first row is not found and that is the whole cost. */
static bool already_absorbed(const reel_store *store, const reel_chunk *chunk)
{
    uint32_t entity = reel_store_entity_find(store, chunk->entity_path);
    uint32_t timeline = reel_store_timeline_find(store, chunk->timelines[0].name);
    if (entity == REEL_STORE_NO_ID || timeline == REEL_STORE_NO_ID)
        return false;
    const store_entity_timeline *et =
        reel__store_entity_timeline(store->entities[entity], timeline);
    if (et == NULL || et->all.len == 0)
        return false;
    const reel_chunk_timeline *t = &chunk->timelines[0];
    const int64_t *times =
        (const int64_t *)(const void *)t->times.buffers[1].data + t->times.offset;
    const uint8_t *row_ids = chunk->row_ids.buffers[1].data + chunk->row_ids.offset * 16;
    for (int64_t i = 0; i < chunk->row_count; i++) {
        if (!made_row_exists(et, times[i], row_ids + i * 16))
            return false;
    }
    return true;
}

/* Indexes one temporal chunk; when compaction elects a neighbour, the chunk joins that
 * neighbour's group, which is merged once compaction_batch chunks are waiting. */
static reel_status insert_temporal(reel_store *store, reel_chunk *inserted, reel_chunk *chunk,
                                   bool from_split, reel_error *err)
{
    store_chunk *sc;
    if (reel__store_chunk_new(store, chunk, &sc) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    sc->from_split = from_split;
    sc->made_by_store = from_split;
    store_chunk *leader = store->compaction && !from_split ? reel__store_elect(store, sc) : NULL;
    if (reel__store_reserve(store, 1, 0, 0) != REEL_OK ||
        reel__store_index_temporal(store, sc) != REEL_OK) {
        reel__store_chunk_free(store, sc);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    store->stats.inserts++;
    reel_store_event added = {
        .kind = REEL_STORE_ADDITION, .inserted = inserted, .delta = chunk, .stored = chunk};
    reel__store_push_event(store, &added);
    /* Compaction is an optimisation: when it runs out of memory the chunk simply stays alone. */
    if (leader != NULL && reel__store_join_group(store, leader, sc) == REEL_OK &&
        reel__store_group_ready(store, leader))
        reel__store_flush_group(store, leader, NULL);
    return REEL_OK;
}

static reel_status insert_split(reel_store *store, reel_chunk *chunk, reel_chunk **pieces,
                                size_t n_pieces, reel_error *err)
{
    reel_status status = reel__store_reserve(store, 0, n_pieces, 0);
    if (status != REEL_OK) {
        for (size_t i = 0; i < n_pieces; i++)
            reel_chunk_release(pieces[i]);
        reel_free(store->base, pieces, n_pieces * sizeof *pieces);
        return reel_error_set(err, status, "store: out of memory");
    }
    for (size_t i = 0; i < n_pieces; i++) {
        if (status == REEL_OK)
            status = insert_temporal(store, chunk, pieces[i], true, err);
        /* The event (if any) holds the piece through the store's own reference. */
        reel__store_defer_release(store, pieces[i]);
    }
    reel_free(store->base, pieces, n_pieces * sizeof *pieces);
    if (status == REEL_OK)
        store->stats.splits++;
    return status;
}

reel_status reel_store_insert(reel_store *store, reel_chunk *chunk, reel_error *err)
{
    if (chunk == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "store: no chunk");
    if (chunk->row_count == 0 || chunk->n_components == 0)
        return REEL_OK; /* nothing to index (Rerun drops these too) */
    uint8_t id[16];
    reel_tuid_to_bytes(chunk->id, id);
    if (reel_map_get(&store->chunk_by_id, id, 16, NULL))
        return REEL_OK; /* the same chunk again: a no-op, as in Rerun */
    reel_status status;
    if (chunk->is_static) {
        status = insert_static(store, chunk);
        if (status != REEL_OK)
            reel_error_set(err, status, "store: out of memory");
    } else if (already_absorbed(store, chunk)) {
        status = REEL_OK;
    } else {
        reel_chunk **pieces = NULL;
        size_t n_pieces = 0;
        status = store->split ? reel__store_split(store, chunk, &pieces, &n_pieces, err) : REEL_OK;
        if (status == REEL_OK && pieces != NULL)
            status = insert_split(store, chunk, pieces, n_pieces, err);
        else if (status == REEL_OK)
            status = insert_temporal(store, chunk, chunk, false, err);
    }
    reel__store_flush_events(store);
    if (status == REEL_OK && store->memory_limit != 0 &&
        reel_store_memory_used(store) > store->memory_limit)
        status = reel__store_enforce_limit(store);
    return status;
}
