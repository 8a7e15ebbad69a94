import WSKitContract

/// The context middleware sees: the message type, meta and raw (already validated) payload, the
/// connection's data, and the capabilities of installed plugins.
public struct MiddlewareContext<ConnectionData: Sendable, Plugins: PluginSet>: InboundContext {
    /// The connection.
    public let connection: RouterConnection<ConnectionData, Plugins>
    /// The message being handled.
    public let inbound: MessageExchange

    @usableFromInline
    init(connection: RouterConnection<ConnectionData, Plugins>, inbound: MessageExchange) {
        self.connection = connection
        self.inbound = inbound
    }

    /// The message being handled.
    @inlinable public var exchange: MessageExchange? { inbound }

    /// The payload as it arrived (it passed validation before middleware runs).
    @inlinable public var rawPayload: JSONValue? { inbound.payload }

    /// Whether the message is an `M` — the typed way to branch on the message type.
    @inlinable public func handles<M: Message>(_ type: M.Type) -> Bool { inbound.type == M.type }

    /// Whether the message is a request–response call.
    @inlinable public var isRPC: Bool { inbound.kind == .rpc }
}
