/* The samples behind the time series view: for one entity on one timeline, every Scalars row
 * in (time, RowId) order as flat arrays (time, value per series), with a NaN sample at each
 * Clear of the entity or a recursive Clear of an ancestor (a gap, as Rerun draws it). Built
 * with store range queries and kept in a cache owned by the view state, keyed by the store's
 * content (its insert and row counters), so a frame only binary-searches the visible range
 * and visits the samples in it. */
#include "views/views_series.h"

#include <stdlib.h>

struct reel_view_series_cache {
    view_series_samples **entries; /* each allocated alone: pointers stay valid */
    size_t n, cap;
    uint64_t frame;
};

static uint64_t store_fingerprint(const reel_store *store)
{
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    uint64_t parts[6] = {(uint64_t)(uintptr_t)store,
                         stats.inserts,
                         stats.temporal_rows,
                         stats.static_rows,
                         stats.temporal_chunks + stats.static_chunks,
                         reel_store_entity_count(store)};
    return reel_hash_bytes(parts, sizeof parts, 0x5e7);
}

static void samples_free(view_series_samples *s)
{
    reel_free(NULL, s->times, s->cap * sizeof(int64_t));
    reel_free(NULL, s->values, s->cap * s->n_series * sizeof(double));
    memset(s, 0, sizeof *s);
}

void view_series_cache_free(reel_view_series_cache *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < cache->n; i++) {
        samples_free(cache->entries[i]);
        reel_free(NULL, cache->entries[i], sizeof(view_series_samples));
    }
    reel_free(NULL, cache->entries, cache->cap * sizeof(view_series_samples *));
    reel_free(NULL, cache, sizeof *cache);
}

typedef struct merged_row {
    int64_t time;
    reel_tuid row_id;
    const reel_chunk *chunk; /* NULL: a clear */
    int64_t row;
    const reel_chunk_component *column;
} merged_row;

static int compare_merged(const void *a, const void *b)
{
    const merged_row *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    int c = reel_tuid_compare(x->row_id, y->row_id);
    if (c != 0)
        return c;
    return (x->chunk == NULL) - (y->chunk == NULL); /* a clear after a value of its row */
}

/* Appends Clear rows that cut the entity's series: its own Clears (any value) and its
 * ancestors' recursive ones. */
static reel_status add_clears(const reel_store *store, uint32_t entity, uint32_t timeline,
                              int64_t t0, reel_vec *merged, reel_vec *rows)
{
    uint32_t component = reel_store_component_find(store, "Clear:is_recursive");
    if (component == REEL_STORE_NO_ID)
        return REEL_OK;
    for (uint32_t e = entity; e != REEL_STORE_NO_ID; e = reel_store_entity_parent(store, e)) {
        REEL_TRY(
            reel_store_range_id(store, e, timeline, t0, INT64_MAX, component, NULL, rows, NULL));
        const reel_store_row *r = rows->data;
        for (size_t i = 0; i < rows->len; i++) {
            if (r[i].time == REEL_STORE_TIME_STATIC)
                continue;
            if (e != entity) {
                const reel_chunk_component *col =
                    reel_chunk_find_component(r[i].chunk, "Clear:is_recursive");
                view_cell cell;
                bool recursive = false;
                if (!col || !view_cell_at(r[i].chunk, col, r[i].row, &cell) ||
                    !view_cell_bool(&cell, &recursive) || !recursive)
                    continue;
            }
            merged_row m = {.time = r[i].time, .row_id = r[i].row_id};
            REEL_TRY(reel_vec_push(merged, &m));
        }
    }
    return REEL_OK;
}

/* Rows of the entity's rows in [t0, ∞): scalars and the clears that cut them, sorted by
 * (time, RowId), appended to `out` (fresh) or after its samples (`append`: the caller made
 * sure nothing changed before t0). REEL_LIMIT: a row has more instances than an appended-to
 * cache holds (rebuild instead). */
