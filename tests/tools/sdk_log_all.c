/* Logs every core archetype through the public C SDK (reel/reel.h) into an .rrd file, plus
 * static data, clears, send_columns, properties, a user component and four threads logging
 * at once; tests/interop/test_sdk_interop.py checks the file with the real Rerun and against
 * the same recording logged by the real Python SDK (tests/interop/sdk_log_all.py).
 *
 *     sdk_log_all OUT.rrd          exit 0 when every call returned REEL_OK */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h" /* only for AnnotationContext, built as an Arrow array */
#include "reel/reel.h"

static int failures;

#define OK(call)                                                                                   \
    do {                                                                                           \
        reel_error ok_err = {0};                                                                   \
        (void)ok_err;                                                                              \
        if ((call) != REEL_OK) {                                                                   \
            fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #call);                      \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static reel_recording *rec;

static void *thread_main(void *arg)
{
    int index = (int)(intptr_t)arg;
    char path[64];
    snprintf(path, sizeof path, "threads/t%d", index);
    for (int frame = 0; frame < 50; frame++) {
        /* Time is per thread: each thread's frame and its own "thread" sequence. */
        OK(reel_set_time_sequence(rec, "frame", frame));
        OK(reel_set_time_sequence(rec, "thread_step", frame * 10 + index));
        double value = index * 1000.0 + frame;
        OK(reel_log(rec, path, &(reel_scalars){.scalars = reel_batch_values(&value, 1)}));
    }
    return NULL;
}

static reel_status annotation_context(reel_arrow_array *out)
{
    const reel_types_component *component =
        reel_types_component_find("rerun.components.AnnotationContext");
    const reel_arrow_field *field = NULL;
    reel_arrow_builder *b = NULL;
    REEL_TRY(reel_types_component_arrow_field(component, &field, NULL));
    REEL_TRY(reel_arrow_builder_create(field, NULL, &b, NULL));
    reel_arrow_builder *elem = reel_arrow_builder_child(b, 0);
    reel_arrow_builder *desc = reel_arrow_builder_child(elem, 1);
    reel_arrow_builder *info = reel_arrow_builder_child(desc, 0);
    REEL_TRY(reel_arrow_builder_append_uint(reel_arrow_builder_child(elem, 0), 1));
    REEL_TRY(reel_arrow_builder_append_uint(reel_arrow_builder_child(info, 0), 1));
    REEL_TRY(reel_arrow_builder_append_bytes(reel_arrow_builder_child(info, 1), "one", 3));
    REEL_TRY(reel_arrow_builder_append_uint(reel_arrow_builder_child(info, 2), 0xff0000ffu));
    REEL_TRY(reel_arrow_builder_finish_element(info));
    REEL_TRY(reel_arrow_builder_finish_element(reel_arrow_builder_child(desc, 1)));
    REEL_TRY(reel_arrow_builder_finish_element(reel_arrow_builder_child(desc, 2)));
    REEL_TRY(reel_arrow_builder_finish_element(desc));
    REEL_TRY(reel_arrow_builder_finish_element(elem));
    REEL_TRY(reel_arrow_builder_finish_element(b));
    reel_status status = reel_arrow_builder_finish(b, out, NULL);
    reel_arrow_builder_destroy(b);
    return status;
}

static void log_core_archetypes(void)
{
    uint32_t red = 0xff0000ffu, green = 0x00ff00ffu;
    float radius = 0.5f;
    const char *ab[] = {"a", "b"};

    reel_arrow_array context = {0};
    OK(annotation_context(&context));
    OK(reel_log_static(rec, "annotation",
                       &(reel_annotation_context){.context = reel_batch_arrow(&context)}));
    reel_arrow_array_reset(&context);

    float vec2[] = {1, 0, 0, 1}, origin2[] = {0, 0, 1, 1};
    OK(reel_log(rec, "arrows2d",
                &(reel_arrows2d){.vectors = reel_batch_values(vec2, 2),
                                 .origins = reel_batch_values(origin2, 2),
                                 .colors = reel_batch_values(&red, 1),
                                 .labels = reel_batch_strings(ab, 2)}));
    float vec3[] = {1, 0, 0, 0, 1, 0};
    float radius_small = 0.1f;
    OK(reel_log(rec, "arrows3d",
                &(reel_arrows3d){.vectors = reel_batch_values(vec3, 2),
                                 .radii = reel_batch_values(&radius_small, 1)}));
    static const char stl[] = "solid x\nendsolid x\n";
    const char *stl_type = "model/stl";
    OK(reel_log(rec, "asset3d",
                &(reel_asset3d){.blob = reel_batch_bytes(stl, sizeof stl - 1),
                                .media_type = reel_batch_string(&stl_type)}));
    static const uint8_t mp4[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
    const char *mp4_type = "video/mp4";
    OK(reel_log(rec, "asset_video",
                &(reel_asset_video){.blob = reel_batch_bytes(mp4, sizeof mp4),
                                    .media_type = reel_batch_string(&mp4_type)}));
    double bars[] = {1, 2, 3};
    uint64_t bars_shape[] = {3};
    reel_tensor_view bar_tensor = {
        .shape = bars_shape, .ndim = 1, .type = REEL_TENSOR_F64, .data = bars};
    OK(reel_log(rec, "bar_chart",
                &(reel_bar_chart){.values = reel_batch_tensor(&bar_tensor),
                                  .color = reel_batch_values(&green, 1)}));
    float half2[] = {1, 2}, center2[] = {0, 0};
    float draw_order = 1.0f;
    OK(reel_log(rec, "boxes2d",
                &(reel_boxes2d){.half_sizes = reel_batch_values(half2, 1),
                                .centers = reel_batch_values(center2, 1),
                                .draw_order = reel_batch_values(&draw_order, 1)}));
    float half3[] = {1, 1, 1};
    uint8_t solid = REEL_FillMode_Solid;
    OK(reel_log(rec, "boxes3d",
                &(reel_boxes3d){.half_sizes = reel_batch_values(half3, 1),
                                .fill_mode = reel_batch_values(&solid, 1)}));
    float length = 1.0f;
    OK(reel_log(rec, "capsules3d",
                &(reel_capsules3d){.lengths = reel_batch_values(&length, 1),
                                   .radii = reel_batch_values(&radius, 1)}));
    float center3[] = {0, 0, 1};
    OK(reel_log(rec, "cylinders3d",
                &(reel_cylinders3d){.lengths = reel_batch_values(&length, 1),
                                    .radii = reel_batch_values(&radius, 1),
                                    .centers = reel_batch_values(center3, 1)}));
    uint16_t depth[] = {1, 2, 3, 4};
    reel_image_format depth_format = {
        .width = 2, .height = 2, .channel_datatype = REEL_ChannelDatatype_U16};
    float meter = 1000.0f;
    OK(reel_log(rec, "depth",
                &(reel_depth_image){.buffer = reel_batch_bytes(depth, sizeof depth),
                                    .format = reel_batch_values(&depth_format, 1),
                                    .meter = reel_batch_values(&meter, 1)}));
    float ellipsoid[] = {1, 2, 3};
    OK(reel_log(rec, "ellipsoids3d",
                &(reel_ellipsoids3d){.half_sizes = reel_batch_values(ellipsoid, 1)}));
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const char *png_type = "image/png";
    OK(reel_log(rec, "encoded_image",
                &(reel_encoded_image){.blob = reel_batch_bytes(png, sizeof png),
                                      .media_type = reel_batch_string(&png_type)}));
    double geo_line[] = {0, 0, 1, 1};
    uint32_t geo_line_len[] = {2};
    OK(reel_log(
        rec, "geo_lines",
        &(reel_geo_line_strings){.line_strings = reel_batch_lists(geo_line, geo_line_len, 1)}));
    double lat_lon[] = {59.3, 18.1};
    OK(reel_log(rec, "geo_points", &(reel_geo_points){.positions = reel_batch_values(lat_lon, 1)}));
    const char *edge[] = {"a", "b"};
    uint8_t directed = REEL_GraphType_Directed;
    OK(reel_log(rec, "graph",
                &(reel_graph_edges){.edges = reel_batch_strings(edge, 1),
                                    .graph_type = reel_batch_values(&directed, 1)}));
    const char *node_labels[] = {"A", "B"};
    OK(reel_log(rec, "graph",
                &(reel_graph_nodes){.node_ids = reel_batch_strings(ab, 2),
                                    .labels = reel_batch_strings(node_labels, 2)}));
    uint8_t rgb[2 * 3 * 3];
    for (size_t i = 0; i < sizeof rgb; i++)
        rgb[i] = (uint8_t)(i * 10);
    reel_image_format rgb_format = {.width = 3,
                                    .height = 2,
                                    .color_model = REEL_ColorModel_RGB,
                                    .channel_datatype = REEL_ChannelDatatype_U8};
    OK(reel_log(rec, "image",
                &(reel_image){.buffer = reel_batch_bytes(rgb, sizeof rgb),
                              .format = reel_batch_values(&rgb_format, 1)}));
    float translation[] = {1, 2, 3};
    OK(reel_log(rec, "poses",
                &(reel_instance_poses3d){.translations = reel_batch_values(translation, 1)}));
    float strips2[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
    uint32_t strips2_len[] = {2, 3};
    OK(reel_log(rec, "strips2d",
                &(reel_line_strips2d){.strips = reel_batch_lists(strips2, strips2_len, 2)}));
    float strips3[] = {0, 0, 0, 1, 1, 1};
    uint32_t strips3_len[] = {2};
    OK(reel_log(rec, "strips3d",
                &(reel_line_strips3d){.strips = reel_batch_lists(strips3, strips3_len, 1),
                                      .colors = reel_batch_values(&red, 1)}));
    float vertices[] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    uint32_t triangle[] = {0, 1, 2};
    uint32_t vertex_colors[] = {0xff0000ffu, 0x00ff00ffu, 0x0000ffffu};
    OK(reel_log(rec, "mesh",
                &(reel_mesh3d){.vertex_positions = reel_batch_values(vertices, 3),
                               .triangle_indices = reel_batch_values(triangle, 1),
                               .vertex_colors = reel_batch_values(vertex_colors, 3)}));
    /* Column-major 3x3: f = 500, principal point (320, 240). */
    float projection[] = {500, 0, 0, 0, 500, 0, 320, 240, 1};
    float resolution[] = {640, 480};
    OK(reel_log(rec, "camera",
                &(reel_pinhole){.image_from_camera = reel_batch_values(projection, 1),
                                .resolution = reel_batch_values(resolution, 1)}));
    float points2[] = {0, 0, 1, 1};
    uint16_t class_ids[] = {1, 2}, keypoint_ids[] = {3, 4};
    OK(reel_log(rec, "points2d",
                &(reel_points2d){.positions = reel_batch_values(points2, 2),
                                 .radii = reel_batch_values(&radius, 1),
                                 .class_ids = reel_batch_values(class_ids, 2),
                                 .keypoint_ids = reel_batch_values(keypoint_ids, 2)}));
    float points3[] = {0, 0, 0, 1, 1, 1};
    bool show = true;
    OK(reel_log(rec, "points3d",
                &(reel_points3d){.positions = reel_batch_values(points3, 2),
                                 .colors = reel_batch_values(&red, 1),
                                 .labels = reel_batch_strings(ab, 2),
                                 .show_labels = reel_batch_values(&show, 1)}));
    double scalar = 1.5;
    OK(reel_log(rec, "scalars", &(reel_scalars){.scalars = reel_batch_values(&scalar, 1)}));
    uint8_t segmentation[] = {0, 1, 2, 3};
    reel_image_format seg_format = {
        .width = 2, .height = 2, .channel_datatype = REEL_ChannelDatatype_U8};
    OK(reel_log(rec, "segmentation",
                &(reel_segmentation_image){.buffer = reel_batch_bytes(segmentation, 4),
                                           .format = reel_batch_values(&seg_format, 1)}));
    float width = 2.0f;
    const char *series_name = "sin";
    OK(reel_log_static(rec, "scalars",
                       &(reel_series_lines){.colors = reel_batch_values(&green, 1),
                                            .widths = reel_batch_values(&width, 1),
                                            .names = reel_batch_string(&series_name)}));
    uint8_t circle = REEL_MarkerShape_Circle;
    float marker_size = 3.0f;
    OK(reel_log_static(rec, "series_points",
                       &(reel_series_points){.markers = reel_batch_values(&circle, 1),
                                             .marker_sizes = reel_batch_values(&marker_size, 1)}));
    float tensor_data[] = {0, 1, 2, 3, 4, 5};
    uint64_t tensor_shape[] = {2, 3};
    const char *dim_names[] = {"h", "w"};
    reel_tensor_view tensor = {.shape = tensor_shape,
                               .ndim = 2,
                               .names = dim_names,
                               .type = REEL_TENSOR_F32,
                               .data = tensor_data};
    OK(reel_log(rec, "tensor", &(reel_tensor){.data = reel_batch_tensor(&tensor)}));
    const char *markdown = "# hi", *markdown_type = "text/markdown";
    OK(reel_log(rec, "doc",
                &(reel_text_document){.text = reel_batch_string(&markdown),
                                      .media_type = reel_batch_string(&markdown_type)}));
    const char *hello = "hello", *info = "INFO";
    OK(reel_log(
        rec, "logs",
        &(reel_text_log){.text = reel_batch_string(&hello), .level = reel_batch_string(&info)}));
    struct {
        float axis[3];
        float angle;
    } axis_angle = {{0, 0, 1}, 0.5f};
    OK(reel_log(rec, "transform",
                &(reel_transform3d){.translation = reel_batch_values(translation, 1),
                                    .rotation_axis_angle = reel_batch_values(&axis_angle, 1)}));
    int64_t video_ts = 1000;
    const char *video_path = "asset_video";
    OK(reel_log(rec, "video_frame",
                &(reel_video_frame_reference){.timestamp = reel_batch_values(&video_ts, 1),
                                              .video_reference = reel_batch_string(&video_path)}));
    uint8_t rdf[] = {3, 2, 5};
    OK(reel_log_static(rec, "world", &(reel_view_coordinates){.xyz = reel_batch_values(rdf, 1)}));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sdk_log_all OUT.rrd\n");
        return 2;
    }
    reel_error err = {0};
    if (reel_recording_create(&(reel_recording_options){.application_id = "sdk_log_all",
                                                        .recording_id = "rec_sdk_log_all"},
                              &rec, &err) != REEL_OK) {
        fprintf(stderr, "create: %s\n", err.message);
        return 1;
    }
    /* Logged before the sink exists: buffered, then sent to the file. */
    OK(reel_send_recording_name(rec, "all archetypes", NULL));
    OK(reel_save(rec, argv[1], &err));
    OK(reel_set_time_sequence(rec, "frame", 1));
    OK(reel_set_time_duration_secs(rec, "elapsed", 1.5));
    OK(reel_set_time_timestamp_secs(rec, "sensor_time", 1700000000.0));
    log_core_archetypes();

    /* A partial update, a field clear and entity clears at a later time. */
    OK(reel_set_time_sequence(rec, "frame", 2));
    uint32_t blue = 0x0000ffffu;
    OK(reel_log(
        rec, "points3d",
        &(reel_points3d){.colors = reel_batch_values(&blue, 1), .labels = reel_batch_empty()}));
    OK(reel_log_clear_fields(rec, "points2d", REEL_ARCHETYPE_Points2D, NULL));
    OK(reel_log_clear(rec, "graph", true, NULL));
    OK(reel_disable_timeline(rec, "sensor_time"));

    /* User components and properties. */
    double confidence[] = {0.9, 0.7};
    reel_component user[] = {
        {.component = "confidence",
         .arrow_type = "double",
         .values = reel_batch_values(confidence, 2)},
        {.archetype = "my.Thing",
         .component = "my.Thing:ids",
         .arrow_type = "uint16",
         .values = reel_batch_values((uint16_t[]){7, 8, 9}, 3)},
    };
    OK(reel_log_components(rec, "custom", user, 2, 0, NULL));
    const char *owner = "reel";
    reel_component property = {
        .component = "owner", .arrow_type = "string", .values = reel_batch_string(&owner)};
    OK(reel_send_property(rec, "meta", &property, 1, NULL));

    /* Columns: 5 rows of scalars on their own timeline. */
    int64_t steps[] = {10, 11, 12, 13, 14};
    double values[] = {0.0, 0.5, 1.0, 1.5, 2.0};
    reel_time_column step_column = {
        .timeline = "step", .kind = REEL_TIME_KIND_SEQUENCE, .times = steps};
    reel_component_column scalar_column = {
        .component = {.component = "Scalars:scalars", .values = reel_batch_values(values, 5)}};
    OK(reel_send_columns(rec, "columns", &step_column, 1, &scalar_column, 1, 5, NULL));

    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, thread_main, (void *)(intptr_t)i);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);

    OK(reel_flush_blocking(rec, 30, &err));
    reel_recording_stats stats;
    reel_recording_get_stats(rec, &stats);
    if (stats.rows_dropped != 0 || stats.sink_errors != 0) {
        fprintf(stderr, "dropped %llu rows, %llu sink errors\n",
                (unsigned long long)stats.rows_dropped, (unsigned long long)stats.sink_errors);
        failures++;
    }
    OK(reel_recording_destroy(rec, &err));
    return failures ? 1 : 0;
}
