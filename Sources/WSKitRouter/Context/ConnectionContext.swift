/// The context of code that holds a connection outside any handler — a live feed, a game loop, a
/// timer — and of `onDrain` hooks: everything a ``RouterContext`` offers (typed data, the plugins'
/// APIs such as `send` with the messaging plugin, `close`) with no inbound message.
///
/// ```swift
/// router.onOpen { ctx in feed.add(ConnectionContext(ctx.connection)) }
/// // later, from the feed's own task:
/// subscriber.send(Tick.self, tick)
/// ```
public struct ConnectionContext<ConnectionData: Sendable, Plugins: PluginSet>: RouterContext {
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>

    /// A context for `connection`.
    public init(_ connection: RouterConnection<ConnectionData, Plugins>) {
        self.connection = connection
    }

    /// None: no message is being handled.
    @inlinable public var exchange: MessageExchange? { nil }
}
