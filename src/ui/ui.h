/* The viewer's immediate-mode UI toolkit (the ui module's whole surface). A context is
 * created once; each frame the app calls reel_ui_begin with the platform's input, then
 * widget functions (which draw and answer "was I clicked / changed?" at once), then
 * reel_ui_end, which hands back a draw list and the font atlas for a reel_draw_frame.
 * Widget state that outlives a frame (open trees, panel sizes, scroll offsets, focus) is
 * kept in the context by widget id: a hash of the label (text after "##" is id only and not
 * shown) and of the pushed id stack. All sizes are in points; the context multiplies them by
 * input.pixels_per_point, so draw lists are in physical pixels. Never calls GL; one
 * context per thread. */
#ifndef REEL_UI_H
#define REEL_UI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw/draw.h"
#include "ui/input.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_ui reel_ui;
typedef uint32_t reel_ui_id;

typedef struct reel_ui_rect {
    float x0, y0, x1, y1; /* physical pixels */
} reel_ui_rect;

typedef enum reel_ui_font {
    REEL_UI_FONT_BODY,    /* 12 pt proportional: labels, buttons */
    REEL_UI_FONT_HEADING, /* 16 pt */
    REEL_UI_FONT_SMALL,   /* 10.5 pt: section headers, small combos */
    REEL_UI_FONT_MONO,    /* 12 pt monospace: values, logs */
    REEL_UI_FONT_COUNT
} reel_ui_font;

/* Icons drawn as shapes (no glyph needed), sized to a line of body text. */
typedef enum reel_ui_icon {
    REEL_UI_ICON_NONE,
    REEL_UI_ICON_PLAY,
    REEL_UI_ICON_PAUSE,
    REEL_UI_ICON_STEP_BACK, /* ⏮ */
    REEL_UI_ICON_STEP_FORWARD,
    REEL_UI_ICON_LOOP,
    REEL_UI_ICON_CLOSE,     /* ✕ */
    REEL_UI_ICON_EXPANDED,  /* ▾ */
    REEL_UI_ICON_COLLAPSED, /* ▸ */
    REEL_UI_ICON_MORE,      /* ⋯ */
    REEL_UI_ICON_EYE,
    REEL_UI_ICON_EYE_OFF,
    REEL_UI_ICON_ENTITY,    /* a small filled circle */
    REEL_UI_ICON_CONTAINER, /* a square outline */
    REEL_UI_ICON_VIEW,      /* a square with a title bar */
    REEL_UI_ICON_CHECK,
    REEL_UI_ICON_COUNT
} reel_ui_icon;

/* Mouse cursor the platform should show. */
typedef enum reel_ui_cursor {
    REEL_UI_CURSOR_ARROW,
    REEL_UI_CURSOR_TEXT,
    REEL_UI_CURSOR_HAND,
    REEL_UI_CURSOR_RESIZE_H, /* left-right */
    REEL_UI_CURSOR_RESIZE_V, /* up-down */
} reel_ui_cursor;

typedef struct reel_ui_desc {
    /* Clipboard hooks (optional; without them copy/paste stay inside the context).
     * get returns a NUL-terminated string the ui copies at once, or NULL. */
    void (*set_clipboard)(void *user, const char *text, size_t len);
    const char *(*get_clipboard)(void *user);
    void *clipboard_user;
    double tooltip_delay_secs; /* 0: 0.5 s */
    double double_click_secs;  /* 0: 0.3 s */
} reel_ui_desc;

/* What a frame produced: borrowed from the context until the next reel_ui_begin (the list is
 * the base layer itself when nothing floats, else the layers joined in order). */
typedef struct reel_ui_output {
    const reel_draw_list *list;
    const reel_draw_atlas *atlas;
    bool wants_pointer;  /* the pointer is on a panel, popup or widget: views must ignore it */
    bool wants_keyboard; /* a widget has keyboard focus (text field): ignore shortcuts */
    reel_ui_cursor cursor;
    /* Draw again within this many seconds even without input (a tooltip's delay);
     * negative: only on input. */
    double repaint_after_secs;
} reel_ui_output;

