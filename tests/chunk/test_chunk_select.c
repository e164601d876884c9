/* reel_chunk_select_timelines: narrowing a chunk to some timelines keeps rows, RowIds and
 * components (shared, not copied), drops only the unwanted index columns, returns the same
 * chunk when nothing is dropped, and refuses to turn a temporal chunk static. */
#include "chunk_testing.h"

static bool keep_named(void *ctx, const char *timeline)
{
    return strcmp(timeline, (const char *)ctx) == 0;
}

static bool keep_none(void *ctx, const char *timeline)
{
    (void)ctx, (void)timeline;
    return false;
}

static bool keep_all(void *ctx, const char *timeline)
{
    (void)ctx, (void)timeline;
    return true;
}

TEST(narrowing_keeps_rows_and_components)
{
    reel_chunk *chunk = tc_points_chunk();
    CHECK(chunk->n_timelines >= 2);
    const char *kept_name = chunk->timelines[1].name;
    reel_chunk *narrow = NULL;
    reel_error err = {0};
    CHECK_OK(reel_chunk_select_timelines(chunk, keep_named, (void *)kept_name, &narrow, &err));
    CHECK(narrow != NULL && narrow != chunk);
    if (narrow != NULL) {
        CHECK_EQ_INT(narrow->n_timelines, 1);
        CHECK_EQ_STR(narrow->timelines[0].name, kept_name);
        CHECK_EQ_INT(narrow->row_count, chunk->row_count);
        CHECK_EQ_INT(narrow->n_components, chunk->n_components);
        CHECK_EQ_STR(narrow->entity_path, chunk->entity_path);
        CHECK(reel_tuid_compare(narrow->id, chunk->id) == 0);
        for (int64_t i = 0; i < chunk->row_count; i++)
            CHECK(reel_tuid_compare(reel_chunk_row_id(narrow, i), reel_chunk_row_id(chunk, i)) == 0);
        /* zero-copy: the component buffers are the same memory */
        for (int32_t c = 0; c < chunk->n_components; c++)
            CHECK(narrow->components[c].lists.buffers[1].data ==
                  chunk->components[c].lists.buffers[1].data);
        CHECK(reel_arrow_array_equal(&chunk->timelines[1].field, &chunk->timelines[1].times,
                                     &narrow->timelines[0].times));
        CHECK_OK(reel_chunk_validate(narrow, &err));
    }
    reel_chunk_release(narrow);

    CHECK_OK(reel_chunk_select_timelines(chunk, keep_all, NULL, &narrow, &err));
    CHECK(narrow == chunk); /* nothing dropped: the same chunk, retained */
    reel_chunk_release(narrow);

    CHECK_OK(reel_chunk_select_timelines(chunk, keep_none, NULL, &narrow, &err));
    CHECK(narrow == NULL); /* temporal rows never turn static */
    reel_chunk_release(chunk);
}

int main(void)
{
    RUN(narrowing_keeps_rows_and_components);
    TEST_MAIN_END();
}
