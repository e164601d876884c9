/* The store as an object: creation with Rerun's thresholds (defaults, environment), the
 * counting allocator that makes memory accounting exact, the name tables (timelines,
 * components), subscribers and the event queue that each operation flushes at its end,
 * statistics, and destruction. */
#include <errno.h>
#include <stdlib.h>

#include "store/store_internal.h"

/* ---------------------------------------------------------------- counting allocator */

static void *count_alloc(void *ctx, size_t size)
{
    reel_store *store = ctx;
    void *p = reel_alloc(store->base, size);
    if (p != NULL)
        store->own_bytes += size;
    return p;
}

static void *count_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    reel_store *store = ctx;
    void *p = reel_realloc(store->base, ptr, old_size, new_size);
    if (p != NULL || new_size == 0)
        store->own_bytes = store->own_bytes - old_size + new_size;
    return p;
}

static void count_free(void *ctx, void *ptr, size_t size)
{
    reel_store *store = ctx;
    if (ptr == NULL)
        return;
    reel_free(store->base, ptr, size);
    store->own_bytes -= size;
}

reel_status reel__store_grow(reel_store *store, void **array, uint32_t *cap, uint32_t need,
                             size_t elem_size)
{
    if (need <= *cap)
        return REEL_OK;
    if (need > UINT32_MAX / 2)
        return REEL_LIMIT;
    uint32_t new_cap = *cap < 4 ? 4 : *cap;
    while (new_cap < need)
        new_cap *= 2;
    void *p =
        reel_realloc(&store->alloc, *array, (size_t)*cap * elem_size, (size_t)new_cap * elem_size);
    if (p == NULL)
        return REEL_OUT_OF_MEMORY;
    *array = p;
    *cap = new_cap;
    return REEL_OK;
}

/* ---------------------------------------------------------------- configuration */

static uint64_t threshold(uint64_t given, bool ignore_env, const char *env, uint64_t fallback)
{
    if (given != 0)
        return given;
    const char *text = ignore_env ? NULL : getenv(env);
    if (text != NULL && text[0] != '\0') {
        char *end = NULL;
        errno = 0;
        unsigned long long value = strtoull(text, &end, 10);
        if (errno == 0 && end != NULL && *end == '\0' && text[0] != '-')
            return (uint64_t)value;
        reel_log(REEL_LOG_WARN, "store", "ignoring %s='%.40s': not a decimal number", env, text);
    }
    return fallback;
}

