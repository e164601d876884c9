/* The chunk module: Rerun's unit of data. A chunk holds the rows of ONE entity path: per row
 * a RowId, one time per timeline (none at all for static chunks) and, per component, a list
 * of instances (null = not logged in that row, empty = cleared). This header also has entity
 * paths (Rerun's escaping rules), the conversion from and to the Arrow record batches that
 * .rrd files and the gRPC stream carry (Rerun's "Sorbet" conventions, with the metadata
 * migrations of older versions), and a row-wise chunk builder. Depends on arrow and core.
 *
 * Chunks are immutable once created and reference counted (retain/release are thread-safe),
 * so the store, the viewer and writers share them across threads without copies. The arrays
 * inside are zero-copy views of the buffers they came from (IPC message bytes, builders). */
#ifndef REEL_CHUNK_H
#define REEL_CHUNK_H

#include "arrow/arrow.h"
#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Sorbet (chunk schema) version reel_chunk_to_batch writes: what rerun-sdk 0.41.0 writes
 * (checked in real files). Its one migration from 0.1.3 (named in the 0.41 binary; no source
 * was available) rewrites the blueprint TableCellKind component into ColumnType, which Reel
 * neither produces nor migrates. */
#define REEL_CHUNK_SORBET_VERSION "0.1.4"

/* ---------------------------------------------------------------- entity paths */

/* Entity paths are written as canonical strings: "/" for the root, else "/" + parts joined by
 * "/", each part escaped as Rerun does: Unicode alphanumerics (Rust's char::is_alphanumeric),
 * '_', '-' and '.' are kept; '\n', '\r', '\t' become "\n", "\r", "\t"; other ASCII
 * punctuation and space get a '\' prefix; anything else becomes "\u{XXXX}" (upper-case hex,
 * at least 4 digits). */

/* Parses `text` (UTF-8; a leading '/' is optional; empty parts from "//" or a trailing '/'
 * are skipped, as Rerun does) and writes its canonical form to `out` (cleared first; NUL-
 * terminated, the NUL not counted in out->len). Unescaped characters that need escaping are
 * accepted ("a b" gives "/a\ b"). Escapes are checked: "\n", "\r", "\t", "\" + ASCII
 * punctuation or space, "\u{H}".."\u{HHHHHH}" (a Unicode scalar value); anything else, a
 * trailing '\' and invalid UTF-8 are INVALID_ARGUMENT errors naming the byte offset. */
reel_status reel_entity_path_normalize(const char *text, size_t len, reel_buf *out,
                                       reel_error *err);

/* Iterates the unescaped parts of an entity path (canonical or not, as normalize accepts):
 * start with *cursor = 0; each call writes the next part to `part` (cleared first, not NUL-
 * terminated: parts may contain NUL) and returns REEL_OK, or REEL_NOT_FOUND after the last
 * part (the root has none), or an INVALID_ARGUMENT error for a bad escape.
 *
 *     size_t cursor = 0;
 *     while ((status = reel_entity_path_split(path, len, &cursor, &part, err)) == REEL_OK) …
 */
reel_status reel_entity_path_split(const char *path, size_t len, size_t *cursor, reel_buf *part,
                                   reel_error *err);

/* Writes the canonical path made of `n` unescaped parts to `out` (cleared first, NUL-
 * terminated). INVALID_ARGUMENT for an empty part or a part that is not valid UTF-8. */
reel_status reel_entity_path_from_parts(const reel_span *parts, size_t n, reel_buf *out);

/* True when canonical path `parent` equals `child` or is one of its ancestors, comparing
 * whole parts ("/a" is a prefix of "/a/b" but not of "/ab"; "/" is a prefix of everything). */
bool reel_entity_path_is_prefix(const char *parent, const char *child);

/* Writes the canonical parent of canonical `path` to `out` (cleared first, NUL-terminated).
 * REEL_NOT_FOUND for the root, which has no parent. */
reel_status reel_entity_path_parent(const char *path, reel_buf *out);

