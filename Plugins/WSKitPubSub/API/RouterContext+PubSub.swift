import WSKitContract
import WSKitRouter

extension RouterContext where Plugins: PubSubInstalled {
    /// This connection's topics: subscribe, unsubscribe, has, list, batches, replace.
    public var topics: Topics { Topics(connection: connection) }

    /// Publishes an `M` to every subscriber of `topic`, here and on every other instance.
    ///
    /// - Parameter options: meta (`timestamp` is the server's; `correlationId` and
    ///   `excludeClientId` are never sent); who to skip (``PublishOptions/excludingSelf`` skips
    ///   this connection on every instance; without `exclude`,
    ///   ``PubSubPlugin/excludeSelfByDefault`` decides); and whether to wait for the adapter.
    /// - Returns: ``PublishResult/published(_:)`` with the local subscribers matched, once the
    ///   adapter accepted the message, or a typed failure (invalid topic, refused, invalid payload,
    ///   too large, adapter down). Never throws. Works in every context, `onClose` included.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, options: PublishOptions = PublishOptions()
    ) async -> PublishResult {
        await connection.publish(M.self, payload, to: topic, options: options, excludesSelfByDefault: nil)
    }

    /// Publishes an `M` that has no payload; see ``publish(_:_:to:options:)``.
    @inlinable @discardableResult
    public func publish<M: Message>(
        _ type: M.Type, to topic: String, options: PublishOptions = PublishOptions()
    ) async -> PublishResult where M.Payload == Empty {
        await publish(M.self, Empty(), to: topic, options: options)
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
    ///
    /// - Parameter excludesSelfByDefault: whether this connection is skipped when `options`
    ///   name nobody; `nil` uses ``PubSubPlugin/excludeSelfByDefault``.
    @inlinable
    func publish<M: Message>(
        _ type: M.Type, _ payload: M.Payload, to topic: String, options: PublishOptions, excludesSelfByDefault: Bool?
    ) async -> PublishResult {
        guard let hub = routerState(PubSubHub.self) else { return PubSubHub.notInstalled(topic) }
        let plugin = runtime.plugins.pubsub
        let json: JSONValue?
        do {
            json = try M.encodePayload(payload, validation: plugin.outboundValidation ?? self.options.outboundValidation)
        } catch {
            return hub.failure(PublishError(.validation, topic: topic, message: "The \(M.type) payload is invalid: \(error)"))
        }
        let exclude = options.excludedClientId(
            sender: clientId, excludesSenderByDefault: excludesSelfByDefault ?? plugin.excludeSelfByDefault)
        return await hub.publish(
            .envelope(type: M.type, payload: json, meta: options.meta), to: topic, timestamp: clock.nowMs,
            exclude: exclude, publisher: self, mode: options.mode)
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
