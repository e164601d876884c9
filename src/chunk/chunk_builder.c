/* Building chunks row by row (what the SDK's batcher does with logged rows): row ids and
 * times go into growable buffers, each component into a list builder fed with
 * reel_arrow_builder_append_array; components missing from a row get a null list. A large
 * cell that is a chunk's only row (an image) is shared, not copied. A row is
 * fully checked before anything is appended, so a rejected row leaves the builder intact. */
#include <string.h>

#include "chunk/chunk_internal.h"

typedef struct builder_timeline {
    char *name;
    reel_time_type type;
    reel_buf values; /* int64 per row */
} builder_timeline;

typedef struct builder_component {
    reel_component_descriptor descriptor; /* owned */
    reel_arrow_field list_field;          /* LIST<item: element> */
    reel_arrow_builder *lists;
    /* A large first cell (an image) is shared, not copied: while the chunk has one row it
     * becomes the list's values as it is; a second row copies it into `lists` first. */
    reel_arrow_array held;
    bool holding;
} builder_component;

/* Cells at least this large are shared rather than copied when they are a chunk's first. */
#define HOLD_MIN_BYTES (64u << 10)

struct reel_chunk_builder {
    char *entity_path;
    int64_t rows;
    reel_buf row_ids;    /* 16 bytes per row, big-endian */
    reel_vec timelines;  /* builder_timeline, fixed by the first row */
    reel_vec components; /* builder_component */
    reel_vec cell_of;    /* int32 per component: the cell of the current row, or -1 */
    reel_status broken;  /* set when appending failed half-way */
};

static void free_columns(reel_chunk_builder *b)
{
    for (size_t i = 0; i < b->timelines.len; i++) {
        builder_timeline *t = &REEL_VEC_AT(&b->timelines, builder_timeline, i);
        reel_strfree(NULL, t->name);
        reel_buf_free(&t->values);
    }
    for (size_t i = 0; i < b->components.len; i++) {
        builder_component *c = &REEL_VEC_AT(&b->components, builder_component, i);
        reel_strfree(NULL, c->descriptor.archetype);
        reel_strfree(NULL, c->descriptor.component);
        reel_strfree(NULL, c->descriptor.component_type);
        reel_arrow_field_reset(&c->list_field);
        reel_arrow_builder_destroy(c->lists);
        reel_arrow_array_reset(&c->held);
        c->holding = false;
    }
    reel_vec_clear(&b->timelines);
    reel_vec_clear(&b->components);
    reel_buf_clear(&b->row_ids);
    b->rows = 0;
}

reel_status reel_chunk_builder_create(const char *entity_path, reel_chunk_builder **out,
                                      reel_error *err)
{
    *out = NULL;
    reel_buf canonical = {0};
    reel_status status =
        reel_entity_path_normalize(entity_path, strlen(entity_path), &canonical, err);
    if (status != REEL_OK) {
        reel_buf_free(&canonical);
        return status;
    }
    reel_chunk_builder *b = reel_alloc_zeroed(NULL, sizeof *b);
    if (b != NULL)
        b->entity_path = reel_strdup(NULL, (const char *)canonical.data);
    reel_buf_free(&canonical);
    if (b == NULL || b->entity_path == NULL) {
        reel_free(NULL, b, sizeof *b);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "chunk builder: out of memory");
    }
    reel_vec_init(&b->timelines, sizeof(builder_timeline), NULL);
    reel_vec_init(&b->components, sizeof(builder_component), NULL);
    reel_vec_init(&b->cell_of, sizeof(int32_t), NULL);
    *out = b;
    return REEL_OK;
}

void reel_chunk_builder_destroy(reel_chunk_builder *b)
{
    if (b == NULL)
        return;
    free_columns(b);
    reel_vec_free(&b->timelines);
    reel_vec_free(&b->components);
    reel_vec_free(&b->cell_of);
    reel_buf_free(&b->row_ids);
    reel_strfree(NULL, b->entity_path);
    reel_free(NULL, b, sizeof *b);
}

int64_t reel_chunk_builder_row_count(const reel_chunk_builder *b)
{
    return b->rows;
}

