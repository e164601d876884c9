/* The welcome screen (§11.2, minimal form): shown in place of the viewport while no recording
 * is loaded, with how to get data in (the "Open file…" button, drag and drop, an SDK
 * connecting to the listener), while listening the address SDKs should connect to, and while
 * reading a remote proxy whether it is connected (or why not). */
#include "app/app_internal.h"

#include <math.h>

static void centred(reel_viewer_app *app, reel_ui_rect r, float *y, reel_ui_font font,
                    const char *text, uint32_t color)
{
    float w = reel_ui_text_width(app->ui, font, text, strlen(text));
    reel_ui_draw_text(app->ui, font, fmaxf(r.x0, (r.x0 + r.x1 - w) * 0.5f), *y, text, strlen(text),
                      color, r.x1 - r.x0);
    *y += reel_ui_line_height(app->ui, font) + app_pt(app, 8);
}

void app_welcome(reel_viewer_app *app)
{
    reel_ui_rect r = reel_ui_panel_begin(app->ui, "welcome",
                                         &(reel_ui_panel_desc){.side = REEL_UI_CENTRAL,
                                                               .padding_pt = -1,
                                                               .fill = REEL_THEME_PANEL_BG});
    float y = r.y0 + fmaxf(app_pt(app, 50), (r.y1 - r.y0) * 0.3f);
    centred(app, r, &y, REEL_UI_FONT_HEADING, "Reel: the data layer for physical AI",
            REEL_THEME_TEXT_STRONG);
    y += app_pt(app, 8);
    centred(app, r, &y, REEL_UI_FONT_BODY,
            "Log multi-rate, multimodal data with the Rerun SDK in C, C++, Python, or Rust",
            REEL_THEME_TEXT_DEFAULT);
    centred(app, r, &y, REEL_UI_FONT_BODY,
            "Visualize and explore live or recorded data: open an .rrd file or drop it here",
            REEL_THEME_TEXT_DEFAULT);
    {
        float w = app_pt(app, 150),
              h = reel_ui_line_height(app->ui, REEL_UI_FONT_BODY) + app_pt(app, 12);
        float cx = (r.x0 + r.x1) * 0.5f;
        reel_ui_layout_begin(app->ui, (reel_ui_rect){cx - w * 0.5f, y, cx + w * 0.5f, y + h}, 0);
        if (reel_ui_button_primary(app->ui, "Open file…  (Ctrl+O)"))
            app_open_dialog_request(app);
        reel_ui_layout_end(app->ui);
        y += h + app_pt(app, 8);
    }
    reel_viewer_read_info read;
    if (reel_viewer_read_state(app->viewer, &read)) {
        char text[400];
        if (read.connected)
            snprintf(text, sizeof text, "Connected to the proxy; waiting for data%s",
                     read.messages ? " (received, loading…)" : "");
        else if (read.last_error[0])
            snprintf(text, sizeof text, "Not connected, retrying: %.300s", read.last_error);
        else
            snprintf(text, sizeof text, "Connecting…");
        y += app_pt(app, 8);
        centred(app, r, &y, REEL_UI_FONT_MONO, text,
                read.connected ? REEL_THEME_INFO_TEXT : REEL_THEME_WARN_FG);
    }
    if (app->listen_url[0]) {
        char text[200];
        snprintf(text, sizeof text, "Waiting for data on %s", app->listen_url);
        y += app_pt(app, 8);
        centred(app, r, &y, REEL_UI_FONT_MONO, text, REEL_THEME_INFO_TEXT);
        centred(app, r, &y, REEL_UI_FONT_BODY,
                "(rr.connect_grpc() in the Python SDK, or reel_connect_grpc from C)",
                REEL_THEME_TEXT_SUBDUED);
    }
    reel_ui_panel_end(app->ui);
}