static reel_status build(const reel_store *store, uint32_t entity, uint32_t timeline, int64_t t0,
                         bool append, view_series_samples *out)
{
    uint32_t component = reel_store_component_find(store, "Scalars:scalars");
    reel_vec rows, merged;
    reel_vec_init(&rows, sizeof(reel_store_row), NULL);
    reel_vec_init(&merged, sizeof(merged_row), NULL);
    reel_status status = REEL_OK;
    if (component != REEL_STORE_NO_ID)
        status = reel_store_range_id(store, entity, timeline, t0, INT64_MAX, component, NULL, &rows,
                                     NULL);
    if (status == REEL_OK)
        status = reel_vec_reserve(&merged, rows.len);
    uint32_t n_series = append ? out->n_series : 0;
    const reel_store_row *r = rows.data;
    const reel_chunk *last_chunk = NULL;
    const reel_chunk_component *column = NULL;
    for (size_t i = 0; status == REEL_OK && i < rows.len; i++) {
        if (r[i].time == REEL_STORE_TIME_STATIC)
            continue; /* static-only scalars are not plotted */
        if (r[i].chunk != last_chunk) {
            last_chunk = r[i].chunk;
            column = reel_chunk_find_component(last_chunk, "Scalars:scalars");
        }
        view_cell cell;
        if (column == NULL || !view_cell_at(last_chunk, column, r[i].row, &cell))
            continue;
        if (view_cell_len(&cell) > n_series) {
            if (append) {
                status = REEL_LIMIT;
                break;
            }
            n_series = view_cell_len(&cell);
        }
        merged_row m = {r[i].time, r[i].row_id, last_chunk, r[i].row, column};
        status = reel_vec_push(&merged, &m);
    }
    size_t n_values = merged.len;
    if (status == REEL_OK && (n_values > 0 || append))
        status = add_clears(store, entity, timeline, t0, &merged, &rows);
    if (status == REEL_OK) {
        merged_row *m = merged.data;
        /* Usually sorted already (one range query); only clears need merging in. */
        bool sorted = merged.len == n_values;
        for (size_t i = 1; sorted && i < merged.len; i++)
            sorted = compare_merged(&m[i - 1], &m[i]) <= 0;
        if (!sorted)
            qsort(m, merged.len, sizeof(merged_row), compare_merged);
        if (n_series == 0)
            n_series = 1;
        size_t base = append ? out->n : 0, n = base + merged.len;
        if (!append) {
            out->n = 0, out->cap = 0, out->times = NULL, out->values = NULL;
            out->n_series = n_series;
        }
        if (n > out->cap || out->times == NULL) {
            size_t cap = n > 2 * out->cap ? n : 2 * out->cap;
            if (cap == 0)
                cap = 1;
            int64_t *times =
                reel_realloc(NULL, out->times, out->cap * sizeof(int64_t), cap * sizeof(int64_t));
            if (times)
                out->times = times;
            double *values =
                times ? reel_realloc(NULL, out->values, out->cap * n_series * sizeof(double),
                                     cap * n_series * sizeof(double))
                      : NULL;
            if (values)
                out->values = values;
            if (times && values)
                out->cap = cap;
            else
                status = REEL_OUT_OF_MEMORY;
        }
        for (size_t i = 0; status == REEL_OK && i < merged.len; i++) {
            out->times[base + i] = m[i].time;
            double *v = out->values + (base + i) * n_series;
            for (uint32_t k = 0; k < n_series; k++)
                v[k] = NAN;
            if (m[i].chunk == NULL)
                continue;
            view_cell cell;
            uint32_t count = 0;
            const double *d = view_cell_at(m[i].chunk, m[i].column, m[i].row, &cell)
                                  ? view_cell_f64(&cell, 1, &count)
                                  : NULL;
            for (uint32_t k = 0; d && k < count && k < n_series; k++)
                v[k] = d[k];
        }
        if (status == REEL_OK)
            out->n = n;
    }
    reel_vec_free(&rows);
    reel_vec_free(&merged);
    return status;
}

