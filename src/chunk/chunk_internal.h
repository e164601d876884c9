/* Private to the chunk module: how chunks are allocated and sealed (canonical fields, orders,
 * sortedness), the metadata helpers the reader, writer and builder share, the Sorbet
 * migrations and the Unicode table of entity path escaping. Nothing outside src/chunk
 * includes it. */
#ifndef REEL_CHUNK_INTERNAL_H
#define REEL_CHUNK_INTERNAL_H

#include "chunk/chunk.h"

/* Rust's char::is_alphanumeric() (entity_path_alnum.c, generated). */
bool reel__chunk_is_alphanumeric(uint32_t cp);

/* A zeroed chunk with one reference, or NULL when out of memory. */
reel_chunk *reel__chunk_alloc(void);

/* Finishes a chunk whose id, entity_path, row_count, row_ids, timelines (name, type, times;
 * field.metadata may hold extra keys to keep) and components (descriptor; field = the list
 * field as read, whose metadata may hold extra keys to keep) are filled: computes the
 * sortedness flags and time ranges, rewrites every field into the canonical form Rerun
 * writes and sorts timelines and components into Rerun's column order. */
reel_status reel__chunk_seal(reel_chunk *chunk, reel_error *err);

/* Replaces md with its entries sorted by key (byte-wise, as arrow-rs writes them). */
void reel__chunk_metadata_sort(reel_arrow_metadata *md);

/* Rerun's descriptor order: archetype, component, component_type; NULL sorts first. */
int reel__chunk_descriptor_compare(const reel_component_descriptor *a,
                                   const reel_component_descriptor *b);

/* One column of a batch being read, with the metadata the migrations rewrite. */
typedef struct reel__chunk_column {
    char *name;                   /* owned; migrations may rename */
    reel_arrow_metadata metadata; /* owned working copy of the field metadata */
    int32_t index;                /* the column in the input batch */
    bool dropped;                 /* removed by a migration */
} reel__chunk_column;

/* Sorbet versions as (major << 32 | minor << 16 | patch). */
#define REEL__SORBET_VERSION(major, minor, patch)                                                  \
    (((uint64_t)(major) << 32) | ((uint64_t)(minor) << 16) | (uint64_t)(patch))

/* The version of a batch: parsed from sorbet:version ("X.Y.Z", a pre-release or build
 * suffix ignored), or guessed from the keys as Rerun does when it is missing. An unparsable
 * version is logged and read as the current one (Rerun then skips the migrations too). */
uint64_t reel__chunk_sorbet_version(const reel_arrow_metadata *schema_md);

/* Applies the metadata migrations from `version` to the current one, in place, on the
 * schema metadata and the columns (which may be renamed or dropped). */
reel_status reel__chunk_migrate(uint64_t version, reel_arrow_metadata *schema_md,
                                reel__chunk_column *columns, int32_t n_columns);

#endif
