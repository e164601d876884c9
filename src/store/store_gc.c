/* Garbage collection as re_chunk_store's gc.rs: whole temporal chunks are dropped, first those
 * furthest from a time cursor (when asked), then in order of their smallest RowId (the
 * clients' wall clocks: oldest data first), skipping static chunks and the protect_latest
 * newest chunks of every entity/timeline/component index, until the byte target is met or the
 * time budget is spent. Also the memory-limit policy of Rerun's viewer and drop_entity. */
#include <stdlib.h>

#include "store/store_internal.h"

typedef struct marking {
    reel_store *store;
    store_chunk **marked;
    size_t n, cap;
    uint64_t bytes, target;
} marking;

static reel_status mark(marking *m, store_chunk *sc)
{
    if (m->n == m->cap) {
        size_t cap = m->cap < 64 ? 64 : m->cap * 2;
        store_chunk **grown =
            reel_realloc(m->store->base, m->marked, m->cap * sizeof *grown, cap * sizeof *grown);
        if (grown == NULL)
            return REEL_OUT_OF_MEMORY;
        m->marked = grown, m->cap = cap;
    }
    sc->doomed = true; /* marks it; unindex sets it again */
    m->marked[m->n++] = sc;
    m->bytes += sc->bytes;
    return REEL_OK;
}

/* ---------------------------------------------------------------- furthest from a time */

typedef struct distance {
    uint64_t distance;
    store_chunk *chunk;
} distance;

static int by_distance(const void *pa, const void *pb)
{
    const distance *a = pa, *b = pb;
    if (a->distance != b->distance)
        return a->distance > b->distance ? -1 : 1; /* furthest first */
    return memcmp(a->chunk->id, b->chunk->id, 16); /* then by chunk id, as Rerun's BTreeMap */
}

