// The load generator's modes and report: echo (round trips with messages in flight), bcast (one
// sender, many subscribers, deliveries per second), hold (idle connections, server memory).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>
#include "CWSKitLoad.h"
#include "load_internal.h"
#include "procstat.h"

static void usage(void) {
    fprintf(stderr,
            "usage: wskit-bench load MODE --port N [options]\n"
            "  MODE              echo | bcast | hold\n"
            "  --host IP         server address (127.0.0.1)\n"
            "  --port N          server port\n"
            "  --path P          request path (/; /bcast in bcast mode)\n"
            "  --find-marker     bcast: find the broadcast marker anywhere in a message's first 192 bytes\n"
            "                    (deliveries wrapped in an envelope, e.g. presence diffs)\n"
            "  --conns N         connections (bcast: subscribers, plus one sender) (100)\n"
            "  --inflight K      messages in flight per connection; bcast: broadcasts in flight (1)\n"
            "  --size S          payload bytes (32)\n"
            "  --binary          binary messages (default text)\n"
            "  --envelope        echo: a JSON RPC envelope, unique correlation id per message in flight\n"
            "  --duration D      measured seconds; hold: seconds to hold (5)\n"
            "  --warmup W        seconds before measuring (1)\n"
            "  --pending N       handshakes in progress at most (256)\n"
            "  --pids A,B        server processes to sample (CPU, RSS)\n"
            "  --sources A,B     local source addresses, round robin (for more than ~28k connections)\n"
            "  --gate            hold: report when connected, then hold until stdin closes\n"
            "  --label L         echoed in the report\n");
}

static int parse_options(int argc, char **argv, load_options *o) {
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->path = NULL;
    o->conns = 100;
    o->inflight = 1;
    o->size = 32;
    o->duration = 5;
    o->warmup = 1;
    o->pending = 256;
    o->label = "";
    if (argc < 1) return -1;
    if (strcmp(argv[0], "echo") == 0) o->mode = MODE_ECHO;
    else if (strcmp(argv[0], "bcast") == 0) o->mode = MODE_BCAST;
    else if (strcmp(argv[0], "hold") == 0) o->mode = MODE_HOLD;
    else return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE() do { if (!v) return -1; i++; } while (0)
        if (strcmp(a, "--host") == 0) { VALUE(); o->host = v; }
        else if (strcmp(a, "--port") == 0) { VALUE(); o->port = atoi(v); }
        else if (strcmp(a, "--path") == 0) { VALUE(); o->path = v; }
        else if (strcmp(a, "--conns") == 0) { VALUE(); o->conns = atoi(v); }
        else if (strcmp(a, "--inflight") == 0) { VALUE(); o->inflight = atoi(v); }
        else if (strcmp(a, "--size") == 0) { VALUE(); o->size = atoi(v); }
        else if (strcmp(a, "--duration") == 0) { VALUE(); o->duration = atof(v); }
        else if (strcmp(a, "--warmup") == 0) { VALUE(); o->warmup = atof(v); }
        else if (strcmp(a, "--pending") == 0) { VALUE(); o->pending = atoi(v); }
        else if (strcmp(a, "--label") == 0) { VALUE(); o->label = v; }
        else if (strcmp(a, "--binary") == 0) o->binary = 1;
        else if (strcmp(a, "--envelope") == 0) o->envelope = 1;
        else if (strcmp(a, "--gate") == 0) o->gate = 1;
        else if (strcmp(a, "--find-marker") == 0) o->find_marker = 1;
        else if (strcmp(a, "--pids") == 0 || strcmp(a, "--sources") == 0) {
            VALUE();
            char *copy = strdup(v), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (a[2] == 'p' && o->npids < 16) o->pids[o->npids++] = atoi(t);
                if (a[2] == 's' && o->nsources < 16 && inet_pton(AF_INET, t, &o->sources[o->nsources]) == 1) o->nsources++;
            }
            free(copy);
        } else return -1;
#undef VALUE
    }
    if (!o->path) o->path = o->mode == MODE_BCAST ? "/bcast" : "/";
    if (o->port <= 0 || o->conns <= 0 || o->inflight <= 0 || o->size < 0) return -1;
    if (o->mode == MODE_BCAST && o->size < 26) o->size = 26;
    return 0;
}

