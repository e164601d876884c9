/* Reading whole .rrd inputs (files, pipes, standard input) through the incremental
 * decoder, in pieces as large as the decoder asks for, so memory stays bounded by the
 * largest message: every message, and every bad message's error, goes to one callback.
 * (Mapping the file and decoding in place was tried: no faster while protobuf-c copies
 * each payload, and the mapped pages inflate the resident size; see bench/RESULTS.md.) */
#include <errno.h>
#include <string.h>

#include "rrd_internal.h"

/* Delivers every message the decoder can produce from what it has now. Stops early only
 * when the callback says so (its status is returned) or the decoder has stopped. */
static reel_status drain(reel_rrd_decoder *d, reel_rrd_message_fn fn, void *ctx)
{
    for (;;) {
        reel_rrd_message msg = {0};
        reel_error msg_error = {0};
        bool got = false;
        reel_status msg_status = reel_rrd_decoder_next(d, &msg, &got, &msg_error);
        reel_status status = REEL_OK;
        if (msg_status != REEL_OK) {
            if (reel__rrd_decoder_stopped(d))
                return REEL_OK; /* fatal: finish reports it */
            status = fn(ctx, NULL, &msg_error); /* a bad message: go on after it */
        } else if (got) {
            status = fn(ctx, &msg, NULL);
        }
        reel_rrd_message_reset(&msg);
        if (status != REEL_OK)
            return status;
        if (msg_status == REEL_OK && !got)
            return REEL_OK;
    }
}

reel_status reel_rrd_read_file(FILE *file, const reel_rrd_decoder_options *options,
                               reel_rrd_message_fn fn, void *ctx, reel_error *err)
{
    reel_rrd_decoder_options opts = reel__rrd_decoder_options_resolve(options);
    const char *name = opts.name != NULL ? opts.name : "<stream>";
    reel_rrd_decoder *d = NULL;
    REEL_TRY(reel_rrd_decoder_create(&opts, &d, err));
    reel_buf piece;
    reel_buf_init(&piece, opts.alloc);
    reel_status status = REEL_OK;
    bool eof = false;
    while (status == REEL_OK && !eof && !reel__rrd_decoder_stopped(d)) {
        /* Read what the decoder needs (at least 256 KiB), so memory stays bounded by the
         * largest message. */
        uint64_t need = reel_rrd_decoder_bytes_needed(d);
        size_t want = need > ((size_t)256 << 10) ? (size_t)need : (size_t)256 << 10;
        reel_buf_clear(&piece);
        uint8_t *dst = reel_buf_extend(&piece, want);
        if (dst == NULL) {
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", name);
            break;
        }
        size_t got_bytes = fread(dst, 1, want, file);
        if (got_bytes < want) {
            if (ferror(file)) {
                status = reel_error_set(err, REEL_IO, "%s: read error: %s", name, strerror(errno));
                break;
            }
            eof = true;
        }
        status = reel_rrd_decoder_push(d, dst, got_bytes, err);
        if (status == REEL_OK)
            status = drain(d, fn, ctx);
    }
    if (status == REEL_OK)
        status = reel_rrd_decoder_finish(d, err);
    reel_rrd_decoder_destroy(d);
    reel_buf_free(&piece);
    return status;
}

reel_status reel_rrd_read_path(const char *path, const reel_rrd_decoder_options *options,
                               reel_rrd_message_fn fn, void *ctx, reel_error *err)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return reel_error_set(err, REEL_IO, "%s: %s", path, strerror(errno));
    reel_rrd_decoder_options opts = reel__rrd_decoder_options_resolve(options);
    if (opts.name == NULL)
        opts.name = path;
    reel_status status = reel_rrd_read_file(file, &opts, fn, ctx, err);
    fclose(file);
    return status;
}
