/* The streaming .rrd writer: frames each message (MessageHeader + protobuf payload) into one
 * reused buffer and hands it to a byte sink (an ArrowMsg in pieces, its chunk's large
 * buffers by reference: see reel_rrd_writer_write_chunk and rrd_codec.c), keeps one manifest
 * builder per store, and at finish writes End + RrdFooter + StreamFooter as rerun-sdk 0.41 does.
 * Also the stock sinks (FILE*, file descriptor, reel_buf). A sink error sticks: later calls report
 * it again. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rrd_internal.h"

struct reel_rrd_writer {
    reel_rrd_sink sink;
    const reel_allocator *alloc;
    char *name;
    reel_rrd_compression compression;
    bool no_footer;
    uint8_t version[4];
    FILE *owned_file; /* create_path: closed by finish or destroy */
    uint64_t written;
    reel_buf frame; /* MessageHeader + payload of the message being written */
    reel_buf tail;  /* what follows an ArrowMsg's Arrow payload (fields 6-7) */
    reel__rrd_pieces pieces;
    reel_vec manifests; /* reel__rrd_manifest_builder *, one per store with chunks */
    reel_error failure; /* sticky */
    bool finished;
};

/* ---------------------------------------------------------------- sinks */

static reel_status file_write(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    if (len > 0 && fwrite(data, 1, len, ctx) != len)
        return reel_error_set(err, REEL_IO, "write failed: %s",
                              errno ? strerror(errno) : "short write");
    return REEL_OK;
}

static reel_status file_flush(void *ctx, reel_error *err)
{
    if (fflush(ctx) != 0)
        return reel_error_set(err, REEL_IO, "flush failed: %s", strerror(errno));
    return REEL_OK;
}

static reel_status fd_write(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    int fd = (int)(intptr_t)ctx;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return reel_error_set(err, REEL_IO, "write failed: %s",
                                  n < 0 ? strerror(errno) : "wrote nothing");
        data += n;
        len -= (size_t)n;
    }
    return REEL_OK;
}

