/* The ui context's insides, shared by the ui_*.c files (never included outside src/ui):
 * layers of draw lists, the layout stack, the id stack, hover/active/focus tracking, the
 * popup stack and per-id state that outlives a frame. */
#ifndef REEL_UI_INTERNAL_H
#define REEL_UI_INTERNAL_H

#include "ui/ui.h"
#include "ui/ui_font.h"
#include "ui/ui_theme.h"

#define UI_MAX_POPUPS 8
/* Layer 0 is the base; 1..UI_MAX_POPUPS the open popups in order; the last, tooltips. */
#define UI_LAYER_TOOLTIP (UI_MAX_POPUPS + 1)
#define UI_LAYERS (UI_MAX_POPUPS + 2)
#define UI_MAX_LAYOUTS 64
#define UI_MAX_IDS 64
#define UI_TEXT_SCRATCH 1024

typedef struct ui_layout {
    reel_ui_rect bounds;          /* what the layout may fill (pixels) */
    float cursor_x, cursor_y;     /* where the next item goes */
    float line_height;            /* horizontal: tallest item of the row so far */
    float indent;                 /* pixels, added to bounds.x0 for new rows */
    float content_x1, content_y1; /* extent of what was allocated */
    bool horizontal;
    bool clips; /* pushed a clip rectangle */
    bool grows; /* a popup's: items may be wider than the bounds (the popup widens) */
    int32_t layer;
} ui_layout;

/* State kept by id across frames (panel sizes, tree open flags, scroll offsets...). */
typedef struct ui_state {
    reel_ui_id id; /* 0 = empty slot */
    bool initialized;
    bool open;
    float value[4];
} ui_state;

typedef struct ui_popup {
    reel_ui_id id;
    float x, y;        /* anchor (pixels) */
    float min_width;   /* pixels */
    reel_ui_rect rect; /* drawn rectangle (last frame's until drawn this frame) */
    bool modal;
    bool seen; /* drawn this frame */
} ui_popup;

typedef struct ui_panel {
    reel_ui_id id;
    reel_ui_rect rect;
    reel_ui_side side;
    bool resizable;
    float min_pt, max_pt;
} ui_panel;

/* What a scroll area needs between begin and end. */
typedef struct ui_scroll {
    reel_ui_id id;
    reel_ui_rect rect; /* the visible area */
    float content_top; /* y of the content's top (scrolled) */
} ui_scroll;

/* What a table needs between its calls. */
typedef struct ui_table {
    reel_ui_id id;
    int n_columns, column, row;
    float x0, row_y, row_height;
    float widths[16];       /* pixels */
    int32_t parent_layouts; /* layout depth outside the table */
    bool cell_open;
    bool active;
} ui_table;

struct reel_ui {
    reel_ui_desc desc;
    reel__fonts *fonts;
    reel_input input;
    float scale; /* pixels per point */
    uint32_t frame;
    bool in_frame;

    reel_draw_list layers[UI_LAYERS];
    reel_draw_list layer_backgrounds[UI_LAYERS];
    reel_draw_list output;
    int32_t layer; /* where widgets draw now */

    ui_layout layouts[UI_MAX_LAYOUTS];
    ui_layout overflow_layout; /* handed out past UI_MAX_LAYOUTS */
    int32_t n_layouts;
    reel_ui_id id_stack[UI_MAX_IDS];
    int32_t n_ids;

    /* Pointer and buttons. */
    float pointer_x, pointer_y, previous_pointer_x, previous_pointer_y;
    float press_x, press_y;
    int32_t hover_layer; /* the only layer whose widgets may be hovered */
    reel_ui_id hovered_previous, hover_candidate;
    reel_ui_rect hovered_previous_rect, hover_candidate_rect;
    int32_t hovered_previous_layer, hover_candidate_layer;
    bool hover_candidate_app;
    bool hovered_previous_blocks; /* the pointer is still on last frame's hovered widget */
    reel_ui_id active;
    int active_button;
    bool active_seen, active_moved, active_app;
    reel_ui_id last_click_id;
    double last_click_time;
    bool pointer_on_surface; /* over a side panel or popup: the UI owns the pointer */
    bool wheel_used;
    reel_ui_cursor cursor;
    double repaint_after;

