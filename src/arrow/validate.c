/* reel_arrow_array_validate: checks an array tree against its field at the DEFAULT level
 * (structure and buffer sizes, O(columns)) or the FULL level (also every offset, union
 * code, UTF-8 string and null count, O(data)). It runs on hostile arrays from IPC bytes,
 * so it reads a buffer only after proving it long enough and checks every size product
 * for overflow. Errors name the column path, the element index and the values involved. */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_util.h"

typedef struct checker {
    reel_arrow_validate_level level;
    bool dictionaries_checked; /* the values of every dictionary were validated before */
    reel__arrow_path path;
    reel_error *err;
} checker;

static reel_status bad(checker *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static reel_status bad(checker *c, const char *fmt, ...)
{
    char what[320];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    return reel_error_set(c->err, REEL_CORRUPT, "%s: %s", reel__arrow_path_str(&c->path), what);
}

static bool mul_fits(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0 || (b != 0 && a > INT64_MAX / b))
        return false;
    *out = a * b;
    return true;
}

static int64_t bitmap_bytes(int64_t bits)
{
    return bits / 8 + (bits % 8 != 0);
}

static const char *buffer_role(reel_arrow_type type, int index)
{
    if (type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION)
        return index == 0 ? "type ids" : "offsets";
    if (index == 0)
        return "validity";
    if (index == 2)
        return "data";
    switch (type) {
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_MAP:
        return "offsets";
    case REEL_ARROW_DICTIONARY:
        return "indices";
    default:
        return "values";
    }
}

/* Buffer `index` must hold at least `need` bytes. */
static reel_status need_bytes(checker *c, reel_arrow_type type, const reel_arrow_array *array,
                              int index, int64_t need, const char *why)
{
    if (array->buffers[index].size >= need)
        return REEL_OK;
    return bad(c, "%s buffer too short: need %lld bytes for %s, have %lld",
               buffer_role(type, index), (long long)need, why,
               (long long)array->buffers[index].size);
}

/* ---------------------------------------------------------------- UTF-8 */

size_t reel__arrow_utf8_invalid_at(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if ((word & 0x8080808080808080u) == 0) {
                i += 8;
                continue;
            }
        }
        uint8_t b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
        if (b >= 0xc2 && b <= 0xdf) {
            n = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 3;
            if (b == 0xe0)
                lo = 0xa0; /* overlong */
            if (b == 0xed)
                hi = 0x9f; /* surrogates */
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 4;
            if (b == 0xf0)
                lo = 0x90; /* overlong */
            if (b == 0xf4)
                hi = 0x8f; /* above U+10FFFF */
        } else {
            return i;
        }
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
        }
        i += n;
    }
    return len;
}

/* ---------------------------------------------------------------- per layout */

static reel_status check_validity(checker *c, const reel_arrow_field *field,
                                  const reel_arrow_array *array, int64_t end)
{
    const reel_arrow_buffer *validity = &array->buffers[0];
    if (validity->data == NULL) {
        if (array->null_count != 0)
            return bad(c, "null_count is %lld but there is no validity bitmap",
                       (long long)array->null_count);
        return REEL_OK;
    }
    REEL_TRY(need_bytes(c, field->type, array, 0, bitmap_bytes(end), "offset + length bits"));
    if (c->level == REEL_ARROW_VALIDATE_FULL) {
        int64_t nulls = reel_arrow_count_nulls(validity, array->offset, array->length);
        if (nulls != array->null_count)
            return bad(c, "null_count is %lld but the validity bitmap has %lld nulls",
                       (long long)array->null_count, (long long)nulls);
    }
    return REEL_OK;
}

/* Offsets of a variable-size layout (strings, binary, lists). On success *first and *last
 * are the offsets at the start and end of the array's range (0 and 0 when empty), and at
 * the FULL level every offset in between was checked to be non-decreasing. */
