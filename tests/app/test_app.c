/* The viewer app's frames driven by synthetic input, without a renderer: the welcome screen,
 * the viewport laid out from the blueprint (tab bars, a grid of views inside the window), a
 * click on a view's tab selecting it, maximise as a blueprint write undone by Ctrl+Z and redone
 * by Ctrl+Shift+Z, a splitter drag writing new shares, Space toggling play, scrubbing in the
 * time panel, files dropped on the window being opened, and the file dialog (Ctrl+O, the menu,
 * the welcome screen's button): typed paths, Up/Down/Enter navigation, errors shown in the
 * dialog, an SDK-shaped .rrd loaded, Escape closing it. */
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/app_internal.h"
#include "views/views.h"
#include "viewer/viewer_testing.h"

#define W 1280
#define H 720

typedef struct harness {
    reel_viewer *viewer;
    reel_viewer_app *app;
    reel_input in;
    reel_draw_frame frame;
    bool running;
} harness;

static void start(harness *h)
{
    memset(h, 0, sizeof *h);
    CHECK_OK(reel_viewer_create(&(reel_viewer_desc){.id_seed = 7}, &h->viewer, NULL));
    CHECK_OK(reel_app_create(
        &(reel_app_desc){.viewer = h->viewer, .deterministic = true, .show_all_panels = true},
        &h->app, NULL));
    h->in.width = W;
    h->in.height = H;
    h->in.pixels_per_point = 1;
    h->in.has_pointer = true;
    h->in.time_secs = 1;
}

static void stop(harness *h)
{
    reel_app_destroy(h->app);
    reel_viewer_destroy(h->viewer);
}

/* One frame; this frame's events are then cleared, as the platform does. */
static void frame(harness *h)
{
    h->running = reel_app_frame(h->app, &h->in, &h->frame);
    for (int b = 0; b < REEL_MOUSE_BUTTONS; b++)
        h->in.button_pressed[b] = h->in.button_released[b] = false;
    memset(h->in.key_pressed, 0, sizeof h->in.key_pressed);
    h->in.wheel_x = h->in.wheel_y = 0;
    h->in.n_drops = 0;
    h->in.modifiers = 0;
    h->in.time_secs += 1.0 / 60;
}

static void click(harness *h, float x, float y)
{
    h->in.pointer_x = x;
    h->in.pointer_y = y;
    frame(h);
    h->in.button_down[0] = h->in.button_pressed[0] = true;
    frame(h);
    h->in.button_down[0] = false;
    h->in.button_released[0] = true;
    frame(h);
}

static void key(harness *h, reel_key k, unsigned modifiers)
{
    h->in.key_pressed[k] = true;
    h->in.key_down[k] = true;
    h->in.modifiers = modifiers;
    frame(h);
    h->in.key_down[k] = false;
}

/* Points in 3D, two scalar series and a text log, over frames 0..9. */
static void log_scene(reel_viewer *v)
{
    for (int f = 0; f < 10; f++) {
        vt_log(v, "/world/points", f, "Points3D", "positions");
        vt_log_value(v, "app", "rec", "/plots/a", f, NULL, "Scalars", "scalars", f * 0.5, 0, 0);
        vt_log_value(v, "app", "rec", "/plots/b", f, NULL, "Scalars", "scalars", f * 0.25, 0, 0);
        vt_log(v, "/logs", f, "TextLog", "text");
    }
}

static const reel_bp_model *model_of(harness *h)
{
    return reel_viewer_blueprint_model(reel_viewer_active_blueprint(h->viewer));
}

TEST(welcome_screen_when_empty)
{
    harness h;
    start(&h);
    frame(&h);
    CHECK(h.running);
    CHECK_EQ_INT(h.frame.width, W);
    CHECK_EQ_INT(h.frame.n_scenes, 0);
    CHECK(h.frame.list != NULL && h.frame.list->n_vertices > 100);
    CHECK(h.frame.atlas != NULL);
    h.in.close_requested = true;
    frame(&h);
    CHECK(!h.running);
    stop(&h);
}

