/* The file dialog ("Open…", Ctrl+O, the welcome screen): a modal built with src/ui over the
 * platform's directory listing (src/platform/platform_fs.c, so this file has no OS API). A
 * path field (Enter opens what it names: a directory is entered, a file is loaded; relative
 * paths are taken from the listed directory, "~/" from home), the directory's entries
 * (directories first, then .rrd and .rbl files, or everything with "Show all files"), "..",
 * Home, and the files opened this session. Up/Down move the selection (and the field), Enter
 * opens, Escape closes. Files load through reel_viewer_load_path; an .rbl applies to the
 * active recording's application, as a dropped one does. Problems are shown in the dialog. */
#include "app/app_internal.h"
#include "platform/platform.h"

#include <ctype.h>

static app_open_state *dlg(reel_viewer_app *app)
{
    return &app->open_dialog;
}

static bool has_extension(const char *path, const char *ext)
{
    size_t len = strlen(path), n = strlen(ext);
    if (len <= n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)path[len - n + i]) != ext[i])
            return false;
    return true;
}

static bool is_recording_file(const char *name)
{
    return has_extension(name, ".rrd") || has_extension(name, ".rbl");
}

static reel_fs_listing *listing_of(app_open_state *d)
{
    return d->listing;
}

/* dir + "/" + name into out (NULL name: the directory itself). */
static void join(char *out, size_t cap, const char *dir, const char *name)
{
    size_t len = strlen(dir);
    bool slash = len > 0 && dir[len - 1] == '/';
    snprintf(out, cap, "%s%s%s", dir, slash || name == NULL ? "" : "/", name ? name : "");
}

static void set_field(app_open_state *d, const char *text)
{
    snprintf(d->path, sizeof d->path, "%s", text);
}

/* The rows shown for the listing: "..", then directories, then recordings (or every file). */
static void build_rows(app_open_state *d)
{
    reel_vec_clear(&d->rows);
    int32_t up = -1;
    if (strcmp(d->dir, "/") != 0)
        reel_vec_push(&d->rows, &up);
    reel_fs_listing *l = listing_of(d);
    for (size_t i = 0; l != NULL && i < l->count; i++) {
        const reel_fs_entry *e = &l->entries[i];
        if (e->name[0] == '.' && !d->show_all)
            continue; /* hidden files and directories */
        if (!e->is_dir && !d->show_all && !is_recording_file(e->name))
            continue;
        int32_t index = (int32_t)i;
        reel_vec_push(&d->rows, &index);
    }
    d->selected = -1;
}

/* Lists `dir` (made absolute); on failure keeps the current listing and shows why. */
static bool enter_dir(reel_viewer_app *app, const char *dir)
{
    app_open_state *d = dlg(app);
    char real[APP_OPEN_PATH_MAX];
    reel_error err = {0};
    reel_fs_listing fresh = {0};
    reel_status status = reel_platform_real_path(dir, real, sizeof real, &err);
    if (status == REEL_OK)
        status = reel_platform_list_dir(real, &fresh, &err);
    if (status != REEL_OK) {
        reel_platform_listing_reset(&fresh);
        snprintf(d->error, sizeof d->error, "Cannot list %s", err.message);
        return false;
    }
    if (d->listing == NULL)
        d->listing = calloc(1, sizeof(reel_fs_listing));
    if (d->listing == NULL) {
        reel_platform_listing_reset(&fresh);
        snprintf(d->error, sizeof d->error, "%.900s: out of memory", real);
        return false;
    }
    reel_platform_listing_reset(listing_of(d));
    *listing_of(d) = fresh;
    snprintf(d->dir, sizeof d->dir, "%s", real);
    join(d->path, sizeof d->path, d->dir, "");
    d->error[0] = '\0';
    d->focus_path = true;
    d->field_generation++;
    build_rows(d);
    return true;
}

