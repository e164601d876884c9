/* The viewer's app state: recordings and blueprint stores by store id, the per-application
 * default/active blueprints, the recordings list order, and ingestion of messages from files
 * and streams (SetStoreInfo, ArrowMsg, BlueprintActivationCommand) as Rerun's viewer handles
 * them. Also the per-frame entry point. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "viewer/viewer_internal.h"

bool reel__recording_start_time(const reel_viewer_recording *rec, int64_t *out);

reel_status reel_viewer_create(const reel_viewer_desc *desc, reel_viewer **out, reel_error *err)
{
    reel_viewer_desc d = desc != NULL ? *desc : (reel_viewer_desc){0};
    const reel_allocator *alloc = d.alloc != NULL ? d.alloc : reel_allocator_default();
    reel_viewer *v = reel_alloc_zeroed(alloc, sizeof *v);
    if (v == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    v->alloc = alloc;
    v->desc = d;
    v->rng =
        d.id_seed != 0 ? d.id_seed : (uint64_t)reel_clock_wall_ns() ^ reel_clock_monotonic_ns();
    reel_vec_init(&v->recordings, sizeof(reel_viewer_recording *), alloc);
    reel_vec_init(&v->blueprints, sizeof(reel_viewer_blueprint *), alloc);
    reel_vec_init(&v->apps, sizeof(viewer_app), alloc);
    reel_vec_init(&v->selection, sizeof(reel_viewer_item), alloc);
    *out = v;
    return REEL_OK;
}

void reel_viewer_select_clear(reel_viewer *viewer);
void reel__viewer_hover_free(reel_viewer *viewer);

void reel_viewer_destroy(reel_viewer *v)
{
    if (v == NULL)
        return;
    reel__viewer_live_free(v);
    for (size_t i = 0; i < v->recordings.len; i++)
        reel__recording_destroy(REEL_VEC_AT(&v->recordings, reel_viewer_recording *, i));
    for (size_t i = 0; i < v->blueprints.len; i++)
        reel__blueprint_destroy(REEL_VEC_AT(&v->blueprints, reel_viewer_blueprint *, i));
    for (size_t i = 0; i < v->apps.len; i++) {
        viewer_app *app = &REEL_VEC_AT(&v->apps, viewer_app, i);
        reel__blueprint_destroy(app->active);
        reel_strfree(v->alloc, app->app_id);
    }
    reel_viewer_select_clear(v);
    reel__viewer_hover_free(v);
    reel_vec_free(&v->recordings);
    reel_vec_free(&v->blueprints);
    reel_vec_free(&v->apps);
    reel_vec_free(&v->selection);
    reel_free(v->alloc, v, sizeof *v);
}

reel_viewer_uuid reel__viewer_new_uuid(reel_viewer *viewer)
{
    /* splitmix64: ids only need to be unique, and reproducible under a fixed seed. */
    reel_viewer_uuid id;
    for (int half = 0; half < 2; half++) {
        uint64_t z = (viewer->rng += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        for (int i = 0; i < 8; i++)
            id.bytes[half * 8 + i] = (uint8_t)(z >> (8 * i));
    }
    id.bytes[6] = (uint8_t)((id.bytes[6] & 0x0F) | 0x40); /* version 4 */
    id.bytes[8] = (uint8_t)((id.bytes[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    return id;
}

/* ---------------------------------------------------------------- apps */

viewer_app *reel__viewer_app(reel_viewer *viewer, const char *app_id, bool create)
{
    const char *key = app_id != NULL ? app_id : "";
    for (size_t i = 0; i < viewer->apps.len; i++) {
        viewer_app *app = &REEL_VEC_AT(&viewer->apps, viewer_app, i);
        if (strcmp(app->app_id, key) == 0)
            return app;
    }
    if (!create)
        return NULL;
    viewer_app app = {.app_id = reel_strdup(viewer->alloc, key)};
    if (app.app_id == NULL || reel_vec_push(&viewer->apps, &app) != REEL_OK) {
        reel_strfree(viewer->alloc, app.app_id);
        return NULL;
    }
    return &REEL_VEC_AT(&viewer->apps, viewer_app, viewer->apps.len - 1);
}

/* An empty viewer-made default blueprint (recording id = app id: heuristics on, §1.1). */
static reel_viewer_blueprint *make_heuristic_blueprint(reel_viewer *viewer, const char *app_id)
{
    reel_store_id id = {.kind = REEL_STORE_KIND_BLUEPRINT,
                        .recording_id = (char *)app_id,
                        .application_id = (char *)app_id};
    reel_viewer_blueprint *bp = NULL;
    if (reel__blueprint_create(viewer, &id, &bp, NULL) != REEL_OK)
        return NULL;
    return bp;
}

reel_viewer_blueprint *reel_viewer_blueprint_for_app(reel_viewer *viewer, const char *app_id)
{
    viewer_app *app = reel__viewer_app(viewer, app_id, true);
    if (app == NULL)
        return NULL;
    /* No active blueprint: a copy of the app's default when there is one (an SDK's
     * make_default without make_active, as rr.save(default_blueprint=...) sends), else an
     * empty viewer-made one with the heuristics on. */
    if (app->active == NULL && app->fallback != NULL)
        (void)reel__blueprint_clone(app->fallback, &app->active, NULL);
    if (app->active == NULL)
        app->active = make_heuristic_blueprint(viewer, app->app_id);
    return app->active;
}

reel_viewer_blueprint *reel_viewer_active_blueprint(reel_viewer *viewer)
{
    if (viewer->active == NULL)
        return NULL;
    return reel_viewer_blueprint_for_app(viewer, viewer->active->id.application_id);
}

reel_viewer_blueprint *reel_viewer_default_blueprint(reel_viewer *viewer, const char *app_id)
{
    viewer_app *app = reel__viewer_app(viewer, app_id, false);
    return app != NULL ? app->fallback : NULL;
}

static reel_status set_active_copy(reel_viewer *viewer, viewer_app *app,
                                   const reel_viewer_blueprint *src, reel_error *err)
{
    reel_viewer_blueprint *copy = NULL;
    REEL_TRY(reel__blueprint_clone(src, &copy, err));
    reel__blueprint_destroy(app->active);
    app->active = copy;
    (void)viewer;
    return REEL_OK;
}

reel_status reel_viewer_reset_to_default(reel_viewer *viewer, const char *app_id, reel_error *err)
{
    viewer_app *app = reel__viewer_app(viewer, app_id, false);
    if (app == NULL || app->fallback == NULL)
        return reel_error_set(err, REEL_NOT_FOUND,
                              "viewer: no default blueprint is set for app '%s'",
                              app_id != NULL ? app_id : "");
    return set_active_copy(viewer, app, app->fallback, err);
}

reel_status reel_viewer_reset_to_heuristic(reel_viewer *viewer, const char *app_id, reel_error *err)
{
    viewer_app *app = reel__viewer_app(viewer, app_id, true);
    if (app == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    reel_viewer_blueprint *fresh = make_heuristic_blueprint(viewer, app->app_id);
    if (fresh == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory for a blueprint");
    reel__blueprint_destroy(app->active);
    app->active = fresh;
    return REEL_OK;
}

/* ---------------------------------------------------------------- stores by id */

static reel_viewer_recording *find_recording(reel_viewer *viewer, const reel_store_id *id)
{
    for (size_t i = 0; i < viewer->recordings.len; i++) {
        reel_viewer_recording *rec = REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, i);
        if (reel_store_id_equal(&rec->id, id))
            return rec;
    }
    return NULL;
}

static reel_viewer_blueprint *find_blueprint(reel_viewer *viewer, const reel_store_id *id)
{
    for (size_t i = 0; i < viewer->blueprints.len; i++) {
        reel_viewer_blueprint *bp = REEL_VEC_AT(&viewer->blueprints, reel_viewer_blueprint *, i);
        if (reel_store_id_equal(&bp->id, id))
            return bp;
    }
    return NULL;
}

static reel_status get_recording(reel_viewer *viewer, const reel_store_id *id,
                                 reel_viewer_source source, reel_viewer_recording **out,
                                 reel_error *err)
{
    reel_viewer_recording *rec = find_recording(viewer, id);
    if (rec == NULL) {
        REEL_TRY(reel__recording_create(viewer, id, &rec, err));
        if (reel_vec_push(&viewer->recordings, &rec) != REEL_OK) {
            reel__recording_destroy(rec);
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
        }
        rec->live = source == REEL_VIEWER_SOURCE_LIVE;
        viewer->order_dirty = true;
        if (viewer->active == NULL)
            viewer->active = rec;
    }
    *out = rec;
    return REEL_OK;
}

static reel_status get_blueprint(reel_viewer *viewer, const reel_store_id *id,
                                 reel_viewer_blueprint **out, reel_error *err)
{
    reel_viewer_blueprint *bp = find_blueprint(viewer, id);
    if (bp == NULL) {
        REEL_TRY(reel__blueprint_create(viewer, id, &bp, err));
        if (reel_vec_push(&viewer->blueprints, &bp) != REEL_OK) {
            reel__blueprint_destroy(bp);
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
        }
    }
    *out = bp;
    return REEL_OK;
}

static reel_status activate_blueprint(reel_viewer *viewer, reel_viewer_blueprint *bp,
                                      bool make_active, bool make_default, reel_error *err)
{
    viewer_app *app = reel__viewer_app(viewer, bp->id.application_id, true);
    if (app == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    bp->activated = true;
    if (make_default)
        app->fallback = bp;
    if (make_active)
        REEL_TRY(set_active_copy(viewer, app, bp, err));
    return REEL_OK;
}

reel_status reel__viewer_ingest(reel_viewer *viewer, const viewer_msg *msg,
                                reel_viewer_source source, reel_error *err)
{
    const reel_store_id *id = msg->store_id;
    if (msg->kind == REEL_RRD_MESSAGE_END)
        return REEL_OK;
    if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION) {
        reel_viewer_blueprint *bp = find_blueprint(viewer, id);
        if (bp == NULL)
            return reel_error_set(err, REEL_NOT_FOUND,
                                  "viewer: BlueprintActivationCommand for unknown blueprint %s/%s",
                                  id->application_id ? id->application_id : "", id->recording_id);
        return activate_blueprint(viewer, bp, msg->make_active, msg->make_default, err);
    }
    if (id->kind == REEL_STORE_KIND_BLUEPRINT) {
        reel_viewer_blueprint *bp = NULL;
        REEL_TRY(get_blueprint(viewer, id, &bp, err));
        if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->chunk != NULL) {
            REEL_TRY(reel_store_insert(bp->store, msg->chunk, err));
            reel__blueprint_data_added(bp);
        }
        return REEL_OK;
    }
    reel_viewer_recording *rec = NULL;
    REEL_TRY(get_recording(viewer, id, source, &rec, err));
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        rec->source_kind = msg->source_kind;
        /* Rerun's viewer opens every recording it is told about (SetStoreInfo) at once. */
        viewer->active = rec;
    }
    if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->chunk != NULL)
        return reel_store_insert(rec->store, msg->chunk, err);
    return REEL_OK;
}

reel_status reel_viewer_ingest(reel_viewer *viewer, const reel_rrd_message *msg,
                               reel_viewer_source source, reel_error *err)
{
    viewer_msg m = {.kind = msg->kind,
                    .store_id = msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO
                                    ? &msg->store_info.store_id
                                    : &msg->store_id,
                    .source_kind = msg->store_info.source_kind,
                    .chunk = msg->arrow.chunk,
                    .make_active = msg->activation.make_active,
                    .make_default = msg->activation.make_default};
    return reel__viewer_ingest(viewer, &m, source, err);
}

/* ---------------------------------------------------------------- files */

typedef struct load_ctx {
    reel_viewer *viewer;
    reel_viewer_load_result *result;
    const char *app_override;
    reel_vec touched; /* reel_viewer_blueprint * seen in this file */
} load_ctx;

static void note_problem(load_ctx *ctx, reel_status status, const char *message)
{
    if (ctx->result->status == REEL_OK) {
        ctx->result->status = status;
        size_t len = strlen(message);
        if (len >= sizeof ctx->result->error)
            len = reel__utf8_trim_partial(message, sizeof ctx->result->error - 1);
        memcpy(ctx->result->error, message, len);
        ctx->result->error[len] = '\0';
    }
}

static reel_status on_file_message(void *vctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    load_ctx *ctx = vctx;
    if (msg == NULL) {
        ctx->result->bad_messages++;
        note_problem(ctx, msg_error->status, msg_error->message);
        return REEL_OK;
    }
    reel_store_id id =
        msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO ? msg->store_info.store_id : msg->store_id;
    if (ctx->app_override != NULL && id.kind == REEL_STORE_KIND_BLUEPRINT)
        id.application_id = (char *)ctx->app_override;
    viewer_msg m = {.kind = msg->kind,
                    .store_id = &id,
                    .source_kind = msg->store_info.source_kind,
                    .chunk = msg->arrow.chunk,
                    .make_active = msg->activation.make_active,
                    .make_default = msg->activation.make_default};
    reel_error err = {0};
    reel_status status = reel__viewer_ingest(ctx->viewer, &m, REEL_VIEWER_SOURCE_FILE, &err);
    if (status != REEL_OK) {
        ctx->result->bad_messages++;
        char text[600];
        snprintf(text, sizeof text, "message %" PRIu64 " at offset %" PRIu64 ": %s", msg->index,
                 msg->offset, err.message);
        note_problem(ctx, status, text);
        return REEL_OK;
    }
    ctx->result->messages++;
    if (id.kind == REEL_STORE_KIND_BLUEPRINT && msg->kind != REEL_RRD_MESSAGE_END) {
        reel_viewer_blueprint *bp = find_blueprint(ctx->viewer, &id);
        bool seen = false;
        for (size_t i = 0; bp != NULL && i < ctx->touched.len; i++)
            seen |= REEL_VEC_AT(&ctx->touched, reel_viewer_blueprint *, i) == bp;
        if (bp != NULL && !seen)
            (void)reel_vec_push(&ctx->touched, &bp);
    }
    return REEL_OK;
}

reel_status reel_viewer_load_path(reel_viewer *viewer, const char *path, bool rbl_for_active_app,
                                  reel_viewer_load_result *result, reel_error *err)
{
    reel_viewer_load_result local;
    if (result == NULL)
        result = &local;
    memset(result, 0, sizeof *result);
    load_ctx ctx = {.viewer = viewer, .result = result};
    reel_vec_init(&ctx.touched, sizeof(reel_viewer_blueprint *), viewer->alloc);
    if (rbl_for_active_app && viewer->active != NULL)
        ctx.app_override = viewer->active->id.application_id;
    reel_rrd_decoder_options options = {.name = path, .alloc = viewer->alloc};
    reel_error read_err = {0};
    reel_status status = reel_rrd_read_path(path, &options, on_file_message, &ctx, &read_err);
    if (status != REEL_OK)
        note_problem(&ctx, status, read_err.message);
    /* Blueprints no activation command activated: default + active (Rerun's file loader). */
    for (size_t i = 0; i < ctx.touched.len; i++) {
        reel_viewer_blueprint *bp = REEL_VEC_AT(&ctx.touched, reel_viewer_blueprint *, i);
        if (!bp->activated) {
            reel_error act_err = {0};
            if (activate_blueprint(viewer, bp, true, true, &act_err) != REEL_OK)
                note_problem(&ctx, act_err.status, act_err.message);
        }
    }
    reel_vec_free(&ctx.touched);
    if (result->status != REEL_OK)
        return reel_error_set(err, result->status, "%s", result->error);
    return REEL_OK;
}

/* ---------------------------------------------------------------- the recordings list */

static int compare_recordings(const void *pa, const void *pb)
{
    const reel_viewer_recording *a = *(reel_viewer_recording *const *)pa;
    const reel_viewer_recording *b = *(reel_viewer_recording *const *)pb;
    const char *app_a = a->id.application_id ? a->id.application_id : "";
    const char *app_b = b->id.application_id ? b->id.application_id : "";
    int c = strcmp(app_a, app_b);
    if (c != 0)
        return c;
    int64_t ta = 0, tb = 0;
    bool has_a = reel__recording_start_time(a, &ta), has_b = reel__recording_start_time(b, &tb);
    if (has_a && has_b && ta != tb)
        return ta < tb ? -1 : 1;
    if (has_a != has_b)
        return has_a ? -1 : 1;
    if (a->arrival != b->arrival && !(has_a && has_b))
        return a->arrival < b->arrival ? -1 : 1;
    return strcmp(a->id.recording_id, b->id.recording_id);
}

static void sort_recordings(const reel_viewer *viewer)
{
    reel_viewer *v = (reel_viewer *)viewer;
    if (!v->order_dirty || v->recordings.len < 2) {
        v->order_dirty = false;
        return;
    }
    qsort(v->recordings.data, v->recordings.len, sizeof(reel_viewer_recording *),
          compare_recordings);
    v->order_dirty = false;
}

size_t reel_viewer_recording_count(const reel_viewer *viewer)
{
    return viewer->recordings.len;
}

reel_viewer_recording *reel_viewer_recording_at(const reel_viewer *viewer, size_t index)
{
    sort_recordings(viewer);
    return index < viewer->recordings.len
               ? REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, index)
               : NULL;
}

