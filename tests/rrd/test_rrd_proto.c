/* Tests for the rrd protobuf layer against the hand-computed vectors of rrd-format.md §3.9
 * (StoreId, SetStoreInfo, BlueprintActivationCommand, ArrowMsg in both the 0.36 field order
 * of the doc and the 0.41 order rerun-sdk writes and we write) and §7.2 (LogMsg and
 * WriteMessagesRequest envelopes), plus the checks Rerun's conversion code makes (required
 * fields, empty application ids, encodings) and the store source descriptions. */
#include <string.h>

#include "rrd/rrd.h"
#include "rrd/rrd_internal.h"
#include "test.h"

static const uint8_t store_id_bytes[] = {0x08, 0x01, 0x12, 0x05, 0x72, 0x65, 0x63, 0x5f, 0x31, 0x1a,
                                         0x08, 0x0a, 0x06, 0x6d, 0x79, 0x5f, 0x61, 0x70, 0x70};

static const uint8_t set_store_info_bytes[55] = {
    0x0a, 0x12, 0x09, 0x88, 0x51, 0x9d, 0xa7, 0x9f, 0xaa, 0xb0, 0x18, 0x11, 0xd4, 0x6e,
    0x9f, 0xbb, 0xc6, 0xb7, 0x52, 0x69, 0x12, 0x21, 0x12, 0x13, 0x08, 0x01, 0x12, 0x05,
    0x72, 0x65, 0x63, 0x5f, 0x31, 0x1a, 0x08, 0x0a, 0x06, 0x6d, 0x79, 0x5f, 0x61, 0x70,
    0x70, 0x2a, 0x04, 0x08, 0x01, 0x12, 0x00, 0x32, 0x04, 0x08, 0x80, 0xc8, 0x08};

static const uint8_t activation_bytes[24] = {0x0a, 0x12, 0x08, 0x02, 0x12, 0x04, 0x62, 0x70,
                                             0x5f, 0x31, 0x1a, 0x08, 0x0a, 0x06, 0x6d, 0x79,
                                             0x5f, 0x61, 0x70, 0x70, 0x10, 0x01, 0x18, 0x01};

static const reel_tuid doc_row_id = {UINT64_C(0x18B0AA9FA79D5188), UINT64_C(0x6952B7C6BB9F6ED4)};

static reel_store_info doc_store_info(void)
{
    reel_store_info info = {
        .store_id = {REEL_STORE_KIND_RECORDING, "rec_1", "my_app"},
        .row_id = doc_row_id,
        .source_kind = REEL_STORE_SOURCE_C_SDK,
        .has_store_version = true,
        .store_version = {0, 36, 2, 0},
    };
    return info;
}

TEST(set_store_info_vector)
{
    reel_store_info info = doc_store_info();
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO, .store_info = info};
    reel_buf out = {0};
    reel_error err = {0};
    CHECK_OK(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, NULL, &out, NULL, &err));
    CHECK_EQ_U64(out.len, 55);
    CHECK_EQ_MEM(out.data, set_store_info_bytes, 55);
    /* The StoreId inside is the §3.9 StoreId vector. */
    CHECK_EQ_MEM(out.data + 24, store_id_bytes, sizeof store_id_bytes);

    uint8_t header[16], expected_header[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0x37, 0, 0, 0, 0, 0, 0, 0};
    reel_rrd_message_header_encode(REEL_RRD_MESSAGE_SET_STORE_INFO, out.len, header);
    CHECK_EQ_MEM(header, expected_header, 16);

    reel_rrd_message back = {0};
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_SET_STORE_INFO, REEL_RRD_ENVELOPE_NONE,
                                     set_store_info_bytes, 55, NULL, &back, &err));
    CHECK_EQ_INT(back.kind, REEL_RRD_MESSAGE_SET_STORE_INFO);
    CHECK_EQ_STR(back.store_id.recording_id, "rec_1");
    CHECK_EQ_STR(back.store_id.application_id, "my_app");
    CHECK_EQ_INT(back.store_id.kind, REEL_STORE_KIND_RECORDING);
    CHECK_EQ_U64(back.store_info.row_id.time_ns, doc_row_id.time_ns);
    CHECK_EQ_U64(back.store_info.row_id.inc, doc_row_id.inc);
    CHECK_EQ_INT(back.store_info.source_kind, REEL_STORE_SOURCE_C_SDK);
    CHECK(back.store_info.has_source_extra);
    CHECK_EQ_U64(back.store_info.source_extra_len, 0);
    CHECK(back.store_info.has_store_version);
    CHECK_EQ_MEM(back.store_info.store_version, ((uint8_t[]){0, 36, 2, 0}), 4);
    CHECK_EQ_U64(back.payload_len, 55);
    reel_rrd_message_reset(&back);
    reel_buf_free(&out);
}

