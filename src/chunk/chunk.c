/* Chunks as values: allocation and the thread-safe reference count, sealing a freshly filled
 * chunk into its canonical form (fields as Rerun writes them, Rerun's column order, computed
 * sortedness and time ranges), lookups, memory accounting and the invariant checks. The
 * reader (chunk_read.c) and the builder (chunk_builder.c) both end in reel__chunk_seal. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "chunk/chunk_internal.h"

/* The reference count lives in front of the public struct, which stays plain data. */
typedef struct chunk_box {
    atomic_size_t refs;
    reel_chunk chunk;
} chunk_box;

static chunk_box *box_of(reel_chunk *chunk)
{
    return (chunk_box *)(void *)((char *)chunk - offsetof(chunk_box, chunk));
}

reel_chunk *reel__chunk_alloc(void)
{
    chunk_box *box = reel_alloc_zeroed(NULL, sizeof *box);
    if (box == NULL)
        return NULL;
    atomic_init(&box->refs, 1);
    return &box->chunk;
}

reel_chunk *reel_chunk_retain(reel_chunk *chunk)
{
    if (chunk != NULL)
        atomic_fetch_add_explicit(&box_of(chunk)->refs, 1, memory_order_relaxed);
    return chunk;
}

static void free_descriptor(reel_component_descriptor *d)
{
    reel_strfree(NULL, d->archetype);
    reel_strfree(NULL, d->component);
    reel_strfree(NULL, d->component_type);
}

void reel_chunk_release(reel_chunk *chunk)
{
    if (chunk == NULL)
        return;
    chunk_box *box = box_of(chunk);
    if (atomic_fetch_sub_explicit(&box->refs, 1, memory_order_acq_rel) != 1)
        return;
    reel_strfree(NULL, chunk->entity_path);
    reel_arrow_array_reset(&chunk->row_ids);
    for (int32_t i = 0; i < chunk->n_timelines && chunk->timelines != NULL; i++) {
        reel_strfree(NULL, chunk->timelines[i].name);
        reel_arrow_field_reset(&chunk->timelines[i].field);
        reel_arrow_array_reset(&chunk->timelines[i].times);
    }
    reel_free(NULL, chunk->timelines, (size_t)chunk->n_timelines * sizeof *chunk->timelines);
    for (int32_t i = 0; i < chunk->n_components && chunk->components != NULL; i++) {
        free_descriptor(&chunk->components[i].descriptor);
        reel_arrow_field_reset(&chunk->components[i].field);
        reel_arrow_array_reset(&chunk->components[i].lists);
    }
    reel_free(NULL, chunk->components, (size_t)chunk->n_components * sizeof *chunk->components);
    reel_arrow_metadata_reset(&chunk->extra_metadata, NULL);
    reel_free(NULL, box, sizeof *box);
}

/* ---------------------------------------------------------------- accessors */

reel_tuid reel_chunk_row_id(const reel_chunk *chunk, int64_t i)
{
    const uint8_t *bytes = chunk->row_ids.buffers[1].data + (chunk->row_ids.offset + i) * 16;
    return reel_tuid_from_bytes(bytes);
}

const reel_chunk_component *reel_chunk_find_component(const reel_chunk *chunk,
                                                      const char *component)
{
    for (int32_t i = 0; i < chunk->n_components; i++) {
        if (strcmp(chunk->components[i].descriptor.component, component) == 0)
            return &chunk->components[i];
    }
    return NULL;
}

const reel_chunk_timeline *reel_chunk_find_timeline(const reel_chunk *chunk, const char *name)
{
    for (int32_t i = 0; i < chunk->n_timelines; i++) {
        if (strcmp(chunk->timelines[i].name, name) == 0)
            return &chunk->timelines[i];
    }
    return NULL;
}

bool reel_chunk_time_range(const reel_chunk *chunk, const char *timeline, int64_t *min,
                           int64_t *max)
{
    const reel_chunk_timeline *t = reel_chunk_find_timeline(chunk, timeline);
    if (t == NULL || chunk->row_count == 0)
        return false;
    *min = t->min;
    *max = t->max;
    return true;
}

static size_t string_bytes(const char *s)
{
    return s != NULL ? strlen(s) + 1 : 0;
}

static size_t field_bytes(const reel_arrow_field *f)
{
    size_t bytes = string_bytes(f->name) + string_bytes(f->timezone);
    bytes += (size_t)f->metadata.count * sizeof(reel_arrow_kv);
    for (int32_t i = 0; i < f->metadata.count; i++)
        bytes += string_bytes(f->metadata.items[i].key) + string_bytes(f->metadata.items[i].value);
    bytes += (size_t)f->n_children * (sizeof *f->children + 1); /* + union codes */
    for (int32_t i = 0; i < f->n_children; i++)
        bytes += field_bytes(&f->children[i]);
    return bytes;
}

