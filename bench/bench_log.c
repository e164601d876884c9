/* The C SDK on Rerun's log_benchmark workloads (tests/rust/log_benchmark): the cost of the
 * logging calls end to end, from the first call to the last byte in the sink.
 *
 *     bench_log WORKLOAD SINK COUNT [PATH]
 *
 * WORKLOAD: scalars (600 entities × COUNT steps), points3d_large_batch (one batch of COUNT
 * points: positions, colours, radii), points3d_many_individual (COUNT one-point calls, each at
 * its own time), image (COUNT calls of a 1024 × 1024 RGBA image, one byte changed per call).
 * SINK: memory or file (PATH). Prints one JSON object: seconds (logging + flush), seconds of
 * the logging calls alone, calls, and the bytes the sink received. Run by bench/log_bench.py
 * beside the real Python SDK; without arguments it runs a small default set and prints it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reel/reel.h"

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const reel_error *err)
{
    fprintf(stderr, "bench_log: %s: %s\n", what, err != NULL ? err->message : "");
    exit(1);
}

/* A reproducible pseudo-random stream (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static float rng_float(void)
{
    return (float)(rng_next() >> 40) / (float)(1 << 24) - 0.5f;
}

/* CPU time of the calling thread: the logging calls' own cost, whatever else the machine
 * runs (the batcher thread included). */
static double thread_cpu_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct result {
    double seconds, log_seconds, log_cpu_seconds;
    uint64_t calls, sink_bytes;
} result;

