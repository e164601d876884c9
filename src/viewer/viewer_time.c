/* Per-recording time control (viewer-behavior.md §7): which timeline is active (§7.4), the
 * cursor, play states and live following (§7.5), loop modes, speed and fps, stepping between
 * logged times (§7.6) and the time selection. The persisted part (timeline, play state, loop
 * mode, speed, fps, selection: §7.8) is written to the app's blueprint at `time_panel` and
 * read back from it, so undo, .rbl files and SDK blueprints drive it too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "viewer/viewer_internal.h"

static int timeline_priority(const char *name)
{
    if (strcmp(name, "message_log_time") == 0)
        return 3;
    if (strcmp(name, "log_time") == 0)
        return 1;
    if (strcmp(name, "log_tick") == 0)
        return 0;
    return 2;
}

/* §7.4: highest priority, then most temporal rows, then name. */
static uint32_t choose_timeline(const reel_viewer_recording *rec)
{
    uint32_t best = REEL_STORE_NO_ID;
    int best_priority = -1;
    uint64_t best_rows = 0;
    uint32_t n = reel_store_timeline_count(rec->store);
    for (uint32_t t = 0; t < n; t++) {
        uint64_t rows = reel_viewer_timeline_rows(rec, t);
        if (rows == 0)
            continue;
        const char *name = reel_store_timeline_name(rec->store, t);
        int priority = timeline_priority(name);
        if (best == REEL_STORE_NO_ID || priority > best_priority ||
            (priority == best_priority && rows > best_rows) ||
            (priority == best_priority && rows == best_rows &&
             strcmp(name, reel_store_timeline_name(rec->store, best)) < 0)) {
            best = t;
            best_priority = priority;
            best_rows = rows;
        }
    }
    return best;
}

static bool data_range(const reel_viewer_recording *rec, int64_t *min, int64_t *max)
{
    if (rec->tc_timeline == REEL_STORE_NO_ID)
        return false;
    /* A cache of an immutable answer for this generation of the store: logically const. */
    reel_viewer_recording *cache = (reel_viewer_recording *)rec;
    if (cache->range_generation != rec->generation + 1 || cache->range_timeline != rec->tc_timeline) {
        cache->range_ok = reel_store_time_range(rec->store, REEL_STORE_NO_ID, rec->tc_timeline,
                                                &cache->range_min, &cache->range_max);
        cache->range_generation = rec->generation + 1; /* 0 = nothing cached */
        cache->range_timeline = rec->tc_timeline;
    }
    *min = cache->range_min, *max = cache->range_max;
    return cache->range_ok;
}

/* The cursor exactly at `time` (no fraction). */
static void cursor_set(reel_viewer_recording *rec, int64_t time)
{
    rec->tc_cursor = time;
    rec->tc_frac = 0;
}

static bool is_sequence(const reel_viewer_recording *rec)
{
    return rec->tc_timeline == REEL_STORE_NO_ID ||
           reel_store_timeline_type(rec->store, rec->tc_timeline) == REEL_TIME_SEQUENCE;
}

void reel_viewer_time_get(const reel_viewer_recording *rec, reel_viewer_time *out)
{
    memset(out, 0, sizeof *out);
    out->timeline = rec->tc_timeline;
    out->timeline_name = rec->tc_timeline != REEL_STORE_NO_ID
                             ? reel_store_timeline_name(rec->store, rec->tc_timeline)
                             : "log_time";
    out->timeline_user_picked = rec->tc_user_picked;
    out->pending_timeline = rec->tc_pending;
    out->cursor = rec->tc_cursor;
    out->cursor_fraction = rec->tc_frac;
    out->time = (double)rec->tc_cursor + rec->tc_frac;
    out->play_state = rec->tc_play;
    out->loop_mode = rec->tc_loop;
    out->speed = rec->tc_speed;
    out->fps = rec->tc_fps;
    out->has_selection = rec->tc_has_selection;
    out->selection_min = rec->tc_sel_min;
    out->selection_max = rec->tc_sel_max;
    out->has_data = data_range(rec, &out->data_min, &out->data_max);
    out->has_view_range = rec->tc_has_view;
    out->view_min = rec->tc_view_min;
    out->view_max = rec->tc_view_max;
}

