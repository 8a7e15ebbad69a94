import Synchronization

/// The hub's counters (relaxed atomics; read with ``PubSubHub/statistics``).
package final class HubCounters: Sendable {
    let published = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    package let deliveries = Atomic<Int>(0)
    package let droppedDeliveries = Atomic<Int>(0)
    package let droppedHops = Atomic<Int>(0)
    let failedPublishes = Atomic<Int>(0)

    package init() {}
}

/// Counters of one router's pub/sub, since it was built.
public struct PubSubStatistics: Sendable, Hashable {
    /// Messages published through this router (accepted).
    public var published: Int
    /// Messages fanned out to this instance's subscribers (local publishes, and with a broker
    /// every message that arrived through it).
    public var received: Int
    /// Frames handed to subscribers (one per subscriber per message).
    public var deliveries: Int
    /// Of those, frames a connection did not take: it was closing, or over its buffer limit (the
    /// server's backpressure policy applied).
    public var droppedDeliveries: Int
    /// Deliveries to a loop dropped because that loop's queue was full (or the loop was gone).
    public var droppedHops: Int
    /// Publishes that failed.
    public var failedPublishes: Int
    /// Topics with at least one local subscriber.
    public var topics: Int
    /// Local subscriptions (connection–topic pairs).
    public var subscriptions: Int
}