// --- messages ------------------------------------------------------------------------------------

static void build_messages(load_run *run) {
    const load_options *o = &run->opt;
    srandom((unsigned)procstat_now_ns());
    if (o->mode == MODE_ECHO) {
        run->frame_count = o->envelope ? 2 * o->inflight : 1;
        run->frames = calloc((size_t)run->frame_count, sizeof *run->frames);
        run->frame_lens = calloc((size_t)run->frame_count, sizeof *run->frame_lens);
        for (int i = 0; i < run->frame_count; i++) {
            size_t len = (size_t)o->size;
            uint8_t *payload;
            if (o->envelope) {
                payload = malloc((size_t)o->size + 128);
                int n = snprintf((char *)payload, 128, "{\"type\":\"BENCH_ECHO\",\"meta\":{\"correlationId\":\"c%07d\"},\"payload\":{\"text\":\"", i);
                memset(payload + n, 'x', (size_t)o->size);
                memcpy(payload + n + o->size, "\"}}", 3);
                len = (size_t)n + (size_t)o->size + 3;
            } else {
                payload = malloc(len + 1);
                for (size_t j = 0; j < len; j++) payload[j] = (uint8_t)('a' + j % 26);
            }
            run->frames[i] = build_frame(o->binary ? 0x2 : 0x1, payload, len, (uint32_t)random(), &run->frame_lens[i]);
            free(payload);
        }
    }
    run->scratch_cap = 256 * 1024;
    run->scratch = malloc(run->scratch_cap);
    run->readbuf_cap = 256 * 1024;
    run->readbuf = malloc(run->readbuf_cap);
}

/// A broadcast: "B" + 8 hex digits of the sequence number + 16 of the send time + padding.
static void send_broadcast(load_run *run, conn *sender) {
    const load_options *o = &run->opt;
    uint64_t now = procstat_now_ns();
    uint64_t seq = run->bcast_seq++;
    int slot = (int)(seq % (uint64_t)o->inflight);
    run->bcast_got[slot] = 0;
    run->bcast_started[slot] = now;
    char payload[70000];
    size_t len = (size_t)o->size < sizeof payload ? (size_t)o->size : sizeof payload;
    char head[32];
    snprintf(head, sizeof head, "B%08llx%016llx", (unsigned long long)(seq & 0xFFFFFFFFu), (unsigned long long)now);
    memset(payload, '.', len);
    memcpy(payload, head, 25);
    size_t flen;
    uint8_t *frame = build_frame(o->binary ? 0x2 : 0x1, (const uint8_t *)payload, len, (uint32_t)random(), &flen);
    conn_send(run, sender, frame, flen);
    free(frame);
}

static uint64_t hex_value(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        uint8_t ch = p[i];
        v = (v << 4) | (uint64_t)(ch >= 'a' ? ch - 'a' + 10 : ch >= 'A' ? ch - 'A' + 10 : ch - '0');
    }
    return v;
}

static int is_hex(uint8_t ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); }

/// The first "B" followed by 24 lowercase hex digits in `p[0..<n]`, or NULL.
static const uint8_t *find_marker(const uint8_t *p, size_t n) {
    for (size_t i = 0; i + 25 <= n; i++) {
        if (p[i] != 'B') continue;
        size_t k = 1;
        while (k < 25 && is_hex(p[i + k])) k++;
        if (k == 25) return p + i;
    }
    return NULL;
}

// --- callbacks from the parser -------------------------------------------------------------------

void run_on_open(load_run *run, conn *c) { (void)run; (void)c; }

void run_on_closed(load_run *run, conn *c) { (void)run; (void)c; }

