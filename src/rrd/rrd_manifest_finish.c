/* Turns a collected manifest into its Arrow parts: the sorbet schema (an IPC stream with
 * schema + EOS) and its SHA-256 (of the schema message alone, fields sorted by name, no
 * schema metadata, as Rerun computes it), and the manifest record batch, LZ4-compressed.
 * Column names and order follow Rerun: BTreeMaps keyed by descriptor and timeline name. */
#include <stdlib.h>
#include <string.h>

#include "rrd_manifest_state.h"

/* ---------------------------------------------------------------- ordering and names */

static int compare_optional(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL); /* absent sorts first, as Rust's None */
    return strcmp(a, b);
}

/* ComponentDescriptor's derived Ord: archetype, component, component_type. */
static int compare_components(const manifest_component *a, const manifest_component *b)
{
    int c = compare_optional(a->archetype, b->archetype);
    if (c == 0)
        c = compare_optional(a->component, b->component);
    return c != 0 ? c : compare_optional(a->component_type, b->component_type);
}

static int compare_component_ptrs(const void *a, const void *b)
{
    return compare_components(*(manifest_component *const *)a, *(manifest_component *const *)b);
}

typedef struct index_ref {
    const char *timeline;
    const manifest_component *component; /* NULL for the chunk-level column */
    const index_column *column;
    reel_arrow_type type;
} index_ref;

static int compare_index_refs(const void *pa, const void *pb)
{
    const index_ref *a = pa, *b = pb;
    int c = strcmp(a->timeline, b->timeline);
    if (c != 0 || a->component == NULL || b->component == NULL)
        return c != 0 ? c : (a->component != NULL) - (b->component != NULL);
    return compare_components(a->component, b->component);
}

static int compare_sorbet(const void *pa, const void *pb)
{
    const sorbet_column *a = *(sorbet_column *const *)pa, *b = *(sorbet_column *const *)pb;
    return a->kind != b->kind ? a->kind - b->kind : strcmp(a->field.name, b->field.name);
}