TEST(activation_vector)
{
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION,
                            .store_id = {REEL_STORE_KIND_BLUEPRINT, "bp_1", "my_app"},
                            .activation = {true, true}};
    reel_buf out = {0};
    CHECK_OK(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, NULL, &out, NULL, NULL));
    CHECK_EQ_MEM(out.data, activation_bytes, 24);
    CHECK_EQ_U64(out.len, 24);
    reel_rrd_message back = {0};
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION, REEL_RRD_ENVELOPE_NONE,
                                     activation_bytes, 24, NULL, &back, NULL));
    CHECK_EQ_INT(back.store_id.kind, REEL_STORE_KIND_BLUEPRINT);
    CHECK_EQ_STR(back.store_id.recording_id, "bp_1");
    CHECK(back.activation.make_active && back.activation.make_default);
    reel_rrd_message_reset(&back);
    /* Flags false: plain proto3 bools are not emitted at all. */
    msg.activation.make_active = msg.activation.make_default = false;
    reel_buf_clear(&out);
    CHECK_OK(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, NULL, &out, NULL, NULL));
    CHECK_EQ_U64(out.len, 20);
    reel_buf_free(&out);
}

/* ArrowMsg with a 4-byte dummy payload, LZ4, uncompressed_size 1234, is_static = false. */
static const reel_tuid chunk_id = {UINT64_C(0x0102030405060708), UINT64_C(0x1112131415161718)};

static void append_tuid(reel_buf *b)
{
    uint8_t tuid[18] = {0x09};
    reel_store_u64le(tuid + 1, chunk_id.time_ns);
    tuid[9] = 0x11;
    reel_store_u64le(tuid + 10, chunk_id.inc);
    reel_buf_append(b, tuid, 18);
}

TEST(arrow_msg_vectors)
{
    static const uint8_t head[2] = {0x0a, 0x13}, rest[] = {0x10, 0x02, 0x18, 0xd2, 0x09, 0x20, 0x01,
                                                           0x2a, 0x04, 0,    0,    0,    0};
    static const uint8_t static_false[2] = {0x38, 0x00}, chunk_head[2] = {0x32, 0x12};
    /* rrd-format.md (prost in 0.36, declaration order): 1, 6, 2, 3, 4, 5, 7. */
    reel_buf doc = {0};
    reel_buf_append(&doc, head, 2);
    reel_buf_append(&doc, store_id_bytes, sizeof store_id_bytes);
    reel_buf_append(&doc, chunk_head, 2);
    append_tuid(&doc);
    reel_buf_append(&doc, rest, sizeof rest);
    reel_buf_append(&doc, static_false, 2);
    /* rerun-sdk 0.41 (and protobuf-c): field-number order 1, 2, 3, 4, 5, 6, 7. */
    reel_buf real = {0};
    reel_buf_append(&real, head, 2);
    reel_buf_append(&real, store_id_bytes, sizeof store_id_bytes);
    reel_buf_append(&real, rest, sizeof rest);
    reel_buf_append(&real, chunk_head, 2);
    append_tuid(&real);
    reel_buf_append(&real, static_false, 2);

    uint8_t zero[4] = {0};
    reel__rrd_arrow_fields fields = {.store_id = {REEL_STORE_KIND_RECORDING, "rec_1", "my_app"},
                                     .compression = 2,
                                     .uncompressed_size = 1234,
                                     .encoding = 1,
                                     .payload = {zero, 4},
                                     .has_chunk_id = true,
                                     .chunk_id = chunk_id,
                                     .has_is_static = true};
    reel_buf out = {0};
    CHECK_OK(reel__rrd_arrow_msg_pack(&fields, &out, NULL));
    CHECK_EQ_U64(out.len, real.len);
    CHECK_EQ_MEM(out.data, real.data, real.len);

    for (int order = 0; order < 2; order++) {
        const reel_buf *bytes = order == 0 ? &doc : &real;
        reel__rrd_arrow_fields back;
        CHECK_OK(reel__rrd_arrow_msg_unpack(bytes->data, bytes->len, NULL, &back, NULL));
        CHECK_EQ_STR(back.store_id.recording_id, "rec_1");
        CHECK_EQ_INT(back.compression, 2);
        CHECK_EQ_U64(back.uncompressed_size, 1234);
        CHECK_EQ_INT(back.encoding, 1);
        CHECK_EQ_U64(back.payload.len, 4);
        CHECK(back.has_chunk_id && back.chunk_id.time_ns == chunk_id.time_ns &&
              back.chunk_id.inc == chunk_id.inc);
        CHECK(back.has_is_static && !back.is_static);
        reel_store_id_reset(&back.store_id, NULL);
        reel_blob_release(back.payload_owner);
    }
    /* Through the public decoder, a 4-byte payload is no Arrow IPC stream: a clear error,
     * while headers-only decoding takes it. */
    reel_rrd_message msg = {0};
    reel_error err = {0};
    CHECK_EQ_INT(reel_rrd_message_decode(REEL_RRD_MESSAGE_ARROW_MSG, REEL_RRD_ENVELOPE_NONE,
                                         real.data, real.len, NULL, &msg, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "ArrowMsg") != NULL);
    reel_rrd_decoder_options headers_only = {.skip_arrow = true};
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_ARROW_MSG, REEL_RRD_ENVELOPE_NONE, real.data,
                                     real.len, &headers_only, &msg, &err));
    CHECK(msg.arrow.chunk == NULL);
    CHECK_EQ_INT(msg.arrow.compression, REEL_RRD_COMPRESSION_LZ4);
    CHECK_EQ_U64(msg.arrow.compressed_size, 4);
    CHECK_EQ_U64(msg.arrow.uncompressed_size, 1234);
    reel_rrd_message_reset(&msg);
    reel_buf_free(&doc);
    reel_buf_free(&real);
    reel_buf_free(&out);
}

