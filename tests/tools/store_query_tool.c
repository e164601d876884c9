/* store_query_tool: loads one recording of an .rrd file into a reel_store and answers
 * latest-at and range queries on it as JSON, so that pytest can hold the store's answers
 * against the real Rerun's (tests/interop/test_store_oracle.py).
 *
 *   store_query_tool IN.rrd [--recording ID] [--chunk-max-rows N] [--compaction-batch N]
 *                           [--no-compaction] < QUERIES
 *
 * The store is the file's first recording (or the one with recording id ID); blueprints and
 * other recordings are skipped. The options set reel_store_desc (--chunk-max-rows sets both
 * row thresholds; the RERUN_CHUNK_* variables are ignored), so tests can check that answers
 * do not depend on how rows are chunked. A message that fails to decode is an error.
 *
 * QUERIES are lines of tab-separated fields (entity paths may contain spaces); TIMELINE ""
 * asks for static data only; times are decimal int64:
 *   latest      ENTITY TIMELINE COMPONENT TIME...
 *   range       ENTITY TIMELINE COMPONENT T0 T1
 *   components  ENTITY TIMELINE
 *   entities
 * Each line gets one line of JSON on stdout:
 *   latest:     {"results": [RESULT per TIME]}
 *               RESULT = {"t": TIME, "state": "none"|"value"|"empty"|"cleared"[, "value": ROW]
 *                         [, "clear": ROW]}  (value: the shadowed row when cleared)
 *   range:      {"rows": [ROW...]}           (reel_store_range, no options)
 *   components: {"components": [NAME...]}    (reel_store_entity_components)
 *   entities:   {"entities": [PATH...]}
 *   ROW = {"time": T or null (static), "row_id": "32 hex digits", "times": {TIMELINE: T...},
 *          "cell": VALUE}  (cell: the component's list in that row as reel_arrow_value_to_json
 *          writes it; absent for a clear; times: every timeline of the row's chunk)
 * Exit status 0; 1 when the file cannot be read or holds no such recording; 2 for usage and
 * malformed queries (the message on stderr). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrd/rrd.h"
#include "store/store.h"

typedef struct load_state {
    const char *want_recording; /* NULL: the first recording */
    char *recording;            /* the chosen one (owned) */
    reel_store *store;
    int64_t bad_messages;
    reel_status insert_status; /* an insert failed: reading stops there */
    reel_error insert_error;
} load_state;

static reel_status load_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    load_state *state = ctx;
    if (msg == NULL) {
        fprintf(stderr, "store_query_tool: %s\n", msg_error->message);
        state->bad_messages++;
        return REEL_OK;
    }
    if ((msg->kind != REEL_RRD_MESSAGE_SET_STORE_INFO && msg->kind != REEL_RRD_MESSAGE_ARROW_MSG) ||
        msg->store_id.kind != REEL_STORE_KIND_RECORDING)
        return REEL_OK;
    const char *id = msg->store_id.recording_id;
    if (state->recording == NULL &&
        (state->want_recording == NULL || strcmp(state->want_recording, id) == 0)) {
        state->recording = strdup(id);
        if (state->recording == NULL)
            return REEL_OUT_OF_MEMORY;
    }
    if (msg->kind != REEL_RRD_MESSAGE_ARROW_MSG || state->recording == NULL ||
        strcmp(state->recording, id) != 0)
        return REEL_OK;
    state->insert_status = reel_store_insert(state->store, msg->arrow.chunk, &state->insert_error);
    return state->insert_status;
}

/* ---------------------------------------------------------------- JSON output */

static void json_string(const char *text)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static int64_t time_at(const reel_chunk_timeline *timeline, int64_t row)
{
    int64_t value;
    memcpy(&value, timeline->times.buffers[1].data + (timeline->times.offset + row) * 8, 8);
    return value;
}

/* `column` NULL: no cell (a Clear row). */
static int print_row(const reel_store_row *row, const reel_chunk_component *column)
{
    char id[40];
    reel_tuid_format(row->row_id, "", id, sizeof id);
    if (row->time == REEL_STORE_TIME_STATIC)
        printf("{\"time\": null");
    else
        printf("{\"time\": %lld", (long long)row->time);
    printf(", \"row_id\": \"%s\", \"times\": {", id);
    for (int32_t i = 0; i < row->chunk->n_timelines; i++) {
        const reel_chunk_timeline *timeline = &row->chunk->timelines[i];
        printf("%s", i ? ", " : "");
        json_string(timeline->name);
        printf(": %lld", (long long)time_at(timeline, row->row));
    }
    printf("}");
    if (column != NULL) {
        reel_buf text = {0};
        if (reel_arrow_value_to_json(&column->field, &column->lists, row->row, &text) != REEL_OK) {
            reel_buf_free(&text);
            fprintf(stderr, "store_query_tool: cannot print a value of %s\n",
                    column->descriptor.component);
            return 1;
        }
        printf(", \"cell\": %.*s", (int)text.len, (const char *)text.data);
        reel_buf_free(&text);
    }
    printf("}");
    return 0;
}

