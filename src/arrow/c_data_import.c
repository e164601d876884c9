/* The Arrow C Data Interface, import side: an ArrowSchema is parsed and copied into a
 * field; an ArrowArray is moved into one shared blob that every imported buffer retains,
 * so the producer's memory lives exactly as long as some array uses it, and the result is
 * validated. Buffer sizes, which the interface does not carry, follow from the layout. A
 * schema with a `dictionary` becomes a DICTIONARY field whose indices have the schema's
 * (integer) format, and an array's `dictionary` its values array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_util.h"

static const char *const time_unit_chars = "smun";

/* ---------------------------------------------------------------- format strings */

/* Parses a decimal int32 >= min that ends the string (or, with `stop`, ends at `stop`). */
static bool parse_int(const char *s, char stop, int32_t min, int32_t max, int32_t *out,
                      const char **end)
{
    int64_t value = 0;
    const char *p = s;
    bool negative = *p == '-';
    if (negative)
        p++;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9') {
        value = value * 10 + (*p++ - '0');
        if (value > (int64_t)INT32_MAX + 1)
            return false;
    }
    if (negative)
        value = -value;
    if ((*p != '\0' && *p != stop) || value < min || value > max)
        return false;
    *out = (int32_t)value;
    if (end != NULL)
        *end = p;
    return true;
}

static bool unit_of(char c, reel_arrow_time_unit *unit)
{
    const char *hit = c != '\0' ? strchr(time_unit_chars, c) : NULL;
    if (hit == NULL)
        return false;
    *unit = (reel_arrow_time_unit)(hit - time_unit_chars);
    return true;
}

