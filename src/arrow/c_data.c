/* The Arrow C Data Interface, export side: a field becomes an ArrowSchema (format string,
 * name, binary metadata, flags) and an array an ArrowArray whose buffers point into our
 * blobs, which stay retained until the consumer calls release. Children and dictionaries
 * are released recursively unless the consumer moved them out. A DICTIONARY field is its
 * index type's format with the values' schema (and array) in the `dictionary` member.
 * Import is in c_data_import.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_util.h"

/* ---------------------------------------------------------------- format strings */

static const char *const time_unit_chars = "smun";

static reel_status format_string(const reel_arrow_field *field, reel_buf *out)
{
    static const char simple[] = {
        [REEL_ARROW_NULL_TYPE] = 'n',    [REEL_ARROW_BOOL] = 'b',
        [REEL_ARROW_INT8] = 'c',         [REEL_ARROW_INT16] = 's',
        [REEL_ARROW_INT32] = 'i',        [REEL_ARROW_INT64] = 'l',
        [REEL_ARROW_UINT8] = 'C',        [REEL_ARROW_UINT16] = 'S',
        [REEL_ARROW_UINT32] = 'I',       [REEL_ARROW_UINT64] = 'L',
        [REEL_ARROW_FLOAT16] = 'e',      [REEL_ARROW_FLOAT32] = 'f',
        [REEL_ARROW_FLOAT64] = 'g',      [REEL_ARROW_UTF8] = 'u',
        [REEL_ARROW_LARGE_UTF8] = 'U',   [REEL_ARROW_BINARY] = 'z',
        [REEL_ARROW_LARGE_BINARY] = 'Z',
    };
    char unit = time_unit_chars[field->unit & 3];
    static const int bits[] = {32, 64, 128, 256};
    switch (field->type) {
    case REEL_ARROW_DECIMAL128:
        return reel_buf_printf(out, "d:%d,%d", (int)field->precision, (int)field->scale);
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL256:
        return reel_buf_printf(out, "d:%d,%d,%d", (int)field->precision, (int)field->scale,
                               bits[field->type - REEL_ARROW_DECIMAL32]);
    case REEL_ARROW_MAP:
        return reel_buf_printf(out, "+m");
    case REEL_ARROW_DICTIONARY:
        return reel_buf_printf(out, "%c", simple[field->index_type]);
    case REEL_ARROW_FIXED_SIZE_BINARY:
        return reel_buf_printf(out, "w:%d", (int)field->fixed_size);
    case REEL_ARROW_DATE32:
        return reel_buf_printf(out, "tdD");
    case REEL_ARROW_DATE64:
        return reel_buf_printf(out, "tdm");
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
        return reel_buf_printf(out, "tt%c", unit);
    case REEL_ARROW_TIMESTAMP:
        return reel_buf_printf(out, "ts%c:%s", unit, field->timezone ? field->timezone : "");
    case REEL_ARROW_DURATION:
        return reel_buf_printf(out, "tD%c", unit);
    case REEL_ARROW_LIST:
        return reel_buf_printf(out, "+l");
    case REEL_ARROW_LARGE_LIST:
        return reel_buf_printf(out, "+L");
    case REEL_ARROW_FIXED_SIZE_LIST:
        return reel_buf_printf(out, "+w:%d", (int)field->fixed_size);
    case REEL_ARROW_STRUCT:
        return reel_buf_printf(out, "+s");
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        REEL_TRY(reel_buf_printf(out, "+u%c:", field->type == REEL_ARROW_DENSE_UNION ? 'd' : 's'));
        for (int32_t i = 0; i < field->n_children; i++)
            REEL_TRY(reel_buf_printf(out, i ? ",%d" : "%d", (int)field->union_type_codes[i]));
        return REEL_OK;
    default:
        return reel_buf_printf(out, "%c", simple[field->type]);
    }
}

/* ---------------------------------------------------------------- schema export */

typedef struct schema_private {
    reel_buf format;
    reel_buf metadata;
    char *name;
    int64_t n_children;
    struct ArrowSchema *children;
    struct ArrowSchema **child_pointers;
    struct ArrowSchema *dictionary; /* DICTIONARY: the values' schema */
} schema_private;

