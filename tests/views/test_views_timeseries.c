/* The time series view: a million samples reduced to at most two points per pixel column with
 * the exact min and max of each column, y auto-range with its margin, styles and legend
 * entries (SeriesLines / SeriesPoints, several instances), legend clicks, Clears and NaNs as
 * gaps, the default x range, pan and reset. */
#include "views_testing.h"

#define BIG 1000000

static reel_view_output draw(views_frame *f, reel_view_timeseries_state *st,
                             reel_view_timeseries_info *info)
{
    reel_view_output out;
    views_frame_begin(f);
    CHECK_OK(reel_view_timeseries_draw(&f->in, st, &out, info, NULL));
    views_frame_end(f);
    return out;
}

static double big_value(int64_t i)
{
    if (i == 123457)
        return 50;
    if (i == 654321)
        return -40;
    if (i == 500000)
        return NAN;
    return sin((double)i * 0.01);
}

TEST(million_samples_aggregate_per_pixel_column)
{
    views_rec r;
    views_rec_begin(&r);
    int64_t *times = malloc(BIG * sizeof(int64_t));
    double *values = malloc(BIG * sizeof(double));
    for (int64_t i = 0; i < BIG; i++)
        times[i] = i, values[i] = big_value(i);
    reel_time_column tc = {"frame", REEL_TIME_KIND_SEQUENCE, times};
    reel_component_column cc = {
        .component = {.component = "Scalars:scalars", .values = reel_batch_values(values, BIG)}};
    CHECK_OK(reel_send_columns(r.rec, "big", &tc, 1, &cc, 1, BIG, NULL));
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/big");
    f.in.time = 500;
    reel_view_timeseries_state st = {.x_set = true, .x_min = 0, .x_max = BIG - 1};
    reel_view_timeseries_info info;
    draw(&f, &st, &info);
    if (!CHECK_EQ_INT(info.n_series, 1))
        return;
    const reel_view_timeseries_series *s = &info.series[0];
    double width = info.plot.x1 - info.plot.x0;
    CHECK(s->aggregated);
    CHECK_EQ_U64(s->n_samples, BIG);
    CHECK(s->n_points <= 2 * (uint32_t)width + 3);
    CHECK(s->n_points > (uint32_t)width);
    /* Exact per column: the emitted values of a column are its min and max. */
    double inv = width / (double)(BIG - 1);
    uint32_t cols = (uint32_t)width + 1;
    double *mn = malloc(cols * sizeof(double)), *mx = malloc(cols * sizeof(double));
    for (uint32_t c = 0; c < cols; c++)
        mn[c] = INFINITY, mx[c] = -INFINITY;
    for (int64_t i = 0; i < BIG; i++) {
        double v = values[i];
        if (v != v)
            continue;
        uint32_t c = (uint32_t)floor((double)i * inv);
        mn[c] = v < mn[c] ? v : mn[c];
        mx[c] = v > mx[c] ? v : mx[c];
    }
    uint32_t per_col[2048] = {0};
    int nan_points = 0, bad = 0;
    for (uint32_t p = 0; p < s->n_points; p++) {
        if (s->values[p] != s->values[p]) {
            nan_points++;
            continue;
        }
        uint32_t c = (uint32_t)floor(s->times[p] * inv);
        per_col[c]++;
        if (s->values[p] != mn[c] && s->values[p] != mx[c])
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(nan_points, 1); /* the NaN passes through as a break */
    int missing = 0;
    for (uint32_t c = 0; c < cols; c++) {
        if (mn[c] == INFINITY)
            continue;
        CHECK(per_col[c] <= 2 + 1); /* min, max (+ the window cut by the NaN) */
        bool has_min = false, has_max = false;
        for (uint32_t p = 0; p < s->n_points; p++)
            if (s->values[p] == s->values[p] && (uint32_t)floor(s->times[p] * inv) == c) {
                has_min = has_min || s->values[p] == mn[c];
                has_max = has_max || s->values[p] == mx[c];
            }
        missing += !has_min || !has_max;
        if (c > 20 && c < cols - 20)
            c += 17; /* the quadratic check on a sample of columns */
    }
    CHECK_EQ_INT(missing, 0);
    /* y auto-range: [-40, 50] plus 5 % on each side. */
    CHECK_NEAR(info.y_min, -44.5, 1e-9);
    CHECK_NEAR(info.y_max, 54.5, 1e-9);
    /* Zoomed in to 200 ticks: every sample is drawn as it is. */
    st.x_min = 1000, st.x_max = 1200;
    draw(&f, &st, &info);
    CHECK(!info.series[0].aggregated);
    CHECK_EQ_INT(info.series[0].n_points, 203); /* 201 + one sample beyond each edge */
    CHECK_NEAR(info.series[0].times[0], 999, 0);
    free(mn);
    free(mx);
    free(times);
    free(values);
    reel_view_timeseries_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(styles_legend_and_instances)
{
    views_rec r;
    views_rec_begin(&r);
    const char *name = "speed";
    uint32_t red = 0xff0000ffu;
    float width = 2;
    reel_log_static(r.rec, "a",
                    &(reel_series_lines){.names = reel_batch_string(&name),
                                         .colors = reel_batch_values(&red, 1),
                                         .widths = reel_batch_values(&width, 1)});
    float marker = 6;
    uint8_t diamond = REEL_MarkerShape_Diamond;
    reel_log_static(r.rec, "c",
                    &(reel_series_points){.marker_sizes = reel_batch_values(&marker, 1),
                                          .markers = reel_batch_values(&diamond, 1)});
    for (int t = 0; t < 10; t++) {
        reel_set_time_sequence(r.rec, "frame", t);
        double v = t, two[2] = {t, -t};
        reel_log(r.rec, "a", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
        reel_log(r.rec, "b", &(reel_scalars){.scalars = reel_batch_values(two, 2)});
        reel_log(r.rec, "c", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/a");
    views_frame_add(&f, "/b");
    views_frame_add(&f, "/c");
    f.in.time = 3;
    reel_view_timeseries_state st = {0};
    reel_view_timeseries_info info;
    draw(&f, &st, &info);
    if (!CHECK_EQ_INT(info.n_series, 4))
        return;
    CHECK_EQ_STR(info.series[0].name, "speed");
    CHECK_EQ_U64(info.series[0].color, REEL_RGBA(255, 0, 0, 255));
    CHECK_NEAR(info.series[0].width_pt, 2, 0);
    CHECK(!info.series[0].points);
    CHECK_EQ_STR(info.series[1].name, "b[0]");
    CHECK_EQ_STR(info.series[2].name, "b[1]");
    CHECK(info.series[1].color != info.series[2].color);
    CHECK_NEAR(info.series[1].width_pt, 0.75, 1e-6);
    CHECK_NEAR(info.series[2].values[9], -9, 0);
    CHECK(info.series[3].points);
    CHECK_NEAR(info.series[3].marker_size, 6, 0);
    CHECK_EQ_INT(info.series[3].marker, REEL_MarkerShape_Diamond);
    CHECK_EQ_INT(info.series[0].marker, REEL_MarkerShape_Circle);
    /* The default x range is the data's; y fits -9..9 with 5 %. */
    CHECK_NEAR(info.x_min, 0, 0);
    CHECK_NEAR(info.x_max, 9, 0);
    CHECK_NEAR(info.y_min, -9.9, 1e-9);
    /* Hovering near a drawn point reports its series. */
    {
        const reel_view_timeseries_series *b1 = &info.series[2];
        double xr = info.x_max - info.x_min, yr = info.y_max - info.y_min;
        float px = info.plot.x0 +
                   (float)((b1->times[9] - info.x_min) / xr) * (info.plot.x1 - info.plot.x0);
        float py = info.plot.y1 -
                   (float)((b1->values[9] - info.y_min) / yr) * (info.plot.y1 - info.plot.y0);
        driver_move(&f.driver, px - 2, py + 1);
        reel_view_output hover = draw(&f, &st, &info);
        CHECK(hover.hovered);
        CHECK_EQ_STR(hover.hover.entity_path, "/b");
        CHECK_EQ_INT(hover.hover.instance, 1);
    }
    /* A click on the first legend entry hides that series and refits y. */
    float eh = reel_ui_line_height(f.driver.ui, REEL_UI_FONT_BODY);
    float lh = 4 * eh + 8;
    float y0 = info.plot.y1 - 4 - lh;
    driver_move(&f.driver, info.plot.x0 + 20, y0 + 4 + eh * 0.5f);
    draw(&f, &st, &info);
    driver_press(&f.driver, REEL_MOUSE_LEFT);
    draw(&f, &st, &info);
    driver_release(&f.driver, REEL_MOUSE_LEFT);
    reel_view_output out = draw(&f, &st, &info);
    CHECK(out.state_changed);
    CHECK_EQ_INT(st.n_hidden, 1);
    draw(&f, &st, &info);
    CHECK(!info.series[0].visible);
    CHECK(info.series[1].visible);
    reel_view_timeseries_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(clears_are_gaps_and_interaction)
{
    views_rec r;
    views_rec_begin(&r);
    for (int t = 0; t < 10; t++) {
        reel_set_time_sequence(r.rec, "frame", t);
        if (t == 5)
            reel_log_clear(r.rec, "p/s", false, NULL);
        if (t == 8)
            reel_log_clear(r.rec, "p", true, NULL);
        double v = t * 2;
        reel_log(r.rec, "p/s", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    reel_set_time_sequence(r.rec, "frame", 3);
    reel_log_clear(r.rec, "p", false, NULL); /* not recursive: no gap for the child */
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/p/s");
    reel_view_timeseries_state st = {0};
    reel_view_timeseries_info info;
    draw(&f, &st, &info);
    if (!CHECK_EQ_INT(info.n_series, 1))
        return;
    const reel_view_timeseries_series *s = &info.series[0];
    CHECK_EQ_INT(s->n_points, 12);
    CHECK(isnan(s->values[5]) && s->times[5] == 5);
    CHECK_NEAR(s->values[6], 10, 0);
    CHECK(isnan(s->values[9]) && s->times[9] == 8);
    CHECK_NEAR(s->values[10], 16, 0);
    /* Dragging pins both ranges; a double-click gives the defaults back. */
    ui_driver *d = &f.driver;
    driver_move(d, (info.plot.x0 + info.plot.x1) / 2, (info.plot.y0 + info.plot.y1) / 2);
    draw(&f, &st, &info);
    driver_press(d, REEL_MOUSE_LEFT);
    draw(&f, &st, &info);
    d->in.pointer_x += 50;
    draw(&f, &st, &info);
    driver_release(d, REEL_MOUSE_LEFT);
    draw(&f, &st, &info);
    CHECK(st.x_set && st.y_set);
    CHECK(info.x_min < 0);
    for (int i = 0; i < 2; i++) {
        driver_press(d, REEL_MOUSE_LEFT);
        draw(&f, &st, &info);
        driver_release(d, REEL_MOUSE_LEFT);
        draw(&f, &st, &info);
    }
    draw(&f, &st, &info);
    CHECK(!st.x_set && !st.y_set);
    CHECK_NEAR(info.x_min, 0, 0);
    /* A right click asks to move the time cursor. */
    driver_press(d, REEL_MOUSE_RIGHT);
    draw(&f, &st, &info);
    driver_release(d, REEL_MOUSE_RIGHT);
    reel_view_output out = draw(&f, &st, &info);
    CHECK(out.set_time);
    CHECK(out.new_time >= 0 && out.new_time <= 9);
    reel_view_timeseries_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

static void insert_decoded(reel_store *store, views_rec *r)
{
    decoded *d = calloc(1, sizeof *d);
    take_decoded(r->rec, r->memory, d);
    for (int i = 0; i < d->n_chunks; i++)
        CHECK_OK(reel_store_insert(store, d->chunks[i], NULL));
    decoded_reset(d);
    free(d);
}

TEST(live_data_extends_the_cached_samples)
{
    views_rec r;
    views_rec_begin(&r);
    reel_store *store = NULL;
    CHECK_OK(reel_store_create(NULL, &store, NULL));
    for (int t = 0; t < 10; t++) {
        reel_set_time_sequence(r.rec, "frame", t);
        double v = t;
        reel_log(r.rec, "s", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    insert_decoded(store, &r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/s");
    reel_view_timeseries_state st = {.x_set = true, .x_min = 0, .x_max = 100};
    reel_view_timeseries_info info;
    draw(&f, &st, &info);
    CHECK_EQ_INT(info.series[0].n_points, 10);
    /* New rows after the cached ones (the live case): appended. */
    for (int t = 10; t < 15; t++) {
        reel_set_time_sequence(r.rec, "frame", t);
        double v = t;
        reel_log(r.rec, "s", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    }
    insert_decoded(store, &r);
    draw(&f, &st, &info);
    if (CHECK_EQ_INT(info.series[0].n_points, 15))
        CHECK_NEAR(info.series[0].values[14], 14, 0);
    /* A row inside the cached span (out of order) and a clear: rebuilt, same as fresh. */
    reel_set_time_sequence(r.rec, "frame", 3);
    double late = 100;
    reel_log(r.rec, "s", &(reel_scalars){.scalars = reel_batch_values(&late, 1)});
    reel_set_time_sequence(r.rec, "frame", 20);
    reel_log_clear(r.rec, "s", false, NULL);
    insert_decoded(store, &r);
    draw(&f, &st, &info);
    const reel_view_timeseries_series *s = &info.series[0];
    if (CHECK_EQ_INT(s->n_points, 17)) {
        CHECK_NEAR(s->values[4], 100, 0); /* after the first row at time 3 */
        CHECK(isnan(s->values[16]));
    }
    reel_recording_destroy(r.rec, NULL);
    reel_memory_sink_destroy(r.memory);
    reel_view_timeseries_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(a_single_sample_at_a_nanosecond_timestamp_draws_and_returns)
{
    /* One sample of a huge value at a 2026 timestamp: both axes have a zero-width range and
     * values whose ULP is far above the fallback tick step. The tick loops used to add the
     * step forever (a hang that ate all memory in `reel --screenshot`). */
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_timestamp_nanos(r.rec, "clock", INT64_C(1795337151541629229));
    double v = 1e18;
    reel_log(r.rec, "flat", &(reel_scalars){.scalars = reel_batch_values(&v, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    f.in.timeline = "clock";
    f.in.time = INT64_C(1795337151541629229);
    views_frame_add(&f, "/flat");
    reel_view_timeseries_state st = {0};
    reel_view_timeseries_info info;
    draw(&f, &st, &info);
    CHECK_EQ_INT(info.n_series, 1);
    /* The axes drew a bounded number of ticks: the draw list stayed small. */
    CHECK(reel_ui_draw_list(f.driver.ui)->n_vertices < 100000);
    reel_view_timeseries_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

int main(void)
{
    RUN(a_single_sample_at_a_nanosecond_timestamp_draws_and_returns);
    RUN(live_data_extends_the_cached_samples);
    RUN(million_samples_aggregate_per_pixel_column);
    RUN(styles_legend_and_instances);
    RUN(clears_are_gaps_and_interaction);
    TEST_MAIN_END();
}
