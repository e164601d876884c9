/* The memory sink keeps messages unencoded until a take: what a take hands over decodes to the
 * same messages (kinds, store ids, chunk ids, chunk contents) as what a file sink beside it
 * wrote as the messages came; each take is a complete stream starting with the store info;
 * a take with nothing new is empty; the sink's data outlives the recording. */
#include <stdio.h>
#include <unistd.h>

#include "sdk_testing.h"

typedef struct message_list {
    int count;
    reel_rrd_message_kind kinds[64];
    reel_chunk *chunks[64]; /* retained, ARROW_MSG only */
    bool has_footer;
} message_list;

static void list_bytes(const uint8_t *data, size_t len, message_list *out)
{
    memset(out, 0, sizeof *out);
    reel_rrd_decoder *d = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &d, NULL));
    CHECK_OK(reel_rrd_decoder_push(d, data, len, NULL));
    for (;;) {
        reel_rrd_message msg = {0};
        bool got = false;
        reel_error err = {0};
        if (!CHECK_OK(reel_rrd_decoder_next(d, &msg, &got, &err)))
            fprintf(stderr, "    %s\n", err.message);
        if (!got)
            break;
        if (msg.kind == REEL_RRD_MESSAGE_END) {
            out->has_footer = msg.footer.manifest_count > 0;
        } else if (out->count < 64) {
            out->kinds[out->count] = msg.kind;
            if (msg.kind == REEL_RRD_MESSAGE_ARROW_MSG)
                out->chunks[out->count] = reel_chunk_retain(msg.arrow.chunk);
            out->count++;
        }
        reel_rrd_message_reset(&msg);
    }
    CHECK_OK(reel_rrd_decoder_finish(d, NULL));
    reel_rrd_decoder_destroy(d);
}

static void list_reset(message_list *list)
{
    for (int i = 0; i < list->count; i++)
        reel_chunk_release(list->chunks[i]);
    memset(list, 0, sizeof *list);
}

/* The IPC stream of a chunk: equal streams are equal chunks (ids, rows, times, cells). */
static void chunk_ipc(const reel_chunk *chunk, reel_buf *out)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    reel_buf_clear(out);
    CHECK_OK(reel_chunk_to_batch(chunk, &schema, &batch, NULL));
    CHECK_OK(reel_ipc_write_stream(out, &schema, &batch, 1, NULL, NULL));
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
}

static void check_same(const message_list *a, const message_list *b)
{
    if (!CHECK_EQ_INT(a->count, b->count))
        return;
    reel_buf x = {0}, y = {0};
    for (int i = 0; i < a->count; i++) {
        CHECK_EQ_INT(a->kinds[i], b->kinds[i]);
        if (a->chunks[i] == NULL || b->chunks[i] == NULL) {
            CHECK(a->chunks[i] == b->chunks[i]);
            continue;
        }
        chunk_ipc(a->chunks[i], &x);
        chunk_ipc(b->chunks[i], &y);
        if (CHECK_EQ_U64(x.len, y.len))
            CHECK_EQ_MEM(x.data, y.data, x.len);
    }
    reel_buf_free(&x);
    reel_buf_free(&y);
}

static void log_some(reel_recording *rec, int first_frame)
{
    enum { SIDE = 600 }; /* 1.4 MB: every image is a one-row chunk of its own */
    static uint8_t pixels[SIDE * SIDE * 4];
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (uint8_t)(i * 7 + (size_t)first_frame);
    reel_image_format format = {.width = SIDE,
                                .height = SIDE,
                                .color_model = REEL_ColorModel_RGBA,
                                .channel_datatype = REEL_ChannelDatatype_U8};
    for (int frame = first_frame; frame < first_frame + 3; frame++) {
        double value = frame * 0.5;
        reel_set_time_sequence(rec, "frame", frame);
        CHECK_OK(reel_log(rec, "image",
                          &(reel_image){.buffer = reel_batch_bytes(pixels, sizeof pixels),
                                        .format = reel_batch_values(&format, 1)}));
        CHECK_OK(reel_log(rec, "scalar", &(reel_scalars){.scalars = reel_batch_values(&value, 1)}));
        pixels[0]++;
    }
}

TEST(take_after_deferred_encoding_equals_a_file_written_as_it_came)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/reel_memory_sink_%d.rrd", (int)getpid());
    reel_recording *rec = NULL;
    reel_memory_sink *memory = NULL;
    reel_error err = {0};
    CHECK_OK(reel_recording_create(
        &(reel_recording_options){.application_id = "memory_sink_test", .no_properties = true},
        &rec, &err));
    CHECK_OK(reel_memory_sink_create(&memory, &err));
    reel_sink_spec sinks[2] = {{.kind = REEL_SINK_MEMORY, .memory = memory},
                               {.kind = REEL_SINK_FILE, .path = path}};
    CHECK_OK(reel_set_sinks(rec, sinks, 2, &err));
    log_some(rec, 0);
    CHECK_OK(reel_flush_blocking(rec, 30, &err));
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK_OK(reel_memory_sink_take(memory, &data, &len, &err));
    message_list taken;
    list_bytes(data, len, &taken);
    free(data);
    /* The file sink beside it, closed by the destroy. */
    CHECK_OK(reel_recording_destroy(rec, &err));
    FILE *f = fopen(path, "rb");
    reel_buf file = {0};
    if (CHECK(f != NULL)) {
        uint8_t chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            reel_buf_append(&file, chunk, n);
        fclose(f);
    }
    remove(path);
    message_list written;
    list_bytes(file.data, file.len, &written);
    CHECK_EQ_INT(taken.count, 1 + 3 + 1); /* info, three images, the scalars */
    CHECK_EQ_INT(taken.kinds[0], REEL_RRD_MESSAGE_SET_STORE_INFO);
    CHECK(taken.has_footer);
    check_same(&taken, &written);
    /* A take with nothing new is empty; the sink outlives the recording. */
    CHECK_OK(reel_memory_sink_take(memory, &data, &len, &err));
    CHECK(data == NULL && len == 0);
    list_reset(&taken);
    list_reset(&written);
    reel_buf_free(&file);
    reel_memory_sink_destroy(memory);
}

TEST(each_take_is_a_stream_starting_with_the_store_info)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    log_some(rec, 0);
    decoded first, second;
    take_decoded(rec, memory, &first);
    log_some(rec, 10);
    take_decoded(rec, memory, &second);
    CHECK(first.info_first && second.info_first);
    CHECK_EQ_INT(first.n_infos, 1);
    CHECK_EQ_INT(second.n_infos, 1);
    CHECK(first.has_end && second.has_end);
    CHECK_EQ_INT(rows_of(&first, "/image"), 3);
    CHECK_EQ_INT(rows_of(&second, "/image"), 3);
    CHECK_EQ_INT(rows_of(&second, "/scalar"), 3);
    char json[512];
    const reel_chunk *c = chunk_of(&second, "/scalar", 0);
    if (CHECK(c != NULL))
        CHECK_EQ_STR(cell_json(c, "Scalars:scalars", 0, json), "[5]");
    decoded_reset(&first);
    decoded_reset(&second);
    reel_recording_destroy(rec, NULL);
    reel_memory_sink_destroy(memory);
}

int main(void)
{
    RUN(take_after_deferred_encoding_equals_a_file_written_as_it_came);
    RUN(each_take_is_a_stream_starting_with_the_store_info);
    TEST_MAIN_END();
}
