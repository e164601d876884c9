/* Runs the viewer app (src/app) through the platform layer: in a GLFW window (with the live
 * listener on --port), or headless for --screenshot (EGL surfaceless, a few frames, the last
 * written as PNG); and --dump-blueprint, which needs no GL at all. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli_view.h"

#include "platform/platform.h"
#include "render/render.h"

/* ---------------------------------------------------------------- --dump-blueprint */

/* The view properties Reel reads (app_views.c's mapping), as stored at the blueprint cursor:
 * "Archetype:field": {"i": [...], "f": [...], "s": "..."} (reel_bp_prop's flattening). */
static const char *const dumped_properties[][2] = {
    {"EyeControls3D", "kind"},
    {"EyeControls3D", "position"},
    {"EyeControls3D", "look_target"},
    {"EyeControls3D", "eye_up"},
    {"EyeControls3D", "tracking_entity"},
    {"LineGrid3D", "visible"},
    {"LineGrid3D", "spacing"},
    {"VisualBounds2D", "range"},
    {"TimeAxis", "view_range"},
    {"ScalarAxis", "range"},
    {"PlotLegend", "visible"},
    {"TextLogColumns", "timeline_columns"},
    {"TextLogColumns", "text_log_columns"},
};

static void json_properties(FILE *out, const reel_viewer_blueprint *bp, reel_viewer_uuid id)
{
    fprintf(out, ",\"properties\":{");
    bool first = true;
    for (size_t k = 0; k < sizeof dumped_properties / sizeof dumped_properties[0]; k++) {
        reel_bp_prop p;
        if (!reel_bp_view_property(bp, id, dumped_properties[k][0], dumped_properties[k][1], &p))
            continue;
        fprintf(out, "%s\"%s:%s\":{\"i\":[", first ? "" : ",", dumped_properties[k][0],
                dumped_properties[k][1]);
        first = false;
        for (uint32_t j = 0; j < p.n_i; j++)
            fprintf(out, "%s%" PRId64, j ? "," : "", p.i[j]);
        fprintf(out, "],\"f\":[");
        for (uint32_t j = 0; j < p.n_f; j++)
            fprintf(out, "%s%.17g", j ? "," : "", p.f[j]);
        fprintf(out, "]");
        if (p.n_s > 0) {
            fprintf(out, ",\"s\":");
            cli_json_string(out, p.s);
        }
        fprintf(out, "}");
    }
    fprintf(out, "}");
}

static void json_uuid(FILE *out, reel_viewer_uuid id)
{
    char text[37];
    reel_viewer_uuid_format(id, text);
    fprintf(out, "\"%s\"", text);
}

