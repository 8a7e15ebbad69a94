import WSKitContract
import WSKitRouter

/// Topics, publishing and rooms: connections subscribe to topics, anyone publishes typed messages
/// to them, and every subscriber — on this instance and, through a broker adapter, on every other
/// — receives them.
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, PubSubInstalled {
///     var messaging = MessagingPlugin()
///     var pubsub = PubSubPlugin(authorize: { access in
///         access.action == .subscribe || access.data(as: Session.self)?.isAdmin == true
///     })
/// }
/// router.on(Join.self) { ctx in
///     try await ctx.topics.subscribe("room:\(ctx.payload.room)")
///     await ctx.publish(Joined.self, .init(name: ctx.data.name), to: "room:\(ctx.payload.room)", options: .excludingSelf)
/// }
/// let runtime = try router.build(plugins: AppPlugins())
/// await runtime.pubsub.publish(Notice.self, .init(text: "maintenance at 5"), to: "all")
/// ```
///
/// - **Topics** (`ctx.topics`): subscribe, unsubscribe, has, list, batches, replace the set;
///   idempotent, normalised and validated (``TopicRules``), authorised (``authorize``), limited
///   per connection (``maxTopicsPerConnection``), all dropped when the connection closes (after
///   the application's `onClose` hooks, which still see them). Mutations throw ``PubSubError``.
/// - **Publishing** (`ctx.publish`, `runtime.pubsub.publish`): typed messages with optional meta,
///   ``PublishOptions`` (meta, exclusion by connection id so it holds across instances, the
///   mode: wait for the adapter or not); returns ``PublishResult``,
///   never throws. Subscribers receive `{"type","meta":{…,"timestamp"},"payload"}` — the topic is
///   not on the wire.
/// - **Rooms** (`ctx.room`, `runtime.pubsub.room`): a topic seen as a room — the members'
///   connection data, their count, broadcasts with or without the sender.
/// - **Fan-out**: each message is serialised and framed once and the same bytes go to every
///   subscriber, one hop per event loop; slow subscribers follow the server's backpressure policy
///   (ADR 0051).
public struct PubSubPlugin: RouterPlugin {
    /// Carries messages between instances (default: ``InMemoryPubSubAdapter``, one process).
    public var adapter: any PubSubAdapter
    /// Topic normalisation and validation.
    public var topicRules: TopicRules
    /// The most topics one connection may subscribe to (default 1,000).
    public var maxTopicsPerConnection: Int
    /// Decides subscriptions and publishes (`nil`: everything is allowed). Runs synchronously on
    /// the caller's thread, after validation; `false` refuses with `ACL_SUBSCRIBE` /
    /// `ACL_PUBLISH`.
    public var authorize: (@Sendable (TopicAccess) -> Bool)?
    /// Whether `ctx.publish` excludes the publishing connection when the call does not say
    /// (default `false`).
    public var excludeSelfByDefault: Bool
    /// The largest serialised message, in bytes (default 1 MiB); larger ones fail with
    /// `PAYLOAD_TOO_LARGE`.
    public var maxMessageBytes: Int
    /// Outbound validation of published payloads, overriding the router's; `nil` keeps it.
    public var outboundValidation: OutboundValidation?
    /// How many fan-out deliveries may wait for one event loop (default 65,536); beyond it they
    /// are dropped and counted (``PubSubStatistics/droppedHops``).
    public var maxQueuedDeliveriesPerLoop: Int
    /// Topics that keep history for recovery (``HistoryRule``; first match wins). Default none:
    /// no topic keeps history.
    public var history: [HistoryRule]
    /// Whether clients may subscribe and unsubscribe themselves with `$ws:subscribe` /
    /// `$ws:unsubscribe`, with a position to recover from (default `false`; docs/recovery.md).
    /// The ``authorize`` hook decides each subscription.
    public var clientSubscriptions: Bool
    /// Sees every adapter event (outages, recoveries, failed unawaited publishes), for logs.
    /// Failures also go to the router's `onError` hooks.
    public var onAdapterEvent: (@Sendable (PubSubAdapterEvent) -> Void)?

    /// Creates the plugin; every parameter has the documented default.
    public init(
        adapter: any PubSubAdapter = InMemoryPubSubAdapter(),
        topicRules: TopicRules = .default,
        maxTopicsPerConnection: Int = 1_000,
        authorize: (@Sendable (TopicAccess) -> Bool)? = nil,
        excludeSelfByDefault: Bool = false,
        maxMessageBytes: Int = 1 << 20,
        outboundValidation: OutboundValidation? = nil,
        maxQueuedDeliveriesPerLoop: Int = 65_536,
        onAdapterEvent: (@Sendable (PubSubAdapterEvent) -> Void)? = nil,
        history: [HistoryRule] = [],
        clientSubscriptions: Bool = false
    ) {
        self.history = history
        self.clientSubscriptions = clientSubscriptions
        self.adapter = adapter
        self.topicRules = topicRules
        self.maxTopicsPerConnection = maxTopicsPerConnection
        self.authorize = authorize
        self.excludeSelfByDefault = excludeSelfByDefault
        self.maxMessageBytes = maxMessageBytes
        self.outboundValidation = outboundValidation
        self.maxQueuedDeliveriesPerLoop = maxQueuedDeliveriesPerLoop
        self.onAdapterEvent = onAdapterEvent
    }

    /// Creates the router's ``PubSubHub`` (attached to the adapter), the per-connection state,
    /// and the hooks that bind each connection when it opens and drop its topics when it closes.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {
        if maxTopicsPerConnection < 1 { installation.fail("maxTopicsPerConnection must be at least 1") }
        if topicRules.maxLength < 1 { installation.fail("topicRules.maxLength must be at least 1") }
        if maxMessageBytes < 1 { installation.fail("maxMessageBytes must be at least 1") }
        if maxQueuedDeliveriesPerLoop < 1 { installation.fail("maxQueuedDeliveriesPerLoop must be at least 1") }
        for rule in history where rule.size < 1 { installation.fail("history rule \"\(rule.prefix)\": size must be at least 1") }
        for rule in history where (rule.ttl ?? .seconds(1)) <= .zero {
            installation.fail("history rule \"\(rule.prefix)\": ttl must be positive")
        }
        let hub = PubSubHub(configuration: self, clock: installation.clock)
        do {
            try adapter.attach(hub.makeIngress())
        } catch {
            installation.fail("the \(adapter.name) adapter cannot be attached: \(error)")
        }
        installation.routerState(hub)
        if clientSubscriptions { SubscribeMessages.install(into: installation, hub: hub) }
        installation.connectionState { PubSubConnectionState() }
        installation.onOpen { context in
            let connection = context.connection
            hub.bindRuntime(connection.runtime)
            guard let state = connection.state(PubSubConnectionState.self) else { return }
            hub.bind(state, connection: connection, data: { [weak connection] in connection?.data })
        }
        installation.onClose { context in
            guard let state = context.connection.state(PubSubConnectionState.self) else { return }
            hub.detach(state)
        }
    }
}