/* Rows of the entity on the timeline within the cached span: if the count is unchanged,
 * nothing was inserted or collected there, and new data can only lie after it. */
static bool span_count(const reel_store *store, const view_series_samples *s, uint64_t *count)
{
    if (s->n == 0)
        return false;
    int64_t first = s->times[0], last = s->times[s->n - 1];
    if (last - first < 0 || last - first == INT64_MAX)
        return false;
    return reel_store_histogram(store, s->entity, false, s->timeline, first, last - first + 1, 1,
                                count, NULL) == REEL_OK;
}

const view_series_samples *view_series_get(reel_view_series_cache **cache_ptr,
                                           const reel_store *store, uint32_t entity,
                                           uint32_t timeline, reel_status *status)
{
    *status = REEL_OK;
    if (*cache_ptr == NULL) {
        *cache_ptr = reel_alloc_zeroed(NULL, sizeof **cache_ptr);
        if (*cache_ptr == NULL) {
            *status = REEL_OUT_OF_MEMORY;
            return NULL;
        }
    }
    reel_view_series_cache *cache = *cache_ptr;
    uint64_t fp = store_fingerprint(store);
    view_series_samples *slot = NULL;
    for (size_t i = 0; i < cache->n; i++)
        if (cache->entries[i]->entity == entity && cache->entries[i]->timeline == timeline) {
            slot = cache->entries[i];
            break;
        }
    if (slot && slot->fingerprint == fp) {
        slot->frame = cache->frame;
        return slot;
    }
    if (slot == NULL) {
        if (cache->n == cache->cap) {
            size_t cap = cache->cap ? cache->cap * 2 : 8;
            view_series_samples **grown =
                reel_realloc(NULL, cache->entries, cache->cap * sizeof(view_series_samples *),
                             cap * sizeof(view_series_samples *));
            if (grown == NULL) {
                *status = REEL_OUT_OF_MEMORY;
                return NULL;
            }
            cache->entries = grown;
            cache->cap = cap;
        }
        slot = reel_alloc_zeroed(NULL, sizeof *slot);
        if (slot == NULL) {
            *status = REEL_OUT_OF_MEMORY;
            return NULL;
        }
        cache->entries[cache->n++] = slot;
    } else {
        /* Live data: append what came after the cached span, when nothing changed in it. */
        uint64_t count = 0;
        int64_t min = 0, max = 0;
        if (slot->n > 0 && span_count(store, slot, &count) && count == slot->span_rows &&
            reel_store_time_range(store, entity, timeline, &min, &max) && min == slot->times[0] &&
            slot->times[slot->n - 1] < INT64_MAX) {
            *status = build(store, entity, timeline, slot->times[slot->n - 1] + 1, true, slot);
            if (*status == REEL_OK && span_count(store, slot, &slot->span_rows)) {
                slot->fingerprint = fp;
                slot->frame = cache->frame;
                return slot;
            }
        }
        samples_free(slot);
    }
    slot->entity = entity;
    slot->timeline = timeline;
    *status = build(store, entity, timeline, INT64_MIN + 1, false, slot);
    if (*status != REEL_OK) {
        samples_free(slot);
        slot->entity = entity, slot->timeline = timeline;
        return NULL;
    }
    slot->span_rows = 0;
    span_count(store, slot, &slot->span_rows);
    slot->fingerprint = fp;
    slot->frame = cache->frame;
    return slot;
}

void view_series_cache_frame(reel_view_series_cache *cache)
{
    if (cache == NULL)
        return;
    /* Entries unused for a while (entities left the view) are dropped. */
    for (size_t i = 0; i < cache->n;) {
        if (cache->frame > 120 && cache->entries[i]->frame + 120 < cache->frame) {
            samples_free(cache->entries[i]);
            reel_free(NULL, cache->entries[i], sizeof(view_series_samples));
            cache->entries[i] = cache->entries[--cache->n];
        } else {
            i++;
        }
    }
    cache->frame++;
}

size_t view_series_lower_bound(const view_series_samples *s, int64_t t)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->times[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
