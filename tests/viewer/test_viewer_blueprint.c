/* Blueprints as data: edits append rows at the next blueprint time, undo/redo move the
 * blueprint cursor and a new edit after undo drops the redo branch, .rbl save + load gives the
 * same model, activation commands set the default/active blueprint, reset to default and to
 * heuristic, view properties stored generically, the §1.1 flag defaults. */
#include <unistd.h>

#include "viewer_testing.h"

static reel_viewer *viewer_with_points(void)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 7}, &v, NULL));
    vt_log(v, "/points", 0, "Points3D", "positions");
    vt_log(v, "/series", 0, "Scalars", "scalars");
    reel_viewer_begin_frame(v, 0);
    reel_viewer_end_frame(v);
    return v;
}

static const reel_bp_view *view_of_class(const reel_bp_model *m, const char *cls)
{
    for (size_t i = 0; i < m->n_views; i++)
        if (strcmp(m->views[i].class_identifier, cls) == 0)
            return &m->views[i];
    return NULL;
}

TEST(edits_append_rows_and_undo_redo_move_the_cursor)
{
    reel_viewer *v = viewer_with_points();
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    CHECK(m->auto_views && m->auto_layout);
    CHECK_EQ_INT((long long)m->n_views, 2);
    reel_viewer_uuid view3d = view_of_class(m, "3D")->id;
    int64_t t0 = reel_bp_cursor(bp);

    /* Edit 1: rename (one frame = one undo point). */
    CHECK_OK(reel_bp_rename(v, bp, view3d, "Scene", NULL));
    reel_viewer_end_frame(v);
    int64_t t1 = reel_bp_cursor(bp);
    CHECK(t1 == t0 + 1);
    CHECK_EQ_STR(reel_bp_model_view(reel_viewer_blueprint_model(bp), view3d)->display_name,
                 "Scene");

    /* Edit 2: hide it and change the origin, in one frame. */
    CHECK_OK(reel_bp_set_visible(v, bp, view3d, false, NULL));
    CHECK_OK(reel_bp_set_view_origin(v, bp, view3d, "/points", NULL));
    reel_viewer_end_frame(v);
    CHECK(reel_bp_cursor(bp) == t1 + 1);
    m = reel_viewer_blueprint_model(bp);
    CHECK(!reel_bp_model_view(m, view3d)->visible);
    CHECK_EQ_STR(reel_bp_model_view(m, view3d)->space_origin, "/points");
    CHECK(!m->auto_layout); /* visibility switches auto layout off */

    CHECK(reel_bp_undo(bp));
    m = reel_viewer_blueprint_model(bp);
    CHECK(reel_bp_model_view(m, view3d)->visible);
    CHECK_EQ_STR(reel_bp_model_view(m, view3d)->space_origin, "/");
    CHECK_EQ_STR(reel_bp_model_view(m, view3d)->display_name, "Scene");
    CHECK(reel_bp_undo(bp));
    CHECK(reel_bp_model_view(reel_viewer_blueprint_model(bp), view3d)->display_name == NULL);
    CHECK(reel_bp_redo(bp));
    CHECK_EQ_STR(reel_bp_model_view(reel_viewer_blueprint_model(bp), view3d)->display_name,
                 "Scene");
    CHECK(reel_bp_can_redo(bp));

    /* A new edit after undo drops the redo branch. */
    CHECK_OK(reel_bp_rename(v, bp, view3d, "Other", NULL));
    reel_viewer_end_frame(v);
    CHECK(!reel_bp_can_redo(bp));
    CHECK(reel_bp_max_time(bp) == t1 + 1);
    m = reel_viewer_blueprint_model(bp);
    CHECK(reel_bp_model_view(m, view3d)->visible); /* the hide was on the dropped branch */
    CHECK_EQ_STR(reel_bp_model_view(m, view3d)->display_name, "Other");
    /* Clearing the name brings the placeholder back. */
    CHECK_OK(reel_bp_rename(v, bp, view3d, NULL, NULL));
    reel_viewer_end_frame(v);
    CHECK(reel_bp_model_view(reel_viewer_blueprint_model(bp), view3d)->display_name == NULL);
    reel_viewer_destroy(v);
}

