/* Panels and splitters. Panels take strips from the edges of what earlier panels left of the
 * window (as egui's side/top/bottom panels do) and the central panel takes the rest; a
 * panel's size is kept by id and changed by dragging its inner edge. A splitter is a
 * draggable divider splitting a rectangle by a fraction. */
#include "ui/ui_internal.h"

#include <math.h>

static float clamp_size(float size, float min, float max)
{
    if (max > 0 && size > max)
        size = max;
    if (size < min)
        size = min;
    return size;
}

reel_ui_rect reel_ui_panel_begin(reel_ui *ui, const char *id, const reel_ui_panel_desc *desc)
{
    reel_ui_id panel_id = reel_ui_make_id(ui, id);
    ui_state *state = reel__ui_state(ui, panel_id);
    float size_pt = desc->default_size_pt > 0 ? desc->default_size_pt : 200.0f;
    if (state) {
        if (!state->initialized) {
            state->initialized = true;
            state->value[0] = size_pt;
        }
        size_pt = state->value[0];
    }
    size_pt = clamp_size(size_pt, desc->min_size_pt, desc->max_size_pt);
    float size = reel__ui_pt(ui, size_pt);
    reel_ui_rect *left = &ui->remaining, rect = *left;
    switch (desc->side) {
    case REEL_UI_TOP:
        rect.y1 = fminf(left->y0 + size, left->y1);
        left->y0 = rect.y1;
        break;
    case REEL_UI_BOTTOM:
        rect.y0 = fmaxf(left->y1 - size, left->y0);
        left->y1 = rect.y0;
        break;
    case REEL_UI_LEFT:
        rect.x1 = fminf(left->x0 + size, left->x1);
        left->x0 = rect.x1;
        break;
    case REEL_UI_RIGHT:
        rect.x0 = fmaxf(left->x1 - size, left->x0);
        left->x1 = rect.x0;
        break;
    default:
        break;
    }
    uint32_t fill = desc->fill;
    if (!fill && desc->side != REEL_UI_CENTRAL)
        fill = REEL_THEME_PANEL_BG;
    reel_draw_list *list = &ui->layers[ui->layer];
    reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y1, 0, fill);
    float line = fmaxf(1.0f, floorf(ui->scale));
    switch (desc->side) { /* the separator on the panel's inner edge */
    case REEL_UI_TOP:
        reel_draw_rect_filled(list, rect.x0, rect.y1 - line, rect.x1, rect.y1, 0,
                              REEL_THEME_SEPARATOR);
        break;
    case REEL_UI_BOTTOM:
        reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y0 + line, 0,
                              REEL_THEME_SEPARATOR);
        break;
    case REEL_UI_LEFT:
        reel_draw_rect_filled(list, rect.x1 - line, rect.y0, rect.x1, rect.y1, 0,
                              REEL_THEME_SEPARATOR);
        break;
    case REEL_UI_RIGHT:
        reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x0 + line, rect.y1, 0,
                              REEL_THEME_SEPARATOR);
        break;
    default:
        break;
    }
    if (desc->side != REEL_UI_CENTRAL && ui->layer == ui->hover_layer && ui->input.has_pointer &&
        reel__ui_rect_contains(rect, ui->pointer_x, ui->pointer_y))
        ui->pointer_on_surface = true;
    if (ui->n_panels < 8)
        ui->panels[ui->n_panels] = (ui_panel){
            panel_id, rect, desc->side, desc->resizable, desc->min_size_pt, desc->max_size_pt};
    ui->n_panels++;
    float padding = desc->padding_pt < 0   ? 0
                    : desc->padding_pt > 0 ? desc->padding_pt
                                           : REEL_THEME_PANEL_MARGIN;
    reel_ui_layout_begin(ui, rect, padding);
    reel_ui_push_id_int(ui, panel_id);
    return rect;
}

