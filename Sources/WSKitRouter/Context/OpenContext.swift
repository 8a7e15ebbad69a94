/// The context of an `onOpen` hook: the connection and its initial data (from the host's
/// upgrade hook), which the hook may change. Throw ``ConnectionRefusal`` to refuse.
public struct OpenContext<ConnectionData: Sendable, Plugins: PluginSet>: RouterContext {
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    /// None: no message is being handled.
    @inlinable public var exchange: MessageExchange? { nil }
}