/* Fills the type part of `field` from a format string. n_children is the schema's. */
static reel_status parse_format(const char *format, int64_t n_children, reel_arrow_field *field,
                                const char *where, reel_error *err)
{
    static const char simple[] = "nbcsilCSILefguUzZ";
    static const reel_arrow_type simple_types[] = {
        REEL_ARROW_NULL_TYPE,   REEL_ARROW_BOOL,   REEL_ARROW_INT8,       REEL_ARROW_INT16,
        REEL_ARROW_INT32,       REEL_ARROW_INT64,  REEL_ARROW_UINT8,      REEL_ARROW_UINT16,
        REEL_ARROW_UINT32,      REEL_ARROW_UINT64, REEL_ARROW_FLOAT16,    REEL_ARROW_FLOAT32,
        REEL_ARROW_FLOAT64,     REEL_ARROW_UTF8,   REEL_ARROW_LARGE_UTF8, REEL_ARROW_BINARY,
        REEL_ARROW_LARGE_BINARY};
    const char *f = format;
    reel_arrow_time_unit unit;
    if (f[0] != '\0' && f[1] == '\0' && strchr(simple, f[0]) != NULL) {
        field->type = simple_types[strchr(simple, f[0]) - simple];
        return REEL_OK;
    }
    if (strncmp(f, "w:", 2) == 0 || strncmp(f, "+w:", 3) == 0) {
        bool list = f[0] == '+';
        field->type = list ? REEL_ARROW_FIXED_SIZE_LIST : REEL_ARROW_FIXED_SIZE_BINARY;
        if (!parse_int(f + (list ? 3 : 2), '\0', 1, INT32_MAX, &field->fixed_size, NULL))
            goto malformed;
        return REEL_OK;
    }
    if (strcmp(f, "tdD") == 0 || strcmp(f, "tdm") == 0) {
        field->type = f[2] == 'D' ? REEL_ARROW_DATE32 : REEL_ARROW_DATE64;
        field->unit = REEL_ARROW_MILLI;
        return REEL_OK;
    }
    if (strncmp(f, "tt", 2) == 0 && unit_of(f[2], &unit) && f[3] == '\0') {
        field->type = unit <= REEL_ARROW_MILLI ? REEL_ARROW_TIME32 : REEL_ARROW_TIME64;
        field->unit = unit;
        return REEL_OK;
    }
    if (strncmp(f, "tD", 2) == 0 && unit_of(f[2], &unit) && f[3] == '\0') {
        field->type = REEL_ARROW_DURATION;
        field->unit = unit;
        return REEL_OK;
    }
    if (strncmp(f, "ts", 2) == 0 && unit_of(f[2], &unit) && f[3] == ':') {
        field->type = REEL_ARROW_TIMESTAMP;
        field->unit = unit;
        if (f[4] != '\0' && reel_arrow_field_set_timezone(field, f + 4) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
        return REEL_OK;
    }
    if (strcmp(f, "+l") == 0 || strcmp(f, "+L") == 0 || strcmp(f, "+s") == 0 ||
        strcmp(f, "+m") == 0) {
        field->type = f[1] == 'l'   ? REEL_ARROW_LIST
                      : f[1] == 'L' ? REEL_ARROW_LARGE_LIST
                      : f[1] == 'm' ? REEL_ARROW_MAP
                                    : REEL_ARROW_STRUCT;
        return REEL_OK;
    }
    if (strncmp(f, "d:", 2) == 0) {
        /* "d:precision,scale[,bit width]"; precision and scale ranges are the field's. */
        int32_t bits = 128;
        const char *p = f + 2;
        if (!parse_int(p, ',', 0, INT32_MAX, &field->precision, &p) || *p != ',' ||
            !parse_int(p + 1, ',', INT32_MIN + 1, INT32_MAX, &field->scale, &p) ||
            (*p == ',' && !parse_int(p + 1, '\0', 32, 256, &bits, NULL)))
            goto malformed;
        switch (bits) {
        case 32:
            field->type = REEL_ARROW_DECIMAL32;
            break;
        case 64:
            field->type = REEL_ARROW_DECIMAL64;
            break;
        case 128:
            field->type = REEL_ARROW_DECIMAL128;
            break;
        case 256:
            field->type = REEL_ARROW_DECIMAL256;
            break;
        default:
            goto malformed;
        }
        return REEL_OK;
    }
    if (strncmp(f, "+ud:", 4) == 0 || strncmp(f, "+us:", 4) == 0) {
        field->type = f[2] == 'd' ? REEL_ARROW_DENSE_UNION : REEL_ARROW_SPARSE_UNION;
        if (n_children < 0 || n_children > 128)
            goto malformed;
        /* Codes are stored once the children exist; parse them into a scratch list. */
        int8_t *codes = reel_alloc(field->alloc, (size_t)n_children);
        if (codes == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
        const char *p = f + 4;
        int64_t count = 0;
        bool ok = true;
        while (*p != '\0') {
            int32_t code;
            const char *end;
            if (count >= n_children || !parse_int(p, ',', 0, 127, &code, &end)) {
                ok = false;
                break;
            }
            codes[count++] = (int8_t)code;
            if (*end == '\0')
                break;
            p = end + 1; /* after the comma: another code must follow */
            if (*p == '\0')
                ok = false;
        }
        if (!ok || count != n_children) {
            reel_free(field->alloc, codes, (size_t)n_children);
            goto malformed;
        }
        field->union_type_codes = codes; /* sized n_children, as the field expects */
        return REEL_OK;
    }
    return reel_error_set(err, REEL_UNSUPPORTED, "%s: unsupported format '%.64s'", where, format);
malformed:
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: malformed format '%.64s'", where,
                          format);
}

/* ---------------------------------------------------------------- schema import */

static reel_status decode_metadata(const char *bytes, reel_arrow_metadata *md,
                                   const reel_allocator *alloc, const char *where, reel_error *err)
{
    int32_t count;
    memcpy(&count, bytes, 4);
    bytes += 4;
    if (count < 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: metadata count %d is negative",
                              where, (int)count);
    for (int32_t i = 0; i < count; i++) {
        const char *parts[2];
        int32_t lens[2];
        for (int k = 0; k < 2; k++) {
            memcpy(&lens[k], bytes, 4);
            if (lens[k] < 0)
                return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                      "%s: metadata entry %d has a negative length", where, (int)i);
            parts[k] = bytes + 4;
            bytes += 4 + lens[k];
        }
        char *key = reel_strndup(alloc, parts[0], (size_t)lens[0]);
        char *value = reel_strndup(alloc, parts[1], (size_t)lens[1]);
        reel_status status =
            key && value ? reel_arrow_metadata_set(md, alloc, key, value) : REEL_OUT_OF_MEMORY;
        reel_strfree(alloc, key);
        reel_strfree(alloc, value);
        if (status != REEL_OK)
            return reel_error_set(err, status, "%s: cannot copy metadata", where);
    }
    return REEL_OK;
}