static void remember(app_open_state *d, const char *path)
{
    int at = d->n_recent < APP_OPEN_RECENT ? d->n_recent : APP_OPEN_RECENT - 1;
    for (int i = 0; i < d->n_recent; i++) {
        if (strcmp(d->recent[i], path) == 0) {
            at = i; /* already there: move it to the top */
            break;
        }
    }
    char keep[APP_OPEN_PATH_MAX];
    snprintf(keep, sizeof keep, "%s", path);
    memmove(d->recent[1], d->recent[0], (size_t)at * sizeof d->recent[0]);
    snprintf(d->recent[0], sizeof d->recent[0], "%s", keep);
    if (at == d->n_recent)
        d->n_recent++;
}

static void close_dialog(reel_viewer_app *app)
{
    app_open_state *d = dlg(app);
    reel_ui_popup_close(app->ui);
    d->open = false;
    d->error[0] = '\0';
}

/* Loads a file; true when the dialog should close (something was loaded). */
static bool open_file(reel_viewer_app *app, const char *path)
{
    app_open_state *d = dlg(app);
    if (!is_recording_file(path)) {
        snprintf(d->error, sizeof d->error,
                 "%.900s: not an .rrd or .rbl file (Reel opens Rerun recordings and blueprints)",
                 path);
        return false;
    }
    bool rbl = has_extension(path, ".rbl");
    if (rbl && reel_viewer_active_recording(app->viewer) == NULL) {
        snprintf(d->error, sizeof d->error,
                 "%.900s: a blueprint applies to the active recording: open a recording first",
                 path);
        return false;
    }
    reel_viewer_load_result result = {0};
    reel_error err = {0};
    reel_status status = reel_viewer_load_path(app->viewer, path, rbl, &result, &err);
    const char *why = result.error[0] ? result.error : err.message;
    if (status != REEL_OK && result.messages == 0) {
        snprintf(d->error, sizeof d->error, "%s", why);
        return false;
    }
    remember(d, path);
    char text[700];
    if (status != REEL_OK)
        snprintf(text, sizeof text, "%s", why); /* partly loaded: keep it, say what broke */
    else
        snprintf(text, sizeof text, "Opened %.600s", path);
    reel_app_notify(app, text, status != REEL_OK);
    return true;
}

/* Opens what `text` names: a directory is listed, a file loaded. True: close the dialog. */
static bool open_path(reel_viewer_app *app, const char *text)
{
    app_open_state *d = dlg(app);
    char path[APP_OPEN_PATH_MAX];
    while (*text == ' ')
        text++;
    if (text[0] == '\0') {
        snprintf(d->error, sizeof d->error, "Type a path, or pick a file below");
        return false;
    }
    if (text[0] == '~' && (text[1] == '/' || text[1] == '\0')) {
        char home[APP_OPEN_PATH_MAX];
        reel_error err = {0};
        if (reel_platform_home_dir(home, sizeof home, &err) != REEL_OK) {
            snprintf(d->error, sizeof d->error, "%s", err.message);
            return false;
        }
        snprintf(path, sizeof path, "%s%s", home, text + 1);
    } else if (text[0] != '/') {
        join(path, sizeof path, d->dir, text);
    } else {
        snprintf(path, sizeof path, "%s", text);
    }
    switch (reel_platform_path_kind(path)) {
    case 2:
        enter_dir(app, path);
        return false;
    case 1:
        return open_file(app, path);
    default:
        snprintf(d->error, sizeof d->error, "%.900s: no such file or directory", path);
        return false;
    }
}

/* The path a row stands for (the listing's entry, or the parent for ".."). */
static void row_path(app_open_state *d, int32_t row, char *out, size_t cap)
{
    int32_t index = REEL_VEC_AT(&d->rows, int32_t, row);
    if (index < 0) {
        char parent[APP_OPEN_PATH_MAX];
        snprintf(parent, sizeof parent, "%s", d->dir);
        char *slash = strrchr(parent, '/');
        if (slash == parent)
            slash[1] = '\0';
        else if (slash != NULL)
            *slash = '\0';
        snprintf(out, cap, "%s", parent);
        return;
    }
    join(out, cap, d->dir, listing_of(d)->entries[index].name);
}

