// Client connections: non-blocking connect, the upgrade request, the frame parser for server
// frames, and an output queue for what the socket does not take at once.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "load_internal.h"
#include "procstat.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static void set_interest(load_run *run, conn *c, int want_write) {
    if (c->want_write == want_write) return;
    struct epoll_event ev = {.events = EPOLLIN | (want_write ? EPOLLOUT : 0), .data.u32 = (uint32_t)c->index};
    epoll_ctl(run->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_write = want_write;
}

uint8_t *build_frame(int opcode, const uint8_t *payload, size_t len, uint32_t key, size_t *out_len) {
    size_t header = 2 + (len < 126 ? 0 : len <= 0xFFFF ? 2 : 8) + 4;
    uint8_t *f = malloc(header + len);
    f[0] = (uint8_t)(0x80 | opcode);
    size_t p = 2;
    if (len < 126) {
        f[1] = (uint8_t)(0x80 | len);
    } else if (len <= 0xFFFF) {
        f[1] = 0x80 | 126;
        f[2] = (uint8_t)(len >> 8);
        f[3] = (uint8_t)len;
        p = 4;
    } else {
        f[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++) f[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        p = 10;
    }
    uint8_t k[4] = {(uint8_t)(key >> 24), (uint8_t)(key >> 16), (uint8_t)(key >> 8), (uint8_t)key};
    memcpy(f + p, k, 4);
    p += 4;
    for (size_t i = 0; i < len; i++) f[p + i] = payload[i] ^ k[i & 3];
    *out_len = header + len;
    return f;
}

int conn_start(load_run *run, conn *c) {
    const load_options *o = &run->opt;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (o->nsources > 0) {
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_port = 0, .sin_addr = o->sources[c->index % o->nsources]};
        if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    inet_pton(AF_INET, o->host, &dst.sin_addr);
    c->started_ns = procstat_now_ns();
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    c->fd = fd;
    c->state = CONN_CONNECTING;
    c->want_write = 1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)c->index};
    epoll_ctl(run->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

void conn_close(load_run *run, conn *c, int reset) {
    if (c->fd < 0) return;
    if (reset) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    epoll_ctl(run->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    enum conn_state was = c->state;
    c->state = CONN_CLOSED;
    if (was == CONN_OPEN) run->open_count--;
    if (was == CONN_CONNECTING || was == CONN_HANDSHAKE) run->handshaking--;
}

static void flush(load_run *run, conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n > 0) {
            c->out_off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_interest(run, c, 1);
            return;
        } else {
            run->stats.closed_by_peer++;
            run_on_closed(run, c);
            conn_close(run, c, 1);
            return;
        }
    }
    c->out_len = c->out_off = 0;
    set_interest(run, c, 0);
}

void conn_send(load_run *run, conn *c, const uint8_t *bytes, size_t len) {
    if (c->state == CONN_CLOSED || len == 0) return;
    if (c->out_len == c->out_off) {
        // Nothing queued: write straight from the caller's bytes.
        c->out_len = c->out_off = 0;
        while (len > 0) {
            ssize_t n = write(c->fd, bytes, len);
            if (n > 0) {
                bytes += n;
                len -= (size_t)n;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                break;
            } else {
                run->stats.closed_by_peer++;
                run_on_closed(run, c);
                conn_close(run, c, 1);
                return;
            }
        }
        if (len == 0) return;
    }
    if (c->out_len + len > c->out_cap) {
        if (c->out_off > 0) {
            memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
            c->out_len -= c->out_off;
            c->out_off = 0;
        }
        if (c->out_len + len > c->out_cap) {
            size_t cap = c->out_cap ? c->out_cap : 4096;
            while (cap < c->out_len + len) cap *= 2;
            c->out = realloc(c->out, cap);
            c->out_cap = cap;
        }
    }
    memcpy(c->out + c->out_len, bytes, len);
    c->out_len += len;
    set_interest(run, c, 1);
}

void conn_send_messages(load_run *run, conn *c, int count) {
    if (count <= 0 || c->state != CONN_OPEN) return;
    size_t used = 0;
    uint64_t now = procstat_now_ns();
    for (int i = 0; i < count; i++) {
        int slot = (int)(c->seq % (uint64_t)run->frame_count);
        size_t len = run->frame_lens[slot];
        if (used + len > run->scratch_cap && used > 0) {
            conn_send(run, c, run->scratch, used);
            used = 0;
            if (c->state != CONN_OPEN) return;
        }
        if (len > run->scratch_cap) {
            conn_send(run, c, run->frames[slot], len);
        } else {
            memcpy(run->scratch + used, run->frames[slot], len);
            used += len;
        }
        c->seq++;
        int tail = (c->sent_head + c->sent_count) % run->opt.inflight;
        c->sent[tail] = now;
        if (c->sent_count < run->opt.inflight) c->sent_count++;
    }
    if (used > 0) conn_send(run, c, run->scratch, used);
}

static void send_request(load_run *run, conn *c) {
    const load_options *o = &run->opt;
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     o->path, o->host, o->port);
    c->state = CONN_HANDSHAKE;
    conn_send(run, c, (const uint8_t *)req, (size_t)n);
}

