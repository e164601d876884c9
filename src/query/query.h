/* The query module: Rerun's dataframe query over a chunk store. One table for a set of
 * entities on one timeline: an index column per timeline, a data column per entity ×
 * component, one row per distinct time (or per requested time), optionally filled with the
 * latest value before it; and the table's text forms (aligned table, JSON, CSV). The table is
 * an Arrow record batch, so it can also go out as an Arrow IPC file (arrow module).
 *
 * The semantics are those of the real Rerun's dataframe API (ChunkStore.reader / the catalog's
 * dataset reader, rerun-sdk 0.41), checked against it in tests/interop/test_query_interop.py:
 * - columns: every timeline of the store as an index column (sorted by name), then a data
 *   column per (entity, component) of the selected entities, sorted by entity path then
 *   component, named "ENTITY:COMPONENT" (e.g. "/points:Points3D:positions"), of the
 *   component's list type. Components of entities matched by the contents filter are included
 *   whether they were logged on the queried timeline or not; Clear:is_recursive columns only
 *   with include_tombstone_columns; entities under /__properties only when asked for.
 * - rows: one per distinct time of the queried timeline among the selected data columns'
 *   rows (and the Clears that reach them), within the time range; or exactly one per
 *   requested index value.
 * - a cell: the value of the row with the largest RowId at exactly that time that has the
 *   component; a Clear of the entity (any) or of an ancestor (recursive ones) at that time
 *   with a larger RowId gives an empty list (a tombstone); else null.
 * - fill_latest_at: a null cell takes the latest data value (largest time, then RowId) at or
 *   before the row's time. Like Rerun, the fill ignores Clears: they only show as tombstones
 *   at their own times (the viewer's latest-at, reel_store_latest_at, applies them).
 * - static data: a component with static data shows that value in every row (static wins).
 * - the other index columns of a row hold the largest time on that timeline among the rows
 *   that supplied its cells (null when none did).
 * With no timeline (static only) the table has one row of the static columns (always one,
 * as in Rerun, even with nothing static). */
#ifndef REEL_QUERY_H
#define REEL_QUERY_H

#include "store/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_query_desc {
    /* The index: a timeline of the store. NULL = static data only. */
    const char *timeline;
    /* Entity path filter, Rerun's syntax: each expression is "[+ |- ]PATH" or
     * the path followed by "/" and two stars (the path and its whole subtree); the most
     * specific matching rule decides (the longest path; an exact rule before a subtree rule),
     * no rule matching means excluded. n_contents == 0 means every entity (the root's
     * subtree). */
    const char *const *contents;
    size_t n_contents;
    /* Projection, applied after the rows are chosen (as a select on Rerun's dataframe): the
     * output has exactly these columns in this order; each is a timeline name, a full column
     * name "ENTITY:COMPONENT", or a component alone ("Points3D:positions"), which stands for
     * that component of every selected entity in column order. A name that matches nothing
     * is NOT_FOUND. n_columns == 0 = every column. */
    const char *const *columns;
    size_t n_columns;
    /* Only rows whose time is in [range_min, range_max] (inclusive). */
    bool has_range;
    int64_t range_min, range_max;
    /* When n_index_values > 0: one row per value (sorted and deduplicated), whether or not
     * data exists there (Rerun's using_index_values). The range still applies. */
    const int64_t *index_values;
    size_t n_index_values;
    bool fill_latest_at;
    bool include_tombstone_columns; /* Clear:is_recursive columns */
    bool include_properties;        /* entities under /__properties (recording properties) */
    const reel_allocator *alloc;    /* NULL = default */
} reel_query_desc;

/* What a column of the result is. */
typedef enum reel_query_column_kind {
    REEL_QUERY_INDEX = 1, /* a timeline */
    REEL_QUERY_DATA = 2,  /* an entity's component */
} reel_query_column_kind;

