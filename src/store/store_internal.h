/* Private to the store module: the structures behind reel_store and the helpers its files
 * share. A store_chunk wraps one held chunk with its store ids and, per timeline, a row order
 * sorted by (time, RowId); entities hold per-timeline indices of chunk time ranges (one for
 * the entity, one per component, as Rerun's ChunkIdSetPerTime) and the winning static row per
 * component. Everything here is allocated through the store's counting allocator, so memory
 * accounting is exact. Nothing outside src/store includes it. */
#ifndef REEL_STORE_INTERNAL_H
#define REEL_STORE_INTERNAL_H

#include <string.h>

#include "store/store.h"

/* The component whose rows are Clears (rerun.components.ClearIsRecursive). */
#define REEL__STORE_CLEAR_COMPONENT "Clear:is_recursive"

typedef struct store_chunk store_chunk;

/* One chunk in an index: its [start, end] on the timeline (for a component index: over the
 * rows that have the component), which column holds the component (-1 in an entity index) and
 * which of the chunk's timelines this is. Sorted by (start, chunk id), as Rerun's BTreeMaps. */
typedef struct store_entry {
    int64_t start, end;
    store_chunk *chunk;
    int32_t column;
    int32_t timeline; /* index into chunk->timelines */
    /* Copies of the chunk's row order on this timeline, so that a query reaches the times
     * without going through the chunk (fewer dependent loads when sweeping many entities). */
    const int64_t *times;
    const int32_t *order;
    int64_t rows;
    const uint8_t *row_ids;
    const reel_chunk_component *component; /* NULL in an entity index */
} store_entry;

typedef struct store_index {
    store_entry *entries;
    uint32_t len, cap;
    /* The longest end - start ever indexed: bounds the backward walk of latest-at. Never
     * decreases (as Rerun's max_interval_length). */
    uint64_t max_interval;
} store_index;

typedef struct store_chunk_timeline {
    uint32_t timeline;    /* store timeline id */
    const int64_t *times; /* the chunk's times, in row order */
    int32_t *order;       /* rows sorted by (time, RowId); NULL when the rows already are */
} store_chunk_timeline;

struct store_chunk {
    reel_chunk *chunk;      /* one reference held */
    const uint8_t *row_ids; /* 16 big-endian bytes per row (compare with memcmp) */
    uint8_t id[16];         /* the chunk id, big-endian */
    uint8_t min_row_id[16]; /* smallest RowId */
    uint64_t seq;           /* insertion order */
    uint64_t bytes;         /* reel_chunk_byte_size */
    uint32_t entity;
    int32_t n_timelines; /* == chunk->n_timelines, same order */
    store_chunk_timeline *timelines;
    uint32_t *components; /* per column: store component id */
    bool is_static;
    bool from_split;    /* a piece of a split chunk: never compacted (as Rerun) */
    bool made_by_store; /* compacted or split here: its rows may come from other chunks */
    bool doomed;        /* being removed (or marked by the GC) */
    bool protect;       /* kept by the GC pass running now */
    /* Compaction groups: a leader (the elected neighbour) and the chunks waiting to be merged
     * into it. Members point at their leader; the leader holds the list and the totals. */
    store_chunk *leader;
    store_chunk **pending;
    uint32_t n_pending, cap_pending;
    uint64_t group_rows, group_bytes; /* leader + pending */
    bool group_sorted;                /* every chunk of the group sorted on every timeline */
};

/* The winning static row of one component. */
typedef struct store_static {
    uint32_t component;
    int32_t column;
    store_chunk *chunk;
    int64_t row;
} store_static;

typedef struct store_component_index {
    uint32_t component;
    store_index index;
} store_component_index;

typedef struct store_entity_timeline {
    store_index all;                   /* every chunk of the entity with this timeline */
    store_component_index *components; /* sorted by component id */
    uint32_t n_components, cap_components;
    bool dirty; /* has doomed entries (during a removal) */
} store_entity_timeline;

