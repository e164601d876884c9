/* Making new chunks out of held ones, for compaction (Rerun's Chunk::concat_and_sort, for a
 * group of chunks: their rows, the chunk with the smallest RowIds first, then sorted by RowId if
 * they overlap) and splitting (a deep copy of a row range, so that collecting one piece frees
 * its memory). Columns are concatenated or copied with the Arrow builders straight from the
 * chunks' arrays, components missing from a chunk become null lists, and the chunk module's
 * reel_chunk_from_batch seals the result with a fresh chunk id. */
#include <stdlib.h>

#include "store/store_internal.h"

/* A schema and batch being assembled column by column. */
typedef struct assembly {
    reel_arrow_field schema;
    reel_arrow_array batch; /* its children array always has exactly n_children entries */
} assembly;

static void assembly_reset(assembly *a)
{
    reel_arrow_field_reset(&a->schema);
    reel_arrow_array_reset(&a->batch);
}

/* Starts from a copy of `like`'s schema metadata with a new chunk id. */
static reel_status assembly_init(assembly *a, const reel_arrow_field *like, int64_t rows)
{
    memset(a, 0, sizeof *a);
    REEL_TRY(reel_arrow_field_init(&a->schema, "", REEL_ARROW_STRUCT, false, NULL));
    for (int32_t i = 0; i < like->metadata.count; i++)
        REEL_TRY(reel_arrow_metadata_set(&a->schema.metadata, NULL, like->metadata.items[i].key,
                                         like->metadata.items[i].value));
    char id[64];
    reel_tuid_format(reel_tuid_new(), "chunk_", id, sizeof id);
    REEL_TRY(reel_arrow_metadata_set(&a->schema.metadata, NULL, "rerun:id", id));
    a->batch.length = rows;
    a->batch.n_buffers = 1;
    return REEL_OK;
}

/* Appends a column: the field is copied, the array moved (left empty). */
static reel_status assembly_add(assembly *a, const reel_arrow_field *field, reel_arrow_array *array)
{
    reel_arrow_field *child;
    REEL_TRY(reel_arrow_field_add_child(&a->schema, "", REEL_ARROW_NULL_TYPE, true, &child));
    reel_arrow_field_reset(child);
    REEL_TRY(reel_arrow_field_copy(child, field, NULL));
    size_t n = (size_t)a->batch.n_children;
    reel_arrow_array *grown =
        reel_realloc(NULL, a->batch.children, n * sizeof *grown, (n + 1) * sizeof *grown);
    if (grown == NULL)
        return REEL_OUT_OF_MEMORY;
    a->batch.children = grown;
    a->batch.children[a->batch.n_children++] = *array;
    memset(array, 0, sizeof *array);
    return REEL_OK;
}

static reel_status assembly_finish(assembly *a, reel_chunk **out, reel_error *err)
{
    return reel_chunk_from_batch(&a->schema, &a->batch, out, err);
}

/* ---------------------------------------------------------------- column operations */

static reel_status null_lists(const reel_arrow_field *field, int64_t n, reel_arrow_array *out)
{
    reel_arrow_builder *b = NULL;
    reel_status status = reel_arrow_builder_create(field, NULL, &b, NULL);
    if (status == REEL_OK)
        status = reel_arrow_builder_append_null(b, n);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, NULL);
    reel_arrow_builder_destroy(b);
    return status;
}

/* Copies src's elements in the order of `rows` (runs of consecutive rows copied at once). */
static reel_status take(const reel_arrow_field *field, const reel_arrow_array *src,
                        const int64_t *rows, int64_t n, reel_arrow_array *out, reel_error *err)
{
    reel_arrow_builder *b = NULL;
    reel_status status = reel_arrow_builder_create(field, NULL, &b, err);
    if (status == REEL_OK)
        status = reel_arrow_builder_reserve(b, n);
    for (int64_t i = 0; i < n && status == REEL_OK;) {
        int64_t run = 1;
        while (i + run < n && rows[i + run] == rows[i] + run)
            run++;
        status = reel_arrow_builder_append_array(b, src, rows[i], run, err);
        i += run;
    }
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, err);
    reel_arrow_builder_destroy(b);
    return status;
}

