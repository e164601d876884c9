/* The texture cache: frame textures are kept by key across frames (uploaded only for a key
 * not held, freed after `evict_after_frames` frames unused), the font atlas is uploaded
 * again when its version changes, and a white texel stands in for anything missing. */
#include <string.h>

#include "render/render_internal.h"

static GLuint create_texture(GLint filter)
{
    GLuint id = 0;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return id;
}

static reel_status upload(const reel_draw_texture *texture, GLuint id, reel_error *err)
{
    if (texture->width <= 0 || texture->height <= 0 || !texture->pixels)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "render: texture %llu is %dx%d with %s pixels",
                              (unsigned long long)texture->key, texture->width, texture->height,
                              texture->pixels ? "some" : "no");
    GLint internal;
    GLenum format;
    switch (texture->format) {
    case REEL_DRAW_R8:
        internal = GL_R8, format = GL_RED;
        break;
    case REEL_DRAW_RGB8:
        internal = GL_RGB8, format = GL_RGB;
        break;
    case REEL_DRAW_RGBA8:
        internal = GL_RGBA8, format = GL_RGBA;
        break;
    default:
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "render: texture %llu has format %d",
                              (unsigned long long)texture->key, (int)texture->format);
    }
    glBindTexture(GL_TEXTURE_2D, id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, internal, texture->width, texture->height, 0, format,
                 GL_UNSIGNED_BYTE, texture->pixels);
    return REEL_OK;
}

static reel_status upload_atlas(reel_renderer *r, const reel_draw_atlas *atlas, reel_error *err)
{
    static const uint8_t full_coverage = 255;
    const uint8_t *pixels = &full_coverage;
    int32_t width = 1, height = 1;
    uint64_t version = 0;
    if (atlas && atlas->pixels && atlas->width > 0 && atlas->height > 0) {
        pixels = atlas->pixels, width = atlas->width, height = atlas->height;
        version = atlas->version;
    }
    if (r->atlas_uploaded && r->atlas_version == version)
        return REEL_OK;
    if (!r->atlas_texture)
        r->atlas_texture = create_texture(GL_LINEAR);
    reel_draw_texture as_texture = {.key = version + 1,
                                    .width = width,
                                    .height = height,
                                    .format = REEL_DRAW_R8,
                                    .pixels = pixels};
    REEL_TRY(upload(&as_texture, r->atlas_texture, err));
    r->atlas_uploaded = true;
    r->atlas_version = version;
    r->stats.atlas_uploads++;
    return REEL_OK;
}

static reel__cached_texture *find(reel_renderer *r, uint64_t key)
{
    for (uint32_t i = 0; i < r->n_cache; i++)
        if (r->cache[i].key == key)
            return &r->cache[i];
    return NULL;
}

static reel_status add(reel_renderer *r, const reel_draw_texture *texture,
                       reel__cached_texture **out, reel_error *err)
{
    if (r->n_cache == r->cache_capacity) {
        uint32_t capacity = r->cache_capacity ? r->cache_capacity * 2 : 16;
        void *grown = reel_realloc(r->allocator, r->cache, r->cache_capacity * sizeof(*r->cache),
                                   capacity * sizeof(*r->cache));
        if (!grown)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: texture cache");
        r->cache = grown;
        r->cache_capacity = capacity;
    }
    GLuint id = create_texture(texture->nearest ? GL_NEAREST : GL_LINEAR);
    reel_status status = upload(texture, id, err);
    if (status != REEL_OK) {
        glDeleteTextures(1, &id);
        return status;
    }
    reel__cached_texture *entry = &r->cache[r->n_cache++];
    *entry = (reel__cached_texture){
        .key = texture->key, .id = id, .mode = texture->format == REEL_DRAW_R8 ? 2 : 1};
    r->stats.texture_uploads++;
    *out = entry;
    return REEL_OK;
}

reel_status reel__render_textures_prepare(reel_renderer *r, const reel_draw_frame *frame,
                                          reel_error *err)
{
    REEL_TRY(upload_atlas(r, frame->atlas, err));
    if (!r->white_texture) {
        static const uint8_t white[4] = {255, 255, 255, 255};
        r->white_texture = create_texture(GL_NEAREST);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 1, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, white);
    }
    if (frame->n_textures > r->frame_textures_capacity) {
        uint32_t capacity = frame->n_textures;
        GLuint *ids =
            reel_realloc(r->allocator, r->frame_textures,
                         r->frame_textures_capacity * sizeof(GLuint), capacity * sizeof(GLuint));
        if (ids)
            r->frame_textures = ids;
        int32_t *modes = ids ? reel_realloc(r->allocator, r->frame_modes,
                                            r->frame_textures_capacity * sizeof(int32_t),
                                            capacity * sizeof(int32_t))
                             : NULL;
        if (modes)
            r->frame_modes = modes;
        if (!ids || !modes) {
            /* keep the old capacity consistent with whichever arrays did grow */
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "render: %u frame textures",
                                  frame->n_textures);
        }
        r->frame_textures_capacity = capacity;
    }
    for (uint32_t i = 0; i < frame->n_textures; i++) {
        const reel_draw_texture *texture = &frame->textures[i];
        if (texture->key == 0)
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "render: texture %u has key 0", i);
        reel__cached_texture *entry = find(r, texture->key);
        if (!entry)
            REEL_TRY(add(r, texture, &entry, err));
        entry->last_used_frame = r->stats.frames;
        r->frame_textures[i] = entry->id;
        r->frame_modes[i] = entry->mode;
    }
    return REEL_OK;
}

void reel__render_textures_evict(reel_renderer *r)
{
    /* called at the end of frame `stats.frames`: a texture last used in frame u has been
     * unused for frames - u frames */
    uint64_t keep = r->desc.evict_after_frames ? r->desc.evict_after_frames : 60;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < r->n_cache; i++) {
        reel__cached_texture entry = r->cache[i];
        if (r->stats.frames - entry.last_used_frame >= keep) {
            glDeleteTextures(1, &entry.id);
            r->stats.texture_evictions++;
            continue;
        }
        r->cache[kept++] = entry;
    }
    r->n_cache = kept;
    r->stats.textures_cached = kept;
}

void reel__render_textures_destroy(reel_renderer *r)
{
    for (uint32_t i = 0; i < r->n_cache; i++)
        glDeleteTextures(1, &r->cache[i].id);
    reel_free(r->allocator, r->cache, r->cache_capacity * sizeof(*r->cache));
    reel_free(r->allocator, r->frame_textures, r->frame_textures_capacity * sizeof(GLuint));
    reel_free(r->allocator, r->frame_modes, r->frame_textures_capacity * sizeof(int32_t));
    if (r->atlas_texture)
        glDeleteTextures(1, &r->atlas_texture);
    if (r->white_texture)
        glDeleteTextures(1, &r->white_texture);
    r->cache = NULL;
    r->n_cache = r->cache_capacity = 0;
}

GLuint reel__render_texture_for(const reel_renderer *r, const reel_draw_frame *frame,
                                uint32_t texture, int32_t *mode)
{
    if (texture == REEL_DRAW_ATLAS) {
        *mode = 0;
        return r->atlas_texture;
    }
    if (texture < frame->n_textures) {
        *mode = r->frame_modes[texture];
        return r->frame_textures[texture];
    }
    *mode = 1;
    return r->white_texture;
}
