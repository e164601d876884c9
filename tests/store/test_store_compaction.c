/* Compaction and splitting (re_chunk_store writes.rs, re_chunk split.rs) must never change an
 * answer: small chunks merge into neighbours within the thresholds, large ones split into row
 * ranges, re-inserting a merged or split chunk is a no-op. A property test logs random data
 * (out of order, same times, statics, empty lists, flat and recursive Clears, duplicates) into
 * a compacting store, a plain store and a brute-force model of Rerun's rules, and compares
 * every latest-at and range answer. */
#include "store_testing.h"

#define V(comp, v)                                                                                 \
    {                                                                                              \
        ST_VALUE, comp, v                                                                          \
    }

static reel_store *store_with(uint64_t max_rows, uint64_t max_unsorted, uint64_t max_bytes)
{
    reel_store *store = NULL;
    reel_store_desc desc = {.chunk_max_rows = max_rows,
                            .chunk_max_rows_if_unsorted = max_unsorted,
                            .chunk_max_bytes = max_bytes,
                            .ignore_env = true};
    CHECK_OK(reel_store_create(&desc, &store, NULL));
    return store;
}

TEST(compaction_merges_small_chunks)
{
    /* Batches of 8 (the default) and 1 (Rerun: merge on every insert). */
    static const uint32_t batches[] = {8, 1};
    for (int variant = 0; variant < 2; variant++) {
        uint32_t batch = batches[variant];
        reel_store *compacting = NULL, *plain = st_store(false);
        reel_store_desc desc = {.compaction_batch = batch, .ignore_env = true};
        CHECK_OK(reel_store_create(&desc, &compacting, NULL));
        st_events events = {0};
        CHECK_OK(reel_store_subscribe(compacting, st_on_events, &events, NULL, NULL));
        for (int i = 0; i < 100; i++) {
            st_row row = {(uint64_t)i + 1, i, {V("x", i)}};
            st_insert(compacting, "/a", &row, 1);
            st_insert(plain, "/a", &row, 1);
        }
        reel_store_stats stats;
        reel_store_get_stats(compacting, &stats);
        /* 99 chunks elected the first one's group: 12 merges of 8, 3 still waiting. */
        CHECK_EQ_INT(stats.temporal_chunks, batch == 1 ? 1 : 4);
        CHECK_EQ_INT(stats.pending, batch == 1 ? 0 : 3);
        CHECK_EQ_INT(stats.compactions, batch == 1 ? 99 : 12);
        CHECK_OK(reel_store_compact(compacting, NULL));
        reel_store_get_stats(compacting, &stats);
        CHECK_EQ_INT(stats.temporal_chunks, 1);
        CHECK_EQ_INT(stats.pending, 0);
        CHECK_EQ_INT(stats.temporal_rows, 100);
        CHECK_EQ_INT(events.additions, 100);
        CHECK_EQ_INT(events.compactions, (int)stats.compactions);
        CHECK_EQ_INT(events.deletions, 0);
        CHECK(reel_store_memory_used(compacting) * 10 < reel_store_memory_used(plain));
        for (int t = -1; t <= 100; t++) {
            reel_store_result a, b;
            CHECK_EQ_INT(st_at(compacting, "/a", "x", t, &a), st_at(plain, "/a", "x", t, &b));
            CHECK_EQ_INT(st_row_number(&a.value), st_row_number(&b.value));
        }
        reel_store_destroy(compacting);
        reel_store_destroy(plain);
    }
}

