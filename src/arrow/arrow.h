/* The arrow module: Reel's own implementation of the Apache Arrow columnar format — the
 * subset Rerun's chunks need and a little more. Types are described by field trees,
 * data by array trees whose buffers are reference-counted blobs (so arrays decoded from
 * IPC bytes point into those bytes without copying). It builds arrays, validates them at
 * three levels, prints types and values, reads and writes the IPC stream and file formats,
 * and speaks the Arrow C Data Interface. Depends on core only.
 *
 * Conventions:
 * - A schema is a field of type STRUCT whose children are the columns; its metadata is the
 *   schema metadata. A record batch is a STRUCT array (no validity) with one child per
 *   column. That is also how the C Data Interface represents them.
 * - An array never stores its type: functions take (field, array) pairs.
 * - Strings in fields are owned copies; arrays own references to blobs. */
#ifndef REEL_ARROW_H
#define REEL_ARROW_H

#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- types */

#define REEL_ARROW_TYPE_TABLE(X)                                                                   \
    X(NULL_TYPE, "null")                                                                           \
    X(BOOL, "bool")                                                                                \
    X(INT8, "int8")                                                                                \
    X(INT16, "int16")                                                                              \
    X(INT32, "int32")                                                                              \
    X(INT64, "int64")                                                                              \
    X(UINT8, "uint8")                                                                              \
    X(UINT16, "uint16")                                                                            \
    X(UINT32, "uint32")                                                                            \
    X(UINT64, "uint64")                                                                            \
    X(FLOAT16, "halffloat")                                                                        \
    X(FLOAT32, "float")                                                                            \
    X(FLOAT64, "double")                                                                           \
    X(UTF8, "string")                                                                              \
    X(LARGE_UTF8, "large_string")                                                                  \
    X(BINARY, "binary")                                                                            \
    X(LARGE_BINARY, "large_binary")                                                                \
    X(FIXED_SIZE_BINARY, "fixed_size_binary")                                                      \
    X(DATE32, "date32")                                                                            \
    X(DATE64, "date64")                                                                            \
    X(TIME32, "time32")                                                                            \
    X(TIME64, "time64")                                                                            \
    X(TIMESTAMP, "timestamp")                                                                      \
    X(DURATION, "duration")                                                                        \
    X(DECIMAL32, "decimal32")                                                                      \
    X(DECIMAL64, "decimal64")                                                                      \
    X(DECIMAL128, "decimal128")                                                                    \
    X(DECIMAL256, "decimal256")                                                                    \
    X(LIST, "list")                                                                                \
    X(LARGE_LIST, "large_list")                                                                    \
    X(FIXED_SIZE_LIST, "fixed_size_list")                                                          \
    X(STRUCT, "struct")                                                                            \
    X(SPARSE_UNION, "sparse_union")                                                                \
    X(DENSE_UNION, "dense_union")                                                                  \
    X(MAP, "map")                                                                                  \
    X(DICTIONARY, "dictionary")

typedef enum reel_arrow_type {
#define REEL__ARROW_TYPE_ENUM(name, text) REEL_ARROW_##name,
    REEL_ARROW_TYPE_TABLE(REEL__ARROW_TYPE_ENUM)
#undef REEL__ARROW_TYPE_ENUM
        REEL_ARROW_TYPE_COUNT
} reel_arrow_type;

/* pyarrow's spelling of the type's base name ("float", "list", …). */
const char *reel_arrow_type_name(reel_arrow_type type);

typedef enum reel_arrow_time_unit {
    REEL_ARROW_SECOND = 0,
    REEL_ARROW_MILLI = 1,
    REEL_ARROW_MICRO = 2,
    REEL_ARROW_NANO = 3,
} reel_arrow_time_unit;

typedef struct reel_arrow_kv {
    char *key;   /* owned, UTF-8 */
    char *value; /* owned, UTF-8 */
} reel_arrow_kv;

typedef struct reel_arrow_metadata {
    int32_t count;
    reel_arrow_kv *items; /* owned; order kept as inserted/decoded */
} reel_arrow_metadata;

/* A named, typed node of a schema. Zero-initialised = unnamed NULL_TYPE field. Every
 * pointer inside is owned by the field and freed by reel_arrow_field_reset with `alloc`.
 * Type parameters sit in the members named for their types; other types leave them zero.
 *
 * Children by type (reel_arrow_field_validate checks these shapes):
 * - LIST, LARGE_LIST, FIXED_SIZE_LIST: one, the item.
 * - STRUCT: one per member. SPARSE_UNION, DENSE_UNION: one per variant.
 * - MAP: one, the entries: a STRUCT of exactly two children, the key and the value. pyarrow
 *   names them "entries", "key" and "value" and makes entries and key non-nullable; Reel
 *   (like pyarrow's importers) accepts other names and nullability.
 * - DICTIONARY: none. `dictionary` holds the type of the values (its name, nullability and
 *   metadata mean nothing); the field's own name, nullability and metadata are the column's.
 *   A dictionary-encoded column is a DICTIONARY field, as in pyarrow (in IPC and the C Data
 *   Interface the values' type appears on the field with the indices beside it). */
