/* Socket plumbing for the poll loops: listening and connecting TCP sockets (non-blocking,
 * TCP_NODELAY, close-on-exec), sends that never raise SIGPIPE (MSG_NOSIGNAL), and a self-pipe
 * that wakes a loop from another thread or a signal handler. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"

void reel__socket_setup(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

reel_status reel__socket_listen(const char *bind_host, uint16_t port, int *fd_out,
                                uint16_t *bound_port, reel_error *err)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%u", (unsigned)port);
    int rc = getaddrinfo(bind_host, port_text, &hints, &res);
    if (rc != 0)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "bind address '%s': %s", bind_host,
                              gai_strerror(rc));
    int fd = -1, last_errno = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6) {
            int zero = 0; /* "::" listens on IPv4 too */
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        }
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0)
            break;
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return reel_error_set(err, REEL_IO, "cannot listen on %s:%u: %s", bind_host, (unsigned)port,
                              strerror(last_errno));
    reel__socket_setup(fd);
    struct sockaddr_storage addr;
    socklen_t addr_len = sizeof addr;
    *bound_port = port;
    if (getsockname(fd, (struct sockaddr *)&addr, &addr_len) == 0) {
        if (addr.ss_family == AF_INET)
            *bound_port = ntohs(((struct sockaddr_in *)&addr)->sin_port);
        else if (addr.ss_family == AF_INET6)
            *bound_port = ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    }
    *fd_out = fd;
    return REEL_OK;
}

reel_status reel__socket_connect(const char *host, uint16_t port, int *fd_out, bool *in_progress,
                                 reel_error *err)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%u", (unsigned)port);
    int rc = getaddrinfo(host, port_text, &hints, &res);
    if (rc != 0)
        return reel_error_set(err, REEL_IO, "cannot resolve '%s': %s", host, gai_strerror(rc));
    int fd = -1, last_errno = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        reel__socket_setup(fd);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            *in_progress = false;
            break;
        }
        if (errno == EINPROGRESS) {
            *in_progress = true;
            break;
        }
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return reel_error_set(err, REEL_IO, "cannot connect to %s:%u: %s", host, (unsigned)port,
                              strerror(last_errno));
    *fd_out = fd;
    return REEL_OK;
}

long reel__socket_send(int fd, const uint8_t *data, size_t len)
{
    for (;;) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n >= 0)
            return (long)n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

long reel__socket_recv(int fd, uint8_t *data, size_t len)
{
    for (;;) {
        ssize_t n = recv(fd, data, len, 0);
        if (n >= 0)
            return (long)n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return -2;
        return -1;
    }
}

reel_status reel__wake_pipe_open(int fds[2], reel_error *err)
{
    if (pipe(fds) != 0)
        return reel_error_set(err, REEL_IO, "pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL, 0) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return REEL_OK;
}

void reel__wake_pipe_signal(int write_fd)
{
    int saved = errno;
    uint8_t byte = 1;
    ssize_t ignored = write(write_fd, &byte, 1); /* a full pipe already wakes the loop */
    (void)ignored;
    errno = saved;
}

void reel__wake_pipe_drain(int read_fd)
{
    uint8_t bytes[64];
    while (read(read_fd, bytes, sizeof bytes) > 0) {
    }
}
