/* Picking: the scene under a pixel is drawn again with the pick programs into a 1x1 integer
 * target, through a matrix that maps just that pixel onto the target, so the answer is what
 * the colour pass put at that pixel's centre (hard edges: no anti-aliasing fringe counts). */
#include <string.h>

#include "render/render_internal.h"

static reel_status ensure_pick_target(reel_renderer *r, reel_error *err)
{
    if (r->pick_fbo) {
        glBindFramebuffer(GL_FRAMEBUFFER, r->pick_fbo);
        return REEL_OK;
    }
    GLuint renderbuffers[2];
    glGenRenderbuffers(2, renderbuffers);
    r->pick_color = renderbuffers[0];
    r->pick_depth = renderbuffers[1];
    glBindRenderbuffer(GL_RENDERBUFFER, r->pick_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA32UI, 1, 1);
    glBindRenderbuffer(GL_RENDERBUFFER, r->pick_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, 1, 1);
    glGenFramebuffers(1, &r->pick_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->pick_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->pick_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER,
                              r->pick_depth);
    GLenum complete = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    if (complete != GL_FRAMEBUFFER_COMPLETE)
        return reel_error_set(err, REEL_INTERNAL, "render: pick target incomplete (0x%x)",
                              complete);
    return REEL_OK;
}

/* Column-major matrix taking clip space of a w x h viewport to clip space of a 1x1 viewport
 * showing only pixel (px, py) (GL's bottom-left origin, relative to the viewport). */
static void pixel_matrix(float out[16], int32_t w, int32_t h, int32_t px, int32_t py)
{
    memset(out, 0, 16 * sizeof(float));
    float center_x = (2.0f * (float)px + 1.0f) / (float)w - 1.0f;
    float center_y = (2.0f * (float)py + 1.0f) / (float)h - 1.0f;
    out[0] = (float)w;
    out[5] = (float)h;
    out[10] = 1.0f;
    out[15] = 1.0f;
    out[12] = -(float)w * center_x;
    out[13] = -(float)h * center_y;
}

static bool inside(const int32_t rect[4], int32_t x, int32_t y)
{
    return x >= rect[0] && x < rect[0] + rect[2] && y >= rect[1] && y < rect[1] + rect[3];
}

reel_status reel_render_pick(reel_renderer *r, const reel_draw_frame *frame, int32_t x, int32_t y,
                             reel_draw_pick *pick, reel_error *err)
{
    memset(pick, 0, sizeof(*pick));
    pick->scene = -1;
    if (!frame || frame->width <= 0 || frame->height <= 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "render: pick in an empty frame");
    const reel_draw_list *list = frame->list;
    if (!list || x < 0 || y < 0 || x >= frame->width || y >= frame->height)
        return REEL_OK;
    int32_t gl_y = frame->height - 1 - y;
    /* the last scene command holding the pixel is the one drawn on top */
    int32_t chosen = -1;
    int32_t rect[4] = {0};
    for (uint32_t i = 0; i < list->n_cmds; i++) {
        const reel_draw_cmd *cmd = &list->cmds[i];
        if (cmd->scene < 0 || (uint32_t)cmd->scene >= frame->n_scenes)
            continue;
        float x0 = cmd->clip[0] < 0 ? 0 : cmd->clip[0], y0 = cmd->clip[1] < 0 ? 0 : cmd->clip[1];
        float x1 = cmd->clip[2] > frame->width ? (float)frame->width : cmd->clip[2];
        float y1 = cmd->clip[3] > frame->height ? (float)frame->height : cmd->clip[3];
        int32_t ix0 = (int32_t)(x0 + 0.5f), iy0 = (int32_t)(y0 + 0.5f);
        int32_t ix1 = (int32_t)(x1 + 0.5f), iy1 = (int32_t)(y1 + 0.5f);
        if (ix1 <= ix0 || iy1 <= iy0)
            continue;
        int32_t candidate[4] = {ix0, frame->height - iy1, ix1 - ix0, iy1 - iy0};
        if (inside(candidate, x, gl_y)) {
            chosen = cmd->scene;
            memcpy(rect, candidate, sizeof(rect));
        }
    }
    if (chosen < 0)
        return REEL_OK;
    REEL_TRY(ensure_pick_target(r, err));
    glViewport(0, 0, 1, 1);
    glScissor(0, 0, 1, 1);
    glEnable(GL_SCISSOR_TEST);
    static const GLuint zero[4] = {0, 0, 0, 0};
    glClearBufferuiv(GL_COLOR, 0, zero);
    float matrix[16];
    pixel_matrix(matrix, rect[2], rect[3], x - rect[0], gl_y - rect[1]);
    reel_status status = reel__render_scene(r, frame, chosen, rect, REEL__PASS_PICK, matrix, err);
    GLuint id[4] = {0};
    if (status == REEL_OK)
        glReadPixels(0, 0, 1, 1, GL_RGBA_INTEGER, GL_UNSIGNED_INT, id);
    glDisable(GL_SCISSOR_TEST);
    glBindFramebuffer(GL_FRAMEBUFFER, r->desc.offscreen ? r->target_fbo : 0);
    if (status != REEL_OK)
        return status;
    GLenum gl_error = glGetError();
    if (gl_error != GL_NO_ERROR)
        return reel_error_set(err, REEL_INTERNAL, "render: GL error 0x%x while picking", gl_error);
    if (id[0] == 0)
        return REEL_OK;
    pick->hit = true;
    pick->scene = (int32_t)id[0] - 1;
    pick->pick = id[1];
    pick->instance = id[2];
    memcpy(&pick->depth, &id[3], sizeof(float));
    return REEL_OK;
}
