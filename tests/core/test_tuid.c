/* Tests for TUIDs: ids strictly increase within each thread and across threads (checked
 * on a sequence taken under a shared lock), all 400k ids from four threads are unique,
 * the 16-byte form is big-endian, and the string form round-trips with clear errors. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "test.h"

enum { TUID_THREADS = 4, TUID_PER_THREAD = 100000 };

typedef struct tuid_job {
    reel_tuid *ids; /* TUID_PER_THREAD per thread */
    /* Shared sequence: every id appended while holding the mutex that generated it. */
    reel_mutex mutex;
    reel_tuid *shared;
    size_t shared_len;
} tuid_job;

typedef struct tuid_worker_arg {
    tuid_job *job;
    int index;
} tuid_worker_arg;

static void tuid_worker(void *raw)
{
    tuid_worker_arg *arg = raw;
    reel_tuid *mine = arg->job->ids + (size_t)arg->index * TUID_PER_THREAD;
    for (int i = 0; i < TUID_PER_THREAD; i++)
        mine[i] = reel_tuid_new();
}

static void tuid_shared_worker(void *raw)
{
    tuid_worker_arg *arg = raw;
    tuid_job *job = arg->job;
    for (int i = 0; i < TUID_PER_THREAD / 4; i++) {
        reel_mutex_lock(&job->mutex);
        job->shared[job->shared_len++] = reel_tuid_new();
        reel_mutex_unlock(&job->mutex);
        /* And some ids outside the lock, so generation interleaves with other threads. */
        (void)reel_tuid_new();
    }
}

static int compare_tuid(const void *a, const void *b)
{
    return reel_tuid_compare(*(const reel_tuid *)a, *(const reel_tuid *)b);
}

TEST(tuid_unique_and_increasing_across_threads)
{
    static tuid_job job;
    memset(&job, 0, sizeof job);
    size_t total = (size_t)TUID_THREADS * TUID_PER_THREAD;
    job.ids = calloc(total, sizeof(reel_tuid));
    job.shared = calloc(total, sizeof(reel_tuid));
    if (!CHECK(job.ids != NULL && job.shared != NULL))
        return;
    CHECK_OK(reel_mutex_init(&job.mutex));

    reel_thread threads[TUID_THREADS];
    tuid_worker_arg args[TUID_THREADS];
    for (int t = 0; t < TUID_THREADS; t++) {
        args[t] = (tuid_worker_arg){&job, t};
        CHECK_OK(reel_thread_start(&threads[t], tuid_worker, &args[t], NULL));
    }
    for (int t = 0; t < TUID_THREADS; t++)
        reel_thread_join(&threads[t]);

    /* Within each thread: strictly increasing. */
    size_t not_increasing = 0;
    for (int t = 0; t < TUID_THREADS; t++) {
        const reel_tuid *mine = job.ids + (size_t)t * TUID_PER_THREAD;
        for (int i = 1; i < TUID_PER_THREAD; i++)
            not_increasing += reel_tuid_compare(mine[i - 1], mine[i]) >= 0;
    }
    CHECK_EQ_INT(not_increasing, 0);

    /* All 400k unique, and the counter's top bit starts clear (no wrap in sight). */
    qsort(job.ids, total, sizeof(reel_tuid), compare_tuid);
    size_t duplicates = 0;
    for (size_t i = 1; i < total; i++)
        duplicates += reel_tuid_compare(job.ids[i - 1], job.ids[i]) == 0;
    CHECK_EQ_INT(duplicates, 0);
    CHECK(job.ids[0].inc < (UINT64_C(1) << 63));

    /* Close to the wall clock (same clock, same process). */
    int64_t wall = reel_clock_wall_ns();
    CHECK_NEAR((double)job.ids[total - 1].time_ns, (double)wall, 10e9);

    /* Across threads: ids taken under one lock come out strictly increasing. */
    for (int t = 0; t < TUID_THREADS; t++)
        CHECK_OK(reel_thread_start(&threads[t], tuid_shared_worker, &args[t], NULL));
    for (int t = 0; t < TUID_THREADS; t++)
        reel_thread_join(&threads[t]);
    CHECK_EQ_INT(job.shared_len, (size_t)TUID_THREADS * (TUID_PER_THREAD / 4));
    not_increasing = 0;
    for (size_t i = 1; i < job.shared_len; i++)
        not_increasing += reel_tuid_compare(job.shared[i - 1], job.shared[i]) >= 0;
    CHECK_EQ_INT(not_increasing, 0);
    /* And they all come after the first batch. */
    CHECK(reel_tuid_compare(job.ids[total - 1], job.shared[0]) < 0);

    reel_mutex_destroy(&job.mutex);
    free(job.ids);
    free(job.shared);
}

