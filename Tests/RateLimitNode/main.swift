// A WSKit server whose messages are rate limited through Redis, for the two-process test in
// Tests/WSKitRateLimitRedisTests: several of these share one Redis and therefore one limit.
//
//   wskit-ratelimit-node --port 9001 --redis-port 6379 [--capacity 10] [--rate 0.01] [--prefix rl-test:]
//
// Prints `READY <port>` once the port accepts connections; `--port 0` (the default) picks a free
// port, so tests running in parallel cannot race for one.
//
// Connections name their user with `?user=`; `PING` is answered `PONG` unless rate limited
// (per user, shared by every node).
import CWSKitShims
import Glibc
import WSKit
import WSKitMessaging
import WSKitRateLimit
import WSKitRateLimitRedis
import WSKitRedis
import WSKitValidation

struct Member: Sendable, RateLimitIdentifiable {
    var user: String
    var rateLimitUserId: String? { user }
}

struct Ping: Message {
    struct Payload: Codable, Sendable { var n: Int }
    static let type = "PING"
}

struct Pong: Message {
    struct Payload: Codable, Sendable { var n: Int; var node: Int }
    static let type = "PONG"
}

struct NodePlugins: MessagingInstalled, RateLimitInstalled {
    var messaging = MessagingPlugin()
    var rateLimit: RateLimitPlugin<Member>
}

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    let line = Array("wskit-ratelimit-node: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

let port = argument("--port").flatMap(Int.init) ?? 0
guard let redisPort = argument("--redis-port").flatMap(Int.init) else { fail("--redis-port is required") }
let policy = RateLimitPolicy(
    capacity: argument("--capacity").flatMap(Int.init) ?? 10,
    tokensPerSecond: argument("--rate").flatMap(Double.init) ?? 0.01,
    prefix: argument("--prefix") ?? "rl-node:")
let node = argument("--node").flatMap(Int.init) ?? 0

/// Connects to Redis on a thread of its own (the main thread has no executor to wait on).
func connectRedis() -> RedisConnection {
    final class Box: @unchecked Sendable { var result: Result<RedisConnection, any Error>? }
    let box = Box()
    let done = DispatchlessSemaphore()
    Task {
        do { box.result = .success(try await RedisConnection.connect(RedisConfiguration(port: redisPort))) }
        catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    switch box.result {
    case .success(let connection): return connection
    case .failure(let error): fail("cannot connect to Redis: \(error)")
    case nil: fail("no Redis result")
    }
}

/// A semaphore without Foundation or Dispatch.
final class DispatchlessSemaphore: @unchecked Sendable {
    private var semaphore = sem_t()
    init() { sem_init(&semaphore, 0, 0) }
    func signal() { sem_post(&semaphore) }
    func wait() { while sem_wait(&semaphore) != 0 {} }
}

let redis = connectRedis()
let limiter = RedisRateLimiter(redis, policy: policy, outage: .failClosed)
let router = Router<Member, NodePlugins>()
router.on(Ping.self) { ctx in ctx.send(Pong.self, .init(n: ctx.payload.n, node: node)) }
let runtime: RouterRuntime<Member, NodePlugins>
do {
    runtime = try router.build(plugins: NodePlugins(rateLimit: RateLimitPlugin(limiter: limiter, key: .perUser)))
} catch {
    fail("\(error)")
}
var configuration = ServerConfiguration(port: port, loopCount: 1)
configuration.logger = NoLogger()
let server = WebSocketServer(configuration: configuration, router: runtime) { request in
    .accept(Member(user: request.head.queryValue("user") ?? "anonymous"))
}
// SIGINT/SIGTERM → graceful shutdown (what `server.run()` does, with the READY line once the
// port accepts connections).
let signals = cwskit_shutdown_signal_fd()
do {
    try server.start()
} catch {
    fail("\(error)")
}
let ready = Array("READY \(server.port)\n".utf8)
_ = ready.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
_ = cwskit_wait_readable(signals, -1)
server.shutdown()
