import Synchronization
import WSKitPubSub
import WSKitRedis

/// Carries pub/sub across server instances through Redis (ADR 0050).
///
/// Every instance keeps its own index of local subscribers; Redis only moves messages:
/// - **Publishing** is `PUBLISH <prefix><topic> <message>`, the message being
///   ``PubSubMessage/encoded()`` (a small binary header — excluded connection id, origin — and the
///   body serialised once by the publisher). The reply (how many instances received it) is in the
///   ``PublishReceipt``.
/// - **Interest.** An instance `SUBSCRIBE`s to `<prefix><topic>` while it has at least one local
///   subscriber of the topic, and `UNSUBSCRIBE`s when the last one leaves; a new local
///   subscription returns once Redis confirmed it. The subscriber connection restores every
///   subscription after a reconnect.
/// - **Loopback.** Redis delivers each message to every subscribed instance, the publisher
///   included, in one order per channel; each instance frames it once and fans it out to its local
///   subscribers, skipping the excluded connection id — so `excludeSelf` holds across instances
///   when connection ids are instance-independent (UUID v7, or an application id).
/// - **Outages.** Redis being unreachable makes publishes fail at once with `unavailable`
///   (``PublishError/Code/adapterError``, retryable; nothing was delivered anywhere), and is
///   reported through ``PubSubPlugin/onAdapterEvent`` and the router's `onError` hooks
///   (`disconnected`, then `reconnected`). Messages published meanwhile are lost (Redis pub/sub is
///   at most once); subscriptions made meanwhile take effect on reconnect.
///
/// Two Redis connections per instance (commands and subscriber), each with its own I/O thread.
/// An adapter serves one router.
public final class RedisPubSubAdapter: PubSubAdapter {
    /// The Redis configuration both connections use.
    public let configuration: RedisConfiguration
    /// Prepended to every topic to form its channel (default `"wskit:pubsub:"`).
    public let channelPrefix: String
    /// The most unacknowledged publishes at once; more fail with `overloaded` (retryable).
    public let maxInFlightPublishes: Int

    let connection: RedisConnection
    let subscriber: RedisSubscriber
    let relay: RedisRelay
    private let state = Mutex(State())
    private let inFlight = Atomic<Int>(0)

    private struct State {
        var pending: [String: InterestConfirmation] = [:]
        var monitors: [Task<Void, Never>] = []
    }

    /// Creates the adapter and starts connecting both connections in the background (check with
    /// `runtime.pubsub.ready()`).
    public init(configuration: RedisConfiguration, channelPrefix: String = "wskit:pubsub:", maxInFlightPublishes: Int = 10_000) {
        self.configuration = configuration
        self.channelPrefix = channelPrefix
        self.maxInFlightPublishes = maxInFlightPublishes
        let relay = RedisRelay(channelPrefix: channelPrefix)
        self.relay = relay
        connection = RedisConnection(configuration: configuration)
        subscriber = RedisSubscriber(configuration: configuration) { message in relay.receive(message) }
    }

    deinit {
        for monitor in state.withLock({ $0.monitors }) { monitor.cancel() }
        connection.close()
        subscriber.close()
    }

    /// `"redis"`.
    public var name: String { "redis" }

    /// Redis brings every message back to its publisher.
    public var loopsBack: Bool { true }

    /// Connects the hub's ingress and starts watching both connections for outages.
    public func attach(_ ingress: PubSubIngress) throws(PubSubAdapterError) {
        guard relay.attach(ingress) else {
            throw PubSubAdapterError(.closed, adapter: name, "this adapter already serves another router")
        }
        let watch = RedisOutageWatch(connection: connection, subscriber: subscriber, relay: relay)
        let (publisherChanges, subscriberChanges) = (connection.stateChanges(), subscriber.stateChanges())
        let monitors = [
            Task { await watch.follow(publisherChanges, role: "publisher") },
            Task { await watch.follow(subscriberChanges, role: "subscriber") },
        ]
        state.withLock { $0.monitors += monitors }
    }

    // MARK: Interest

    /// `SUBSCRIBE`s the first-subscriber topics and `UNSUBSCRIBE`s the last-subscriber ones, in
    /// call order (each command is queued before this returns).
    public func updateInterest(subscribe: [String], unsubscribe: [String]) {
        if !unsubscribe.isEmpty {
            let channels = unsubscribe.map(channel)
            let subscriber = subscriber
            Task.immediate { try? await subscriber.unsubscribe(channels) }
        }
        guard !subscribe.isEmpty else { return }
        let confirmation = InterestConfirmation()
        state.withLock { state in
            for topic in subscribe { state.pending[topic] = confirmation }
        }
        let channels = subscribe.map(channel)
        let subscriber = subscriber
        Task.immediate { [weak self] in
            let outcome: Result<Void, PubSubAdapterError>
            do throws(RedisError) {
                try await subscriber.subscribe(channels)
                outcome = .success(())
            } catch {
                outcome = Self.interestOutcome(error)
            }
            confirmation.resolve(outcome)
            self?.state.withLock { state in
                for topic in subscribe where state.pending[topic] === confirmation { state.pending[topic] = nil }
            }
        }
    }

