/* One array element as compact JSON (no spaces): null, true/false, exact integers, floats
 * with the fewest digits that read back exactly (positional where Python's repr is) or the
 * strings "NaN", "inf", "-inf", escaped strings, binary as lower-case
 * hex strings, decimals as strings of exact decimal text, lists as arrays, structs as
 * objects in field order, unions as [type_code,value] (also when the value is null), maps
 * as arrays of their entry objects and dictionary elements as the values they index.
 * Temporal values are their raw integers. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_util.h"

static reel_status append_json_string(reel_buf *out, const uint8_t *bytes, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    /* Worst case every byte becomes \u00XX: reserve once, then write directly. */
    size_t need;
    if (!reel_size_mul(len, 6, &need) || !reel_size_add(need, 2, &need))
        return REEL_OUT_OF_MEMORY;
    REEL_TRY(reel_buf_reserve(out, need));
    uint8_t *p = out->data + out->len;
    *p++ = '"';
    for (size_t i = 0; i < len; i++) {
        uint8_t c = bytes[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *p++ = c; /* ASCII and non-ASCII bytes pass through */
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *p++ = c;
            break;
        case '\b':
            *p++ = 'b';
            break;
        case '\f':
            *p++ = 'f';
            break;
        case '\n':
            *p++ = 'n';
            break;
        case '\r':
            *p++ = 'r';
            break;
        case '\t':
            *p++ = 't';
            break;
        default:
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = (uint8_t)hex[c >> 4];
            *p++ = (uint8_t)hex[c & 15];
        }
    }
    *p++ = '"';
    out->len = (size_t)(p - out->data);
    return REEL_OK;
}

static reel_status append_hex_string(reel_buf *out, const uint8_t *bytes, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t need;
    if (!reel_size_mul(len, 2, &need) || !reel_size_add(need, 2, &need))
        return REEL_OUT_OF_MEMORY;
    uint8_t *p = reel_buf_extend(out, need);
    if (p == NULL)
        return REEL_OUT_OF_MEMORY;
    *p++ = '"';
    for (size_t i = 0; i < len; i++) {
        *p++ = (uint8_t)hex[bytes[i] >> 4];
        *p++ = (uint8_t)hex[bytes[i] & 15];
    }
    *p = '"';
    return REEL_OK;
}

/* True when `text` reads back as exactly `value` at the column's width. */
static bool reads_back(const char *text, double value, reel_arrow_type type)
{
    double parsed = strtod(text, NULL);
    if (type == REEL_ARROW_FLOAT16)
        return reel_arrow_float_to_half((float)parsed) == reel_arrow_float_to_half((float)value);
    if (type == REEL_ARROW_FLOAT32)
        return (float)parsed == (float)value;
    return parsed == value;
}

/* The fewest significant digits that read back as the same value of the column's width
 * (0.1f prints 0.1, not 0.100000001): at most 5 for half, 9 for float, 17 for double. */
static reel_status append_double(reel_buf *out, double value, reel_arrow_type type)
{
    if (isnan(value))
        return reel_buf_printf(out, "\"NaN\"");
    if (isinf(value))
        return reel_buf_printf(out, value > 0 ? "\"inf\"" : "\"-inf\"");
    int max_digits = type == REEL_ARROW_FLOAT16 ? 5 : type == REEL_ARROW_FLOAT32 ? 9 : 17;
    char text[40];
    int digits = 1;
    for (; digits < max_digits; digits++) {
        snprintf(text, sizeof text, "%.*e", digits - 1, value);
        if (reads_back(text, value, type))
            break;
    }
    /* Positional notation where Python's repr uses it (decimal exponent in [-4, 16)): 20
     * prints "20", not "2e+01"; the same digits, so it reads back the same. */
    snprintf(text, sizeof text, "%.*e", digits - 1, value);
    const char *e = strchr(text, 'e');
    int exponent = e != NULL ? atoi(e + 1) : 0;
    if (value == 0)
        return reel_buf_printf(out, signbit(value) ? "-0.0" : "0"); /* keep the sign */
    if (exponent >= -4 && exponent < 16) {
        int decimals = digits - 1 - exponent;
        return reel_buf_printf(out, "%.*f", decimals > 0 ? decimals : 0, value);
    }
    return reel_buf_printf(out, "%.*g", digits, value);
}

