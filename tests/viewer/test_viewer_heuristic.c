/* The heuristic blueprint (viewer-behavior.md §1): the views spawned for the examples of
 * §1.4 (points anywhere, ViewCoordinates origins, pinhole cameras, lone images, scalars,
 * text logs), image splitting, the per-class cap, past recommendations, and the auto-layout
 * shapes for 1, 3, <= 12 and > 12 views. */
#include "viewer_testing.h"

static reel_viewer *new_viewer(void)
{
    reel_viewer *viewer = NULL;
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 42}, &viewer, NULL));
    return viewer;
}

static void check_layout(reel_viewer *viewer, const char *expected)
{
    char *text = vt_heuristic_text(viewer);
    CHECK_EQ_STR(text, expected);
    free(text);
}

TEST(points_anywhere_give_one_3d_view_at_root)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/a/points", 0, "Points3D", "positions");
    vt_log(v, "/b/c/boxes", 1, "Boxes3D", "half_sizes");
    check_layout(v, "3D:/[+ $origin/**] | Tabs(3D)");
    reel_viewer_destroy(v);
}

TEST(view_coordinates_make_the_3d_origin)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/world", -1, "ViewCoordinates", "xyz");
    vt_log(v, "/world/points", 0, "Points3D", "positions");
    check_layout(v, "3D:/world[+ $origin/**] | Tabs(3D)");
    reel_viewer_destroy(v);
}

TEST(pinhole_camera_gives_3d_at_root_and_2d_at_camera)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/cam", 0, "Pinhole", "image_from_camera");
    vt_log_image(v, "/cam/image", "Image", 64, 48);
    /* §1.4 says "a 2D view at /cam"; §1.5's algorithm (Rerun's view_2d.rs
     * recommended_views_with_image_splits, checked in the 0.36.2 source) starts at /cam, which
     * no 2D visualizer indicates (the cameras visualizer has no affinity), recurses, and keeps
     * the single more specific child view: /cam/image. Reel follows the code. Sorted by origin:
     * "/" before "/cam/image". */
    check_layout(v, "2D:/cam/image[+ $origin/**] 3D:/[+ $origin/**] | Grid(Tabs(3D),Tabs(2D))");
    reel_viewer_destroy(v);
}

TEST(pinhole_camera_with_color_and_depth_gives_2d_at_camera)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/cam", 0, "Pinhole", "image_from_camera");
    vt_log_image(v, "/cam/rgb", "Image", 64, 48);
    vt_log_image(v, "/cam/depth", "DepthImage", 64, 48);
    check_layout(v, "2D:/cam[+ $origin/**] 3D:/[+ $origin/**] | Grid(Tabs(3D),Tabs(2D))");
    reel_viewer_destroy(v);
}

TEST(lone_image_gives_2d_at_the_image)
{
    reel_viewer *v = new_viewer();
    vt_log_image(v, "/image", "Image", 64, 48);
    check_layout(v, "2D:/image[+ $origin/**] | Tabs(2D)");
    reel_viewer_destroy(v);
}

TEST(images_of_different_sizes_split)
{
    reel_viewer *v = new_viewer();
    vt_log_image(v, "/imgs/a", "Image", 64, 48);
    vt_log_image(v, "/imgs/b", "Image", 32, 32);
    char *text = vt_heuristic_text(v);
    CHECK(strstr(text, "2D:/imgs/a[+ $origin/**]") != NULL);
    CHECK(strstr(text, "2D:/imgs/b[+ $origin/**]") != NULL);
    CHECK(strstr(text, "2D:/imgs[") == NULL);
    free(text);
    reel_viewer_destroy(v);
}

TEST(image_with_depth_of_same_size_stacks)
{
    reel_viewer *v = new_viewer();
    vt_log_image(v, "/cam/rgb", "Image", 64, 48);
    vt_log_image(v, "/cam/depth", "DepthImage", 64, 48);
    check_layout(v, "2D:/cam[+ $origin/**] | Tabs(2D)");
    reel_viewer_destroy(v);
}

TEST(scalars_get_one_time_series_each)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/plot/b", 0, "Scalars", "scalars");
    vt_log(v, "/plot/a", 0, "Scalars", "scalars");
    vt_log(v, "/static_only", -1, "Scalars", "scalars");
    check_layout(v, "TimeSeries:/plot/a[+ $origin] TimeSeries:/plot/b[+ $origin] | "
                    "Grid(Tabs(TimeSeries),Tabs(TimeSeries))");
    reel_viewer_destroy(v);
}

