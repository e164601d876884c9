/* The smallest Reel program: a 10 × 10 × 10 grid of coloured 3D points.
 *
 *     cc minimal.c $(pkg-config --cflags --libs reel) -o minimal
 *     ./minimal out.rrd      # or ./minimal to stream to a viewer on 127.0.0.1:9876
 */
#include "example_common.h"

int main(int argc, char **argv)
{
    reel_recording *rec = example_start("reel_example_minimal", argc, argv);
    if (rec == NULL)
        return 1;
    enum { N = 10 };
    static float positions[N * N * N][3];
    static uint32_t colors[N * N * N];
    int i = 0;
    for (int x = 0; x < N; x++) {
        for (int y = 0; y < N; y++) {
            for (int z = 0; z < N; z++, i++) {
                positions[i][0] = (float)x - N / 2.0f;
                positions[i][1] = (float)y - N / 2.0f;
                positions[i][2] = (float)z - N / 2.0f;
                /* 0xRRGGBBAA */
                colors[i] = (uint32_t)(x * 255 / (N - 1)) << 24 |
                            (uint32_t)(y * 255 / (N - 1)) << 16 |
                            (uint32_t)(z * 255 / (N - 1)) << 8 | 0xFF;
            }
        }
    }
    float radius = 0.1f;
    reel_error err = {0};
    if (reel_log_ex(rec, "my_points", 0, &err,
                    &(reel_points3d){.positions = reel_batch_values(positions, N * N * N),
                                     .colors = reel_batch_values(colors, N * N * N),
                                     .radii = reel_batch_values(&radius, 1)}) != REEL_OK)
        fprintf(stderr, "logging the points: %s\n", err.message);
    return example_finish(rec);
}
