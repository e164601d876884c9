/* Choosing where a recording goes: reel_set_sinks and its one-sink shorthands, the gRPC hook
 * and reel_spawn. Sinks are created on the calling thread (so an unopenable file is the
 * call's error) and handed to the batcher as a command in the queue, so rows logged before
 * the call go to the old sinks and rows after it to the new ones.
 *
 * The gRPC sink lives in sink_grpc.c (over the net module's client). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID: the spawned server gets its own session */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sdk/sdk_internal.h"

extern char **environ;

#define DEFAULT_GRPC_URL "rerun+http://127.0.0.1:9876/proxy"

static reel_status create_grpc_sink(const char *url, reel_sink **out, reel_error *err)
{
    reel_sink_grpc_options options = {.url = url ? url : DEFAULT_GRPC_URL, .compress = true};
    return reel__sink_grpc_create(&options, out, err);
}

reel_status reel_set_sinks(reel_recording *rec, const reel_sink_spec *specs, size_t n_sinks,
                           reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    static const char call[] = "reel_set_sinks";
    rec = sdk_resolve(rec);
    if (rec == NULL || (specs == NULL && n_sinks > 0) || n_sinks > 64) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "no recording, or bad sink list");
        return sdk_fail(call, err);
    }
    reel_error local = {0};
    reel_error *e = err ? err : &local;
    sdk_item *item = reel_alloc_zeroed(NULL, sizeof *item);
    reel_sink **sinks = reel_alloc_zeroed(NULL, (n_sinks ? n_sinks : 1) * sizeof *sinks);
    if (item == NULL || sinks == NULL) {
        reel_free(NULL, item, sizeof *item);
        reel_free(NULL, sinks, (n_sinks ? n_sinks : 1) * sizeof *sinks);
        reel_error_set(e, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail(call, e);
    }
    item->kind = SDK_ITEM_SET_SINKS;
    item->sinks = sinks;
    reel_status status = REEL_OK;
    for (size_t i = 0; i < n_sinks && status == REEL_OK; i++) {
        const reel_sink_spec *spec = &specs[i];
        switch (spec->kind) {
        case REEL_SINK_FILE:
            status = spec->path
                         ? sdk_sink_file_create(spec->path, &sinks[i], e)
                         : reel_error_set(e, REEL_INVALID_ARGUMENT, "file sink without path");
            break;
        case REEL_SINK_STDOUT:
            status = sdk_sink_stdout_create(&sinks[i], e);
            break;
        case REEL_SINK_MEMORY:
            status = spec->memory ? sdk_sink_memory_create(spec->memory, &sinks[i], e)
                                  : reel_error_set(e, REEL_INVALID_ARGUMENT,
                                                   "memory sink without a reel_memory_sink");
            break;
        case REEL_SINK_GRPC:
            status = create_grpc_sink(spec->url, &sinks[i], e);
            item->network = true;
            break;
        default:
            status =
                reel_error_set(e, REEL_INVALID_ARGUMENT, "sink kind %d unknown", (int)spec->kind);
            break;
        }
        if (status == REEL_OK)
            item->n_sinks = i + 1;
    }
    if (status != REEL_OK) {
        reel_free(NULL, item->sinks, (n_sinks ? n_sinks : 1) * sizeof *sinks);
        item->sinks = NULL;
        for (size_t i = 0; i < item->n_sinks; i++)
            reel__sink_close(sinks[i], NULL);
        item->n_sinks = 0;
        sdk_item_free(item);
        return sdk_fail(call, e);
    }
    /* sdk_item_free frees `sinks` by n_sinks; keep the allocation exact. */
    if (n_sinks == 0) {
        reel_free(NULL, item->sinks, sizeof *sinks);
        item->sinks = NULL;
    }
    if (sdk_enqueue(rec, item, e) != REEL_OK)
        return sdk_fail(call, e);
    return REEL_OK;
}