typedef struct reel_arrow_field {
    char *name; /* owned; NULL means "" */
    reel_arrow_type type;
    bool nullable;
    int32_t fixed_size;        /* FIXED_SIZE_BINARY byte width; FIXED_SIZE_LIST list size */
    reel_arrow_time_unit unit; /* TIME32/TIME64/TIMESTAMP/DURATION; DATE64 is always MILLI */
    char *timezone;            /* TIMESTAMP only; NULL = no timezone */
    int8_t *union_type_codes;  /* unions: n_children codes (owned) */
    /* DECIMAL32/64/128/256: decimal digits, 1 up to 9/18/38/76, and the scale, -128..127
     * (arrow-rs's range; pyarrow allows any int32): the value is the stored integer times
     * 10^-scale. Stored integers are not checked against the precision (nor by arrow-rs). */
    int32_t precision;
    int32_t scale;
    bool keys_sorted; /* MAP: each map's keys are sorted (a promise that is not checked) */
    /* DICTIONARY: the integer type of the indices (INT8..INT64, UINT8..UINT64), whether the
     * values' order means something, and the values' type (owned; one field). */
    reel_arrow_type index_type;
    bool dictionary_ordered;
    struct reel_arrow_field *dictionary;
    reel_arrow_metadata metadata;
    int32_t n_children;
    struct reel_arrow_field *children; /* owned array of n_children */
    const reel_allocator *alloc;       /* NULL = default */
} reel_arrow_field;

/* Building fields. All copy their string arguments. A DECIMAL* field starts with the
 * type's largest precision and scale 0; a DICTIONARY field with INT32 indices and no value
 * type yet (see reel_arrow_field_set_dictionary). */
reel_status reel_arrow_field_init(reel_arrow_field *field, const char *name, reel_arrow_type type,
                                  bool nullable, const reel_allocator *alloc);
/* Appends a child (for list-likes, struct, unions and map) and returns a pointer to it in
 * *out_child (valid until the next add_child on the same parent). For unions the child's
 * type code defaults to its index; set parent->union_type_codes[i] to change it. */
reel_status reel_arrow_field_add_child(reel_arrow_field *parent, const char *name,
                                       reel_arrow_type type, bool nullable,
                                       reel_arrow_field **out_child);
/* Makes `field` (of any type so far, children dropped) a DICTIONARY with indices of
 * `index_type` and values of `value_type`, replacing any earlier value type, and returns
 * the value field (unnamed, nullable; owned by `field`) in *out_value for the caller to
 * complete (children, parameters). INVALID_ARGUMENT if index_type is not an integer type. */
reel_status reel_arrow_field_set_dictionary(reel_arrow_field *field, reel_arrow_type index_type,
                                            reel_arrow_type value_type,
                                            reel_arrow_field **out_value);
/* Adds or replaces a key. */
reel_status reel_arrow_metadata_set(reel_arrow_metadata *md, const reel_allocator *alloc,
                                    const char *key, const char *value);
/* NULL if absent. */
const char *reel_arrow_metadata_get(const reel_arrow_metadata *md, const char *key);
void reel_arrow_metadata_reset(reel_arrow_metadata *md, const reel_allocator *alloc);
reel_status reel_arrow_field_set_name(reel_arrow_field *field, const char *name);
reel_status reel_arrow_field_set_timezone(reel_arrow_field *field, const char *timezone);
/* Deep copy; dst must not hold anything (it is overwritten). */
reel_status reel_arrow_field_copy(reel_arrow_field *dst, const reel_arrow_field *src,
                                  const reel_allocator *alloc);
/* Frees everything and zeroes the field. NULL-safe. */
void reel_arrow_field_reset(reel_arrow_field *field);
/* Type equality including child names, nullability, union codes and every type parameter
 * (decimal precision and scale, keys_sorted, index type and ordering, the dictionary values'
 * type); metadata compared (at every level) only if compare_metadata. The top-level names
 * are not compared, nor the name and nullability of a dictionary's value field. */
bool reel_arrow_field_type_equal(const reel_arrow_field *a, const reel_arrow_field *b,
                                 bool compare_metadata);