TEST(envelopes)
{
    reel_buf log_msg = {0}, request = {0};
    reel_span payload = {set_store_info_bytes, 55};
    CHECK_OK(reel_rrd_payload_wrap(REEL_RRD_MESSAGE_SET_STORE_INFO, payload,
                                   REEL_RRD_ENVELOPE_LOG_MSG, &log_msg, NULL));
    CHECK_OK(reel_rrd_payload_wrap(REEL_RRD_MESSAGE_SET_STORE_INFO, payload,
                                   REEL_RRD_ENVELOPE_REQUEST, &request, NULL));
    /* §7.2: the 59-byte gRPC frame is 00 00 00 00 3b + these 59 bytes. */
    CHECK_EQ_U64(log_msg.len, 57);
    CHECK_EQ_MEM(log_msg.data, ((uint8_t[]){0x0a, 0x37}), 2);
    CHECK_EQ_MEM(log_msg.data + 2, set_store_info_bytes, 55);
    CHECK_EQ_U64(request.len, 59);
    CHECK_EQ_MEM(request.data, ((uint8_t[]){0x0a, 0x39, 0x0a, 0x37, 0x0a, 0x12, 0x09, 0x88}), 8);

    /* Encoding the message with an envelope gives the same bytes. */
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO,
                            .store_info = doc_store_info()};
    reel_buf encoded = {0};
    CHECK_OK(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_REQUEST, NULL, &encoded, NULL, NULL));
    CHECK_EQ_U64(encoded.len, request.len);
    CHECK_EQ_MEM(encoded.data, request.data, request.len);

    reel_rrd_message back = {0};
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_REQUEST, request.data,
                                     request.len, NULL, &back, NULL));
    CHECK_EQ_INT(back.kind, REEL_RRD_MESSAGE_SET_STORE_INFO);
    CHECK_EQ_STR(back.store_id.application_id, "my_app");
    reel_rrd_message_reset(&back);
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_LOG_MSG, log_msg.data,
                                     log_msg.len, NULL, &back, NULL));
    CHECK_EQ_INT(back.kind, REEL_RRD_MESSAGE_SET_STORE_INFO);
    reel_rrd_message_reset(&back);

    /* An empty LogMsg carries nothing. */
    reel_error err = {0};
    CHECK_EQ_INT(reel_rrd_message_decode(REEL_RRD_MESSAGE_END, REEL_RRD_ENVELOPE_LOG_MSG,
                                         (const uint8_t *)"", 0, NULL, &back, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "LogMsg") != NULL);
    reel_buf_free(&log_msg);
    reel_buf_free(&request);
    reel_buf_free(&encoded);
}

static reel_status decode_info(const uint8_t *bytes, size_t len, reel_error *err)
{
    reel_rrd_message msg = {0};
    reel_status status = reel_rrd_message_decode(
        REEL_RRD_MESSAGE_SET_STORE_INFO, REEL_RRD_ENVELOPE_NONE, bytes, len, NULL, &msg, err);
    reel_rrd_message_reset(&msg);
    return status;
}

