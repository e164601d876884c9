/* Helpers shared by the store tests: chunks of one entity built from a compact row table
 * (RowIds, one "frame" time or static, up to three cells per row: a double scalar, an empty
 * list, or a Clear), reading a result's double back, and an event recorder. RowIds are
 * {ST_ROW_BASE + n, 0}, so their order is the order of n. */
#ifndef REEL_TESTS_STORE_TESTING_H
#define REEL_TESTS_STORE_TESTING_H

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "test.h"

#define ST_STATIC INT64_MIN
#define ST_ROW_BASE UINT64_C(0x18EA3D8121352C3B)

enum {
    ST_END = 0,    /* no more cells in this row */
    ST_VALUE = 1,  /* [value] as a double scalar */
    ST_EMPTY = 2,  /* [] */
    ST_CLEAR = 3,  /* Clear:is_recursive = [false] */
    ST_RCLEAR = 4, /* Clear:is_recursive = [true] */
    ST_NULL = 5,   /* the component, null in this row */
};

typedef struct st_cell {
    int kind;
    const char *component; /* ignored for Clears */
    double value;
} st_cell;

typedef struct st_row {
    uint64_t row;  /* RowId number */
    int64_t frame; /* ST_STATIC for static rows */
    st_cell cells[3];
} st_row;

static inline reel_tuid st_row_id(uint64_t n)
{
    reel_tuid id = {ST_ROW_BASE + n, 0};
    return id;
}

static inline reel_arrow_field st_field(const char *type)
{
    reel_arrow_field f;
    CHECK_OK(reel_arrow_type_parse(type, strlen(type), &f, NULL, NULL));
    return f;
}

/* A chunk of `entity` with these rows (in this order). */
static inline reel_chunk *st_chunk(const char *entity, const st_row *rows, int n)
{
    reel_chunk_builder *b = NULL;
    reel_error err = {0};
    CHECK_OK(reel_chunk_builder_create(entity, &b, &err));
    reel_arrow_field f64 = st_field("double"), boolean = st_field("bool");
    for (int r = 0; r < n; r++) {
        reel_chunk_time time = {"frame", REEL_TIME_SEQUENCE, rows[r].frame};
        reel_chunk_cell cells[3];
        reel_arrow_array arrays[3];
        memset(arrays, 0, sizeof arrays);
        int n_cells = 0;
        for (int c = 0; c < 3 && rows[r].cells[c].kind != ST_END; c++) {
            const st_cell *cell = &rows[r].cells[c];
            reel_chunk_cell *out = &cells[n_cells];
            bool clear = cell->kind == ST_CLEAR || cell->kind == ST_RCLEAR;
            reel_arrow_builder *ab = NULL;
            CHECK_OK(reel_arrow_builder_create(clear ? &boolean : &f64, NULL, &ab, NULL));
            if (clear)
                CHECK_OK(reel_arrow_builder_append_bool(ab, cell->kind == ST_RCLEAR));
            else
                CHECK_OK(reel_arrow_builder_append_double(ab, cell->value));
            CHECK_OK(reel_arrow_builder_finish(ab, &arrays[n_cells], NULL));
            reel_arrow_builder_destroy(ab);
            if (clear) {
                out->descriptor =
                    (reel_component_descriptor){"rerun.archetypes.Clear", "Clear:is_recursive",
                                                "rerun.components.ClearIsRecursive"};
                out->field = &boolean;
            } else {
                out->descriptor = (reel_component_descriptor){NULL, (char *)cell->component, NULL};
                out->field = &f64;
            }
            out->values = cell->kind == ST_NULL ? NULL : &arrays[n_cells];
            out->offset = 0;
            out->length = cell->kind == ST_EMPTY ? 0 : 1;
            n_cells++;
        }
        bool is_static = rows[r].frame == ST_STATIC;
        if (!CHECK_OK(reel_chunk_builder_add_row(b, st_row_id(rows[r].row), &time,
                                                 is_static ? 0 : 1, cells, n_cells, &err)))
            fprintf(stderr, "    add_row: %s\n", err.message);
        for (int c = 0; c < n_cells; c++)
            reel_arrow_array_reset(&arrays[c]);
    }
    reel_chunk *chunk = NULL;
    if (!CHECK_OK(reel_chunk_builder_finish(b, &chunk, &err)))
        fprintf(stderr, "    finish: %s\n", err.message);
    reel_chunk_builder_destroy(b);
    reel_arrow_field_reset(&f64);
    reel_arrow_field_reset(&boolean);
    return chunk;
}

/* Builds, inserts and releases (the store keeps its reference). */
static inline void st_insert(reel_store *store, const char *entity, const st_row *rows, int n)
{
    reel_chunk *chunk = st_chunk(entity, rows, n);
    reel_error err = {0};
    if (!CHECK_OK(reel_store_insert(store, chunk, &err)))
        fprintf(stderr, "    insert: %s\n", err.message);
    reel_chunk_release(chunk);
}

static inline reel_store *st_store(bool compaction)
{
    reel_store *store = NULL;
    reel_store_desc desc = {.no_compaction = !compaction, .ignore_env = true};
    CHECK_OK(reel_store_create(&desc, &store, NULL));
    return store;
}

/* The double a VALUE result holds (NaN otherwise). */
static inline double st_value(const reel_store_result *r)
{
    if (r->state != REEL_STORE_VALUE || r->column == NULL)
        return 0.0 / 0.0;
    int64_t start, end;
    reel_arrow_array_get_list_range(&r->column->field, &r->column->lists, r->value.row, &start,
                                    &end);
    return reel_arrow_array_get_double(&r->column->field.children[0], &r->column->lists.children[0],
                                       start);
}

/* The RowId number of a result row (the n of st_row_id). */
static inline int64_t st_row_number(const reel_store_row *row)
{
    return row->chunk == NULL ? -1 : (int64_t)(row->row_id.time_ns - ST_ROW_BASE);
}

/* latest-at of `component` on "frame" by names. */
static inline reel_store_state st_at(const reel_store *store, const char *entity,
                                     const char *component, int64_t frame, reel_store_result *out)
{
    return reel_store_latest_at(store, entity, "frame", frame, component, out);
}

/* ---------------------------------------------------------------- events */

typedef struct st_events {
    int additions, deletions, compactions, calls;
    int deleted_by[4];
    reel_tuid last_deleted;
} st_events;

static inline void st_on_events(void *ctx, const reel_store *store, const reel_store_event *events,
                                size_t count)
{
    st_events *rec = ctx;
    (void)store;
    rec->calls++;
    for (size_t i = 0; i < count; i++) {
        if (events[i].kind == REEL_STORE_ADDITION) {
            rec->additions++;
        } else if (events[i].kind == REEL_STORE_COMPACTION) {
            rec->compactions++;
        } else {
            rec->deletions++;
            if (events[i].reason >= 1 && events[i].reason <= 3)
                rec->deleted_by[events[i].reason]++;
            rec->last_deleted = events[i].stored->id;
        }
    }
}

#endif
