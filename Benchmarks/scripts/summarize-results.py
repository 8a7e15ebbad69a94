#!/usr/bin/env python3
"""Markdown table of medians from run-echo-compare.sh results (JSON lines from wsload).

    Benchmarks/scripts/summarize-results.py [--baseline NAME] [--order a,b,c] RESULTS.jsonl...

Per server and scenario, each figure is the median over rounds; CPU per message is computed per run
(server_cpu / rate, in microseconds) and then the median taken. Standard library only.
"""
import argparse
import json
import statistics
import sys
from collections import defaultdict


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def per(num, den, scale=1.0):
    if num is None or den is None or num < 0 or den <= 0:
        return None
    return num / den * scale


def fmt(v, digits=0, suffix=""):
    if v is None:
        return "—"
    if digits == 0:
        return f"{v:,.0f}{suffix}"
    return f"{v:,.{digits}f}{suffix}"


def load(paths):
    runs = defaultdict(list)  # (server, scenario) -> [record]
    order = []
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"warning: {path}:{n}: {e}", file=sys.stderr)
                    continue
                server = r.get("server") or r.get("label") or "?"
                if server not in order:
                    order.append(server)
                runs[(server, r.get("scenario") or r.get("mode"))].append(r)
    return runs, order


def summarize(runs, server):
    s = {}
    notes = []

    def pick(scenario):
        return runs.get((server, scenario), [])

    e = pick("echo32")
    s["echo32_n"] = len(e)
    s["echo32_rate"] = median(r["msg_per_s"] for r in e)
    s["echo32_us"] = median(per(r["server_cpu"], r["msg_per_s"], 1e6) for r in e)
    s["echo32_client"] = median(r["client_cpu"] for r in e)
    s["echo32_server"] = median(r["server_cpu"] for r in e if r["server_cpu"] >= 0)
    s["echo32_p50"] = median(r["p50_us"] for r in e)
    s["echo32_p99"] = median(r["p99_us"] for r in e)

    b = pick("echo16k")
    s["echo16k_n"] = len(b)
    s["echo16k_mib"] = median(r["payload_mib_per_s"] for r in b)
    s["echo16k_us"] = median(per(r["server_cpu"], r["msg_per_s"], 1e6) for r in b)
    s["echo16k_client"] = median(r["client_cpu"] for r in b)

    c = pick("connect")
    s["connect_n"] = len(c)
    s["idle_kib"] = median(r["server_rss_kb_per_conn"] for r in c if r["server_rss_kb_per_conn"] >= 0)
    s["held"] = median(r["held"] for r in c)
    s["conns"] = median(r["conns"] for r in c)
    s["conn_per_s"] = median(r["conn_per_s"] for r in c)

    k = pick("bcast")
    s["bcast_n"] = len(k)
    s["bcast_rate"] = median(r["deliveries_per_s"] for r in k)
    s["bcast_us"] = median(per(r["server_cpu"], r["deliveries_per_s"], 1e6) for r in k)
    s["bcast_subs"] = median(r["subs_ready"] for r in k)
    s["bcast_fanout_p50"] = median(r["fanout_p50_us"] for r in k)

    every = e + b + c + k
    s["other_max"] = max((r.get("other_cpu", 0) for r in every), default=None)
    if any(r["held"] < r["conns"] for r in c):
        notes.append(f"held {fmt(min(r['held'] for r in c))} of {fmt(c[0]['conns'])} idle connections")
    if any(r.get("incomplete", 0) for r in k):
        notes.append(f"{sum(r['incomplete'] for r in k)} incomplete broadcasts")
    if any(r.get("subs_ready", r["conns"]) < r["conns"] for r in k):
        notes.append("not every broadcast subscriber was ready")
    bad = sum(r.get("bad_payload", 0) + r.get("unexpected", 0) + r.get("protocol_err", 0) for r in every)
    if bad:
        notes.append(f"{bad} bad/unexpected frames or protocol errors")
    closed = sum(r.get("closed_by_peer", 0) for r in every)
    if closed:
        notes.append(f"{closed} connections closed by the server")
    failed = sum(1 for r in every if r.get("connected", 0) < r.get("conns", 0))
    if failed:
        notes.append(f"{failed} runs did not connect every connection")
    busy = sum(1 for r in every if r.get("other_cpu", 0) > 0.2)
    if busy:
        notes.append(f"{busy} of {len(every)} runs shared the machine (other_cpu > 0.2): figures understated")
    if any(r["client_cpu"] > 0.9 for r in e):
        notes.append("echo 32 B generator-bound (client CPU > 0.9)")
    s["notes"] = notes
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="+")
    ap.add_argument("--baseline", help="server whose figures the ratio table divides by (default: none)")
    ap.add_argument("--order", help="comma-separated server order (default: order of appearance)")
    a = ap.parse_args()

    runs, order = load(a.results)
    if a.order:
        wanted = [x for x in a.order.split(",") if x]
        order = [x for x in wanted if x in order] + [x for x in order if x not in wanted]
    if not order:
        print("no results", file=sys.stderr)
        return 1
    rows = {name: summarize(runs, name) for name in order}
    rounds = max(max(r["echo32_n"], r["echo16k_n"], r["connect_n"], r["bcast_n"]) for r in rows.values())

    def first(key, name="conns"):
        for (srv, sc), rs in runs.items():
            if sc == key and rs:
                return rs[0].get(name)
        return None

    ec, ic, bc = first("echo32"), first("connect"), first("bcast")
    print(f"Medians of {rounds} run(s) per server and scenario; server on one core, wsload on the other.\n")
    print(f"| server | echo {fmt(ec)} conns × 32 B msg/s | server CPU µs/msg | client CPU "
          f"| echo {fmt(first('echo16k'))} × 16 KiB binary MiB/s | idle KiB/conn ({fmt(ic)}) "
          f"| broadcast to {fmt(bc)}: deliveries/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in order:
        r = rows[name]
        print(f"| {name} | {fmt(r['echo32_rate'])} | {fmt(r['echo32_us'], 1)} | {fmt(r['echo32_client'], 2)} "
              f"| {fmt(r['echo16k_mib'])} | {fmt(r['idle_kib'], 1)} | {fmt(r['bcast_rate'])} |")

    print()
    print("| server | echo 32 B p50 / p99 µs | server cores busy (32 B) | 16 KiB server CPU µs/msg "
          "| broadcast server CPU µs/delivery | broadcast fan-out p50 µs | idle held / conn/s | max other_cpu |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in order:
        r = rows[name]
        held = f"{fmt(r['held'])} / {fmt(r['conn_per_s'])}" if r["held"] is not None else "—"
        p = f"{fmt(r['echo32_p50'])} / {fmt(r['echo32_p99'])}" if r["echo32_p50"] is not None else "—"
        print(f"| {name} | {p} | {fmt(r['echo32_server'], 2)} | {fmt(r['echo16k_us'], 1)} "
              f"| {fmt(r['bcast_us'], 2)} | {fmt(r['bcast_fanout_p50'])} | {held} | {fmt(r['other_max'], 2)} |")

    if a.baseline and a.baseline in rows:
        base = rows[a.baseline]
        print()
        print(f"Ratios to {a.baseline} (throughput: higher is better; CPU and memory: lower is better):\n")
        print("| server | echo 32 B msg/s | server CPU µs/msg | 16 KiB MiB/s | idle KiB/conn | broadcast deliveries/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for name in order:
            r = rows[name]
            cells = [fmt(per(r[k], base[k]), 2, "×") for k in
                     ("echo32_rate", "echo32_us", "echo16k_mib", "idle_kib", "bcast_rate")]
            print(f"| {name} | " + " | ".join(cells) + " |")

    notes = [(n, r["notes"]) for n, r in rows.items() if r["notes"]]
    if notes:
        print()
        for name, ns in notes:
            print(f"- {name}: " + "; ".join(ns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