/* Type strings, exactly pyarrow's str(type): "int32", "list<item: float>",
 * "fixed_size_list<item: float>[3]", "struct<x: float, y: float not null>",
 * "dense_union<_null_markers: null=0, x: int32=1>", "timestamp[ns, tz=UTC]", "duration[ns]",
 * "fixed_size_binary[16]", "date32[day]", "date64[ms]", "time32[s]", "time64[us]",
 * "decimal128(10, 2)", "decimal256(40, -5)", "map<string, int64>",
 * "map<string, list<item: int64>, keys_sorted>",
 * "dictionary<values=string, indices=int32, ordered=0>".
 * The field's own name/nullability/metadata are not part of the string. Like pyarrow, a
 * map names its entries, key and value only where they differ from "entries", "key" and
 * "value" ("map<string ('k'), int64 ('v')>", the entries' name after keys_sorted), and
 * shows none of their nullability: parsing gives a non-nullable entries struct and key
 * and a nullable value. A dictionary's value type is parsed unnamed and nullable. */
reel_status reel_arrow_type_format(const reel_arrow_field *field, reel_buf *out);
/* Parses the same grammar into `out` (which gets name "" and nullable = true). Errors name
 * the character offset. */
reel_status reel_arrow_type_parse(const char *text, size_t len, reel_arrow_field *out,
                                  const reel_allocator *alloc, reel_error *err);

/* ---------------------------------------------------------------- arrays */

/* One buffer of an array: borrowed bytes kept alive by `owner` (may be NULL for static
 * or caller-managed memory). `size` is in bytes. */
typedef struct reel_arrow_buffer {
    const uint8_t *data;
    int64_t size;
    reel_blob *owner;
} reel_arrow_buffer;

/* The physical layout, as in the Arrow spec and the C Data Interface:
 *   NULL_TYPE:                     no buffers
 *   BOOL, ints, floats, temporal,
 *   FIXED_SIZE_BINARY, DECIMAL*:   [validity, values]
 *   UTF8/BINARY (int32 offsets),
 *   LARGE_* (int64 offsets):       [validity, offsets, data]
 *   LIST (int32), LARGE_LIST(int64): [validity, offsets], 1 child
 *   MAP:                           [validity, offsets int32], 1 child (the entries struct)
 *   FIXED_SIZE_LIST:               [validity], 1 child
 *   STRUCT:                        [validity], n children
 *   SPARSE_UNION:                  [type_codes int8], n children (no validity)
 *   DENSE_UNION:                   [type_codes int8, offsets int32], n children
 *   DICTIONARY:                    [validity, indices (of index_type)], no children, and
 *                                  `dictionary`: the values array the indices point into
 * A decimal value is a 4/8/16/32-byte little-endian two's complement integer (the value
 * times 10^scale). A validity buffer with data == NULL means "all valid" (null_count must
 * be 0). `offset` is the logical start within the buffers (in elements; for validity in
 * bits); children are indexed through the parent's offsets (list, map), offset*size (fixed
 * list), or offset directly (struct, sparse union). A dictionary's offset applies to its
 * indices only: the values array is never sliced with them, and one values array may be
 * shared (as references to the same blobs) by many arrays. Zero-initialised = empty array. */
typedef struct reel_arrow_array {
    int64_t length;
    int64_t offset;
    int64_t null_count;
    int32_t n_buffers;
    reel_arrow_buffer buffers[3];
    int32_t n_children;
    struct reel_arrow_array *children;   /* owned array of n_children */
    struct reel_arrow_array *dictionary; /* DICTIONARY: the values (owned, one); else NULL */
    const reel_allocator *alloc;         /* frees `children` and `dictionary`; NULL = default */
} reel_arrow_array;

/* Number of buffers the type's layout has (see above). */
int32_t reel_arrow_type_buffer_count(reel_arrow_type type);
/* Byte width of one value for fixed-width types (BOOL: 0, meaning bits; DECIMAL*: 4 to
 * 32), else -1 (also for DICTIONARY, whose values are whatever the dictionary holds). */
int32_t reel_arrow_fixed_width(const reel_arrow_field *field);

/* Releases blob references, children and dictionary, zeroes the array. NULL-safe. */
void reel_arrow_array_reset(reel_arrow_array *array);
/* A new array sharing buffers (retained) with `src`, restricted to [offset, offset+length)
 * of src's logical elements (a dictionary's values are shared whole). null_count is
 * recomputed. dst must be empty. */
reel_status reel_arrow_array_slice(reel_arrow_array *dst, const reel_arrow_field *field,
                                   const reel_arrow_array *src, int64_t offset, int64_t length,
                                   reel_error *err);
