/* Floating things driven by synthetic input: a tooltip appears only after the hover delay
 * (time from input.time_secs, so deterministic), a right click opens a context menu whose
 * item is chosen by a click while the widget under the menu gets nothing, a click outside
 * closes it, a combo box selects an item, and a modal blocks everything below it. */
#include "test.h"
#include "ui/ui.h"
#include "ui/ui_theme.h"
#include "ui_driver.h"

static int count_color(const reel_draw_list *list, uint32_t rgba)
{
    int n = 0;
    for (uint32_t i = 0; i < list->n_vertices; i++)
        n += list->vertices[i].rgba == rgba;
    return n;
}

typedef struct hover_area {
    reel_ui_rect rect;
} hover_area;

static void build_tooltip(reel_ui *ui, void *user)
{
    hover_area *h = user;
    h->rect = reel_ui_allocate(ui, 100, 40);
    reel_ui_response r =
        reel_ui_interact(ui, h->rect, reel_ui_make_id(ui, "area"), REEL_UI_SENSE_CLICK);
    reel_ui_tooltip(ui, &r, "Helpful text\nsecond line");
}

TEST(tooltip_appears_after_the_delay)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    hover_area h;
    driver_move(&d, 700, 500);
    driver_frame(&d, build_tooltip, &h);
    d.in.time_secs = 100.0;
    driver_move(&d, rect_cx(h.rect), rect_cy(h.rect));
    reel_ui_output out = driver_frame(&d, build_tooltip, &h); /* hover starts at 100.0 */
    CHECK_EQ_INT(count_color(out.list, REEL_THEME_FLOATING_BG), 0);
    d.in.time_secs = 100.3;
    out = driver_frame(&d, build_tooltip, &h);
    CHECK_EQ_INT(count_color(out.list, REEL_THEME_FLOATING_BG), 0);
    CHECK_NEAR(out.repaint_after_secs, 0.2, 1e-6); /* asks to be drawn when it is due */
    d.in.time_secs = 100.5;
    out = driver_frame(&d, build_tooltip, &h);
    CHECK(count_color(out.list, REEL_THEME_FLOATING_BG) > 0);
    /* Below the pointer, and drawn after (above) everything else. */
    bool after_pointer = false;
    for (uint32_t i = 0; i < out.list->n_vertices; i++)
        if (out.list->vertices[i].rgba == REEL_THEME_FLOATING_BG)
            after_pointer = out.list->vertices[i].y > d.in.pointer_y;
    CHECK(after_pointer);
    /* Leaving resets the delay. */
    driver_move(&d, 700, 500);
    driver_frame(&d, build_tooltip, &h);
    d.in.time_secs = 101.0;
    driver_move(&d, rect_cx(h.rect), rect_cy(h.rect));
    out = driver_frame(&d, build_tooltip, &h);
    CHECK_EQ_INT(count_color(out.list, REEL_THEME_FLOATING_BG), 0);
    driver_free(&d);
}

typedef struct menu {
    reel_ui_rect area, under, item_rect;
    bool menu_shown;
    int chosen, under_clicks;
} menu;

static void build_menu(reel_ui *ui, void *user)
{
    menu *m = user;
    m->area = reel_ui_allocate(ui, 200, 100);
    reel_ui_response r =
        reel_ui_interact(ui, m->area, reel_ui_make_id(ui, "area"), REEL_UI_SENSE_CLICK);
    if (reel_ui_button(ui, "Under the menu"))
        m->under_clicks++;
    m->under = reel_ui_last_response(ui).rect;
    m->menu_shown = false;
    if (reel_ui_context_menu_begin(ui, &r)) {
        m->menu_shown = true;
        if (reel_ui_menu_item(ui, "First"))
            m->chosen = 1;
        if (reel_ui_menu_item(ui, "Second"))
            m->chosen = 2;
        m->item_rect = reel_ui_last_response(ui).rect;
        reel_ui_context_menu_end(ui);
    }
}

