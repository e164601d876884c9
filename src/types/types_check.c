/* Checks a column against the registry the way Rerun's `rerun rrd verify` does: its
 * generated deserializers downcast arrays by physical type and look struct children up by
 * name, so nullability flags and list item names never matter, extra struct children are
 * ignored, and everything physical (widths, sizes, offsets width, union layout) does. */
#include <stdio.h>
#include <string.h>

#include "types/types.h"

/* Where in the type tree a mismatch was found: ".first", ".item.U8". */
typedef struct type_path {
    char text[160];
    size_t len;
} type_path;

static size_t path_push(type_path *path, const char *name)
{
    size_t saved = path->len;
    int written = snprintf(path->text + path->len, sizeof(path->text) - path->len, ".%s",
                           name != NULL && name[0] != '\0' ? name : "item");
    if (written > 0)
        path->len += (size_t)written < sizeof(path->text) - path->len
                         ? (size_t)written
                         : sizeof(path->text) - path->len - 1;
    return saved;
}

static void path_pop(type_path *path, size_t saved)
{
    path->len = saved;
    path->text[saved] = '\0';
}

/* Formats a type for a message; "?" when even that fails (out of memory). */
static const char *type_text(const reel_arrow_field *field, reel_buf *buf)
{
    reel_buf_clear(buf);
    if (reel_arrow_type_format(field, buf) != REEL_OK || reel_buf_append_u8(buf, 0) != REEL_OK)
        return "?";
    return (const char *)buf->data;
}

typedef struct check_state {
    const char *component_type;
    type_path path;
    reel_error *err;
} check_state;

static reel_status mismatch(check_state *state, const reel_arrow_field *expected,
                            const reel_arrow_field *actual, const char *what)
{
    reel_buf expected_text = {0}, actual_text = {0};
    reel_status status =
        reel_error_set(state->err, REEL_CORRUPT, "component %s: at %s: %s: expected %s, got %s",
                       state->component_type, state->path.len > 0 ? state->path.text : "the top",
                       what, type_text(expected, &expected_text), type_text(actual, &actual_text));
    reel_buf_free(&expected_text);
    reel_buf_free(&actual_text);
    return status;
}

static reel_status check_type(check_state *state, const reel_arrow_field *expected,
                              const reel_arrow_field *actual);

static reel_status check_child(check_state *state, const reel_arrow_field *expected,
                               const reel_arrow_field *actual)
{
    size_t saved = path_push(&state->path, expected->name);
    reel_status status = check_type(state, expected, actual);
    path_pop(&state->path, saved);
    return status;
}

static reel_status check_struct(check_state *state, const reel_arrow_field *expected,
                                const reel_arrow_field *actual)
{
    for (int32_t i = 0; i < expected->n_children; i++) {
        const reel_arrow_field *want = &expected->children[i];
        const char *want_name = want->name != NULL ? want->name : "";
        const reel_arrow_field *found = NULL;
        for (int32_t j = 0; j < actual->n_children && found == NULL; j++) {
            const char *have_name =
                actual->children[j].name != NULL ? actual->children[j].name : "";
            if (strcmp(want_name, have_name) == 0)
                found = &actual->children[j];
        }
        if (found == NULL) {
            char what[128];
            snprintf(what, sizeof(what), "struct field '%s' is missing", want_name);
            return mismatch(state, expected, actual, what);
        }
        REEL_TRY(check_child(state, want, found));
    }
    return REEL_OK;
}

static reel_status check_union(check_state *state, const reel_arrow_field *expected,
                               const reel_arrow_field *actual)
{
    for (int32_t i = 0; i < expected->n_children; i++) {
        int8_t code = expected->union_type_codes[i];
        const reel_arrow_field *found = NULL;
        for (int32_t j = 0; j < actual->n_children && found == NULL; j++) {
            if (actual->union_type_codes[j] == code)
                found = &actual->children[j];
        }
        if (found == NULL) {
            char what[64];
            snprintf(what, sizeof(what), "union type code %d is missing", code);
            return mismatch(state, expected, actual, what);
        }
        REEL_TRY(check_child(state, &expected->children[i], found));
    }
    return REEL_OK;
}

static reel_status check_type(check_state *state, const reel_arrow_field *expected,
                              const reel_arrow_field *actual)
{
    if (expected->type != actual->type)
        return mismatch(state, expected, actual, "different type");
    switch (expected->type) {
    case REEL_ARROW_FIXED_SIZE_LIST:
        if (expected->fixed_size != actual->fixed_size)
            return mismatch(state, expected, actual, "different list size");
        /* fall through */
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
        if (actual->n_children != 1)
            return mismatch(state, expected, actual, "list without an item field");
        return check_child(state, &expected->children[0], &actual->children[0]);
    case REEL_ARROW_FIXED_SIZE_BINARY:
        if (expected->fixed_size != actual->fixed_size)
            return mismatch(state, expected, actual, "different byte width");
        return REEL_OK;
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_DURATION:
    case REEL_ARROW_TIMESTAMP: /* arrow-rs downcasts by unit; the timezone does not matter */
        if (expected->unit != actual->unit)
            return mismatch(state, expected, actual, "different time unit");
        return REEL_OK;
    case REEL_ARROW_STRUCT:
        return check_struct(state, expected, actual);
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        return check_union(state, expected, actual);
    default:
        return REEL_OK;
    }
}

reel_status reel_types_check_column(const char *component_type,
                                    const reel_arrow_field *element_field, reel_error *err)
{
    if (component_type == NULL || element_field == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "types: check_column needs a component type and a field");
    const reel_types_component *component = reel_types_component_find(component_type);
    if (component == NULL)
        return reel_error_set(err, REEL_UNSUPPORTED, "unknown component type '%s'", component_type);
    const reel_arrow_field *expected = NULL;
    REEL_TRY(reel_types_component_arrow_field(component, &expected, err));
    check_state state = {.component_type = component->name, .err = err};
    return check_type(&state, expected, element_field);
}

reel_status reel_types_check_descriptor(const char *archetype, const char *component,
                                        const char *component_type, reel_error *err)
{
    static const char rerun_prefix[] = "rerun.";
    if (archetype == NULL || component_type == NULL ||
        strncmp(archetype, rerun_prefix, sizeof(rerun_prefix) - 1) != 0)
        return REEL_OK;
    const reel_types_archetype *entry = reel_types_archetype_find(archetype);
    if (entry == NULL)
        return reel_error_set(err, REEL_UNSUPPORTED, "unknown archetype '%s'", archetype);
    const reel_types_field *field =
        component != NULL ? reel_types_archetype_field(entry, component) : NULL;
    if (field == NULL)
        return reel_error_set(err, REEL_UNSUPPORTED, "archetype %s has no field '%s'", archetype,
                              component != NULL ? component : "(null)");
    if (strcmp(field->type->name, component_type) != 0)
        return reel_error_set(err, REEL_CORRUPT,
                              "component %s of %s has type %s, but the column has type %s",
                              field->component, archetype, field->type->name, component_type);
    return REEL_OK;
}
