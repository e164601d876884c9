/* Numbers the views share: Rerun's auto colours (HSV in linear space from a path hash or a
 * class id), its colormaps (polynomial fits, sRGB out), column-major 4x4 matrices for
 * cameras and transforms, projection of scene points to pixels, and the label style. */
#include "views/views_internal.h"

/* ---------------------------------------------------------------- colours */

static uint8_t linear_to_srgb_u8(float c)
{
    c = c < 0 ? 0 : c > 1 ? 1 : c;
    float s = c <= 0.0031308f ? c * 12.92f : 1.055f * powf(c, 1.0f / 2.4f) - 0.055f;
    return (uint8_t)lroundf(s * 255.0f);
}

uint32_t reel_view_auto_color_index(uint64_t value)
{
    /* Rerun: val = hash mod 65535 (class ids are small already); golden-ratio hue walk;
     * HSV(h, 0.85, 0.5) taken as linear RGB, written as sRGB bytes. */
    double hue = fmod((double)(value % 65535u) * 0.618033988749895, 1.0);
    float s = 0.85f, v = 0.5f;
    float h6 = (float)hue * 6.0f;
    int sector = (int)floorf(h6) % 6;
    float f = h6 - floorf(h6);
    float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    float r, g, b;
    switch (sector) {
    case 0:
        r = v, g = t, b = p;
        break;
    case 1:
        r = q, g = v, b = p;
        break;
    case 2:
        r = p, g = v, b = t;
        break;
    case 3:
        r = p, g = q, b = v;
        break;
    case 4:
        r = t, g = p, b = v;
        break;
    default:
        r = v, g = p, b = q;
        break;
    }
    return REEL_RGBA(linear_to_srgb_u8(r), linear_to_srgb_u8(g), linear_to_srgb_u8(b), 255);
}

uint32_t reel_view_auto_color_path(const char *entity_path)
{
    const char *path = entity_path ? entity_path : "/";
    return reel_view_auto_color_index(reel_hash_bytes(path, strlen(path), 0) % 65535u);
}

typedef struct poly7 {
    float c[7][3];
} poly7;

/* Matt Zucker's fits of matplotlib's maps (the ones Rerun's colormap shader uses). */
static const poly7 VIRIDIS = {{{0.2777273272234177f, 0.005407344544966578f, 0.3340998053353061f},
                               {0.1050930431085774f, 1.404613529898575f, 1.384590162594685f},
                               {-0.3308618287255563f, 0.214847559468213f, 0.09509516302823659f},
                               {-4.634230498983486f, -5.799100973351585f, -19.33244095627987f},
                               {6.228269936347081f, 14.17993336680509f, 56.69055260068105f},
                               {4.776384997670288f, -13.74514537774601f, -65.35303263337234f},
                               {-5.435455855934631f, 4.645852612178535f, 26.3124352495832f}}};
static const poly7 PLASMA = {{{0.05873234392399702f, 0.02333670892565664f, 0.5433401826748754f},
                              {2.176514634195958f, 0.2383834171260182f, 0.7539604599784036f},
                              {-2.689460476458034f, -7.455851135738909f, 3.110799939717086f},
                              {6.130348345893603f, 42.3461881477227f, -28.51885465332158f},
                              {-11.10743619062271f, -82.66631109428045f, 60.13984767418263f},
                              {10.02306557647065f, 71.41361770095349f, -54.07218655560067f},
                              {-3.658713842777788f, -22.93153465461149f, 18.19190778539828f}}};
static const poly7 MAGMA = {
    {{-0.002136485053939582f, -0.000749655052795221f, -0.005386127855323933f},
     {0.2516605407371642f, 0.6775232436837668f, 2.494026599312351f},
     {8.353717279216625f, -3.577719514958484f, 0.3144679030132573f},
     {-27.66873308576866f, 14.26473078096533f, -13.64921318813922f},
     {52.17613981234068f, -27.94360607168351f, 12.94416944238394f},
     {-50.76852536473588f, 29.04658282127291f, 4.23415299384598f},
     {18.65570506591883f, -11.48977351997711f, -5.601961508734096f}}};
static const poly7 INFERNO = {
    {{0.0002189403691192265f, 0.001651004631001012f, -0.01948089843709184f},
     {0.1065134194856116f, 0.5639564367884091f, 3.932712388889277f},
     {11.60249308247187f, -3.972853965665698f, -15.9423941062914f},
     {-41.70399613139459f, 17.43639888205313f, 44.35414519872813f},
     {77.162935699427f, -33.40235894210092f, -81.80730925738993f},
     {-71.31942824499214f, 32.62606426397723f, 73.20951985803202f},
     {25.13112622477341f, -12.24266895238567f, -23.07032500287172f}}};

static uint8_t unit_u8(float x)
{
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    return (uint8_t)lroundf(x * 255.0f);
}

static uint32_t eval_poly7(const poly7 *p, float t)
{
    float rgb[3];
    for (int ch = 0; ch < 3; ch++) {
        float acc = p->c[6][ch];
        for (int k = 5; k >= 0; k--)
            acc = acc * t + p->c[k][ch];
        rgb[ch] = acc;
    }
    return REEL_RGBA(unit_u8(rgb[0]), unit_u8(rgb[1]), unit_u8(rgb[2]), 255);
}

