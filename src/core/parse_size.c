/* Byte sizes as people write them on command lines ("1GiB", "512 MB", "1e9"): shared by
 * `reel serve --memory-limit` and `reel rrd compact --max-size`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

reel_status reel_parse_size(const char *text, uint64_t *out, reel_error *err)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},
                 {"B", 1},
                 {"kB", 1e3},
                 {"KB", 1e3},
                 {"MB", 1e6},
                 {"GB", 1e9},
                 {"TB", 1e12},
                 {"KiB", 1024.0},
                 {"MiB", 1048576.0},
                 {"GiB", 1073741824.0},
                 {"TiB", 1099511627776.0}};
    if (text == NULL || ((text[0] < '0' || text[0] > '9') && text[0] != '.'))
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "bad size '%s'", text ? text : "");
    char *end = NULL;
    double value = strtod(text, &end);
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit) == 0) {
            double bytes = value * units[i].scale;
            if (!isfinite(bytes) || bytes < 0 || bytes >= 1.8e19)
                break;
            *out = (uint64_t)bytes;
            return REEL_OK;
        }
    }
    return reel_error_set(err, REEL_INVALID_ARGUMENT,
                          "bad size '%s' (a number with B, kB, MB, GB, KiB, MiB, GiB...)", text);
}