TEST(context_menu_opens_on_right_click)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    menu m = {0};
    driver_frame(&d, build_menu, &m);
    CHECK(!m.menu_shown);
    driver_click_at(&d, m.area.x0 + 20, m.under.y0 - 30, REEL_MOUSE_LEFT, build_menu, &m);
    CHECK(!m.menu_shown); /* a left click does not open it */
    driver_click_at(&d, m.area.x0 + 20, m.under.y0 - 30, REEL_MOUSE_RIGHT, build_menu, &m);
    CHECK(m.menu_shown);
    CHECK(m.item_rect.x0 >= m.area.x0 + 20); /* at the pointer */
    /* "Second" lies over the button: clicking it chooses the item, not the button. */
    CHECK(m.item_rect.y1 > m.under.y0 && m.item_rect.y0 < m.under.y1);
    driver_frame(&d, build_menu, &m);
    float x = m.item_rect.x0 + 10, y = m.item_rect.y0 + 5;
    CHECK(x > m.under.x0 && x < m.under.x1 && y > m.under.y0 && y < m.under.y1);
    driver_move(&d, x, y);
    reel_ui_output out = driver_frame(&d, build_menu, &m);
    CHECK(out.wants_pointer);
    driver_click_at(&d, x, y, REEL_MOUSE_LEFT, build_menu, &m);
    CHECK_EQ_INT(m.chosen, 2);
    CHECK_EQ_INT(m.under_clicks, 0);
    driver_frame(&d, build_menu, &m);
    CHECK(!m.menu_shown);
    /* Opened again, a click outside closes it without choosing and without clicking. */
    m.chosen = 0;
    driver_click_at(&d, m.area.x0 + 20, m.area.y0 + 10, REEL_MOUSE_RIGHT, build_menu, &m);
    CHECK(m.menu_shown);
    driver_click_at(&d, 700, 500, REEL_MOUSE_LEFT, build_menu, &m);
    CHECK(!m.menu_shown);
    CHECK_EQ_INT(m.chosen, 0);
    /* Escape closes it too. */
    driver_click_at(&d, m.area.x0 + 20, m.area.y0 + 10, REEL_MOUSE_RIGHT, build_menu, &m);
    CHECK(m.menu_shown);
    driver_key(&d, REEL_KEY_ESCAPE);
    driver_frame(&d, build_menu, &m);
    CHECK(!m.menu_shown);
    driver_free(&d);
}

typedef struct combo {
    reel_ui_rect field;
    int current, changes;
} combo;

static void build_combo(reel_ui *ui, void *user)
{
    combo *c = user;
    static const char *const items[] = {"Spatial 3D", "Spatial 2D", "Time series"};
    if (reel_ui_combo(ui, "Kind", &c->current, items, 3))
        c->changes++;
    c->field = reel_ui_last_response(ui).rect;
}

TEST(combo_selects_an_item)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    combo c = {0};
    driver_frame(&d, build_combo, &c);
    reel_ui_rect field = c.field;
    driver_click_at(&d, rect_cx(field), rect_cy(field), REEL_MOUSE_LEFT, build_combo, &c);
    /* The list opens under the field; items are 20 + 4 pixels apart, after a 6 px margin. */
    float item_y = field.y1 + 2 + 6 + 2 * 24 + 10;
    driver_click_at(&d, field.x0 + 20, item_y, REEL_MOUSE_LEFT, build_combo, &c);
    CHECK_EQ_INT(c.current, 2);
    CHECK_EQ_INT(c.changes, 1);
    /* Closed: a click there now does nothing. */
    driver_click_at(&d, field.x0 + 20, field.y1 + 2 + 6 + 10, REEL_MOUSE_LEFT, build_combo, &c);
    CHECK_EQ_INT(c.current, 2);
    /* Clicking the field again while open closes it (does not reopen). */
    d.in.time_secs += 1;
    driver_click_at(&d, rect_cx(field), rect_cy(field), REEL_MOUSE_LEFT, build_combo, &c);
    d.in.time_secs += 1;
    driver_click_at(&d, rect_cx(field), rect_cy(field), REEL_MOUSE_LEFT, build_combo, &c);
    driver_click_at(&d, field.x0 + 20, field.y1 + 2 + 6 + 10, REEL_MOUSE_LEFT, build_combo, &c);
    CHECK_EQ_INT(c.current, 2);
    driver_free(&d);
}