static reel_status copy_range(const reel_arrow_field *field, const reel_arrow_array *src,
                              int64_t start, int64_t count, reel_arrow_array *out, reel_error *err)
{
    reel_arrow_builder *b = NULL;
    reel_status status = reel_arrow_builder_create(field, NULL, &b, err);
    if (status == REEL_OK)
        status = reel_arrow_builder_append_array(b, src, start, count, err);
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(b, out, err);
    reel_arrow_builder_destroy(b);
    return status;
}

/* ---------------------------------------------------------------- merging */

static void sort_by_row_id(const uint8_t *ids, int64_t *rows, int64_t *scratch, int64_t n)
{
    int64_t *src = rows, *dst = scratch;
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] =
                    memcmp(ids + src[j] * 16, ids + src[i] * 16, 16) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        int64_t *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != rows)
        memcpy(rows, src, (size_t)n * sizeof *rows);
}

/* Reorders every column of the assembled batch by RowId when it is not already sorted. */
static reel_status sort_assembly(assembly *a, reel_error *err)
{
    reel_arrow_array *ids_array = &a->batch.children[0];
    const uint8_t *ids = ids_array->buffers[1].data + ids_array->offset * 16;
    int64_t n = a->batch.length;
    bool sorted = true;
    for (int64_t i = 1; i < n && sorted; i++)
        sorted = memcmp(ids + (i - 1) * 16, ids + i * 16, 16) <= 0;
    if (sorted)
        return REEL_OK;
    int64_t *rows = malloc((size_t)n * sizeof *rows);
    int64_t *scratch = malloc((size_t)n * sizeof *scratch);
    reel_status status = rows != NULL && scratch != NULL ? REEL_OK : REEL_OUT_OF_MEMORY;
    if (status == REEL_OK) {
        for (int64_t i = 0; i < n; i++)
            rows[i] = i;
        sort_by_row_id(ids, rows, scratch, n);
    }
    for (int32_t c = 0; c < a->batch.n_children && status == REEL_OK; c++) {
        reel_arrow_array sorted_column = {0};
        status = take(&a->schema.children[c], &a->batch.children[c], rows, n, &sorted_column, err);
        if (status == REEL_OK) {
            reel_arrow_array_reset(&a->batch.children[c]);
            a->batch.children[c] = sorted_column;
        }
    }
    free(rows);
    free(scratch);
    return status;
}

static reel_tuid min_row_id(const reel_chunk *chunk)
{
    reel_tuid min = reel_chunk_row_id(chunk, 0);
    for (int64_t i = 1; i < chunk->row_count && !chunk->row_ids_sorted; i++) {
        reel_tuid t = reel_chunk_row_id(chunk, i);
        min = reel_tuid_compare(t, min) < 0 ? t : min;
    }
    return min;
}

/* Concatenates one column over all chunks: `arrays[i]` is chunk i's part (NULL: null lists of
 * that chunk's length, for a component it lacks). */
static reel_status concat_column(assembly *a, const reel_arrow_field *field,
                                 const reel_chunk *const *chunks, size_t n,
                                 const reel_arrow_array *const *arrays, reel_error *err)
{
    reel_arrow_array *parts = calloc(n, sizeof *parts);
    bool *owned = calloc(n, sizeof *owned);
    reel_arrow_array column = {0};
    reel_status status = parts != NULL && owned != NULL ? REEL_OK : REEL_OUT_OF_MEMORY;
    for (size_t i = 0; i < n && status == REEL_OK; i++) {
        if (arrays[i] != NULL) {
            parts[i] = *arrays[i]; /* shallow: read only */
        } else {
            status = null_lists(field, chunks[i]->row_count, &parts[i]);
            owned[i] = status == REEL_OK;
        }
    }
    if (status == REEL_OK)
        status = reel_arrow_concat(field, parts, (int64_t)n, NULL, &column, err);
    if (status == REEL_OK)
        status = assembly_add(a, field, &column);
    reel_arrow_array_reset(&column);
    for (size_t i = 0; parts != NULL && owned != NULL && i < n; i++) {
        if (owned[i])
            reel_arrow_array_reset(&parts[i]);
    }
    free(parts);
    free(owned);
    return status;
}

/* Builds the merged batch: RowIds, the timelines of the first chunk (all chunks have the same),
 * then every component any chunk has, in order of first appearance. */
