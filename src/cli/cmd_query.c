/* `reel query FILE [--entity E]... --timeline T [--at V | --range A..B] [--fill]
 * [--columns C,...] [--format table|json|csv|arrow] [-o OUT]`: loads the first recording of
 * an .rrd into a chunk store and prints Rerun's dataframe query over it (query module). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "query/query.h"

#define QUERY_MAX_ARGS 256
#define TABLE_CELL_WIDTH 48

typedef enum query_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_ARROW } query_format;

typedef struct query_options {
    const char *input, *output, *timeline, *at, *range;
    const char *entities[QUERY_MAX_ARGS];
    size_t n_entities;
    const char *columns[QUERY_MAX_ARGS];
    size_t n_columns;
    char *columns_text[QUERY_MAX_ARGS]; /* owned copies of --columns values, split in place */
    size_t n_columns_text;
    bool fill, no_fill, static_only, tombstones, properties, wide;
    query_format format;
} query_options;

typedef struct load_state {
    reel_store *store;
    reel_store_id recording; /* the first recording store seen */
    bool have_recording;
    int64_t chunks, errors;
} load_state;

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: reel query FILE --timeline T [options]\n\n"
            "Prints a dataframe of the first recording in FILE (- = standard input), as the\n"
            "real Rerun's dataframe API computes it: a column per timeline, a column per entity\n"
            "and component (ENTITY:COMPONENT), one row per time that has data.\n\n"
            "options:\n"
            "  --timeline T          the index timeline (required unless --static)\n"
            "  --static              static data only (one row)\n"
            "  --entity EXPR         which entities: PATH, PATH/** (a subtree), '- PATH' to\n"
            "                        exclude (repeatable; the most specific rule wins;\n"
            "                        default: every entity)\n"
            "  --at V[,V...]         one row per time V: the latest value of every column\n"
            "                        there (Rerun's using_index_values with fill_latest_at)\n"
            "  --range A..B          only rows with A <= time <= B (A.. and ..B are open)\n"
            "  --fill                fill empty cells with the latest earlier value\n"
            "  --no-fill             with --at: leave cells without data at V empty\n"
            "  --columns C,...       only these columns, in this order: timeline names,\n"
            "                        ENTITY:COMPONENT, or a COMPONENT of every entity\n"
            "  --format F            table (default), json, csv or arrow (an Arrow IPC file)\n"
            "  -o, --output OUT      write to OUT instead of standard output\n"
            "  --wide                do not cut long cells in the table\n"
            "  --tombstones          include the Clear:is_recursive columns\n"
            "  --properties          include the recording properties (/__properties)\n\n"
            "Times: integers on every timeline; RFC 3339 dates (2026-11-22T04:27:45.5Z) on\n"
            "timestamp timelines; 1.5s, 250ms, 10us, 100ns on duration timelines.\n"
            "Clears show as empty lists at their own times; --fill, like Rerun's\n"
            "fill_latest_at, fills from the data before them.\n");
}

static reel_status load_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    load_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s (skipped)\n", msg_error->message);
        st->errors++;
        return REEL_OK;
    }
    if (msg->kind != REEL_RRD_MESSAGE_ARROW_MSG || msg->arrow.chunk == NULL ||
        msg->store_id.kind == REEL_STORE_KIND_BLUEPRINT)
        return REEL_OK;
    if (!st->have_recording) {
        if (reel_store_id_copy(&st->recording, &msg->store_id, NULL) != REEL_OK)
            return REEL_OUT_OF_MEMORY;
        st->have_recording = true;
    } else if (!reel_store_id_equal(&st->recording, &msg->store_id)) {
        return REEL_OK; /* a later recording in the same file */
    }
    reel_error err = {0};
    reel_status status = reel_store_insert(st->store, msg->arrow.chunk, &err);
    if (status != REEL_OK)
        fprintf(stderr, "reel query: %s\n", err.message);
    st->chunks++;
    return status;
}

/* Splits a --columns value on commas into options->columns. */
static int add_columns(query_options *o, const char *value)
{
    if (o->n_columns_text == QUERY_MAX_ARGS)
        return cli_usage_error("query", "too many --columns options");
    char *copy = reel_strdup(NULL, value);
    if (copy == NULL)
        return cli_usage_error("query", "out of memory");
    o->columns_text[o->n_columns_text++] = copy;
    for (char *part = copy; part != NULL;) {
        char *comma = strchr(part, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*part != '\0') {
            if (o->n_columns == QUERY_MAX_ARGS)
                return cli_usage_error("query", "too many columns");
            o->columns[o->n_columns++] = part;
        }
        part = comma != NULL ? comma + 1 : NULL;
    }
    return -1;
}

/* Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, query_options *o)
{
    static const char *const with_value[] = {"-o",   "--output", "--timeline", "--entity",
                                             "--at", "--range",  "--columns",  "--format"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        bool takes_value = false;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            takes_value = takes_value || strcmp(arg, with_value[k]) == 0;
        if (takes_value && i + 1 >= argc)
            return cli_usage_error("query", "%s needs a value", arg);
        const char *value = takes_value ? argv[++i] : NULL;
        if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            o->output = value;
        } else if (strcmp(arg, "--timeline") == 0) {
            o->timeline = value;
        } else if (strcmp(arg, "--entity") == 0) {
            if (o->n_entities == QUERY_MAX_ARGS)
                return cli_usage_error("query", "too many --entity options");
            o->entities[o->n_entities++] = value;
        } else if (strcmp(arg, "--at") == 0) {
            o->at = value;
        } else if (strcmp(arg, "--range") == 0) {
            o->range = value;
        } else if (strcmp(arg, "--columns") == 0) {
            int code = add_columns(o, value);
            if (code >= 0)
                return code;
        } else if (strcmp(arg, "--format") == 0) {
            if (strcmp(value, "table") == 0)
                o->format = FORMAT_TABLE;
            else if (strcmp(value, "json") == 0)
                o->format = FORMAT_JSON;
            else if (strcmp(value, "csv") == 0)
                o->format = FORMAT_CSV;
            else if (strcmp(value, "arrow") == 0)
                o->format = FORMAT_ARROW;
            else
                return cli_usage_error("query", "unknown format '%s' (table, json, csv, arrow)",
                                       value);
        } else if (strcmp(arg, "--fill") == 0) {
            o->fill = true;
        } else if (strcmp(arg, "--no-fill") == 0) {
            o->no_fill = true;
        } else if (strcmp(arg, "--static") == 0) {
            o->static_only = true;
        } else if (strcmp(arg, "--tombstones") == 0) {
            o->tombstones = true;
        } else if (strcmp(arg, "--properties") == 0) {
            o->properties = true;
        } else if (strcmp(arg, "--wide") == 0) {
            o->wide = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("query", "unknown option '%s'", arg);
        } else if (o->input != NULL) {
            return cli_usage_error("query", "one input file only ('%s' and '%s')", o->input, arg);
        } else {
            o->input = arg;
        }
    }
    if (o->input == NULL)
        return cli_usage_error("query", "no input file");
    if (o->at != NULL && o->range != NULL)
        return cli_usage_error("query", "--at and --range exclude each other");
    if (o->fill && o->no_fill)
        return cli_usage_error("query", "--fill and --no-fill exclude each other");
    if (o->static_only && (o->timeline != NULL || o->at != NULL || o->range != NULL))
        return cli_usage_error("query", "--static takes no --timeline, --at or --range");
    if (o->format == FORMAT_ARROW && o->output == NULL)
        return cli_usage_error("query", "--format arrow writes a binary file: give -o OUT");
    return -1;
}

/* Parses "A..B", "A..", "..B" into the description. */
static reel_status parse_range(const char *text, reel_time_type type, reel_query_desc *desc,
                               reel_error *err)
{
    const char *dots = strstr(text, "..");
    if (dots == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "range '%s': expected A..B (A.. and ..B are open)", text);
    char *lo = reel_strndup(NULL, text, (size_t)(dots - text));
    const char *hi = dots + 2;
    if (lo == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    desc->has_range = true;
    desc->range_min = INT64_MIN + 1;
    desc->range_max = INT64_MAX;
    reel_status status = REEL_OK;
    if (*lo != '\0')
        status = reel_query_parse_time(type, lo, &desc->range_min, err);
    if (status == REEL_OK && *hi != '\0')
        status = reel_query_parse_time(type, hi, &desc->range_max, err);
    reel_strfree(NULL, lo);
    if (status == REEL_OK && desc->range_min > desc->range_max)
        status = reel_error_set(err, REEL_INVALID_ARGUMENT, "range '%s' is empty (A > B)", text);
    return status;
}

/* Parses "V[,V...]" into a vector of int64_t. */
static reel_status parse_times(const char *text, reel_time_type type, reel_vec *out,
                               reel_error *err)
{
    char *copy = reel_strdup(NULL, text);
    if (copy == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_status status = REEL_OK;
    for (char *part = copy; part != NULL && status == REEL_OK;) {
        char *comma = strchr(part, ',');
        if (comma != NULL)
            *comma = '\0';
        int64_t value = 0;
        status = reel_query_parse_time(type, part, &value, err);
        if (status == REEL_OK && reel_vec_push(out, &value) != REEL_OK)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        part = comma != NULL ? comma + 1 : NULL;
    }
    reel_strfree(NULL, copy);
    return status;
}

static reel_status render(const reel_query_result *result, query_format format, bool wide,
                          reel_buf *out, reel_error *err)
{
    switch (format) {
    case FORMAT_JSON:
        return reel_query_write_json(out, &result->schema, &result->batch, err);
    case FORMAT_CSV:
        return reel_query_write_csv(out, &result->schema, &result->batch, err);
    case FORMAT_ARROW:
        return reel_ipc_write_file(out, &result->schema, &result->batch, 1, NULL, err);
    case FORMAT_TABLE:
    default:
        return reel_query_write_table(out, &result->schema, &result->batch,
                                      wide ? 0 : TABLE_CELL_WIDTH, err);
    }
}

static int write_output(const char *path, const reel_buf *text)
{
    FILE *file = path != NULL ? fopen(path, "wb") : stdout;
    if (file == NULL) {
        fprintf(stderr, "reel query: cannot open %s for writing\n", path);
        return CLI_EXIT_BAD_INPUT;
    }
    bool ok = text->len == 0 || fwrite(text->data, 1, text->len, file) == text->len;
    ok = (path != NULL ? fclose(file) : fflush(file)) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "reel query: writing %s failed\n", path != NULL ? path : "<stdout>");
        return CLI_EXIT_BAD_INPUT;
    }
    return CLI_EXIT_OK;
}

