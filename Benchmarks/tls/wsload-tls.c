// wsload-tls: a small WebSocket-over-TLS load generator (OpenSSL, epoll) for the TLS benchmarks
// of issue 13. Same method as ../shared/perf/wsload.c, which speaks plain TCP only.
//
//   gcc -O2 -Wall -o /tmp/wsload-tls Benchmarks/tls/wsload-tls.c -lssl -lcrypto
//   wsload-tls echo      -p PORT [-c 100] [-s 32] [-b] [-d 10] [-w 2] [-m SERVER_PID]
//   wsload-tls handshake -p PORT [-k 32] [-u] [-d 10] [-m SERVER_PID]  full TLS handshakes per second
//   wsload-tls idle      -p PORT [-c 10000] [-k 64] [-d 5] [-m SERVER_PID]  RSS per idle wss connection
//
// Connections are opened non-blocking, -k at a time (handshake: 32 in flight, each slot connects,
// handshakes, sends close_notify, closes and starts again; -u adds the WebSocket upgrade to each;
// echo and idle: their connections are opened 64 at a time). No session resumption: every
// handshake is a full one. One JSON line on stdout. -m PID adds the server's CPU time per message /
// handshake and its RSS; every timed mode also reports the cores busy in the server, in this
// generator and in everything else on the machine (other_cpu, the noise) over the measured window.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port = 9001, conns = 100, size = 32, binary = 0, server_pid = 0;
static int concurrency = 0, upgrade_in_handshake = 0;   // 0: the mode's default (see main)
static double duration = 10, warmup = 2;
static const char *server_name = "localhost";
static SSL_CTX *ctx;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static double server_cpu(void) {
    if (!server_pid) return 0;
    char path[64], buf[1024]; snprintf(path, sizeof path, "/proc/%d/stat", server_pid);
    FILE *f = fopen(path, "r"); if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f); fclose(f); buf[n] = 0;
    char *p = strrchr(buf, ')'); if (!p) return 0;
    unsigned long utime = 0, stime = 0; int field = 2;
    for (char *tok = strtok(p + 2, " "); tok; tok = strtok(NULL, " ")) {
        field++;
        if (field == 14) utime = strtoul(tok, NULL, 10);
        if (field == 15) { stime = strtoul(tok, NULL, 10); break; }
    }
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static long server_rss_kb(void) {
    if (!server_pid) return 0;
    char path[64], line[256]; snprintf(path, sizeof path, "/proc/%d/status", server_pid);
    FILE *f = fopen(path, "r"); if (!f) return 0;
    long kb = 0;
    while (fgets(line, sizeof line, f)) if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
    fclose(f); return kb;
}

// ---- Opening connections: non-blocking connect + TLS handshake (+ WebSocket upgrade), many at once.

static const char upgrade_request[] =
    "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

enum { S_CONNECT, S_TLS, S_REQUEST, S_RESPONSE, S_DONE };
typedef struct { int fd; SSL *ssl; int state; int upgrade; int got; char head[512]; } opener_t;

// Starts a non-blocking connect. Source addresses rotate over 127.0.0.2-17 so that the TIME_WAIT
// sockets of thousands of short connections per second never exhaust one address's ports.
static int tcp_open(void) {
    static unsigned next_source;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef IP_BIND_ADDRESS_NO_PORT
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(0x7f000002u + (next_source++ % 16));
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) { close(fd); return -1; }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) { close(fd); return -1; }
    return fd;
}

static int ssl_wait(SSL *ssl, int r) {
    int e = SSL_get_error(ssl, r);
    return e == SSL_ERROR_WANT_READ ? EPOLLIN : e == SSL_ERROR_WANT_WRITE ? EPOLLOUT : -1;
}

