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

    /// Reports an event (an outage, a failed unawaited publish).
    public func report(_ event: PubSubAdapterEvent) {
        hub?.report(event)
    }
}
