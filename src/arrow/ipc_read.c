/* Arrow IPC stream reader: sizes messages incrementally, decodes Schema, DictionaryBatch and
 * RecordBatch messages (metadata V4/V5, little-endian, uncompressed) and reads whole
 * streams. The bytes are untrusted: lengths are checked before use, allocations are bounded
 * by the message size, and decoded batches are validated (fully unless the caller trusts
 * the input). Batch buffers point into the caller's blob (zero-copy) unless a buffer is
 * misaligned for its element type, in which case that buffer alone is copied.
 *
 * Dictionaries: the schema's dictionary-encoded fields become DICTIONARY fields, each with
 * the id its DictionaryEncoding gave. The decoder keeps the current values of every id
 * (DictionaryBatch messages, read like one-column record batches of the values' type,
 * replace or with isDelta extend them) and gives every dictionary array of a record batch
 * a reference to the values of its field's id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_util.h"
#include "arrow/flatbuf.h"
#include "arrow/ipc_format.h"

#define DEFAULT_MAX_MESSAGE_SIZE ((uint64_t)2 << 30)
/* Rerun's metadata maps have a handful of keys; this keeps a hostile schema from making
 * key-by-key insertion quadratic. */
#define MAX_METADATA_ENTRIES 4096
/* A delta DictionaryBatch is joined to the values before it by copying them, so a stream of
 * many small deltas costs quadratic time: the bytes copied that way may exceed the stream's
 * bytes so far only by this factor (plus the allowance). */
#define DELTA_COPY_FACTOR 64
#define DELTA_COPY_ALLOWANCE ((uint64_t)64 << 20)

/* One dictionary id of the schema and its current values. */
typedef struct dictionary_entry {
    int64_t id;
    const reel_arrow_field *value_field; /* the values' type, inside the decoder's schema */
    bool has_values;
    reel_arrow_array values;
    uint64_t body_bytes; /* of the DictionaryBatch messages the values came from */
} dictionary_entry;

/* A DICTIONARY field of the schema (or of a dictionary's values) and its entry. */
typedef struct dictionary_use {
    const reel_arrow_field *field;
    int64_t id;
    size_t entry;
} dictionary_use;

struct reel_ipc_decoder {
    const reel_allocator *alloc;
    reel_arrow_validate_level level;
    uint64_t max_message_size;
    bool has_schema;
    reel_arrow_field schema;
    reel_vec entries;       /* dictionary_entry, sorted by id */
    reel_vec uses;          /* dictionary_use, sorted by field address */
    uint64_t delta_copied;  /* body bytes copied to join delta dictionaries */
    uint64_t offset;        /* stream offset of the next message */
    uint64_t message_index; /* 0-based index of the next message */
};

/* ---------------------------------------------------------------- message sizing */

/* The parts of an encapsulated message's framing. */
typedef struct message_frame {
    uint32_t prefix_len;   /* 8 (0xFFFFFFFF + length) or 4 (legacy) */
    uint32_t metadata_len; /* flatbuffer plus padding; 0 means end of stream */
    uint64_t body_len;
} message_frame;

static reel_status open_message_table(const uint8_t *metadata, size_t len, reel__fb_reader *reader,
                                      reel__fb_table *message, reel_error *err)
{
    REEL_TRY(reel__fb_reader_init(reader, metadata, len, err));
    REEL_TRY(reel__fb_root(reader, message));
    return REEL_OK;
}

static reel_status frame_message(const uint8_t *data, size_t len, uint64_t max_message_size,
                                 message_frame *frame, uint64_t *needed, reel_error *err)
{
    memset(frame, 0, sizeof *frame);
    *needed = 0;
    if (len < 4) {
        *needed = 4;
        return reel_error_set(err, REEL_TRUNCATED,
                              "message prefix truncated (need 4 bytes, have %zu)", len);
    }
    uint32_t first = reel_load_u32le(data);
    int32_t metadata_len;
    /* The file format's magic would otherwise read as a legacy length of about 1.3 GB. */
    if (memcmp(data, "ARRO", 4) == 0) {
        if (len < 6) {
            *needed = 6;
            return reel_error_set(err, REEL_TRUNCATED,
                                  "message prefix truncated (need 6 bytes "
                                  "to tell the file format, have %zu)",
                                  len);
        }
        if (memcmp(data + 4, "W1", 2) == 0)
            return reel_error_set(err, REEL_UNSUPPORTED,
                                  "this is the Arrow IPC file format (\"ARROW1\" magic), not a "
                                  "stream: read it with reel_ipc_read_file");
    }
    if (first == REEL__IPC_CONTINUATION) {
        if (len < 8) {
            *needed = 8;
            return reel_error_set(err, REEL_TRUNCATED,
                                  "message prefix truncated (need 8 bytes, have %zu)", len);
        }
        frame->prefix_len = 8;
        metadata_len = (int32_t)reel_load_u32le(data + 4);
    } else {
        frame->prefix_len = 4; /* pre-0.15 streams: no continuation marker */
        metadata_len = (int32_t)first;
    }
    if (metadata_len < 0)
        return reel_error_set(err, REEL_CORRUPT, "negative metadata length %d", (int)metadata_len);
    frame->metadata_len = (uint32_t)metadata_len;
    if (metadata_len == 0)
        return REEL_OK; /* end of stream */
    uint64_t metadata_end = frame->prefix_len + (uint64_t)frame->metadata_len;
    if (metadata_end > max_message_size)
        return reel_error_set(err, REEL_LIMIT,
                              "message metadata of %u bytes exceeds the %llu-byte message limit",
                              frame->metadata_len, (unsigned long long)max_message_size);
    if (len < metadata_end) {
        *needed = metadata_end;
        return reel_error_set(err, REEL_TRUNCATED,
                              "message metadata truncated (need %llu bytes, have %zu)",
                              (unsigned long long)metadata_end, len);
    }
    reel__fb_reader reader;
    reel__fb_table message;
    int64_t body_len;
    reel_status status =
        open_message_table(data + frame->prefix_len, frame->metadata_len, &reader, &message, err);
    if (status == REEL_OK)
        status = reel__fb_get_i64(&message, REEL__IPC_MESSAGE_BODY_LENGTH, 0, &body_len);
    if (status != REEL_OK) {
        reel_error_prefix(err, "Message metadata: ");
        return status;
    }
    if (body_len < 0)
        return reel_error_set(err, REEL_CORRUPT, "negative body length %lld", (long long)body_len);
    if ((uint64_t)body_len > max_message_size - metadata_end)
        return reel_error_set(err, REEL_LIMIT,
                              "message of %llu metadata + %lld body bytes exceeds the %llu-byte "
                              "message limit",
                              (unsigned long long)metadata_end, (long long)body_len,
                              (unsigned long long)max_message_size);
    frame->body_len = (uint64_t)body_len;
    return REEL_OK;
}

reel_status reel_ipc_message_size(const uint8_t *data, size_t len, uint64_t max_message_size,
                                  uint64_t *message_size, uint64_t *needed, reel_error *err)
{
    uint64_t ignored_needed;
    if (needed == NULL)
        needed = &ignored_needed;
    *message_size = 0;
    if (max_message_size == 0)
        max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
    message_frame frame;
    REEL_TRY(frame_message(data, len, max_message_size, &frame, needed, err));
    *message_size = frame.prefix_len + (uint64_t)frame.metadata_len + frame.body_len;
    return REEL_OK;
}

/* ---------------------------------------------------------------- schema */

