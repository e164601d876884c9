/* Range queries (re_chunk_store's range_relevant_chunks + re_chunk's Chunk::range: every row
 * with the component in [t0, t1], static data overriding everything, optionally one row beyond
 * each bound), and the time panel's numbers: time ranges and per-bucket row counts computed
 * from the per-timeline chunk indices, so no histogram is stored. */
#include <stdlib.h>

#include "store/store_internal.h"

static reel_status prepare(reel_vec *out, reel_error *err)
{
    if (out->elem_size == 0)
        reel_vec_init(out, sizeof(reel_store_row), out->alloc);
    if (out->elem_size != sizeof(reel_store_row))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "store: range output vector of %zu-byte elements, expected %zu",
                              out->elem_size, sizeof(reel_store_row));
    reel_vec_clear(out);
    return REEL_OK;
}

/* Number of entries with start < time. */
static uint32_t index_lower(const store_index *index, int64_t time)
{
    return time == INT64_MIN ? 0 : reel__store_index_upper(index, time - 1);
}

static reel_store_row row_of(const store_chunk *sc, int64_t row, int64_t time)
{
    return (reel_store_row){sc->chunk, row, time, reel_chunk_row_id(sc->chunk, row)};
}

static int row_cmp(const void *pa, const void *pb)
{
    const reel_store_row *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return reel_tuid_compare(a->row_id, b->row_id);
}

/* The latest row with the component strictly before t0. */
static bool row_before(const store_index *index, int64_t t0, store_hit *out)
{
    if (t0 <= INT64_MIN + 1)
        return false;
    uint32_t upper = reel__store_index_upper(index, t0 - 1);
    bool found = false;
    if (upper == 0)
        return false;
    int64_t bound = store_back_off(index->entries[upper - 1].start, index->max_interval);
    for (uint32_t i = upper; i-- > 0 && index->entries[i].start >= bound;) {
        const store_entry *entry = &index->entries[i];
        const store_chunk_timeline *t = &entry->chunk->timelines[entry->timeline];
        int64_t pos = reel__store_upper_bound(entry->chunk, entry->timeline, t0 - 1);
        while (pos-- > 0) {
            int64_t row = store_row_at(t, pos);
            if (!reel__store_list_valid(entry->chunk->chunk, entry->column, row))
                continue;
            store_hit hit = store_make_hit(entry->chunk, entry->column, row, t->times[row]);
            if (!found || reel__store_hit_cmp(&hit, out) > 0)
                *out = hit;
            found = true;
            break;
        }
    }
    return found;
}

/* The earliest row with the component strictly after t1. */
static bool row_after(const store_index *index, int64_t t1, store_hit *out)
{
    if (t1 == INT64_MAX)
        return false;
    bool found = false;
    for (uint32_t i = index_lower(index, store_back_off(t1, index->max_interval)); i < index->len;
         i++) {
        const store_entry *entry = &index->entries[i];
        if (found && entry->start > out->time)
            break; /* every later chunk starts after the best row found */
        if (entry->end <= t1)
            continue;
        const store_chunk_timeline *t = &entry->chunk->timelines[entry->timeline];
        int64_t n = entry->chunk->chunk->row_count;
        for (int64_t pos = reel__store_upper_bound(entry->chunk, entry->timeline, t1); pos < n;
             pos++) {
            int64_t row = store_row_at(t, pos);
            if (!reel__store_list_valid(entry->chunk->chunk, entry->column, row))
                continue;
            store_hit hit = store_make_hit(entry->chunk, entry->column, row, t->times[row]);
            if (!found || reel__store_hit_cmp(&hit, out) < 0)
                *out = hit;
            found = true;
            break;
        }
    }
    return found;
}

