/* A demo of every widget, laid out like the viewer (top bar, blueprint tree on the left,
 * selection panel on the right, time panel below, a viewport in the middle): for
 * screenshot tests of the renderer and for trying the toolkit by hand. */
#include "ui/ui_internal.h"

#include <stdio.h>
#include <string.h>

void reel_ui_demo_state_init(reel_ui_demo_state *state)
{
    memset(state, 0, sizeof *state);
    state->checked = true;
    for (int i = 0; i < 4; i++)
        state->visible[i] = i != 2;
    state->slider = 0.5f;
    state->drag_float = 1.25f;
    state->drag_int = 42;
    state->selected_row = 1;
    snprintf(state->text, sizeof state->text, "%s", "/world/points");
}

static void demo_top_bar(reel_ui *ui)
{
    reel_ui_panel_begin(ui, "demo_top",
                        &(reel_ui_panel_desc){.side = REEL_UI_TOP,
                                              .default_size_pt = REEL_THEME_TOP_BAR_HEIGHT,
                                              .padding_pt = 4});
    reel_ui_horizontal_begin(ui);
    reel_ui_label_font(ui, "Reel", REEL_UI_FONT_HEADING, REEL_THEME_TEXT_STRONG);
    reel_ui_response play = reel_ui_icon_button(ui, "play", REEL_UI_ICON_PLAY);
    reel_ui_tooltip(ui, &play, "Play (Space)");
    reel_ui_icon_button(ui, "pause", REEL_UI_ICON_PAUSE);
    reel_ui_icon_button(ui, "back", REEL_UI_ICON_STEP_BACK);
    reel_ui_icon_button(ui, "forward", REEL_UI_ICON_STEP_FORWARD);
    reel_ui_icon_button(ui, "loop", REEL_UI_ICON_LOOP);
    reel_ui_horizontal_end(ui);
    reel_ui_panel_end(ui);
}

static void demo_blueprint(reel_ui *ui, reel_ui_demo_state *state)
{
    reel_ui_panel_begin(
        ui, "demo_left",
        &(reel_ui_panel_desc){
            .side = REEL_UI_LEFT, .default_size_pt = 200, .min_size_pt = 120, .resizable = true});
    reel_ui_label_font(ui, "Blueprint", REEL_UI_FONT_HEADING, REEL_THEME_TEXT_STRONG);
    reel_ui_tree_result root =
        reel_ui_tree_node(ui, &(reel_ui_tree_item){.label = "Viewport (Grid container)",
                                                   .icon = REEL_UI_ICON_CONTAINER,
                                                   .default_open = true});
    if (root.open) {
        static const char *const views[] = {"3D view", "Camera image", "Plot", "Logs"};
        for (int i = 0; i < 4; i++) {
            reel_ui_tree_result view =
                reel_ui_tree_node(ui, &(reel_ui_tree_item){.label = views[i],
                                                           .icon = REEL_UI_ICON_VIEW,
                                                           .default_open = i == 0,
                                                           .selected = i == 1,
                                                           .subdued = !state->visible[i],
                                                           .visible = &state->visible[i]});
            if (reel_ui_context_menu_begin(ui, &view.row)) {
                reel_ui_menu_item(ui, "Hide");
                reel_ui_menu_item(ui, "Remove");
                reel_ui_menu_item(ui, "Clone view");
                reel_ui_context_menu_end(ui);
            }
            if (view.open) {
                reel_ui_tree_node(ui, &(reel_ui_tree_item){.label = "world/points",
                                                           .icon = REEL_UI_ICON_ENTITY,
                                                           .leaf = true});
                reel_ui_tree_node(ui,
                                  &(reel_ui_tree_item){
                                      .label = "world/a_very_long_entity_path/that/needs/eliding",
                                      .icon = REEL_UI_ICON_ENTITY,
                                      .leaf = true});
                reel_ui_tree_pop(ui);
            }
        }
        reel_ui_tree_pop(ui);
    }
    reel_ui_panel_end(ui);
}

static void demo_selection(reel_ui *ui, reel_ui_demo_state *state)
{
    reel_ui_panel_begin(
        ui, "demo_right",
        &(reel_ui_panel_desc){
            .side = REEL_UI_RIGHT, .default_size_pt = 300, .min_size_pt = 120, .resizable = true});
    if (reel_ui_collapsing_header(ui, "Widgets", true)) {
        reel_ui_horizontal_begin(ui);
        if (reel_ui_button(ui, "Button"))
            state->drag_int++;
        reel_ui_button_primary(ui, "Primary");
        reel_ui_horizontal_end(ui);
        reel_ui_checkbox(ui, "Show grid", &state->checked);
        reel_ui_horizontal_begin(ui);
        reel_ui_radio(ui, "Perspective", &state->radio, 0);
        reel_ui_radio(ui, "Orthographic", &state->radio, 1);
        reel_ui_horizontal_end(ui);
        reel_ui_slider_float(ui, "Opacity", &state->slider, 0, 1);
        reel_ui_drag_float(ui, "Radius", &state->drag_float, 0.01f, 0, 10);
        reel_ui_drag_int(ui, "Count", &state->drag_int, 0.2f, 0, 1000);
        reel_ui_text_field(ui, "Origin", state->text, sizeof state->text, NULL);
        static const char *const kinds[] = {"Spatial 3D", "Spatial 2D", "Time series", "Text log"};
        reel_ui_combo(ui, "View kind", &state->combo, kinds, 4);
        if (reel_ui_button(ui, "Open modal…"))
            reel_ui_popup_open(ui, "demo_modal");
        reel_ui_separator(ui);
        reel_ui_label_colored(ui, "Error text", REEL_THEME_ERROR_FG);
        reel_ui_label_font(ui, "mono 12345.678", REEL_UI_FONT_MONO, REEL_THEME_INFO_TEXT);
        reel_ui_textf(ui, "Count is %d", state->drag_int);
    }
    if (reel_ui_modal_begin(ui, "demo_modal", "Add view or container")) {
        state->modal_was_opened = true;
        reel_ui_label(ui, "A modal blocks everything below it.");
        if (reel_ui_button(ui, "Close"))
            reel_ui_popup_close(ui);
        reel_ui_modal_end(ui);
    }
    reel_ui_panel_end(ui);
}

