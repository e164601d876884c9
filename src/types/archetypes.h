/* One C struct per Rerun archetype, made by X-macros from types/rerun_types.def: each field
 * of the archetype is a reel_component_batch of the same name, in the SDK's order.
 *
 *     reel_points3d points = {0};
 *     points.positions = reel_batch_values(xyz, count);  // float[3] per point
 *     points.colors = reel_batch_values(&rgba, 1);       // one uint32, splatted
 *
 * Core and extended archetypes are reel_<snake_name> (reel_points3d, reel_line_strips2d);
 * blueprint archetypes are reel_blueprint_<snake_name> (reel_blueprint_view_blueprint), so
 * generic names such as Background or TimeAxis stay out of the way. The archetype's table
 * entry (reel_types_archetype_at(REEL_TYPES_ARCHETYPE_Points3D)) lists every field with its
 * offset in the struct; reel_types_field_batch() reads a field through it. Part of the
 * types module's surface: types/types.h includes this file. */
#ifndef REEL_TYPES_ARCHETYPES_H
#define REEL_TYPES_ARCHETYPES_H

#include "types/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The struct's type name for a tier and snake name: REEL_ARCHETYPE_STRUCT(CORE, points3d)
 * is reel_points3d. */
#define REEL_ARCHETYPE_STRUCT(tier, snake_name) REEL__ARCHETYPE_STRUCT_##tier(snake_name)
#define REEL__ARCHETYPE_STRUCT_CORE(snake_name) reel_##snake_name
#define REEL__ARCHETYPE_STRUCT_EXTENDED(snake_name) reel_##snake_name
#define REEL__ARCHETYPE_STRUCT_BLUEPRINT(snake_name) reel_blueprint_##snake_name

/* Each struct also gets the internal alias reel__archetype_<Id> (reel__archetype_Points3D),
 * so code that only has the archetype's id can name its struct. */
/* clang-format off */
#define REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)                                           \
    typedef struct REEL_ARCHETYPE_STRUCT(tier, snake_name) REEL_ARCHETYPE_STRUCT(tier, snake_name),\
        reel__archetype_##id;                                                                      \
    struct REEL_ARCHETYPE_STRUCT(tier, snake_name) {
#define REEL_ARCHETYPE_FIELD(id, field, component_id, required, batch) reel_component_batch field;
#define REEL_ARCHETYPE_END(id) };
#include "types/rerun_types.def"
/* clang-format on */

#ifdef __cplusplus
}
#endif
#endif
