/* The 64-bit byte hash and the open-addressing hash map from byte-string keys to uint64
 * values. The map probes linearly, marks removals with tombstones, and rehashes when live
 * entries plus tombstones pass 70% of the slots; keys of up to 16 bytes live inside the
 * slot, longer ones in their own allocation, and each slot keeps its key's full hash. */
#include <string.h>

#include "core.h"

/* ---------------------------------------------------------------- hash */

/* Odd 64-bit constants with well-spread bits (golden ratio and splitmix/xxh64 primes). */
#define HASH_K0 UINT64_C(0x9E3779B97F4A7C15)
#define HASH_K1 UINT64_C(0xBF58476D1CE4E5B9)
#define HASH_K2 UINT64_C(0x94D049BB133111EB)
#define HASH_K3 UINT64_C(0xC2B2AE3D27D4EB4F)

/* Full 64x64 -> 128-bit product as (lo, hi). */
static inline void mul_128(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 product = (u128)a * b;
    *lo = (uint64_t)product;
    *hi = (uint64_t)(product >> 64);
#else
    uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    *lo = (ll & 0xFFFFFFFFu) | (mid << 32);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

/* Multiplies and folds the high half into the low half: every input bit reaches many
 * output bits in one multiply. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
    uint64_t lo, hi;
    mul_128(a, b, &lo, &hi);
    return lo ^ hi;
}

/* Little-endian loads through memcpy: no alignment requirement, same result on every
 * host, so hashes are stable across platforms. */
static inline uint64_t read_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint64_t read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

uint64_t reel_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data;
    uint64_t state = seed ^ fold_mul(seed ^ HASH_K0, HASH_K1);
    uint64_t a, b;
    if (len <= 16) {
        /* Two possibly overlapping reads cover every byte of short keys. */
        if (len >= 8) {
            a = read_u64(p);
            b = read_u64(p + len - 8);
        } else if (len >= 4) {
            a = read_u32(p);
            b = read_u32(p + len - 4);
        } else if (len > 0) {
            a = (uint64_t)p[0] << 16 | (uint64_t)p[len >> 1] << 8 | p[len - 1];
            b = 0;
        } else {
            a = 0;
            b = 0;
        }
    } else {
        size_t remaining = len;
        if (remaining > 64) {
            /* Four independent lanes keep several multiplies in flight. */
            uint64_t lane1 = state ^ HASH_K1, lane2 = state ^ HASH_K2, lane3 = state ^ HASH_K3;
            do {
                state = fold_mul(read_u64(p) ^ HASH_K1, read_u64(p + 8) ^ state);
                lane1 = fold_mul(read_u64(p + 16) ^ HASH_K2, read_u64(p + 24) ^ lane1);
                lane2 = fold_mul(read_u64(p + 32) ^ HASH_K3, read_u64(p + 40) ^ lane2);
                lane3 = fold_mul(read_u64(p + 48) ^ HASH_K0, read_u64(p + 56) ^ lane3);
                p += 64;
                remaining -= 64;
            } while (remaining > 64);
            state ^= lane1 ^ lane2 ^ lane3;
        }
        while (remaining > 16) {
            state = fold_mul(read_u64(p) ^ HASH_K1, read_u64(p + 8) ^ state);
            p += 16;
            remaining -= 16;
        }
        /* The last 16 bytes, overlapping what came before when len is not a multiple. */
        a = read_u64(p + remaining - 16);
        b = read_u64(p + remaining - 8);
    }
    uint64_t lo, hi;
    mul_128(a ^ HASH_K1, b ^ state, &lo, &hi);
    /* XOR the inputs back in so a zero factor cannot erase the other one. */
    a ^= lo;
    b ^= hi;
    return fold_mul(a ^ HASH_K0 ^ (uint64_t)len, b ^ HASH_K1);
}

uint64_t reel_hash_u64(uint64_t value)
{
    /* splitmix64's step: add the golden-ratio gamma (so 0 does not map to 0), then its
     * finaliser. A bijection with full avalanche. */
    value += HASH_K0;
    value ^= value >> 30;
    value *= HASH_K1;
    value ^= value >> 27;
    value *= HASH_K2;
    value ^= value >> 31;
    return value;
}