static int compare_field_names(const void *pa, const void *pb)
{
    const reel_arrow_field *a = pa, *b = pb;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static int compare_kv(const void *pa, const void *pb)
{
    return strcmp(((const reel_arrow_kv *)pa)->key, ((const reel_arrow_kv *)pb)->key);
}

static const char *archetype_short_name(const char *archetype)
{
    static const char *const prefixes[] = {"rerun.archetypes.", "rerun.blueprint.archetypes.",
                                           "rerun."};
    for (int i = 0; i < 3; i++)
        if (strncmp(archetype, prefixes[i], strlen(prefixes[i])) == 0)
            return archetype + strlen(prefixes[i]);
    return archetype;
}

/* RawRrdManifest::compute_column_name: the non-empty parts joined by ':', then `, -.\`
 * replaced by '_' and leading underscores dropped. */
static reel_status column_name(reel_buf *out, const char *prefix, const manifest_component *c,
                               const char *suffix)
{
    const char *parts[4] = {prefix, NULL, NULL, suffix};
    if (c != NULL) {
        parts[2] = c->component;
        if (c->archetype != NULL) {
            const char *short_name = archetype_short_name(c->archetype);
            size_t n = strlen(short_name);
            parts[1] = short_name;
            if (strncmp(c->component, short_name, n) == 0 && c->component[n] == ':')
                parts[2] = c->component + n + 1;
        }
    }
    reel_buf_clear(out);
    for (int i = 0; i < 4; i++) {
        if (parts[i] == NULL || parts[i][0] == '\0')
            continue;
        if (out->len > 0)
            REEL_TRY(reel_buf_append_u8(out, ':'));
        REEL_TRY(reel_buf_append(out, parts[i], strlen(parts[i])));
    }
    size_t w = 0;
    for (size_t r = 0; r < out->len; r++) {
        uint8_t ch = out->data[r];
        if (ch == ',' || ch == ' ' || ch == '-' || ch == '.' || ch == '\\')
            ch = '_';
        if (ch != '_' || w > 0)
            out->data[w++] = ch;
    }
    out->len = w;
    return reel_buf_append_u8(out, 0); /* NUL-terminated for use as a C string */
}

/* ---------------------------------------------------------------- the manifest batch */

typedef struct batch_parts {
    reel_arrow_field schema; /* STRUCT of the columns */
    reel_vec arrays;         /* reel_arrow_array per column */
    reel_buf name;           /* scratch for column names */
    int64_t rows;
} batch_parts;

/* Adds a column field (named by parts->name) and a builder for it. */
static reel_status begin_column(batch_parts *p, reel_arrow_type type, bool nullable,
                                const manifest_component *c, const char *index,
                                reel_arrow_builder **builder)
{
    reel_arrow_field *field;
    const reel_allocator *alloc = p->schema.alloc;
    REEL_TRY(
        reel_arrow_field_add_child(&p->schema, (const char *)p->name.data, type, nullable, &field));
    if (type == REEL_ARROW_TIMESTAMP || type == REEL_ARROW_DURATION)
        field->unit = REEL_ARROW_NANO;
    if (type == REEL_ARROW_FIXED_SIZE_BINARY)
        field->fixed_size = 16;
    if (c != NULL && c->archetype != NULL)
        REEL_TRY(reel_arrow_metadata_set(&field->metadata, alloc, "rerun:archetype", c->archetype));
    if (c != NULL)
        REEL_TRY(reel_arrow_metadata_set(&field->metadata, alloc, "rerun:component", c->component));
    if (c != NULL && c->component_type != NULL)
        REEL_TRY(reel_arrow_metadata_set(&field->metadata, alloc, "rerun:component_type",
                                         c->component_type));
    if (index != NULL)
        REEL_TRY(reel_arrow_metadata_set(&field->metadata, alloc, "rerun:index", index));
    return reel_arrow_builder_create(field, alloc, builder, NULL);
}

static reel_status end_column(batch_parts *p, reel_arrow_builder *builder, reel_status status)
{
    reel_arrow_array array = {0};
    if (status == REEL_OK)
        status = reel_arrow_builder_finish(builder, &array, NULL);
    if (status == REEL_OK && (status = reel_vec_push(&p->arrays, &array)) != REEL_OK)
        reel_arrow_array_reset(&array);
    reel_arrow_builder_destroy(builder);
    return status;
}

static reel_status fixed_columns(reel__rrd_manifest_builder *b, batch_parts *p)
{
    static const char *const names[7] = {"chunk_entity_path",
                                         "chunk_id",
                                         "chunk_is_static",
                                         "chunk_num_rows",
                                         "chunk_byte_offset",
                                         "chunk_byte_size",
                                         "chunk_byte_size_uncompressed"};
    static const reel_arrow_type types[7] = {REEL_ARROW_UTF8,   REEL_ARROW_FIXED_SIZE_BINARY,
                                             REEL_ARROW_BOOL,   REEL_ARROW_UINT64,
                                             REEL_ARROW_UINT64, REEL_ARROW_UINT64,
                                             REEL_ARROW_UINT64};
    for (int c = 0; c < 7; c++) {
        reel_arrow_builder *builder;
        reel_buf_clear(&p->name);
        REEL_TRY(reel_buf_append(&p->name, names[c], strlen(names[c]) + 1));
        REEL_TRY(begin_column(p, types[c], false, NULL, NULL, &builder));
        reel_status status = REEL_OK;
        for (size_t i = 0; i < b->rows.len && status == REEL_OK; i++) {
            const manifest_row *row = &REEL_VEC_AT(&b->rows, manifest_row, i);
            uint8_t id[16];
            const uint64_t values[4] = {row->num_rows, row->offset, row->size,
                                        row->size_uncompressed};
            reel_tuid_to_bytes(row->chunk_id, id);
            if (c == 0)
                status = reel_arrow_builder_append_bytes(builder, row->entity_path,
                                                         strlen(row->entity_path));
            else if (c == 1)
                status = reel_arrow_builder_append_bytes(builder, id, 16);
            else if (c == 2)
                status = reel_arrow_builder_append_bool(builder, row->is_static);
            else
                status = reel_arrow_builder_append_uint(builder, values[c - 3]);
        }
        REEL_TRY(end_column(p, builder, status));
    }
    return REEL_OK;
}

static reel_status static_columns(batch_parts *p, manifest_component **sorted, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const manifest_component *c = sorted[i];
        reel_arrow_builder *builder;
        REEL_TRY(column_name(&p->name, NULL, c, "has_static_data"));
        REEL_TRY(begin_column(p, REEL_ARROW_BOOL, false, c, "rerun:static", &builder));
        reel_status status = REEL_OK;
        size_t next = 0;
        for (int64_t row = 0; row < p->rows && status == REEL_OK; row++) {
            bool has =
                next < c->static_rows.len && REEL_VEC_AT(&c->static_rows, int64_t, next) == row;
            next += has;
            status = reel_arrow_builder_append_bool(builder, has);
        }
        REEL_TRY(end_column(p, builder, status));
    }
    return REEL_OK;
}

