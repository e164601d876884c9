/* `reel [FILE|URL ...]`: the viewer. Files open in a window (GLFW); with no file the viewer
 * listens on 127.0.0.1:9876 for SDKs (rr.connect_grpc) and shows their data live; with a
 * `rerun+http://host:port/proxy` URL it reads that proxy's ReadMessages stream, live;
 * `--screenshot OUT.png` renders headless (EGL surfaceless) and exits; `--dump-blueprint`
 * prints the blueprint the viewer would use (after Rerun's heuristics) as JSON. This file
 * parses the options and loads the inputs; cli_view_run.c drives the platform layer. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/cli_view.h"

void cli_view_usage(FILE *out)
{
    fprintf(out,
            "usage: reel [options] [FILE|URL ...]\n"
            "       reel --screenshot OUT.png [--size WxH] [--timeline T --time V]\n"
            "            [--blueprint B.rbl] [--frames N] FILE|URL ...\n\n"
            "The viewer: opens .rrd/.rbl files in a window; with no FILE it listens on\n"
            "127.0.0.1:9876 for SDKs (rr.connect_grpc()) and shows their data live.\n"
            "With a URL (rerun+http://host:port/proxy, e.g. `reel serve` or\n"
            "`rerun --serve-grpc`) it shows what that proxy serves, live, reconnecting when\n"
            "the server goes away (it does not listen then, unless --port is given).\n"
            "--screenshot and --dump-blueprint with a URL wait for the data to arrive\n"
            "(at most --wait seconds, default 15).\n\n"
            "options:\n"
            "  --screenshot OUT.png  render headless (EGL, no display needed), write a PNG, exit\n"
            "  --size WxH            window or screenshot size in pixels (default 1280x720)\n"
            "  --pixels-per-point S  UI scale (default 1)\n"
            "  --timeline T          the active timeline\n"
            "  --time V              the time cursor on it: an integer in the timeline's unit\n"
            "                        (frame, ns), or seconds like 1.5s on time timelines\n"
            "                        (default for screenshots: the end of the data, paused)\n"
            "  --blueprint B.rbl     use this blueprint for the recordings' application\n"
            "  --frames N            frames to run before the screenshot (default 4), or\n"
            "                        close the window after N frames\n"
            "  --port P              port to listen on for SDKs (default 9876; 0: do not listen)\n"
            "  --wait SECONDS        with a URL and --screenshot/--dump-blueprint: how long to\n"
            "                        wait for data (default 15)\n"
            "  --memory-limit BYTES  per recording; the oldest data is dropped above it\n"
            "  --dump-blueprint      print the active blueprint (views, containers) as JSON\n"
            "  --layout-json F.json  with --screenshot: write each view's class, origin and\n"
            "                        content rectangle (pixels) in the image\n"
            "  --help                this text\n\n"
            "Drop .rrd/.rbl files on the window, or Ctrl+O (Reel menu > Open…) for the file\n"
            "dialog. Keys: Space play/pause, Left/Right step, Home/End, Ctrl+Z undo,\n"
            "Ctrl+Shift+Z redo, Esc clear selection.\n"
            "exit codes: 0 ok, 1 usage error (or no display), 2 bad input\n");
}

static bool parse_size(const char *text, int32_t *w, int32_t *h)
{
    char *end = NULL;
    long a = strtol(text, &end, 10);
    if (end == text || (*end != 'x' && *end != 'X'))
        return false;
    const char *rest = end + 1;
    long b = strtol(rest, &end, 10);
    if (end == rest || *end || a < 16 || b < 16 || a > 16384 || b > 16384)
        return false;
    *w = (int32_t)a;
    *h = (int32_t)b;
    return true;
}

static bool parse_u64(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || errno != 0 || text[0] == '-')
        return false;
    *out = v;
    return true;
}

static bool is_url(const char *arg)
{
    return strstr(arg, "://") != NULL;
}

int cli_view_parse(int argc, char **argv, cli_view_options *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1280;
    o->height = 720;
    o->pixels_per_point = 1;
    o->port = 9876;
    o->inputs = calloc((size_t)argc + 1, sizeof *o->inputs);
    if (o->inputs == NULL)
        return CLI_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE()                                                                               \
    do {                                                                                           \
        if (next == NULL) {                                                                        \
            fprintf(stderr, "reel: %s needs a value (see reel --help)\n", a);                      \
            return CLI_EXIT_USAGE;                                                                 \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        if (cli_is_help(a)) {
            o->help = true;
        } else if (strcmp(a, "--screenshot") == 0) {
            NEED_VALUE();
            o->screenshot = next;
        } else if (strcmp(a, "--layout-json") == 0) {
            NEED_VALUE();
            o->layout_json = next;
        } else if (strcmp(a, "--size") == 0) {
            NEED_VALUE();
            if (!parse_size(next, &o->width, &o->height)) {
                fprintf(stderr, "reel: --size %s: expected WxH, e.g. 1280x720 (16..16384)\n", next);
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(a, "--pixels-per-point") == 0) {
            NEED_VALUE();
            char *end = NULL;
            double s = strtod(next, &end);
            if (end == next || *end || !(s >= 0.25 && s <= 8)) {
                fprintf(stderr, "reel: --pixels-per-point %s: expected a number in 0.25..8\n",
                        next);
                return CLI_EXIT_USAGE;
            }
            o->pixels_per_point = (float)s;
        } else if (strcmp(a, "--timeline") == 0) {
            NEED_VALUE();
            o->timeline = next;
        } else if (strcmp(a, "--time") == 0) {
            NEED_VALUE();
            o->time = next;
        } else if (strcmp(a, "--blueprint") == 0) {
            NEED_VALUE();
            o->blueprint = next;
        } else if (strcmp(a, "--frames") == 0) {
            NEED_VALUE();
            uint64_t n = 0;
            if (!parse_u64(next, &n) || n == 0 || n > 1000000) {
                fprintf(stderr, "reel: --frames %s: expected a count of 1 or more\n", next);
                return CLI_EXIT_USAGE;
            }
            o->frames = (uint32_t)n;
        } else if (strcmp(a, "--port") == 0) {
            NEED_VALUE();
            uint64_t p = 0;
            if (!parse_u64(next, &p) || p > 65535) {
                fprintf(stderr, "reel: --port %s: expected 0..65535\n", next);
                return CLI_EXIT_USAGE;
            }
            o->port = (uint16_t)p;
            o->port_set = true;
        } else if (strcmp(a, "--wait") == 0) {
            NEED_VALUE();
            char *end = NULL;
            double v = strtod(next, &end);
            if (end == next || *end || !(v >= 0) || v > 86400) {
                fprintf(stderr, "reel: --wait %s: expected seconds (0..86400)\n", next);
                return CLI_EXIT_USAGE;
            }
            o->wait_secs = v;
        } else if (strcmp(a, "--memory-limit") == 0) {
            NEED_VALUE();
            if (!parse_u64(next, &o->memory_limit)) {
                fprintf(stderr, "reel: --memory-limit %s: expected bytes\n", next);
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(a, "--dump-blueprint") == 0) {
            o->dump_blueprint = true;
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "reel: unknown option '%s' (see reel --help)\n", a);
            return CLI_EXIT_USAGE;
        } else if (is_url(a)) {
            if (o->url != NULL) {
                fprintf(stderr, "reel: %s: only one URL can be read at a time\n", a);
                return CLI_EXIT_USAGE;
            }
            o->url = a;
        } else if (strchr(a, '/') == NULL && strchr(a, '.') == NULL && access(a, F_OK) != 0) {
            /* Neither a file nor shaped like one: most likely a mistyped subcommand. */
            fprintf(stderr, "reel: unknown command '%s', and no such file (see reel --help)\n", a);
            return CLI_EXIT_USAGE;
        } else {
            o->inputs[o->n_inputs++] = a;
        }
