/* The viewer's data side driven from the interop tests (tests/interop/test_viewer_*.py), and a
 * self-check when run with no arguments (ctest):
 *   test_viewer_tool dump FILE APP [--heuristic]  load an .rrd/.rbl, print the app's active
 *                                                 blueprint model (after the heuristics) as JSON
 *   test_viewer_tool save OUT.rbl APP             build a blueprint (heuristic + edits), save
 *                                                 it, print its model as JSON
 *   test_viewer_tool listen SECONDS ENTITY        live listener on a free port ("port N" on
 *                                                 stdout), ingest until ENTITY arrives, print
 *                                                 the recordings and model as JSON */
#include <time.h>
#include <unistd.h>

#include "viewer_testing.h"

static void json_string(reel_buf *out, const char *s)
{
    reel_buf_append_u8(out, '"');
    for (; s != NULL && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            reel_buf_printf(out, "\\%c", c);
        else if (c < 0x20)
            reel_buf_printf(out, "\\u%04x", c);
        else
            reel_buf_append_u8(out, c);
    }
    reel_buf_append_u8(out, '"');
}

static void json_uuid(reel_buf *out, reel_viewer_uuid id)
{
    char text[37];
    reel_viewer_uuid_format(id, text);
    json_string(out, text);
}

static void json_model(reel_buf *out, const reel_bp_model *m)
{
    static const char *const kinds[] = {"?", "Tabs", "Horizontal", "Vertical", "Grid"};
    reel_buf_printf(out, "{\"auto_layout\":%s,\"auto_views\":%s,\"root\":",
                    m->auto_layout ? "true" : "false", m->auto_views ? "true" : "false");
    if (m->has_root)
        json_uuid(out, m->root_container);
    else
        reel_buf_printf(out, "null");
    reel_buf_printf(out, ",\"views\":[");
    for (size_t i = 0; i < m->n_views; i++) {
        const reel_bp_view *v = &m->views[i];
        reel_buf_printf(out, "%s{\"id\":", i ? "," : "");
        json_uuid(out, v->id);
        reel_buf_printf(out, ",\"class\":");
        json_string(out, v->class_identifier);
        reel_buf_printf(out, ",\"name\":");
        if (v->display_name)
            json_string(out, v->display_name);
        else
            reel_buf_printf(out, "null");
        reel_buf_printf(out, ",\"origin\":");
        json_string(out, v->space_origin);
        reel_buf_printf(out, ",\"visible\":%s,\"query\":[", v->visible ? "true" : "false");
        for (size_t q = 0; q < v->n_query; q++) {
            if (q)
                reel_buf_printf(out, ",");
            json_string(out, v->query[q]);
        }
        reel_buf_printf(out, "]}");
    }
    reel_buf_printf(out, "],\"containers\":[");
    for (size_t i = 0; i < m->n_containers; i++) {
        const reel_bp_container *c = &m->containers[i];
        reel_buf_printf(out, "%s{\"id\":", i ? "," : "");
        json_uuid(out, c->id);
        reel_buf_printf(out, ",\"kind\":\"%s\",\"children\":[", kinds[c->kind]);
        for (size_t k = 0; k < c->n_children; k++) {
            reel_buf_printf(out, "%s{\"view\":%s,\"id\":", k ? "," : "",
                            c->children[k].is_view ? "true" : "false");
            json_uuid(out, c->children[k].id);
            reel_buf_printf(out, "}");
        }
        reel_buf_printf(out, "],\"col_shares\":[");
        for (size_t k = 0; k < c->n_col_shares; k++)
            reel_buf_printf(out, "%s%g", k ? "," : "", (double)c->col_shares[k]);
        reel_buf_printf(out, "],\"row_shares\":[");
        for (size_t k = 0; k < c->n_row_shares; k++)
            reel_buf_printf(out, "%s%g", k ? "," : "", (double)c->row_shares[k]);
        reel_buf_printf(out, "],\"active_tab\":%d,\"visible\":%s,\"grid_columns\":%u}",
                        c->active_tab, c->visible ? "true" : "false", c->grid_columns);
    }
    const reel_bp_time_panel *tp = &m->time_panel;
    reel_buf_printf(out, "],\"time_panel\":{\"timeline\":");
    if (tp->timeline)
        json_string(out, tp->timeline);
    else
        reel_buf_printf(out, "null");
    reel_buf_printf(out, ",\"speed\":");
    if (tp->has_speed)
        reel_buf_printf(out, "%g", tp->speed);
    else
        reel_buf_printf(out, "null");
    reel_buf_printf(out, ",\"play_state\":%u,\"loop_mode\":%u,\"state\":%u}", tp->play_state,
                    tp->loop_mode, tp->state);
    reel_buf_printf(out, ",\"panels\":{\"top\":%u,\"blueprint\":%u,\"selection\":%u}}",
                    m->top_panel, m->blueprint_panel, m->selection_panel);
}

