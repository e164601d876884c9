/* When to compact and when to split, as re_chunk_store decides: a new small temporal chunk
 * elects the neighbour that scores most points in its component indices (1 for the chunk
 * starting just before it, 1 for the one starting just after, 2 for one starting at the same
 * time), among neighbours it can be concatenated with while staying under the thresholds; a
 * new temporal chunk over the thresholds is split into row ranges (Chunk::split_chunk_if_needed).
 * The chunks themselves are made in store_build.c. */
#include "store/store_internal.h"

/* ---------------------------------------------------------------- thresholds */

static bool all_timelines_sorted(const reel_chunk *chunk)
{
    for (int32_t k = 0; k < chunk->n_timelines; k++) {
        if (!chunk->timelines[k].is_sorted)
            return false;
    }
    return true;
}

static uint64_t row_limit(const reel_store *store, const reel_chunk *chunk)
{
    return all_timelines_sorted(chunk) ? store->max_rows : store->max_rows_unsorted;
}

/* ---------------------------------------------------------------- election */

/* Rerun's Chunk::concatenable: same entity (given: same index), same timelines (names and
 * types), same Arrow types for the components both have. Reel also asks for the same
 * descriptors, so that the merged column's descriptor is everybody's. */
static bool concatenable(const reel_chunk *a, const reel_chunk *b)
{
    if (a->n_timelines != b->n_timelines)
        return false;
    for (int32_t k = 0; k < a->n_timelines; k++) {
        if (strcmp(a->timelines[k].name, b->timelines[k].name) != 0 ||
            a->timelines[k].type != b->timelines[k].type)
            return false;
    }
    for (int32_t j = 0; j < a->n_components; j++) {
        const reel_chunk_component *x = &a->components[j];
        const reel_chunk_component *y = reel_chunk_find_component(b, x->descriptor.component);
        if (y == NULL)
            continue;
        const char *xa = x->descriptor.archetype, *ya = y->descriptor.archetype;
        const char *xt = x->descriptor.component_type, *yt = y->descriptor.component_type;
        if ((xa == NULL) != (ya == NULL) || (xa != NULL && strcmp(xa, ya) != 0) ||
            (xt == NULL) != (yt == NULL) || (xt != NULL && strcmp(xt, yt) != 0))
            return false;
        if (!reel_arrow_field_type_equal(&x->field, &y->field, false))
            return false;
    }
    return true;
}

typedef struct candidate {
    store_chunk *leader;
    uint64_t
        worth; /* its rows when it may be merged, else 0 (Rerun's check_if_chunk_below_threshold) */
    uint64_t points;
} candidate;

typedef struct election {
    const reel_store *store;
    const store_chunk *incoming;
    candidate *candidates;
    uint32_t n, cap;
    bool out_of_memory;
} election;

/* Rerun's check on one candidate, applied to the whole group a leader stands for (the chunk it
 * will become once its pending chunks are merged). */
static uint64_t worth(const election *el, const store_chunk *leader)
{
    const reel_store *store = el->store;
    const reel_chunk *in = el->incoming->chunk;
    if (leader->from_split || leader->doomed || !concatenable(in, leader->chunk))
        return 0;
    for (uint32_t i = 0; i < leader->n_pending; i++) {
        if (!concatenable(in, leader->pending[i]->chunk))
            return 0;
    }
    bool grouped = leader->n_pending > 0;
    uint64_t rows = grouped ? leader->group_rows : (uint64_t)leader->chunk->row_count;
    uint64_t bytes = grouped ? leader->group_bytes : leader->bytes;
    bool sorted = grouped ? leader->group_sorted : all_timelines_sorted(leader->chunk);
    uint64_t limit = sorted ? store->max_rows : store->max_rows_unsorted;
    if (el->incoming->bytes + bytes <= store->max_bytes && (uint64_t)in->row_count + rows <= limit)
        return rows;
    return 0;
}

