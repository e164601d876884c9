/* Tests for the process-wide logger: REEL_LOG read lazily on first use, level filtering,
 * the callback receiving formatted messages with level and module, truncation of long
 * messages, the default stderr format, and concurrent logging from several threads. */
#define _POSIX_C_SOURCE 200809L /* setenv, dup, dup2, fileno */

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "test.h"

typedef struct captured {
    int calls;
    reel_log_level level;
    char module[32];
    char message[2048];
} captured;

static void capture(void *ctx, reel_log_level level, const char *module, const char *message)
{
    captured *c = ctx;
    c->calls++;
    c->level = level;
    snprintf(c->module, sizeof c->module, "%s", module);
    snprintf(c->message, sizeof c->message, "%s", message);
}

TEST(env_sets_initial_level)
{
    /* main() set REEL_LOG=debug before anything logged. */
    CHECK_EQ_INT(reel_log_get_level(), REEL_LOG_DEBUG);
    CHECK(reel_log_enabled(REEL_LOG_DEBUG));
    CHECK(!reel_log_enabled(REEL_LOG_TRACE));
    /* Read once: changing the environment later has no effect. */
    setenv("REEL_LOG", "error", 1);
    CHECK_EQ_INT(reel_log_get_level(), REEL_LOG_DEBUG);
}

TEST(callback_receives_formatted_messages)
{
    captured c = {0};
    reel_log_set_callback(capture, &c);
    reel_log_set_level(REEL_LOG_INFO);

    reel_log(REEL_LOG_WARN, "arrow", "bad buffer %d of %s", 3, "points");
    CHECK_EQ_INT(c.calls, 1);
    CHECK_EQ_INT(c.level, REEL_LOG_WARN);
    CHECK_EQ_STR(c.module, "arrow");
    CHECK_EQ_STR(c.message, "bad buffer 3 of points");

    reel_log(REEL_LOG_INFO, NULL, "no module");
    CHECK_EQ_INT(c.calls, 2);
    CHECK_EQ_STR(c.module, "");
    CHECK_EQ_STR(c.message, "no module");

    /* Below the level: not delivered. */
    reel_log(REEL_LOG_DEBUG, "arrow", "hidden");
    reel_log(REEL_LOG_TRACE, "arrow", "hidden");
    CHECK_EQ_INT(c.calls, 2);
    CHECK_EQ_STR(c.message, "no module");

    reel_log_set_level(REEL_LOG_ERROR);
    CHECK_EQ_INT(reel_log_get_level(), REEL_LOG_ERROR);
    CHECK(!reel_log_enabled(REEL_LOG_WARN));
    CHECK(reel_log_enabled(REEL_LOG_ERROR));
    reel_log(REEL_LOG_WARN, "x", "hidden");
    reel_log(REEL_LOG_ERROR, "x", "shown");
    CHECK_EQ_INT(c.calls, 3);
    CHECK_EQ_INT(c.level, REEL_LOG_ERROR);

    reel_log_set_level(REEL_LOG_OFF);
    CHECK(!reel_log_enabled(REEL_LOG_ERROR));
    CHECK(!reel_log_enabled(REEL_LOG_OFF));
    reel_log(REEL_LOG_ERROR, "x", "hidden");
    CHECK_EQ_INT(c.calls, 3);

    reel_log_set_level(REEL_LOG_TRACE);
    reel_log(REEL_LOG_TRACE, "x", "trace shown");
    CHECK_EQ_INT(c.calls, 4);
    CHECK_EQ_STR(c.message, "trace shown");
    /* OFF is a level, not a message severity. */
    reel_log(REEL_LOG_OFF, "x", "never");
    CHECK_EQ_INT(c.calls, 4);

    reel_log_set_callback(NULL, NULL);
}