TEST(compaction_thresholds)
{
    reel_store *store = store_with(10, 5, 0);
    for (int i = 0; i < 100; i++) {
        st_row row = {(uint64_t)i + 1, i, {V("x", i)}};
        st_insert(store, "/a", &row, 1);
    }
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 10); /* a full group is merged at once */
    CHECK_EQ_INT(stats.pending, 0);
    /* Chunks of other entities or other timelines never merge. */
    st_row other = {1000, 1, {V("x", 1)}};
    st_insert(store, "/b", &other, 1);
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 11);
    reel_store_destroy(store);
    /* Thresholds of 0 from the environment disable compaction, as in Rerun. */
    setenv("RERUN_CHUNK_MAX_ROWS", "0", 1);
    reel_store *env = NULL;
    CHECK_OK(reel_store_create(NULL, &env, NULL));
    uint64_t bytes, rows, unsorted;
    reel_store_thresholds(env, &bytes, &rows, &unsorted);
    CHECK_EQ_INT(rows, 0);
    CHECK_EQ_INT(bytes, REEL_STORE_DEFAULT_CHUNK_MAX_BYTES);
    CHECK_EQ_INT(unsorted, REEL_STORE_DEFAULT_CHUNK_MAX_ROWS_IF_UNSORTED);
    for (int i = 0; i < 4; i++) {
        st_row row = {(uint64_t)i + 1, i, {V("x", i)}};
        st_insert(env, "/a", &row, 1);
    }
    reel_store_get_stats(env, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 4);
    reel_store_destroy(env);
    unsetenv("RERUN_CHUNK_MAX_ROWS");
}

TEST(split_large_chunks)
{
    reel_store *store = store_with(10, 4, 0);
    st_events events = {0};
    CHECK_OK(reel_store_subscribe(store, st_on_events, &events, NULL, NULL));
    st_row rows[25];
    for (int i = 0; i < 25; i++)
        rows[i] = (st_row){(uint64_t)i + 1, i, {V("x", i)}};
    reel_chunk *sorted = st_chunk("/a", rows, 25);
    CHECK_OK(reel_store_insert(store, sorted, NULL));
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.splits, 1);
    CHECK_EQ_INT(stats.temporal_chunks, 3); /* 10 + 10 + 5 */
    CHECK_EQ_INT(events.additions, 3);
    CHECK_OK(reel_store_insert(store, sorted, NULL)); /* its pieces are there: no-op */
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_rows, 25);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 17, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 17, 0);
    /* Unsorted on its timeline: pieces of max_rows_if_unsorted. */
    for (int i = 0; i < 9; i++)
        rows[i] = (st_row){(uint64_t)100 + i, 100 - i, {V("y", i)}};
    st_insert(store, "/b", rows, 9);
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 6); /* 4 + 4 + 1 */
    CHECK_EQ_INT(st_at(store, "/b", "y", 95, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 5, 0);
    reel_chunk_release(sorted);
    reel_store_destroy(store);
}

TEST(reinserting_a_merged_chunk_is_noop)
{
    reel_store *store = st_store(true);
    st_row a = {1, 1, {V("x", 1)}}, b = {2, 2, {V("x", 2)}};
    reel_chunk *ca = st_chunk("/a", &a, 1), *cb = st_chunk("/a", &b, 1);
    CHECK_OK(reel_store_insert(store, ca, NULL));
    CHECK_OK(reel_store_insert(store, cb, NULL));
    CHECK_OK(reel_store_insert(store, cb, NULL)); /* waiting in a group: known by its id */
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.pending, 1);
    CHECK_OK(reel_store_compact(store, NULL));
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.compactions, 1);
    CHECK_OK(reel_store_insert(store, ca, NULL));
    CHECK_OK(reel_store_insert(store, cb, NULL));
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_rows, 2);
    CHECK_EQ_INT(stats.inserts, 2);
    /* The same rows re-chunked with one more row (another file of the same recording): not
     * a re-insert, so it goes in whole, as in Rerun (which does not dedupe rows either). */
    st_row x[] = {{1, 1, {V("x", 1)}}, {2, 2, {V("x", 2)}}, {3, 3, {V("x", 3)}}};
    st_insert(store, "/a", x, 3);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 3, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 3, 0);
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_rows, 5);
    reel_chunk_release(ca);
    reel_chunk_release(cb);
    reel_store_destroy(store);
}

/* ---------------------------------------------------------------- property test */

enum { N_ENTITIES = 5, N_COMPONENTS = 3, CLEAR_COMP = 2 };
static const char *const entity_paths[N_ENTITIES] = {"/", "/a", "/a/b", "/a/b/c", "/d"};
static const int entity_parent[N_ENTITIES] = {-1, 0, 1, 2, 0};
static const char *const component_names[N_COMPONENTS] = {"x", "y", "Clear:is_recursive"};