typedef struct modal {
    reel_ui_rect button;
    int clicks;
    bool open, close_clicked;
    reel_ui_rect close_rect;
} modal;

static void build_modal(reel_ui *ui, void *user)
{
    modal *m = user;
    if (reel_ui_button(ui, "Base button"))
        m->clicks++;
    m->button = reel_ui_last_response(ui).rect;
    m->open = false;
    if (reel_ui_modal_begin(ui, "dialog", "Title")) {
        m->open = true;
        reel_ui_label(ui, "Body");
        if (reel_ui_button(ui, "Close")) {
            m->close_clicked = true;
            reel_ui_popup_close(ui);
        }
        m->close_rect = reel_ui_last_response(ui).rect;
        reel_ui_modal_end(ui);
    }
}

TEST(modal_blocks_what_is_below)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    modal m = {0};
    driver_click_at(&d, 20, 15, REEL_MOUSE_LEFT, build_modal, &m);
    CHECK_EQ_INT(m.clicks, 1);
    reel_ui_begin(d.ui, &d.in);
    reel_ui_popup_open(d.ui, "dialog");
    build_modal(d.ui, &m);
    reel_ui_end(d.ui);
    CHECK(m.open);
    d.in.time_secs += 1;
    driver_click_at(&d, 20, 15, REEL_MOUSE_LEFT, build_modal, &m);
    CHECK_EQ_INT(m.clicks, 1);    /* blocked */
    CHECK(m.open);                /* a click outside a modal does not close it */
    CHECK(m.close_rect.x0 > 200); /* centred */
    driver_click_at(&d, rect_cx(m.close_rect), rect_cy(m.close_rect), REEL_MOUSE_LEFT, build_modal,
                    &m);
    CHECK(m.close_clicked);
    driver_frame(&d, build_modal, &m);
    CHECK(!m.open);
    d.in.time_secs += 1;
    driver_click_at(&d, 20, 15, REEL_MOUSE_LEFT, build_modal, &m);
    CHECK_EQ_INT(m.clicks, 2);
    driver_free(&d);
}

static void build_demo(reel_ui *ui, void *user)
{
    reel_ui_demo(ui, user);
}

TEST(demo_runs_and_draws)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    reel_ui_demo_state state;
    reel_ui_demo_state_init(&state);
    for (int i = 0; i < 3; i++) {
        driver_move(&d, 100.0f + 200.0f * (float)i, 300);
        reel_ui_output out = driver_frame(&d, build_demo, &state);
        CHECK(out.list->n_cmds > 3);
        CHECK(out.list->n_indices > 1000);
        CHECK(!out.list->failed);
        for (uint32_t k = 0; k < out.list->n_indices; k++)
            CHECK(out.list->indices[k] < out.list->n_vertices);
    }
    d.in.pixels_per_point = 2.0f;
    d.in.width = 1600;
    d.in.height = 1200;
    reel_ui_output out = driver_frame(&d, build_demo, &state);
    CHECK(out.list->n_indices > 1000);
    driver_free(&d);
}

int main(void)
{
    RUN(tooltip_appears_after_the_delay);
    RUN(context_menu_opens_on_right_click);
    RUN(combo_selects_an_item);
    RUN(modal_blocks_what_is_below);
    RUN(demo_runs_and_draws);
    TEST_MAIN_END();
}