static void adopt_timeline(reel_viewer_recording *rec, const char *name, bool user)
{
    uint32_t t = reel_store_timeline_find(rec->store, name);
    reel_strfree(rec->viewer->alloc, rec->tc_pending);
    rec->tc_pending = NULL;
    if (t == REEL_STORE_NO_ID) {
        /* Pending: adopted when it appears; the automatic choice shows meanwhile. */
        rec->tc_pending = reel_strdup(rec->viewer->alloc, name);
        rec->tc_user_picked = false;
        return;
    }
    if (t != rec->tc_timeline) {
        rec->tc_timeline = t;
        int64_t min = 0, max = 0;
        if (data_range(rec, &min, &max) && (rec->tc_cursor < min || rec->tc_cursor > max))
            cursor_set(rec, rec->tc_play == REEL_PLAY_FOLLOWING ? max : min);
    }
    rec->tc_user_picked = user;
}

/* Applies what the blueprint's time panel says, for the fields whose stored value changed. */
void reel__time_apply_blueprint(reel_viewer_recording *rec, reel_viewer_blueprint *bp)
{
    const reel_bp_time_panel *tp = &reel_viewer_blueprint_model(bp)->time_panel;
    if (tp->timeline != NULL &&
        (rec->tc_pending == NULL || strcmp(rec->tc_pending, tp->timeline) != 0) &&
        (rec->tc_timeline == REEL_STORE_NO_ID || !rec->tc_user_picked ||
         strcmp(reel_store_timeline_name(rec->store, rec->tc_timeline), tp->timeline) != 0))
        adopt_timeline(rec, tp->timeline, true);
    if (tp->play_state >= REEL_PLAY_PAUSED && tp->play_state <= REEL_PLAY_FOLLOWING) {
        rec->tc_play = (reel_viewer_play_state)tp->play_state;
        rec->tc_initialized = rec->tc_initialized || data_range(rec, &(int64_t){0}, &(int64_t){0});
    }
    if (tp->loop_mode >= REEL_LOOP_OFF && tp->loop_mode <= REEL_LOOP_ALL)
        rec->tc_loop = (reel_viewer_loop_mode)tp->loop_mode;
    if (tp->has_speed)
        rec->tc_speed = tp->speed;
    if (tp->has_fps && tp->fps > 0)
        rec->tc_fps = tp->fps;
    if (tp->has_selection) {
        rec->tc_has_selection = true;
        rec->tc_sel_min = tp->selection_min;
        rec->tc_sel_max = tp->selection_max;
    }
}

static reel_viewer_blueprint *blueprint_of(reel_viewer *viewer, reel_viewer_recording *rec)
{
    return reel_viewer_blueprint_for_app(viewer, rec->id.application_id);
}

void reel_viewer_time_update(reel_viewer *viewer, reel_viewer_recording *rec, double dt)
{
    reel_viewer_blueprint *bp = blueprint_of(viewer, rec);
    if (bp != NULL && (bp != rec->tc_bp || bp->generation != rec->tc_bp_generation)) {
        /* The blueprint changed (undo, a new blueprint, an SDK write): re-read its state. */
        reel__time_apply_blueprint(rec, bp);
        rec->tc_bp = bp;
        rec->tc_bp_generation = bp->generation;
    }
    if (rec->tc_pending != NULL &&
        reel_store_timeline_find(rec->store, rec->tc_pending) != REEL_STORE_NO_ID) {
        char *name = rec->tc_pending;
        rec->tc_pending = NULL;
        adopt_timeline(rec, name, true);
        reel_strfree(viewer->alloc, name);
    }
    if (!rec->tc_user_picked) {
        uint32_t t = choose_timeline(rec);
        if (t != REEL_STORE_NO_ID && t != rec->tc_timeline) {
            rec->tc_timeline = t;
            int64_t lo = 0, hi = 0;
            if (rec->tc_initialized && data_range(rec, &lo, &hi) &&
                (rec->tc_cursor < lo || rec->tc_cursor > hi))
                cursor_set(rec, rec->tc_play == REEL_PLAY_FOLLOWING ? hi : lo);
        }
    }
    int64_t min = 0, max = 0;
    if (!data_range(rec, &min, &max))
        return;
    if (!rec->tc_initialized) {
        rec->tc_initialized = true;
        rec->tc_play = rec->live ? REEL_PLAY_FOLLOWING : REEL_PLAY_PLAYING;
        cursor_set(rec, rec->live ? max : min);
    }
    if (dt > 0.1)
        dt = 0.1;
    if (dt < 0)
        dt = 0;
    bool loop_sel = rec->tc_loop == REEL_LOOP_SELECTION && rec->tc_has_selection;
    int64_t lo = loop_sel ? rec->tc_sel_min : min;
    int64_t hi = loop_sel ? rec->tc_sel_max : max;
    switch (rec->tc_play) {
    case REEL_PLAY_FOLLOWING:
        cursor_set(rec, max);
        break;
    case REEL_PLAY_PAUSED:
        break;
    case REEL_PLAY_PLAYING: {
        /* The step in whole units goes to the integer cursor, the rest to the fraction, so
         * the cursor stays exact however large the times are. */
        double step = dt * rec->tc_speed * (is_sequence(rec) ? rec->tc_fps : 1e9);
        double total = rec->tc_frac + step;
        double whole = floor(total);
        int64_t t = rec->tc_cursor;
        bool past_hi = false, past_lo = false;
        if (!(whole < 9.2e18 && whole > -9.2e18) || /* NaN or beyond int64 */
            __builtin_add_overflow(t, (int64_t)whole, &t)) {
            past_hi = step > 0, past_lo = step < 0;
        } else {
            rec->tc_frac = total - whole;
            past_hi = step >= 0 && (t > hi || (t == hi && rec->tc_frac > 0));
            past_lo = step < 0 && t < lo;
        }
        if (past_hi) {
            if (rec->tc_loop != REEL_LOOP_OFF)
                t = lo;
            else if (rec->live)
                t = hi; /* more data may still come: wait at the end */
            else {
                t = hi;
                rec->tc_play = REEL_PLAY_PAUSED;
            }
            cursor_set(rec, t);
        } else if (past_lo) {
            if (rec->tc_loop != REEL_LOOP_OFF)
                t = hi;
            else {
                t = lo;
                rec->tc_play = REEL_PLAY_PAUSED;
            }
            cursor_set(rec, t);
        } else {
            rec->tc_cursor = t;
        }
        break;
    }
    }
}

