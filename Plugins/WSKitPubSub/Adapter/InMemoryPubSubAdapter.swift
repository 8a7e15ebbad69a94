/// The default adapter: one process, no broker. The hub delivers every publish to its local
/// subscribers itself; there are no other instances to reach, so publishing cannot fail here.
///
/// Stateless: one instance may serve any number of routers.
public final class InMemoryPubSubAdapter: PubSubAdapter {
    /// Creates the adapter.
    public init() {}

    /// `"memory"`.
    public var name: String { "memory" }
    /// No loopback: the hub delivers locally.
    public var loopsBack: Bool { false }
    /// Nothing arrives from elsewhere, so the ingress is not kept.
    public func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError) {}
    /// No broker to subscribe with.
    public func updateInterest(subscribe: [String], unsubscribe: [String]) {}
    /// Always confirmed.
    public func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError> { .success(()) }
    /// No other instance to reach.
    public func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError> {
        .success(PubSubAcknowledgement(instancesReached: nil))
    }
    /// No other instance to reach.
    public func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError> { .success(()) }
    /// Always.
    public var isAvailable: Bool { true }
    /// At once.
    public func ready(timeout: Duration) async -> Bool { true }
    /// Nothing to close.
    public func shutdown() async {}
}