static void json_recordings(reel_buf *out, reel_viewer *v)
{
    reel_buf_printf(out, "[");
    for (size_t i = 0; i < reel_viewer_recording_count(v); i++) {
        reel_viewer_recording *rec = reel_viewer_recording_at(v, i);
        const reel_store_id *id = reel_viewer_recording_id(rec);
        reel_buf_printf(out, "%s{\"app\":", i ? "," : "");
        json_string(out, id->application_id);
        reel_buf_printf(out, ",\"id\":");
        json_string(out, id->recording_id);
        reel_buf_printf(out, ",\"live\":%s,\"entities\":{",
                        reel_viewer_recording_is_live(rec) ? "true" : "false");
        reel_store *store = reel_viewer_recording_store(rec);
        bool first = true;
        for (uint32_t e = 0; e < reel_store_entity_count(store); e++) {
            const char *const *names = NULL;
            size_t n = reel_viewer_entity_archetypes(rec, e, &names);
            if (reel_store_entity_chunks(store, e) == 0)
                continue;
            reel_buf_printf(out, "%s", first ? "" : ",");
            first = false;
            json_string(out, reel_store_entity_path(store, e));
            reel_buf_printf(out, ":[");
            for (size_t k = 0; k < n; k++) {
                if (k)
                    reel_buf_printf(out, ",");
                json_string(out, names[k]);
            }
            reel_buf_printf(out, "]");
        }
        reel_buf_printf(out, "}}");
    }
    reel_buf_printf(out, "]");
}

static int print_and_free(reel_buf *out)
{
    fwrite(out->data, 1, out->len, stdout);
    fputc('\n', stdout);
    reel_buf_free(out);
    return 0;
}

static int cmd_dump(const char *path, const char *app, bool heuristic)
{
    reel_viewer *v = NULL;
    if (reel_viewer_create(&(reel_viewer_desc){.id_seed = 1}, &v, NULL) != REEL_OK)
        return 2;
    reel_viewer_load_result result;
    reel_error err = {0};
    if (reel_viewer_load_path(v, path, false, &result, &err) != REEL_OK)
        fprintf(stderr, "load: %s\n", err.message);
    if (heuristic) {
        reel_viewer_begin_frame(v, 0);
        reel_viewer_end_frame(v);
    }
    reel_buf out = {0};
    reel_buf_printf(&out, "{\"recordings\":");
    json_recordings(&out, v);
    reel_buf_printf(&out, ",\"model\":");
    json_model(&out, reel_viewer_blueprint_model(reel_viewer_blueprint_for_app(v, app)));
    reel_buf_printf(&out, ",\"has_default\":%s}",
                    reel_viewer_default_blueprint(v, app) ? "true" : "false");
    reel_viewer_destroy(v);
    return print_and_free(&out);
}

/* A blueprint made by the heuristic and then edited as a user would. */
static reel_viewer_blueprint *build_blueprint(reel_viewer *v, const char *app)
{
    vt_log_value(v, app, "rec", "/world/points", 0, NULL, "Points3D", "positions", 0, 0, 0);
    vt_log_value(v, app, "rec", "/plot", 0, NULL, "Scalars", "scalars", 1, 0, 0);
    vt_log_value(v, app, "rec", "/log", 0, NULL, "TextLog", "text", 0, 0, 0);
    reel_viewer_begin_frame(v, 0);
    reel_viewer_end_frame(v);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    for (size_t i = 0; i < m->n_views; i++)
        if (strcmp(m->views[i].class_identifier, "3D") == 0) {
            reel_viewer_uuid id = m->views[i].id;
            CHECK_OK(reel_bp_rename(v, bp, id, "My 3D", NULL));
            const char *query[] = {"+ $origin/**", "- /world/hidden/**"};
            CHECK_OK(reel_bp_set_view_query(v, bp, id, query, 2, NULL));
            break;
        }
    m = reel_viewer_blueprint_model(bp);
    float shares[2] = {2, 1};
    CHECK_OK(reel_bp_set_shares(v, bp, m->root_container, shares, 2, NULL, 0, NULL));
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    reel_viewer_time_set_speed(v, rec, 2.0);
    reel_viewer_time_set_loop_mode(v, rec, REEL_LOOP_ALL);
    reel_viewer_time_set_timeline(v, rec, "frame");
    CHECK_OK(reel_bp_set_panel_state(v, bp, "selection_panel", 1, NULL));
    reel_viewer_end_frame(v);
    return bp;
}

