/* The types module: Reel's registry of every Rerun type — encodings (formerly "datatypes"),
 * components, enums and archetypes, core and blueprint. All of it comes from one X-macro
 * table, types/rerun_types.def, which gen_rerun_types.py writes from the real Rerun Python
 * SDK; this header turns it into lookup tables, index constants, enum constants and (in
 * types/archetypes.h, included at the end) one C struct per archetype.
 *
 * It answers: which Arrow type does a component have, which fields and wire descriptors
 * does an archetype have, what is enum value 3 called, and does a column's Arrow type match
 * what Rerun expects. Depends on arrow. Every table is immutable and every function is
 * thread-safe; the only state is process-lifetime and filled lazily: the tables themselves,
 * unpacked once from their compact form (pthread_once), and a cache of parsed Arrow types
 * (atomic compare-and-swap). */
#ifndef REEL_TYPES_H
#define REEL_TYPES_H

#include "arrow/arrow.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- index constants */

/* REEL_TYPES_ENCODING_Vec3D, REEL_TYPES_COMPONENT_Position3D, REEL_TYPES_ENUM_Colormap and
 * REEL_TYPES_ARCHETYPE_Points3D are positions in the tables below (for the *_at functions);
 * each table is sorted by full name. */
enum {
#define REEL_ENCODING(id, name, arrow_type) REEL_TYPES_ENCODING_##id,
#include "types/rerun_types.def"
    REEL_TYPES_ENCODING_COUNT
};
enum {
#define REEL_COMPONENT(id, name, encoding, arrow_type) REEL_TYPES_COMPONENT_##id,
#include "types/rerun_types.def"
    REEL_TYPES_COMPONENT_COUNT
};
enum {
#define REEL_ENUM_BEGIN(id, name) REEL_TYPES_ENUM_##id,
#include "types/rerun_types.def"
    REEL_TYPES_ENUM_COUNT
};
enum {
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier) REEL_TYPES_ARCHETYPE_##id,
#include "types/rerun_types.def"
    REEL_TYPES_ARCHETYPE_COUNT
};

/* Enum values by name (REEL_Colormap_Viridis == 6) are defined in reel/archetypes.h. */

/* The rerun-sdk version the table was generated from, e.g. "0.41.0". */
const char *reel_types_rerun_sdk_version(void);

/* True for "rerun.blueprint.…" names (blueprint encodings, components and archetypes). */
bool reel_types_is_blueprint_name(const char *full_name);

/* ---------------------------------------------------------------- encodings */

/* An encoding fixes the memory layout of a component ("rerun.encodings.Vec3D"). */
typedef struct reel_types_encoding {
    const char *name;       /* "rerun.encodings.Vec3D" or "rerun.blueprint.encodings.…" */
    const char *short_name; /* "Vec3D" */
    const char *arrow_type; /* pyarrow's str() of one value */
    int32_t index;          /* REEL_TYPES_ENCODING_<short_name> */
} reel_types_encoding;

size_t reel_types_encoding_count(void);
/* NULL when index is out of range. */
const reel_types_encoding *reel_types_encoding_at(size_t index);
/* By full name; NULL when unknown. */
const reel_types_encoding *reel_types_encoding_find(const char *name);
/* The parsed Arrow type (name "", nullable), parsed once and kept for the process's life.
 * Fails only on OOM. */
reel_status reel_types_encoding_arrow_field(const reel_types_encoding *encoding,
                                            const reel_arrow_field **out, reel_error *err);

/* ---------------------------------------------------------------- components */

/* A component type: the semantic type of one archetype field, e.g. Position3D. In a chunk a
 * component column is list<item: T> where T is arrow_type, one list per row. */
typedef struct reel_types_component {
    const char *name;       /* "rerun.components.Position3D" or "rerun.blueprint.components.…" */
    const char *short_name; /* "Position3D"; unique across core and blueprint components */
    const char *encoding;   /* "rerun.encodings.Vec3D"; NULL for enums and lists of an encoding */
    const char *arrow_type; /* pyarrow's str() of one instance */
    int32_t index;          /* REEL_TYPES_COMPONENT_<short_name> */
} reel_types_component;

size_t reel_types_component_count(void);
const reel_types_component *reel_types_component_at(size_t index);
/* By full name ("rerun.components.Color"); NULL when unknown. */
const reel_types_component *reel_types_component_find(const char *name);
/* As reel_types_encoding_arrow_field. */
reel_status reel_types_component_arrow_field(const reel_types_component *component,
                                             const reel_arrow_field **out, reel_error *err);
/* Bytes per instance when the Arrow type is fixed-width all the way down (uint32: 4,
 * fixed_size_list<float>[3]: 12); 0 otherwise (strings, lists, structs, bool, …). This is
 * the instance size of a REEL_BATCH_VALUES batch. */
size_t reel_types_component_value_size(const reel_types_component *component);

