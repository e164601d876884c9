/* The store's indices: sorted arrays of chunk time ranges (Rerun's ChunkIdSetPerTime: by start
 * time, with the longest interval to bound backward walks), per-entity and per-component
 * lookups, and inside one chunk the row order sorted by (time, RowId) with the binary searches
 * that latest-at and range run on it. Chunks whose rows are already in that order (the usual
 * case) need no order array at all. */
#include "store/store_internal.h"

/* ---------------------------------------------------------------- cells */

bool reel__store_list_valid(const reel_chunk *chunk, int32_t column, int64_t row)
{
    const reel_arrow_array *lists = &chunk->components[column].lists;
    const uint8_t *bits = lists->buffers[0].data;
    if (bits == NULL)
        return true;
    int64_t i = lists->offset + row;
    return (bits[i >> 3] >> (i & 7)) & 1;
}

/* ---------------------------------------------------------------- rows in time order */

/* First position in [lo, hi) whose time is > `time` (binary search). */
static int64_t upper_in(const int64_t *times, const int32_t *order, int64_t lo, int64_t hi,
                        int64_t time)
{
    if (order == NULL) {
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (times[mid] <= time)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (times[order[mid]] <= time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Rows in time order with times in about [min, max]: guess the position by interpolation,
 * then gallop away from the guess and finish with a binary search. Regularly spaced times
 * (frame numbers, fixed-rate clocks) take one or two probes instead of log2(n). */
static int64_t upper_bound(const int64_t *times, const int32_t *order, int64_t n, int64_t min,
                           int64_t max, int64_t time)
{
    if (n < 16 || max <= min)
        return upper_in(times, order, 0, n, time);
    double fraction = ((double)time - (double)min) / ((double)max - (double)min);
    /* Written so that NaN (equal doubles for distinct huge times) takes the first case. */
    int64_t guess = !(fraction > 0)   ? 0
                    : !(fraction < 1) ? n - 1
                                      : (int64_t)(fraction * (double)(n - 1));
#define TIME_AT(i) (order != NULL ? times[order[i]] : times[i])
    int64_t lo, hi, step = 1;
    if (TIME_AT(guess) <= time) { /* the answer is after guess */
        lo = guess + 1;
        while (lo + step - 1 < n && TIME_AT(lo + step - 1) <= time) {
            lo += step;
            step *= 2;
        }
        hi = lo + step - 1 < n ? lo + step - 1 : n;
    } else { /* the answer is at or before guess */
        hi = guess;
        while (hi - step >= 0 && TIME_AT(hi - step) > time) {
            hi -= step;
            step *= 2;
        }
        lo = hi - step >= 0 ? hi - step + 1 : 0;
    }
#undef TIME_AT
    return upper_in(times, order, lo, hi, time);
}

int64_t reel__store_upper_bound(const store_chunk *chunk, int32_t timeline, int64_t time)
{
    const store_chunk_timeline *t = &chunk->timelines[timeline];
    const reel_chunk_timeline *ct = &chunk->chunk->timelines[timeline];
    return upper_bound(t->times, t->order, chunk->chunk->row_count, ct->min, ct->max, time);
}

int64_t reel__store_entry_upper_bound(const store_entry *entry, int64_t time)
{
    return upper_bound(entry->times, entry->order, entry->rows, entry->start, entry->end, time);
}

int64_t reel__store_lower_bound(const store_chunk *chunk, int32_t timeline, int64_t time)
{
    return time == INT64_MIN ? 0 : reel__store_upper_bound(chunk, timeline, time - 1);
}

typedef struct order_ctx {
    const int64_t *times;
    const uint8_t *row_ids;
} order_ctx;

static bool row_before(const order_ctx *ctx, int32_t a, int32_t b)
{
    if (ctx->times[a] != ctx->times[b])
        return ctx->times[a] < ctx->times[b];
    int c = store_row_id_cmp(ctx->row_ids + (size_t)a * 16, ctx->row_ids + (size_t)b * 16);
    return c != 0 ? c < 0 : a < b;
}

/* Bottom-up merge sort of row indices (stable, O(n log n), no recursion). */
static void sort_rows(const order_ctx *ctx, int32_t *rows, int32_t *scratch, int64_t n)
{
    int32_t *src = rows, *dst = scratch;
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = row_before(ctx, src[j], src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        int32_t *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != rows)
        memcpy(rows, src, (size_t)n * sizeof *rows);
}

reel_status reel__store_sort_timeline(reel_store *store, store_chunk *chunk, int32_t k)
{
    const reel_chunk_timeline *ct = &chunk->chunk->timelines[k];
    store_chunk_timeline *t = &chunk->timelines[k];
    int64_t n = chunk->chunk->row_count;
    t->order = NULL;
    if (ct->is_sorted && chunk->chunk->row_ids_sorted)
        return REEL_OK;
    order_ctx ctx = {t->times, chunk->row_ids};
    bool sorted = true;
    for (int64_t i = 1; i < n && sorted; i++)
        sorted = !row_before(&ctx, (int32_t)i, (int32_t)(i - 1));
    if (sorted)
        return REEL_OK;
    if (n > INT32_MAX)
        return REEL_LIMIT;
    int32_t *order = reel_alloc(&store->alloc, (size_t)n * sizeof *order);
    int32_t *scratch = reel_alloc(store->base, (size_t)n * sizeof *scratch);
    if (order == NULL || scratch == NULL) {
        reel_free(&store->alloc, order, (size_t)n * sizeof *order);
        reel_free(store->base, scratch, (size_t)n * sizeof *scratch);
        return REEL_OUT_OF_MEMORY;
    }
    for (int64_t i = 0; i < n; i++)
        order[i] = (int32_t)i;
    sort_rows(&ctx, order, scratch, n);
    reel_free(store->base, scratch, (size_t)n * sizeof *scratch);
    t->order = order;
    return REEL_OK;
}

/* ---------------------------------------------------------------- indices */

static int entry_cmp(const store_entry *a, const store_entry *b)
{
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return memcmp(a->chunk->id, b->chunk->id, 16);
}

reel_status reel__store_index_add(reel_store *store, store_index *index, const store_entry *entry)
{
    REEL_TRY(reel__store_grow(store, (void **)&index->entries, &index->cap, index->len + 1,
                              sizeof *index->entries));
    uint32_t pos = index->len;
    if (pos > 0 && entry_cmp(&index->entries[pos - 1], entry) > 0) {
        uint32_t lo = 0, hi = index->len;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (entry_cmp(&index->entries[mid], entry) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        pos = lo;
        memmove(&index->entries[pos + 1], &index->entries[pos],
                (index->len - pos) * sizeof *index->entries);
    }
    index->entries[pos] = *entry;
    index->len++;
    uint64_t interval = (uint64_t)entry->end - (uint64_t)entry->start;
    if (interval > index->max_interval)
        index->max_interval = interval;
    return REEL_OK;
}

void reel__store_index_sweep(store_index *index)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < index->len; i++) {
        if (!index->entries[i].chunk->doomed)
            index->entries[kept++] = index->entries[i];
    }
    index->len = kept;
}

void reel__store_index_free(reel_store *store, store_index *index)
{
    reel_free(&store->alloc, index->entries, index->cap * sizeof *index->entries);
    memset(index, 0, sizeof *index);
}

uint32_t reel__store_index_upper(const store_index *index, int64_t time)
{
    uint32_t lo = 0, hi = index->len;
    if (hi > 0 && index->entries[hi - 1].start <= time)
        return hi; /* the common case: querying at or after the last chunk's start */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (index->entries[mid].start <= time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---------------------------------------------------------------- per entity */

store_entity_timeline *reel__store_entity_timeline(const store_entity *entity, uint32_t timeline)
{
    return timeline < entity->n_timelines ? entity->timelines[timeline] : NULL;
}

reel_status reel__store_entity_timeline_get(reel_store *store, store_entity *entity,
                                            uint32_t timeline, store_entity_timeline **out)
{
    if (timeline >= entity->n_timelines) {
        uint32_t n = store->n_timelines > timeline ? store->n_timelines : timeline + 1;
        store_entity_timeline **grown =
            reel_realloc(&store->alloc, entity->timelines, entity->n_timelines * sizeof *grown,
                         n * sizeof *grown);
        if (grown == NULL)
            return REEL_OUT_OF_MEMORY;
        memset(grown + entity->n_timelines, 0, (n - entity->n_timelines) * sizeof *grown);
        entity->timelines = grown;
        entity->n_timelines = n;
    }
    if (entity->timelines[timeline] == NULL) {
        entity->timelines[timeline] = reel_alloc_zeroed(&store->alloc, sizeof **out);
        if (entity->timelines[timeline] == NULL)
            return REEL_OUT_OF_MEMORY;
    }
    *out = entity->timelines[timeline];
    return REEL_OK;
}

static uint32_t component_slot(const store_entity_timeline *et, uint32_t component)
{
    uint32_t lo = 0, hi = et->n_components;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (et->components[mid].component < component)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

store_index *reel__store_component_index(const store_entity_timeline *et, uint32_t component)
{
    if (et == NULL)
        return NULL;
    uint32_t slot = component_slot(et, component);
    if (slot < et->n_components && et->components[slot].component == component)
        return &et->components[slot].index;
    return NULL;
}

reel_status reel__store_component_index_get(reel_store *store, store_entity_timeline *et,
                                            uint32_t component, store_index **out)
{
    uint32_t slot = component_slot(et, component);
    if (slot == et->n_components || et->components[slot].component != component) {
        REEL_TRY(reel__store_grow(store, (void **)&et->components, &et->cap_components,
                                  et->n_components + 1, sizeof *et->components));
        memmove(&et->components[slot + 1], &et->components[slot],
                (et->n_components - slot) * sizeof *et->components);
        memset(&et->components[slot], 0, sizeof et->components[slot]);
        et->components[slot].component = component;
        et->n_components++;
    }
    *out = &et->components[slot].index;
    return REEL_OK;
}
