/* Windowed front end on GLFW: natively (X11, a GLES 3 context) and unchanged in the browser
 * through Emscripten's GLFW (WebGL2), where only the main loop differs. Gathers GLFW's events
 * into one reel_input per frame (pointer in framebuffer pixels, buttons, wheel, keys, typed
 * text, dropped files, size, DPI scale from the content scale) and draws the app's frames. */
#include <GLFW/glfw3.h>
#include <stdlib.h>
#include <string.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "platform/platform.h"

typedef struct window_state {
    const reel_app *app;
    GLFWwindow *window;
    reel_renderer *renderer;
    reel_input input;
    char *drops[REEL_INPUT_MAX_DROPS]; /* owned copies of this frame's dropped paths */
    uint32_t max_frames, frames;
    bool running;
} window_state;

static reel_key map_key(int key)
{
    switch (key) {
    case GLFW_KEY_TAB:
        return REEL_KEY_TAB;
    case GLFW_KEY_ENTER:
        return REEL_KEY_ENTER;
    case GLFW_KEY_KP_ENTER:
        return REEL_KEY_ENTER;
    case GLFW_KEY_ESCAPE:
        return REEL_KEY_ESCAPE;
    case GLFW_KEY_BACKSPACE:
        return REEL_KEY_BACKSPACE;
    case GLFW_KEY_DELETE:
        return REEL_KEY_DELETE;
    case GLFW_KEY_LEFT:
        return REEL_KEY_LEFT;
    case GLFW_KEY_RIGHT:
        return REEL_KEY_RIGHT;
    case GLFW_KEY_UP:
        return REEL_KEY_UP;
    case GLFW_KEY_DOWN:
        return REEL_KEY_DOWN;
    case GLFW_KEY_HOME:
        return REEL_KEY_HOME;
    case GLFW_KEY_END:
        return REEL_KEY_END;
    case GLFW_KEY_PAGE_UP:
        return REEL_KEY_PAGE_UP;
    case GLFW_KEY_PAGE_DOWN:
        return REEL_KEY_PAGE_DOWN;
    case GLFW_KEY_SPACE:
        return REEL_KEY_SPACE;
    case GLFW_KEY_A:
        return REEL_KEY_A;
    case GLFW_KEY_C:
        return REEL_KEY_C;
    case GLFW_KEY_V:
        return REEL_KEY_V;
    case GLFW_KEY_X:
        return REEL_KEY_X;
    case GLFW_KEY_Y:
        return REEL_KEY_Y;
    case GLFW_KEY_Z:
        return REEL_KEY_Z;
    case GLFW_KEY_W:
        return REEL_KEY_W;
    case GLFW_KEY_S:
        return REEL_KEY_S;
    case GLFW_KEY_D:
        return REEL_KEY_D;
    case GLFW_KEY_Q:
        return REEL_KEY_Q;
    case GLFW_KEY_E:
        return REEL_KEY_E;
    case GLFW_KEY_F:
        return REEL_KEY_F;
    case GLFW_KEY_O:
        return REEL_KEY_O;
    default:
        return REEL_KEY_NONE;
    }
}

static unsigned map_modifiers(int mods)
{
    return (mods & GLFW_MOD_SHIFT ? REEL_MOD_SHIFT : 0u) |
           (mods & GLFW_MOD_CONTROL ? REEL_MOD_CTRL : 0u) |
           (mods & GLFW_MOD_ALT ? REEL_MOD_ALT : 0u) |
           (mods & GLFW_MOD_SUPER ? REEL_MOD_SUPER : 0u);
}

static void on_key(GLFWwindow *window, int key, int scancode, int action, int mods)
{
    (void)scancode;
    window_state *s = glfwGetWindowUserPointer(window);
    reel_key k = map_key(key);
    s->input.modifiers = map_modifiers(mods);
    if (k == REEL_KEY_NONE)
        return;
    if (action == GLFW_PRESS || action == GLFW_REPEAT) {
        s->input.key_down[k] = true;
        s->input.key_pressed[k] = true;
    } else if (action == GLFW_RELEASE) {
        s->input.key_down[k] = false;
    }
}

