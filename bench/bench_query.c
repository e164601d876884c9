/* The dataframe query (src/query) on a recording: loads FILE's first recording into a store,
 * then times, median of several runs, (1) latest-at of every entity at one time through the
 * dataframe query (Rerun's reader with using_index_values=[t] and fill_latest_at), (2) the
 * same through the store's own latest-at per entity and component, uncached, and (3) one
 * entity's whole table on the timeline. Prints one JSON object, for bench/query_bench.py,
 * which runs the real Rerun on the same file in the same invocation.
 *
 *     bench_query FILE TIMELINE TIME ENTITY
 *
 * Without arguments (as `make bench` runs every bench_*), it says how it is meant to be run and
 * exits 0: its figures come from bench/query_bench.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "rrd/rrd.h"

#define RUNS 15

typedef struct load_state {
    reel_store *store;
    reel_store_id recording;
    bool have;
    uint64_t chunks;
} load_state;

static void die(const char *what, const reel_error *err)
{
    fprintf(stderr, "bench_query: %s: %s\n", what, err != NULL ? err->message : "");
    exit(1);
}

static reel_status on_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    load_state *st = ctx;
    if (msg == NULL)
        die("reading", msg_error);
    if (msg->kind != REEL_RRD_MESSAGE_ARROW_MSG || msg->arrow.chunk == NULL ||
        msg->store_id.kind == REEL_STORE_KIND_BLUEPRINT)
        return REEL_OK;
    if (!st->have) {
        reel_store_id_copy(&st->recording, &msg->store_id, NULL);
        st->have = true;
    } else if (!reel_store_id_equal(&st->recording, &msg->store_id)) {
        return REEL_OK;
    }
    st->chunks++;
    return reel_store_insert(st->store, msg->arrow.chunk, NULL);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_us(uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, compare_u64);
    return (double)ns[n / 2] / 1e3;
}

/* Runs a query RUNS times; returns the median in µs and the shape of the last answer. */
static double time_query(const reel_store *store, const reel_query_desc *desc, int64_t *rows,
                         int32_t *cols)
{
    uint64_t ns[RUNS];
    for (int r = 0; r < RUNS; r++) {
        reel_query_result *result = NULL;
        reel_error err = {0};
        uint64_t t0 = reel_clock_monotonic_ns();
        if (reel_query_run(store, desc, &result, &err) != REEL_OK)
            die("query", &err);
        ns[r] = reel_clock_monotonic_ns() - t0;
        *rows = result->row_count;
        *cols = result->n_columns;
        reel_query_result_destroy(result);
    }
    return median_us(ns, RUNS);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        printf("bench_query: run by bench/query_bench.py, which makes the recording and runs the "
               "real Rerun beside it (usage: bench_query FILE TIMELINE TIME ENTITY)\n");
        return 0;
    }
    const char *path = argv[1], *timeline = argv[2], *entity = argv[4];
    int64_t at = strtoll(argv[3], NULL, 10);
    load_state st = {0};
    reel_error err = {0};
    if (reel_store_create(NULL, &st.store, &err) != REEL_OK)
        die("store", &err);
    uint64_t t0 = reel_clock_monotonic_ns();
    reel_rrd_decoder_options dec = {0};
    if (reel_rrd_read_path(path, &dec, on_message, &st, &err) != REEL_OK)
        die(path, &err);
    double load_ms = (double)(reel_clock_monotonic_ns() - t0) / 1e6;

    /* (1) latest-at of everything at one time, as a dataframe. */
    reel_query_desc latest = {
        .timeline = timeline, .index_values = &at, .n_index_values = 1, .fill_latest_at = true};
    int64_t latest_rows;
    int32_t latest_cols;
    double latest_us = time_query(st.store, &latest, &latest_rows, &latest_cols);

    /* (2) the store's latest-at for every entity × component, uncached. */
    uint32_t tl = reel_store_timeline_find(st.store, timeline);
    reel_vec comps;
    reel_vec_init(&comps, sizeof(uint32_t), NULL);
    uint64_t ns[RUNS];
    uint64_t answers = 0;
    for (int r = 0; r < RUNS; r++) {
        answers = 0;
        uint64_t s0 = reel_clock_monotonic_ns();
        for (uint32_t e = 0; e < reel_store_entity_count(st.store); e++) {
            reel_store_entity_components(st.store, e, tl, &comps, NULL);
            for (size_t c = 0; c < comps.len; c++) {
                reel_store_result res;
                if (reel_store_latest_at_id(st.store, e, tl, at, ((uint32_t *)comps.data)[c],
                                            &res) != REEL_STORE_NONE)
                    answers++;
            }
        }
        ns[r] = reel_clock_monotonic_ns() - s0;
    }
    double store_us = median_us(ns, RUNS);
    reel_vec_free(&comps);

    /* (3) one entity's whole table. */
    const char *contents[] = {entity};
    reel_query_desc range = {.timeline = timeline, .contents = contents, .n_contents = 1};
    int64_t range_rows;
    int32_t range_cols;
    double range_us = time_query(st.store, &range, &range_rows, &range_cols);

    reel_store_stats stats;
    reel_store_get_stats(st.store, &stats);
    printf("{\"load_ms\": %.3f, \"chunks_read\": %llu, \"chunks_held\": %llu, "
           "\"latest_at_df_us\": %.3f, \"latest_at_df_rows\": %lld, \"latest_at_df_cols\": %d, "
           "\"latest_at_store_us\": %.3f, \"latest_at_store_answers\": %llu, "
           "\"entity_table_us\": %.3f, \"entity_table_rows\": %lld, \"entity_table_cols\": %d}\n",
           load_ms, (unsigned long long)st.chunks,
           (unsigned long long)(stats.static_chunks + stats.temporal_chunks), latest_us,
           (long long)latest_rows, latest_cols, store_us, (unsigned long long)answers, range_us,
           (long long)range_rows, range_cols);
    reel_store_id_reset(&st.recording, NULL);
    reel_store_destroy(st.store);
    return 0;
}
