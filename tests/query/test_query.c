/* The dataframe query (src/query): rows per distinct time, the last RowId at a time, fill,
 * Clears as tombstones (own, recursive ancestors, not flat ancestors), static columns, index
 * values, ranges, entity filters, projection, errors; and its text forms and time parsing.
 * Expected tables are written as the JSON form, which shows every cell exactly. */
#include "query/query.h"
#include "store/store_testing.h"

/* The query's JSON text (malloc'd), or NULL with the error in *err. */
static char *query_json(const reel_store *store, const reel_query_desc *desc, reel_error *err)
{
    reel_query_result *result = NULL;
    if (reel_query_run(store, desc, &result, err) != REEL_OK)
        return NULL;
    reel_buf out;
    reel_buf_init(&out, NULL);
    CHECK_OK(reel_query_write_json(&out, &result->schema, &result->batch, err));
    reel_query_result_destroy(result);
    CHECK_OK(reel_buf_append(&out, "", 1));
    char *text = strdup((const char *)out.data);
    reel_buf_free(&out);
    return text;
}

#define CHECK_JSON(store, desc, expected)                                                          \
    do {                                                                                           \
        reel_error check_err = {0};                                                                \
        char *got = query_json(store, desc, &check_err);                                           \
        if (got == NULL)                                                                           \
            fprintf(stderr, "query failed: %s\n", check_err.message);                              \
        else if (!CHECK(strcmp(got, expected) == 0))                                               \
            fprintf(stderr, "got:\n%s\nexpected:\n%s\n", got, expected);                           \
        free(got);                                                                                 \
    } while (0)

#define V(c, x)                                                                                    \
    {                                                                                              \
        ST_VALUE, c, x                                                                             \
    }
#define E(c)                                                                                       \
    {                                                                                              \
        ST_EMPTY, c, 0                                                                             \
    }
#define CLR                                                                                        \
    {                                                                                              \
        ST_CLEAR, NULL, 0                                                                          \
    }
#define RCLR                                                                                       \
    {                                                                                              \
        ST_RCLEAR, NULL, 0                                                                         \
    }

/* /a: s at frames 3 (row 2, out of order), 5 (rows 1 and 4: 4 wins), t at 5 (row 3). */
static reel_store *sample_store(void)
{
    reel_store *store = st_store(true);
    st_row a1[] = {{1, 5, {V("s", 1.0), V("t", 10.0)}}};
    st_row a2[] = {{2, 3, {V("s", 3.0)}}};
    st_row a3[] = {{3, 5, {V("t", 20.0)}}, {4, 5, {V("s", 5.0)}}};
    st_insert(store, "/a", a1, 1);
    st_insert(store, "/a", a2, 1);
    st_insert(store, "/a", a3, 2);
    return store;
}

TEST(rows_per_time_last_row_id_wins)
{
    reel_store *store = sample_store();
    reel_query_desc desc = {.timeline = "frame"};
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 3, \"/a:s\": [3], \"/a:t\": null},\n"
               "{\"frame\": 5, \"/a:s\": [5], \"/a:t\": [20]}\n]\n");
    desc.has_range = true;
    desc.range_min = 4;
    desc.range_max = 100;
    CHECK_JSON(store, &desc, "[\n{\"frame\": 5, \"/a:s\": [5], \"/a:t\": [20]}\n]\n");
    reel_store_destroy(store);
}

TEST(index_values_and_fill)
{
    reel_store *store = sample_store();
    int64_t values[] = {6, 0, 4};
    reel_query_desc desc = {.timeline = "frame", .index_values = values, .n_index_values = 3};
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 0, \"/a:s\": null, \"/a:t\": null},\n"
               "{\"frame\": 4, \"/a:s\": null, \"/a:t\": null},\n"
               "{\"frame\": 6, \"/a:s\": null, \"/a:t\": null}\n]\n");
    desc.fill_latest_at = true;
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 0, \"/a:s\": null, \"/a:t\": null},\n"
               "{\"frame\": 4, \"/a:s\": [3], \"/a:t\": null},\n"
               "{\"frame\": 6, \"/a:s\": [5], \"/a:t\": [20]}\n]\n");
    int64_t twice[] = {1, 1};
    desc.index_values = twice;
    desc.n_index_values = 2;
    reel_error err = {0};
    CHECK(query_json(store, &desc, &err) == NULL);
    CHECK_EQ_INT(err.status, REEL_INVALID_ARGUMENT);
    reel_store_destroy(store);
}

