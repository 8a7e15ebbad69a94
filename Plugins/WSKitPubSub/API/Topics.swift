import WSKitRouter

/// One connection's topics (`ctx.topics`): subscribe, unsubscribe, query, batch and replace.
///
/// - **Idempotent.** Subscribing to a topic the connection has is a no-op with no side effect
///   (no validation, authorisation or adapter call); unsubscribing from one it does not have —
///   even an invalid name — is a no-op without error.
/// - **Order of checks** for a new topic: normalise, validate (`INVALID_TOPIC`), authorise
///   (`ACL_SUBSCRIBE`), the per-connection limit (`TOPIC_LIMIT_EXCEEDED`), then the adapter, whose
///   confirmation `subscribe` waits for: once it returns, every message published to the topic
///   afterwards reaches the connection.
/// - **Atomic batches.** A batch or ``set(_:)`` checks every topic first and applies all or
///   nothing.
/// - Mutations throw ``PubSubError``; queries never fail. After the connection closed
///   (including in `onClose` hooks) queries still answer, and mutations throw
///   `CONNECTION_CLOSED`; the topics are dropped after the `onClose` hooks.
public struct Topics: Sendable {
    let hub: PubSubHub?
    let state: PubSubConnectionState?
    let connection: ConnectionCore

    init(connection: ConnectionCore) {
        self.connection = connection
        hub = connection.routerState(PubSubHub.self)
        state = connection.state(PubSubConnectionState.self)
    }

    private func parts() throws(PubSubError) -> (PubSubHub, PubSubConnectionState) {
        guard let hub, let state else {
            throw PubSubError(.adapterError, message: "The pub/sub plugin is not installed (check PluginSet.installedPlugins)")
        }
        return (hub, state)
    }

    /// Subscribes to `topic`. Returns `false` when the connection already had it.
    @discardableResult
    public func subscribe(_ topic: String) async throws(PubSubError) -> Bool {
        let (hub, state) = try parts()
        return try await !hub.subscribe([topic], state: state, connection: connection).added.isEmpty
    }

    /// Subscribes to several topics at once, all or nothing.
    @discardableResult
    public func subscribe(_ topics: [String]) async throws(PubSubError) -> TopicsChange {
        let (hub, state) = try parts()
        return try await hub.subscribe(topics, state: state, connection: connection)
    }

    /// Unsubscribes from `topic`. Returns `false` when the connection did not have it.
    @discardableResult
    public func unsubscribe(_ topic: String) -> Bool {
        guard let hub, let state else { return false }
        return !hub.unsubscribe([topic], state: state).removed.isEmpty
    }

    /// Unsubscribes from several topics.
    @discardableResult
    public func unsubscribe(_ topics: [String]) -> TopicsChange {
        guard let hub, let state else { return TopicsChange(total: 0) }
        return hub.unsubscribe(topics, state: state)
    }

    /// Makes `topics` the connection's exact set: removes the others first, then adds the new
    /// ones (so swapping topics at the limit works); all or nothing.
    @discardableResult
    public func set(_ topics: [String]) async throws(PubSubError) -> TopicsChange {
        let (hub, state) = try parts()
        return try await hub.replace(topics, state: state, connection: connection)
    }

    /// Unsubscribes from every topic.
    @discardableResult
    public func clear() -> TopicsChange {
        guard let hub, let state else { return TopicsChange(total: 0) }
        return hub.clear(state)
    }

    /// Whether the connection is subscribed to `topic` (normalised first).
    public func has(_ topic: String) -> Bool {
        guard let hub, let state else { return false }
        return hub.has(topic, state: state)
    }

    /// The connection's topics, in the order they were subscribed.
    public var list: [String] {
        guard let hub, let state else { return [] }
        return hub.topics(of: state)
    }

    /// How many topics the connection has.
    public var count: Int {
        guard let hub, let state else { return 0 }
        return hub.count(state)
    }
}