/* ---------------------------------------------------------------- enums */

typedef struct reel_types_enum_value {
    const char *name; /* "Viridis" */
    uint32_t value;   /* 6 */
} reel_types_enum_value;

/* An enum is a component or encoding whose values have names (Colormap, ChannelDatatype). */
typedef struct reel_types_enum {
    const char *name;       /* its component's or encoding's: "rerun.components.Colormap" */
    const char *short_name; /* "Colormap" */
    int32_t value_count;
    const reel_types_enum_value *values; /* sorted by value */
} reel_types_enum;

size_t reel_types_enum_count(void);
const reel_types_enum *reel_types_enum_at(size_t index);
/* By the full name of its component or encoding; NULL when that type is not an enum. */
const reel_types_enum *reel_types_enum_find(const char *name);
/* The name of `value`, or NULL when the enum has no such value. */
const char *reel_types_enum_value_name(const reel_types_enum *enum_type, uint32_t value);
/* The value named `name`: an exact match first, then ASCII case-insensitive (as the Python
 * SDK accepts "viridis"). Returns false when there is none. */
bool reel_types_enum_value_of(const reel_types_enum *enum_type, const char *name, uint32_t *value);

/* ---------------------------------------------------------------- archetypes */

typedef enum reel_types_tier {
    REEL_TYPES_CORE = 0,      /* the 36 archetypes Reel treats as essential */
    REEL_TYPES_EXTENDED = 1,  /* the other rerun.archetypes */
    REEL_TYPES_BLUEPRINT = 2, /* rerun.blueprint.archetypes */
} reel_types_tier;

/* One field of an archetype: its wire descriptor is (archetype->name, component, type->name). */
typedef struct reel_types_field {
    const char *name;                 /* "positions" */
    const char *component;            /* "Points3D:positions" */
    const reel_types_component *type; /* rerun.components.Position3D */
    bool required;                    /* the SDK's constructor cannot be called without it */
    bool batch;                       /* many instances per row (false: one, "mono") */
    size_t struct_offset;             /* offsetof(<archetype struct>, <name>) */
} reel_types_field;

typedef struct reel_types_archetype {
    const char *name;        /* "rerun.archetypes.Points3D" or "rerun.blueprint.archetypes.…" */
    const char *short_name;  /* "Points3D"; unique across core and blueprint archetypes */
    const char *snake_name;  /* "points3d" */
    const char *struct_name; /* "reel_points3d"; blueprint: "reel_blueprint_view_blueprint" */
    reel_types_tier tier;
    int32_t field_count;
    const reel_types_field *fields; /* in the SDK's declaration order */
    size_t struct_size;             /* sizeof the C struct in types/archetypes.h */
} reel_types_archetype;

size_t reel_types_archetype_count(void);
const reel_types_archetype *reel_types_archetype_at(size_t index);
/* By full name ("rerun.archetypes.Points3D") or short name ("Points3D"); NULL when unknown. */
const reel_types_archetype *reel_types_archetype_find(const char *name);
/* By field name ("positions") or component ("Points3D:positions"); NULL when unknown. */
const reel_types_field *reel_types_archetype_field(const reel_types_archetype *archetype,
                                                   const char *name);

/* ---------------------------------------------------------------- checking columns */

/* Whether a column's per-instance Arrow type (the item of its list<…>) can be read as
 * `component_type`, judged as Rerun 0.41's `rerun rrd verify` judges it (its generated
 * deserializers downcast by physical type):
 *   - physical types must be equal (float vs double, string vs large_string, list vs
 *     large_list, fixed sizes, union mode and type codes all matter);
 *   - nullability is ignored at every level (Rerun rejects actual nulls in the data, which
 *     is not a property of the type), and so are the names of list items;
 *   - struct children are matched by name, in any order, and extra children are allowed.
 * Returns REEL_OK, REEL_CORRUPT with both types and the offending path in the message, or
 * REEL_UNSUPPORTED when component_type is not registered (Rerun says "Unknown component"
 * for rerun.* names and ignores other names: the caller decides). Borrows everything. */
reel_status reel_types_check_column(const char *component_type,
                                    const reel_arrow_field *element_field, reel_error *err);

/* Checks a column's descriptor as `rerun rrd verify` does: when `archetype` is a rerun.*
 * archetype, it must be known (else REEL_UNSUPPORTED), have the field named by `component`
 * ("Points3D:positions" or "positions"; else REEL_UNSUPPORTED), and that field must have
 * the type `component_type` (else REEL_CORRUPT). NULL or non-rerun archetypes, and a NULL
 * component_type, are REEL_OK: there is nothing to compare against. */
reel_status reel_types_check_descriptor(const char *archetype, const char *component,
                                        const char *component_type, reel_error *err);

#ifdef __cplusplus
}
#endif

#include "types/archetypes.h"

#endif