TEST(text_logs_give_one_text_log_at_root)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/logs/a", 0, "TextLog", "text");
    vt_log(v, "/logs/b", 1, "TextLog", "text");
    vt_log(v, "/doc", -1, "TextDocument", "text");
    check_layout(v, "TextDocument:/doc[+ $origin] TextLog:/[+ $origin/**] | "
                    "Grid(Tabs(TextLog),Tabs(TextDocument))");
    reel_viewer_destroy(v);
}

TEST(three_views_put_the_high_priority_one_first)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/a", 0, "Scalars", "scalars");
    vt_log(v, "/b", 0, "Scalars", "scalars");
    vt_log(v, "/points", 0, "Points3D", "positions");
    char *text = vt_heuristic_text(v);
    CHECK(strstr(text, "| Grid(Tabs(3D),Grid(Tabs(TimeSeries),Tabs(TimeSeries)))") != NULL);
    free(text);
    reel_viewer_destroy(v);
}

TEST(many_views_are_capped_and_grouped_in_tabs)
{
    reel_viewer *v = new_viewer();
    char path[64];
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof path, "/s/%d", i);
        vt_log(v, path, 0, "Scalars", "scalars");
        snprintf(path, sizeof path, "/d/%d", i);
        vt_log(v, path, 0, "TextDocument", "text");
    }
    vt_log(v, "/p", 0, "Points3D", "positions");
    /* 8 time series (MAX_VIEWS_SPAWNED) + 8 text documents + one 3D = 17 > 12. */
    reel_viewer_begin_frame(v, 0);
    reel_viewer_end_frame(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(v));
    CHECK_EQ_INT((long long)m->n_views, 17);
    reel_buf layout = {0};
    vt_print_container(m, m->root_container, &layout, 0);
    reel_buf_append_u8(&layout, 0);
    CHECK(strncmp((const char *)layout.data, "Grid(Tabs(3D),Tabs(", 19) == 0);
    CHECK_EQ_INT((long long)m->n_containers, 4); /* grid + 3 tabs */
    reel_buf_free(&layout);
    /* Running again adds nothing: the recommendations are remembered. */
    CHECK_EQ_INT((long long)reel_viewer_run_heuristics(v, reel_viewer_active_recording(v)), 0);
    reel_viewer_destroy(v);
}

TEST(up_to_twelve_views_share_one_grid)
{
    reel_viewer *v = new_viewer();
    char path[64];
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/s/%d", i);
        vt_log(v, path, 0, "Scalars", "scalars");
    }
    check_layout(v,
                 "TimeSeries:/s/0[+ $origin] TimeSeries:/s/1[+ $origin] TimeSeries:/s/2[+ $origin] "
                 "TimeSeries:/s/3[+ $origin] TimeSeries:/s/4[+ $origin] | "
                 "Grid(Tabs(TimeSeries),Tabs(TimeSeries),Tabs(TimeSeries),Tabs(TimeSeries),"
                 "Tabs(TimeSeries))");
    reel_viewer_destroy(v);
}

TEST(streaming_in_new_kinds_adds_views_and_relayouts)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/points", 0, "Points3D", "positions");
    check_layout(v, "3D:/[+ $origin/**] | Tabs(3D)");
    vt_log(v, "/log", 1, "TextLog", "text");
    /* Same origin: ordered by the (random) view ids, as in Rerun. */
    char *text = vt_heuristic_text(v);
    CHECK(strstr(text, "3D:/[+ $origin/**] TextLog:/[+ $origin/**] | Grid(Tabs(") == text);
    CHECK(strstr(text, "Tabs(3D)") != NULL && strstr(text, "Tabs(TextLog)") != NULL);
    free(text);
    /* A removed heuristic view is not spawned again (past recommendations). */
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    reel_viewer_uuid text_log = {{0}};
    for (size_t i = 0; i < m->n_views; i++)
        if (strcmp(m->views[i].class_identifier, "TextLog") == 0)
            text_log = m->views[i].id;
    CHECK_OK(reel_bp_remove(v, bp, text_log, NULL));
    reel_viewer_end_frame(v);
    m = reel_viewer_blueprint_model(bp);
    CHECK(!m->auto_views && !m->auto_layout);
    CHECK_OK(reel_viewer_reset_to_heuristic(v, "app", NULL));
    text = vt_heuristic_text(v);
    CHECK(strstr(text, "3D:/[+ $origin/**] TextLog:/[+ $origin/**] | Grid(Tabs(") == text);
    free(text);
    reel_viewer_destroy(v);
}

