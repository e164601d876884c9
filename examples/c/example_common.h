/* Shared by the examples: where a recording goes. `prog OUT.rrd` saves to a file; `prog`
 * alone streams to a viewer on 127.0.0.1:9876, starting `reel serve` there if nothing
 * answers (reel_spawn); `prog -` writes the .rrd stream to standard output. */
#ifndef REEL_EXAMPLE_COMMON_H
#define REEL_EXAMPLE_COMMON_H

#include <stdio.h>
#include <string.h>

#include <reel/reel.h>

/* Creates the recording and its sink; prints the reason and returns NULL on failure. */
static reel_recording *example_start(const char *application_id, int argc, char **argv)
{
    reel_recording *rec = NULL;
    reel_error err = {0};
    reel_recording_options options = {.application_id = application_id};
    if (reel_recording_create(&options, &rec, &err) != REEL_OK) {
        fprintf(stderr, "%s: %s\n", application_id, err.message);
        return NULL;
    }
    reel_status status;
    if (argc > 1 && strcmp(argv[1], "-") == 0)
        status = reel_stdout(rec, &err);
    else if (argc > 1)
        status = reel_save(rec, argv[1], &err);
    else
        status = reel_spawn(rec, NULL, &err);
    if (status != REEL_OK) {
        fprintf(stderr, "%s: %s\n", application_id, err.message);
        reel_recording_destroy(rec, NULL);
        return NULL;
    }
    return rec;
}

/* Flushes, closes the sinks and frees the recording; 0 on success. */
static int example_finish(reel_recording *rec)
{
    reel_error err = {0};
    if (reel_recording_destroy(rec, &err) != REEL_OK) {
        fprintf(stderr, "finishing the recording: %s\n", err.message);
        return 1;
    }
    return 0;
}

#endif
