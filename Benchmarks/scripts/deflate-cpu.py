#!/usr/bin/env python3
"""Server CPU per message with permessage-deflate negotiated: wskit-echo against Node `ws`
(perMessageDeflate: true) and Hummingbird (hummingbird-websocket's HummingbirdWSCompression,
`peer-hummingbird --deflate`), all driven by the same Python `websockets` clients (which offer
permessage-deflate as browsers do).

  echo       C connections each echo M 1 KiB JSON messages, one in flight per connection:
             server CPU seconds (utime + stime from /proc) / messages
  broadcast  S subscribers on /bcast, one sender publishes K 1 KiB JSON messages; each
             delivery is awaited: server CPU seconds / deliveries
  memory     N idle connections that each exchanged one message: resident bytes / connection

  Benchmarks/scripts/deflate-cpu.py [--rounds R] [--servers wskit,wskit-nct,node,hummingbird]
      [--echo .build/release/wskit-echo] [--node-ws Benchmarks/Peers/node-ws/server.js]
      [--hummingbird Benchmarks/Peers/.build/release/peer-hummingbird] [--json OUT]

Servers alternate within each scenario and round (A B C D, next scenario, next round); each figure
is the median over rounds. A server whose program is missing is skipped (build the peers with
Benchmarks/scripts/build-peers.sh). Every server must negotiate permessage-deflate, or the run
stops. The client's CPU is not counted; only the server process's. One loop (wskit-echo --loops 1)
against Node's single thread; SwiftNIO (Hummingbird) runs its default event-loop threads. Needs the
conformance venv's Python and Debian's node-ws.
"""
import argparse, asyncio, json, os, resource, socket, statistics, subprocess, sys, time

from websockets.asyncio.client import connect

MESSAGE = json.dumps({"type": "CHAT", "meta": {"correlationId": "c-1", "timestamp": 1730450000000},
                      "payload": {"room": "lobby", "user": "alice",
                                  "text": "Hello everyone, this is a chat message of about a kilobyte. " * 16}})[:1024]


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command, port):
    process = subprocess.Popen(command + ["--port", str(port)], stderr=subprocess.DEVNULL)
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{command} did not start")


async def open_many(url, count):
    result = []
    for first in range(0, count, 200):
        result += await asyncio.gather(*[connect(url, max_size=None, ping_interval=None)
                                         for _ in range(first, min(count, first + 200))])
    return result


async def echo(command, conns, messages):
    port = free_port()
    server = start(command, port)
    try:
        sockets = await open_many(f"ws://127.0.0.1:{port}/", conns)
        extension = sockets[0].response.headers.get("Sec-WebSocket-Extensions")

        async def one(ws):
            for _ in range(messages):
                await ws.send(MESSAGE)
                assert await ws.recv() == MESSAGE
        await asyncio.gather(*[one(ws) for ws in sockets[:5]])  # warm-up
        before = cpu(server.pid)
        start_time = time.monotonic()
        await asyncio.gather(*[one(ws) for ws in sockets])
        wall = time.monotonic() - start_time
        used = cpu(server.pid) - before
        for ws in sockets:
            await ws.close()
        total = conns * messages
        return {"extension": extension, "messages": total, "serverCpuUsPerMessage": used / total * 1e6, "wall": wall}
    finally:
        server.terminate()
        server.wait()


async def broadcast(command, subscribers, messages):
    port = free_port()
    server = start(command, port)
    try:
        sockets = await open_many(f"ws://127.0.0.1:{port}/bcast", subscribers)
        await asyncio.sleep(1.0)  # subscriptions settle
        sender = sockets[0]
        before = cpu(server.pid)
        for i in range(messages):
            await sender.send(MESSAGE)
            received = await asyncio.gather(*[ws.recv() for ws in sockets])
            assert all(r == MESSAGE for r in received)
        used = cpu(server.pid) - before
        for ws in sockets:
            await ws.close()
        deliveries = subscribers * messages
        return {"deliveries": deliveries, "serverCpuUsPerDelivery": used / deliveries * 1e6}
    finally:
        server.terminate()
        server.wait()