/* ---------------------------------------------------------------- checking a row */

static reel_status row_error(reel_chunk_builder *b, reel_error *err, const char *what,
                             const char *name)
{
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "chunk builder %s: row %lld: %s '%s'",
                          b->entity_path, (long long)b->rows, what, name != NULL ? name : "");
}

static reel_status check_times(reel_chunk_builder *b, const reel_chunk_time *times, int32_t n,
                               reel_error *err)
{
    for (int32_t i = 0; i < n; i++) {
        const reel_chunk_time *t = &times[i];
        if (t->name == NULL || t->name[0] == '\0')
            return row_error(b, err, "timeline without a name", "");
        if (t->type < REEL_TIME_SEQUENCE || t->type > REEL_TIME_TIMESTAMP_NS)
            return row_error(b, err, "invalid time type for timeline", t->name);
        if (t->value == INT64_MIN)
            return row_error(b, err, "INT64_MIN (reserved for static data) on timeline", t->name);
        for (int32_t j = 0; j < i; j++) {
            if (strcmp(times[j].name, t->name) == 0)
                return row_error(b, err, "two times for timeline", t->name);
        }
        if (b->rows == 0)
            continue;
        bool known = false;
        for (size_t k = 0; k < b->timelines.len && !known; k++) {
            const builder_timeline *have = &REEL_VEC_AT(&b->timelines, builder_timeline, k);
            if (strcmp(have->name, t->name) == 0) {
                if (have->type != t->type)
                    return row_error(b, err, "another time type than earlier rows for timeline",
                                     t->name);
                known = true;
            }
        }
        if (!known)
            return row_error(b, err, "a timeline earlier rows do not have:", t->name);
    }
    if (b->rows > 0 && (size_t)n != b->timelines.len)
        return row_error(b, err, "fewer timelines than earlier rows (every row needs the same)",
                         "");
    return REEL_OK;
}

