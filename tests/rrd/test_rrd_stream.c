/* Round trips through the rrd writer and the incremental decoder: chunks compressed and not
 * come back equal (schema with metadata, values, ids, static flags), store infos and
 * activations keep their fields, the footer manifests point at the right ArrowMsg payloads,
 * the stream footer checks out; concatenated streams, several stores, legacy bare End
 * messages, headers-only decoding, any piece size, zero-copy blobs, bytes_needed, and files
 * through create_path / read_path. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rrd/rrd.h"
#include "rrd/rrd_events.h"
#include "rrd/rrd_testing.h"
#include "test.h"

static reel_store_id recording = {REEL_STORE_KIND_RECORDING, "rec_test", "test_app"};
static reel_store_id blueprint = {REEL_STORE_KIND_BLUEPRINT, "bp_test", "test_app"};

/* Three chunks: temporal (2 rows, sparse radii), static, and many rows. */
static int make_chunks(reel_chunk **chunks)
{
    static const float xyz[6] = {1, 2, 3, 4, 5, 6};
    static const double radius[1] = {0.25}, many[3] = {1, 2, 3};
    rt_component points[2] = {{"rerun.archetypes.Points3D", "Points3D:positions",
                               "rerun.components.Position3D",
                               "fixed_size_list<item: float not null>[3]", RT_POSITION, xyz, 2, 0},
                              {"rerun.archetypes.Points3D", "Points3D:radii",
                               "rerun.components.Radius", "float", RT_DOUBLE, radius, 1, 1u}};
    rt_component scalars = {"rerun.archetypes.Scalars",
                            "Scalars:scalars",
                            "rerun.components.Scalar",
                            "double",
                            RT_DOUBLE,
                            many,
                            3,
                            0};
    CHECK_OK(rt_chunk("/world/points", "frame", REEL_TIME_SEQUENCE, 10, true, 2, points, 2,
                      &chunks[0], NULL));
    CHECK_OK(rt_chunk("/world/points", NULL, 0, 0, false, 1, &points[1], 1, &chunks[1], NULL));
    CHECK_OK(rt_chunk("/plot", "elapsed", REEL_TIME_DURATION_NS, 0, false, 50, &scalars, 1,
                      &chunks[2], NULL));
    return 3;
}

static bool same_chunk(const reel_chunk *a, const reel_chunk *b)
{
    reel_arrow_field sa, sb;
    reel_arrow_array ba, bb;
    CHECK_OK(reel_chunk_to_batch(a, &sa, &ba, NULL));
    CHECK_OK(reel_chunk_to_batch(b, &sb, &bb, NULL));
    bool same = CHECK(reel_arrow_field_type_equal(&sa, &sb, true)) &&
                CHECK(reel_arrow_array_equal(&sa, &ba, &bb)) &&
                CHECK_EQ_U64(a->id.time_ns, b->id.time_ns) && CHECK_EQ_U64(a->id.inc, b->id.inc) &&
                CHECK_EQ_INT(a->is_static, b->is_static);
    reel_arrow_field_reset(&sa);
    reel_arrow_field_reset(&sb);
    reel_arrow_array_reset(&ba);
    reel_arrow_array_reset(&bb);
    return same;
}

/* Writes store info, the chunks, a blueprint activation; returns the bytes. */
static void write_stream(reel_buf *out, reel_chunk **chunks, int n,
                         const reel_rrd_writer_options *options)
{
    reel_rrd_sink sink = reel_rrd_sink_buf(out);
    reel_rrd_writer *w = NULL;
    reel_error err = {0};
    reel_store_info info = {.store_id = recording};
    if (!CHECK_OK(reel_rrd_writer_create(&sink, options, &w, &err)))
        return;
    CHECK_OK(reel_rrd_writer_write_store_info(w, &info, &err));
    for (int i = 0; i < n; i++)
        CHECK_OK(reel_rrd_writer_write_chunk(w, &recording, chunks[i], &err));
    CHECK_OK(reel_rrd_writer_write_blueprint_activation(w, &blueprint, true, false, &err));
    CHECK_OK(reel_rrd_writer_finish(w, &err));
    CHECK_EQ_U64(reel_rrd_writer_bytes_written(w), out->len);
    reel_rrd_writer_destroy(w);
}