static uint64_t run(const char *workload, const char *sink, uint64_t count, const char *path,
                    result *out)
{
    reel_recording *rec = NULL;
    reel_memory_sink *memory = NULL;
    reel_error err = {0};
    if (reel_recording_create(&(reel_recording_options){.application_id = "bench_log"}, &rec,
                              &err) != REEL_OK)
        die("create", &err);
    if (strcmp(sink, "memory") == 0) {
        if (reel_memory_sink_create(&memory, &err) != REEL_OK || reel_memory(rec, memory, &err))
            die("memory sink", &err);
    } else if (strcmp(sink, "file") == 0 && path != NULL) {
        if (reel_save(rec, path, &err) != REEL_OK)
            die("file sink", &err);
    } else {
        die("SINK must be memory or file PATH", NULL);
    }

    uint64_t calls = 0;
    double t0 = now_secs(), c0 = thread_cpu_secs();
    if (strcmp(workload, "scalars") == 0) {
        enum { ENTITIES = 600 };
        static char paths[ENTITIES][32];
        double values[ENTITIES] = {0};
        for (int e = 0; e < ENTITIES; e++)
            snprintf(paths[e], sizeof paths[e], "scalars/e%d", e);
        for (uint64_t step = 0; step < count; step++) {
            reel_set_time_sequence(rec, "step", (int64_t)step);
            for (int e = 0; e < ENTITIES; e++) {
                values[e] += rng_float();
                reel_log(rec, paths[e],
                         &(reel_scalars){.scalars = reel_batch_values(&values[e], 1)});
                calls++;
            }
        }
    } else if (strcmp(workload, "points3d_large_batch") == 0) {
        float(*pos)[3] = malloc(count * sizeof *pos);
        uint32_t *colors = malloc(count * sizeof *colors);
        float *radii = malloc(count * sizeof *radii);
        if (pos == NULL || colors == NULL || radii == NULL)
            die("out of memory", NULL);
        for (uint64_t i = 0; i < count; i++) {
            pos[i][0] = rng_float(), pos[i][1] = rng_float(), pos[i][2] = rng_float();
            colors[i] = (uint32_t)rng_next();
            radii[i] = rng_float() + 0.5f;
        }
        t0 = now_secs(); /* the data exists before the call, as in Rerun's benchmark */
        c0 = thread_cpu_secs();
        reel_log(rec, "large_batch",
                 &(reel_points3d){.positions = reel_batch_values(pos, count),
                                  .colors = reel_batch_values(colors, count),
                                  .radii = reel_batch_values(radii, count)});
        calls = 1;
        free(pos);
        free(colors);
        free(radii);
    } else if (strcmp(workload, "points3d_many_individual") == 0) {
        for (uint64_t i = 0; i < count; i++) {
            float p[3] = {rng_float(), rng_float(), rng_float()};
            reel_set_time_sequence(rec, "frame", (int64_t)i);
            reel_log(rec, "single_point", &(reel_points3d){.positions = reel_batch_values(p, 1)});
            calls++;
        }
    } else if (strcmp(workload, "image") == 0) {
        enum { SIDE = 1024 };
        uint8_t *img = malloc((size_t)SIDE * SIDE * 4);
        if (img == NULL)
            die("out of memory", NULL);
        for (size_t i = 0; i < (size_t)SIDE * SIDE * 4; i++)
            img[i] = (uint8_t)rng_next();
        reel_image_format format = {.width = SIDE,
                                    .height = SIDE,
                                    .color_model = REEL_ColorModel_RGBA,
                                    .channel_datatype = REEL_ChannelDatatype_U8};
        for (uint64_t i = 0; i < count; i++) {
            img[0] = (uint8_t)i;
            reel_set_time_sequence(rec, "frame", (int64_t)i);
            reel_log(rec, "image",
                     &(reel_image){.buffer = reel_batch_bytes(img, (size_t)SIDE * SIDE * 4),
                                   .format = reel_batch_values(&format, 1)});
            calls++;
        }
        free(img);
    } else {
        die("unknown workload", NULL);
    }
    double t1 = now_secs(), c1 = thread_cpu_secs();
    if (reel_flush_blocking(rec, -1, &err) != REEL_OK)
        die("flush", &err);
    double t2 = now_secs();
    uint64_t bytes = 0;
    if (memory != NULL) {
        uint8_t *data = NULL;
        size_t len = 0;
        if (reel_memory_sink_take(memory, &data, &len, &err) != REEL_OK)
            die("take", &err);
        bytes = len;
        free(data);
    }
    reel_recording_destroy(rec, NULL);
    reel_memory_sink_destroy(memory);
    if (path != NULL) {
        FILE *f = fopen(path, "rb");
        if (f != NULL) {
            fseek(f, 0, SEEK_END);
            bytes = (uint64_t)ftell(f);
            fclose(f);
        }
    }
    *out = (result){t2 - t0, t1 - t0, c1 - c0, calls, bytes};
    return calls;
}

static void print(const char *workload, const char *sink, uint64_t count, const result *r)
{
    printf("{\"workload\": \"%s\", \"sink\": \"%s\", \"count\": %llu, \"calls\": %llu, "
           "\"seconds\": %.6f, \"log_seconds\": %.6f, \"log_cpu_seconds\": %.6f, "
           "\"sink_bytes\": %llu}\n",
           workload, sink, (unsigned long long)count, (unsigned long long)r->calls, r->seconds,
           r->log_seconds, r->log_cpu_seconds, (unsigned long long)r->sink_bytes);
}

int main(int argc, char **argv)
{
    result r;
    if (argc >= 4) {
        uint64_t count = strtoull(argv[3], NULL, 10);
        run(argv[1], argv[2], count, argc > 4 ? argv[4] : NULL, &r);
        print(argv[1], argv[2], count, &r);
        return 0;
    }
    /* `make bench` runs this without arguments: small counts into memory (the full table
     * with the Python SDK beside it comes from bench/log_bench.py). */
    static const struct {
        const char *workload;
        uint64_t count;
    } runs[] = {{"scalars", 100},
                {"points3d_large_batch", 1000000},
                {"points3d_many_individual", 100000},
                {"image", 100}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        run(runs[i].workload, "memory", runs[i].count, NULL, &r);
        print(runs[i].workload, "memory", runs[i].count, &r);
    }
    return 0;
}
