/* Tests for reel_hash_bytes/reel_hash_u64 (pinned values, seeds, alignment, avalanche)
 * and for reel_map against a simple reference: 100k keys of lengths 0..45 including
 * binary ones, overwrite, remove, iteration, and insert/remove churn that must not grow
 * the table without bound. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "counting_alloc.h"
#include "test.h"

TEST(hash_is_stable)
{
    /* Pinned values: the hash is part of on-disk/wire stability promises. */
    static const struct {
        const char *text;
        uint64_t seed;
        uint64_t hash;
    } golden[] = {
        {"", 0, UINT64_C(0xB0B865D3DB187BA1)},
        {"", 1, UINT64_C(0x0537A9BFEC0240DB)},
        {"a", 0, UINT64_C(0x482A8BE84BE983FF)},
        {"abc", 0, UINT64_C(0xB4A80B20679681E7)},
        {"hello world!", 0, UINT64_C(0x6188A56C291D1DEF)},
        {"0123456789abcdef", 1, UINT64_C(0x2363FF828C3EE2B5)},
        {"entity/path/points3d", 0, UINT64_C(0xE94FE6376B414CE2)},
        {"The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy "
         "dog.",
         1, UINT64_C(0x87D57F4D84BFBFBB)},
    };
    for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
        CHECK_EQ_U64(reel_hash_bytes(golden[i].text, strlen(golden[i].text), golden[i].seed),
                     golden[i].hash);
    }
    CHECK_EQ_U64(reel_hash_u64(0), UINT64_C(0xE220A8397B1DCDAF));
    CHECK(reel_hash_u64(1) != reel_hash_u64(2));
    CHECK(reel_hash_bytes("abc", 3, 0) != reel_hash_bytes("abc", 3, 1));
    CHECK(reel_hash_bytes("abc", 3, 0) != reel_hash_bytes("abc\0", 4, 0));
    CHECK(reel_hash_bytes(NULL, 0, 0) == reel_hash_bytes("", 0, 0));
}

TEST(hash_reads_unaligned_bytes)
{
    unsigned char storage[300];
    for (size_t i = 0; i < sizeof storage; i++)
        storage[i] = (unsigned char)(i * 13 + 1);
    unsigned char aligned[256];
    for (size_t offset = 1; offset < 8; offset++) {
        for (size_t len = 0; len <= 256; len += 11) {
            memcpy(aligned, storage + offset, len);
            CHECK_EQ_U64(reel_hash_bytes(storage + offset, len, 5),
                         reel_hash_bytes(aligned, len, 5));
        }
    }
}

TEST(hash_avalanche)
{
    /* Flipping any one input bit flips each output bit about half the time. */
    static const size_t lengths[] = {2, 3, 4, 8, 12, 16, 17, 40, 64, 65, 200};
    unsigned char data[200];
    uint64_t rng = 12345;
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        size_t len = lengths[li];
        long flips[64] = {0};
        long trials = 0;
        /* At least 8,000 flips per length keeps sampling noise (sd <= 0.006) far below
         * the threshold. */
        int rounds = (int)(8000 / (len * 8)) + 1;
        for (int round = 0; round < rounds; round++) {
            for (size_t i = 0; i < len; i++) {
                rng = reel_hash_u64(rng);
                data[i] = (unsigned char)rng;
            }
            uint64_t base = reel_hash_bytes(data, len, 0);
            for (size_t bit = 0; bit < len * 8; bit++) {
                data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
                uint64_t diff = base ^ reel_hash_bytes(data, len, 0);
                data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
                for (int o = 0; o < 64; o++)
                    flips[o] += (long)((diff >> o) & 1);
                trials++;
            }
        }
        double worst = 0;
        for (int o = 0; o < 64; o++) {
            double p = (double)flips[o] / (double)trials;
            double bias = p > 0.5 ? p - 0.5 : 0.5 - p;
            worst = bias > worst ? bias : worst;
        }
        if (!CHECK(worst < 0.04))
            fprintf(stderr, "    len %zu: worst bias %.4f over %ld flips\n", len, worst, trials);
    }
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