/* The interaction of a rectangle this frame (reel_ui_interact and every widget). */
typedef struct reel_ui_response {
    reel_ui_rect rect;
    reel_ui_id id;
    bool hovered;        /* the pointer is over it and nothing above it */
    bool pressed;        /* a button went down on it this frame (see `button`) */
    bool held;           /* it is active: pressed on it and not yet released */
    bool clicked;        /* left: pressed and released on it */
    bool double_clicked; /* left: the second click within the double-click time */
    bool right_clicked;
    bool middle_clicked;
    bool dragging;          /* held and the pointer moved since the press (any button) */
    float drag_dx, drag_dy; /* pixels moved this frame while held */
    int button;             /* REEL_MOUSE_* that pressed it (valid while held) */
    bool focused;           /* has keyboard focus */
    bool changed;           /* a widget's value changed this frame */
} reel_ui_response;

/* Flags for reel_ui_interact. */
enum {
    REEL_UI_SENSE_CLICK = 1, /* buttons, rows */
    REEL_UI_SENSE_DRAG = 2,  /* becomes active while a button is held (any button) */
    REEL_UI_SENSE_FOCUS = 4, /* takes keyboard focus on click and by Tab */
    REEL_UI_SENSE_APP = 8,   /* the app's own area (a 3D view, a plot): hovering it does not
                                make output.wants_pointer true */
};

/* ------------------------------------------------------------ context and frame */

reel_ui *reel_ui_create(const reel_ui_desc *desc); /* NULL desc: defaults; NULL on OOM */
void reel_ui_destroy(reel_ui *ui);                 /* NULL-safe */
/* Starts a frame: borrows `input` until reel_ui_end. Rebuilds the font atlas when
 * pixels_per_point changed (the atlas version then changes). */
void reel_ui_begin(reel_ui *ui, const reel_input *input);
reel_ui_output reel_ui_end(reel_ui *ui);
const reel_input *reel_ui_input(const reel_ui *ui);
float reel_ui_scale(const reel_ui *ui); /* pixels per point */
/* The list widgets draw into now (the current layer): custom widgets draw here. */
reel_draw_list *reel_ui_draw_list(reel_ui *ui);
const reel_draw_atlas *reel_ui_atlas(const reel_ui *ui);

/* ------------------------------------------------------------ ids */

reel_ui_id reel_ui_make_id(const reel_ui *ui, const char *label);
reel_ui_id reel_ui_make_id_ptr(const reel_ui *ui, const void *ptr);
reel_ui_id reel_ui_make_id_int(const reel_ui *ui, int64_t value);
void reel_ui_push_id(reel_ui *ui, const char *label);
void reel_ui_push_id_ptr(reel_ui *ui, const void *ptr);
void reel_ui_push_id_int(reel_ui *ui, int64_t value);
void reel_ui_pop_id(reel_ui *ui);

/* ------------------------------------------------------------ layout */

/* The rectangle the current layout may still fill. */
reel_ui_rect reel_ui_available(const reel_ui *ui);
/* Takes the next rectangle of the layout: width/height in points, <= 0 = all available
 * width (vertical layout) or the line height (either). */
reel_ui_rect reel_ui_allocate(reel_ui *ui, float width_pt, float height_pt);
void reel_ui_horizontal_begin(reel_ui *ui); /* following items go left to right */
void reel_ui_horizontal_end(reel_ui *ui);
void reel_ui_indent(reel_ui *ui); /* one indent step (14 pt) */
void reel_ui_unindent(reel_ui *ui);
void reel_ui_space(reel_ui *ui, float points);
/* Runs a nested vertical layout inside `rect` (a view tile, a table cell), clipped to it. */
void reel_ui_layout_begin(reel_ui *ui, reel_ui_rect rect, float padding_pt);
void reel_ui_layout_end(reel_ui *ui);
/* Interaction for a rectangle the app owns (view tiles, plots, 3D viewports). */
reel_ui_response reel_ui_interact(reel_ui *ui, reel_ui_rect rect, reel_ui_id id, unsigned sense);

/* ------------------------------------------------------------ panels */

typedef enum reel_ui_side {
    REEL_UI_TOP,
    REEL_UI_BOTTOM,
    REEL_UI_LEFT,
    REEL_UI_RIGHT,
    REEL_UI_CENTRAL, /* whatever the other panels left */
} reel_ui_side;

