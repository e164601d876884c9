/* Tests for reel_blob: one-allocation create with 64-byte aligned data, copy, refcounting
 * (also from several threads at once), wrap's release callback running exactly once on
 * the last release, and from_buf returning the memory to the buffer's allocator. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "counting_alloc.h"
#include "test.h"

TEST(blob_create_is_one_aligned_allocation)
{
    counting_alloc c;
    counting_alloc_init(&c);
    /* The counting allocator returns 16-byte aligned blocks, so alignment is the blob's
     * own doing. Try several sizes so the header lands at different offsets. */
    for (size_t len = 0; len < 300; len += 37) {
        uint8_t *data = NULL;
        reel_blob *blob = reel_blob_create(&c.allocator, len, &data);
        if (!CHECK(blob != NULL))
            return;
        CHECK_EQ_INT(c.live_blocks, 1);
        CHECK(data != NULL);
        CHECK_EQ_U64((uintptr_t)data % 64, 0);
        CHECK(reel_blob_data(blob) == data);
        CHECK_EQ_INT(reel_blob_len(blob), len);
        memset(data, 0x77, len); /* ASan: the whole range is ours */
        reel_blob_release(blob);
        CHECK_EQ_INT(c.live_blocks, 0);
    }
    CHECK_EQ_INT(c.size_mismatches, 0);

    uint8_t *data = NULL;
    reel_blob *blob = reel_blob_create(NULL, 1000, &data);
    CHECK_EQ_U64((uintptr_t)data % 64, 0);
    reel_blob_release(blob);

    c.fail_after = 1;
    CHECK(reel_blob_create(&c.allocator, 10, &data) == NULL);
    CHECK(reel_blob_create(&c.allocator, SIZE_MAX - 8, &data) == NULL);
}

TEST(blob_copy_and_refcount)
{
    counting_alloc c;
    counting_alloc_init(&c);
    const char text[] = "immutable bytes";
    reel_blob *blob = reel_blob_copy(&c.allocator, text, sizeof text);
    if (!CHECK(blob != NULL))
        return;
    CHECK_EQ_MEM(reel_blob_data(blob), text, sizeof text);
    CHECK_EQ_INT(reel_blob_len(blob), sizeof text);

    CHECK(reel_blob_retain(blob) == blob);
    reel_blob_retain(blob);
    reel_blob_release(blob);
    reel_blob_release(blob);
    CHECK_EQ_INT(c.live_blocks, 1); /* one reference left */
    CHECK_EQ_MEM(reel_blob_data(blob), text, sizeof text);
    reel_blob_release(blob);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);

    /* NULL-safe. */
    CHECK(reel_blob_retain(NULL) == NULL);
    reel_blob_release(NULL);
    CHECK(reel_blob_data(NULL) == NULL);
    CHECK_EQ_INT(reel_blob_len(NULL), 0);

    reel_blob *empty = reel_blob_copy(NULL, NULL, 0);
    CHECK(empty != NULL);
    CHECK_EQ_INT(reel_blob_len(empty), 0);
    reel_blob_release(empty);
}

typedef struct release_record {
    int calls;
    void *data;
    size_t len;
    void *ctx;
} release_record;

static void record_release(void *ctx, void *data, size_t len)
{
    release_record *record = ctx;
    record->calls++;
    record->data = data;
    record->len = len;
    record->ctx = ctx;
}

TEST(blob_wrap_releases_once)
{
    static uint8_t storage[100];
    release_record record = {0};
    reel_blob *blob = reel_blob_wrap(storage, sizeof storage, record_release, &record);
    if (!CHECK(blob != NULL))
        return;
    CHECK(reel_blob_data(blob) == storage);
    CHECK_EQ_INT(reel_blob_len(blob), 100);
    reel_blob_retain(blob);
    reel_blob_retain(blob);
    reel_blob_release(blob);
    reel_blob_release(blob);
    CHECK_EQ_INT(record.calls, 0);
    reel_blob_release(blob);
    CHECK_EQ_INT(record.calls, 1);
    CHECK(record.data == storage);
    CHECK_EQ_INT(record.len, 100);
    CHECK(record.ctx == &record);

    /* A NULL release function is allowed. */
    reel_blob *borrowed = reel_blob_wrap(storage, 10, NULL, NULL);
    CHECK(borrowed != NULL);
    reel_blob_release(borrowed);
}

typedef struct share_job {
    reel_blob *blob;
    int rounds;
    atomic_size_t bytes_seen;
} share_job;

static void share_worker(void *arg)
{
    share_job *job = arg;
    for (int i = 0; i < job->rounds; i++) {
        reel_blob *mine = reel_blob_retain(job->blob);
        atomic_fetch_add(&job->bytes_seen, reel_blob_len(mine));
        reel_blob_release(mine);
    }
    /* Each worker was handed one reference; drop it. */
    reel_blob_release(job->blob);
}

TEST(blob_refcount_across_threads)
{
    static uint8_t storage[64];
    release_record record = {0};
    share_job job = {.rounds = 100000};
    atomic_init(&job.bytes_seen, 0);
    job.blob = reel_blob_wrap(storage, sizeof storage, record_release, &record);
    if (!CHECK(job.blob != NULL))
        return;
    enum { THREADS = 4 };
    reel_thread threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        reel_blob_retain(job.blob); /* one reference per worker */
    for (int i = 0; i < THREADS; i++)
        CHECK_OK(reel_thread_start(&threads[i], share_worker, &job, NULL));
    reel_blob_release(job.blob); /* ours */
    for (int i = 0; i < THREADS; i++)
        reel_thread_join(&threads[i]);
    CHECK_EQ_INT(record.calls, 1);
    CHECK_EQ_U64(atomic_load(&job.bytes_seen), (uint64_t)THREADS * 100000 * 64);
}

TEST(blob_from_buf_uses_buf_allocator)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_buf buf;
    reel_buf_init(&buf, &c.allocator);
    for (int i = 0; i < 1000; i++)
        CHECK_OK(reel_buf_append_u32le(&buf, (uint32_t)i));
    const uint8_t *bytes = buf.data;
    size_t cap = buf.cap;
    CHECK(cap > buf.len); /* free must get the capacity, not the length */

    reel_blob *blob = reel_blob_from_buf(&buf);
    if (!CHECK(blob != NULL))
        return;
    CHECK(buf.data == NULL && buf.len == 0 && buf.cap == 0);
    CHECK(reel_blob_data(blob) == bytes); /* no copy */
    CHECK_EQ_INT(reel_blob_len(blob), 4000);
    CHECK_EQ_U64(reel_load_u32le(reel_blob_data(blob) + 4 * 999), 999);

    reel_blob_release(blob);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);

    /* Failure leaves the buffer untouched. */
    CHECK_OK(reel_buf_append(&buf, "abc", 3));
    c.fail_after = 1;
    CHECK(reel_blob_from_buf(&buf) == NULL);
    CHECK_EQ_INT(buf.len, 3);
    CHECK_EQ_MEM(buf.data, "abc", 3);
    reel_buf_free(&buf);

    /* An empty buffer makes an empty blob. */
    reel_blob *empty = reel_blob_from_buf(&buf);
    CHECK(empty != NULL);
    CHECK_EQ_INT(reel_blob_len(empty), 0);
    reel_blob_release(empty);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

int main(void)
{
    RUN(blob_create_is_one_aligned_allocation);
    RUN(blob_copy_and_refcount);
    RUN(blob_wrap_releases_once);
    RUN(blob_refcount_across_threads);
    RUN(blob_from_buf_uses_buf_allocator);
    TEST_MAIN_END();
}
