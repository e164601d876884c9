/* Type strings exactly as pyarrow's str(type) prints them ("list<item: float not null>",
 * "dense_union<a: null=0, b: int32=1>", "timestamp[ns, tz=UTC]", "decimal128(10, 2)",
 * "map<string, int64>", "dictionary<values=string, indices=int8, ordered=0>"), and their
 * parser. The parser builds the obvious reading (a name ends at the first ": ", a timezone
 * at the first "]", a map's name annotation at the first "')"); only if that fails does it
 * ask type_search.c for another one, since pyarrow prints names raw. Whatever it returns
 * formats back to exactly the input text. */
#include "arrow/type_lex.h"

/* ---------------------------------------------------------------- formatting */

static reel_status format_type(const reel_arrow_field *field, reel_buf *out, int depth);

/* pyarrow's " ('name')" after a map's key, value or entries when the name is not the
 * standard one. */
static reel_status format_map_name(const reel_arrow_field *field, const char *std_name,
                                   reel_buf *out)
{
    const char *name = field->name != NULL ? field->name : "";
    return strcmp(name, std_name) == 0 ? REEL_OK : reel_buf_printf(out, " ('%s')", name);
}

static reel_status format_map(const reel_arrow_field *field, reel_buf *out, int depth)
{
    const reel_arrow_field *entries = &field->children[0];
    if (field->n_children != 1 || entries->type != REEL_ARROW_STRUCT || entries->n_children != 2 ||
        entries->children == NULL)
        return REEL_INVALID_ARGUMENT;
    REEL_TRY(reel_buf_printf(out, "map<"));
    for (int32_t i = 0; i < 2; i++) {
        if (i > 0)
            REEL_TRY(reel_buf_printf(out, ", "));
        REEL_TRY(format_type(&entries->children[i], out, depth + 1));
        REEL_TRY(format_map_name(&entries->children[i], map_std_names[1 + i], out));
    }
    if (field->keys_sorted)
        REEL_TRY(reel_buf_printf(out, ", keys_sorted"));
    REEL_TRY(format_map_name(entries, map_std_names[0], out));
    return reel_buf_printf(out, ">");
}

static reel_status format_child(const reel_arrow_field *child, reel_buf *out, int depth)
{
    REEL_TRY(reel_buf_printf(out, "%s: ", child->name != NULL ? child->name : ""));
    REEL_TRY(format_type(child, out, depth + 1));
    return child->nullable ? REEL_OK : reel_buf_printf(out, " not null");
}

