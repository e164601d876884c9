/* Arrow IPC stream writer: Schema, DictionaryBatch and RecordBatch messages (metadata
 * version V5, little-endian, no compression) and the end-of-stream marker. Dictionary ids
 * are the DICTIONARY fields' pre-order numbers (a field before its values' fields), the
 * same walk for the schema and for every batch, which writes its dictionaries whole before
 * the RecordBatch.
 *
 * A record batch is written in two passes. The first walks the array tree and plans the
 * body: one FieldNode per array (pre-order) and, per buffer, where its bytes come from and
 * how (plain copy, bitmap shifted to bit 0, offsets rebased to 0). The second reserves the
 * whole message in the output once and fills it, so an unsliced primitive column costs one
 * memcpy per buffer. Sliced arrays come out compact: only the referenced range of every
 * buffer and child is written. Dense unions are the exception: their type codes and offsets
 * are sliced but the children are written whole (compacting them would mean rewriting every
 * offset).
 *
 * reel_ipc_write_stream_refs writes the same bytes without copying the large plain buffers:
 * they are left out of the output and listed as references (output offset, source bytes), so
 * a writer can send metadata and big image or point buffers to a file with one write each
 * and no intermediate copy. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_util.h"
#include "arrow/flatbuf.h"
#include "arrow/ipc_format.h"

/* ---------------------------------------------------------------- shared helpers */

/* The column path of an array being written, for error messages: a chain of names from the
 * array up to its column. */
typedef struct write_path {
    const char *name;
    const struct write_path *parent;
} write_path;

