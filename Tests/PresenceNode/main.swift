// A WSKit server instance with presence through Redis, for the two-process tests in
// Tests/WSKitPresenceTests: several of these share one Redis and therefore one presence.
//
//   wskit-presence-node --port 0 --redis-port 6379 [--lease-ms 15000] [--heartbeat-ms 5000] [--prefix p:]
//
// Prints `READY <port> <instance id>` once the port accepts connections (`--port 0` picks a free
// port). A connection `/?user=ada&device=phone&room=lobby&watch=1` is tracked in `room` under
// `user` with `{"device": …}` and, with `watch=1`, subscribed to the room's presence.
// `{"type":"STATUS","payload":{"status":"away"}}` updates its meta.
import CWSKitShims
import Glibc
import WSKit
import WSKitMessaging
import WSKitPresence
import WSKitPresenceRedis
import WSKitRedis
import WSKitValidation

struct Visitor: Sendable {
    var user: String
    var device: String
    var room: String
    var watch: Bool
}

struct SetStatus: Message {
    struct Payload: Codable, Sendable { var status: String }
    static let type = "STATUS"
}

struct NodePlugins: MessagingInstalled, PresenceInstalled {
    var messaging = MessagingPlugin()
    var presence: PresencePlugin
}

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    let line = Array("wskit-presence-node: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

let port = argument("--port").flatMap(Int.init) ?? 0
guard let redisPort = argument("--redis-port").flatMap(Int.init) else { fail("--redis-port is required") }
let lease = Duration.milliseconds(argument("--lease-ms").flatMap(Int.init) ?? 15_000)
let heartbeat = Duration.milliseconds(argument("--heartbeat-ms").flatMap(Int.init) ?? 5_000)
let store = RedisPresenceStore(configuration: RedisConfiguration(port: redisPort), prefix: argument("--prefix") ?? "p:")

let router = Router<Visitor, NodePlugins>()
router.onOpen { ctx in
    try await ctx.presence.track(ctx.data.room, key: ctx.data.user, meta: ["device": .string(ctx.data.device)])
    if ctx.data.watch { try await ctx.presence.subscribe(ctx.data.room) }
}
router.on(SetStatus.self) { ctx in
    try await ctx.presence.update(ctx.data.room, meta: ["device": .string(ctx.data.device), "status": .string(ctx.payload.status)])
}
let runtime: RouterRuntime<Visitor, NodePlugins>
do {
    runtime = try router.build(plugins: NodePlugins(presence: PresencePlugin(store: store, lease: lease, heartbeatInterval: heartbeat)))
} catch {
    fail("\(error)")
}

/// Waits for Redis on a thread of its own (the main thread has no executor to wait on).
final class Semaphore: @unchecked Sendable {
    private var semaphore = sem_t()
    init() { sem_init(&semaphore, 0, 0) }
    func signal() { sem_post(&semaphore) }
    func wait() { while sem_wait(&semaphore) != 0 {} }
}

final class Flag: @unchecked Sendable { var value = false }

/// Runs `body` on the global executor and blocks this (the main) thread until it is done.
func blockOn(_ body: @escaping @Sendable () async -> Bool) -> Bool {
    let done = Semaphore()
    let result = Flag()
    Task.detached {
        result.value = await body()
        done.signal()
    }
    done.wait()
    return result.value
}

let presence = runtime.presence
guard blockOn({ await presence.ready(timeout: .seconds(10)) }) else { fail("cannot connect to Redis on port \(redisPort)") }

var configuration = ServerConfiguration(port: port, loopCount: 1)
configuration.logger = NoLogger()
let server = WebSocketServer(configuration: configuration, router: runtime) { request in
    .accept(Visitor(
        user: request.head.queryValue("user") ?? "anonymous", device: request.head.queryValue("device") ?? "web",
        room: request.head.queryValue("room") ?? "lobby", watch: request.head.queryValue("watch") == "1"))
}
let signals = cwskit_shutdown_signal_fd()
do {
    try server.start()
} catch {
    fail("\(error)")
}
let ready = Array("READY \(server.port) \(runtime.presence.instanceId)\n".utf8)
_ = ready.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
_ = cwskit_wait_readable(signals, -1)
server.shutdown()
// Graceful: this instance's entries leave at once instead of at the end of the lease.
_ = blockOn {
    await presence.shutdown()
    return true
}