#undef NEED_VALUE
    }
    if ((o->screenshot || o->dump_blueprint) && o->n_inputs == 0 && o->url == NULL) {
        fprintf(stderr, "reel: %s needs at least one FILE or URL\n",
                o->screenshot ? "--screenshot" : "--dump-blueprint");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Loads every input; the first problem is printed as "reel: <file>: <reason>". */
static int load_inputs(reel_viewer *viewer, const cli_view_options *o, bool strict)
{
    for (size_t i = 0; i < o->n_inputs; i++) {
        reel_viewer_load_result result = {0};
        reel_error err = {0};
        size_t len = strlen(o->inputs[i]);
        bool rbl = len > 4 && strcmp(o->inputs[i] + len - 4, ".rbl") == 0;
        reel_status status = reel_viewer_load_path(viewer, o->inputs[i], rbl, &result, &err);
        if (status != REEL_OK) {
            fprintf(stderr, "reel: %s\n", result.error[0] ? result.error : err.message);
            if (strict || result.messages == 0)
                return CLI_EXIT_BAD_INPUT;
        }
    }
    if (o->blueprint != NULL) {
        reel_viewer_load_result result = {0};
        reel_error err = {0};
        if (reel_viewer_load_path(viewer, o->blueprint, true, &result, &err) != REEL_OK) {
            fprintf(stderr, "reel: --blueprint %s\n", result.error[0] ? result.error : err.message);
            return CLI_EXIT_BAD_INPUT;
        }
    }
    return CLI_EXIT_OK;
}

/* --time: an integer in timeline units, exactly; with `seconds_mode` (a temporal timeline) a
 * value with a '.' or an "s" suffix is seconds, converted to nanoseconds exactly (decimal
 * digits, no double). Fractions of a unit round down. */
static bool parse_time(const char *text, bool seconds_mode, int64_t *out)
{
    const char *p = text;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!(*p >= '0' && *p <= '9'))
        return false;
    uint64_t whole = 0, frac_ns = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, (uint64_t)(*p - '0'), &whole))
            return false;
    bool dot = *p == '.', rest = false; /* rest: nonzero digits finer than the result */
    int digits = 0;
    if (dot)
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            if (digits < 9)
                frac_ns = frac_ns * 10 + (uint64_t)(*p - '0');
            else
                rest = rest || *p != '0';
        }
    bool suffix = *p == 's';
    if (suffix)
        p++;
    if (*p != 0)
        return false;
    for (; digits < 9; digits++)
        frac_ns *= 10;
    uint64_t magnitude = whole;
    if (seconds_mode && (dot || suffix)) {
        if (__builtin_mul_overflow(whole, 1000000000u, &magnitude) ||
            __builtin_add_overflow(magnitude, frac_ns, &magnitude))
            return false;
    } else {
        rest = frac_ns != 0 || rest;
    }
    if (magnitude > (uint64_t)INT64_MAX)
        return false;
    int64_t v = (int64_t)magnitude;
    *out = negative ? -v - (rest ? 1 : 0) : v; /* floor */
    return true;
}

