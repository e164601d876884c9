/* The registry tables, built at compile time from types/rerun_types.def, and their lookups:
 * by index, by full name (binary search: the generator sorts every section by full name),
 * archetypes also by short name. Arrow types are parsed from their pyarrow strings on first
 * use and cached for the process's life (one atomic slot per type).
 *
 * The tables are stored packed, without a single pointer: their strings sit in one blob and
 * the packed entries hold 16-bit offsets into it. A pointer in position-independent data
 * costs 8 bytes plus a 24-byte relocation record in libreel.a (and again, as a RELATIVE
 * relocation, in every PIE linked with it); as pointer tables the registry was 35 KB of data
 * and 66 KB of relocations, 9 % of the installed library (DESIGN.md: "C SDK: static lib
 * <= 1 MiB"; scripts/lib_size). The public entries (reel_types_component, …) are unpacked
 * from the blob into static storage on first use (pthread_once) and never change after. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "types/types.h"

/* ---------------------------------------------------------------- the string blob */

static const char rerun_sdk_version[] =
#define REEL_RERUN_SDK_VERSION(version) version
#include "types/rerun_types.def"
    ;

#define STRUCT_NAME_CORE(snake_name) "reel_" #snake_name
#define STRUCT_NAME_EXTENDED(snake_name) "reel_" #snake_name
#define STRUCT_NAME_BLUEPRINT(snake_name) "reel_blueprint_" #snake_name

/* Every string of the tables, as one struct of char arrays, which C lays out back to back
 * (char members need no padding): a string's offset in the blob is offsetof() its member.
 * Strings that are the tail of another are not stored again: a short name is the tail of
 * its full name ("rerun.components.Color"; gen_rerun_types.py fails otherwise), a snake name
 * the tail of its struct name ("reel_points3d") and a field name the tail of its component
 * ("Points3D:positions"). */
/* clang-format off */
static const struct string_blob {
#define REEL_ENCODING(id, name, arrow_type)                                                        \
    char encoding_##id[sizeof(name)]; char encoding_type_##id[sizeof(arrow_type)];
#define REEL_COMPONENT(id, name, encoding, arrow_type)                                             \
    char component_##id[sizeof(name)]; char component_encoding_##id[sizeof(encoding)];             \
    char component_type_##id[sizeof(arrow_type)];
#define REEL_ENUM_BEGIN(id, name) char enum_##id[sizeof(name)];
#define REEL_ENUM_VALUE(id, value_name, value) char enum_value_##id##__##value_name[sizeof(#value_name)];
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    char archetype_##id[sizeof(name)]; char archetype_struct_##id[sizeof(STRUCT_NAME_##tier(snake_name))];
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch)                             \
    char field_##id##__##field[sizeof(#id ":" #field)];
#include "types/rerun_types.def"
} blob = {
#define REEL_ENCODING(id, name, arrow_type) name, arrow_type,
#define REEL_COMPONENT(id, name, encoding, arrow_type) name, encoding, arrow_type,
#define REEL_ENUM_BEGIN(id, name) name,
#define REEL_ENUM_VALUE(id, value_name, value) #value_name,
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier) name, STRUCT_NAME_##tier(snake_name),
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch) #id ":" #field,
#include "types/rerun_types.def"
};
/* clang-format on */

/* Offsets into the blob. Should the .def ever outgrow 64 KiB, make this uint32_t. */
typedef uint16_t blob_offset;
_Static_assert(sizeof(struct string_blob) <= UINT16_MAX, "string blob too large for uint16_t");

#define AT(member) ((blob_offset)offsetof(struct string_blob, member))
/* The offset of the last `sizeof(tail) - 1` characters of a member that holds `whole`. */
#define TAIL(member, whole, tail) ((blob_offset)(AT(member) + sizeof(whole) - sizeof(tail)))

/* ---------------------------------------------------------------- the packed tables */

/* Positions of each enum's first value and each archetype's first field in the flat value
 * and field tables: an enumerator per value or field, with each BEGIN/END also taking the
 * next number and giving it back (X_REWIND = X - 1), so X_FIRST is its first entry and
 * X_END one past its last. */
enum {
#define REEL_ENUM_BEGIN(id, name) ENUM_FIRST_##id, ENUM_FIRST_REWIND_##id = ENUM_FIRST_##id - 1,
#define REEL_ENUM_VALUE(id, value_name, value) ENUM_VALUE_##id##__##value_name,
#define REEL_ENUM_END(id) ENUM_END_##id, ENUM_END_REWIND_##id = ENUM_END_##id - 1,
#include "types/rerun_types.def"
    ENUM_VALUE_COUNT
};
enum {
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    FIELD_FIRST_##id, FIELD_FIRST_REWIND_##id = FIELD_FIRST_##id - 1,
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch) FIELD_##id##__##field,
#define REEL_ARCHETYPE_END(id) FIELD_END_##id, FIELD_END_REWIND_##id = FIELD_END_##id - 1,
#include "types/rerun_types.def"
    FIELD_COUNT
};

