/* Time control (viewer-behavior.md §7): the automatic timeline choice and pending timelines,
 * initial play states for files and live sources, playback with speed/fps, loop modes,
 * following, stepping between logged times with wrap-around, and the state persisted in the
 * blueprint's time_panel (so undo restores it). */
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

int main(void)
{
    RUN(timeline_choice_follows_priorities);
    RUN(files_play_from_the_start_and_pause_at_the_end);
    RUN(stepping_visits_logged_times_and_wraps);
    RUN(live_sources_follow_the_end);
    RUN(time_panel_state_lives_in_the_blueprint);
    TEST_MAIN_END();
}
