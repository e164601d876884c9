/* Everything that floats above the panels: popups (a stack; each open popup is its own draw
 * layer, so it covers the base and takes the pointer from it), context menus and menu items,
 * modal windows over a dimmed screen, combo boxes, and tooltips after a hover delay. A popup's
 * background goes into its layer's background list at the end, when its size is known, and
 * is joined in front of its content by reel_ui_end. */
#include "ui/ui_internal.h"

#include <math.h>
#include <string.h>

static int32_t popup_index(const reel_ui *ui, reel_ui_id id)
{
    for (int32_t k = 0; k < ui->n_popups; k++)
        if (ui->popups[k].id == id)
            return k;
    return -1;
}

static void open_popup(reel_ui *ui, reel_ui_id id, float x, float y, float min_width)
{
    if (popup_index(ui, id) >= 0)
        return;
    int32_t level = ui->popup_depth; /* opened from inside popup k: above it, others close */
    if (level > ui->n_popups)
        level = ui->n_popups;
    if (level >= UI_MAX_POPUPS)
        return;
    ui->n_popups = level + 1;
    ui->popups[level] = (ui_popup){
        .id = id, .x = x, .y = y, .min_width = min_width, .rect = {x, y, x, y}, .seen = false};
}

void reel_ui_popup_open(reel_ui *ui, const char *id)
{
    open_popup(ui, reel_ui_make_id(ui, id), ui->pointer_x, ui->pointer_y, 0);
}

bool reel_ui_popup_is_open(const reel_ui *ui, const char *id)
{
    return popup_index(ui, reel_ui_make_id(ui, id)) >= 0;
}

static bool begin_popup(reel_ui *ui, reel_ui_id id, bool modal)
{
    int32_t k = popup_index(ui, id);
    if (k < 0 || ui->popup_depth >= UI_MAX_POPUPS)
        return false;
    ui_popup *popup = &ui->popups[k];
    popup->seen = true;
    popup->modal = modal;
    ui->popup_saved_layer[ui->popup_depth] = ui->layer;
    ui->popup_depth++;
    reel__ui_set_layer(ui, k + 1);
    float margin = reel__ui_pt(ui, modal ? REEL_THEME_MENU_MARGIN : 6.0f);
    float last_width = popup->rect.x1 - popup->rect.x0,
          last_height = popup->rect.y1 - popup->rect.y0;
    float width = fmaxf(popup->min_width - 2 * margin, last_width - 2 * margin);
    if (width <= 0)
        width = reel__ui_pt(ui, 120.0f);
    float screen_w = (float)ui->input.width, screen_h = (float)ui->input.height;
    if (modal) { /* centred, a little above the middle */
        popup->x = floorf((screen_w - fmaxf(last_width, width + 2 * margin)) * 0.5f);
        popup->y = floorf((screen_h - last_height) * 0.4f);
        reel_draw_rect_filled(&ui->layer_backgrounds[ui->layer], 0, 0, screen_w, screen_h, 0,
                              REEL_THEME_MODAL_DIM);
    }
    float x = fminf(popup->x, screen_w - fmaxf(last_width, width + 2 * margin));
    float y = fminf(popup->y, screen_h - last_height);
    x = fmaxf(x, 0);
    y = fmaxf(y, 0);
    popup->rect.x0 = x; /* x1/y1 stay last frame's until popup_end */
    popup->rect.y0 = y;
    reel__ui_push_layout(ui, (reel_ui_rect){x + margin, y + margin, x + margin + width, 1e9f},
                         false, false);
    reel__ui_layout(ui)->grows = true;
    reel_ui_push_id_int(ui, id);
    return true;
}