/* ---------------------------------------------------------------- map */

#define MAP_INLINE_KEY 16
#define MAP_MIN_CAPACITY ((size_t)16)
#define MAP_HASH_SEED UINT64_C(0)

enum { SLOT_EMPTY = 0, SLOT_LIVE = 1, SLOT_TOMBSTONE = 2 };

struct reel_map_slot {
    uint64_t hash;
    uint64_t value;
    union {
        uint8_t bytes[MAP_INLINE_KEY]; /* key_len <= MAP_INLINE_KEY */
        uint8_t *heap;                 /* key_len > MAP_INLINE_KEY, from map->alloc */
    } key;
    uint32_t key_len;
    uint32_t state;
};

static inline const uint8_t *slot_key(const reel_map_slot *slot)
{
    return slot->key_len <= MAP_INLINE_KEY ? slot->key.bytes : slot->key.heap;
}

static void slot_free_key(const reel_map *map, reel_map_slot *slot)
{
    if (slot->key_len > MAP_INLINE_KEY)
        reel_free(map->alloc, slot->key.heap, slot->key_len);
}

static inline bool key_equal(const reel_map_slot *slot, uint64_t hash, const void *key,
                             size_t key_len)
{
    return slot->hash == hash && slot->key_len == key_len &&
           (key_len == 0 || memcmp(slot_key(slot), key, key_len) == 0);
}

void reel_map_init(reel_map *map, const reel_allocator *alloc)
{
    map->slots = NULL;
    map->cap = 0;
    map->count = 0;
    map->used = 0;
    map->alloc = alloc;
}

/* Index of the live slot holding key, or SIZE_MAX. The load limit guarantees an empty
 * slot, which ends every probe. */
static size_t find_slot(const reel_map *map, const void *key, size_t key_len, uint64_t hash)
{
    size_t mask = map->cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        const reel_map_slot *slot = &map->slots[i];
        if (slot->state == SLOT_EMPTY)
            return SIZE_MAX;
        if (slot->state == SLOT_LIVE && key_equal(slot, hash, key, key_len))
            return i;
    }
}

/* Moves every live entry into a fresh array of new_cap slots, dropping tombstones. */
static reel_status rehash(reel_map *map, size_t new_cap)
{
    size_t bytes;
    if (!reel_size_mul(new_cap, sizeof(reel_map_slot), &bytes))
        return REEL_OUT_OF_MEMORY;
    reel_map_slot *slots = reel_alloc_zeroed(map->alloc, bytes);
    if (slots == NULL)
        return REEL_OUT_OF_MEMORY;
    size_t mask = new_cap - 1;
    for (size_t i = 0; i < map->cap; i++) {
        const reel_map_slot *old = &map->slots[i];
        if (old->state != SLOT_LIVE)
            continue;
        size_t j = (size_t)old->hash & mask;
        while (slots[j].state != SLOT_EMPTY)
            j = (j + 1) & mask;
        slots[j] = *old;
    }
    reel_free(map->alloc, map->slots, map->cap * sizeof(reel_map_slot));
    map->slots = slots;
    map->cap = new_cap;
    map->used = map->count;
    return REEL_OK;
}

