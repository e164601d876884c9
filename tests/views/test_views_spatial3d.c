/* The Spatial 3D view on stores logged through the C SDK: positions after the transform
 * hierarchy (translation, rotation, scale, relation, instance poses), radii kinds, Rerun's
 * default and class colours, the default eye framing the bounds, the pinhole frustum and an
 * image on its plane, boxes, meshes, Clears, camera controls and hover from the pick. */
#include "views_testing.h"

static const reel_draw_points *find_points(const reel_draw_scene *s, uint32_t pick_entity)
{
    for (uint32_t i = 0; s && i < s->n_points; i++)
        if ((s->points[i].pick >> 8) == pick_entity + 1)
            return &s->points[i];
    return NULL;
}

static void point_at(const reel_draw_points *p, uint32_t i, float out[3])
{
    views_apply(p->transform, p->positions + 3 * i, out);
}

TEST(points_follow_the_transform_hierarchy)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 1);
    float t[3] = {1, 2, 3};
    reel_log(r.rec, "world", &(reel_transform3d){.translation = reel_batch_values(t, 1)});
    struct {
        float axis[3];
        float angle;
    } rot = {{0, 0, 1}, (float)M_PI / 2};
    float scale[3] = {2, 2, 2};
    reel_log(r.rec, "world/robot",
             &(reel_transform3d){.rotation_axis_angle = reel_batch_values(&rot, 1),
                                 .scale = reel_batch_values(scale, 1)});
    float xyz[2][3] = {{0, 0, 0}, {1, 0, 0}};
    reel_log(r.rec, "world/robot/points", &(reel_points3d){.positions = reel_batch_values(xyz, 2)});
    /* child-from-parent relation: the inverse translation. */
    float back[3] = {0, 0, 5};
    uint8_t relation = REEL_TransformRelation_ChildFromParent;
    reel_log(r.rec, "other",
             &(reel_transform3d){.translation = reel_batch_values(back, 1),
                                 .relation = reel_batch_values(&relation, 1)});
    reel_log(r.rec, "other/p", &(reel_points3d){.positions = reel_batch_values(xyz, 1)});
    reel_store *store = views_rec_store(&r);

    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/world/robot/points");
    views_frame_add(&f, "/other/p");
    f.in.time = 1;
    reel_view_spatial3d_state st = {0};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    CHECK(s != NULL);
    const reel_draw_points *p = find_points(s, 0);
    if (CHECK(p != NULL) && CHECK_EQ_INT(p->count, 2)) {
        float w[3];
        point_at(p, 0, w);
        CHECK_NEAR(w[0], 1, 1e-5), CHECK_NEAR(w[1], 2, 1e-5), CHECK_NEAR(w[2], 3, 1e-5);
        point_at(p, 1, w); /* (1,0,0) scaled by 2, rotated 90° about z, then translated */
        CHECK_NEAR(w[0], 1, 1e-5), CHECK_NEAR(w[1], 4, 1e-5), CHECK_NEAR(w[2], 3, 1e-5);
        /* The positions are the chunk's own (zero-copy), default radius 1.5 pt. */
        CHECK_EQ_INT(p->n_radii, 1);
        CHECK_NEAR(p->radii[0], -1.5, 1e-6);
    }
    const reel_draw_points *q = find_points(s, 1);
    if (CHECK(q != NULL)) {
        float w[3];
        point_at(q, 0, w);
        CHECK_NEAR(w[2], -5, 1e-5);
    }
    /* With the origin at /world, the world's own transform no longer applies. */
    f.in.origin = "/world";
    f.in.n_entities = 1;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    p = find_points(views_scene(&f, out.scene), 0);
    if (CHECK(p != NULL)) {
        float w[3];
        point_at(p, 1, w);
        CHECK_NEAR(w[0], 0, 1e-5), CHECK_NEAR(w[1], 2, 1e-5), CHECK_NEAR(w[2], 0, 1e-5);
    }
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(radii_colors_and_class_colors)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float xyz[3][3] = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
    float radii[2] = {0.5f, -2.0f};
    uint32_t red = 0xff0000ffu;
    reel_log(r.rec, "a",
             &(reel_points3d){.positions = reel_batch_values(xyz, 3),
                              .radii = reel_batch_values(radii, 2),
                              .colors = reel_batch_values(&red, 1)});
    reel_log(r.rec, "b", &(reel_points3d){.positions = reel_batch_values(xyz, 3)});
    uint16_t ids[3] = {0, 1, 7};
    reel_log(r.rec, "c",
             &(reel_points3d){.positions = reel_batch_values(xyz, 3),
                              .class_ids = reel_batch_values(ids, 3)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/a");
    views_frame_add(&f, "/b");
    views_frame_add(&f, "/c");
    reel_view_spatial3d_state st = {0};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    const reel_draw_points *a = find_points(s, 0), *b = find_points(s, 1), *c = find_points(s, 2);
    if (CHECK(a && b && c)) {
        /* Radii as logged: positive scene units, negative UI points; the renderer clamps. */
        CHECK_EQ_INT(a->n_radii, 2);
        CHECK_NEAR(a->radii[0], 0.5, 1e-6);
        CHECK_NEAR(a->radii[1], -2.0, 1e-6);
        CHECK_EQ_U64(a->colors[0], REEL_RGBA(255, 0, 0, 255));
        /* Default colour: Rerun's scheme from the path's hash, one splatted colour. */
        CHECK_EQ_INT(b->n_colors, 1);
        CHECK_EQ_U64(b->colors[0], reel_view_auto_color_path("/b"));
        /* Class ids without an annotation context: the class auto colours. */
        CHECK_EQ_INT(c->n_colors, 3);
        CHECK_EQ_U64(c->colors[0], REEL_RGBA(0xbc, 0x4d, 0x4d, 255));
        CHECK_EQ_U64(c->colors[1], REEL_RGBA(0x4d, 0x7b, 0xbc, 255));
        CHECK_EQ_U64(c->colors[2], REEL_RGBA(0x56, 0xbc, 0x4d, 255));
    }
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(auto_colors_follow_rerun_scheme)
{
    static const uint32_t CLASS[8] = {0xbc4d4d, 0x4d7bbc, 0x9abc4d, 0xbc4db2,
                                      0x4dbcaf, 0xbc964d, 0x764dbc, 0x56bc4d};
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t rgb = CLASS[i];
        CHECK_EQ_U64(reel_view_auto_color_index(i),
                     REEL_RGBA(rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff, 255));
    }
    /* Path colours: max channel 0xBC and min 0x4D (HSV s 0.85, v 0.5 in linear space). */
    const char *paths[] = {"/", "/world", "/world/points", "/a/b/c"};
    for (size_t i = 0; i < 4; i++) {
        uint8_t c[4];
        rgba_bytes(reel_view_auto_color_path(paths[i]), c);
        int mx = c[0] > c[1] ? (c[0] > c[2] ? c[0] : c[2]) : (c[1] > c[2] ? c[1] : c[2]);
        int mn = c[0] < c[1] ? (c[0] < c[2] ? c[0] : c[2]) : (c[1] < c[2] ? c[1] : c[2]);
        CHECK_EQ_INT(mx, 0xbc);
        CHECK_EQ_INT(mn, 0x4d);
        CHECK_EQ_INT(c[3], 255);
    }
    CHECK_EQ_U64(reel_view_auto_color_path("/world"), reel_view_auto_color_path("/world"));
}

TEST(default_eye_frames_the_bounds)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float xyz[8][3];
    for (int i = 0; i < 8; i++)
        xyz[i][0] = (i & 1) ? 10.0f : 0.0f, xyz[i][1] = (i & 2) ? 4.0f : 2.0f,
        xyz[i][2] = (i & 4) ? 6.0f : 0.0f;
    uint32_t one = 0xffffffffu;
    reel_log(r.rec, "cloud",
             &(reel_points3d){.positions = reel_batch_values(xyz, 8),
                              .colors = reel_batch_values(&one, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/cloud");
    reel_view_spatial3d_state st = {0};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    CHECK(!st.eye_set);
    /* The ROI of the 8 corners: mean ± 2σ per axis, σ = half the extent (5, 1, 3). */
    CHECK_NEAR(st.eye_target[0], 5, 1e-4);
    CHECK_NEAR(st.eye_target[1], 3, 1e-4);
    CHECK_NEAR(st.eye_target[2], 3, 1e-4);
    float d[3] = {st.eye_target[0] - st.eye_position[0], st.eye_target[1] - st.eye_position[1],
                  st.eye_target[2] - st.eye_position[2]};
    float dist = sqrtf(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    /* ROI extents 4σ = (20, 4, 12): radius 1.5 × half the diagonal. */
    CHECK_NEAR(dist, 1.5f * sqrtf(560.0f) * 0.5f, 1e-3);
    /* Direction 0.75 fwd + 0.25 right - 0.25 up for RFU: (0.25, 0.75, -0.25) normalised. */
    float n = sqrtf(0.25f * 0.25f * 2 + 0.75f * 0.75f);
    CHECK_NEAR(d[0] / dist, 0.25f / n, 1e-4);
    CHECK_NEAR(d[1] / dist, 0.75f / n, 1e-4);
    CHECK_NEAR(d[2] / dist, -0.25f / n, 1e-4);
    CHECK_NEAR(st.eye_up[2], 1, 1e-6);
    /* The camera looks at the target: it projects to the rect's centre. */
    const reel_draw_scene *s = views_scene(&f, out.scene);
    if (CHECK(s != NULL)) {
        float e[3], clip[4];
        views_apply(s->camera.view, st.eye_target, e);
        for (int k = 0; k < 4; k++) {
            clip[k] = 0;
            for (int j = 0; j < 3; j++)
                clip[k] += s->camera.projection[j * 4 + k] * e[j];
            clip[k] += s->camera.projection[12 + k];
        }
        CHECK_NEAR(clip[0] / clip[3], 0, 1e-4);
        CHECK_NEAR(clip[1] / clip[3], 0, 1e-4);
        CHECK(clip[3] > 0);
        CHECK(s->n_lines >= 1); /* the grid */
    }
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(pinhole_frustum_and_image_plane)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float t[3] = {0, 0, 10};
    reel_log(r.rec, "cam", &(reel_transform3d){.translation = reel_batch_values(t, 1)});
    float k[9] = {100, 0, 0, 0, 100, 0, 50, 40, 1}; /* column-major: cx 50, cy 40 */
    float res[2] = {100, 80};
    float dist = 2;
    reel_log(r.rec, "cam",
             &(reel_pinhole){.image_from_camera = reel_batch_values(k, 1),
                             .resolution = reel_batch_values(res, 1),
                             .image_plane_distance = reel_batch_values(&dist, 1)});
    uint8_t pixels[4 * 2 * 3];
    memset(pixels, 200, sizeof pixels);
    reel_image_format fmt = {4, 2, 0, REEL_ColorModel_RGB, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "cam/image",
             &(reel_image){.buffer = reel_batch_bytes(pixels, sizeof pixels),
                           .format = reel_batch_values(&fmt, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/cam");
    views_frame_add(&f, "/cam/image");
    reel_view_spatial3d_state st = {0};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    const reel_draw_lines *frustum = NULL;
    for (uint32_t i = 0; s && i < s->n_lines; i++)
        if (s->lines[i].pick == ((1u << 8) | 0) && s->lines[i].n_strips == 3 &&
            s->lines[i].strip_offsets[1] == 9)
            frustum = &s->lines[i];
    if (CHECK(frustum != NULL)) {
        /* corner0 -> corner1 -> apex -> corner2 -> corner3 -> apex -> corner0 -> corner3 ->
         * apex, then corner1 -> corner2, then the up triangle. */
        float w[3];
        views_apply(frustum->transform, frustum->positions, w);
        CHECK_NEAR(w[0], -1.0, 1e-5), CHECK_NEAR(w[1], -0.8, 1e-5), CHECK_NEAR(w[2], 12, 1e-5);
        views_apply(frustum->transform, frustum->positions + 3, w);
        CHECK_NEAR(w[0], 1.0, 1e-5), CHECK_NEAR(w[1], -0.8, 1e-5);
        views_apply(frustum->transform, frustum->positions + 6, w);
        CHECK_NEAR(w[0], 0, 1e-5), CHECK_NEAR(w[1], 0, 1e-5), CHECK_NEAR(w[2], 10, 1e-5);
        views_apply(frustum->transform, frustum->positions + 9, w);
        CHECK_NEAR(w[0], 1.0, 1e-5), CHECK_NEAR(w[1], 0.8, 1e-5), CHECK_NEAR(w[2], 12, 1e-5);
        views_apply(frustum->transform, frustum->positions + 3 * 12, w); /* triangle top */
        CHECK_NEAR(w[0], 0, 1e-5), CHECK_NEAR(w[1], -1.0, 1e-5);
        CHECK_EQ_U64(frustum->colors[0], REEL_RGBA(0x9f, 0x9f, 0x9f, 255));
    }
    /* The image: a quad on the plane, pixel (0,0) at the top-left frustum corner. */
    if (CHECK(s && s->n_quads == 1)) {
        const reel_draw_quad *q = &s->quads[0];
        float w[3];
        views_apply(q->transform, q->corners[0], w);
        CHECK_NEAR(w[0], -1.0, 1e-5), CHECK_NEAR(w[1], -0.8, 1e-5), CHECK_NEAR(w[2], 12, 1e-5);
        views_apply(q->transform, q->corners[2], w); /* (4, 2) px */
        CHECK_NEAR(w[0], (4 - 50) * 0.02, 1e-5), CHECK_NEAR(w[1], (2 - 40) * 0.02, 1e-5);
        CHECK(q->texture < f.textures.len);
    }
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(boxes_meshes_arrows_and_clears)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float half[3] = {1, 2, 3}, center[3] = {10, 0, 0};
    reel_log(r.rec, "box",
             &(reel_boxes3d){.half_sizes = reel_batch_values(half, 1),
                             .centers = reel_batch_values(center, 1)});
    uint8_t solid = REEL_FillMode_Solid;
    reel_log(r.rec, "solid",
             &(reel_boxes3d){.half_sizes = reel_batch_values(half, 1),
                             .fill_mode = reel_batch_values(&solid, 1)});
    float verts[3][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    uint32_t tri[3] = {0, 1, 2};
    uint32_t albedo = 0x336699ffu;
    reel_log(r.rec, "mesh",
             &(reel_mesh3d){.vertex_positions = reel_batch_values(verts, 3),
                            .triangle_indices = reel_batch_values(tri, 1),
                            .albedo_factor = reel_batch_values(&albedo, 1)});
    float vec[3] = {0, 0, 2};
    reel_log(r.rec, "arrow", &(reel_arrows3d){.vectors = reel_batch_values(vec, 1)});
    float radii3[3] = {1, 1, 1};
    reel_log(r.rec, "ellipsoid", &(reel_ellipsoids3d){.half_sizes = reel_batch_values(radii3, 1)});
    float m3[9] = {3, 0, 0, 0, 1, 0, 0, 0, 1}; /* column-major: x scaled by 3 */
    reel_log(r.rec, "scaled", &(reel_transform3d){.mat3x3 = reel_batch_values(m3, 1)});
    float one[1][3] = {{1, 1, 1}};
    reel_log(r.rec, "scaled/p", &(reel_points3d){.positions = reel_batch_values(one, 1)});
    reel_set_time_sequence(r.rec, "frame", 5);
    reel_log_clear(r.rec, "box", false, NULL);
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/box");
    views_frame_add(&f, "/solid");
    views_frame_add(&f, "/mesh");
    views_frame_add(&f, "/arrow");
    views_frame_add(&f, "/ellipsoid");
    views_frame_add(&f, "/scaled/p");
    reel_view_spatial3d_state st = {.hide_grid = true};
    reel_view_output out;
    f.in.time = 1;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    const reel_draw_lines *box = NULL;
    for (uint32_t i = 0; s && i < s->n_lines; i++)
        if ((s->lines[i].pick >> 8) == 1)
            box = &s->lines[i];
    if (CHECK(box != NULL)) {
        CHECK_EQ_INT(box->n_strips, 6); /* 12 edges as 6 strips */
        CHECK_EQ_INT(box->strip_offsets[6], 18);
        CHECK_EQ_INT(box->pick & 0xff, 6); /* 6 strips per box instance */
        float lo[3] = {1e9f, 1e9f, 1e9f}, hi[3] = {-1e9f, -1e9f, -1e9f};
        for (uint32_t v = 0; v < 18; v++)
            for (int k = 0; k < 3; k++) {
                float x = box->positions[3 * v + k];
                lo[k] = x < lo[k] ? x : lo[k];
                hi[k] = x > hi[k] ? x : hi[k];
            }
        CHECK_NEAR(lo[0], 9, 1e-5), CHECK_NEAR(hi[0], 11, 1e-5);
        CHECK_NEAR(lo[2], -3, 1e-5), CHECK_NEAR(hi[2], 3, 1e-5);
        CHECK_NEAR(box->radii[0], -0.5, 1e-6); /* outlines: 0.5 pt */
    }
    int meshes_of_solid = 0, meshes_of_mesh = 0;
    for (uint32_t i = 0; s && i < s->n_meshes; i++) {
        if ((s->meshes[i].pick >> 8) == 2) {
            meshes_of_solid++;
            CHECK_EQ_INT(s->meshes[i].n_vertices, 8);
            CHECK_EQ_INT(s->meshes[i].n_indices, 36);
        }
        if ((s->meshes[i].pick >> 8) == 3) {
            meshes_of_mesh++;
            CHECK_EQ_INT(s->meshes[i].n_indices, 3);
            CHECK_EQ_U64(s->meshes[i].color, REEL_RGBA(0x33, 0x66, 0x99, 0xff));
            CHECK(!s->meshes[i].lit); /* no normals: unlit */
        }
    }
    CHECK_EQ_INT(meshes_of_solid, 1);
    CHECK_EQ_INT(meshes_of_mesh, 1);
    /* The ellipsoid: three rings of 33 vertices (MajorWireframe); the arrow: a shaft ending
     * where its head starts, and a cone mesh. */
    for (uint32_t i = 0; s && i < s->n_lines; i++) {
        if ((s->lines[i].pick >> 8) == 5) {
            CHECK_EQ_INT(s->lines[i].n_strips, 3);
            CHECK_EQ_INT(s->lines[i].strip_offsets[3], 99);
        }
        if ((s->lines[i].pick >> 8) == 4) {
            CHECK_EQ_INT(s->lines[i].n_strips, 1);
            CHECK_NEAR(s->lines[i].positions[5], 2 * 0.85, 1e-5); /* 15 % head */
        }
    }
    const reel_draw_points *scaled = find_points(s, 5);
    if (CHECK(scaled != NULL)) {
        float w[3];
        point_at(scaled, 0, w);
        CHECK_NEAR(w[0], 3, 1e-6), CHECK_NEAR(w[1], 1, 1e-6);
    }
    /* After the Clear the box is gone; the others stay. */
    f.in.time = 6;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    s = views_scene(&f, out.scene);
    for (uint32_t i = 0; s && i < s->n_lines; i++)
        CHECK((s->lines[i].pick >> 8) != 1);
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(camera_controls_and_hover)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float xyz[2][3] = {{0, 0, 0}, {1, 1, 1}};
    reel_log(r.rec, "pts", &(reel_points3d){.positions = reel_batch_values(xyz, 2)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/pts");
    reel_view_spatial3d_state st = {0};
    reel_view_output out;
    ui_driver *d = &f.driver;
    driver_move(d, 400, 300);
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    float before[3];
    memcpy(before, st.eye_position, sizeof before);
    /* Hover: last frame's pick names entity 0, instance 1. */
    f.in.pick =
        (reel_draw_pick){.hit = true, .scene = out.scene, .pick = (1u << 8) | 1, .instance = 1};
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    CHECK(out.hovered);
    CHECK_EQ_STR(out.hover.entity_path, "/pts");
    CHECK_EQ_INT(out.hover.instance, 1);
    f.in.pick.hit = false;
    /* Left drag rotates around the target: the eye moves, the distance stays. */
    driver_press(d, REEL_MOUSE_LEFT);
    views_frame_begin(&f);
    reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
    views_frame_end(&f);
    driver_move(d, 450, 300);
    views_frame_begin(&f);
    reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
    views_frame_end(&f);
    driver_release(d, REEL_MOUSE_LEFT);
    views_frame_begin(&f);
    reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
    views_frame_end(&f);
    CHECK(st.eye_set);
    float moved = fabsf(st.eye_position[0] - before[0]) + fabsf(st.eye_position[1] - before[1]);
    CHECK(moved > 1e-3);
    float d0[3], d1[3];
    for (int k = 0; k < 3; k++)
        d0[k] = before[k] - st.eye_target[k], d1[k] = st.eye_position[k] - st.eye_target[k];
    CHECK_NEAR(sqrtf(d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2]),
               sqrtf(d1[0] * d1[0] + d1[1] * d1[1] + d1[2] * d1[2]), 1e-3);
    /* Wheel zooms in. */
    float r0 = sqrtf(d1[0] * d1[0] + d1[1] * d1[1] + d1[2] * d1[2]);
    d->in.wheel_y = 1;
    views_frame_begin(&f);
    reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
    views_frame_end(&f);
    for (int k = 0; k < 3; k++)
        d1[k] = st.eye_position[k] - st.eye_target[k];
    CHECK_NEAR(sqrtf(d1[0] * d1[0] + d1[1] * d1[1] + d1[2] * d1[2]), r0 / expf(0.25f), 1e-3);
    /* Double-click on the background resets to the default eye. */
    for (int i = 0; i < 2; i++) {
        driver_press(d, REEL_MOUSE_LEFT);
        views_frame_begin(&f);
        reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
        views_frame_end(&f);
        driver_release(d, REEL_MOUSE_LEFT);
        views_frame_begin(&f);
        reel_view_spatial3d_draw(&f.in, &st, &out, NULL);
        views_frame_end(&f);
    }
    CHECK(!st.eye_set);
    CHECK_NEAR(st.eye_position[0], before[0], 1e-5);
    CHECK_NEAR(st.eye_position[1], before[1], 1e-5);
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(view_coordinates_poses_and_axes)
{
    views_rec r;
    views_rec_begin(&r);
    uint8_t y_up[3] = {REEL_ViewDir_Right, REEL_ViewDir_Up, REEL_ViewDir_Back}; /* RUB */
    reel_log_static(r.rec, "world", &(reel_view_coordinates){.xyz = reel_batch_values(y_up, 1)});
    reel_set_time_sequence(r.rec, "frame", 0);
    float xyz[1][3] = {{0, 0, 0}};
    float poses[2][3] = {{1, 0, 0}, {0, 0, 7}};
    reel_log(r.rec, "world/p", &(reel_points3d){.positions = reel_batch_values(xyz, 1)});
    reel_log(r.rec, "world/p",
             &(reel_instance_poses3d){.translations = reel_batch_values(poses, 2)});
    float len = 2;
    reel_log(r.rec, "world/axes",
             &(reel_transform_axes3d){.axis_length = reel_batch_values(&len, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    f.in.origin = "/world";
    views_frame_add(&f, "/world/p");
    views_frame_add(&f, "/world/axes");
    reel_view_spatial3d_state st = {.hide_grid = true};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    /* Y up: the eye's up is +Y. */
    CHECK_NEAR(st.eye_up[0], 0, 1e-6);
    CHECK_NEAR(st.eye_up[1], 1, 1e-6);
    CHECK_NEAR(st.eye_up[2], 0, 1e-6);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    int batches = 0;
    for (uint32_t i = 0; s && i < s->n_points; i++) {
        float w[3];
        point_at(&s->points[i], 0, w);
        CHECK((w[0] == 1 && w[2] == 0) || (w[0] == 0 && w[2] == 7));
        batches++;
    }
    CHECK_EQ_INT(batches, 2); /* one batch per instance pose */
    const reel_draw_lines *axes = NULL;
    for (uint32_t i = 0; s && i < s->n_lines; i++)
        if ((s->lines[i].pick >> 8) == 2)
            axes = &s->lines[i];
    if (CHECK(axes != NULL)) {
        CHECK_EQ_INT(axes->n_strips, 3);
        CHECK_NEAR(axes->positions[3], 2, 0);
        CHECK_EQ_U64(axes->colors[0], REEL_RGBA(0xff, 0x69, 0x81, 255));
    }
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(depth_image_under_pinhole_is_a_point_cloud)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float k[9] = {2, 0, 0, 0, 2, 0, 1, 1, 1};
    float res[2] = {2, 2};
    reel_log(r.rec, "cam",
             &(reel_pinhole){.image_from_camera = reel_batch_values(k, 1),
                             .resolution = reel_batch_values(res, 1)});
    uint16_t depth[4] = {1000, 2000, 0, 4000};
    reel_image_format fmt = {2, 2, 0, 0, REEL_ChannelDatatype_U16};
    reel_log(r.rec, "cam/depth",
             &(reel_depth_image){.buffer = reel_batch_bytes(depth, sizeof depth),
                                 .format = reel_batch_values(&fmt, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/cam");
    views_frame_add(&f, "/cam/depth");
    reel_view_spatial3d_state st = {.hide_grid = true};
    reel_view_output out;
    views_frame_begin(&f);
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    const reel_draw_points *p = find_points(s, 1);
    if (CHECK(p != NULL) && CHECK_EQ_INT(p->count, 3)) {
        /* Pixel centres back-projected at value / 1000 (the u16 default meter). */
        const float want[3][3] = {{-0.25f, -0.25f, 1}, {0.5f, -0.5f, 2}, {1, 1, 4}};
        for (int i = 0; i < 3; i++) {
            float w[3];
            point_at(p, (uint32_t)i, w);
            for (int c = 0; c < 3; c++)
                CHECK_NEAR(w[c], want[i][c], 1e-5);
        }
        CHECK_NEAR(p->radii[2], 4.0f / 2.0f, 1e-6); /* one pixel footprint at 4 m */
        CHECK_EQ_U64(p->colors[2], reel_view_colormap(REEL_Colormap_Turbo, 1));
        CHECK_EQ_U64(p->colors[0], reel_view_colormap(REEL_Colormap_Turbo, 0.25f));
    }
    CHECK_EQ_INT(s ? s->n_quads : 1, 0); /* no quad for the depth image */
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(highlights_and_labels)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float xyz[3][3] = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
    const char *label = "hello";
    reel_log(r.rec, "a",
             &(reel_points3d){.positions = reel_batch_values(xyz, 3),
                              .labels = reel_batch_string(&label)});
    reel_log(r.rec, "b", &(reel_points3d){.positions = reel_batch_values(xyz, 3)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/a");
    views_frame_add(&f, "/b");
    f.in.hovered = (reel_view_item){"/a", -1};
    f.in.selected = (reel_view_item){"/b", -1};
    reel_view_spatial3d_state st = {.hide_grid = true};
    reel_view_output out;
    views_frame_begin(&f);
    uint32_t before = reel_ui_draw_list(f.driver.ui)->n_vertices;
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    uint32_t with_label = reel_ui_draw_list(f.driver.ui)->n_vertices - before;
    views_frame_end(&f);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    CHECK_EQ_INT(find_points(s, 0)->highlight, 1);
    CHECK_EQ_INT(find_points(s, 1)->highlight, 2);
    CHECK(with_label > 8); /* the label's background and glyphs */
    f.in.n_entities = 0;
    views_frame_add(&f, "/b");
    views_frame_begin(&f);
    before = reel_ui_draw_list(f.driver.ui)->n_vertices;
    CHECK_OK(reel_view_spatial3d_draw(&f.in, &st, &out, NULL));
    CHECK_EQ_INT(reel_ui_draw_list(f.driver.ui)->n_vertices - before, 0);
    views_frame_end(&f);
    reel_view_spatial3d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

int main(void)
{
    RUN(highlights_and_labels);
    RUN(depth_image_under_pinhole_is_a_point_cloud);
    RUN(view_coordinates_poses_and_axes);
    RUN(points_follow_the_transform_hierarchy);
    RUN(radii_colors_and_class_colors);
    RUN(auto_colors_follow_rerun_scheme);
    RUN(default_eye_frames_the_bounds);
    RUN(pinhole_frustum_and_image_plane);
    RUN(boxes_meshes_arrows_and_clears);
    RUN(camera_controls_and_hover);
    TEST_MAIN_END();
}
