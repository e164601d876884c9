/* The process-wide logger: one callback and one level, both held in atomics so any thread
 * may log or reconfigure at any time. Messages are formatted into a 1 KiB stack buffer
 * (longer ones are cut at a UTF-8 boundary); the default sink prints WARN and above to
 * stderr, and REEL_LOG in the environment sets the initial level on first use. */
#define _POSIX_C_SOURCE 200809L

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define LOG_MESSAGE_MAX 1024
#define LOG_LEVEL_UNSET (-1)

/* The callback and its context must be read as a pair, so they sit behind a sequence
 * lock: writers (rare) serialise on a spin flag and bump the sequence to odd while
 * writing; readers retry until they see the same even sequence before and after. */
static atomic_flag g_writer_lock = ATOMIC_FLAG_INIT;
static atomic_uint g_sequence;
static _Atomic(reel_log_fn) g_callback;
static _Atomic(void *) g_callback_ctx;
static atomic_int g_level = LOG_LEVEL_UNSET;

static void default_sink(void *ctx, reel_log_level level, const char *module, const char *message)
{
    (void)ctx;
    /* One fprintf call, so lines from different threads do not interleave. */
    if (module != NULL && module[0] != '\0')
        fprintf(stderr, "[reel %s %s] %s\n", reel_log_level_name(level), module, message);
    else
        fprintf(stderr, "[reel %s] %s\n", reel_log_level_name(level), message);
}

void reel_log_set_callback(reel_log_fn fn, void *ctx)
{
    while (atomic_flag_test_and_set_explicit(&g_writer_lock, memory_order_acquire)) {
    }
    unsigned seq = atomic_load_explicit(&g_sequence, memory_order_relaxed);
    atomic_store_explicit(&g_sequence, seq + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&g_callback, fn, memory_order_relaxed);
    atomic_store_explicit(&g_callback_ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&g_sequence, seq + 2, memory_order_release);
    atomic_flag_clear_explicit(&g_writer_lock, memory_order_release);
}

static void load_callback(reel_log_fn *fn, void **ctx)
{
    for (;;) {
        unsigned before = atomic_load_explicit(&g_sequence, memory_order_acquire);
        if (before & 1u)
            continue;
        *fn = atomic_load_explicit(&g_callback, memory_order_relaxed);
        *ctx = atomic_load_explicit(&g_callback_ctx, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&g_sequence, memory_order_relaxed) == before)
            return;
    }
}

/* Case-insensitive match of text against a lower-case word. */
static bool word_equal(const char *text, const char *word)
{
    for (; *word != '\0'; text++, word++) {
        char c = *text;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *word)
            return false;
    }
    return *text == '\0';
}

static reel_log_level level_from_env(void)
{
    const char *text = getenv("REEL_LOG");
    if (text == NULL)
        return REEL_LOG_WARN;
    static const struct {
        const char *word;
        reel_log_level level;
    } words[] = {
        {"trace", REEL_LOG_TRACE}, {"debug", REEL_LOG_DEBUG},  {"info", REEL_LOG_INFO},
        {"warn", REEL_LOG_WARN},   {"warning", REEL_LOG_WARN}, {"error", REEL_LOG_ERROR},
        {"off", REEL_LOG_OFF},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word_equal(text, words[i].word))
            return words[i].level;
    }
    return REEL_LOG_WARN;
}

void reel_log_set_level(reel_log_level level)
{
    if ((int)level < REEL_LOG_TRACE)
        level = REEL_LOG_TRACE;
    if ((int)level > REEL_LOG_OFF)
        level = REEL_LOG_OFF;
    atomic_store_explicit(&g_level, (int)level, memory_order_relaxed);
}

reel_log_level reel_log_get_level(void)
{
    int level = atomic_load_explicit(&g_level, memory_order_relaxed);
    if (level != LOG_LEVEL_UNSET)
        return (reel_log_level)level;
    /* First use: read REEL_LOG once. An explicit reel_log_set_level that raced ahead of
     * us wins, because the exchange only replaces the unset marker. */
    int expected = LOG_LEVEL_UNSET;
    int from_env = (int)level_from_env();
    if (atomic_compare_exchange_strong_explicit(&g_level, &expected, from_env, memory_order_relaxed,
                                                memory_order_relaxed))
        return (reel_log_level)from_env;
    return (reel_log_level)expected;
}

bool reel_log_enabled(reel_log_level level)
{
    return level < REEL_LOG_OFF && level >= reel_log_get_level();
}

void reel_log(reel_log_level level, const char *module, const char *fmt, ...)
{
    if (!reel_log_enabled(level))
        return;
    char message[LOG_MESSAGE_MAX];
    message[0] = '\0';
    if (fmt != NULL) {
        va_list args;
        va_start(args, fmt);
        int written = vsnprintf(message, sizeof message, fmt, args);
        va_end(args);
        if (written < 0) {
            message[0] = '\0';
        } else if ((size_t)written >= sizeof message) {
            message[reel__utf8_trim_partial(message, sizeof message - 1)] = '\0';
        }
    }
    reel_log_fn fn;
    void *ctx;
    load_callback(&fn, &ctx);
    if (fn == NULL) {
        fn = default_sink;
        ctx = NULL;
    }
    fn(ctx, level, module != NULL ? module : "", message);
}

const char *reel_log_level_name(reel_log_level level)
{
    switch (level) {
    case REEL_LOG_TRACE:
        return "trace";
    case REEL_LOG_DEBUG:
        return "debug";
    case REEL_LOG_INFO:
        return "info";
    case REEL_LOG_WARN:
        return "warn";
    case REEL_LOG_ERROR:
        return "error";
    case REEL_LOG_OFF:
        return "off";
    }
    return "unknown";
}
