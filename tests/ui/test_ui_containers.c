/* Containers driven by synthetic input: scroll areas scroll by wheel and scrollbar drag and
 * clip their content; side panels are resized by dragging their edge and own the pointer;
 * tree nodes expand and collapse and their eye toggles; table columns resize; the central
 * panel's app area leaves the pointer to the app; splitters drag; sections collapse. */
#include "test.h"
#include "ui/ui.h"
#include "ui_driver.h"

typedef struct scrolling {
    reel_ui_rect area;
    float content_top;
    int clicked_row;
} scrolling;

static void build_scroll(reel_ui *ui, void *user)
{
    scrolling *s = user;
    reel_ui_label(ui, "Above");
    s->area = reel_ui_scroll_begin(ui, "rows", 200);
    s->content_top = reel_ui_available(ui).y0;
    for (int i = 0; i < 50; i++) {
        char label[32];
        snprintf(label, sizeof label, "Row %d", i);
        if (reel_ui_button(ui, label))
            s->clicked_row = i;
    }
    reel_ui_scroll_end(ui);
}

TEST(scroll_area_scrolls_and_clips)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    scrolling s = {.clicked_row = -1};
    reel_ui_output out = driver_frame(&d, build_scroll, &s);
    CHECK_NEAR(s.area.y1 - s.area.y0, 200, 1e-4);
    float top = s.content_top;
    CHECK_NEAR(top, s.area.y0, 1e-4);
    /* Content is clipped: rows wholly below the area are not drawn at all, and the row
     * straddling its bottom edge is drawn under a clip that ends there. */
    for (uint32_t i = 0; i < out.list->n_vertices; i++)
        CHECK(out.list->vertices[i].y <= s.area.y1 + 24);
    for (uint32_t c = 0; c < out.list->n_cmds; c++) {
        const reel_draw_cmd *cmd = &out.list->cmds[c];
        for (uint32_t i = 0; i < cmd->index_count; i++)
            if (out.list->vertices[out.list->indices[cmd->first_index + i]].y > s.area.y1 + 1)
                CHECK(cmd->clip[3] <= s.area.y1);
    }
    /* The wheel over it scrolls by 50 points a line. */
    driver_move(&d, rect_cx(s.area), rect_cy(s.area));
    d.in.wheel_y = -2;
    driver_frame(&d, build_scroll, &s);
    driver_frame(&d, build_scroll, &s);
    CHECK_NEAR(s.content_top, top - 100, 1e-3);
    /* A wheel elsewhere does nothing. */
    driver_move(&d, 700, 550);
    d.in.wheel_y = -2;
    driver_frame(&d, build_scroll, &s);
    driver_frame(&d, build_scroll, &s);
    CHECK_NEAR(s.content_top, top - 100, 1e-3);
    /* Scrolling stops at the end: 50 rows of 20 + 4 spacing, minus the view. */
    driver_move(&d, rect_cx(s.area), rect_cy(s.area));
    d.in.wheel_y = -100;
    driver_frame(&d, build_scroll, &s);
    driver_frame(&d, build_scroll, &s);
    float content = 50 * 20 + 49 * 4;
    CHECK_NEAR(top - s.content_top, content - 200, 1.0);
    /* Clicking a row clicks the one shown there now. */
    driver_click_at(&d, s.area.x0 + 20, s.area.y1 - 10, REEL_MOUSE_LEFT, build_scroll, &s);
    CHECK_EQ_INT(s.clicked_row, 49);
    /* Back to the top with the wheel, then drag the scrollbar thumb down by 40 pixels. */
    d.in.wheel_y = 100;
    driver_frame(&d, build_scroll, &s);
    driver_frame(&d, build_scroll, &s);
    CHECK_NEAR(s.content_top, top, 1e-3);
    driver_move(&d, s.area.x1 - 2, s.area.y0 + 5);
    driver_frame(&d, build_scroll, &s);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_scroll, &s);
    driver_move(&d, s.area.x1 - 2, s.area.y0 + 45);
    driver_frame(&d, build_scroll, &s);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_scroll, &s);
    float view = 200, thumb = view * view / content, travel = view - thumb;
    CHECK_NEAR(top - s.content_top, 40 * (content - view) / travel, 1.0);
    /* A row clipped out of view cannot be clicked through the area's edge. */
    s.clicked_row = -1;
    driver_click_at(&d, s.area.x0 + 20, s.area.y1 + 5, REEL_MOUSE_LEFT, build_scroll, &s);
    CHECK_EQ_INT(s.clicked_row, -1);
    driver_free(&d);
}

