/* The caller-owned latest-at cache (re_query's QueryCache, for latest-at): an open-addressing
 * table keyed by (entity, timeline, component) holding the last query time and its answer,
 * valid while the entity's version and the store's Clear version are the ones it was computed
 * under. A hit costs a hash, one or two cache lines of the table and the entity's version. */
#include "store/store_internal.h"

typedef struct cache_slot {
    uint32_t entity, timeline, component;
    bool used;
    int64_t time;
    uint64_t entity_version, clear_version;
    reel_store_result result;
} cache_slot;

struct reel_store_cache {
    const reel_allocator *alloc;
    uint64_t store_serial;
    cache_slot *slots;
    uint32_t cap, count; /* cap is 0 or a power of two */
};

reel_status reel_store_cache_create(const reel_allocator *alloc, reel_store_cache **out,
                                    reel_error *err)
{
    *out = reel_alloc_zeroed(alloc, sizeof **out);
    if (*out == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store cache: out of memory");
    (*out)->alloc = alloc;
    return REEL_OK;
}

void reel_store_cache_destroy(reel_store_cache *cache)
{
    if (cache == NULL)
        return;
    reel_free(cache->alloc, cache->slots, (size_t)cache->cap * sizeof *cache->slots);
    reel_free(cache->alloc, cache, sizeof *cache);
}

static uint32_t slot_hash(uint32_t entity, uint32_t timeline, uint32_t component)
{
    uint64_t key = ((uint64_t)entity << 32) ^ ((uint64_t)timeline << 20) ^ component;
    return (uint32_t)(reel_hash_u64(key) >> 32);
}

static cache_slot *probe(cache_slot *slots, uint32_t cap, uint32_t entity, uint32_t timeline,
                         uint32_t component)
{
    uint32_t mask = cap - 1;
    for (uint32_t i = slot_hash(entity, timeline, component) & mask;; i = (i + 1) & mask) {
        cache_slot *s = &slots[i];
        if (!s->used ||
            (s->entity == entity && s->timeline == timeline && s->component == component))
            return s;
    }
}

static bool grow(reel_store_cache *cache)
{
    uint32_t cap = cache->cap == 0 ? 256 : cache->cap * 2;
    if (cap == 0 || cap > (UINT32_MAX >> 1))
        return false;
    cache_slot *slots = reel_alloc_zeroed(cache->alloc, (size_t)cap * sizeof *slots);
    if (slots == NULL)
        return false;
    for (uint32_t i = 0; i < cache->cap; i++) {
        const cache_slot *s = &cache->slots[i];
        if (s->used)
            *probe(slots, cap, s->entity, s->timeline, s->component) = *s;
    }
    reel_free(cache->alloc, cache->slots, (size_t)cache->cap * sizeof *cache->slots);
    cache->slots = slots;
    cache->cap = cap;
    return true;
}

reel_store_state reel_store_latest_at_cached(const reel_store *store, reel_store_cache *cache,
                                             uint32_t entity, uint32_t timeline, int64_t time,
                                             uint32_t component, reel_store_result *out)
{
    if (entity >= store->n_entities || component >= store->n_components)
        return reel_store_latest_at_id(store, entity, timeline, time, component, out);
    if (cache->store_serial != store->serial) { /* another store: forget everything */
        if (cache->cap > 0)
            memset(cache->slots, 0, (size_t)cache->cap * sizeof *cache->slots);
        cache->count = 0;
        cache->store_serial = store->serial;
    }
    uint64_t entity_version = store->entity_versions[entity];
    if (cache->cap > 0) {
        cache_slot *s = probe(cache->slots, cache->cap, entity, timeline, component);
        if (s->used && s->time == time && s->entity_version == entity_version &&
            s->clear_version == store->clear_version) {
            *out = s->result;
            return out->state;
        }
    }
    reel_store_state state = reel_store_latest_at_id(store, entity, timeline, time, component, out);
    if ((cache->count + 1) * 2 > cache->cap && !grow(cache))
        return state;
    cache_slot *s = probe(cache->slots, cache->cap, entity, timeline, component);
    cache->count += !s->used;
    *s = (cache_slot){entity, timeline, component, true, time, entity_version, store->clear_version,
                      *out};
    return state;
}