typedef struct schema_reader {
    const reel_allocator *alloc;
    reel_error *err;
    reel_vec *uses; /* dictionary_use of every dictionary-encoded field read (entry unset) */
} schema_reader;

/* A NUL-terminated copy of a flatbuffer string (absent = ""). */
static reel_status copy_string(const schema_reader *sr, reel_span text, char **out)
{
    *out = reel_strndup(sr->alloc, text.data ? (const char *)text.data : "", text.len);
    if (*out == NULL)
        return reel_error_set(sr->err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
    return REEL_OK;
}

static reel_status read_metadata(const schema_reader *sr, const reel__fb_table *table, uint16_t id,
                                 reel_arrow_metadata *out, const char *owner)
{
    reel__fb_vector entries;
    bool present;
    REEL_TRY(reel__fb_get_vector(table, id, 4, &entries, &present));
    if (entries.count > MAX_METADATA_ENTRIES)
        return reel_error_set(sr->err, REEL_LIMIT, "%s has %u metadata entries (limit %d)", owner,
                              entries.count, MAX_METADATA_ENTRIES);
    for (uint32_t i = 0; i < entries.count; i++) {
        reel__fb_table kv;
        reel_span key, value;
        bool has_key, has_value;
        REEL_TRY(reel__fb_vector_table(&entries, i, &kv));
        REEL_TRY(reel__fb_get_string(&kv, REEL__IPC_KV_KEY, &key, &has_key));
        REEL_TRY(reel__fb_get_string(&kv, REEL__IPC_KV_VALUE, &value, &has_value));
        char *key_copy, *value_copy = NULL;
        REEL_TRY(copy_string(sr, key, &key_copy));
        reel_status status = copy_string(sr, value, &value_copy);
        if (status == REEL_OK &&
            reel_arrow_metadata_set(out, sr->alloc, key_copy, value_copy) != REEL_OK)
            status = reel_error_set(sr->err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
        reel_strfree(sr->alloc, key_copy);
        reel_strfree(sr->alloc, value_copy);
        REEL_TRY(status);
    }
    return REEL_OK;
}

static reel_status read_time_unit(const schema_reader *sr, const reel__fb_table *type, uint16_t id,
                                  int16_t def, const char *name, reel_arrow_time_unit *out)
{
    int16_t unit;
    REEL_TRY(reel__fb_get_i16(type, id, def, &unit));
    if (unit < REEL_ARROW_SECOND || unit > REEL_ARROW_NANO)
        return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': time unit %d is not one of 0-3",
                              name, (int)unit);
    *out = (reel_arrow_time_unit)unit;
    return REEL_OK;
}

/* What the Type union says about a field, before the field exists. */
typedef struct decoded_type {
    reel_arrow_type type;
    int32_t fixed_size;
    reel_arrow_time_unit unit;
    int32_t precision, scale;
    bool keys_sorted;
    reel_span timezone;
    bool has_timezone;
    reel__fb_vector type_ids;
    bool has_type_ids;
} decoded_type;

/* An Int table (a type, or a dictionary's indexType) as an integer type. */
static reel_status read_int_type(const schema_reader *sr, const reel__fb_table *type,
                                 const char *name, reel_arrow_type *out)
{
    int32_t bit_width;
    bool is_signed;
    REEL_TRY(reel__fb_get_i32(type, REEL__IPC_INT_BIT_WIDTH, 0, &bit_width));
    REEL_TRY(reel__fb_get_bool(type, REEL__IPC_INT_IS_SIGNED, false, &is_signed));
    int index = bit_width == 8    ? 0
                : bit_width == 16 ? 1
                : bit_width == 32 ? 2
                : bit_width == 64 ? 3
                                  : -1;
    if (index < 0)
        return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': Int bitWidth %d", name,
                              (int)bit_width);
    *out = (reel_arrow_type)((is_signed ? REEL_ARROW_INT8 : REEL_ARROW_UINT8) + index);
    return REEL_OK;
}

