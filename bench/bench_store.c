/* The chunk store on Rerun's own store workloads (re_query benches/latest_at.rs and
 * re_chunk_store benches/gc.rs): latest-at over 1,000 mono entities and over one batch entity,
 * insert rates (whole chunks, and a flood of one-row chunks that compaction merges), GC of
 * 10,000 chunks × 1,000 rows, and the memory the store holds over the raw payload. Chunks are
 * built before timing; every figure is the median of several runs. Prints a markdown table
 * with Rerun's published figures (reference/perf-anchors.md) beside Reel's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static void die(const char *what, const reel_error *err)
{
    fprintf(stderr, "bench_store: %s: %s\n", what, err != NULL ? err->message : "");
    exit(1);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, compare_u64);
    return ns[n / 2];
}

static volatile uint64_t sink;

/* ---------------------------------------------------------------- building chunks */

/* The schema of a Points2D chunk (positions + colors) on timeline "frame_nr", taken from a
 * one-row chunk made by the chunk builder. */
static reel_arrow_field points_schema(void)
{
    reel_arrow_field pos_f, col_f;
    const char *pos_t = "fixed_size_list<item: float not null>[2]";
    if (reel_arrow_type_parse(pos_t, strlen(pos_t), &pos_f, NULL, NULL) != REEL_OK ||
        reel_arrow_type_parse("uint32", 6, &col_f, NULL, NULL) != REEL_OK)
        die("type parse", NULL);
    reel_arrow_builder *pb = NULL, *cb = NULL;
    reel_arrow_array pos = {0}, col = {0};
    float xy[2] = {1, 2};
    uint32_t rgba = 0xFF0000FF;
    reel_arrow_builder_create(&pos_f, NULL, &pb, NULL);
    reel_arrow_builder_append_values(reel_arrow_builder_child(pb, 0), xy, 2);
    reel_arrow_builder_finish_element(pb);
    reel_arrow_builder_finish(pb, &pos, NULL);
    reel_arrow_builder_create(&col_f, NULL, &cb, NULL);
    reel_arrow_builder_append_values(cb, &rgba, 1);
    reel_arrow_builder_finish(cb, &col, NULL);
    reel_chunk_builder *b = NULL;
    reel_chunk *chunk = NULL;
    reel_error err = {0};
    reel_chunk_time t = {"frame_nr", REEL_TIME_SEQUENCE, 0};
    reel_chunk_cell cells[2] = {
        {{"rerun.archetypes.Points2D", "Points2D:positions", "rerun.components.Position2D"},
         &pos_f,
         &pos,
         0,
         1},
        {{"rerun.archetypes.Points2D", "Points2D:colors", "rerun.components.Color"},
         &col_f,
         &col,
         0,
         1}};
    if (reel_chunk_builder_create("/template", &b, &err) != REEL_OK ||
        reel_chunk_builder_add_row(b, reel_tuid_new(), &t, 1, cells, 2, &err) != REEL_OK ||
        reel_chunk_builder_finish(b, &chunk, &err) != REEL_OK)
        die("template chunk", &err);
    reel_arrow_field schema;
    reel_arrow_array batch;
    if (reel_chunk_to_batch(chunk, &schema, &batch, &err) != REEL_OK)
        die("template batch", &err);
    reel_arrow_array_reset(&batch);
    reel_chunk_release(chunk);
    reel_chunk_builder_destroy(b);
    reel_arrow_builder_destroy(pb);
    reel_arrow_builder_destroy(cb);
    reel_arrow_array_reset(&pos);
    reel_arrow_array_reset(&col);
    reel_arrow_field_reset(&pos_f);
    reel_arrow_field_reset(&col_f);
    return schema;
}

static uint64_t next_row_id = 1;

static int32_t column(const reel_arrow_field *schema, const char *name)
{
    for (int32_t c = 0; c < schema->n_children; c++) {
        if (strcmp(schema->children[c].name, name) == 0)
            return c;
    }
    die("no such column", NULL);
    return -1;
}

