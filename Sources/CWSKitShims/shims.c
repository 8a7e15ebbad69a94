#define _GNU_SOURCE
#include "CWSKitShims.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int cwskit_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static int ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

int cwskit_epoll_add(int epfd, int fd, uint32_t events, uint64_t data) { return ctl(epfd, EPOLL_CTL_ADD, fd, events, data); }
int cwskit_epoll_mod(int epfd, int fd, uint32_t events, uint64_t data) { return ctl(epfd, EPOLL_CTL_MOD, fd, events, data); }
int cwskit_epoll_del(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int cwskit_epoll_wait(int epfd, cwskit_epoll_event *out, int max, int timeout_ms) {
    struct epoll_event evs[1024];
    if (max > 1024) max = 1024;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].data = evs[i].data.u64;
    }
    return n;
}

int cwskit_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cwskit_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t r = write(fd, &one, sizeof one);
    return (r == sizeof one || errno == EAGAIN) ? 0 : -1;
}

void cwskit_eventfd_drain(int fd) {
    uint64_t v;
    while (read(fd, &v, sizeof v) == sizeof v) {}
}

static int fill_addr(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return 0;
    }
    return -EINVAL;
}

/// A non-blocking, close-on-exec TCP socket of the family of host:port, whose address it fills
/// in. Returns the fd or -errno.
static int open_tcp_socket(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len) {
    int r = fill_addr(host, port, ss, len);
    if (r < 0) return r;
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

int cwskit_listen_tcp(const char *host, int port, int backlog, int reuse_port) {
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = open_tcp_socket(host, port, &ss, &len);
    if (fd < 0) return fd;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
        int e = errno; close(fd); return -e;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
        int e = errno; close(fd); return -e;
    }
    return fd;
}

int cwskit_local_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

int cwskit_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int cwskit_set_linger_zero(int fd) {
    struct linger l = {1, 0};
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

int cwskit_accept(int listen_fd, char *peer, int peer_len) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(listen_fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return -1;
    cwskit_set_nodelay(fd);
    if (peer && peer_len > 0) {
        peer[0] = 0;
        if (ss.ss_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, peer, (socklen_t)peer_len);
        } else if (ss.ss_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, peer, (socklen_t)peer_len);
        }
    }
    return fd;
}

int cwskit_connect_tcp(const char *host, int port) {
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = open_tcp_socket(host, port, &ss, &len);
    if (fd < 0) return fd;
    cwskit_set_nodelay(fd);
    if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
        int e = errno; close(fd); return -e;
    }
    return fd;
}

void cwskit_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

uint64_t cwskit_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int cwskit_pin_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

#include <poll.h>

static int shutdown_fd = -1;

static void on_shutdown_signal(int sig) {
    (void)sig;
    if (shutdown_fd >= 0) {
        uint64_t one = 1;
        ssize_t r = write(shutdown_fd, &one, sizeof one);
        (void)r;
    }
}

int cwskit_shutdown_signal_fd(void) {
    if (shutdown_fd < 0) shutdown_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (shutdown_fd < 0) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_shutdown_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return shutdown_fd;
}

int cwskit_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        return r;
    }
}

int cwskit_thread_start(void *(*body)(void *), void *context, unsigned long *thread_out) {
    pthread_t t;
    int r = pthread_create(&t, NULL, body, context);
    if (r == 0) *thread_out = (unsigned long)t;
    return r;
}

int cwskit_thread_join(unsigned long thread) { return pthread_join((pthread_t)thread, NULL); }

unsigned long cwskit_thread_self(void) { return (unsigned long)pthread_self(); }

/// The quota of one cgroup v2 directory's cpu.max ("max 100000" or "QUOTA PERIOD") in whole
/// CPUs (rounded up), or 0 when unlimited or unreadable.
static int cpu_max_quota(const char *group) {
    char path[700];
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/cpu.max", group);
    FILE *f = fopen(path, "re");
    if (!f) return 0;
    char quota[32] = {0};
    long period = 0;
    int fields = fscanf(f, "%31s %ld", quota, &period);
    fclose(f);
    if (fields != 2 || period <= 0 || strcmp(quota, "max") == 0) return 0;
    long q = strtol(quota, NULL, 10);
    return q > 0 ? (int)((q + period - 1) / period) : 0;
}

/// The smallest cgroup v2 CPU quota on the way from this process's group up to the root (a limit
/// set on a parent, such as a systemd slice, applies too), in whole CPUs; 0 when none.
static int cgroup_cpu_quota(void) {
    char group[512] = {0};
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f) return 0;
    char line[600];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "0::", 3) == 0) {
            size_t n = strcspn(line + 3, "\n");
            if (n >= sizeof group) n = sizeof group - 1;
            memcpy(group, line + 3, n);
            group[n] = 0;
            break;
        }
    }
    fclose(f);
    int smallest = 0;
    for (;;) {
        int quota = cpu_max_quota(group);
        if (quota > 0 && (smallest == 0 || quota < smallest)) smallest = quota;
        char *slash = strrchr(group, '/');
        if (!slash || group[0] == 0) break;
        *slash = 0; // the parent ("" is the root)
    }
    return smallest;
}

int cwskit_available_cpus(void) {
    int count = 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) count = CPU_COUNT(&set);
    if (count <= 0) count = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int quota = cgroup_cpu_quota();
    if (quota > 0 && quota < count) count = quota;
    return count > 0 ? count : 1;
}

static int hangup_fd = -1;

static void on_hangup_signal(int sig) {
    (void)sig;
    if (hangup_fd >= 0) {
        uint64_t one = 1;
        ssize_t r = write(hangup_fd, &one, sizeof one);
        (void)r;
    }
}

int cwskit_hangup_signal_fd(void) {
    if (hangup_fd < 0) hangup_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (hangup_fd < 0) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
    return hangup_fd;
}