static reel_status read_type(const schema_reader *sr, uint8_t type_type, const reel__fb_table *type,
                             const char *name, decoded_type *out)
{
    memset(out, 0, sizeof *out);
    switch (type_type) {
    case REEL__IPC_TYPE_NULL:
        out->type = REEL_ARROW_NULL_TYPE;
        return REEL_OK;
    case REEL__IPC_TYPE_BOOL:
        out->type = REEL_ARROW_BOOL;
        return REEL_OK;
    case REEL__IPC_TYPE_BINARY:
        out->type = REEL_ARROW_BINARY;
        return REEL_OK;
    case REEL__IPC_TYPE_UTF8:
        out->type = REEL_ARROW_UTF8;
        return REEL_OK;
    case REEL__IPC_TYPE_LARGE_BINARY:
        out->type = REEL_ARROW_LARGE_BINARY;
        return REEL_OK;
    case REEL__IPC_TYPE_LARGE_UTF8:
        out->type = REEL_ARROW_LARGE_UTF8;
        return REEL_OK;
    case REEL__IPC_TYPE_LIST:
        out->type = REEL_ARROW_LIST;
        return REEL_OK;
    case REEL__IPC_TYPE_LARGE_LIST:
        out->type = REEL_ARROW_LARGE_LIST;
        return REEL_OK;
    case REEL__IPC_TYPE_STRUCT:
        out->type = REEL_ARROW_STRUCT;
        return REEL_OK;
    case REEL__IPC_TYPE_INT:
        return read_int_type(sr, type, name, &out->type);
    case REEL__IPC_TYPE_MAP:
        out->type = REEL_ARROW_MAP;
        return reel__fb_get_bool(type, REEL__IPC_MAP_KEYS_SORTED, false, &out->keys_sorted);
    case REEL__IPC_TYPE_DECIMAL: {
        int32_t bit_width;
        REEL_TRY(reel__fb_get_i32(type, REEL__IPC_DECIMAL_PRECISION, 0, &out->precision));
        REEL_TRY(reel__fb_get_i32(type, REEL__IPC_DECIMAL_SCALE, 0, &out->scale));
        REEL_TRY(reel__fb_get_i32(type, REEL__IPC_DECIMAL_BIT_WIDTH, 128, &bit_width));
        out->type = bit_width == 32    ? REEL_ARROW_DECIMAL32
                    : bit_width == 64  ? REEL_ARROW_DECIMAL64
                    : bit_width == 128 ? REEL_ARROW_DECIMAL128
                    : bit_width == 256 ? REEL_ARROW_DECIMAL256
                                       : REEL_ARROW_NULL_TYPE;
        if (out->type == REEL_ARROW_NULL_TYPE)
            return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': Decimal bitWidth %d", name,
                                  (int)bit_width);
        if (out->scale < REEL__ARROW_DECIMAL_MIN_SCALE ||
            out->scale > REEL__ARROW_DECIMAL_MAX_SCALE)
            return reel_error_set(sr->err, REEL_UNSUPPORTED,
                                  "field '%s': Decimal scale %d is outside %d..%d (arrow-rs's "
                                  "range)",
                                  name, (int)out->scale, REEL__ARROW_DECIMAL_MIN_SCALE,
                                  REEL__ARROW_DECIMAL_MAX_SCALE);
        return REEL_OK;
    }
    case REEL__IPC_TYPE_FLOATING_POINT: {
        int16_t precision;
        REEL_TRY(reel__fb_get_i16(type, REEL__IPC_FLOAT_PRECISION, 0, &precision));
        if (precision < REEL__IPC_PRECISION_HALF || precision > REEL__IPC_PRECISION_DOUBLE)
            return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': FloatingPoint precision %d",
                                  name, (int)precision);
        out->type = (reel_arrow_type)(REEL_ARROW_FLOAT16 + precision);
        return REEL_OK;
    }
    case REEL__IPC_TYPE_DATE: {
        int16_t unit;
        REEL_TRY(reel__fb_get_i16(type, REEL__IPC_DATE_UNIT, REEL__IPC_DATE_MILLISECOND, &unit));
        if (unit != REEL__IPC_DATE_DAY && unit != REEL__IPC_DATE_MILLISECOND)
            return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': Date unit %d", name,
                                  (int)unit);
        out->type = unit == REEL__IPC_DATE_DAY ? REEL_ARROW_DATE32 : REEL_ARROW_DATE64;
        out->unit = unit == REEL__IPC_DATE_DAY ? REEL_ARROW_SECOND : REEL_ARROW_MILLI;
        return REEL_OK;
    }
    case REEL__IPC_TYPE_TIME: {
        int32_t bit_width;
        REEL_TRY(read_time_unit(sr, type, REEL__IPC_TIME_UNIT, REEL_ARROW_MILLI, name, &out->unit));
        REEL_TRY(reel__fb_get_i32(type, REEL__IPC_TIME_BIT_WIDTH, 32, &bit_width));
        bool small_unit = out->unit == REEL_ARROW_SECOND || out->unit == REEL_ARROW_MILLI;
        if (bit_width != (small_unit ? 32 : 64))
            return reel_error_set(sr->err, REEL_CORRUPT,
                                  "field '%s': Time with unit %d cannot be %d bits wide", name,
                                  (int)out->unit, (int)bit_width);
        out->type = small_unit ? REEL_ARROW_TIME32 : REEL_ARROW_TIME64;
        return REEL_OK;
    }
    case REEL__IPC_TYPE_TIMESTAMP:
        out->type = REEL_ARROW_TIMESTAMP;
        REEL_TRY(read_time_unit(sr, type, REEL__IPC_TIMESTAMP_UNIT, REEL_ARROW_SECOND, name,
                                &out->unit));
        return reel__fb_get_string(type, REEL__IPC_TIMESTAMP_TIMEZONE, &out->timezone,
                                   &out->has_timezone);
    case REEL__IPC_TYPE_DURATION:
        out->type = REEL_ARROW_DURATION;
        return read_time_unit(sr, type, REEL__IPC_DURATION_UNIT, REEL_ARROW_MILLI, name,
                              &out->unit);
    case REEL__IPC_TYPE_FIXED_SIZE_BINARY:
        out->type = REEL_ARROW_FIXED_SIZE_BINARY;
        return reel__fb_get_i32(type, REEL__IPC_FIXED_SIZE, 0, &out->fixed_size);
    case REEL__IPC_TYPE_FIXED_SIZE_LIST:
        out->type = REEL_ARROW_FIXED_SIZE_LIST;
        return reel__fb_get_i32(type, REEL__IPC_FIXED_SIZE, 0, &out->fixed_size);
    case REEL__IPC_TYPE_UNION: {
        int16_t mode;
        REEL_TRY(reel__fb_get_i16(type, REEL__IPC_UNION_MODE, REEL__IPC_UNION_SPARSE, &mode));
        if (mode != REEL__IPC_UNION_SPARSE && mode != REEL__IPC_UNION_DENSE)
            return reel_error_set(sr->err, REEL_CORRUPT, "field '%s': Union mode %d", name,
                                  (int)mode);
        out->type =
            mode == REEL__IPC_UNION_DENSE ? REEL_ARROW_DENSE_UNION : REEL_ARROW_SPARSE_UNION;
        return reel__fb_get_vector(type, REEL__IPC_UNION_TYPE_IDS, 4, &out->type_ids,
                                   &out->has_type_ids);
    }
    case REEL__IPC_TYPE_NONE:
        return reel_error_set(sr->err, REEL_CORRUPT, "field '%s' has no type", name);
    case REEL__IPC_TYPE_INTERVAL:
    case REEL__IPC_TYPE_RUN_END_ENCODED:
    case REEL__IPC_TYPE_BINARY_VIEW:
    case REEL__IPC_TYPE_UTF8_VIEW:
    case REEL__IPC_TYPE_LIST_VIEW:
    case REEL__IPC_TYPE_LARGE_LIST_VIEW: {
        static const char *const names[] = {
            [REEL__IPC_TYPE_INTERVAL] = "Interval",
            [REEL__IPC_TYPE_RUN_END_ENCODED] = "RunEndEncoded",
            [REEL__IPC_TYPE_BINARY_VIEW] = "BinaryView",
            [REEL__IPC_TYPE_UTF8_VIEW] = "Utf8View",
            [REEL__IPC_TYPE_LIST_VIEW] = "ListView",
            [REEL__IPC_TYPE_LARGE_LIST_VIEW] = "LargeListView",
        };
        return reel_error_set(sr->err, REEL_UNSUPPORTED,
                              "field '%s' has Arrow type %s, which Reel does not support", name,
                              names[type_type]);
    }
    default:
        return reel_error_set(sr->err, REEL_UNSUPPORTED, "field '%s' has unknown Arrow type id %d",
                              name, (int)type_type);
    }
}

/* Allocates `count` zeroed children for `field` (exactly sized, as reel_arrow_field_reset
 * frees them; building them one add_child at a time would be quadratic in wide schemas). */