typedef struct panels {
    reel_ui_rect left, central, view;
    reel_ui_response view_response;
} panels;

static void build_panels(reel_ui *ui, void *user)
{
    panels *p = user;
    p->left = reel_ui_panel_begin(ui, "left",
                                  &(reel_ui_panel_desc){.side = REEL_UI_LEFT,
                                                        .default_size_pt = 200,
                                                        .min_size_pt = 120,
                                                        .max_size_pt = 400,
                                                        .resizable = true});
    reel_ui_label(ui, "Blueprint");
    reel_ui_panel_end(ui);
    p->central = reel_ui_panel_begin(
        ui, "central", &(reel_ui_panel_desc){.side = REEL_UI_CENTRAL, .padding_pt = -1});
    p->view = p->central;
    p->view_response = reel_ui_interact(ui, p->view, reel_ui_make_id(ui, "view"),
                                        REEL_UI_SENSE_DRAG | REEL_UI_SENSE_APP);
    reel_ui_panel_end(ui);
}

TEST(panel_resizes_by_dragging_its_edge)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    panels p = {0};
    driver_frame(&d, build_panels, &p);
    CHECK_NEAR(p.left.x1 - p.left.x0, 200, 1e-4);
    CHECK_NEAR(p.central.x0, 200, 1e-4);
    CHECK_NEAR(p.central.x1, 800, 1e-4);
    /* Over the panel the ui owns the pointer; over the app's view it does not. */
    driver_move(&d, 100, 300);
    reel_ui_output out = driver_frame(&d, build_panels, &p);
    CHECK(out.wants_pointer);
    driver_move(&d, 500, 300);
    out = driver_frame(&d, build_panels, &p);
    CHECK(!out.wants_pointer);
    CHECK(p.view_response.hovered);
    /* Drag the edge 50 pixels right. */
    driver_move(&d, 198, 300);
    out = driver_frame(&d, build_panels, &p);
    CHECK(out.cursor == REEL_UI_CURSOR_RESIZE_H);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_panels, &p);
    CHECK(!p.view_response.held);
    driver_move(&d, 248, 310);
    driver_frame(&d, build_panels, &p);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_panels, &p);
    CHECK_NEAR(p.left.x1, 250, 1e-3);
    CHECK_NEAR(p.central.x0, 250, 1e-3);
    /* Bounded by its minimum. */
    driver_move(&d, 248, 300);
    driver_frame(&d, build_panels, &p);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_panels, &p);
    driver_move(&d, 0, 300);
    driver_frame(&d, build_panels, &p);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_panels, &p);
    CHECK_NEAR(p.left.x1, 120, 1e-3);
    /* A drag in the view is the app's: it reports the drag and not wants_pointer. */
    driver_move(&d, 500, 300);
    driver_frame(&d, build_panels, &p);
    driver_press(&d, REEL_MOUSE_RIGHT);
    driver_frame(&d, build_panels, &p);
    driver_move(&d, 520, 290);
    out = driver_frame(&d, build_panels, &p);
    CHECK(p.view_response.dragging);
    CHECK_NEAR(p.view_response.drag_dx, 20, 1e-4);
    CHECK_NEAR(p.view_response.drag_dy, -10, 1e-4);
    CHECK_EQ_INT(p.view_response.button, REEL_MOUSE_RIGHT);
    CHECK(!out.wants_pointer);
    driver_release(&d, REEL_MOUSE_RIGHT);
    driver_frame(&d, build_panels, &p);
    driver_free(&d);
}