/* Deep reference copy (retains blobs), children and dictionary included. */
reel_status reel_arrow_array_share(reel_arrow_array *dst, const reel_arrow_array *src);
/* Logical equality: same length, same nulls, same values (floats by bit pattern, so NaN
 * equals the same NaN); offsets and bytes under nulls are ignored. Dictionary arrays are
 * compared by their decoded values (whatever the indices and dictionaries), and an
 * element whose index points at a null value equals a null element. */
bool reel_arrow_array_equal(const reel_arrow_field *field, const reel_arrow_array *a,
                            const reel_arrow_array *b);
/* Counts zero bits of the validity bitmap in [offset, offset+length). */
int64_t reel_arrow_count_nulls(const reel_arrow_buffer *validity, int64_t offset, int64_t length);

/* Element access. `i` is a logical index (0..length-1), the array's offset is applied.
 * These do no type checks beyond an assert: call the one that matches the field. */
/* Logical nulls: a union element is null when its child's value is; a dictionary element
 * when its index is null or points at a null value. */
bool reel_arrow_array_is_null(const reel_arrow_field *field, const reel_arrow_array *array,
                              int64_t i);
/* Signed ints, DATE32/64, TIME32/64, TIMESTAMP, DURATION. */
int64_t reel_arrow_array_get_int(const reel_arrow_field *field, const reel_arrow_array *array,
                                 int64_t i);
/* Unsigned ints. */
uint64_t reel_arrow_array_get_uint(const reel_arrow_field *field, const reel_arrow_array *array,
                                   int64_t i);
/* FLOAT16/32/64 (FLOAT16 converted exactly). */
double reel_arrow_array_get_double(const reel_arrow_field *field, const reel_arrow_array *array,
                                   int64_t i);
bool reel_arrow_array_get_bool(const reel_arrow_array *array, int64_t i);
/* UTF8, LARGE_UTF8, BINARY, LARGE_BINARY, FIXED_SIZE_BINARY; DECIMAL*: the value's
 * little-endian integer bytes (see reel_arrow_decimal_format). */
reel_span reel_arrow_array_get_bytes(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i);
/* LIST, LARGE_LIST, FIXED_SIZE_LIST, MAP: the element's range [*start, *end) in the child's
 * logical indices (for a map, entries of its entries struct). */
void reel_arrow_array_get_list_range(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i, int64_t *start, int64_t *end);
/* Unions: the child index (not the type code) and the logical index in that child. */
void reel_arrow_array_get_union(const reel_arrow_field *field, const reel_arrow_array *array,
                                int64_t i, int32_t *child, int64_t *child_index);
/* DICTIONARY: the index of element i, a logical index into array->dictionary (whose type is
 * field->dictionary). Meaningless for a null element. In range for arrays validated at the
 * FULL level (DEFAULT does not read the indices) or built by us. */
int64_t reel_arrow_array_get_dictionary_index(const reel_arrow_field *field,
                                              const reel_arrow_array *array, int64_t i);

/* Decimal text, for a DECIMAL* field and one value's little-endian bytes (as get_bytes
 * returns them; width = reel_arrow_fixed_width): an optional '-', then the digits with a
 * '.' before the last `scale` of them when the scale is positive ("123.45", "-0.05",
 * "0.00"), or followed by -scale zeros when it is negative ("12300"). No exponent, so the
 * text is exact however wide the value. */
reel_status reel_arrow_decimal_format(const reel_arrow_field *field, const uint8_t *value,
                                      reel_buf *out);
/* The inverse: parses [-|+]digits[.digits] into `out` (the field's width in bytes).
 * INVALID_ARGUMENT for other text or more digits after the point than the scale (for a
 * negative scale: a number that is not a multiple of 10^-scale), LIMIT when the value has
 * more digits than the precision. Fewer fractional digits than the scale are padded. */
reel_status reel_arrow_decimal_parse(const reel_arrow_field *field, const char *text, size_t len,
                                     uint8_t *out, reel_error *err);

/* Half-precision conversion (round to nearest even; NaN and infinities kept). */
uint16_t reel_arrow_float_to_half(float value);
float reel_arrow_half_to_float(uint16_t half);

/* Writes element i as JSON: null; true/false; integers exactly; floats with the fewest digits
 * that read back as the same value of their width (0.1f prints 0.1) or the
 * strings "NaN", "inf", "-inf"; strings escaped; binary as a string of lower-case hex;
 * decimals as strings of reel_arrow_decimal_format ("123.45": exact, unlike a JSON
 * number); lists as arrays; structs as objects in field order; unions as [type_code,
 * value]; maps as arrays of their entries, each an object {"key": k, "value": v} (the
 * entries struct's field names); dictionary elements as the value they index. */
reel_status reel_arrow_value_to_json(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i, reel_buf *out);

/* ---------------------------------------------------------------- validation */

