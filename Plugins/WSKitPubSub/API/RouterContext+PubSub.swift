import WSKitContract
import WSKitRouter

extension RouterContext where Plugins: PubSubInstalled {
    /// This connection's topics: subscribe, unsubscribe, has, list, batches, replace.
    public var topics: Topics { Topics(connection: connection) }

    /// Publishes an `M` to every subscriber of `topic`, here and on every other instance.
    ///
    /// - Parameters:
    ///   - meta: added to the message's meta (`timestamp` is the server's; `correlationId` and
    ///     `excludeClientId` are never sent).
    ///   - excludeSelf: skip this connection (matched by its id on every instance); `nil` uses
    ///     ``PubSubPlugin/excludeSelfByDefault``.
    /// - Returns: ``PublishResult/published(_:)`` with the local subscribers matched, once the
    ///   adapter accepted the message, or a typed failure (invalid topic, refused, invalid payload,
    ///   too large, adapter down). Never throws. Works in every context, `onClose` included.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, meta: JSONObject = [:], excludeSelf: Bool? = nil
    ) async -> PublishResult {
        await connection.publish(M.self, payload, to: topic, meta: meta, excludeSelf: excludeSelf)
    }

    /// Publishes an `M` that has no payload; see ``publish(_:_:to:meta:excludeSelf:)``.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, to topic: String, meta: JSONObject = [:], excludeSelf: Bool? = nil
    ) async -> PublishResult where M.Payload == Empty {
        await publish(M.self, Empty(), to: topic, meta: meta, excludeSelf: excludeSelf)
    }

    /// A room — a topic seen as a group of connections — from this connection's point of view:
    /// join, leave, the peers' data, broadcasts with or without this connection.
    public func room(_ name: String) -> ConnectionRoom<ConnectionData, Plugins> {
        ConnectionRoom(name: name, connection: connection)
    }
}

extension RouterConnection where Plugins: PubSubInstalled {
    /// The typed publish behind `ctx.publish` and `room.broadcast`: encodes the payload here
    /// (specialised for `M`), then hands the envelope to the hub.
    @inlinable
    func publish<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, meta: JSONObject, excludeSelf: Bool?
    ) async -> PublishResult {
        guard let hub = routerState(PubSubHub.self) else { return PubSubHub.notInstalled(topic) }
        let plugin = runtime.plugins.pubsub
        let json: JSONValue?
        do {
            json = try M.encodePayload(payload, validation: plugin.outboundValidation ?? options.outboundValidation)
        } catch {
            return hub.failure(PublishError(.validation, topic: topic, message: "The \(M.type) payload is invalid: \(error)"))
        }
        let exclude = (excludeSelf ?? plugin.excludeSelfByDefault) ? clientId : nil
        return await hub.publish(
            type: M.type, payload: json, meta: meta, to: topic, timestamp: clock.nowMs, exclude: exclude,
            publisher: self, wait: true)
    }
}

extension PubSubHub {
    /// The failure when a context or runtime has no hub (the plugin is declared but not listed
    /// in `installedPlugins`).
    @usableFromInline
    static func notInstalled(_ topic: String) -> PublishResult {
        .failed(PublishError(
            .adapterError, topic: topic,
            adapterError: PubSubAdapterError(.closed, adapter: "none", "the pub/sub plugin is not installed"),
            message: "The pub/sub plugin is not installed (check PluginSet.installedPlugins)"))
    }
}