static reel_status buf_write(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    if (reel_buf_append(ctx, data, len) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory appending %zu bytes", len);
    return REEL_OK;
}

reel_rrd_sink reel_rrd_sink_file(FILE *file)
{
    return (reel_rrd_sink){file_write, file_flush, file};
}

reel_rrd_sink reel_rrd_sink_fd(int fd)
{
    return (reel_rrd_sink){fd_write, NULL, (void *)(intptr_t)fd};
}

reel_rrd_sink reel_rrd_sink_buf(reel_buf *buf)
{
    return (reel_rrd_sink){buf_write, NULL, buf};
}

/* ---------------------------------------------------------------- output */

static reel_status fail(reel_rrd_writer *w, reel_status status, reel_error *err)
{
    if (w->name != NULL)
        reel_error_prefix(err, "%s: ", w->name);
    if (err != NULL)
        w->failure = *err;
    else
        reel_error_set(&w->failure, status, "%s%s%s", w->name ? w->name : "", w->name ? ": " : "",
                       reel_status_text(status));
    return status;
}

static reel_status check_usable(reel_rrd_writer *w, reel_error *err)
{
    if (w->failure.status != REEL_OK) {
        if (err != NULL)
            *err = w->failure;
        return w->failure.status;
    }
    if (w->finished)
        return reel_error_set(err, REEL_CLOSED, "%s%swriter already finished",
                              w->name ? w->name : "", w->name ? ": " : "");
    return REEL_OK;
}

static reel_status emit(reel_rrd_writer *w, const uint8_t *data, size_t len, reel_error *err)
{
    reel_error local = {0};
    reel_status status = w->sink.write(w->sink.ctx, data, len, err ? err : &local);
    if (status != REEL_OK)
        return fail(w, status, err ? err : &local);
    w->written += len;
    return REEL_OK;
}

/* Starts a frame: 16 bytes for the MessageHeader, the payload is appended after. */
static reel_status frame_begin(reel_rrd_writer *w, reel_error *err)
{
    reel_buf_clear(&w->frame);
    if (reel_buf_append_zeros(&w->frame, REEL_RRD_MESSAGE_HEADER_SIZE) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    return REEL_OK;
}

static reel_status frame_emit(reel_rrd_writer *w, reel_rrd_message_kind kind, reel_error *err)
{
    reel_rrd_message_header_encode((uint64_t)kind, w->frame.len - REEL_RRD_MESSAGE_HEADER_SIZE,
                                   w->frame.data);
    return emit(w, w->frame.data, w->frame.len, err);
}

/* ---------------------------------------------------------------- lifecycle */

reel_status reel_rrd_writer_create(const reel_rrd_sink *sink,
                                   const reel_rrd_writer_options *options, reel_rrd_writer **out,
                                   reel_error *err)
{
    *out = NULL;
    reel_rrd_writer_options opts = {0};
    if (options != NULL)
        opts = *options;
    if (sink == NULL || sink->write == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "writer needs a sink with a write");
    if (opts.compression != REEL_RRD_COMPRESSION_DEFAULT &&
        opts.compression != REEL_RRD_COMPRESSION_NONE &&
        opts.compression != REEL_RRD_COMPRESSION_LZ4)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "unknown compression %d",
                              (int)opts.compression);
    reel_rrd_writer *w = reel_alloc_zeroed(opts.alloc, sizeof *w);
    if (w == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    w->sink = *sink;
    w->alloc = opts.alloc;
    w->compression = opts.compression;
    w->no_footer = opts.no_footer;
    reel__rrd_version_or_default(opts.version, w->version);
    reel_buf_init(&w->frame, opts.alloc);
    reel_buf_init(&w->tail, opts.alloc);
    reel_buf_init(&w->pieces.ipc, opts.alloc);
    reel_vec_init(&w->pieces.refs, sizeof(reel_ipc_ref), opts.alloc);
    reel_buf_init(&w->pieces.flat, opts.alloc);
    reel_buf_init(&w->pieces.compressed, opts.alloc);
    reel_vec_init(&w->manifests, sizeof(reel__rrd_manifest_builder *), opts.alloc);
    if (opts.name != NULL && (w->name = reel_strdup(opts.alloc, opts.name)) == NULL) {
        reel_rrd_writer_destroy(w);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    reel_rrd_stream_header header = {.compression = w->compression != REEL_RRD_COMPRESSION_NONE,
                                     .serializer = 2};
    memcpy(header.version, w->version, 4);
    uint8_t bytes[REEL_RRD_STREAM_HEADER_SIZE];
    reel_rrd_stream_header_encode(&header, bytes);
    reel_status status = emit(w, bytes, sizeof bytes, err);
    if (status != REEL_OK) {
        reel_rrd_writer_destroy(w);
        return status;
    }
    *out = w;
    return REEL_OK;
}

reel_status reel_rrd_writer_create_path(const char *path, const reel_rrd_writer_options *options,
                                        reel_rrd_writer **out, reel_error *err)
{
    *out = NULL;
    FILE *file = fopen(path, "wb");
    if (file == NULL)
        return reel_error_set(err, REEL_IO, "%s: %s", path, strerror(errno));
    reel_rrd_writer_options opts = {0};
    if (options != NULL)
        opts = *options;
    if (opts.name == NULL)
        opts.name = path;
    reel_rrd_sink sink = reel_rrd_sink_file(file);
    reel_status status = reel_rrd_writer_create(&sink, &opts, out, err);
    if (status != REEL_OK) {
        fclose(file);
        return status;
    }
    (*out)->owned_file = file;
    return REEL_OK;
}

void reel_rrd_writer_destroy(reel_rrd_writer *w)
{
    if (w == NULL)
        return;
    if (w->owned_file != NULL)
        fclose(w->owned_file);
    for (size_t i = 0; i < w->manifests.len; i++)
        reel__rrd_manifest_builder_destroy(
            REEL_VEC_AT(&w->manifests, reel__rrd_manifest_builder *, i));
    reel_vec_free(&w->manifests);
    reel_buf_free(&w->frame);
    reel_buf_free(&w->tail);
    reel__rrd_pieces_free(&w->pieces);
    reel_strfree(w->alloc, w->name);
    reel_free(w->alloc, w, sizeof *w);
}

uint64_t reel_rrd_writer_bytes_written(const reel_rrd_writer *w)
{
    return w->written;
}

/* ---------------------------------------------------------------- messages */

reel_status reel_rrd_writer_write_store_info(reel_rrd_writer *w, const reel_store_info *info,
                                             reel_error *err)
{
    REEL_TRY(check_usable(w, err));
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO, .store_info = *info};
    reel_rrd_encode_options options = {.alloc = w->alloc};
    memcpy(options.version, w->version, 4);
    REEL_TRY(frame_begin(w, err));
    REEL_TRY(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, &options, &w->frame, NULL, err));
    return frame_emit(w, REEL_RRD_MESSAGE_SET_STORE_INFO, err);
}

reel_status reel_rrd_writer_write_blueprint_activation(reel_rrd_writer *w,
                                                       const reel_store_id *blueprint_id,
                                                       bool make_active, bool make_default,
                                                       reel_error *err)
{
    REEL_TRY(check_usable(w, err));
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION,
                            .store_id = *blueprint_id,
                            .activation = {make_active, make_default}};
    REEL_TRY(frame_begin(w, err));
    REEL_TRY(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, NULL, &w->frame, NULL, err));
    return frame_emit(w, REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION, err);
}

