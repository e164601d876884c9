/* Lanes: the logging thread's columnar accumulation of small rows. A scalar, a point, a
 * transform — most log calls — carry a few fixed-width values; instead of a row object per
 * call, the thread appends the RowId, its times and each component's values straight into
 * the column buffers of a group (one entity, archetype, set of fields and set of timelines),
 * under the lane's own lock, which only the batcher ever contends for (at its ticks). A
 * group's buffers then become a chunk's Arrow buffers as they are (reel_chunk_from_columns).
 *
 * Exclusion between the owner and the batcher is asymmetric (Dekker with membarrier): the
 * owner marks itself busy with a plain store and checks `claimed` with a plain load — no
 * atomic read-modify-write and no fence per log call; the batcher claims every lane, runs one
 * membarrier() (a full barrier on every thread of the process), then waits for owners still
 * busy. Where membarrier is not available, a spinlock per lane does the same job.
 *
 * Lifetimes: a lane belongs to one thread and one recording and holds a reference for each,
 * plus one per COLUMNS item in flight; its groups live as long as it does, so items and the
 * batcher may point at them. A thread's exit leaves its lane to the batcher, which still
 * collects what it holds. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "sdk/sdk_internal.h"

/* Where a group's timeline column takes its value from, besides the thread's entries. */
enum { SOURCE_LOG_TIME = -1, SOURCE_LOG_TICK = -2 };

typedef struct lane_cell {
    const reel_types_field *field;     /* the registry's (process lifetime) */
    const reel_arrow_field *type;      /* instance type (registry) */
    size_t value_size;                 /* bytes per instance */
    /* int32 list offsets, rows + 1 of them — but only once a row has other than one
     * instance: while every row has exactly one, they are implicit (0, 1, 2, …) and the
     * batcher writes them (one store fewer per cell on the logging thread). */
    reel_buf offsets;
    bool explicit_offsets;
    reel_buf values;
    int64_t instances;
} lane_cell;

typedef struct lane_time {
    char *name;
    reel_time_type type;
    int32_t source; /* index into the thread's entries, or SOURCE_* */
    reel_buf values; /* int64 per row */
} lane_time;

typedef struct lane_group {
    bool row_path; /* the key does not qualify: log through the row path */
    char *spelling; /* the caller's entity path (the key's) */
    char *entity_path; /* canonical */
    const reel_types_archetype *archetype;
    int32_t n_times;
    lane_time *times;
    int32_t n_cells;
    lane_cell *cells;
    reel_buf row_ids;
    int64_t rows, last_rows; /* last_rows: of the last columns taken (to size the next) */
    uint64_t bytes;
} lane_group;

/* A direct-mapped cache in front of the lane's map, keyed by the address of the caller's
 * path string (most programs log from the same literals or tables) and checked against the
 * group's own copy of the text, so a reused buffer with other text is never confused. */
#define LANE_CACHE_SIZE 2048
#define LANE_CACHE_WAYS 4
typedef struct lane_cache_entry {
    const char *path;
    uint64_t mask;
    int32_t archetype_id;
    uint32_t signature;
    lane_group *group;
} lane_cache_entry;

struct sdk_lane {
    sdk_lane *next; /* the recording's list */
    atomic_int refs;
    atomic_flag lock;      /* without membarrier */
    atomic_bool busy;      /* the owner is inside (with membarrier) */
    atomic_bool claimed;   /* the batcher is taking, or about to (with membarrier) */
    reel_recording *rec;
    reel_vec groups; /* lane_group *; appended under the lock */
    /* Owned by the logging thread. */
    reel_map index;   /* key -> position in groups */
    reel_buf key;     /* scratch */
    reel_map signatures; /* encoded set of timelines -> id */
    reel_buf signature_scratch;
    uint64_t seen_epoch; /* of the thread's time set when `signature` was computed */
    unsigned seen_flags; /* log_time | log_tick << 1 then */
    uint32_t signature;
    bool signature_valid;
    atomic_ullong rows_logged; /* written by the owner only */
    lane_cache_entry cache[LANE_CACHE_SIZE];
};

