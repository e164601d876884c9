/* Logs a few rows through the C SDK's standard-output sink (`sdk_stdout_tool | reel rrd print
 * -`). With the argument "many" it keeps logging and flushing for a while, for the test whose
 * reader closes the pipe early: the process must survive (no SIGPIPE) and see IO errors.
 * Exit 0 when the process behaved: all OK, or ("many") the pipe errors were reported. */
#include <stdio.h>
#include <string.h>

#include "reel/reel.h"

int main(int argc, char **argv)
{
    bool many = argc > 1 && strcmp(argv[1], "many") == 0;
    reel_recording *rec = NULL;
    reel_error err = {0};
    if (reel_recording_create(&(reel_recording_options){.application_id = "stdout_tool"}, &rec,
                              &err) != REEL_OK ||
        reel_stdout(rec, &err) != REEL_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return 1;
    }
    float xyz[] = {1, 2, 3};
    int errors = 0;
    for (int frame = 0; frame < (many ? 2000 : 3); frame++) {
        reel_set_time_sequence(rec, "frame", frame);
        reel_log(rec, "stdout/points", &(reel_points3d){.positions = reel_batch_values(xyz, 1)});
        if (many && frame % 10 == 0 && reel_flush_blocking(rec, 10, &err) != REEL_OK)
            errors++;
    }
    reel_status status = reel_recording_destroy(rec, &err);
    if (many)
        return errors > 0 ? 0 : 1;
    if (status != REEL_OK)
        fprintf(stderr, "destroy: %s\n", err.message);
    return status == REEL_OK ? 0 : 1;
}