static void demo_time_panel(reel_ui *ui, reel_ui_demo_state *state)
{
    reel_ui_panel_begin(ui, "demo_bottom",
                        &(reel_ui_panel_desc){.side = REEL_UI_BOTTOM,
                                              .default_size_pt = 180,
                                              .min_size_pt = 80,
                                              .resizable = true,
                                              .fill = REEL_THEME_BOTTOM_BAR_BG});
    reel_ui_scroll_begin(ui, "demo_rows", 0);
    static const char *const headers[] = {"Entity", "Component", "Value"};
    reel_ui_table_begin(ui, "demo_table", 3, headers, 0);
    for (int row = 0; row < 30; row++) {
        char text[64];
        reel_ui_table_next_cell(ui);
        snprintf(text, sizeof text, "/world/points/%d", row);
        if (reel_ui_selectable(ui, text, row == state->selected_row))
            state->selected_row = row;
        reel_ui_table_next_cell(ui);
        reel_ui_label(ui, row % 2 ? "Position3D" : "Color");
        reel_ui_table_next_cell(ui);
        snprintf(text, sizeof text, "[%d.0, %d.5, 0.0]", row, row * 2);
        reel_ui_label_font(ui, text, REEL_UI_FONT_MONO, REEL_THEME_TEXT_DEFAULT);
    }
    reel_ui_table_end(ui);
    reel_ui_scroll_end(ui);
    reel_ui_panel_end(ui);
}

static void demo_viewport(reel_ui *ui)
{
    reel_ui_rect rect = reel_ui_panel_begin(ui, "demo_central",
                                            &(reel_ui_panel_desc){.side = REEL_UI_CENTRAL,
                                                                  .padding_pt = -1,
                                                                  .fill = REEL_THEME_VIEWPORT_BG});
    float tab = reel__ui_pt(ui, REEL_THEME_TITLE_BAR_HEIGHT);
    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_rect_filled(list, rect.x0, rect.y0, rect.x1, rect.y0 + tab, 0, REEL_THEME_TAB_BAR_BG);
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, rect.x0 + reel__ui_pt(ui, 8),
                      rect.y0 + (tab - reel_ui_line_height(ui, REEL_UI_FONT_BODY)) * 0.5f,
                      "3D view", 7, REEL_THEME_TEXT_STRONG, 0);
    reel_ui_rect view = {rect.x0, rect.y0 + tab, rect.x1, rect.y1};
    reel_ui_response r =
        reel_ui_interact(ui, view, reel_ui_make_id(ui, "demo_view"),
                         REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_APP);
    float cx = (view.x0 + view.x1) * 0.5f, cy = (view.y0 + view.y1) * 0.5f;
    float s = reel__ui_pt(ui, 40);
    reel_draw_circle_filled(list, cx, cy, s, r.hovered ? REEL_BLUE_500 : REEL_BLUE_400);
    reel_draw_rect_outline(list, cx - 2 * s, cy - 2 * s, cx + 2 * s, cy + 2 * s, reel__ui_pt(ui, 6),
                           reel__ui_pt(ui, 2), REEL_THEME_SELECTION_STROKE);
    const float zigzag[] = {view.x0 + s,     view.y1 - s, view.x0 + 2 * s, view.y1 - 2 * s,
                            view.x0 + 3 * s, view.y1 - s, view.x0 + 4 * s, view.y1 - 2 * s};
    reel_draw_polyline(list, zigzag, 4, reel__ui_pt(ui, 2), REEL_GREEN_600, false);
    reel_ui_tooltip(ui, &r, "Drag to orbit, scroll to zoom\nRight click for the menu");
    if (reel_ui_context_menu_begin(ui, &r)) {
        reel_ui_menu_item(ui, "Reset camera");
        reel_ui_menu_item(ui, "Copy screenshot");
        reel_ui_context_menu_end(ui);
    }
    reel_ui_panel_end(ui);
}

void reel_ui_demo(reel_ui *ui, reel_ui_demo_state *state)
{
    demo_top_bar(ui);
    demo_time_panel(ui, state);
    demo_blueprint(ui, state);
    demo_selection(ui, state);
    demo_viewport(ui);
}
