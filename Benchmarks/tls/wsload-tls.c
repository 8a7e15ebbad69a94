// wsload-tls: a small WebSocket-over-TLS load generator (OpenSSL, epoll) for the TLS benchmarks
// of issue 13. Same method as ../shared/perf/wsload.c, which speaks plain TCP only.
//
//   gcc -O2 -Wall -o /tmp/wsload-tls Benchmarks/tls/wsload-tls.c -lssl -lcrypto
//   wsload-tls echo      -p PORT [-c 100] [-s 32] [-b] [-d 10] [-w 2] [-m SERVER_PID]
//   wsload-tls handshake -p PORT [-d 10] [-m SERVER_PID]        full TLS handshakes (no resumption)
//   wsload-tls idle      -p PORT [-c 10000] [-d 5] [-m SERVER_PID]  RSS per idle wss connection
//
// One JSON line on stdout. -m PID adds the server's CPU time per message / handshake and RSS.
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port = 9001, conns = 100, size = 32, binary = 0, server_pid = 0;
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

static int tcp_connect(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); exit(1); }
    int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static SSL *tls_connect(int fd) {
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, server_name);
    if (SSL_connect(ssl) != 1) { ERR_print_errors_fp(stderr); exit(1); }
    return ssl;
}

static void ws_upgrade(SSL *ssl) {
    const char *req = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    SSL_write(ssl, req, strlen(req));
    char buf[4096]; int got = 0;
    while (got < 4 || memcmp(buf + got - 4, "\r\n\r\n", 4)) {
        int r = SSL_read(ssl, buf + got, 1);
        if (r <= 0) { fprintf(stderr, "upgrade failed\n"); exit(1); }
        got += r;
    }
    if (strncmp(buf, "HTTP/1.1 101", 12)) { fprintf(stderr, "upgrade refused: %.40s\n", buf); exit(1); }
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
    for (int i = 0; i < conns; i++) {
        c[i].fd = tcp_connect(); c[i].ssl = tls_connect(c[i].fd); ws_upgrade(c[i].ssl);
        fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
        c[i].frame = malloc(size + 14); c[i].frame_len = frame(c[i].frame, size);
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i}; epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &e);
        if (SSL_write(c[i].ssl, c[i].frame, c[i].frame_len) != c[i].frame_len) { fprintf(stderr, "write\n"); exit(1); }
        c[i].want = reply_len(size);
    }
    long count = 0, measured = 0; double start = now(), measure_start = 0, cpu0 = 0;
    struct epoll_event events[256];
    while (1) {
        double t = now();
        if (!measure_start && t - start >= warmup) { measure_start = t; cpu0 = server_cpu(); measured = count; }
        if (measure_start && t - measure_start >= duration) break;
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
    double elapsed = now() - measure_start, cpu = server_cpu() - cpu0; long msgs = count - measured;
    printf("{\"mode\":\"echo\",\"conns\":%d,\"size\":%d,\"msg_per_s\":%.0f,\"mib_per_s\":%.1f,\"server_cpu_us_per_msg\":%.2f,\"server_cores\":%.2f}\n",
           conns, size, msgs / elapsed, msgs * (double)size / elapsed / 1048576, server_pid ? cpu / msgs * 1e6 : 0, cpu / elapsed);
}

static void handshakes(void) {
    long count = 0, measured = 0; double start = now(), measure_start = 0, cpu0 = 0;
    while (1) {
        double t = now();
        if (!measure_start && t - start >= warmup) { measure_start = t; cpu0 = server_cpu(); measured = count; }
        if (measure_start && t - measure_start >= duration) break;
        int fd = tcp_connect(); SSL *ssl = tls_connect(fd);
        SSL_shutdown(ssl); SSL_free(ssl); close(fd);
        count++;
    }
    double elapsed = now() - measure_start, cpu = server_cpu() - cpu0; long n = count - measured;
    printf("{\"mode\":\"handshake\",\"handshakes_per_s\":%.0f,\"server_cpu_us_per_handshake\":%.1f,\"server_cores\":%.2f}\n",
           n / elapsed, server_pid ? cpu / n * 1e6 : 0, cpu / elapsed);
}

static void idle(void) {
    long before = server_rss_kb();
    conn_t *c = calloc(conns, sizeof *c);
    double t0 = now();
    for (int i = 0; i < conns; i++) { c[i].fd = tcp_connect(); c[i].ssl = tls_connect(c[i].fd); ws_upgrade(c[i].ssl); }
    double setup = now() - t0;
    sleep((unsigned)duration);
    long after = server_rss_kb();
    printf("{\"mode\":\"idle\",\"conns\":%d,\"setup_s\":%.1f,\"server_rss_kb_before\":%ld,\"server_rss_kb_after\":%ld,\"server_rss_kb_per_conn\":%.2f}\n",
           conns, setup, before, after, (after - before) / (double)conns);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: wsload-tls echo|handshake|idle -p PORT [-c N] [-s BYTES] [-b] [-d S] [-w S] [-m PID] [-n SNI]\n"); return 2; }
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
    }
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
