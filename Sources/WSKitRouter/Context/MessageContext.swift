import WSKitContract

/// The context of a typed message handler (`router.on(M.self) { ctx in … }`): the validated
/// ``payload``, the message's meta, the connection's data, and the capabilities of installed
/// plugins.
public struct MessageContext<M: Message, ConnectionData: Sendable, Plugins: PluginSet>: InboundContext {
    /// The validated, decoded payload.
    public let payload: M.Payload
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    /// The message being handled.
    public let inbound: MessageExchange

    /// Creates a context (the router does; plugins wrapping routes may too).
    public init(payload: M.Payload, connection: RouterConnection<ConnectionData, Plugins>, inbound: MessageExchange) {
        self.payload = payload
        self.connection = connection
        self.inbound = inbound
    }

    /// The message being handled.
    @inlinable public var exchange: MessageExchange? { inbound }
}
