/* Field trees: building, copying, freeing and comparing reel_arrow_field, their metadata,
 * the per-type layout facts (type names, buffer counts, fixed widths) and the structural
 * check reel_arrow_field_validate. Also the column-path helper that every arrow error
 * message starts with. */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_util.h"

static const char *const type_names[REEL_ARROW_TYPE_COUNT] = {
#define TYPE_NAME_ENTRY(name, text) text,
    REEL_ARROW_TYPE_TABLE(TYPE_NAME_ENTRY)
#undef TYPE_NAME_ENTRY
};

const char *reel_arrow_type_name(reel_arrow_type type)
{
    if ((unsigned)type >= REEL_ARROW_TYPE_COUNT)
        return "invalid";
    return type_names[type];
}

/* ---------------------------------------------------------------- metadata */

reel_status reel_arrow_metadata_set(reel_arrow_metadata *md, const reel_allocator *alloc,
                                    const char *key, const char *value)
{
    if (key == NULL || value == NULL)
        return REEL_INVALID_ARGUMENT;
    char *value_copy = reel_strdup(alloc, value);
    if (value_copy == NULL)
        return REEL_OUT_OF_MEMORY;
    for (int32_t i = 0; i < md->count; i++) {
        if (strcmp(md->items[i].key, key) == 0) {
            reel_strfree(alloc, md->items[i].value);
            md->items[i].value = value_copy;
            return REEL_OK;
        }
    }
    char *key_copy = reel_strdup(alloc, key);
    if (key_copy == NULL || md->count == INT32_MAX) {
        reel_strfree(alloc, key_copy);
        reel_strfree(alloc, value_copy);
        return REEL_OUT_OF_MEMORY;
    }
    size_t old_size = (size_t)md->count * sizeof(reel_arrow_kv);
    reel_arrow_kv *items =
        reel_realloc(alloc, md->items, old_size, old_size + sizeof(reel_arrow_kv));
    if (items == NULL) {
        reel_strfree(alloc, key_copy);
        reel_strfree(alloc, value_copy);
        return REEL_OUT_OF_MEMORY;
    }
    items[md->count].key = key_copy;
    items[md->count].value = value_copy;
    md->items = items;
    md->count++;
    return REEL_OK;
}

const char *reel_arrow_metadata_get(const reel_arrow_metadata *md, const char *key)
{
    for (int32_t i = 0; i < md->count; i++) {
        if (strcmp(md->items[i].key, key) == 0)
            return md->items[i].value;
    }
    return NULL;
}

void reel_arrow_metadata_reset(reel_arrow_metadata *md, const reel_allocator *alloc)
{
    for (int32_t i = 0; i < md->count; i++) {
        reel_strfree(alloc, md->items[i].key);
        reel_strfree(alloc, md->items[i].value);
    }
    reel_free(alloc, md->items, (size_t)md->count * sizeof(reel_arrow_kv));
    md->items = NULL;
    md->count = 0;
}

