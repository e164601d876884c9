/* The viewer's views on large data, without a GPU: the time series view over one series of
 * 1,000,000 scalars (the first frame, which collects the samples from the store, then warm
 * frames over the whole range, min/max-aggregated per pixel column, and zoomed in), and the
 * 3D view building the scene of one entity with 1,000,000 points. Chunks are made from
 * columns and inserted before timing; each figure is the median of several frames. Prints
 * JSON lines: {"bench": ..., "metric": ..., "value": ..., "unit": ...}. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "views/views.h"

#define N 1000000
#define FRAMES 15

static void die(const char *what, const reel_error *err)
{
    fprintf(stderr, "bench_views: %s: %s\n", what, err != NULL ? err->message : "");
    exit(1);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_ms(uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, compare_u64);
    return (double)ns[n / 2] / 1e6;
}

static void report(const char *bench, const char *metric, double value, const char *unit)
{
    printf("{\"bench\": \"%s\", \"metric\": \"%s\", \"value\": %.3f, \"unit\": \"%s\"}\n", bench,
           metric, value, unit);
}

static reel_buf row_ids(int64_t rows)
{
    reel_buf ids = {0};
    uint8_t *p = reel_buf_extend(&ids, (size_t)rows * 16);
    if (p == NULL)
        die("row ids", NULL);
    for (int64_t i = 0; i < rows; i++)
        reel_tuid_to_bytes(reel_tuid_new(), p + i * 16);
    return ids;
}

static void insert_scalars(reel_store *store)
{
    reel_error err = {0};
    reel_arrow_field f64 = {0};
    reel_arrow_field_init(&f64, "item", REEL_ARROW_FLOAT64, true, NULL);
    reel_chunk_column_time time = {.name = "frame", .type = REEL_TIME_SEQUENCE};
    reel_chunk_column_component comp = {
        .descriptor = {"rerun.archetypes.Scalars", "Scalars:scalars", "rerun.components.Scalar"},
        .instance_field = &f64,
        .instances = N};
    int64_t *t = (int64_t *)reel_buf_extend(&time.values, N * sizeof(int64_t));
    double *v = (double *)reel_buf_extend(&comp.values, N * sizeof(double));
    int32_t *o = (int32_t *)reel_buf_extend(&comp.offsets, (N + 1) * sizeof(int32_t));
    if (!t || !v || !o)
        die("scalar columns", NULL);
    for (int32_t i = 0; i < N; i++)
        t[i] = i, v[i] = sin(i * 0.001) + 0.1 * sin(i * 0.37), o[i] = i;
    o[N] = N;
    reel_buf ids = row_ids(N);
    reel_chunk *chunk = NULL;
    if (reel_chunk_from_columns("/series", N, &ids, &time, 1, &comp, 1, &chunk, &err) != REEL_OK)
        die("chunk", &err);
    if (reel_store_insert(store, chunk, &err) != REEL_OK)
        die("insert", &err);
    reel_chunk_release(chunk);
    reel_arrow_field_reset(&f64);
}

static void insert_points(reel_store *store)
{
    reel_error err = {0};
    reel_arrow_field fsl = {0};
    if (reel_arrow_type_parse("fixed_size_list<item: float not null>[3]", 40, &fsl, NULL, &err) !=
        REEL_OK)
        die("type", &err);
    reel_chunk_column_time time = {.name = "frame", .type = REEL_TIME_SEQUENCE};
    reel_chunk_column_component comp = {.descriptor = {"rerun.archetypes.Points3D",
                                                       "Points3D:positions",
                                                       "rerun.components.Position3D"},
                                        .instance_field = &fsl,
                                        .instances = N};
    int64_t *t = (int64_t *)reel_buf_extend(&time.values, sizeof(int64_t));
    float *p = (float *)reel_buf_extend(&comp.values, (size_t)N * 3 * sizeof(float));
    int32_t *o = (int32_t *)reel_buf_extend(&comp.offsets, 2 * sizeof(int32_t));
    if (!t || !p || !o)
        die("point columns", NULL);
    t[0] = 0, o[0] = 0, o[1] = N;
    uint32_t s = 12345;
    for (size_t i = 0; i < (size_t)N * 3; i++) {
        s = s * 1664525u + 1013904223u;
        p[i] = (float)(s >> 8) / (float)(1u << 24) * 10.0f;
    }
    reel_buf ids = row_ids(1);
    reel_chunk *chunk = NULL;
    if (reel_chunk_from_columns("/cloud", 1, &ids, &time, 1, &comp, 1, &chunk, &err) != REEL_OK)
        die("chunk", &err);
    if (reel_store_insert(store, chunk, &err) != REEL_OK)
        die("insert", &err);
    reel_chunk_release(chunk);
    reel_arrow_field_reset(&fsl);
}

/* 10,000 entities of one point each, one chunk per entity (as logging them one by one). */
static void insert_entities(reel_store *store, char (*paths)[32], int count)
{
    reel_error err = {0};
    reel_arrow_field fsl = {0};
    if (reel_arrow_type_parse("fixed_size_list<item: float not null>[3]", 40, &fsl, NULL, &err) !=
        REEL_OK)
        die("type", &err);
    for (int e = 0; e < count; e++) {
        snprintf(paths[e], sizeof paths[e], "/many/%d", e);
        reel_chunk_column_time time = {.name = "frame", .type = REEL_TIME_SEQUENCE};
        reel_chunk_column_component comp = {
            .descriptor = {"rerun.archetypes.Points3D", "Points3D:positions",
                           "rerun.components.Position3D"},
            .instance_field = &fsl,
            .instances = 1};
        int64_t *t = (int64_t *)reel_buf_extend(&time.values, sizeof(int64_t));
        float *p = (float *)reel_buf_extend(&comp.values, 3 * sizeof(float));
        int32_t *o = (int32_t *)reel_buf_extend(&comp.offsets, 2 * sizeof(int32_t));
        if (!t || !p || !o)
            die("entity columns", NULL);
        t[0] = 0, o[0] = 0, o[1] = 1;
        p[0] = (float)(e % 100), p[1] = (float)(e / 100), p[2] = 0;
        reel_buf ids = row_ids(1);
        reel_chunk *chunk = NULL;
        if (reel_chunk_from_columns(paths[e], 1, &ids, &time, 1, &comp, 1, &chunk, &err) !=
            REEL_OK)
            die("chunk", &err);
        if (reel_store_insert(store, chunk, &err) != REEL_OK)
            die("insert", &err);
        reel_chunk_release(chunk);
    }
    reel_arrow_field_reset(&fsl);
}

