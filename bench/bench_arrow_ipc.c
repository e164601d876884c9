/* Arrow IPC throughput next to memcpy, in one run: the memcpy bandwidth of a 12 MB buffer,
 * then encode and decode (zero-copy trusted, and with FULL validation) of a 1M-row
 * fixed_size_list<float32, 3> column and a 100k-row utf8 column (strings of 10-40 chars).
 * Each figure is the median of N runs; buffers are reused so page faults are not measured.
 * Prints a markdown table; MB are 10^6 bytes of the encoded stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"

#define RUNS 21

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_seconds(uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, compare_u64);
    return (double)ns[n / 2] / 1e9;
}

static void die(const char *what, const reel_error *err)
{
    fprintf(stderr, "bench_arrow_ipc: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

/* Keeps the compiler from dropping a copy whose result is never read. */
static volatile uint8_t sink;

static double memcpy_seconds(size_t bytes)
{
    uint8_t *src = malloc(bytes), *dst = malloc(bytes);
    if (src == NULL || dst == NULL)
        die("out of memory", NULL);
    for (size_t i = 0; i < bytes; i++)
        src[i] = (uint8_t)(i * 131);
    memset(dst, 0, bytes);
    uint64_t ns[RUNS];
    for (int r = 0; r < RUNS; r++) {
        uint64_t start = reel_clock_monotonic_ns();
        memcpy(dst, src, bytes);
        ns[r] = reel_clock_monotonic_ns() - start;
        sink ^= dst[(size_t)r * 4099 % bytes];
    }
    free(src);
    free(dst);
    return median_seconds(ns, RUNS);
}

typedef struct bench_case {
    const char *name;
    reel_arrow_field schema;
    reel_arrow_array batch;
} bench_case;

static void free_bytes(void *ctx, void *data, size_t len)
{
    (void)ctx;
    (void)len;
    free(data);
}

static reel_arrow_buffer owned_malloc(uint8_t *data, size_t len)
{
    reel_arrow_buffer buffer = {data, (int64_t)len, reel_blob_wrap(data, len, free_bytes, NULL)};
    return buffer;
}

static void make_batch(bench_case *c, reel_arrow_array *column, int64_t rows)
{
    memset(&c->batch, 0, sizeof c->batch);
    c->batch.length = rows;
    c->batch.n_buffers = 1;
    c->batch.n_children = 1;
    c->batch.children = reel_alloc_zeroed(NULL, sizeof(reel_arrow_array));
    c->batch.children[0] = *column;
}