async def memory(command, conns):
    port = free_port()
    server = start(command, port)
    try:
        warm = await open_many(f"ws://127.0.0.1:{port}/", 1)
        await warm[0].close()
        time.sleep(0.5)
        before = rss(server.pid)
        sockets = await open_many(f"ws://127.0.0.1:{port}/", conns)
        for first in range(0, conns, 500):
            batch = sockets[first:first + 500]
            for ws in batch:
                await ws.send(MESSAGE)
            for ws in batch:
                assert await ws.recv() == MESSAGE
        time.sleep(1.0)
        per = (rss(server.pid) - before) / conns
        for ws in sockets:
            await ws.close()
        return {"bytesPerIdleConnection": per}
    finally:
        server.terminate()
        server.wait()


def require_deflate(name, extension):
    if not extension or not extension.startswith("permessage-deflate"):
        sys.exit(f"deflate-cpu: {name} did not negotiate permessage-deflate (got {extension!r})")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--echo", default=".build/release/wskit-echo")
    parser.add_argument("--node-ws", default="Benchmarks/Peers/node-ws/server.js")
    parser.add_argument("--hummingbird", default="Benchmarks/Peers/.build/release/peer-hummingbird")
    parser.add_argument("--servers", default="wskit,wskit-nct,node,hummingbird",
                        help="comma-separated subset of wskit, wskit-nct, node, hummingbird")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--conns", type=int, default=50)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--json")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.idle + 1000)), hard))
    known = {
        "wskit": ("wskit (default policy)", [args.echo, "--loops", "1"], args.echo),
        "wskit-nct": ("wskit (no context takeover)",
                      [args.echo, "--loops", "1", "--deflate-no-context-takeover"], args.echo),
        "node": ("node ws (perMessageDeflate: true)", ["node", args.node_ws, "--deflate"], args.node_ws),
        "hummingbird": ("hummingbird (HummingbirdWSCompression, defaults)",
                        [args.hummingbird, "--deflate"], args.hummingbird),
    }
    servers = []
    for key in args.servers.split(","):
        name, command, program = known[key.strip()]
        if os.path.exists(program):
            servers.append((name, command))
        else:
            print(f"deflate-cpu: {program} not built, {name} skipped", file=sys.stderr)
    runs = {name: {"echo": [], "broadcast": [], "memory": []} for name, _ in servers}
    for round_ in range(1, args.rounds + 1):
        for name, command in servers:
            e = await echo(command, args.conns, args.messages)
            require_deflate(name, e["extension"])
            runs[name]["echo"].append(e)
            print(f"round {round_} {name}: echo {e['serverCpuUsPerMessage']:.1f} µs/msg, {e['extension']}",
                  file=sys.stderr, flush=True)
        for name, command in servers:
            b = await broadcast(command, args.subscribers, args.publishes)
            runs[name]["broadcast"].append(b)
            print(f"round {round_} {name}: broadcast {b['serverCpuUsPerDelivery']:.2f} µs/delivery",
                  file=sys.stderr, flush=True)
        for name, command in servers:
            m = await memory(command, args.idle)
            runs[name]["memory"].append(m)
            print(f"round {round_} {name}: idle {m['bytesPerIdleConnection']:,.0f} B/conn",
                  file=sys.stderr, flush=True)
    print("| server | negotiated | echo 1 KiB JSON: server CPU µs/msg | broadcast to %d: server CPU µs/delivery | idle memory, %d conns: bytes/conn |"
          % (args.subscribers, args.idle))
    print("|---|---|---:|---:|---:|")
    results = {}
    for name, _ in servers:
        r = runs[name]
        e = statistics.median(x["serverCpuUsPerMessage"] for x in r["echo"])
        b = statistics.median(x["serverCpuUsPerDelivery"] for x in r["broadcast"])
        m = statistics.median(x["bytesPerIdleConnection"] for x in r["memory"])
        results[name] = {"runs": r, "median": {"serverCpuUsPerMessage": e, "serverCpuUsPerDelivery": b,
                                               "bytesPerIdleConnection": m}}
        print(f"| {name} | `{r['echo'][0]['extension']}` | {e:.1f} | {b:.2f} | {m:,.0f} |", flush=True)
    if args.json:
        json.dump({"rounds": args.rounds, "message": len(MESSAGE), "results": results}, open(args.json, "w"), indent=2)


asyncio.run(main())
