/* The state of the manifest builder, shared by rrd_manifest.c (collecting one chunk at a
 * time) and rrd_manifest_finish.c (turning it into the manifest's Arrow parts). Private to
 * the rrd module. */
#ifndef REEL_RRD_MANIFEST_STATE_H
#define REEL_RRD_MANIFEST_STATE_H

#include "rrd_internal.h"

enum { COLUMN_ROW_ID = 0, COLUMN_INDEX = 1, COLUMN_COMPONENT = 2 };

typedef struct sorbet_column {
    int kind;
    reel_arrow_field field; /* dataframe name and metadata, without the merged flags */
    bool is_static;         /* any chunk static */
    bool empty;             /* every chunk's list values empty */
    bool tombstone;         /* the Clear:is_recursive component */
} sorbet_column;

typedef struct manifest_row {
    char *entity_path;
    reel_tuid chunk_id;
    bool is_static;
    uint64_t num_rows, offset, size, size_uncompressed;
} manifest_row;

typedef struct manifest_component { /* a component descriptor; NULL parts are absent */
    char *archetype, *component, *component_type;
    reel_vec static_rows; /* int64 rows with has_static_data = true */
} manifest_component;

typedef struct manifest_timeline {
    char *name;
    reel_arrow_type type; /* INT64, TIMESTAMP or DURATION (ns) */
} manifest_timeline;

typedef struct index_entry {
    int64_t row;
    bool has_range;
    int64_t start, end;
    uint64_t num_rows;
} index_entry;

typedef struct index_column { /* component < 0: the chunk-level column of a timeline */
    int32_t timeline, component;
    reel_vec entries; /* index_entry, in row order */
} index_column;

struct reel__rrd_manifest_builder {
    const reel_allocator *alloc;
    reel_store_id store_id;
    reel_vec rows, sorbet, components, timelines, indexes;
    reel_map sorbet_by_name, component_by_key, timeline_by_name, index_by_key;
};

#endif