static reel_status format_type(const reel_arrow_field *field, reel_buf *out, int depth)
{
    reel_arrow_type type = field->type;
    if (depth > REEL__ARROW_MAX_DEPTH)
        return REEL_LIMIT;
    if ((unsigned)type >= REEL_ARROW_TYPE_COUNT || field->n_children < 0 ||
        (field->n_children > 0 && field->children == NULL))
        return REEL_INVALID_ARGUMENT;
    bool timed = type == REEL_ARROW_TIME32 || type == REEL_ARROW_TIME64 ||
                 type == REEL_ARROW_TIMESTAMP || type == REEL_ARROW_DURATION;
    if (timed && (unsigned)field->unit > REEL_ARROW_NANO)
        return REEL_INVALID_ARGUMENT;
    const char *name = reel_arrow_type_name(type);
    switch (type) {
    case REEL_ARROW_FIXED_SIZE_BINARY:
        return reel_buf_printf(out, "%s[%d]", name, (int)field->fixed_size);
    case REEL_ARROW_DATE32:
        return reel_buf_printf(out, "date32[day]");
    case REEL_ARROW_DATE64:
        return reel_buf_printf(out, "date64[ms]");
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_DURATION:
        return reel_buf_printf(out, "%s[%s]", name, unit_names[field->unit]);
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256:
        return reel_buf_printf(out, "%s(%d, %d)", name, (int)field->precision, (int)field->scale);
    case REEL_ARROW_MAP:
        return format_map(field, out, depth);
    case REEL_ARROW_DICTIONARY:
        if (field->dictionary == NULL || !reel__arrow_is_integer(field->index_type))
            return REEL_INVALID_ARGUMENT;
        REEL_TRY(reel_buf_printf(out, "dictionary<values="));
        REEL_TRY(format_type(field->dictionary, out, depth + 1));
        return reel_buf_printf(out, ", indices=%s, ordered=%d>",
                               reel_arrow_type_name(field->index_type),
                               field->dictionary_ordered ? 1 : 0);
    case REEL_ARROW_TIMESTAMP:
        /* pyarrow prints an empty timezone like none at all. */
        if (field->timezone != NULL && field->timezone[0] != '\0')
            return reel_buf_printf(out, "timestamp[%s, tz=%s]", unit_names[field->unit],
                                   field->timezone);
        return reel_buf_printf(out, "timestamp[%s]", unit_names[field->unit]);
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
        if (field->n_children != 1)
            return REEL_INVALID_ARGUMENT;
        REEL_TRY(reel_buf_printf(out, "%s<", name));
        REEL_TRY(format_child(&field->children[0], out, depth));
        if (type == REEL_ARROW_FIXED_SIZE_LIST)
            return reel_buf_printf(out, ">[%d]", (int)field->fixed_size);
        return reel_buf_printf(out, ">");
    case REEL_ARROW_STRUCT:
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        REEL_TRY(reel_buf_printf(out, "%s<", name));
        for (int32_t i = 0; i < field->n_children; i++) {
            if (i > 0)
                REEL_TRY(reel_buf_printf(out, ", "));
            REEL_TRY(format_child(&field->children[i], out, depth));
            if (type != REEL_ARROW_STRUCT) {
                int code = field->union_type_codes != NULL ? field->union_type_codes[i] : (int)i;
                REEL_TRY(reel_buf_printf(out, "=%d", code));
            }
        }
        return reel_buf_printf(out, ">");
    default:
        return reel_buf_printf(out, "%s", name);
    }
}

reel_status reel_arrow_type_format(const reel_arrow_field *field, reel_buf *out)
{
    size_t old_len = out->len;
    reel_status status = format_type(field, out, 0);
    if (status != REEL_OK)
        out->len = old_len;
    return status;
}

/* ---------------------------------------------------------------- builder */

/* Parses for real, building the field. Open decisions come from the recorded list when
 * there is one, else from the obvious reading. */
typedef struct builder {
    const char *s;
    size_t len;
    const reel_allocator *alloc;
    const size_t *decisions; /* NULL: obvious reading */
    size_t count, next;
    parse_error e;
} builder;

static bool next_decision(builder *b, size_t pos, size_t *out)
{
    if (b->next >= b->count)
        return fail(&b->e, REEL_INTERNAL, pos, "decision list exhausted");
    *out = b->decisions[b->next++];
    return true;
}

static bool build_type(builder *b, size_t *pos, reel_arrow_field *field, int depth);

/* Names and timezones are UTF-8 (reel_arrow_field_validate insists). */
static bool text_ok(builder *b, size_t start, size_t end, const char *what)
{
    size_t bad_at = reel__arrow_utf8_invalid_at((const uint8_t *)b->s + start, end - start);
    if (bad_at == end - start)
        return true;
    return fail(&b->e, REEL_INVALID_ARGUMENT, start + bad_at, "%s is not valid UTF-8", what);
}

/* Parses "name: type[ not null]" into `child`, an empty field. */
static bool build_field(builder *b, size_t *pos, reel_arrow_field *child, int depth)
{
    size_t start = *pos, name_end = 0;
    if (b->decisions != NULL) {
        if (!next_decision(b, start, &name_end))
            return false;
    } else {
        const char *colon = NULL;
        for (size_t q = start; q + 1 < b->len && colon == NULL; q++) {
            if (b->s[q] == ':' && b->s[q + 1] == ' ')
                colon = b->s + q;
        }
        if (colon == NULL)
            return fail(&b->e, REEL_INVALID_ARGUMENT, start, "expected 'name: type'");
        name_end = (size_t)(colon - b->s);
    }
    if (memchr(b->s + start, '\0', name_end - start) != NULL)
        return fail(&b->e, REEL_INVALID_ARGUMENT, start, "NUL byte in a field name");
    if (!text_ok(b, start, name_end, "field name"))
        return false;
    if (name_end > start) {
        child->name = reel_strndup(b->alloc, b->s + start, name_end - start);
        if (child->name == NULL)
            return fail(&b->e, REEL_OUT_OF_MEMORY, start, "out of memory");
    }
    *pos = name_end + 2;
    if (!build_type(b, pos, child, depth))
        return false;
    if (has(b->s, b->len, *pos, " not null")) {
        child->nullable = false;
        *pos += 9;
    }
    return true;
}