static void frame_done(load_run *run, conn *c) {
    c->in_payload = 0;
    c->hdr_len = 0;
    switch (c->opcode) {
    case 0x9: { // ping: answer with a masked pong
        size_t len;
        uint8_t *pong = build_frame(0xA, c->ctrl, c->ctrl_len, 0x12345678u, &len);
        conn_send(run, c, pong, len);
        free(pong);
        break;
    }
    case 0x8:
        run->stats.closed_by_peer++;
        run_on_closed(run, c);
        conn_close(run, c, 1);
        break;
    case 0xA:
        break;
    default:
        if (c->fin) {
            run_on_message(run, c, procstat_now_ns());
            c->msg_len = 0;
            c->prefix_len = 0;
        }
    }
}

/// Feeds server bytes to the frame parser.
static void parse_frames(load_run *run, conn *c, const uint8_t *p, size_t n) {
    while (n > 0 && c->state == CONN_OPEN) {
        if (!c->in_payload) {
            size_t need = 2;
            if (c->hdr_len >= 2) {
                uint8_t len7 = c->hdr[1] & 0x7F;
                need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((c->hdr[1] & 0x80) ? 4 : 0);
            }
            size_t take = need - c->hdr_len;
            if (take > n) take = n;
            memcpy(c->hdr + c->hdr_len, p, take);
            c->hdr_len += (uint8_t)take;
            p += take;
            n -= take;
            if (c->hdr_len < need) continue;
            if (need == 2) {
                uint8_t len7 = c->hdr[1] & 0x7F;
                if (len7 >= 126 || (c->hdr[1] & 0x80)) continue; // the extended header follows
            }
            uint8_t len7 = c->hdr[1] & 0x7F;
            uint64_t len = len7;
            if (len7 == 126) len = ((uint64_t)c->hdr[2] << 8) | c->hdr[3];
            if (len7 == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = (len << 8) | c->hdr[2 + i];
            }
            c->fin = c->hdr[0] >> 7;
            uint8_t opcode = c->hdr[0] & 0x0F;
            c->masked = c->hdr[1] >> 7;
            if (c->masked) run->stats.protocol_errors++;
            if (opcode >= 0x8) {
                if (len > 125) {
                    run->stats.protocol_errors++;
                    run_on_closed(run, c);
                    conn_close(run, c, 1);
                    return;
                }
                c->ctrl_len = 0;
            }
            c->opcode = opcode; // 0 (continuation), 1, 2: data; 8 and up: control
            c->remaining = len;
            c->in_payload = 1;
            if (len == 0) frame_done(run, c);
        } else {
            size_t take = c->remaining < n ? (size_t)c->remaining : n;
            if (c->opcode >= 0x8) {
                memcpy(c->ctrl + c->ctrl_len, p, take);
                c->ctrl_len += (uint8_t)take;
            } else {
                size_t window = run->opt.find_marker ? sizeof c->prefix : 32;
                if (c->prefix_len < window) {
                    size_t k = window - c->prefix_len;
                    if (k > take) k = take;
                    memcpy(c->prefix + c->prefix_len, p, k);
                    c->prefix_len += (uint8_t)k;
                }
                c->msg_len += take;
            }
            c->remaining -= take;
            p += take;
            n -= take;
            if (c->remaining == 0) frame_done(run, c);
        }
    }
}

/// Reads the upgrade response; returns the number of bytes of `p` that belong to it, or -1.
static long read_handshake(load_run *run, conn *c, const uint8_t *p, size_t n) {
    size_t room = sizeof c->hs - 1 - (size_t)c->hs_len;
    size_t take = n < room ? n : room;
    memcpy(c->hs + c->hs_len, p, take);
    int before = c->hs_len;
    c->hs_len += (int)take;
    c->hs[c->hs_len] = 0;
    char *end = strstr(c->hs, "\r\n\r\n");
    if (!end) {
        if ((size_t)c->hs_len >= sizeof c->hs - 1) return -1;
        return (long)take;
    }
    if (strncmp(c->hs, "HTTP/1.1 101", 12) != 0) return -1;
    long used = (long)(end + 4 - c->hs) - before;
    histogram_add(&run->stats.handshake, procstat_now_ns() - c->started_ns);
    c->state = CONN_OPEN;
    run->handshaking--;
    run->open_count++;
    run_on_open(run, c);
    return used;
}

void conn_on_event(load_run *run, conn *c, uint32_t events) {
    if (c->state == CONN_CLOSED) return;
    if (c->state == CONN_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            run->stats.connect_failures++;
            conn_close(run, c, 1);
            return;
        }
        send_request(run, c);
        if (c->out_len == c->out_off) set_interest(run, c, 0);
        return;
    }
    if (events & EPOLLOUT) flush(run, c);
    if (c->state == CONN_CLOSED) return;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t n = read(c->fd, run->readbuf, run->readbuf_cap);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
            if (c->state == CONN_HANDSHAKE) run->stats.handshake_failures++;
            else run->stats.closed_by_peer++;
            run_on_closed(run, c);
            conn_close(run, c, 1);
            return;
        }
        const uint8_t *p = run->readbuf;
        size_t left = (size_t)n;
        if (c->state == CONN_HANDSHAKE) {
            long used = read_handshake(run, c, p, left);
            if (used < 0) {
                run->stats.handshake_failures++;
                conn_close(run, c, 1);
                return;
            }
            p += used;
            left -= (size_t)used;
        }
        c->completed = 0;
        if (left > 0) parse_frames(run, c, p, left);
        if (c->completed > 0 && c->state == CONN_OPEN) {
            int count = c->completed;
            c->completed = 0;
            conn_send_messages(run, c, count);
        }
    }
}
