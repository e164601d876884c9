/* Images: an RGBA gradient that changes over 20 frames, plus a depth image of the same
 * scene, on the "frame" timeline.
 *
 *     cc image.c $(pkg-config --cflags --libs reel) -o image && ./image out.rrd
 */
#include <math.h>
#include <stdlib.h>

#include "example_common.h"

enum { WIDTH = 256, HEIGHT = 192 };

int main(int argc, char **argv)
{
    reel_recording *rec = example_start("reel_example_image", argc, argv);
    if (rec == NULL)
        return 1;
    uint8_t *rgba = malloc((size_t)WIDTH * HEIGHT * 4);
    float *depth = malloc((size_t)WIDTH * HEIGHT * sizeof *depth);
    if (rgba == NULL || depth == NULL)
        return 1;
    reel_image_format rgba_format = {.width = WIDTH,
                                     .height = HEIGHT,
                                     .color_model = REEL_ColorModel_RGBA,
                                     .channel_datatype = REEL_ChannelDatatype_U8};
    reel_image_format depth_format = {
        .width = WIDTH, .height = HEIGHT, .channel_datatype = REEL_ChannelDatatype_F32};
    float meter = 1.0f;
    for (int frame = 0; frame < 20; frame++) {
        reel_set_time_sequence(rec, "frame", frame);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                uint8_t *p = &rgba[((size_t)y * WIDTH + x) * 4];
                p[0] = (uint8_t)(x + frame * 8);
                p[1] = (uint8_t)(y * 255 / HEIGHT);
                p[2] = (uint8_t)(128 + 127 * sin((x + y + frame * 10) * 0.05));
                p[3] = 255;
                double dx = x - WIDTH / 2.0, dy = y - HEIGHT / 2.0;
                depth[(size_t)y * WIDTH + x] = (float)(1.0 + sqrt(dx * dx + dy * dy) / 100.0);
            }
        }
        reel_log(rec, "camera/rgb",
                 &(reel_image){.buffer = reel_batch_bytes(rgba, (size_t)WIDTH * HEIGHT * 4),
                               .format = reel_batch_values(&rgba_format, 1)});
        reel_log(rec, "camera/depth",
                 &(reel_depth_image){
                     .buffer = reel_batch_bytes(depth, (size_t)WIDTH * HEIGHT * sizeof *depth),
                     .format = reel_batch_values(&depth_format, 1),
                     .meter = reel_batch_values(&meter, 1)});
    }
    free(rgba);
    free(depth);
    return example_finish(rec);
}