static uint64_t abs_diff(int64_t a, int64_t b)
{
    return a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

static reel_status mark_furthest(marking *m, uint32_t timeline, int64_t time)
{
    reel_store *store = m->store;
    distance *all = reel_alloc(store->base, (store->n_temporal + 1) * sizeof *all);
    if (all == NULL)
        return REEL_OUT_OF_MEMORY;
    size_t n = 0;
    for (uint32_t i = 0; i < store->n_temporal; i++) {
        store_chunk *sc = store->temporal[i];
        for (int32_t k = 0; k < sc->n_timelines; k++) {
            if (sc->timelines[k].timeline != timeline)
                continue;
            const store_chunk_timeline *t = &sc->timelines[k];
            int64_t pos = reel__store_lower_bound(sc, k, time);
            uint64_t best = UINT64_MAX;
            if (pos > 0)
                best = abs_diff(t->times[store_row_at(t, pos - 1)], time);
            if (pos < sc->chunk->row_count) {
                uint64_t d = abs_diff(t->times[store_row_at(t, pos)], time);
                best = d < best ? d : best;
            }
            all[n++] = (distance){best, sc};
        }
    }
    qsort(all, n, sizeof *all, by_distance);
    reel_status status = REEL_OK;
    for (size_t i = 0; i < n && m->bytes < m->target && status == REEL_OK; i++)
        status = mark(m, all[i].chunk);
    reel_free(store->base, all, (store->n_temporal + 1) * sizeof *all);
    return status;
}

/* ---------------------------------------------------------------- oldest RowIds */

/* Rerun's find_all_protected_physical_chunk_ids: per component index, the first N chunks in
 * order of latest start (ties: smallest chunk id first). */
static void protect_latest(reel_store *store, int32_t n, bool on)
{
    for (uint32_t e = 0; e < store->n_entities && n > 0; e++) {
        const store_entity *entity = store->entities[e];
        for (uint32_t t = 0; t < entity->n_timelines; t++) {
            const store_entity_timeline *et = entity->timelines[t];
            for (uint32_t c = 0; et != NULL && c < et->n_components; c++) {
                const store_index *index = &et->components[c].index;
                int32_t taken = 0;
                uint32_t group_end = index->len;
                while (group_end > 0 && taken < n) {
                    int64_t start = index->entries[group_end - 1].start;
                    uint32_t group_start = group_end - 1;
                    while (group_start > 0 && index->entries[group_start - 1].start == start)
                        group_start--;
                    for (uint32_t i = group_start; i < group_end && taken < n; i++, taken++)
                        index->entries[i].chunk->protect = on;
                    group_end = group_start;
                }
            }
        }
    }
}

static reel_status mark_oldest(marking *m, uint64_t budget_ns)
{
    reel_store *store = m->store;
    uint64_t started = reel_clock_monotonic_ns();
    for (uint32_t i = 0; i < store->n_temporal && m->bytes < m->target; i++) {
        store_chunk *sc = store->temporal[i];
        if (sc->doomed || sc->protect)
            continue;
        REEL_TRY(mark(m, sc));
        if (budget_ns != 0 && reel_clock_monotonic_ns() - started >= budget_ns)
            break; /* checked once at least one chunk is marked, as Rerun */
    }
    return REEL_OK;
}

/* Sends one DELETION event per chunk, then removes them all at once. */
static void remove_chunks(reel_store *store, store_chunk **chunks, size_t n,
                          reel_store_deletion_reason reason)
{
    for (size_t i = 0; i < n; i++) {
        reel_store_event event = {.kind = REEL_STORE_DELETION,
                                  .is_static = chunks[i]->is_static,
                                  .stored = chunks[i]->chunk,
                                  .reason = reason};
        reel__store_push_event(store, &event);
    }
    reel__store_unindex(store, chunks, n);
}

reel_status reel_store_gc(reel_store *store, const reel_store_gc_options *options,
                          reel_store_gc_result *out, reel_error *err)
{
    reel_store_gc_result result = {0};
    uint64_t before = reel_store_memory_used(store);
    uint64_t target = options->drop_at_least_bytes;
    double fraction = options->drop_at_least_fraction;
    if (fraction > 0) {
        double bytes = (double)before * (fraction > 1 ? 1 : fraction) + 0.5;
        target = (uint64_t)bytes > target ? (uint64_t)bytes : target;
    }
    if (options->everything)
        target = UINT64_MAX;
    if (out != NULL)
        *out = result;
    if (target == 0 || store->n_temporal == 0)
        return REEL_OK;
    marking m = {store, NULL, 0, 0, 0, target};
    reel_status status = REEL_OK;
    uint32_t timeline = reel_store_timeline_find(store, options->furthest_from_timeline);
    if (options->furthest_from_timeline != NULL && timeline != REEL_STORE_NO_ID)
        status = mark_furthest(&m, timeline, options->furthest_from_time);
    if (status == REEL_OK && m.bytes < m.target) {
        protect_latest(store, options->protect_latest, true);
        status = mark_oldest(&m, options->time_budget_ns);
        protect_latest(store, options->protect_latest, false);
    }
    if (status == REEL_OK) /* one deletion event and one deferred release per chunk */
        status = reel__store_reserve(store, m.n, m.n, 0);
    if (status != REEL_OK) {
        for (size_t i = 0; i < m.n; i++)
            m.marked[i]->doomed = false;
        reel_free(store->base, m.marked, m.cap * sizeof *m.marked);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory during GC");
    }
    for (size_t i = 0; i < m.n; i++)
        result.rows_dropped += (uint64_t)m.marked[i]->chunk->row_count;
    result.chunks_dropped = m.n;
    remove_chunks(store, m.marked, m.n, REEL_STORE_DELETED_GC);
    reel_free(store->base, m.marked, m.cap * sizeof *m.marked);
    reel__store_flush_events(store);
    uint64_t after = reel_store_memory_used(store);
    result.bytes_dropped = before > after ? before - after : 0;
    if (out != NULL)
        *out = result;
    return REEL_OK;
}

reel_status reel__store_enforce_limit(reel_store *store)
{
    uint64_t used = reel_store_memory_used(store);
    if (store->memory_limit == 0 || used <= store->memory_limit)
        return REEL_OK;
    /* Rerun's viewer (re_viewer app/logic.rs): purge the overshoot plus 20%, at least 25%. */
    double fraction = (double)(used - store->memory_limit) / (double)used + 0.2;
    fraction = fraction < 0.25 ? 0.25 : fraction > 1 ? 1 : fraction;
    reel_store_gc_options options = {.drop_at_least_fraction = fraction, .protect_latest = 1};
    return reel_store_gc(store, &options, NULL, NULL);
}

reel_status reel_store_drop_entity(reel_store *store, uint32_t entity, reel_error *err)
{
    if (entity >= store->n_entities)
        return REEL_OK;
    store_entity *e = store->entities[entity];
    marking m = {store, NULL, 0, 0, 0, UINT64_MAX};
    reel_status status = REEL_OK;
    for (uint32_t i = 0; i < e->n_static_chunks && status == REEL_OK; i++)
        status = mark(&m, e->static_chunks[i]);
    for (uint32_t t = 0; t < e->n_timelines && status == REEL_OK; t++) {
        const store_entity_timeline *et = e->timelines[t];
        for (uint32_t i = 0; et != NULL && i < et->all.len && status == REEL_OK; i++) {
            if (!et->all.entries[i].chunk->doomed)
                status = mark(&m, et->all.entries[i].chunk);
        }
    }
    if (status == REEL_OK)
        status = reel__store_reserve(store, m.n, m.n, 0);
    if (status != REEL_OK) {
        for (size_t i = 0; i < m.n; i++)
            m.marked[i]->doomed = false;
        reel_free(store->base, m.marked, m.cap * sizeof *m.marked);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    remove_chunks(store, m.marked, m.n, REEL_STORE_DELETED_DROP);
    reel_free(store->base, m.marked, m.cap * sizeof *m.marked);
    reel__store_flush_events(store);
    return REEL_OK;
}