typedef struct store_entity {
    char *path; /* canonical */
    char *name; /* unescaped last part ("" for the root) */
    size_t name_len;
    uint32_t id, parent; /* parent REEL_STORE_NO_ID for the root */
    uint32_t *children;  /* sorted in Rerun's order */
    uint32_t n_children, cap_children;
    uint64_t n_chunks, subtree_chunks;
    store_static *statics; /* sorted by component id */
    uint32_t n_statics, cap_statics;
    store_chunk **static_chunks; /* every static chunk held for the entity */
    uint32_t n_static_chunks, cap_static_chunks;
    store_entity_timeline **timelines; /* by timeline id; NULL where none */
    uint32_t n_timelines;
    uint32_t clear_chunks; /* chunks held with a Clear column */
} store_entity;

typedef struct store_timeline {
    char *name;
    reel_time_type type;
} store_timeline;

typedef struct store_block {
    void *ptr;
    size_t size;
} store_block;

typedef struct store_subscriber {
    reel_store_event_fn fn;
    void *ctx;
    uint32_t handle;
} store_subscriber;

struct reel_store {
    reel_allocator alloc; /* counts into own_bytes, forwards to base */
    const reel_allocator *base;
    uint64_t own_bytes;

    uint64_t max_bytes, max_rows, max_rows_unsorted;
    bool compaction, split;
    uint32_t compaction_batch;
    uint64_t memory_limit;

    reel_map entity_by_path;
    store_entity **entities;
    uint32_t n_entities, cap_entities;
    /* Per entity, changes whenever a chunk of it comes or goes (query caches check it; kept
     * apart from the entities so that checking a thousand stays in a few cache lines). */
    uint64_t *entity_versions;
    uint32_t cap_entity_versions;
    reel_map timeline_by_name;
    store_timeline *timelines;
    uint32_t n_timelines, cap_timelines;
    reel_map component_by_name;
    char **components;
    uint32_t n_components, cap_components;
    uint32_t clear_component; /* REEL_STORE_NO_ID until seen */
    uint32_t clear_entities;  /* entities with clear_chunks > 0 */
    uint64_t clear_version;   /* changes whenever a chunk with a Clear column comes or goes */
    uint64_t serial;          /* tells stores apart in query caches */

    reel_map chunk_by_id; /* 16-byte id -> store_chunk* */
    /* Live temporal chunks sorted by (smallest RowId, chunk id): the GC order. */
    store_chunk **temporal;
    uint32_t n_temporal, cap_temporal;
    uint64_t seq, next_event_id;

    store_subscriber *subscribers;
    uint32_t n_subscribers, cap_subscribers, next_handle;
    reel_vec events;         /* reel_store_event, collected during one operation */
    reel_vec doomed;         /* reel_chunk*, released after the events went out */
    reel_vec deferred_frees; /* store_block: memory events point into */

    reel_store_stats stats; /* chunk counts, rows, bytes, counters (index_bytes computed) */
};

/* ---------------------------------------------------------------- store.c */

/* Grows *array (of elem_size elements, capacity *cap) to hold at least `need`. */
reel_status reel__store_grow(reel_store *store, void **array, uint32_t *cap, uint32_t need,
                             size_t elem_size);
/* Interns a timeline / component name (timeline: keeps the first type). */
reel_status reel__store_intern_timeline(reel_store *store, const char *name, reel_time_type type,
                                        uint32_t *out);
reel_status reel__store_intern_component(reel_store *store, const char *name, uint32_t *out);
/* Makes room for that many more events, deferred releases and deferred frees, so that an
 * operation can check for memory first and then change the store without failing half-way. */
