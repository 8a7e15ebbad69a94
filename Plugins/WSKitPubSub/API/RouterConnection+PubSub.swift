import WSKitRouter

extension RouterConnection where Plugins: PubSubInstalled {
    /// The connection's topics, for a host or a test that holds the connection outside any
    /// handler (the same API as `ctx.topics`).
    public var topics: Topics { Topics(connection: self) }

    /// A room from this connection's point of view (the same API as `ctx.room(_:)`).
    public func room(_ name: String) -> ConnectionRoom<ConnectionData, Plugins> {
        ConnectionRoom(name: name, connection: self)
    }
}