static void path_format(const write_path *path, char *out, size_t out_size)
{
    const char *names[REEL__IPC_MAX_DEPTH + 2];
    int count = 0;
    for (const write_path *p = path; p != NULL && count < REEL__IPC_MAX_DEPTH + 2; p = p->parent)
        names[count++] = p->name ? p->name : "";
    size_t used = 0;
    out[0] = 0;
    for (int i = count - 1; i >= 0 && used + 1 < out_size; i--) {
        int n = snprintf(out + used, out_size - used, i == count - 1 ? "'%s'" : ".%s", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static reel_status
path_error(reel_error *err, reel_status status, const write_path *path, const char *fmt, ...)
{
    char where[256], what[256];
    path_format(path, where, sizeof where);
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    return reel_error_set(err, status, "column %s: %s", where, what);
}

static reel_status resolve_alignment(const reel_ipc_write_options *options, size_t *alignment,
                                     reel_error *err)
{
    int32_t value = options != NULL ? options->alignment : 0;
    if (value == 0)
        value = 8;
    if (value != 8 && value != 64)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC write: alignment must be 8 or 64, not %d", (int)value);
    *alignment = (size_t)value;
    return REEL_OK;
}

/* Appends 0xFFFFFFFF, the metadata length, the flatbuffer padded so that the body (or the
 * next message) starts on `alignment`, and reserves `body_len` more bytes; returns where
 * the body goes. The length prefix counts the flatbuffer and its padding. */
static uint8_t *append_message(reel_buf *out, reel_span metadata, size_t alignment, size_t body_len,
                               reel_error *err)
{
    size_t prefix_and_meta = reel_align_up(8 + metadata.len, alignment);
    size_t total;
    if (prefix_and_meta - 8 > INT32_MAX || !reel_size_add(prefix_and_meta, body_len, &total)) {
        reel_error_set(err, REEL_LIMIT, "IPC write: message too large");
        return NULL;
    }
    if (reel_buf_reserve(out, total) != REEL_OK) {
        reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC write: out of memory for a %zu-byte message",
                       total);
        return NULL;
    }
    uint8_t *message = reel_buf_extend(out, total);
    reel_store_u32le(message, REEL__IPC_CONTINUATION);
    reel_store_u32le(message + 4, (uint32_t)(prefix_and_meta - 8));
    memcpy(message + 8, metadata.data, metadata.len);
    memset(message + 8 + metadata.len, 0, prefix_and_meta - 8 - metadata.len);
    return message + prefix_and_meta;
}

/* The Message table around a header. */
static reel__fb_ref write_message_table(reel__fb_builder *fb, uint8_t header_type,
                                        reel__fb_ref header, int64_t body_len)
{
    reel__fb_table_begin(fb);
    reel__fb_add_i64(fb, REEL__IPC_MESSAGE_BODY_LENGTH, body_len);
    reel__fb_add_ref(fb, REEL__IPC_MESSAGE_HEADER, header);
    reel__fb_add_i16(fb, REEL__IPC_MESSAGE_VERSION, REEL__IPC_V5);
    reel__fb_add_u8(fb, REEL__IPC_MESSAGE_HEADER_TYPE, header_type);
    return reel__fb_table_end(fb);
}

/* ---------------------------------------------------------------- schema */

static reel__fb_ref write_metadata(reel__fb_builder *fb, const reel_arrow_metadata *metadata,
                                   reel__fb_ref *scratch)
{
    for (int32_t i = 0; i < metadata->count; i++) {
        const reel_arrow_kv *kv = &metadata->items[i];
        const char *key = kv->key ? kv->key : "", *value = kv->value ? kv->value : "";
        reel__fb_ref key_ref = reel__fb_create_string(fb, key, strlen(key));
        reel__fb_ref value_ref = reel__fb_create_string(fb, value, strlen(value));
        reel__fb_table_begin(fb);
        reel__fb_add_ref(fb, REEL__IPC_KV_KEY, key_ref);
        reel__fb_add_ref(fb, REEL__IPC_KV_VALUE, value_ref);
        scratch[i] = reel__fb_table_end(fb);
    }
    return reel__fb_create_ref_vector(fb, scratch, (size_t)metadata->count);
}

/* The table of the Type union for `field`, and its union tag in *type_type. */
static reel_status write_type(reel__fb_builder *fb, const reel_arrow_field *field,
                              uint8_t *type_type, reel__fb_ref *out, reel_error *err)
{
    reel__fb_ref extra = 0; /* timezone string or typeIds vector, made before the table */
    static const int32_t decimal_bits[] = {32, 64, 128, 256};
    if (field->type == REEL_ARROW_TIMESTAMP && field->timezone != NULL)
        extra = reel__fb_create_string(fb, field->timezone, strlen(field->timezone));
    if (field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION) {
        uint8_t *ids = reel__fb_vector_begin(fb, (size_t)field->n_children, 4, 4);
        for (int32_t i = 0; ids != NULL && i < field->n_children; i++) {
            int32_t code = field->union_type_codes ? field->union_type_codes[i] : i;
            reel_store_u32le(ids + 4 * i, (uint32_t)code);
        }
        extra = reel__fb_vector_end(fb, (size_t)field->n_children);
    }
    reel__fb_table_begin(fb);
    switch (field->type) {
    case REEL_ARROW_NULL_TYPE:
        *type_type = REEL__IPC_TYPE_NULL;
        break;
    case REEL_ARROW_BOOL:
        *type_type = REEL__IPC_TYPE_BOOL;
        break;
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_INT64:
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64: {
        static const int32_t widths[] = {8, 16, 32, 64};
        bool is_signed = field->type <= REEL_ARROW_INT64;
        int index = (int)field->type - (is_signed ? REEL_ARROW_INT8 : REEL_ARROW_UINT8);
        *type_type = REEL__IPC_TYPE_INT;
        reel__fb_add_i32(fb, REEL__IPC_INT_BIT_WIDTH, widths[index]);
        reel__fb_add_bool(fb, REEL__IPC_INT_IS_SIGNED, is_signed);
        break;
    }
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64:
        *type_type = REEL__IPC_TYPE_FLOATING_POINT;
        reel__fb_add_i16(fb, REEL__IPC_FLOAT_PRECISION,
                         (int16_t)(REEL__IPC_PRECISION_HALF + (field->type - REEL_ARROW_FLOAT16)));
        break;
    case REEL_ARROW_UTF8:
        *type_type = REEL__IPC_TYPE_UTF8;
        break;
    case REEL_ARROW_LARGE_UTF8:
        *type_type = REEL__IPC_TYPE_LARGE_UTF8;
        break;
    case REEL_ARROW_BINARY:
        *type_type = REEL__IPC_TYPE_BINARY;
        break;
    case REEL_ARROW_LARGE_BINARY:
        *type_type = REEL__IPC_TYPE_LARGE_BINARY;
        break;
    case REEL_ARROW_FIXED_SIZE_BINARY:
        *type_type = REEL__IPC_TYPE_FIXED_SIZE_BINARY;
        reel__fb_add_i32(fb, REEL__IPC_FIXED_SIZE, field->fixed_size);
        break;
    case REEL_ARROW_DATE32:
    case REEL_ARROW_DATE64:
        *type_type = REEL__IPC_TYPE_DATE;
        reel__fb_add_i16(fb, REEL__IPC_DATE_UNIT,
                         field->type == REEL_ARROW_DATE32 ? REEL__IPC_DATE_DAY
                                                          : REEL__IPC_DATE_MILLISECOND);
        break;
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
        *type_type = REEL__IPC_TYPE_TIME;
        reel__fb_add_i16(fb, REEL__IPC_TIME_UNIT, (int16_t)field->unit);
        reel__fb_add_i32(fb, REEL__IPC_TIME_BIT_WIDTH, field->type == REEL_ARROW_TIME32 ? 32 : 64);
        break;
    case REEL_ARROW_TIMESTAMP:
        *type_type = REEL__IPC_TYPE_TIMESTAMP;
        reel__fb_add_i16(fb, REEL__IPC_TIMESTAMP_UNIT, (int16_t)field->unit);
        reel__fb_add_ref(fb, REEL__IPC_TIMESTAMP_TIMEZONE, extra);
        break;
    case REEL_ARROW_DURATION:
        *type_type = REEL__IPC_TYPE_DURATION;
        reel__fb_add_i16(fb, REEL__IPC_DURATION_UNIT, (int16_t)field->unit);
        break;
    case REEL_ARROW_LIST:
        *type_type = REEL__IPC_TYPE_LIST;
        break;
    case REEL_ARROW_LARGE_LIST:
        *type_type = REEL__IPC_TYPE_LARGE_LIST;
        break;
    case REEL_ARROW_FIXED_SIZE_LIST:
        *type_type = REEL__IPC_TYPE_FIXED_SIZE_LIST;
        reel__fb_add_i32(fb, REEL__IPC_FIXED_SIZE, field->fixed_size);
        break;
    case REEL_ARROW_STRUCT:
        *type_type = REEL__IPC_TYPE_STRUCT;
        break;
    case REEL_ARROW_MAP:
        *type_type = REEL__IPC_TYPE_MAP;
        reel__fb_add_bool(fb, REEL__IPC_MAP_KEYS_SORTED, field->keys_sorted);
        break;
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256:
        *type_type = REEL__IPC_TYPE_DECIMAL;
        reel__fb_add_i32(fb, REEL__IPC_DECIMAL_PRECISION, field->precision);
        reel__fb_add_i32(fb, REEL__IPC_DECIMAL_SCALE, field->scale);
        reel__fb_add_i32(fb, REEL__IPC_DECIMAL_BIT_WIDTH,
                         decimal_bits[field->type - REEL_ARROW_DECIMAL32]);
        break;
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        *type_type = REEL__IPC_TYPE_UNION;
        reel__fb_add_i16(fb, REEL__IPC_UNION_MODE,
                         field->type == REEL_ARROW_DENSE_UNION ? REEL__IPC_UNION_DENSE
                                                               : REEL__IPC_UNION_SPARSE);
        reel__fb_add_ref(fb, REEL__IPC_UNION_TYPE_IDS, extra);
        break;
    default:
        reel__fb_table_end(fb);
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "field '%s' has unknown type %d",
                              field->name ? field->name : "", (int)field->type);
    }
    *out = reel__fb_table_end(fb);
    return REEL_OK;
}

/* The DictionaryEncoding table of a DICTIONARY field with IPC id `id`. */
static reel__fb_ref write_dictionary_encoding(reel__fb_builder *fb, const reel_arrow_field *field,
                                              int64_t id)
{
    static const int32_t widths[] = {8, 16, 32, 64};
    bool is_signed = field->index_type <= REEL_ARROW_INT64;
    int index = (int)field->index_type - (is_signed ? REEL_ARROW_INT8 : REEL_ARROW_UINT8);
    reel__fb_table_begin(fb);
    reel__fb_add_i32(fb, REEL__IPC_INT_BIT_WIDTH, widths[index]);
    reel__fb_add_bool(fb, REEL__IPC_INT_IS_SIGNED, is_signed);
    reel__fb_ref index_type = reel__fb_table_end(fb);
    reel__fb_table_begin(fb);
    reel__fb_add_i64(fb, REEL__IPC_DICT_ID, id);
    reel__fb_add_ref(fb, REEL__IPC_DICT_INDEX_TYPE, index_type);
    reel__fb_add_bool(fb, REEL__IPC_DICT_IS_ORDERED, field->dictionary_ordered);
    return reel__fb_table_end(fb);
}

/* `field` as a Field table. A DICTIONARY field is written as its values' type and children
 * with a DictionaryEncoding beside them, its id the next of *next_id (pre-order). */
static reel_status write_field(reel__fb_builder *fb, const reel_arrow_field *field, int depth,
                               int64_t *next_id, reel__fb_ref *out, reel_error *err)
{
    const char *name = field->name ? field->name : "";
    if (depth > REEL__IPC_MAX_DEPTH)
        return reel_error_set(err, REEL_LIMIT, "field '%s' is nested deeper than %d levels", name,
                              REEL__IPC_MAX_DEPTH);
    const reel_arrow_field *type_field = field;
    int64_t dictionary_id = -1;
    if (field->type == REEL_ARROW_DICTIONARY) {
        if (field->dictionary == NULL || field->dictionary->type == REEL_ARROW_DICTIONARY)
            return reel_error_set(err, field->dictionary ? REEL_UNSUPPORTED : REEL_INVALID_ARGUMENT,
                                  "field '%s': %s", name,
                                  field->dictionary ? "IPC cannot hold a dictionary whose values "
                                                      "are dictionary-encoded themselves"
                                                    : "a dictionary without a value type");
        type_field = field->dictionary;
        dictionary_id = (*next_id)++;
    }
    int32_t n_children = type_field->n_children;
    if (n_children < 0 || field->metadata.count < 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "field '%s' has negative counts", name);
    /* Children and key-value tables first: a table cannot be built while another is. */
    size_t scratch_count =
        (size_t)(n_children > field->metadata.count ? n_children : field->metadata.count);
    reel__fb_ref *scratch =
        reel_alloc(fb->alloc, (scratch_count ? scratch_count : 1) * sizeof *scratch);
    if (scratch == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory writing a schema");
    reel_status status = REEL_OK;
    for (int32_t i = 0; i < n_children && status == REEL_OK; i++)
        status = write_field(fb, &type_field->children[i], depth + 1, next_id, &scratch[i], err);
    reel__fb_ref children = 0, metadata = 0, type = 0, encoding = 0;
    uint8_t type_type = 0;
    if (status == REEL_OK) {
        children = reel__fb_create_ref_vector(fb, scratch, (size_t)n_children);
        if (field->metadata.count > 0)
            metadata = write_metadata(fb, &field->metadata, scratch);
        status = write_type(fb, type_field, &type_type, &type, err);
    }
    reel_free(fb->alloc, scratch, (scratch_count ? scratch_count : 1) * sizeof *scratch);
    if (status != REEL_OK)
        return status;
    if (dictionary_id >= 0)
        encoding = write_dictionary_encoding(fb, field, dictionary_id);
    reel__fb_ref name_ref = reel__fb_create_string(fb, name, strlen(name));
    reel__fb_table_begin(fb);
    reel__fb_add_ref(fb, REEL__IPC_FIELD_NAME, name_ref);
    reel__fb_add_ref(fb, REEL__IPC_FIELD_TYPE, type);
    reel__fb_add_ref(fb, REEL__IPC_FIELD_DICTIONARY, encoding);
    reel__fb_add_ref(fb, REEL__IPC_FIELD_CHILDREN, children);
    reel__fb_add_ref(fb, REEL__IPC_FIELD_CUSTOM_METADATA, metadata);
    reel__fb_add_bool(fb, REEL__IPC_FIELD_NULLABLE, field->nullable);
    reel__fb_add_u8(fb, REEL__IPC_FIELD_TYPE_TYPE, type_type);
    *out = reel__fb_table_end(fb);
    return REEL_OK;
}

static reel_status check_schema(const reel_arrow_field *schema, reel_error *err)
{
    if (schema == NULL || schema->type != REEL_ARROW_STRUCT)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC write: the schema must be a STRUCT field");
    /* What we write must be what we (and pyarrow) accept when reading it back. */
    reel_status status = reel_arrow_field_validate(schema, err);
    if (status != REEL_OK)
        reel_error_prefix(err, "IPC write: ");
    return status;
}

reel_status reel_ipc_write_schema(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_ipc_write_options *options, reel_error *err)
{
    size_t alignment = 8;
    REEL_TRY(resolve_alignment(options, &alignment, err));
    REEL_TRY(check_schema(schema, err));
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, out->alloc);
    reel__fb_ref fields = 0, metadata = 0, *scratch = NULL;
    size_t scratch_count =
        (size_t)(schema->n_children > schema->metadata.count ? schema->n_children
                                                             : schema->metadata.count);
    reel_status status = REEL_OK;
    if (schema->n_children < 0 || schema->metadata.count < 0)
        status = reel_error_set(err, REEL_INVALID_ARGUMENT, "IPC write: negative counts");
    if (status == REEL_OK) {
        scratch = reel_alloc(out->alloc, (scratch_count ? scratch_count : 1) * sizeof *scratch);
        if (scratch == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory writing a schema");
    }
    int64_t next_id = 0;
    for (int32_t i = 0; status == REEL_OK && i < schema->n_children; i++)
        status = write_field(&fb, &schema->children[i], 1, &next_id, &scratch[i], err);
    if (status == REEL_OK) {
        fields = reel__fb_create_ref_vector(&fb, scratch, (size_t)schema->n_children);
        if (schema->metadata.count > 0)
            metadata = write_metadata(&fb, &schema->metadata, scratch);
        reel__fb_table_begin(&fb);
        reel__fb_add_ref(&fb, REEL__IPC_SCHEMA_FIELDS, fields);
        reel__fb_add_ref(&fb, REEL__IPC_SCHEMA_CUSTOM_METADATA, metadata);
        reel__fb_add_i16(&fb, REEL__IPC_SCHEMA_ENDIANNESS, REEL__IPC_ENDIANNESS_LITTLE);
        reel__fb_ref header = reel__fb_table_end(&fb);
        reel__fb_ref message = write_message_table(&fb, REEL__IPC_HEADER_SCHEMA, header, 0);
        reel_span bytes;
        status = reel__fb_finish(&fb, message, &bytes);
        if (status != REEL_OK)
            reel_error_set(err, status, "IPC write: cannot build the schema flatbuffer");
        else if (append_message(out, bytes, alignment, 0, err) == NULL)
            status = err ? err->status : REEL_OUT_OF_MEMORY;
    }
    if (scratch != NULL)
        reel_free(out->alloc, scratch, (scratch_count ? scratch_count : 1) * sizeof *scratch);
    reel__fb_builder_free(&fb);
    return status;
}

/* ---------------------------------------------------------------- record batch: plan */

typedef enum plan_kind {
    PLAN_COPY,      /* length bytes from src */
    PLAN_BITS,      /* a bitmap of `count` bits starting at bit `bit_offset` of src */
    PLAN_OFFSETS32, /* count int32 offsets from src, minus `base` */
    PLAN_OFFSETS64, /* count int64 offsets from src, minus `base` */
    PLAN_ZEROS,     /* length zero bytes (the single offset of an empty array) */
} plan_kind;

typedef struct plan_buffer {
    plan_kind kind;
    const uint8_t *src;
    int64_t length; /* bytes in the body, before padding */
    int64_t count;
    int64_t bit_offset;
    int64_t base;
    int64_t body_offset;
} plan_buffer;

typedef struct plan_node {
    int64_t length;
    int64_t null_count;
} plan_node;

typedef struct batch_plan {
    reel_vec nodes;   /* plan_node */
    reel_vec buffers; /* plan_buffer */
    int64_t body_len;
    int64_t alignment;
    reel_error *err;
} batch_plan;

static reel_status plan_push_buffer(batch_plan *plan, const plan_buffer *buffer)
{
    plan_buffer *slot = reel_vec_push_n(&plan->buffers, 1);
    if (slot == NULL)
        return reel_error_set(plan->err, REEL_OUT_OF_MEMORY, "out of memory planning a batch");
    *slot = *buffer;
    slot->body_offset = plan->body_len;
    int64_t padded = (int64_t)reel_align_up((size_t)buffer->length, (size_t)plan->alignment);
    if (padded > INT64_MAX - plan->body_len)
        return reel_error_set(plan->err, REEL_LIMIT, "IPC write: body too large");
    plan->body_len += padded;
    return REEL_OK;
}

/* Byte `offset` of a buffer, or NULL for an absent one (whose range is then empty, as
 * check_covers made sure; NULL + 0 is not valid C). */
static const uint8_t *byte_at(const reel_arrow_buffer *buffer, int64_t offset)
{
    return buffer->data != NULL ? buffer->data + offset : NULL;
}

static reel_status plan_copy(batch_plan *plan, const uint8_t *src, int64_t length)
{
    plan_buffer buffer = {.kind = PLAN_COPY, .src = length ? src : NULL, .length = length};
    return plan_push_buffer(plan, &buffer);
}

/* a * b for non-negative int64, false on overflow. */
static bool mul_i64(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0 || (b != 0 && a > INT64_MAX / b))
        return false;
    *out = a * b;
    return true;
}

/* Checks that `buffer` holds elements [start, start + len) of `width` bytes each (width 0:
 * bits). */
static reel_status check_covers(batch_plan *plan, const write_path *path, const char *what,
                                const reel_arrow_buffer *buffer, int64_t start, int64_t len,
                                int64_t width)
{
    int64_t end = start + len, need;
    bool ok = width == 0 ? true : mul_i64(end, width, &need);
    if (width == 0)
        need = end / 8 + (end % 8 != 0);
    if (!ok || buffer->size < need || (need > 0 && buffer->data == NULL))
        return path_error(plan->err, REEL_INVALID_ARGUMENT, path,
                          "%s buffer has %lld bytes, needs %lld", what, (long long)buffer->size,
                          ok ? (long long)need : -1LL);
    return REEL_OK;
}

static reel_status plan_bitmap(batch_plan *plan, const write_path *path, const char *what,
                               const reel_arrow_buffer *bitmap, int64_t start, int64_t len)
{
    REEL_TRY(check_covers(plan, path, what, bitmap, start, len, 0));
    int64_t bytes = len / 8 + (len % 8 != 0);
    if (start % 8 == 0)
        return plan_copy(plan, byte_at(bitmap, start / 8), bytes);
    plan_buffer buffer = {
        .kind = PLAN_BITS, .src = bitmap->data, .length = bytes, .count = len, .bit_offset = start};
    return plan_push_buffer(plan, &buffer);
}

static int64_t load_offset(const uint8_t *offsets, int64_t index, int64_t width)
{
    if (width == 4) {
        int32_t v;
        memcpy(&v, offsets + index * 4, 4);
        return v;
    }
    int64_t v;
    memcpy(&v, offsets + index * 8, 8);
    return v;
}

/* Plans the offsets of elements [start, start + len) rebased to 0 and returns the range
 * they cover in the data or child, [*first, *last). */
static reel_status plan_offsets(batch_plan *plan, const write_path *path,
                                const reel_arrow_buffer *offsets, int64_t start, int64_t len,
                                int64_t width, int64_t *first, int64_t *last)
{
    if (len == 0) {
        *first = *last = 0;
        plan_buffer buffer = {.kind = PLAN_ZEROS, .length = width};
        return plan_push_buffer(plan, &buffer);
    }
    REEL_TRY(check_covers(plan, path, "offsets", offsets, start, len + 1, width));
    *first = load_offset(offsets->data, start, width);
    *last = load_offset(offsets->data, start + len, width);
    if (*first < 0 || *last < *first)
        return path_error(plan->err, REEL_INVALID_ARGUMENT, path, "offsets run from %lld to %lld",
                          (long long)*first, (long long)*last);
    if (*first == 0)
        return plan_copy(plan, offsets->data + start * width, (len + 1) * width);
    plan_buffer buffer = {.kind = width == 4 ? PLAN_OFFSETS32 : PLAN_OFFSETS64,
                          .src = offsets->data + start * width,
                          .length = (len + 1) * width,
                          .count = len + 1,
                          .base = *first};
    return plan_push_buffer(plan, &buffer);
}

static bool has_validity(reel_arrow_type type)
{
    return type != REEL_ARROW_NULL_TYPE && type != REEL_ARROW_SPARSE_UNION &&
           type != REEL_ARROW_DENSE_UNION;
}

static reel_status plan_array(batch_plan *plan, const reel_arrow_field *field,
                              const reel_arrow_array *array, int64_t start, int64_t len,
                              const write_path *path, int depth);

/* Plans child `index` of `array` over the child's logical range [start, start + len). */
static reel_status plan_child(batch_plan *plan, const reel_arrow_field *field,
                              const reel_arrow_array *array, int32_t index, int64_t start,
                              int64_t len, const write_path *path, int depth)
{
    const reel_arrow_array *child = &array->children[index];
    const reel_arrow_field *child_field = &field->children[index];
    write_path child_path = {child_field->name, path};
    if (start < 0 || len < 0 || start > child->length || len > child->length - start)
        return path_error(plan->err, REEL_INVALID_ARGUMENT, &child_path,
                          "elements up to %lld are referenced but the array has only %lld",
                          (long long)(start + len), (long long)child->length);
    return plan_array(plan, child_field, child, child->offset + start, len, &child_path, depth + 1);
}

/* Plans `array`'s elements [start, start + len), counted from the start of its buffers
 * (so `start` already includes array->offset). */
static reel_status plan_array(batch_plan *plan, const reel_arrow_field *field,
                              const reel_arrow_array *array, int64_t start, int64_t len,
                              const write_path *path, int depth)
{
    if (depth > REEL__IPC_MAX_DEPTH)
        return path_error(plan->err, REEL_LIMIT, path, "nested deeper than %d levels",
                          REEL__IPC_MAX_DEPTH);
    bool nested = field->type == REEL_ARROW_LIST || field->type == REEL_ARROW_LARGE_LIST ||
                  field->type == REEL_ARROW_FIXED_SIZE_LIST || field->type == REEL_ARROW_STRUCT ||
                  field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION ||
                  field->type == REEL_ARROW_MAP;
    if (nested && (array->n_children != field->n_children || field->n_children < 0 ||
                   (field->n_children > 0 && array->children == NULL)))
        return path_error(plan->err, REEL_INVALID_ARGUMENT, path,
                          "the array has %lld children, the field %lld",
                          (long long)array->n_children, (long long)field->n_children);
    if (start < 0 || len < 0)
        return path_error(plan->err, REEL_INVALID_ARGUMENT, path, "bad range %lld+%lld",
                          (long long)start, (long long)len);

    const reel_arrow_buffer *validity = &array->buffers[0];
    plan_node node = {len, 0};
    if (field->type == REEL_ARROW_NULL_TYPE) {
        node.null_count = len;
    } else if (has_validity(field->type) && validity->data != NULL && len > 0) {
        if (start == array->offset && len == array->length && array->null_count >= 0) {
            node.null_count = array->null_count;
        } else {
            REEL_TRY(check_covers(plan, path, "validity", validity, start, len, 0));
            node.null_count = reel_arrow_count_nulls(validity, start, len);
        }
    } else if (has_validity(field->type) && array->null_count > 0 && start == array->offset &&
               len == array->length) {
        return path_error(plan->err, REEL_INVALID_ARGUMENT, path,
                          "null_count is %lld but there is no validity bitmap",
                          (long long)array->null_count);
    }
    if (reel_vec_push(&plan->nodes, &node) != REEL_OK)
        return reel_error_set(plan->err, REEL_OUT_OF_MEMORY, "out of memory planning a batch");

    if (has_validity(field->type)) {
        if (node.null_count == 0)
            REEL_TRY(plan_copy(plan, NULL, 0));
        else
            REEL_TRY(plan_bitmap(plan, path, "validity", validity, start, len));
    }
    const reel_arrow_buffer *values = &array->buffers[1];
    int64_t first, last, child_start, child_len;
    switch (field->type) {
    case REEL_ARROW_NULL_TYPE:
        return REEL_OK;
    case REEL_ARROW_BOOL:
        return plan_bitmap(plan, path, "values", values, start, len);
    case REEL_ARROW_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_LARGE_BINARY: {
        int64_t width = field->type == REEL_ARROW_UTF8 || field->type == REEL_ARROW_BINARY ? 4 : 8;
        REEL_TRY(plan_offsets(plan, path, values, start, len, width, &first, &last));
        REEL_TRY(check_covers(plan, path, "data", &array->buffers[2], first, last - first, 1));
        return plan_copy(plan, byte_at(&array->buffers[2], first), last - first);
    }
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_MAP:
        if (field->n_children != 1)
            break;
        REEL_TRY(plan_offsets(plan, path, values, start, len,
                              field->type == REEL_ARROW_LARGE_LIST ? 8 : 4, &first, &last));
        return plan_child(plan, field, array, 0, first, last - first, path, depth);
    case REEL_ARROW_FIXED_SIZE_LIST:
        /* Element p (counted from the start of the buffers, offset included) is the child's
         * logical elements [p * size, (p + 1) * size). */
        if (field->n_children != 1 || !mul_i64(start, field->fixed_size, &child_start) ||
            !mul_i64(len, field->fixed_size, &child_len))
            break;
        return plan_child(plan, field, array, 0, child_start, child_len, path, depth);
    case REEL_ARROW_STRUCT:
        for (int32_t i = 0; i < field->n_children; i++)
            REEL_TRY(plan_child(plan, field, array, i, start, len, path, depth));
        return REEL_OK;
    case REEL_ARROW_SPARSE_UNION:
        REEL_TRY(check_covers(plan, path, "type codes", validity, start, len, 1));
        REEL_TRY(plan_copy(plan, byte_at(validity, start), len));
        for (int32_t i = 0; i < field->n_children; i++)
            REEL_TRY(plan_child(plan, field, array, i, start, len, path, depth));
        return REEL_OK;
    case REEL_ARROW_DENSE_UNION:
        REEL_TRY(check_covers(plan, path, "type codes", validity, start, len, 1));
        REEL_TRY(plan_copy(plan, byte_at(validity, start), len));
        REEL_TRY(check_covers(plan, path, "offsets", values, start, len, 4));
        REEL_TRY(plan_copy(plan, byte_at(values, start * 4), len * 4));
        for (int32_t i = 0; i < field->n_children; i++)
            REEL_TRY(plan_child(plan, field, array, i, 0, array->children[i].length, path, depth));
        return REEL_OK;
    case REEL_ARROW_DICTIONARY: {
        /* The indices; the values go in a DictionaryBatch of their own. */
        int32_t width = reel__arrow_value_width(field);
        if (width <= 0)
            break;
        REEL_TRY(check_covers(plan, path, "indices", values, start, len, width));
        return plan_copy(plan, byte_at(values, start * width), len * width);
    }
    default: {
        int32_t width = reel_arrow_fixed_width(field);
        if (width <= 0)
            return path_error(plan->err, REEL_INVALID_ARGUMENT, path,
                              "cannot write type %lld (fixed width %lld)", (long long)field->type,
                              (long long)width);
        REEL_TRY(check_covers(plan, path, "values", values, start, len, width));
        return plan_copy(plan, byte_at(values, start * width), len * width);
    }
    }
    return path_error(plan->err, REEL_INVALID_ARGUMENT, path,
                      "malformed nested field (%lld children, size %lld)",
                      (long long)field->n_children, (long long)field->fixed_size);
}

/* ---------------------------------------------------------------- record batch: write */

static void write_bits(uint8_t *dst, const uint8_t *src, int64_t bit_offset, int64_t count)
{
    const uint8_t *from = src + bit_offset / 8;
    int shift = (int)(bit_offset % 8);
    int64_t bytes = count / 8 + (count % 8 != 0);
    /* The last source byte needed holds bit bit_offset + count - 1. */
    int64_t src_bytes = (bit_offset % 8 + count + 7) / 8;
    for (int64_t i = 0; i < bytes; i++) {
        unsigned v = from[i] >> shift;
        if (i + 1 < src_bytes)
            v |= (unsigned)from[i + 1] << (8 - shift);
        dst[i] = (uint8_t)v;
    }
    if (count % 8 != 0)
        dst[bytes - 1] &= (uint8_t)((1u << (count % 8)) - 1);
}

static void write_buffer(uint8_t *dst, const plan_buffer *b)
{
    switch (b->kind) {
    case PLAN_COPY:
        if (b->length != 0)
            memcpy(dst, b->src, (size_t)b->length);
        break;
    case PLAN_BITS:
        write_bits(dst, b->src, b->bit_offset, b->count);
        break;
    case PLAN_OFFSETS32:
        for (int64_t k = 0; k < b->count; k++) {
            int32_t v;
            memcpy(&v, b->src + 4 * k, 4);
            v = (int32_t)(v - (int32_t)b->base);
            memcpy(dst + 4 * k, &v, 4);
        }
        break;
    case PLAN_OFFSETS64:
        for (int64_t k = 0; k < b->count; k++) {
            int64_t v;
            memcpy(&v, b->src + 8 * k, 8);
            v -= b->base;
            memcpy(dst + 8 * k, &v, 8);
        }
        break;
    case PLAN_ZEROS:
        memset(dst, 0, (size_t)b->length);
        break;
    }
}

/* Bytes of padding after buffer i of the plan. */
static size_t padding_after(const batch_plan *plan, size_t i)
{
    const plan_buffer *buffers = plan->buffers.data;
    int64_t end = i + 1 < plan->buffers.len ? buffers[i + 1].body_offset : plan->body_len;
    return (size_t)(end - buffers[i].body_offset - buffers[i].length);
}

static void write_body(uint8_t *body, const batch_plan *plan)
{
    const plan_buffer *buffers = plan->buffers.data;
    for (size_t i = 0; i < plan->buffers.len; i++) {
        const plan_buffer *b = &buffers[i];
        uint8_t *dst = body + b->body_offset;
        write_buffer(dst, b);
        memset(dst + b->length, 0, padding_after(plan, i));
    }
}

/* Where a stream written by reference puts its large buffers (NULL: nowhere, copy them). */
typedef struct ipc_refs {
    reel_vec *refs; /* reel_ipc_ref */
    size_t min_bytes;
} ipc_refs;

static bool is_ref(const plan_buffer *b, const ipc_refs *refs)
{
    return refs != NULL && b->kind == PLAN_COPY && b->length > 0 &&
           (size_t)b->length >= refs->min_bytes;
}

/* Body bytes that `refs` leaves out of the output. */
static size_t referenced_bytes(const batch_plan *plan, const ipc_refs *refs)
{
    const plan_buffer *buffers = plan->buffers.data;
    size_t total = 0;
    for (size_t i = 0; i < plan->buffers.len; i++)
        total += is_ref(&buffers[i], refs) ? (size_t)buffers[i].length : 0;
    return total;
}

/* write_body leaving the referenced buffers out: the compacted body starts at byte `at` of
 * `out` (already reserved), and each left-out buffer becomes a ref at the output offset
 * where its bytes belong (its padding stays in the output). */
static reel_status write_body_refs(reel_buf *out, size_t at, const batch_plan *plan,
                                   const ipc_refs *refs)
{
    const plan_buffer *buffers = plan->buffers.data;
    for (size_t i = 0; i < plan->buffers.len; i++) {
        const plan_buffer *b = &buffers[i];
        if (is_ref(b, refs)) {
            reel_ipc_ref ref = {at, b->src, (size_t)b->length};
            if (reel_vec_push(refs->refs, &ref) != REEL_OK)
                return REEL_OUT_OF_MEMORY;
        } else {
            write_buffer(out->data + at, b);
            at += (size_t)b->length;
        }
        size_t padding = padding_after(plan, i);
        memset(out->data + at, 0, padding);
        at += padding;
    }
    return REEL_OK;
}

/* The Message around `plan`: a RecordBatch of `length` rows or, for dictionary_id >= 0, a
 * DictionaryBatch of that id holding it. */
static reel_status build_batch_metadata(reel__fb_builder *fb, const batch_plan *plan,
                                        int64_t length, int64_t dictionary_id, reel_span *out)
{
    const plan_node *nodes = plan->nodes.data;
    const plan_buffer *buffers = plan->buffers.data;
    uint8_t *p = reel__fb_vector_begin(fb, plan->buffers.len, 16, 8);
    for (size_t i = 0; p != NULL && i < plan->buffers.len; i++) {
        reel_store_u64le(p + 16 * i, (uint64_t)buffers[i].body_offset);
        reel_store_u64le(p + 16 * i + 8, (uint64_t)buffers[i].length);
    }
    reel__fb_ref buffer_vec = reel__fb_vector_end(fb, plan->buffers.len);
    p = reel__fb_vector_begin(fb, plan->nodes.len, 16, 8);
    for (size_t i = 0; p != NULL && i < plan->nodes.len; i++) {
        reel_store_u64le(p + 16 * i, (uint64_t)nodes[i].length);
        reel_store_u64le(p + 16 * i + 8, (uint64_t)nodes[i].null_count);
    }
    reel__fb_ref node_vec = reel__fb_vector_end(fb, plan->nodes.len);
    reel__fb_table_begin(fb);
    reel__fb_add_i64(fb, REEL__IPC_BATCH_LENGTH, length);
    reel__fb_add_ref(fb, REEL__IPC_BATCH_NODES, node_vec);
    reel__fb_add_ref(fb, REEL__IPC_BATCH_BUFFERS, buffer_vec);
    reel__fb_ref header = reel__fb_table_end(fb);
    uint8_t header_type = REEL__IPC_HEADER_RECORD_BATCH;
    if (dictionary_id >= 0) {
        reel__fb_table_begin(fb);
        reel__fb_add_i64(fb, REEL__IPC_DICT_BATCH_ID, dictionary_id);
        reel__fb_add_ref(fb, REEL__IPC_DICT_BATCH_DATA, header);
        reel__fb_add_bool(fb, REEL__IPC_DICT_BATCH_IS_DELTA, false);
        header = reel__fb_table_end(fb);
        header_type = REEL__IPC_HEADER_DICTIONARY_BATCH;
    }
    reel__fb_ref message = write_message_table(fb, header_type, header, plan->body_len);
    return reel__fb_finish(fb, message, out);
}

/* Plans the columns[0..n) of arrays[0..n) over rows [offset, offset + length) and appends
 * the message (see build_batch_metadata). */
static reel_status write_planned_batch(reel_buf *out, const reel_arrow_field *columns,
                                       const reel_arrow_array *arrays, int32_t n, int64_t offset,
                                       int64_t length, int64_t dictionary_id,
                                       const write_path *parent, size_t alignment, int depth,
                                       const ipc_refs *refs, reel_error *err)
{
    batch_plan plan = {.alignment = (int64_t)alignment, .err = err};
    reel_vec_init(&plan.nodes, sizeof(plan_node), out->alloc);
    reel_vec_init(&plan.buffers, sizeof(plan_buffer), out->alloc);
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, out->alloc);
    reel_status status = REEL_OK;
    for (int32_t i = 0; status == REEL_OK && i < n; i++) {
        const reel_arrow_array *column = &arrays[i];
        write_path path = {columns[i].name, parent};
        if (offset > column->length || length > column->length - offset)
            status = path_error(err, REEL_INVALID_ARGUMENT, &path,
                                "the batch needs %lld rows, the column has %lld",
                                (long long)(offset + length), (long long)column->length);
        else
            status = plan_array(&plan, &columns[i], column, column->offset + offset, length, &path,
                                depth);
    }
    reel_span metadata = {0};
    if (status == REEL_OK) {
        status = build_batch_metadata(&fb, &plan, length, dictionary_id, &metadata);
        if (status != REEL_OK)
            reel_error_set(err, status, "IPC write: cannot build the record batch flatbuffer");
    }
    if (status == REEL_OK) {
        size_t left_out = referenced_bytes(&plan, refs);
        uint8_t *body =
            append_message(out, metadata, alignment, (size_t)plan.body_len - left_out, err);
        if (body == NULL)
            status = err ? err->status : REEL_OUT_OF_MEMORY;
        else if (refs == NULL)
            write_body(body, &plan);
        else if ((status = write_body_refs(out, (size_t)(body - out->data), &plan, refs)) !=
                 REEL_OK)
            reel_error_set(err, status, "IPC write: out of memory");
    }
    reel__fb_builder_free(&fb);
    reel_vec_free(&plan.nodes);
    reel_vec_free(&plan.buffers);
    return status;
}

