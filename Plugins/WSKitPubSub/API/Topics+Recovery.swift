extension Topics {
    /// Subscribes to `topic` and recovers what was published since `position` (the position of
    /// the last publication this client saw: `meta.epoch` and `meta.offset` of publications on a
    /// stream topic, or the ``StreamRecovery/position`` of the previous subscribe).
    ///
    /// On a topic with history (``PubSubPlugin/history``) the publications after `position` are
    /// sent first, in order, then live ones, with nothing missed or repeated, and the answer says
    /// `recovered: true`; when they are not all kept (another epoch, trimmed, expired) nothing is
    /// replayed and the answer says `recovered: false`: reload the state. Without `position` the
    /// subscription starts at the current position (a "latest value" rule sends the latest
    /// publication). Checks and errors are those of ``subscribe(_:)-(String)``.
    public func subscribe(_ topic: String, from position: StreamPosition?) async throws(PubSubError) -> StreamRecovery {
        guard let hub, let state else {
            throw PubSubError(.adapterError, message: "The pub/sub plugin is not installed (check PluginSet.installedPlugins)")
        }
        return try await hub.subscribe(topic, from: position, state: state, connection: connection)
    }
}