typedef enum reel_arrow_validate_level {
    /* Trust the array: for our own builders' output. */
    REEL_ARROW_VALIDATE_NONE = 0,
    /* Structure, O(columns): buffer counts, buffer sizes cover offset+length, children
     * exist and are long enough (first/last offsets only), dictionaries exist (and are
     * checked whole). Makes element access safe for fixed-width data; dictionary indices
     * are not read. */
    REEL_ARROW_VALIDATE_DEFAULT = 1,
    /* Everything, O(data): all offsets monotonic and in range, UTF-8 valid, union codes and
     * dense offsets valid, null_count equals the bitmap, the indices of non-null dictionary
     * elements within the dictionary, no null map entry or key. Required for bytes from
     * outside. */
    REEL_ARROW_VALIDATE_FULL = 2,
} reel_arrow_validate_level;

/* Errors name the column path and the problem, e.g.
 * "column 'positions'.item: offset 17 (812) is less than offset 16 (816)". */
reel_status reel_arrow_array_validate(const reel_arrow_field *field, const reel_arrow_array *array,
                                      reel_arrow_validate_level level, reel_error *err);
/* Checks a field tree is well formed (children counts per type, fixed sizes > 0, decimal
 * precision in range, map entries a struct of key and value, dictionary indices an integer
 * type and a value type present, etc.). */
reel_status reel_arrow_field_validate(const reel_arrow_field *field, reel_error *err);

/* ---------------------------------------------------------------- builders */

/* Builds one array of a given type, appending element by element or in bulk. A builder
 * tree mirrors the field tree: nested values are appended to child builders, then the
 * parent element is closed with finish_element (lists, maps, structs) or append_union.
 * A MAP builder is a list builder whose child 0 builds the entries struct (key and value
 * are its children 0 and 1). A DICTIONARY builder takes indices (append_int/uint/values/
 * null, in the index type's range) and its child 0 builds the values; finish checks that
 * every index of a non-null element is within them. Not thread-safe. */
typedef struct reel_arrow_builder reel_arrow_builder;

/* Copies `field` (the builder keeps its own copy). */
reel_status reel_arrow_builder_create(const reel_arrow_field *field, const reel_allocator *alloc,
                                      reel_arrow_builder **out, reel_error *err);
void reel_arrow_builder_destroy(reel_arrow_builder *builder); /* NULL-safe */
const reel_arrow_field *reel_arrow_builder_field(const reel_arrow_builder *builder);
/* The child builder (list-likes and map: 0; struct and unions: 0..n-1; dictionary: 0, the
 * values). Owned by the parent. */
reel_arrow_builder *reel_arrow_builder_child(reel_arrow_builder *builder, int32_t index);
int64_t reel_arrow_builder_length(const reel_arrow_builder *builder);
/* Pre-allocates room for `additional` more elements (children not included). */
reel_status reel_arrow_builder_reserve(reel_arrow_builder *builder, int64_t additional);

/* Appends `count` nulls. Struct: children get nulls too; fixed-size list: the child gets
 * count*size nulls; unions: a null in child 0 (sparse: in every child). */
reel_status reel_arrow_builder_append_null(reel_arrow_builder *builder, int64_t count);
/* Signed ints and temporal types; dictionary indices; DECIMAL* (the stored integer, i.e.
 * the value times 10^scale). Errors with LIMIT when the value does not fit (a decimal:
 * has more digits than the precision). */
reel_status reel_arrow_builder_append_int(reel_arrow_builder *builder, int64_t value);
reel_status reel_arrow_builder_append_uint(reel_arrow_builder *builder, uint64_t value);
/* FLOAT16/32/64. */
reel_status reel_arrow_builder_append_double(reel_arrow_builder *builder, double value);
reel_status reel_arrow_builder_append_bool(reel_arrow_builder *builder, bool value);
/* UTF8/BINARY (and large), FIXED_SIZE_BINARY and DECIMAL* (len must equal the width; a
 * decimal's little-endian integer, see reel_arrow_decimal_parse). UTF-8 is not checked
 * here (validation does), nor a decimal's precision. */
reel_status reel_arrow_builder_append_bytes(reel_arrow_builder *builder, const void *data,
                                            size_t len);
/* Bulk append of `count` non-null values for fixed-width types (not BOOL) and dictionary
 * indices (of the index type): one memcpy. FLOAT16 takes raw half bits, DECIMAL* their
 * little-endian integers. */
reel_status reel_arrow_builder_append_values(reel_arrow_builder *builder, const void *values,
                                             int64_t count);
/* Closes one non-null element of a LIST/LARGE_LIST/MAP (spanning everything appended to the
 * child since the previous element), FIXED_SIZE_LIST (the child must have grown by exactly
 * `size`) or STRUCT (every child must have grown by exactly one). */