/* Appends a DictionaryBatch for every dictionary at or below `array` (of `field`): those in
 * a dictionary's values before the dictionary itself, each whole. DICTIONARY fields are
 * numbered from *next_id in the schema writer's pre-order. */
static reel_status write_dictionaries(reel_buf *out, const reel_arrow_field *field,
                                      const reel_arrow_array *array, int64_t *next_id,
                                      const write_path *path, size_t alignment, int depth,
                                      const ipc_refs *refs, reel_error *err)
{
    if (depth > REEL__IPC_MAX_DEPTH)
        return path_error(err, REEL_LIMIT, path, "nested deeper than %d levels",
                          REEL__IPC_MAX_DEPTH);
    const reel_arrow_field *walked = field;
    const reel_arrow_array *walked_array = array;
    int64_t id = -1;
    if (field->type == REEL_ARROW_DICTIONARY) {
        if (array->dictionary == NULL)
            return path_error(err, REEL_INVALID_ARGUMENT, path,
                              "a dictionary array without its dictionary");
        if (field->dictionary->type == REEL_ARROW_DICTIONARY)
            return path_error(err, REEL_UNSUPPORTED, path,
                              "IPC cannot hold a dictionary whose values are dictionary-encoded "
                              "themselves");
        id = (*next_id)++;
        walked = field->dictionary;
        walked_array = array->dictionary;
    }
    if (walked->n_children > 0) {
        if (walked_array->n_children != walked->n_children || walked_array->children == NULL)
            return path_error(err, REEL_INVALID_ARGUMENT, path,
                              "the array has %lld children, the field %lld",
                              (long long)walked_array->n_children, (long long)walked->n_children);
        for (int32_t i = 0; i < walked->n_children; i++) {
            write_path child_path = {walked->children[i].name, path};
            REEL_TRY(write_dictionaries(out, &walked->children[i], &walked_array->children[i],
                                        next_id, &child_path, alignment, depth + 1, refs, err));
        }
    }
    if (id < 0)
        return REEL_OK;
    const reel_arrow_array *values = array->dictionary;
    return write_planned_batch(out, field->dictionary, values, 1, 0, values->length, id, path,
                               alignment, depth + 1, refs, err);
}

