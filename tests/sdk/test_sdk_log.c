/* The logging calls of the C SDK, checked on what a memory sink receives: archetypes with
 * splatted and explicitly empty batches, partial updates, clears, static rows, user
 * components, send_columns, properties, errors that never abort, disabled streams. */
#include "sdk_testing.h"

static int callback_messages;
static char last_message[600];

static void capture(void *ctx, reel_log_level level, const char *module, const char *message)
{
    (void)ctx;
    if (level >= REEL_LOG_WARN && strcmp(module, "sdk") == 0) {
        callback_messages++;
        snprintf(last_message, sizeof last_message, "%s", message);
    }
}

TEST(memory_round_trip_and_splat)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    CHECK_OK(reel_set_time_sequence(rec, "frame", 7));
    float xyz[] = {0, 0, 0, 1, 1, 1, 2, 2, 2};
    uint32_t red = 0xff0000ffu;
    const char *labels[] = {"a", "b", "c"};
    CHECK_OK(reel_log(rec, "world/points",
                      &(reel_points3d){.positions = reel_batch_values(xyz, 3),
                                       .colors = reel_batch_values(&red, 1),
                                       .labels = reel_batch_strings(labels, 3)}));
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK(d.info_first);
    CHECK_EQ_INT(d.n_infos, 1);
    CHECK(d.has_end);
    CHECK_EQ_INT(d.n_chunks, 1);
    const reel_chunk *chunk = chunk_of(&d, "/world/points", 0);
    char json[512];
    if (CHECK(chunk != NULL)) {
        CHECK_EQ_INT(chunk->row_count, 1);
        CHECK_EQ_STR(cell_json(chunk, "Points3D:colors", 0, json), "[4278190335]");
        CHECK_EQ_STR(cell_json(chunk, "Points3D:positions", 0, json), "[[0,0,0],[1,1,1],[2,2,2]]");
        CHECK_EQ_STR(cell_json(chunk, "Points3D:labels", 0, json), "[\"a\",\"b\",\"c\"]");
        CHECK_EQ_STR(cell_json(chunk, "Points3D:radii", 0, json), "absent");
        CHECK_EQ_INT(time_of(chunk, "frame", 0), 7);
        CHECK(reel_chunk_find_timeline(chunk, "log_time") != NULL);
        CHECK(reel_chunk_find_timeline(chunk, "log_tick") == NULL);
        const reel_chunk_component *c = reel_chunk_find_component(chunk, "Points3D:colors");
        CHECK_EQ_STR(c->descriptor.archetype, "rerun.archetypes.Points3D");
        CHECK_EQ_STR(c->descriptor.component_type, "rerun.components.Color");
    }
    decoded_reset(&d);
    /* A second take starts a new complete stream, store info first. */
    CHECK_OK(
        reel_log(rec, "world/points", &(reel_points3d){.positions = reel_batch_values(xyz, 1)}));
    take_decoded(rec, memory, &d);
    CHECK(d.info_first);
    CHECK_EQ_INT(d.n_chunks, 1);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(partial_updates_clears_and_static)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    float xy[] = {1, 2};
    CHECK_OK(reel_set_time_sequence(rec, "frame", 1));
    CHECK_OK(reel_log(rec, "p", &(reel_points2d){.positions = reel_batch_values(xy, 1)}));
    uint32_t blue = 0x0000ffffu;
    CHECK_OK(reel_log(
        rec, "p",
        &(reel_points2d){.colors = reel_batch_values(&blue, 1), .radii = reel_batch_empty()}));
    CHECK_OK(reel_log_clear_fields(rec, "p", REEL_ARCHETYPE_Points2D, NULL));
    CHECK_OK(reel_log_clear(rec, "p", true, NULL));
    CHECK_OK(reel_log_static(rec, "s", &(reel_points2d){.positions = reel_batch_values(xy, 1)}));
    decoded d;
    take_decoded(rec, memory, &d);
    char json[512];
    const reel_chunk *partial = NULL, *cleared = NULL, *clear = NULL, *stat = NULL;
    for (int i = 0; i < d.n_chunks; i++) {
        const reel_chunk *c = d.chunks[i];
        if (strcmp(c->entity_path, "/s") == 0)
            stat = c;
        else if (reel_chunk_find_component(c, "Clear:is_recursive"))
            clear = c;
        else if (c->n_components == 8)
            cleared = c;
        else if (reel_chunk_find_component(c, "Points2D:colors"))
            partial = c;
    }
    if (CHECK(partial != NULL)) {
        CHECK_EQ_INT(partial->n_components, 2);
        CHECK_EQ_STR(cell_json(partial, "Points2D:radii", 0, json), "[]");
        CHECK_EQ_STR(cell_json(partial, "Points2D:positions", 0, json), "absent");
    }
    if (CHECK(cleared != NULL))
        for (int32_t i = 0; i < cleared->n_components; i++)
            CHECK_EQ_STR(cell_json(cleared, cleared->components[i].descriptor.component, 0, json),
                         "[]");
    if (CHECK(clear != NULL))
        CHECK_EQ_STR(cell_json(clear, "Clear:is_recursive", 0, json), "[true]");
    if (CHECK(stat != NULL)) {
        CHECK(stat->is_static);
        CHECK_EQ_INT(stat->n_timelines, 0);
    }
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(user_components_columns_and_properties)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    double confidence[] = {0.9, 0.7};
    reel_component user[] = {
        {.component = "confidence",
         .arrow_type = "double",
         .values = reel_batch_values(confidence, 2)},
        {.archetype = "my.Arch",
         .component = "my.Arch:pos",
         .component_type = "rerun.components.Position2D",
         .values = reel_batch_values((float[]){1, 2}, 1)},
    };
    CHECK_OK(reel_log_components(rec, "u", user, 2, REEL_LOG_STATIC, NULL));
    int64_t steps[] = {1, 2, 3};
    double values[] = {10, 20, 21, 30};
    uint32_t lengths[] = {1, 2, 1};
    reel_time_column time = {"step", REEL_TIME_KIND_SEQUENCE, steps};
    reel_component_column column = {
        .component = {.component = "Scalars:scalars", .values = reel_batch_values(values, 4)},
        .lengths = lengths};
    CHECK_OK(reel_send_columns(rec, "cols", &time, 1, &column, 1, 3, NULL));
    /* Lengths that do not add up are an error, not a crash. */
    lengths[0] = 5;
    reel_error err = {0};
    CHECK_EQ_INT(reel_send_columns(rec, "cols", &time, 1, &column, 1, 3, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "Scalars:scalars") != NULL);
    CHECK_OK(reel_send_recording_name(rec, "named", NULL));
    const char *value = "v";
    reel_component prop = {
        .component = "k", .arrow_type = "string", .values = reel_batch_string(&value)};
    CHECK_OK(reel_send_property(rec, "my prop", &prop, 1, NULL));
    decoded d;
    take_decoded(rec, memory, &d);
    char json[512];
    const reel_chunk *u = chunk_of(&d, "/u", 0), *cols = chunk_of(&d, "/cols", 0);
    if (CHECK(u != NULL)) {
        CHECK(u->is_static);
        CHECK_EQ_STR(cell_json(u, "confidence", 0, json), "[0.9,0.7]");
        const reel_chunk_component *c = reel_chunk_find_component(u, "confidence");
        CHECK(c->descriptor.archetype == NULL && c->descriptor.component_type == NULL);
        CHECK_EQ_STR(cell_json(u, "my.Arch:pos", 0, json), "[[1,2]]");
    }
    if (CHECK(cols != NULL)) {
        CHECK_EQ_INT(cols->row_count, 3);
        CHECK(reel_chunk_find_timeline(cols, "log_time") == NULL);
        CHECK_EQ_STR(cell_json(cols, "Scalars:scalars", 1, json), "[20,21]");
        CHECK_EQ_INT(time_of(cols, "step", 2), 3);
        CHECK_EQ_STR(reel_chunk_find_component(cols, "Scalars:scalars")->descriptor.archetype,
                     "rerun.archetypes.Scalars");
    }
    CHECK(chunk_of(&d, "/__properties", 0) != NULL);
    CHECK(chunk_of(&d, "/__properties/my\\ prop", 0) != NULL);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(errors_never_abort)
{
    reel_log_set_callback(capture, NULL);
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    reel_error err = {0};
    float xyz[] = {1, 2, 3};
    /* A bad entity path escape. */
    CHECK_EQ_INT(reel_log_ex(rec, "bad\\q", 0, &err,
                             &(reel_points3d){.positions = reel_batch_values(xyz, 1)}),
                 REEL_INVALID_ARGUMENT);
    CHECK(callback_messages >= 1);
    CHECK(strstr(last_message, "reel_log") != NULL);
    /* Strings into a float component. */
    const char *s = "x";
    int before = callback_messages;
    CHECK_EQ_INT(
        reel_log_ex(rec, "p", 0, &err, &(reel_points3d){.positions = reel_batch_strings(&s, 1)}),
        REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "Points3D:positions") != NULL);
    CHECK(callback_messages > before);
    /* Values for a string component; NULL data; unknown user type. */
    CHECK(reel_log(rec, "p", &(reel_points3d){.labels = reel_batch_values(xyz, 1)}) != REEL_OK);
    CHECK(reel_log(rec, "p", &(reel_points3d){.positions = reel_batch_values(NULL, 2)}) != REEL_OK);
    reel_component unknown = {.component = "x", .values = reel_batch_values(xyz, 1)};
    CHECK(reel_log_components(rec, "p", &unknown, 1, 0, NULL) != REEL_OK);
    CHECK(reel_log_archetype(rec, "p", 9999, xyz, 0, NULL) != REEL_OK);
    CHECK(reel_set_time_sequence(rec, "", 1) != REEL_OK);
    CHECK(reel_save(rec, "/nonexistent-dir/x.rrd", &err) == REEL_IO);
    /* Without a reel_error the status is still the real one. */
    CHECK_EQ_INT(
        reel_recording_create(&(reel_recording_options){0}, &(reel_recording *){NULL}, NULL),
        REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_log(rec, "bad\\q", &(reel_points3d){.positions = reel_batch_values(xyz, 1)}),
                 REEL_INVALID_ARGUMENT);
    /* Nothing reached the sink. */
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(d.n_chunks, 0);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
    reel_log_set_callback(NULL, NULL);
}