reel_status reel_arrow_builder_finish_element(reel_arrow_builder *builder);
/* Unions: records one element of the child with this type code. Dense: the value must
 * already be appended to that child (its last element is used). Sparse: the value must
 * already be appended to that child; the builder appends nulls to the other children. */
reel_status reel_arrow_builder_append_union(reel_arrow_builder *builder, int8_t type_code);
/* Appends the logical elements [offset, offset+length) of `src`, which must have the
 * builder's type and be valid for it (validated, or built by us): nulls and nested values
 * included, for every type. Fixed-width values and bitmaps are copied in bulk, offsets
 * rebased in one pass. A dictionary array's values are appended whole to the builder's
 * values (once for consecutive calls with the same values) and its indices rebased onto
 * them. Errors: INVALID_ARGUMENT for a range outside src or a src whose layout does not
 * match, LIMIT when int32 offsets or dictionary indices would overflow. After an error
 * the builder may hold part of the range: destroy it. Borrows src. */
reel_status reel_arrow_builder_append_array(reel_arrow_builder *builder,
                                            const reel_arrow_array *src, int64_t offset,
                                            int64_t length, reel_error *err);
/* Moves the built data into `out` (buffers become blobs; no copy) and empties the builder
 * for reuse. Checks that nested lengths are consistent. */
reel_status reel_arrow_builder_finish(reel_arrow_builder *builder, reel_arrow_array *out,
                                      reel_error *err);
/* One new array holding all elements of arrays[0..count) in order (each of type `field`,
 * valid for it), built with reel_arrow_builder_append_array. `out` is overwritten; the
 * caller resets it. */
reel_status reel_arrow_concat(const reel_arrow_field *field, const reel_arrow_array *arrays,
                              int64_t count, const reel_allocator *alloc, reel_arrow_array *out,
                              reel_error *err);

/* ---------------------------------------------------------------- IPC stream format */

/* Writer options; zero-initialised = defaults. */
typedef struct reel_ipc_write_options {
    int32_t alignment; /* buffer and message alignment: 8 (default) or 64 (arrow-rs default) */
} reel_ipc_write_options;

/* Each appends one encapsulated message (0xFFFFFFFF, int32 metadata length, flatbuffer
 * Message V5, body) to `out`. Sliced arrays are written compactly (offsets rebased,
 * bitmaps shifted). The batch must be a STRUCT array matching `schema`.
 * Dictionary-encoded columns: the schema numbers the DICTIONARY fields 0, 1, ... in
 * pre-order (a dictionary's value type after the field itself), and write_batch first
 * writes one DictionaryBatch message per dictionary of the batch (whole, not delta; those
 * nested in other dictionaries' values first), then the RecordBatch. So every batch
 * carries its dictionaries, replacing the previous batch's. A DICTIONARY whose values are
 * themselves a DICTIONARY cannot be written (UNSUPPORTED; IPC has no way to say it). */
reel_status reel_ipc_write_schema(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_ipc_write_options *options, reel_error *err);
reel_status reel_ipc_write_batch(reel_buf *out, const reel_arrow_field *schema,
                                 const reel_arrow_array *batch,
                                 const reel_ipc_write_options *options, reel_error *err);
/* 0xFFFFFFFF 0x00000000. */
reel_status reel_ipc_write_eos(reel_buf *out);
/* Schema, each batch, EOS. */
reel_status reel_ipc_write_stream(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_arrow_array *batches, int64_t batch_count,
                                  const reel_ipc_write_options *options, reel_error *err);

/* A stretch of an IPC stream that reel_ipc_write_stream_refs left out of its output buffer:
 * `len` bytes at `data` (borrowed from the batch's buffers) belong at byte `at` of the
 * output, before the output byte that is there. */
typedef struct reel_ipc_ref {
    size_t at;
    const uint8_t *data;
    size_t len;
} reel_ipc_ref;

/* reel_ipc_write_stream without copying large buffers: every buffer that would be copied
 * verbatim and has at least `min_ref_bytes` bytes (0 = every such buffer) is left out of
 * `out` and appended to `refs` (a reel_vec of reel_ipc_ref), in stream order with
 * non-decreasing `at`. The stream is `out`'s new bytes with each ref's bytes inserted at its
 * `at` (offsets in `out`, counted from its start); the refs are valid while the batches'
 * buffers are. On error neither `out` nor `refs` keeps anything new. */
reel_status reel_ipc_write_stream_refs(reel_buf *out, reel_vec *refs, size_t min_ref_bytes,
                                       const reel_arrow_field *schema,
                                       const reel_arrow_array *batches, int64_t batch_count,
                                       const reel_ipc_write_options *options, reel_error *err);