static const char *state_name(reel_store_state state)
{
    switch (state) {
    case REEL_STORE_NONE:
        return "none";
    case REEL_STORE_VALUE:
        return "value";
    case REEL_STORE_EMPTY:
        return "empty";
    case REEL_STORE_CLEARED:
        return "cleared";
    }
    return "?";
}

/* ---------------------------------------------------------------- queries */

static bool parse_time(const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return false;
    *out = value;
    return true;
}

/* The store's timeline id; "" is static-only (REEL_STORE_NO_ID), as an unknown timeline. */
static uint32_t timeline_id(const reel_store *store, const char *name)
{
    return name[0] == '\0' ? REEL_STORE_NO_ID : reel_store_timeline_find(store, name);
}

static int query_latest(const reel_store *store, char **fields, int n_fields)
{
    uint32_t entity = reel_store_entity_find(store, fields[1]);
    uint32_t timeline = timeline_id(store, fields[2]);
    uint32_t component = reel_store_component_find(store, fields[3]);
    printf("{\"results\": [");
    for (int i = 4; i < n_fields; i++) {
        int64_t time;
        if (!parse_time(fields[i], &time)) {
            fprintf(stderr, "store_query_tool: latest: bad time \"%s\"\n", fields[i]);
            return 2;
        }
        reel_store_result result;
        reel_store_state state =
            reel_store_latest_at_id(store, entity, timeline, time, component, &result);
        printf("%s{\"t\": %lld, \"state\": \"%s\"", i > 4 ? ", " : "", (long long)time,
               state_name(state));
        if (state != REEL_STORE_NONE) {
            printf(", \"value\": ");
            if (print_row(&result.value, result.column) != 0)
                return 1;
        }
        if (state == REEL_STORE_CLEARED) {
            printf(", \"clear\": ");
            print_row(&result.clear, NULL);
        }
        printf("}");
    }
    printf("]}\n");
    return 0;
}

static int query_range(const reel_store *store, char **fields)
{
    int64_t t0, t1;
    if (!parse_time(fields[4], &t0) || !parse_time(fields[5], &t1)) {
        fprintf(stderr, "store_query_tool: range: bad times \"%s\" \"%s\"\n", fields[4], fields[5]);
        return 2;
    }
    reel_vec rows = {0};
    reel_error err = {0};
    uint32_t entity = reel_store_entity_find(store, fields[1]);
    uint32_t component = reel_store_component_find(store, fields[3]);
    if (reel_store_range_id(store, entity, timeline_id(store, fields[2]), t0, t1, component, NULL,
                            &rows, &err) != REEL_OK) {
        fprintf(stderr, "store_query_tool: range: %s\n", err.message);
        reel_vec_free(&rows);
        return 1;
    }
    int status = 0;
    printf("{\"rows\": [");
    for (size_t i = 0; i < rows.len && status == 0; i++) {
        const reel_store_row *row = &REEL_VEC_AT(&rows, reel_store_row, i);
        printf("%s", i ? ", " : "");
        status = print_row(row, reel_chunk_find_component(row->chunk, fields[3]));
    }
    printf("]}\n");
    reel_vec_free(&rows);
    return status;
}

static int query_components(const reel_store *store, char **fields)
{
    reel_vec ids = {0};
    reel_error err = {0};
    uint32_t entity = reel_store_entity_find(store, fields[1]);
    if (reel_store_entity_components(store, entity, timeline_id(store, fields[2]), &ids, &err) !=
        REEL_OK) {
        fprintf(stderr, "store_query_tool: components: %s\n", err.message);
        reel_vec_free(&ids);
        return 1;
    }
    printf("{\"components\": [");
    for (size_t i = 0; i < ids.len; i++) {
        printf("%s", i ? ", " : "");
        json_string(reel_store_component_name(store, REEL_VEC_AT(&ids, uint32_t, i)));
    }
    printf("]}\n");
    reel_vec_free(&ids);
    return 0;
}

static int query_entities(const reel_store *store)
{
    printf("{\"entities\": [");
    for (uint32_t i = 0; i < reel_store_entity_count(store); i++) {
        printf("%s", i ? ", " : "");
        json_string(reel_store_entity_path(store, i));
    }
    printf("]}\n");
    return 0;
}