static reel_status check_offsets(checker *c, const reel_arrow_field *field,
                                 const reel_arrow_array *array, int64_t end, bool large,
                                 int64_t *first, int64_t *last)
{
    *first = *last = 0;
    const reel_arrow_buffer *offsets = &array->buffers[1];
    if (array->length == 0 && offsets->size == 0)
        return REEL_OK; /* an empty array may leave its offsets out */
    int64_t width = large ? 8 : 4, need;
    if (!mul_fits(end + 1, width, &need))
        return bad(c, "offset %lld + length %lld needs more offsets than fit in memory",
                   (long long)array->offset, (long long)array->length);
    REEL_TRY(need_bytes(c, field->type, array, 1, need, "offset + length + 1 offsets"));
    if (array->length == 0)
        return REEL_OK;
    const uint8_t *p = offsets->data;
    *first = reel__arrow_load_offset(p, large, array->offset);
    *last = reel__arrow_load_offset(p, large, end);
    if (*first < 0)
        return bad(c, "offset 0 is negative (%lld)", (long long)*first);
    if (c->level == REEL_ARROW_VALIDATE_FULL) {
        int64_t previous = *first;
        for (int64_t i = 1; i <= array->length; i++) {
            int64_t value = reel__arrow_load_offset(p, large, array->offset + i);
            if (value < previous)
                return bad(c, "offset %lld (%lld) is less than offset %lld (%lld)", (long long)i,
                           (long long)value, (long long)(i - 1), (long long)previous);
            previous = value;
        }
    } else if (*last < *first) {
        return bad(c, "last offset %lld (%lld) is less than offset 0 (%lld)",
                   (long long)array->length, (long long)*last, (long long)*first);
    }
    return REEL_OK;
}

static reel_status check_binary(checker *c, const reel_arrow_field *field,
                                const reel_arrow_array *array, int64_t end)
{
    reel_arrow_type type = field->type;
    bool large = type == REEL_ARROW_LARGE_UTF8 || type == REEL_ARROW_LARGE_BINARY;
    int64_t first, last;
    REEL_TRY(check_offsets(c, field, array, end, large, &first, &last));
    if (array->length == 0)
        return REEL_OK;
    REEL_TRY(need_bytes(c, type, array, 2, last, "the last offset"));
    bool utf8 = type == REEL_ARROW_UTF8 || type == REEL_ARROW_LARGE_UTF8;
    if (!utf8 || c->level != REEL_ARROW_VALIDATE_FULL)
        return REEL_OK;
    const uint8_t *offsets = array->buffers[1].data, *data = array->buffers[2].data;
    if (last == first)
        return REEL_OK;
    /* Fast path: the whole value range is one valid UTF-8 text and every element starts on
     * a character boundary (not a continuation byte), so every element is valid UTF-8.
     * Only when that fails (possibly because of bytes under a null) check element by
     * element, skipping nulls, to find and name the bad one. */
    if (reel__arrow_utf8_invalid_at(data + first, (size_t)(last - first)) ==
        (size_t)(last - first)) {
        bool boundaries_ok = true;
        for (int64_t i = 1; i < array->length; i++) {
            int64_t start = reel__arrow_load_offset(offsets, large, array->offset + i);
            if (start < last && (data[start] & 0xc0) == 0x80) {
                boundaries_ok = false;
                break;
            }
        }
        if (boundaries_ok)
            return REEL_OK;
    }
    for (int64_t i = 0; i < array->length; i++) {
        if (!reel__arrow_valid(array, i))
            continue;
        int64_t start = reel__arrow_load_offset(offsets, large, array->offset + i);
        int64_t stop = reel__arrow_load_offset(offsets, large, array->offset + i + 1);
        if (stop == start)
            continue; /* also keeps a NULL data pointer out of the arithmetic */
        size_t bad_at = reel__arrow_utf8_invalid_at(data + start, (size_t)(stop - start));
        if (bad_at != (size_t)(stop - start))
            return bad(c, "element %lld is not valid UTF-8 (byte 0x%02x at position %zu)",
                       (long long)i, data[start + (int64_t)bad_at], bad_at);
    }
    return REEL_OK;
}