typedef struct reel_ipc_decoder_options {
    reel_arrow_validate_level validate; /* default (0) means FULL: input is untrusted */
    bool trust_input;                   /* set to use NONE (only for our own bytes) */
    uint64_t max_message_size;          /* metadata + body; default 2 GiB */
    const reel_allocator *alloc;
} reel_ipc_decoder_options;

typedef enum reel_ipc_message_kind {
    REEL_IPC_MESSAGE_SCHEMA = 1,
    REEL_IPC_MESSAGE_RECORD_BATCH = 2,
    REEL_IPC_MESSAGE_EOS = 3,
    /* Kept by the decoder for the record batches that follow; nothing to take. */
    REEL_IPC_MESSAGE_DICTIONARY_BATCH = 4,
} reel_ipc_message_kind;

typedef struct reel_ipc_message {
    reel_ipc_message_kind kind;
    uint64_t size;          /* bytes this message occupied in the stream */
    reel_arrow_array batch; /* RECORD_BATCH: a STRUCT array over the decoder's schema;
                               caller must reset it */
} reel_ipc_message;

/* Incremental sizing: looks at the bytes available at the start of the next message and
 * returns REEL_OK with *message_size = the whole message's size once it can tell (it may
 * need the metadata, so call again with more bytes), or REEL_TRUNCATED with *needed =
 * the total number of bytes (from `data`) it needs to say more. Corrupt prefixes are
 * REEL_CORRUPT. Accepts the legacy prefix without 0xFFFFFFFF. */
reel_status reel_ipc_message_size(const uint8_t *data, size_t len, uint64_t max_message_size,
                                  uint64_t *message_size, uint64_t *needed, reel_error *err);

/* Decodes a sequence of messages: a schema first, then record batches and dictionary
 * batches, then EOS. Keeps the schema, the current dictionary of each id and the stream's
 * byte offset (for error messages). A DictionaryBatch must come before the first record
 * batch that uses it; a later one with the same id replaces it, or with isDelta extends it.
 * Each decoded record batch holds references to the dictionaries it was decoded with. */
typedef struct reel_ipc_decoder reel_ipc_decoder;
reel_status reel_ipc_decoder_create(const reel_ipc_decoder_options *options, reel_ipc_decoder **out,
                                    reel_error *err);
void reel_ipc_decoder_destroy(reel_ipc_decoder *decoder); /* NULL-safe */
/* Decodes one complete message occupying blob bytes [offset, offset+size) (size as told by
 * reel_ipc_message_size). Record batch buffers point into the blob (retained): no copy.
 * Errors say what and at which stream byte offset. */
reel_status reel_ipc_decoder_decode(reel_ipc_decoder *decoder, reel_blob *blob, size_t offset,
                                    size_t size, reel_ipc_message *out, reel_error *err);
/* The schema once a SCHEMA message was decoded, else NULL. Borrowed. */
const reel_arrow_field *reel_ipc_decoder_schema(const reel_ipc_decoder *decoder);
/* Bytes consumed so far (the stream offset of the next message). */
uint64_t reel_ipc_decoder_offset(const reel_ipc_decoder *decoder);

/* Reads a whole stream held in a blob: schema into *schema (caller resets), every record
 * batch into a vector of reel_arrow_array (caller resets each and frees the vector). A
 * missing EOS at the very end is accepted. */
reel_status reel_ipc_read_stream(reel_blob *blob, const reel_ipc_decoder_options *options,
                                 reel_arrow_field *schema, reel_vec *batches, reel_error *err);

/* ---------------------------------------------------------------- IPC file format */

/* The random-access file format ("Feather v2", File.fbs): the magic "ARROW1" and 2 padding
 * bytes (58 with a write alignment of 64, as arrow-rs pads it), the stream's messages
 * (Schema, DictionaryBatches, RecordBatches, EOS), a Footer flatbuffer (metadata V5, the
 * schema again, and a Block {offset, metaDataLength, bodyLength} per DictionaryBatch and per
 * RecordBatch message), its int32 length, and "ARROW1" again.
 *
 * Dictionary-encoded columns: readers load every dictionary of a file before any batch, so
 * the format cannot replace a dictionary between batches (only extend it). Reel writes each
 * dictionary once, with the first batch that has rows (with the first batch when none has
 * rows), and every later batch with rows must have equal dictionaries (reel_arrow_array_equal
 * on the values), else the write fails with UNSUPPORTED naming the column. A batch of zero
 * rows decodes nothing through its dictionaries, so those are never compared (nor written).
 * Batches over different dictionaries can be concatenated into one (reel_arrow_concat), or
 * written as a stream, which replaces dictionaries. As for streams, a DICTIONARY whose values
 * are a DICTIONARY cannot be written (UNSUPPORTED). */

