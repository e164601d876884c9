/* The logging threads' lanes (src/sdk/sdk_lane.c): small rows laid out as columns on the
 * logging thread must come out exactly as the row path would write them — every row, its
 * times (also when the set of timelines changes between rows), its values — whatever the
 * thresholds, the threads, the path buffers the caller reuses, and the order of a thread's
 * rows and its sink changes. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "sdk_testing.h"

/* Every row of `entity` as "time:value" in RowId order, over all its chunks. */
typedef struct row_seen {
    reel_tuid id;
    int64_t time;
    double value;
} row_seen;

static int compare_rows(const void *a, const void *b)
{
    return reel_tuid_compare(((const row_seen *)a)->id, ((const row_seen *)b)->id);
}

static int collect_rows(const decoded *d, const char *entity, const char *timeline,
                        row_seen *out, int cap)
{
    int n = 0;
    for (int nth = 0;; nth++) {
        const reel_chunk *c = chunk_of(d, entity, nth);
        if (c == NULL)
            break;
        CHECK_OK(reel_chunk_validate(c, NULL));
        const reel_chunk_component *scalars = reel_chunk_find_component(c, "Scalars:scalars");
        if (!CHECK(scalars != NULL))
            continue;
        for (int64_t r = 0; r < c->row_count && n < cap; r++) {
            char json[512];
            cell_json(c, "Scalars:scalars", r, json);
            out[n] = (row_seen){reel_chunk_row_id(c, r), time_of(c, timeline, r), 0};
            out[n].value = strtod(json + 1, NULL); /* "[v]" */
            n++;
        }
    }
    qsort(out, (size_t)n, sizeof *out, compare_rows);
    return n;
}