static void make_vec3(bench_case *c, int64_t rows)
{
    c->name = "1M x fixed_size_list<float32, 3>";
    reel_arrow_field *list, *item;
    reel_arrow_field_init(&c->schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_field_add_child(&c->schema, "positions", REEL_ARROW_FIXED_SIZE_LIST, false, &list);
    list->fixed_size = 3;
    reel_arrow_field_add_child(list, "item", REEL_ARROW_FLOAT32, false, &item);
    size_t bytes = (size_t)rows * 3 * sizeof(float);
    float *values = malloc(bytes);
    if (values == NULL)
        die("out of memory", NULL);
    for (int64_t i = 0; i < rows * 3; i++)
        values[i] = (float)i * 0.25f;
    reel_arrow_array column = {.length = rows, .n_buffers = 1, .n_children = 1};
    column.children = reel_alloc_zeroed(NULL, sizeof(reel_arrow_array));
    column.children[0] = (reel_arrow_array){.length = rows * 3, .n_buffers = 2};
    column.children[0].buffers[1] = owned_malloc((uint8_t *)values, bytes);
    make_batch(c, &column, rows);
}

static void make_strings(bench_case *c, int64_t rows)
{
    c->name = "100k x utf8 (10-40 chars)";
    reel_arrow_field_init(&c->schema, "", REEL_ARROW_STRUCT, false, NULL);
    reel_arrow_field_add_child(&c->schema, "text", REEL_ARROW_UTF8, true, NULL);
    int32_t *offsets = malloc(((size_t)rows + 1) * 4);
    uint8_t *data = malloc((size_t)rows * 40);
    if (offsets == NULL || data == NULL)
        die("out of memory", NULL);
    uint64_t state = 0x9e3779b97f4a7c15u;
    int32_t pos = 0;
    offsets[0] = 0;
    for (int64_t i = 0; i < rows; i++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        int len = 10 + (int)((state >> 33) % 31);
        for (int k = 0; k < len; k++)
            data[pos + k] = (uint8_t)('a' + (state >> (k % 40)) % 26);
        pos += len;
        offsets[i + 1] = pos;
    }
    reel_arrow_array column = {.length = rows, .n_buffers = 3};
    column.buffers[1] = owned_malloc((uint8_t *)offsets, ((size_t)rows + 1) * 4);
    column.buffers[2] = owned_malloc(data, (size_t)pos);
    make_batch(c, &column, rows);
}

typedef struct bench_result {
    double stream_mb;
    double encode_s, decode_trusted_s, decode_full_s;
} bench_result;

static double decode_seconds(reel_blob *blob, bool trust)
{
    reel_ipc_decoder_options options = {.trust_input = trust, .validate = REEL_ARROW_VALIDATE_FULL};
    uint64_t ns[RUNS];
    for (int r = 0; r < RUNS; r++) {
        reel_arrow_field schema;
        reel_vec batches = {0};
        reel_error err = {0};
        uint64_t start = reel_clock_monotonic_ns();
        if (reel_ipc_read_stream(blob, &options, &schema, &batches, &err) != REEL_OK)
            die("decode", &err);
        ns[r] = reel_clock_monotonic_ns() - start;
        for (size_t i = 0; i < batches.len; i++)
            reel_arrow_array_reset(&REEL_VEC_AT(&batches, reel_arrow_array, i));
        reel_vec_free(&batches);
        reel_arrow_field_reset(&schema);
    }
    return median_seconds(ns, RUNS);
}

static bench_result run_case(const bench_case *c)
{
    bench_result result = {0};
    reel_buf out;
    reel_buf_init(&out, NULL);
    uint64_t ns[RUNS];
    for (int r = 0; r < RUNS; r++) {
        reel_error err = {0};
        reel_buf_clear(&out); /* keeps the capacity: the first run pays the page faults */
        uint64_t start = reel_clock_monotonic_ns();
        if (reel_ipc_write_stream(&out, &c->schema, &c->batch, 1, NULL, &err) != REEL_OK)
            die("encode", &err);
        ns[r] = reel_clock_monotonic_ns() - start;
    }
    result.encode_s = median_seconds(ns, RUNS);
    result.stream_mb = (double)out.len / 1e6;
    reel_blob *blob = reel_blob_copy(NULL, out.data, out.len);
    result.decode_trusted_s = decode_seconds(blob, true);
    result.decode_full_s = decode_seconds(blob, false);
    reel_blob_release(blob);
    reel_buf_free(&out);
    return result;
}

int main(void)
{
    const size_t memcpy_bytes = 12u * 1000 * 1000;
    double memcpy_s = memcpy_seconds(memcpy_bytes);
    double memcpy_mbs = (double)memcpy_bytes / 1e6 / memcpy_s;
    bench_case cases[2];
    make_vec3(&cases[0], 1000000);
    make_strings(&cases[1], 100000);
    int64_t rows[2] = {1000000, 100000};

    printf("Arrow IPC stream throughput, median of %d runs (MB = 10^6 bytes of stream)\n\n", RUNS);
    printf("memcpy of 12 MB: %.0f MB/s\n\n", memcpy_mbs);
    printf("| column | stream MB | step | time per stream | MB/s | rows/s | vs memcpy |\n");
    printf("|---|---:|---|---:|---:|---:|---:|\n");
    for (int i = 0; i < 2; i++) {
        bench_result r = run_case(&cases[i]);
        const char *steps[3] = {"encode", "decode (trusted, zero-copy)",
                                "decode (FULL validation)"};
        double seconds[3] = {r.encode_s, r.decode_trusted_s, r.decode_full_s};
        for (int s = 0; s < 3; s++) {
            double mbs = r.stream_mb / seconds[s];
            printf("| %s | %.2f | %s | %.1f us | %.0f | %.3g | %.2fx |\n", cases[i].name,
                   r.stream_mb, steps[s], seconds[s] * 1e6, mbs, (double)rows[i] / seconds[s],
                   mbs / memcpy_mbs);
        }
        reel_arrow_array_reset(&cases[i].batch);
        reel_arrow_field_reset(&cases[i].schema);
    }
    return 0;
}