static reel_status alloc_children(const schema_reader *sr, reel_arrow_field *field, uint32_t count,
                                  bool is_union)
{
    if (count == 0)
        return REEL_OK;
    if (count > INT32_MAX / 2 || (is_union && count > 128))
        return reel_error_set(sr->err, REEL_CORRUPT, "field '%s' has %u children, too many%s",
                              field->name ? field->name : "", count,
                              is_union ? " for a union" : "");
    field->children = reel_alloc_zeroed(sr->alloc, (size_t)count * sizeof(reel_arrow_field));
    if (is_union && field->children != NULL) {
        field->union_type_codes = reel_alloc(sr->alloc, count);
        if (field->union_type_codes == NULL) {
            reel_free(sr->alloc, field->children, (size_t)count * sizeof(reel_arrow_field));
            field->children = NULL;
        }
    }
    if (field->children == NULL)
        return reel_error_set(sr->err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
    field->n_children = (int32_t)count;
    for (uint32_t i = 0; i < count; i++) {
        field->children[i].alloc = sr->alloc;
        if (is_union)
            field->union_type_codes[i] = (int8_t)i;
    }
    return REEL_OK;
}

/* A dictionary-encoded Field was read as its values' type: moves that type into a new
 * value field and makes `field` the DICTIONARY of it the DictionaryEncoding describes. */
static reel_status read_dictionary_encoding(const schema_reader *sr, const reel__fb_table *encoding,
                                            reel_arrow_field *field, const char *name)
{
    int64_t id;
    bool ordered, has_index;
    reel__fb_table index_table;
    reel_arrow_type index_type = REEL_ARROW_INT32; /* the default when indexType is absent */
    REEL_TRY(reel__fb_get_i64(encoding, REEL__IPC_DICT_ID, 0, &id));
    REEL_TRY(reel__fb_get_bool(encoding, REEL__IPC_DICT_IS_ORDERED, false, &ordered));
    REEL_TRY(reel__fb_get_table(encoding, REEL__IPC_DICT_INDEX_TYPE, &index_table, &has_index));
    if (has_index)
        REEL_TRY(read_int_type(sr, &index_table, name, &index_type));
    reel_arrow_field *value = reel_alloc_zeroed(sr->alloc, sizeof *value);
    dictionary_use use = {.field = field, .id = id};
    if (value == NULL || reel_vec_push(sr->uses, &use) != REEL_OK) {
        reel_free(sr->alloc, value, sizeof *value);
        return reel_error_set(sr->err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
    }
    *value = (reel_arrow_field){.type = field->type,
                                .nullable = true,
                                .fixed_size = field->fixed_size,
                                .unit = field->unit,
                                .timezone = field->timezone,
                                .union_type_codes = field->union_type_codes,
                                .precision = field->precision,
                                .scale = field->scale,
                                .keys_sorted = field->keys_sorted,
                                .n_children = field->n_children,
                                .children = field->children,
                                .alloc = sr->alloc};
    *field = (reel_arrow_field){.name = field->name,
                                .type = REEL_ARROW_DICTIONARY,
                                .nullable = field->nullable,
                                .index_type = index_type,
                                .dictionary_ordered = ordered,
                                .dictionary = value,
                                .metadata = field->metadata,
                                .alloc = sr->alloc};
    return REEL_OK;
}

/* Reads Field table `table` into `field`, which is zeroed with its allocator set (and is
 * reset by the caller on failure). */
static reel_status read_field(const schema_reader *sr, const reel__fb_table *table,
                              reel_arrow_field *field, int depth)
{
    reel_span name;
    bool has_name, has_type, has_dictionary, has_children;
    uint8_t type_type;
    reel__fb_table type_table, dictionary;
    reel__fb_vector children;
    REEL_TRY(reel__fb_get_string(table, REEL__IPC_FIELD_NAME, &name, &has_name));
    if (name.len > 0)
        REEL_TRY(copy_string(sr, name, &field->name));
    const char *shown = field->name ? field->name : "";
    if (depth > REEL__IPC_MAX_DEPTH)
        return reel_error_set(sr->err, REEL_LIMIT, "field '%s' is nested deeper than %d levels",
                              shown, REEL__IPC_MAX_DEPTH);
    REEL_TRY(reel__fb_get_bool(table, REEL__IPC_FIELD_NULLABLE, false, &field->nullable));
    REEL_TRY(reel__fb_get_table(table, REEL__IPC_FIELD_DICTIONARY, &dictionary, &has_dictionary));
    REEL_TRY(
        reel__fb_get_union(table, REEL__IPC_FIELD_TYPE_TYPE, &type_type, &type_table, &has_type));
    decoded_type type;
    REEL_TRY(read_type(sr, type_type, &type_table, shown, &type));
    field->type = type.type;
    field->fixed_size = type.fixed_size;
    field->unit = type.unit;
    field->precision = type.precision;
    field->scale = type.scale;
    field->keys_sorted = type.keys_sorted;
    if (type.has_timezone)
        REEL_TRY(copy_string(sr, type.timezone, &field->timezone));
    REEL_TRY(reel__fb_get_vector(table, REEL__IPC_FIELD_CHILDREN, 4, &children, &has_children));
    bool is_union = type.type == REEL_ARROW_SPARSE_UNION || type.type == REEL_ARROW_DENSE_UNION;
    if (type.has_type_ids && type.type_ids.count != children.count)
        return reel_error_set(sr->err, REEL_CORRUPT,
                              "union field '%s' has %u type ids for %u children", shown,
                              type.type_ids.count, children.count);
    REEL_TRY(alloc_children(sr, field, children.count, is_union));
    for (uint32_t i = 0; i < children.count; i++) {
        reel__fb_table child;
        REEL_TRY(reel__fb_vector_table(&children, i, &child));
        REEL_TRY(read_field(sr, &child, &field->children[i], depth + 1));
    }
    for (uint32_t i = 0; type.has_type_ids && i < children.count; i++) {
        int32_t code = (int32_t)reel_load_u32le(reel__fb_vector_elem(&type.type_ids, i));
        if (code < 0 || code > 127)
            return reel_error_set(sr->err, REEL_CORRUPT,
                                  "union field '%s': type id %d is outside 0..127", shown,
                                  (int)code);
        field->union_type_codes[i] = (int8_t)code;
    }
    REEL_TRY(read_metadata(sr, table, REEL__IPC_FIELD_CUSTOM_METADATA, &field->metadata, shown));
    return has_dictionary ? read_dictionary_encoding(sr, &dictionary, field, shown) : REEL_OK;
}

static int compare_use_ids(const void *a, const void *b)
{
    int64_t x = ((const dictionary_use *)a)->id, y = ((const dictionary_use *)b)->id;
    return (x > y) - (x < y);
}

static int compare_use_fields(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const dictionary_use *)a)->field;
    uintptr_t y = (uintptr_t)((const dictionary_use *)b)->field;
    return (x > y) - (x < y);
}

/* Builds the decoder's dictionary tables from the uses the schema reader found: one entry
 * per id (fields sharing an id must share the values' type), uses sorted for lookups. */
static reel_status index_dictionaries(reel_ipc_decoder *decoder, reel_vec *uses, reel_error *err)
{
    dictionary_use *u = uses->data;
    if (uses->len > 1)
        qsort(u, uses->len, sizeof *u, compare_use_ids);
    for (size_t i = 0; i < uses->len; i++) {
        const reel_arrow_field *values = u[i].field->dictionary;
        if (i == 0 || u[i].id != u[i - 1].id) {
            dictionary_entry entry = {.id = u[i].id, .value_field = values};
            if (reel_vec_push(&decoder->entries, &entry) != REEL_OK)
                return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
        } else if (!reel_arrow_field_type_equal(
                       REEL_VEC_AT(&decoder->entries, dictionary_entry, decoder->entries.len - 1)
                           .value_field,
                       values, false)) {
            return reel_error_set(err, REEL_CORRUPT,
                                  "fields '%s' and '%s' share dictionary id %lld but not the "
                                  "type of its values",
                                  u[i - 1].field->name ? u[i - 1].field->name : "",
                                  u[i].field->name ? u[i].field->name : "", (long long)u[i].id);
        }
        u[i].entry = decoder->entries.len - 1;
    }
    if (uses->len > 1)
        qsort(u, uses->len, sizeof *u, compare_use_fields);
    decoder->uses = *uses; /* moved */
    reel_vec_init(uses, sizeof(dictionary_use), decoder->alloc);
    return REEL_OK;
}

