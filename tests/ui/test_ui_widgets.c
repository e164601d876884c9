/* Basic widgets driven by synthetic input, no GL: buttons click only on a press and release
 * inside, checkboxes toggle (pointer and keyboard), drag values follow the drag, sliders
 * jump to the pointer, DPI scale 2 doubles sizes and rebakes the atlas, text elides with
 * "…", and the draw list holds the theme's fills and text clipped to its layout. */
#include <math.h>

#include "test.h"
#include "ui/ui.h"
#include "ui/ui_theme.h"
#include "ui_driver.h"

typedef struct widgets {
    reel_ui_rect button, checkbox, drag, drag_int, slider;
    int clicks, toggles;
    bool checked;
    float value, slider_value;
    int count;
} widgets;

static void build_widgets(reel_ui *ui, void *user)
{
    widgets *w = user;
    if (reel_ui_button(ui, "Press me"))
        w->clicks++;
    w->button = reel_ui_last_response(ui).rect;
    if (reel_ui_checkbox(ui, "Check", &w->checked))
        w->toggles++;
    w->checkbox = reel_ui_last_response(ui).rect;
    reel_ui_drag_float(ui, "Drag", &w->value, 0.5f, 0, 0);
    w->drag = reel_ui_last_response(ui).rect;
    reel_ui_drag_int(ui, "Count", &w->count, 0.1f, 0, 100);
    w->drag_int = reel_ui_last_response(ui).rect;
    reel_ui_slider_float(ui, "Slide", &w->slider_value, 0, 10);
    w->slider = reel_ui_last_response(ui).rect;
}

TEST(button_clicks_only_on_press_and_release_inside)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    widgets w = {0};
    driver_move(&d, 700, 500);
    reel_ui_output out = driver_frame(&d, build_widgets, &w);
    CHECK(!out.wants_pointer);
    CHECK(w.button.x1 > w.button.x0 && w.button.y1 - w.button.y0 == 20);
    driver_click_at(&d, rect_cx(w.button), rect_cy(w.button), REEL_MOUSE_LEFT, build_widgets, &w);
    CHECK_EQ_INT(w.clicks, 1);
    CHECK(d.out.wants_pointer); /* the pointer is on the button */
    /* Pressed inside, released outside: no click. */
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_move(&d, w.button.x1 + 50, w.button.y1 + 200);
    driver_frame(&d, build_widgets, &w);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_EQ_INT(w.clicks, 1);
    /* Pressed outside, released inside: no click either. */
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_move(&d, rect_cx(w.button), rect_cy(w.button));
    driver_frame(&d, build_widgets, &w);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_EQ_INT(w.clicks, 1);
    /* A right click is not a click. */
    driver_click_at(&d, rect_cx(w.button), rect_cy(w.button), REEL_MOUSE_RIGHT, build_widgets, &w);
    CHECK_EQ_INT(w.clicks, 1);
    /* Press and release within one frame still count. */
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_EQ_INT(w.clicks, 2);
    driver_free(&d);
}

TEST(checkbox_toggles_by_pointer_and_keyboard)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    widgets w = {0};
    driver_frame(&d, build_widgets, &w);
    driver_click_at(&d, w.checkbox.x0 + 5, rect_cy(w.checkbox), REEL_MOUSE_LEFT, build_widgets, &w);
    CHECK(w.checked);
    CHECK_EQ_INT(w.toggles, 1);
    driver_click_at(&d, w.checkbox.x1 - 2, rect_cy(w.checkbox), REEL_MOUSE_LEFT, build_widgets, &w);
    CHECK(!w.checked);
    CHECK_EQ_INT(w.toggles, 2);
    /* The click focused it: Space toggles it again. */
    driver_key(&d, REEL_KEY_SPACE);
    driver_frame(&d, build_widgets, &w);
    CHECK(w.checked);
    CHECK_EQ_INT(w.toggles, 3);
    CHECK_EQ_INT(w.clicks, 0);
    driver_free(&d);
}