static bool same_optional(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

static int32_t find_component(const reel_chunk_builder *b, const char *component)
{
    for (size_t i = 0; i < b->components.len; i++) {
        if (strcmp(REEL_VEC_AT(&b->components, builder_component, i).descriptor.component,
                   component) == 0)
            return (int32_t)i;
    }
    return -1;
}

static reel_status check_cells(reel_chunk_builder *b, const reel_chunk_cell *cells, int32_t n,
                               reel_error *err)
{
    for (int32_t i = 0; i < n; i++) {
        const reel_chunk_cell *cell = &cells[i];
        const char *name = cell->descriptor.component;
        if (name == NULL || name[0] == '\0')
            return row_error(b, err, "cell without a component name", "");
        if (cell->field == NULL)
            return row_error(b, err, "no element field for component", name);
        if (cell->values != NULL &&
            (cell->offset < 0 || cell->length < 0 || cell->offset > cell->values->length ||
             cell->length > cell->values->length - cell->offset))
            return row_error(b, err, "offset/length outside the values of component", name);
        for (int32_t j = 0; j < i; j++) {
            if (strcmp(cells[j].descriptor.component, name) == 0)
                return row_error(b, err, "two cells for component", name);
        }
        int32_t known = find_component(b, name);
        if (known < 0) {
            reel_error inner = {0};
            if (reel_arrow_field_validate(cell->field, &inner) != REEL_OK)
                return row_error(b, err, inner.message, name);
            continue;
        }
        const builder_component *c = &REEL_VEC_AT(&b->components, builder_component, known);
        if (!same_optional(c->descriptor.archetype, cell->descriptor.archetype) ||
            !same_optional(c->descriptor.component_type, cell->descriptor.component_type))
            return row_error(b, err, "another archetype or component type than before for", name);
        if (!reel_arrow_field_type_equal(&c->list_field.children[0], cell->field, false))
            return row_error(b, err, "another element type than before for component", name);
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- appending */

static reel_status add_timelines(reel_chunk_builder *b, const reel_chunk_time *times, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        builder_timeline t = {.type = times[i].type};
        t.name = reel_strdup(NULL, times[i].name);
        if (t.name == NULL || reel_vec_push(&b->timelines, &t) != REEL_OK) {
            reel_strfree(NULL, t.name);
            return REEL_OUT_OF_MEMORY;
        }
    }
    return REEL_OK;
}

static reel_status add_component(reel_chunk_builder *b, const reel_chunk_cell *cell,
                                 reel_error *err)
{
    builder_component c = {0};
    const reel_component_descriptor *d = &cell->descriptor;
    reel_arrow_field *item;
    reel_status status =
        reel_arrow_field_init(&c.list_field, d->component, REEL_ARROW_LIST, true, NULL);
    if (status == REEL_OK)
        status =
            reel_arrow_field_add_child(&c.list_field, "item", REEL_ARROW_NULL_TYPE, true, &item);
    if (status == REEL_OK) {
        reel_arrow_field_reset(item);
        status = reel_arrow_field_copy(item, cell->field, NULL);
    }
    if (status == REEL_OK) {
        status = reel_arrow_field_set_name(item, "item");
        item->nullable = true;
        reel_arrow_metadata_reset(&item->metadata, item->alloc);
    }
    if (status == REEL_OK)
        status = reel_arrow_builder_create(&c.list_field, NULL, &c.lists, err);
    if (status == REEL_OK)
        status = reel_arrow_builder_append_null(c.lists, b->rows);
    c.descriptor.component = reel_strdup(NULL, d->component);
    if (d->archetype != NULL)
        c.descriptor.archetype = reel_strdup(NULL, d->archetype);
    if (d->component_type != NULL)
        c.descriptor.component_type = reel_strdup(NULL, d->component_type);
    if (status == REEL_OK &&
        (c.descriptor.component == NULL || (d->archetype && !c.descriptor.archetype) ||
         (d->component_type && !c.descriptor.component_type)))
        status = REEL_OUT_OF_MEMORY;
    if (status == REEL_OK)
        status = reel_vec_push(&b->components, &c);
    if (status != REEL_OK) {
        reel_strfree(NULL, c.descriptor.archetype);
        reel_strfree(NULL, c.descriptor.component);
        reel_strfree(NULL, c.descriptor.component_type);
        reel_arrow_field_reset(&c.list_field);
        reel_arrow_builder_destroy(c.lists);
    }
    return status;
}

/* Whether sharing `array` keeps every byte it refers to alive: each non-empty buffer has a
 * blob owner (values borrowed from a caller's stack or a pooled row do not). Adds up its
 * buffer bytes into *bytes. */
static bool owned_by_blobs(const reel_arrow_array *array, size_t *bytes)
{
    for (int32_t i = 0; i < 3; i++) {
        if (array->buffers[i].size > 0 && array->buffers[i].owner == NULL)
            return false;
        *bytes += (size_t)(array->buffers[i].size > 0 ? array->buffers[i].size : 0);
    }
    for (int32_t i = 0; i < array->n_children; i++)
        if (!owned_by_blobs(&array->children[i], bytes))
            return false;
    return array->dictionary == NULL || owned_by_blobs(array->dictionary, bytes);
}

static bool should_hold(const reel_chunk_builder *b, const reel_chunk_cell *cell)
{
    size_t bytes = 0;
    return b->rows == 0 && cell->offset == 0 && cell->values->offset == 0 &&
           cell->length == cell->values->length && cell->length <= INT32_MAX &&
           owned_by_blobs(cell->values, &bytes) && bytes >= HOLD_MIN_BYTES;
}

/* Copies the held cell into the list builder (the chunk is getting a second row). */
static reel_status unhold(builder_component *c, reel_error *err)
{
    if (!c->holding)
        return REEL_OK;
    reel_status status = reel_arrow_builder_append_array(reel_arrow_builder_child(c->lists, 0),
                                                         &c->held, 0, c->held.length, err);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish_element(c->lists);
    reel_arrow_array_reset(&c->held);
    c->holding = false;
    return status;
}

/* The one-row list array whose values are the held cell (moved out of the component). */
static reel_status held_list(builder_component *c, reel_arrow_array *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *offsets_data = NULL;
    reel_blob *offsets = reel_blob_create(NULL, 2 * sizeof(int32_t), &offsets_data);
    reel_arrow_array *child = reel_alloc_zeroed(NULL, sizeof *child);
    if (offsets == NULL || child == NULL) {
        reel_blob_release(offsets);
        reel_free(NULL, child, sizeof *child);
        return REEL_OUT_OF_MEMORY;
    }
    int32_t bounds[2] = {0, (int32_t)c->held.length};
    memcpy(offsets_data, bounds, sizeof bounds);
    *child = c->held;
    memset(&c->held, 0, sizeof c->held);
    c->holding = false;
    out->length = 1;
    out->n_buffers = 2;
    out->buffers[1] = (reel_arrow_buffer){offsets_data, (int64_t)sizeof bounds, offsets};
    out->n_children = 1;
    out->children = child;
    return REEL_OK;
}

static reel_status append_row(reel_chunk_builder *b, reel_tuid row_id, const reel_chunk_time *times,
                              int32_t n_times, const reel_chunk_cell *cells, int32_t n_cells,
                              reel_error *err)
{
    if (b->rows == 0)
        REEL_TRY(add_timelines(b, times, n_times));
    for (int32_t i = 0; i < n_cells; i++) {
        if (find_component(b, cells[i].descriptor.component) < 0)
            REEL_TRY(add_component(b, &cells[i], err));
    }
    uint8_t id[16];
    reel_tuid_to_bytes(row_id, id);
    REEL_TRY(reel_buf_append(&b->row_ids, id, 16));
    for (int32_t i = 0; i < n_times; i++) {
        for (size_t k = 0; k < b->timelines.len; k++) {
            builder_timeline *t = &REEL_VEC_AT(&b->timelines, builder_timeline, k);
            if (strcmp(t->name, times[i].name) == 0)
                REEL_TRY(reel_buf_append(&t->values, &times[i].value, 8));
        }
    }
    reel_vec_clear(&b->cell_of);
    int32_t *cell_of = reel_vec_push_n(&b->cell_of, b->components.len);
    if (cell_of == NULL && b->components.len > 0)
        return REEL_OUT_OF_MEMORY;
    for (size_t k = 0; k < b->components.len; k++)
        cell_of[k] = -1;
    for (int32_t i = 0; i < n_cells; i++)
        cell_of[find_component(b, cells[i].descriptor.component)] = i;
    for (size_t k = 0; k < b->components.len; k++) {
        builder_component *c = &REEL_VEC_AT(&b->components, builder_component, k);
        const reel_chunk_cell *cell = cell_of[k] >= 0 ? &cells[cell_of[k]] : NULL;
        REEL_TRY(unhold(c, err));
        if (cell == NULL || cell->values == NULL) {
            REEL_TRY(reel_arrow_builder_append_null(c->lists, 1));
            continue;
        }
        if (should_hold(b, cell)) {
            REEL_TRY(reel_arrow_array_share(&c->held, cell->values));
            c->holding = true;
            continue;
        }
        REEL_TRY(reel_arrow_builder_append_array(reel_arrow_builder_child(c->lists, 0),
                                                 cell->values, cell->offset, cell->length, err));
        REEL_TRY(reel_arrow_builder_finish_element(c->lists));
    }
    b->rows++;
    return REEL_OK;
}

reel_status reel_chunk_builder_add_row(reel_chunk_builder *b, reel_tuid row_id,
                                       const reel_chunk_time *times, int32_t n_times,
                                       const reel_chunk_cell *cells, int32_t n_cells,
                                       reel_error *err)
{
    if (b->broken != REEL_OK)
        return reel_error_set(err, b->broken,
                              "chunk builder %s: an earlier row failed half-way; destroy it",
                              b->entity_path);
    if (n_times < 0 || n_cells < 0)
        return row_error(b, err, "negative count of times or cells", "");
    REEL_TRY(check_times(b, times, n_times, err));
    REEL_TRY(check_cells(b, cells, n_cells, err));
    reel_error inner = {0};
    reel_status status = append_row(b, row_id, times, n_times, cells, n_cells, &inner);
    if (status != REEL_OK) {
        b->broken = status;
        return reel_error_set(err, status, "chunk builder %s: row %lld: %s", b->entity_path,
                              (long long)b->rows,
                              inner.status != REEL_OK ? inner.message : reel_status_text(status));
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- finishing */

/* A blob-backed buffer holding the bytes of `buf` (which is emptied). */
static reel_status take_buffer(reel_buf *buf, reel_arrow_buffer *out)
{
    memset(out, 0, sizeof *out);
    if (buf->len == 0)
        return REEL_OK;
    reel_blob *blob = reel_blob_from_buf(buf);
    if (blob == NULL)
        return REEL_OUT_OF_MEMORY;
    *out = (reel_arrow_buffer){reel_blob_data(blob), (int64_t)reel_blob_len(blob), blob};
    return REEL_OK;
}

static reel_status fill_chunk(reel_chunk_builder *b, reel_chunk *chunk, reel_error *err)
{
    chunk->id = reel_tuid_new();
    chunk->row_count = b->rows;
    chunk->entity_path = reel_strdup(NULL, b->entity_path);
    if (chunk->entity_path == NULL)
        return REEL_OUT_OF_MEMORY;
    chunk->row_ids = (reel_arrow_array){.length = b->rows, .n_buffers = 2};
    REEL_TRY(take_buffer(&b->row_ids, &chunk->row_ids.buffers[1]));
    size_t n_timelines = b->timelines.len, n_components = b->components.len;
    chunk->timelines = reel_alloc_zeroed(NULL, n_timelines * sizeof *chunk->timelines);
    chunk->components = reel_alloc_zeroed(NULL, n_components * sizeof *chunk->components);
    if ((chunk->timelines == NULL && n_timelines > 0) ||
        (chunk->components == NULL && n_components > 0))
        return REEL_OUT_OF_MEMORY;
    chunk->n_timelines = (int32_t)n_timelines;
    chunk->n_components = (int32_t)n_components;
    for (size_t i = 0; i < n_timelines; i++) {
        builder_timeline *from = &REEL_VEC_AT(&b->timelines, builder_timeline, i);
        reel_chunk_timeline *t = &chunk->timelines[i];
        t->name = from->name, from->name = NULL;
        t->type = from->type;
        t->times = (reel_arrow_array){.length = b->rows, .n_buffers = 2};
        REEL_TRY(take_buffer(&from->values, &t->times.buffers[1]));
    }
    for (size_t i = 0; i < n_components; i++) {
        builder_component *from = &REEL_VEC_AT(&b->components, builder_component, i);
        reel_chunk_component *c = &chunk->components[i];
        c->descriptor = from->descriptor;
        memset(&from->descriptor, 0, sizeof from->descriptor);
        c->field = from->list_field;
        memset(&from->list_field, 0, sizeof from->list_field);
        if (from->holding && b->rows == 1) {
            REEL_TRY(held_list(from, &c->lists));
            continue;
        }
        REEL_TRY(unhold(from, err));
        REEL_TRY(reel_arrow_builder_finish(from->lists, &c->lists, err));
    }
    return reel__chunk_seal(chunk, err);
}

reel_status reel_chunk_builder_finish(reel_chunk_builder *b, reel_chunk **out, reel_error *err)
{
    *out = NULL;
    if (b->broken != REEL_OK)
        return reel_error_set(err, b->broken,
                              "chunk builder %s: an earlier row failed half-way; destroy it",
                              b->entity_path);
    reel_chunk *chunk = reel__chunk_alloc();
    reel_error inner = {0};
    reel_status status = chunk != NULL ? fill_chunk(b, chunk, &inner) : REEL_OUT_OF_MEMORY;
    free_columns(b);
    if (status != REEL_OK) {
        reel_chunk_release(chunk);
        return reel_error_set(err, status, "chunk builder %s: %s", b->entity_path,
                              inner.status != REEL_OK ? inner.message : "out of memory");
    }
    *out = chunk;
    return REEL_OK;
}
