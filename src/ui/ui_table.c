/* Tables: a header row (faint fill, strong text, draggable column dividers), then rows of
 * cells laid out left to right, odd rows striped. Column widths are kept by id (points).
 * Each cell is a clipped nested layout, so any widget can go in a cell. One table at a
 * time (tables do not nest). */
#include "ui/ui_internal.h"

#include <math.h>
#include <string.h>

static reel_ui_id column_id(reel_ui_id table, int column)
{
    return table ^ (0x27d4eb2du * (uint32_t)(column + 1));
}

static void close_cell(reel_ui *ui)
{
    ui_table *t = &ui->table;
    if (!t->cell_open)
        return;
    reel_ui_pop_id(ui);
    while (ui->n_layouts > t->parent_layouts)
        reel__ui_pop_layout(ui);
    t->cell_open = false;
}

void reel_ui_table_begin(reel_ui *ui, const char *id, int n_columns, const char *const *headers,
                         float row_height_pt)
{
    ui_table *t = &ui->table;
    memset(t, 0, sizeof *t);
    t->id = reel_ui_make_id(ui, id);
    t->n_columns = n_columns < 1 ? 1 : n_columns > 16 ? 16 : n_columns;
    t->row_height = reel__ui_pt(ui, row_height_pt > 0 ? row_height_pt : REEL_THEME_TABLE_ROW_DENSE);
    t->row = -1;
    t->column = t->n_columns;
    t->active = true;
    reel_ui_rect avail = reel_ui_available(ui);
    t->x0 = avail.x0;
    float default_width = fmaxf((avail.x1 - avail.x0) / (float)t->n_columns, 1) / ui->scale;
    float min_width = REEL_THEME_TABLE_CELL_MARGIN_X * 2;
    for (int c = 0; c < t->n_columns; c++) {
        ui_state *state = reel__ui_state(ui, column_id(t->id, c));
        float width_pt = default_width;
        if (state) {
            if (!state->initialized) {
                state->initialized = true;
                state->value[0] = default_width;
            }
            width_pt = fmaxf(state->value[0], min_width);
        }
        t->widths[c] = reel__ui_pt(ui, width_pt);
    }
    t->parent_layouts = ui->n_layouts;
    if (!headers)
        return;
    float total = 0;
    for (int c = 0; c < t->n_columns; c++)
        total += t->widths[c];
    reel_ui_rect header =
        reel__ui_allocate_flush(ui, total, reel__ui_pt(ui, REEL_THEME_TABLE_ROW_DENSE + 4));
    reel_draw_list *list = &ui->layers[ui->layer];
    reel_draw_rect_filled(list, header.x0, header.y0, header.x1, header.y1, 0, REEL_THEME_FAINT_BG);
    float margin = reel__ui_pt(ui, REEL_THEME_TABLE_CELL_MARGIN_X);
    float line = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float grab = reel__ui_pt(ui, REEL_THEME_RESIZE_GRAB);
    float x = header.x0;
    for (int c = 0; c < t->n_columns; c++) {
        const char *text = headers[c] ? headers[c] : "";
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin,
                          header.y0 + floorf((header.y1 - header.y0 - line) * 0.5f), text,
                          strlen(text), REEL_THEME_TEXT_STRONG, t->widths[c] - 2 * margin);
        x += t->widths[c];
        reel_ui_rect divider = {x - grab * 0.5f, header.y0, x + grab * 0.5f, header.y1};
        reel_ui_response r =
            reel_ui_interact(ui, divider, column_id(t->id, c) ^ 0x165667b1u, REEL_UI_SENSE_DRAG);
        if (r.hovered || r.held)
            ui->cursor = REEL_UI_CURSOR_RESIZE_H;
        if (r.held && r.drag_dx != 0) {
            ui_state *state = reel__ui_state(ui, column_id(t->id, c));
            if (state)
                state->value[0] = fmaxf(state->value[0] + r.drag_dx / ui->scale, min_width);
        }
        if (c + 1 < t->n_columns)
            reel_draw_rect_filled(list, floorf(x) - (r.hovered || r.held ? 1 : 0), header.y0,
                                  floorf(x) + fmaxf(1, floorf(ui->scale)), header.y1, 0,
                                  r.hovered || r.held ? REEL_GRAY_400 : REEL_THEME_SEPARATOR);
    }
}

void reel_ui_table_next_cell(reel_ui *ui)
{
    ui_table *t = &ui->table;
    if (!t->active)
        return;
    close_cell(ui);
    t->column++;
    float total = 0;
    for (int c = 0; c < t->n_columns; c++)
        total += t->widths[c];
    if (t->column >= t->n_columns) {
        t->column = 0;
        t->row++;
        reel_ui_rect row = reel__ui_allocate_flush(ui, total, t->row_height);
        t->row_y = row.y0;
        if (t->row % 2 == 1)
            reel_draw_rect_filled(&ui->layers[ui->layer], row.x0, row.y0, row.x1, row.y1, 0,
                                  REEL_THEME_FAINT_BG);
    }
    float x = t->x0;
    for (int c = 0; c < t->column; c++)
        x += t->widths[c];
    float margin = reel__ui_pt(ui, REEL_THEME_TABLE_CELL_MARGIN_X);
    reel_ui_rect cell = {x, t->row_y, x + t->widths[t->column], t->row_y + t->row_height};
    reel_draw_push_clip(&ui->layers[ui->layer], cell.x0, cell.y0, cell.x1, cell.y1);
    /* Items of widget height (labels centre their text in it) sit centred in the row. */
    float item = reel__ui_pt(ui, REEL_THEME_WIDGET_HEIGHT);
    float top = cell.y0 + fmaxf(floorf((t->row_height - item) * 0.5f), 0);
    reel__ui_push_layout(ui, (reel_ui_rect){cell.x0 + margin, top, cell.x1 - margin, cell.y1}, true,
                         false);
    reel__ui_layout(ui)->clips = true;
    reel_ui_push_id_int(ui, (int64_t)t->row * 64 + t->column);
    t->cell_open = true;
}

void reel_ui_table_end(reel_ui *ui)
{
    ui_table *t = &ui->table;
    if (!t->active)
        return;
    close_cell(ui);
    t->active = false;
}
