/* A tour of Rerun's core archetypes from C: one small, recognisable scene per archetype
 * (spatial 3D and 2D primitives, images, a camera, a mesh, plots, text, graphs, maps,
 * tensors), every field written the way reel.h takes it. Each entity path says what it is.
 *
 *     cc archetype_tour.c $(pkg-config --cflags --libs reel) -lm -o archetype_tour
 *     ./archetype_tour tour.rrd
 *
 * Not shown: AnnotationContext (nested class descriptions: log it with reel_log_components
 * and an Arrow array), AssetVideo and VideoFrameReference (they need an MP4 file). */
#include <math.h>

#include "example_common.h"

/* A 4 × 4 RGB PNG (a gradient), for EncodedImage. */
static const uint8_t PNG_4X4[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00,
    0x00, 0x26, 0x93, 0x09, 0x29, 0x00, 0x00, 0x00, 0x18, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x64, 0x60, 0x38, 0x11, 0xc0, 0xc0, 0x00, 0x41, 0x2c, 0x0c, 0x01, 0x0c,
    0x70, 0x80, 0x9b, 0x03, 0x00, 0x68, 0x98, 0x02, 0xb6, 0xd5, 0xd5, 0x8e, 0x04, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* A tetrahedron as a Wavefront OBJ, for Asset3D. */
static const char TETRAHEDRON_OBJ[] = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n"
                                      "f 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n";

typedef struct axis_angle {
    float axis[3];
    float angle; /* radians */
} axis_angle;

static void spatial_3d(reel_recording *rec)
{
    /* ViewCoordinates: three directions (Up, Down, Right, Left, Forward, Back = 1..6). */
    uint8_t rfu[3] = {3, 5, 1}; /* X=Right, Y=Forward, Z=Up */
    reel_log_static(rec, "world", &(reel_view_coordinates){.xyz = reel_batch_values(rfu, 1)});

    float points[5][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};
    uint32_t colors[5] = {0xFFFFFFFF, 0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0xFFFF00FF};
    const char *labels[5] = {"origin", "x", "y", "z", "corner"};
    float radius = 0.05f;
    reel_log(rec, "world/points3d",
             &(reel_points3d){.positions = reel_batch_values(points, 5),
                              .colors = reel_batch_values(colors, 5),
                              .radii = reel_batch_values(&radius, 1),
                              .labels = reel_batch_strings(labels, 5)});

    float vectors[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    reel_log(rec, "world/arrows3d",
             &(reel_arrows3d){.vectors = reel_batch_values(vectors, 3),
                              .colors = reel_batch_values(colors + 1, 3)});

    float half[3] = {0.5f, 0.25f, 0.125f}, center[3] = {2, 0, 0};
    axis_angle turn = {{0, 0, 1}, 0.5f};
    reel_log(rec, "world/boxes3d",
             &(reel_boxes3d){.half_sizes = reel_batch_values(half, 1),
                             .centers = reel_batch_values(center, 1),
                             .rotation_axis_angles = reel_batch_values(&turn, 1)});

    float ellipsoid_center[3] = {-2, 0, 0};
    reel_log(rec, "world/ellipsoids3d",
             &(reel_ellipsoids3d){.half_sizes = reel_batch_values(half, 1),
                                  .centers = reel_batch_values(ellipsoid_center, 1)});

    float length = 1.0f, capsule_radius = 0.2f, capsule_at[3] = {0, 2, 0},
          cylinder_at[3] = {0, -2, 0};
    reel_log(rec, "world/capsules3d",
             &(reel_capsules3d){.lengths = reel_batch_values(&length, 1),
                                .radii = reel_batch_values(&capsule_radius, 1),
                                .translations = reel_batch_values(capsule_at, 1)});
    reel_log(rec, "world/cylinders3d",
             &(reel_cylinders3d){.lengths = reel_batch_values(&length, 1),
                                 .radii = reel_batch_values(&capsule_radius, 1),
                                 .centers = reel_batch_values(cylinder_at, 1)});

    /* Two line strips of 3 and 2 points. */
    float strip_points[5][3] = {{0, 0, 2}, {1, 0, 2}, {1, 1, 2}, {0, 0, 3}, {1, 1, 3}};
    uint32_t strip_lengths[2] = {3, 2};
    reel_log(rec, "world/line_strips3d",
             &(reel_line_strips3d){.strips = reel_batch_lists(strip_points, strip_lengths, 2)});

    float vertices[4][3] = {{3, 3, 0}, {4, 3, 0}, {3, 4, 0}, {3, 3, 1}};
    uint32_t triangles[4][3] = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
    uint32_t vertex_colors[4] = {0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0xFFFFFFFF};
    reel_log(rec, "world/mesh3d",
             &(reel_mesh3d){.vertex_positions = reel_batch_values(vertices, 4),
                            .triangle_indices = reel_batch_values(triangles, 4),
                            .vertex_colors = reel_batch_values(vertex_colors, 4)});

    reel_log(rec, "world/asset3d",
             &(reel_asset3d){.blob = reel_batch_bytes(TETRAHEDRON_OBJ, sizeof TETRAHEDRON_OBJ - 1),
                             .media_type = reel_batch_string(&(const char *){"model/obj"})});

    /* A moving frame and a camera looking at the scene. */
    float translation[3] = {0, 0, 5};
    reel_log(rec, "world/camera",
             &(reel_transform3d){.translation = reel_batch_values(translation, 1)});
    /* Column-major 3 × 3 intrinsics: fx = fy = 100, principal point (64, 48). */
    float intrinsics[9] = {100, 0, 0, 0, 100, 0, 64, 48, 1};
    float resolution[2] = {128, 96};
    reel_log(rec, "world/camera/image",
             &(reel_pinhole){.image_from_camera = reel_batch_values(intrinsics, 1),
                             .resolution = reel_batch_values(resolution, 1)});

    float offsets[2][3] = {{0, 0, 0}, {0, 0, 0.5f}};
    reel_log(rec, "world/mesh3d",
             &(reel_instance_poses3d){.translations = reel_batch_values(offsets, 2)});
}

static void spatial_2d(reel_recording *rec)
{
    float points[3][2] = {{10, 10}, {50, 20}, {30, 60}};
    reel_log(rec, "world/camera/image/points2d",
             &(reel_points2d){.positions = reel_batch_values(points, 3)});
    float half[2] = {8, 6}, center[2] = {64, 48};
    reel_log(rec, "world/camera/image/boxes2d",
             &(reel_boxes2d){.half_sizes = reel_batch_values(half, 1),
                             .centers = reel_batch_values(center, 1)});
    float vectors[2][2] = {{20, 0}, {0, 20}}, origins[2][2] = {{64, 48}, {64, 48}};
    reel_log(rec, "world/camera/image/arrows2d",
             &(reel_arrows2d){.vectors = reel_batch_values(vectors, 2),
                              .origins = reel_batch_values(origins, 2)});
    float strip[4][2] = {{0, 0}, {127, 0}, {127, 95}, {0, 95}};
    uint32_t strip_length = 4;
    reel_log(rec, "world/camera/image/line_strips2d",
             &(reel_line_strips2d){.strips = reel_batch_lists(strip, &strip_length, 1)});

    /* A 128 × 96 RGB image, its segmentation (two classes) and depth. */
    enum { W = 128, H = 96 };
    static uint8_t rgb[H][W][3], classes[H][W];
    static float depth[H][W];
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            rgb[y][x][0] = (uint8_t)(x * 2);
            rgb[y][x][1] = (uint8_t)(y * 2);
            rgb[y][x][2] = 128;
            classes[y][x] = (uint8_t)(x < W / 2 ? 1 : 2);
            depth[y][x] = 1.0f + (float)x / W;
        }
    }
    reel_image_format rgb_format = {.width = W,
                                    .height = H,
                                    .color_model = REEL_ColorModel_RGB,
                                    .channel_datatype = REEL_ChannelDatatype_U8};
    reel_image_format u8_format = {
        .width = W, .height = H, .channel_datatype = REEL_ChannelDatatype_U8};
    reel_image_format f32_format = {
        .width = W, .height = H, .channel_datatype = REEL_ChannelDatatype_F32};
    reel_log(rec, "world/camera/image",
             &(reel_image){.buffer = reel_batch_bytes(rgb, sizeof rgb),
                           .format = reel_batch_values(&rgb_format, 1)});
    reel_log(rec, "world/camera/image/segmentation",
             &(reel_segmentation_image){.buffer = reel_batch_bytes(classes, sizeof classes),
                                        .format = reel_batch_values(&u8_format, 1)});
    reel_log(rec, "world/camera/image/depth",
             &(reel_depth_image){.buffer = reel_batch_bytes(depth, sizeof depth),
                                 .format = reel_batch_values(&f32_format, 1)});
    reel_log(rec, "encoded_image",
             &(reel_encoded_image){.blob = reel_batch_bytes(PNG_4X4, sizeof PNG_4X4),
                                   .media_type = reel_batch_string(&(const char *){"image/png"})});
}