TEST(hash_short_keys_are_distinct)
{
    /* Every 1- and 2-byte key hashes differently, also in the low 16 bits a table of
     * 64k slots would use for the 1-byte keys. */
    uint64_t *hashes = malloc(65536 * sizeof *hashes);
    if (!CHECK(hashes != NULL))
        return;
    for (int v = 0; v < 256; v++) {
        unsigned char byte = (unsigned char)v;
        hashes[v] = reel_hash_bytes(&byte, 1, 0) & 0xFFFF;
    }
    qsort(hashes, 256, sizeof *hashes, compare_u64);
    size_t dupes = 0;
    for (int i = 1; i < 256; i++)
        dupes += hashes[i] == hashes[i - 1];
    CHECK(dupes <= 2); /* expected ~0.5 for random 16-bit values */

    for (int v = 0; v < 65536; v++) {
        unsigned char bytes[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
        hashes[v] = reel_hash_bytes(bytes, 2, 0);
    }
    qsort(hashes, 65536, sizeof *hashes, compare_u64);
    dupes = 0;
    for (int i = 1; i < 65536; i++)
        dupes += hashes[i] == hashes[i - 1];
    CHECK_EQ_INT(dupes, 0);
    free(hashes);
}

/* Key i: an optional leading NUL, the decimal digits of i, then 0..36 'k's. Unique, with
 * lengths from 1 to 44, about half inline (<= 16 bytes) and half on the heap. */
static size_t make_key(size_t i, char *out)
{
    size_t len = 0;
    if (i % 3 == 0)
        out[len++] = '\0';
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%zu", i);
    memcpy(out + len, digits, (size_t)n);
    len += (size_t)n;
    size_t pad = (i * 7) % 37;
    memset(out + len, 'k', pad);
    return len + pad;
}

static size_t key_index(reel_span key)
{
    size_t at = key.len > 0 && key.data[0] == 0 ? 1 : 0;
    size_t index = 0;
    while (at < key.len && key.data[at] >= '0' && key.data[at] <= '9')
        index = index * 10 + (size_t)(key.data[at++] - '0');
    return index;
}

enum { KEY_COUNT = 100000 };

typedef struct reference {
    bool present[KEY_COUNT];
    uint64_t value[KEY_COUNT];
    size_t count;
} reference;

/* Checks every key's get against the reference, then one full iteration. */
static void check_against_reference(const reel_map *map, const reference *ref)
{
    char key[64];
    size_t wrong = 0;
    for (size_t i = 0; i < KEY_COUNT; i++) {
        size_t len = make_key(i, key);
        uint64_t value = UINT64_MAX;
        bool found = reel_map_get(map, key, len, &value);
        if (found != ref->present[i] || (found && value != ref->value[i]))
            wrong++;
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(map->count, ref->count);

    bool *seen = calloc(KEY_COUNT, 1);
    size_t cursor = 0, visited = 0, bad = 0;
    reel_span span;
    uint64_t value;
    while (reel_map_next(map, &cursor, &span, &value)) {
        visited++;
        size_t i = key_index(span);
        size_t len = i < KEY_COUNT ? make_key(i, key) : 0;
        if (i >= KEY_COUNT || seen[i] || !ref->present[i] || ref->value[i] != value ||
            span.len != len || memcmp(span.data, key, len) != 0)
            bad++;
        else
            seen[i] = true;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(visited, ref->count);
    free(seen);
}

TEST(map_matches_reference)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_map map;
    reel_map_init(&map, &c.allocator);
    reference *ref = calloc(1, sizeof *ref);
    char key[64];

    /* Empty map. */
    CHECK(!reel_map_get(&map, "x", 1, NULL));
    CHECK(!reel_map_remove(&map, "x", 1));
    size_t cursor = 0;
    CHECK(!reel_map_next(&map, &cursor, NULL, NULL));

    for (size_t i = 0; i < KEY_COUNT; i++) {
        size_t len = make_key(i, key);
        if (!CHECK_OK(reel_map_put(&map, key, len, i * 3)))
            break;
        ref->present[i] = true;
        ref->value[i] = i * 3;
        ref->count++;
    }
    check_against_reference(&map, ref);
    CHECK(map.cap >= map.count * 10 / 7);

    /* Overwrite every other key: count unchanged. */
    for (size_t i = 0; i < KEY_COUNT; i += 2) {
        size_t len = make_key(i, key);
        CHECK_OK(reel_map_put(&map, key, len, ~(uint64_t)i));
        ref->value[i] = ~(uint64_t)i;
    }
    check_against_reference(&map, ref);

    /* Remove every third key; removing twice reports absence. */
    size_t wrong = 0;
    for (size_t i = 0; i < KEY_COUNT; i += 3) {
        size_t len = make_key(i, key);
        wrong += !reel_map_remove(&map, key, len);
        wrong += reel_map_remove(&map, key, len);
        ref->present[i] = false;
        ref->count--;
    }
    CHECK_EQ_INT(wrong, 0);
    check_against_reference(&map, ref);

    /* The empty key is a key like any other. */
    CHECK_OK(reel_map_put(&map, "", 0, 77));
    uint64_t value = 0;
    CHECK(reel_map_get(&map, NULL, 0, &value));
    CHECK_EQ_U64(value, 77);
    CHECK(reel_map_remove(&map, "", 0));
    CHECK(!reel_map_get(&map, "", 0, NULL));

    reel_map_free(&map);
    CHECK(map.slots == NULL && map.count == 0 && map.cap == 0);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
    free(ref);
}

TEST(map_tombstone_churn)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_map map;
    reel_map_init(&map, &c.allocator);
    reference *ref = calloc(1, sizeof *ref);
    char key[64];

    /* Keep about 2,000 live keys while inserting 100k: once the window is full every
     * insert is paired with the removal of a random live key, so tombstones pile up
     * unless rehashing clears them. */
    const size_t window = 2000;
    size_t *live = malloc(KEY_COUNT * sizeof *live);
    size_t live_count = 0;
    size_t max_cap = 0, over_load = 0;
    uint64_t rng = 99;
    for (size_t i = 0; i < KEY_COUNT; i++) {
        size_t len = make_key(i, key);
        if (!CHECK_OK(reel_map_put(&map, key, len, i)))
            break;
        ref->present[i] = true;
        ref->value[i] = i;
        ref->count++;
        live[live_count++] = i;
        if (live_count > window) {
            rng = reel_hash_u64(rng);
            size_t pick = (size_t)(rng % live_count);
            size_t victim = live[pick];
            live[pick] = live[--live_count];
            len = make_key(victim, key);
            CHECK(reel_map_remove(&map, key, len));
            ref->present[victim] = false;
            ref->count--;
        }
        max_cap = map.cap > max_cap ? map.cap : max_cap;
        over_load += map.used * 10 > map.cap * 7;
    }
    free(live);
    CHECK_EQ_INT(over_load, 0);
    check_against_reference(&map, ref);
    /* At most 2,001 live entries: the table never needs more than 8,192 slots. */
    CHECK_EQ_INT(map.count, window);
    CHECK(max_cap <= 8192);
    CHECK(map.count <= map.used);

    /* Removing everything leaves an empty table (tombstones become empty slots when
     * nothing follows them). */
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (!ref->present[i])
            continue;
        size_t len = make_key(i, key);
        CHECK(reel_map_remove(&map, key, len));
        ref->present[i] = false;
        ref->count--;
    }
    CHECK_EQ_INT(map.count, 0);
    check_against_reference(&map, ref);

    reel_map_clear(&map);
    CHECK_EQ_INT(map.used, 0);
    CHECK_EQ_INT(c.live_blocks, 1); /* just the slot array */
    CHECK_OK(reel_map_put(&map, "after clear", 11, 5));
    CHECK(reel_map_get(&map, "after clear", 11, NULL));

    reel_map_free(&map);
    reel_map_free(&map);
    reel_map_free(NULL);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
    free(ref);
}

