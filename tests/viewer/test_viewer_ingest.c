/* Ingestion: .rrd files written with Reel's rrd writer (several recordings of two apps),
 * the recordings list order and labels, the entity db (components, archetypes, data density),
 * a truncated file and a corrupt message keeping what was good with a clear error, the
 * selection model and the selection panel's rows, and a view's entities and queries. */
#include <unistd.h>

#include "viewer_testing.h"

static void write_chunk(reel_rrd_writer *w, const reel_store_id *id, reel_chunk *chunk)
{
    if (chunk != NULL)
        CHECK_OK(reel_rrd_writer_write_chunk(w, id, chunk, NULL));
    reel_chunk_release(chunk);
}

/* Two recordings: "b_app"/"r1" (points, scalars over frames 0..9) and "a_app"/"r2" (named). */
static void write_file(const char *path)
{
    reel_rrd_writer *w = NULL;
    CHECK_OK(reel_rrd_writer_create_path(path, NULL, &w, NULL));
    reel_store_id r1 = {REEL_STORE_KIND_RECORDING, "r1", "b_app"};
    reel_store_id r2 = {REEL_STORE_KIND_RECORDING, "r2", "a_app"};
    CHECK_OK(reel_rrd_writer_write_store_info(w, &(reel_store_info){.store_id = r1}, NULL));
    for (int i = 0; i < 10; i++) {
        write_chunk(w, &r1,
                    vt_make_chunk("/world/points", i, NULL, "Points3D", "positions", i, 0, 0));
        write_chunk(w, &r1, vt_make_chunk("/plot", i * 2, NULL, "Scalars", "scalars", i, 0, 0));
    }
    CHECK_OK(reel_rrd_writer_write_store_info(w, &(reel_store_info){.store_id = r2}, NULL));
    write_chunk(w, &r2, vt_make_chunk("/__properties", -1, NULL, "RecordingInfo", "name", 0, 0, 0));
    write_chunk(w, &r2, vt_make_chunk("/log", 3, NULL, "TextLog", "text", 0, 0, 0));
    CHECK_OK(reel_rrd_writer_finish(w, NULL));
    reel_rrd_writer_destroy(w);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void copy_prefix(const char *from, const char *to, long n, long flip_at)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    for (long i = 0; in != NULL && out != NULL && i < n; i++) {
        int c = fgetc(in);
        if (c == EOF)
            break;
        if (i == flip_at)
            c ^= 0xFF;
        fputc(c, out);
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

TEST(loads_recordings_in_list_order_with_entity_db)
{
    char path[] = "/tmp/reel_viewer_rrd_XXXXXX";
    close(mkstemp(path));
    write_file(path);
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    reel_viewer_load_result result;
    CHECK_OK(reel_viewer_load_path(v, path, false, &result, NULL));
    CHECK_EQ_U64(result.bad_messages, 0);
    CHECK_EQ_U64((uint64_t)reel_viewer_recording_count(v), 2);
    /* Grouped by application id: a_app first, though it came second. */
    reel_viewer_recording *first = reel_viewer_recording_at(v, 0);
    reel_viewer_recording *second = reel_viewer_recording_at(v, 1);
    CHECK_EQ_STR(reel_viewer_recording_id(first)->application_id, "a_app");
    CHECK_EQ_STR(reel_viewer_recording_id(second)->recording_id, "r1");
    /* The last SetStoreInfo opened its recording. */
    CHECK(reel_viewer_active_recording(v) == first);
    reel_buf label = {0};
    CHECK_OK(reel_viewer_recording_label(first, &label));
    CHECK(strncmp((const char *)label.data, "x - ", 4) == 0); /* RecordingInfo.name */
    CHECK_OK(reel_viewer_recording_label(second, &label));
    CHECK(strncmp((const char *)label.data, "<unknown> - ", 12) == 0);
    reel_buf_free(&label);

    reel_store *store = reel_viewer_recording_store(second);
    uint32_t points = reel_store_entity_find(store, "/world/points");
    const reel_viewer_entity *info = reel_viewer_entity_info(second, points);
    if (CHECK(info != NULL)) {
        CHECK(info->archetypes & REEL_VIEWER_ARCH_BIT(Points3D));
        CHECK_EQ_INT(info->n_components, 1);
    }
    const char *const *names = NULL;
    CHECK_EQ_INT((long long)reel_viewer_entity_archetypes(second, points, &names), 1);
    CHECK_EQ_STR(names[0], "rerun.archetypes.Points3D");
    uint32_t frame = reel_store_timeline_find(store, "frame");
    CHECK_EQ_U64(reel_viewer_timeline_rows(second, frame), 20);
    uint64_t counts[4] = {0};
    /* /plot logs at 0,2,...,18: buckets of width 5 over [0, 20). */
    CHECK_OK(reel_viewer_density(second, reel_store_entity_find(store, "/plot"), false, frame, 0, 5,
                                 4, counts, NULL));
    CHECK_EQ_U64(counts[0], 3);
    CHECK_EQ_U64(counts[1], 2);
    CHECK_EQ_U64(counts[2], 3);
    CHECK_EQ_U64(counts[3], 2);
    /* The whole tree under /world. */
    CHECK_OK(reel_viewer_density(second, reel_store_entity_find(store, "/world"), true, frame, 0,
                                 10, 1, counts, NULL));
    CHECK_EQ_U64(counts[0], 10);
    reel_viewer_destroy(v);
    remove(path);
}

TEST(truncated_and_corrupt_files_keep_what_was_good)
{
    char path[] = "/tmp/reel_viewer_rrd_XXXXXX", cut[] = "/tmp/reel_viewer_cut_XXXXXX";
    close(mkstemp(path));
    close(mkstemp(cut));
    write_file(path);
    long size = file_size(path);
    copy_prefix(path, cut, size / 2, -1);
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    reel_viewer_load_result result;
    reel_error err = {0};
    CHECK(reel_viewer_load_path(v, cut, false, &result, &err) == REEL_TRUNCATED);
    CHECK(strstr(err.message, cut) != NULL);
    CHECK(strstr(result.error, "truncated") != NULL);
    CHECK(result.messages > 3);
    reel_viewer_recording *rec = reel_viewer_recording_find(v, "r1");
    CHECK(rec != NULL &&
          reel_store_entity_find(reel_viewer_recording_store(rec), "/plot") != REEL_STORE_NO_ID);
    reel_viewer_destroy(v);

    /* One corrupt byte inside a chunk's payload: that message is skipped, the rest loads. */
    copy_prefix(path, cut, size, 700);
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    reel_error err2 = {0};
    reel_status status = reel_viewer_load_path(v, cut, false, &result, &err2);
    CHECK(status != REEL_OK);
    CHECK(strstr(err2.message, "message") != NULL);
    CHECK(result.messages > 10);
    CHECK(reel_viewer_recording_find(v, "r2") != NULL);
    reel_viewer_destroy(v);
    remove(path);
    remove(cut);
}

TEST(selection_and_component_rows)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    vt_log_value(v, "app", "rec", "/plot", 1, NULL, "Scalars", "scalars", 1.5, 0, 0);
    vt_log_value(v, "app", "rec", "/plot", 5, NULL, "Scalars", "scalars", 2.5, 0, 0);
    vt_log_value(v, "app", "rec", "/plot", -1, NULL, "SeriesLines", "names", 0, 0, 0);
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    uint32_t frame = reel_store_timeline_find(reel_viewer_recording_store(rec), "frame");
    reel_viewer_rows rows = {0};
    CHECK_OK(reel_viewer_entity_rows(rec, "/plot", frame, 3, 0, &rows, NULL));
    if (CHECK_EQ_INT((long long)rows.count, 2)) {
        CHECK_EQ_STR(rows.rows[0].archetype, "Scalars");
        CHECK_EQ_STR(rows.rows[0].component, "Scalars:scalars");
        CHECK_EQ_STR(rows.rows[0].value, "[1.5]");
        CHECK(!rows.rows[0].is_static);
        CHECK_EQ_STR(rows.rows[1].archetype, "SeriesLines");
        CHECK(rows.rows[1].is_static);
    }
    reel_viewer_rows_reset(&rows);
    CHECK_OK(reel_viewer_entity_rows(rec, "/plot", frame, 9, 0, &rows, NULL));
    CHECK_EQ_STR(rows.rows[0].value, "[2.5]");
    reel_viewer_rows_reset(&rows);
    reel_error err = {0};
    CHECK(reel_viewer_entity_rows(rec, "/nope", frame, 9, 0, &rows, &err) == REEL_NOT_FOUND);
    CHECK(strstr(err.message, "/nope") != NULL);

    reel_viewer_item a = {.kind = REEL_ITEM_ENTITY, .entity_path = "/plot", .instance = -1};
    reel_viewer_item b = {
        .kind = REEL_ITEM_COMPONENT, .entity_path = "/plot", .component = "Scalars:scalars"};
    reel_viewer_select(v, &a);
    CHECK_EQ_INT((long long)reel_viewer_selection_count(v), 1);
    reel_viewer_select_toggle(v, &b);
    CHECK_EQ_INT((long long)reel_viewer_selection_count(v), 2);
    CHECK(reel_viewer_is_selected(v, &b));
    reel_viewer_select_toggle(v, &a);
    CHECK_EQ_INT((long long)reel_viewer_selection_count(v), 1);
    CHECK(reel_viewer_entity_is_selected(v, "/plot"));
    CHECK(!reel_viewer_entity_is_selected(v, "/other"));
    reel_viewer_select(v, &a); /* click replaces */
    CHECK_EQ_INT((long long)reel_viewer_selection_count(v), 1);
    CHECK(reel_viewer_is_selected(v, &a) && !reel_viewer_is_selected(v, &b));
    reel_viewer_select_clear(v);
    CHECK_EQ_INT((long long)reel_viewer_selection_count(v), 0);
    /* Hover shows up the next frame. */
    reel_viewer_hover(v, &a);
    CHECK(reel_viewer_hovered(v) == NULL);
    reel_viewer_begin_frame(v, 0);
    CHECK(reel_viewer_hovered(v) != NULL && reel_viewer_entity_is_hovered(v, "/plot"));
    reel_viewer_begin_frame(v, 0);
    CHECK(reel_viewer_hovered(v) == NULL);
    reel_viewer_end_frame(v);
    reel_viewer_destroy(v);
}

TEST(view_entities_and_queries)
{
    reel_viewer *v = NULL;
    CHECK_OK(reel_viewer_create(NULL, &v, NULL));
    vt_log(v, "/world/a", 0, "Points3D", "positions");
    vt_log(v, "/world/skip/b", 0, "Points3D", "positions");
    vt_log(v, "/other", 0, "Points3D", "positions");
    reel_viewer_recording *rec = reel_viewer_active_recording(v);
    const char *query[] = {"+ $origin/**", "- $origin/skip/**"};
    reel_bp_view view = {.class_identifier = "3D",
                         .space_origin = "/world",
                         .query = query,
                         .n_query = 2,
                         .visible = true};
    reel_vec entities;
    reel_vec_init(&entities, sizeof(uint32_t), NULL);
    CHECK_OK(reel_viewer_view_entities(rec, &view, &entities, NULL));
    reel_store *store = reel_viewer_recording_store(rec);
    if (CHECK_EQ_INT((long long)entities.len, 1))
        CHECK_EQ_STR(reel_store_entity_path(store, REEL_VEC_AT(&entities, uint32_t, 0)),
                     "/world/a");
    reel_vec results;
    reel_vec_init(&results, sizeof(reel_store_result), NULL);
    uint32_t frame = reel_store_timeline_find(store, "frame");
    CHECK_OK(reel_viewer_view_latest_at(rec, entities.data, entities.len, frame, 0,
                                        "Points3D:positions", &results, NULL));
    CHECK_EQ_INT(REEL_VEC_AT(&results, reel_store_result, 0).state, REEL_STORE_VALUE);
    reel_vec rows;
    reel_vec_init(&rows, sizeof(reel_store_row), NULL);
    CHECK_OK(reel_viewer_view_range(rec, REEL_VEC_AT(&entities, uint32_t, 0), frame, 0, 10,
                                    "Points3D:positions", &rows, NULL));
    CHECK_EQ_INT((long long)rows.len, 1);
    reel_vec_free(&rows);
    reel_vec_free(&results);
    reel_vec_free(&entities);
    reel_viewer_destroy(v);
}

int main(void)
{
    RUN(loads_recordings_in_list_order_with_entity_db);
    RUN(truncated_and_corrupt_files_keep_what_was_good);
    RUN(selection_and_component_rows);
    RUN(view_entities_and_queries);
    TEST_MAIN_END();
}
