/* Range queries (re_chunk range.rs: rows in [t0, t1] in (time, RowId) order, static override,
 * include_extended_bounds), the entity tree (prefixes, Rerun's natural child order), the
 * per-entity component lists, latest-at over all components, time ranges and histograms. */
#include "store_testing.h"

#define V(comp, v)                                                                                 \
    {                                                                                              \
        ST_VALUE, comp, v                                                                          \
    }
#define E(comp)                                                                                    \
    {                                                                                              \
        ST_EMPTY, comp, 0                                                                          \
    }

static void check_rows(const reel_vec *rows, const int64_t *expect_row_ids, size_t n)
{
    if (!CHECK_EQ_INT(rows->len, n))
        return;
    for (size_t i = 0; i < n; i++)
        CHECK_EQ_INT(st_row_number(&REEL_VEC_AT(rows, reel_store_row, i)), expect_row_ids[i]);
}

TEST(range_basic)
{
    reel_store *store = st_store(false);
    /* Two overlapping chunks, one unsorted; several rows at frame 4. */
    st_row a[] = {{1, 1, {V("x", 1)}}, {4, 4, {V("x", 4)}}, {7, 7, {V("x", 7)}}};
    st_row b[] = {{9, 6, {V("x", 6)}}, {3, 4, {V("x", 44)}}, {2, 3, {E("x")}}, {8, 9, {V("y", 0)}}};
    st_insert(store, "/a", a, 3);
    st_insert(store, "/a", b, 4);
    reel_vec rows = {0};
    CHECK_OK(reel_store_range(store, "/a", "frame", 3, 6, "x", NULL, &rows, NULL));
    check_rows(&rows, (const int64_t[]){2, 3, 4, 9}, 4);
    CHECK_EQ_INT(REEL_VEC_AT(&rows, reel_store_row, 0).time, 3);
    CHECK_OK(reel_store_range(store, "/a", "frame", 0, 100, "x", NULL, &rows, NULL));
    check_rows(&rows, (const int64_t[]){1, 2, 3, 4, 9, 7}, 6);
    CHECK_OK(reel_store_range(store, "/a", "frame", 8, 100, "x", NULL, &rows, NULL));
    CHECK_EQ_INT(rows.len, 0);
    CHECK_OK(reel_store_range(store, "/a", "frame", 5, 4, "x", NULL, &rows, NULL));
    CHECK_EQ_INT(rows.len, 0);
    /* Extended bounds: one row beyond each end. */
    reel_store_range_options ext = {.include_extended_bounds = true};
    CHECK_OK(reel_store_range(store, "/a", "frame", 4, 6, "x", &ext, &rows, NULL));
    check_rows(&rows, (const int64_t[]){2, 3, 4, 9, 7}, 5);
    CHECK_OK(reel_store_range(store, "/a", "frame", 5, 5, "x", &ext, &rows, NULL));
    check_rows(&rows, (const int64_t[]){4, 9}, 2);
    reel_store_range_options before = {.include_latest_before = true};
    CHECK_OK(reel_store_range(store, "/a", "frame", 5, 6, "x", &before, &rows, NULL));
    check_rows(&rows, (const int64_t[]){4, 9}, 2);
    CHECK_OK(reel_store_range(store, "/a", "frame", 0, 0, "x", &ext, &rows, NULL));
    check_rows(&rows, (const int64_t[]){1}, 1);
    /* Static data overrides the whole range. */
    st_row s[] = {{5, ST_STATIC, {V("x", 99)}}};
    st_insert(store, "/a", s, 1);
    CHECK_OK(reel_store_range(store, "/a", "frame", 3, 6, "x", &ext, &rows, NULL));
    check_rows(&rows, (const int64_t[]){5}, 1);
    CHECK_EQ_U64(REEL_VEC_AT(&rows, reel_store_row, 0).time, REEL_STORE_TIME_STATIC);
    CHECK_OK(reel_store_range(store, "/nope", "frame", 3, 6, "x", NULL, &rows, NULL));
    CHECK_EQ_INT(rows.len, 0);
    /* A vector of the wrong element size is refused. */
    reel_vec wrong;
    reel_vec_init(&wrong, 3, NULL);
    reel_error err = {0};
    CHECK_EQ_INT(reel_store_range(store, "/a", "frame", 0, 9, "x", NULL, &wrong, &err),
                 REEL_INVALID_ARGUMENT);
    reel_vec_free(&rows);
    reel_store_destroy(store);
}