reel_viewer_recording *reel_viewer_recording_find(const reel_viewer *viewer,
                                                  const char *recording_id)
{
    for (size_t i = 0; i < viewer->recordings.len; i++) {
        reel_viewer_recording *rec = REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, i);
        if (strcmp(rec->id.recording_id, recording_id) == 0)
            return rec;
    }
    return NULL;
}

reel_viewer_recording *reel_viewer_active_recording(const reel_viewer *viewer)
{
    return viewer->active;
}

void reel_viewer_set_active_recording(reel_viewer *viewer, reel_viewer_recording *rec)
{
    viewer->active = rec;
}

void reel_viewer_close_recording(reel_viewer *viewer, reel_viewer_recording *rec)
{
    sort_recordings(viewer);
    for (size_t i = 0; i < viewer->recordings.len; i++) {
        if (REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, i) != rec)
            continue;
        memmove(&REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, i),
                &REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, i + 1),
                (viewer->recordings.len - i - 1) * sizeof(reel_viewer_recording *));
        viewer->recordings.len--;
        if (viewer->active == rec) {
            size_t next = i < viewer->recordings.len ? i : viewer->recordings.len - 1;
            viewer->active = viewer->recordings.len > 0
                                 ? REEL_VEC_AT(&viewer->recordings, reel_viewer_recording *, next)
                                 : NULL;
        }
        reel__recording_destroy(rec);
        return;
    }
}

/* ---------------------------------------------------------------- frames */

void reel__viewer_hover_swap(reel_viewer *viewer);

void reel_viewer_begin_frame(reel_viewer *viewer, double dt)
{
    reel_viewer_live_drain(viewer, 0);
    reel__viewer_hover_swap(viewer);
    reel_viewer_recording *rec = viewer->active;
    if (rec == NULL)
        return;
    reel_viewer_run_heuristics(viewer, rec);
    reel_viewer_time_update(viewer, rec, dt);
}

void reel_viewer_end_frame(reel_viewer *viewer)
{
    for (size_t i = 0; i < viewer->apps.len; i++) {
        viewer_app *app = &REEL_VEC_AT(&viewer->apps, viewer_app, i);
        if (app->active != NULL)
            app->active->edit_open = false;
    }
}
