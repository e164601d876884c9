/* Images for the spatial views: reading Image / DepthImage / SegmentationImage /
 * EncodedImage at the cursor, raw pixel values for hover, and the texture each is shown as.
 * RGBA8 images go to the renderer zero-copy (the chunk's own buffer) and L8 as R8; every
 * other image is converted once per content key into a small cache owned by the view state
 * (BGR(A)/RGB to RGBA, u16/float normalised with Rerun's range heuristic, depth through a
 * colormap, segmentation through annotation colours, PNG/JPEG decoded with stb_image), so an
 * unchanged image costs nothing per frame. YUV pixel formats are not shown (yet). */
#include "views/views_internal.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- texture cache */

#define CACHE_ENTRIES 16

typedef struct cache_entry {
    uint64_t key;
    uint8_t *pixels;
    size_t size;
    uint64_t frame;
} cache_entry;

struct reel_view_texture_cache {
    cache_entry entries[CACHE_ENTRIES];
    uint64_t frame;
};

void view_texture_cache_free(reel_view_texture_cache *cache)
{
    if (cache == NULL)
        return;
    for (int i = 0; i < CACHE_ENTRIES; i++)
        reel_free(NULL, cache->entries[i].pixels, cache->entries[i].size);
    reel_free(NULL, cache, sizeof *cache);
}

void view_texture_cache_frame(reel_view_texture_cache *cache)
{
    if (cache)
        cache->frame++;
}

/* The cached pixels for `key` (*hit) or a fresh buffer of `size` bytes to fill; NULL when
 * every entry is in use this frame or memory ran out (the caller uses the arena then). */
static uint8_t *cache_get(reel_view_texture_cache **cache_ptr, uint64_t key, size_t size, bool *hit)
{
    *hit = false;
    if (*cache_ptr == NULL) {
        *cache_ptr = reel_alloc_zeroed(NULL, sizeof **cache_ptr);
        if (*cache_ptr == NULL)
            return NULL;
        (*cache_ptr)->frame = 1;
    }
    reel_view_texture_cache *cache = *cache_ptr;
    cache_entry *victim = NULL;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        cache_entry *e = &cache->entries[i];
        if (e->pixels && e->key == key && e->size == size) {
            e->frame = cache->frame;
            *hit = true;
            return e->pixels;
        }
        if (e->frame != cache->frame && (victim == NULL || e->frame < victim->frame))
            victim = e;
    }
    if (victim == NULL)
        return NULL;
    if (victim->size != size) {
        reel_free(NULL, victim->pixels, victim->size);
        victim->pixels = reel_alloc(NULL, size);
        victim->size = victim->pixels ? size : 0;
        if (victim->pixels == NULL)
            return NULL;
    }
    victim->key = key; /* the caller fills the pixels now (or calls cache_forget) */
    victim->frame = cache->frame;
    return victim->pixels;
}

/* Drops `key` (its pixels could not be made), so a later frame tries again. */
static void cache_forget(reel_view_texture_cache *cache, uint64_t key)
{
    for (int i = 0; cache && i < CACHE_ENTRIES; i++)
        if (cache->entries[i].key == key)
            cache->entries[i].key = 0, cache->entries[i].frame = 0;
}

/* ---------------------------------------------------------------- reading */

static int32_t bytes_per_channel(uint32_t datatype)
{
    switch (datatype) {
    case REEL_ChannelDatatype_U8:
    case REEL_ChannelDatatype_I8:
        return 1;
    case REEL_ChannelDatatype_U16:
    case REEL_ChannelDatatype_I16:
    case REEL_ChannelDatatype_F16:
        return 2;
    case REEL_ChannelDatatype_U32:
    case REEL_ChannelDatatype_I32:
    case REEL_ChannelDatatype_F32:
        return 4;
    case REEL_ChannelDatatype_U64:
    case REEL_ChannelDatatype_I64:
    case REEL_ChannelDatatype_F64:
        return 8;
    default:
        return 0;
    }
}