void run_on_message(load_run *run, conn *c, uint64_t now) {
    const load_options *o = &run->opt;
    if (o->mode == MODE_ECHO) {
        if (c->sent_count > 0) {
            uint64_t sent = c->sent[c->sent_head];
            c->sent_head = (c->sent_head + 1) % o->inflight;
            c->sent_count--;
            if (run->measuring) histogram_add(&run->stats.latency, now - sent);
        } else {
            run->stats.unexpected++;
        }
        if (run->measuring) {
            run->stats.msgs++;
            run->stats.bytes += c->msg_len;
            if (!o->envelope && c->msg_len != (uint64_t)o->size) run->stats.bad_payload++;
        }
        c->completed++;
    } else if (o->mode == MODE_BCAST) {
        const uint8_t *marker = c->prefix_len >= 25 && c->prefix[0] == 'B' ? c->prefix : NULL;
        if (!marker && o->find_marker) marker = find_marker(c->prefix, c->prefix_len);
        if (!marker) {
            run->stats.unexpected++;
            return;
        }
        uint64_t seq = hex_value(marker + 1, 8);
        uint64_t sent = hex_value(marker + 9, 16);
        if (run->measuring) {
            run->stats.deliveries++;
            histogram_add(&run->stats.latency, now - sent);
        }
        if (!c->is_sender) run->deliveries_to_others++;
        int slot = (int)(seq % (uint64_t)o->inflight);
        // Count it only while that broadcast is still outstanding (sequence numbers are 32-bit on the wire).
        uint32_t age = (uint32_t)seq - (uint32_t)run->bcast_done;
        if (age < (uint32_t)(run->bcast_seq - run->bcast_done)) run->bcast_got[slot]++;
    } else {
        run->stats.unexpected++;
    }
}

// --- the run -------------------------------------------------------------------------------------

static volatile sig_atomic_t interrupted = 0;
static void on_signal(int sig) { (void)sig; interrupted = 1; }

static void connect_more(load_run *run) {
    while (run->next_to_connect < run->nconns && run->handshaking < run->opt.pending) {
        conn *c = &run->conns[run->next_to_connect++];
        if (conn_start(run, c) != 0) {
            run->stats.connect_failures++;
            continue;
        }
        run->handshaking++;
    }
}

static void poll_once(load_run *run, int timeout_ms) {
    struct epoll_event events[1024];
    int n = epoll_wait(run->epoll_fd, events, 1024, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t id = events[i].data.u32;
        if (id == UINT32_MAX) continue; // stdin (the gate)
        conn_on_event(run, &run->conns[id], events[i].events);
    }
}

/// Connects every connection (at most `pending` handshakes at a time); returns seconds taken.
static double connect_all(load_run *run, double timeout_s) {
    uint64_t start = procstat_now_ns();
    connect_more(run);
    while (!interrupted && (run->handshaking > 0 || run->next_to_connect < run->nconns)) {
        poll_once(run, 10);
        connect_more(run);
        if ((double)(procstat_now_ns() - start) / 1e9 > timeout_s) break;
    }
    return (double)(procstat_now_ns() - start) / 1e9;
}

typedef struct sample {
    double t, self_cpu, machine, server_cpu;
    long server_rss_kb;
} sample;

static sample take_sample(const load_run *run) {
    sample s = {.t = (double)procstat_now_ns() / 1e9, .self_cpu = procstat_self_cpu_s(),
                .machine = procstat_machine_busy_s()};
    for (int i = 0; i < run->opt.npids; i++) {
        double cpu = procstat_cpu_s(run->opt.pids[i]);
        long rss = procstat_rss_kb(run->opt.pids[i]);
        if (cpu >= 0) s.server_cpu += cpu;
        if (rss >= 0) s.server_rss_kb += rss;
    }
    return s;
}