typedef struct model_cell {
    int entity, component, kind;
    int64_t time;
    uint64_t row;
} model_cell;

typedef struct model {
    model_cell *cells;
    size_t n, cap;
} model;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

/* > 0 when (time a, row a) is after (time b, row b) in Rerun's index order. */
static int index_cmp(int64_t ta, uint64_t ra, int64_t tb, uint64_t rb)
{
    bool sa = ta == ST_STATIC, sb = tb == ST_STATIC;
    if (sa != sb)
        return sa ? 1 : -1;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return ra < rb ? -1 : ra > rb;
}

static const model_cell *model_lookup(const model *m, int entity, int component, int64_t t)
{
    const model_cell *best = NULL;
    for (int pass = 0; pass < 2 && best == NULL; pass++) { /* static first */
        for (size_t i = 0; i < m->n; i++) {
            const model_cell *c = &m->cells[i];
            if (c->entity != entity || c->component != component || c->kind == ST_NULL)
                continue;
            if (pass == 0 ? c->time != ST_STATIC : (c->time == ST_STATIC || c->time > t))
                continue;
            if (best == NULL || index_cmp(c->time, c->row, best->time, best->row) > 0)
                best = c;
        }
    }
    return best;
}

static reel_store_state model_latest(const model *m, int entity, int component, int64_t t,
                                     const model_cell **value, const model_cell **clear)
{
    *value = model_lookup(m, entity, component, t);
    *clear = NULL;
    if (*value == NULL)
        return REEL_STORE_NONE;
    reel_store_state state = (*value)->kind == ST_EMPTY ? REEL_STORE_EMPTY : REEL_STORE_VALUE;
    if (component == CLEAR_COMP)
        return state;
    for (int e = entity; e >= 0; e = entity_parent[e]) {
        const model_cell *c = model_lookup(m, e, CLEAR_COMP, t);
        if (c != NULL && (e == entity || c->kind == ST_RCLEAR) &&
            (*clear == NULL || index_cmp(c->time, c->row, (*clear)->time, (*clear)->row) > 0))
            *clear = c;
    }
    if (*clear != NULL &&
        index_cmp((*value)->time, (*value)->row, (*clear)->time, (*clear)->row) <= 0)
        return REEL_STORE_CLEARED;
    *clear = NULL;
    return state;
}

static int by_index(const void *pa, const void *pb)
{
    const model_cell *a = *(const model_cell *const *)pa, *b = *(const model_cell *const *)pb;
    return index_cmp(a->time, a->row, b->time, b->row);
}

/* Row numbers of the model's range answer into out; returns how many. */
static size_t model_range(const model *m, int entity, int component, int64_t t0, int64_t t1,
                          bool extended, int64_t *out)
{
    const model_cell *s = model_lookup(m, entity, component, INT64_MIN + 1);
    if (s != NULL && s->time == ST_STATIC) {
        out[0] = (int64_t)s->row;
        return 1;
    }
    const model_cell **rows = malloc((m->n + 1) * sizeof *rows);
    size_t n = 0, k = 0;
    for (size_t i = 0; i < m->n; i++) {
        const model_cell *c = &m->cells[i];
        if (c->entity == entity && c->component == component && c->kind != ST_NULL &&
            c->time != ST_STATIC)
            rows[n++] = c;
    }
    qsort(rows, n, sizeof *rows, by_index);
    for (size_t i = 0; i < n; i++) {
        bool in = rows[i]->time >= t0 && rows[i]->time <= t1;
        bool just_before =
            extended && rows[i]->time < t0 && (i + 1 == n || rows[i + 1]->time >= t0);
        bool just_after = extended && rows[i]->time > t1 && (i == 0 || rows[i - 1]->time <= t1);
        if (in || just_before || just_after)
            out[k++] = (int64_t)rows[i]->row;
    }
    free(rows);
    return k;
}

/* How often the model answered each state: the random data must reach every rule. */
static int state_seen[4];
/* Kept across checkpoints so that the cache must notice what changed in between. */
static reel_store_cache *query_cache;

