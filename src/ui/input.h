/* What the platform layer tells the UI about one frame: pointer, buttons, wheel, keys, text
 * typed, files dropped, window size and scale. Filled by src/platform (GLFW natively and in
 * the browser, synthetic in headless screenshots and tests), read by src/ui. Plain data. */
#ifndef REEL_UI_INPUT_H
#define REEL_UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum reel_key {
    REEL_KEY_NONE = 0,
    REEL_KEY_TAB, REEL_KEY_ENTER, REEL_KEY_ESCAPE, REEL_KEY_BACKSPACE, REEL_KEY_DELETE,
    REEL_KEY_LEFT, REEL_KEY_RIGHT, REEL_KEY_UP, REEL_KEY_DOWN,
    REEL_KEY_HOME, REEL_KEY_END, REEL_KEY_PAGE_UP, REEL_KEY_PAGE_DOWN, REEL_KEY_SPACE,
    REEL_KEY_A, REEL_KEY_C, REEL_KEY_V, REEL_KEY_X, REEL_KEY_Y, REEL_KEY_Z,
    REEL_KEY_W, REEL_KEY_S, REEL_KEY_D, REEL_KEY_Q, REEL_KEY_E, REEL_KEY_F, REEL_KEY_O,
    REEL_KEY_COUNT
} reel_key;

enum { REEL_MOD_SHIFT = 1, REEL_MOD_CTRL = 2, REEL_MOD_ALT = 4, REEL_MOD_SUPER = 8 };

enum { REEL_MOUSE_LEFT = 0, REEL_MOUSE_RIGHT = 1, REEL_MOUSE_MIDDLE = 2, REEL_MOUSE_BUTTONS = 3 };

#define REEL_INPUT_MAX_TEXT 64   /* UTF-8 bytes typed this frame */
#define REEL_INPUT_MAX_DROPS 16  /* files dropped this frame */

typedef struct reel_input {
    double time_secs;       /* monotonic, for animations and double clicks */
    int32_t width, height;  /* framebuffer pixels */
    float pixels_per_point; /* DPI scale: UI sizes are in points */
    bool has_pointer;       /* the pointer is over the window */
    float pointer_x, pointer_y; /* pixels */
    bool button_down[REEL_MOUSE_BUTTONS];  /* held now */
    bool button_pressed[REEL_MOUSE_BUTTONS];  /* went down this frame */
    bool button_released[REEL_MOUSE_BUTTONS]; /* went up this frame */
    float wheel_x, wheel_y; /* scroll this frame, in lines (positive y: away from the user) */
    bool key_down[REEL_KEY_COUNT];
    bool key_pressed[REEL_KEY_COUNT]; /* went down (or repeated) this frame */
    unsigned modifiers;               /* REEL_MOD_* */
    char text[REEL_INPUT_MAX_TEXT];   /* UTF-8 typed this frame, NUL-terminated */
    int32_t n_drops;
    const char *drops[REEL_INPUT_MAX_DROPS]; /* paths dropped this frame (borrowed) */
    bool close_requested;
} reel_input;

#ifdef __cplusplus
}
#endif
#endif