TEST(long_messages_are_truncated)
{
    captured c = {0};
    reel_log_set_callback(capture, &c);
    reel_log_set_level(REEL_LOG_INFO);
    char big[3000];
    memset(big, 'L', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    reel_log(REEL_LOG_INFO, "m", "%s", big);
    CHECK_EQ_INT(c.calls, 1);
    CHECK_EQ_INT(strlen(c.message), 1023);

    /* Cut at a UTF-8 boundary: 1 + 3 * 340 = 1021 bytes fit, the 341st character not. */
    char utf8[3000] = "a";
    for (int i = 0; i < 900; i++)
        strcat(utf8, "\xE2\x82\xAC");
    reel_log(REEL_LOG_INFO, "m", "%s", utf8);
    CHECK_EQ_INT(strlen(c.message), 1021);
    reel_log_set_callback(NULL, NULL);
}

TEST(level_names)
{
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_TRACE), "trace");
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_DEBUG), "debug");
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_INFO), "info");
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_WARN), "warn");
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_ERROR), "error");
    CHECK_EQ_STR(reel_log_level_name(REEL_LOG_OFF), "off");
    CHECK(reel_log_level_name((reel_log_level)42) != NULL);
}

TEST(default_sink_writes_stderr)
{
    /* Point fd 2 at a temporary file, log through the default sink, and read it back. */
    FILE *capture_file = tmpfile();
    if (!CHECK(capture_file != NULL))
        return;
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(capture_file), 2);

    reel_log_set_callback(NULL, NULL);
    reel_log_set_level(REEL_LOG_WARN);
    reel_log(REEL_LOG_WARN, "arrow", "message %d", 1);
    reel_log(REEL_LOG_INFO, "arrow", "filtered");
    reel_log(REEL_LOG_ERROR, "", "no module");
    fflush(stderr);

    dup2(saved, 2);
    close(saved);
    char text[256] = "";
    rewind(capture_file);
    size_t got = fread(text, 1, sizeof text - 1, capture_file);
    text[got] = '\0';
    fclose(capture_file);
    CHECK_EQ_STR(text, "[reel warn arrow] message 1\n[reel error] no module\n");
}

enum { LOG_THREADS = 4, LOG_PER_THREAD = 20000 };

static atomic_int g_delivered;
static atomic_int g_malformed;

static void counting_sink(void *ctx, reel_log_level level, const char *module, const char *message)
{
    (void)ctx;
    (void)level;
    int thread, index;
    if (strcmp(module, "mt") != 0 || sscanf(message, "thread %d message %d", &thread, &index) != 2)
        atomic_fetch_add(&g_malformed, 1);
    atomic_fetch_add(&g_delivered, 1);
}

static void log_worker(void *arg)
{
    int thread = (int)(intptr_t)arg;
    for (int i = 0; i < LOG_PER_THREAD; i++)
        reel_log(REEL_LOG_INFO, "mt", "thread %d message %d", thread, i);
}

TEST(concurrent_logging)
{
    reel_log_set_level(REEL_LOG_INFO);
    reel_log_set_callback(counting_sink, NULL);
    reel_thread threads[LOG_THREADS];
    for (int i = 0; i < LOG_THREADS; i++)
        CHECK_OK(reel_thread_start(&threads[i], log_worker, (void *)(intptr_t)i, NULL));
    /* Re-install the same callback while others log: readers never see a torn pair. */
    for (int i = 0; i < 1000; i++)
        reel_log_set_callback(counting_sink, NULL);
    for (int i = 0; i < LOG_THREADS; i++)
        reel_thread_join(&threads[i]);
    CHECK_EQ_INT(atomic_load(&g_delivered), LOG_THREADS * LOG_PER_THREAD);
    CHECK_EQ_INT(atomic_load(&g_malformed), 0);
    reel_log_set_callback(NULL, NULL);
}

int main(void)
{
    setenv("REEL_LOG", "DeBuG", 1); /* case-insensitive */
    RUN(env_sets_initial_level);
    RUN(callback_receives_formatted_messages);
    RUN(long_messages_are_truncated);
    RUN(level_names);
    RUN(default_sink_writes_stderr);
    RUN(concurrent_logging);
    TEST_MAIN_END();
}