static void select_row(app_open_state *d, int32_t row)
{
    d->selected = row;
    char path[APP_OPEN_PATH_MAX];
    row_path(d, row, path, sizeof path);
    set_field(d, path);
    d->focus_path = true; /* a fresh field id: the new text is all selected, ready to retype */
    d->field_generation++;
}

static void format_size(char *out, size_t cap, uint64_t bytes)
{
    if (bytes < 1024)
        snprintf(out, cap, "%u B", (unsigned)bytes);
    else if (bytes < 1024 * 1024)
        snprintf(out, cap, "%.1f KiB", (double)bytes / 1024.0);
    else if (bytes < 1024ull * 1024 * 1024)
        snprintf(out, cap, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
    else
        snprintf(out, cap, "%.1f GiB", (double)bytes / (1024.0 * 1024.0 * 1024.0));
}

void app_open_dialog_request(reel_viewer_app *app)
{
    dlg(app)->requested = true;
}

void reel_app_open_dialog(reel_viewer_app *app)
{
    app_open_dialog_request(app);
}

bool reel_app_open_dialog_state(const reel_viewer_app *app, const char **dir, const char **error)
{
    const app_open_state *d = &app->open_dialog;
    if (dir != NULL)
        *dir = d->dir;
    if (error != NULL)
        *error = d->error;
    return d->open;
}

void app_open_dialog_free(reel_viewer_app *app)
{
    app_open_state *d = dlg(app);
    reel_platform_listing_reset(listing_of(d));
    free(d->listing);
    d->listing = NULL;
    reel_vec_free(&d->rows);
}

/* First frame of an opening: list the last directory, else the current one, else home. */
static void start(reel_viewer_app *app)
{
    app_open_state *d = dlg(app);
    if (d->rows.elem_size == 0)
        reel_vec_init(&d->rows, sizeof(int32_t), NULL);
    d->error[0] = '\0';
    char dir[APP_OPEN_PATH_MAX] = "";
    reel_error err = {0};
    if (d->dir[0] && enter_dir(app, d->dir))
        return;
    if (reel_platform_current_dir(dir, sizeof dir, &err) == REEL_OK && enter_dir(app, dir))
        return;
    if (reel_platform_home_dir(dir, sizeof dir, &err) == REEL_OK && enter_dir(app, dir))
        return;
    if (!d->error[0])
        snprintf(d->error, sizeof d->error, "%s", err.message);
    d->focus_path = true;
}

static void listing_rows(reel_viewer_app *app, int32_t *activated)
{
    app_open_state *d = dlg(app);
    reel_ui *ui = app->ui;
    reel_fs_listing *l = listing_of(d);
    reel_ui_scroll_begin(ui, "open_rows", 260);
    for (size_t r = 0; r < d->rows.len; r++) {
        int32_t index = REEL_VEC_AT(&d->rows, int32_t, r);
        char label[600];
        if (index < 0) {
            snprintf(label, sizeof label, "..  (parent directory)");
        } else {
            const reel_fs_entry *e = &l->entries[index];
            if (e->is_dir) {
                snprintf(label, sizeof label, "%.500s/", e->name);
            } else {
                char size[32];
                format_size(size, sizeof size, e->size);
                snprintf(label, sizeof label, "%.500s   %s", e->name, size);
            }
        }
        reel_ui_push_id_int(ui, (int64_t)r);
        bool clicked = reel_ui_selectable(ui, label, d->selected == (int32_t)r);
        reel_ui_response resp = reel_ui_last_response(ui);
        reel_ui_pop_id(ui);
        if (resp.double_clicked)
            *activated = (int32_t)r;
        else if (clicked)
            select_row(d, (int32_t)r);
    }
    if (d->rows.len == 0)
        reel_ui_label_colored(ui,
                              d->show_all ? "(empty directory)" : "(no .rrd or .rbl files here)",
                              REEL_THEME_TEXT_SUBDUED);
    reel_ui_scroll_end(ui);
}

void app_open_dialog(reel_viewer_app *app)
{
    app_open_state *d = dlg(app);
    reel_ui *ui = app->ui;
    if (d->requested) {
        d->requested = false;
        if (!d->open) {
            reel_ui_popup_open(ui, "open_file");
            start(app);
        }
    }
    if (!reel_ui_modal_begin(ui, "open_file", "Open a recording")) {
        d->open = false; /* closed (Escape) */
        return;
    }
    d->open = true;
    const reel_input *in = reel_ui_input(ui);
    bool close = false;

    /* The directory and its shortcuts. */
    reel_ui_horizontal_begin(ui);
    bool go_up = reel_ui_button(ui, "..");
    bool go_home = reel_ui_button(ui, "Home");
    reel_ui_label_colored(ui, d->dir[0] ? d->dir : "(no directory)", REEL_THEME_TEXT_SUBDUED);
    reel_ui_horizontal_end(ui);

    /* The path field: Enter opens what it names. */
    char field_id[48];
    snprintf(field_id, sizeof field_id, "##open_path_%u", (unsigned)d->field_generation);
    if (d->focus_path) {
        reel_ui_focus(ui, reel_ui_make_id(ui, field_id));
        d->focus_path = false;
    }
    bool submitted = false;
    reel_ui_text_field_wide(ui, field_id, d->path, sizeof d->path, 560, &submitted);
    bool field_focused = reel_ui_last_response(ui).focused;

    if (d->error[0])
        reel_ui_label_colored(ui, d->error, REEL_THEME_WARN_FG);

    int32_t activated = -1;
    listing_rows(app, &activated);

    if (reel_ui_checkbox(ui, "Show all files", &d->show_all))
        build_rows(d);

    if (d->n_recent > 0) {
        reel_ui_label_font(ui, "Recent", REEL_UI_FONT_SMALL, REEL_THEME_TEXT_SUBDUED);
        for (int i = 0; i < d->n_recent && !close; i++) {
            reel_ui_push_id_int(ui, 100000 + i);
            bool clicked = reel_ui_selectable(ui, d->recent[i], false);
            reel_ui_pop_id(ui);
            if (clicked) {
                char path[APP_OPEN_PATH_MAX];
                snprintf(path, sizeof path, "%s", d->recent[i]);
                close = open_path(app, path);
            }
        }
    }

    reel_ui_horizontal_begin(ui);
    bool open_clicked = reel_ui_button_primary(ui, "Open");
    bool cancel = reel_ui_button(ui, "Cancel");
    reel_ui_horizontal_end(ui);

    /* Keyboard: Up/Down move through the rows (the field follows), Enter opens. */
    int32_t n_rows = (int32_t)d->rows.len;
    if (n_rows > 0 && in->key_pressed[REEL_KEY_DOWN])
        select_row(d, d->selected + 1 < n_rows ? d->selected + 1 : n_rows - 1);
    if (n_rows > 0 && in->key_pressed[REEL_KEY_UP])
        select_row(d, d->selected > 0 ? d->selected - 1 : 0);
    bool enter = submitted || (in->key_pressed[REEL_KEY_ENTER] && !field_focused);

    if (close) {
        /* a recent file was opened */
    } else if (go_up) {
        char parent[APP_OPEN_PATH_MAX];
        join(parent, sizeof parent, d->dir, "..");
        enter_dir(app, parent);
    } else if (go_home) {
        char home[APP_OPEN_PATH_MAX];
        reel_error err = {0};
        if (reel_platform_home_dir(home, sizeof home, &err) == REEL_OK)
            enter_dir(app, home);
        else
            snprintf(d->error, sizeof d->error, "%s", err.message);
    } else if (activated >= 0) {
        char path[APP_OPEN_PATH_MAX];
        row_path(d, activated, path, sizeof path);
        close = open_path(app, path);
    } else if (enter || open_clicked) {
        char path[APP_OPEN_PATH_MAX];
        snprintf(path, sizeof path, "%s", d->path);
        close = open_path(app, path);
        if (!close)
            d->focus_path = true; /* keep typing after an error */
    } else if (cancel) {
        close = true;
    }
    if (close)
        close_dialog(app);
    reel_ui_modal_end(ui);
}