// Drives one opening connection as far as it goes without blocking. Returns 0 when it is open
// (TLS done, and upgraded if asked), EPOLLIN or EPOLLOUT to wait for, -1 on failure.
static int open_step(opener_t *o) {
    if (o->state == S_CONNECT) {
        int err = 0; socklen_t len = sizeof err;
        if (getsockopt(o->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) return err == EINPROGRESS ? EPOLLOUT : -1;
        o->ssl = SSL_new(ctx);
        SSL_set_fd(o->ssl, o->fd);
        SSL_set_tlsext_host_name(o->ssl, server_name);
        o->state = S_TLS;
    }
    if (o->state == S_TLS) {
        int r = SSL_connect(o->ssl);
        if (r != 1) return ssl_wait(o->ssl, r);
        o->state = o->upgrade ? S_REQUEST : S_DONE;
    }
    if (o->state == S_REQUEST) {
        int r = SSL_write(o->ssl, upgrade_request, sizeof upgrade_request - 1);
        if (r <= 0) return ssl_wait(o->ssl, r);
        o->state = S_RESPONSE; o->got = 0;
    }
    while (o->state == S_RESPONSE) {
        int r = SSL_read(o->ssl, o->head + o->got, (int)sizeof o->head - 1 - o->got);
        if (r <= 0) return ssl_wait(o->ssl, r);
        o->got += r; o->head[o->got] = 0;
        if (strstr(o->head, "\r\n\r\n")) {
            if (strncmp(o->head, "HTTP/1.1 101", 12)) { fprintf(stderr, "upgrade refused: %.40s\n", o->head); return -1; }
            o->state = S_DONE;
        } else if (o->got == (int)sizeof o->head - 1) return -1;
    }
    return 0;
}

// Opens `n` connections, at most `concurrency` at a time; the open ones are returned in fds/ssls
// (a failed one has fd -1). Returns how many failed.
static int open_many(int n, int concurrency, int upgrade, int *fds, SSL **ssls) {
    int ep = epoll_create1(0), started = 0, finished = 0, failed = 0;
    if (concurrency > n) concurrency = n;
    opener_t *slot = calloc(concurrency, sizeof *slot);
    int *index = calloc(concurrency, sizeof *index);
    struct epoll_event events[256];
    for (int k = 0; k < concurrency; k++) slot[k].fd = -1;
    while (finished < n) {
        for (int k = 0; k < concurrency && started < n; k++) {
            if (slot[k].fd >= 0) continue;
            memset(&slot[k], 0, sizeof slot[k]);
            slot[k].upgrade = upgrade; index[k] = started++;
            slot[k].fd = tcp_open();
            struct epoll_event e = {.events = EPOLLOUT, .data.u32 = k};
            if (slot[k].fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, slot[k].fd, &e) != 0) {
                if (slot[k].fd >= 0) close(slot[k].fd);
                slot[k].fd = -1; fds[index[k]] = -1; ssls[index[k]] = NULL; failed++; finished++;
            }
        }
        int m = epoll_wait(ep, events, 256, 1000);
        for (int j = 0; j < m; j++) {
            int k = events[j].data.u32;
            opener_t *o = &slot[k];
            int w = open_step(o);
            if (w > 0) { struct epoll_event e = {.events = w, .data.u32 = k}; epoll_ctl(ep, EPOLL_CTL_MOD, o->fd, &e); continue; }
            epoll_ctl(ep, EPOLL_CTL_DEL, o->fd, NULL);
            if (w == 0) { fds[index[k]] = o->fd; ssls[index[k]] = o->ssl; }
            else { if (o->ssl) SSL_free(o->ssl); close(o->fd); fds[index[k]] = -1; ssls[index[k]] = NULL; failed++; }
            o->fd = -1; finished++;
        }
    }
    close(ep); free(slot); free(index);
    return failed;
}

// ---- Cost of the generator itself and of everything else on the machine (noise).