TEST(tuid_counter_steps_by_one)
{
    reel_tuid a = reel_tuid_new();
    reel_tuid b = reel_tuid_new();
    CHECK_EQ_U64(b.inc, a.inc + 1);
    CHECK(b.time_ns >= a.time_ns);
}

TEST(tuid_compare)
{
    reel_tuid a = {10, 5}, b = {10, 6}, c = {11, 0};
    CHECK_EQ_INT(reel_tuid_compare(a, b), -1);
    CHECK_EQ_INT(reel_tuid_compare(b, a), 1);
    CHECK_EQ_INT(reel_tuid_compare(b, c), -1);
    CHECK_EQ_INT(reel_tuid_compare(c, a), 1);
    CHECK_EQ_INT(reel_tuid_compare(a, a), 0);
    reel_tuid big = {UINT64_MAX, 0};
    CHECK_EQ_INT(reel_tuid_compare(c, big), -1);
}

TEST(tuid_bytes_are_big_endian)
{
    reel_tuid id = {UINT64_C(0x0102030405060708), UINT64_C(0x1112131415161718)};
    uint8_t bytes[16];
    reel_tuid_to_bytes(id, bytes);
    static const uint8_t expect[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                       0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18};
    CHECK_EQ_MEM(bytes, expect, 16);
    reel_tuid back = reel_tuid_from_bytes(bytes);
    CHECK_EQ_U64(back.time_ns, id.time_ns);
    CHECK_EQ_U64(back.inc, id.inc);

    /* Byte order equals id order. */
    reel_tuid first = reel_tuid_new(), second = reel_tuid_new();
    uint8_t b1[16], b2[16];
    reel_tuid_to_bytes(first, b1);
    reel_tuid_to_bytes(second, b2);
    CHECK(memcmp(b1, b2, 16) < 0);
    reel_tuid lo = {1, UINT64_MAX}, hi = {2, 0};
    reel_tuid_to_bytes(lo, b1);
    reel_tuid_to_bytes(hi, b2);
    CHECK(memcmp(b1, b2, 16) < 0);
}

TEST(tuid_format_and_parse)
{
    /* The example from Rerun's documentation. */
    reel_tuid id = {UINT64_C(0x18B0AA9FA7B7B1A6), UINT64_C(0x1d23c55ca87b18b4)};
    char text[64];
    reel_tuid_format(id, "chunk_", text, sizeof text);
    CHECK_EQ_STR(text, "chunk_18B0AA9FA7B7B1A61d23c55ca87b18b4");
    reel_tuid_format(id, NULL, text, sizeof text);
    CHECK_EQ_STR(text, "18B0AA9FA7B7B1A61d23c55ca87b18b4");
    reel_tuid_format(id, "", text, sizeof text);
    CHECK_EQ_STR(text, "18B0AA9FA7B7B1A61d23c55ca87b18b4");
    reel_tuid zero = {0, 0};
    reel_tuid_format(zero, "row_", text, sizeof text);
    CHECK_EQ_STR(text, "row_00000000000000000000000000000000");
    /* Small buffers are cut, never overrun. */
    char small[8];
    reel_tuid_format(id, "chunk_", small, sizeof small);
    CHECK_EQ_STR(small, "chunk_1");
    reel_tuid_format(id, "chunk_", small, 0);

    reel_tuid parsed = {0, 0};
    const char *with_prefix = "chunk_18B0AA9FA7B7B1A61d23c55ca87b18b4";
    CHECK_OK(reel_tuid_parse(with_prefix, strlen(with_prefix), &parsed, NULL));
    CHECK_EQ_U64(parsed.time_ns, id.time_ns);
    CHECK_EQ_U64(parsed.inc, id.inc);
    /* Any case, any letters-only prefix, or none. */
    const char *lower = "row_18b0aa9fa7b7b1a61D23C55CA87B18B4";
    parsed = zero;
    CHECK_OK(reel_tuid_parse(lower, strlen(lower), &parsed, NULL));
    CHECK_EQ_U64(parsed.time_ns, id.time_ns);
    CHECK_EQ_U64(parsed.inc, id.inc);
    const char *bare = "18B0AA9FA7B7B1A61d23c55ca87b18b4";
    parsed = zero;
    CHECK_OK(reel_tuid_parse(bare, strlen(bare), &parsed, NULL));
    CHECK_EQ_U64(parsed.inc, id.inc);
    /* len bounds the text: trailing bytes beyond it are ignored. */
    const char *longer = "18B0AA9FA7B7B1A61d23c55ca87b18b4XYZ";
    CHECK_OK(reel_tuid_parse(longer, 32, &parsed, NULL));

    /* Round trip of fresh ids. */
    size_t mismatches = 0;
    for (int i = 0; i < 1000; i++) {
        reel_tuid fresh = reel_tuid_new();
        reel_tuid_format(fresh, "chunk_", text, sizeof text);
        reel_tuid back = zero;
        if (reel_tuid_parse(text, strlen(text), &back, NULL) != REEL_OK ||
            reel_tuid_compare(back, fresh) != 0)
            mismatches++;
    }
    CHECK_EQ_INT(mismatches, 0);
}