typedef struct frame {
    reel_ui *ui;
    reel_input input;
    reel_arena arena;
    reel_vec scenes, textures;
    reel_view_input in;
} frame;

static void frame_begin(frame *f)
{
    reel_arena_reset(&f->arena);
    reel_vec_clear(&f->scenes);
    reel_vec_clear(&f->textures);
    f->input.time_secs += 1.0 / 60.0;
    reel_ui_begin(f->ui, &f->input);
    f->in.ui = f->ui;
}

int main(void)
{
    reel_error err = {0};
    reel_store *store = NULL;
    if (reel_store_create(NULL, &store, &err) != REEL_OK)
        die("store", &err);
    insert_scalars(store);
    insert_points(store);

    frame f;
    memset(&f, 0, sizeof f);
    f.ui = reel_ui_create(NULL);
    f.input = (reel_input){.width = 1280, .height = 720, .pixels_per_point = 1, .time_secs = 1};
    reel_arena_init(&f.arena, NULL, 1 << 20);
    reel_vec_init(&f.scenes, sizeof(reel_draw_scene), NULL);
    reel_vec_init(&f.textures, sizeof(reel_draw_texture), NULL);
    const char *series[] = {"/series"};
    f.in = (reel_view_input){.store = store,
                             .entities = series,
                             .n_entities = 1,
                             .origin = "/",
                             .timeline = "frame",
                             .time = N / 2,
                             .rect = {0, 0, 1280, 720},
                             .view_id = 1,
                             .arena = &f.arena,
                             .scenes = &f.scenes,
                             .textures = &f.textures};
    reel_view_timeseries_state ts = {.x_set = true, .x_min = 0, .x_max = N - 1};
    reel_view_timeseries_info info;
    reel_view_output out;
    uint64_t ns[FRAMES];

    uint64_t t0 = reel_clock_monotonic_ns();
    frame_begin(&f);
    if (reel_view_timeseries_draw(&f.in, &ts, &out, &info, &err) != REEL_OK)
        die("timeseries", &err);
    reel_ui_end(f.ui);
    report("views.timeseries_1m", "first_frame_collect_and_draw_ms",
           (double)(reel_clock_monotonic_ns() - t0) / 1e6, "ms");
    for (int i = 0; i < FRAMES; i++) {
        t0 = reel_clock_monotonic_ns();
        frame_begin(&f);
        reel_view_timeseries_draw(&f.in, &ts, &out, &info, NULL);
        reel_ui_end(f.ui);
        ns[i] = reel_clock_monotonic_ns() - t0;
    }
    report("views.timeseries_1m", "frame_whole_range_ms", median_ms(ns, FRAMES), "ms");
    report("views.timeseries_1m", "points_drawn", info.series[0].n_points, "points");
    report("views.timeseries_1m", "samples_visited", (double)info.series[0].n_samples, "samples");
    ts.x_min = N / 2 - 50000, ts.x_max = N / 2 + 50000;
    for (int i = 0; i < FRAMES; i++) {
        t0 = reel_clock_monotonic_ns();
        frame_begin(&f);
        reel_view_timeseries_draw(&f.in, &ts, &out, &info, NULL);
        reel_ui_end(f.ui);
        ns[i] = reel_clock_monotonic_ns() - t0;
    }
    report("views.timeseries_1m", "frame_10pct_range_ms", median_ms(ns, FRAMES), "ms");
    reel_view_timeseries_state_free(&ts);

    const char *cloud[] = {"/cloud"};
    f.in.entities = cloud;
    f.in.time = 0;
    reel_view_spatial3d_state s3 = {0};
    for (int i = 0; i < FRAMES; i++) {
        t0 = reel_clock_monotonic_ns();
        frame_begin(&f);
        if (reel_view_spatial3d_draw(&f.in, &s3, &out, &err) != REEL_OK)
            die("spatial3d", &err);
        reel_ui_end(f.ui);
        ns[i] = reel_clock_monotonic_ns() - t0;
    }
    report("views.spatial3d_1m_points", "frame_scene_build_ms", median_ms(ns, FRAMES), "ms");
    reel_view_spatial3d_state_free(&s3);

    enum { ENTITIES = 10000 };
    static char paths[ENTITIES][32];
    static const char *entity_list[ENTITIES];
    insert_entities(store, paths, ENTITIES);
    for (int e = 0; e < ENTITIES; e++)
        entity_list[e] = paths[e];
    f.in.entities = entity_list;
    f.in.n_entities = ENTITIES;
    reel_store_cache *cache = NULL;
    if (reel_store_cache_create(NULL, &cache, &err) != REEL_OK)
        die("cache", &err);
    reel_view_spatial3d_state many = {0};
    for (int pass = 0; pass < 2; pass++) {
        f.in.cache = pass ? cache : NULL;
        for (int i = 0; i < FRAMES; i++) {
            t0 = reel_clock_monotonic_ns();
            frame_begin(&f);
            if (reel_view_spatial3d_draw(&f.in, &many, &out, &err) != REEL_OK)
                die("spatial3d", &err);
            reel_ui_end(f.ui);
            ns[i] = reel_clock_monotonic_ns() - t0;
        }
        report("views.spatial3d_10k_entities",
               pass ? "frame_ms_with_latest_at_cache" : "frame_ms_no_cache", median_ms(ns, FRAMES),
               "ms");
    }
    reel_view_spatial3d_state_free(&many);
    reel_store_cache_destroy(cache);

    reel_vec_free(&f.scenes);
    reel_vec_free(&f.textures);
    reel_arena_free(&f.arena);
    reel_ui_destroy(f.ui);
    reel_store_destroy(store);
    return 0;
}