/* After a map's key, value or entries: an optional " ('name')" naming `field`. */
static bool build_map_name(builder *b, size_t *pos, reel_arrow_field *field, const char *std_name)
{
    if (!has(b->s, b->len, *pos, " ('"))
        return true;
    size_t start = *pos + 3, end = 0;
    if (b->decisions != NULL) {
        if (!next_decision(b, start, &end))
            return false;
    } else {
        const char *close = NULL;
        for (size_t q = start; q + 1 < b->len && close == NULL; q++) {
            if (b->s[q] == '\'' && b->s[q + 1] == ')')
                close = b->s + q;
        }
        if (close == NULL)
            return fail(&b->e, REEL_INVALID_ARGUMENT, start, "name without closing \"')\"");
        end = (size_t)(close - b->s);
    }
    if (memchr(b->s + start, '\0', end - start) != NULL)
        return fail(&b->e, REEL_INVALID_ARGUMENT, start, "NUL byte in a field name");
    if (!text_ok(b, start, end, "field name"))
        return false;
    /* pyarrow names only what differs from the standard: anything else would not format
     * back to the same text. */
    if (end - start == strlen(std_name) && memcmp(b->s + start, std_name, end - start) == 0)
        return fail(&b->e, REEL_INVALID_ARGUMENT, start, "'%s' is the default name", std_name);
    char *name = reel_strndup(b->alloc, b->s + start, end - start);
    if (name == NULL)
        return fail(&b->e, REEL_OUT_OF_MEMORY, start, "out of memory");
    reel_strfree(b->alloc, field->name);
    field->name = name;
    *pos = end + 2;
    return true;
}

/* "map<" is read: the key type, the value type, the flag and the names pyarrow prints. */
static bool build_map(builder *b, size_t *pos, reel_arrow_field *field, int depth)
{
    reel_arrow_field *entries;
    if (reel_arrow_field_add_child(field, map_std_names[0], REEL_ARROW_STRUCT, false, &entries) !=
            REEL_OK ||
        reel_arrow_field_add_child(entries, map_std_names[1], REEL_ARROW_NULL_TYPE, false, NULL) !=
            REEL_OK ||
        reel_arrow_field_add_child(entries, map_std_names[2], REEL_ARROW_NULL_TYPE, true, NULL) !=
            REEL_OK)
        return fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
    for (int32_t i = 0; i < 2; i++) {
        if (i > 0 && !expect(b->s, b->len, pos, ", ", &b->e))
            return false;
        if (!build_type(b, pos, &entries->children[i], depth + 1) ||
            !build_map_name(b, pos, &entries->children[i], map_std_names[1 + i]))
            return false;
    }
    if (has(b->s, b->len, *pos, ", keys_sorted")) {
        field->keys_sorted = true;
        *pos += 13;
    }
    return build_map_name(b, pos, entries, map_std_names[0]) &&
           expect(b->s, b->len, pos, ">", &b->e);
}

/* "dictionary<" is read: "values=TYPE, indices=INT, ordered=N>". */
static bool build_dictionary(builder *b, size_t *pos, reel_arrow_field *field, int depth)
{
    reel_arrow_field *value;
    if (reel_arrow_field_set_dictionary(field, REEL_ARROW_INT32, REEL_ARROW_NULL_TYPE, &value) !=
        REEL_OK)
        return fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
    return expect(b->s, b->len, pos, "values=", &b->e) && build_type(b, pos, value, depth + 1) &&
           lex_dictionary_tail(b->s, b->len, pos, &field->index_type, &field->dictionary_ordered,
                               &b->e);
}