typedef struct reel_ui_panel_desc {
    reel_ui_side side;
    float default_size_pt;          /* width (left/right) or height (top/bottom) */
    float min_size_pt, max_size_pt; /* 0: no bound */
    bool resizable;                 /* drag the inner edge */
    uint32_t fill;                  /* 0: panel_bg (side panels), none (central) */
    float padding_pt;               /* < 0: none; 0: 8 pt */
} reel_ui_panel_desc;

/* Panels take space from the edges of the window in call order, as egui's do; the central
 * panel takes the rest. Always pair with reel_ui_panel_end. Returns the panel's rectangle. */
reel_ui_rect reel_ui_panel_begin(reel_ui *ui, const char *id, const reel_ui_panel_desc *desc);
void reel_ui_panel_end(reel_ui *ui);
/* A draggable divider: *fraction (0..1) splits `rect` horizontally (vertical bar) or
 * vertically. Returns true while it changes. */
bool reel_ui_splitter(reel_ui *ui, const char *id, reel_ui_rect rect, bool vertical_bar,
                      float *fraction, float min_fraction, float max_fraction);

/* ------------------------------------------------------------ text */

float reel_ui_text_width(reel_ui *ui, reel_ui_font font, const char *text, size_t len);
float reel_ui_line_height(reel_ui *ui, reel_ui_font font); /* pixels */
/* Draws text whose line box starts at (x, y) (pixels), elided with "…" past max_width
 * (<= 0: no limit). Returns the width drawn. */
float reel_ui_draw_text(reel_ui *ui, reel_ui_font font, float x, float y, const char *text,
                        size_t len, uint32_t rgba, float max_width);
/* How many bytes of `text` fit in max_width pixels with "…" after them (len if all fit). */
size_t reel_ui_text_fit(reel_ui *ui, reel_ui_font font, const char *text, size_t len,
                        float max_width);
void reel_ui_draw_icon(reel_ui *ui, reel_ui_icon icon, reel_ui_rect rect, uint32_t rgba);

/* ------------------------------------------------------------ widgets */

