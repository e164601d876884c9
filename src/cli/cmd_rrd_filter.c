/* `reel rrd filter IN... -o OUT [--entity P] [--drop-entity P] [--timeline T]
 * [--drop-timeline T] [--drop-static]`: copies recordings keeping only the entities and
 * timelines asked for, without re-chunking (chunks are narrowed, never merged or split).
 * Entity patterns are paths, or paths ending in "/" + "**" for a whole subtree. */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"

#define FILTER_MAX_PATTERNS 64

typedef struct entity_pattern {
    reel_buf path; /* canonical */
    bool subtree;  /* ends in "/" + "**": the path and everything below it */
} entity_pattern;

typedef struct filter_options {
    entity_pattern keep_entities[FILTER_MAX_PATTERNS], drop_entities[FILTER_MAX_PATTERNS];
    int n_keep_entities, n_drop_entities;
    const char *keep_timelines[FILTER_MAX_PATTERNS], *drop_timelines[FILTER_MAX_PATTERNS];
    int n_keep_timelines, n_drop_timelines;
    bool drop_static;
} filter_options;

typedef struct filter_state {
    const filter_options *options;
    reel_rrd_writer *writer;
    int64_t chunks_in, chunks_out, rows_out, errors;
} filter_state;

static reel_status parse_pattern(const char *text, entity_pattern *out, reel_error *err)
{
    size_t len = strlen(text);
    out->subtree = len >= 3 && strcmp(text + len - 3, "/**") == 0;
    if (out->subtree)
        len -= 3;
    reel_buf_init(&out->path, NULL);
    return reel_entity_path_normalize(text, len, &out->path, err);
}

static bool pattern_matches(const entity_pattern *p, const char *entity)
{
    const char *path = (const char *)p->path.data;
    return p->subtree ? reel_entity_path_is_prefix(path, entity) : strcmp(path, entity) == 0;
}

static bool any_match(const entity_pattern *patterns, int n, const char *entity)
{
    for (int i = 0; i < n; i++) {
        if (pattern_matches(&patterns[i], entity))
            return true;
    }
    return false;
}

static bool name_listed(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return true;
    }
    return false;
}

static bool keep_timeline(void *ctx, const char *timeline)
{
    const filter_options *o = ctx;
    if (o->n_keep_timelines > 0 && !name_listed(o->keep_timelines, o->n_keep_timelines, timeline))
        return false;
    return !name_listed(o->drop_timelines, o->n_drop_timelines, timeline);
}

static reel_status filter_chunk(filter_state *st, const reel_rrd_message *msg)
{
    const filter_options *o = st->options;
    const reel_chunk *chunk = msg->arrow.chunk;
    st->chunks_in++;
    if (o->n_keep_entities > 0 &&
        !any_match(o->keep_entities, o->n_keep_entities, chunk->entity_path))
        return REEL_OK;
    if (any_match(o->drop_entities, o->n_drop_entities, chunk->entity_path))
        return REEL_OK;
    if (chunk->is_static && o->drop_static)
        return REEL_OK;
    reel_error err = {0};
    reel_chunk *narrowed = NULL;
    reel_status status =
        reel_chunk_select_timelines(chunk, keep_timeline, (void *)o, &narrowed, &err);
    if (status == REEL_OK && narrowed != NULL) {
        status = reel_rrd_writer_write_chunk(st->writer, &msg->store_id, narrowed, &err);
        st->chunks_out++;
        st->rows_out += narrowed->row_count;
    }
    reel_chunk_release(narrowed);
    if (status != REEL_OK)
        fprintf(stderr, "%s\n", err.message);
    return status;
}

static reel_status filter_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    filter_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s (skipped)\n", msg_error->message);
        st->errors++;
        return REEL_OK;
    }
    if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG)
        return filter_chunk(st, msg);
    return cli_write_control_message(st->writer, msg);
}

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: reel rrd filter IN... -o OUT [options]\n\n"
            "Copies the inputs (- = standard input) into OUT keeping only what the options\n"
            "select. Chunks are narrowed, never merged or split. Store infos and blueprint\n"
            "activations are kept.\n\n"
            "options:\n"
            "  -o, --output OUT         the file to write (required)\n"
            "  --entity PATTERN         keep only matching entities (repeatable)\n"
            "  --drop-entity PATTERN    drop matching entities (repeatable)\n"
            "  --timeline T             keep only these timelines (repeatable); temporal\n"
            "                           chunks left without any timeline are dropped\n"
            "  --drop-timeline T        drop this timeline (repeatable)\n"
            "  --drop-static            drop static chunks\n"
            "  --no-compress            write uncompressed chunks\n\n"
            "PATTERN is an entity path (/world/points) or a subtree (/world/**).\n");
}