static bool build_timezone(builder *b, size_t *pos, reel_arrow_field *field)
{
    size_t start = *pos, end = 0;
    if (b->decisions != NULL) {
        if (!next_decision(b, start, &end))
            return false;
    } else {
        const char *bracket = memchr(b->s + start, ']', b->len - start);
        if (bracket == NULL)
            return fail(&b->e, REEL_INVALID_ARGUMENT, start, "timezone without closing ']'");
        end = (size_t)(bracket - b->s);
    }
    if (end == start)
        return fail(&b->e, REEL_INVALID_ARGUMENT, start, "empty timezone");
    if (memchr(b->s + start, '\0', end - start) != NULL)
        return fail(&b->e, REEL_INVALID_ARGUMENT, start, "NUL byte in a timezone");
    if (!text_ok(b, start, end, "timezone"))
        return false;
    field->timezone = reel_strndup(b->alloc, b->s + start, end - start);
    if (field->timezone == NULL)
        return fail(&b->e, REEL_OUT_OF_MEMORY, start, "out of memory");
    *pos = end + 1;
    return true;
}

/* Children are gathered in vectors and installed at the end: adding them one by one
 * would copy the array once per field. */
static bool build_fields(builder *b, size_t *pos, reel_arrow_field *field, int depth,
                         reel_vec *children, reel_vec *codes)
{
    bool empty;
    if (b->decisions != NULL) {
        size_t d = 0;
        if (!next_decision(b, *pos, &d))
            return false;
        empty = d == DECIDE_EMPTY;
    } else {
        empty = has(b->s, b->len, *pos, ">");
    }
    if (empty)
        return expect(b->s, b->len, pos, ">", &b->e);
    uint64_t seen[2] = {0, 0};
    for (;;) {
        reel_arrow_field *child = reel_vec_push_n(children, 1);
        if (child == NULL || children->len > 0x7fffffff)
            return fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
        reel_arrow_field_init(child, NULL, REEL_ARROW_NULL_TYPE, true, b->alloc);
        if (!build_field(b, pos, child, depth))
            return false;
        if (field->type != REEL_ARROW_STRUCT) {
            int64_t code = 0;
            size_t code_pos = *pos + 1;
            if (!expect(b->s, b->len, pos, "=", &b->e) ||
                !lex_uint(b->s, b->len, pos, 127, &code, &b->e))
                return false;
            if ((seen[code >> 6] >> (code & 63)) & 1)
                return fail(&b->e, REEL_INVALID_ARGUMENT, code_pos, "duplicate union type code %d",
                            (int)code);
            seen[code >> 6] |= (uint64_t)1 << (code & 63);
            int8_t code8 = (int8_t)code;
            if (reel_vec_push(codes, &code8) != REEL_OK)
                return fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
        }
        if (!has(b->s, b->len, *pos, ", "))
            return expect(b->s, b->len, pos, ">", &b->e);
        *pos += 2;
    }
}

static bool build_field_list(builder *b, size_t *pos, reel_arrow_field *field, int depth)
{
    reel_vec children, codes;
    reel_vec_init(&children, sizeof(reel_arrow_field), b->alloc);
    reel_vec_init(&codes, 1, b->alloc);
    bool ok = build_fields(b, pos, field, depth, &children, &codes);
    size_t n = children.len;
    if (ok && n > 0) {
        field->children = reel_alloc(b->alloc, n * sizeof(reel_arrow_field));
        if (field->type != REEL_ARROW_STRUCT)
            field->union_type_codes = reel_alloc(b->alloc, n);
        if (field->children == NULL ||
            (field->type != REEL_ARROW_STRUCT && field->union_type_codes == NULL)) {
            reel_free(b->alloc, field->children, n * sizeof(reel_arrow_field));
            reel_free(b->alloc, field->union_type_codes, n);
            field->children = NULL;
            field->union_type_codes = NULL;
            ok = fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
        }
    }
    if (ok && n > 0) {
        memcpy(field->children, children.data, n * sizeof(reel_arrow_field));
        if (field->union_type_codes != NULL)
            memcpy(field->union_type_codes, codes.data, n);
        field->n_children = (int32_t)n;
    } else {
        for (size_t i = 0; i < n; i++)
            reel_arrow_field_reset(&REEL_VEC_AT(&children, reel_arrow_field, i));
    }
    reel_vec_free(&children);
    reel_vec_free(&codes);
    return ok;
}

