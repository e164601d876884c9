/* Writing a chunk as the record batch Rerun 0.41 writes: RowId column, timelines, components
 * (already in Rerun's order and canonical form in the chunk), every metadata map sorted by
 * key as arrow-rs's IPC writer emits them. The batch's arrays share the chunk's buffers. */
#include <string.h>

#include "chunk/chunk_internal.h"

/* Appends a deep copy of `src` as the next column of the schema. */
static reel_status add_column(reel_arrow_field *schema, const reel_arrow_field *src)
{
    reel_arrow_field *child;
    REEL_TRY(reel_arrow_field_add_child(schema, "", REEL_ARROW_NULL_TYPE, true, &child));
    reel_arrow_field_reset(child);
    return reel_arrow_field_copy(child, src, NULL);
}

static reel_status build_schema(const reel_chunk *chunk, reel_arrow_field *schema)
{
    REEL_TRY(reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL));
    reel_arrow_field *row_id;
    REEL_TRY(reel_arrow_field_add_child(schema, "rerun.controls.RowId",
                                        REEL_ARROW_FIXED_SIZE_BINARY, false, &row_id));
    row_id->fixed_size = 16;
    reel_arrow_metadata *md = &row_id->metadata;
    REEL_TRY(
        reel_arrow_metadata_set(md, NULL, "ARROW:extension:metadata", "{\"namespace\":\"row\"}"));
    REEL_TRY(reel_arrow_metadata_set(md, NULL, "ARROW:extension:name", "rerun.datatypes.TUID"));
    if (chunk->row_ids_sorted)
        REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:is_sorted", "true"));
    REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:kind", "control"));
    for (int32_t i = 0; i < chunk->n_timelines; i++)
        REEL_TRY(add_column(schema, &chunk->timelines[i].field));
    for (int32_t i = 0; i < chunk->n_components; i++)
        REEL_TRY(add_column(schema, &chunk->components[i].field));

    char id[48];
    reel_tuid_format(chunk->id, "chunk_", id, sizeof id);
    md = &schema->metadata;
    for (int32_t i = 0; i < chunk->extra_metadata.count; i++)
        REEL_TRY(reel_arrow_metadata_set(md, NULL, chunk->extra_metadata.items[i].key,
                                         chunk->extra_metadata.items[i].value));
    REEL_TRY(reel_arrow_metadata_set(md, NULL, "sorbet:version", REEL_CHUNK_SORBET_VERSION));
    REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:id", id));
    REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:entity_path", chunk->entity_path));
    reel__chunk_metadata_sort(md);
    return REEL_OK;
}

static reel_status build_batch(const reel_chunk *chunk, reel_arrow_array *batch)
{
    int32_t n = 1 + chunk->n_timelines + chunk->n_components;
    batch->length = chunk->row_count;
    batch->n_buffers = 1; /* a struct's validity: absent */
    batch->children = reel_alloc_zeroed(NULL, (size_t)n * sizeof *batch->children);
    if (batch->children == NULL)
        return REEL_OUT_OF_MEMORY;
    batch->n_children = n;
    REEL_TRY(reel_arrow_array_share(&batch->children[0], &chunk->row_ids));
    for (int32_t i = 0; i < chunk->n_timelines; i++)
        REEL_TRY(reel_arrow_array_share(&batch->children[1 + i], &chunk->timelines[i].times));
    for (int32_t i = 0; i < chunk->n_components; i++)
        REEL_TRY(reel_arrow_array_share(&batch->children[1 + chunk->n_timelines + i],
                                        &chunk->components[i].lists));
    return REEL_OK;
}

reel_status reel_chunk_to_batch(const reel_chunk *chunk, reel_arrow_field *schema_out,
                                reel_arrow_array *batch_out, reel_error *err)
{
    memset(schema_out, 0, sizeof *schema_out);
    memset(batch_out, 0, sizeof *batch_out);
    reel_status status = build_schema(chunk, schema_out);
    if (status == REEL_OK)
        status = build_batch(chunk, batch_out);
    if (status != REEL_OK) {
        reel_arrow_field_reset(schema_out);
        reel_arrow_array_reset(batch_out);
        return reel_error_set(err, status, "chunk %s: out of memory while writing its batch",
                              chunk->entity_path);
    }
    return REEL_OK;
}