TEST(entity_tree)
{
    reel_store *store = st_store(false);
    const char *paths[] = {"/world/image10", "/world/image2", "/world/__props", "/world/Image3",
                           "/world/b",       "/world/a b/c",  "/other"};
    for (int i = 0; i < 7; i++) {
        st_row row = {(uint64_t)i + 1, 1, {V("x", i)}};
        st_insert(store, paths[i], &row, 1);
    }
    uint32_t world = reel_store_entity_find(store, "/world");
    CHECK(world != REEL_STORE_NO_ID);
    CHECK_EQ_INT(reel_store_entity_parent(store, world), REEL_STORE_ROOT);
    CHECK_EQ_INT(reel_store_entity_parent(store, REEL_STORE_ROOT), REEL_STORE_NO_ID);
    CHECK_EQ_STR(reel_store_entity_path(store, REEL_STORE_ROOT), "/");
    const uint32_t *children;
    uint32_t n = reel_store_entity_children(store, world, &children);
    /* Natural order, ASCII case folded with ties by code point ("Image3" < "image2" because
     * 'I' < 'i'), numbers by value, "__" parts last. */
    const char *expect[] = {"/world/a\\ b",  "/world/b",       "/world/Image3",
                            "/world/image2", "/world/image10", "/world/__props"};
    if (CHECK_EQ_INT(n, 6)) {
        for (uint32_t i = 0; i < n; i++)
            CHECK_EQ_STR(reel_store_entity_path(store, children[i]), expect[i]);
    }
    n = reel_store_entity_children(store, REEL_STORE_ROOT, &children);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(reel_store_entity_chunks(store, world), 0);
    CHECK_EQ_INT(reel_store_entity_subtree_chunks(store, world), 6);
    CHECK_EQ_INT(reel_store_entity_subtree_chunks(store, REEL_STORE_ROOT), 7);
    CHECK(reel_store_entity_find(store, "world/a b/c") != REEL_STORE_NO_ID);
    CHECK_EQ_INT(reel_store_entity_find(store, "/world/zzz"), REEL_STORE_NO_ID);
    reel_store_destroy(store);
}

TEST(components_and_latest_at_all)
{
    reel_store *store = st_store(false);
    st_row t[] = {{1, 1, {V("b", 1), V("a", 1)}}, {2, 5, {V("c", 5)}}};
    st_insert(store, "/e", t, 2);
    st_row s[] = {{3, ST_STATIC, {V("d", 9)}}};
    st_insert(store, "/e", s, 1);
    st_row clear[] = {{4, 3, {{ST_CLEAR, NULL, 0}}}};
    st_insert(store, "/e", clear, 1);
    uint32_t e = reel_store_entity_find(store, "/e");
    uint32_t frame = reel_store_timeline_find(store, "frame");
    reel_vec comps = {0};
    CHECK_OK(reel_store_entity_components(store, e, frame, &comps, NULL));
    CHECK_EQ_INT(comps.len, 5); /* a, b, c, d, Clear */
    CHECK_OK(reel_store_entity_components(store, e, REEL_STORE_NO_ID, &comps, NULL));
    if (CHECK_EQ_INT(comps.len, 1))
        CHECK_EQ_STR(reel_store_component_name(store, REEL_VEC_AT(&comps, uint32_t, 0)), "d");
    reel_vec all = {0};
    CHECK_OK(reel_store_latest_at_all(store, e, frame, 2, &all, NULL));
    CHECK_EQ_INT(all.len, 3); /* b, a, d; c not yet; no Clear yet */
    CHECK_OK(reel_store_latest_at_all(store, e, frame, 9, &all, NULL));
    CHECK_EQ_INT(all.len, 5);
    int cleared = 0, values = 0;
    for (size_t i = 0; i < all.len; i++) {
        const reel_store_component_result *r = &REEL_VEC_AT(&all, reel_store_component_result, i);
        cleared += r->result.state == REEL_STORE_CLEARED;
        values += r->result.state == REEL_STORE_VALUE;
    }
    CHECK_EQ_INT(cleared, 2); /* a and b; c (frame 5) is newer than the Clear, d is static */
    CHECK_EQ_INT(values, 3);
    reel_vec_free(&comps);
    reel_vec_free(&all);
    reel_store_destroy(store);
}