reel_status reel_map_put(reel_map *map, const void *key, size_t key_len, uint64_t value)
{
    if (key_len > UINT32_MAX)
        return REEL_LIMIT;
    uint64_t hash = reel_hash_bytes(key, key_len, MAP_HASH_SEED);
    if (map->cap != 0) {
        size_t found = find_slot(map, key, key_len, hash);
        if (found != SIZE_MAX) {
            map->slots[found].value = value;
            return REEL_OK;
        }
    }

    /* Grow at 70% load counting tombstones. Double only when live entries would fill
     * more than half the table; otherwise rebuild at the same size to clear tombstones. */
    if ((map->used + 1) * 10 > map->cap * 7) {
        size_t new_cap = map->cap != 0 ? map->cap : MAP_MIN_CAPACITY;
        while ((map->count + 1) * 2 > new_cap) {
            if (new_cap > SIZE_MAX / 2 / sizeof(reel_map_slot))
                return REEL_OUT_OF_MEMORY;
            new_cap *= 2;
        }
        REEL_TRY(rehash(map, new_cap));
    }

    uint8_t *heap_key = NULL;
    if (key_len > MAP_INLINE_KEY) {
        heap_key = reel_alloc(map->alloc, key_len);
        if (heap_key == NULL)
            return REEL_OUT_OF_MEMORY;
        memcpy(heap_key, key, key_len);
    }

    /* The key is absent, so the first free slot on its probe path (tombstone or empty)
     * is where it goes. */
    size_t mask = map->cap - 1;
    size_t i = (size_t)hash & mask;
    while (map->slots[i].state == SLOT_LIVE)
        i = (i + 1) & mask;
    reel_map_slot *slot = &map->slots[i];
    if (slot->state == SLOT_EMPTY)
        map->used++;
    slot->hash = hash;
    slot->value = value;
    slot->key_len = (uint32_t)key_len;
    slot->state = SLOT_LIVE;
    if (heap_key != NULL)
        slot->key.heap = heap_key;
    else if (key_len != 0)
        memcpy(slot->key.bytes, key, key_len);
    map->count++;
    return REEL_OK;
}

bool reel_map_get(const reel_map *map, const void *key, size_t key_len, uint64_t *value)
{
    if (map->count == 0 || key_len > UINT32_MAX)
        return false;
    size_t found = find_slot(map, key, key_len, reel_hash_bytes(key, key_len, MAP_HASH_SEED));
    if (found == SIZE_MAX)
        return false;
    if (value != NULL)
        *value = map->slots[found].value;
    return true;
}

bool reel_map_remove(reel_map *map, const void *key, size_t key_len)
{
    if (map->count == 0 || key_len > UINT32_MAX)
        return false;
    size_t found = find_slot(map, key, key_len, reel_hash_bytes(key, key_len, MAP_HASH_SEED));
    if (found == SIZE_MAX)
        return false;
    reel_map_slot *slot = &map->slots[found];
    slot_free_key(map, slot);
    map->count--;

    size_t mask = map->cap - 1;
    if (map->slots[(found + 1) & mask].state != SLOT_EMPTY) {
        slot->state = SLOT_TOMBSTONE;
        return true;
    }
    /* A slot followed by an empty one ends every probe path through it, so it can be
     * empty rather than a tombstone; so can the tombstones running up to it. */
    size_t i = found;
    do {
        map->slots[i].state = SLOT_EMPTY;
        map->used--;
        i = (i - 1) & mask;
    } while (map->slots[i].state == SLOT_TOMBSTONE);
    return true;
}

bool reel_map_next(const reel_map *map, size_t *cursor, reel_span *key, uint64_t *value)
{
    for (size_t i = *cursor; i < map->cap; i++) {
        const reel_map_slot *slot = &map->slots[i];
        if (slot->state != SLOT_LIVE)
            continue;
        if (key != NULL)
            *key = reel_span_make(slot_key(slot), slot->key_len);
        if (value != NULL)
            *value = slot->value;
        *cursor = i + 1;
        return true;
    }
    *cursor = map->cap;
    return false;
}

void reel_map_clear(reel_map *map)
{
    for (size_t i = 0; i < map->cap; i++) {
        if (map->slots[i].state == SLOT_LIVE)
            slot_free_key(map, &map->slots[i]);
    }
    if (map->cap != 0)
        memset(map->slots, 0, map->cap * sizeof(reel_map_slot));
    map->count = 0;
    map->used = 0;
}

void reel_map_free(reel_map *map)
{
    if (map == NULL)
        return;
    reel_map_clear(map);
    reel_free(map->alloc, map->slots, map->cap * sizeof(reel_map_slot));
    map->slots = NULL;
    map->cap = 0;
}
