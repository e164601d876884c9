/* Thin pthread wrappers so the rest of Reel has one spelling for threads, mutexes and
 * condition variables. The pthread objects live in caller-allocated opaque storage whose
 * size and alignment are checked at compile time; condition waits with a timeout use
 * CLOCK_MONOTONIC so wall-clock jumps do not stretch or cut them. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"

_Static_assert(sizeof(pthread_t) <= sizeof(((reel_thread *)0)->opaque),
               "reel_thread storage too small for pthread_t");
_Static_assert(sizeof(pthread_mutex_t) <= sizeof(((reel_mutex *)0)->opaque),
               "reel_mutex storage too small for pthread_mutex_t");
_Static_assert(_Alignof(pthread_mutex_t) <= _Alignof(reel_mutex),
               "reel_mutex storage under-aligned for pthread_mutex_t");
_Static_assert(sizeof(pthread_cond_t) <= sizeof(((reel_cond *)0)->opaque),
               "reel_cond storage too small for pthread_cond_t");
_Static_assert(_Alignof(pthread_cond_t) <= _Alignof(reel_cond),
               "reel_cond storage under-aligned for pthread_cond_t");

static inline pthread_mutex_t *as_mutex(reel_mutex *mutex)
{
    return (pthread_mutex_t *)(void *)mutex->opaque;
}

static inline pthread_cond_t *as_cond(reel_cond *cond)
{
    return (pthread_cond_t *)(void *)cond->opaque;
}

/* A failing lock, unlock or wait means a corrupted or misused object; carrying on would
 * break mutual exclusion silently, so stop here (as libuv does). */
static inline void check(int rc)
{
    if (rc != 0)
        abort();
}

/* ---------------------------------------------------------------- threads */

typedef struct thread_start {
    reel_thread_fn fn;
    void *arg;
} thread_start;

static void *thread_trampoline(void *raw)
{
    thread_start start = *(thread_start *)raw;
    reel_free(NULL, raw, sizeof(thread_start));
    start.fn(start.arg);
    return NULL;
}

reel_status reel_thread_start(reel_thread *thread, reel_thread_fn fn, void *arg, reel_error *err)
{
    thread_start *start = reel_alloc(NULL, sizeof *start);
    if (start == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "cannot start thread: out of memory");
    start->fn = fn;
    start->arg = arg;
    pthread_t handle;
    int rc = pthread_create(&handle, NULL, thread_trampoline, start);
    if (rc != 0) {
        reel_free(NULL, start, sizeof *start);
        return reel_error_set(err, rc == EAGAIN ? REEL_LIMIT : REEL_INTERNAL,
                              "cannot start thread: pthread_create returned %d%s", rc,
                              rc == EAGAIN ? " (EAGAIN: out of resources or thread limit)" : "");
    }
    memset(thread->opaque, 0, sizeof thread->opaque);
    memcpy(thread->opaque, &handle, sizeof handle);
    return REEL_OK;
}

void reel_thread_join(reel_thread *thread)
{
    pthread_t handle;
    memcpy(&handle, thread->opaque, sizeof handle);
    check(pthread_join(handle, NULL));
}

uint32_t reel_thread_id(void)
{
    static atomic_uint_least32_t next_id = 1;
    static _Thread_local uint32_t this_id;
    if (this_id == 0)
        this_id = (uint32_t)atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
    return this_id;
}

/* ---------------------------------------------------------------- mutex */

reel_status reel_mutex_init(reel_mutex *mutex)
{
    int rc = pthread_mutex_init(as_mutex(mutex), NULL);
    if (rc != 0)
        return rc == ENOMEM ? REEL_OUT_OF_MEMORY : REEL_INTERNAL;
    return REEL_OK;
}

void reel_mutex_lock(reel_mutex *mutex)
{
    check(pthread_mutex_lock(as_mutex(mutex)));
}

void reel_mutex_unlock(reel_mutex *mutex)
{
    check(pthread_mutex_unlock(as_mutex(mutex)));
}

void reel_mutex_destroy(reel_mutex *mutex)
{
    pthread_mutex_destroy(as_mutex(mutex));
}

/* ---------------------------------------------------------------- condition variable */

reel_status reel_cond_init(reel_cond *cond)
{
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc != 0)
        return rc == ENOMEM ? REEL_OUT_OF_MEMORY : REEL_INTERNAL;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(as_cond(cond), &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0)
        return rc == ENOMEM ? REEL_OUT_OF_MEMORY : REEL_INTERNAL;
    return REEL_OK;
}

void reel_cond_wait(reel_cond *cond, reel_mutex *mutex)
{
    check(pthread_cond_wait(as_cond(cond), as_mutex(mutex)));
}

bool reel_cond_wait_ns(reel_cond *cond, reel_mutex *mutex, uint64_t timeout_ns)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    /* Add in 64-bit seconds and saturate: huge timeouts mean "practically forever". */
    uint64_t sec = (uint64_t)deadline.tv_sec + timeout_ns / UINT64_C(1000000000);
    uint64_t nsec = (uint64_t)deadline.tv_nsec + timeout_ns % UINT64_C(1000000000);
    if (nsec >= UINT64_C(1000000000)) {
        nsec -= UINT64_C(1000000000);
        sec++;
    }
    /* time_t is signed; its maximum is 2^(bits-1) - 1. */
    const uint64_t time_max = (UINT64_C(1) << (sizeof(time_t) * 8 - 1)) - 1;
    if (sec > time_max) {
        sec = time_max;
        nsec = 999999999;
    }
    deadline.tv_sec = (time_t)sec;
    deadline.tv_nsec = (long)nsec;
    int rc = pthread_cond_timedwait(as_cond(cond), as_mutex(mutex), &deadline);
    if (rc == ETIMEDOUT)
        return false;
    check(rc);
    return true;
}

void reel_cond_signal(reel_cond *cond)
{
    check(pthread_cond_signal(as_cond(cond)));
}

void reel_cond_broadcast(reel_cond *cond)
{
    check(pthread_cond_broadcast(as_cond(cond)));
}

void reel_cond_destroy(reel_cond *cond)
{
    pthread_cond_destroy(as_cond(cond));
}