/* ---------------------------------------------------------------- chunks */

/* Timeline types, numbered as the protobuf TimeType enum. */
typedef enum reel_time_type {
    REEL_TIME_SEQUENCE = 1,     /* Arrow int64: frame numbers, ticks */
    REEL_TIME_DURATION_NS = 2,  /* Arrow duration[ns] */
    REEL_TIME_TIMESTAMP_NS = 3, /* Arrow timestamp[ns] (nanoseconds since the Unix epoch) */
} reel_time_type;

/* What a component column is: `component` is its identifier within the entity (e.g.
 * "Points3D:positions"), `archetype` the archetype it was logged with (e.g.
 * "rerun.archetypes.Points3D") and `component_type` its semantic type (e.g.
 * "rerun.components.Position3D"). archetype and component_type may be NULL (unknown). In a
 * chunk the strings are owned by the chunk; in a reel_chunk_cell they are borrowed. */
typedef struct reel_component_descriptor {
    char *archetype;
    char *component;
    char *component_type;
} reel_component_descriptor;

typedef struct reel_chunk_timeline {
    char *name;
    reel_time_type type;
    /* The column's Arrow field as reel_chunk_to_batch writes it: named after the timeline,
     * nullable, metadata rerun:index_name / rerun:is_sorted / rerun:kind plus any unknown
     * keys read with it, sorted by key. */
    reel_arrow_field field;
    reel_arrow_array times; /* row_count int64 values (the field's layout), no nulls */
    bool is_sorted;         /* times are non-decreasing */
    int64_t min, max;       /* over all rows; INT64_MAX and INT64_MIN when there are none */
} reel_chunk_timeline;

typedef struct reel_chunk_component {
    reel_component_descriptor descriptor;
    /* LIST<item: T> named after the component, the inner field in Rerun's canonical form
     * ("item", nullable, no metadata); metadata as written (rerun:archetype, rerun:component,
     * rerun:component_type, rerun:kind plus unknown keys read with it, sorted by key). */
    reel_arrow_field field;
    /* One list per row: null = not logged in this row, [] = cleared, else the instances. */
    reel_arrow_array lists;
} reel_chunk_component;

/* Immutable after creation: read the fields, never write them. Timelines are sorted by name
 * and components by (archetype, component, component_type), absent archetype and
 * component_type first: the order Rerun writes columns in. */
typedef struct reel_chunk {
    reel_tuid id;
    char *entity_path; /* canonical */
    int64_t row_count;
    reel_arrow_array row_ids; /* FixedSizeBinary(16): big-endian TUIDs, no nulls */
    bool row_ids_sorted;      /* row ids are non-decreasing */
    bool is_static;           /* no timelines */
    int32_t n_timelines;
    reel_chunk_timeline *timelines;
    int32_t n_components;
    reel_chunk_component *components;
    /* Schema metadata keys Reel does not interpret, kept in the order read; written back by
     * reel_chunk_to_batch (everything except sorbet:version, rerun:id, rerun:entity_path and
     * the legacy spellings of those). */
    reel_arrow_metadata extra_metadata;
} reel_chunk;

/* NULL-safe; returns chunk. Thread-safe. */
reel_chunk *reel_chunk_retain(reel_chunk *chunk);
/* Drops a reference; the last one frees the chunk (and its references to array buffers).
 * NULL-safe. Thread-safe. */
void reel_chunk_release(reel_chunk *chunk);

/* Row i's RowId (0 <= i < row_count). */
reel_tuid reel_chunk_row_id(const reel_chunk *chunk, int64_t i);
/* The component whose descriptor's `component` equals `component`, or NULL. */
const reel_chunk_component *reel_chunk_find_component(const reel_chunk *chunk,
                                                      const char *component);
/* The timeline named `name`, or NULL. */
const reel_chunk_timeline *reel_chunk_find_timeline(const reel_chunk *chunk, const char *name);
/* The [min, max] of the named timeline's times: false when the chunk has no such timeline
 * or no rows. */
