/* Text fields driven by synthetic input: a click focuses and places the caret, typed text
 * goes in at the caret, Backspace/Delete/arrows/Home/End/Shift selection edit as expected,
 * UTF-8 stays whole, the capacity is respected, Tab and Shift+Tab move focus between
 * fields, Ctrl+C/V go through the clipboard hook, Enter submits and Escape leaves. */
#include "test.h"
#include "ui/ui.h"
#include "ui_driver.h"

typedef struct fields {
    char a[32], b[32], small[6];
    reel_ui_rect rect_a, rect_b;
    int submits;
} fields;

static void build_fields(reel_ui *ui, void *user)
{
    fields *f = user;
    bool submitted = false;
    reel_ui_text_field(ui, "A", f->a, sizeof f->a, &submitted);
    f->rect_a = reel_ui_last_response(ui).rect;
    f->submits += submitted;
    reel_ui_button(ui, "Between");
    reel_ui_text_field(ui, "B", f->b, sizeof f->b, NULL);
    f->rect_b = reel_ui_last_response(ui).rect;
    reel_ui_text_field(ui, "Small", f->small, sizeof f->small, NULL);
}

static void key_frame(ui_driver *d, reel_key key, unsigned modifiers, fields *f)
{
    d->in.modifiers = modifiers;
    driver_key(d, key);
    driver_frame(d, build_fields, f);
    d->in.modifiers = 0;
}

static void type_frame(ui_driver *d, const char *text, fields *f)
{
    driver_type(d, text);
    driver_frame(d, build_fields, f);
}

TEST(typing_and_editing_keys)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    fields f = {0};
    reel_ui_output out = driver_frame(&d, build_fields, &f);
    CHECK(!out.wants_keyboard);
    type_frame(&d, "ignored", &f); /* nothing focused */
    CHECK_EQ_STR(f.a, "");
    driver_click_at(&d, rect_cx(f.rect_a), rect_cy(f.rect_a), REEL_MOUSE_LEFT, build_fields, &f);
    CHECK(d.out.wants_keyboard);
    CHECK(d.out.cursor == REEL_UI_CURSOR_TEXT);
    type_frame(&d, "hello", &f);
    CHECK_EQ_STR(f.a, "hello");
    key_frame(&d, REEL_KEY_BACKSPACE, 0, &f);
    CHECK_EQ_STR(f.a, "hell");
    key_frame(&d, REEL_KEY_LEFT, 0, &f);
    key_frame(&d, REEL_KEY_LEFT, 0, &f);
    type_frame(&d, "X", &f);
    CHECK_EQ_STR(f.a, "heXll");
    key_frame(&d, REEL_KEY_HOME, 0, &f);
    type_frame(&d, "<", &f);
    CHECK_EQ_STR(f.a, "<heXll");
    key_frame(&d, REEL_KEY_DELETE, 0, &f);
    CHECK_EQ_STR(f.a, "<eXll");
    key_frame(&d, REEL_KEY_END, 0, &f);
    key_frame(&d, REEL_KEY_DELETE, 0, &f); /* nothing after the caret */
    CHECK_EQ_STR(f.a, "<eXll");
    key_frame(&d, REEL_KEY_LEFT, REEL_MOD_SHIFT, &f);
    key_frame(&d, REEL_KEY_LEFT, REEL_MOD_SHIFT, &f);
    type_frame(&d, "!", &f); /* replaces the selection */
    CHECK_EQ_STR(f.a, "<eX!");
    type_frame(&d, "\xc3\xa9", &f); /* é: two bytes, one character */
    CHECK_EQ_STR(f.a, "<eX!\xc3\xa9");
    key_frame(&d, REEL_KEY_BACKSPACE, 0, &f);
    CHECK_EQ_STR(f.a, "<eX!");
    key_frame(&d, REEL_KEY_A, REEL_MOD_CTRL, &f);
    key_frame(&d, REEL_KEY_BACKSPACE, 0, &f);
    CHECK_EQ_STR(f.a, "");
    /* Enter submits and leaves the field; typing then goes nowhere. */
    type_frame(&d, "done", &f);
    key_frame(&d, REEL_KEY_ENTER, 0, &f);
    CHECK_EQ_INT(f.submits, 1);
    driver_frame(&d, build_fields, &f);
    CHECK(!d.out.wants_keyboard);
    type_frame(&d, "more", &f);
    CHECK_EQ_STR(f.a, "done");
    driver_free(&d);
}

