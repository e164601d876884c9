/* Narrowing a chunk to some of its timelines (for `reel rrd filter`): the RowIds, the
 * components and the rows stay as they are and are shared, not copied; only the index
 * columns that the caller does not keep are left out. Works through the record-batch form
 * so the result passes the same reader rules as any decoded chunk. */
#include <string.h>

#include "chunk/chunk.h"

/* Appends a deep copy of `src` as the next child of `parent`. */
static reel_status add_child_copy(reel_arrow_field *parent, const reel_arrow_field *src)
{
    reel_arrow_field *child = NULL;
    REEL_TRY(reel_arrow_field_add_child(parent, "", REEL_ARROW_NULL_TYPE, true, &child));
    reel_arrow_field_reset(child);
    return reel_arrow_field_copy(child, src, parent->alloc);
}

static reel_status select_columns(const reel_chunk *chunk, const reel_arrow_field *schema,
                                  const reel_arrow_array *batch, const bool *keep_column,
                                  reel_chunk **out, reel_error *err)
{
    reel_arrow_field narrow_schema = {0};
    reel_arrow_array narrow_batch = {0};
    reel_status status =
        reel_arrow_field_init(&narrow_schema, "", REEL_ARROW_STRUCT, false, NULL);
    for (int32_t i = 0; status == REEL_OK && i < schema->metadata.count; i++)
        status = reel_arrow_metadata_set(&narrow_schema.metadata, NULL,
                                         schema->metadata.items[i].key,
                                         schema->metadata.items[i].value);
    int32_t kept = 0;
    for (int32_t i = 0; i < schema->n_children; i++)
        kept += keep_column[i];
    if (status == REEL_OK) {
        narrow_batch.length = chunk->row_count;
        narrow_batch.n_buffers = 1; /* a struct's validity: absent */
        narrow_batch.children = reel_alloc_zeroed(NULL, (size_t)kept * sizeof(reel_arrow_array));
        if (narrow_batch.children == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        else
            narrow_batch.n_children = kept;
    }
    for (int32_t i = 0, k = 0; status == REEL_OK && i < schema->n_children; i++) {
        if (!keep_column[i])
            continue;
        status = add_child_copy(&narrow_schema, &schema->children[i]);
        if (status == REEL_OK)
            status = reel_arrow_array_share(&narrow_batch.children[k++], &batch->children[i]);
    }
    if (status == REEL_OK)
        status = reel_chunk_from_batch(&narrow_schema, &narrow_batch, out, err);
    else if (err != NULL && err->status == REEL_OK)
        reel_error_set(err, status, "%s: cannot narrow chunk: %s", chunk->entity_path,
                       reel_status_text(status));
    reel_arrow_field_reset(&narrow_schema);
    reel_arrow_array_reset(&narrow_batch);
    return status;
}

reel_status reel_chunk_select_timelines(const reel_chunk *chunk, reel_chunk_timeline_filter keep,
                                        void *ctx, reel_chunk **out, reel_error *err)
{
    *out = NULL;
    int32_t kept_timelines = 0;
    for (int32_t i = 0; i < chunk->n_timelines; i++)
        kept_timelines += keep(ctx, chunk->timelines[i].name);
    if (kept_timelines == chunk->n_timelines) {
        *out = reel_chunk_retain((reel_chunk *)chunk);
        return REEL_OK;
    }
    if (kept_timelines == 0)
        return REEL_OK; /* no time left for these rows on the kept timelines */

    reel_arrow_field schema = {0};
    reel_arrow_array batch = {0};
    REEL_TRY(reel_chunk_to_batch(chunk, &schema, &batch, err));
    bool *keep_column = reel_alloc_zeroed(NULL, (size_t)schema.n_children * sizeof(bool));
    reel_status status = REEL_OK;
    if (keep_column == NULL) {
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    } else {
        /* Column order: RowId, the timelines in chunk order, then the components. */
        for (int32_t i = 0; i < schema.n_children; i++) {
            bool is_timeline = i >= 1 && i <= chunk->n_timelines;
            keep_column[i] = !is_timeline || keep(ctx, chunk->timelines[i - 1].name);
        }
        status = select_columns(chunk, &schema, &batch, keep_column, out, err);
        reel_free(NULL, keep_column, (size_t)schema.n_children * sizeof(bool));
    }
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
    return status;
}
