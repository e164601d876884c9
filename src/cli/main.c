/* The `reel` binary's entry point: dispatches to subcommand groups (`reel rrd …` print,
 * stats, verify, merge, filter, compact; `reel query`; `reel serve`); anything else is the
 * viewer (`reel [options] [FILE|URL ...]`, cmd_view.c), also with no argument at all. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "cli/cli_view.h"

#define REEL_VERSION_TEXT "0.1.0"

static const cli_command rrd_commands[] = {
    {"print", cmd_rrd_print, "one line per message (-v: with values)"},
    {"stats", cmd_rrd_stats, "stores, entities, chunks, rows, bytes (--json)"},
    {"verify", cmd_rrd_verify, "decode and validate everything; exit 2 on the first problem"},
    {"merge", cmd_rrd_merge, "decode every chunk and re-encode it into one file"},
    {"filter", cmd_rrd_filter, "keep only some entities, timelines, or no static data"},
    {"compact", cmd_rrd_compact, "merge small chunks through the store; report before/after"},
};

static void print_rrd_help(FILE *out)
{
    fprintf(out, "usage: reel rrd <command> [options] FILE...\n\n"
                 "Work with .rrd/.rbl recordings (Rerun's format; files from Rerun and Reel).\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof rrd_commands / sizeof rrd_commands[0]; i++)
        fprintf(out, "  %-8s %s\n", rrd_commands[i].name, rrd_commands[i].summary);
    fprintf(out, "\n`reel rrd <command> --help` tells more. FILE may be - for standard input.\n");
}

static void print_help(FILE *out)
{
    fprintf(
        out,
        "usage: reel [options] [FILE|URL ...]   the viewer (see below)\n"
        "       reel <command> ...\n\n"
        "Reel: a C implementation of Rerun (logging SDK, .rrd files, viewer).\n\n"
        "commands:\n"
        "  rrd      print, stats, verify, merge, filter or compact .rrd files (`reel rrd --help`)\n"
        "  query    a dataframe of a recording: latest-at or range on one timeline (`reel query "
        "--help`)\n"
        "  serve    host Rerun's gRPC message proxy for SDKs and viewers (`reel serve --help`)\n\n"
        "options:\n  --version   print the version\n\n");
    cli_view_usage(out);
}

static int run_rrd(int argc, char **argv)
{
    if (argc < 2) {
        print_rrd_help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        print_rrd_help(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof rrd_commands / sizeof rrd_commands[0]; i++) {
        if (strcmp(argv[1], rrd_commands[i].name) == 0)
            return rrd_commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "reel rrd: unknown command '%s'\n\n", argv[1]);
    print_rrd_help(stderr);
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && cli_is_help(argv[1])) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2)
        return cmd_view(argc, argv); /* no file: listen for SDKs and show their data live */
    if (strcmp(argv[1], "--version") == 0) {
        printf("reel %s (writes Rerun %d.%d.%d files)\n", REEL_VERSION_TEXT, REEL_RRD_VERSION_MAJOR,
               REEL_RRD_VERSION_MINOR, REEL_RRD_VERSION_PATCH);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "rrd") == 0)
        return run_rrd(argc - 1, argv + 1);
    if (strcmp(argv[1], "query") == 0)
        return cmd_query(argc - 1, argv + 1);
    if (strcmp(argv[1], "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    return cmd_view(argc, argv);
}
