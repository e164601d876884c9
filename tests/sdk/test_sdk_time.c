/* Time in the C SDK: per thread and per stream, the three timeline kinds and their unit
 * conversions, disable and reset, and the automatic log_time / log_tick timelines. */
#include <pthread.h>

#include "sdk_testing.h"

static reel_recording *shared_rec;

static void *thread_main(void *arg)
{
    int index = (int)(intptr_t)arg;
    char path[32];
    snprintf(path, sizeof path, "t%d", index);
    for (int i = 0; i < 100; i++) {
        reel_set_time_sequence(shared_rec, "frame", index * 1000 + i);
        double v = i;
        reel_log(shared_rec, path, &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    return NULL;
}

TEST(time_is_per_thread)
{
    reel_memory_sink *memory = NULL;
    shared_rec = memory_recording((reel_recording_options){0}, &memory);
    /* The main thread's time must not leak into the other threads. */
    CHECK_OK(reel_set_time_sequence(shared_rec, "main_only", 5));
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, thread_main, (void *)(intptr_t)i);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    decoded d;
    take_decoded(shared_rec, memory, &d);
    for (int t = 0; t < 4; t++) {
        char path[32];
        snprintf(path, sizeof path, "/t%d", t);
        CHECK_EQ_INT(rows_of(&d, path), 100);
        for (int nth = 0;; nth++) {
            const reel_chunk *c = chunk_of(&d, path, nth);
            if (c == NULL)
                break;
            CHECK(reel_chunk_find_timeline(c, "main_only") == NULL);
            for (int64_t r = 0; r < c->row_count; r++)
                CHECK_EQ_INT(time_of(c, "frame", r) / 1000, t);
        }
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(shared_rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(time_is_per_stream_kinds_and_reset)
{
    reel_memory_sink *m1 = NULL, *m2 = NULL;
    reel_recording *a = memory_recording((reel_recording_options){.no_log_time = true}, &m1);
    reel_recording *b = memory_recording((reel_recording_options){.log_tick = true}, &m2);
    CHECK_OK(reel_set_time_sequence(a, "frame", 1));
    CHECK_OK(reel_set_time_duration_secs(a, "elapsed", 1.5));
    CHECK_OK(reel_set_time_timestamp_secs(a, "sensor", 1700000000.25));
    CHECK_OK(reel_set_time_duration_nanos(a, "d2", 42));
    CHECK_OK(reel_set_time_timestamp_nanos(a, "t2", 43));
    double v = 1;
    CHECK_OK(reel_log(a, "x", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    CHECK_OK(reel_log(b, "x", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    CHECK_OK(reel_log(b, "x", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    CHECK_OK(reel_disable_timeline(a, "elapsed"));
    CHECK_OK(reel_log(a, "y", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    CHECK_OK(reel_reset_time(a));
    CHECK_OK(reel_log(a, "z", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    decoded d;
    take_decoded(a, m1, &d);
    const reel_chunk *x = chunk_of(&d, "/x", 0), *y = chunk_of(&d, "/y", 0),
                     *z = chunk_of(&d, "/z", 0);
    if (CHECK(x != NULL && y != NULL && z != NULL)) {
        CHECK_EQ_INT(x->n_timelines, 5);
        CHECK_EQ_INT(time_of(x, "elapsed", 0), 1500000000);
        CHECK_EQ_INT(time_of(x, "sensor", 0), 1700000000250000000);
        CHECK_EQ_INT(reel_chunk_find_timeline(x, "elapsed")->type, REEL_TIME_DURATION_NS);
        CHECK_EQ_INT(reel_chunk_find_timeline(x, "sensor")->type, REEL_TIME_TIMESTAMP_NS);
        CHECK_EQ_INT(reel_chunk_find_timeline(x, "frame")->type, REEL_TIME_SEQUENCE);
        CHECK_EQ_INT(time_of(x, "d2", 0), 42);
        CHECK(reel_chunk_find_timeline(x, "log_time") == NULL);
        CHECK(reel_chunk_find_timeline(y, "elapsed") == NULL);
        CHECK_EQ_INT(y->n_timelines, 4);
        /* No time left at all (log_time off): the row is static, as in Rerun. */
        CHECK(z->is_static);
    }
    decoded_reset(&d);
    take_decoded(b, m2, &d);
    x = chunk_of(&d, "/x", 0);
    if (CHECK(x != NULL)) {
        /* b has none of a's times, but log_time and log_tick. */
        CHECK(reel_chunk_find_timeline(x, "frame") == NULL);
        CHECK(reel_chunk_find_timeline(x, "log_time") != NULL);
        CHECK_EQ_INT(x->row_count, 2);
        CHECK_EQ_INT(time_of(x, "log_tick", 1) - time_of(x, "log_tick", 0), 1);
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(a, NULL));
    CHECK_OK(reel_recording_destroy(b, NULL));
    reel_memory_sink_destroy(m1);
    reel_memory_sink_destroy(m2);
}

int main(void)
{
    RUN(time_is_per_thread);
    RUN(time_is_per_stream_kinds_and_reset);
    TEST_MAIN_END();
}