TEST(required_fields_and_checks)
{
    reel_error err = {0};
    /* Without row_id (drop the first 20 bytes). */
    CHECK_EQ_INT(decode_info(set_store_info_bytes + 20, 35, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "row_id") != NULL);
    /* Tuid without inc: 0a 09 09 <8 bytes> + info. */
    uint8_t no_inc[64];
    memcpy(no_inc, (uint8_t[]){0x0a, 0x09}, 2);
    memcpy(no_inc + 2, set_store_info_bytes + 2, 9);
    memcpy(no_inc + 11, set_store_info_bytes + 20, 35);
    CHECK_EQ_INT(decode_info(no_inc, 46, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "inc") != NULL);
    /* Not protobuf at all. */
    CHECK_EQ_INT(decode_info((const uint8_t *)"\xff\xff\xff", 3, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "invalid protobuf") != NULL);
    /* Present but empty application id: 1a 00 (Rerun: hard error). */
    static const uint8_t empty_app[] = {0x0a, 0x06, 0x08, 0x01, 0x1a, 0x02,
                                        0x0a, 0x00, 0x10, 0x01, 0x18, 0x01};
    reel_rrd_message msg = {0};
    CHECK_EQ_INT(reel_rrd_message_decode(REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION,
                                         REEL_RRD_ENVELOPE_NONE, empty_app, sizeof empty_app, NULL,
                                         &msg, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "empty application id") != NULL);
    /* Absent application id: a legacy id, decoded with application_id NULL. */
    static const uint8_t no_app[] = {0x0a, 0x02, 0x08, 0x02, 0x10, 0x01};
    CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION, REEL_RRD_ENVELOPE_NONE,
                                     no_app, sizeof no_app, NULL, &msg, &err));
    CHECK(msg.store_id.application_id == NULL);
    CHECK_EQ_STR(msg.store_id.recording_id, "");
    CHECK(msg.activation.make_active && !msg.activation.make_default);
    reel_rrd_message_reset(&msg);
    /* ArrowMsg with encoding UNSPECIFIED. */
    uint8_t arrow[64];
    arrow[0] = 0x0a, arrow[1] = 0x13;
    memcpy(arrow + 2, store_id_bytes, sizeof store_id_bytes);
    CHECK_EQ_INT(reel_rrd_message_decode(REEL_RRD_MESSAGE_ARROW_MSG, REEL_RRD_ENVELOPE_NONE, arrow,
                                         21, NULL, &msg, &err),
                 REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "encoding 0") != NULL);
    /* The writer side refuses ids Rerun would reject. */
    reel_rrd_message bad = {.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION,
                            .store_id = {REEL_STORE_KIND_BLUEPRINT, "bp", ""}};
    reel_buf out = {0};
    CHECK_EQ_INT(reel_rrd_message_encode(&bad, REEL_RRD_ENVELOPE_NONE, NULL, &out, NULL, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK_EQ_U64(out.len, 0);
    bad.kind = REEL_RRD_MESSAGE_END;
    CHECK_EQ_INT(reel_rrd_message_encode(&bad, REEL_RRD_ENVELOPE_NONE, NULL, &out, NULL, &err),
                 REEL_UNSUPPORTED);
    reel_buf_free(&out);
}

TEST(store_sources)
{
    /* rerun-sdk 0.41's Python source: kind 2, PythonVersion{3, 11, 7}. */
    static const uint8_t python[] = {0x08, 0x03, 0x10, 0x0b, 0x18, 0x07};
    static const uint8_t file_cli[] = {0x08, 0x01};
    reel_store_info info = {.source_kind = REEL_STORE_SOURCE_PYTHON_SDK,
                            .has_source_extra = true,
                            .source_extra = (uint8_t *)python,
                            .source_extra_len = sizeof python};
    reel_buf text = {0};
    CHECK_OK(reel_store_source_describe(&info, &text));
    CHECK_EQ_MEM(text.data, "Python SDK 3.11.7", 17);
    CHECK_EQ_U64(text.len, 17);
    info.source_kind = REEL_STORE_SOURCE_FILE;
    info.source_extra = (uint8_t *)file_cli;
    info.source_extra_len = sizeof file_cli;
    reel_buf_clear(&text);
    CHECK_OK(reel_store_source_describe(&info, &text));
    CHECK_EQ_MEM(text.data, "file (cli)", 10);
    info.source_kind = REEL_STORE_SOURCE_C_SDK;
    reel_buf_clear(&text);
    CHECK_OK(reel_store_source_describe(&info, &text));
    CHECK_EQ_MEM(text.data, "C SDK", 5);
    reel_buf_free(&text);
}

int main(void)
{
    RUN(set_store_info_vector);
    RUN(activation_vector);
    RUN(arrow_msg_vectors);
    RUN(envelopes);
    RUN(required_fields_and_checks);
    RUN(store_sources);
    TEST_MAIN_END();
}
