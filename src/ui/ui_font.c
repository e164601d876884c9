/* Text for the UI: bakes the embedded DejaVu Sans / Sans Mono subsets with stb_truetype
 * (compiled here, static, so no other module's copy can clash) into one R8 atlas holding
 * every UI font size at the current pixels-per-point, plus a white block for solid fills.
 * The atlas grows from 512² until stbtt_PackFontRanges packs every glyph (it silently
 * drops glyphs that do not fit otherwise), and is baked again when the scale changes. */
#include "ui/ui_font.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui_theme.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#endif
#define STBRP_STATIC
#define STB_RECT_PACK_IMPLEMENTATION
#include "stb_rect_pack.h"
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include "stb_truetype.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* Generated from assets/fonts by cmake/embed_file.cmake. */
extern const unsigned char reel_font_dejavusans_ttf[];
extern const unsigned int reel_font_dejavusans_ttf_len;
extern const unsigned char reel_font_dejavusansmono_ttf[];
extern const unsigned int reel_font_dejavusansmono_ttf_len;

/* Codepoints beyond Latin-1 in the subsets (sorted; assets/fonts/README.md lists them). */
static const int extra_codepoints[] = {
    0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201B, 0x201C, 0x201D, 0x2022, 0x2026, 0x2039,
    0x203A, 0x2190, 0x2191, 0x2192, 0x2193, 0x21BB, 0x2212, 0x22EF, 0x25A0, 0x25B2, 0x25B6,
    0x25B8, 0x25BC, 0x25BE, 0x25C0, 0x25CB, 0x25CF, 0x2713, 0x2715, 0xFFFD,
};
#define N_EXTRA ((int)(sizeof extra_codepoints / sizeof extra_codepoints[0]))
#define N_ASCII 95  /* 32..126 */
#define N_LATIN1 96 /* 160..255 */
#define N_GLYPHS (N_ASCII + N_LATIN1 + N_EXTRA)
#define WHITE_ROWS 4 /* fully covered rows at the bottom of the atlas */
#define ELLIPSIS 0x2026

typedef struct font_size {
    stbtt_packedchar glyphs[N_GLYPHS];
    float ascent, line_height; /* pixels */
} font_size;

struct reel__fonts {
    stbtt_fontinfo sans, mono;
    bool loaded;
    float pixels_per_point; /* of the baked atlas; 0 = none */
    font_size sizes[REEL_UI_FONT_COUNT];
    uint8_t *pixels;
    size_t pixels_size;
    reel_draw_atlas atlas;
};

reel__fonts *reel__fonts_create(void)
{
    reel__fonts *fonts = reel_alloc_zeroed(NULL, sizeof *fonts);
    if (!fonts)
        return NULL;
    fonts->loaded = stbtt_InitFont(&fonts->sans, reel_font_dejavusans_ttf,
                                   stbtt_GetFontOffsetForIndex(reel_font_dejavusans_ttf, 0)) &&
                    stbtt_InitFont(&fonts->mono, reel_font_dejavusansmono_ttf,
                                   stbtt_GetFontOffsetForIndex(reel_font_dejavusansmono_ttf, 0));
    return fonts;
}

void reel__fonts_destroy(reel__fonts *fonts)
{
    if (!fonts)
        return;
    reel_free(NULL, fonts->pixels, fonts->pixels_size);
    reel_free(NULL, fonts, sizeof *fonts);
}

static void font_points(reel_ui_font font, float *size_pt, float *line_pt)
{
    switch (font) {
    case REEL_UI_FONT_HEADING:
        *size_pt = REEL_THEME_FONT_HEADING_PT, *line_pt = REEL_THEME_LINE_HEADING_PT;
        return;
    case REEL_UI_FONT_SMALL:
        *size_pt = REEL_THEME_FONT_SMALL_PT, *line_pt = REEL_THEME_LINE_SMALL_PT;
        return;
    case REEL_UI_FONT_MONO:
        *size_pt = REEL_THEME_FONT_MONO_PT, *line_pt = REEL_THEME_LINE_BODY_PT;
        return;
    default:
        *size_pt = REEL_THEME_FONT_BODY_PT, *line_pt = REEL_THEME_LINE_BODY_PT;
        return;
    }
}

