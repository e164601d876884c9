/* GENERATED from src/types/rerun_types.def by src/sdk/gen_archetype_list.py; do not edit.
 * Every archetype struct and its id, in the .def file's order, as one X-macro list, so that
 * reel_log's _Generic can name every struct type. reel.h statically asserts that the list
 * has as many entries as the .def file has archetypes. */
#ifndef REEL_ARCHETYPE_LIST_H
#define REEL_ARCHETYPE_LIST_H

/* clang-format off */
#define REEL__ARCHETYPE_LIST(X) \
    X(reel_annotation_context, AnnotationContext) \
    X(reel_arrows2d, Arrows2D) \
    X(reel_arrows3d, Arrows3D) \
    X(reel_asset3d, Asset3D) \
    X(reel_asset_audio, AssetAudio) \
    X(reel_asset_video, AssetVideo) \
    X(reel_bar_chart, BarChart) \
    X(reel_boxes2d, Boxes2D) \
    X(reel_boxes3d, Boxes3D) \
    X(reel_capsules3d, Capsules3D) \
    X(reel_clear, Clear) \
    X(reel_coordinate_frame, CoordinateFrame) \
    X(reel_cylinders3d, Cylinders3D) \
    X(reel_depth_image, DepthImage) \
    X(reel_ellipses2d, Ellipses2D) \
    X(reel_ellipsoids3d, Ellipsoids3D) \
    X(reel_encoded_depth_image, EncodedDepthImage) \
    X(reel_encoded_image, EncodedImage) \
    X(reel_gaussian_splats3d, GaussianSplats3D) \
    X(reel_geo_line_strings, GeoLineStrings) \
    X(reel_geo_points, GeoPoints) \
    X(reel_graph_edges, GraphEdges) \
    X(reel_graph_nodes, GraphNodes) \
    X(reel_grid_map, GridMap) \
    X(reel_image, Image) \
    X(reel_instance_poses3d, InstancePoses3D) \
    X(reel_line_strips2d, LineStrips2D) \
    X(reel_line_strips3d, LineStrips3D) \
    X(reel_mcap_channel, McapChannel) \
    X(reel_mcap_message, McapMessage) \
    X(reel_mcap_schema, McapSchema) \
    X(reel_mcap_statistics, McapStatistics) \
    X(reel_measurements, Measurements) \
    X(reel_mesh3d, Mesh3D) \
    X(reel_pinhole, Pinhole) \
    X(reel_points2d, Points2D) \
    X(reel_points3d, Points3D) \
    X(reel_recording_info, RecordingInfo) \
    X(reel_scalars, Scalars) \
    X(reel_segmentation_image, SegmentationImage) \
    X(reel_series_lines, SeriesLines) \
    X(reel_series_points, SeriesPoints) \
    X(reel_state_change, StateChange) \
    X(reel_state_configuration, StateConfiguration) \
    X(reel_tensor, Tensor) \
    X(reel_text_document, TextDocument) \
    X(reel_text_log, TextLog) \
    X(reel_transform3d, Transform3D) \
    X(reel_transform_axes3d, TransformAxes3D) \
    X(reel_video_frame_reference, VideoFrameReference) \
    X(reel_video_stream, VideoStream) \
    X(reel_view_coordinates, ViewCoordinates) \
    X(reel_volume3d, Volume3D) \
    X(reel_voxel_grid_map, VoxelGridMap) \
    X(reel_blueprint_active_visualizers, ActiveVisualizers) \
    X(reel_blueprint_audio_playback, AudioPlayback) \
    X(reel_blueprint_background, Background) \
    X(reel_blueprint_card_layout, CardLayout) \
    X(reel_blueprint_container_blueprint, ContainerBlueprint) \
    X(reel_blueprint_dataframe_query, DataframeQuery) \
    X(reel_blueprint_entity_behavior, EntityBehavior) \
    X(reel_blueprint_eye_controls3d, EyeControls3D) \
    X(reel_blueprint_force_center, ForceCenter) \
    X(reel_blueprint_force_collision_radius, ForceCollisionRadius) \
    X(reel_blueprint_force_link, ForceLink) \
    X(reel_blueprint_force_many_body, ForceManyBody) \
    X(reel_blueprint_force_position, ForcePosition) \
    X(reel_blueprint_graph_background, GraphBackground) \
    X(reel_blueprint_line_grid3d, LineGrid3D) \
    X(reel_blueprint_map_background, MapBackground) \
    X(reel_blueprint_map_zoom, MapZoom) \
    X(reel_blueprint_near_clip_plane, NearClipPlane) \
    X(reel_blueprint_panel_blueprint, PanelBlueprint) \
    X(reel_blueprint_plot_background, PlotBackground) \
    X(reel_blueprint_plot_interaction, PlotInteraction) \
    X(reel_blueprint_plot_legend, PlotLegend) \
    X(reel_blueprint_previews_config, PreviewsConfig) \
    X(reel_blueprint_scalar_axis, ScalarAxis) \
    X(reel_blueprint_spatial_information, SpatialInformation) \
    X(reel_blueprint_table_blueprint, TableBlueprint) \
    X(reel_blueprint_table_column, TableColumn) \
    X(reel_blueprint_table_column_preview, TableColumnPreview) \
    X(reel_blueprint_table_layout, TableLayout) \
    X(reel_blueprint_tensor_scalar_mapping, TensorScalarMapping) \
    X(reel_blueprint_tensor_slice_selection, TensorSliceSelection) \
    X(reel_blueprint_tensor_view_fit, TensorViewFit) \
    X(reel_blueprint_text_document_format, TextDocumentFormat) \
    X(reel_blueprint_text_log_columns, TextLogColumns) \
    X(reel_blueprint_text_log_format, TextLogFormat) \
    X(reel_blueprint_text_log_rows, TextLogRows) \
    X(reel_blueprint_time_axis, TimeAxis) \
    X(reel_blueprint_time_panel_blueprint, TimePanelBlueprint) \
    X(reel_blueprint_view_blueprint, ViewBlueprint) \
    X(reel_blueprint_view_contents, ViewContents) \
    X(reel_blueprint_viewport_blueprint, ViewportBlueprint) \
    X(reel_blueprint_visible_time_ranges, VisibleTimeRanges) \
    X(reel_blueprint_visual_bounds2d, VisualBounds2D) \
    X(reel_blueprint_visualizer_instruction, VisualizerInstruction)
/* clang-format on */

#endif