struct sdk_columns {
    sdk_lane *lane; /* a reference */
    lane_group *group;
    int64_t rows;
    reel_buf row_ids;
    reel_buf *times;   /* group->n_times */
    reel_buf *offsets; /* group->n_cells */
    reel_buf *values;
    int64_t *instances;
};

static void lane_lock(sdk_lane *lane)
{
    unsigned spins = 0;
    while (atomic_flag_test_and_set_explicit(&lane->lock, memory_order_acquire))
        if (++spins >= 64) {
            sched_yield();
            spins = 0;
        }
}

static void lane_unlock(sdk_lane *lane)
{
    atomic_flag_clear_explicit(&lane->lock, memory_order_release);
}

static bool g_asymmetric; /* membarrier registered: the busy/claimed protocol is used */
static pthread_once_t g_asymmetric_once = PTHREAD_ONCE_INIT;

static void asymmetric_init(void)
{
#if defined(__linux__) && defined(__NR_membarrier)
    long supported = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    g_asymmetric = supported > 0 && (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
                   syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
#endif
}

static void process_barrier(void)
{
#if defined(__linux__) && defined(__NR_membarrier)
    syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

/* The owner's side. */
static void owner_enter(sdk_lane *lane)
{
    if (!g_asymmetric) {
        lane_lock(lane);
        return;
    }
    for (;;) {
        atomic_store_explicit(&lane->busy, true, memory_order_relaxed);
        atomic_signal_fence(memory_order_seq_cst); /* the batcher's membarrier orders these */
        if (!atomic_load_explicit(&lane->claimed, memory_order_acquire))
            return;
        atomic_store_explicit(&lane->busy, false, memory_order_release);
        while (atomic_load_explicit(&lane->claimed, memory_order_acquire))
            sched_yield();
    }
}

static void owner_exit(sdk_lane *lane)
{
    if (!g_asymmetric)
        lane_unlock(lane);
    else
        atomic_store_explicit(&lane->busy, false, memory_order_release);
}

/* The batcher's side: claim all lanes of a list at once (one barrier), then enter each. */
static void batcher_claim_all(sdk_lane *lanes)
{
    if (!g_asymmetric)
        return;
    for (sdk_lane *lane = lanes; lane != NULL; lane = lane->next)
        atomic_store_explicit(&lane->claimed, true, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    process_barrier();
}

static void batcher_enter(sdk_lane *lane)
{
    if (!g_asymmetric) {
        lane_lock(lane);
        return;
    }
    while (atomic_load_explicit(&lane->busy, memory_order_acquire))
        sched_yield();
}

static void batcher_exit(sdk_lane *lane)
{
    if (!g_asymmetric)
        lane_unlock(lane);
    else
        atomic_store_explicit(&lane->claimed, false, memory_order_release);
}

static void group_free(lane_group *g)
{
    if (g == NULL)
        return;
    reel_strfree(NULL, g->spelling);
    reel_strfree(NULL, g->entity_path);
    for (int32_t i = 0; i < g->n_times; i++) {
        reel_strfree(NULL, g->times[i].name);
        reel_buf_free(&g->times[i].values);
    }
    reel_free(NULL, g->times, (size_t)g->n_times * sizeof *g->times);
    for (int32_t i = 0; i < g->n_cells; i++) {
        reel_buf_free(&g->cells[i].offsets);
        reel_buf_free(&g->cells[i].values);
    }
    reel_free(NULL, g->cells, (size_t)g->n_cells * sizeof *g->cells);
    reel_buf_free(&g->row_ids);
    reel_free(NULL, g, sizeof *g);
}

void sdk_lane_release(sdk_lane *lane)
{
    if (lane == NULL || atomic_fetch_sub(&lane->refs, 1) != 1)
        return;
    for (size_t i = 0; i < lane->groups.len; i++)
        group_free(REEL_VEC_AT(&lane->groups, lane_group *, i));
    reel_vec_free(&lane->groups);
    reel_map_free(&lane->index);
    reel_buf_free(&lane->key);
    reel_map_free(&lane->signatures);
    reel_buf_free(&lane->signature_scratch);
    reel_free(NULL, lane, sizeof *lane);
}

void sdk_lanes_release_all(reel_recording *rec)
{
    while (rec->lanes != NULL) {
        sdk_lane *lane = rec->lanes;
        rec->lanes = lane->next;
        sdk_lane_release(lane);
    }
}

/* The thread's lane for rec: made and registered on first use. */
static sdk_lane *thread_lane(reel_recording *rec, sdk_thread_times *t)
{
    if (t->lane != NULL)
        return t->lane;
    pthread_once(&g_asymmetric_once, asymmetric_init);
    sdk_lane *lane = reel_alloc_zeroed(NULL, sizeof *lane);
    if (lane == NULL)
        return NULL;
    atomic_init(&lane->refs, 2); /* the thread's and the recording's */
    atomic_flag_clear(&lane->lock);
    atomic_init(&lane->busy, false);
    atomic_init(&lane->claimed, false);
    atomic_init(&lane->rows_logged, 0);
    lane->rec = rec;
    reel_vec_init(&lane->groups, sizeof(lane_group *), NULL);
    reel_mutex_lock(&rec->mutex);
    lane->next = rec->lanes;
    rec->lanes = lane;
    reel_mutex_unlock(&rec->mutex);
    t->lane = lane;
    return lane;
}

/* ---------------------------------------------------------------- keys */

/* Whether log_time/log_tick replace a user timeline of the same name (as in the row path). */
static bool shadowed(const char *name, unsigned flags)
{
    return ((flags & 1) && strcmp(name, "log_time") == 0) ||
           ((flags & 2) && strcmp(name, "log_tick") == 0);
}

/* The id of the thread's current set of timelines (names and types, after the automatic
 * ones), interned per lane: a thread that resets and sets the same timelines again keeps
 * its groups. False on OOM. */
static bool time_signature(sdk_lane *lane, const sdk_thread_times *t, unsigned flags)
{
    if (lane->signature_valid && lane->seen_epoch == t->set_epoch && lane->seen_flags == flags)
        return true;
    reel_buf *enc = &lane->signature_scratch;
    reel_buf_clear(enc);
    /* Every entry, shadowed or not: a group's sources are positions in the entries. */
    for (size_t i = 0; i < t->entries.len; i++) {
        const sdk_time_entry *e = &REEL_VEC_AT(&t->entries, sdk_time_entry, i);
        if (reel_buf_append(enc, e->name, strlen(e->name) + 1) != REEL_OK ||
            reel_buf_append_u8(enc, (uint8_t)e->type) != REEL_OK)
            return false;
    }
    if (reel_buf_append_u8(enc, (uint8_t)(0xf0 | flags)) != REEL_OK)
        return false;
    uint64_t id;
    if (!reel_map_get(&lane->signatures, enc->data, enc->len, &id)) {
        id = lane->signatures.count;
        if (reel_map_put(&lane->signatures, enc->data, enc->len, id) != REEL_OK)
            return false;
    }
    lane->signature = (uint32_t)id;
    lane->seen_epoch = t->set_epoch;
    lane->seen_flags = flags;
    lane->signature_valid = true;
    return true;
}

static int compare_times(const void *a, const void *b)
{
    return strcmp(((const lane_time *)a)->name, ((const lane_time *)b)->name);
}

/* A new group for the key's row; its `row_path` is set when the row's types do not qualify.
 * NULL on OOM or an invalid path (the row path reports it). */
static lane_group *group_create(const sdk_thread_times *t, unsigned flags, const char *entity_path,
                                const reel_types_archetype *a, const void *archetype)
{
    lane_group *g = reel_alloc_zeroed(NULL, sizeof *g);
    if (g == NULL)
        return NULL;
    g->archetype = a;
    sdk_path_cache *paths = sdk_thread_path_cache();
    const char *canonical = NULL;
    size_t canonical_len = 0;
    reel_error err = {0};
    if (paths == NULL || sdk_path_cache_lookup(paths, entity_path, strlen(entity_path), &canonical,
                                               &canonical_len, &err) != REEL_OK)
        goto fail;
    g->entity_path = reel_strndup(NULL, canonical, canonical_len);
    g->spelling = reel_strdup(NULL, entity_path);
    if (g->entity_path == NULL || g->spelling == NULL)
        goto fail;
    /* Timelines: the thread's (not shadowed), then log_time and log_tick, sorted by name. */
    int32_t n = 0;
    g->times = reel_alloc_zeroed(NULL, (t->entries.len + 2) * sizeof *g->times);
    if (g->times == NULL)
        goto fail;
    for (size_t i = 0; i < t->entries.len; i++) {
        const sdk_time_entry *e = &REEL_VEC_AT(&t->entries, sdk_time_entry, i);
        if (!shadowed(e->name, flags))
            g->times[n++] = (lane_time){reel_strdup(NULL, e->name), e->type, (int32_t)i, {0}};
    }
    if (flags & 1)
        g->times[n++] = (lane_time){reel_strdup(NULL, "log_time"), REEL_TIME_TIMESTAMP_NS,
                                    SOURCE_LOG_TIME, {0}};
    if (flags & 2)
        g->times[n++] =
            (lane_time){reel_strdup(NULL, "log_tick"), REEL_TIME_SEQUENCE, SOURCE_LOG_TICK, {0}};
    g->n_times = n;
    for (int32_t i = 0; i < n; i++)
        if (g->times[i].name == NULL)
            goto fail;
    qsort(g->times, (size_t)n, sizeof *g->times, compare_times);
    /* Shrink to the count (group_free frees n_times entries). */
    lane_time *fitted = reel_realloc(NULL, g->times, (t->entries.len + 2) * sizeof *g->times,
                                     (size_t)(n ? n : 1) * sizeof *g->times);
    if (fitted != NULL)
        g->times = fitted;
    int32_t n_set = 0;
    for (int32_t f = 0; f < a->field_count; f++)
        n_set += reel_types_field_batch(&a->fields[f], archetype)->form != REEL_BATCH_UNSET;
    g->cells = reel_alloc_zeroed(NULL, (size_t)(n_set ? n_set : 1) * sizeof *g->cells);
    if (g->cells == NULL)
        goto fail;
    g->n_cells = n_set;
    int32_t c = 0;
    for (int32_t f = 0; f < a->field_count; f++) {
        const reel_types_field *field = &a->fields[f];
        if (reel_types_field_batch(field, archetype)->form == REEL_BATCH_UNSET)
            continue;
        lane_cell *cell = &g->cells[c++];
        cell->field = field;
        cell->value_size = reel_types_component_value_size(field->type);
        if (cell->value_size == 0 ||
            reel_types_component_arrow_field(field->type, &cell->type, NULL) != REEL_OK)
            g->row_path = true;
    }
    return g;
fail:
    group_free(g);
    return NULL;
}

static lane_group *usable(lane_group *g)
{
    return g == NULL || g->row_path ? NULL : g;
}

/* The group of this row (made on first use; NULL: take the row path). */
static lane_group *find_group(sdk_lane *lane, const sdk_thread_times *t, unsigned flags,
                              const char *entity_path, int32_t archetype_id,
                              const reel_types_archetype *a, const void *archetype, uint64_t mask)
{
    /* Up to LANE_CACHE_WAYS slots from the address's own; a match is checked in full. */
    uint64_t h = ((uint64_t)(uintptr_t)entity_path ^ mask ^ ((uint64_t)archetype_id << 48)) *
                 UINT64_C(0x9e3779b97f4a7c15);
    size_t home = (size_t)(h >> 40) & (LANE_CACHE_SIZE - 1);
    lane_cache_entry *free_slot = NULL;
    for (size_t way = 0; way < LANE_CACHE_WAYS; way++) {
        lane_cache_entry *e = &lane->cache[(home + way) & (LANE_CACHE_SIZE - 1)];
        if (e->path == NULL) {
            free_slot = e;
            break;
        }
        if (e->path == entity_path && e->mask == mask && e->archetype_id == archetype_id &&
            e->signature == lane->signature && strcmp(e->group->spelling, entity_path) == 0)
            return usable(e->group);
    }
    lane_cache_entry *hit = free_slot != NULL ? free_slot : &lane->cache[home];
    size_t path_len = strlen(entity_path);
    struct {
        uint64_t mask;
        int32_t archetype_id;
        uint32_t signature;
    } tail = {mask, archetype_id, lane->signature};
    reel_buf *key = &lane->key;
    if (reel_buf_reserve(key, path_len + sizeof tail) != REEL_OK)
        return NULL;
    memcpy(key->data, &tail, sizeof tail);
    memcpy(key->data + sizeof tail, entity_path, path_len);
    key->len = path_len + sizeof tail;
    uint64_t position;
    lane_group *g = NULL;
    if (reel_map_get(&lane->index, key->data, key->len, &position)) {
        g = REEL_VEC_AT(&lane->groups, lane_group *, position);
    } else {
        if (lane->groups.len >= SDK_LANE_MAX_GROUPS)
            return NULL;
        g = group_create(t, flags, entity_path, a, archetype);
        if (g == NULL)
            return NULL;
        owner_enter(lane);
        reel_status status = reel_vec_push(&lane->groups, &g);
        owner_exit(lane);
        if (status != REEL_OK) {
            group_free(g);
            return NULL;
        }
        if (reel_map_put(&lane->index, key->data, key->len, lane->groups.len - 1) != REEL_OK)
            return NULL; /* kept in groups (freed with the lane), never found again */
    }
    *hit = (lane_cache_entry){entity_path, mask, archetype_id, lane->signature, g};
    return usable(g);
}

/* ---------------------------------------------------------------- taking columns */

static void columns_bufs_free(sdk_columns *c, const lane_group *g)
{
    reel_buf_free(&c->row_ids);
    for (int32_t i = 0; i < g->n_times; i++)
        reel_buf_free(&c->times[i]);
    for (int32_t i = 0; i < g->n_cells; i++) {
        reel_buf_free(&c->offsets[i]);
        reel_buf_free(&c->values[i]);
    }
}

static size_t columns_size(const lane_group *g)
{
    return sizeof(sdk_columns) + (size_t)g->n_times * sizeof(reel_buf) +
           (size_t)g->n_cells * (2 * sizeof(reel_buf) + sizeof(int64_t));
}

void sdk_columns_free(sdk_columns *c)
{
    if (c == NULL)
        return;
    const lane_group *g = c->group;
    columns_bufs_free(c, g);
    sdk_lane *lane = c->lane;
    reel_free(NULL, c, columns_size(g));
    sdk_lane_release(lane);
}

/* Moves a group's rows into a COLUMNS item (the group is left empty). Under the lane lock;
 * NULL on OOM (the rows stay in the group). */
static sdk_item *take_columns(sdk_lane *lane, lane_group *g)
{
    size_t size = columns_size(g);
    sdk_item *item = reel_alloc_zeroed(NULL, sizeof *item);
    sdk_columns *c = reel_alloc_zeroed(NULL, size);
    if (item == NULL || c == NULL) {
        reel_free(NULL, item, sizeof *item);
        reel_free(NULL, c, size);
        return NULL;
    }
    c->times = (reel_buf *)(void *)(c + 1);
    c->offsets = c->times + g->n_times;
    c->values = c->offsets + g->n_cells;
    c->instances = (int64_t *)(void *)(c->values + g->n_cells);
    atomic_fetch_add(&lane->refs, 1);
    c->lane = lane;
    c->group = g;
    c->rows = g->rows;
    c->row_ids = g->row_ids;
    memset(&g->row_ids, 0, sizeof g->row_ids);
    for (int32_t i = 0; i < g->n_times; i++) {
        c->times[i] = g->times[i].values;
        memset(&g->times[i].values, 0, sizeof g->times[i].values);
    }
    for (int32_t i = 0; i < g->n_cells; i++) {
        lane_cell *cell = &g->cells[i];
        c->offsets[i] = cell->offsets, c->values[i] = cell->values;
        c->instances[i] = cell->instances;
        memset(&cell->offsets, 0, sizeof cell->offsets);
        memset(&cell->values, 0, sizeof cell->values);
        cell->instances = 0;
    }
    item->kind = SDK_ITEM_COLUMNS;
    item->columns = c;
    item->n_rows = (uint64_t)g->rows;
    item->byte_size = g->bytes;
    g->last_rows = g->rows;
    g->rows = 0, g->bytes = 0;
    return item;
}

/* Takes every non-empty group of a lane, appending the items to *tail. The caller has
 * entered the lane (as its owner or as the batcher). */
static void take_lane(sdk_lane *lane, sdk_item ***tail)
{
    for (size_t i = 0; i < lane->groups.len; i++) {
        lane_group *g = REEL_VEC_AT(&lane->groups, lane_group *, i);
        if (g->rows == 0)
            continue;
        sdk_item *item = take_columns(lane, g);
        if (item == NULL) {
            reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE,
                     "out of memory taking rows of %s: they stay for the next tick",
                     g->entity_path);
            continue;
        }
        **tail = item;
        *tail = &item->next;
    }
}

void sdk_lanes_collect(reel_recording *rec, sdk_item **list)
{
    reel_mutex_lock(&rec->mutex);
    sdk_lane *lanes = rec->lanes; /* the list only grows at its head */
    reel_mutex_unlock(&rec->mutex);
    if (lanes == NULL)
        return;
    sdk_item **tail = list;
    while (*tail != NULL)
        tail = &(*tail)->next;
    batcher_claim_all(lanes);
    for (sdk_lane *lane = lanes; lane != NULL; lane = lane->next) {
        batcher_enter(lane);
        take_lane(lane, &tail);
        batcher_exit(lane);
    }
}

void sdk_lane_handoff(reel_recording *rec)
{
    sdk_thread_times *t = sdk_thread_times_of(rec, false);
    if (t == NULL || t->lane == NULL)
        return;
    sdk_item *items = NULL, **tail = &items;
    owner_enter(t->lane);
    take_lane(t->lane, &tail);
    owner_exit(t->lane);
    while (items != NULL) {
        sdk_item *next = items->next;
        reel_error err = {0};
        if (sdk_enqueue(rec, items, &err) != REEL_OK)
            reel_log(REEL_LOG_WARN, SDK_LOG_MODULE, "rows not queued: %s", err.message);
        items = next;
    }
}

uint64_t sdk_lanes_rows_logged(reel_recording *rec)
{
    uint64_t total = 0;
    reel_mutex_lock(&rec->mutex);
    sdk_lane *lanes = rec->lanes;
    reel_mutex_unlock(&rec->mutex);
    for (sdk_lane *lane = lanes; lane != NULL; lane = lane->next)
        total += atomic_load_explicit(&lane->rows_logged, memory_order_relaxed);
    return total;
}

/* Fills what the logging thread left implicit: log_time from the RowIds' time, and list
 * offsets 0, 1, 2, … for components with one instance in every row. False on OOM. */
static bool derive_columns(sdk_columns *c)
{
    const lane_group *g = c->group;
    for (int32_t i = 0; i < g->n_times; i++) {
        if (g->times[i].source != SOURCE_LOG_TIME)
            continue;
        reel_buf *out = &c->times[i];
        if (reel_buf_reserve(out, (size_t)c->rows * 8) != REEL_OK)
            return false;
        for (int64_t r = 0; r < c->rows; r++) {
            int64_t t = (int64_t)reel_tuid_from_bytes(c->row_ids.data + r * 16).time_ns;
            memcpy(out->data + r * 8, &t, 8);
        }
        out->len = (size_t)c->rows * 8;
    }
    for (int32_t i = 0; i < g->n_cells; i++) {
        reel_buf *out = &c->offsets[i];
        if (out->len > 0)
            continue;
        if (reel_buf_reserve(out, ((size_t)c->rows + 1) * 4) != REEL_OK)
            return false;
        for (int32_t r = 0; r <= (int32_t)c->rows; r++)
            memcpy(out->data + (size_t)r * 4, &r, 4);
        out->len = ((size_t)c->rows + 1) * 4;
    }
    return true;
}

reel_chunk *sdk_columns_chunk(sdk_columns *c)
{
    const lane_group *g = c->group;
    reel_chunk_column_time times[64];
    reel_chunk_column_component cells[64];
    reel_chunk *chunk = NULL;
    reel_error err = {0};
    if (g->n_times > 64 || g->n_cells > 64) {
        reel_error_set(&err, REEL_LIMIT, "more than 64 timelines or components");
    } else if (!derive_columns(c)) {
        reel_error_set(&err, REEL_OUT_OF_MEMORY, "out of memory");
    } else {
        for (int32_t i = 0; i < g->n_times; i++)
            times[i] = (reel_chunk_column_time){g->times[i].name, g->times[i].type, c->times[i]};
        for (int32_t i = 0; i < g->n_cells; i++) {
            const lane_cell *cell = &g->cells[i];
            cells[i] = (reel_chunk_column_component){
                {(char *)g->archetype->name, (char *)cell->field->component,
                 (char *)cell->field->type->name},
                cell->type, c->offsets[i], c->values[i], c->instances[i]};
        }
        reel_chunk_from_columns(g->entity_path, c->rows, &c->row_ids, times, g->n_times, cells,
                                g->n_cells, &chunk, &err);
        /* What was not taken over goes back to be freed with the columns. */
        for (int32_t i = 0; i < g->n_times; i++)
            c->times[i] = times[i].values;
        for (int32_t i = 0; i < g->n_cells; i++)
            c->offsets[i] = cells[i].offsets, c->values[i] = cells[i].values;
    }
    if (chunk == NULL)
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "dropping %lld rows of %s: %s",
                 (long long)c->rows, g->entity_path, err.message);
    return chunk;
}

/* ---------------------------------------------------------------- logging */

static inline bool put(reel_buf *buf, const void *data, size_t len)
{
    if (buf->cap - buf->len < len && reel_buf_reserve(buf, buf->len + len) != REEL_OK)
        return false;
    uint8_t *at = buf->data + buf->len;
    switch (len) { /* the common sizes as single moves, not a call */
    case 4: memcpy(at, data, 4); break;
    case 8: memcpy(at, data, 8); break;
    case 12: memcpy(at, data, 12); break;
    case 16: memcpy(at, data, 16); break;
    default: memcpy(at, data, len); break;
    }
    buf->len += len;
    return true;
}

/* Room for the group's next rows: as many as its last columns had (one allocation per
 * buffer per tick rather than a doubling series). */
static bool reserve_group(lane_group *g)
{
    size_t rows = (size_t)(g->last_rows > 0 ? g->last_rows : 16);
    bool ok = reel_buf_reserve(&g->row_ids, rows * 16) == REEL_OK;
    for (int32_t i = 0; ok && i < g->n_times; i++)
        ok = reel_buf_reserve(&g->times[i].values, rows * 8) == REEL_OK;
    for (int32_t i = 0; ok && i < g->n_cells; i++) {
        lane_cell *cell = &g->cells[i];
        cell->explicit_offsets = false;
        ok = reel_buf_reserve(&cell->values, rows * cell->value_size) == REEL_OK;
    }
    return ok;
}

/* Appends the row; false on OOM (the group may then hold a partial row: it is dropped). */
static bool append_row(reel_recording *rec, lane_group *g, const sdk_thread_times *t,
                       const reel_component_batch *const *batches, uint64_t *row_bytes)
{
    if (g->rows == 0 && !reserve_group(g))
        return false;
    reel_tuid row_id = reel_tuid_new();
    uint8_t id_bytes[16];
    reel_tuid_to_bytes(row_id, id_bytes);
    bool ok = put(&g->row_ids, id_bytes, 16);
    const sdk_time_entry *entries = t->entries.data;
    for (int32_t i = 0; ok && i < g->n_times; i++) {
        int32_t source = g->times[i].source;
        if (source == SOURCE_LOG_TIME)
            continue; /* the RowId's time (wall clock, ns): the batcher copies it out */
        int64_t value = source >= 0 ? entries[source].value
                                    : (int64_t)atomic_fetch_add(&rec->tick, 1);
        ok = put(&g->times[i].values, &value, sizeof value);
    }
    uint64_t bytes = 16 + 8 * (uint64_t)g->n_times;
    for (int32_t i = 0; ok && i < g->n_cells; i++) {
        lane_cell *cell = &g->cells[i];
        const reel_component_batch *batch = batches[i];
        size_t len = batch->count * cell->value_size;
        if (batch->count != 1 && !cell->explicit_offsets) {
            /* The first row of another size: the implicit offsets become real. */
            ok = reel_buf_reserve(&cell->offsets, ((size_t)g->rows + 2) * 4) == REEL_OK;
            for (int32_t k = 0; ok && k <= g->rows; k++)
                ok = put(&cell->offsets, &k, sizeof k);
            cell->explicit_offsets = ok;
        }
        cell->instances += (int64_t)batch->count;
        int32_t end = (int32_t)cell->instances;
        ok = ok && put(&cell->values, batch->data, len) &&
             (!cell->explicit_offsets || put(&cell->offsets, &end, sizeof end));
        bytes += len + 4;
    }
    *row_bytes = bytes;
    return ok;
}

bool sdk_lane_log(reel_recording *rec, const char *entity_path, int32_t archetype_id,
                  const void *archetype, unsigned flags)
{
    if ((flags & REEL_LOG_STATIC) || entity_path == NULL)
        return false;
    const reel_types_archetype *a = reel_types_archetype_at((size_t)archetype_id);
    if (a == NULL || a->field_count > 64)
        return false;
    /* Which fields are set, and whether they look like small fixed-width values (the group
     * knows the types; sizes are checked below). */
    uint64_t mask = 0;
    const reel_component_batch *batches[64];
    int32_t n_batches = 0;
    for (int32_t f = 0; f < a->field_count; f++) {
        const reel_component_batch *batch = reel_types_field_batch(&a->fields[f], archetype);
        if (batch->form == REEL_BATCH_UNSET)
            continue;
        if (batch->form != REEL_BATCH_VALUES || batch->data == NULL || batch->count == 0 ||
            batch->count > SDK_LANE_MAX_CELL_BYTES)
            return false;
        mask |= (uint64_t)1 << f;
        batches[n_batches++] = batch;
    }
    if (mask == 0)
        return false;
    sdk_thread_times *t = sdk_thread_times_of(rec, true);
    if (t == NULL)
        return false;
    sdk_lane *lane = thread_lane(rec, t);
    unsigned time_flags = (unsigned)atomic_load_explicit(&rec->log_time, memory_order_relaxed) |
                          (unsigned)atomic_load_explicit(&rec->log_tick, memory_order_relaxed) << 1;
    if (lane == NULL || !time_signature(lane, t, time_flags))
        return false;
    lane_group *g = find_group(lane, t, time_flags, entity_path, archetype_id, a, archetype, mask);
    if (g == NULL)
        return false;
    uint64_t payload = 0;
    for (int32_t i = 0; i < g->n_cells; i++) {
        size_t count = batches[i]->count; /* cells are the set fields, in order */
        if (count * g->cells[i].value_size > SDK_LANE_MAX_CELL_BYTES)
            return false;
        payload += count;
    }
    sdk_item *full = NULL;
    owner_enter(lane);
    /* List offsets are int32: a group about to pass them is taken first. */
    for (int32_t i = 0; i < g->n_cells && g->rows > 0; i++)
        if (g->cells[i].instances + (int64_t)payload > INT32_MAX) {
            full = take_columns(lane, g);
            break;
        }
    uint64_t row_bytes = 0;
    if (!append_row(rec, g, t, batches, &row_bytes)) {
        /* Out of memory half-way: the group's rows are inconsistent; drop them. */
        int64_t lost = g->rows + 1;
        g->rows = 0, g->bytes = 0;
        g->row_ids.len = 0;
        for (int32_t i = 0; i < g->n_times; i++)
            g->times[i].values.len = 0;
        for (int32_t i = 0; i < g->n_cells; i++)
            g->cells[i].offsets.len = 0, g->cells[i].values.len = 0, g->cells[i].instances = 0;
        owner_exit(lane);
        reel_log(REEL_LOG_ERROR, SDK_LOG_MODULE, "out of memory: %lld rows of %s dropped",
                 (long long)lost, g->entity_path);
        atomic_fetch_add(&rec->rows_dropped, (uint64_t)lost);
        return true;
    }
    g->rows++;
    g->bytes += row_bytes;
    atomic_store_explicit(&lane->rows_logged,
                          atomic_load_explicit(&lane->rows_logged, memory_order_relaxed) + 1,
                          memory_order_relaxed); /* only the owner writes it */
    if (full == NULL && ((uint64_t)g->rows >= rec->flush_num_rows ||
                         g->bytes >= rec->flush_num_bytes))
        full = take_columns(lane, g);
    owner_exit(lane);
    if (full != NULL) {
        reel_error err = {0};
        if (sdk_enqueue(rec, full, &err) != REEL_OK)
            reel_log(REEL_LOG_WARN, SDK_LOG_MODULE, "rows not queued: %s", err.message);
    }
    return true;
}