void reel_ui_label(reel_ui *ui, const char *text);
void reel_ui_label_colored(reel_ui *ui, const char *text, uint32_t rgba);
void reel_ui_label_font(reel_ui *ui, const char *text, reel_ui_font font, uint32_t rgba);
void reel_ui_textf(reel_ui *ui, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void reel_ui_heading(reel_ui *ui, const char *text);
void reel_ui_separator(reel_ui *ui);
bool reel_ui_button(reel_ui *ui, const char *label);         /* clicked */
bool reel_ui_button_primary(reel_ui *ui, const char *label); /* light fill */
reel_ui_response reel_ui_icon_button(reel_ui *ui, const char *id, reel_ui_icon icon);
bool reel_ui_checkbox(reel_ui *ui, const char *label, bool *value);          /* changed */
bool reel_ui_radio(reel_ui *ui, const char *label, int *current, int value); /* changed */
bool reel_ui_selectable(reel_ui *ui, const char *label, bool selected);      /* clicked */
bool reel_ui_slider_float(reel_ui *ui, const char *label, float *value, float min, float max);
bool reel_ui_slider_int(reel_ui *ui, const char *label, int *value, int min, int max);
/* Drag horizontally to change by `speed` per pixel (points; Shift: x0.1); double click
 * types a value. min >= max: unbounded. */
bool reel_ui_drag_float(reel_ui *ui, const char *label, float *value, float speed, float min,
                        float max);
bool reel_ui_drag_int(reel_ui *ui, const char *label, int *value, float speed, int min, int max);
/* Single-line text field over the caller's buffer (NUL-terminated, `capacity` bytes).
 * Returns true when the text changed; *submitted (optional) when Enter was pressed. */
bool reel_ui_text_field(reel_ui *ui, const char *label, char *buffer, size_t capacity,
                        bool *submitted);
/* The same with the field `width_pt` wide (<= 0: the available width less the label's). */
bool reel_ui_text_field_wide(reel_ui *ui, const char *label, char *buffer, size_t capacity,
                             float width_pt, bool *submitted);
/* Moves keyboard focus to the widget with this label's id (e.g. a search field). */
void reel_ui_focus(reel_ui *ui, reel_ui_id id);
reel_ui_response reel_ui_last_response(const reel_ui *ui); /* of the last widget */

/* ------------------------------------------------------------ trees */

typedef struct reel_ui_tree_item {
    const char *label; /* also the id, as other labels */
    reel_ui_icon icon; /* NONE: no icon */
    bool leaf;         /* no expander; never open */
    bool default_open;
    bool selected; /* selection_bg fill */
    bool subdued;  /* hidden items: weak text */
    bool *visible; /* non-NULL: an eye toggle, shown on hover or while hidden */
} reel_ui_tree_item;

typedef struct reel_ui_tree_result {
    bool open;               /* call reel_ui_tree_pop when true */
    bool visibility_changed; /* the eye was clicked (*visible was flipped) */
    reel_ui_response row;    /* clicks on the row itself (select on row.clicked) */
} reel_ui_tree_result;

reel_ui_tree_result reel_ui_tree_node(reel_ui *ui, const reel_ui_tree_item *item);
void reel_ui_tree_pop(reel_ui *ui);
/* A full-width section header (section colour); returns open. No pop needed. */
bool reel_ui_collapsing_header(reel_ui *ui, const char *label, bool default_open);

/* ------------------------------------------------------------ scroll areas and tables */

/* A vertical scroll area `height_pt` tall (<= 0: all available height). Wheel, scrollbar
 * drag and clipping. Pair with reel_ui_scroll_end. Returns the visible area. */
reel_ui_rect reel_ui_scroll_begin(reel_ui *ui, const char *id, float height_pt);
void reel_ui_scroll_end(reel_ui *ui);

/* A table of n_columns (<= 16) with a header row (headers may be NULL), striped rows and
 * columns resizable by dragging the header's dividers. Cells are clipped nested layouts. */
void reel_ui_table_begin(reel_ui *ui, const char *id, int n_columns, const char *const *headers,
                         float row_height_pt);
/* Moves to the next cell (the first call of a row starts the row). */
void reel_ui_table_next_cell(reel_ui *ui);
void reel_ui_table_end(reel_ui *ui);

/* ------------------------------------------------------------ popups */

void reel_ui_tooltip(reel_ui *ui, const reel_ui_response *over, const char *text);
/* Popups stay open across frames until a click outside, Escape or reel_ui_popup_close. */
void reel_ui_popup_open(reel_ui *ui, const char *id);
bool reel_ui_popup_is_open(const reel_ui *ui, const char *id);
bool reel_ui_popup_begin(reel_ui *ui, const char *id); /* true: draw items, then _end */
void reel_ui_popup_end(reel_ui *ui);
void reel_ui_popup_close(reel_ui *ui); /* closes the innermost popup being drawn */
/* Opens on a right click of `over` at the pointer; true: draw menu items, then _end. */
bool reel_ui_context_menu_begin(reel_ui *ui, const reel_ui_response *over);
void reel_ui_context_menu_end(reel_ui *ui);
bool reel_ui_menu_item(reel_ui *ui, const char *label); /* clicked; closes the menu */
/* A centred window over a dimmed screen that blocks everything below. */
bool reel_ui_modal_begin(reel_ui *ui, const char *id, const char *title);
void reel_ui_modal_end(reel_ui *ui);
/* A combo box: a button with the current item that opens a list. */
bool reel_ui_combo(reel_ui *ui, const char *label, int *current, const char *const *items,
                   int n_items); /* changed */
bool reel_ui_combo_begin(reel_ui *ui, const char *label, const char *preview);
void reel_ui_combo_end(reel_ui *ui);

/* ------------------------------------------------------------ demo */

/* The demo's values (the caller keeps them across frames). */
typedef struct reel_ui_demo_state {
    bool checked, visible[4];
    int radio, combo, drag_int, selected_row;
    float slider, drag_float;
    char text[64];
    bool modal_was_opened;
} reel_ui_demo_state;

void reel_ui_demo_state_init(reel_ui_demo_state *state);
/* Shows every widget (panels, trees, table, popups...), for screenshots and manual tests:
 * call between reel_ui_begin and reel_ui_end. */
void reel_ui_demo(reel_ui *ui, reel_ui_demo_state *state);

#ifdef __cplusplus
}
#endif
#endif