reel_status reel__store_reserve(reel_store *store, size_t events, size_t releases, size_t frees);
/* Queues an event (chunks are retained for the callback by the caller's references). */
reel_status reel__store_push_event(reel_store *store, const reel_store_event *event);
/* Keeps a reference to release after the events are delivered (takes it over). */
reel_status reel__store_defer_release(reel_store *store, reel_chunk *chunk);
/* Frees a block of &store->alloc memory after the events went out (takes it over). */
void reel__store_defer_free(reel_store *store, void *ptr, size_t size);
/* Delivers the queued events to subscribers, then releases deferred references. */
void reel__store_flush_events(reel_store *store);

/* ---------------------------------------------------------------- store_tree.c */

/* The entity for a canonical path, created with all its ancestors when missing. */
reel_status reel__store_entity(reel_store *store, const char *path, uint32_t *out);
/* Adds delta to n_chunks of the entity and subtree_chunks of it and its ancestors. */
void reel__store_count_chunks(reel_store *store, uint32_t entity, int64_t delta);

/* ---------------------------------------------------------------- store_index.c */

static inline int store_row_id_cmp(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, 16);
}

static inline uint64_t store_load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Row i's RowId without a function call (chunk row ids are 16 big-endian bytes). */
static inline reel_tuid store_row_id(const store_chunk *sc, int64_t row)
{
    reel_tuid id = {store_load_be64(sc->row_ids + row * 16),
                    store_load_be64(sc->row_ids + row * 16 + 8)};
    return id;
}

/* time - span, or INT64_MIN when that would be below it: where the backward walks over an
 * index (latest-at, range bounds) may stop. `span` (an index's max_interval) may exceed
 * INT64_MAX when a chunk spans more than half of int64, so the difference is taken modulo 2^64
 * (it is in range whenever it is not clamped) instead of as a signed subtraction. */
static inline int64_t store_back_off(int64_t time, uint64_t span)
{
    if ((uint64_t)time - (uint64_t)INT64_MIN <= span)
        return INT64_MIN;
    return (int64_t)((uint64_t)time - span);
}

static inline int64_t store_row_at(const store_chunk_timeline *t, int64_t pos)
{
    return t->order != NULL ? t->order[pos] : pos;
}

/* Is the list of column `column` at `row` non-null (the component was logged)? */
bool reel__store_list_valid(const reel_chunk *chunk, int32_t column, int64_t row);

/* Positions (in sorted order) of the first row with time > `time` / >= `time`. */
int64_t reel__store_upper_bound(const store_chunk *chunk, int32_t timeline, int64_t time);
int64_t reel__store_lower_bound(const store_chunk *chunk, int32_t timeline, int64_t time);
/* The same through an index entry (its times, order, and start/end as the search's guess). */
int64_t reel__store_entry_upper_bound(const store_entry *entry, int64_t time);

/* Fills chunk->timelines[k].order when the rows are not sorted by (time, RowId). */
reel_status reel__store_sort_timeline(reel_store *store, store_chunk *chunk, int32_t k);

/* Inserts an entry in (start, chunk id) order. */
reel_status reel__store_index_add(reel_store *store, store_index *index, const store_entry *entry);
/* Removes the entries of doomed chunks. */
void reel__store_index_sweep(store_index *index);
void reel__store_index_free(reel_store *store, store_index *index);
/* Number of entries with start <= time. */
uint32_t reel__store_index_upper(const store_index *index, int64_t time);

/* The component index of (entity timeline, component), or NULL / created. */
store_index *reel__store_component_index(const store_entity_timeline *et, uint32_t component);
reel_status reel__store_component_index_get(reel_store *store, store_entity_timeline *et,
                                            uint32_t component, store_index **out);
/* The entity's index for a timeline, or NULL / created. */
store_entity_timeline *reel__store_entity_timeline(const store_entity *entity, uint32_t timeline);
reel_status reel__store_entity_timeline_get(reel_store *store, store_entity *entity,
                                            uint32_t timeline, store_entity_timeline **out);

/* ---------------------------------------------------------------- store_insert.c */

