/* The text views: text log rows from several entities sorted by time, level colours, the body
 * and level filters, the row at the cursor and the table following it, a click on a time
 * cell; the text document's empty state and wrapping. */
#include "views_testing.h"

static reel_view_output draw_log(views_frame *f, reel_view_textlog_state *st,
                                 reel_view_textlog_info *info)
{
    reel_view_output out;
    views_frame_begin(f);
    CHECK_OK(reel_view_textlog_draw(&f->in, st, &out, info, NULL));
    views_frame_end(f);
    return out;
}

static reel_store *log_store(void)
{
    views_rec r;
    views_rec_begin(&r);
    static const char *const LEVELS[] = {"INFO", "WARN", "ERROR", "DEBUG"};
    for (int t = 0; t < 40; t++) {
        reel_set_time_sequence(r.rec, "frame", t);
        char body[64];
        snprintf(body, sizeof body, "%s message %d", t % 2 ? "odd" : "even", t);
        const char *text = body, *level = LEVELS[t % 4];
        reel_log(
            r.rec, t % 3 ? "logs/a" : "logs/b",
            &(reel_text_log){.text = reel_batch_string(&text), .level = reel_batch_string(&level)});
    }
    const char *plain = "no level";
    reel_set_time_sequence(r.rec, "frame", 100);
    uint32_t color = 0x112233ffu;
    reel_log(
        r.rec, "logs/a",
        &(reel_text_log){.text = reel_batch_string(&plain), .color = reel_batch_values(&color, 1)});
    return views_rec_store(&r);
}

TEST(textlog_rows_filters_and_follow)
{
    reel_store *store = log_store();
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/logs/a");
    views_frame_add(&f, "/logs/b");
    f.in.time = 10;
    reel_view_textlog_state st = {0};
    reel_view_textlog_info info;
    draw_log(&f, &st, &info);
    CHECK_EQ_INT(info.n_total, 41);
    CHECK_EQ_INT(info.n_rows, 41);
    for (uint32_t i = 1; i < info.n_rows; i++)
        CHECK(info.rows[i - 1].time <= info.rows[i].time);
    CHECK_EQ_INT(info.cursor_row, 10); /* the row at time 10 */
    CHECK_EQ_STR(info.rows[10].entity_path, "/logs/a");
    CHECK_EQ_STR(info.rows[9].entity_path, "/logs/b");
    CHECK_EQ_STR(info.rows[10].level, "ERROR");
    CHECK(info.rows[40].level == NULL);
    CHECK_EQ_U64(info.rows[40].color, REEL_RGBA(0x11, 0x22, 0x33, 0xff));
    CHECK_EQ_INT(info.n_levels, 5);
    /* Following: the cursor row centred (20 pt rows under a 20 pt header, 480 px tall),
     * within the scroll range (41 rows: at most 820 - 460). */
    float view_h = 480 - 20;
    CHECK_NEAR(st.scroll_px, 0, 1e-3);
    f.in.time = 20;
    draw_log(&f, &st, &info);
    CHECK_EQ_INT(info.cursor_row, 20);
    CHECK_NEAR(st.scroll_px, 20 * 20 + 10 - view_h / 2, 1e-3);
    f.in.time = 30;
    draw_log(&f, &st, &info);
    CHECK_EQ_INT(info.cursor_row, 30);
    CHECK_NEAR(st.scroll_px, 41 * 20 - view_h, 1e-3);
    /* Filters: body substring (case-insensitive) and hidden levels. */
    snprintf(st.filter, sizeof st.filter, "ODD");
    draw_log(&f, &st, &info);
    CHECK_EQ_INT(info.n_rows, 20);
    for (uint32_t i = 0; i < info.n_rows; i++)
        CHECK(strncmp(info.rows[i].body, "odd", 3) == 0);
    snprintf(st.hidden_levels[0], sizeof st.hidden_levels[0], "WARN");
    st.n_hidden_levels = 1;
    draw_log(&f, &st, &info);
    CHECK_EQ_INT(info.n_rows, 10); /* odd rows are WARN or DEBUG */
    for (uint32_t i = 0; i < info.n_rows; i++)
        CHECK_EQ_STR(info.rows[i].level, "DEBUG");
    CHECK_EQ_INT(info.n_total, 41);
    /* A click on a time cell asks for that time. */
    st.filter[0] = 0;
    st.n_hidden_levels = 0;
    f.in.time = 0;
    draw_log(&f, &st, &info);
    float row_y = f.in.rect.y0 + 20 + 2 * 20 + 10 - st.scroll_px; /* row 2 */
    driver_move(&f.driver, f.in.rect.x0 + 20, row_y);
    draw_log(&f, &st, &info);
    driver_press(&f.driver, REEL_MOUSE_LEFT);
    draw_log(&f, &st, &info);
    driver_release(&f.driver, REEL_MOUSE_LEFT);
    reel_view_output out = draw_log(&f, &st, &info);
    CHECK(out.set_time);
    CHECK_EQ_INT(out.new_time, 2);
    CHECK(out.hovered);
    views_frame_free(&f);
    reel_store_destroy(store);
}

