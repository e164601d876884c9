/* Text the panels show: view and container names, times on a timeline as Rerun formats
 * them, short component names. Strings come from the frame arena (valid for the frame). */
#include "app/app_internal.h"

#include <inttypes.h>
#include <time.h>

const char *app_view_name(reel_viewer_app *app, const reel_bp_view *view)
{
    if (view->display_name != NULL && view->display_name[0])
        return view->display_name;
    reel_buf_clear(&app->text);
    if (reel_viewer_view_placeholder_name(view->space_origin ? view->space_origin : "/",
                                          &app->text) != REEL_OK ||
        app->text.len == 0)
        return "/";
    char *copy = reel_arena_strndup(&app->arena, (const char *)app->text.data, app->text.len);
    return copy != NULL ? copy : "/";
}

reel_time_type app_timeline_type(const reel_viewer_recording *rec, uint32_t timeline)
{
    if (rec == NULL || timeline == REEL_STORE_NO_ID)
        return REEL_TIME_SEQUENCE;
    return reel_store_timeline_type(reel_viewer_recording_store(rec), timeline);
}

void app_format_time(char *out, size_t cap, reel_time_type type, int64_t value)
{
    switch (type) {
    case REEL_TIME_SEQUENCE:
        snprintf(out, cap, "#%" PRId64, value);
        return;
    case REEL_TIME_DURATION_NS: {
        bool negative = value < 0;
        uint64_t v = negative ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
        snprintf(out, cap, "%s%" PRIu64 ".%03" PRIu64 "s", negative ? "-" : "", v / 1000000000u,
                 v % 1000000000u / 1000000u);
        return;
    }
    case REEL_TIME_TIMESTAMP_NS: {
        int64_t secs = value / 1000000000;
        int64_t ns = value % 1000000000;
        if (ns < 0) {
            ns += 1000000000;
            secs -= 1;
        }
        time_t t = (time_t)secs;
        struct tm tm;
        if (gmtime_r(&t, &tm) == NULL) {
            snprintf(out, cap, "%" PRId64 "ns", value);
            return;
        }
        snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ns / 1000000));
        return;
    }
    }
    snprintf(out, cap, "%" PRId64, value);
}

bool reel_app_entity_viewable(const char *entity_path)
{
    static const char reserved[] = "/__properties";
    size_t n = sizeof reserved - 1;
    return entity_path != NULL && !(strncmp(entity_path, reserved, n) == 0 &&
                                    (entity_path[n] == 0 || entity_path[n] == '/'));
}

const char *app_component_short(const char *component)
{
    const char *colon = component != NULL ? strrchr(component, ':') : NULL;
    return colon != NULL ? colon + 1 : (component != NULL ? component : "");
}
