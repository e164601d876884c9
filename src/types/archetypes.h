/* The archetype structs and reel_component_batch are public: they live in reel/archetypes.h
 * (made from the same rerun_types.def). This header adds what only libreel's own modules
 * use: batches over internal arrow arrays and reading a field through the registry. Part of
 * the types module's surface: types/types.h includes this file. */
#ifndef REEL_TYPES_ARCHETYPES_H
#define REEL_TYPES_ARCHETYPES_H

#include "reel/archetypes.h"
#include "types/types.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline reel_component_batch reel_batch_arrow(const reel_arrow_array *array)
{
    reel_component_batch batch = {REEL_BATCH_ARROW, array, array ? (size_t)array->length : 0, NULL,
                                  0};
    return batch;
}

/* The batch of `field` inside an archetype struct (e.g. a reel_points3d) whose table entry
 * `field` belongs to, so generic code can walk any archetype struct via archetype->fields. */
static inline const reel_component_batch *reel_types_field_batch(const reel_types_field *field,
                                                                 const void *archetype_struct)
{
    return (const reel_component_batch *)(const void *)((const char *)archetype_struct +
                                                        field->struct_offset);
}

#ifdef __cplusplus
}
#endif
#endif