static void on_char(GLFWwindow *window, unsigned int codepoint)
{
    window_state *s = glfwGetWindowUserPointer(window);
    char utf8[4];
    size_t n = 0;
    if (codepoint < 0x80) {
        utf8[n++] = (char)codepoint;
    } else if (codepoint < 0x800) {
        utf8[n++] = (char)(0xc0 | codepoint >> 6);
        utf8[n++] = (char)(0x80 | (codepoint & 0x3f));
    } else if (codepoint < 0x10000) {
        utf8[n++] = (char)(0xe0 | codepoint >> 12);
        utf8[n++] = (char)(0x80 | (codepoint >> 6 & 0x3f));
        utf8[n++] = (char)(0x80 | (codepoint & 0x3f));
    } else {
        utf8[n++] = (char)(0xf0 | codepoint >> 18);
        utf8[n++] = (char)(0x80 | (codepoint >> 12 & 0x3f));
        utf8[n++] = (char)(0x80 | (codepoint >> 6 & 0x3f));
        utf8[n++] = (char)(0x80 | (codepoint & 0x3f));
    }
    size_t used = strlen(s->input.text);
    if (used + n < REEL_INPUT_MAX_TEXT) {
        memcpy(s->input.text + used, utf8, n);
        s->input.text[used + n] = '\0';
    }
}

static void on_mouse_button(GLFWwindow *window, int button, int action, int mods)
{
    window_state *s = glfwGetWindowUserPointer(window);
    int b = button == GLFW_MOUSE_BUTTON_LEFT     ? REEL_MOUSE_LEFT
            : button == GLFW_MOUSE_BUTTON_RIGHT  ? REEL_MOUSE_RIGHT
            : button == GLFW_MOUSE_BUTTON_MIDDLE ? REEL_MOUSE_MIDDLE
                                                 : -1;
    s->input.modifiers = map_modifiers(mods);
    if (b < 0)
        return;
    if (action == GLFW_PRESS) {
        s->input.button_down[b] = true;
        s->input.button_pressed[b] = true;
    } else if (action == GLFW_RELEASE) {
        s->input.button_down[b] = false;
        s->input.button_released[b] = true;
    }
}

static void on_scroll(GLFWwindow *window, double x, double y)
{
    window_state *s = glfwGetWindowUserPointer(window);
    s->input.wheel_x += (float)x;
    s->input.wheel_y += (float)y;
}

static void on_cursor_enter(GLFWwindow *window, int entered)
{
    window_state *s = glfwGetWindowUserPointer(window);
    s->input.has_pointer = entered != 0;
}

static void on_drop(GLFWwindow *window, int count, const char **paths)
{
    window_state *s = glfwGetWindowUserPointer(window);
    for (int i = 0; i < count && s->input.n_drops < REEL_INPUT_MAX_DROPS; i++) {
        char *copy = strdup(paths[i]);
        if (!copy)
            break;
        s->drops[s->input.n_drops] = copy;
        s->input.drops[s->input.n_drops++] = copy;
    }
}

/* Clears what lasts one frame (presses, wheel, text, drops). */
static void start_next_frame_input(window_state *s)
{
    memset(s->input.button_pressed, 0, sizeof(s->input.button_pressed));
    memset(s->input.button_released, 0, sizeof(s->input.button_released));
    memset(s->input.key_pressed, 0, sizeof(s->input.key_pressed));
    s->input.wheel_x = s->input.wheel_y = 0;
    s->input.text[0] = '\0';
    for (int32_t i = 0; i < s->input.n_drops; i++) {
        free(s->drops[i]);
        s->drops[i] = NULL;
        s->input.drops[i] = NULL;
    }
    s->input.n_drops = 0;
}

static void read_window_input(window_state *s)
{
    int fb_width = 0, fb_height = 0, win_width = 0, win_height = 0;
    glfwGetFramebufferSize(s->window, &fb_width, &fb_height);
    glfwGetWindowSize(s->window, &win_width, &win_height);
    float scale_x = 1.0f, scale_y = (float)(win_height > 0 ? (double)fb_height / win_height : 1.0);
#if GLFW_VERSION_MAJOR > 3 || (GLFW_VERSION_MAJOR == 3 && GLFW_VERSION_MINOR >= 3)
    glfwGetWindowContentScale(s->window, &scale_x, &scale_y);
#endif
    (void)scale_x;
    double cursor_x = 0, cursor_y = 0;
    glfwGetCursorPos(s->window, &cursor_x, &cursor_y);
    double to_pixels_x = win_width > 0 ? (double)fb_width / win_width : 1.0;
    double to_pixels_y = win_height > 0 ? (double)fb_height / win_height : 1.0;
    s->input.width = fb_width;
    s->input.height = fb_height;
    s->input.pixels_per_point = scale_y > 0 ? scale_y : 1.0f;
    s->input.pointer_x = (float)(cursor_x * to_pixels_x);
    s->input.pointer_y = (float)(cursor_y * to_pixels_y);
    s->input.time_secs = glfwGetTime();
    s->input.close_requested = glfwWindowShouldClose(s->window) != 0;
}