TEST(tree_edits_add_move_and_remove)
{
    reel_viewer *v = viewer_with_points();
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    reel_viewer_uuid root = m->root_container;
    reel_viewer_uuid tabs = {{0}}, added = {{0}};
    CHECK_OK(reel_bp_add_container(v, bp, REEL_CONTAINER_TABS, &root, &tabs, NULL));
    const char *query[] = {"+ $origin/**", "- /points/hidden/**"};
    CHECK_OK(reel_bp_add_view(v, bp, "TextLog", "/", query, 2, &tabs, &added, NULL));
    reel_viewer_end_frame(v);
    m = reel_viewer_blueprint_model(bp);
    CHECK(!m->auto_views && !m->auto_layout);
    const reel_bp_container *t = reel_bp_model_container(m, tabs);
    if (CHECK(t != NULL)) {
        CHECK_EQ_INT(t->kind, REEL_CONTAINER_TABS);
        CHECK_EQ_INT((long long)t->n_children, 1);
        CHECK(t->children[0].is_view && reel_viewer_uuid_equal(t->children[0].id, added));
    }
    const reel_bp_view *view = reel_bp_model_view(m, added);
    if (CHECK(view != NULL)) {
        CHECK_EQ_INT((long long)view->n_query, 2);
        CHECK_EQ_STR(view->query[1], "- /points/hidden/**");
    }
    const reel_bp_container *r = reel_bp_model_container(m, root);
    CHECK_EQ_INT((long long)r->n_children, 3);
    /* Move the new view to the root's front, then remove the (now empty) tabs. */
    CHECK_OK(reel_bp_move(v, bp, added, root, 0, NULL));
    CHECK_OK(reel_bp_remove(v, bp, tabs, NULL));
    CHECK_OK(reel_bp_set_container_kind(v, bp, root, REEL_CONTAINER_HORIZONTAL, NULL));
    float shares[3] = {2, 1, 1};
    CHECK_OK(reel_bp_set_shares(v, bp, root, shares, 3, NULL, 0, NULL));
    reel_viewer_end_frame(v);
    m = reel_viewer_blueprint_model(bp);
    r = reel_bp_model_container(m, root);
    CHECK_EQ_INT(r->kind, REEL_CONTAINER_HORIZONTAL);
    CHECK_EQ_INT((long long)r->n_children, 3);
    CHECK(reel_viewer_uuid_equal(r->children[0].id, added));
    CHECK_EQ_INT((long long)r->n_col_shares, 3);
    CHECK(reel_bp_model_container(m, tabs) == NULL);
    CHECK_OK(reel_bp_remove(v, bp, added, NULL));
    reel_viewer_end_frame(v);
    m = reel_viewer_blueprint_model(bp);
    CHECK(reel_bp_model_view(m, added) == NULL);
    CHECK_EQ_INT((long long)reel_bp_model_container(m, root)->n_children, 2);
    /* The removal was a recursive Clear; the heuristics stay off. */
    CHECK_EQ_INT((long long)reel_viewer_run_heuristics(v, reel_viewer_active_recording(v)), 0);
    reel_viewer_destroy(v);
}

TEST(view_properties_are_stored_generically)
{
    reel_viewer *v = viewer_with_points();
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    reel_viewer_uuid view = view_of_class(reel_viewer_blueprint_model(bp), "3D")->id;
    reel_arrow_field type = {0};
    CHECK_OK(reel_arrow_field_init(&type, "", REEL_ARROW_UINT8, true, NULL));
    reel_arrow_builder *b = NULL;
    CHECK_OK(reel_arrow_builder_create(&type, NULL, &b, NULL));
    reel_arrow_builder_append_uint(b, 3); /* BackgroundKind SolidColor */
    reel_arrow_array values = {0};
    CHECK_OK(reel_arrow_builder_finish(b, &values, NULL));
    CHECK_OK(reel_bp_set_view_property(v, bp, view, "Background", "kind", &values, NULL));
    reel_viewer_end_frame(v);
    char id[37], path[80];
    reel_viewer_uuid_format(view, id);
    snprintf(path, sizeof path, "/view/%s/Background", id);
    reel_store_result r;
    CHECK_EQ_INT(reel_viewer_blueprint_latest(bp, path, "Background:kind", &r), REEL_STORE_VALUE);
    CHECK_EQ_STR(r.column->descriptor.component_type, "rerun.blueprint.components.BackgroundKind");
    /* Reset = an empty list: the fallback applies again. */
    CHECK_OK(reel_bp_set_view_property(v, bp, view, "Background", "kind", NULL, NULL));
    reel_viewer_end_frame(v);
    CHECK_EQ_INT(reel_viewer_blueprint_latest(bp, path, "Background:kind", &r), REEL_STORE_EMPTY);
    /* Unknown fields are refused with a message. */
    reel_error err = {0};
    CHECK(reel_bp_set_view_property(v, bp, view, "Background", "nope", &values, &err) != REEL_OK);
    CHECK(strstr(err.message, "Background:nope") != NULL);
    reel_arrow_array_reset(&values);
    reel_arrow_builder_destroy(b);
    reel_arrow_field_reset(&type);
    reel_viewer_destroy(v);
}