TEST(disabled_and_defaults)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){.disabled = true}, &memory);
    CHECK(!reel_recording_is_enabled(rec));
    double v = 1;
    CHECK_OK(reel_log(rec, "s", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    reel_recording_set_enabled(rec, true);
    /* The thread-local default wins over the global one; NULL uses them. */
    reel_recording_set_global(NULL);
    reel_recording_set_thread_local(rec);
    CHECK(reel_recording_current() == rec);
    CHECK_OK(reel_log(NULL, "t", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}));
    reel_recording_set_thread_local(NULL);
    CHECK(reel_recording_current() == NULL);
    CHECK(reel_log(NULL, "t", &(reel_scalars){.scalars = reel_batch_values(&v, 1)}) != REEL_OK);
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/s"), 0);
    CHECK_EQ_INT(rows_of(&d, "/t"), 1);
    decoded_reset(&d);
    /* Recording ids: a fresh UUID unless given. */
    const char *id = reel_recording_id(rec);
    CHECK(id != NULL && strlen(id) == 36 && id[14] == '4');
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

TEST(blueprint_stream_and_activation)
{
    reel_recording *rec = NULL;
    reel_memory_sink *memory = NULL;
    reel_error err = {0};
    CHECK_OK(reel_recording_create(
        &(reel_recording_options){.application_id = "bp", .kind = REEL_BLUEPRINT}, &rec, &err));
    CHECK_OK(reel_memory_sink_create(&memory, &err));
    CHECK_OK(reel_memory(rec, memory, &err));
    CHECK_OK(reel_set_time_sequence(rec, "blueprint", 0));
    bool auto_layout = true;
    CHECK_OK(reel_log(
        rec, "viewport",
        &(reel_blueprint_viewport_blueprint){.auto_layout = reel_batch_values(&auto_layout, 1)}));
    CHECK_OK(reel_send_blueprint_activation(rec, true, true, &err));
    CHECK_OK(reel_flush_blocking(rec, 30, &err));
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK_OK(reel_memory_sink_take(memory, &data, &len, &err));
    /* Order: store info (blueprint), the chunk, then the activation, then the footer. */
    reel_rrd_decoder *decoder = NULL;
    CHECK_OK(reel_rrd_decoder_create(NULL, &decoder, &err));
    CHECK_OK(reel_rrd_decoder_push(decoder, data, len, &err));
    int kinds[8], n = 0;
    for (;;) {
        reel_rrd_message msg = {0};
        bool got = false;
        if (reel_rrd_decoder_next(decoder, &msg, &got, &err) != REEL_OK || !got)
            break;
        if (n < 8)
            kinds[n++] = (int)msg.kind;
        if (msg.kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
            CHECK_EQ_INT(msg.store_id.kind, REEL_STORE_KIND_BLUEPRINT);
        if (msg.kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
            CHECK(msg.activation.make_active && msg.activation.make_default);
        reel_rrd_message_reset(&msg);
    }
    reel_rrd_decoder_destroy(decoder);
    free(data);
    if (CHECK_EQ_INT(n, 4)) {
        CHECK_EQ_INT(kinds[0], REEL_RRD_MESSAGE_SET_STORE_INFO);
        CHECK_EQ_INT(kinds[1], REEL_RRD_MESSAGE_ARROW_MSG);
        CHECK_EQ_INT(kinds[2], REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION);
        CHECK_EQ_INT(kinds[3], REEL_RRD_MESSAGE_END);
    }
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

int main(void)
{
    RUN(memory_round_trip_and_splat);
    RUN(partial_updates_clears_and_static);
    RUN(user_components_columns_and_properties);
    RUN(errors_never_abort);
    RUN(disabled_and_defaults);
    RUN(blueprint_stream_and_activation);
    TEST_MAIN_END();
}
