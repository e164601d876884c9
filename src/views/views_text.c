/* The text views (viewer-behavior §5). Text log: every TextLog row of the view's entities on
 * the active timeline, sorted by (time, RowId), filtered by a body substring and by level,
 * shown as a dense table (time, entity, level in Rerun's level colours, body) that scrolls to
 * keep the row at the time cursor centred whenever the cursor or the rows change, with a line
 * marking the cursor. Text document: the latest TextDocument at the cursor as wrapped plain
 * text (markdown is shown as its source, "#" headings in the heading font). */
#include "views/views_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>

static const uint32_t TEXT = REEL_RGBA(0xcf, 0xcf, 0xcf, 255);
static const uint32_t TEXT_WEAK = REEL_RGBA(0x93, 0x90, 0x90, 255);
static const uint32_t TEXT_STRONG = REEL_RGBA(0xff, 0xff, 0xff, 255);
static const uint32_t HEADER_BG = REEL_RGBA(0x17, 0x17, 0x17, 255);
static const uint32_t ROW_HOVER = REEL_RGBA(0x27, 0x26, 0x26, 255);

uint32_t reel_view_textlog_level_color(const char *level)
{
    if (level == NULL)
        return 0;
    if (strcmp(level, "CRITICAL") == 0)
        return REEL_RGBA(0xff, 0xff, 0xff, 255);
    if (strcmp(level, "ERROR") == 0)
        return REEL_RGBA(0xab, 0x01, 0x16, 255);
    if (strcmp(level, "WARN") == 0)
        return REEL_RGBA(0xff, 0x7a, 0x0c, 255);
    if (strcmp(level, "INFO") == 0)
        return REEL_RGBA(0x00, 0xda, 0x7e, 255);
    if (strcmp(level, "DEBUG") == 0)
        return REEL_RGBA(0xad, 0xbb, 0xff, 255);
    if (strcmp(level, "TRACE") == 0)
        return REEL_RGBA(0xbf, 0xbf, 0xbf, 255);
    return 0;
}

/* ---------------------------------------------------------------- text log rows */

static int compare_rows(const void *a, const void *b)
{
    const reel_view_textlog_row *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return reel_tuid_compare(x->row_id, y->row_id);
}