bool reel_chunk_time_range(const reel_chunk *chunk, const char *timeline, int64_t *min,
                           int64_t *max);
/* Heap bytes the chunk references (array buffers as sliced, strings, fields, bookkeeping),
 * for statistics and memory accounting. Buffers shared with other chunks count in each. */
size_t reel_chunk_byte_size(const reel_chunk *chunk);
/* Checks the cheap invariants (O(columns), plus O(rows) for sortedness and time ranges):
 * lengths, layouts, types, orders, flags. REEL_CORRUPT with the rule broken. */
reel_status reel_chunk_validate(const reel_chunk *chunk, reel_error *err);

/* ---------------------------------------------------------------- record batches */

/* Makes a chunk from a record batch (schema = STRUCT field, batch = STRUCT array) following
 * Rerun's reader rules:
 * - the Sorbet version (sorbet:version, else guessed as Rerun does) selects metadata
 *   migrations: rerun.* keys become rerun:* (0.0.2), indicator columns are dropped (0.1.0),
 *   Pose*, Transform3D:axis_length, CoordinateFrame:frame_id (0.1.1) and SeriesVisible
 *   (0.1.2) are renamed; newer versions are read as they are;
 * - column kinds come from rerun:kind: control/row_id, index/time, data/component or none
 *   (= data); anything else is an error. Order: RowId, then indices, then data;
 * - exactly one RowId column: FixedSizeBinary(16) (extension name, if any,
 *   rerun.datatypes.TUID or rerun.encodings.TUID), no nulls;
 * - index columns: int64, duration[ns] or timestamp[ns] (any time zone), named by
 *   rerun:index_name or else the field name, no nulls, no INT64_MIN, names unique;
 * - data columns: lists (anything else is wrapped into one-element lists; the inner field is
 *   normalized to Rerun's canonical "item"); the component from rerun:component or else the
 *   field name, unique; rerun:archetype and rerun:component_type when not empty;
 * - schema metadata rerun:id (or legacy rerun.id; "chunk_" prefix optional) and
 *   rerun:entity_path (normalized; bad escapes are errors) are required;
 * - all columns have the batch's length.
 * Sortedness is computed, not trusted. Chunks without data columns are allowed. The batch
 * must be valid for the schema at REEL_ARROW_VALIDATE_DEFAULT or better (IPC decoding
 * validates); its arrays are shared (retained), not copied. Errors name the column and the
 * rule broken. Borrows schema and batch. */
reel_status reel_chunk_from_batch(const reel_arrow_field *schema, const reel_arrow_array *batch,
                                  reel_chunk **out, reel_error *err);

/* The record batch Rerun writes for this chunk: RowId column "rerun.controls.RowId", then the
 * timelines, then the components, each field's and the schema's metadata sorted by key as
 * arrow-rs writes it; schema metadata sorbet:version (REEL_CHUNK_SORBET_VERSION), rerun:id
 * (chunk_<TUID>), rerun:entity_path, plus extra_metadata. The batch shares the chunk's
 * buffers (zero-copy). The caller resets both outputs (which are overwritten). */
reel_status reel_chunk_to_batch(const reel_chunk *chunk, reel_arrow_field *schema_out,
                                reel_arrow_array *batch_out, reel_error *err);

/* Decides whether a timeline is kept (see reel_chunk_select_timelines). */
typedef bool (*reel_chunk_timeline_filter)(void *ctx, const char *timeline);

/* The chunk narrowed to the timelines `keep` accepts: same id, entity, RowIds, components
 * and rows (shared, zero-copy); the other index columns are left out. *out is a new
 * reference (the chunk itself, retained, when every timeline is kept), or NULL when a
 * temporal chunk keeps no timeline at all (its rows have no time left; they must not turn
 * static). A static chunk is returned as it is. */
reel_status reel_chunk_select_timelines(const reel_chunk *chunk, reel_chunk_timeline_filter keep,
                                        void *ctx, reel_chunk **out, reel_error *err);