void reel_ui_panel_end(reel_ui *ui)
{
    if (ui->n_panels <= 0)
        return;
    reel_ui_pop_id(ui);
    reel_ui_layout_end(ui);
    ui->n_panels--;
    if (ui->n_panels >= 8)
        return;
    ui_panel *panel = &ui->panels[ui->n_panels];
    if (!panel->resizable || panel->side == REEL_UI_CENTRAL)
        return;
    /* The grab zone lies inside the panel's inner edge and is submitted after the panel's
     * content, so it wins the pointer over the content under it. */
    float grab = reel__ui_pt(ui, REEL_THEME_RESIZE_GRAB);
    reel_ui_rect r = panel->rect, zone = r;
    bool horizontal_edge = panel->side == REEL_UI_TOP || panel->side == REEL_UI_BOTTOM;
    if (panel->side == REEL_UI_LEFT)
        zone.x0 = r.x1 - grab;
    else if (panel->side == REEL_UI_RIGHT)
        zone.x1 = r.x0 + grab;
    else if (panel->side == REEL_UI_TOP)
        zone.y0 = r.y1 - grab;
    else
        zone.y1 = r.y0 + grab;
    reel_ui_response response =
        reel_ui_interact(ui, zone, panel->id ^ 0x7f4a7c15u, REEL_UI_SENSE_DRAG);
    if (response.hovered || response.held) {
        ui->cursor = horizontal_edge ? REEL_UI_CURSOR_RESIZE_V : REEL_UI_CURSOR_RESIZE_H;
        reel_draw_list *list = &ui->layers[ui->layer];
        float line = fmaxf(2.0f, floorf(2 * ui->scale));
        if (panel->side == REEL_UI_LEFT)
            reel_draw_rect_filled(list, r.x1 - line, r.y0, r.x1, r.y1, 0, REEL_GRAY_400);
        else if (panel->side == REEL_UI_RIGHT)
            reel_draw_rect_filled(list, r.x0, r.y0, r.x0 + line, r.y1, 0, REEL_GRAY_400);
        else if (panel->side == REEL_UI_TOP)
            reel_draw_rect_filled(list, r.x0, r.y1 - line, r.x1, r.y1, 0, REEL_GRAY_400);
        else
            reel_draw_rect_filled(list, r.x0, r.y0, r.x1, r.y0 + line, 0, REEL_GRAY_400);
    }
    if (response.held && (response.drag_dx != 0 || response.drag_dy != 0)) {
        ui_state *state = reel__ui_state(ui, panel->id);
        if (!state)
            return;
        float delta = panel->side == REEL_UI_LEFT    ? response.drag_dx
                      : panel->side == REEL_UI_RIGHT ? -response.drag_dx
                      : panel->side == REEL_UI_TOP   ? response.drag_dy
                                                     : -response.drag_dy;
        state->value[0] =
            clamp_size(state->value[0] + delta / ui->scale, panel->min_pt, panel->max_pt);
    }
}

bool reel_ui_splitter(reel_ui *ui, const char *id, reel_ui_rect rect, bool vertical_bar,
                      float *fraction, float min_fraction, float max_fraction)
{
    float grab = reel__ui_pt(ui, REEL_THEME_RESIZE_GRAB);
    float extent = vertical_bar ? rect.x1 - rect.x0 : rect.y1 - rect.y0;
    if (extent <= 0)
        return false;
    float at = (vertical_bar ? rect.x0 : rect.y0) + *fraction * extent;
    reel_ui_rect zone = vertical_bar
                            ? (reel_ui_rect){at - grab * 0.5f, rect.y0, at + grab * 0.5f, rect.y1}
                            : (reel_ui_rect){rect.x0, at - grab * 0.5f, rect.x1, at + grab * 0.5f};
    reel_ui_response r = reel_ui_interact(ui, zone, reel_ui_make_id(ui, id), REEL_UI_SENSE_DRAG);
    float old = *fraction;
    if (r.held) {
        float pointer = vertical_bar ? ui->pointer_x : ui->pointer_y;
        *fraction = (pointer - (vertical_bar ? rect.x0 : rect.y0)) / extent;
    }
    if (*fraction < min_fraction)
        *fraction = min_fraction;
    if (*fraction > max_fraction)
        *fraction = max_fraction;
    at = (vertical_bar ? rect.x0 : rect.y0) + *fraction * extent;
    float line = fmaxf(1.0f, floorf(ui->scale)) * (r.hovered || r.held ? 2 : 1);
    uint32_t color = r.hovered || r.held ? REEL_GRAY_400 : REEL_THEME_SEPARATOR;
    reel_draw_list *list = &ui->layers[ui->layer];
    if (vertical_bar)
        reel_draw_rect_filled(list, floorf(at - line * 0.5f), rect.y0,
                              floorf(at - line * 0.5f) + line, rect.y1, 0, color);
    else
        reel_draw_rect_filled(list, rect.x0, floorf(at - line * 0.5f), rect.x1,
                              floorf(at - line * 0.5f) + line, 0, color);
    if (r.hovered || r.held)
        ui->cursor = vertical_bar ? REEL_UI_CURSOR_RESIZE_H : REEL_UI_CURSOR_RESIZE_V;
    return *fraction != old;
}