TEST(views_are_laid_out_inside_the_viewport)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    frame(&h);
    const reel_bp_model *m = model_of(&h);
    CHECK(m->n_views >= 3);
    size_t drawn = 0;
    for (size_t i = 0; i < m->n_views; i++) {
        float r[4];
        if (!reel_app_view_rect(h.app, m->views[i].id, r))
            continue;
        drawn++;
        CHECK(r[0] >= 0 && r[1] >= 28 + 24 && r[2] <= W && r[3] <= H);
        CHECK(r[2] - r[0] > 50 && r[3] - r[1] > 50);
        for (size_t k = 0; k < i; k++) { /* no two views overlap */
            float q[4];
            if (reel_app_view_rect(h.app, m->views[k].id, q))
                CHECK(r[2] <= q[0] || q[2] <= r[0] || r[3] <= q[1] || q[3] <= r[1]);
        }
    }
    CHECK_EQ_INT(drawn, m->n_views);
    stop(&h);
}

TEST(clicking_a_tab_selects_the_view)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    const reel_bp_model *m = model_of(&h);
    reel_viewer_uuid id = m->views[0].id;
    float r[4];
    CHECK(reel_app_view_rect(h.app, id, r));
    click(&h, r[0] + 30, r[1] - 12); /* on the tab title, 24 pt above the content */
    CHECK_EQ_INT(reel_viewer_selection_count(h.viewer), 1);
    const reel_viewer_item *sel = reel_viewer_selection_at(h.viewer, 0);
    CHECK(sel->kind == REEL_ITEM_VIEW && reel_viewer_uuid_equal(sel->id, id));
    key(&h, REEL_KEY_ESCAPE, 0);
    CHECK_EQ_INT(reel_viewer_selection_count(h.viewer), 0);
    stop(&h);
}

TEST(maximize_is_a_blueprint_write_with_undo_and_redo)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    const reel_bp_model *m = model_of(&h);
    reel_viewer_uuid id = m->views[0].id;
    float r[4];
    CHECK(reel_app_view_rect(h.app, id, r));
    CHECK(!m->has_maximized);
    click(&h, r[2] - 6 - 7, r[1] - 12); /* the maximise button at the right of the tab bar */
    m = model_of(&h);
    CHECK(m->has_maximized && reel_viewer_uuid_equal(m->maximized, id));
    frame(&h);
    CHECK(reel_app_view_rect(h.app, id, r));
    CHECK(r[2] - r[0] > W * 0.4f); /* fills the viewport */
    key(&h, REEL_KEY_Z, REEL_MOD_CTRL);
    CHECK(!model_of(&h)->has_maximized);
    key(&h, REEL_KEY_Z, REEL_MOD_CTRL | REEL_MOD_SHIFT);
    CHECK(model_of(&h)->has_maximized);
    stop(&h);
}

TEST(dragging_a_splitter_writes_shares)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    reel_viewer_blueprint *bp = reel_viewer_active_blueprint(h.viewer);
    const reel_bp_model *m = model_of(&h);
    reel_viewer_uuid root = m->root_container;
    CHECK_OK(reel_bp_set_container_kind(h.viewer, bp, root, REEL_CONTAINER_HORIZONTAL, NULL));
    reel_viewer_end_frame(h.viewer);
    frame(&h);
    m = model_of(&h);
    const reel_bp_container *c = reel_bp_model_container(m, root);
    CHECK(c != NULL && c->n_children >= 2);
    float a[4], b[4];
    const reel_bp_child *first = &c->children[0];
    if (!first->is_view) { /* auto layout wraps each view in a Tabs container of one */
        const reel_bp_container *tabs = reel_bp_model_container(m, first->id);
        CHECK(tabs != NULL && tabs->n_children == 1);
        first = &tabs->children[0];
    }
    /* The first child's right edge is the first splitter. */
    reel_viewer_uuid first_id = first->id; /* the model is replaced by the next edit */
    bool found = first->is_view && reel_app_view_rect(h.app, first_id, a);
    CHECK(found);
    if (found) {
        float x = a[2] + 1, y = (a[1] + a[3]) * 0.5f;
        h.in.pointer_x = x;
        h.in.pointer_y = y;
        frame(&h);
        h.in.button_down[0] = h.in.button_pressed[0] = true;
        frame(&h);
        for (int i = 1; i <= 5; i++) {
            h.in.pointer_x = x + 20.0f * (float)i;
            frame(&h);
        }
        h.in.button_down[0] = false;
        h.in.button_released[0] = true;
        frame(&h);
        frame(&h);
        m = model_of(&h);
        c = reel_bp_model_container(m, root);
        CHECK(c->n_col_shares >= 2);
        if (c->n_col_shares >= 2)
            CHECK(c->col_shares[0] > c->col_shares[1]);
        CHECK(reel_app_view_rect(h.app, first_id, b));
        CHECK_NEAR(b[2], a[2] + 100, 6);
    }
    stop(&h);
}

