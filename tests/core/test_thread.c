/* Tests for the clocks and the pthread wrappers: monotonic time never goes back, wall
 * time is plausible, a mutex keeps four threads' increments exact, condition variables
 * hand work between threads and time out, and thread ids are small and distinct. */
#include <stdatomic.h>
#include <string.h>

#include "core/core.h"
#include "test.h"

TEST(clocks_behave)
{
    uint64_t previous = reel_clock_monotonic_ns();
    size_t backwards = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t now = reel_clock_monotonic_ns();
        backwards += now < previous;
        previous = now;
    }
    CHECK_EQ_INT(backwards, 0);

    /* 2020-01-01 < wall < 2200-01-01 */
    int64_t wall = reel_clock_wall_ns();
    CHECK(wall > INT64_C(1577836800) * 1000000000);
    CHECK(wall < INT64_C(7258118400) * 1000000000);

    /* Both clocks advance together over a short wait (a timed-out condition wait). */
    reel_mutex mutex;
    reel_cond cond;
    CHECK_OK(reel_mutex_init(&mutex));
    CHECK_OK(reel_cond_init(&cond));
    uint64_t mono_start = reel_clock_monotonic_ns();
    int64_t wall_start = reel_clock_wall_ns();
    reel_mutex_lock(&mutex);
    while (reel_clock_monotonic_ns() - mono_start < 20000000)
        reel_cond_wait_ns(&cond, &mutex, 20000000);
    reel_mutex_unlock(&mutex);
    uint64_t mono_elapsed = reel_clock_monotonic_ns() - mono_start;
    int64_t wall_elapsed = reel_clock_wall_ns() - wall_start;
    CHECK(mono_elapsed >= 20000000);
    CHECK_NEAR((double)wall_elapsed, (double)mono_elapsed, 50e6);
    reel_cond_destroy(&cond);
    reel_mutex_destroy(&mutex);
}

typedef struct counter_job {
    reel_mutex mutex;
    uint64_t counter;
    int rounds;
    atomic_uint ids_seen[4];
    uint32_t thread_ids[4];
    atomic_int next_slot;
} counter_job;

static void counter_worker(void *arg)
{
    counter_job *job = arg;
    int slot = atomic_fetch_add(&job->next_slot, 1);
    job->thread_ids[slot] = reel_thread_id();
    for (int i = 0; i < job->rounds; i++) {
        reel_mutex_lock(&job->mutex);
        /* A non-atomic read-modify-write: only the mutex keeps it exact. */
        uint64_t value = job->counter;
        job->counter = value + 1;
        reel_mutex_unlock(&job->mutex);
    }
}

TEST(mutex_counter_four_threads)
{
    static counter_job job;
    memset(&job, 0, sizeof job);
    job.rounds = 100000;
    CHECK_OK(reel_mutex_init(&job.mutex));
    reel_thread threads[4];
    for (int i = 0; i < 4; i++) {
        if (!CHECK_OK(reel_thread_start(&threads[i], counter_worker, &job, NULL)))
            return;
    }
    for (int i = 0; i < 4; i++)
        reel_thread_join(&threads[i]);
    CHECK_EQ_U64(job.counter, 400000);
    reel_mutex_destroy(&job.mutex);

    /* Thread ids: small, non-zero, distinct from each other and from ours. */
    uint32_t mine = reel_thread_id();
    CHECK(mine != 0);
    CHECK_EQ_INT(reel_thread_id(), mine); /* stable */
    for (int i = 0; i < 4; i++) {
        CHECK(job.thread_ids[i] != 0 && job.thread_ids[i] != mine);
        CHECK(job.thread_ids[i] < 1000);
        for (int j = 0; j < i; j++)
            CHECK(job.thread_ids[i] != job.thread_ids[j]);
    }
}

/* A one-slot mailbox: the producer waits until the slot is empty, the consumer until it
 * is full; both use the same condition variable and broadcast. */
typedef struct mailbox {
    reel_mutex mutex;
    reel_cond changed;
    bool full;
    int value;
    int received_sum;
    int received_count;
} mailbox;

enum { MAILBOX_MESSAGES = 2000 };

static void mailbox_consumer(void *arg)
{
    mailbox *box = arg;
    for (int i = 0; i < MAILBOX_MESSAGES; i++) {
        reel_mutex_lock(&box->mutex);
        while (!box->full)
            reel_cond_wait(&box->changed, &box->mutex);
        box->received_sum += box->value;
        box->received_count++;
        box->full = false;
        reel_cond_broadcast(&box->changed);
        reel_mutex_unlock(&box->mutex);
    }
}

