import Synchronization
import WSKitContract
import WSKitRouter

/// The pub/sub engine of one router: the index of this instance's subscribers (grouped by event
/// loop), the fan-out, and the bridge to the adapter.
///
/// Created by ``PubSubPlugin`` when the router is built and kept as router state; the APIs
/// (`ctx.topics`, `ctx.publish`, `runtime.pubsub`) drive it. All methods are thread-safe.
public final class PubSubHub: Sendable {
    /// The plugin's configuration.
    let configuration: PubSubPlugin
    /// The adapter.
    let adapter: any PubSubAdapter
    /// This instance's id (UUID v7), carried in published messages as their origin.
    public let instanceId: String
    let index = Mutex(TopicIndex())
    let counters = HubCounters()
    /// The router's metrics sink, once bound.
    let metrics = HubMetrics()
    /// Topics with history (``PubSubPlugin/history``).
    let streams: StreamStore
    /// The router's clock (history TTLs).
    let clock: any RouterClock
    private let runtimeHooks = Mutex<RuntimeHooks?>(nil)

    /// How the hub reaches its router: `onError` hooks and publish observers.
    struct RuntimeHooks: Sendable {
        let report: @Sendable (RouterErrorEvent) -> Void
        /// `nil` when the router has no observer (no record is built).
        let notify: (@Sendable (PublishRecord) -> Void)?
    }

    init(configuration: PubSubPlugin, clock: any RouterClock) {
        self.configuration = configuration
        self.clock = clock
        streams = StreamStore(rules: configuration.history, adapter: configuration.adapter)
        adapter = configuration.adapter
        instanceId = UUIDv7.make()
    }

    /// The ingress to give the adapter.
    func makeIngress() -> PubSubIngress { PubSubIngress(hub: self) }

    // MARK: Connections

    /// Creates the member of a connection that just opened (the plugin's open hook).
    func bind(_ state: PubSubConnectionState, connection: ConnectionCore, data: @escaping @Sendable () -> (any Sendable)?) {
        let frames = connection.encodedFrameTransport
        index.withLock { index in
            guard state.member == nil else { return }
            var mailbox: LoopMailbox?
            if let loop = frames?.deliveryLoop {
                mailbox = index.mailbox(for: loop, limit: configuration.maxQueuedDeliveriesPerLoop, counters: counters)
            }
            state.member = TopicMember(
                clientId: connection.clientId, frames: frames, connection: connection, mailbox: mailbox, data: data)
        }
    }

    /// Drops every subscription of a connection that closed (the plugin's close hook); later
    /// subscriptions fail with `CONNECTION_CLOSED`.
    func detach(_ state: PubSubConnectionState) {
        index.withLock { index in
            guard let member = state.member else { return }
            member.closed = true
            var gone: [String] = []
            for topic in member.order where index.remove(member, from: topic, updateOrder: false) == true {
                gone.append(topic)
            }
            member.order = []
            if !gone.isEmpty { adapter.updateInterest(subscribe: [], unsubscribe: gone) }
        }
    }

    // MARK: Reporting

    /// Connects the hub to its router's `onError` hooks and observers (at the first open or
    /// router-level API use; the first binding stays).
    func bindRuntime<ConnectionData: Sendable, Plugins: PluginSet>(_ runtime: RouterRuntime<ConnectionData, Plugins>) {
        metrics.bind(runtime.metrics)
        runtimeHooks.withLock { hooks in
            guard hooks == nil else { return }
            var notify: (@Sendable (PublishRecord) -> Void)?
            if runtime.isObserved { notify = { [weak runtime] record in runtime?.emit(record) } }
            hooks = RuntimeHooks(report: { [weak runtime] event in runtime?.report(event) }, notify: notify)
        }
    }

    /// Tells the router's observers about a publish.
    func notify(_ record: @autoclosure () -> PublishRecord) {
        guard let notify = runtimeHooks.withLock({ $0?.notify }) else { return }
        notify(record())
    }

    /// Passes an adapter event to ``PubSubPlugin/onAdapterEvent`` and, when it is a failure, to
    /// the router's `onError` hooks.
    func report(_ event: PubSubAdapterEvent) {
        configuration.onAdapterEvent?(event)
        guard event.isFailure, let hooks = runtimeHooks.withLock({ $0 }) else { return }
        hooks.report(RouterErrorEvent(phase: .plugin, error: event))
    }

    // MARK: Statistics

    /// Counters since the router was built.
    public var statistics: PubSubStatistics {
        let (topics, subscriptions) = index.withLock { ($0.topics.count, $0.subscriptions) }
        return PubSubStatistics(
            published: counters.published.load(ordering: .relaxed),
            received: counters.received.load(ordering: .relaxed),
            deliveries: counters.deliveries.load(ordering: .relaxed),
            droppedDeliveries: counters.droppedDeliveries.load(ordering: .relaxed),
            droppedHops: counters.droppedHops.load(ordering: .relaxed),
            failedPublishes: counters.failedPublishes.load(ordering: .relaxed),
            topics: topics, subscriptions: subscriptions)
    }

    /// Subscribers of `topic` (normalised) on this instance.
    func subscriberCount(of topic: String) -> Int {
        index.withLock { $0.topics[topic]?.count ?? 0 }
    }

    /// Topics with local subscribers, sorted.
    var activeTopics: [String] { index.withLock { Array($0.topics.keys) }.sorted() }

    /// The members of `topic` (normalised) in join order.
    func members(of topic: String) -> [TopicMember] {
        index.withLock { index -> [(UInt64, TopicMember)] in
            guard let entry = index.topics[topic] else { return [] }
            var result: [(UInt64, TopicMember)] = []
            result.reserveCapacity(entry.count)
            for group in entry.groups {
                for member in group.members { result.append((member.memberships[topic]?.sequence ?? 0, member)) }
            }
            return result
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
