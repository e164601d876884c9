/* The basic widgets: labels and headings, separators, buttons (secondary, primary, icon),
 * checkboxes, radio buttons, selectable rows, sliders and drag values (int and float). Each
 * allocates its rectangle from the layout, asks reel_ui_interact what the pointer and
 * keyboard did to it, updates the caller's value and draws itself with theme colours. */
#include "ui/ui_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static reel_draw_list *draw(reel_ui *ui)
{
    return &ui->layers[ui->layer];
}

/* Text vertically centred in rect, starting at x. */
static float text_in(reel_ui *ui, reel_ui_rect rect, float x, const char *text, size_t len,
                     uint32_t rgba, reel_ui_font font)
{
    float line = reel_ui_line_height(ui, font);
    float y = rect.y0 + floorf((rect.y1 - rect.y0 - line) * 0.5f);
    return reel_ui_draw_text(ui, font, x, y, text, len, rgba, rect.x1 - x);
}

void reel_ui_label_font(reel_ui *ui, const char *text, reel_ui_font font, uint32_t rgba)
{
    size_t len = text ? strlen(text) : 0;
    float width = reel_ui_text_width(ui, font, text, len);
    reel_ui_rect avail = reel_ui_available(ui);
    if (width > avail.x1 - avail.x0 && avail.x1 > avail.x0 && !reel__ui_layout(ui)->grows)
        width = avail.x1 - avail.x0; /* elided to the space there is */
    /* In a row, a label is as tall as the widgets beside it and centres its text. */
    float line = reel_ui_line_height(ui, font);
    float height = reel__ui_layout(ui)->horizontal
                       ? fmaxf(line, reel__ui_pt(ui, REEL_THEME_WIDGET_HEIGHT))
                       : line;
    reel_ui_rect rect = reel__ui_allocate_px(ui, width, height);
    reel_ui_draw_text(ui, font, rect.x0, rect.y0 + floorf((height - line) * 0.5f), text, len, rgba,
                      rect.x1 - rect.x0 + 0.5f);
}

void reel_ui_label(reel_ui *ui, const char *text)
{
    reel_ui_label_font(ui, text, REEL_UI_FONT_BODY, REEL_THEME_TEXT_DEFAULT);
}

void reel_ui_label_colored(reel_ui *ui, const char *text, uint32_t rgba)
{
    reel_ui_label_font(ui, text, REEL_UI_FONT_BODY, rgba);
}

void reel_ui_textf(reel_ui *ui, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(ui->scratch, sizeof ui->scratch, format, args);
    va_end(args);
    reel_ui_label(ui, ui->scratch);
}

void reel_ui_heading(reel_ui *ui, const char *text)
{
    reel_ui_label_font(ui, text, REEL_UI_FONT_HEADING, REEL_THEME_TEXT_STRONG);
}

void reel_ui_separator(reel_ui *ui)
{
    ui_layout *l = reel__ui_layout(ui);
    float thickness = fmaxf(1.0f, floorf(ui->scale));
    if (l->horizontal) {
        reel_ui_rect r =
            reel__ui_allocate_px(ui, thickness, l->line_height > 0 ? l->line_height : 0);
        reel_draw_rect_filled(draw(ui), r.x0, r.y0, r.x1, r.y1, 0, REEL_THEME_SEPARATOR);
        return;
    }
    reel_ui_rect r = reel__ui_allocate_px(ui, 0, thickness);
    reel_draw_rect_filled(draw(ui), r.x0, r.y0, r.x1, r.y1, 0, REEL_THEME_SEPARATOR);
}

