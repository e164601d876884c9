/* `reel rrd verify FILE...`: decodes every message down to validated Arrow arrays and
 * valid chunks, and checks every Rerun component column against the types registry (its
 * descriptor and its Arrow type), as `rerun rrd verify` does. Exit 0 when every file is
 * valid; 2 otherwise, each problem named by file, message index, byte offset and reason. */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "types/types.h"

/* After this many problems in one file, only the count goes on. */
#define VERIFY_MAX_REPORTED 20

typedef struct verify_state {
    const char *path;
    int64_t messages;
    int64_t chunks;
    int64_t problems;
} verify_state;

static void report(verify_state *st, const reel_rrd_message *msg, const char *fmt,
                   const char *detail)
{
    st->problems++;
    if (st->problems > VERIFY_MAX_REPORTED)
        return;
    fprintf(stderr, "%s: message %" PRIu64 " at offset %" PRIu64 ": ", st->path, msg->index,
            msg->offset);
    fprintf(stderr, fmt, detail);
    fputc('\n', stderr);
}

static bool is_rerun_name(const char *name)
{
    return name != NULL && strncmp(name, "rerun.", 6) == 0;
}

static void verify_chunk(verify_state *st, const reel_rrd_message *msg, const reel_chunk *chunk)
{
    reel_error err = {0};
    if (reel_chunk_validate(chunk, &err) != REEL_OK)
        report(st, msg, "chunk: %s", err.message);
    for (int32_t i = 0; i < chunk->n_components; i++) {
        const reel_chunk_component *comp = &chunk->components[i];
        const reel_component_descriptor *d = &comp->descriptor;
        reel_error_clear(&err);
        reel_status status =
            reel_types_check_descriptor(d->archetype, d->component, d->component_type, &err);
        if (status != REEL_OK) {
            report(st, msg, "%s", err.message);
            continue;
        }
        if (d->component_type == NULL)
            continue; /* user data: nothing to check against */
        reel_error_clear(&err);
        const reel_arrow_field *item = &comp->field.children[0];
        status = reel_types_check_column(d->component_type, item, &err);
        if (status == REEL_UNSUPPORTED && !is_rerun_name(d->component_type))
            continue; /* a user-defined component type */
        if (status != REEL_OK)
            report(st, msg, "%s", err.message);
    }
}

static reel_status verify_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    verify_state *st = ctx;
    if (msg == NULL) {
        st->problems++;
        if (st->problems <= VERIFY_MAX_REPORTED)
            fprintf(stderr, "%s\n", msg_error->message);
        return REEL_OK;
    }
    st->messages++;
    if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->arrow.chunk != NULL) {
        st->chunks++;
        verify_chunk(st, msg, msg->arrow.chunk);
    }
    return REEL_OK;
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: reel rrd verify FILE...\n\n"
                 "Decodes every message of each .rrd/.rbl file (- = standard input) down to\n"
                 "fully validated Arrow arrays and chunks, and checks every Rerun component\n"
                 "column's descriptor and Arrow type against Rerun %s's types.\n\n"
                 "Exit 0 when every file is valid, 2 otherwise; each problem is printed as\n"
                 "FILE: message N at offset B: reason.\n",
            reel_types_rerun_sdk_version());
}

int cmd_rrd_verify(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("rrd verify", "unknown option '%s'", argv[i]);
        files++;
    }
    if (files == 0)
        return cli_usage_error("rrd verify", "no input file (use - for standard input)");

    int exit_code = CLI_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        verify_state st = {.path = argv[i]};
        reel_error err = {0};
        reel_status status = cli_read_rrd(argv[i], NULL, verify_message, &st, &err);
        if (status != REEL_OK) {
            fprintf(stderr, "%s\n", err.message);
            st.problems++;
        }
        if (st.problems > VERIFY_MAX_REPORTED)
            fprintf(stderr, "%s: ... and %" PRId64 " more problem(s)\n", argv[i],
                    st.problems - VERIFY_MAX_REPORTED);
        if (st.problems > 0) {
            fprintf(stderr, "%s: INVALID: %" PRId64 " problem(s) in %" PRId64 " message(s)\n",
                    argv[i], st.problems, st.messages);
            exit_code = CLI_EXIT_BAD_INPUT;
        } else {
            printf("%s: ok: %" PRId64 " message(s), %" PRId64 " chunk(s) verified\n", argv[i],
                   st.messages, st.chunks);
        }
    }
    return exit_code;
}
