/* Helpers for the views tests: a recording logged through Reel's C SDK into a memory sink and
 * loaded into a store (as the viewer does with an .rrd stream), and one frame of a view with
 * a fixed rectangle, a ui context driven by synthetic input, a per-frame arena and the frame's
 * scene and texture arrays. */
#ifndef REEL_VIEWS_TESTING_H
#define REEL_VIEWS_TESTING_H

#include <math.h>

#include "sdk/sdk_testing.h"
#include "store/store.h"
#include "ui/ui_driver.h"
#include "views/views.h"

typedef struct views_rec {
    reel_recording *rec;
    reel_memory_sink *memory;
} views_rec;

static inline void views_rec_begin(views_rec *r)
{
    r->memory = NULL;
    r->rec = memory_recording((reel_recording_options){.application_id = "views_test"}, &r->memory);
    reel_set_log_time_enabled(r->rec, false);
    reel_set_log_tick_enabled(r->rec, false);
}

/* Flushes, decodes and inserts every chunk into a new store; destroys the recording. */
static inline reel_store *views_rec_store(views_rec *r)
{
    decoded *d = calloc(1, sizeof *d);
    take_decoded(r->rec, r->memory, d);
    reel_store *store = NULL;
    reel_error err = {0};
    CHECK_OK(reel_store_create(NULL, &store, &err));
    for (int i = 0; i < d->n_chunks; i++)
        CHECK_OK(reel_store_insert(store, d->chunks[i], &err));
    decoded_reset(d);
    free(d);
    reel_recording_destroy(r->rec, NULL);
    reel_memory_sink_destroy(r->memory);
    return store;
}

typedef struct views_frame {
    ui_driver driver;
    reel_arena arena;
    reel_vec scenes, textures;
    reel_view_input in;
    const char *entities[16];
} views_frame;

static inline void views_frame_init(views_frame *f, reel_store *store)
{
    memset(f, 0, sizeof *f);
    driver_init(&f->driver, 1.0f);
    reel_arena_init(&f->arena, NULL, 0);
    reel_vec_init(&f->scenes, sizeof(reel_draw_scene), NULL);
    reel_vec_init(&f->textures, sizeof(reel_draw_texture), NULL);
    f->in.store = store;
    f->in.entities = f->entities;
    f->in.origin = "/";
    f->in.timeline = "frame";
    f->in.rect = (reel_ui_rect){100, 50, 740, 530}; /* 640 x 480 */
    f->in.view_id = 7;
    f->in.arena = &f->arena;
    f->in.scenes = &f->scenes;
    f->in.textures = &f->textures;
}

static inline void views_frame_free(views_frame *f)
{
    driver_free(&f->driver);
    reel_arena_free(&f->arena);
    reel_vec_free(&f->scenes);
    reel_vec_free(&f->textures);
}

static inline void views_frame_add(views_frame *f, const char *entity)
{
    f->entities[f->in.n_entities++] = entity;
}

/* Starts a frame: clears the frame arrays and the arena, begins the ui. Pair with
 * views_frame_end. */
static inline void views_frame_begin(views_frame *f)
{
    reel_vec_clear(&f->scenes);
    reel_vec_clear(&f->textures);
    reel_arena_reset(&f->arena);
    reel_ui_begin(f->driver.ui, &f->driver.in);
    f->in.ui = f->driver.ui;
}

static inline void views_frame_end(views_frame *f)
{
    f->driver.out = reel_ui_end(f->driver.ui);
    ui_driver *d = &f->driver;
    for (int b = 0; b < REEL_MOUSE_BUTTONS; b++)
        d->in.button_pressed[b] = d->in.button_released[b] = false;
    memset(d->in.key_pressed, 0, sizeof d->in.key_pressed);
    d->in.wheel_x = d->in.wheel_y = 0;
    d->in.time_secs += 1.0 / 60.0;
}

static inline const reel_draw_scene *views_scene(views_frame *f, int32_t index)
{
    if (index < 0 || (size_t)index >= f->scenes.len)
        return NULL;
    return &((const reel_draw_scene *)f->scenes.data)[index];
}

static inline void views_apply(const float m[16], const float p[3], float out[3])
{
    for (int r = 0; r < 3; r++)
        out[r] = m[r] * p[0] + m[4 + r] * p[1] + m[8 + r] * p[2] + m[12 + r];
}

static inline void rgba_bytes(uint32_t c, uint8_t out[4])
{
    out[0] = (uint8_t)c, out[1] = (uint8_t)(c >> 8), out[2] = (uint8_t)(c >> 16);
    out[3] = (uint8_t)(c >> 24);
}

#endif