static bool button_styled(reel_ui *ui, const char *label, bool primary)
{
    size_t len = reel__ui_label_length(label);
    float padding = reel__ui_pt(ui, REEL_THEME_BUTTON_PADDING_X);
    float width = reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) + 2 * padding;
    reel_ui_rect rect = reel__ui_allocate_px(ui, ceilf(width), 0);
    reel_ui_response r = reel_ui_interact(ui, rect, reel_ui_make_id(ui, label),
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    if (reel__ui_activated_by_key(ui, &r))
        r.clicked = true;
    uint32_t fill, text;
    if (primary) {
        fill = r.held      ? REEL_THEME_PRIMARY_BUTTON_PRESSED
               : r.hovered ? REEL_THEME_PRIMARY_BUTTON_HOVERED
                           : REEL_THEME_PRIMARY_BUTTON;
        text = REEL_THEME_PRIMARY_BUTTON_TEXT;
    } else {
        fill = r.held      ? REEL_THEME_SECONDARY_BUTTON_PRESSED
               : r.hovered ? REEL_THEME_SECONDARY_BUTTON_HOVERED
                           : REEL_THEME_SECONDARY_BUTTON;
        text = r.hovered ? REEL_THEME_TEXT_STRONG : REEL_THEME_SECONDARY_BUTTON_TEXT;
    }
    reel_draw_rect_filled(draw(ui), rect.x0, rect.y0, rect.x1, rect.y1,
                          reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS), fill);
    text_in(ui, rect, rect.x0 + padding, label, len, text, REEL_UI_FONT_BODY);
    if (r.focused)
        reel__ui_draw_focus(ui, rect);
    if (r.hovered)
        ui->cursor = REEL_UI_CURSOR_HAND;
    ui->last = r;
    return r.clicked;
}

bool reel_ui_button(reel_ui *ui, const char *label)
{
    return button_styled(ui, label, false);
}

bool reel_ui_button_primary(reel_ui *ui, const char *label)
{
    return button_styled(ui, label, true);
}