static double self_cpu(void) {
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

// Busy CPU seconds of the whole machine (/proc/stat: everything but idle and iowait).
static double machine_busy(void) {
    FILE *f = fopen("/proc/stat", "r"); if (!f) return 0;
    unsigned long long v[10] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
                   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
    fclose(f);
    if (n < 8) return 0;
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf(_SC_CLK_TCK);
}

typedef struct { double t, server, self, machine; } sample_t;
static sample_t sample(void) { return (sample_t){now(), server_cpu(), self_cpu(), machine_busy()}; }

// Prints the shared tail of a JSON line: cores busy in the server, the generator and everything else.
static void print_cores(sample_t a, sample_t b) {
    double el = b.t - a.t, srv = b.server - a.server, me = b.self - a.self, all = b.machine - a.machine;
    double other = (all - srv - me) / el;
    printf(",\"server_cores\":%.2f,\"load_cores\":%.2f,\"other_cpu\":%.2f}\n", srv / el, me / el, other < 0 ? 0 : other);
}

typedef struct { int fd; SSL *ssl; int want; unsigned char *frame; int frame_len; int sent; } conn_t;

static int frame(unsigned char *out, int len) {
    int h = 0; out[h++] = 0x80 | (binary ? 2 : 1);
    if (len < 126) out[h++] = 0x80 | len;
    else if (len < 65536) { out[h++] = 0x80 | 126; out[h++] = len >> 8; out[h++] = len & 255; }
    else { out[h++] = 0x80 | 127; for (int i = 7; i >= 0; i--) out[h++] = (unsigned long)len >> (8 * i) & 255; }
    memset(out + h, 0, 4); h += 4;              // zero mask key: payload unchanged
    memset(out + h, 'x', len);
    return h + len;
}

static int reply_len(int len) { return len + (len < 126 ? 2 : len < 65536 ? 4 : 10); }

static void echo(void) {
    conn_t *c = calloc(conns, sizeof *c);
    int ep = epoll_create1(0);
    unsigned char *scratch = malloc(1 << 20);
    int *fds = calloc(conns, sizeof *fds); SSL **ssls = calloc(conns, sizeof *ssls);
    if (open_many(conns, concurrency, 1, fds, ssls)) { fprintf(stderr, "echo: some connections failed to open\n"); exit(1); }
    for (int i = 0; i < conns; i++) {
        c[i].fd = fds[i]; c[i].ssl = ssls[i];
        c[i].frame = malloc(size + 14); c[i].frame_len = frame(c[i].frame, size);
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i}; epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &e);
        if (SSL_write(c[i].ssl, c[i].frame, c[i].frame_len) != c[i].frame_len) { fprintf(stderr, "write\n"); exit(1); }
        c[i].want = reply_len(size);
    }
    long count = 0, measured = 0; double start = now(); sample_t s0 = {0};
    struct epoll_event events[256];
    while (1) {
        double t = now();
        if (!s0.t && t - start >= warmup) { s0 = sample(); measured = count; }
        if (s0.t && t - s0.t >= duration) break;
        int n = epoll_wait(ep, events, 256, 100);
        for (int k = 0; k < n; k++) {
            conn_t *x = &c[events[k].data.u32];
            while (1) {
                int r = SSL_read(x->ssl, scratch, 1 << 20);
                if (r <= 0) {
                    int e = SSL_get_error(x->ssl, r);
                    if (e == SSL_ERROR_WANT_READ) break;
                    fprintf(stderr, "read error %d\n", e); exit(1);
                }
                x->want -= r;
                if (x->want <= 0) {
                    count++;
                    x->want = reply_len(size);
                    // Blocking-style write: the socket buffer has room for one message.
                    int w; while ((w = SSL_write(x->ssl, x->frame, x->frame_len)) <= 0) {
                        if (SSL_get_error(x->ssl, w) != SSL_ERROR_WANT_WRITE) { fprintf(stderr, "write error\n"); exit(1); }
                    }
                }
            }
        }
    }
    sample_t s1 = sample(); double elapsed = s1.t - s0.t, cpu = s1.server - s0.server; long msgs = count - measured;
    printf("{\"mode\":\"echo\",\"conns\":%d,\"size\":%d,\"msg_per_s\":%.0f,\"mib_per_s\":%.1f,\"server_cpu_us_per_msg\":%.2f",
           conns, size, msgs / elapsed, msgs * (double)size / elapsed / 1048576, server_pid ? cpu / msgs * 1e6 : 0);
    print_cores(s0, s1);
}

