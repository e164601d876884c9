/* Internal to src/app: the app struct and the functions the panel files share. Each panel
 * lives in its own file (app_top_bar.c, app_left_panel.c, app_viewport.c, app_selection.c,
 * app_time_panel.c, app_welcome.c); app.c runs the frame; app_views.c is the single place the
 * app meets src/views (the per-class draw dispatch). */
#ifndef REEL_APP_INTERNAL_H
#define REEL_APP_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "ui/ui.h"
#include "ui/ui_theme.h"

#define APP_MAX_VIEW_RECTS 256
#define APP_NOTE_SECS 4.0

/* The layout of one view tile in the last frame (tests, picking). */
typedef struct app_view_rect {
    reel_viewer_uuid id;
    float rect[4];
    int32_t scene; /* the scene index its class appended this frame, -1 = none */
} app_view_rect;

typedef struct app_views app_views; /* per-view class state (app_views.c) */

/* The file dialog (app_open.c): an immediate-mode modal over the platform's directory
 * listing. Kept across frames while open; the recent files live for the session. */
#define APP_OPEN_PATH_MAX 1024
#define APP_OPEN_RECENT 8
typedef struct app_open_state {
    bool requested;  /* open it at the next chance (Ctrl+O, the menu, the welcome screen) */
    bool open;       /* the modal was drawn last frame */
    bool show_all;   /* list every file, not only .rrd and .rbl */
    bool focus_path; /* give the path field the keyboard */
    uint32_t field_generation;    /* a new field id selects all of its text when focused */
    char dir[APP_OPEN_PATH_MAX];  /* the directory listed (absolute) */
    char path[APP_OPEN_PATH_MAX]; /* the path field */
    char error[1200];             /* shown in the dialog; "" = none */
    void *listing;                /* reel_fs_listing of dir (app_open.c owns it) */
    reel_vec rows;                /* int32_t: -1 = "..", else an index into the listing */
    int32_t selected;             /* index into rows, -1 = none */
    char recent[APP_OPEN_RECENT][APP_OPEN_PATH_MAX]; /* newest first */
    int n_recent;
} app_open_state;

/* The time panel's density strips, kept while their inputs stay the same (a subtree's
 * histogram over 10,000 entities is too slow to recount every frame). */
#define APP_DENSITY_CACHE 48
#define APP_DENSITY_MAX_BUCKETS 2048
typedef struct app_density {
    bool used;
    const reel_viewer_recording *rec;
    uint64_t generation; /* of the recording */
    uint32_t entity, timeline;
    int64_t t0, bucket;
    size_t n_buckets;
    uint64_t last_used; /* frame number */
    uint64_t counts[APP_DENSITY_MAX_BUCKETS];
} app_density;

struct reel_viewer_app {
    reel_viewer *viewer;
    reel_ui *ui;
    bool deterministic;
    bool show_all_panels;
    char listen_url[128];
    bool quit;
    bool keyboard_taken; /* a text field had the keyboard last frame */
    double last_time;    /* input time of the last frame; < 0 before the first */
    /* This frame's scratch, reset at the start of the next frame (after the renderer drew). */
    reel_arena arena;
    reel_vec scenes;     /* reel_draw_scene */
    reel_vec textures;   /* reel_draw_texture */
    reel_vec entity_ids; /* uint32_t scratch for view queries */
    reel_buf text;       /* scratch text */
    /* The frame handed out. */
    reel_draw_frame frame;
    /* Layout of the last frame. */
    app_view_rect view_rects[APP_MAX_VIEW_RECTS];
    size_t n_view_rects;
    /* Picking: requested this frame at (pick_x, pick_y); answered by reel_app_set_pick. */
    bool pick_wanted;
    int32_t pick_x, pick_y;
    reel_draw_pick pick; /* last answer */
    /* Per-view state of the view classes. */
    app_views *views;
    /* Splitter drags in progress: the container and its shares as dragged. */
    bool share_drag;
    reel_viewer_uuid share_drag_container;
    float share_drag_values[32];
    size_t share_drag_n;
    size_t share_drag_index;
    /* Rename / save modals. */
    reel_viewer_uuid rename_target;
    char rename_text[128];
    char save_path[512];
    bool save_open_requested;
    bool rename_open_requested;
    /* Time panel: the vertical scroll of its rows, the last density maximum (smoothed). */
    app_density *density_cache; /* APP_DENSITY_CACHE entries */
    uint64_t frame_number;
    reel_viewer_time view_time; /* the time control as the viewport's views see it this frame */
    float time_rows_scroll;
    float density_max;
    bool time_area_dragging;
    /* Notification in the top bar. */
    char note[256];
    bool note_error;
    double note_until;
    /* Selection panel text fields (edited copies; written on Enter). */
    reel_viewer_uuid fields_for;
    char field_name[128];
    char field_origin[256];
    bool fields_focused;
    /* The file dialog. */
    app_open_state open_dialog;
};

