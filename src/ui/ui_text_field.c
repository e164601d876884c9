/* Single-line text editing over a caller's buffer: caret and selection (bytes, always on
 * UTF-8 boundaries), typing, Backspace/Delete, arrows/Home/End with Shift selection, mouse
 * placement and drag selection, double click selects all, Ctrl+A/C/X/V through the
 * clipboard hook, Enter submits, Escape leaves; the text scrolls to keep the caret seen.
 * Only the focused field has editing state (kept in the context). */
#include "ui/ui_internal.h"

#include <math.h>
#include <string.h>

static size_t previous_boundary(const char *text, size_t at)
{
    while (at > 0) {
        at--;
        if (((unsigned char)text[at] & 0xc0) != 0x80)
            break;
    }
    return at;
}

static size_t next_boundary(const char *text, size_t len, size_t at)
{
    if (at >= len)
        return len;
    at++;
    while (at < len && ((unsigned char)text[at] & 0xc0) == 0x80)
        at++;
    return at;
}

static void delete_range(char *buffer, size_t *len, size_t from, size_t to)
{
    if (to <= from)
        return;
    memmove(buffer + from, buffer + to, *len - to + 1);
    *len -= to - from;
}

/* Inserts what fits (cut on a UTF-8 boundary, newlines dropped); returns bytes inserted. */
static size_t insert_text(char *buffer, size_t capacity, size_t *len, size_t at, const char *text)
{
    size_t inserted = 0;
    for (size_t i = 0; text[i];) {
        size_t next = next_boundary(text, strlen(text + i) + i, i);
        size_t n = next - i;
        if (text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ||
            (unsigned char)text[i] < 0x20) {
            i = next;
            continue;
        }
        if (*len + n + 1 > capacity)
            break;
        memmove(buffer + at + n, buffer + at, *len - at + 1);
        memcpy(buffer + at, text + i, n);
        *len += n;
        at += n;
        inserted += n;
        i = next;
    }
    return inserted;
}

