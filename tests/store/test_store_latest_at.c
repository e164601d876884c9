/* Latest-at semantics against Rerun's (re_chunk_store query.rs, re_chunk latest_at.rs, re_query
 * latest_at.rs): ordering by (time, RowId), out-of-order logging, static over temporal, the
 * last static write winning, empty lists, flat and recursive Clears (before, at and after the
 * value, on ancestors, static ones), and duplicate chunks. */
#include "store_testing.h"

#define V(comp, v)                                                                                 \
    {                                                                                              \
        ST_VALUE, comp, v                                                                          \
    }
#define E(comp)                                                                                    \
    {                                                                                              \
        ST_EMPTY, comp, 0                                                                          \
    }
#define CLR                                                                                        \
    {                                                                                              \
        ST_CLEAR, NULL, 0                                                                          \
    }
#define RCLR                                                                                       \
    {                                                                                              \
        ST_RCLEAR, NULL, 0                                                                         \
    }

TEST(latest_at_basic)
{
    reel_store *store = st_store(false);
    st_row rows[] = {{1, 1, {V("x", 10)}}, {2, 3, {V("x", 30)}}, {3, 5, {V("x", 50)}}};
    st_insert(store, "/a", rows, 3);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 0, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 1, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 10, 0);
    CHECK_EQ_INT(r.value.time, 1);
    CHECK_EQ_INT(st_row_number(&r.value), 1);
    CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 10, 0);
    CHECK_EQ_INT(st_at(store, "/a", "x", 4, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 30, 0);
    CHECK_EQ_INT(st_at(store, "a", "x", INT64_MAX, &r), REEL_STORE_VALUE); /* path normalized */
    CHECK_NEAR(st_value(&r), 50, 0);
    CHECK_EQ_INT(st_at(store, "/a", "y", 4, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/b", "x", 4, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(reel_store_latest_at(store, "/a", "nope", 4, "x", &r), REEL_STORE_NONE);
    CHECK_EQ_INT(reel_store_latest_at(store, "/a", NULL, 4, "x", &r), REEL_STORE_NONE);
    /* The id form answers the same. */
    uint32_t e = reel_store_entity_find(store, "/a"), t = reel_store_timeline_find(store, "frame");
    uint32_t c = reel_store_component_find(store, "x");
    CHECK_EQ_INT(reel_store_latest_at_id(store, e, t, 4, c, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 30, 0);
    reel_store_destroy(store);
}

TEST(latest_at_out_of_order)
{
    /* The same rows logged in three orders: one chunk per row in reverse, one unsorted chunk,
     * and one unsorted chunk whose RowIds are unsorted too. */
    st_row rows[] = {{3, 5, {V("x", 50)}}, {1, 1, {V("x", 10)}}, {2, 3, {V("x", 30)}}};
    for (int variant = 0; variant < 3; variant++) {
        reel_store *store = st_store(variant == 0);
        if (variant == 0) {
            for (int i = 0; i < 3; i++)
                st_insert(store, "/a", &rows[i], 1);
        } else if (variant == 1) {
            st_row shuffled[] = {{1, 5, {V("x", 50)}}, {2, 1, {V("x", 10)}}, {3, 3, {V("x", 30)}}};
            st_insert(store, "/a", shuffled, 3);
        } else {
            st_insert(store, "/a", rows, 3);
        }
        reel_store_result r;
        static const int64_t frames[] = {0, 1, 2, 3, 4, 5, 6};
        static const double expect[] = {-1, 10, 10, 30, 30, 50, 50};
        static const int64_t at[] = {0, 1, 1, 3, 3, 5, 5};
        for (int i = 0; i < 7; i++) {
            reel_store_state s = st_at(store, "/a", "x", frames[i], &r);
            if (expect[i] < 0) {
                CHECK_EQ_INT(s, REEL_STORE_NONE);
            } else if (CHECK_EQ_INT(s, REEL_STORE_VALUE)) {
                CHECK_NEAR(st_value(&r), expect[i], 0);
                CHECK_EQ_INT(r.value.time, at[i]);
            }
        }
        reel_store_destroy(store);
    }
}

TEST(latest_at_same_time_row_id_wins)
{
    for (int variant = 0; variant < 2; variant++) {
        reel_store *store = st_store(false);
        /* Several rows at frame 2: the largest RowId wins whatever the insertion order. */
        st_row a[] = {{10, 2, {V("x", 1)}}, {5, 2, {V("x", 2)}}};
        st_row b[] = {{7, 2, {V("x", 3)}}};
        if (variant == 0) {
            st_insert(store, "/a", a, 2);
            st_insert(store, "/a", b, 1);
        } else {
            st_insert(store, "/a", b, 1);
            st_insert(store, "/a", a, 2);
        }
        reel_store_result r;
        CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_VALUE);
        CHECK_NEAR(st_value(&r), 1, 0);
        CHECK_EQ_INT(st_row_number(&r.value), 10);
        /* A later time beats a larger RowId. */
        st_row c[] = {{1, 3, {V("x", 4)}}};
        st_insert(store, "/a", c, 1);
        CHECK_EQ_INT(st_at(store, "/a", "x", 3, &r), REEL_STORE_VALUE);
        CHECK_NEAR(st_value(&r), 4, 0);
        reel_store_destroy(store);
    }
}

TEST(latest_at_sparse_component)
{
    /* A column null in the newest rows: latest-at walks back to the last row that has it
     * (Rerun's latest_at_sparse_component_edge_case). */
    reel_store *store = st_store(false);
    st_row rows[] = {{1, 1, {V("x", 1), V("y", 100)}},
                     {2, 2, {V("x", 2), {ST_NULL, "y", 0}}},
                     {3, 3, {V("x", 3), {ST_NULL, "y", 0}}}};
    st_insert(store, "/a", rows, 3);
    st_row later[] = {{4, 5, {V("y", 500)}}};
    st_insert(store, "/a", later, 1);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "y", 3, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 100, 0);
    CHECK_EQ_INT(r.value.time, 1);
    CHECK_EQ_INT(st_at(store, "/a", "y", 4, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 100, 0);
    CHECK_EQ_INT(st_at(store, "/a", "y", 5, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 500, 0);
    CHECK_EQ_INT(st_at(store, "/a", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 3, 0);
    reel_store_destroy(store);
}

TEST(latest_at_static_wins)
{
    reel_store *store = st_store(false);
    st_row temporal[] = {{5, 1, {V("x", 1)}}, {6, 9, {V("x", 9)}}};
    st_insert(store, "/a", temporal, 2);
    st_row statics[] = {{2, ST_STATIC, {V("x", 42)}}}; /* older RowId, still wins */
    st_insert(store, "/a", statics, 1);
    reel_store_result r;
    for (int64_t t = -5; t <= 10; t += 5) {
        CHECK_EQ_INT(st_at(store, "/a", "x", t, &r), REEL_STORE_VALUE);
        CHECK_NEAR(st_value(&r), 42, 0);
        CHECK_EQ_U64(r.value.time, REEL_STORE_TIME_STATIC);
    }
    /* A static-only query (no timeline) sees only static data. */
    CHECK_EQ_INT(reel_store_latest_at(store, "/a", NULL, 0, "x", &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 42, 0);
    st_row only_temporal[] = {{7, 1, {V("y", 1)}}};
    st_insert(store, "/a", only_temporal, 1);
    CHECK_EQ_INT(reel_store_latest_at(store, "/a", NULL, 0, "y", &r), REEL_STORE_NONE);
    reel_store_destroy(store);
}

TEST(latest_at_last_static_write_wins)
{
    reel_store *store = st_store(false);
    st_events events = {0};
    CHECK_OK(reel_store_subscribe(store, st_on_events, &events, NULL, NULL));
    st_row s5[] = {{5, ST_STATIC, {V("x", 5), V("y", 5)}}};
    st_row s3[] = {{3, ST_STATIC, {V("x", 3)}}};
    st_row s7[] = {{7, ST_STATIC, {V("x", 7)}}};
    st_row s8[] = {{8, ST_STATIC, {V("y", 8)}}};
    st_insert(store, "/a", s5, 1);
    st_insert(store, "/a", s3, 1); /* older: loses, and is not kept */
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 0, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 5, 0);
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.static_chunks, 1);
    st_insert(store, "/a", s7, 1); /* x moves to s7; s5 still holds y */
    CHECK_EQ_INT(st_at(store, "/a", "x", 0, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 7, 0);
    CHECK_EQ_INT(st_at(store, "/a", "y", 0, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 5, 0);
    CHECK_EQ_INT(events.deletions, 0);
    st_insert(store, "/a", s8, 1); /* y moves too: s5 is fully overwritten and dropped */
    CHECK_EQ_INT(events.deletions, 1);
    CHECK_EQ_INT(events.deleted_by[REEL_STORE_DELETED_OVERWRITE], 1);
    CHECK_EQ_INT(st_at(store, "/a", "y", 0, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 8, 0);
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.static_chunks, 2);
    /* Within one static chunk the largest RowId wins, whatever the row order. */
    st_row unsorted[] = {{20, ST_STATIC, {V("z", 20)}}, {11, ST_STATIC, {V("z", 11)}}};
    st_insert(store, "/b", unsorted, 2);
    CHECK_EQ_INT(st_at(store, "/b", "z", 0, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 20, 0);
    reel_store_destroy(store);
}

TEST(latest_at_empty_list)
{
    reel_store *store = st_store(false);
    st_row rows[] = {{1, 1, {V("x", 1)}}, {2, 2, {E("x")}}, {3, 3, {V("x", 3)}}};
    st_insert(store, "/a", rows, 3);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 1, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_EMPTY);
    CHECK_EQ_INT(r.value.time, 2);
    CHECK(r.column != NULL);
    CHECK_EQ_INT(st_at(store, "/a", "x", 3, &r), REEL_STORE_VALUE);
    st_row statics[] = {{9, ST_STATIC, {E("y")}}};
    st_insert(store, "/a", statics, 1);
    CHECK_EQ_INT(st_at(store, "/a", "y", 3, &r), REEL_STORE_EMPTY);
    reel_store_destroy(store);
}

TEST(clear_flat)
{
    reel_store *store = st_store(false);
    st_row rows[] = {{1, 1, {V("x", 1)}}, {3, 3, {CLR}}, {4, 4, {V("x", 4)}}};
    st_insert(store, "/a", rows, 3);
    st_row child[] = {{2, 1, {V("x", 7)}}};
    st_insert(store, "/a/b", child, 1);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a", "x", 2, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a", "x", 3, &r), REEL_STORE_CLEARED);
    CHECK_EQ_INT(st_row_number(&r.value), 1);
    CHECK_EQ_INT(st_row_number(&r.clear), 3);
    CHECK_EQ_INT(r.clear.time, 3);
    CHECK_EQ_INT(st_at(store, "/a", "x", 4, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 4, 0);
    /* A flat Clear does not reach children. */
    CHECK_EQ_INT(st_at(store, "/a/b", "x", 9, &r), REEL_STORE_VALUE);
    /* The Clear component is never shadowed by itself. */
    CHECK_EQ_INT(st_at(store, "/a", "Clear:is_recursive", 3, &r), REEL_STORE_VALUE);
    reel_store_destroy(store);
}

TEST(clear_before_at_and_same_row)
{
    reel_store *store = st_store(false);
    /* Clear logged before the value: the value shows. */
    st_row before[] = {{1, 1, {CLR}}, {2, 2, {V("x", 2)}}};
    st_insert(store, "/before", before, 2);
    /* Same time: RowId decides. */
    st_row newer_clear[] = {{1, 5, {V("x", 5)}}, {2, 5, {CLR}}};
    st_insert(store, "/newer_clear", newer_clear, 2);
    st_row older_clear[] = {{1, 5, {CLR}}, {2, 5, {V("x", 5)}}};
    st_insert(store, "/older_clear", older_clear, 2);
    /* Same row: the Clear's index equals the value's, and equal shadows (Rerun: >=). */
    st_row same_row[] = {{1, 5, {V("x", 5), CLR}}};
    st_insert(store, "/same_row", same_row, 1);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/before", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/newer_clear", "x", 9, &r), REEL_STORE_CLEARED);
    CHECK_EQ_INT(st_at(store, "/older_clear", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/same_row", "x", 9, &r), REEL_STORE_CLEARED);
    reel_store_destroy(store);
}

TEST(clear_recursive_on_ancestor)
{
    reel_store *store = st_store(false);
    st_row leaf[] = {{1, 1, {V("x", 1)}}, {5, 5, {V("x", 5)}}};
    st_insert(store, "/a/b/c", leaf, 2);
    st_row root_flat[] = {{2, 2, {CLR}}};
    st_insert(store, "/a", root_flat, 1);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 2, &r), REEL_STORE_VALUE); /* flat: no effect */
    st_row rec[] = {{3, 3, {RCLR}}};
    st_insert(store, "/a", rec, 1);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 2, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 3, &r), REEL_STORE_CLEARED);
    CHECK_EQ_INT(st_row_number(&r.clear), 3);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 4, &r), REEL_STORE_CLEARED);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 5, &r), REEL_STORE_VALUE);
    /* A newer flat Clear on the ancestor hides its older recursive one (only the ancestor's
     * latest Clear row is looked at, as re_query does). */
    st_row flat_again[] = {{4, 4, {CLR}}};
    st_insert(store, "/a", flat_again, 1);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 4, &r), REEL_STORE_VALUE);
    /* Recursive Clear on the root reaches everything. */
    st_row root[] = {{6, 6, {RCLR}}};
    st_insert(store, "/", root, 1);
    CHECK_EQ_INT(st_at(store, "/a/b/c", "x", 6, &r), REEL_STORE_CLEARED);
    CHECK_EQ_INT(st_at(store, "/a", "Clear:is_recursive", 6, &r), REEL_STORE_VALUE);
    reel_store_destroy(store);
}