reel_status reel_save(reel_recording *rec, const char *path, reel_error *err)
{
    reel_sink_spec spec = {.kind = REEL_SINK_FILE, .path = path};
    return reel_set_sinks(rec, &spec, 1, err);
}

reel_status reel_stdout(reel_recording *rec, reel_error *err)
{
    reel_sink_spec spec = {.kind = REEL_SINK_STDOUT};
    return reel_set_sinks(rec, &spec, 1, err);
}

reel_status reel_memory(reel_recording *rec, reel_memory_sink *memory, reel_error *err)
{
    reel_sink_spec spec = {.kind = REEL_SINK_MEMORY, .memory = memory};
    return reel_set_sinks(rec, &spec, 1, err);
}

reel_status reel_connect_grpc(reel_recording *rec, const char *url, reel_error *err)
{
    reel_sink_spec spec = {.kind = REEL_SINK_GRPC, .url = url};
    return reel_set_sinks(rec, &spec, 1, err);
}

/* ---------------------------------------------------------------- spawn */

static bool port_answers(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    close(fd);
    return ok;
}

reel_status reel_spawn(reel_recording *rec, const reel_spawn_options *options, reel_error *err)
{
    /* Errors are reported (status, log) even when the caller passes no reel_error. */
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    static const char call[] = "reel_spawn";
    reel_spawn_options defaults = {0};
    if (options == NULL)
        options = &defaults;
    uint16_t port = options->port ? options->port : 9876;
    if (!port_answers(port)) {
        const char *exe = options->executable;
        if (exe == NULL)
            exe = getenv("REEL_BIN");
        if (exe == NULL || *exe == '\0')
            exe = "reel";
        char port_text[16];
        snprintf(port_text, sizeof port_text, "%u", (unsigned)port);
        char *argv[] = {(char *)exe, "serve", "--port", port_text, NULL};
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attr;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        posix_spawnattr_init(&attr);
#ifdef POSIX_SPAWN_SETSID
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
#endif
        pid_t pid;
        int rc = posix_spawnp(&pid, exe, &actions, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            reel_error_set(err, REEL_IO, "spawn: cannot start %s serve --port %u: %s", exe,
                           (unsigned)port, strerror(rc));
            return sdk_fail(call, err);
        }
        double wait = options->wait_secs > 0 ? options->wait_secs : 5.0;
        uint64_t deadline = reel_clock_monotonic_ns() + (uint64_t)(wait * 1e9);
        while (!port_answers(port)) {
            if (reel_clock_monotonic_ns() >= deadline) {
                reel_error_set(err, REEL_TIMEOUT,
                               "spawn: %s started but port %u did not answer "
                               "within %.1f s",
                               exe, (unsigned)port, wait);
                return sdk_fail(call, err);
            }
            struct timespec pause = {0, 20 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    char url[64];
    snprintf(url, sizeof url, "rerun+http://127.0.0.1:%u/proxy", (unsigned)port);
    return reel_connect_grpc(rec, url, err);
}

reel_status reel_send_blueprint_activation(reel_recording *rec, bool make_active, bool make_default,
                                           reel_error *err)
{
    reel_error local_err = {0};
    if (err == NULL)
        err = &local_err;
    rec = sdk_resolve(rec);
    if (rec == NULL || rec->kind != REEL_BLUEPRINT) {
        reel_error_set(err, REEL_INVALID_ARGUMENT, "not a blueprint stream");
        return sdk_fail("reel_send_blueprint_activation", err);
    }
    sdk_item *item = reel_alloc_zeroed(NULL, sizeof *item);
    if (item == NULL) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        return sdk_fail("reel_send_blueprint_activation", err);
    }
    item->kind = SDK_ITEM_ACTIVATION;
    item->make_active = make_active;
    item->make_default = make_default;
    if (sdk_enqueue(rec, item, err) != REEL_OK)
        return sdk_fail("reel_send_blueprint_activation", err);
    return REEL_OK;
}
