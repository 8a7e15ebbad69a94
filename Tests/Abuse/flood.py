#!/usr/bin/env python3
"""Non-reading flood: N WebSocket clients send SIZE-byte binary messages as fast as the kernel
takes them and never read what the server sends back. Loopback only, bounded in time.

    Tests/Abuse/flood.py --port 9001 --clients 100 --size 65536 --seconds 20 [--pid SERVER_PID]

Prints one JSON line: bytes sent, and (with --pid) the server's VmRSS before, peak and after.
"""
import argparse, base64, json, os, select, socket, struct, time


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def handshake(host, port, path="/"):
    s = socket.create_connection((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("closed during handshake")
        response += chunk
    if not response.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(response.split(b"\r\n")[0].decode())
    s.setblocking(False)
    return s


def frame(size):
    mask = b"\x01\x02\x03\x04"
    if size < 126:
        header = struct.pack("!BB", 0x82, 0x80 | size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x82, 0x80 | 126, size)
    else:
        header = struct.pack("!BBQ", 0x82, 0x80 | 127, size)
    payload = bytes(size)  # zeros masked with the key: the key repeated
    masked = (mask * (size // 4 + 1))[:size]
    return header + mask + masked


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--size", type=int, default=65536)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--pid", type=int)
    a = p.parse_args()
    rss_before = rss_kb(a.pid) if a.pid else None
    socks = [handshake(a.host, a.port) for _ in range(a.clients)]
    data = frame(a.size)
    pending = {s: memoryview(data) for s in socks}
    sent = 0
    peak = rss_before or 0
    end = time.monotonic() + a.seconds
    next_sample = 0
    while time.monotonic() < end:
        _, writable, _ = select.select([], socks, [], 0.2)
        for s in writable:
            view = pending[s]
            try:
                n = s.send(view)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                socks.remove(s)
                continue
            sent += n
            view = view[n:]
            pending[s] = view if len(view) else memoryview(data)
        if a.pid and time.monotonic() >= next_sample:
            r = rss_kb(a.pid)
            if r:
                peak = max(peak, r)
            next_sample = time.monotonic() + 0.25
    rss_end = rss_kb(a.pid) if a.pid else None
    if a.pid:
        peak = max(peak, rss_end or 0)
    for s in socks:
        s.close()
    time.sleep(1)
    print(json.dumps({"clients": a.clients, "size": a.size, "seconds": a.seconds, "sent_mib": round(sent / 2**20, 1),
                      "open_at_end": len(socks), "server_rss_kb_before": rss_before, "server_rss_kb_peak": peak,
                      "server_rss_kb_loaded": rss_end, "server_rss_kb_after": rss_kb(a.pid) if a.pid else None}))


if __name__ == "__main__":
    main()
