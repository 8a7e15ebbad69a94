import Synchronization
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRateLimit
import WSKitRouter
import WSKitValidation

/// Connection data with a user, so the default key limits users.
struct User: Sendable, RateLimitIdentifiable {
    var id: String?
    var tenant: String?
    var rateLimitUserId: String? { id }
    var rateLimitTenantId: String? { tenant }
}

struct Chat: Message {
    struct Payload: Codable, Sendable { var text: String }
    static let type = "CHAT"
}

struct Typing: Message {
    typealias Payload = Empty
    static let type = "TYPING"
}

struct Upload: Message {
    struct Payload: Codable, Sendable { var size: Int }
    static let type = "UPLOAD"
}

struct Echoed: Message {
    struct Payload: Codable, Sendable { var text: String }
    static let type = "ECHOED"
}

struct Lookup: RPC {
    struct Payload: Codable, Sendable { var id: String }
    typealias Response = Found.Payload
    static let responseType = Found.type
    static let type = "LOOKUP"
}

struct Found: Message {
    struct Payload: Codable, Sendable { var id: String }
    static let type = "FOUND"
}

/// Counts handler runs per message type.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func hit(_ type: String) { counts.withLock { $0[type, default: 0] += 1 } }
    subscript(_ type: String) -> Int { counts.withLock { $0[type] ?? 0 } }
}

/// Collects values from callbacks.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// A limiter that always fails, like a shared store that is down and fails closed.
struct BrokenLimiter: RateLimiter {
    let policy = RateLimitPolicy(capacity: 5, tokensPerSecond: 1)
    func consume(_ key: String, cost: Int, nowMs: Int64) async throws(RateLimiterError) -> RateLimitDecision {
        throw .unavailable("store is down")
    }
}

/// A limiter that records the keys and times it is asked about, and allows everything.
final class RecordingLimiter: RateLimiter {
    let policy: RateLimitPolicy
    let calls = Collected<(key: String, cost: Int, nowMs: Int64)>()
    init(policy: RateLimitPolicy = RateLimitPolicy(capacity: 100, tokensPerSecond: 1)) { self.policy = policy }
    func consume(_ key: String, cost: Int, nowMs: Int64) async throws(RateLimiterError) -> RateLimitDecision {
        calls.append((key, cost, nowMs))
        return .allowed(remaining: policy.capacity - cost)
    }
}

/// Plugin sets of the tests: messaging and RPC, with a rate limit whose configuration each test
/// chooses.
struct LimitedPlugins: MessagingInstalled, RPCInstalled, RateLimitInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
    var rateLimit: RateLimitPlugin<User>
}

/// The router of most tests: CHAT echoes, TYPING and UPLOAD count, LOOKUP replies.
func limitedRouter(_ counter: Counter, log: Collected<String>? = nil) -> Router<User, LimitedPlugins> {
    let router = Router<User, LimitedPlugins>()
    router.use { ctx, next in
        log?.append("app middleware \(ctx.messageType)")
        try await next()
    }
    router.on(Chat.self) { ctx in
        counter.hit(Chat.type)
        ctx.send(Echoed.self, .init(text: ctx.payload.text))
    }
    router.on(Typing.self) { _ in counter.hit(Typing.type) }
    router.on(Upload.self) { _ in counter.hit(Upload.type) }
    router.rpc(Lookup.self) { ctx in
        counter.hit(Lookup.type)
        ctx.reply(.init(id: ctx.payload.id))
    }
    return router
}

extension WireError {
    /// `details[key]` as an integer.
    func detail(_ key: String) -> Int? { details?[key]?.doubleValue.map { Int($0) } }
}
