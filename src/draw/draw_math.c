/* Column-major 4x4 matrix helpers for scenes (GL conventions: clip depth -1..1, eye looks
 * down -z) and the projection of a scene point into target pixels, which views use to
 * place labels and the renderer's picking agrees with. */
#include <math.h>
#include <string.h>

#include "draw/draw.h"

void reel_mat4_identity(float m[16])
{
    memset(m, 0, 16 * sizeof(float));
    m[0] = m[5] = m[10] = m[15] = 1.0f;
}

void reel_mat4_mul(float out[16], const float a[16], const float b[16])
{
    float result[16];
    for (int col = 0; col < 4; col++) {
        for (int row = 0; row < 4; row++) {
            float sum = 0.0f;
            for (int k = 0; k < 4; k++)
                sum += a[k * 4 + row] * b[col * 4 + k];
            result[col * 4 + row] = sum;
        }
    }
    memcpy(out, result, sizeof(result));
}

void reel_mat4_perspective(float out[16], float fov_y_radians, float aspect, float near_z,
                           float far_z)
{
    float f = 1.0f / tanf(fov_y_radians * 0.5f);
    memset(out, 0, 16 * sizeof(float));
    out[0] = f / aspect;
    out[5] = f;
    out[10] = (far_z + near_z) / (near_z - far_z);
    out[11] = -1.0f;
    out[14] = 2.0f * far_z * near_z / (near_z - far_z);
}

void reel_mat4_orthographic(float out[16], float left, float right, float bottom, float top,
                            float near_z, float far_z)
{
    memset(out, 0, 16 * sizeof(float));
    out[0] = 2.0f / (right - left);
    out[5] = 2.0f / (top - bottom);
    out[10] = -2.0f / (far_z - near_z);
    out[12] = -(right + left) / (right - left);
    out[13] = -(top + bottom) / (top - bottom);
    out[14] = -(far_z + near_z) / (far_z - near_z);
    out[15] = 1.0f;
}