TEST(space_toggles_play_and_the_time_area_scrubs)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    reel_viewer_recording *rec = reel_viewer_active_recording(h.viewer);
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    reel_viewer_play_state before = t.play_state;
    key(&h, REEL_KEY_SPACE, 0);
    reel_viewer_time_get(rec, &t);
    CHECK(t.play_state != before);
    if (t.play_state != REEL_PLAY_PAUSED)
        key(&h, REEL_KEY_SPACE, 0);
    reel_viewer_time_get(rec, &t);
    CHECK(t.play_state == REEL_PLAY_PAUSED);
    /* Press near the right end of the time area (bottom panel, below the ruler). */
    click(&h, W - 40, H - 30);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor >= 8);
    click(&h, W * 0.22f + (W * 0.78f - 8) * 0.06f, H - 30);
    reel_viewer_time_get(rec, &t);
    CHECK(t.cursor <= 2);
    key(&h, REEL_KEY_RIGHT, REEL_MOD_CTRL);
    reel_viewer_time t2;
    reel_viewer_time_get(rec, &t2);
    CHECK_EQ_INT(t2.cursor, t.cursor + 1);
    stop(&h);
}

TEST(dropped_files_are_opened)
{
    harness h;
    start(&h);
    /* Write a recording with the SDK-shaped helper into an .rrd, then drop it. */
    char path[] = "/tmp/reel_test_app_drop_XXXXXX.rrd";
    int fd = mkstemps(path, 4);
    CHECK(fd >= 0);
    close(fd);
    reel_rrd_writer *w = NULL;
    CHECK_OK(reel_rrd_writer_create_path(path, NULL, &w, NULL));
    reel_store_id id = {REEL_STORE_KIND_RECORDING, "dropped", "drop_app"};
    reel_chunk *chunk = vt_make_chunk("/points", 0, NULL, "Points3D", "positions", 1, 0, 0);
    CHECK_OK(reel_rrd_writer_write_chunk(w, &id, chunk, NULL));
    reel_chunk_release(chunk);
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
    h.in.drops[0] = path;
    h.in.n_drops = 1;
    frame(&h);
    CHECK_EQ_INT(reel_viewer_recording_count(h.viewer), 1);
    CHECK(reel_viewer_active_recording(h.viewer) != NULL);
    frame(&h);
    CHECK(model_of(&h)->n_views == 1);
    remove(path);
    stop(&h);
}

/* Selects the focused field's text and types over it (a frame per 63 bytes, as the platform
 * hands text over). */
static void type(harness *h, const char *text)
{
    key(h, REEL_KEY_A, REEL_MOD_CTRL);
    size_t len = strlen(text);
    for (size_t at = 0; at < len;) {
        size_t n = len - at < sizeof h->in.text - 1 ? len - at : sizeof h->in.text - 1;
        memcpy(h->in.text, text + at, n);
        h->in.text[n] = '\0';
        frame(h);
        at += n;
    }
    h->in.text[0] = '\0';
}