/* Anton Mikhailov's polynomial approximation of Google's Turbo. */
static uint32_t turbo(float x)
{
    float x2 = x * x, x3 = x2 * x, x4 = x2 * x2, x5 = x4 * x;
    float r = 0.13572138f + 4.61539260f * x - 42.66032258f * x2 + 132.13108234f * x3 -
              152.94239396f * x4 + 59.28637943f * x5;
    float g = 0.09140261f + 2.19418839f * x + 4.84296658f * x2 - 14.18503333f * x3 +
              4.27729857f * x4 + 2.82956604f * x5;
    float b = 0.10667330f + 12.64194608f * x - 60.58204836f * x2 + 110.36276771f * x3 -
              89.90310912f * x4 + 27.34824973f * x5;
    return REEL_RGBA(unit_u8(r), unit_u8(g), unit_u8(b), 255);
}

uint32_t reel_view_colormap(uint32_t colormap, float t)
{
    if (!(t >= 0))
        t = 0;
    if (t > 1)
        t = 1;
    switch (colormap) {
    case REEL_Colormap_Grayscale: {
        uint8_t v = unit_u8(t);
        return REEL_RGBA(v, v, v, 255);
    }
    case REEL_Colormap_Inferno:
        return eval_poly7(&INFERNO, t);
    case REEL_Colormap_Magma:
        return eval_poly7(&MAGMA, t);
    case REEL_Colormap_Plasma:
        return eval_poly7(&PLASMA, t);
    case REEL_Colormap_Viridis:
        return eval_poly7(&VIRIDIS, t);
    default:
        return turbo(t);
    }
}

/* ---------------------------------------------------------------- matrices */

void view_mat4_translation(float m[16], float x, float y, float z)
{
    reel_mat4_identity(m);
    m[12] = x, m[13] = y, m[14] = z;
}

void view_mat4_perspective(float out[16], float fov_y, float aspect, float near_z)
{
    float f = 1.0f / tanf(fov_y * 0.5f);
    memset(out, 0, 16 * sizeof(float));
    out[0] = f / (aspect > 0 ? aspect : 1);
    out[5] = f;
    out[10] = -1;
    out[11] = -1;
    out[14] = -2 * near_z;
}

void view_mat4_point(const float m[16], const float p[3], float out[3])
{
    float x = m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12];
    float y = m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13];
    float z = m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14];
    out[0] = x, out[1] = y, out[2] = z;
}

void view_mat4_dir(const float m[16], const float d[3], float out[3])
{
    float x = m[0] * d[0] + m[4] * d[1] + m[8] * d[2];
    float y = m[1] * d[0] + m[5] * d[1] + m[9] * d[2];
    float z = m[2] * d[0] + m[6] * d[1] + m[10] * d[2];
    out[0] = x, out[1] = y, out[2] = z;
}

void view_mat4_from_quat(float m[16], const float q_in[4])
{
    float q[4] = {q_in[0], q_in[1], q_in[2], q_in[3]};
    float n = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    reel_mat4_identity(m);
    if (!(n > 0) || !isfinite(n))
        return;
    for (int i = 0; i < 4; i++)
        q[i] /= n;
    float x = q[0], y = q[1], z = q[2], w = q[3];
    m[0] = 1 - 2 * (y * y + z * z), m[1] = 2 * (x * y + z * w), m[2] = 2 * (x * z - y * w);
    m[4] = 2 * (x * y - z * w), m[5] = 1 - 2 * (x * x + z * z), m[6] = 2 * (y * z + x * w);
    m[8] = 2 * (x * z + y * w), m[9] = 2 * (y * z - x * w), m[10] = 1 - 2 * (x * x + y * y);
}

void view_mat4_from_axis_angle(float m[16], const float axis[3], float angle)
{
    float a[3] = {axis[0], axis[1], axis[2]};
    float len = v3_len(a);
    if (!(len > 0) || !isfinite(angle)) {
        reel_mat4_identity(m);
        return;
    }
    v3_scale(a, a, 1.0f / len);
    float s = sinf(angle * 0.5f);
    float q[4] = {a[0] * s, a[1] * s, a[2] * s, cosf(angle * 0.5f)};
    view_mat4_from_quat(m, q);
}

bool view_project(const reel_draw_camera *camera, const float clip[4], const float p[3], float *x,
                  float *y)
{
    float e[3];
    view_mat4_point(camera->view, p, e);
    const float *m = camera->projection;
    float cx = m[0] * e[0] + m[4] * e[1] + m[8] * e[2] + m[12];
    float cy = m[1] * e[0] + m[5] * e[1] + m[9] * e[2] + m[13];
    float cw = m[3] * e[0] + m[7] * e[1] + m[11] * e[2] + m[15];
    if (!(cw > 1e-6f))
        return false;
    float nx = cx / cw, ny = cy / cw;
    *x = clip[0] + (nx * 0.5f + 0.5f) * (clip[2] - clip[0]);
    *y = clip[1] + (0.5f - ny * 0.5f) * (clip[3] - clip[1]);
    return true;
}

/* ---------------------------------------------------------------- labels */

void view_draw_label(reel_ui *ui, float x, float y, const char *text, size_t len, uint32_t color)
{
    float w = reel_ui_text_width(ui, REEL_UI_FONT_BODY, text, len);
    float h = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float pad = 2 * reel_ui_scale(ui);
    float x0 = x - w * 0.5f, y0 = y - h - 2 * pad;
    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_rect_filled(list, x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad, 2 * pad,
                          REEL_RGBA(0, 0, 0, 128));
    reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x0, y0, text, len, color, 0);
}
