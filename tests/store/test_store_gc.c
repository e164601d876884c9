/* Garbage collection (re_chunk_store gc.rs: oldest smallest-RowId first, never static data,
 * protect_latest, furthest-from-cursor first, time budget), the memory limit, drop_entity,
 * the events each sends, and memory accounting (exact against a counting allocator). */
#include "core/counting_alloc.h"
#include "store_testing.h"

#define V(comp, v)                                                                                 \
    {                                                                                              \
        ST_VALUE, comp, v                                                                          \
    }

/* Ten one-row temporal chunks of "x" at frames 0..9 (RowIds 10..19) and one static "s" with
 * the oldest RowId of all. */
static reel_store *gc_store(st_events *events)
{
    reel_store *store = st_store(false);
    if (events != NULL)
        CHECK_OK(reel_store_subscribe(store, st_on_events, events, NULL, NULL));
    st_row s = {1, ST_STATIC, {V("s", 1)}};
    st_insert(store, "/a", &s, 1);
    for (int i = 0; i < 10; i++) {
        st_row row = {(uint64_t)(10 + i), i, {V("x", i)}};
        st_insert(store, "/a", &row, 1);
    }
    return store;
}

static uint64_t one_chunk_bytes(const reel_store *store)
{
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    return stats.temporal_bytes / stats.temporal_chunks;
}