/* `which`: 0 start, 1 end, 2 num_rows. */
static reel_status index_column_values(batch_parts *p, const index_ref *ref, int which)
{
    static const char *const suffixes[3] = {"start", "end", "num_rows"};
    reel_arrow_builder *builder;
    reel_arrow_type type = which == 2 ? REEL_ARROW_UINT64 : ref->type;
    REEL_TRY(column_name(&p->name, ref->timeline, ref->component, suffixes[which]));
    REEL_TRY(begin_column(p, type, true, ref->component, ref->timeline, &builder));
    reel_status status = REEL_OK;
    const reel_vec *entries = &ref->column->entries;
    size_t next = 0;
    for (int64_t row = 0; row < p->rows && status == REEL_OK; row++) {
        const index_entry *e = NULL;
        if (next < entries->len && REEL_VEC_AT(entries, index_entry, next).row == row)
            e = &REEL_VEC_AT(entries, index_entry, next++);
        if (which == 2) /* 0, not null, for chunks without the component (as Rerun) */
            status = reel_arrow_builder_append_uint(builder, e ? e->num_rows : 0);
        else if (e == NULL || !e->has_range)
            status = reel_arrow_builder_append_null(builder, 1);
        else
            status = reel_arrow_builder_append_int(builder, which == 0 ? e->start : e->end);
    }
    return end_column(p, builder, status);
}

static reel_status manifest_batch(reel__rrd_manifest_builder *b, batch_parts *p)
{
    size_t n_components = b->components.len, n_indexes = b->indexes.len;
    manifest_component **components = reel_alloc(b->alloc, (n_components + 1) * sizeof *components);
    index_ref *refs = reel_alloc(b->alloc, (n_indexes + 1) * sizeof *refs);
    reel_status status = components && refs ? REEL_OK : REEL_OUT_OF_MEMORY;
    for (size_t i = 0; status == REEL_OK && i < n_components; i++)
        components[i] = &REEL_VEC_AT(&b->components, manifest_component, i);
    for (size_t i = 0; status == REEL_OK && i < n_indexes; i++) {
        const index_column *column = &REEL_VEC_AT(&b->indexes, index_column, i);
        const manifest_timeline *t =
            &REEL_VEC_AT(&b->timelines, manifest_timeline, column->timeline);
        refs[i] = (index_ref){t->name, NULL, column, t->type};
        if (column->component >= 0)
            refs[i].component = &REEL_VEC_AT(&b->components, manifest_component, column->component);
    }
    if (status == REEL_OK) {
        qsort(components, n_components, sizeof *components, compare_component_ptrs);
        qsort(refs, n_indexes, sizeof *refs, compare_index_refs);
        status = fixed_columns(b, p);
    }
    if (status == REEL_OK)
        status = static_columns(p, components, n_components);
    /* Chunk-level :start/:end first (all timelines), then per component. */
    for (int pass = 0; pass < 2 && status == REEL_OK; pass++)
        for (size_t i = 0; i < n_indexes && status == REEL_OK; i++)
            if ((refs[i].component == NULL) == (pass == 0))
                for (int which = 0; which < (pass == 0 ? 2 : 3) && status == REEL_OK; which++)
                    status = index_column_values(p, &refs[i], which);
    reel_free(b->alloc, components, (n_components + 1) * sizeof *components);
    reel_free(b->alloc, refs, (n_indexes + 1) * sizeof *refs);
    return status;
}

/* ---------------------------------------------------------------- the sorbet schema */

static reel_status sorbet_schema(reel__rrd_manifest_builder *b, reel_arrow_field *schema)
{
    size_t n = b->sorbet.len;
    sorbet_column **sorted = reel_alloc(b->alloc, (n + 1) * sizeof *sorted);
    if (sorted == NULL)
        return REEL_OUT_OF_MEMORY;
    for (size_t i = 0; i < n; i++)
        sorted[i] = &REEL_VEC_AT(&b->sorbet, sorbet_column, i);
    /* Rerun's order is a HashMap's; ours is row id, indexes, components, each by name. */
    qsort(sorted, n, sizeof *sorted, compare_sorbet);
    reel_status status = reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, b->alloc);
    for (size_t i = 0; i < n && status == REEL_OK; i++) {
        const sorbet_column *column = sorted[i];
        reel_arrow_field *field;
        status = reel_arrow_field_add_child(schema, "", REEL_ARROW_NULL_TYPE, true, &field);
        if (status != REEL_OK)
            break;
        reel_arrow_field_reset(field);
        status = reel_arrow_field_copy(field, &column->field, b->alloc);
        reel_arrow_metadata *md = &field->metadata;
        if (status == REEL_OK && column->kind == COLUMN_COMPONENT && column->empty)
            status = reel_arrow_metadata_set(md, b->alloc, "rerun:is_semantically_empty", "true");
        if (status == REEL_OK && column->kind == COLUMN_COMPONENT && column->is_static)
            status = reel_arrow_metadata_set(md, b->alloc, "rerun:is_static", "true");
        if (status == REEL_OK && column->kind == COLUMN_COMPONENT && column->tombstone)
            status = reel_arrow_metadata_set(md, b->alloc, "rerun:is_tombstone", "true");
        if (status == REEL_OK && md->count > 1)
            qsort(md->items, (size_t)md->count, sizeof *md->items, compare_kv);
    }
    reel_free(b->alloc, sorted, (n + 1) * sizeof *sorted);
    return status;
}

