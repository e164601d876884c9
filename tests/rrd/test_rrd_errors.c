/* Bad input and failing output for the rrd module: a small file cut at every byte gives all
 * complete messages and then a clear truncation error; a corrupt payload is reported with
 * its index and offset and decoding resumes; unknown kinds are skipped, garbage stops the
 * decoder, a bad stream footer is reported, oversized messages are refused; pre-0.25 store
 * ids get the application id of their SetStoreInfo; writer sink errors (a full disk) are
 * errors that stick; and files written by rerun-sdk 0.41 decode without error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"
#include "rrd/rrd_events.h"
#include "rrd/rrd_internal.h"
#include "rrd/rrd_testing.h"
#include "test.h"

static void sample(reel_buf *out, const reel_rrd_writer_options *options)
{
    reel_rrd_sink sink = reel_rrd_sink_buf(out);
    reel_rrd_writer *w = NULL;
    CHECK_OK(reel_rrd_writer_create(&sink, options, &w, NULL));
    CHECK_OK(rt_write_sample(w, false, NULL, NULL));
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
}

/* Message boundaries of a well-formed single stream: ends[i] = end of message i. */
static int message_ends(const reel_buf *bytes, uint64_t *starts, uint64_t *ends)
{
    int n = 0;
    uint64_t at = 12;
    while (at + 16 <= bytes->len) {
        uint64_t kind, len;
        reel_rrd_message_header_decode(bytes->data + at, &kind, &len);
        starts[n] = at;
        ends[n++] = at + 16 + len;
        at += 16 + len + (kind == 0 ? 32 : 0);
    }
    return n;
}

TEST(truncated_at_every_byte)
{
    reel_buf bytes = {0};
    sample(&bytes, NULL);
    uint64_t starts[32], ends[32];
    int n = message_ends(&bytes, starts, ends);
    CHECK_EQ_INT(n, 10);
    re_events *ev = malloc(sizeof *ev);
    for (size_t cut = 0; cut <= bytes.len; cut++) {
        re_decode(bytes.data, cut, cut % 3 == 0 ? 0 : 1 + cut % 97, NULL, ev);
        int complete = 0;
        while (complete < n && ends[complete] <= cut)
            complete++;
        if (!CHECK_EQ_INT(ev->messages, complete) || !CHECK_EQ_INT(ev->errors, 0)) {
            fprintf(stderr, "    cut at %zu\n", cut);
            break;
        }
        bool at_boundary =
            cut == 12 || cut == bytes.len || (complete > 0 && cut == ends[complete - 1]);
        if (at_boundary) {
            if (!CHECK_OK(ev->finish))
                fprintf(stderr, "    cut at %zu: %s\n", cut, ev->finish_error.message);
            continue;
        }
        CHECK_EQ_INT(ev->finish, REEL_TRUNCATED);
        char expected[128];
        if (cut == 0)
            snprintf(expected, sizeof expected, "empty input");
        else if (cut < 12)
            snprintf(expected, sizeof expected,
                     "offset 0: truncated stream header, need %zu more "
                     "bytes",
                     12 - cut);
        else if (complete == n)
            snprintf(expected, sizeof expected, "truncated stream footer, need %llu more bytes",
                     (unsigned long long)(bytes.len - cut));
        else if (cut < starts[complete] + 16)
            snprintf(expected, sizeof expected,
                     "message %d at offset %llu: truncated message "
                     "header, need %llu more bytes",
                     complete, (unsigned long long)starts[complete],
                     (unsigned long long)(starts[complete] + 16 - cut));
        else
            snprintf(expected, sizeof expected,
                     "message %d at offset %llu: truncated, need %llu "
                     "more bytes",
                     complete, (unsigned long long)starts[complete],
                     (unsigned long long)(ends[complete] - cut));
        if (!CHECK(strstr(ev->finish_error.message, expected) != NULL)) {
            fprintf(stderr, "    cut at %zu: got '%s', expected '%s'\n", cut,
                    ev->finish_error.message, expected);
            break;
        }
    }
    free(ev);
    reel_buf_free(&bytes);
}

/* Decodes and checks that exactly message `bad` failed with `text`, the rest decoded. */
static void expect_one_bad(const reel_buf *bytes, int total, int bad, uint64_t bad_offset,
                           const char *text)
{
    re_events *ev = malloc(sizeof *ev);
    re_decode(bytes->data, bytes->len, 0, NULL, ev);
    CHECK_OK(ev->finish);
    CHECK_EQ_INT(ev->errors, 1);
    CHECK_EQ_INT(ev->messages, total - 1);
    if (CHECK(ev->count > bad) && CHECK(ev->items[bad].status != REEL_OK)) {
        char where[64];
        snprintf(where, sizeof where, "message %d at offset %llu: ", bad,
                 (unsigned long long)bad_offset);
        if (!CHECK(strstr(ev->items[bad].text, where) != NULL) ||
            !CHECK(strstr(ev->items[bad].text, text) != NULL))
            fprintf(stderr, "    got '%s'\n", ev->items[bad].text);
        /* Later messages are intact and keep their indices. */
        CHECK_EQ_U64(ev->items[bad + 1].index, (uint64_t)bad + 1);
    }
    free(ev);
}