static reel_status import_schema(const struct ArrowSchema *in, reel_arrow_field *out,
                                 reel__arrow_path *path, int depth, reel_error *err)
{
    const char *where = reel__arrow_path_str(path);
    if (depth > REEL__ARROW_MAX_DEPTH)
        return reel_error_set(err, REEL_LIMIT, "%s: schema nested deeper than %d", where,
                              REEL__ARROW_MAX_DEPTH);
    if (in->format == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: no format string", where);
    if (in->n_children < 0 || in->n_children > INT32_MAX / 2 ||
        (in->n_children > 0 && in->children == NULL))
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: invalid children (%lld)", where,
                              (long long)in->n_children);
    out->nullable = (in->flags & ARROW_FLAG_NULLABLE) != 0;
    if (in->name != NULL && in->name[0] != '\0' &&
        reel_arrow_field_set_name(out, in->name) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
    if (in->metadata != NULL)
        REEL_TRY(decode_metadata(in->metadata, &out->metadata, out->alloc, where, err));
    REEL_TRY(parse_format(in->format, in->n_children, out, where, err));
    if (out->type == REEL_ARROW_MAP)
        out->keys_sorted = (in->flags & ARROW_FLAG_MAP_KEYS_SORTED) != 0;
    if (in->dictionary != NULL) {
        /* The format was the indices'; the values' type is the dictionary's. */
        reel_arrow_field *value;
        if (!reel__arrow_is_integer(out->type) || in->n_children != 0)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "%s: a dictionary's indices must be of an integer type without "
                                  "children, not '%.64s'",
                                  where, in->format);
        if (reel_arrow_field_set_dictionary(out, out->type, REEL_ARROW_NULL_TYPE, &value) !=
            REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
        out->dictionary_ordered = (in->flags & ARROW_FLAG_DICTIONARY_ORDERED) != 0;
        if (in->dictionary->name != NULL && in->dictionary->name[0] != '\0' &&
            reel_arrow_field_set_name(value, in->dictionary->name) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
        size_t old_len = reel__arrow_path_push_dictionary(path);
        reel_status status = import_schema(in->dictionary, value, path, depth + 1, err);
        reel__arrow_path_pop(path, old_len);
        return status;
    }
    bool unions = out->type == REEL_ARROW_SPARSE_UNION || out->type == REEL_ARROW_DENSE_UNION;
    int8_t *codes = out->union_type_codes;
    out->union_type_codes = NULL; /* add_child grows its own list; restored below */
    reel_status status = REEL_OK;
    for (int64_t i = 0; status == REEL_OK && i < in->n_children; i++) {
        const struct ArrowSchema *child = in->children[i];
        reel_arrow_field *child_field;
        if (child == NULL) {
            status = reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: child %lld is NULL", where,
                                    (long long)i);
            break;
        }
        status = reel_arrow_field_add_child(out, NULL, REEL_ARROW_NULL_TYPE, true, &child_field);
        if (status != REEL_OK) {
            status = reel_error_set(err, status, "%s: cannot add child %lld", where, (long long)i);
            break;
        }
        if (child->name != NULL && child->name[0] != '\0' &&
            reel_arrow_field_set_name(child_field, child->name) != REEL_OK) {
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", where);
            break;
        }
        size_t old_len = reel__arrow_path_push(path, child_field, (int32_t)i);
        status = import_schema(child, child_field, path, depth + 1, err);
        reel__arrow_path_pop(path, old_len);
    }
    if (unions && codes != NULL) {
        if (out->union_type_codes != NULL && out->n_children == in->n_children)
            memcpy(out->union_type_codes, codes, (size_t)in->n_children);
        reel_free(out->alloc, codes, (size_t)in->n_children);
    }
    return status;
}

reel_status reel_arrow_import_field(struct ArrowSchema *in, reel_arrow_field *out,
                                    const reel_allocator *alloc, reel_error *err)
{
    reel_arrow_field_init(out, NULL, REEL_ARROW_NULL_TYPE, true, alloc);
    if (in == NULL || in->release == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "import: schema already released");
    reel__arrow_path path = {{0}, 0};
    reel_status status = import_schema(in, out, &path, 0, err);
    if (status == REEL_OK)
        status = reel_arrow_field_validate(out, err);
    in->release(in);
    in->release = NULL;
    if (status != REEL_OK) {
        reel_arrow_field_reset(out);
        reel_arrow_field_init(out, NULL, REEL_ARROW_NULL_TYPE, true, alloc);
    }
    return status;
}

/* ---------------------------------------------------------------- array import */

static void release_imported(void *ctx, void *data, size_t len)
{
    (void)ctx;
    (void)len;
    struct ArrowArray *moved = data;
    if (moved->release != NULL)
        moved->release(moved);
    free(moved);
}

static reel_status import_bad(reel_error *err, const reel__arrow_path *path, const char *what,
                              long long value)
{
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "import: %s: %s (%lld)",
                          reel__arrow_path_str(path), what, value);
}

/* The C Data Interface carries no buffer sizes: they follow from the layout, length and
 * offset (and for var-size data, from the last offset). */
