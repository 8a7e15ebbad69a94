import Glibc
import Synchronization
import WSKitProtocol
import WSKitServer

/// A configuration for tests: ephemeral port, fast timer, silent logger.
public func testConfiguration(loops: Int = 1) -> ServerConfiguration {
    var configuration = ServerConfiguration(port: 0, loopCount: loops)
    configuration.timerResolution = .milliseconds(50)
    configuration.logger = NoLogger()
    return configuration
}

/// Starts a server, runs `body` with its port, and always shuts it down.
public func withServer<Context>(
    _ configuration: ServerConfiguration,
    _ behavior: WebSocketBehavior<Context>,
    _ body: (WebSocketServer<Context>, Int) throws -> Void
) throws {
    let server = WebSocketServer(configuration: configuration, behavior: behavior)
    try server.start()
    defer { server.shutdown() }
    try body(server, server.port)
}

/// Starts a server with `testConfiguration()`.
public func withServer<Context>(_ behavior: WebSocketBehavior<Context>, _ body: (WebSocketServer<Context>, Int) throws -> Void) throws {
    try withServer(testConfiguration(), behavior, body)
}

/// An echo behavior.
public func echoBehavior() -> WebSocketBehavior<Void> {
    WebSocketBehavior(initial: ()) { ws, message in ws.send(message) }
}

/// Thread-safe event log the server's callbacks write and tests read.
public final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    public init() {}

    /// How many values were recorded.
    public var count: Int { values.withLock { $0.count } }

    public func append(_ value: Value) { values.withLock { $0.append(value) } }

    public var all: [Value] { values.withLock { $0 } }

    /// Forgets every value (for example connections a behavior recorded, which would otherwise
    /// keep their server alive through the behavior's closures: a reference cycle).
    public func removeAll() { values.withLock { $0.removeAll() } }

    /// Waits up to `timeout` seconds until `predicate` holds for the recorded values.
    @discardableResult
    public func wait(timeout: Double = 5, until predicate: ([Value]) -> Bool) -> Bool {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if predicate(all) { return true }
            usleep(2_000)
        }
        return predicate(all)
    }
}

/// TCP sockets whose local port is `port` in one of `states` (hex codes of /proc/net/tcp:
/// 01 ESTABLISHED, 08 CLOSE_WAIT).
public func serverSideSockets(port: Int, states: Set<String>) -> Int {
    var count = 0
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let file = fopen(table, "r") else { continue }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let fields = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.split(separator: " ")
            guard fields.count > 3, let local = fields[1].split(separator: ":").last,
                  Int(local, radix: 16) == port else { continue }
            if states.contains(String(fields[3])) { count += 1 }
        }
    }
    return count
}
