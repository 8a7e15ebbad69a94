import WSKitContract

/// A context that handles an inbound message: a handler's, an RPC handler's or a middleware's.
public protocol InboundContext<ConnectionData, Plugins>: RouterContext {
    /// The message being handled.
    var inbound: MessageExchange { get }
}

extension InboundContext {
    /// The inbound message's meta, without the server-only keys (`clientId`, `receivedAt`), which
    /// a client can never set.
    @inlinable public var meta: JSONObject { inbound.meta }

    /// When the router received the message (router clock, Unix ms) — server time, not the
    /// client's `meta.timestamp`.
    @inlinable public var receivedAt: Int64 { inbound.receivedAt }

    /// The inbound `meta.correlationId`, if any (always present in RPCs).
    @inlinable public var correlationId: String? { inbound.correlationId }

    /// The inbound `type`.
    @inlinable public var messageType: String { inbound.type }

    /// Whether the message's work was cancelled (RPC abort, deadline or disconnect); see
    /// ``MessageExchange/cancellationReason``.
    @inlinable public var isCancelled: Bool { inbound.isCancelled }
}