/* `frames` rows at frames first_frame.. with `points` random points and colors each. */
static reel_chunk *points_chunk(const reel_arrow_field *tmpl, const char *entity,
                                int64_t first_frame, int64_t frames, int32_t points)
{
    reel_arrow_field schema;
    reel_error err = {0};
    if (reel_arrow_field_copy(&schema, tmpl, NULL) != REEL_OK)
        die("schema copy", NULL);
    char id[64];
    reel_tuid_format(reel_tuid_new(), "chunk_", id, sizeof id);
    reel_arrow_metadata_set(&schema.metadata, NULL, "rerun:id", id);
    reel_arrow_metadata_set(&schema.metadata, NULL, "rerun:entity_path", entity);
    reel_arrow_builder *b[4];
    for (int32_t c = 0; c < 4; c++)
        if (reel_arrow_builder_create(&schema.children[c], NULL, &b[c], &err) != REEL_OK)
            die("builder", &err);
    int32_t c_row = column(&schema, "rerun.controls.RowId"), c_time = column(&schema, "frame_nr");
    int32_t c_pos = column(&schema, "Points2D:positions"),
            c_col = column(&schema, "Points2D:colors");
    float *xy = malloc((size_t)points * 2 * sizeof *xy);
    uint32_t *rgba = malloc((size_t)points * sizeof *rgba);
    uint32_t seed = (uint32_t)first_frame * 2654435761u + (uint32_t)points;
    for (int64_t r = 0; r < frames; r++) {
        uint8_t row_id[16];
        reel_tuid_to_bytes((reel_tuid){UINT64_C(0x18EA3D8121352C3B) + next_row_id++, 0}, row_id);
        int64_t frame = first_frame + r;
        reel_arrow_builder_append_values(b[c_row], row_id, 1);
        reel_arrow_builder_append_values(b[c_time], &frame, 1);
        for (int32_t p = 0; p < points; p++) {
            seed = seed * 1664525u + 1013904223u;
            xy[2 * p] = (float)(seed >> 8) / 16777216.0f * 10.0f;
            xy[2 * p + 1] = (float)(seed & 0xFFFF) / 65536.0f * 10.0f;
            rgba[p] = seed | 0xFF;
        }
        reel_arrow_builder *fsl = reel_arrow_builder_child(b[c_pos], 0);
        for (int32_t p = 0; p < points; p++) {
            reel_arrow_builder_append_values(reel_arrow_builder_child(fsl, 0), xy + 2 * p, 2);
            reel_arrow_builder_finish_element(fsl);
        }
        reel_arrow_builder_finish_element(b[c_pos]);
        reel_arrow_builder_append_values(reel_arrow_builder_child(b[c_col], 0), rgba, points);
        reel_arrow_builder_finish_element(b[c_col]);
    }
    reel_arrow_array batch = {.length = frames, .n_buffers = 1, .n_children = 4};
    batch.children = calloc(4, sizeof *batch.children);
    for (int32_t c = 0; c < 4; c++) {
        if (reel_arrow_builder_finish(b[c], &batch.children[c], &err) != REEL_OK)
            die("finish", &err);
        reel_arrow_builder_destroy(b[c]);
    }
    reel_chunk *chunk = NULL;
    if (reel_chunk_from_batch(&schema, &batch, &chunk, &err) != REEL_OK)
        die("from_batch", &err);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    free(xy);
    free(rgba);
    return chunk;
}

/* Raw data as Rerun counts it (perf-anchors: payload plus timeline values), and RowIds. */
typedef struct raw_bytes {
    uint64_t payload_and_times, row_ids;
} raw_bytes;

static raw_bytes raw_of(int64_t rows, int64_t points_per_row)
{
    raw_bytes raw = {(uint64_t)(rows * (points_per_row * (8 + 4) + 8)), (uint64_t)rows * 16};
    return raw;
}

/* The store's own bookkeeping over the chunk bytes it holds. */
static void overhead_row(const reel_store *store, const char *workload)
{
    char a[128];
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    snprintf(a, sizeof a, "%.2f %% (%.1f KiB)",
             100.0 * (double)stats.index_bytes /
                 (double)(stats.static_bytes + stats.temporal_bytes),
             (double)stats.index_bytes / 1024.0);
    printf("| %s | store bookkeeping / chunk bytes held | %s | — | — |\n", workload, a);
}