    /// A subscription the server refused fails; one that could not be made because the
    /// connection is down (or dropped while confirming) is recorded and restored on reconnect.
    private static func interestOutcome(_ error: RedisError) -> Result<Void, PubSubAdapterError> {
        switch error {
        case .server(let reply): .failure(PubSubAdapterError(.failed, adapter: "redis", "SUBSCRIBE refused: \(reply)"))
        case .closed: .failure(PubSubAdapterError(.closed, adapter: "redis", "the adapter was shut down"))
        default: .success(())
        }
    }

    /// Waits for the confirmations of `topics` still pending.
    public func confirmInterest(_ topics: [String]) async -> Result<Void, PubSubAdapterError> {
        let waits = state.withLock { state in topics.compactMap { state.pending[$0] } }
        var seen = Set<ObjectIdentifier>()
        for confirmation in waits where seen.insert(ObjectIdentifier(confirmation)).inserted {
            if case let .failure(error) = await confirmation.value() { return .failure(error) }
        }
        return .success(())
    }

    // MARK: Publishing

    /// `PUBLISH`es and waits for Redis' reply.
    public func publish(_ message: PubSubMessage) async -> Result<PubSubAcknowledgement, PubSubAdapterError> {
        guard reserve() else { return .failure(overloaded()) }
        defer { inFlight.subtract(1, ordering: .relaxed) }
        do throws(RedisError) {
            let receivers = try await connection.publish(.bytes(message.encoded()), to: channel(message.topic))
            return .success(PubSubAcknowledgement(instancesReached: receivers))
        } catch {
            return .failure(Self.adapterError(error))
        }
    }

    /// Starts a `PUBLISH` without waiting (queued in call order before this returns); fails at
    /// once while Redis is unreachable or too many publishes are in flight.
    public func post(_ message: PubSubMessage) -> Result<Void, PubSubAdapterError> {
        guard connection.state == .connected else {
            return .failure(PubSubAdapterError(.unavailable, adapter: name, "Redis is not connected"))
        }
        guard reserve() else { return .failure(overloaded()) }
        let payload = message.encoded()
        let channel = channel(message.topic)
        let topic = message.topic
        let connection = connection
        let relay = relay
        Task.immediate { [self] in
            defer { inFlight.subtract(1, ordering: .relaxed) }
            do throws(RedisError) {
                _ = try await connection.publish(.bytes(payload), to: channel)
            } catch {
                relay.report(.publishFailed(topic: topic, Self.adapterError(error)))
            }
        }
        return .success(())
    }

    func release() { inFlight.subtract(1, ordering: .relaxed) }

    func reserve() -> Bool {
        if inFlight.add(1, ordering: .relaxed).newValue <= maxInFlightPublishes { return true }
        inFlight.subtract(1, ordering: .relaxed)
        return false
    }

    func overloaded() -> PubSubAdapterError {
        PubSubAdapterError(.overloaded, adapter: name, "more than \(maxInFlightPublishes) publishes in flight")
    }

    static func adapterError(_ error: RedisError) -> PubSubAdapterError {
        switch error {
        case .notConnected, .connectionLost, .connectFailed, .timeout, .authenticationFailed:
            PubSubAdapterError(.unavailable, adapter: "redis", "\(error)")
        case .closed: PubSubAdapterError(.closed, adapter: "redis", "the adapter was shut down")
        default: PubSubAdapterError(.failed, adapter: "redis", "\(error)")
        }
    }

    func channel(_ topic: String) -> String { channelPrefix + topic }

    // MARK: State

    /// Whether both connections are up (the subscriber's state is `.connected` only once every
    /// subscription is restored).
    public var isAvailable: Bool { connection.state == .connected && subscriber.state == .connected }

    /// Waits until both connections are up, checking every 10 ms.
    public func ready(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !isAvailable {
            if clock.now >= deadline { return false }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return isAvailable }
        }
        return true
    }

    /// Closes both connections; later publishes fail with `closed`.
    public func shutdown() async {
        let monitors = state.withLock { state -> [Task<Void, Never>] in
            defer { state.monitors = [] }
            return state.monitors
        }
        connection.close()
        subscriber.close()
        for monitor in monitors { await monitor.value }
    }
}