    /* Keyboard focus. */
    reel_ui_id focus, focus_next;
    bool focus_next_set;
    bool focus_wants_keys; /* the focused widget reads keys (a text field) */
    bool focus_visible;    /* focus came from the keyboard: draw the focus outline */
    bool press_outside_focus;
    /* +1 Tab (or Down on a list row), -1 Shift+Tab (or Up), 0 none this frame; applied at
     * the end of the frame from the focus order seen during it. */
    int tab_direction;
    reel_ui_id tab_first, tab_last, tab_previous, tab_before_focus, tab_after_focus;
    bool tab_passed_focus;

    /* Text editing of the focused field. */
    reel_ui_id text_id;
    size_t text_cursor, text_anchor; /* bytes */
    float text_scroll;               /* pixels */
    char *clipboard;                 /* used without desc hooks */
    size_t clipboard_size;

    /* Drag values edited as text after a double click. */
    reel_ui_id drag_edit_id;
    char drag_edit_text[64];

    /* Popups. */
    ui_popup popups[UI_MAX_POPUPS];
    int32_t n_popups;
    int32_t popup_depth; /* popups being drawn (nested begin) */
    reel_ui_id popup_closed_by_press;
    int32_t popup_saved_layer[UI_MAX_POPUPS];

    /* Tooltip timing. */
    reel_ui_id tooltip_id;
    double tooltip_since;
    bool tooltip_seen;

    /* Panels: what the panels so far left of the window. */
    reel_ui_rect remaining;
    ui_panel panels[8];
    int32_t n_panels;
    ui_scroll scrolls[8];
    int32_t n_scrolls;

    ui_table table;
    reel_ui_response last;

    ui_state *states;
    uint32_t state_capacity, state_count;

    char scratch[UI_TEXT_SCRATCH];
};

/* ui_core.c */
ui_layout *reel__ui_layout(reel_ui *ui);
void reel__ui_push_layout(reel_ui *ui, reel_ui_rect bounds, bool horizontal, bool clip);
void reel__ui_pop_layout(reel_ui *ui);
reel_ui_rect reel__ui_clip(const reel_ui *ui);        /* current clip rectangle of the layer */
ui_state *reel__ui_state(reel_ui *ui, reel_ui_id id); /* NULL on OOM */
float reel__ui_pt(const reel_ui *ui, float points);   /* points -> pixels */
/* reel_ui_allocate in pixels; <= 0: available width / widget height. */
reel_ui_rect reel__ui_allocate_px(reel_ui *ui, float width, float height);
/* The same without item spacing after it (rows of trees and tables touch). */
reel_ui_rect reel__ui_allocate_flush(reel_ui *ui, float width, float height);
bool reel__ui_rect_contains(reel_ui_rect rect, float x, float y);
reel_ui_rect reel__ui_rect_intersect(reel_ui_rect a, reel_ui_rect b);
/* The label shown for a label with an optional "##id" suffix. */
size_t reel__ui_label_length(const char *label);
void reel__ui_set_layer(reel_ui *ui, int32_t layer);
void reel__ui_set_clipboard(reel_ui *ui, const char *text, size_t len);
const char *reel__ui_get_clipboard(reel_ui *ui);
/* Up/Down on a focused list row (tree rows, selectables, headers) move focus like
 * Shift+Tab/Tab. */
void reel__ui_arrow_navigation(reel_ui *ui, const reel_ui_response *response);
/* A widget's keyboard activation: focused and Enter or Space pressed. */
bool reel__ui_activated_by_key(const reel_ui *ui, const reel_ui_response *response);
void reel__ui_draw_focus(reel_ui *ui, reel_ui_rect rect);

/* ui_text_field.c: a single-line editor on rect, shared by drag values' text entry. */
bool reel__ui_text_edit(reel_ui *ui, reel_ui_id id, reel_ui_rect rect, char *buffer,
                        size_t capacity, bool *submitted, reel_ui_font font);

#endif