static void vote(election *el, store_chunk *c, uint64_t weight)
{
    store_chunk *leader = c->leader != NULL ? c->leader : c;
    for (uint32_t i = 0; i < el->n; i++) {
        if (el->candidates[i].leader == leader) {
            el->candidates[i].points += el->candidates[i].worth * weight;
            return;
        }
    }
    if (el->n == el->cap) {
        uint32_t cap = el->cap < 8 ? 8 : el->cap * 2;
        candidate *grown = reel_realloc(el->store->base, el->candidates, el->cap * sizeof *grown,
                                        cap * sizeof *grown);
        if (grown == NULL) {
            el->out_of_memory = true;
            return;
        }
        el->candidates = grown;
        el->cap = cap;
    }
    uint64_t w = worth(el, leader);
    el->candidates[el->n++] = (candidate){leader, w, w * weight};
}

/* Votes for every chunk of `index` whose start equals entries[pos].start. */
static void vote_start(election *el, const store_index *index, uint32_t pos, uint64_t weight)
{
    int64_t start = index->entries[pos].start;
    for (uint32_t i = pos; i < index->len && index->entries[i].start == start; i++)
        vote(el, index->entries[i].chunk, weight);
    for (uint32_t i = pos; i-- > 0 && index->entries[i].start == start;)
        vote(el, index->entries[i].chunk, weight);
}

store_chunk *reel__store_elect(const reel_store *store, const store_chunk *incoming)
{
    const reel_chunk *chunk = incoming->chunk;
    if (incoming->bytes > store->max_bytes || (uint64_t)chunk->row_count > row_limit(store, chunk))
        return NULL; /* already too big on its own */
    const store_entity *entity = store->entities[incoming->entity];
    election el = {store, incoming, NULL, 0, 0, false};
    for (int32_t k = 0; k < incoming->n_timelines; k++) {
        const store_entity_timeline *et =
            reel__store_entity_timeline(entity, incoming->timelines[k].timeline);
        for (int32_t j = 0; et != NULL && j < chunk->n_components; j++) {
            const store_index *index = reel__store_component_index(et, incoming->components[j]);
            int64_t min, max;
            if (index == NULL || index->len == 0 ||
                !reel__store_column_range(incoming, k, j, &min, &max))
                continue;
            /* Direct neighbour before: the latest start < min (1 point). */
            uint32_t below = reel__store_index_upper(index, min - 1);
            if (min != INT64_MIN && below > 0)
                vote_start(&el, index, below - 1, 1);
            /* Direct neighbour after: the earliest start > max (1 point). */
            uint32_t after = reel__store_index_upper(index, max);
            if (after < index->len)
                vote_start(&el, index, after, 1);
            /* Same start time (2 points). */
            uint32_t same = reel__store_index_upper(index, min);
            if (same > 0 && index->entries[same - 1].start == min)
                vote_start(&el, index, same - 1, 2);
        }
    }
    store_chunk *best = NULL;
    uint64_t best_points = 0;
    for (uint32_t i = 0; i < el.n; i++) {
        const candidate *c = &el.candidates[i];
        /* Rerun breaks ties by hash order; Reel takes the most recently inserted. */
        if (c->points > best_points || (c->points == best_points && best != NULL && c->points > 0 &&
                                        c->leader->seq > best->seq)) {
            best = c->leader;
            best_points = c->points;
        }
    }
    reel_free(store->base, el.candidates, el.cap * sizeof *el.candidates);
    return el.out_of_memory ? NULL : best;
}

/* ---------------------------------------------------------------- groups */

reel_status reel__store_join_group(reel_store *store, store_chunk *leader, store_chunk *member)
{
    REEL_TRY(reel__store_grow(store, (void **)&leader->pending, &leader->cap_pending,
                              leader->n_pending + 1, sizeof *leader->pending));
    if (leader->n_pending == 0) {
        leader->group_rows = (uint64_t)leader->chunk->row_count;
        leader->group_bytes = leader->bytes;
        leader->group_sorted = all_timelines_sorted(leader->chunk);
    }
    leader->pending[leader->n_pending++] = member;
    leader->group_rows += (uint64_t)member->chunk->row_count;
    leader->group_bytes += member->bytes;
    leader->group_sorted = leader->group_sorted && all_timelines_sorted(member->chunk);
    member->leader = leader;
    store->stats.pending++;
    return REEL_OK;
}