typedef struct tree {
    reel_ui_rect parent_row;
    bool child_seen, visible, parent_open;
    int row_clicks, visibility_changes;
} tree;

static void build_tree(reel_ui *ui, void *user)
{
    tree *t = user;
    t->child_seen = false;
    reel_ui_tree_result parent = reel_ui_tree_node(
        ui, &(reel_ui_tree_item){
                .label = "world", .icon = REEL_UI_ICON_ENTITY, .visible = &t->visible});
    t->parent_row = parent.row.rect;
    t->parent_open = parent.open;
    t->row_clicks += parent.row.clicked;
    t->visibility_changes += parent.visibility_changed;
    if (parent.open) {
        t->child_seen = true;
        reel_ui_tree_result child =
            reel_ui_tree_node(ui, &(reel_ui_tree_item){.label = "points", .leaf = true});
        CHECK(child.row.rect.x0 > parent.row.rect.x0); /* indented */
        CHECK(!child.open);
        reel_ui_tree_pop(ui);
    }
}

TEST(tree_expands_collapses_and_toggles_visibility)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    tree t = {.visible = true};
    driver_frame(&d, build_tree, &t);
    CHECK(!t.child_seen);
    CHECK_NEAR(t.parent_row.y1 - t.parent_row.y0, 24, 1e-4);
    /* The expander opens it. */
    driver_click_at(&d, t.parent_row.x0 + 7, rect_cy(t.parent_row), REEL_MOUSE_LEFT, build_tree,
                    &t);
    driver_frame(&d, build_tree, &t);
    CHECK(t.child_seen && t.parent_open);
    CHECK_EQ_INT(t.row_clicks, 0);
    /* A click on the label selects (reports a click) without toggling. */
    d.in.time_secs += 1;
    driver_click_at(&d, t.parent_row.x0 + 60, rect_cy(t.parent_row), REEL_MOUSE_LEFT, build_tree,
                    &t);
    CHECK_EQ_INT(t.row_clicks, 1);
    CHECK(t.child_seen);
    /* Clicking the expander again collapses it. */
    d.in.time_secs += 1;
    driver_click_at(&d, t.parent_row.x0 + 7, rect_cy(t.parent_row), REEL_MOUSE_LEFT, build_tree,
                    &t);
    driver_frame(&d, build_tree, &t);
    CHECK(!t.child_seen);
    /* The eye shows on hover at the right end of the row and toggles visibility. */
    d.in.time_secs += 1;
    driver_click_at(&d, t.parent_row.x1 - 10, rect_cy(t.parent_row), REEL_MOUSE_LEFT, build_tree,
                    &t);
    CHECK(!t.visible);
    CHECK_EQ_INT(t.visibility_changes, 1);
    CHECK_EQ_INT(t.row_clicks, 1);
    driver_free(&d);
}

typedef struct list_rows {
    int selected;
    reel_ui_rect first;
} list_rows;

static void build_rows(reel_ui *ui, void *user)
{
    list_rows *l = user;
    for (int i = 0; i < 4; i++) {
        char label[16];
        snprintf(label, sizeof label, "Item %d", i);
        if (reel_ui_selectable(ui, label, l->selected == i))
            l->selected = i;
        if (i == 0)
            l->first = reel_ui_last_response(ui).rect;
    }
}

