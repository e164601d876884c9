/* The batcher: rows become chunks by row count, byte size and time tick; the bounded queue
 * blocks or drops the oldest rows (counted) when full; many threads log at once; a sink
 * that fails (a full disk) is reported through statuses and the log, never a crash. */
#include <fcntl.h>
#include <sys/stat.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "sdk_testing.h"

static void log_scalars(reel_recording *rec, const char *path, int count)
{
    for (int i = 0; i < count; i++) {
        double v = i;
        reel_set_time_sequence(rec, "frame", i);
        CHECK_OK(reel_log(rec, path, &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    }
}

TEST(flush_by_rows_and_bytes)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording(
        (reel_recording_options){.flush_num_rows = 3, .flush_tick_secs = 100}, &memory);
    log_scalars(rec, "rows", 10);
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/rows"), 10);
    /* 3 + 3 + 3 from the row threshold, and the last row at the flush. */
    CHECK_EQ_INT(d.n_chunks, 4);
    for (int i = 0; i < d.n_chunks; i++)
        CHECK_EQ_INT(d.chunks[i]->row_count, i < 3 ? 3 : 1);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);

    /* ~8 KiB images with a 20 KiB threshold: chunks of 3 rows. */
    rec = memory_recording(
        (reel_recording_options){.flush_num_bytes = 20000, .flush_tick_secs = 100}, &memory);
    static uint8_t pixels[8192];
    reel_image_format format = {.width = 128,
                                .height = 64,
                                .color_model = REEL_ColorModel_L,
                                .channel_datatype = REEL_ChannelDatatype_U8};
    for (int i = 0; i < 9; i++)
        CHECK_OK(reel_log(rec, "img",
                          &(reel_image){.buffer = reel_batch_bytes(pixels, sizeof pixels),
                                        .format = reel_batch_values(&format, 1)}));
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/img"), 9);
    CHECK_EQ_INT(d.n_chunks, 3);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(flush_by_tick)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec =
        memory_recording((reel_recording_options){.flush_tick_secs = 0.01}, &memory);
    double v = 0;
    for (int frame = 0; frame < 2; frame++) {
        CHECK_OK(reel_set_time_sequence(rec, "frame", frame));
        CHECK_OK(reel_log(rec, "a", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    }
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL); /* many ticks: the first rows are a chunk by now */
    for (int frame = 100; frame < 102; frame++) {
        CHECK_OK(reel_set_time_sequence(rec, "frame", frame));
        CHECK_OK(reel_log(rec, "a", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    }
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/a"), 4);
    CHECK(d.n_chunks >= 2);
    /* No chunk holds rows from both sides of the pause. */
    for (int i = 0; i < d.n_chunks; i++) {
        int64_t min, max;
        if (CHECK(reel_chunk_time_range(d.chunks[i], "frame", &min, &max)))
            CHECK((max < 100) || (min >= 100));
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(env_thresholds)
{
    setenv("RERUN_FLUSH_NUM_ROWS", "2", 1);
    setenv("RERUN_FLUSH_TICK_SECS", "100", 1);
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    unsetenv("RERUN_FLUSH_NUM_ROWS");
    unsetenv("RERUN_FLUSH_TICK_SECS");
    log_scalars(rec, "e", 4);
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(d.n_chunks, 2);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

/* A FIFO nobody reads yet stalls the batcher inside write(): the queue then fills up. */
TEST(queue_full_drops_oldest)
{
    char path[] = "/tmp/reel_sdk_fifo_XXXXXX";
    int tmp = mkstemp(path);
    CHECK(tmp >= 0);
    close(tmp);
    unlink(path);
    CHECK(mkfifo(path, 0600) == 0);
    int reader = open(path, O_RDONLY | O_NONBLOCK);
    CHECK(reader >= 0);
    reel_recording *rec = NULL;
    reel_error err = {0};
    CHECK_OK(reel_recording_create(&(reel_recording_options){.application_id = "drop",
                                                             .no_properties = true,
                                                             .queue_max_rows = 16,
                                                             .queue_policy = REEL_QUEUE_DROP_OLDEST,
                                                             .flush_num_rows = 1},
                                   &rec, &err));
    CHECK_OK(reel_save(rec, path, &err));
    /* Enough data to fill the pipe (64 KiB) and stall the batcher, then many more rows. */
    static uint8_t blob[16384];
    uint32_t state = 12345;
    for (size_t i = 0; i < sizeof blob; i++) /* incompressible, so LZ4 keeps it big */
        blob[i] = (uint8_t)((state = state * 1103515245u + 12345u) >> 24);
    for (int i = 0; i < 16; i++)
        CHECK_OK(reel_log(rec, "fill",
                          &(reel_encoded_image){.blob = reel_batch_bytes(blob, sizeof blob)}));
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    log_scalars(rec, "many", 1000);
    reel_recording_stats stats;
    reel_recording_get_stats(rec, &stats);
    CHECK(stats.rows_dropped > 0);
    CHECK_EQ_U64(stats.rows_logged, 1016);
    /* Close the reader: the stalled write fails with EPIPE, so destroy does not hang. */
    close(reader);
    unlink(path);
    /* With the reader gone the writes fail (EPIPE): reported, never a SIGPIPE. */
    reel_status status = reel_recording_destroy(rec, &err);
    CHECK(status == REEL_IO || status == REEL_OK);
}

TEST(queue_full_blocks)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording(
        (reel_recording_options){.queue_max_rows = 4, .queue_policy = REEL_QUEUE_BLOCK}, &memory);
    log_scalars(rec, "b", 5000);
    reel_recording_stats stats;
    reel_recording_get_stats(rec, &stats);
    CHECK_EQ_U64(stats.rows_dropped, 0);
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/b"), 5000);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

static reel_recording *many_rec;

static void *many_main(void *arg)
{
    char path[32];
    snprintf(path, sizeof path, "m%d", (int)(intptr_t)arg);
    for (int i = 0; i < 2000; i++) {
        reel_set_time_sequence(many_rec, "i", i);
        double v = i;
        reel_log(many_rec, path, &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
        if (i % 500 == 0)
            reel_flush_blocking(many_rec, 30, NULL);
    }
    return NULL;
}

TEST(many_threads)
{
    reel_memory_sink *memory = NULL;
    many_rec = memory_recording((reel_recording_options){.queue_max_rows = 64}, &memory);
    pthread_t threads[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&threads[i], NULL, many_main, (void *)(intptr_t)i);
    for (int i = 0; i < 8; i++)
        pthread_join(threads[i], NULL);
    decoded d;
    take_decoded(many_rec, memory, &d);
    for (int t = 0; t < 8; t++) {
        char path[32];
        snprintf(path, sizeof path, "/m%d", t);
        CHECK_EQ_INT(rows_of(&d, path), 2000);
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(many_rec, NULL));
    reel_memory_sink_destroy(memory);
}

static int sink_errors_logged;
static void count_errors(void *ctx, reel_log_level level, const char *module, const char *message)
{
    (void)ctx, (void)message;
    if (level >= REEL_LOG_ERROR && strcmp(module, "sdk") == 0)
        sink_errors_logged++;
}

TEST(full_disk_is_an_error_not_a_crash)
{
    reel_log_set_callback(count_errors, NULL);
    reel_recording *rec = NULL;
    reel_error err = {0};
    CHECK_OK(
        reel_recording_create(&(reel_recording_options){.application_id = "full"}, &rec, &err));
    CHECK_OK(reel_save(rec, "/dev/full", &err));
    log_scalars(rec, "x", 100);
    reel_status status = reel_flush_blocking(rec, 30, &err);
    CHECK_EQ_INT(status, REEL_IO);
    CHECK(strstr(err.message, "/dev/full") != NULL);
    CHECK(sink_errors_logged > 0);
    /* Logging goes on (rows are dropped by the failed sink), destroy reports again. */
    log_scalars(rec, "x", 10);
    reel_recording_stats stats;
    reel_recording_get_stats(rec, &stats);
    CHECK(stats.sink_errors > 0);
    status = reel_recording_destroy(rec, &err);
    CHECK_EQ_INT(status, REEL_IO);
    reel_log_set_callback(NULL, NULL);
}

int main(void)
{
    RUN(flush_by_rows_and_bytes);
    RUN(flush_by_tick);
    RUN(env_thresholds);
    RUN(queue_full_drops_oldest);
    RUN(queue_full_blocks);
    RUN(many_threads);
    RUN(full_disk_is_an_error_not_a_crash);
    TEST_MAIN_END();
}