bool reel__store_group_ready(const reel_store *store, const store_chunk *leader)
{
    if (leader->n_pending == 0)
        return false;
    uint64_t limit = leader->group_sorted ? store->max_rows : store->max_rows_unsorted;
    /* Enough chunks waiting, or no further chunk could join anyway. */
    return leader->n_pending >= store->compaction_batch || leader->group_rows >= limit ||
           leader->group_bytes >= store->max_bytes;
}

static void free_pending(reel_store *store, store_chunk *leader)
{
    reel_free(&store->alloc, leader->pending, leader->cap_pending * sizeof *leader->pending);
    leader->pending = NULL;
    leader->n_pending = leader->cap_pending = 0;
}

void reel__store_leave_group(reel_store *store, store_chunk *sc)
{
    store_chunk *leader = sc->leader;
    if (leader != NULL) {
        for (uint32_t i = 0; i < leader->n_pending; i++) {
            if (leader->pending[i] == sc) {
                memmove(&leader->pending[i], &leader->pending[i + 1],
                        (leader->n_pending - i - 1) * sizeof *leader->pending);
                leader->n_pending--;
                break;
            }
        }
        leader->group_rows -= (uint64_t)sc->chunk->row_count;
        leader->group_bytes -= sc->bytes;
        if (leader->n_pending == 0)
            free_pending(store, leader);
        sc->leader = NULL;
        store->stats.pending--;
    }
    for (uint32_t i = 0; i < sc->n_pending; i++)
        sc->pending[i]->leader = NULL;
    store->stats.pending -= sc->n_pending;
    free_pending(store, sc);
}

reel_status reel__store_flush_group(reel_store *store, store_chunk *leader, reel_error *err)
{
    size_t n = 1 + leader->n_pending;
    store_chunk **old = reel_alloc(store->base, n * sizeof *old);
    /* The event lists the merged chunks; the list lives until the events went out. */
    const reel_chunk **merged = reel_alloc(&store->alloc, n * sizeof *merged);
    if (old == NULL || merged == NULL) {
        reel_free(store->base, old, n * sizeof *old);
        reel_free(&store->alloc, merged, n * sizeof *merged);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory while compacting");
    }
    if (reel__store_reserve(store, 1, n, 1) != REEL_OK) {
        reel_free(store->base, old, n * sizeof *old);
        reel_free(&store->alloc, merged, n * sizeof *merged);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory while compacting");
    }
    old[0] = leader;
    for (size_t i = 1; i < n; i++)
        old[i] = leader->pending[i - 1];
    for (size_t i = 0; i < n; i++)
        merged[i] = old[i]->chunk;
    reel_chunk *chunk = NULL;
    store_chunk *sc = NULL;
    reel_status status = reel__store_merge_many(merged, n, &chunk, err);
    if (status == REEL_OK)
        status = reel__store_chunk_new(store, chunk, &sc);
    if (status == REEL_OK) {
        sc->made_by_store = true;
        status = reel__store_index_temporal(store, sc);
        if (status != REEL_OK)
            reel__store_chunk_free(store, sc);
    }
    if (status != REEL_OK) { /* the group stays as it is: nothing changed */
        reel_chunk_release(chunk);
        reel_free(store->base, old, n * sizeof *old);
        reel_free(&store->alloc, merged, n * sizeof *merged);
        return status == REEL_OUT_OF_MEMORY
                   ? reel_error_set(err, status, "store: out of memory while compacting")
                   : status;
    }
    reel_chunk_release(chunk); /* sc holds it */
    reel__store_leave_group(store, leader);
    reel_store_event event = {
        .kind = REEL_STORE_COMPACTION, .stored = sc->chunk, .merged = merged, .n_merged = n};
    reel__store_push_event(store, &event);
    reel__store_defer_free(store, merged, n * sizeof *merged);
    reel__store_unindex(store, old, n); /* their chunks stay alive until the events went out */
    reel_free(store->base, old, n * sizeof *old);
    store->stats.compactions++;
    return REEL_OK;
}