static bool contains_ci(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool level_hidden(const reel_view_textlog_state *st, const char *level)
{
    const char *l = level ? level : "";
    for (uint32_t i = 0; i < st->n_hidden_levels && i < REEL_VIEW_MAX_LEVELS; i++)
        if (strcmp(st->hidden_levels[i], l) == 0)
            return true;
    return false;
}

static const char *span_str(view_ctx *ctx, reel_span s)
{
    return reel_arena_strndup(ctx->arena, (const char *)s.data, s.len);
}

/* Every TextLog row of the view's entities, unfiltered, sorted. */
static reel_status collect_rows(view_ctx *ctx, reel_vec *rows)
{
    const reel_view_input *in = ctx->in;
    uint32_t text_c = reel_store_component_find(ctx->store, "TextLog:text");
    if (text_c == REEL_STORE_NO_ID)
        return REEL_OK;
    reel_vec found;
    reel_vec_init(&found, sizeof(reel_store_row), NULL);
    reel_status status = REEL_OK;
    for (uint32_t i = 0; i < in->n_entities && status == REEL_OK; i++) {
        uint32_t e = in->entities[i] ? reel_store_entity_find(ctx->store, in->entities[i])
                                     : REEL_STORE_NO_ID;
        if (e == REEL_STORE_NO_ID)
            continue;
        const char *path = reel_store_entity_path(ctx->store, e);
        reel_vec_clear(&found);
        if (ctx->timeline != REEL_STORE_NO_ID) {
            status = reel_store_range_id(ctx->store, e, ctx->timeline, INT64_MIN + 1, INT64_MAX,
                                         text_c, NULL, &found, NULL);
        } else {
            reel_store_result res;
            if (reel_store_latest_at_id(ctx->store, e, REEL_STORE_NO_ID, 0, text_c, &res) ==
                REEL_STORE_VALUE)
                status = reel_vec_push(&found, &res.value);
        }
        const reel_store_row *r = found.data;
        for (size_t k = 0; k < found.len && status == REEL_OK; k++) {
            const reel_chunk *chunk = r[k].chunk;
            view_cell cell;
            reel_span body;
            if (!view_cell_at(chunk, reel_chunk_find_component(chunk, "TextLog:text"), r[k].row,
                              &cell) ||
                !view_cell_string(&cell, 0, &body))
                continue;
            reel_view_textlog_row row = {
                .time = r[k].time, .row_id = r[k].row_id, .entity_path = path};
            row.body = (const char *)body.data;
            row.body_len = body.len;
            reel_span level;
            if (view_cell_at(chunk, reel_chunk_find_component(chunk, "TextLog:level"), r[k].row,
                             &cell) &&
                view_cell_string(&cell, 0, &level))
                row.level = span_str(ctx, level);
            uint32_t n = 0;
            const uint32_t *color =
                view_cell_at(chunk, reel_chunk_find_component(chunk, "TextLog:color"), r[k].row,
                             &cell)
                    ? view_cell_u32(&cell, 1, &n)
                    : NULL;
            if (color && n)
                row.color = view_color_from_rerun(color[0]);
            status = reel_vec_push(rows, &row);
        }
    }
    reel_vec_free(&found);
    if (status == REEL_OK && rows->len > 1)
        qsort(rows->data, rows->len, sizeof(reel_view_textlog_row), compare_rows);
    return status;
}

static void format_row_time(char *buf, size_t size, reel_time_type type, int64_t t)
{
    if (t == REEL_STORE_TIME_STATIC) {
        snprintf(buf, size, "static");
    } else if (type == REEL_TIME_SEQUENCE) {
        snprintf(buf, size, "#%" PRId64, t);
    } else if (type == REEL_TIME_DURATION_NS) {
        snprintf(buf, size, "%.3fs", (double)t / 1e9);
    } else {
        int64_t secs = t / 1000000000, ns = t % 1000000000;
        if (ns < 0)
            ns += 1000000000, secs--;
        int64_t day = ((secs % 86400) + 86400) % 86400;
        snprintf(buf, size, "%02d:%02d:%02d.%03d", (int)(day / 3600), (int)(day / 60 % 60),
                 (int)(day % 60), (int)(ns / 1000000));
    }
}

reel_status reel_view_textlog_draw(const reel_view_input *in, reel_view_textlog_state *st,
                                   reel_view_output *out, reel_view_textlog_info *info,
                                   reel_error *err)
{
    memset(out, 0, sizeof *out);
    out->scene = -1;
    if (info)
        memset(info, 0, sizeof *info);
    if (in == NULL || in->store == NULL || in->arena == NULL || st == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "textlog: missing input");
    view_ctx ctx;
    view_ctx_init(&ctx, in);
    reel_vec all;
    reel_vec_init(&all, sizeof(reel_view_textlog_row), NULL);
    reel_status status = collect_rows(&ctx, &all);
    if (status != REEL_OK) {
        reel_vec_free(&all);
        return reel_error_set(err, status, "textlog: cannot collect rows");
    }
    /* Filters, levels seen, the cursor row. */
    reel_view_textlog_row *rows = view_alloc(&ctx, all.len ? all.len : 1, sizeof *rows);
    if (rows == NULL) {
        reel_vec_free(&all);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "textlog: frame arena exhausted");
    }
    const char *levels[REEL_VIEW_MAX_LEVELS];
    uint32_t n_levels = 0, n_rows = 0;
    int64_t cursor_row = -1;
    const reel_view_textlog_row *src = all.data;
    for (size_t i = 0; i < all.len; i++) {
        const char *lvl = src[i].level;
        bool seen = false;
        for (uint32_t k = 0; k < n_levels && !seen; k++)
            seen = (lvl == NULL) == (levels[k] == NULL) &&
                   (lvl == NULL || strcmp(levels[k], lvl) == 0);
        if (!seen && n_levels < REEL_VIEW_MAX_LEVELS)
            levels[n_levels++] = lvl;
        if (level_hidden(st, lvl) || !contains_ci(src[i].body, src[i].body_len, st->filter))
            continue;
        rows[n_rows] = src[i];
        if (src[i].time <= in->time || src[i].time == REEL_STORE_TIME_STATIC)
            cursor_row = n_rows;
        n_rows++;
    }
    uint32_t n_total = (uint32_t)all.len;
    reel_vec_free(&all);
    if (info) {
        info->rows = rows;
        info->n_rows = n_rows;
        info->n_total = n_total;
        info->cursor_row = cursor_row;
        for (uint32_t k = 0; k < n_levels; k++)
            info->levels[k] = levels[k] ? levels[k] : "";
        info->n_levels = n_levels;
    }
    if (in->ui == NULL)
        return REEL_OK;

    /* Layout. */
    reel_ui *ui = in->ui;
    float scale = ctx.scale;
    float row_h = 20 * scale, header_h = 20 * scale, margin = 8 * scale;
    reel_ui_rect r = in->rect;
    float widths[3];
    static const float DEFAULTS[3] = {110, 150, 70};
    bool shown[3] = {!st->hide_time, !st->hide_entity, !st->hide_level};
    for (int c = 0; c < 3; c++)
        widths[c] =
            shown[c] ? (st->column_width_pt[c] > 0 ? st->column_width_pt[c] : DEFAULTS[c]) * scale
                     : 0;
    reel_ui_rect body = {r.x0, r.y0 + header_h, r.x1, r.y1};
    float view_h = body.y1 - body.y0;
    float content_h = n_rows * row_h;
    reel_ui_id id = reel_ui_make_id_int(ui, (int64_t)(in->view_id ^ 0x7e47ull));
    reel_ui_response resp = reel_ui_interact(ui, body, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_APP);
    out->response = resp;
    const reel_input *input = reel_ui_input(ui);
    /* Follow the cursor when it moved or the rows changed. */
    bool follow =
        !st->followed || st->followed_time != in->time || st->followed_rows != (int64_t)n_rows;
    if (follow) {
        float target =
            cursor_row >= 0 ? (float)cursor_row * row_h + row_h * 0.5f - view_h * 0.5f : 0;
        st->scroll_px = target;
        st->followed = true;
        st->followed_time = in->time;
        st->followed_rows = n_rows;
    }
    if (resp.hovered && input && input->wheel_y != 0)
        st->scroll_px -= input->wheel_y * 50 * scale;
    float max_scroll = content_h - view_h > 0 ? content_h - view_h : 0;
    st->scroll_px = st->scroll_px < 0 ? 0 : st->scroll_px > max_scroll ? max_scroll : st->scroll_px;

    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_push_clip(list, r.x0, r.y0, r.x1, r.y1);
    /* Header. */
    reel_draw_rect_filled(list, r.x0, r.y0, r.x1, r.y0 + header_h, 0, HEADER_BG);
    float line_h = reel_ui_line_height(ui, REEL_UI_FONT_BODY);
    float ty = (row_h - line_h) * 0.5f;
    const char *timeline_name = in->timeline ? in->timeline : "time";
    const char *headers[4] = {timeline_name, "Entity path", "Level", "Body"};
    float x = r.x0;
    for (int c = 0; c < 4; c++) {
        if (c < 3 && !shown[c])
            continue;
        float w = c < 3 ? widths[c] : r.x1 - x;
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin, r.y0 + ty, headers[c],
                          strlen(headers[c]), TEXT, w - 2 * margin);
        x += w;
    }
    /* Rows (only the visible ones). */
    reel_draw_push_clip(list, body.x0, body.y0, body.x1, body.y1);
    reel_time_type type = ctx.timeline != REEL_STORE_NO_ID
                              ? reel_store_timeline_type(in->store, ctx.timeline)
                              : REEL_TIME_SEQUENCE;
    int64_t first = (int64_t)(st->scroll_px / row_h);
    int64_t last = (int64_t)((st->scroll_px + view_h) / row_h) + 1;
    for (int64_t i = first < 0 ? 0 : first; i < last && i < (int64_t)n_rows; i++) {
        const reel_view_textlog_row *row = &rows[i];
        float y0 = body.y0 + (float)i * row_h - st->scroll_px;
        bool hovered_row =
            resp.hovered && input && input->pointer_y >= y0 && input->pointer_y < y0 + row_h;
        if (hovered_row) {
            reel_draw_rect_filled(list, body.x0, y0, body.x1, y0 + row_h, 0, ROW_HOVER);
            out->hovered = true;
            out->hover.entity_path = row->entity_path;
            out->hover.instance = -1;
            if (resp.clicked) {
                bool on_time = shown[0] && input->pointer_x < body.x0 + widths[0];
                if (on_time && row->time != REEL_STORE_TIME_STATIC) {
                    out->set_time = true;
                    out->new_time = row->time;
                } else {
                    out->clicked = true;
                }
            }
        }
        char tbuf[48];
        x = body.x0;
        if (shown[0]) {
            format_row_time(tbuf, sizeof tbuf, type, row->time);
            reel_ui_draw_text(ui, REEL_UI_FONT_MONO, x + margin, y0 + ty, tbuf, strlen(tbuf), TEXT,
                              widths[0] - 2 * margin);
            x += widths[0];
        }
        if (shown[1]) {
            reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin, y0 + ty, row->entity_path,
                              strlen(row->entity_path), TEXT, widths[1] - 2 * margin);
            x += widths[1];
        }
        uint32_t level_color = reel_view_textlog_level_color(row->level);
        if (shown[2]) {
            const char *lvl = row->level ? row->level : "-";
            if (row->level && strcmp(row->level, "CRITICAL") == 0)
                reel_draw_rect_filled(list, x + 2 * scale, y0 + 2 * scale,
                                      x + widths[2] - 2 * scale, y0 + row_h - 2 * scale, 3 * scale,
                                      REEL_RGBA(0xab, 0x01, 0x16, 255));
            reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin, y0 + ty, lvl, strlen(lvl),
                              level_color ? level_color : TEXT, widths[2] - 2 * margin);
            x += widths[2];
        }
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, x + margin, y0 + ty, row->body, row->body_len,
                          row->color ? row->color : TEXT, body.x1 - x - 2 * margin);
    }
    /* The cursor line: below the row at the cursor. */
    if (cursor_row >= 0) {
        float y = body.y0 + (float)(cursor_row + 1) * row_h - st->scroll_px;
        reel_draw_line(list, body.x0, y, body.x1, y, 1 * scale, TEXT_STRONG);
    }
    reel_draw_pop_clip(list);
    reel_draw_pop_clip(list);
    return REEL_OK;
}