static reel_status merge_columns(assembly *a, const reel_arrow_field *schema,
                                 const reel_chunk *const *chunks, size_t n, reel_error *err)
{
    const reel_arrow_array **arrays = calloc(n, sizeof *arrays);
    if (arrays == NULL)
        return REEL_OUT_OF_MEMORY;
    reel_status status = REEL_OK;
    for (size_t i = 0; i < n; i++)
        arrays[i] = &chunks[i]->row_ids;
    status = concat_column(a, &schema->children[0], chunks, n, arrays, err);
    for (int32_t k = 0; k < chunks[0]->n_timelines && status == REEL_OK; k++) {
        const reel_chunk_timeline *t = &chunks[0]->timelines[k];
        for (size_t i = 0; i < n && status == REEL_OK; i++) {
            const reel_chunk_timeline *other = reel_chunk_find_timeline(chunks[i], t->name);
            if (other == NULL)
                status = reel_error_set(err, REEL_INTERNAL,
                                        "store: merging chunks with "
                                        "different timelines");
            else
                arrays[i] = &other->times;
        }
        if (status == REEL_OK)
            status = concat_column(a, &t->field, chunks, n, arrays, err);
    }
    for (size_t first = 0; first < n && status == REEL_OK; first++) {
        for (int32_t j = 0; j < chunks[first]->n_components && status == REEL_OK; j++) {
            const reel_chunk_component *c = &chunks[first]->components[j];
            bool seen = false;
            for (size_t i = 0; i < first && !seen; i++)
                seen = reel_chunk_find_component(chunks[i], c->descriptor.component) != NULL;
            if (seen)
                continue;
            for (size_t i = 0; i < n; i++) {
                const reel_chunk_component *other =
                    i == first ? c : reel_chunk_find_component(chunks[i], c->descriptor.component);
                arrays[i] = other != NULL ? &other->lists : NULL;
            }
            status = concat_column(a, &c->field, chunks, n, arrays, err);
        }
    }
    free(arrays);
    return status;
}

reel_status reel__store_merge_many(const reel_chunk *const *chunks, size_t n, reel_chunk **out,
                                   reel_error *err)
{
    /* Order by smallest RowId (Rerun's concat_and_sort puts the older chunk first). */
    const reel_chunk **ordered = malloc(n * sizeof *ordered);
    reel_tuid *mins = malloc(n * sizeof *mins);
    if (ordered == NULL || mins == NULL) {
        free(ordered);
        free(mins);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "store: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        reel_tuid min = min_row_id(chunks[i]);
        size_t pos = i;
        while (pos > 0 && reel_tuid_compare(mins[pos - 1], min) > 0) {
            mins[pos] = mins[pos - 1];
            ordered[pos] = ordered[pos - 1];
            pos--;
        }
        mins[pos] = min;
        ordered[pos] = chunks[i];
    }
    free(mins);
    /* The schema (RowId field, schema metadata) of the first chunk; columns come from the
     * chunks themselves. */
    reel_arrow_field schema;
    reel_arrow_array template_batch;
    assembly a = {0};
    int64_t rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += ordered[i]->row_count;
    reel_status status = reel_chunk_to_batch(ordered[0], &schema, &template_batch, err);
    if (status == REEL_OK) {
        reel_arrow_array_reset(&template_batch);
        status = assembly_init(&a, &schema, rows);
        if (status == REEL_OK)
            status = merge_columns(&a, &schema, ordered, n, err);
        if (status == REEL_OK)
            status = sort_assembly(&a, err);
        if (status == REEL_OK)
            status = assembly_finish(&a, out, err);
        reel_arrow_field_reset(&schema);
    }
    assembly_reset(&a);
    free(ordered);
    if (status == REEL_OUT_OF_MEMORY)
        reel_error_set(err, status, "store: out of memory while compacting");
    return status;
}

reel_status reel__store_slice(const reel_chunk *chunk, int64_t start, int64_t count,
                              reel_chunk **out, reel_error *err)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    assembly a = {0};
    REEL_TRY(reel_chunk_to_batch(chunk, &schema, &batch, err));
    reel_status status = assembly_init(&a, &schema, count);
    for (int32_t c = 0; c < schema.n_children && status == REEL_OK; c++) {
        reel_arrow_array column = {0};
        status = copy_range(&schema.children[c], &batch.children[c], start, count, &column, err);
        if (status == REEL_OK)
            status = assembly_add(&a, &schema.children[c], &column);
        reel_arrow_array_reset(&column);
    }
    if (status == REEL_OK)
        status = assembly_finish(&a, out, err);
    assembly_reset(&a);
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
    return status;
}
