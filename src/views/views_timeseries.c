/* The time series view (viewer-behavior §4): one series per (entity, Scalars instance) over
 * the visible time range, styled by SeriesLines / SeriesPoints, min/max-aggregated per
 * physical pixel column when more than two time units share a pixel (so a million samples
 * become at most two points per column, with exact extrema), Clears and NaNs as gaps, y
 * auto-fit with a 5 % margin, axes in the timeline's units, the time cursor, and a legend
 * whose entries toggle their series. Drawn with the ui's 2D list, not a scene. */
#include "views/views_series.h"

#define POINTS_PER_WHEEL_LINE 50.0f

static const uint32_t COLOR_BG = REEL_RGBA(0, 0, 0, 255);
static const uint32_t COLOR_GRID = REEL_RGBA(0x21, 0x21, 0x21, 255);
static const uint32_t COLOR_TEXT_WEAK = REEL_RGBA(0x93, 0x90, 0x90, 255);
static const uint32_t COLOR_TEXT = REEL_RGBA(0xcf, 0xcf, 0xcf, 255);
static const uint32_t COLOR_LEGEND_BG = REEL_RGBA(0x21, 0x21, 0x21, 220);

void reel_view_timeseries_state_free(reel_view_timeseries_state *state)
{
    if (state == NULL)
        return;
    view_series_cache_free(state->cache);
    state->cache = NULL;
}

static bool is_hidden(const reel_view_timeseries_state *st, uint64_t id)
{
    for (uint32_t i = 0; i < st->n_hidden; i++)
        if (st->hidden[i] == id)
            return true;
    return false;
}

static void toggle_hidden(reel_view_timeseries_state *st, uint64_t id)
{
    for (uint32_t i = 0; i < st->n_hidden; i++)
        if (st->hidden[i] == id) {
            st->hidden[i] = st->hidden[--st->n_hidden];
            return;
        }
    if (st->n_hidden < REEL_VIEW_MAX_HIDDEN_SERIES)
        st->hidden[st->n_hidden++] = id;
}

/* ---------------------------------------------------------------- aggregation */

typedef struct agg_out {
    reel_vec t, v; /* double each */
} agg_out;

static void emit(agg_out *o, double t, double v)
{
    reel_vec_push(&o->t, &t);
    reel_vec_push(&o->v, &v);
}

/* Series k of `s` over [x0, x1] (with one sample beyond each end), aggregated MinMax per
 * column of `width_px` columns when aggregate is set. Returns the samples visited. */
static uint64_t aggregate(const view_series_samples *s, uint32_t k, double x0, double x1,
                          double width_px, bool points_only, agg_out *o, bool *aggregated)
{
    if (s->n == 0 || !(x1 > x0))
        return 0;
    size_t lo = view_series_lower_bound(s, (int64_t)ceil(x0));
    size_t hi = view_series_lower_bound(s, (int64_t)floor(x1) + 1);
    if (!points_only) { /* extended bounds: lines cross the plot's edges */
        if (lo > 0)
            lo--;
        if (hi < s->n)
            hi++;
    }
    double tpp = (x1 - x0) / (width_px > 1 ? width_px : 1);
    *aggregated = tpp >= 2;
    const int64_t *times = s->times;
    const double *values = s->values;
    uint32_t ns = s->n_series;
    if (!*aggregated) {
        for (size_t i = lo; i < hi; i++)
            emit(o, (double)times[i], values[i * ns + k]);
        return hi - lo;
    }
    /* Columns by multiplication with the inverse (one rounding rule for every sample). */
    double inv = 1.0 / tpp;
    bool open = false;
    double w_t = 0, w_min = 0, w_max = 0;
    int64_t w_col = -1;
    uint32_t w_count = 0;
    for (size_t i = lo; i < hi; i++) {
        double t = (double)times[i];
        double v = values[i * ns + k];
        bool inside = t >= x0 && t <= x1 && v == v;
        int64_t col = inside ? (int64_t)floor((t - x0) * inv) : -1;
        if (open && inside && col == w_col) {
            w_min = v < w_min ? v : w_min;
            w_max = v > w_max ? v : w_max;
            w_count++;
            continue;
        }
        if (open) {
            emit(o, w_t, w_min);
            if (w_count > 1 && w_max != w_min)
                emit(o, w_t, w_max);
            open = false;
        }
        if (!inside) { /* NaN breaks windows; edge samples pass alone */
            emit(o, t, v);
            continue;
        }
        open = true;
        w_t = t, w_min = w_max = v, w_count = 1, w_col = col;
    }
    if (open) {
        emit(o, w_t, w_min);
        if (w_count > 1 && w_max != w_min)
            emit(o, w_t, w_max);
    }
    return hi - lo;
}