static void compare_all(reel_store *const *stores, int n_stores, const model *m)
{
    static int64_t expect[4096];
    for (int e = 0; e < N_ENTITIES; e++) {
        for (int c = 0; c < N_COMPONENTS; c++) {
            for (int64_t t = -1; t <= 42; t++) {
                const model_cell *value, *clear;
                reel_store_state state = model_latest(m, e, c, t, &value, &clear);
                state_seen[state]++;
                for (int s = 0; s < n_stores; s++) {
                    reel_store_result r;
                    reel_store_state got =
                        st_at(stores[s], entity_paths[e], component_names[c], t, &r);
                    bool ok = CHECK_EQ_INT(got, state);
                    if (ok && value != NULL)
                        ok = CHECK_EQ_INT(st_row_number(&r.value), value->row);
                    if (ok && s == 1) { /* twice through the cache: a miss, then a hit */
                        for (int twice = 0; twice < 2 && ok; twice++) {
                            reel_store_result cached;
                            uint32_t entity = reel_store_entity_find(stores[s], entity_paths[e]);
                            ok = CHECK_EQ_INT(
                                reel_store_latest_at_cached(
                                    stores[s], query_cache, entity,
                                    reel_store_timeline_find(stores[s], "frame"), t,
                                    reel_store_component_find(stores[s], component_names[c]),
                                    &cached),
                                state);
                            ok = ok && CHECK(cached.value.chunk == r.value.chunk) &&
                                 CHECK_EQ_INT(cached.value.row, r.value.row) &&
                                 CHECK(cached.clear.chunk == r.clear.chunk) &&
                                 CHECK_EQ_INT(cached.clear.row, r.clear.row);
                        }
                    }
                    if (ok && clear != NULL)
                        ok = CHECK_EQ_INT(st_row_number(&r.clear), clear->row);
                    if (!ok) {
                        fprintf(stderr, "    store %d, %s %s at %lld\n", s, entity_paths[e],
                                component_names[c], (long long)t);
                        return;
                    }
                }
            }
            for (int q = 0; q < 6; q++) {
                int64_t t0 = (int64_t)rnd(44) - 1, t1 = t0 + (int64_t)rnd(20);
                bool extended = q & 1;
                size_t n = model_range(m, e, c, t0, t1, extended, expect);
                reel_store_range_options options = {.include_extended_bounds = extended};
                for (int s = 0; s < n_stores; s++) {
                    reel_vec rows = {0};
                    CHECK_OK(reel_store_range(stores[s], entity_paths[e], "frame", t0, t1,
                                              component_names[c], &options, &rows, NULL));
                    bool ok = CHECK_EQ_INT(rows.len, n);
                    for (size_t i = 0; ok && i < n; i++)
                        ok = CHECK_EQ_INT(st_row_number(&REEL_VEC_AT(&rows, reel_store_row, i)),
                                          expect[i]);
                    reel_vec_free(&rows);
                    if (!ok) {
                        fprintf(stderr, "    range store %d, %s %s [%lld, %lld]%s\n", s,
                                entity_paths[e], component_names[c], (long long)t0, (long long)t1,
                                extended ? " extended" : "");
                        return;
                    }
                }
            }
        }
    }
}

