/* Reading a chunk from an Arrow record batch with Rerun's reader rules (rrd-format.md §5 and
 * re_sorbet/re_chunk): the Sorbet migrations run on working copies of the metadata, then
 * the column kinds, order, types and lengths are checked and the arrays are shared into the
 * chunk without copying (non-list data columns get a new offsets buffer around the same
 * values). Every error names the chunk's entity and the column and says which rule broke. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chunk/chunk_internal.h"

typedef enum column_kind {
    COLUMN_ROW_ID,
    COLUMN_INDEX,
    COLUMN_DATA,
} column_kind;

typedef struct reader {
    const reel_arrow_field *schema;
    const reel_arrow_array *batch;
    reel_arrow_metadata schema_md; /* working copy, migrated */
    reel__chunk_column *cols;      /* working copies of names and metadata, migrated */
    int32_t n_cols;
    reel_chunk *chunk;
    reel_error *err;
} reader;

static reel_status fail(reader *r, reel_status status, const reel__chunk_column *col,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static reel_status fail(reader *r, reel_status status, const reel__chunk_column *col,
                        const char *fmt, ...)
{
    char what[320];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    const char *entity = r->chunk != NULL ? r->chunk->entity_path : NULL;
    char where[200] = "";
    if (col != NULL)
        snprintf(where, sizeof where, "column '%.120s': ", col->name);
    return reel_error_set(r->err, status, "chunk%s%.120s: %s%s", entity ? " " : "",
                          entity ? entity : "", where, what);
}

static reel_status oom(reader *r)
{
    return fail(r, REEL_OUT_OF_MEMORY, NULL, "out of memory");
}

static const reel_arrow_field *field_of(const reader *r, const reel__chunk_column *col)
{
    return &r->schema->children[col->index];
}

static const char *type_string(const reel_arrow_field *field, char *text, size_t size)
{
    reel_buf buf = {0};
    if (reel_arrow_type_format(field, &buf) == REEL_OK && reel_buf_append_u8(&buf, 0) == REEL_OK)
        snprintf(text, size, "%s", (const char *)buf.data);
    else
        snprintf(text, size, "%s", reel_arrow_type_name(field->type));
    reel_buf_free(&buf);
    return text;
}

/* ---------------------------------------------------------------- schema-level metadata */

static reel_status load_working_copies(reader *r)
{
    for (int32_t i = 0; i < r->schema->metadata.count; i++) {
        const reel_arrow_kv *kv = &r->schema->metadata.items[i];
        if (reel_arrow_metadata_set(&r->schema_md, NULL, kv->key, kv->value) != REEL_OK)
            return oom(r);
    }
    r->n_cols = r->schema->n_children;
    r->cols = reel_alloc_zeroed(NULL, (size_t)r->n_cols * sizeof *r->cols);
    if (r->cols == NULL && r->n_cols > 0)
        return oom(r);
    for (int32_t c = 0; c < r->n_cols; c++) {
        const reel_arrow_field *f = &r->schema->children[c];
        r->cols[c].index = c;
        r->cols[c].name = reel_strdup(NULL, f->name != NULL ? f->name : "");
        if (r->cols[c].name == NULL)
            return oom(r);
        for (int32_t i = 0; i < f->metadata.count; i++) {
            const reel_arrow_kv *kv = &f->metadata.items[i];
            if (reel_arrow_metadata_set(&r->cols[c].metadata, NULL, kv->key, kv->value) != REEL_OK)
                return oom(r);
        }
    }
    return REEL_OK;
}

static const char *either(const reel_arrow_metadata *md, const char *key, const char *legacy)
{
    const char *value = reel_arrow_metadata_get(md, key);
    return value != NULL ? value : reel_arrow_metadata_get(md, legacy);
}

static reel_status read_schema_metadata(reader *r)
{
    reel_chunk *chunk = r->chunk;
    const char *id = either(&r->schema_md, "rerun:id", "rerun.id");
    const char *path = either(&r->schema_md, "rerun:entity_path", "rerun.entity_path");
    if (id == NULL)
        return fail(r, REEL_CORRUPT, NULL, "schema metadata lacks rerun:id (the chunk id)");
    if (path == NULL)
        return fail(r, REEL_CORRUPT, NULL, "schema metadata lacks rerun:entity_path");
    reel_error inner = {0};
    if (reel_tuid_parse(id, strlen(id), &chunk->id, &inner) != REEL_OK)
        return fail(r, REEL_CORRUPT, NULL, "rerun:id '%.100s' is not a chunk id: %s", id,
                    inner.message);
    reel_buf canonical = {0};
    reel_status status = reel_entity_path_normalize(path, strlen(path), &canonical, &inner);
    if (status == REEL_OK) {
        chunk->entity_path = reel_strdup(NULL, (const char *)canonical.data);
        status = chunk->entity_path != NULL ? REEL_OK : REEL_OUT_OF_MEMORY;
    }
    reel_buf_free(&canonical);
    if (status != REEL_OK)
        return status == REEL_OUT_OF_MEMORY
                   ? oom(r)
                   : fail(r, REEL_CORRUPT, NULL, "rerun:entity_path: %s", inner.message);
    static const char *const interpreted[] = {
        "sorbet:version",    "rerun:id",      "rerun.id",     "rerun:entity_path",
        "rerun.entity_path", "rerun:version", "rerun.version"};
    for (int32_t i = 0; i < r->schema_md.count; i++) {
        const reel_arrow_kv *kv = &r->schema_md.items[i];
        bool known = false;
        for (size_t k = 0; k < sizeof interpreted / sizeof interpreted[0]; k++)
            known = known || strcmp(kv->key, interpreted[k]) == 0;
        if (!known &&
            reel_arrow_metadata_set(&chunk->extra_metadata, NULL, kv->key, kv->value) != REEL_OK)
            return oom(r);
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- columns */

static reel_status column_kind_of(reader *r, const reel__chunk_column *col, column_kind *kind)
{
    const char *value = reel_arrow_metadata_get(&col->metadata, "rerun:kind");
    if (value == NULL || strcmp(value, "data") == 0 || strcmp(value, "component") == 0)
        *kind = COLUMN_DATA;
    else if (strcmp(value, "control") == 0 || strcmp(value, "row_id") == 0)
        *kind = COLUMN_ROW_ID;
    else if (strcmp(value, "index") == 0 || strcmp(value, "time") == 0)
        *kind = COLUMN_INDEX;
    else
        return fail(r, REEL_CORRUPT, col,
                    "unknown rerun:kind '%.60s' (expected control, index or data)", value);
    return REEL_OK;
}

/* The column's rows as a view of the batch's child (shared, not copied). */
static reel_status column_view(reader *r, const reel__chunk_column *col, reel_arrow_array *out)
{
    const reel_arrow_array *a = &r->batch->children[col->index];
    if (a->length - r->batch->offset != r->batch->length)
        return fail(r, REEL_CORRUPT, col,
                    "has %lld rows, the batch has %lld (all columns must "
                    "have the same length)",
                    (long long)(a->length - r->batch->offset), (long long)r->batch->length);
    if (reel_arrow_array_slice(out, field_of(r, col), a, r->batch->offset, r->batch->length,
                               NULL) != REEL_OK)
        return oom(r);
    return REEL_OK;
}

static int64_t nulls_in(const reel_arrow_array *a)
{
    return reel_arrow_count_nulls(&a->buffers[0], a->offset, a->length);
}

static reel_status read_row_ids(reader *r, const reel__chunk_column *col)
{
    const reel_arrow_field *f = field_of(r, col);
    char type[160];
    if (f->type != REEL_ARROW_FIXED_SIZE_BINARY || f->fixed_size != 16)
        return fail(r, REEL_CORRUPT, col, "the RowId column must be fixed_size_binary[16], not %s",
                    type_string(f, type, sizeof type));
    const char *extension = reel_arrow_metadata_get(&col->metadata, "ARROW:extension:name");
    if (extension != NULL && strcmp(extension, "rerun.datatypes.TUID") != 0 &&
        strcmp(extension, "rerun.encodings.TUID") != 0)
        return fail(r, REEL_UNSUPPORTED, col,
                    "RowId extension type '%.60s' (expected rerun.datatypes.TUID or "
                    "rerun.encodings.TUID)",
                    extension);
    REEL_TRY(column_view(r, col, &r->chunk->row_ids));
    int64_t nulls = nulls_in(&r->chunk->row_ids);
    if (nulls > 0)
        return fail(r, REEL_CORRUPT, col, "the RowId column holds %lld nulls", (long long)nulls);
    return REEL_OK;
}

static reel_status read_index(reader *r, reel__chunk_column *col, int32_t slot)
{
    const reel_arrow_field *f = field_of(r, col);
    reel_chunk_timeline *t = &r->chunk->timelines[slot];
    const char *name = reel_arrow_metadata_get(&col->metadata, "rerun:index_name");
    if (name == NULL)
        name = col->name;
    if (name[0] == '\0')
        return fail(r, REEL_CORRUPT, col, "index column without a timeline name");
    char type[160];
    if (f->type == REEL_ARROW_INT64)
        t->type = REEL_TIME_SEQUENCE;
    else if (f->type == REEL_ARROW_DURATION && f->unit == REEL_ARROW_NANO)
        t->type = REEL_TIME_DURATION_NS;
    else if (f->type == REEL_ARROW_TIMESTAMP && f->unit == REEL_ARROW_NANO)
        t->type = REEL_TIME_TIMESTAMP_NS;
    else
        return fail(r, REEL_UNSUPPORTED, col,
                    "unsupported time type %s (expected int64, duration[ns] or timestamp[ns])",
                    type_string(f, type, sizeof type));
    for (int32_t i = 0; i < slot; i++) {
        if (strcmp(r->chunk->timelines[i].name, name) == 0)
            return fail(r, REEL_CORRUPT, col, "timeline '%.100s' appears twice", name);
    }
    t->name = reel_strdup(NULL, name);
    if (t->name == NULL)
        return oom(r);
    REEL_TRY(column_view(r, col, &t->times));
    int64_t nulls = nulls_in(&t->times);
    if (nulls > 0)
        return fail(r, REEL_CORRUPT, col, "index column holds %lld nulls", (long long)nulls);
    for (int64_t i = 0; i < t->times.length; i++) {
        int64_t v;
        memcpy(&v, t->times.buffers[1].data + (t->times.offset + i) * 8, 8);
        if (v == INT64_MIN)
            return fail(r, REEL_CORRUPT, col,
                        "row %lld holds INT64_MIN, which is reserved for static data",
                        (long long)i);
    }
    /* Only the metadata matters: seal rebuilds the field and keeps the unknown keys. */
    t->field.metadata = col->metadata;
    col->metadata = (reel_arrow_metadata){0};
    return REEL_OK;
}

static void copy_bits(uint8_t *dst, const uint8_t *src, int64_t src_offset, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        if ((src[(src_offset + i) >> 3] >> ((src_offset + i) & 7)) & 1)
            dst[i >> 3] |= (uint8_t)(1u << (i & 7));
    }
}

/* Rerun's make_list_arrays: every row becomes a one-element list of the column's value, a
 * null row a null list. The values are shared; only offsets (and validity) are new. */
static reel_status wrap_in_lists(const reel_arrow_field *f, const reel_arrow_array *values,
                                 reel_arrow_array *out)
{
    int64_t n = values->length;
    if (n > INT32_MAX)
        return REEL_LIMIT;
    uint8_t *offsets, *bits = NULL;
    reel_blob *offsets_blob = reel_blob_create(NULL, (size_t)(n + 1) * 4, &offsets);
    if (offsets_blob == NULL)
        return REEL_OUT_OF_MEMORY;
    for (int32_t i = 0; i <= (int32_t)n; i++)
        memcpy(offsets + (size_t)i * 4, &i, 4);
    bool has_validity = f->type != REEL_ARROW_NULL_TYPE && f->type != REEL_ARROW_SPARSE_UNION &&
                        f->type != REEL_ARROW_DENSE_UNION;
    int64_t nulls = has_validity ? nulls_in(values) : 0;
    reel_blob *bits_blob = NULL;
    if (nulls > 0) {
        bits_blob = reel_blob_create(NULL, (size_t)(n + 7) / 8, &bits);
        if (bits_blob == NULL) {
            reel_blob_release(offsets_blob);
            return REEL_OUT_OF_MEMORY;
        }
        memset(bits, 0, (size_t)(n + 7) / 8);
        copy_bits(bits, values->buffers[0].data, values->offset, n);
    }
    memset(out, 0, sizeof *out);
    out->length = n;
    out->null_count = nulls;
    out->n_buffers = 2;
    if (bits_blob != NULL)
        out->buffers[0] = (reel_arrow_buffer){bits, (int64_t)reel_blob_len(bits_blob), bits_blob};
    out->buffers[1] = (reel_arrow_buffer){offsets, (n + 1) * 4, offsets_blob};
    out->children = reel_alloc_zeroed(NULL, sizeof *out->children);
    if (out->children == NULL || reel_arrow_array_share(&out->children[0], values) != REEL_OK) {
        reel_arrow_array_reset(out);
        return REEL_OUT_OF_MEMORY;
    }
    out->n_children = 1;
    return REEL_OK;
}

static reel_status read_data(reader *r, reel__chunk_column *col, int32_t slot)
{
    const reel_arrow_field *f = field_of(r, col);
    reel_chunk_component *c = &r->chunk->components[slot];
    const char *component = reel_arrow_metadata_get(&col->metadata, "rerun:component");
    if (component == NULL || component[0] == '\0')
        component = col->name;
    if (component[0] == '\0')
        return fail(r, REEL_CORRUPT, col, "data column without rerun:component or a field name");
    for (int32_t i = 0; i < slot; i++) {
        if (strcmp(r->chunk->components[i].descriptor.component, component) == 0)
            return fail(r, REEL_CORRUPT, col, "component '%.100s' appears twice", component);
    }
    const char *archetype = reel_arrow_metadata_get(&col->metadata, "rerun:archetype");
    const char *component_type = reel_arrow_metadata_get(&col->metadata, "rerun:component_type");
    c->descriptor.component = reel_strdup(NULL, component);
    if (archetype != NULL && archetype[0] != '\0')
        c->descriptor.archetype = reel_strdup(NULL, archetype);
    if (component_type != NULL && component_type[0] != '\0')
        c->descriptor.component_type = reel_strdup(NULL, component_type);
    if (c->descriptor.component == NULL ||
        (archetype && archetype[0] && !c->descriptor.archetype) ||
        (component_type && component_type[0] && !c->descriptor.component_type))
        return oom(r);

    reel_status status;
    if (f->type == REEL_ARROW_LIST) {
        REEL_TRY(column_view(r, col, &c->lists));
        status = reel_arrow_field_copy(&c->field, f, NULL);
    } else {
        reel_arrow_array values = {0};
        reel_arrow_field *item;
        REEL_TRY(column_view(r, col, &values));
        status = wrap_in_lists(f, &values, &c->lists);
        reel_arrow_array_reset(&values);
        if (status == REEL_LIMIT)
            return fail(r, status, col, "too many rows to wrap into lists");
        if (status == REEL_OK)
            status = reel_arrow_field_init(&c->field, col->name, REEL_ARROW_LIST, true, NULL);
        if (status == REEL_OK)
            status =
                reel_arrow_field_add_child(&c->field, "item", REEL_ARROW_NULL_TYPE, true, &item);
        if (status == REEL_OK) {
            reel_arrow_field_reset(item);
            status = reel_arrow_field_copy(item, f, NULL);
        }
    }
    if (status != REEL_OK)
        return oom(r);
    /* The list field's metadata becomes the working copy (seal keeps its unknown keys). */
    reel_arrow_metadata_reset(&c->field.metadata, c->field.alloc);
    c->field.metadata = col->metadata;
    col->metadata = (reel_arrow_metadata){0};
    return REEL_OK;
}

static reel_status read_columns(reader *r)
{
    int32_t row_id_col = -1, n_index = 0, n_data = 0, phase = 0;
    column_kind *kinds = reel_alloc_zeroed(NULL, (size_t)r->n_cols * sizeof *kinds + 1);
    if (kinds == NULL)
        return oom(r);
    reel_status status = REEL_OK;
    for (int32_t c = 0; c < r->n_cols && status == REEL_OK; c++) {
        const reel__chunk_column *col = &r->cols[c];
        if (col->dropped || (status = column_kind_of(r, col, &kinds[c])) != REEL_OK)
            continue;
        if (kinds[c] == COLUMN_ROW_ID && phase > 0)
            status = fail(r, REEL_CORRUPT, col,
                          "the RowId column must come before the index and data columns");
        else if (kinds[c] == COLUMN_ROW_ID && row_id_col >= 0)
            status = fail(r, REEL_CORRUPT, col, "a second RowId column (the first is '%.100s')",
                          r->cols[row_id_col].name);
        else if (kinds[c] == COLUMN_INDEX && phase == 2)
            status = fail(r, REEL_CORRUPT, col, "index columns must come before data columns");
        else if (kinds[c] == COLUMN_ROW_ID)
            row_id_col = c;
        else if (kinds[c] == COLUMN_INDEX)
            phase = 1, n_index++;
        else
            phase = 2, n_data++;
    }
    if (status == REEL_OK && row_id_col < 0)
        status = fail(r, REEL_CORRUPT, NULL, "no RowId column (rerun:kind=control)");
    reel_chunk *chunk = r->chunk;
    if (status == REEL_OK) {
        chunk->row_count = r->batch->length;
        chunk->timelines = reel_alloc_zeroed(NULL, (size_t)n_index * sizeof *chunk->timelines);
        chunk->components = reel_alloc_zeroed(NULL, (size_t)n_data * sizeof *chunk->components);
        if ((chunk->timelines == NULL && n_index > 0) || (chunk->components == NULL && n_data > 0))
            status = oom(r);
        chunk->n_timelines = chunk->timelines != NULL ? n_index : 0;
        chunk->n_components = chunk->components != NULL ? n_data : 0;
    }
    if (status == REEL_OK)
        status = read_row_ids(r, &r->cols[row_id_col]);
    int32_t index_slot = 0, data_slot = 0;
    for (int32_t c = 0; c < r->n_cols && status == REEL_OK; c++) {
        if (r->cols[c].dropped || c == row_id_col)
            continue;
        if (kinds[c] == COLUMN_INDEX)
            status = read_index(r, &r->cols[c], index_slot++);
        else
            status = read_data(r, &r->cols[c], data_slot++);
    }
    reel_free(NULL, kinds, (size_t)r->n_cols * sizeof *kinds + 1);
    return status;
}

/* ---------------------------------------------------------------- entry point */

reel_status reel_chunk_from_batch(const reel_arrow_field *schema, const reel_arrow_array *batch,
                                  reel_chunk **out, reel_error *err)
{
    *out = NULL;
    if (schema->type != REEL_ARROW_STRUCT || batch->n_children != schema->n_children)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "chunk: the record batch does not match its schema (a struct field "
                              "with one child per column)");
    if (reel_arrow_array_validate(schema, batch, REEL_ARROW_VALIDATE_DEFAULT, err) != REEL_OK)
        return reel_error_prefix(err, "chunk: ");
    reader r = {.schema = schema, .batch = batch, .err = err};
    reel_status status = load_working_copies(&r);
    if (status == REEL_OK) {
        uint64_t version = reel__chunk_sorbet_version(&r.schema_md);
        if (reel__chunk_migrate(version, &r.schema_md, r.cols, r.n_cols) != REEL_OK)
            status = oom(&r);
    }
    if (status == REEL_OK) {
        r.chunk = reel__chunk_alloc();
        status = r.chunk != NULL ? read_schema_metadata(&r) : oom(&r);
    }
    if (status == REEL_OK)
        status = read_columns(&r);
    if (status == REEL_OK)
        status = reel__chunk_seal(r.chunk, err);
    for (int32_t c = 0; c < r.n_cols && r.cols != NULL; c++) {
        reel_strfree(NULL, r.cols[c].name);
        reel_arrow_metadata_reset(&r.cols[c].metadata, NULL);
    }
    reel_free(NULL, r.cols, (size_t)r.n_cols * sizeof *r.cols);
    reel_arrow_metadata_reset(&r.schema_md, NULL);
    if (status != REEL_OK) {
        reel_chunk_release(r.chunk);
        return status;
    }
    *out = r.chunk;
    return REEL_OK;
}
