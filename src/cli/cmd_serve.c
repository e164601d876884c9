/* `reel serve [--bind ADDR] [--port N] [--memory-limit SIZE] [--save OUT.rrd]`: Rerun's gRPC
 * message proxy without a viewer (as `rerun --serve-grpc`): SDKs log into it, viewers read
 * from it (history first, then live). SIGINT/SIGTERM stop it cleanly, so --save files get
 * their footer. */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "net/net.h"

/* The one server a signal handler may stop: process-wide by nature of signals. */
static reel_proxy_server *volatile serve_server;

static void on_signal(int sig)
{
    (void)sig;
    if (serve_server != NULL)
        reel_proxy_server_stop(serve_server);
}

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: reel serve [options]\n\n"
            "Hosts Rerun's gRPC message proxy (no viewer): SDKs connect with\n"
            "rr.connect_grpc(\"rerun+http://HOST:PORT/proxy\"), viewers with\n"
            "`rerun --connect rerun+http://HOST:PORT/proxy` or `reel rerun+http://...`.\n"
            "Late viewers get everything logged so far, then live data. h2c gRPC and gRPC-Web\n"
            "(HTTP/1.1, for the web viewer) share the port.\n\n"
            "options:\n"
            "  --bind ADDR           address to listen on (default 127.0.0.1; 0.0.0.0 or ::\n"
            "                        for every interface)\n"
            "  --port N              port (default 9876; 0 = any free port, printed)\n"
            "  --memory-limit SIZE   history kept for late viewers (default 1GiB); above it the\n"
            "                        oldest temporal data goes first, then static data; store\n"
            "                        infos and blueprints are always kept\n"
            "  --save OUT.rrd        also write everything received to OUT.rrd (footer at exit)\n\n"
            "Stops on Ctrl-C (SIGINT) or SIGTERM.\n");
}

int cmd_serve(int argc, char **argv)
{
    reel_proxy_server_options options = {.bind = "127.0.0.1", .port = 9876};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = strcmp(arg, "--bind") == 0 || strcmp(arg, "--port") == 0 ||
                           strcmp(arg, "--memory-limit") == 0 || strcmp(arg, "--save") == 0;
        if (!takes_value)
            return cli_usage_error("serve", "unknown argument '%s'", arg);
        if (value == NULL)
            return cli_usage_error("serve", "%s needs a value", arg);
        i++;
        if (strcmp(arg, "--bind") == 0) {
            options.bind = value;
        } else if (strcmp(arg, "--port") == 0) {
            char *end = NULL;
            unsigned long port = strtoul(value, &end, 10);
            if (value[0] < '0' || value[0] > '9' || *end != '\0' || port > 65535)
                return cli_usage_error("serve", "bad port '%s'", value);
            options.port = (uint16_t)port;
        } else if (strcmp(arg, "--memory-limit") == 0) {
            reel_error err = {0};
            if (reel_parse_size(value, &options.memory_limit, &err) != REEL_OK ||
                options.memory_limit == 0)
                return cli_usage_error("serve", "--memory-limit: %s",
                                       err.message[0] ? err.message : "must be above 0");
        } else {
            options.save_path = value;
        }
    }

    reel_error err = {0};
    reel_proxy_server *server = NULL;
    if (reel_proxy_server_create(&options, &server, &err) != REEL_OK) {
        fprintf(stderr, "reel serve: %s\n", err.message);
        return CLI_EXIT_BAD_INPUT;
    }
    serve_server = server;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    signal(SIGPIPE, SIG_IGN);

    const char *bind = options.bind;
    bool ipv6 = strchr(bind, ':') != NULL;
    const char *host = strcmp(bind, "0.0.0.0") == 0 || strcmp(bind, "::") == 0 ? "127.0.0.1" : bind;
    if (host != bind)
        ipv6 = false;
    printf("reel serve: listening on rerun+http://%s%s%s:%u/proxy (gRPC and gRPC-Web, bound to "
           "%s)\n",
           ipv6 ? "[" : "", host, ipv6 ? "]" : "", (unsigned)reel_proxy_server_port(server), bind);
    if (options.save_path != NULL)
        printf("reel serve: saving everything received to %s\n", options.save_path);
    fflush(stdout);

    reel_status status = reel_proxy_server_run(server, &err);
    serve_server = NULL;
    reel_proxy_server_stats stats;
    reel_proxy_server_stats_get(server, &stats);
    fprintf(stderr,
            "reel serve: stopped; %" PRIu64 " message(s) received (%" PRIu64 " bytes), %" PRIu64
            " refused, %" PRIu64 " dropped by the memory limit",
            stats.messages_received, stats.bytes_received, stats.messages_rejected,
            stats.messages_dropped);
    if (options.save_path != NULL)
        fprintf(stderr, ", %" PRIu64 " saved to %s", stats.saved_messages, options.save_path);
    fprintf(stderr, "\n");
    reel_proxy_server_destroy(server);
    if (status != REEL_OK) {
        fprintf(stderr, "reel serve: %s\n", err.message);
        return CLI_EXIT_BAD_INPUT;
    }
    return CLI_EXIT_OK;
}
