/* TUIDs, Rerun's time-ordered unique ids (time_ns, inc): generation, comparison, the
 * 16-byte big-endian Arrow form and the "chunk_<32 hex>" string form. Generation is per
 * thread, as in Rerun: each thread keeps its last time and a counter that starts at a random
 * value with its top bit cleared, so ids are strictly increasing on a thread, unique across
 * threads, and ordered across threads by the process-wide monotonic clock they read. */
#define _GNU_SOURCE /* getrandom */

#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__)
#include <sys/random.h>
#endif
#include <unistd.h>

#include "core.h"

/* Written once before g_ready is published (release), read after an acquire load. */
static uint64_t g_wall_at_start_ns;
static uint64_t g_monotonic_at_start_ns;
static atomic_bool g_ready;

/* Guards the one-time setup of the time base. */
static atomic_flag g_lock = ATOMIC_FLAG_INIT;

static void lock_state(void)
{
    /* The critical section is a few instructions; yield only if the holder seems to have
     * been descheduled (more threads than cores). */
    unsigned spins = 0;
    while (atomic_flag_test_and_set_explicit(&g_lock, memory_order_acquire)) {
        if (++spins >= 64) {
            sched_yield();
            spins = 0;
        }
    }
}

static void unlock_state(void)
{
    atomic_flag_clear_explicit(&g_lock, memory_order_release);
}

static bool random_bytes(void *out, size_t len)
{
#if defined(__linux__)
    uint8_t *dst = out;
    while (len > 0) {
        ssize_t got = getrandom(dst, len, GRND_NONBLOCK);
        if (got <= 0)
            break;
        dst += got;
        len -= (size_t)got;
    }
    if (len == 0)
        return true;
    out = dst;
#endif
    FILE *file = fopen("/dev/urandom", "rb");
    if (file == NULL)
        return false;
    size_t got = fread(out, 1, len, file);
    fclose(file);
    return got == len;
}

static uint64_t random_seed(void)
{
    uint64_t seed;
    if (!random_bytes(&seed, sizeof seed)) {
        /* No entropy source: mix what differs between processes and runs. */
        uint64_t local;
        seed = reel_hash_u64((uint64_t)reel_clock_wall_ns());
        seed = reel_hash_u64(seed ^ reel_clock_monotonic_ns());
        seed = reel_hash_u64(seed ^ (uint64_t)getpid());
        seed = reel_hash_u64(seed ^ (uint64_t)(uintptr_t)&local);
    }
    return seed & ~(UINT64_C(1) << 63);
}

static void init_slow(void)
{
    /* The clocks are read before taking the lock; if two threads race here, the first to
     * take the lock installs its values and the other's are dropped. */
    uint64_t wall = (uint64_t)reel_clock_wall_ns();
    uint64_t monotonic = reel_clock_monotonic_ns();
    lock_state();
    if (!atomic_load_explicit(&g_ready, memory_order_relaxed)) {
        g_wall_at_start_ns = wall;
        g_monotonic_at_start_ns = monotonic;
        atomic_store_explicit(&g_ready, true, memory_order_release);
    }
    unlock_state();
}

/* Per thread, as Rerun's: no lock and no atomic per id (a log call makes one). */
static _Thread_local uint64_t t_last_time_ns, t_inc;
static _Thread_local bool t_ready;

reel_tuid reel_tuid_new(void)
{
    if (!atomic_load_explicit(&g_ready, memory_order_acquire))
        init_slow();
    if (!t_ready) {
        t_inc = random_seed();
        t_ready = true;
    }
    uint64_t now = g_wall_at_start_ns + (reel_clock_monotonic_ns() - g_monotonic_at_start_ns);
    if (now < t_last_time_ns)
        now = t_last_time_ns;
    t_last_time_ns = now;
    return (reel_tuid){now, ++t_inc};
}

int reel_tuid_compare(reel_tuid a, reel_tuid b)
{
    if (a.time_ns != b.time_ns)
        return a.time_ns < b.time_ns ? -1 : 1;
    if (a.inc != b.inc)
        return a.inc < b.inc ? -1 : 1;
    return 0;
}

static void store_u64be(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static uint64_t load_u64be(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

void reel_tuid_to_bytes(reel_tuid id, uint8_t out[16])
{
    store_u64be(out, id.time_ns);
    store_u64be(out + 8, id.inc);
}

reel_tuid reel_tuid_from_bytes(const uint8_t in[16])
{
    reel_tuid id = {load_u64be(in), load_u64be(in + 8)};
    return id;
}

void reel_tuid_format(reel_tuid id, const char *prefix, char *out, size_t out_size)
{
    if (out == NULL || out_size == 0)
        return;
    snprintf(out, out_size, "%s%016" PRIX64 "%016" PRIx64, prefix != NULL ? prefix : "", id.time_ns,
             id.inc);
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Copies up to 64 bytes of untrusted text into quoted, printable form for messages. */
static void quote_excerpt(const char *text, size_t len, char *out, size_t out_size)
{
    size_t shown = len > 64 ? 64 : len;
    size_t at = 0;
    for (size_t i = 0; i < shown && at + 1 < out_size; i++) {
        char c = text[i];
        out[at++] = (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    const char *ellipsis = shown < len ? "..." : "";
    for (size_t i = 0; ellipsis[i] != '\0' && at + 1 < out_size; i++)
        out[at++] = ellipsis[i];
    out[at] = '\0';
}

reel_status reel_tuid_parse(const char *text, size_t len, reel_tuid *out, reel_error *err)
{
    if (text == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "TUID text is NULL");
    char shown[72];
    quote_excerpt(text, len, shown, sizeof shown);

    /* Optional "<letters>_" prefix. Hex digits never contain '_', so the first '_' is
     * where a prefix would end. */
    size_t start = 0;
    const char *underscore = memchr(text, '_', len);
    if (underscore != NULL) {
        size_t prefix_len = (size_t)(underscore - text);
        if (prefix_len == 0)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "invalid TUID \"%s\": empty prefix before '_'", shown);
        for (size_t i = 0; i < prefix_len; i++) {
            if (!is_letter(text[i]))
                return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                      "invalid TUID \"%s\": prefix may only hold letters, "
                                      "found byte 0x%02X at offset %zu",
                                      shown, (unsigned)(unsigned char)text[i], i);
        }
        start = prefix_len + 1;
    }

    size_t digits = len - start;
    if (digits != 32)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "invalid TUID \"%s\": expected 32 hex digits%s, found %zu characters",
                              shown, start != 0 ? " after the prefix" : "", digits);
    uint64_t halves[2] = {0, 0};
    for (size_t i = 0; i < 32; i++) {
        int v = reel_hex_digit(text[start + i]);
        if (v < 0)
            return reel_error_set(
                err, REEL_INVALID_ARGUMENT,
                "invalid TUID \"%s\": byte 0x%02X at offset %zu is not a hex digit", shown,
                (unsigned)(unsigned char)text[start + i], start + i);
        halves[i / 16] = halves[i / 16] << 4 | (uint64_t)v;
    }
    if (out != NULL) {
        out->time_ns = halves[0];
        out->inc = halves[1];
    }
    return REEL_OK;
}