int cli_view_dump_blueprint(reel_viewer *viewer, FILE *out)
{
    reel_viewer_begin_frame(viewer, 0);
    reel_viewer_recording *rec = reel_viewer_active_recording(viewer);
    reel_viewer_blueprint *bp = rec != NULL ? reel_viewer_active_blueprint(viewer) : NULL;
    if (bp == NULL) {
        fprintf(stderr, "reel: --dump-blueprint: no recording was loaded\n");
        return CLI_EXIT_BAD_INPUT;
    }
    const reel_bp_model *m = reel_viewer_blueprint_model(bp);
    const reel_store_id *id = reel_viewer_recording_id(rec);
    fprintf(out, "{\"application_id\":");
    cli_json_string(out, id->application_id ? id->application_id : "");
    fprintf(out, ",\"recording_id\":");
    cli_json_string(out, id->recording_id);
    fprintf(out,
            ",\"auto_layout\":%s,\"auto_views\":%s,\"root\":", m->auto_layout ? "true" : "false",
            m->auto_views ? "true" : "false");
    if (m->has_root)
        json_uuid(out, m->root_container);
    else
        fprintf(out, "null");
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    fprintf(out, ",\"time\":{\"timeline\":");
    cli_json_string(out, t.timeline_name);
    fprintf(out, ",\"cursor\":%" PRId64 "}", t.cursor);
    fprintf(out, ",\"views\":[");
    reel_vec entities;
    reel_vec_init(&entities, sizeof(uint32_t), NULL);
    for (size_t i = 0; i < m->n_views; i++) {
        const reel_bp_view *v = &m->views[i];
        fprintf(out, "%s{\"id\":", i ? "," : "");
        json_uuid(out, v->id);
        fprintf(out, ",\"class\":");
        cli_json_string(out, v->class_identifier);
        fprintf(out, ",\"name\":");
        if (v->display_name)
            cli_json_string(out, v->display_name);
        else
            fprintf(out, "null");
        fprintf(out, ",\"origin\":");
        cli_json_string(out, v->space_origin);
        fprintf(out, ",\"visible\":%s,\"query\":[", v->visible ? "true" : "false");
        for (size_t q = 0; q < v->n_query; q++) {
            fprintf(out, "%s", q ? "," : "");
            cli_json_string(out, v->query[q]);
        }
        fprintf(out, "],\"entities\":[");
        reel_error err = {0};
        if (reel_viewer_view_entities(rec, v, &entities, &err) == REEL_OK) {
            const reel_store *store = reel_viewer_recording_store(rec);
            for (size_t k = 0; k < entities.len; k++) {
                fprintf(out, "%s", k ? "," : "");
                const char *path =
                    reel_store_entity_path(store, REEL_VEC_AT(&entities, uint32_t, k));
                cli_json_string(out, path ? path : "");
            }
        }
        fprintf(out, "]");
        json_properties(out, bp, v->id);
        fprintf(out, "}");
    }
    reel_vec_free(&entities);
    fprintf(out, "],\"containers\":[");
    for (size_t i = 0; i < m->n_containers; i++) {
        const reel_bp_container *c = &m->containers[i];
        fprintf(out, "%s{\"id\":", i ? "," : "");
        json_uuid(out, c->id);
        fprintf(out, ",\"kind\":\"%s\",\"visible\":%s,\"grid_columns\":%u,\"children\":[",
                reel_container_kind_name(c->kind), c->visible ? "true" : "false", c->grid_columns);
        for (size_t k = 0; k < c->n_children; k++) {
            fprintf(out, "%s{\"view\":%s,\"id\":", k ? "," : "",
                    c->children[k].is_view ? "true" : "false");
            json_uuid(out, c->children[k].id);
            fprintf(out, "}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "]}\n");
    reel_viewer_end_frame(viewer);
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- window and screenshot */

static bool frame_cb(void *ctx, const reel_input *input, reel_draw_frame *out)
{
    return reel_app_frame(ctx, input, out);
}

static void rendered_cb(void *ctx, reel_renderer *renderer, const reel_draw_frame *frame)
{
    int32_t x = 0, y = 0;
    if (!reel_app_pick_wanted(ctx, &x, &y)) {
        reel_app_set_pick(ctx, NULL);
        return;
    }
    reel_draw_pick pick = {0};
    reel_error err = {0};
    if (reel_render_pick(renderer, frame, x, y, &pick, &err) != REEL_OK)
        pick.hit = false;
    reel_app_set_pick(ctx, &pick);
}

static reel_viewer_app *make_app(reel_viewer *viewer, bool deterministic, const char *listen_url)
{
    reel_viewer_app *app = NULL;
    reel_error err = {0};
    if (reel_app_create(&(reel_app_desc){.viewer = viewer,
                                         .deterministic = deterministic,
                                         .listen_url = listen_url},
                        &app, &err) != REEL_OK) {
        fprintf(stderr, "reel: %s\n", err.message);
        return NULL;
    }
    return app;
}

/* --layout-json: the views drawn in the last frame, with their content rectangles. */
static bool write_layout(reel_viewer *viewer, reel_viewer_app *app, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "reel: --layout-json %s: cannot create the file\n", path);
        return false;
    }
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(viewer);
    const reel_bp_model *m = bp != NULL ? reel_viewer_blueprint_model(bp) : NULL;
    fprintf(out, "{\"views\":[");
    size_t written = 0;
    for (size_t i = 0; m != NULL && i < m->n_views; i++) {
        float r[4];
        if (!reel_app_view_rect(app, m->views[i].id, r))
            continue;
        fprintf(out, "%s{\"id\":", written++ ? "," : "");
        json_uuid(out, m->views[i].id);
        fprintf(out, ",\"class\":");
        cli_json_string(out, m->views[i].class_identifier);
        fprintf(out, ",\"origin\":");
        cli_json_string(out, m->views[i].space_origin);
        fprintf(out, ",\"rect\":[%g,%g,%g,%g]}", r[0], r[1], r[2], r[3]);
    }
    fprintf(out, "]}\n");
    bool ok = fclose(out) == 0;
    if (!ok)
        fprintf(stderr, "reel: --layout-json %s: write failed\n", path);
    return ok;
}