TEST(level_colors)
{
    CHECK_EQ_U64(reel_view_textlog_level_color("ERROR"), REEL_RGBA(0xab, 0x01, 0x16, 255));
    CHECK_EQ_U64(reel_view_textlog_level_color("WARN"), REEL_RGBA(0xff, 0x7a, 0x0c, 255));
    CHECK_EQ_U64(reel_view_textlog_level_color("INFO"), REEL_RGBA(0x00, 0xda, 0x7e, 255));
    CHECK_EQ_U64(reel_view_textlog_level_color("DEBUG"), REEL_RGBA(0xad, 0xbb, 0xff, 255));
    CHECK_EQ_U64(reel_view_textlog_level_color("TRACE"), REEL_RGBA(0xbf, 0xbf, 0xbf, 255));
    CHECK_EQ_U64(reel_view_textlog_level_color("other"), 0);
    CHECK_EQ_U64(reel_view_textlog_level_color(NULL), 0);
}

static float text_height(views_frame *f, reel_view_textdoc_state *st, uint32_t *n_vertices)
{
    reel_view_output out;
    views_frame_begin(f);
    uint32_t before = reel_ui_draw_list(f->driver.ui)->n_vertices;
    CHECK_OK(reel_view_textdoc_draw(&f->in, st, &out, NULL));
    const reel_draw_list *list = reel_ui_draw_list(f->driver.ui);
    float lo = 1e9f, hi = -1e9f;
    for (uint32_t i = before; i < list->n_vertices; i++) {
        lo = list->vertices[i].y < lo ? list->vertices[i].y : lo;
        hi = list->vertices[i].y > hi ? list->vertices[i].y : hi;
    }
    *n_vertices = list->n_vertices - before;
    views_frame_end(f);
    return hi - lo;
}

TEST(textdoc_wraps_plain_text)
{
    views_rec r;
    views_rec_begin(&r);
    reel_set_time_sequence(r.rec, "frame", 5);
    char longtext[2048] = "";
    for (int i = 0; i < 60; i++)
        strcat(longtext, "lorem ipsum ");
    const char *text = longtext;
    reel_log(r.rec, "doc", &(reel_text_document){.text = reel_batch_string(&text)});
    reel_store *store = views_rec_store(&r);
    views_frame f;
    views_frame_init(&f, store);
    views_frame_add(&f, "/doc");
    f.in.rect = (reel_ui_rect){0, 0, 300, 400};
    reel_view_textdoc_state st = {0};
    uint32_t n = 0;
    f.in.time = 0; /* before the document: "(empty)" on one line */
    float h0 = text_height(&f, &st, &n);
    CHECK(n > 0);
    float line = reel_ui_line_height(f.driver.ui, REEL_UI_FONT_BODY);
    CHECK(h0 <= line + 1);
    f.in.time = 5;
    float h1 = text_height(&f, &st, &n);
    CHECK(h1 > 5 * line); /* 720 characters in 276 px wrap onto many lines */
    st.no_word_wrap = true;
    float h2 = text_height(&f, &st, &n);
    CHECK(h2 <= line + 1);
    views_frame_free(&f);
    reel_store_destroy(store);
}

int main(void)
{
    RUN(textlog_rows_filters_and_follow);
    RUN(level_colors);
    RUN(textdoc_wraps_plain_text);
    TEST_MAIN_END();
}