static reel_store *new_store(const reel_store_desc *desc)
{
    reel_store *store = NULL;
    reel_error err = {0};
    if (reel_store_create(desc, &store, &err) != REEL_OK)
        die("store", &err);
    return store;
}

static uint64_t insert_all(reel_store *store, reel_chunk **chunks, size_t n)
{
    reel_error err = {0};
    uint64_t start = reel_clock_monotonic_ns();
    for (size_t i = 0; i < n; i++)
        if (reel_store_insert(store, chunks[i], &err) != REEL_OK)
            die("insert", &err);
    return reel_clock_monotonic_ns() - start;
}

/* ---------------------------------------------------------------- report */

static void row(const char *workload, const char *metric, const char *reel, const char *rerun,
                const char *target)
{
    printf("| %s | %s | %s | %s | %s |\n", workload, metric, reel, rerun, target);
}

static const char *fmt(char *buf, size_t size, const char *format, double value)
{
    snprintf(buf, size, format, value);
    return buf;
}

/* ---------------------------------------------------------------- workloads */

#define N_ENTITIES 1000
#define N_FRAMES 1000
#define N_POINTS 1000

static void latest_at_sweep(const reel_store *store, const uint32_t *entities, size_t n,
                            uint32_t timeline, const uint32_t *components, int n_components,
                            int64_t time, uint64_t *ns_out, int reps)
{
    for (int r = 0; r < reps; r++) {
        uint64_t start = reel_clock_monotonic_ns(), acc = 0;
        for (size_t e = 0; e < n; e++) {
            for (int c = 0; c < n_components; c++) {
                reel_store_result res;
                acc += reel_store_latest_at_id(store, entities[e], timeline, time, components[c],
                                               &res);
                acc += (uint64_t)res.value.row;
            }
        }
        ns_out[r] = reel_clock_monotonic_ns() - start;
        sink += acc;
    }
}

static void cached_sweep(const reel_store *store, reel_store_cache *cache, const uint32_t *entities,
                         size_t n, uint32_t timeline, const uint32_t *components, int n_components,
                         int64_t time, uint64_t *ns_out, int reps)
{
    for (int r = 0; r < reps; r++) {
        uint64_t start = reel_clock_monotonic_ns(), acc = 0;
        for (size_t e = 0; e < n; e++) {
            for (int c = 0; c < n_components; c++) {
                reel_store_result res;
                acc += reel_store_latest_at_cached(store, cache, entities[e], timeline, time,
                                                   components[c], &res);
                acc += (uint64_t)res.value.row;
            }
        }
        ns_out[r] = reel_clock_monotonic_ns() - start;
        sink += acc;
    }
}

