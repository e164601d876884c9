/* The .rrd file sink and the standard-output sink: an rrd writer over a file descriptor,
 * buffered here (64 KiB) so that each message is not a system call. A piece of 64 KiB or
 * more (an image's pixels, which the writer passes by reference) is not buffered: it goes
 * out with what is pending in one writev, straight from the chunk. Write errors (a full
 * disk, a closed pipe) are REEL_IO errors for the batcher to report; after one, the sink
 * drops further messages with the same error. SIGPIPE: writes happen on the batcher thread,
 * which blocks SIGPIPE; sdk_write_fd consumes a SIGPIPE its write raised, so the host's
 * handler never sees it and its disposition is never changed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "sdk/sdk_internal.h"

#define FILE_SINK_BUFFER (64u << 10)

typedef struct fd_sink {
    reel_sink base;
    char name[300];
    int fd;
    bool owns_fd;
    reel_buf pending;
    reel_rrd_writer *writer;
    reel_error failed; /* status != OK after the first write error */
} fd_sink;

/* The error of a write that returned n <= 0 (errno set when n < 0). */
static reel_status write_failed(ssize_t n, reel_error *err)
{
    int code = n < 0 ? errno : 0;
    if (code == EPIPE) {
        /* Consume the SIGPIPE this write raised on this thread (blocked here). */
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE) {
        }
    }
    return reel_error_set(err, REEL_IO, "write failed: %s",
                          code ? strerror(code) : "wrote nothing");
}

reel_status sdk_write_fd(int fd, const uint8_t *data, size_t len, reel_error *err)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return write_failed(n, err);
        data += n;
        len -= (size_t)n;
    }
    return REEL_OK;
}

/* `first` then `second` in as few system calls as the kernel allows. */
static reel_status write_two(int fd, const uint8_t *first, size_t first_len, const uint8_t *second,
                             size_t second_len, reel_error *err)
{
    while (first_len > 0) {
        struct iovec parts[2] = {{(void *)first, first_len}, {(void *)second, second_len}};
        ssize_t n = writev(fd, parts, 2);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return write_failed(n, err);
        size_t done = (size_t)n;
        if (done >= first_len) {
            done -= first_len;
            first_len = 0;
            second += done;
            second_len -= done;
        } else {
            first += done;
            first_len -= done;
        }
    }
    return sdk_write_fd(fd, second, second_len, err);
}

static reel_status drain(fd_sink *sink, reel_error *err)
{
    if (sink->pending.len == 0)
        return REEL_OK;
    reel_status status = sdk_write_fd(sink->fd, sink->pending.data, sink->pending.len, err);
    reel_buf_clear(&sink->pending);
    return status;
}

static reel_status fd_sink_bytes(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    fd_sink *sink = ctx;
    if (len >= FILE_SINK_BUFFER) {
        reel_status status =
            write_two(sink->fd, sink->pending.data, sink->pending.len, data, len, err);
        reel_buf_clear(&sink->pending);
        return status;
    }
    if (reel_buf_append(&sink->pending, data, len) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory buffering %zu bytes", len);
    return sink->pending.len >= FILE_SINK_BUFFER ? drain(sink, err) : REEL_OK;
}

static reel_status fd_sink_bytes_flush(void *ctx, reel_error *err)
{
    return drain(ctx, err);
}

static reel_status fail(fd_sink *sink, reel_status status, reel_error *err)
{
    if (sink->failed.status == REEL_OK && err != NULL)
        sink->failed = *err;
    return status;
}

static reel_status fd_sink_write(reel_sink *base, const reel_rrd_message *msg, reel_error *err)
{
    fd_sink *sink = (fd_sink *)base;
    if (sink->failed.status != REEL_OK) {
        if (err != NULL)
            *err = sink->failed;
        return sink->failed.status;
    }
    reel_status status = REEL_OK;
    switch (msg->kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        status = reel_rrd_writer_write_store_info(sink->writer, &msg->store_info, err);
        break;
    case REEL_RRD_MESSAGE_ARROW_MSG:
        status = reel_rrd_writer_write_chunk(sink->writer, &msg->store_id, msg->arrow.chunk, err);
        break;
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        status = reel_rrd_writer_write_blueprint_activation(sink->writer, &msg->store_id,
                                                            msg->activation.make_active,
                                                            msg->activation.make_default, err);
        break;
    default:
        status = reel_error_set(err, REEL_INVALID_ARGUMENT, "message kind %d not writable",
                                (int)msg->kind);
        break;
    }
    return status == REEL_OK ? REEL_OK : fail(sink, status, err);
}

static reel_status fd_sink_flush(reel_sink *base, uint64_t timeout_ms, reel_error *err)
{
    (void)timeout_ms;
    fd_sink *sink = (fd_sink *)base;
    if (sink->failed.status != REEL_OK) {
        if (err != NULL)
            *err = sink->failed;
        return sink->failed.status;
    }
    reel_status status = drain(sink, err);
    return status == REEL_OK ? REEL_OK : fail(sink, status, err);
}

static reel_status fd_sink_close(reel_sink *base, reel_error *err)
{
    fd_sink *sink = (fd_sink *)base;
    reel_status status = REEL_OK;
    if (sink->failed.status == REEL_OK)
        status = reel_rrd_writer_finish(sink->writer, err); /* footer, then our flush */
    if (status == REEL_OK && sink->failed.status == REEL_OK)
        status = drain(sink, err);
    reel_rrd_writer_destroy(sink->writer);
    if (sink->owns_fd && close(sink->fd) != 0 && status == REEL_OK)
        status = reel_error_set(err, REEL_IO, "close failed: %s", strerror(errno));
    reel_buf_free(&sink->pending);
    reel_free(NULL, sink, sizeof *sink);
    return status;
}

static const reel_sink_vtable fd_sink_vtable = {fd_sink_write, fd_sink_flush, fd_sink_close};

static reel_status fd_sink_create(int fd, bool owns_fd, const char *name, reel_sink **out,
                                  reel_error *err)
{
    fd_sink *sink = reel_alloc_zeroed(NULL, sizeof *sink);
    if (sink == NULL) {
        if (owns_fd)
            close(fd);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    sink->base.vtable = &fd_sink_vtable;
    snprintf(sink->name, sizeof sink->name, "%s", name);
    sink->base.name = sink->name;
    sink->fd = fd, sink->owns_fd = owns_fd;
    reel_rrd_sink bytes = {fd_sink_bytes, fd_sink_bytes_flush, sink};
    reel_rrd_writer_options options = {.name = sink->name};
    reel_status status = reel_rrd_writer_create(&bytes, &options, &sink->writer, err);
    if (status != REEL_OK) {
        reel_buf_free(&sink->pending);
        if (owns_fd)
            close(fd);
        reel_free(NULL, sink, sizeof *sink);
        return status;
    }
    *out = &sink->base;
    return REEL_OK;
}

reel_status sdk_sink_file_create(const char *path, reel_sink **out, reel_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return reel_error_set(err, REEL_IO, "%s: cannot open for writing: %s", path,
                              strerror(errno));
    char name[300];
    snprintf(name, sizeof name, "file %s", path);
    return fd_sink_create(fd, true, name, out, err);
}

reel_status sdk_sink_stdout_create(reel_sink **out, reel_error *err)
{
    return fd_sink_create(STDOUT_FILENO, false, "stdout", out, err);
}