static void end_popup(reel_ui *ui)
{
    if (ui->popup_depth <= 0)
        return;
    int32_t k = ui->layer - 1;
    ui_popup *popup = &ui->popups[k < 0 ? 0 : k];
    ui_layout *l = reel__ui_layout(ui);
    float margin = reel__ui_pt(ui, popup->modal ? REEL_THEME_MENU_MARGIN : 6.0f);
    reel_ui_rect rect = {popup->rect.x0, popup->rect.y0,
                         fmaxf(l->content_x1, l->bounds.x1) + margin,
                         fmaxf(l->content_y1, l->bounds.y0) + margin};
    reel_ui_pop_id(ui);
    reel__ui_pop_layout(ui);
    popup->rect = rect;
    reel_draw_list *background = &ui->layer_backgrounds[ui->layer];
    float radius = reel__ui_pt(ui, REEL_THEME_WINDOW_RADIUS);
    for (int i = 3; i >= 1; i--) { /* a soft shadow below */
        float spread = reel__ui_pt(ui, 4.0f * (float)i);
        reel_draw_rect_filled(background, rect.x0 - spread * 0.5f, rect.y0 + reel__ui_pt(ui, 4.0f),
                              rect.x1 + spread * 0.5f, rect.y1 + spread, radius + spread,
                              REEL_RGBA(0, 0, 0, 0x28));
    }
    reel_draw_rect_filled(background, rect.x0, rect.y0, rect.x1, rect.y1, radius,
                          REEL_THEME_FLOATING_BG);
    reel_draw_rect_outline(background, rect.x0, rect.y0, rect.x1, rect.y1, radius, ui->scale,
                           REEL_THEME_SEPARATOR);
    if (ui->input.has_pointer && reel__ui_rect_contains(rect, ui->pointer_x, ui->pointer_y))
        ui->pointer_on_surface = true;
    ui->popup_depth--;
    reel__ui_set_layer(ui, ui->popup_saved_layer[ui->popup_depth]);
}

bool reel_ui_popup_begin(reel_ui *ui, const char *id)
{
    return begin_popup(ui, reel_ui_make_id(ui, id), false);
}

void reel_ui_popup_end(reel_ui *ui)
{
    end_popup(ui);
}

void reel_ui_popup_close(reel_ui *ui)
{
    int32_t k = ui->layer - 1;
    if (ui->popup_depth > 0 && k >= 0 && k < ui->n_popups)
        ui->n_popups = k;
}

static reel_ui_id context_menu_id(const reel_ui_response *over)
{
    return over->id ^ 0x6a09e667u;
}

bool reel_ui_context_menu_begin(reel_ui *ui, const reel_ui_response *over)
{
    reel_ui_id id = context_menu_id(over);
    if (over->right_clicked)
        open_popup(ui, id, ui->pointer_x, ui->pointer_y, reel__ui_pt(ui, 140.0f));
    return begin_popup(ui, id, false);
}

void reel_ui_context_menu_end(reel_ui *ui)
{
    end_popup(ui);
}

bool reel_ui_menu_item(reel_ui *ui, const char *label)
{
    bool clicked = reel_ui_selectable(ui, label, false);
    if (clicked)
        ui->n_popups = 0; /* a chosen item closes the whole menu chain */
    return clicked;
}

bool reel_ui_modal_begin(reel_ui *ui, const char *id, const char *title)
{
    if (!begin_popup(ui, reel_ui_make_id(ui, id), true))
        return false;
    if (title)
        reel_ui_heading(ui, title);
    return true;
}

void reel_ui_modal_end(reel_ui *ui)
{
    end_popup(ui);
}

bool reel_ui_combo_begin(reel_ui *ui, const char *label, const char *preview)
{
    size_t len = reel__ui_label_length(label);
    float field = reel__ui_pt(ui, REEL_THEME_FIELD_WIDTH);
    float gap = reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) * 0.5f;
    float label_width = len ? gap + reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) : 0;
    reel_ui_rect row = reel__ui_allocate_px(ui, ceilf(field + label_width), 0);
    reel_ui_rect rect = {row.x0, row.y0, row.x0 + field, row.y1};
    reel_ui_id id = reel_ui_make_id(ui, label);
    reel_ui_id popup_id = id ^ 0xbb67ae85u;
    reel_ui_response r = reel_ui_interact(ui, rect, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_FOCUS);
    bool open = popup_index(ui, popup_id) >= 0;
    if ((r.pressed && r.button == REEL_MOUSE_LEFT && ui->popup_closed_by_press != popup_id &&
         !open) ||
        (reel__ui_activated_by_key(ui, &r) && !open))
        open_popup(ui, popup_id, rect.x0, rect.y1 + reel__ui_pt(ui, 2), field);
    reel_draw_list *list = &ui->layers[ui->layer];
    reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y1,
                          reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                          r.hovered ? REEL_GRAY_350 : REEL_THEME_WIDGET_INACTIVE_BG);
    float padding = reel__ui_pt(ui, REEL_THEME_BUTTON_PADDING_X);
    float icon = reel__ui_pt(ui, REEL_THEME_SMALL_ICON);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float text_y = rect.y0 + floorf((rect.y1 - rect.y0 - line) * 0.5f);
    if (preview)
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, rect.x0 + padding, text_y, preview,
                          strlen(preview), REEL_THEME_TEXT_DEFAULT,
                          rect.x1 - rect.x0 - 2 * padding - icon);
    float icon_top = rect.y0 + floorf((rect.y1 - rect.y0 - icon) * 0.5f);
    reel_ui_draw_icon(
        ui, REEL_UI_ICON_EXPANDED,
        (reel_ui_rect){rect.x1 - padding - icon, icon_top, rect.x1 - padding, icon_top + icon},
        REEL_THEME_TEXT_DEFAULT);
    if (len)
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, rect.x1 + gap, text_y, label, len,
                          REEL_THEME_TEXT_DEFAULT, row.x1 - rect.x1);
    if (r.focused)
        reel__ui_draw_focus(ui, rect);
    ui->last = r;
    return begin_popup(ui, popup_id, false);
}