reel_ui_response reel_ui_icon_button(reel_ui *ui, const char *id, reel_ui_icon icon)
{
    float size = reel__ui_pt(ui, REEL_THEME_WIDGET_HEIGHT);
    reel_ui_rect rect = reel__ui_allocate_px(ui, size, size);
    reel_ui_response r = reel_ui_interact(ui, rect, reel_ui_make_id(ui, id),
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    if (reel__ui_activated_by_key(ui, &r))
        r.clicked = true;
    if (r.hovered || r.held)
        reel_draw_rect_filled(draw(ui), rect.x0, rect.y0, rect.x1, rect.y1,
                              reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                              r.held ? REEL_THEME_WIDGET_PRESSED_BG : REEL_THEME_WIDGET_HOVERED_BG);
    float inset = (size - reel__ui_pt(ui, REEL_THEME_SMALL_ICON)) * 0.5f;
    reel_ui_draw_icon(
        ui, icon,
        (reel_ui_rect){rect.x0 + inset, rect.y0 + inset, rect.x1 - inset, rect.y1 - inset},
        r.hovered ? REEL_THEME_LIST_ICON_ACTIVE : REEL_THEME_LIST_ICON_HOVERED);
    if (r.focused)
        reel__ui_draw_focus(ui, rect);
    ui->last = r;
    return r;
}

/* Shared by checkboxes and radio buttons: a box or circle, then the label. */
static reel_ui_response toggle_row(reel_ui *ui, const char *label, reel_ui_rect *box)
{
    size_t len = reel__ui_label_length(label);
    float box_size = reel__ui_pt(ui, REEL_THEME_SMALL_ICON);
    float gap = reel__ui_pt(ui, 6.0f);
    float width =
        box_size + (len ? gap + reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) : 0);
    reel_ui_rect rect = reel__ui_allocate_px(ui, ceilf(width), 0);
    reel_ui_response r = reel_ui_interact(ui, rect, reel_ui_make_id(ui, label),
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    if (reel__ui_activated_by_key(ui, &r))
        r.clicked = true;
    float top = rect.y0 + floorf((rect.y1 - rect.y0 - box_size) * 0.5f);
    *box = (reel_ui_rect){rect.x0, top, rect.x0 + box_size, top + box_size};
    if (len)
        text_in(ui, rect, box->x1 + gap, label, len,
                r.hovered ? REEL_THEME_TEXT_STRONG : REEL_THEME_TEXT_DEFAULT, REEL_UI_FONT_BODY);
    if (r.focused)
        reel__ui_draw_focus(ui, *box);
    return r;
}

bool reel_ui_checkbox(reel_ui *ui, const char *label, bool *value)
{
    reel_ui_rect box;
    reel_ui_response r = toggle_row(ui, label, &box);
    if (r.clicked) {
        *value = !*value;
        r.changed = true;
    }
    reel_draw_rect_filled(draw(ui), box.x0, box.y0, box.x1, box.y1,
                          reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                          r.hovered ? REEL_GRAY_350 : REEL_THEME_WIDGET_INACTIVE_BG);
    if (*value) {
        float inset = reel__ui_pt(ui, 2.0f);
        reel_ui_draw_icon(
            ui, REEL_UI_ICON_CHECK,
            (reel_ui_rect){box.x0 + inset, box.y0 + inset, box.x1 - inset, box.y1 - inset},
            REEL_THEME_TEXT_STRONG);
    }
    ui->last = r;
    return r.changed;
}

bool reel_ui_radio(reel_ui *ui, const char *label, int *current, int value)
{
    reel_ui_rect box;
    reel_ui_response r = toggle_row(ui, label, &box);
    if (r.clicked && *current != value) {
        *current = value;
        r.changed = true;
    }
    float cx = (box.x0 + box.x1) * 0.5f, cy = (box.y0 + box.y1) * 0.5f;
    float radius = (box.x1 - box.x0) * 0.5f;
    reel_draw_circle_filled(draw(ui), cx, cy, radius,
                            r.hovered ? REEL_GRAY_350 : REEL_THEME_WIDGET_INACTIVE_BG);
    if (*current == value)
        reel_draw_circle_filled(draw(ui), cx, cy, radius * 0.45f, REEL_THEME_TEXT_STRONG);
    ui->last = r;
    return r.changed;
}

bool reel_ui_selectable(reel_ui *ui, const char *label, bool selected)
{
    size_t len = reel__ui_label_length(label);
    float padding = reel__ui_pt(ui, REEL_THEME_BUTTON_PADDING_X);
    float natural = reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) + 2 * padding;
    reel_ui_rect avail = reel_ui_available(ui);
    float width = fmaxf(natural, avail.x1 - avail.x0);
    reel_ui_rect rect = reel__ui_allocate_px(ui, ceilf(width), 0);
    reel_ui_response r = reel_ui_interact(ui, rect, reel_ui_make_id(ui, label),
                                          REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    reel__ui_arrow_navigation(ui, &r);
    if (reel__ui_activated_by_key(ui, &r))
        r.clicked = true;
    if (selected || r.hovered)
        reel_draw_rect_filled(draw(ui), rect.x0, rect.y0, rect.x1, rect.y1,
                              reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                              selected ? REEL_THEME_SELECTION_BG : REEL_THEME_LIST_HOVERED_BG);
    text_in(ui, rect, rect.x0 + padding, label, len,
            selected || r.hovered ? REEL_THEME_LIST_TEXT_ACTIVE : REEL_THEME_LIST_TEXT,
            REEL_UI_FONT_BODY);
    if (r.focused)
        reel__ui_draw_focus(ui, rect);
    ui->last = r;
    return r.clicked;
}

/* The label after a value widget, in the same row. */
static void trailing_label(reel_ui *ui, reel_ui_rect widget, const char *label, float *x1)
{
    size_t len = reel__ui_label_length(label);
    if (!len)
        return;
    float gap = reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) * 0.5f;
    text_in(ui, (reel_ui_rect){widget.x1 + gap, widget.y0, *x1, widget.y1}, widget.x1 + gap, label,
            len, REEL_THEME_TEXT_DEFAULT, REEL_UI_FONT_BODY);
}

/* A row [widget of width_pt][label]; returns the widget's part. */
static reel_ui_rect value_row(reel_ui *ui, const char *label, float width_pt, float *row_x1)
{
    size_t len = reel__ui_label_length(label);
    float widget = reel__ui_pt(ui, width_pt);
    float label_width = len ? reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) * 0.5f +
                                  reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len)
                            : 0;
    reel_ui_rect row = reel__ui_allocate_px(ui, ceilf(widget + label_width), 0);
    *row_x1 = row.x1;
    return (reel_ui_rect){row.x0, row.y0, row.x0 + widget, row.y1};
}