static int32_t channels_of(uint32_t model)
{
    switch (model) {
    case REEL_ColorModel_RGB:
    case REEL_ColorModel_BGR:
        return 3;
    case REEL_ColorModel_RGBA:
    case REEL_ColorModel_BGRA:
        return 4;
    default:
        return 1;
    }
}

static int32_t struct_child(const reel_arrow_field *f, const char *name)
{
    for (int32_t i = 0; i < f->n_children; i++)
        if (f->children[i].name && strcmp(f->children[i].name, name) == 0)
            return i;
    return -1;
}

static uint64_t struct_uint(const view_cell *c, const char *name, uint64_t fallback)
{
    int32_t i = struct_child(c->field, name);
    if (i < 0 || c->array->n_children <= i)
        return fallback;
    const reel_arrow_field *f = &c->field->children[i];
    int64_t k = c->array->offset + c->start;
    if (f->type < REEL_ARROW_UINT8 || f->type > REEL_ARROW_UINT64 ||
        reel_arrow_array_is_null(f, &c->array->children[i], k))
        return fallback;
    return reel_arrow_array_get_uint(f, &c->array->children[i], k);
}

static const char *const PREFIX[] = {"Image", "DepthImage", "SegmentationImage", "EncodedImage"};

static uint64_t cell_key(const view_cell *c)
{
    uint64_t parts[4] = {c->chunk ? c->chunk->id.time_ns : 0, c->chunk ? c->chunk->id.inc : 0,
                         (uint64_t)c->row, c->component};
    uint64_t key = reel_hash_bytes(parts, sizeof parts, 0x1ea1);
    return key ? key : 1;
}

static float arch_f32(view_ctx *ctx, uint32_t entity, const char *archetype, const char *field,
                      float fallback)
{
    view_cell cell;
    uint32_t n = 0;
    const float *v =
        view_query_arch(ctx, entity, archetype, field, &cell) ? view_cell_f32(&cell, 1, &n) : NULL;
    return v && n && isfinite(v[0]) ? v[0] : fallback;
}

bool view_image_read(view_ctx *ctx, uint32_t entity, view_image_kind kind, view_image *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->opacity = 1;
    const char *prefix = PREFIX[kind];
    view_cell buffer;
    if (!view_query_arch(ctx, entity, prefix, kind == VIEW_IMAGE_ENCODED ? "blob" : "buffer",
                         &buffer))
        return false;
    reel_span bytes;
    if (!view_cell_bytes(&buffer, 0, &bytes))
        return false;
    out->data = bytes.data;
    out->len = bytes.len;
    out->key = cell_key(&buffer);
    static const float DEFAULT_ORDER[] = {-10, -20, 0, -10};
    out->draw_order = arch_f32(ctx, entity, prefix, "draw_order", DEFAULT_ORDER[kind]);
    if (kind != VIEW_IMAGE_DEPTH)
        out->opacity = arch_f32(ctx, entity, prefix, "opacity", -1); /* -1: view default */
    if (kind == VIEW_IMAGE_ENCODED) {
        view_cell media;
        reel_span mt;
        if (view_query(ctx, entity, "EncodedImage:media_type", &media) &&
            view_cell_string(&media, 0, &mt)) {
            out->media_type = (const char *)mt.data;
            out->media_type_len = mt.len;
        }
        int w = 0, h = 0;
        if (!view_decode_info(bytes.data, bytes.len, &w, &h) || w <= 0 || h <= 0)
            return false;
        out->width = w, out->height = h;
        out->channels = 4;
        out->color_model = REEL_ColorModel_RGBA;
        out->datatype = REEL_ChannelDatatype_U8;
        return true;
    }
    view_cell format;
    if (!view_query_arch(ctx, entity, prefix, "format", &format) ||
        format.field->type != REEL_ARROW_STRUCT)
        return false;
    uint64_t w = struct_uint(&format, "width", 0), h = struct_uint(&format, "height", 0);
    if (struct_uint(&format, "pixel_format", 0) != 0)
        return false; /* YUV / Bayer: not decoded */
    out->color_model = (uint32_t)struct_uint(&format, "color_model", REEL_ColorModel_L);
    out->datatype = (uint32_t)struct_uint(&format, "channel_datatype", REEL_ChannelDatatype_U8);
    if (kind != VIEW_IMAGE_COLOR)
        out->color_model = REEL_ColorModel_L;
    out->channels = channels_of(out->color_model);
    int32_t bpc = bytes_per_channel(out->datatype);
    if (w == 0 || h == 0 || w > (1u << 16) || h > (1u << 16) || bpc == 0)
        return false;
    if ((uint64_t)w * h * (uint64_t)out->channels * (uint64_t)bpc > bytes.len)
        return false;
    out->width = (int32_t)w, out->height = (int32_t)h;
    if (kind == VIEW_IMAGE_DEPTH) {
        bool is_float = out->datatype == REEL_ChannelDatatype_F16 ||
                        out->datatype == REEL_ChannelDatatype_F32 ||
                        out->datatype == REEL_ChannelDatatype_F64;
        out->meter = view_query_f32(ctx, entity, "DepthImage:meter", is_float ? 1.0f : 1000.0f);
        out->colormap = view_query_u8(ctx, entity, "DepthImage:colormap", REEL_Colormap_Turbo);
        view_cell range;
        uint32_t n = 0;
        const double *r = view_query(ctx, entity, "DepthImage:depth_range", &range)
                              ? view_cell_f64(&range, 2, &n)
                              : NULL;
        if (r && n > 0 && isfinite(r[0]) && isfinite(r[1]) && r[1] > r[0]) {
            out->has_range = true;
            out->range[0] = r[0], out->range[1] = r[1];
        }
    }
    return true;
}

