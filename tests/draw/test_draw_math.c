/* The column-major matrix helpers of draw.h and reel_draw_project: identities, products,
 * inverses, GL-convention perspective/orthographic/look-at, and projection into a clip
 * rectangle with a top-left origin. */
#include <math.h>

#include "draw/draw.h"
#include "test.h"

static void transform(const float m[16], const float p[4], float out[4])
{
    for (int row = 0; row < 4; row++)
        out[row] = m[row] * p[0] + m[4 + row] * p[1] + m[8 + row] * p[2] + m[12 + row] * p[3];
}

TEST(identity_and_product)
{
    float id[16], m[16], out[16];
    reel_mat4_identity(id);
    for (int i = 0; i < 16; i++)
        m[i] = (float)(i + 1);
    reel_mat4_mul(out, id, m);
    CHECK_EQ_MEM(out, m, sizeof(m));
    reel_mat4_mul(out, m, id);
    CHECK_EQ_MEM(out, m, sizeof(m));
    /* translation then scale: column-major, a * b applies b first */
    float translate[16], scale[16];
    reel_mat4_identity(translate);
    reel_mat4_identity(scale);
    translate[12] = 1, translate[13] = 2, translate[14] = 3;
    scale[0] = scale[5] = scale[10] = 2;
    reel_mat4_mul(out, scale, translate);
    const float p[4] = {1, 1, 1, 1};
    float q[4];
    transform(out, p, q);
    CHECK_NEAR(q[0], 4, 1e-6);
    CHECK_NEAR(q[1], 6, 1e-6);
    CHECK_NEAR(q[2], 8, 1e-6);
    /* in place */
    reel_mat4_mul(scale, scale, translate);
    CHECK_EQ_MEM(scale, out, sizeof(out));
}

TEST(invert)
{
    float m[16], inverse[16], product[16], id[16];
    reel_mat4_identity(m);
    m[0] = 2, m[5] = 3, m[10] = 4, m[12] = 5, m[13] = -6, m[14] = 7, m[4] = 0.5f;
    CHECK(reel_mat4_invert(inverse, m));
    reel_mat4_mul(product, m, inverse);
    reel_mat4_identity(id);
    for (int i = 0; i < 16; i++)
        CHECK_NEAR(product[i], id[i], 1e-5);
    float singular[16] = {0};
    CHECK(!reel_mat4_invert(inverse, singular));
}

TEST(perspective_maps_near_and_far_to_minus_one_and_one)
{
    float proj[16];
    reel_mat4_perspective(proj, 1.0f, 2.0f, 0.5f, 50.0f);
    float q[4];
    const float on_near[4] = {0, 0, -0.5f, 1}, on_far[4] = {0, 0, -50.0f, 1};
    transform(proj, on_near, q);
    CHECK_NEAR(q[2] / q[3], -1.0, 1e-5);
    transform(proj, on_far, q);
    CHECK_NEAR(q[2] / q[3], 1.0, 1e-4);
    /* the top edge of the field of view lands on y = 1 */
    const float top[4] = {0, tanf(0.5f) * 10.0f, -10.0f, 1};
    transform(proj, top, q);
    CHECK_NEAR(q[1] / q[3], 1.0, 1e-5);
    CHECK_NEAR(proj[0], proj[5] / 2.0f, 1e-6);
}

TEST(orthographic_maps_the_box)
{
    float proj[16];
    reel_mat4_orthographic(proj, -2, 6, -1, 3, 1, 11);
    float q[4];
    const float corner[4] = {6, 3, -11, 1}, other[4] = {-2, -1, -1, 1};
    transform(proj, corner, q);
    CHECK_NEAR(q[0], 1, 1e-6);
    CHECK_NEAR(q[1], 1, 1e-6);
    CHECK_NEAR(q[2], 1, 1e-6);
    transform(proj, other, q);
    CHECK_NEAR(q[0], -1, 1e-6);
    CHECK_NEAR(q[1], -1, 1e-6);
    CHECK_NEAR(q[2], -1, 1e-6);
}

TEST(look_at_puts_the_target_down_minus_z)
{
    float view[16];
    const float eye[3] = {3, 4, 5}, target[3] = {3, 4, 0}, up[3] = {0, 1, 0};
    reel_mat4_look_at(view, eye, target, up);
    float q[4];
    const float t[4] = {3, 4, 0, 1}, above[4] = {3, 5, 0, 1}, right[4] = {4, 4, 0, 1};
    transform(view, t, q);
    CHECK_NEAR(q[0], 0, 1e-6);
    CHECK_NEAR(q[1], 0, 1e-6);
    CHECK_NEAR(q[2], -5, 1e-6);
    transform(view, above, q);
    CHECK_NEAR(q[1], 1, 1e-6);
    transform(view, right, q);
    CHECK_NEAR(q[0], 1, 1e-6);
}

TEST(project_into_a_clip_rectangle)
{
    reel_draw_camera camera = {0};
    const float eye[3] = {0, 0, 10}, target[3] = {0, 0, 0}, up[3] = {0, 1, 0};
    reel_mat4_look_at(camera.view, eye, target, up);
    reel_mat4_perspective(camera.projection, 1.0f, 2.0f, 0.1f, 100.0f);
    const float rect[4] = {100, 50, 300, 150};
    float x, y, depth;
    const float origin[3] = {0, 0, 0};
    CHECK(reel_draw_project(&camera, rect, origin, &x, &y, &depth));
    CHECK_NEAR(x, 200, 1e-4);
    CHECK_NEAR(y, 100, 1e-4);
    CHECK_NEAR(depth, 10, 1e-5);
    /* +y in the scene is up on screen: a smaller pixel y */
    const float top_edge[3] = {0, tanf(0.5f) * 10.0f, 0};
    CHECK(reel_draw_project(&camera, rect, top_edge, &x, &y, NULL));
    CHECK_NEAR(y, 50, 1e-3);
    const float behind[3] = {0, 0, 20};
    CHECK(!reel_draw_project(&camera, rect, behind, &x, &y, &depth));
    CHECK_NEAR(depth, -10, 1e-5);
}

int main(void)
{
    RUN(identity_and_product);
    RUN(invert);
    RUN(perspective_maps_near_and_far_to_minus_one_and_one);
    RUN(orthographic_maps_the_box);
    RUN(look_at_puts_the_target_down_minus_z);
    RUN(project_into_a_clip_rectangle);
    TEST_MAIN_END();
}