static bool slider(reel_ui *ui, const char *label, double *value, double min, double max,
                   bool integer)
{
    float row_x1;
    reel_ui_rect rect = value_row(ui, label, REEL_THEME_SLIDER_WIDTH, &row_x1);
    reel_ui_response r =
        reel_ui_interact(ui, rect, reel_ui_make_id(ui, label),
                         REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_FOCUS);
    double old = *value;
    float radius = reel__ui_pt(ui, 6.0f);
    float x0 = rect.x0 + radius, x1 = fmaxf(rect.x1 - radius - reel__ui_pt(ui, 48.0f), x0 + 1);
    if (r.held && max > min) {
        double t = (ui->pointer_x - x0) / (x1 - x0);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        *value = min + t * (max - min);
    }
    if (r.focused && max > min) {
        double step = integer ? 1 : (max - min) / 100;
        if (ui->input.key_pressed[REEL_KEY_LEFT] || ui->input.key_pressed[REEL_KEY_DOWN])
            *value -= step;
        if (ui->input.key_pressed[REEL_KEY_RIGHT] || ui->input.key_pressed[REEL_KEY_UP])
            *value += step;
    }
    if (integer)
        *value = round(*value);
    *value = *value < min ? min : *value > max ? max : *value;
    r.changed = *value != old;
    double t = max > min ? (*value - min) / (max - min) : 0;
    float cy = (rect.y0 + rect.y1) * 0.5f, rail = reel__ui_pt(ui, 2.0f);
    float handle_x = x0 + (float)t * (x1 - x0);
    reel_draw_rect_filled(draw(ui), x0, cy - rail, x1, cy + rail, rail, REEL_THEME_EXTREME_BG);
    reel_draw_rect_filled(draw(ui), x0, cy - rail, handle_x, cy + rail, rail,
                          REEL_THEME_SELECTION_BG);
    reel_draw_circle_filled(draw(ui), handle_x, cy, radius,
                            r.hovered || r.held ? REEL_GRAY_800 : REEL_GRAY_700);
    char text[48];
    if (integer)
        snprintf(text, sizeof text, "%.0f", *value);
    else
        snprintf(text, sizeof text, "%.3f", *value);
    text_in(ui, (reel_ui_rect){x1 + radius * 2, rect.y0, rect.x1, rect.y1}, x1 + radius * 2, text,
            strlen(text), REEL_THEME_TEXT_DEFAULT, REEL_UI_FONT_MONO);
    trailing_label(ui, rect, label, &row_x1);
    if (r.focused)
        reel__ui_draw_focus(ui, rect);
    ui->last = r;
    return r.changed;
}

bool reel_ui_slider_float(reel_ui *ui, const char *label, float *value, float min, float max)
{
    double v = *value;
    bool changed = slider(ui, label, &v, min, max, false);
    *value = (float)v;
    return changed;
}

bool reel_ui_slider_int(reel_ui *ui, const char *label, int *value, int min, int max)
{
    double v = *value;
    bool changed = slider(ui, label, &v, min, max, true);
    *value = (int)v;
    return changed;
}