static reel_status read_schema(reel_ipc_decoder *decoder, const reel__fb_table *header,
                               reel_error *err)
{
    reel_vec uses;
    reel_vec_init(&uses, sizeof(dictionary_use), decoder->alloc);
    schema_reader sr = {decoder->alloc, err, &uses};
    int16_t endianness;
    reel__fb_vector fields;
    bool has_fields;
    REEL_TRY(reel__fb_get_i16(header, REEL__IPC_SCHEMA_ENDIANNESS, REEL__IPC_ENDIANNESS_LITTLE,
                              &endianness));
    if (endianness != REEL__IPC_ENDIANNESS_LITTLE)
        return reel_error_set(err, REEL_UNSUPPORTED, "Schema: big-endian data is not supported");
    REEL_TRY(reel__fb_get_vector(header, REEL__IPC_SCHEMA_FIELDS, 4, &fields, &has_fields));
    reel_arrow_field schema;
    if (reel_arrow_field_init(&schema, "", REEL_ARROW_STRUCT, false, decoder->alloc) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory reading a schema");
    reel_status status = alloc_children(&sr, &schema, fields.count, false);
    for (uint32_t i = 0; status == REEL_OK && i < fields.count; i++) {
        reel__fb_table field;
        status = reel__fb_vector_table(&fields, i, &field);
        if (status == REEL_OK)
            status = read_field(&sr, &field, &schema.children[i], 1);
    }
    if (status == REEL_OK)
        status = read_metadata(&sr, header, REEL__IPC_SCHEMA_CUSTOM_METADATA, &schema.metadata,
                               "the schema");
    if (status == REEL_OK && (status = reel_arrow_field_validate(&schema, err)) != REEL_OK) {
        if (status != REEL_OUT_OF_MEMORY)
            status = REEL_CORRUPT;
        if (err != NULL)
            err->status = status;
        reel_error_prefix(err, "Schema is malformed: ");
    }
    if (status == REEL_OK)
        status = index_dictionaries(decoder, &uses, err);
    reel_vec_free(&uses);
    if (status != REEL_OK) {
        reel_vec_clear(&decoder->entries);
        reel_vec_free(&decoder->uses);
        reel_vec_init(&decoder->uses, sizeof(dictionary_use), decoder->alloc);
        reel_arrow_field_reset(&schema);
        return status;
    }
    decoder->schema = schema;
    decoder->has_schema = true;
    return REEL_OK;
}

/* The entry of dictionary id `id`, or NULL. */
static dictionary_entry *find_entry(reel_ipc_decoder *decoder, int64_t id)
{
    size_t lo = 0, hi = decoder->entries.len;
    dictionary_entry *entries = decoder->entries.data;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entries[mid].id == id)
            return &entries[mid];
        if (entries[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The use of DICTIONARY field `field` of the decoder's schema (always there). */
static const dictionary_use *find_use(const reel_ipc_decoder *decoder,
                                      const reel_arrow_field *field)
{
    dictionary_use key = {.field = field};
    return bsearch(&key, decoder->uses.data, decoder->uses.len, sizeof key, compare_use_fields);
}

/* ---------------------------------------------------------------- record batch */

typedef struct batch_reader {
    reel_ipc_decoder *decoder;
    reel_blob *blob;
    const uint8_t *body;
    uint64_t body_len;
    reel__fb_vector nodes;
    reel__fb_vector buffers;
    uint32_t node_index;
    uint32_t buffer_index;
    bool union_validity; /* V4: unions still carry a validity buffer */
    reel_error *err;
} batch_reader;

/* IPC buffers per array of `type`, exactly as read_array takes them (kept here rather than
 * borrowed from the array code: the bounds of the Buffer vector depend on it). */
static uint64_t ipc_buffer_count(reel_arrow_type type, bool union_validity)
{
    switch (type) {
    case REEL_ARROW_NULL_TYPE:
        return 0;
    case REEL_ARROW_SPARSE_UNION:
        return union_validity ? 2 : 1;
    case REEL_ARROW_DENSE_UNION:
        return union_validity ? 3 : 2;
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_STRUCT:
        return 1;
    case REEL_ARROW_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_LARGE_BINARY:
        return 3;
    default:
        return 2; /* validity + values or offsets */
    }
}

/* The FieldNodes and Buffers a batch of `field`'s type takes. */
static void count_layout(const reel_arrow_field *field, bool union_validity, uint64_t *nodes,
                         uint64_t *buffers)
{
    *nodes += 1;
    *buffers += ipc_buffer_count(field->type, union_validity);
    for (int32_t i = 0; i < field->n_children; i++)
        count_layout(&field->children[i], union_validity, nodes, buffers);
}

static const int64_t zero_offsets[1] = {0};

/* Takes the next Buffer: checks it lies in the body and points `out` into the blob, or into
 * an aligned copy when the body bytes are misaligned for elements of `align` bytes. */
static reel_status take_buffer(batch_reader *br, size_t align, reel_arrow_buffer *out)
{
    uint32_t index = br->buffer_index++;
    const uint8_t *entry = reel__fb_vector_elem(&br->buffers, index);
    int64_t offset = (int64_t)reel_load_u64le(entry);
    int64_t length = (int64_t)reel_load_u64le(entry + 8);
    if (offset < 0 || length < 0 || (uint64_t)offset > br->body_len ||
        (uint64_t)length > br->body_len - (uint64_t)offset)
        return reel_error_set(br->err, REEL_CORRUPT,
                              "RecordBatch buffer %u (offset %lld, length %lld) extends past the "
                              "body (length %llu)",
                              index, (long long)offset, (long long)length,
                              (unsigned long long)br->body_len);
    memset(out, 0, sizeof *out);
    if (length == 0)
        return REEL_OK;
    const uint8_t *data = br->body + offset;
    if (((uintptr_t)data & (align - 1)) != 0) {
        reel_blob *copy = reel_blob_copy(br->decoder->alloc, data, (size_t)length);
        if (copy == NULL)
            return reel_error_set(br->err, REEL_OUT_OF_MEMORY,
                                  "out of memory re-aligning buffer %u", index);
        out->owner = copy;
        out->data = reel_blob_data(copy);
    } else {
        out->owner = reel_blob_retain(br->blob);
        out->data = data;
    }
    out->size = length;
    return REEL_OK;
}

static size_t value_alignment(const reel_arrow_field *field)
{
    int32_t width = reel__arrow_value_width(field);
    if (field->type == REEL_ARROW_FIXED_SIZE_BINARY || width <= 1)
        return 1;
    /* Decimals are read a byte string at a time; 8 keeps them as IPC bodies align them. */
    return reel__arrow_is_decimal(field->type) && width > 8 ? 8 : (size_t)width;
}

/* A dictionary array's values: a reference to the current values of its field's id. */
static reel_status attach_dictionary(batch_reader *br, const reel_arrow_field *field,
                                     reel_arrow_array *out)
{
    const dictionary_use *use = find_use(br->decoder, field);
    const dictionary_entry *entry =
        use != NULL ? &REEL_VEC_AT(&br->decoder->entries, dictionary_entry, use->entry) : NULL;
    if (entry == NULL || !entry->has_values)
        return reel_error_set(br->err, REEL_CORRUPT,
                              "field '%s' uses dictionary id %lld, which no DictionaryBatch "
                              "before this message defined",
                              field->name ? field->name : "", use ? (long long)use->id : -1LL);
    out->dictionary = reel_alloc_zeroed(out->alloc, sizeof *out->dictionary);
    if (out->dictionary == NULL ||
        reel_arrow_array_share(out->dictionary, &entry->values) != REEL_OK)
        return reel_error_set(br->err, REEL_OUT_OF_MEMORY, "out of memory decoding a batch");
    return REEL_OK;
}

static reel_status read_array(batch_reader *br, const reel_arrow_field *field,
                              reel_arrow_array *out)
{
    uint32_t node_index = br->node_index++;
    const uint8_t *node = reel__fb_vector_elem(&br->nodes, node_index);
    int64_t length = (int64_t)reel_load_u64le(node);
    int64_t null_count = (int64_t)reel_load_u64le(node + 8);
    const char *name = field->name ? field->name : "";
    if (length < 0 || null_count < 0 || null_count > length)
        return reel_error_set(br->err, REEL_CORRUPT,
                              "RecordBatch field node %u ('%s') has length %lld and null_count "
                              "%lld",
                              node_index, name, (long long)length, (long long)null_count);
    out->length = length;
    out->null_count = null_count;
    out->alloc = br->decoder->alloc;
    out->n_buffers = reel_arrow_type_buffer_count(field->type);
    reel_arrow_type type = field->type;
    bool is_union = type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION;
    if (type == REEL_ARROW_NULL_TYPE) {
        out->null_count = length;
    } else if (is_union) {
        reel_arrow_buffer ignored;
        out->null_count = 0; /* unions have no nulls of their own */
        if (br->union_validity) {
            REEL_TRY(take_buffer(br, 1, &ignored));
            reel_blob_release(ignored.owner);
        }
        REEL_TRY(take_buffer(br, 1, &out->buffers[0]));
        if (type == REEL_ARROW_DENSE_UNION)
            REEL_TRY(take_buffer(br, 4, &out->buffers[1]));
    } else {
        REEL_TRY(take_buffer(br, 1, &out->buffers[0]));
        if (out->buffers[0].data == NULL && null_count > 0)
            return reel_error_set(br->err, REEL_CORRUPT,
                                  "RecordBatch field node %u ('%s') has %lld nulls but an empty "
                                  "validity buffer",
                                  node_index, name, (long long)null_count);
        switch (type) {
        case REEL_ARROW_UTF8:
        case REEL_ARROW_BINARY:
        case REEL_ARROW_LARGE_UTF8:
        case REEL_ARROW_LARGE_BINARY:
        case REEL_ARROW_LIST:
        case REEL_ARROW_LARGE_LIST:
        case REEL_ARROW_MAP: {
            bool large = type == REEL_ARROW_LARGE_UTF8 || type == REEL_ARROW_LARGE_BINARY ||
                         type == REEL_ARROW_LARGE_LIST;
            REEL_TRY(take_buffer(br, large ? 8 : 4, &out->buffers[1]));
            /* Writers may leave the offsets of an empty array out entirely. */
            if (out->buffers[1].data == NULL && length == 0) {
                out->buffers[1].data = (const uint8_t *)zero_offsets;
                out->buffers[1].size = large ? 8 : 4;
            }
            if (type != REEL_ARROW_LIST && type != REEL_ARROW_LARGE_LIST && type != REEL_ARROW_MAP)
                REEL_TRY(take_buffer(br, 1, &out->buffers[2]));
            break;
        }
        case REEL_ARROW_FIXED_SIZE_LIST:
        case REEL_ARROW_STRUCT:
            break;
        case REEL_ARROW_DICTIONARY:
            REEL_TRY(take_buffer(br, value_alignment(field), &out->buffers[1]));
            return attach_dictionary(br, field, out);
        default:
            REEL_TRY(take_buffer(br, value_alignment(field), &out->buffers[1]));
            break;
        }
    }
    if (field->n_children > 0) {
        out->children =
            reel_alloc_zeroed(out->alloc, (size_t)field->n_children * sizeof(reel_arrow_array));
        if (out->children == NULL)
            return reel_error_set(br->err, REEL_OUT_OF_MEMORY, "out of memory decoding a batch");
        out->n_children = field->n_children;
        for (int32_t i = 0; i < field->n_children; i++)
            REEL_TRY(read_array(br, &field->children[i], &out->children[i]));
    }
    return REEL_OK;
}

/* Reads a RecordBatch table and its body into a STRUCT array of `n_columns` columns, of the
 * types columns[0..n_columns) (the schema's columns, or a dictionary's value type). The
 * result is not validated yet. */
static reel_status read_batch_body(reel_ipc_decoder *decoder, const reel__fb_table *header,
                                   int16_t version, reel_blob *blob, const uint8_t *body,
                                   uint64_t body_len, const reel_arrow_field *columns,
                                   int32_t n_columns, reel_arrow_array *out, reel_error *err)
{
    int64_t length;
    bool has_nodes, has_buffers, has_compression, has_variadic;
    reel__fb_table compression;
    reel__fb_vector variadic;
    batch_reader br = {.decoder = decoder,
                       .blob = blob,
                       .body = body,
                       .body_len = body_len,
                       .union_validity = version < REEL__IPC_V5,
                       .err = err};
    REEL_TRY(reel__fb_get_i64(header, REEL__IPC_BATCH_LENGTH, 0, &length));
    REEL_TRY(
        reel__fb_get_table(header, REEL__IPC_BATCH_COMPRESSION, &compression, &has_compression));
    if (has_compression)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "RecordBatch body compression (LZ4/ZSTD) is not supported");
    REEL_TRY(
        reel__fb_get_vector(header, REEL__IPC_BATCH_VARIADIC_COUNTS, 8, &variadic, &has_variadic));
    if (variadic.count != 0)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "RecordBatch has variadic buffers (view types), not supported");
    if (length < 0)
        return reel_error_set(err, REEL_CORRUPT, "RecordBatch length %lld is negative",
                              (long long)length);
    REEL_TRY(reel__fb_get_vector(header, REEL__IPC_BATCH_NODES, 16, &br.nodes, &has_nodes));
    REEL_TRY(reel__fb_get_vector(header, REEL__IPC_BATCH_BUFFERS, 16, &br.buffers, &has_buffers));
    uint64_t want_nodes = 0, want_buffers = 0;
    for (int32_t i = 0; i < n_columns; i++)
        count_layout(&columns[i], br.union_validity, &want_nodes, &want_buffers);
    if (br.nodes.count != want_nodes)
        return reel_error_set(err, REEL_CORRUPT,
                              "RecordBatch has %u field nodes, the schema needs %llu",
                              br.nodes.count, (unsigned long long)want_nodes);
    if (br.buffers.count != want_buffers)
        return reel_error_set(err, REEL_CORRUPT,
                              "RecordBatch has %u buffers, the schema needs %llu", br.buffers.count,
                              (unsigned long long)want_buffers);

    reel_arrow_array batch = {.length = length, .n_buffers = 1, .alloc = decoder->alloc};
    reel_status status = REEL_OK;
    if (n_columns > 0) {
        batch.children =
            reel_alloc_zeroed(decoder->alloc, (size_t)n_columns * sizeof(reel_arrow_array));
        if (batch.children == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory decoding a batch");
        batch.n_children = n_columns;
    }
    for (int32_t i = 0; status == REEL_OK && i < n_columns; i++) {
        status = read_array(&br, &columns[i], &batch.children[i]);
        if (status == REEL_OK && batch.children[i].length != length)
            status = reel_error_set(err, REEL_CORRUPT,
                                    "RecordBatch column %d ('%s') has %lld rows, the batch %lld",
                                    (int)i, columns[i].name ? columns[i].name : "",
                                    (long long)batch.children[i].length, (long long)length);
    }
    if (status != REEL_OK) {
        reel_arrow_array_reset(&batch);
        return status;
    }
    *out = batch;
    return REEL_OK;
}

/* Validation failures of decoded data are corrupt input (or out of memory). The values of
 * the decoder's dictionaries were validated when they arrived; the dictionaries of the data
 * (those attached to it) are checked only against them. */
static reel_status validate_decoded(const reel_ipc_decoder *decoder, const reel_arrow_field *field,
                                    const reel_arrow_array *array, const char *what,
                                    reel_error *err)
{
    if (decoder->level == REEL_ARROW_VALIDATE_NONE)
        return REEL_OK;
    reel_status status = reel__arrow_array_validate(field, array, decoder->level, true, err);
    if (status != REEL_OK) {
        if (status != REEL_OUT_OF_MEMORY)
            status = REEL_CORRUPT;
        if (err != NULL)
            err->status = status;
        reel_error_prefix(err, "%s fails validation: ", what);
    }
    return status;
}

static reel_status read_record_batch(reel_ipc_decoder *decoder, const reel__fb_table *header,
                                     int16_t version, reel_blob *blob, const uint8_t *body,
                                     uint64_t body_len, reel_arrow_array *out, reel_error *err)
{
    const reel_arrow_field *schema = &decoder->schema;
    reel_arrow_array batch;
    REEL_TRY(read_batch_body(decoder, header, version, blob, body, body_len, schema->children,
                             schema->n_children, &batch, err));
    reel_status status = validate_decoded(decoder, schema, &batch, "RecordBatch", err);
    if (status != REEL_OK) {
        reel_arrow_array_reset(&batch);
        return status;
    }
    *out = batch;
    return REEL_OK;
}

/* A DictionaryBatch: the values of one dictionary id, read as a one-column record batch of
 * the values' type, replacing the id's values or (isDelta) appended to them. */
static reel_status read_dictionary_batch(reel_ipc_decoder *decoder, const reel__fb_table *header,
                                         int16_t version, reel_blob *blob, const uint8_t *body,
                                         uint64_t body_len, reel_error *err)
{
    int64_t id;
    bool is_delta, has_data;
    reel__fb_table data;
    REEL_TRY(reel__fb_get_i64(header, REEL__IPC_DICT_BATCH_ID, 0, &id));
    REEL_TRY(reel__fb_get_bool(header, REEL__IPC_DICT_BATCH_IS_DELTA, false, &is_delta));
    REEL_TRY(reel__fb_get_table(header, REEL__IPC_DICT_BATCH_DATA, &data, &has_data));
    dictionary_entry *entry = find_entry(decoder, id);
    if (entry == NULL)
        return reel_error_set(err, REEL_CORRUPT,
                              "DictionaryBatch for id %lld, which no field of the schema uses",
                              (long long)id);
    if (!has_data)
        return reel_error_set(err, REEL_CORRUPT, "DictionaryBatch id %lld has no data",
                              (long long)id);
    if (is_delta && !entry->has_values)
        return reel_error_set(err, REEL_CORRUPT,
                              "delta DictionaryBatch for id %lld before any dictionary for it",
                              (long long)id);
    if (is_delta) {
        uint64_t budget = DELTA_COPY_FACTOR * (decoder->offset + body_len) + DELTA_COPY_ALLOWANCE;
        decoder->delta_copied += entry->body_bytes;
        if (decoder->delta_copied > budget)
            return reel_error_set(err, REEL_LIMIT,
                                  "delta DictionaryBatch for id %lld: joining the deltas would "
                                  "copy %llu bytes, more than %d times the stream so far",
                                  (long long)id, (unsigned long long)decoder->delta_copied,
                                  DELTA_COPY_FACTOR);
    }
    reel_arrow_array batch, values;
    reel_status status = read_batch_body(decoder, &data, version, blob, body, body_len,
                                         entry->value_field, 1, &batch, err);
    if (status != REEL_OK) {
        reel_error_prefix(err, "DictionaryBatch id %lld: ", (long long)id);
        return status;
    }
    values = batch.children[0]; /* moved out */
    memset(&batch.children[0], 0, sizeof batch.children[0]);
    reel_arrow_array_reset(&batch);
    status = validate_decoded(decoder, entry->value_field, &values, "DictionaryBatch", err);
    if (status == REEL_OK && is_delta) {
        reel_arrow_array both[2] = {entry->values, values}, joined;
        status = reel_arrow_concat(entry->value_field, both, 2, decoder->alloc, &joined, err);
        if (status == REEL_OK) {
            reel_arrow_array_reset(&values);
            values = joined;
        } else {
            reel_error_prefix(err, "delta DictionaryBatch id %lld: ", (long long)id);
        }
    }
    if (status != REEL_OK) {
        reel_arrow_array_reset(&values);
        return status;
    }
    reel_arrow_array_reset(&entry->values);
    entry->values = values;
    entry->has_values = true;
    entry->body_bytes = (is_delta ? entry->body_bytes : 0) + body_len;
    return REEL_OK;
}

/* ---------------------------------------------------------------- decoder */

reel_status reel_ipc_decoder_create(const reel_ipc_decoder_options *options, reel_ipc_decoder **out,
                                    reel_error *err)
{
    reel_ipc_decoder_options defaults = {0};
    if (options == NULL)
        options = &defaults;
    *out = NULL;
    if (options->validate < REEL_ARROW_VALIDATE_NONE ||
        options->validate > REEL_ARROW_VALIDATE_FULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "IPC decoder: bad validation level %d",
                              (int)options->validate);
    reel_ipc_decoder *decoder = reel_alloc_zeroed(options->alloc, sizeof *decoder);
    if (decoder == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory creating an IPC decoder");
    decoder->alloc = options->alloc;
    decoder->level = options->trust_input                            ? REEL_ARROW_VALIDATE_NONE
                     : options->validate == REEL_ARROW_VALIDATE_NONE ? REEL_ARROW_VALIDATE_FULL
                                                                     : options->validate;
    decoder->max_message_size =
        options->max_message_size ? options->max_message_size : DEFAULT_MAX_MESSAGE_SIZE;
    reel_vec_init(&decoder->entries, sizeof(dictionary_entry), options->alloc);
    reel_vec_init(&decoder->uses, sizeof(dictionary_use), options->alloc);
    *out = decoder;
    return REEL_OK;
}

void reel_ipc_decoder_destroy(reel_ipc_decoder *decoder)
{
    if (decoder == NULL)
        return;
    for (size_t i = 0; i < decoder->entries.len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(&decoder->entries, dictionary_entry, i).values);
    reel_vec_free(&decoder->entries);
    reel_vec_free(&decoder->uses);
    reel_arrow_field_reset(&decoder->schema);
    reel_free(decoder->alloc, decoder, sizeof *decoder);
}

const reel_arrow_field *reel_ipc_decoder_schema(const reel_ipc_decoder *decoder)
{
    return decoder->has_schema ? &decoder->schema : NULL;
}

uint64_t reel_ipc_decoder_offset(const reel_ipc_decoder *decoder)
{
    return decoder->offset;
}

static reel_status decode_message(reel_ipc_decoder *decoder, reel_blob *blob, const uint8_t *data,
                                  size_t size, reel_ipc_message *out, reel_error *err)
{
    message_frame frame;
    uint64_t needed;
    reel_status status = frame_message(data, size, decoder->max_message_size, &frame, &needed, err);
    if (status == REEL_TRUNCATED)
        return reel_error_set(err, REEL_TRUNCATED,
                              "truncated: the message needs %llu bytes, %zu given (%llu missing)",
                              (unsigned long long)needed, size,
                              (unsigned long long)(needed - size));
    REEL_TRY(status);
    uint64_t message_size = frame.prefix_len + (uint64_t)frame.metadata_len + frame.body_len;
    if (message_size > size)
        return reel_error_set(err, REEL_TRUNCATED,
                              "truncated: the message needs %llu bytes, %zu given (%llu missing)",
                              (unsigned long long)message_size, size,
                              (unsigned long long)(message_size - size));
    if (message_size != size)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "the message is %llu bytes but %zu were given",
                              (unsigned long long)message_size, size);
    out->size = message_size;
    if (frame.metadata_len == 0) {
        out->kind = REEL_IPC_MESSAGE_EOS;
        return REEL_OK;
    }

    reel__fb_reader reader;
    reel__fb_table message, header;
    int16_t version;
    uint8_t header_type;
    bool has_header;
    status =
        open_message_table(data + frame.prefix_len, frame.metadata_len, &reader, &message, err);
    if (status == REEL_OK)
        status = reel__fb_get_i16(&message, REEL__IPC_MESSAGE_VERSION, 0, &version);
    if (status == REEL_OK)
        status = reel__fb_get_union(&message, REEL__IPC_MESSAGE_HEADER_TYPE, &header_type, &header,
                                    &has_header);
    REEL_TRY(status);
    if (version < REEL__IPC_V4 || version > REEL__IPC_V5)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "metadata version V%d is not supported (only V4 and V5)",
                              (int)version + 1);
    if (!has_header && header_type != 0)
        return reel_error_set(err, REEL_CORRUPT, "Message of type %d has no header",
                              (int)header_type);
    switch (header_type) {
    case REEL__IPC_HEADER_SCHEMA:
        if (decoder->has_schema)
            return reel_error_set(err, REEL_CORRUPT,
                                  "a second Schema message (the stream already has one)");
        REEL_TRY(read_schema(decoder, &header, err));
        out->kind = REEL_IPC_MESSAGE_SCHEMA;
        return REEL_OK;
    case REEL__IPC_HEADER_RECORD_BATCH:
        if (!decoder->has_schema)
            return reel_error_set(err, REEL_CORRUPT, "RecordBatch before the Schema message");
        REEL_TRY(read_record_batch(decoder, &header, version, blob,
                                   data + frame.prefix_len + frame.metadata_len, frame.body_len,
                                   &out->batch, err));
        out->kind = REEL_IPC_MESSAGE_RECORD_BATCH;
        return REEL_OK;
    case REEL__IPC_HEADER_DICTIONARY_BATCH:
        if (!decoder->has_schema)
            return reel_error_set(err, REEL_CORRUPT, "DictionaryBatch before the Schema message");
        REEL_TRY(read_dictionary_batch(decoder, &header, version, blob,
                                       data + frame.prefix_len + frame.metadata_len, frame.body_len,
                                       err));
        out->kind = REEL_IPC_MESSAGE_DICTIONARY_BATCH;
        return REEL_OK;
    case REEL__IPC_HEADER_TENSOR:
    case REEL__IPC_HEADER_SPARSE_TENSOR:
        return reel_error_set(err, REEL_UNSUPPORTED, "%s messages are not supported",
                              header_type == REEL__IPC_HEADER_TENSOR ? "Tensor" : "SparseTensor");
    default:
        return reel_error_set(err, REEL_CORRUPT, "unknown message header type %d",
                              (int)header_type);
    }
}

reel_status reel_ipc_decoder_decode(reel_ipc_decoder *decoder, reel_blob *blob, size_t offset,
                                    size_t size, reel_ipc_message *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    size_t blob_len = blob ? reel_blob_len(blob) : 0;
    if (blob == NULL || offset > blob_len || size > blob_len - offset)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC decode: bytes [%zu, +%zu) are outside the %zu-byte blob", offset,
                              size, blob_len);
    const uint8_t *base = reel_blob_data(blob); /* NULL + 0 is not valid C: keep NULL */
    reel_status status =
        decode_message(decoder, blob, base != NULL ? base + offset : NULL, size, out, err);
    if (status != REEL_OK) {
        reel_arrow_array_reset(&out->batch);
        memset(out, 0, sizeof *out);
        reel_error_prefix(err, "IPC message %llu at byte offset %llu: ",
                          (unsigned long long)decoder->message_index,
                          (unsigned long long)decoder->offset);
        return status;
    }
    decoder->offset += size;
    decoder->message_index++;
    return REEL_OK;
}