TEST(map_keys_are_copied)
{
    reel_map map = {0}; /* zero-initialised is valid */
    char short_key[8] = "short";
    char long_key[64] = "a rather long key that cannot live inside the slot";
    CHECK_OK(reel_map_put(&map, short_key, strlen(short_key), 1));
    CHECK_OK(reel_map_put(&map, long_key, strlen(long_key), 2));
    size_t long_len = strlen(long_key);
    memset(short_key, 'X', 5);
    memset(long_key, 'X', long_len);
    uint64_t value = 0;
    CHECK(reel_map_get(&map, "short", 5, &value));
    CHECK_EQ_U64(value, 1);
    CHECK(
        reel_map_get(&map, "a rather long key that cannot live inside the slot", long_len, &value));
    CHECK_EQ_U64(value, 2);
    CHECK(!reel_map_get(&map, short_key, 5, NULL));

    /* Keys that differ only in length or in one byte are distinct. */
    CHECK_OK(reel_map_put(&map, "abcdefghijklmnop", 16, 16));
    CHECK_OK(reel_map_put(&map, "abcdefghijklmnopq", 17, 17));
    CHECK_OK(reel_map_put(&map, "abcdefghijklmnoq", 16, 160));
    CHECK(reel_map_get(&map, "abcdefghijklmnop", 16, &value) && value == 16);
    CHECK(reel_map_get(&map, "abcdefghijklmnopq", 17, &value) && value == 17);
    CHECK(reel_map_get(&map, "abcdefghijklmnoq", 16, &value) && value == 160);
    CHECK(!reel_map_get(&map, "abcdefghijklmno", 15, NULL));
    CHECK_EQ_INT(map.count, 5);
    reel_map_free(&map);
}

TEST(map_out_of_memory)
{
    counting_alloc c;
    counting_alloc_init(&c);
    reel_map map;
    reel_map_init(&map, &c.allocator);
    c.fail_after = 1; /* the slot array */
    CHECK_EQ_INT(reel_map_put(&map, "k", 1, 1), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(map.count, 0);
    CHECK_OK(reel_map_put(&map, "k", 1, 1));
    c.fail_after = 1; /* the heap copy of a long key */
    CHECK_EQ_INT(reel_map_put(&map, "a key longer than sixteen bytes", 31, 2), REEL_OUT_OF_MEMORY);
    CHECK_EQ_INT(map.count, 1);
    CHECK(!reel_map_get(&map, "a key longer than sixteen bytes", 31, NULL));
    CHECK(reel_map_get(&map, "k", 1, NULL));
    reel_map_free(&map);
    CHECK_EQ_INT(c.live_blocks, 0);
    CHECK_EQ_INT(c.size_mismatches, 0);
}

int main(void)
{
    RUN(hash_is_stable);
    RUN(hash_reads_unaligned_bytes);
    RUN(hash_avalanche);
    RUN(hash_short_keys_are_distinct);
    RUN(map_matches_reference);
    RUN(map_tombstone_churn);
    RUN(map_keys_are_copied);
    RUN(map_out_of_memory);
    TEST_MAIN_END();
}