static void log_scalar(reel_recording *rec, const char *path, double v)
{
    CHECK_OK(reel_log(rec, path, &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
}

TEST(lane_rows_keep_times_and_values)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    for (int step = 0; step < 500; step++) {
        CHECK_OK(reel_set_time_sequence(rec, "step", step));
        for (int e = 0; e < 7; e++) {
            char path[32];
            snprintf(path, sizeof path, "plot/e%d", e); /* one buffer, new text every call */
            log_scalar(rec, path, step * 10 + e);
        }
    }
    decoded d;
    take_decoded(rec, memory, &d);
    static row_seen rows[1000];
    for (int e = 0; e < 7; e++) {
        char entity[32];
        snprintf(entity, sizeof entity, "/plot/e%d", e);
        int n = collect_rows(&d, entity, "step", rows, 1000);
        CHECK_EQ_INT(n, 500);
        int wrong = 0;
        for (int i = 0; i < n; i++)
            wrong += rows[i].time != i || rows[i].value != i * 10 + e;
        CHECK_EQ_INT(wrong, 0);
        /* log_time is there, non-decreasing with the RowIds, close to the RowId's time. */
        const reel_chunk *c = chunk_of(&d, entity, 0);
        CHECK(c != NULL && reel_chunk_find_timeline(c, "log_time") != NULL);
        if (c != NULL)
            CHECK_EQ_U64((uint64_t)time_of(c, "log_time", 0), reel_chunk_row_id(c, 0).time_ns);
    }
    decoded_reset(&d);
    reel_recording_stats stats;
    reel_recording_get_stats(rec, &stats);
    CHECK_EQ_U64(stats.rows_logged, 3500);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(lane_follows_changes_of_the_timeline_set)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){.no_log_time = true}, &memory);
    CHECK_OK(reel_set_time_sequence(rec, "a", 1));
    log_scalar(rec, "x", 1); /* {a} */
    CHECK_OK(reel_set_time_sequence(rec, "b", 2));
    log_scalar(rec, "x", 2); /* {a, b} */
    CHECK_OK(reel_disable_timeline(rec, "a"));
    log_scalar(rec, "x", 3); /* {b} */
    CHECK_OK(reel_reset_time(rec));
    CHECK_OK(reel_set_time_sequence(rec, "a", 4));
    log_scalar(rec, "x", 4); /* {a} again: the first group */
    CHECK_OK(reel_set_time_duration_nanos(rec, "a", 5));
    log_scalar(rec, "x", 5); /* {a: duration} */
    /* A user timeline named log_time, shadowed once log_time is on. */
    CHECK_OK(reel_set_time_sequence(rec, "log_time", 77));
    log_scalar(rec, "x", 6); /* {a: duration, log_time: sequence 77} */
    reel_set_log_time_enabled(rec, true);
    log_scalar(rec, "x", 7); /* {a: duration, log_time: the clock} */
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/x"), 7);
    int seen = 0;
    for (int nth = 0;; nth++) {
        const reel_chunk *c = chunk_of(&d, "/x", nth);
        if (c == NULL)
            break;
        for (int64_t r = 0; r < c->row_count; r++) {
            char json[512];
            int v = (int)strtod(cell_json(c, "Scalars:scalars", r, json) + 1, NULL);
            const reel_chunk_timeline *a = reel_chunk_find_timeline(c, "a");
            const reel_chunk_timeline *b = reel_chunk_find_timeline(c, "b");
            const reel_chunk_timeline *lt = reel_chunk_find_timeline(c, "log_time");
            switch (v) {
            case 1:
            case 4:
                CHECK(a && a->type == REEL_TIME_SEQUENCE && !b && !lt);
                CHECK_EQ_INT(time_of(c, "a", r), v == 1 ? 1 : 4);
                break;
            case 2:
                CHECK(a && b && !lt && time_of(c, "a", r) == 1 && time_of(c, "b", r) == 2);
                break;
            case 3:
                CHECK(!a && b && !lt && time_of(c, "b", r) == 2);
                break;
            case 5:
                CHECK(a && a->type == REEL_TIME_DURATION_NS && !b && !lt);
                CHECK_EQ_INT(time_of(c, "a", r), 5);
                break;
            case 6:
                CHECK(lt && lt->type == REEL_TIME_SEQUENCE && time_of(c, "log_time", r) == 77);
                break;
            case 7:
                CHECK(lt && lt->type == REEL_TIME_TIMESTAMP_NS &&
                      time_of(c, "log_time", r) > 1000000000000000000);
                break;
            default:
                CHECK(false);
            }
            seen |= 1 << v;
        }
    }
    CHECK_EQ_INT(seen, 0xfe);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(lane_and_row_paths_mix_on_one_entity)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    static float many[1000][3];
    for (int i = 0; i < 1000; i++)
        many[i][0] = (float)i;
    for (int frame = 0; frame < 20; frame++) {
        CHECK_OK(reel_set_time_sequence(rec, "frame", frame));
        float one[3] = {(float)frame, 0, 0};
        /* One point: the lane. A thousand: too large for it, the row path. Static: the
         * row path too. A string: the row path. */
        CHECK_OK(reel_log(rec, "pts", &(reel_points3d){.positions = reel_batch_values(one, 1)}));
        CHECK_OK(reel_log(rec, "pts", &(reel_points3d){.positions = reel_batch_values(many, 1000)}));
        static const char *const hi = "hi";
        CHECK_OK(reel_log(rec, "pts", &(reel_text_log){.text = reel_batch_string(&hi)}));
    }
    CHECK_OK(reel_log_static(rec, "pts", &(reel_points3d){.positions = reel_batch_values(many, 2)}));
    decoded d;
    take_decoded(rec, memory, &d);
    int64_t one_rows = 0, many_rows = 0, text_rows = 0, static_rows = 0;
    for (int nth = 0;; nth++) {
        const reel_chunk *c = chunk_of(&d, "/pts", nth);
        if (c == NULL)
            break;
        if (c->is_static) {
            static_rows += c->row_count;
            continue;
        }
        const reel_chunk_component *p = reel_chunk_find_component(c, "Points3D:positions");
        if (p == NULL) {
            text_rows += c->row_count;
            continue;
        }
        for (int64_t r = 0; r < c->row_count; r++) {
            const int32_t *offsets = (const int32_t *)(const void *)p->lists.buffers[1].data;
            int32_t len = offsets[p->lists.offset + r + 1] - offsets[p->lists.offset + r];
            one_rows += len == 1, many_rows += len == 1000;
        }
    }
    CHECK_EQ_INT(one_rows, 20);
    CHECK_EQ_INT(many_rows, 20);
    CHECK_EQ_INT(text_rows, 20);
    CHECK_EQ_INT(static_rows, 1);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(lane_rows_of_several_sizes_keep_their_instances)
{
    /* One instance per row keeps the list offsets implicit; the first row of another size
     * makes them real: every row must still hold its own points. */
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    static const int sizes[] = {1, 1, 3, 1, 2, 1, 1};
    float next = 0;
    for (int i = 0; i < 7; i++) {
        CHECK_OK(reel_set_time_sequence(rec, "i", i));
        float pts[3][2];
        for (int k = 0; k < sizes[i]; k++)
            pts[k][0] = next++, pts[k][1] = (float)i;
        CHECK_OK(reel_log(rec, "sizes",
                          &(reel_points2d){.positions = reel_batch_values(pts, (size_t)sizes[i])}));
    }
    decoded d;
    take_decoded(rec, memory, &d);
    const reel_chunk *c = chunk_of(&d, "/sizes", 0);
    CHECK_EQ_INT(rows_of(&d, "/sizes"), 7);
    CHECK(chunk_of(&d, "/sizes", 1) == NULL);
    if (c != NULL) {
        CHECK_OK(reel_chunk_validate(c, NULL));
        float expect = 0;
        for (int64_t r = 0; r < c->row_count; r++) {
            char json[512], want[512] = "[";
            int i = (int)time_of(c, "i", r);
            for (int k = 0; k < sizes[i]; k++) {
                char one[64];
                snprintf(one, sizeof one, "%s[%g,%d]", k ? "," : "", expect++, i);
                strcat(want, one);
            }
            strcat(want, "]");
            CHECK_EQ_STR(cell_json(c, "Points2D:positions", r, json), want);
        }
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(lane_respects_flush_thresholds)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec =
        memory_recording((reel_recording_options){.flush_num_rows = 10}, &memory);
    for (int i = 0; i < 95; i++) {
        CHECK_OK(reel_set_time_sequence(rec, "i", i));
        log_scalar(rec, "s", i);
    }
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/s"), 95);
    int full = 0, chunks = 0;
    for (int nth = 0;; nth++) {
        const reel_chunk *c = chunk_of(&d, "/s", nth);
        if (c == NULL)
            break;
        chunks++;
        full += c->row_count == 10;
        CHECK(c->row_count <= 10);
    }
    CHECK_EQ_INT(full, 9);
    CHECK_EQ_INT(chunks, 10);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

static reel_recording *exiting_rec;

static void *log_and_exit(void *arg)
{
    (void)arg;
    for (int i = 0; i < 300; i++) {
        reel_set_time_sequence(exiting_rec, "i", i);
        double v = i;
        reel_log(exiting_rec, "gone", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    return NULL; /* no flush: the lane outlives the thread */
}

TEST(lane_of_an_exited_thread_is_still_collected)
{
    reel_memory_sink *memory = NULL;
    exiting_rec = memory_recording((reel_recording_options){0}, &memory);
    for (int round = 0; round < 3; round++) {
        pthread_t thread;
        pthread_create(&thread, NULL, log_and_exit, NULL);
        pthread_join(thread, NULL);
    }
    decoded d;
    take_decoded(exiting_rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/gone"), 900);
    decoded_reset(&d);
    reel_recording_stats stats;
    reel_recording_get_stats(exiting_rec, &stats);
    CHECK_EQ_U64(stats.rows_logged, 900);
    CHECK_OK(reel_recording_destroy(exiting_rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(lane_rows_go_to_the_sink_of_their_time)
{
    /* A thread's rows logged before it changes sinks go to the old sink, after to the new. */
    reel_recording *rec = NULL;
    reel_error err = {0};
    CHECK_OK(reel_recording_create(
        &(reel_recording_options){.application_id = "lane_sinks", .no_properties = true}, &rec,
        &err));
    reel_memory_sink *first = NULL, *second = NULL;
    CHECK_OK(reel_memory_sink_create(&first, &err));
    CHECK_OK(reel_memory_sink_create(&second, &err));
    CHECK_OK(reel_memory(rec, first, &err));
    for (int i = 0; i < 50; i++)
        log_scalar(rec, "before", i);
    CHECK_OK(reel_memory(rec, second, &err));
    for (int i = 0; i < 70; i++)
        log_scalar(rec, "after", i);
    CHECK_OK(reel_flush_blocking(rec, 30, &err));
    uint8_t *data = NULL;
    size_t len = 0;
    decoded d;
    CHECK_OK(reel_memory_sink_take(first, &data, &len, &err));
    decode_bytes(data, len, &d);
    free(data);
    CHECK_EQ_INT(rows_of(&d, "/before"), 50);
    CHECK_EQ_INT(rows_of(&d, "/after"), 0);
    decoded_reset(&d);
    CHECK_OK(reel_memory_sink_take(second, &data, &len, &err));
    decode_bytes(data, len, &d);
    free(data);
    CHECK_EQ_INT(rows_of(&d, "/before"), 0);
    CHECK_EQ_INT(rows_of(&d, "/after"), 70);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(first);
    reel_memory_sink_destroy(second);
}

static reel_recording *racing_rec;
static atomic_bool racing_stop;

static void *log_until_stopped(void *arg)
{
    char path[32];
    snprintf(path, sizeof path, "race%d", (int)(intptr_t)arg);
    int64_t i = 0;
    while (!atomic_load(&racing_stop)) {
        reel_set_time_sequence(racing_rec, "i", i);
        double v = (double)i; /* no CHECK here: the test counters are not thread-safe */
        reel_log(racing_rec, path, &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
        i++;
    }
    return (void *)(intptr_t)i;
}

TEST(lane_collection_races_with_logging)
{
    /* The batcher collects every 1 ms while four threads log: nothing lost, nothing twice,
     * every row's value equals its time. */
    reel_memory_sink *memory = NULL;
    racing_rec = memory_recording((reel_recording_options){.flush_tick_secs = 0.001}, &memory);
    atomic_store(&racing_stop, false);
    pthread_t threads[4];
    for (int t = 0; t < 4; t++)
        pthread_create(&threads[t], NULL, log_until_stopped, (void *)(intptr_t)t);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    atomic_store(&racing_stop, true);
    int64_t logged[4];
    for (int t = 0; t < 4; t++) {
        void *count = NULL;
        pthread_join(threads[t], &count);
        logged[t] = (int64_t)(intptr_t)count;
    }
    decoded d;
    take_decoded(racing_rec, memory, &d);
    for (int t = 0; t < 4; t++) {
        char entity[32];
        snprintf(entity, sizeof entity, "/race%d", t);
        CHECK_EQ_INT(rows_of(&d, entity), logged[t]);
        int64_t mismatched = 0;
        for (int nth = 0;; nth++) {
            const reel_chunk *c = chunk_of(&d, entity, nth);
            if (c == NULL)
                break;
            const reel_chunk_component *s = reel_chunk_find_component(c, "Scalars:scalars");
            const double *v = (const double *)(const void *)s->lists.children[0].buffers[1].data;
            for (int64_t r = 0; r < c->row_count; r++)
                mismatched += (int64_t)v[r] != time_of(c, "i", r);
        }
        CHECK_EQ_INT(mismatched, 0);
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(racing_rec, NULL));
    reel_memory_sink_destroy(memory);
}

int main(void)
{
    RUN(lane_rows_keep_times_and_values);
    RUN(lane_follows_changes_of_the_timeline_set);
    RUN(lane_and_row_paths_mix_on_one_entity);
    RUN(lane_rows_of_several_sizes_keep_their_instances);
    RUN(lane_respects_flush_thresholds);
    RUN(lane_of_an_exited_thread_is_still_collected);
    RUN(lane_rows_go_to_the_sink_of_their_time);
    RUN(lane_collection_races_with_logging);
    TEST_MAIN_END();
}
