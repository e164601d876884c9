/* Headless front end: a GLES 3 context with no window and no display (EGL on Mesa's
 * surfaceless platform, llvmpipe when there is no GPU; else the first EGL device, which is
 * how NVIDIA's driver renders without a display), and screenshots: run an app for N
 * frames on synthetic input into an offscreen target, read the last frame back, write a PNG.
 * Native only (the browser has its own context). */
#ifndef __EMSCRIPTEN__
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

/* The first EGL device's display (EGL_EXT_platform_device), or EGL_NO_DISPLAY. */
static EGLDisplay device_display(void)
{
    PFNEGLQUERYDEVICESEXTPROC query_devices =
        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    if (query_devices == NULL)
        return EGL_NO_DISPLAY;
    EGLDeviceEXT devices[8];
    EGLint n = 0;
    if (!query_devices(8, devices, &n) || n < 1)
        return EGL_NO_DISPLAY;
    for (EGLint i = 0; i < n; i++) {
        EGLDisplay display = eglGetPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
        EGLint major, minor;
        if (display != EGL_NO_DISPLAY && eglInitialize(display, &major, &minor))
            return display;
    }
    return EGL_NO_DISPLAY;
}

struct reel_platform_headless {
    EGLDisplay display;
    EGLContext context;
};

static reel_status egl_failure(reel_platform_headless *h, const char *step, reel_error *err)
{
    EGLint code = eglGetError();
    reel_platform_headless_destroy(h);
    return reel_error_set(err, REEL_UNSUPPORTED,
                          "platform: headless EGL: %s failed (EGL error 0x%x); it needs Mesa's "
                          "EGL (libegl-mesa0, libgl1-mesa-dri) with EGL_MESA_platform_surfaceless",
                          step, (unsigned)code);
}

reel_status reel_platform_headless_create(reel_platform_headless **out, reel_error *err)
{
    *out = NULL;
    reel_platform_headless *h = calloc(1, sizeof(*h));
    if (!h)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "platform: headless context");
    h->display =
        eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, (void *)EGL_DEFAULT_DISPLAY, NULL);
    EGLint major = 0, minor = 0;
    if (h->display != EGL_NO_DISPLAY && !eglInitialize(h->display, &major, &minor))
        h->display = EGL_NO_DISPLAY;
    if (h->display == EGL_NO_DISPLAY)
        h->display = device_display();
    if (h->display == EGL_NO_DISPLAY)
        return egl_failure(h, "eglGetPlatformDisplay (surfaceless, then an EGL device)", err);
    if (!eglBindAPI(EGL_OPENGL_ES_API))
        return egl_failure(h, "eglBindAPI(EGL_OPENGL_ES_API)", err);
    const EGLint config_attributes[] = {
        EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT,
        EGL_RED_SIZE,     8, EGL_GREEN_SIZE,      8,
        EGL_BLUE_SIZE,    8, EGL_ALPHA_SIZE,      8,
        EGL_NONE};
    EGLConfig config;
    EGLint n_configs = 0;
    if (!eglChooseConfig(h->display, config_attributes, &config, 1, &n_configs) || n_configs < 1)
        return egl_failure(h, "eglChooseConfig (GLES 3, RGBA8)", err);
    const EGLint context_attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_NONE};
    h->context = eglCreateContext(h->display, config, EGL_NO_CONTEXT, context_attributes);
    if (h->context == EGL_NO_CONTEXT)
        return egl_failure(h, "eglCreateContext (GLES 3)", err);
    if (!eglMakeCurrent(h->display, EGL_NO_SURFACE, EGL_NO_SURFACE, h->context))
        return egl_failure(h, "eglMakeCurrent (surfaceless)", err);
    *out = h;
    return REEL_OK;
}

void reel_platform_headless_destroy(reel_platform_headless *h)
{
    if (!h)
        return;
    /* The display is not terminated: EGL hands out the same display for these arguments for
     * the whole process (initialising it again is free), and Mesa's eglTerminate leaks its
     * driver state after unloading the driver, which LeakSanitizer would report as leaks from
     * an unknown module that no suppression can name. */
    if (h->display != EGL_NO_DISPLAY) {
        eglMakeCurrent(h->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (h->context != EGL_NO_CONTEXT)
            eglDestroyContext(h->display, h->context);
    }
    eglReleaseThread();
    free(h);
}

static reel_status run_frames(const reel_app *app, const reel_screenshot_desc *desc,
                              reel_renderer *renderer, int32_t width, int32_t height, uint8_t *rgba,
                              reel_error *err)
{
    if (app->init)
        REEL_TRY(app->init(app->ctx, renderer, err));
    uint32_t n_frames = desc->n_frames ? desc->n_frames : 1;
    double seconds_per_frame = desc->seconds_per_frame > 0 ? desc->seconds_per_frame : 1.0 / 60;
    reel_input *input = malloc(sizeof(*input));
    if (!input)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "platform: input");
    reel_status status = REEL_OK;
    for (uint32_t i = 0; i < n_frames && status == REEL_OK; i++) {
        if (desc->inputs && i < desc->n_inputs)
            *input = desc->inputs[i];
        else
            memset(input, 0, sizeof(*input));
        input->width = width;
        input->height = height;
        input->pixels_per_point = desc->pixels_per_point > 0 ? desc->pixels_per_point : 1.0f;
        input->time_secs = (double)i * seconds_per_frame;
        reel_draw_frame frame = {0};
        bool keep_running = app->frame(app->ctx, input, &frame);
        frame.width = width;
        frame.height = height;
        status = reel_render_frame(renderer, &frame, err);
        if (status == REEL_OK && app->rendered)
            app->rendered(app->ctx, renderer, &frame);
        if (status == REEL_OK && (i + 1 == n_frames || !keep_running)) {
            status = reel_render_read_pixels(renderer, width, height, rgba, err);
            break;
        }
    }
    free(input);
    if (app->shutdown)
        app->shutdown(app->ctx);
    return status;
}

reel_status reel_platform_screenshot(const reel_app *app, const reel_screenshot_desc *desc,
                                     reel_error *err)
{
    if (!app || !app->frame || !desc)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "platform: screenshot without an app");
    int32_t width = desc->width > 0 ? desc->width : 960;
    int32_t height = desc->height > 0 ? desc->height : 540;
    uint8_t *rgba = desc->rgba ? desc->rgba : malloc((size_t)width * height * 4);
    if (!rgba)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "platform: %dx%d screenshot", width, height);
    reel_platform_headless *headless = NULL;
    reel_renderer *renderer = NULL;
    reel_status status = reel_platform_headless_create(&headless, err);
    if (status == REEL_OK)
        status = reel_renderer_create(&(reel_renderer_desc){.offscreen = true}, &renderer, err);
    if (status == REEL_OK)
        status = run_frames(app, desc, renderer, width, height, rgba, err);
    if (status == REEL_OK && desc->png_path)
        status = reel_platform_write_png(desc->png_path, rgba, width, height, err);
    reel_renderer_destroy(renderer);
    reel_platform_headless_destroy(headless);
    if (rgba != desc->rgba)
        free(rgba);
    return status;
}
#endif