static int cmd_save(const char *path, const char *app)
{
    reel_viewer *v = NULL;
    if (reel_viewer_create(&(reel_viewer_desc){.id_seed = 5}, &v, NULL) != REEL_OK)
        return 2;
    reel_viewer_blueprint *bp = build_blueprint(v, app);
    reel_error err = {0};
    if (reel_bp_save_rbl(bp, path, &err) != REEL_OK) {
        fprintf(stderr, "save: %s\n", err.message);
        reel_viewer_destroy(v);
        return 2;
    }
    reel_buf out = {0};
    json_model(&out, reel_viewer_blueprint_model(bp));
    reel_viewer_destroy(v);
    return print_and_free(&out);
}

static int cmd_listen(double seconds, const char *entity)
{
    reel_viewer *v = NULL;
    if (reel_viewer_create(&(reel_viewer_desc){.id_seed = 9}, &v, NULL) != REEL_OK)
        return 2;
    reel_error err = {0};
    if (reel_viewer_live_start(v, NULL, &err) != REEL_OK) {
        fprintf(stderr, "listen: %s\n", err.message);
        return 2;
    }
    printf("port %u\n", (unsigned)reel_viewer_live_port(v));
    fflush(stdout);
    uint64_t deadline = reel_clock_monotonic_ns() + (uint64_t)(seconds * 1e9);
    bool found = false;
    while (!found && reel_clock_monotonic_ns() < deadline) {
        reel_viewer_begin_frame(v, 0.016);
        reel_viewer_end_frame(v);
        for (size_t i = 0; i < reel_viewer_recording_count(v) && !found; i++)
            found =
                reel_store_entity_find(reel_viewer_recording_store(reel_viewer_recording_at(v, i)),
                                       entity) != REEL_STORE_NO_ID;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    /* A little longer for what was sent with it, then one more frame. */
    struct timespec ts = {0, 300000000};
    nanosleep(&ts, NULL);
    reel_viewer_begin_frame(v, 0.016);
    reel_viewer_end_frame(v);
    reel_buf out = {0};
    reel_buf_printf(&out, "{\"found\":%s,\"recordings\":", found ? "true" : "false");
    json_recordings(&out, v);
    reel_buf_printf(&out, ",\"model\":");
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(v);
    if (bp != NULL)
        json_model(&out, reel_viewer_blueprint_model(bp));
    else
        reel_buf_printf(&out, "null");
    reel_buf_printf(&out, "}");
    reel_viewer_destroy(v);
    return print_and_free(&out);
}

TEST(save_then_dump_gives_the_same_model)
{
    char path[] = "/tmp/reel_viewer_tool_XXXXXX";
    close(mkstemp(path));
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 5}, &v, NULL));
    reel_viewer_blueprint *bp = build_blueprint(v, "tool_app");
    reel_buf a = {0};
    json_model(&a, reel_viewer_blueprint_model(bp));
    CHECK_OK(reel_bp_save_rbl(bp, path, NULL));
    reel_viewer *w = NULL;
    CHECK_OK(reel_viewer_create(NULL, &w, NULL));
    CHECK_OK(reel_viewer_load_path(w, path, false, NULL, NULL));
    reel_buf b = {0};
    json_model(&b, reel_viewer_blueprint_model(reel_viewer_blueprint_for_app(w, "tool_app")));
    reel_buf_append_u8(&a, 0);
    reel_buf_append_u8(&b, 0);
    CHECK_EQ_STR((const char *)b.data, (const char *)a.data);
    CHECK(strstr((const char *)a.data, "\"My 3D\"") != NULL);
    reel_buf_free(&a);
    reel_buf_free(&b);
    reel_viewer_destroy(w);
    reel_viewer_destroy(v);
    remove(path);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "dump") == 0)
        return cmd_dump(argv[2], argv[3], argc >= 5 && strcmp(argv[4], "--heuristic") == 0);
    if (argc >= 4 && strcmp(argv[1], "save") == 0)
        return cmd_save(argv[2], argv[3]);
    if (argc >= 4 && strcmp(argv[1], "listen") == 0)
        return cmd_listen(atof(argv[2]), argv[3]);
    if (argc > 1) {
        fprintf(stderr, "usage: test_viewer_tool [dump FILE APP [--heuristic] | save OUT APP | "
                        "listen SECONDS ENTITY]\n");
        return 1;
    }
    RUN(save_then_dump_gives_the_same_model);
    TEST_MAIN_END();
}
