/* The dataframe query engine (semantics in query.h): picks the entities and their columns,
 * gathers each temporal column's rows on the index timeline with range queries and the Clears
 * that reach it as tombstones, walks the output times in order with one cursor per column, and
 * appends each chosen cell to that column's Arrow builder. */
#include <stdlib.h>
#include <string.h>

#include "query/query_internal.h"

#define CLEAR_COMPONENT "Clear:is_recursive"

/* One data column while the query runs. */
typedef struct qcol {
    uint32_t entity, component;
    const char *path, *component_name; /* the store's names (borrowed) */
    bool is_static;                    /* one value in every row */
    reel_store_result static_value;
    reel_vec rows;              /* reel_store_row on the index timeline, (time, RowId) order */
    const reel_vec *tombs;      /* the entity's tombstones (reel_store_row), or NULL */
    size_t next_row, next_tomb; /* cursors: entries with time <= the current output time */
    reel_arrow_field field;     /* the output column */
    /* The source column of the last chunk a cell came from, and whether its type matched. */
    const reel_chunk *last_chunk;
    const reel_chunk_component *last_column;
    reel_arrow_builder *builder; /* NULL when projected away */
} qcol;

/* What fills one cell. */
typedef enum cell_kind { CELL_NULL, CELL_DATA, CELL_TOMB, CELL_STATIC } cell_kind;

typedef struct query_run {
    const reel_store *store;
    const reel_query_desc *desc;
    const reel_allocator *alloc;
    reel_error *err;
    uint32_t timeline; /* REEL_STORE_NO_ID: static only */
    uint32_t clear_component;
    uint32_t n_timelines;
    qcol *cols;
    size_t n_cols;
    /* Per entity, lazily: its own Clears and its recursive ones ([true]) on the timeline. */
    reel_vec *own_clears, *recursive_clears, *tombs;
    bool *clears_done, *tombs_done;
    reel_vec times; /* int64_t output times */
} query_run;

/* ------------------------------------------------------------------ helpers */

static int row_cmp(const void *pa, const void *pb)
{
    const reel_store_row *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return reel_tuid_compare(a->row_id, b->row_id);
}

static int i64_cmp(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

static reel_status oom(query_run *q)
{
    return reel_error_set(q->err, REEL_OUT_OF_MEMORY, "query: out of memory");
}

/* Entity paths compared part by part (Rerun's EntityPath order), then component names. */
static int path_cmp(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a + 1, "/"), lb = strcspn(b + 1, "/");
        /* the root "/" has no parts */
        if (a[1] == '\0' || b[1] == '\0')
            return (a[1] != '\0') - (b[1] != '\0');
        size_t n = la < lb ? la : lb;
        int c = memcmp(a + 1, b + 1, n);
        if (c != 0)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
        a += 1 + la;
        b += 1 + lb;
        if (*a == '\0' || *b == '\0')
            return (*a != '\0') - (*b != '\0');
    }
}

static int col_cmp(const void *pa, const void *pb)
{
    const qcol *a = pa, *b = pb;
    if (a->entity != b->entity) {
        int c = path_cmp(a->path, b->path);
        if (c != 0)
            return c;
    }
    return strcmp(a->component_name, b->component_name);
}

/* ------------------------------------------------------------------ clears */

static bool is_true_list(const reel_store_row *row, const char *component)
{
    const reel_chunk_component *col = reel_chunk_find_component(row->chunk, component);
    if (col == NULL)
        return false;
    int64_t start, end;
    reel_arrow_array_get_list_range(&col->field, &col->lists, row->row, &start, &end);
    if (end - start != 1)
        return false;
    const reel_arrow_field *item = &col->field.children[0];
    const reel_arrow_array *values = &col->lists.children[0];
    if (item->type != REEL_ARROW_BOOL || reel_arrow_array_is_null(item, values, start))
        return false;
    return reel_arrow_array_get_bool(values, start);
}

