/* Private helpers shared by the arrow module's array code (field, array, validate, builder,
 * c_data): bit access, unaligned native-endian loads, the column-path text that error
 * messages start with, and the exact double-to-half conversion. Not part of the module's
 * surface; nothing outside src/arrow includes it. */
#ifndef REEL_ARROW_UTIL_H
#define REEL_ARROW_UTIL_H

#include <string.h>

#include "arrow/arrow.h"

/* Nesting limit for field trees and everything that recurses over them. */
#define REEL__ARROW_MAX_DEPTH 64

static inline bool reel__arrow_get_bit(const uint8_t *bits, int64_t i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}

static inline void reel__arrow_set_bit(uint8_t *bits, int64_t i)
{
    bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static inline void reel__arrow_clear_bit(uint8_t *bits, int64_t i)
{
    bits[i >> 3] &= (uint8_t) ~(1u << (i & 7));
}

/* Arrow data is little-endian and Reel only runs on little-endian hosts, so a value is
 * its native bytes; memcpy keeps unaligned buffers (IPC bodies, slices) well defined. */
static inline int32_t reel__arrow_load_i32(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline int64_t reel__arrow_load_i64(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Offset `index` of an int32 or int64 offsets buffer, widened. */
static inline int64_t reel__arrow_load_offset(const uint8_t *p, bool large, int64_t index)
{
    return large ? reel__arrow_load_i64(p + index * 8) : reel__arrow_load_i32(p + index * 4);
}

/* The "where" of an error message: "column 'positions'.item". Built while descending a
 * field tree; cut (with "...") when longer than the buffer. */
typedef struct reel__arrow_path {
    char text[200];
    size_t len;
} reel__arrow_path;

/* Appends the child's segment and returns the previous length, for path_pop. */
size_t reel__arrow_path_push(reel__arrow_path *path, const reel_arrow_field *child, int32_t index);
static inline void reel__arrow_path_pop(reel__arrow_path *path, size_t old_len)
{
    path->len = old_len;
    path->text[old_len] = '\0';
}
/* Starts a path at the root field: "column 'name'" for a named root, else "". */
void reel__arrow_path_root(reel__arrow_path *path, const reel_arrow_field *root);
/* The text to print: the path, or "top level" when it is empty. */
static inline const char *reel__arrow_path_str(const reel__arrow_path *path)
{
    return path->len != 0 ? path->text : "top level";
}

/* Index of the first byte of the first invalid UTF-8 sequence in s, or len if valid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t reel__arrow_utf8_invalid_at(const uint8_t *s, size_t len);

/* IEEE binary64 to binary16, correctly rounded (nearest, ties to even) in one step, so
 * that going through float first cannot round twice. */
uint16_t reel__arrow_double_to_half(double value);

static inline bool reel__arrow_is_integer(reel_arrow_type type)
{
    return type >= REEL_ARROW_INT8 && type <= REEL_ARROW_UINT64;
}

static inline bool reel__arrow_is_decimal(reel_arrow_type type)
{
    return type >= REEL_ARROW_DECIMAL32 && type <= REEL_ARROW_DECIMAL256;
}

/* Decimal scales Reel accepts: arrow-rs's (an i8), which keeps decimal text short; pyarrow
 * allows any int32 but nothing Rerun reads can have more. */
#define REEL__ARROW_DECIMAL_MIN_SCALE (-128)
#define REEL__ARROW_DECIMAL_MAX_SCALE 127

/* True when the integer `value` has at most the decimal field's precision in digits. */
bool reel__arrow_decimal_fits_int(const reel_arrow_field *field, int64_t value);

/* Most decimal digits a DECIMAL* type holds: 9, 18, 38 or 76. */
static inline int32_t reel__arrow_decimal_max_precision(reel_arrow_type type)
{
    static const int32_t max[] = {9, 18, 38, 76};
    return max[type - REEL_ARROW_DECIMAL32];
}

/* Bytes per element of buffer 1 of a fixed-width layout: reel_arrow_fixed_width, and for a
 * DICTIONARY the width of its indices. */
static inline int32_t reel__arrow_value_width(const reel_arrow_field *field)
{
    if (field->type != REEL_ARROW_DICTIONARY)
        return reel_arrow_fixed_width(field);
    reel_arrow_field index = {.type = field->index_type};
    return reel__arrow_is_integer(field->index_type) ? reel_arrow_fixed_width(&index) : -1;
}

/* reel_arrow_array_validate, optionally trusting the values of every dictionary (not the
 * indices: those are checked against the values' length as usual). For the IPC decoder,
 * which validates each dictionary once when its DictionaryBatch arrives, so that many
 * small record batches over one big dictionary do not validate it again each time. */
reel_status reel__arrow_array_validate(const reel_arrow_field *field, const reel_arrow_array *array,
                                       reel_arrow_validate_level level, bool dictionaries_checked,
                                       reel_error *err);

/* Appends " dictionary" (the segment of a dictionary's values) and returns the previous
 * length, for path_pop. */
size_t reel__arrow_path_push_dictionary(reel__arrow_path *path);

/* Validity bits of the element `i` of an array with a validity buffer (offset applied). */
static inline bool reel__arrow_valid(const reel_arrow_array *array, int64_t i)
{
    const uint8_t *bits = array->n_buffers > 0 ? array->buffers[0].data : NULL;
    return bits == NULL || reel__arrow_get_bit(bits, array->offset + i);
}

#endif