static reel_status write_batch(reel_buf *out, const reel_arrow_field *schema,
                               const reel_arrow_array *batch, const reel_ipc_write_options *options,
                               const ipc_refs *refs, reel_error *err)
{
    size_t alignment = 8;
    REEL_TRY(resolve_alignment(options, &alignment, err));
    REEL_TRY(check_schema(schema, err));
    if (batch == NULL || batch->n_children != schema->n_children || batch->length < 0 ||
        batch->offset < 0 || (batch->n_children > 0 && batch->children == NULL))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC write: the batch has %d columns, the schema %d",
                              batch ? (int)batch->n_children : -1, (int)schema->n_children);
    size_t start_len = out->len;
    int64_t next_id = 0;
    reel_status status = REEL_OK;
    for (int32_t i = 0; status == REEL_OK && i < schema->n_children; i++) {
        write_path path = {schema->children[i].name, NULL};
        status = write_dictionaries(out, &schema->children[i], &batch->children[i], &next_id, &path,
                                    alignment, 1, refs, err);
    }
    /* A batch is a struct: its offset applies to the columns. */
    if (status == REEL_OK)
        status =
            write_planned_batch(out, schema->children, batch->children, schema->n_children,
                                batch->offset, batch->length, -1, NULL, alignment, 1, refs, err);
    if (status != REEL_OK)
        out->len = start_len; /* no DictionaryBatch without its RecordBatch */
    return status;
}