TEST(tuid_parse_errors)
{
    reel_error err = {0};
    reel_tuid out = {7, 7};

    const char *short_digits = "chunk_18B0AA9FA7B7B1A61d23c55ca87b18b";
    CHECK_EQ_INT(reel_tuid_parse(short_digits, strlen(short_digits), &out, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(err.status, REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "32 hex digits") != NULL);
    CHECK(strstr(err.message, "found 31") != NULL);
    CHECK(strstr(err.message, short_digits) != NULL);
    CHECK_EQ_U64(out.time_ns, 7); /* untouched on failure */

    const char *long_digits = "18B0AA9FA7B7B1A61d23c55ca87b18b4a";
    CHECK_EQ_INT(reel_tuid_parse(long_digits, strlen(long_digits), &out, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "found 33") != NULL);

    const char *bad_char = "18B0AA9FA7B7B1A61d23c55ca87b18g4";
    CHECK_EQ_INT(reel_tuid_parse(bad_char, strlen(bad_char), &out, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "offset 30") != NULL);
    CHECK(strstr(err.message, "not a hex digit") != NULL);

    const char *bad_prefix = "chunk9_18B0AA9FA7B7B1A61d23c55ca87b18b4";
    CHECK_EQ_INT(reel_tuid_parse(bad_prefix, strlen(bad_prefix), &out, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "prefix") != NULL);

    const char *empty_prefix = "_18B0AA9FA7B7B1A61d23c55ca87b18b4";
    CHECK_EQ_INT(reel_tuid_parse(empty_prefix, strlen(empty_prefix), &out, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "empty prefix") != NULL);

    const char *two_underscores = "a_b_18B0AA9FA7B7B1A61d23c55ca87b18b4";
    CHECK_EQ_INT(reel_tuid_parse(two_underscores, strlen(two_underscores), &out, &err),
                 REEL_INVALID_ARGUMENT);

    CHECK_EQ_INT(reel_tuid_parse("", 0, &out, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "found 0") != NULL);
    CHECK_EQ_INT(reel_tuid_parse(NULL, 0, &out, &err), REEL_INVALID_ARGUMENT);

    /* Embedded NUL and non-printable bytes are reported, not echoed raw. */
    char with_nul[33];
    memcpy(with_nul, "18B0AA9FA7B7B1A61d23c55ca87b18b4", 32);
    with_nul[5] = '\0';
    CHECK_EQ_INT(reel_tuid_parse(with_nul, 32, &out, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "0x00 at offset 5") != NULL);

    /* Huge untrusted input: message stays bounded and quoted text is shortened. */
    char huge[4096];
    memset(huge, 'A', sizeof huge);
    CHECK_EQ_INT(reel_tuid_parse(huge, sizeof huge, &out, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "...") != NULL);
    CHECK(strlen(err.message) < 200);

    CHECK_EQ_U64(out.time_ns, 7);
    CHECK_EQ_INT(reel_tuid_parse(short_digits, strlen(short_digits), &out, NULL),
                 REEL_INVALID_ARGUMENT);
}

int main(void)
{
    RUN(tuid_unique_and_increasing_across_threads);
    RUN(tuid_counter_steps_by_one);
    RUN(tuid_compare);
    RUN(tuid_bytes_are_big_endian);
    RUN(tuid_format_and_parse);
    RUN(tuid_parse_errors);
    TEST_MAIN_END();
}