static void normalize3(float v[3])
{
    float len = sqrtf(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (len > 0.0f) {
        v[0] /= len;
        v[1] /= len;
        v[2] /= len;
    }
}

static void cross3(float out[3], const float a[3], const float b[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

void reel_mat4_look_at(float out[16], const float eye[3], const float target[3], const float up[3])
{
    float forward[3] = {target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]};
    normalize3(forward);
    float side[3];
    cross3(side, forward, up);
    if (side[0] * side[0] + side[1] * side[1] + side[2] * side[2] < 1e-24f) {
        /* Looking along `up`: any perpendicular will do. */
        float alt[3] = {fabsf(forward[0]) < 0.9f ? 1.0f : 0.0f,
                        fabsf(forward[0]) < 0.9f ? 0.0f : 1.0f, 0.0f};
        cross3(side, forward, alt);
    }
    normalize3(side);
    float true_up[3];
    cross3(true_up, side, forward);
    reel_mat4_identity(out);
    for (int i = 0; i < 3; i++) {
        out[i * 4 + 0] = side[i];
        out[i * 4 + 1] = true_up[i];
        out[i * 4 + 2] = -forward[i];
    }
    out[12] = -(side[0] * eye[0] + side[1] * eye[1] + side[2] * eye[2]);
    out[13] = -(true_up[0] * eye[0] + true_up[1] * eye[1] + true_up[2] * eye[2]);
    out[14] = forward[0] * eye[0] + forward[1] * eye[1] + forward[2] * eye[2];
}

/* In double precision: scene transforms mix large translations with small scales. */
bool reel_mat4_invert(float out[16], const float m[16])
{
    double inv[16], a[16];
    for (int i = 0; i < 16; i++)
        a[i] = m[i];
    inv[0] = a[5] * a[10] * a[15] - a[5] * a[11] * a[14] - a[9] * a[6] * a[15] +
             a[9] * a[7] * a[14] + a[13] * a[6] * a[11] - a[13] * a[7] * a[10];
    inv[4] = -a[4] * a[10] * a[15] + a[4] * a[11] * a[14] + a[8] * a[6] * a[15] -
             a[8] * a[7] * a[14] - a[12] * a[6] * a[11] + a[12] * a[7] * a[10];
    inv[8] = a[4] * a[9] * a[15] - a[4] * a[11] * a[13] - a[8] * a[5] * a[15] +
             a[8] * a[7] * a[13] + a[12] * a[5] * a[11] - a[12] * a[7] * a[9];
    inv[12] = -a[4] * a[9] * a[14] + a[4] * a[10] * a[13] + a[8] * a[5] * a[14] -
              a[8] * a[6] * a[13] - a[12] * a[5] * a[10] + a[12] * a[6] * a[9];
    inv[1] = -a[1] * a[10] * a[15] + a[1] * a[11] * a[14] + a[9] * a[2] * a[15] -
             a[9] * a[3] * a[14] - a[13] * a[2] * a[11] + a[13] * a[3] * a[10];
    inv[5] = a[0] * a[10] * a[15] - a[0] * a[11] * a[14] - a[8] * a[2] * a[15] +
             a[8] * a[3] * a[14] + a[12] * a[2] * a[11] - a[12] * a[3] * a[10];
    inv[9] = -a[0] * a[9] * a[15] + a[0] * a[11] * a[13] + a[8] * a[1] * a[15] -
             a[8] * a[3] * a[13] - a[12] * a[1] * a[11] + a[12] * a[3] * a[9];
    inv[13] = a[0] * a[9] * a[14] - a[0] * a[10] * a[13] - a[8] * a[1] * a[14] +
              a[8] * a[2] * a[13] + a[12] * a[1] * a[10] - a[12] * a[2] * a[9];
    inv[2] = a[1] * a[6] * a[15] - a[1] * a[7] * a[14] - a[5] * a[2] * a[15] + a[5] * a[3] * a[14] +
             a[13] * a[2] * a[7] - a[13] * a[3] * a[6];
    inv[6] = -a[0] * a[6] * a[15] + a[0] * a[7] * a[14] + a[4] * a[2] * a[15] -
             a[4] * a[3] * a[14] - a[12] * a[2] * a[7] + a[12] * a[3] * a[6];
    inv[10] = a[0] * a[5] * a[15] - a[0] * a[7] * a[13] - a[4] * a[1] * a[15] +
              a[4] * a[3] * a[13] + a[12] * a[1] * a[7] - a[12] * a[3] * a[5];
    inv[14] = -a[0] * a[5] * a[14] + a[0] * a[6] * a[13] + a[4] * a[1] * a[14] -
              a[4] * a[2] * a[13] - a[12] * a[1] * a[6] + a[12] * a[2] * a[5];
    inv[3] = -a[1] * a[6] * a[11] + a[1] * a[7] * a[10] + a[5] * a[2] * a[11] -
             a[5] * a[3] * a[10] - a[9] * a[2] * a[7] + a[9] * a[3] * a[6];
    inv[7] = a[0] * a[6] * a[11] - a[0] * a[7] * a[10] - a[4] * a[2] * a[11] + a[4] * a[3] * a[10] +
             a[8] * a[2] * a[7] - a[8] * a[3] * a[6];
    inv[11] = -a[0] * a[5] * a[11] + a[0] * a[7] * a[9] + a[4] * a[1] * a[11] - a[4] * a[3] * a[9] -
              a[8] * a[1] * a[7] + a[8] * a[3] * a[5];
    inv[15] = a[0] * a[5] * a[10] - a[0] * a[6] * a[9] - a[4] * a[1] * a[10] + a[4] * a[2] * a[9] +
              a[8] * a[1] * a[6] - a[8] * a[2] * a[5];
    double det = a[0] * inv[0] + a[1] * inv[4] + a[2] * inv[8] + a[3] * inv[12];
    if (det == 0 || !isfinite(det))
        return false;
    for (int i = 0; i < 16; i++)
        out[i] = (float)(inv[i] / det);
    return true;
}

bool reel_draw_project(const reel_draw_camera *camera, const float clip_rect[4],
                       const float point[3], float *x, float *y, float *depth)
{
    const float *v = camera->view;
    float eye[4];
    for (int row = 0; row < 4; row++)
        eye[row] = v[row] * point[0] + v[4 + row] * point[1] + v[8 + row] * point[2] + v[12 + row];
    const float *p = camera->projection;
    float clip[4];
    for (int row = 0; row < 4; row++)
        clip[row] =
            p[row] * eye[0] + p[4 + row] * eye[1] + p[8 + row] * eye[2] + p[12 + row] * eye[3];
    if (depth)
        *depth = -eye[2];
    if (clip[3] <= 0.0f)
        return false;
    float ndc_x = clip[0] / clip[3], ndc_y = clip[1] / clip[3];
    float width = clip_rect[2] - clip_rect[0], height = clip_rect[3] - clip_rect[1];
    if (x)
        *x = clip_rect[0] + (ndc_x * 0.5f + 0.5f) * width;
    if (y)
        *y = clip_rect[1] + (0.5f - ndc_y * 0.5f) * height;
    return true;
}
