/* grpc_sink_tool: sends an .rrd file's messages through the SDK's gRPC sink (and so the net
 * module's gRPC client) to a message proxy, for the interop tests against the real Rerun:
 *   grpc_sink_tool URL IN.rrd [--no-compress] [--close-timeout-ms N]
 * Every SetStoreInfo, ArrowMsg (decoded, then re-encoded by the sink) and activation is sent in
 * file order; End messages are skipped. Prints one JSON line of client statistics; exit 0
 * when everything was delivered and the server answered grpc-status 0. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "sdk/sink.h"

typedef struct send_state {
    reel_sink *sink;
    int64_t messages, errors;
} send_state;

static reel_status send_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    send_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "grpc_sink_tool: %s\n", msg_error->message);
        st->errors++;
        return REEL_OK;
    }
    if (msg->kind == REEL_RRD_MESSAGE_END)
        return REEL_OK;
    reel_error err = {0};
    if (reel__sink_write(st->sink, msg, &err) != REEL_OK) {
        fprintf(stderr, "grpc_sink_tool: write: %s\n", err.message);
        st->errors++;
    }
    st->messages++;
    return REEL_OK;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: grpc_sink_tool URL IN.rrd [--no-compress] [--close-timeout-ms N]\n");
        return 2;
    }
    reel_sink_grpc_options options = {.url = argv[1], .compress = true};
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--no-compress") == 0)
            options.compress = false;
        else if (strcmp(argv[i], "--close-timeout-ms") == 0 && i + 1 < argc)
            options.close_timeout_ms = strtoull(argv[++i], NULL, 10);
    }
    reel_error err = {0};
    send_state st = {0};
    if (reel__sink_grpc_create(&options, &st.sink, &err) != REEL_OK) {
        fprintf(stderr, "grpc_sink_tool: %s\n", err.message);
        return 1;
    }
    reel_status status = reel_rrd_read_path(argv[2], NULL, send_message, &st, &err);
    if (status != REEL_OK)
        fprintf(stderr, "grpc_sink_tool: %s\n", err.message);
    reel_error close_err = {0};
    reel_status close_status = reel__sink_close(st.sink, &close_err);
    if (close_status != REEL_OK)
        fprintf(stderr, "grpc_sink_tool: close: %s\n", close_err.message);
    printf("{\"messages\": %" PRId64 ", \"errors\": %" PRId64 ", \"close\": \"%s\"}\n", st.messages,
           st.errors, reel_status_name(close_status));
    return status == REEL_OK && close_status == REEL_OK && st.errors == 0 ? 0 : 1;
}
