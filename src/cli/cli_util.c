/* Helpers shared by the `reel` subcommands: usage errors, reading .rrd inputs from files
 * or standard input through the incremental decoder, and small name/JSON formatters. */
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "reel %s: ", command);
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n(see reel %s --help)\n", command);
    va_end(args);
    return CLI_EXIT_USAGE;
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

reel_status cli_read_rrd(const char *path, const reel_rrd_decoder_options *options,
                         reel_rrd_message_fn fn, void *ctx, reel_error *err)
{
    reel_rrd_decoder_options named = options ? *options : (reel_rrd_decoder_options){0};
    bool from_stdin = strcmp(path, "-") == 0;
    if (named.name == NULL)
        named.name = from_stdin ? "<stdin>" : path;
    if (from_stdin)
        return reel_rrd_read_file(stdin, &named, fn, ctx, err);
    return reel_rrd_read_path(path, &named, fn, ctx, err);
}

reel_status cli_write_control_message(reel_rrd_writer *writer, const reel_rrd_message *msg)
{
    reel_error err = {0};
    reel_status status = REEL_OK;
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
        status = reel_rrd_writer_write_store_info(writer, &msg->store_info, &err);
    else if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
        status = reel_rrd_writer_write_blueprint_activation(
            writer, &msg->store_id, msg->activation.make_active, msg->activation.make_default,
            &err);
    if (status != REEL_OK)
        fprintf(stderr, "%s\n", err.message);
    return status;
}

const char *cli_message_kind_name(reel_rrd_message_kind kind)
{
    switch (kind) {
    case REEL_RRD_MESSAGE_END:
        return "End";
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        return "SetStoreInfo";
    case REEL_RRD_MESSAGE_ARROW_MSG:
        return "ArrowMsg";
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        return "BlueprintActivationCommand";
    }
    return "unknown";
}

const char *cli_store_kind_name(reel_store_kind kind)
{
    return kind == REEL_STORE_KIND_BLUEPRINT ? "blueprint" : "recording";
}

const char *cli_time_type_name(reel_time_type type)
{
    switch (type) {
    case REEL_TIME_SEQUENCE:
        return "sequence";
    case REEL_TIME_DURATION_NS:
        return "duration";
    case REEL_TIME_TIMESTAMP_NS:
        return "timestamp";
    }
    return "unknown";
}

void cli_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}