/* One iteration of the main loop; false when the app is done. */
static bool step(window_state *s)
{
    glfwPollEvents();
    read_window_input(s);
    reel_draw_frame frame = {0};
    bool keep_running = s->app->frame(s->app->ctx, &s->input, &frame);
    frame.width = s->input.width;
    frame.height = s->input.height;
    if (frame.width > 0 && frame.height > 0) {
        reel_error err = {0};
        if (reel_render_frame(s->renderer, &frame, &err) != REEL_OK) {
            reel_log(REEL_LOG_ERROR, "platform", "%s", err.message);
            keep_running = false;
        } else if (s->app->rendered) {
            s->app->rendered(s->app->ctx, s->renderer, &frame);
        }
        glfwSwapBuffers(s->window);
    }
    start_next_frame_input(s);
    s->frames++;
    if (s->max_frames && s->frames >= s->max_frames)
        keep_running = false;
    if (s->input.close_requested)
        keep_running = false;
    return keep_running;
}

static void finish(window_state *s)
{
    if (s->app->shutdown)
        s->app->shutdown(s->app->ctx);
    reel_renderer_destroy(s->renderer);
    start_next_frame_input(s);
    glfwDestroyWindow(s->window);
    glfwTerminate();
    free(s);
}

#ifdef __EMSCRIPTEN__
static void browser_step(void *arg)
{
    window_state *s = arg;
    if (!step(s)) {
        emscripten_cancel_main_loop();
        finish(s);
    }
}
#endif

reel_status reel_platform_run_window(const reel_app *app, const reel_window_desc *desc,
                                     reel_error *err)
{
    if (!app || !app->frame)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "platform: window without an app");
    reel_window_desc defaults = {0};
    if (!desc)
        desc = &defaults;
    if (!glfwInit())
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "platform: GLFW cannot start (no display? set DISPLAY or use "
                              "xvfb-run)");
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_DEPTH_BITS, 24);
#if GLFW_VERSION_MAJOR > 3 || (GLFW_VERSION_MAJOR == 3 && GLFW_VERSION_MINOR >= 3)
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE); /* Emscripten 3.1.6's GLFW is 3.2 */
#endif
    GLFWwindow *window = glfwCreateWindow(desc->width > 0 ? desc->width : 1280,
                                          desc->height > 0 ? desc->height : 720,
                                          desc->title ? desc->title : "Reel", NULL, NULL);
    if (!window) {
        glfwTerminate();
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "platform: no window with a GLES 3 context could be made");
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    window_state *s = calloc(1, sizeof(*s));
    if (!s) {
        glfwDestroyWindow(window);
        glfwTerminate();
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "platform: window state");
    }
    s->app = app;
    s->window = window;
    s->max_frames = desc->max_frames;
    glfwSetWindowUserPointer(window, s);
    glfwSetKeyCallback(window, on_key);
    glfwSetCharCallback(window, on_char);
    glfwSetMouseButtonCallback(window, on_mouse_button);
    glfwSetScrollCallback(window, on_scroll);
    glfwSetCursorEnterCallback(window, on_cursor_enter);
    glfwSetDropCallback(window, on_drop);
    s->input.has_pointer = true;
    reel_status status = reel_renderer_create(&(reel_renderer_desc){0}, &s->renderer, err);
    if (status == REEL_OK && app->init)
        status = app->init(app->ctx, s->renderer, err);
    if (status != REEL_OK) {
        reel_renderer_destroy(s->renderer);
        s->renderer = NULL;
        s->app = &(const reel_app){0};
        finish(s);
        return status;
    }
#ifdef __EMSCRIPTEN__
    emscripten_set_main_loop_arg(browser_step, s, 0, 1);
#else
    while (step(s)) {
    }
    finish(s);
#endif
    return REEL_OK;
}