static bool build_type(builder *b, size_t *pos, reel_arrow_field *field, int depth)
{
    if (depth > REEL__ARROW_MAX_DEPTH)
        return fail(&b->e, REEL_LIMIT, *pos, "types nested deeper than %d", REEL__ARROW_MAX_DEPTH);
    leaf_params lp = {.unit = REEL_ARROW_SECOND};
    if (!lex_type_word(b->s, b->len, pos, &field->type, &b->e))
        return false;
    if (!is_nested(field->type)) {
        if (!lex_leaf_params(b->s, b->len, pos, field->type, &lp, &b->e))
            return false;
        field->fixed_size = lp.fixed_size;
        field->unit = lp.unit;
        field->precision = lp.precision;
        field->scale = lp.scale;
        return !lp.has_tz || build_timezone(b, pos, field);
    }
    if (!expect(b->s, b->len, pos, "<", &b->e))
        return false;
    if (field->type == REEL_ARROW_MAP)
        return build_map(b, pos, field, depth);
    if (field->type == REEL_ARROW_DICTIONARY)
        return build_dictionary(b, pos, field, depth);
    if (!is_list(field->type))
        return build_field_list(b, pos, field, depth + 1);
    reel_arrow_field *child;
    if (reel_arrow_field_add_child(field, NULL, REEL_ARROW_NULL_TYPE, true, &child) != REEL_OK)
        return fail(&b->e, REEL_OUT_OF_MEMORY, *pos, "out of memory");
    if (!build_field(b, pos, child, depth + 1) || !expect(b->s, b->len, pos, ">", &b->e))
        return false;
    if (field->type == REEL_ARROW_FIXED_SIZE_LIST) {
        int64_t size = 0;
        if (!expect(b->s, b->len, pos, "[", &b->e))
            return false;
        if (*pos < b->len && b->s[*pos] == '0')
            return fail(&b->e, REEL_INVALID_ARGUMENT, *pos, "fixed size must be > 0");
        if (!lex_uint(b->s, b->len, pos, INT32_MAX, &size, &b->e) ||
            !expect(b->s, b->len, pos, "]", &b->e))
            return false;
        field->fixed_size = (int32_t)size;
    }
    return true;
}

static bool build(builder *b, reel_arrow_field *out)
{
    size_t pos = 0;
    if (!build_type(b, &pos, out, 0))
        return false;
    if (pos != b->len)
        return fail(&b->e, REEL_INVALID_ARGUMENT, pos, "unexpected text after the type");
    return true;
}

reel_status reel_arrow_type_parse(const char *text, size_t len, reel_arrow_field *out,
                                  const reel_allocator *alloc, reel_error *err)
{
    reel_arrow_field_init(out, NULL, REEL_ARROW_NULL_TYPE, true, alloc);
    if (text == NULL && len != 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "type string: NULL text");
    builder b = {.s = text != NULL ? text : "", .len = len, .alloc = alloc};
    if (build(&b, out))
        return REEL_OK;
    reel_arrow_field_reset(out);
    reel_arrow_field_init(out, NULL, REEL_ARROW_NULL_TYPE, true, alloc);

    /* The obvious reading failed; unless for a reason no other reading can fix, look for
     * one in which names or timezones contain the separators. */
    parse_error first = b.e;
    if (first.status != REEL_OUT_OF_MEMORY && first.status != REEL_INTERNAL) {
        size_t *decisions, count, cap;
        bool found = reel__type_search(b.s, len, alloc, &decisions, &count, &cap);
        if (found) {
            builder replay = {
                .s = b.s, .len = len, .alloc = alloc, .decisions = decisions, .count = count};
            found = build(&replay, out);
            if (!found) {
                reel_arrow_field_reset(out);
                reel_arrow_field_init(out, NULL, REEL_ARROW_NULL_TYPE, true, alloc);
            }
        }
        reel_free(alloc, decisions, cap * sizeof(size_t));
        if (found)
            return REEL_OK;
    }
    return reel_error_set(err, first.status, "type string: %s at offset %zu", first.message,
                          first.offset);
}