int cli_view_screenshot(reel_viewer *viewer, const cli_view_options *o)
{
    reel_viewer_app *app = make_app(viewer, true, NULL);
    if (app == NULL)
        return CLI_EXIT_BAD_INPUT;
    reel_app platform_app = {.ctx = app, .frame = frame_cb, .rendered = rendered_cb};
    reel_error err = {0};
    reel_status status =
        reel_platform_screenshot(&platform_app,
                                 &(reel_screenshot_desc){.width = o->width,
                                                         .height = o->height,
                                                         .pixels_per_point = o->pixels_per_point,
                                                         .n_frames = o->frames ? o->frames : 4,
                                                         .png_path = o->screenshot},
                                 &err);
    if (status == REEL_OK && o->layout_json != NULL && !write_layout(viewer, app, o->layout_json)) {
        reel_app_destroy(app);
        return CLI_EXIT_BAD_INPUT;
    }
    reel_app_destroy(app);
    if (status != REEL_OK) {
        fprintf(stderr, "reel: --screenshot %s: %s\n", o->screenshot, err.message);
        return status == REEL_IO ? CLI_EXIT_BAD_INPUT : CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_view_window(reel_viewer *viewer, const cli_view_options *o)
{
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    if ((display == NULL || !display[0]) && (wayland == NULL || !wayland[0])) {
        fprintf(
            stderr,
            "reel: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no window can open.\n"
            "      To render without a display: reel --screenshot OUT.png [--size WxH] FILE...\n"
            "      (or run under a virtual display: xvfb-run -a reel FILE...; see reel --help)\n");
        return CLI_EXIT_USAGE;
    }
    char listen_url[128] = "";
    if (o->port != 0) {
        reel_error err = {0};
        if (reel_viewer_live_start(viewer, &(reel_viewer_live_desc){.port = o->port}, &err) ==
            REEL_OK) {
            snprintf(listen_url, sizeof listen_url, "rerun+http://127.0.0.1:%u/proxy",
                     reel_viewer_live_port(viewer));
            fprintf(stderr, "reel: listening for SDKs on %s\n", listen_url);
        } else {
            fprintf(stderr, "reel: not listening on port %u: %s\n", o->port, err.message);
        }
    }
    reel_viewer_app *app = make_app(viewer, false, listen_url[0] ? listen_url : NULL);
    if (app == NULL)
        return CLI_EXIT_BAD_INPUT;
    reel_app platform_app = {.ctx = app, .frame = frame_cb, .rendered = rendered_cb};
    reel_error err = {0};
    reel_status status = reel_platform_run_window(
        &platform_app,
        &(reel_window_desc){
            .title = "Reel", .width = o->width, .height = o->height, .max_frames = o->frames},
        &err);
    reel_app_destroy(app);
    reel_viewer_live_stop(viewer);
    if (status != REEL_OK) {
        fprintf(stderr,
                "reel: cannot open a window: %s\n"
                "      To render without a display: reel --screenshot OUT.png FILE...\n",
                err.message);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
