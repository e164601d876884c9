/* Drives ui frames from synthetic input for the tests in tests/ui: a window of 800x600
 * pixels, a pointer that moves, presses and releases, typed text and keys, and 1/60 s of
 * time per frame. Events last one frame, as the platform layer delivers them. */
#ifndef REEL_TEST_UI_DRIVER_H
#define REEL_TEST_UI_DRIVER_H

#include <string.h>

#include "ui/ui.h"

typedef void (*ui_build_fn)(reel_ui *ui, void *user);

typedef struct ui_driver {
    reel_ui *ui;
    reel_input in;
    reel_ui_output out;
} ui_driver;

static inline void driver_init_desc(ui_driver *d, float pixels_per_point, const reel_ui_desc *desc)
{
    memset(d, 0, sizeof *d);
    d->ui = reel_ui_create(desc);
    d->in.width = 800;
    d->in.height = 600;
    d->in.pixels_per_point = pixels_per_point;
    d->in.has_pointer = true;
    d->in.time_secs = 10.0;
}

static inline void driver_init(ui_driver *d, float pixels_per_point)
{
    driver_init_desc(d, pixels_per_point, NULL);
}

static inline void driver_free(ui_driver *d)
{
    reel_ui_destroy(d->ui);
}

/* One frame: begin, build, end; then this frame's events are cleared. */
static inline reel_ui_output driver_frame(ui_driver *d, ui_build_fn build, void *user)
{
    reel_ui_begin(d->ui, &d->in);
    build(d->ui, user);
    d->out = reel_ui_end(d->ui);
    for (int b = 0; b < REEL_MOUSE_BUTTONS; b++)
        d->in.button_pressed[b] = d->in.button_released[b] = false;
    memset(d->in.key_pressed, 0, sizeof d->in.key_pressed);
    d->in.text[0] = 0;
    d->in.wheel_x = d->in.wheel_y = 0;
    d->in.time_secs += 1.0 / 60.0;
    return d->out;
}

static inline void driver_move(ui_driver *d, float x, float y)
{
    d->in.pointer_x = x;
    d->in.pointer_y = y;
}

static inline void driver_press(ui_driver *d, int button)
{
    d->in.button_down[button] = true;
    d->in.button_pressed[button] = true;
}

static inline void driver_release(ui_driver *d, int button)
{
    d->in.button_down[button] = false;
    d->in.button_released[button] = true;
}

static inline void driver_key(ui_driver *d, reel_key key)
{
    d->in.key_pressed[key] = true;
}

static inline void driver_type(ui_driver *d, const char *text)
{
    strncpy(d->in.text, text, sizeof d->in.text - 1);
}

/* Moves to (x, y), then presses and releases there over three frames. */
static inline void driver_click_at(ui_driver *d, float x, float y, int button, ui_build_fn build,
                                   void *user)
{
    driver_move(d, x, y);
    driver_frame(d, build, user);
    driver_press(d, button);
    driver_frame(d, build, user);
    driver_release(d, button);
    driver_frame(d, build, user);
}

static inline float rect_cx(reel_ui_rect r)
{
    return (r.x0 + r.x1) * 0.5f;
}

static inline float rect_cy(reel_ui_rect r)
{
    return (r.y0 + r.y1) * 0.5f;
}

#endif
