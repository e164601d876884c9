/* `reel rrd print [-v] FILE...`: one line per message — kind, store, entity, timelines,
 * components, rows — and with -v every row's values. Bad messages are reported on stderr
 * and printing goes on; the exit code is then 2. */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "types/types.h"

typedef struct print_state {
    int verbose;
    const char *path;
    int64_t last_stream;
    int64_t errors;
    reel_buf scratch;
} print_state;

static void print_store(const reel_store_id *id)
{
    printf("%s %s/%s", cli_store_kind_name(id->kind),
           id->application_id ? id->application_id : "<no app id>", id->recording_id);
}

static void print_names(const char *label, const reel_chunk *chunk, bool timelines)
{
    int32_t count = timelines ? chunk->n_timelines : chunk->n_components;
    if (count == 0)
        return;
    printf("  %s=[", label);
    for (int32_t i = 0; i < count; i++) {
        if (timelines) {
            printf("%s%s", i ? ", " : "", chunk->timelines[i].name);
            continue;
        }
        const reel_component_descriptor *d = &chunk->components[i].descriptor;
        printf("%s%s", i ? ", " : "", d->component);
        /* Rerun's own types must be known; others are user data and fine as they are. */
        if (d->component_type != NULL && strncmp(d->component_type, "rerun.", 6) == 0 &&
            reel_types_component_find(d->component_type) == NULL)
            printf(" (unknown component type %s)", d->component_type);
    }
    printf("]");
}

static void print_rows(print_state *st, const reel_chunk *chunk)
{
    for (int64_t row = 0; row < chunk->row_count; row++) {
        char id_text[64];
        reel_tuid_format(reel_chunk_row_id(chunk, row), "row_", id_text, sizeof id_text);
        printf("    %s", id_text);
        for (int32_t t = 0; t < chunk->n_timelines; t++) {
            const reel_chunk_timeline *tl = &chunk->timelines[t];
            printf("  %s=%" PRId64, tl->name,
                   reel_arrow_array_get_int(&tl->field, &tl->times, row));
        }
        for (int32_t c = 0; c < chunk->n_components; c++) {
            const reel_chunk_component *comp = &chunk->components[c];
            if (reel_arrow_array_is_null(&comp->field, &comp->lists, row))
                continue; /* not logged in this row */
            reel_buf_clear(&st->scratch);
            if (reel_arrow_value_to_json(&comp->field, &comp->lists, row, &st->scratch) !=
                REEL_OK)
                continue;
            printf("  %s=%.*s", comp->descriptor.component, (int)st->scratch.len,
                   (const char *)st->scratch.data);
        }
        printf("\n");
    }
}

static void print_arrow_msg(print_state *st, const reel_rrd_message *msg)
{
    printf("  ");
    print_store(&msg->store_id);
    const reel_chunk *chunk = msg->arrow.chunk;
    if (chunk != NULL) {
        printf("  %s  rows=%" PRId64 "%s", chunk->entity_path, chunk->row_count,
               chunk->is_static ? "  static" : "");
        print_names("timelines", chunk, true);
        print_names("components", chunk, false);
    }
    if (msg->arrow.compression == REEL_RRD_COMPRESSION_LZ4)
        printf("  lz4 %" PRIu64 " -> %" PRIu64 " B", msg->arrow.compressed_size,
               msg->arrow.uncompressed_size);
    else
        printf("  %" PRIu64 " B", msg->arrow.uncompressed_size);
    printf("\n");
    if (st->verbose && chunk != NULL)
        print_rows(st, chunk);
}

static reel_status print_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    print_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s\n", msg_error->message);
        st->errors++;
        return REEL_OK;
    }
    if ((int64_t)msg->stream_index != st->last_stream) {
        st->last_stream = msg->stream_index;
        printf("%s: stream %" PRIu32 " at offset %" PRIu64 ", written by Rerun %u.%u.%u\n",
               st->path, msg->stream_index, msg->stream_offset, msg->stream_version[0],
               msg->stream_version[1], msg->stream_version[2]);
    }
    printf("#%-4" PRIu64 " @%-9" PRIu64 " %-26s", msg->index, msg->offset,
           cli_message_kind_name(msg->kind));
    switch (msg->kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        printf("  ");
        print_store(&msg->store_info.store_id);
        reel_buf_clear(&st->scratch);
        if (reel_store_source_describe(&msg->store_info, &st->scratch) == REEL_OK)
            printf("  source: %.*s", (int)st->scratch.len, (const char *)st->scratch.data);
        printf("\n");
        break;
    case REEL_RRD_MESSAGE_ARROW_MSG:
        print_arrow_msg(st, msg);
        break;
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        printf("  ");
        print_store(&msg->store_id);
        printf("%s%s\n", msg->activation.make_active ? "  make_active" : "",
               msg->activation.make_default ? "  make_default" : "");
        break;
    case REEL_RRD_MESSAGE_END: {
        int64_t chunks = 0;
        for (int32_t i = 0; i < msg->footer.manifest_count; i++)
            chunks += msg->footer.manifests[i].chunk_count;
        printf("  footer: %" PRId32 " manifest(s), %" PRId64 " chunk(s)\n",
               msg->footer.manifest_count, chunks);
        break;
    }
    }
    return REEL_OK;
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: reel rrd print [-v] FILE...\n\n"
                 "Prints one line per message of each .rrd/.rbl file (- = standard input):\n"
                 "index, byte offset, kind, store, entity, timelines, components, rows.\n\n"
                 "options:\n"
                 "  -v, --verbose   also print every row: its RowId, times and values\n\n"
                 "Bad messages are reported on stderr and printing continues; the exit code\n"
                 "is then 2.\n");
}

int cmd_rrd_print(int argc, char **argv)
{
    int verbose = 0;
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose++;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("rrd print", "unknown option '%s'", argv[i]);
        } else if (first_file == argc) {
            first_file = i;
        }
    }
    if (first_file == argc)
        return cli_usage_error("rrd print", "no input file (use - for standard input)");

    int exit_code = CLI_EXIT_OK;
    for (int i = first_file; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        print_state st = {.verbose = verbose, .path = argv[i], .last_stream = -1};
        reel_error err = {0};
        reel_status status = cli_read_rrd(argv[i], NULL, print_message, &st, &err);
        fflush(stdout);
        if (status != REEL_OK) {
            fprintf(stderr, "%s\n", err.message);
            exit_code = CLI_EXIT_BAD_INPUT;
        }
        if (st.errors > 0)
            exit_code = CLI_EXIT_BAD_INPUT;
        reel_buf_free(&st.scratch);
    }
    return exit_code;
}
