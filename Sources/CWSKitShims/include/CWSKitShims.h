// CWSKitShims: the few Linux APIs Swift cannot import directly.
//
// Glibc declares `struct epoll_event` with `__attribute__((packed))` on x86_64, which Swift cannot
// import faithfully. These wrappers translate to an unpacked struct of our own.
#ifndef CWSKIT_SHIMS_H
#define CWSKIT_SHIMS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One readiness event: `events` is the EPOLL* bit set, `data` the 64-bit value registered.
typedef struct cwskit_epoll_event {
    uint32_t events;
    uint64_t data;
} cwskit_epoll_event;

enum {
    CWSKIT_EPOLLIN = 0x001,
    CWSKIT_EPOLLOUT = 0x004,
    CWSKIT_EPOLLERR = 0x008,
    CWSKIT_EPOLLHUP = 0x010,
    CWSKIT_EPOLLRDHUP = 0x2000,
};

/// epoll_create1(EPOLL_CLOEXEC).
int cwskit_epoll_create(void);
/// epoll_ctl with EPOLL_CTL_ADD.
int cwskit_epoll_add(int epfd, int fd, uint32_t events, uint64_t data);
/// epoll_ctl with EPOLL_CTL_MOD.
int cwskit_epoll_mod(int epfd, int fd, uint32_t events, uint64_t data);
/// epoll_ctl with EPOLL_CTL_DEL.
int cwskit_epoll_del(int epfd, int fd);
/// epoll_wait into an unpacked array; `max` is capped at 1024.
int cwskit_epoll_wait(int epfd, cwskit_epoll_event *events, int max, int timeout_ms);

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC).
int cwskit_eventfd_create(void);
/// Adds 1 to an eventfd counter (wakes a loop). Returns 0 or -1 with errno.
int cwskit_eventfd_signal(int fd);
/// Drains an eventfd counter.
void cwskit_eventfd_drain(int fd);

/// Creates a non-blocking TCP listening socket bound to host:port (IPv4 or IPv6 literal),
/// with SO_REUSEADDR and, when `reuse_port` is set, SO_REUSEPORT. Returns the fd or -errno.
int cwskit_listen_tcp(const char *host, int port, int backlog, int reuse_port);
/// The local port a socket is bound to, or -1.
int cwskit_local_port(int fd);
/// accept4(SOCK_NONBLOCK | SOCK_CLOEXEC); sets TCP_NODELAY; writes the peer address as text.
/// Returns the fd, or -1 with errno.
int cwskit_accept(int listen_fd, char *peer, int peer_len);
/// Creates a non-blocking TCP connection to host:port (connect in progress is success).
/// Returns the fd or -errno.
int cwskit_connect_tcp(const char *host, int port);
/// Sets TCP_NODELAY.
int cwskit_set_nodelay(int fd);
/// Sets SO_LINGER to 0 so that close() sends RST (used to drop abusive peers at once).
int cwskit_set_linger_zero(int fd);
/// Ignores SIGPIPE for the process.
void cwskit_ignore_sigpipe(void);
/// CLOCK_MONOTONIC in nanoseconds.
uint64_t cwskit_monotonic_ns(void);
/// Creates an eventfd that SIGINT and SIGTERM write to (async-signal-safe), so a thread can
/// wait for a shutdown request with `cwskit_wait_readable`. Returns the fd or -1.
int cwskit_shutdown_signal_fd(void);
/// Creates an eventfd that SIGHUP writes to (the certificate-reload signal). Returns the fd or -1.
int cwskit_hangup_signal_fd(void);
/// Blocks until `fd` is readable or `timeout_ms` passes (-1: forever). Returns 1, 0 or -1.
int cwskit_wait_readable(int fd, int timeout_ms);
/// Starts a detached-or-joinable thread running `body(context)`. Returns 0 or an errno.
int cwskit_thread_start(void *(*body)(void *), void *context, unsigned long *thread_out);
/// Joins a thread started by cwskit_thread_start.
int cwskit_thread_join(unsigned long thread);
/// An identifier of the calling thread, comparable with the one cwskit_thread_start returned.
unsigned long cwskit_thread_self(void);
/// Pins the calling thread to one CPU; returns 0 or an errno.
int cwskit_pin_thread(int cpu);
/// The CPUs this process may run on: the CPUs in its affinity mask (`sched_getaffinity`, so
/// `taskset -c 0` counts 1), further capped by a cgroup v2 CPU quota (`cpu.max`, rounded up).
/// Falls back to the online CPUs when the mask cannot be read. Always at least 1.
int cwskit_available_cpus(void);

#ifdef __cplusplus
}
#endif
#endif