TEST(arrow_keys_move_focus_along_rows)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    list_rows l = {.selected = -1};
    driver_frame(&d, build_rows, &l);
    driver_click_at(&d, rect_cx(l.first), rect_cy(l.first), REEL_MOUSE_LEFT, build_rows, &l);
    CHECK_EQ_INT(l.selected, 0);
    driver_key(&d, REEL_KEY_DOWN);
    driver_frame(&d, build_rows, &l);
    driver_key(&d, REEL_KEY_DOWN);
    driver_frame(&d, build_rows, &l);
    driver_key(&d, REEL_KEY_UP);
    driver_frame(&d, build_rows, &l);
    driver_key(&d, REEL_KEY_ENTER); /* activates the focused row: Item 1 */
    driver_frame(&d, build_rows, &l);
    CHECK_EQ_INT(l.selected, 1);
    driver_free(&d);
}

typedef struct table {
    float column_x[3];
} table;

static void build_table(reel_ui *ui, void *user)
{
    table *t = user;
    static const char *const headers[] = {"Entity", "Component", "Value"};
    reel_ui_table_begin(ui, "table", 3, headers, 0);
    for (int row = 0; row < 3; row++) {
        for (int c = 0; c < 3; c++) {
            reel_ui_table_next_cell(ui);
            if (row == 0)
                t->column_x[c] = reel_ui_available(ui).x0;
            reel_ui_label(ui, "cell");
        }
    }
    reel_ui_table_end(ui);
}

TEST(table_columns_resize_from_the_header)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    table t = {0};
    driver_frame(&d, build_table, &t);
    float width = t.column_x[1] - t.column_x[0];
    CHECK_NEAR(width, (800 - 16) / 3.0f, 1e-3);
    float divider = t.column_x[1] - 8; /* the cell margin */
    driver_move(&d, divider, 18);
    driver_frame(&d, build_table, &t);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_table, &t);
    driver_move(&d, divider + 30, 18);
    driver_frame(&d, build_table, &t);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_table, &t);
    CHECK_NEAR(t.column_x[1] - t.column_x[0], width + 30, 1e-3);
    CHECK_NEAR(t.column_x[2] - t.column_x[1], width, 1e-3);
    driver_free(&d);
}

typedef struct split {
    reel_ui_rect rect;
    float fraction;
    bool section_open;
    reel_ui_rect header;
} split;

static void build_split(reel_ui *ui, void *user)
{
    split *s = user;
    s->rect = (reel_ui_rect){0, 300, 400, 500};
    reel_ui_splitter(ui, "divider", s->rect, true, &s->fraction, 0.2f, 0.8f);
    s->section_open = reel_ui_collapsing_header(ui, "Section", true);
    s->header = reel_ui_last_response(ui).rect;
    if (s->section_open)
        reel_ui_label(ui, "inside");
}

TEST(splitter_and_collapsing_header)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    split s = {.fraction = 0.5f};
    driver_frame(&d, build_split, &s);
    CHECK(s.section_open);
    driver_move(&d, 200, 400);
    reel_ui_output out = driver_frame(&d, build_split, &s);
    CHECK(out.cursor == REEL_UI_CURSOR_RESIZE_H);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_split, &s);
    driver_move(&d, 300, 420);
    driver_frame(&d, build_split, &s);
    CHECK_NEAR(s.fraction, 0.75f, 1e-5);
    driver_move(&d, 390, 420); /* held to its bounds */
    driver_frame(&d, build_split, &s);
    CHECK_NEAR(s.fraction, 0.8f, 1e-5);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_split, &s);
    driver_click_at(&d, rect_cx(s.header), rect_cy(s.header), REEL_MOUSE_LEFT, build_split, &s);
    driver_frame(&d, build_split, &s);
    CHECK(!s.section_open);
    CHECK_NEAR(s.header.y1 - s.header.y0, 24, 1e-4);
    driver_free(&d);
}

int main(void)
{
    RUN(scroll_area_scrolls_and_clips);
    RUN(panel_resizes_by_dragging_its_edge);
    RUN(tree_expands_collapses_and_toggles_visibility);
    RUN(table_columns_resize_from_the_header);
    RUN(splitter_and_collapsing_header);
    RUN(arrow_keys_move_focus_along_rows);
    TEST_MAIN_END();
}
