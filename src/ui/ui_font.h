/* Fonts inside the ui module: the embedded DejaVu subsets baked by stb_truetype into one
 * coverage atlas at the current pixels-per-point, glyph lookup, measuring and drawing runs
 * of UTF-8 text into a draw list. Internal to src/ui (ui.h exposes text through the
 * context). */
#ifndef REEL_UI_FONT_H
#define REEL_UI_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw/draw.h"
#include "ui/ui.h"

typedef struct reel__fonts reel__fonts;

reel__fonts *reel__fonts_create(void);
void reel__fonts_destroy(reel__fonts *fonts);
/* Bakes the atlas for this scale unless it already is (version bumps on every bake).
 * False when baking failed: text is then skipped, nothing crashes. */
bool reel__fonts_set_scale(reel__fonts *fonts, float pixels_per_point);
const reel_draw_atlas *reel__fonts_atlas(const reel__fonts *fonts);
float reel__fonts_line_height(const reel__fonts *fonts, reel_ui_font font);
float reel__fonts_width(const reel__fonts *fonts, reel_ui_font font, const char *text, size_t len);
/* Bytes of text whose width plus the ellipsis' fits max_width (len when the whole fits). */
size_t reel__fonts_fit(const reel__fonts *fonts, reel_ui_font font, const char *text, size_t len,
                       float max_width);
/* Byte offset of the character boundary nearest to x pixels from the text's start. */
size_t reel__fonts_offset_at(const reel__fonts *fonts, reel_ui_font font, const char *text,
                             size_t len, float x);
/* Draws the line box at (x, y); glyphs wholly outside the list's clip are skipped. Returns
 * the advance. With elide and a width over max_width, ends with "…" inside max_width. */
float reel__fonts_draw(const reel__fonts *fonts, reel_draw_list *list, reel_ui_font font, float x,
                       float y, const char *text, size_t len, uint32_t rgba, float max_width);

/* Next codepoint of UTF-8 text at *at (advanced); U+FFFD for bad bytes. */
uint32_t reel__utf8_next(const char *text, size_t len, size_t *at);

#endif
