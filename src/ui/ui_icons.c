/* Icons drawn as shapes into a square (play, pause, step, loop, close, expanders, eye,
 * entity/container/view kinds, check): no font glyph needed, crisp at every scale. */
#include "ui/ui_internal.h"

#include <math.h>

void reel_ui_draw_icon(reel_ui *ui, reel_ui_icon icon, reel_ui_rect rect, uint32_t rgba)
{
    reel_draw_list *list = &ui->layers[ui->layer];
    float x0 = rect.x0, y0 = rect.y0, x1 = rect.x1, y1 = rect.y1;
    float w = x1 - x0, h = y1 - y0, cx = (x0 + x1) * 0.5f, cy = (y0 + y1) * 0.5f;
    float stroke = fmaxf(1.0f, 1.5f * ui->scale);
    switch (icon) {
    case REEL_UI_ICON_PLAY: {
        const float t[6] = {x0 + w * 0.2f, y0 + h * 0.1f, x1 - w * 0.1f, cy,
                            x0 + w * 0.2f, y1 - h * 0.1f};
        reel_draw_triangle_filled(list, t, rgba);
        break;
    }
    case REEL_UI_ICON_PAUSE:
        reel_draw_rect_filled(list, x0 + w * 0.2f, y0 + h * 0.1f, x0 + w * 0.42f, y1 - h * 0.1f, 0,
                              rgba);
        reel_draw_rect_filled(list, x1 - w * 0.42f, y0 + h * 0.1f, x1 - w * 0.2f, y1 - h * 0.1f, 0,
                              rgba);
        break;
    case REEL_UI_ICON_STEP_BACK:
    case REEL_UI_ICON_STEP_FORWARD: {
        bool back = icon == REEL_UI_ICON_STEP_BACK;
        float bar0 = back ? x0 + w * 0.15f : x1 - w * 0.27f;
        reel_draw_rect_filled(list, bar0, y0 + h * 0.15f, bar0 + w * 0.12f, y1 - h * 0.15f, 0,
                              rgba);
        float tip = back ? x0 + w * 0.3f : x1 - w * 0.3f;
        float base = back ? x1 - w * 0.15f : x0 + w * 0.15f;
        const float t[6] = {base, y0 + h * 0.15f, tip, cy, base, y1 - h * 0.15f};
        reel_draw_triangle_filled(list, t, rgba);
        break;
    }
    case REEL_UI_ICON_LOOP: {
        float points[2 * 25];
        float radius = fminf(w, h) * 0.35f;
        int n = 0;
        for (int i = 0; i <= 20; i++) { /* 300 degrees of a circle, then an arrow head */
            float a = -1.2f + 5.2f * (float)i / 20.0f;
            points[2 * n] = cx + cosf(a) * radius;
            points[2 * n + 1] = cy + sinf(a) * radius;
            n++;
        }
        reel_draw_polyline(list, points, (uint32_t)n, stroke, rgba, false);
        float ex = points[2 * (n - 1)], ey = points[2 * (n - 1) + 1];
        const float t[6] = {ex - w * 0.15f, ey - h * 0.05f, ex + w * 0.12f,
                            ey - h * 0.12f, ex + w * 0.02f, ey + h * 0.16f};
        reel_draw_triangle_filled(list, t, rgba);
        break;
    }
    case REEL_UI_ICON_CLOSE:
        reel_draw_line(list, x0 + w * 0.2f, y0 + h * 0.2f, x1 - w * 0.2f, y1 - h * 0.2f, stroke,
                       rgba);
        reel_draw_line(list, x1 - w * 0.2f, y0 + h * 0.2f, x0 + w * 0.2f, y1 - h * 0.2f, stroke,
                       rgba);
        break;
    case REEL_UI_ICON_EXPANDED: {
        const float t[6] = {x0 + w * 0.2f, y0 + h * 0.35f, x1 - w * 0.2f, y0 + h * 0.35f, cx,
                            y1 - h * 0.25f};
        reel_draw_triangle_filled(list, t, rgba);
        break;
    }
    case REEL_UI_ICON_COLLAPSED: {
        const float t[6] = {x0 + w * 0.35f, y0 + h * 0.2f, x1 - w * 0.25f, cy,
                            x0 + w * 0.35f, y1 - h * 0.2f};
        reel_draw_triangle_filled(list, t, rgba);
        break;
    }
    case REEL_UI_ICON_MORE:
        for (int i = -1; i <= 1; i++)
            reel_draw_circle_filled(list, cx + (float)i * w * 0.3f, cy, w * 0.08f, rgba);
        break;
    case REEL_UI_ICON_EYE:
    case REEL_UI_ICON_EYE_OFF: {
        float points[2 * 24];
        for (int i = 0; i < 24; i++) { /* an almond: two arcs */
            float t = (float)(i % 12) / 11.0f;
            float x = x0 + w * 0.1f + t * w * 0.8f;
            float bulge = sinf(t * 3.14159265f) * h * 0.3f;
            points[2 * i] = i < 12 ? x : x1 - (x - x0);
            points[2 * i + 1] = i < 12 ? cy - bulge : cy + bulge;
        }
        reel_draw_polyline(list, points, 24, stroke, rgba, true);
        reel_draw_circle_filled(list, cx, cy, fminf(w, h) * 0.14f, rgba);
        if (icon == REEL_UI_ICON_EYE_OFF)
            reel_draw_line(list, x0 + w * 0.15f, y1 - h * 0.15f, x1 - w * 0.15f, y0 + h * 0.15f,
                           stroke, rgba);
        break;
    }
    case REEL_UI_ICON_ENTITY:
        reel_draw_circle_filled(list, cx, cy, fminf(w, h) * 0.22f, rgba);
        break;
    case REEL_UI_ICON_CONTAINER:
        reel_draw_rect_outline(list, x0 + w * 0.12f, y0 + h * 0.12f, x1 - w * 0.12f, y1 - h * 0.12f,
                               2 * ui->scale, stroke, rgba);
        break;
    case REEL_UI_ICON_VIEW:
        reel_draw_rect_outline(list, x0 + w * 0.12f, y0 + h * 0.12f, x1 - w * 0.12f, y1 - h * 0.12f,
                               2 * ui->scale, stroke, rgba);
        reel_draw_rect_filled(list, x0 + w * 0.12f, y0 + h * 0.12f, x1 - w * 0.12f, y0 + h * 0.35f,
                              0, rgba);
        break;
    case REEL_UI_ICON_CHECK: {
        const float points[6] = {x0 + w * 0.15f, cy,           x0 + w * 0.42f, y1 - h * 0.2f,
                                 x1 - w * 0.12f, y0 + h * 0.2f};
        reel_draw_polyline(list, points, 3, stroke * 1.2f, rgba, false);
        break;
    }
    default:
        break;
    }
}
