/* The registry tables, built at compile time from types/rerun_types.def, and their lookups:
 * by index, by full name (binary search: the generator sorts every section by full name),
 * archetypes also by short name. Arrow types are parsed from their pyarrow strings on first
 * use and cached for the process's life (one atomic slot per type). */
#include <stdatomic.h>
#include <string.h>

#include "types/types.h"

/* ---------------------------------------------------------------- tables */

static const char rerun_sdk_version[] =
#define REEL_RERUN_SDK_VERSION(version) version
#include "types/rerun_types.def"
    ;

static const reel_types_encoding encodings[] = {
#define REEL_ENCODING(id, name, arrow_type) {name, #id, arrow_type, REEL_TYPES_ENCODING_##id},
#include "types/rerun_types.def"
};

/* sizeof("") == 1: an empty encoding string in the table means "none". */
#define ENCODING_OR_NULL(encoding) (sizeof(encoding) > 1 ? (encoding) : NULL)

static const reel_types_component components[] = {
#define REEL_COMPONENT(id, name, encoding, arrow_type)                                             \
    {name, #id, ENCODING_OR_NULL(encoding), arrow_type, REEL_TYPES_COMPONENT_##id},
#include "types/rerun_types.def"
};

/* One value array per enum, then the enum table pointing at them. */
/* clang-format off */
#define REEL_ENUM_BEGIN(id, name) static const reel_types_enum_value enum_values_##id[] = {
#define REEL_ENUM_VALUE(id, value_name, value) {#value_name, value},
#define REEL_ENUM_END(id) };
#include "types/rerun_types.def"
/* clang-format on */

#define ARRAY_LEN(array) (sizeof(array) / sizeof((array)[0]))

static const reel_types_enum enums[] = {
#define REEL_ENUM_BEGIN(id, name)                                                                  \
    {name, #id, (int32_t)ARRAY_LEN(enum_values_##id), enum_values_##id},
#include "types/rerun_types.def"
};

/* One field array per archetype, then the archetype table pointing at them. */
#define FLAG_REQUIRED true
#define FLAG_OPTIONAL false
#define FLAG_BATCH true
#define FLAG_MONO false
#define STRUCT_NAME_CORE(snake_name) "reel_" #snake_name
#define STRUCT_NAME_EXTENDED(snake_name) "reel_" #snake_name
#define STRUCT_NAME_BLUEPRINT(snake_name) "reel_blueprint_" #snake_name

/* clang-format off */
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier) static const reel_types_field fields_##id[] = {
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch)                             \
    {#field, #id ":" #field, &components[REEL_TYPES_COMPONENT_##component_id], FLAG_##required,    \
     FLAG_##batch, offsetof(reel__archetype_##id, field)},
#define REEL_ARCHETYPE_END(id) };
#include "types/rerun_types.def"
/* clang-format on */

static const reel_types_archetype archetypes[] = {
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    {name,                                                                                         \
     #id,                                                                                          \
     #snake_name,                                                                                  \
     STRUCT_NAME_##tier(snake_name),                                                               \
     REEL_TYPES_##tier,                                                                            \
     (int32_t)ARRAY_LEN(fields_##id),                                                              \
     fields_##id,                                                                                  \
     sizeof(reel__archetype_##id)},
#include "types/rerun_types.def"
};

_Static_assert(ARRAY_LEN(encodings) == REEL_TYPES_ENCODING_COUNT, "encoding table");
_Static_assert(ARRAY_LEN(components) == REEL_TYPES_COMPONENT_COUNT, "component table");
_Static_assert(ARRAY_LEN(enums) == REEL_TYPES_ENUM_COUNT, "enum table");
_Static_assert(ARRAY_LEN(archetypes) == REEL_TYPES_ARCHETYPE_COUNT, "archetype table");

/* Parsed Arrow types, filled on first use. */
static _Atomic(reel_arrow_field *) encoding_fields[REEL_TYPES_ENCODING_COUNT];
static _Atomic(reel_arrow_field *) component_fields[REEL_TYPES_COMPONENT_COUNT];

/* ---------------------------------------------------------------- helpers */

const char *reel_types_rerun_sdk_version(void)
{
    return rerun_sdk_version;
}

bool reel_types_is_blueprint_name(const char *full_name)
{
    static const char prefix[] = "rerun.blueprint.";
    return full_name != NULL && strncmp(full_name, prefix, sizeof(prefix) - 1) == 0;
}

/* Binary search over a table sorted by its `name` member (first member of every entry). */
static const void *find_by_name(const void *table, size_t count, size_t stride, const char *name)
{
    if (name == NULL)
        return NULL;
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const void *entry = (const char *)table + mid * stride;
        int cmp = strcmp(*(const char *const *)entry, name);
        if (cmp == 0)
            return entry;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Returns the cached parse of `type_string`, parsing it (and publishing it with a CAS; a
 * racing loser frees its copy) when the slot is still empty. */
static reel_status cached_arrow_field(_Atomic(reel_arrow_field *) *slot, const char *type_name,
                                      const char *type_string, const reel_arrow_field **out,
                                      reel_error *err)
{
    reel_arrow_field *field = atomic_load_explicit(slot, memory_order_acquire);
    if (field != NULL) {
        *out = field;
        return REEL_OK;
    }
    reel_arrow_field *fresh = reel_alloc_zeroed(NULL, sizeof(*fresh));
    if (fresh == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "types: %s: out of memory", type_name);
    reel_status status = reel_arrow_type_parse(type_string, strlen(type_string), fresh, NULL, err);
    if (status != REEL_OK) {
        reel_free(NULL, fresh, sizeof(*fresh));
        return reel_error_prefix(err, "types: %s: ", type_name);
    }
    reel_arrow_field *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(slot, &expected, fresh, memory_order_acq_rel,
                                                memory_order_acquire)) {
        *out = fresh;
    } else {
        reel_arrow_field_reset(fresh);
        reel_free(NULL, fresh, sizeof(*fresh));
        *out = expected;
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- encodings */

size_t reel_types_encoding_count(void)
{
    return ARRAY_LEN(encodings);
}

const reel_types_encoding *reel_types_encoding_at(size_t index)
{
    return index < ARRAY_LEN(encodings) ? &encodings[index] : NULL;
}

const reel_types_encoding *reel_types_encoding_find(const char *name)
{
    return find_by_name(encodings, ARRAY_LEN(encodings), sizeof(encodings[0]), name);
}

reel_status reel_types_encoding_arrow_field(const reel_types_encoding *encoding,
                                            const reel_arrow_field **out, reel_error *err)
{
    if (encoding == NULL || out == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "types: NULL encoding or out");
    return cached_arrow_field(&encoding_fields[encoding->index], encoding->name,
                              encoding->arrow_type, out, err);
}

/* ---------------------------------------------------------------- components */

size_t reel_types_component_count(void)
{
    return ARRAY_LEN(components);
}

const reel_types_component *reel_types_component_at(size_t index)
{
    return index < ARRAY_LEN(components) ? &components[index] : NULL;
}

const reel_types_component *reel_types_component_find(const char *name)
{
    return find_by_name(components, ARRAY_LEN(components), sizeof(components[0]), name);
}

reel_status reel_types_component_arrow_field(const reel_types_component *component,
                                             const reel_arrow_field **out, reel_error *err)
{
    if (component == NULL || out == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "types: NULL component or out");
    return cached_arrow_field(&component_fields[component->index], component->name,
                              component->arrow_type, out, err);
}

/* Bytes of one value of a fixed-width type, through nested fixed-size lists; 0 otherwise. */
static size_t fixed_value_size(const reel_arrow_field *field)
{
    if (field->type == REEL_ARROW_FIXED_SIZE_LIST && field->n_children == 1 &&
        field->fixed_size > 0)
        return (size_t)field->fixed_size * fixed_value_size(&field->children[0]);
    int32_t width = reel_arrow_fixed_width(field);
    return width > 0 ? (size_t)width : 0;
}

size_t reel_types_component_value_size(const reel_types_component *component)
{
    const reel_arrow_field *field = NULL;
    if (reel_types_component_arrow_field(component, &field, NULL) != REEL_OK)
        return 0;
    return fixed_value_size(field);
}

/* ---------------------------------------------------------------- enums */

size_t reel_types_enum_count(void)
{
    return ARRAY_LEN(enums);
}

const reel_types_enum *reel_types_enum_at(size_t index)
{
    return index < ARRAY_LEN(enums) ? &enums[index] : NULL;
}

const reel_types_enum *reel_types_enum_find(const char *name)
{
    return find_by_name(enums, ARRAY_LEN(enums), sizeof(enums[0]), name);
}

const char *reel_types_enum_value_name(const reel_types_enum *enum_type, uint32_t value)
{
    if (enum_type == NULL)
        return NULL;
    for (int32_t i = 0; i < enum_type->value_count; i++) {
        if (enum_type->values[i].value == value)
            return enum_type->values[i].name;
    }
    return NULL;
}

static bool ascii_equal_ignoring_case(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb)
            return false;
        if (ca == '\0')
            return true;
    }
}

bool reel_types_enum_value_of(const reel_types_enum *enum_type, const char *name, uint32_t *value)
{
    if (enum_type == NULL || name == NULL)
        return false;
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < enum_type->value_count; i++) {
            const char *candidate = enum_type->values[i].name;
            if (pass == 0 ? strcmp(candidate, name) == 0
                          : ascii_equal_ignoring_case(candidate, name)) {
                if (value != NULL)
                    *value = enum_type->values[i].value;
                return true;
            }
        }
    }
    return false;
}

/* ---------------------------------------------------------------- archetypes */

size_t reel_types_archetype_count(void)
{
    return ARRAY_LEN(archetypes);
}

const reel_types_archetype *reel_types_archetype_at(size_t index)
{
    return index < ARRAY_LEN(archetypes) ? &archetypes[index] : NULL;
}

const reel_types_archetype *reel_types_archetype_find(const char *name)
{
    if (name == NULL)
        return NULL;
    if (strchr(name, '.') != NULL)
        return find_by_name(archetypes, ARRAY_LEN(archetypes), sizeof(archetypes[0]), name);
    for (size_t i = 0; i < ARRAY_LEN(archetypes); i++) {
        if (strcmp(archetypes[i].short_name, name) == 0)
            return &archetypes[i];
    }
    return NULL;
}

const reel_types_field *reel_types_archetype_field(const reel_types_archetype *archetype,
                                                   const char *name)
{
    if (archetype == NULL || name == NULL)
        return NULL;
    const char *colon = strchr(name, ':');
    for (int32_t i = 0; i < archetype->field_count; i++) {
        const reel_types_field *field = &archetype->fields[i];
        if (strcmp(colon != NULL ? field->component : field->name, name) == 0)
            return field;
    }
    return NULL;
}
