/* The logging fast paths: the per-thread cache of canonical entity paths, the recycled row
 * blocks with their inline values, the pooled large buffers, and chunks that share a large
 * first cell instead of copying it. Each is checked for what it must keep: the same rows,
 * values and paths as the slow path, and no memory kept past its owner. */
#include <pthread.h>

#include "sdk/sdk_internal.h"
#include "sdk_testing.h"

/* sdk_internal.h gives reel_log to core's logger; these tests log archetypes. */
#define log_archetype(rec, path, ...) reel_log_ex(rec, path, 0, (reel_error *)0, __VA_ARGS__)

TEST(path_cache_normalizes_once_per_spelling)
{
    sdk_path_cache cache;
    sdk_path_cache_init(&cache);
    reel_error err = {0};
    const char *a = NULL, *b = NULL, *c = NULL;
    size_t a_len = 0, b_len = 0, c_len = 0;
    CHECK_OK(sdk_path_cache_lookup(&cache, "world/points", 12, &a, &a_len, &err));
    CHECK_EQ_STR(a, "/world/points");
    CHECK_EQ_INT(a_len, strlen("/world/points"));
    /* A hit is the same entry; another spelling of the path has its own entry. */
    CHECK_OK(sdk_path_cache_lookup(&cache, "world/points", 12, &b, &b_len, &err));
    CHECK(a == b);
    CHECK_OK(sdk_path_cache_lookup(&cache, "/world//points/", 15, &c, &c_len, &err));
    CHECK_EQ_STR(c, "/world/points");
    CHECK_EQ_INT(cache.paths.len, 2);
    /* The key is the given bytes, not up to a NUL: a prefix is another path. */
    CHECK_OK(sdk_path_cache_lookup(&cache, "world/points", 5, &c, &c_len, &err));
    CHECK_EQ_STR(c, "/world");
    /* Escapes are kept as normalization gives them. */
    CHECK_OK(sdk_path_cache_lookup(&cache, "a b/c", 5, &c, &c_len, &err));
    CHECK_EQ_STR(c, "/a\\ b/c");
    /* Invalid paths fail every time and are never cached. */
    size_t before = cache.paths.len;
    CHECK_EQ_INT(sdk_path_cache_lookup(&cache, "bad\\", 4, &c, &c_len, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(sdk_path_cache_lookup(&cache, "bad\\", 4, &c, &c_len, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(cache.paths.len, before);
    /* Full: it starts over and keeps answering correctly. */
    for (int i = 0; i < SDK_PATH_CACHE_MAX_ENTRIES + 10; i++) {
        char path[32], want[32];
        snprintf(path, sizeof path, "e/%d", i);
        snprintf(want, sizeof want, "/e/%d", i);
        err = (reel_error){0};
        CHECK_OK(sdk_path_cache_lookup(&cache, path, strlen(path), &c, &c_len, &err));
        if (strcmp(c, want) != 0) {
            CHECK_EQ_STR(c, want);
            break;
        }
    }
    CHECK(cache.paths.len <= SDK_PATH_CACHE_MAX_ENTRIES);
    CHECK_OK(sdk_path_cache_lookup(&cache, "world/points", 12, &c, &c_len, &err));
    CHECK_EQ_STR(c, "/world/points");
    sdk_path_cache_free(&cache);
}

TEST(blob_pool_reuses_large_buffers_and_outlives_its_creator)
{
    sdk_blob_pool *pool = sdk_blob_pool_create();
    if (!CHECK(pool != NULL))
        return;
    uint8_t *first = NULL, *again = NULL, *small = NULL, *other = NULL;
    size_t big = SDK_BLOB_POOL_MIN_BYTES + 100;
    reel_blob *blob = sdk_blob_pool_get(pool, big, &first);
    if (!CHECK(blob != NULL))
        return;
    CHECK_EQ_INT(reel_blob_len(blob), big);
    CHECK(reel_blob_data(blob) == first);
    memset(first, 0xab, big);
    CHECK_EQ_INT(sdk_blob_pool_free_count(pool), 0);
    reel_blob_release(blob);
    CHECK_EQ_INT(sdk_blob_pool_free_count(pool), 1);
    /* The next large request of a similar size gets the same buffer back. */
    blob = sdk_blob_pool_get(pool, big - 50, &again);
    CHECK(again == first);
    CHECK_EQ_INT(reel_blob_len(blob), big - 50);
    CHECK_EQ_INT(sdk_blob_pool_free_count(pool), 0);
    /* A buffer more than twice the request is not handed out for it. */
    reel_blob_release(blob);
    reel_blob *half = sdk_blob_pool_get(pool, big / 3 + SDK_BLOB_POOL_MIN_BYTES, &other);
    CHECK(other != first);
    CHECK_EQ_INT(sdk_blob_pool_free_count(pool), 1);
    /* Small blobs come from the heap. */
    reel_blob *tiny = sdk_blob_pool_get(pool, 64, &small);
    CHECK(tiny != NULL);
    CHECK_EQ_INT(sdk_blob_pool_free_count(pool), 1);
    reel_blob_release(tiny);
    /* The creator lets go first: the pool lives until its last blob is released (ASan
     * checks that nothing leaks and nothing is used after free). */
    sdk_blob_pool_release(pool);
    memset(other, 1, reel_blob_len(half));
    reel_blob_release(half);
    /* Without a pool: the heap. */
    reel_blob *plain = sdk_blob_pool_get(NULL, big, &small);
    CHECK(plain != NULL);
    reel_blob_release(plain);
}

typedef struct writer_args {
    reel_recording *rec;
    int thread;
    int steps;
} writer_args;

/* Each thread logs scalars and points under several spellings of its paths. */
static void *writer(void *arg)
{
    writer_args *w = arg;
    for (int step = 0; step < w->steps; step++) {
        reel_set_time_sequence(w->rec, "step", step);
        for (int e = 0; e < 8; e++) {
            char path[64];
            snprintf(path, sizeof path, (step & 1) ? "t%d/e%d" : "/t%d//e%d/", w->thread, e);
            double value = w->thread * 1000000.0 + e * 1000.0 + step;
            log_archetype(w->rec, path, &(reel_scalars){.scalars = reel_batch_values(&value, 1)});
        }
        float p[3] = {(float)w->thread, (float)step, 0.5f};
        char path[32];
        snprintf(path, sizeof path, "t%d/points", w->thread);
        log_archetype(w->rec, path, &(reel_points3d){.positions = reel_batch_values(p, 1)});
    }
    return NULL;
}

TEST(recycled_rows_keep_every_value)
{
    enum { THREADS = 3, STEPS = 3000 };
    reel_memory_sink *memory = NULL;
    /* Small queue and chunks: blocks go round the pool many times. */
    reel_recording *rec = memory_recording(
        (reel_recording_options){.queue_max_rows = 512, .flush_num_rows = 37}, &memory);
    pthread_t threads[THREADS];
    writer_args args[THREADS];
    for (int t = 0; t < THREADS; t++) {
        args[t] = (writer_args){rec, t, STEPS};
        pthread_create(&threads[t], NULL, writer, &args[t]);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    decoded d;
    take_decoded(rec, memory, &d);
    int bad = 0;
    for (int t = 0; t < THREADS; t++) {
        for (int e = 0; e < 8; e++) {
            char path[32];
            snprintf(path, sizeof path, "/t%d/e%d", t, e);
            CHECK_EQ_INT(rows_of(&d, path), STEPS);
            for (int nth = 0;; nth++) {
                const reel_chunk *c = chunk_of(&d, path, nth);
                if (c == NULL)
                    break;
                for (int64_t r = 0; r < c->row_count; r++) {
                    char json[512], want[512];
                    int64_t step = time_of(c, "step", r);
                    snprintf(want, sizeof want, "[%.17g]", t * 1000000.0 + e * 1000.0 + step);
                    cell_json(c, "Scalars:scalars", r, json);
                    if (strcmp(json, want) != 0 && bad++ < 3)
                        CHECK_EQ_STR(json, want);
                }
            }
        }
        char path[32];
        snprintf(path, sizeof path, "/t%d/points", t);
        CHECK_EQ_INT(rows_of(&d, path), STEPS);
        const reel_chunk *c = chunk_of(&d, path, 0);
        if (CHECK(c != NULL)) {
            char json[512], want[512];
            snprintf(want, sizeof want, "[[%.17g,%.17g,0.5]]", (double)t,
                     (double)time_of(c, "step", 0));
            cell_json(c, "Points3D:positions", 0, json);
            CHECK_EQ_STR(json, want);
        }
    }
    CHECK_EQ_INT(bad, 0);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

/* A list<uint8> cell of `len` bytes, its values in a blob. */
static reel_arrow_array bytes_array(size_t len, uint8_t fill)
{
    uint8_t *data = NULL;
    reel_blob *blob = reel_blob_create(NULL, len, &data);
    memset(data, fill, len);
    reel_arrow_array a = {.length = (int64_t)len, .n_buffers = 2};
    a.buffers[1] = (reel_arrow_buffer){data, (int64_t)len, blob};
    return a;
}

TEST(chunk_shares_a_large_only_cell)
{
    reel_arrow_field u8 = {0};
    CHECK_OK(reel_arrow_field_init(&u8, "item", REEL_ARROW_UINT8, false, NULL));
    size_t len = 1u << 20;
    reel_arrow_array big = bytes_array(len, 7), other = bytes_array(len, 9);
    reel_component_descriptor d = {"rerun.archetypes.EncodedImage", "EncodedImage:blob",
                                   "rerun.components.Blob"};
    reel_chunk_time time = {"frame", REEL_TIME_SEQUENCE, 1};
    reel_error err = {0};
    /* One row: the chunk's values are the cell's own bytes. */
    reel_chunk_builder *b = NULL;
    CHECK_OK(reel_chunk_builder_create("img", &b, &err));
    reel_chunk_cell cell = {d, &u8, &big, 0, (int64_t)len};
    CHECK_OK(reel_chunk_builder_add_row(b, reel_tuid_new(), &time, 1, &cell, 1, &err));
    reel_chunk *chunk = NULL;
    CHECK_OK(reel_chunk_builder_finish(b, &chunk, &err));
    if (CHECK(chunk != NULL && chunk->n_components == 1)) {
        const reel_arrow_array *lists = &chunk->components[0].lists;
        CHECK_EQ_INT(lists->length, 1);
        CHECK(lists->children[0].buffers[1].data == big.buffers[1].data);
        CHECK_OK(reel_chunk_validate(chunk, &err));
    }
    /* The builder starts over after finish; two rows are copied into one list array. */
    time.value = 2;
    CHECK_OK(reel_chunk_builder_add_row(b, reel_tuid_new(), &time, 1, &cell, 1, &err));
    time.value = 3;
    cell.values = &other;
    CHECK_OK(reel_chunk_builder_add_row(b, reel_tuid_new(), &time, 1, &cell, 1, &err));
    reel_chunk *two = NULL;
    CHECK_OK(reel_chunk_builder_finish(b, &two, &err));
    if (CHECK(two != NULL && two->n_components == 1)) {
        const reel_arrow_array *lists = &two->components[0].lists;
        CHECK_EQ_INT(lists->length, 2);
        CHECK_EQ_INT(lists->children[0].length, 2 * (int64_t)len);
        const uint8_t *values = lists->children[0].buffers[1].data;
        CHECK(values != big.buffers[1].data);
        CHECK_EQ_INT(values[0], 7);
        CHECK_EQ_INT(values[len - 1], 7);
        CHECK_EQ_INT(values[len], 9);
        CHECK_EQ_INT(values[2 * len - 1], 9);
        CHECK_OK(reel_chunk_validate(two, &err));
    }
    /* Values without a blob owner (borrowed) are always copied. */
    reel_arrow_array borrowed = big;
    borrowed.buffers[1].owner = NULL;
    cell.values = &borrowed;
    CHECK_OK(reel_chunk_builder_add_row(b, reel_tuid_new(), &time, 1, &cell, 1, &err));
    reel_chunk *copied = NULL;
    CHECK_OK(reel_chunk_builder_finish(b, &copied, &err));
    if (CHECK(copied != NULL))
        CHECK(copied->components[0].lists.children[0].buffers[1].data != big.buffers[1].data);
    /* The shared chunk keeps the bytes alive after the caller lets go. */
    reel_arrow_array_reset(&big);
    reel_arrow_array_reset(&other);
    if (chunk != NULL)
        CHECK_EQ_INT(chunk->components[0].lists.children[0].buffers[1].data[len - 1], 7);
    reel_chunk_release(chunk);
    reel_chunk_release(two);
    reel_chunk_release(copied);
    reel_chunk_builder_destroy(b);
    reel_arrow_field_reset(&u8);
}

TEST(images_round_trip_through_pooled_buffers)
{
    reel_memory_sink *memory = NULL;
    reel_recording *rec = memory_recording((reel_recording_options){0}, &memory);
    enum { SIDE = 512, FRAMES = 12 };
    size_t size = (size_t)SIDE * SIDE * 4;
    uint8_t *img = malloc(size);
    reel_image_format format = {.width = SIDE,
                                .height = SIDE,
                                .color_model = REEL_ColorModel_RGBA,
                                .channel_datatype = REEL_ChannelDatatype_U8};
    for (int i = 0; i < FRAMES; i++) {
        memset(img, i + 1, size);
        reel_set_time_sequence(rec, "frame", i);
        CHECK_OK(log_archetype(rec, "image",
                               &(reel_image){.buffer = reel_batch_bytes(img, size),
                                             .format = reel_batch_values(&format, 1)}));
        memset(img, 0xee, size); /* the caller's buffer is borrowed only for the call */
    }
    free(img);
    decoded d;
    take_decoded(rec, memory, &d);
    CHECK_EQ_INT(rows_of(&d, "/image"), FRAMES);
    int seen = 0;
    for (int nth = 0;; nth++) {
        const reel_chunk *c = chunk_of(&d, "/image", nth);
        if (c == NULL)
            break;
        const reel_chunk_component *buffer = NULL;
        for (int32_t k = 0; k < c->n_components; k++)
            if (strcmp(c->components[k].descriptor.component, "Image:buffer") == 0)
                buffer = &c->components[k];
        if (!CHECK(buffer != NULL))
            break;
        for (int64_t r = 0; r < c->row_count; r++, seen++) {
            int64_t frame = time_of(c, "frame", r);
            /* list<Blob>: the row's one Blob is a list<uint8> of the image's bytes. */
            const reel_arrow_array *rows = &buffer->lists, *blobs = &rows->children[0];
            const reel_arrow_array *bytes = &blobs->children[0];
            const int32_t *row_offsets = (const int32_t *)(const void *)rows->buffers[1].data;
            const int32_t *blob_offsets = (const int32_t *)(const void *)blobs->buffers[1].data;
            int64_t at = rows->offset + r;
            CHECK_EQ_INT(row_offsets[at + 1] - row_offsets[at], 1);
            int64_t blob = blobs->offset + row_offsets[at];
            CHECK_EQ_INT(blob_offsets[blob + 1] - blob_offsets[blob], size);
            const uint8_t *values = bytes->buffers[1].data + bytes->offset;
            CHECK_EQ_INT(values[blob_offsets[blob]], frame + 1);
            CHECK_EQ_INT(values[blob_offsets[blob + 1] - 1], frame + 1);
        }
    }
    CHECK_EQ_INT(seen, FRAMES);
    decoded_reset(&d);
    CHECK_OK(reel_recording_destroy(rec, NULL));
    reel_memory_sink_destroy(memory);
}

int main(void)
{
    RUN(path_cache_normalizes_once_per_spelling);
    RUN(blob_pool_reuses_large_buffers_and_outlives_its_creator);
    RUN(recycled_rows_keep_every_value);
    RUN(chunk_shares_a_large_only_cell);
    RUN(images_round_trip_through_pooled_buffers);
    TEST_MAIN_END();
}