TEST(clear_and_static)
{
    reel_store *store = st_store(false);
    st_row s[] = {{10, ST_STATIC, {V("x", 1)}}};
    st_insert(store, "/a/b", s, 1);
    st_row t[] = {{11, 1, {V("y", 1)}}};
    st_insert(store, "/a/b", t, 1);
    /* A temporal recursive Clear never shadows static data. */
    st_row clear[] = {{50, 5, {RCLR}}};
    st_insert(store, "/a", clear, 1);
    reel_store_result r;
    CHECK_EQ_INT(st_at(store, "/a/b", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_EQ_INT(st_at(store, "/a/b", "y", 9, &r), REEL_STORE_CLEARED);
    /* A static Clear shadows temporal data and static data with a smaller RowId. */
    st_row static_clear[] = {{20, ST_STATIC, {RCLR}}};
    st_insert(store, "/a", static_clear, 1);
    CHECK_EQ_INT(st_at(store, "/a/b", "x", 9, &r), REEL_STORE_CLEARED);
    CHECK_EQ_U64(r.clear.time, REEL_STORE_TIME_STATIC);
    CHECK_EQ_INT(st_at(store, "/a/b", "y", 0, &r), REEL_STORE_NONE);
    CHECK_EQ_INT(st_at(store, "/a/b", "y", 1, &r), REEL_STORE_CLEARED);
    st_row newer_static[] = {{30, ST_STATIC, {V("x", 3)}}};
    st_insert(store, "/a/b", newer_static, 1);
    CHECK_EQ_INT(st_at(store, "/a/b", "x", 9, &r), REEL_STORE_VALUE);
    CHECK_NEAR(st_value(&r), 3, 0);
    reel_store_destroy(store);
}

TEST(duplicate_chunk_is_noop)
{
    reel_store *store = st_store(false);
    st_events events = {0};
    CHECK_OK(reel_store_subscribe(store, st_on_events, &events, NULL, NULL));
    st_row rows[] = {{1, 1, {V("x", 1)}}, {2, 2, {V("x", 2)}}};
    reel_chunk *chunk = st_chunk("/a", rows, 2);
    CHECK_OK(reel_store_insert(store, chunk, NULL));
    uint64_t used = reel_store_memory_used(store);
    CHECK_OK(reel_store_insert(store, chunk, NULL));
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    CHECK_EQ_INT(stats.temporal_chunks, 1);
    CHECK_EQ_INT(stats.temporal_rows, 2);
    CHECK_EQ_INT(events.additions, 1);
    CHECK_EQ_U64(reel_store_memory_used(store), used);
    reel_vec out = {0};
    CHECK_OK(reel_store_range(store, "/a", "frame", 0, 9, "x", NULL, &out, NULL));
    CHECK_EQ_INT(out.len, 2);
    reel_vec_free(&out);
    /* A chunk without rows or without components is a no-op too. */
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/empty", &b, NULL));
    reel_chunk *empty = NULL;
    CHECK_OK(reel_chunk_builder_finish(b, &empty, NULL));
    CHECK_OK(reel_store_insert(store, empty, NULL));
    reel_chunk_release(empty);
    reel_chunk_builder_destroy(b);
    CHECK_EQ_INT(events.additions, 1);
    reel_chunk_release(chunk);
    reel_store_destroy(store);
}

/* Large chunks, sorted with irregular gaps and runs of equal times, and unsorted: every
 * latest-at must match a brute-force scan (the searches guess positions by interpolation). */
TEST(latest_at_large_chunks)
{
    enum { N = 2000 };
    static st_row rows[N];
    static int64_t times[N];
    uint64_t state = 12345;
    int64_t t = -5000;
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        t += (int64_t)((state >> 33) % 7 == 0 ? (state >> 40) % 500 : (state >> 40) % 3);
        times[i] = t;
    }
    for (int variant = 0; variant < 2; variant++) {
        reel_store *store = NULL;
        reel_store_desc desc = {.no_split = true, .no_compaction = true, .ignore_env = true};
        CHECK_OK(reel_store_create(&desc, &store, NULL));
        for (int i = 0; i < N; i++) {
            /* variant 1: rows shuffled (RowIds still follow time order) */
            int src = variant == 0 ? i : (int)(((uint64_t)i * 7919) % N);
            rows[i] = (st_row){(uint64_t)src + 1, times[src], {V("x", src)}};
            if (src % 5 == 0)
                rows[i].cells[0].kind = ST_NULL; /* sparse: latest-at must walk back */
        }
        st_insert(store, "/big", rows, N);
        bool ok = true;
        for (int64_t q = times[0] - 3; q <= times[N - 1] + 3 && ok; q += 1 + (q & 3)) {
            int best = -1; /* brute force over rows in time order */
            for (int i = 0; i < N; i++) {
                if (times[i] <= q && i % 5 != 0)
                    best = i; /* later rows have larger RowIds at equal times */
            }
            reel_store_result r;
            reel_store_state got = st_at(store, "/big", "x", q, &r);
            if (best < 0)
                ok = CHECK_EQ_INT(got, REEL_STORE_NONE);
            else
                ok = CHECK_EQ_INT(got, REEL_STORE_VALUE) &&
                     CHECK_EQ_INT(st_row_number(&r.value), best + 1);
            if (!ok)
                fprintf(stderr, "    variant %d, query at %lld\n", variant, (long long)q);
        }
        reel_store_destroy(store);
    }
}

/* Times at the ends of int64 (the position guess must not overflow or divide by zero). */
TEST(latest_at_extreme_times)
{
    static const int64_t bases[] = {INT64_MAX - 100, INT64_MIN + 1, (int64_t)1 << 62};
    for (int b = 0; b < 3; b++) {
        reel_store *store = st_store(false);
        st_row rows[40];
        for (int i = 0; i < 40; i++) {
            int64_t t = b == 0 ? bases[b] + 2 * i : bases[b] + i / 3;
            rows[i] = (st_row){(uint64_t)i + 1, t, {V("x", i)}};
        }
        rows[39].frame = b == 1 ? INT64_MAX : rows[39].frame; /* the widest span there is */
        st_insert(store, "/e", rows, 40);
        for (int i = 0; i < 40; i++) {
            reel_store_result r;
            CHECK_EQ_INT(st_at(store, "/e", "x", rows[i].frame, &r), REEL_STORE_VALUE);
            int expect = i;
            while (expect + 1 < 40 && rows[expect + 1].frame == rows[i].frame)
                expect++;
            CHECK_EQ_INT(st_row_number(&r.value), expect + 1);
        }
        reel_store_result r;
        CHECK_EQ_INT(st_at(store, "/e", "x", INT64_MIN, &r),
                     b == 1 ? REEL_STORE_VALUE : REEL_STORE_NONE);
        reel_vec out = {0};
        CHECK_OK(
            reel_store_range(store, "/e", "frame", INT64_MIN, INT64_MAX, "x", NULL, &out, NULL));
        CHECK_EQ_INT(out.len, 40);
        reel_vec_free(&out);
        reel_store_destroy(store);
    }
}

/* Chunks spanning more than half of int64 make the longest indexed interval exceed INT64_MAX:
 * the backward walks of latest-at, of range's extended bounds and of the duplicate check on
 * insert computed `time - (int64_t)max_interval`, a signed overflow (UBSan stopped the tests;
 * found by tests/interop/test_store_oracle.py, recording extreme_times). */
TEST(latest_at_chunks_spanning_half_of_int64)
{
    const int64_t q = (int64_t)1 << 62;
    st_row a[] = {{1, -q - 1, {V("x", 1)}}, {2, q + 1, {V("x", 2)}}}; /* 2^63 + 2 wide */
    st_row b[] = {{3, q + 10, {V("x", 3)}}, {4, q + 20, {V("x", 4)}}};
    st_row c[] = {{5, INT64_MIN + 1, {V("x", 5)}}, {6, -q, {V("x", 6)}}};
    st_row d[] = {{7, INT64_MAX, {V("x", 7)}}};
    static const struct {
        int64_t time;
        int row;
    } expect[] = {{INT64_MIN + 1, 5}, {-q - 2, 5}, {-q - 1, 1},        {0, 6},        {q + 5, 2},
                  {q + 15, 3},        {q + 25, 4}, {INT64_MAX - 1, 4}, {INT64_MAX, 7}};
    for (int compaction = 0; compaction < 2; compaction++) {
        reel_store *store = st_store(compaction);
        st_insert(store, "/e", a, 2);
        st_insert(store, "/e", b, 2);
        st_insert(store, "/e", c, 2);
        st_insert(store, "/e", d, 1);
        CHECK_OK(reel_store_compact(store, NULL));
        if (compaction) /* rows the store merged into a chunk of its own: a no-op */
            st_insert(store, "/e", b, 2);
        for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
            reel_store_result r;
            CHECK_EQ_INT(st_at(store, "/e", "x", expect[i].time, &r), REEL_STORE_VALUE);
            CHECK_EQ_INT(st_row_number(&r.value), expect[i].row);
        }
        reel_vec out = {0};
        reel_store_range_options bounds = {.include_extended_bounds = true};
        CHECK_OK(reel_store_range(store, "/e", "frame", q + 5, q + 15, "x", &bounds, &out, NULL));
        CHECK_EQ_INT(out.len, 3); /* q + 1 before, q + 10, q + 20 after */
        if (out.len == 3) {
            CHECK_EQ_INT(REEL_VEC_AT(&out, reel_store_row, 0).time, q + 1);
            CHECK_EQ_INT(REEL_VEC_AT(&out, reel_store_row, 2).time, q + 20);
        }
        CHECK_OK(
            reel_store_range(store, "/e", "frame", INT64_MIN, INT64_MAX, "x", NULL, &out, NULL));
        CHECK_EQ_INT(out.len, 7);
        reel_vec_free(&out);
        reel_store_destroy(store);
    }
}

int main(void)
{
    RUN(latest_at_basic);
    RUN(latest_at_out_of_order);
    RUN(latest_at_same_time_row_id_wins);
    RUN(latest_at_sparse_component);
    RUN(latest_at_static_wins);
    RUN(latest_at_last_static_write_wins);
    RUN(latest_at_empty_list);
    RUN(clear_flat);
    RUN(clear_before_at_and_same_row);
    RUN(clear_recursive_on_ancestor);
    RUN(clear_and_static);
    RUN(duplicate_chunk_is_noop);
    RUN(latest_at_large_chunks);
    RUN(latest_at_extreme_times);
    RUN(latest_at_chunks_spanning_half_of_int64);
    TEST_MAIN_END();
}