TEST(cond_hands_values_between_threads)
{
    static mailbox box;
    memset(&box, 0, sizeof box);
    CHECK_OK(reel_mutex_init(&box.mutex));
    CHECK_OK(reel_cond_init(&box.changed));
    reel_thread consumer;
    if (!CHECK_OK(reel_thread_start(&consumer, mailbox_consumer, &box, NULL)))
        return;
    int expected = 0;
    for (int i = 1; i <= MAILBOX_MESSAGES; i++) {
        reel_mutex_lock(&box.mutex);
        while (box.full) {
            /* The timed wait also works as a plain wait in a predicate loop. */
            reel_cond_wait_ns(&box.changed, &box.mutex, 1000000000);
        }
        box.value = i;
        box.full = true;
        reel_cond_signal(&box.changed);
        reel_mutex_unlock(&box.mutex);
        expected += i;
    }
    reel_thread_join(&consumer);
    CHECK_EQ_INT(box.received_count, MAILBOX_MESSAGES);
    CHECK_EQ_INT(box.received_sum, expected);
    reel_cond_destroy(&box.changed);
    reel_mutex_destroy(&box.mutex);
}

TEST(cond_wait_times_out)
{
    reel_mutex mutex;
    reel_cond cond;
    CHECK_OK(reel_mutex_init(&mutex));
    CHECK_OK(reel_cond_init(&cond));
    reel_mutex_lock(&mutex);

    uint64_t start = reel_clock_monotonic_ns();
    bool signalled = reel_cond_wait_ns(&cond, &mutex, 30000000); /* 30 ms */
    uint64_t elapsed = reel_clock_monotonic_ns() - start;
    /* Nobody signals: a spurious wake-up could return true, but then early. */
    if (!signalled)
        CHECK(elapsed >= 30000000);
    CHECK(elapsed < 5000000000u);

    /* Zero timeout returns at once. */
    start = reel_clock_monotonic_ns();
    CHECK(!reel_cond_wait_ns(&cond, &mutex, 0));
    CHECK(reel_clock_monotonic_ns() - start < 1000000000u);

    reel_mutex_unlock(&mutex);
    reel_cond_destroy(&cond);
    reel_mutex_destroy(&mutex);
}

static atomic_int slow_started;

static void count_start(void *arg)
{
    (void)arg;
    atomic_fetch_add(&slow_started, 1);
}

TEST(cond_wait_huge_timeout_is_valid)
{
    /* A timeout near UINT64_MAX must not overflow the deadline into the past: the wait
     * has to be woken by the signal, not by an immediate timeout or an error abort. */
    static mailbox box;
    memset(&box, 0, sizeof box);
    CHECK_OK(reel_mutex_init(&box.mutex));
    CHECK_OK(reel_cond_init(&box.changed));
    reel_thread consumer;
    if (!CHECK_OK(reel_thread_start(&consumer, mailbox_consumer, &box, NULL)))
        return;
    for (int i = 1; i <= MAILBOX_MESSAGES; i++) {
        reel_mutex_lock(&box.mutex);
        while (box.full)
            CHECK(reel_cond_wait_ns(&box.changed, &box.mutex, UINT64_MAX));
        box.value = i;
        box.full = true;
        reel_cond_signal(&box.changed);
        reel_mutex_unlock(&box.mutex);
    }
    reel_thread_join(&consumer);
    CHECK_EQ_INT(box.received_count, MAILBOX_MESSAGES);
    reel_cond_destroy(&box.changed);
    reel_mutex_destroy(&box.mutex);

    /* Many short-lived threads: start/join leaks nothing (ASan checks). */
    reel_error err = {0};
    for (int i = 0; i < 64; i++) {
        reel_thread t;
        if (!CHECK_OK(reel_thread_start(&t, count_start, NULL, &err)))
            break;
        reel_thread_join(&t);
    }
    CHECK_EQ_INT(atomic_load(&slow_started), 64);
    CHECK_EQ_INT(err.status, REEL_OK);
}

int main(void)
{
    RUN(clocks_behave);
    RUN(mutex_counter_four_threads);
    RUN(cond_hands_values_between_threads);
    RUN(cond_wait_times_out);
    RUN(cond_wait_huge_timeout_is_valid);
    TEST_MAIN_END();
}