static void round_trip(reel_rrd_compression compression)
{
    reel_chunk *chunks[3];
    int n = make_chunks(chunks);
    reel_buf bytes = {0};
    reel_rrd_writer_options options = {.compression = compression};
    write_stream(&bytes, chunks, n, &options);
    CHECK_EQ_MEM(bytes.data, "RRF2\x00\x29\x00\x00", 8);
    CHECK_EQ_INT(bytes.data[8], compression == REEL_RRD_COMPRESSION_NONE ? 0 : 1);

    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &d, NULL));
    CHECK_OK(reel_rrd_decoder_push(d, bytes.data, bytes.len, NULL));
    reel_rrd_message msg = {0};
    bool got;
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    CHECK(got && msg.kind == REEL_RRD_MESSAGE_SET_STORE_INFO);
    CHECK(reel_store_id_equal(&msg.store_id, &recording));
    CHECK_EQ_INT(msg.store_info.source_kind, REEL_STORE_SOURCE_C_SDK);
    CHECK(msg.store_info.has_source_extra && msg.store_info.source_extra_len == 0);
    CHECK_EQ_MEM(msg.store_info.store_version, "\x00\x29\x00\x00", 4);
    CHECK(msg.store_info.row_id.time_ns != 0);
    CHECK_EQ_U64(msg.offset, 12);
    reel_rrd_message_reset(&msg);
    uint64_t arrow_offsets[3];
    for (int i = 0; i < n; i++) {
        CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
        if (!CHECK(got && msg.kind == REEL_RRD_MESSAGE_ARROW_MSG && msg.arrow.chunk))
            break;
        CHECK_EQ_U64(msg.index, (uint64_t)i + 1);
        arrow_offsets[i] = msg.offset;
        same_chunk(msg.arrow.chunk, chunks[i]);
        CHECK(msg.arrow.has_chunk_id && msg.arrow.chunk_id.inc == chunks[i]->id.inc);
        CHECK(msg.arrow.has_is_static && msg.arrow.is_static == chunks[i]->is_static);
        CHECK_EQ_INT(msg.arrow.compression, compression == REEL_RRD_COMPRESSION_NONE
                                                ? REEL_RRD_COMPRESSION_NONE
                                                : REEL_RRD_COMPRESSION_LZ4);
        reel_rrd_message_reset(&msg);
    }
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    CHECK(got && msg.kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION);
    CHECK(reel_store_id_equal(&msg.store_id, &blueprint));
    CHECK(msg.activation.make_active && !msg.activation.make_default);
    reel_rrd_message_reset(&msg);

    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    CHECK(got && msg.kind == REEL_RRD_MESSAGE_END);
    if (CHECK_EQ_INT(msg.footer.manifest_count, 1)) {
        const reel_rrd_manifest *m = &msg.footer.manifests[0];
        CHECK(reel_store_id_equal(&m->store_id, &recording));
        CHECK(m->has_sorbet_schema_sha256);
        /* RowId, frame, log_time, elapsed, positions, radii, scalars. */
        CHECK_EQ_INT(m->sorbet_schema.n_children, 7);
        CHECK_EQ_INT(m->chunk_count, n);
        for (int i = 0; i < n && i < m->chunk_count; i++) {
            const reel_rrd_chunk_entry *e = &m->chunks[i];
            CHECK_EQ_U64(e->chunk_id.inc, chunks[i]->id.inc);
            CHECK_EQ_INT(e->is_static, chunks[i]->is_static);
            CHECK_EQ_U64(e->num_rows, (uint64_t)chunks[i]->row_count);
            CHECK_EQ_STR(e->entity_path, chunks[i]->entity_path);
            CHECK_EQ_U64(e->byte_offset, arrow_offsets[i] + 16);
            /* Random access: the payload at the manifest's offset decodes on its own. */
            reel_rrd_message direct = {0};
            if (CHECK(e->byte_offset + e->byte_size <= bytes.len) &&
                CHECK_OK(reel_rrd_message_decode(REEL_RRD_MESSAGE_ARROW_MSG, REEL_RRD_ENVELOPE_NONE,
                                                 bytes.data + e->byte_offset, e->byte_size, NULL,
                                                 &direct, NULL))) {
                same_chunk(direct.arrow.chunk, chunks[i]);
                CHECK_EQ_U64(direct.arrow.uncompressed_size, e->byte_size_uncompressed);
            }
            reel_rrd_message_reset(&direct);
        }
    }
    uint64_t end_offset = msg.offset, end_len = msg.payload_len;
    reel_rrd_message_reset(&msg);
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    CHECK(!got);
    CHECK_EQ_U64(reel_rrd_decoder_offset(d), bytes.len);
    CHECK_OK(reel_rrd_decoder_finish(d, NULL));
    reel_rrd_decoder_destroy(d);

    /* The stream footer: one entry pointing at the RrdFooter, with its xxh32. */
    reel_rrd_stream_footer footer;
    CHECK_EQ_U64(end_offset + 16 + end_len + 32, bytes.len);
    CHECK_OK(reel_rrd_stream_footer_decode(bytes.data + bytes.len - 32, &footer, NULL));
    CHECK_EQ_U64(footer.footer_offset, end_offset + 16);
    CHECK_EQ_U64(footer.footer_len, end_len);
    CHECK_EQ_U64(footer.crc, reel_rrd_footer_crc(bytes.data + end_offset + 16, end_len));
    for (int i = 0; i < n; i++)
        reel_chunk_release(chunks[i]);
    reel_buf_free(&bytes);
}