/* ---------------------------------------------------------------- whole streams */

reel_status reel_ipc_read_stream(reel_blob *blob, const reel_ipc_decoder_options *options,
                                 reel_arrow_field *schema, reel_vec *batches, reel_error *err)
{
    memset(schema, 0, sizeof *schema);
    bool vector_is_ours = batches->elem_size == 0;
    if (vector_is_ours)
        reel_vec_init(batches, sizeof(reel_arrow_array), options ? options->alloc : NULL);
    if (batches->elem_size != sizeof(reel_arrow_array))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC read: the batch vector holds elements of %zu bytes",
                              batches->elem_size);
    reel_ipc_decoder *decoder;
    REEL_TRY(reel_ipc_decoder_create(options, &decoder, err));
    size_t first_batch = batches->len;
    const uint8_t *data = reel_blob_data(blob);
    size_t len = reel_blob_len(blob), pos = 0;
    reel_status status = REEL_OK;
    for (;;) {
        if (pos == len) {
            if (!decoder->has_schema)
                status = reel_error_set(err, REEL_TRUNCATED,
                                        "IPC stream ends at byte offset %zu, before its Schema "
                                        "message",
                                        len);
            break; /* a missing EOS at the very end is fine */
        }
        uint64_t size, needed;
        status = reel_ipc_message_size(data + pos, len - pos, decoder->max_message_size, &size,
                                       &needed, err);
        if (status == REEL_TRUNCATED) {
            reel_error_set(err, REEL_TRUNCATED,
                           "IPC message %llu at byte offset %zu: truncated: needs %llu bytes, "
                           "%zu available (%llu missing)",
                           (unsigned long long)decoder->message_index, pos,
                           (unsigned long long)needed, len - pos,
                           (unsigned long long)(needed - (len - pos)));
            break;
        }
        if (status == REEL_OK && size > len - pos) {
            status = reel_error_set(err, REEL_TRUNCATED,
                                    "IPC message %llu at byte offset %zu: truncated: needs %llu "
                                    "bytes, %zu available (%llu missing)",
                                    (unsigned long long)decoder->message_index, pos,
                                    (unsigned long long)size, len - pos,
                                    (unsigned long long)(size - (len - pos)));
            break;
        }
        if (status != REEL_OK) {
            reel_error_prefix(err, "IPC message %llu at byte offset %zu: ",
                              (unsigned long long)decoder->message_index, pos);
            break;
        }
        reel_ipc_message message;
        status = reel_ipc_decoder_decode(decoder, blob, pos, (size_t)size, &message, err);
        if (status != REEL_OK)
            break;
        pos += (size_t)size;
        if (message.kind == REEL_IPC_MESSAGE_RECORD_BATCH &&
            reel_vec_push(batches, &message.batch) != REEL_OK) {
            reel_arrow_array_reset(&message.batch);
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory reading a stream");
            break;
        }
        if (message.kind == REEL_IPC_MESSAGE_EOS) {
            if (!decoder->has_schema)
                status = reel_error_set(err, REEL_CORRUPT,
                                        "IPC stream ends (EOS at byte offset %zu) before its "
                                        "Schema message",
                                        pos - (size_t)size);
            break;
        }
    }
    if (status == REEL_OK) {
        *schema = decoder->schema; /* moved out: the decoder forgets it */
        memset(&decoder->schema, 0, sizeof decoder->schema);
        decoder->has_schema = false;
    } else {
        for (size_t i = first_batch; i < batches->len; i++)
            reel_arrow_array_reset(&REEL_VEC_AT(batches, reel_arrow_array, i));
        batches->len = first_batch;
        if (vector_is_ours)
            reel_vec_free(batches); /* on failure the caller has nothing to free */
    }
    reel_ipc_decoder_destroy(decoder);
    return status;
}
