/*
 * CVigilSys.h: the Linux system headers Swift's Glibc module does not expose
 * (epoll, eventfd, signalfd, accept4 under _GNU_SOURCE), plus a few tiny C
 * helpers for calls whose Swift import is awkward (sigset_t, sockaddr unions,
 * GNU strerror_r). Only the EventLoop module imports this.
 *
 * Invariants: every helper is thread-safe, keeps no state, and reports
 * failure as -1 with errno set (or returns an errno value where noted); none
 * of them aborts.
 *
 * _GNU_SOURCE is defined for the C compilation of CVigilSys.c only. When Swift
 * imports this header (__swift__ is set) it must see glibc's declarations
 * exactly as the Glibc module does: _GNU_SOURCE changes some struct layouts
 * (e.g. fd_set's field names) and Clang then rejects the two definitions as
 * conflicting. Everything Swift needs is visible without it; the GNU-only
 * calls (accept4, gettid, GNU strerror_r) are wrapped in CVigilSys.c.
 */
#ifndef CVIGILSYS_H
#define CVIGILSYS_H

#if !defined(__swift__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1
#endif

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <malloc.h>  /* mallinfo2, for INFO memory (Node) */

/* Plain-int copies of flag constants that Swift imports as enums or macros it
 * cannot see through. */
static const uint32_t VIGIL_EPOLLIN = EPOLLIN;
static const uint32_t VIGIL_EPOLLOUT = EPOLLOUT;
static const uint32_t VIGIL_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t VIGIL_EPOLLHUP = EPOLLHUP;
static const uint32_t VIGIL_EPOLLERR = EPOLLERR;
static const int VIGIL_MSG_NOSIGNAL = MSG_NOSIGNAL;

/** The calling thread's errno. */
static inline int vigil_errno(void) { return errno; }

/** epoll_create1(EPOLL_CLOEXEC). */
int vigil_epoll_create(void);

/** A non-blocking, close-on-exec eventfd with counter 0. */
int vigil_eventfd(void);

/** A non-blocking, close-on-exec SOCK_STREAM socket of `family`. */
int vigil_stream_socket(int family);

/** accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. */
int vigil_accept(int listener, struct sockaddr_storage *peer, socklen_t *peer_len);

/**
 * Parses a numeric host into a socket address: dotted IPv4, IPv6, "localhost"
 * (127.0.0.1), "*" (IPv4 any) and "::*" (IPv6 any). Returns the address family,
 * or -1 with errno = EINVAL when `host` is none of those or `port` is out of range.
 */
int vigil_parse_address(const char *host, int port,
                        struct sockaddr_storage *out, socklen_t *out_len);

/**
 * Renders an address as text (IP, or the path of a unix socket) into `text`
 * and its port into `*port` (0 for unix sockets). Returns the family, or -1.
 */
int vigil_format_address(const struct sockaddr_storage *address, socklen_t len,
                         char *text, size_t text_len, int *port);

/** setsockopt(fd, level, name, &value, sizeof(int)). */
int vigil_set_int_option(int fd, int level, int name, int value);

/** SO_ERROR of `fd` into *error; returns 0, or -1 if getsockopt failed. */
int vigil_socket_error(int fd, int *error);

/** SO_KEEPALIVE plus TCP_KEEPIDLE/INTVL/CNT derived from `interval` seconds. */
int vigil_set_keepalive(int fd, int interval);

/** Blocks (block != 0) or unblocks `signo` in the calling thread. Returns 0 or an errno value. */
int vigil_thread_block_signal(int signo, int block);

/** 1 if `signo` is blocked in the calling thread, 0 if not. */
int vigil_thread_signal_is_blocked(int signo);

/**
 * Creates (fd == -1) or updates a non-blocking close-on-exec signalfd that
 * accepts exactly the `count` signals in `signos`. Returns the fd or -1.
 */
int vigil_signalfd_update(int fd, const int *signos, int count);

/** Reads one signal from a signalfd: its number, 0 when none is pending, -1 on error. */
int vigil_signalfd_next(int fd);

/** Sets SIGPIPE's disposition to SIG_IGN for the whole process. Returns 0 or -1. */
int vigil_ignore_sigpipe(void);

/** Sends `signo` to the calling thread only (tgkill). Returns 0 or -1. */
int vigil_signal_current_thread(int signo);

/** Thread-safe strerror: writes the message for `error` into `buffer`. */
void vigil_strerror(int error, char *buffer, size_t len);

/** CLOCK_MONOTONIC in nanoseconds. */
int64_t vigil_monotonic_nanoseconds(void);

/** CLOCK_REALTIME in nanoseconds since the Unix epoch. */
int64_t vigil_realtime_nanoseconds(void);

#endif /* CVIGILSYS_H */
