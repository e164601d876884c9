/* PNG reading and writing for screenshots and their tests: the stb_image / stb_image_write
 * implementations are compiled here (header-only, -I/usr/include/stb; never -lstb, which has
 * no wasm build). Native only: the browser build takes no screenshots. */
#ifndef __EMSCRIPTEN__
#include <stdlib.h>

#include "platform/platform.h"

#if defined(__GNUC__)
/* static stb functions this file does not call are reported at the end of the file */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#endif
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STB_IMAGE_STATIC
#include "stb_image.h"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include "stb_image_write.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

reel_status reel_platform_write_png(const char *path, const uint8_t *rgba, int32_t width,
                                    int32_t height, reel_error *err)
{
    if (!path || !rgba || width <= 0 || height <= 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "png: write of %dx%d pixels to %s", width,
                              height, path ? path : "(no path)");
    if (!stbi_write_png(path, width, height, 4, rgba, width * 4))
        return reel_error_set(err, REEL_IO, "%s: cannot write the PNG", path);
    return REEL_OK;
}

reel_status reel_platform_read_png(const char *path, uint8_t **rgba, int32_t *width,
                                   int32_t *height, reel_error *err)
{
    int w = 0, h = 0, channels = 0;
    *rgba = NULL;
    unsigned char *pixels = stbi_load(path, &w, &h, &channels, 4);
    if (!pixels)
        return reel_error_set(err, REEL_IO, "%s: cannot read the PNG (%s)", path,
                              stbi_failure_reason());
    *rgba = pixels;
    *width = w;
    *height = h;
    return REEL_OK;
}

void reel_platform_free_png(uint8_t *rgba)
{
    stbi_image_free(rgba);
}
#endif