/* Packs every size into a width x width atlas; false when some glyph did not fit. */
static bool pack_all(reel__fonts *fonts, int width, float pixels_per_point)
{
    size_t size = (size_t)width * (size_t)width;
    uint8_t *pixels = reel_alloc_zeroed(NULL, size);
    if (!pixels)
        return false;
    stbtt_pack_context pack;
    /* The bottom rows are kept out of the packer for the white texel. */
    if (!stbtt_PackBegin(&pack, pixels, width, width - WHITE_ROWS, width, 1, NULL)) {
        reel_free(NULL, pixels, size);
        return false;
    }
    /* Horizontal oversampling gives sharp text at fractional x; at 2x and above the pixels
     * are small enough without it. */
    unsigned oversample = pixels_per_point < 1.75f ? 2 : 1;
    stbtt_PackSetOversampling(&pack, oversample, 1);
    bool ok = true;
    for (int font = 0; font < REEL_UI_FONT_COUNT && ok; font++) {
        float size_pt, line_pt;
        font_points((reel_ui_font)font, &size_pt, &line_pt);
        font_size *baked = &fonts->sizes[font];
        const unsigned char *data =
            font == REEL_UI_FONT_MONO ? reel_font_dejavusansmono_ttf : reel_font_dejavusans_ttf;
        float pixel_size = size_pt * pixels_per_point;
        stbtt_pack_range ranges[3] = {
            {.font_size = STBTT_POINT_SIZE(pixel_size),
             .first_unicode_codepoint_in_range = 32,
             .num_chars = N_ASCII,
             .chardata_for_range = baked->glyphs},
            {.font_size = STBTT_POINT_SIZE(pixel_size),
             .first_unicode_codepoint_in_range = 160,
             .num_chars = N_LATIN1,
             .chardata_for_range = baked->glyphs + N_ASCII},
            {.font_size = STBTT_POINT_SIZE(pixel_size),
             .array_of_unicode_codepoints = (int *)extra_codepoints,
             .num_chars = N_EXTRA,
             .chardata_for_range = baked->glyphs + N_ASCII + N_LATIN1},
        };
        ok = stbtt_PackFontRanges(&pack, data, 0, ranges, 3) != 0;
        const stbtt_fontinfo *info = font == REEL_UI_FONT_MONO ? &fonts->mono : &fonts->sans;
        int ascent, descent, line_gap;
        stbtt_GetFontVMetrics(info, &ascent, &descent, &line_gap);
        float scale = stbtt_ScaleForMappingEmToPixels(info, pixel_size);
        float text_height = (float)(ascent - descent) * scale;
        baked->line_height = roundf(line_pt * pixels_per_point);
        /* Centre the font's ascent..descent box in the line box, baseline on a pixel. */
        baked->ascent = roundf((baked->line_height - text_height) * 0.5f + (float)ascent * scale);
    }
    stbtt_PackEnd(&pack);
    if (!ok) {
        reel_free(NULL, pixels, size);
        return false;
    }
    memset(pixels + (size_t)(width - WHITE_ROWS) * (size_t)width, 0xff,
           (size_t)WHITE_ROWS * (size_t)width);
    reel_free(NULL, fonts->pixels, fonts->pixels_size);
    fonts->pixels = pixels;
    fonts->pixels_size = size;
    fonts->atlas.pixels = pixels;
    fonts->atlas.width = width;
    fonts->atlas.height = width;
    fonts->atlas.version++;
    fonts->atlas.white_u = 2.5f / (float)width;
    fonts->atlas.white_v = ((float)width - WHITE_ROWS * 0.5f) / (float)width;
    return true;
}

bool reel__fonts_set_scale(reel__fonts *fonts, float pixels_per_point)
{
    if (!fonts || !fonts->loaded)
        return false;
    if (!(pixels_per_point > 0.25f) || !(pixels_per_point < 8.0f))
        pixels_per_point = pixels_per_point >= 8.0f ? 8.0f : 1.0f;
    if (fonts->pixels_per_point == pixels_per_point && fonts->pixels)
        return true;
    for (int width = 512; width <= 8192; width *= 2) {
        if (pack_all(fonts, width, pixels_per_point)) {
            fonts->pixels_per_point = pixels_per_point;
            return true;
        }
    }
    return false;
}

const reel_draw_atlas *reel__fonts_atlas(const reel__fonts *fonts)
{
    return &fonts->atlas;
}

float reel__fonts_line_height(const reel__fonts *fonts, reel_ui_font font)
{
    if ((unsigned)font >= REEL_UI_FONT_COUNT)
        font = REEL_UI_FONT_BODY;
    return fonts->pixels ? fonts->sizes[font].line_height : 16.0f;
}

uint32_t reel__utf8_next(const char *text, size_t len, size_t *at)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *at;
    unsigned char c = s[i];
    if (c < 0x80) {
        *at = i + 1;
        return c;
    }
    int extra = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    if (extra < 0) {
        *at = i + 1;
        return 0xFFFD;
    }
    uint32_t codepoint = c & (0x3f >> extra);
    for (int k = 1; k <= extra; k++) {
        if (i + (size_t)k >= len || (s[i + (size_t)k] & 0xc0) != 0x80) {
            *at = i + (size_t)k;
            return 0xFFFD;
        }
        codepoint = codepoint << 6 | (s[i + (size_t)k] & 0x3f);
    }
    *at = i + (size_t)extra + 1;
    return codepoint;
}

static const stbtt_packedchar *glyph_for(const font_size *size, uint32_t codepoint)
{
    if (codepoint >= 32 && codepoint <= 126)
        return &size->glyphs[codepoint - 32];
    if (codepoint >= 160 && codepoint <= 255)
        return &size->glyphs[N_ASCII + codepoint - 160];
    int low = 0, high = N_EXTRA - 1;
    while (low <= high) {
        int middle = (low + high) / 2;
        if (extra_codepoints[middle] == (int)codepoint)
            return &size->glyphs[N_ASCII + N_LATIN1 + middle];
        if (extra_codepoints[middle] < (int)codepoint)
            low = middle + 1;
        else
            high = middle - 1;
    }
    if (codepoint == '\t')
        return &size->glyphs[0]; /* a space */
    return &size->glyphs['?' - 32];
}

