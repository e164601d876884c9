/* Chunks with large cells (images): the IPC stream written with its large buffers by
 * reference has the bytes of the copying writer; the writer sends an incompressible image
 * uncompressed (compression NONE, one message with the stream's size as uncompressed_size)
 * and a compressible one as LZ4, and explicit LZ4 / NONE options win over the probe; every
 * file decodes to the chunk that was written; an uncompressed ArrowMsg is byte for byte what
 * reel_rrd_message_encode writes; a writer's sink sees the image in one write, straight from
 * the chunk's buffer. */
#include "rrd_testing.h"
#include "test.h"

#define IMAGE_BYTES ((size_t)1 << 20)

static const reel_component_descriptor buffer_d = {"rerun.archetypes.Image", "Image:buffer",
                                                   "rerun.components.ImageBuffer"};

/* A one-row chunk whose Image:buffer cell is `len` bytes from `fill` (0 = pseudo-random). */
static reel_chunk *image_chunk(size_t len, int fill)
{
    reel_arrow_field item = {0};
    CHECK_OK(reel_arrow_type_parse("uint8", 5, &item, NULL, NULL));
    uint8_t *data = NULL;
    reel_blob *blob = reel_blob_create(NULL, len, &data);
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < len; i++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        data[i] = fill ? (uint8_t)(i / 4096 * fill) : (uint8_t)(state >> 24);
    }
    reel_arrow_array values = {.length = (int64_t)len, .n_buffers = 2};
    values.buffers[1] = (reel_arrow_buffer){data, (int64_t)len, blob};
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("/camera", &b, NULL));
    reel_chunk_time time = {"frame", REEL_TIME_SEQUENCE, 7};
    reel_chunk_cell cell = {buffer_d, &item, &values, 0, (int64_t)len};
    reel_error err = {0};
    CHECK_OK(reel_chunk_builder_add_row(b, reel_tuid_new(), &time, 1, &cell, 1, &err));
    reel_chunk *chunk = NULL;
    CHECK_OK(reel_chunk_builder_finish(b, &chunk, &err));
    reel_chunk_builder_destroy(b);
    reel_arrow_array_reset(&values);
    reel_arrow_field_reset(&item);
    return chunk;
}

/* The IPC stream of a chunk, written by the copying writer. */
static void chunk_ipc(const reel_chunk *chunk, reel_buf *out)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    CHECK_OK(reel_chunk_to_batch(chunk, &schema, &batch, NULL));
    reel_ipc_write_options options = {.alignment = 64};
    CHECK_OK(reel_ipc_write_stream(out, &schema, &batch, 1, &options, NULL));
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
}

TEST(ipc_stream_by_reference_has_the_copied_bytes)
{
    reel_chunk *chunk = image_chunk(IMAGE_BYTES + 3, 0); /* + 3: padding after the ref */
    reel_arrow_field schema;
    reel_arrow_array batch;
    CHECK_OK(reel_chunk_to_batch(chunk, &schema, &batch, NULL));
    reel_ipc_write_options options = {.alignment = 64};
    reel_buf copied = {0};
    CHECK_OK(reel_ipc_write_stream(&copied, &schema, &batch, 1, &options, NULL));
    static const size_t thresholds[] = {0, 64u << 10, IMAGE_BYTES * 2};
    for (size_t t = 0; t < 3; t++) {
        reel_buf own = {0}, joined = {0};
        reel_vec refs;
        reel_vec_init(&refs, sizeof(reel_ipc_ref), NULL);
        CHECK_OK(reel_ipc_write_stream_refs(&own, &refs, thresholds[t], &schema, &batch, 1,
                                            &options, NULL));
        size_t done = 0, referenced = 0;
        for (size_t i = 0; i < refs.len; i++) {
            const reel_ipc_ref *ref = &REEL_VEC_AT(&refs, reel_ipc_ref, i);
            CHECK(ref->at >= done && ref->at <= own.len);
            reel_buf_append(&joined, own.data + done, ref->at - done);
            reel_buf_append(&joined, ref->data, ref->len);
            done = ref->at;
            referenced += ref->len;
        }
        reel_buf_append(&joined, own.data + done, own.len - done);
        if (CHECK_EQ_U64(joined.len, copied.len))
            CHECK_EQ_MEM(joined.data, copied.data, copied.len);
        if (thresholds[t] <= IMAGE_BYTES) {
            /* The image is referenced, straight from the chunk's buffer. */
            CHECK(referenced >= IMAGE_BYTES);
            const reel_chunk_component *c = reel_chunk_find_component(chunk, "Image:buffer");
            bool found = false;
            for (size_t i = 0; c != NULL && i < refs.len; i++)
                found |= REEL_VEC_AT(&refs, reel_ipc_ref, i).data ==
                         c->lists.children[0].buffers[1].data;
            CHECK(found);
            CHECK(own.len < 4096);
        } else {
            CHECK_EQ_U64(refs.len, 0);
        }
        reel_buf_free(&own);
        reel_buf_free(&joined);
        reel_vec_free(&refs);
    }
    reel_buf_free(&copied);
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
    reel_chunk_release(chunk);
}