reel_status reel_store_compact(reel_store *store, reel_error *err)
{
    size_t n = 0;
    for (uint32_t i = 0; i < store->n_temporal; i++)
        n += store->temporal[i]->n_pending > 0;
    store_chunk **leaders = reel_alloc(store->base, (n + 1) * sizeof *leaders);
    if (leaders == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    n = 0;
    for (uint32_t i = 0; i < store->n_temporal; i++) {
        if (store->temporal[i]->n_pending > 0)
            leaders[n++] = store->temporal[i];
    }
    reel_status status = REEL_OK;
    for (size_t i = 0; i < n && status == REEL_OK; i++) /* flushing one leaves the others */
        status = reel__store_flush_group(store, leaders[i], err);
    reel_free(store->base, leaders, (n + 1) * sizeof *leaders);
    reel__store_flush_events(store);
    return status;
}

/* ---------------------------------------------------------------- splitting */

/* How many rows each piece gets, or 0 when the chunk stays whole. */
static int64_t split_rows(const reel_store *store, const reel_chunk *chunk)
{
    uint64_t rows = (uint64_t)chunk->row_count;
    if (rows <= 1)
        return 0;
    uint64_t bytes = reel_chunk_byte_size(chunk);
    bool by_bytes = store->max_bytes > 0 && bytes > store->max_bytes;
    bool by_rows = store->max_rows > 0 && rows > store->max_rows;
    bool by_unsorted = store->max_rows_unsorted > 0 && rows > store->max_rows_unsorted &&
                       !all_timelines_sorted(chunk);
    uint64_t target;
    if (by_unsorted)
        target = store->max_rows_unsorted;
    else if (by_rows)
        target = store->max_rows;
    else if (by_bytes)
        target = store->max_bytes / (bytes / rows > 0 ? bytes / rows : 1);
    else
        return 0;
    return target > 0 ? (int64_t)target : 1;
}

typedef struct pieces {
    reel_chunk **items;
    size_t n, cap;
} pieces;

/* Splits `chunk` into `out`, splitting pieces again while they need it (Rerun's loop). */
static reel_status split_into(reel_store *store, reel_chunk *chunk, pieces *out, reel_error *err)
{
    int64_t per = split_rows(store, chunk);
    if (per == 0) {
        if (out->n == out->cap) {
            size_t cap = out->cap < 8 ? 8 : out->cap * 2;
            reel_chunk **grown = reel_realloc(store->base, out->items, out->cap * sizeof *grown,
                                              cap * sizeof *grown);
            if (grown == NULL)
                return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
            out->items = grown, out->cap = cap;
        }
        out->items[out->n++] = reel_chunk_retain(chunk);
        return REEL_OK;
    }
    for (int64_t start = 0; start < chunk->row_count; start += per) {
        int64_t n = chunk->row_count - start < per ? chunk->row_count - start : per;
        reel_chunk *piece = NULL;
        REEL_TRY(reel__store_slice(chunk, start, n, &piece, err));
        reel_status status = split_into(store, piece, out, err);
        reel_chunk_release(piece);
        REEL_TRY(status);
    }
    return REEL_OK;
}

reel_status reel__store_split(reel_store *store, reel_chunk *chunk, reel_chunk ***out_pieces,
                              size_t *out_count, reel_error *err)
{
    *out_pieces = NULL;
    *out_count = 0;
    if (split_rows(store, chunk) == 0)
        return REEL_OK;
    pieces p = {0};
    reel_status status = split_into(store, chunk, &p, err);
    if (status != REEL_OK) {
        for (size_t i = 0; i < p.n; i++)
            reel_chunk_release(p.items[i]);
        reel_free(store->base, p.items, p.cap * sizeof *p.items);
        return status;
    }
    /* Exactly n entries, for the caller's sized free. */
    reel_chunk **exact =
        reel_realloc(store->base, p.items, p.cap * sizeof *p.items, p.n * sizeof *p.items);
    if (exact == NULL) {
        for (size_t i = 0; i < p.n; i++)
            reel_chunk_release(p.items[i]);
        reel_free(store->base, p.items, p.cap * sizeof *p.items);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    *out_pieces = exact;
    *out_count = p.n;
    return REEL_OK;
}