TEST(round_trip_lz4)
{
    round_trip(REEL_RRD_COMPRESSION_DEFAULT);
}

TEST(round_trip_uncompressed)
{
    round_trip(REEL_RRD_COMPRESSION_NONE);
}

TEST(pieces_blobs_and_bytes_needed)
{
    reel_chunk *chunks[3];
    int n = make_chunks(chunks);
    reel_buf bytes = {0};
    write_stream(&bytes, chunks, n, NULL);
    re_events whole, piece;
    re_decode(bytes.data, bytes.len, 0, NULL, &whole);
    CHECK_EQ_INT(whole.messages, n + 3);
    CHECK_EQ_INT(whole.errors, 0);
    CHECK_OK(whole.finish);
    static const size_t sizes[] = {1, 2, 7, 16, 100, 4096};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        re_decode(bytes.data, bytes.len, sizes[s], NULL, &piece);
        re_same(&whole, &piece);
    }
    /* bytes_needed: 12 for the header, then 16 per message header, then the payload. */
    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &d, NULL));
    CHECK_EQ_U64(reel_rrd_decoder_bytes_needed(d), 12);
    CHECK_OK(reel_rrd_decoder_push(d, bytes.data, 5, NULL));
    CHECK_EQ_U64(reel_rrd_decoder_bytes_needed(d), 7);
    CHECK_OK(reel_rrd_decoder_push(d, bytes.data + 5, 7 + 3, NULL));
    reel_rrd_message msg = {0};
    bool got;
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    CHECK(!got);
    CHECK_EQ_U64(reel_rrd_decoder_bytes_needed(d), 13);
    CHECK_OK(reel_rrd_decoder_push(d, bytes.data + 15, 13, NULL));
    CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
    uint64_t payload_len = reel_load_u64le(bytes.data + 20);
    CHECK_EQ_U64(reel_rrd_decoder_bytes_needed(d), payload_len);
    CHECK_EQ_U64(reel_rrd_decoder_offset(d), 28);
    reel_error err = {0};
    CHECK_EQ_INT(reel_rrd_decoder_finish(d, &err), REEL_TRUNCATED);
    CHECK(strstr(err.message, "message 0 at offset 12: truncated") != NULL);
    reel_rrd_decoder_destroy(d);
    for (int i = 0; i < n; i++)
        reel_chunk_release(chunks[i]);
    reel_buf_free(&bytes);
}