/* The entity's own Clear rows, and those of them that are recursive, on the timeline. */
static reel_status load_clears(query_run *q, uint32_t entity)
{
    if (q->clears_done[entity])
        return REEL_OK;
    q->clears_done[entity] = true;
    reel_vec *own = &q->own_clears[entity], *rec = &q->recursive_clears[entity];
    reel_vec_init(own, sizeof(reel_store_row), q->alloc);
    reel_vec_init(rec, sizeof(reel_store_row), q->alloc);
    if (q->clear_component == REEL_STORE_NO_ID)
        return REEL_OK;
    REEL_TRY(reel_store_range_id(q->store, entity, q->timeline, INT64_MIN + 1, INT64_MAX,
                                 q->clear_component, NULL, own, q->err));
    /* A static Clear comes back alone as the answer: the dataframe ignores static Clears. */
    if (own->len == 1 && ((reel_store_row *)own->data)[0].time == REEL_STORE_TIME_STATIC)
        reel_vec_clear(own);
    const reel_store_row *rows = own->data;
    for (size_t i = 0; i < own->len; i++) {
        if (is_true_list(&rows[i], CLEAR_COMPONENT) && reel_vec_push(rec, &rows[i]) != REEL_OK)
            return oom(q);
    }
    return REEL_OK;
}

/* Tombstones of an entity: its own Clears and its ancestors' recursive ones, sorted. */
static reel_status load_tombs(query_run *q, uint32_t entity, const reel_vec **out)
{
    *out = NULL;
    if (q->clear_component == REEL_STORE_NO_ID || q->timeline == REEL_STORE_NO_ID)
        return REEL_OK;
    reel_vec *tombs = &q->tombs[entity];
    if (!q->tombs_done[entity]) {
        q->tombs_done[entity] = true;
        reel_vec_init(tombs, sizeof(reel_store_row), q->alloc);
        REEL_TRY(load_clears(q, entity));
        const reel_vec *own = &q->own_clears[entity];
        if (own->len > 0 && reel_vec_push_n(tombs, own->len) == NULL)
            return oom(q);
        if (own->len > 0)
            memcpy(tombs->data, own->data, own->len * sizeof(reel_store_row));
        for (uint32_t a = reel_store_entity_parent(q->store, entity); a != REEL_STORE_NO_ID;
             a = reel_store_entity_parent(q->store, a)) {
            REEL_TRY(load_clears(q, a));
            const reel_vec *rec = &q->recursive_clears[a];
            if (rec->len == 0)
                continue;
            size_t at = tombs->len;
            if (reel_vec_push_n(tombs, rec->len) == NULL)
                return oom(q);
            memcpy((reel_store_row *)tombs->data + at, rec->data,
                   rec->len * sizeof(reel_store_row));
        }
        if (tombs->len > 1)
            qsort(tombs->data, tombs->len, sizeof(reel_store_row), row_cmp);
    }
    *out = tombs->len > 0 ? tombs : NULL;
    return REEL_OK;
}

/* ------------------------------------------------------------------ columns */

static reel_status set_md(reel_arrow_field *field, const char *key, const char *value)
{
    if (value == NULL)
        return REEL_OK;
    return reel_arrow_metadata_set(&field->metadata, field->alloc, key, value);
}

/* The output field of a data column: the source column's list type, named ENTITY:COMPONENT,
 * with Rerun's metadata (keys sorted). */
static reel_status make_data_field(query_run *q, qcol *col, const reel_chunk_component *source)
{
    const char *path = reel_store_entity_path(q->store, col->entity);
    const char *component = reel_store_component_name(q->store, col->component);
    reel_buf name;
    reel_buf_init(&name, q->alloc);
    reel_status status = reel_buf_printf(&name, "%s:%s", path, component);
    if (status == REEL_OK)
        status = reel_arrow_field_copy(&col->field, &source->field, q->alloc);
    if (status == REEL_OK)
        status = reel_arrow_field_set_name(&col->field, (const char *)name.data);
    reel_buf_free(&name);
    if (status != REEL_OK)
        return oom(q);
    col->field.nullable = true;
    reel_arrow_metadata_reset(&col->field.metadata, col->field.alloc);
    const reel_component_descriptor *d = &source->descriptor;
    if (set_md(&col->field, "rerun:archetype", d->archetype) != REEL_OK ||
        set_md(&col->field, "rerun:component", d->component) != REEL_OK ||
        set_md(&col->field, "rerun:component_type", d->component_type) != REEL_OK ||
        set_md(&col->field, "rerun:entity_path", path) != REEL_OK ||
        set_md(&col->field, "rerun:kind", "data") != REEL_OK)
        return oom(q);
    return REEL_OK;
}