/* Runs one query: 0, 1 or 2 as the exit status, -1 when the fields are not a query. */
static int dispatch(const reel_store *store, char **fields, int n)
{
    if (strcmp(fields[0], "latest") == 0 && n >= 4)
        return query_latest(store, fields, n);
    if (strcmp(fields[0], "range") == 0 && n == 6)
        return query_range(store, fields);
    if (strcmp(fields[0], "components") == 0 && n == 3)
        return query_components(store, fields);
    if (strcmp(fields[0], "entities") == 0 && n == 1)
        return query_entities(store);
    return -1;
}

/* Splits `line` in place at tabs into a new array of its fields (NULL: out of memory). */
static char **split_fields(char *line, int *n_fields)
{
    size_t n = 1;
    for (const char *p = line; (p = strchr(p, '\t')) != NULL; p++)
        n++;
    char **fields = n < INT32_MAX ? malloc(n * sizeof *fields) : NULL;
    if (fields == NULL)
        return NULL;
    *n_fields = 0;
    for (char *p = line;;) {
        fields[(*n_fields)++] = p;
        p = strchr(p, '\t');
        if (p == NULL)
            return fields;
        *p++ = '\0';
    }
}

static int answer(const reel_store *store, char *line, long line_number)
{
    int n = 0;
    char **fields = split_fields(line, &n);
    if (fields == NULL) {
        fprintf(stderr, "store_query_tool: out of memory\n");
        return 1;
    }
    int status = dispatch(store, fields, n);
    if (status < 0) {
        fprintf(stderr, "store_query_tool: stdin line %ld: not a query (see the usage)\n",
                line_number);
        status = 2;
    }
    free(fields);
    return status;
}

static int usage(void)
{
    fprintf(stderr, "usage: store_query_tool IN.rrd [--recording ID] [--chunk-max-rows N] "
                    "[--compaction-batch N] [--no-compaction] < QUERIES\n"
                    "  QUERIES: tab-separated lines\n"
                    "    latest ENTITY TIMELINE COMPONENT TIME...\n"
                    "    range ENTITY TIMELINE COMPONENT T0 T1\n"
                    "    components ENTITY TIMELINE\n"
                    "    entities\n");
    return 2;
}

static bool parse_count(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        return false;
    *out = value;
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-')
        return usage();
    load_state state = {0};
    reel_store_desc desc = {.ignore_env = true};
    for (int i = 2; i < argc; i++) {
        uint64_t count;
        if (strcmp(argv[i], "--no-compaction") == 0) {
            desc.no_compaction = true;
        } else if (strcmp(argv[i], "--recording") == 0 && i + 1 < argc) {
            state.want_recording = argv[++i];
        } else if (strcmp(argv[i], "--chunk-max-rows") == 0 && i + 1 < argc &&
                   parse_count(argv[i + 1], &count)) {
            desc.chunk_max_rows = count;
            desc.chunk_max_rows_if_unsorted = count;
            i++;
        } else if (strcmp(argv[i], "--compaction-batch") == 0 && i + 1 < argc &&
                   parse_count(argv[i + 1], &count) && count <= UINT32_MAX) {
            desc.compaction_batch = (uint32_t)count;
            i++;
        } else {
            return usage();
        }
    }

    reel_error err = {0};
    if (reel_store_create(&desc, &state.store, &err) != REEL_OK) {
        fprintf(stderr, "store_query_tool: %s\n", err.message);
        return 1;
    }
    reel_status status = reel_rrd_read_path(argv[1], NULL, load_message, &state, &err);
    int exit_code = 0;
    if (status != REEL_OK || state.bad_messages > 0) {
        if (state.insert_status != REEL_OK)
            fprintf(stderr, "store_query_tool: insert: %s\n",
                    state.insert_error.message[0] ? state.insert_error.message
                                                  : reel_status_name(state.insert_status));
        else if (status != REEL_OK)
            fprintf(stderr, "store_query_tool: %s\n", err.message);
        exit_code = 1;
    } else if (state.recording == NULL) {
        fprintf(stderr, "store_query_tool: %s: no recording%s%s\n", argv[1],
                state.want_recording ? " with id " : "",
                state.want_recording ? state.want_recording : "");
        exit_code = 1;
    }

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long line_number = 0;
    while (exit_code == 0 && (len = getline(&line, &cap, stdin)) >= 0) {
        line_number++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0)
            continue;
        exit_code = answer(state.store, line, line_number);
        fflush(stdout);
    }
    free(line);
    free(state.recording);
    reel_store_destroy(state.store);
    return exit_code;
}