TEST(click_places_the_caret_and_capacity_holds)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    fields f = {0};
    snprintf(f.a, sizeof f.a, "%s", "abcdef");
    driver_frame(&d, build_fields, &f);
    /* A click left of the text puts the caret first. */
    driver_click_at(&d, f.rect_a.x0 + 1, rect_cy(f.rect_a), REEL_MOUSE_LEFT, build_fields, &f);
    type_frame(&d, "0", &f);
    CHECK_EQ_STR(f.a, "0abcdef");
    /* A click far right of it, last (a second later: not a double click, which selects
     * everything). */
    d.in.time_secs += 1.0;
    driver_click_at(&d, f.rect_a.x1 - 2, rect_cy(f.rect_a), REEL_MOUSE_LEFT, build_fields, &f);
    type_frame(&d, "9", &f);
    CHECK_EQ_STR(f.a, "0abcdef9");
    /* Escape leaves without changes. */
    key_frame(&d, REEL_KEY_ESCAPE, 0, &f);
    driver_frame(&d, build_fields, &f);
    CHECK(!d.out.wants_keyboard);
    /* The small field holds 5 bytes. */
    reel_ui_begin(d.ui, &d.in);
    reel_ui_focus(d.ui, reel_ui_make_id(d.ui, "Small"));
    reel_ui_end(d.ui);
    type_frame(&d, "abcdefgh", &f);
    CHECK_EQ_STR(f.small, "abcde");
    driver_free(&d);
}

TEST(tab_moves_focus_between_fields)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    fields f = {0};
    driver_frame(&d, build_fields, &f);
    driver_click_at(&d, rect_cx(f.rect_a), rect_cy(f.rect_a), REEL_MOUSE_LEFT, build_fields, &f);
    type_frame(&d, "a", &f);
    key_frame(&d, REEL_KEY_TAB, 0, &f); /* to the button between */
    key_frame(&d, REEL_KEY_TAB, 0, &f); /* to B */
    type_frame(&d, "b", &f);
    CHECK_EQ_STR(f.a, "a");
    CHECK_EQ_STR(f.b, "b");
    key_frame(&d, REEL_KEY_TAB, REEL_MOD_SHIFT, &f);
    key_frame(&d, REEL_KEY_TAB, REEL_MOD_SHIFT, &f);
    type_frame(&d, "A", &f); /* A's text was all selected when it took focus by Tab */
    CHECK_EQ_STR(f.a, "A");
    /* Shift+Tab from the first wraps to the last. */
    key_frame(&d, REEL_KEY_TAB, REEL_MOD_SHIFT, &f);
    type_frame(&d, "s", &f);
    CHECK_EQ_STR(f.small, "s");
    /* Tab from the last wraps to the first. */
    key_frame(&d, REEL_KEY_TAB, 0, &f);
    type_frame(&d, "z", &f);
    CHECK_EQ_STR(f.a, "z");
    driver_free(&d);
}

typedef struct clipboard {
    char text[64];
    int sets;
} clipboard;

static void set_clipboard(void *user, const char *text, size_t len)
{
    clipboard *c = user;
    snprintf(c->text, sizeof c->text, "%.*s", (int)len, text);
    c->sets++;
}

static const char *get_clipboard(void *user)
{
    return ((clipboard *)user)->text;
}

