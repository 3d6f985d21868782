/*
 * CVigilSys.c: small C helpers for the EventLoop module (see CVigilSys.h).
 * Compiled with _GNU_SOURCE so accept4, signalfd and GNU strerror_r exist.
 * Invariants: no global state; every function reports failure through its
 * return value and errno, never by aborting.
 */
#include "CVigilSys.h"

#include <string.h>
#include <stdio.h>
#include <pthread.h>
#include <sys/syscall.h>

int vigil_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int vigil_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int vigil_stream_socket(int family) {
    return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int vigil_accept(int listener, struct sockaddr_storage *peer, socklen_t *peer_len) {
    *peer_len = (socklen_t)sizeof(*peer);
    return accept4(listener, (struct sockaddr *)peer, peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int vigil_parse_address(const char *host, int port,
                        struct sockaddr_storage *out, socklen_t *out_len) {
    memset(out, 0, sizeof(*out));
    if (port < 0 || port > 65535) {
        errno = EINVAL;
        return -1;
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (strcmp(host, "*") == 0) {
        v4->sin_family = AF_INET;
        v4->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (strcmp(host, "::*") == 0) {
        v6->sin6_family = AF_INET6;
        v6->sin6_addr = in6addr_any;
    } else if (strcmp(host, "localhost") == 0) {
        v4->sin_family = AF_INET;
        v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
    } else {
        errno = EINVAL;
        return -1;
    }
    if (out->ss_family == AF_INET) {
        v4->sin_port = htons((uint16_t)port);
        *out_len = (socklen_t)sizeof(*v4);
    } else {
        v6->sin6_port = htons((uint16_t)port);
        *out_len = (socklen_t)sizeof(*v6);
    }
    return out->ss_family;
}

int vigil_format_address(const struct sockaddr_storage *address, socklen_t len,
                         char *text, size_t text_len, int *port) {
    if (text_len == 0) {
        errno = EINVAL;
        return -1;
    }
    text[0] = '\0';
    *port = 0;
    switch (address->ss_family) {
    case AF_INET: {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)address;
        if (inet_ntop(AF_INET, &v4->sin_addr, text, (socklen_t)text_len) == NULL) return -1;
        *port = ntohs(v4->sin_port);
        return AF_INET;
    }
    case AF_INET6: {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)address;
        if (inet_ntop(AF_INET6, &v6->sin6_addr, text, (socklen_t)text_len) == NULL) return -1;
        *port = ntohs(v6->sin6_port);
        return AF_INET6;
    }
    case AF_UNIX: {
        const struct sockaddr_un *un = (const struct sockaddr_un *)address;
        size_t offset = offsetof(struct sockaddr_un, sun_path);
        size_t path_len = len > offset ? (size_t)len - offset : 0;
        if (path_len > sizeof(un->sun_path)) path_len = sizeof(un->sun_path);
        /* Abstract sockets start with NUL; unnamed ones have no path: both render as "". */
        size_t n = path_len > 0 && un->sun_path[0] != '\0' ? strnlen(un->sun_path, path_len) : 0;
        if (n >= text_len) n = text_len - 1;
        memcpy(text, un->sun_path, n);
        text[n] = '\0';
        return AF_UNIX;
    }
    default:
        errno = EAFNOSUPPORT;
        return -1;
    }
}

int vigil_set_int_option(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, (socklen_t)sizeof(value));
}

int vigil_socket_error(int fd, int *error) {
    socklen_t len = (socklen_t)sizeof(*error);
    *error = 0;
    return getsockopt(fd, SOL_SOCKET, SO_ERROR, error, &len);
}

int vigil_set_keepalive(int fd, int interval) {
    if (vigil_set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1) == -1) return -1;
    if (interval <= 0) return 0;
    /* As Redis's anetKeepAlive: first probe after `interval` seconds, then
     * three probes spaced interval/3 apart, so a dead peer is found in about
     * twice the interval. */
    int probe_interval = interval / 3;
    if (probe_interval == 0) probe_interval = 1;
    if (vigil_set_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, interval) == -1) return -1;
    if (vigil_set_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, probe_interval) == -1) return -1;
    if (vigil_set_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT, 3) == -1) return -1;
    return 0;
}

int vigil_thread_block_signal(int signo, int block) {
    sigset_t set;
    sigemptyset(&set);
    if (sigaddset(&set, signo) == -1) return errno;
    return pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int vigil_thread_signal_is_blocked(int signo) {
    sigset_t current;
    sigemptyset(&current);
    if (pthread_sigmask(SIG_BLOCK, NULL, &current) != 0) return 0;
    return sigismember(&current, signo) == 1;
}

int vigil_signalfd_update(int fd, const int *signos, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) {
        if (sigaddset(&set, signos[i]) == -1) return -1;
    }
    return signalfd(fd, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int vigil_signalfd_next(int fd) {
    struct signalfd_siginfo info;
    for (;;) {
        ssize_t n = read(fd, &info, sizeof(info));
        if (n == (ssize_t)sizeof(info)) return (int)info.ssi_signo;
        if (n == -1 && errno == EINTR) continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (n >= 0) errno = EIO;
        return -1;
    }
}

int vigil_ignore_sigpipe(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPIPE, &action, NULL);
}

int vigil_signal_current_thread(int signo) {
    return (int)syscall(SYS_tgkill, getpid(), gettid(), signo);
}

void vigil_strerror(int error, char *buffer, size_t len) {
    if (len == 0) return;
    /* GNU strerror_r may return a static string instead of filling buffer. */
    const char *message = strerror_r(error, buffer, len);
    if (message != buffer) {
        snprintf(buffer, len, "%s", message != NULL ? message : "Unknown error");
    }
}

static int64_t clock_nanoseconds(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

int64_t vigil_monotonic_nanoseconds(void) {
    return clock_nanoseconds(CLOCK_MONOTONIC);
}

int64_t vigil_realtime_nanoseconds(void) {
    return clock_nanoseconds(CLOCK_REALTIME);
}