static reel_status manifest_for(reel_rrd_writer *w, const reel_store_id *store_id,
                                reel__rrd_manifest_builder **out, reel_error *err)
{
    for (size_t i = 0; i < w->manifests.len; i++) {
        reel__rrd_manifest_builder *b = REEL_VEC_AT(&w->manifests, reel__rrd_manifest_builder *, i);
        if (reel_store_id_equal(reel__rrd_manifest_builder_store(b), store_id)) {
            *out = b;
            return REEL_OK;
        }
    }
    REEL_TRY(reel__rrd_manifest_builder_create(store_id, w->alloc, out, err));
    if (reel_vec_push(&w->manifests, out) != REEL_OK) {
        reel__rrd_manifest_builder_destroy(*out);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    return REEL_OK;
}

static reel_status emit_piece(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    return emit(ctx, data, len, err);
}

/* An ArrowMsg goes out in pieces, so that the large buffers of its chunk are never copied:
 * MessageHeader + the protobuf fields before the payload (in `frame`), the payload (the LZ4
 * block, or the IPC stream's metadata with the chunk's large buffers by reference), then
 * the protobuf fields after it (in `tail`). Sizes are all known before the first byte. */
reel_status reel_rrd_writer_write_chunk(reel_rrd_writer *w, const reel_store_id *store_id,
                                        const reel_chunk *chunk, reel_error *err)
{
    REEL_TRY(check_usable(w, err));
    if (store_id->application_id == NULL || store_id->application_id[0] == '\0' ||
        (store_id->kind != REEL_STORE_KIND_RECORDING &&
         store_id->kind != REEL_STORE_KIND_BLUEPRINT))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "ArrowMsg: the store id needs a kind and an application id");
    reel_arrow_field schema;
    reel_arrow_array batch;
    REEL_TRY(reel_chunk_to_batch(chunk, &schema, &batch, err));
    reel__rrd_arrow_fields fields = {.store_id = *store_id, .encoding = 1};
    reel_status status =
        reel__rrd_batch_encode_pieces(&schema, &batch, w->compression, &w->pieces, err);
    fields.compression = w->pieces.lz4 ? 2 : 1;
    fields.uncompressed_size = w->pieces.uncompressed_size;
    fields.has_chunk_id = fields.has_is_static = true;
    fields.chunk_id = chunk->id;
    fields.is_static = chunk->is_static;
    reel_buf_clear(&w->tail);
    if (status == REEL_OK)
        status = frame_begin(w, err);
    if (status == REEL_OK)
        status = reel__rrd_arrow_msg_pack_around(&fields, w->pieces.payload_len, &w->frame,
                                                 &w->tail, err);
    uint64_t payload_len =
        w->frame.len - REEL_RRD_MESSAGE_HEADER_SIZE + w->pieces.payload_len + w->tail.len;
    if (status == REEL_OK && !w->no_footer) {
        reel__rrd_manifest_builder *manifest;
        status = manifest_for(w, store_id, &manifest, err);
        if (status == REEL_OK)
            status = reel__rrd_manifest_builder_add(manifest, &schema, &batch,
                                                    w->written + REEL_RRD_MESSAGE_HEADER_SIZE,
                                                    payload_len, fields.uncompressed_size, err);
        /* A refused chunk leaves the manifest as it was; anything else breaks it. */
        if (status != REEL_OK && status != REEL_INVALID_ARGUMENT)
            fail(w, status, err);
    }
    if (status == REEL_OK) {
        reel_rrd_message_header_encode((uint64_t)REEL_RRD_MESSAGE_ARROW_MSG, payload_len,
                                       w->frame.data);
        status = emit(w, w->frame.data, w->frame.len, err);
    }
    /* emit() makes a sink error stick, so a message cut short is never followed by more. */
    if (status == REEL_OK)
        status = reel__rrd_pieces_emit(&w->pieces, emit_piece, w, err);
    if (status == REEL_OK && w->tail.len > 0)
        status = emit(w, w->tail.data, w->tail.len, err);
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
    return status;
}