void reel_ui_combo_end(reel_ui *ui)
{
    end_popup(ui);
}

bool reel_ui_combo(reel_ui *ui, const char *label, int *current, const char *const *items,
                   int n_items)
{
    bool changed = false;
    const char *preview = *current >= 0 && *current < n_items ? items[*current] : "";
    if (reel_ui_combo_begin(ui, label, preview)) {
        for (int i = 0; i < n_items; i++) {
            reel_ui_push_id_int(ui, i);
            if (reel_ui_selectable(ui, items[i], i == *current)) {
                changed = *current != i;
                *current = i;
                reel_ui_popup_close(ui);
            }
            reel_ui_pop_id(ui);
        }
        reel_ui_combo_end(ui);
    }
    return changed;
}

void reel_ui_tooltip(reel_ui *ui, const reel_ui_response *over, const char *text)
{
    if (!over->hovered || over->held || !text || !text[0])
        return;
    double now = ui->input.time_secs;
    if (ui->tooltip_id != over->id) {
        ui->tooltip_id = over->id;
        ui->tooltip_since = now;
    }
    ui->tooltip_seen = true;
    double waited = now - ui->tooltip_since;
    if (waited < ui->desc.tooltip_delay_secs) {
        double wait = ui->desc.tooltip_delay_secs - waited;
        ui->repaint_after = ui->repaint_after < 0 ? wait : fmin(ui->repaint_after, wait);
        return;
    }
    int32_t saved = ui->layer;
    reel__ui_set_layer(ui, UI_LAYER_TOOLTIP);
    float margin = reel__ui_pt(ui, 6.0f);
    float max_width = reel__ui_pt(ui, REEL_THEME_TOOLTIP_WIDTH);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float width = 0;
    int lines = 0;
    for (const char *start = text; start;) { /* one line per '\n' */
        const char *end = strchr(start, '\n');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        width =
            fmaxf(width, fminf(reel_ui_text_width(ui, REEL_UI_FONT_BODY, start, len), max_width));
        lines++;
        start = end ? end + 1 : NULL;
    }
    float w = width + 2 * margin, h = (float)lines * line + 2 * margin;
    float x = ui->pointer_x + reel__ui_pt(ui, 12), y = ui->pointer_y + reel__ui_pt(ui, 18);
    if (x + w > (float)ui->input.width)
        x = fmaxf((float)ui->input.width - w, 0);
    if (y + h > (float)ui->input.height)
        y = fmaxf(ui->pointer_y - h - reel__ui_pt(ui, 4), 0);
    x = floorf(x);
    y = floorf(y);
    reel_draw_list *background = &ui->layer_backgrounds[UI_LAYER_TOOLTIP];
    float radius = reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS);
    reel_draw_rect_filled(background, x, y + reel__ui_pt(ui, 2), x + w, y + h + reel__ui_pt(ui, 4),
                          radius, REEL_RGBA(0, 0, 0, 0x50));
    reel_draw_rect_filled(background, x, y, x + w, y + h, radius, REEL_THEME_FLOATING_BG);
    float ty = y + margin;
    for (const char *start = text; start;) {
        const char *end = strchr(start, '\n');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin, ty, start, len,
                          REEL_THEME_TEXT_DEFAULT, max_width);
        ty += line;
        start = end ? end + 1 : NULL;
    }
    reel__ui_set_layer(ui, saved);
}