static void plots_and_text(reel_recording *rec)
{
    const char *name = "sine";
    reel_log_static(rec, "plots/sine", &(reel_series_lines){.names = reel_batch_string(&name)});
    reel_log_static(rec, "plots/samples",
                    &(reel_series_points){.names = reel_batch_string(&(const char *){"samples"})});
    for (int step = 0; step < 100; step++) {
        reel_set_time_sequence(rec, "step", step);
        double value = sin(step * 0.1), sample = cos(step * 0.1);
        reel_log(rec, "plots/sine", &(reel_scalars){.scalars = reel_batch_values(&value, 1)});
        if (step % 10 == 0)
            reel_log(rec, "plots/samples",
                     &(reel_scalars){.scalars = reel_batch_values(&sample, 1)});
        if (step % 25 == 0) {
            const char *text = step == 0 ? "started" : "still running";
            const char *level = step == 0 ? "INFO" : "DEBUG";
            reel_log(rec, "log",
                     &(reel_text_log){.text = reel_batch_string(&text),
                                      .level = reel_batch_string(&level)});
        }
    }
    reel_reset_time(rec);

    float bars[5] = {1, 3, 2, 5, 4};
    uint64_t bar_shape[1] = {5};
    reel_tensor_view bar_values = {
        .shape = bar_shape, .ndim = 1, .type = REEL_TENSOR_F32, .data = bars};
    reel_log(rec, "bar_chart", &(reel_bar_chart){.values = reel_batch_tensor(&bar_values)});

    static uint8_t cube[4][5][6];
    for (int i = 0; i < 4 * 5 * 6; i++)
        ((uint8_t *)cube)[i] = (uint8_t)i;
    uint64_t shape[3] = {4, 5, 6};
    const char *dims[3] = {"depth", "height", "width"};
    reel_tensor_view tensor = {
        .shape = shape, .ndim = 3, .names = dims, .type = REEL_TENSOR_U8, .data = cube};
    reel_log(rec, "tensor", &(reel_tensor){.data = reel_batch_tensor(&tensor)});

    const char *markdown = "# Archetype tour\nLogged from **C** with `reel.h`.";
    reel_log(
        rec, "readme",
        &(reel_text_document){.text = reel_batch_string(&markdown),
                              .media_type = reel_batch_string(&(const char *){"text/markdown"})});
}