TEST(rbl_round_trip_and_default_blueprint)
{
    reel_viewer *v = viewer_with_points();
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    reel_viewer_uuid view = view_of_class(reel_viewer_blueprint_model(bp), "3D")->id;
    CHECK_OK(reel_bp_rename(v, bp, view, "Saved", NULL));
    CHECK_OK(reel_bp_set_panel_state(v, bp, "blueprint_panel", 2, NULL));
    reel_viewer_end_frame(v);
    char *before = vt_model_text(reel_viewer_blueprint_model(bp));
    char path[] = "/tmp/reel_viewer_bp_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK_OK(reel_bp_save_rbl(bp, path, NULL));

    /* A fresh viewer: the .rbl becomes the app's default and active blueprint. */
    reel_viewer *w = NULL;
    CHECK_OK(reel_viewer_create(NULL, &w, NULL));
    vt_log(w, "/points", 0, "Points3D", "positions");
    reel_viewer_load_result result;
    CHECK_OK(reel_viewer_load_path(w, path, false, &result, NULL));
    CHECK(result.messages >= 3);
    reel_viewer_blueprint *loaded = reel_viewer_active_blueprint(w);
    const reel_bp_model *m = reel_viewer_blueprint_model(loaded);
    char *after = vt_model_text(m);
    CHECK_EQ_STR(after, before);
    CHECK_EQ_STR(reel_bp_model_view(m, view)->display_name, "Saved");
    CHECK_EQ_INT(m->blueprint_panel, 2);
    /* Flags were written as false by the user edit? no: only rename. Flags survive as stored. */
    CHECK(reel_viewer_default_blueprint(w, "app") != NULL);
    /* Edits go to the active copy; reset to default brings the saved one back. */
    CHECK_OK(reel_bp_rename(w, loaded, view, "Changed", NULL));
    reel_viewer_end_frame(w);
    CHECK_OK(reel_viewer_reset_to_default(w, "app", NULL));
    m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(w));
    CHECK_EQ_STR(reel_bp_model_view(m, view)->display_name, "Saved");
    /* Reset to heuristic: a fresh blueprint with the heuristics on. */
    CHECK_OK(reel_viewer_reset_to_heuristic(w, "app", NULL));
    m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(w));
    CHECK(m->auto_views && m->n_views == 0);
    char *fresh = vt_heuristic_text(w);
    CHECK_EQ_STR(fresh, "3D:/[+ $origin/**] | Tabs(3D)");
    free(fresh);
    reel_error err = {0};
    CHECK(reel_viewer_reset_to_default(w, "other", &err) == REEL_NOT_FOUND);
    free(before);
    free(after);
    remove(path);
    reel_viewer_destroy(w);
    reel_viewer_destroy(v);
}