static void print_report(load_run *run, double connect_s, sample a, sample b, long rss_before) {
    const load_options *o = &run->opt;
    const load_stats *s = &run->stats;
    static const char *modes[] = {"echo", "bcast", "hold"};
    double d = b.t - a.t;
    if (d <= 0) d = 1e-9;
    double client = (b.self_cpu - a.self_cpu) / d;
    double server = (b.server_cpu - a.server_cpu) / d;
    double machine = (b.machine - a.machine) / d;
    double other = machine - client - (o->npids > 0 ? server : 0);
    if (other < 0) other = 0;
    int connected = 0;
    for (int i = 0; i < run->nconns; i++) connected += run->conns[i].state == CONN_OPEN;
    printf("{\"tool\":\"wskit-bench-load\",\"mode\":\"%s\",\"label\":\"%s\",\"conns\":%d,\"connected\":%d,"
           "\"connect_failures\":%llu,\"handshake_failures\":%llu,\"connect_s\":%.3f,\"conn_per_s\":%.1f,"
           "\"handshake_p50_us\":%.1f,\"handshake_p99_us\":%.1f,\"inflight\":%d,\"size\":%d,\"binary\":%s,"
           "\"envelope\":%s,\"duration_s\":%.3f,",
           modes[o->mode], o->label, o->conns, connected, (unsigned long long)s->connect_failures,
           (unsigned long long)s->handshake_failures, connect_s, connect_s > 0 ? connected / connect_s : 0,
           histogram_quantile_us(&s->handshake, 0.5), histogram_quantile_us(&s->handshake, 0.99), o->inflight,
           o->size, o->binary ? "true" : "false", o->envelope ? "true" : "false", d);
    if (o->mode == MODE_ECHO) {
        printf("\"msgs\":%llu,\"msg_per_s\":%.1f,\"mib_per_s\":%.2f,\"bad_payload\":%llu,",
               (unsigned long long)s->msgs, s->msgs / d, s->bytes / d / 1048576.0, (unsigned long long)s->bad_payload);
    }
    if (o->mode == MODE_BCAST) {
        printf("\"broadcasts\":%llu,\"deliveries\":%llu,\"deliveries_per_s\":%.1f,\"incomplete\":%llu,"
               "\"deliveries_to_others\":%llu,",
               (unsigned long long)s->broadcasts, (unsigned long long)s->deliveries, s->deliveries / d,
               (unsigned long long)s->incomplete, (unsigned long long)run->deliveries_to_others);
    }
    if (o->mode != MODE_HOLD) {
        printf("\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f,",
               histogram_quantile_us(&s->latency, 0.5), histogram_quantile_us(&s->latency, 0.9),
               histogram_quantile_us(&s->latency, 0.99), histogram_quantile_us(&s->latency, 0.999),
               s->latency.max / 1000.0, histogram_mean_us(&s->latency));
    } else {
        printf("\"held\":%d,", run->open_count);
    }
    printf("\"unexpected\":%llu,\"closed_by_peer\":%llu,\"protocol_errors\":%llu,\"client_cpu\":%.3f,"
           "\"server_cpu\":%.3f,\"machine_cpu\":%.3f,\"other_cpu\":%.3f,\"server_rss_kb_before\":%ld,"
           "\"server_rss_kb_after\":%ld}\n",
           (unsigned long long)s->unexpected, (unsigned long long)s->closed_by_peer,
           (unsigned long long)s->protocol_errors, client, o->npids > 0 ? server : -1, machine, other, rss_before,
           o->npids > 0 ? b.server_rss_kb : -1);
    fflush(stdout);
}

static void reset_measurement(load_run *run) {
    histogram handshake = run->stats.handshake;
    uint64_t cf = run->stats.connect_failures, hf = run->stats.handshake_failures;
    memset(&run->stats, 0, sizeof run->stats);
    run->stats.handshake = handshake;
    run->stats.connect_failures = cf;
    run->stats.handshake_failures = hf;
}

static void run_hold(load_run *run, double connect_s, long rss_before) {
    const load_options *o = &run->opt;
    if (o->gate) {
        printf("{\"event\":\"connected\",\"connected\":%d,\"connect_s\":%.3f}\n", run->open_count, connect_s);
        fflush(stdout);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
        epoll_ctl(run->epoll_fd, EPOLL_CTL_ADD, 0, &ev);
    }
    sample a = take_sample(run);
    uint64_t end = procstat_now_ns() + (uint64_t)(o->duration * 1e9);
    while (!interrupted) {
        if (o->gate) {
            struct epoll_event events[256];
            int n = epoll_wait(run->epoll_fd, events, 256, 50);
            int done = 0;
            for (int i = 0; i < n; i++) {
                if (events[i].data.u32 == UINT32_MAX) {
                    char buf[64];
                    (void)!read(0, buf, sizeof buf); // a line or end of input: release
                    done = 1;
                } else {
                    conn_on_event(run, &run->conns[events[i].data.u32], events[i].events);
                }
            }
            if (done) break;
        } else {
            if (procstat_now_ns() >= end) break;
            poll_once(run, 20);
        }
    }
    sample b = take_sample(run);
    print_report(run, connect_s, a, b, rss_before);
}

