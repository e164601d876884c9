/* EncodedImage decoding (PNG and JPEG) with stb_image, compiled static into this file only
 * (no stdio: it reads from memory, so the same code builds for the browser). */
#include "views/views_internal.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
/* stb declares a few static functions it never defines in this configuration; the warning
 * comes at the end of the file, after any pop, so it stays off here. */
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#include "stb_image.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#pragma GCC diagnostic ignored "-Wunused-function"
#endif

bool view_decode_info(const uint8_t *data, size_t len, int *width, int *height)
{
    int comp = 0;
    if (len == 0 || len > INT32_MAX)
        return false;
    return stbi_info_from_memory(data, (int)len, width, height, &comp) && *width > 0 && *height > 0;
}

bool view_decode_rgba(const uint8_t *data, size_t len, int width, int height, uint8_t *out)
{
    int w = 0, h = 0, comp = 0;
    if (len == 0 || len > INT32_MAX)
        return false;
    stbi_uc *decoded = stbi_load_from_memory(data, (int)len, &w, &h, &comp, 4);
    if (decoded == NULL)
        return false;
    bool ok = w == width && h == height;
    if (ok)
        memcpy(out, decoded, (size_t)w * (size_t)h * 4);
    stbi_image_free(decoded);
    return ok;
}