TEST(corrupt_payloads_resume)
{
    reel_buf bytes = {0};
    reel_rrd_writer_options plain = {.compression = REEL_RRD_COMPRESSION_NONE};
    sample(&bytes, &plain);
    uint64_t starts[32], ends[32];
    int n = message_ends(&bytes, starts, ends);
    /* Message 2 (an ArrowMsg): damage the Arrow IPC schema message inside its payload. */
    reel_buf broken = {0};
    reel_buf_append(&broken, bytes.data, bytes.len);
    uint64_t payload = starts[2] + 16;
    const uint8_t marker[4] = {0xff, 0xff, 0xff, 0xff};
    uint8_t *ipc = NULL;
    for (uint64_t at = payload; ipc == NULL && at + 4 <= ends[2]; at++)
        if (memcmp(broken.data + at, marker, 4) == 0)
            ipc = broken.data + at;
    if (CHECK(ipc != NULL)) {
        memset(ipc + 8, 0xAB, 40); /* flatbuffer garbage */
        expect_one_bad(&broken, n, 2, starts[2], "ArrowMsg: ");
    }
    /* Message 0 (SetStoreInfo): not protobuf any more; the chunks carry their own app id. */
    memcpy(broken.data, bytes.data, bytes.len);
    memset(broken.data + starts[0] + 16, 0xff, 6);
    expect_one_bad(&broken, n, 0, starts[0], "invalid protobuf");
    /* LZ4: a wrong uncompressed_size in a compressed file. */
    reel_buf lz4 = {0};
    sample(&lz4, NULL);
    n = message_ends(&lz4, starts, ends);
    /* ArrowMsg = 0a <len> StoreId, 10 02 (LZ4), 18 <uncompressed_size varint>, ... */
    uint8_t *p = lz4.data + starts[3] + 16;
    uint8_t *size_tag = p + 2 + p[1] + 2;
    if (CHECK_EQ_INT(size_tag[0], 0x18) && CHECK(size_tag[1] & 0x80)) {
        size_tag[1] = 0x85; /* same varint length, a much smaller size: LZ4 cannot fit */
        expect_one_bad(&lz4, n, 3, starts[3], "ArrowMsg: invalid LZ4 block");
    }
    reel_buf_free(&lz4);
    reel_buf_free(&broken);
    reel_buf_free(&bytes);
}

static void append_message(reel_buf *b, uint64_t kind, const void *payload, size_t len)
{
    uint8_t header[16];
    reel_rrd_message_header_encode(kind, len, header);
    reel_buf_append(b, header, 16);
    reel_buf_append(b, payload, len);
}

