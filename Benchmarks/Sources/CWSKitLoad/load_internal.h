// Shared declarations of the load generator: options, per-connection state, run statistics.
#ifndef CWSKIT_LOAD_INTERNAL_H
#define CWSKIT_LOAD_INTERNAL_H
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include "histogram.h"

enum load_mode { MODE_ECHO, MODE_BCAST, MODE_HOLD };

/// Command-line options.
typedef struct load_options {
    enum load_mode mode;
    const char *host;
    int port;
    const char *path;
    int conns;          // echo: connections; bcast: subscribers (plus one sender); hold: connections
    int inflight;       // messages in flight per connection (echo), broadcasts in flight (bcast)
    int size;           // payload bytes (echo text/binary; the text field's length for --envelope)
    int binary;
    int envelope;       // echo: send an RPC envelope with a unique correlation id per message in flight
    double duration;    // measured seconds (hold: seconds to hold without --gate)
    double warmup;
    int pending;        // handshakes in progress at most
    int gate;           // hold: after connecting, wait for stdin to close before the final report
    int find_marker;    // bcast: the marker may sit anywhere in a message's first 192 bytes (an envelope)
    int pids[16];
    int npids;
    struct in_addr sources[16];
    int nsources;
    const char *label;
} load_options;

/// Connection states.
enum conn_state { CONN_CONNECTING, CONN_HANDSHAKE, CONN_OPEN, CONN_CLOSED };

/// One client connection.
typedef struct conn {
    int fd;
    int index;
    enum conn_state state;
    int is_sender;
    uint64_t started_ns;      // connect() time, for the handshake latency
    // Handshake response (until the blank line).
    char hs[1024];
    int hs_len;
    // Inbound frame parser.
    uint8_t hdr[14];
    uint8_t hdr_len;
    uint8_t in_payload;
    uint8_t opcode;           // of the current frame
    uint8_t fin;
    uint8_t masked;
    uint64_t remaining;       // payload bytes of the current frame still to come
    uint64_t msg_len;         // bytes of the current data message so far
    uint8_t prefix[192];      // first bytes of the current data message (32 unless --find-marker)
    uint8_t prefix_len;
    uint8_t ctrl[125];
    uint8_t ctrl_len;
    // Outbound bytes the socket did not take yet.
    uint8_t *out;
    size_t out_len, out_off, out_cap;
    int want_write;
    // Messages in flight: send times, oldest first (ring of `inflight`).
    uint64_t *sent;
    int sent_head, sent_count;
    uint64_t seq;             // messages sent
    int completed;            // replies completed in the current read, to answer with new sends
} conn;

/// Counters of the measured phase.
typedef struct load_stats {
    uint64_t msgs, bytes, bad_payload, unexpected;
    uint64_t broadcasts, deliveries, incomplete;
    uint64_t closed_by_peer, protocol_errors, connect_failures, handshake_failures;
    histogram latency;        // echo round trip, bcast: send to each delivery
    histogram handshake;
} load_stats;

/// The generator's global state (one thread).
typedef struct load_run {
    load_options opt;
    int epoll_fd;
    conn *conns;
    int nconns;               // including the broadcast sender
    int open_count;
    int handshaking;
    int next_to_connect;
    load_stats stats;
    int measuring;
    // Pre-built masked frames, sent round robin (`frame_count` of them, for distinct correlation ids).
    uint8_t **frames;
    size_t *frame_lens;
    int frame_count;
    uint8_t *scratch;
    size_t scratch_cap;
    uint8_t *readbuf;
    size_t readbuf_cap;
    // Broadcast bookkeeping: per slot (seq % inflight), deliveries so far and the start time.
    uint32_t *bcast_got;
    uint64_t *bcast_started;
    uint64_t bcast_seq;       // broadcasts started
    uint64_t bcast_done;      // broadcasts finished (complete or timed out)
    uint64_t deliveries_to_others;
} load_run;

// load_conn.c
int conn_start(load_run *run, conn *c);
void conn_on_event(load_run *run, conn *c, uint32_t events);
void conn_send(load_run *run, conn *c, const uint8_t *bytes, size_t len);
void conn_close(load_run *run, conn *c, int reset);
void conn_send_messages(load_run *run, conn *c, int count);
uint8_t *build_frame(int opcode, const uint8_t *payload, size_t len, uint32_t key, size_t *out_len);

// load_main.c (callbacks from the parser)
void run_on_open(load_run *run, conn *c);
void run_on_message(load_run *run, conn *c, uint64_t now);
void run_on_closed(load_run *run, conn *c);

#endif
