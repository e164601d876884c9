/* Rerun's connection URLs (rrd-format.md §7.4: schemes, scheme-less shortcuts, default ports,
 * the /proxy path) and byte sizes as the CLI takes them ("1GiB"). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net.h"

static bool starts_with(const char *text, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);
    if (strncasecmp(text, prefix, n) != 0)
        return false;
    *len = n;
    return true;
}

static bool is_local_host(const char *host)
{
    return strcasecmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 ||
           strcmp(host, "::1") == 0 || strcmp(host, "0.0.0.0") == 0;
}

reel_status reel_net_url_parse(const char *text, reel_net_url *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL || text[0] == '\0')
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "empty URL");
    const char *rest = text;
    size_t skip = 0;
    bool explicit_scheme = true;
    if (starts_with(text, "rerun+http://", &skip)) {
        out->tls = false;
    } else if (starts_with(text, "rerun+https://", &skip) || starts_with(text, "rerun://", &skip)) {
        out->tls = true;
    } else if (strstr(text, "://") != NULL) {
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "URL '%s': the scheme must be rerun://, rerun+http:// or "
                              "rerun+https://",
                              text);
    } else {
        explicit_scheme = false;
    }
    rest += skip;

    /* host[:port] up to the path. */
    const char *host_end;
    const char *host_start = rest;
    if (*rest == '[') {
        host_start = rest + 1;
        host_end = strchr(host_start, ']');
        if (host_end == NULL)
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': unclosed '['", text);
        rest = host_end + 1;
    } else {
        host_end = rest + strcspn(rest, ":/?#");
        rest = host_end;
    }
    size_t host_len = (size_t)(host_end - host_start);
    if (host_len == 0 || host_len >= sizeof out->host)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': %s host", text,
                              host_len == 0 ? "no" : "too long a");
    memcpy(out->host, host_start, host_len);
    out->host[host_len] = '\0';
    for (size_t i = 0; i < host_len; i++) {
        unsigned char c = (unsigned char)out->host[i];
        if (c <= ' ' || c == '@' || c >= 0x7f)
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': bad character in host",
                                  text);
    }

    if (!explicit_scheme) {
        if (is_local_host(out->host))
            out->tls = false;
        else if (strcasecmp(out->host, "rerun.io") == 0)
            out->tls = true;
        else
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "URL '%s' has no scheme (rerun+http://, rerun+https:// or "
                                  "rerun://)",
                                  text);
    }

    bool have_port = false;
    if (*rest == ':') {
        rest++;
        char *end = NULL;
        if (!isdigit((unsigned char)*rest))
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': bad port", text);
        unsigned long port = strtoul(rest, &end, 10);
        if (port == 0 || port > 65535 ||
            (end != NULL && *end != '\0' && *end != '/' && *end != '?' && *end != '#'))
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': bad port", text);
        out->port = (uint16_t)port;
        have_port = true;
        rest = end;
    }

    size_t path_len = strcspn(rest, "?#");
    if (path_len >= sizeof out->path)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "URL '%s': path too long", text);
    memcpy(out->path, rest, path_len);
    out->path[path_len] = '\0';
    while (path_len > 1 && out->path[path_len - 1] == '/')
        out->path[--path_len] = '\0';
    out->is_proxy = strcmp(out->path, "/proxy") == 0;

    if (!have_port) {
        if (is_local_host(out->host))
            out->port = out->is_proxy ? REEL_NET_DEFAULT_PROXY_PORT : REEL_NET_DEFAULT_CATALOG_PORT;
        else
            out->port = out->tls ? 443 : 80;
    }
    return REEL_OK;
}