TEST(drag_values_follow_the_drag)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    widgets w = {.value = 1.0f, .count = 10};
    driver_frame(&d, build_widgets, &w);
    float x = rect_cx(w.drag), y = rect_cy(w.drag);
    driver_move(&d, x, y);
    driver_frame(&d, build_widgets, &w);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.value, 1.0f, 1e-6);
    driver_move(&d, x + 20, y + 3);
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.value, 11.0f, 1e-4);
    CHECK(d.out.cursor == REEL_UI_CURSOR_RESIZE_H);
    driver_move(&d, x + 10, y + 300); /* leaving the widget does not stop the drag */
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.value, 6.0f, 1e-4);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_move(&d, x + 100, y + 300);
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.value, 6.0f, 1e-4);

    /* Integers accumulate fractions: 0.1 per pixel, 30 pixels in 3 moves = 3. */
    x = rect_cx(w.drag_int), y = rect_cy(w.drag_int);
    driver_move(&d, x, y);
    driver_frame(&d, build_widgets, &w);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    for (int i = 1; i <= 3; i++) {
        driver_move(&d, x + 10.0f * (float)i, y);
        driver_frame(&d, build_widgets, &w);
    }
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_EQ_INT(w.count, 13);
    /* Bounded: a long drag stops at the maximum. */
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_move(&d, x + 5000, y);
    driver_frame(&d, build_widgets, &w);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_EQ_INT(w.count, 100);
    driver_free(&d);
}

TEST(slider_jumps_to_the_pointer)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    widgets w = {0};
    driver_frame(&d, build_widgets, &w);
    driver_click_at(&d, w.slider.x0 + 1, rect_cy(w.slider), REEL_MOUSE_LEFT, build_widgets, &w);
    CHECK_NEAR(w.slider_value, 0.0f, 1e-6);
    driver_move(&d, w.slider.x0 + 600, rect_cy(w.slider));
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.slider_value, 0.0f, 1e-6); /* pressed outside it: nothing */
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_move(&d, w.slider.x0 + 40, rect_cy(w.slider));
    driver_frame(&d, build_widgets, &w);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    CHECK(w.slider_value > 1.0f && w.slider_value < 9.0f);
    driver_move(&d, w.slider.x0 + 600, rect_cy(w.slider));
    driver_frame(&d, build_widgets, &w);
    CHECK_NEAR(w.slider_value, 10.0f, 1e-6);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_widgets, &w);
    driver_free(&d);
}

TEST(scale_two_doubles_sizes_and_rebakes_the_atlas)
{
    ui_driver one, two;
    driver_init(&one, 1.0f);
    driver_init(&two, 2.0f);
    widgets w1 = {0}, w2 = {0};
    reel_ui_output out1 = driver_frame(&one, build_widgets, &w1);
    reel_ui_output out2 = driver_frame(&two, build_widgets, &w2);
    CHECK_NEAR(w2.button.y1 - w2.button.y0, 2 * (w1.button.y1 - w1.button.y0), 1e-4);
    CHECK_NEAR(w2.button.x1 - w2.button.x0, 2 * (w1.button.x1 - w1.button.x0), 3);
    CHECK_NEAR(w2.button.x0, 2 * w1.button.x0, 1e-4);
    CHECK_NEAR(w2.checkbox.y0, 2 * w1.checkbox.y0, 1e-4);
    CHECK_NEAR(reel_ui_line_height(two.ui, REEL_UI_FONT_BODY),
               2 * reel_ui_line_height(one.ui, REEL_UI_FONT_BODY), 1e-4);
    CHECK(out2.atlas->width >= out1.atlas->width);
    /* Changing the scale of a context rebakes its atlas under a new version. */
    uint64_t version = out1.atlas->version;
    int32_t width = out1.atlas->width;
    one.in.pixels_per_point = 2.0f;
    reel_ui_output again = driver_frame(&one, build_widgets, &w1);
    CHECK(again.atlas->version != version);
    CHECK(again.atlas->width >= width);
    CHECK_NEAR(w1.button.y1 - w1.button.y0, 40, 1e-4);
    /* The same scale again keeps it. */
    version = again.atlas->version;
    again = driver_frame(&one, build_widgets, &w1);
    CHECK_EQ_U64(again.atlas->version, version);
    driver_free(&one);
    driver_free(&two);
}