double view_image_value(const view_image *img, int32_t x, int32_t y, int32_t ch)
{
    if (x < 0 || y < 0 || x >= img->width || y >= img->height || ch < 0 || ch >= img->channels)
        return NAN;
    if (img->kind == VIEW_IMAGE_ENCODED)
        return NAN; /* decoded pixels live in the texture only */
    size_t i = ((size_t)y * (size_t)img->width + (size_t)x) * (size_t)img->channels + (size_t)ch;
    const uint8_t *p = img->data + i * (size_t)bytes_per_channel(img->datatype);
    switch (img->datatype) {
    case REEL_ChannelDatatype_U8:
        return p[0];
    case REEL_ChannelDatatype_I8:
        return (int8_t)p[0];
    case REEL_ChannelDatatype_U16: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case REEL_ChannelDatatype_I16: {
        int16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case REEL_ChannelDatatype_F16: {
        uint16_t v;
        memcpy(&v, p, 2);
        return reel_arrow_half_to_float(v);
    }
    case REEL_ChannelDatatype_U32: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    case REEL_ChannelDatatype_I32: {
        int32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    case REEL_ChannelDatatype_F32: {
        float v;
        memcpy(&v, p, 4);
        return v;
    }
    case REEL_ChannelDatatype_U64: {
        uint64_t v;
        memcpy(&v, p, 8);
        return (double)v;
    }
    case REEL_ChannelDatatype_I64: {
        int64_t v;
        memcpy(&v, p, 8);
        return (double)v;
    }
    case REEL_ChannelDatatype_F64: {
        double v;
        memcpy(&v, p, 8);
        return v;
    }
    default:
        return NAN;
    }
}

/* ---------------------------------------------------------------- conversion */

static uint8_t to_u8(double v, double lo, double hi)
{
    if (!(v == v))
        return 0;
    double t = (v - lo) / (hi - lo);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return (uint8_t)lround(t * 255.0);
}

/* Rerun's data_range_heuristic over the finite values of every channel. */
static void color_range(const view_image *img, double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY;
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++)
        for (int32_t ch = 0; ch < img->channels; ch++) {
            double v = view_image_value(img, (int32_t)(i % (size_t)img->width),
                                        (int32_t)(i / (size_t)img->width), ch);
            if (isfinite(v)) {
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
        }
    bool is_float = img->datatype >= REEL_ChannelDatatype_F16;
    if (!(mn <= mx)) {
        *lo = 0, *hi = 1;
    } else if (is_float && mn >= 0 && mx <= 1) {
        *lo = 0, *hi = 1;
    } else if (mn >= 0 && mx <= 255) {
        *lo = 0, *hi = 255;
    } else if (mn == mx) {
        *lo = mn - 1, *hi = mx + 1;
    } else {
        *lo = mn, *hi = mx;
    }
}

static void convert_color(const view_image *img, uint8_t *rgba)
{
    size_t n = (size_t)img->width * (size_t)img->height;
    bool bgr = img->color_model == REEL_ColorModel_BGR || img->color_model == REEL_ColorModel_BGRA;
    if (img->datatype == REEL_ChannelDatatype_U8) {
        const uint8_t *src = img->data;
        int32_t c = img->channels;
        for (size_t i = 0; i < n; i++, src += c, rgba += 4) {
            if (c == 1) {
                rgba[0] = rgba[1] = rgba[2] = src[0];
                rgba[3] = 255;
                continue;
            }
            rgba[0] = src[bgr ? 2 : 0];
            rgba[1] = src[1];
            rgba[2] = src[bgr ? 0 : 2];
            rgba[3] = c == 4 ? src[3] : 255;
        }
        return;
    }
    double lo, hi;
    color_range(img, &lo, &hi);
    for (size_t i = 0; i < n; i++, rgba += 4) {
        int32_t x = (int32_t)(i % (size_t)img->width), y = (int32_t)(i / (size_t)img->width);
        uint8_t ch[4] = {0, 0, 0, 255};
        for (int32_t c = 0; c < img->channels && c < 4; c++)
            ch[c] = to_u8(view_image_value(img, x, y, c), lo, hi);
        if (img->channels == 1)
            ch[1] = ch[2] = ch[0];
        rgba[0] = ch[bgr ? 2 : 0];
        rgba[1] = ch[1];
        rgba[2] = ch[bgr ? 0 : 2];
        rgba[3] = ch[3];
    }
}

static void depth_range(const view_image *img, double *lo, double *hi)
{
    if (img->has_range) {
        *lo = img->range[0], *hi = img->range[1];
        return;
    }
    double mx = 0;
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) {
        double v = view_image_value(img, (int32_t)(i % (size_t)img->width),
                                    (int32_t)(i / (size_t)img->width), 0);
        if (isfinite(v) && v > mx)
            mx = v;
    }
    *lo = 0;
    *hi = mx > 0 ? mx : 1;
}

static void write_rgba(uint8_t *p, uint32_t color)
{
    p[0] = (uint8_t)color, p[1] = (uint8_t)(color >> 8), p[2] = (uint8_t)(color >> 16);
    p[3] = (uint8_t)(color >> 24);
}

static void convert_depth(const view_image *img, uint8_t *rgba)
{
    double lo, hi;
    depth_range(img, &lo, &hi);
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) {
        double v = view_image_value(img, (int32_t)(i % (size_t)img->width),
                                    (int32_t)(i / (size_t)img->width), 0);
        uint32_t color =
            isfinite(v) ? reel_view_colormap(img->colormap, (float)((v - lo) / (hi - lo))) : 0;
        write_rgba(rgba + i * 4, color);
    }
}