/* Wraps a chunk (retaining it) into a new store_chunk with ids, orders and sizes. */
reel_status reel__store_chunk_new(reel_store *store, reel_chunk *chunk, store_chunk **out);
void reel__store_chunk_free(reel_store *store, store_chunk *sc);
/* Adds a temporal store_chunk to every index, the id map, the GC order and the counts. */
reel_status reel__store_index_temporal(reel_store *store, store_chunk *sc);
/* [min, max] time on the chunk's timeline k over the rows where column j is not null; false
 * when every row is null. */
bool reel__store_column_range(const store_chunk *sc, int32_t k, int32_t j, int64_t *min,
                              int64_t *max);
/* Runs the memory-limit GC (reel_store_desc.memory_limit). */
reel_status reel__store_enforce_limit(reel_store *store);
/* Removes doomed temporal chunks from every index and table; their references move to the
 * deferred-release list. `chunks` are the doomed ones. */
void reel__store_unindex(reel_store *store, store_chunk **chunks, size_t count);

/* ---------------------------------------------------------------- store_compact.c */

/* Rerun's split_chunk_if_needed: NULL *out_pieces when the chunk stays whole, else pieces
 * (references owned by the caller, n in *out_count). */
reel_status reel__store_split(reel_store *store, reel_chunk *chunk, reel_chunk ***out_pieces,
                              size_t *out_count, reel_error *err);
/* Rerun's find_and_elect_compaction_candidate for a new (not yet indexed) chunk; returns the
 * leader of the elected chunk's group (the chunk itself when it has none). */
store_chunk *reel__store_elect(const reel_store *store, const store_chunk *incoming);
/* Adds an indexed chunk to a leader's group. */
reel_status reel__store_join_group(reel_store *store, store_chunk *leader, store_chunk *member);
/* Should the group be merged now (enough chunks waiting, or full)? */
bool reel__store_group_ready(const reel_store *store, const store_chunk *leader);
/* Merges a leader and its pending chunks into one new chunk (COMPACTION event). */
reel_status reel__store_flush_group(reel_store *store, store_chunk *leader, reel_error *err);
/* Takes a chunk out of its group (or breaks up the group it leads), e.g. before removing it. */
void reel__store_leave_group(reel_store *store, store_chunk *sc);
/* The rows of n chunks in one new chunk: concatenated in order of their smallest RowId, then
 * sorted by RowId if they overlap (Rerun's concat_and_sort, for any number of chunks). */
reel_status reel__store_merge_many(const reel_chunk *const *chunks, size_t n, reel_chunk **out,
                                   reel_error *err);
/* Rows [start, start + count) of a chunk as a new chunk (deep copy). */
reel_status reel__store_slice(const reel_chunk *chunk, int64_t start, int64_t count,
                              reel_chunk **out, reel_error *err);

/* ---------------------------------------------------------------- store_query.c */

/* A row found by a query. */
typedef struct store_hit {
    store_chunk *chunk;
    int32_t column;
    int64_t row;
    int64_t time;                          /* REEL_STORE_TIME_STATIC for static */
    const uint8_t *row_ids;                /* chunk->row_ids */
    const reel_chunk_component *component; /* the column */
} store_hit;

/* A hit on row `row` of column `column` of a chunk. */
static inline store_hit store_make_hit(store_chunk *sc, int32_t column, int64_t row, int64_t time)
{
    store_hit hit = {sc, column, row, time, sc->row_ids, &sc->chunk->components[column]};
    return hit;
}

/* Latest-at without clears: static first, then the timeline's index. */
bool reel__store_lookup(const reel_store *store, const store_entity *entity, uint32_t timeline,
                        int64_t time, uint32_t component, store_hit *out);
/* Is a > b in Rerun's index order (static above temporal; then time, then RowId)? */
int reel__store_hit_cmp(const store_hit *a, const store_hit *b);

#endif