static void mono(const reel_arrow_field *tmpl)
{
    char a[128], b[128];
    reel_chunk **chunks = malloc(N_ENTITIES * sizeof *chunks);
    char path[64];
    for (int e = 0; e < N_ENTITIES; e++) {
        snprintf(path, sizeof path, "/points/%d", e);
        chunks[e] = points_chunk(tmpl, path, 0, N_FRAMES, 1);
    }
    enum { REPS = 5 };
    uint64_t insert_ns[REPS];
    reel_store *store = NULL;
    for (int r = 0; r < REPS; r++) {
        reel_store_destroy(store);
        store = new_store(NULL);
        insert_ns[r] = insert_all(store, chunks, N_ENTITIES);
    }
    double rows = (double)N_ENTITIES * N_FRAMES;
    row("mono: 1,000 entities × 1,000 frames × 1 point", "insert 1,000 chunks of 1,000 rows",
        fmt(a, sizeof a, "%.1f M rows/s", rows / ((double)median(insert_ns, REPS) / 1e9) / 1e6),
        "0.55 M rows/s (1.77 s)", "—");
    uint32_t entities[N_ENTITIES], timeline = reel_store_timeline_find(store, "frame_nr");
    uint32_t comps[2] = {reel_store_component_find(store, "Points2D:positions"),
                         reel_store_component_find(store, "Points2D:colors")};
    for (int e = 0; e < N_ENTITIES; e++) {
        snprintf(path, sizeof path, "/points/%d", e);
        entities[e] = reel_store_entity_find(store, path);
    }
    enum { SWEEPS = 301 };
    uint64_t ns[SWEEPS];
    latest_at_sweep(store, entities, N_ENTITIES, timeline, comps, 1, N_FRAMES / 2, ns, SWEEPS);
    uint64_t one = median(ns, SWEEPS);
    latest_at_sweep(store, entities, N_ENTITIES, timeline, comps, 2, N_FRAMES / 2, ns, SWEEPS);
    uint64_t two = median(ns, SWEEPS);
    row("mono", "latest-at of positions on all 1,000 entities (ids)",
        fmt(a, sizeof a, "%.1f µs", (double)one / 1e3), "—", "< 20 µs");
    row("mono", "latest-at of positions + colors on all 1,000 entities (ids)",
        fmt(a, sizeof a, "%.1f µs", (double)two / 1e3), "1.10 ms uncached", "< 20 µs");
    reel_store_cache *cache = NULL;
    if (reel_store_cache_create(NULL, &cache, NULL) != REEL_OK)
        die("cache", NULL);
    cached_sweep(store, cache, entities, N_ENTITIES, timeline, comps, 2, N_FRAMES / 2, ns, SWEEPS);
    row("mono", "the same through a reel_store_cache (repeated time)",
        fmt(a, sizeof a, "%.1f µs", (double)median(ns, SWEEPS) / 1e3), "162.6 µs cached",
        "< 20 µs");
    cached_sweep(store, cache, entities, N_ENTITIES, timeline, comps, 1, N_FRAMES / 2, ns, SWEEPS);
    row("mono", "positions only through the cache",
        fmt(a, sizeof a, "%.1f µs", (double)median(ns, SWEEPS) / 1e3), "—", "< 20 µs");
    reel_store_cache_destroy(cache);
    for (int r = 0; r < SWEEPS; r++) {
        uint64_t start = reel_clock_monotonic_ns(), acc = 0;
        for (int e = 0; e < N_ENTITIES; e++) {
            snprintf(path, sizeof path, "/points/%d", e);
            reel_store_result res;
            acc += reel_store_latest_at(store, path, "frame_nr", N_FRAMES / 2, "Points2D:positions",
                                        &res);
            acc += reel_store_latest_at(store, path, "frame_nr", N_FRAMES / 2, "Points2D:colors",
                                        &res);
        }
        ns[r] = reel_clock_monotonic_ns() - start;
        sink += acc;
    }
    row("mono", "the same by names (path formatting included)",
        fmt(a, sizeof a, "%.1f µs", (double)median(ns, SWEEPS) / 1e3), "—", "—");
    raw_bytes raw = raw_of((int64_t)rows, 1);
    double used = (double)reel_store_memory_used(store);
    snprintf(b, sizeof b, "%.2f× (%.2f× with RowIds)", used / (double)raw.payload_and_times,
             used / (double)(raw.payload_and_times + raw.row_ids));
    row("mono", "store memory / raw payload (+ times)", b, "—", "≤ 1.2×");
    overhead_row(store, "mono");
    reel_store_destroy(store);
    for (int e = 0; e < N_ENTITIES; e++)
        reel_chunk_release(chunks[e]);
    free(chunks);
}