static reel_status value_to_json(const reel_arrow_field *field, const reel_arrow_array *array,
                                 int64_t i, reel_buf *out, int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH)
        return REEL_LIMIT;
    /* A union element always shows its type code, also when the child's value is null. */
    bool is_union = field->type == REEL_ARROW_SPARSE_UNION || field->type == REEL_ARROW_DENSE_UNION;
    if (!is_union && reel_arrow_array_is_null(field, array, i))
        return reel_buf_printf(out, "null");
    switch (field->type) {
    case REEL_ARROW_BOOL:
        return reel_buf_printf(out, reel_arrow_array_get_bool(array, i) ? "true" : "false");
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_INT64:
    case REEL_ARROW_DATE32:
    case REEL_ARROW_DATE64:
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_TIMESTAMP:
    case REEL_ARROW_DURATION:
        return reel_buf_printf(out, "%" PRId64, reel_arrow_array_get_int(field, array, i));
    case REEL_ARROW_UINT8:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_UINT64:
        return reel_buf_printf(out, "%" PRIu64, reel_arrow_array_get_uint(field, array, i));
    case REEL_ARROW_FLOAT16:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_FLOAT64:
        return append_double(out, reel_arrow_array_get_double(field, array, i), field->type);
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8: {
        reel_span s = reel_arrow_array_get_bytes(field, array, i);
        return append_json_string(out, s.data, s.len);
    }
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_FIXED_SIZE_BINARY: {
        reel_span s = reel_arrow_array_get_bytes(field, array, i);
        return append_hex_string(out, s.data, s.len);
    }
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256: {
        REEL_TRY(reel_buf_append_u8(out, '"'));
        REEL_TRY(reel_arrow_decimal_format(field, reel_arrow_array_get_bytes(field, array, i).data,
                                           out));
        return reel_buf_append_u8(out, '"');
    }
    case REEL_ARROW_DICTIONARY:
        return value_to_json(field->dictionary, array->dictionary,
                             reel_arrow_array_get_dictionary_index(field, array, i), out,
                             depth + 1);
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_MAP: {
        int64_t start, end;
        reel_arrow_array_get_list_range(field, array, i, &start, &end);
        REEL_TRY(reel_buf_append_u8(out, '['));
        for (int64_t k = start; k < end; k++) {
            if (k > start)
                REEL_TRY(reel_buf_append_u8(out, ','));
            REEL_TRY(value_to_json(&field->children[0], &array->children[0], k, out, depth + 1));
        }
        return reel_buf_append_u8(out, ']');
    }
    case REEL_ARROW_STRUCT:
        REEL_TRY(reel_buf_append_u8(out, '{'));
        for (int32_t c = 0; c < field->n_children; c++) {
            const char *name = field->children[c].name != NULL ? field->children[c].name : "";
            if (c > 0)
                REEL_TRY(reel_buf_append_u8(out, ','));
            REEL_TRY(append_json_string(out, (const uint8_t *)name, strlen(name)));
            REEL_TRY(reel_buf_append_u8(out, ':'));
            REEL_TRY(value_to_json(&field->children[c], &array->children[c], array->offset + i, out,
                                   depth + 1));
        }
        return reel_buf_append_u8(out, '}');
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION: {
        int32_t child;
        int64_t child_index;
        reel_arrow_array_get_union(field, array, i, &child, &child_index);
        if (child < 0)
            return REEL_INVALID_ARGUMENT; /* not validated */
        int code = (int8_t)array->buffers[0].data[array->offset + i];
        REEL_TRY(reel_buf_printf(out, "[%d,", code));
        REEL_TRY(value_to_json(&field->children[child], &array->children[child], child_index, out,
                               depth + 1));
        return reel_buf_append_u8(out, ']');
    }
    default:
        return REEL_INVALID_ARGUMENT;
    }
}

reel_status reel_arrow_value_to_json(const reel_arrow_field *field, const reel_arrow_array *array,
                                     int64_t i, reel_buf *out)
{
    size_t old_len = out->len;
    reel_status status = value_to_json(field, array, i, out, 0);
    if (status != REEL_OK)
        out->len = old_len;
    return status;
}