static void convert_segmentation(view_ctx *ctx, const view_image *img, uint32_t entity,
                                 uint8_t *rgba)
{
    view_annotations ann;
    view_annotations_find(ctx, entity, &ann);
    uint32_t table[256];
    for (uint32_t id = 0; id < 256; id++) {
        const view_class *c = view_annotations_lookup(&ann, (uint16_t)id);
        table[id] = c && c->has_color ? c->color : reel_view_auto_color_index(id);
    }
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) {
        double v = view_image_value(img, (int32_t)(i % (size_t)img->width),
                                    (int32_t)(i / (size_t)img->width), 0);
        uint32_t color = 0;
        if (isfinite(v) && v >= 0 && v <= 65535) {
            uint32_t id = (uint32_t)lround(v);
            if (id < 256) {
                color = table[id];
            } else {
                const view_class *c = view_annotations_lookup(&ann, (uint16_t)id);
                color = c && c->has_color ? c->color : reel_view_auto_color_index(id);
            }
        }
        write_rgba(rgba + i * 4, color);
    }
}

static uint64_t segmentation_context_key(view_ctx *ctx, uint32_t entity)
{
    uint32_t component = reel_store_component_find(ctx->store, "AnnotationContext:context");
    for (uint32_t e = entity; e != REEL_STORE_NO_ID; e = reel_store_entity_parent(ctx->store, e)) {
        view_cell cell;
        if (view_query_id(ctx, e, component, &cell))
            return cell_key(&cell);
    }
    return 0;
}

