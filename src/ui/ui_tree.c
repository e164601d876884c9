/* Trees and collapsing headers: list-item rows (24 pt) with an expander, an icon, a label
 * that elides, hover and selection fills, and an optional eye toggle on the right; the open
 * flag is kept by id. An open node indents its children and pushes its id. */
#include "ui/ui_internal.h"

#include <math.h>
#include <string.h>

reel_ui_tree_result reel_ui_tree_node(reel_ui *ui, const reel_ui_tree_item *item)
{
    reel_ui_tree_result result = {0};
    reel_ui_id id = reel_ui_make_id(ui, item->label);
    ui_state *state = reel__ui_state(ui, id);
    bool open = false;
    if (state) {
        if (!state->initialized) {
            state->initialized = true;
            state->open = item->default_open;
        }
        open = state->open && !item->leaf;
    }
    reel_ui_rect row = reel__ui_allocate_flush(ui, 0, reel__ui_pt(ui, REEL_THEME_LIST_ITEM_HEIGHT));
    float icon_size = reel__ui_pt(ui, REEL_THEME_SMALL_ICON);
    float icon_top = row.y0 + floorf((row.y1 - row.y0 - icon_size) * 0.5f);
    reel_ui_rect expander = {row.x0, icon_top, row.x0 + icon_size, icon_top + icon_size};
    reel_ui_rect eye = {row.x1 - icon_size - reel__ui_pt(ui, 4), icon_top,
                        row.x1 - reel__ui_pt(ui, 4), icon_top + icon_size};

    /* Row first, then the expander and the eye above it (the last submitted wins hover). */
    result.row = reel_ui_interact(ui, row, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    reel__ui_arrow_navigation(ui, &result.row);
    if (reel__ui_activated_by_key(ui, &result.row))
        result.row.clicked = true; /* Enter/Space select, as a click does */
    bool toggle = false;
    reel_ui_response expander_response = {0}, eye_response = {0};
    if (!item->leaf) {
        expander_response = reel_ui_interact(ui, expander, id ^ 0x68e31da4u, REEL_UI_SENSE_CLICK);
        toggle = expander_response.clicked || result.row.double_clicked;
        if (result.row.focused) {
            if (ui->input.key_pressed[REEL_KEY_RIGHT] && !open)
                toggle = true;
            if (ui->input.key_pressed[REEL_KEY_LEFT] && open)
                toggle = true;
        }
    }
    reel_ui_rect visible = reel__ui_rect_intersect(row, reel__ui_clip(ui));
    bool pointer_on_row = ui->input.has_pointer && ui->layer == ui->hover_layer &&
                          reel__ui_rect_contains(visible, ui->pointer_x, ui->pointer_y);
    bool show_eye = item->visible && (pointer_on_row || !*item->visible);
    if (show_eye) {
        eye_response = reel_ui_interact(ui, eye, id ^ 0x1b873593u, REEL_UI_SENSE_CLICK);
        if (eye_response.clicked) {
            *item->visible = !*item->visible;
            result.visibility_changed = true;
        }
    }
    if (toggle && state) {
        state->open = !state->open;
        open = state->open;
    }
    bool hovered = result.row.hovered || expander_response.hovered || eye_response.hovered;

    reel_draw_list *list = &ui->layers[ui->layer];
    if (item->selected)
        reel_draw_rect_filled(list, row.x0, row.y0, row.x1, row.y1, 0, REEL_THEME_SELECTION_BG);
    else if (hovered)
        reel_draw_rect_filled(list, row.x0, row.y0, row.x1, row.y1, 0, REEL_THEME_LIST_HOVERED_BG);
    uint32_t icon_color = item->selected || result.row.held ? REEL_THEME_LIST_ICON_ACTIVE
                          : hovered                         ? REEL_THEME_LIST_ICON_HOVERED
                                                            : REEL_THEME_LIST_ICON;
    uint32_t text_color = item->subdued                       ? REEL_THEME_TEXT_SUBDUED
                          : item->selected || result.row.held ? REEL_THEME_LIST_TEXT_ACTIVE
                          : hovered                           ? REEL_THEME_LIST_TEXT_HOVERED
                                                              : REEL_THEME_LIST_TEXT;
    if (!item->leaf)
        reel_ui_draw_icon(ui, open ? REEL_UI_ICON_EXPANDED : REEL_UI_ICON_COLLAPSED, expander,
                          expander_response.hovered ? REEL_THEME_LIST_ICON_ACTIVE : icon_color);
    float x = expander.x1 + reel__ui_pt(ui, 2);
    if (item->icon != REEL_UI_ICON_NONE) {
        reel_ui_draw_icon(ui, item->icon,
                          (reel_ui_rect){x, icon_top, x + icon_size, icon_top + icon_size},
                          icon_color);
        x += icon_size + reel__ui_pt(ui, 4);
    }
    size_t len = reel__ui_label_length(item->label);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float text_end = show_eye ? eye.x0 - reel__ui_pt(ui, 4) : row.x1;
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x, row.y0 + floorf((row.y1 - row.y0 - line) * 0.5f),
                      item->label, len, text_color, text_end - x);
    if (show_eye)
        reel_ui_draw_icon(ui, *item->visible ? REEL_UI_ICON_EYE : REEL_UI_ICON_EYE_OFF, eye,
                          eye_response.hovered ? REEL_THEME_LIST_ICON_ACTIVE : icon_color);
    if (result.row.focused)
        reel__ui_draw_focus(ui, row);
    result.open = open;
    if (open) {
        reel_ui_indent(ui);
        reel_ui_push_id_int(ui, id);
    }
    ui->last = result.row;
    return result;
}

