/* Time control (viewer-behavior.md §7): the automatic timeline choice and pending timelines,
 * initial play states for files and live sources, playback with speed/fps, loop modes,
 * following, stepping between logged times with wrap-around, and the state persisted in the
 * blueprint's time_panel (so undo restores it). */
#include <math.h>

#include "viewer_testing.h"

static reel_viewer *new_viewer(void)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 3}, &v, NULL));
    return v;
}

static void log_at(reel_viewer *v, const char *timeline, int64_t t)
{
    vt_log_value(v, "app", "rec", "/s", t, timeline, "Scalars", "scalars", (double)t, 0, 0);
}

TEST(timeline_choice_follows_priorities)
{
    reel_viewer *v = new_viewer();
    log_at(v, "log_tick", 1);
    log_at(v, "log_tick", 2);
    log_at(v, "log_tick", 3);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_time t;
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "log_tick");
    log_at(v, "log_time", 5);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "log_time");
    log_at(v, "frame", 7);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "frame"); /* user-defined beats log_time */
    CHECK(!t.timeline_user_picked);
    /* A picked timeline sticks and is persisted; one that does not exist yet is pending. */
    reel_viewer_time_set_timeline(v, rec, "log_tick");
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "log_tick");
    CHECK(t.timeline_user_picked);
    reel_viewer_time_set_timeline(v, rec, "later");
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.pending_timeline, "later");
    log_at(v, "later", 100);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "later");
    CHECK(t.pending_timeline == NULL);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

TEST(files_play_from_the_start_and_pause_at_the_end)
{
    reel_viewer *v = new_viewer();
    for (int i = 0; i <= 30; i += 10)
        log_at(v, "frame", i);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_time t;
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PLAYING);
    CHECK_EQ_INT(t.cursor, 0);
    CHECK_NEAR(t.fps, 30.0, 1e-9);
    reel_viewer_begin_frame(v, 0.1); /* 0.1 s × 30 fps = 3 frames */
    reel_viewer_time_get(rec, &t);
    CHECK_NEAR(t.time, 3.0, 1e-9);
    reel_viewer_begin_frame(v, 5.0); /* capped at 0.1 s */
    reel_viewer_time_get(rec, &t);
    CHECK_NEAR(t.time, 6.0, 1e-9);
    reel_viewer_time_set_speed(v, rec, 100.0);
    reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 30);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PAUSED);
    /* Play again at the end: back to the start. */
    reel_viewer_time_toggle_play(v, rec);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 0);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PLAYING);
    /* Loop all wraps. */
    reel_viewer_time_set_loop_mode(v, rec, REEL_LOOP_ALL);
    reel_viewer_time_set_cursor(rec, 29);
    reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 0);
    /* Loop selection wraps inside the selection. */
    reel_viewer_time_set_selection(v, rec, true, 10, 20);
    reel_viewer_time_set_loop_mode(v, rec, REEL_LOOP_SELECTION);
    reel_viewer_time_set_cursor(rec, 19);
    reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 10);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

TEST(stepping_visits_logged_times_and_wraps)
{
    reel_viewer *v = new_viewer();
    log_at(v, "frame", 5);
    log_at(v, "frame", 9);
    log_at(v, "frame", 20);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time t;
    reel_viewer_time_step(v, rec, +1, true);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 9);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PAUSED);
    reel_viewer_time_step(v, rec, +1, true);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 20);
    reel_viewer_time_step(v, rec, +1, true);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 5); /* wrapped */
    reel_viewer_time_step(v, rec, -1, true);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 20);
    reel_viewer_time_step(v, rec, -1, true);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 9);
    reel_viewer_time_to_start(rec);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 5);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

TEST(live_sources_follow_the_end)
{
    reel_viewer *v = new_viewer();
    reel_rrd_message info = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO};
    info.store_info.store_id = (reel_store_id){REEL_STORE_KIND_RECORDING, "rec", "app"};
    CHECK_OK(reel_viewer_ingest(v, &info, REEL_VIEWER_SOURCE_LIVE, NULL));
    log_at(v, "frame", 1);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    CHECK(reel_viewer_recording_is_live(rec));
    reel_viewer_time t;
    reel_viewer_begin_frame(v, 0.016);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_FOLLOWING);
    log_at(v, "frame", 50);
    reel_viewer_begin_frame(v, 0.016);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 50);
    /* Scrubbing leaves Following but keeps playing; End follows again. */
    reel_viewer_time_set_cursor(rec, 10);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PLAYING);
    reel_viewer_time_to_end_and_follow(v, rec);
    log_at(v, "frame", 60);
    reel_viewer_begin_frame(v, 0.016);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.cursor, 60);
    /* Looping turns following off. */
    reel_viewer_time_set_loop_mode(v, rec, REEL_LOOP_ALL);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PLAYING);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