static int run(query_options *o)
{
    load_state st = {0};
    reel_error err = {0};
    reel_store_desc store_desc = {.ignore_env = false};
    if (reel_store_create(&store_desc, &st.store, &err) != REEL_OK) {
        fprintf(stderr, "reel query: %s\n", err.message);
        return CLI_EXIT_BAD_INPUT;
    }
    reel_rrd_decoder_options dec = {0};
    reel_status status = cli_read_rrd(o->input, &dec, load_message, &st, &err);
    int exit_code = CLI_EXIT_OK;
    if (status != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit_code = CLI_EXIT_BAD_INPUT; /* still answer from what was read */
    }
    if (st.errors > 0)
        exit_code = CLI_EXIT_BAD_INPUT;
    if (!st.have_recording) {
        if (status == REEL_OK) /* else the reading error said it already */
            fprintf(stderr, "reel query: %s holds no recording data\n", o->input);
        exit_code = CLI_EXIT_BAD_INPUT;
    }

    reel_query_desc desc = {
        .timeline = o->static_only ? NULL : o->timeline,
        .contents = o->entities,
        .n_contents = o->n_entities,
        .columns = o->columns,
        .n_columns = o->n_columns,
        .fill_latest_at = o->fill,
        .include_tombstone_columns = o->tombstones,
        .include_properties = o->properties,
    };
    reel_vec at;
    reel_vec_init(&at, sizeof(int64_t), NULL);
    reel_query_result *result = NULL;
    reel_buf out;
    reel_buf_init(&out, NULL);
    if (st.have_recording && !o->static_only && o->timeline == NULL) {
        fprintf(stderr, "reel query: give --timeline (or --static); %s has:", o->input);
        for (uint32_t i = 0; i < reel_store_timeline_count(st.store); i++)
            fprintf(stderr, "%s %s", i > 0 ? "," : "", reel_store_timeline_name(st.store, i));
        fprintf(stderr, "\n");
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }
    if (!st.have_recording)
        goto done;
    uint32_t timeline = desc.timeline != NULL ? reel_store_timeline_find(st.store, desc.timeline)
                                              : REEL_STORE_NO_ID;
    reel_time_type type = timeline != REEL_STORE_NO_ID
                              ? reel_store_timeline_type(st.store, timeline)
                              : REEL_TIME_SEQUENCE;
    status = REEL_OK;
    if (o->at != NULL) {
        status = parse_times(o->at, type, &at, &err);
        desc.index_values = at.data;
        desc.n_index_values = at.len;
        desc.fill_latest_at = !o->no_fill;
    } else if (o->range != NULL) {
        status = parse_range(o->range, type, &desc, &err);
    }
    if (status != REEL_OK) {
        fprintf(stderr, "reel query: %s\n", err.message);
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }
    status = reel_query_run(st.store, &desc, &result, &err);
    if (status == REEL_OK)
        status = render(result, o->format, o->wide, &out, &err);
    if (status != REEL_OK) {
        /* The query module's messages start with "query: ". */
        fprintf(stderr, "reel %s\n", err.message);
        exit_code = status == REEL_NOT_FOUND || status == REEL_INVALID_ARGUMENT
                        ? CLI_EXIT_USAGE
                        : CLI_EXIT_BAD_INPUT;
        goto done;
    }
    int written = write_output(o->output, &out);
    if (written != CLI_EXIT_OK)
        exit_code = written;
done:
    reel_vec_free(&at);
    reel_buf_free(&out);
    reel_query_result_destroy(result);
    reel_store_id_reset(&st.recording, NULL);
    reel_store_destroy(st.store);
    return exit_code;
}

int cmd_query(int argc, char **argv)
{
    query_options options = {0};
    int exit_code = parse_args(argc, argv, &options);
    if (exit_code < 0)
        exit_code = run(&options);
    for (size_t i = 0; i < options.n_columns_text; i++)
        reel_strfree(NULL, options.columns_text[i]);
    return exit_code;
}