bool reel__ui_text_edit(reel_ui *ui, reel_ui_id id, reel_ui_rect rect, char *buffer,
                        size_t capacity, bool *submitted, reel_ui_font font)
{
    if (submitted)
        *submitted = false;
    if (!buffer || capacity == 0)
        return false;
    buffer[capacity - 1] = 0;
    reel_draw_list *list = &ui->layers[ui->layer];
    const reel_input *in = &ui->input;
    reel_ui_response r = reel_ui_interact(
        ui, rect, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_FOCUS);
    if (r.hovered || r.held)
        ui->cursor = REEL_UI_CURSOR_TEXT;
    size_t len = strlen(buffer);
    bool changed = false;
    float padding = reel__ui_pt(ui, 4.0f);
    float text_x = rect.x0 + padding, inner_width = rect.x1 - rect.x0 - 2 * padding;

    if (r.focused) {
        ui->focus_wants_keys = true;
        if (ui->text_id != id) { /* newly focused (Tab, click, API): select everything */
            ui->text_id = id;
            ui->text_anchor = 0;
            ui->text_cursor = len;
            ui->text_scroll = 0;
        }
        if (ui->text_cursor > len)
            ui->text_cursor = len;
        if (ui->text_anchor > len)
            ui->text_anchor = len;
        bool shift = (in->modifiers & REEL_MOD_SHIFT) != 0;
        bool command = (in->modifiers & (REEL_MOD_CTRL | REEL_MOD_SUPER)) != 0;
        float pointer_in_text = ui->pointer_x - text_x + ui->text_scroll;
        if (r.pressed && r.button == REEL_MOUSE_LEFT) {
            ui->text_cursor = reel__fonts_offset_at(ui->fonts, font, buffer, len, pointer_in_text);
            if (!shift)
                ui->text_anchor = ui->text_cursor;
        } else if (r.held && r.button == REEL_MOUSE_LEFT) {
            ui->text_cursor = reel__fonts_offset_at(ui->fonts, font, buffer, len, pointer_in_text);
        }
        if (r.double_clicked) {
            ui->text_anchor = 0;
            ui->text_cursor = len;
        }
        size_t lo = ui->text_anchor < ui->text_cursor ? ui->text_anchor : ui->text_cursor;
        size_t hi = ui->text_anchor < ui->text_cursor ? ui->text_cursor : ui->text_anchor;
        bool has_selection = hi > lo;
        if (command && in->key_pressed[REEL_KEY_A]) {
            ui->text_anchor = 0;
            ui->text_cursor = len;
        } else if (command && (in->key_pressed[REEL_KEY_C] || in->key_pressed[REEL_KEY_X])) {
            if (has_selection) {
                reel__ui_set_clipboard(ui, buffer + lo, hi - lo);
                if (in->key_pressed[REEL_KEY_X]) {
                    delete_range(buffer, &len, lo, hi);
                    ui->text_cursor = ui->text_anchor = lo;
                    changed = true;
                }
            }
        } else if (command && in->key_pressed[REEL_KEY_V]) {
            const char *paste = reel__ui_get_clipboard(ui);
            if (paste) {
                delete_range(buffer, &len, lo, hi);
                size_t n = insert_text(buffer, capacity, &len, lo, paste);
                ui->text_cursor = ui->text_anchor = lo + n;
                changed = true;
            }
        } else if (in->key_pressed[REEL_KEY_BACKSPACE] || in->key_pressed[REEL_KEY_DELETE]) {
            if (has_selection) {
                delete_range(buffer, &len, lo, hi);
                ui->text_cursor = lo;
            } else if (in->key_pressed[REEL_KEY_BACKSPACE] && ui->text_cursor > 0) {
                size_t from = previous_boundary(buffer, ui->text_cursor);
                delete_range(buffer, &len, from, ui->text_cursor);
                ui->text_cursor = from;
            } else if (in->key_pressed[REEL_KEY_DELETE] && ui->text_cursor < len) {
                delete_range(buffer, &len, ui->text_cursor,
                             next_boundary(buffer, len, ui->text_cursor));
            }
            ui->text_anchor = ui->text_cursor;
            changed = true;
        } else if (in->key_pressed[REEL_KEY_LEFT] || in->key_pressed[REEL_KEY_RIGHT] ||
                   in->key_pressed[REEL_KEY_HOME] || in->key_pressed[REEL_KEY_END]) {
            size_t to = ui->text_cursor;
            if (in->key_pressed[REEL_KEY_HOME])
                to = 0;
            else if (in->key_pressed[REEL_KEY_END])
                to = len;
            else if (has_selection && !shift)
                to = in->key_pressed[REEL_KEY_LEFT] ? lo : hi;
            else if (in->key_pressed[REEL_KEY_LEFT])
                to = previous_boundary(buffer, ui->text_cursor);
            else
                to = next_boundary(buffer, len, ui->text_cursor);
            ui->text_cursor = to;
            if (!shift)
                ui->text_anchor = to;
        }
        if (in->text[0] && !command) {
            lo = ui->text_anchor < ui->text_cursor ? ui->text_anchor : ui->text_cursor;
            hi = ui->text_anchor < ui->text_cursor ? ui->text_cursor : ui->text_anchor;
            delete_range(buffer, &len, lo, hi);
            size_t n = insert_text(buffer, capacity, &len, lo, in->text);
            ui->text_cursor = ui->text_anchor = lo + n;
            changed = changed || n > 0 || hi > lo;
        }
        if (in->key_pressed[REEL_KEY_ENTER]) {
            if (submitted)
                *submitted = true;
            reel_ui_focus(ui, 0);
        } else if (in->key_pressed[REEL_KEY_ESCAPE]) {
            reel_ui_focus(ui, 0);
        }
        float caret = reel__fonts_width(ui->fonts, font, buffer, ui->text_cursor);
        if (caret - ui->text_scroll > inner_width)
            ui->text_scroll = caret - inner_width;
        if (caret < ui->text_scroll)
            ui->text_scroll = caret;
    }

    reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y1,
                          reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS), REEL_THEME_TEXT_EDIT_BG);
    if (r.hovered && !r.focused)
        reel_draw_rect_outline(list, rect.x0, rect.y0, rect.x1, rect.y1,
                               reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS), ui->scale, REEL_GRAY_350);
    reel_draw_push_clip(list, rect.x0 + 1, rect.y0, rect.x1 - 1, rect.y1);
    float scroll = r.focused ? ui->text_scroll : 0;
    float line = reel_ui_line_height(ui, font);
    float y = rect.y0 + floorf((rect.y1 - rect.y0 - line) * 0.5f);
    if (r.focused && ui->text_anchor != ui->text_cursor) {
        size_t lo = ui->text_anchor < ui->text_cursor ? ui->text_anchor : ui->text_cursor;
        size_t hi = ui->text_anchor < ui->text_cursor ? ui->text_cursor : ui->text_anchor;
        float sx0 = text_x - scroll + reel__fonts_width(ui->fonts, font, buffer, lo);
        float sx1 = text_x - scroll + reel__fonts_width(ui->fonts, font, buffer, hi);
        reel_draw_rect_filled(list, sx0, y, sx1, y + line, 0, REEL_THEME_SELECTION_BG);
    }
    reel__fonts_draw(ui->fonts, list, font, text_x - scroll, y, buffer, len,
                     REEL_THEME_TEXT_DEFAULT, 0);
    if (r.focused) {
        float caret = text_x - scroll + reel__fonts_width(ui->fonts, font, buffer, ui->text_cursor);
        reel_draw_rect_filled(list, floorf(caret), y + 1, floorf(caret) + fmaxf(1, ui->scale),
                              y + line - 1, 0, REEL_THEME_TEXT_STRONG);
    }
    reel_draw_pop_clip(list);
    if (r.focused) /* an editing field always shows it has the keyboard */
        reel_draw_rect_outline(list, rect.x0, rect.y0, rect.x1, rect.y1,
                               reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                               reel__ui_pt(ui, REEL_THEME_FOCUS_STROKE), REEL_THEME_FOCUS_OUTLINE);
    r.changed = changed;
    ui->last = r;
    return changed;
}