static void free_patterns(filter_options *o)
{
    for (int i = 0; i < o->n_keep_entities; i++)
        reel_buf_free(&o->keep_entities[i].path);
    for (int i = 0; i < o->n_drop_entities; i++)
        reel_buf_free(&o->drop_entities[i].path);
}

/* Parses the options into `o` and `w`; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, filter_options *o, reel_rrd_writer_options *w,
                      const char **output, int *inputs)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        bool takes_value = strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
                           strcmp(arg, "--entity") == 0 || strcmp(arg, "--drop-entity") == 0 ||
                           strcmp(arg, "--timeline") == 0 || strcmp(arg, "--drop-timeline") == 0;
        if (takes_value && i + 1 >= argc)
            return cli_usage_error("rrd filter", "%s needs a value", arg);
        const char *value = takes_value ? argv[++i] : NULL;
        reel_error err = {0};
        if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            *output = value;
        } else if (strcmp(arg, "--entity") == 0 || strcmp(arg, "--drop-entity") == 0) {
            bool keep = strcmp(arg, "--entity") == 0;
            int *n = keep ? &o->n_keep_entities : &o->n_drop_entities;
            if (*n == FILTER_MAX_PATTERNS)
                return cli_usage_error("rrd filter", "too many %s options", arg);
            entity_pattern *p = keep ? &o->keep_entities[*n] : &o->drop_entities[*n];
            if (parse_pattern(value, p, &err) != REEL_OK) {
                reel_buf_free(&p->path);
                return cli_usage_error("rrd filter", "bad entity pattern '%s': %s", value,
                                       err.message);
            }
            (*n)++;
        } else if (strcmp(arg, "--timeline") == 0 || strcmp(arg, "--drop-timeline") == 0) {
            bool keep = strcmp(arg, "--timeline") == 0;
            int *n = keep ? &o->n_keep_timelines : &o->n_drop_timelines;
            if (*n == FILTER_MAX_PATTERNS)
                return cli_usage_error("rrd filter", "too many %s options", arg);
            (keep ? o->keep_timelines : o->drop_timelines)[(*n)++] = value;
        } else if (strcmp(arg, "--drop-static") == 0) {
            o->drop_static = true;
        } else if (strcmp(arg, "--no-compress") == 0) {
            w->compression = REEL_RRD_COMPRESSION_NONE;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("rrd filter", "unknown option '%s'", arg);
        } else {
            argv[(*inputs)++] = argv[i]; /* inputs are gathered at the front of argv */
        }
    }
    if (*output == NULL)
        return cli_usage_error("rrd filter", "no output file (-o OUT)");
    if (*inputs == 0)
        return cli_usage_error("rrd filter", "no input file");
    return -1;
}

int cmd_rrd_filter(int argc, char **argv)
{
    filter_options options = {0};
    reel_rrd_writer_options writer_options = {0};
    const char *output = NULL;
    int inputs = 0;
    int exit_code = parse_args(argc, argv, &options, &writer_options, &output, &inputs);
    if (exit_code >= 0) {
        free_patterns(&options);
        return exit_code;
    }
    exit_code = CLI_EXIT_OK;
    filter_state st = {.options = &options};
    reel_error err = {0};
    writer_options.name = output;
    if (reel_rrd_writer_create_path(output, &writer_options, &st.writer, &err) != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        free_patterns(&options);
        return CLI_EXIT_BAD_INPUT;
    }
    for (int i = 0; i < inputs; i++) {
        reel_error_clear(&err);
        if (cli_read_rrd(argv[i], NULL, filter_message, &st, &err) != REEL_OK) {
            fprintf(stderr, "%s\n", err.message);
            exit_code = CLI_EXIT_BAD_INPUT;
        }
    }
    reel_error_clear(&err);
    if (reel_rrd_writer_finish(st.writer, &err) != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit_code = CLI_EXIT_BAD_INPUT;
    } else {
        printf("%s: kept %" PRId64 " of %" PRId64 " chunk(s), %" PRId64 " row(s)\n", output,
               st.chunks_out, st.chunks_in, st.rows_out);
    }
    if (st.errors > 0)
        exit_code = CLI_EXIT_BAD_INPUT;
    reel_rrd_writer_destroy(st.writer);
    free_patterns(&options);
    return exit_code;
}