TEST(clears_are_tombstones_at_their_time)
{
    reel_store *store = st_store(false);
    st_row p[] = {{1, 1, {V("s", 1.0)}}, {5, 6, {V("s", 6.0)}}};
    st_row pc[] = {{2, 2, {V("s", 2.0)}}, {8, 7, {V("s", 7.0)}}};
    st_row sib[] = {{3, 2, {V("s", 9.0)}}};
    st_insert(store, "/p", p, 2);
    st_insert(store, "/p/c", pc, 2);
    st_insert(store, "/q", sib, 1);
    /* A flat Clear of /p at 3 (not /p/c), a recursive one at 4 (both), and at 6 a Clear
     * logged before the data at 6 (row 4 < row 5: the data wins), and at 7 one after. */
    st_row clears[] = {{10, 3, {CLR}}, {11, 4, {RCLR}}, {4, 6, {RCLR}}, {12, 7, {RCLR}}};
    st_insert(store, "/p", clears, 4);
    reel_query_desc desc = {.timeline = "frame"};
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 1, \"/p:s\": [1], \"/p/c:s\": null, \"/q:s\": null},\n"
               "{\"frame\": 2, \"/p:s\": null, \"/p/c:s\": [2], \"/q:s\": [9]},\n"
               "{\"frame\": 3, \"/p:s\": [], \"/p/c:s\": null, \"/q:s\": null},\n"
               "{\"frame\": 4, \"/p:s\": [], \"/p/c:s\": [], \"/q:s\": null},\n"
               "{\"frame\": 6, \"/p:s\": [6], \"/p/c:s\": [], \"/q:s\": null},\n"
               "{\"frame\": 7, \"/p:s\": [], \"/p/c:s\": [], \"/q:s\": null}\n]\n");
    /* The fill ignores Clears: at 5, /p:s fills from 1 and /p/c:s from 2. */
    int64_t at[] = {5};
    reel_query_desc fill = {.timeline = "frame",
                            .index_values = at,
                            .n_index_values = 1,
                            .fill_latest_at = true,
                            .contents = (const char *[]){"/p/**"},
                            .n_contents = 1};
    CHECK_JSON(store, &fill, "[\n{\"frame\": 5, \"/p:s\": [1], \"/p/c:s\": [2]}\n]\n");
    /* The Clear column itself, on request: its own Clears are its values. */
    reel_query_desc tomb = {.timeline = "frame",
                            .contents = (const char *[]){"/p"},
                            .n_contents = 1,
                            .include_tombstone_columns = true,
                            .columns = (const char *[]){"frame", "Clear:is_recursive"},
                            .n_columns = 2};
    CHECK_JSON(store, &tomb,
               "[\n{\"frame\": 1, \"/p:Clear:is_recursive\": null},\n"
               "{\"frame\": 3, \"/p:Clear:is_recursive\": [false]},\n"
               "{\"frame\": 4, \"/p:Clear:is_recursive\": [true]},\n"
               "{\"frame\": 6, \"/p:Clear:is_recursive\": [true]},\n"
               "{\"frame\": 7, \"/p:Clear:is_recursive\": [true]}\n]\n");
    reel_store_destroy(store);
}

TEST(static_columns_in_every_row_and_static_only)
{
    reel_store *store = sample_store();
    st_row st[] = {{20, ST_STATIC, {V("k", 42.0)}}};
    st_insert(store, "/a", st, 1);
    st_row other[] = {{21, ST_STATIC, {V("t", 7.0)}}}; /* static t wins over temporal t */
    st_insert(store, "/a", other, 1);
    reel_query_desc desc = {.timeline = "frame"};
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 3, \"/a:k\": [42], \"/a:s\": [3], \"/a:t\": [7]},\n"
               "{\"frame\": 5, \"/a:k\": [42], \"/a:s\": [5], \"/a:t\": [7]}\n]\n");
    reel_query_desc stat = {0};
    CHECK_JSON(store, &stat, "[\n{\"frame\": null, \"/a:k\": [42], \"/a:t\": [7]}\n]\n");
    reel_store_destroy(store);
}