bool reel_ui_text_field(reel_ui *ui, const char *label, char *buffer, size_t capacity,
                        bool *submitted)
{
    size_t len = reel__ui_label_length(label);
    float field = reel__ui_pt(ui, REEL_THEME_FIELD_WIDTH);
    float gap = reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) * 0.5f;
    float label_width = len ? gap + reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) : 0;
    reel_ui_rect row = reel__ui_allocate_px(ui, ceilf(field + label_width), 0);
    reel_ui_rect rect = {row.x0, row.y0, row.x0 + field, row.y1};
    bool changed = reel__ui_text_edit(ui, reel_ui_make_id(ui, label), rect, buffer, capacity,
                                      submitted, REEL_UI_FONT_BODY);
    reel_ui_response r = ui->last;
    if (len) {
        float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, rect.x1 + gap,
                          row.y0 + floorf((row.y1 - row.y0 - line) * 0.5f), label, len,
                          REEL_THEME_TEXT_DEFAULT, row.x1 - rect.x1);
    }
    ui->last = r;
    return changed;
}

bool reel_ui_text_field_wide(reel_ui *ui, const char *label, char *buffer, size_t capacity,
                             float width_pt, bool *submitted)
{
    size_t len = reel__ui_label_length(label);
    float gap = reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) * 0.5f;
    float label_width = len ? gap + reel_ui_text_width(ui, REEL_UI_FONT_BODY, label, len) : 0;
    reel_ui_rect avail = reel_ui_available(ui);
    float field = width_pt > 0 ? reel__ui_pt(ui, width_pt) : avail.x1 - avail.x0 - label_width;
    if (field < reel__ui_pt(ui, 40))
        field = reel__ui_pt(ui, 40);
    reel_ui_rect row = reel__ui_allocate_px(ui, ceilf(field + label_width), 0);
    reel_ui_rect rect = {row.x0, row.y0, row.x0 + field, row.y1};
    bool changed = reel__ui_text_edit(ui, reel_ui_make_id(ui, label), rect, buffer, capacity,
                                      submitted, REEL_UI_FONT_BODY);
    reel_ui_response r = ui->last;
    if (len) {
        float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, rect.x1 + gap,
                          row.y0 + floorf((row.y1 - row.y0 - line) * 0.5f), label, len,
                          REEL_THEME_TEXT_DEFAULT, row.x1 - rect.x1);
    }
    ui->last = r;
    return changed;
}
