/// The context of an `onClose` hook: the connection's last data and how it closed. Sends are
/// dropped (the connection is gone); router-wide plugin APIs (such as publishing to others) work.
public struct CloseContext<ConnectionData: Sendable, Plugins: PluginSet>: RouterContext {
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    /// The close code reported by the host (1005 when the peer sent none, 1006 when the socket
    /// dropped).
    public let code: UInt16
    /// The close reason.
    public let reason: String
    /// None: no message is being handled.
    @inlinable public var exchange: MessageExchange? { nil }
}