static void batch(const reel_arrow_field *tmpl)
{
    char a[128], b[128];
    reel_chunk *chunk = points_chunk(tmpl, "/points", 0, N_FRAMES, N_POINTS);
    enum { REPS = 5 };
    uint64_t insert_ns[REPS];
    reel_store *store = NULL;
    for (int r = 0; r < REPS; r++) {
        reel_store_destroy(store);
        store = new_store(NULL);
        insert_ns[r] = insert_all(store, &chunk, 1);
    }
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    double points = (double)N_FRAMES * N_POINTS;
    snprintf(b, sizeof b, "insert 1 chunk of 12 MB (split into %llu)",
             (unsigned long long)stats.temporal_chunks);
    row("batch: 1 entity × 1,000 frames × 1,000 points", b,
        fmt(a, sizeof a, "%.0f M points/s", points / ((double)median(insert_ns, REPS) / 1e9) / 1e6),
        "~950 M points/s (before splitting)", "—");
    reel_store_desc zero_copy = {.no_split = true};
    for (int r = 0; r < REPS; r++) {
        reel_store_destroy(store);
        store = new_store(&zero_copy);
        insert_ns[r] = insert_all(store, &chunk, 1);
    }
    row("batch", "insert the same with no_split (zero-copy)",
        fmt(a, sizeof a, "%.1f µs", (double)median(insert_ns, REPS) / 1e3), "—", "—");
    reel_store_destroy(store);
    store = new_store(NULL);
    insert_all(store, &chunk, 1);
    uint32_t entity = reel_store_entity_find(store, "/points");
    uint32_t timeline = reel_store_timeline_find(store, "frame_nr");
    uint32_t comps[2] = {reel_store_component_find(store, "Points2D:positions"),
                         reel_store_component_find(store, "Points2D:colors")};
    enum { SWEEPS = 10001 };
    static uint64_t ns[SWEEPS];
    latest_at_sweep(store, &entity, 1, timeline, comps, 2, N_FRAMES / 2, ns, SWEEPS);
    row("batch", "latest-at of positions + colors",
        fmt(a, sizeof a, "%.3f µs", (double)median(ns, SWEEPS) / 1e3), "3.4 µs uncached", "—");
    reel_store_cache *cache = NULL;
    if (reel_store_cache_create(NULL, &cache, NULL) != REEL_OK)
        die("cache", NULL);
    cached_sweep(store, cache, &entity, 1, timeline, comps, 2, N_FRAMES / 2, ns, SWEEPS);
    row("batch", "the same through a reel_store_cache",
        fmt(a, sizeof a, "%.3f µs", (double)median(ns, SWEEPS) / 1e3), "1.19 µs cached", "—");
    reel_store_cache_destroy(cache);
    raw_bytes raw = raw_of(N_FRAMES, N_POINTS);
    double used = (double)reel_store_memory_used(store);
    snprintf(b, sizeof b, "%.3f× (%.3f× with RowIds)", used / (double)raw.payload_and_times,
             used / (double)(raw.payload_and_times + raw.row_ids));
    row("batch", "store memory / raw payload (+ times)", b, "—", "≤ 1.2×");
    overhead_row(store, "batch");
    reel_store_destroy(store);
    reel_chunk_release(chunk);
}

/* 100 entities, 1,000 frames, one row per chunk: a live stream with the batcher flushing
 * every row; compaction merges them. */
