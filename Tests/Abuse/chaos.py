#!/usr/bin/env python3
"""Chaos and abuse scenarios against a real wskit-echo process (issue 18, docs/reliability.md).

    Tests/Abuse/chaos.py slowloris [--clients 1000]
    Tests/Abuse/chaos.py storm     [--clients 5000] [--rounds 2]
    Tests/Abuse/chaos.py churn     [--clients 5000] [--rounds 5] [--concurrency 200]
    Tests/Abuse/chaos.py all

Each scenario starts its own server (`--server`, default .build/debug/wskit-echo; any build works,
an AddressSanitizer build included: `--server .build-asan/debug/wskit-echo`), on a free port with
one loop (`--loops`), raises its own and the server's descriptor limit to the hard limit, and
prints one JSON object of figures per scenario; it exits non-zero when a scenario's guarantee
fails:

  slowloris  N sockets send an incomplete upgrade request and then one more header byte every
             second, never finishing. Every one must be closed by the server's handshake timeout
             (wskit-echo: 10 s, checked once per 1 s tick), while an echo client beside them keeps
             getting answers (round trips counted, p50/p99/max; and 2 s of quiet baseline first).
  storm      N clients connect and echo; the server is stopped (SIGTERM: a graceful shutdown sends
             them 1001) and started again on the same port `--down` seconds later; every client
             starts reconnecting at once (jittered exponential backoff from 50 ms to 2 s, at most
             256 handshakes in flight) and echoes again. Then `--rounds` - 1 more times against the
             new server (all close, all reconnect), to show that its descriptors and RSS return
             to the same level: no leak.
  churn      `--rounds` times N connections opened, upgraded, echoed once and closed
             (`--concurrency` at a time); the server's descriptors and RSS after each round.

Only the Python standard library: raw sockets and RFC 6455 framing (clients mask; the server
never compresses because the clients offer no extension). Loopback clients are exempt from the
server's per-address limits by default (ClientAddressLimits.exemptLoopback), so the scenarios
measure the timeouts and resource bounds, not the address limits.
"""
import argparse, asyncio, base64, json, os, random, resource, signal, socket, statistics, struct, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# MARK: the server process