/* Writes a file one batch at a time. Every call appends to the caller's `out`, which may be
 * a different buffer each time or be drained in between (written elsewhere and cleared):
 * the writer counts the file's bytes itself. Not thread-safe. */
typedef struct reel_ipc_file_writer reel_ipc_file_writer;
/* Appends the magic and the Schema message to `out` and returns a writer that keeps a copy
 * of `schema` (allocations from out->alloc). Errors as reel_ipc_write_schema; then nothing
 * is appended and *writer is NULL. */
reel_status reel_ipc_file_writer_create(const reel_arrow_field *schema,
                                        const reel_ipc_write_options *options, reel_buf *out,
                                        reel_ipc_file_writer **writer, reel_error *err);
/* Appends a RecordBatch message (a STRUCT array matching the schema; sliced arrays are
 * written compactly) and, when this batch brings the file's dictionaries, its DictionaryBatch
 * messages first. Borrows `batch`; the writer keeps references to the dictionaries it wrote
 * (and to the first batch while only batches of zero rows came). Errors as
 * reel_ipc_write_batch, UNSUPPORTED for a dictionary that differs from the file's, and
 * INVALID_ARGUMENT after finish; on error nothing is appended and the writer is as before,
 * so other batches may follow. */
reel_status reel_ipc_file_writer_write_batch(reel_ipc_file_writer *writer,
                                             const reel_arrow_array *batch, reel_buf *out,
                                             reel_error *err);
/* Appends the dictionaries if no batch brought them yet, EOS, the Footer, its length and the
 * magic: the file is complete and the writer takes no more batches (destroy it). On error
 * nothing is appended. */
reel_status reel_ipc_file_writer_finish(reel_ipc_file_writer *writer, reel_buf *out,
                                        reel_error *err);
void reel_ipc_file_writer_destroy(reel_ipc_file_writer *writer); /* NULL-safe */

/* Schema, then each batch (with its dictionaries), EOS, footer: a complete IPC file, with a
 * reel_ipc_file_writer. Errors as the writer's, prefixed with the batch's index; then nothing
 * is appended to `out`. */
reel_status reel_ipc_write_file(reel_buf *out, const reel_arrow_field *schema,
                                const reel_arrow_array *batches, int64_t batch_count,
                                const reel_ipc_write_options *options, reel_error *err);
/* Reads an IPC file held in a blob through its footer (record batches zero-copy, as
 * reel_ipc_read_stream): the schema (the footer's, as pyarrow and arrow-rs read it; the
 * Schema message after the magic is not read) into *schema (caller resets), every record
 * batch of the footer in its order into a vector of reel_arrow_array (caller resets each and
 * frees the vector; on failure nothing is added). Every dictionary is read first; a second
 * dictionary for an id must be a delta. The bytes are untrusted: CORRUPT (or TRUNCATED for a
 * file shorter than its magic) for a missing magic, a footer length or a block outside the
 * file, blocks that overlap or whose message differs from the block (size, kind), and
 * whatever the stream decoder refuses in a block's message (validated as `options` say);
 * errors name the block and its byte offset. */
reel_status reel_ipc_read_file(reel_blob *blob, const reel_ipc_decoder_options *options,
                               reel_arrow_field *schema, reel_vec *batches, reel_error *err);

/* ---------------------------------------------------------------- C Data Interface */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};
struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};
#endif

/* Export: fills `out` (which the consumer releases). Arrays are zero-copy (blobs are
 * retained until the consumer releases). Formats include "+m" (map, with the
 * MAP_KEYS_SORTED flag), "d:P,S" (decimal128), "d:P,S,N" (N = 32, 64, 256); a DICTIONARY
 * is its index type's format with the values in the `dictionary` member (and the
 * DICTIONARY_ORDERED flag), as the interface defines. */
reel_status reel_arrow_export_field(const reel_arrow_field *field, struct ArrowSchema *out,
                                    reel_error *err);
reel_status reel_arrow_export_array(const reel_arrow_field *field, const reel_arrow_array *array,
                                    struct ArrowArray *out, reel_error *err);
/* Import: takes ownership of `in` (moves it; in->release is set to NULL). The field is
 * copied; the array's buffers are used in place and released when the last reel_arrow_array
 * referencing them is reset. The array is validated at `level` against `field`. */
reel_status reel_arrow_import_field(struct ArrowSchema *in, reel_arrow_field *out,
                                    const reel_allocator *alloc, reel_error *err);
reel_status reel_arrow_import_array(struct ArrowArray *in, const reel_arrow_field *field,
                                    reel_arrow_validate_level level, reel_arrow_array *out,
                                    reel_error *err);

#ifdef __cplusplus
}
#endif
#endif