static bool drag_value(reel_ui *ui, const char *label, double *value, double speed, double min,
                       double max, bool integer)
{
    float row_x1;
    reel_ui_rect rect = value_row(ui, label, 80.0f, &row_x1);
    reel_ui_id id = reel_ui_make_id(ui, label);
    double old = *value;
    bool bounded = min < max;
    if (ui->drag_edit_id == id) { /* typing a value after a double click */
        bool submitted = false;
        reel__ui_text_edit(ui, id, rect, ui->drag_edit_text, sizeof ui->drag_edit_text, &submitted,
                           REEL_UI_FONT_MONO);
        if (submitted) {
            char *end = NULL;
            double typed = strtod(ui->drag_edit_text, &end);
            if (end != ui->drag_edit_text)
                *value = typed;
            ui->drag_edit_id = 0;
            reel_ui_focus(ui, id); /* keep the keyboard on the value (overrides the editor) */
        } else if (ui->focus != id) {
            ui->drag_edit_id = 0;
        }
    } else {
        reel_ui_response r = reel_ui_interact(
            ui, rect, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_FOCUS);
        if (r.hovered || r.held)
            ui->cursor = REEL_UI_CURSOR_RESIZE_H;
        if (r.held && r.drag_dx != 0) {
            double factor = (ui->input.modifiers & REEL_MOD_SHIFT) ? 0.1 : 1.0;
            *value += (double)(r.drag_dx / ui->scale) * speed * factor;
        }
        if (r.focused) {
            if (ui->input.key_pressed[REEL_KEY_LEFT] || ui->input.key_pressed[REEL_KEY_DOWN])
                *value -= integer ? 1 : speed;
            if (ui->input.key_pressed[REEL_KEY_RIGHT] || ui->input.key_pressed[REEL_KEY_UP])
                *value += integer ? 1 : speed;
        }
        if (r.double_clicked || (r.focused && ui->input.key_pressed[REEL_KEY_ENTER])) {
            ui->drag_edit_id = id;
            if (integer)
                snprintf(ui->drag_edit_text, sizeof ui->drag_edit_text, "%.0f", *value);
            else
                snprintf(ui->drag_edit_text, sizeof ui->drag_edit_text, "%g", *value);
            ui->focus = id;
            ui->text_id = 0; /* the editor starts afresh with everything selected */
        }
        reel_draw_rect_filled(draw(ui), rect.x0, rect.y0, rect.x1, rect.y1,
                              reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                              r.held      ? REEL_THEME_WIDGET_PRESSED_BG
                              : r.hovered ? REEL_GRAY_350
                                          : REEL_THEME_WIDGET_INACTIVE_BG);
        char text[48];
        double shown = *value;
        if (integer)
            shown = round(shown);
        if (bounded)
            shown = shown < min ? min : shown > max ? max : shown;
        if (integer)
            snprintf(text, sizeof text, "%.0f", shown);
        else
            snprintf(text, sizeof text, "%.3f", shown);
        float width = reel_ui_text_width(ui, REEL_UI_FONT_MONO, text, strlen(text));
        text_in(ui, rect, rect.x0 + fmaxf((rect.x1 - rect.x0 - width) * 0.5f, 0), text,
                strlen(text), REEL_THEME_TEXT_DEFAULT, REEL_UI_FONT_MONO);
        if (r.focused)
            reel__ui_draw_focus(ui, rect);
        ui->last = r;
    }
    if (bounded)
        *value = *value < min ? min : *value > max ? max : *value;
    trailing_label(ui, rect, label, &row_x1);
    ui->last.changed = *value != old;
    return *value != old;
}

bool reel_ui_drag_float(reel_ui *ui, const char *label, float *value, float speed, float min,
                        float max)
{
    double v = *value;
    bool changed = drag_value(ui, label, &v, speed, min, max, false);
    *value = (float)v;
    return changed;
}

bool reel_ui_drag_int(reel_ui *ui, const char *label, int *value, float speed, int min, int max)
{
    /* The fraction dragged so far lives in the widget's state, so slow drags still move. */
    reel_ui_id id = reel_ui_make_id(ui, label);
    ui_state *state = reel__ui_state(ui, id ^ 0x5bd1e995u);
    double v = *value + (state ? state->value[0] : 0);
    drag_value(ui, label, &v, speed, min, max, true);
    double rounded = floor(v + 0.5);
    if (min < max)
        rounded = rounded < min ? min : rounded > max ? max : rounded;
    if (state)
        state->value[0] = ui->active == id ? (float)(v - rounded) : 0;
    bool changed = (int)rounded != *value;
    *value = (int)rounded;
    ui->last.changed = changed;
    return changed;
}