/* Applies --timeline/--time (or, for screenshots, the end of the data), paused. */
static int place_cursor(reel_viewer *viewer, const cli_view_options *o, bool screenshot)
{
    reel_viewer_recording *rec = reel_viewer_active_recording(viewer);
    if (rec == NULL)
        return CLI_EXIT_OK;
    reel_viewer_begin_frame(viewer, 0); /* heuristics and the time control's first state */
    if (o->timeline != NULL) {
        if (reel_store_timeline_find(reel_viewer_recording_store(rec), o->timeline) ==
            REEL_STORE_NO_ID) {
            fprintf(stderr, "reel: --timeline %s: the recording has no such timeline\n",
                    o->timeline);
            return CLI_EXIT_BAD_INPUT;
        }
        reel_viewer_time_set_timeline(viewer, rec, o->timeline);
    }
    reel_viewer_time t;
    reel_viewer_time_get(rec, &t);
    if (o->time != NULL) {
        reel_time_type type =
            reel_store_timeline_type(reel_viewer_recording_store(rec), t.timeline);
        int64_t v = 0;
        if (!parse_time(o->time, type != REEL_TIME_SEQUENCE, &v)) {
            fprintf(stderr, "reel: --time %s: expected an integer, or seconds like 1.5s\n",
                    o->time);
            return CLI_EXIT_USAGE;
        }
        reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PAUSED);
        reel_viewer_time_set_cursor(rec, v);
    } else if (screenshot && t.has_data) {
        reel_viewer_time_set_play_state(viewer, rec, REEL_PLAY_PAUSED);
        reel_viewer_time_set_cursor(rec, t.data_max);
    }
    reel_viewer_end_frame(viewer);
    return CLI_EXIT_OK;
}