TEST(unknown_kinds_garbage_footers_limits)
{
    reel_buf base = {0}, b = {0};
    sample(&base, &(reel_rrd_writer_options){.no_footer = true});
    uint64_t starts[32], ends[32];
    int n = message_ends(&base, starts, ends);
    re_events *ev = malloc(sizeof *ev);

    /* A kind from the future in the middle: reported (UNSUPPORTED) and skipped. */
    reel_buf_append(&b, base.data, ends[2]);
    append_message(&b, 7, "hello", 5);
    reel_buf_append(&b, base.data + ends[2], base.len - ends[2]);
    re_decode(b.data, b.len, 0, NULL, ev);
    CHECK_OK(ev->finish);
    CHECK_EQ_INT(ev->messages, n);
    CHECK_EQ_INT(ev->errors, 1);
    CHECK_EQ_INT(ev->items[3].status, REEL_UNSUPPORTED);
    CHECK(strstr(ev->items[3].text, "message 3 at offset") && strstr(ev->items[3].text, "kind 7"));
    CHECK_EQ_U64(ev->items[4].index, 4);

    /* Trailing garbage: reported once, decoding stops, finish repeats it. */
    reel_buf_clear(&b);
    reel_buf_append(&b, base.data, base.len);
    reel_buf_append(&b, "this is not an rrd message", 26);
    re_decode(b.data, b.len, 5, NULL, ev);
    CHECK_EQ_INT(ev->messages, n);
    CHECK_EQ_INT(ev->errors, 1);
    CHECK_EQ_INT(ev->finish, REEL_CORRUPT);
    char where[64];
    snprintf(where, sizeof where, "offset %zu: neither a message header", base.len);
    CHECK(strstr(ev->finish_error.message, where) != NULL);
    CHECK(strstr(ev->finish_error.message, "decoding stopped") != NULL);

    /* Not an RRD file at all. */
    re_decode((const uint8_t *)"PK\x03\x04 a zip file", 16, 0, NULL, ev);
    CHECK_EQ_INT(ev->finish, REEL_CORRUPT);
    CHECK(strstr(ev->finish_error.message, "offset 0: not an RRD stream") != NULL);

    /* A stream footer whose CRC is wrong: reported; the next stream still decodes. */
    reel_buf with_footer = {0};
    sample(&with_footer, NULL);
    reel_buf_clear(&b);
    reel_buf_append(&b, with_footer.data, with_footer.len);
    b.data[b.len - 16] ^= 1;
    reel_buf_append(&b, base.data, base.len);
    re_decode(b.data, b.len, 0, NULL, ev);
    CHECK_OK(ev->finish);
    CHECK_EQ_INT(ev->messages, n + 1 + n);
    CHECK_EQ_INT(ev->errors, 1);
    CHECK(strstr(ev->items[n + 1].text, "CRC does not match") != NULL);

    /* A payload over max_message_size stops the decoder. */
    reel_rrd_decoder_options small = {.max_message_size = 64, .name = "small.rrd"};
    re_decode(base.data, base.len, 0, &small, ev);
    CHECK_EQ_INT(ev->finish, REEL_LIMIT);
    CHECK(strstr(ev->finish_error.message, "small.rrd: offset 12: message 0 has a payload of") !=
          NULL);
    free(ev);
    reel_buf_free(&with_footer);
    reel_buf_free(&base);
    reel_buf_free(&b);
}

TEST(legacy_application_ids)
{
    /* A 0.24-style stream: store ids without application id; only the SetStoreInfo's
     * deprecated StoreInfo.application_id (field 1) names the app. */
    static const uint8_t set_store_info[] = {
        0x0a, 0x12, 0x09, 1,    0,    0,    0,   0,   0,   0,   0,
        0x11, 2,    0,    0,    0,    0,    0,   0,   0,             /* row_id */
        0x12, 0x15, 0x0a, 0x07, 0x0a, 0x05, 'o', 'l', 'd', 'a', 'p', /* app id */
        0x12, 0x06, 0x08, 0x01, 0x12, 0x02, 'r', '1',                /* store id */
        0x2a, 0x02, 0x08, 0x01};                                     /* source */
    static const uint8_t activation[] = {0x0a, 0x06, 0x08, 0x01, 0x12, 0x02, 'r', '1', 0x10, 0x01};
    static const uint8_t orphan[] = {0x0a, 0x06, 0x08, 0x01, 0x12, 0x02, 'r', '2', 0x10, 0x01};
    reel_buf b = {0};
    reel_buf_append(&b, "RRF2\x00\x18\x00\x00\x01\x02\x00\x00", 12); /* 0.24.0 */
    append_message(&b, 1, set_store_info, sizeof set_store_info);
    append_message(&b, 3, activation, sizeof activation);
    append_message(&b, 3, orphan, sizeof orphan);
    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &d, NULL));
    CHECK_OK(reel_rrd_decoder_push(d, b.data, b.len, NULL));
    reel_rrd_message msg = {0};
    bool got;
    reel_error err = {0};
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, &err));
    CHECK_EQ_STR(msg.store_id.application_id, "oldap");
    CHECK_EQ_MEM(msg.stream_version, "\x00\x18\x00\x00", 4);
    reel_rrd_message_reset(&msg);
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, &err));
    CHECK(got);
    CHECK_EQ_STR(msg.store_id.application_id, "oldap");
    reel_rrd_message_reset(&msg);
    CHECK_EQ_INT(reel_rrd_decoder_next(d, &msg, &got, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "message 2 at offset") && strstr(err.message, "'r2'"));
    CHECK_OK(reel_rrd_decoder_finish(d, NULL));
    reel_rrd_decoder_destroy(d);
    reel_buf_free(&b);
}

typedef struct failing_sink {
    size_t budget;
    int calls_after_failure;
} failing_sink;

static reel_status failing_write(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    failing_sink *s = ctx;
    (void)data;
    if (len > s->budget) {
        s->calls_after_failure++;
        return reel_error_set(err, REEL_IO, "write failed: No space left on device");
    }
    s->budget -= len;
    return REEL_OK;
}