TEST(entity_filters)
{
    reel_store *store = st_store(false);
    const char *paths[] = {"/w", "/w/car", "/w/car/driver", "/w/house", "/__properties"};
    for (int i = 0; i < 5; i++) {
        st_row r[] = {{(uint64_t)i + 1, 1, {V("s", i)}}};
        st_insert(store, paths[i], r, 1);
    }
    /* Rerun's documented example: the most specific rule wins. */
    const char *rules[] = {"+ /w/**", "- /w", "- /w/car/**", "+ /w/car/driver"};
    reel_query_desc desc = {.timeline = "frame", .contents = rules, .n_contents = 4};
    CHECK_JSON(store, &desc,
               "[\n{\"frame\": 1, \"/w/car/driver:s\": [2], \"/w/house:s\": [3]}\n]\n");
    /* Properties only on request. */
    reel_query_desc all = {.timeline = "frame", .columns = (const char *[]){"s"}, .n_columns = 1};
    CHECK_JSON(store, &all,
               "[\n{\"/w:s\": [0], \"/w/car:s\": [1], \"/w/car/driver:s\": [2], "
               "\"/w/house:s\": [3]}\n]\n");
    all.include_properties = true;
    CHECK_JSON(store, &all,
               "[\n{\"/__properties:s\": [4], \"/w:s\": [0], \"/w/car:s\": [1], "
               "\"/w/car/driver:s\": [2], \"/w/house:s\": [3]}\n]\n");
    /* One expression may hold several rules, one per line. */
    reel_query_desc lines = {
        .timeline = "frame", .contents = (const char *[]){"/w/**\n- /w/car/**\n"}, .n_contents = 1};
    CHECK_JSON(store, &lines, "[\n{\"frame\": 1, \"/w:s\": [0], \"/w/house:s\": [3]}\n]\n");
    reel_error err = {0};
    reel_query_desc bad = {
        .timeline = "frame", .contents = (const char *[]){"/w/x**"}, .n_contents = 1};
    CHECK(query_json(store, &bad, &err) == NULL);
    CHECK_EQ_INT(err.status, REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "/w/x**") != NULL);
    reel_store_destroy(store);
}

TEST(projection_and_errors)
{
    reel_store *store = sample_store();
    reel_query_desc desc = {
        .timeline = "frame", .columns = (const char *[]){"/a:t", "frame"}, .n_columns = 2};
    CHECK_JSON(store, &desc,
               "[\n{\"/a:t\": null, \"frame\": 3},\n{\"/a:t\": [20], \"frame\": 5}\n]\n");
    /* A column asked for twice appears twice, with the same values. */
    reel_query_desc twice = {
        .timeline = "frame", .columns = (const char *[]){"/a:s", "frame", "s"}, .n_columns = 3};
    CHECK_JSON(store, &twice,
               "[\n{\"/a:s\": [3], \"frame\": 3, \"/a:s\": [3]},\n"
               "{\"/a:s\": [5], \"frame\": 5, \"/a:s\": [5]}\n]\n");
    reel_error err = {0};
    desc.columns = (const char *[]){"/a:nope"};
    desc.n_columns = 1;
    CHECK(query_json(store, &desc, &err) == NULL);
    CHECK_EQ_INT(err.status, REEL_NOT_FOUND);
    CHECK(strstr(err.message, "/a:s") != NULL); /* lists what exists */
    reel_query_desc unknown = {.timeline = "time"};
    CHECK(query_json(store, &unknown, &err) == NULL);
    CHECK_EQ_INT(err.status, REEL_NOT_FOUND);
    CHECK(strstr(err.message, "frame") != NULL);
    reel_query_desc empty = {
        .timeline = "frame", .has_range = true, .range_min = 2, .range_max = 1};
    CHECK(query_json(store, &empty, &err) == NULL);
    CHECK_EQ_INT(err.status, REEL_INVALID_ARGUMENT);
    reel_store_destroy(store);
}

TEST(table_and_csv_forms)
{
    reel_store *store = sample_store();
    reel_query_desc desc = {.timeline = "frame"};
    reel_query_result *result = NULL;
    CHECK_OK(reel_query_run(store, &desc, &result, NULL));
    reel_buf out;
    reel_buf_init(&out, NULL);
    CHECK_OK(reel_query_write_table(&out, &result->schema, &result->batch, 0, NULL));
    CHECK_OK(reel_buf_append(&out, "", 1));
    CHECK_EQ_STR((const char *)out.data, "frame  /a:s  /a:t\n"
                                         "-----  ----  ----\n"
                                         "3      [3]   null\n"
                                         "5      [5]   [20]\n");
    reel_buf_clear(&out);
    CHECK_OK(reel_query_write_table(&out, &result->schema, &result->batch, 3, NULL));
    CHECK_OK(reel_buf_append(&out, "", 1));
    CHECK_EQ_STR((const char *)out.data, "fr\xe2\x80\xa6  /a\xe2\x80\xa6  /a\xe2\x80\xa6\n"
                                         "---  ---  ---\n"
                                         "3    [3]  nu\xe2\x80\xa6\n"
                                         "5    [5]  [2\xe2\x80\xa6\n");
    reel_buf_clear(&out);
    CHECK_OK(reel_query_write_csv(&out, &result->schema, &result->batch, NULL));
    CHECK_OK(reel_buf_append(&out, "", 1));
    CHECK_EQ_STR((const char *)out.data, "frame,/a:s,/a:t\n3,[3],\n5,[5],[20]\n");
    reel_buf_free(&out);
    reel_query_result_destroy(result);
    reel_store_destroy(store);
}