static reel_status check_union(checker *c, const reel_arrow_field *field,
                               const reel_arrow_array *array, int64_t end)
{
    bool dense = field->type == REEL_ARROW_DENSE_UNION;
    if (array->null_count != 0)
        return bad(c, "null_count of a union must be 0, is %lld", (long long)array->null_count);
    REEL_TRY(need_bytes(c, field->type, array, 0, end, "offset + length type ids"));
    int64_t need;
    if (dense) {
        if (!mul_fits(end, 4, &need))
            return bad(c, "offset + length too large");
        REEL_TRY(need_bytes(c, field->type, array, 1, need, "offset + length offsets"));
    } else {
        for (int32_t k = 0; k < field->n_children; k++) {
            if (array->children[k].length < end)
                return bad(c, "child %d ('%s') has %lld elements, the sparse union needs %lld",
                           (int)k, field->children[k].name ? field->children[k].name : "",
                           (long long)array->children[k].length, (long long)end);
        }
    }
    if (c->level != REEL_ARROW_VALIDATE_FULL || array->length == 0)
        return REEL_OK;
    int8_t child_of_code[128];
    memset(child_of_code, -1, sizeof child_of_code);
    for (int32_t k = 0; k < field->n_children; k++)
        child_of_code[field->union_type_codes[k]] = (int8_t)k;
    const uint8_t *codes = array->buffers[0].data;
    for (int64_t i = 0; i < array->length; i++) {
        int8_t code = (int8_t)codes[array->offset + i];
        int child = code >= 0 ? child_of_code[code] : -1;
        if (child < 0)
            return bad(c, "element %lld has type code %d, which is not one of the union's",
                       (long long)i, (int)code);
        if (!dense)
            continue;
        int32_t at = reel__arrow_load_i32(array->buffers[1].data + (array->offset + i) * 4);
        if (at < 0 || at >= array->children[child].length)
            return bad(c,
                       "element %lld: offset %d into child %d ('%s') is out of range (child "
                       "length %lld)",
                       (long long)i, (int)at, child,
                       field->children[child].name ? field->children[child].name : "",
                       (long long)array->children[child].length);
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- the tree walk */

static reel_status check_array(checker *c, const reel_arrow_field *field,
                               const reel_arrow_array *array, int depth);

/* A dictionary's indices cover the array, its values are a valid array, and (FULL) every
 * non-null element's index points into them. */
static reel_status check_dictionary(checker *c, const reel_arrow_field *field,
                                    const reel_arrow_array *array, int64_t end, int depth)
{
    int64_t width = reel__arrow_value_width(field), need;
    if (!mul_fits(end, width, &need))
        return bad(c, "offset + length times index width %lld is too large", (long long)width);
    REEL_TRY(need_bytes(c, field->type, array, 1, need, "offset + length indices"));
    if (array->dictionary == NULL)
        return bad(c, "dictionary array without its dictionary");
    if (!c->dictionaries_checked) {
        size_t old_len = reel__arrow_path_push_dictionary(&c->path);
        reel_status status = check_array(c, field->dictionary, array->dictionary, depth + 1);
        reel__arrow_path_pop(&c->path, old_len);
        REEL_TRY(status);
    }
    if (c->level != REEL_ARROW_VALIDATE_FULL)
        return REEL_OK;
    int64_t size = array->dictionary->length;
    for (int64_t i = 0; i < array->length; i++) {
        if (!reel__arrow_valid(array, i))
            continue;
        int64_t index = reel_arrow_array_get_dictionary_index(field, array, i);
        if (index < 0 || index >= size) {
            /* Print unsigned indices as such (a huge uint64 wraps to a negative index). */
            if (field->index_type == REEL_ARROW_UINT64 && index < 0)
                return bad(c, "element %lld: index %llu is outside the dictionary's %lld values",
                           (long long)i, (unsigned long long)index, (long long)size);
            return bad(c, "element %lld: index %lld is outside the dictionary's %lld values",
                       (long long)i, (long long)index, (long long)size);
        }
    }
    return REEL_OK;
}

/* FULL, after the children were checked: no map element holds a null entry or key. */
static reel_status check_map_entries(checker *c, const reel_arrow_field *field,
                                     const reel_arrow_array *array)
{
    if (array->length == 0)
        return REEL_OK;
    const reel_arrow_array *entries = &array->children[0];
    const reel_arrow_field *key_field = &field->children[0].children[0];
    const reel_arrow_array *keys = &entries->children[0];
    int64_t first = reel__arrow_load_offset(array->buffers[1].data, false, array->offset);
    int64_t last =
        reel__arrow_load_offset(array->buffers[1].data, false, array->offset + array->length);
    for (int64_t k = first; k < last; k++) {
        if (!reel__arrow_valid(entries, k))
            return bad(c, "map entry %lld is null", (long long)k);
        if (reel_arrow_array_is_null(key_field, keys, entries->offset + k))
            return bad(c, "the key of map entry %lld is null", (long long)k);
    }
    return REEL_OK;
}

static reel_status check_layout(checker *c, const reel_arrow_field *field,
                                const reel_arrow_array *array, int64_t end, int depth)
{
    reel_arrow_type type = field->type;
    int64_t need;
    switch (type) {
    case REEL_ARROW_NULL_TYPE:
        if (array->null_count != array->length && array->null_count != 0)
            return bad(c, "null_count of a null array must be its length %lld, is %lld",
                       (long long)array->length, (long long)array->null_count);
        return REEL_OK;
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        return check_union(c, field, array, end);
    default:
        break;
    }
    REEL_TRY(check_validity(c, field, array, end));
    switch (type) {
    case REEL_ARROW_BOOL:
        return need_bytes(c, type, array, 1, bitmap_bytes(end), "offset + length bits");
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
        return check_binary(c, field, array, end);
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_MAP: {
        int64_t first, last;
        REEL_TRY(check_offsets(c, field, array, end, type == REEL_ARROW_LARGE_LIST, &first, &last));
        if (last > array->children[0].length)
            return bad(c, "last offset %lld is beyond the child's %lld elements", (long long)last,
                       (long long)array->children[0].length);
        return REEL_OK;
    }
    case REEL_ARROW_FIXED_SIZE_LIST:
        if (!mul_fits(end, field->fixed_size, &need))
            return bad(c, "offset + length times list size %d is too large",
                       (int)field->fixed_size);
        if (array->children[0].length < need)
            return bad(c, "child has %lld elements, needs %lld (%lld lists of %d)",
                       (long long)array->children[0].length, (long long)need, (long long)end,
                       (int)field->fixed_size);
        return REEL_OK;
    case REEL_ARROW_STRUCT:
        for (int32_t k = 0; k < field->n_children; k++) {
            if (array->children[k].length < end)
                return bad(c, "child %d ('%s') has %lld elements, the struct needs %lld", (int)k,
                           field->children[k].name ? field->children[k].name : "",
                           (long long)array->children[k].length, (long long)end);
        }
        return REEL_OK;
    case REEL_ARROW_DICTIONARY:
        return check_dictionary(c, field, array, end, depth);
    default: {
        int64_t width = reel_arrow_fixed_width(field);
        if (!mul_fits(end, width, &need))
            return bad(c, "offset + length times width %lld is too large", (long long)width);
        return need_bytes(c, type, array, 1, need, "offset + length values");
    }
    }
}

static reel_status check_array(checker *c, const reel_arrow_field *field,
                               const reel_arrow_array *array, int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH)
        return bad(c, "arrays nested deeper than %d", REEL__ARROW_MAX_DEPTH);
    if (array->length < 0 || array->offset < 0 || array->offset > INT64_MAX - array->length)
        return bad(c, "invalid offset %lld / length %lld", (long long)array->offset,
                   (long long)array->length);
    if (array->null_count < 0 || array->null_count > array->length)
        return bad(c, "null_count %lld is outside 0..length %lld", (long long)array->null_count,
                   (long long)array->length);
    int32_t want_buffers = reel_arrow_type_buffer_count(field->type);
    if (array->n_buffers != want_buffers)
        return bad(c, "%s array has %d buffers, expected %d", reel_arrow_type_name(field->type),
                   (int)array->n_buffers, (int)want_buffers);
    if (array->n_children != field->n_children)
        return bad(c, "array has %d children, the field %d", (int)array->n_children,
                   (int)field->n_children);
    if (array->n_children > 0 && array->children == NULL)
        return bad(c, "children missing");
    for (int i = 0; i < want_buffers; i++) {
        const reel_arrow_buffer *buffer = &array->buffers[i];
        if (buffer->size < 0 || (buffer->data == NULL && buffer->size != 0))
            return bad(c, "%s buffer has size %lld and %s data", buffer_role(field->type, i),
                       (long long)buffer->size, buffer->data == NULL ? "no" : "some");
    }
    if (array->dictionary != NULL && field->type != REEL_ARROW_DICTIONARY)
        return bad(c, "%s array has a dictionary", reel_arrow_type_name(field->type));
    REEL_TRY(check_layout(c, field, array, array->offset + array->length, depth));
    for (int32_t k = 0; k < field->n_children; k++) {
        size_t old_len = reel__arrow_path_push(&c->path, &field->children[k], k);
        reel_status status = check_array(c, &field->children[k], &array->children[k], depth + 1);
        reel__arrow_path_pop(&c->path, old_len);
        REEL_TRY(status);
    }
    if (field->type == REEL_ARROW_MAP && c->level == REEL_ARROW_VALIDATE_FULL)
        return check_map_entries(c, field, array);
    return REEL_OK;
}

reel_status reel__arrow_array_validate(const reel_arrow_field *field, const reel_arrow_array *array,
                                       reel_arrow_validate_level level, bool dictionaries_checked,
                                       reel_error *err)
{
    if (level == REEL_ARROW_VALIDATE_NONE)
        return REEL_OK;
    REEL_TRY(reel_arrow_field_validate(field, err));
    checker c = {.level = level, .dictionaries_checked = dictionaries_checked, .err = err};
    reel__arrow_path_root(&c.path, field);
    return check_array(&c, field, array, 0);
}

reel_status reel_arrow_array_validate(const reel_arrow_field *field, const reel_arrow_array *array,
                                      reel_arrow_validate_level level, reel_error *err)
{
    return reel__arrow_array_validate(field, array, level, false, err);
}