reel_status reel_ipc_write_batch(reel_buf *out, const reel_arrow_field *schema,
                                 const reel_arrow_array *batch,
                                 const reel_ipc_write_options *options, reel_error *err)
{
    return write_batch(out, schema, batch, options, NULL, err);
}

reel_status reel_ipc_write_eos(reel_buf *out)
{
    uint8_t eos[8];
    reel_store_u32le(eos, REEL__IPC_CONTINUATION);
    reel_store_u32le(eos + 4, 0);
    return reel_buf_append(out, eos, sizeof eos);
}

static reel_status write_stream(reel_buf *out, const reel_arrow_field *schema,
                                const reel_arrow_array *batches, int64_t batch_count,
                                const reel_ipc_write_options *options, const ipc_refs *refs,
                                reel_error *err)
{
    size_t start_len = out->len;
    size_t start_refs = refs != NULL ? refs->refs->len : 0;
    reel_status status = reel_ipc_write_schema(out, schema, options, err);
    for (int64_t i = 0; status == REEL_OK && i < batch_count; i++) {
        status = write_batch(out, schema, &batches[i], options, refs, err);
        if (status != REEL_OK)
            reel_error_prefix(err, "batch %lld: ", (long long)i);
    }
    if (status == REEL_OK && (status = reel_ipc_write_eos(out)) != REEL_OK)
        reel_error_set(err, status, "IPC write: out of memory");
    if (status != REEL_OK) {
        out->len = start_len; /* nothing half-written is left behind */
        if (refs != NULL)
            refs->refs->len = start_refs;
    }
    return status;
}

reel_status reel_ipc_write_stream(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_arrow_array *batches, int64_t batch_count,
                                  const reel_ipc_write_options *options, reel_error *err)
{
    return write_stream(out, schema, batches, batch_count, options, NULL, err);
}

reel_status reel_ipc_write_stream_refs(reel_buf *out, reel_vec *refs, size_t min_ref_bytes,
                                       const reel_arrow_field *schema,
                                       const reel_arrow_array *batches, int64_t batch_count,
                                       const reel_ipc_write_options *options, reel_error *err)
{
    if (refs == NULL || refs->elem_size != sizeof(reel_ipc_ref))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC write: refs must be a vector of reel_ipc_ref");
    ipc_refs where = {refs, min_ref_bytes > 0 ? min_ref_bytes : 1};
    return write_stream(out, schema, batches, batch_count, options, &where, err);
}