/* Adds the data columns of one entity: every component it has, static or on any timeline. */
static reel_status add_entity_columns(query_run *q, uint32_t entity, reel_vec *scratch,
                                      reel_vec *cols)
{
    size_t first = cols->len; /* this entity's columns start here */
    /* The union over the timelines (only the static components for a static-only query). */
    for (uint32_t t = q->timeline == REEL_STORE_NO_ID ? q->n_timelines : 0; t <= q->n_timelines;
         t++) {
        uint32_t timeline = t == q->n_timelines ? REEL_STORE_NO_ID : t;
        REEL_TRY(reel_store_entity_components(q->store, entity, timeline, scratch, q->err));
        const uint32_t *comps = scratch->data;
        for (size_t i = 0; i < scratch->len; i++) {
            bool seen = false;
            for (size_t k = first; k < cols->len && !seen; k++) {
                const qcol *c = (const qcol *)cols->data + k;
                seen = c->entity == entity && c->component == comps[i];
            }
            if (seen)
                continue;
            if (comps[i] == q->clear_component && !q->desc->include_tombstone_columns)
                continue;
            reel_store_result any;
            reel_store_latest_at_id(q->store, entity, timeline, INT64_MAX, comps[i], &any);
            if (any.column == NULL)
                continue;
            qcol *col = reel_vec_push_n(cols, 1);
            if (col == NULL)
                return oom(q);
            memset(col, 0, sizeof *col);
            col->entity = entity;
            col->component = comps[i];
            col->path = reel_store_entity_path(q->store, entity);
            col->component_name = reel_store_component_name(q->store, comps[i]);
            REEL_TRY(make_data_field(q, col, any.column));
        }
    }
    return REEL_OK;
}

/* For requested index values: the latest-at row of each (Clears aside: the dataframe shows
 * them only as tombstones at their own times), without repeats, in (time, RowId) order. */
static reel_status load_latest_rows(query_run *q, qcol *col)
{
    for (size_t i = 0; i < q->times.len; i++) {
        int64_t t = ((const int64_t *)q->times.data)[i];
        reel_store_result res;
        reel_store_state state =
            reel_store_latest_at_id(q->store, col->entity, q->timeline, t, col->component, &res);
        if (state == REEL_STORE_NONE || res.value.chunk == NULL)
            continue;
        const reel_store_row *last =
            col->rows.len > 0 ? (const reel_store_row *)col->rows.data + col->rows.len - 1 : NULL;
        if (last != NULL && last->chunk == res.value.chunk && last->row == res.value.row)
            continue;
        if (reel_vec_push(&col->rows, &res.value) != REEL_OK)
            return oom(q);
    }
    return REEL_OK;
}

/* Static value, temporal rows and tombstones of every column. */
static reel_status load_column_rows(query_run *q, qcol *col)
{
    reel_vec_init(&col->rows, sizeof(reel_store_row), q->alloc);
    reel_store_result st;
    reel_store_state state =
        reel_store_latest_at_id(q->store, col->entity, REEL_STORE_NO_ID, 0, col->component, &st);
    /* Static Clears are not applied by the dataframe: a shadowed static value still shows. */
    if (state != REEL_STORE_NONE && st.column != NULL) {
        col->is_static = true;
        col->static_value = st;
        return REEL_OK;
    }
    if (q->timeline == REEL_STORE_NO_ID)
        return REEL_OK;
    const reel_query_desc *desc = q->desc;
    if (desc->n_index_values > 0) {
        /* Only the rows the requested times can show: each time's latest-at row (its time is
         * the time itself when data is there, else it is the fill), in time order. */
        REEL_TRY(load_latest_rows(q, col));
    } else if (desc->has_range) {
        /* The rows in the range, plus the one before it that a fill may need. */
        reel_store_range_options options = {.include_latest_before = desc->fill_latest_at};
        REEL_TRY(reel_store_range_id(q->store, col->entity, q->timeline, desc->range_min,
                                     desc->range_max, col->component, &options, &col->rows,
                                     q->err));
    } else {
        REEL_TRY(reel_store_range_id(q->store, col->entity, q->timeline, INT64_MIN + 1, INT64_MAX,
                                     col->component, NULL, &col->rows, q->err));
    }
    /* The Clear column too: an ancestor's recursive Clear empties it (its own Clears are
     * its data, which wins over their tombstones at the same RowId). */
    REEL_TRY(load_tombs(q, col->entity, &col->tombs));
    return REEL_OK;
}

/* ------------------------------------------------------------------ rows */

static bool in_range(const reel_query_desc *desc, int64_t t)
{
    return !desc->has_range || (t >= desc->range_min && t <= desc->range_max);
}