TEST(writer_errors)
{
    for (size_t budget = 0; budget < 12000; budget += 997) {
        failing_sink state = {budget, 0};
        reel_rrd_sink sink = {failing_write, NULL, &state};
        reel_rrd_writer *w = NULL;
        reel_error err = {0};
        reel_status status =
            reel_rrd_writer_create(&sink, &(reel_rrd_writer_options){.name = "x.rrd"}, &w, &err);
        if (status == REEL_OK) {
            status = rt_write_sample(w, true, NULL, &err);
            if (status == REEL_OK)
                status = reel_rrd_writer_finish(w, &err);
        }
        CHECK_EQ_INT(status, REEL_IO);
        CHECK(strstr(err.message, "x.rrd: write failed: No space left on device") != NULL);
        if (w != NULL) { /* the error sticks, without touching the sink again */
            reel_error again = {0};
            CHECK_EQ_INT(reel_rrd_writer_finish(w, &again), REEL_IO);
            CHECK_EQ_STR(again.message, err.message);
            CHECK_EQ_INT(state.calls_after_failure, 1);
        }
        reel_rrd_writer_destroy(w);
    }
    /* A real full disk: stdio buffers, so the error comes at the latest from finish. */
    reel_rrd_writer *w = NULL;
    reel_error err = {0};
    if (reel_rrd_writer_create_path("/dev/full", NULL, &w, &err) == REEL_OK) {
        reel_status status = rt_write_sample(w, false, NULL, &err);
        if (status == REEL_OK)
            status = reel_rrd_writer_finish(w, &err);
        CHECK_EQ_INT(status, REEL_IO);
        CHECK(strstr(err.message, "/dev/full: ") != NULL);
        reel_rrd_writer_destroy(w);
    }
    CHECK_EQ_INT(reel_rrd_writer_create_path("/nonexistent/dir/x.rrd", NULL, &w, &err), REEL_IO);
    CHECK(w == NULL);
    /* A chunk without an application id in its store id is refused, nothing written. */
    reel_buf out = {0};
    reel_rrd_sink sink = reel_rrd_sink_buf(&out);
    CHECK_OK(reel_rrd_writer_create(&sink, NULL, &w, NULL));
    size_t before = out.len;
    reel_chunk *chunk = NULL;
    static const double one[1] = {1};
    rt_component c = {NULL, "x", NULL, "double", RT_DOUBLE, one, 1, 0};
    CHECK_OK(rt_chunk("/x", NULL, 0, 0, false, 1, &c, 1, &chunk, NULL));
    reel_store_id legacy = {REEL_STORE_KIND_RECORDING, "r", NULL};
    CHECK_EQ_INT(reel_rrd_writer_write_chunk(w, &legacy, chunk, &err), REEL_INVALID_ARGUMENT);
    CHECK_EQ_U64(out.len, before);
    legacy.application_id = "app";
    CHECK_OK(reel_rrd_writer_write_chunk(w, &legacy, chunk, &err));
    CHECK_OK(reel_rrd_writer_finish(w, &err));
    reel_chunk_release(chunk);
    reel_rrd_writer_destroy(w);
    reel_buf_free(&out);
}

TEST(real_sdk_files)
{
    static const struct {
        const char *name;
        int messages, manifests;
    } files[] = {
        {"sdk041_points_static_scalars_text.rrd", 8, 1},
        {"sdk041_points2d_no_footer.rrd", 4, 0},
        {"sdk041_blueprint.rbl", 11, 1},
        {"concat_sdk_no_footer_then_reel.rrd", 4 + 10, 1},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/fuzz/corpus/rrd_stream/%s", REEL_SOURCE_DIR, files[i].name);
        FILE *f = fopen(path, "rb");
        if (!CHECK(f != NULL))
            continue;
        reel_buf bytes = {0};
        uint8_t piece[4096];
        size_t got;
        while ((got = fread(piece, 1, sizeof piece, f)) > 0)
            reel_buf_append(&bytes, piece, got);
        fclose(f);
        re_events *ev = malloc(sizeof *ev);
        re_decode(bytes.data, bytes.len, 1000, NULL, ev);
        CHECK_OK(ev->finish);
        CHECK_EQ_INT(ev->errors, 0);
        CHECK_EQ_INT(ev->messages, files[i].messages);
        int manifests = 0, chunks = 0;
        for (int e = 0; e < ev->count; e++) {
            manifests += ev->items[e].manifests;
            chunks += ev->items[e].has_chunk;
        }
        CHECK_EQ_INT(manifests, files[i].manifests);
        CHECK(chunks > 0);
        free(ev);
        reel_buf_free(&bytes);
    }
}

int main(void)
{
    RUN(truncated_at_every_byte);
    RUN(corrupt_payloads_resume);
    RUN(unknown_kinds_garbage_footers_limits);
    RUN(legacy_application_ids);
    RUN(writer_errors);
    RUN(real_sdk_files);
    TEST_MAIN_END();
}
