import Hummingbird
import HummingbirdWebSocket
import Synchronization

/// A Hummingbird request context that can carry a WSKit upgrade decision from the route's upgrade
/// check to the WebSocket handler (Hummingbird hands the handler the context as it was then).
///
/// Use ``BasicWSKitRequestContext``, or add a ``WSKitUpgradeSlot`` to your own context.
public protocol WSKitRequestContext: WebSocketRequestContext {
    /// Where ``Hummingbird/RouterMethods/wskit(_:host:maxMessageSize:)`` keeps the accepted upgrade.
    var wskitUpgrade: WSKitUpgradeSlot { get }
}

/// The default request context for an application that hosts a WSKit router on Hummingbird.
public struct BasicWSKitRequestContext: RequestContext, WSKitRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The WebSocket handler reference Hummingbird's upgrade uses.
    public let webSocket: WebSocketHandlerReference<Self>
    /// The accepted WSKit upgrade, if any.
    public let wskitUpgrade: WSKitUpgradeSlot

    /// A context for one request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.wskitUpgrade = WSKitUpgradeSlot()
    }
}

/// A box, shared by copies of one request's context, holding the accepted upgrade until the
/// WebSocket handler takes it.
public final class WSKitUpgradeSlot: Sendable {
    private let value = Mutex<(any Sendable)?>(nil)

    /// An empty slot.
    public init() {}

    func store(_ accepted: any Sendable) { value.withLock { $0 = accepted } }

    func take<Value>(_ type: Value.Type) -> Value? {
        value.withLock { stored in
            defer { stored = nil }
            return stored as? Value
        }
    }
}