uint32_t view_push_texture(view_ctx *ctx, const reel_draw_texture *tex)
{
    reel_vec *textures = ctx->in->textures;
    if (textures == NULL || textures->elem_size != sizeof(reel_draw_texture))
        return UINT32_MAX;
    reel_draw_texture *all = textures->data;
    for (size_t i = 0; i < textures->len; i++)
        if (all[i].key == tex->key)
            return (uint32_t)i; /* two views showing one image share it */
    if (reel_vec_push(textures, tex) != REEL_OK)
        return UINT32_MAX;
    return (uint32_t)(textures->len - 1);
}

bool view_image_texture(view_ctx *ctx, reel_view_texture_cache **cache, const view_image *img,
                        uint32_t entity, reel_draw_texture *out)
{
    memset(out, 0, sizeof *out);
    out->width = img->width;
    out->height = img->height;
    out->nearest = true;
    out->format = REEL_DRAW_RGBA8;
    if (img->kind == VIEW_IMAGE_COLOR && img->datatype == REEL_ChannelDatatype_U8 &&
        (img->color_model == REEL_ColorModel_RGBA || img->color_model == REEL_ColorModel_L)) {
        out->key = img->key;
        out->pixels = img->data;
        out->format = img->color_model == REEL_ColorModel_L ? REEL_DRAW_R8 : REEL_DRAW_RGBA8;
        return true;
    }
    uint64_t parts[6] = {img->key, img->kind, img->colormap, 0, 0, 0};
    if (img->kind == VIEW_IMAGE_DEPTH && img->has_range)
        memcpy(&parts[3], img->range, 2 * sizeof(double));
    if (img->kind == VIEW_IMAGE_SEGMENTATION)
        parts[5] = segmentation_context_key(ctx, entity);
    uint64_t key = reel_hash_bytes(parts, sizeof parts, 0x7e87);
    out->key = key ? key : 1;
    size_t size = (size_t)img->width * (size_t)img->height * 4;
    bool hit = false;
    uint8_t *pixels = cache_get(cache, out->key, size, &hit);
    if (pixels == NULL)
        pixels = view_alloc(ctx, size, 1);
    if (pixels == NULL)
        return false;
    out->pixels = pixels;
    if (hit)
        return true;
    switch (img->kind) {
    case VIEW_IMAGE_COLOR:
        convert_color(img, pixels);
        break;
    case VIEW_IMAGE_DEPTH:
        convert_depth(img, pixels);
        break;
    case VIEW_IMAGE_SEGMENTATION:
        convert_segmentation(ctx, img, entity, pixels);
        break;
    case VIEW_IMAGE_ENCODED: {
        if (!view_decode_rgba(img->data, img->len, img->width, img->height, pixels)) {
            cache_forget(*cache, out->key);
            return false;
        }
        break;
    }
    }
    return true;
}