static void free_schema_private(schema_private *p)
{
    if (p == NULL)
        return;
    reel_buf_free(&p->format);
    reel_buf_free(&p->metadata);
    reel_strfree(NULL, p->name);
    free(p->children);
    free(p->child_pointers);
    free(p->dictionary);
    free(p);
}

static void release_schema(struct ArrowSchema *schema)
{
    if (schema == NULL || schema->release == NULL)
        return;
    schema_private *p = schema->private_data;
    /* Children the consumer moved away have release == NULL and are skipped. */
    for (int64_t i = 0; i < p->n_children; i++) {
        if (p->children[i].release != NULL)
            p->children[i].release(&p->children[i]);
    }
    if (p->dictionary != NULL && p->dictionary->release != NULL)
        p->dictionary->release(p->dictionary);
    free_schema_private(p);
    schema->release = NULL;
}

static reel_status encode_metadata(const reel_arrow_metadata *md, reel_buf *out)
{
    int32_t count = md->count;
    REEL_TRY(reel_buf_append(out, &count, 4));
    for (int32_t i = 0; i < count; i++) {
        const char *parts[2] = {md->items[i].key, md->items[i].value};
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(parts[k]);
            if (len > INT32_MAX)
                return REEL_LIMIT;
            int32_t len32 = (int32_t)len;
            REEL_TRY(reel_buf_append(out, &len32, 4));
            REEL_TRY(reel_buf_append(out, parts[k], len));
        }
    }
    return REEL_OK;
}

static reel_status export_schema(const reel_arrow_field *field, struct ArrowSchema *out)
{
    memset(out, 0, sizeof *out);
    schema_private *p = calloc(1, sizeof *p);
    if (p == NULL)
        return REEL_OUT_OF_MEMORY;
    /* From here on `out` is releasable, so every failure just releases it. */
    out->private_data = p;
    out->release = release_schema;
    reel_status status = format_string(field, &p->format);
    if (status == REEL_OK)
        status = reel_buf_append_u8(&p->format, 0);
    if (status == REEL_OK && field->metadata.count > 0)
        status = encode_metadata(&field->metadata, &p->metadata);
    p->name = reel_strdup(NULL, field->name != NULL ? field->name : "");
    if (p->name == NULL && status == REEL_OK)
        status = REEL_OUT_OF_MEMORY;
    if (status == REEL_OK && field->n_children > 0) {
        p->children = calloc((size_t)field->n_children, sizeof *p->children);
        p->child_pointers = calloc((size_t)field->n_children, sizeof *p->child_pointers);
        if (p->children == NULL || p->child_pointers == NULL)
            status = REEL_OUT_OF_MEMORY;
    }
    for (int32_t i = 0; status == REEL_OK && i < field->n_children; i++) {
        p->child_pointers[i] = &p->children[i];
        p->n_children = i + 1;
        status = export_schema(&field->children[i], &p->children[i]);
    }
    if (status == REEL_OK && field->dictionary != NULL) {
        p->dictionary = calloc(1, sizeof *p->dictionary);
        status = p->dictionary != NULL ? export_schema(field->dictionary, p->dictionary)
                                       : REEL_OUT_OF_MEMORY;
    }
    if (status != REEL_OK) {
        release_schema(out);
        return status;
    }
    out->format = (const char *)p->format.data;
    out->name = p->name;
    out->metadata = p->metadata.len > 0 ? (const char *)p->metadata.data : NULL;
    out->flags = field->nullable ? ARROW_FLAG_NULLABLE : 0;
    if (field->type == REEL_ARROW_MAP && field->keys_sorted)
        out->flags |= ARROW_FLAG_MAP_KEYS_SORTED;
    if (field->type == REEL_ARROW_DICTIONARY && field->dictionary_ordered)
        out->flags |= ARROW_FLAG_DICTIONARY_ORDERED;
    out->n_children = field->n_children;
    out->children = p->child_pointers;
    out->dictionary = p->dictionary;
    return REEL_OK;
}

reel_status reel_arrow_export_field(const reel_arrow_field *field, struct ArrowSchema *out,
                                    reel_error *err)
{
    memset(out, 0, sizeof *out);
    REEL_TRY(reel_arrow_field_validate(field, err));
    reel_status status = export_schema(field, out);
    if (status != REEL_OK)
        return reel_error_set(err, status, "export: cannot export the field (%s)",
                              reel_status_text(status));
    return REEL_OK;
}