TEST(gc_drops_oldest_first_never_static)
{
    st_events events = {0};
    reel_store *store = gc_store(&events);
    uint64_t before = reel_store_memory_used(store);
    reel_store_gc_options options = {.drop_at_least_bytes = 3 * one_chunk_bytes(store) - 1};
    reel_store_gc_result result;
    CHECK_OK(reel_store_gc(store, &options, &result, NULL));
    CHECK_EQ_INT(result.chunks_dropped, 3);
    CHECK_EQ_INT(result.rows_dropped, 3);
    CHECK_EQ_U64(result.bytes_dropped, before - reel_store_memory_used(store));
    CHECK(result.bytes_dropped >= options.drop_at_least_bytes);
    CHECK_EQ_INT(events.deletions, 3);
    CHECK_EQ_INT(events.deleted_by[REEL_STORE_DELETED_GC], 3);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_NONE); /* frames 0..2 are gone */
    CHECK_EQ_INT(st_at(store, "/a", "x", 3, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 3, 0);
    CHECK_EQ_INT(st_at(store, "/a", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a", "s", 0, &r), REEL_STORE_VALUE);
    /* Everything: all temporal chunks go, the static one stays. */
    reel_store_gc_options all = {.everything = true};
    CHECK_OK(reel_store_gc(store, &all, &result, NULL));
    CHECK_EQ_INT(result.chunks_dropped, 7);
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 0);
    CHECK_EQ_INT(stats.static_chunks, 1);
    CHECK_EQ_INT(st_at(store, "/a", "s", 0, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 9, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(reel_store_entity_chunks(store, reel_store_entity_find(store, "/a")), 1);
    reel_store_destroy(store);
}

TEST(gc_protect_latest_and_furthest_from)
{
    reel_store *store = gc_store(NULL);
    reel_store_gc_options options = {.everything = true, .protect_latest = 1};
    reel_store_gc_result result;
    CHECK_OK(reel_store_gc(store, &options, &result, NULL));
    CHECK_EQ_INT(result.chunks_dropped, 9);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", INT64_MAX, &r), REEL_STORE_VALUE); /* still the latest */
    CHECK_NEAR(st_value(&r), 9, 0);
    reel_store_destroy(store);

    /* Furthest from frame 9 first: frame 0, then 1, ... whatever the RowIds say. */
    store = gc_store(NULL);
    reel_store_gc_options furthest = {.drop_at_least_bytes = 2 * one_chunk_bytes(store) - 1,
                                      .furthest_from_timeline = "frame",
                                      .furthest_from_time = 9};
    CHECK_OK(reel_store_gc(store, &furthest, &result, NULL));
    CHECK_EQ_INT(result.chunks_dropped, 2);
    CHECK_EQ_INT(st_at(store, "/a", "x", 1, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_VALUE);
    furthest.furthest_from_time = 0; /* now frames 9 and 8 go */
    CHECK_OK(reel_store_gc(store, &furthest, &result, NULL));
    CHECK_EQ_INT(st_at(store, "/a", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 7, 0);
    /* A time budget of 1 ns stops after the first chunk. */
    reel_store_gc_options budget = {.everything = true, .time_budget_ns = 1};
    CHECK_OK(reel_store_gc(store, &budget, &result, NULL));
    CHECK_EQ_INT(result.chunks_dropped, 1);
    reel_store_destroy(store);
}

TEST(gc_memory_limit)
{
    reel_store *store = NULL;
    reel_store_desc desc = {.memory_limit = 64 * 1024, .chunk_max_rows = 64, .ignore_env = true};
    CHECK_OK(reel_store_create(&desc, &store, NULL));
    st_events events = {0};
    CHECK_OK(reel_store_subscribe(store, st_on_events, &events, NULL, NULL));
    st_row s = {1, ST_STATIC, {V("s", 1)}};
    st_insert(store, "/a", &s, 1);
    uint64_t peak = 0;
    for (int i = 0; i < 5000; i++) {
        st_row row = {(uint64_t)(10 + i), i, {V("x", i)}};
        st_insert(store, i % 2 ? "/a" : "/b", &row, 1);
        uint64_t used = reel_store_memory_used(store);
        peak = used > peak ? used : peak;
    }
    CHECK(events.deleted_by[REEL_STORE_DELETED_GC] > 0);
    CHECK(reel_store_memory_used(store) <= desc.memory_limit);
    CHECK(peak <= desc.memory_limit + 8 * 1024); /* one insert's worth over, at most */
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "s", 0, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a", "x", INT64_MAX, &r), REEL_STORE_VALUE); /* latest kept */
    CHECK_NEAR(st_value(&r), 4999, 0);
    CHECK_EQ_INT(st_at(store, "/b", "x", INT64_MAX, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 4998, 0);
    CHECK_EQ_INT(st_at(store, "/a", "x", 100, &r), REEL_STORE_NONE); /* oldest went first */
    reel_store_destroy(store);
}

TEST(drop_entity)
{
    st_events events = {0};
    reel_store *store = gc_store(&events);
    st_row other = {100, 1, {V("x", 1)}};
    st_insert(store, "/a/child", &other, 1);
    CHECK_OK(reel_store_drop_entity(store, reel_store_entity_find(store, "/a"), NULL));
    CHECK_EQ_INT(events.deleted_by[REEL_STORE_DELETED_DROP], 11);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "s", 0, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 9, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/a/child", "x", 9, &r), REEL_STORE_VALUE); /* not recursive */
    CHECK_EQ_INT(reel_store_entity_subtree_chunks(store, REEL_STORE_ROOT), 1);
    CHECK_OK(reel_store_drop_entity(store, 12345, NULL));
    reel_store_destroy(store);
}

typedef struct addition_check {
    const reel_chunk *expect_inserted;
    int seen, compactions;
    bool ok;
} addition_check;

static void on_addition(void *ctx, const reel_store *store, const reel_store_event *events,
                        size_t count)
{
    addition_check *c = ctx;
    (void)store;
    for (size_t i = 0; i < count; i++) {
        if (events[i].kind == REEL_STORE_COMPACTION) {
            int64_t rows = 0;
            for (size_t m = 0; m < events[i].n_merged; m++)
                rows += events[i].merged[m]->row_count;
            c->ok = c->ok && events[i].n_merged >= 2 && events[i].stored->row_count == rows;
            c->compactions++;
            continue;
        }
        c->seen++;
        c->ok = c->ok && events[i].kind == REEL_STORE_ADDITION &&
                events[i].inserted == c->expect_inserted && events[i].delta != NULL &&
                events[i].stored == events[i].delta && events[i].delta->row_count > 0;
    }
}

TEST(events_describe_additions)
{
    reel_store *store = st_store(true);
    addition_check check = {NULL, 0, 0, true};
    uint32_t handle;
    CHECK_OK(reel_store_subscribe(store, on_addition, &check, &handle, NULL));
    for (int i = 0; i < 5; i++) {
        st_row row = {(uint64_t)i + 1, i, {V("x", i)}};
        reel_chunk *chunk = st_chunk("/a", &row, 1);
        check.expect_inserted = chunk;
        CHECK_OK(reel_store_insert(store, chunk, NULL));
        reel_chunk_release(chunk);
    }
    CHECK_EQ_INT(check.seen, 5);
    CHECK_OK(reel_store_compact(store, NULL)); /* the 4 waiting chunks and their leader */
    CHECK_EQ_INT(check.compactions, 1);
    CHECK(check.ok);
    reel_store_unsubscribe(store, handle);
    st_row row = {9, 9, {V("x", 9)}};
    st_insert(store, "/a", &row, 1);
    CHECK_EQ_INT(check.seen, 5);
    reel_store_destroy(store);
}

static void add_bytes(void *ctx, const reel_chunk *chunk)
{
    *(uint64_t *)ctx += reel_chunk_byte_size(chunk);
}

TEST(memory_accounting)
{
    counting_alloc counter;
    counting_alloc_init(&counter);
    reel_store *store = NULL;
    reel_store_desc desc = {.alloc = &counter.allocator, .ignore_env = true};
    CHECK_OK(reel_store_create(&desc, &store, NULL));
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    /* Everything the store allocates beyond its own struct is index_bytes. */
    size_t fixed = counter.live_bytes - stats.index_bytes;
    for (int i = 0; i < 3000; i++) {
        st_row row = {(uint64_t)i + 1, (i * 7) % 500, {V(i % 3 ? "x" : "y", i)}};
        st_insert(store, i % 4 ? "/a/b" : "/c", &row, 1);
        if (i % 500 == 0) {
            reel_store_gc_options options = {.drop_at_least_fraction = 0.1};
            CHECK_OK(reel_store_gc(store, &options, NULL, NULL));
        }
    }
    st_row s = {100000, ST_STATIC, {V("s", 1)}};
    st_insert(store, "/c", &s, 1);
    reel_store_get_stats(store, &stats);
    CHECK_EQ_U64(counter.live_bytes - stats.index_bytes, fixed);
    CHECK_OK(reel_store_compact(store, NULL));
    reel_store_get_stats(store, &stats);
    CHECK_EQ_U64(counter.live_bytes - stats.index_bytes, fixed);
    CHECK_EQ_INT(counter.size_mismatches, 0);
    uint64_t chunk_bytes = 0;
    reel_store_for_each_chunk(store, add_bytes, &chunk_bytes);
    CHECK_EQ_U64(chunk_bytes, stats.static_bytes + stats.temporal_bytes);
    CHECK_EQ_U64(stats.total_bytes, chunk_bytes + stats.index_bytes);
    CHECK_EQ_U64(reel_store_memory_used(store), stats.total_bytes);
    /* Bookkeeping stays below the data even for this churn of small, unsorted chunks (hash
     * tables keep their peak size). */
    if (!CHECK(stats.index_bytes < chunk_bytes))
        fprintf(stderr, "    index %llu, chunks %llu (%llu chunks)\n",
                (unsigned long long)stats.index_bytes, (unsigned long long)chunk_bytes,
                (unsigned long long)stats.temporal_chunks);
    reel_store_destroy(store);
    CHECK_EQ_INT(counter.live_bytes, 0);
    CHECK_EQ_INT(counter.live_blocks, 0);
    CHECK_EQ_INT(counter.size_mismatches, 0);

    /* Whole sorted chunks (as files and batching SDKs send them): the indices are a few
     * percent of the data. */
    CHECK_OK(reel_store_create(&desc, &store, NULL));
    for (int c = 0; c < 20; c++) {
        st_row rows[500];
        for (int i = 0; i < 500; i++)
            rows[i] = (st_row){(uint64_t)(c * 500 + i + 1), c * 500 + i, {V("x", i), V("y", i)}};
        st_insert(store, c % 2 ? "/a" : "/b", rows, 500);
    }
    reel_store_get_stats(store, &stats);
    if (!CHECK(stats.index_bytes * 20 < stats.temporal_bytes))
        fprintf(stderr, "    index %llu, chunks %llu\n", (unsigned long long)stats.index_bytes,
                (unsigned long long)stats.temporal_bytes);
    reel_store_destroy(store);
    CHECK_EQ_INT(counter.live_bytes, 0);
}

/* Every allocation of the store's own bookkeeping failing in turn: each call either works or
 * says OUT_OF_MEMORY, nothing leaks, sizes match, and the store stays usable. */
TEST(out_of_memory_is_safe)
{
    bool finished = false;
    for (size_t fail_after = 1; !finished && fail_after < 5000; fail_after++) {
        counting_alloc counter;
        counting_alloc_init(&counter);
        counter.fail_after = fail_after;
        reel_store *store = NULL;
        reel_store_desc desc = {.alloc = &counter.allocator,
                                .chunk_max_rows = 6,
                                .compaction_batch = 2,
                                .ignore_env = true};
        if (reel_store_create(&desc, &store, NULL) != REEL_OK) {
            CHECK_EQ_INT(counter.live_bytes, 0);
            continue;
        }
        st_events events = {0};
        bool failed = reel_store_subscribe(store, st_on_events, &events, NULL, NULL) != REEL_OK;
        for (int i = 0; i < 40; i++) {
            st_row row = {(uint64_t)i + 1, i % 7, {V(i % 3 ? "x" : "y", i)}};
            if (i % 10 == 9)
                row = (st_row){(uint64_t)i + 1, ST_STATIC, {V("s", i), V("x", i)}};
            if (i % 13 == 12)
                row.cells[1] = (st_cell){ST_RCLEAR, NULL, 0};
            reel_chunk *chunk = st_chunk(i % 4 ? "/a/b" : "/c", &row, 1);
            reel_status status = reel_store_insert(store, chunk, NULL);
            CHECK(status == REEL_OK || status == REEL_OUT_OF_MEMORY);
            failed = failed || status != REEL_OK;
            reel_chunk_release(chunk);
        }
        st_row big[20];
        for (int i = 0; i < 20; i++)
            big[i] = (st_row){(uint64_t)100 + i, 20 - i, {V("x", i)}};
        reel_chunk *chunk = st_chunk("/a/b", big, 20); /* split into pieces */
        failed = failed || reel_store_insert(store, chunk, NULL) != REEL_OK;
        reel_chunk_release(chunk);
        failed = failed || reel_store_compact(store, NULL) != REEL_OK;
        reel_store_gc_options options = {.drop_at_least_fraction = 0.3, .protect_latest = 1};
        failed = failed || reel_store_gc(store, &options, NULL, NULL) != REEL_OK;
        reel_vec rows = {0};
        failed = failed ||
                 reel_store_range(store, "/a/b", "frame", 0, 99, "x", NULL, &rows, NULL) != REEL_OK;
        reel_vec_free(&rows);
        for (int t = 0; t < 25; t++) {
            reel_store_result r;
            st_at(store, "/a/b", "x", t, &r);
            st_at(store, "/c", "y", t, &r);
        }
        reel_store_destroy(store);
        if (!CHECK_EQ_INT(counter.live_bytes, 0) || !CHECK_EQ_INT(counter.size_mismatches, 0))
            fprintf(stderr, "    failing allocation %zu\n", fail_after);
        finished = !failed && counter.fail_after != 0;
    }
    CHECK(finished);
}

int main(void)
{
    RUN(gc_drops_oldest_first_never_static);
    RUN(gc_protect_latest_and_furthest_from);
    RUN(gc_memory_limit);
    RUN(drop_entity);
    RUN(events_describe_additions);
    RUN(memory_accounting);
    RUN(out_of_memory_is_safe);
    TEST_MAIN_END();
}