/* ---------------------------------------------------------------- persisted setters */

static void persist(reel_viewer *viewer, reel_viewer_recording *rec, const bp_cell *cell)
{
    reel_viewer_blueprint *bp = blueprint_of(viewer, rec);
    if (bp == NULL)
        return;
    reel_error err = {0};
    if (reel__bp_write(bp, "/time_panel", cell, 1, &err) != REEL_OK)
        reel_log(REEL_LOG_WARN, "viewer", "time panel state not saved: %s", err.message);
    /* Our own write: nothing to re-apply. */
    rec->tc_bp = bp;
    rec->tc_bp_generation = bp->generation;
}

void reel_viewer_time_set_timeline(reel_viewer *viewer, reel_viewer_recording *rec,
                                   const char *timeline)
{
    adopt_timeline(rec, timeline, true);
    persist(viewer, rec, &(bp_cell){"TimePanelBlueprint", "timeline", BPV_STRING, .s = timeline});
}

void reel_viewer_time_set_play_state(reel_viewer *viewer, reel_viewer_recording *rec,
                                     reel_viewer_play_state state)
{
    rec->tc_play = state;
    rec->tc_initialized = true;
    if (state == REEL_PLAY_FOLLOWING) {
        int64_t min = 0, max = 0;
        if (data_range(rec, &min, &max))
            cursor_set(rec, max);
    }
    persist(viewer, rec, &(bp_cell){"TimePanelBlueprint", "play_state", BPV_UINT, .u = state});
}

void reel_viewer_time_set_loop_mode(reel_viewer *viewer, reel_viewer_recording *rec,
                                    reel_viewer_loop_mode mode)
{
    rec->tc_loop = mode;
    if (mode != REEL_LOOP_OFF && rec->tc_play == REEL_PLAY_FOLLOWING)
        reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PLAYING);
    persist(viewer, rec, &(bp_cell){"TimePanelBlueprint", "loop_mode", BPV_UINT, .u = mode});
}

void reel_viewer_time_set_speed(reel_viewer *viewer, reel_viewer_recording *rec, double speed)
{
    rec->tc_speed = speed;
    persist(viewer, rec,
            &(bp_cell){"TimePanelBlueprint", "playback_speed", BPV_DOUBLE, .d = speed});
}

void reel_viewer_time_set_fps(reel_viewer *viewer, reel_viewer_recording *rec, double fps)
{
    if (!(fps > 0))
        return;
    rec->tc_fps = fps;
    persist(viewer, rec, &(bp_cell){"TimePanelBlueprint", "fps", BPV_DOUBLE, .d = fps});
}