TEST(copy_and_paste_through_the_clipboard_hook)
{
    clipboard board = {0};
    ui_driver d;
    driver_init_desc(&d, 1.0f,
                     &(reel_ui_desc){.set_clipboard = set_clipboard,
                                     .get_clipboard = get_clipboard,
                                     .clipboard_user = &board});
    fields f = {0};
    snprintf(f.a, sizeof f.a, "%s", "copy me");
    driver_frame(&d, build_fields, &f);
    driver_click_at(&d, rect_cx(f.rect_a), rect_cy(f.rect_a), REEL_MOUSE_LEFT, build_fields, &f);
    key_frame(&d, REEL_KEY_A, REEL_MOD_CTRL, &f);
    key_frame(&d, REEL_KEY_C, REEL_MOD_CTRL, &f);
    CHECK_EQ_INT(board.sets, 1);
    CHECK_EQ_STR(board.text, "copy me");
    driver_click_at(&d, rect_cx(f.rect_b), rect_cy(f.rect_b), REEL_MOUSE_LEFT, build_fields, &f);
    key_frame(&d, REEL_KEY_V, REEL_MOD_CTRL, &f);
    key_frame(&d, REEL_KEY_V, REEL_MOD_CTRL, &f);
    CHECK_EQ_STR(f.b, "copy mecopy me");
    /* Cut removes the selection. */
    key_frame(&d, REEL_KEY_LEFT, REEL_MOD_SHIFT, &f);
    key_frame(&d, REEL_KEY_LEFT, REEL_MOD_SHIFT, &f);
    key_frame(&d, REEL_KEY_X, REEL_MOD_CTRL, &f);
    CHECK_EQ_STR(f.b, "copy mecopy ");
    CHECK_EQ_STR(board.text, "me");
    driver_free(&d);
}

typedef struct typed_value {
    float value;
    reel_ui_rect rect;
} typed_value;

static void build_typed_value(reel_ui *ui, void *user)
{
    typed_value *t = user;
    reel_ui_drag_float(ui, "Radius", &t->value, 0.1f, 0, 10);
    t->rect = reel_ui_last_response(ui).rect;
}

TEST(drag_value_takes_a_typed_value_after_a_double_click)
{
    ui_driver d;
    driver_init(&d, 1.0f);
    typed_value t = {.value = 1.0f};
    driver_frame(&d, build_typed_value, &t);
    driver_click_at(&d, rect_cx(t.rect), rect_cy(t.rect), REEL_MOUSE_LEFT, build_typed_value, &t);
    driver_press(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_typed_value, &t);
    driver_release(&d, REEL_MOUSE_LEFT);
    driver_frame(&d, build_typed_value, &t);
    driver_frame(&d, build_typed_value, &t);
    CHECK(d.out.wants_keyboard); /* editing as text, everything selected */
    driver_type(&d, "7.5");
    driver_frame(&d, build_typed_value, &t);
    CHECK_NEAR(t.value, 1.0f, 1e-6); /* applied on Enter only */
    driver_key(&d, REEL_KEY_ENTER);
    driver_frame(&d, build_typed_value, &t);
    CHECK_NEAR(t.value, 7.5f, 1e-6);
    /* Out of range typed values are clamped. */
    driver_key(&d, REEL_KEY_ENTER); /* focused: Enter edits again */
    driver_frame(&d, build_typed_value, &t);
    driver_frame(&d, build_typed_value, &t);
    driver_type(&d, "99");
    driver_frame(&d, build_typed_value, &t);
    driver_key(&d, REEL_KEY_ENTER);
    driver_frame(&d, build_typed_value, &t);
    CHECK_NEAR(t.value, 10.0f, 1e-6);
    driver_free(&d);
}

int main(void)
{
    RUN(typing_and_editing_keys);
    RUN(click_places_the_caret_and_capacity_holds);
    RUN(tab_moves_focus_between_fields);
    RUN(copy_and_paste_through_the_clipboard_hook);
    RUN(drag_value_takes_a_typed_value_after_a_double_click);
    TEST_MAIN_END();
}
