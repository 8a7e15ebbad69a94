import WSKitContract
import WSKitRouter

/// The router-level pub/sub API (`runtime.pubsub`): publish from anywhere — lifecycle hooks,
/// timers, other threads, other services — plus rooms, counts, readiness and shutdown.
///
/// ```swift
/// let runtime = try router.build(plugins: AppPlugins())
/// guard await runtime.pubsub.ready() else { fatalError("broker unreachable") }
/// let result = await runtime.pubsub.publish(Notice.self, .init(text: "hi"), to: "all")
/// ```
/// Server-side publishes have no publishing connection: the authorisation hook sees
/// `clientId == nil`, and ``PublishOptions/excluding(_:)`` names a connection to skip (on every
/// instance).
public struct PubSub<ConnectionData: Sendable, Plugins: PubSubInstalled>: Sendable {
    /// The router.
    public let runtime: RouterRuntime<ConnectionData, Plugins>
    @usableFromInline let hub: PubSubHub?

    init(runtime: RouterRuntime<ConnectionData, Plugins>) {
        self.runtime = runtime
        hub = runtime.state(PubSubHub.self)
        hub?.bindRuntime(runtime)
    }

    // MARK: Publishing

    /// Publishes an `M` to every subscriber of `topic` (every instance).
    ///
    /// - Parameter options: meta, a connection to skip (``PublishOptions/excluding(_:)``, for
    ///   example the one a server-side action is about), and whether to wait for the adapter's
    ///   acknowledgement (``PublishMode/acknowledged``, the default) or not
    ///   (``PublishMode/immediate``).
    /// - Returns: the local subscribers matched (and, with Redis and
    ///   ``PublishMode/acknowledged``, the instances reached), or a typed failure; never throws.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, options: PublishOptions = PublishOptions()
    ) async -> PublishResult {
        guard let hub else { return PubSubHub.notInstalled(topic) }
        switch encode(M.self, payload, topic: topic) {
        case let .success(json):
            return await hub.publish(
                .envelope(type: M.type, payload: json, meta: options.meta), to: topic, timestamp: runtime.clock.nowMs,
                exclude: options.excludedClientId(sender: nil, excludesSenderByDefault: false), publisher: nil,
                mode: options.mode)
        case let .failure(error): return hub.failure(error)
        }
    }

    /// Publishes an `M` without payload; see ``publish(_:_:to:options:)``.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, to topic: String, options: PublishOptions = PublishOptions()
    ) async -> PublishResult where M.Payload == Empty {
        await publish(M.self, Empty(), to: topic, options: options)
    }

    /// ``publish(_:_:to:options:)`` from synchronous code (a timer, a callback, an event loop):
    /// never suspends, so the mode is always ``PublishMode/immediate`` (`options.mode` is not
    /// read).
    ///
    /// With the in-process adapter the local subscribers have been handed the message (or queued
    /// for their loops) when it returns. With a broker adapter the publish is started and only
    /// failures known at once (the broker is down, too many publishes in flight) are returned;
    /// later ones are reported to `onError` and ``PubSubPlugin/onAdapterEvent``. Publishes from
    /// one thread keep their order.
    @inlinable @discardableResult
    public func publishNow<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, options: PublishOptions = PublishOptions()
    ) -> PublishResult {
        guard let hub else { return PubSubHub.notInstalled(topic) }
        switch encode(M.self, payload, topic: topic) {
        case let .success(json):
            return hub.submit(
                .envelope(type: M.type, payload: json, meta: options.meta), to: topic, timestamp: runtime.clock.nowMs,
                exclude: options.excludedClientId(sender: nil, excludesSenderByDefault: false), publisher: nil,
                mode: .immediate).settledResult
        case let .failure(error): return hub.failure(error)
        }
    }

    /// Publishes an `M` without payload without suspending; see ``publishNow(_:_:to:options:)``.
    @inlinable @discardableResult
    public func publishNow<M: Message>(
        _ type: M.Type, to topic: String, options: PublishOptions = PublishOptions()
    ) -> PublishResult where M.Payload == Empty {
        publishNow(M.self, Empty(), to: topic, options: options)
    }

    @inlinable
    func encode<M: Message>(_ type: M.Type, _ payload: M.Payload, topic: String) -> Result<JSONValue?, PublishError> {
        do {
            let validation = runtime.plugins.pubsub.outboundValidation ?? runtime.options.outboundValidation
            return .success(try M.encodePayload(payload, validation: validation))
        } catch {
            return .failure(PublishError(.validation, topic: topic, message: "The \(M.type) payload is invalid: \(error)"))
        }
    }

    /// Publishes raw bytes — not an envelope — as one text (`binary: false`, must be UTF-8) or
    /// binary frame. For bridges and non-JSON protocols; typed messages are the everyday case.
    /// `options.meta` does not apply (there is no envelope).
    @discardableResult
    public func publish(raw bytes: [UInt8], binary: Bool, to topic: String, options: PublishOptions = PublishOptions()) async -> PublishResult {
        guard let hub else { return PubSubHub.notInstalled(topic) }
        return await hub.publish(
            .raw(bytes, binary: binary), to: topic, timestamp: 0,
            exclude: options.excludedClientId(sender: nil, excludesSenderByDefault: false), publisher: nil, mode: options.mode)
    }

    /// ``publish(raw:binary:to:options:)`` without suspending (see
    /// ``publishNow(_:_:to:options:)``); `bytes` are copied once. This is what `wskit-echo`'s
    /// `/bcast` does with every message it receives.
    @discardableResult
    public func publishNow(
        raw bytes: UnsafeRawBufferPointer, binary: Bool, to topic: String, options: PublishOptions = PublishOptions()
    ) -> PublishResult {
        guard let hub else { return PubSubHub.notInstalled(topic) }
        return hub.submit(
            .raw(Array(bytes), binary: binary), to: topic, timestamp: 0,
            exclude: options.excludedClientId(sender: nil, excludesSenderByDefault: false), publisher: nil,
            mode: .immediate).settledResult
    }

    // MARK: Topics and rooms

    /// A room: its members' data on this instance, and broadcasts.
    public func room(_ name: String) -> Room<ConnectionData, Plugins> { Room(name: name, runtime: runtime) }

    /// Subscribers of `topic` on this instance.
    public func subscriberCount(of topic: String) -> Int {
        guard let hub else { return 0 }
        return hub.subscriberCount(of: hub.configuration.topicRules.normalize(topic))
    }

    /// Topics with at least one subscriber on this instance, sorted.
    public var activeTopics: [String] { hub?.activeTopics ?? [] }

    // MARK: Operations

    /// Counters since the router was built.
    public var statistics: PubSubStatistics {
        hub?.statistics ?? PubSubStatistics(
            published: 0, received: 0, deliveries: 0, droppedDeliveries: 0, droppedHops: 0, failedPublishes: 0,
            topics: 0, subscriptions: 0)
    }

    /// This instance's id (carried as the origin of its messages).
    public var instanceId: String { hub?.instanceId ?? "" }

    /// The adapter's name.
    public var adapterName: String { hub?.adapter.name ?? "none" }

    /// Whether the adapter's broker is reachable now.
    public var isAvailable: Bool { hub?.adapter.isAvailable ?? false }

    /// Waits until the adapter is connected (at once in process); `false` after `timeout`.
    /// Call it before serving traffic when a broker is required.
    public func ready(timeout: Duration = .seconds(5)) async -> Bool {
        await hub?.adapter.ready(timeout: timeout) ?? false
    }

    /// Disconnects the adapter (after the server stopped): later publishes fail.
    public func shutdown() async {
        await hub?.adapter.shutdown()
    }
}

extension RouterRuntime where Plugins: PubSubInstalled {
    /// The router-level pub/sub API: publish from anywhere, rooms, counts, readiness.
    public var pubsub: PubSub<ConnectionData, Plugins> { PubSub(runtime: self) }
}