typedef struct reel_query_column {
    reel_query_column_kind kind;
    reel_time_type time_type; /* INDEX */
    uint32_t timeline;        /* INDEX: store timeline id */
    uint32_t entity;          /* DATA: store ids */
    uint32_t component;
    bool is_static; /* DATA: the component has static data (one value in every row) */
} reel_query_column;

/* The answer: a record batch (schema: a STRUCT field whose children are the columns, with
 * Rerun's field metadata: rerun:kind index/data, rerun:index_name, rerun:entity_path,
 * rerun:component, rerun:archetype, rerun:component_type), plus what each column is. Index
 * columns are int64, timestamp[ns] or duration[ns] as the timeline's type; data columns are
 * the component's list type, nullable. Owns everything; free with reel_query_result_destroy. */
typedef struct reel_query_result {
    reel_arrow_field schema;
    reel_arrow_array batch;
    int64_t row_count;
    int32_t n_columns;
    reel_query_column *columns;
    const reel_allocator *alloc;
} reel_query_result;

/* Runs the query. Errors: NOT_FOUND for an unknown timeline or a projected column that does
 * not exist (the message lists what exists), INVALID_ARGUMENT for a malformed contents
 * expression or an empty range, UNSUPPORTED when one component has different Arrow types in
 * different chunks, OUT_OF_MEMORY. The store must not change during the call. */
reel_status reel_query_run(const reel_store *store, const reel_query_desc *desc,
                           reel_query_result **out, reel_error *err);
void reel_query_result_destroy(reel_query_result *result); /* NULL-safe */

/* ---------------------------------------------------------------- text forms */

/* Each writes the whole record batch `batch` of `schema` (a STRUCT field; any record batch,
 * not only query results) to `out`.
 *
 * Table: a header line, a rule, one line per row, columns padded to their widest cell and
 * separated by two spaces. Timestamps print as RFC 3339 UTC with nanoseconds
 * ("2026-11-22T04:27:45.123456789Z"), durations in seconds ("1.500000000s"), null as
 * "null", other cells as JSON (reel_arrow_value_to_json), cut to `max_cell_width`
 * characters with "…" when longer (0 = never cut).
 *
 * JSON: an array of row objects {"column": value, ...} in column order; times as integers
 * (nanoseconds for timestamps and durations; exact, unlike a formatted date), cells as
 * reel_arrow_value_to_json.
 *
 * CSV (RFC 4180): a header line, then one line per row; cells as in JSON, quoted when they
 * contain a comma, a quote or a line break; null is an empty field. */
reel_status reel_query_write_table(reel_buf *out, const reel_arrow_field *schema,
                                   const reel_arrow_array *batch, size_t max_cell_width,
                                   reel_error *err);
reel_status reel_query_write_json(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_arrow_array *batch, reel_error *err);
reel_status reel_query_write_csv(reel_buf *out, const reel_arrow_field *schema,
                                 const reel_arrow_array *batch, reel_error *err);

/* ---------------------------------------------------------------- times as text */

/* Parses a time for a timeline of `type`: an integer (sequence number, or nanoseconds) for
 * every type; for timestamps also RFC 3339 ("2026-11-22T04:27:45.5Z", "…+02:00", a date
 * alone "2026-11-22" = midnight UTC) and for durations also a number with a unit
 * ("1.5s", "250ms", "10us", "100ns", "2min", "1h"). INVALID_ARGUMENT naming the text
 * otherwise, LIMIT when it does not fit in int64 nanoseconds. */
reel_status reel_query_parse_time(reel_time_type type, const char *text, int64_t *out,
                                  reel_error *err);
/* The inverse for display: sequence as an integer, timestamps as RFC 3339 UTC with the
 * fraction's trailing zeros dropped ("2026-11-22T04:27:45.5Z"), durations in seconds
 * ("1.5s"). Appends to `out`. */
reel_status reel_query_format_time(reel_time_type type, int64_t value, reel_buf *out);

#ifdef __cplusplus
}
#endif
#endif
