/* The Spatial 2D view: image quads and their texture bytes (RGB to RGBA, BGR, RGBA zero-copy,
 * u16 normalised, depth through Turbo, segmentation through annotation and class colours,
 * PNG decoded), stable texture keys, draw order as depth and quad order, visual bounds with
 * letterboxing, pan/zoom/reset, 2D primitives, and hover with pixel values. */
#include "views_testing.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#endif
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "arrow/arrow.h"
#include "types/types.h"

static reel_view_output draw(views_frame *f, reel_view_spatial2d_state *st)
{
    reel_view_output out;
    views_frame_begin(f);
    CHECK_OK(reel_view_spatial2d_draw(&f->in, st, &out, NULL));
    views_frame_end(f);
    return out;
}

static const reel_draw_texture *texture_of(views_frame *f, const reel_draw_quad *q)
{
    return q->texture < f->textures.len ? &((const reel_draw_texture *)f->textures.data)[q->texture]
                                        : NULL;
}

TEST(color_images_become_rgba_textures)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    uint8_t rgb[2 * 2 * 3] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
    reel_image_format fmt = {2, 2, 0, REEL_ColorModel_RGB, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "rgb",
             &(reel_image){.buffer = reel_batch_bytes(rgb, sizeof rgb),
                           .format = reel_batch_values(&fmt, 1)});
    reel_image_format bgr_fmt = {2, 2, 0, REEL_ColorModel_BGR, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "bgr",
             &(reel_image){.buffer = reel_batch_bytes(rgb, sizeof rgb),
                           .format = reel_batch_values(&bgr_fmt, 1)});
    uint8_t rgba[4] = {1, 2, 3, 4};
    reel_image_format rgba_fmt = {1, 1, 0, REEL_ColorModel_RGBA, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "rgba",
             &(reel_image){.buffer = reel_batch_bytes(rgba, sizeof rgba),
                           .format = reel_batch_values(&rgba_fmt, 1)});
    uint16_t grey16[2] = {0, 1000};
    reel_image_format g16 = {2, 1, 0, REEL_ColorModel_L, REEL_ChannelDatatype_U16};
    reel_log(r.rec, "g16",
             &(reel_image){.buffer = reel_batch_bytes(grey16, sizeof grey16),
                           .format = reel_batch_values(&g16, 1)});
    reel_set_time_sequence(r.rec, "frame", 10);
    rgb[0] = 7;
    reel_log(r.rec, "rgb",
             &(reel_image){.buffer = reel_batch_bytes(rgb, sizeof rgb),
                           .format = reel_batch_values(&fmt, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/rgb");
    views_frame_add(&f, "/bgr");
    views_frame_add(&f, "/rgba");
    views_frame_add(&f, "/g16");
    reel_view_spatial2d_state st = {0};
    reel_view_output out = draw(&f, &st);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    if (!CHECK(s != NULL) || !CHECK_EQ_INT(s->n_quads, 4))
        return;
    CHECK(s->camera.orthographic);
    uint64_t rgb_key = 0;
    for (uint32_t i = 0; i < s->n_quads; i++) {
        const reel_draw_quad *q = &s->quads[i];
        const reel_draw_texture *t = texture_of(&f, q);
        if (!CHECK(t != NULL))
            continue;
        CHECK(t->nearest);
        CHECK(t->key != 0);
        uint32_t entity = (q->pick >> 8) - 1;
        const uint8_t *px = t->pixels;
        if (entity == 0) { /* RGB -> RGBA */
            rgb_key = t->key;
            CHECK_EQ_INT(t->format, REEL_DRAW_RGBA8);
            CHECK_EQ_INT(t->width, 2), CHECK_EQ_INT(t->height, 2);
            const uint8_t want[16] = {255, 0, 0,   255, 0,  255, 0,  255,
                                      0,   0, 255, 255, 10, 20,  30, 255};
            CHECK(memcmp(px, want, 16) == 0);
            CHECK_NEAR(q->corners[2][0], 2, 0), CHECK_NEAR(q->corners[2][1], 2, 0);
        } else if (entity == 1) { /* BGR -> RGBA */
            CHECK_EQ_INT(px[0], 0), CHECK_EQ_INT(px[2], 255), CHECK_EQ_INT(px[12], 30);
        } else if (entity == 2) { /* RGBA u8: the chunk's own bytes */
            CHECK_EQ_INT(t->format, REEL_DRAW_RGBA8);
            CHECK(memcmp(px, rgba, 4) == 0);
        } else if (entity == 3) { /* u16 within 0..65535, not 0..255: min/max normalised */
            CHECK_EQ_INT(px[0], 0), CHECK_EQ_INT(px[4], 255), CHECK_EQ_INT(px[5], 255);
        }
    }
    /* Same data next frame: same key (no re-upload); new data: a new key. */
    out = draw(&f, &st);
    s = views_scene(&f, out.scene);
    CHECK_EQ_U64(texture_of(&f, &s->quads[0])->key, rgb_key);
    f.in.time = 10;
    out = draw(&f, &st);
    s = views_scene(&f, out.scene);
    bool found_new = false;
    for (uint32_t i = 0; i < s->n_quads; i++)
        if ((s->quads[i].pick >> 8) == 1) {
            const reel_draw_texture *t = texture_of(&f, &s->quads[i]);
            found_new = t->key != rgb_key && ((const uint8_t *)t->pixels)[0] == 7;
        }
    CHECK(found_new);
    /* Bounds follow the content: the largest image is 2x2. */
    CHECK(!st.bounds_set);
    CHECK_NEAR(st.bounds_max[0], 2, 1e-5);
    CHECK_NEAR(st.bounds_max[1], 2, 1e-5);
    reel_view_spatial2d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

/* An AnnotationContext with class 1 = "road" in pure green, through the Arrow builder. */
static void log_annotation(reel_recording *rec, const char *path)
{
    const reel_types_component *type =
        reel_types_component_find("rerun.components.AnnotationContext");
    const reel_arrow_field *field = NULL;
    CHECK_OK(reel_types_component_arrow_field(type, &field, NULL));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(field, NULL, &b, NULL));
    reel_arrow_builder *elem = reel_arrow_builder_child(b, 0);
    reel_arrow_builder *class_id = reel_arrow_builder_child(elem, 0);
    reel_arrow_builder *desc = reel_arrow_builder_child(elem, 1);
    reel_arrow_builder *info = reel_arrow_builder_child(desc, 0);
    CHECK_OK(reel_arrow_builder_append_uint(class_id, 1));
    CHECK_OK(reel_arrow_builder_append_uint(reel_arrow_builder_child(info, 0), 1));
    CHECK_OK(reel_arrow_builder_append_bytes(reel_arrow_builder_child(info, 1), "road", 4));
    CHECK_OK(reel_arrow_builder_append_uint(reel_arrow_builder_child(info, 2), 0x00ff00ffu));
    CHECK_OK(reel_arrow_builder_finish_element(info));
    CHECK_OK(reel_arrow_builder_finish_element(reel_arrow_builder_child(desc, 1)));
    CHECK_OK(reel_arrow_builder_finish_element(reel_arrow_builder_child(desc, 2)));
    CHECK_OK(reel_arrow_builder_finish_element(desc));
    CHECK_OK(reel_arrow_builder_finish_element(elem));
    CHECK_OK(reel_arrow_builder_finish_element(b));
    reel_arrow_array array = {0};
    CHECK_OK(reel_arrow_builder_finish(b, &array, NULL));
    reel_arrow_builder_destroy(b);
    reel_component c = {.archetype = "rerun.archetypes.AnnotationContext",
                        .component = "AnnotationContext:context",
                        .component_type = "rerun.components.AnnotationContext",
                        .values = reel_batch_arrow(&array)};
    c.values.aux = field;
    CHECK_OK(reel_log_components(rec, path, &c, 1, REEL_LOG_STATIC, NULL));
    reel_arrow_array_reset(&array);
}

TEST(depth_and_segmentation_colouring)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    uint16_t depth[4] = {0, 500, 1000, 2000};
    reel_image_format dfmt = {4, 1, 0, 0, REEL_ChannelDatatype_U16};
    reel_log(r.rec, "scene/depth",
             &(reel_depth_image){.buffer = reel_batch_bytes(depth, sizeof depth),
                                 .format = reel_batch_values(&dfmt, 1)});
    log_annotation(r.rec, "scene");
    uint8_t seg[3] = {1, 2, 0};
    reel_image_format sfmt = {3, 1, 0, 0, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "scene/seg",
             &(reel_segmentation_image){.buffer = reel_batch_bytes(seg, sizeof seg),
                                        .format = reel_batch_values(&sfmt, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/scene/depth");
    views_frame_add(&f, "/scene/seg");
    reel_view_spatial2d_state st = {0};
    reel_view_output out = draw(&f, &st);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    if (!CHECK(s && s->n_quads == 2))
        return;
    /* Quads in draw order: depth (-20) under segmentation (0). */
    CHECK_EQ_INT(s->quads[0].pick >> 8, 1);
    CHECK_EQ_INT(s->quads[1].pick >> 8, 2);
    CHECK(s->quads[0].corners[0][2] < s->quads[1].corners[0][2]);
    const uint8_t *dp = texture_of(&f, &s->quads[0])->pixels;
    uint8_t c0[4], c1[4];
    rgba_bytes(reel_view_colormap(REEL_Colormap_Turbo, 0), c0);
    rgba_bytes(reel_view_colormap(REEL_Colormap_Turbo, 1), c1);
    CHECK(memcmp(dp, c0, 4) == 0);      /* 0 -> the start of Turbo */
    CHECK(memcmp(dp + 12, c1, 4) == 0); /* the max -> its end */
    CHECK_EQ_INT(c0[0], 35), CHECK_EQ_INT(c0[1], 23), CHECK_EQ_INT(c0[2], 27);
    /* Segmentation: class 1 from the ancestor's context, 2 and 0 auto class colours;
     * opacity 0.5 over a depth image. */
    const uint8_t *sp = texture_of(&f, &s->quads[1])->pixels;
    CHECK_EQ_INT(sp[0], 0), CHECK_EQ_INT(sp[1], 255), CHECK_EQ_INT(sp[2], 0);
    uint8_t c2[4], z[4];
    rgba_bytes(reel_view_auto_color_index(2), c2);
    rgba_bytes(reel_view_auto_color_index(0), z);
    CHECK(memcmp(sp + 4, c2, 4) == 0);
    CHECK(memcmp(sp + 8, z, 4) == 0);
    CHECK_EQ_INT(s->quads[1].tint >> 24, 128);
    CHECK_EQ_INT(s->quads[0].tint >> 24, 255);
    /* Hover over the depth image's last pixel: 2000 mm = 2 m (the segmentation image is
     * 3 wide, so pixel 3 is only depth). */
    reel_ui_rect rc = f.in.rect;
    float scale = (rc.x1 - rc.x0) / 4.0f; /* bounds 4 x 1, letterboxed vertically */
    float cy = (rc.y0 + rc.y1) * 0.5f;
    driver_move(&f.driver, rc.x0 + 3.5f * scale, cy);
    out = draw(&f, &st);
    CHECK(out.hover_pixel);
    CHECK_EQ_STR(out.hover.entity_path, "/scene/depth");
    CHECK_EQ_INT(out.pixel_x, 3);
    CHECK_EQ_INT(out.pixel_y, 0);
    CHECK_NEAR(out.pixel_value[0], 2.0, 1e-9);
    reel_view_spatial2d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

typedef struct png_buf {
    uint8_t data[4096];
    size_t len;
} png_buf;

static void png_write(void *ctx, void *data, int size)
{
    png_buf *b = ctx;
    if (b->len + (size_t)size <= sizeof b->data) {
        memcpy(b->data + b->len, data, (size_t)size);
        b->len += (size_t)size;
    }
}

TEST(encoded_png_primitives_and_draw_order)
{
    uint8_t pixels[2 * 2 * 3] = {9, 8, 7, 1, 2, 3, 4, 5, 6, 200, 100, 50};
    png_buf png = {.len = 0};
    CHECK(stbi_write_png_to_func(png_write, &png, 2, 2, 3, pixels, 6) != 0);
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    const char *media = "image/png";
    reel_log(r.rec, "png",
             &(reel_encoded_image){.blob = reel_batch_bytes(png.data, png.len),
                                   .media_type = reel_batch_string(&media)});
    float pts[2][2] = {{0.5f, 0.5f}, {1.5f, 1.5f}};
    reel_log(r.rec, "pts", &(reel_points2d){.positions = reel_batch_values(pts, 2)});
    float half[2] = {0.5f, 0.5f}, center[2] = {1, 1};
    reel_log(r.rec, "box",
             &(reel_boxes2d){.half_sizes = reel_batch_values(half, 1),
                             .centers = reel_batch_values(center, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/png");
    views_frame_add(&f, "/pts");
    views_frame_add(&f, "/box");
    reel_view_spatial2d_state st = {0};
    reel_view_output out = draw(&f, &st);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    if (!CHECK(s && s->n_quads == 1 && s->n_points == 1 && s->n_lines == 1))
        return;
    const reel_draw_texture *t = texture_of(&f, &s->quads[0]);
    const uint8_t *px = t->pixels;
    CHECK_EQ_INT(t->width, 2);
    CHECK_EQ_INT(px[0], 9), CHECK_EQ_INT(px[1], 8), CHECK_EQ_INT(px[2], 7),
        CHECK_EQ_INT(px[3], 255);
    CHECK_EQ_INT(px[12], 200);
    /* Draw order as depth: image -10 < box 10 < points 20. */
    float zi = s->quads[0].corners[0][2], zb = s->lines[0].positions[2],
          zp = s->points[0].positions[2];
    CHECK(zi < zb && zb < zp);
    /* Higher z is nearer in the orthographic projection (GL depth: smaller = nearer). */
    const float *m = s->camera.projection;
    CHECK((m[10] * zp + m[14]) < (m[10] * zi + m[14]));
    CHECK_EQ_INT(s->lines[0].n_strips, 1);
    CHECK_EQ_INT(s->lines[0].strip_offsets[1], 5); /* closed rectangle */
    CHECK_NEAR(s->lines[0].positions[0], 0.5, 1e-6);
    CHECK_NEAR(s->points[0].radii[0], -1.5, 1e-6);
    reel_view_spatial2d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(visual_bounds_pan_zoom_and_reset)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    uint8_t grey[64 * 48];
    memset(grey, 128, sizeof grey);
    reel_image_format fmt = {64, 48, 0, REEL_ColorModel_L, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "img",
             &(reel_image){.buffer = reel_batch_bytes(grey, sizeof grey),
                           .format = reel_batch_values(&fmt, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/img");
    f.in.rect = (reel_ui_rect){0, 0, 640, 640}; /* square: the 4:3 image is letterboxed */
    reel_view_spatial2d_state st = {0};
    ui_driver *d = &f.driver;
    driver_move(d, 320, 320);
    reel_view_output out = draw(&f, &st);
    const reel_draw_scene *s = views_scene(&f, out.scene);
    /* L8: zero-copy as R8. Fitted: x 0..64 exactly, y centred with 8 units above and below. */
    CHECK_EQ_INT(texture_of(&f, &s->quads[0])->format, REEL_DRAW_R8);
    const float *p = s->camera.projection;
    CHECK_NEAR(p[0] * 0 + p[12], -1, 1e-5);
    CHECK_NEAR(p[0] * 64 + p[12], 1, 1e-5);
    CHECK_NEAR(p[5] * -8 + p[13], 1, 1e-5); /* y down: the top edge is y = -8 */
    CHECK_NEAR(p[5] * 56 + p[13], -1, 1e-5);
    /* Drag left by 100 px = 10 units: the bounds move right. */
    driver_press(d, REEL_MOUSE_LEFT);
    draw(&f, &st);
    driver_move(d, 220, 320);
    draw(&f, &st);
    driver_release(d, REEL_MOUSE_LEFT);
    out = draw(&f, &st);
    CHECK(st.bounds_set);
    CHECK_NEAR(st.bounds_min[0], 10, 1e-4);
    CHECK_NEAR(st.bounds_max[0], 74, 1e-4);
    /* Ctrl + wheel zooms in about the pointer. */
    d->in.modifiers = REEL_MOD_CTRL;
    d->in.wheel_y = 1;
    out = draw(&f, &st);
    d->in.modifiers = 0;
    CHECK(st.bounds_max[0] - st.bounds_min[0] < 64);
    /* Double-click resets to the fallback. */
    for (int i = 0; i < 2; i++) {
        driver_press(d, REEL_MOUSE_LEFT);
        draw(&f, &st);
        driver_release(d, REEL_MOUSE_LEFT);
        draw(&f, &st);
    }
    CHECK(!st.bounds_set);
    CHECK_NEAR(st.bounds_min[0], 0, 1e-6);
    CHECK_NEAR(st.bounds_max[0], 64, 1e-6);
    reel_view_spatial2d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(pinhole_origin_bounds_and_point_hover)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 0);
    float k[9] = {100, 0, 0, 0, 100, 0, 160, 120, 1};
    float res[2] = {320, 240};
    reel_log(r.rec, "cam",
             &(reel_pinhole){.image_from_camera = reel_batch_values(k, 1),
                             .resolution = reel_batch_values(res, 1)});
    uint8_t grey[4] = {1, 2, 3, 4};
    reel_image_format fmt = {2, 2, 0, REEL_ColorModel_L, REEL_ChannelDatatype_U8};
    reel_log(r.rec, "cam/img",
             &(reel_image){.buffer = reel_batch_bytes(grey, sizeof grey),
                           .format = reel_batch_values(&fmt, 1)});
    float pts[1][2] = {{1, 1}};
    reel_log(r.rec, "cam/pts", &(reel_points2d){.positions = reel_batch_values(pts, 1)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    f.in.origin = "/cam";
    views_frame_add(&f, "/cam/img");
    views_frame_add(&f, "/cam/pts");
    reel_view_spatial2d_state st = {0};
    reel_view_output out = draw(&f, &st);
    /* The origin camera's resolution is the default visual bounds. */
    CHECK_NEAR(st.bounds_max[0], 320, 0);
    CHECK_NEAR(st.bounds_max[1], 240, 0);
    /* A pick on the point wins over the image under it. */
    reel_ui_rect rc = f.in.rect; /* 640 x 480: 2 px per unit */
    driver_move(&f.driver, rc.x0 + 2.0f, rc.y0 + 2.0f);
    f.in.pick = (reel_draw_pick){.hit = true, .scene = out.scene, .pick = (2u << 8) | 1};
    out = draw(&f, &st);
    CHECK(out.hovered);
    CHECK_EQ_STR(out.hover.entity_path, "/cam/pts");
    CHECK_EQ_INT(out.hover.instance, 0);
    CHECK(!out.hover_pixel);
    /* Without it, the image pixel under the pointer. */
    f.in.pick.hit = false;
    out = draw(&f, &st);
    CHECK(out.hover_pixel);
    CHECK_EQ_STR(out.hover.entity_path, "/cam/img");
    CHECK_EQ_INT(out.pixel_x, 1), CHECK_EQ_INT(out.pixel_y, 1);
    CHECK_NEAR(out.pixel_value[0], 4, 0);
    reel_view_spatial2d_state_free(&st);
    views_frame_free(&f);
    reel_store_destroy(store);
}

int main(void)
{
    RUN(pinhole_origin_bounds_and_point_hover);
    RUN(color_images_become_rgba_textures);
    RUN(depth_and_segmentation_colouring);
    RUN(encoded_png_primitives_and_draw_order);
    RUN(visual_bounds_pan_zoom_and_reset);
    TEST_MAIN_END();
}
