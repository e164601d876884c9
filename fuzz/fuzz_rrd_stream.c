/* libFuzzer target for the incremental .rrd decoder. The input is an RRD stream, fed in
 * pieces whose sizes come from a hash of the input (or as one zero-copy blob); whatever the
 * bytes, decoding must not crash or leak. Everything that decodes is also written again
 * with the rrd writer (chunks, store infos, activations, footer manifests) and the result
 * must decode without a single error to the same chunks (abort() on any mismatch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"

#define MAX_CHUNKS 256

static void fail(const char *what, const reel_error *err)
{
    fprintf(stderr, "fuzz_rrd_stream: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
    abort();
}

typedef struct rewrite {
    reel_buf out;
    reel_rrd_writer *writer;
    int chunks;
    reel_tuid chunk_ids[MAX_CHUNKS];
    int64_t chunk_rows[MAX_CHUNKS];
} rewrite;

static void rewrite_message(rewrite *r, const reel_rrd_message *msg)
{
    reel_error err = {0};
    reel_status status = REEL_OK;
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO && msg->store_id.application_id != NULL)
        status = reel_rrd_writer_write_store_info(r->writer, &msg->store_info, &err);
    else if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
        status = reel_rrd_writer_write_blueprint_activation(r->writer, &msg->store_id,
                                                            msg->activation.make_active,
                                                            msg->activation.make_default, &err);
    else if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->arrow.chunk != NULL &&
             r->chunks < MAX_CHUNKS) {
        status = reel_rrd_writer_write_chunk(r->writer, &msg->store_id, msg->arrow.chunk, &err);
        r->chunk_ids[r->chunks] = msg->arrow.chunk->id;
        r->chunk_rows[r->chunks++] = msg->arrow.chunk->row_count;
    }
    if (status != REEL_OK)
        fail("cannot write what was decoded", &err);
}

static void check_rewrite(rewrite *r)
{
    reel_error err = {0};
    if (reel_rrd_writer_finish(r->writer, &err) != REEL_OK)
        fail("cannot finish the rewrite", &err);
    reel_rrd_decoder *d = NULL;
    if (reel_rrd_decoder_create(NULL, &d, &err) != REEL_OK ||
        reel_rrd_decoder_push(d, r->out.data, r->out.len, &err) != REEL_OK)
        fail("decoder", &err);
    int chunks = 0, manifests = 0;
    for (bool got = true; got;) {
        reel_rrd_message msg = {0};
        if (reel_rrd_decoder_next(d, &msg, &got, &err) != REEL_OK)
            fail("our own rewrite does not decode", &err);
        if (got && msg.kind == REEL_RRD_MESSAGE_ARROW_MSG) {
            if (chunks >= r->chunks || msg.arrow.chunk == NULL ||
                reel_tuid_compare(msg.arrow.chunk->id, r->chunk_ids[chunks]) != 0 ||
                msg.arrow.chunk->row_count != r->chunk_rows[chunks])
                fail("the rewrite has other chunks", NULL);
            chunks++;
        }
        for (int32_t i = 0; got && i < msg.footer.manifest_count; i++)
            manifests += (int)msg.footer.manifests[i].chunk_count;
        reel_rrd_message_reset(&msg);
    }
    if (chunks != r->chunks || manifests != r->chunks)
        fail("chunks or manifest rows missing from the rewrite", NULL);
    if (reel_rrd_decoder_finish(d, &err) != REEL_OK)
        fail("the rewrite does not end cleanly", &err);
    reel_rrd_decoder_destroy(d);
}

/* The chunk reader warns about odd metadata it accepts; that is noise here. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    reel_log_set_level(REEL_LOG_ERROR);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t random = reel_hash_bytes(data, size, 0x5eed);
    reel_rrd_decoder_options options = {
        .name = "fuzz.rrd",
        .skip_arrow = (random & 7) == 0,
        .max_uncompressed_size = (uint64_t)64 << 20,
    };
    reel_rrd_decoder *d = NULL;
    reel_error err = {0};
    if (reel_rrd_decoder_create(&options, &d, &err) != REEL_OK)
        fail("create", &err);
    rewrite r = {0};
    reel_rrd_sink sink = reel_rrd_sink_buf(&r.out);
    if (reel_rrd_writer_create(&sink, NULL, &r.writer, &err) != REEL_OK)
        fail("writer", &err);
    reel_blob *blob = NULL;
    if ((random & 24) == 0) /* zero-copy over libFuzzer's exactly sized buffer */
        blob = reel_blob_wrap((void *)data, size, NULL, NULL);
    size_t at = 0;
    while (at < size) {
        random = reel_hash_u64(random);
        size_t piece = blob != NULL ? size : 1 + (size_t)(random % ((random >> 60) < 4 ? 8 : 4096));
        if (piece > size - at)
            piece = size - at;
        reel_status pushed = blob != NULL ? reel_rrd_decoder_push_blob(d, blob, &err)
                                          : reel_rrd_decoder_push(d, data + at, piece, &err);
        if (pushed != REEL_OK)
            fail("push", &err);
        at += piece;
        /* Every call either yields, reports and moves on, or says it needs more bytes. */
        for (int calls = 0;; calls++) {
            reel_rrd_message msg = {0};
            bool got = false;
            if (calls > 1000000)
                fail("the decoder makes no progress", NULL);
            if (reel_rrd_decoder_next(d, &msg, &got, &err) != REEL_OK) {
                if (strstr(err.message, "fuzz.rrd: ") != err.message)
                    fail("error without the input's name", &err);
                continue;
            }
            if (!got)
                break;
            rewrite_message(&r, &msg);
            reel_rrd_message_reset(&msg);
        }
        (void)reel_rrd_decoder_bytes_needed(d);
    }
    reel_status finished = reel_rrd_decoder_finish(d, &err);
    if (finished != REEL_OK && strstr(err.message, "fuzz.rrd: ") != err.message)
        fail("finish error without the input's name", &err);
    reel_rrd_decoder_destroy(d);
    reel_blob_release(blob);
    if (!options.skip_arrow)
        check_rewrite(&r);
    reel_rrd_writer_destroy(r.writer);
    reel_buf_free(&r.out);
    return 0;
}
