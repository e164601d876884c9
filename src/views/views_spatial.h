/* Private to the spatial views: the transform hierarchy (entity frames relative to the space
 * origin, pinholes and their image planes), ViewCoordinates and instance poses, shared by
 * the 3D view (views_spatial3d.c, views_prims3d.c) and the 2D view (views_spatial2d.c). */
#ifndef REEL_VIEWS_SPATIAL_H
#define REEL_VIEWS_SPATIAL_H

#include "views/views_internal.h"

typedef struct view_pinhole {
    float k[9]; /* image_from_camera, column-major: fx = k[0], fy = k[4], cx = k[6], cy = k[7] */
    float width, height;
    float entity_from_rdf[16];  /* camera_xyz as a rotation */
    float image_plane_distance; /* 0: not logged */
    uint32_t color;
    float line_width; /* Radius semantics */
} view_pinhole;

bool view_pinhole_read(view_ctx *ctx, uint32_t entity, view_pinhole *out);
/* The pinhole entity's frame from image coordinates (pixels, z = 0 on the plane at
 * `distance` along the camera's forward axis). */
void view_pinhole_plane(const view_pinhole *ph, float distance, float entity_from_image[16]);
/* A ViewCoordinates value as the rotation from RDF semantics to the entity's axes; false for
 * an invalid or repeated direction. */
bool view_coordinates_matrix(const uint8_t dirs[3], float entity_from_rdf[16]);
/* Scene up/right/forward from the ViewCoordinates at the entity or its closest ancestor
 * (RFU when none); false when none was found (or it was degenerate). */
bool view_coordinates_up(view_ctx *ctx, uint32_t entity, float up[3], float right[3], float fwd[3]);
/* Transform3D at the entity (parent from entity); false when none is logged. */
bool view_local_transform(view_ctx *ctx, uint32_t entity, float out[16]);
bool view_read_axis_angle(const view_cell *cell, uint32_t i, float axis[3], float *angle);
/* InstancePoses3D as matrices (arena); 0 when none. */
uint32_t view_instance_poses(view_ctx *ctx, uint32_t entity, float (**poses)[16]);

typedef struct view_frames {
    view_ctx *ctx;
    uint32_t n;
    uint32_t pinhole_component;
    float (*root_from)[16];
    uint8_t *state;
    uint32_t *plane_of; /* 2D content: the pinhole holding it; else REEL_STORE_NO_ID */
    uint8_t *is_pinhole;
    uint32_t origin;
    float origin_inv[16];
} view_frames;

bool view_frames_init(view_frames *f, view_ctx *ctx, uint32_t origin);
void view_frames_root(view_frames *f, uint32_t entity, float out[16], uint32_t *plane_of);
/* Origin from entity (for 2D content: origin from its pinhole's frame) and the pinhole whose
 * image plane holds the entity (REEL_STORE_NO_ID for 3D content). */
void view_frames_get(view_frames *f, uint32_t entity, float origin_from_entity[16],
                     uint32_t *plane_of);
bool view_frames_is_pinhole(view_frames *f, uint32_t entity);

/* 3D archetypes of one entity into the scene (views_prims3d.c). */
void view_add_3d_primitives(view_scene *s, uint32_t entity, uint32_t entity_index,
                            const float transform[16]);

#endif
