#!/usr/bin/env python3
"""Bytes per idle connection of wskit-echo for each permessage-deflate policy.

The method of python-websockets' memory page: start the server, read its resident memory, open N
connections that each exchange one message (so every zlib stream a policy keeps is allocated
and used), wait for the server to settle, read its resident memory again; (after - before) / N is
the cost of one idle connection. Rows differ only by the server's policy; the client (Python
`websockets`, offering `permessage-deflate; client_max_window_bits` as browsers do) is the same.

  Benchmarks/scripts/deflate-memory.py [--conns N] [--echo PATH] [--python-json OUT]

Needs the conformance venv's Python (websockets) and a release wskit-echo
(`swift build -c release --product wskit-echo`).
"""
import argparse, asyncio, json, os, resource, socket, subprocess, sys, time

from websockets.asyncio.client import connect

POLICIES = [
    ("no compression (--no-deflate)", ["--no-deflate"]),
    ("default: context takeover, 4 KiB windows (12 bits), memory level 5", []),
    ("context takeover, 32 KiB windows (15 bits), memory level 8 (zlib's defaults)",
     ["--deflate-window-bits", "15", "--deflate-memory-level", "8"]),
    ("context takeover, 512 B windows (9 bits), memory level 1",
     ["--deflate-window-bits", "9", "--deflate-memory-level", "1"]),
    ("no context takeover either way (shared compressor, decompressor freed)", ["--deflate-no-context-takeover"]),
    ("no context takeover, 32 KiB windows, memory level 8",
     ["--deflate-no-context-takeover", "--deflate-window-bits", "15", "--deflate-memory-level", "8"]),
]

MESSAGE = json.dumps({"type": "CHAT", "meta": {"correlationId": "c-1"},
                      "payload": {"room": "lobby", "text": "hello, this is a chat message " * 30}})[:1024]


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def hold(port, conns):
    sockets = []
    extension = None
    for start in range(0, conns, 200):
        batch = [connect(f"ws://127.0.0.1:{port}/", max_size=None, ping_interval=None)
                 for _ in range(start, min(conns, start + 200))]
        opened = await asyncio.gather(*batch)
        for ws in opened:
            await ws.send(MESSAGE)
        for ws in opened:
            assert await ws.recv() == MESSAGE
        sockets += opened
        extension = opened[0].response.headers.get("Sec-WebSocket-Extensions")
    return sockets, extension


async def measure(echo, flags, conns):
    port = free_port()
    server = subprocess.Popen([echo, "--port", str(port), "--loops", "1"] + flags, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        # Warm the loop and allocator with one connection first.
        warm, _ = await hold(port, 1)
        await warm[0].close()
        time.sleep(0.5)
        before = rss(server.pid)
        sockets, extension = await hold(port, conns)
        time.sleep(1.0)
        after = rss(server.pid)
        for ws in sockets:
            await ws.close()
        return (after - before) / conns, extension
    finally:
        server.terminate()
        server.wait()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conns", type=int, default=10000)
    parser.add_argument("--echo", default=".build/release/wskit-echo")
    parser.add_argument("--json")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.conns + 1000)), hard))
    rows = []
    print(f"| policy (server) | negotiated | bytes per idle connection ({args.conns} conns) |")
    print("|---|---|---:|")
    for name, flags in POLICIES:
        per, extension = await measure(args.echo, flags, args.conns)
        rows.append({"policy": name, "flags": flags, "extension": extension, "bytesPerConnection": round(per)})
        print(f"| {name} | `{extension or '—'}` | {round(per):,} |", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"conns": args.conns, "message": len(MESSAGE), "rows": rows}, f, indent=2)


asyncio.run(main())