/* ---------------------------------------------------------------- text document */

reel_status reel_view_textdoc_draw(const reel_view_input *in, reel_view_textdoc_state *st,
                                   reel_view_output *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    out->scene = -1;
    if (in == NULL || in->store == NULL || in->arena == NULL || st == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "textdoc: missing input");
    if (in->ui == NULL)
        return REEL_OK;
    view_ctx ctx;
    view_ctx_init(&ctx, in);
    reel_ui *ui = in->ui;
    float scale = ctx.scale, pad = 12 * scale;
    reel_ui_rect r = in->rect;
    reel_ui_id id = reel_ui_make_id_int(ui, (int64_t)(in->view_id ^ 0x7d0cull));
    out->response = reel_ui_interact(ui, r, id, REEL_UI_SENSE_CLICK | REEL_UI_SENSE_APP);
    out->clicked = out->response.clicked;
    reel_draw_list *list = reel_ui_draw_list(ui);
    reel_draw_push_clip(list, r.x0, r.y0, r.x1, r.y1);
    reel_span text = {0}, media = {0};
    bool found = false;
    for (uint32_t i = 0; i < in->n_entities && !found; i++) {
        uint32_t e =
            in->entities[i] ? reel_store_entity_find(in->store, in->entities[i]) : REEL_STORE_NO_ID;
        view_cell cell;
        if (e != REEL_STORE_NO_ID && view_query(&ctx, e, "TextDocument:text", &cell) &&
            view_cell_string(&cell, 0, &text)) {
            found = true;
            if (view_query(&ctx, e, "TextDocument:media_type", &cell))
                view_cell_string(&cell, 0, &media);
        }
    }
    if (!found) {
        reel_ui_draw_text(ui, REEL_UI_FONT_BODY, r.x0 + pad, r.y0 + pad, "(empty)", 7, TEXT_WEAK,
                          0);
        reel_draw_pop_clip(list);
        return REEL_OK;
    }
    bool markdown = media.len == 13 && memcmp(media.data, "text/markdown", 13) == 0;
    const reel_input *input = reel_ui_input(ui);
    if (out->response.hovered && input && input->wheel_y != 0)
        st->scroll_px -= input->wheel_y * 50 * scale;
    if (st->scroll_px < 0)
        st->scroll_px = 0;
    float max_w = r.x1 - r.x0 - 2 * pad;
    float y = r.y0 + pad - st->scroll_px;
    const char *s = (const char *)text.data;
    size_t len = text.len, pos = 0;
    while (pos <= len) {
        size_t eol = pos;
        while (eol < len && s[eol] != '\n')
            eol++;
        reel_ui_font font = st->monospace ? REEL_UI_FONT_MONO : REEL_UI_FONT_BODY;
        size_t start = pos;
        if (markdown && start < eol && s[start] == '#') {
            font = REEL_UI_FONT_HEADING;
            while (start < eol && (s[start] == '#' || s[start] == ' '))
                start++;
        }
        float lh = reel_ui_line_height(ui, font);
        /* Greedy word wrap of [start, eol). */
        size_t a = start;
        do {
            size_t b = eol;
            if (!st->no_word_wrap && reel_ui_text_width(ui, font, s + a, eol - a) > max_w) {
                size_t last_space = a, k = a;
                while (k < eol) {
                    size_t next = k;
                    while (next < eol && s[next] != ' ')
                        next++;
                    if (reel_ui_text_width(ui, font, s + a, next - a) > max_w && last_space > a)
                        break;
                    last_space = next;
                    k = next + 1;
                    if (reel_ui_text_width(ui, font, s + a, next - a) > max_w)
                        break;
                }
                b = last_space > a ? last_space : eol;
            }
            if (y + lh >= r.y0 && y <= r.y1)
                reel_ui_draw_text(ui, font, r.x0 + pad, y, s + a, b - a,
                                  font == REEL_UI_FONT_HEADING ? TEXT_STRONG : TEXT, 0);
            y += lh;
            a = b < eol && s[b] == ' ' ? b + 1 : b;
        } while (a < eol);
        pos = eol + 1;
    }
    float content = y + st->scroll_px - (r.y0 + pad);
    float max_scroll = content - (r.y1 - r.y0 - 2 * pad);
    if (st->scroll_px > max_scroll)
        st->scroll_px = max_scroll > 0 ? max_scroll : 0;
    reel_draw_pop_clip(list);
    return REEL_OK;
}
