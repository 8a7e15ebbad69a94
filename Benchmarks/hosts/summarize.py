#!/usr/bin/env python3
"""Markdown tables of medians from a Benchmarks/hosts/run.sh results file (standard library only).

    python3 Benchmarks/hosts/summarize.py RESULTS.jsonl

Each figure is the median over rounds; server CPU per message is computed per run (server CPU
seconds ÷ messages) before the median. Ratio columns divide each foreign host by WSKit's server:
above 1x costs more (CPU, memory, latency) or, for msg/s, serves more.
"""
import json
import statistics
import sys

SERVERS = ["wskit", "vapor", "hummingbird"]
LABELS = {"wskit": "WSKit server", "vapor": "Vapor 4", "hummingbird": "Hummingbird 2"}
SCENARIOS = {
    "rpc1": "router RPC, {conns} conns × 1 in flight",
    "rpc16": "router RPC, {conns} conns × 16 in flight",
    "echo1": "host's plain echo, {conns} conns × 1 in flight",
    "echo16": "host's plain echo, {conns} conns × 16 in flight",
}
# (key, label, format)
METRICS = [
    ("msg_per_s", "msg/s", "{:,.0f}"),
    ("p50_us", "p50 µs", "{:,.0f}"),
    ("p99_us", "p99 µs", "{:,.0f}"),
    ("cpu_us_per_msg", "server CPU µs/msg", "{:.1f}"),
    ("rss_mib", "server RSS MiB", "{:.1f}"),
]


def load(path):
    runs = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        result = row.get("result")
        if not result:
            continue
        msgs = result.get("msg_per_s") or 0
        if msgs > 0 and result.get("server_cpu", -1) >= 0:
            result["cpu_us_per_msg"] = result["server_cpu"] / msgs * 1e6
        if result.get("server_rss_kb_after", -1) > 0:
            result["rss_mib"] = result["server_rss_kb_after"] / 1024
        runs.setdefault((row["scenario"], row["server"]), []).append(result)
    return runs


def main(path):
    runs = load(path)
    servers = [s for s in SERVERS if any(k[1] == s for k in runs)]
    peers = [s for s in servers if s != "wskit"]
    scenarios = [s for s in SCENARIOS if any(k[0] == s for k in runs)]

    def median(scenario, server, key):
        values = [r[key] for r in runs.get((scenario, server), []) if r.get(key) is not None]
        return statistics.median(values) if values else None

    head = ["", *(LABELS[s] for s in servers), *(f"{LABELS[p].split(' ')[0]} ÷ WSKit" for p in peers)]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for scenario in scenarios:
        conns = sorted({r["conns"] for k, v in runs.items() if k[0] == scenario for r in v})
        title = SCENARIOS[scenario].format(conns="/".join(f"{c:,}" for c in conns))
        for key, label, fmt in METRICS:
            values = {s: median(scenario, s, key) for s in servers}
            cells = ["–" if values[s] is None else fmt.format(values[s]) for s in servers]
            for p in peers:
                w, v = values.get("wskit"), values[p]
                cells.append(f"{v / w:.2f}×" if w and v else "")
            print(f"| {title}: {label} | " + " | ".join(cells) + " |")
        cells = []
        for s in servers:
            parts = [median(scenario, s, k) for k in ("server_cpu", "client_cpu", "other_cpu")]
            cells.append(" / ".join("–" if v is None else f"{v:.2f}" for v in parts))
        print(f"| {title}: server / load / other cores | " + " | ".join(cells + [""] * len(peers)) + " |")

    # What the router adds on each host: its RPC against the same host's plain echo.
    pairs = [(f"rpc{n}", f"echo{n}", n) for n in ("1", "16") if f"rpc{n}" in scenarios and f"echo{n}" in scenarios]
    if pairs:
        print()
        print("| server CPU µs/msg: router RPC − plain echo | " + " | ".join(LABELS[s] for s in servers) + " |")
        print("|---|" + "---:|" * len(servers))
        for rpc, echo, n in pairs:
            cells = []
            for s in servers:
                a, b = median(rpc, s, "cpu_us_per_msg"), median(echo, s, "cpu_us_per_msg")
                cells.append("–" if a is None or b is None else f"{a:.1f} − {b:.1f} = {a - b:.1f}")
            print(f"| {n} in flight | " + " | ".join(cells) + " |")

    counts = sorted({len(v) for v in runs.values()})
    problems = sum(r.get(k, 0) for v in runs.values() for r in v
                   for k in ("unexpected", "closed_by_peer", "protocol_errors", "connect_failures", "handshake_failures"))
    short = sum(1 for v in runs.values() for r in v if r.get("connected", 0) < r.get("conns", 0))
    others = [r["other_cpu"] for v in runs.values() for r in v if "other_cpu" in r]
    print()
    print(f"Runs per figure: {', '.join(map(str, counts))}; unexpected replies, closes, protocol, connect or "
          f"handshake failures: {problems}; runs with connections missing: {short}; other_cpu "
          f"{min(others):.2f}–{max(others):.2f} cores." if others else "")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