TEST(sdk_blueprint_activation_and_flag_defaults)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    vt_log(v, "/points", 0, "Points3D", "positions");
    /* An SDK blueprint with one view and no flags: both flags default to off. */
    reel_store_id bp_id = {REEL_STORE_KIND_BLUEPRINT, "sdk_bp", "app"};
    reel_rrd_message info = {.kind = REEL_RRD_MESSAGE_SET_STORE_INFO};
    info.store_info.store_id = bp_id;
    CHECK_OK(reel_viewer_ingest(v, &info, REEL_VIEWER_SOURCE_LIVE, NULL));
    vt_log_kind(v, REEL_STORE_KIND_BLUEPRINT, "app", "sdk_bp",
                "/view/00000000-0000-4000-8000-000000000001", 0, "blueprint", "ViewBlueprint",
                "class_identifier", 0, 0, 0);
    /* Data sent to a blueprint store goes to that store only. */
    CHECK(reel_viewer_recording_find(v, "sdk_bp") == NULL);
    reel_rrd_message act = {.kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION};
    act.store_id = bp_id;
    act.activation.make_active = true;
    act.activation.make_default = true;
    CHECK_OK(reel_viewer_ingest(v, &act, REEL_VIEWER_SOURCE_LIVE, NULL));
    reel_viewer_begin_frame(v, 0);
    reel_viewer_end_frame(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(v));
    CHECK(!m->auto_views && !m->auto_layout);
    CHECK_EQ_INT((long long)m->n_views, 1);
    CHECK_EQ_STR(m->views[0].class_identifier, "x"); /* placeholder value of the test helper */
    CHECK_EQ_STR(m->views[0].space_origin, "/");
    CHECK_EQ_INT((long long)m->views[0].n_query, 1);
    CHECK_EQ_STR(m->views[0].query[0], "$origin/**");
    /* Activation of an unknown blueprint is an error naming it. */
    reel_error err = {0};
    act.store_id.recording_id = "missing";
    CHECK(reel_viewer_ingest(v, &act, REEL_VIEWER_SOURCE_LIVE, &err) == REEL_NOT_FOUND);
    CHECK(strstr(err.message, "missing") != NULL);
    reel_viewer_destroy(v);
}

TEST(uuids_format_and_parse)
{
    reel_viewer_uuid id;
    CHECK(reel_viewer_uuid_parse("10c0daf7-c1c1-49b3-9a08-43a6be40a0b6", 36, &id));
    char text[37];
    reel_viewer_uuid_format(id, text);
    CHECK_EQ_STR(text, "10c0daf7-c1c1-49b3-9a08-43a6be40a0b6");
    CHECK(!reel_viewer_uuid_parse("10c0daf7", 8, &id));
    CHECK(!reel_viewer_uuid_parse("zzc0daf7-c1c1-49b3-9a08-43a6be40a0b6", 36, &id));
}

TEST(undo_history_is_capped_and_rbl_can_rekey_to_the_active_app)
{
    reel_viewer *v = viewer_with_points();
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    reel_viewer_uuid view = view_of_class(reel_viewer_blueprint_model(bp), "3D")->id;
    char name[32];
    for (int i = 0; i < 120; i++) {
        snprintf(name, sizeof name, "n%d", i);
        CHECK_OK(reel_bp_rename(v, bp, view, name, NULL));
        reel_viewer_end_frame(v);
    }
    int undos = 0;
    while (reel_bp_undo(bp))
        undos++;
    CHECK_EQ_INT(undos, REEL_VIEWER_MAX_UNDO - 1);
    CHECK_EQ_STR(reel_bp_model_view(reel_viewer_blueprint_model(bp), view)->display_name, "n20");
    while (reel_bp_redo(bp))
        ;
    CHECK_EQ_STR(reel_bp_model_view(reel_viewer_blueprint_model(bp), view)->display_name, "n119");

    /* An .rbl of another app opened "for the active recording" applies to it. */
    char path[] = "/tmp/reel_viewer_bp_XXXXXX";
    close(mkstemp(path));
    CHECK_OK(reel_bp_save_rbl(bp, path, NULL));
    reel_viewer *w = NULL;
    CHECK_OK(reel_viewer_create(NULL, &w, NULL));
    vt_log_value(w, "other_app", "r", "/points", 0, NULL, "Points3D", "positions", 0, 0, 0);
    CHECK_OK(reel_viewer_load_path(w, path, true, NULL, NULL));
    const reel_bp_model *m = reel_viewer_blueprint_model(reel_viewer_active_blueprint(w));
    CHECK_EQ_STR(reel_bp_model_view(m, view)->display_name, "n119");
    CHECK(reel_viewer_default_blueprint(w, "other_app") != NULL);
    CHECK(reel_viewer_default_blueprint(w, "app") == NULL);
    remove(path);
    reel_viewer_destroy(w);
    reel_viewer_destroy(v);
}

int main(void)
{
    RUN(undo_history_is_capped_and_rbl_can_rekey_to_the_active_app);
    RUN(edits_append_rows_and_undo_redo_move_the_cursor);
    RUN(tree_edits_add_move_and_remove);
    RUN(view_properties_are_stored_generically);
    RUN(rbl_round_trip_and_default_blueprint);
    RUN(sdk_blueprint_activation_and_flag_defaults);
    RUN(uuids_format_and_parse);
    TEST_MAIN_END();
}