static reel_status push(reel_vec *out, reel_store_row row, reel_error *err)
{
    if (reel_vec_push(out, &row) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    return REEL_OK;
}

reel_status reel_store_range_id(const reel_store *store, uint32_t entity, uint32_t timeline,
                                int64_t t0, int64_t t1, uint32_t component,
                                const reel_store_range_options *options, reel_vec *out,
                                reel_error *err)
{
    static const reel_store_range_options defaults = {0};
    if (options == NULL)
        options = &defaults;
    REEL_TRY(prepare(out, err));
    if (entity >= store->n_entities || component >= store->n_components)
        return REEL_OK;
    const store_entity *e = store->entities[entity];
    store_hit hit;
    if (reel__store_lookup(store, e, REEL_STORE_NO_ID, 0, component, &hit))
        return push(out, row_of(hit.chunk, hit.row, REEL_STORE_TIME_STATIC), err);
    const store_index *index =
        timeline == REEL_STORE_NO_ID
            ? NULL
            : reel__store_component_index(reel__store_entity_timeline(e, timeline), component);
    if (index == NULL || t0 > t1)
        return REEL_OK;
    bool before = options->include_extended_bounds || options->include_latest_before;
    if (before && row_before(index, t0, &hit))
        REEL_TRY(push(out, row_of(hit.chunk, hit.row, hit.time), err));
    size_t first = out->len;
    uint32_t contributing = 0;
    for (uint32_t i = index_lower(index, store_back_off(t0, index->max_interval));
         i < index->len && index->entries[i].start <= t1; i++) {
        const store_entry *entry = &index->entries[i];
        if (entry->end < t0)
            continue;
        const store_chunk_timeline *t = &entry->chunk->timelines[entry->timeline];
        int64_t lo = reel__store_lower_bound(entry->chunk, entry->timeline, t0);
        int64_t hi = reel__store_upper_bound(entry->chunk, entry->timeline, t1);
        size_t len_before = out->len;
        for (int64_t pos = lo; pos < hi; pos++) {
            int64_t row = store_row_at(t, pos);
            if (reel__store_list_valid(entry->chunk->chunk, entry->column, row))
                REEL_TRY(push(out, row_of(entry->chunk, row, t->times[row]), err));
        }
        contributing += out->len > len_before;
    }
    if (contributing > 1) /* rows from several chunks: merge them into (time, RowId) order */
        qsort((reel_store_row *)out->data + first, out->len - first, sizeof(reel_store_row),
              row_cmp);
    if (options->include_extended_bounds && row_after(index, t1, &hit))
        REEL_TRY(push(out, row_of(hit.chunk, hit.row, hit.time), err));
    return REEL_OK;
}

reel_status reel_store_range(const reel_store *store, const char *entity_path, const char *timeline,
                             int64_t t0, int64_t t1, const char *component,
                             const reel_store_range_options *options, reel_vec *out,
                             reel_error *err)
{
    return reel_store_range_id(store, reel_store_entity_find(store, entity_path),
                               reel_store_timeline_find(store, timeline), t0, t1,
                               reel_store_component_find(store, component), options, out, err);
}

/* ---------------------------------------------------------------- time ranges and histograms */

bool reel_store_time_range(const reel_store *store, uint32_t entity, uint32_t timeline,
                           int64_t *min, int64_t *max)
{
    bool found = false;
    *min = INT64_MAX, *max = INT64_MIN;
    uint32_t first = entity == REEL_STORE_NO_ID ? 0 : entity;
    uint32_t last = entity == REEL_STORE_NO_ID ? store->n_entities : entity + 1;
    for (uint32_t id = first; id < last && id < store->n_entities; id++) {
        const store_entity_timeline *et =
            reel__store_entity_timeline(store->entities[id], timeline);
        if (et == NULL || et->all.len == 0)
            continue;
        found = true;
        *min = et->all.entries[0].start < *min ? et->all.entries[0].start : *min;
        for (uint32_t i = 0; i < et->all.len; i++)
            *max = et->all.entries[i].end > *max ? et->all.entries[i].end : *max;
    }
    return found;
}

typedef struct histogram {
    int64_t t0, width;
    size_t n;
    uint64_t *counts;
} histogram;

/* Bucket of a time >= t0 (may be >= n). */
static uint64_t bucket_of(const histogram *h, int64_t time)
{
    return ((uint64_t)time - (uint64_t)h->t0) / (uint64_t)h->width;
}

/* Rows of the entry's chunk with time below the end of bucket b (every row when that end lies
 * beyond INT64_MAX). */
static int64_t rows_below_end(const histogram *h, const store_entry *entry, uint64_t b)
{
    uint64_t width = (uint64_t)h->width, room = (uint64_t)INT64_MAX - (uint64_t)h->t0;
    if (b + 1 > room / width)
        return entry->chunk->chunk->row_count;
    return reel__store_lower_bound(entry->chunk, entry->timeline,
                                   (int64_t)((uint64_t)h->t0 + (b + 1) * width));
}

static void count_chunk(histogram *h, const store_entry *entry)
{
    if (entry->end < h->t0)
        return;
    uint64_t first = entry->start < h->t0 ? 0 : bucket_of(h, entry->start);
    uint64_t last = bucket_of(h, entry->end);
    if (first >= h->n)
        return;
    if (first == last && entry->start >= h->t0) {
        h->counts[first] += (uint64_t)entry->chunk->chunk->row_count; /* all in one bucket */
        return;
    }
    if (last >= h->n)
        last = h->n - 1;
    int64_t lo = reel__store_lower_bound(entry->chunk, entry->timeline,
                                         (int64_t)((uint64_t)h->t0 + first * (uint64_t)h->width));
    for (uint64_t b = first; b <= last; b++) {
        int64_t hi = rows_below_end(h, entry, b);
        h->counts[b] += (uint64_t)(hi - lo);
        lo = hi;
    }
}

static void count_entity(histogram *h, const store_entity *e, uint32_t timeline)
{
    const store_entity_timeline *et = reel__store_entity_timeline(e, timeline);
    if (et == NULL)
        return;
    for (uint32_t i = 0; i < et->all.len; i++)
        count_chunk(h, &et->all.entries[i]);
}

static void count_subtree(histogram *h, const reel_store *store, uint32_t entity, uint32_t timeline)
{
    const store_entity *e = store->entities[entity];
    if (e->subtree_chunks == 0)
        return;
    count_entity(h, e, timeline);
    for (uint32_t i = 0; i < e->n_children; i++)
        count_subtree(h, store, e->children[i], timeline);
}

reel_status reel_store_histogram(const reel_store *store, uint32_t entity, bool subtree,
                                 uint32_t timeline, int64_t t0, int64_t width, size_t n_buckets,
                                 uint64_t *counts, reel_error *err)
{
    if (width <= 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "store: histogram bucket width %lld",
                              (long long)width);
    if (n_buckets > 0)
        memset(counts, 0, n_buckets * sizeof *counts);
    if (n_buckets == 0 || timeline >= store->n_timelines)
        return REEL_OK;
    histogram h = {t0, width, n_buckets, counts};
    if (entity == REEL_STORE_NO_ID) {
        for (uint32_t id = 0; id < store->n_entities; id++)
            count_entity(&h, store->entities[id], timeline);
    } else if (entity < store->n_entities) {
        if (subtree)
            count_subtree(&h, store, entity, timeline);
        else
            count_entity(&h, store->entities[entity], timeline);
    }
    return REEL_OK;
}