static void run_traffic(load_run *run, double connect_s, long rss_before) {
    const load_options *o = &run->opt;
    conn *sender = o->mode == MODE_BCAST ? &run->conns[run->nconns - 1] : NULL;
    uint64_t start = procstat_now_ns();
    // Everyone is connected: start the traffic.
    if (o->mode == MODE_ECHO) {
        for (int i = 0; i < run->nconns; i++) conn_send_messages(run, &run->conns[i], o->inflight);
    } else if (sender && sender->state == CONN_OPEN) {
        // Let the server finish registering the subscribers before the first broadcast.
        uint64_t settle = procstat_now_ns() + 200000000ull;
        while (procstat_now_ns() < settle) poll_once(run, 10);
        start = procstat_now_ns();
        for (int i = 0; i < o->inflight; i++) send_broadcast(run, sender);
    }
    uint64_t warm_end = start + (uint64_t)(o->warmup * 1e9);
    uint64_t end = warm_end + (uint64_t)(o->duration * 1e9);
    sample a = take_sample(run);
    while (!interrupted) {
        poll_once(run, 5);
        uint64_t now = procstat_now_ns();
        if (!run->measuring && now >= warm_end) {
            reset_measurement(run);
            run->measuring = 1;
            a = take_sample(run);
        }
        if (now >= end) break;
        if (sender && sender->state == CONN_OPEN) {
            // A broadcast is done when every member got it (the sender too), or after 1 s.
            int members = run->open_count;
            while (run->bcast_done < run->bcast_seq) {
                int slot = (int)(run->bcast_done % (uint64_t)o->inflight);
                int complete = run->bcast_got[slot] >= (uint32_t)members;
                int late = now > run->bcast_started[slot] && now - run->bcast_started[slot] > 1000000000ull;
                if (!complete && !late) break;
                run->bcast_done++;
                if (run->measuring) {
                    run->stats.broadcasts++;
                    if (!complete) run->stats.incomplete++;
                }
                send_broadcast(run, sender);
            }
        }
    }
    sample b = take_sample(run);
    print_report(run, connect_s, a, b, rss_before);
}

int cwskit_load_main(int argc, char **argv) {
    load_run run;
    memset(&run, 0, sizeof run);
    if (parse_options(argc, argv, &run.opt) != 0) {
        usage();
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    const load_options *o = &run.opt;
    run.nconns = o->conns + (o->mode == MODE_BCAST ? 1 : 0);
    run.conns = calloc((size_t)run.nconns, sizeof *run.conns);
    for (int i = 0; i < run.nconns; i++) {
        run.conns[i].fd = -1;
        run.conns[i].index = i;
        run.conns[i].state = CONN_CLOSED;
        run.conns[i].sent = calloc((size_t)o->inflight, sizeof(uint64_t));
    }
    if (o->mode == MODE_BCAST) {
        run.conns[run.nconns - 1].is_sender = 1;
        run.bcast_got = calloc((size_t)o->inflight, sizeof *run.bcast_got);
        run.bcast_started = calloc((size_t)o->inflight, sizeof *run.bcast_started);
    }
    build_messages(&run);
    run.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    long rss_before = -1;
    if (o->npids > 0) {
        rss_before = 0;
        for (int i = 0; i < o->npids; i++) rss_before += procstat_rss_kb(o->pids[i]);
    }
    // Subscribers first; the broadcast sender connects after them.
    double connect_s = connect_all(&run, 120);
    if (o->mode == MODE_HOLD) run_hold(&run, connect_s, rss_before);
    else run_traffic(&run, connect_s, rss_before);
    for (int i = 0; i < run.nconns; i++) conn_close(&run, &run.conns[i], 1);
    return run.open_count >= 0 ? 0 : 1;
}