/* ---------------------------------------------------------------- array export */

typedef struct array_private {
    const void *buffers[3];
    reel_blob *owners[3];
    int64_t n_children;
    struct ArrowArray *children;
    struct ArrowArray **child_pointers;
    struct ArrowArray *dictionary; /* DICTIONARY: the values */
} array_private;

/* Stands in for buffers we hold as NULL (empty): some consumers dereference every data
 * buffer, e.g. offsets[0] of an empty string array. */
static const int64_t empty_buffer[8];

static void release_array(struct ArrowArray *array)
{
    if (array == NULL || array->release == NULL)
        return;
    array_private *p = array->private_data;
    for (int64_t i = 0; i < p->n_children; i++) {
        if (p->children[i].release != NULL)
            p->children[i].release(&p->children[i]);
    }
    if (p->dictionary != NULL && p->dictionary->release != NULL)
        p->dictionary->release(p->dictionary);
    for (int i = 0; i < 3; i++)
        reel_blob_release(p->owners[i]);
    free(p->children);
    free(p->child_pointers);
    free(p->dictionary);
    free(p);
    array->release = NULL;
}

static bool has_offsets(reel_arrow_type type)
{
    return type == REEL_ARROW_UTF8 || type == REEL_ARROW_LARGE_UTF8 || type == REEL_ARROW_BINARY ||
           type == REEL_ARROW_LARGE_BINARY || type == REEL_ARROW_LIST ||
           type == REEL_ARROW_LARGE_LIST || type == REEL_ARROW_MAP ||
           type == REEL_ARROW_DENSE_UNION;
}

static reel_status export_array(const reel_arrow_field *field, const reel_arrow_array *array,
                                struct ArrowArray *out)
{
    memset(out, 0, sizeof *out);
    array_private *p = calloc(1, sizeof *p);
    if (p == NULL)
        return REEL_OUT_OF_MEMORY;
    out->private_data = p;
    out->release = release_array;
    out->length = array->length;
    out->null_count = array->null_count;
    out->offset = array->offset;
    out->n_buffers = array->n_buffers;
    out->buffers = p->buffers;
    bool unions = field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION;
    for (int i = 0; i < array->n_buffers; i++) {
        const reel_arrow_buffer *buffer = &array->buffers[i];
        p->owners[i] = reel_blob_retain(buffer->owner);
        if (buffer->data != NULL)
            p->buffers[i] = buffer->data;
        else if (i > 0 || unions)
            p->buffers[i] = empty_buffer;
    }
    /* A validated array leaves its offsets out only when empty; then the stand-in must be
     * read at index 0. */
    if (has_offsets(field->type) && array->buffers[1].data == NULL)
        out->offset = 0;
    reel_status status = REEL_OK;
    if (array->n_children > 0) {
        p->children = calloc((size_t)array->n_children, sizeof *p->children);
        p->child_pointers = calloc((size_t)array->n_children, sizeof *p->child_pointers);
        if (p->children == NULL || p->child_pointers == NULL)
            status = REEL_OUT_OF_MEMORY;
    }
    for (int32_t i = 0; status == REEL_OK && i < array->n_children; i++) {
        p->child_pointers[i] = &p->children[i];
        p->n_children = i + 1;
        status = export_array(&field->children[i], &array->children[i], &p->children[i]);
    }
    if (status == REEL_OK && array->dictionary != NULL) {
        p->dictionary = calloc(1, sizeof *p->dictionary);
        status = p->dictionary != NULL
                     ? export_array(field->dictionary, array->dictionary, p->dictionary)
                     : REEL_OUT_OF_MEMORY;
    }
    if (status != REEL_OK) {
        release_array(out);
        return status;
    }
    out->n_children = array->n_children;
    out->children = p->child_pointers;
    out->dictionary = p->dictionary;
    return REEL_OK;
}

reel_status reel_arrow_export_array(const reel_arrow_field *field, const reel_arrow_array *array,
                                    struct ArrowArray *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    REEL_TRY(reel_arrow_array_validate(field, array, REEL_ARROW_VALIDATE_DEFAULT, err));
    reel_status status = export_array(field, array, out);
    if (status != REEL_OK)
        return reel_error_set(err, status, "export: out of memory");
    return REEL_OK;
}
