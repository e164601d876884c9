/* Shared pieces of the `reel` command line: the subcommand signature, exit codes, option
 * parsing helpers and reading .rrd inputs (files or stdin) message by message. Each
 * subcommand lives in its own file (cmd_<group>_<name>.c) and is listed in main.c. */
#ifndef REEL_CLI_H
#define REEL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "rrd/rrd.h"

/* Exit codes, as DESIGN.md §5 sets them. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 1,
    CLI_EXIT_BAD_INPUT = 2,
};

/* A subcommand: argv[0] is its own name. Returns an exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_command_fn run;
    const char *summary; /* one line for the group's help */
} cli_command;

int cmd_rrd_print(int argc, char **argv);
int cmd_rrd_stats(int argc, char **argv);
int cmd_rrd_verify(int argc, char **argv);
int cmd_rrd_merge(int argc, char **argv);
int cmd_rrd_filter(int argc, char **argv);
int cmd_rrd_compact(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* The viewer (`reel [options] [FILE|URL ...]`, cmd_view.c): argv[0] is the program. */
int cmd_view(int argc, char **argv);

/* Prints "reel <command>: <message>" and a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* True for "-h" and "--help". */
bool cli_is_help(const char *arg);

/* Reads an .rrd input ("-" = standard input) message by message with reel_rrd_read_path's
 * contract: `fn` gets every message, or msg = NULL and the error of a bad message. The
 * decoder's error messages are prefixed with the path (or "<stdin>"). */
reel_status cli_read_rrd(const char *path, const reel_rrd_decoder_options *options,
                         reel_rrd_message_fn fn, void *ctx, reel_error *err);

/* Copies a SetStoreInfo or BlueprintActivationCommand to `writer` as it is; End messages
 * are dropped (the writer writes its own footer) and ArrowMsg must be handled by the
 * caller. A write error is printed and returned. */
reel_status cli_write_control_message(reel_rrd_writer *writer, const reel_rrd_message *msg);

/* Short text for message kinds and store kinds ("ArrowMsg", "recording"…). */
const char *cli_message_kind_name(reel_rrd_message_kind kind);
const char *cli_store_kind_name(reel_store_kind kind);
const char *cli_time_type_name(reel_time_type type);
/* Writes a JSON string literal (quoted, escaped) for NUL-terminated UTF-8 text. */
void cli_json_string(FILE *out, const char *text);

#endif