// Full TLS handshakes (+ the WebSocket upgrade with -u), `concurrency` in flight: each slot
// connects, handshakes, sends close_notify, closes and starts over.
static void handshakes(void) {
    int ep = epoll_create1(0);
    opener_t *slot = calloc(concurrency, sizeof *slot);
    long count = 0, measured = 0, failures = 0, failures0 = 0; double start = now(); sample_t s0 = {0};
    struct epoll_event events[256];
    for (int k = 0; k < concurrency; k++) slot[k].fd = -1;
    while (1) {
        double t = now();
        if (!s0.t && t - start >= warmup) { s0 = sample(); measured = count; failures0 = failures; }
        if (s0.t && t - s0.t >= duration) break;
        for (int k = 0; k < concurrency; k++) {
            if (slot[k].fd >= 0) continue;
            memset(&slot[k], 0, sizeof slot[k]);
            slot[k].upgrade = upgrade_in_handshake;
            slot[k].fd = tcp_open();
            struct epoll_event e = {.events = EPOLLOUT, .data.u32 = k};
            if (slot[k].fd < 0) { failures++; continue; }
            epoll_ctl(ep, EPOLL_CTL_ADD, slot[k].fd, &e);
        }
        int m = epoll_wait(ep, events, 256, 100);
        for (int j = 0; j < m; j++) {
            int k = events[j].data.u32;
            opener_t *o = &slot[k];
            int w = open_step(o);
            if (w > 0) { struct epoll_event e = {.events = w, .data.u32 = k}; epoll_ctl(ep, EPOLL_CTL_MOD, o->fd, &e); continue; }
            if (w == 0) { SSL_shutdown(o->ssl); count++; } else failures++;
            if (o->ssl) SSL_free(o->ssl);
            close(o->fd); o->fd = -1;
        }
    }
    sample_t s1 = sample(); double elapsed = s1.t - s0.t, cpu = s1.server - s0.server; long n = count - measured;
    printf("{\"mode\":\"handshake\",\"concurrency\":%d,\"upgrade\":%d,\"handshakes_per_s\":%.0f,\"server_cpu_us_per_handshake\":%.1f,"
           "\"load_cpu_us_per_handshake\":%.1f,\"failures\":%ld",
           concurrency, upgrade_in_handshake, n / elapsed, server_pid && n ? cpu / n * 1e6 : 0,
           n ? (s1.self - s0.self) / n * 1e6 : 0, failures - failures0);
    print_cores(s0, s1);
}

static void idle(void) {
    long before = server_rss_kb();
    int *fds = calloc(conns, sizeof *fds); SSL **ssls = calloc(conns, sizeof *ssls);
    double t0 = now();
    int failed = open_many(conns, concurrency, 1, fds, ssls);
    double setup = now() - t0;
    sleep((unsigned)duration);
    long after = server_rss_kb();
    int held = conns - failed;
    printf("{\"mode\":\"idle\",\"conns\":%d,\"held\":%d,\"setup_s\":%.1f,\"server_rss_kb_before\":%ld,\"server_rss_kb_after\":%ld,\"server_rss_kb_per_conn\":%.2f}\n",
           conns, held, setup, before, after, held ? (after - before) / (double)held : 0);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: wsload-tls echo|handshake|idle -p PORT [-c N] [-s BYTES] [-b] [-d S] [-w S] [-k CONCURRENT] [-u] [-m PID] [-n SNI]\n"); return 2; }
    const char *mode = argv[1];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-p")) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-c")) conns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-s")) size = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-b")) binary = 1;
        else if (!strcmp(argv[i], "-d")) duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "-w")) warmup = atof(argv[++i]);
        else if (!strcmp(argv[i], "-m")) server_pid = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n")) server_name = argv[++i];
        else if (!strcmp(argv[i], "-k")) concurrency = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-u")) upgrade_in_handshake = 1;
    }
    if (concurrency <= 0) concurrency = !strcmp(mode, "handshake") ? 32 : 64;
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);           // load generator: cost on the server only
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);   // every handshake is a full one
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
    if (!strcmp(mode, "echo")) echo();
    else if (!strcmp(mode, "handshake")) handshakes();
    else if (!strcmp(mode, "idle")) idle();
    else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    return 0;
}