/* Panels (each file draws one part of the window between reel_ui_begin and reel_ui_end). */
void app_top_bar(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp);
void app_left_panel(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp);
void app_selection_panel(reel_viewer_app *app, reel_viewer_recording *rec,
                         reel_viewer_blueprint *bp);
void app_time_panel(reel_viewer_app *app, reel_viewer_recording *rec);
void app_viewport(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp);
void app_welcome(reel_viewer_app *app);
/* The file dialog (app_open.c): request it; draw it (from the top bar, every frame); free it. */
void app_open_dialog_request(reel_viewer_app *app);
void app_open_dialog(reel_viewer_app *app);
void app_open_dialog_free(reel_viewer_app *app);
/* Keyboard shortcuts (time, undo/redo, selection, Ctrl+O). */
void app_shortcuts(reel_viewer_app *app, reel_viewer_recording *rec, reel_viewer_blueprint *bp);

/* Which panels are shown this frame (§11.1 defaults, the blueprint's PanelState). */
typedef struct app_panels {
    bool blueprint, selection, time;
} app_panels;
app_panels app_panels_shown(const reel_viewer_app *app, const reel_bp_model *model);

/* Edits: report a failed blueprint write in the top bar (never aborts). */
void app_check(reel_viewer_app *app, reel_status status, const reel_error *err);

/* The per-class dispatch (app_views.c). */
typedef struct app_view_call {
    reel_viewer_recording *rec;
    const reel_bp_view *view;
    const reel_viewer_time *time;
    reel_ui_rect rect;           /* the view's content area, below its tab bar */
    const char *const *entities; /* canonical paths, the view's contents */
    uint32_t n_entities;
} app_view_call;
reel_status app_views_create(app_views **out, reel_error *err);
void app_views_destroy(app_views *views);
/* Draws one view with its class's draw function (or the placeholder). Returns the index of
 * the scene it appended, or -1. */
int32_t app_view_draw(reel_viewer_app *app, const app_view_call *call);
/* Drops the state of views not drawn for a while. */
void app_views_end_frame(app_views *views);

/* Text helpers (app_format.c). */
/* The display name of a view: its name, else the placeholder from its origin. */
const char *app_view_name(reel_viewer_app *app, const reel_bp_view *view);
/* A time on a timeline of `type` as Rerun shows it ("#12", "12.345s", "2024-01-02 03:04:05.678").
 */
void app_format_time(char *out, size_t cap, reel_time_type type, int64_t value);
/* The store timeline's type, or sequence. */
reel_time_type app_timeline_type(const reel_viewer_recording *rec, uint32_t timeline);
/* Short component name: "Points3D:positions" -> "positions". */
const char *app_component_short(const char *component);

/* Items. */
static inline reel_viewer_item app_item_view(reel_viewer_uuid id)
{
    return (reel_viewer_item){.kind = REEL_ITEM_VIEW, .id = id, .instance = -1};
}
static inline reel_viewer_item app_item_container(reel_viewer_uuid id)
{
    return (reel_viewer_item){.kind = REEL_ITEM_CONTAINER, .id = id, .instance = -1};
}
static inline reel_viewer_item app_item_entity(const char *path)
{
    return (reel_viewer_item){.kind = REEL_ITEM_ENTITY, .entity_path = path, .instance = -1};
}
static inline reel_viewer_item app_item_data_result(reel_viewer_uuid view, const char *path,
                                                    int64_t instance)
{
    return (reel_viewer_item){
        .kind = REEL_ITEM_DATA_RESULT, .id = view, .entity_path = path, .instance = instance};
}

static inline float app_pt(const reel_viewer_app *app, float points)
{
    return points * reel_ui_scale(app->ui);
}

/* Click on an item: select, or toggle with Ctrl/Cmd. */
void app_click_item(reel_viewer_app *app, const reel_viewer_item *item);

/* The view's runtime state (its class's reel_view_*_state), for panels that edit what the
 * blueprint does not hold (the text log's filter and levels); NULL before its first draw. */
void *app_view_state_mut(reel_viewer_app *app, reel_viewer_uuid view);
/* Shows or hides a level in a text log view's state (the selection panel's level toggles). */
struct reel_view_textlog_state;
void app_textlog_show_level(struct reel_view_textlog_state *st, const char *level, bool shown);

#endif