/* ---------------------------------------------------------------- axes */

static double nice_step(double range, double max_ticks)
{
    if (!(range > 0) || !(max_ticks >= 1))
        return 1;
    double raw = range / max_ticks;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

static void format_time(char *buf, size_t size, reel_time_type type, double t, double step)
{
    if (type == REEL_TIME_SEQUENCE || type == 0) {
        snprintf(buf, size, "%.0f", t);
        return;
    }
    double secs = t / 1e9, step_s = step / 1e9;
    int decimals = step_s >= 1 ? 0 : (int)ceil(-log10(step_s));
    if (decimals > 9)
        decimals = 9;
    if (type == REEL_TIME_DURATION_NS) {
        snprintf(buf, size, "%.*fs", decimals, secs);
        return;
    }
    /* Timestamps: time of day, UTC. */
    double day = fmod(secs, 86400.0);
    if (day < 0)
        day += 86400.0;
    int h = (int)(day / 3600), m = (int)fmod(day / 60, 60);
    double s = fmod(day, 60);
    if (decimals > 0)
        snprintf(buf, size, "%02d:%02d:%0*.*f", h, m, decimals + 3, decimals, s);
    else
        snprintf(buf, size, "%02d:%02d:%02d", h, m, (int)s);
}

/* ---------------------------------------------------------------- the view */

typedef struct series_style {
    uint32_t color;
    float width_pt;
    bool points;
    uint32_t marker;
    float marker_size;
    const char *name;
    size_t name_len;
    bool visible;
} series_style;

static void style_of(view_ctx *ctx, uint32_t entity, const char *path, uint32_t k,
                     uint32_t n_series, series_style *out)
{
    memset(out, 0, sizeof *out);
    uint64_t parts[2] = {reel_hash_bytes(path, strlen(path), 0), k};
    uint64_t h = reel_hash_bytes(parts, sizeof parts, 0x5c);
    out->color = reel_view_auto_color_index(h % 65535u);
    out->width_pt = 0.75f;
    out->marker_size = 3.0f;
    out->marker = REEL_MarkerShape_Circle;
    out->visible = true;
    view_cell cell;
    uint32_t n = 0;
    /* SeriesPoints when any of its style components is logged. */
    static const char *const POINT_COMPONENTS[] = {"SeriesPoints:colors", "SeriesPoints:markers",
                                                   "SeriesPoints:names",
                                                   "SeriesPoints:marker_sizes"};
    for (size_t i = 0; i < 4; i++)
        if (view_query(ctx, entity, POINT_COMPONENTS[i], &cell))
            out->points = true;
    const char *arch = out->points ? "SeriesPoints" : "SeriesLines";
    char name[64];
    snprintf(name, sizeof name, "%s:colors", arch);
    const uint32_t *colors =
        view_query(ctx, entity, name, &cell) ? view_cell_u32(&cell, 1, &n) : NULL;
    if (colors && n)
        out->color = view_color_from_rerun(colors[k < n ? k : n - 1]);
    if (out->points) {
        const float *sizes = view_query(ctx, entity, "SeriesPoints:marker_sizes", &cell)
                                 ? view_cell_f32(&cell, 1, &n)
                                 : NULL;
        if (sizes && n)
            out->marker_size = sizes[k < n ? k : n - 1];
        const uint8_t *markers = view_query(ctx, entity, "SeriesPoints:markers", &cell)
                                     ? view_cell_u8(&cell, 1, &n)
                                     : NULL;
        if (markers && n)
            out->marker = markers[k < n ? k : n - 1];
    } else {
        const float *widths = view_query(ctx, entity, "SeriesLines:widths", &cell)
                                  ? view_cell_f32(&cell, 1, &n)
                                  : NULL;
        if (widths && n)
            out->width_pt = widths[k < n ? k : n - 1];
    }
    snprintf(name, sizeof name, "%s:visible_series", arch);
    if (view_query(ctx, entity, name, &cell) && k < view_cell_len(&cell) &&
        cell.field->type == REEL_ARROW_BOOL)
        out->visible = reel_arrow_array_get_bool(cell.array, cell.start + k);
    snprintf(name, sizeof name, "%s:names", arch);
    reel_span text;
    if (view_query(ctx, entity, name, &cell) && view_cell_len(&cell) > 0 &&
        view_cell_string(&cell, k < view_cell_len(&cell) ? k : view_cell_len(&cell) - 1, &text)) {
        if (n_series > 1 && view_cell_len(&cell) == 1) {
            char *s = reel_arena_alloc(ctx->arena, text.len + 16, 1);
            if (s) {
                int len = snprintf(s, text.len + 16, "%.*s[%u]", (int)text.len,
                                   (const char *)text.data, k);
                out->name = s, out->name_len = (size_t)len;
            }
        } else {
            out->name = (const char *)text.data, out->name_len = text.len;
        }
    }
    if (out->name == NULL) {
        const char *shortname = view_short_name(path);
        size_t len = strlen(shortname);
        char *s = reel_arena_alloc(ctx->arena, len + 16, 1);
        if (s) {
            int w = n_series > 1 ? snprintf(s, len + 16, "%s[%u]", shortname, k)
                                 : snprintf(s, len + 16, "%s", shortname);
            out->name = s, out->name_len = (size_t)w;
        }
    }
}

static void handle_input(reel_ui *ui, const reel_ui_response *r, reel_ui_rect plot,
                         reel_view_timeseries_state *st, reel_view_output *out, reel_time_type type)
{
    const reel_input *input = reel_ui_input(ui);
    float w = plot.x1 - plot.x0, h = plot.y1 - plot.y0;
    if (!(w > 0) || !(h > 0) || input == NULL)
        return;
    double xs = (st->x_max - st->x_min) / w, ys = (st->y_max - st->y_min) / h;
    bool cx = false, cy = false;
    if (r->dragging && r->button == REEL_MOUSE_LEFT && (r->drag_dx != 0 || r->drag_dy != 0)) {
        st->x_min -= r->drag_dx * xs, st->x_max -= r->drag_dx * xs;
        st->y_min += r->drag_dy * ys, st->y_max += r->drag_dy * ys;
        cx = cy = true;
    }
    float wheel_x = input->wheel_x, wheel_y = input->wheel_y;
    if (r->hovered && (wheel_x != 0 || wheel_y != 0)) {
        unsigned mods = input->modifiers;
        if (mods & (REEL_MOD_CTRL | REEL_MOD_SUPER)) {
            double factor = exp((wheel_x + wheel_y) * POINTS_PER_WHEEL_LINE / 200.0);
            double px = st->x_min + (input->pointer_x - plot.x0) * xs;
            double py = st->y_max - (input->pointer_y - plot.y0) * ys;
            if (!(mods & REEL_MOD_ALT)) { /* Alt: Y only */
                st->x_min = px + (st->x_min - px) / factor;
                st->x_max = px + (st->x_max - px) / factor;
                cx = true;
            }
            if (!(mods & REEL_MOD_SHIFT)) { /* Shift: X only */
                st->y_min = py + (st->y_min - py) / factor;
                st->y_max = py + (st->y_max - py) / factor;
                cy = true;
            }
        } else {
            float k = POINTS_PER_WHEEL_LINE * reel_ui_scale(ui);
            float dx = (mods & REEL_MOD_SHIFT) ? wheel_y * k : wheel_x * k;
            float dy = (mods & REEL_MOD_SHIFT) ? 0 : wheel_y * k;
            st->x_min -= dx * xs, st->x_max -= dx * xs;
            st->y_min += dy * ys, st->y_max += dy * ys;
            cx = cx || dx != 0, cy = cy || dy != 0;
        }
    }
    if (cx || cy) {
        st->x_set = true; /* any pan or zoom pins both ranges, as Rerun */
        st->y_set = true;
        out->state_changed = true;
    }
    if (r->double_clicked) {
        st->x_set = st->y_set = false;
        out->double_clicked = true;
        out->state_changed = true;
    }
    if (r->right_clicked) {
        out->set_time = true;
        double t = st->x_min + (input->pointer_x - plot.x0) * xs;
        out->new_time = (int64_t)llround(t);
        (void)type;
    }
}

/* A SeriesPoints marker of radius r (pixels) centred at (x, y). */
static void draw_marker(reel_draw_list *list, uint32_t shape, float x, float y, float r,
                        uint32_t color, float line)
{
    switch (shape) {
    case REEL_MarkerShape_Square:
        reel_draw_rect_filled(list, x - r, y - r, x + r, y + r, 0, color);
        break;
    case REEL_MarkerShape_Diamond: {
        const float a[6] = {x, y - r, x + r, y, x, y + r}, b[6] = {x, y - r, x, y + r, x - r, y};
        reel_draw_triangle_filled(list, a, color);
        reel_draw_triangle_filled(list, b, color);
        break;
    }
    case REEL_MarkerShape_Up:
    case REEL_MarkerShape_Down:
    case REEL_MarkerShape_Left:
    case REEL_MarkerShape_Right: {
        float s = shape == REEL_MarkerShape_Up || shape == REEL_MarkerShape_Left ? -1.0f : 1.0f;
        bool vertical = shape == REEL_MarkerShape_Up || shape == REEL_MarkerShape_Down;
        float t[6];
        if (vertical) {
            const float v[6] = {x, y + s * r, x - r, y - s * r, x + r, y - s * r};
            memcpy(t, v, sizeof t);
        } else {
            const float v[6] = {x + s * r, y, x - s * r, y - r, x - s * r, y + r};
            memcpy(t, v, sizeof t);
        }
        reel_draw_triangle_filled(list, t, color);
        break;
    }
    case REEL_MarkerShape_Cross:
        reel_draw_line(list, x - r, y - r, x + r, y + r, line, color);
        reel_draw_line(list, x - r, y + r, x + r, y - r, line, color);
        break;
    case REEL_MarkerShape_Plus:
        reel_draw_line(list, x - r, y, x + r, y, line, color);
        reel_draw_line(list, x, y - r, x, y + r, line, color);
        break;
    case REEL_MarkerShape_Asterisk:
        for (int i = 0; i < 3; i++) {
            float a = (float)M_PI * (0.5f + (float)i / 3.0f);
            reel_draw_line(list, x - r * cosf(a), y - r * sinf(a), x + r * cosf(a), y + r * sinf(a),
                           line, color);
        }
        break;
    default:
        reel_draw_circle_filled(list, x, y, r, color);
        break;
    }
}

typedef struct series_entry {
    uint32_t entity;
    const view_series_samples *samples;
} series_entry;

reel_status reel_view_timeseries_draw(const reel_view_input *in, reel_view_timeseries_state *st,
                                      reel_view_output *out, reel_view_timeseries_info *info,
                                      reel_error *err)
{
    memset(out, 0, sizeof *out);
    out->scene = -1;
    if (info)
        memset(info, 0, sizeof *info);
    if (in == NULL || in->store == NULL || in->arena == NULL || st == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "timeseries: missing input");
    view_ctx ctx;
    view_ctx_init(&ctx, in);
    view_series_cache_frame(st->cache);
    reel_time_type type = ctx.timeline != REEL_STORE_NO_ID
                              ? reel_store_timeline_type(in->store, ctx.timeline)
                              : REEL_TIME_SEQUENCE;
    float scale = ctx.scale;

    /* Samples of every entity, and the data's time range. */
    series_entry *entries =
        view_alloc(&ctx, in->n_entities ? in->n_entities : 1, sizeof(series_entry));
    if (entries == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "timeseries: frame arena exhausted");
    uint32_t n_entries = 0, n_series_total = 0;
    int64_t data_min = INT64_MAX, data_max = INT64_MIN;
    for (uint32_t i = 0; i < in->n_entities && ctx.timeline != REEL_STORE_NO_ID; i++) {
        uint32_t e =
            in->entities[i] ? reel_store_entity_find(in->store, in->entities[i]) : REEL_STORE_NO_ID;
        if (e == REEL_STORE_NO_ID)
            continue;
        reel_status status = REEL_OK;
        const view_series_samples *s =
            view_series_get(&st->cache, in->store, e, ctx.timeline, &status);
        if (status != REEL_OK)
            return reel_error_set(err, status, "timeseries: %s: cannot collect samples",
                                  in->entities[i]);
        if (s == NULL || s->n == 0)
            continue;
        entries[n_entries].entity = e;
        entries[n_entries].samples = s;
        n_entries++;
        n_series_total += s->n_series;
        data_min = s->times[0] < data_min ? s->times[0] : data_min;
        data_max = s->times[s->n - 1] > data_max ? s->times[s->n - 1] : data_max;
    }
    if (!st->x_set) {
        if (data_min > data_max) {
            st->x_min = (double)in->time - 1, st->x_max = (double)in->time + 1;
        } else {
            double span = (double)data_max - (double)data_min;
            double half = type == REEL_TIME_SEQUENCE ? 1000 : 30e9;
            if (span > 2 * half) {
                st->x_min = (double)in->time - half, st->x_max = (double)in->time + half;
            } else {
                st->x_min = (double)data_min, st->x_max = (double)data_max;
            }
            if (!(st->x_max > st->x_min))
                st->x_min -= 1, st->x_max += 1;
        }
    }

    /* Layout: y labels on the left, x labels below. */
    float line_h = in->ui ? reel_ui_line_height(in->ui, REEL_UI_FONT_SMALL) : 12 * scale;
    reel_ui_rect plot = in->rect;
    plot.x0 += 48 * scale;
    plot.y1 -= line_h + 6 * scale;
    plot.y0 += 4 * scale;
    plot.x1 -= 8 * scale;
    if (plot.x1 < plot.x0 + 1)
        plot.x1 = plot.x0 + 1;
    if (plot.y1 < plot.y0 + 1)
        plot.y1 = plot.y0 + 1;
    double width_px = plot.x1 - plot.x0;

    /* Interaction first (it may move the ranges drawn this frame). */
    reel_ui_response response = {0};
    if (in->ui) {
        reel_ui_id id = reel_ui_make_id_int(in->ui, (int64_t)(in->view_id ^ 0x7157ull));
        response = reel_ui_interact(in->ui, plot, id,
                                    REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG | REEL_UI_SENSE_APP);
        out->response = response;
        handle_input(in->ui, &response, plot, st, out, type);
    }

    /* Series: style, aggregation, y range. */
    reel_view_timeseries_series *series =
        view_alloc(&ctx, n_series_total ? n_series_total : 1, sizeof(reel_view_timeseries_series));
    if (series == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "timeseries: frame arena exhausted");
    uint32_t n_series = 0;
    double y_lo = INFINITY, y_hi = -INFINITY;
    agg_out agg;
    reel_vec_init(&agg.t, sizeof(double), NULL);
    reel_vec_init(&agg.v, sizeof(double), NULL);
    for (uint32_t i = 0; i < n_entries; i++) {
        const view_series_samples *s = entries[i].samples;
        const char *path = reel_store_entity_path(in->store, entries[i].entity);
        for (uint32_t k = 0; k < s->n_series; k++) {
            reel_view_timeseries_series *ser = &series[n_series++];
            memset(ser, 0, sizeof *ser);
            series_style style;
            style_of(&ctx, entries[i].entity, path, k, s->n_series, &style);
            uint64_t parts[2] = {reel_hash_bytes(path, strlen(path), 0), k};
            ser->id = reel_hash_bytes(parts, sizeof parts, 0x1d);
            ser->entity_path = path;
            ser->instance = k;
            ser->name = style.name;
            ser->color = style.color;
            ser->width_pt = style.width_pt;
            ser->points = style.points;
            ser->marker = style.marker;
            ser->marker_size = style.marker_size;
            ser->visible = style.visible && !is_hidden(st, ser->id);
            reel_vec_clear(&agg.t);
            reel_vec_clear(&agg.v);
            bool aggregated = false;
            ser->n_samples =
                aggregate(s, k, st->x_min, st->x_max, width_px, style.points, &agg, &aggregated);
            ser->aggregated = aggregated;
            ser->n_points = (uint32_t)agg.t.len;
            double *t = view_alloc(&ctx, agg.t.len ? agg.t.len : 1, sizeof(double));
            double *v = view_alloc(&ctx, agg.v.len ? agg.v.len : 1, sizeof(double));
            if (t == NULL || v == NULL) {
                reel_vec_free(&agg.t);
                reel_vec_free(&agg.v);
                return reel_error_set(err, REEL_OUT_OF_MEMORY, "timeseries: frame arena exhausted");
            }
            if (agg.t.len > 0) { /* an empty vector has no data pointer */
                memcpy(t, agg.t.data, agg.t.len * sizeof(double));
                memcpy(v, agg.v.data, agg.v.len * sizeof(double));
            }
            ser->times = t, ser->values = v;
            if (!ser->visible)
                continue;
            for (uint32_t p = 0; p < ser->n_points; p++)
                if (isfinite(v[p]) && t[p] >= st->x_min && t[p] <= st->x_max) {
                    y_lo = v[p] < y_lo ? v[p] : y_lo;
                    y_hi = v[p] > y_hi ? v[p] : y_hi;
                }
        }
    }
    reel_vec_free(&agg.t);
    reel_vec_free(&agg.v);
    if (!st->y_set) {
        if (!(y_lo <= y_hi)) {
            y_lo = -1, y_hi = 1;
        } else if (y_lo == y_hi) {
            double c = y_lo, d = fmax(1, 0.01 * fabs(c));
            y_lo = c - d, y_hi = c + d;
        }
        double margin = 0.05 * (y_hi - y_lo);
        st->y_min = y_lo - margin, st->y_max = y_hi + margin;
    }
    if (info) {
        info->series = series;
        info->n_series = n_series;
        info->x_min = st->x_min, info->x_max = st->x_max;
        info->y_min = st->y_min, info->y_max = st->y_max;
        info->plot = plot;
    }
    if (in->ui == NULL)
        return REEL_OK;

    /* Drawing. */
    reel_ui *ui = in->ui;
    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_push_clip(list, in->rect.x0, in->rect.y0, in->rect.x1, in->rect.y1);
    reel_draw_rect_filled(list, plot.x0, plot.y0, plot.x1, plot.y1, 0, COLOR_BG);
    double xr = st->x_max - st->x_min, yr = st->y_max - st->y_min;
    float ph = plot.y1 - plot.y0;
#define TO_X(t) (plot.x0 + (float)(((t)-st->x_min) / xr * width_px))
#define TO_Y(v) (plot.y1 - (float)(((v)-st->y_min) / yr * ph))
    char label[64];
    double ystep = nice_step(yr, fmax(2, ph / (40 * scale)));
    int ydec = ystep >= 1 ? 0 : (int)ceil(-log10(ystep));
    /* Ticks by index, at most 200: a step below the values' ULP (a flat series at 1e18) would
     * never move `y += step` forward. */
    double y_first = ceil(st->y_min / ystep) * ystep;
    for (int i = 0; i < 200; i++) {
        double y = y_first + ystep * i;
        if (!(y <= st->y_max) || (i > 0 && y == y_first + ystep * (i - 1)))
            break;
        float py = TO_Y(y);
        reel_draw_line(list, plot.x0, py, plot.x1, py, 1, COLOR_GRID);
        int len = snprintf(label, sizeof label, "%.*f", ydec > 12 ? 12 : ydec,
                           fabs(y) < ystep * 1e-9 ? 0.0 : y);
        float tw = reel_ui_text_width(ui, REEL_UI_FONT_SMALL, label, (size_t)len);
        reel_ui_draw_text(ui, REEL_UI_FONT_SMALL, plot.x0 - tw - 4 * scale, py - line_h * 0.5f,
                          label, (size_t)len, COLOR_TEXT_WEAK, 0);
    }
    double xstep = nice_step(xr, fmax(2, width_px / (100 * scale)));
    double x_first = ceil(st->x_min / xstep) * xstep;
    for (int i = 0; i < 200; i++) {
        double x = x_first + xstep * i;
        if (!(x <= st->x_max) || (i > 0 && x == x_first + xstep * (i - 1)))
            break;
        float px = TO_X(x);
        reel_draw_line(list, px, plot.y0, px, plot.y1, 1, COLOR_GRID);
        format_time(label, sizeof label, type, x, xstep);
        size_t len = strlen(label);
        float tw = reel_ui_text_width(ui, REEL_UI_FONT_SMALL, label, len);
        reel_ui_draw_text(ui, REEL_UI_FONT_SMALL, px - tw * 0.5f, plot.y1 + 3 * scale, label, len,
                          COLOR_TEXT_WEAK, 0);
    }
    reel_draw_push_clip(list, plot.x0, plot.y0, plot.x1, plot.y1);
    for (uint32_t i = 0; i < n_series; i++) {
        const reel_view_timeseries_series *ser = &series[i];
        if (!ser->visible || ser->n_points == 0)
            continue;
        float *xy = view_alloc(&ctx, ser->n_points, 2 * sizeof(float));
        if (xy == NULL)
            break;
        uint32_t run = 0;
        for (uint32_t p = 0; p <= ser->n_points; p++) {
            bool end = p == ser->n_points || !isfinite(ser->values[p]);
            if (!end) {
                xy[2 * run] = TO_X(ser->times[p]);
                xy[2 * run + 1] = TO_Y(ser->values[p]);
                run++;
                continue;
            }
            if (ser->points) {
                for (uint32_t q = 0; q < run; q++)
                    draw_marker(list, ser->marker, xy[2 * q], xy[2 * q + 1],
                                ser->marker_size * 0.5f * scale, ser->color, 1.0f * scale);
            } else if (run >= 2) {
                reel_draw_polyline(list, xy, run, ser->width_pt * scale, ser->color, false);
            } else if (run == 1) {
                reel_draw_circle_filled(list, xy[0], xy[1], ser->width_pt * scale, ser->color);
            }
            run = 0;
        }
    }
    /* Hover: the nearest drawn point within 8 pt (the app shows its tooltip). */
    const reel_input *input = reel_ui_input(ui);
    if (response.hovered && input) {
        float best = 8 * scale * 8 * scale;
        for (uint32_t i = 0; i < n_series; i++) {
            const reel_view_timeseries_series *ser = &series[i];
            for (uint32_t p = 0; ser->visible && p < ser->n_points; p++) {
                if (!isfinite(ser->values[p]))
                    continue;
                float dx = TO_X(ser->times[p]) - input->pointer_x;
                float dy = TO_Y(ser->values[p]) - input->pointer_y;
                if (dx * dx + dy * dy < best) {
                    best = dx * dx + dy * dy;
                    out->hovered = true;
                    out->hover.entity_path = ser->entity_path;
                    out->hover.instance = (int64_t)ser->instance;
                }
            }
        }
        if (out->hovered)
            out->clicked = response.clicked;
    }
    /* The time cursor. */
    if ((double)in->time >= st->x_min && (double)in->time <= st->x_max &&
        ctx.timeline != REEL_STORE_NO_ID) {
        float px = TO_X((double)in->time);
        reel_draw_line(list, px, plot.y0, px, plot.y1, 1.5f * scale, COLOR_TEXT);
    }
    reel_draw_pop_clip(list);
#undef TO_X
#undef TO_Y

    /* Legend, bottom-left, one entry per series; a click toggles the series. */
    if (!st->hide_legend && n_series > 0) {
        float pad = 4 * scale, entry_h = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
        float swatch = 8 * scale, max_w = 0;
        for (uint32_t i = 0; i < n_series; i++) {
            float tw = reel_ui_text_width(ui, REEL_UI_FONT_BODY, series[i].name,
                                          series[i].name ? strlen(series[i].name) : 0);
            max_w = tw > max_w ? tw : max_w;
        }
        float lw = fminf(max_w + swatch + 3 * pad, 300 * scale);
        float max_h = fminf(0.8f * ph, 300 * scale);
        uint32_t shown = (uint32_t)fmaxf(1, floorf((max_h - 2 * pad) / entry_h));
        if (shown > n_series)
            shown = n_series;
        float lh = shown * entry_h + 2 * pad;
        float x0 = plot.x0 + pad, y1 = plot.y1 - pad, y0 = y1 - lh;
        reel_draw_rect_filled(list, x0, y0, x0 + lw, y1, 4 * scale, COLOR_LEGEND_BG);
        for (uint32_t i = 0; i < shown; i++) {
            reel_view_timeseries_series *ser = &series[i];
            float ey = y0 + pad + i * entry_h;
            reel_ui_rect er = {x0, ey, x0 + lw, ey + entry_h};
            reel_ui_response lr =
                reel_ui_interact(ui, er, reel_ui_make_id_int(ui, (int64_t)(ser->id ^ in->view_id)),
                                 REEL_UI_SENSE_CLICK);
            if (lr.clicked) {
                toggle_hidden(st, ser->id);
                out->state_changed = true;
            }
            uint32_t c = ser->visible ? ser->color : view_color_with_alpha(ser->color, 80);
            float cy = ey + entry_h * 0.5f;
            reel_draw_rect_filled(list, x0 + pad, cy - swatch * 0.5f, x0 + pad + swatch,
                                  cy + swatch * 0.5f, 2 * scale, c);
            reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x0 + 2 * pad + swatch, ey, ser->name,
                              ser->name ? strlen(ser->name) : 0,
                              ser->visible ? COLOR_TEXT : COLOR_TEXT_WEAK, lw - 3 * pad - swatch);
        }
    }
    reel_draw_pop_clip(list);
    return REEL_OK;
}
