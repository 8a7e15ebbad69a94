/// Where an adapter hands what the broker delivers to this instance: messages (fanned out to the
/// local subscribers) and events (outages, failures nobody awaited).
///
/// Thread-safe; call it from the adapter's I/O thread, in the broker's order. It holds its hub
/// weakly: once the router is gone, messages are dropped.
public final class PubSubIngress: Sendable {
    private weak let hub: PubSubHub?

    init(hub: PubSubHub) {
        self.hub = hub
    }

    /// Whether the hub behind it still exists.
    public var isAlive: Bool { hub != nil }

    /// Delivers a message to this instance's subscribers of its topic (except its
    /// ``PubSubMessage/excludeClientId``). Returns how many local subscribers it matched.
    @discardableResult
    public func deliver(_ message: PubSubMessage) -> Int {
        hub?.deliverInOrder(message) ?? 0
    }

    /// Delivers a message of a broker-kept stream with its position (``StreamingPubSubAdapter``):
    /// stamped with it, handed to this instance's subscribers and to the subscriptions recovering
    /// the topic. Returns how many local subscribers it matched.
    @discardableResult
    public func deliver(_ message: PubSubMessage, at position: StreamPosition) -> Int {
        hub?.deliverStamped(message, at: position) ?? 0
    }

    /// A sync marker of ``StreamingPubSubAdapter/history(of:rule:syncToken:)`` arrived (in the
    /// broker's order with the topic's publications).
    public func synced(topic: String, token: String) {
        hub?.streamSynced(topic: topic, token: token)
    }

    /// Reports an event (an outage, a failed unawaited publish).
    public func report(_ event: PubSubAdapterEvent) {
        hub?.report(event)
    }
}
