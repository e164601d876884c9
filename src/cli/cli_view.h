/* The viewer's part of the `reel` command line (cmd_view.c parses and loads, cli_view_run.c
 * runs the window, the headless screenshot or the blueprint dump). */
#ifndef REEL_CLI_VIEW_H
#define REEL_CLI_VIEW_H

#include "cli/cli.h"
#include "net/net.h"
#include "viewer/viewer.h"

typedef struct cli_view_options {
    const char **inputs; /* files, in order (owned array, borrowed strings) */
    size_t n_inputs;
    const char *url;         /* rerun+http://… given */
    const char *screenshot;  /* OUT.png */
    const char *layout_json; /* where each view was drawn (tests), with --screenshot */
    int32_t width, height;
    float pixels_per_point;
    const char *timeline, *time, *blueprint;
    uint32_t frames;  /* 0 = default */
    uint16_t port;    /* 0 = do not listen */
    bool port_set;    /* --port given (a URL alone does not listen) */
    double wait_secs; /* --wait: a URL's data, for headless runs; 0 = 15 s */
    uint64_t memory_limit;
    bool dump_blueprint, help;
} cli_view_options;

void cli_view_usage(FILE *out);
/* Parses argv (argv[0] is the program); fills *o (o->inputs must be freed). */
int cli_view_parse(int argc, char **argv, cli_view_options *o);

/* Each returns an exit code. */
int cli_view_window(reel_viewer *viewer, const cli_view_options *o);
int cli_view_screenshot(reel_viewer *viewer, const cli_view_options *o);
int cli_view_dump_blueprint(reel_viewer *viewer, FILE *out);

#endif
