/* libFuzzer target for the rrd payload decoders (SetStoreInfo, ArrowMsg with its Arrow IPC
 * chunk, BlueprintActivationCommand, RrdFooter with its manifests) bare or in the LogMsg /
 * WriteMessagesRequest envelopes. Input: one selector byte (bits 0-1 kind, 2-3 envelope,
 * 4 skip Arrow), then the payload. Whatever the bytes: no crash, no leak; and a message that
 * decodes must encode again and decode to the same message (abort() on any mismatch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"

static void fail(const char *what, const reel_error *err)
{
    fprintf(stderr, "fuzz_rrd_proto: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
    abort();
}

static void check_same(const reel_rrd_message *a, const reel_rrd_message *b)
{
    if (a->kind != b->kind || !reel_store_id_equal(&a->store_id, &b->store_id))
        fail("kind or store id changed in a round trip", NULL);
    if (a->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION &&
        (a->activation.make_active != b->activation.make_active ||
         a->activation.make_default != b->activation.make_default))
        fail("activation flags changed in a round trip", NULL);
    if (a->kind == REEL_RRD_MESSAGE_SET_STORE_INFO &&
        ((a->store_info.source_kind ? a->store_info.source_kind : REEL_STORE_SOURCE_C_SDK) !=
             b->store_info.source_kind ||
         a->store_info.source_extra_len != b->store_info.source_extra_len ||
         reel_tuid_compare(a->store_info.row_id, b->store_info.row_id) != 0))
        fail("store info changed in a round trip", NULL);
    if (a->kind == REEL_RRD_MESSAGE_ARROW_MSG && a->arrow.chunk != NULL &&
        (b->arrow.chunk == NULL || a->arrow.chunk->row_count != b->arrow.chunk->row_count ||
         reel_tuid_compare(a->arrow.chunk->id, b->arrow.chunk->id) != 0))
        fail("chunk changed in a round trip", NULL);
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
    if (size < 1)
        return 0;
    reel_rrd_message_kind kind = (reel_rrd_message_kind)(data[0] & 3);
    reel_rrd_envelope envelope = (reel_rrd_envelope)((data[0] >> 2) & 3);
    reel_rrd_decoder_options options = {.skip_arrow = (data[0] >> 4) & 1,
                                        .max_uncompressed_size = (uint64_t)64 << 20};
    reel_rrd_message msg = {0}, again = {0};
    reel_error err = {0};
    if (envelope > REEL_RRD_ENVELOPE_REQUEST)
        envelope = REEL_RRD_ENVELOPE_NONE;
    if (reel_rrd_message_decode(kind, envelope, data + 1, size - 1, &options, &msg, &err) !=
        REEL_OK) {
        if (msg.kind != 0 || msg.arrow.chunk != NULL || msg.store_id.recording_id != NULL)
            fail("a failed decode left something behind", &err);
        return 0;
    }
    reel_buf text = {0};
    if (msg.kind == REEL_RRD_MESSAGE_SET_STORE_INFO &&
        reel_store_source_describe(&msg.store_info, &text) != REEL_OK)
        fail("describe", NULL);
    reel_buf_free(&text);
    /* Re-encode what can be encoded: ids without application id are not written. */
    bool encodable = msg.kind != REEL_RRD_MESSAGE_END && msg.store_id.application_id != NULL &&
                     (msg.kind != REEL_RRD_MESSAGE_ARROW_MSG || msg.arrow.chunk != NULL);
    if (encodable) {
        reel_buf bytes = {0};
        reel_rrd_envelope out_envelope = (reel_rrd_envelope)(data[0] >> 5) % 3;
        if (reel_rrd_message_encode(&msg, out_envelope, NULL, &bytes, NULL, &err) != REEL_OK)
            fail("cannot encode a decoded message", &err);
        if (reel_rrd_message_decode(msg.kind, out_envelope, bytes.data, bytes.len, &options, &again,
                                    &err) != REEL_OK)
            fail("cannot decode our own encoding", &err);
        check_same(&msg, &again);
        reel_rrd_message_reset(&again);
        reel_buf_free(&bytes);
    }
    reel_rrd_message_reset(&msg);
    return 0;
}