TEST(two_dimensional_content_is_excluded_from_3d)
{
    reel_viewer *v = new_viewer();
    vt_log(v, "/scene/points", 0, "Points3D", "positions");
    vt_log(v, "/overlay/labels", 0, "Points2D", "positions");
    char *text = vt_heuristic_text(v);
    CHECK(strstr(text, "3D:/[+ $origin/**;- /overlay/**]") != NULL);
    CHECK(strstr(text, "2D:/overlay/labels[+ $origin/**]") != NULL);
    free(text);
    reel_viewer_destroy(v);
}

TEST(view_names_and_placeholders)
{
    reel_buf name = {0};
    CHECK_OK(reel_viewer_view_placeholder_name("/world/camera/image", &name));
    reel_buf_append_u8(&name, 0);
    CHECK_EQ_STR((const char *)name.data, "…/camera/image");
    CHECK_OK(reel_viewer_view_placeholder_name("/", &name));
    reel_buf_append_u8(&name, 0);
    CHECK_EQ_STR((const char *)name.data, "/");
    CHECK_OK(reel_viewer_view_placeholder_name("/plot", &name));
    reel_buf_append_u8(&name, 0);
    CHECK_EQ_STR((const char *)name.data, "plot");
    reel_buf_free(&name);
    CHECK(reel_view_class_find("TimeSeries") != NULL);
    CHECK_EQ_INT((int)reel_view_class_find("3D")->priority, REEL_VIEW_PRIORITY_HIGH);
    CHECK(reel_view_class_find("Map") == NULL);
}

TEST(entity_filters_follow_rerun_rules)
{
    const char *q[] = {"+ $origin/**", "- /world/skip/**", "/world/skip/keep"};
    reel_view_filter f = {0};
    CHECK_OK(reel_view_filter_parse(q, 3, "/world", &f, NULL));
    CHECK(reel_view_filter_matches(&f, "/world"));
    CHECK(reel_view_filter_matches(&f, "/world/a/b"));
    CHECK(!reel_view_filter_matches(&f, "/world/skip"));
    CHECK(!reel_view_filter_matches(&f, "/world/skip/x"));
    CHECK(reel_view_filter_matches(&f, "/world/skip/keep"));
    CHECK(!reel_view_filter_matches(&f, "/other"));
    const char *q2[] = {"/world/a/**"};
    reel_view_filter g = {0};
    CHECK_OK(reel_view_filter_parse(q2, 1, NULL, &g, NULL));
    CHECK(reel_view_filter_is_superset(&f, &g));
    CHECK(!reel_view_filter_is_superset(&g, &f));
    reel_view_filter_reset(&f);
    reel_view_filter_reset(&g);
}

TEST(grid_auto_columns_follow_egui_tiles)
{
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(0, 800, 600, 1), 0);
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(1, 800, 600, 1), 1);
    /* Two views: side by side when wide, stacked when tall. */
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(2, 1600, 600, 1), 2);
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(2, 600, 1600, 1), 1);
    /* Four views in a 4:3 window: 2 × 2 (3 columns is skipped: a lone orphan). */
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(4, 800, 600, 1), 2);
    CHECK_EQ_INT(reel_viewer_grid_auto_columns(4, 3200, 600, 1), 4);
}

int main(void)
{
    RUN(grid_auto_columns_follow_egui_tiles);
    RUN(points_anywhere_give_one_3d_view_at_root);
    RUN(view_coordinates_make_the_3d_origin);
    RUN(pinhole_camera_gives_3d_at_root_and_2d_at_camera);
    RUN(pinhole_camera_with_color_and_depth_gives_2d_at_camera);
    RUN(lone_image_gives_2d_at_the_image);
    RUN(images_of_different_sizes_split);
    RUN(image_with_depth_of_same_size_stacks);
    RUN(scalars_get_one_time_series_each);
    RUN(text_logs_give_one_text_log_at_root);
    RUN(three_views_put_the_high_priority_one_first);
    RUN(many_views_are_capped_and_grouped_in_tabs);
    RUN(up_to_twelve_views_share_one_grid);
    RUN(streaming_in_new_kinds_adds_views_and_relayouts);
    RUN(two_dimensional_content_is_excluded_from_3d);
    RUN(view_names_and_placeholders);
    RUN(entity_filters_follow_rerun_rules);
    TEST_MAIN_END();
}