/* What a writer's sink received: every write's length, and the bytes. */
typedef struct recording_sink {
    reel_buf bytes;
    size_t writes, largest_write;
    const uint8_t *largest_data;
} recording_sink;

static reel_status record_write(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    (void)err;
    recording_sink *s = ctx;
    s->writes++;
    if (len > s->largest_write)
        s->largest_write = len, s->largest_data = data;
    return reel_buf_append(&s->bytes, data, len);
}

static const reel_store_id store = {REEL_STORE_KIND_RECORDING, "rec_large", "reel_large"};

/* Writes `chunk` with `compression` and decodes the file: the one ArrowMsg's compression and
 * sizes, and that its chunk has the same IPC stream as the written one. */
static void write_and_read(reel_chunk *chunk, reel_rrd_compression compression,
                           reel_rrd_compression expect, recording_sink *sink)
{
    memset(sink, 0, sizeof *sink);
    reel_rrd_sink bytes = {record_write, NULL, sink};
    reel_rrd_writer *w = NULL;
    reel_rrd_writer_options options = {.compression = compression};
    CHECK_OK(reel_rrd_writer_create(&bytes, &options, &w, NULL));
    reel_store_info info = {.store_id = store};
    CHECK_OK(reel_rrd_writer_write_store_info(w, &info, NULL));
    CHECK_OK(reel_rrd_writer_write_chunk(w, &store, chunk, NULL));
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);

    reel_buf written = {0}, read = {0};
    chunk_ipc(chunk, &written);
    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &d, NULL));
    CHECK_OK(reel_rrd_decoder_push(d, sink->bytes.data, sink->bytes.len, NULL));
    int arrow_msgs = 0, footers = 0;
    for (;;) {
        reel_rrd_message msg = {0};
        bool got = false;
        reel_error err = {0};
        if (!CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, &err)))
            fprintf(stderr, "    %s\n", err.message);
        if (!got)
            break;
        if (msg.kind == REEL_RRD_MESSAGE_ARROW_MSG) {
            arrow_msgs++;
            CHECK_EQ_INT(msg.arrow.compression, expect);
            CHECK_EQ_U64(msg.arrow.uncompressed_size, written.len);
            if (expect == REEL_RRD_COMPRESSION_NONE)
                CHECK_EQ_U64(msg.arrow.compressed_size, written.len);
            CHECK_EQ_INT(reel_tuid_compare(msg.arrow.chunk_id, chunk->id), 0);
            reel_buf_clear(&read);
            chunk_ipc(msg.arrow.chunk, &read);
            if (CHECK_EQ_U64(read.len, written.len))
                CHECK_EQ_MEM(read.data, written.data, written.len);
        } else if (msg.kind == REEL_RRD_MESSAGE_END) {
            footers++;
            /* The manifest's byte size is the whole ArrowMsg payload. */
            if (CHECK_EQ_INT(msg.footer.manifest_count, 1) &&
                CHECK_EQ_INT(msg.footer.manifests[0].chunk_count, 1)) {
                const reel_rrd_chunk_entry *e = &msg.footer.manifests[0].chunks[0];
                CHECK_EQ_U64(e->byte_size_uncompressed, written.len);
                CHECK_EQ_U64(reel_load_u64le(sink->bytes.data + e->byte_offset - 8), e->byte_size);
            }
        }
        reel_rrd_message_reset(&msg);
    }
    CHECK_OK(reel_rrd_decoder_finish(d, NULL));
    reel_rrd_decoder_destroy(d);
    CHECK_EQ_INT(arrow_msgs, 1);
    CHECK_EQ_INT(footers, 1);
    reel_buf_free(&written);
    reel_buf_free(&read);
}

