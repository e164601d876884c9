/* A live scalar plot: sine and cosine sampled at 1 kHz for SECONDS seconds of simulated
 * time, styled with SeriesLines, streamed to a viewer as it is produced (or saved).
 *
 *     cc live_plot.c $(pkg-config --cflags --libs reel) -lm -o live_plot && ./live_plot
 */
#include <math.h>

#include "example_common.h"

enum { RATE_HZ = 1000, SECONDS = 3 };
static const double TWO_PI = 6.283185307179586;

int main(int argc, char **argv)
{
    reel_recording *rec = example_start("reel_example_live_plot", argc, argv);
    if (rec == NULL)
        return 1;
    const char *sin_name = "sin(t)", *cos_name = "cos(t)";
    uint32_t red = 0xE04040FF, blue = 0x4060E0FF;
    float width = 2.0f;
    reel_log_static(rec, "plot/sin",
                    &(reel_series_lines){.colors = reel_batch_values(&red, 1),
                                         .names = reel_batch_string(&sin_name),
                                         .widths = reel_batch_values(&width, 1)});
    reel_log_static(rec, "plot/cos",
                    &(reel_series_lines){.colors = reel_batch_values(&blue, 1),
                                         .names = reel_batch_string(&cos_name),
                                         .widths = reel_batch_values(&width, 1)});
    for (int i = 0; i < RATE_HZ * SECONDS; i++) {
        double t = (double)i / RATE_HZ;
        reel_set_time_duration_secs(rec, "sim_time", t);
        double s = sin(TWO_PI * t), c = cos(TWO_PI * t);
        reel_log(rec, "plot/sin", &(reel_scalars){.scalars = reel_batch_values(&s, 1)});
        reel_log(rec, "plot/cos", &(reel_scalars){.scalars = reel_batch_values(&c, 1)});
    }
    return example_finish(rec);
}