static void flood(const reel_arrow_field *tmpl)
{
    char a[128], b[128];
    enum { ENTITIES = 100, FRAMES = 1000 };
    size_t n = (size_t)ENTITIES * FRAMES;
    reel_chunk **chunks = malloc(n * sizeof *chunks);
    char path[64];
    for (int f = 0; f < FRAMES; f++) {
        for (int e = 0; e < ENTITIES; e++) {
            snprintf(path, sizeof path, "/scalars/%d", e);
            chunks[(size_t)f * ENTITIES + e] = points_chunk(tmpl, path, f, 1, 1);
        }
    }
    raw_bytes raw = raw_of((int64_t)n, 1);
    {
        reel_store_desc rerun_like = {.compaction_batch = 1};
        reel_store *store = new_store(&rerun_like);
        uint64_t ns = insert_all(store, chunks, n);
        row("flood: 100 entities × 1,000 frames",
            "insert 100,000 one-row chunks, merging on every insert as Rerun (compaction_batch 1)",
            fmt(a, sizeof a, "%.2f M rows/s", (double)n / ((double)ns / 1e9) / 1e6), "—", "—");
        reel_store_destroy(store);
    }
    for (int compaction = 1; compaction >= 0; compaction--) {
        reel_store_desc desc = {.no_compaction = !compaction};
        reel_store *store = new_store(&desc);
        uint64_t ns = insert_all(store, chunks, n);
        reel_store_stats stats;
        reel_store_get_stats(store, &stats);
        snprintf(b, sizeof b, "insert 100,000 one-row chunks, compaction %s (→ %llu chunks)",
                 compaction ? "on, batches of 8" : "off",
                 (unsigned long long)stats.temporal_chunks);
        row("flood: 100 entities × 1,000 frames", b,
            fmt(a, sizeof a, "%.2f M rows/s", (double)n / ((double)ns / 1e9) / 1e6), "—", "—");
        double used = (double)reel_store_memory_used(store);
        snprintf(a, sizeof a, "%.2f× (%.2f× with RowIds)", used / (double)raw.payload_and_times,
                 used / (double)(raw.payload_and_times + raw.row_ids));
        row("flood",
            compaction ? "store memory / raw (groups still waiting)"
                       : "store memory / raw, one-row chunks",
            a, "—", "≤ 1.2×");
        if (compaction) {
            uint64_t start = reel_clock_monotonic_ns();
            reel_store_compact(store, NULL);
            double ms = (double)(reel_clock_monotonic_ns() - start) / 1e6;
            used = (double)reel_store_memory_used(store);
            snprintf(a, sizeof a, "%.2f× (%.2f× with RowIds)", used / (double)raw.payload_and_times,
                     used / (double)(raw.payload_and_times + raw.row_ids));
            snprintf(b, sizeof b, "store memory / raw after reel_store_compact (%.1f ms)", ms);
            row("flood", b, a, "—", "≤ 1.2×");
            overhead_row(store, "flood");
        }
        reel_store_destroy(store);
    }
    for (size_t i = 0; i < n; i++)
        reel_chunk_release(chunks[i]);
    free(chunks);
}

static void gc(const reel_arrow_field *tmpl)
{
    char a[128];
    enum { CHUNKS = 10000, ROWS = 1000, REPS = 3 };
    reel_chunk **chunks = malloc(CHUNKS * sizeof *chunks);
    for (int i = 0; i < CHUNKS; i++)
        chunks[i] = points_chunk(tmpl, "/my_entity", (int64_t)i * ROWS, ROWS, 1);
    reel_store_desc desc = {.no_compaction = true};
    const char *names[2] = {"GC everything, oldest RowIds first",
                            "GC everything, furthest from the cursor first"};
    const char *rerun[2] = {"9.7 ms (10,000 one-row chunks)", "10.9 ms (10,000 one-row chunks)"};
    for (int mode = 0; mode < 2; mode++) {
        uint64_t ns[REPS];
        for (int r = 0; r < REPS; r++) {
            reel_store *store = new_store(&desc);
            insert_all(store, chunks, CHUNKS);
            reel_store_gc_options options = {.everything = true};
            if (mode == 1) {
                options.furthest_from_timeline = "frame_nr";
                options.furthest_from_time = (int64_t)CHUNKS * ROWS / 2;
            }
            reel_store_gc_result result;
            reel_error err = {0};
            uint64_t start = reel_clock_monotonic_ns();
            if (reel_store_gc(store, &options, &result, &err) != REEL_OK)
                die("gc", &err);
            ns[r] = reel_clock_monotonic_ns() - start;
            if (result.chunks_dropped != CHUNKS)
                die("gc dropped too little", NULL);
            reel_store_destroy(store);
        }
        row("GC: 10,000 chunks × 1,000 rows", names[mode],
            fmt(a, sizeof a, "%.2f ms", (double)median(ns, REPS) / 1e6), rerun[mode], "—");
    }
    for (int i = 0; i < CHUNKS; i++)
        reel_chunk_release(chunks[i]);
    free(chunks);
}

int main(void)
{
    reel_arrow_field tmpl = points_schema();
    printf("| workload | measure | Reel | Rerun (perf-anchors.md) | target |\n");
    printf("|---|---|---:|---:|---:|\n");
    mono(&tmpl);
    batch(&tmpl);
    flood(&tmpl);
    gc(&tmpl);
    reel_arrow_field_reset(&tmpl);
    return sink == 42 ? 1 : 0;
}