/* ---------------------------------------------------------------- footer */

static reel_status write_footer(reel_rrd_writer *w, reel_error *err)
{
    size_t n = w->manifests.len;
    reel__rrd_raw_manifest *raw = reel_alloc_zeroed(w->alloc, (n + 1) * sizeof *raw);
    reel_buf *storage = reel_alloc_zeroed(w->alloc, (2 * n + 1) * sizeof *storage);
    reel_status status = raw && storage ? REEL_OK : REEL_OUT_OF_MEMORY;
    if (status != REEL_OK)
        reel_error_set(err, status, "out of memory");
    for (size_t i = 0; i < n && status == REEL_OK; i++) {
        reel_buf_init(&storage[2 * i], w->alloc);
        reel_buf_init(&storage[2 * i + 1], w->alloc);
        status = reel__rrd_manifest_builder_finish(
            REEL_VEC_AT(&w->manifests, reel__rrd_manifest_builder *, i), &storage[2 * i],
            &storage[2 * i + 1], &raw[i], err);
    }
    if (status == REEL_OK)
        status = frame_begin(w, err);
    if (status == REEL_OK)
        status = reel__rrd_footer_pack(raw, (int32_t)n, &w->frame, err);
    for (size_t i = 0; storage != NULL && i < 2 * n; i++)
        reel_buf_free(&storage[i]);
    reel_free(w->alloc, storage, (2 * n + 1) * sizeof *storage);
    reel_free(w->alloc, raw, (n + 1) * sizeof *raw);
    if (status != REEL_OK)
        return fail(w, status, err);
    reel_rrd_stream_footer footer = {
        .footer_offset = w->written + REEL_RRD_MESSAGE_HEADER_SIZE,
        .footer_len = w->frame.len - REEL_RRD_MESSAGE_HEADER_SIZE,
        .crc = reel_rrd_footer_crc(w->frame.data + REEL_RRD_MESSAGE_HEADER_SIZE,
                                   w->frame.len - REEL_RRD_MESSAGE_HEADER_SIZE)};
    REEL_TRY(frame_emit(w, REEL_RRD_MESSAGE_END, err));
    uint8_t bytes[REEL_RRD_STREAM_FOOTER_SIZE];
    reel_rrd_stream_footer_encode(&footer, bytes);
    return emit(w, bytes, sizeof bytes, err);
}

reel_status reel_rrd_writer_finish(reel_rrd_writer *w, reel_error *err)
{
    REEL_TRY(check_usable(w, err));
    if (!w->no_footer)
        REEL_TRY(write_footer(w, err));
    reel_error local = {0};
    if (w->sink.flush != NULL && w->sink.flush(w->sink.ctx, err ? err : &local) != REEL_OK)
        return fail(w, REEL_IO, err ? err : &local);
    w->finished = true;
    if (w->owned_file != NULL) {
        FILE *file = w->owned_file;
        w->owned_file = NULL;
        if (fclose(file) != 0) {
            reel_error_set(err ? err : &local, REEL_IO, "close failed: %s", strerror(errno));
            return fail(w, REEL_IO, err ? err : &local);
        }
    }
    return REEL_OK;
}