static void write_recording(const char *path)
{
    reel_rrd_writer *w = NULL;
    CHECK_OK(reel_rrd_writer_create_path(path, NULL, &w, NULL));
    reel_store_id id = {REEL_STORE_KIND_RECORDING, "opened", "open_app"};
    reel_chunk *chunk = vt_make_chunk("/points", 0, NULL, "Points3D", "positions", 1, 0, 0);
    CHECK_OK(reel_rrd_writer_write_chunk(w, &id, chunk, NULL));
    reel_chunk_release(chunk);
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *dialog_dir(harness *h)
{
    const char *dir = NULL;
    reel_app_open_dialog_state(h->app, &dir, NULL);
    return dir;
}

static const char *dialog_error(harness *h)
{
    const char *error = NULL;
    reel_app_open_dialog_state(h->app, NULL, &error);
    return error;
}

static bool ends_with(const char *text, const char *tail)
{
    size_t a = strlen(text), b = strlen(tail);
    return a >= b && strcmp(text + a - b, tail) == 0;
}

TEST(file_dialog_opens_navigates_and_reports_errors)
{
    char dir[] = "/tmp/reel_open_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char real[PATH_MAX];
    CHECK(realpath(dir, real) != NULL);
    char path[512], sub[512], bad[512], notes[512];
    snprintf(path, sizeof path, "%s/rec.rrd", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(bad, sizeof bad, "%s/bad.rrd", dir);
    snprintf(notes, sizeof notes, "%s/notes.txt", dir);
    write_recording(path);
    CHECK(mkdir(sub, 0700) == 0);
    write_text(bad, "this is not an rrd file at all");
    write_text(notes, "hello");

    harness h;
    start(&h);
    frame(&h);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    key(&h, REEL_KEY_O, REEL_MOD_CTRL);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    frame(&h); /* the path field has the keyboard from here on */

    /* A missing file: the error is shown in the dialog, which stays open. */
    char text[128];
    snprintf(text, sizeof text, "%s/missing.rrd", dir);
    type(&h, text);
    key(&h, REEL_KEY_ENTER, 0);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    CHECK(strstr(dialog_error(&h), "no such file") != NULL);
    CHECK_EQ_INT(reel_viewer_recording_count(h.viewer), 0);

    /* A directory typed and Enter: it is listed. */
    frame(&h);
    type(&h, dir);
    key(&h, REEL_KEY_ENTER, 0);
    CHECK_EQ_STR(dialog_dir(&h), real);
    CHECK_EQ_STR(dialog_error(&h), "");

    /* Rows: "..", sub/, bad.rrd, rec.rrd (notes.txt is hidden). Down twice selects sub/,
     * Enter enters it; Up selects "..", Enter goes back. */
    frame(&h);
    key(&h, REEL_KEY_DOWN, 0);
    key(&h, REEL_KEY_DOWN, 0);
    key(&h, REEL_KEY_ENTER, 0);
    CHECK(ends_with(dialog_dir(&h), "/sub"));
    frame(&h);
    key(&h, REEL_KEY_UP, 0);
    key(&h, REEL_KEY_ENTER, 0);
    CHECK_EQ_STR(dialog_dir(&h), real);

    /* Not a recording, and a broken .rrd: errors in the dialog, nothing loaded. */
    frame(&h);
    type(&h, "notes.txt"); /* relative to the listed directory */
    key(&h, REEL_KEY_ENTER, 0);
    CHECK(strstr(dialog_error(&h), "not an .rrd") != NULL);
    frame(&h);
    type(&h, "bad.rrd");
    key(&h, REEL_KEY_ENTER, 0);
    CHECK(strstr(dialog_error(&h), "bad.rrd") != NULL);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    CHECK_EQ_INT(reel_viewer_recording_count(h.viewer), 0);

    /* The SDK-written recording: loaded, the dialog closes. */
    frame(&h);
    type(&h, path);
    key(&h, REEL_KEY_ENTER, 0);
    frame(&h);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    CHECK_EQ_INT(reel_viewer_recording_count(h.viewer), 1);
    CHECK(reel_viewer_active_recording(h.viewer) != NULL);
    frame(&h);
    CHECK(model_of(&h)->n_views == 1);

    /* Ctrl+O over a recording, then Escape closes it; it reopens in the same directory. */
    key(&h, REEL_KEY_O, REEL_MOD_CTRL);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    CHECK_EQ_STR(dialog_dir(&h), real);
    frame(&h);
    key(&h, REEL_KEY_ESCAPE, 0);
    frame(&h);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    CHECK_EQ_INT(reel_viewer_recording_count(h.viewer), 1);

    /* An unreadable directory (not as root, who reads everything): an error, no crash. */
    if (geteuid() != 0) {
        CHECK(chmod(sub, 0) == 0);
        key(&h, REEL_KEY_O, REEL_MOD_CTRL);
        frame(&h);
        type(&h, "sub");
        key(&h, REEL_KEY_ENTER, 0);
        CHECK(strstr(dialog_error(&h), "Cannot list") != NULL);
        CHECK_EQ_STR(dialog_dir(&h), real);
        chmod(sub, 0700);
        key(&h, REEL_KEY_ESCAPE, 0);
    }
    stop(&h);
    remove(path);
    remove(bad);
    remove(notes);
    rmdir(sub);
    rmdir(dir);
}

TEST(file_dialog_from_the_menu_and_the_welcome_screen)
{
    harness h;
    start(&h);
    frame(&h);
    /* "Reel ▾" at the top left opens the menu at the pointer; "Open…" is its first item. */
    click(&h, 20, 14);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    click(&h, 40, 32);
    frame(&h);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    key(&h, REEL_KEY_ESCAPE, 0);
    frame(&h);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    /* The welcome screen's "Open file…" button, centred under its text. */
    click(&h, 733, 329);
    frame(&h);
    CHECK(reel_app_open_dialog_state(h.app, NULL, NULL));
    key(&h, REEL_KEY_ESCAPE, 0);
    frame(&h);
    CHECK(!reel_app_open_dialog_state(h.app, NULL, NULL));
    stop(&h);
}

TEST(ctrl_wheel_zooms_the_time_area_and_double_click_resets)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    reel_viewer_recording *rec = reel_viewer_active_recording(h.viewer);
    reel_viewer_time t;
    h.in.pointer_x = W * 0.22f + (W * 0.78f) * 0.5f;
    h.in.pointer_y = H - 30;
    frame(&h);
    h.in.wheel_y = 3;
    h.in.modifiers = REEL_MOD_CTRL;
    frame(&h);
    reel_viewer_time_get(rec, &t);
    CHECK(t.has_view_range);
    CHECK(t.view_max - t.view_min < 9.0); /* zoomed in from the data's 0..9 (+ margins) */
    double width = t.view_max - t.view_min;
    h.in.wheel_y = 2;
    h.in.modifiers = REEL_MOD_SHIFT; /* pan */
    frame(&h);
    reel_viewer_time_get(rec, &t);
    CHECK_NEAR(t.view_max - t.view_min, width, 1e-6);
    for (int i = 0; i < 2; i++) { /* double click */
        h.in.button_down[0] = h.in.button_pressed[0] = true;
        frame(&h);
        h.in.button_down[0] = false;
        h.in.button_released[0] = true;
        frame(&h);
    }
    reel_viewer_time_get(rec, &t);
    CHECK(!t.has_view_range);
    stop(&h);
}

/* Clicks down the blueprint tree (rows of 24 pt) and records what each selected. */
TEST(blueprint_tree_rows_select_and_their_menu_hides)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    bool saw_container = false, saw_view = false, saw_entity = false;
    float view_row_y = -1;
    reel_viewer_uuid view_id = {{0}};
    for (float y = 150; y < 500; y += 12) {
        h.in.time_secs += 1; /* no double clicks (they fold tree rows) */
        click(&h, 110, y);
        if (reel_viewer_selection_count(h.viewer) != 1)
            continue;
        const reel_viewer_item *item = reel_viewer_selection_at(h.viewer, 0);
        saw_container |= item->kind == REEL_ITEM_CONTAINER;
        saw_entity |= item->kind == REEL_ITEM_DATA_RESULT;
        if (item->kind == REEL_ITEM_VIEW && !saw_view) {
            saw_view = true;
            view_row_y = y;
            view_id = item->id;
        }
    }
    CHECK(saw_container);
    CHECK(saw_view);
    CHECK(saw_entity); /* the entities under a view select as data results of that view */
    if (saw_view) {
        /* Right click the view's row, then "Hide" (the first item of its menu). */
        h.in.pointer_x = 110;
        h.in.pointer_y = view_row_y;
        frame(&h);
        h.in.button_down[1] = h.in.button_pressed[1] = true;
        frame(&h);
        h.in.button_down[1] = false;
        h.in.button_released[1] = true;
        frame(&h);
        frame(&h);
        click(&h, 110 + 30, view_row_y + 16);
        const reel_bp_view *v = reel_bp_model_view(model_of(&h), view_id);
        CHECK(v != NULL && !v->visible);
        key(&h, REEL_KEY_Z, REEL_MOD_CTRL);
        v = reel_bp_model_view(model_of(&h), view_id);
        CHECK(v != NULL && v->visible);
    }
    /* The selection panel draws every kind of item (exercised under ASan). */
    reel_viewer_item rec_item = {
        .kind = REEL_ITEM_RECORDING, .recording_id = "rec", .instance = -1};
    reel_viewer_select(h.viewer, &rec_item);
    frame(&h);
    reel_viewer_item entity = {
        .kind = REEL_ITEM_ENTITY, .entity_path = "/world/points", .instance = -1};
    reel_viewer_select(h.viewer, &entity);
    frame(&h);
    reel_viewer_select_toggle(h.viewer, &rec_item);
    frame(&h);
    CHECK_EQ_INT(reel_viewer_selection_count(h.viewer), 2);
    stop(&h);
}