static void graphs_and_maps(reel_recording *rec)
{
    const char *nodes[3] = {"a", "b", "c"};
    float node_positions[3][2] = {{0, 0}, {100, 0}, {50, 80}};
    reel_log(rec, "graph",
             &(reel_graph_nodes){.node_ids = reel_batch_strings(nodes, 3),
                                 .positions = reel_batch_values(node_positions, 3),
                                 .labels = reel_batch_strings(nodes, 3)});
    const char *edges[6] = {"a", "b", "b", "c", "c", "a"}; /* three (from, to) pairs */
    reel_log(rec, "graph", &(reel_graph_edges){.edges = reel_batch_strings(edges, 3)});

    double cities[2][2] = {{59.3293, 18.0686}, {48.8566, 2.3522}}; /* Stockholm, Paris */
    reel_log(rec, "map/cities", &(reel_geo_points){.positions = reel_batch_values(cities, 2)});
    uint32_t route_length = 2;
    reel_log(rec, "map/route",
             &(reel_geo_line_strings){.line_strings = reel_batch_lists(cities, &route_length, 1)});
}

int main(int argc, char **argv)
{
    reel_recording *rec = example_start("reel_example_archetype_tour", argc, argv);
    if (rec == NULL)
        return 1;
    reel_send_recording_name(rec, "Archetype tour", NULL);
    reel_set_time_sequence(rec, "step", 0);
    spatial_3d(rec);
    spatial_2d(rec);
    graphs_and_maps(rec);
    plots_and_text(rec);
    /* Clear one entity at the end of the plot: recursive Clears empty a whole subtree. */
    reel_set_time_sequence(rec, "step", 100);
    reel_log_clear(rec, "world/arrows3d", false, NULL);
    return example_finish(rec);
}
