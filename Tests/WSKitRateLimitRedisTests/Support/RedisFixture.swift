import Glibc
import WSKitRedis
import WSKitTestSupport

/// Starts a private `redis-server` on a thread of its own (starting one blocks until it answers,
/// which must not hold a cooperative-pool thread). A missing `redis-server` fails loudly (never a
/// skip); a port taken between choosing it and binding it (tests start servers in parallel) is
/// retried.
func startRedis(arguments: [String] = []) async throws -> RedisServerProcess {
    try await runBlocking {
        var attempt = 0
        while true {
            do {
                return try RedisServerProcess(arguments: arguments)
            } catch let failure as RedisServerProcess.Failure
                where attempt < 3 && failure.description.contains("Address already in use") {
                attempt += 1
            }
        }
    }
}

extension RedisServerProcess {
    /// `start()` on a thread of its own.
    func startAgain() async throws {
        try await runBlocking { try self.start() }
    }

    /// `kill()` on a thread of its own.
    func killNow() async throws {
        try await runBlocking { self.kill() }
    }

    /// A connected client of this server with short timeouts and a fast reconnect.
    func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(RedisConfiguration(
            port: port, password: password, connectTimeout: .seconds(5), commandTimeout: .seconds(10),
            reconnect: RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.1)))
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Polls `condition` every 10 ms for up to `timeout` seconds; returns its last value.
func eventually(timeout: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

/// The directory holding this test run's executables (where `WSKitRateLimitNode` is built).
func executablesDirectory(containing name: String) throws -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw FixtureError("cannot read /proc/self/exe") }
    let path = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    while !directory.isEmpty {
        if access(directory + "/" + name, X_OK) == 0 { return directory }
        guard let slash = directory.lastIndex(of: "/") else { break }
        directory = String(directory[..<slash])
    }
    throw FixtureError("\(name) was not built next to the test runner (\(path))")
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port` (blocking).
func waitForPort(_ port: Int, timeout: Double = 20) -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if (try? RawClient(port: port, timeout: 1)) != nil { return true }
        usleep(50_000)
    }
    return false
}