static size_t array_bytes(const reel_arrow_array *a)
{
    size_t bytes = (size_t)a->n_children * sizeof *a->children;
    for (int32_t i = 0; i < a->n_buffers && i < 3; i++)
        bytes += a->buffers[i].data != NULL ? (size_t)a->buffers[i].size : 0;
    for (int32_t i = 0; i < a->n_children; i++)
        bytes += array_bytes(&a->children[i]);
    return bytes;
}

size_t reel_chunk_byte_size(const reel_chunk *chunk)
{
    size_t bytes = sizeof(chunk_box) + string_bytes(chunk->entity_path) +
                   array_bytes(&chunk->row_ids) +
                   (size_t)chunk->extra_metadata.count * sizeof(reel_arrow_kv);
    for (int32_t i = 0; i < chunk->extra_metadata.count; i++)
        bytes += string_bytes(chunk->extra_metadata.items[i].key) +
                 string_bytes(chunk->extra_metadata.items[i].value);
    for (int32_t i = 0; i < chunk->n_timelines; i++) {
        const reel_chunk_timeline *t = &chunk->timelines[i];
        bytes +=
            sizeof *t + string_bytes(t->name) + field_bytes(&t->field) + array_bytes(&t->times);
    }
    for (int32_t i = 0; i < chunk->n_components; i++) {
        const reel_chunk_component *c = &chunk->components[i];
        bytes += sizeof *c + string_bytes(c->descriptor.archetype) +
                 string_bytes(c->descriptor.component) +
                 string_bytes(c->descriptor.component_type) + field_bytes(&c->field) +
                 array_bytes(&c->lists);
    }
    return bytes;
}

/* ---------------------------------------------------------------- ordering and metadata */

static int kv_compare(const void *a, const void *b)
{
    return strcmp(((const reel_arrow_kv *)a)->key, ((const reel_arrow_kv *)b)->key);
}

void reel__chunk_metadata_sort(reel_arrow_metadata *md)
{
    if (md->count > 1)
        qsort(md->items, (size_t)md->count, sizeof *md->items, kv_compare);
}