void reel_viewer_time_set_selection(reel_viewer *viewer, reel_viewer_recording *rec, bool has,
                                    int64_t min, int64_t max)
{
    rec->tc_has_selection = has;
    rec->tc_sel_min = min < max ? min : max;
    rec->tc_sel_max = min < max ? max : min;
    bp_cell cell = {"TimePanelBlueprint", "time_selection", has ? BPV_RANGE : BPV_EMPTY,
                    .i0 = rec->tc_sel_min, .i1 = rec->tc_sel_max};
    persist(viewer, rec, &cell);
}

/* ---------------------------------------------------------------- the cursor */

void reel_viewer_time_set_cursor(reel_viewer_recording *rec, int64_t time)
{
    int64_t min = 0, max = 0;
    if (data_range(rec, &min, &max)) {
        if (time < min)
            time = min;
        if (time > max)
            time = max;
    }
    cursor_set(rec, time);
    if (rec->tc_play == REEL_PLAY_FOLLOWING)
        rec->tc_play = REEL_PLAY_PLAYING; /* scrubbing leaves Following, does not pause */
}

void reel_viewer_time_set_view_range(reel_viewer_recording *rec, bool has, double min, double max)
{
    rec->tc_has_view = has;
    rec->tc_view_min = min;
    rec->tc_view_max = max;
}

void reel_viewer_time_toggle_play(reel_viewer *viewer, reel_viewer_recording *rec)
{
    if (rec->tc_play != REEL_PLAY_PAUSED) {
        reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PAUSED);
        return;
    }
    int64_t min = 0, max = 0;
    if (data_range(rec, &min, &max) && rec->tc_cursor >= max)
        cursor_set(rec, min); /* starting at the end jumps back to the start */
    reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PLAYING);
}

/* Temporal rows of every entity at a time in [a, b] on the active timeline. */
static uint64_t count_in(const reel_viewer_recording *rec, int64_t a, int64_t b)
{
    if (a > b)
        return 0;
    int64_t width = 0;
    if (__builtin_sub_overflow(b, a, &width) || width == INT64_MAX)
        width = INT64_MAX - 1;
    uint64_t count = 0;
    if (reel_store_histogram(rec->store, REEL_STORE_NO_ID, false, rec->tc_timeline, a, width + 1, 1,
                             &count, NULL) != REEL_OK)
        return 0;
    return count;
}

/* The first logged time in [a, b], by bisection over the store's histogram. */
static bool first_time_in(const reel_viewer_recording *rec, int64_t a, int64_t b, int64_t *out)
{
    if (count_in(rec, a, b) == 0)
        return false;
    while (a < b) {
        int64_t mid = a + (b - a) / 2;
        if (count_in(rec, a, mid) > 0)
            b = mid;
        else
            a = mid + 1;
    }
    *out = a;
    return true;
}

static bool last_time_in(const reel_viewer_recording *rec, int64_t a, int64_t b, int64_t *out)
{
    if (count_in(rec, a, b) == 0)
        return false;
    while (a < b) {
        int64_t mid = a + (b - a + 1) / 2;
        if (count_in(rec, mid, b) > 0)
            a = mid;
        else
            b = mid - 1;
    }
    *out = a;
    return true;
}

void reel_viewer_time_step(reel_viewer *viewer, reel_viewer_recording *rec, int direction,
                           bool pause)
{
    int64_t min = 0, max = 0;
    if (!data_range(rec, &min, &max))
        return;
    bool loop_sel = rec->tc_loop == REEL_LOOP_SELECTION && rec->tc_has_selection;
    int64_t lo = loop_sel ? rec->tc_sel_min : min, hi = loop_sel ? rec->tc_sel_max : max;
    int64_t cursor = rec->tc_cursor, t = cursor;
    if (direction > 0) {
        if (cursor >= hi || !first_time_in(rec, cursor + 1, hi, &t))
            (void)first_time_in(rec, lo, hi, &t); /* wrap */
    } else {
        if (cursor <= lo || !last_time_in(rec, lo, cursor - 1, &t))
            (void)last_time_in(rec, lo, hi, &t);
    }
    cursor_set(rec, t);
    if (pause)
        reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PAUSED);
    else if (rec->tc_play == REEL_PLAY_FOLLOWING)
        rec->tc_play = REEL_PLAY_PLAYING;
}

void reel_viewer_time_to_start(reel_viewer_recording *rec)
{
    int64_t min = 0, max = 0;
    if (!data_range(rec, &min, &max))
        return;
    cursor_set(rec, min);
    if (rec->tc_play == REEL_PLAY_FOLLOWING)
        rec->tc_play = REEL_PLAY_PLAYING;
}

void reel_viewer_time_to_end_and_follow(reel_viewer *viewer, reel_viewer_recording *rec)
{
    reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_FOLLOWING);
}