static reel_status collect_times(query_run *q)
{
    const reel_query_desc *desc = q->desc;
    reel_vec_init(&q->times, sizeof(int64_t), q->alloc);
    if (q->timeline == REEL_STORE_NO_ID) {
        /* Static only: always one row (as Rerun), null where nothing is static. */
        int64_t zero = 0;
        return reel_vec_push(&q->times, &zero) == REEL_OK ? REEL_OK : oom(q);
    }
    if (desc->n_index_values > 0) {
        for (size_t i = 0; i < desc->n_index_values; i++) {
            if (in_range(desc, desc->index_values[i]) &&
                reel_vec_push(&q->times, &desc->index_values[i]) != REEL_OK)
                return oom(q);
        }
        if (q->times.len > 1)
            qsort(q->times.data, q->times.len, sizeof(int64_t), i64_cmp);
        const int64_t *t = q->times.data;
        for (size_t i = 1; i < q->times.len; i++) {
            if (t[i] == t[i - 1])
                return reel_error_set(q->err, REEL_INVALID_ARGUMENT,
                                      "query: index value %lld is given twice (they must be "
                                      "unique, as in Rerun)",
                                      (long long)t[i]);
        }
        return REEL_OK;
    }
    for (size_t c = 0; c < q->n_cols; c++) {
        const qcol *col = &q->cols[c];
        const reel_vec *lists[2] = {&col->rows, col->tombs};
        for (int k = 0; k < 2; k++) {
            if (lists[k] == NULL)
                continue;
            const reel_store_row *rows = lists[k]->data;
            for (size_t i = 0; i < lists[k]->len; i++) {
                if (in_range(desc, rows[i].time) &&
                    reel_vec_push(&q->times, &rows[i].time) != REEL_OK)
                    return oom(q);
            }
        }
    }
    if (q->times.len > 1)
        qsort(q->times.data, q->times.len, sizeof(int64_t), i64_cmp);
    size_t n = 0;
    int64_t *t = q->times.data;
    for (size_t i = 0; i < q->times.len; i++) {
        if (n == 0 || t[i] != t[n - 1])
            t[n++] = t[i];
    }
    q->times.len = n;
    return REEL_OK;
}

/* Chooses the cell of `col` at output time t (cursors only move forward). */
static cell_kind choose_cell(const query_run *q, qcol *col, int64_t t, const reel_store_row **row)
{
    if (col->is_static)
        return CELL_STATIC;
    const reel_store_row *rows = col->rows.data;
    while (col->next_row < col->rows.len && rows[col->next_row].time <= t)
        col->next_row++;
    const reel_store_row *data = col->next_row > 0 ? &rows[col->next_row - 1] : NULL;
    const reel_store_row *tomb = NULL;
    if (col->tombs != NULL) {
        const reel_store_row *tombs = col->tombs->data;
        while (col->next_tomb < col->tombs->len && tombs[col->next_tomb].time <= t)
            col->next_tomb++;
        if (col->next_tomb > 0 && tombs[col->next_tomb - 1].time == t)
            tomb = &tombs[col->next_tomb - 1];
    }
    bool data_at = data != NULL && data->time == t;
    if (tomb != NULL && (!data_at || reel_tuid_compare(tomb->row_id, data->row_id) > 0)) {
        *row = tomb;
        return CELL_TOMB;
    }
    if (data_at || (data != NULL && q->desc->fill_latest_at)) {
        *row = data;
        return CELL_DATA;
    }
    return CELL_NULL;
}

/* The source column of a data row, checked once per chunk to have the output's type. */
static reel_status source_column(query_run *q, qcol *col, const reel_store_row *row,
                                 const reel_chunk_component **out)
{
    if (row->chunk != col->last_chunk) {
        const char *component = reel_store_component_name(q->store, col->component);
        const reel_chunk_component *source = reel_chunk_find_component(row->chunk, component);
        if (source == NULL)
            return reel_error_set(q->err, REEL_INTERNAL, "query: %s has no column %s",
                                  row->chunk->entity_path, component);
        const reel_arrow_field *want =
            col->builder != NULL ? reel_arrow_builder_field(col->builder) : NULL;
        if (want != NULL && !reel_arrow_field_type_equal(&source->field, want, false))
            return reel_error_set(q->err, REEL_UNSUPPORTED,
                                  "query: column %s has different types in different chunks",
                                  want->name);
        col->last_chunk = row->chunk;
        col->last_column = source;
    }
    *out = col->last_column;
    return REEL_OK;
}

/* The row's time on a timeline, if its chunk has that timeline. */
static bool row_time_on(const reel_store_row *row, const char *timeline, int64_t *out)
{
    const reel_chunk_timeline *tl = reel_chunk_find_timeline(row->chunk, timeline);
    if (tl == NULL)
        return false;
    *out = reel_arrow_array_get_int(&tl->field, &tl->times, row->row);
    return true;
}