static const font_size *size_of(const reel__fonts *fonts, reel_ui_font font)
{
    if ((unsigned)font >= REEL_UI_FONT_COUNT)
        font = REEL_UI_FONT_BODY;
    return fonts->pixels ? &fonts->sizes[font] : NULL;
}

float reel__fonts_width(const reel__fonts *fonts, reel_ui_font font, const char *text, size_t len)
{
    const font_size *size = size_of(fonts, font);
    if (!size || !text)
        return 0;
    float width = 0;
    for (size_t at = 0; at < len;)
        width += glyph_for(size, reel__utf8_next(text, len, &at))->xadvance;
    return width;
}

size_t reel__fonts_fit(const reel__fonts *fonts, reel_ui_font font, const char *text, size_t len,
                       float max_width)
{
    const font_size *size = size_of(fonts, font);
    if (!size || !text)
        return 0;
    if (reel__fonts_width(fonts, font, text, len) <= max_width)
        return len;
    float budget = max_width - glyph_for(size, ELLIPSIS)->xadvance, width = 0;
    size_t fits = 0;
    for (size_t at = 0; at < len;) {
        width += glyph_for(size, reel__utf8_next(text, len, &at))->xadvance;
        if (width > budget)
            break;
        fits = at;
    }
    return fits;
}

size_t reel__fonts_offset_at(const reel__fonts *fonts, reel_ui_font font, const char *text,
                             size_t len, float x)
{
    const font_size *size = size_of(fonts, font);
    if (!size || !text)
        return 0;
    float pen = 0;
    for (size_t at = 0; at < len;) {
        size_t start = at;
        float advance = glyph_for(size, reel__utf8_next(text, len, &at))->xadvance;
        if (x < pen + advance * 0.5f)
            return start;
        pen += advance;
    }
    return len;
}

static float draw_glyph(const reel__fonts *fonts, reel_draw_list *list, const font_size *size,
                        uint32_t codepoint, float pen_x, float baseline, uint32_t rgba,
                        const float clip[4])
{
    const stbtt_packedchar *glyph = glyph_for(size, codepoint);
    if (codepoint != ' ' && glyph->x1 > glyph->x0) {
        stbtt_aligned_quad q;
        float x = pen_x, y = baseline;
        stbtt_GetPackedQuad((const stbtt_packedchar *)glyph, fonts->atlas.width,
                            fonts->atlas.height, 0, &x, &y, &q, 0);
        /* stbtt_GetPackedQuad takes an index into its array; glyph is that element. */
        bool outside = q.x1 < clip[0] || q.y1 < clip[1] || q.x0 > clip[2] || q.y0 > clip[3];
        uint32_t *indices, base;
        reel_draw_vertex *v =
            outside ? NULL : reel_draw_reserve(list, REEL_DRAW_ATLAS, 4, 6, &indices, &base);
        if (v) {
            v[0] = (reel_draw_vertex){q.x0, q.y0, q.s0, q.t0, rgba};
            v[1] = (reel_draw_vertex){q.x1, q.y0, q.s1, q.t0, rgba};
            v[2] = (reel_draw_vertex){q.x1, q.y1, q.s1, q.t1, rgba};
            v[3] = (reel_draw_vertex){q.x0, q.y1, q.s0, q.t1, rgba};
            const uint32_t quad[6] = {0, 1, 2, 0, 2, 3};
            for (int i = 0; i < 6; i++)
                indices[i] = base + quad[i];
        }
    }
    return glyph->xadvance;
}

float reel__fonts_draw(const reel__fonts *fonts, reel_draw_list *list, reel_ui_font font, float x,
                       float y, const char *text, size_t len, uint32_t rgba, float max_width)
{
    const font_size *size = size_of(fonts, font);
    if (!size || !text || len == 0 || (rgba >> 24) == 0)
        return 0;
    static const float unbounded[4] = {-1e30f, -1e30f, 1e30f, 1e30f};
    int32_t depth = list->clip_depth > 32 ? 32 : list->clip_depth;
    const float *clip = depth > 0 ? list->clip_stack[depth - 1] : unbounded;
    float baseline = roundf(y) + size->ascent;
    if (baseline - size->ascent > clip[3] || baseline - size->ascent + size->line_height < clip[1])
        return reel__fonts_width(fonts, font, text, len); /* the whole line is clipped away */
    size_t shown = len;
    bool elide = false;
    if (max_width > 0 && reel__fonts_width(fonts, font, text, len) > max_width) {
        shown = reel__fonts_fit(fonts, font, text, len, max_width);
        elide = true;
    }
    float pen = x;
    for (size_t at = 0; at < shown;)
        pen += draw_glyph(fonts, list, size, reel__utf8_next(text, shown, &at), pen, baseline, rgba,
                          clip);
    if (elide)
        pen += draw_glyph(fonts, list, size, ELLIPSIS, pen, baseline, rgba, clip);
    return pen - x;
}
