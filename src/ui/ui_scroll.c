/* Vertical scroll areas: the content is laid out shifted by the scroll offset and clipped to
 * the area; the wheel (innermost hovered area first) and a draggable scrollbar thumb move
 * the offset, which is kept by id with last frame's content height. */
#include "ui/ui_internal.h"

#include <math.h>

#define WHEEL_POINTS_PER_LINE 50.0f /* egui's */

reel_ui_rect reel_ui_scroll_begin(reel_ui *ui, const char *id, float height_pt)
{
    reel_ui_id scroll_id = reel_ui_make_id(ui, id);
    reel_ui_rect avail = reel_ui_available(ui);
    float height = height_pt > 0 ? reel__ui_pt(ui, height_pt) : fmaxf(avail.y1 - avail.y0, 1);
    reel_ui_rect rect = reel__ui_allocate_px(ui, 0, height);
    ui_state *state = reel__ui_state(ui, scroll_id);
    float offset = state ? reel__ui_pt(ui, state->value[0]) : 0;
    float bar = reel__ui_pt(ui, REEL_THEME_SCROLL_BAR_WIDTH + 2);
    if (ui->n_scrolls < 8)
        ui->scrolls[ui->n_scrolls] = (ui_scroll){scroll_id, rect, rect.y0 - offset};
    ui->n_scrolls++;
    reel_draw_push_clip(&ui->layers[ui->layer], rect.x0, rect.y0, rect.x1, rect.y1);
    reel__ui_push_layout(ui, (reel_ui_rect){rect.x0, rect.y0 - offset, rect.x1 - bar, 1e9f}, false,
                         false);
    reel__ui_layout(ui)->clips = true;
    reel_ui_push_id_int(ui, scroll_id);
    return rect;
}

void reel_ui_scroll_end(reel_ui *ui)
{
    if (ui->n_scrolls <= 0)
        return;
    reel_ui_pop_id(ui);
    float content_bottom = reel__ui_layout(ui)->content_y1;
    reel__ui_pop_layout(ui);
    ui->n_scrolls--;
    if (ui->n_scrolls >= 8)
        return;
    ui_scroll *scroll = &ui->scrolls[ui->n_scrolls];
    ui_state *state = reel__ui_state(ui, scroll->id);
    if (!state)
        return;
    reel_ui_rect rect = scroll->rect;
    float view = rect.y1 - rect.y0;
    float content = fmaxf(content_bottom - scroll->content_top, 0);
    float max_offset = fmaxf(content - view, 0);
    float offset = reel__ui_pt(ui, state->value[0]);
    const reel_input *in = &ui->input;
    reel_ui_rect visible = reel__ui_rect_intersect(rect, reel__ui_clip(ui));
    if (!ui->wheel_used && in->wheel_y != 0 && in->has_pointer && ui->layer == ui->hover_layer &&
        reel__ui_rect_contains(visible, ui->pointer_x, ui->pointer_y)) {
        offset -= in->wheel_y * reel__ui_pt(ui, WHEEL_POINTS_PER_LINE);
        ui->wheel_used = true;
    }
    if (max_offset > 0) {
        float width = reel__ui_pt(ui, REEL_THEME_SCROLL_BAR_WIDTH);
        float thumb = fmaxf(view * view / content, reel__ui_pt(ui, 16.0f));
        float travel = fmaxf(view - thumb, 1);
        reel_ui_rect trough = {rect.x1 - width, rect.y0, rect.x1, rect.y1};
        float thumb_y = rect.y0 + fminf(fmaxf(offset, 0), max_offset) / max_offset * travel;
        reel_ui_rect thumb_rect = {trough.x0, thumb_y, trough.x1, thumb_y + thumb};
        reel_ui_response r =
            reel_ui_interact(ui, thumb_rect, scroll->id ^ 0x2545f491u, REEL_UI_SENSE_DRAG);
        if (r.held)
            offset += r.drag_dy * max_offset / travel;
        reel_draw_list *list = &ui->layers[ui->layer];
        reel_draw_rect_filled(list, trough.x0, trough.y0, trough.x1, trough.y1, width * 0.5f,
                              REEL_THEME_EXTREME_BG);
        reel_draw_rect_filled(list, thumb_rect.x0, thumb_rect.y0, thumb_rect.x1, thumb_rect.y1,
                              width * 0.5f,
                              r.held      ? REEL_GRAY_650
                              : r.hovered ? REEL_GRAY_550
                                          : REEL_GRAY_400);
    }
    offset = fminf(fmaxf(offset, 0), max_offset);
    state->value[0] = offset / ui->scale;
    state->value[1] = content / ui->scale;
}