static int compare_optional(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

int reel__chunk_descriptor_compare(const reel_component_descriptor *a,
                                   const reel_component_descriptor *b)
{
    int order = compare_optional(a->archetype, b->archetype);
    if (order == 0)
        order = strcmp(a->component, b->component);
    if (order == 0)
        order = compare_optional(a->component_type, b->component_type);
    return order;
}

static int timeline_compare(const void *a, const void *b)
{
    return strcmp(((const reel_chunk_timeline *)a)->name, ((const reel_chunk_timeline *)b)->name);
}

static int component_compare(const void *a, const void *b)
{
    return reel__chunk_descriptor_compare(&((const reel_chunk_component *)a)->descriptor,
                                          &((const reel_chunk_component *)b)->descriptor);
}

static bool in_list(const char *key, const char *const *keys)
{
    for (; *keys != NULL; keys++) {
        if (strcmp(key, *keys) == 0)
            return true;
    }
    return false;
}

/* Keys the writer derives from the chunk itself; anything else read with a column is kept. */
static const char *const index_keys[] = {"rerun:kind", "rerun:index_name", "rerun:is_sorted", NULL};
static const char *const data_keys[] = {"rerun:kind",         "rerun:component",
                                        "rerun:archetype",    "rerun:component_type",
                                        "rerun:entity_path",  "rerun:is_static",
                                        "rerun:is_tombstone", "rerun:is_semantically_empty",
                                        "rerun:is_indicator", NULL};

/* The kept keys of `old` plus the writer's own (pairs in `own`, NULL values skipped). */
static reel_status rebuild_metadata(reel_arrow_metadata *out, const reel_arrow_metadata *old,
                                    const char *const *derived, const char *const (*own)[2],
                                    int n_own)
{
    for (int32_t i = 0; i < old->count; i++) {
        if (!in_list(old->items[i].key, derived))
            REEL_TRY(reel_arrow_metadata_set(out, NULL, old->items[i].key, old->items[i].value));
    }
    for (int i = 0; i < n_own; i++) {
        if (own[i][1] != NULL)
            REEL_TRY(reel_arrow_metadata_set(out, NULL, own[i][0], own[i][1]));
    }
    reel__chunk_metadata_sort(out);
    return REEL_OK;
}

static reel_status seal_timeline(reel_chunk_timeline *t, int64_t rows)
{
    const uint8_t *values = t->times.buffers[1].data;
    t->is_sorted = true;
    t->min = INT64_MAX;
    t->max = INT64_MIN;
    int64_t previous = INT64_MIN;
    for (int64_t i = 0; i < rows; i++) {
        int64_t v;
        memcpy(&v, values + (t->times.offset + i) * 8, 8);
        t->is_sorted = t->is_sorted && v >= previous;
        previous = v;
        t->min = v < t->min ? v : t->min;
        t->max = v > t->max ? v : t->max;
    }
    static const reel_arrow_type types[] = {REEL_ARROW_INT64, REEL_ARROW_INT64, REEL_ARROW_DURATION,
                                            REEL_ARROW_TIMESTAMP};
    reel_arrow_field field;
    REEL_TRY(reel_arrow_field_init(&field, t->name, types[t->type], true, NULL));
    field.unit = REEL_ARROW_NANO;
    const char *const own[][2] = {{"rerun:kind", "index"},
                                  {"rerun:index_name", t->name},
                                  {"rerun:is_sorted", t->is_sorted ? "true" : NULL}};
    reel_status status = rebuild_metadata(&field.metadata, &t->field.metadata, index_keys, own, 3);
    if (status != REEL_OK) {
        reel_arrow_field_reset(&field);
        return status;
    }
    reel_arrow_field_reset(&t->field);
    t->field = field;
    return REEL_OK;
}

/* Rewrites the component's list field as Rerun's canonical one, moving the element type. */
static reel_status seal_component(reel_chunk_component *c)
{
    reel_arrow_field field, *item;
    const reel_component_descriptor *d = &c->descriptor;
    REEL_TRY(reel_arrow_field_init(&field, d->component, REEL_ARROW_LIST, true, NULL));
    reel_status status =
        reel_arrow_field_add_child(&field, "item", REEL_ARROW_NULL_TYPE, true, &item);
    const char *const own[][2] = {{"rerun:kind", "data"},
                                  {"rerun:component", d->component},
                                  {"rerun:archetype", d->archetype},
                                  {"rerun:component_type", d->component_type}};
    if (status == REEL_OK)
        status = rebuild_metadata(&field.metadata, &c->field.metadata, data_keys, own, 4);
    if (status == REEL_OK) {
        reel_arrow_field_reset(item);
        *item = c->field.children[0];
        memset(&c->field.children[0], 0, sizeof c->field.children[0]);
        status = reel_arrow_field_set_name(item, "item");
        item->nullable = true;
        reel_arrow_metadata_reset(&item->metadata, item->alloc);
    }
    if (status != REEL_OK) {
        reel_arrow_field_reset(&field);
        return status;
    }
    reel_arrow_field_reset(&c->field);
    c->field = field;
    return REEL_OK;
}

static bool row_ids_sorted(const reel_chunk *chunk)
{
    if (chunk->row_count < 2)
        return true;
    const uint8_t *ids = chunk->row_ids.buffers[1].data + chunk->row_ids.offset * 16;
    for (int64_t i = 1; i < chunk->row_count; i++) {
        if (memcmp(ids + (i - 1) * 16, ids + i * 16, 16) > 0)
            return false;
    }
    return true;
}

reel_status reel__chunk_seal(reel_chunk *chunk, reel_error *err)
{
    chunk->is_static = chunk->n_timelines == 0;
    chunk->row_ids_sorted = row_ids_sorted(chunk);
    for (int32_t i = 0; i < chunk->n_timelines; i++) {
        if (seal_timeline(&chunk->timelines[i], chunk->row_count) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "chunk: out of memory");
    }
    for (int32_t i = 0; i < chunk->n_components; i++) {
        if (seal_component(&chunk->components[i]) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "chunk: out of memory");
    }
    if (chunk->n_timelines > 1)
        qsort(chunk->timelines, (size_t)chunk->n_timelines, sizeof *chunk->timelines,
              timeline_compare);
    if (chunk->n_components > 1)
        qsort(chunk->components, (size_t)chunk->n_components, sizeof *chunk->components,
              component_compare);
    return REEL_OK;
}

/* ---------------------------------------------------------------- validation */

static reel_status broken(reel_error *err, const reel_chunk *chunk, const char *fmt,
                          const char *name)
{
    reel_error_set(err, REEL_CORRUPT, fmt, name != NULL ? name : "");
    return reel_error_prefix(err, "chunk %s: ", chunk->entity_path ? chunk->entity_path : "?");
}

static reel_status validate_timeline(const reel_chunk *chunk, const reel_chunk_timeline *t,
                                     reel_error *err)
{
    static const reel_arrow_type types[] = {REEL_ARROW_INT64, REEL_ARROW_INT64, REEL_ARROW_DURATION,
                                            REEL_ARROW_TIMESTAMP};
    if (t->name == NULL || t->name[0] == '\0')
        return broken(err, chunk, "a timeline has no name%s", NULL);
    if (t->type < REEL_TIME_SEQUENCE || t->type > REEL_TIME_TIMESTAMP_NS ||
        t->field.type != types[t->type] || t->field.name == NULL ||
        strcmp(t->field.name, t->name) != 0)
        return broken(err, chunk, "timeline '%s': field does not match its name and type", t->name);
    if (t->times.length != chunk->row_count || t->times.null_count != 0)
        return broken(err, chunk, "timeline '%s': not one non-null time per row", t->name);
    reel_status status =
        reel_arrow_array_validate(&t->field, &t->times, REEL_ARROW_VALIDATE_DEFAULT, err);
    if (status != REEL_OK)
        return reel_error_prefix(err, "chunk %s: ", chunk->entity_path);
    int64_t previous = INT64_MIN;
    bool sorted = true;
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (int64_t i = 0; i < chunk->row_count; i++) {
        int64_t v = reel_arrow_array_get_int(&t->field, &t->times, i);
        if (v == INT64_MIN)
            return broken(err, chunk, "timeline '%s' holds the static time INT64_MIN", t->name);
        sorted = sorted && v >= previous;
        previous = v;
        min = v < min ? v : min;
        max = v > max ? v : max;
    }
    if (sorted != t->is_sorted || min != t->min || max != t->max)
        return broken(err, chunk, "timeline '%s': is_sorted, min or max is wrong", t->name);
    const char *flag = reel_arrow_metadata_get(&t->field.metadata, "rerun:is_sorted");
    if ((flag != NULL) != sorted)
        return broken(err, chunk, "timeline '%s': rerun:is_sorted does not match", t->name);
    return REEL_OK;
}

static reel_status validate_component(const reel_chunk *chunk, const reel_chunk_component *c,
                                      reel_error *err)
{
    const char *name = c->descriptor.component;
    if (name == NULL || name[0] == '\0')
        return broken(err, chunk, "a component has no name%s", NULL);
    if (c->field.type != REEL_ARROW_LIST || c->field.n_children != 1 || c->field.name == NULL ||
        strcmp(c->field.name, name) != 0)
        return broken(err, chunk, "component '%s': field is not a list named after it", name);
    if (c->lists.length != chunk->row_count)
        return broken(err, chunk, "component '%s': not one list per row", name);
    if (reel_arrow_array_validate(&c->field, &c->lists, REEL_ARROW_VALIDATE_DEFAULT, err) !=
        REEL_OK)
        return reel_error_prefix(err, "chunk %s: ", chunk->entity_path);
    return REEL_OK;
}

reel_status reel_chunk_validate(const reel_chunk *chunk, reel_error *err)
{
    if (chunk->entity_path == NULL || chunk->entity_path[0] != '/')
        return broken(err, chunk, "entity path is not canonical%s", NULL);
    const reel_arrow_array *ids = &chunk->row_ids;
    if (chunk->row_count < 0 || ids->length != chunk->row_count || ids->null_count != 0 ||
        ids->n_buffers != 2 || ids->n_children != 0 ||
        (chunk->row_count > 0 &&
         (ids->buffers[1].data == NULL || ids->buffers[1].size < (ids->offset + ids->length) * 16)))
        return broken(err, chunk, "row ids are not one 16-byte id per row%s", NULL);
    if (chunk->row_ids_sorted != row_ids_sorted(chunk))
        return broken(err, chunk, "row_ids_sorted is wrong%s", NULL);
    if (chunk->is_static != (chunk->n_timelines == 0))
        return broken(err, chunk, "is_static does not match the timelines%s", NULL);
    for (int32_t i = 0; i < chunk->n_timelines; i++) {
        REEL_TRY(validate_timeline(chunk, &chunk->timelines[i], err));
        if (i > 0 && strcmp(chunk->timelines[i - 1].name, chunk->timelines[i].name) >= 0)
            return broken(err, chunk, "timeline '%s' is out of order or repeated",
                          chunk->timelines[i].name);
    }
    for (int32_t i = 0; i < chunk->n_components; i++) {
        const reel_chunk_component *c = &chunk->components[i];
        REEL_TRY(validate_component(chunk, c, err));
        if (i > 0 && reel__chunk_descriptor_compare(&chunk->components[i - 1].descriptor,
                                                    &c->descriptor) > 0)
            return broken(err, chunk, "component '%s' is out of order", c->descriptor.component);
        for (int32_t j = 0; j < i; j++) {
            if (strcmp(chunk->components[j].descriptor.component, c->descriptor.component) == 0)
                return broken(err, chunk, "component '%s' appears twice", c->descriptor.component);
        }
    }
    return REEL_OK;
}