TEST(time_range_and_histogram)
{
    reel_store *store = st_store(false);
    st_row a[] = {
        {1, 0, {V("x", 0)}}, {2, 3, {V("x", 0)}}, {3, 3, {V("x", 0)}}, {4, 9, {V("x", 0)}}};
    st_insert(store, "/p/a", a, 4);
    st_row b[] = {{5, 10, {V("x", 0)}}, {6, 2, {V("x", 0)}}}; /* unsorted */
    st_insert(store, "/p/b", b, 2);
    st_row c[] = {{7, 100, {V("x", 0)}}};
    st_insert(store, "/q", c, 1);
    uint32_t frame = reel_store_timeline_find(store, "frame");
    uint32_t p = reel_store_entity_find(store, "/p"), pa = reel_store_entity_find(store, "/p/a");
    int64_t min, max;
    CHECK(reel_store_time_range(store, REEL_STORE_NO_ID, frame, &min, &max));
    CHECK_EQ_INT(min, 0);
    CHECK_EQ_INT(max, 100);
    CHECK(reel_store_time_range(store, pa, frame, &min, &max));
    CHECK_EQ_INT(max, 9);
    CHECK(!reel_store_time_range(store, p, frame, &min, &max));
    uint64_t counts[6];
    CHECK_OK(reel_store_histogram(store, REEL_STORE_NO_ID, false, frame, 0, 2, 6, counts, NULL));
    static const uint64_t all[] = {1, 3, 0, 0, 1, 1}; /* [0,2) [2,4) [4,6) [6,8) [8,10) [10,12) */
    CHECK_EQ_MEM(counts, all, sizeof all);
    CHECK_OK(reel_store_histogram(store, p, true, frame, 0, 2, 6, counts, NULL));
    CHECK_EQ_MEM(counts, all, sizeof all);
    CHECK_OK(reel_store_histogram(store, p, false, frame, 0, 2, 6, counts, NULL));
    CHECK_EQ_INT(counts[1], 0);
    CHECK_OK(reel_store_histogram(store, pa, false, frame, 3, 1, 1, counts, NULL));
    CHECK_EQ_INT(counts[0], 2);
    CHECK_OK(reel_store_histogram(store, REEL_STORE_NO_ID, false, frame, INT64_MIN, INT64_MAX, 3,
                                  counts, NULL));
    CHECK_EQ_INT(counts[0] + counts[1] + counts[2], 7);
    CHECK_OK(
        reel_store_histogram(store, REEL_STORE_NO_ID, false, frame, 50, 1000, 1, counts, NULL));
    CHECK_EQ_INT(counts[0], 1);
    reel_error err = {0};
    CHECK_EQ_INT(reel_store_histogram(store, p, false, frame, 0, 0, 6, counts, &err),
                 REEL_INVALID_ARGUMENT);
    reel_store_destroy(store);
}

int main(void)
{
    RUN(range_basic);
    RUN(entity_tree);
    RUN(components_and_latest_at_all);
    RUN(time_range_and_histogram);
    TEST_MAIN_END();
}