static reel_status schema_sha256(const reel_arrow_field *schema, const reel_allocator *alloc,
                                 uint8_t out[32], reel_error *err)
{
    reel_arrow_field sorted;
    REEL_TRY(reel_arrow_field_copy(&sorted, schema, alloc));
    reel_arrow_metadata_reset(&sorted.metadata, alloc);
    if (sorted.n_children > 1)
        qsort(sorted.children, (size_t)sorted.n_children, sizeof *sorted.children,
              compare_field_names);
    reel_buf ipc;
    reel_buf_init(&ipc, alloc);
    reel_ipc_write_options options = {.alignment = 64};
    /* The schema message only: Rerun's StreamWriter is never finished, so no EOS. */
    reel_status status = reel_ipc_write_schema(&ipc, &sorted, &options, err);
    if (status == REEL_OK)
        reel_sha256_digest(ipc.data, ipc.len, out);
    reel_buf_free(&ipc);
    reel_arrow_field_reset(&sorted);
    return status;
}

reel_status reel__rrd_manifest_builder_finish(reel__rrd_manifest_builder *b,
                                              reel_buf *schema_storage, reel_buf *data_storage,
                                              reel__rrd_raw_manifest *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    reel_ipc_write_options ipc_options = {.alignment = 64};
    reel_arrow_field schema = {0};
    batch_parts parts = {.rows = (int64_t)b->rows.len};
    reel_vec_init(&parts.arrays, sizeof(reel_arrow_array), b->alloc);
    reel_buf_init(&parts.name, b->alloc);
    reel_buf ipc;
    reel_buf_init(&ipc, b->alloc);
    reel_arrow_array batch = {.length = parts.rows, .n_buffers = 1, .alloc = b->alloc};

    reel_status status = sorbet_schema(b, &schema);
    if (status == REEL_OK)
        status = reel_ipc_write_schema(schema_storage, &schema, &ipc_options, err);
    if (status == REEL_OK)
        status = reel_ipc_write_eos(schema_storage);
    if (status == REEL_OK)
        status = schema_sha256(&schema, b->alloc, out->sha256, err);
    if (status == REEL_OK)
        status = reel_arrow_field_init(&parts.schema, "", REEL_ARROW_STRUCT, false, b->alloc);
    if (status == REEL_OK)
        status = manifest_batch(b, &parts);
    if (status == REEL_OK) {
        size_t n = parts.arrays.len;
        batch.children = reel_alloc(b->alloc, (n + 1) * sizeof *batch.children);
        if (batch.children == NULL) {
            status = REEL_OUT_OF_MEMORY;
        } else {
            memcpy(batch.children, parts.arrays.data, n * sizeof *batch.children);
            batch.n_children = (int32_t)n;
            parts.arrays.len = 0; /* moved into the batch */
        }
    }
    if (status == REEL_OK)
        status = reel_ipc_write_stream(&ipc, &parts.schema, &batch, 1, &ipc_options, err);
    if (status == REEL_OK)
        status = reel_rrd_lz4_compress(ipc.data, ipc.len, data_storage, err);
    if (status == REEL_OK) {
        out->store_id = b->store_id; /* borrowed */
        out->has_sha256 = out->has_schema = out->has_data = true;
        out->schema_ipc = reel_span_make(schema_storage->data, schema_storage->len);
        out->data_encoder_version = 1;
        out->data_compression = 2;
        out->data_uncompressed_size = ipc.len;
        out->data_payload = reel_span_make(data_storage->data, data_storage->len);
    } else if (err != NULL && err->status == REEL_OK) {
        reel_error_set(err, status, "building the RRD manifest: %s", reel_status_text(status));
    }
    /* reel_arrow_array_reset frees `children` with n_children elements: size it exactly. */
    if (batch.children != NULL && batch.n_children >= 0) {
        reel_arrow_array *exact = batch.children;
        for (int32_t i = 0; i < batch.n_children; i++)
            reel_arrow_array_reset(&exact[i]);
        reel_free(b->alloc, exact, ((size_t)batch.n_children + 1) * sizeof *exact);
        batch.children = NULL;
        batch.n_children = 0;
    }
    for (size_t i = 0; i < parts.arrays.len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(&parts.arrays, reel_arrow_array, i));
    reel_vec_free(&parts.arrays);
    reel_buf_free(&parts.name);
    reel_buf_free(&ipc);
    reel_arrow_field_reset(&parts.schema);
    reel_arrow_field_reset(&schema);
    return status;
}