def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A wskit-echo child process (inherits the raised descriptor limit)."""

    def __init__(self, binary, port, loops):
        self.binary, self.port, self.loops = binary, port, loops
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--loops", str(self.loops), "--no-deflate"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(0.2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("server exited: " + self.process.stderr.read().decode(errors="replace"))
                time.sleep(0.05)
        raise RuntimeError("server did not start listening")

    def stop(self, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    @property
    def pid(self):
        return self.process.pid

    def fds(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def rss_kb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def sample(self):
        return {"fds": self.fds(), "rss_mb": round(self.rss_kb() / 1024, 1)}


# MARK: a minimal WebSocket client

class Closed(Exception):
    pass


async def ws_connect(port, timeout=10):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    if not head.startswith(b"HTTP/1.1 101"):
        writer.close()
        raise Closed(head.split(b"\r\n")[0].decode(errors="replace"))
    return reader, writer


def encode(opcode, payload):
    mask = os.urandom(4)
    n = len(payload)
    header = struct.pack("!BB", 0x80 | opcode, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x80 | opcode, 0xFE, n)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    try:
        b0, b1 = await reader.readexactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", await reader.readexactly(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", await reader.readexactly(8))[0]
        return b0 & 0x0F, await reader.readexactly(n)
    except (asyncio.IncompleteReadError, ConnectionError) as error:
        raise Closed(str(error))


async def echo_once(reader, writer, text, timeout=10):
    writer.write(encode(0x1, text.encode()))
    opcode, payload = await asyncio.wait_for(read_frame(reader), timeout)
    if opcode != 0x1 or payload != text.encode():
        raise Closed(f"unexpected frame {opcode}")


async def close_politely(reader, writer):
    try:
        writer.write(encode(0x8, b"\x03\xe8"))
        await asyncio.wait_for(writer.drain(), 5)
        while True:
            opcode, _ = await asyncio.wait_for(read_frame(reader), 5)
            if opcode == 0x8:
                break
    except (Closed, asyncio.TimeoutError, ConnectionError):
        pass
    writer.close()


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


# MARK: scenarios

async def slowloris(args, server):
    port = server.port
    before = server.sample()
    opened_at, closed_after = {}, []
    stop = asyncio.Event()

    async def attacker(index):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        opened_at[index] = time.monotonic()
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
        try:
            while True:
                # One more byte of a header that never ends, every second.
                writer.write(b"X")
                try:
                    data = await asyncio.wait_for(reader.read(4096), 1.0)
                    if not data:
                        break
                except asyncio.TimeoutError:
                    continue
        except ConnectionError:
            pass
        closed_after.append(time.monotonic() - opened_at[index])
        writer.close()

    rtts, baseline, failures = [], [], 0
    attack_started = asyncio.Event()

    async def echo_client():
        nonlocal failures
        reader, writer = await ws_connect(port)
        # Quiet baseline first, for comparison.
        quiet_until = time.monotonic() + 2
        while time.monotonic() < quiet_until:
            start = time.monotonic()
            await echo_once(reader, writer, "quiet")
            baseline.append(time.monotonic() - start)
            await asyncio.sleep(0.05)
        attack_started.set()
        while not stop.is_set():
            start = time.monotonic()
            try:
                await echo_once(reader, writer, "still serving?")
                rtts.append(time.monotonic() - start)
            except (Closed, asyncio.TimeoutError):
                failures += 1
                reader, writer = await ws_connect(port)
            await asyncio.sleep(0.05)
        await close_politely(reader, writer)

    echo = asyncio.create_task(echo_client())
    await attack_started.wait()
    start = time.monotonic()
    attackers = [asyncio.create_task(attacker(i)) for i in range(args.clients)]
    await asyncio.sleep(2)
    during = server.sample()
    done, pending = await asyncio.wait(attackers, timeout=args.handshake_timeout + 20)
    stop.set()
    await echo
    for task in pending:
        task.cancel()
    await asyncio.sleep(1)
    after = server.sample()
    result = {
        "scenario": "slowloris", "clients": args.clients,
        "closed_by_server": len(closed_after), "still_open": len(pending),
        "closed_after_s": {"min": round(min(closed_after), 2), "max": round(max(closed_after), 2)} if closed_after else None,
        "echo_quiet_ms": {"p50": round(percentile(baseline, 0.5) * 1000, 2), "p99": round(percentile(baseline, 0.99) * 1000, 2)},
        "echo_round_trips": len(rtts), "echo_failures": failures,
        "echo_ms": {"p50": round(percentile(rtts, 0.5) * 1000, 2), "p99": round(percentile(rtts, 0.99) * 1000, 2),
                    "max": round(max(rtts) * 1000, 2)} if rtts else None,
        "server_before": before, "server_during": during, "server_after": after,
        "seconds": round(time.monotonic() - start, 1),
    }
    ok = (len(closed_after) == args.clients and not pending and failures == 0 and len(rtts) > 0
          and max(closed_after) <= args.handshake_timeout + 3 and after["fds"] <= before["fds"] + 2)
    return result, ok


class StormClient:
    """Connects, echoes, waits for the server to end the connection, and reconnects."""

    def __init__(self, port, index):
        self.port, self.index = port, index
        self.connected = asyncio.Event()
        self.rounds_done = 0
        self.attempts = 0
        self.reader = self.writer = None

    async def connect(self, gate):
        delay = 0.05
        while True:
            self.attempts += 1
            try:
                async with gate:
                    self.reader, self.writer = await ws_connect(self.port)
                    await echo_once(self.reader, self.writer, f"client {self.index}")
                self.rounds_done += 1
                self.connected.set()
                return
            except (Closed, OSError, asyncio.TimeoutError):
                if self.writer:
                    self.writer.close()
                self.reader = self.writer = None
                await asyncio.sleep(random.uniform(0, delay))
                delay = min(delay * 2, 2.0)

    async def wait_for_server_close(self):
        """Reads until the server closes (1001 at shutdown), answering its close frame."""
        try:
            while True:
                opcode, payload = await read_frame(self.reader)
                if opcode == 0x8:
                    self.writer.write(encode(0x8, payload[:2]))
                    break
        except Closed:
            pass
        self.writer.close()
        self.connected.clear()


async def storm(args, server):
    gate = asyncio.Semaphore(256)
    clients = [StormClient(server.port, i) for i in range(args.clients)]
    idle = server.sample()
    start = time.monotonic()
    await asyncio.gather(*(c.connect(gate) for c in clients))
    first = {"clients_connected": sum(c.connected.is_set() for c in clients),
             "seconds": round(time.monotonic() - start, 1), "server": server.sample()}
    # Restart: SIGTERM (graceful: 1001 to everyone), then the same binary on the same port.
    watchers = [asyncio.create_task(c.wait_for_server_close()) for c in clients]
    stop_start = time.monotonic()
    status = await asyncio.get_running_loop().run_in_executor(None, server.stop)
    await asyncio.wait(watchers, timeout=10)
    shutdown = {"exit_status": status, "seconds": round(time.monotonic() - stop_start, 1),
                "clients_told_1001_or_closed": sum(not c.connected.is_set() for c in clients)}
    # The clients start reconnecting at once, against a port nobody listens on, and back off;
    # the server comes back after `--down` seconds.
    loop = asyncio.get_running_loop()
    rounds = []
    fresh = None
    for round_index in range(args.rounds):
        start = time.monotonic()
        attempts_before = sum(c.attempts for c in clients)
        reconnecting = asyncio.gather(*(c.connect(gate) for c in clients))
        if round_index == 0:
            await asyncio.sleep(args.down)
            await loop.run_in_executor(None, server.start)
            fresh = server.sample()  # clients are already reconnecting
        await reconnecting
        back = sum(c.connected.is_set() for c in clients)
        seconds = round(time.monotonic() - start, 1)
        connected_sample = server.sample()
        await asyncio.gather(*(close_politely(c.reader, c.writer) for c in clients))
        for c in clients:
            c.connected.clear()
        await asyncio.sleep(2)
        rounds.append({"clients_back": back, "seconds": seconds,
                       "attempts": sum(c.attempts for c in clients) - attempts_before,
                       "server_all_connected": connected_sample, "server_all_left": server.sample()})
    result = {"scenario": "storm", "clients": args.clients, "server_idle": idle, "first_connect": first,
              "restart": shutdown, "new_server_just_started": fresh, "rounds": rounds}
    left = [r["server_all_left"] for r in rounds]
    ok = (all(r["clients_back"] == args.clients for r in rounds)
          and all(s["fds"] <= idle["fds"] + 2 for s in left))
    return result, ok


async def churn(args, server):
    gate = asyncio.Semaphore(args.concurrency)
    failures = 0

    async def one(index):
        nonlocal failures
        async with gate:
            try:
                reader, writer = await ws_connect(server.port)
                await echo_once(reader, writer, f"churn {index}")
                await close_politely(reader, writer)
            except (Closed, OSError, asyncio.TimeoutError):
                failures += 1

    samples = [server.sample()]
    start = time.monotonic()
    for _ in range(args.rounds):
        await asyncio.gather(*(one(i) for i in range(args.clients)))
        await asyncio.sleep(1)
        samples.append(server.sample())
    result = {"scenario": "churn", "connections_per_round": args.clients, "rounds": args.rounds,
              "failures": failures, "server_before_and_after_each_round": samples,
              "seconds": round(time.monotonic() - start, 1)}
    ok = failures == 0 and samples[-1]["fds"] <= samples[0]["fds"] + 2
    return result, ok


SCENARIOS = {"slowloris": (slowloris, 1000), "storm": (storm, 5000), "churn": (churn, 5000)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=[*SCENARIOS, "all"])
    p.add_argument("--server", default=os.path.join(REPO, ".build/debug/wskit-echo"))
    p.add_argument("--loops", type=int, default=1)
    p.add_argument("--clients", type=int, help="default: 1000 (slowloris), 5000 (storm, churn)")
    p.add_argument("--rounds", type=int, help="default: 2 (storm), 5 (churn)")
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--down", type=float, default=1, help="storm: seconds the server stays down")
    p.add_argument("--handshake-timeout", type=float, default=10, help="the server's, for the check")
    args = p.parse_args()
    limit = raise_fd_limit()
    failed = False
    for name in (SCENARIOS if args.scenario == "all" else [args.scenario]):
        function, default_clients = SCENARIOS[name]
        scenario_args = argparse.Namespace(**vars(args))
        scenario_args.clients = args.clients or default_clients
        scenario_args.rounds = args.rounds or (2 if name == "storm" else 5)
        if scenario_args.clients + 64 > limit:
            sys.exit(f"chaos: descriptor limit {limit} is too low for {scenario_args.clients} clients")
        server = Server(args.server, free_port(), args.loops).start()
        try:
            result, ok = asyncio.run(function(scenario_args, server))
        finally:
            server.stop()
        result["ok"] = ok
        print(json.dumps(result), flush=True)
        failed = failed or not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