TEST(concatenated_streams)
{
    reel_chunk *chunks[3];
    int n = make_chunks(chunks);
    reel_buf a = {0}, b = {0}, c = {0}, all = {0};
    reel_rrd_writer_options no_footer = {.no_footer = true};
    write_stream(&a, chunks, n, NULL);
    write_stream(&b, chunks, 1, &no_footer); /* ends without End: the next header follows */
    write_stream(&c, chunks + 1, 2, NULL);
    reel_buf_append(&all, a.data, a.len);
    reel_buf_append(&all, b.data, b.len);
    reel_buf_append(&all, c.data, c.len);
    re_events ev;
    re_decode(all.data, all.len, 0, NULL, &ev);
    CHECK_OK(ev.finish);
    CHECK_EQ_INT(ev.errors, 0);
    CHECK_EQ_INT(ev.messages, (n + 3) + (1 + 2) + (2 + 3));
    /* Indices run on across streams; stream index and offset say where each came from. */
    const re_event *first_b = &ev.items[n + 3], *first_c = &ev.items[n + 3 + 3];
    CHECK_EQ_U64(first_b->index, (uint64_t)n + 3);
    CHECK_EQ_INT(first_b->stream_index, 1);
    CHECK_EQ_U64(first_b->stream_offset, a.len);
    CHECK_EQ_U64(first_b->offset, a.len + 12);
    CHECK_EQ_INT(first_c->stream_index, 2);
    CHECK_EQ_U64(first_c->stream_offset, a.len + b.len);
    CHECK_EQ_INT(ev.items[ev.count - 1].kind, REEL_RRD_MESSAGE_END);
    CHECK_EQ_INT(ev.items[ev.count - 1].manifests, 1);

    /* A legacy bare End (len 0, no stream footer): fine at EOF, and (more lenient than
     * Rerun) also when another stream follows. */
    reel_buf legacy = {0};
    reel_buf_append(&legacy, b.data, b.len);
    reel_buf_append_zeros(&legacy, 16);
    re_decode(legacy.data, legacy.len, 3, NULL, &ev);
    CHECK_OK(ev.finish);
    CHECK_EQ_INT(ev.messages, 4);
    CHECK_EQ_INT(ev.items[3].kind, REEL_RRD_MESSAGE_END);
    CHECK_EQ_INT(ev.items[3].manifests, 0);
    reel_buf_append(&legacy, c.data, c.len);
    re_decode(legacy.data, legacy.len, 0, NULL, &ev);
    CHECK_OK(ev.finish);
    CHECK_EQ_INT(ev.errors, 0);
    CHECK_EQ_INT(ev.messages, 4 + 5);
    for (int i = 0; i < n; i++)
        reel_chunk_release(chunks[i]);
    reel_buf_free(&a);
    reel_buf_free(&b);
    reel_buf_free(&c);
    reel_buf_free(&all);
    reel_buf_free(&legacy);
}