reel_status reel_store_create(const reel_store_desc *desc, reel_store **out, reel_error *err)
{
    static const reel_store_desc defaults = {0};
    if (desc == NULL)
        desc = &defaults;
    *out = NULL;
    reel_store *store = reel_alloc_zeroed(desc->alloc, sizeof *store);
    if (store == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    store->base = desc->alloc;
    store->alloc = (reel_allocator){count_alloc, count_realloc, count_free, store};
    store->max_bytes = threshold(desc->chunk_max_bytes, desc->ignore_env, "RERUN_CHUNK_MAX_BYTES",
                                 REEL_STORE_DEFAULT_CHUNK_MAX_BYTES);
    store->max_rows = threshold(desc->chunk_max_rows, desc->ignore_env, "RERUN_CHUNK_MAX_ROWS",
                                REEL_STORE_DEFAULT_CHUNK_MAX_ROWS);
    store->max_rows_unsorted = threshold(desc->chunk_max_rows_if_unsorted, desc->ignore_env,
                                         "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED",
                                         REEL_STORE_DEFAULT_CHUNK_MAX_ROWS_IF_UNSORTED);
    store->compaction = !desc->no_compaction;
    store->compaction_batch = desc->compaction_batch != 0 ? desc->compaction_batch : 8;
    store->split = !desc->no_split;
    store->memory_limit = desc->memory_limit;
    store->clear_component = REEL_STORE_NO_ID;
    reel_tuid serial = reel_tuid_new();
    store->serial = serial.time_ns ^ (serial.inc * UINT64_C(0x9E3779B97F4A7C15));
    reel_map_init(&store->entity_by_path, &store->alloc);
    reel_map_init(&store->timeline_by_name, &store->alloc);
    reel_map_init(&store->component_by_name, &store->alloc);
    reel_map_init(&store->chunk_by_id, &store->alloc);
    reel_vec_init(&store->events, sizeof(reel_store_event), &store->alloc);
    reel_vec_init(&store->doomed, sizeof(reel_chunk *), &store->alloc);
    reel_vec_init(&store->deferred_frees, sizeof(store_block), &store->alloc);
    uint32_t root;
    if (reel__store_entity(store, "/", &root) != REEL_OK) {
        reel_store_destroy(store);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    *out = store;
    return REEL_OK;
}

void reel_store_thresholds(const reel_store *store, uint64_t *max_bytes, uint64_t *max_rows,
                           uint64_t *max_rows_if_unsorted)
{
    *max_bytes = store->max_bytes;
    *max_rows = store->max_rows;
    *max_rows_if_unsorted = store->max_rows_unsorted;
}

static void free_entity(reel_store *store, store_entity *e)
{
    for (uint32_t t = 0; t < e->n_timelines; t++) {
        store_entity_timeline *et = e->timelines[t];
        if (et == NULL)
            continue;
        reel__store_index_free(store, &et->all);
        for (uint32_t c = 0; c < et->n_components; c++)
            reel__store_index_free(store, &et->components[c].index);
        reel_free(&store->alloc, et->components, et->cap_components * sizeof *et->components);
        reel_free(&store->alloc, et, sizeof *et);
    }
    reel_free(&store->alloc, e->timelines, e->n_timelines * sizeof *e->timelines);
    for (uint32_t i = 0; i < e->n_static_chunks; i++)
        reel__store_chunk_free(store, e->static_chunks[i]);
    reel_free(&store->alloc, e->static_chunks, e->cap_static_chunks * sizeof *e->static_chunks);
    reel_free(&store->alloc, e->statics, e->cap_statics * sizeof *e->statics);
    reel_free(&store->alloc, e->children, e->cap_children * sizeof *e->children);
    reel_strfree(&store->alloc, e->path);
    reel_free(&store->alloc, e->name, e->name_len + 1);
    reel_free(&store->alloc, e, sizeof *e);
}

void reel_store_destroy(reel_store *store)
{
    if (store == NULL)
        return;
    for (uint32_t i = 0; i < store->n_temporal; i++)
        reel__store_chunk_free(store, store->temporal[i]);
    reel_free(&store->alloc, store->temporal, store->cap_temporal * sizeof *store->temporal);
    for (uint32_t i = 0; i < store->n_entities; i++)
        free_entity(store, store->entities[i]);
    reel_free(&store->alloc, store->entities, store->cap_entities * sizeof *store->entities);
    reel_free(&store->alloc, store->entity_versions,
              store->cap_entity_versions * sizeof *store->entity_versions);
    for (uint32_t i = 0; i < store->n_timelines; i++)
        reel_strfree(&store->alloc, store->timelines[i].name);
    reel_free(&store->alloc, store->timelines, store->cap_timelines * sizeof *store->timelines);
    for (uint32_t i = 0; i < store->n_components; i++)
        reel_strfree(&store->alloc, store->components[i]);
    reel_free(&store->alloc, store->components, store->cap_components * sizeof *store->components);
    reel_free(&store->alloc, store->subscribers,
              store->cap_subscribers * sizeof *store->subscribers);
    reel_map_free(&store->entity_by_path);
    reel_map_free(&store->timeline_by_name);
    reel_map_free(&store->component_by_name);
    reel_map_free(&store->chunk_by_id);
    reel__store_flush_events(store); /* releases anything deferred */
    reel_vec_free(&store->events);
    reel_vec_free(&store->doomed);
    reel_vec_free(&store->deferred_frees);
    reel_free(store->base, store, sizeof *store);
}

/* ---------------------------------------------------------------- names */

reel_status reel__store_intern_timeline(reel_store *store, const char *name, reel_time_type type,
                                        uint32_t *out)
{
    uint64_t id;
    size_t len = strlen(name);
    if (reel_map_get(&store->timeline_by_name, name, len, &id)) {
        *out = (uint32_t)id;
        return REEL_OK;
    }
    REEL_TRY(reel__store_grow(store, (void **)&store->timelines, &store->cap_timelines,
                              store->n_timelines + 1, sizeof *store->timelines));
    char *copy = reel_strdup(&store->alloc, name);
    if (copy == NULL)
        return REEL_OUT_OF_MEMORY;
    if (reel_map_put(&store->timeline_by_name, name, len, store->n_timelines) != REEL_OK) {
        reel_strfree(&store->alloc, copy);
        return REEL_OUT_OF_MEMORY;
    }
    store->timelines[store->n_timelines] = (store_timeline){copy, type};
    *out = store->n_timelines++;
    return REEL_OK;
}

reel_status reel__store_intern_component(reel_store *store, const char *name, uint32_t *out)
{
    uint64_t id;
    size_t len = strlen(name);
    if (reel_map_get(&store->component_by_name, name, len, &id)) {
        *out = (uint32_t)id;
        return REEL_OK;
    }
    REEL_TRY(reel__store_grow(store, (void **)&store->components, &store->cap_components,
                              store->n_components + 1, sizeof *store->components));
    char *copy = reel_strdup(&store->alloc, name);
    if (copy == NULL)
        return REEL_OUT_OF_MEMORY;
    if (reel_map_put(&store->component_by_name, name, len, store->n_components) != REEL_OK) {
        reel_strfree(&store->alloc, copy);
        return REEL_OUT_OF_MEMORY;
    }
    if (strcmp(name, REEL__STORE_CLEAR_COMPONENT) == 0)
        store->clear_component = store->n_components;
    store->components[store->n_components] = copy;
    *out = store->n_components++;
    return REEL_OK;
}

uint32_t reel_store_timeline_find(const reel_store *store, const char *timeline)
{
    uint64_t id;
    if (timeline == NULL ||
        !reel_map_get(&store->timeline_by_name, timeline, strlen(timeline), &id))
        return REEL_STORE_NO_ID;
    return (uint32_t)id;
}

uint32_t reel_store_component_find(const reel_store *store, const char *component)
{
    uint64_t id;
    if (component == NULL ||
        !reel_map_get(&store->component_by_name, component, strlen(component), &id))
        return REEL_STORE_NO_ID;
    return (uint32_t)id;
}

uint32_t reel_store_timeline_count(const reel_store *store)
{
    return store->n_timelines;
}

uint32_t reel_store_component_count(const reel_store *store)
{
    return store->n_components;
}

const char *reel_store_timeline_name(const reel_store *store, uint32_t timeline)
{
    return timeline < store->n_timelines ? store->timelines[timeline].name : NULL;
}

reel_time_type reel_store_timeline_type(const reel_store *store, uint32_t timeline)
{
    return timeline < store->n_timelines ? store->timelines[timeline].type : REEL_TIME_SEQUENCE;
}

const char *reel_store_component_name(const reel_store *store, uint32_t component)
{
    return component < store->n_components ? store->components[component] : NULL;
}

/* ---------------------------------------------------------------- events */

reel_status reel_store_subscribe(reel_store *store, reel_store_event_fn fn, void *ctx,
                                 uint32_t *out_handle, reel_error *err)
{
    if (fn == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "store: subscriber without a function");
    if (reel__store_grow(store, (void **)&store->subscribers, &store->cap_subscribers,
                         store->n_subscribers + 1, sizeof *store->subscribers) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    uint32_t handle = ++store->next_handle;
    store->subscribers[store->n_subscribers++] = (store_subscriber){fn, ctx, handle};
    if (out_handle != NULL)
        *out_handle = handle;
    return REEL_OK;
}

void reel_store_unsubscribe(reel_store *store, uint32_t handle)
{
    for (uint32_t i = 0; i < store->n_subscribers; i++) {
        if (store->subscribers[i].handle == handle) {
            memmove(&store->subscribers[i], &store->subscribers[i + 1],
                    (store->n_subscribers - i - 1) * sizeof *store->subscribers);
            store->n_subscribers--;
            return;
        }
    }
}

reel_status reel__store_push_event(reel_store *store, const reel_store_event *event)
{
    if (store->n_subscribers == 0)
        return REEL_OK; /* nobody listens: keep no changelog (Rerun's enable_changelog) */
    reel_store_event copy = *event;
    copy.event_id = store->next_event_id++;
    return reel_vec_push(&store->events, &copy);
}

reel_status reel__store_reserve(reel_store *store, size_t events, size_t releases, size_t frees)
{
    if (store->n_subscribers > 0)
        REEL_TRY(reel_vec_reserve(&store->events, events));
    REEL_TRY(reel_vec_reserve(&store->doomed, releases));
    return reel_vec_reserve(&store->deferred_frees, frees);
}

reel_status reel__store_defer_release(reel_store *store, reel_chunk *chunk)
{
    if (reel_vec_push(&store->doomed, &chunk) != REEL_OK) {
        /* No room to defer: nobody can be looking at it yet except through events already
         * queued, which hold their own references, so releasing now is safe. */
        reel_chunk_release(chunk);
        return REEL_OUT_OF_MEMORY;
    }
    return REEL_OK;
}

void reel__store_defer_free(reel_store *store, void *ptr, size_t size)
{
    store_block block = {ptr, size};
    if (reel_vec_push(&store->deferred_frees, &block) != REEL_OK && store->events.len == 0)
        reel_free(&store->alloc, ptr, size); /* nobody can see it: free now */
    /* else (out of memory with events pending): leaked rather than freed under a reader */
}

void reel__store_flush_events(reel_store *store)
{
    if (store->events.len > 0) {
        for (uint32_t i = 0; i < store->n_subscribers; i++)
            store->subscribers[i].fn(store->subscribers[i].ctx, store,
                                     (const reel_store_event *)store->events.data,
                                     store->events.len);
        reel_vec_clear(&store->events);
    }
    for (size_t i = 0; i < store->doomed.len; i++)
        reel_chunk_release(REEL_VEC_AT(&store->doomed, reel_chunk *, i));
    reel_vec_clear(&store->doomed);
    for (size_t i = 0; i < store->deferred_frees.len; i++) {
        store_block block = REEL_VEC_AT(&store->deferred_frees, store_block, i);
        reel_free(&store->alloc, block.ptr, block.size);
    }
    reel_vec_clear(&store->deferred_frees);
}

/* ---------------------------------------------------------------- statistics */

uint64_t reel_store_memory_used(const reel_store *store)
{
    return store->stats.static_bytes + store->stats.temporal_bytes + store->own_bytes;
}

void reel_store_get_stats(const reel_store *store, reel_store_stats *out)
{
    *out = store->stats;
    out->index_bytes = store->own_bytes;
    out->total_bytes = reel_store_memory_used(store);
}

void reel_store_for_each_chunk(const reel_store *store,
                               void (*fn)(void *ctx, const reel_chunk *chunk), void *ctx)
{
    for (uint32_t e = 0; e < store->n_entities; e++) {
        const store_entity *entity = store->entities[e];
        for (uint32_t i = 0; i < entity->n_static_chunks; i++)
            fn(ctx, entity->static_chunks[i]->chunk);
    }
    for (uint32_t i = 0; i < store->n_temporal; i++)
        fn(ctx, store->temporal[i]->chunk);
}
