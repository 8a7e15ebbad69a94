import Synchronization

/// A broker inside one process: several routers ("instances") exchange published messages
/// through it with the same semantics as a network broker — loopback to the publisher, delivery
/// only to instances with interest in the topic, `excludeSelf` by connection id across
/// instances, and simulated outages.
///
/// Meant for tests of multi-instance behaviour without Redis:
/// ```swift
/// let broker = InMemoryPubSubBroker()
/// let a = try TestHarness(router, plugins: AppPlugins(pubsub: PubSubPlugin(adapter: broker.makeAdapter())))
/// let b = try TestHarness(router, plugins: AppPlugins(pubsub: PubSubPlugin(adapter: broker.makeAdapter())))
/// ```
public final class InMemoryPubSubBroker: Sendable {
    private struct State {
        var adapters: [Weak] = []
        var available = true
    }

    private struct Weak: @unchecked Sendable {
        weak var adapter: InMemoryBrokerAdapter?
    }

    private let state = Mutex(State())

    /// Creates a broker.
    public init() {}

    /// A new instance's adapter (attach it to one router).
    public func makeAdapter() -> any PubSubAdapter {
        let adapter = InMemoryBrokerAdapter(broker: self)
        state.withLock { state in
            state.adapters.removeAll { $0.adapter == nil }
            state.adapters.append(Weak(adapter: adapter))
        }
        return adapter
    }

    /// Whether the broker is reachable; set it to `false` to simulate an outage (publishes fail
    /// with `unavailable`, interest is kept and applies again once it is back).
    public var isAvailable: Bool {
        get { state.withLock { $0.available } }
        set {
            let adapters = state.withLock { state -> [InMemoryBrokerAdapter] in
                let changed = state.available != newValue
                state.available = newValue
                return changed ? state.adapters.compactMap(\.adapter) : []
            }
            for adapter in adapters {
                adapter.report(newValue ? .reconnected(adapter: adapter.name) : .disconnected(adapter: adapter.name, reason: "simulated outage"))
            }
        }
    }

    /// Hands `message` to every instance with interest in its topic (the publisher included),
    /// synchronously, in order; returns how many instances got it.
    func route(_ message: PubSubMessage) -> Result<Int, PubSubAdapterError> {
        let targets = state.withLock { state -> [InMemoryBrokerAdapter]? in
            guard state.available else { return nil }
            return state.adapters.compactMap(\.adapter)
        }
        guard let targets else { return .failure(PubSubAdapterError(.unavailable, adapter: "memory-broker", "broker unavailable")) }
        var reached = 0
        for target in targets where target.isInterested(in: message.topic) {
            reached += 1
            target.receive(message)
        }
        return .success(reached)
    }
}

/// One instance's connection to an ``InMemoryPubSubBroker``.
final class InMemoryBrokerAdapter: PubSubAdapter {
    private struct State {
        var ingress: PubSubIngress?
        var interest: Set<String> = []
    }

    private let broker: InMemoryPubSubBroker
    private let state = Mutex(State())

    init(broker: InMemoryPubSubBroker) {
        self.broker = broker
    }

    var name: String { "memory-broker" }
    var loopsBack: Bool { true }

    func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError) {
        let attached = state.withLock { state -> Bool in
            if let existing = state.ingress, existing.isAlive { return false }
            state.ingress = ingress
            return true
        }
        if !attached { throw PubSubAdapterError(.closed, adapter: name, "this adapter already serves another router") }
    }

    func updateInterest(subscribe: [String], unsubscribe: [String]) {
        state.withLock { state in
            for topic in unsubscribe { state.interest.remove(topic) }
            for topic in subscribe { state.interest.insert(topic) }
        }
    }

    func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError> { .success(()) }

    func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError> {
        broker.route(message).map { PubSubAcknowledgement(instancesReached: $0) }
    }

    func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError> {
        broker.route(message).map { _ in () }
    }

    var isAvailable: Bool { broker.isAvailable }

    func ready(timeout: Duration) async -> Bool { broker.isAvailable }

    func shutdown() async {
        state.withLock { $0 = State() }
    }

    func isInterested(in topic: String) -> Bool { state.withLock { $0.interest.contains(topic) } }

    func receive(_ message: PubSubMessage) {
        state.withLock { $0.ingress }?.deliver(message)
    }

    func report(_ event: PubSubAdapterEvent) {
        state.withLock { $0.ingress }?.report(event)
    }
}