/* Starts reading the URL's proxy. Headless runs (screenshot, dump) first wait until messages
 * came and then stopped coming for a moment (the history replay is over), at most --wait. */
static int read_url(reel_viewer *viewer, const cli_view_options *o, bool headless)
{
    reel_error err = {0};
    if (reel_viewer_read_start(viewer, &(reel_viewer_read_desc){.url = o->url}, &err) != REEL_OK) {
        fprintf(stderr, "reel: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (!headless) {
        fprintf(stderr, "reel: reading %s\n", o->url);
        return CLI_EXIT_OK;
    }
    double wait_secs = o->wait_secs > 0 ? o->wait_secs : 15;
    uint64_t start = reel_clock_monotonic_ns();
    uint64_t deadline = start + (uint64_t)(wait_secs * 1e9);
    uint64_t last_count = 0, last_change = start;
    reel_viewer_read_info info;
    for (;;) {
        reel_viewer_read_state(viewer, &info);
        uint64_t now = reel_clock_monotonic_ns();
        if (info.messages != last_count) {
            last_count = info.messages;
            last_change = now;
        }
        if (last_count > 0 && now - last_change > 500000000ull)
            break; /* quiet for half a second: the replay is in */
        if (now >= deadline)
            break;
        usleep(20000);
    }
    if (last_count == 0) {
        fprintf(stderr, "reel: %s: no data within %g s%s%s%s\n", o->url, wait_secs,
                info.last_error[0] ? " (last error: " : "", info.last_error,
                info.last_error[0] ? ")" : "");
        return CLI_EXIT_BAD_INPUT;
    }
    reel_viewer_live_drain(viewer, 0);
    return CLI_EXIT_OK;
}

int cmd_view(int argc, char **argv)
{
    cli_view_options o;
    int code = cli_view_parse(argc, argv, &o);
    if (code != CLI_EXIT_OK || o.help) {
        if (o.help)
            cli_view_usage(stdout);
        free(o.inputs);
        return code;
    }
    if (o.url != NULL) {
        /* Malformed or unsupported URLs fail here with the parser's reason, before any thread
         * or window. */
        reel_net_url url;
        reel_error err = {0};
        reel_status status = reel_net_url_parse(o.url, &url, &err);
        if (status == REEL_OK && (url.tls || !url.is_proxy))
            status = reel_error_set(&err, REEL_UNSUPPORTED, "%s",
                                    url.tls ? "TLS (rerun:// and rerun+https://) is not "
                                              "supported; use rerun+http://"
                                            : "only a proxy can be read: the path must be /proxy "
                                              "(e.g. rerun+http://127.0.0.1:9876/proxy)");
        if (status != REEL_OK) {
            fprintf(stderr, "reel: %s: %s\n", o.url, err.message);
            free(o.inputs);
            return CLI_EXIT_USAGE;
        }
        if (!o.port_set)
            o.port = 0; /* reading a proxy: do not also listen unless asked */
    }
    reel_viewer *viewer = NULL;
    reel_error err = {0};
    /* Screenshots and dumps fix the id seed so layouts (and PNGs) are reproducible. */
    bool deterministic = o.screenshot != NULL || o.dump_blueprint;
    if (reel_viewer_create(
            &(reel_viewer_desc){.memory_limit = o.memory_limit,
                                .id_seed = deterministic ? REEL_APP_DETERMINISTIC_SEED : 0},
            &viewer, &err) != REEL_OK) {
        fprintf(stderr, "reel: %s\n", err.message);
        free(o.inputs);
        return CLI_EXIT_BAD_INPUT;
    }
    code = load_inputs(viewer, &o, deterministic);
    if (code == CLI_EXIT_OK && o.url != NULL)
        code = read_url(viewer, &o, deterministic);
    if (code == CLI_EXIT_OK)
        code = place_cursor(viewer, &o, deterministic);
    if (code == CLI_EXIT_OK) {
        if (o.dump_blueprint)
            code = cli_view_dump_blueprint(viewer, stdout);
        else if (o.screenshot != NULL)
            code = cli_view_screenshot(viewer, &o);
        else
            code = cli_view_window(viewer, &o);
    }
    reel_viewer_destroy(viewer);
    free(o.inputs);
    return code;
}
