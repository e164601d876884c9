/* Reference-image comparison for the viewer's screenshot tests (header-only; link
 * reel_viewer_lib for the PNG functions of src/platform). A test renders RGBA8 pixels and
 * compares them with a checked-in PNG with a per-channel tolerance and an allowed fraction of
 * differing pixels (llvmpipe versions may round a few edge pixels differently).
 *
 *     CHECK(screenshot_matches(rgba, w, h, REEL_SOURCE_DIR "/tests/render/golden/x.png", 8,
 * 0.002));
 *
 * REEL_UPDATE_GOLDEN=1 in the environment (re)writes the reference instead of comparing. On a
 * mismatch the rendered image is written next to the test binary as <name>.actual.png, and a
 * one-line reason is printed. */
#ifndef REEL_TESTS_SCREENSHOT_COMPARE_H
#define REEL_TESTS_SCREENSHOT_COMPARE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

static inline const char *screenshot__basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static inline void screenshot__write_actual(const uint8_t *rgba, int32_t width, int32_t height,
                                            const char *golden_path)
{
    char actual[512];
    snprintf(actual, sizeof(actual), "%s", screenshot__basename(golden_path));
    char *dot = strrchr(actual, '.');
    if (dot)
        *dot = '\0';
    strncat(actual, ".actual.png", sizeof(actual) - strlen(actual) - 1);
    reel_error err = {0};
    if (reel_platform_write_png(actual, rgba, width, height, &err) == REEL_OK)
        fprintf(stderr, "screenshot: wrote the rendered image to %s\n", actual);
}

/* Counts pixels where some channel differs by more than `tolerance`; true when there are at
 * most max_bad_fraction * width * height of them. */
static inline bool screenshot_matches(const uint8_t *rgba, int32_t width, int32_t height,
                                      const char *golden_path, int tolerance,
                                      double max_bad_fraction)
{
    reel_error err = {0};
    const char *update = getenv("REEL_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        if (reel_platform_write_png(golden_path, rgba, width, height, &err) != REEL_OK) {
            fprintf(stderr, "screenshot: %s\n", err.message);
            return false;
        }
        fprintf(stderr, "screenshot: updated %s\n", golden_path);
        return true;
    }
    uint8_t *golden = NULL;
    int32_t golden_width = 0, golden_height = 0;
    if (reel_platform_read_png(golden_path, &golden, &golden_width, &golden_height, &err) !=
        REEL_OK) {
        fprintf(stderr, "screenshot: %s (make it with REEL_UPDATE_GOLDEN=1)\n", err.message);
        screenshot__write_actual(rgba, width, height, golden_path);
        return false;
    }
    if (golden_width != width || golden_height != height) {
        fprintf(stderr, "screenshot: %s is %dx%d, the rendering %dx%d\n", golden_path, golden_width,
                golden_height, width, height);
        reel_platform_free_png(golden);
        screenshot__write_actual(rgba, width, height, golden_path);
        return false;
    }
    size_t bad = 0, total = (size_t)width * (size_t)height;
    int worst = 0;
    for (size_t i = 0; i < total; i++) {
        int pixel_worst = 0;
        for (int c = 0; c < 4; c++) {
            int diff = abs((int)rgba[i * 4 + c] - (int)golden[i * 4 + c]);
            if (diff > pixel_worst)
                pixel_worst = diff;
        }
        if (pixel_worst > worst)
            worst = pixel_worst;
        if (pixel_worst > tolerance)
            bad++;
    }
    reel_platform_free_png(golden);
    bool ok = (double)bad <= max_bad_fraction * (double)total;
    if (!ok) {
        fprintf(stderr,
                "screenshot: %s: %zu of %zu pixels differ by more than %d (worst %d); allowed "
                "%.4f%%\n",
                golden_path, bad, total, tolerance, worst, max_bad_fraction * 100.0);
        screenshot__write_actual(rgba, width, height, golden_path);
    }
    return ok;
}

#endif
