/* A logging thread's cache of canonical entity paths, keyed by the caller's spelling: a
 * program logs to the same few paths over and over, and normalizing one (parsing, escaping,
 * UTF-8 checks) costs more than the rest of a scalar log call. Entries live until the cache
 * is full (then it starts over) or the thread exits; invalid paths are never cached. */
#include <string.h>

#include "sdk/sdk_internal.h"

typedef struct cached_path {
    char *canonical; /* NUL-terminated */
    size_t len;
} cached_path;

void sdk_path_cache_init(sdk_path_cache *cache)
{
    memset(cache, 0, sizeof *cache);
    reel_vec_init(&cache->paths, sizeof(cached_path), NULL);
}

void sdk_path_cache_clear(sdk_path_cache *cache)
{
    for (size_t i = 0; i < cache->paths.len; i++) {
        cached_path *p = &REEL_VEC_AT(&cache->paths, cached_path, i);
        reel_free(NULL, p->canonical, p->len + 1);
    }
    reel_vec_clear(&cache->paths);
    reel_map_clear(&cache->index);
}

void sdk_path_cache_free(sdk_path_cache *cache)
{
    sdk_path_cache_clear(cache);
    reel_vec_free(&cache->paths);
    reel_map_free(&cache->index);
    reel_buf_free(&cache->scratch);
}

reel_status sdk_path_cache_lookup(sdk_path_cache *cache, const char *text, size_t len,
                                  const char **canonical, size_t *canonical_len, reel_error *err)
{
    uint64_t position;
    if (reel_map_get(&cache->index, text, len, &position)) {
        const cached_path *p = &REEL_VEC_AT(&cache->paths, cached_path, position);
        *canonical = p->canonical, *canonical_len = p->len;
        return REEL_OK;
    }
    REEL_TRY(reel_entity_path_normalize(text, len, &cache->scratch, err));
    *canonical = (const char *)cache->scratch.data, *canonical_len = cache->scratch.len;
    /* Caching is an optimisation: when it fails (out of memory) the scratch result serves. */
    if (cache->paths.len >= SDK_PATH_CACHE_MAX_ENTRIES)
        sdk_path_cache_clear(cache);
    cached_path entry = {reel_alloc(NULL, cache->scratch.len + 1), cache->scratch.len};
    if (entry.canonical == NULL)
        return REEL_OK;
    memcpy(entry.canonical, cache->scratch.data, entry.len);
    entry.canonical[entry.len] = '\0';
    if (reel_vec_push(&cache->paths, &entry) != REEL_OK) {
        reel_free(NULL, entry.canonical, entry.len + 1);
        return REEL_OK;
    }
    if (reel_map_put(&cache->index, text, len, cache->paths.len - 1) != REEL_OK) {
        cache->paths.len--;
        reel_free(NULL, entry.canonical, entry.len + 1);
        return REEL_OK;
    }
    *canonical = entry.canonical, *canonical_len = entry.len;
    return REEL_OK;
}
