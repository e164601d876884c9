/* Clocks: CLOCK_MONOTONIC for measuring intervals and timeouts, CLOCK_REALTIME for
 * timestamps that leave the process (log times, TUIDs). Both are thread-safe and report
 * nanoseconds. */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "core.h"

uint64_t reel_clock_monotonic_ns(void)
{
    struct timespec ts;
    /* Cannot fail for CLOCK_MONOTONIC with a valid pointer on the platforms we target. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

int64_t reel_clock_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * INT64_C(1000000000) + (int64_t)ts.tv_nsec;
}