static void build_long_label(reel_ui *ui, void *user)
{
    reel_ui_rect *clip = user;
    *clip = (reel_ui_rect){100, 100, 180, 140};
    reel_ui_layout_begin(ui, *clip, 0);
    reel_ui_label(ui, "A label far too long for the eighty pixels it gets here");
    reel_ui_layout_end(ui);
    reel_ui_button(ui, "Themed");
}

TEST(text_elides_and_stays_in_its_clip)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    const char *text = "/world/a_very_long_entity_path/points";
    size_t len = strlen(text);
    reel_ui_begin(d.ui, &d.in);
    float full = reel_ui_text_width(d.ui, REEL_UI_FONT_BODY, text, len);
    CHECK(full > 150);
    CHECK_EQ_INT(reel_ui_text_fit(d.ui, REEL_UI_FONT_BODY, text, len, full + 1), len);
    size_t fit = reel_ui_text_fit(d.ui, REEL_UI_FONT_BODY, text, len, 100);
    CHECK(fit > 3 && fit < len);
    float ellipsis = reel_ui_text_width(d.ui, REEL_UI_FONT_BODY, "\xe2\x80\xa6", 3);
    CHECK(ellipsis > 0);
    CHECK(reel_ui_text_width(d.ui, REEL_UI_FONT_BODY, text, fit) + ellipsis <= 100);
    CHECK(reel_ui_text_width(d.ui, REEL_UI_FONT_BODY, text, fit + 1) + ellipsis > 100);
    float drawn = reel_ui_draw_text(d.ui, REEL_UI_FONT_BODY, 10, 300, text, len,
                                    REEL_THEME_TEXT_DEFAULT, 100);
    CHECK(drawn <= 100.01f);
    reel_ui_end(d.ui);

    reel_ui_rect clip;
    reel_ui_output out = driver_frame(&d, build_long_label, &clip);
    const reel_draw_list *list = out.list;
    const reel_draw_atlas *atlas = out.atlas;
    int glyph_quads = 0, themed = 0;
    for (uint32_t c = 0; c < list->n_cmds; c++) {
        const reel_draw_cmd *cmd = &list->cmds[c];
        for (uint32_t i = 0; i < cmd->index_count; i += 6) {
            const reel_draw_vertex *v = &list->vertices[list->indices[cmd->first_index + i]];
            if (v->rgba == REEL_THEME_SECONDARY_BUTTON)
                themed++;
            bool is_glyph = v->u != atlas->white_u || v->v != atlas->white_v;
            if (!is_glyph || v->rgba != REEL_THEME_TEXT_DEFAULT || v->y < 60)
                continue; /* the button's text is at the top */
            glyph_quads++;
            /* Glyphs of the label: inside its clip, and the command clips to it. */
            CHECK(v->x >= clip.x0 - 1 && v->x <= clip.x1 && v->y >= clip.y0 - 1 && v->y <= clip.y1);
            CHECK(cmd->clip[0] == clip.x0 && cmd->clip[2] == clip.x1);
        }
    }
    CHECK(glyph_quads > 3 && glyph_quads < 20); /* elided: a handful of glyphs, then "…" */
    CHECK(themed > 0);                          /* the button's fill in the theme colour */
    CHECK_EQ_U64(REEL_THEME_SECONDARY_BUTTON, REEL_RGBA(0x2c, 0x2b, 0x2b, 0xff));
    /* The atlas holds coverage and a white block for fills. */
    uint32_t wx = (uint32_t)(atlas->white_u * (float)atlas->width);
    uint32_t wy = (uint32_t)(atlas->white_v * (float)atlas->height);
    CHECK_EQ_INT(atlas->pixels[wy * (uint32_t)atlas->width + wx], 255);
    driver_free(&d);
}

int main(void)
{
    RUN(button_clicks_only_on_press_and_release_inside);
    RUN(checkbox_toggles_by_pointer_and_keyboard);
    RUN(drag_values_follow_the_drag);
    RUN(slider_jumps_to_the_pointer);
    RUN(scale_two_doubles_sizes_and_rebakes_the_atlas);
    RUN(text_elides_and_stays_in_its_clip);
    TEST_MAIN_END();
}
