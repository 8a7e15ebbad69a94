/// Carries published messages between server instances: the seam between the pub/sub plugin's
/// local index and a broker (ADR 0050).
///
/// The plugin (its ``PubSubHub``) always keeps the index of *local* subscribers and does the
/// local fan-out — one encoded frame per message, one hop per event loop. An adapter only moves
/// ``PubSubMessage``s between instances:
///
/// - **Publishing.** ``publish(_:)`` (awaits the broker's acknowledgement) or ``post(_:)`` (does
///   not wait; only failures known at once are returned, later ones go to
///   ``PubSubIngress/report(_:)``). Both keep the call order of one caller.
/// - **Ingress.** Messages that reach this instance from the broker are handed to the
///   ``PubSubIngress`` given to ``attach(_:)``, in the broker's order.
/// - **Loopback.** When ``loopsBack`` is `true` the broker brings every message back to the
///   instance that published it, and the hub delivers to local subscribers only what arrives
///   through the ingress (one delivery path, the broker's order everywhere, nothing delivered when
///   the publish failed). When it is `false` the hub delivers locally itself and the adapter only
///   reaches other instances (the in-process adapter reaches none).
/// - **Interest.** The hub reports which topics have local subscribers
///   (``updateInterest(subscribe:unsubscribe:)``, called in the order of the changes); a broker
///   adapter subscribes to exactly those, and restores them after a reconnect.
///   ``confirmInterest(_:)`` waits until the broker confirmed them, so that a subscription that
///   returned receives every message published after it.
///
/// Implementations: ``InMemoryPubSubAdapter`` (the default, one process),
/// ``InMemoryPubSubBroker`` (several hubs in one process, with loopback, for tests), and
/// `RedisPubSubAdapter` in `WSKitPubSubRedis`.
public protocol PubSubAdapter: AnyObject, Sendable {
    /// A short name for results and logs (`"memory"`, `"redis"`).
    var name: String { get }

    /// Whether every published message comes back through the ingress (see the type's
    /// documentation).
    var loopsBack: Bool { get }

    /// Connects the hub's ingress. Called once per hub, when the router is built; an adapter that
    /// can serve only one hub throws for a second live one.
    func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError)

    /// Local subscribers appeared for `subscribe` (first one) or left `unsubscribe` (last one).
    /// Called with the hub's lock held, in the order of the changes: record the change and return
    /// at once; never call back into the hub.
    func updateInterest(subscribe: [String], unsubscribe: [String])

    /// Waits until the broker confirmed interest in `topics` (at once for topics already
    /// confirmed). While the broker is unreachable it returns success at once: the interest is
    /// recorded and restored on reconnect. A failure makes the subscription fail
    /// (`ADAPTER_ERROR`) and the hub roll it back.
    func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError>

    /// Publishes to every instance and waits for the broker's acknowledgement.
    func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError>

    /// Publishes without waiting. Returns a failure known at once (the broker is down, too many
    /// publishes in flight); a failure found later is reported through
    /// ``PubSubIngress/report(_:)``.
    func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError>

    /// Whether the broker is reachable right now (always `true` in process).
    var isAvailable: Bool { get }

    /// Waits until the broker is reachable and the interest is in place, or `timeout` passes;
    /// returns whether it is.
    func ready(timeout: Duration) async -> Bool

    /// Disconnects from the broker; later publishes fail.
    func shutdown() async
}

/// What a broker said about a publish.
public struct PubSubAcknowledgement: Sendable, Hashable {
    /// How many instances (broker subscriptions) the broker handed the message to — Redis'
    /// `PUBLISH` reply — or `nil` when the adapter cannot tell.
    public var instancesReached: Int?

    /// Creates an acknowledgement.
    public init(instancesReached: Int? = nil) {
        self.instancesReached = instancesReached
    }
}