/* ---------------------------------------------------------------- building from rows */

/* One time of a row. `name` is borrowed. */
typedef struct reel_chunk_time {
    const char *name;
    reel_time_type type;
    int64_t value; /* not INT64_MIN (reserved for "static") */
} reel_chunk_time;

/* One component of a row: elements [offset, offset + length) of `values`, whose type is
 * `field` (the component's own type, not the list), become the row's list. values == NULL
 * logs nothing for the component in this row (a null list); length 0 logs an empty list
 * (clears it). Everything is borrowed for the duration of the call, except that a large
 * cell whose buffers all have blob owners may be kept by reference (blobs are immutable). */
typedef struct reel_chunk_cell {
    reel_component_descriptor descriptor;
    const reel_arrow_field *field;
    const reel_arrow_array *values;
    int64_t offset;
    int64_t length;
} reel_chunk_cell;

/* Collects rows of one entity and turns them into a chunk (the SDK's batcher uses it). Not
 * thread-safe. */
typedef struct reel_chunk_builder reel_chunk_builder;

/* `entity_path` is normalized (see reel_entity_path_normalize). */
reel_status reel_chunk_builder_create(const char *entity_path, reel_chunk_builder **out,
                                      reel_error *err);
void reel_chunk_builder_destroy(reel_chunk_builder *builder); /* NULL-safe */
int64_t reel_chunk_builder_row_count(const reel_chunk_builder *builder);
/* Appends one row. Every row must have the same set of timelines (names and types); a
 * component may be missing from some rows (it is null there) but must keep its descriptor
 * and element type, and may appear once per row. A row these checks reject
 * (INVALID_ARGUMENT) leaves the builder as it was. When appending fails after the checks (a
 * values array whose layout does not match its field, out of memory, LIMIT) the builder
 * refuses further rows and must be destroyed. */
reel_status reel_chunk_builder_add_row(reel_chunk_builder *builder, reel_tuid row_id,
                                       const reel_chunk_time *times, int32_t n_times,
                                       const reel_chunk_cell *cells, int32_t n_cells,
                                       reel_error *err);
/* Makes a chunk of the rows added so far (a fresh chunk id from reel_tuid_new(); static when
 * the rows have no timelines) and empties the builder for the next rows of the same entity. */
reel_status reel_chunk_builder_finish(reel_chunk_builder *builder, reel_chunk **out,
                                      reel_error *err);

/* ---------------------------------------------------------------- building from columns */

/* One timeline's column: `values` holds one int64 per row (taken over). `name` is borrowed. */
typedef struct reel_chunk_column_time {
    const char *name;
    reel_time_type type;
    reel_buf values;
} reel_chunk_column_time;

/* One component's column of fixed-width instances: `offsets` holds rows + 1 int32 list
 * offsets (the first 0), `values` the `instances` values laid out as instance_field's type
 * (a fixed-width primitive, or a fixed-size list of one: then instances * fixed_size leaf
 * values). No nulls. Buffers are taken over; descriptor and instance_field are borrowed. */
typedef struct reel_chunk_column_component {
    reel_component_descriptor descriptor;
    const reel_arrow_field *instance_field;
    reel_buf offsets;
    reel_buf values;
    int64_t instances;
} reel_chunk_column_component;

/* A chunk of `rows` rows (a fresh chunk id; static when n_times is 0) whose Arrow buffers are
 * the given ones, taken over without copying (on error some may be left: the caller frees
 * them; reel_buf_free is always safe).
 * row_ids holds 16 bytes per row (big-endian TUIDs). Sizes are checked; the values are the
 * caller's responsibility. */
reel_status reel_chunk_from_columns(const char *entity_path, int64_t rows, reel_buf *row_ids,
                                    reel_chunk_column_time *times, int32_t n_times,
                                    reel_chunk_column_component *components, int32_t n_components,
                                    reel_chunk **out, reel_error *err);

#ifdef __cplusplus
}
#endif
#endif