static void run_property(uint64_t seed, int n_chunks)
{
    rng_state = seed;
    CHECK_OK(reel_store_cache_create(NULL, &query_cache, NULL));
    reel_store *stores[4] = {st_store(false), store_with(8, 4, 0), store_with(0, 0, 0), NULL};
    reel_store_desc rerun_like = {.compaction_batch = 1, .chunk_max_rows = 16, .ignore_env = true};
    CHECK_OK(reel_store_create(&rerun_like, &stores[3], NULL));
    model m = {0};
    reel_chunk **inserted = calloc((size_t)n_chunks, sizeof *inserted);
    uint64_t next_row = 2000, early_row = 1;
    for (int i = 0; i < n_chunks; i++) {
        if (i > 0 && rnd(10) == 0) { /* insert an earlier chunk again: must be a no-op */
            reel_chunk *again = inserted[rnd((uint64_t)i)];
            for (int s = 0; s < 4; s++)
                CHECK_OK(reel_store_insert(stores[s], again, NULL));
            inserted[i] = reel_chunk_retain(again);
            continue;
        }
        int entity = (int)rnd(N_ENTITIES);
        bool is_static = rnd(10) == 0;
        int n_rows = 1 + (int)rnd(rnd(8) == 0 ? 30 : 5);
        bool early = rnd(4) == 0;
        st_row rows[32];
        for (int r = 0; r < n_rows; r++) {
            rows[r].row = early && early_row < 2000 ? early_row++ : next_row++;
            rows[r].frame = is_static ? ST_STATIC : (int64_t)rnd(41);
            int n_cells = 1 + (int)rnd(2);
            int first = (int)rnd(N_COMPONENTS);
            memset(rows[r].cells, 0, sizeof rows[r].cells);
            for (int k = 0; k < n_cells; k++) {
                int comp = (first + k) % N_COMPONENTS;
                uint64_t dice = rnd(20);
                int kind = comp == CLEAR_COMP ? (dice < 10 ? ST_CLEAR : ST_RCLEAR)
                           : dice < 14        ? ST_VALUE
                           : dice < 17        ? ST_EMPTY
                                              : ST_NULL;
                if (comp == CLEAR_COMP && dice >= 18)
                    kind = ST_NULL;
                rows[r].cells[k] = (st_cell){kind, component_names[comp], (double)rows[r].row};
                if (m.n == m.cap) {
                    m.cap = m.cap ? m.cap * 2 : 256;
                    m.cells = realloc(m.cells, m.cap * sizeof *m.cells);
                }
                m.cells[m.n++] = (model_cell){entity, comp, kind, rows[r].frame, rows[r].row};
            }
        }
        /* The Clear column must keep its type: give it the Clear encoding even when null. */
        for (int r = 0; r < n_rows; r++) {
            for (int k = 0; k < 3; k++) {
                st_cell *cell = &rows[r].cells[k];
                if (cell->kind == ST_NULL && strcmp(cell->component, "Clear:is_recursive") == 0)
                    cell->kind = ST_END; /* simply absent in this row */
            }
            /* ST_END ends the cell list: move later cells down. */
            for (int k = 0; k < 2; k++) {
                if (rows[r].cells[k].kind == ST_END) {
                    rows[r].cells[k] = rows[r].cells[k + 1];
                    rows[r].cells[k + 1].kind = ST_END;
                }
            }
        }
        inserted[i] = st_chunk(entity_paths[entity], rows, n_rows);
        for (int s = 0; s < 4; s++)
            CHECK_OK(reel_store_insert(stores[s], inserted[i], NULL));
        if (i == n_chunks / 3) /* merge the waiting groups of one store now */
            CHECK_OK(reel_store_compact(stores[2], NULL));
        if (i == 10 || i == n_chunks / 2 || i == n_chunks - 1)
            compare_all(stores, 4, &m);
    }
    reel_store_stats stats;
    reel_store_get_stats(stores[1], &stats);
    CHECK(stats.compactions > 0);
    CHECK(stats.splits > 0);
    reel_store_get_stats(stores[3], &stats);
    CHECK(stats.compactions > 0);
    CHECK_EQ_INT(stats.pending, 0);
    for (int i = 0; i < n_chunks; i++)
        reel_chunk_release(inserted[i]);
    free(inserted);
    free(m.cells);
    for (int s = 0; s < 4; s++)
        reel_store_destroy(stores[s]);
    reel_store_cache_destroy(query_cache);
}

TEST(property_compaction_keeps_answers)
{
    run_property(0x9E3779B97F4A7C15ull, 300);
    run_property(12345, 300);
    run_property(777, 150);
    for (int s = 0; s < 4; s++)
        if (!CHECK(state_seen[s] > 50))
            fprintf(stderr, "    state %d seen %d times\n", s, state_seen[s]);
}

int main(void)
{
    RUN(compaction_merges_small_chunks);
    RUN(compaction_thresholds);
    RUN(split_large_chunks);
    RUN(reinserting_a_merged_chunk_is_noop);
    RUN(property_compaction_keeps_answers);
    TEST_MAIN_END();
}