void reel_ui_tree_pop(reel_ui *ui)
{
    reel_ui_pop_id(ui);
    reel_ui_unindent(ui);
}

bool reel_ui_collapsing_header(reel_ui *ui, const char *label, bool default_open)
{
    reel_ui_id id = reel_ui_make_id(ui, label);
    ui_state *state = reel__ui_state(ui, id);
    if (state && !state->initialized) {
        state->initialized = true;
        state->open = default_open;
    }
    reel_ui_rect row = reel__ui_allocate_flush(ui, 0, reel__ui_pt(ui, REEL_THEME_TITLE_BAR_HEIGHT));
    reel_ui_response r = reel_ui_interact(ui, row, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    reel__ui_arrow_navigation(ui, &r);
    if ((r.clicked || reel__ui_activated_by_key(ui, &r)) && state)
        state->open = !state->open;
    bool open = state ? state->open : default_open;
    reel_draw_list *list = &ui->layers[ui->layer];
    reel_draw_rect_filled(list, row.x0, row.y0, row.x1, row.y1, 0,
                          r.hovered ? REEL_GRAY_250 : REEL_THEME_SECTION_HEADER_BG);
    float icon_size = reel__ui_pt(ui, REEL_THEME_SMALL_ICON);
    float top = row.y0 + floorf((row.y1 - row.y0 - icon_size) * 0.5f);
    float x = row.x0 + reel__ui_pt(ui, 4);
    reel_ui_draw_icon(ui, open ? REEL_UI_ICON_EXPANDED : REEL_UI_ICON_COLLAPSED,
                      (reel_ui_rect){x, top, x + icon_size, top + icon_size},
                      REEL_THEME_LIST_ICON_HOVERED);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    x += icon_size + reel__ui_pt(ui, 4);
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x, row.y0 + floorf((row.y1 - row.y0 - line) * 0.5f),
                      label, reel__ui_label_length(label), REEL_THEME_TEXT_STRONG, row.x1 - x);
    if (r.focused)
        reel__ui_draw_focus(ui, row);
    reel__ui_layout(ui)->cursor_y += reel__ui_pt(ui, 2);
    ui->last = r;
    return open;
}