static reel_status import_node(const reel_arrow_field *field, const struct ArrowArray *in,
                               reel_blob *blob, reel_arrow_array *out, reel__arrow_path *path,
                               reel_error *err)
{
    reel_arrow_type type = field->type;
    int32_t n_buffers = reel_arrow_type_buffer_count(type);
    if ((in->dictionary != NULL) != (type == REEL_ARROW_DICTIONARY))
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "import: %s: %s",
                              reel__arrow_path_str(path),
                              in->dictionary != NULL ? "a dictionary on an array of another type"
                                                     : "a dictionary array without its dictionary");
    if (in->length < 0 || in->offset < 0 || in->offset > INT64_MAX / 16 - in->length)
        return import_bad(err, path, "invalid length/offset", (long long)in->length);
    if (in->null_count < -1 || in->null_count > in->length)
        return import_bad(err, path, "invalid null_count", (long long)in->null_count);
    if (in->n_buffers != n_buffers || (n_buffers > 0 && in->buffers == NULL))
        return import_bad(err, path, "wrong number of buffers", (long long)in->n_buffers);
    if (in->n_children != field->n_children || (in->n_children > 0 && in->children == NULL))
        return import_bad(err, path, "wrong number of children", (long long)in->n_children);
    out->length = in->length;
    out->offset = in->offset;
    out->n_buffers = n_buffers;
    int64_t end = in->offset + in->length;
    for (int i = 0; i < n_buffers; i++) {
        const uint8_t *data = in->buffers[i];
        int64_t size = 0;
        bool unions = type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION;
        bool large = type == REEL_ARROW_LARGE_UTF8 || type == REEL_ARROW_LARGE_BINARY ||
                     type == REEL_ARROW_LARGE_LIST;
        int32_t width = reel__arrow_value_width(field);
        if (data == NULL) {
            size = 0;
        } else if (unions) {
            size = i == 0 ? end : end * 4;
        } else if (i == 0 || width == 0) {
            size = end / 8 + (end % 8 != 0); /* validity or bool values */
        } else if (width > 0) {
            if (end > INT64_MAX / width)
                return import_bad(err, path, "values too large", (long long)end);
            size = end * width;
        } else if (i == 1) {
            size = (end + 1) * (large ? 8 : 4);
        } else if (in->length > 0 && in->buffers[1] != NULL) {
            size = reel__arrow_load_offset(in->buffers[1], large, end);
            if (size < 0)
                return import_bad(err, path, "negative last offset", (long long)size);
        }
        out->buffers[i].data = data;
        out->buffers[i].size = size;
        out->buffers[i].owner = data != NULL ? reel_blob_retain(blob) : NULL;
    }
    if (in->null_count >= 0)
        out->null_count = in->null_count;
    else if (type == REEL_ARROW_NULL_TYPE)
        out->null_count = in->length;
    else if (type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION)
        out->null_count = 0;
    else
        out->null_count = reel_arrow_count_nulls(&out->buffers[0], in->offset, in->length);
    if (type == REEL_ARROW_DICTIONARY) {
        out->dictionary = reel_alloc_zeroed(out->alloc, sizeof *out->dictionary);
        if (out->dictionary == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "import: out of memory");
        size_t old_len = reel__arrow_path_push_dictionary(path);
        reel_status status =
            import_node(field->dictionary, in->dictionary, blob, out->dictionary, path, err);
        reel__arrow_path_pop(path, old_len);
        return status;
    }
    if (field->n_children == 0)
        return REEL_OK;
    out->children =
        reel_alloc_zeroed(out->alloc, (size_t)field->n_children * sizeof *out->children);
    if (out->children == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "import: out of memory");
    out->n_children = field->n_children;
    for (int32_t i = 0; i < field->n_children; i++) {
        if (in->children[i] == NULL)
            return import_bad(err, path, "NULL child", (long long)i);
        size_t old_len = reel__arrow_path_push(path, &field->children[i], i);
        reel_status status =
            import_node(&field->children[i], in->children[i], blob, &out->children[i], path, err);
        reel__arrow_path_pop(path, old_len);
        REEL_TRY(status);
    }
    return REEL_OK;
}

reel_status reel_arrow_import_array(struct ArrowArray *in, const reel_arrow_field *field,
                                    reel_arrow_validate_level level, reel_arrow_array *out,
                                    reel_error *err)
{
    memset(out, 0, sizeof *out);
    if (in == NULL || in->release == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "import: array already released");
    /* Move the producer's struct first: from here on it is ours whatever happens. */
    struct ArrowArray *moved = malloc(sizeof *moved);
    if (moved == NULL) {
        in->release(in);
        in->release = NULL;
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "import: out of memory");
    }
    *moved = *in;
    in->release = NULL;
    reel_blob *blob = reel_blob_wrap(moved, 0, release_imported, NULL);
    if (blob == NULL) {
        release_imported(NULL, moved, 0);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "import: out of memory");
    }
    reel_status status = reel_arrow_field_validate(field, err);
    if (status == REEL_OK) {
        reel__arrow_path path;
        reel__arrow_path_root(&path, field);
        status = import_node(field, moved, blob, out, &path, err);
    }
    reel_blob_release(blob); /* the buffers hold their own references */
    if (status == REEL_OK)
        status = reel_arrow_array_validate(field, out, level, err);
    if (status != REEL_OK)
        reel_arrow_array_reset(out);
    return status;
}