TEST(time_panel_state_lives_in_the_blueprint)
{
    reel_viewer *v = new_viewer();
    log_at(v, "frame", 0);
    log_at(v, "frame", 10);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_end_frame(v);
    reel_viewer_time_set_speed(v, rec, 4.0);
    reel_viewer_time_set_play_state(v, rec, REEL_PLAY_PAUSED);
    reel_viewer_end_frame(v);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    const reel_bp_time_panel *tp = &reel_viewer_blueprint_model(bp)->time_panel;
    CHECK(tp->has_speed);
    CHECK_NEAR(tp->speed, 4.0, 1e-12);
    CHECK_EQ_INT(tp->play_state, REEL_PLAY_PAUSED);
    reel_viewer_time_set_speed(v, rec, 0.5);
    reel_viewer_end_frame(v);
    CHECK(reel_bp_undo(bp));
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    CHECK_NEAR(t.speed, 4.0, 1e-12); /* undo restored the persisted speed */
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

/* One Scalars row at `t` ns on the timestamp timeline "log_time". */
static void log_ns(reel_viewer *v, int64_t t, double value)
{
    const reel_types_archetype *arch = reel_types_archetype_find("Scalars");
    const reel_types_field *fd = reel_types_archetype_field(arch, "scalars");
    const reel_arrow_field *type = NULL;
    CHECK_OK(reel_types_component_arrow_field(fd->type, &type, NULL));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(type, NULL, &b, NULL));
    CHECK_OK(reel_arrow_builder_append_double(b, value));
    reel_arrow_array values = {0};
    CHECK_OK(reel_arrow_builder_finish(b, &values, NULL));
    reel_arrow_builder_destroy(b);
    reel_chunk_cell cell = {
        .descriptor = {(char *)arch->name, (char *)fd->component, (char *)fd->type->name},
        .field = type,
        .values = &values,
        .offset = 0,
        .length = 1};
    reel_chunk_builder *cb = NULL;
    CHECK_OK(reel_chunk_builder_create("/s", &cb, NULL));
    reel_chunk_time time = {"log_time", REEL_TIME_TIMESTAMP_NS, t};
    CHECK_OK(reel_chunk_builder_add_row(cb, reel_tuid_new(), &time, 1, &cell, 1, NULL));
    reel_chunk *chunk = NULL;
    CHECK_OK(reel_chunk_builder_finish(cb, &chunk, NULL));
    reel_chunk_builder_destroy(cb);
    reel_arrow_array_reset(&values);
    reel_rrd_message msg = {.kind = REEL_RRD_MESSAGE_ARROW_MSG};
    msg.store_id = (reel_store_id){REEL_STORE_KIND_RECORDING, "rec", "app"};
    msg.arrow.chunk = chunk;
    CHECK_OK(reel_viewer_ingest(v, &msg, REEL_VIEWER_SOURCE_FILE, NULL));
    reel_chunk_release(chunk);
}

/* The value of /s at the cursor, as a view queries it; NaN when there is none. */
static double value_at_cursor(reel_viewer_recording *rec)
{
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    const reel_store *store = reel_viewer_recording_store(rec);
    uint32_t entity = reel_store_entity_find(store, "/s");
    reel_vec out;
    reel_vec_init(&out, sizeof(reel_store_result), NULL);
    double value = NAN;
    if (reel_viewer_view_latest_at(rec, &entity, 1, t.timeline, t.cursor, "Scalars:scalars", &out,
                                   NULL) == REEL_OK &&
        out.len == 1) {
        const reel_store_result *r = &REEL_VEC_AT(&out, reel_store_result, 0);
        if (r->state == REEL_STORE_VALUE) {
            int64_t start = 0, end = 0;
            reel_arrow_array_get_list_range(&r->column->field, &r->column->lists, r->value.row,
                                            &start, &end);
            if (end > start)
                value = reel_arrow_array_get_double(&r->column->field.children[0],
                                                    &r->column->lists.children[0], start);
        }
    }
    reel_vec_free(&out);
    return value;
}

/* Nanosecond timestamps (~1.8e18) are beyond a double's integers: the cursor is exact, so the
 * cursor at the last time shows the last row, and playback's fractional steps add up. */
TEST(timestamp_cursor_is_exact_to_the_nanosecond)
{
    reel_viewer *v = new_viewer();
    const int64_t base = INT64_C(1763800000123456789);
    for (int k = 0; k < 10; k++)
        log_ns(v, base + 7 * k, k);
    const int64_t last = base + 63;
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_time t;
    reel_viewer_begin_frame(v, 0);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_STR(t.timeline_name, "log_time");
    CHECK(t.cursor == base);
    CHECK_NEAR(value_at_cursor(rec), 0, 0);
    /* Playing past the end pauses exactly at the last time, which shows the last row. */
    reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK_EQ_INT(t.play_state, REEL_PLAY_PAUSED);
    CHECK(t.cursor == last);
    CHECK(t.data_max == last);
    CHECK_NEAR(value_at_cursor(rec), 9, 0);
    reel_viewer_time_set_cursor(rec, last - 1);
    CHECK_NEAR(value_at_cursor(rec), 8, 0);
    reel_viewer_time_set_cursor(rec, last);
    CHECK_NEAR(value_at_cursor(rec), 9, 0);
    /* Following sits exactly at the end too. */
    reel_viewer_time_to_end_and_follow(v, rec);
    reel_viewer_begin_frame(v, 0.016);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor == last);
    /* A quarter of a nanosecond per frame: four frames move the cursor by exactly one. */
    reel_viewer_time_set_cursor(rec, base);
    reel_viewer_time_set_speed(v, rec, 2.5e-9);
    reel_viewer_time_set_play_state(v, rec, REEL_PLAY_PLAYING);
    for (int i = 0; i < 3; i++)
        reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor == base);
    CHECK(t.cursor_fraction > 0.7 && t.cursor_fraction < 0.8);
    reel_viewer_begin_frame(v, 0.1);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor == base + 1);
    /* Stepping lands on logged times exactly. */
    reel_viewer_time_step(v, rec, +1, true);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor == base + 7);
    CHECK_NEAR(value_at_cursor(rec), 1, 0);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

int main(void)
{
    RUN(timeline_choice_follows_priorities);
    RUN(files_play_from_the_start_and_pause_at_the_end);
    RUN(stepping_visits_logged_times_and_wraps);
    RUN(live_sources_follow_the_end);
    RUN(time_panel_state_lives_in_the_blueprint);
    RUN(timestamp_cursor_is_exact_to_the_nanosecond);
    TEST_MAIN_END();
}