static bool metadata_equal(const reel_arrow_metadata *a, const reel_arrow_metadata *b)
{
    /* Order-insensitive: the same keys with the same values. Keys are unique. */
    if (a->count != b->count)
        return false;
    for (int32_t i = 0; i < a->count; i++) {
        const char *other = reel_arrow_metadata_get(b, a->items[i].key);
        if (other == NULL || strcmp(other, a->items[i].value) != 0)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- fields */

reel_status reel_arrow_field_init(reel_arrow_field *field, const char *name, reel_arrow_type type,
                                  bool nullable, const reel_allocator *alloc)
{
    memset(field, 0, sizeof *field);
    field->alloc = alloc;
    field->type = type;
    field->nullable = nullable;
    if (type == REEL_ARROW_DATE64)
        field->unit = REEL_ARROW_MILLI;
    if (reel__arrow_is_decimal(type))
        field->precision = reel__arrow_decimal_max_precision(type);
    if (type == REEL_ARROW_DICTIONARY)
        field->index_type = REEL_ARROW_INT32;
    if (name != NULL && name[0] != '\0') {
        field->name = reel_strdup(alloc, name);
        if (field->name == NULL)
            return REEL_OUT_OF_MEMORY;
    }
    return REEL_OK;
}

static bool is_union(reel_arrow_type type)
{
    return type == REEL_ARROW_SPARSE_UNION || type == REEL_ARROW_DENSE_UNION;
}

reel_status reel_arrow_field_add_child(reel_arrow_field *parent, const char *name,
                                       reel_arrow_type type, bool nullable,
                                       reel_arrow_field **out_child)
{
    const reel_allocator *alloc = parent->alloc;
    if (parent->type == REEL_ARROW_DICTIONARY)
        return REEL_INVALID_ARGUMENT; /* its values' type is set with set_dictionary */
    int32_t n = parent->n_children;
    if (n >= INT32_MAX / 2 || (is_union(parent->type) && n >= 128))
        return REEL_LIMIT;
    reel_arrow_field child;
    REEL_TRY(reel_arrow_field_init(&child, name, type, nullable, alloc));
    if (is_union(parent->type)) {
        int8_t *codes = reel_realloc(alloc, parent->union_type_codes, (size_t)n, (size_t)n + 1);
        if (codes == NULL) {
            reel_arrow_field_reset(&child);
            return REEL_OUT_OF_MEMORY;
        }
        for (int32_t i = parent->union_type_codes == NULL ? 0 : n; i <= n; i++)
            codes[i] = (int8_t)i;
        parent->union_type_codes = codes;
    }
    size_t old_size = (size_t)n * sizeof(reel_arrow_field);
    reel_arrow_field *children =
        reel_realloc(alloc, parent->children, old_size, old_size + sizeof(reel_arrow_field));
    if (children == NULL) {
        reel_arrow_field_reset(&child);
        return REEL_OUT_OF_MEMORY;
    }
    children[n] = child;
    parent->children = children;
    parent->n_children = n + 1;
    if (out_child != NULL)
        *out_child = &children[n];
    return REEL_OK;
}

static reel_status replace_string(const reel_allocator *alloc, char **slot, const char *value)
{
    char *copy = NULL;
    if (value != NULL) {
        copy = reel_strdup(alloc, value);
        if (copy == NULL)
            return REEL_OUT_OF_MEMORY;
    }
    reel_strfree(alloc, *slot);
    *slot = copy;
    return REEL_OK;
}

reel_status reel_arrow_field_set_name(reel_arrow_field *field, const char *name)
{
    return replace_string(field->alloc, &field->name, name != NULL && name[0] ? name : NULL);
}

reel_status reel_arrow_field_set_timezone(reel_arrow_field *field, const char *timezone)
{
    return replace_string(field->alloc, &field->timezone, timezone);
}

reel_status reel_arrow_field_set_dictionary(reel_arrow_field *field, reel_arrow_type index_type,
                                            reel_arrow_type value_type,
                                            reel_arrow_field **out_value)
{
    const reel_allocator *alloc = field->alloc;
    if (!reel__arrow_is_integer(index_type) || (unsigned)value_type >= REEL_ARROW_TYPE_COUNT)
        return REEL_INVALID_ARGUMENT;
    reel_arrow_field *value = reel_alloc(alloc, sizeof *value);
    if (value == NULL)
        return REEL_OUT_OF_MEMORY;
    reel_arrow_field_init(value, NULL, value_type, true, alloc); /* no name: cannot fail */
    /* Keep what describes the column, drop what described the old type. */
    reel_arrow_field column = {.name = field->name,
                               .nullable = field->nullable,
                               .metadata = field->metadata,
                               .alloc = alloc};
    field->name = NULL;
    field->metadata = (reel_arrow_metadata){0};
    reel_arrow_field_reset(field);
    *field = column;
    field->type = REEL_ARROW_DICTIONARY;
    field->index_type = index_type;
    field->dictionary = value;
    if (out_value != NULL)
        *out_value = value;
    return REEL_OK;
}

void reel_arrow_field_reset(reel_arrow_field *field)
{
    if (field == NULL)
        return;
    const reel_allocator *alloc = field->alloc;
    for (int32_t i = 0; i < field->n_children && field->children != NULL; i++)
        reel_arrow_field_reset(&field->children[i]);
    if (field->dictionary != NULL) {
        reel_arrow_field_reset(field->dictionary);
        reel_free(alloc, field->dictionary, sizeof *field->dictionary);
    }
    reel_free(alloc, field->children, (size_t)field->n_children * sizeof(reel_arrow_field));
    reel_free(alloc, field->union_type_codes, (size_t)field->n_children);
    reel_strfree(alloc, field->name);
    reel_strfree(alloc, field->timezone);
    reel_arrow_metadata_reset(&field->metadata, alloc);
    memset(field, 0, sizeof *field);
}

static reel_status copy_into(reel_arrow_field *dst, const reel_arrow_field *src,
                             const reel_allocator *alloc, int depth)
{
    /* dst is zeroed with its allocator set, so a failure part-way can be reset. */
    if (depth > REEL__ARROW_MAX_DEPTH)
        return REEL_LIMIT;
    dst->type = src->type;
    dst->nullable = src->nullable;
    dst->fixed_size = src->fixed_size;
    dst->unit = src->unit;
    dst->precision = src->precision;
    dst->scale = src->scale;
    dst->keys_sorted = src->keys_sorted;
    dst->index_type = src->index_type;
    dst->dictionary_ordered = src->dictionary_ordered;
    if (src->dictionary != NULL) {
        dst->dictionary = reel_alloc_zeroed(alloc, sizeof *dst->dictionary);
        if (dst->dictionary == NULL)
            return REEL_OUT_OF_MEMORY;
        dst->dictionary->alloc = alloc;
        REEL_TRY(copy_into(dst->dictionary, src->dictionary, alloc, depth + 1));
    }
    if (src->name != NULL && (dst->name = reel_strdup(alloc, src->name)) == NULL)
        return REEL_OUT_OF_MEMORY;
    if (src->timezone != NULL && (dst->timezone = reel_strdup(alloc, src->timezone)) == NULL)
        return REEL_OUT_OF_MEMORY;
    for (int32_t i = 0; i < src->metadata.count; i++)
        REEL_TRY(reel_arrow_metadata_set(&dst->metadata, alloc, src->metadata.items[i].key,
                                         src->metadata.items[i].value));
    if (src->n_children <= 0)
        return REEL_OK;
    size_t n = (size_t)src->n_children;
    if (src->union_type_codes != NULL) {
        if ((dst->union_type_codes = reel_alloc(alloc, n)) == NULL)
            return REEL_OUT_OF_MEMORY;
        memcpy(dst->union_type_codes, src->union_type_codes, n);
    }
    dst->children = reel_alloc_zeroed(alloc, n * sizeof(reel_arrow_field));
    if (dst->children == NULL) {
        /* Codes are freed with n_children as their size, so keep the pair consistent. */
        reel_free(alloc, dst->union_type_codes, n);
        dst->union_type_codes = NULL;
        return REEL_OUT_OF_MEMORY;
    }
    dst->n_children = src->n_children;
    for (size_t i = 0; i < n; i++) {
        dst->children[i].alloc = alloc;
        REEL_TRY(copy_into(&dst->children[i], &src->children[i], alloc, depth + 1));
    }
    return REEL_OK;
}

reel_status reel_arrow_field_copy(reel_arrow_field *dst, const reel_arrow_field *src,
                                  const reel_allocator *alloc)
{
    memset(dst, 0, sizeof *dst);
    dst->alloc = alloc;
    reel_status status = copy_into(dst, src, alloc, 0);
    if (status != REEL_OK)
        reel_arrow_field_reset(dst);
    return status;
}

static bool has_unit(reel_arrow_type type)
{
    return type == REEL_ARROW_TIME32 || type == REEL_ARROW_TIME64 || type == REEL_ARROW_TIMESTAMP ||
           type == REEL_ARROW_DURATION;
}

static bool has_fixed_size(reel_arrow_type type)
{
    return type == REEL_ARROW_FIXED_SIZE_BINARY || type == REEL_ARROW_FIXED_SIZE_LIST;
}

static bool str_equal(const char *a, const char *b)
{
    /* NULL and "" are the same (no name, no timezone). */
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static bool type_equal(const reel_arrow_field *a, const reel_arrow_field *b, bool compare_metadata,
                       int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH)
        return false;
    if (a->type != b->type || a->n_children != b->n_children)
        return false;
    if (has_fixed_size(a->type) && a->fixed_size != b->fixed_size)
        return false;
    if (has_unit(a->type) && a->unit != b->unit)
        return false;
    if (a->type == REEL_ARROW_TIMESTAMP && !str_equal(a->timezone, b->timezone))
        return false;
    if (reel__arrow_is_decimal(a->type) && (a->precision != b->precision || a->scale != b->scale))
        return false;
    if (a->type == REEL_ARROW_MAP && a->keys_sorted != b->keys_sorted)
        return false;
    if (a->type == REEL_ARROW_DICTIONARY) {
        if (a->index_type != b->index_type || a->dictionary_ordered != b->dictionary_ordered ||
            (a->dictionary == NULL) != (b->dictionary == NULL))
            return false;
        if (a->dictionary != NULL &&
            !type_equal(a->dictionary, b->dictionary, compare_metadata, depth + 1))
            return false;
    }
    if (compare_metadata && !metadata_equal(&a->metadata, &b->metadata))
        return false;
    for (int32_t i = 0; i < a->n_children; i++) {
        const reel_arrow_field *ca = &a->children[i], *cb = &b->children[i];
        if (!str_equal(ca->name, cb->name) || ca->nullable != cb->nullable)
            return false;
        if (is_union(a->type)) {
            int8_t code_a = a->union_type_codes ? a->union_type_codes[i] : (int8_t)i;
            int8_t code_b = b->union_type_codes ? b->union_type_codes[i] : (int8_t)i;
            if (code_a != code_b)
                return false;
        }
        if (!type_equal(ca, cb, compare_metadata, depth + 1))
            return false;
    }
    return true;
}

bool reel_arrow_field_type_equal(const reel_arrow_field *a, const reel_arrow_field *b,
                                 bool compare_metadata)
{
    return type_equal(a, b, compare_metadata, 0);
}

/* ---------------------------------------------------------------- layout facts */

int32_t reel_arrow_type_buffer_count(reel_arrow_type type)
{
    switch (type) {
    case REEL_ARROW_NULL_TYPE:
        return 0;
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
        return 3;
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_MAP:
    case REEL_ARROW_DENSE_UNION:
    case REEL_ARROW_DICTIONARY:
        return 2;
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_STRUCT:
    case REEL_ARROW_SPARSE_UNION:
        return 1;
    case REEL_ARROW_TYPE_COUNT:
        return -1;
    default:
        return (unsigned)type < REEL_ARROW_TYPE_COUNT ? 2 : -1;
    }
}

int32_t reel_arrow_fixed_width(const reel_arrow_field *field)
{
    switch (field->type) {
    case REEL_ARROW_BOOL:
        return 0;
    case REEL_ARROW_INT8:
    case REEL_ARROW_UINT8:
        return 1;
    case REEL_ARROW_INT16:
    case REEL_ARROW_UINT16:
    case REEL_ARROW_FLOAT16:
        return 2;
    case REEL_ARROW_INT32:
    case REEL_ARROW_UINT32:
    case REEL_ARROW_FLOAT32:
    case REEL_ARROW_DATE32:
    case REEL_ARROW_TIME32:
        return 4;
    case REEL_ARROW_INT64:
    case REEL_ARROW_UINT64:
    case REEL_ARROW_FLOAT64:
    case REEL_ARROW_DATE64:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_TIMESTAMP:
    case REEL_ARROW_DURATION:
        return 8;
    case REEL_ARROW_FIXED_SIZE_BINARY:
        return field->fixed_size;
    case REEL_ARROW_DECIMAL32:
        return 4;
    case REEL_ARROW_DECIMAL64:
        return 8;
    case REEL_ARROW_DECIMAL128:
        return 16;
    case REEL_ARROW_DECIMAL256:
        return 32;
    default:
        return -1;
    }
}

/* ---------------------------------------------------------------- column paths */

static void path_append(reel__arrow_path *path, const char *fmt, const char *name, int32_t index)
{
    size_t room = sizeof path->text - path->len;
    if (room <= 4)
        return; /* already cut */
    int written = name != NULL ? snprintf(path->text + path->len, room, fmt, name)
                               : snprintf(path->text + path->len, room, fmt, (int)index);
    if (written < 0) {
        path->text[path->len] = '\0';
        return;
    }
    if ((size_t)written >= room) {
        memcpy(path->text + sizeof path->text - 4, "...", 4);
        path->len = sizeof path->text - 1;
        return;
    }
    path->len += (size_t)written;
}

/* Names go into messages only when they are valid UTF-8 (else the index stands in). */
static bool printable_name(const char *name)
{
    return name != NULL && name[0] != '\0' &&
           reel__arrow_utf8_invalid_at((const uint8_t *)name, strlen(name)) == strlen(name);
}

void reel__arrow_path_root(reel__arrow_path *path, const reel_arrow_field *root)
{
    path->len = 0;
    path->text[0] = '\0';
    if (printable_name(root->name))
        path_append(path, "column '%s'", root->name, 0);
}

size_t reel__arrow_path_push_dictionary(reel__arrow_path *path)
{
    size_t old_len = path->len;
    path_append(path, "%s", path->len == 0 ? "dictionary" : " dictionary", 0);
    return old_len;
}

size_t reel__arrow_path_push(reel__arrow_path *path, const reel_arrow_field *child, int32_t index)
{
    size_t old_len = path->len;
    bool named = printable_name(child->name);
    if (path->len == 0)
        path_append(path, named ? "column '%s'" : "column [%d]", named ? child->name : NULL, index);
    else
        path_append(path, named ? ".%s" : "[%d]", named ? child->name : NULL, index);
    return old_len;
}

/* ---------------------------------------------------------------- validation */

static reel_status field_error(reel_error *err, const reel__arrow_path *path, const char *what)
{
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: %s", reel__arrow_path_str(path), what);
}

/* Names, timezones and metadata are UTF-8 text (flatbuffer strings, JSON, Python). */
static reel_status check_utf8(const char *text, const char *what, const reel__arrow_path *path,
                              reel_error *err)
{
    if (text == NULL)
        return REEL_OK;
    size_t len = strlen(text);
    size_t bad_at = reel__arrow_utf8_invalid_at((const uint8_t *)text, len);
    if (bad_at == len)
        return REEL_OK;
    char what_text[120];
    snprintf(what_text, sizeof what_text, "%s is not valid UTF-8 (byte 0x%02x at position %zu)",
             what, (unsigned)(uint8_t)text[bad_at], bad_at);
    return field_error(err, path, what_text);
}

static reel_status validate_field(const reel_arrow_field *field, reel__arrow_path *path, int depth,
                                  reel_error *err)
{
    char what[160];
    if (depth > REEL__ARROW_MAX_DEPTH) {
        return reel_error_set(err, REEL_LIMIT, "%s: fields nested deeper than %d",
                              reel__arrow_path_str(path), REEL__ARROW_MAX_DEPTH);
    }
    reel_arrow_type type = field->type;
    if ((unsigned)type >= REEL_ARROW_TYPE_COUNT) {
        snprintf(what, sizeof what, "invalid type number %d", (int)type);
        return field_error(err, path, what);
    }
    int32_t want_children = -1; /* -1: any number */
    switch (type) {
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_MAP:
        want_children = 1;
        break;
    case REEL_ARROW_STRUCT:
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        break;
    default:
        want_children = 0;
    }
    if (field->n_children < 0 || (want_children >= 0 && field->n_children != want_children)) {
        snprintf(what, sizeof what, "%s must have %d child field(s), has %d",
                 reel_arrow_type_name(type), want_children, (int)field->n_children);
        return field_error(err, path, what);
    }
    if (field->n_children > 0 && field->children == NULL)
        return field_error(err, path, "children missing");
    if (has_fixed_size(type) && field->fixed_size <= 0) {
        snprintf(what, sizeof what, "%s size must be > 0, is %d", reel_arrow_type_name(type),
                 (int)field->fixed_size);
        return field_error(err, path, what);
    }
    if (has_unit(type)) {
        unsigned unit = (unsigned)field->unit;
        bool ok = unit <= REEL_ARROW_NANO;
        if (type == REEL_ARROW_TIME32)
            ok = unit == REEL_ARROW_SECOND || unit == REEL_ARROW_MILLI;
        if (type == REEL_ARROW_TIME64)
            ok = unit == REEL_ARROW_MICRO || unit == REEL_ARROW_NANO;
        if (!ok) {
            snprintf(what, sizeof what, "time unit %d is not valid for %s", (int)unit,
                     reel_arrow_type_name(type));
            return field_error(err, path, what);
        }
    }
    if (field->timezone != NULL && type != REEL_ARROW_TIMESTAMP)
        return field_error(err, path, "only timestamps have a timezone");
    if (reel__arrow_is_decimal(type)) {
        int32_t max = reel__arrow_decimal_max_precision(type);
        if (field->precision < 1 || field->precision > max) {
            snprintf(what, sizeof what, "%s precision must be 1..%d, is %d",
                     reel_arrow_type_name(type), (int)max, (int)field->precision);
            return field_error(err, path, what);
        }
        if (field->scale < REEL__ARROW_DECIMAL_MIN_SCALE ||
            field->scale > REEL__ARROW_DECIMAL_MAX_SCALE) {
            snprintf(what, sizeof what, "decimal scale must be %d..%d, is %d",
                     REEL__ARROW_DECIMAL_MIN_SCALE, REEL__ARROW_DECIMAL_MAX_SCALE,
                     (int)field->scale);
            return field_error(err, path, what);
        }
    }
    if (type == REEL_ARROW_MAP) {
        const reel_arrow_field *entries = &field->children[0];
        if (entries->type != REEL_ARROW_STRUCT || entries->n_children != 2) {
            snprintf(what, sizeof what,
                     "a map's child must be a struct of key and value, not a %s with %d "
                     "children",
                     reel_arrow_type_name(entries->type), (int)entries->n_children);
            return field_error(err, path, what);
        }
    }
    if ((type == REEL_ARROW_DICTIONARY) != (field->dictionary != NULL))
        return field_error(err, path,
                           type == REEL_ARROW_DICTIONARY ? "a dictionary without a value type"
                                                         : "only dictionaries have a value type");
    if (type == REEL_ARROW_DICTIONARY && !reel__arrow_is_integer(field->index_type)) {
        snprintf(what, sizeof what, "dictionary indices must be an integer type, not %s",
                 reel_arrow_type_name(field->index_type));
        return field_error(err, path, what);
    }
    REEL_TRY(check_utf8(field->name, "field name", path, err));
    REEL_TRY(check_utf8(field->timezone, "timezone", path, err));
    for (int32_t i = 0; i < field->metadata.count; i++) {
        if (field->metadata.items == NULL || field->metadata.items[i].key == NULL ||
            field->metadata.items[i].value == NULL)
            return field_error(err, path, "metadata entry without key or value");
        REEL_TRY(check_utf8(field->metadata.items[i].key, "metadata key", path, err));
        REEL_TRY(check_utf8(field->metadata.items[i].value, "metadata value", path, err));
    }
    if (is_union(type)) {
        if (field->n_children > 128)
            return field_error(err, path, "a union has at most 128 children");
        if (field->n_children > 0 && field->union_type_codes == NULL)
            return field_error(err, path, "union type codes missing");
        bool seen[128] = {false};
        for (int32_t i = 0; i < field->n_children; i++) {
            int code = field->union_type_codes[i];
            if (code < 0 || seen[code]) {
                snprintf(what, sizeof what, "union type code %d of child %d is %s", code, (int)i,
                         code < 0 ? "negative" : "a duplicate");
                return field_error(err, path, what);
            }
            seen[code] = true;
        }
    }
    for (int32_t i = 0; i < field->n_children; i++) {
        size_t old_len = reel__arrow_path_push(path, &field->children[i], i);
        reel_status status = validate_field(&field->children[i], path, depth + 1, err);
        reel__arrow_path_pop(path, old_len);
        REEL_TRY(status);
    }
    if (field->dictionary != NULL) {
        size_t old_len = reel__arrow_path_push_dictionary(path);
        reel_status status = validate_field(field->dictionary, path, depth + 1, err);
        reel__arrow_path_pop(path, old_len);
        REEL_TRY(status);
    }
    return REEL_OK;
}

reel_status reel_arrow_field_validate(const reel_arrow_field *field, reel_error *err)
{
    reel__arrow_path path;
    reel__arrow_path_root(&path, field);
    return validate_field(field, &path, 0, err);
}
