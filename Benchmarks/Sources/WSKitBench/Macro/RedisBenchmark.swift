import Glibc
import WSKitBenchCore
import WSKitContract
import WSKitPresence
import WSKitPresenceRedis
import WSKitRedis
import WSKitRouter

/// Redis publish throughput through WSKit's own client (`WSKitRedis`): a `redis-server` pinned to
/// the server core, `PUBLISH` of a 32-byte message, one at a time (round-trip bound) and pipelined
/// 64 at a time. Reports publishes/s and the client process's CPU per publish.
enum RedisBenchmark {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The entries (`redis.publish.sequential`, `redis.publish.pipelined64`), or a note why not.
    static func run(duration: Double, rounds: Int, serverCPU: String = "0") async -> ([BenchEntry], String?) {
        guard Subprocess.output(["redis-server", "--version"]).map({ $0.1 == 0 }) ?? false else {
            return ([], "Redis publish throughput skipped: redis-server is not installed (apt-get install redis-server).")
        }
        var port = 16_379
        while Network.accepts(port: port) { port += 1 }
        guard let server = try? Subprocess(
            ["taskset", "-c", serverCPU, "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout: .null, stderr: .null) else {
            return ([], "Redis publish throughput skipped: redis-server did not start.")
        }
        defer { server.stop(grace: 3) }
        guard Network.waitForPort(port, process: server, timeout: 10) else {
            return ([], "Redis publish throughput skipped: redis-server did not listen.")
        }
        let connection = RedisConnection(configuration: RedisConfiguration(port: port))
        defer { connection.close() }
        let message = RedisArgument(String(repeating: "m", count: 32))
        var sequential: [LoadResult] = []
        var pipelined: [LoadResult] = []
        var presence: [LoadResult] = []
        do {
            // The connection connects in the background: wait until it answers.
            var ready = false
            for _ in 0 ..< 100 where !ready {
                ready = (try? await connection.ping()) != nil
                if !ready { try? await Task.sleep(for: .milliseconds(50)) }
            }
            _ = try await connection.ping()
            for _ in 0 ..< rounds {
                sequential.append(try await measure(duration: duration, server: server.pid) { () async throws(RedisError) -> Int in
                    _ = try await connection.publish(message, to: "bench")
                    return 1
                })
                let batch = [[RedisArgument]](repeating: ["PUBLISH", "bench", message], count: 64)
                pipelined.append(try await measure(duration: duration, server: server.pid) { () async throws(RedisError) -> Int in
                    let replies = try await connection.pipeline(batch)
                    return replies.count
                })
            }
            presence = try await presenceJoinLeave(port: port, duration: duration, rounds: rounds, server: server.pid)
        } catch {
            return ([], "Redis publish throughput failed: \(error).")
        }
        func entry(_ key: String, _ title: String, _ runs: [LoadResult]) -> BenchEntry {
            func metric(_ name: String) -> Metric { Metric(name: name, samples: runs.map { $0[name] }) }
            return BenchEntry(key: key, group: "redis", title: title, server: "wskit",
                              metrics: [metric("ops_per_s"), metric("client_us_per_op"), metric("server_us_per_op")])
        }
        return ([
            entry("redis.publish.sequential", "Redis PUBLISH through WSKitRedis, one at a time", sequential),
            entry("redis.publish.pipelined64", "Redis PUBLISH through WSKitRedis, pipelined 64", pipelined),
            entry("redis.presence.joinleave", "presence through Redis: track + untrack one connection (2 scripts)", presence),
        ], nil)
    }

    /// Track + untrack of one connection through `RedisPresenceStore`, one after the other (each
    /// one script: write, index, `PUBLISH` of the diff).
    static func presenceJoinLeave(port: Int, duration: Double, rounds: Int, server: Int32) async throws(RedisError) -> [LoadResult] {
        struct Plugins: PresenceInstalled { var presence: PresencePlugin }
        let store = RedisPresenceStore(configuration: RedisConfiguration(port: port), prefix: "bench-presence:")
        let runtime = try! Router<Void, Plugins>().build(plugins: Plugins(presence: PresencePlugin(store: store)))
        guard await runtime.presence.ready(timeout: .seconds(10)) else { throw .notConnected }
        let tracked = ConnectionPresence(connection: runtime.open(PubSubBenchmarks.FrameCounter(), data: ()))
        let meta: JSONObject = ["name": "Ada Lovelace", "device": "laptop", "status": "online"]
        var results: [LoadResult] = []
        for _ in 0 ..< rounds {
            results.append(try await measure(duration: duration, server: server) { () async throws(RedisError) -> Int in
                guard (try? await tracked.track("bench", key: "ada", meta: meta)) != nil, await tracked.untrack("bench") else {
                    throw .notConnected
                }
                return 1
            })
        }
        await runtime.presence.shutdown()
        return results
    }

    /// Runs `body` (which returns the publishes it made) for `duration` seconds after a short warm-up.
    static func measure(duration: Double, server: Int32, _ body: () async throws(RedisError) -> Int) async throws(RedisError) -> LoadResult {
        let warmEnd = Clock.seconds() + 0.3
        while Clock.seconds() < warmEnd { _ = try await body() }
        let cpu0 = selfCPU(), server0 = processCPU(server), start = Clock.seconds()
        var ops = 0
        while Clock.seconds() - start < duration { ops += try await body() }
        let elapsed = Clock.seconds() - start
        let client = selfCPU() - cpu0, serverCPU = processCPU(server) - server0
        return LoadResult(values: [
            "ops_per_s": Double(ops) / elapsed, "client_us_per_op": client / Double(max(ops, 1)) * 1e6,
            "server_us_per_op": serverCPU / Double(max(ops, 1)) * 1e6,
        ])
    }

    static func selfCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// utime + stime of a process, in seconds.
    static func processCPU(_ pid: Int32) -> Double {
        guard let stat = try? FileIO.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
