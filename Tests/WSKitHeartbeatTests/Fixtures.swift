import Synchronization
import WSKitContract
import WSKitHeartbeat
import WSKitMessaging
import WSKitRouter
import WSKitValidation

struct Note: Message {
    struct Payload: Codable, Sendable { var text: String }
    static let type = "NOTE"
}

struct HeartbeatPlugins: MessagingInstalled {
    var messaging = MessagingPlugin()
    var heartbeat: HeartbeatPlugin
}

/// Collects values from callbacks.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// What a test keeps of an `onStale` call. Not the `StaleConnection` itself: its `connection`
/// holds the router, whose plugin holds the `onStale` closure that would hold the record, a
/// cycle that keeps the router (and on a server, the event loops) alive after the test.
struct StaleEvent: Sendable {
    var clientId: String
    /// The `clientId` of the event's `connection`.
    var connectionClientId: String
    var silentFor: Duration
    var wasPinged: Bool

    init(_ stale: StaleConnection) {
        clientId = stale.clientId
        connectionClientId = stale.connection.clientId
        silentFor = stale.silentFor
        wasPinged = stale.wasPinged
    }
}

/// The tests' router: NOTE handlers and middleware are logged; closes are recorded.
func heartbeatRouter(log: Collected<String>, closes: Collected<(String, UInt16, String)>) -> Router<Void, HeartbeatPlugins> {
    let router = Router<Void, HeartbeatPlugins>()
    router.use { ctx, next in
        log.append("middleware \(ctx.messageType)")
        try await next()
    }
    router.on(Note.self) { ctx in log.append("handler \(ctx.payload.text)") }
    router.onClose { ctx in closes.append((ctx.clientId, ctx.code, ctx.reason)) }
    return router
}