static void check_parse(reel_time_type type, const char *text, int64_t expected)
{
    int64_t v = 0;
    reel_error err = {0};
    if (!CHECK_OK(reel_query_parse_time(type, text, &v, &err)))
        fprintf(stderr, "    '%s': %s\n", text, err.message);
    else if (!CHECK_EQ_INT(v, expected))
        fprintf(stderr, "    '%s'\n", text);
}

static void check_format(reel_time_type type, int64_t value, const char *expected)
{
    reel_buf out;
    reel_buf_init(&out, NULL);
    CHECK_OK(reel_query_format_time(type, value, &out));
    CHECK_OK(reel_buf_append(&out, "", 1));
    CHECK_EQ_STR((const char *)out.data, expected);
    reel_buf_free(&out);
}

TEST(times_as_text)
{
    check_parse(REEL_TIME_SEQUENCE, "-42", -42);
    check_parse(REEL_TIME_TIMESTAMP_NS, "1970-01-01T00:00:00Z", 0);
    check_parse(REEL_TIME_TIMESTAMP_NS, "2026-11-22T04:27:45.5Z", 1795321665500000000LL);
    check_parse(REEL_TIME_TIMESTAMP_NS, "2026-11-22T06:27:45.5+02:00", 1795321665500000000LL);
    check_parse(REEL_TIME_TIMESTAMP_NS, "1969-12-31T23:59:59.999999999Z", -1);
    check_parse(REEL_TIME_TIMESTAMP_NS, "2000-02-29", 951782400LL * 1000000000LL);
    check_parse(REEL_TIME_DURATION_NS, "1.5s", 1500000000LL);
    check_parse(REEL_TIME_DURATION_NS, "-250ms", -250000000LL);
    check_parse(REEL_TIME_DURATION_NS, "10us", 10000);
    check_parse(REEL_TIME_DURATION_NS, "2min", 120000000000LL);
    check_parse(REEL_TIME_DURATION_NS, "0.000000001s", 1);
    const char *bad[] = {"", "1.5", "12x", "2026-13-01", "2026-11-22T25:00Z", "s", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v;
        reel_error err = {0};
        reel_time_type type = i < 3   ? REEL_TIME_SEQUENCE
                              : i < 5 ? REEL_TIME_TIMESTAMP_NS
                                      : REEL_TIME_DURATION_NS;
        CHECK_EQ_INT(reel_query_parse_time(type, bad[i], &v, &err), REEL_INVALID_ARGUMENT);
        CHECK(strstr(err.message, bad[i]) != NULL);
    }
    int64_t v;
    CHECK_EQ_INT(reel_query_parse_time(REEL_TIME_TIMESTAMP_NS, "2300-01-01", &v, NULL), REEL_LIMIT);
    CHECK_EQ_INT(reel_query_parse_time(REEL_TIME_DURATION_NS, "9999999999h", &v, NULL), REEL_LIMIT);
    check_format(REEL_TIME_TIMESTAMP_NS, 1795321665500000000LL, "2026-11-22T04:27:45.5Z");
    check_format(REEL_TIME_TIMESTAMP_NS, -1, "1969-12-31T23:59:59.999999999Z");
    check_format(REEL_TIME_DURATION_NS, -1500000000LL, "-1.5s");
    check_format(REEL_TIME_DURATION_NS, INT64_MIN, "-9223372036.854775808s");
    check_format(REEL_TIME_SEQUENCE, 7, "7");
}

int main(void)
{
    RUN(rows_per_time_last_row_id_wins);
    RUN(index_values_and_fill);
    RUN(clears_are_tombstones_at_their_time);
    RUN(static_columns_in_every_row_and_static_only);
    RUN(entity_filters);
    RUN(projection_and_errors);
    RUN(table_and_csv_forms);
    RUN(times_as_text);
    TEST_MAIN_END();
}