TEST(a_selected_text_log_shows_its_filters)
{
    harness h;
    start(&h);
    log_scene(h.viewer);
    frame(&h);
    frame(&h);
    const reel_bp_model *m = model_of(&h);
    const reel_bp_view *log_view = NULL;
    for (size_t i = 0; m != NULL && i < m->n_views; i++)
        if (strcmp(m->views[i].class_identifier, "TextLog") == 0)
            log_view = &m->views[i];
    if (!CHECK(log_view != NULL)) {
        stop(&h);
        return;
    }
    reel_viewer_item item = {.kind = REEL_ITEM_VIEW, .id = log_view->id};
    uint32_t before = h.frame.list->n_vertices;
    reel_viewer_select(h.viewer, &item);
    frame(&h);
    frame(&h);
    /* The filter section (a text field and six level toggles) is drawn. */
    CHECK(h.frame.list->n_vertices > before);
    reel_view_textlog_state *st = app_view_state_mut(h.app, log_view->id);
    if (CHECK(st != NULL)) {
        /* The toggles' effect on the view's state: hide two levels, show one again. */
        app_textlog_show_level(st, "WARN", false);
        app_textlog_show_level(st, "DEBUG", false);
        app_textlog_show_level(st, "WARN", false); /* already hidden: no duplicate */
        CHECK_EQ_INT(st->n_hidden_levels, 2);
        app_textlog_show_level(st, "WARN", true);
        CHECK_EQ_INT(st->n_hidden_levels, 1);
        CHECK_EQ_STR(st->hidden_levels[0], "DEBUG");
    }
    stop(&h);
}

int main(void)
{
    RUN(welcome_screen_when_empty);
    RUN(views_are_laid_out_inside_the_viewport);
    RUN(clicking_a_tab_selects_the_view);
    RUN(maximize_is_a_blueprint_write_with_undo_and_redo);
    RUN(dragging_a_splitter_writes_shares);
    RUN(space_toggles_play_and_the_time_area_scrubs);
    RUN(dropped_files_are_opened);
    RUN(file_dialog_opens_navigates_and_reports_errors);
    RUN(file_dialog_from_the_menu_and_the_welcome_screen);
    RUN(ctrl_wheel_zooms_the_time_area_and_double_click_resets);
    RUN(blueprint_tree_rows_select_and_their_menu_hides);
    RUN(a_selected_text_log_shows_its_filters);
    TEST_MAIN_END();
}