static reel_status append_cell(query_run *q, qcol *col, cell_kind kind, const reel_store_row *row)
{
    reel_arrow_builder *b = col->builder;
    switch (kind) {
    case CELL_NULL:
        return reel_arrow_builder_append_null(b, 1) == REEL_OK ? REEL_OK : oom(q);
    case CELL_TOMB: /* an empty list */
        return reel_arrow_builder_finish_element(b) == REEL_OK ? REEL_OK : oom(q);
    case CELL_STATIC:
        return reel_arrow_builder_append_array(b, &col->static_value.column->lists,
                                               col->static_value.value.row, 1, q->err);
    case CELL_DATA: {
        const reel_chunk_component *source = NULL;
        REEL_TRY(source_column(q, col, row, &source));
        return reel_arrow_builder_append_array(b, &source->lists, row->row, 1, q->err);
    }
    }
    return REEL_OK;
}

/* ------------------------------------------------------------------ projection */

typedef struct out_column {
    bool is_index;
    uint32_t index; /* timeline id, or position in q->cols */
} out_column;

static reel_status project(query_run *q, reel_vec *out)
{
    const reel_query_desc *desc = q->desc;
    reel_vec_init(out, sizeof(out_column), q->alloc);
    uint32_t n_tl = q->n_timelines;
    /* Timelines sorted by name. */
    uint32_t *order = reel_alloc(q->alloc, (n_tl + 1) * sizeof *order);
    if (order == NULL)
        return oom(q);
    for (uint32_t i = 0; i < n_tl; i++) {
        uint32_t k = i;
        while (k > 0 && strcmp(reel_store_timeline_name(q->store, order[k - 1]),
                               reel_store_timeline_name(q->store, i)) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    reel_status status = REEL_OK;
    if (desc->n_columns == 0) {
        for (uint32_t i = 0; i < n_tl && status == REEL_OK; i++)
            status = reel_vec_push(out, &(out_column){true, order[i]});
        for (size_t c = 0; c < q->n_cols && status == REEL_OK; c++)
            status = reel_vec_push(out, &(out_column){false, (uint32_t)c});
        reel_free(q->alloc, order, (n_tl + 1) * sizeof *order);
        return status == REEL_OK ? REEL_OK : oom(q);
    }
    for (size_t k = 0; k < desc->n_columns && status == REEL_OK; k++) {
        const char *want = desc->columns[k];
        bool found = false;
        uint32_t tl = reel_store_timeline_find(q->store, want);
        if (tl != REEL_STORE_NO_ID) {
            status = reel_vec_push(out, &(out_column){true, tl});
            continue;
        }
        for (size_t c = 0; c < q->n_cols && status == REEL_OK; c++) {
            const qcol *col = &q->cols[c];
            const char *component = reel_store_component_name(q->store, col->component);
            if (strcmp(col->field.name, want) == 0 || strcmp(component, want) == 0) {
                status = reel_vec_push(out, &(out_column){false, (uint32_t)c});
                found = true;
            }
        }
        if (status == REEL_OK && !found) {
            reel_buf have;
            reel_buf_init(&have, q->alloc);
            for (uint32_t i = 0; i < n_tl; i++)
                reel_buf_printf(&have, "%s%s", i > 0 ? ", " : "",
                                reel_store_timeline_name(q->store, order[i]));
            for (size_t c = 0; c < q->n_cols; c++)
                reel_buf_printf(&have, ", %s", q->cols[c].field.name);
            status = reel_error_set(q->err, REEL_NOT_FOUND,
                                    "query: no column '%s' among the selected entities "
                                    "(columns: %s)",
                                    want, have.data != NULL ? (const char *)have.data : "none");
            reel_buf_free(&have);
        }
    }
    reel_free(q->alloc, order, (n_tl + 1) * sizeof *order);
    if (status == REEL_OUT_OF_MEMORY)
        return oom(q);
    return status;
}

/* ------------------------------------------------------------------ the run */

static reel_status select_columns(query_run *q)
{
    query_filter filter;
    REEL_TRY(reel__query_filter_parse(&filter, q->desc->contents, q->desc->n_contents, q->alloc,
                                      q->err));
    if (q->desc->include_properties && !filter.names_properties)
        filter.names_properties = true;
    reel_vec scratch, cols;
    reel_vec_init(&scratch, sizeof(uint32_t), q->alloc);
    reel_vec_init(&cols, sizeof(qcol), q->alloc);
    reel_status status = REEL_OK;
    uint32_t n_entities = reel_store_entity_count(q->store);
    for (uint32_t e = 0; e < n_entities && status == REEL_OK; e++) {
        if (reel__query_filter_matches(&filter, reel_store_entity_path(q->store, e)))
            status = add_entity_columns(q, e, &scratch, &cols);
    }
    reel__query_filter_free(&filter);
    reel_vec_free(&scratch);
    q->cols = cols.data;
    q->n_cols = cols.len;
    if (status != REEL_OK)
        return status;
    if (q->n_cols > 1)
        qsort(q->cols, q->n_cols, sizeof(qcol), col_cmp);
    return REEL_OK;
}

static reel_status load_rows(query_run *q)
{
    for (size_t c = 0; c < q->n_cols; c++)
        REEL_TRY(load_column_rows(q, &q->cols[c]));
    return REEL_OK;
}

static reel_status make_index_field(query_run *q, reel_arrow_field *field, uint32_t timeline)
{
    const char *name = reel_store_timeline_name(q->store, timeline);
    reel_time_type type = reel_store_timeline_type(q->store, timeline);
    reel_arrow_type arrow = type == REEL_TIME_TIMESTAMP_NS  ? REEL_ARROW_TIMESTAMP
                            : type == REEL_TIME_DURATION_NS ? REEL_ARROW_DURATION
                                                            : REEL_ARROW_INT64;
    if (reel_arrow_field_init(field, name, arrow, true, q->alloc) != REEL_OK)
        return oom(q);
    field->unit = REEL_ARROW_NANO;
    if (set_md(field, "rerun:index_name", name) != REEL_OK ||
        set_md(field, "rerun:kind", "index") != REEL_OK)
        return oom(q);
    return REEL_OK;
}

/* Builds the record batch row by row. */
static reel_status build(query_run *q, const reel_vec *projection, reel_query_result *result)
{
    const out_column *outs = projection->data;
    size_t n_out = projection->len;
    uint32_t n_tl = q->n_timelines;
    reel_status status = REEL_OK;
    reel_arrow_builder **index_builders = reel_alloc_zeroed(q->alloc, (n_tl + 1) * sizeof(void *));
    int64_t *other = reel_alloc(q->alloc, (n_tl + 1) * sizeof *other);
    bool *other_set = reel_alloc(q->alloc, (n_tl + 1) * sizeof *other_set);
    const char **tl_names = reel_alloc(q->alloc, (n_tl + 1) * sizeof *tl_names);
    if (index_builders == NULL || other == NULL || other_set == NULL || tl_names == NULL)
        status = oom(q);
    for (uint32_t i = 0; i < n_tl && status == REEL_OK; i++)
        tl_names[i] = reel_store_timeline_name(q->store, i);

    /* Schema and builders, in output order. */
    if (status == REEL_OK &&
        reel_arrow_field_init(&result->schema, "", REEL_ARROW_STRUCT, false, q->alloc) != REEL_OK)
        status = oom(q);
    result->columns = reel_alloc_zeroed(q->alloc, (n_out + 1) * sizeof *result->columns);
    if (result->columns == NULL && status == REEL_OK)
        status = oom(q);
    if (result->columns != NULL)
        result->n_columns = (int32_t)n_out;
    for (size_t k = 0; k < n_out && status == REEL_OK; k++) {
        reel_arrow_field field = {0};
        reel_query_column *info = &result->columns[k];
        if (outs[k].is_index) {
            status = make_index_field(q, &field, outs[k].index);
            info->kind = REEL_QUERY_INDEX;
            info->timeline = outs[k].index;
            info->time_type = reel_store_timeline_type(q->store, outs[k].index);
        } else {
            qcol *col = &q->cols[outs[k].index];
            /* The column's field moves into the schema; a column projected again copies it
             * from there. */
            size_t first = 0;
            while (first < k && (outs[first].is_index || outs[first].index != outs[k].index))
                first++;
            if (first == k) {
                field = col->field;
                memset(&col->field, 0, sizeof col->field);
            } else if (reel_arrow_field_copy(&field, &result->schema.children[first], q->alloc) !=
                       REEL_OK) {
                status = oom(q);
            }
            info->kind = REEL_QUERY_DATA;
            info->entity = col->entity;
            info->component = col->component;
            info->is_static = col->is_static;
        }
        reel_arrow_field *child = NULL;
        if (status == REEL_OK &&
            reel_arrow_field_add_child(&result->schema, "", REEL_ARROW_NULL_TYPE, true, &child) !=
                REEL_OK)
            status = oom(q);
        if (status == REEL_OK) {
            reel_arrow_field_reset(child);
            *child = field; /* moved */
            field = (reel_arrow_field){0};
        }
        reel_arrow_field_reset(&field);
    }
    /* One builder per output column (a data column projected twice gets one builder: the
     * second output shares the finished array). */
    for (size_t k = 0; k < n_out && status == REEL_OK; k++) {
        reel_arrow_builder **slot =
            outs[k].is_index ? &index_builders[outs[k].index] : &q->cols[outs[k].index].builder;
        if (*slot == NULL)
            status = reel_arrow_builder_create(&result->schema.children[k], q->alloc, slot, q->err);
    }

    const int64_t *times = q->times.data;
    for (size_t r = 0; r < q->times.len && status == REEL_OK; r++) {
        int64_t t = times[r];
        memset(other_set, 0, (n_tl + 1) * sizeof *other_set);
        for (size_t c = 0; c < q->n_cols && status == REEL_OK; c++) {
            qcol *col = &q->cols[c];
            const reel_store_row *row = NULL;
            cell_kind kind = choose_cell(q, col, t, &row);
            if (col->builder != NULL)
                status = append_cell(q, col, kind, row);
            if (row == NULL || (kind != CELL_DATA && kind != CELL_TOMB))
                continue;
            for (uint32_t i = 0; i < n_tl; i++) {
                int64_t v;
                if (index_builders[i] == NULL || i == q->timeline ||
                    !row_time_on(row, tl_names[i], &v))
                    continue;
                if (!other_set[i] || v > other[i])
                    other[i] = v;
                other_set[i] = true;
            }
        }
        for (uint32_t i = 0; i < n_tl && status == REEL_OK; i++) {
            if (index_builders[i] == NULL)
                continue;
            if (i == q->timeline)
                status = reel_arrow_builder_append_int(index_builders[i], t);
            else if (other_set[i])
                status = reel_arrow_builder_append_int(index_builders[i], other[i]);
            else
                status = reel_arrow_builder_append_null(index_builders[i], 1);
            if (status != REEL_OK)
                status = oom(q);
        }
    }

    /* The batch. */
    result->row_count = (int64_t)q->times.len;
    result->batch.length = result->row_count;
    result->batch.n_buffers = 1;
    result->batch.alloc = q->alloc;
    if (status == REEL_OK) {
        result->batch.children =
            reel_alloc_zeroed(q->alloc, (n_out + 1) * sizeof *result->batch.children);
        if (result->batch.children == NULL)
            status = oom(q);
        else
            result->batch.n_children = (int32_t)n_out;
    }
    for (size_t k = 0; k < n_out && status == REEL_OK; k++) {
        reel_arrow_builder **slot =
            outs[k].is_index ? &index_builders[outs[k].index] : &q->cols[outs[k].index].builder;
        /* A column projected twice: share the first copy's array. */
        bool shared = false;
        for (size_t j = 0; j < k && !shared; j++) {
            if (outs[j].is_index == outs[k].is_index && outs[j].index == outs[k].index) {
                status =
                    reel_arrow_array_share(&result->batch.children[k], &result->batch.children[j]);
                shared = true;
            }
        }
        if (!shared)
            status = reel_arrow_builder_finish(*slot, &result->batch.children[k], q->err);
    }
    for (uint32_t i = 0; i < n_tl; i++)
        if (index_builders != NULL)
            reel_arrow_builder_destroy(index_builders[i]);
    reel_free(q->alloc, index_builders, (n_tl + 1) * sizeof(void *));
    reel_free(q->alloc, other, (n_tl + 1) * sizeof *other);
    reel_free(q->alloc, other_set, (n_tl + 1) * sizeof *other_set);
    reel_free(q->alloc, tl_names, (n_tl + 1) * sizeof *tl_names);
    return status;
}

static void run_free(query_run *q)
{
    for (size_t c = 0; c < q->n_cols; c++) {
        reel_vec_free(&q->cols[c].rows);
        reel_arrow_field_reset(&q->cols[c].field);
        reel_arrow_builder_destroy(q->cols[c].builder);
    }
    reel_free(q->alloc, q->cols, q->n_cols * sizeof *q->cols);
    uint32_t n = reel_store_entity_count(q->store);
    for (uint32_t e = 0; e < n; e++) {
        if (q->clears_done != NULL && q->clears_done[e]) {
            reel_vec_free(&q->own_clears[e]);
            reel_vec_free(&q->recursive_clears[e]);
        }
        if (q->tombs_done != NULL && q->tombs_done[e])
            reel_vec_free(&q->tombs[e]);
    }
    reel_free(q->alloc, q->own_clears, (n + 1) * sizeof(reel_vec));
    reel_free(q->alloc, q->recursive_clears, (n + 1) * sizeof(reel_vec));
    reel_free(q->alloc, q->tombs, (n + 1) * sizeof(reel_vec));
    reel_free(q->alloc, q->clears_done, (n + 1) * sizeof(bool));
    reel_free(q->alloc, q->tombs_done, (n + 1) * sizeof(bool));
    reel_vec_free(&q->times);
}

reel_status reel_query_run(const reel_store *store, const reel_query_desc *desc,
                           reel_query_result **out, reel_error *err)
{
    *out = NULL;
    query_run q = {.store = store, .desc = desc, .alloc = desc->alloc, .err = err};
    q.n_timelines = reel_store_timeline_count(store);
    q.clear_component = reel_store_component_find(store, CLEAR_COMPONENT);
    reel_vec_init(&q.times, sizeof(int64_t), q.alloc);
    q.timeline = REEL_STORE_NO_ID;
    if (desc->timeline != NULL) {
        q.timeline = reel_store_timeline_find(store, desc->timeline);
        if (q.timeline == REEL_STORE_NO_ID) {
            reel_buf have;
            reel_buf_init(&have, q.alloc);
            for (uint32_t i = 0; i < q.n_timelines; i++)
                reel_buf_printf(&have, "%s%s", i > 0 ? ", " : "",
                                reel_store_timeline_name(store, i));
            reel_status s =
                reel_error_set(err, REEL_NOT_FOUND,
                               "query: no timeline '%s' in the recording "
                               "(timelines: %s)",
                               desc->timeline, have.len > 0 ? (const char *)have.data : "none");
            reel_buf_free(&have);
            return s;
        }
    }
    if (desc->has_range && desc->range_min > desc->range_max)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "query: empty time range %lld..%lld",
                              (long long)desc->range_min, (long long)desc->range_max);
    uint32_t n = reel_store_entity_count(store);
    q.own_clears = reel_alloc_zeroed(q.alloc, (n + 1) * sizeof(reel_vec));
    q.recursive_clears = reel_alloc_zeroed(q.alloc, (n + 1) * sizeof(reel_vec));
    q.tombs = reel_alloc_zeroed(q.alloc, (n + 1) * sizeof(reel_vec));
    q.clears_done = reel_alloc_zeroed(q.alloc, (n + 1) * sizeof(bool));
    q.tombs_done = reel_alloc_zeroed(q.alloc, (n + 1) * sizeof(bool));
    reel_query_result *result = reel_alloc_zeroed(q.alloc, sizeof *result);
    reel_status status = REEL_OK;
    if (q.own_clears == NULL || q.recursive_clears == NULL || q.tombs == NULL ||
        q.clears_done == NULL || q.tombs_done == NULL || result == NULL)
        status = oom(&q);
    reel_vec projection;
    reel_vec_init(&projection, sizeof(out_column), q.alloc);
    if (status == REEL_OK)
        status = select_columns(&q);
    /* Requested times first decide which rows to load; otherwise the rows give the times. */
    bool times_first = desc->n_index_values > 0 && q.timeline != REEL_STORE_NO_ID;
    if (status == REEL_OK && times_first)
        status = collect_times(&q);
    if (status == REEL_OK)
        status = load_rows(&q);
    if (status == REEL_OK && !times_first)
        status = collect_times(&q);
    if (status == REEL_OK)
        status = project(&q, &projection);
    if (status == REEL_OK) {
        result->alloc = q.alloc;
        status = build(&q, &projection, result);
    }
    reel_vec_free(&projection);
    run_free(&q);
    if (status != REEL_OK) {
        reel_query_result_destroy(result);
        return status;
    }
    *out = result;
    return REEL_OK;
}

void reel_query_result_destroy(reel_query_result *result)
{
    if (result == NULL)
        return;
    reel_arrow_field_reset(&result->schema);
    reel_arrow_array_reset(&result->batch);
    reel_free(result->alloc, result->columns,
              ((size_t)result->n_columns + 1) * sizeof *result->columns);
    reel_free(result->alloc, result, sizeof *result);
}