TEST(several_stores_and_headers_only)
{
    reel_chunk *chunks[3];
    int n = make_chunks(chunks);
    reel_buf bytes = {0};
    reel_rrd_sink sink = reel_rrd_sink_buf(&bytes);
    reel_rrd_writer *w = NULL;
    CHECK_OK(reel_rrd_writer_create(&sink, NULL, &w, NULL));
    for (int i = 0; i < n; i++) { /* interleaved */
        CHECK_OK(reel_rrd_writer_write_chunk(w, &recording, chunks[i], NULL));
        CHECK_OK(reel_rrd_writer_write_chunk(w, &blueprint, chunks[n - 1 - i], NULL));
    }
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    CHECK_EQ_INT(reel_rrd_writer_write_chunk(w, &recording, chunks[0], NULL), REEL_CLOSED);
    reel_rrd_writer_destroy(w);

    reel_rrd_decoder_options headers_only = {.skip_arrow = true};
    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(&headers_only, &d, NULL));
    CHECK_OK(reel_rrd_decoder_push(d, bytes.data, bytes.len, NULL));
    reel_rrd_message msg = {0};
    bool got = true;
    int arrow = 0;
    while (got) {
        CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, NULL));
        if (got && msg.kind == REEL_RRD_MESSAGE_ARROW_MSG) {
            CHECK(msg.arrow.chunk == NULL && msg.arrow.has_chunk_id);
            arrow++;
        }
        if (got && msg.kind == REEL_RRD_MESSAGE_END && CHECK_EQ_INT(msg.footer.manifest_count, 2)) {
            CHECK(reel_store_id_equal(&msg.footer.manifests[0].store_id, &recording));
            CHECK(reel_store_id_equal(&msg.footer.manifests[1].store_id, &blueprint));
            CHECK(msg.footer.manifests[0].has_sorbet_schema_sha256);
            CHECK_EQ_INT(msg.footer.manifests[0].chunk_count, 0); /* not decoded */
        }
        reel_rrd_message_reset(&msg);
    }
    CHECK_EQ_INT(arrow, 2 * n);
    CHECK_OK(reel_rrd_decoder_finish(d, NULL));
    reel_rrd_decoder_destroy(d);
    for (int i = 0; i < n; i++)
        reel_chunk_release(chunks[i]);
    reel_buf_free(&bytes);
}

static reel_status count_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    int *counts = ctx;
    counts[msg == NULL]++;
    (void)msg_error;
    return REEL_OK;
}

TEST(files)
{
    char path[] = "/tmp/reel_test_rrd_XXXXXX";
    int fd = mkstemp(path);
    if (!CHECK(fd >= 0))
        return;
    /* Through a file descriptor sink first. */
    reel_rrd_sink sink = reel_rrd_sink_fd(fd);
    reel_rrd_writer *w = NULL;
    int chunks = 0, counts[2] = {0, 0};
    CHECK_OK(reel_rrd_writer_create(&sink, NULL, &w, NULL));
    CHECK_OK(rt_write_sample(w, true, &chunks, NULL));
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
    close(fd);
    CHECK_OK(reel_rrd_read_path(path, NULL, count_message, counts, NULL));
    CHECK_EQ_INT(counts[0], chunks + 2 + 1 + 1); /* 2 store infos, activation, End */
    CHECK_EQ_INT(counts[1], 0);
    /* And through create_path. */
    counts[0] = 0;
    CHECK_OK(
        reel_rrd_writer_create_path(path, &(reel_rrd_writer_options){.no_footer = true}, &w, NULL));
    CHECK_OK(rt_write_sample(w, false, &chunks, NULL));
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
    CHECK_OK(reel_rrd_read_path(path, NULL, count_message, counts, NULL));
    CHECK_EQ_INT(counts[0], chunks + 1);
    reel_error err = {0};
    CHECK_EQ_INT(reel_rrd_read_path("/nonexistent/x.rrd", NULL, count_message, counts, &err),
                 REEL_IO);
    CHECK(strstr(err.message, "/nonexistent/x.rrd") != NULL);
    unlink(path);
}

int main(void)
{
    RUN(round_trip_lz4);
    RUN(round_trip_uncompressed);
    RUN(pieces_blobs_and_bytes_needed);
    RUN(concatenated_streams);
    RUN(several_stores_and_headers_only);
    RUN(files);
    TEST_MAIN_END();
}