typedef struct packed_encoding {
    blob_offset name, short_name, arrow_type;
} packed_encoding;

static const packed_encoding packed_encodings[] = {
#define REEL_ENCODING(id, name, arrow_type)                                                        \
    {AT(encoding_##id), TAIL(encoding_##id, name, #id), AT(encoding_type_##id)},
#include "types/rerun_types.def"
};

typedef struct packed_component {
    blob_offset name, short_name, encoding, arrow_type; /* encoding "" means none */
} packed_component;

static const packed_component packed_components[] = {
#define REEL_COMPONENT(id, name, encoding, arrow_type)                                             \
    {AT(component_##id), TAIL(component_##id, name, #id), AT(component_encoding_##id),             \
     AT(component_type_##id)},
#include "types/rerun_types.def"
};

typedef struct packed_enum {
    blob_offset name, short_name;
    uint16_t first_value, value_count;
} packed_enum;

static const packed_enum packed_enums[] = {
#define REEL_ENUM_BEGIN(id, name)                                                                  \
    {AT(enum_##id), TAIL(enum_##id, name, #id), ENUM_FIRST_##id, ENUM_END_##id - ENUM_FIRST_##id},
#include "types/rerun_types.def"
};

/* Two arrays rather than one of {offset, value} pairs, which would pad to 8 bytes. */
static const blob_offset packed_enum_value_names[] = {
#define REEL_ENUM_VALUE(id, value_name, value) AT(enum_value_##id##__##value_name),
#include "types/rerun_types.def"
};
static const uint32_t packed_enum_values[] = {
#define REEL_ENUM_VALUE(id, value_name, value) value,
#include "types/rerun_types.def"
};

#define FLAG_REQUIRED 1u
#define FLAG_OPTIONAL 0u
#define FLAG_BATCH 2u
#define FLAG_MONO 0u

typedef struct packed_field {
    blob_offset name, component;
    uint16_t type;          /* REEL_TYPES_COMPONENT_<component_id> */
    uint16_t struct_offset; /* fits: each archetype struct is checked to be below 64 KiB */
    uint8_t flags;          /* FLAG_REQUIRED | FLAG_BATCH */
} packed_field;

static const packed_field packed_fields[] = {
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch)                             \
    {TAIL(field_##id##__##field, #id ":" #field, #field), AT(field_##id##__##field),               \
     REEL_TYPES_COMPONENT_##component_id, (uint16_t)offsetof(reel__archetype_##id, field),         \
     FLAG_##required | FLAG_##batch},
#include "types/rerun_types.def"
};

typedef struct packed_archetype {
    blob_offset name, short_name, snake_name, struct_name;
    uint16_t first_field, field_count, struct_size;
    uint8_t tier;
} packed_archetype;

static const packed_archetype packed_archetypes[] = {
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    {AT(archetype_##id),                                                                           \
     TAIL(archetype_##id, name, #id),                                                              \
     TAIL(archetype_struct_##id, STRUCT_NAME_##tier(snake_name), #snake_name),                     \
     AT(archetype_struct_##id),                                                                    \
     FIELD_FIRST_##id,                                                                             \
     FIELD_END_##id - FIELD_FIRST_##id,                                                            \
     (uint16_t)sizeof(reel__archetype_##id),                                                       \
     REEL_TYPES_##tier},
#include "types/rerun_types.def"
};

/* The packed sizes above fit their fields. */
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    _Static_assert(sizeof(reel__archetype_##id) <= UINT16_MAX, #id ": struct too large");
#include "types/rerun_types.def"
_Static_assert(REEL_TYPES_COMPONENT_COUNT <= UINT16_MAX && ENUM_VALUE_COUNT <= UINT16_MAX &&
                   FIELD_COUNT <= UINT16_MAX,
               "packed table indices");

#define ARRAY_LEN(array) (sizeof(array) / sizeof((array)[0]))

_Static_assert(ARRAY_LEN(packed_encodings) == REEL_TYPES_ENCODING_COUNT, "encoding table");
_Static_assert(ARRAY_LEN(packed_components) == REEL_TYPES_COMPONENT_COUNT, "component table");
_Static_assert(ARRAY_LEN(packed_enums) == REEL_TYPES_ENUM_COUNT, "enum table");
_Static_assert(ARRAY_LEN(packed_enum_values) == ENUM_VALUE_COUNT, "enum value table");
_Static_assert(ARRAY_LEN(packed_fields) == FIELD_COUNT, "field table");
_Static_assert(ARRAY_LEN(packed_archetypes) == REEL_TYPES_ARCHETYPE_COUNT, "archetype table");

/* ---------------------------------------------------------------- the public tables */

/* Written once by unpack_tables (under pthread_once), read-only afterwards. */
static reel_types_encoding encodings[REEL_TYPES_ENCODING_COUNT];
static reel_types_component components[REEL_TYPES_COMPONENT_COUNT];
static reel_types_enum enums[REEL_TYPES_ENUM_COUNT];
static reel_types_enum_value enum_values[ENUM_VALUE_COUNT];
static reel_types_field fields[FIELD_COUNT];
static reel_types_archetype archetypes[REEL_TYPES_ARCHETYPE_COUNT];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static atomic_bool tables_unpacked; /* set (release) when unpack_tables is done */

static const char *string_at(blob_offset offset)
{
    return (const char *)&blob + offset;
}

static void unpack_tables(void)
{
    for (size_t i = 0; i < ARRAY_LEN(encodings); i++) {
        const packed_encoding *p = &packed_encodings[i];
        encodings[i] = (reel_types_encoding){.name = string_at(p->name),
                                             .short_name = string_at(p->short_name),
                                             .arrow_type = string_at(p->arrow_type),
                                             .index = (int32_t)i};
    }
    for (size_t i = 0; i < ARRAY_LEN(components); i++) {
        const packed_component *p = &packed_components[i];
        const char *encoding = string_at(p->encoding);
        components[i] = (reel_types_component){.name = string_at(p->name),
                                               .short_name = string_at(p->short_name),
                                               .encoding = encoding[0] != '\0' ? encoding : NULL,
                                               .arrow_type = string_at(p->arrow_type),
                                               .index = (int32_t)i};
    }
    for (size_t i = 0; i < ARRAY_LEN(enum_values); i++)
        enum_values[i] = (reel_types_enum_value){.name = string_at(packed_enum_value_names[i]),
                                                 .value = packed_enum_values[i]};
    for (size_t i = 0; i < ARRAY_LEN(enums); i++) {
        const packed_enum *p = &packed_enums[i];
        enums[i] = (reel_types_enum){.name = string_at(p->name),
                                     .short_name = string_at(p->short_name),
                                     .value_count = p->value_count,
                                     .values = &enum_values[p->first_value]};
    }
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        const packed_field *p = &packed_fields[i];
        fields[i] = (reel_types_field){.name = string_at(p->name),
                                       .component = string_at(p->component),
                                       .type = &components[p->type],
                                       .required = (p->flags & FLAG_REQUIRED) != 0,
                                       .batch = (p->flags & FLAG_BATCH) != 0,
                                       .struct_offset = p->struct_offset};
    }
    for (size_t i = 0; i < ARRAY_LEN(archetypes); i++) {
        const packed_archetype *p = &packed_archetypes[i];
        archetypes[i] = (reel_types_archetype){.name = string_at(p->name),
                                               .short_name = string_at(p->short_name),
                                               .snake_name = string_at(p->snake_name),
                                               .struct_name = string_at(p->struct_name),
                                               .tier = (reel_types_tier)p->tier,
                                               .field_count = p->field_count,
                                               .fields = &fields[p->first_field],
                                               .struct_size = p->struct_size};
    }
    atomic_store_explicit(&tables_unpacked, true, memory_order_release);
}

/* Every function that reads the public tables calls this first: after the first call it
 * costs one load (reel_log looks up an archetype per call). */
static inline void tables_ready(void)
{
    if (!atomic_load_explicit(&tables_unpacked, memory_order_acquire))
        pthread_once(&tables_once, unpack_tables);
}

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
    tables_ready();
    return index < ARRAY_LEN(encodings) ? &encodings[index] : NULL;
}

const reel_types_encoding *reel_types_encoding_find(const char *name)
{
    tables_ready();
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
    tables_ready();
    return index < ARRAY_LEN(components) ? &components[index] : NULL;
}

const reel_types_component *reel_types_component_find(const char *name)
{
    tables_ready();
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
    tables_ready();
    return index < ARRAY_LEN(enums) ? &enums[index] : NULL;
}

const reel_types_enum *reel_types_enum_find(const char *name)
{
    tables_ready();
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
    tables_ready();
    return index < ARRAY_LEN(archetypes) ? &archetypes[index] : NULL;
}

const reel_types_archetype *reel_types_archetype_find(const char *name)
{
    tables_ready();
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
