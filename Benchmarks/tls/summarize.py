#!/usr/bin/env python3
"""Markdown table of medians from a Benchmarks/tls/run.sh results file (standard library only).

    python3 Benchmarks/tls/summarize.py RESULTS.jsonl

Each figure is the median over rounds; CPU per operation is computed per run (by wsload-tls) before
the median. Ratio columns divide WSKit by each peer: below 1x is better for CPU and memory, above 1x
for rates.
"""
import json
import statistics
import sys

SERVERS = ["wskit", "vapor", "hummingbird", "node"]
LABELS = {"wskit": "WSKit", "vapor": "Vapor (NIOSSL)", "hummingbird": "Hummingbird (NIOSSL)", "node": "Node `ws` (https)"}

# (scenario, key, row label, format, higher is better)
ROWS = [
    ("echo32", "msg_per_s", "echo 100 × 32 B text: msg/s", "{:,.0f}", True),
    ("echo32", "server_cpu_us_per_msg", "echo 100 × 32 B text: server CPU µs/msg", "{:.1f}", False),
    ("echo32", "server_cores", "echo 100 × 32 B text: server / load / other cores", None, None),
    ("echo16k", "msg_per_s", "echo 100 × 16 KiB binary: msg/s", "{:,.0f}", True),
    ("echo16k", "server_cpu_us_per_msg", "echo 100 × 16 KiB binary: server CPU µs/msg", "{:.1f}", False),
    ("echo16k", "server_cores", "echo 100 × 16 KiB binary: server / load / other cores", None, None),
    ("handshake", "handshakes_per_s", "full TLS handshakes/s (32 in flight)", "{:,.0f}", True),
    ("handshake", "server_cpu_us_per_handshake", "full handshake: server CPU µs", "{:.0f}", False),
    ("handshake", "capacity", "full handshakes/s per server core (10⁶ ÷ µs)", "{:,.0f}", True),
    ("handshake", "server_cores", "full handshakes: server / load / other cores", None, None),
    ("idle", "server_rss_kb_per_conn", "idle TLS connection: server RSS KiB ({conns} held)", "{:.1f}", False),
]


def main(path):
    runs = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        result = row.get("result")
        if not result:
            continue
        if "scenario" not in row:  # files from before run.sh named its scenarios
            mode = result.get("mode")
            row["scenario"] = "echo16k" if mode == "echo" and result.get("size") == 16384 else (
                "echo32" if mode == "echo" else mode)
        if row["scenario"] == "handshake" and result.get("server_cpu_us_per_handshake"):
            result["capacity"] = 1e6 / result["server_cpu_us_per_handshake"]
        runs.setdefault((row["scenario"], row["server"]), []).append(result)
    servers = [s for s in SERVERS if any(k[1] == s for k in runs)]
    peers = [s for s in servers if s != "wskit"]

    def median(scenario, server, key):
        values = [r[key] for r in runs.get((scenario, server), []) if r.get(key) is not None]
        return statistics.median(values) if values else None

    head = ["", *(LABELS[s] for s in servers), *(f"WSKit ÷ {LABELS[p].split(' ')[0]}" for p in peers)]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for scenario, key, label, fmt, _ in ROWS:
        cells = []
        if fmt is None:
            for s in servers:
                parts = [median(scenario, s, k) for k in ("server_cores", "load_cores", "other_cpu")]
                cells.append(" / ".join("–" if v is None else f"{v:.2f}" for v in parts))
            cells += [""] * len(peers)
        else:
            values = {s: median(scenario, s, key) for s in servers}
            cells = ["–" if values[s] is None else fmt.format(values[s]) for s in servers]
            for p in peers:
                w, v = values.get("wskit"), values[p]
                cells.append(f"{w / v:.2f}×" if w and v else "")
        if "{conns}" in label:
            held = sorted({r["conns"] for k, v in runs.items() if k[0] == scenario for r in v})
            label = label.format(conns="/".join(f"{c:,}" for c in held))
        print(f"| {label} | " + " | ".join(cells) + " |")
    counts = sorted({len(v) for v in runs.values()})
    failures = sum(r.get("failures", 0) for v in runs.values() for r in v)
    held = [(k[1], r["held"], r["conns"]) for k, v in runs.items() if k[0] == "idle" for r in v if "held" in r]
    short = [h for h in held if h[1] < h[2]]
    print()
    print(f"Runs per figure: {', '.join(map(str, counts))}; handshake failures: {failures}; "
          f"idle runs holding fewer than all connections: {len(short)}"
          + (f" ({', '.join(f'{s} {h}/{c}' for s, h, c in short)})" if short else "") + ".")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