TEST(incompressible_image_goes_uncompressed_by_reference)
{
    reel_chunk *chunk = image_chunk(IMAGE_BYTES, 0);
    recording_sink sink;
    write_and_read(chunk, REEL_RRD_COMPRESSION_DEFAULT, REEL_RRD_COMPRESSION_NONE, &sink);
    /* The pixels reached the sink in one write, from the chunk's own buffer. */
    const reel_chunk_component *c = reel_chunk_find_component(chunk, "Image:buffer");
    CHECK_EQ_U64(sink.largest_write, IMAGE_BYTES);
    CHECK(c != NULL && sink.largest_data == c->lists.children[0].buffers[1].data);
    reel_buf_free(&sink.bytes);
    /* Explicit options beat the probe. */
    write_and_read(chunk, REEL_RRD_COMPRESSION_LZ4, REEL_RRD_COMPRESSION_LZ4, &sink);
    reel_buf_free(&sink.bytes);
    write_and_read(chunk, REEL_RRD_COMPRESSION_NONE, REEL_RRD_COMPRESSION_NONE, &sink);
    reel_buf_free(&sink.bytes);
    reel_chunk_release(chunk);
}

TEST(compressible_image_is_lz4)
{
    reel_chunk *chunk = image_chunk(IMAGE_BYTES, 3);
    recording_sink sink;
    write_and_read(chunk, REEL_RRD_COMPRESSION_DEFAULT, REEL_RRD_COMPRESSION_LZ4, &sink);
    CHECK(sink.bytes.len < IMAGE_BYTES / 8);
    reel_buf_free(&sink.bytes);
    reel_chunk_release(chunk);
}

TEST(uncompressed_arrow_msg_is_what_the_payload_codec_writes)
{
    reel_chunk *chunk = image_chunk(IMAGE_BYTES, 0);
    recording_sink sink;
    write_and_read(chunk, REEL_RRD_COMPRESSION_DEFAULT, REEL_RRD_COMPRESSION_NONE, &sink);
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG, .store_id = store};
    msg.arrow.chunk = chunk;
    reel_rrd_encode_options options = {.compression = REEL_RRD_COMPRESSION_NONE};
    reel_buf payload = {0};
    CHECK_OK(reel_rrd_message_encode(&msg, REEL_RRD_ENVELOPE_NONE, &options, &payload, NULL, NULL));
    /* The file: header (12), SetStoreInfo frame, then the ArrowMsg frame. */
    size_t at = REEL_RRD_STREAM_HEADER_SIZE;
    uint64_t kind = 0, len = 0;
    reel_rrd_message_header_decode(sink.bytes.data + at, &kind, &len);
    at += REEL_RRD_MESSAGE_HEADER_SIZE + len;
    reel_rrd_message_header_decode(sink.bytes.data + at, &kind, &len);
    CHECK_EQ_U64(kind, REEL_RRD_MESSAGE_ARROW_MSG);
    if (CHECK_EQ_U64(len, payload.len))
        CHECK_EQ_MEM(sink.bytes.data + at + REEL_RRD_MESSAGE_HEADER_SIZE, payload.data, len);
    reel_buf_free(&payload);
    reel_buf_free(&sink.bytes);
    reel_chunk_release(chunk);
}

TEST(small_chunks_keep_lz4)
{
    reel_chunk *chunk = image_chunk(1000, 0); /* below the reference threshold */
    recording_sink sink;
    write_and_read(chunk, REEL_RRD_COMPRESSION_DEFAULT, REEL_RRD_COMPRESSION_LZ4, &sink);
    reel_buf_free(&sink.bytes);
    reel_chunk_release(chunk);
}

int main(void)
{
    RUN(ipc_stream_by_reference_has_the_copied_bytes);
    RUN(incompressible_image_goes_uncompressed_by_reference);
    RUN(compressible_image_is_lz4);
    RUN(uncompressed_arrow_msg_is_what_the_payload_codec_writes);
    RUN(small_chunks_keep_lz4);
    TEST_MAIN_END();
}
